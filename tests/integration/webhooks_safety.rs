//! What webhooks must never do: emit for a change that was rolled back, or
//! reach an address the operator did not allow (checked again at delivery,
//! whatever the endpoint's row says).

use partnerdesk::db;
use partnerdesk::ids::PartnerId;
use partnerdesk::webhooks::{self, Event, EventType};

use crate::helpers::spawn_app_with;
use crate::webhooks::{create_customer, partner};
use crate::webhooks_helpers::Receiver;

#[tokio::test]
async fn a_rolled_back_change_emits_nothing() {
    let app = spawn_app_with(|_| {}).await;
    let receiver = Receiver::start(&[]).await;
    let (partner_id, owner, _) = partner(&app, "Contoso", "contoso.example");
    let (endpoint, _) = app.webhook_endpoint(&owner, &receiver.url(), EventType::ALL);
    let partner_id = PartnerId::new(partner_id);
    let event = Event::customer(EventType::CustomerCreated, "c-1", "Fabrikam");
    let now = app.clock_now();
    let rolled_back: Result<(), diesel::result::Error> =
        db::write_transaction(&mut app.conn(), |conn| {
            assert_eq!(webhooks::emit(conn, now, &partner_id, &event)?, 1);
            Err(diesel::result::Error::RollbackTransaction)
        });
    assert!(rolled_back.is_err());
    app.drain_webhooks().await;
    assert!(app.deliveries_of(&endpoint).is_empty());
    assert!(receiver.received().is_empty());

    db::write_transaction(&mut app.conn(), |conn| {
        webhooks::emit(conn, now, &partner_id, &event).map(|_| ())
    })
    .expect("committed");
    app.drain_webhooks().await;
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn loopback_and_private_addresses_are_refused_at_delivery() {
    let app = spawn_app_with(|settings| settings.webhooks.allow_http_loopback = false).await;
    let receiver = Receiver::start(&[]).await;
    let (_, owner, token) = partner(&app, "Contoso", "contoso.example");
    let events = [EventType::CustomerCreated];
    // Rows written past the page's check, as an older version or an operator
    // might have left them: the worker checks again.
    let (plain, _) = app.webhook_endpoint(&owner, &receiver.url(), &events);
    let named = format!("https://localhost:{}/hooks", receiver.port);
    let (by_name, _) = app.webhook_endpoint(&owner, &named, &events);
    let (metadata, _) =
        app.webhook_endpoint(&owner, "https://169.254.169.254/latest/meta-data", &events);
    let (private, _) = app.webhook_endpoint(&owner, "https://10.0.0.1/hooks", &events);
    create_customer(&app, &token, "Fabrikam").await;
    app.drain_webhooks().await;

    assert!(
        receiver.received().is_empty(),
        "nothing reached the receiver"
    );
    for endpoint in [plain, by_name, metadata, private] {
        let (state, attempts, status, error) = app.deliveries_of(&endpoint).remove(0);
        assert_eq!((state.as_str(), attempts, status), ("pending", 1, None));
        let error = error.expect("an error");
        assert!(error.starts_with("refused: "), "{endpoint}: {error}");
    }
}

#[tokio::test]
async fn urls_are_checked_before_they_are_saved() {
    use webhooks::address::{UrlProblem, check};
    assert_eq!(
        check("http://127.0.0.1:9/hooks", false).await,
        Err(UrlProblem::NotHttps)
    );
    assert_eq!(
        check("https://127.0.0.1:9/hooks", false).await,
        Err(UrlProblem::NotPublic)
    );
    assert_eq!(
        check("https://localhost/hooks", false).await,
        Err(UrlProblem::NotPublic)
    );
    assert_eq!(
        check("https://[fd00:ec2::254]/", false).await,
        Err(UrlProblem::NotPublic)
    );
    assert!(check("http://127.0.0.1:9/hooks", true).await.is_ok());
    assert_eq!(
        check("http://192.168.1.10/hooks", true).await,
        Err(UrlProblem::NotPublic)
    );
}
