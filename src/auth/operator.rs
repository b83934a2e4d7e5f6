//! The instance operator as a handler argument: made only from a signed-in
//! login whose standing is `Operator`; the route's access rule has already sent
//! everyone else away, and this answers 404 again should a route forget it.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::identity::Identity;
use crate::access::OperatorStanding;
use crate::errors::PageError;
use crate::instance_log::OperatorActor;

pub struct InstanceOperator {
    pub identity: Identity,
}

impl InstanceOperator {
    /// The operator as the instance's log names them.
    pub fn actor(&self) -> OperatorActor<'_> {
        OperatorActor {
            login_id: Some(&self.identity.login.id),
            name: &self.identity.login.full_name,
        }
    }
}

impl FromRequest for InstanceOperator {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            Identity::of_request(req)
                .filter(|identity| identity.operator == OperatorStanding::Operator)
                .map(|identity| InstanceOperator { identity })
                .ok_or(PageError::NotFound),
        )
    }
}
