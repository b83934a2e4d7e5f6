//! Logins and partner memberships, and signing in.

use chrono::NaiveDateTime;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::db::DbConnection;
use partnerdesk::i18n::Lang;
use partnerdesk::organisations::{self, NewPartner};

use super::TestApp;

pub const PASSWORD: &str = "a long enough passphrase";

/// The argon2id hash of `PASSWORD` that fixture logins get, made once per test
/// process at argon2's lowest cost (8 KiB, one pass) rather than the
/// application's 46 MiB. Verifying reads the cost from the stored hash, so
/// signing in as a fixture login runs the application's own sign-in through
/// and through, only cheaply: at the real cost these sign-ins were most of the
/// suite's time. Every hash the application makes itself (activation, reset,
/// a changed password) still has the real cost, and
/// `accounts::an_invited_owner_activates_signs_in_and_lands_on_the_partner_home`
/// proves it and signs in against one.
pub fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::{PasswordHasher, SaltString};
        use argon2::{Algorithm, Argon2, Params, Version};
        let lowest = Params::new(Params::MIN_M_COST, Params::MIN_T_COST, 1, None)
            .expect("argon2's lowest parameters");
        let salt = SaltString::encode_b64(b"fixture-password").expect("a salt");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, lowest)
            .hash_password(PASSWORD.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    })
}

pub fn new_login(username: &str, language: Lang) -> NewLogin {
    NewLogin {
        username: Username::parse(username).expect("username"),
        email: EmailAddress::parse(username).expect("email"),
        full_name: DisplayName::parse(&format!("Person {username}")).expect("name"),
        language,
        time_zone: chrono_tz::Europe::Paris,
    }
}

/// The id of the login `username`, written first (active, with the test
/// password) when there is none.
pub fn known_login(conn: &mut DbConnection, now: NaiveDateTime, username: &str) -> String {
    let parsed = Username::parse(username).expect("username");
    if let Some(id) = accounts::find_by_username(conn, &parsed).expect("lookup") {
        return id;
    }
    let new = new_login(username, Lang::En);
    accounts::insert(conn, now, &new, LoginState::Active, Some(password_hash())).expect("login")
}

impl TestApp {
    /// A partner organisation created by the operator; its owner is invited.
    pub fn invite_partner_owner(&self, organisation: &str, owner: &str, language: Lang) -> String {
        let created = organisations::create_with_owner(
            &mut self.conn(),
            &self.settings,
            self.clock_now(),
            &NewPartner {
                name: DisplayName::parse(organisation).expect("name"),
                parent_id: None,
                owner: new_login(owner, language),
                // Off for the suites about other things; the second-factor
                // suite turns it on through the owner's page.
                second_factor_required: false,
            },
        )
        .expect("partner created");
        created.partner_id
    }

    /// Contoso, whose active owner `owner@contoso.example` is signed in on
    /// the returned browser, in `language`; and the organisation's id.
    pub async fn contoso_owner_signed_in(&self, language: Lang) -> (String, reqwest::Client) {
        let partner = self.invite_partner_owner("Contoso", "olga@contoso.example", language);
        self.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
        let browser = self
            .browser_signed_in("owner@contoso.example", PASSWORD)
            .await;
        if language != Lang::En {
            self.post_as(
                &browser,
                "/language",
                &[("lang", language.code()), ("next", "/")],
            )
            .await;
        }
        (partner, browser)
    }

    /// An active login with a known password and a partner membership; returns
    /// the membership id.
    pub fn active_member(&self, partner_id: &str, username: &str, role: PartnerRole) -> String {
        let mut conn = self.conn();
        let now = self.clock_now();
        let login_id = known_login(&mut conn, now, username);
        organisations::add_member(
            &mut conn,
            now,
            &partnerdesk::ids::PartnerId::new(partner_id),
            &login_id,
            role,
        )
        .expect("membership")
    }

    /// Limits the staff member `membership_id` to the customers of `groups`
    /// (as an owner does on the staff page).
    pub fn limit_to_groups(&self, membership_id: &str, groups: &[&str]) {
        use diesel::prelude::*;
        use partnerdesk::db::schema::{membership_groups, memberships};
        let mut conn = self.conn();
        for group in groups {
            diesel::insert_into(membership_groups::table)
                .values((
                    membership_groups::membership_id.eq(membership_id),
                    membership_groups::group_id.eq(*group),
                ))
                .execute(&mut conn)
                .expect("membership group");
        }
        diesel::update(memberships::table.filter(memberships::id.eq(membership_id)))
            .set(memberships::customers_scoped.eq(true))
            .execute(&mut conn)
            .expect("limited membership");
    }

    /// The active membership of `username` in `partner_id`.
    pub fn active_member_id(&self, partner_id: &str, username: &str) -> String {
        use diesel::prelude::*;
        use partnerdesk::db::schema::{logins, memberships};
        memberships::table
            .inner_join(logins::table)
            .filter(memberships::partner_id.eq(partner_id))
            .filter(logins::username_key.eq(username.to_lowercase()))
            .select(memberships::id)
            .first(&mut self.conn())
            .expect("membership")
    }

    pub fn clock_now(&self) -> chrono::NaiveDateTime {
        use partnerdesk::clock::Clock;
        self.clock.now()
    }

    /// Today as the test logins read it (their zone is Europe/Paris): pages
    /// that count days ("trials ending in 14 days") count from this day,
    /// which is not the UTC date late in the UTC evening.
    pub fn reader_today(&self) -> chrono::NaiveDate {
        self.clock_now()
            .and_utc()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive()
    }

    /// The password hash stored for `username` (whose key is written in lower case).
    pub fn stored_password_hash(&self, username: &str) -> String {
        use diesel::prelude::*;
        use partnerdesk::db::schema::logins;
        let stored: Option<String> = logins::table
            .filter(logins::username_key.eq(username))
            .select(logins::password_hash)
            .first(&mut self.conn())
            .expect("the login");
        stored.expect("a password hash")
    }

    /// Another browser, signed in as `username`.
    pub async fn browser_signed_in(&self, username: &str, password: &str) -> reqwest::Client {
        let browser = super::client();
        let response = self
            .post_as(
                &browser,
                "/login",
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(response.status(), 303, "{username} signs in");
        browser
    }

    /// Signs in through the login form; returns the answer to the POST.
    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("username", username), ("password", password)])
            .await
    }
}
