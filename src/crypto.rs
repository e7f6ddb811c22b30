//! Secrets encrypted at rest: residents' email addresses, TOTP secrets and
//! pending links are sealed with a key kept outside the database, so that a
//! stolen database file or backup reveals none of them.
//!
//! One master key (32 random bytes, in a key file beside the configuration or
//! a systemd credential / container secret) gives, by HMAC-SHA256 with a
//! label each, three independent keys: the AEAD key (XChaCha20-Poly1305: a
//! random 192-bit nonce per value, so random nonces never collide in
//! practice), the lookup key (a keyed hash finds an account by its email
//! without storing the address in clear), and a fingerprint that tells a
//! wrong key from damaged data.
//!
//! Each sealed value is bound to where it belongs (its "context", e.g.
//! `account.email`): a value copied into another field does not open.

use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The length of the master key, in bytes.
pub const KEY_LEN: usize = 32;
/// The first byte of a sealed value: its format.
const FORMAT: u8 = 1;
/// The length of a key's fingerprint, in bytes.
pub const FINGERPRINT_LEN: usize = 8;
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Sealed with another key: the data comes with a different key file.
    #[error("this value was encrypted with another key (fingerprint {found}); the key in use is {expected}")]
    WrongKey { expected: String, found: String },
    #[error("an encrypted value is damaged or was moved from another field")]
    Damaged,
    #[error("no system randomness to encrypt with")]
    NoRandomness,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: the encryption key is missing. Without it the encrypted data (residents' email addresses, two-factor secrets, mail in the outbox with its addresses and links) cannot be read: put back the key file kept with your backups (see the admin guide, \"The encryption key\"); a new installation gets one from `parvis init`")]
    Missing { path: PathBuf },
    #[error("{path}: this is not a Parvis key (it must hold 64 hexadecimal characters, or 32 bytes): put back the key file kept with your backups")]
    Malformed { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no system randomness to create a key")]
    NoRandomness,
}

/// The keys derived from one master key.
pub struct Keys {
    cipher: XChaCha20Poly1305,
    lookup: [u8; 32],
    /// The private half of the key pair values are sealed to by code that
    /// holds no key (the outbox: see [`PublicKey`]).
    private: [u8; 32],
    fingerprint: [u8; FINGERPRINT_LEN],
    /// The key file it was read from, for messages that say which file to
    /// put back.
    source: Option<PathBuf>,
}

/// The fixed master key of [`Keys::for_tests`]: public, so it protects nothing.
const TEST_MASTER: [u8; KEY_LEN] = [0x5a; KEY_LEN];

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys(fingerprint {})", self.fingerprint_hex())
    }
}

