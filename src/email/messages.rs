//! One struct per email. Each renders its own text and HTML templates under
//! `templates/email/`, with every sentence taken from the Fluent messages.

use askama::Template;

use super::EmailContent;
use crate::i18n::Translator;

pub trait Email {
    fn render(&self) -> Result<EmailContent, askama::Error>;
}

/// Gives an email struct (with `tr` and `full_name`) its text and HTML
/// templates, the greeting they open with, its `Email` impl, and the methods
/// its templates call for each sentence (`subject` among them), each named
/// with its Fluent message and the fields passed as its arguments:
/// `intro: "key" (account)` passes `account`, `valid_for: "key" [hours =
/// valid_hours]` passes the number `valid_hours` as `hours`.
macro_rules! email {
    ($email:ident, $text_path:tt, $html_path:tt; $($messages:tt)*) => {
        const _: () = {
            #[derive(Template)]
            #[template(path = $text_path)]
            struct Text<'a> {
                m: &'a $email,
            }

            #[derive(Template)]
            #[template(path = $html_path)]
            struct Html<'a> {
                m: &'a $email,
            }

            impl $email {
                fn greeting(&self) -> String {
                    self.tr.with("email-greeting", &[("name", &self.full_name)])
                }

                email_messages!($($messages)*);
            }

            impl Email for $email {
                fn render(&self) -> Result<EmailContent, askama::Error> {
                    Ok(EmailContent {
                        subject: self.subject(),
                        text: Text { m: self }.render()?,
                        html: Html { m: self }.render()?,
                    })
                }
            }
        };
    };
}

/// The sentence methods of `email!`, one a message.
macro_rules! email_messages {
    () => {};
    ($method:ident: $key:literal; $($rest:tt)*) => {
        fn $method(&self) -> String {
            self.tr.t($key)
        }

        email_messages!($($rest)*);
    };
    ($method:ident: $key:literal ($($arg:ident),+); $($rest:tt)*) => {
        fn $method(&self) -> String {
            self.tr.with($key, &[$((stringify!($arg), &self.$arg)),+])
        }

        email_messages!($($rest)*);
    };
    ($method:ident: $key:literal [$($name:ident = $field:ident),+]; $($rest:tt)*) => {
        fn $method(&self) -> String {
            self.tr
                .with_numbers($key, &[], &[$((stringify!($name), self.$field.into())),+])
        }

        email_messages!($($rest)*);
    };
}

/// Sent when someone is given a login: the link lets them choose a password.
pub struct ActivationEmail {
    pub tr: Translator,
    pub full_name: String,
    pub organisation: String,
    pub link: String,
    pub valid_hours: i64,
}

email! {
    ActivationEmail, "email/activation.txt", "email/activation.html";
    subject: "email-activation-subject" (organisation);
    intro: "email-activation-intro" (organisation);
    valid_for: "email-activation-valid" [hours = valid_hours];
}

/// Sent when someone asks to reset a password; the link is valid 60 minutes.
pub struct PasswordResetEmail {
    pub tr: Translator,
    pub full_name: String,
    pub link: String,
    pub valid_minutes: i64,
}

email! {
    PasswordResetEmail, "email/password_reset.txt", "email/password_reset.html";
    subject: "email-reset-subject";
    valid_for: "email-reset-valid" [minutes = valid_minutes];
}

/// Sent after any change of password, so an unexpected change does not go unseen.
pub struct PasswordChangedEmail {
    pub tr: Translator,
    pub full_name: String,
    pub reset_link: String,
}

email! {
    PasswordChangedEmail, "email/password_changed.txt", "email/password_changed.html";
    subject: "email-changed-subject";
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

email! {
    MembershipLeftEmail, "email/membership_left.txt", "email/membership_left.html";
    subject: "email-left-subject" (organisation);
    intro: "email-left-intro" (organisation, role);
    come_back: "email-left-come-back" (organisation);
}

/// Sent to someone who already has a login when they are given an account to
/// administer: no new password, just the news and where to sign in.
pub struct AccessGrantedEmail {
    pub tr: Translator,
    pub full_name: String,
    pub account: String,
    pub sign_in_link: String,
}

email! {
    AccessGrantedEmail, "email/access_granted.txt", "email/access_granted.html";
    subject: "email-access-subject" (account);
    intro: "email-access-intro" (account);
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

email! {
    AssistanceRequestEmail, "email/assistance_request.txt", "email/assistance_request.html";
    subject: "email-assistance-request-subject" (partner, account);
    intro: "email-assistance-request-intro" (person, partner, account);
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

email! {
    AccountOpenedEmail, "email/account_opened.txt", "email/account_opened.html";
    subject: "email-opened-subject" (partner, account);
    intro: "email-opened-intro" (person, partner, account);
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

email! {
    InvitationRequestEmail, "email/invitation_request.txt", "email/invitation_request.html";
    subject: "email-request-subject" (invitee);
    intro: "email-request-intro" (invitee, username, organisation);
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

email! {
    InvitationOfferEmail, "email/invitation_offer.txt", "email/invitation_offer.html";
    subject: "email-offer-subject" (organisation);
    intro: "email-offer-intro" (organisation);
    valid_for: "email-activation-valid" [hours = valid_hours];
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

email! {
    SecondFactorChangedEmail, "email/second_factor_changed.txt", "email/second_factor_changed.html";
    subject: "email-factor-subject";
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

    fn subject(&self) -> String {
        self.say("subject")
    }

    fn intro(&self) -> String {
        self.say("intro")
    }
}

email! { AlertEmail, "email/alert.txt", "email/alert.html"; }

/// Sent to each owner of a partner when one of its webhook endpoints is
/// disabled after failing for days: which endpoint, and its last error.
pub struct WebhookDisabledEmail {
    pub tr: Translator,
    pub full_name: String,
    pub url: String,
    pub days: i64,
    pub last_error: String,
    pub link: String,
}

email! {
    WebhookDisabledEmail, "email/webhook_disabled.txt", "email/webhook_disabled.html";
    subject: "email-webhook-disabled-subject";
    intro: "email-webhook-disabled-intro" (url);
    failing_for: "email-webhook-disabled-days" [days = days];
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
