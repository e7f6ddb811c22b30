//! `kill -9` at random moments while the writer commits: every write that was
//! acknowledged must be there after reopening, and the database must verify.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use parvis::domain::accounts;
use parvis::store::db::verify_file;
use rand::{Rng, SeedableRng};

use crate::cli::parvis;

/// Reads the child's stdout: sends "ready", then collects the acknowledged
/// emails. A line cut short by the kill (no newline) is not an acknowledgement.
fn read_acks(stdout: std::process::ChildStdout, ready: mpsc::Sender<()>) -> Vec<String> {
    let mut reader = BufReader::new(stdout);
    let mut acked = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return acked,
            Ok(_) if line.last() != Some(&b'\n') => return acked,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line[..line.len() - 1]).to_string();
        if text == "ready" {
            let _ = ready.send(());
        } else if let Some(email) = text.strip_prefix("ack ") {
            acked.push(email.to_string());
        }
    }
}

#[test]
fn acknowledged_writes_survive_kill_9_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("parvis.redb");
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("crash test seed: {seed} (set CRASH_SEED to repeat)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let started = Instant::now();
    let mut acked: Vec<String> = Vec::new();
    let mut rounds = 0;
    while rounds < 15 && started.elapsed() < Duration::from_secs(40) {
        rounds += 1;
        let mut child = parvis(dir.path())
            .args(["write-load", "--writers", "16", "--data-dir"])
            .arg(&data)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (ready_tx, ready) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || read_acks(stdout, ready_tx));
        if ready.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = child.kill();
            panic!("round {rounds}: write-load did not start: {:?}", child.wait());
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(50..=400)));
        // Child::kill sends SIGKILL: no destructor, no flush, no clean close.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(status.code().is_none(), "round {rounds}: write-load stopped by itself: {status:?}");
        let new = reader.join().unwrap();
        assert!(!new.is_empty() || rounds > 1, "round {rounds}: nothing was acknowledged before the kill");
        acked.extend(new);

        let report = verify_file(&db).unwrap();
        assert!(report.is_ok(), "round {rounds}: verification failed: {:?}", report.problems);
        let database = redb::Database::open(&db).unwrap();
        let keys = parvis::crypto::Keys::from_file(&data.join("parvis.key")).unwrap();
        let tx = parvis::store::ReadTx::new(redb::ReadableDatabase::begin_read(&database).unwrap(), keys.into());
        for email in &acked {
            assert!(
                accounts::find_by_email(&tx, email).unwrap().is_some(),
                "round {rounds}: acknowledged {email} is missing after kill -9"
            );
        }
        let count = accounts::count(&tx).unwrap();
        assert!(count >= acked.len() as u64, "round {rounds}: {count} accounts for {} acknowledged", acked.len());
    }
    eprintln!(
        "crash test: {rounds} kills, {} acknowledged writes, all present, in {:?}",
        acked.len(),
        started.elapsed()
    );
    assert!(rounds >= 5, "only {rounds} rounds ran");
    assert!(acked.len() > 100, "too few writes to prove anything: {}", acked.len());
}
