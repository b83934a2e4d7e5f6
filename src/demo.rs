//! Demo data for `serve --demo`: a partner organisation with one login per role
//! and a few hundred varied customers.
//! Passwords are new on every start and printed once.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::access::PartnerRole;
use crate::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use crate::auth::password::hash_password;
use crate::config::Settings;
use crate::customers;
use crate::db::schema::{customer_accounts, logins, memberships, partner_organisations};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::partners;

pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: String,
}

const DEMO_PARTNER: &str = "Northwind Partners";
const DEMO_CUSTOMERS: usize = 300;
const DEMO_GROUPS: &[&str] = &["Retail", "Healthcare", "Public sector", "Priority support"];

const DEMO_STAFF: [(&str, &str, PartnerRole, Lang); 4] = [
    (
        "owner@northwind.example",
        "Olivia Owner",
        PartnerRole::Owner,
        Lang::En,
    ),
    (
        "admin@northwind.example",
        "Adrien Admin",
        PartnerRole::AdminAgent,
        Lang::Fr,
    ),
    (
        "sales@northwind.example",
        "Sofia Sales",
        PartnerRole::SalesAgent,
        Lang::En,
    ),
    (
        "helpdesk@northwind.example",
        "Hugo Helpdesk",
        PartnerRole::HelpdeskAgent,
        Lang::Fr,
    ),
];

fn fresh_password() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("could not hash a demo password")]
    Hash,
    #[error("demo data is invalid: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Commerce(#[from] crate::commerce::CommerceError),
    #[error(transparent)]
    Support(#[from] crate::support::health::HealthError),
}

/// Adds the demo organisation and its staff if missing, and gives every demo
/// login a new password.
pub fn seed(
    conn: &mut DbConnection,
    _settings: &Settings,
    now: NaiveDateTime,
) -> Result<Vec<DemoLogin>, DemoError> {
    let mut passwords = Vec::new();
    for _ in DEMO_STAFF {
        let password = fresh_password();
        let hash = hash_password(&password).map_err(|_| DemoError::Hash)?;
        passwords.push((password, hash));
    }
    let (partner_id, printed) = db::write_transaction(conn, |conn| {
        let name = DisplayName::parse(DEMO_PARTNER).map_err(|_| DemoError::Invalid("name"))?;
        let partner_id = match partner_organisations::table
            .filter(partner_organisations::name.eq(DEMO_PARTNER))
            .select(partner_organisations::id)
            .first::<String>(conn)
            .optional()?
        {
            Some(id) => id,
            // Required, as for any new organisation: the demo's people have the
            // grace period to try enrolling.
            None => partners::insert_organisation(conn, now, &name, None, true)?,
        };
        let mut printed = Vec::new();
        for ((username, full_name, role, language), (password, hash)) in
            DEMO_STAFF.into_iter().zip(passwords)
        {
            let username_value =
                Username::parse(username).map_err(|_| DemoError::Invalid("username"))?;
            match accounts::find_by_username(conn, &username_value)? {
                Some(id) => {
                    diesel::update(logins::table.filter(logins::id.eq(id)))
                        .set((
                            logins::password_hash.eq(Some(&hash)),
                            logins::state.eq("active"),
                        ))
                        .execute(conn)?;
                }
                None => {
                    let new = NewLogin {
                        username: username_value,
                        email: EmailAddress::parse(username)
                            .map_err(|_| DemoError::Invalid("email"))?,
                        full_name: DisplayName::parse(full_name)
                            .map_err(|_| DemoError::Invalid("full name"))?,
                        language,
                        time_zone: chrono_tz::Europe::Paris,
                    };
                    let login_id =
                        accounts::insert(conn, now, &new, LoginState::Active, Some(&hash))?;
                    partners::add_member(conn, now, &partner_id, &login_id, role)?;
                }
            }
            printed.push(DemoLogin {
                username: username.to_owned(),
                password,
                role: format!("{} ({DEMO_PARTNER})", role.as_str()),
            });
        }
        Ok::<_, DemoError>((partner_id, printed))
    })?;
    let has_customers: bool = diesel::select(diesel::dsl::exists(
        customer_accounts::table.filter(customer_accounts::partner_id.eq(&partner_id)),
    ))
    .get_result(conn)?;
    if !has_customers {
        customers::seed::generate(
            conn,
            now,
            &customers::seed::SeedOptions {
                partner_id: partner_id.clone(),
                count: DEMO_CUSTOMERS,
                groups: DEMO_GROUPS,
                seed: 2026,
            },
        )?;
    }
    let mut printed = printed;
    printed.push(customer_administrator(conn, now, &partner_id)?);
    support_data(conn, now, &partner_id)?;
    printed.extend(sub_account_operator(conn, now, &partner_id)?);
    Ok(printed)
}

