//! The server's secret key, and the secrets it seals with it (two-factor secrets): kept
//! in the database only as XChaCha20-Poly1305 ciphertext bound to what they belong to,
//! so a copy of the database alone opens nothing.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// Sealed text starts with this, so another format can follow later.
const VERSION: &str = "v1:";
const NONCE_LEN: usize = 24;

#[derive(Clone)]
pub struct SecretKey(Key);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretKeyError {
    #[error("the secret key must be 64 hexadecimal characters (32 bytes); `openssl rand -hex 32` makes one")]
    Malformed,
    #[error("could not read or write the secret key file {0}: {1}")]
    File(String, String),
    #[error("set BIZOSAAS_SECRET_KEY (64 hexadecimal characters, e.g. from `openssl rand -hex 32`): on PostgreSQL every process must seal and open secrets with the same key")]
    Missing,
}

/// A sealed secret that does not open: altered, sealed for something else, or sealed
/// with another key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a sealed secret could not be opened (another secret key, or altered)")]
pub struct Unopenable;

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    pub fn generate() -> SecretKey {
        SecretKey(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn from_hex(text: &str) -> Result<SecretKey, SecretKeyError> {
        let bytes = from_hex(text.trim()).ok_or(SecretKeyError::Malformed)?;
        if bytes.len() != 32 {
            return Err(SecretKeyError::Malformed);
        }
        Ok(SecretKey(*Key::from_slice(&bytes)))
    }

    pub fn to_hex(&self) -> String {
        to_hex(self.0.as_slice())
    }

    /// The key for a database: the one given, or on SQLite the one kept in a file beside
    /// the database (made on first start, readable by its owner only); PostgreSQL needs
    /// one given, because every process on the database must use the same.
    pub fn for_database(
        given: Option<&str>,
        database_url: &str,
    ) -> Result<SecretKey, SecretKeyError> {
        if let Some(hex) = given {
            return SecretKey::from_hex(hex);
        }
        let Some(path) = sqlite_path(database_url) else {
            return Err(SecretKeyError::Missing);
        };
        if path == ":memory:" {
            return Ok(SecretKey::generate());
        }
        let file = std::path::PathBuf::from(format!("{path}.secret-key"));
        let failed =
            |err: std::io::Error| SecretKeyError::File(file.display().to_string(), err.to_string());
        match std::fs::read_to_string(&file) {
            Ok(hex) => SecretKey::from_hex(&hex),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                write_private(&file, &key.to_hex()).map_err(failed)?;
                tracing::info!(file = %file.display(), "made a new secret key; back it up with the database");
                Ok(key)
            }
            Err(err) => Err(failed(err)),
        }
    }

    /// Seals `secret` for `owner` (e.g. a user's id): it opens only for the same owner.
    pub fn seal(&self, secret: &[u8], owner: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = XChaCha20Poly1305::new(&self.0)
            .encrypt(
                &nonce,
                Payload {
                    msg: secret,
                    aad: owner.as_bytes(),
                },
            )
            // Encryption fails only for messages of gigabytes.
            .unwrap_or_default();
        format!("{VERSION}{}{}", to_hex(&nonce), to_hex(&sealed))
    }

    pub fn open(&self, sealed: &str, owner: &str) -> Result<Vec<u8>, Unopenable> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(from_hex)
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(Unopenable)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        XChaCha20Poly1305::new(&self.0)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| Unopenable)
    }
}

/// The file path of a `sqlite://` database URL, None for other engines.
fn sqlite_path(database_url: &str) -> Option<&str> {
    let rest = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

fn write_private(file: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(file)?
        .write_all(format!("{text}\n").as_bytes())
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_owner_with_its_key() {
        let key = SecretKey::generate();
        let sealed = key.seal(b"JBSWY3DPEHPK3PXP", "user-1");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.open(&sealed, "user-1").unwrap(), b"JBSWY3DPEHPK3PXP");
        assert_eq!(key.open(&sealed, "user-2"), Err(Unopenable));
        assert_eq!(
            SecretKey::generate().open(&sealed, "user-1"),
            Err(Unopenable)
        );
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            key.open(&String::from_utf8(altered).unwrap(), "user-1"),
            Err(Unopenable)
        );
        assert_eq!(key.open("v1:zz", "user-1"), Err(Unopenable));
        // Two seals of one secret differ (a fresh nonce each time).
        assert_ne!(sealed, key.seal(b"JBSWY3DPEHPK3PXP", "user-1"));
    }

    #[test]
    fn keys_are_read_from_hex_and_kept_beside_a_sqlite_database() {
        assert_eq!(
            SecretKey::from_hex("abc").unwrap_err(),
            SecretKeyError::Malformed
        );
        let key = SecretKey::generate();
        assert_eq!(
            SecretKey::from_hex(&key.to_hex()).unwrap().to_hex(),
            key.to_hex()
        );
        assert_eq!(
            SecretKey::for_database(None, "postgres://localhost/db").unwrap_err(),
            SecretKeyError::Missing
        );
        let dir = std::env::temp_dir().join(format!("bizosaas-key-{}", crate::server::new_id()));
        let url = format!("sqlite://{}/bizosaas.db?mode=rwc", dir.display());
        let first = SecretKey::for_database(None, &url).unwrap();
        let again = SecretKey::for_database(None, &url).unwrap();
        assert_eq!(first.to_hex(), again.to_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(dir.join("bizosaas.db.secret-key")).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
