//! Verification of residents: "one person, one vote" (issue 14).
//!
//! A verified account is one the town hall has tied to a real resident, in
//! one of three ways the commune switches on in `[verification]`:
//! - **at the counter**: staff check an identity document in person and
//!   record which kind (never its number) and the birth date;
//! - **by post**: the resident gives a postal address, staff print a letter
//!   with a single-use code, the resident types the code;
//! - **against a list** the commune imports (electoral or resident list):
//!   the resident's names and birth date match a row.
//!
//! Minimum data (RGPD): a person is found here only by a keyed hash of their
//! normalised names and birth date ([`person_key`]), which is what makes
//! "one person, one account" checkable without a register of names (the
//! names behind a verified account's hash are kept sealed beside it, only so
//! that a key rotation can compute the hash again); the
//! birth date is kept sealed because a process's minimum age is a legal age
//! on a given day ("16 years old on the day of the vote"), which a year and
//! month alone cannot decide in the birthday's month. The list is kept only
//! as keyed hashes and deleted at the date staff set when importing it; a
//! postal address only until its letter is printed.
//!
//! Verification sets the role [`Role::VerifiedResident`]: other concepts go
//! on asking `accounts::role_of`, and [`age_on`] for a minimum age.

pub mod letters;
pub mod list;
pub mod lookup;
pub mod tables;
#[cfg(test)]
mod tests;

pub use letters::{letter_of, pending_letters, print_letters, request_letter, use_code, CodeOutcome, Letter, Printed};
pub use list::{
    delete_list, import_list, list_info, match_list, parse_list, ListInfo, ListProblem, ListRow, MatchOutcome,
};

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::crypto::Sealed;
use crate::domain::accounts::{self, AccountError, AccountId, Role};
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Keyed, Record, StoreError, Tx, WriteTx};
use tables::*;

/// How an account was verified.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Counter,
    Post,
    List,
}

impl Method {
    /// A stable name, for the audit log, the export and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Method::Counter => "counter",
            Method::Post => "post",
            Method::List => "list",
        }
    }
}

/// The kind of document staff checked at the counter. Its number is never
/// asked: knowing that it was checked is enough.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    IdentityCard,
    Passport,
    ResidencePermit,
    DrivingLicence,
    Other,
}

