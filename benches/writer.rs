//! Durable account creations per second through the group-commit writer, with
//! 1, 16 and 256 concurrent writers.
//!
//! Run with `cargo bench --bench writer`. Each figure is an acknowledged,
//! fsynced write: the writer answers a caller only after its commit. With one
//! writer every creation pays a full commit; with many, one commit serves a
//! whole batch, which is why Parvis funnels every write through one writer.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use parvis::domain::accounts::{self, NewAccount, Role};
use parvis::store::Store;

/// How long each measurement runs; three of them keep the bench under a minute.
const RUN: Duration = Duration::from_secs(4);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    println!("parvis writer bench: durable account creations through group commit ({} s each)", RUN.as_secs());
    println!("{:>8} {:>10} {:>12} {:>10} {:>12}", "writers", "writes", "writes/s", "commits", "writes/commit");
    for writers in [1usize, 16, 256] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 64).expect("open the store");
        let (writes, elapsed) = rt.block_on(measure(&store, writers));
        let commits = store.writer().stats().commits.load(Ordering::Relaxed);
        rt.block_on(store.close());
        let per_second = writes as f64 / elapsed.as_secs_f64();
        println!(
            "{writers:>8} {writes:>10} {per_second:>12.0} {commits:>10} {:>12.1}",
            writes as f64 / commits.max(1) as f64
        );
    }
}

async fn measure(store: &Store, writers: usize) -> (u64, Duration) {
    let started = Instant::now();
    let deadline = started + RUN;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                let new = NewAccount {
                    email: format!("w{w}-{n}@bench.test"),
                    display_name: "Banc d'essai".into(),
                    role: Role::Resident,
                    // A fixed string: argon2 would measure hashing, not the store.
                    password_hash: "$argon2id$bench".into(),
                    must_change_password: false,
                    language: parvis::i18n::Lang::Fr,
                    neighbourhood: Some("Centre-bourg".into()),
                };
                store.write(move |tx| accounts::create(tx, &new)).await.expect("write");
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("writer task");
    }
    (total, started.elapsed())
}
