//! Service health from the operator's command line: services, incidents and their
//! timeline recorded, refusals naming the option.

use crate::customers::{listed_names, page_of};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, run_cli};
use crate::service_health::{Fixture, fixture};

#[tokio::test]
async fn the_command_line_records_services_incidents_and_their_timeline() {
    let Fixture {
        app, adatum, ours, ..
    } = fixture().await;
    record_an_incident_and_its_update(&app, &adatum);
    the_command_line_refuses_what_is_missing(&app, &adatum);

    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&owner, &app, "/partner/customers?health=advisory").await;
    assert_eq!(listed_names(&page), ["Adatum"]);
    let (status, page) =
        page_of(&owner, &app, &format!("/partner/customers/{adatum}/health")).await;
    assert_eq!(status, 200);
    for text in [
        "Backups failing",
        "Disk full.",
        "Pruning old snapshots.",
        "Advisory",
    ] {
        assert!(page.contains(text), "{text} on the health page");
    }
    // The change is in the partner's activity log and the customer's.
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, log) = page_of(&admin, &app, "/customer/activity").await;
    assert!(log.contains("Backups failing"), "in the customer's log");
    let (_, log) = page_of(&owner, &app, "/partner/activity").await;
    assert!(log.contains("Backups failing"), "in the partner's log");
    let _ = ours;
}

/// A service, an incident on it, and an update that lowers it to an advisory,
/// all from the command line.
fn record_an_incident_and_its_update(app: &TestApp, adatum: &str) {
    let added = run_cli(
        app,
        &[
            "health",
            "add-service",
            "--customer",
            adatum,
            "--name",
            "Backup",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    let opened = run_cli(
        app,
        &[
            "health",
            "open-incident",
            "--customer",
            adatum,
            "--service",
            "Backup",
            "--title",
            "Backups failing",
            "--state",
            "incident",
            "--text",
            "Disk full.",
        ],
    );
    assert!(opened.status.success(), "{opened:?}");
    let incident = String::from_utf8_lossy(&opened.stdout)
        .trim()
        .strip_prefix("Incident opened: ")
        .expect("the incident id")
        .to_owned();
    let updated = run_cli(
        app,
        &[
            "health",
            "update",
            "--customer",
            adatum,
            "--incident",
            &incident,
            "--text",
            "Pruning old snapshots.",
            "--state",
            "advisory",
        ],
    );
    assert!(updated.status.success(), "{updated:?}");
}

/// An empty title and an unknown customer are refused, naming the option.
fn the_command_line_refuses_what_is_missing(app: &TestApp, adatum: &str) {
    let refused = run_cli(
        app,
        &[
            "health",
            "open-incident",
            "--customer",
            adatum,
            "--service",
            "Backup",
            "--title",
            "",
            "--state",
            "incident",
            "--text",
            "x",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--title"));
    let unknown = run_cli(
        app,
        &[
            "health",
            "add-service",
            "--customer",
            "nobody",
            "--name",
            "Backup",
        ],
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--customer"));
}
