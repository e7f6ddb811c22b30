//! `redact`: staff replace words of a report's description or of an update
//! (a name, a phone number, an insult) by a redacted text. The public sees
//! the redacted text; the first original is kept for staff, and the audit
//! log records who redacted what (not the words).

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable};
use serde::{Deserialize, Serialize};

use super::update::get_in;
use super::*;
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, Tx};

/// The item number of a report's description (an update's is its sequence).
pub const DESCRIPTION: u64 = 0;

/// The original of a redacted text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Redaction {
    pub original: String,
    pub at: i64,
    pub by: AccountId,
}

impl Record for Redaction {
    const NAME: &'static str = "problem report redaction";
    const VERSION: u8 = 1;
}

/// Replaces the text of `item` of `id` (`DESCRIPTION` or an update's
/// sequence from 1) by `text`. Redacting again keeps the first original:
/// it is the resident's own words. The same text again is `AlreadyDone`.
pub fn redact(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    item: u64,
    text: &str,
    now: i64,
) -> Result<(), ReportError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReportError::Empty);
    }
    let limit = if item == DESCRIPTION { MAX_DESCRIPTION } else { MAX_UPDATE };
    if text.chars().count() > limit {
        return Err(ReportError::TooLong);
    }
    let pre = get_in(tx, id)?;
    let original = if item == DESCRIPTION {
        if pre.description == text {
            return Err(ReportError::AlreadyDone);
        }
        let mut post = pre.clone();
        post.description = text.to_string();
        write(tx, Some(&pre), &post)?;
        pre.description.clone()
    } else {
        let mut updates = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
        let bytes = updates.get((id.get(), item))?.ok_or(ReportError::NotFound)?.value().to_vec();
        let mut update: Update = decode(&bytes)?;
        if update.text == text {
            return Err(ReportError::AlreadyDone);
        }
        let original = std::mem::replace(&mut update.text, text.to_string());
        updates.insert((id.get(), item), encode(&update)?.as_slice())?;
        drop(updates);
        // The report's own record did not change, but its public text did.
        crate::domain::changes::record(tx, pre.target())?;
        original
    };
    let mut table = tx.open_table(PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM)?;
    if table.get((id.get(), item))?.is_none() {
        let kept = Redaction { original, at: now, by: staff.account.unwrap_or_default() };
        table.insert((id.get(), item), encode(&kept)?.as_slice())?;
    }
    drop(table);
    let what = if item == DESCRIPTION { "description".to_string() } else { format!("update {item}") };
    staff.record(tx, Action::ReportRedacted, None, format!("report {id}: {what}"), now)?;
    Ok(())
}

/// The originals of the redacted texts of `id`, by item (for staff only).
pub fn redactions(tx: &impl Tx, id: ReportId) -> Result<BTreeMap<u64, Redaction>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM)?;
    let mut out = BTreeMap::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let (k, v) = row?;
        out.insert(k.value().1, decode(v.value())?);
    }
    Ok(out)
}

/// Every original belongs to a report and to one of its texts.
pub(super) fn verify(tx: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let reports = tx.open_table(PROBLEM_REPORT_BY_ID)?;
    let updates = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    for row in tx.open_table(PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM)?.iter()? {
        let (id, item) = row?.0.value();
        if reports.get(id)?.is_none() || (item != DESCRIPTION && updates.get((id, item))?.is_none()) {
            problems.push(format!("a redacted text of report {id} (item {item}) has nothing to belong to"));
        }
    }
    Ok(())
}
