//! The catalogue of offers, defined by the instance operator from the command
//! line (`partnerdesk offer add|list|retire`) or the operator's area
//! (`admin::catalogue`), both read by `NewOffer::parse*` and logged alike. Partners order from the offers
//! still active; orders keep a copy of the offer as it was.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::OfferKind;
use crate::accounts::FieldError;
use crate::db::DbConnection;
use crate::db::schema::offers;
use crate::instance_log::{self, InstanceAction, OperatorActor};

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

/// The longest offer name.
pub const NAME_MAX: usize = 100;

/// An offer as the operator describes it, checked.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub name: String,
    pub kind: OfferKind,
    pub unit_price_cents: i64,
    pub currency: String,
    pub term_months: i32,
}

/// What is wrong with one value of an offer, read the same for the command
/// line (`partnerdesk offer add`, which names the option) and the operator's
/// area (which shows a message next to the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferProblem {
    Name(FieldError),
    Kind,
    Price,
    Currency,
    /// Typed, but not a whole number.
    TermNotANumber,
    UsageHasNoTerm,
    SubscriptionTerm,
    ReservationTerm,
}

impl OfferProblem {
    /// The form field (and, with `--`, the command's option) at fault.
    pub fn field(self) -> &'static str {
        match self {
            OfferProblem::Name(_) => "name",
            OfferProblem::Kind => "kind",
            OfferProblem::Price => "price",
            OfferProblem::Currency => "currency",
            OfferProblem::TermNotANumber
            | OfferProblem::UsageHasNoTerm
            | OfferProblem::SubscriptionTerm
            | OfferProblem::ReservationTerm => "term_months",
        }
    }

    /// The Fluent message id shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            OfferProblem::Name(error) => error.message_key(),
            OfferProblem::Kind => "offer-kind-invalid",
            OfferProblem::Price => "offer-price-invalid",
            OfferProblem::Currency => "offer-currency-invalid",
            OfferProblem::TermNotANumber => "field-invalid",
            OfferProblem::UsageHasNoTerm => "offer-term-usage",
            OfferProblem::SubscriptionTerm => "offer-term-subscription",
            OfferProblem::ReservationTerm => "offer-term-reservation",
        }
    }

    /// What the command line prints after the option's name.
    pub fn sentence(self) -> &'static str {
        match self {
            OfferProblem::Name(FieldError::Invalid) => "no control characters",
            OfferProblem::Name(_) => "between 1 and 100 characters",
            OfferProblem::Kind => "use usage_subscription, term_subscription or reservation",
            OfferProblem::Price => "an amount such as 12.50",
            OfferProblem::Currency => "a three-letter code such as EUR",
            OfferProblem::TermNotANumber => "a whole number of months",
            OfferProblem::UsageHasNoTerm => "a usage subscription has no term",
            OfferProblem::SubscriptionTerm => "1, 12 or 36 for a term subscription",
            OfferProblem::ReservationTerm => "12 or 36 for a reservation",
        }
    }
}

/// Every problem of an offer, in the order of the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferProblems(pub Vec<OfferProblem>);

impl std::fmt::Display for OfferProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|p| format!("--{}: {}", p.field().replace('_', "-"), p.sentence()))
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for OfferProblems {}

impl NewOffer {
    /// Checks what the operator gave on the command line.
    pub fn parse(
        name: &str,
        kind: &str,
        price: &str,
        currency: &str,
        term_months: Option<i32>,
    ) -> Result<NewOffer, OfferProblems> {
        Self::check(name, kind, price, currency, Ok(term_months))
    }

    /// Checks what the operator typed into the form, where the term is text
    /// (empty for none).
    pub fn parse_typed(
        name: &str,
        kind: &str,
        price: &str,
        currency: &str,
        term_months: &str,
    ) -> Result<NewOffer, OfferProblems> {
        let term = match term_months.trim() {
            "" => Ok(None),
            typed => typed.parse::<i32>().map(Some).map_err(|_| ()),
        };
        Self::check(name, kind, price, currency, term)
    }

