//! A software authenticator for the passkey tests over HTTP: P-256 keys signing
//! the ceremonies' challenges as a browser's authenticator would.

use crate::helpers::TestApp;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openssl::bn::BigNumContext;
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .expect("base64url")
}

/// One credential of a software authenticator.
pub(crate) struct SoftPasskey {
    pub(crate) key: PKey<Private>,
    pub(crate) id: Vec<u8>,
    /// The user handle it was made for.
    pub(crate) user: Vec<u8>,
    pub(crate) counter: u32,
    pub(crate) origin: String,
    pub(crate) rp_id: String,
}

impl SoftPasskey {
    /// Answers `navigator.credentials.create` for these options.
    pub(crate) fn create(app: &TestApp, options: &Value) -> (SoftPasskey, Value) {
        let options = &options["publicKey"];
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256");
        let ec = EcKey::generate(&group).expect("a key");
        let mut x = openssl::bn::BigNum::new().expect("bn");
        let mut y = openssl::bn::BigNum::new().expect("bn");
        ec.public_key()
            .affine_coordinates(
                &group,
                &mut x,
                &mut y,
                &mut BigNumContext::new().expect("ctx"),
            )
            .expect("coordinates");
        let id: Vec<u8> = (0..16).map(|_| rand::random::<u8>()).collect();
        let passkey = SoftPasskey {
            key: PKey::from_ec_key(ec).expect("pkey"),
            id,
            user: unb64(options["user"]["id"].as_str().expect("user id")),
            counter: 0,
            origin: app.settings.base_url.origin().ascii_serialization(),
            rp_id: options["rp"]["id"].as_str().expect("rp id").to_owned(),
        };
        // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}.
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend(x.to_vec_padded(32).expect("x"));
        cose.extend([0x22, 0x58, 0x20]);
        cose.extend(y.to_vec_padded(32).expect("y"));
        let mut auth_data = passkey.auth_data_head(0x45); // UP, UV, AT
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend(u16::try_from(passkey.id.len()).expect("len").to_be_bytes());
        auth_data.extend(&passkey.id);
        auth_data.extend(cose);
        // {"fmt": "none", "attStmt": {}, "authData": bytes}
        let mut attestation = vec![0xa3, 0x63];
        attestation.extend(b"fmt");
        attestation.push(0x64);
        attestation.extend(b"none");
        attestation.push(0x67);
        attestation.extend(b"attStmt");
        attestation.push(0xa0);
        attestation.push(0x68);
        attestation.extend(b"authData");
        attestation.push(0x59);
        attestation.extend(u16::try_from(auth_data.len()).expect("len").to_be_bytes());
        attestation.extend(auth_data);
        let client_data = passkey.client_data("webauthn.create", options);
        let credential = json!({
            "id": b64(&passkey.id),
            "rawId": b64(&passkey.id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "attestationObject": b64(&attestation),
                "clientDataJSON": b64(&client_data),
            },
        });
        (passkey, credential)
    }

    pub(crate) fn auth_data_head(&self, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend(self.counter.to_be_bytes());
        data
    }

    pub(crate) fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    /// Answers `navigator.credentials.get` for these options, as the user
    /// `user` (its own by default).
    pub(crate) fn assert_as(&mut self, options: &Value, user: Option<&[u8]>) -> Value {
        let options = &options["publicKey"];
        self.counter += 1;
        let auth_data = self.auth_data_head(0x05); // UP, UV
        let client_data = self.client_data("webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let mut signer =
            openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &self.key)
                .expect("signer");
        signer.update(&signed).expect("sign");
        let signature = signer.sign_to_vec().expect("signature");
        json!({
            "id": b64(&self.id),
            "rawId": b64(&self.id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(&signature),
                "userHandle": b64(user.unwrap_or(&self.user)),
            },
        })
    }

    pub(crate) fn assert(&mut self, options: &Value) -> Value {
        self.assert_as(options, None)
    }
}
