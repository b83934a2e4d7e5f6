//! The authorization matrix: every route of the application, for anonymous
//! visitors, each partner role and a member of another partner. The routes come from
//! the same list that registers them; a route without a sample request here fails
//! the test, so no route can escape it.

use partnerdesk::access::{Access, CustomerRole, PartnerRole};
use partnerdesk::commerce::PlacedBy;
use partnerdesk::i18n::Lang;
use partnerdesk::routes::{ROUTES, Route};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app, spawn_app_with_passkeys};

/// Ids of things that belong to the organisation under test.
pub(crate) struct Ids {
    /// A member that every request may act on (disable, change role).
    target: String,
    /// A member who has not activated yet (for resending the invitation).
    pending: String,
    pub(crate) customer: String,
    group: String,
    import: String,
    site: String,
    /// An active user of the customer, and one invited but not yet active.
    customer_target: String,
    customer_pending: String,
    /// The customer's usage-based subscription, and a reservation on it.
    subscription: String,
    reservation: String,
    /// A service request of the customer, and an incident on its services.
    request: String,
    incident: String,
    /// A licence of the customer (its usage is reported through the API).
    licence: String,
    /// A monitor of the customer and a dashboard over it, made by the
    /// operator's sub-account (so its operator reaches them too), and an
    /// alert definition of that sub-account.
    monitor: String,
    dashboard: String,
    sub_account: String,
    alert: String,
    /// An operator of the sub-account invited but not yet active.
    operator_pending: String,
}

/// Stands for a target made afresh before each request, for routes that use
/// theirs up (revoking an invitation).
pub(crate) const FRESH: &str = "FRESH";

