//! A change a person makes to their own login (its password, its second
//! factors): noted in the activity log of each of their organisations, and
//! emailed to the login's own address, so that a change they did not make does
//! not go unseen.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Actor};
use crate::db::DbConnection;
use crate::db::schema::logins;
use crate::email::Email;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::{Lang, Translator};

/// Records `action` as the login's own and queues the email `message` makes
/// from the person's language and name. Call inside the change's transaction.
pub fn record_and_tell<E: Email>(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    action: Action,
    message: impl FnOnce(Translator, String) -> E,
) -> Result<(), OutboxError> {
    let (email, full_name, language): (String, String, String) = logins::table
        .find(login_id)
        .select((logins::email, logins::full_name, logins::language))
        .first(conn)?;
    let actor = Actor {
        login_id: Some(login_id),
        name: &full_name,
        membership_id: None,
        on_behalf_of: None,
        api_token_id: None,
    };
    audit::record_for_login(conn, now, login_id, actor, action, &full_name)?;
    let tr = Lang::from_code(&language).unwrap_or_default().translator();
    outbox::enqueue(conn, now, &email, &message(tr, full_name))?;
    Ok(())
}
