//! The order form as typed, and the offers it lists.

use serde::Deserialize;

use super::MAX_QUANTITY;
use crate::commerce::catalogue::Offer;
use crate::commerce::{OfferKind, money};
use crate::web::FieldErrors;
use crate::web::confirm::Confirmed;

/// An offer as the order form lists it.
pub struct OfferChoice {
    pub id: String,
    pub label: String,
}

pub fn offer_choices(offers: &[Offer], tr: &crate::i18n::Translator) -> Vec<OfferChoice> {
    offers
        .iter()
        .map(|offer| {
            let price = money::format(offer.unit_price_cents, &offer.currency, tr.lang);
            let per = match offer.kind() {
                OfferKind::Reservation => tr.with_numbers(
                    "offer-per-term",
                    &[],
                    &[("months", offer.term_months.into())],
                ),
                _ => tr.t("offer-per-month"),
            };
            OfferChoice {
                id: offer.id.clone(),
                label: format!(
                    "{} · {} · {price} {per}",
                    offer.name,
                    tr.t(offer.kind().label_key())
                ),
            }
        })
        .collect()
}

/// The order form, posted; also read from the query string when Back returns
/// to it from the review, with the values typed.
#[derive(Deserialize, Default, Clone)]
pub struct OrderForm {
    #[serde(default)]
    pub offer_id: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub subscription_id: String,
    #[serde(default)]
    pub confirmed: Confirmed,
}

impl OrderForm {
    /// The form as first shown: the values Back brought, else a quantity of one.
    pub fn or_one(mut self) -> Self {
        if self.quantity.is_empty() {
            self.quantity = "1".into();
        }
        self
    }

    /// The quantity typed, and the form's errors so far: the quantity's, if
    /// refused.
    pub fn checked_quantity(&self) -> (Option<i32>, FieldErrors) {
        let mut errors = FieldErrors::default();
        let quantity = self
            .quantity()
            .map_err(|key| errors.add("quantity", key))
            .ok();
        (quantity, errors)
    }

    /// The quantity typed, or the message id saying why it is refused.
    pub fn quantity(&self) -> Result<i32, &'static str> {
        match self.quantity.trim().parse::<i32>() {
            Ok(n) if (1..=MAX_QUANTITY).contains(&n) => Ok(n),
            _ => Err("order-quantity-invalid"),
        }
    }
}
