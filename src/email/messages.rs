//! One struct per email. Each renders its own text and HTML templates under
//! `templates/email/`, with every sentence taken from the Fluent messages.

use askama::Template;

use super::EmailContent;
use crate::i18n::Translator;

pub trait Email {
    fn render(&self) -> Result<EmailContent, askama::Error>;
}

/// Sent when someone is given a login: the link lets them choose a password.
pub struct ActivationEmail {
    pub tr: Translator,
    pub full_name: String,
    pub organisation: String,
    pub link: String,
    pub valid_hours: i64,
}

#[derive(Template)]
#[template(path = "email/activation.txt")]
struct ActivationText<'a> {
    m: &'a ActivationEmail,
}

#[derive(Template)]
#[template(path = "email/activation.html")]
struct ActivationHtml<'a> {
    m: &'a ActivationEmail,
}

impl ActivationEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            "email-activation-intro",
            &[("organisation", &self.organisation)],
        )
    }

    fn valid_for(&self) -> String {
        self.tr.with_numbers(
            "email-activation-valid",
            &[],
            &[("hours", self.valid_hours.into())],
        )
    }
}

impl Email for ActivationEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                "email-activation-subject",
                &[("organisation", &self.organisation)],
            ),
            text: ActivationText { m: self }.render()?,
            html: ActivationHtml { m: self }.render()?,
        })
    }
}

/// Sent when someone asks to reset a password; the link is valid 60 minutes.
pub struct PasswordResetEmail {
    pub tr: Translator,
    pub full_name: String,
    pub link: String,
    pub valid_minutes: i64,
}

#[derive(Template)]
#[template(path = "email/password_reset.txt")]
struct PasswordResetText<'a> {
    m: &'a PasswordResetEmail,
}

#[derive(Template)]
#[template(path = "email/password_reset.html")]
struct PasswordResetHtml<'a> {
    m: &'a PasswordResetEmail,
}

impl PasswordResetEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn valid_for(&self) -> String {
        self.tr.with_numbers(
            "email-reset-valid",
            &[],
            &[("minutes", self.valid_minutes.into())],
        )
    }
}

impl Email for PasswordResetEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.t("email-reset-subject"),
            text: PasswordResetText { m: self }.render()?,
            html: PasswordResetHtml { m: self }.render()?,
        })
    }
}

/// Sent after any change of password, so an unexpected change does not go unseen.
pub struct PasswordChangedEmail {
    pub tr: Translator,
    pub full_name: String,
    pub reset_link: String,
}

#[derive(Template)]
#[template(path = "email/password_changed.txt")]
struct PasswordChangedText<'a> {
    m: &'a PasswordChangedEmail,
}

#[derive(Template)]
#[template(path = "email/password_changed.html")]
struct PasswordChangedHtml<'a> {
    m: &'a PasswordChangedEmail,
}

impl PasswordChangedEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }
}

impl Email for PasswordChangedEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.t("email-changed-subject"),
            text: PasswordChangedText { m: self }.render()?,
            html: PasswordChangedHtml { m: self }.render()?,
        })
    }
}

/// Sent to the person who left one of their memberships from their profile, so
/// that a leave they did not make does not go unseen.
pub struct MembershipLeftEmail {
    pub tr: Translator,
    pub full_name: String,
    /// The organisation, customer account or sub-account left.
    pub organisation: String,
    /// The role held there, already translated.
    pub role: String,
    pub reset_link: String,
}

#[derive(Template)]
#[template(path = "email/membership_left.txt")]
struct MembershipLeftText<'a> {
    m: &'a MembershipLeftEmail,
}

#[derive(Template)]
#[template(path = "email/membership_left.html")]
struct MembershipLeftHtml<'a> {
    m: &'a MembershipLeftEmail,
}

impl MembershipLeftEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            "email-left-intro",
            &[("organisation", &self.organisation), ("role", &self.role)],
        )
    }

    fn come_back(&self) -> String {
        self.tr.with(
            "email-left-come-back",
            &[("organisation", &self.organisation)],
        )
    }
}

impl Email for MembershipLeftEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                "email-left-subject",
                &[("organisation", &self.organisation)],
            ),
            text: MembershipLeftText { m: self }.render()?,
            html: MembershipLeftHtml { m: self }.render()?,
        })
    }
}

