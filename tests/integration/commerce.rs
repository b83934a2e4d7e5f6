//! Orders and customer permissions through the real server (D1, D2, seed 004):
//! the operator's catalogue, orders placed by the partner, the permission that
//! lets a customer buy its own reservations, and what only the partner may do.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::commerce::catalogue::{self, NewOffer};
use partnerdesk::commerce::orders::{self, Buyer, OrderLine, Purpose};
use partnerdesk::db::schema::{activity_log, email_outbox, orders as order_rows};
use partnerdesk::i18n::Lang;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, run_cli, spawn_app};

impl TestApp {
    /// An offer in the catalogue; returns its id.
    pub fn offer(&self, name: &str, kind: &str, price: &str, months: Option<i32>) -> String {
        let offer = NewOffer::parse(name, kind, price, "EUR", months).expect("offer fixture");
        catalogue::add(&mut self.conn(), self.clock_now(), &offer).expect("offer")
    }

    /// An order the partner placed for the customer; returns the subscription or
    /// reservation it became.
    pub fn ordered(
        &self,
        partner_id: &str,
        customer_id: &str,
        offer_id: &str,
        subscription_id: Option<&str>,
        placed_by: PlacedBy,
    ) -> String {
        let mut conn = self.conn();
        let scope = partnerdesk::auth::scope::PartnerScope::for_operator(&mut conn, partner_id)
            .expect("read the organisation")
            .expect("organisation");
        let customer = partnerdesk::customers::find(
            &mut conn,
            &scope,
            &partnerdesk::ids::CustomerId::new(customer_id),
        )
        .expect("customer");
        let offer = catalogue::find(&mut conn, offer_id)
            .expect("offer lookup")
            .expect("offer");
        let line = OrderLine {
            offer: &offer,
            quantity: 2,
            subscription_id,
            purpose: Purpose::Purchase,
            starts_on: self.clock_now().date(),
        };
        let buyer = Buyer {
            placed_by,
            login_id: None,
            name: "Fixture",
            now: self.clock_now(),
        };
        orders::place(&mut conn, &customer, scope.partner_id(), &buyer, &line)
            .expect("order fixture")
            .item_id
    }

    /// Gives the Owner role on a subscription to a customer membership.
    pub fn subscription_owner(&self, subscription_id: &str, membership_id: &str) {
        use partnerdesk::db::schema::subscription_owners;
        diesel::insert_into(subscription_owners::table)
            .values((
                subscription_owners::subscription_id.eq(subscription_id),
                subscription_owners::membership_id.eq(membership_id),
                subscription_owners::assigned_at.eq(self.clock_now()),
            ))
            .execute(&mut self.conn())
            .expect("owner fixture");
    }

    pub(crate) fn entries_of(&self, action: &str) -> Vec<(String, String)> {
        activity_log::table
            .filter(activity_log::action.eq(action))
            .order(activity_log::occurred_at.asc())
            .select((activity_log::actor_name, activity_log::target))
            .load(&mut self.conn())
            .expect("log")
    }

    pub(crate) fn outbox_size(&self) -> i64 {
        email_outbox::table
            .count()
            .get_result(&mut self.conn())
            .expect("outbox")
    }
}

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) partner: String,
    pub(crate) customer: String,
    /// The customer administrator's membership.
    pub(crate) admin: String,
    pub(crate) usage: String,
    pub(crate) seats: String,
    pub(crate) vm_year: String,
    pub(crate) vm_three_years: String,
}

/// Contoso with one member per role, its customer Adatum with an administrator,
/// and a catalogue.
pub(crate) async fn fixture() -> Fixture {
    fixture_on(spawn_app().await).await
}

/// The fixture on `app`, for a test that wants its clock.
pub(crate) async fn fixture_on(app: TestApp) -> Fixture {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(
            &partner,
            &format!("{}@contoso.example", role.as_str()),
            role,
        );
    }
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let admin = app.customer_administrator(&customer, "admin@adatum.example");
    Fixture {
        usage: app.offer("Azure plan", "usage_subscription", "0", None),
        seats: app.offer("Microsoft 365 E3", "term_subscription", "33.75", Some(12)),
        vm_year: app.offer("Reserved VM, 1 year", "reservation", "610", Some(12)),
        vm_three_years: app.offer("Reserved VM, 3 years", "reservation", "1420", Some(36)),
        app,
        partner,
        customer,
        admin,
    }
}

impl Fixture {
    pub(crate) async fn staff(&self, role: PartnerRole) -> reqwest::Client {
        self.app
            .browser_signed_in(&format!("{}@contoso.example", role.as_str()), PASSWORD)
            .await
    }

