//! Tables of the news concept.

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// NewsId → Post.
pub const NEWS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("news_by_id");
/// (published at, NewsId) → (): the published posts by date, kept in step
/// by `write`.
pub const NEWS_ID_BY_PUBLISHED: TableDefinition<(i64, u64), ()> = TableDefinition::new("news_id_by_published");
/// Counter name → value: `next_news`.
pub const NEWS_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("news_counter_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(NEWS_BY_ID), table_info!(NEWS_ID_BY_PUBLISHED), table_info!(NEWS_COUNTER_BY_NAME)]
}

/// The date index holds exactly the published posts, at their dates.
pub(crate) fn verify(tx: &redb::ReadTransaction) -> Result<Vec<String>, crate::store::StoreError> {
    use redb::ReadableTable;
    let mut problems = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for row in tx.open_table(NEWS_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        let post: super::Post = crate::store::decode(bytes.value())?;
        if post.id.get() != id.value() {
            problems.push(format!("news post {} is stored under {}", post.id, id.value()));
        }
        if let Some(at) = post.published_at {
            expected.insert((at, post.id.get()));
        }
    }
    let mut indexed = std::collections::BTreeSet::new();
    for row in tx.open_table(NEWS_ID_BY_PUBLISHED)?.iter()? {
        indexed.insert(row?.0.value());
    }
    for (at, id) in expected.difference(&indexed) {
        problems.push(format!("published news post {id} ({at}) is missing from the date index"));
    }
    for (at, id) in indexed.difference(&expected) {
        problems.push(format!("the date index names news post {id} at {at}, which is not published then"));
    }
    Ok(problems)
}
