//! The partner tree in the operator's area: the subtree of an organisation,
//! moving one (reviewed first; never under itself or one of its own
//! descendants), the move logged on every side, and the history that says who
//! an organisation answered to at any time.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::db::schema::{activity_log, partner_organisations};
use partnerdesk::network::moves::parent_at;

use crate::admin::operator_signed_in;
use crate::customers::{page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, location, spawn_app_frozen};
use crate::partner_tree_fixture::{OWNER, RESELLER_OWNER, Tree, tree};

fn parent_of(app: &TestApp, partner: &str) -> Option<String> {
    partner_organisations::table
        .find(partner)
        .select(partner_organisations::parent_id)
        .first(&mut app.conn())
        .expect("organisation")
}

fn moves_logged_by(app: &TestApp, partner: &str) -> i64 {
    activity_log::table
        .filter(activity_log::partner_id.eq(partner))
        .filter(activity_log::action.eq("partner_moved"))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// Posts a move of `partner` under `parent` ("" for the top level).
async fn post_move(
    app: &TestApp,
    operator: &reqwest::Client,
    partner: &str,
    parent: &str,
    confirmed: bool,
) -> reqwest::Response {
    let mut form = vec![
        ("parent", parent),
        ("reason", "Contract moved to Elsewhere"),
    ];
    if confirmed {
        form.push(("confirmed", "yes"));
    }
    let path = format!("/admin/partners/{partner}/move");
    app.post_as(operator, &path, &form).await
}

#[tokio::test]
async fn the_operator_sees_a_subtree_and_cannot_make_a_cycle() {
    let app = spawn_app_frozen().await;
    let Tree {
        distributor,
        reseller,
        sub_reseller,
        ..
    } = tree(&app);
    let operator = operator_signed_in(&app).await;
    let (status, page) = page_of(&operator, &app, &format!("/admin?under={distributor}")).await;
    assert_eq!(status, 200);
    let at: Vec<usize> = [&distributor, &reseller, &sub_reseller]
        .into_iter()
        .map(|id| page.find(&format!("id=\"partner-{id}\"")).expect("listed"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "tree order: {page}");
    assert!(page.contains(r#"<td data-depth="2">"#), "{page}");
    assert!(!page.contains("Elsewhere"), "only the subtree: {page}");
    let (status, _) = page_of(&operator, &app, "/admin?under=no-such-organisation").await;
    assert_eq!(status, 404);

    for (parent, message) in [
        (&sub_reseller, "is under the one being moved"),
        (&reseller, "is under the one being moved"),
        (&distributor, "cannot be its own parent"),
    ] {
        let answer = post_move(&app, &operator, &distributor, parent, true).await;
        assert_eq!(answer.status(), 200);
        let page = answer.text().await.expect("page");
        assert!(page.contains(message), "{message}: {page}");
        assert!(
            page.contains("Contract moved to Elsewhere"),
            "the reason is kept"
        );
    }
    // In the operator's language.
    app.post_as(&operator, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let answer = post_move(&app, &operator, &distributor, &distributor, true).await;
    let page = unescape(&answer.text().await.expect("page"));
    assert!(
        page.contains("Une organisation ne peut pas être son propre parent."),
        "{page}"
    );
    assert_eq!(parent_of(&app, &distributor), None);
    assert_eq!(moves_logged_by(&app, &distributor), 0);
}

#[tokio::test]
async fn a_move_is_reviewed_then_logged_on_both_sides_and_kept_in_the_history() {
    let app = spawn_app_frozen().await;
    let tree = tree(&app);
    let before = app.clock_now();
    app.clock.advance(Duration::hours(2));
    let operator = operator_signed_in(&app).await;

    let review = post_move(&app, &operator, &tree.reseller, &tree.other, false).await;
    assert_eq!(review.status(), 200);
    let review = review.text().await.expect("page");
    assert!(review.contains("Move this organisation?"), "{review}");
    assert!(
        review.contains("Distributor") && review.contains("Elsewhere"),
        "{review}"
    );
    assert_eq!(
        parent_of(&app, &tree.reseller).as_ref(),
        Some(&tree.distributor)
    );

    let done = post_move(&app, &operator, &tree.reseller, &tree.other, true).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/admin");
    assert_eq!(parent_of(&app, &tree.reseller).as_ref(), Some(&tree.other));
    let after = app.clock_now();
    for side in [&tree.reseller, &tree.distributor, &tree.other] {
        assert_eq!(moves_logged_by(&app, side), 1, "{side}");
    }
    assert_eq!(moves_logged_by(&app, &tree.sub_reseller), 0);
    // Who answered for the reseller when.
    let mut conn = app.conn();
    let then = parent_at(&mut conn, &tree.reseller, before + Duration::minutes(1)).expect("read");
    assert_eq!(then, Some(Some(tree.distributor.clone())));
    let now = parent_at(&mut conn, &tree.reseller, after).expect("read");
    assert_eq!(now, Some(Some(tree.other.clone())));
    let history = app
        .page_as(
            &operator,
            &format!("/admin/partners/{}/move", tree.reseller),
        )
        .await;
    assert_eq!(
        history.matches("<tr class=\"period\">").count(),
        2,
        "{history}"
    );
    assert!(history.contains("Contract moved to Elsewhere") && history.contains("Its creation"));

    // Each side reads it in its own log.
    for username in [OWNER, RESELLER_OWNER] {
        let browser = app.browser_signed_in(username, PASSWORD).await;
        let log = app.page_as(&browser, "/partner/activity").await;
        assert!(
            log.contains("The instance operator moved an organisation in the partner tree")
                && log.contains("Distributor → Elsewhere"),
            "{username}: {log}"
        );
    }
    let instance_log = app.page_as(&operator, "/admin/activity").await;
    assert!(
        instance_log.contains("data-action=\"partner_moved\""),
        "{instance_log}"
    );
    // The distributor has nothing under it any more.
    let owner = app.browser_signed_in(OWNER, PASSWORD).await;
    let home = app.page_as(&owner, "/partner").await;
    assert!(!home.contains("id=\"network\""));
    let list = app.page_as(&owner, "/partner/network/customers").await;
    assert!(list.contains("id=\"network-empty\""), "{list}");

    // Moving it back to the top level is a move too.
    let top = post_move(&app, &operator, &tree.reseller, "", true).await;
    assert_eq!(top.status(), 303);
    assert_eq!(parent_of(&app, &tree.reseller), None);
    assert_eq!(moves_logged_by(&app, &tree.reseller), 2);
}
