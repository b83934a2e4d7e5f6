//! Leaving a membership: only its sessions end, it is logged and emailed in the
//! person's language, and the last owner or administrator cannot leave.

use crate::helpers::customers::CustomerSpec;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::page;
use crate::profile::{
    CHROME_ON_WINDOWS, FIREFOX_ON_LINUX, browser_as, lands_on, leave, membership_state,
    set_language, switch_to,
};
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::activity_log;
use partnerdesk::i18n::Lang;

#[tokio::test]
async fn leaving_a_membership_ends_only_its_sessions_is_logged_and_emailed_in_the_persons_language()
{
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    let at_contoso = app.active_member(&contoso, "sam@contoso.example", PartnerRole::SalesAgent);
    let at_fabrikam = app.active_member(&fabrikam, "sam@contoso.example", PartnerRole::AdminAgent);
    let owners = app.active_member_id(&contoso, "owner@contoso.example");
    set_language(&app, "sam@contoso.example", Lang::Fr);

    let in_contoso = browser_as(&app, FIREFOX_ON_LINUX, "sam@contoso.example").await;
    switch_to(&app, &in_contoso, &at_contoso).await;
    let in_fabrikam = browser_as(&app, CHROME_ON_WINDOWS, "sam@contoso.example").await;
    switch_to(&app, &in_fabrikam, &at_fabrikam).await;

    only_ones_own_membership_is_offered(&app, &in_fabrikam, &at_contoso, &owners).await;
    assert_eq!(
        leave(&app, &in_fabrikam, &at_contoso).await,
        "/account#memberships"
    );
    let (_, profile) = page(&in_fabrikam, &app, "/account").await;
    assert!(profile.contains("C’est fait : vous n’avez plus cet accès."));
    assert!(!profile.contains("<strong>Contoso</strong>"));
    assert_eq!(membership_state(&app, &at_contoso), "disabled");
    assert_eq!(membership_state(&app, &at_fabrikam), "active");
    assert_eq!(
        lands_on(&app, &in_contoso, "/partner").await,
        "/login?next=%2Fpartner",
        "the session acting as Contoso ended"
    );
    assert_eq!(
        lands_on(&app, &in_fabrikam, "/partner").await,
        "200",
        "the Fabrikam session goes on"
    );

    leaving_is_logged_and_emailed_in_french(&app, &contoso).await;

    // Leaving the membership this session acts as: signed in still, without it.
    assert_eq!(
        leave(&app, &in_fabrikam, &at_fabrikam).await,
        "/memberships"
    );
    assert_eq!(membership_state(&app, &at_fabrikam), "disabled");
    assert_eq!(lands_on(&app, &in_fabrikam, "/account").await, "200");
    assert_eq!(
        lands_on(&app, &in_fabrikam, "/partner").await,
        "/memberships"
    );
    let emails = app.mail.wait_for_to("sam@contoso.example", 2).await;
    assert_eq!(emails.len(), 2);
    assert_eq!(
        emails[1].subject,
        "Vous avez quitté Fabrikam sur Partnerdesk"
    );
}

