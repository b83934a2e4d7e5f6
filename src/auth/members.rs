//! The handler arguments for the partner area and the customer console: the
//! identity with the membership it acts as, in that area's role. A request of
//! another area answers like a missing page.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::identity::{Identity, Membership, MembershipScope};
use crate::access::{CustomerRole, PartnerRole};
use crate::errors::PageError;

/// A handler argument for partner pages: the identity and its partner membership.
pub struct PartnerMember {
    pub identity: Identity,
    pub membership: Membership,
    pub role: PartnerRole,
}

impl PartnerMember {
    pub fn partner_id(&self) -> &str {
        &self.membership.tenant_id
    }

    /// (login id, full name, membership id), owned, for work moved to another thread.
    pub fn actor_parts(&self) -> (String, String, String) {
        (
            self.identity.login.id.clone(),
            self.identity.login.full_name.clone(),
            self.membership.id.clone(),
        )
    }

    /// The real person, acting as this membership, for the activity log.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            login_id: Some(&self.identity.login.id),
            name: &self.identity.login.full_name,
            membership_id: Some(&self.membership.id),
            on_behalf_of: None,
        }
    }
}

impl FromRequest for PartnerMember {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let member = Identity::of_request(req).and_then(|identity| {
            let membership = identity.membership.clone()?;
            let MembershipScope::Partner { role } = membership.scope else {
                return None;
            };
            Some(PartnerMember {
                identity,
                membership,
                role,
            })
        });
        ready(member.ok_or(PageError::NotFound))
    }
}

/// A handler argument for customer console pages: the identity and its membership
/// of a customer account.
pub struct CustomerMember {
    pub identity: Identity,
    pub membership: Membership,
    pub role: CustomerRole,
}

impl CustomerMember {
    pub fn customer_id(&self) -> &str {
        &self.membership.tenant_id
    }

    /// (login id, full name, membership id), owned, for work moved to another thread.
    pub fn actor_parts(&self) -> (String, String, String) {
        (
            self.identity.login.id.clone(),
            self.identity.login.full_name.clone(),
            self.membership.id.clone(),
        )
    }
}

impl FromRequest for CustomerMember {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let member = Identity::of_request(req).and_then(|identity| {
            let membership = identity.membership.clone()?;
            let MembershipScope::Customer { role } = membership.scope else {
                return None;
            };
            Some(CustomerMember {
                identity,
                membership,
                role,
            })
        });
        ready(member.ok_or(PageError::NotFound))
    }
}
