//! PostgreSQL keeps the number of a common text's matches per partner
//! (migration 38) and reads the pages of such a text in the order of creation
//! by walking that order's index. A kept number is valid only while the partner's search
//! version is the one it was counted at, so every kind of write that changes
//! which customers match must move that version. Each kind is checked on its
//! own: common searches are asked twice (counted and kept, then answered from
//! the kept number), the tables are written as another program would, and the
//! same searches must then agree with a plain reading of the tables. On SQLite
//! the same requests check the trigram index's answers.

use crate::customer_list_model::{expected_page, expected_total, write};
use crate::customers::{listed_ids, listed_total, page_of};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::seed::{SeedOptions, generate};
use partnerdesk::i18n::Lang;
use partnerdesk::ids::PartnerId;

/// Searches common enough among 300 customers for their pages in the order of
/// creation to be walked, and others read from the trigram index, with the
/// SQL filter and order that answer them, and the page.
const SEARCHES: [(&str, &str, &str, i64); 4] = [
    ("q=e", "c.search_text LIKE '%e%'", "c.name_key, c.id", 1),
    (
        "q=e&sort=created&page=2",
        "c.search_text LIKE '%e%'",
        "c.created_at DESC, c.id DESC",
        2,
    ),
    (
        "q=a&sort=health&dir=asc&page=3",
        "c.search_text LIKE '%a%'",
        "c.health_level, c.name_key, c.id",
        3,
    ),
    (
        "q=e&sort=created&dir=asc&per=25&page=2",
        "c.search_text LIKE '%e%'",
        "c.created_at, c.id",
        2,
    ),
];

fn seed(app: &TestApp, partner: &str, count: usize, seed: u64, groups: &'static [&'static str]) {
    generate(
        &mut app.conn(),
        app.clock_now(),
        &SeedOptions {
            partner_id: PartnerId::new(partner.to_owned()),
            count,
            groups,
            seed,
        },
    )
    .expect("seeded");
}

/// The SQL of one customer of `partner` whose text `condition` holds.
fn one_of(partner: &str, condition: &str) -> String {
    format!(
        "(SELECT id FROM customer_accounts WHERE partner_id = '{partner}' AND {condition} \
         ORDER BY id LIMIT 1)"
    )
}

/// Each kind of write that changes which of the partner's customers match, as
/// SQL statements: renames out of and into the matches, a dissociation, moves
/// in and out, a deletion.
fn writes(ours: &str, theirs: &str) -> Vec<(&'static str, Vec<String>)> {
    let leaving = one_of(ours, "search_text LIKE '%e%'");
    vec![
        (
            "a customer renamed out of the matches",
            vec![format!(
                "UPDATE customer_accounts SET name = 'Zzz', name_key = 'zzz', search_text = 'zzz' \
                 WHERE id = {leaving}"
            )],
        ),
        (
            "a customer renamed into them",
            vec![format!(
                "UPDATE customer_accounts SET search_text = search_text || ' e a' WHERE id = {}",
                one_of(ours, "search_text NOT LIKE '%e%'")
            )],
        ),
        (
            "a customer dissociated",
            vec![format!(
                "UPDATE customer_accounts SET partner_id = NULL WHERE id = {leaving}"
            )],
        ),
        (
            "a customer moved in",
            vec![format!(
                "UPDATE customer_accounts SET partner_id = '{ours}' WHERE id = {}",
                one_of(theirs, "search_text LIKE '%e%'")
            )],
        ),
        (
            "a customer moved out",
            vec![format!(
                "UPDATE customer_accounts SET partner_id = '{theirs}' WHERE id = {leaving}"
            )],
        ),
        (
            "a customer deleted",
            ["licences", "customer_group_members", "sites"]
                .map(|table| format!("DELETE FROM {table} WHERE customer_id = {leaving}"))
                .into_iter()
                .chain([format!(
                    "DELETE FROM customer_accounts WHERE id = {leaving}"
                )])
                .collect(),
        ),
    ]
}

/// Two partners seeded, `ours` with 300 customers (a group "Retail" among
/// them) and its owner signed in.
async fn two_partners() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    seed(&app, &ours, 300, 21, &["Retail"]);
    seed(&app, &theirs, 100, 22, &["Retail"]);
    (app, ours, theirs)
}

/// Asks every search twice (the first request counts, the second may read a
/// kept number) and checks each page against the tables, the customers
/// limited to those meeting `reach` (SQL on `c`).
async fn check(app: &TestApp, browser: &reqwest::Client, ours: &str, reach: &str, stage: &str) {
    for asked in ["first", "again"] {
        for (query, filter, order, page) in SEARCHES {
            let filter = format!("{filter} AND {reach}");
            let path = format!("/partner/customers?{query}");
            let (status, list) = page_of(browser, app, &path).await;
            assert_eq!(status, 200, "{stage}, {asked}: {path}");
            let total = expected_total(app, ours, &filter);
            if total > 0 {
                assert_eq!(listed_total(&list), Some(total), "{stage}, {asked}: {path}");
            } else {
                assert!(
                    list.contains("customers-no-match"),
                    "{stage}, {asked}: {path}"
                );
            }
            let per_page = if query.contains("per=25") { 25 } else { 50 };
            assert_eq!(
                listed_ids(&list),
                expected_page_of(app, ours, &filter, order, page, per_page),
                "{stage}, {asked}: page of {path}"
            );
        }
    }
}

