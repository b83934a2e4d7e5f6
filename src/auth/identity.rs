//! The signed-in person and the membership they act as, loaded once per request by
//! `load_identity` and handed to handlers through the request.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;

pub use super::members::{CustomerMember, PartnerMember};
pub use crate::access::MembershipScope;
use crate::access::{
    CustomerRole, OperatorStanding, OwnerGrants, PartnerRole, Requester, SubAccountAccess,
};
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, customer_security, instance_operators, logins, memberships,
    partner_organisations, second_factors, sub_accounts,
};
use crate::errors::PageError;
use crate::i18n::Lang;
use crate::reach::CustomerReach;

#[derive(Debug, Clone)]
pub struct SignedInLogin {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub language: Lang,
    pub time_zone: chrono_tz::Tz,
    /// The login has a second factor.
    pub second_factor: bool,
    /// Since when the login is an instance operator, if it is one.
    pub operator_since: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct Membership {
    pub id: String,
    pub scope: MembershipScope,
    /// The organisation or account the membership belongs to (an operator's
    /// is the account of its sub-account).
    pub tenant_id: String,
    pub tenant_name: String,
    /// An operator's sub-account and what it allows.
    pub sub_account: Option<SubAccountAccess>,
    /// The organisation's or account's rule on second factors, if it has one.
    pub second_factor_policy: Option<crate::auth::second_factor_rule::Policy>,
    /// What a partner organisation's owners extend beyond the role matrix.
    pub owner_grants: OwnerGrants,
    /// A partner organisation the instance operator has suspended.
    pub suspended: bool,
    /// The partner's customers the membership reaches. Read whole for the
    /// chosen membership only; any other limited membership reaches nobody
    /// until chosen.
    pub reach: CustomerReach,
}

impl Membership {
    pub fn home(&self) -> &'static str {
        match self.scope {
            MembershipScope::Partner { .. } => "/partner",
            MembershipScope::Customer { .. } => "/customer",
        }
    }

    pub fn role_key(&self) -> &'static str {
        match self.scope {
            MembershipScope::Partner { role } => role.label_key(),
            MembershipScope::Customer { role } => role.label_key(),
        }
    }
}

/// A partner user's session inside a customer's console, as every request sees it.
#[derive(Debug, Clone)]
pub struct Assisting {
    pub session_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub partner_membership_id: String,
    pub expires_at: chrono::NaiveDateTime,
}

/// A distributor's person helping in a reseller's portal ("distributor
/// assistance"), as every request sees it.
#[derive(Debug, Clone)]
pub struct AssistingReseller {
    pub session_id: String,
    pub reseller_id: String,
    pub reseller_name: String,
    pub distributor_id: String,
    pub distributor_name: String,
    pub distributor_membership_id: String,
    pub expires_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub login: SignedInLogin,
    /// The membership chosen for this session, if any yet.
    pub membership: Option<Membership>,
    /// Every active membership of the login, for the picker and the switcher.
    pub memberships: Vec<Membership>,
    /// Set while a partner user is inside a customer's console ("open customer");
    /// `membership` is then that customer's, in the assisting partner's role.
    pub assisting: Option<Assisting>,
    /// Set while a distributor's person helps in a reseller's portal;
    /// `membership` is then the reseller's, in the assisting distributor's role.
    pub assisting_reseller: Option<AssistingReseller>,
    /// The customer a partner member has chosen to work on: (id, name).
    pub customer_context: Option<(String, String)>,
    /// A second factor was presented in this session less than
    /// `STEP_UP_MINUTES` ago.
    pub second_factor_fresh: bool,
    /// The chosen membership requires a second factor, the login has none and
    /// the grace period is over: its pages send the person to enrol.
    pub must_enrol: bool,
    /// The login's standing as an instance operator (its second factor
    /// included).
    pub operator: OperatorStanding,
}

/// The active memberships of a login, partner and customer alike, by the name of
/// the organisation or account.
pub fn memberships_of(conn: &mut DbConnection, login_id: &str) -> QueryResult<Vec<Membership>> {
    // One query for both kinds (it runs on every signed-in request). Every join
    // hangs off the membership's own row: SQLite materialises a nested outer
    // join (`customer_accounts LEFT JOIN customer_security`) whole, every
    // customer of the instance, before it looks up the membership's one.
    let rows: Vec<MembershipRow> = memberships::table
        .left_join(partner_organisations::table)
        .left_join(customer_accounts::table)
        .left_join(
            customer_security::table.on(customer_security::customer_id
                .nullable()
                .eq(memberships::customer_id)),
        )
        .left_join(sub_accounts::table)
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .select((
            (
                memberships::id,
                memberships::role,
                memberships::customers_scoped,
            ),
            (
                partner_organisations::id.nullable(),
                partner_organisations::name.nullable(),
                partner_organisations::second_factor_required_since.nullable(),
                partner_organisations::second_factor_grace_days.nullable(),
                partner_organisations::suspended_at.nullable().is_not_null(),
            ),
            (
                customer_accounts::id.nullable(),
                customer_accounts::name.nullable(),
                customer_security::second_factor_required_since.nullable(),
                customer_security::second_factor_grace_days.nullable(),
            ),
            (
                sub_accounts::id,
                sub_accounts::customer_id,
                sub_accounts::name,
                sub_accounts::can_build_dashboards,
                sub_accounts::can_manage_monitors,
                sub_accounts::monitor_quota,
                sub_accounts::can_edit_alerts,
            )
                .nullable(),
            partner_organisations::admin_agents_manage_api_tokens.nullable(),
        ))
        .load(conn)?;
    let mut all: Vec<Membership> = rows.into_iter().filter_map(membership_of_row).collect();
    all.sort_by(|a, b| (&a.tenant_name, &a.id).cmp(&(&b.tenant_name, &b.id)));
    Ok(all)
}