/// A concrete request for each route pattern.
pub(crate) fn sample_path(route: &Route, ids: &Ids) -> Option<String> {
    Some(match route.path {
        "/partner/staff/{membership_id}/role" => format!("/partner/staff/{}/role", ids.target),
        "/partner/staff/{membership_id}/disable" => {
            format!("/partner/staff/{}/disable", ids.target)
        }
        "/partner/staff/{membership_id}/resend" => format!("/partner/staff/{}/resend", ids.pending),
        "/partner/staff/{membership_id}/second-factor/reset" => {
            format!("/partner/staff/{}/second-factor/reset", ids.target)
        }
        "/customer/users/{membership_id}/second-factor/reset" => {
            format!(
                "/customer/users/{}/second-factor/reset",
                ids.customer_target
            )
        }
        "/login/second-factor" => "/login/second-factor".to_owned(),
        "/account/step-up" => "/account/step-up".to_owned(),
        "/login/second-factor/passkey/start"
        | "/login/second-factor/passkey/finish"
        | "/login/passkey/start"
        | "/login/passkey/finish"
        | "/account/step-up/passkey/start"
        | "/account/step-up/passkey/finish"
        | "/account/security/passkeys/start"
        | "/account/security/passkeys/finish" => route.path.to_owned(),
        "/account/security" => "/account/security".to_owned(),
        "/account/security/totp" => "/account/security/totp".to_owned(),
        // Nobody's own factor: every persona gets 404, as for a missing one.
        "/account/security/factors/{factor_id}/remove" => {
            "/account/security/factors/00000000-0000-0000-0000-000000000000/remove".to_owned()
        }
        "/account/security/recovery-codes" => "/account/security/recovery-codes".to_owned(),
        "/partner/security" => "/partner/security".to_owned(),
        "/customer/security" => "/customer/security".to_owned(),
        "/partner/staff/{membership_id}/revoke" => format!("/partner/staff/{FRESH}/revoke"),
        "/customer/users/{membership_id}/role" => {
            format!("/customer/users/{}/role", ids.customer_target)
        }
        "/customer/users/{membership_id}/disable" => {
            format!("/customer/users/{}/disable", ids.customer_target)
        }
        "/customer/users/{membership_id}/resend" => {
            format!("/customer/users/{}/resend", ids.customer_pending)
        }
        "/customer/users/{membership_id}/revoke" => format!("/customer/users/{FRESH}/revoke"),
        "/partner/customers/{customer_id}/groups/{group_id}/remove" => {
            format!(
                "/partner/customers/{}/groups/{}/remove",
                ids.customer, ids.group
            )
        }
        path if path.contains("{request_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{request_id}", &ids.request),
        path if path.starts_with("/api/v1/customers/{customer_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{incident_id}", &ids.incident)
            .replace("{licence_id}", &ids.licence),
        // Cancelling and exchanging end the reservation: each request has its own.
        path @ ("/partner/customers/{customer_id}/reservations/{reservation_id}/cancel"
        | "/partner/customers/{customer_id}/reservations/{reservation_id}/exchange") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{reservation_id}", FRESH),
        path if path.starts_with("/partner/customers/{customer_id}") => path
            .replace("{customer_id}", &ids.customer)
            .replace("{subscription_id}", &ids.subscription)
            .replace("{reservation_id}", &ids.reservation),
        "/customer/subscriptions/{subscription_id}/owners" => {
            format!("/customer/subscriptions/{}/owners", ids.subscription)
        }
        // Deleting ends the monitor or dashboard: each request has its own.
        "/customer/monitors/{monitor_id}/delete" => format!("/customer/monitors/{FRESH}/delete"),
        "/customer/dashboards/{dashboard_id}/delete" => {
            format!("/customer/dashboards/{FRESH}/delete")
        }
        "/customer/api-tokens/{token_id}/revoke" => format!("/customer/api-tokens/{FRESH}/revoke"),
        "/customer/alerts/{definition_id}/delete" => format!("/customer/alerts/{FRESH}/delete"),
        "/customer/alerts/{definition_id}" => format!("/customer/alerts/{}", ids.alert),
        "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/remove" => format!(
            "/customer/sub-accounts/{}/operators/{FRESH}/remove",
            ids.sub_account
        ),
        "/customer/sub-accounts/{sub_account_id}/operators/{membership_id}/resend" => format!(
            "/customer/sub-accounts/{}/operators/{}/resend",
            ids.sub_account, ids.operator_pending
        ),
        path if path.starts_with("/customer/sub-accounts/{sub_account_id}") => {
            path.replace("{sub_account_id}", &ids.sub_account)
        }
        path if path.contains("{monitor_id}") => path.replace("{monitor_id}", &ids.monitor),
        path if path.contains("{dashboard_id}") => path.replace("{dashboard_id}", &ids.dashboard),
        "/customer/sites/{site_id}/rename" => format!("/customer/sites/{}/rename", ids.site),
        "/customer/sites/{site_id}/administrators" => {
            format!("/customer/sites/{}/administrators", ids.site)
        }
        "/customer/sites/{site_id}/administrators/{membership_id}/remove" => format!(
            "/customer/sites/{}/administrators/{}/remove",
            ids.site, ids.customer_target
        ),
        "/partner/customers/import/{import_id}" => {
            format!("/partner/customers/import/{}", ids.import)
        }
        path if path.starts_with("/partner/groups/{group_id}") => {
            path.replace("{group_id}", &ids.group)
        }
        fixed => fixed_sample(fixed)?.to_owned(),
    })
}