/// The profile offers to leave each of the person's memberships, asking in
/// their language; someone else's membership is missing, asked or posted.
async fn only_ones_own_membership_is_offered(
    app: &TestApp,
    browser: &reqwest::Client,
    mine: &str,
    someone_elses: &str,
) {
    let (_, profile) = page(browser, app, "/account").await;
    assert!(profile.contains("<strong>Contoso</strong>"));
    assert!(profile.contains("<strong>Fabrikam</strong>"));
    let (status, question) = page(browser, app, &format!("/account/leave?membership={mine}")).await;
    assert_eq!(status, 200);
    assert!(
        question.contains("<h1>Quitter Contoso ?</h1>"),
        "{question}"
    );
    // Someone else's membership is missing, in the question and in the POST.
    let (status, _) = page(
        browser,
        app,
        &format!("/account/leave?membership={someone_elses}"),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(leave(app, browser, someone_elses).await, "404");
    assert_eq!(membership_state(app, someone_elses), "active");
}

/// Leaving Contoso is in its activity log, and the person is emailed in
/// French.
async fn leaving_is_logged_and_emailed_in_french(app: &TestApp, contoso: &str) {
    let logged: Vec<(Option<String>, String, String)> = activity_log::table
        .filter(activity_log::action.eq("membership_left"))
        .select((
            activity_log::partner_id,
            activity_log::target,
            activity_log::details,
        ))
        .load(&mut app.conn())
        .expect("log");
    assert_eq!(
        logged,
        vec![(
            Some(contoso.to_owned()),
            "Person sam@contoso.example".to_owned(),
            "sales_agent".to_owned()
        )]
    );
    let owner = browser_as(app, FIREFOX_ON_LINUX, "owner@contoso.example").await;
    let (_, activity) = page(&owner, app, "/partner/activity").await;
    assert!(activity.contains("Gave up their access"), "{activity}");

    let emails = app.mail.wait_for_to("sam@contoso.example", 1).await;
    assert_eq!(emails.len(), 1, "one email to the person");
    assert_eq!(
        emails[0].subject,
        "Vous avez quitté Contoso sur Partnerdesk"
    );
    assert!(
        emails[0]
            .text
            .contains("Vous avez quitté Contoso (rôle : Agent commercial)."),
        "{}",
        emails[0].text
    );
    assert!(
        emails[0]
            .links()
            .iter()
            .any(|l| l.ends_with("/password-reset"))
    );
}

#[tokio::test]
async fn the_last_active_owner_and_the_last_active_administrator_cannot_leave() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    // Olga's invitation as owner is still pending: it counts for nothing.
    let browser = browser_as(&app, FIREFOX_ON_LINUX, "owner@contoso.example").await;
    assert_eq!(leave(&app, &browser, &owner).await, "/account#memberships");
    assert_eq!(membership_state(&app, &owner), "active");
    let (_, profile) = page(&browser, &app, "/account").await;
    assert!(
        profile.contains("the organisation must keep at least one active owner"),
        "{profile}"
    );
    assert_eq!(lands_on(&app, &browser, "/partner").await, "200");

    let customer = app.customer(&contoso, &CustomerSpec::named("Adatum"));
    let admin = app.customer_administrator(&customer, "admin@adatum.example");
    app.customer_member(&customer, "user@adatum.example", "user");
    let admin_browser = browser_as(&app, FIREFOX_ON_LINUX, "admin@adatum.example").await;
    assert_eq!(
        leave(&app, &admin_browser, &admin).await,
        "/account#memberships"
    );
    assert_eq!(membership_state(&app, &admin), "active");
    let (_, profile) = page(&admin_browser, &app, "/account").await;
    assert!(profile.contains("the account must keep at least one active administrator"));
    assert_eq!(lands_on(&app, &admin_browser, "/customer").await, "200");

    // With a second active administrator, the first may go.
    app.customer_administrator(&customer, "second@adatum.example");
    assert_eq!(leave(&app, &admin_browser, &admin).await, "/memberships");
    assert_eq!(membership_state(&app, &admin), "disabled");
    let emails = app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].subject, "You left Adatum on Partnerdesk");
    assert!(emails[0].text.contains("(role: Customer administrator)"));
}

#[tokio::test]
async fn two_owners_leaving_at_once_leave_one_active_owner() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let first = app.active_member(&contoso, "first@contoso.example", PartnerRole::Owner);
    let second = app.active_member(&contoso, "second@contoso.example", PartnerRole::Owner);
    let first_browser = browser_as(&app, FIREFOX_ON_LINUX, "first@contoso.example").await;
    let second_browser = browser_as(&app, FIREFOX_ON_LINUX, "second@contoso.example").await;
    let (a, b) = tokio::join!(
        leave(&app, &first_browser, &first),
        leave(&app, &second_browser, &second)
    );
    let left = [a, b].iter().filter(|to| *to == "/memberships").count();
    assert_eq!(left, 1, "exactly one of the two left");
    let states = [
        membership_state(&app, &first),
        membership_state(&app, &second),
    ];
    assert_eq!(states.iter().filter(|s| *s == "active").count(), 1);
}

#[tokio::test]
async fn an_operator_leaves_a_sub_account_and_the_customers_log_says_so() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&contoso, &CustomerSpec::named("Adatum"));
    let sub_account = app.sub_account(&customer, "Lyon office", None);
    let operator = app.operator(&sub_account, "op@adatum.example");
    let browser = browser_as(&app, FIREFOX_ON_LINUX, "op@adatum.example").await;
    let (_, profile) = page(&browser, &app, "/account").await;
    assert!(
        profile.contains("<strong>Lyon office</strong> · Sub-account operator"),
        "{profile}"
    );
    assert_eq!(leave(&app, &browser, &operator).await, "/memberships");
    assert_eq!(membership_state(&app, &operator), "disabled");
    let logged: Vec<(Option<String>, Option<String>)> = activity_log::table
        .filter(activity_log::action.eq("membership_left"))
        .select((activity_log::partner_id, activity_log::customer_id))
        .load(&mut app.conn())
        .expect("log");
    assert_eq!(logged, vec![(None, Some(customer))]);
    let emails = app.mail.wait_for_to("op@adatum.example", 1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].subject, "You left Lyon office on Partnerdesk");
}