fn derive(master: &[u8; KEY_LEN], label: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(master) {
        mac.update(label);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

impl Keys {
    pub fn from_master(master: &[u8; KEY_LEN]) -> Keys {
        let aead = derive(master, b"parvis-aead-v1");
        let mut fingerprint = [0u8; FINGERPRINT_LEN];
        fingerprint.copy_from_slice(&derive(master, b"parvis-fingerprint-v1")[..FINGERPRINT_LEN]);
        Keys {
            cipher: XChaCha20Poly1305::new(&aead.into()),
            lookup: derive(master, b"parvis-lookup-v1"),
            private: derive(master, b"parvis-x25519-v1"),
            fingerprint,
            source: None,
        }
    }

    /// The keys of the key file at `path` (see [`read_key_file`]).
    pub fn from_file(path: &Path) -> Result<Keys, KeyError> {
        let mut keys = Keys::from_master(&read_key_file(path)?);
        keys.source = Some(path.to_path_buf());
        Ok(keys)
    }

    /// Creates the key file at `path` (never over an existing file) and
    /// returns its keys.
    pub fn create_file(path: &Path) -> Result<Keys, KeyError> {
        let mut keys = Keys::from_master(&create_key_file(path)?);
        keys.source = Some(path.to_path_buf());
        Ok(keys)
    }

    /// Keys from a fixed, public master key: for unit tests, integration
    /// tests and benchmarks only, where a key file would be noise. What they
    /// seal is readable by anyone who reads this source.
    pub fn for_tests() -> Keys {
        Keys::from_master(&TEST_MASTER)
    }

    /// The key file these keys were read from, if any.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// A new random master key.
    pub fn generate_master() -> Result<[u8; KEY_LEN], KeyError> {
        let mut master = [0u8; KEY_LEN];
        getrandom::fill(&mut master).map_err(|_| KeyError::NoRandomness)?;
        Ok(master)
    }

    /// Says which key this is without revealing it (shown by `check-config`,
    /// stored in the database to refuse a backup restored with another key).
    pub fn fingerprint(&self) -> [u8; FINGERPRINT_LEN] {
        self.fingerprint
    }

    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.fingerprint)
    }

    /// Encrypts `plaintext` for the field `context`.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::NoRandomness)?;
        let ciphertext = self
            .cipher
            .encrypt(&nonce.into(), Payload { msg: plaintext, aad: context.as_bytes() })
            .map_err(|_| CryptoError::Damaged)?;
        let mut out = Vec::with_capacity(1 + FINGERPRINT_LEN + NONCE_LEN + ciphertext.len());
        out.push(FORMAT);
        out.extend_from_slice(&self.fingerprint);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(Sealed(out))
    }

    pub fn seal_str(&self, context: &str, plaintext: &str) -> Result<Sealed, CryptoError> {
        self.seal(context, plaintext.as_bytes())
    }

    /// Decrypts a value sealed for the field `context`.
    pub fn open(&self, context: &str, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        let bytes = &sealed.0;
        let header = 1 + FINGERPRINT_LEN + NONCE_LEN;
        if bytes.len() < header || bytes[0] != FORMAT {
            return Err(CryptoError::Damaged);
        }
        let found = &bytes[1..1 + FINGERPRINT_LEN];
        if found != self.fingerprint {
            return Err(CryptoError::WrongKey { expected: self.fingerprint_hex(), found: hex::encode(found) });
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&bytes[1 + FINGERPRINT_LEN..header]);
        self.cipher
            .decrypt(&nonce.into(), Payload { msg: &bytes[header..], aad: context.as_bytes() })
            .map_err(|_| CryptoError::Damaged)
    }

    pub fn open_string(&self, context: &str, sealed: &Sealed) -> Result<String, CryptoError> {
        String::from_utf8(self.open(context, sealed)?).map_err(|_| CryptoError::Damaged)
    }

    /// The public key that values are sealed to without the master key
    /// (recorded in the database for the outbox).
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key: x25519_dalek::x25519(self.private, x25519_dalek::X25519_BASEPOINT_BYTES),
            fingerprint: self.fingerprint,
        }
    }

    /// Opens a value sealed with [`PublicKey::seal`] to this key.
    pub fn open_from_public(&self, context: &str, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        let bytes = &sealed.0;
        let header = 1 + FINGERPRINT_LEN + 32 + NONCE_LEN;
        if bytes.len() < header || bytes[0] != PUBLIC_FORMAT {
            return Err(CryptoError::Damaged);
        }
        let found = &bytes[1..1 + FINGERPRINT_LEN];
        if found != self.fingerprint {
            return Err(CryptoError::WrongKey { expected: self.fingerprint_hex(), found: hex::encode(found) });
        }
        let mut ephemeral = [0u8; 32];
        ephemeral.copy_from_slice(&bytes[1 + FINGERPRINT_LEN..1 + FINGERPRINT_LEN + 32]);
        let shared = x25519_dalek::x25519(self.private, ephemeral);
        let cipher = box_cipher(&shared, &ephemeral, &self.public_key().key);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&bytes[header - NONCE_LEN..header]);
        cipher
            .decrypt(&nonce.into(), Payload { msg: &bytes[header..], aad: context.as_bytes() })
            .map_err(|_| CryptoError::Damaged)
    }

    /// A keyed hash of `value` for finding a record by it (an account by its
    /// email) without keeping the value in clear: without the key, a list of
    /// known addresses cannot be tested against the database.
    pub fn lookup(&self, purpose: &str, value: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.lookup) {
            mac.update(purpose.as_bytes());
            mac.update(&[0]);
            mac.update(value.as_bytes());
            out.copy_from_slice(&mac.finalize().into_bytes());
        }
        out
    }
}

