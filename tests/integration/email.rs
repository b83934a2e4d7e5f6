//! The outbox: emails written with the change that causes them, sent by the
//! worker over SMTP, retried through an outage, given up visibly, never twice.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::accounts::{DisplayName, EmailAddress, NewLogin, Username};
use partnerdesk::db::schema::email_outbox;
use partnerdesk::i18n::Lang;
use partnerdesk::organisations::{self, NewPartner};

use crate::helpers::{TestApp, TestClock, run_cli, spawn_app, spawn_app_frozen, spawn_app_on};
use crate::smtp::ReceivedEmail;

/// Longer than any wait between two attempts in the tests' settings.
const RETRY_MAX: chrono::Duration = chrono::Duration::seconds(1);

fn outbox_rows(app: &TestApp) -> Vec<(String, i32, Option<String>)> {
    email_outbox::table
        .select((
            email_outbox::state,
            email_outbox::attempts,
            email_outbox::last_error,
        ))
        .load(&mut app.conn())
        .expect("outbox rows")
}

fn new_partner(name: &str, owner: &str, language: Lang) -> NewPartner {
    NewPartner {
        name: DisplayName::parse(name).expect("name"),
        parent_id: None,
        owner: NewLogin {
            username: Username::parse(owner).expect("username"),
            email: EmailAddress::parse(owner).expect("email"),
            full_name: DisplayName::parse("Owen Owner").expect("full name"),
            language,
            time_zone: chrono_tz::Europe::Paris,
        },
        second_factor_required: true,
    }
}

#[tokio::test]
async fn the_operator_command_queues_the_owners_activation_email_which_is_delivered() {
    let app = spawn_app().await;
    let output = run_cli(
        &app,
        &[
            "create-partner",
            "--name",
            "Contoso Reseller",
            "--owner-username",
            "owner@contoso.example",
            "--owner-name",
            "Olga Owner",
            "--language",
            "fr",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let emails = app.drain_outbox().await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].to, ["owner@contoso.example"]);
    let email = &emails[0];
    assert!(
        email.subject.contains("Contoso Reseller"),
        "{}",
        email.subject
    );
    assert!(email.text.contains("Bonjour Olga Owner"), "{}", email.text);
    let links = email.links();
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(links[0].starts_with(&format!("{}/activate/", app.address)));
    // 256 bits, hex-encoded.
    assert_eq!(links[0].rsplit('/').next().map(str::len), Some(64));
    assert!(email.html.contains(&links[0]));
}

#[tokio::test]
async fn the_operator_command_explains_bad_input_and_writes_nothing() {
    let app = spawn_app().await;
    let output = run_cli(
        &app,
        &[
            "create-partner",
            "--name",
            "Contoso",
            "--owner-username",
            "not an email",
            "--owner-name",
            "Olga",
        ],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--owner-username"));
    assert!(outbox_rows(&app).is_empty());
}

#[tokio::test]
async fn an_email_queued_during_an_smtp_outage_is_delivered_once_it_is_back() {
    let mut app = spawn_app_frozen().await;
    app.mail.stop();
    organisations::create_with_owner(
        &mut app.conn(),
        &app.settings,
        app.clock_now(),
        &new_partner("Fabrikam", "owner@fabrikam.example", Lang::En),
    )
    .expect("partner created");

    for attempt in 1..=2 {
        assert!(app.drain_outbox().await.is_empty());
        let rows = outbox_rows(&app);
        assert_eq!(rows.len(), 1);
        let (state, attempts, error) = &rows[0];
        assert_eq!((state.as_str(), *attempts), ("pending", attempt));
        assert!(error.is_some());
        app.clock.advance(RETRY_MAX);
    }

    app.mail.resume();
    assert_eq!(app.drain_outbox().await.len(), 1);
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(app.drain_outbox().await.len(), 1, "delivered exactly once");
    let rows = outbox_rows(&app);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "sent");
}

#[tokio::test]
async fn an_email_that_cannot_be_sent_in_time_ends_dead_and_visible() {
    let mut app = spawn_app_on(TestClock::frozen(), |s| {
        s.outbox.give_up_after = Duration::from_millis(500)
    })
    .await;
    app.mail.stop();
    organisations::create_with_owner(
        &mut app.conn(),
        &app.settings,
        app.clock_now(),
        &new_partner("Tailspin", "owner@tailspin.example", Lang::En),
    )
    .expect("partner created");
    // Retries 200 ms and 400 ms apart: the third would come after the 500 ms.
    for _ in 0..2 {
        assert_eq!(outbox_rows(&app)[0].0, "pending");
        app.drain_outbox().await;
        app.clock.advance(RETRY_MAX);
    }
    let rows = outbox_rows(&app);
    assert_eq!((rows[0].0.as_str(), rows[0].1), ("dead", 2));
    app.mail.resume();
    app.clock.advance(chrono::Duration::hours(1));
    assert!(
        app.drain_outbox().await.is_empty(),
        "a dead email is not retried"
    );
    assert_eq!(outbox_rows(&app)[0].1, 2);
    assert!(outbox_rows(&app)[0].2.is_some(), "the last error is kept");
}

