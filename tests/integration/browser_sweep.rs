//! The browser sweep (issue 17): every GET page of the route table, as each
//! persona that may see it, in English and French, at 390, 768 and 1366 px wide.
//! A page fails when it scrolls sideways or when axe-core reports a violation of
//! impact "serious" or "critical" (once per page in dark mode too, at 1366 px),
//! or when the header wraps at 1366 px, or when a row of filters does not line up,
//! or when its text shows a message id, an
//! unfilled argument or a stored code (`page_text.rs`). The routes, their sample requests and who may
//! see them come from the authorization matrix (`authorization.rs`), so a new
//! route is swept as soon as the matrix knows it, and a GET route no persona
//! sweeps fails a test. Each persona's sweep is a test of its own (the module
//! `every_page_holds_at_every_width_in_both_languages_for`), so that the
//! suite's threads share the sweep's minutes.
//!
//! axe-core comes from npm: `npm ci --prefix tests/axe` (`.ci/run` does it), or
//! `PARTNERDESK_AXE_JS` names an `axe.min.js`. One screenshot per page and width
//! (the first persona that sees the page, in English) goes to
//! `target/sweep-screenshots/`. Runs on SQLite only: the pages are the same on
//! PostgreSQL, and the sweep is the slowest part of the suite.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use partnerdesk::access::Access;
use partnerdesk::i18n::Lang;
use partnerdesk::routes::{ROUTES, Route};

use crate::authorization::{FRESH, Ids};
use crate::authorization::{Outcome, Persona, expected};
use crate::authorization_fixture::{Fixture, fixture, fresh_object};
use crate::authorization_samples::sample_path;
use crate::browser::{Browser, browser_required};
use crate::browser_sweeper::{
    Report, Sweeper, axe_source, enrol_authenticator, screenshot_folder, slug,
};
use crate::helpers::people::PASSWORD;
use crate::helpers::{POSTGRES_URL_VAR, TestApp, spawn_app};

pub(crate) const WIDTHS: [i64; 3] = [390, 768, 1366];
pub(crate) const HEIGHT: u32 = 900;
pub(crate) const LANGUAGES: [Lang; 2] = [Lang::En, Lang::Fr];
/// A login with an authenticator app, for the second step of signing in.
pub(crate) const TWO_STEP_LOGIN: &str = "target@contoso.example";

/// GET routes that answer something other than a page: files, CSV, JSON.
fn is_page(route: &Route) -> bool {
    !(route.path == "/health_check"
        || route.path == "/ready"
        || route.path.starts_with("/static/")
        || route.path.ends_with(".csv")
        || route.path.ends_with(".json")
        || matches!(
            route.access,
            Access::ApiOperator
                | Access::ApiCustomer
                | Access::ApiPartner(..)
                | Access::MetricsToken
        ))
}

/// The pages `persona` sees, each with its sample request.
fn pages_of(app: &TestApp, persona: Persona, fixture: &Fixture) -> Vec<(&'static Route, String)> {
    let owners = (fixture.ours.as_str(), fixture.reserved.as_str());
    ROUTES
        .iter()
        .filter(|r| r.method == "GET" && is_page(r) && sees(r, persona))
        .filter_map(|r| sample_path(r, &fixture.ids).map(|path| (r, path)))
        .enumerate()
        // Numbered apart from the fixture's own objects.
        .map(|(n, (r, path))| (r, made_real(app, path, 10_001 + n, owners, &fixture.ids)))
        .collect()
}

/// The sample `path` with an object made for the page where it stands for
/// one made afresh (`FRESH`): the page itself is swept, not a 404.
fn made_real(app: &TestApp, path: String, n: usize, owners: (&str, &str), ids: &Ids) -> String {
    if path.contains(FRESH) {
        let id = fresh_object(app, &path, n, owners, ids);
        path.replace(FRESH, &id)
    } else {
        path
    }
}

