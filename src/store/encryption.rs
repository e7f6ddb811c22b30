//! Which key a database is sealed with, and bringing a database from before
//! encryption to sealed values.
//!
//! The database records the fingerprint of its key (never the key): opening
//! it, or restoring a backup of it, with another key file is refused with a
//! message that names both fingerprints, before anything is read or written.
//! A database without a fingerprint (new, or made before encryption) gets
//! its secrets sealed and the fingerprint recorded in one transaction.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::db::open_database;
use super::schema::TableInfo;
use super::StoreError;
use crate::crypto::{KeyError, Keys, PublicKey, FINGERPRINT_LEN};

/// Name → value: `fingerprint`, the fingerprint of the key the secrets are sealed with.
pub const ENCRYPTION_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("encryption_by_name");

pub(crate) fn all() -> Vec<super::schema::TableInfo> {
    vec![super::schema::table_info!(ENCRYPTION_BY_NAME)]
}

/// The fingerprint recorded in `db`, if its secrets are sealed yet.
pub fn recorded<D: ReadableDatabase>(db: &D) -> Result<Option<[u8; FINGERPRINT_LEN]>, StoreError> {
    let tx = db.begin_read()?;
    let table = match tx.open_table(ENCRYPTION_BY_NAME) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let found = table.get("fingerprint")?;
    Ok(found.and_then(|v| v.value().try_into().ok()))
}

/// The fingerprint recorded in the database file at `path` (`None` for no
/// file, or a database from before encryption). The file must not be in use.
pub fn recorded_in_file(path: &Path) -> Result<Option<[u8; FINGERPRINT_LEN]>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    recorded(&open_database(path, 4)?)
}

/// Refuses `keys` when the database records another key's fingerprint.
pub fn check(stored: Option<[u8; FINGERPRINT_LEN]>, keys: &Keys) -> Result<(), StoreError> {
    match stored {
        Some(stored) if stored != keys.fingerprint() => Err(StoreError::WrongKey {
            stored: hex::encode(stored),
            given: keys.fingerprint_hex(),
            key_file: keys.source().map(|p| p.display().to_string()).unwrap_or_else(|| "in use".into()),
        }),
        _ => Ok(()),
    }
}

/// Checks the key of a migrated database; seals what an older version kept
/// in clear and records the fingerprint, in one transaction, when there is
/// no fingerprint yet, or when addresses are still in clear (an upgrade
/// from a version that sealed only two-factor secrets and the outbox).
/// Returns whether it sealed.
pub(crate) fn check_or_seal(db: &Database, keys: &Keys) -> Result<bool, StoreError> {
    let stored = recorded(db)?;
    check(stored, keys)?;
    if stored.is_some() && !crate::domain::accounts::tables::holds_clear_addresses(db)? {
        return Ok(false);
    }
    let tx = db.begin_write()?;
    if stored.is_none() {
        record_key(&tx, keys)?;
    }
    seal_clear_values(&tx, keys)?;
    tx.commit()?;
    Ok(true)
}

/// Records the fingerprint of `keys` and the public key the outbox seals to.
pub(crate) fn record_key(tx: &WriteTransaction, keys: &Keys) -> Result<(), StoreError> {
    let mut table = tx.open_table(ENCRYPTION_BY_NAME)?;
    table.insert("fingerprint", keys.fingerprint().as_slice())?;
    table.insert("public_key", keys.public_key().key.as_slice())?;
    Ok(())
}

/// The public key values are sealed to by code that holds no key (the
/// outbox), as recorded in the database.
pub fn public_key(tx: &WriteTransaction) -> Result<PublicKey, StoreError> {
    let table = tx.open_table(ENCRYPTION_BY_NAME)?;
    let missing = || {
        StoreError::Internal(
            "the database records no encryption key: it must be opened with its key (Store::open_keyed)".into(),
        )
    };
    let key: [u8; 32] = table.get("public_key")?.and_then(|v| v.value().try_into().ok()).ok_or_else(missing)?;
    let fingerprint = table.get("fingerprint")?.and_then(|v| v.value().try_into().ok()).ok_or_else(missing)?;
    Ok(PublicKey { key, fingerprint })
}

