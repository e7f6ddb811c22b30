//! Accounts: the people who use Parvis and their roles.
//!
//! This first version holds what the appliance needs: the first admin created
//! by `parvis init`, the demo's residents, and the counts shown on the home
//! page. Sign-in, sessions and two-factor authentication build on it.

pub mod block;
pub mod erase;
pub mod export;
pub mod invite;
pub mod links;
pub mod retention;
pub mod stored;
pub mod tables;

pub use block::{block, may_block, unblock, Blocked};
pub use invite::{accept_invitation, change_role, invite, Invitation};
pub use links::{
    change_password, confirm_address, register, request_email_change, request_password_reset, resend_confirmation,
    reset_password, Confirmed,
};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::mail::{outbox, MailId, NewMail, Template};
use crate::store::{Keyed, ReadTx, StoreError, Tx, WriteTx};
use stored::{account_bytes, email_lookup, read_account, read_token, token_bytes};
use tables::{ACCOUNT_BY_ID, ACCOUNT_COUNTER_BY_NAME, ACCOUNT_ID_BY_EMAIL_LOOKUP, EMAIL_TOKEN_BY_HASH};

pub use crate::domain::ids::AccountId;

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

/// A person's account, as the domain sees it: the address in clear. It is
/// stored with the address sealed (see [`stored`]); only this module's
/// functions read and write the table.
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
    /// The language of the messages sent to this person.
    pub language: Lang,
    /// One of the commune's neighbourhoods, given with consent for statistics.
    pub neighbourhood: Option<String>,
    /// An age bracket (see [`AGE_BRACKETS`]), given with consent for statistics.
    pub age_bracket: Option<String>,
    pub created_at: i64,
    /// Whether the person has followed the link sent to their address.
    pub email_confirmed: bool,
    /// A blocked person cannot sign in; their sessions end at once.
    pub blocked: bool,
    /// For staff: the town hall's service they belong to ("voirie", …).
    pub service: Option<String>,
    pub last_sign_in_at: Option<i64>,
    /// Set when the person deleted their account: the record stays as a
    /// tombstone (no address, name or password) so that published
    /// contributions keep an author id shown as "Participant supprimé".
    pub erased_at: Option<i64>,
}

/// The age brackets offered on the sign-up form (statistics only).
pub const AGE_BRACKETS: &[&str] = &["under-18", "18-29", "30-44", "45-59", "60-74", "75-plus"];

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account already uses this email address")]
    EmailTaken,
    #[error("this is not a valid email address")]
    InvalidEmail,
    #[error("no such account")]
    NotFound,
    #[error("this link is not valid or has expired")]
    TokenInvalid,
    #[error("nobody may do this to their own account")]
    OwnAccount,
    #[error("this account was deleted")]
    Erased,
    #[error("this person's role does not allow it")]
    NotAllowed,
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
    pub language: Lang,
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

/// Why a new password is refused. No composition rules (NIST SP 800-63B):
/// long passphrases are welcome and pasting is allowed; only length and
/// guessability count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    TooGuessable,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longer would only burden argon2 for no gain.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password; `personal` are words an attacker would try first
/// (the person's name and address, the commune's name).
pub fn password_problem(password: &str, personal: &[&str]) -> Option<PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(PasswordProblem::TooLong);
    }
    // zxcvbn's score 3 means "safely unguessable: moderate protection from
    // offline slow-hash scenario" (about 10^10 guesses).
    if (zxcvbn::zxcvbn(password, personal).score() as u8) < 3 {
        return Some(PasswordProblem::TooGuessable);
    }
    None
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

/// Creates an account whose address is known (first admin, invited staff,
/// demo); the email check and the write are one transaction.
pub fn create(tx: &WriteTx, new: &NewAccount) -> Result<AccountId, AccountError> {
    insert_new(
        tx,
        Account {
            id: AccountId(0),
            email: new.email.clone(),
            display_name: new.display_name.trim().to_string(),
            role: new.role,
            password_hash: new.password_hash.clone(),
            must_change_password: new.must_change_password,
            language: new.language,
            neighbourhood: new.neighbourhood.clone(),
            age_bracket: None,
            created_at: super::now_unix(),
            email_confirmed: true,
            blocked: false,
            service: None,
            last_sign_in_at: None,
            erased_at: None,
        },
    )
}

/// What a resident gives on the sign-up form.
#[derive(Clone, Debug)]
pub struct SignUp {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub language: Lang,
    /// Kept only with consent (the form says why they are asked).
    pub neighbourhood: Option<String>,
    pub age_bracket: Option<String>,
}

