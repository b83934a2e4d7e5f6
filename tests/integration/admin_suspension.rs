//! Suspending a partner organisation from the operator's area: a reason is
//! required and confirmed; the staff see only the page saying why, in their
//! language; its API tokens are refused; its customers' consoles go on; both
//! logs record it; its webhooks wait; reinstating gives everything back.

use partnerdesk::access::{PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;
use partnerdesk::webhooks::EventType;

use crate::admin::operator_signed_in;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, spawn_app};
use crate::partner_api_helpers::CUSTOMERS;
use crate::webhooks_helpers::{Receiver, assistance_turned_off_and_on};

const REASON: &str = "Unpaid invoices since March.\nCall us on 01 23 45 67 89.";

/// Contoso with an owner and an admin agent, a customer with its
/// administrator, and a partner API token: (partner, customer, token).
fn contoso(app: &TestApp) -> (String, String, String) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(&partner, "agent@contoso.example", PartnerRole::AdminAgent);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let (_, token) = app.partner_api_token(&owner, &TokenScope::ALL, None);
    (partner, customer, token)
}

#[tokio::test]
async fn a_suspended_partners_staff_see_only_the_reason_and_its_customers_go_on() {
    let app = spawn_app().await;
    let (partner, _, token) = contoso(&app);
    let root = operator_signed_in(&app).await;
    let path = format!("/admin/partners/{partner}/suspend");

    // A reason is required; nothing changes without it.
    let empty = app.post_as(&root, &path, &[("reason", "  ")]).await;
    let page = empty.text().await.expect("page");
    assert!(page.contains("id=\"reason-error\""), "{page}");
    let too_long = "x".repeat(1001);
    let long = app.post_as(&root, &path, &[("reason", &too_long)]).await;
    let page = long.text().await.expect("page");
    assert!(page.contains("id=\"reason-error\"") && page.contains(&too_long));
    // The review changes nothing either.
    let review = app.post_as(&root, &path, &[("reason", REASON)]).await;
    let page = review.text().await.expect("page");
    assert!(page.contains("Suspend this organisation?") && page.contains("Unpaid invoices"));
    assert_eq!(app.api_get(&token, CUSTOMERS).await.status(), 200);

    let done = app
        .post_as(&root, &path, &[("reason", REASON), ("confirmed", "yes")])
        .await;
    assert_eq!(done.status(), 303);
    let list = app.page_as(&root, "/admin").await;
    assert!(list.contains("data-suspended=\"true\""), "{list}");

    // The staff, signing in or already in, in English and in French.
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for path in ["/partner", "/partner/customers", "/partner/staff"] {
        let sent = owner.get(app.url(path)).send().await.expect("GET");
        assert_eq!(sent.status(), 303, "{path}");
        assert_eq!(location(&sent), "/suspended");
    }
    let page = app.page_as(&owner, "/suspended").await;
    assert!(
        page.contains("Organisation suspended") && page.contains("Contoso"),
        "{page}"
    );
    assert!(page.contains("Unpaid invoices since March.\nCall us on 01 23 45 67 89."));
    let agent = app
        .browser_signed_in("agent@contoso.example", PASSWORD)
        .await;
    app.post_as(&agent, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let page = app.page_as(&agent, "/suspended").await;
    assert!(
        page.contains("Organisation suspendue") && page.contains("Motif"),
        "{page}"
    );
    let posted = app
        .post_as(&agent, "/partner/customers/new", &[("step", "1")])
        .await;
    assert_eq!(location(&posted), "/suspended", "changes are refused too");

    // The API token: refused, saying why.
    let refused = app.api_get(&token, CUSTOMERS).await;
    assert_eq!(refused.status(), 403);
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(body["reason"], "organisation_suspended");

    // The customers did nothing wrong.
    let customer = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let console = customer
        .get(app.url("/customer"))
        .send()
        .await
        .expect("GET");
    assert_eq!(console.status(), 200);

    // Both logs.
    let log = app.page_as(&root, "/admin/activity").await;
    assert!(log.contains("data-action=\"partner_suspended\"") && log.contains("Unpaid invoices"));
    assert_eq!(logged(&app, &partner, "partner_suspended"), 1);
}

#[tokio::test]
async fn reinstating_gives_the_staff_and_tokens_back() {
    let app = spawn_app().await;
    let (partner, _, token) = contoso(&app);
    let root = operator_signed_in(&app).await;
    let suspend = format!("/admin/partners/{partner}/suspend");
    app.post_as(&root, &suspend, &[("reason", REASON), ("confirmed", "yes")])
        .await;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    assert_eq!(
        owner
            .get(app.url("/partner"))
            .send()
            .await
            .expect("GET")
            .status(),
        303
    );

    let reinstate = format!("/admin/partners/{partner}/reinstate");
    let review = app.post_as(&root, &reinstate, &[]).await;
    assert!(
        review
            .text()
            .await
            .expect("page")
            .contains("Reinstate this organisation?")
    );
    assert_eq!(
        owner
            .get(app.url("/partner"))
            .send()
            .await
            .expect("GET")
            .status(),
        303
    );
    let done = app
        .post_as(&root, &reinstate, &[("confirmed", "yes")])
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        owner
            .get(app.url("/partner"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );
    // The page of a suspension is gone with it.
    let gone = owner.get(app.url("/suspended")).send().await.expect("GET");
    assert_eq!(location(&gone), "/partner");
    assert_eq!(app.api_get(&token, CUSTOMERS).await.status(), 200);
    assert_eq!(logged(&app, &partner, "partner_reinstated"), 1);
    // A missing organisation answers 404.
    let missing = app
        .post_as(
            &root,
            "/admin/partners/nope/suspend",
            &[("reason", "x"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(missing.status(), 404);
}

/// The entries of `action` in the organisation's own activity log.
fn logged(app: &TestApp, partner: &str, action: &str) -> i64 {
    use diesel::prelude::*;
    use partnerdesk::db::schema::activity_log;
    activity_log::table
        .filter(activity_log::partner_id.eq(partner))
        .filter(activity_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn suspending_ends_an_open_customer_session_of_the_staff() {
    let app = spawn_app().await;
    let (partner, customer, _) = contoso(&app);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let open = format!("/partner/customers/{customer}/open");
    let opened = app
        .post_as(&owner, &open, &[("reason", "Setting up sites")])
        .await;
    assert_eq!(opened.status(), 303);
    assert_eq!(
        crate::admin::status_of(&app, &owner, "/customer").await,
        200
    );

    let root = operator_signed_in(&app).await;
    let suspend = format!("/admin/partners/{partner}/suspend");
    app.post_as(&root, &suspend, &[("reason", REASON), ("confirmed", "yes")])
        .await;
    let ended = owner.get(app.url("/customer")).send().await.expect("GET");
    assert_eq!(ended.status(), 303);
    assert!(location(&ended).starts_with(&open), "{}", location(&ended));
    let sent = owner
        .get(app.url(&location(&ended)))
        .send()
        .await
        .expect("GET");
    assert_eq!(location(&sent), "/suspended");
}

/// Like its staff and its tokens, a suspended partner's webhook receivers get
/// nothing of its customers: an event from the suspension waits, untried,
/// and arrives once the partner is reinstated.
#[tokio::test]
async fn a_suspended_partners_webhooks_wait_until_it_is_reinstated() {
    let app = spawn_app().await;
    let (partner, _, _) = contoso(&app);
    let hooks_owner = app.active_member(&partner, "hooks@contoso.example", PartnerRole::Owner);
    let receiver = Receiver::start(&[]).await;
    let events = [EventType::AssistanceEnabled, EventType::AssistanceDisabled];
    let (endpoint, _) = app.webhook_endpoint(&hooks_owner, &receiver.url(), &events);
    let root = operator_signed_in(&app).await;
    let suspend = format!("/admin/partners/{partner}/suspend");
    let suspended = app
        .post_as(&root, &suspend, &[("reason", REASON), ("confirmed", "yes")])
        .await;
    assert_eq!(suspended.status(), 303);

    // Off then on: whatever the customer's default, one change at least.
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    assistance_turned_off_and_on(&app, &admin).await;
    assert_eq!(app.deliver_webhooks_once().await, 0);
    assert!(receiver.received().is_empty(), "sent while suspended");
    let waiting = app.deliveries_of(&endpoint);
    assert!(!waiting.is_empty());
    for delivery in &waiting {
        assert_eq!(delivery, &("pending".to_owned(), 0, None, None));
    }

    let reinstate = format!("/admin/partners/{partner}/reinstate");
    let reinstated = app
        .post_as(&root, &reinstate, &[("confirmed", "yes")])
        .await;
    assert_eq!(reinstated.status(), 303);
    app.drain_webhooks().await;
    let received = receiver.received();
    assert_eq!(received.len(), waiting.len(), "{received:?}");
    assert_eq!(
        received.last().map(|r| r.header("partnerdesk-event")),
        Some("assistance.enabled")
    );
    for (state, ..) in app.deliveries_of(&endpoint) {
        assert_eq!(state, "delivered");
    }
}
