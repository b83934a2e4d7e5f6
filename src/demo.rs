//! Demo data for `serve --demo`: a partner organisation with one login per role
//! and a few hundred varied customers, and a distributor with two resellers.
//! Passwords are new on every start and printed once.

use crate::ids::MembershipId;
use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::access::{PartnerRole, TokenScope};
use crate::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use crate::auth::api_tokens;
use crate::auth::partner_tokens::{NewPartnerToken, create_partner_token};
use crate::auth::password::hash_password;
use crate::auth::scope::PartnerScope;
use crate::config::Settings;
use crate::customers;
use crate::db::schema::{
    customer_accounts, logins, memberships, partner_api_tokens, partner_organisations,
};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::organisations;

pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: String,
}

/// What `serve --demo` prints: the demo logins with their new passwords, a
/// partner API token of the demo organisation's owner with every scope, and a
/// monitoring API token of the customer account whose monitors the demo fills.
pub struct Seeded {
    pub logins: Vec<DemoLogin>,
    pub api_token: String,
    pub monitoring_token: String,
}

/// The name of the demo's API tokens; each start revokes the previous ones.
const DEMO_TOKEN_NAME: &str = "Demo";

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

/// A new password and its argon2 hash.
struct NewPassword {
    password: String,
    hash: String,
}

impl NewPassword {
    fn new() -> Result<Self, DemoError> {
        let password = fresh_password();
        let hash = hash_password(&password).map_err(|_| DemoError::Hash)?;
        Ok(Self { password, hash })
    }
}

/// The new password of every demo login, hashed before the seeding takes a
/// database connection: hashing is slow and needs none.
pub struct DemoPasswords {
    staff: Vec<NewPassword>,
    customer_administrator: NewPassword,
    sub_account_operator: NewPassword,
    instance_operator: NewPassword,
    distributor_owner: NewPassword,
}

impl DemoPasswords {
    pub fn new() -> Result<Self, DemoError> {
        Ok(Self {
            staff: DEMO_STAFF
                .iter()
                .map(|_| NewPassword::new())
                .collect::<Result<_, _>>()?,
            customer_administrator: NewPassword::new()?,
            sub_account_operator: NewPassword::new()?,
            instance_operator: NewPassword::new()?,
            distributor_owner: NewPassword::new()?,
        })
    }
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
    ServiceHealth(#[from] crate::service_health::HealthError),
}

/// Adds the demo organisation and its staff if missing, and gives every demo
/// login a new password.
pub fn seed(
    conn: &mut DbConnection,
    _settings: &Settings,
    now: NaiveDateTime,
    passwords: DemoPasswords,
) -> Result<Seeded, DemoError> {
    let (partner_id, mut printed) =
        db::write_transaction(conn, |conn| staff(conn, now, passwords.staff))?;
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
    let administrator = passwords.customer_administrator;
    printed.push(customer_administrator(
        conn,
        now,
        &partner_id,
        administrator,
    )?);
    health_requests_and_monitors(conn, now, &partner_id)?;
    let operator = passwords.sub_account_operator;
    printed.extend(sub_account_operator(conn, now, &partner_id, operator)?);
    printed.push(instance_operator(conn, now, passwords.instance_operator)?);
    printed.push(distributor_owner(conn, now, passwords.distributor_owner)?);
    let api_token = db::write_transaction(conn, |conn| demo_api_token(conn, now, &partner_id))?;
    let monitoring_token =
        db::write_transaction(conn, |conn| demo_monitoring_token(conn, now, &partner_id))?;
    Ok(Seeded {
        logins: printed,
        api_token,
        monitoring_token,
    })
}

/// A new token of the customer account the demo's monitors are in, the
/// previous demo token of the account revoked.
fn demo_monitoring_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
) -> Result<String, DemoError> {
    let customer_id = crate::monitoring::demo::first_customer_of(conn, partner_id)?
        .ok_or(DemoError::Invalid("customer"))?;
    let previous = api_tokens::customer_tokens(conn, &customer_id, None)?;
    for token in previous
        .iter()
        .filter(|t| t.name == DEMO_TOKEN_NAME && t.sub_account.is_none() && t.revoked_at.is_none())
    {
        api_tokens::revoke(conn, now, &token.id)?;
    }
    let (_, token) =
        api_tokens::create_customer_token(conn, now, &customer_id, None, DEMO_TOKEN_NAME)?;
    Ok(token)
}

