//! Customer accounts written straight into the database as fixtures; what a test
//! examines goes through the server.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use partnerdesk::customers::create::{ADMINISTRATOR_ROLE, add_customer_member};
use partnerdesk::customers::{BillingType, CustomerState, Health, LicenceStatus, search_text};
use partnerdesk::db::schema::{
    customer_accounts, customer_group_members, customer_groups, devices, licences, sites,
};
use partnerdesk::i18n::Lang;
pub use partnerdesk::invitations::Target;

use super::TestApp;
use super::people::{known_login, new_login};

#[derive(Clone)]
pub struct CustomerSpec {
    pub name: String,
    pub domain: String,
    pub state: CustomerState,
    pub billing: BillingType,
    pub health: Health,
    pub managed_order: bool,
    /// Minutes before the test's "now".
    pub age_minutes: i64,
    /// (status, supplied by the partner itself)
    pub licences: Vec<(LicenceStatus, bool)>,
}

impl CustomerSpec {
    pub fn named(name: &str) -> Self {
        let domain = format!("{}.example", name.to_lowercase().replace(' ', "-"));
        Self {
            name: name.to_owned(),
            domain,
            state: CustomerState::Active,
            billing: BillingType::MonthlyUsage,
            health: Health::Healthy,
            managed_order: false,
            age_minutes: 0,
            licences: Vec::new(),
        }
    }
}

