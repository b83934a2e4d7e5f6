//! The gate in front of every check of a secret someone types: the password at
//! sign-in, the current password on `/account/password`, and (next) the second
//! factor. Each failure is a row of `auth_failures` (kind, username, client
//! address, time), kept in the database so that several instances share it, and
//! purged after an hour.
//!
//! # The rules
//!
//! Failures of kinds that guess the same secret count together: a wrong current
//! password is a wrong password for that login from that address, as at sign-in.
//! The address is the one `ClientAddress` gives (an IPv6 client counts as its
//! /64). Usernames count whether or not a login has them, so an unknown name is
//! throttled exactly like a known one. Counts cover the last hour.
//!
//! 1. **Per username and address**: five free failures, then a wait after the
//!    last one of 15 s, doubling with each further failure, at most 15 minutes.
//!    The right password from that address clears these failures.
//! 2. **Per address, across usernames**: ten free failures, then the same
//!    doubling waits after the address's last failure. One guess on each of
//!    many usernames (spraying) is slowed from the eleventh.
//! 3. **Per account**: once a username has 100 failures in the hour (the spec's
//!    ceiling), only addresses that have not failed on it in that hour are
//!    still checked against it. See below.
//! 4. **Instance brake**: when more failures than `failure_brake_per_minute`
//!    (a setting, 100 by default) happened across the instance in the last
//!    minute, an address with failures loses its free ones: it waits 15 s
//!    after its last failure, doubling. Addresses without failures are not
//!    slowed.
//!
//! # Why the account ceiling does not lock the account
//!
//! Refusing every attempt on an account after 100 failures would let anyone
//! lock its owner out by typing wrong passwords, and the spec says the rightful
//! person is never locked out from another address. So past the ceiling the
//! account refuses the addresses that have been failing on it, and still checks
//! attempts from any other address. Every failed attempt marks its address, so
//! past the ceiling each further address gets at most one guess at the account
//! an hour (and, being a failure, that guess counts towards its address budget
//! and the brake). The guesses that remain are bounded by the number of
//! addresses an attacker controls, which the /64 grouping of IPv6 makes
//! costlier, and the passwords they guess at are not among the common ones
//! (`auth::password`). Meanwhile the person signs in from their usual address
//! (if they have not been failing from it) or from any other.
//!
//! # Races
//!
//! The decision and the recording happen together, before the secret is
//! checked: [`reserve`] counts and, if the attempt may go ahead, records it as a
//! failure in the same write transaction (serialised on SQLite by `BEGIN
//! IMMEDIATE`, on PostgreSQL by a transaction-scoped advisory lock). A right
//! answer then withdraws it ([`Reservation::succeeded`]). Parallel requests
//! therefore cannot all pass the gate on the same count.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use crate::auth::client_address::ClientAddress;
use crate::db::schema::auth_failures;
use crate::db::{self, DbConnection};
use crate::metrics::Metrics;

/// How long a failure counts.
pub const WINDOW_MINUTES: i64 = 60;
pub const FREE_FAILURES_PER_USERNAME_AND_ADDRESS: i64 = 5;
pub const FREE_FAILURES_PER_ADDRESS: i64 = 10;
/// While the instance brake is on, an address's budget.
pub const FREE_FAILURES_PER_ADDRESS_UNDER_BRAKE: i64 = 1;
pub const FIRST_WAIT_SECONDS: i64 = 15;
pub const LONGEST_WAIT_SECONDS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 100;

/// Serialises the gate's transactions on PostgreSQL (`pg_advisory_xact_lock`).
const POSTGRES_LOCK_KEY: i64 = 0x7468_726f_7474_6c65;

/// What was being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    CurrentPassword,
    SecondFactor,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SignIn => "sign_in",
            Kind::CurrentPassword => "current_password",
            Kind::SecondFactor => "second_factor",
        }
    }

    /// The kinds whose failures guess the same secret as this one.
    fn same_secret(self) -> &'static [&'static str] {
        match self {
            Kind::SignIn | Kind::CurrentPassword => &["sign_in", "current_password"],
            Kind::SecondFactor => &["second_factor"],
        }
    }
}

/// Why an attempt was not checked; for the log, never for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    UsernameAndAddress,
    Address,
    Account,
    Brake,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UsernameAndAddress => "username and address back-off",
            Reason::Address => "address budget",
            Reason::Account => "account ceiling",
            Reason::Brake => "instance brake",
        }
    }
}

pub enum Gate {
    /// The secret may be checked; the attempt is already recorded as a failure.
    Open(Reservation),
    Throttled(Reason),
}

/// An attempt recorded as a failure until the secret proves right.
#[must_use = "a right answer must withdraw the reservation"]
pub struct Reservation {
    kind: Kind,
    username_key: String,
    client_key: String,
}

impl Reservation {
    /// The secret was right: the failures of this username from this address
    /// (this one included) are forgotten.
    pub fn succeeded(self, conn: &mut DbConnection) -> QueryResult<()> {
        diesel::delete(
            auth_failures::table
                .filter(auth_failures::kind.eq_any(self.kind.same_secret()))
                .filter(auth_failures::username_key.eq(&self.username_key))
                .filter(auth_failures::client_key.eq(&self.client_key)),
        )
        .execute(conn)
        .map(|_| ())
    }

