//! Verification by post: the resident gives a postal address, staff print
//! letters with a single-use code, the resident types the code.
//!
//! The address is sealed and kept only until its letter is printed; the
//! code exists in clear only in the printed letter (the database keeps a
//! keyed hash of it), is bound to the account that asked, expires, and
//! dies after [`super::MAX_TRIES_PER_DAY`] wrong tries a day.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::tables::{VERIFICATION_ACCOUNT_BY_CODE, VERIFICATION_LETTER_BY_ACCOUNT};
use super::{count_try, staff, status, tries_left, write, Method, Verification, VerificationError};
use crate::crypto::Sealed;
use crate::domain::accounts::{self, AccountId};
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Keyed, Record, StoreError, Tx, WriteTx};

/// A letter asked for, then printed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Letter {
    pub account: AccountId,
    pub requested_at: i64,
    /// The address lines, sealed (context [`ADDRESS`]) and joined by new
    /// lines; `None` once printed.
    pub address: Option<Sealed>,
    /// The keyed hash of the printed code; `None` until printed, or once
    /// the code died of wrong tries.
    pub code: Option<[u8; 32]>,
    pub printed_at: Option<i64>,
    pub expires_at: Option<i64>,
}

impl Record for Letter {
    const NAME: &'static str = "verification letter";
    const VERSION: u8 = 1;
}

pub(crate) const ADDRESS: &str = "verification.address";
const CODE: &str = "verification-code";

/// The letters of a code: no 0/O, 1/I/L, which read alike on paper.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters of a code: 31^10, about 2^49, against 5 tries a day.
pub const CODE_LEN: usize = 10;
/// Lines of a French postal address (AFNOR NF Z10-011): six at most, of 38
/// characters at most.
pub const MAX_LINES: usize = 6;
pub const MAX_LINE: usize = 38;

/// A letter as printed: where it goes and the code it carries, in clear,
/// for the PDF only.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub account: AccountId,
    pub lines: Vec<String>,
    pub code: String,
    pub expires_at: i64,
}

/// What typing a code did. Wrong tries are counted, so they are answers of
/// a committed write, not errors (an error rolls the write back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeOutcome {
    Verified,
    /// Unknown, used already, or another account's.
    Invalid,
    Expired,
    /// Too many wrong tries today: the code is void, ask for a new letter.
    TooManyTries,
}

/// The letter of account `id`, if any.
pub fn letter_of(tx: &impl Tx, id: AccountId) -> Result<Option<Letter>, StoreError> {
    let table = tx.open(VERIFICATION_LETTER_BY_ACCOUNT)?;
    let found = table.get(id.get())?;
    found.map(|b| decode(b.value())).transpose()
}

fn put(tx: &WriteTx, letter: &Letter) -> Result<(), StoreError> {
    tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.insert(letter.account.get(), encode(letter)?.as_slice())?;
    Ok(())
}

/// Removes account `id`'s letter and its code.
pub(super) fn remove_letter(tx: &WriteTx, id: AccountId) -> Result<(), StoreError> {
    let removed = tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.remove(id.get())?.map(|b| decode::<Letter>(b.value()));
    if let Some(code) = removed.transpose()?.and_then(|l| l.code) {
        tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?.remove(&code)?;
    }
    Ok(())
}

/// Cleans the address lines: trimmed, empty lines dropped.
pub fn clean_lines(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect()
}

/// Account `id` asks for a letter at `lines` (name, street, postcode and
/// town …): it replaces a letter asked before (its code dies).
pub fn request_letter(
    tx: &WriteTx,
    actor: &Actor,
    id: AccountId,
    lines: &[String],
    now: i64,
) -> Result<(), VerificationError> {
    if actor.account != Some(id) {
        return Err(VerificationError::NotAllowed);
    }
    let account = accounts::get_without_address(tx, id)?.ok_or(VerificationError::NotFound)?;
    if account.erased_at.is_some() {
        return Err(VerificationError::Erased);
    }
    if status(tx, id)?.is_some() {
        return Err(VerificationError::AlreadyVerified);
    }
    let lines = clean_lines(lines);
    if lines.len() < 2 || lines.len() > MAX_LINES || lines.iter().any(|l| l.chars().count() > MAX_LINE) {
        return Err(VerificationError::BadAddress);
    }
    let sealed = tx
        .keys()
        .seal_str(ADDRESS, &lines.join("\n"))
        .map_err(|source| StoreError::Sealed { what: "postal address", source })?;
    remove_letter(tx, id)?;
    put(
        tx,
        &Letter {
            account: id,
            requested_at: now,
            address: Some(sealed),
            code: None,
            printed_at: None,
            expires_at: None,
        },
    )?;
    Ok(())
}

/// The letters asked for and not printed yet, oldest first.
pub fn pending_letters(tx: &impl Tx) -> Result<Vec<Letter>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(VERIFICATION_LETTER_BY_ACCOUNT)?.iter()? {
        let letter: Letter = decode(row?.1.value())?;
        if letter.address.is_some() {
            out.push(letter);
        }
    }
    out.sort_by_key(|l| l.requested_at);
    Ok(out)
}

