//! The demo's partner tree: a distributor with two resellers, each with a few
//! customers, made once; its owner is the login the demo hands in. The first
//! reseller lets its distributor help (distributor assistance), so the demo
//! shows both sides of it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::PartnerRole;
use crate::accounts::DisplayName;
use crate::customers::seed::{SeedOptions, generate};
use crate::db::schema::{memberships, partner_organisations};
use crate::db::{self, DbConnection};
use crate::ids::PartnerId;
use crate::organisations;

pub const DEMO_DISTRIBUTOR: &str = "Fabrikam Distribution";
/// (name, customers, seed, lets its distributor help)
const DEMO_RESELLERS: [(&str, usize, u64, bool); 2] = [
    ("Tailspin IT", 6, 31, true),
    ("Litware Services", 4, 32, false),
];

fn find(conn: &mut DbConnection, name: &str) -> QueryResult<Option<String>> {
    partner_organisations::table
        .filter(partner_organisations::name.eq(name))
        .select(partner_organisations::id)
        .first(conn)
        .optional()
}

fn organisation(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    name: &str,
    parent: Option<&str>,
) -> QueryResult<(String, bool)> {
    if let Some(id) = find(conn, name)? {
        return Ok((id, false));
    }
    let display = DisplayName::parse(name).map_err(|_| diesel::result::Error::NotFound)?;
    let id = organisations::insert_organisation(conn, now, &display, parent, true)?;
    Ok((id, true))
}

/// The distributor and its resellers, made when missing, with `owner_login_id`
/// as the distributor's owner.
pub fn seed(conn: &mut DbConnection, now: NaiveDateTime, owner_login_id: &str) -> QueryResult<()> {
    let (distributor, _) =
        db::write_transaction(conn, |conn| organisation(conn, now, DEMO_DISTRIBUTOR, None))?;
    let member: i64 = memberships::table
        .filter(memberships::partner_id.eq(&distributor))
        .filter(memberships::login_id.eq(owner_login_id))
        .count()
        .get_result(conn)?;
    if member == 0 {
        let partner = PartnerId::new(&distributor);
        organisations::add_member(conn, now, &partner, owner_login_id, PartnerRole::Owner)?;
    }
    for (name, count, seed, allows_assistance) in DEMO_RESELLERS {
        let (reseller, created) = db::write_transaction(conn, |conn| {
            organisation(conn, now, name, Some(&distributor))
        })?;
        if created {
            let options = SeedOptions {
                partner_id: PartnerId::new(&reseller),
                count,
                groups: &[],
                seed,
            };
            generate(conn, now, &options)?;
            diesel::update(
                partner_organisations::table.filter(partner_organisations::id.eq(&reseller)),
            )
            .set(partner_organisations::distributor_assistance.eq(allows_assistance))
            .execute(conn)?;
        }
    }
    Ok(())
}
