//! Verification against a list the commune imports (electoral or resident
//! list, CSV): each row is stored only as keyed hashes of its normalised
//! names and birth date, never in clear, and the whole list is deleted at
//! the date staff set when importing it (or earlier, by a button).
//!
//! A row with a usage name (a married name) as well as a birth name gets a
//! hash for each, both leading to the birth name's person key: a resident
//! may type either, and is still one person.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::tables::{VERIFICATION_LIST_BY_NAME, VERIFICATION_PERSON_BY_LIST_HASH};
use super::{
    check_person, count_try, person_key, staff, tries_left, write, Method, Person, Verification, VerificationError,
};
use crate::domain::accounts::AccountId;
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Record, StoreError, Tx, WriteTx};

/// The imported list, as staff and the privacy page see it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ListInfo {
    /// Rows of the file (people), not hashes.
    pub rows: u64,
    pub imported_at: i64,
    /// When it is deleted (the retention pass runs hourly).
    pub delete_at: i64,
    pub imported_by: Option<AccountId>,
}

impl Record for ListInfo {
    const NAME: &'static str = "verification list";
    const VERSION: u8 = 1;
}

const CURRENT: &str = "current";

/// The longest a list may be kept: a process of a year and its appeals.
pub const MAX_KEEP_DAYS: i64 = 731;
/// The most rows accepted: four times Paris's electoral roll would not be a
/// commune's.
pub const MAX_ROWS: usize = 5_000_000;

/// One person of the file, in clear only while the import runs.
#[derive(Clone, Debug, PartialEq)]
pub struct ListRow {
    pub last_name: String,
    /// A usage name, when the file has a column for it and it differs.
    pub usage_name: Option<String>,
    pub first_names: String,
    pub birth_date: jiff::civil::Date,
}

/// What is wrong with the file, and where (1-based line of the file).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ListProblem {
    #[error("the file is empty")]
    Empty,
    #[error("line {0}: a last name, first names and a birth date are needed")]
    MissingField(u64),
    #[error("line {0}: the birth date is not a date (DD/MM/YYYY or YYYY-MM-DD)")]
    BadDate(u64),
    #[error("line {0}: the line cannot be read")]
    Unreadable(u64),
    #[error("the file has more than 5,000,000 rows")]
    TooLarge,
}

/// The file's text: UTF-8 (with or without a BOM), or else Windows-1252,
/// which office software still writes as "CSV" in France.
fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// A birth date as lists write them: DD/MM/YYYY (also with `-` or `.`) or
/// YYYY-MM-DD.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if let Ok(d) = text.parse::<jiff::civil::Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m, y): (i8, i8, i16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if y < 1000 {
        return None;
    }
    jiff::civil::Date::new(y, m, d).ok()
}

/// Which column holds what, from the header's names; the first three
/// columns in order when the names say nothing.
struct Columns {
    last: usize,
    usage: Option<usize>,
    first: usize,
    birth: usize,
}

fn columns(header: &csv::StringRecord) -> Columns {
    let names: Vec<String> = header.iter().map(super::normalise_name).collect();
    let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
    let last = find(&|n| n == "nom" || n.starts_with("nom de naissance") || n == "nom naissance" || n == "last name");
    let usage = find(&|n| n.starts_with("nom d usage") || n == "nom usage" || n == "nom marital");
    let first = find(&|n| n.starts_with("prenom") || n == "first names" || n == "first name");
    let birth = find(&|n| n.contains("naissance") && n.contains("date") || n == "birth date" || n == "date of birth");
    match (last, first, birth) {
        (Some(last), Some(first), Some(birth)) => Columns { last, usage, first, birth },
        _ => Columns { last: 0, usage: None, first: 1, birth: 2 },
    }
}

/// Reads a list: `;`, `,` or tab separated (the most frequent on the first
/// line), with a header line (named columns) or without (last name, first
/// names, birth date in that order).
pub fn parse_list(bytes: &[u8]) -> Result<Vec<ListRow>, ListProblem> {
    let text = text_of(bytes);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter =
        [b';', b',', b'\t'].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(first) = records.next() else { return Err(ListProblem::Empty) };
    let first = first.map_err(|_| ListProblem::Unreadable(1))?;
    let header = first.get(2).and_then(parse_date).is_none();
    let cols = if header { columns(&first) } else { Columns { last: 0, usage: None, first: 1, birth: 2 } };
    let mut rows = Vec::new();
    let head = if header { Vec::new() } else { vec![Ok(first)] };
    for (i, record) in head.into_iter().chain(records).enumerate() {
        let line = i as u64 + if header { 2 } else { 1 };
        let record = record.map_err(|_| ListProblem::Unreadable(line))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        let (last_name, first_names, birth) = (cell(cols.last), cell(cols.first), cell(cols.birth));
        if super::normalise_name(&last_name).is_empty() || super::normalise_name(&first_names).is_empty() {
            return Err(ListProblem::MissingField(line));
        }
        let birth_date = parse_date(&birth).ok_or(ListProblem::BadDate(line))?;
        let usage_name = cols.usage.map(cell).filter(|u| {
            !super::normalise_name(u).is_empty() && super::normalise_name(u) != super::normalise_name(&last_name)
        });
        rows.push(ListRow { last_name, usage_name, first_names, birth_date });
        if rows.len() > MAX_ROWS {
            return Err(ListProblem::TooLarge);
        }
    }
    if rows.is_empty() {
        return Err(ListProblem::Empty);
    }
    Ok(rows)
}

