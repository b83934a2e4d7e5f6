//! `partnerdesk backup` of a running instance under write load, and
//! `partnerdesk restore` into a new data folder, through the binary as an
//! operator runs it.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use diesel::prelude::*;
use partnerdesk::db::schema::customer_groups;
use partnerdesk::i18n::Lang;

use crate::customer_import::signed_in_owner;
use crate::helpers::spawn_app;

/// Runs the binary with `args` on the database at `database_url`.
fn partnerdesk(args: &[&str], data_dir: &Path, database_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    command
        .args(args)
        .env("PARTNERDESK_DATA_DIR", data_dir)
        .env_remove("PARTNERDESK_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = database_url {
        command.env("PARTNERDESK_DATABASE_URL", url);
    }
    command.output().expect("run partnerdesk")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn a_backup_taken_under_writes_restores_every_write_acknowledged_before_it() {
    let app = spawn_app().await;
    let backup_dir = tempfile::tempdir().expect("temp dir");
    let file = backup_dir.path().join("partnerdesk.db.gz");
    let file_arg = file.to_string_lossy().into_owned();
    let url = app.settings.database_url.clone();
    if !url.starts_with("sqlite://") {
        let refused = partnerdesk(&["backup", &file_arg], backup_dir.path(), Some(&url));
        assert!(!refused.status.success());
        assert!(said(&refused).contains("pg_dump"), "{}", said(&refused));
        assert!(!file.exists());
        return;
    }
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let owner = signed_in_owner(&app, &partner, "owner@contoso.example", Lang::En).await;

    // Groups are created one after another, each acknowledged by its 303,
    // before, during and after the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let writer = {
        let (app_url, owner, stop, acknowledged) = (
            app.url("/partner/groups"),
            owner.clone(),
            stop.clone(),
            acknowledged.clone(),
        );
        let csrf = app.csrf_token_of(&owner).await;
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let name = format!("Group {n}");
                let form = [("name", name.as_str()), ("csrf_token", csrf.as_str())];
                let answer = owner.post(&app_url).form(&form).send().await;
                if answer.is_ok_and(|a| a.status() == 303) {
                    acknowledged.lock().expect("lock").push(name);
                }
            }
        })
    };
    while acknowledged.lock().expect("lock").len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("lock").clone();
    let backed_up = tokio::task::spawn_blocking({
        let (dir, url, file_arg) = (backup_dir.path().to_owned(), url.clone(), file_arg.clone());
        move || partnerdesk(&["backup", &file_arg], &dir, Some(&url))
    })
    .await
    .expect("the backup ran");
    let during = acknowledged.lock().expect("lock").len();
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("the writer");
    assert!(backed_up.status.success(), "{}", said(&backed_up));
    assert!(said(&backed_up).contains("Backed up to"));
    let new_home = tempfile::tempdir().expect("temp dir");
    let restored = partnerdesk(&["restore", &file_arg], new_home.path(), None);
    assert!(restored.status.success(), "{}", said(&restored));
    let restored_url = new_home.path().join("partnerdesk.db");
    let mut conn = SqliteConnection::establish(&restored_url.to_string_lossy()).expect("open");
    let names: Vec<String> = customer_groups::table
        .select(customer_groups::name)
        .load(&mut conn)
        .expect("groups");
    for name in &before {
        assert!(
            names.contains(name),
            "{name} was acknowledged before the backup"
        );
    }
    assert!(names.len() <= during, "nothing that was never written");

    let again = partnerdesk(&["restore", &file_arg], new_home.path(), None);
    assert!(
        !again.status.success(),
        "a database in place is never replaced"
    );
    assert!(said(&again).contains("already exists"), "{}", said(&again));
    let twice = partnerdesk(&["backup", &file_arg], backup_dir.path(), Some(&url));
    assert!(
        !twice.status.success(),
        "a backup file is never overwritten"
    );
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let not_gzip = dir.path().join("notes.gz");
    std::fs::write(&not_gzip, "not a backup").expect("write");
    let home = dir.path().join("home");
    let refused = partnerdesk(&["restore", &not_gzip.to_string_lossy()], &home, None);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("not a Partnerdesk backup"),
        "{}",
        said(&refused)
    );
    assert!(!home.join("partnerdesk.db").exists());
    assert!(!home.join("partnerdesk.db.restoring").exists());
}
