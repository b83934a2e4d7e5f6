//! Customer search gives the same customers, in the same order and with the
//! same totals, on SQLite (its trigram index) and on PostgreSQL (`pg_trgm`),
//! over the same data. Runs where the PostgreSQL pass of the suite runs.

use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::customers::{listed_names, listed_total, page_of};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{POSTGRES_URL_VAR, TestApp, spawn_app, spawn_app_with};

/// Names that test accents, case, punctuation and short words.
const HAND_MADE: &[&str] = &[
    "Société Générale d'Équipement",
    "SOCIETE GENERALE Services",
    "Müller & Söhne",
    "Mueller Logistics",
    "O'Brien Dental",
    "Ober Dental Clinic",
    "Zoë Café",
    "ABC 123",
    "A.B.C. Consulting",
    "Straße Bau",
    "100% Organic",
    "under_score Ltd",
];

const QUERIES: &[&str] = &[
    "q=soc",
    "q=soci%C3%A9t%C3%A9",
    "q=SOCIETE",
    "q=m%C3%BCller",
    "q=muell",
    "q=dental",
    "q=o%27b",
    "q=zo%C3%AB",
    "q=caf",
    "q=123",
    "q=a.b",
    "q=stra%C3%9Fe",
    "q=100%25",
    "q=under_",
    "q=e&page=2",
    "q=ab",
    "q=er&sort=created",
    "q=ne&sort=state&page=2",
    "q=dental%20clinic",
    "q=zzyzx",
];

/// Each query's total and the names on its page, as the list shows them.
async fn searched(app: &TestApp) -> Vec<(String, Option<i64>, Vec<String>)> {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.seeded_customers(&partner, app.clock_now(), 400, &["Retail"], 23);
    for (minutes, name) in HAND_MADE.iter().enumerate() {
        let mut spec = CustomerSpec::named(name);
        spec.domain = format!("customer-{minutes}.example");
        spec.age_minutes = minutes as i64;
        app.customer(&partner, &spec);
    }
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let mut results = Vec::new();
    for query in QUERIES {
        let (status, page) = page_of(&owner, app, &format!("/partner/customers?{query}")).await;
        assert_eq!(status, 200, "{query}");
        results.push((query.to_string(), listed_total(&page), listed_names(&page)));
    }
    results
}

#[tokio::test]
async fn search_finds_the_same_customers_on_sqlite_and_postgresql() {
    if std::env::var(POSTGRES_URL_VAR).is_ok_and(|url| !url.is_empty()) {
        let postgres = spawn_app().await;
        let sqlite = spawn_app_with(|settings| {
            let file = settings.data_dir.join("beside-postgres.db");
            settings.database_url = format!("sqlite://{}", file.display());
        })
        .await;
        assert!(postgres.settings.database_url.starts_with("postgres"));
        let on_postgres = searched(&postgres).await;
        let on_sqlite = searched(&sqlite).await;
        for (pg, lite) in on_postgres.iter().zip(&on_sqlite) {
            assert_eq!(pg, lite, "PostgreSQL, then SQLite");
        }
        // The queries are worth comparing: some find many, some few, one none.
        assert!(
            on_sqlite
                .iter()
                .any(|(_, total, _)| total.unwrap_or(0) > 50)
        );
        assert!(
            on_sqlite
                .iter()
                .any(|(_, total, _)| (1..5).contains(&total.unwrap_or(0)))
        );
    } else {
        eprintln!("skipped: set {POSTGRES_URL_VAR} to compare search on both backends");
    }
}
