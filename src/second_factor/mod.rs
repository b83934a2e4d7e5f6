//! Second factors: authenticator apps (TOTP, RFC 6238), passkeys
//! (WebAuthn, `passkeys`) and single-use recovery codes. A login with a second
//! factor presents it at every sign-in, and again (step-up) for the actions that hand out access, when the last one
//! is more than `STEP_UP_MINUTES` old. An organisation or account may require
//! one of its people; see `policy`.

pub mod challenge;
pub mod pages;
pub mod passkey_routes;
pub mod passkeys;
pub mod policy;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use rand::rngs::OsRng;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::auth::tokens::digest;
use crate::db::DbConnection;
use crate::db::schema::{recovery_codes, second_factors};

/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
const TOTP_DIGITS: usize = 6;
const TOTP_STEP_SECONDS: u64 = 30;
/// One step either side, for clocks a little apart.
const TOTP_SKEW_STEPS: i64 = 1;
const ISSUER: &str = "Partnerdesk";

/// A new TOTP secret: 160 random bits, base32 as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The TOTP of a base32 secret, labelled with the login's username.
fn totp(secret: &str, username: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // The label may not hold a colon (it separates issuer and account).
    let account = username.replace(':', "_");
    TOTP::new(
        Algorithm::SHA1,
        TOTP_DIGITS,
        0,
        TOTP_STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn provisioning_uri(secret: &str, username: &str) -> Option<String> {
    totp(secret, username).map(|t| t.get_url())
}

/// The QR code of the provisioning address, as an SVG element drawn on the
/// server (no script, no image from elsewhere).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The renderer starts with an XML declaration, which has no place inside
    // an HTML page.
    Some(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// The time step a Unix time falls in.
fn step_of(now: NaiveDateTime) -> i64 {
    now.and_utc().timestamp() / TOTP_STEP_SECONDS as i64
}

/// The step in which `code` is right for `secret`, near `now`.
pub fn matching_step(secret: &str, username: &str, code: &str, now: NaiveDateTime) -> Option<i64> {
    let totp = totp(secret, username)?;
    let code = normalise(code);
    if code.len() != TOTP_DIGITS {
        return None;
    }
    let current = step_of(now);
    (current - TOTP_SKEW_STEPS..=current + TOTP_SKEW_STEPS)
        .filter(|step| *step >= 0)
        .find(|step| {
            let time = u64::try_from(*step).unwrap_or(0) * TOTP_STEP_SECONDS;
            crate::auth::tokens::same_secret(&totp.generate(time), &code)
        })
}

/// A typed code without the spaces and dashes people add, in capitals.
fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// One of a login's second factors, as its security page lists it.
pub struct Factor {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

crate::db::codes::stored_code!(
    /// A second factor: an authenticator app's codes, or a passkey.
    FactorKind {
        Totp => "totp",
        Passkey => "passkey",
    }
);

pub fn factors_of(conn: &mut DbConnection, login_id: &str) -> QueryResult<Vec<Factor>> {
    let rows: Vec<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> =
        second_factors::table
            .filter(second_factors::login_id.eq(login_id))
            .order((second_factors::created_at.asc(), second_factors::id.asc()))
            .select((
                second_factors::id,
                second_factors::kind,
                second_factors::label,
                second_factors::created_at,
                second_factors::last_used_at,
            ))
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, label, created_at, last_used_at)| Factor {
            id,
            kind,
            label,
            created_at,
            last_used_at,
        })
        .collect())
}

pub fn has_factor(conn: &mut DbConnection, login_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        second_factors::table.filter(second_factors::login_id.eq(login_id)),
    ))
    .get_result(conn)
}

