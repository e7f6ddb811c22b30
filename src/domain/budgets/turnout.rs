//! Who voted, by neighbourhood and age bracket: the "participation" section
//! of the results, compared with the census by
//! `consultations::representation`, as a consultation's respondents are.
//!
//! The counts are kept, one row per process and group, in the transaction
//! that adds a person to the roll (`ballot::cast`), so that the results page
//! reads a few rows instead of every voter's account. They count the roll
//! (who voted), never a choice, and keep no time: a group's count says how
//! many of its people voted, nothing of what any of them chose nor when,
//! so they link no ballot to anyone. A vote changed later does not move
//! them: the person is on the roll once.
//!
//! A person's group is the one their account held on the day they voted
//! (the neighbourhood and age bracket they consented to give), so that a
//! move or a birthday later does not shift the published figures; a person
//! with no account (on the commune's list, voting at a polling table) or
//! who gave neither is "not known". Small groups are left out where the
//! figures are shown (`consultations::representation`, under 5).

use std::collections::BTreeMap;

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::accounts;
use crate::domain::consultations::{CellCounts, Group};

/// The group of account `account` today, as a vote keeps it: an erased or
/// missing account's is not known.
pub(super) fn group_of(tx: &impl Tx, account: AccountId) -> Result<Group, StoreError> {
    match accounts::get_without_address(tx, account) {
        Ok(Some(a)) if !a.is_erased() => Ok(Group { neighbourhood: a.neighbourhood, age_bracket: a.age_bracket }),
        Ok(_) | Err(accounts::AccountError::NotFound | accounts::AccountError::Erased) => Ok(Group::default()),
        Err(accounts::AccountError::Store(e)) => Err(e),
        Err(
            e @ (accounts::AccountError::EmailTaken
            | accounts::AccountError::InvalidEmail
            | accounts::AccountError::TokenInvalid
            | accounts::AccountError::OwnAccount
            | accounts::AccountError::NotAllowed
            | accounts::AccountError::Hash(_)),
        ) => Err(StoreError::Internal(e.to_string())),
    }
}

/// Counts one more person of `group` on process `id`'s roll: called by the
/// one function that adds a person to the roll, in its transaction.
pub(super) fn count_voter(tx: &WriteTransaction, id: ProcessId, group: &Group) -> Result<(), StoreError> {
    let (place, age) = group.cell();
    let mut counts = tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
    let key = (id.get(), place, age);
    let n = counts.get(key)?.map(|v| v.value()).unwrap_or(0);
    counts.insert(key, n + 1)?;
    Ok(())
}

/// How many people the roll holds per (neighbourhood, age bracket): one
/// range read of the counts.
pub fn participation(tx: &impl Tx, id: ProcessId) -> Result<BTreeMap<Group, CellCounts>, StoreError> {
    let table = tx.open(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
    let mut cells: BTreeMap<Group, CellCounts> = BTreeMap::new();
    let (from, to) = ((id.get(), "", ""), (id.get().saturating_add(1), "", ""));
    for row in table.range(from..to)? {
        let (key, n) = row?;
        let (_, place, age) = key.value();
        let known = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let group = Group { neighbourhood: known(place), age_bracket: known(age) };
        cells.entry(group).or_default().respondents += n.value();
    }
    Ok(cells)
}

/// The counts computed again from the roll and each voter's account as it
/// is now: what the results page computed before the counts were kept, and
/// what migration 36 writes for the processes voted before it.
pub fn recount(tx: &impl Tx, id: ProcessId) -> Result<BTreeMap<Group, u64>, StoreError> {
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut cells: BTreeMap<Group, u64> = BTreeMap::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let (key, _) = row?;
        *cells.entry(group_of(tx, AccountId(key.value().1))?).or_default() += 1;
    }
    Ok(cells)
}

/// Migration 36: the counts of every process voted before they were kept,
/// each voter in the group their account holds now (the day they voted is
/// not known any more; it is what the results page showed until then).
pub fn backfill(tx: &WriteTransaction) -> Result<(), StoreError> {
    let mut ids: Vec<u64> = Vec::new();
    for row in tx.open_table(BUDGET_PROCESS_BY_ID)?.iter()? {
        ids.push(row?.0.value());
    }
    tx.delete_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
    for id in ids.into_iter().map(ProcessId) {
        for (group, n) in recount(tx, id)? {
            let (place, age) = group.cell();
            tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?.insert((id.get(), place, age), n)?;
        }
    }
    tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
    Ok(())
}

#[cfg(test)]
#[path = "turnout_tests.rs"]
mod tests;
