//! The partner home's chart of customers by state over time (issue 8): today's
//! bar equals the counts shown on the page, earlier bars keep the states the
//! customers had at each month end as the app's clock moves on, another
//! partner's customers never count, and a customer who leaves stops counting
//! from then on.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::CustomerState;
use partnerdesk::i18n::Lang;

use crate::customer_create_admin::administrator_step;
use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};
use crate::partner_home::{count_of, figures};

/// One bar: its month (`YYYY-MM`) and its customers by state.
type Bar = (String, BTreeMap<String, i64>);

/// The new customers of the last twelve months, from the other chart.
async fn new_customers(app: &TestApp, username: &str) -> i64 {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (_, page) = page_of(&browser, app, "/partner").await;
    let svg = &page[page.find(r#"id="new-customers-chart""#).expect("the chart")..];
    let svg = &svg[..svg.find("</svg>").expect("its end")];
    regex::Regex::new(r#"class="bar" data-count="(\d+)""#)
        .expect("regex")
        .captures_iter(svg)
        .map(|c| c[1].parse::<i64>().expect("count"))
        .sum()
}

/// The bars of the chart, oldest first, and the page's own state figures.
async fn chart(app: &TestApp, username: &str) -> (Vec<Bar>, BTreeMap<String, i64>) {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (status, page) = page_of(&browser, app, "/partner").await;
    assert_eq!(status, 200);
    let svg = &page[page.find(r#"id="by-state-chart""#).expect("the chart")..];
    let svg = &svg[..svg.find("</svg>").expect("its end")];
    let bar = regex::Regex::new(
        r#"class="state-bar" data-month="(\d{4}-\d{2})" data-total="(\d+)" data-active="(\d+)" data-suspended="(\d+)" data-creating="(\d+)""#,
    )
    .expect("regex");
    let bars: Vec<Bar> = bar
        .captures_iter(svg)
        .map(|c| {
            let mut states = BTreeMap::new();
            for (n, state) in [(3, "active"), (4, "suspended"), (5, "creating")] {
                states.insert(state.to_owned(), c[n].parse().expect("count"));
            }
            let total: i64 = c[2].parse().expect("total");
            assert_eq!(total, states.values().sum::<i64>(), "{}", &c[1]);
            (c[1].to_owned(), states)
        })
        .collect();
    assert_eq!(bars.len(), 12, "one bar a month");
    let found = figures(&page);
    let shown = CustomerState::ALL
        .iter()
        .map(|state| {
            let id = format!("figure-state-{}", state.as_str());
            (state.as_str().to_owned(), count_of(&found, &id))
        })
        .collect();
    assert!(
        svg.contains(r#"fill="url(#state-creating)""#) || bars.iter().all(|b| b.1["creating"] == 0)
    );
    (bars, shown)
}

/// The first instant after the month `YYYY-MM`, in Paris (the test logins' zone), in UTC.
fn end_of(month: &str) -> NaiveDateTime {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").expect("month");
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .expect("next month");
    chrono_tz::Europe::Paris
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("a local midnight")
        .naive_utc()
}

/// What each past bar must hold: the fixtures created before its month's end.
fn expected(bars: &[Bar], fixtures: &[(NaiveDateTime, &str)]) -> Vec<BTreeMap<String, i64>> {
    bars.iter()
        .map(|(month, _)| {
            let mut states: BTreeMap<String, i64> = ["active", "suspended", "creating"]
                .into_iter()
                .map(|s| (s.to_owned(), 0))
                .collect();
            for (created, state) in fixtures {
                if *created < end_of(month) {
                    *states.entry((*state).to_owned()).or_default() += 1;
                }
            }
            states
        })
        .collect()
}

#[tokio::test]
async fn todays_bar_equals_the_figures_and_earlier_bars_keep_their_month_ends() {
    let app = spawn_app_frozen().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(&ours, "sales@contoso.example", PartnerRole::SalesAgent);
    let now = app.clock_now();
    let mut fixtures = Vec::new();
    for (name, state, days_ago) in [
        ("Old", CustomerState::Active, 400),
        ("Spring", CustomerState::Suspended, 100),
        ("Recent", CustomerState::Active, 40),
        ("Waiting", CustomerState::Creating, 70),
    ] {
        let id = app.customer(
            &ours,
            &CustomerSpec {
                state,
                age_minutes: days_ago * 24 * 60,
                ..CustomerSpec::named(name)
            },
        );
        fixtures.push((name, id, now - Duration::days(days_ago), state.as_str()));
    }
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.customer(&theirs, &CustomerSpec::named("Humongous"));

    let dated: Vec<(NaiveDateTime, &str)> = fixtures.iter().map(|f| (f.2, f.3)).collect();
    for username in ["owner@contoso.example", "sales@contoso.example"] {
        let (bars, shown) = chart(&app, username).await;
        assert_eq!(
            bars[11].1, shown,
            "{username}: today's bar is today's figures"
        );
        assert_eq!(shown["active"], 2);
        let want = expected(&bars, &dated);
        for ((month, states), want) in bars.iter().zip(&want).take(11) {
            assert_eq!(states, want, "{username}: {month}");
        }
        assert_eq!(bars[0].1["active"], 1, "only Old, eleven months back");
    }

    assert_eq!(
        new_customers(&app, "owner@contoso.example").await,
        3,
        "Spring, Recent and Waiting"
    );

    let this_month = a_customer_created_then_activated_today(&app).await;
    forty_days_on_recent_leaves(&app, &fixtures[2].1, &this_month).await;
}

/// A sales agent creates a customer through the server (Creating today), then
/// its administrator activates it (Active today). Returns this month's bar.
async fn a_customer_created_then_activated_today(app: &TestApp) -> String {
    let sales = app
        .browser_signed_in("sales@contoso.example", PASSWORD)
        .await;
    let created = app
        .post_as(
            &sales,
            "/partner/customers/new",
            &administrator_step("kim@fourthcoffee.example"),
        )
        .await;
    assert_eq!(created.status(), 303);
    let (bars, shown) = chart(app, "owner@contoso.example").await;
    assert_eq!(bars[11].1, shown);
    assert_eq!(shown["creating"], 2, "Waiting and Fourth Coffee");
    assert_eq!(new_customers(app, "owner@contoso.example").await, 4);
    let this_month = bars[11].0.clone();

    // Its administrator activates it: Active today.
    let email = app
        .mail
        .wait_for_to("kim@fourthcoffee.example", 1)
        .await
        .remove(0);
    let link = email
        .links()
        .into_iter()
        .find(|l| l.contains("/activate/"))
        .expect("an activation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    let activated = app
        .post_as(
            &crate::helpers::client(),
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    let (bars, shown) = chart(app, "owner@contoso.example").await;
    assert_eq!(bars[11].1, shown);
    assert_eq!((shown["creating"], shown["active"]), (1, 3));
    this_month
}

/// Forty days on, Recent leaves Contoso through the server: today's bar and the
/// month of the creation (`this_month`) each keep their own figures.
async fn forty_days_on_recent_leaves(app: &TestApp, recent: &str, this_month: &str) {
    app.clock.advance(Duration::days(40));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let dissociated = app
        .post_as(
            &owner,
            &format!("/partner/customers/{recent}/dissociate"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(dissociated.status(), 303);
    let (bars, shown) = chart(app, "owner@contoso.example").await;
    assert_eq!(bars[11].1, shown, "today's bar is today's figures");
    assert_eq!(
        new_customers(app, "owner@contoso.example").await,
        3,
        "Recent left: it no longer counts among the new customers of its month"
    );
    assert_eq!(
        (shown["active"], shown["creating"], shown["suspended"]),
        (2, 1, 1),
        "Old and Fourth Coffee active, Waiting creating, Spring suspended"
    );
    // The month of the creation keeps Fourth Coffee as active and Recent as ours.
    let then = bars
        .iter()
        .find(|(month, _)| month == this_month)
        .expect("the month of the creation, now in the past");
    assert_eq!(
        (then.1["active"], then.1["creating"], then.1["suspended"]),
        (3, 1, 1),
        "{}: Old, Recent, Fourth Coffee active; Waiting creating; Spring suspended",
        then.0
    );
    assert!(this_month < bars[11].0.as_str());
    assert_eq!(bars[11].0, {
        let today = app
            .clock_now()
            .and_utc()
            .with_timezone(&chrono_tz::Europe::Paris);
        format!("{:04}-{:02}", today.year(), today.month())
    });

    // In French too.
    app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, page) = page_of(&owner, app, "/partner").await;
    let page = unescape(&page);
    assert!(page.contains("Clients par état au fil du temps"));
    assert!(page.contains("aujourd'hui"));
}
