//! Tables of the open-data export: how many times something published
//! stopped being publishable, so that an archive made before knows it is
//! stale (see `super::withdrawn`).

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// Name → count. `"withdrawals"`: how many times published content was
/// hidden, held or taken down since the database was made.
pub const OPENDATA_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("opendata_counter_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(OPENDATA_COUNTER_BY_NAME)]
}
