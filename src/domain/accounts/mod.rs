//! Accounts: the people who use Parvis and their roles.
//!
//! This first version holds what the appliance needs: the first admin created
//! by `parvis init`, the demo's residents, and the counts shown on the home
//! page. Sign-in, sessions and two-factor authentication build on it.

pub mod tables;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::store::{decode, encode, Record, StoreError};
use tables::{ACCOUNT_BY_ID, ACCOUNT_COUNTER_BY_NAME, ACCOUNT_ID_BY_EMAIL};

pub type AccountId = u64;

/// What someone may do. Ordered: each role can do what the ones before it can.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Resident,
    VerifiedResident,
    Moderator,
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::VerifiedResident => "verified-resident",
            Role::Moderator => "moderator",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Account {
    pub id: AccountId,
    /// Normalised: trimmed, lower case.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// PHC string of an argon2id hash.
    pub password_hash: String,
    /// Set for a one-time password: the person must choose their own at first sign-in.
    pub must_change_password: bool,
    /// "fr" or "en": the language of the messages sent to this person.
    pub language: String,
    /// One of the commune's neighbourhoods, given with consent for statistics.
    pub neighbourhood: Option<String>,
    pub created_at: i64,
}

impl Record for Account {
    const NAME: &'static str = "account";
    const VERSION: u8 = 1;
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account already uses this email address")]
    EmailTaken,
    #[error("this is not a valid email address")]
    InvalidEmail,
    #[error("no such account")]
    NotFound,
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What is needed to create an account.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
    pub language: String,
    pub neighbourhood: Option<String>,
}

pub fn normalise_email(raw: &str) -> Result<String, AccountError> {
    let email = raw.trim().to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid && email.len() <= 254 {
        Ok(email)
    } else {
        Err(AccountError::InvalidEmail)
    }
}

/// Hashes a password with argon2id at OWASP's parameters (the crate default).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let hash: PasswordHash =
        Argon2::default().hash_password(password.as_bytes()).map_err(|e| AccountError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

pub fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A password shown once (first admin, demo admin): 20 characters from an
/// alphabet without look-alikes, about 100 bits.
pub fn one_time_password() -> Result<String, AccountError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Hash(e.to_string()))?;
    let chars: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    Ok(format!("{}-{}-{}-{}", &chars[0..5], &chars[5..10], &chars[10..15], &chars[15..20]))
}

/// Creates an account; the email check and the write are one transaction.
pub fn create(tx: &WriteTransaction, new: &NewAccount) -> Result<AccountId, AccountError> {
    let email = normalise_email(&new.email)?;
    let mut by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL).map_err(StoreError::from)?;
    if by_email.get(email.as_str()).map_err(StoreError::from)?.is_some() {
        return Err(AccountError::EmailTaken);
    }
    let mut counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME).map_err(StoreError::from)?;
    let id = counters.get("next_id").map_err(StoreError::from)?.map(|v| v.value()).unwrap_or(1);
    let count = counters.get("count").map_err(StoreError::from)?.map(|v| v.value()).unwrap_or(0);
    let account = Account {
        id,
        email: email.clone(),
        display_name: new.display_name.trim().to_string(),
        role: new.role,
        password_hash: new.password_hash.clone(),
        must_change_password: new.must_change_password,
        language: new.language.clone(),
        neighbourhood: new.neighbourhood.clone(),
        created_at: super::now_unix(),
    };
    tx.open_table(ACCOUNT_BY_ID)
        .map_err(StoreError::from)?
        .insert(id, encode(&account)?.as_slice())
        .map_err(StoreError::from)?;
    by_email.insert(email.as_str(), id).map_err(StoreError::from)?;
    counters.insert("next_id", id + 1).map_err(StoreError::from)?;
    counters.insert("count", count + 1).map_err(StoreError::from)?;
    Ok(id)
}

