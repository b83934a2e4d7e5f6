//! `/api/v1/partner/staff`: the organisation's people as the staff page lists
//! them (`staff::list`), with their role and state, pending invitations among
//! them, and whether each has a second factor.

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::keyset::rfc3339;
use crate::auth::partner_tokens::PartnerClient;
use crate::db;
use crate::db::schema::second_factors;
use crate::staff::StaffMember;
use crate::state::AppState;
use crate::web::json_api::ApiError;

/// An invitation still waiting for its person.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationBody {
    /// When it was last sent, RFC 3339 UTC.
    #[schema(format = DateTime)]
    pub sent_at: String,
    /// When its link stops working, RFC 3339 UTC.
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub expired: bool,
    /// The latest invitation email could not be delivered.
    pub bounced: bool,
}

/// A person of the organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBody {
    pub membership_id: String,
    pub name: String,
    pub username: String,
    pub email: String,
    /// `owner`, `admin_agent`, `sales_agent` or `helpdesk_agent`.
    pub role: String,
    /// `active`, `invited` (the invitation waits) or `disabled`.
    pub state: String,
    pub second_factor_enrolled: bool,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub joined_at: String,
    /// For an invited person: the invitation.
    pub invitation: Option<InvitationBody>,
}

/// The organisation's people, as the staff page lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StaffQuery {
    pending: String,
}

fn body(member: StaffMember, enrolled: &HashSet<String>, now: chrono::NaiveDateTime) -> StaffBody {
    let state = if !member.active {
        "disabled"
    } else if member.pending {
        "invited"
    } else {
        "active"
    };
    let invitation = member
        .sent
        .as_ref()
        .filter(|_| member.active && member.pending)
        .map(|sent| InvitationBody {
            sent_at: rfc3339(sent.at),
            expires_at: rfc3339(sent.until),
            expired: sent.expired(now),
            bounced: member.bounced,
        });
    StaffBody {
        second_factor_enrolled: enrolled.contains(&member.login_id),
        membership_id: member.membership_id,
        name: member.full_name,
        username: member.username,
        email: member.email,
        role: member.role.as_str().to_owned(),
        state: state.to_owned(),
        joined_at: rfc3339(member.joined_at),
        invitation,
    }
}

/// Lists the organisation's people and pending invitations.
#[utoipa::path(
    get,
    path = "/api/v1/partner/staff",
    tag = "staff",
    params(
        ("pending" = Option<String>, Query, description = "`expiring`: only the invitations whose link stops working within a day"),
    ),
    responses(
        (status = 200, description = "The organisation's people", body = StaffList),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `staff:read`, or its creator's role may not manage staff", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["staff:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let query = web::Query::<StaffQuery>::from_query(req.query_string())
        .map_err(|_| ApiError::Malformed)?;
    let scope = client.scope().clone();
    let (mut members, enrolled) = db::run(&state.pool, move |conn| {
        let members = crate::staff::list(conn, &scope)?;
        let logins: Vec<&str> = members.iter().map(|m| m.login_id.as_str()).collect();
        let enrolled: Vec<String> = second_factors::table
            .filter(second_factors::login_id.eq_any(logins))
            .select(second_factors::login_id)
            .distinct()
            .load(conn)?;
        Ok::<_, ApiError>((members, enrolled.into_iter().collect::<HashSet<_>>()))
    })
    .await?;
    let now = state.clock.now();
    if query.pending == "expiring" {
        members.retain(|m| m.invitation_expiring(now));
    }
    Ok(HttpResponse::Ok().json(StaffList {
        staff: members
            .into_iter()
            .map(|m| body(m, &enrolled, now))
            .collect(),
    }))
}
