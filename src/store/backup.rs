//! Backups taken from one read transaction, verified before they are called
//! good; restores into a stopped instance; the rotation of scheduled backups.
//!
//! redb has no backup API and copying its file while it is written is unsafe,
//! so a backup copies every table from one snapshot into a new database file.
//!
//! A backup is a directory: `parvis.redb` (that copy) and `files/` (the
//! photos and documents residents uploaded, `<data>/files/`), so that one
//! folder restores everything. Backups taken by earlier versions are a single
//! `.redb` file: they still restore, database only, and the command says so.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use redb::{Database, ReadableDatabase, TableHandle};
use tokio::sync::watch;

use super::db::{open_database, verify_file, VerifyReport};
use super::encryption;
use super::schema::{self, SCHEMA_VERSION};
use super::{Store, StoreError};
use crate::crypto::Keys;

/// What a backup or restore did.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
    /// Uploaded files copied, or `None` for a database-only backup (the
    /// format before files were included).
    pub files: Option<u64>,
}

/// The database's name inside a backup directory.
pub const BACKUP_DB: &str = "parvis.redb";
/// The uploaded files' folder inside a backup directory, as in the data directory.
pub const BACKUP_FILES: &str = "files";

/// Progress callback: rows copied so far, rows in total.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

impl Store {
    /// Writes a verified backup of the live database and of its uploaded
    /// files (`<data>/files/`, beside the database) to the directory `dest`.
    ///
    /// Files are named by their content and never change; one is written
    /// before the commit that names it, and deleted only after the commit
    /// that forgets it. So the files are copied once before the database's
    /// snapshot and once after (only the new names): every file the
    /// snapshot names existed at one of the two passes and had not been
    /// deleted, because a file deleted before the snapshot is not named by
    /// it. (A file written after the first pass and deleted again before the
    /// second is the only one that can be missing: saved, committed,
    /// forgotten and removed within one backup.)
    pub fn backup_to(&self, dest: &Path, progress: Progress<'_>) -> Result<BackupReport, StoreError> {
        let data_dir = self.path().parent().map(Path::to_path_buf).unwrap_or_default();
        let uploads = crate::photos::dir(&data_dir);
        if dest.exists() {
            return Err(StoreError::Invalid(format!("{} already exists: give a new name", dest.display())));
        }
        let partial = partial_path(dest);
        if partial.exists() {
            fs::remove_dir_all(&partial).map_err(|e| StoreError::io(&partial, e))?;
        }
        // Backups hold personal data: the directory is the owner's only.
        fs::DirBuilder::new().recursive(true).mode(0o700).create(&partial).map_err(|e| StoreError::io(&partial, e))?;
        let files_dest = partial.join(BACKUP_FILES);
        fs::DirBuilder::new().mode(0o700).create(&files_dest).map_err(|e| StoreError::io(&files_dest, e))?;
        let mut files = copy_new_files(&uploads, &files_dest)?;
        let mut report = backup_database(&*self.database()?, &partial.join(BACKUP_DB), progress)?;
        files += copy_new_files(&uploads, &files_dest)?;
        sync_file(&files_dest)?;
        fs::rename(&partial, dest).map_err(|e| StoreError::io(dest, e))?;
        sync_parent(dest);
        report.path = dest.to_path_buf();
        report.files = Some(files);
        Ok(report)
    }
}

/// Copies the files of `from` that `to` does not hold yet; returns how many.
/// A missing `from` is an instance without uploads yet.
fn copy_new_files(from: &Path, to: &Path) -> Result<u64, StoreError> {
    let entries = match fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(StoreError::io(from, e)),
    };
    let mut copied = 0;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(from, e))?;
        let kind = entry.file_type().map_err(|e| StoreError::io(entry.path(), e))?;
        let target = to.join(entry.file_name());
        // `….partial`: a file being written, not named by any commit yet.
        let partial = entry.file_name().to_str().is_some_and(|n| n.ends_with(".partial"));
        if !kind.is_file() || partial || target.exists() {
            continue;
        }
        match fs::copy(entry.path(), &target) {
            Ok(_) => {}
            // Deleted since it was listed: a file the next snapshot no longer names.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(StoreError::io(&target, e)),
        }
        private(&target)?;
        sync_file(&target)?;
        copied += 1;
    }
    Ok(copied)
}

