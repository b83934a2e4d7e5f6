//! "Open customer" through the real server: refused while partner assistance is
//! off and for roles without the right, a banner and every action under the real
//! person's name while inside, and an end as soon as it may no longer go on.

use chrono::Duration;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::BillingType;
use partnerdesk::i18n::Lang;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

struct Fixture {
    app: TestApp,
    partner: String,
    customer: String,
    admin: reqwest::Client,
}

/// Contoso with one member per role and Adatum, a term subscription (assistance
/// off from the start) with its administrator signed in.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(
            &partner,
            &format!("{}@contoso.example", role.as_str()),
            role,
        );
    }
    let customer = app.customer(
        &partner,
        &CustomerSpec {
            billing: BillingType::TermSubscription,
            ..CustomerSpec::named("Adatum")
        },
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    Fixture {
        app,
        partner,
        customer,
        admin,
    }
}

impl Fixture {
    async fn staff(&self, role: PartnerRole) -> reqwest::Client {
        self.app
            .browser_signed_in(&format!("{}@contoso.example", role.as_str()), PASSWORD)
            .await
    }

    async fn set_assistance(&self, on: bool) {
        let response = self
            .app
            .post_as(
                &self.admin,
                "/customer/assistance",
                &[("enabled", if on { "on" } else { "off" })],
            )
            .await;
        assert_eq!(response.status(), 303);
    }

    async fn open(&self, browser: &reqwest::Client, reason: &str) -> reqwest::Response {
        self.app
            .post_as(
                browser,
                &format!("/partner/customers/{}/open", self.customer),
                &[("reason", reason)],
            )
            .await
    }

    fn open_path(&self) -> String {
        format!("/partner/customers/{}/open", self.customer)
    }
}

