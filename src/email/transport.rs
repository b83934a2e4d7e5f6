//! How emails leave: SMTP when a URL is configured, otherwise .eml files in a
//! folder for development.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{EmailContent, mask_recipient};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("could not build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("could not write the email file: {0}")]
    File(#[from] lettre::transport::file::Error),
}

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Mailer {
    pub fn from_settings(smtp_url: Option<&str>, mail_dir: PathBuf) -> Result<Self, MailError> {
        match smtp_url {
            Some(url) => Ok(Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            )),
            None => {
                if let Err(e) = std::fs::create_dir_all(&mail_dir) {
                    tracing::warn!(error = %e, dir = %mail_dir.display(), "cannot create the mail folder");
                }
                tracing::info!(dir = %mail_dir.display(), "no SMTP URL set: emails are written as .eml files");
                Ok(Mailer::Folder(AsyncFileTransport::new(&mail_dir), mail_dir))
            }
        }
    }

    pub async fn send(
        &self,
        from: &Mailbox,
        to: &str,
        content: &EmailContent,
    ) -> Result<(), MailError> {
        let message = Message::builder()
            .from(from.clone())
            .to(to.parse::<Mailbox>()?)
            .subject(content.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                content.text.clone(),
                content.html.clone(),
            ))?;
        match self {
            Mailer::Smtp(transport) => {
                transport.send(message).await?;
                tracing::info!(to = %mask_recipient(to), "email sent over SMTP");
            }
            Mailer::Folder(transport, dir) => {
                let id = transport.send(message).await?;
                tracing::info!(
                    to = %mask_recipient(to),
                    file = %dir.join(format!("{id}.eml")).display(),
                    "email written to the mail folder"
                );
            }
        }
        Ok(())
    }
}