/// A new API token of the demo owner with every scope, the previous demo
/// token revoked.
fn demo_api_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
) -> Result<String, DemoError> {
    let (owner, _, _, _) = DEMO_STAFF[0];
    let (login_id, membership_id): (String, String) = memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq(owner))
        .filter(memberships::partner_id.eq(partner_id))
        .select((logins::id, memberships::id))
        .first(conn)?;
    diesel::update(
        partner_api_tokens::table
            .filter(partner_api_tokens::partner_id.eq(partner_id))
            .filter(partner_api_tokens::name.eq(DEMO_TOKEN_NAME))
            .filter(partner_api_tokens::revoked_at.is_null()),
    )
    .set(partner_api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    let scope = PartnerScope::for_operator(conn, partner_id.as_str())?
        .ok_or(DemoError::Invalid("organisation"))?;
    let new = NewPartnerToken {
        name: DEMO_TOKEN_NAME,
        scopes: &TokenScope::ALL,
        expires_at: None,
    };
    let (_, token) = create_partner_token(conn, now, &scope, (&login_id, &membership_id), &new)?;
    Ok(token)
}

/// The demo organisation, made when missing, and its staff with their new
/// passwords (one per login of `DEMO_STAFF`).
fn staff(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    passwords: Vec<NewPassword>,
) -> Result<(PartnerId, Vec<DemoLogin>), DemoError> {
    let name = DisplayName::parse(DEMO_PARTNER).map_err(|_| DemoError::Invalid("name"))?;
    let partner_id = PartnerId::new(
        match partner_organisations::table
            .filter(partner_organisations::name.eq(DEMO_PARTNER))
            .select(partner_organisations::id)
            .first::<String>(conn)
            .optional()?
        {
            Some(id) => id,
            // Required, as for any new organisation: the demo's people have the
            // grace period to try enrolling.
            None => organisations::insert_organisation(conn, now, &name, None, true)?,
        },
    );
    let mut printed = Vec::new();
    for ((username, full_name, role, language), NewPassword { password, hash }) in
        DEMO_STAFF.into_iter().zip(passwords)
    {
        let person = Person {
            username,
            full_name,
            language,
        };
        let (login_id, created) = active_login(conn, now, &person, &hash)?;
        if created {
            organisations::add_member(conn, now, &partner_id, &login_id, role)?;
        }
        printed.push(DemoLogin {
            username: username.to_owned(),
            password,
            role: format!("{} ({DEMO_PARTNER})", role.as_str()),
        });
    }
    Ok((partner_id, printed))
}

/// Who a demo login is for.
struct Person {
    /// Also the email address.
    username: &'static str,
    full_name: &'static str,
    language: Lang,
}

/// The person's login, active with the password `hash`: the existing one
/// updated, else a new one. Answers its id, and whether it is new.
fn active_login(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    person: &Person,
    hash: &str,
) -> Result<(String, bool), DemoError> {
    let username = Username::parse(person.username).map_err(|_| DemoError::Invalid("username"))?;
    if let Some(id) = accounts::find_by_username(conn, &username)? {
        diesel::update(logins::table.filter(logins::id.eq(&id)))
            .set((
                logins::password_hash.eq(Some(hash)),
                logins::state.eq(LoginState::Active),
            ))
            .execute(conn)?;
        return Ok((id, false));
    }
    let new = NewLogin {
        username,
        email: EmailAddress::parse(person.username).map_err(|_| DemoError::Invalid("email"))?,
        full_name: DisplayName::parse(person.full_name)
            .map_err(|_| DemoError::Invalid("full name"))?,
        language: person.language,
        time_zone: chrono_tz::Europe::Paris,
    };
    let id = accounts::insert(conn, now, &new, LoginState::Active, Some(hash))?;
    Ok((id, true))
}