/// Sent to someone who already has a login when they are given an account to
/// administer: no new password, just the news and where to sign in.
pub struct AccessGrantedEmail {
    pub tr: Translator,
    pub full_name: String,
    pub account: String,
    pub sign_in_link: String,
}

#[derive(Template)]
#[template(path = "email/access_granted.txt")]
struct AccessGrantedText<'a> {
    m: &'a AccessGrantedEmail,
}

#[derive(Template)]
#[template(path = "email/access_granted.html")]
struct AccessGrantedHtml<'a> {
    m: &'a AccessGrantedEmail,
}

impl AccessGrantedEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr
            .with("email-access-intro", &[("account", &self.account)])
    }
}

impl Email for AccessGrantedEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self
                .tr
                .with("email-access-subject", &[("account", &self.account)]),
            text: AccessGrantedText { m: self }.render()?,
            html: AccessGrantedHtml { m: self }.render()?,
        })
    }
}

/// Sent to a customer's administrators when their partner asks them to turn
/// partner assistance on.
pub struct AssistanceRequestEmail {
    pub tr: Translator,
    pub full_name: String,
    pub account: String,
    pub partner: String,
    pub person: String,
    pub settings_link: String,
}

#[derive(Template)]
#[template(path = "email/assistance_request.txt")]
struct AssistanceRequestText<'a> {
    m: &'a AssistanceRequestEmail,
}

#[derive(Template)]
#[template(path = "email/assistance_request.html")]
struct AssistanceRequestHtml<'a> {
    m: &'a AssistanceRequestEmail,
}

impl AssistanceRequestEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            "email-assistance-request-intro",
            &[
                ("person", &self.person),
                ("partner", &self.partner),
                ("account", &self.account),
            ],
        )
    }
}

impl Email for AssistanceRequestEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                "email-assistance-request-subject",
                &[("partner", &self.partner), ("account", &self.account)],
            ),
            text: AssistanceRequestText { m: self }.render()?,
            html: AssistanceRequestHtml { m: self }.render()?,
        })
    }
}

/// Sent to a customer administrator who asked to know each time their partner
/// opens the account.
pub struct AccountOpenedEmail {
    pub tr: Translator,
    pub full_name: String,
    pub account: String,
    pub partner: String,
    pub person: String,
    pub reason: String,
    pub activity_link: String,
}

#[derive(Template)]
#[template(path = "email/account_opened.txt")]
struct AccountOpenedText<'a> {
    m: &'a AccountOpenedEmail,
}

#[derive(Template)]
#[template(path = "email/account_opened.html")]
struct AccountOpenedHtml<'a> {
    m: &'a AccountOpenedEmail,
}

impl AccountOpenedEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            "email-opened-intro",
            &[
                ("person", &self.person),
                ("partner", &self.partner),
                ("account", &self.account),
            ],
        )
    }
}

impl Email for AccountOpenedEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                "email-opened-subject",
                &[("partner", &self.partner), ("account", &self.account)],
            ),
            text: AccountOpenedText { m: self }.render()?,
            html: AccountOpenedHtml { m: self }.render()?,
        })
    }
}

/// Sent to whoever invited someone whose activation link expired, so that they
/// send a new one themselves.
pub struct InvitationRequestEmail {
    pub tr: Translator,
    pub full_name: String,
    pub invitee: String,
    pub username: String,
    pub organisation: String,
    pub resend_link: String,
}

#[derive(Template)]
#[template(path = "email/invitation_request.txt")]
struct InvitationRequestText<'a> {
    m: &'a InvitationRequestEmail,
}

#[derive(Template)]
#[template(path = "email/invitation_request.html")]
struct InvitationRequestHtml<'a> {
    m: &'a InvitationRequestEmail,
}

impl InvitationRequestEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr.with(
            "email-request-intro",
            &[
                ("invitee", &self.invitee),
                ("username", &self.username),
                ("organisation", &self.organisation),
            ],
        )
    }
}

impl Email for InvitationRequestEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self
                .tr
                .with("email-request-subject", &[("invitee", &self.invitee)]),
            text: InvitationRequestText { m: self }.render()?,
            html: InvitationRequestHtml { m: self }.render()?,
        })
    }
}

/// An offer of a membership to a login that already exists, sent to the address
/// the inviter typed; the link lets the person accept (signed in as that login)
/// or decline.
pub struct InvitationOfferEmail {
    pub tr: Translator,
    pub full_name: String,
    pub organisation: String,
    pub link: String,
    pub valid_hours: i64,
}

