//! The instance operator's area (`/admin`), for logins that are instance
//! operators (`access::Access::InstanceOperator`, decided on the login, not on
//! a membership): the partner organisations (`partners.rs`: the list; creating
//! one with its first owner in `create.rs`; suspending and reinstating in
//! `suspend.rs`; moving it in the partner tree in `move_partner.rs`), the
//! email outbox (`outbox.rs`), the instance's activity log (`activity.rs`),
//! the catalogue of offers (`catalogue.rs`), service health across the
//! instance (`health/`) and the background jobs (`jobs.rs`). The command line
//! keeps its commands.

pub mod activity;
pub mod catalogue;
pub mod create;
pub mod health;
pub mod jobs;
pub mod move_partner;
pub mod outbox;
pub mod partners;
pub mod suspend;

use crate::auth::operator::InstanceOperator;
use crate::web::PageOf;

/// A page of the operator's area, asked by an instance operator.
pub type AdminPage = PageOf<InstanceOperator>;

/// Rows a page of a list holds.
const PAGE_SIZE: i64 = 50;

/// The page asked for in a query string: 1 when absent or nonsense, and
/// never so far that the offset overflows.
fn page_number(page: Option<&str>) -> i64 {
    page.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1)
}