/// Seals every secret an older version stored in clear. Each concept knows
/// its records; a record already sealed is left as it is.
fn seal_clear_values(tx: &WriteTransaction, keys: &Keys) -> Result<(), StoreError> {
    crate::domain::two_factor::tables::seal_clear(tx, keys)?;
    crate::mail::outbox::seal_clear(tx, &keys.public_key())?;
    crate::domain::accounts::tables::seal_clear(tx, keys)?;
    Ok(())
}

/// What a rotation sealed again.
#[derive(Debug, PartialEq, Eq)]
pub struct Resealed {
    pub two_factor_secrets: u64,
    pub mails: u64,
    /// Accounts whose address was sealed again and indexed by the new key's hash.
    pub accounts: u64,
    /// Residents' verifications, letters, codes voided and list deleted.
    pub verification: crate::domain::verification::tables::Resealed,
}

/// Seals every secret of `db` again with `new`, in one transaction: the
/// database is sealed with the old key or the new one, never half of each.
/// Refused unless the database is sealed with `old`.
pub fn rotate(db: &Database, old: &Keys, new: &Keys) -> Result<Resealed, StoreError> {
    let stored = recorded(db)?;
    check(stored, old)?;
    // Addresses still in clear (a database not yet opened by this version)
    // are sealed by the upgrade, which the rotation does not run.
    if stored.is_none() || crate::domain::accounts::tables::holds_clear_addresses(db)? {
        return Err(StoreError::Invalid(
            "this database is not encrypted yet: start Parvis once (it encrypts it with the key) before rotating"
                .into(),
        ));
    }
    let tx = db.begin_write()?;
    let resealed = Resealed {
        two_factor_secrets: crate::domain::two_factor::tables::reseal(&tx, old, new)?,
        mails: crate::mail::outbox::reseal(&tx, old, &new.public_key())?,
        accounts: crate::domain::accounts::tables::reseal(&tx, old, new)?,
        verification: crate::domain::verification::tables::reseal(&tx, old, new)?,
    };
    record_key(&tx, new)?;
    tx.commit()?;
    Ok(resealed)
}

/// Opens every sealed value with `keys` (after a rotation); returns how many.
pub fn open_all(tx: &redb::ReadTransaction, keys: &Keys) -> Result<u64, StoreError> {
    let secrets = crate::domain::two_factor::tables::open_all(tx, keys)?;
    let mails = crate::mail::outbox::recent(tx, keys, usize::MAX, "")?.len() as u64;
    let accounts = crate::domain::accounts::tables::open_all(tx, keys)?;
    let verification = crate::domain::verification::tables::open_all(tx, keys)?;
    Ok(secrets + mails + accounts + verification)
}

