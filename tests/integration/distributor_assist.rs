//! Distributor assistance through the real server: a reseller's owner lets
//! its distributor help; the distributor's agent enters the reseller's portal
//! with a reason, under a banner, acts in the reseller's log under their own
//! name on behalf of the distributor, and is sent back as soon as the session
//! may no longer go on (assistance stopped, an hour over, the reseller moved,
//! the right lost). Who may enter which portal, and what they may do there.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{memberships, reseller_assists};

use crate::customers::{page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, spawn_app};
use crate::partner_tree_fixture::{OWNER, RESELLER_OWNER, Tree, place_under, tree};

const AGENT: &str = "adam@distributor.example";

struct Fixture {
    app: TestApp,
    tree: Tree,
    /// The distributor's admin agent and the reseller's owner, signed in.
    agent: reqwest::Client,
    reseller_owner: reqwest::Client,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let tree = tree(&app);
    let agent = app.browser_signed_in(AGENT, PASSWORD).await;
    let reseller_owner = app.browser_signed_in(RESELLER_OWNER, PASSWORD).await;
    Fixture {
        app,
        tree,
        agent,
        reseller_owner,
    }
}

impl Fixture {
    fn assist_path(&self) -> String {
        format!("/partner/resellers/{}/assist", self.tree.reseller)
    }

    async fn allow(&self, enabled: bool) -> reqwest::Response {
        let value = if enabled { "on" } else { "off" };
        self.app
            .post_as(
                &self.reseller_owner,
                "/partner/distributor-assistance",
                &[("enabled", value)],
            )
            .await
    }

    async fn enter(&self, browser: &reqwest::Client, reason: &str) -> reqwest::Response {
        self.app
            .post_as(browser, &self.assist_path(), &[("reason", reason)])
            .await
    }

    fn sessions(&self) -> i64 {
        reseller_assists::table
            .count()
            .get_result(&mut self.app.conn())
            .expect("count")
    }

