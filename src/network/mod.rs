//! The partner tree: distributors over resellers, of any depth. Any
//! organisation with organisations under it is a distributor; there is no
//! separate kind to keep in step with the tree.
//!
//! `tree` reads a subtree; `moves` moves an organisation (the instance
//! operator's action, in `/admin`) and keeps who answered for it when;
//! `resellers` is the distributor's page of its resellers, where its owners
//! create new ones; `customers` and `customer_page` are the read-only list of
//! the resellers' customers; `rollup` the distributor's figures on its home.
//!
//! A distributor sees its resellers' customers and figures and never opens
//! them: every customer route stays scoped to the customer's own partner
//! (`auth::scope::PartnerScope`), so a reseller's customer answers 404 there.

pub mod assist;
pub mod customer_page;
pub mod customers;
pub mod demo;
pub mod moves;
pub mod resellers;
pub mod rollup;
pub mod tree;

use crate::auth::scope::PartnerScope;
use crate::db::DbConnection;

/// The organisations under the member's own, in tree order. None for a
/// member an owner limited to some customer groups: the resellers' customers
/// are in none of them, and their figures count nobody else.
pub fn network_of(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> diesel::QueryResult<Vec<tree::Node>> {
    if scope.reach().is_limited() {
        return Ok(Vec::new());
    }
    tree::descendants(conn, scope.partner_id().as_str())
}