/// A membership from its row; none when its organisation or account is gone or
/// its stored role is unknown.
fn membership_of_row(
    ((id, role, customers_scoped), partner, customer, sub_account, agents_manage_tokens): MembershipRow,
) -> Option<Membership> {
    use crate::auth::second_factor_rule::Policy;
    let (partner_id, partner_name, since, grace, suspended) = partner;
    let partner = (partner_id, partner_name, since, grace);
    let (scope, tenant_id, tenant_name, sub_account, second_factor_policy) =
        match (partner, customer, sub_account) {
            ((Some(tenant_id), Some(tenant_name), since, grace), _, _) => (
                MembershipScope::Partner {
                    role: PartnerRole::parse(&role)?,
                },
                tenant_id,
                tenant_name,
                None,
                Policy::from_columns(since, grace),
            ),
            (_, (Some(tenant_id), Some(tenant_name), since, grace), _) => (
                MembershipScope::Customer {
                    role: CustomerRole::parse(&role)?,
                },
                tenant_id,
                tenant_name,
                None,
                Policy::from_columns(since, grace),
            ),
            (_, _, Some((sub_id, customer_id, name, dashboards, monitors, quota, alerts))) => (
                MembershipScope::Customer {
                    role: CustomerRole::Operator,
                },
                customer_id,
                name.clone(),
                Some(SubAccountAccess {
                    id: sub_id,
                    name,
                    can_build_dashboards: dashboards,
                    can_manage_monitors: monitors,
                    monitor_quota: quota,
                    can_edit_alerts: alerts,
                }),
                // Operators are outside the account's rule.
                None,
            ),
            _ => return None,
        };
    Some(Membership {
        id,
        scope,
        tenant_id,
        tenant_name,
        sub_account,
        second_factor_policy,
        owner_grants: OwnerGrants {
            admin_agents_manage_api_tokens: agents_manage_tokens.unwrap_or(false),
        },
        suspended,
        reach: if customers_scoped
            && matches!(scope, MembershipScope::Partner { role } if role != PartnerRole::Owner)
        {
            CustomerReach::Groups(Vec::new())
        } else {
            CustomerReach::Whole
        },
    })
}

/// (id, name, second factor required since, grace days)
type TenantColumns = (
    Option<String>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    Option<i32>,
);

type MembershipRow = (
    (String, String, bool),
    // The partner's, and whether it is suspended.
    (
        Option<String>,
        Option<String>,
        Option<chrono::NaiveDateTime>,
        Option<i32>,
        bool,
    ),
    TenantColumns,
    Option<(String, String, String, bool, bool, i32, bool)>,
    Option<bool>,
);

type LoginRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    Option<chrono::NaiveDateTime>,
);

pub fn load(
    conn: &mut DbConnection,
    login_id: &str,
    membership_id: Option<&str>,
) -> QueryResult<Option<Identity>> {
    // No LIMIT: the id is unique, and SQLite re-prepares a statement with a bound
    // LIMIT on every run.
    let rows: Vec<LoginRow> = logins::table
        .filter(logins::id.eq(login_id))
        .filter(logins::state.eq(LoginState::Active))
        .select((
            logins::id,
            logins::username,
            logins::full_name,
            logins::email,
            logins::language,
            logins::time_zone,
            diesel::dsl::exists(
                second_factors::table.filter(second_factors::login_id.eq(logins::id)),
            ),
            instance_operators::table
                .filter(instance_operators::login_id.eq(logins::id))
                .select(instance_operators::granted_at)
                .single_value(),
        ))
        .load(conn)?;
    let row = rows.into_iter().next();
    let Some((id, username, full_name, email, language, time_zone, second_factor, operator_since)) =
        row
    else {
        return Ok(None);
    };
    let memberships = memberships_of(conn, &id)?;
    let mut membership =
        membership_id.and_then(|chosen| memberships.iter().find(|m| m.id == chosen).cloned());
    if let Some(chosen) = membership.as_mut().filter(|m| m.reach.is_limited()) {
        chosen.reach = crate::reach::groups_of_limited(conn, &chosen.id, &chosen.tenant_id)?;
    }
    Ok(Some(Identity {
        login: SignedInLogin {
            id,
            username,
            full_name,
            email,
            language: Lang::from_code(&language).unwrap_or_default(),
            time_zone: time_zone.parse().unwrap_or(chrono_tz::UTC),
            second_factor,
            operator_since,
        },
        membership,
        memberships,
        assisting: None,
        assisting_reseller: None,
        customer_context: None,
        second_factor_fresh: false,
        must_enrol: false,
        operator: OperatorStanding::NotOperator,
    }))
}

