//! Sessions: server-side, one random 128-bit token per signed-in browser.
//!
//! The browser holds the token in a cookie; the database holds its SHA-256.
//! A session ends after `idle` without activity or `absolute` after sign-in,
//! whichever comes first, and every session of a person can be revoked at
//! once (password change, block).

pub mod sign_in;
pub mod tables;

pub use sign_in::{reauthenticate, revoke_own, second_factor, sign_in_failed, sign_out, start, CodeChecked, Revoke};

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::accounts::AccountId;
use crate::store::{decode, encode, Record, StoreError};
use tables::{SESSION_BY_TOKEN_HASH, SESSION_HASH_BY_ACCOUNT};

pub type TokenHash = [u8; 32];

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Session {
    pub account: AccountId,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Password given, second factor not yet: the session grants nothing but
    /// the code page.
    pub two_factor_pending: bool,
    /// When the person last proved who they are (sign-in or re-authentication).
    pub authenticated_at: i64,
    /// A short description of the browser, for the list of sessions.
    pub device: String,
    pub ip: String,
}

impl Record for Session {
    const NAME: &'static str = "session";
    const VERSION: u8 = 1;
}

/// How long sessions live, from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

/// How long a session waiting for its second factor lives: typing a code
/// takes seconds, and a password-only session left open longer is one more
/// thing for someone else at the keyboard to finish.
pub const PENDING_SECS: i64 = 5 * 60;

impl Lifetime {
    pub fn is_expired(&self, s: &Session, now: i64) -> bool {
        now > self.expires_at(s)
    }

    /// When the session expires if nothing happens.
    pub fn expires_at(&self, s: &Session) -> i64 {
        let usual = (s.last_seen_at + self.idle_secs).min(s.created_at + self.absolute_secs);
        if s.two_factor_pending {
            usual.min(s.created_at + PENDING_SECS)
        } else {
            usual
        }
    }
}

