//! The catalogue of offers, defined by the instance operator from the command
//! line (`partnerdesk offer add|list|retire`). Partners order from the offers
//! still active; orders keep a copy of the offer as it was.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::OfferKind;
use crate::db::DbConnection;
use crate::db::schema::offers;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub struct Offer {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub unit_price_cents: i64,
    pub currency: String,
    pub term_months: i32,
    pub active: bool,
}

impl Offer {
    pub fn kind(&self) -> OfferKind {
        OfferKind::parse(&self.kind).unwrap_or(OfferKind::UsageSubscription)
    }
}

/// An offer as the operator describes it, checked.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub name: String,
    pub kind: OfferKind,
    pub unit_price_cents: i64,
    pub currency: String,
    pub term_months: i32,
}

impl NewOffer {
    /// Checks what the operator typed; the error names the option at fault.
    pub fn parse(
        name: &str,
        kind: &str,
        price: &str,
        currency: &str,
        term_months: Option<i32>,
    ) -> Result<NewOffer, String> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err("--name: between 1 and 100 characters".into());
        }
        let kind = OfferKind::parse(kind)
            .ok_or("--kind: use usage_subscription, term_subscription or reservation".to_owned())?;
        let unit_price_cents = super::money::parse_cents(price)
            .ok_or("--price: an amount such as 12.50".to_owned())?;
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err("--currency: a three-letter code such as EUR".into());
        }
        let term_months = match (kind, term_months) {
            (OfferKind::UsageSubscription, None | Some(0)) => 0,
            (OfferKind::UsageSubscription, Some(_)) => {
                return Err("--term-months: a usage subscription has no term".into());
            }
            (OfferKind::TermSubscription, Some(months @ (1 | 12 | 36))) => months,
            (OfferKind::Reservation, Some(months @ (12 | 36))) => months,
            (OfferKind::TermSubscription, _) => {
                return Err("--term-months: 1, 12 or 36 for a term subscription".into());
            }
            (OfferKind::Reservation, _) => {
                return Err("--term-months: 12 or 36 for a reservation".into());
            }
        };
        Ok(NewOffer {
            name: name.to_owned(),
            kind,
            unit_price_cents,
            currency,
            term_months,
        })
    }
}

pub fn add(conn: &mut DbConnection, now: NaiveDateTime, offer: &NewOffer) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(offers::table)
        .values((
            offers::id.eq(&id),
            offers::name.eq(&offer.name),
            offers::kind.eq(offer.kind.as_str()),
            offers::unit_price_cents.eq(offer.unit_price_cents),
            offers::currency.eq(&offer.currency),
            offers::term_months.eq(offer.term_months),
            offers::active.eq(true),
            offers::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Every offer, active ones first, by kind and name.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Offer>> {
    offers::table
        .order((
            offers::active.desc(),
            offers::kind.asc(),
            offers::name.asc(),
        ))
        .select(Offer::as_select())
        .load(conn)
}

/// The offers partners may order now, optionally of one kind.
pub fn active(conn: &mut DbConnection, kind: Option<OfferKind>) -> QueryResult<Vec<Offer>> {
    let mut query = offers::table.filter(offers::active.eq(true)).into_boxed();
    if let Some(kind) = kind {
        query = query.filter(offers::kind.eq(kind.as_str()));
    }
    query
        .order((offers::kind.asc(), offers::name.asc(), offers::id.asc()))
        .select(Offer::as_select())
        .load(conn)
}

pub fn find_active(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Offer>> {
    offers::table
        .filter(offers::id.eq(id))
        .filter(offers::active.eq(true))
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

/// Takes an offer out of the catalogue; what was ordered stays as it is.
/// Returns whether such an active offer existed.
pub fn retire(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::update(
        offers::table
            .filter(offers::id.eq(id))
            .filter(offers::active.eq(true)),
    )
    .set(offers::active.eq(false))
    .execute(conn)
    .map(|n| n > 0)
}

/// An offer whatever its state: a renewal keeps what was bought even once the
/// offer has left the catalogue.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Offer>> {
    offers::table
        .filter(offers::id.eq(id))
        .select(Offer::as_select())
        .first(conn)
        .optional()
}
