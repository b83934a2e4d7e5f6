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
use partnerdesk::db::schema::{activity_log, customer_accounts, customer_imports};
use partnerdesk::i18n::Lang;

use crate::customers::{listed_total, page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_frozen};

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

pub(crate) fn state_of(page: &str) -> String {
    regex::Regex::new(r#"<section id="import" data-state="(\w+)""#)
        .expect("regex")
        .captures(page)
        .map(|c| c[1].to_owned())
        .expect("an import page")
}

/// Uploads `file` and follows the import until it ends; returns the final page
/// and every page seen on the way.
pub(crate) async fn import(
    app: &TestApp,
    browser: &reqwest::Client,
    file: Vec<u8>,
) -> (String, Vec<String>) {
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

pub(crate) async fn signed_in_owner(
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

pub(crate) async fn export(app: &TestApp, browser: &reqwest::Client) -> String {
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
        assert!(
            !app.drain_outbox()
                .await
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
    let app = spawn_app_frozen().await;
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
pub(crate) fn valid_file(rows: usize) -> String {
    let mut file = format!("{HEADER},billing_type\n");
    for n in 0..rows {
        file.push_str(&format!(
            "Customer {n:04},customer-{n}.example,FR,{n} rue de Rivoli,Paris,Person {n},person{n}@customer-{n}.example,monthly_usage\n"
        ));
    }
    file
}

pub(crate) fn customers_of(app: &TestApp, partner_id: &str) -> i64 {
    customer_accounts::table
        .filter(customer_accounts::partner_id.eq(partner_id))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

pub(crate) fn imports_logged(app: &TestApp, partner_id: &str) -> i64 {
    activity_log::table
        .filter(activity_log::partner_id.eq(partner_id))
        .filter(activity_log::action.eq(Action::CustomersImported.as_str()))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}
