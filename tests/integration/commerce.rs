//! Orders and customer permissions through the real server (D1, D2, seed 004):
//! the operator's catalogue, orders placed by the partner, the permission that
//! lets a customer buy its own reservations, and what only the partner may do.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::commerce::catalogue::{self, NewOffer};
use partnerdesk::commerce::orders::{self, Buyer, OrderLine, Purpose};
use partnerdesk::db::schema::{activity_log, email_outbox, orders as order_rows, reservations};
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
        let customer =
            partnerdesk::customers::find(&mut conn, partner_id, customer_id).expect("customer");
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
        orders::place(&mut conn, &customer, partner_id, &buyer, &line)
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

    fn entries_of(&self, action: &str) -> Vec<(String, String)> {
        activity_log::table
            .filter(activity_log::action.eq(action))
            .order(activity_log::occurred_at.asc())
            .select((activity_log::actor_name, activity_log::target))
            .load(&mut self.conn())
            .expect("log")
    }

    fn outbox_size(&self) -> i64 {
        email_outbox::table
            .count()
            .get_result(&mut self.conn())
            .expect("outbox")
    }
}

struct Fixture {
    app: TestApp,
    partner: String,
    customer: String,
    /// The customer administrator's membership.
    admin: String,
    usage: String,
    seats: String,
    vm_year: String,
    vm_three_years: String,
}