impl TestApp {
    /// `count` generated customers of the partner (the demo's and the
    /// benchmark's generator), created up to `now`, spread over new groups
    /// named `groups`; returns their ids.
    pub fn seeded_customers(
        &self,
        partner_id: &str,
        now: NaiveDateTime,
        count: usize,
        groups: &'static [&'static str],
        seed: u64,
    ) -> Vec<String> {
        partnerdesk::customers::seed::generate(
            &mut self.conn(),
            now,
            &partnerdesk::customers::seed::SeedOptions {
                partner_id: partnerdesk::ids::PartnerId::new(partner_id.to_owned()),
                count,
                groups,
                seed,
            },
        )
        .expect("seeded")
    }

    pub fn customer(&self, partner_id: &str, spec: &CustomerSpec) -> String {
        let mut conn = self.conn();
        let now: NaiveDateTime = self.clock_now();
        let created = now - Duration::minutes(spec.age_minutes);
        let id = uuid::Uuid::new_v4().to_string();
        let trial_ends_on =
            (spec.billing == BillingType::Trial).then(|| now.date() + Duration::days(20));
        diesel::insert_into(customer_accounts::table)
            .values((
                customer_accounts::id.eq(&id),
                customer_accounts::partner_id.eq(partner_id),
                customer_accounts::name.eq(&spec.name),
                customer_accounts::name_key.eq(spec.name.to_lowercase()),
                customer_accounts::primary_domain.eq(&spec.domain),
                customer_accounts::search_text.eq(search_text(&spec.name, &spec.domain)),
                customer_accounts::country.eq("FR"),
                customer_accounts::data_region.eq("eu-central"),
                customer_accounts::time_zone.eq("Europe/Paris"),
                customer_accounts::reference_number.eq("REF-1"),
                customer_accounts::subscription_term.eq("monthly"),
                customer_accounts::term_started_on.eq(created.date()),
                customer_accounts::address_line1.eq("1 rue de la Paix"),
                customer_accounts::address_line2.eq(""),
                customer_accounts::postal_code.eq("75002"),
                customer_accounts::city.eq("Paris"),
                customer_accounts::region.eq(""),
                customer_accounts::contact_name.eq(format!("Contact of {}", spec.name)),
                customer_accounts::contact_email.eq(format!("contact@{}", spec.domain)),
                customer_accounts::contact_phone.eq("+33 1 00 00 00 00"),
                customer_accounts::state.eq(spec.state.as_str()),
                customer_accounts::billing_type.eq(spec.billing.as_str()),
                customer_accounts::trial_ends_on.eq(trial_ends_on),
                customer_accounts::managed_order.eq(spec.managed_order),
                customer_accounts::health_level.eq(spec.health.level()),
                customer_accounts::partner_assistance.eq(
                    partnerdesk::customers::assistance_by_default(spec.billing, spec.managed_order),
                ),
                customer_accounts::created_at.eq(created),
                customer_accounts::updated_at.eq(created),
            ))
            .execute(&mut conn)
            .expect("customer fixture");
        diesel::insert_into(sites::table)
            .values((
                sites::id.eq(uuid::Uuid::new_v4().to_string()),
                sites::customer_id.eq(&id),
                sites::name.eq(&spec.name),
                sites::time_zone.eq("Europe/Paris"),
                sites::created_at.eq(created),
            ))
            .execute(&mut conn)
            .expect("site fixture");
        for (status, ours) in &spec.licences {
            diesel::insert_into(licences::table)
                .values((
                    licences::id.eq(uuid::Uuid::new_v4().to_string()),
                    licences::customer_id.eq(&id),
                    licences::product.eq("Endpoint Protection"),
                    licences::quantity.eq(10),
                    licences::status.eq(status.as_str()),
                    licences::supplied_by_partner_id.eq(ours.then_some(partner_id)),
                    licences::expires_on.eq(None::<chrono::NaiveDate>),
                    licences::created_at.eq(created),
                ))
                .execute(&mut conn)
                .expect("licence fixture");
        }
        id
    }

    /// Someone invited into the customer account who has not activated yet, with
    /// an activation link sent; returns the membership id.
    pub fn pending_customer_user(&self, customer_id: &str, username: &str) -> String {
        self.invitation(Target::Customer(customer_id), username, "user")
    }

    /// An invitation made the way the pages make it; returns the membership id.
    pub fn invitation(&self, target: Target<'_>, username: &str, role: &str) -> String {
        partnerdesk::invitations::offer(
            &mut self.conn(),
            &self.settings,
            self.clock_now(),
            &partnerdesk::invitations::Offer {
                person: &new_login(username, Lang::En),
                target,
                role,
                inviter: None,
            },
        )
        .expect("invitation")
    }

    /// Someone invited to the partner who has not activated yet; returns the
    /// membership id.
    pub fn pending_staff(&self, partner_id: &str, username: &str) -> String {
        self.invitation(Target::Partner(partner_id), username, "sales_agent")
    }

    /// Makes the membership an administrator of the site.
    pub fn site_administrator(&self, site_id: &str, membership_id: &str) {
        use partnerdesk::db::schema::site_administrators;
        diesel::insert_into(site_administrators::table)
            .values((
                site_administrators::site_id.eq(site_id),
                site_administrators::membership_id.eq(membership_id),
                site_administrators::created_at.eq(self.clock_now()),
            ))
            .execute(&mut self.conn())
            .expect("site administrator");
    }

    /// The id of the customer's first site.
    pub fn first_site(&self, customer_id: &str) -> String {
        sites::table
            .filter(sites::customer_id.eq(customer_id))
            .order(sites::created_at.asc())
            .select(sites::id)
            .first(&mut self.conn())
            .expect("a site")
    }

    /// A finished import of the partner, started by `username`; returns its id.
    pub fn finished_import(&self, partner_id: &str, username: &str) -> String {
        use partnerdesk::db::schema::{customer_imports, logins};
        let mut conn = self.conn();
        let login_id: String = logins::table
            .filter(logins::username_key.eq(username))
            .select(logins::id)
            .first(&mut conn)
            .expect("the importing login");
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(customer_imports::table)
            .values((
                customer_imports::id.eq(&id),
                customer_imports::partner_id.eq(partner_id),
                customer_imports::created_by_login_id.eq(&login_id),
                customer_imports::state.eq("done"),
                customer_imports::total_rows.eq(1),
                customer_imports::checked_rows.eq(1),
                customer_imports::imported_rows.eq(1),
                customer_imports::problems.eq(""),
                customer_imports::source.eq("customers.csv"),
                customer_imports::created_at.eq(self.clock_now()),
            ))
            .execute(&mut conn)
            .expect("import fixture");
        id
    }

    /// A group of the partner holding `customers`; returns its id.
    /// A rule-based group of `partner_id`: its customers in `country`.
    pub fn rule_group(&self, partner_id: &str, name: &str, country: &str) -> String {
        use partnerdesk::db::schema::customer_group_rules;
        let id = self.group_with(partner_id, name, &[]);
        diesel::insert_into(customer_group_rules::table)
            .values((
                customer_group_rules::group_id.eq(&id),
                customer_group_rules::country.eq(country),
            ))
            .execute(&mut self.conn())
            .expect("rule fixture");
        id
    }

    pub fn group_with(&self, partner_id: &str, name: &str, customers: &[&str]) -> String {
        let mut conn = self.conn();
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(customer_groups::table)
            .values((
                customer_groups::id.eq(&id),
                customer_groups::partner_id.eq(partner_id),
                customer_groups::name.eq(name),
                customer_groups::name_key.eq(name.to_lowercase()),
                customer_groups::created_at.eq(self.clock_now()),
            ))
            .execute(&mut conn)
            .expect("group fixture");
        for customer in customers {
            diesel::insert_into(customer_group_members::table)
                .values((
                    customer_group_members::group_id.eq(&id),
                    customer_group_members::customer_id.eq(*customer),
                    customer_group_members::added_at.eq(self.clock_now()),
                ))
                .execute(&mut conn)
                .expect("group member fixture");
        }
        id
    }

    /// An active login with a known password administering the customer;
    /// returns the membership id.
    pub fn customer_administrator(&self, customer_id: &str, username: &str) -> String {
        self.customer_member(customer_id, username, ADMINISTRATOR_ROLE)
    }

    /// An active login with a known password and a membership of the customer
    /// account in `role` (`administrator` or `user`); returns the membership id.
    pub fn customer_member(&self, customer_id: &str, username: &str, role: &str) -> String {
        let mut conn = self.conn();
        let now = self.clock_now();
        let login_id = known_login(&mut conn, now, username);
        add_customer_member(
            &mut conn,
            now,
            &partnerdesk::ids::CustomerId::new(customer_id),
            &login_id,
            role,
        )
        .expect("membership")
    }

    /// A licence of the customer, expiring in a year, with no usage
    /// reported; returns its id.
    pub fn licence(
        &self,
        customer_id: &str,
        product: &str,
        quantity: i32,
        status: LicenceStatus,
    ) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(licences::table)
            .values((
                licences::id.eq(&id),
                licences::customer_id.eq(customer_id),
                licences::product.eq(product),
                licences::quantity.eq(quantity),
                licences::status.eq(status.as_str()),
                licences::expires_on.eq(self.clock_now().date() + Duration::days(365)),
                licences::created_at.eq(self.clock_now()),
            ))
            .execute(&mut self.conn())
            .expect("licence fixture");
        id
    }

    /// Enrolled devices on the customer's first site (devices have no pages yet).
    pub fn enrolled_devices(&self, customer_id: &str, count: usize) {
        let mut conn = self.conn();
        let site: String = sites::table
            .filter(sites::customer_id.eq(customer_id))
            .select(sites::id)
            .first(&mut conn)
            .expect("a site");
        for n in 0..count {
            diesel::insert_into(devices::table)
                .values((
                    devices::id.eq(uuid::Uuid::new_v4().to_string()),
                    devices::customer_id.eq(customer_id),
                    devices::site_id.eq(&site),
                    devices::name.eq(format!("Camera {n}")),
                    devices::state.eq("enrolled"),
                    devices::created_at.eq(self.clock_now()),
                ))
                .execute(&mut conn)
                .expect("device fixture");
        }
    }
}
