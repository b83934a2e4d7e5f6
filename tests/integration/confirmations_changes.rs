//! The confirmation step (see `confirmations.rs`) for billing, the purchase
//! permission, people's access and removals: each first post is reviewed and
//! leaves everything as it was; Confirm does it.

use chrono::Duration;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::customers::BillingType;

use crate::customer_changes::owner_with_customer as contoso_with;
use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;

#[tokio::test]
async fn a_term_change_says_whether_it_applies_now_or_at_the_period_end() {
    let (app, partner, bare, owner) = contoso_with(CustomerSpec::named("Bare")).await;
    let details = format!("/partner/customers/{bare}");
    let before = app.footprint();
    let review = app
        .review_of(&owner, &format!("{details}/term"), &[("term", "annual")])
        .await;
    assert_eq!(review.fact("term-now"), "Monthly");
    assert_eq!(review.fact("term-new"), "Annual");
    assert_eq!(review.fact("effect"), "At once");
    assert!(review.page.contains(
        "The subscription term of Bare will change from Monthly to Annual at once, as no device is enrolled."
    ));
    assert_eq!(app.footprint(), before);
    // Back shows the details with the term chosen; the term itself is unchanged.
    assert_eq!(review.back, format!("{details}?term=annual#billing"));
    let (_, page) = page_of(&owner, &app, &review.back).await;
    assert!(page.contains(r#"<option value="annual" selected>"#));
    assert!(page.contains(r#"id="term">Monthly"#));
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    let (_, page) = page_of(&owner, &app, &details).await;
    assert!(page.contains(r#"id="term">Annual"#));

    // With devices enrolled, at the end of the period, in French too.
    let cameras = app.customer(
        &partner,
        &CustomerSpec {
            age_minutes: 60 * 24 * 10,
            ..CustomerSpec::named("Cameras")
        },
    );
    app.enrolled_devices(&cameras, 2);
    let started = app.clock_now().date() - Duration::days(10);
    let end = started + chrono::Months::new(1);
    app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let path = format!("/partner/customers/{cameras}/term");
    let review = app.review_of(&owner, &path, &[("term", "annual")]).await;
    let date = partnerdesk::i18n::format_date(end, partnerdesk::i18n::Lang::Fr);
    assert_eq!(review.fact("effect"), format!("Le {date}"));
    assert!(review.page.contains(&format!(
        "La durée de l’abonnement de Cameras passera de « Mensuelle » à « Annuelle » le {date}, à la fin de la période en cours, car des unités sont inscrites."
    )));
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    let (_, page) = page_of(&owner, &app, &format!("/partner/customers/{cameras}")).await;
    assert!(
        page.contains(r#"id="term">Mensuelle"#),
        "until the period ends"
    );
    // Choosing the term in force again calls the change off: reviewed too.
    let review = app.review_of(&owner, &path, &[("term", "monthly")]).await;
    assert!(review.page.contains(&format!(
        "Le passage à « Annuelle » prévu le {date} sera annulé"
    )));
    // And a term that changes nothing is not reviewed at all.
    let same = app
        .post_as(&owner, &format!("{details}/term"), &[("term", "annual")])
        .await;
    assert_eq!(same.status(), 303);
}

#[tokio::test]
async fn a_trial_is_converted_only_once_confirmed() {
    let (app, _, id, owner) = contoso_with(CustomerSpec {
        billing: BillingType::Trial,
        ..CustomerSpec::named("Adatum")
    })
    .await;
    let before = app.footprint();
    let path = format!("/partner/customers/{id}/billing/convert");
    let review = app.review_of(&owner, &path, &[]).await;
    assert!(review.fact("billing-now").starts_with("Trial"));
    assert_eq!(review.fact("billing-after"), "Monthly usage");
    assert!(
        review
            .page
            .contains("A converted customer cannot go back to a trial.")
    );
    assert_eq!(app.footprint(), before);
    let (_, page) = page_of(&owner, &app, &review.back).await;
    assert!(page.contains(r#"id="convert-trial""#), "still a trial");
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    let (_, page) = page_of(&owner, &app, &format!("/partner/customers/{id}")).await;
    assert!(!page.contains(r#"id="convert-trial""#));
    assert_eq!(app.footprint().0, before.0 + 1);
}

#[tokio::test]
async fn turning_the_purchase_permission_on_is_confirmed_and_turning_it_off_is_not() {
    let (app, partner, customer, owner) = contoso_with(CustomerSpec::named("Adatum")).await;
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let plan = app.ordered(&partner, &customer, &usage, None, PlacedBy::Partner);
    let admin = app.customer_administrator(&customer, "admin@adatum.example");
    app.subscription_owner(&plan, &admin);
    let path = format!("/partner/customers/{customer}/permissions");
    let before = app.footprint();
    let review = app
        .review_of(&owner, &path, &[("buy_reservations", "on")])
        .await;
    assert_eq!(review.fact("billed-to"), "Contoso");
    assert!(
        review
            .page
            .contains("billed to Contoso, without you being notified")
    );
    assert_eq!(review.field("buy_reservations"), Some("on"));
    assert_eq!(app.footprint(), before);
    let (_, page) = page_of(&owner, &app, &review.back).await;
    assert!(page.contains(r#"id="permission-state" data-on="false""#));
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    let (_, page) = page_of(&owner, &app, &format!("/partner/customers/{customer}")).await;
    assert!(page.contains(r#"data-on="true""#));
    // Off at once: it costs nothing.
    let off = app
        .post_as(&owner, &path, &[("buy_reservations", "off")])
        .await;
    assert_eq!(off.status(), 303);
    let (_, page) = page_of(&owner, &app, &format!("/partner/customers/{customer}")).await;
    assert!(page.contains(r#"data-on="false""#));
}

#[tokio::test]
async fn revoking_an_invitation_and_disabling_someone_are_confirmed_first() {
    let (app, partner, customer, owner) = contoso_with(CustomerSpec::named("Adatum")).await;
    // A partner's invitation.
    let rita = app.pending_staff(&partner, "rita@contoso.example");
    let before = app.footprint();
    let review = app
        .review_of(&owner, &format!("/partner/staff/{rita}/revoke"), &[])
        .await;
    assert_eq!(
        review.fact("person"),
        "Person rita@contoso.example (rita@contoso.example)"
    );
    assert!(review.page.contains("its link will stop working"));
    assert_eq!(app.footprint(), before);
    assert_eq!(review.back, format!("/partner/staff#member-{rita}"));
    let (_, staff) = page_of(&owner, &app, &review.back).await;
    assert!(
        staff.contains(&format!(r#"id="member-{rita}""#)),
        "still invited"
    );
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    let (_, staff) = page_of(&owner, &app, "/partner/staff").await;
    assert!(!staff.contains(&format!(r#"id="member-{rita}""#)));
    // A partner's member, whose session goes on until confirmed.
    let sam = app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let sam_browser = app.browser_signed_in("sam@contoso.example", PASSWORD).await;
    let review = app
        .review_of(&owner, &format!("/partner/staff/{sam}/disable"), &[])
        .await;
    assert!(
        review
            .page
            .contains("To give access back, you would have to invite them again.")
    );
    assert_eq!(page_of(&sam_browser, &app, "/partner").await.0, 200);
    assert_eq!(app.confirm(&owner, &review).await.status(), 303);
    assert_ne!(page_of(&sam_browser, &app, "/partner").await.0, 200);

    // The same in the customer's console.
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let ann = app.pending_customer_user(&customer, "ann@adatum.example");
    let before = app.footprint();
    let review = app
        .review_of(&admin, &format!("/customer/users/{ann}/revoke"), &[])
        .await;
    assert_eq!(review.fact("role"), "Customer user");
    assert_eq!(app.footprint(), before);
    assert_eq!(app.confirm(&admin, &review).await.status(), 303);
    let (_, users) = page_of(&admin, &app, "/customer/users").await;
    assert!(!users.contains(&format!(r#"id="user-{ann}""#)));
    let ulla = app.customer_member(&customer, "ulla@adatum.example", "user");
    let ulla_browser = app.browser_signed_in("ulla@adatum.example", PASSWORD).await;
    let review = app
        .review_of(&admin, &format!("/customer/users/{ulla}/disable"), &[])
        .await;
    assert_eq!(page_of(&ulla_browser, &app, "/customer").await.0, 200);
    assert_eq!(app.confirm(&admin, &review).await.status(), 303);
    assert_ne!(page_of(&ulla_browser, &app, "/customer").await.0, 200);
}

#[tokio::test]
async fn removals_are_reviewed_by_name_and_happen_only_once_confirmed() {
    let (app, partner, customer, owner) = contoso_with(CustomerSpec::named("Adatum")).await;
    let group = app.group_with(&partner, "Retail", &[&customer]);
    app.customer_administrator(&customer, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let monitor = app.monitor(&customer, "Checkout");
    let shop = app.monitor(&customer, "Shop");
    let dashboard = app.dashboard(&customer, "Storefront", &[&shop]);
    let sub_account = app.sub_account(&customer, "Fabrikam agency", Some(5));
    let alert = app.alert_definition(&customer, &sub_account, "Shop down", &shop);
    let (token, _) = app.customer_api_token(&customer);
    let otto = app.operator(&sub_account, "otto@fabrikam.example");
    let removals = [
        (
            &owner,
            format!("/partner/groups/{group}/delete"),
            "The group Retail will be deleted.",
        ),
        (
            &admin,
            format!("/customer/monitors/{monitor}/delete"),
            "The monitor Checkout will be deleted",
        ),
        (
            &admin,
            format!("/customer/dashboards/{dashboard}/delete"),
            "The dashboard Storefront will be deleted",
        ),
        (
            &admin,
            format!("/customer/alerts/{alert}/delete"),
            "The alert definition Shop down will be deleted",
        ),
        (
            &admin,
            format!("/customer/api-tokens/{token}/revoke"),
            "The API token fixture will stop working at once",
        ),
        (
            &admin,
            format!("/customer/sub-accounts/{sub_account}/operators/{otto}/remove"),
            "Person otto@fabrikam.example will lose access to the sub-account Fabrikam agency at once",
        ),
    ];
    for (browser, path, says) in removals {
        let before = app.footprint();
        let review = app.review_of(browser, &path, &[]).await;
        assert!(review.page.contains(says), "{path}: {}", review.page);
        assert!(
            review.page.contains(r#"id="confirm" class="danger""#),
            "{path}"
        );
        assert_eq!(app.footprint(), before, "{path}: nothing done yet");
        let (status, back) = page_of(browser, &app, &review.back).await;
        assert_eq!(status, 200, "{path}: Back to {}", review.back);
        assert!(!back.contains(r#"id="confirmation""#));
        assert_eq!(app.confirm(browser, &review).await.status(), 303, "{path}");
        assert_eq!(app.footprint().0, before.0 + 1, "{path}: done and logged");
        // Done for good: a second try finds nothing to remove.
        let again = app.post_as(browser, &path, &[]).await;
        assert_eq!(again.status(), 404, "{path}");
    }
}
