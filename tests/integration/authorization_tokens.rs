//! The authorization matrix for partner API tokens, a caller of its own kind:
//! every `ApiPartner` route, asked with a token of each partner role holding
//! every scope, a token lacking the route's scope, another organisation's
//! token, an expired token and none. The routes come from the route table.

use partnerdesk::access::{Access, Decision, PartnerRole, TokenScope, decide_for_token};
use partnerdesk::routes::{ROUTES, Route};

use crate::authorization::Outcome;
use crate::authorization_fixture::{Fixture, fixture};
use crate::authorization_samples::sample_path;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_api_helpers::new_customer;

/// Who presents what on a partner API route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// A token of every scope, created by a member of this role.
    Token(PartnerRole),
    /// An owner's token with every scope but the route's.
    WithoutScope,
    /// An owner's token of another organisation, with every scope.
    OtherPartner,
    Expired,
    Nobody,
}

fn expected(route: &Route, caller: Caller) -> Outcome {
    let Access::ApiPartner(_, capability) = route.access else {
        unreachable!("only partner API routes are asked");
    };
    match caller {
        Caller::Nobody | Caller::Expired => Outcome::Unauthorized,
        Caller::WithoutScope => Outcome::Forbidden,
        Caller::Token(role) if decide_for_token(capability, role) == Decision::Allow => {
            Outcome::Reached
        }
        Caller::Token(_) => Outcome::Forbidden,
        // Any id in the path is one of ours: theirs answers as missing.
        Caller::OtherPartner if route.path.contains('{') => Outcome::NotFound,
        Caller::OtherPartner => Outcome::Reached,
    }
}

async fn observe(
    app: &TestApp,
    route: &Route,
    path: &str,
    token: Option<&str>,
    n: usize,
) -> Outcome {
    let http = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(route.method.as_bytes()).expect("a method");
    let request = http.request(method, app.url(path));
    let request = match sample_body(route, n) {
        Some(body) => request.json(&body),
        None => request,
    };
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    match request.send().await.expect("request").status().as_u16() {
        401 => Outcome::Unauthorized,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        _ => Outcome::Reached,
    }
}

/// A well-formed body for a write `route`, so that only the token decides the
/// answer (`n` keeps created names apart).
fn sample_body(route: &Route, n: usize) -> Option<serde_json::Value> {
    match (route.method, route.path) {
        ("GET", _) => None,
        ("POST", "/api/v1/partner/customers") => {
            let admin = format!("admin{n}@matrix.example");
            Some(new_customer(&format!("Matrix {n}"), &admin))
        }
        _ => Some(serde_json::json!({})),
    }
}

/// A token for `caller` on `route`, made in the fixture's organisations.
fn token_of(
    app: &TestApp,
    f: &Fixture,
    theirs: &str,
    route: &Route,
    caller: Caller,
) -> Option<String> {
    let member = |partner: &str, username: &str| app.active_member_id(partner, username);
    let all = TokenScope::ALL;
    Some(match caller {
        Caller::Nobody => return None,
        Caller::Token(role) => {
            let creator = member(&f.ours, &format!("{}@contoso.example", role.as_str()));
            app.partner_api_token(&creator, &all, None).1
        }
        Caller::WithoutScope => {
            let Access::ApiPartner(scope, _) = route.access else {
                return None;
            };
            let others: Vec<TokenScope> = all.into_iter().filter(|s| *s != scope).collect();
            let owner = member(&f.ours, "owner@contoso.example");
            app.partner_api_token(&owner, &others, None).1
        }
        Caller::OtherPartner => {
            let owner = member(theirs, "owner@fabrikam.example");
            app.partner_api_token(&owner, &all, None).1
        }
        Caller::Expired => {
            let owner = member(&f.ours, "owner@contoso.example");
            let past = app.clock_now() - chrono::Duration::seconds(1);
            app.partner_api_token(&owner, &all, Some(past)).1
        }
    })
}

#[tokio::test]
async fn every_partner_api_route_answers_every_kind_of_token_as_the_matrix_says() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let theirs = partnerdesk_partner_of(&app, "owner@fabrikam.example");
    let mut callers: Vec<Caller> = PartnerRole::ALL.into_iter().map(Caller::Token).collect();
    callers.extend([
        Caller::WithoutScope,
        Caller::OtherPartner,
        Caller::Expired,
        Caller::Nobody,
    ]);
    let mut failures = Vec::new();
    let mut n = 0;
    for route in ROUTES
        .iter()
        .filter(|r| matches!(r.access, Access::ApiPartner(..)))
    {
        let path = sample_path(route, &f.ids).expect("a sample path");
        for caller in &callers {
            n += 1;
            let token = token_of(&app, &f, &theirs, route, *caller);
            let got = observe(&app, route, &path, token.as_deref(), n).await;
            let want = expected(route, *caller);
            if got != want {
                failures.push(format!(
                    "{} {path} as {caller:?}: expected {want:?}, got {got:?}",
                    route.method
                ));
            }
        }
    }
    assert!(n > 0, "partner API routes were asked");
    assert!(
        failures.is_empty(),
        "token mismatches:\n{}",
        failures.join("\n")
    );
}

/// The organisation `username` is an active member of.
fn partnerdesk_partner_of(app: &TestApp, username: &str) -> String {
    use diesel::prelude::*;
    use partnerdesk::db::schema::{logins, memberships};
    memberships::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq(username.to_lowercase()))
        .filter(memberships::partner_id.is_not_null())
        .select(memberships::partner_id.assume_not_null())
        .first(&mut app.conn())
        .expect("a partner membership")
}
