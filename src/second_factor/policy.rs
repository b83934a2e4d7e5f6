//! Who must have a second factor. A partner organisation's owner may require one
//! of all its staff (new organisations do from the start); a customer's
//! administrator may require one of the account's administrators and users.
//! People without one are asked to enrol and keep working until the grace
//! period the owner set runs out; after that, that membership's pages send them
//! to enrol first. Their other memberships are not affected.
//!
//! An owner or administrator may also reset a member's second factors (lost
//! phone and codes): logged, and the person emailed. A login that also belongs
//! elsewhere is refused, since its factors guard the other tenants too.

use crate::accounts::MembershipState;
use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::{Action, Actor};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::config::Settings;
use crate::db::schema::{customer_security, logins, memberships, partner_organisations};
use crate::db::{self, DbConnection, DbError};
use crate::email::messages::SecondFactorChangedEmail;
use crate::email::outbox;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::tenancy::{Member, Tenant};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, see_other, succeeded};

/// The longest grace period an owner may give.
pub const MAX_GRACE_DAYS: i32 = 90;
use crate::auth::second_factor_rule::{DEFAULT_GRACE_DAYS, Policy};

/// Whose rule a page edits, or whose member's factors are reset.
impl Tenant {
    /// Where its security settings are edited.
    fn security_page(&self) -> &'static str {
        match self {
            Tenant::Partner(_) => "/partner/security",
            Tenant::Customer(_) => "/customer/security",
        }
    }

    /// Where its people are listed.
    fn people_page(&self) -> &'static str {
        match self {
            Tenant::Partner(_) => "/partner/staff",
            Tenant::Customer(_) => "/customer/users",
        }
    }

    /// Logs `action` by `actor` (login id, full name, membership id) in the
    /// tenant's activity log.
    fn record(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        (login_id, name, membership_id): &(String, String, String),
        (action, target, details): (Action, &str, &str),
    ) -> QueryResult<()> {
        let actor = Actor {
            login_id: Some(login_id),
            name,
            membership_id: Some(membership_id),
            on_behalf_of: None,
            api_token_id: None,
        };
        self.log(conn, now, actor, action, target, details)
    }
}

fn load(conn: &mut DbConnection, tenant: &Tenant) -> QueryResult<(Option<NaiveDateTime>, i32)> {
    match tenant {
        Tenant::Partner(id) => partner_organisations::table
            .find(id)
            .select((
                partner_organisations::second_factor_required_since,
                partner_organisations::second_factor_grace_days,
            ))
            .first(conn),
        Tenant::Customer(id) => Ok(customer_security::table
            .find(id)
            .select((
                customer_security::second_factor_required_since,
                customer_security::second_factor_grace_days,
            ))
            .first(conn)
            .optional()?
            .unwrap_or((None, DEFAULT_GRACE_DAYS))),
    }
}

fn store(
    conn: &mut DbConnection,
    tenant: &Tenant,
    since: Option<NaiveDateTime>,
    grace_days: i32,
) -> QueryResult<usize> {
    match tenant {
        Tenant::Partner(id) => diesel::update(partner_organisations::table.find(id))
            .set((
                partner_organisations::second_factor_required_since.eq(since),
                partner_organisations::second_factor_grace_days.eq(grace_days),
            ))
            .execute(conn),
        Tenant::Customer(id) => {
            diesel::delete(customer_security::table.find(id)).execute(conn)?;
            diesel::insert_into(customer_security::table)
                .values((
                    customer_security::customer_id.eq(id),
                    customer_security::second_factor_required_since.eq(since),
                    customer_security::second_factor_grace_days.eq(grace_days),
                ))
                .execute(conn)
        }
    }
}

#[derive(Template)]
#[template(path = "security/policy.html")]
struct PolicyPage {
    layout: PageContext,
    action: &'static str,
    required: bool,
    grace_days: String,
    deadline: Option<String>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PolicyForm {
    required: String,
    grace_days: String,
}

async fn show(
    state: &AppState,
    layout: PageContext,
    tenant: Tenant,
    zone: chrono_tz::Tz,
) -> Result<HttpResponse, PageError> {
    let action = tenant.security_page();
    let (since, grace_days) = db::run(&state.pool, move |conn| {
        load(conn, &tenant).map_err(DbError::from)
    })
    .await?;
    let deadline = Policy::from_columns(since, Some(grace_days))
        .map(|p| crate::i18n::format_time(p.deadline(), zone, layout.lang));
    render(&PolicyPage {
        layout,
        action,
        required: since.is_some(),
        grace_days: grace_days.to_string(),
        deadline,
        errors: FieldErrors::default(),
    })
}

async fn change(
    state: &AppState,
    layout: PageContext,
    tenant: Tenant,
    actor: (String, String, String),
    form: PolicyForm,
) -> Result<HttpResponse, PageError> {
    let action = tenant.security_page();
    let required = form.required == "on";
    let grace_days = match form.grace_days.trim().parse::<i32>() {
        Ok(days) if (0..=MAX_GRACE_DAYS).contains(&days) => days,
        _ => {
            let errors = FieldErrors::one("grace_days", "security-grace-invalid");
            return render(&PolicyPage {
                layout,
                action,
                required,
                grace_days: form.grace_days,
                deadline: None,
                errors,
            });
        }
    };
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<(), DbError> {
            let (since, _) = load(conn, &tenant)?;
            // Turning it on starts the grace period now; leaving it on keeps
            // the date it started.
            let since = match (required, since) {
                (true, Some(since)) => Some(since),
                (true, None) => Some(now),
                (false, _) => None,
            };
            store(conn, &tenant, since, grace_days)?;
            let details = if required {
                format!("required, {grace_days} days")
            } else {
                "optional".to_owned()
            };
            let logged = (Action::SecondFactorPolicyChanged, "", details.as_str());
            tenant.record(conn, now, &actor, logged)?;
            Ok(())
        })
    })
    .await?;
    Ok(succeeded("flash-security-saved", action))
}

