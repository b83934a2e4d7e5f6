//! The authorization matrix: every route of the application, for anonymous
//! visitors, each partner role and a member of another partner. The routes come from
//! the same list that registers them; a route without a sample request here fails
//! the test, so no route can escape it.

use futures_util::future::join_all;
use futures_util::stream::{self, StreamExt};
use partnerdesk::access::{Access, CustomerRole, PartnerRole};
use partnerdesk::i18n::Lang;
use partnerdesk::routes::{ROUTES, Route};

use crate::authorization_fixture::{Fixture, fixture, fresh_object};
use crate::authorization_samples::sample_path;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app, spawn_app_with_passkeys};

/// Ids of things that belong to the organisation under test.
pub(crate) struct Ids {
    /// A member that every request may act on (disable, change role).
    pub(crate) target: String,
    /// A member who has not activated yet (for resending the invitation).
    pub(crate) pending: String,
    /// The organisation under test.
    pub(crate) partner: String,
    pub(crate) customer: String,
    pub(crate) group: String,
    pub(crate) import: String,
    pub(crate) site: String,
    /// An active user of the customer, and one invited but not yet active.
    pub(crate) customer_target: String,
    pub(crate) customer_pending: String,
    /// The customer's usage-based subscription, and a reservation on it.
    pub(crate) subscription: String,
    pub(crate) reservation: String,
    /// A service request of the customer, and an incident on its services.
    pub(crate) request: String,
    pub(crate) incident: String,
    /// A licence of the customer (its usage is reported through the API).
    pub(crate) licence: String,
    /// A monitor of the customer and a dashboard over it, made by the
    /// operator's sub-account (so its operator reaches them too), and an
    /// alert definition of that sub-account.
    pub(crate) monitor: String,
    pub(crate) dashboard: String,
    pub(crate) sub_account: String,
    pub(crate) alert: String,
    /// An operator of the sub-account invited but not yet active.
    pub(crate) operator_pending: String,
    /// An email the outbox gave up on, for the operator's area to retry.
    pub(crate) failed_email: String,
    /// A reseller directly under the organisation, which lets it help.
    pub(crate) reseller: String,
    /// A rule-based group of the organisation.
    pub(crate) rule_group: String,
}

/// Sign-ins side by side at most: each holds a place in its address's
/// throttling budget until its password proves right (`auth::throttle`), and
/// every persona signs in from the same address.
const SIGN_INS_AT_ONCE: usize = 4;

/// Stands for a target made afresh before each request, for routes that use
/// theirs up (revoking an invitation).
pub(crate) const FRESH: &str = "FRESH";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Persona {
    Anonymous,
    Staff(PartnerRole),
    /// An admin agent of the organisation whom an owner limited to a group
    /// that does not hold the organisation's sample customer.
    LimitedAgent,
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
    /// An instance operator: a login with the role and no membership at all.
    InstanceOperator,
    /// An admin agent of the distributor above the organisation, inside the
    /// organisation's portal (distributor assistance).
    AssistingDistributor,
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
    /// Sent to choose a membership: a login without one gets nothing of the
    /// partner or customer areas.
    SentToPicker,
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
        "{domain_id}",
        "{token_id}",
        "{webhook_id}",
        "{reseller_id}",
    ]
    .iter()
    .any(|id| route.path.contains(id))
}