#[tokio::test]
async fn a_kept_search_count_follows_every_write_that_changes_the_matches() {
    let (app, ours, theirs) = two_partners().await;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    check(&app, &owner, &ours, "1 = 1", "before any write").await;
    assert!(
        !uses_postgres(&app) || kept_counts(&app, &ours) > 0,
        "PostgreSQL keeps the common searches' numbers"
    );
    for (what, statements) in writes(&ours, &theirs) {
        for statement in &statements {
            write(&app, statement);
        }
        check(&app, &owner, &ours, "1 = 1", &format!("after {what}")).await;
    }
    seed(&app, &ours, 3, 23, &[]);
    check(&app, &owner, &ours, "1 = 1", "after new customers").await;
}

/// A member limited to one hand-kept group searches it (on PostgreSQL, in
/// the trigram index of the members' copies, migration 39): the pages follow
/// the same writes, and the group's own changes, on the next request.
#[tokio::test]
async fn a_limited_members_search_follows_every_write_to_its_group_or_its_customers() {
    let (app, ours, theirs) = two_partners().await;
    let agent = app.active_member(&ours, "agent@contoso.example", PartnerRole::AdminAgent);
    let retail = group_id(&app, &ours, "Retail");
    app.limit_to_groups(&agent, &[&retail]);
    let browser = app
        .browser_signed_in("agent@contoso.example", PASSWORD)
        .await;
    let reach = format!(
        "c.id IN (SELECT customer_id FROM customer_group_members WHERE group_id = '{retail}')"
    );
    let mut writes = writes(&ours, &theirs);
    let outside = one_of(&ours, &format!("NOT {}", reach.replace("c.id", "id")));
    writes.extend([
        (
            "a customer added to the group",
            vec![format!(
                "INSERT INTO customer_group_members (group_id, customer_id, added_at) \
                 SELECT '{retail}', id, created_at FROM customer_accounts WHERE id = {outside}"
            )],
        ),
        (
            "a customer taken out of the group",
            vec![format!(
                "DELETE FROM customer_group_members WHERE group_id = '{retail}' AND customer_id = \
                 (SELECT customer_id FROM customer_group_members WHERE group_id = '{retail}' \
                  ORDER BY customer_id LIMIT 1)"
            )],
        ),
    ]);
    check(&app, &browser, &ours, &reach, "before any write").await;
    for (what, statements) in writes {
        for statement in &statements {
            write(&app, statement);
        }
        check(&app, &browser, &ours, &reach, &format!("after {what}")).await;
    }
}

fn group_id(app: &TestApp, partner: &str, name: &str) -> String {
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_groups;
    customer_groups::table
        .filter(customer_groups::partner_id.eq(partner))
        .filter(customer_groups::name.eq(name))
        .select(customer_groups::id)
        .first(&mut app.conn())
        .expect("group")
}

fn uses_postgres(app: &TestApp) -> bool {
    matches!(*app.conn(), partnerdesk::db::DbConnection::Postgres(_))
}

/// How many numbers of searches are kept for the partner (PostgreSQL).
fn kept_counts(app: &TestApp, partner: &str) -> usize {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Kept {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        matches: i64,
    }
    let kept: Vec<Kept> = diesel::sql_query(format!(
        "SELECT matches FROM customer_search_counts WHERE partner_id = '{partner}'"
    ))
    .load(&mut app.conn())
    .expect("kept counts");
    kept.iter().filter(|kept| kept.matches > 0).count()
}

/// `expected_page` for pages of `per_page` rows.
fn expected_page_of(
    app: &TestApp,
    partner: &str,
    filter: &str,
    order: &str,
    page: i64,
    per_page: i64,
) -> Vec<String> {
    if per_page == 50 {
        return expected_page(app, partner, filter, order, page);
    }
    // Two pages of 25 are one of 50.
    let fifty = expected_page(app, partner, filter, order, (page + 1) / 2);
    let start = if page % 2 == 1 { 0 } else { 25 };
    fifty.into_iter().skip(start).take(25).collect()
}

/// A search filtered by another partner's group finds nobody, even a customer
/// of this partner still listed in that group (one that moved here): the
/// group's own index (PostgreSQL) checks whose the group is, as the accounts'
/// path does.
#[tokio::test]
async fn a_search_within_another_partners_group_finds_nobody() {
    let (app, ours, theirs) = two_partners().await;
    let their_retail = group_id(&app, &theirs, "Retail");
    write(
        &app,
        &format!(
            "UPDATE customer_accounts SET partner_id = '{ours}' WHERE id = \
             (SELECT m.customer_id FROM customer_group_members m JOIN customer_accounts a \
              ON a.id = m.customer_id WHERE m.group_id = '{their_retail}' \
              AND a.search_text LIKE '%e%' AND a.state = 'active' ORDER BY m.customer_id LIMIT 1)"
        ),
    );
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let moved_in = expected_total(
        &app,
        &ours,
        &format!(
            "c.id IN (SELECT customer_id FROM customer_group_members \
             WHERE group_id = '{their_retail}')"
        ),
    );
    assert_eq!(moved_in, 1, "one of ours is still listed in their group");
    for query in ["q=e", "q=e&sort=created", "state=active"] {
        let path = format!("/partner/customers?{query}&group={their_retail}");
        let (status, list) = page_of(&owner, &app, &path).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert!(listed_ids(&list).is_empty(), "{path} lists nobody");
    }
}
