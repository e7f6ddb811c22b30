//! Backups: taken under concurrent writes, restored and verified; restores
//! refused while the database is open; `parvis backup` through the admin
//! socket of a running server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use parvis::domain::accounts::{self, NewAccount, Role};
use parvis::store::backup::{check_backup, restore};
use parvis::store::db::verify_file;
use parvis::store::{Store, StoreError};

use crate::cli::{parvis, run, write_config, Server};

fn resident(email: String) -> NewAccount {
    NewAccount {
        email,
        display_name: "Dominique Sauvegarde".into(),
        role: Role::Resident,
        password_hash: "not-a-real-hash".into(),
        must_change_password: false,
        language: parvis::i18n::Lang::Fr,
        neighbourhood: Some("Les Vignes".into()),
    }
}

/// A store sealed with the key file `key` (created if missing), as the
/// server and the commands open it.
pub fn open_with_key(db: &std::path::Path, key: &std::path::Path) -> Store {
    let keys = match parvis::crypto::Keys::from_file(key) {
        Ok(k) => k,
        Err(_) => parvis::crypto::Keys::create_file(key).unwrap(),
    };
    Store::open_keyed(db, 8, Arc::new(keys)).unwrap()
}

async fn prefill(store: &Store, n: u64) {
    for batch in 0..n.div_ceil(1000) {
        store
            .write(move |tx| {
                for i in batch * 1000..((batch + 1) * 1000).min(n) {
                    accounts::create(tx, &resident(format!("pre-{i}@backup.test")))?;
                }
                Ok::<_, accounts::AccountError>(())
            })
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_concurrent_writes_restores_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("parvis.key");
    let store = open_with_key(&dir.path().join("live/parvis.redb").tap_mkdir(), &key);
    prefill(&store, 5000).await;

    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for t in 0..8 {
        let (store, acked, stop) = (store.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let email = format!("c{t}-{n}@backup.test");
                let new = resident(email.clone());
                store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
                acked.lock().unwrap().push(email);
                n += 1;
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while acked.lock().unwrap().len() < 200 {
        assert!(Instant::now() < deadline, "the writers made no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Everything acknowledged before the backup starts must be in it.
    let before: Vec<String> = acked.lock().unwrap().clone();
    let commits_before = store.writer().stats().commits.load(Ordering::Relaxed);
    let dest = dir.path().join("copies/backup.redb");
    let (backup_store, backup_dest) = (store.clone(), dest.clone());
    let report =
        tokio::task::spawn_blocking(move || backup_store.backup_to(&backup_dest, &|_, _| {})).await.unwrap().unwrap();
    let commits_during = store.writer().stats().commits.load(Ordering::Relaxed) - commits_before;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let all = acked.lock().unwrap().len() as u64;
    eprintln!("backup of {} rows while {commits_during} commits happened", report.rows);
    assert!(report.bytes > 0 && report.tables >= 4);

    let restored_path = dir.path().join("restored/parvis.redb").tap_mkdir();
    let (restored, kept) = restore(&dest, &restored_path, &key).unwrap();
    assert!(kept.is_none());
    assert_eq!(restored.rows, report.rows);
    let verified = verify_file(&restored_path).unwrap();
    assert!(verified.is_ok(), "{:?}", verified.problems);
    assert_eq!(verified.rows(), report.rows);

    let db = redb::Database::open(&restored_path).unwrap();
    let keys = std::sync::Arc::new(parvis::crypto::Keys::from_file(&key).unwrap());
    let tx = parvis::store::ReadTx::new(redb::ReadableDatabase::begin_read(&db).unwrap(), keys);
    for email in &before {
        assert!(accounts::find_by_email(&tx, email).unwrap().is_some(), "{email} was acknowledged before the backup");
    }
    assert!(accounts::find_by_email(&tx, "pre-4999@backup.test").unwrap().is_some());
    let count = accounts::count(&tx).unwrap();
    assert!(count >= 5000 + before.len() as u64 && count <= 5000 + all, "{count} accounts restored");
    // The counters match the rows (verify checks it too): the backup is one snapshot.
    let accounts_rows = verified.tables.iter().find(|(t, _)| t == "account_by_id").unwrap().1;
    assert_eq!(accounts_rows, count);
    drop(tx);
    drop(db);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_an_open_database_and_a_bad_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("parvis.key");
    let source = open_with_key(&dir.path().join("a/parvis.redb").tap_mkdir(), &key);
    prefill(&source, 10).await;
    let backup = dir.path().join("b.redb");
    source.backup_to(&backup, &|_, _| {}).unwrap();
    source.close().await;

    let target_path = dir.path().join("t/parvis.redb").tap_mkdir();
    let target = open_with_key(&target_path, &key);
    prefill(&target, 3).await;
    match restore(&backup, &target_path, &key) {
        Err(StoreError::Locked { .. }) => {}
        other => panic!("restore into an open database must be refused, got {other:?}"),
    }
    assert_eq!(accounts::count(&target.read().unwrap()).unwrap(), 3, "the open database was not touched");
    // Once closed, the file is free at once.
    target.close().await;
    drop(target);

    // A damaged file is refused before anything changes.
    let bad = dir.path().join("bad.redb");
    std::fs::write(&bad, vec![7u8; 8192]).unwrap();
    assert!(check_backup(&bad).is_err());
    assert!(restore(&bad, &target_path, &key).is_err());
    assert_eq!(count_in(&target_path), 3);

    // A good one replaces the database; the old one is kept aside.
    let (_, kept) = restore(&backup, &target_path, &key).unwrap();
    let kept = kept.expect("the previous database is kept");
    assert_eq!(count_in(&target_path), 10);
    assert_eq!(count_in(&kept), 3);
}

/// Issue 13's data-loss bug: backups held the database only, and the photos
/// and documents residents uploaded (`<data>/files/`) were lost on restore.
/// A backup is now a directory with both; restored into an empty data
/// directory it gives the same database and the same files, byte for byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_holds_the_uploaded_files_and_restores_them_into_an_empty_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("parvis.key");
    let live = dir.path().join("live");
    let store = open_with_key(&live.join("parvis.redb").tap_mkdir(), &key);
    prefill(&store, 20).await;
    let photo = parvis::photos::save(&live, &[0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9], 0).unwrap();
    let document = parvis::photos::save_as(&live, b"%PDF-1.4 le compte rendu", "pdf", 0).unwrap();
    // A file still being written is no upload yet.
    std::fs::write(live.join("files/abc.jpg.partial"), b"half").unwrap();

    let backup = dir.path().join("copies/parvis-manual");
    let report = store.backup_to(&backup, &|_, _| {}).unwrap();
    assert_eq!(report.files, Some(2));
    assert!(backup.join("parvis.redb").is_file() && backup.join("files").is_dir());
    assert!(!backup.join("files/abc.jpg.partial").exists());
    assert!(check_backup(&backup).is_ok());
    // Taking a backup never overwrites another.
    assert!(store.backup_to(&backup, &|_, _| {}).is_err());
    store.close().await;

    let target = dir.path().join("empty");
    std::fs::create_dir(&target).unwrap();
    let (restored, kept) = restore(&backup, &target.join("parvis.redb"), &key).unwrap();
    assert!(kept.is_none());
    assert_eq!(restored.files, Some(2));
    assert_eq!(restored.rows, report.rows);
    assert_eq!(count_in(&target.join("parvis.redb")), 20);
    assert!(verify_file(&target.join("parvis.redb")).unwrap().is_ok());
    for name in [&photo, &document] {
        let (before, after) = (live.join("files").join(name), target.join("files").join(name));
        assert_eq!(std::fs::read(&after).unwrap(), std::fs::read(&before).unwrap(), "{name}");
    }
    assert_eq!(std::fs::read_dir(target.join("files")).unwrap().count(), 2);
}

/// A backup of the format before files were included (one `.redb` file)
/// still restores: the database only, and the report says the files were
/// not in it, so that the command can tell the admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_database_only_backup_still_restores_and_says_it_has_no_files() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("parvis.key");
    let store = open_with_key(&dir.path().join("live/parvis.redb").tap_mkdir(), &key);
    prefill(&store, 7).await;
    let backup = dir.path().join("new");
    store.backup_to(&backup, &|_, _| {}).unwrap();
    store.close().await;
    // What an earlier version wrote: the database copy alone.
    let old = dir.path().join("parvis-20261101T030000Z.redb");
    std::fs::copy(backup.join("parvis.redb"), &old).unwrap();
    assert!(check_backup(&old).is_ok());
    let target = dir.path().join("t/parvis.redb").tap_mkdir();
    let (restored, _) = restore(&old, &target, &key).unwrap();
    assert_eq!(restored.files, None);
    assert_eq!(count_in(&target), 7);
    // A directory without its files' folder is not a good backup.
    std::fs::remove_dir_all(backup.join("files")).unwrap();
    assert!(check_backup(&backup).is_err());
}

fn count_in(path: &std::path::Path) -> u64 {
    let db = redb::Database::open(path).unwrap();
    let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
    let tx = parvis::store::ReadTx::new(tx, std::sync::Arc::new(parvis::crypto::Keys::for_tests()));
    accounts::count(&tx).unwrap()
}

/// `parvis backup` while `parvis serve` runs goes through the admin socket;
/// restore and verify refuse while it runs; the backup restores and verifies.
#[test]
fn the_cli_backs_up_a_running_server_and_the_backup_restores() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("parvis.toml");
    write_config(&config, &data, "127.0.0.1:0", "\n[backup]\ninterval_hours = 0\n");
    let (code, out, err) =
        run(parvis(dir.path()).args(["demo-data", "--residents", "300", "--seed", "9", "--config"]).arg(&config));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("300 residents created"), "{out}");

    // An uploaded document, as the upload handlers store it.
    let upload = parvis::photos::save_as(&data, b"%PDF-1.4 ordre du jour", "pdf", 0).unwrap();
    let mut serve = parvis(dir.path());
    serve.arg("serve").arg("--config").arg(&config);
    let server = Server::start(serve);
    assert!(data.join("admin.sock").exists());

    // A relative path: the CLI makes it absolute for the server.
    let (code, out, err) = run(parvis(dir.path()).args(["backup", "saved/copy", "--config"]).arg(&config));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("server is running") && out.contains("rows") && out.contains("verified"), "{out}");
    // A backup is a directory: the database and the uploaded files.
    let file = dir.path().join("saved/copy");
    assert!(file.join("parvis.redb").is_file() && file.join("files").join(&upload).is_file());
    let (code, out, err) = run(parvis(dir.path()).arg("verify").arg("--file").arg(file.join("parvis.redb")));
    assert_eq!(code, 0, "{out}{err}");

    let (code, _, err) = run(parvis(dir.path()).arg("restore").arg(&file).arg("--config").arg(&config));
    assert_eq!(code, 1);
    assert!(err.contains("stop the server first"), "{err}");
    let (code, _, err) = run(parvis(dir.path()).arg("verify").arg("--config").arg(&config));
    assert_eq!(code, 1);
    assert!(err.contains("in use by a running server"), "{err}");
    let (code, out, err) = run(parvis(dir.path()).arg("verify").arg("--file").arg(&file));
    assert_eq!(code, 0, "{out}{err}");

    let status = server.stop();
    assert!(status.success(), "graceful stop on SIGTERM: {status:?}");
    assert!(!data.join("admin.sock").exists(), "the socket is removed on shutdown");

    // Restored elsewhere, the backup verifies and holds the 300 residents and the demo admin.
    let elsewhere = dir.path().join("elsewhere");
    // Without a configuration, the key is named by the environment.
    let (code, out, err) = run(parvis(dir.path())
        .arg("restore")
        .arg(&file)
        .arg("--data-dir")
        .arg(&elsewhere)
        .env("PARVIS_DATA_KEY_FILE", dir.path().join("parvis.key")));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no previous database") && out.contains("1 file(s) put back"), "{out}");
    assert_eq!(
        std::fs::read(elsewhere.join("files").join(&upload)).unwrap(),
        std::fs::read(data.join("files").join(&upload)).unwrap()
    );
    let (code, out, err) = run(parvis(dir.path()).args(["verify", "--data-dir"]).arg(&elsewhere));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("OK"), "{out}");
    // The demo's residents, its admin and its pilot group's member.
    assert_eq!(count_in(&elsewhere.join("parvis.redb")), 302);

    // With the server stopped, a direct backup works too.
    let (code, out, err) = run(parvis(dir.path()).args(["backup", "direct", "--config"]).arg(&config));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("server is running") && out.contains("1 uploaded file(s)"), "{out}");
    assert!(dir.path().join("direct/files").join(&upload).is_file());
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for std::path::PathBuf {
    /// Creates the parent directory of a path and returns the path.
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}
