//! The operators of a sub-account, from its page: inviting one, removing one,
//! and sending an invitation again.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;

use super::SubAccountError;
use super::operators::{self, OperatorError};
use super::pages::{InviteForm, Typed, back_to, sub_account_page};
use crate::auth::identity::CustomerMember;
use crate::ids::MembershipId;
use crate::invitations::InviteeFields;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::{self, ConfirmForm, Review};
use crate::web::{CustomerPage, FieldErrors, PageError, PageOf};

pub async fn invite(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let typed = form.into_inner();
    let mut errors = FieldErrors::default();
    let login = InviteeFields {
        full_name: &typed.full_name,
        email: &typed.email,
        username: &typed.username,
        language: &typed.language,
    }
    .parse(member.identity.login.time_zone, &mut errors);
    let Some(login) = login.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            invite: Some((typed, errors)),
            ..Typed::default()
        };
        return sub_account_page(&state, layout, &member, id, typed).await;
    };
    let (account, sub_account_id) = (member.account()?.clone(), id.clone());
    let outcome = CustomerChange::run(&state, &member, move |conn, change| {
        let sub_account = super::find_or_missing(conn, &account, &sub_account_id)?;
        operators::invite(conn, change, &sub_account, &login)
    })
    .await;
    let refused = match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-operator-invited").send();
            return Ok(back_to(&id));
        }
        Err(OperatorError::AlreadyOperator) => "sub-account-already-operator",
        Err(error) => return Err(operator_error(error)),
    };
    errors.add("username", refused);
    let typed = Typed {
        invite: Some((typed, errors)),
        ..Typed::default()
    };
    sub_account_page(&state, layout, &member, id, typed).await
}

fn operator_error(error: OperatorError) -> PageError {
    match error {
        OperatorError::NotFound | OperatorError::SubAccount(SubAccountError::NotFound) => {
            PageError::NotFound
        }
        other => PageError::internal(other),
    }
}

/// Takes the sub-account away from an operator, once confirmed.
pub async fn remove(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<(String, String)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let (id, membership_id) = path.into_inner();
    let (sub_account_id, target_id) = (id.clone(), MembershipId::new(membership_id.clone()));
    let (account, confirmed) = (member.account()?.clone(), form.confirmed);
    let (target, sub_account) =
        CustomerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            let sub_account = super::find_or_missing(conn, &account, &sub_account_id)?;
            operators::remove(conn, change, &sub_account, &target_id)
        })
        .await
        .map_err(operator_error)?;
    if !confirmed.yes() {
        let tr = &layout.tr;
        let page = format!("/customer/sub-accounts/{id}");
        let action = format!("{page}/operators/{membership_id}/remove");
        let back = confirm::back_to(&page, &[], &format!("operator-{membership_id}"));
        let summary = if target.pending {
            "confirm-operator-revoke-summary"
        } else {
            "confirm-operator-remove-summary"
        };
        let args = [
            ("name", target.full_name.as_str()),
            ("sub_account", &sub_account),
        ];
        return Review::new(tr, "confirm-operator-remove-heading", action, back)
            .summary(tr.with(summary, &args))
            .fact(
                tr,
                "person",
                "confirm-person",
                format!("{} ({})", target.full_name, target.email),
            )
            .fact(
                tr,
                "sub-account",
                "confirm-sub-account",
                sub_account.clone(),
            )
            .confirm_label(tr, "sub-account-remove-operator")
            .irreversible()
            .render(layout);
    }
    FlashMessage::success("flash-operator-removed").send();
    Ok(back_to(&id))
}

pub async fn resend(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, membership_id) = path.into_inner();
    let (account, sub_account_id) = (member.account()?.clone(), id.clone());
    CustomerChange::run(&state, &member, move |conn, change| {
        let sub_account = super::find_or_missing(conn, &account, &sub_account_id)?;
        let target = MembershipId::new(membership_id.clone());
        operators::resend(conn, change, &sub_account, &target)
    })
    .await
    .map_err(operator_error)?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-invitation-resent").send();
    Ok(back_to(&id))
}