#[tokio::test]
async fn opening_is_refused_while_assistance_is_off_and_for_roles_without_the_right() {
    let f = fixture().await;
    let owner = f.staff(PartnerRole::Owner).await;
    let (status, page) = page_of(&owner, &f.app, &f.open_path()).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="assistance-off""#) && !page.contains(r#"id="open-customer""#));
    assert_eq!(f.open(&owner, "Ticket 42").await.status(), 403);
    let (_, details) = page_of(
        &owner,
        &f.app,
        &format!("/partner/customers/{}", f.customer),
    )
    .await;
    assert!(!details.contains(r#"id="open-customer-link""#));

    f.set_assistance(true).await;
    let sales = f.staff(PartnerRole::SalesAgent).await;
    assert_eq!(page_of(&sales, &f.app, &f.open_path()).await.0, 403);
    assert_eq!(f.open(&sales, "Ticket 42").await.status(), 403);
    let (_, details) = page_of(
        &sales,
        &f.app,
        &format!("/partner/customers/{}", f.customer),
    )
    .await;
    assert!(
        !details.contains(r#"id="open-customer-link""#),
        "no button for a sales agent"
    );
    let (_, details) = page_of(
        &owner,
        &f.app,
        &format!("/partner/customers/{}", f.customer),
    )
    .await;
    assert!(details.contains(r#"id="open-customer-link""#));

    // A reason is required, said in the person's language, and what was typed stays.
    let reason_error = regex::Regex::new(r#"id="reason-error">([^<]+)<"#).expect("regex");
    for (lang, message) in [
        (Lang::En, "This field is required."),
        (Lang::Fr, "Ce champ est obligatoire."),
    ] {
        if lang == Lang::Fr {
            f.app
                .post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
                .await;
        }
        let response = f.open(&owner, "   ").await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.expect("body");
        let error = reason_error.captures(&page).map(|c| unescape(&c[1]));
        assert_eq!(error.as_deref(), Some(message));
        let too_long = "x".repeat(201);
        let page = f.open(&owner, &too_long).await.text().await.expect("body");
        assert!(page.contains(&too_long), "what was typed stays");
    }
    // Nothing was opened by any of these.
    assert_eq!(page_of(&owner, &f.app, "/customer").await.0, 404);
}

#[tokio::test]
async fn inside_the_customer_every_action_is_recorded_under_the_real_name_for_the_partner() {
    let f = fixture().await;
    f.set_assistance(true).await;
    let notify = f
        .app
        .post_as(&f.admin, "/customer/assistance/notify", &[("notify", "1")])
        .await;
    assert_eq!(notify.status(), 303);
    let helpdesk = f.staff(PartnerRole::HelpdeskAgent).await;
    let opened = f.open(&helpdesk, "Ticket 42: printer offline").await;
    assert_eq!(opened.status(), 303);
    assert_eq!(location(&opened), "/customer");

    the_banner_says_whose_console_it_is(&f, &helpdesk).await;

    let created = f
        .app
        .post_as(
            &helpdesk,
            "/customer/sites",
            &[("name", "Lyon office"), ("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let refused = f
        .app
        .post_as(&helpdesk, "/customer/assistance", &[("enabled", "off")])
        .await;
    assert_eq!(
        refused.status(),
        403,
        "assistance is the customer's own decision"
    );

    let email = f.app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert_eq!(email.len(), 1, "the administrator asked to be told");
    assert!(
        email[0].subject.contains("Contoso opened Adatum"),
        "{}",
        email[0].subject
    );
    assert!(email[0].text.contains("Ticket 42: printer offline"));

    let left = f.app.post_as(&helpdesk, "/customer/leave", &[]).await;
    assert_eq!(left.status(), 303);
    assert_eq!(
        location(&left),
        format!("/partner/customers/{}", f.customer)
    );
    assert_eq!(
        page_of(&helpdesk, &f.app, "/customer").await.0,
        404,
        "left for good"
    );
    assert_eq!(
        page_of(&helpdesk, &f.app, "/partner/customers").await.0,
        200
    );

    the_customer_sees_who_did_what_for_whom(&f).await;
    let (_, sites) = page_of(&f.admin, &f.app, "/customer/sites").await;
    assert!(sites.contains("Lyon office"));
    // And the partner's own log has them too.
    let owner = f.staff(PartnerRole::Owner).await;
    let (_, log) = page_of(&owner, &f.app, "/partner/activity?action=site_created").await;
    assert!(log.contains("Lyon office") && log.contains("Person helpdesk_agent@contoso.example"));
}

/// Inside, a banner says whose console it is, on whose behalf and as whom; the
/// session is bound to the customer.
async fn the_banner_says_whose_console_it_is(f: &Fixture, helpdesk: &reqwest::Client) {
    let (status, home) = page_of(helpdesk, &f.app, "/customer").await;
    assert_eq!(status, 200);
    let banner = regex::Regex::new(r#"id="assisted-banner" role="status">\s*<p>([^<]+)</p>"#)
        .expect("regex")
        .captures(&home)
        .map(|c| unescape(&c[1]))
        .expect("a banner");
    assert!(
        banner.starts_with(
            "You are in the console of Adatum on behalf of Contoso, as Person helpdesk_agent@contoso.example, until"
        ),
        "{banner}"
    );
    assert!(home.contains(r#"id="leave-customer""#));
    assert_eq!(
        page_of(helpdesk, &f.app, "/partner/customers").await.0,
        404,
        "inside, the session is bound to the customer"
    );
}

/// The customer sees who did what, for which partner, and why it was opened.
async fn the_customer_sees_who_did_what_for_whom(f: &Fixture) {
    let (_, activity) = page_of(&f.admin, &f.app, "/customer/activity").await;
    let table = activity
        .split(r#"id="customer-activity""#)
        .nth(1)
        .expect("the activity table");
    for action in [
        "Opened the customer&#39;s console",
        "Created a site",
        "Left the customer&#39;s console",
    ] {
        let row = table
            .split("<tr>")
            .find(|row| row.contains(action))
            .unwrap_or_else(|| panic!("{action} in {table}"));
        assert!(
            row.contains("Person helpdesk_agent@contoso.example"),
            "{row}"
        );
        assert!(row.contains("on behalf of Contoso"), "{row}");
    }
    assert!(table.contains("Ticket 42: printer offline"));
    assert!(table.contains("Lyon office"));
}

#[tokio::test]
async fn turning_assistance_off_ends_the_session_on_its_next_request() {
    let f = fixture().await;
    f.set_assistance(true).await;
    let owner = f.staff(PartnerRole::Owner).await;
    assert_eq!(f.open(&owner, "Checking the licences").await.status(), 303);
    assert_eq!(page_of(&owner, &f.app, "/customer/sites").await.0, 200);
    f.set_assistance(false).await;
    let response = owner
        .get(f.app.url("/customer/sites"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("{}?ended=assistance_off", f.open_path())
    );
    let (_, page) = page_of(&owner, &f.app, &location(&response)).await;
    assert!(page.contains("The customer turned partner assistance off"));
    assert!(
        page.contains(r#"id="assistance-off""#),
        "and may not open it again"
    );
    assert_eq!(page_of(&owner, &f.app, "/customer").await.0, 404);
    assert_eq!(page_of(&owner, &f.app, "/partner/customers").await.0, 200);
}

#[tokio::test]
async fn a_session_lasts_at_most_an_hour() {
    let f = fixture().await;
    f.set_assistance(true).await;
    let admin_agent = f.staff(PartnerRole::AdminAgent).await;
    assert_eq!(f.open(&admin_agent, "Monthly review").await.status(), 303);
    // Requests every twenty minutes keep the sign-in alive; the hour still ends it.
    for _ in 0..2 {
        f.app.clock.advance(Duration::minutes(20));
        assert_eq!(page_of(&admin_agent, &f.app, "/customer").await.0, 200);
    }
    f.app.clock.advance(Duration::minutes(21));
    let response = admin_agent
        .get(f.app.url("/customer"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        location(&response),
        format!("{}?ended=expired", f.open_path())
    );
    let (_, page) = page_of(&admin_agent, &f.app, &location(&response)).await;
    assert!(page.contains("a session lasts at most an hour"));
}

#[tokio::test]
async fn losing_the_role_or_the_customer_ends_the_session() {
    let f = fixture().await;
    f.set_assistance(true).await;
    let owner = f.staff(PartnerRole::Owner).await;
    let helpdesk = f.staff(PartnerRole::HelpdeskAgent).await;
    assert_eq!(f.open(&helpdesk, "Ticket 7").await.status(), 303);
    let helpdesk_membership = f
        .app
        .active_member_id(&f.partner, "helpdesk_agent@contoso.example");
    let demoted = f
        .app
        .post_as(
            &owner,
            &format!("/partner/staff/{helpdesk_membership}/role"),
            &[("role", "sales_agent")],
        )
        .await;
    assert_eq!(demoted.status(), 303);
    let response = helpdesk
        .get(f.app.url("/customer"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        location(&response),
        format!("{}?ended=access_removed", f.open_path())
    );

    assert_eq!(
        f.open(&owner, "Before the dissociation").await.status(),
        303
    );
    let admin_agent = f.staff(PartnerRole::AdminAgent).await;
    let dissociated = f
        .app
        .post_as(
            &admin_agent,
            &format!("/partner/customers/{}/dissociate", f.customer),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(dissociated.status(), 303);
    let response = owner.get(f.app.url("/customer")).send().await.expect("GET");
    assert_eq!(
        location(&response),
        format!("{}?ended=dissociated", f.open_path())
    );
    assert_eq!(
        page_of(&owner, &f.app, &location(&response)).await.0,
        404,
        "the customer is no longer Contoso's"
    );
}

/// With assistance off, the details page says why "Open customer" is missing
/// and lets a partner user ask the customer's administrators by email: one
/// email per administrator, in their language, an entry in both activity logs,
/// and no second request for that customer within a day, whoever asks.
#[tokio::test]
async fn with_assistance_off_the_partner_asks_the_administrators_at_most_once_a_day() {
    let f = fixture().await;
    f.app
        .customer_administrator(&f.customer, "second@adatum.example");
    let owner = f.staff(PartnerRole::Owner).await;
    let details_path = format!("/partner/customers/{}", f.customer);
    let (_, details) = page_of(&owner, &f.app, &details_path).await;
    assert!(details.contains(r#"id="assistance-off""#), "{details}");
    assert!(!details.contains("open-customer-link"));
    assert!(details.contains(r#"id="request-assistance""#));

    let request_path = format!("{details_path}/assistance-request");
    let asked = f.app.post_as(&owner, &request_path, &[]).await;
    assert_eq!(asked.status(), 303);
    let (_, after) = page_of(&owner, &f.app, &details_path).await;
    assert!(after.contains("have been asked by email"), "{after}");
    assert!(after.contains(r#"id="assistance-asked""#));
    assert!(!after.contains(r#"id="request-assistance""#));
    for administrator in ["admin@adatum.example", "second@adatum.example"] {
        let emails = f.app.mail.wait_for_to(administrator, 1).await;
        assert_eq!(emails.len(), 1, "{administrator}");
        assert!(emails[0].subject.contains("Contoso") && emails[0].subject.contains("Adatum"));
        assert!(
            emails[0].text.contains("/customer/assistance"),
            "{}",
            emails[0].text
        );
    }
    let (_, log) = page_of(&f.admin, &f.app, "/customer/activity").await;
    assert!(log.contains("Asked for partner assistance"), "{log}");

    // Within the day, nobody asks again, not even another role.
    let admin_agent = f.staff(PartnerRole::AdminAgent).await;
    let again = f.app.post_as(&admin_agent, &request_path, &[]).await;
    assert_eq!(again.status(), 303);
    let (_, refused) = page_of(&admin_agent, &f.app, &details_path).await;
    assert!(refused.contains("already asked for"), "{refused}");
    assert_eq!(
        f.app
            .drain_outbox()
            .await
            .iter()
            .filter(|e| e.subject.contains("asks for access"))
            .count(),
        2
    );

    // A day later, it may be asked again.
    f.app.clock.advance(Duration::hours(25));
    let owner = f.staff(PartnerRole::Owner).await;
    let (_, next_day) = page_of(&owner, &f.app, &details_path).await;
    assert!(next_day.contains(r#"id="request-assistance""#));
    assert_eq!(
        f.app.post_as(&owner, &request_path, &[]).await.status(),
        303
    );
    assert_eq!(
        f.app
            .mail
            .wait_for_to("admin@adatum.example", 2)
            .await
            .len(),
        2
    );

    // Once assistance is on, the page offers "Open customer" and no request.
    let f = Fixture {
        admin: f
            .app
            .browser_signed_in("admin@adatum.example", PASSWORD)
            .await,
        ..f
    };
    f.set_assistance(true).await;
    let (_, open) = page_of(&owner, &f.app, &details_path).await;
    assert!(open.contains("open-customer-link"));
    assert!(!open.contains(r#"id="assistance-off""#));
}

/// Another partner cannot use the access request on our customer: its owner
/// gets 404 as for a missing customer, and nobody is emailed or logged.
#[tokio::test]
async fn another_partner_cannot_ask_for_access_to_our_customer() {
    let f = fixture().await;
    let theirs = f
        .app
        .invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    f.app
        .active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    let intruder = f
        .app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    let asked = f
        .app
        .post_as(
            &intruder,
            &format!("/partner/customers/{}/assistance-request", f.customer),
            &[],
        )
        .await;
    assert_eq!(asked.status(), 404);
    assert!(
        f.app
            .drain_outbox()
            .await
            .iter()
            .all(|e| !e.subject.contains("asks for access"))
    );
    let (_, log) = page_of(&f.admin, &f.app, "/customer/activity").await;
    assert!(!log.contains("Asked for partner assistance"), "{log}");
    assert!(!f.partner.is_empty());
}