/// Routes that name the sample customer, or something of it, in their path:
/// outside the limited agent's reach. Another's import names customers too.
fn names_a_customer_object(route: &Route) -> bool {
    [
        "{customer_id}",
        "{subscription_id}",
        "{reservation_id}",
        "{request_id}",
        "{import_id}",
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
        (
            Access::ApiOperator
            | Access::ApiCustomer
            | Access::ApiPartner(..)
            | Access::MetricsToken,
            _,
        ) => Outcome::Unauthorized,
        (_, Persona::Anonymous) => Outcome::SentToSignIn,
        (Access::InstanceOperator, Persona::InstanceOperator) => Outcome::Reached,
        // Every other persona: as for a missing page.
        (Access::InstanceOperator, _) => Outcome::NotFound,
        (Access::Partner(_) | Access::Customer(_), Persona::InstanceOperator) => {
            Outcome::SentToPicker
        }
        (Access::SignedIn, _) if route.path.contains("{factor_id}") => Outcome::NotFound,
        (Access::SignedIn, _) => Outcome::Reached,
        (Access::Partner(capability), Persona::Staff(role)) => {
            if role.can(capability) {
                Outcome::Reached
            } else {
                Outcome::Forbidden
            }
        }
        (Access::Partner(capability), Persona::LimitedAgent) => {
            if !PartnerRole::AdminAgent.can(capability) {
                Outcome::Forbidden
            } else if names_a_customer_object(route) || route.path.contains("{reseller_id}") {
                Outcome::NotFound
            } else {
                Outcome::Reached
            }
        }
        (Access::Partner(capability), Persona::OtherPartnerOwner)
            if !PartnerRole::Owner.can(capability) =>
        {
            Outcome::Forbidden
        }
        (Access::Partner(_), Persona::OtherPartnerOwner) if names_a_tenant_object(route) => {
            Outcome::NotFound
        }
        // Inside the organisation's portal, whatever it names is the
        // organisation's own: only the role decides.
        (Access::Partner(capability), Persona::AssistingDistributor) => {
            reached_if(PartnerRole::AssistingDistributor.can(capability))
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
    } else if method != "POST" {
        // Only the JSON APIs take PUT, PATCH and DELETE: a well-formed body, no form.
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        http.request(method, app.url(path))
            .json(&serde_json::json!({"seats_used": 1}))
            .send()
            .await
            .expect("a JSON API request")
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
        303 if location == "/memberships" && !path.starts_with("/account") => Outcome::SentToPicker,
        401 => Outcome::Unauthorized,
        403 => Outcome::Forbidden,
        404 if !path.starts_with("/static/") && !path.starts_with("/activate/") => {
            Outcome::NotFound
        }
        _ => Outcome::Reached,
    }
}

impl Persona {
    /// The login the persona signs in as (the assisting partner is the owner,
    /// who then opens the customer).
    pub(crate) fn username(self) -> Option<String> {
        match self {
            Persona::Anonymous => None,
            Persona::Staff(role) => Some(format!("{}@contoso.example", role.as_str())),
            Persona::LimitedAgent => Some("limited@contoso.example".to_owned()),
            Persona::OtherPartnerOwner => Some("owner@fabrikam.example".to_owned()),
            Persona::CustomerAdministrator => Some("admin@adatum.example".to_owned()),
            Persona::CustomerUser => Some("user@adatum.example".to_owned()),
            Persona::AssistingPartner => Some("owner@contoso.example".to_owned()),
            Persona::Operator => Some("operator@adatum.example".to_owned()),
            Persona::InstanceOperator => Some("root@instance.example".to_owned()),
            Persona::AssistingDistributor => Some("adam@northwind-distribution.example".to_owned()),
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

    // The GET routes first, with one signed-in browser per persona: reading
    // changes nothing another request depends on, and ends no session. Then
    // the others, each with a fresh browser and sign-in, as some end sessions
    // (logout, signing out elsewhere, disabling, leaving).
    let readers: Vec<reqwest::Client> = stream::iter(personas.iter())
        .map(|p| signed_in_as(&app, *p, &ids.customer))
        .buffered(SIGN_INS_AT_ONCE)
        .collect()
        .await;
    let context = Context {
        app: &app,
        ids: &ids,
        ours: &ours,
        reserved: &reserved,
    };
    let mut failures = Vec::new();
    let (reads, changes): (Vec<_>, Vec<_>) = ROUTES
        .iter()
        .enumerate()
        .partition(|(_, route)| route.method == "GET");
    for (r, route) in reads.into_iter().chain(changes) {
        let path = sample_path(route, &ids).expect("checked above");
        let fresh_numbers = (0..personas.len()).map(|p| r * personas.len() + p);
        if route.method == "GET" {
            // Reading: every persona at once.
            let checks = personas.iter().zip(&readers).zip(fresh_numbers);
            let checks = checks
                .map(|((persona, reader), n)| context.check(route, &path, *persona, reader, n));
            failures.extend(join_all(checks).await.into_iter().flatten());
        } else {
            // The sign-ins side by side; the changes one after the other, as
            // each persona's may depend on the state the one before left. A
            // login already used by an earlier persona signs in at its turn:
            // the earlier one's change may end its other sessions.
            let mut browsers = sign_in_each_first_use(&app, &personas, &ids.customer).await;
            for (p, n) in fresh_numbers.enumerate() {
                let persona = personas[p];
                let browser = match browsers[p].take() {
                    Some(browser) => browser,
                    None => signed_in_as(&app, persona, &ids.customer).await,
                };
                failures.extend(context.check(route, &path, persona, &browser, n).await);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization mismatches:\n{}",
        failures.join("\n")
    );
}

/// What every check of the matrix shares.
struct Context<'a> {
    app: &'a TestApp,
    ids: &'a Ids,
    ours: &'a str,
    reserved: &'a str,
}

impl Context<'_> {
    /// Requests `path` of `route` as `persona`, signed in on `http`; the
    /// mismatch with the matrix, if any.
    async fn check(
        &self,
        route: &Route,
        path: &str,
        persona: Persona,
        http: &reqwest::Client,
        fresh_number: usize,
    ) -> Option<String> {
        let fresh;
        let path = if path.contains(FRESH) {
            let owners = (self.ours, self.reserved);
            let id = fresh_object(self.app, path, fresh_number, owners, self.ids);
            fresh = path.replace(FRESH, &id);
            fresh.as_str()
        } else {
            path
        };
        let outcome = observe(self.app, http, route.method, path).await;
        let want = expected(route, persona);
        (outcome != want).then(|| {
            format!(
                "{} {path} as {persona:?}: expected {want:?}, got {outcome:?}",
                route.method
            )
        })
    }
}

/// A browser signed in as each persona whose login no earlier persona uses,
/// all at once; `None` for the others.
async fn sign_in_each_first_use(
    app: &TestApp,
    personas: &[Persona],
    customer: &str,
) -> Vec<Option<reqwest::Client>> {
    let first_use = |p: usize| {
        let username = personas[p].username();
        !personas[..p].iter().any(|e| e.username() == username)
    };
    stream::iter(personas.iter().enumerate())
        .map(|(p, persona)| {
            let first = first_use(p);
            async move {
                if first {
                    Some(signed_in_as(app, *persona, customer).await)
                } else {
                    None
                }
            }
        })
        .buffered(SIGN_INS_AT_ONCE)
        .collect()
        .await
}

/// A new browser signed in as `persona`; the assisting partner has opened the
/// customer in it.
async fn signed_in_as(app: &TestApp, persona: Persona, customer: &str) -> reqwest::Client {
    let http = match persona.username() {
        Some(username) => app.browser_signed_in(&username, PASSWORD).await,
        None => client(),
    };
    if persona == Persona::AssistingPartner {
        let opened = app
            .post_as(
                &http,
                &format!("/partner/customers/{customer}/open"),
                &[("reason", "Matrix")],
            )
            .await;
        assert_eq!(opened.status(), 303, "the owner opens the customer");
    }
    if persona == Persona::AssistingDistributor {
        let partner = crate::authorization_fixture::partner_of_customer(app, customer);
        let entered = app
            .post_as(
                &http,
                &format!("/partner/resellers/{partner}/assist"),
                &[("reason", "Matrix")],
            )
            .await;
        assert_eq!(entered.status(), 303, "the distributor's agent enters");
    }
    http
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
