//! Two-factor authentication with TOTP (RFC 6238) and recovery codes.
//!
//! Mandatory for moderators, staff and admins, optional for residents. A
//! code's time step is never accepted twice: the last step used is stored and
//! every later code must be from a newer step (RFC 6238 §5.2), so a code seen
//! over someone's shoulder cannot be replayed. Recovery codes are random,
//! shown once, stored as a SHA-256 and removed when used: see
//! [`recovery_code`] for why a fast hash is enough.

pub mod change;
pub mod tables;

pub use change::{enable, renew_recovery_codes, reset, turn_off, Reset};

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::accounts::AccountId;
use crate::crypto::{Keys, Sealed};
use crate::store::{decode, encode, Record, StoreError};
use tables::{PENDING_BY_ACCOUNT, RECOVERY_CODE_BY_ACCOUNT_HASH, TOTP_BY_ACCOUNT};

/// How many recovery codes a person gets.
pub const RECOVERY_CODES: usize = 10;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TotpRecord {
    /// 20 random bytes (160 bits, RFC 4226's recommendation), sealed for
    /// this account (see [`seal_secret`]): a stolen database file or backup
    /// cannot generate anyone's codes.
    pub secret: Sealed,
    /// The last time step accepted; codes of this step or older are refused.
    pub last_step: u64,
    pub created_at: i64,
    /// Set once the first code has confirmed the enrolment.
    pub enabled_at: Option<i64>,
}

impl Record for TotpRecord {
    const NAME: &'static str = "two-factor record";
    // 2: the secret is sealed (version 1 kept it in clear).
    const VERSION: u8 = 2;
}

/// The field a secret is sealed for: bound to its account, so that a sealed
/// secret copied into another account's record does not open.
fn secret_context(account: AccountId) -> String {
    format!("totp.secret:{account}")
}

pub(crate) fn seal_secret(keys: &Keys, account: AccountId, secret: &[u8]) -> Result<Sealed, StoreError> {
    keys.seal(&secret_context(account), secret)
        .map_err(|source| StoreError::Sealed { what: "two-factor secret", source })
}

pub(crate) fn open_secret(keys: &Keys, account: AccountId, record: &TotpRecord) -> Result<Vec<u8>, StoreError> {
    keys.open(&secret_context(account), &record.secret)
        .map_err(|source| StoreError::Sealed { what: "two-factor secret", source })
}

#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    #[error("the code is not valid")]
    InvalidCode,
    #[error("this code has already been used")]
    Replayed,
    #[error("two-factor authentication is not set up")]
    NotEnabled,
    #[error("no enrolment is in progress")]
    NoEnrolment,
    #[error("the town hall's team must keep two-factor authentication")]
    Required,
    #[error("only an admin may do this")]
    NotAllowed,
    #[error("no such account")]
    NoAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn random_bytes<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("no system randomness: {e}")))?;
    Ok(bytes)
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Result<totp_rs::Totp, TwoFactorError> {
    // `:` separates issuer and account in otpauth URLs: it may appear in neither.
    totp_rs::Builder::new()
        .with_secret(secret.to_vec())
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| TwoFactorError::Store(StoreError::Internal(format!("totp: {e}"))))
}

