//! Service health in the operator's area (`/admin/health`): what the command
//! line records, in pages. Services across the instance searched by customer
//! or partner name; a service added; an incident opened, updated and resolved;
//! the customer's console and the partner's page showing each step; both logs.

use partnerdesk::access::PartnerRole;
use partnerdesk::customers::Health;
use partnerdesk::i18n::Lang;

use crate::admin::operator_signed_in;
use crate::customers::{error_next_to, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, spawn_app};

/// Contoso with Adatum (and its administrator), Fabrikam with Northwind:
/// (Adatum, Northwind).
fn two_partners(app: &TestApp) -> (String, String) {
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&contoso, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let northwind = app.customer(&fabrikam, &CustomerSpec::named("Northwind"));
    (adatum, northwind)
}

/// The id in the path an answer sent the browser to, after `prefix`.
fn id_after(response: &reqwest::Response, prefix: &str) -> String {
    let to = location(response);
    to.strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{to} does not start with {prefix}"))
        .to_owned()
}

#[tokio::test]
async fn services_are_listed_across_the_instance_and_searched_by_customer_or_partner() {
    let app = spawn_app().await;
    let (adatum, northwind) = two_partners(&app);
    app.incident(&adatum, "Backup", Health::Incident);
    app.incident(&northwind, "Mail", Health::Advisory);
    let root = operator_signed_in(&app).await;

    let all = app.page_as(&root, "/admin/health").await;
    assert!(
        all.contains("data-service=\"Backup\" data-state=\"incident\"")
            && all.contains("data-service=\"Mail\" data-state=\"advisory\""),
        "{all}"
    );
    let by_partner = app.page_as(&root, "/admin/health?q=FABRIK").await;
    assert!(
        by_partner.contains("data-service=\"Mail\"")
            && !by_partner.contains("data-service=\"Backup\""),
        "{by_partner}"
    );
    assert!(by_partner.contains(&format!("id=\"customer-{northwind}\"")));
    let by_customer = app.page_as(&root, "/admin/health?q=adat").await;
    assert!(
        by_customer.contains("data-service=\"Backup\"")
            && !by_customer.contains("data-service=\"Mail\""),
        "{by_customer}"
    );
    // A customer without any service is found too, to add its first one.
    let bare = app.customer(
        &app.invite_partner_owner("Tailspin", "tara@tailspin.example", Lang::En),
        &CustomerSpec::named("Wingtip"),
    );
    let found = app.page_as(&root, "/admin/health?q=wingtip").await;
    assert!(
        found.contains(&format!("id=\"customer-{bare}\""))
            && found.contains("id=\"services-empty\""),
        "{found}"
    );
    let none = app.page_as(&root, "/admin/health?q=nobody%25").await;
    assert!(none.contains("id=\"customers-empty\"") && none.contains("id=\"services-empty\""));
    let missing = root
        .get(app.url("/admin/health/customers/no-such-customer"))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), 404);
}

/// Adds Backup to the customer at `here`, refused first when empty and when
/// taken; returns the service's id.
async fn add_backup(app: &TestApp, root: &reqwest::Client, here: &str) -> String {
    // A service: required, unique per customer.
    let refused = app
        .post_as(root, &format!("{here}/services"), &[("name", " ")])
        .await;
    let page = unescape(&refused.text().await.expect("page"));
    assert_eq!(
        error_next_to(&page, "name").as_deref(),
        Some("This field is required.")
    );
    let added = app
        .post_as(root, &format!("{here}/services"), &[("name", "Backup")])
        .await;
    assert_eq!(added.status(), 303);
    let taken = app
        .post_as(root, &format!("{here}/services"), &[("name", "BACKUP")])
        .await;
    let page = unescape(&taken.text().await.expect("page"));
    assert_eq!(
        error_next_to(&page, "name").as_deref(),
        Some("The customer already has a service with this name."),
        "{page}"
    );
    assert!(page.contains("value=\"BACKUP\""), "what was typed stays");
    regex::Regex::new(r#"<option value="([^"]+)">Backup</option>"#)
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_owned())
        .expect("the service in the incident form")
}