fn fixed_sample(path: &str) -> Option<&'static str> {
    Some(match path {
        "/" => "/",
        "/health_check" => "/health_check",
        "/language" => "/language",
        "/static/{path:.*}" => "/static/style.css",
        "/login" => "/login",
        "/logout" => "/logout",
        "/memberships" => "/memberships",
        "/memberships/switch" => "/memberships/switch",
        "/activate/renew" => "/activate/renew",
        "/activate/{token}" => {
            "/activate/0000000000000000000000000000000000000000000000000000000000000000"
        }
        "/activate/{token}/decline" => {
            "/activate/0000000000000000000000000000000000000000000000000000000000000000/decline"
        }
        "/invitations/{token}" => {
            "/invitations/0000000000000000000000000000000000000000000000000000000000000000"
        }
        "/invitations/{token}/accept" => {
            "/invitations/0000000000000000000000000000000000000000000000000000000000000000/accept"
        }
        "/invitations/{token}/decline" => {
            "/invitations/0000000000000000000000000000000000000000000000000000000000000000/decline"
        }
        "/help/roles" => "/help/roles",
        "/partner" => "/partner",
        "/customer" => "/customer",
        "/customer/assistance" => "/customer/assistance",
        "/customer/assistance/notify" => "/customer/assistance/notify",
        "/customer/activity" => "/customer/activity",
        "/customer/sites" => "/customer/sites",
        "/customer/users" => "/customer/users",
        "/customer/leave" => "/customer/leave",
        "/partner/customers" => "/partner/customers",
        "/partner/context" => "/partner/context",
        "/partner/context/clear" => "/partner/context/clear",
        "/partner/customers.csv" => "/partner/customers.csv",
        "/partner/customers/new" => "/partner/customers/new",
        "/partner/customers/import" => "/partner/customers/import",
        "/partner/groups" => "/partner/groups",
        "/partner/activity" => "/partner/activity",
        "/partner/activity.csv" => "/partner/activity.csv",
        "/customer/orders" => "/customer/orders",
        "/customer/subscriptions" => "/customer/subscriptions",
        "/customer/reservations" => "/customer/reservations",
        "/partner/staff" => "/partner/staff",
        "/partner/staff/invite" => "/partner/staff/invite",
        "/password-reset" => "/password-reset",
        "/reset-password/{token}" => {
            "/reset-password/0000000000000000000000000000000000000000000000000000000000000000"
        }
        "/account/password" => "/account/password",
        "/account" => "/account",
        "/account/sessions/end-others" => "/account/sessions/end-others",
        // Without a membership named: answered 400, for everyone signed in.
        "/account/leave" => "/account/leave",
        "/customer/health" => "/customer/health",
        "/customer/requests" => "/customer/requests",
        "/customer/requests/new" => "/customer/requests/new",
        "/partner/requests" => "/partner/requests",
        "/customer/monitors" => "/customer/monitors",
        "/customer/monitors/new" => "/customer/monitors/new",
        "/customer/dashboards" => "/customer/dashboards",
        "/customer/api-tokens" => "/customer/api-tokens",
        "/customer/alerts" => "/customer/alerts",
        "/customer/sub-accounts" => "/customer/sub-accounts",
        "/api/v1/monitors" => "/api/v1/monitors",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Persona {
    Anonymous,
    Staff(PartnerRole),
    /// The owner of another partner organisation.
    OtherPartnerOwner,
    /// The administrator of one of the organisation's customers.
    CustomerAdministrator,
    /// A user (not an administrator) of the same customer.
    CustomerUser,
    /// The organisation's owner inside that customer's console ("open customer").
    AssistingPartner,
    /// An operator of one of the customer's sub-accounts, with every permission
    /// a sub-account can have.
    Operator,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The handler ran (whatever it then answered about the input).
    Reached,
    SentToSignIn,
    Forbidden,
    NotFound,
    /// 401: the JSON API without a valid bearer token.
    Unauthorized,
}

/// Routes that name something of the organisation under test in their path.
fn names_a_tenant_object(route: &Route) -> bool {
    [
        "{membership_id}",
        "{customer_id}",
        "{group_id}",
        "{import_id}",
        "{subscription_id}",
        "{reservation_id}",
        "{request_id}",
    ]
    .iter()
    .any(|id| route.path.contains(id))
}

fn reached_if(allowed: bool) -> Outcome {
    if allowed {
        Outcome::Reached
    } else {
        Outcome::Forbidden
    }
}

pub(crate) fn expected(route: &Route, persona: Persona) -> Outcome {
    match (route.access, persona) {
        // Without a right password just before, the second step starts over.
        (Access::Public, _) if route.method == "GET" && route.path == "/login/second-factor" => {
            Outcome::SentToSignIn
        }
        (Access::Public, _) => Outcome::Reached,
        // A session, whoever's, is no API token.
        (Access::ApiOperator | Access::ApiCustomer, _) => Outcome::Unauthorized,
        (_, Persona::Anonymous) => Outcome::SentToSignIn,
        (Access::SignedIn, _) if route.path.contains("{factor_id}") => Outcome::NotFound,
        (Access::SignedIn, _) => Outcome::Reached,
        (Access::Partner(capability), Persona::Staff(role)) => {
            if role.can(capability) {
                Outcome::Reached
            } else {
                Outcome::Forbidden
            }
        }
        (Access::Partner(_), Persona::OtherPartnerOwner) if names_a_tenant_object(route) => {
            Outcome::NotFound
        }
        (Access::Partner(_), Persona::OtherPartnerOwner) => Outcome::Reached,
        (
            Access::Partner(_),
            Persona::CustomerAdministrator
            | Persona::CustomerUser
            | Persona::AssistingPartner
            | Persona::Operator,
        ) => Outcome::NotFound,
        (Access::Customer(capability), Persona::Operator) => {
            reached_if(CustomerRole::Operator.can(capability))
        }
        (Access::Customer(capability), Persona::AssistingPartner) => {
            reached_if(CustomerRole::AssistingPartner.can(capability))
        }
        (Access::Customer(capability), Persona::CustomerAdministrator) => {
            reached_if(CustomerRole::Administrator.can(capability))
        }
        (Access::Customer(capability), Persona::CustomerUser) => {
            reached_if(CustomerRole::User.can(capability))
        }
        (Access::Customer(_), _) => Outcome::NotFound,
    }
}

async fn observe(app: &TestApp, http: &reqwest::Client, method: &str, path: &str) -> Outcome {
    let response = if method == "GET" {
        http.get(app.url(path)).send().await.expect("GET")
    } else if method == "PUT" {
        // Only the JSON API takes PUT: a well-formed body, no form.
        http.put(app.url(path))
            .json(&serde_json::json!({"seats_used": 1}))
            .send()
            .await
            .expect("PUT")
    } else {
        // A well-formed body, so that only access decides the answer.
        app.post_as(http, path, &[("role", "sales_agent")]).await
    };
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    match status {
        303 if location.starts_with("/login") && path != "/logout" => Outcome::SentToSignIn,
        401 => Outcome::Unauthorized,
        403 => Outcome::Forbidden,
        404 if !path.starts_with("/static/") && !path.starts_with("/activate/") => {
            Outcome::NotFound
        }
        _ => Outcome::Reached,
    }
}

/// The organisation under test with one of everything a route can name, and a
/// login for every persona; the browser sweep (`sweep.rs`) visits the same.
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
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let mut personas = vec![Persona::Anonymous];
    for role in PartnerRole::ALL {
        let username = format!("{}@contoso.example", role.as_str());
        app.active_member(&ours, &username, role);
        personas.push(Persona::Staff(role));
    }
    app.active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
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
    Fixture {
        ours,
        reserved,
        ids,
        personas,
    }
}

impl Persona {
    /// The login the persona signs in as (the assisting partner is the owner,
    /// who then opens the customer).
    pub(crate) fn username(self) -> Option<String> {
        match self {
            Persona::Anonymous => None,
            Persona::Staff(role) => Some(format!("{}@contoso.example", role.as_str())),
            Persona::OtherPartnerOwner => Some("owner@fabrikam.example".to_owned()),
            Persona::CustomerAdministrator => Some("admin@adatum.example".to_owned()),
            Persona::CustomerUser => Some("user@adatum.example".to_owned()),
            Persona::AssistingPartner => Some("owner@contoso.example".to_owned()),
            Persona::Operator => Some("operator@adatum.example".to_owned()),
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_persona_as_the_matrix_says() {
    // Passkeys on, so that their routes answer as they would in service.
    let app = spawn_app_with_passkeys().await;
    let Fixture {
        ours,
        reserved,
        ids,
        personas,
    } = fixture(&app);
    let missing: Vec<&str> = ROUTES
        .iter()
        .filter(|r| sample_path(r, &ids).is_none())
        .map(|r| r.path)
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from the authorization-matrix test: {missing:?}"
    );

    let mut failures = Vec::new();
    let mut fresh_count = 0;
    for route in ROUTES {
        let path = sample_path(route, &ids).expect("checked above");
        let path = path.as_str();
        for persona in &personas {
            // A fresh browser and sign-in for each request: some routes (logout,
            // disabling) end sessions.
            let username = persona.username();
            let http = match &username {
                Some(username) => app.browser_signed_in(username, PASSWORD).await,
                None => client(),
            };
            if *persona == Persona::AssistingPartner {
                let opened = app
                    .post_as(
                        &http,
                        &format!("/partner/customers/{}/open", ids.customer),
                        &[("reason", "Matrix")],
                    )
                    .await;
                assert_eq!(opened.status(), 303, "the owner opens the customer");
            }
            let fresh;
            let path = if path.contains(FRESH) {
                let n = fresh_count;
                fresh_count += 1;
                let name = format!("Fresh {n}");
                let id = if path.starts_with("/customer/monitors/") {
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
                        &ours,
                        &ids.customer,
                        &reserved,
                        Some(&ids.subscription),
                        PlacedBy::Partner,
                    )
                } else if path.starts_with("/customer/") {
                    app.pending_customer_user(&ids.customer, &format!("fresh{n}@adatum.example"))
                } else {
                    app.pending_staff(&ours, &format!("fresh{n}@contoso.example"))
                };
                fresh = path.replace(FRESH, &id);
                fresh.as_str()
            } else {
                path
            };
            let outcome = observe(&app, &http, route.method, path).await;
            let want = expected(route, *persona);
            if outcome != want {
                failures.push(format!(
                    "{} {path} as {persona:?}: expected {want:?}, got {outcome:?}",
                    route.method
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization mismatches:\n{}",
        failures.join("\n")
    );
}

/// "Open customer" on an account whose assistance is off: only the page saying so
/// is reached; opening is forbidden, for every role that could otherwise, and
/// another partner's user does not even find the customer.
#[tokio::test]
async fn opening_a_customer_without_assistance_is_refused_to_everyone() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let customer = app.customer(
        &ours,
        &CustomerSpec {
            billing: partnerdesk::customers::BillingType::TermSubscription,
            ..CustomerSpec::named("Adatum")
        },
    );
    let path = format!("/partner/customers/{customer}/open");
    let mut failures = Vec::new();
    let mut people: Vec<(String, Outcome, Outcome)> = PartnerRole::ALL
        .into_iter()
        .map(|role| {
            let username = format!("{}@contoso.example", role.as_str());
            app.active_member(&ours, &username, role);
            if role.can(partnerdesk::access::Capability::OpenCustomer) {
                (username, Outcome::Reached, Outcome::Forbidden)
            } else {
                (username, Outcome::Forbidden, Outcome::Forbidden)
            }
        })
        .collect();
    app.active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    people.push((
        "owner@fabrikam.example".to_owned(),
        Outcome::NotFound,
        Outcome::NotFound,
    ));
    for (username, on_get, on_post) in people {
        let http = app.browser_signed_in(&username, PASSWORD).await;
        for (method, want) in [("GET", on_get), ("POST", on_post)] {
            let got = observe(&app, &http, method, &path).await;
            if got != want {
                failures.push(format!(
                    "{method} {path} as {username}: expected {want:?}, got {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