fn get(
    tx_table: &impl ReadableTable<u64, &'static [u8]>,
    account: AccountId,
) -> Result<Option<TotpRecord>, StoreError> {
    match tx_table.get(account)? {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Whether a person has two-factor authentication enabled.
pub fn is_enabled(tx: &ReadTransaction, account: AccountId) -> Result<bool, StoreError> {
    Ok(get(&tx.open_table(TOTP_BY_ACCOUNT)?, account)?.is_some_and(|r| r.enabled_at.is_some()))
}

/// [`is_enabled`] inside a write transaction.
pub fn is_enabled_in(tx: &WriteTransaction, account: AccountId) -> Result<bool, StoreError> {
    Ok(get(&tx.open_table(TOTP_BY_ACCOUNT)?, account)?.is_some_and(|r| r.enabled_at.is_some()))
}

/// Starts (or restarts) an enrolment: a new secret, not yet enabled. An
/// enabled configuration is not replaced until the new one is confirmed.
pub fn begin_enrolment(
    tx: &WriteTransaction,
    keys: &Keys,
    account: AccountId,
    now: i64,
) -> Result<Vec<u8>, StoreError> {
    let mut table = tx.open_table(PENDING_BY_ACCOUNT)?;
    let secret = random_bytes::<20>()?.to_vec();
    let record =
        TotpRecord { secret: seal_secret(keys, account, &secret)?, last_step: 0, created_at: now, enabled_at: None };
    table.insert(account, encode(&record)?.as_slice())?;
    Ok(secret)
}

/// The pending enrolment's secret, if one is in progress.
pub fn pending_secret(tx: &ReadTransaction, keys: &Keys, account: AccountId) -> Result<Option<Vec<u8>>, StoreError> {
    get(&tx.open_table(PENDING_BY_ACCOUNT)?, account)?.map(|r| open_secret(keys, account, &r)).transpose()
}

/// What an authenticator app needs: the `otpauth://` URL (for the QR code)
/// and the secret in base32 (to type it in).
pub fn provisioning(secret: &[u8], issuer: &str, account_email: &str) -> Result<(String, String), TwoFactorError> {
    let t = totp(secret, issuer, account_email)?;
    let url = t.to_url().map_err(|e| TwoFactorError::Store(StoreError::Internal(format!("totp url: {e}"))))?;
    Ok((url, totp_rs::Secret::from(secret.to_vec()).to_base32()))
}

/// Confirms an enrolment with a first code; returns the recovery codes to show once.
pub fn confirm_enrolment(
    tx: &WriteTransaction,
    keys: &Keys,
    account: AccountId,
    code: &str,
    now: i64,
) -> Result<Vec<String>, TwoFactorError> {
    let pending = get(&tx.open_table(PENDING_BY_ACCOUNT)?, account)?.ok_or(TwoFactorError::NoEnrolment)?;
    let step = totp(&open_secret(keys, account, &pending)?, "Parvis", "x")?
        .check(&normalise_code(code), now.max(0) as u64)
        .ok_or(TwoFactorError::InvalidCode)?;
    let record =
        TotpRecord { secret: pending.secret, last_step: step, created_at: pending.created_at, enabled_at: Some(now) };
    tx.open_table(TOTP_BY_ACCOUNT)?.insert(account, encode(&record)?.as_slice())?;
    tx.open_table(PENDING_BY_ACCOUNT)?.remove(account)?;
    Ok(new_recovery_codes(tx, account)?)
}

/// Replaces the recovery codes; returns the new ones to show once.
pub fn new_recovery_codes(tx: &WriteTransaction, account: AccountId) -> Result<Vec<String>, StoreError> {
    remove_recovery_codes(tx, account)?;
    let mut table = tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = recovery_code()?;
        table.insert((account.get(), &hash_code(account, &normalise_code(&code))), ())?;
        codes.push(code);
    }
    Ok(codes)
}

fn remove_recovery_codes(tx: &WriteTransaction, account: AccountId) -> Result<(), StoreError> {
    let mut table = tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
    let keys: Vec<[u8; 32]> = table
        .range((account.get(), &[0u8; 32])..=(account.get(), &[0xffu8; 32]))?
        .map(|row| row.map(|(k, _)| *k.value().1))
        .collect::<Result<_, _>>()?;
    for k in keys {
        table.remove((account.get(), &k))?;
    }
    Ok(())
}

/// How many unused recovery codes a person has.
pub fn recovery_codes_left(tx: &ReadTransaction, account: AccountId) -> Result<usize, StoreError> {
    let table = tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
    Ok(table.range((account.get(), &[0u8; 32])..=(account.get(), &[0xffu8; 32]))?.count())
}

/// How a sign-in's second step was passed.
#[derive(Debug, PartialEq, Eq)]
pub enum Passed {
    Totp,
    /// With a recovery code; this many are left.
    RecoveryCode {
        left: usize,
    },
}

/// Checks a code from the app (never the same time step twice) or a recovery
/// code (used once).
pub fn verify(
    tx: &WriteTransaction,
    keys: &Keys,
    account: AccountId,
    code: &str,
    now: i64,
) -> Result<Passed, TwoFactorError> {
    let mut table = tx.open_table(TOTP_BY_ACCOUNT)?;
    let mut record = match get(&table, account)? {
        Some(r) if r.enabled_at.is_some() => r,
        _ => return Err(TwoFactorError::NotEnabled),
    };
    let code = normalise_code(code);
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        let secret = open_secret(keys, account, &record)?;
        let step = totp(&secret, "Parvis", "x")?.check(&code, now.max(0) as u64).ok_or(TwoFactorError::InvalidCode)?;
        if step <= record.last_step {
            return Err(TwoFactorError::Replayed);
        }
        record.last_step = step;
        table.insert(account, encode(&record)?.as_slice())?;
        return Ok(Passed::Totp);
    }
    let mut codes = tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
    if codes.remove((account.get(), &hash_code(account, &code)))?.is_none() {
        return Err(TwoFactorError::InvalidCode);
    }
    let left = codes.range((account.get(), &[0u8; 32])..=(account.get(), &[0xffu8; 32]))?.count();
    Ok(Passed::RecoveryCode { left })
}