/// The personas of the sweep: a visitor, the four partner roles, the customer's
/// administrator and user, a sub-account's operator and the owner inside the
/// opened customer.
fn sweep_personas(all: &[Persona]) -> Vec<Persona> {
    all.iter()
        .copied()
        .filter(|p| *p != Persona::OtherPartnerOwner)
        .collect()
}

/// Whether `persona` sees the page: the matrix lets it through, and public
/// pages are swept once, by the visitor.
fn sees(route: &Route, persona: Persona) -> bool {
    match route.access {
        Access::Public => persona == Persona::Anonymous,
        _ => expected(route, persona) == Outcome::Reached,
    }
}

/// One persona's sweep: every page it sees, in both languages, at every width.
/// Each persona is a test of its own, so that the suite's threads share them.
async fn sweep_as(persona: Persona) {
    if sqlite_only() {
        return;
    }
    let app = spawn_app().await;
    let fixture = fixture(&app);
    enrol_authenticator(&app).await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some((browser, axe)) = with_axe(browser).await else {
        return;
    };
    let started = Instant::now();
    let pages = pages_of(&app, persona, &fixture);
    let mut report = Report {
        screenshots: shot_by_another(persona, &pages, &fixture),
        ..Report::default()
    };
    let mut sweeper = Sweeper {
        app: &app,
        browser,
        persona,
        axe: &axe,
        customer: &fixture.ids.customer,
        partner: &fixture.ids.partner,
        chrome: 0,
    };
    let outcome = sweeper.sweep(&pages, &mut report).await;
    let name = format!("sweep-{}", slug(&format!("{persona:?}")));
    sweeper.browser.finish(&name, outcome).await;
    eprintln!(
        "sweep as {persona:?}: {} checks of {} pages in {:?}; screenshots in {}",
        report.checks,
        pages.len(),
        started.elapsed(),
        screenshot_folder().display()
    );
    assert!(
        report.failures.is_empty(),
        "{} problems:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

/// Pages and widths whose screenshot another persona takes: each page is shot
/// (and checked in dark mode) once, by the first swept persona that sees it.
fn shot_by_another(
    persona: Persona,
    pages: &[(&'static Route, String)],
    fixture: &Fixture,
) -> BTreeSet<(&'static str, i64)> {
    pages
        .iter()
        .filter(|(route, _)| first_to_see(route, fixture) != Some(persona))
        .flat_map(|(route, _)| WIDTHS.map(|width| (route.path, width)))
        .collect()
}

/// The first swept persona for whom the page has a sample request.
fn first_to_see(route: &Route, fixture: &Fixture) -> Option<Persona> {
    every_page_holds_at_every_width_in_both_languages_for::SWEPT
        .iter()
        .copied()
        .find(|p| sees(route, *p) && sample_path(route, &fixture.ids).is_some())
}

fn sqlite_only() -> bool {
    let on_postgres = std::env::var(POSTGRES_URL_VAR).is_ok_and(|url| !url.is_empty());
    if on_postgres {
        eprintln!("skipped: the sweep runs on SQLite only");
    }
    on_postgres
}

/// Declares each persona's sweep, and `SWEPT`, the personas in that order.
macro_rules! persona_sweeps {
    ($($name:ident: $persona:expr,)*) => {
        pub(crate) const SWEPT: &[Persona] = &[$($persona),*];
        $(
            #[tokio::test]
            async fn $name() {
                super::sweep_as($persona).await;
            }
        )*
    };
}

mod every_page_holds_at_every_width_in_both_languages_for {
    use crate::authorization::Persona;
    use partnerdesk::access::PartnerRole;

    persona_sweeps! {
        a_visitor: Persona::Anonymous,
        the_owner: Persona::Staff(PartnerRole::Owner),
        an_admin_agent: Persona::Staff(PartnerRole::AdminAgent),
        a_sales_agent: Persona::Staff(PartnerRole::SalesAgent),
        a_helpdesk_agent: Persona::Staff(PartnerRole::HelpdeskAgent),
        an_agent_limited_to_a_group: Persona::LimitedAgent,
        the_customer_administrator: Persona::CustomerAdministrator,
        a_customer_user: Persona::CustomerUser,
        the_partner_inside_the_customer: Persona::AssistingPartner,
        a_sub_account_operator: Persona::Operator,
        the_instance_operator: Persona::InstanceOperator,
        the_distributor_assisting_a_reseller: Persona::AssistingDistributor,
    }
}

/// Every persona of the matrix but another organisation's owner has a sweep,
/// and every GET page of the route table is swept by one of them: a new page
/// or persona is swept as soon as the matrix knows it.
#[tokio::test]
async fn every_page_of_the_route_table_is_swept_by_some_persona() {
    if sqlite_only() {
        return;
    }
    let app = spawn_app().await;
    let fixture = fixture(&app);
    let all: BTreeSet<String> = sweep_personas(&fixture.personas)
        .iter()
        .map(|p| format!("{p:?}"))
        .collect();
    let swept: BTreeSet<String> = every_page_holds_at_every_width_in_both_languages_for::SWEPT
        .iter()
        .map(|p| format!("{p:?}"))
        .collect();
    assert_eq!(all, swept, "the personas of the matrix and of the sweep");
    let not_swept: Vec<&str> = ROUTES
        .iter()
        .filter(|r| r.method == "GET" && is_page(r) && first_to_see(r, &fixture).is_none())
        .map(|r| r.path)
        .collect();
    assert!(
        not_swept.is_empty(),
        "GET pages of the route table no persona sweeps: {not_swept:?}"
    );
}

/// On a phone the navigation sits behind the menu button, which opens it with
/// no script at all (a checkbox and its label): the page carries none.
#[tokio::test]
async fn the_menu_button_opens_the_navigation_on_a_phone_without_a_script() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(
        &partner,
        "owner@contoso.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        browser
            .sign_in(&app.url("/login"), "owner@contoso.example", PASSWORD)
            .await?;
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("sign-out"))
            .await?;
        c.set_window_size(390, 844).await?;
        c.goto(&app.url("/partner/activity")).await?;
        let scripts = c.find_all(Locator::Css("script")).await?;
        anyhow::ensure!(scripts.is_empty(), "the page carries a script");
        let groups = c
            .find(Locator::Css(".section-pages a[href='/partner/groups']"))
            .await?;
        anyhow::ensure!(!groups.is_displayed().await?, "the menu starts closed");
        let sign_out = c.find(Locator::Id("sign-out")).await?;
        anyhow::ensure!(!sign_out.is_displayed().await?, "so do the tools");
        c.find(Locator::Css("label.menu-button"))
            .await?
            .click()
            .await?;
        anyhow::ensure!(groups.is_displayed().await?, "the menu opens");
        anyhow::ensure!(sign_out.is_displayed().await?, "with the tools");
        groups.click().await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("h1"))
            .await?;
        let url = c.current_url().await?;
        anyhow::ensure!(url.path() == "/partner/groups", "followed: {url}");
        // On a wide screen the sections are in the bar and the menu button is gone.
        c.set_window_size(1366, 900).await?;
        let button = c.find(Locator::Css("label.menu-button")).await?;
        anyhow::ensure!(!button.is_displayed().await?, "no menu button at 1366 px");
        let section = c
            .find(Locator::Css(".section-nav a[aria-current='page']"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(section == "Groups", "the section bar: {section}");
        Ok(())
    }
    .await;
    browser.finish("menu_on_a_phone", outcome).await;
}

/// The browser with axe-core's source; like the browser, outside CI a machine
/// without axe-core skips the sweep (`None`, the browser closed).
async fn with_axe(first: Browser) -> Option<(Browser, String)> {
    match axe_source() {
        Ok(axe) => Some((first, axe)),
        Err(error) if browser_required() => {
            first.finish("sweep", Err(error)).await;
            None
        }
        Err(error) => {
            eprintln!("skipped: {error}");
            first.finish("sweep", Ok(())).await;
            None
        }
    }
}
