//! The import as a job: taken over from a dead instance, run again after a crash
//! mid-import but never twice, handed back on a stop; its page in every state.

use crate::customer_import::{
    customers_of, export, import, imports_logged, signed_in_owner, state_of, upload, valid_file,
};
use crate::customers::{page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, TestClock, spawn_app, spawn_app_frozen, spawn_app_with};
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{customer_imports, memberships};
use partnerdesk::i18n::Lang;
use std::time::Duration;

/// (state, claim token, lease, checked rows, attempts) of an import.
type JobRow = (
    String,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    i32,
    i32,
);

fn job_row(app: &TestApp, import_id: &str) -> JobRow {
    customer_imports::table
        .find(import_id)
        .select((
            customer_imports::state,
            customer_imports::claim_token,
            customer_imports::locked_until,
            customer_imports::checked_rows,
            customer_imports::attempts,
        ))
        .first(&mut app.conn())
        .expect("the import")
}

async fn wait_for_state(app: &TestApp, import_id: &str, state: &str) -> JobRow {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let row = job_row(app, import_id);
        if row.0 == state {
            return row;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import reaches {state}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An import row as the upload writes it, in `state`, for the page and
/// takeover tests.
fn insert_import(
    app: &TestApp,
    partner_id: &str,
    membership_id: &str,
    id: &str,
    state: &str,
    file: &str,
) {
    let login_id: String = memberships::table
        .find(membership_id)
        .select(memberships::login_id)
        .first(&mut app.conn())
        .expect("the owner's login");
    let total = file.lines().count() as i32 - 1;
    diesel::insert_into(customer_imports::table)
        .values((
            customer_imports::id.eq(id),
            customer_imports::partner_id.eq(partner_id),
            customer_imports::created_by_login_id.eq(&login_id),
            customer_imports::state.eq(state),
            customer_imports::total_rows.eq(total),
            customer_imports::checked_rows.eq(0),
            customer_imports::imported_rows.eq(0),
            customer_imports::problems.eq(""),
            customer_imports::source.eq("customers.csv"),
            customer_imports::created_at.eq(app.clock_now()),
            customer_imports::upload.eq(file),
            customer_imports::language.eq("en"),
            customer_imports::acting_membership_id.eq(Some(membership_id)),
            customer_imports::actor_name.eq("Owner"),
        ))
        .execute(&mut app.conn())
        .expect("an import");
}

#[tokio::test]
async fn an_import_left_by_a_dead_instance_is_taken_over_by_another_and_done_once() {
    let mut app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let membership = app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    app.stop().await;

    // What an instance that died while checking leaves behind: the row claimed,
    // its lease still running, part of the rows checked, nothing imported.
    let file = valid_file(600);
    insert_import(&app, &contoso, &membership, "orphan", "checking", &file);
    let lease = app.clock_now() + chrono::Duration::seconds(60);
    diesel::update(customer_imports::table.find("orphan"))
        .set((
            customer_imports::claim_token.eq(Some("the-dead-instance")),
            customer_imports::locked_until.eq(Some(lease)),
            customer_imports::checked_rows.eq(250),
            customer_imports::attempts.eq(1),
        ))
        .execute(&mut app.conn())
        .expect("an import claimed by a dead instance");

    let other = app.another_instance();
    let page_there = |path: &str| {
        let url = other.url(path);
        let owner = owner.clone();
        async move {
            let response = owner.get(url).send().await.expect("GET");
            assert_eq!(response.status(), 200);
            response.text().await.expect("page")
        }
    };
    // While the lease runs, the page says what the row says, and nobody else
    // touches the import.
    let page = page_there("/partner/customers/import/orphan").await;
    assert_eq!(state_of(&page), "checking", "{page}");
    assert!(page.contains("Checking the rows: 250 of 600."), "{page}");
    app.import_pass(other.clock.clone()).await;
    assert_eq!(
        job_row(&app, "orphan").1.as_deref(),
        Some("the-dead-instance")
    );

    // Once the lease has run out, the page says so and the other instance takes
    // the import over, from the start.
    other.clock.advance(chrono::Duration::seconds(61));
    let row = wait_for_state(&app, "orphan", "done").await;
    assert_eq!((row.1.clone(), row.2, row.4), (None, None, 2), "{row:?}");
    assert_eq!(customers_of(&app, &contoso), 600, "every customer, once");
    assert_eq!(imports_logged(&app, &contoso), 1, "one import logged");
    let page = page_there("/partner/customers/import/orphan").await;
    assert!(page.contains("600 customers imported."), "{page}");
    let upload: String = customer_imports::table
        .find("orphan")
        .select(customer_imports::upload)
        .first(&mut app.conn())
        .expect("the import");
    assert!(upload.is_empty(), "the file is not kept once imported");
    other.stop().await;
}

#[tokio::test]
async fn an_import_whose_instance_died_mid_import_is_run_again_and_one_that_committed_is_not() {
    let mut app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let membership = app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    app.stop().await;
    // Died inside the import transaction: rolled back, the row still says
    // importing under a lease that has run out.
    insert_import(
        &app,
        &contoso,
        &membership,
        "cut",
        "importing",
        &valid_file(3),
    );
    let expired = app.clock_now() - chrono::Duration::seconds(1);
    diesel::update(customer_imports::table.find("cut"))
        .set((
            customer_imports::claim_token.eq(Some("the-dead-instance")),
            customer_imports::locked_until.eq(Some(expired)),
            customer_imports::checked_rows.eq(3),
            customer_imports::attempts.eq(1),
        ))
        .execute(&mut app.conn())
        .expect("an import cut off");
    // Given up by an instance too many times: failed, and said why.
    insert_import(
        &app,
        &contoso,
        &membership,
        "cursed",
        "checking",
        &valid_file(2),
    );
    diesel::update(customer_imports::table.find("cursed"))
        .set((
            customer_imports::claim_token.eq(Some("the-dead-instance")),
            customer_imports::locked_until.eq(Some(expired)),
            customer_imports::attempts.eq(3),
        ))
        .execute(&mut app.conn())
        .expect("an import that keeps stopping its instance");

    let other = app.another_instance();
    let row = wait_for_state(&app, "cut", "done").await;
    assert_eq!(row.4, 2);
    let row = wait_for_state(&app, "cursed", "failed").await;
    assert_eq!((row.1, row.2), (None, None));
    assert_eq!(customers_of(&app, &contoso), 3);
    other.stop().await;

    // A third instance finds nothing to do: what is done stays done.
    app.import_pass(std::sync::Arc::new(TestClock::running()))
        .await;
    assert_eq!(customers_of(&app, &contoso), 3);
    assert_eq!(imports_logged(&app, &contoso), 1);
}

#[tokio::test]
async fn a_stop_during_checking_hands_the_import_back_and_the_next_instance_finishes_it() {
    let mut app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let rows = 3_000;
    let response = upload(&app, &owner, "customers.csv", valid_file(rows).into_bytes()).await;
    assert_eq!(response.status(), 303);
    let import_id = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit('/').next())
        .expect("the import's address")
        .to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let row = job_row(&app, &import_id);
        if row.0 == "checking" && row.3 > 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "checking starts: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // The same stop SIGTERM triggers, in process.
    app.stop().await;
    let row = job_row(&app, &import_id);
    assert_eq!(
        row,
        ("queued".to_owned(), None, None, 0, 0),
        "handed back between two batches, this claim not counted"
    );
    assert_eq!(customers_of(&app, &contoso), 0, "nothing half imported");
    assert_eq!(imports_logged(&app, &contoso), 0);

    let next = app.another_instance();
    let page = owner
        .get(next.url(&format!("/partner/customers/import/{import_id}")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert_ne!(state_of(&page), "failed", "{page}");
    let row = wait_for_state(&app, &import_id, "done").await;
    assert_eq!(row.4, 1);
    assert_eq!(
        customers_of(&app, &contoso),
        rows as i64,
        "every customer, once"
    );
    assert_eq!(imports_logged(&app, &contoso), 1);
    next.stop().await;
}

/// Each state an import row can be in (its id in the fixture), the state the
/// page shows, its words, and whether the page refreshes itself.
const STATES_IN_ENGLISH: [(&str, &str, &str, bool); 8] = [
    (
        "queued",
        "queued",
        "Waiting to start: the check begins in a moment.",
        true,
    ),
    ("checking", "checking", "Checking the rows: 2 of 4.", true),
    (
        "resuming",
        "queued",
        "The server working on this import stopped before it finished. Nothing has been imported; the import starts again from the beginning in a moment.",
        true,
    ),
    (
        "importing",
        "importing",
        "All 4 rows are valid. Importing…",
        true,
    ),
    ("done", "done", "4 customers imported.", false),
    (
        "invalid",
        "invalid",
        "Nothing was imported. Rows to fix: 2 of 4; 3 problems found.",
        false,
    ),
    (
        "interrupted",
        "failed",
        "The import was interrupted too many times and has been abandoned; nothing was imported.",
        false,
    ),
    (
        "error",
        "failed",
        "The import stopped on an unexpected error; nothing was imported.",
        false,
    ),
];

/// The same words in French.
const STATES_IN_FRENCH: [&str; 8] = [
    "En attente : la vérification commence dans un instant.",
    "Vérification des lignes : 2 sur 4.",
    "Le serveur qui traitait cet import s'est arrêté avant la fin. Rien n'a été importé ; l'import reprend depuis le début dans un instant.",
    "Les 4 lignes sont valides. Import en cours…",
    "4 clients importés.",
    "Rien n'a été importé. Lignes à corriger : 2 sur 4 ; 3 problèmes relevés.",
    "L'import a été interrompu trop de fois et a été abandonné ; rien n'a été importé.",
    "L'import s'est arrêté sur une erreur inattendue ; rien n'a été importé.",
];

#[tokio::test]
async fn the_import_page_tells_each_state_in_english_and_french() {
    for lang in [Lang::En, Lang::Fr] {
        // The worker only looks when woken or every hour: the rows below stay
        // as they are written.
        let app = spawn_app_with(|settings| {
            settings.jobs.poll_interval = Duration::from_secs(3600);
        })
        .await;
        let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
        let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", lang).await;
        let membership = app.active_member_id(&contoso, "owner@contoso.example");
        // The worker's first look, at start, would claim the queued and the
        // lapsed rows below: it must be over before they are written.
        app.import_worker_idle().await;
        insert_states(&app, &contoso, &membership);
        for ((id, shown, english, refreshes), french) in
            STATES_IN_ENGLISH.iter().zip(STATES_IN_FRENCH)
        {
            let (status, page) =
                page_of(&owner, &app, &format!("/partner/customers/import/{id}")).await;
            assert_eq!(status, 200);
            assert_eq!(state_of(&page), *shown, "{id}");
            let text = if lang == Lang::En { *english } else { french };
            assert!(unescape(&page).contains(text), "{id} in {lang:?}: {page}");
            assert_eq!(
                page.contains(r#"<meta http-equiv="refresh" content="2">"#),
                *refreshes,
                "{id} refreshes while it is not finished"
            );
        }
        let (_, list) = page_of(&owner, &app, "/partner/customers/import").await;
        let waiting = if lang == Lang::En {
            "Waiting"
        } else {
            "En attente"
        };
        assert!(list.contains(waiting), "{list}");
        let untouched = job_row(&app, "resuming");
        assert_eq!(untouched.0, "checking", "reading a page changes nothing");
    }
}

/// One import in each state, as the worker leaves them.
fn insert_states(app: &TestApp, contoso: &str, membership: &str) {
    let file = valid_file(4);
    let now = app.clock_now();
    let working = Some(now + chrono::Duration::minutes(30));
    let ended = Some(now - chrono::Duration::seconds(5));
    let problems = r#"{"count":3,"rows":2,"kept":[{"line":2,"column":"city","message":"field-required"},{"line":2,"column":"country","message":"field-choose"},{"line":4,"column":"managed_order","message":"import-yes-no"}]}"#;
    for (id, state, lease, checked, imported, failure, problems) in [
        ("checking", "checking", working, 2, 0, None, ""),
        ("resuming", "checking", ended, 2, 0, None, ""),
        ("importing", "importing", working, 4, 0, None, ""),
        ("done", "done", None, 4, 4, None, ""),
        ("invalid", "invalid", None, 4, 0, None, problems),
        (
            "interrupted",
            "failed",
            None,
            2,
            0,
            Some("import-failed-interrupted"),
            "",
        ),
        (
            "error",
            "failed",
            None,
            2,
            0,
            Some("import-failed-error"),
            "",
        ),
        // Last, so that it is among the five the upload page lists.
        ("queued", "queued", None, 0, 0, None, ""),
    ] {
        insert_import(app, contoso, membership, id, state, &file);
        diesel::update(customer_imports::table.find(id))
            .set((
                customer_imports::claim_token.eq(lease.map(|_| "an-instance")),
                customer_imports::locked_until.eq(lease),
                customer_imports::checked_rows.eq(checked),
                customer_imports::imported_rows.eq(imported),
                customer_imports::failure.eq(failure),
                customer_imports::problems.eq(problems),
            ))
            .execute(&mut app.conn())
            .expect("an import in its state");
    }
}

#[tokio::test]
async fn the_demos_customers_export_and_import_back_as_is() {
    let app = spawn_app_frozen().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    // The demo's customers, some of them months old: trials among them have
    // ended.
    app.seeded_customers(
        &contoso,
        app.clock_now() - chrono::Duration::days(120),
        300,
        &[],
        2026,
    );
    let exporter = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let exported = export(&app, &exporter).await;
    let today = app.clock_now().date().format("%Y-%m-%d").to_string();
    let mut reader = csv::Reader::from_reader(exported.as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|c| c == name).expect(name);
    let (billing, trial_end) = (column("billing_type"), column("trial_ends_on"));
    let ended = reader
        .records()
        .map(|record| record.expect("record"))
        .filter(|r| &r[billing] == "trial" && !r[trial_end].is_empty() && r[trial_end] < *today)
        .count();
    assert!(ended > 0, "some trials have ended");
    let importer = signed_in_owner(&app, &fabrikam, "owner@fabrikam.example", Lang::En).await;
    let (page, _) = import(&app, &importer, exported.clone().into_bytes()).await;
    assert_eq!(state_of(&page), "done", "{}", &page[..page.len().min(6000)]);
    assert!(page.contains("300 customers imported."), "{page}");
}
