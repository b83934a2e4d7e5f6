//! A partner with a row in every table the partner archive carries, built with
//! the suite's fixture helpers, for the export and import round trip; and
//! reading, writing and comparing archives and databases.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::customers::{CustomerState, Health, LicenceStatus};
use partnerdesk::db::DbConnection;
use partnerdesk::db::partner_archive::{self, Row, tables::CARRIED};
use partnerdesk::db::schema::{
    alert_definition_recipients, customer_permissions, customer_security, logins, offers,
    service_request_messages,
};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::monitoring_helpers::{api_post, rfc3339};

/// What a test needs to know of the partner it built.
pub struct RichPartner {
    pub id: String,
    pub owner: String,
    pub customers: Vec<String>,
    pub customer_names: Vec<String>,
    /// The catalogue offers its orders name: (name, kind, price, term).
    pub offers: Vec<(String, String, String, Option<i32>)>,
}

/// `organisation` with staff (one with an authenticator and recovery codes,
/// one invited), two customers with people, sites, devices, licences, a
/// group, orders, a subscription with an owner, a reservation, a purchase
/// permission, service health, a service request with a message, monitoring
/// (results, rollups, errors, a dashboard, an alert) and a sub-account with an
/// operator and an API token; and its activity log.
pub async fn rich_partner(app: &TestApp, organisation: &str, tag: &str) -> RichPartner {
    let id = app.invite_partner_owner(organisation, &format!("olga@{tag}.example"), Lang::En);
    let owner = format!("owner@{tag}.example");
    let owner_membership = app.active_member(&id, &owner, PartnerRole::Owner);
    let agent = format!("agent@{tag}.example");
    let agent_membership = app.active_member(&id, &agent, PartnerRole::HelpdeskAgent);
    app.pending_staff(&id, &format!("newcomer@{tag}.example"));
    second_factor_of(app, &agent);
    let alpha_spec = CustomerSpec {
        licences: vec![(LicenceStatus::Active, true), (LicenceStatus::Trial, false)],
        age_minutes: 90,
        ..CustomerSpec::named(&format!("{organisation} Alpha"))
    };
    let beta_spec = CustomerSpec {
        state: CustomerState::Suspended,
        ..CustomerSpec::named(&format!("{organisation} Beta"))
    };
    let alpha = app.customer(&id, &alpha_spec);
    let beta = app.customer(&id, &beta_spec);
    app.enrolled_devices(&alpha, 2);
    let keyed = app.group_with(
        &id,
        &format!("{organisation} key accounts"),
        &[&alpha, &beta],
    );
    // The agent reaches the key accounts only; a rule-based group beside.
    app.limit_to_groups(&agent_membership, &[&keyed]);
    app.rule_group(&id, &format!("{organisation} in France"), "FR");
    let offers = commerce_of(app, &id, &alpha, tag);
    console_of(app, &alpha, tag);
    monitoring_of(app, &alpha, tag).await;
    logged_through_the_server(app, &owner, organisation).await;
    let (gamma, gamma_name) = created_through_the_api(app, &owner_membership, organisation).await;
    RichPartner {
        id,
        owner,
        customers: vec![alpha, beta, gamma],
        customer_names: vec![alpha_spec.name, beta_spec.name, gamma_name],
        offers,
    }
}

fn login_id(app: &TestApp, username: &str) -> String {
    logins::table
        .filter(logins::username_key.eq(username))
        .select(logins::id)
        .first(&mut app.conn())
        .expect("the login")
}

fn second_factor_of(app: &TestApp, username: &str) {
    let mut conn = app.conn();
    let login = login_id(app, username);
    let secret = partnerdesk::second_factor::new_secret();
    partnerdesk::second_factor::add_totp(&mut conn, app.clock_now(), &login, "Phone", &secret, 1)
        .expect("authenticator");
    partnerdesk::second_factor::issue_recovery_codes(&mut conn, app.clock_now(), &login)
        .expect("recovery codes");
}