    fn check(
        name: &str,
        kind: &str,
        price: &str,
        currency: &str,
        term_months: Result<Option<i32>, ()>,
    ) -> Result<NewOffer, OfferProblems> {
        let mut problems = Vec::new();
        let name = crate::accounts::required_text(name, NAME_MAX)
            .map_err(|error| problems.push(OfferProblem::Name(error)))
            .ok();
        let kind = OfferKind::parse(kind.trim());
        if kind.is_none() {
            problems.push(OfferProblem::Kind);
        }
        let unit_price_cents = super::money::parse_cents(price);
        if unit_price_cents.is_none() {
            problems.push(OfferProblem::Price);
        }
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            problems.push(OfferProblem::Currency);
        }
        let term = match (kind, term_months) {
            (_, Err(())) => Err(OfferProblem::TermNotANumber),
            (Some(kind), Ok(months)) => term_of(kind, months),
            // The kind is refused already: its term cannot be judged.
            (None, Ok(_)) => Ok(0),
        };
        let term_months = term.map_err(|problem| problems.push(problem)).ok();
        match (name, kind, unit_price_cents, term_months) {
            (Some(name), Some(kind), Some(unit_price_cents), Some(term_months))
                if problems.is_empty() =>
            {
                Ok(NewOffer {
                    name,
                    kind,
                    unit_price_cents,
                    currency,
                    term_months,
                })
            }
            _ => Err(OfferProblems(problems)),
        }
    }
}

/// The months of a `kind` of offer: none for usage, the allowed terms else.
fn term_of(kind: OfferKind, months: Option<i32>) -> Result<i32, OfferProblem> {
    match (kind, months) {
        (OfferKind::UsageSubscription, None | Some(0)) => Ok(0),
        (OfferKind::UsageSubscription, Some(_)) => Err(OfferProblem::UsageHasNoTerm),
        (OfferKind::TermSubscription, Some(months @ (1 | 12 | 36))) => Ok(months),
        (OfferKind::Reservation, Some(months @ (12 | 36))) => Ok(months),
        (OfferKind::TermSubscription, _) => Err(OfferProblem::SubscriptionTerm),
        (OfferKind::Reservation, _) => Err(OfferProblem::ReservationTerm),
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

/// Adds an offer in an operator's name, recorded in the instance's log in the
/// same transaction; returns its id.
pub fn add_by_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    offer: &NewOffer,
) -> QueryResult<String> {
    crate::db::write_transaction(conn, |conn| {
        let id = add(conn, now, offer)?;
        // Figures only: the log shows its details as stored, in any language.
        let details = offer_price(offer);
        instance_log::record(
            conn,
            now,
            actor,
            InstanceAction::OfferAdded,
            &offer.name,
            &details,
        )?;
        Ok(id)
    })
}

/// The price as the log keeps it: a plain amount and its currency.
fn offer_price(offer: &NewOffer) -> String {
    let cents = offer.unit_price_cents;
    format!("{}.{:02} {}", cents / 100, cents % 100, offer.currency)
}

/// Retires an active offer in an operator's name, recorded in the instance's
/// log; the offer as it was, or None when no active offer has this id.
pub fn retire_by_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    id: &str,
) -> QueryResult<Option<Offer>> {
    crate::db::write_transaction(conn, |conn| {
        let Some(offer) = find(conn, id)?.filter(|offer| offer.active) else {
            return Ok(None);
        };
        if !retire(conn, id)? {
            return Ok(None);
        }
        instance_log::record(
            conn,
            now,
            actor,
            InstanceAction::OfferRetired,
            &offer.name,
            "",
        )?;
        Ok(Some(offer))
    })
}

/// How many orders were placed from the offer (they stay when it is retired).
pub fn orders_of(conn: &mut DbConnection, id: &str) -> QueryResult<i64> {
    crate::db::schema::orders::table
        .filter(crate::db::schema::orders::offer_id.eq(id))
        .count()
        .get_result(conn)
}
