//! The secret key that signs sessions and tokens: given, or generated on first
//! run and kept in the data folder.

use std::path::Path;

use rand::RngCore;

use super::ConfigError;

#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(value: String) -> Result<Self, ConfigError> {
        if value.len() < 32 {
            return Err(ConfigError::SecretTooShort);
        }
        Ok(Self(value))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The secret generated on first run and kept in the data folder, readable by its
/// owner only.
pub(super) fn kept_secret(data_dir: &Path) -> Result<SecretKey, ConfigError> {
    let path = data_dir.join("secret_key");
    let io_error = |source| ConfigError::SecretFile {
        path: path.clone(),
        source,
    };
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return SecretKey::new(existing.trim().to_owned());
    }
    std::fs::create_dir_all(data_dir).map_err(io_error)?;
    let mut bytes = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret).map_err(io_error)?;
    SecretKey::new(secret)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}
