//! The provider's client secret at rest: sealed with AES-256-GCM under a key
//! derived from the instance's secret key, so a copy of the database alone
//! does not hand out the organisation's credentials. Rotating the secret key
//! makes stored client secrets unreadable: the owner then types it again (the
//! sign-in through the provider answers that it must be).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hkdf::Hkdf;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::Sha256;

use crate::config::SecretKey;

/// What the derived key is for, so it never serves anything else.
const PURPOSE: &[u8] = b"partnerdesk single sign-on client secret v1";
const NONCE_BYTES: usize = 12;

fn cipher(key: &SecretKey) -> Aes256Gcm {
    let mut derived = [0u8; 32];
    // Expanding 32 bytes never exceeds HKDF-SHA256's limit of 8160.
    let _ = Hkdf::<Sha256>::new(None, key.as_bytes()).expand(PURPOSE, &mut derived);
    Aes256Gcm::new(&derived.into())
}

/// The secret sealed under a fresh nonce, as base64 of nonce and ciphertext.
pub fn seal(key: &SecretKey, secret: &str) -> Result<String, aes_gcm::Error> {
    let mut nonce = [0u8; NONCE_BYTES];
    OsRng.fill_bytes(&mut nonce);
    let sealed = cipher(key).encrypt(Nonce::from_slice(&nonce), secret.as_bytes())?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(STANDARD.encode(out))
}

/// The secret, when it was sealed under this key and left untouched.
pub fn open(key: &SecretKey, sealed: &str) -> Option<String> {
    let bytes = STANDARD.decode(sealed).ok()?;
    if bytes.len() <= NONCE_BYTES {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
    let plain = cipher(key)
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> SecretKey {
        SecretKey::new(text.repeat(40)).expect("a long enough key")
    }

    #[test]
    fn a_sealed_secret_opens_only_under_its_key_and_untouched() {
        let sealed = seal(&key("a"), "client-secret").expect("sealed");
        assert!(!sealed.contains("client-secret"));
        assert_eq!(open(&key("a"), &sealed).as_deref(), Some("client-secret"));
        assert_eq!(open(&key("b"), &sealed), None);
        let mut bytes = STANDARD.decode(&sealed).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(open(&key("a"), &STANDARD.encode(bytes)), None);
        assert_ne!(seal(&key("a"), "client-secret").expect("sealed"), sealed);
    }
}
