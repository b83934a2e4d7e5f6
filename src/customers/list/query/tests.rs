//! The list's queries: their plans on SQLite, and the escaping of text.

use super::*;

#[test]
fn like_wildcards_are_literal() {
    assert_eq!(like_pattern("50%_A"), "%50\\%\\_a%");
}

/// A limited member's total, and an owner's within a hand-kept group, with
/// or without a trial's end, are counted on the copies the groups' members
/// carry: no account is read, where each member's account was looked up
/// before.
#[test]
fn totals_within_hand_kept_groups_read_the_members_copies_alone() {
    use crate::customers::CustomerState;
    use crate::db::plans::{empty_sqlite, steps_of};
    let mut conn = empty_sqlite();
    let owner = PartnerScope::for_unit_tests("a-partner");
    let within = View {
        group: Some("g".into()),
        state: Some(CustomerState::Active),
        ..View::default()
    };
    let limited = PartnerScope::limited_for_unit_tests("a-partner", &["g", "h"]);
    let now = NaiveDate::from_ymd_opt(2026, 12, 7)
        .and_then(|day| day.and_hms_opt(9, 0, 0))
        .expect("an instant");
    let ended = View::trials_ended().at(now);
    let ending = View::trials_ending(now.date(), now.date());
    for (scope, view) in [
        (&owner, &within),
        (&limited, &View::default()),
        (&limited, &ended),
        (
            &owner,
            &View {
                group: Some("g".into()),
                ..ending
            },
        ),
    ] {
        let steps = steps_of(&mut conn, |conn| {
            total(conn, scope, view, None).expect("a count");
        });
        assert!(
            steps
                .iter()
                .any(|step| step.contains("customer_group_members_copies")),
            "{steps:#?}"
        );
        assert!(
            !steps.iter().any(|step| step.contains("customer_accounts")),
            "{steps:#?}"
        );
    }
}

/// A limited member's page walks the names and probes the group for
/// each, stopping at the page: no list of the group's members is built.
#[test]
fn a_limited_members_page_probes_the_group_for_each_name() {
    use crate::db::plans::{empty_sqlite, steps_of};
    let mut conn = empty_sqlite();
    let limited = PartnerScope::limited_for_unit_tests("a-partner", &["g"]);
    let view = View::default();
    let steps = steps_of(&mut conn, |conn| {
        let page: Vec<String> = sorted(conn, &limited, &view)
            .select(customer_accounts::id)
            .limit(50)
            .load(conn)
            .expect("a page");
        assert!(page.is_empty());
    });
    assert!(steps[0].contains("customer_accounts_by_name"), "{steps:#?}");
    assert!(
        steps
            .iter()
            .all(|step| !step.contains("LIST SUBQUERY") && !step.contains("TEMP B-TREE")),
        "{steps:#?}"
    );
}

/// A count of a search within a group starts from the text's matches:
/// driven from the group's members instead, SQLite probed each member
/// against each match (8 s for a group of 10,000 and a common text).
#[test]
fn a_search_within_a_group_is_counted_from_the_matches() {
    use crate::db::plans::{empty_sqlite, steps_of};
    let mut conn = empty_sqlite();
    let scope = PartnerScope::for_unit_tests("a-partner");
    let view = View {
        q: "ber".into(),
        group: Some("g".into()),
        ..View::default()
    };
    let range = SearchRange { first: 0, last: 10 };
    let steps = steps_of(&mut conn, |conn| {
        total(conn, &scope, &view, Some(range)).expect("a count");
    });
    let first = steps
        .iter()
        .find(|step| step.contains("customer_search_rows"))
        .expect("a step on customer_search_rows");
    assert!(
        first.contains("INTEGER PRIMARY KEY"),
        "the matches drive the count: {steps:#?}"
    );
}
