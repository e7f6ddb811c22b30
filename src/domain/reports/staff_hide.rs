//! `hide`: staff take a report out of public view (abusive text, a photo
//! of someone's face or plate, a report filed by mistake): its page is
//! refused to everyone but staff, it leaves the lists, the nearby offer and
//! the exports, and its photos are no longer served. Staff can show it
//! again; nothing is deleted.

use redb::{ReadTransaction, ReadableTable};

use super::update::get_in;
use super::*;
use crate::domain::audit::{Action, Actor};
use crate::store::Tx;

/// Hides (`hidden`) or shows again `id`; asking for what already is, is
/// `AlreadyDone`. Audited as moderation's hide and restore are.
pub fn hide(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    hidden: bool,
    now: i64,
) -> Result<(), ReportError> {
    let report = get_in(tx, id)?;
    let mut table = tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    if table.get(id.get())?.is_some() == hidden {
        return Err(ReportError::AlreadyDone);
    }
    if hidden {
        table.insert(id.get(), now)?;
    } else {
        table.remove(id.get())?;
    }
    drop(table);
    // Out of the nearby offer while hidden, back in when shown.
    super::move_place(tx, Some((&report, !hidden)), Some((&report, hidden)))?;
    // The log hears of it so that what reads it (search, feeds) drops it.
    crate::domain::changes::record(tx, Target::new(ContentKind::Report, id.get()))?;
    let action = if hidden { Action::ContentHidden } else { Action::ContentRestored };
    staff.record(tx, action, None, format!("problem report {id}"), now)?;
    Ok(())
}

pub fn is_hidden(tx: &impl Tx, id: ReportId) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.get(id.get())?.is_some())
}

/// Every hidden report exists (for `tables::verify`).
pub(super) fn verify(tx: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let reports = tx.open_table(PROBLEM_REPORT_BY_ID)?;
    for row in tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.iter()? {
        let id = row?.0.value();
        if reports.get(id)?.is_none() {
            problems.push(format!("report {id} is hidden but missing"));
        }
    }
    Ok(())
}
