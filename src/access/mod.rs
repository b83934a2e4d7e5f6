//! Who may do what. The partner role matrix of the spec lives here, in one table;
//! `decide` is the one place where a request is let through or not, and every
//! route declares what it needs in `crate::routes`.

mod matrix;

pub use matrix::{Capability, PARTNER_MATRIX, PartnerRole};

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
                MembershipScope::Partner { role, .. } if role.can(capability) => Decision::Allow,
                MembershipScope::Partner { .. } => Decision::Forbidden,
            },
        },
    }
}
