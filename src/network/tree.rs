//! The subtree under a partner organisation, of any depth, read with one
//! recursive query over `partner_organisations.parent_id` (indexed since
//! migration 1). No closure table: a tree of a few thousand organisations at
//! most is walked in well under a millisecond, a move changes one column (so
//! nothing derived can drift from it), and the same SQL runs on SQLite and
//! PostgreSQL.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::DbConnection;
use crate::db::schema::partner_organisations;

/// One organisation of a subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// 1 for a child of the subtree's root, 2 for a grandchild, and so on.
    pub depth: usize,
    pub suspended: bool,
}

/// The organisations under `root` (not `root` itself), depth first, each
/// organisation's children by name. UNION (not UNION ALL) ends the walk even
/// if the column ever held a cycle, which moves refuse to make.
pub fn descendants(conn: &mut DbConnection, root: &str) -> QueryResult<Vec<Node>> {
    let rows: Vec<(String, String, Option<String>, bool)> = partner_organisations::table
        .filter(
            sql::<Bool>(
                "partner_organisations.id IN (WITH RECURSIVE subtree(id) AS \
                 (SELECT id FROM partner_organisations WHERE parent_id = ",
            )
            .bind::<Text, _>(root.to_owned())
            .sql(
                " UNION SELECT child.id FROM partner_organisations child \
                 JOIN subtree ON child.parent_id = subtree.id) SELECT id FROM subtree)",
            ),
        )
        .select((
            partner_organisations::id,
            partner_organisations::name,
            partner_organisations::parent_id,
            partner_organisations::suspended_at.is_not_null(),
        ))
        .load(conn)?;
    Ok(depth_first(root, rows))
}

/// Whether `root` has any organisation under it: one probe of the index.
pub fn has_descendants(conn: &mut DbConnection, root: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        partner_organisations::table.filter(partner_organisations::parent_id.eq(root)),
    ))
    .get_result(conn)
}

/// The rows in tree order from `root`, with their depth.
fn depth_first(root: &str, rows: Vec<(String, String, Option<String>, bool)>) -> Vec<Node> {
    let mut children: HashMap<String, Vec<(String, String, bool)>> = HashMap::new();
    for (id, name, parent, suspended) in rows {
        if let Some(parent) = parent {
            children
                .entry(parent)
                .or_default()
                .push((id, name, suspended));
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (a.1.to_lowercase(), &a.0).cmp(&(b.1.to_lowercase(), &b.0)));
    }
    let mut ordered = Vec::new();
    // (parent, depth) still to expand, last first.
    let mut stack: Vec<(String, String, bool, String, usize)> = Vec::new();
    let push_children =
        |stack: &mut Vec<_>,
         parent: &str,
         depth: usize,
         children: &mut HashMap<String, Vec<(String, String, bool)>>| {
            if let Some(list) = children.remove(parent) {
                for (id, name, suspended) in list.into_iter().rev() {
                    stack.push((id, name, suspended, parent.to_owned(), depth));
                }
            }
        };
    push_children(&mut stack, root, 1, &mut children);
    while let Some((id, name, suspended, parent, depth)) = stack.pop() {
        push_children(&mut stack, &id, depth + 1, &mut children);
        ordered.push(Node {
            id,
            name,
            parent_id: Some(parent),
            depth,
            suspended,
        });
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, name: &str, parent: &str) -> (String, String, Option<String>, bool) {
        (id.into(), name.into(), Some(parent.into()), false)
    }

    #[test]
    fn the_tree_is_read_depth_first_by_name() {
        let rows = vec![
            row("b", "Bravo", "root"),
            row("a", "alpha", "root"),
            row("a1", "Alpha one", "a"),
            row("a11", "Deep", "a1"),
        ];
        let order: Vec<(String, usize)> = depth_first("root", rows)
            .into_iter()
            .map(|n| (n.id, n.depth))
            .collect();
        assert_eq!(
            order,
            vec![
                ("a".into(), 1),
                ("a1".into(), 2),
                ("a11".into(), 3),
                ("b".into(), 1)
            ]
        );
    }
}
