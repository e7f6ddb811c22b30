//! Tables of the improve concept: the platform's own idea box, the
//! workshops marked as co-design sessions of the platform, and the answers
//! to « Cette page vous a-t-elle été utile ? ».

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::feedback::Remark;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// "box" → BoxId: the idea box « Améliorer ce site » (one row at most).
pub const IMPROVE_BOX_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("improve_box_by_name");
/// MeetingId → marked at (Unix seconds): a workshop staff marked as a
/// co-design session of the platform.
pub const CODESIGN_BY_MEETING: TableDefinition<u64, i64> = TableDefinition::new("codesign_by_meeting");
/// Page path → (yes, no): the answers to « utile ? » of one page.
pub const PAGE_FEEDBACK_TOTALS_BY_PATH: TableDefinition<&str, (u64, u64)> =
    TableDefinition::new("page_feedback_totals_by_path");
/// (page path, RemarkId) → Remark: the comments left with an answer,
/// ids growing, so a page's newest come last.
pub const PAGE_FEEDBACK_REMARK_BY_PATH_ID: TableDefinition<(&str, u64), &[u8]> =
    TableDefinition::new("page_feedback_remark_by_path_id");
/// Counter name → value: `next_remark`.
pub const PAGE_FEEDBACK_COUNTER_BY_NAME: TableDefinition<&str, u64> =
    TableDefinition::new("page_feedback_counter_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(IMPROVE_BOX_BY_NAME),
        table_info!(CODESIGN_BY_MEETING),
        table_info!(PAGE_FEEDBACK_TOTALS_BY_PATH),
        table_info!(PAGE_FEEDBACK_REMARK_BY_PATH_ID),
        table_info!(PAGE_FEEDBACK_COUNTER_BY_NAME),
    ]
}

/// The platform's box exists; each page has at least as many answers as
/// comments, and no comment without its page's totals; the remark counter
/// is ahead of every id given.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    if let Some(id) = tx.open_table(IMPROVE_BOX_BY_NAME)?.get("box")?.map(|v| v.value()) {
        if crate::domain::proposals::get_box(tx, crate::domain::ids::BoxId(id))?.is_none() {
            problems.push(format!("improve: the platform's idea box {id} does not exist"));
        }
    }
    let totals = tx.open_table(PAGE_FEEDBACK_TOTALS_BY_PATH)?;
    let remarks = tx.open_table(PAGE_FEEDBACK_REMARK_BY_PATH_ID)?;
    let next = tx.open_table(PAGE_FEEDBACK_COUNTER_BY_NAME)?.get("next_remark")?.map(|v| v.value()).unwrap_or(1);
    let mut per_path: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for row in remarks.iter()? {
        let (key, bytes) = row?;
        let (path, id) = key.value();
        if id >= next {
            problems.push(format!("improve: remark {id} is not below the next remark id {next}"));
        }
        match decode::<Remark>(bytes.value()) {
            Ok(r) => {
                let counted = per_path.entry(path.to_string()).or_default();
                if r.useful {
                    counted.0 += 1;
                } else {
                    counted.1 += 1;
                }
            }
            Err(e) => problems.push(format!("improve: remark {id}: {e}")),
        }
    }
    for (path, (yes, no)) in per_path {
        let (total_yes, total_no) = totals.get(path.as_str())?.map(|v| v.value()).unwrap_or((0, 0));
        if yes > total_yes || no > total_no {
            problems.push(format!(
                "improve: page {path} has {yes} yes and {no} no comments, more than its totals {total_yes}/{total_no}"
            ));
        }
    }
    Ok(problems)
}
