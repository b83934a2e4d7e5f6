//! The banners over every page: a second factor the organisation requires,
//! and the sessions in someone else's console or portal.

use super::page_context::PageContext;

impl PageContext {
    /// Over every page while the chosen membership requires a second factor the
    /// login does not have yet: until when it may go on without.
    pub fn second_factor_banner(&self) -> Option<String> {
        let identity = self.identity.as_ref()?;
        if identity.login.second_factor || identity.assisting.is_some() {
            return None;
        }
        let policy = identity.membership.as_ref()?.second_factor_policy?;
        let date = crate::i18n::format_time(policy.deadline(), identity.login.time_zone, self.lang);
        Some(self.tr.with("security-required-by", &[("date", &date)]))
    }

    /// The banner over every page of an "open customer" session: whose console,
    /// for which partner, as whom, until when.
    pub fn assisted_banner(&self) -> Option<String> {
        let identity = self.identity.as_ref()?;
        let assisting = identity.assisting.as_ref()?;
        let until =
            crate::i18n::format_time(assisting.expires_at, identity.login.time_zone, self.lang);
        Some(self.tr.with(
            "assisted-banner",
            &[
                ("account", &assisting.customer_name),
                ("partner", &assisting.partner_name),
                ("person", &identity.login.full_name),
                ("until", &until),
            ],
        ))
    }

    /// The banner over every page of a session in a reseller's portal: whose
    /// portal, for which distributor, as whom, until when.
    pub fn reseller_assist_banner(&self) -> Option<String> {
        let identity = self.identity.as_ref()?;
        let assisting = identity.assisting_reseller.as_ref()?;
        let until =
            crate::i18n::format_time(assisting.expires_at, identity.login.time_zone, self.lang);
        Some(self.tr.with(
            "reseller-assist-banner",
            &[
                ("reseller", &assisting.reseller_name),
                ("distributor", &assisting.distributor_name),
                ("person", &identity.login.full_name),
                ("until", &until),
            ],
        ))
    }
}
