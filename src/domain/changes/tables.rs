//! Tables of the change log.

use redb::{TableDefinition, WriteTransaction};

use crate::store::schema::{table_info, TableInfo};
use crate::store::StoreError;

/// Sequence number (increasing) → Target (kind, id) that changed.
pub const CHANGE_BY_SEQ: TableDefinition<u64, &[u8]> = TableDefinition::new("change_by_seq");

pub(crate) fn create(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(CHANGE_BY_SEQ)?;
    Ok(())
}

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(CHANGE_BY_SEQ)]
}