#[tokio::test]
async fn two_instances_on_one_database_never_send_the_same_email() {
    let app = spawn_app().await;
    // A second instance of the application on the same database and SMTP server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let second = partnerdesk::startup::Application::build_on(
        app.settings.clone(),
        listener,
        partnerdesk::clock::system(),
    )
    .expect("second instance");
    tokio::spawn(second.run_until_stopped());

    let mut conn = app.conn();
    for n in 0..12 {
        organisations::create_with_owner(
            &mut conn,
            &app.settings,
            app.clock_now(),
            &new_partner(
                &format!("Partner {n}"),
                &format!("owner{n}@example.com"),
                Lang::En,
            ),
        )
        .expect("partner created");
    }
    drop(conn);
    let emails = app.mail.wait_for(12, Duration::from_secs(15)).await;
    assert_eq!(emails.len(), 12);
    let mut recipients: Vec<String> = app
        .drain_outbox()
        .await
        .iter()
        .flat_map(|e| e.to.clone())
        .collect();
    recipients.sort();
    let before = recipients.len();
    recipients.dedup();
    assert_eq!(before, 12, "every email exactly once");
    assert_eq!(recipients.len(), 12);
    assert!(
        outbox_rows(&app)
            .iter()
            .all(|(state, _, _)| state == "sent")
    );
}

#[tokio::test]
async fn without_an_smtp_url_emails_are_written_to_the_mail_folder() {
    let app = spawn_app_on(TestClock::frozen(), |s| s.smtp_url = None).await;
    let mut conn = app.conn();
    organisations::create_with_owner(
        &mut conn,
        &app.settings,
        app.clock_now(),
        &new_partner("Wingtip", "owner@wingtip.example", Lang::Fr),
    )
    .expect("partner created");
    drop(conn);
    assert!(app.drain_outbox().await.is_empty());
    let written = std::fs::read_dir(app.settings.mail_dir())
        .expect("the mail folder")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .count();
    assert_eq!(written, 1);
}

/// Queues the owner's activation email of a new partner; returns its row id.
fn queue_activation(app: &TestApp, name: &str, owner: &str) -> String {
    queue_activation_on(&mut app.conn(), app, name, owner)
}

/// A mail server that accepts the connection and never says a word holds no
/// email back for good: each attempt ends at the send deadline and is retried;
/// a claim left `sending` by a dead instance is taken up again; once a server
/// answers, every email goes out once, with its row's stable Message-ID.
#[tokio::test]
async fn a_mail_server_that_never_answers_holds_no_email_back() {
    let app = spawn_app_on(TestClock::frozen(), |s| {
        s.outbox.send_deadline = Duration::from_millis(700)
    })
    .await;
    app.mail.fall_silent();
    let ids: Vec<String> = ["one", "two", "three"]
        .iter()
        .map(|n| queue_activation(&app, &format!("Partner {n}"), &format!("{n}@hung.example")))
        .collect();
    // Every email is tried, not just the first: a send that times out does
    // not stop the next email from being tried.
    assert!(app.drain_outbox().await.is_empty());
    let rows = outbox_rows(&app);
    assert_eq!(rows.len(), 3);
    for (state, attempts, error) in &rows {
        assert_eq!((state.as_str(), *attempts), ("pending", 1), "{rows:?}");
        assert!(
            error.as_deref().is_some_and(|e| e.contains("no answer")),
            "{rows:?}"
        );
    }

    // A row a dead instance left `sending`, its claim expired.
    let orphan = uuid::Uuid::new_v4().to_string();
    let long_ago = app.clock_now() - chrono::Duration::minutes(5);
    diesel::insert_into(email_outbox::table)
        .values((
            email_outbox::id.eq(&orphan),
            email_outbox::recipient.eq("orphan@hung.example"),
            email_outbox::subject.eq("Left behind"),
            email_outbox::text_body.eq("Sent by an instance that died."),
            email_outbox::html_body.eq("<p>Sent by an instance that died.</p>"),
            email_outbox::state.eq("sending"),
            email_outbox::attempts.eq(1),
            email_outbox::next_attempt_at.eq(long_ago),
            email_outbox::locked_until.eq(Some(long_ago + chrono::Duration::minutes(3))),
            email_outbox::created_at.eq(long_ago),
        ))
        .execute(&mut app.conn())
        .expect("an orphaned claim");

    app.mail.answer_again();
    app.clock.advance(RETRY_MAX);
    let emails = app.drain_outbox().await;
    assert_eq!(emails.len(), 4, "each email once: {emails:?}");
    for id in ids.iter().chain([&orphan]) {
        let expected = format!("<{id}@partnerdesk.localhost>");
        assert_eq!(
            emails.iter().filter(|e| e.message_id == expected).count(),
            1,
            "{expected} in {emails:?}"
        );
    }
    assert!(
        outbox_rows(&app)
            .iter()
            .all(|(state, _, _)| state == "sent")
    );
}

