//! Fixtures of the operator's area: instance operators and emails the
//! outbox gave up on.

use diesel::prelude::*;
use partnerdesk::db::schema::email_outbox;
use partnerdesk::email::outbox::OutboxState;
use partnerdesk::instance_log::OperatorActor;
use partnerdesk::operators::{self, LoginName};

use super::TestApp;
use super::people::known_login;

impl TestApp {
    /// An active login (the test password) made an instance operator by the
    /// command line's function; returns the login's id.
    pub fn instance_operator(&self, username: &str) -> String {
        let mut conn = self.conn();
        let now = self.clock_now();
        let login_id = known_login(&mut conn, now, username);
        operators::grant(
            &mut conn,
            now,
            OperatorActor::COMMAND_LINE,
            &LoginName::Username(username),
        )
        .expect("granted");
        login_id
    }

    /// An email to `recipient` that the mail server refused for good, with its
    /// reason; returns its id.
    pub fn failed_email(&self, recipient: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.clock_now();
        diesel::insert_into(email_outbox::table)
            .values((
                email_outbox::id.eq(&id),
                email_outbox::recipient.eq(recipient),
                email_outbox::subject.eq("A refused email"),
                email_outbox::text_body.eq("secret activation link"),
                email_outbox::html_body.eq("<p>secret activation link</p>"),
                email_outbox::state.eq(OutboxState::Failed),
                email_outbox::attempts.eq(1),
                email_outbox::next_attempt_at.eq(now),
                email_outbox::created_at.eq(now),
                email_outbox::last_error.eq(Some("550 mailbox unavailable")),
            ))
            .execute(&mut self.conn())
            .expect("a failed email");
        id
    }
}