/// Copies every table of `db`, from one read transaction, into `dest`.
/// The copy is written beside `dest`, verified, synced, then renamed: a file
/// at `dest` is always a complete, verified backup.
pub fn backup_database(db: &Database, dest: &Path, progress: Progress<'_>) -> Result<BackupReport, StoreError> {
    let src = db.begin_read()?;
    let tables = schema::tables();
    for handle in src.list_tables()? {
        if !tables.iter().any(|t| t.name == handle.name()) {
            return Err(StoreError::UnknownTable(handle.name().to_string()));
        }
    }
    let mut total = 0;
    for t in &tables {
        total += (t.count)(&src)?;
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    let partial = partial_path(dest);
    let _ = fs::remove_file(&partial);
    let mut rows = 0;
    {
        let out = open_database(&partial, 16)?;
        let tx = out.begin_write()?;
        for t in &tables {
            rows += (t.copy)(&src, &tx)?;
            progress(rows, total);
        }
        tx.commit()?;
    }
    drop(src);
    let report = verify_file(&partial)?;
    if !report.is_ok() {
        let _ = fs::remove_file(&partial);
        return Err(StoreError::Invalid(report.problems.join("; ")));
    }
    if report.rows() != rows {
        let _ = fs::remove_file(&partial);
        return Err(StoreError::Invalid(format!("copied {rows} rows but the backup holds {}", report.rows())));
    }
    // A backup holds every resident's personal data: owner only.
    private(&partial)?;
    sync_file(&partial)?;
    fs::rename(&partial, dest).map_err(|e| StoreError::io(dest, e))?;
    sync_parent(dest);
    let bytes = fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport { path: dest.to_path_buf(), tables: tables.len(), rows, bytes, files: None })
}

/// Restores `backup` as the database at `db_path`, and its uploaded files
/// into `files/` beside it. The instance must be stopped. The current
/// database is kept beside it, renamed, never deleted; files already there
/// stay (a file's name is its content: the same name is the same file).
/// A backup sealed with a key is refused unless `key_file` holds that key:
/// restored without it, its sealed secrets could never be read.
///
/// `backup` is a backup directory, or a single `.redb` file of the format
/// before files were included: then only the database is restored and the
/// report's `files` is `None`, so that the caller can say so.
/// Returns the report and where the previous database went.
pub fn restore(backup: &Path, db_path: &Path, key_file: &Path) -> Result<(BackupReport, Option<PathBuf>), StoreError> {
    let (db_backup, files_backup) = backup_parts(backup);
    let report: VerifyReport = check_backup(backup)?;
    if let Some(stored) = report.key_fingerprint {
        encryption::check(Some(stored), &Keys::from_file(key_file)?)?;
    }
    let mut kept = None;
    if db_path.exists() {
        // Opening takes redb's lock: it fails while a server uses the file.
        drop(open_database(db_path, 4)?);
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let aside = db_path.with_file_name(format!("parvis.redb.before-restore-{stamp}"));
        fs::rename(db_path, &aside).map_err(|e| StoreError::io(db_path, e))?;
        kept = Some(aside);
    }
    // Files first: once the database is back, everything it names is there.
    let files = match &files_backup {
        Some(from) => {
            let data_dir = db_path.parent().map(Path::to_path_buf).unwrap_or_default();
            let to = crate::photos::dir(&data_dir);
            fs::DirBuilder::new().recursive(true).mode(0o700).create(&to).map_err(|e| StoreError::io(&to, e))?;
            let copied = copy_new_files(from, &to)?;
            sync_file(&to)?;
            Some(copied)
        }
        None => None,
    };
    let partial = partial_path(db_path);
    fs::copy(&db_backup, &partial).map_err(|e| StoreError::io(&partial, e))?;
    private(&partial)?;
    sync_file(&partial)?;
    fs::rename(&partial, db_path).map_err(|e| StoreError::io(db_path, e))?;
    sync_parent(db_path);
    let bytes = fs::metadata(db_path).map(|m| m.len()).unwrap_or(0);
    let report =
        BackupReport { path: db_path.to_path_buf(), tables: report.tables.len(), rows: report.rows(), bytes, files };
    Ok((report, kept))
}

/// The database file of a backup, and its files' folder when it has one: a
/// directory holds both; a file is a database-only backup of the old format.
fn backup_parts(backup: &Path) -> (PathBuf, Option<PathBuf>) {
    if backup.is_dir() {
        (backup.join(BACKUP_DB), Some(backup.join(BACKUP_FILES)))
    } else {
        (backup.to_path_buf(), None)
    }
}

/// Verifies a backup (a directory, or an old database-only file) without
/// changing it: a copy is checked, so that redb's repair on open can never
/// touch the file the admin keeps.
pub fn check_backup(backup: &Path) -> Result<VerifyReport, StoreError> {
    let (backup, files) = backup_parts(backup);
    let backup = backup.as_path();
    if let Some(files) = files.filter(|f| !f.is_dir()) {
        return Err(StoreError::Invalid(format!("{} is missing: this backup is incomplete", files.display())));
    }
    let scratch = scratch_path()?;
    fs::copy(backup, &scratch).map_err(|e| StoreError::io(backup, e))?;
    let result = verify_file(&scratch);
    let _ = fs::remove_file(&scratch);
    let report = result?;
    if report.schema_version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found: report.schema_version, supported: SCHEMA_VERSION });
    }
    if !report.problems.is_empty() {
        return Err(StoreError::Invalid(report.problems.join("; ")));
    }
    Ok(report)
}