/// Creates a resident's account, unconfirmed until the emailed link is followed.
pub fn sign_up(tx: &WriteTx, form: &SignUp, now: i64) -> Result<AccountId, AccountError> {
    insert_new(
        tx,
        Account {
            id: AccountId(0),
            email: form.email.clone(),
            display_name: form.display_name.trim().to_string(),
            role: Role::Resident,
            password_hash: form.password_hash.clone(),
            must_change_password: false,
            language: form.language,
            neighbourhood: form.neighbourhood.clone(),
            age_bracket: form.age_bracket.clone(),
            created_at: now,
            email_confirmed: false,
            blocked: false,
            service: None,
            last_sign_in_at: None,
            erased_at: None,
        },
    )
}

/// Writes a new account with the next id, its email index entry and the counters.
fn insert_new(tx: &WriteTx, mut account: Account) -> Result<AccountId, AccountError> {
    let email = normalise_email(&account.email)?;
    let lookup = email_lookup(tx.keys(), &email);
    let mut by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
    if by_email.get(&lookup)?.is_some() {
        return Err(AccountError::EmailTaken);
    }
    let mut counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    let id = counters.get("next_id")?.map(|v| v.value()).unwrap_or(1);
    let count = counters.get("count")?.map(|v| v.value()).unwrap_or(0);
    account.id = AccountId(id);
    account.email = email;
    tx.open_table(ACCOUNT_BY_ID)?.insert(id, account_bytes(tx.keys(), &account)?.as_slice())?;
    by_email.insert(&lookup, id)?;
    counters.insert("next_id", id + 1)?;
    counters.insert("count", count + 1)?;
    Ok(AccountId(id))
}

/// Applies `change` to an account and saves it; the email index follows a
/// change of address (refused when the new one is taken).
pub fn update(tx: &WriteTx, id: AccountId, change: impl FnOnce(&mut Account)) -> Result<Account, AccountError> {
    let mut table = tx.open_table(ACCOUNT_BY_ID)?;
    let before: Account = match table.get(id)? {
        Some(bytes) => read_account(tx.keys(), bytes.value())?,
        None => return Err(AccountError::NotFound),
    };
    let mut after = before.clone();
    change(&mut after);
    after.id = id;
    if after.email != before.email {
        after.email = normalise_email(&after.email)?;
        let (old, new) = (email_lookup(tx.keys(), &before.email), email_lookup(tx.keys(), &after.email));
        let mut by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
        if by_email.get(&new)?.is_some() {
            return Err(AccountError::EmailTaken);
        }
        by_email.remove(&old)?;
        by_email.insert(&new, id)?;
    }
    table.insert(id, account_bytes(tx.keys(), &after)?.as_slice())?;
    drop(table);
    if shown_name(&before) != shown_name(&after) {
        names_changed(tx)?;
    }
    Ok(after)
}

/// What pages show of an author: the name (none once erased), and whether
/// they speak for the town hall (a discussion's « Mairie » tag).
fn shown_name(a: &Account) -> (Option<&str>, bool) {
    let name = (!a.is_erased() && !a.display_name.is_empty()).then_some(a.display_name.as_str());
    (name, a.role >= Role::Staff)
}

/// The name, in `ACCOUNT_COUNTER_BY_NAME`, of the version of the names.
const NAMES_VERSION: &str = "names_version";

/// An author's shown name changed (renamed, role changed, erased): pages
/// kept for visitors that show authors' names (a proposal's, see
/// `proposals::page_version`) are rendered again. One version for every
/// account, not one per person: such changes are rare, and a page would
/// otherwise have to read the version of each author it shows.
pub(crate) fn names_changed(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
    let mut counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    let version = counters.get(NAMES_VERSION)?.map(|v| v.value()).unwrap_or(0);
    counters.insert(NAMES_VERSION, version + 1)?;
    Ok(())
}

/// The version of the names in `tx`'s snapshot (see [`names_changed`]).
pub fn names_version(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(ACCOUNT_COUNTER_BY_NAME)?.get(NAMES_VERSION)?.map(|v| v.value()).unwrap_or(0))
}

/// Replaces the password of an account (admin reset, demo start-up).
pub fn set_password(tx: &WriteTx, id: AccountId, password_hash: &str, one_time: bool) -> Result<(), AccountError> {
    update(tx, id, |a| {
        a.password_hash = password_hash.to_string();
        a.must_change_password = one_time;
    })?;
    Ok(())
}