/// Adds an authenticator whose first code was right at `step` (that code is
/// then used up).
pub fn add_totp(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    label: &str,
    secret: &str,
    step: i64,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(second_factors::table)
        .values((
            second_factors::id.eq(&id),
            second_factors::login_id.eq(login_id),
            second_factors::kind.eq(FactorKind::Totp),
            second_factors::label.eq(label),
            second_factors::secret.eq(Some(secret)),
            second_factors::last_used_step.eq(Some(step)),
            second_factors::created_at.eq(now),
            second_factors::last_used_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Removes one of the login's factors; answers its kind, or None when it is
/// not theirs. With the last factor go the recovery codes, which stand in for a
/// factor.
pub fn remove(
    conn: &mut DbConnection,
    login_id: &str,
    factor_id: &str,
) -> QueryResult<Option<String>> {
    let theirs = || {
        second_factors::table
            .filter(second_factors::id.eq(factor_id))
            .filter(second_factors::login_id.eq(login_id))
    };
    let Some(kind) = theirs()
        .select(second_factors::kind)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let removed = diesel::delete(theirs()).execute(conn)?;
    if removed == 1 && !has_factor(conn, login_id)? {
        diesel::delete(recovery_codes::table.filter(recovery_codes::login_id.eq(login_id)))
            .execute(conn)?;
    }
    Ok((removed == 1).then_some(kind))
}

/// Removes every factor and recovery code of a login (a reset by the person's
/// organisation, when they lost their device and their codes).
pub fn remove_all(conn: &mut DbConnection, login_id: &str) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::login_id.eq(login_id)))
        .execute(conn)?;
    diesel::delete(second_factors::table.filter(second_factors::login_id.eq(login_id)))
        .execute(conn)
}

/// Ten new recovery codes, replacing the old ones; only their SHA-256 is kept,
/// so they are shown once.
pub fn issue_recovery_codes(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
) -> QueryResult<Vec<String>> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::login_id.eq(login_id)))
        .execute(conn)?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for code in &codes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::code_hash.eq(digest(&normalise(code))),
                recovery_codes::login_id.eq(login_id),
                recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(codes)
}

/// Ten characters from an alphabet without look-alikes (about 50 bits), shown
/// as two groups of five.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

pub fn recovery_codes_left(conn: &mut DbConnection, login_id: &str) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::login_id.eq(login_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// What proved the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Authenticator,
    RecoveryCode,
    Passkey,
}

/// Checks a code typed at a challenge: a code of one of the login's
/// authenticators, each time step once (the step is claimed by a conditional
/// update, so two requests with one code cannot both pass), or an unused
/// recovery code, which is then used up. Call inside a write transaction.
pub fn verify(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    username: &str,
    typed: &str,
) -> QueryResult<Option<Proof>> {
    let authenticators: Vec<(String, Option<String>, Option<i64>)> = second_factors::table
        .filter(second_factors::login_id.eq(login_id))
        .filter(second_factors::kind.eq(FactorKind::Totp))
        .select((
            second_factors::id,
            second_factors::secret,
            second_factors::last_used_step,
        ))
        .load(conn)?;
    for (id, secret, last_step) in authenticators {
        let Some(step) = secret.and_then(|s| matching_step(&s, username, typed, now)) else {
            continue;
        };
        if last_step.is_some_and(|last| step <= last) {
            continue;
        }
        let claimed = diesel::update(
            second_factors::table
                .filter(second_factors::id.eq(&id))
                .filter(
                    second_factors::last_used_step
                        .is_null()
                        .or(second_factors::last_used_step.lt(step)),
                ),
        )
        .set((
            second_factors::last_used_step.eq(Some(step)),
            second_factors::last_used_at.eq(Some(now)),
        ))
        .execute(conn)?;
        if claimed == 1 {
            return Ok(Some(Proof::Authenticator));
        }
    }
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::code_hash.eq(digest(&normalise(typed))))
            .filter(recovery_codes::login_id.eq(login_id))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok((used == 1).then_some(Proof::RecoveryCode))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s and
    /// at 1111111109 s (the last six of the eight-digit values).
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        let at = |seconds: i64| {
            chrono::DateTime::from_timestamp(seconds, 0)
                .expect("time")
                .naive_utc()
        };
        assert_eq!(matching_step(&secret, "ada", "287082", at(59)), Some(1));
        assert_eq!(
            matching_step(&secret, "ada", "081 804", at(1_111_111_109)),
            Some(1_111_111_109 / 30)
        );
        assert_eq!(matching_step(&secret, "ada", "287083", at(59)), None);
        // One step either side, not two.
        assert_eq!(
            matching_step(&secret, "ada", "287082", at(59 + 30)),
            Some(1)
        );
        assert_eq!(matching_step(&secret, "ada", "287082", at(59 + 60)), None);
    }

    #[test]
    fn recovery_codes_read_the_same_however_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalise(&code.to_lowercase().replace('-', " ")),
            normalise(&code)
        );
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let secret = new_secret();
        let uri = provisioning_uri(&secret, "ada:admin").expect("uri");
        assert!(uri.starts_with("otpauth://totp/Partnerdesk:ada_admin?"));
        let svg = qr_svg(&uri).expect("svg");
        assert!(svg.starts_with("<svg"));
    }
}