/// A scratch file in the temporary directory.
fn scratch_path() -> Result<PathBuf, StoreError> {
    let mut name = [0u8; 8];
    getrandom::fill(&mut name).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(std::env::temp_dir().join(format!("parvis-check-{}.redb", hex::encode(name))))
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    dest.with_file_name(name)
}

fn private(path: &Path) -> Result<(), StoreError> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| StoreError::io(path, e))
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| StoreError::io(path, e))
}

fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        if let Ok(dir) = fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

/// Name of a scheduled backup taken at `now` (a directory): sorts by time.
pub fn scheduled_name(now: jiff::Timestamp) -> String {
    format!("parvis-{}", now.strftime("%Y%m%dT%H%M%SZ"))
}

/// The scheduled backups in `dir`, oldest first: directories, and the
/// database-only files (`….redb`) of the format before files were included,
/// so that rotation removes those too in time.
pub fn list_scheduled(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                let stem = n.strip_suffix(".redb").unwrap_or(n);
                stem.starts_with("parvis-") && stem.len() == "parvis-20260101T000000Z".len() && stem.ends_with('Z')
            })
        })
        .collect();
    // By the time in the name, whichever the format.
    found.sort_by_key(|p| p.file_name().and_then(|n| n.to_str()).map(|n| n.trim_end_matches(".redb").to_string()));
    found
}

/// Deletes the oldest scheduled backups beyond `keep`; returns those removed.
pub fn rotate(dir: &Path, keep: usize) -> Vec<PathBuf> {
    let all = list_scheduled(dir);
    let excess = all.len().saturating_sub(keep.max(1));
    let mut removed = Vec::new();
    for old in all.into_iter().take(excess) {
        let removed_ok = if old.is_dir() { fs::remove_dir_all(&old) } else { fs::remove_file(&old) };
        if removed_ok.is_ok() {
            removed.push(old);
        }
    }
    removed
}

/// When nothing was backed up yet, the first scheduled backup waits this long
/// after start-up: long enough not to slow the start or to fill the data
/// directories of short-lived test servers, short enough that a new instance
/// is protected on its first day.
const FIRST_BACKUP_DELAY: Duration = Duration::from_secs(60);

/// An overdue backup (the server was stopped past its time) runs this long
/// after start-up, once the server is serving.
const OVERDUE_DELAY: Duration = Duration::from_secs(10);

/// After a failed backup, the next try comes at most this long after.
const RETRY_DELAY: Duration = Duration::from_secs(3600);

/// The time a scheduled backup was taken, read from its name.
fn taken_at(path: &Path) -> Option<jiff::Timestamp> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix("parvis-")?;
    let stamp = stamp.strip_suffix(".redb").unwrap_or(stamp).strip_suffix('Z')?;
    let civil = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", stamp).ok()?;
    civil.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// How long to wait before the next scheduled backup: `interval` after the
/// newest one in `dir`, so that restarts neither skip nor pile up backups.
pub fn next_backup_in(dir: &Path, interval: Duration, now: jiff::Timestamp) -> Duration {
    let newest = list_scheduled(dir).iter().rev().find_map(|p| taken_at(p));
    match newest {
        None => FIRST_BACKUP_DELAY.min(interval),
        Some(taken) => {
            let elapsed = now.duration_since(taken);
            let elapsed = Duration::try_from(elapsed).unwrap_or(Duration::ZERO);
            interval.saturating_sub(elapsed).max(OVERDUE_DELAY.min(interval))
        }
    }
}

/// Takes one scheduled backup into `dir` and rotates the old ones.
pub fn take_scheduled(store: &Store, dir: &Path, keep: usize) -> Result<(BackupReport, Vec<PathBuf>), StoreError> {
    // Backups hold personal data: the directory is the owner's only.
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| StoreError::io(dir, e))?;
    let mut dest = dir.join(scheduled_name(jiff::Timestamp::now()));
    if dest.exists() {
        // Two backups in the same second (a tiny interval in a test): wait for the next name.
        std::thread::sleep(Duration::from_millis(1000));
        dest = dir.join(scheduled_name(jiff::Timestamp::now()));
    }
    let report = store.backup_to(&dest, &|_, _| {})?;
    let removed = rotate(dir, keep);
    Ok((report, removed))
}