/// The chosen customer, if it is still one of the partner membership's.
pub fn context_of(
    conn: &mut DbConnection,
    identity: &Identity,
    customer_id: &str,
) -> QueryResult<Option<(String, String)>> {
    let Some(Membership {
        scope: MembershipScope::Partner { .. },
        tenant_id,
        reach,
        ..
    }) = &identity.membership
    else {
        return Ok(None);
    };
    let mut query = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id))
        .filter(customer_accounts::partner_id.eq(tenant_id))
        .select((customer_accounts::id, customer_accounts::name))
        .into_boxed();
    if let Some(in_reach) = reach.filter() {
        query = query.filter(in_reach);
    }
    query.first(conn).optional()
}

impl Identity {
    /// Acts in the customer's console as the assisting partner.
    pub fn enter(&mut self, assisting: Assisting) {
        self.membership = Some(Membership {
            id: assisting.partner_membership_id.clone(),
            scope: MembershipScope::Customer {
                role: CustomerRole::AssistingPartner,
            },
            tenant_id: assisting.customer_id.clone(),
            tenant_name: assisting.customer_name.clone(),
            sub_account: None,
            // The partner membership's rule was applied before entering.
            second_factor_policy: None,
            owner_grants: OwnerGrants::default(),
            suspended: false,
            reach: CustomerReach::Whole,
        });
        self.assisting = Some(assisting);
    }

    /// Acts in the reseller's portal as the assisting distributor. The
    /// customer chosen in the distributor's own portal is not the reseller's.
    pub fn enter_reseller(&mut self, assisting: AssistingReseller) {
        self.membership = Some(Membership {
            id: assisting.distributor_membership_id.clone(),
            scope: MembershipScope::Partner {
                role: PartnerRole::AssistingDistributor,
            },
            tenant_id: assisting.reseller_id.clone(),
            tenant_name: assisting.reseller_name.clone(),
            sub_account: None,
            // The distributor membership's rule was applied before entering.
            second_factor_policy: None,
            owner_grants: OwnerGrants::default(),
            // A suspended reseller ends the session (`network::assist::check`).
            suspended: false,
            reach: CustomerReach::Whole,
        });
        self.customer_context = None;
        self.assisting_reseller = Some(assisting);
    }
}

impl Identity {
    pub fn of_request(req: &HttpRequest) -> Option<Identity> {
        req.extensions().get::<Identity>().cloned()
    }

    /// What the access decision reads of this identity.
    pub fn requester(&self) -> Requester<'_> {
        Requester {
            membership: self
                .membership
                .as_ref()
                .map(|membership| (membership.scope, membership.sub_account.as_ref())),
            must_enrol: self.must_enrol,
            owner_grants: self
                .membership
                .as_ref()
                .map_or_else(OwnerGrants::default, |membership| membership.owner_grants),
            tenant_suspended: self
                .membership
                .as_ref()
                .is_some_and(|membership| membership.suspended),
            operator: self.operator,
        }
    }
}

/// A handler argument for pages that need someone signed in; the route's access
/// rule has already sent everyone else away.
pub struct SignedIn(pub Identity);

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            Identity::of_request(req)
                .map(SignedIn)
                .ok_or(PageError::NotFound),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::db::plans::{empty_sqlite, statements_of, whole_table_steps};

    /// What every signed-in request reads about its person looks rows up by
    /// key: a whole-table step costs every request the size of the instance
    /// (a nested outer join once took seconds a request at 200,000 customers).
    #[test]
    fn the_identity_of_a_request_is_read_by_key_alone() {
        let mut conn = empty_sqlite();
        let statements = statements_of(&mut conn, |conn| {
            super::load(conn, "a-login", Some("a-membership")).expect("load an identity");
            // `load` stops at a missing login; its memberships are read alone too.
            super::memberships_of(conn, "a-login").expect("load memberships");
        });
        assert!(
            statements.len() >= 2,
            "the login and its memberships: {statements:?}"
        );
        let steps = whole_table_steps(&mut conn, &statements);
        assert!(steps.is_empty(), "whole-table steps: {steps:#?}");
    }
}
