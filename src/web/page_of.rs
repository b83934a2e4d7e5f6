//! One handler argument for a page: the application, the page context and
//! who is asking, extracted in that order.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::PageContext;
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::state::AppState;

/// What a page handler starts from: the application, the page context and
/// who is asking (a member, or any signed-in person: `PageOf<SignedIn>`).
/// Handlers take it apart in their signature,
/// `PageOf(state, layout, member): CustomerPage`.
pub struct PageOf<M>(pub web::Data<AppState>, pub PageContext, pub M);

/// A customer console page, asked by a member of the account.
pub type CustomerPage = PageOf<CustomerMember>;
/// A partner page, asked by a member of the organisation.
pub type PartnerPage = PageOf<PartnerMember>;

impl<M> FromRequest for PageOf<M>
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
            Ok(PageOf(
                state.await?,
                layout.await?,
                member.await.map_err(Into::into)?,
            ))
        })
    }
}
