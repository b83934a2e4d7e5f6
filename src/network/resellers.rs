//! A distributor's resellers (`/partner/resellers`): every organisation under
//! the member's, in tree order, with its customers; and, for its owners,
//! creating a reseller directly under it with its first owner, invited exactly
//! as the instance operator invites one (`organisations::create_within`): an
//! existing login is offered the organisation, never attached to it.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::customers::NetworkView;
use super::tree::Node;
use crate::access::Capability;
use crate::audit::Action;
use crate::db::schema::{customer_counts, partner_organisations};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::Lang;
use crate::organisations::input::PartnerInput;
use crate::organisations::{self, PartnerError};
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

pub struct ResellerRow {
    pub node: Node,
    pub parent: Option<String>,
    pub customers: i64,
    pub customers_href: String,
    /// Where the member enters this reseller's portal: a direct reseller
    /// whose owners allow its distributor to help, for a member who may.
    pub assist_href: Option<String>,
}

#[derive(Template)]
#[template(path = "network/resellers.html")]
struct ResellersPage {
    layout: PageContext,
    rows: Vec<ResellerRow>,
    can_create: bool,
}

/// The direct resellers among `ids` whose owners let their distributor help.
fn allowing_assistance(
    conn: &mut DbConnection,
    parent: &str,
    ids: &[String],
) -> QueryResult<HashSet<String>> {
    let allowing: Vec<String> = partner_organisations::table
        .filter(partner_organisations::id.eq_any(ids))
        .filter(partner_organisations::parent_id.eq(parent))
        .filter(partner_organisations::distributor_assistance.eq(true))
        .select(partner_organisations::id)
        .load(conn)?;
    Ok(allowing.into_iter().collect())
}

/// Each organisation's customers, from the kept counts.
fn customers_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<HashMap<String, i64>> {
    let counted: Vec<(String, Option<i64>)> = customer_counts::table
        .filter(customer_counts::partner_id.eq_any(ids))
        .group_by(customer_counts::partner_id)
        .select((
            customer_counts::partner_id,
            diesel::dsl::sum(customer_counts::customers),
        ))
        .load(conn)?;
    Ok(counted
        .into_iter()
        .map(|(id, count)| (id, count.unwrap_or(0)))
        .collect())
}

pub async fn list(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let (network, counts, allowing) = db::run(&state.pool, move |conn| {
        let network = super::network_of(conn, &scope)?;
        let ids: Vec<String> = network.iter().map(|node| node.id.clone()).collect();
        let counts = customers_of(conn, &ids)?;
        let allowing = allowing_assistance(conn, scope.partner_id().as_str(), &ids)?;
        Ok::<_, DbError>((network, counts, allowing))
    })
    .await?;
    let may_assist = member.role.can(Capability::AssistResellers);
    let names: HashMap<String, String> = network
        .iter()
        .map(|node| (node.id.clone(), node.name.clone()))
        .collect();
    let rows = network
        .into_iter()
        .map(|node| ResellerRow {
            // A direct reseller's parent is the member's own organisation.
            parent: node
                .parent_id
                .as_ref()
                .and_then(|id| names.get(id).cloned()),
            customers: counts.get(&node.id).copied().unwrap_or(0),
            customers_href: NetworkView {
                reseller: Some(node.id.clone()),
                ..NetworkView::default()
            }
            .link(|_| {}),
            assist_href: (may_assist && allowing.contains(&node.id))
                .then(|| format!("/partner/resellers/{}/assist", node.id)),
            node,
        })
        .collect();
    render(&ResellersPage {
        layout,
        rows,
        can_create: member.role.can(Capability::ManageResellers),
    })
}

/// The form as typed: every value comes back on a refusal.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResellerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    language: String,
}

#[derive(Template)]
#[template(path = "network/create_reseller.html")]
struct CreatePage {
    layout: PageContext,
    form: ResellerForm,
    errors: FieldErrors,
    languages: [Lang; 2],
}

pub async fn form(layout: PageContext) -> Result<HttpResponse, PageError> {
    let form = ResellerForm {
        language: layout.lang.code().to_owned(),
        ..ResellerForm::default()
    };
    render(&CreatePage {
        layout,
        form,
        errors: FieldErrors::default(),
        languages: Lang::ALL,
    })
}

/// What creating a reseller may fail with.
#[derive(Debug, thiserror::Error)]
enum CreateError {
    #[error(transparent)]
    Partner(#[from] PartnerError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for CreateError {
    fn from(error: diesel::result::Error) -> Self {
        CreateError::Partner(error.into())
    }
}

pub async fn create(
    PageOf(state, layout, member): PartnerPage,
    form: web::Form<ResellerForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let input = PartnerInput {
        name: form.name.clone(),
        // The owner signs in with their email address.
        owner_username: form.owner_email.clone(),
        owner_email: String::new(),
        owner_name: form.owner_name.clone(),
        language: form.language.clone(),
        time_zone: member.identity.login.time_zone.name().to_owned(),
        parent: Some(member.partner_id().as_str().to_owned()),
        second_factor_required: true,
    };
    let new = match input.parse() {
        Ok(new) => new,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for (field, problem) in problems {
                let field = match field {
                    "owner_username" => "owner_email",
                    other => other,
                };
                if !errors.has(field) {
                    errors.add(field, problem.message_key());
                }
            }
            return render(&CreatePage {
                layout,
                form,
                errors,
                languages: Lang::ALL,
            });
        }
    };
    PartnerChange::run(&state, &member, move |conn, change| {
        organisations::create_within(conn, &change.settings, change.now, &new)?;
        change.record(
            conn,
            Action::ResellerCreated,
            new.name.as_str(),
            new.owner.username.as_str(),
        )?;
        Ok::<_, CreateError>(())
    })
    .await
    .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-reseller-created", "/partner/resellers"))
}