/// The first byte of a value sealed to a public key.
const PUBLIC_FORMAT: u8 = 2;

/// The key of one value sealed to a public key: from the X25519 shared
/// secret and both public keys (as in libsodium's sealed boxes), by HMAC.
fn box_cipher(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> XChaCha20Poly1305 {
    let mut key = [0u8; 32];
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(shared) {
        mac.update(b"parvis-sealed-box-v1");
        mac.update(ephemeral);
        mac.update(recipient);
        key.copy_from_slice(&mac.finalize().into_bytes());
    }
    XChaCha20Poly1305::new(&key.into())
}

/// A public key to seal values to, for code that must write a secret but
/// never read one: queuing a mail (with its address and single-use link)
/// happens inside many operations, none of which needs the master key. Only
/// the holder of the [`Keys`] (the sender, the admin's views) opens them.
/// Each value gets a fresh ephemeral key pair, so two values never share a
/// key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PublicKey {
    pub key: [u8; 32],
    pub fingerprint: [u8; FINGERPRINT_LEN],
}

impl PublicKey {
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let mut ephemeral_secret = [0u8; 32];
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut ephemeral_secret).map_err(|_| CryptoError::NoRandomness)?;
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::NoRandomness)?;
        let ephemeral = x25519_dalek::x25519(ephemeral_secret, x25519_dalek::X25519_BASEPOINT_BYTES);
        let shared = x25519_dalek::x25519(ephemeral_secret, self.key);
        let ciphertext = box_cipher(&shared, &ephemeral, &self.key)
            .encrypt(&nonce.into(), Payload { msg: plaintext, aad: context.as_bytes() })
            .map_err(|_| CryptoError::Damaged)?;
        let mut out = Vec::with_capacity(1 + FINGERPRINT_LEN + 32 + NONCE_LEN + ciphertext.len());
        out.push(PUBLIC_FORMAT);
        out.extend_from_slice(&self.fingerprint);
        out.extend_from_slice(&ephemeral);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(Sealed(out))
    }
}

/// An encrypted value as stored in a record: format, key fingerprint, nonce,
/// ciphertext and tag.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct Sealed(pub Vec<u8>);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

/// Reads a master key: 64 hexadecimal characters (what `parvis init` writes;
/// white space around them is ignored), or 32 raw bytes (a credential made
/// with `systemd-creds` or a container secret).
pub fn read_key_file(path: &Path) -> Result<[u8; KEY_LEN], KeyError> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => KeyError::Missing { path: path.to_path_buf() },
        _ => KeyError::Io { path: path.to_path_buf(), source },
    })?;
    let malformed = || KeyError::Malformed { path: path.to_path_buf() };
    let mut key = [0u8; KEY_LEN];
    if bytes.len() == KEY_LEN {
        key.copy_from_slice(&bytes);
        return Ok(key);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| malformed())?.trim();
    hex::decode_to_slice(text, &mut key).map_err(|_| malformed())?;
    Ok(key)
}