/// The keys of the key file at `key_file`, for the database at `db_path`.
///
/// A missing key file is created when the database cannot need it: no
/// database yet, or one from before encryption (an upgrade). When the
/// database records a key, a missing key file is refused: a new key could
/// not read what the old one sealed.
pub fn load_or_create(key_file: &Path, db_path: &Path) -> Result<(Keys, bool), StoreError> {
    match Keys::from_file(key_file) {
        Ok(keys) => Ok((keys, false)),
        Err(KeyError::Missing { path }) => match recorded_in_file(db_path)? {
            Some(_) => Err(KeyError::Missing { path }.into()),
            None => Ok((Keys::create_file(key_file)?, true)),
        },
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::ids::{AccountId, MailId};
    use std::sync::Arc;

    use serde::Serialize;

    use super::*;
    use crate::domain::two_factor::{self, tables::TOTP_BY_ACCOUNT};
    use crate::mail::outbox::{self, MailState, OutgoingMail};
    use crate::mail::Template;
    use crate::store::db::migrate_with;
    use crate::store::schema::MIGRATIONS;
    use crate::store::{encode, Record, Store};

    /// A two-factor record as the version before encryption wrote it.
    #[derive(Serialize, serde::Deserialize)]
    struct Before {
        secret: Vec<u8>,
        last_step: u64,
        created_at: i64,
        enabled_at: Option<i64>,
    }
    impl Record for Before {
        const NAME: &'static str = "old two-factor record";
        const VERSION: u8 = 1;
    }

    /// A message as the version before encryption wrote it.
    #[derive(Serialize, serde::Deserialize)]
    struct OldMail(OutgoingMail);
    impl Record for OldMail {
        const NAME: &'static str = "old mail";
        const VERSION: u8 = 1;
    }

    #[test]
    fn a_database_from_before_encryption_is_sealed_at_its_first_start_and_then_needs_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        let secret = b"0123456789abcdefghij".to_vec();
        {
            let db = open_database(&path, 8).unwrap();
            migrate_with(&db, &MIGRATIONS[..3]).unwrap();
            let tx = db.begin_write().unwrap();
            let old = Before { secret: secret.clone(), last_step: 0, created_at: 1, enabled_at: Some(1) };
            tx.open_table(TOTP_BY_ACCOUNT).unwrap().insert(7, encode(&old).unwrap().as_slice()).unwrap();
            let mail = OutgoingMail {
                id: MailId(1),
                to: "ancien-destinataire@example.test".into(),
                lang: crate::i18n::Lang::Fr,
                template: Template::PasswordChanged { name: "Ancien".into() },
                created_at: 1,
                state: MailState::Pending { attempts: 0, next_attempt_at: 1, last_error: None },
            };
            tx.open_table(outbox::MAIL_BY_ID).unwrap().insert(1, encode(&OldMail(mail)).unwrap().as_slice()).unwrap();
            tx.open_table(outbox::MAIL_ID_BY_DUE).unwrap().insert((1, 1), ()).unwrap();
            let mut counters = tx.open_table(outbox::MAIL_COUNTER_BY_NAME).unwrap();
            counters.insert("next_id", 2).unwrap();
            counters.insert("pending", 1).unwrap();
            drop(counters);
            tx.commit().unwrap();
            assert_eq!(recorded(&db).unwrap(), None);
        }
        let before = std::fs::read(&path).unwrap();
        let address = b"ancien-destinataire@";
        assert!(before.windows(address.len()).any(|w| w == address));
        assert!(before.windows(secret.len()).any(|w| w == secret), "the old version kept it in clear");
        let keys = Arc::new(Keys::from_master(&[3u8; 32]));
        let store = Store::open_keyed(&path, 8, keys.clone()).unwrap();
        assert_eq!(recorded(&*store.database().unwrap()).unwrap(), Some(keys.fingerprint()));
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        // The sealed secret still gives the codes.
        let now = 1_800_000_000;
        let code = two_factor::code_at(&secret, now).unwrap();
        let k = keys.clone();
        let passed =
            store.writer().write_blocking(move |tx| two_factor::verify(tx, &k, AccountId(7), &code, now)).unwrap();
        assert_eq!(passed, two_factor::Passed::Totp);
        let queued = outbox::due(&store.read().unwrap(), &keys, 10, 10).unwrap();
        assert_eq!(queued[0].to, "ancien-destinataire@example.test", "the queued mail is sealed and still goes");
        let k = keys.clone();
        store
            .writer()
            .write_blocking(move |tx| {
                outbox::enqueue(
                    tx,
                    crate::mail::NewMail {
                        to: "n@x.test".into(),
                        lang: crate::i18n::Lang::Fr,
                        template: Template::PasswordChanged { name: "N".into() },
                    },
                )
            })
            .unwrap();
        assert_eq!(outbox::due(&store.read().unwrap(), &k, i64::MAX, 10).unwrap().len(), 2);
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
        drop(store);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret), "no clear secret left in the file");
        assert!(!bytes.windows(address.len()).any(|w| w == address), "no clear address left in the file");
        // Once sealed, another key is refused before anything is read.
        match Store::open_keyed(&path, 8, Arc::new(Keys::from_master(&[4u8; 32]))) {
            Err(StoreError::WrongKey { stored, given, .. }) => {
                assert_eq!(stored, keys.fingerprint_hex());
                assert_ne!(given, stored);
            }
            other => panic!("expected WrongKey, got {:?}", other.err()),
        }
        // And a missing key file is not replaced by a new one.
        let key_file = dir.path().join("parvis.key");
        assert!(matches!(load_or_create(&key_file, &path), Err(StoreError::Key(KeyError::Missing { .. }))));
        assert!(!key_file.exists());
        // A new database gets its key.
        let (_, created) = load_or_create(&key_file, &dir.path().join("new.redb")).unwrap();
        assert!(created && key_file.exists());
    }
    /// An upgrade from the version that sealed two-factor secrets and the
    /// outbox but kept addresses in clear: the first start seals every
    /// account's address and the pending change of address, builds the keyed
    /// index and drops the clear one, in one transaction; the accounts are
    /// found by their address as before.
    #[test]
    fn addresses_kept_in_clear_by_the_previous_version_are_sealed_at_the_upgrade() {
        use crate::domain::accounts::{self, stored::ClearToken, tables, EmailToken, Role, TokenPurpose};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        let keys = Arc::new(Keys::from_master(&[3u8; 32]));
        {
            let db = open_database(&path, 8).unwrap();
            migrate_with(&db, &MIGRATIONS[..6]).unwrap();
            let tx = db.begin_write().unwrap();
            record_key(&tx, &keys).unwrap();
            let camille = accounts::tests::account(AccountId(1), "camille-en-clair@example.test", Role::Resident);
            tables::tests::insert_clear(&tx, &camille);
            let sam = accounts::tests::account(AccountId(2), "sam-en-clair@example.test", Role::Admin);
            tables::tests::insert_clear(&tx, &sam);
            let pending = EmailToken {
                account: AccountId(1),
                purpose: TokenPurpose::ChangeEmail { new_email: "nouvelle-en-clair@example.test".into() },
                expires_at: i64::MAX,
            };
            tx.open_table(tables::EMAIL_TOKEN_BY_HASH)
                .unwrap()
                .insert(&accounts::hash_token("jeton"), encode(&ClearToken(pending)).unwrap().as_slice())
                .unwrap();
            tx.commit().unwrap();
        }
        let clear: [&[u8]; 3] = [b"camille-en-clair@", b"sam-en-clair@", b"nouvelle-en-clair@"];
        let before = std::fs::read(&path).unwrap();
        assert!(clear.iter().all(|a| before.windows(a.len()).any(|w| w == *a)), "the old version kept them in clear");

        let backups = dir.path().join("backups");
        let store = Store::open_with(&path, 8, 0, Some(&backups), keys.clone()).unwrap();
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        let tx = store.read().unwrap();
        assert_eq!(accounts::find_by_email(&tx, "Camille-en-clair@example.test").unwrap().unwrap().id, AccountId(1));
        assert_eq!(accounts::find_by_email(&tx, "sam-en-clair@example.test").unwrap().unwrap().role, Role::Admin);
        let token = accounts::peek_token(&tx, "jeton", 0).unwrap().unwrap();
        assert_eq!(token.purpose, TokenPurpose::ChangeEmail { new_email: "nouvelle-en-clair@example.test".into() });
        assert!(!tables::holds_clear_addresses(&*store.database().unwrap()).unwrap(), "the clear index is gone");
        drop(tx);
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
        drop(store);
        let after = std::fs::read(&path).unwrap();
        for address in clear {
            assert!(
                !after.windows(address.len()).any(|w| w == address),
                "{} left in clear",
                String::from_utf8_lossy(address)
            );
        }
        // The copy taken before the upgrade still holds them: the admin guide
        // says to delete it once the upgrade is checked.
        let copy = std::fs::read_dir(&backups).unwrap().flatten().next().unwrap().path();
        let copy = std::fs::read(copy).unwrap();
        assert!(copy.windows(clear[0].len()).any(|w| w == clear[0]));
        // Opening again seals nothing more.
        let store = Store::open_keyed(&path, 8, keys).unwrap();
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }
}
