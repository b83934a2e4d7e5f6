//! Password hashing with argon2id at the cost the spec sets (m = 47104 KiB, t = 1,
//! p = 1), and the checks a new password must pass.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

fn hasher() -> Argon2<'static> {
    // Params::new only fails for values outside argon2's limits; these are constants.
    let params = Params::new(47_104, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Why a new password is refused, as the Fluent message id shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    TooCommon,
    Mismatch,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password-too-short",
            PasswordProblem::TooLong => "password-too-long",
            PasswordProblem::TooCommon => "password-too-common",
            PasswordProblem::Mismatch => "password-mismatch",
        }
    }

    /// The form field the message belongs next to.
    pub fn field(self) -> &'static str {
        match self {
            PasswordProblem::Mismatch => "password_confirmation",
            _ => "password",
        }
    }
}

/// A password someone chose: 8 to 128 characters, not among the most common, typed
/// the same twice. No composition rules.
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS.lines().any(|common| common == lowered) {
        return Err(PasswordProblem::TooCommon);
    }
    if password != confirmation {
        return Err(PasswordProblem::Mismatch);
    }
    Ok(())
}

/// A hash to check against when there is no real one, so that an unknown username
/// costs as much time as a known one.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY
        .get_or_init(|| hash_password("no real account has this password").unwrap_or_default());
    let _ = verify_password(password, hash);
}

// Argon2 takes a good part of a second: the two below run it on a blocking
// thread, to be called while no pooled connection is held.

/// Hashes a new password on a blocking thread.
pub async fn hash_off_pool(password: String) -> Result<String, crate::errors::PageError> {
    actix_web::web::block(move || hash_password(&password))
        .await
        .map_err(crate::errors::PageError::internal)?
        .map_err(|e| crate::errors::PageError::internal(anyhow::anyhow!("{e}")))
}

/// Verifies `password` against `stored` on a blocking thread; without a stored
/// hash, the same work against none, so the answer's timing tells nothing.
pub async fn verify_off_pool(
    password: String,
    stored: Option<String>,
) -> Result<bool, crate::errors::PageError> {
    actix_web::web::block(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_against_nothing(&password);
            false
        }
    })
    .await
    .map_err(crate::errors::PageError::internal)
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_passwords_are_checked_without_composition_rules() {
        assert_eq!(
            check_new_password("short", "short"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &"x".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            check_new_password("Password123", "Password123"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(
            check_new_password("plain lowercase words", "plain lowercase word"),
            Err(PasswordProblem::Mismatch)
        );
        assert_eq!(
            check_new_password("plain lowercase words", "plain lowercase words"),
            Ok(())
        );
    }

    use super::*;

    #[test]
    fn hashes_with_argon2id_at_the_required_cost() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=47104,t=1,p=1$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
