//! Opening the database, running migrations, verification.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use redb::{
    Database, Key, ReadTransaction, ReadableDatabase, ReadableTableMetadata, TableDefinition, TableHandle, Value,
    WriteTransaction,
};

use super::encryption;
use super::schema::{self, META, MIGRATIONS, SCHEMA_VERSION};
use super::writer::Writer;
use super::StoreError;
use crate::crypto::Keys;

/// The open database and its writer; cheap to clone.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
    writer: Writer,
}

/// What the store and its writer thread share.
///
/// The database sits behind a lock so the writer can replace it: after an
/// I/O error (a full disk), redb refuses every later write until the file is
/// closed and opened again. Readers keep the old handle meanwhile, so pages
/// still display; writes are refused with a clear error until there is room
/// again and the writer has reopened the file.
pub(crate) struct Shared {
    pub(crate) db: RwLock<Option<Arc<Database>>>,
    pub(crate) path: PathBuf,
    pub(crate) cache_mib: u64,
    /// Writes are refused while the disk has less free space than this, so
    /// that a full disk is met before redb hits it.
    pub(crate) min_free_bytes: u64,
    /// Set while writes are refused for lack of space (readiness and metrics).
    pub(crate) disk_full: AtomicBool,
    /// The keys that seal this database's secrets.
    pub(crate) keys: Arc<Keys>,
}

impl Shared {
    /// The database handle; `None` for the moment the writer reopens it.
    pub(crate) fn current(&self) -> Option<Arc<Database>> {
        match self.db.read() {
            Ok(db) => db.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Store {
    /// Opens (or creates) the database at `path` with the public keys of
    /// [`Keys::for_tests`]: for tests and benchmarks only. Commands and the
    /// server use [`Store::open_keyed`] with the instance's key file.
    pub fn open_with_test_key(path: &Path, cache_mib: u64) -> Result<Store, StoreError> {
        Store::open_keyed(path, cache_mib, Arc::new(Keys::for_tests()))
    }

    /// Opens (or creates) the database at `path` and migrates it to this
    /// binary's schema version. A newer database is refused, and so is a
    /// database sealed with another key than `keys`.
    pub fn open_keyed(path: &Path, cache_mib: u64, keys: Arc<Keys>) -> Result<Store, StoreError> {
        Store::open_with(path, cache_mib, 0, None, keys)
    }

    /// [`Store::open_keyed`] as the server does it: writes are refused while the
    /// disk has less than `min_free_bytes` free, and an older database is
    /// copied into `upgrade_backup_dir` before it is migrated.
    pub fn open_with(
        path: &Path,
        cache_mib: u64,
        min_free_bytes: u64,
        upgrade_backup_dir: Option<&Path>,
        keys: Arc<Keys>,
    ) -> Result<Store, StoreError> {
        let mut db = open_database(path, cache_mib)?;
        // Another key is refused before anything changes, even the upgrade.
        encryption::check(encryption::recorded(&db)?, &keys)?;
        let found = schema::stored_version(&db)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
        }
        if found > 0 && found < SCHEMA_VERSION {
            if let Some(dir) = upgrade_backup_dir {
                // Nothing else has the file open (we hold redb's lock) and
                // nothing writes to it yet: a plain copy is consistent.
                drop(db);
                let copy = backup_before_upgrade(path, dir, found)?;
                tracing::info!(backup = %copy.display(), from = found, to = SCHEMA_VERSION, "database backed up before its upgrade");
                db = open_database(path, cache_mib)?;
            }
        }
        migrate(&db)?;
        if encryption::check_or_seal(&db, &keys)? {
            // The pages that held the clear values are free but not erased:
            // compacting moves live pages over them and cuts the file's
            // end, whatever page layout the migrations before left.
            db.compact().map_err(|e| StoreError::Database(e.to_string()))?;
            tracing::info!(fingerprint = %keys.fingerprint_hex(), "the database's secrets are sealed with the key");
        }
        let shared = Arc::new(Shared {
            db: RwLock::new(Some(Arc::new(db))),
            path: path.to_path_buf(),
            cache_mib,
            min_free_bytes,
            disk_full: AtomicBool::new(false),
            keys,
        });
        let writer = Writer::start(shared.clone());
        Ok(Store { shared, writer })
    }

    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// A read transaction: a consistent snapshot that never waits for writers.
    pub fn read(&self) -> Result<ReadTransaction, StoreError> {
        Ok(self.database()?.begin_read()?)
    }

    pub fn writer(&self) -> &Writer {
        &self.writer
    }

    /// The keys that seal and open this database's secrets.
    pub fn keys(&self) -> &Arc<Keys> {
        &self.shared.keys
    }

    /// Whether writes are being refused for lack of disk space.
    pub fn disk_full(&self) -> bool {
        self.shared.disk_full.load(Ordering::Relaxed)
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
        verify_database(&*self.database()?)
    }

    /// Drains the writer: every request already sent is committed and answered.
    pub async fn close(&self) {
        self.writer.shutdown().await;
    }

    pub(crate) fn database(&self) -> Result<Arc<Database>, StoreError> {
        self.shared.current().ok_or(StoreError::Unavailable)
    }
}

/// Copies the database file aside before a migration changes it.
fn backup_before_upgrade(path: &Path, dir: &Path, from: u64) -> Result<PathBuf, StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let dest = dir.join(format!("parvis-before-upgrade-v{from}-to-v{SCHEMA_VERSION}-{stamp}.redb"));
    let partial = dest.with_extension("redb.partial");
    std::fs::copy(path, &partial).map_err(|e| StoreError::io(&partial, e))?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| StoreError::io(&partial, e))?;
    std::fs::rename(&partial, &dest).map_err(|e| StoreError::io(&dest, e))?;
    Ok(dest)
}