    pub(crate) async fn customer_admin(&self) -> reqwest::Client {
        self.app
            .browser_signed_in("admin@adatum.example", PASSWORD)
            .await
    }

    pub(crate) fn path(&self, rest: &str) -> String {
        format!("/partner/customers/{}{rest}", self.customer)
    }

    pub(crate) async fn set_permission(
        &self,
        browser: &reqwest::Client,
        on: bool,
    ) -> reqwest::Response {
        self.app
            .post_confirmed(
                browser,
                &self.path("/permissions"),
                &[("buy_reservations", if on { "on" } else { "off" })],
            )
            .await
    }

    /// An Azure plan whose Owner role the administrator holds, and the permission on.
    pub(crate) async fn customer_may_buy(&self) -> String {
        let plan = self.app.ordered(
            &self.partner,
            &self.customer,
            &self.usage,
            None,
            PlacedBy::Partner,
        );
        self.app.subscription_owner(&plan, &self.admin);
        let owner = self.staff(PartnerRole::Owner).await;
        assert_eq!(self.set_permission(&owner, true).await.status(), 303);
        plan
    }

    pub(crate) fn orders(&self) -> i64 {
        order_rows::table
            .count()
            .get_result(&mut self.app.conn())
            .expect("orders")
    }
}

#[tokio::test]
async fn the_operator_keeps_the_catalogue_from_the_command_line() {
    let app = spawn_app().await;
    let added = run_cli(
        &app,
        &[
            "offer",
            "add",
            "--name",
            "Backup 1 TB",
            "--kind",
            "term_subscription",
            "--price",
            "9,90",
            "--term-months",
            "12",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    let stdout = String::from_utf8_lossy(&added.stdout);
    let id = stdout
        .trim()
        .strip_prefix("Offer added: ")
        .expect("the new offer's id")
        .to_owned();
    bad_offers_are_refused_naming_the_option(&app);
    let listed = run_cli(&app, &["offer", "list"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed.contains("Backup 1 TB") && listed.contains("€9.90") && listed.contains("active")
    );
    assert!(run_cli(&app, &["offer", "retire", &id]).status.success());
    let listed = run_cli(&app, &["offer", "list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("retired"));
    assert!(!run_cli(&app, &["offer", "retire", &id]).status.success());
    // A retired offer is not offered to partners any more.
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(
        &owner,
        &app,
        &format!("/partner/customers/{customer}/orders"),
    )
    .await;
    assert!(!page.contains("Backup 1 TB"));
    let refused = app
        .post_as(
            &owner,
            &format!("/partner/customers/{customer}/orders"),
            &[("offer_id", &id), ("quantity", "1")],
        )
        .await;
    assert_eq!(refused.status(), 200, "the form comes back");
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("Choose an offer from the catalogue.")
    );
}

/// An unknown kind or a faulty offer is refused, naming the option.
fn bad_offers_are_refused_naming_the_option(app: &TestApp) {
    let refused = run_cli(
        app,
        &[
            "offer", "add", "--name", "X", "--kind", "lease", "--price", "1",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--kind"));
    let refused = run_cli(
        app,
        &[
            "offer",
            "add",
            "--name",
            "X",
            "--kind",
            "reservation",
            "--price",
            "1",
        ],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--term-months"));
}

#[tokio::test]
async fn partner_orders_become_subscriptions_and_reservations_newest_first() {
    let f = fixture().await;
    let sales = f.staff(PartnerRole::SalesAgent).await;
    let place = |offer: &str, quantity: &str, subscription: &str| {
        let fields = [
            ("offer_id", offer.to_owned()),
            ("quantity", quantity.to_owned()),
            ("subscription_id", subscription.to_owned()),
        ];
        let app = &f.app;
        let sales = &sales;
        let path = f.path("/orders");
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_confirmed(sales, &path, &fields).await
        }
    };
    let placed = place(&f.usage, "1", "").await;
    assert_eq!(placed.status(), 303);
    assert_eq!(location(&placed), f.path("/orders"));
    assert_eq!(place(&f.seats, "25", "").await.status(), 303);
    let (_, subscriptions) = page_of(&sales, &f.app, &f.path("/subscriptions")).await;
    let plan_id = regex::Regex::new(r#"data-subscription="([^"]+)">\s*<td>Azure plan"#)
        .expect("regex")
        .captures(&subscriptions)
        .expect("the Azure plan")[1]
        .to_owned();
    assert!(subscriptions.contains("Microsoft 365 E3"));
    assert_eq!(place(&f.vm_year, "3", &plan_id).await.status(), 303);

    let (_, history) = page_of(&sales, &f.app, &f.path("/orders")).await;
    let history = unescape(&history);
    let vm = history
        .find("Reserved VM, 1 year")
        .expect("the reservation's order");
    let seats = history.find("Microsoft 365 E3").expect("the seats' order");
    let plan = history.rfind("Azure plan").expect("the plan's order");
    assert!(vm < seats && seats < plan, "newest first");
    assert!(
        history.contains("Person sales_agent@contoso.example"),
        "who placed it"
    );
    assert!(history.contains("€843.75"), "25 × €33.75");
    assert!(history.contains("€1,830.00"), "3 × €610");
    // The seats show with the licences; the reservation on its page.
    let (_, details) = page_of(&sales, &f.app, &f.path("")).await;
    assert!(details.contains("Microsoft 365 E3"));
    let (_, reserved) = page_of(&sales, &f.app, &f.path("/reservations")).await;
    assert!(reserved.contains("Reserved VM, 1 year") && !reserved.contains("data-by-customer"));
    // Each order is in the log, in the person's name.
    let logged = f.app.entries_of("order_placed");
    assert_eq!(logged.len(), 3);
    assert!(
        logged
            .iter()
            .all(|(who, what)| who == "Person sales_agent@contoso.example" && what == "Adatum")
    );
    // The customer sees the same history.
    let admin = f.customer_admin().await;
    let (status, theirs) = page_of(&admin, &f.app, "/customer/orders").await;
    assert_eq!(status, 200);
    assert!(theirs.contains("Reserved VM, 1 year") && theirs.contains("Contoso"));
}

#[tokio::test]
async fn a_refused_order_keeps_what_was_typed_and_saves_nothing() {
    let f = fixture().await;
    let owner = f.staff(PartnerRole::Owner).await;
    for (lang, offer_message, quantity_message, subscription_message) in [
        (
            "en",
            "Choose an offer from the catalogue.",
            "Enter a whole number between 1 and 100,000.",
            "A reservation needs an active usage-based subscription of this customer.",
        ),
        (
            "fr",
            "Choisissez une offre du catalogue.",
            "Saisissez un nombre entier entre 1 et 100 000.",
            "Une réservation nécessite un abonnement actif basé sur l’utilisation de ce client.",
        ),
    ] {
        f.app
            .post_as(&owner, "/language", &[("lang", lang), ("next", "/")])
            .await;
        let response = f
            .app
            .post_as(
                &owner,
                &f.path("/orders"),
                &[("offer_id", ""), ("quantity", "many")],
            )
            .await;
        assert_eq!(response.status(), 200);
        let page = unescape(&response.text().await.expect("body"));
        assert!(page.contains(offer_message), "{lang}");
        assert!(page.contains(quantity_message), "{lang}");
        assert!(page.contains(r#"value="many""#), "the typed quantity stays");
        let response = f
            .app
            .post_as(
                &owner,
                &f.path("/orders"),
                &[("offer_id", &f.vm_year), ("quantity", "4")],
            )
            .await;
        let page = unescape(&response.text().await.expect("body"));
        assert!(page.contains(subscription_message), "{lang}");
        assert!(page.contains(r#"value="4""#));
        assert!(page.contains(&format!(r#"<option value="{}" selected>"#, f.vm_year)));
    }
    assert_eq!(f.orders(), 0, "nothing half-saved");
}

#[tokio::test]
async fn orders_follow_the_matrix_and_stay_within_the_partner() {
    let f = fixture().await;
    let helpdesk = f.staff(PartnerRole::HelpdeskAgent).await;
    let (status, page) = page_of(&helpdesk, &f.app, &f.path("/orders")).await;
    assert_eq!(status, 200, "every role sees the history");
    assert!(!page.contains("place-order-button"));
    let refused = f
        .app
        .post_as(
            &helpdesk,
            &f.path("/orders"),
            &[("offer_id", &f.usage), ("quantity", "1")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let theirs = f
        .app
        .invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    f.app
        .active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    let other = f
        .app
        .browser_signed_in("owner@fabrikam.example", PASSWORD)
        .await;
    for page in ["/orders", "/subscriptions", "/reservations"] {
        let (status, _) = page_of(&other, &f.app, &f.path(page)).await;
        assert_eq!(status, 404, "{page}");
    }
    let refused = f
        .app
        .post_as(
            &other,
            &f.path("/orders"),
            &[("offer_id", &f.usage), ("quantity", "1")],
        )
        .await;
    assert_eq!(refused.status(), 404);
    assert_eq!(f.orders(), 0);
}
