//! The activity log (D3) through the real server: filters by customer, person,
//! action and dates, with messages next to bad filters; the same selection as a
//! CSV file; the customer's own view; and no way to change an entry.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;
use partnerdesk::routes::ROUTES;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

struct Fixture {
    app: TestApp,
    partner: String,
    adatum: String,
    tailspin: String,
    owner: reqwest::Client,
    admin_agent: reqwest::Client,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(&partner, "agent@contoso.example", PartnerRole::AdminAgent);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let tailspin = app.customer(&partner, &CustomerSpec::named("Tailspin"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let admin_agent = app
        .browser_signed_in("agent@contoso.example", PASSWORD)
        .await;
    Fixture {
        app,
        partner,
        adatum,
        tailspin,
        owner,
        admin_agent,
    }
}

impl Fixture {
    async fn rename(&self, browser: &reqwest::Client, customer: &str, name: &str) {
        let response = self
            .app
            .post_as(
                browser,
                &format!("/partner/customers/{customer}/rename"),
                &[("name", name)],
            )
            .await;
        assert_eq!(response.status(), 303);
    }

    /// The rows of the owner's log page for `query`: (person, action, customer).
    async fn rows(&self, query: &str) -> Vec<(String, String, String)> {
        let (status, page) = page_of(
            &self.owner,
            &self.app,
            &format!("/partner/activity?{query}"),
        )
        .await;
        assert_eq!(status, 200);
        let row = regex::Regex::new(
            r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>",
        )
        .expect("regex");
        row.captures_iter(&unescape(&page))
            .map(|c| (c[1].to_owned(), c[2].to_owned(), c[3].to_owned()))
            .collect()
    }

    /// A day in the owner's time zone (Europe/Paris), as the filter takes it.
    fn day(&self, days_from_now: i64) -> String {
        let now = self.app.clock_now() + Duration::days(days_from_now);
        now.and_utc()
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%Y-%m-%d")
            .to_string()
    }
}

#[tokio::test]
async fn the_log_filters_by_customer_person_action_and_dates() {
    let mut f = fixture().await;
    f.rename(&f.owner, &f.adatum, "Adatum Corp").await;
    f.rename(&f.admin_agent, &f.tailspin, "Tailspin Toys").await;
    f.app.clock.advance(Duration::days(3));
    // Three days on, the sessions have ended.
    f.owner = f
        .app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    f.rename(&f.owner, &f.tailspin, "Tailspin Air").await;

    let renamed = f.rows("action=customer_renamed").await;
    assert_eq!(renamed.len(), 3);
    let by_customer = f.rows("action=customer_renamed&customer=adatum").await;
    assert_eq!(
        by_customer,
        vec![(
            "Person owner@contoso.example".to_owned(),
            "Renamed a customer account".to_owned(),
            "Adatum Corp".to_owned()
        )]
    );
    // The customer filter also takes part of a domain.
    assert_eq!(
        f.rows("action=customer_renamed&customer=tailspin.exam")
            .await
            .len(),
        2
    );
    let by_person = f
        .rows("action=customer_renamed&person=Person+agent%40contoso.example")
        .await;
    assert_eq!(by_person.len(), 1);
    assert_eq!(by_person[0].2, "Tailspin Air");
    let today = f.day(0);
    let recent = f
        .rows(&format!("action=customer_renamed&from={today}&to={today}"))
        .await;
    assert_eq!(recent.len(), 1, "only today's rename");
    let earlier = f
        .rows(&format!("action=customer_renamed&to={}", f.day(-1)))
        .await;
    assert_eq!(earlier.len(), 2);
    // Sign-ins are in the log too, and name no customer.
    let sign_ins = f.rows("action=signed_in").await;
    assert!(sign_ins.len() >= 2);
    assert!(f.rows("action=signed_in&customer=adatum").await.is_empty());
}

#[tokio::test]
async fn bad_filters_are_said_next_to_their_field_in_the_readers_language() {
    let f = fixture().await;
    f.rename(&f.owner, &f.adatum, "Adatum Corp").await;
    for (lang, date_message, range_message) in [
        (
            "en",
            "Enter a date as YYYY-MM-DD.",
            "The end date comes before the start date.",
        ),
        (
            "fr",
            "Saisissez une date au format AAAA-MM-JJ.",
            "La date de fin précède la date de début.",
        ),
    ] {
        f.app
            .post_as(&f.owner, "/language", &[("lang", lang), ("next", "/")])
            .await;
        let (status, page) = page_of(
            &f.owner,
            &f.app,
            "/partner/activity?from=2026-13-45&customer=adatum",
        )
        .await;
        assert_eq!(status, 200);
        let page = unescape(&page);
        assert!(
            page.contains(&format!(
                r#"<p class="field-error" id="from-error">{date_message}</p>"#
            )),
            "{lang}"
        );
        assert!(
            page.contains(r#"value="2026-13-45""#),
            "the typed date stays"
        );
        assert!(
            page.contains(r#"value="adatum""#),
            "the typed customer stays"
        );
        assert!(
            !page.contains("activity-export"),
            "no export of a refused selection"
        );
        let (_, page) = page_of(
            &f.owner,
            &f.app,
            "/partner/activity?from=2026-05-02&to=2026-05-01",
        )
        .await;
        assert!(
            unescape(&page).contains(&format!(r#"id="to-error">{range_message}"#)),
            "{lang}"
        );
    }
    let refused = f
        .owner
        .get(f.app.url("/partner/activity.csv?from=yesterday"))
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn the_selection_downloads_as_csv_in_the_readers_language() {
    let f = fixture().await;
    f.rename(&f.owner, &f.adatum, "=Adatum").await;
    f.rename(&f.admin_agent, &f.tailspin, "Tailspin Toys").await;
    let response = f
        .owner
        .get(f.app.url("/partner/activity.csv?action=customer_renamed"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().expect("type"),
        "text/csv; charset=utf-8"
    );
    let body = response.text().await.expect("body");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "When",
            "Person",
            "Action",
            "Customer",
            "Concerning",
            "Details"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2, "the renames and nothing else");
    assert_eq!(&rows[0][1], "Person agent@contoso.example");
    assert_eq!(&rows[0][3], "Tailspin Toys");
    assert_eq!(&rows[1][3], "'=Adatum", "a formula-like cell is defused");
    f.app
        .post_as(&f.owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let body = f
        .owner
        .get(
            f.app
                .url("/partner/activity.csv?customer=tailspin&action=customer_renamed"),
        )
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(body.starts_with("Quand,Personne,Action,Client,"), "{body}");
    assert!(body.contains("A renommé un compte client") && body.contains("Tailspin Toys"));
    assert_eq!(body.lines().count(), 2);
}

#[tokio::test]
async fn a_long_log_exports_whole_in_batches() {
    let f = fixture().await;
    {
        let mut conn = f.app.conn();
        let partner_id: String = partnerdesk::db::schema::customer_accounts::table
            .find(&f.adatum)
            .select(partnerdesk::db::schema::customer_accounts::partner_id.assume_not_null())
            .first(&mut conn)
            .expect("partner");
        let now = f.app.clock_now();
        for n in 0..4_500 {
            partnerdesk::audit::record(
                &mut conn,
                now - Duration::seconds(n),
                partnerdesk::audit::Entry {
                    partner_id: Some(&partner_id),
                    customer_id: Some(&f.adatum),
                    actor: partnerdesk::audit::Actor {
                        login_id: None,
                        name: "Importer",
                        membership_id: None,
                        on_behalf_of: None,
                        api_token_id: None,
                    },
                    action: partnerdesk::audit::Action::CustomerRenamed,
                    target: &format!("Adatum {n}"),
                    details: "",
                },
            )
            .expect("entry");
        }
    }
    // Signed in afresh: the writing above may outlast an idle kept-alive
    // connection, which the server closes.
    let owner = f
        .app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let body = owner
        .get(f.app.url("/partner/activity.csv?person=Importer"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let targets: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[4].to_owned())
        .collect();
    assert_eq!(targets.len(), 4_500, "every entry, across batches");
    assert_eq!(targets[0], "Adatum 0");
    assert_eq!(targets[4_499], "Adatum 4499");
}

#[tokio::test]
async fn customers_see_what_concerns_them_under_the_partner_persons_real_name() {
    let f = fixture().await;
    f.app
        .customer_administrator(&f.adatum, "admin@adatum.example");
    f.rename(&f.owner, &f.adatum, "Adatum Corp").await;
    f.rename(&f.owner, &f.tailspin, "Tailspin Toys").await;
    // How the partner files its customers is its own business.
    let group = f.app.group_with(&f.partner, "Late payers", &[]);
    let added = f
        .app
        .post_as(
            &f.owner,
            &format!("/partner/customers/{}/groups", f.adatum),
            &[("group_id", &group)],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(f.rows("action=customer_added_to_group").await.len(), 1);
    let admin = f
        .app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, page) = page_of(&admin, &f.app, "/customer/activity").await;
    assert!(page.contains("Person owner@contoso.example"));
    assert!(page.contains("Adatum Corp"));
    assert!(!page.contains("Tailspin"), "nothing about another customer");
    assert!(
        !page.contains("Late payers"),
        "nor the partner's own filing"
    );
}

#[tokio::test]
async fn nothing_can_change_or_delete_an_entry() {
    // No route but reading leads to either log.
    for route in ROUTES {
        if route.path.contains("activity") {
            assert_eq!(route.method, "GET", "{}", route.path);
        }
    }
    let f = fixture().await;
    f.rename(&f.owner, &f.adatum, "Adatum Corp").await;
    let mut conn = f.app.conn();
    let update =
        diesel::sql_query("UPDATE activity_log SET actor_name = 'someone else'").execute(&mut conn);
    assert!(update.is_err(), "the database refuses to change an entry");
    let delete = diesel::sql_query("DELETE FROM activity_log").execute(&mut conn);
    assert!(delete.is_err(), "the database refuses to delete an entry");
    let kept: i64 = partnerdesk::db::schema::activity_log::table
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert!(kept >= 3, "the sign-ins and the rename are all there");
}

#[tokio::test]
async fn a_customer_administrators_notification_choice_is_logged_once_per_change() {
    let f = fixture().await;
    f.app
        .customer_administrator(&f.adatum, "admin@adatum.example");
    let admin = f
        .app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    for fields in [&[("notify", "1")][..], &[("notify", "1")], &[]] {
        let response = f
            .app
            .post_as(&admin, "/customer/assistance/notify", fields)
            .await;
        assert_eq!(response.status(), 303);
    }
    let (_, page) = page_of(&admin, &f.app, "/customer/activity").await;
    assert_eq!(
        page.matches("Asked to be emailed when the partner opens the account")
            .count(),
        1
    );
    assert_eq!(
        page.matches("Stopped being emailed when the partner opens the account")
            .count(),
        1
    );
}