/// Takes a backup every `settings.interval` until `shutdown` becomes true.
/// Returns at once when scheduled backups are off.
pub async fn run_schedule(store: Store, settings: crate::config::BackupSettings, mut shutdown: watch::Receiver<bool>) {
    let Some(interval) = settings.interval else {
        tracing::info!("scheduled backups are off (backup.interval_hours = 0)");
        return;
    };
    let interval = interval.max(Duration::from_secs(1));
    let mut retry_at: Option<tokio::time::Instant> = None;
    loop {
        let wait = next_backup_in(&settings.dir, interval, jiff::Timestamp::now());
        let mut due = tokio::time::Instant::now() + wait;
        if let Some(retry) = retry_at {
            due = due.max(retry);
        }
        tokio::select! {
            _ = tokio::time::sleep_until(due) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
                continue;
            }
        }
        if *shutdown.borrow() {
            return;
        }
        let (task_store, dir, keep) = (store.clone(), settings.dir.clone(), settings.keep);
        let started = std::time::Instant::now();
        let done = tokio::task::spawn_blocking(move || take_scheduled(&task_store, &dir, keep)).await;
        match done {
            Ok(Ok((report, removed))) => {
                retry_at = None;
                tracing::info!(
                    path = %report.path.display(),
                    rows = report.rows,
                    bytes = report.bytes,
                    ms = started.elapsed().as_millis() as u64,
                    removed = removed.len(),
                    "scheduled backup taken"
                );
            }
            Ok(Err(e)) => {
                retry_at = Some(tokio::time::Instant::now() + RETRY_DELAY.min(interval));
                tracing::error!(
                    dir = %settings.dir.display(),
                    error = %e,
                    "scheduled backup failed: check that backup.dir is writable and has free space"
                );
            }
            Err(e) => {
                retry_at = Some(tokio::time::Instant::now() + RETRY_DELAY.min(interval));
                tracing::error!(error = %e, "the scheduled backup task failed");
            }
        }
    }
}

/// Seconds since the newest scheduled backup was written, if there is one.
pub fn newest_backup_age(dir: &std::path::Path, now: i64) -> Option<i64> {
    let newest = list_scheduled(dir).into_iter().next_back()?;
    let modified = std::fs::metadata(newest).ok()?.modified().ok()?;
    let at = modified.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some((now - at).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=5 {
            fs::write(dir.path().join(format!("parvis-202611{day:02}T000000Z.redb")), b"x").unwrap();
        }
        fs::write(dir.path().join("other.redb"), b"x").unwrap();
        let removed = rotate(dir.path(), 2);
        assert_eq!(removed.len(), 3);
        let left: Vec<_> =
            list_scheduled(dir.path()).iter().map(|p| p.file_name().unwrap().to_str().unwrap().to_string()).collect();
        assert_eq!(left, vec!["parvis-20261104T000000Z.redb", "parvis-20261105T000000Z.redb"]);
        assert!(dir.path().join("other.redb").exists());
    }

    #[test]
    fn the_next_backup_is_due_an_interval_after_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let day = Duration::from_secs(86_400);
        let now: jiff::Timestamp = "2026-11-05T12:00:00Z".parse().unwrap();
        assert_eq!(next_backup_in(dir.path(), day, now), FIRST_BACKUP_DELAY);
        fs::write(dir.path().join("parvis-20261104T000000Z.redb"), b"x").unwrap();
        fs::write(dir.path().join("parvis-20261105T060000Z.redb"), b"x").unwrap();
        assert_eq!(next_backup_in(dir.path(), day, now), Duration::from_secs(18 * 3600));
        let much_later: jiff::Timestamp = "2026-11-09T12:00:00Z".parse().unwrap();
        assert_eq!(next_backup_in(dir.path(), day, much_later), OVERDUE_DELAY);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_schedule_takes_verified_backups_rotates_and_stops() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let backups = dir.path().join("backups");
        fs::create_dir(&backups).unwrap();
        // Two old backups: the schedule is overdue and must keep only `keep`.
        fs::write(backups.join("parvis-20200101T000000Z.redb"), b"old").unwrap();
        fs::write(backups.join("parvis-20200102T000000Z.redb"), b"old").unwrap();
        let settings =
            crate::config::BackupSettings { dir: backups.clone(), interval: Some(Duration::from_secs(1)), keep: 2 };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run_schedule(store.clone(), settings, stopped));
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let fresh = list_scheduled(&backups).into_iter().filter(|p| !p.to_string_lossy().contains("2020")).count();
            if fresh >= 2 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no scheduled backups were taken");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.send(true).unwrap();
        task.await.unwrap();
        let left = list_scheduled(&backups);
        assert_eq!(left.len(), 2, "{left:?}");
        for p in &left {
            assert!(check_backup(p).is_ok(), "{p:?}");
        }
    }

    #[tokio::test]
    async fn no_interval_means_no_schedule() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let settings = crate::config::BackupSettings { dir: dir.path().join("b"), interval: None, keep: 2 };
        let (_stop, stopped) = watch::channel(false);
        run_schedule(store, settings, stopped).await;
        assert!(!dir.path().join("b").exists());
    }
}
