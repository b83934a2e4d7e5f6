//! The catalogue in the operator's area (`/admin/catalogue`): adding an offer
//! with the command line's checks, each problem named next to its field in the
//! operator's language; partners ordering what was added; retiring, confirmed
//! first, leaving what was ordered as it was; the instance's log.

use partnerdesk::access::PartnerRole;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::commerce::catalogue;
use partnerdesk::i18n::Lang;

use crate::admin::operator_signed_in;
use crate::customers::{error_next_to, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, run_cli, spawn_app};

const NEW: &str = "/admin/catalogue/new";

fn offers_in_catalogue(app: &TestApp) -> usize {
    catalogue::all(&mut app.conn()).expect("catalogue").len()
}

/// Contoso's owner signed in, with a customer: (customer, owner's browser).
async fn contoso_ordering(app: &TestApp) -> (String, String, reqwest::Client) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    (partner, customer, owner)
}

/// The messages next to each refused field, in each language.
const EXPECTED: [(&str, [(&str, &str); 4]); 2] = [
    (
        "en",
        [
            ("name", "This field is required."),
            (
                "price",
                "Enter an amount such as 12.50 (at most two decimals).",
            ),
            (
                "currency",
                "Enter a three-letter currency code such as EUR.",
            ),
            ("term_months", "A reservation lasts 12 or 36 months."),
        ],
    ),
    (
        "fr",
        [
            ("name", "Ce champ est obligatoire."),
            (
                "price",
                "Saisissez un montant comme 12,50 (deux décimales au plus).",
            ),
            (
                "currency",
                "Saisissez un code de devise de trois lettres comme EUR.",
            ),
            ("term_months", "Une réservation dure 12 ou 36 mois."),
        ],
    ),
];

#[tokio::test]
async fn a_faulty_offer_is_refused_field_by_field_in_english_and_in_french() {
    let app = spawn_app().await;
    let root = operator_signed_in(&app).await;
    let form = app.page_as(&root, NEW).await;
    assert!(form.contains("name=\"term_months\"") && form.contains("value=\"EUR\""));

    let typed = [
        ("name", "  "),
        ("kind", "reservation"),
        ("price", "12.345"),
        ("currency", "EURO"),
        ("term_months", "1"),
    ];
    for (lang, messages) in EXPECTED {
        let switched = app
            .post_as(&root, "/language", &[("lang", lang), ("next", "/")])
            .await;
        assert_eq!(switched.status(), 303);
        let refused = app.post_as(&root, NEW, &typed).await;
        assert_eq!(refused.status(), 200, "the form comes back");
        let page = unescape(&refused.text().await.expect("page"));
        for (field, message) in messages {
            assert_eq!(
                error_next_to(&page, field).as_deref(),
                Some(message),
                "{lang} {field}: {page}"
            );
        }
        assert!(error_next_to(&page, "kind").is_none(), "the kind was right");
        assert!(page.contains("value=\"12.345\"") && page.contains("value=\"EURO\""));
        assert!(page.contains("<option value=\"reservation\" selected>"));
        assert!(page.contains("<option value=\"1\" selected>"));
    }
    // A kind nobody offers, and a term on a usage subscription.
    for (kind, field, message) in [
        ("lease", "kind", "Choisissez l'un des types proposés."),
        (
            "usage_subscription",
            "term_months",
            "Un abonnement à l'usage n'a pas de durée.",
        ),
    ] {
        let typed = [
            ("name", "Backup"),
            ("kind", kind),
            ("price", "1"),
            ("currency", "EUR"),
            ("term_months", "12"),
        ];
        let refused = app.post_as(&root, NEW, &typed).await;
        let page = unescape(&refused.text().await.expect("page"));
        assert_eq!(error_next_to(&page, field).as_deref(), Some(message));
    }
    assert_eq!(offers_in_catalogue(&app), 0, "nothing half-saved");
}

