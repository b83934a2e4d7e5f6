//! The customer list checked against a model: whatever writes the tables (pages,
//! fixtures, triggers), every page of every view equals what the rows say.

use crate::customers::{listed_ids, listed_total, page_of};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// The ids a plain reading of the tables gives for a page of the partner's
/// customers: licences probed customer by customer, text compared with LIKE.
pub(crate) fn expected_page(
    app: &TestApp,
    partner: &str,
    filter: &str,
    order: &str,
    page: i64,
) -> Vec<String> {
    use diesel::RunQueryDsl;
    let query = format!(
        "SELECT c.id AS id FROM customer_accounts c WHERE c.partner_id = '{partner}' AND ({filter}) \
         ORDER BY {order} LIMIT 50 OFFSET {}",
        (page - 1) * 50
    );
    let rows: Vec<IdRow> = diesel::sql_query(query)
        .load(&mut app.conn())
        .expect("reference query");
    rows.into_iter().map(|r| r.id).collect()
}

pub(crate) fn expected_total(app: &TestApp, partner: &str, filter: &str) -> i64 {
    use diesel::RunQueryDsl;
    let query = format!(
        "SELECT c.id AS id FROM customer_accounts c WHERE c.partner_id = '{partner}' AND ({filter})"
    );
    let rows: Vec<IdRow> = diesel::sql_query(query)
        .load(&mut app.conn())
        .expect("reference count");
    rows.len() as i64
}

/// Runs SQL written straight to the database, as another program would.
pub(crate) fn write(app: &TestApp, statement: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(statement)
        .execute(&mut app.conn())
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The list keeps summaries (licence flags, counts by filter, a search index by
/// partner) up to date with triggers; whatever writes the tables, its totals and
/// pages stay those of a plain reading of them.
#[tokio::test]
async fn the_list_agrees_with_the_tables_whatever_writes_them() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    for (partner, count, seed) in [(&ours, 600, 11), (&theirs, 200, 12)] {
        app.seeded_customers(partner, app.clock_now(), count, &["Retail", "Health"], seed);
    }
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let retail_id = {
        use diesel::RunQueryDsl;
        let rows: Vec<IdRow> = diesel::sql_query(format!(
            "SELECT id FROM customer_groups WHERE partner_id = '{ours}' AND name = 'Retail'"
        ))
        .load(&mut app.conn())
        .expect("group");
        rows[0].id.clone()
    };
    let views = model_views(&ours, &retail_id);
    let check = |stage: &'static str| {
        let (owner, app, views, ours) = (&owner, &app, &views, &ours);
        async move {
            for (query, filter, order, page) in views {
                let path = format!("/partner/customers?{query}");
                let (status, list) = page_of(owner, app, &path).await;
                assert_eq!(status, 200, "{stage}: {path}");
                let total = expected_total(app, ours, filter);
                if total > 0 {
                    assert_eq!(listed_total(&list), Some(total), "{stage}: total of {path}");
                } else {
                    assert!(list.contains("customers-no-match"), "{stage}: {path}");
                }
                assert_eq!(
                    listed_ids(&list),
                    expected_page(app, ours, filter, order, *page),
                    "{stage}: page of {path}"
                );
            }
        }
    };
    check("after seeding").await;

    rewrite_everything(&app, &ours, &theirs);
    check("after writes").await;
}

/// Each view of the list (its query string) with the SQL filter, order and page
/// that the model answers it with.
fn model_views(ours: &str, retail_id: &str) -> Vec<(String, String, &'static str, i64)> {
    let mut views = search_views();
    views.extend(filter_views(ours, retail_id));
    views
}

/// The views by text search, sort and page.
fn search_views() -> Vec<(String, String, &'static str, i64)> {
    let by_name = "c.name_key, c.id";
    vec![
        (String::new(), "1 = 1".into(), by_name, 1),
        ("page=3".into(), "1 = 1".into(), by_name, 3),
        (
            "q=dental".into(),
            "c.search_text LIKE '%dental%'".into(),
            by_name,
            1,
        ),
        (
            "q=ber&sort=created".into(),
            "c.search_text LIKE '%ber%'".into(),
            "c.created_at DESC, c.id DESC",
            1,
        ),
        (
            "q=zzyzx".into(),
            "c.search_text LIKE '%zzyzx%'".into(),
            by_name,
            1,
        ),
        (
            "q=e&sort=state&page=2".into(),
            "c.search_text LIKE '%e%'".into(),
            "c.state, c.name_key, c.id",
            2,
        ),
    ]
}

