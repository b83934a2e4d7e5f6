//! A tenant named by its id: a partner organisation or a customer account, for
//! what is written the same way for both (a security rule, a single sign-on
//! connection) and logged in that tenant's activity log.

use std::fmt;

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Actor};
use crate::db::DbConnection;
use crate::ids::{CustomerId, PartnerId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tenant {
    Partner(PartnerId),
    Customer(CustomerId),
}

impl Tenant {
    pub fn partner_id(&self) -> Option<&str> {
        match self {
            Tenant::Partner(id) => Some(id.as_str()),
            Tenant::Customer(_) => None,
        }
    }

    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Tenant::Partner(_) => None,
            Tenant::Customer(id) => Some(id.as_str()),
        }
    }

    /// Writes to the tenant's activity log (a customer's entry names its
    /// partner too, so the partner's log shows it).
    pub fn log(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        actor: Actor<'_>,
        action: Action,
        target: &str,
        details: &str,
    ) -> QueryResult<()> {
        let partner_id = match self {
            Tenant::Partner(id) => Some(id.clone()),
            Tenant::Customer(id) => super::partner_of(conn, id)?,
        };
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: partner_id.as_ref().map(PartnerId::as_str),
                customer_id: self.customer_id(),
                actor,
                action,
                target,
                details,
            },
        )
    }
}

impl fmt::Display for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tenant::Partner(id) => write!(f, "partner {id}"),
            Tenant::Customer(id) => write!(f, "customer {id}"),
        }
    }
}
