//! Opening the database, running migrations, verification.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{
    Database, Key, ReadTransaction, ReadableDatabase, ReadableTableMetadata, TableDefinition, TableHandle, Value,
    WriteTransaction,
};

use super::schema::{self, META, MIGRATIONS, SCHEMA_VERSION};
use super::writer::Writer;
use super::StoreError;

/// The open database and its writer.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
    writer: Writer,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the database at `path` and migrates it to this
    /// binary's schema version. A newer database is refused.
    pub fn open(path: &Path, cache_mib: u64) -> Result<Store, StoreError> {
        let db = open_database(path, cache_mib)?;
        migrate(&db)?;
        let db = Arc::new(db);
        let writer = Writer::start(db.clone());
        Ok(Store { db, writer, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read transaction: a consistent snapshot that never waits for writers.
    pub fn read(&self) -> Result<ReadTransaction, StoreError> {
        Ok(self.db.begin_read()?)
    }

    pub fn writer(&self) -> &Writer {
        &self.writer
    }

    /// Runs one business operation in a group-committed write transaction.
    pub async fn write<T, E, F>(&self, op: F) -> Result<T, E>
    where
        F: FnMut(&WriteTransaction) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.writer.write(op).await
    }

    /// Runs the consistency checks on the live database.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        verify_database(&*self.db)
    }

    /// Drains the writer: every request already sent is committed and answered.
    pub async fn close(&self) {
        self.writer.shutdown().await;
    }

    pub(crate) fn database(&self) -> &Arc<Database> {
        &self.db
    }
}

pub(crate) fn open_database(path: &Path, cache_mib: u64) -> Result<Database, StoreError> {
    let mut builder = redb::Builder::new();
    builder.set_cache_size((cache_mib as usize) * 1024 * 1024);
    builder.create(path).map_err(|e| match e {
        redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Locked { path: path.to_path_buf() },
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => StoreError::io(path, io),
        other => StoreError::Database(format!("{}: {other}", path.display())),
    })
}

/// Brings the database to [`SCHEMA_VERSION`], one migration per transaction.
pub(crate) fn migrate(db: &Database) -> Result<u64, StoreError> {
    let found = schema::stored_version(db)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = db.begin_write()?;
        migration(&tx)?;
        tx.open_table(META)?.insert("schema_version", index as u64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(found)
}

/// What `parvis verify` found.
#[derive(Debug, Default)]
pub struct VerifyReport {
    pub schema_version: u64,
    pub tables: Vec<(String, u64)>,
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Checks schema version, that every table is known, row counts, and each
/// concept's indexes and counters.
pub(crate) fn verify_database<D: ReadableDatabase>(db: &D) -> Result<VerifyReport, StoreError> {
    let mut report = VerifyReport { schema_version: schema::stored_version(db)?, ..Default::default() };
    if report.schema_version != SCHEMA_VERSION {
        report
            .problems
            .push(format!("schema version is {}, this binary expects {SCHEMA_VERSION}", report.schema_version));
    }
    let tx = db.begin_read()?;
    let known = schema::tables();
    for handle in tx.list_tables()? {
        if !known.iter().any(|t| t.name == handle.name()) {
            report.problems.push(format!("unknown table {}", handle.name()));
        }
    }
    for table in &known {
        match (table.count)(&tx) {
            Ok(n) => report.tables.push((table.name.clone(), n)),
            Err(e) => report.problems.push(format!("table {}: {e}", table.name)),
        }
    }
    for (concept, check) in schema::CHECKS {
        match check(&tx) {
            Ok(found) => report.problems.extend(found.into_iter().map(|p| format!("{concept}: {p}"))),
            Err(e) => report.problems.push(format!("{concept}: {e}")),
        }
    }
    Ok(report)
}

/// Opens a database file alone (not in use), checks redb's integrity, then
/// runs [`verify_database`]. Used for `parvis verify`, backups and restores.
pub fn verify_file(path: &Path) -> Result<VerifyReport, StoreError> {
    if !path.is_file() {
        return Err(StoreError::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")));
    }
    let mut db = open_database(path, 16)?;
    let intact = db.check_integrity()?;
    let mut report = verify_database(&db)?;
    if !intact {
        report.problems.insert(0, "redb integrity check repaired the file".into());
    }
    Ok(report)
}

/// Copies every row of one table between transactions (backups).
pub(crate) fn copy_table<K: Key + 'static, V: Value + 'static>(
    def: TableDefinition<K, V>,
    src: &ReadTransaction,
    dst: &WriteTransaction,
) -> Result<u64, StoreError> {
    let mut out = dst.open_table(def)?;
    let input = match src.open_table(def) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut n = 0;
    for row in redb::ReadableTable::iter(&input)? {
        let (k, v) = row?;
        out.insert(k.value(), v.value())?;
        n += 1;
    }
    Ok(n)
}

pub(crate) fn count_rows<K: Key + 'static, V: Value + 'static>(
    def: TableDefinition<K, V>,
    src: &ReadTransaction,
) -> Result<u64, StoreError> {
    match src.open_table(def) {
        Ok(t) => Ok(t.len()?),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_database_is_migrated_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        {
            let db = open_database(&path, 8).unwrap();
            assert_eq!(migrate(&db).unwrap(), 0);
            assert_eq!(migrate(&db).unwrap(), SCHEMA_VERSION);
        }
        let report = verify_file(&path).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!(report.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        {
            let db = open_database(&path, 8).unwrap();
            migrate(&db).unwrap();
            let tx = db.begin_write().unwrap();
            tx.open_table(META).unwrap().insert("schema_version", SCHEMA_VERSION + 1).unwrap();
            tx.commit().unwrap();
        }
        match Store::open(&path, 8) {
            Err(StoreError::NewerSchema { found, supported }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("expected NewerSchema, got {:?}", other.err()),
        }
    }
}
