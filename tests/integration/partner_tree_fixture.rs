//! A three-level partner tree for the partner tree suites: a distributor with
//! a member of each role, a reseller under it and a sub-reseller under that,
//! customers of every kind at each level, the distributor's own customers and
//! another partner's, none of which the network's figures may count.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::DisplayName;
use partnerdesk::customers::{BillingType, CustomerState, Health, LicenceStatus};
use partnerdesk::db::schema::{customer_accounts, licences, service_requests};
use partnerdesk::i18n::Lang;
use partnerdesk::organisations;

use crate::helpers::TestApp;
use crate::helpers::customers::CustomerSpec;

pub(crate) const OWNER: &str = "dana@distributor.example";
pub(crate) const RESELLER_OWNER: &str = "rita@reseller.example";

/// The distributor's members, one per role.
pub(crate) const DISTRIBUTOR_STAFF: [(&str, PartnerRole); 4] = [
    (OWNER, PartnerRole::Owner),
    ("adam@distributor.example", PartnerRole::AdminAgent),
    ("sam@distributor.example", PartnerRole::SalesAgent),
    ("hana@distributor.example", PartnerRole::HelpdeskAgent),
];

pub(crate) struct Tree {
    pub(crate) distributor: String,
    pub(crate) reseller: String,
    pub(crate) sub_reseller: String,
    /// A partner outside the tree.
    pub(crate) other: String,
    /// A customer of the reseller, with an open request (`reseller_request`).
    pub(crate) reseller_customer: String,
    pub(crate) reseller_request: String,
    /// A customer of the sub-reseller.
    pub(crate) sub_customer: String,
}

/// An organisation under `parent`, made as the operator's command would.
pub(crate) fn child_partner(app: &TestApp, name: &str, parent: Option<&str>) -> String {
    organisations::insert_organisation(
        &mut app.conn(),
        app.clock_now(),
        &DisplayName::parse(name).expect("name"),
        parent,
        false,
    )
    .expect("organisation")
}

/// Puts `partner` directly under `parent` (as the operator's move would,
/// without its history: enough for what the tests read).
pub(crate) fn place_under(app: &TestApp, partner: &str, parent: &str) {
    use partnerdesk::db::schema::partner_organisations;
    diesel::update(partner_organisations::table.filter(partner_organisations::id.eq(partner)))
        .set(partner_organisations::parent_id.eq(parent))
        .execute(&mut app.conn())
        .expect("a new parent");
}

/// The organisation's owners let its distributor help in its portal (as
/// they do on their Distributor assistance page).
pub(crate) fn allow_distributor_assistance(app: &TestApp, partner: &str) {
    use partnerdesk::db::schema::partner_organisations;
    diesel::update(partner_organisations::table.filter(partner_organisations::id.eq(partner)))
        .set(partner_organisations::distributor_assistance.eq(true))
        .execute(&mut app.conn())
        .expect("distributor assistance allowed");
}

/// What a fixture customer is besides its name.
#[derive(Default, Clone, Copy)]
struct Kind {
    state: Option<CustomerState>,
    health: Option<Health>,
    /// Days from today its trial ends.
    trial_in: Option<i64>,
    over_quantity: bool,
    open_request: bool,
}

fn customer(app: &TestApp, partner: &str, name: &str, kind: Kind) -> (String, Option<String>) {
    let mut spec = CustomerSpec::named(name);
    spec.state = kind.state.unwrap_or(CustomerState::Active);
    spec.health = kind.health.unwrap_or(Health::Healthy);
    if kind.trial_in.is_some() {
        spec.billing = BillingType::Trial;
    }
    let id = app.customer(partner, &spec);
    let mut conn = app.conn();
    if let Some(days) = kind.trial_in {
        diesel::update(customer_accounts::table.find(&id))
            .set(customer_accounts::trial_ends_on.eq(app.reader_today() + Duration::days(days)))
            .execute(&mut conn)
            .expect("trial end");
    }
    if kind.over_quantity {
        let licence = app.licence(&id, "Backup", 5, LicenceStatus::Active);
        diesel::update(licences::table.find(&licence))
            .set(licences::seats_used.eq(Some(9)))
            .execute(&mut conn)
            .expect("usage over quantity");
    }
    let request = kind
        .open_request
        .then(|| app.service_request(&id, OWNER, "Help"));
    (id, request)
}

/// The reseller's customers: (one with an open request, that request).
fn reseller_customers(app: &TestApp, reseller: &str) -> (String, String) {
    let (alpha, request) = customer(
        app,
        reseller,
        "Alpha",
        Kind {
            open_request: true,
            state: Some(CustomerState::Creating),
            ..Kind::default()
        },
    );
    customer(
        app,
        reseller,
        "Bravo",
        Kind {
            trial_in: Some(5),
            health: Some(Health::Advisory),
            ..Kind::default()
        },
    );
    customer(
        app,
        reseller,
        "Charlie",
        Kind {
            state: Some(CustomerState::Suspended),
            health: Some(Health::Incident),
            over_quantity: true,
            ..Kind::default()
        },
    );
    // Its trial ends after the home's window.
    customer(
        app,
        reseller,
        "Delta",
        Kind {
            trial_in: Some(30),
            ..Kind::default()
        },
    );
    (alpha, request.expect("request"))
}

/// The sub-reseller's customers: one with an open request and an incident.
fn sub_reseller_customers(app: &TestApp, sub_reseller: &str) -> String {
    let (echo, _) = customer(
        app,
        sub_reseller,
        "Echo",
        Kind {
            health: Some(Health::Incident),
            open_request: true,
            ..Kind::default()
        },
    );
    customer(
        app,
        sub_reseller,
        "Foxtrot",
        Kind {
            trial_in: Some(10),
            over_quantity: true,
            ..Kind::default()
        },
    );
    let (_, resolved) = customer(
        app,
        sub_reseller,
        "Golf",
        Kind {
            open_request: true,
            ..Kind::default()
        },
    );
    diesel::update(service_requests::table.find(resolved.expect("request")))
        .set(service_requests::status.eq("resolved"))
        .execute(&mut app.conn())
        .expect("resolved");
    echo
}

/// The tree, its people and customers.
pub(crate) fn tree(app: &TestApp) -> Tree {
    let distributor =
        app.invite_partner_owner("Distributor", "first@distributor.example", Lang::En);
    for (username, role) in DISTRIBUTOR_STAFF {
        app.active_member(&distributor, username, role);
    }
    let reseller = child_partner(app, "Reseller", Some(&distributor));
    app.active_member(&reseller, RESELLER_OWNER, PartnerRole::Owner);
    let sub_reseller = child_partner(app, "Sub-reseller", Some(&reseller));
    let other = child_partner(app, "Elsewhere", None);
    let (reseller_customer, reseller_request) = reseller_customers(app, &reseller);
    let sub_customer = sub_reseller_customers(app, &sub_reseller);
    // Neither the distributor's own customers nor another partner's count.
    let everything = Kind {
        trial_in: Some(3),
        health: Some(Health::Incident),
        over_quantity: true,
        open_request: true,
        ..Kind::default()
    };
    customer(app, &distributor, "Own", everything);
    customer(app, &other, "Stranger", everything);
    Tree {
        distributor,
        reseller,
        sub_reseller,
        other,
        reseller_customer,
        reseller_request,
        sub_customer,
    }
}
