//! Adding a passkey on `/account/security`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use serde::Deserialize;
use webauthn_rs::prelude::{Passkey, PasskeyRegistration, RegisterPublicKeyCredential};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::{Done, REGISTER, keep, refuse, start_again, take, webauthn};
use crate::auth::identity::SignedIn;
use crate::auth::session::TypedSession;
use crate::db::{self, DbConnection, DbError};
use crate::second_factor::pages::{ChangeError, add_and_tell};
use crate::second_factor::passkeys;
use crate::state::AppState;
use crate::web::{PageError, PageOf};

const LABEL_MAX_CHARS: usize = 100;

pub async fn register_start(
    state: web::Data<AppState>,
    SignedIn(identity): SignedIn,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let webauthn = webauthn(&state)?;
    let login = identity.login;
    let user = passkeys::user_handle(&login.id)
        .ok_or_else(|| PageError::internal(anyhow::anyhow!("a login id is not a UUID")))?;
    let login_id = login.id.clone();
    let existing = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok(passkeys::passkeys_of(conn, &login_id)?)
    })
    .await?;
    let exclude = existing
        .iter()
        .map(|s| s.passkey.cred_id().clone())
        .collect::<Vec<_>>();
    let display_name = if login.full_name.is_empty() {
        &login.username
    } else {
        &login.full_name
    };
    let (mut options, registration) = webauthn
        .start_passkey_registration(user, &login.username, display_name, Some(exclude))
        .map_err(PageError::internal)?;
    // A passkey that can also sign in without a username: the authenticator
    // keeps it (a discoverable credential).
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    keep::<PasskeyRegistration>(
        &session,
        REGISTER,
        Some(login.id),
        state.clock.now(),
        registration,
    )?;
    Ok(HttpResponse::Ok().json(options))
}

#[derive(Deserialize)]
pub struct NewPasskey {
    label: String,
    credential: RegisterPublicKeyCredential,
}

pub async fn register_finish(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    body: web::Json<NewPasskey>,
) -> Result<HttpResponse, PageError> {
    let webauthn = webauthn(&state)?;
    let now = state.clock.now();
    let NewPasskey { label, credential } = body.into_inner();
    let login_id = identity.login.id;
    let Some(registration) = take::<PasskeyRegistration>(&session, REGISTER, Some(&login_id), now)
    else {
        return Ok(start_again(&layout.tr));
    };
    let label = label.trim().to_owned();
    if label.is_empty() || label.chars().count() > LABEL_MAX_CHARS {
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-label-required",
        ));
    }
    let passkey = match webauthn.finish_passkey_registration(&credential, &registration) {
        Ok(passkey) => passkey,
        Err(error) => {
            tracing::warn!(%error, "passkey registration refused");
            return Ok(refuse(
                &layout.tr,
                StatusCode::BAD_REQUEST,
                "passkey-refused",
            ));
        }
    };
    let added = save(&state, now, login_id, label, passkey).await?;
    let Some(first) = added else {
        return Ok(refuse(
            &layout.tr,
            StatusCode::CONFLICT,
            "passkey-already-registered",
        ));
    };
    // Adding is presenting the factor.
    session
        .second_factor_presented(now.and_utc().timestamp())
        .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-passkey-added").send();
    Ok(HttpResponse::Ok().json(Done {
        redirect: "/account/security".to_owned(),
        recovery_codes: first,
    }))
}

/// Keeps the new passkey and tells the person by email, unless another login
/// already registered the credential (None). Some(true) when it is the login's
/// first factor.
async fn save(
    state: &AppState,
    now: NaiveDateTime,
    login_id: String,
    label: String,
    passkey: Passkey,
) -> Result<Option<bool>, PageError> {
    let settings = state.settings.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<bool>, ChangeError> {
            // One credential, one login.
            if passkeys::is_registered(conn, passkey.cred_id().as_ref())? {
                return Ok(None);
            }
            let add =
                |conn: &mut DbConnection| passkeys::add(conn, now, &login_id, &label, &passkey);
            let first = add_and_tell(conn, &settings, now, &login_id, "email-passkey-added", add)?;
            Ok(Some(first))
        })
    })
    .await
    .map_err(PageError::internal)
}
