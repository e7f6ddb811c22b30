//! Tables of the pages concept.

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// Slug → Page: the pages an admin saved.
pub const PAGE_BY_SLUG: TableDefinition<&str, &[u8]> = TableDefinition::new("page_by_slug");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(PAGE_BY_SLUG)]
}
