//! The route matrix's fixture: a partner, a customer and one object of every kind
//! a route names, each persona's login, and new objects for the routes that end
//! or remove theirs.

use crate::authorization::{Ids, Persona};
use crate::helpers::TestApp;
use crate::helpers::customers::CustomerSpec;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::i18n::Lang;

/// The organisation under test with one of everything a route can name, and a
/// login for every persona; the browser sweep (`browser_sweep.rs`) visits the same.
pub(crate) struct Fixture {
    pub(crate) ours: String,
    pub(crate) reserved: String,
    pub(crate) ids: Ids,
    pub(crate) personas: Vec<Persona>,
}

pub(crate) fn fixture(app: &TestApp) -> Fixture {
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let reserved = app.offer("Reserved VM", "reservation", "610", Some(12));
    let subscription = app.ordered(&ours, &customer, &usage, None, PlacedBy::Partner);
    let reservation = app.ordered(
        &ours,
        &customer,
        &reserved,
        Some(&subscription),
        PlacedBy::Partner,
    );
    let ids = Ids {
        subscription,
        reservation,
        target: app.active_member(&ours, "target@contoso.example", PartnerRole::SalesAgent),
        pending: app.active_member_id(&ours, "olga@contoso.example"),
        group: app.group_with(&ours, "Retail", &[&customer]),
        import: app.finished_import(&ours, "olga@contoso.example"),
        site: app.first_site(&customer),
        customer_target: app.customer_member(&customer, "target@adatum.example", "user"),
        customer_pending: app.pending_customer_user(&customer, "invitee@adatum.example"),
        request: app.service_request(&customer, "target@adatum.example", "Matrix"),
        incident: app.incident(
            &customer,
            "Backup",
            partnerdesk::customers::Health::Advisory,
        ),
        licence: app.licence(
            &customer,
            "Backup",
            10,
            partnerdesk::customers::LicenceStatus::Active,
        ),
        monitor: String::new(),
        dashboard: String::new(),
        sub_account: String::new(),
        alert: String::new(),
        operator_pending: String::new(),
        failed_email: app.failed_email("bounced@elsewhere.example"),
        reseller: String::new(),
        rule_group: app.rule_group(&ours, "In France", "FR"),
        partner: ours.clone(),
        customer,
    };
    let sub_account = app.sub_account(&ids.customer, "Matrix sub-account", Some(1000));
    let monitor = app.sub_account_monitor(&ids.customer, &sub_account, "Matrix monitor");
    let ids = Ids {
        dashboard: app.sub_account_dashboard(
            &ids.customer,
            &sub_account,
            "Matrix dashboard",
            &[&monitor],
        ),
        alert: app.alert_definition(&ids.customer, &sub_account, "Matrix alert", &monitor),
        operator_pending: app.pending_operator(&sub_account, "pending-operator@adatum.example"),
        monitor,
        sub_account,
        ..ids
    };
    let ids = Ids {
        reseller: resellers_under(app, &ours),
        ..ids
    };
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let personas = personas(app, &ours, &theirs, &ids);
    Fixture {
        ours,
        reserved,
        ids,
        personas,
    }
}

/// A reseller under the organisation, which lets it help, and one under that,
/// each with a customer: the distributor's pages have something to show.
/// Returns the reseller.
fn resellers_under(app: &TestApp, ours: &str) -> String {
    let reseller = crate::partner_tree_fixture::child_partner(app, "Tailspin", Some(ours));
    crate::partner_tree_fixture::allow_distributor_assistance(app, &reseller);
    let sub_reseller = crate::partner_tree_fixture::child_partner(app, "Litware", Some(&reseller));
    app.customer(&reseller, &CustomerSpec::named("Northwind Traders"));
    let mut unwell = CustomerSpec::named("Woodgrove");
    unwell.health = partnerdesk::customers::Health::Incident;
    unwell.billing = partnerdesk::customers::BillingType::Trial;
    app.customer(&sub_reseller, &unwell);
    reseller
}