/// Writes a new random master key to `path` (never over an existing file),
/// readable by its owner only.
pub fn create_key_file(path: &Path) -> Result<[u8; KEY_LEN], KeyError> {
    use std::os::unix::fs::OpenOptionsExt;
    let master = Keys::generate_master()?;
    let io = |source| KeyError::Io { path: path.to_path_buf(), source };
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io)?;
    file.write_all(format!("{}\n", hex::encode(master)).as_bytes()).and_then(|_| file.sync_all()).map_err(io)?;
    Ok(master)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_in_its_field() {
        let keys = Keys::from_master(&[7u8; KEY_LEN]);
        let sealed = keys.seal_str("account.email", "camille@example.fr").unwrap();
        assert!(!sealed.0.windows(8).any(|w| w == b"camille@"), "the value is not in clear");
        assert_eq!(keys.open_string("account.email", &sealed).unwrap(), "camille@example.fr");
        // A fresh nonce each time: the same value never seals the same way.
        assert_ne!(keys.seal_str("account.email", "camille@example.fr").unwrap(), sealed);
        // Moved to another field: refused.
        assert!(matches!(keys.open("mail.to", &sealed), Err(CryptoError::Damaged)));
        // Another key: said so, not mistaken for damage.
        let other = Keys::from_master(&[8u8; KEY_LEN]);
        assert!(matches!(other.open("account.email", &sealed), Err(CryptoError::WrongKey { .. })));
        // A flipped bit: refused.
        let mut damaged = sealed.clone();
        let last = damaged.0.len() - 1;
        damaged.0[last] ^= 1;
        assert!(matches!(keys.open("account.email", &damaged), Err(CryptoError::Damaged)));
        assert!(matches!(keys.open("account.email", &Sealed(vec![1, 2, 3])), Err(CryptoError::Damaged)));
    }

    #[test]
    fn a_value_sealed_to_the_public_key_opens_only_with_the_master_key_and_in_its_field() {
        let keys = Keys::from_master(&[7u8; KEY_LEN]);
        let public = keys.public_key();
        let sealed = public.seal("mail", b"camille@example.fr https://x.test/lien/secret").unwrap();
        assert!(!sealed.0.windows(8).any(|w| w == b"camille@"), "the value is not in clear");
        assert_eq!(keys.open_from_public("mail", &sealed).unwrap(), b"camille@example.fr https://x.test/lien/secret");
        assert_ne!(public.seal("mail", b"x").unwrap(), public.seal("mail", b"x").unwrap());
        assert!(matches!(keys.open_from_public("other", &sealed), Err(CryptoError::Damaged)));
        let other = Keys::from_master(&[8u8; KEY_LEN]);
        assert!(matches!(other.open_from_public("mail", &sealed), Err(CryptoError::WrongKey { .. })));
        let mut damaged = sealed.clone();
        damaged.0[20] ^= 1;
        assert!(matches!(keys.open_from_public("mail", &damaged), Err(CryptoError::Damaged)));
        // A symmetric value is not taken for a public one, nor the reverse.
        assert!(keys.open_from_public("mail", &keys.seal("mail", b"x").unwrap()).is_err());
        assert!(keys.open("mail", &sealed).is_err());
    }

    #[test]
    fn lookups_are_keyed_and_per_purpose() {
        let keys = Keys::from_master(&[7u8; KEY_LEN]);
        let a = keys.lookup("email", "camille@example.fr");
        assert_eq!(a, keys.lookup("email", "camille@example.fr"));
        assert_ne!(a, keys.lookup("email", "dominique@example.fr"));
        assert_ne!(a, keys.lookup("token", "camille@example.fr"));
        assert_ne!(a, Keys::from_master(&[8u8; KEY_LEN]).lookup("email", "camille@example.fr"));
        assert_ne!(keys.fingerprint(), Keys::from_master(&[8u8; KEY_LEN]).fingerprint());
        assert!(!format!("{keys:?}").contains("07070707"), "Debug shows the fingerprint only");
    }

    #[test]
    fn key_files_are_created_private_and_read_as_hex_or_raw_bytes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.key");
        let master = create_key_file(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(read_key_file(&path).unwrap(), master);
        assert!(matches!(create_key_file(&path), Err(KeyError::Io { .. })), "never overwritten");
        let raw = dir.path().join("raw.key");
        std::fs::write(&raw, master).unwrap();
        assert_eq!(read_key_file(&raw).unwrap(), master);
        let bad = dir.path().join("bad.key");
        std::fs::write(&bad, "not a key").unwrap();
        assert!(matches!(read_key_file(&bad), Err(KeyError::Malformed { .. })));
        let missing = read_key_file(&dir.path().join("absent.key")).unwrap_err();
        assert!(matches!(missing, KeyError::Missing { .. }));
        assert!(missing.to_string().contains("admin guide"), "{missing}");
    }
}