impl Document {
    pub const ALL: [Document; 5] = [
        Document::IdentityCard,
        Document::Passport,
        Document::ResidencePermit,
        Document::DrivingLicence,
        Document::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Document::IdentityCard => "identity-card",
            Document::Passport => "passport",
            Document::ResidencePermit => "residence-permit",
            Document::DrivingLicence => "driving-licence",
            Document::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Document> {
        Document::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A verified account.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Verification {
    pub account: AccountId,
    pub method: Method,
    /// At the counter: the kind of document checked.
    pub document: Option<Document>,
    /// `YYYY-MM-DD`, sealed (context [`BIRTH_DATE`]); `None` by post.
    pub birth_date: Option<Sealed>,
    /// The person's key ([`person_key`]); `None` by post, where the town
    /// hall knows an address, not a person.
    pub person: Option<[u8; 32]>,
    /// What the key is the hash of (normalised names and birth date),
    /// sealed (context [`IDENTITY`]): only so that a key rotation can
    /// compute the person's key again with the new key; without it, one
    /// person could be verified on a second account after a rotation.
    pub identity: Option<Sealed>,
    pub verified_at: i64,
    /// The staff member at the counter; the person themself otherwise.
    pub verified_by: Option<AccountId>,
}

impl Record for Verification {
    const NAME: &'static str = "verification";
    const VERSION: u8 = 1;
}

/// Where a sealed birth date belongs.
pub(crate) const BIRTH_DATE: &str = "verification.birth_date";
/// Where a sealed identity (what a person key hashes) belongs.
pub(crate) const IDENTITY: &str = "verification.identity";

/// The purpose of the keyed hash of a person (and of the list's rows).
pub(crate) const PERSON: &str = "verification-list";

/// The longest name accepted, in characters.
pub const MAX_NAME: usize = 100;
/// The longest reason for a revocation, in characters.
pub const MAX_REASON: usize = 500;
/// Wrong codes or list tries accepted per account and day: enough for typos,
/// too few to try someone else's names and birth dates at random.
pub const MAX_TRIES_PER_DAY: u32 = 5;

/// Who a person is, as staff read it on a document or a resident types it.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// The birth name, as on the identity document.
    pub last_name: String,
    /// Every first name, in order, as on the document.
    pub first_names: String,
    pub birth_date: jiff::civil::Date,
}

#[derive(Debug, thiserror::Error)]
pub enum VerificationError {
    #[error("no such account")]
    NotFound,
    #[error("this account was deleted")]
    Erased,
    #[error("only the town hall's staff may do this")]
    NotAllowed,
    #[error("this account is verified already")]
    AlreadyVerified,
    /// Staff do not verify their own account: another member checks them.
    #[error("nobody verifies their own account at the counter")]
    OwnAccount,
    #[error("this account is not verified")]
    NotVerified,
    /// The same person is verified on another account.
    #[error("this person is verified on another account")]
    PersonTaken,
    #[error("a last name and first names are needed, of at most 100 characters each")]
    BadName,
    #[error("the birth date is not a possible one")]
    BadBirthDate,
    #[error("a reason is needed, of at most 500 characters")]
    BadReason,
    #[error("the address needs two to six lines of at most 38 characters")]
    BadAddress,
    #[error("the deletion date must be after today and within two years")]
    BadDeletionDate,
    #[error("no list is imported")]
    NoList,
    #[error("the list cannot be read: {0}")]
    BadList(ListProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<redb::TableError> for VerificationError {
    fn from(e: redb::TableError) -> Self {
        VerificationError::Store(e.into())
    }
}

impl From<redb::StorageError> for VerificationError {
    fn from(e: redb::StorageError) -> Self {
        VerificationError::Store(e.into())
    }
}

impl From<AccountError> for VerificationError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound => VerificationError::NotFound,
            AccountError::Erased => VerificationError::Erased,
            AccountError::Store(s) => VerificationError::Store(s),
            AccountError::EmailTaken
            | AccountError::InvalidEmail
            | AccountError::TokenInvalid
            | AccountError::OwnAccount
            | AccountError::NotAllowed
            | AccountError::Hash(_) => VerificationError::Store(StoreError::Invalid(e.to_string())),
        }
    }
}

/// Names as compared: lower case, accents stripped, every run of hyphens,
/// spaces or apostrophes one space ("Jean-Éric  D'Arc" → "jean eric d arc"),
/// the same folding as the address list's.
pub fn normalise_name(name: &str) -> String {
    crate::domain::addresses::normalise(name)
}

/// What is hashed for a person: birth name, first names and birth date.
fn person_text(last_name: &str, first_names: &str, birth_date: jiff::civil::Date) -> Option<String> {
    let (last, first) = (normalise_name(last_name), normalise_name(first_names));
    if last.is_empty() || first.is_empty() {
        return None;
    }
    Some(format!("{last}|{first}|{birth_date}"))
}

/// The keyed hash a person is known by: the same for the counter, the list
/// and the list's rows, so that one person is verified on one account
/// whichever way they come. Without the key the hash cannot be tested
/// against a list of known people.
pub fn person_key(
    tx: &impl Keyed,
    last_name: &str,
    first_names: &str,
    birth_date: jiff::civil::Date,
) -> Option<[u8; 32]> {
    person_text(last_name, first_names, birth_date).map(|text| tx.keys().lookup(PERSON, &text))
}

/// Checks what staff or a resident typed about a person.
fn check_person(person: &Person, today: jiff::civil::Date) -> Result<(), VerificationError> {
    for name in [&person.last_name, &person.first_names] {
        if normalise_name(name).is_empty() || name.chars().count() > MAX_NAME {
            return Err(VerificationError::BadName);
        }
    }
    if person.birth_date > today || person.birth_date.year() < 1900 {
        return Err(VerificationError::BadBirthDate);
    }
    Ok(())
}

/// Today in the commune (Europe/Paris), for birth dates and ages.
pub fn today(now: i64) -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(now).map(|t| t.to_zoned(tz).date()).unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// The verification of account `id`, if any.
pub fn status(tx: &impl Tx, id: AccountId) -> Result<Option<Verification>, StoreError> {
    let table = tx.open(VERIFICATION_BY_ACCOUNT)?;
    let found = table.get(id.get())?;
    found.map(|b| decode(b.value())).transpose()
}

/// The age in whole years that the person verified on account `id` has on
/// `date`, for a process's minimum age. `None` when the account is not
/// verified or its birth date unknown (verified by post): a process with a
/// minimum age then refuses, and the person can come to the counter.
pub fn age_on(tx: &impl Keyed, id: AccountId, date: jiff::civil::Date) -> Result<Option<u32>, StoreError> {
    let Some(v) = status(tx, id)? else { return Ok(None) };
    let Some(sealed) = v.birth_date else { return Ok(None) };
    let born = birth_date_of(tx, &sealed)?;
    Ok(Some(years_between(born, date)))
}

/// Whole years from `born` to `on` (0 before the birth): a birthday not yet
/// reached this year does not count.
pub fn years_between(born: jiff::civil::Date, on: jiff::civil::Date) -> u32 {
    let mut years = i32::from(on.year()) - i32::from(born.year());
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

fn birth_date_of(tx: &impl Keyed, sealed: &Sealed) -> Result<jiff::civil::Date, StoreError> {
    let text = tx
        .keys()
        .open_string(BIRTH_DATE, sealed)
        .map_err(|source| StoreError::Sealed { what: "birth date", source })?;
    text.parse().map_err(|_| StoreError::Invalid(format!("a stored birth date is not a date: {text}")))
}

/// The person's key and its sealed identity, or `None` for empty names.
fn keyed_identity(tx: &WriteTx, person: &Person) -> Result<Option<([u8; 32], Sealed)>, StoreError> {
    let Some(text) = person_text(&person.last_name, &person.first_names, person.birth_date) else { return Ok(None) };
    let sealed = tx
        .keys()
        .seal_str(IDENTITY, &text)
        .map_err(|source| StoreError::Sealed { what: "verified identity", source })?;
    Ok(Some((tx.keys().lookup(PERSON, &text), sealed)))
}

fn seal_birth_date(tx: &WriteTx, date: jiff::civil::Date) -> Result<Sealed, StoreError> {
    tx.keys()
        .seal_str(BIRTH_DATE, &date.to_string())
        .map_err(|source| StoreError::Sealed { what: "birth date", source })
}

/// The role check every staff operation of this concept makes itself, so
/// that no caller (web, CLI, test) can skip it.
fn staff(tx: &impl Tx, actor: &Actor) -> Result<AccountId, VerificationError> {
    let id = actor.account.ok_or(VerificationError::NotAllowed)?;
    match accounts::role_of(tx, id)? {
        Some(role) if role >= Role::Staff => Ok(id),
        _ => Err(VerificationError::NotAllowed),
    }
}

/// The one place that writes a verification: the record, the person index
/// and the role, refused when the account or the person is verified
/// already; audited with its method.
fn write(tx: &WriteTx, actor: &Actor, v: Verification, now: i64) -> Result<(), VerificationError> {
    let account = accounts::get_without_address(tx, v.account)?.ok_or(VerificationError::NotFound)?;
    if account.erased_at.is_some() {
        return Err(VerificationError::Erased);
    }
    if status(tx, v.account)?.is_some() {
        return Err(VerificationError::AlreadyVerified);
    }
    if let Some(person) = &v.person {
        let mut by_person = tx.open_table(VERIFICATION_ACCOUNT_BY_PERSON)?;
        if by_person.get(person)?.is_some() {
            return Err(VerificationError::PersonTaken);
        }
        by_person.insert(person, v.account.get())?;
    }
    tx.open_table(VERIFICATION_BY_ACCOUNT)?.insert(v.account.get(), encode(&v)?.as_slice())?;
    // A letter asked for before is of no use now: its address and code go
    // (nor is a letter printed for an account verified meanwhile).
    letters::remove_letter(tx, v.account)?;
    // Staff, moderators and admins keep their role: it already admits them
    // wherever a verified resident is admitted (roles are ordered).
    accounts::update(tx, v.account, |a| {
        if a.role < Role::VerifiedResident {
            a.role = Role::VerifiedResident;
        }
    })?;
    let mut detail = format!("verified: {}", v.method.code());
    if let Some(d) = v.document {
        detail.push_str(&format!(" ({})", d.code()));
    }
    actor.record(tx, Action::ResidentVerified, Some(v.account), detail, now)?;
    Ok(())
}

/// Staff verify account `id` at the counter, having checked `document` and
/// read the person's names and birth date on it.
pub fn verify_at_counter(
    tx: &WriteTx,
    actor: &Actor,
    id: AccountId,
    document: Document,
    person: &Person,
    now: i64,
) -> Result<(), VerificationError> {
    let by = staff(tx, actor)?;
    if by == id {
        return Err(VerificationError::OwnAccount);
    }
    check_person(person, today(now))?;
    let (key, identity) = keyed_identity(tx, person)?.ok_or(VerificationError::BadName)?;
    let v = Verification {
        account: id,
        method: Method::Counter,
        document: Some(document),
        birth_date: Some(seal_birth_date(tx, person.birth_date)?),
        person: Some(key),
        identity: Some(identity),
        verified_at: now,
        verified_by: Some(by),
    };
    write(tx, actor, v, now)
}

/// Staff revoke the verification of account `id` (a mistake, a person who
/// moved away), saying why: the record and the person's key go, so the
/// person can be verified again on the right account; the role goes back to
/// resident. Audited with the method and the reason.
pub fn revoke(tx: &WriteTx, actor: &Actor, id: AccountId, reason: &str, now: i64) -> Result<(), VerificationError> {
    staff(tx, actor)?;
    // One line in the log, whatever was typed.
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(VerificationError::BadReason);
    }
    let v = status(tx, id)?.ok_or(VerificationError::NotVerified)?;
    remove(tx, &v)?;
    accounts::update(tx, id, |a| {
        if a.role == Role::VerifiedResident {
            a.role = Role::Resident;
        }
    })?;
    actor.record(tx, Action::VerificationRevoked, Some(id), format!("revoked ({}): {reason}", v.method.code()), now)?;
    Ok(())
}

fn remove(tx: &WriteTx, v: &Verification) -> Result<(), StoreError> {
    tx.open_table(VERIFICATION_BY_ACCOUNT)?.remove(v.account.get())?;
    if let Some(person) = &v.person {
        tx.open_table(VERIFICATION_ACCOUNT_BY_PERSON)?.remove(person)?;
    }
    Ok(())
}

/// What the personal-data copy holds of a person's verification.
#[derive(Clone, Debug, PartialEq)]
pub struct Theirs {
    pub method: Method,
    pub document: Option<Document>,
    pub birth_date: Option<jiff::civil::Date>,
    pub verified_at: i64,
    /// A letter asked for and not used yet: when it was asked for and, once
    /// printed, when its code expires.
    pub letter: Option<(i64, Option<i64>)>,
}

/// Account `id`'s verification and pending letter, for the personal-data copy.
pub fn of_account(tx: &impl Keyed, id: AccountId) -> Result<(Option<Theirs>, Option<Letter>), StoreError> {
    let letter = letter_of(tx, id)?;
    let Some(v) = status(tx, id)? else { return Ok((None, letter)) };
    let birth_date = match &v.birth_date {
        Some(sealed) => Some(birth_date_of(tx, sealed)?),
        None => None,
    };
    let theirs = Theirs {
        method: v.method,
        document: v.document,
        birth_date,
        verified_at: v.verified_at,
        letter: letter.as_ref().map(|l| (l.requested_at, l.expires_at)),
    };
    Ok((Some(theirs), letter))
}

/// Forgets everything about account `id` (erasure): its verification, its
/// person key (the person may verify a new account), its letter and code.
pub fn forget_account(tx: &WriteTx, id: AccountId) -> Result<(), StoreError> {
    if let Some(v) = status(tx, id)? {
        remove(tx, &v)?;
    }
    letters::remove_letter(tx, id)?;
    tx.open_table(VERIFICATION_TRIES_BY_ACCOUNT)?.remove(id.get())?;
    Ok(())
}

/// Counts a wrong try of account `id` today; returns whether it may try
/// again (false once [`MAX_TRIES_PER_DAY`] are used).
fn count_try(tx: &WriteTx, id: AccountId, now: i64) -> Result<bool, StoreError> {
    let day = now.div_euclid(86_400);
    let mut table = tx.open_table(VERIFICATION_TRIES_BY_ACCOUNT)?;
    let used = match table.get(id.get())?.map(|v| v.value()) {
        Some((d, n)) if d == day => n,
        _ => 0,
    };
    table.insert(id.get(), (day, used + 1))?;
    Ok(used + 1 < MAX_TRIES_PER_DAY)
}

/// Whether account `id` used up its tries for today.
fn tries_left(tx: &impl Tx, id: AccountId, now: i64) -> Result<bool, StoreError> {
    let day = now.div_euclid(86_400);
    let table = tx.open(VERIFICATION_TRIES_BY_ACCOUNT)?;
    let found = table.get(id.get())?.map(|v| v.value());
    Ok(!matches!(found, Some((d, n)) if d == day && n >= MAX_TRIES_PER_DAY))
}

/// What the retention pass deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    /// The rows of a list past its deletion date.
    pub list_rows: u64,
    /// Letters whose code expired, or asked for and never printed for as long.
    pub letters: u64,
}

/// The retention pass (hourly): deletes the list past its deletion date and
/// the letters whose code expired (or that waited `code_days` unprinted).
pub fn purge_expired(tx: &WriteTx, code_days: u32, now: i64) -> Result<Purged, StoreError> {
    let list_rows = list::purge_if_due(tx, now)?;
    let letters = letters::purge_expired(tx, code_days, now)?;
    Ok(Purged { list_rows, letters })
}
