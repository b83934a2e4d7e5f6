//! A webhook's secret and its signature: `Partnerdesk-Signature: t=<unix
//! seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, with a second `v1=`
//! made with the previous secret while a rotation's overlap lasts. A receiver
//! recomputes the HMAC with the secret it holds, compares in constant time, and
//! refuses a timestamp too far from its own clock (a replay).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// What every secret starts with, so one found in a log or a file is recognised.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: the prefix and 32 random bytes in hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", hex::encode(bytes))
}

/// The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length: this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Partnerdesk-Signature` header: one `v1=` per secret still valid.
pub fn header(secrets: &[&str], timestamp: i64, body: &str) -> String {
    let mut value = format!("t={timestamp}");
    for secret in secrets {
        value.push_str(",v1=");
        value.push_str(&sign(secret, timestamp, body));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_and_random() {
        let first = new_secret();
        assert!(first.starts_with(SECRET_PREFIX));
        assert_eq!(first.len(), SECRET_PREFIX.len() + 64);
        assert_ne!(first, new_secret());
    }

    #[test]
    fn the_header_signs_timestamp_and_body_with_each_secret() {
        // Computed independently, with
        // python3: hmac.new(b"whsec_k", b"1700000000.{}", "sha256").hexdigest()
        let signature = sign("whsec_k", 1_700_000_000, "{}");
        assert_eq!(
            signature,
            "8b20524faff2b12e1089e404a8cf60fbe577e5320e899ebff7329ebbcb9ada22"
        );
        let header = header(&["whsec_k", "whsec_old"], 1_700_000_000, "{}");
        assert_eq!(
            header,
            format!(
                "t=1700000000,v1={signature},v1={}",
                sign("whsec_old", 1_700_000_000, "{}")
            )
        );
        assert_ne!(sign("whsec_k", 1_700_000_001, "{}"), signature);
    }
}
