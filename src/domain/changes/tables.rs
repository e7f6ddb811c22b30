//! Tables of the change log.

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// Sequence number (increasing) → Target (kind, id) that changed.
pub const CHANGE_BY_SEQ: TableDefinition<u64, &[u8]> = TableDefinition::new("change_by_seq");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(CHANGE_BY_SEQ)]
}
