//! The background jobs in the operator's area (`/admin/jobs`): the customer
//! imports of every partner by state, the ones under way with their lease, the
//! failed ones with why (an import the worker gave up on), the queues of the
//! other workers; never a customer of an import's file.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::customer_imports;
use partnerdesk::i18n::Lang;

use crate::admin::operator_signed_in;
use crate::customers::unescape;

use crate::helpers::{TestApp, TestClock, spawn_app_with};

const FILE: &str = "name,country\nSecret Customer Ltd,FR\n";

/// An import of `partner_id` in `state`, started by its owner, with its lease
/// until `lease` and `attempts` claims so far.
fn import(
    app: &TestApp,
    (partner_id, owner_membership): (&str, &str),
    id: &str,
    state: &str,
    lease: Option<chrono::NaiveDateTime>,
    attempts: i32,
) {
    use partnerdesk::db::schema::memberships;
    let mut conn = app.conn();
    let login_id: String = memberships::table
        .find(owner_membership)
        .select(memberships::login_id)
        .first(&mut conn)
        .expect("the owner's login");
    diesel::insert_into(customer_imports::table)
        .values((
            customer_imports::id.eq(id),
            customer_imports::partner_id.eq(partner_id),
            customer_imports::created_by_login_id.eq(&login_id),
            customer_imports::state.eq(state),
            customer_imports::total_rows.eq(1),
            customer_imports::checked_rows.eq(0),
            customer_imports::imported_rows.eq(0),
            customer_imports::problems.eq(""),
            customer_imports::source.eq("secret-customers.csv"),
            customer_imports::created_at.eq(app.clock_now()),
            customer_imports::upload.eq(FILE),
            customer_imports::language.eq("en"),
            customer_imports::acting_membership_id.eq(Some(owner_membership)),
            customer_imports::actor_name.eq("Owner"),
            customer_imports::claim_token.eq(lease.map(|_| "an-instance")),
            customer_imports::locked_until.eq(lease),
            customer_imports::attempts.eq(attempts),
        ))
        .execute(&mut conn)
        .expect("an import");
}

fn count_of(page: &str, state: &str) -> String {
    let marker = format!("id=\"imports-{state}\" data-count=\"");
    let start = page.find(&marker).expect("the state's count") + marker.len();
    page[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_jobs_page_shows_imports_by_state_and_why_one_failed() {
    // The instance's worker looks only when woken or every hour: the rows
    // below stay as written, but for the one pass the test makes.
    let app = spawn_app_with(|settings| {
        settings.jobs.poll_interval = Duration::from_secs(3600);
    })
    .await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&contoso, "owner@contoso.example", PartnerRole::Owner);
    let owner = app.active_member_id(&contoso, "owner@contoso.example");
    let ours = (contoso.as_str(), owner.as_str());
    app.import_worker_idle().await;

    // An import whose instances kept stopping: the worker gives it up.
    let lapsed = app.clock_now() - chrono::Duration::seconds(1);
    import(&app, ours, "cursed", "checking", Some(lapsed), 3);
    app.import_pass(Arc::new(TestClock::running())).await;
    let state: String = customer_imports::table
        .find("cursed")
        .select(customer_imports::state)
        .first(&mut app.conn())
        .expect("the import");
    assert_eq!(state, "failed", "the worker gave it up");
    // One held by a worker, one waiting, one whose instance stopped.
    let held = app.clock_now() + chrono::Duration::minutes(30);
    import(&app, ours, "working", "checking", Some(held), 1);
    import(&app, ours, "waiting", "queued", None, 0);
    import(&app, ours, "orphan", "importing", Some(lapsed), 1);
    app.failed_email("bounced@elsewhere.example");

    let root = operator_signed_in(&app).await;
    let page = unescape(&app.page_as(&root, "/admin/jobs").await);
    assert_eq!(count_of(&page, "failed"), "1");
    assert_eq!(count_of(&page, "queued"), "1");
    assert_eq!(count_of(&page, "checking"), "1");
    assert_eq!(count_of(&page, "done"), "0");
    let row = |id: &str| -> String {
        let start = page
            .find(&format!("id=\"import-{id}\""))
            .unwrap_or_else(|| panic!("{id} listed: {page}"));
        page[start..]
            .split("</tr>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let cursed = row("cursed");
    assert!(
        cursed.contains("Contoso")
            && cursed.contains("Interrupted too many times")
            && cursed.contains("3 attempts"),
        "{cursed}"
    );
    assert!(row("working").contains("Held by a worker until"));
    assert!(row("waiting").contains("Waiting for a worker"));
    assert!(row("orphan").contains("Its instance stopped"));
    assert!(
        !page.contains("Secret Customer") && !page.contains("secret-customers.csv"),
        "nothing of the file is shown"
    );
    assert!(
        page.contains("id=\"queue-emails\" data-waiting=\"0\" data-given-up=\"1\""),
        "{page}"
    );

    app.post_as(&root, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let page = unescape(&app.page_as(&root, "/admin/jobs").await);
    assert!(
        page.contains("Interrompue trop de fois") && page.contains("En attente d'un worker"),
        "{page}"
    );
    let untouched: String = customer_imports::table
        .find("orphan")
        .select(customer_imports::state)
        .first(&mut app.conn())
        .expect("the import");
    assert_eq!(untouched, "importing", "reading the page changes nothing");
}
