//! Orders and customer permissions: the operator's catalogue,
//! orders placed by the partner for a customer, the subscriptions and
//! reservations they become, and the permission that lets a customer buy its own
//! reservations, billed to the partner.
//!
//! Every query here starts from a customer already scoped to the membership in
//! the session (`customers::find` for partners, the membership's own account for
//! customers); an id of another tenant is missing like one that never existed.

pub mod catalogue;
pub mod demo;
pub mod money;
pub mod orders;
pub mod permissions;
pub mod purchase;
pub mod reservations;
pub mod review;
pub mod subscriptions;

use crate::customers::CustomerError;
use crate::web::PageError;

use crate::tenancy::kinds::OfferKind;

/// Who placed an order, or bought a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacedBy {
    Partner,
    Customer,
}

impl PlacedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            PlacedBy::Partner => "partner",
            PlacedBy::Customer => "customer",
        }
    }

    pub fn parse(value: &str) -> Self {
        if value == "customer" {
            PlacedBy::Customer
        } else {
            PlacedBy::Partner
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CommerceError {
    #[error("no such order item")]
    NotFound,
    /// A form field was refused; the message id says why.
    #[error("the field {field} was refused: {message_key}")]
    Field {
        field: &'static str,
        message_key: &'static str,
    },
    #[error("the customer may not buy its own reservations")]
    NotPermitted,
    /// The reservation exists but has ended (cancelled or exchanged).
    #[error("the reservation is no longer active")]
    NotActive,
    /// A form no page of ours sends.
    #[error("malformed form")]
    Malformed,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

crate::customers::wraps_customer_error!(CommerceError);

impl CommerceError {
    pub fn field(field: &'static str, message_key: &'static str) -> Self {
        CommerceError::Field { field, message_key }
    }
}

/// The answer to an error that is not about a form field.
pub fn page_error(error: CommerceError) -> PageError {
    match error {
        // The pages offer no change on an ended reservation: as missing.
        CommerceError::NotFound | CommerceError::NotActive => PageError::NotFound,
        CommerceError::Field { .. } => PageError::BadRequest,
        CommerceError::NotPermitted => PageError::Forbidden,
        CommerceError::Malformed => PageError::BadRequest,
        CommerceError::Customer(error) => crate::customers::details::page_error(error),
    }
}