    /// Where the agent's next page of the partner area sends them.
    async fn sent_to(&self, browser: &reqwest::Client) -> String {
        let response = browser
            .get(self.app.url("/partner/customers"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 303);
        location(&response)
    }
}

#[tokio::test]
async fn a_reseller_lets_its_distributor_help_and_a_reason_is_required() {
    let f = fixture().await;
    let assist_link = format!(r#"id="assist-{}""#, f.tree.reseller);
    // Not allowed yet: no link, a page saying so, and entering is refused.
    let (_, resellers) = page_of(&f.agent, &f.app, "/partner/resellers").await;
    assert!(!resellers.contains(&assist_link));
    let (status, page) = page_of(&f.agent, &f.app, &f.assist_path()).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="reseller-assistance-off""#));
    assert_eq!(f.enter(&f.agent, "Ticket 42").await.status(), 403);
    assert_eq!(f.sessions(), 0);

    // The reseller's owner allows it; the distributor hears of it.
    let (status, page) =
        page_of(&f.reseller_owner, &f.app, "/partner/distributor-assistance").await;
    assert_eq!(status, 200);
    assert!(page.contains("Distributor assistance is off."));
    assert_eq!(f.allow(true).await.status(), 303);
    let (_, resellers) = page_of(&f.agent, &f.app, "/partner/resellers").await;
    assert!(resellers.contains(&assist_link));

    // A reason is required, in the person's language, what was typed kept.
    let reason_error = regex::Regex::new(r#"id="reason-error">([^<]+)<"#).expect("regex");
    for (lang, message) in [
        ("en", "This field is required."),
        ("fr", "Ce champ est obligatoire."),
    ] {
        f.app
            .post_as(&f.agent, "/language", &[("lang", lang), ("next", "/")])
            .await;
        let page = f.enter(&f.agent, "  ").await.text().await.expect("body");
        let error = reason_error.captures(&page).map(|c| unescape(&c[1]));
        assert_eq!(error.as_deref(), Some(message));
        let too_long = "y".repeat(201);
        let page = f
            .enter(&f.agent, &too_long)
            .await
            .text()
            .await
            .expect("body");
        assert!(page.contains(&too_long), "what was typed stays");
    }
    assert_eq!(f.sessions(), 0, "nothing started on a refusal");
}

#[tokio::test]
async fn inside_the_agent_acts_for_the_reseller_in_its_log_until_it_stops() {
    let f = fixture().await;
    f.allow(true).await;
    // Inside: the reseller's customers under a banner naming everyone.
    let entered = f.enter(&f.agent, "Ticket 42").await;
    assert_eq!(
        (entered.status().as_u16(), location(&entered)),
        (303, "/partner".to_owned())
    );
    let (status, list) = page_of(&f.agent, &f.app, "/partner/customers").await;
    assert_eq!(status, 200);
    assert!(list.contains(r#"id="reseller-assist-banner""#));
    let banner = unescape(&list);
    assert!(banner.contains("You are in the portal of Reseller on behalf of Distributor, as Person adam@distributor.example"));
    assert!(
        list.contains("Alpha") && !list.contains(">Own<"),
        "the reseller's customers only"
    );

    // A change is the reseller's, in the agent's name on behalf of the distributor.
    let customer = &f.tree.reseller_customer;
    let renamed = f
        .app
        .post_as(
            &f.agent,
            &format!("/partner/customers/{customer}/rename"),
            &[("name", "Alpha Renamed")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    let (_, log) = page_of(&f.reseller_owner, &f.app, "/partner/activity").await;
    let log = unescape(&log);
    assert!(log.contains("Person adam@distributor.example (on behalf of Distributor)"));
    assert!(log.contains("Alpha Renamed"));
    assert!(log.contains("Entered the reseller's portal") && log.contains("Ticket 42"));
    let owner = f.app.browser_signed_in(OWNER, PASSWORD).await;
    let (_, distributor_log) = page_of(&owner, &f.app, "/partner/activity").await;
    assert!(unescape(&distributor_log).contains("Entered the reseller's portal"));

    // The reseller stops it: the agent's next page says so, then their own portal.
    let stopped = f.allow(false).await;
    assert_eq!(stopped.status(), 303);
    let back = f.sent_to(&f.agent).await;
    assert_eq!(back, format!("{}?ended=assistance_off", f.assist_path()));
    let (_, page) = page_of(&f.agent, &f.app, &back).await;
    assert!(page.contains("The reseller stopped distributor assistance"));
    let (status, own) = page_of(&f.agent, &f.app, "/partner/customers").await;
    assert_eq!(status, 200);
    assert!(!own.contains(r#"id="reseller-assist-banner""#) && own.contains(">Own<"));

    // The reseller's page keeps who came, why, and how it ended.
    let (_, history) = page_of(&f.reseller_owner, &f.app, "/partner/distributor-assistance").await;
    let history = unescape(&history);
    assert!(history.contains("Ticket 42") && history.contains("Person adam@distributor.example"));
    assert!(history.contains("Distributor assistance was stopped."));
}

#[tokio::test]
async fn inside_a_resellers_portal_nothing_grants_access_or_goes_further() {
    let f = fixture().await;
    f.allow(true).await;
    assert_eq!(f.enter(&f.agent, "Setting up groups").await.status(), 303);
    let customer = &f.tree.reseller_customer;
    // What hands out access, opens a console or reaches further down: refused.
    for path in [
        "/partner/staff".to_owned(),
        "/partner/api-tokens".to_owned(),
        "/partner/webhooks".to_owned(),
        "/partner/sso".to_owned(),
        "/partner/groups".to_owned(),
        "/partner/distributor-assistance".to_owned(),
        "/partner/resellers/new".to_owned(),
        format!("/partner/customers/{customer}/open"),
        format!("/partner/resellers/{}/assist", f.tree.sub_reseller),
    ] {
        assert_eq!(page_of(&f.agent, &f.app, &path).await.0, 403, "{path}");
    }
    for (path, form) in [
        (
            "/partner/staff/invite".to_owned(),
            vec![("username", "x@y.example"), ("role", "owner")],
        ),
        (format!("/partner/customers/{customer}/dissociate"), vec![]),
        (
            format!("/partner/customers/{customer}/permissions"),
            vec![("permission", "buy_reservations")],
        ),
    ] {
        let response = f.app.post_as(&f.agent, &path, &form).await;
        assert_eq!(response.status(), 403, "{path}");
    }
    // The distributor's own customers are not the reseller's; no console either.
    assert_eq!(page_of(&f.agent, &f.app, "/customer").await.0, 404);
    assert_eq!(
        page_of(
            &f.agent,
            &f.app,
            &format!("/partner/customers/{}", f.tree.sub_customer)
        )
        .await
        .0,
        404
    );

    // Leaving: back to the distributor's portal, the session ended as left.
    let left = f.app.post_as(&f.agent, "/partner/assist/leave", &[]).await;
    assert_eq!(
        (left.status().as_u16(), location(&left)),
        (303, f.assist_path())
    );
    let ended: Option<String> = reseller_assists::table
        .select(reseller_assists::end_reason)
        .first(&mut f.app.conn())
        .expect("the session");
    assert_eq!(ended.as_deref(), Some("left"));
    assert_eq!(
        page_of(&f.agent, &f.app, "/partner/staff").await.0,
        403,
        "an admin agent again"
    );
    let (_, log) = page_of(&f.reseller_owner, &f.app, "/partner/activity").await;
    assert!(unescape(&log).contains("Left the reseller's portal"));
}

#[tokio::test]
async fn only_the_distributor_directly_above_and_its_helping_roles_may_enter() {
    let f = fixture().await;
    f.allow(true).await;
    crate::partner_tree_fixture::allow_distributor_assistance(&f.app, &f.tree.sub_reseller);
    let sub_path = format!("/partner/resellers/{}/assist", f.tree.sub_reseller);
    for (username, role_may) in [
        (OWNER, 200),
        ("hana@distributor.example", 200),
        ("sam@distributor.example", 403),
    ] {
        let browser = f.app.browser_signed_in(username, PASSWORD).await;
        assert_eq!(
            page_of(&browser, &f.app, &f.assist_path()).await.0,
            role_may,
            "{username}"
        );
        // The sub-reseller is its own distributor's to help, not the one above.
        let below = page_of(&browser, &f.app, &sub_path).await.0;
        assert_eq!(below, if role_may == 200 { 404 } else { 403 }, "{username}");
    }
    // The reseller helps its own reseller; never the organisation above it.
    assert_eq!(page_of(&f.reseller_owner, &f.app, &sub_path).await.0, 200);
    let upwards = format!("/partner/resellers/{}/assist", f.tree.distributor);
    assert_eq!(page_of(&f.reseller_owner, &f.app, &upwards).await.0, 404);
    let outside = format!("/partner/resellers/{}/assist", f.tree.other);
    assert_eq!(page_of(&f.agent, &f.app, &outside).await.0, 404);
    // An agent limited to some customer groups reaches no network at all.
    let group = f.app.group_with(&f.tree.distributor, "Own only", &[]);
    let agent_membership = f.app.active_member_id(&f.tree.distributor, AGENT);
    f.app.limit_to_groups(&agent_membership, &[&group]);
    assert_eq!(page_of(&f.agent, &f.app, &f.assist_path()).await.0, 404);
    assert_eq!(f.enter(&f.agent, "Ticket").await.status(), 404);
    assert_eq!(f.sessions(), 0);
}

#[tokio::test]
async fn the_session_ends_with_the_hour_a_move_or_the_right() {
    let f = fixture().await;
    f.allow(true).await;
    // The hour: requests every twenty minutes keep the sign-in alive.
    assert_eq!(f.enter(&f.agent, "Hour").await.status(), 303);
    for _ in 0..2 {
        f.app.clock.advance(Duration::minutes(20));
        assert_eq!(page_of(&f.agent, &f.app, "/partner/customers").await.0, 200);
    }
    f.app.clock.advance(Duration::minutes(21));
    // The reseller's history says the hour is over before anyone comes back.
    let reseller_owner = f.app.browser_signed_in(RESELLER_OWNER, PASSWORD).await;
    let (_, history) = page_of(&reseller_owner, &f.app, "/partner/distributor-assistance").await;
    assert!(history.contains("Their hour was over.") && !history.contains("Still in the portal"));
    let back = f.sent_to(&f.agent).await;
    assert_eq!(back, format!("{}?ended=expired", f.assist_path()));
    let (_, page) = page_of(&f.agent, &f.app, &back).await;
    assert!(page.contains("a session lasts at most an hour"));

    // A move of the reseller under another organisation.
    assert_eq!(f.enter(&f.agent, "Move").await.status(), 303);
    place_under(&f.app, &f.tree.reseller, &f.tree.other);
    assert_eq!(
        f.sent_to(&f.agent).await,
        format!("{}?ended=dissociated", f.assist_path())
    );
    place_under(&f.app, &f.tree.reseller, &f.tree.distributor);

    // The agent's role loses the right to help.
    assert_eq!(f.enter(&f.agent, "Role").await.status(), 303);
    let membership = f.app.active_member_id(&f.tree.distributor, AGENT);
    diesel::update(memberships::table.find(&membership))
        .set(memberships::role.eq(PartnerRole::SalesAgent.as_str()))
        .execute(&mut f.app.conn())
        .expect("a new role");
    assert_eq!(
        f.sent_to(&f.agent).await,
        format!("{}?ended=access_removed", f.assist_path())
    );
    let reasons: Vec<Option<String>> = reseller_assists::table
        .order(reseller_assists::started_at)
        .select(reseller_assists::end_reason)
        .load(&mut f.app.conn())
        .expect("sessions");
    assert_eq!(
        reasons.iter().map(Option::as_deref).collect::<Vec<_>>(),
        [Some("expired"), Some("dissociated"), Some("access_removed")]
    );
}
