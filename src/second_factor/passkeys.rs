//! Passkeys (WebAuthn, through `webauthn-rs`): a second factor of kind
//! `passkey`, and a way to sign in without a password. The relying party is the
//! configured public address (`Settings::base_url`), never the Host header: its
//! host is the relying party id and its origin the only origin accepted.
//!
//! A passkey is a row of `second_factors` holding the serialized credential
//! (public key, signature counter) and its id, by which a sign-in finds it. The
//! ceremony state (the challenge) stays in the server-side session; see
//! `passkey_routes`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use webauthn_rs::prelude::{AuthenticationResult, Passkey, Url, Uuid};
use webauthn_rs::{Webauthn, WebauthnBuilder};

use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::second_factors;

pub const KIND: super::FactorKind = super::FactorKind::Passkey;
const RP_NAME: &str = "Partnerdesk";

/// The relying party of the configured public address. None when that address
/// is not a domain name (an IP address): browsers refuse passkeys there, so the
/// portal does not offer them.
pub fn relying_party(settings: &Settings) -> anyhow::Result<Option<Webauthn>> {
    let Some(domain) = settings.base_url.domain() else {
        return Ok(None);
    };
    let origin = Url::parse(&settings.base_url.origin().ascii_serialization())?;
    let webauthn = WebauthnBuilder::new(domain, &origin)?
        .rp_name(RP_NAME)
        .build()?;
    Ok(Some(webauthn))
}

/// The user handle a login's passkeys carry: its id, which is a UUID.
pub fn user_handle(login_id: &str) -> Option<Uuid> {
    Uuid::parse_str(login_id).ok()
}

/// How a credential id is kept and looked up: base64url without padding.
pub fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// A stored passkey.
pub struct Stored {
    pub factor_id: String,
    pub login_id: String,
    pub passkey: Passkey,
}

type Row = (String, String, Option<String>);

fn stored(row: Row) -> Option<Stored> {
    let (factor_id, login_id, credential) = row;
    let passkey = serde_json::from_str(credential.as_deref()?)
        .inspect_err(|error| tracing::error!(%error, "a stored passkey does not read back"))
        .ok()?;
    Some(Stored {
        factor_id,
        login_id,
        passkey,
    })
}

pub fn passkeys_of(conn: &mut DbConnection, login_id: &str) -> QueryResult<Vec<Stored>> {
    let rows: Vec<Row> = second_factors::table
        .filter(second_factors::login_id.eq(login_id))
        .filter(second_factors::kind.eq(KIND))
        .order(second_factors::created_at.asc())
        .select((
            second_factors::id,
            second_factors::login_id,
            second_factors::credential,
        ))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(stored).collect())
}

pub fn has_passkey(conn: &mut DbConnection, login_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        second_factors::table
            .filter(second_factors::login_id.eq(login_id))
            .filter(second_factors::kind.eq(KIND)),
    ))
    .get_result(conn)
}

/// The passkey with this credential id, whoever's it is.
pub fn find(conn: &mut DbConnection, credential_id: &[u8]) -> QueryResult<Option<Stored>> {
    let row: Option<Row> = second_factors::table
        .filter(second_factors::credential_id.eq(credential_key(credential_id)))
        .filter(second_factors::kind.eq(KIND))
        .select((
            second_factors::id,
            second_factors::login_id,
            second_factors::credential,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(stored))
}

/// Whether a credential id is already registered, to anyone.
pub fn is_registered(conn: &mut DbConnection, credential_id: &[u8]) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(second_factors::table.filter(
        second_factors::credential_id.eq(credential_key(credential_id)),
    )))
    .get_result(conn)
}

pub fn add(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    label: &str,
    passkey: &Passkey,
) -> Result<String, diesel::result::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let credential = serde_json::to_string(passkey)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(second_factors::table)
        .values((
            second_factors::id.eq(&id),
            second_factors::login_id.eq(login_id),
            second_factors::kind.eq(KIND),
            second_factors::label.eq(label),
            second_factors::credential.eq(Some(credential)),
            second_factors::credential_id.eq(Some(credential_key(passkey.cred_id().as_ref()))),
            second_factors::created_at.eq(now),
            second_factors::last_used_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Notes a use of the passkey, and keeps its new signature counter (and
/// backup state) when the assertion changed them.
pub fn used(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    mut stored: Stored,
    result: &AuthenticationResult,
) -> QueryResult<()> {
    let target = second_factors::table.filter(second_factors::id.eq(&stored.factor_id));
    if stored.passkey.update_credential(result) == Some(true) {
        let credential = serde_json::to_string(&stored.passkey)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        diesel::update(target)
            .set((
                second_factors::credential.eq(Some(credential)),
                second_factors::last_used_at.eq(Some(now)),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set(second_factors::last_used_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(())
}
