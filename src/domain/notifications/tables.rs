//! Tables of the notifications concept.

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// (AccountId, sequence) → Notification: a person's notifications, oldest first.
pub const NOTIFICATION_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("notification_by_account_seq");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(NOTIFICATION_BY_ACCOUNT_SEQ)]
}
