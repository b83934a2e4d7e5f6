//! The handler arguments for the partner area and the customer console: the
//! identity with the membership it acts as, in that area's role. A request of
//! another area answers like a missing page.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::identity::{Identity, Membership, MembershipScope};
use super::scope::{ConsoleScope, CustomerScope, PartnerScope, SubAccountScope};
use crate::access::{CustomerRole, PartnerRole};
use crate::errors::PageError;
use crate::ids::{CustomerId, PartnerId};

/// A handler argument for partner pages: the identity and its partner membership.
pub struct PartnerMember {
    pub identity: Identity,
    pub membership: Membership,
    pub role: PartnerRole,
    scope: PartnerScope,
}

impl PartnerMember {
    /// The organisation this member acts in: every query of the partner area
    /// is scoped by it.
    pub fn scope(&self) -> &PartnerScope {
        &self.scope
    }

    pub fn partner_id(&self) -> &PartnerId {
        self.scope.partner_id()
    }

    /// (login id, full name, membership id), owned, for work moved to another thread.
    pub fn actor_parts(&self) -> (String, String, String) {
        (
            self.identity.login.id.clone(),
            self.identity.login.full_name.clone(),
            self.membership.id.clone(),
        )
    }

    /// The real person, acting as this membership, for the activity log; in
    /// a reseller's portal, on behalf of the distributor they came for.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            login_id: Some(&self.identity.login.id),
            name: &self.identity.login.full_name,
            membership_id: Some(&self.membership.id),
            on_behalf_of: self
                .identity
                .assisting_reseller
                .as_ref()
                .map(|assisting| assisting.distributor_name.as_str()),
            api_token_id: None,
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
            let scope = PartnerScope::of_credential(
                PartnerId::new(membership.tenant_id.clone()),
                membership.reach.clone(),
            );
            Some(PartnerMember {
                identity,
                membership,
                role,
                scope,
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
    scope: ConsoleScope,
}

impl CustomerMember {
    /// The account, or the operator's sub-account, this member acts in.
    pub fn scope(&self) -> &ConsoleScope {
        &self.scope
    }

    /// The whole account, for the pages an operator never reaches (the route
    /// table refuses them first); an operator asking is answered as missing.
    pub fn account(&self) -> Result<&CustomerScope, PageError> {
        match &self.scope {
            ConsoleScope::Account(scope) => Ok(scope),
            ConsoleScope::SubAccount(_) => Err(PageError::NotFound),
        }
    }

    pub fn customer_id(&self) -> &CustomerId {
        self.scope.customer_id()
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
            let customer_id = CustomerId::new(membership.tenant_id.clone());
            let scope = match &membership.sub_account {
                Some(access) => ConsoleScope::SubAccount(SubAccountScope::of_credential(
                    customer_id,
                    access.clone(),
                )),
                None => ConsoleScope::Account(CustomerScope::of_credential(customer_id)),
            };
            Some(CustomerMember {
                identity,
                membership,
                role,
                scope,
            })
        });
        ready(member.ok_or(PageError::NotFound))
    }
}
