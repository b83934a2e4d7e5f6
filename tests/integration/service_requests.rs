//! Service requests (E2) through the real server: opened by the customer's people
//! or by partner staff on the customer's behalf, messages and status changes
//! emailed to the other side in each recipient's language, filters, the matrix,
//! tenant isolation and form errors.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{logins, service_requests};
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

fn speaks_french(app: &TestApp, username: &str) {
    diesel::update(logins::table.filter(logins::username_key.eq(username)))
        .set(logins::language.eq("fr"))
        .execute(&mut app.conn())
        .expect("language");
}

fn request_ids(page: &str) -> Vec<String> {
    regex::Regex::new(r#"data-request="([^"]+)""#)
        .expect("regex")
        .captures_iter(page)
        .map(|c| c[1].to_owned())
        .collect()
}

fn requests_in_db(app: &TestApp) -> i64 {
    service_requests::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// The id at the end of a redirect to a request's page.
fn opened_id(response: &reqwest::Response) -> String {
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect");
    location.rsplit('/').next().expect("an id").to_owned()
}

struct Fixture {
    app: TestApp,
    adatum: String,
    bellows: String,
}

/// Contoso with one member per role (helpdesk reads French), customers Adatum
/// (an administrator reading French, and a user) and Bellows.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(&ours, &format!("{}@contoso.example", role.as_str()), role);
    }
    speaks_french(&app, "helpdesk_agent@contoso.example");
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    speaks_french(&app, "admin@adatum.example");
    app.customer_member(&adatum, "user@adatum.example", "user");
    app.customer_administrator(&bellows, "admin@bellows.example");
    Fixture {
        app,
        adatum,
        bellows,
    }
}

