//! Who may do what. The partner role matrix of the spec lives here, in one table;
//! `decide` is the one place where a request is let through or not, and every
//! route declares what it needs in `crate::routes`.

mod matrix;

pub use matrix::{Capability, PARTNER_MATRIX, PartnerRole};

/// The roles of a customer account's people. The console that gives them their
/// own rights comes with the customer console; today an administrator sees
/// their account's overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerRole {
    Administrator,
    User,
}

impl CustomerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "administrator",
            CustomerRole::User => "user",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [CustomerRole::Administrator, CustomerRole::User]
            .into_iter()
            .find(|role| role.as_str() == value)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "role-customer-administrator",
            CustomerRole::User => "role-customer-user",
        }
    }
}

use crate::auth::identity::{Identity, MembershipScope};

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in login, whatever membership it has chosen.
    SignedIn,
    /// A member of a partner organisation whose role has the capability.
    Partner(Capability),
    /// A member of a customer account.
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Not signed in: go to the sign-in page.
    SignIn,
    /// Signed in but without a membership chosen: go to the picker.
    ChooseMembership,
    /// This area is not the membership's: answered like a missing page.
    NotFound,
    /// The membership's role lacks the capability.
    Forbidden,
}

pub fn decide(access: Access, identity: Option<&Identity>) -> Decision {
    match (access, identity) {
        (Access::Public, _) => Decision::Allow,
        (_, None) => Decision::SignIn,
        (Access::SignedIn, Some(_)) => Decision::Allow,
        (Access::Partner(capability), Some(identity)) => match &identity.membership {
            None => Decision::ChooseMembership,
            Some(membership) => match membership.scope {
                MembershipScope::Partner { role } if role.can(capability) => Decision::Allow,
                MembershipScope::Partner { .. } => Decision::Forbidden,
                MembershipScope::Customer { .. } => Decision::NotFound,
            },
        },
        (Access::Customer, Some(identity)) => match &identity.membership {
            None => Decision::ChooseMembership,
            Some(membership) => match membership.scope {
                MembershipScope::Customer { .. } => Decision::Allow,
                MembershipScope::Partner { .. } => Decision::NotFound,
            },
        },
    }
}
