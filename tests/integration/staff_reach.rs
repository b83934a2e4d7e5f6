//! Staff limited to customer groups (issue 21): an owner limits an agent to
//! some groups on the staff page, and from the agent's next request every page,
//! export, figure and API answer covers exactly those groups' customers; a
//! customer outside them answers as missing, and one that leaves the group
//! leaves the reach on the next request.

use partnerdesk::access::{Access, PartnerRole, TokenScope};
use partnerdesk::i18n::Lang;
use partnerdesk::routes::ROUTES;

use crate::customers::page_of;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};
use crate::partner_api_helpers::{body_of, new_customer};
use crate::partner_home::{
    customers_for_every_figure, figures, figures_match_lists, list_total,
    requests_two_open_one_waiting,
};

pub(crate) const LIMITED: &str = "limited@contoso.example";

/// Contoso's seven customers of the home page's suite, every role, and a group
/// "Half" (Bellows, Coho, Datum, Edge) to which the owner limits an admin agent
/// through the staff page.
pub(crate) struct Limited {
    pub(crate) app: TestApp,
    pub(crate) partner: String,
    pub(crate) owner: reqwest::Client,
    pub(crate) half: String,
    pub(crate) agent_membership: String,
    /// Adatum: outside the group, with three service requests.
    pub(crate) outside: String,
}

pub(crate) async fn limited_agent() -> Limited {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(
            &partner,
            &format!("{}@contoso.example", role.as_str()),
            role,
        );
    }
    let (outside, foreign) = customers_for_every_figure(&app, &partner);
    requests_two_open_one_waiting(&app, &outside, &foreign).await;
    let half_members: Vec<String> = ["Bellows", "Coho", "Datum", "Edge"]
        .iter()
        .map(|name| customer_named(&app, &partner, name))
        .collect();
    let refs: Vec<&str> = half_members.iter().map(String::as_str).collect();
    let half = app.group_with(&partner, "Half", &refs);
    app.group_with(&partner, "Other", &[&outside]);
    let agent_membership = app.active_member(&partner, LIMITED, PartnerRole::AdminAgent);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let path = format!("/partner/staff/{agent_membership}/customers");
    let (status, page) = page_of(&owner, &app, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Half") && page.contains("Other"), "{page}");
    let saved = app
        .post_as(&owner, &path, &[("reach", "groups"), ("groups", &half)])
        .await;
    assert_eq!(saved.status(), 303);
    Limited {
        app,
        partner,
        owner,
        half,
        agent_membership,
        outside,
    }
}

pub(crate) fn customer_named(app: &TestApp, partner: &str, name: &str) -> String {
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner))
        .filter(customer_accounts::name.eq(name))
        .select(customer_accounts::id)
        .first(&mut app.conn())
        .expect("a customer of the fixture")
}

/// `href` narrowed to the group `group`.
pub(crate) fn in_group(href: &str, group: &str) -> String {
    let joiner = if href.contains('?') { '&' } else { '?' };
    format!("{href}{joiner}group={group}")
}