#[tokio::test]
async fn an_added_offer_is_ordered_by_partners_and_logged() {
    let app = spawn_app().await;
    let root = operator_signed_in(&app).await;
    let added = app
        .post_as(
            &root,
            NEW,
            &[
                ("name", "Backup 1 TB"),
                ("kind", "term_subscription"),
                ("price", "9,90"),
                ("currency", "eur"),
                ("term_months", "12"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(location(&added), "/admin/catalogue");
    let page = app.page_as(&root, "/admin/catalogue").await;
    assert!(
        page.contains("Backup 1 TB") && page.contains("€9.90") && page.contains("12 months"),
        "{page}"
    );
    let offer = &catalogue::all(&mut app.conn()).expect("catalogue")[0];
    assert_eq!(
        (
            offer.unit_price_cents,
            offer.currency.as_str(),
            offer.term_months
        ),
        (990, "EUR", 12)
    );

    let (_, customer, owner) = contoso_ordering(&app).await;
    let orders = format!("/partner/customers/{customer}/orders");
    assert!(app.page_as(&owner, &orders).await.contains("Backup 1 TB"));
    let placed = app
        .post_as(
            &owner,
            &orders,
            &[
                ("offer_id", &offer.id),
                ("quantity", "3"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(placed.status(), 303, "the partner orders it");
    assert_eq!(location(&placed), orders);

    let log = app.page_as(&root, "/admin/activity").await;
    assert!(log.contains("data-action=\"offer_added\""), "{log}");
    assert!(log.contains("Added an offer to the catalogue") && log.contains("9.90 EUR"));
}

#[tokio::test]
async fn a_retired_offer_leaves_ordering_but_what_was_ordered_stays() {
    let app = spawn_app().await;
    let (partner, customer, owner) = contoso_ordering(&app).await;
    let plan = app.offer("Azure plan", "usage_subscription", "0", None);
    let kept = app.offer("Microsoft 365 E3", "usage_subscription", "30", None);
    app.ordered(&partner, &customer, &plan, None, PlacedBy::Partner);
    let root = operator_signed_in(&app).await;
    let retire = format!("/admin/catalogue/{plan}/retire");

    // Asked first, saying what stays; nothing changes yet.
    let review = app.post_as(&root, &retire, &[]).await;
    assert_eq!(review.status(), 200);
    let review = unescape(&review.text().await.expect("page"));
    assert!(
        review.contains("Retire this offer?")
            && review.contains("The 1 order placed from it stays as it is"),
        "{review}"
    );
    let orders = format!("/partner/customers/{customer}/orders");
    assert!(app.page_as(&owner, &orders).await.contains("Azure plan"));

    let done = app.post_as(&root, &retire, &[("confirmed", "yes")]).await;
    assert_eq!(done.status(), 303);
    let page = app.page_as(&root, "/admin/catalogue").await;
    assert!(
        page.contains(&format!("id=\"offer-{plan}\" data-active=\"false\""))
            && page.contains(&format!("id=\"offer-{kept}\" data-active=\"true\"")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("id=\"retire-{plan}\"")),
        "a retired offer has no Retire button"
    );

    // Gone from ordering; refused if posted anyway; the history keeps it.
    let form = app.page_as(&owner, &orders).await;
    assert!(
        !form.contains(&format!("value=\"{plan}\"")) && form.contains("Microsoft 365 E3"),
        "{form}"
    );
    let refused = app
        .post_as(&owner, &orders, &[("offer_id", &plan), ("quantity", "1")])
        .await;
    assert!(
        refused
            .text()
            .await
            .expect("page")
            .contains("Choose an offer from the catalogue.")
    );
    let subscriptions = app
        .page_as(
            &owner,
            &format!("/partner/customers/{customer}/subscriptions"),
        )
        .await;
    assert!(subscriptions.contains("Azure plan"), "{subscriptions}");
    let history = app.page_as(&owner, &orders).await;
    assert!(history.contains("Azure plan"), "the order history keeps it");

    let again = app.post_as(&root, &retire, &[("confirmed", "yes")]).await;
    assert_eq!(again.status(), 404, "an offer is retired once");
    let log = app.page_as(&root, "/admin/activity").await;
    assert_eq!(log.matches("data-action=\"offer_retired\"").count(), 1);
}

#[tokio::test]
async fn the_command_lines_catalogue_changes_reach_the_instance_log() {
    let app = spawn_app().await;
    let added = run_cli(
        &app,
        &[
            "offer",
            "add",
            "--name",
            "Backup 1 TB",
            "--kind",
            "reservation",
            "--price",
            "100",
            "--term-months",
            "12",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    let refused = run_cli(
        &app,
        &[
            "offer", "add", "--name", "", "--kind", "lease", "--price", "x",
        ],
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("--name: between 1 and 100 characters")
            && said.contains("--kind: use usage_subscription")
            && said.contains("--price: an amount such as 12.50"),
        "every problem, each naming its option: {said}"
    );
    let root = operator_signed_in(&app).await;
    let log = app.page_as(&root, "/admin/activity").await;
    assert!(
        log.contains("data-action=\"offer_added\"") && log.contains("Command line"),
        "{log}"
    );
}

#[tokio::test]
async fn changing_the_catalogue_asks_an_operator_for_a_fresh_second_factor() {
    let app = spawn_app().await;
    let offer = app.offer("Azure plan", "usage_subscription", "0", None);
    let root = operator_signed_in(&app).await;
    crate::second_factor::enrol(&app, &root).await;
    app.clock.advance(chrono::Duration::minutes(16));
    let retire = format!("/admin/catalogue/{offer}/retire");
    let asked = app.post_as(&root, &retire, &[("confirmed", "yes")]).await;
    assert!(
        location(&asked).starts_with("/account/step-up"),
        "{}",
        location(&asked)
    );
    let typed = [
        ("name", "Backup"),
        ("kind", "usage_subscription"),
        ("price", "1"),
        ("currency", "EUR"),
        ("term_months", ""),
    ];
    let asked = app.post_as(&root, NEW, &typed).await;
    assert!(location(&asked).starts_with("/account/step-up"));
    let offers = catalogue::all(&mut app.conn()).expect("catalogue");
    assert!(
        offers.len() == 1 && offers[0].active,
        "nothing changed: {offers:?}"
    );
}