#[tokio::test]
async fn a_customers_request_and_its_messages_reach_the_other_side_in_their_language() {
    let Fixture { app, .. } = fixture().await;
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let opened = app
        .post_as(
            &user,
            "/customer/requests/new",
            &[
                ("title", "VPN down"),
                ("category", "technical"),
                ("description", "Since this morning\nnobody connects."),
            ],
        )
        .await;
    assert_eq!(opened.status(), 303);
    let id = opened_id(&opened);

    everyone_who_answers_requests_hears(&app, &id).await;

    // The helpdesk answers: the opener and the account's administrators hear.
    let helpdesk = app
        .browser_signed_in("helpdesk_agent@contoso.example", PASSWORD)
        .await;
    the_answer_reaches_the_opener_and_administrators(&app, &helpdesk, &id).await;

    // The partner waits for the customer; the customer's answer reopens it and
    // goes only to the staff who took part.
    let waiting = app
        .post_as(
            &helpdesk,
            &format!("/partner/requests/{id}/status"),
            &[("status", "waiting")],
        )
        .await;
    assert_eq!(waiting.status(), 303);
    assert_eq!(
        app.mail.wait_for_to("user@adatum.example", 2).await.len(),
        2
    );
    let (_, page) = page_of(&user, &app, &format!("/customer/requests/{id}")).await;
    assert!(page.contains(r#"data-status="waiting""#));
    let answered = app
        .post_as(
            &user,
            &format!("/customer/requests/{id}/messages"),
            &[("body", "Works again, thanks.")],
        )
        .await;
    assert_eq!(answered.status(), 303);
    assert_eq!(
        app.mail
            .wait_for_to("helpdesk_agent@contoso.example", 2)
            .await
            .len(),
        2
    );
    assert_eq!(
        app.emails_to("owner@contoso.example").await.len(),
        1,
        "staff who did not take part hear no more"
    );
    let (_, page) = page_of(&helpdesk, &app, &format!("/partner/requests/{id}")).await;
    assert!(page.contains(r#"data-status="open""#), "reopened");
    assert!(page.contains("Works again, thanks.") && page.contains("Restarting the gateway."));
}

/// No staff took part yet: everyone who answers requests hears, in their
/// language; sales does not, nor the author.
async fn everyone_who_answers_requests_hears(app: &TestApp, id: &str) {
    let french = app
        .mail
        .wait_for_to("helpdesk_agent@contoso.example", 1)
        .await;
    assert_eq!(french.len(), 1);
    assert!(
        french[0].subject.starts_with("Nouvelle demande de service"),
        "{}",
        french[0].subject
    );
    assert!(french[0].text.contains(&format!("/partner/requests/{id}")));
    let english = app.mail.wait_for_to("owner@contoso.example", 1).await;
    assert!(
        english[0]
            .subject
            .starts_with("New service request: VPN down")
    );
    assert_eq!(
        app.mail
            .wait_for_to("admin_agent@contoso.example", 1)
            .await
            .len(),
        1
    );
    assert!(
        app.drain_outbox().await.iter().all(|e| !e
            .to
            .iter()
            .any(|t| t.starts_with("sales_agent") || t.contains("adatum"))),
        "neither sales nor the author"
    );
}

/// The helpdesk answers: the opener and the account's administrators hear.
async fn the_answer_reaches_the_opener_and_administrators(
    app: &TestApp,
    helpdesk: &reqwest::Client,
    id: &str,
) {
    let replied = app
        .post_as(
            helpdesk,
            &format!("/partner/requests/{id}/messages"),
            &[("body", "Restarting the gateway.")],
        )
        .await;
    assert_eq!(replied.status(), 303);
    let to_admin = app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert!(
        to_admin[0].subject.starts_with("Nouveau message"),
        "{}",
        to_admin[0].subject
    );
    assert!(to_admin[0].text.contains("Restarting the gateway."));
    assert!(
        to_admin[0]
            .text
            .contains(&format!("/customer/requests/{id}"))
    );
    let to_user = app.mail.wait_for_to("user@adatum.example", 1).await;
    assert!(to_user[0].subject.starts_with("New message"));
}

#[tokio::test]
async fn staff_open_requests_on_behalf_of_customers_and_sales_agents_may_not() {
    let Fixture { app, adatum, .. } = fixture().await;
    let agent = app
        .browser_signed_in("admin_agent@contoso.example", PASSWORD)
        .await;
    let opened = app
        .post_as(
            &agent,
            &format!("/partner/customers/{adatum}/requests/new"),
            &[
                ("title", "Licence renewal"),
                ("category", "billing"),
                ("description", "Opened after our call."),
            ],
        )
        .await;
    assert_eq!(opened.status(), 303);
    let id = opened_id(&opened);
    let admin_mail = app.mail.wait_for_to("admin@adatum.example", 1).await;
    assert!(admin_mail[0].subject.contains("Licence renewal"));

    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, page) = page_of(&admin, &app, "/customer/requests").await;
    assert_eq!(request_ids(&page), [id.as_str()]);
    let (_, log) = page_of(&admin, &app, "/customer/activity").await;
    assert!(log.contains("Licence renewal"), "in the customer's own log");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, log) = page_of(&owner, &app, "/partner/activity").await;
    assert!(log.contains("Licence renewal"), "in the partner's log");

    let sales = app
        .browser_signed_in("sales_agent@contoso.example", PASSWORD)
        .await;
    for path in [
        "/partner/requests".to_owned(),
        format!("/partner/requests/{id}"),
        format!("/partner/customers/{adatum}/requests/new"),
    ] {
        let (status, _) = page_of(&sales, &app, &path).await;
        assert_eq!(status, 403, "{path}");
    }
    let refused = app
        .post_as(
            &sales,
            &format!("/partner/customers/{adatum}/requests/new"),
            &[
                ("title", "x"),
                ("category", "billing"),
                ("description", "x"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(requests_in_db(&app), 1);
}

#[tokio::test]
async fn lists_filter_by_status_and_customer_and_follow_the_customer_context() {
    let Fixture {
        app,
        adatum,
        bellows,
        ..
    } = fixture().await;
    let first = app.service_request(&adatum, "user@adatum.example", "First");
    let second = app.service_request(&bellows, "admin@bellows.example", "Second");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    app.post_as(
        &owner,
        &format!("/partner/requests/{second}/status"),
        &[("status", "waiting")],
    )
    .await;

    let (_, page) = page_of(&owner, &app, "/partner/requests").await;
    assert_eq!(request_ids(&page).len(), 2);
    let (_, page) = page_of(&owner, &app, "/partner/requests?status=waiting").await;
    assert_eq!(request_ids(&page), [second.as_str()]);
    let (_, page) = page_of(
        &owner,
        &app,
        &format!("/partner/requests?customer={adatum}"),
    )
    .await;
    assert_eq!(request_ids(&page), [first.as_str()]);
    let (_, page) = page_of(
        &owner,
        &app,
        &format!("/partner/customers/{bellows}/requests?status=open"),
    )
    .await;
    assert!(request_ids(&page).is_empty());

    // A chosen customer limits the partner-wide list until set aside.
    app.post_as(&owner, "/partner/context", &[("customer_id", &adatum)])
        .await;
    let (_, page) = page_of(&owner, &app, "/partner/requests").await;
    assert_eq!(request_ids(&page), [first.as_str()]);
    let (_, page) = page_of(&owner, &app, "/partner/requests?customer=all").await;
    assert_eq!(request_ids(&page).len(), 2);

    let admin = app
        .browser_signed_in("admin@bellows.example", PASSWORD)
        .await;
    let (_, page) = page_of(&admin, &app, "/customer/requests?status=waiting").await;
    assert_eq!(request_ids(&page), [second]);
    let (_, page) = page_of(&admin, &app, "/customer/requests?status=resolved").await;
    assert!(request_ids(&page).is_empty());
}

#[tokio::test]
async fn another_tenants_request_is_missing() {
    let Fixture {
        app,
        adatum,
        bellows,
    } = fixture().await;
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let foreign_customer = app.customer(&theirs, &CustomerSpec::named("Foreign"));
    app.customer_administrator(&foreign_customer, "admin@foreign.example");
    let foreign = app.service_request(&foreign_customer, "admin@foreign.example", "Theirs");
    let neighbour = app.service_request(&bellows, "admin@bellows.example", "Neighbour");

    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for path in [
        format!("/partner/requests/{foreign}"),
        "/partner/requests/no-such-request".to_owned(),
        format!("/partner/customers/{foreign_customer}/requests"),
        format!("/partner/requests?customer={foreign_customer}"),
    ] {
        let (status, _) = page_of(&owner, &app, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    for (path, form) in [
        (
            format!("/partner/requests/{foreign}/messages"),
            ("body", "Hello"),
        ),
        (
            format!("/partner/requests/{foreign}/status"),
            ("status", "resolved"),
        ),
        (
            format!("/partner/customers/{foreign_customer}/requests/new"),
            ("title", "x"),
        ),
    ] {
        let response = app.post_as(&owner, &path, &[form]).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    for id in [&neighbour, &foreign] {
        let (status, _) = page_of(&admin, &app, &format!("/customer/requests/{id}")).await;
        assert_eq!(status, 404);
        let response = app
            .post_as(
                &admin,
                &format!("/customer/requests/{id}/messages"),
                &[("body", "Hi")],
            )
            .await;
        assert_eq!(response.status(), 404);
    }
    let _ = adatum;
    let status: String = service_requests::table
        .find(&foreign)
        .select(service_requests::status)
        .first(&mut app.conn())
        .expect("status");
    assert_eq!(status, "open", "untouched");
}

#[tokio::test]
async fn form_errors_are_shown_in_the_readers_language_with_what_was_typed() {
    let Fixture { app, adatum, .. } = fixture().await;
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let response = app
        .post_as(
            &user,
            "/customer/requests/new",
            &[
                ("title", "  "),
                ("category", "bogus"),
                ("description", "Typed text kept"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("page");
    assert!(
        page.contains(r#"<p class="field-error" id="title-error">This field is required.</p>"#)
    );
    assert!(page.contains(r#"id="category-error">Choose a value from the list.</p>"#));
    assert!(
        page.contains(">Typed text kept</textarea>"),
        "the description is kept"
    );

    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let long = "Titre ".repeat(30);
    let response = app
        .post_as(
            &admin,
            "/customer/requests/new",
            &[
                ("title", long.as_str()),
                ("category", "billing"),
                ("description", ""),
            ],
        )
        .await;
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"id="title-error">Cette valeur est trop longue.</p>"#));
    assert!(page.contains(r#"id="description-error">Ce champ est obligatoire.</p>"#));
    assert!(
        page.contains(r#"<option value="billing" selected>"#),
        "the category is kept"
    );
    assert!(page.contains(long.trim_end()), "the title is kept");
    assert_eq!(requests_in_db(&app), 0, "nothing half-saved");

    let id = app.service_request(&adatum, "user@adatum.example", "Open one");
    let response = app
        .post_as(
            &admin,
            &format!("/customer/requests/{id}/messages"),
            &[("body", " ")],
        )
        .await;
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"id="body-error">Ce champ est obligatoire.</p>"#));
    let helpdesk = app
        .browser_signed_in("helpdesk_agent@contoso.example", PASSWORD)
        .await;
    let too_long = "x".repeat(4001);
    let response = app
        .post_as(
            &helpdesk,
            &format!("/partner/requests/{id}/messages"),
            &[("body", &too_long)],
        )
        .await;
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"id="body-error">Cette valeur est trop longue.</p>"#));
    assert!(page.contains(&too_long), "the message is kept");
}
