//! The page an offer's link opens (`/invitations/{token}`): who invites, to
//! what, and for which login. Opening it changes nothing; accepting needs the
//! link (the mailbox) and a session of the login the offer was made to;
//! declining needs only the link.

use crate::accounts::MembershipState;
use crate::ids::MembershipId;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activation::{DeclinedPage, unusable_link};
use super::{accept, decline, withdrawn};
use crate::access::{CustomerRole, PartnerRole};
use crate::auth::identity::{Identity, SignedIn};
use crate::auth::session::TypedSession;
use crate::auth::tokens::digest;
use crate::db::schema::{logins, memberships};
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::{PageContext, PageError, PageOf, render, succeeded};

/// An offer a usable link points to.
struct Offered {
    membership_id: String,
    login_id: String,
    username: String,
    organisation: String,
    role_key: &'static str,
    home: &'static str,
}

/// The role's name and where the membership's pages are.
fn role_and_home(scope: &str, role: &str) -> Option<(&'static str, &'static str)> {
    match scope {
        "partner" => PartnerRole::parse(role).map(|r| (r.label_key(), "/partner")),
        "sub_account" => Some((CustomerRole::Operator.label_key(), "/customer")),
        _ => CustomerRole::parse(role).map(|r| (r.label_key(), "/customer")),
    }
}

fn offered_by(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Offered>> {
    let found: Option<(String, String, String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::invitation_token_hash.eq(digest(token)))
        .filter(memberships::state.eq(MembershipState::Invited))
        .filter(memberships::invitation_expires_at.gt(now))
        .select((
            memberships::id,
            logins::id,
            logins::username,
            memberships::scope,
            memberships::role,
        ))
        .first(conn)
        .optional()?;
    let Some((membership_id, login_id, username, scope, role)) = found else {
        return Ok(None);
    };
    let Some((role_key, home)) = role_and_home(&scope, &role) else {
        return Ok(None);
    };
    Ok(Some(Offered {
        organisation: super::organisation_of(conn, &MembershipId::new(membership_id.clone()))?,
        role_key,
        home,
        membership_id,
        login_id,
        username,
    }))
}

/// Looks the link up: the offer, or whether it was withdrawn.
async fn look_up(state: &AppState, token: String) -> Result<Result<Offered, bool>, PageError> {
    let now = state.clock.now();
    let found = db::run(&state.pool, move |conn| {
        if withdrawn(conn, &token)? {
            return Ok::<_, DbError>(Err(true));
        }
        Ok(offered_by(conn, &token, now)?.ok_or(false))
    })
    .await?;
    Ok(found)
}

#[derive(Template)]
#[template(path = "invitations/offer.html")]
struct OfferPage {
    layout: PageContext,
    token: String,
    username: String,
    organisation: String,
    role_key: &'static str,
    /// Signed in as the login the offer was made to.
    signed_in_as_invited: bool,
    /// Signed in as some other login.
    signed_in_as_other: bool,
}

impl OfferPage {
    fn lead(&self) -> String {
        let role = self.layout.tr.t(self.role_key);
        self.layout.tr.with(
            "invitation-lead",
            &[("organisation", &self.organisation), ("role", &role)],
        )
    }
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let offered = match look_up(&state, token.clone()).await? {
        Ok(offered) => offered,
        Err(withdrawn) => return unusable_link(layout, withdrawn),
    };
    let signed_in = Identity::of_request(&req).map(|identity| identity.login.id);
    render(&OfferPage {
        token,
        username: offered.username,
        organisation: offered.organisation,
        role_key: offered.role_key,
        signed_in_as_invited: signed_in.as_deref() == Some(offered.login_id.as_str()),
        signed_in_as_other: signed_in.is_some_and(|id| id != offered.login_id),
        layout,
    })
}

/// Accepts the offer as the signed-in login, which must be the one it was made
/// to, and acts as the new membership at once.
pub async fn accept_offer(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let offered = match look_up(&state, token.clone()).await? {
        Ok(offered) => offered,
        Err(withdrawn) => return unusable_link(layout, withdrawn),
    };
    if offered.login_id != identity.login.id {
        return Err(PageError::NotFound);
    }
    let now = state.clock.now();
    let membership_id = MembershipId::new(offered.membership_id.clone());
    let login_id = identity.login.id.clone();
    let settings = state.settings.clone();
    let accepted = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<bool, super::OfferError> {
            if !accept(conn, now, &membership_id, &login_id)? {
                return Ok(false);
            }
            super::notify_granted(conn, &settings, now, &membership_id)?;
            Ok(true)
        })
    })
    .await
    .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    if !accepted {
        return unusable_link(layout, false);
    }
    session
        .choose_membership(&offered.membership_id)
        .map_err(PageError::internal)?;
    Ok(succeeded("flash-invitation-accepted", offered.home))
}

/// Declines the offer: the link proves the mailbox, no sign-in needed.
pub async fn decline_offer(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let offered = match look_up(&state, token.clone()).await? {
        Ok(offered) => offered,
        Err(withdrawn) => return unusable_link(layout, withdrawn),
    };
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            decline(
                conn,
                now,
                &MembershipId::new(offered.membership_id.clone()),
                &offered.login_id,
            )
            .map_err(DbError::from)
        })
    })
    .await?;
    render(&DeclinedPage { layout })
}
