//! Argon2 away from the pool: hashing and verifying passwords take a good part
//! of a second, so they run on a blocking thread while no pooled connection is
//! held, between the reads that prepare them and the writes that record them.

use actix_web::web;

use crate::auth::password::{hash_password, verify_against_nothing, verify_password};
use crate::web::PageError;

/// Hashes a new password on a blocking thread.
pub(crate) async fn hash_off_pool(password: String) -> Result<String, PageError> {
    web::block(move || hash_password(&password))
        .await
        .map_err(PageError::internal)?
        .map_err(|e| PageError::internal(anyhow::anyhow!("{e}")))
}

/// Verifies `password` against `stored` on a blocking thread; without a stored
/// hash, the same work against none, so the answer's timing tells nothing.
pub(crate) async fn verify_off_pool(
    password: String,
    stored: Option<String>,
) -> Result<bool, PageError> {
    web::block(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_against_nothing(&password);
            false
        }
    })
    .await
    .map_err(PageError::internal)
}