/// The views by licence, state, health, group and "mine".
fn filter_views(ours: &str, retail_id: &str) -> Vec<(String, String, &'static str, i64)> {
    let licence = |status: &str| {
        format!(
            "EXISTS (SELECT 1 FROM licences l WHERE l.customer_id = c.id AND l.status = '{status}')"
        )
    };
    let mine = "EXISTS (SELECT 1 FROM licences l WHERE l.customer_id = c.id \
                AND l.supplied_by_partner_id = c.partner_id AND l.status <> 'expired')";
    let retail_of = |partner: &str| {
        format!(
            "c.id IN (SELECT m.customer_id FROM customer_group_members m JOIN customer_groups g \
             ON g.id = m.group_id WHERE g.partner_id = '{partner}' AND g.name = 'Retail')"
        )
    };
    let by_name = "c.name_key, c.id";
    vec![
        ("licence=active".into(), licence("active"), by_name, 1),
        (
            "licence=expired&billing=monthly_usage".into(),
            format!(
                "{} AND c.billing_type = 'monthly_usage'",
                licence("expired")
            ),
            by_name,
            1,
        ),
        (
            "q=summit&licence=trial".into(),
            format!("c.search_text LIKE '%summit%' AND {}", licence("trial")),
            by_name,
            1,
        ),
        (
            "mine=1&state=active&sort=state&page=2".into(),
            format!("{mine} AND c.state = 'active'"),
            "c.state, c.name_key, c.id",
            2,
        ),
        (
            "health=incident&sort=health&dir=asc".into(),
            "c.health_level = 2".into(),
            "c.health_level, c.name_key, c.id",
            1,
        ),
        (
            "sort=health".into(),
            "1 = 1".into(),
            "c.health_level DESC, c.name_key, c.id",
            1,
        ),
        (
            format!("q=ent&group={retail_id}&mine=1"),
            format!(
                "c.search_text LIKE '%ent%' AND {} AND {mine}",
                retail_of(ours)
            ),
            by_name,
            1,
        ),
    ]
}

/// Writes to every table the list reads, as other features and triggers would:
/// licences added, changed and deleted; customers changed, renamed,
/// dissociated and moved in from `theirs`.
fn rewrite_everything(app: &TestApp, ours: &str, theirs: &str) {
    // Licences: new ones (ours and someone else's), status changes, deletions.
    write(
        app,
        &format!(
            "INSERT INTO licences (id, customer_id, product, quantity, status, supplied_by_partner_id, \
             expires_on, created_at) SELECT 'new-' || c.id, c.id, 'Firewall', 1, 'active', \
             CASE WHEN c.name_key < 'm' THEN c.partner_id END, NULL, c.created_at \
             FROM customer_accounts c WHERE c.partner_id = '{ours}' AND c.health_level = 1"
        ),
    );
    write(
        app,
        "UPDATE licences SET status = 'expired' WHERE product = 'Email Security'",
    );
    write(
        app,
        "UPDATE licences SET status = 'trial' WHERE product = 'Cloud Backup' AND status = 'active'",
    );
    write(
        app,
        "DELETE FROM licences WHERE product = 'Firewall' AND quantity > 100",
    );
    // Customers: state, health and billing changes, renames, a dissociation, and
    // customers moving in from the other partner with their licences.
    write(
        app,
        "UPDATE customer_accounts SET state = 'suspended', health_level = 2 WHERE name_key LIKE 'a%'",
    );
    write(
        app,
        "UPDATE customer_accounts SET billing_type = 'monthly_usage', trial_ends_on = NULL \
         WHERE billing_type = 'trial' AND name_key LIKE 'b%'",
    );
    write(
        app,
        "UPDATE customer_accounts SET name = 'Zzyzx ' || name, name_key = 'zzyzx ' || name_key, \
         search_text = 'zzyzx ' || search_text WHERE name_key LIKE 'c%'",
    );
    write(
        app,
        &format!(
            "UPDATE customer_accounts SET partner_id = NULL WHERE partner_id = '{ours}' AND name_key LIKE 'd%'"
        ),
    );
    write(
        app,
        &format!(
            "UPDATE licences SET supplied_by_partner_id = '{ours}' WHERE customer_id IN \
             (SELECT id FROM customer_accounts WHERE partner_id = '{theirs}' AND name_key LIKE 'q%')"
        ),
    );
    write(
        app,
        &format!(
            "UPDATE customer_accounts SET partner_id = '{ours}' WHERE partner_id = '{theirs}' AND name_key LIKE 'q%'"
        ),
    );
}
