//! The closed sets of values a customer account uses, each stored as a short code
//! and shown through a Fluent message `<prefix>-<code>`.

/// Declares a stored code (`db::codes`) shown through Fluent messages
/// `<prefix>-<code>`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $( $variant:ident => $code:literal ),+ $(,)? }) => {
        crate::db::codes::stored_code!($(#[$meta])* $name { $( $variant => $code ),+ });

        impl $name {
            /// The Fluent message id of the value's name.
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }

            /// The Fluent message id of "<count> customers in this value", whose
            /// `$count` picks the plural form.
            pub fn count_key(self) -> String {
                format!("{}-count-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }
    };
}

coded_enum!(
    /// Creating until the customer's administrator activates their login.
    CustomerState, "customer-state" {
        Creating => "creating",
        Active => "active",
        Suspended => "suspended",
    }
);

coded_enum!(BillingType, "billing" {
    Trial => "trial",
    MonthlyUsage => "monthly_usage",
    TermSubscription => "term_subscription",
});

coded_enum!(Term, "term" {
    Monthly => "monthly",
    Annual => "annual",
});

coded_enum!(
    /// Service health, ordered from best to worst; stored as its level.
    Health, "health" {
        Healthy => "healthy",
        Advisory => "advisory",
        Incident => "incident",
    }
);

coded_enum!(LicenceStatus, "licence" {
    Active => "active",
    Trial => "trial",
    Expired => "expired",
});

impl Health {
    pub fn level(self) -> i32 {
        match self {
            Health::Healthy => 0,
            Health::Advisory => 1,
            Health::Incident => 2,
        }
    }

    pub fn from_level(level: i32) -> Self {
        match level {
            2 => Health::Incident,
            1 => Health::Advisory,
            _ => Health::Healthy,
        }
    }

    /// A symbol that does not rely on colour.
    pub fn icon(self) -> &'static str {
        match self {
            Health::Healthy => "✓",
            Health::Advisory => "!",
            Health::Incident => "✕",
        }
    }
}

impl Term {
    /// The end of the billing period that contains `today`, for a term that began
    /// on `started_on`.
    pub fn period_end(
        self,
        started_on: chrono::NaiveDate,
        today: chrono::NaiveDate,
    ) -> chrono::NaiveDate {
        let step = match self {
            Term::Monthly => chrono::Months::new(1),
            Term::Annual => chrono::Months::new(12),
        };
        let mut end = started_on.checked_add_months(step).unwrap_or(started_on);
        while end <= today {
            match end.checked_add_months(step) {
                Some(next) => end = next,
                None => break,
            }
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn codes_round_trip() {
        for state in CustomerState::ALL {
            assert_eq!(CustomerState::parse(state.as_str()), Some(*state));
        }
        assert_eq!(
            BillingType::MonthlyUsage.label_key(),
            "billing-monthly-usage"
        );
        assert_eq!(Health::parse("nonsense"), None);
        assert_eq!(
            Health::from_level(Health::Incident.level()),
            Health::Incident
        );
    }

    #[test]
    fn a_period_ends_at_the_next_anniversary_after_today() {
        let start = day(2025, 3, 15);
        assert_eq!(
            Term::Annual.period_end(start, day(2025, 3, 15)),
            day(2026, 3, 15)
        );
        assert_eq!(
            Term::Annual.period_end(start, day(2026, 3, 15)),
            day(2027, 3, 15)
        );
        assert_eq!(
            Term::Monthly.period_end(start, day(2025, 5, 20)),
            day(2025, 6, 15)
        );
    }
}

crate::db::codes::stored_code!(
    /// A subscription bills until it is cancelled.
    SubscriptionState {
        Active => "active",
        Cancelled => "cancelled",
    }
);

crate::db::codes::stored_code!(
    /// A reservation holds capacity until it is cancelled or exchanged for another.
    ReservationState {
        Active => "active",
        Cancelled => "cancelled",
        Exchanged => "exchanged",
    }
);

crate::db::codes::stored_code!(
    /// A device counts once it has enrolled.
    DeviceState {
        Pending => "pending",
        Enrolled => "enrolled",
    }
);

coded_enum!(
    /// A CSV import: its rows are checked, then imported all at once or not at all.
    ImportState, "import-state" {
        Queued => "queued",
        Checking => "checking",
        Invalid => "invalid",
        Importing => "importing",
        Done => "done",
        Failed => "failed",
    }
);

/// What an offer becomes once ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferKind {
    /// Billed each month for what was used (an "Azure plan"); no end date.
    UsageSubscription,
    /// A fixed number of seats for a term of months, renewed by the partner.
    TermSubscription,
    /// Capacity bought ahead for a term, attached to a usage subscription.
    Reservation,
}

impl OfferKind {
    pub const ALL: [OfferKind; 3] = [
        OfferKind::UsageSubscription,
        OfferKind::TermSubscription,
        OfferKind::Reservation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::UsageSubscription => "usage_subscription",
            OfferKind::TermSubscription => "term_subscription",
            OfferKind::Reservation => "reservation",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            OfferKind::UsageSubscription => "offer-kind-usage",
            OfferKind::TermSubscription => "offer-kind-term",
            OfferKind::Reservation => "offer-kind-reservation",
        }
    }
}