/// Orders, a subscription with an owner, a reservation on it and the purchase
/// permission; returns the offers.
fn commerce_of(
    app: &TestApp,
    partner: &str,
    customer: &str,
    tag: &str,
) -> Vec<(String, String, String, Option<i32>)> {
    let offers = vec![
        (
            format!("Usage {tag}"),
            "usage_subscription".to_owned(),
            "4.50".to_owned(),
            None,
        ),
        (
            format!("Reserved {tag}"),
            "reservation".to_owned(),
            "120.00".to_owned(),
            Some(12),
        ),
    ];
    let ids: Vec<String> = offers
        .iter()
        .map(|(name, kind, price, months)| app.offer(name, kind, price, *months))
        .collect();
    let subscription = app.ordered(partner, customer, &ids[0], None, PlacedBy::Partner);
    app.ordered(
        partner,
        customer,
        &ids[1],
        Some(&subscription),
        PlacedBy::Partner,
    );
    let admin = app.customer_administrator(customer, &format!("admin@alpha-{tag}.example"));
    app.subscription_owner(&subscription, &admin);
    diesel::insert_into(customer_permissions::table)
        .values((
            customer_permissions::customer_id.eq(customer),
            customer_permissions::permission.eq("buy_reservations"),
            customer_permissions::granted_by_login_id
                .eq(login_id(app, &format!("owner@{tag}.example"))),
            customer_permissions::granted_at.eq(app.clock_now()),
        ))
        .execute(&mut app.conn())
        .expect("permission");
    offers
}

/// The customer's people, site administrator, security rule, service health
/// and a service request with a message.
fn console_of(app: &TestApp, customer: &str, tag: &str) {
    let admin = format!("admin@alpha-{tag}.example");
    let user = app.customer_member(customer, &format!("user@alpha-{tag}.example"), "user");
    app.site_administrator(&app.first_site(customer), &user);
    app.pending_customer_user(customer, &format!("invited@alpha-{tag}.example"));
    let mut conn = app.conn();
    diesel::insert_into(customer_security::table)
        .values((
            customer_security::customer_id.eq(customer),
            customer_security::second_factor_required_since.eq(Some(app.clock_now())),
            customer_security::second_factor_grace_days.eq(3),
        ))
        .execute(&mut conn)
        .expect("security rule");
    app.incident(customer, "Mail", Health::Incident);
    let request = app.service_request(customer, &admin, "The printer");
    diesel::insert_into(service_request_messages::table)
        .values((
            service_request_messages::id.eq(uuid::Uuid::new_v4().to_string()),
            service_request_messages::request_id.eq(&request),
            service_request_messages::author_login_id.eq(login_id(app, &admin)),
            service_request_messages::author_name.eq("Person admin"),
            service_request_messages::author_side.eq("customer"),
            service_request_messages::body.eq("It prints nothing."),
            service_request_messages::created_at.eq(app.clock_now()),
        ))
        .execute(&mut conn)
        .expect("message");
}

/// A monitor with results, rollups and an error log entry sent through the
/// account's API, a dashboard, a sub-account granted both, its operator, an
/// alert emailing the operator, and API tokens.
async fn monitoring_of(app: &TestApp, customer: &str, tag: &str) {
    let monitor = app.monitor(customer, "Website");
    let dashboard = app.dashboard(customer, "SLA", &[&monitor]);
    let sub_account = app.sub_account(customer, "Vendor", None);
    app.grant(&sub_account, &[&dashboard], &[&monitor]);
    let operator = app.operator(&sub_account, &format!("vendor@{tag}.example"));
    let alert = app.alert_definition(customer, &sub_account, "Down", &monitor);
    diesel::insert_into(alert_definition_recipients::table)
        .values((
            alert_definition_recipients::alert_definition_id.eq(&alert),
            alert_definition_recipients::membership_id.eq(&operator),
        ))
        .execute(&mut app.conn())
        .expect("recipient");
    app.sub_account_api_token(customer, &sub_account);
    let (_, token) = app.customer_api_token(customer);
    let now = app.clock_now();
    let results = json!({"results": [
        {"checked_at": rfc3339(now - Duration::days(2)), "success": true, "response_ms": 120},
        {"checked_at": rfc3339(now - Duration::minutes(5)), "success": false, "message": "HTTP 503"},
    ]});
    let path = format!("/api/v1/monitors/{monitor}/results");
    let (status, body) = api_post(app, &token, &path, results).await;
    assert_eq!(status, 201, "{body}");
    let errors = json!({"logged_at": rfc3339(now), "severity": "critical", "message": "Expiring"});
    let path = format!("/api/v1/monitors/{monitor}/errors");
    let (status, body) = api_post(app, &token, &path, errors).await;
    assert_eq!(status, 201, "{body}");
}

