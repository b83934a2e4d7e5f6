//! Emails: one struct per email rendered from askama templates (subject, text and
//! HTML parts, in the recipient's language), the transports, and the outbox.

pub mod messages;
pub mod outbox;
pub mod transport;

pub use messages::Email;
pub use transport::Mailer;

/// A rendered email, ready for the outbox.
#[derive(Debug, Clone)]
pub struct EmailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// `ada.lovelace@example.com` becomes `a***@example.com`: enough to tell emails
/// apart in a log without putting addresses in it.
pub fn mask_recipient(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_recipient;

    #[test]
    fn recipients_are_masked() {
        assert_eq!(
            mask_recipient("ada.lovelace@example.com"),
            "a***@example.com"
        );
        assert_eq!(mask_recipient("nonsense"), "***");
    }
}
