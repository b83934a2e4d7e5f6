//! Whose single sign-on it is: a partner organisation or a customer account.
//! Everything that differs between the two (their people, their roles, where
//! their settings page is, whose activity log hears of it) is answered here,
//! so the rest of `sso` is written once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::{CustomerRole, PartnerRole};
use crate::accounts::{LoginState, MembershipState};
use crate::db::DbConnection;
use crate::db::schema::{logins, memberships};
use crate::ids::{CustomerId, PartnerId};
use crate::tenancy::Tenant;

/// A membership's (scope, partner id, customer id).
pub type MembershipRow = (String, Option<String>, Option<String>);

/// Single sign-on's name for a tenant: a partner organisation or a customer
/// account.
pub type Organisation = Tenant;

/// The roles a person created at first sign-in may get: never the one that
/// hands out access (owner, administrator), which a person always gives.
const NEW_PARTNER_ROLES: [PartnerRole; 3] = [
    PartnerRole::AdminAgent,
    PartnerRole::SalesAgent,
    PartnerRole::HelpdeskAgent,
];
const NEW_CUSTOMER_ROLES: [CustomerRole; 1] = [CustomerRole::User];

impl Tenant {
    /// The organisation a stored row belongs to (exactly one of the two is set).
    pub fn of_row(partner_id: Option<String>, customer_id: Option<String>) -> Option<Self> {
        match (partner_id, customer_id) {
            (Some(partner), None) => Some(Organisation::Partner(PartnerId::new(partner))),
            (None, Some(customer)) => Some(Organisation::Customer(CustomerId::new(customer))),
            _ => None,
        }
    }

    /// The owner's single sign-on page.
    pub fn sso_page(&self) -> &'static str {
        match self {
            Organisation::Partner(_) => "/partner/sso",
            Organisation::Customer(_) => "/customer/sso",
        }
    }

    /// The role that manages single sign-on, and may prove domains.
    fn owner_role(&self) -> &'static str {
        match self {
            Organisation::Partner(_) => PartnerRole::Owner.as_str(),
            Organisation::Customer(_) => CustomerRole::Administrator.as_str(),
        }
    }

    /// (stored value, label message id) of the roles people created at first
    /// sign-in may get.
    pub fn new_member_roles(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Organisation::Partner(_) => NEW_PARTNER_ROLES
                .iter()
                .map(|role| (role.as_str(), role.label_key()))
                .collect(),
            Organisation::Customer(_) => NEW_CUSTOMER_ROLES
                .iter()
                .map(|role| (role.as_str(), role.label_key()))
                .collect(),
        }
    }

    /// A role typed for people created at first sign-in, if it is one they may get.
    pub fn parse_new_member_role(&self, value: &str) -> Option<&'static str> {
        self.new_member_roles()
            .into_iter()
            .map(|(role, _)| role)
            .find(|role| *role == value)
    }

    /// Whether a membership row (scope, partner id, customer id) is one of
    /// this organisation's own: a partner's staff, a customer account's
    /// people (not the operators of its sub-accounts, who are other people's
    /// staff).
    pub fn is_membership(
        &self,
        scope: &str,
        partner_id: &Option<String>,
        customer_id: &Option<String>,
    ) -> bool {
        match self {
            Organisation::Partner(id) => {
                scope == "partner" && partner_id.as_deref() == Some(id.as_str())
            }
            Organisation::Customer(id) => {
                scope == "customer" && customer_id.as_deref() == Some(id.as_str())
            }
        }
    }

    /// (login id, email) of the organisation's active people, with active logins.
    pub fn active_people(&self, conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
        memberships::table
            .inner_join(logins::table)
            .filter(
                memberships::partner_id
                    .eq(self.partner_id())
                    .and(memberships::scope.eq("partner"))
                    .or(memberships::customer_id
                        .eq(self.customer_id())
                        .and(memberships::scope.eq("customer"))),
            )
            .filter(memberships::state.eq(MembershipState::Active))
            .filter(logins::state.eq(LoginState::Active))
            .select((logins::id, logins::email))
            .distinct()
            .load(conn)
    }

    /// The membership id and name of `login_id` when it is an active owner
    /// (administrator) of the organisation.
    pub fn owner(
        &self,
        conn: &mut DbConnection,
        login_id: &str,
    ) -> QueryResult<Option<(String, String)>> {
        let rows: Vec<(String, String, MembershipRow)> = memberships::table
            .inner_join(logins::table)
            .filter(memberships::login_id.eq(login_id))
            .filter(memberships::state.eq(MembershipState::Active))
            .filter(memberships::role.eq(self.owner_role()))
            .select((
                memberships::id,
                logins::full_name,
                (
                    memberships::scope,
                    memberships::partner_id,
                    memberships::customer_id,
                ),
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .find(|(_, _, (scope, partner, customer))| self.is_membership(scope, partner, customer))
            .map(|(id, name, _)| (id, name)))
    }

    /// Adds an active membership with `role` (checked by
    /// `parse_new_member_role`) for a person created at first sign-in.
    pub fn add_member(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        login_id: &str,
        role: &str,
    ) -> QueryResult<String> {
        match self {
            Organisation::Partner(id) => {
                let role = PartnerRole::parse(role).ok_or(diesel::result::Error::NotFound)?;
                crate::organisations::add_member(conn, now, id, login_id, role)
            }
            Organisation::Customer(id) => {
                crate::customers::create::add_customer_member(conn, now, id, login_id, role)
            }
        }
    }
}