/// The imported list, if any.
pub fn list_info(tx: &impl Tx) -> Result<Option<ListInfo>, StoreError> {
    let table = tx.open(VERIFICATION_LIST_BY_NAME)?;
    let found = table.get(CURRENT)?;
    found.map(|b| decode(b.value())).transpose()
}

/// Deletes every hash of the list and its record; returns the rows it had.
pub(super) fn clear(tx: &redb::WriteTransaction) -> Result<u64, StoreError> {
    let rows = list_info(tx)?.map(|l| l.rows).unwrap_or(0);
    // Deleting the table frees its pages at once, where removing millions
    // of rows one by one would not; it is created again empty.
    tx.delete_table(VERIFICATION_PERSON_BY_LIST_HASH)?;
    tx.open_table(VERIFICATION_PERSON_BY_LIST_HASH)?;
    tx.open_table(VERIFICATION_LIST_BY_NAME)?.remove(CURRENT)?;
    Ok(rows)
}

/// Staff import `rows` (replacing the list before), to be deleted at
/// `delete_at`. Only keyed hashes are written.
pub fn import_list(
    tx: &WriteTx,
    actor: &Actor,
    rows: &[ListRow],
    delete_at: i64,
    now: i64,
) -> Result<ListInfo, VerificationError> {
    let by = staff(tx, actor)?;
    if delete_at <= now || delete_at > now + MAX_KEEP_DAYS * 86_400 {
        return Err(VerificationError::BadDeletionDate);
    }
    if rows.is_empty() {
        return Err(VerificationError::BadList(ListProblem::Empty));
    }
    clear(tx)?;
    {
        let mut table = tx.open_table(VERIFICATION_PERSON_BY_LIST_HASH)?;
        for row in rows {
            let Some(person) = person_key(tx, &row.last_name, &row.first_names, row.birth_date) else { continue };
            table.insert(&person, &person)?;
            if let Some(usage) = &row.usage_name {
                if let Some(other) = person_key(tx, usage, &row.first_names, row.birth_date) {
                    table.insert(&other, &person)?;
                }
            }
        }
    }
    let info = ListInfo { rows: rows.len() as u64, imported_at: now, delete_at, imported_by: Some(by) };
    tx.open_table(VERIFICATION_LIST_BY_NAME)?.insert(CURRENT, encode(&info)?.as_slice())?;
    actor.record(
        tx,
        Action::VerificationListChanged,
        None,
        format!("list imported: {} rows, deleted on {}", info.rows, super::today(delete_at)),
        now,
    )?;
    Ok(info)
}

/// Staff delete the list before its date.
pub fn delete_list(tx: &WriteTx, actor: &Actor, now: i64) -> Result<u64, VerificationError> {
    staff(tx, actor)?;
    if list_info(tx)?.is_none() {
        return Err(VerificationError::NoList);
    }
    let rows = clear(tx)?;
    actor.record(tx, Action::VerificationListChanged, None, format!("list deleted: {rows} rows"), now)?;
    Ok(rows)
}

/// Deletes the list once its date has come; returns its rows (0: nothing due).
pub(super) fn purge_if_due(tx: &WriteTx, now: i64) -> Result<u64, StoreError> {
    match list_info(tx)? {
        Some(info) if info.delete_at <= now => {
            let rows = clear(tx)?;
            let by = Actor { account: None, ip: crate::domain::accounts::retention::RETENTION.into() };
            by.record(
                tx,
                Action::VerificationListChanged,
                None,
                format!("list deleted at its date: {rows} rows"),
                now,
            )?;
            Ok(rows)
        }
        _ => Ok(0),
    }
}

/// What typing one's names and birth date did. A miss is counted, so it is
/// an answer of a committed write, not an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOutcome {
    Verified,
    NoMatch,
    TooManyTries,
}

/// Account `id` types its names and birth date; verified when a row of the
/// list matches and nobody was verified as that person yet.
pub fn match_list(
    tx: &WriteTx,
    actor: &Actor,
    id: AccountId,
    person: &Person,
    now: i64,
) -> Result<MatchOutcome, VerificationError> {
    if actor.account != Some(id) {
        return Err(VerificationError::NotAllowed);
    }
    if super::status(tx, id)?.is_some() {
        return Err(VerificationError::AlreadyVerified);
    }
    if list_info(tx)?.is_none() {
        return Err(VerificationError::NoList);
    }
    check_person(person, super::today(now))?;
    if !tries_left(tx, id, now)? {
        return Ok(MatchOutcome::TooManyTries);
    }
    let (typed, identity) = super::keyed_identity(tx, person)?.ok_or(VerificationError::BadName)?;
    let found = tx.open_table(VERIFICATION_PERSON_BY_LIST_HASH)?.get(&typed)?.map(|v| *v.value());
    let Some(key) = found else {
        return Ok(if count_try(tx, id, now)? { MatchOutcome::NoMatch } else { MatchOutcome::TooManyTries });
    };
    let v = Verification {
        account: id,
        method: Method::List,
        document: None,
        birth_date: Some(super::seal_birth_date(tx, person.birth_date)?),
        person: Some(key),
        // The typed names: a usage name's hash leads to the birth name's
        // key, which a rotation cannot recompute from them; it recomputes
        // the usage name's, still one key for this one account.
        identity: Some(identity),
        verified_at: now,
        verified_by: None,
    };
    write(tx, actor, v, now)?;
    Ok(MatchOutcome::Verified)
}
