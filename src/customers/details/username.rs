//! Changing the username of a customer's administrator.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::page::{Refusal, details_page};
use crate::accounts::Username;
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::customers::{Customer, CustomerError, CustomerId, find, page_error, record_change};
use crate::db::schema::{customer_accounts, logins, memberships};
use crate::db::{DbConnection, OrTaken};
use crate::ids::MembershipId;
use crate::tenancy::PartnerChange;
use crate::web::{PageError, PageOf, PartnerPage, succeeded};

#[derive(Deserialize)]
pub struct UsernameForm {
    #[serde(default)]
    membership_id: String,
    #[serde(default)]
    username: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UsernameError {
    #[error("not activated yet")]
    NotActivated,
    #[error("the login is shared beyond this partner's customers")]
    Shared,
    #[error("the username is taken")]
    Taken,
    /// An address-shaped username that is not the login's own address.
    #[error("the username is another address")]
    AnotherAddress,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

crate::customers::wraps_customer_error!(UsernameError);

/// Changes the username of a customer's administrator (only once its
/// owner has activated it). A login that also belongs elsewhere than this
/// partner's customers is left to its owner.
pub async fn change_username(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<UsernameForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let form = form.into_inner();
    let username = match Username::parse(&form.username) {
        Ok(username) => username,
        Err(problem) => {
            let refusal = Refusal::username(problem.message_key(), form.username);
            return details_page(&state, layout, &member, customer_id, refusal).await;
        }
    };
    let id = CustomerId::new(customer_id.clone());
    let membership_id = MembershipId::new(form.membership_id.clone());
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        rename_administrator(conn, change, &customer, &membership_id, &username)
    })
    .await;
    let key = match outcome {
        Ok(()) => {
            return Ok(succeeded(
                "flash-username-changed",
                &format!("/partner/customers/{customer_id}"),
            ));
        }
        Err(UsernameError::NotActivated) => "customer-username-after-activation",
        Err(UsernameError::Shared) => "customer-username-shared",
        Err(UsernameError::Taken) => "customer-username-taken",
        Err(UsernameError::AnotherAddress) => "username-is-another-email",
        Err(UsernameError::Customer(error)) => return Err(page_error(error)),
    };
    let refusal = Refusal::username(key, form.username);
    details_page(&state, layout, &member, customer_id, refusal).await
}

fn rename_administrator(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    membership_id: &MembershipId,
    username: &Username,
) -> Result<(), UsernameError> {
    let (login_id, state, old, email): (String, String, String, String) = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::customer_id.eq(&customer.id))
        .filter(memberships::state.ne(MembershipState::Invited))
        .select((logins::id, logins::state, logins::username, logins::email))
        .first(conn)
        .optional()?
        .ok_or(CustomerError::NotFound)?;
    if state != LoginState::Active.as_str() {
        return Err(UsernameError::NotActivated);
    }
    let address_is_theirs = crate::accounts::EmailAddress::parse(&email)
        .map(|email| username.may_belong_to(&email))
        .unwrap_or(false);
    if !address_is_theirs {
        return Err(UsernameError::AnotherAddress);
    }
    let ours = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(change.partner_id()))
        .select(customer_accounts::id);
    let elsewhere: i64 = memberships::table
        .filter(memberships::login_id.eq(&login_id))
        .filter(memberships::customer_id.is_null().or(diesel::dsl::not(
            memberships::customer_id.assume_not_null().eq_any(ours),
        )))
        .count()
        .get_result(conn)?;
    if elsewhere > 0 {
        return Err(UsernameError::Shared);
    }
    let taken: i64 = logins::table
        .filter(logins::username_key.eq(username.key()))
        .filter(logins::id.ne(&login_id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(UsernameError::Taken);
    }
    diesel::update(logins::table.filter(logins::id.eq(&login_id)))
        .set((
            logins::username.eq(username.as_str()),
            logins::username_key.eq(username.key()),
            logins::updated_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(UsernameError::Taken)?;
    let details = format!("{old} → {}", username.as_str());
    record_change(conn, change, customer, Action::UsernameChanged, &details)?;
    Ok(())
}