/// An entry of the partner's activity log written by a change made through
/// the server.
async fn logged_through_the_server(app: &TestApp, owner: &str, organisation: &str) {
    let browser = app.browser_signed_in(owner, PASSWORD).await;
    let name = format!("{organisation} made online");
    let answer = app
        .post_as(&browser, "/partner/groups", &[("name", &name)])
        .await;
    assert_eq!(answer.status(), 303, "the group is made");
}

/// A customer created through the partner API with one of the organisation's
/// tokens (and an idempotency key, whose answer stays behind): its id and name.
async fn created_through_the_api(
    app: &TestApp,
    owner_membership: &str,
    organisation: &str,
) -> (String, String) {
    let scopes = partnerdesk::access::TokenScope::ALL;
    let (_, token) = app.partner_api_token(owner_membership, &scopes, None);
    let name = format!("{organisation} Gamma");
    let admin = format!("admin@{}.example", name.to_lowercase().replace(' ', "-"));
    let body = crate::partner_api_helpers::new_customer(&name, &admin);
    let path = crate::partner_api_helpers::CUSTOMERS;
    let created = app.api_post(&token, path, &body, Some("archive")).await;
    assert_eq!(created.status(), 201, "created through the API");
    let created: Value = created.json().await.expect("JSON");
    (created["id"].as_str().expect("id").to_owned(), name)
}

pub fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The header, then each section's table and rows.
pub fn read_archive(file: &Path) -> (Value, Vec<(String, Vec<Row>)>) {
    let reader = BufReader::new(flate2::read::GzDecoder::new(
        std::fs::File::open(file).expect("the archive"),
    ));
    let mut lines = reader
        .lines()
        .map(|line| serde_json::from_str::<Value>(&line.expect("a line")).expect("a JSON line"));
    let header = lines.next().expect("a header");
    let mut sections: Vec<(String, Vec<Row>)> = Vec::new();
    for line in lines {
        if let Some(table) = line["section"].as_str() {
            sections.push((table.to_owned(), Vec::new()));
        } else if let Some(row) = line["row"].as_object() {
            sections.last_mut().expect("a section").1.push(row.clone());
        }
    }
    (header, sections)
}

pub fn write_archive(file: &Path, header: &Value, sections: &[(String, Vec<Row>)], end: bool) {
    let mut out = flate2::write::GzEncoder::new(
        std::fs::File::create(file).expect("create"),
        flate2::Compression::fast(),
    );
    let mut lines = vec![header.clone()];
    let mut rows = 0;
    for (table, section) in sections {
        lines.push(serde_json::json!({ "section": table }));
        rows += section.len();
        lines.extend(section.iter().map(|row| serde_json::json!({ "row": row })));
    }
    if end {
        lines.push(serde_json::json!({ "end": { "rows": rows } }));
    }
    for line in lines {
        writeln!(out, "{line}").expect("write");
    }
    out.finish().expect("finish");
}

/// The partner's rows of every carried table, an order's offer named by its
/// description since each instance gives its offers their own ids.
pub fn rows_of(conn: &mut DbConnection, partner_id: &str) -> Vec<(String, Vec<String>)> {
    CARRIED
        .iter()
        .map(|table| {
            let mut rows: Vec<String> = partner_archive::partner_rows(conn, partner_id, table)
                .expect("rows")
                .into_iter()
                .map(|mut row| {
                    if let Some(Value::String(offer)) = row.get("offer_id") {
                        let name: String = offers::table
                            .find(offer)
                            .select(offers::name)
                            .first(conn)
                            .expect("the offer");
                        row.insert("offer_id".to_owned(), Value::String(name));
                    }
                    Value::Object(row).to_string()
                })
                .collect();
            rows.sort();
            (table.table.to_owned(), rows)
        })
        .collect()
}

/// How many rows each carried table holds in the whole database.
pub fn table_sizes(conn: &mut DbConnection) -> Vec<(String, i64)> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    CARRIED
        .iter()
        .map(|table| {
            let sql = format!("SELECT COUNT(*) AS n FROM {}", table.table);
            let count: Count = diesel::sql_query(sql).get_result(conn).expect("count");
            (table.table.to_owned(), count.n)
        })
        .collect()
}
