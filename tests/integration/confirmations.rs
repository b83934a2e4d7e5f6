//! The confirmation step before every costly or irreversible action (issue 17):
//! the first post answers with a review of what will happen and does nothing,
//! Back returns to the form with the values typed, and Confirm does it.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::db::schema::{activity_log, email_outbox, logins, orders, reservations};
use partnerdesk::i18n::Lang;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};

/// The review page answered to a first post.
pub struct Review {
    /// The page, its entities unescaped.
    pub page: String,
    action: String,
    fields: Vec<(String, String)>,
    pub back: String,
}

impl Review {
    fn of(page: String) -> Option<Review> {
        if !page.contains(r#"id="confirmation""#) {
            return None;
        }
        let after = page
            .split(r#"id="confirmation""#)
            .nth(1)
            .unwrap_or_default();
        let form = after.split("</form>").next().unwrap_or_default();
        let action = regex::Regex::new(r#"<form method="post" action="([^"]+)">"#)
            .expect("regex")
            .captures(form)
            .map(|c| unescape(&c[1]))
            .expect("the review's form");
        let fields = regex::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)">"#)
            .expect("regex")
            .captures_iter(form)
            .map(|c| (unescape(&c[1]), unescape(&c[2])))
            .filter(|(name, _)| name != "csrf_token")
            .collect();
        let back = regex::Regex::new(r#"id="confirm-back" href="([^"]+)""#)
            .expect("regex")
            .captures(form)
            .map(|c| unescape(&c[1]))
            .expect("the Back link");
        Some(Review {
            page: unescape(&page),
            action,
            fields,
            back,
        })
    }

    /// The value the review lists as `id` (`id="fact-{id}"`).
    pub fn fact(&self, id: &str) -> String {
        regex::Regex::new(&format!(r#"id="fact-{id}">([^<]*)<"#))
            .expect("regex")
            .captures(&self.page)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("no fact {id} in {}", self.page))
    }

    /// The value posted again on Confirm as `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl TestApp {
    /// Posts `fields` to `path` as the action's button does, expecting its review.
    pub async fn review_of(
        &self,
        browser: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Review {
        let response = self.post_as(browser, path, fields).await;
        let status = response.status();
        let page = response.text().await.expect("body");
        assert_eq!(status, 200, "{path}: {page}");
        Review::of(page).unwrap_or_else(|| panic!("{path}: not a review"))
    }

    /// Presses Confirm: the review's values posted back to its action.
    pub async fn confirm(&self, browser: &reqwest::Client, review: &Review) -> reqwest::Response {
        assert_eq!(review.field("confirmed"), Some("yes"));
        let fields: Vec<(&str, &str)> = review
            .fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.post_as(browser, &review.action, &fields).await
    }

    /// The action's button and then Confirm, as a person does: the answer to
    /// Confirm, or the first answer when there was nothing to confirm (a refusal,
    /// or nothing that would change).
    pub async fn post_confirmed(
        &self,
        browser: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let response = self.post_as(browser, path, fields).await;
        if response.status() != 200 {
            return response;
        }
        let page = response.text().await.expect("body");
        match Review::of(page.clone()) {
            Some(review) => self.confirm(browser, &review).await,
            None => reqwest::Response::from(http::Response::new(page)),
        }
    }

    /// How many activity-log entries and queued emails there are: a review
    /// leaves both as they were.
    pub fn footprint(&self) -> (i64, i64) {
        let mut conn = self.conn();
        let logged = activity_log::table
            .count()
            .get_result(&mut conn)
            .expect("log");
        let emails = email_outbox::table
            .count()
            .get_result(&mut conn)
            .expect("outbox");
        (logged, emails)
    }
}

/// Contoso's owner, its customer Adatum with an Azure plan, and reservation
/// offers of one and three years.
struct Shop {
    app: TestApp,
    partner: String,
    customer: String,
    plan: String,
    vm_year: String,
    vm_three_years: String,
    owner: reqwest::Client,
}

async fn shop() -> Shop {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let plan = app.ordered(&partner, &customer, &usage, None, PlacedBy::Partner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    Shop {
        vm_year: app.offer("Reserved VM, 1 year", "reservation", "610", Some(12)),
        vm_three_years: app.offer("Reserved VM, 3 years", "reservation", "1420", Some(36)),
        app,
        partner,
        customer,
        plan,
        owner,
    }
}

impl Shop {
    fn path(&self, rest: &str) -> String {
        format!("/partner/customers/{}{rest}", self.customer)
    }

    fn orders(&self) -> Vec<(i32, i64)> {
        orders::table
            .order(orders::created_at.asc())
            .select((orders::quantity, orders::total_cents))
            .load(&mut self.app.conn())
            .expect("orders")
    }

    /// `months` after today, as the reader of `lang` writes dates.
    fn date_in(&self, months: u32, lang: Lang) -> String {
        let day = self.app.clock_now().date() + chrono::Months::new(months);
        partnerdesk::i18n::format_date(day, lang)
    }
}

#[tokio::test]
async fn an_order_shows_its_total_and_who_pays_and_is_placed_only_once_confirmed() {
    let s = shop().await;
    let (app, owner) = (&s.app, &s.owner);
    let typed = [
        ("offer_id", s.vm_three_years.as_str()),
        ("quantity", "3"),
        ("subscription_id", s.plan.as_str()),
    ];
    let before = (app.footprint(), s.orders());
    let review = app.review_of(owner, &s.path("/orders"), &typed).await;
    assert_eq!(review.fact("customer"), "Adatum");
    assert_eq!(review.fact("offer"), "Reserved VM, 3 years (Reservation)");
    assert_eq!(
        review.fact("unit-price"),
        "€1,420.00 per unit for 36 months"
    );
    assert_eq!(review.fact("quantity"), "3");
    let (today, until) = (s.date_in(0, Lang::En), s.date_in(36, Lang::En));
    assert_eq!(review.fact("period"), format!("from {today} to {until}"));
    assert_eq!(review.fact("subscription"), "Azure plan");
    assert_eq!(review.fact("total"), "€4,260.00", "3 × €1,420");
    assert_eq!(review.fact("billed-to"), "Contoso");
    assert!(review.page.contains(
        "You are ordering 3 × Reserved VM, 3 years for Adatum. The total of €4,260.00 will be billed to Contoso."
    ));
    assert!(review.page.contains(">Confirm the order</button>"));
    // Nothing has happened: no order, no log entry, no email.
    assert_eq!((app.footprint(), s.orders()), before);
    // Back returns to the form as it was typed.
    let (status, form) = page_of(owner, app, &review.back).await;
    assert_eq!(status, 200);
    assert!(review.back.ends_with("#place-order"));
    assert!(form.contains(r#"id="quantity" name="quantity" type="text" value="3""#));
    assert!(form.contains(&format!(
        r#"<option value="{}" selected>"#,
        s.vm_three_years
    )));
    assert!(form.contains(&format!(r#"<option value="{}" selected>"#, s.plan)));
    // Confirm places it, once.
    let placed = app.confirm(owner, &review).await;
    assert_eq!(placed.status(), 303);
    assert_eq!(s.orders().last(), Some(&(3, 426_000)));
    assert_eq!(s.orders().len(), before.1.len() + 1);
    assert_eq!(app.footprint().0, (before.0).0 + 1, "one log entry");

    // In French, amounts and dates as French writes them.
    app.post_as(owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let review = app.review_of(owner, &s.path("/orders"), &typed).await;
    assert_eq!(review.fact("total"), "4\u{202f}260,00\u{a0}€");
    assert_eq!(
        review.fact("unit-price"),
        "1\u{202f}420,00\u{a0}€ par unité pour 36 mois"
    );
    let (today, until) = (s.date_in(0, Lang::Fr), s.date_in(36, Lang::Fr));
    assert_eq!(review.fact("period"), format!("du {today} au {until}"));
    assert_eq!(review.fact("billed-to"), "Contoso");
    for text in [
        "<h1>Confirmer la commande</h1>",
        "<dt>Prix unitaire</dt>",
        "<dt>Quantité</dt>",
        "<dt>Facturé à</dt>",
        ">Retour</a>",
        "Vous commandez 3 × Reserved VM, 3 years pour Adatum. Le total de 4\u{202f}260,00\u{a0}€ sera facturé à Contoso.",
    ] {
        assert!(review.page.contains(text), "{text}");
    }
}

#[tokio::test]
async fn a_confirmed_order_is_checked_again_and_a_refused_one_is_never_reviewed() {
    let s = shop().await;
    let (app, owner) = (&s.app, &s.owner);
    // A refused form comes back with its messages, without a review.
    let refused = app
        .post_as(
            owner,
            &s.path("/orders"),
            &[("offer_id", &s.vm_year), ("quantity", "0")],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("body");
    assert!(!page.contains(r#"id="confirmation""#));
    assert!(page.contains("Enter a whole number between 1 and 100,000."));
    // Hidden fields changed after the review are refused just the same.
    let tampered = app
        .post_as(
            owner,
            &s.path("/orders"),
            &[
                ("offer_id", &s.vm_year),
                ("quantity", "100001"),
                ("subscription_id", &s.plan),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(tampered.status(), 200);
    assert!(
        tampered
            .text()
            .await
            .expect("body")
            .contains("Enter a whole number between 1 and 100,000.")
    );
    assert_eq!(s.orders().len(), 1, "only the plan of the fixture");
}

#[tokio::test]
async fn the_customer_reviews_its_purchase_billed_to_the_partner_in_french() {
    let s = shop().await;
    let app = &s.app;
    let admin = app.customer_administrator(&s.customer, "admin@adatum.example");
    app.subscription_owner(&s.plan, &admin);
    let on = app
        .post_confirmed(
            &s.owner,
            &s.path("/permissions"),
            &[("buy_reservations", "on")],
        )
        .await;
    assert_eq!(on.status(), 303);
    diesel::update(logins::table.filter(logins::username.eq("admin@adatum.example")))
        .set(logins::language.eq("fr"))
        .execute(&mut app.conn())
        .expect("French");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let before = (app.footprint(), s.orders());
    let typed = [
        ("offer_id", s.vm_year.as_str()),
        ("quantity", "2"),
        ("subscription_id", s.plan.as_str()),
    ];
    let review = app
        .review_of(&admin, "/customer/reservations", &typed)
        .await;
    assert!(review.page.contains("<h1>Confirmer l’achat</h1>"));
    assert_eq!(
        review.fact("unit-price"),
        "610,00\u{a0}€ par unité pour 12 mois"
    );
    assert_eq!(review.fact("quantity"), "2");
    assert_eq!(review.fact("total"), "1\u{202f}220,00\u{a0}€");
    assert_eq!(review.fact("billed-to"), "Contoso");
    assert!(review.page.contains(
        "Vous achetez 2 × Reserved VM, 1 year. Le total de 1\u{202f}220,00\u{a0}€ sera facturé à Contoso."
    ));
    assert_eq!((app.footprint(), s.orders()), before, "nothing bought yet");
    let (_, form) = page_of(&admin, app, &review.back).await;
    assert!(form.contains(r#"value="2""#), "the quantity typed");
    assert!(form.contains(&format!(r#"<option value="{}" selected>"#, s.vm_year)));
    assert_eq!(app.confirm(&admin, &review).await.status(), 303);
    assert_eq!(s.orders().last(), Some(&(2, 122_000)));
    assert_eq!(app.footprint().1, (before.0).1, "still no email to anyone");
}

#[tokio::test]
async fn renewing_exchanging_and_cancelling_a_reservation_are_reviewed_first() {
    let s = shop().await;
    let app = &s.app;
    let held = app.ordered(
        &s.partner,
        &s.customer,
        &s.vm_year,
        Some(&s.plan),
        PlacedBy::Partner,
    );
    let ends_on = || -> chrono::NaiveDate {
        reservations::table
            .find(&held)
            .select(reservations::ends_on)
            .first(&mut app.conn())
            .expect("reservation")
    };
    let (first_end, before) = (ends_on(), (app.footprint(), s.orders()));
    // Renewing: another year for the two held, €1,220.00.
    let renew = s.path(&format!("/reservations/{held}/renew"));
    let review = app.review_of(&s.owner, &renew, &[]).await;
    assert_eq!(review.fact("quantity"), "2");
    assert_eq!(review.fact("total"), "€1,220.00");
    assert_eq!(review.fact("billed-to"), "Contoso");
    let new_end = partnerdesk::i18n::format_date(first_end + chrono::Months::new(12), Lang::En);
    assert!(
        review
            .page
            .contains(&format!("will be extended until {new_end}"))
    );
    assert_eq!(
        review.back,
        s.path(&format!("/reservations#reservation-{held}"))
    );
    assert_eq!(
        (ends_on(), app.footprint(), s.orders()),
        (first_end, before.0, before.1.clone())
    );
    assert_eq!(app.confirm(&s.owner, &review).await.status(), 303);
    assert_eq!(ends_on(), first_end + chrono::Months::new(12));

    // Exchanging for one three-year reservation; Back keeps the choice.
    let exchange = s.path(&format!("/reservations/{held}/exchange"));
    let typed = [("offer_id", s.vm_three_years.as_str()), ("quantity", "1")];
    let before = (app.footprint(), s.orders());
    let review = app.review_of(&s.owner, &exchange, &typed).await;
    assert_eq!(review.fact("replaces"), "2 × Reserved VM, 1 year");
    assert_eq!(review.fact("total"), "€1,420.00");
    assert_eq!((app.footprint(), s.orders()), before);
    let (_, page) = page_of(&s.owner, app, &review.back).await;
    assert!(page.contains(&format!(
        r#"id="exchange-quantity-{held}" name="quantity" value="1""#
    )));
    assert!(page.contains(&format!(
        r#"<option value="{}" selected>"#,
        s.vm_three_years
    )));
    assert_eq!(app.confirm(&s.owner, &review).await.status(), 303);
    let active: String = reservations::table
        .filter(reservations::state.eq("active"))
        .select(reservations::id)
        .first(&mut app.conn())
        .expect("the new reservation");

    cancelling_is_reviewed_as_irreversible(&s, &active).await;
}

/// Cancelling: irreversible, said so; the reservation stays active until
/// confirmed.
async fn cancelling_is_reviewed_as_irreversible(s: &Shop, active: &str) {
    let app = &s.app;
    let cancel = s.path(&format!("/reservations/{active}/cancel"));
    let review = app.review_of(&s.owner, &cancel, &[]).await;
    assert!(
        review
            .page
            .contains("A cancelled reservation cannot be restored.")
    );
    assert!(review.page.contains(r#"id="confirm" class="danger""#));
    let state = || -> String {
        reservations::table
            .find(active)
            .select(reservations::state)
            .first(&mut app.conn())
            .expect("state")
    };
    assert_eq!(state(), "active");
    assert_eq!(app.confirm(&s.owner, &review).await.status(), 303);
    assert_eq!(state(), "cancelled");
}