/// The operator of the first customer's demo sub-account, to see what a
/// sub-account sees.
fn sub_account_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    NewPassword { password, hash }: NewPassword,
) -> Result<Option<DemoLogin>, DemoError> {
    let seeded = db::write_transaction(conn, |conn| {
        crate::sub_accounts::demo::seed(conn, now, partner_id, &hash)
    })?;
    Ok(seeded.map(|name| DemoLogin {
        username: crate::sub_accounts::demo::DEMO_OPERATOR.to_owned(),
        password,
        role: format!("sub-account operator ({name})"),
    }))
}

const DEMO_DISTRIBUTOR_OWNER: &str = "owner@fabrikam.example";

/// The owner of a distributor with two resellers (`network::demo`), to see
/// a partner tree.
fn distributor_owner(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    NewPassword { password, hash }: NewPassword,
) -> Result<DemoLogin, DemoError> {
    let person = Person {
        username: DEMO_DISTRIBUTOR_OWNER,
        full_name: "Dana Distributor",
        language: Lang::En,
    };
    let (login_id, _) = active_login(conn, now, &person, &hash)?;
    crate::network::demo::seed(conn, now, &login_id)?;
    Ok(DemoLogin {
        username: DEMO_DISTRIBUTOR_OWNER.to_owned(),
        password,
        role: format!(
            "owner ({}, a distributor with two resellers)",
            crate::network::demo::DEMO_DISTRIBUTOR
        ),
    })
}

const DEMO_CUSTOMER_ADMIN: &str = "admin@customer.example";
const DEMO_INSTANCE_OPERATOR: &str = "operator@partnerdesk.example";

/// A login that is an instance operator and nothing else, for the
/// operator's area (`/admin`).
fn instance_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    NewPassword { password, hash }: NewPassword,
) -> Result<DemoLogin, DemoError> {
    let person = Person {
        username: DEMO_INSTANCE_OPERATOR,
        full_name: "Oscar Operator",
        language: Lang::En,
    };
    let (login_id, _) =
        db::write_transaction(conn, |conn| active_login(conn, now, &person, &hash))?;
    // Granted once, by the demo: a later start keeps the first grant's date.
    if !crate::operators::is_operator(conn, &login_id)? {
        let actor = crate::instance_log::OperatorActor {
            login_id: None,
            name: "demo",
        };
        let name = crate::operators::LoginName::Username(DEMO_INSTANCE_OPERATOR);
        crate::operators::grant(conn, now, actor, &name)
            .map_err(|_| DemoError::Invalid("instance operator"))?;
    }
    Ok(DemoLogin {
        username: DEMO_INSTANCE_OPERATOR.to_owned(),
        password,
        role: "instance operator (/admin)".to_owned(),
    })
}

/// Service health, service requests and monitors on the first customers (once).
fn health_requests_and_monitors(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
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
        crate::service_health::demo::seed(conn, now, partner_id)
    })?;
    db::write_transaction(conn, |conn| {
        crate::service_requests::demo::seed(conn, now, partner_id, &customer_login, &staff_login)
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
    partner_id: &PartnerId,
    NewPassword { password, hash }: NewPassword,
) -> Result<DemoLogin, DemoError> {
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
        let person = Person {
            username: DEMO_CUSTOMER_ADMIN,
            full_name: "Camille Customer",
            language: Lang::Fr,
        };
        let (login_id, _) = active_login(conn, now, &person, &hash)?;
        let membership_id: Option<String> = memberships::table
            .filter(memberships::login_id.eq(&login_id))
            .filter(memberships::customer_id.eq(&customer_id))
            .select(memberships::id)
            .first(conn)
            .optional()?;
        let membership_id = MembershipId::new(match membership_id {
            Some(id) => id,
            None => customers::create::add_customer_member(
                conn,
                now,
                &customer_id,
                &login_id,
                customers::create::ADMINISTRATOR_ROLE,
            )?,
        });
        crate::commerce::demo::seed(conn, now, &customer, partner_id, &membership_id)?;
        Ok::<_, DemoError>(customer.name)
    })?;
    Ok(DemoLogin {
        username: DEMO_CUSTOMER_ADMIN.to_owned(),
        password,
        role: format!("customer administrator ({customer_name})"),
    })
}