/// Turns two-factor authentication off (by the person, after
/// re-authentication, or by an admin from the command line).
pub fn disable(tx: &WriteTransaction, account: AccountId) -> Result<bool, StoreError> {
    let removed = tx.open_table(TOTP_BY_ACCOUNT)?.remove(account)?.is_some();
    tx.open_table(PENDING_BY_ACCOUNT)?.remove(account)?;
    remove_recovery_codes(tx, account)?;
    Ok(removed)
}

/// Spaces and dashes typed by people are ignored; letters are lower-cased.
fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// The length, once normalised, of the codes shown by Parvis 0.1 (10 characters, about 50 bits).
const LEGACY_CODE_CHARS: usize = 10;

/// The stored form of a normalised recovery code. The code's length tells
/// which scheme made it, so no version needs storing: the codes shown before
/// the security review (10 characters) keep working, hashed as they were,
/// until their owner renews them or uses them up; the new ones (25
/// characters) are hashed with their account's id, so that one guess is
/// tried against one account only.
fn hash_code(account: AccountId, normalised: &str) -> [u8; 32] {
    if normalised.len() == LEGACY_CODE_CHARS {
        Sha256::digest(format!("parvis-recovery:{normalised}").as_bytes()).into()
    } else {
        Sha256::digest(format!("parvis-recovery-2:{account}:{normalised}").as_bytes()).into()
    }
}

/// The alphabet of recovery codes: lower-case letters and digits without
/// the look-alikes i, l, o, 0 and 1 (31 symbols, log2(31) ≈ 4.95 bits each).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Characters in a recovery code: 25 × 4.95 ≈ 124 bits.
const RECOVERY_CODE_CHARS: usize = 25;

/// A recovery code: 25 characters in five groups, `xxxxx-xxxxx-xxxxx-xxxxx-xxxxx`.
///
/// OWASP ASVS 5.0 asks that a stored lookup secret either carry at least
/// 112 bits of entropy, or be stored with a slow salted hash. The codes carry
/// 124 bits, so a stolen database gives nothing to brute-force and the
/// SHA-256 stays. The other way (short codes under argon2id) would cost up to
/// ten 19 MiB argon2 checks per sign-in attempt, one per unused code since
/// a salted hash cannot be looked up, and make the second step a memory and
/// CPU lever for anyone holding a password. A longer code is typed rarely
/// (a lost phone), and can be pasted.
fn recovery_code() -> Result<String, StoreError> {
    // Bytes of 248 and above are dropped: 248 = 8 × 31, so every symbol is
    // equally likely (a plain `% 31` would favour the first eight).
    let limit = (256 / RECOVERY_ALPHABET.len() * RECOVERY_ALPHABET.len()) as u16;
    let mut code = String::with_capacity(RECOVERY_CODE_CHARS + RECOVERY_CODE_CHARS / 5);
    let mut n = 0;
    while n < RECOVERY_CODE_CHARS {
        for b in random_bytes::<32>()? {
            if u16::from(b) >= limit || n == RECOVERY_CODE_CHARS {
                continue;
            }
            if n > 0 && n % 5 == 0 {
                code.push('-');
            }
            code.push(RECOVERY_ALPHABET[usize::from(b) % RECOVERY_ALPHABET.len()] as char);
            n += 1;
        }
    }
    Ok(code)
}

/// The number of people with two-factor enabled (for statistics).
pub fn enabled_count(tx: &ReadTransaction) -> Result<u64, StoreError> {
    Ok(tx.open_table(TOTP_BY_ACCOUNT)?.len()?)
}

