//! CSV import of customers through the real server: an export imported into
//! another partner comes out the same (ended trials included), a file with bad
//! rows imports nothing and names each problem in the reader's language, a large
//! file shows its progress. Imports are jobs claimed with a lease: one left by a
//! dead instance is taken over by another, one running at a stop (SIGTERM) is
//! handed back and finished by the next instance, exactly once; the page says
//! which state it is in, in French and English.

use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::audit::Action;
use partnerdesk::customers::{BillingType, LicenceStatus};
use partnerdesk::db::schema::{activity_log, customer_accounts, customer_imports, memberships};
use partnerdesk::i18n::Lang;

use crate::customers::{listed_total, page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const HEADER: &str = "name,primary_domain,country,address_line1,city,contact_name,contact_email";

/// Uploads `file` from the import page's own form, as a browser would.
pub(crate) async fn upload(
    app: &TestApp,
    browser: &reqwest::Client,
    file_name: &str,
    file: Vec<u8>,
) -> reqwest::Response {
    let (_, page) = page_of(browser, app, "/partner/customers/import").await;
    let action =
        regex::Regex::new(r#"action="(/partner/customers/import\?csrf_token=[0-9a-f]{64})""#)
            .expect("regex")
            .captures(&page)
            .map(|c| c[1].to_owned())
            .expect("the upload form posts to an address with its token");
    let part = reqwest::multipart::Part::bytes(file)
        .file_name(file_name.to_owned())
        .mime_str("text/csv")
        .expect("mime");
    browser
        .post(app.url(&action))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("POST")
}

fn state_of(page: &str) -> String {
    regex::Regex::new(r#"<section id="import" data-state="(\w+)""#)
        .expect("regex")
        .captures(page)
        .map(|c| c[1].to_owned())
        .expect("an import page")
}

/// Uploads `file` and follows the import until it ends; returns the final page
/// and every page seen on the way.
async fn import(app: &TestApp, browser: &reqwest::Client, file: Vec<u8>) -> (String, Vec<String>) {
    let response = upload(app, browser, "customers.csv", file).await;
    assert_eq!(response.status(), 303, "the upload is accepted");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a location")
        .to_owned();
    assert!(location.starts_with("/partner/customers/import/"));
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    loop {
        let (status, page) = page_of(browser, app, &location).await;
        assert_eq!(status, 200);
        let state = state_of(&page);
        if !["queued", "checking", "importing"].contains(&state.as_str()) {
            return (page, seen);
        }
        seen.push(page);
        assert!(std::time::Instant::now() < deadline, "the import ends");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn signed_in_owner(
    app: &TestApp,
    partner: &str,
    username: &str,
    lang: Lang,
) -> reqwest::Client {
    app.active_member(partner, username, PartnerRole::Owner);
    let browser = app.browser_signed_in(username, PASSWORD).await;
    if lang == Lang::Fr {
        app.post_as(&browser, "/language", &[("lang", "fr"), ("next", "/")])
            .await;
    }
    browser
}

async fn export(app: &TestApp, browser: &reqwest::Client) -> String {
    browser
        .get(app.url("/partner/customers.csv?sort=name"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body")
}

/// The export's rows without what the portal sets itself (id, state, creation).
fn comparable(export: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let ignored = ["id", "state", "created_at"];
    reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            header
                .iter()
                .zip(record.iter())
                .filter(|(column, _)| !ignored.contains(&column.as_str()))
                .map(|(column, cell)| format!("{column}={cell}"))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn an_export_imported_into_another_partner_comes_out_the_same() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.customer(&contoso, &CustomerSpec::named("Northwind Traders"));
    app.customer(
        &contoso,
        &CustomerSpec {
            billing: BillingType::Trial,
            managed_order: true,
            licences: vec![(LicenceStatus::Trial, true)],
            domain: "north-star.example".to_owned(),
            ..CustomerSpec::named("North Star, \"Bakery\"")
        },
    );
    app.customer(
        &contoso,
        &CustomerSpec {
            domain: "formula.example".to_owned(),
            ..CustomerSpec::named("=SUM(A1)")
        },
    );
    let exporter = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let exported = export(&app, &exporter).await;
    assert!(exported.contains("'=SUM(A1)"), "formulas are defused");

    let importer = signed_in_owner(&app, &fabrikam, "owner@fabrikam.example", Lang::En).await;
    let (page, _) = import(&app, &importer, exported.clone().into_bytes()).await;
    assert_eq!(state_of(&page), "done", "{page}");
    assert!(page.contains("3 customers imported."), "{page}");

    let reimported = export(&app, &importer).await;
    assert_eq!(comparable(&reimported), comparable(&exported));
    assert!(
        reimported.contains(",creating,"),
        "new accounts wait for activation"
    );
    let (_, list) = page_of(&importer, &app, "/partner/customers").await;
    assert_eq!(listed_total(&list), Some(3));
    let activation = app
        .mail
        .wait_for_to("contact@northwind-traders.example", 1)
        .await;
    assert_eq!(
        activation.len(),
        1,
        "the administrator is sent the activation email"
    );

    // The same file again: every domain is already there, so nothing is added.
    let (page, _) = import(&app, &importer, exported.into_bytes()).await;
    assert_eq!(state_of(&page), "invalid");
    assert_eq!(
        page.matches("A customer with this primary domain is already in your list.")
            .count(),
        3
    );
    let (_, list) = page_of(&importer, &app, "/partner/customers").await;
    assert_eq!(listed_total(&list), Some(3));

    // The import and its page are Fabrikam's own.
    let imports: Vec<String> = customer_imports::table
        .filter(customer_imports::partner_id.eq(&fabrikam))
        .select(customer_imports::id)
        .load(&mut app.conn())
        .expect("imports");
    assert_eq!(imports.len(), 2);
    let (status, _) = page_of(
        &exporter,
        &app,
        &format!("/partner/customers/import/{}", imports[0]),
    )
    .await;
    assert_eq!(status, 404, "another partner's import is not found");
}

/// (line, column, message) of each problem on an import page.
fn problems_on(page: &str) -> Vec<(String, String, String)> {
    regex::Regex::new(
        r#"<tr data-line="(\d+)" data-column="(\w+)">\s*<td>[^<]*</td>\s*<td><code>\w+</code></td>\s*<td>([^<]+)</td>"#,
    )
    .expect("regex")
    .captures_iter(page)
    .map(|c| (c[1].to_owned(), c[2].to_owned(), unescape(&c[3])))
    .collect()
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_each_problem_in_english_and_french() {
    for (lang, required, invalid, taken, repeated, yes_no, summary) in [
        (
            Lang::En,
            "This field is required.",
            "This value is not valid.",
            "A customer with this primary domain is already in your list.",
            "This primary domain appears on an earlier row of the file.",
            "Write yes or no.",
            "Nothing was imported. Rows to fix: 6 of 7;",
        ),
        (
            Lang::Fr,
            "Ce champ est obligatoire.",
            "Cette valeur n'est pas valide.",
            "Un client avec ce domaine principal est déjà dans votre liste.",
            "Ce domaine principal figure déjà sur une ligne précédente du fichier.",
            "Écrivez oui ou non.",
            "Rien n'a été importé. Lignes à corriger : 6 sur 7 ;",
        ),
    ] {
        let app = spawn_app().await;
        let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
        app.customer(&contoso, &CustomerSpec::named("Existing"));
        let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", lang).await;
        let file = format!(
            "{HEADER},managed_order\n\
             Good One,good.example,FR,1 rue A,Paris,Ann Lee,ann@good.example,no\n\
             Bad Domain,not a domain,FR,1 rue B,Paris,Bob Ray,bob@bad.example,no\n\
             No City,nocity.example,FR,1 rue C,,Cy Dee,cy@nocity.example,yes\n\
             Taken,existing.example,FR,1 rue D,Lyon,Di Eve,di@taken.example,no\n\
             Again,GOOD.example,FR,1 rue E,Nice,Ed Fox,ed@again.example,no\n\
             Maybe,maybe.example,FR,1 rue F,Nice,Fa Gil,fa@maybe.example,perhaps\n\
             No Country,nocountry.example,,1 rue G,Nice,Gi Ho,not-an-email,no\n"
        );
        let (page, _) = import(&app, &owner, file.into_bytes()).await;
        assert_eq!(state_of(&page), "invalid", "{page}");
        let problems = problems_on(&page);
        let expected = [
            ("3", "primary_domain", invalid),
            ("4", "city", required),
            ("5", "primary_domain", taken),
            ("6", "primary_domain", repeated),
            ("7", "managed_order", yes_no),
        ];
        for (line, column, message) in expected {
            assert!(
                problems
                    .iter()
                    .any(|p| p.0 == line && p.1 == column && p.2 == message),
                "row {line} {column}: {message} in {problems:?}"
            );
        }
        assert!(
            unescape(&page).contains(summary),
            "six distinct rows of seven have problems: {page}"
        );
        assert!(problems.iter().any(|p| p.0 == "8" && p.1 == "country"));
        assert!(
            problems
                .iter()
                .any(|p| p.0 == "8" && p.1 == "contact_email")
        );
        assert!(
            !problems.iter().any(|p| p.0 == "2"),
            "the good row has no problem"
        );
        let (_, list) = page_of(&owner, &app, "/partner/customers").await;
        assert_eq!(listed_total(&list), Some(1), "nothing was imported");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !app.mail
                .received()
                .iter()
                .any(|email| email.to.iter().any(|to| to.ends_with("@good.example"))),
            "no activation email for a refused file"
        );
    }
}

#[tokio::test]
async fn an_unusable_file_is_refused_next_to_the_file_field_in_english_and_french() {
    let file_error = regex::Regex::new(r#"id="file-error">([^<]+)<"#).expect("regex");
    for (lang, missing, not_utf8, no_file) in [
        (
            Lang::En,
            "The file lacks these columns: country, address_line1, contact_name, contact_email.",
            "The file is not UTF-8 text.",
            "Choose a CSV file.",
        ),
        (
            Lang::Fr,
            "Il manque ces colonnes au fichier : country, address_line1, contact_name, contact_email.",
            "Le fichier n'est pas du texte UTF-8.",
            "Choisissez un fichier CSV.",
        ),
    ] {
        let app = spawn_app().await;
        let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
        let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", lang).await;
        for (file, message) in [
            (
                b"name,primary_domain,city\nA,a.example,Paris\n".to_vec(),
                missing,
            ),
            (b"name\xff\xfe,x\n".to_vec(), not_utf8),
            (Vec::new(), no_file),
        ] {
            let response = upload(&app, &owner, "customers.csv", file).await;
            assert_eq!(response.status(), 200);
            let page = response.text().await.expect("body");
            let error = file_error
                .captures(&page)
                .map(|c| unescape(&c[1]))
                .expect("a message next to the file field");
            assert!(error.starts_with(message), "{error}");
        }
        let imports: i64 = customer_imports::table
            .count()
            .get_result(&mut app.conn())
            .expect("count");
        assert_eq!(imports, 0, "a refused file starts no import");
    }
}

#[tokio::test]
async fn an_upload_without_its_token_is_refused() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let file = format!("{HEADER}\nA,a.example,FR,1 rue A,Paris,Ann Lee,ann@a.example\n");
    let part = reqwest::multipart::Part::bytes(file.into_bytes()).file_name("a.csv");
    let response = owner
        .post(app.url("/partner/customers/import"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_large_file_is_checked_in_batches_then_imported_whole() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let rows = 1_200;
    let mut file = format!("{HEADER},billing_type,subscription_term\n");
    for n in 0..rows {
        file.push_str(&format!(
            "Customer {n:04},customer-{n}.example,DE,Hauptstraße {n},Berlin,Person {n},person{n}@customer-{n}.example,monthly_usage,annual\n"
        ));
    }
    let (page, seen) = import(&app, &owner, file.into_bytes()).await;
    assert_eq!(state_of(&page), "done", "{page}");
    assert!(page.contains("1,200 customers imported."));
    // Whatever was seen on the way only ever moved forward.
    let checked: Vec<i64> = seen
        .iter()
        .filter_map(|p| {
            regex::Regex::new(r#"<progress value="(\d+)" max="1200">"#)
                .expect("regex")
                .captures(p)
                .map(|c| c[1].parse().expect("number"))
        })
        .collect();
    assert!(checked.windows(2).all(|w| w[0] <= w[1]), "{checked:?}");
    // Batches of 250; the last one may be seen counted before the import
    // itself starts.
    assert!(
        checked.iter().all(|c| c % 250 == 0 || *c == 1200),
        "{checked:?}"
    );
    let (_, list) = page_of(&owner, &app, "/partner/customers?q=customer-1199").await;
    assert_eq!(listed_total(&list), Some(1));
    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert_eq!(listed_total(&list), Some(1200));
}

#[tokio::test]
async fn an_export_with_ended_trials_imports_back_as_is() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    for name in ["Ended Long Ago", "Ended Yesterday", "Still Trying"] {
        app.customer(
            &contoso,
            &CustomerSpec {
                billing: BillingType::Trial,
                ..CustomerSpec::named(name)
            },
        );
    }
    let today = app.clock_now().date();
    for (domain, ended) in [
        (
            "ended-long-ago.example",
            today - chrono::Duration::days(400),
        ),
        ("ended-yesterday.example", today - chrono::Duration::days(1)),
    ] {
        diesel::update(customer_accounts::table)
            .filter(customer_accounts::primary_domain.eq(domain))
            .set(customer_accounts::trial_ends_on.eq(Some(ended)))
            .execute(&mut app.conn())
            .expect("a trial that has ended");
    }
    let exporter = signed_in_owner(&app, &contoso, "owner@contoso.example", Lang::En).await;
    let exported = export(&app, &exporter).await;
    let ended = (today - chrono::Duration::days(400))
        .format("%Y-%m-%d")
        .to_string();
    assert!(exported.contains(&ended), "{exported}");

    let importer = signed_in_owner(&app, &fabrikam, "owner@fabrikam.example", Lang::En).await;
    let (page, _) = import(&app, &importer, exported.clone().into_bytes()).await;
    assert_eq!(state_of(&page), "done", "{page}");
    assert!(page.contains("3 customers imported."), "{page}");
    assert_eq!(
        comparable(&export(&app, &importer).await),
        comparable(&exported),
        "the ended trials come back as they were"
    );
}

/// A file of `rows` valid customers.
fn valid_file(rows: usize) -> String {
    let mut file = format!("{HEADER},billing_type\n");
    for n in 0..rows {
        file.push_str(&format!(
            "Customer {n:04},customer-{n}.example,FR,{n} rue de Rivoli,Paris,Person {n},person{n}@customer-{n}.example,monthly_usage\n"
        ));
    }
    file
}

fn customers_of(app: &TestApp, partner_id: &str) -> i64 {
    customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn imports_logged(app: &TestApp, partner_id: &str) -> i64 {
    activity_log::table
        .filter(activity_log::partner_id.eq(partner_id))
        .filter(activity_log::action.eq(Action::CustomersImported.as_str()))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

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
    tokio::time::sleep(Duration::from_millis(500)).await;
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
    let third = app.another_instance();
    tokio::time::sleep(Duration::from_millis(500)).await;
    third.stop().await;
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

#[tokio::test]
async fn the_import_page_tells_each_state_in_english_and_french() {
    let english = [
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
    let french = [
        "En attente : la vérification commence dans un instant.",
        "Vérification des lignes : 2 sur 4.",
        "Le serveur qui traitait cet import s'est arrêté avant la fin. Rien n'a été importé ; l'import reprend depuis le début dans un instant.",
        "Les 4 lignes sont valides. Import en cours…",
        "4 clients importés.",
        "Rien n'a été importé. Lignes à corriger : 2 sur 4 ; 3 problèmes relevés.",
        "L'import a été interrompu trop de fois et a été abandonné ; rien n'a été importé.",
        "L'import s'est arrêté sur une erreur inattendue ; rien n'a été importé.",
    ];
    for lang in [Lang::En, Lang::Fr] {
        // The worker only looks when woken or every hour: the rows below stay
        // as they are written.
        let app = spawn_app_with(|settings| {
            settings.jobs.poll_interval = Duration::from_secs(3600);
        })
        .await;
        let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
        // Signing in gives the worker's first look, at start, time to pass.
        let owner = signed_in_owner(&app, &contoso, "owner@contoso.example", lang).await;
        let membership = app.active_member_id(&contoso, "owner@contoso.example");
        insert_states(&app, &contoso, &membership);
        for ((id, shown, english, refreshes), french) in english.iter().zip(french) {
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
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    // The demo's customers, some of them months old: trials among them have
    // ended.
    partnerdesk::customers::seed::generate(
        &mut app.conn(),
        app.clock_now() - chrono::Duration::days(120),
        &partnerdesk::customers::seed::SeedOptions {
            partner_id: contoso.clone(),
            count: 300,
            groups: &[],
            seed: 2026,
        },
    )
    .expect("seeded");
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
