//! Customer permissions: "buy own reservations". Off by default;
//! owners and admin agents turn it on or off, sales and helpdesk agents see it
//! read-only (the matrix). Turning it on needs an active usage-based subscription
//! and a customer user holding the Owner role on one. Each effective change is
//! logged once, as "Create customer purchase permissions" or "Delete customer
//! purchase permissions"; a request that changes nothing logs nothing.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use diesel::prelude::*;
use serde::Deserialize;

use super::{CommerceError, page_error};
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::console::users::lock_account;
use crate::customers;
use crate::db::DbConnection;
use crate::db::schema::{customer_permissions, partner_organisations};
use crate::tenancy::PartnerChange;
use crate::web::confirm::{Confirmed, Review, back_to};
use crate::web::{PageError, PageOf, PartnerPage, see_other};

use crate::tenancy::purchase_permission::{
    BUY_RESERVATIONS, PurchasePermission, purchase_permission,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggled {
    Changed,
    Unchanged,
    /// Turning on was refused: something it needs is missing.
    Missing(PurchasePermission),
}

/// Turns the permission on or off for a customer the caller has scoped. Safe
/// under concurrent requests: the row's presence is the state, written by one
/// statement whose effect says whether anything changed.
pub fn set_buy_reservations(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<customers::Customer>,
    on: bool,
) -> Result<Toggled, CommerceError> {
    // Serialises with owner and subscription changes of the same account
    // (PostgreSQL; SQLite's write transactions already are serial).
    lock_account(conn, &customer.id)?;
    let changed = if on {
        let state = purchase_permission(conn, &customer.id)?;
        if state.on {
            0
        } else if !state.can_turn_on() {
            return Ok(Toggled::Missing(state));
        } else {
            // The account's lock makes the check and the insert one step.
            diesel::insert_into(customer_permissions::table)
                .values((
                    customer_permissions::customer_id.eq(&customer.id),
                    customer_permissions::permission.eq(BUY_RESERVATIONS),
                    customer_permissions::granted_by_login_id.eq(&change.login_id),
                    customer_permissions::granted_at.eq(change.now),
                ))
                .execute(conn)?
        }
    } else {
        diesel::delete(
            customer_permissions::table
                .filter(customer_permissions::customer_id.eq(&customer.id))
                .filter(customer_permissions::permission.eq(BUY_RESERVATIONS)),
        )
        .execute(conn)?
    };
    if changed == 0 {
        return Ok(Toggled::Unchanged);
    }
    let action = if on {
        Action::PurchasePermissionsCreated
    } else {
        Action::PurchasePermissionsDeleted
    };
    customers::record_change(conn, change, customer, action, "")?;
    Ok(Toggled::Changed)
}

#[derive(Deserialize)]
pub struct PermissionForm {
    /// "on" or "off".
    #[serde(default)]
    buy_reservations: String,
    /// Turning on is confirmed first; turning off is not, as it costs nothing.
    #[serde(default)]
    confirmed: Confirmed,
}

pub async fn change(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<PermissionForm>,
) -> Result<HttpResponse, PageError> {
    let on = match form.buy_reservations.as_str() {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    };
    let confirmed = match on {
        Some(false) => Confirmed::YES,
        _ => form.confirmed,
    };
    let customer_id = customer_id.into_inner();
    let id = CustomerId::new(customer_id.clone());
    let toggled =
        PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            // The customer first: another partner's id is missing whatever the form says.
            let customer = customers::find(conn, change.scope(), &id)?;
            let on = on.ok_or(CommerceError::Malformed)?;
            let toggled = set_buy_reservations(conn, change, &customer, on)?;
            let partner: String = partner_organisations::table
                .find(change.partner_id())
                .select(partner_organisations::name)
                .first(conn)?;
            Ok::<_, CommerceError>((toggled, on, customer.into_inner().name, partner))
        })
        .await
        .map_err(page_error)?;
    let (toggled, on, name, partner) = toggled;
    let mut location = format!("/partner/customers/{customer_id}");
    if toggled == Toggled::Changed && !confirmed.yes() {
        let tr = &layout.tr;
        let action = format!("{location}/permissions");
        let back = back_to(&location, &[], "permissions");
        return Review::new(tr, "confirm-permission-heading", action, back)
            .summary(tr.with(
                "confirm-permission-summary",
                &[("customer", &name), ("partner", &partner)],
            ))
            .fact(tr, "customer", "confirm-customer", name.clone())
            .fact(
                tr,
                "permission",
                "confirm-permission",
                tr.t("permissions-allow-purchase"),
            )
            .fact(tr, "billed-to", "confirm-billed-to", partner)
            .field("buy_reservations", "on")
            .confirm_label(tr, "permission-turn-on")
            .render(layout);
    }
    match toggled {
        Toggled::Changed if on => FlashMessage::success("flash-permission-on").send(),
        Toggled::Changed => FlashMessage::success("flash-permission-off").send(),
        Toggled::Unchanged => FlashMessage::info("flash-permission-unchanged").send(),
        Toggled::Missing(_) => {
            FlashMessage::error("flash-permission-refused").send();
            location.push_str("?permission=refused");
        }
    }
    location.push_str("#permissions");
    Ok(see_other(&location))
}
