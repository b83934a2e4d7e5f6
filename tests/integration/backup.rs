//! `partnerdesk backup` of a running instance under write load, and
//! `partnerdesk restore` into a new data folder, through the binary as an
//! operator runs it.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use partnerdesk::db::schema::customer_groups;
use partnerdesk::i18n::Lang;

use crate::customer_import::signed_in_owner;
use crate::helpers::{TestApp, spawn_app};

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
    let writer = GroupWriter::start(&app, &owner).await;
    while writer.acknowledged() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before: Vec<String> = writer.names();
    let backed_up = tokio::task::spawn_blocking({
        let (dir, url, file_arg) = (backup_dir.path().to_owned(), url.clone(), file_arg.clone());
        move || partnerdesk(&["backup", &file_arg], &dir, Some(&url))
    })
    .await
    .expect("the backup ran");
    let during = writer.stop().await;
    assert!(backed_up.status.success(), "{}", said(&backed_up));
    assert!(said(&backed_up).contains("Backed up to"));
    let new_home = tempfile::tempdir().expect("temp dir");
    let restored = partnerdesk(&["restore", &file_arg], new_home.path(), None);
    assert!(restored.status.success(), "{}", said(&restored));
    let names = group_names(&new_home.path().join("partnerdesk.db"));
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

/// Creates groups one after another until stopped, keeping the names whose
/// creation was acknowledged.
struct GroupWriter {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl GroupWriter {
    async fn start(app: &TestApp, owner: &reqwest::Client) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
        let (app_url, owner, stopped, written) = (
            app.url("/partner/groups"),
            owner.clone(),
            stop.clone(),
            acknowledged.clone(),
        );
        let csrf = app.csrf_token_of(&owner).await;
        let task = tokio::spawn(async move {
            let mut n = 0;
            while !stopped.load(Ordering::SeqCst) {
                n += 1;
                let name = format!("Group {n}");
                let form = [("name", name.as_str()), ("csrf_token", csrf.as_str())];
                let answer = owner.post(&app_url).form(&form).send().await;
                if answer.is_ok_and(|a| a.status() == 303) {
                    written.lock().expect("lock").push(name);
                }
            }
        });
        GroupWriter {
            stop,
            acknowledged,
            task,
        }
    }

    fn acknowledged(&self) -> usize {
        self.acknowledged.lock().expect("lock").len()
    }

    fn names(&self) -> Vec<String> {
        self.acknowledged.lock().expect("lock").clone()
    }

    /// Stops at once; how many were acknowledged until then.
    async fn stop(self) -> usize {
        let during = self.acknowledged();
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.expect("the writer");
        during
    }
}

/// The names of the groups in the SQLite database at `path`.
fn group_names(path: &Path) -> Vec<String> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open");
    customer_groups::table
        .select(customer_groups::name)
        .load(&mut conn)
        .expect("groups")
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