/// The current code for a secret: used by tests and by the demo's
/// instructions, never shown to anyone else.
pub fn code_at(secret: &[u8], time: i64) -> Result<String, TwoFactorError> {
    Ok(totp(secret, "Parvis", "x")?.generate(time.max(0) as u64).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[tokio::test]
    async fn enrolment_replay_and_recovery_codes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let now = 1_800_000_000i64;
        let keys = store.keys().clone();
        let k = keys.clone();
        let secret = store.write(move |tx| begin_enrolment(tx, &k, AccountId(7), now)).await.unwrap();
        let tx = store.read().unwrap();
        assert!(!is_enabled(&tx, AccountId(7)).unwrap());
        let (url, b32) = provisioning(&secret, "Mairie: Saint-Exemple", "a@b.fr").unwrap();
        assert!(url.starts_with("otpauth://totp/") && url.contains(&b32), "{url}");
        drop(tx);

        let k = keys.clone();
        let wrong = store.write(move |tx| confirm_enrolment(tx, &k, AccountId(7), "000000", now)).await;
        assert!(matches!(wrong, Err(TwoFactorError::InvalidCode)) || code_at(&secret, now).unwrap() == "000000");
        let code = code_at(&secret, now).unwrap();
        let c = code.clone();
        let k = keys.clone();
        let recovery = store.write(move |tx| confirm_enrolment(tx, &k, AccountId(7), &c, now)).await.unwrap();
        assert_eq!(recovery.len(), RECOVERY_CODES);
        assert!(is_enabled(&store.read().unwrap(), AccountId(7)).unwrap());

        // The code that confirmed the enrolment cannot sign in: same step.
        let c = code.clone();
        let k = keys.clone();
        let replay = store.write(move |tx| verify(tx, &k, AccountId(7), &c, now + 5)).await;
        assert!(matches!(replay, Err(TwoFactorError::Replayed)), "{replay:?}");
        // The next step's code works once, then is refused.
        let next = code_at(&secret, now + 30).unwrap();
        let n = next.clone();
        let k = keys.clone();
        assert_eq!(store.write(move |tx| verify(tx, &k, AccountId(7), &n, now + 31)).await.unwrap(), Passed::Totp);
        let n = next.clone();
        let k = keys.clone();
        assert!(matches!(
            store.write(move |tx| verify(tx, &k, AccountId(7), &n, now + 35)).await,
            Err(TwoFactorError::Replayed)
        ));

        // A recovery code works once, typed in upper case with spaces.
        let typed = format!(" {} ", recovery[0].to_uppercase());
        let t = typed.clone();
        let k = keys.clone();
        assert_eq!(
            store.write(move |tx| verify(tx, &k, AccountId(7), &t, now + 60)).await.unwrap(),
            Passed::RecoveryCode { left: 9 }
        );
        let k = keys.clone();
        assert!(matches!(
            store.write(move |tx| verify(tx, &k, AccountId(7), &typed, now + 61)).await,
            Err(TwoFactorError::InvalidCode)
        ));
        assert_eq!(recovery_codes_left(&store.read().unwrap(), AccountId(7)).unwrap(), 9);
        assert!(store.verify().unwrap().is_ok());

        assert!(store.write(|tx| disable(tx, AccountId(7))).await.unwrap());
        assert!(!is_enabled(&store.read().unwrap(), AccountId(7)).unwrap());
        assert_eq!(recovery_codes_left(&store.read().unwrap(), AccountId(7)).unwrap(), 0);
    }

    #[test]
    fn recovery_codes_carry_at_least_112_bits_in_five_readable_groups() {
        let bits = RECOVERY_CODE_CHARS as f64 * (RECOVERY_ALPHABET.len() as f64).log2();
        assert!(bits >= 112.0, "{bits}");
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let code = recovery_code().unwrap();
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 5, "{code}");
            assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))), "{code}");
            assert_eq!(normalise_code(&code).len(), RECOVERY_CODE_CHARS);
            assert!(seen.insert(code));
        }
        // Every symbol can come out (the rejection keeps the last ones too).
        let all: std::collections::HashSet<char> = seen.iter().flat_map(|c| c.chars()).filter(|c| *c != '-').collect();
        assert_eq!(all.len(), RECOVERY_ALPHABET.len());
    }

    /// Codes shown before the longer ones keep working until renewed: they
    /// are stored as they were, and looked up the same way.
    #[tokio::test]
    async fn a_recovery_code_of_the_earlier_format_still_works_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let now = 1_800_000_000i64;
        let secret = store.write(move |tx| begin_enrolment(tx, &Keys::for_tests(), AccountId(7), now)).await.unwrap();
        let code = code_at(&secret, now).unwrap();
        store.write(move |tx| confirm_enrolment(tx, &Keys::for_tests(), AccountId(7), &code, now)).await.unwrap();
        // As the earlier release stored "abcde-fghjk": SHA-256 of the prefixed code, no account.
        let legacy: [u8; 32] = Sha256::digest(b"parvis-recovery:abcdefghjk").into();
        store
            .write(move |tx| {
                tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?.insert((7u64, &legacy), ())?;
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        let used =
            store.write(move |tx| verify(tx, &Keys::for_tests(), AccountId(7), "ABCDE-FGHJK", now + 60)).await.unwrap();
        assert_eq!(used, Passed::RecoveryCode { left: 10 });
        assert!(matches!(
            store.write(move |tx| verify(tx, &Keys::for_tests(), AccountId(7), "abcde-fghjk", now + 61)).await,
            Err(TwoFactorError::InvalidCode)
        ));
        // Another account's code does not pass for this one.
        let theirs = store.write(|tx| new_recovery_codes(tx, AccountId(8))).await.unwrap();
        let t = theirs[0].clone();
        assert!(matches!(
            store.write(move |tx| verify(tx, &Keys::for_tests(), AccountId(7), &t, now + 62)).await,
            Err(TwoFactorError::InvalidCode)
        ));
    }
}

crate::redb_errors_into!(TwoFactorError);