/// A login for each persona, in its place; returns the personas.
pub(crate) fn personas(app: &TestApp, ours: &str, theirs: &str, ids: &Ids) -> Vec<Persona> {
    let mut personas = vec![Persona::Anonymous];
    for role in PartnerRole::ALL {
        let username = format!("{}@contoso.example", role.as_str());
        app.active_member(ours, &username, role);
        personas.push(Persona::Staff(role));
    }
    // Limited to a group of another customer: the sample customer is out of reach.
    let limited = app.active_member(ours, "limited@contoso.example", PartnerRole::AdminAgent);
    let elsewhere = app.customer(ours, &CustomerSpec::named("Elsewhere Ltd"));
    let group = app.group_with(ours, "Elsewhere", &[&elsewhere]);
    app.limit_to_groups(&limited, &[&group]);
    personas.push(Persona::LimitedAgent);
    app.active_member(theirs, "owner@fabrikam.example", PartnerRole::Owner);
    personas.push(Persona::OtherPartnerOwner);
    app.customer_administrator(&ids.customer, "admin@adatum.example");
    personas.push(Persona::CustomerAdministrator);
    // The customer's user runs the sample site, so renaming it is theirs to do.
    let user = app.customer_member(&ids.customer, "user@adatum.example", "user");
    app.site_administrator(&ids.site, &user);
    personas.push(Persona::CustomerUser);
    personas.push(Persona::AssistingPartner);
    app.operator(&ids.sub_account, "operator@adatum.example");
    personas.push(Persona::Operator);
    app.instance_operator("root@instance.example");
    personas.push(Persona::InstanceOperator);
    // A distributor above the organisation, which lets it help.
    let distributor =
        crate::partner_tree_fixture::child_partner(app, "Northwind Distribution", None);
    crate::partner_tree_fixture::place_under(app, ours, &distributor);
    crate::partner_tree_fixture::allow_distributor_assistance(app, ours);
    let helper = Persona::AssistingDistributor.username().expect("a login");
    app.active_member(&distributor, &helper, PartnerRole::AdminAgent);
    personas.push(Persona::AssistingDistributor);
    personas
}

/// A new object of the kind `path` names, for a route that ends or removes
/// it, so that each persona acts on one of its own: the `n`th of the run.
pub(crate) fn fresh_object(
    app: &TestApp,
    path: &str,
    n: usize,
    (ours, reserved): (&str, &str),
    ids: &Ids,
) -> String {
    let name = format!("Fresh {n}");
    if path.starts_with("/customer/monitors/") {
        app.sub_account_monitor(&ids.customer, &ids.sub_account, &name)
    } else if path.starts_with("/customer/dashboards/") {
        let (customer, sub) = (&ids.customer, &ids.sub_account);
        app.sub_account_dashboard(customer, sub, &name, &[&ids.monitor])
    } else if path.starts_with("/customer/alerts/") {
        app.alert_definition(&ids.customer, &ids.sub_account, &name, &ids.monitor)
    } else if path.starts_with("/customer/sub-accounts/") {
        app.pending_operator(&ids.sub_account, &format!("fresh{n}@adatum.example"))
    } else if path.starts_with("/customer/api-tokens/") {
        app.sub_account_api_token(&ids.customer, &ids.sub_account).0
    } else if path.contains("/reservations/") {
        app.ordered(
            ours,
            &ids.customer,
            reserved,
            Some(&ids.subscription),
            PlacedBy::Partner,
        )
    } else if path.starts_with("/admin/catalogue/") {
        app.offer(&name, "usage_subscription", "1", None)
    } else if path.starts_with("/partner/api-tokens/") {
        let creator = &ids.target;
        app.partner_api_token(creator, &partnerdesk::access::TokenScope::ALL, None)
            .0
    } else if path.starts_with("/partner/webhooks/") {
        app.webhook_with_delivery(&ids.target)
    } else if path.starts_with("/partner/sso/domains/") {
        app.claimed_domain(ours, &format!("fresh{n}.contoso.example"))
    } else if path.starts_with("/customer/sso/domains/") {
        app.customer_claimed_domain(&ids.customer, &format!("fresh{n}.adatum.example"))
    } else if path.starts_with("/customer/") {
        app.pending_customer_user(&ids.customer, &format!("fresh{n}@adatum.example"))
    } else {
        app.pending_staff(ours, &format!("fresh{n}@contoso.example"))
    }
}

/// The partner of `customer`.
pub(crate) fn partner_of_customer(app: &TestApp, customer: &str) -> String {
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    customer_accounts::table
        .filter(customer_accounts::id.eq(customer))
        .select(customer_accounts::partner_id.assume_not_null())
        .first(&mut app.conn())
        .expect("the customer's partner")
}