/// A new random code.
fn new_code() -> Result<String, StoreError> {
    let mut out = String::with_capacity(CODE_LEN);
    let mut bytes = [0u8; 32];
    while out.len() < CODE_LEN {
        getrandom::fill(&mut bytes).map_err(|_| StoreError::Invalid("no system randomness for a code".into()))?;
        // Rejection sampling: 248 = 8 × 31, so every letter is as likely.
        for b in bytes.iter().filter(|b| usize::from(**b) < ALPHABET.len() * 8) {
            if out.len() < CODE_LEN {
                out.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// A code as printed: two groups of five ("ABCDE-FGHJK").
pub fn shown(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// A code as typed, compared: upper case, without spaces or dashes.
fn typed(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn code_hash(tx: &impl Keyed, code: &str) -> [u8; 32] {
    tx.keys().lookup(CODE, &typed(code))
}

/// Staff print every pending letter: each gets a new code valid
/// `code_days` days; its address is deleted. Returns the letters, in clear,
/// for the PDF. Audited with their number.
pub fn print_letters(tx: &WriteTx, actor: &Actor, code_days: u32, now: i64) -> Result<Vec<Printed>, VerificationError> {
    staff(tx, actor)?;
    let expires_at = now + i64::from(code_days) * 86_400;
    let mut printed = Vec::new();
    for mut letter in pending_letters(tx)? {
        let Some(sealed) = letter.address.take() else { continue };
        let lines: Vec<String> = tx
            .keys()
            .open_string(ADDRESS, &sealed)
            .map_err(|source| StoreError::Sealed { what: "postal address", source })?
            .lines()
            .map(str::to_string)
            .collect();
        let code = new_code()?;
        let hash = code_hash(tx, &code);
        tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?.insert(&hash, letter.account.get())?;
        letter.code = Some(hash);
        letter.printed_at = Some(now);
        letter.expires_at = Some(expires_at);
        put(tx, &letter)?;
        printed.push(Printed { account: letter.account, lines, code, expires_at });
    }
    if !printed.is_empty() {
        actor.record(tx, Action::VerificationLettersPrinted, None, format!("{} letters", printed.len()), now)?;
    }
    Ok(printed)
}

/// Account `id` types the code of its letter.
pub fn use_code(
    tx: &WriteTx,
    actor: &Actor,
    id: AccountId,
    code: &str,
    now: i64,
) -> Result<CodeOutcome, VerificationError> {
    if actor.account != Some(id) {
        return Err(VerificationError::NotAllowed);
    }
    if status(tx, id)?.is_some() {
        return Err(VerificationError::AlreadyVerified);
    }
    if !tries_left(tx, id, now)? {
        return Ok(CodeOutcome::TooManyTries);
    }
    let hash = code_hash(tx, code);
    let owner = tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?.get(&hash)?.map(|v| v.value());
    let letter = letter_of(tx, id)?;
    let theirs = owner == Some(id.get()) && letter.as_ref().is_some_and(|l| l.code == Some(hash));
    if !theirs {
        if !count_try(tx, id, now)? {
            // The code of this account's letter dies with the last try: a
            // new letter is the way on, not more guesses tomorrow.
            if let Some(mut l) = letter.filter(|l| l.code.is_some()) {
                if let Some(code) = l.code.take() {
                    tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?.remove(&code)?;
                }
                put(tx, &l)?;
            }
            return Ok(CodeOutcome::TooManyTries);
        }
        return Ok(CodeOutcome::Invalid);
    }
    if letter.as_ref().and_then(|l| l.expires_at).is_some_and(|at| at <= now) {
        return Ok(CodeOutcome::Expired);
    }
    remove_letter(tx, id)?;
    let v = Verification {
        account: id,
        method: Method::Post,
        document: None,
        birth_date: None,
        person: None,
        identity: None,
        verified_at: now,
        verified_by: None,
    };
    write(tx, actor, v, now)?;
    Ok(CodeOutcome::Verified)
}

/// Deletes the letters whose code expired and those waiting unprinted for
/// more than `code_days`: a resident who still wants one asks again.
pub(super) fn purge_expired(tx: &WriteTx, code_days: u32, now: i64) -> Result<u64, StoreError> {
    let stale_request = now - i64::from(code_days) * 86_400;
    let mut due = Vec::new();
    for row in tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.iter()? {
        let letter: Letter = decode(row?.1.value())?;
        let expired = letter.expires_at.is_some_and(|at| at <= now);
        let forgotten = letter.printed_at.is_none() && letter.requested_at <= stale_request;
        if expired || forgotten {
            due.push(letter.account);
        }
    }
    for id in &due {
        remove_letter(tx, *id)?;
    }
    Ok(due.len() as u64)
}
