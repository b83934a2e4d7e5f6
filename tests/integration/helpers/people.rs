//! Logins and partner memberships, and signing in.

use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::auth::password::hash_password;
use partnerdesk::i18n::Lang;
use partnerdesk::organisations::{self, NewPartner};

use super::TestApp;

pub const PASSWORD: &str = "a long enough passphrase";

/// The argon2 hash of `PASSWORD`, computed once per test process: at its real
/// cost it was the slowest step of creating a login.
pub fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash"))
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
        let login_id = match accounts::find_by_username(
            &mut conn,
            &Username::parse(username).expect("username"),
        )
        .expect("lookup")
        {
            Some(id) => id,
            None => {
                let hash = password_hash();
                accounts::insert(
                    &mut conn,
                    now,
                    &new_login(username, Lang::En),
                    LoginState::Active,
                    Some(hash),
                )
                .expect("login")
            }
        };
        organisations::add_member(
            &mut conn,
            now,
            &partnerdesk::ids::PartnerId::new(partner_id),
            &login_id,
            role,
        )
        .expect("membership")
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
