//! One handler argument for a member's page: the application, the page
//! context and the member asking, extracted in that order.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::PageContext;
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::state::AppState;

/// What a page handler of one area starts from. Handlers take it apart in
/// their signature: `CustomerPage { state, layout, member }: CustomerPage`.
pub struct MemberPage<M> {
    pub state: web::Data<AppState>,
    pub layout: PageContext,
    pub member: M,
}

/// A customer console page, asked by a member of the account.
pub type CustomerPage = MemberPage<CustomerMember>;
/// A partner page, asked by a member of the organisation.
pub type PartnerPage = MemberPage<PartnerMember>;

impl<M> FromRequest for MemberPage<M>
where
    M: FromRequest + 'static,
    M::Error: Into<actix_web::Error>,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = web::Data::<AppState>::from_request(req, payload);
        let layout = PageContext::from_request(req, payload);
        let member = M::from_request(req, payload);
        Box::pin(async move {
            Ok(MemberPage {
                state: state.await?,
                layout: layout.await?,
                member: member.await.map_err(Into::into)?,
            })
        })
    }
}
