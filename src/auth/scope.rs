//! The tenant a request may act in, as a value only this module makes: the
//! member extractors build one from the membership in the session, and the
//! operator's command line from an organisation it names. A function handed a
//! scope cannot be handed another tenant's by mistake; a function handed an
//! [`Owned`] row knows it was found within one.

use diesel::prelude::*;

use crate::access::{CustomerCapability, SubAccountAccess};
use crate::db::DbConnection;
use crate::db::schema::partner_organisations;
use crate::ids::{CustomerId, PartnerId, SubAccountId};
use crate::reach::rules::Predicate;
use crate::reach::{CustomerFilter, CustomerReach};

/// A partner organisation, as its member (or the operator) acts in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerScope {
    partner_id: PartnerId,
    /// The customers the member reaches: all, or those of some groups.
    reach: CustomerReach,
}

impl PartnerScope {
    /// The organisation of a membership the session (or a token) holds, with
    /// the customers that membership reaches.
    pub(super) fn of_credential(partner_id: PartnerId, reach: CustomerReach) -> Self {
        PartnerScope { partner_id, reach }
    }

    /// The organisation the operator names on the command line (or the demo
    /// seeds), if it exists. Nothing that answers a request calls this.
    pub fn for_operator(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Option<Self>> {
        let found: Option<PartnerId> = partner_organisations::table
            .filter(partner_organisations::id.eq(partner_id))
            .select(partner_organisations::id)
            .first(conn)
            .optional()?;
        Ok(found.map(|partner_id| PartnerScope {
            partner_id,
            reach: CustomerReach::Whole,
        }))
    }

    /// A scope of the whole `partner_id`, for unit tests of the queries
    /// that take one (the plans of `db::plans`); never built in service.
    #[cfg(test)]
    pub(crate) fn for_unit_tests(partner_id: &str) -> Self {
        PartnerScope {
            partner_id: PartnerId::new(partner_id),
            reach: CustomerReach::Whole,
        }
    }

    /// A scope of `partner_id` limited to its hand-kept groups `group_ids`,
    /// for the same unit tests.
    #[cfg(test)]
    pub(crate) fn limited_for_unit_tests(partner_id: &str, group_ids: &[&str]) -> Self {
        let groups = group_ids
            .iter()
            .map(|id| crate::reach::ReachGroup {
                id: (*id).to_owned(),
                rule: None,
            })
            .collect();
        PartnerScope {
            partner_id: PartnerId::new(partner_id),
            reach: CustomerReach::Groups(groups),
        }
    }

    pub fn partner_id(&self) -> &PartnerId {
        &self.partner_id
    }

    pub fn reach(&self) -> &CustomerReach {
        &self.reach
    }

    /// The condition a customer row of the partner meets when the member
    /// reaches it; none when the member reaches every customer.
    pub fn customer_filter(&self) -> Option<CustomerFilter> {
        self.reach.filter()
    }

    /// As `customer_filter`, for a query joining `customer_accounts` to the
    /// tables that hang on customers.
    pub fn customer_filter_on<QS: 'static>(&self) -> Option<Predicate<QS>> {
        self.reach.filter_on()
    }
}

/// A whole customer account: its own people, and a partner user who opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerScope {
    customer_id: CustomerId,
}

impl CustomerScope {
    pub(super) fn of_credential(customer_id: CustomerId) -> Self {
        CustomerScope { customer_id }
    }

    pub fn customer_id(&self) -> &CustomerId {
        &self.customer_id
    }
}

/// One sub-account of a customer account: what its operators were granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAccountScope {
    customer_id: CustomerId,
    access: SubAccountAccess,
}

impl SubAccountScope {
    pub(super) fn of_credential(customer_id: CustomerId, access: SubAccountAccess) -> Self {
        SubAccountScope {
            customer_id,
            access,
        }
    }

    /// A sub-account of `account`, seen by the account's people (to preview or
    /// manage what its operators see), if it is the account's.
    pub fn within(
        conn: &mut DbConnection,
        account: &CustomerScope,
        sub_account_id: &SubAccountId,
    ) -> QueryResult<Option<Self>> {
        use crate::db::schema::sub_accounts;
        let found: Option<SubAccountAccess> = sub_accounts::table
            .filter(sub_accounts::id.eq(sub_account_id))
            .filter(sub_accounts::customer_id.eq(&account.customer_id))
            .select(SubAccountAccess::as_select())
            .first(conn)
            .optional()?;
        Ok(found.map(|access| SubAccountScope {
            customer_id: account.customer_id.clone(),
            access,
        }))
    }

    pub fn customer_id(&self) -> &CustomerId {
        &self.customer_id
    }

    pub fn access(&self) -> &SubAccountAccess {
        &self.access
    }
}

/// Who acts in a customer console: the whole account, or one sub-account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleScope {
    Account(CustomerScope),
    SubAccount(SubAccountScope),
}

impl ConsoleScope {
    pub fn customer_id(&self) -> &CustomerId {
        match self {
            ConsoleScope::Account(scope) => scope.customer_id(),
            ConsoleScope::SubAccount(scope) => scope.customer_id(),
        }
    }

    /// The sub-account things made in this scope belong to.
    pub fn sub_account_id(&self) -> Option<&str> {
        match self {
            ConsoleScope::Account(_) => None,
            ConsoleScope::SubAccount(scope) => Some(&scope.access.id),
        }
    }

    /// Whether the scope's sub-account, if any, allows the capability.
    pub fn allows(&self, capability: CustomerCapability) -> bool {
        match self {
            ConsoleScope::Account(_) => true,
            ConsoleScope::SubAccount(scope) => scope.access.allows(capability),
        }
    }
}

/// The scopes a row can be found in.
pub trait Scope: sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PartnerScope {}
    impl Sealed for super::CustomerScope {}
    impl Sealed for super::SubAccountScope {}
    impl Sealed for super::ConsoleScope {}
}

impl Scope for PartnerScope {}
impl Scope for CustomerScope {}
impl Scope for SubAccountScope {}
impl Scope for ConsoleScope {}

/// A row found within a scope: what an update asks for instead of a bare id,
/// so that nothing is changed that was not first found in the tenant.
#[derive(Debug, Clone)]
pub struct Owned<T>(T);

impl<T> Owned<T> {
    /// Wraps what a finder has just read with a query filtered by `scope`.
    /// Only functions named `find…` call this (a test over the sources holds it).
    pub fn found_in<S: Scope>(_scope: &S, row: T) -> Owned<T> {
        Owned(row)
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Owned<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
