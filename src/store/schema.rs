//! The schema: every table, the ordered list of migrations, and the checks
//! `parvis verify` runs.
//!
//! Migration `i` (0-based) brings the database from version `i` to `i + 1`;
//! each runs in one transaction with the version bump. The version of this
//! binary is the length of [`MIGRATIONS`].

use redb::{ReadTransaction, ReadableDatabase, TableDefinition, WriteTransaction};

use super::StoreError;
use crate::domain::{accounts, audit, changes, comments, moderation, notifications, proposals, sessions, two_factor};

/// Key: setting name → value. Holds `schema_version`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

pub type Migration = fn(&WriteTransaction) -> Result<(), StoreError>;

/// The ordered migrations. Append only: never edit one that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    // 1: the appliance — meta and accounts.
    |tx| {
        tx.open_table(META)?;
        accounts::tables::create(tx)
    },
    // 2: accounts and security — sessions, two-factor authentication, mail outbox.
    |tx| {
        accounts::tables::create_tokens(tx)?;
        sessions::tables::create(tx)?;
        two_factor::tables::create(tx)?;
        audit::tables::create(tx)?;
        crate::mail::outbox::create(tx)?;
        Ok(())
    },
    // 3: ideas and proposals — change log, proposals, comments, moderation, notifications.
    |tx| {
        changes::tables::create(tx)?;
        comments::tables::create(tx)?;
        moderation::tables::create(tx)?;
        proposals::tables::create(tx)?;
        notifications::tables::create(tx)?;
        Ok(())
    },
    // 4: secrets encrypted at rest — the key's fingerprint. The secrets
    // themselves are sealed right after, with the key, by
    // `store::encryption::check_or_seal` (a migration has no key).
    |tx| super::encryption::create(tx),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u64 = MIGRATIONS.len() as u64;

/// A table known to this binary, with what backups need to copy it.
pub struct TableInfo {
    pub name: String,
    pub copy: fn(&ReadTransaction, &WriteTransaction) -> Result<u64, StoreError>,
    pub count: fn(&ReadTransaction) -> Result<u64, StoreError>,
}

macro_rules! table_info {
    ($def:expr) => {
        TableInfo {
            name: redb::TableHandle::name(&$def).to_string(),
            copy: |src, dst| crate::store::db::copy_table($def, src, dst),
            count: |src| crate::store::db::count_rows($def, src),
        }
    };
}
pub(crate) use table_info;

/// Every table, for backups and verification.
pub fn tables() -> Vec<TableInfo> {
    let mut all = vec![table_info!(META)];
    all.extend(accounts::tables::all());
    all.extend(sessions::tables::all());
    all.extend(two_factor::tables::all());
    all.extend(audit::tables::all());
    all.extend(changes::tables::all());
    all.extend(comments::tables::all());
    all.extend(moderation::tables::all());
    all.extend(proposals::tables::all());
    all.extend(notifications::tables::all());
    all.extend(crate::mail::outbox::all());
    all.extend(super::encryption::all());
    all
}

/// A consistency check of one concept: returns the problems it found.
pub type Check = fn(&ReadTransaction) -> Result<Vec<String>, StoreError>;

/// The checks `parvis verify` runs, one per concept.
pub const CHECKS: &[(&str, Check)] = &[
    ("accounts", accounts::tables::verify),
    ("sessions", sessions::tables::verify),
    ("two-factor", two_factor::tables::verify),
    ("audit", audit::tables::verify),
    ("comments", comments::tables::verify),
    ("moderation", moderation::tables::verify),
    ("proposals", proposals::tables::verify),
    ("mail", crate::mail::outbox::verify),
];

/// The schema version stored in a database (0 for a new file).
pub fn stored_version<D: ReadableDatabase>(db: &D) -> Result<u64, StoreError> {
    let tx = db.begin_read()?;
    let table = match tx.open_table(META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    Ok(table.get("schema_version")?.map(|v| v.value()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_unique() {
        let mut names: Vec<_> = tables().into_iter().map(|t| t.name).collect();
        let before = names.len();
        names.sort();
        names.dedup();
        assert_eq!(before, names.len());
    }
}