/// A member whose tenant has a security page: a partner organisation's staff
/// and a customer account's people reach it through the same two handlers.
pub trait PolicyMember: Member {
    fn tenant(&self) -> Tenant;
}

impl PolicyMember for PartnerMember {
    fn tenant(&self) -> Tenant {
        Tenant::Partner(self.partner_id().clone())
    }
}

impl PolicyMember for CustomerMember {
    fn tenant(&self) -> Tenant {
        Tenant::Customer(self.customer_id().clone())
    }
}

pub async fn page<M: PolicyMember>(
    PageOf(state, layout, member): PageOf<M>,
) -> Result<HttpResponse, PageError> {
    let zone = member.identity().login.time_zone;
    show(&state, layout, member.tenant(), zone).await
}

pub async fn save<M: PolicyMember>(
    PageOf(state, layout, member): PageOf<M>,
    form: web::Form<PolicyForm>,
) -> Result<HttpResponse, PageError> {
    let (tenant, actor) = (member.tenant(), member.actor_parts());
    change(&state, layout, tenant, actor, form.into_inner()).await
}

#[derive(Debug, thiserror::Error)]
enum ResetError {
    #[error("no such member")]
    NotFound,
    /// The login belongs elsewhere too: its factors are not this tenant's alone.
    #[error("the login also belongs elsewhere")]
    Shared,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] DbError),
    #[error(transparent)]
    Outbox(#[from] outbox::OutboxError),
}

/// Removes the second factors of a member of `tenant` whose login holds no
/// active membership elsewhere; logs it and emails the person.
fn reset_member(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    tenant: &Tenant,
    membership_id: &MembershipId,
    actor: &(String, String, String),
) -> Result<(), ResetError> {
    let target = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .into_boxed::<crate::db::MultiBackend>();
    let target = match tenant {
        Tenant::Partner(id) => target.filter(memberships::partner_id.eq(id.clone())),
        Tenant::Customer(id) => target.filter(memberships::customer_id.eq(id.clone())),
    };
    let (login_id, full_name, email, language): (String, String, String, String) = target
        .select((
            logins::id,
            logins::full_name,
            logins::email,
            logins::language,
        ))
        .first(conn)
        .optional()?
        .ok_or(ResetError::NotFound)?;
    let elsewhere = memberships::table
        .filter(memberships::login_id.eq(&login_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .into_boxed::<crate::db::MultiBackend>();
    let elsewhere: i64 = match tenant {
        Tenant::Partner(id) => elsewhere.filter(
            memberships::partner_id
                .is_null()
                .or(memberships::partner_id.ne(id.clone())),
        ),
        Tenant::Customer(id) => elsewhere.filter(
            memberships::customer_id
                .is_null()
                .or(memberships::customer_id.ne(id.clone())),
        ),
    }
    .count()
    .get_result(conn)?;
    if elsewhere > 0 {
        return Err(ResetError::Shared);
    }
    super::remove_all(conn, &login_id)?;
    tenant.record(
        conn,
        now,
        actor,
        (Action::SecondFactorReset, &full_name, ""),
    )?;
    let message = SecondFactorChangedEmail {
        tr: Lang::from_code(&language).unwrap_or_default().translator(),
        full_name,
        change_key: "email-factor-reset",
        security_link: settings.link("/account/security"),
    };
    outbox::enqueue(conn, now, &email, &message)?;
    Ok(())
}

/// Resets the second factors of one of the member's people (see `reset_member`)
/// and goes back to the list of the tenant's people.
pub async fn reset<M: PolicyMember>(
    state: web::Data<AppState>,
    member: M,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (tenant, actor) = (member.tenant(), member.actor_parts());
    let back_to = tenant.people_page();
    let membership_id = MembershipId::new(path.into_inner());
    let now = state.clock.now();
    let settings = state.settings.clone();
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            reset_member(conn, &settings, now, &tenant, &membership_id, &actor)
        })
    })
    .await;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-factor-reset").send();
        }
        Err(ResetError::NotFound) => return Err(PageError::NotFound),
        Err(ResetError::Shared) => FlashMessage::error("security-reset-shared").send(),
        Err(error) => return Err(PageError::internal(error)),
    }
    Ok(see_other(back_to))
}