#[tokio::test]
async fn every_figure_equals_the_groups_share_of_the_owners_list() {
    let f = limited_agent().await;
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    // Each figure equals the list it links to, read by the agent...
    let found = figures_match_lists(&f.app, LIMITED).await;
    // ...and the owner's list of the same view within the group.
    for (id, count, href) in &found {
        if href.starts_with("/partner/customers") {
            let owners = list_total(&f.app, &f.owner, &in_group(href, &f.half)).await;
            assert_eq!(*count, owners, "{id}: the group's share of {href}");
        }
    }
    let count = |id: &str| {
        found
            .iter()
            .find(|(found, _, _)| found == id)
            .map(|(_, n, _)| *n)
            .unwrap_or_else(|| panic!("no figure {id}"))
    };
    assert_eq!(count("figure-all"), 4);
    assert_eq!(count("figure-trials-ending"), 1, "Bellows, not Adatum");
    assert_eq!(count("figure-licences-expiring"), 1, "Edge, not Adatum");
    assert_eq!(
        count("figure-open-requests"),
        0,
        "Adatum's are out of reach"
    );
    let (_, home) = page_of(&agent, &f.app, "/partner").await;
    assert!(home.contains(r#"id="limited-reach""#), "the home says so");
    assert!(!home.contains("Adatum"), "nobody outside is named: {home}");
    // The owner's own figures are the whole organisation's.
    let (_, owners_home) = page_of(&f.owner, &f.app, "/partner").await;
    let owners = figures(&owners_home);
    assert!(owners.contains(&("figure-all".to_owned(), 7, "/partner/customers".to_owned())));
    // The chart of new customers by month: the group's four for the agent
    // (counted from the customers it reaches), all seven for the owner.
    let chart_total = |page: &str| -> i64 {
        regex::Regex::new(r#"class="bar" data-count="(\d+)""#)
            .expect("regex")
            .captures_iter(page)
            .map(|c| c[1].parse::<i64>().expect("a count"))
            .sum()
    };
    assert_eq!(chart_total(&home), 4, "the agent's chart: the group's");
    assert_eq!(chart_total(&owners_home), 7, "the owner's chart: everyone");
}

#[tokio::test]
async fn the_list_search_export_and_details_cover_only_the_groups_customers() {
    let f = limited_agent().await;
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    let (_, list) = page_of(&agent, &f.app, "/partner/customers").await;
    for name in ["Bellows", "Coho", "Datum", "Edge"] {
        assert!(list.contains(name), "{name} is listed");
    }
    for name in ["Adatum", "Fourth", "Grove"] {
        assert!(!list.contains(name), "{name} is out of reach");
    }
    assert_eq!(
        list_total(&f.app, &agent, "/partner/customers?q=adatum").await,
        0
    );
    assert_eq!(
        list_total(&f.app, &agent, "/partner/customers?q=coho").await,
        1
    );
    assert_eq!(
        list_total(&f.app, &agent, "/partner/customers?q=o").await,
        2
    );
    let csv = agent
        .get(f.app.url("/partner/customers.csv"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(csv.lines().count(), 5, "a header and four customers: {csv}");
    assert!(!csv.contains("Adatum"));

    // Outside the reach, the customer and its requests are missing.
    let details = format!("/partner/customers/{}", f.outside);
    assert_eq!(page_of(&agent, &f.app, &details).await.0, 404);
    assert_eq!(page_of(&f.owner, &f.app, &details).await.0, 200);
    let (_, requests) = page_of(&f.owner, &f.app, "/partner/requests").await;
    let request = regex::Regex::new(r#"href="/partner/requests/([^"]+)""#)
        .expect("regex")
        .captures(&requests)
        .expect("a request of Adatum")[1]
        .to_owned();
    let path = format!("/partner/requests/{request}");
    assert_eq!(page_of(&agent, &f.app, &path).await.0, 404);
    assert_eq!(
        list_total(&f.app, &agent, "/partner/requests?customer=all").await,
        0
    );
    // Choosing it as the customer worked on is refused like a missing one.
    let chosen = f
        .app
        .post_as(&agent, "/partner/context", &[("customer_id", &f.outside)])
        .await;
    assert_eq!(chosen.status(), 404);
}

#[tokio::test]
async fn a_customer_leaving_the_group_leaves_the_reach_on_the_next_request() {
    let f = limited_agent().await;
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    let coho = customer_named(&f.app, &f.partner, "Coho");
    let details = format!("/partner/customers/{coho}");
    assert_eq!(page_of(&agent, &f.app, &details).await.0, 200);
    // The agent opens Coho's console while it allows assistance.
    let opened = f
        .app
        .post_as(
            &agent,
            &format!("{details}/open"),
            &[("reason", "Ticket 7")],
        )
        .await;
    assert_eq!(opened.status(), 303, "opened");
    assert_eq!(page_of(&agent, &f.app, "/customer").await.0, 200);
    // The owner takes Coho out of the group.
    let removed = f
        .app
        .post_as(
            &f.owner,
            &format!("{details}/groups/{}/remove", f.half),
            &[],
        )
        .await;
    assert_eq!(removed.status(), 303);
    let console = agent.get(f.app.url("/customer")).send().await.expect("GET");
    assert_eq!(console.status(), 303, "the open session ends");
    assert!(
        crate::helpers::location(&console).contains("ended=access_removed"),
        "{:?}",
        console.headers()
    );
    assert_eq!(page_of(&agent, &f.app, &details).await.0, 404);
    assert_eq!(list_total(&f.app, &agent, "/partner/customers").await, 3);
}

#[tokio::test]
async fn the_agents_api_tokens_reach_only_the_groups_customers() {
    let f = limited_agent().await;
    let (_, token) = f
        .app
        .partner_api_token(&f.agent_membership, &TokenScope::ALL, None);
    let listed = body_of(f.app.api_get(&token, "/api/v1/partner/customers").await).await;
    let names: Vec<&str> = listed["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Bellows", "Coho", "Datum", "Edge"], "{listed}");
    // The groups' counts are of the customers in reach.
    let groups = body_of(f.app.api_get(&token, "/api/v1/partner/groups").await).await;
    let count_of = |name: &str| {
        groups["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["name"] == name)
            .map(|g| g["customers"].clone())
    };
    assert_eq!(count_of("Half"), Some(serde_json::json!(4)), "{groups}");
    assert_eq!(count_of("Other"), Some(serde_json::json!(0)), "{groups}");
    assert!(
        readings_of_outside(&f, &token).await >= 6,
        "the API's customer readings"
    );
    // Writes to it are missing too.
    for path in ["billing/convert", "dissociate"] {
        let path = format!("/api/v1/partner/customers/{}/{path}", f.outside);
        let answer = f
            .app
            .api_send(reqwest::Method::POST, &token, &path, None, None)
            .await;
        assert_eq!(answer.status(), 404, "POST {path}");
    }
    // A customer the agent creates joins its group, so the agent keeps it.
    let created = f
        .app
        .api_send(
            reqwest::Method::POST,
            &token,
            "/api/v1/partner/customers",
            Some(&new_customer("Juniper", "ada@juniper.example")),
            None,
        )
        .await;
    assert_eq!(created.status(), 201);
    let id = body_of(created).await["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let found = f
        .app
        .api_get(&token, &format!("/api/v1/partner/customers/{id}"))
        .await;
    assert_eq!(found.status(), 200);
    let owner_view = format!("/partner/customers?group={}", f.half);
    assert_eq!(list_total(&f.app, &f.owner, &owner_view).await, 5);
}

#[tokio::test]
async fn the_owner_limits_and_frees_a_person_and_bad_choices_are_named_in_both_languages() {
    let f = limited_agent().await;
    let path = format!("/partner/staff/{}/customers", f.agent_membership);
    let (_, staff) = page_of(&f.owner, &f.app, "/partner/staff").await;
    assert!(staff.contains("Only one group: Half"), "{staff}");
    assert_eq!(f.app.logged("staff_reach_changed").len(), 1);
    // Limited to nothing, or to another partner's group: refused, nothing saved.
    for (language, message) in [
        (Lang::En, "Choose at least one group"),
        (Lang::Fr, "Choisissez au moins un groupe"),
    ] {
        f.app
            .post_as(
                &f.owner,
                "/language",
                &[("lang", language.code()), ("next", "/")],
            )
            .await;
        let refused = f.app.post_as(&f.owner, &path, &[("reach", "groups")]).await;
        assert_eq!(refused.status(), 200, "shown again with the message");
        let page = refused.text().await.expect("body");
        assert!(page.contains(message), "{page}");
        assert!(page.contains(r#"id="reach-groups" name="reach" value="groups" checked"#));
    }
    let theirs = f
        .app
        .invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let foreign = f.app.group_with(&theirs, "Theirs", &[]);
    let refused = f
        .app
        .post_as(
            &f.owner,
            &path,
            &[("reach", "groups"), ("groups", &foreign)],
        )
        .await;
    assert_eq!(refused.status(), 200, "shown again with the message");
    assert_eq!(
        f.app.logged("staff_reach_changed").len(),
        1,
        "nothing saved"
    );
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    assert_eq!(list_total(&f.app, &agent, "/partner/customers").await, 4);
    // An owner cannot be limited.
    let owner_id = f.app.active_member_id(&f.partner, "owner@contoso.example");
    let owner_path = format!("/partner/staff/{owner_id}/customers");
    let refused = f
        .app
        .post_as(
            &f.owner,
            &owner_path,
            &[("reach", "groups"), ("groups", &f.half)],
        )
        .await;
    assert_eq!(refused.status(), 200, "shown again with the message");
    // Every customer again, from the agent's next request.
    let freed = f.app.post_as(&f.owner, &path, &[("reach", "all")]).await;
    assert_eq!(freed.status(), 303);
    assert_eq!(list_total(&f.app, &agent, "/partner/customers").await, 7);
    assert_eq!(f.app.logged("staff_reach_changed").len(), 2);
}

/// Every reading of one customer through the API, of the customer outside
/// the group: missing, or refused to the agent's role before it is looked up.
/// Returns how many routes were read.
async fn readings_of_outside(f: &Limited, token: &str) -> usize {
    let mut checked = 0;
    for route in ROUTES.iter().filter(|r| r.method == "GET") {
        let Access::ApiPartner(_, capability) = route.access else {
            continue;
        };
        if !route.path.contains("{customer_id}") {
            continue;
        }
        let path = route
            .path
            .replace("{customer_id}", &f.outside)
            .replace("{group_id}", &f.half);
        let status = f.app.api_get(token, &path).await.status().as_u16();
        let want = if PartnerRole::AdminAgent.can(capability) {
            404
        } else {
            403
        };
        assert_eq!(status, want, "GET {path}");
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn a_limited_member_of_a_distributor_sees_none_of_its_network() {
    let f = limited_agent().await;
    let reseller = crate::partner_tree_fixture::child_partner(&f.app, "Tailspin", Some(&f.partner));
    f.app.customer(
        &reseller,
        &crate::helpers::customers::CustomerSpec::named("Zephyr"),
    );
    let agent = f.app.browser_signed_in(LIMITED, PASSWORD).await;
    let (_, owners_home) = page_of(&f.owner, &f.app, "/partner").await;
    assert!(
        owners_home.contains(r#"id="network""#),
        "the owner sees the network"
    );
    let (_, home) = page_of(&agent, &f.app, "/partner").await;
    assert!(!home.contains(r#"id="network""#), "{home}");
    let (status, list) = page_of(&agent, &f.app, "/partner/network/customers").await;
    assert_eq!(status, 200);
    assert!(
        !list.contains("Zephyr") && !list.contains("Tailspin"),
        "{list}"
    );
    let (_, resellers) = page_of(&agent, &f.app, "/partner/resellers").await;
    assert!(!resellers.contains("Tailspin"), "{resellers}");
    let (_, owners) = page_of(&f.owner, &f.app, "/partner/network/customers").await;
    assert!(owners.contains("Zephyr"), "the owner's list has it");
}

#[tokio::test]
async fn a_limited_agent_hears_only_of_the_requests_of_customers_it_reaches() {
    let f = limited_agent().await;
    let coho = customer_named(&f.app, &f.partner, "Coho");
    f.app.customer_administrator(&coho, "admin@coho.example");
    f.app.drain_outbox().await;
    for (admin, title) in [
        ("admin@adatum.example", "Outside ticket"),
        ("admin@coho.example", "Inside ticket"),
    ] {
        let browser = f.app.browser_signed_in(admin, PASSWORD).await;
        let opened = f
            .app
            .post_as(
                &browser,
                "/customer/requests/new",
                &[
                    ("title", title),
                    ("category", "technical"),
                    ("description", "Help."),
                ],
            )
            .await;
        assert_eq!(opened.status(), 303, "{admin}");
    }
    let heard = |emails: &[crate::smtp::ReceivedEmail], title: &str| {
        emails
            .iter()
            .any(|e| e.text.contains(title) || e.subject.contains(title))
    };
    let agents = f.app.emails_to(LIMITED).await;
    assert!(heard(&agents, "Inside ticket"), "{agents:?}");
    assert!(!heard(&agents, "Outside ticket"), "{agents:?}");
    let owners = f.app.emails_to("owner@contoso.example").await;
    assert!(heard(&owners, "Outside ticket") && heard(&owners, "Inside ticket"));
}
