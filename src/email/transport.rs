//! How emails leave: SMTP when a URL is configured, otherwise .eml files in a
//! folder for development.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{EmailContent, mask_recipient};
use crate::accounts::EmailAddress;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address")]
    Address,
    #[error("could not build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("no answer from the mail server within {0:?}")]
    Deadline(Duration),
    #[error("could not write the email file: {0}")]
    File(#[from] lettre::transport::file::Error),
}

impl MailError {
    /// Whether trying again cannot help: the address is one no mailer takes,
    /// the message cannot be built, or the server answered with a 5xx reply.
    /// Anything else (a refused connection, a 4xx reply, the deadline) may pass
    /// on a later attempt.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address | MailError::Build(_) => true,
            MailError::Smtp(error) => error.is_permanent(),
            MailError::Deadline(_) | MailError::File(_) => false,
        }
    }
}

pub enum Mailer {
    /// The transport, and the most one delivery may take from the connection
    /// to the server's last reply.
    Smtp(AsyncSmtpTransport<Tokio1Executor>, Duration),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Mailer {
    pub fn from_settings(
        smtp_url: Option<&str>,
        mail_dir: PathBuf,
        deadline: Duration,
    ) -> Result<Self, MailError> {
        match smtp_url {
            Some(url) => Ok(Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(deadline))
                    .build(),
                deadline,
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

    /// Sends one email. `message_id` is the same for every attempt at the
    /// same outbox row, so that a receiver can drop the duplicate a retry after
    /// a crash may deliver.
    pub async fn send(
        &self,
        from: &Mailbox,
        to: &str,
        message_id: &str,
        content: &EmailContent,
    ) -> Result<(), MailError> {
        let address = EmailAddress::parse(to)
            .ok()
            .and_then(|address| address.to_lettre().ok())
            .ok_or(MailError::Address)?;
        let message = Message::builder()
            .from(from.clone())
            .to(Mailbox::new(None, address))
            .message_id(Some(message_id.to_owned()))
            .subject(content.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                content.text.clone(),
                content.html.clone(),
            ))?;
        match self {
            Mailer::Smtp(transport, deadline) => {
                // lettre's own timeout applies to each network read and write;
                // a server that trickles replies could still hold the worker,
                // so the whole delivery has one deadline.
                tokio::time::timeout(*deadline, transport.send(message))
                    .await
                    .map_err(|_| MailError::Deadline(*deadline))??;
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
