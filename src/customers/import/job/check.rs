//! Checking the upload's rows, batch by batch, as the creation steps would.

use std::collections::HashSet;

use diesel::prelude::*;

use super::CHECK_BATCH;
use super::row::Claimed;
use crate::customers::create::NewCustomer;
use crate::customers::import::upload::{Problems, Upload, check_row};
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;

/// What checking has found so far, carried from one batch to the next.
#[derive(Default)]
pub(super) struct Checked {
    pub(super) rows: usize,
    pub(super) problems: Problems,
    pub(super) accepted: Vec<NewCustomer>,
    pub(super) domains_in_file: HashSet<String>,
}

impl Checked {
    /// Checks the next batch of rows: each as the creation steps would, then
    /// their domains against the file's earlier rows and the partner's customers.
    pub(super) fn next_batch(
        &mut self,
        conn: &mut DbConnection,
        job: &Claimed,
        upload: &Upload,
        today: chrono::NaiveDate,
    ) -> QueryResult<()> {
        let lang = job.lang();
        let end = (self.rows + CHECK_BATCH).min(upload.rows.len());
        let mut valid: Vec<(u64, NewCustomer)> = Vec::new();
        for (line, record) in &upload.rows[self.rows..end] {
            match check_row(upload, record, lang, today) {
                Ok(new) => {
                    let domain = new.account.domain.as_str().to_owned();
                    if self.domains_in_file.insert(domain) {
                        valid.push((*line, new));
                    } else {
                        self.problems
                            .add(*line, "primary_domain", "import-domain-repeated");
                    }
                }
                Err(row_problems) => {
                    for (column, message) in row_problems {
                        self.problems.add(*line, column, &message);
                    }
                }
            }
        }
        let domains: Vec<&str> = valid
            .iter()
            .map(|(_, new)| new.account.domain.as_str())
            .collect();
        let taken_domains: HashSet<String> = customer_accounts::table
            .filter(customer_accounts::partner_id.eq(&job.partner_id))
            .filter(customer_accounts::primary_domain.eq_any(&domains))
            .select(customer_accounts::primary_domain)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        for (line, new) in valid {
            if taken_domains.contains(new.account.domain.as_str()) {
                self.problems
                    .add(line, "primary_domain", "import-domain-exists");
            } else {
                self.accepted.push(new);
            }
        }
        self.rows = end;
        Ok(())
    }
}