/// The operator of the first customer's demo sub-account, to see what a
/// sub-account sees.
fn sub_account_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
) -> Result<Option<DemoLogin>, DemoError> {
    let password = fresh_password();
    let hash = hash_password(&password).map_err(|_| DemoError::Hash)?;
    let seeded = db::write_transaction(conn, |conn| {
        crate::sub_accounts::demo::seed(conn, now, partner_id, &hash)
    })?;
    Ok(seeded.map(|name| DemoLogin {
        username: crate::sub_accounts::demo::DEMO_OPERATOR.to_owned(),
        password,
        role: format!("sub-account operator ({name})"),
    }))
}

const DEMO_CUSTOMER_ADMIN: &str = "admin@customer.example";

/// Service health and requests on the first customers (once).
fn support_data(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
) -> Result<(), DemoError> {
    let login_of = |conn: &mut DbConnection, username: &str| {
        logins::table
            .filter(logins::username_key.eq(username))
            .select(logins::id)
            .first::<String>(conn)
    };
    let customer_login = login_of(conn, DEMO_CUSTOMER_ADMIN)?;
    let staff_login = login_of(conn, "helpdesk@northwind.example")?;
    db::write_transaction(conn, |conn| {
        crate::support::demo::seed(conn, now, partner_id, &customer_login, &staff_login)
    })?;
    db::write_transaction(conn, |conn| {
        crate::monitoring::demo::seed(conn, now, partner_id)
    })?;
    Ok(())
}

/// A login administering the demo partner's first customer, to see the
/// customer's console and partner assistance from the other side.
fn customer_administrator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
) -> Result<DemoLogin, DemoError> {
    let password = fresh_password();
    let hash = hash_password(&password).map_err(|_| DemoError::Hash)?;
    let customer_name = db::write_transaction(conn, |conn| {
        let customer: customers::Customer = customer_accounts::table
            .filter(customer_accounts::partner_id.eq(partner_id))
            .order((
                customer_accounts::name_key.asc(),
                customer_accounts::id.asc(),
            ))
            .select(customers::Customer::as_select())
            .first(conn)?;
        let customer_id = customer.id.clone();
        let username =
            Username::parse(DEMO_CUSTOMER_ADMIN).map_err(|_| DemoError::Invalid("username"))?;
        let login_id = match accounts::find_by_username(conn, &username)? {
            Some(id) => {
                diesel::update(logins::table.filter(logins::id.eq(&id)))
                    .set((
                        logins::password_hash.eq(Some(&hash)),
                        logins::state.eq("active"),
                    ))
                    .execute(conn)?;
                id
            }
            None => {
                let new = NewLogin {
                    username,
                    email: EmailAddress::parse(DEMO_CUSTOMER_ADMIN)
                        .map_err(|_| DemoError::Invalid("email"))?,
                    full_name: DisplayName::parse("Camille Customer")
                        .map_err(|_| DemoError::Invalid("full name"))?,
                    language: Lang::Fr,
                    time_zone: chrono_tz::Europe::Paris,
                };
                accounts::insert(conn, now, &new, LoginState::Active, Some(&hash))?
            }
        };
        let membership_id: Option<String> = memberships::table
            .filter(memberships::login_id.eq(&login_id))
            .filter(memberships::customer_id.eq(&customer_id))
            .select(memberships::id)
            .first(conn)
            .optional()?;
        let membership_id = match membership_id {
            Some(id) => id,
            None => customers::create::add_customer_member(
                conn,
                now,
                &customer_id,
                &login_id,
                customers::create::ADMINISTRATOR_ROLE,
            )?,
        };
        crate::commerce::demo::seed(conn, now, &customer, partner_id, &membership_id)?;
        Ok::<_, DemoError>(customer.name)
    })?;
    Ok(DemoLogin {
        username: DEMO_CUSTOMER_ADMIN.to_owned(),
        password,
        role: format!("customer administrator ({customer_name})"),
    })
}
