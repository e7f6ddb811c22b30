//! Tables of the promotion kit: the short addresses staff print on posters.

use redb::{ReadableTable, TableDefinition};

use crate::store::schema::{table_info, TableInfo};

/// Name (`velo` for `/p/velo`) → ShortLink.
pub const SHORT_LINK_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("short_link_by_name");
/// (target kind code, target id; 0 for the platform) → name: a process's
/// one short address, kept in step with `short_link_by_name` by `write`.
pub const SHORT_LINK_NAME_BY_TARGET: TableDefinition<(&str, u64), &str> =
    TableDefinition::new("short_link_name_by_target");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(SHORT_LINK_BY_NAME), table_info!(SHORT_LINK_NAME_BY_TARGET)]
}

/// Each link is stored under its own name, and the target index holds
/// exactly one row per link, naming it back.
pub(crate) fn verify(tx: &redb::ReadTransaction) -> Result<Vec<String>, crate::store::StoreError> {
    let mut problems = Vec::new();
    let mut expected = std::collections::BTreeMap::new();
    for row in tx.open_table(SHORT_LINK_BY_NAME)?.iter()? {
        let (name, bytes) = row?;
        let link: super::ShortLink = crate::store::decode(bytes.value())?;
        if link.name != name.value() {
            problems.push(format!("short link {} is stored under {}", link.name, name.value()));
        }
        let (kind, id) = link.target.key();
        if let Some(other) = expected.insert((kind.to_string(), id), link.name.clone()) {
            problems.push(format!("short links {other} and {} both lead to {kind} {id}", link.name));
        }
    }
    let mut indexed = std::collections::BTreeMap::new();
    for row in tx.open_table(SHORT_LINK_NAME_BY_TARGET)?.iter()? {
        let (key, name) = row?;
        let (kind, id) = key.value();
        indexed.insert((kind.to_string(), id), name.value().to_string());
    }
    for (key, name) in &expected {
        if indexed.get(key) != Some(name) {
            problems.push(format!("short link {name} is missing from the target index ({} {})", key.0, key.1));
        }
    }
    for (key, name) in &indexed {
        if expected.get(key) != Some(name) {
            problems.push(format!("the target index names short link {name} for {} {}, which it is not", key.0, key.1));
        }
    }
    Ok(problems)
}
