//! The customer list: one page of a partner's customers, searched, filtered
//! and sorted on the server. The whole view lives in the URL, so it can be
//! bookmarked and shared, and the CSV export reads the same view.
//!
//! `view` parses the URL into a typed view and `links` turns it back into
//! links; `query` is the SQL of a view (which customers, in which order, how
//! many), helped by SQLite's trigram index in `trigram` and PostgreSQL's searched
//! pages in `pg_search`; `kept_counts` sums the home's counts of some views from
//! tables the triggers keep; `rows` reads one page of it; `page` is the handler.

mod kept_counts;
mod links;
mod page;
mod pg_search;
mod query;
mod rows;
mod trigram;
mod view;

pub use kept_counts::{count_licences_expiring, count_trials_ended, count_trials_ending};
pub use page::page;
pub(crate) use query::like_pattern;
pub use query::{OVER_QUANTITY_BIT, matching, sorted, with_group_rule};
pub use rows::{
    ListedCustomer, Listing, Row, groups_of_partner, load, partner_of_ids, sort_as_ids,
};
pub use view::{DEFAULT_PAGE_SIZE, PAGE_SIZES, RawView, SortKey, View};