/// Queues a message to a person, in their language, in the caller's transaction.
pub fn tell(tx: &redb::WriteTransaction, to: &Account, template: Template) -> Result<MailId, StoreError> {
    outbox::enqueue(tx, NewMail { to: to.email.clone(), lang: to.language, template })
}

/// What an emailed link is for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum TokenPurpose {
    ConfirmEmail,
    ResetPassword,
    ChangeEmail {
        new_email: String,
    },
    /// An invited member of staff sets their name and password.
    Invitation,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EmailToken {
    pub account: AccountId,
    pub purpose: TokenPurpose,
    pub expires_at: i64,
}

/// How long each kind of link works, in seconds. A reset link is short-lived
/// because it gives control of the account.
pub fn token_lifetime(purpose: &TokenPurpose) -> i64 {
    match purpose {
        TokenPurpose::ResetPassword => 3600,
        TokenPurpose::ChangeEmail { .. } => 24 * 3600,
        TokenPurpose::ConfirmEmail => 7 * 24 * 3600,
        TokenPurpose::Invitation => 7 * 24 * 3600,
    }
}

pub(crate) fn hash_token(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("parvis-email-token:{token}").as_bytes()).into()
}

/// Issues a single-use token for a link; returns the token to put in it.
pub fn issue_token(tx: &WriteTx, account: AccountId, purpose: TokenPurpose, now: i64) -> Result<String, AccountError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Hash(e.to_string()))?;
    let token = hex::encode(bytes);
    let record = EmailToken { account, expires_at: now + token_lifetime(&purpose), purpose };
    tx.open_table(EMAIL_TOKEN_BY_HASH)?.insert(&hash_token(&token), token_bytes(tx.keys(), &record)?.as_slice())?;
    Ok(token)
}

/// Uses a token: it is removed whatever happens next, and refused when expired.
pub fn take_token(tx: &WriteTx, token: &str, now: i64) -> Result<EmailToken, AccountError> {
    let mut table = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let removed = table.remove(&hash_token(token.trim()))?.map(|b| read_token(tx.keys(), b.value()));
    match removed {
        Some(record) => {
            let record = record?;
            if record.expires_at < now {
                Err(AccountError::TokenInvalid)
            } else {
                Ok(record)
            }
        }
        None => Err(AccountError::TokenInvalid),
    }
}

/// Reads a token without using it (to show the form a link leads to).
pub fn peek_token(tx: &ReadTx, token: &str, now: i64) -> Result<Option<EmailToken>, AccountError> {
    let table = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let found = table.get(&hash_token(token.trim()))?;
    Ok(match found {
        Some(bytes) => Some(read_token(tx.keys(), bytes.value())?).filter(|t| t.expires_at >= now),
        None => None,
    })
}

/// The account `id`, its address opened with the keys the transaction
/// carries (a read or a write).
pub fn get(tx: &impl Keyed, id: AccountId) -> Result<Option<Account>, AccountError> {
    let table = tx.open(ACCOUNT_BY_ID)?;
    let found = table.get(id.get())?;
    Ok(match found {
        Some(bytes) => Some(read_account(tx.keys(), bytes.value())?),
        None => None,
    })
}

/// The account `id` with its address left out (`email` empty), from any
/// transaction, without opening anything: for a name or a role shown beside
/// a contribution, where the key is not at hand and the address not needed.
/// Never for writing the account back or for mail.
pub fn get_without_address(tx: &impl Tx, id: AccountId) -> Result<Option<Account>, AccountError> {
    let table = tx.open(ACCOUNT_BY_ID)?;
    let found = table.get(id.get())?;
    Ok(match found {
        Some(bytes) => Some(crate::store::decode::<stored::StoredAccount>(bytes.value())?.rest),
        None => None,
    })
}

/// The role of account `id` (`None`: no such account), for the operations
/// of other concepts that admit some roles only.
pub fn role_of(tx: &impl Tx, id: AccountId) -> Result<Option<Role>, StoreError> {
    let table = tx.open(ACCOUNT_BY_ID)?;
    let found = table.get(id.get())?;
    found.map(|bytes| crate::store::decode::<stored::StoredAccount>(bytes.value()).map(|s| s.rest.role)).transpose()
}

/// [`get`] inside a write transaction (the same function, kept under the
/// name the write operations use).
pub fn get_in(tx: &WriteTx, id: AccountId) -> Result<Option<Account>, AccountError> {
    get(tx, id)
}

/// [`find_by_email`] inside a write transaction.
pub fn find_by_email_in(tx: &WriteTx, email: &str) -> Result<Option<Account>, AccountError> {
    find_by_email(tx, email)
}

