//! The partner home's "licences over quantity" (issue 8): the instance
//! operator reports each licence's seats in use through the JSON API; the
//! figure equals the customer list filtered by `seats=over` and follows every
//! report, quantity change and departure, never counting an expired licence,
//! another partner's or a dissociated customer. The licences card shows the
//! usage in both languages.

use crate::helpers::error_fields as fields;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::LicenceStatus;
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_home::{count_of, dissociate, figures, figures_match_lists, list_total};

/// PUTs a usage report with the operator's token: (status, body).
async fn report(
    app: &TestApp,
    token: &str,
    customer: &str,
    licence: &str,
    body: Value,
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .put(app.url(&format!(
            "/api/v1/customers/{customer}/licences/{licence}/usage"
        )))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("PUT usage");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Reports `seats_used` and expects it stored.
async fn seats(app: &TestApp, token: &str, customer: &str, licence: &str, seats_used: Value) {
    let (status, body) = report(
        app,
        token,
        customer,
        licence,
        json!({ "seats_used": seats_used }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seats_used"], seats_used, "{body}");
}

/// The figure "licences over quantity" on `username`'s home page, checked
/// against the list it links to (with every other figure).
async fn over_quantity(app: &TestApp, username: &str) -> i64 {
    let found = figures_match_lists(app, username).await;
    let (_, _, href) = found
        .iter()
        .find(|(id, _, _)| id == "figure-licences-over")
        .expect("the figure");
    assert_eq!(href, "/partner/customers?seats=over");
    count_of(&found, "figure-licences-over")
}

fn set_quantity(app: &TestApp, licence: &str, quantity: i32) {
    use diesel::prelude::*;
    use partnerdesk::db::schema::licences;
    // No page changes a licence's quantity yet: the fixture writes it, and the
    // database's triggers must follow.
    diesel::update(licences::table.find(licence))
        .set(licences::quantity.eq(quantity))
        .execute(&mut app.conn())
        .expect("quantity");
}

#[tokio::test]
async fn licences_over_quantity_equal_the_filtered_list_and_follow_each_report() {
    let app = spawn_app().await;
    let token = app.api_token();
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(&ours, &format!("{}@contoso.example", role.as_str()), role);
    }
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    let coho = app.customer(&ours, &CustomerSpec::named("Coho"));
    let gone = app.customer(&ours, &CustomerSpec::named("Ion"));
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    let foreign = app.customer(&theirs, &CustomerSpec::named("Humongous"));
    let adatum_seats = app.licence(&adatum, "Microsoft 365 E3", 50, LicenceStatus::Active);
    let bellows_seats = app.licence(&bellows, "Backup", 10, LicenceStatus::Active);
    let bellows_other = app.licence(&bellows, "Mail", 5, LicenceStatus::Active);
    let coho_expired = app.licence(&coho, "Backup", 10, LicenceStatus::Expired);
    let gone_seats = app.licence(&gone, "Backup", 10, LicenceStatus::Active);
    let foreign_seats = app.licence(&foreign, "Backup", 10, LicenceStatus::Active);
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 0);

    seats(&app, &token, &adatum, &adatum_seats, json!(57)).await;
    seats(&app, &token, &bellows, &bellows_seats, json!(10)).await;
    seats(&app, &token, &bellows, &bellows_other, json!(6)).await;
    // An expired licence over its quantity is no concern.
    seats(&app, &token, &coho, &coho_expired, json!(99)).await;
    seats(&app, &token, &gone, &gone_seats, json!(11)).await;
    seats(&app, &token, &foreign, &foreign_seats, json!(11)).await;
    assert_eq!(
        over_quantity(&app, "owner@contoso.example").await,
        3,
        "Adatum, Bellows (its second licence), Ion"
    );
    assert_eq!(over_quantity(&app, "owner@fabrikam.example").await, 1);

    // Ion leaves Contoso through the real server.
    let owner = dissociate(&app, "owner@contoso.example", &gone).await;
    for role in PartnerRole::ALL {
        let username = format!("{}@contoso.example", role.as_str());
        assert_eq!(over_quantity(&app, &username).await, 2, "{role:?}");
    }
    // A customer over quantity that moves to another partner takes its flag
    // along (no page moves customers yet: the fixture does, the triggers follow).
    let moving = app.customer(&ours, &CustomerSpec::named("Juno"));
    let moving_seats = app.licence(&moving, "Backup", 10, LicenceStatus::Active);
    seats(&app, &token, &moving, &moving_seats, json!(12)).await;
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 3);
    {
        use diesel::prelude::*;
        use partnerdesk::db::schema::customer_accounts;
        diesel::update(customer_accounts::table.find(&moving))
            .set(customer_accounts::partner_id.eq(&theirs))
            .execute(&mut app.conn())
            .expect("moved");
    }
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 2);
    assert_eq!(over_quantity(&app, "owner@fabrikam.example").await, 2);

    the_over_quantity_filter_lists_them(&app, &owner).await;

    // A lower report, and a cleared one, take the customers out.
    seats(&app, &token, &adatum, &adatum_seats, json!(50)).await;
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 1);
    seats(&app, &token, &bellows, &bellows_other, Value::Null).await;
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 0);

    // A quantity change counts as much as a report.
    seats(&app, &token, &adatum, &adatum_seats, json!(57)).await;
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 1);
    set_quantity(&app, &adatum_seats, 60);
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 0);
    set_quantity(&app, &adatum_seats, 56);
    assert_eq!(over_quantity(&app, "owner@contoso.example").await, 1);
    assert_eq!(
        list_total(&app, &owner, "/partner/customers?seats=over&q=adatum").await,
        1,
        "the search index follows a quantity change"
    );
}

