//! The seal of a secret vote at its close.
//!
//! While a changeable secret vote is open, the roll keeps each web voter's
//! ballot id sealed with the database's key (`ballot.rs`), so that the
//! person can replace their ballot. Once the vote is over nobody may change
//! a ballot, and nothing may link a ballot to a person any more: sealing a
//! process rewrites every row of its roll without the link and records
//! that it was sealed, after which no vote is taken in it, even one whose
//! time was read just before the close (a request already on its way to
//! the writer when the date passed, or when staff closed the vote).
//!
//! [`seal_closed`] seals every process whose vote is over; the hourly jobs
//! call it, so a vote that ends by its date, with nobody at the town hall,
//! is sealed within the hour; closing the vote early seals it at once
//! ([`seal`] in the same transaction). Until then the links are unusable
//! anyway: a vote after the close is refused before its link is opened.

use redb::ReadableTable;

use super::*;
use crate::store::{decode, WriteTx};

/// The counter-table key that records when a process was sealed.
fn sealed_key(id: ProcessId) -> String {
    format!("sealed:{id}")
}

/// When the process's roll was sealed, if it was.
pub fn sealed_at(tx: &impl Tx, id: ProcessId) -> Result<Option<i64>, StoreError> {
    let counters = tx.open(BUDGET_COUNTER_BY_NAME)?;
    let found = counters.get(sealed_key(id).as_str())?;
    // Unix seconds fit an i64 until the year 292 billion.
    Ok(found.map(|v| i64::try_from(v.value()).unwrap_or(i64::MAX)))
}

/// Removes every link from a secret process's roll to its ballots and
/// records the seal; answers how many links were removed. Sealing twice
/// does nothing more. Votes are refused from then on (`ballot::cast`).
///
/// A process that is not secret keeps its links (they are in clear and
/// were never a secret), but is recorded as sealed all the same, so that
/// late votes are refused the same way.
pub fn seal(tx: &WriteTx, id: ProcessId, now: i64) -> Result<u64, BudgetError> {
    let p = load(tx, id)?;
    if sealed_at(tx, id)?.is_some() {
        return Ok(0);
    }
    let removed = if p.secret { unlink(tx, id)? } else { 0 };
    tx.open_table(BUDGET_COUNTER_BY_NAME)?.insert(sealed_key(id).as_str(), u64::try_from(now).unwrap_or(0))?;
    Ok(removed)
}

/// Rewrites every row of the process's roll that links to a ballot
/// without the link.
fn unlink(tx: &WriteTx, id: ProcessId) -> Result<u64, StoreError> {
    let mut roll = tx.open_table(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut linked: Vec<((u64, u64), RollEntry)> = Vec::new();
    for row in roll.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let (key, bytes) = row?;
        let entry: RollEntry = decode(bytes.value())?;
        if entry.link != Link::None {
            linked.push((key.value(), entry));
        }
    }
    let removed = linked.len() as u64;
    for (key, mut entry) in linked {
        entry.link = Link::None;
        roll.insert(key, encode(&entry)?.as_slice())?;
    }
    Ok(removed)
}

/// Seals every process whose vote is over and is not sealed yet; answers
/// how many links were removed in all. Cheap when there is nothing to do:
/// a sealed process is skipped on its record in the counter table.
pub fn seal_closed(tx: &WriteTx, now: i64) -> Result<u64, BudgetError> {
    let mut removed = 0;
    for p in list(tx)? {
        if p.vote_closed(now) && sealed_at(tx, p.id)?.is_none() {
            removed += seal(tx, p.id, now)?;
        }
    }
    Ok(removed)
}

/// How many rows of the process's roll still link to a ballot (for tests
/// and checks: zero once the process is sealed).
pub fn links_left(tx: &impl Tx, id: ProcessId) -> Result<u64, StoreError> {
    let roll = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut n = 0;
    for row in roll.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let entry: RollEntry = decode(row?.1.value())?;
        if entry.link != Link::None {
            n += 1;
        }
    }
    Ok(n)
}