pub fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// A new random token (128 bits, hex).
pub fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("no system randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Starts a session; returns the token to put in the cookie.
pub fn create(tx: &WriteTransaction, token: &str, session: &Session) -> Result<TokenHash, StoreError> {
    let hash = hash_token(token);
    tx.open_table(SESSION_BY_TOKEN_HASH)?.insert(&hash, encode(session)?.as_slice())?;
    tx.open_table(SESSION_HASH_BY_ACCOUNT)?.insert((session.account.get(), &hash), ())?;
    Ok(hash)
}

/// The live session of a token, if any.
pub fn find(
    tx: &ReadTransaction,
    token: &str,
    lifetime: Lifetime,
    now: i64,
) -> Result<Option<(TokenHash, Session)>, StoreError> {
    let hash = hash_token(token);
    let table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let found = table.get(&hash)?;
    let Some(bytes) = found else { return Ok(None) };
    let session: Session = decode(bytes.value())?;
    if lifetime.is_expired(&session, now) {
        return Ok(None);
    }
    Ok(Some((hash, session)))
}

/// A session by its token hash, inside a write transaction (expired or not).
pub fn get_in(tx: &WriteTransaction, hash: &TokenHash) -> Result<Option<Session>, StoreError> {
    let table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let found = table.get(hash)?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

/// Applies `change` to a session; false if it no longer exists.
pub fn update(tx: &WriteTransaction, hash: &TokenHash, change: impl FnOnce(&mut Session)) -> Result<bool, StoreError> {
    let mut table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let current = match table.get(hash)? {
        Some(bytes) => decode::<Session>(bytes.value())?,
        None => return Ok(false),
    };
    let mut session = current;
    change(&mut session);
    table.insert(hash, encode(&session)?.as_slice())?;
    Ok(true)
}

pub fn revoke(tx: &WriteTransaction, hash: &TokenHash) -> Result<bool, StoreError> {
    let mut table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let removed = table.remove(hash)?.map(|b| decode::<Session>(b.value()));
    match removed {
        Some(session) => {
            tx.open_table(SESSION_HASH_BY_ACCOUNT)?.remove((session?.account.get(), hash))?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Ends every session of a person; returns how many there were.
pub fn revoke_all(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let hashes = hashes_of(&tx.open_table(SESSION_HASH_BY_ACCOUNT)?, account)?;
    let mut sessions = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let mut index = tx.open_table(SESSION_HASH_BY_ACCOUNT)?;
    for hash in &hashes {
        sessions.remove(hash)?;
        index.remove((account.get(), hash))?;
    }
    Ok(hashes.len())
}

fn hashes_of(
    index: &impl ReadableTable<(u64, &'static [u8; 32]), ()>,
    account: AccountId,
) -> Result<Vec<TokenHash>, StoreError> {
    let lo = [0u8; 32];
    let hi = [0xffu8; 32];
    let mut out = Vec::new();
    for row in index.range((account.get(), &lo)..=(account.get(), &hi))? {
        let (key, _) = row?;
        out.push(*key.value().1);
    }
    Ok(out)
}

/// The live sessions of a person, most recently used first.
pub fn list(
    tx: &ReadTransaction,
    account: AccountId,
    lifetime: Lifetime,
    now: i64,
) -> Result<Vec<(TokenHash, Session)>, StoreError> {
    let hashes = hashes_of(&tx.open_table(SESSION_HASH_BY_ACCOUNT)?, account)?;
    let table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let mut out = Vec::new();
    for hash in hashes {
        if let Some(bytes) = table.get(&hash)? {
            let s: Session = decode(bytes.value())?;
            if !lifetime.is_expired(&s, now) {
                out.push((hash, s));
            }
        }
    }
    out.sort_by_key(|(_, s)| std::cmp::Reverse(s.last_seen_at));
    Ok(out)
}

/// Every session of a person, inside a write transaction.
pub fn list_in(tx: &WriteTransaction, account: AccountId) -> Result<Vec<(TokenHash, Session)>, StoreError> {
    let hashes = hashes_of(&tx.open_table(SESSION_HASH_BY_ACCOUNT)?, account)?;
    let table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let mut out = Vec::new();
    for hash in hashes {
        if let Some(bytes) = table.get(&hash)? {
            out.push((hash, decode::<Session>(bytes.value())?));
        }
    }
    Ok(out)
}

/// Deletes expired sessions; returns how many.
pub fn purge_expired(tx: &WriteTransaction, lifetime: Lifetime, now: i64) -> Result<usize, StoreError> {
    let expired: Vec<(TokenHash, AccountId)> = {
        let table = tx.open_table(SESSION_BY_TOKEN_HASH)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (hash, bytes) = row?;
            let s: Session = decode(bytes.value())?;
            if lifetime.is_expired(&s, now) {
                out.push((*hash.value(), s.account));
            }
        }
        out
    };
    let mut sessions = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let mut index = tx.open_table(SESSION_HASH_BY_ACCOUNT)?;
    for (hash, account) in &expired {
        sessions.remove(hash)?;
        index.remove((account.get(), hash))?;
    }
    Ok(expired.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::Store;

    /// A fully signed-in session of `account` started at `now` (shared by
    /// the tests of the sessions and accounts concepts).
    pub(crate) fn session(account: AccountId, now: i64) -> Session {
        Session {
            account,
            created_at: now,
            last_seen_at: now,
            two_factor_pending: false,
            authenticated_at: now,
            device: "Firefox".into(),
            ip: "127.0.0.1".into(),
        }
    }

    const LIFE: Lifetime = Lifetime { idle_secs: 600, absolute_secs: 3600 };

    #[tokio::test]
    async fn sessions_expire_when_idle_or_old_and_revoke_all_ends_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b, c) = (new_token().unwrap(), new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        let (a2, b2, c2) = (a.clone(), b.clone(), c.clone());
        store
            .write(move |tx| {
                create(tx, &a2, &session(AccountId(1), 1000))?;
                create(tx, &b2, &session(AccountId(1), 1000))?;
                create(tx, &c2, &session(AccountId(2), 1000))
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        assert!(find(&tx, &a, LIFE, 1500).unwrap().is_some());
        assert!(find(&tx, &a, LIFE, 1601).unwrap().is_none(), "idle");
        assert!(find(&tx, "not-a-token", LIFE, 1500).unwrap().is_none());
        assert_eq!(list(&tx, AccountId(1), LIFE, 1500).unwrap().len(), 2);
        drop(tx);
        // Activity keeps a session alive until the absolute limit.
        let ha = hash_token(&a);
        store.write(move |tx| update(tx, &ha, |s| s.last_seen_at = 4500)).await.unwrap();
        let tx = store.read().unwrap();
        assert!(find(&tx, &a, LIFE, 4550).unwrap().is_some(), "kept alive by activity");
        assert!(find(&tx, &a, LIFE, 4650).unwrap().is_none(), "absolute");
        drop(tx);
        assert_eq!(store.write(|tx| revoke_all(tx, AccountId(1))).await.unwrap(), 2);
        let tx = store.read().unwrap();
        assert!(find(&tx, &b, LIFE, 1500).unwrap().is_none());
        assert!(find(&tx, &c, LIFE, 1500).unwrap().is_some(), "another person's session stays");
        drop(tx);
        assert_eq!(store.write(move |tx| purge_expired(tx, LIFE, 99_999)).await.unwrap(), 1);
        assert!(store.verify().unwrap().is_ok());
    }

    #[test]
    fn a_session_waiting_for_its_code_lives_five_minutes_even_when_active() {
        let mut pending = session(AccountId(1), 1000);
        pending.two_factor_pending = true;
        pending.last_seen_at = 1290;
        assert!(!LIFE.is_expired(&pending, 1300));
        assert!(LIFE.is_expired(&pending, 1000 + PENDING_SECS + 1));
        assert_eq!(LIFE.expires_at(&pending), 1000 + PENDING_SECS);
        let full = session(AccountId(1), 1000);
        assert!(!LIFE.is_expired(&full, 1000 + PENDING_SECS + 1), "a full session keeps its lifetime");
    }
}