/// Contoso with one member per role, its customer Adatum with an administrator,
/// and a catalogue.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
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
    async fn staff(&self, role: PartnerRole) -> reqwest::Client {
        self.app
            .browser_signed_in(&format!("{}@contoso.example", role.as_str()), PASSWORD)
            .await
    }

    async fn customer_admin(&self) -> reqwest::Client {
        self.app
            .browser_signed_in("admin@adatum.example", PASSWORD)
            .await
    }

    fn path(&self, rest: &str) -> String {
        format!("/partner/customers/{}{rest}", self.customer)
    }

    async fn set_permission(&self, browser: &reqwest::Client, on: bool) -> reqwest::Response {
        self.app
            .post_confirmed(
                browser,
                &self.path("/permissions"),
                &[("buy_reservations", if on { "on" } else { "off" })],
            )
            .await
    }

    /// An Azure plan whose Owner role the administrator holds, and the permission on.
    async fn customer_may_buy(&self) -> String {
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

    fn orders(&self) -> i64 {
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
    let refused = run_cli(
        &app,
        &[
            "offer", "add", "--name", "X", "--kind", "lease", "--price", "1",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--kind"));
    let refused = run_cli(
        &app,
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

#[tokio::test]
async fn the_purchase_permission_is_off_by_default_and_only_owners_and_admin_agents_change_it() {
    let f = fixture().await;
    let plan = f
        .app
        .ordered(&f.partner, &f.customer, &f.usage, None, PlacedBy::Partner);
    f.app.subscription_owner(&plan, &f.admin);
    for role in PartnerRole::ALL {
        let browser = f.staff(role).await;
        let (_, page) = page_of(&browser, &f.app, &f.path("")).await;
        assert!(
            page.contains(r#"id="permission-state" data-on="false""#),
            "{role:?}: off by default"
        );
        let may = matches!(role, PartnerRole::Owner | PartnerRole::AdminAgent);
        assert_eq!(page.contains(r#"id="permission-on""#), may, "{role:?}");
        assert_eq!(
            page.contains(r#"id="permission-read-only""#),
            !may,
            "{role:?}"
        );
        if !may {
            assert_eq!(
                f.set_permission(&browser, true).await.status(),
                403,
                "{role:?}"
            );
        }
    }
    assert!(f.app.entries_of("purchase_permissions_created").is_empty());
    let admin_agent = f.staff(PartnerRole::AdminAgent).await;
    assert_eq!(f.set_permission(&admin_agent, true).await.status(), 303);
    let (_, page) = page_of(&admin_agent, &f.app, &f.path("")).await;
    assert!(page.contains(r#"data-on="true""#));
    assert!(page.contains("The customer may now buy its own reservations."));
    // The same request again changes nothing and logs nothing.
    assert_eq!(f.set_permission(&admin_agent, true).await.status(), 303);
    assert_eq!(f.app.entries_of("purchase_permissions_created").len(), 1);
    assert_eq!(f.set_permission(&admin_agent, false).await.status(), 303);
    assert_eq!(f.set_permission(&admin_agent, false).await.status(), 303);
    assert_eq!(f.app.entries_of("purchase_permissions_deleted").len(), 1);
    // Both entries read as the seed names them, in the owner's log.
    let owner = f.staff(PartnerRole::Owner).await;
    let (_, log) = page_of(&owner, &f.app, "/partner/activity").await;
    assert!(log.contains("Create customer purchase permissions"));
    assert!(log.contains("Delete customer purchase permissions"));
}

#[tokio::test]
async fn turning_the_permission_on_says_which_prerequisite_is_missing() {
    let f = fixture().await;
    let owner = f.staff(PartnerRole::Owner).await;
    let refused = f.set_permission(&owner, true).await;
    assert_eq!(refused.status(), 303);
    assert_eq!(
        location(&refused),
        f.path("?permission=refused#permissions")
    );
    let (_, page) = page_of(&owner, &f.app, &location(&refused)).await;
    assert!(page.contains(r#"role="alert""#));
    assert!(page.contains(r#"id="prerequisite-subscription" data-met="false""#));
    assert!(page.contains(r#"id="prerequisite-owner" data-met="false""#));
    assert!(page.contains("Needed: an active usage-based subscription."));
    // A term subscription is not a usage-based one.
    f.app
        .ordered(&f.partner, &f.customer, &f.seats, None, PlacedBy::Partner);
    f.set_permission(&owner, true).await;
    let (_, page) = page_of(&owner, &f.app, &f.path("")).await;
    assert!(page.contains(r#"id="prerequisite-subscription" data-met="false""#));
    // With the plan, only the owner is missing.
    let plan = f
        .app
        .ordered(&f.partner, &f.customer, &f.usage, None, PlacedBy::Partner);
    f.set_permission(&owner, true).await;
    let (_, page) = page_of(&owner, &f.app, &f.path("")).await;
    assert!(page.contains(r#"id="prerequisite-subscription" data-met="true""#));
    assert!(page.contains(r#"id="prerequisite-owner" data-met="false""#));
    assert!(page.contains(r#"data-on="false""#));
    // In French too.
    f.app
        .post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, page) = page_of(&owner, &f.app, &f.path("")).await;
    assert!(unescape(&page).contains(
        "Il faut qu’un utilisateur du client ait le rôle propriétaire d’un abonnement actif basé sur l’utilisation."
    ));
    // The partner gives the administrator the Owner role; now it turns on.
    let given = f
        .app
        .post_as(
            &owner,
            &f.path(&format!("/subscriptions/{plan}/owners")),
            &[("membership_id", &f.admin), ("change", "add")],
        )
        .await;
    assert_eq!(given.status(), 303);
    assert_eq!(f.app.entries_of("subscription_owner_assigned").len(), 1);
    assert_eq!(f.set_permission(&owner, true).await.status(), 303);
    let (_, page) = page_of(&owner, &f.app, &f.path("")).await;
    assert!(page.contains(r#"data-on="true""#));
    assert!(f.app.entries_of("purchase_permissions_created").len() == 1);
}

#[tokio::test]
async fn concurrent_toggles_log_one_entry_per_effective_change() {
    let f = fixture().await;
    let plan = f
        .app
        .ordered(&f.partner, &f.customer, &f.usage, None, PlacedBy::Partner);
    f.app.subscription_owner(&plan, &f.admin);
    let owner = f.staff(PartnerRole::Owner).await;
    let admin_agent = f.staff(PartnerRole::AdminAgent).await;
    for on in [true, false] {
        let requests = (0..8).map(|n| {
            let browser = if n % 2 == 0 { &owner } else { &admin_agent };
            f.set_permission(browser, on)
        });
        for response in futures_util::future::join_all(requests).await {
            assert_eq!(response.status(), 303);
        }
    }
    assert_eq!(f.app.entries_of("purchase_permissions_created").len(), 1);
    assert_eq!(f.app.entries_of("purchase_permissions_deleted").len(), 1);
    let (_, page) = page_of(&owner, &f.app, &f.path("")).await;
    assert!(page.contains(r#"data-on="false""#));
}

#[tokio::test]
async fn the_customer_buys_a_reservation_billed_to_the_partner_who_is_not_notified() {
    let f = fixture().await;
    let plan = f.customer_may_buy().await;
    let admin = f.customer_admin().await;
    let (_, page) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(page.contains("buy-reservation-button"));
    assert!(page.contains("Billed to Contoso."));
    let outbox_before = f.app.outbox_size();
    let bought = f
        .app
        .post_confirmed(
            &admin,
            "/customer/reservations",
            &[
                ("offer_id", &f.vm_year),
                ("quantity", "2"),
                ("subscription_id", &plan),
            ],
        )
        .await;
    assert_eq!(bought.status(), 303);
    assert_eq!(f.app.outbox_size(), outbox_before, "no email to anyone");
    // Billed to the partner: the order is the partner's, placed by the customer.
    let (billed_to, placed_by): (String, String) = order_rows::table
        .filter(order_rows::offer_id.eq(&f.vm_year))
        .select((order_rows::partner_id, order_rows::placed_by))
        .first(&mut f.app.conn())
        .expect("the order");
    assert_eq!(
        (billed_to.as_str(), placed_by.as_str()),
        (f.partner.as_str(), "customer")
    );
    // It appears in the partner's order history, reservations page and log...
    let owner = f.staff(PartnerRole::Owner).await;
    let (_, history) = page_of(&owner, &f.app, &f.path("/orders")).await;
    assert!(history.contains(r#"data-by-customer="true""#));
    assert!(history.contains("Bought by the customer"));
    assert!(
        history.contains("Person admin@adatum.example"),
        "the customer person who bought"
    );
    let (_, reserved) = page_of(&owner, &f.app, &f.path("/reservations")).await;
    assert!(reserved.contains(r#"data-by-customer="true""#));
    let (_, log) = page_of(&owner, &f.app, "/partner/activity?action=customer_purchase").await;
    assert!(log.contains("Customer bought a reservation") && log.contains("Adatum"));
    // ...and in the customer's own.
    let (_, theirs) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(theirs.contains("Bought by you"));
    let (_, orders) = page_of(&admin, &f.app, "/customer/orders").await;
    assert!(orders.contains(r#"data-by-customer="true""#));
    let (_, activity) = page_of(&admin, &f.app, "/customer/activity").await;
    assert!(activity.contains("Customer bought a reservation"));
}

#[tokio::test]
async fn buying_needs_the_permission_and_the_owner_role_on_the_subscription() {
    let f = fixture().await;
    let plan = f
        .app
        .ordered(&f.partner, &f.customer, &f.usage, None, PlacedBy::Partner);
    let admin = f.customer_admin().await;
    let buy = |browser: &reqwest::Client| {
        let fields = [
            ("offer_id", f.vm_year.clone()),
            ("quantity", "1".to_owned()),
            ("subscription_id", plan.clone()),
        ];
        let (app, browser) = (&f.app, browser.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_confirmed(&browser, "/customer/reservations", &fields)
                .await
        }
    };
    // Off: no form, and a purchase is refused with a message.
    let (_, page) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(page.contains(r#"id="purchase-off""#) && !page.contains("buy-reservation-button"));
    let refused = buy(&admin).await;
    assert_eq!(refused.status(), 303);
    let (_, page) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(page.contains("Your partner does not allow your account to buy its own reservations."));
    // On, but this administrator does not hold the Owner role on the plan.
    let other_admin = f
        .app
        .customer_administrator(&f.customer, "second@adatum.example");
    f.app.subscription_owner(&plan, &other_admin);
    let owner = f.staff(PartnerRole::Owner).await;
    assert_eq!(f.set_permission(&owner, true).await.status(), 303);
    let (_, page) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(page.contains(r#"id="purchase-needs-owner""#));
    let refused = buy(&admin).await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("body");
    assert!(page.contains("Choose a usage-based subscription on which you hold the Owner role."));
    // A plain user may not buy at all.
    let user = f
        .app
        .customer_member(&f.customer, "user@adatum.example", "user");
    f.app.subscription_owner(&plan, &user);
    let user = f
        .app
        .browser_signed_in("user@adatum.example", PASSWORD)
        .await;
    assert_eq!(buy(&user).await.status(), 403);
    assert_eq!(f.orders(), 1, "only the partner's plan");
    // The owner of the plan buys.
    let second = f
        .app
        .browser_signed_in("second@adatum.example", PASSWORD)
        .await;
    assert_eq!(buy(&second).await.status(), 303);
    assert_eq!(f.orders(), 2);
}

#[tokio::test]
async fn only_the_partner_exchanges_cancels_and_renews_what_the_customer_bought() {
    let f = fixture().await;
    let plan = f.customer_may_buy().await;
    let bought = f.app.ordered(
        &f.partner,
        &f.customer,
        &f.vm_year,
        Some(&plan),
        PlacedBy::Customer,
    );
    // The customer has no way to change it: no such routes, no buttons.
    let admin = f.customer_admin().await;
    for action in ["cancel", "renew", "exchange"] {
        let response = f
            .app
            .post_as(
                &admin,
                &format!("/customer/reservations/{bought}/{action}"),
                &[],
            )
            .await;
        assert_eq!(response.status(), 404, "{action}");
    }
    let (_, page) = page_of(&admin, &f.app, "/customer/reservations").await;
    assert!(
        page.contains(
            "To exchange, cancel or renew a reservation, even one you bought, ask Contoso."
        )
    );
    assert!(!page.contains("/cancel"));
    // A helpdesk agent may not either.
    let helpdesk = f.staff(PartnerRole::HelpdeskAgent).await;
    let refused = f
        .app
        .post_as(
            &helpdesk,
            &f.path(&format!("/reservations/{bought}/renew")),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 403);
    // The partner renews: a renewal order, a year more.
    let sales = f.staff(PartnerRole::SalesAgent).await;
    let renewed = f
        .app
        .post_confirmed(
            &sales,
            &f.path(&format!("/reservations/{bought}/renew")),
            &[],
        )
        .await;
    assert_eq!(renewed.status(), 303);
    let ends_on: chrono::NaiveDate = reservations::table
        .find(&bought)
        .select(reservations::ends_on)
        .first(&mut f.app.conn())
        .expect("reservation");
    let today = f.app.clock_now().date();
    assert_eq!(ends_on, orders::term_end(today, 24));
    let (_, history) = page_of(&sales, &f.app, &f.path("/orders")).await;
    assert!(history.contains("Renewal"));
    // Exchanges it for the three-year reservation.
    let exchanged = f
        .app
        .post_confirmed(
            &sales,
            &f.path(&format!("/reservations/{bought}/exchange")),
            &[("offer_id", &f.vm_three_years), ("quantity", "1")],
        )
        .await;
    assert_eq!(exchanged.status(), 303);
    let states: Vec<(String, String)> = reservations::table
        .order(reservations::created_at.asc())
        .select((reservations::name, reservations::state))
        .load(&mut f.app.conn())
        .expect("reservations");
    assert!(states.contains(&("Reserved VM, 1 year".to_owned(), "exchanged".to_owned())));
    assert!(states.contains(&("Reserved VM, 3 years".to_owned(), "active".to_owned())));
    // And cancels the new one.
    let new_id: String = reservations::table
        .filter(reservations::state.eq("active"))
        .select(reservations::id)
        .first(&mut f.app.conn())
        .expect("the new reservation");
    let cancelled = f
        .app
        .post_confirmed(
            &sales,
            &f.path(&format!("/reservations/{new_id}/cancel")),
            &[],
        )
        .await;
    assert_eq!(cancelled.status(), 303);
    let again = f
        .app
        .post_confirmed(
            &sales,
            &f.path(&format!("/reservations/{new_id}/cancel")),
            &[],
        )
        .await;
    assert_eq!(
        again.status(),
        404,
        "a cancelled reservation is not active any more"
    );
    for action in [
        "reservation_renewed",
        "reservation_exchanged",
        "reservation_cancelled",
    ] {
        assert_eq!(f.app.entries_of(action).len(), 1, "{action}");
    }
    // Another partner's reservation is missing.
    let theirs = f
        .app
        .invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let their_customer = f.app.customer(&theirs, &CustomerSpec::named("Tailspin"));
    let their_plan = f
        .app
        .ordered(&theirs, &their_customer, &f.usage, None, PlacedBy::Partner);
    let their_vm = f.app.ordered(
        &theirs,
        &their_customer,
        &f.vm_year,
        Some(&their_plan),
        PlacedBy::Partner,
    );
    let refused = f
        .app
        .post_as(
            &sales,
            &f.path(&format!("/reservations/{their_vm}/cancel")),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn the_purchase_form_says_what_is_wrong_in_french_and_keeps_what_was_typed() {
    let f = fixture().await;
    f.customer_may_buy().await;
    diesel::update(
        partnerdesk::db::schema::logins::table
            .filter(partnerdesk::db::schema::logins::username.eq("admin@adatum.example")),
    )
    .set(partnerdesk::db::schema::logins::language.eq("fr"))
    .execute(&mut f.app.conn())
    .expect("French");
    let admin = f.customer_admin().await;
    let refused = f
        .app
        .post_as(
            &admin,
            "/customer/reservations",
            &[
                ("offer_id", f.vm_year.as_str()),
                ("quantity", "beaucoup"),
                ("subscription_id", "not-a-subscription"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.expect("body");
    assert!(
        page.contains("Saisissez un nombre entier entre 1 et 100 000."),
        "{page}"
    );
    assert!(page.contains(
        "Choisissez un abonnement basé sur l’utilisation dont vous avez le rôle propriétaire."
    ));
    assert!(page.contains("value=\"beaucoup\""), "what was typed stays");
    assert_eq!(f.orders(), 1, "nothing bought: only the partner's plan");
}