    /// The secret was wrong: the recorded failure stays, and is counted.
    pub fn failed(self, metrics: &Metrics) {
        metrics.secret_check_failed(self.kind.as_str());
    }
}

/// The wait after the last of `failures` once `free` of them are used up.
fn wait_after(failures: i64, free: i64) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = u32::try_from(failures - free).unwrap_or(u32::MAX).min(16);
    let seconds = FIRST_WAIT_SECONDS
        .saturating_mul(2i64.saturating_pow(doublings))
        .min(LONGEST_WAIT_SECONDS);
    Some(Duration::seconds(seconds))
}

fn waiting(failures: i64, free: i64, last: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    match (wait_after(failures, free), last) {
        (Some(wait), Some(last)) => now < last + wait,
        _ => false,
    }
}

/// Decides whether `username_key` may have a secret of `kind` checked from
/// `client` now and, if so, records the attempt as a failure. `brake_per_minute`
/// is the instance-wide rate above which the brake is on.
pub fn reserve(
    conn: &mut DbConnection,
    kind: Kind,
    username_key: &str,
    client: &ClientAddress,
    brake_per_minute: u32,
    now: NaiveDateTime,
) -> QueryResult<Gate> {
    let client_key = client.throttle_key();
    db::write_transaction(conn, |conn| {
        // PostgreSQL only: READ COMMITTED lets two gates count the same rows;
        // SQLite's BEGIN IMMEDIATE already serialises them.
        if let DbConnection::Postgres(pg) = conn {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({POSTGRES_LOCK_KEY})"))
                .execute(pg)?;
        }
        let since = now - Duration::minutes(WINDOW_MINUTES);
        diesel::delete(auth_failures::table.filter(auth_failures::failed_at.le(since)))
            .execute(conn)?;
        if let Some(reason) = refusal(conn, kind, username_key, &client_key, brake_per_minute, now)?
        {
            return Ok(Gate::Throttled(reason));
        }
        diesel::insert_into(auth_failures::table)
            .values((
                auth_failures::id.eq(uuid::Uuid::new_v4().to_string()),
                auth_failures::kind.eq(kind.as_str()),
                auth_failures::username_key.eq(username_key),
                auth_failures::client_key.eq(&client_key),
                auth_failures::failed_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Gate::Open(Reservation {
            kind,
            username_key: username_key.to_owned(),
            client_key,
        }))
    })
}

/// The first rule that refuses the attempt, if any; counts the failures since
/// the purge, i.e. of the last hour.
fn refusal(
    conn: &mut DbConnection,
    kind: Kind,
    username_key: &str,
    client_key: &str,
    brake_per_minute: u32,
    now: NaiveDateTime,
) -> QueryResult<Option<Reason>> {
    let of_username = || {
        auth_failures::table
            .filter(auth_failures::kind.eq_any(kind.same_secret()))
            .filter(auth_failures::username_key.eq(username_key))
    };
    let (pair_failures, pair_last): (i64, Option<NaiveDateTime>) = of_username()
        .filter(auth_failures::client_key.eq(client_key))
        .select((count_star(), max(auth_failures::failed_at)))
        .first(conn)?;
    if waiting(
        pair_failures,
        FREE_FAILURES_PER_USERNAME_AND_ADDRESS,
        pair_last,
        now,
    ) {
        return Ok(Some(Reason::UsernameAndAddress));
    }
    let (address_failures, address_last): (i64, Option<NaiveDateTime>) = auth_failures::table
        .filter(auth_failures::client_key.eq(client_key))
        .select((count_star(), max(auth_failures::failed_at)))
        .first(conn)?;
    if waiting(
        address_failures,
        FREE_FAILURES_PER_ADDRESS,
        address_last,
        now,
    ) {
        return Ok(Some(Reason::Address));
    }
    if pair_failures > 0 {
        let account_failures: i64 = of_username().select(count_star()).first(conn)?;
        if account_failures >= MAX_FAILURES_PER_ACCOUNT {
            return Ok(Some(Reason::Account));
        }
    }
    if address_failures > 0 {
        let last_minute: i64 = auth_failures::table
            .filter(auth_failures::failed_at.gt(now - Duration::minutes(1)))
            .select(count_star())
            .first(conn)?;
        if last_minute > i64::from(brake_per_minute)
            && waiting(
                address_failures,
                FREE_FAILURES_PER_ADDRESS_UNDER_BRAKE,
                address_last,
                now,
            )
        {
            return Ok(Some(Reason::Brake));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_failures_and_double_up_to_the_longest() {
        assert_eq!(wait_after(4, 5), None);
        assert_eq!(wait_after(5, 5), Some(Duration::seconds(15)));
        assert_eq!(wait_after(6, 5), Some(Duration::seconds(30)));
        assert_eq!(wait_after(9, 5), Some(Duration::seconds(240)));
        assert_eq!(wait_after(11, 5), Some(Duration::seconds(900)));
        assert_eq!(wait_after(100, 5), Some(Duration::seconds(900)));
        assert_eq!(wait_after(i64::MAX, 0), Some(Duration::seconds(900)));
    }
}
