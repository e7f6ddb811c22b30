//! Staff's own handling of a report: who in the town hall takes care of it
//! (`assign`), and the internal notes they leave each other (`add_note`).
//! Neither is public: the report's page shows them to staff only, and no
//! export, feed or API reads these tables.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};
use serde::{Deserialize, Serialize};

use super::update::get_in;
use super::*;
use crate::domain::accounts::{self, AccountError, Role};
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, Tx};

/// A staff member's internal note on a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Note {
    pub at: i64,
    pub by: AccountId,
    pub text: String,
}

impl Record for Note {
    const NAME: &'static str = "problem report note";
    const VERSION: u8 = 1;
}

fn account_error(e: AccountError) -> StoreError {
    match e {
        AccountError::Store(s) => s,
        // An account that cannot be read (a sealed value that does not
        // open) is a real failure, not a refusal.
        other => StoreError::Internal(other.to_string()),
    }
}

/// Assigns `id` to the staff account `to`, or to nobody (`None`); the
/// by-assignee index moves in the same transaction. Assigning to whom it
/// already is is `AlreadyDone`.
pub fn assign(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    to: Option<AccountId>,
    now: i64,
) -> Result<(), ReportError> {
    get_in(tx, id)?;
    if let Some(account) = to {
        let person = accounts::get(tx, account).map_err(account_error)?;
        if person.is_none_or(|p| p.role < Role::Staff) {
            return Err(ReportError::NotStaff);
        }
    }
    let mut by_report = tx.open_table(PROBLEM_REPORT_ASSIGNEE_BY_REPORT)?;
    let pre = by_report.get(id.get())?.map(|v| AccountId(v.value()));
    if pre == to {
        return Err(ReportError::AlreadyDone);
    }
    let mut by_assignee = tx.open_table(PROBLEM_REPORT_ID_BY_ASSIGNEE)?;
    if let Some(old) = pre {
        by_assignee.remove((old.get(), id.get()))?;
    }
    match to {
        Some(account) => {
            by_report.insert(id.get(), account.get())?;
            by_assignee.insert((account.get(), id.get()), ())?;
        }
        None => {
            by_report.remove(id.get())?;
        }
    }
    drop((by_report, by_assignee));
    let detail = format!("report {id}: assigned to {}", to.map_or("nobody".to_string(), |a| a.to_string()));
    staff.record(tx, Action::ReportAssigned, to, detail, now)?;
    Ok(())
}

/// Who `id` is assigned to.
pub fn assignee(tx: &impl Tx, id: ReportId) -> Result<Option<AccountId>, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_ASSIGNEE_BY_REPORT)?.get(id.get())?.map(|v| AccountId(v.value())))
}

/// A staff member adds an internal note.
pub fn add_note(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    text: &str,
    now: i64,
) -> Result<(), ReportError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReportError::Empty);
    }
    if text.chars().count() > MAX_UPDATE {
        return Err(ReportError::TooLong);
    }
    get_in(tx, id)?;
    let by = staff.account.unwrap_or_default();
    let mut table = tx.open_table(PROBLEM_REPORT_NOTE_BY_REPORT_SEQ)?;
    let next = table
        .range((id.get(), 0)..=(id.get(), u64::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1 + 1)
        .unwrap_or(1);
    table.insert((id.get(), next), encode(&Note { at: now, by, text: text.to_string() })?.as_slice())?;
    drop(table);
    // The text stays out of the audit log: it may name residents.
    staff.record(tx, Action::ReportNoteAdded, None, format!("report {id}: note {next}"), now)?;
    Ok(())
}

/// The internal notes of `id`, oldest first (for staff only).
pub fn notes(tx: &impl Tx, id: ReportId) -> Result<Vec<Note>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_NOTE_BY_REPORT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The assignee index matches the assignments both ways, and every
/// assignment and note belongs to a report (for `tables::verify`).
pub(super) fn verify(tx: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let reports = tx.open_table(PROBLEM_REPORT_BY_ID)?;
    let by_report = tx.open_table(PROBLEM_REPORT_ASSIGNEE_BY_REPORT)?;
    let by_assignee = tx.open_table(PROBLEM_REPORT_ID_BY_ASSIGNEE)?;
    for row in by_report.iter()? {
        let (id, account) = row?;
        let (id, account) = (id.value(), account.value());
        if reports.get(id)?.is_none() {
            problems.push(format!("report {id} is assigned but missing"));
        }
        if by_assignee.get((account, id))?.is_none() {
            problems.push(format!("report {id} is missing from the by-assignee index"));
        }
    }
    if by_assignee.len()? != by_report.len()? {
        problems.push(format!("{} assignments but {} by-assignee entries", by_report.len()?, by_assignee.len()?));
    }
    let mut last = None;
    for row in tx.open_table(PROBLEM_REPORT_NOTE_BY_REPORT_SEQ)?.iter()? {
        let (id, _) = row?.0.value();
        if last != Some(id) {
            last = Some(id);
            if reports.get(id)?.is_none() {
                problems.push(format!("the notes of missing report {id} are still stored"));
            }
        }
    }
    Ok(())
}