#[derive(Template)]
#[template(path = "email/invitation_offer.txt")]
struct InvitationOfferText<'a> {
    m: &'a InvitationOfferEmail,
}

#[derive(Template)]
#[template(path = "email/invitation_offer.html")]
struct InvitationOfferHtml<'a> {
    m: &'a InvitationOfferEmail,
}

impl InvitationOfferEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.tr
            .with("email-offer-intro", &[("organisation", &self.organisation)])
    }

    fn valid_for(&self) -> String {
        self.tr.with_numbers(
            "email-activation-valid",
            &[],
            &[("hours", self.valid_hours.into())],
        )
    }
}

impl Email for InvitationOfferEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.with(
                "email-offer-subject",
                &[("organisation", &self.organisation)],
            ),
            text: InvitationOfferText { m: self }.render()?,
            html: InvitationOfferHtml { m: self }.render()?,
        })
    }
}

/// Sent to a login's own address when its second factors change: one added or
/// removed by the person, or all reset by their organisation.
pub struct SecondFactorChangedEmail {
    pub tr: Translator,
    pub full_name: String,
    /// The Fluent message saying what happened.
    pub change_key: &'static str,
    pub security_link: String,
}

#[derive(Template)]
#[template(path = "email/second_factor_changed.txt")]
struct SecondFactorChangedText<'a> {
    m: &'a SecondFactorChangedEmail,
}

#[derive(Template)]
#[template(path = "email/second_factor_changed.html")]
struct SecondFactorChangedHtml<'a> {
    m: &'a SecondFactorChangedEmail,
}

impl SecondFactorChangedEmail {
    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }
}

impl Email for SecondFactorChangedEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.tr.t("email-factor-subject"),
            text: SecondFactorChangedText { m: self }.render()?,
            html: SecondFactorChangedHtml { m: self }.render()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn sample(lang: Lang) -> EmailContent {
        ActivationEmail {
            tr: lang.translator(),
            full_name: "Ada <Lovelace>".into(),
            organisation: "Acme & Co".into(),
            link: "https://portal.example/activate/abc".into(),
            valid_hours: 72,
        }
        .render()
        .expect("renders")
    }

    #[test]
    fn activation_email_is_bilingual_and_escaped_only_in_html() {
        let en = sample(Lang::En);
        let fr = sample(Lang::Fr);
        assert!(en.subject.contains("Acme & Co"));
        assert_ne!(en.subject, fr.subject);
        assert!(en.text.contains("Ada <Lovelace>"));
        assert!(en.text.contains("https://portal.example/activate/abc"));
        assert!(
            en.html.contains("Ada &#60;Lovelace&#62;") || en.html.contains("Ada &lt;Lovelace&gt;")
        );
        assert!(fr.text.contains("72"));
    }
}

/// Sent to an alert definition's recipients when one of its monitors has
/// failed as many checks in a row as the rule says, and when it recovers.
pub struct AlertEmail {
    pub tr: Translator,
    pub full_name: String,
    /// "failing" or "recovered".
    pub event: &'static str,
    pub monitor: String,
    pub definition: String,
    pub failures: i32,
    /// The check that decided it, in the recipient's time zone.
    pub checked_at: String,
    pub message: Option<String>,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/alert.txt")]
struct AlertText<'a> {
    m: &'a AlertEmail,
}

#[derive(Template)]
#[template(path = "email/alert.html")]
struct AlertHtml<'a> {
    m: &'a AlertEmail,
}

impl AlertEmail {
    fn args(&self) -> Vec<(&str, String)> {
        vec![
            ("monitor", self.monitor.clone()),
            ("definition", self.definition.clone()),
            ("failures", self.failures.to_string()),
            ("time", self.checked_at.clone()),
        ]
    }

    fn say(&self, key: &str) -> String {
        let args = self.args();
        let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.tr
            .with(&format!("email-alert-{}-{key}", self.event), &borrowed)
    }

    fn greeting(&self) -> String {
        self.tr.with("email-greeting", &[("name", &self.full_name)])
    }

    fn intro(&self) -> String {
        self.say("intro")
    }
}

impl Email for AlertEmail {
    fn render(&self) -> Result<EmailContent, askama::Error> {
        Ok(EmailContent {
            subject: self.say("subject"),
            text: AlertText { m: self }.render()?,
            html: AlertHtml { m: self }.render()?,
        })
    }
}