/// Opens an incident on `service`, refused first in French; returns its id.
async fn open_backups_failing(
    app: &TestApp,
    root: &reqwest::Client,
    here: &str,
    service: &str,
) -> String {
    // An incident: every field checked, in the operator's language.
    app.post_as(root, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let typed = [
        ("service", service),
        ("title", ""),
        ("state", "healthy"),
        ("text", "Les sauvegardes échouent."),
    ];
    let refused = app
        .post_as(root, &format!("{here}/incidents"), &typed)
        .await;
    let page = unescape(&refused.text().await.expect("page"));
    assert_eq!(
        error_next_to(&page, "title").as_deref(),
        Some("Ce champ est obligatoire.")
    );
    assert_eq!(
        error_next_to(&page, "state").as_deref(),
        Some("Cette valeur n'est pas valide.")
    );
    assert!(page.contains("Les sauvegardes échouent."), "{page}");
    assert!(page.contains("id=\"no-incidents\""), "nothing half-saved");
    app.post_as(root, "/language", &[("lang", "en"), ("next", "/")])
        .await;
    let opened = app
        .post_as(
            root,
            &format!("{here}/incidents"),
            &[
                ("service", service),
                ("title", "Backups failing"),
                ("state", "advisory"),
                ("text", "Investigating the nightly backups."),
            ],
        )
        .await;
    assert_eq!(opened.status(), 303);
    id_after(&opened, &format!("{here}/incidents/"))
}

#[tokio::test]
async fn an_incident_opened_by_the_operator_reaches_the_customer_and_its_partner() {
    let app = spawn_app().await;
    let (adatum, _) = two_partners(&app);
    let root = operator_signed_in(&app).await;
    let here = format!("/admin/health/customers/{adatum}");
    let page = app.page_as(&root, &here).await;
    assert!(page.contains("id=\"no-services\"") && page.contains("Customer of Contoso"));
    let service = add_backup(&app, &root, &here).await;
    let incident = open_backups_failing(&app, &root, &here, &service).await;

    // Both sides see it at once.
    let customer = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let console = app.page_as(&customer, "/customer/health").await;
    assert!(
        console.contains(&format!(
            "id=\"incident-{incident}\" data-resolved=\"false\""
        )) && console.contains("Investigating the nightly backups.")
            && console.contains("health health-advisory"),
        "{console}"
    );
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let partner_page = format!("/partner/customers/{adatum}/health");
    let seen = app.page_as(&owner, &partner_page).await;
    assert!(seen.contains("Backups failing") && seen.contains("id=\"overall-health\""));

    // An update that raises the state, then one that resolves it.
    let at = format!("{here}/incidents/{incident}");
    let empty = app
        .post_as(&root, &at, &[("text", ""), ("state", "")])
        .await;
    let page = unescape(&empty.text().await.expect("page"));
    assert_eq!(
        error_next_to(&page, "text").as_deref(),
        Some("This field is required.")
    );
    let raised = app
        .post_as(
            &root,
            &at,
            &[("text", "Restores fail too."), ("state", "incident")],
        )
        .await;
    assert_eq!(raised.status(), 303);
    let list = app.page_as(&owner, "/partner/customers?q=adatum").await;
    assert!(
        list.contains("health-incident"),
        "the list's column follows: {list}"
    );
    let resolved = app
        .post_as(
            &root,
            &at,
            &[("text", "Fixed."), ("state", ""), ("resolve", "on")],
        )
        .await;
    assert_eq!(resolved.status(), 303);
    let console = app.page_as(&customer, "/customer/health").await;
    assert!(
        console.contains(&format!(
            "id=\"incident-{incident}\" data-resolved=\"true\""
        )) && console.contains("Restores fail too.")
            && console.contains("Fixed."),
        "{console}"
    );
    no_more_updates(&app, (&root, &customer), &at).await;
    the_logs_tell_each_step(&app, &root, &owner).await;
}

/// A resolved incident offers no update, and one posted anyway changes nothing.
async fn no_more_updates(
    app: &TestApp,
    (root, customer): (&reqwest::Client, &reqwest::Client),
    at: &str,
) {
    let page = app.page_as(root, at).await;
    assert!(
        page.contains("data-resolved=\"true\"") && !page.contains("id=\"post-update\""),
        "a resolved incident takes no more updates: {page}"
    );
    let again = app
        .post_as(root, at, &[("text", "Once more."), ("state", "")])
        .await;
    assert_eq!(location(&again), at);
    assert!(
        !app.page_as(customer, "/customer/health")
            .await
            .contains("Once more.")
    );
}

/// The partner's log names the operator; the instance's log has each step.
async fn the_logs_tell_each_step(app: &TestApp, root: &reqwest::Client, owner: &reqwest::Client) {
    let activity = app.page_as(owner, "/partner/activity").await;
    assert!(activity.contains("Operator · "), "{activity}");
    let log = app.page_as(root, "/admin/activity").await;
    for action in [
        "service_added",
        "incident_opened",
        "incident_updated",
        "incident_resolved",
    ] {
        assert_eq!(
            log.matches(&format!("data-action=\"{action}\"")).count(),
            1,
            "{action}: {log}"
        );
    }
}

#[tokio::test]
async fn an_unknown_incident_or_one_of_another_customer_is_not_found() {
    let app = spawn_app().await;
    let (adatum, northwind) = two_partners(&app);
    let theirs = app.incident(&northwind, "Mail", Health::Advisory);
    app.incident(&adatum, "Backup", Health::Advisory);
    let root = operator_signed_in(&app).await;
    for path in [
        format!("/admin/health/customers/{adatum}/incidents/{theirs}"),
        format!("/admin/health/customers/{adatum}/incidents/nothing"),
    ] {
        let page = root.get(app.url(&path)).send().await.expect("GET");
        assert_eq!(page.status(), 404, "{path}");
        let posted = app
            .post_as(&root, &path, &[("text", "Moved."), ("state", "")])
            .await;
        assert_eq!(posted.status(), 404, "{path}");
    }
    let service_of_another = app
        .post_as(
            &root,
            &format!("/admin/health/customers/{adatum}/incidents"),
            &[
                ("service", "Mail"),
                ("title", "Not theirs"),
                ("state", "advisory"),
                ("text", "x"),
            ],
        )
        .await;
    let page = unescape(&service_of_another.text().await.expect("page"));
    assert_eq!(
        error_next_to(&page, "service").as_deref(),
        Some("Choose one of the customer's services."),
        "{page}"
    );
}