/// Replaces the password of an account (admin reset, demo start-up).
pub fn set_password(
    tx: &WriteTransaction,
    id: AccountId,
    password_hash: &str,
    one_time: bool,
) -> Result<(), AccountError> {
    let mut table = tx.open_table(ACCOUNT_BY_ID).map_err(StoreError::from)?;
    let mut account: Account = match table.get(id).map_err(StoreError::from)? {
        Some(bytes) => decode(bytes.value())?,
        None => return Err(AccountError::NotFound),
    };
    account.password_hash = password_hash.to_string();
    account.must_change_password = one_time;
    table.insert(id, encode(&account)?.as_slice()).map_err(StoreError::from)?;
    Ok(())
}

pub fn get(tx: &ReadTransaction, id: AccountId) -> Result<Option<Account>, AccountError> {
    let table = tx.open_table(ACCOUNT_BY_ID).map_err(StoreError::from)?;
    let found = table.get(id).map_err(StoreError::from)?;
    Ok(match found {
        Some(bytes) => Some(decode(bytes.value())?),
        None => None,
    })
}

pub fn find_by_email(tx: &ReadTransaction, email: &str) -> Result<Option<Account>, AccountError> {
    let Ok(email) = normalise_email(email) else { return Ok(None) };
    let index = tx.open_table(ACCOUNT_ID_BY_EMAIL).map_err(StoreError::from)?;
    let id = index.get(email.as_str()).map_err(StoreError::from)?.map(|v| v.value());
    match id {
        Some(id) => get(tx, id),
        None => Ok(None),
    }
}

/// How many accounts exist (read from the counter, not by scanning).
pub fn count(tx: &ReadTransaction) -> Result<u64, AccountError> {
    let counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME).map_err(StoreError::from)?;
    Ok(counters.get("count").map_err(StoreError::from)?.map(|v| v.value()).unwrap_or(0))
}

/// The accounts that have at least `role`.
pub fn with_role_at_least(tx: &ReadTransaction, role: Role) -> Result<Vec<Account>, AccountError> {
    let table = tx.open_table(ACCOUNT_BY_ID).map_err(StoreError::from)?;
    let mut out = Vec::new();
    for row in table.iter().map_err(StoreError::from)? {
        let (_, bytes) = row.map_err(StoreError::from)?;
        let account: Account = decode(bytes.value())?;
        if account.role >= role {
            out.push(account);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn new(email: &str) -> NewAccount {
        NewAccount {
            email: email.into(),
            display_name: "Camille Martin".into(),
            role: Role::Resident,
            password_hash: "x".into(),
            must_change_password: false,
            language: "fr".into(),
            neighbourhood: None,
        }
    }

    #[tokio::test]
    async fn an_email_is_used_once_whatever_its_case_and_counters_follow() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.redb"), 8).unwrap();
        let a = new("Camille@Example.fr");
        let id = store.write(move |tx| create(tx, &a)).await.unwrap();
        let b = new(" camille@example.FR ");
        let again = store.write(move |tx| create(tx, &b)).await;
        assert!(matches!(again, Err(AccountError::EmailTaken)));
        let tx = store.read().unwrap();
        assert_eq!(count(&tx).unwrap(), 1);
        assert_eq!(find_by_email(&tx, "CAMILLE@example.fr").unwrap().unwrap().id, id);
        assert!(store.verify().unwrap().is_ok());
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("une longue phrase de passe").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("une longue phrase de passe", &h));
        assert!(!password_matches("autre chose", &h));
    }

    #[test]
    fn email_validation() {
        assert!(normalise_email("a@b.fr").is_ok());
        for bad in ["", "a", "a@b", "@b.fr", "a b@c.fr", "a@.fr"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_time_passwords_differ_and_have_the_expected_shape() {
        let a = one_time_password().unwrap();
        assert_eq!(a.len(), 23);
        assert_ne!(a, one_time_password().unwrap());
    }
}

crate::redb_errors_into!(AccountError);