/// The account of an address, found by the address's keyed hash: the
/// address is never kept in clear, not even as an index key.
pub fn find_by_email(tx: &impl Keyed, email: &str) -> Result<Option<Account>, AccountError> {
    let Ok(email) = normalise_email(email) else { return Ok(None) };
    let index = tx.open(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
    let id = index.get(&email_lookup(tx.keys(), &email))?.map(|v| v.value());
    match id {
        Some(id) => get(tx, AccountId(id)),
        None => Ok(None),
    }
}

/// How many accounts exist, erased ones left out (read from the counter, not by scanning).
pub fn count(tx: &ReadTx) -> Result<u64, AccountError> {
    let counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    Ok(counters.get("count")?.map(|v| v.value()).unwrap_or(0))
}

/// The accounts that have at least `role`.
pub fn with_role_at_least(tx: &ReadTx, role: Role) -> Result<Vec<Account>, AccountError> {
    let table = tx.open_table(ACCOUNT_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (_, bytes) = row?;
        let account = read_account(tx.keys(), bytes.value())?;
        if account.role >= role {
            out.push(account);
        }
    }
    Ok(out)
}

/// What an admin looks for in the list of accounts.
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Part of the address or of the display name, any case; empty for all.
    pub text: String,
    pub role: Option<Role>,
}

impl Search {
    fn matches(&self, a: &Account, text: &str) -> bool {
        a.erased_at.is_none()
            && self.role.is_none_or(|r| a.role == r)
            && (text.is_empty() || a.email.contains(text) || a.display_name.to_lowercase().contains(text))
    }
}

/// One page of the admin's list: accounts matching `search` with an id
/// below `before`, newest first, at most `limit`; erased accounts are left
/// out. A search reads the table backwards until the page is full, opening
/// each address: a part of an address cannot be found through the keyed
/// hash, and a commune's tens of thousands of accounts decode and open in
/// milliseconds, while a page without a search reads only its own rows.
pub fn search(
    tx: &ReadTx,
    search: &Search,
    before: Option<AccountId>,
    limit: usize,
) -> Result<Vec<Account>, AccountError> {
    let table = tx.open_table(ACCOUNT_BY_ID)?;
    let text = search.text.trim().to_lowercase();
    let mut out = Vec::new();
    for row in table.range(..before.unwrap_or(AccountId(u64::MAX)))?.rev() {
        let (_, bytes) = row?;
        let account = read_account(tx.keys(), bytes.value())?;
        if search.matches(&account, &text) {
            out.push(account);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::Store;

    /// An account record as stored, for tests of the stored form.
    pub(crate) fn account(id: AccountId, email: &str, role: Role) -> Account {
        Account {
            id,
            email: email.into(),
            display_name: "Camille Martin".into(),
            role,
            password_hash: "x".into(),
            must_change_password: false,
            language: Lang::Fr,
            neighbourhood: None,
            age_bracket: None,
            created_at: 1,
            email_confirmed: true,
            blocked: false,
            service: None,
            last_sign_in_at: None,
            erased_at: None,
        }
    }

    /// A resident to create (shared by the accounts concept's tests).
    pub(crate) fn new(email: &str) -> NewAccount {
        person(email, Role::Resident, Lang::Fr)
    }

    /// Someone of `role` who reads `language`, to create (shared by tests).
    pub(crate) fn person(email: &str, role: Role, language: Lang) -> NewAccount {
        NewAccount {
            email: email.into(),
            display_name: "Camille Martin".into(),
            role,
            password_hash: "x".into(),
            must_change_password: false,
            language,
            neighbourhood: None,
        }
    }

    #[tokio::test]
    async fn an_email_is_used_once_whatever_its_case_and_counters_follow() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
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
    fn weak_and_common_passwords_are_refused_and_passphrases_accepted() {
        assert_eq!(password_problem("court", &[]), Some(PasswordProblem::TooShort));
        assert_eq!(password_problem("motdepasse123", &[]), Some(PasswordProblem::TooGuessable));
        assert_eq!(password_problem("azertyuiop", &[]), Some(PasswordProblem::TooGuessable));
        assert_eq!(password_problem("Saint-Exemple2026", &["Saint-Exemple"]), Some(PasswordProblem::TooGuessable));
        assert_eq!(password_problem("la fontaine du lavoir chante en hiver", &[]), None);
        assert_eq!(password_problem(&"x".repeat(300), &[]), Some(PasswordProblem::TooLong));
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
