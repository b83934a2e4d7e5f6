//! The pages about one customer: its contact card and details, its tabs, and the
//! chosen customer that scopes the partner's pages until cleared.

use crate::customers::{fixture, listed_ids, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

#[tokio::test]
async fn the_contact_card_and_details_show_the_customer() {
    let f = fixture().await;
    let app = &f.app;
    let helpdesk_id =
        app.active_member(&f.ours, "help@contoso.example", PartnerRole::HelpdeskAgent);
    assert!(!helpdesk_id.is_empty());
    let helpdesk = app
        .browser_signed_in("help@contoso.example", PASSWORD)
        .await;
    let (_, list) = page_of(&helpdesk, app, "/partner/customers?q=northwind").await;
    let id = listed_ids(&list).remove(0);
    let (status, card) = page_of(&helpdesk, app, &format!("/partner/customers/{id}/contact")).await;
    assert_eq!(status, 200);
    assert!(card.contains(r#"id="contact-card""#));
    assert!(card.contains("Contact of Northwind Traders"));
    assert!(card.contains("contact@northwind-traders.example"));
    let (status, details) = page_of(&helpdesk, app, &format!("/partner/customers/{id}")).await;
    assert_eq!(status, 200);
    for expected in [
        "Retail",
        "Endpoint Protection",
        "REF-1",
        "eu-central",
        "Europe/Paris",
        "75002",
    ] {
        assert!(details.contains(expected), "details show {expected}");
    }
    // A helpdesk agent sees but cannot rename, regroup or dissociate.
    assert!(!details.contains(r#"id="save-name""#));
    assert!(!details.contains(r#"id="dissociate""#));
    let refused = app
        .post_as(
            &helpdesk,
            &format!("/partner/customers/{id}/rename"),
            &[("name", "X")],
        )
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn a_chosen_customer_scopes_the_partner_pages_until_cleared() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let other = app.customer(&ours, &CustomerSpec::named("Other"));
    let foreign = app.customer(&theirs, &CustomerSpec::named("Foreign"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for (id, name) in [(&adatum, "Adatum Corp"), (&other, "Other Corp")] {
        let renamed = app
            .post_as(
                &owner,
                &format!("/partner/customers/{id}/rename"),
                &[("name", name)],
            )
            .await;
        assert_eq!(renamed.status(), 303);
    }
    let refused = app
        .post_as(&owner, "/partner/context", &[("customer_id", &foreign)])
        .await;
    assert_eq!(
        refused.status(),
        404,
        "another partner's customer cannot be chosen"
    );
    let chosen = app
        .post_as(&owner, "/partner/context", &[("customer_id", &adatum)])
        .await;
    assert_eq!(chosen.status(), 303);

    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert!(
        list.contains(r#"id="customer-context""#) && list.contains("<strong>Adatum Corp</strong>"),
        "the header names the customer on every partner page"
    );
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=customer_renamed").await;
    assert!(log.contains("Adatum → Adatum Corp"));
    assert!(
        !log.contains("Other → Other Corp"),
        "only the chosen customer's entries"
    );
    assert!(log.contains(r#"id="activity-context""#));
    let (status, users) =
        page_of(&owner, &app, &format!("/partner/customers/{adatum}/users")).await;
    assert_eq!(status, 200);
    assert!(users.contains(r#"data-username="admin@adatum.example""#));
    assert_eq!(
        page_of(&owner, &app, &format!("/partner/customers/{foreign}/users"))
            .await
            .0,
        404
    );

    let cleared = app.post_as(&owner, "/partner/context/clear", &[]).await;
    assert_eq!(cleared.status(), 303);
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=customer_renamed").await;
    assert!(log.contains("Other → Other Corp") && log.contains("Adatum → Adatum Corp"));
    assert!(!log.contains(r#"id="customer-context""#));

    // A customer that leaves the partner leaves the context too.
    app.post_as(&owner, "/partner/context", &[("customer_id", &adatum)])
        .await;
    let dissociated = app
        .post_as(
            &owner,
            &format!("/partner/customers/{adatum}/dissociate"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(dissociated.status(), 303);
    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert!(!list.contains(r#"id="customer-context""#));
}

/// Every page about one customer carries the same tabs to the others: users,
/// service requests and health included.
#[tokio::test]
async fn the_pages_about_one_customer_share_its_tabs() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for page in [
        "users",
        "requests",
        "health",
        "orders",
        "subscriptions",
        "reservations",
    ] {
        let (status, body) = page_of(
            &owner,
            &app,
            &format!("/partner/customers/{customer}/{page}"),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        for tab in ["users", "orders", "health", "requests"] {
            assert!(
                body.contains(&format!(r#"href="/partner/customers/{customer}/{tab}""#)),
                "{page} lacks the {tab} tab"
            );
        }
    }
}