fn queue_activation_on(
    conn: &mut partnerdesk::db::DbConnection,
    app: &TestApp,
    name: &str,
    owner: &str,
) -> String {
    organisations::create_with_owner(
        conn,
        &app.settings,
        app.clock_now(),
        &new_partner(name, owner, Lang::En),
    )
    .expect("partner created");
    email_outbox::table
        .filter(email_outbox::recipient.eq(owner))
        .select(email_outbox::id)
        .first(conn)
        .expect("the queued email")
}

/// A recipient the server refuses with a 550 is marked failed at once, with
/// the reason, and never retried; the other emails go out. The inviter's list
/// says the invitation email bounced.
#[tokio::test]
async fn a_refused_recipient_fails_at_once_and_the_inviter_is_told() {
    let app = spawn_app_frozen().await;
    app.mail.refuse("gone@contoso.example");
    let (_, owner) = app.contoso_owner_signed_in(Lang::En).await;
    for (name, email) in [
        ("Gone Away", "gone@contoso.example"),
        ("Here Now", "here@contoso.example"),
    ] {
        let sent = app
            .post_as(
                &owner,
                "/partner/staff/invite",
                &[
                    ("full_name", name),
                    ("email", email),
                    ("username", ""),
                    ("role", "helpdesk_agent"),
                    ("language", "en"),
                ],
            )
            .await;
        assert_eq!(sent.status(), 303);
    }
    let delivered = app.drain_outbox().await;
    let to_here = |e: &&ReceivedEmail| e.to.iter().any(|t| t == "here@contoso.example");
    assert_eq!(delivered.iter().filter(to_here).count(), 1);
    let refused = || -> Vec<(String, i32, Option<String>)> {
        email_outbox::table
            .filter(email_outbox::recipient.eq("gone@contoso.example"))
            .select((
                email_outbox::state,
                email_outbox::attempts,
                email_outbox::last_error,
            ))
            .load(&mut app.conn())
            .expect("rows")
    };
    // Past any retry, within the owner's session.
    app.clock.advance(RETRY_MAX);
    app.drain_outbox().await;
    let rows = refused();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "failed");
    assert_eq!(rows[0].1, 1, "never retried");
    assert!(
        rows[0].2.as_deref().is_some_and(|e| e.contains("550")),
        "{rows:?}"
    );
    assert!(
        app.mail
            .received()
            .iter()
            .all(|e| !e.to.iter().any(|t| t == "gone@contoso.example"))
    );

    let list = owner
        .get(app.url("/partner/staff"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let row_of = |name: &str| {
        let start = list.find(name).expect("the person's row");
        list[start..start + list[start..].find("</tr>").expect("row end")].to_owned()
    };
    assert!(row_of("Gone Away").contains("the email could not be delivered"));
    assert!(!row_of("Here Now").contains("could not be delivered"));
}

/// Addresses the mailer cannot take are refused by the forms, next to the
/// field, in the reader's language.
#[tokio::test]
async fn the_forms_refuse_addresses_the_mailer_cannot_take() {
    let app = spawn_app().await;
    let (_, owner) = app.contoso_owner_signed_in(Lang::Fr).await;
    for address in ["user@[127.0.0.1]", "a.@x.example", ".a@x.example"] {
        let page = app
            .post_as(
                &owner,
                "/partner/staff/invite",
                &[
                    ("full_name", "Ada"),
                    ("email", address),
                    ("username", "ada-new"),
                    ("role", "helpdesk_agent"),
                    ("language", "en"),
                ],
            )
            .await;
        assert_eq!(page.status(), 200, "{address}");
        let body = page.text().await.expect("body");
        assert!(body.contains(r#"id="email-error""#), "{address}: {body}");
    }
    assert!(
        email_outbox::table
            .filter(email_outbox::recipient.like("%x.example"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .expect("count")
            == 0
    );
}
