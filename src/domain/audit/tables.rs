//! Tables of the audit concept.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::Event;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// Event id (increasing with time) → Event.
pub const AUDIT_EVENT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_event_by_id");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(AUDIT_EVENT_BY_ID)]
}

/// Events decode and their times never go backwards by more than a minute
/// (clock adjustments happen; reordering would hide tampering).
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let table = tx.open_table(AUDIT_EVENT_BY_ID)?;
    let mut last = i64::MIN;
    for row in table.iter()? {
        let (id, bytes) = row?;
        match decode::<Event>(bytes.value()) {
            Ok(e) => {
                if e.at < last.saturating_sub(60) {
                    problems.push(format!("audit event {} is older than the one before it", id.value()));
                }
                last = last.max(e.at);
            }
            Err(e) => problems.push(format!("audit event {}: {e}", id.value())),
        }
    }
    Ok(problems)
}
