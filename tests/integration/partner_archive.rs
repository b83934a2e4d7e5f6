//! `partnerdesk export-partner` and `import-partner`, through the binary as an
//! operator runs them: a rich partner moves to a fresh instance with every
//! row, its owner signs in there, `check` finds nothing to recompute, the
//! archive holds nothing of another partner, and whatever is refused leaves
//! nothing behind.

use std::path::Path;

use diesel::prelude::*;
use partnerdesk::db::DbConnection;
use partnerdesk::db::partner_archive::{self, tables::CARRIED};
use partnerdesk::db::schema::{logins, memberships};
use serde_json::Value;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, run_cli, spawn_app};
use crate::partner_archive_fixture::{
    RichPartner, read_archive, rich_partner, rows_of, said, table_sizes, write_archive,
};

/// Every id of `partner`'s own rows that another partner's archive must not hold.
fn ids_of(app: &TestApp, partner: &RichPartner) -> Vec<String> {
    let mut conn = app.conn();
    let mut ids = vec![partner.id.clone()];
    ids.extend(partner.customers.iter().cloned());
    let people: Vec<(String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(
            memberships::partner_id
                .eq(&partner.id)
                .or(memberships::customer_id.eq_any(&partner.customers)),
        )
        .select((memberships::id, logins::id))
        .load(&mut conn)
        .expect("people");
    for (membership, login) in people {
        ids.extend([membership, login]);
    }
    ids
}

async fn exported(app: &TestApp, partner: &RichPartner, file: &Path) {
    let output = run_cli(
        app,
        &["export-partner", &partner.id, &file.to_string_lossy()],
    );
    assert!(output.status.success(), "{}", said(&output));
    assert!(
        said(&output).contains("keep it like a backup"),
        "{}",
        said(&output)
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file)
        .expect("the file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only its owner reads it");
}

#[tokio::test]
async fn a_partner_moves_to_a_fresh_instance_with_every_row_and_only_its_own() {
    let source = spawn_app().await;
    let contoso = rich_partner(&source, "Contoso", "contoso").await;
    let fabrikam = rich_partner(&source, "Fabrikam", "fabrikam").await;
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("contoso.partner.gz");
    exported(&source, &contoso, &file).await;

    let (header, sections) = read_archive(&file);
    assert_eq!(header["partner_id"], contoso.id.as_str());
    assert_eq!(header["format_version"], 1);
    let foreign_ids = ids_of(&source, &fabrikam);
    for (table, rows) in &sections {
        assert!(!rows.is_empty(), "the fixture gives {table} a row");
        for row in rows {
            let text = Value::Object(row.clone()).to_string();
            for foreign in &foreign_ids {
                assert!(
                    !text.contains(foreign.as_str()),
                    "{table} holds {foreign} of Fabrikam: {text}"
                );
            }
        }
    }
    let tables: Vec<&str> = sections.iter().map(|(t, _)| t.as_str()).collect();
    let carried: Vec<&str> = CARRIED.iter().map(|c| c.table).collect();
    assert_eq!(tables, carried);

    let target = spawn_app().await;
    for (name, kind, price, months) in &contoso.offers {
        target.offer(name, kind, price, *months);
    }
    let imported = run_cli(&target, &["import-partner", &file.to_string_lossy()]);
    assert!(imported.status.success(), "{}", said(&imported));
    assert!(
        said(&imported).contains("Imported Contoso"),
        "{}",
        said(&imported)
    );

    assert_eq!(
        rows_of(&mut target.conn(), &contoso.id),
        rows_of(&mut source.conn(), &contoso.id),
        "every carried row arrives as it was"
    );
    let sizes = table_sizes(&mut target.conn());
    for ((table, size), (_, rows)) in sizes.iter().zip(&sections) {
        assert_eq!(
            *size as usize,
            rows.len(),
            "{table} holds the archive's rows, no more"
        );
    }
    the_target_works_and_refuses_a_second_import(&target, &contoso, &file).await;
}

async fn the_target_works_and_refuses_a_second_import(
    target: &TestApp,
    contoso: &RichPartner,
    file: &Path,
) {
    let check = run_cli(target, &["check"]);
    assert!(check.status.success(), "{}", said(&check));
    assert!(
        said(&check).contains("Derived data matches"),
        "{}",
        said(&check)
    );

    let owner = target.browser_signed_in(&contoso.owner, PASSWORD).await;
    let list = owner
        .get(target.url("/partner/customers"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    for name in &contoso.customer_names {
        assert!(list.contains(name.as_str()), "{name} is listed: {list}");
    }

    let sizes = table_sizes(&mut target.conn());
    let again = run_cli(target, &["import-partner", &file.to_string_lossy()]);
    assert!(!again.status.success(), "a second import is refused");
    assert!(
        said(&again).contains("Contoso") && said(&again).contains("already in this instance"),
        "{}",
        said(&again)
    );
    assert_eq!(
        table_sizes(&mut target.conn()),
        sizes,
        "nothing half-written"
    );
    let over = run_cli(
        target,
        &["export-partner", &contoso.id, &file.to_string_lossy()],
    );
    assert!(!over.status.success(), "an archive is never overwritten");
    assert!(said(&over).contains("already exists"), "{}", said(&over));
}

#[tokio::test]
async fn a_missing_offer_or_a_person_already_there_refuses_the_import_naming_it() {
    let source = spawn_app().await;
    let contoso = rich_partner(&source, "Contoso", "contoso").await;
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("contoso.partner.gz");
    exported(&source, &contoso, &file).await;
    let file = file.to_string_lossy().into_owned();

    let target = spawn_app().await;
    let empty = table_sizes(&mut target.conn());
    let no_offer = run_cli(&target, &["import-partner", &file]);
    assert!(!no_offer.status.success());
    assert!(
        said(&no_offer).contains("no offer like")
            && said(&no_offer).contains("Usage contoso (usage_subscription, 450 cents EUR"),
        "{}",
        said(&no_offer)
    );
    assert_eq!(
        table_sizes(&mut target.conn()),
        empty,
        "nothing was written"
    );
    for (name, kind, price, months) in &contoso.offers {
        target.offer(name, kind, price, *months);
    }
    // Someone of another organisation here has the same username as
    // Contoso's agent: never the same person by default.
    let northwind = target.invite_partner_owner(
        "Northwind",
        "nora@northwind.example",
        partnerdesk::i18n::Lang::En,
    );
    target.active_member(
        &northwind,
        "agent@contoso.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    let before = table_sizes(&mut target.conn());
    let person = run_cli(&target, &["import-partner", &file]);
    assert!(!person.status.success());
    assert!(
        said(&person).contains("agent@contoso.example") && said(&person).contains("never merges"),
        "{}",
        said(&person)
    );
    assert_eq!(
        table_sizes(&mut target.conn()),
        before,
        "nothing was written"
    );
    let organisations: i64 = partnerdesk::db::schema::partner_organisations::table
        .find(&contoso.id)
        .count()
        .get_result(&mut target.conn())
        .expect("count");
    assert_eq!(organisations, 0, "nothing of Contoso was written");
}

#[tokio::test]
async fn an_unknown_format_a_newer_schema_or_a_cut_archive_is_refused() {
    let source = spawn_app().await;
    let (partner, _) = source
        .contoso_owner_signed_in(partnerdesk::i18n::Lang::En)
        .await;
    let folder = tempfile::tempdir().expect("temp dir");
    let good = folder.path().join("good.gz");
    let output = run_cli(
        &source,
        &["export-partner", &partner, &good.to_string_lossy()],
    );
    assert!(output.status.success(), "{}", said(&output));
    let (header, sections) = read_archive(&good);
    let target = spawn_app().await;
    let empty = table_sizes(&mut target.conn());
    let refused = |header: &Value, end: bool, expected: &str| {
        let file = folder.path().join("changed.gz");
        let _ = std::fs::remove_file(&file);
        write_archive(&file, header, &sections, end);
        let output = run_cli(&target, &["import-partner", &file.to_string_lossy()]);
        assert!(!output.status.success(), "{expected}");
        assert!(said(&output).contains(expected), "{}", said(&output));
    };
    let mut future = header.clone();
    future["format_version"] = 2.into();
    refused(&future, true, "format version 2 is unknown");
    let mut newer = header.clone();
    newer["schema_version"] = "99991231000000".into();
    refused(&newer, true, "from a newer schema");
    refused(&header, false, "cut short");
    assert_eq!(
        table_sizes(&mut target.conn()),
        empty,
        "nothing was written"
    );

    let text = folder.path().join("notes.gz");
    std::fs::write(&text, "not an archive").expect("write");
    let output = run_cli(&target, &["import-partner", &text.to_string_lossy()]);
    assert!(
        said(&output).contains("not a partner archive"),
        "{}",
        said(&output)
    );
    let unknown = run_cli(
        &source,
        &[
            "export-partner",
            "no-such-id",
            &folder.path().join("x.gz").to_string_lossy(),
        ],
    );
    assert!(
        said(&unknown).contains("no partner organisation has the id"),
        "{}",
        said(&unknown)
    );
    assert!(
        !folder.path().join("x.gz").exists(),
        "a failed export leaves no file"
    );
}

#[tokio::test]
async fn every_table_is_carried_or_listed_as_left_behind() {
    use partnerdesk::db::partner_archive::tables::{COLUMNS_NOT_CARRIED, NOT_CARRIED};
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let app = spawn_app().await;
    let mut conn = app.conn();
    let sql = match &*conn {
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        DbConnection::Postgres(_) => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let tables: Vec<Table> = diesel::sql_query(sql).load(&mut conn).expect("tables");
    for Table { name } in &tables {
        let carried = CARRIED.iter().any(|c| c.table == name);
        let left = NOT_CARRIED.iter().any(|(table, _)| table == name);
        assert!(
            carried != left,
            "{name}: carried or left behind, and only one"
        );
    }
    for (table, column) in COLUMNS_NOT_CARRIED {
        let columns = partner_archive::columns(&mut conn, table).expect("columns");
        assert!(
            columns.iter().any(|(c, _)| c == column),
            "{table}.{column} exists"
        );
    }
}

/// An app on a SQLite file of its own in `folder`, whatever backend the
/// suite runs on.
async fn sqlite_app(folder: &Path) -> TestApp {
    let url = format!("sqlite://{}", folder.join("partnerdesk.db").display());
    crate::helpers::spawn_app_with(move |settings| settings.database_url = url).await
}

/// Exports Contoso from `source`, imports it into `target` (which has the
/// offers), and compares every row; `check` on the target finds nothing.
async fn moved(source: &TestApp, contoso: &RichPartner, target: &TestApp, file: &Path) {
    exported(source, contoso, file).await;
    for (name, kind, price, months) in &contoso.offers {
        target.offer(name, kind, price, *months);
    }
    let imported = run_cli(target, &["import-partner", &file.to_string_lossy()]);
    assert!(imported.status.success(), "{}", said(&imported));
    assert_eq!(
        rows_of(&mut target.conn(), &contoso.id),
        rows_of(&mut source.conn(), &contoso.id),
        "every carried row arrives as it was"
    );
    let check = run_cli(target, &["check"]);
    assert!(check.status.success(), "{}", said(&check));
    target.browser_signed_in(&contoso.owner, PASSWORD).await;
}

#[tokio::test]
async fn a_partner_moves_from_sqlite_to_postgresql_and_back() {
    if std::env::var(crate::helpers::POSTGRES_URL_VAR).is_err() {
        eprintln!("skipped: PARTNERDESK_TEST_POSTGRES_URL is not set");
        return;
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let sqlite_source = sqlite_app(&folder.path().join("a")).await;
    let contoso = rich_partner(&sqlite_source, "Contoso", "contoso").await;
    let postgres_target = spawn_app().await;
    let file = folder.path().join("to-postgres.gz");
    moved(&sqlite_source, &contoso, &postgres_target, &file).await;

    let postgres_source = spawn_app().await;
    let fabrikam = rich_partner(&postgres_source, "Fabrikam", "fabrikam").await;
    let sqlite_target = sqlite_app(&folder.path().join("b")).await;
    let file = folder.path().join("to-sqlite.gz");
    moved(&postgres_source, &fabrikam, &sqlite_target, &file).await;
}

#[tokio::test]
async fn a_reference_to_another_organisation_is_cleared_or_refuses_the_export() {
    use crate::helpers::customers::CustomerSpec;
    use partnerdesk::customers::LicenceStatus;
    use partnerdesk::db::schema::licences;
    let app = spawn_app().await;
    let en = partnerdesk::i18n::Lang::En;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", en);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fred@fabrikam.example", en);
    app.active_member(
        &fabrikam,
        "owner@fabrikam.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    let customer = app.customer(&contoso, &CustomerSpec::named("Adatum"));
    let licence = app.licence(&customer, "Backup", 5, LicenceStatus::Active);
    diesel::update(licences::table.find(&licence))
        .set(licences::supplied_by_partner_id.eq(&fabrikam))
        .execute(&mut app.conn())
        .expect("supplied by Fabrikam");
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("contoso.gz");
    let output = run_cli(&app, &["export-partner", &contoso, &file.to_string_lossy()]);
    assert!(output.status.success(), "{}", said(&output));
    let (_, sections) = read_archive(&file);
    let (_, carried) = sections
        .iter()
        .find(|(t, _)| t == "licences")
        .expect("licences");
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0]["supplied_by_partner_id"], Value::Null, "cleared");
    for (table, rows) in &sections {
        let text = serde_json::to_string(rows).expect("JSON");
        assert!(!text.contains(&fabrikam), "{table} names Fabrikam");
    }

    // Someone of Fabrikam opened a request of Contoso's customer: the
    // archive would carry a person of another organisation.
    let request = app.service_request(&customer, "owner@fabrikam.example", "Foreign");
    let refused = folder.path().join("refused.gz");
    let output = run_cli(
        &app,
        &["export-partner", &contoso, &refused.to_string_lossy()],
    );
    assert!(!output.status.success());
    assert!(
        said(&output).contains(&format!(
            "service_requests.opened_by_login_id of row {request}"
        )),
        "{}",
        said(&output)
    );
    assert!(!refused.exists(), "a refused export leaves no file");
}

#[tokio::test]
async fn a_changed_archive_cannot_attach_anyone_already_in_the_target() {
    let source = spawn_app().await;
    let (partner, _) = source
        .contoso_owner_signed_in(partnerdesk::i18n::Lang::En)
        .await;
    let folder = tempfile::tempdir().expect("temp dir");
    let good = folder.path().join("good.gz");
    let output = run_cli(
        &source,
        &["export-partner", &partner, &good.to_string_lossy()],
    );
    assert!(output.status.success(), "{}", said(&output));
    let (header, mut sections) = read_archive(&good);

    let target = spawn_app().await;
    let northwind = target.invite_partner_owner(
        "Northwind",
        "nora@northwind.example",
        partnerdesk::i18n::Lang::En,
    );
    target.active_member(
        &northwind,
        "victim@northwind.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    let victim: String = logins::table
        .filter(logins::username_key.eq("victim@northwind.example"))
        .select(logins::id)
        .first(&mut target.conn())
        .expect("the victim");
    let (_, memberships) = sections
        .iter_mut()
        .find(|(t, _)| t == "memberships")
        .expect("memberships");
    memberships[0].insert("login_id".to_owned(), Value::String(victim.clone()));
    let changed = folder.path().join("changed.gz");
    write_archive(&changed, &header, &sections, true);
    let before = table_sizes(&mut target.conn());
    let output = run_cli(&target, &["import-partner", &changed.to_string_lossy()]);
    assert!(
        !output.status.success(),
        "the victim is not attached to Contoso"
    );
    assert!(
        said(&output).contains(&format!("memberships.login_id names {victim}")),
        "{}",
        said(&output)
    );
    assert_eq!(
        table_sizes(&mut target.conn()),
        before,
        "nothing was written"
    );
}