/// The filter lists exactly the customers over quantity, is a removable chip
/// and a ticked box, holds with a search and another filter, and the export
/// reads the same view.
async fn the_over_quantity_filter_lists_them(app: &TestApp, owner: &reqwest::Client) {
    let (_, listed) = page_of(owner, app, "/partner/customers?seats=over").await;
    assert!(listed.contains("Adatum") && listed.contains("Bellows"));
    assert!(!listed.contains("Coho") && !listed.contains("Humongous"));
    assert!(!listed.contains("ion.example"));
    // The filter is a removable chip, and a box ticked in the filters' form.
    let chip = &listed[listed
        .find(r#"id="seats-over-filter""#)
        .expect("a filter chip")..];
    let removal = regex::Regex::new(r#"href="([^"]+)""#)
        .expect("regex")
        .captures(chip)
        .expect("a link to remove it")[1]
        .to_owned();
    assert_eq!(unescape(&removal), "/partner/customers");
    assert!(listed.contains(r#"name="seats" type="checkbox" value="over" checked"#));
    // With a search (SQLite's trigram index keeps the flags beside each match)
    // and with another filter.
    for (query, want) in [
        ("seats=over&q=adatum", 1),
        ("seats=over&q=bell", 1),
        ("seats=over&q=coho", 0),
        ("seats=over&q=ad", 1),
        ("seats=over&licence=expired", 0),
        ("seats=over&licence=active", 2),
    ] {
        let href = format!("/partner/customers?{query}");
        assert_eq!(list_total(app, owner, &href).await, want, "{query}");
    }
    // The export reads the same view.
    let csv = owner
        .get(app.url("/partner/customers.csv?seats=over&q=adatum"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(csv.lines().count(), 2, "a header and Adatum: {csv}");
    assert!(csv.contains("Adatum"));
}

async fn listed_licences(app: &TestApp, token: &str, customer: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/customers/{customer}/licences")))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET licences");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_usage_api_names_the_faulty_field_and_finds_no_foreign_licence() {
    let app = spawn_app().await;
    let token = app.api_token();
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    let licence = app.licence(&adatum, "Microsoft 365 E3", 50, LicenceStatus::Active);
    let bellows_licence = app.licence(&bellows, "Backup", 10, LicenceStatus::Active);

    let (status, body) = listed_licences(&app, &token, &adatum).await;
    assert_eq!(status, 200);
    assert_eq!(body["customer_id"], json!(adatum));
    let listed = body["licences"].as_array().expect("licences");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], json!(licence));
    assert_eq!(listed[0]["product"], json!("Microsoft 365 E3"));
    assert_eq!(listed[0]["quantity"], json!(50));
    assert_eq!(listed[0]["status"], json!("active"));
    assert!(listed[0]["expires_on"].is_string());
    assert_eq!(listed[0]["seats_used"], Value::Null);

    seats(&app, &token, &adatum, &licence, json!(57)).await;
    seats(&app, &token, &adatum, &licence, json!(0)).await;
    seats(&app, &token, &adatum, &licence, json!(1_000_000)).await;
    seats(&app, &token, &adatum, &licence, json!(57)).await;
    faulty_reports_name_the_field(&app, &token, &adatum, &licence).await;
    foreign_or_missing_is_not_found(&app, &token, &adatum, &licence, &bellows_licence).await;

    // Nothing refused was stored: each licence has what was last accepted.
    let (_, body) = listed_licences(&app, &token, &adatum).await;
    assert_eq!(body["licences"][0]["seats_used"], json!(57));
    let (_, body) = listed_licences(&app, &token, &bellows).await;
    assert_eq!(body["licences"][0]["seats_used"], Value::Null);
}

/// A faulty report names the field and its problem; a body that is not a JSON
/// object is a bad request.
async fn faulty_reports_name_the_field(app: &TestApp, token: &str, adatum: &str, licence: &str) {
    for (body, problem) in [
        (json!({"seats_used": -1}), "out_of_range"),
        (json!({"seats_used": 1_000_001}), "out_of_range"),
        (json!({"seats_used": u64::MAX}), "out_of_range"),
        (json!({"seats_used": "57"}), "must_be_an_integer"),
        (json!({"seats_used": 5.5}), "must_be_an_integer"),
        (json!({"seats_used": true}), "must_be_an_integer"),
        (json!({}), "required"),
    ] {
        let (status, answer) = report(app, token, adatum, licence, body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(answer["error"], json!("invalid_fields"), "{body}");
        assert_eq!(
            fields(&answer),
            [("seats_used".to_owned(), problem.to_owned())],
            "{body}"
        );
    }
    for raw in ["{not json", "[57]", "57"] {
        let response = reqwest::Client::new()
            .put(app.url(&format!(
                "/api/v1/customers/{adatum}/licences/{licence}/usage"
            )))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .expect("PUT");
        assert_eq!(response.status(), 400, "{raw}");
    }
}

/// Another customer's licence, a missing licence or customer: not found; and
/// without a live token, nothing.
async fn foreign_or_missing_is_not_found(
    app: &TestApp,
    token: &str,
    adatum: &str,
    licence: &str,
    other_customers_licence: &str,
) {
    let (status, body) = report(
        app,
        token,
        adatum,
        other_customers_licence,
        json!({"seats_used": 1}),
    )
    .await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("licence")));
    let (status, body) = report(
        app,
        token,
        adatum,
        "no-such-licence",
        json!({"seats_used": 1}),
    )
    .await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("licence")));
    let (status, body) = report(
        app,
        token,
        "no-such-customer",
        licence,
        json!({"seats_used": 1}),
    )
    .await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("customer")));
    let (status, body) = listed_licences(app, token, "no-such-customer").await;
    assert_eq!((status, body["resource"].as_str()), (404, Some("customer")));
    // Without a live token, nothing.
    let (status, _) = report(app, "pd_wrong", adatum, licence, json!({"seats_used": 1})).await;
    assert_eq!(status, 401);
    let (status, _) = listed_licences(app, "pd_wrong", adatum).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_licences_card_shows_usage_and_the_excess_in_english_and_in_french() {
    let app = spawn_app().await;
    let token = app.api_token();
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let over = app.licence(&adatum, "Microsoft 365 E3", 50, LicenceStatus::Active);
    let within = app.licence(&adatum, "Backup", 20, LicenceStatus::Active);
    app.licence(&adatum, "Mail", 5, LicenceStatus::Active);
    seats(&app, &token, &adatum, &over, json!(57)).await;
    seats(&app, &token, &adatum, &within, json!(12)).await;
    app.customer_administrator(&adatum, "admin@adatum.example");

    for (lang, heading, excess, not_reported) in [
        (Lang::En, "In use", "over by 7", "not reported"),
        (Lang::Fr, "Utilisés", "7 en trop", "non communiqué"),
    ] {
        for (username, path) in [
            (
                "owner@contoso.example",
                format!("/partner/customers/{adatum}"),
            ),
            ("admin@adatum.example", "/customer".to_owned()),
        ] {
            let browser = app.browser_signed_in(username, PASSWORD).await;
            if lang == Lang::Fr {
                app.post_as(&browser, "/language", &[("lang", "fr"), ("next", "/")])
                    .await;
            }
            let (status, page) = page_of(&browser, &app, &path).await;
            assert_eq!(status, 200, "{path}");
            let card = &page[page.find(r#"id="licences""#).expect("the licences card")..];
            let card = &card[..card.find("</article>").expect("the card's end")];
            assert!(
                card.contains(&format!(">{heading}</th>")),
                "{lang:?} {path}"
            );
            let rows: Vec<&str> = card.split("<tr>").skip(2).collect();
            assert_eq!(rows.len(), 3, "{card}");
            // By product: Backup, Mail, Microsoft 365 E3.
            assert!(rows[0].contains("12 / 20"), "{}", rows[0]);
            assert!(!rows[0].contains("over-quantity"), "{}", rows[0]);
            assert!(rows[1].contains(not_reported), "{}", rows[1]);
            assert!(rows[2].contains("57 / 50"), "{}", rows[2]);
            assert!(
                rows[2].contains(&format!(
                    r#"<strong class="over-quantity">{excess}</strong>"#
                )),
                "{lang:?} {path}: {}",
                rows[2]
            );
        }
    }
    // The owner's home page in French names the figure.
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&owner, &app, "/partner").await;
    assert_eq!(count_of(&figures(&page), "figure-licences-over"), 1);
    // One customer: the noun agrees with the figure.
    assert!(page.contains("1</strong> client dont une licence utilise plus de postes"));
}
