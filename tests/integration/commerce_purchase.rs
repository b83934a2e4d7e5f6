//! Customers buying: the purchase permission and its prerequisites, reservations
//! bought by the customer and billed to the partner, and what only the partner may
//! change afterwards.

use crate::commerce::{Fixture, fixture, fixture_on};
use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::spawn_app_frozen;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::commerce::orders::{self};
use partnerdesk::db::schema::{orders as order_rows, reservations};
use partnerdesk::i18n::Lang;

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
    let f = fixture_on(spawn_app_frozen().await).await;
    let plan = f.customer_may_buy().await;
    let bought = f.app.ordered(
        &f.partner,
        &f.customer,
        &f.vm_year,
        Some(&plan),
        PlacedBy::Customer,
    );
    neither_the_customer_nor_a_helpdesk_agent_may_change(&f, &bought).await;
    let sales = f.staff(PartnerRole::SalesAgent).await;
    // The partner renews: a renewal order, a year more.
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
    exchange_then_cancel(&f, &sales, &bought).await;
    another_partners_reservation_is_missing(&f, &sales).await;
}

/// Another partner's reservation is missing.
async fn another_partners_reservation_is_missing(f: &Fixture, sales: &reqwest::Client) {
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
            sales,
            &f.path(&format!("/reservations/{their_vm}/cancel")),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 404);
}

/// The customer has no way to change what it bought: no such routes, no
/// buttons; a helpdesk agent may not either.
async fn neither_the_customer_nor_a_helpdesk_agent_may_change(f: &Fixture, bought: &str) {
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
}

/// The partner exchanges the reservation for the three-year one, then cancels
/// the new one, once; each change is logged once.
async fn exchange_then_cancel(f: &Fixture, sales: &reqwest::Client, bought: &str) {
    let exchanged = f
        .app
        .post_confirmed(
            sales,
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
    let new_id: String = reservations::table
        .filter(reservations::state.eq("active"))
        .select(reservations::id)
        .first(&mut f.app.conn())
        .expect("the new reservation");
    let cancelled = f
        .app
        .post_confirmed(
            sales,
            &f.path(&format!("/reservations/{new_id}/cancel")),
            &[],
        )
        .await;
    assert_eq!(cancelled.status(), 303);
    let again = f
        .app
        .post_confirmed(
            sales,
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