/// Free bytes for unprivileged users on the file system holding `dir`.
pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

pub(crate) fn open_database(path: &Path, cache_mib: u64) -> Result<Database, StoreError> {
    let mut builder = redb::Builder::new();
    builder.set_cache_size((cache_mib as usize) * 1024 * 1024);
    let db = builder.create(path).map_err(|e| match e {
        redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Locked { path: path.to_path_buf() },
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => StoreError::io(path, io),
        other => StoreError::Database(format!("{}: {other}", path.display())),
    })?;
    // Residents' data: readable by the server's user only, whatever the umask.
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    Ok(db)
}

/// Brings the database to [`SCHEMA_VERSION`], one migration per transaction.
pub(crate) fn migrate(db: &Database) -> Result<u64, StoreError> {
    migrate_with(db, MIGRATIONS)
}

/// Runs `migrations` from the stored version on. Each runs in one transaction
/// with its version bump: a failing migration leaves the database as it was.
pub(crate) fn migrate_with(db: &Database, migrations: &[schema::Migration]) -> Result<u64, StoreError> {
    let found = schema::stored_version(db)?;
    if found > migrations.len() as u64 {
        return Err(StoreError::NewerSchema { found, supported: migrations.len() as u64 });
    }
    for (index, migration) in migrations.iter().enumerate().skip(found as usize) {
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
    /// The fingerprint of the key the database's secrets are sealed with
    /// (`None` before encryption).
    pub key_fingerprint: Option<[u8; crate::crypto::FINGERPRINT_LEN]>,
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
    let mut report = VerifyReport {
        schema_version: schema::stored_version(db)?,
        key_fingerprint: encryption::recorded(db)?,
        ..Default::default()
    };
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
        match Store::open_with_test_key(&path, 8) {
            Err(StoreError::NewerSchema { found, supported }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("expected NewerSchema, got {:?}", other.err()),
        }
    }

    #[test]
    fn an_older_database_is_backed_up_then_upgraded_and_a_failed_migration_changes_nothing() {
        use crate::domain::accounts::{self, NewAccount, Role};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        {
            // A database as the previous version left it: schema 1, with data.
            let db = open_database(&path, 8).unwrap();
            assert_eq!(migrate_with(&db, &MIGRATIONS[..1]).unwrap(), 0);
            let tx = db.begin_write().unwrap();
            accounts::create(
                &tx,
                &NewAccount {
                    email: "ancien@example.test".into(),
                    display_name: "Ancien".into(),
                    role: Role::Admin,
                    password_hash: "h".into(),
                    must_change_password: false,
                    language: crate::i18n::Lang::Fr,
                    neighbourhood: None,
                },
            )
            .unwrap();
            tx.commit().unwrap();
            // A migration that fails leaves version and data as they were.
            let failing: &[schema::Migration] = &[MIGRATIONS[0], |_| Err(StoreError::Internal("boom".into()))];
            assert!(migrate_with(&db, failing).is_err());
            assert_eq!(schema::stored_version(&db).unwrap(), 1);
            let tx = db.begin_read().unwrap();
            assert!(accounts::find_by_email(&tx, "ancien@example.test").unwrap().is_some());
        }
        let backups = dir.path().join("backups");
        let store = Store::open_with(&path, 8, 0, Some(&backups), Arc::new(Keys::for_tests())).unwrap();
        assert_eq!(schema::stored_version(&*store.database().unwrap()).unwrap(), SCHEMA_VERSION);
        assert!(accounts::find_by_email(&store.read().unwrap(), "ancien@example.test").unwrap().is_some());
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        let copies: Vec<_> = std::fs::read_dir(&backups).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(copies.len(), 1);
        let name = copies[0].file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.starts_with("parvis-before-upgrade-v1-to-v"), "{name}");
        let old = open_database(&copies[0], 8).unwrap();
        assert_eq!(schema::stored_version(&old).unwrap(), 1, "the copy is the database before the upgrade");
        // Opening an up-to-date database takes no copy.
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
        drop(store);
        drop(old);
        let _again = Store::open_with(&path, 8, 0, Some(&backups), Arc::new(Keys::for_tests())).unwrap();
        assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 1);
    }
}
