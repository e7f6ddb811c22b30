//! Supports per second with every support durable (group commit), as on a
//! busy evening: many residents clicking "Soutenir" at once.
//!
//! Run with `cargo bench --bench supports`. Each support is the real
//! operation (`proposals::set_support`: check, counter, two indexes, in one
//! transaction) sent through the writer by 256 concurrent tasks; a support is
//! counted when the writer has answered, that is after its commit's fsync.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::domain::accounts::Role;
use parvis::domain::ids::{BoxId, ProposalId};
use parvis::domain::notifications::Notifier;
use parvis::domain::proposals::{self, IdeaBox, NewProposal, Supporters};
use parvis::store::Store;

const RUN: Duration = Duration::from_secs(8);
const PROPOSALS: u64 = 1_000;
const TASKS: u64 = 256;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 64).expect("store");
    let now = parvis::domain::now_unix();
    store
        .writer()
        .write_blocking(move |tx| {
            let b = IdeaBox {
                id: BoxId(0),
                title: "Bench".into(),
                description: String::new(),
                categories: Vec::new(),
                opens_at: now - 10,
                closes_at: now + 86_400,
                supporters: Supporters::Residents,
                threshold: 0,
                created_by: parvis::domain::accounts::AccountId(1),
                created_at: now,
            };
            let box_id = proposals::create_box(tx, b)?;
            for i in 0..PROPOSALS {
                let new = NewProposal {
                    box_id,
                    author: parvis::domain::accounts::AccountId(1),
                    title: format!("Proposition {i}"),
                    body: "Texte".into(),
                    category: None,
                    neighbourhood: None,
                    location: None,
                    held: false,
                    photo: None,
                };
                proposals::post(tx, &new, now)?;
            }
            Ok::<_, proposals::ProposalError>(())
        })
        .expect("proposals");
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    rt.block_on(async {
        let mut tasks = Vec::new();
        for t in 0..TASKS {
            let (store, done) = (store.clone(), done.clone());
            tasks.push(tokio::spawn(async move {
                let notifier = Notifier { base_url: String::new() };
                let mut n = 0u64;
                while started.elapsed() < RUN {
                    // Each task is a distinct resident supporting proposal after proposal.
                    let account = 1_000 + t * 1_000_000 + n;
                    let proposal = 1 + (n * 7 + t) % PROPOSALS;
                    let notifier = notifier.clone();
                    let r = store
                        .write(move |tx| {
                            proposals::set_support(
                                tx,
                                &notifier,
                                ProposalId(proposal),
                                parvis::domain::accounts::AccountId(account),
                                Role::Resident,
                                true,
                                now,
                            )
                        })
                        .await;
                    if r.is_ok() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let supports = done.load(Ordering::Relaxed);
    let stats = store.writer().stats();
    let commits = stats.commits.load(Ordering::Relaxed);
    println!(
        "supports: {supports} durable in {elapsed:.1} s = {:.0}/s with {TASKS} concurrent residents; {commits} commits, {:.1} supports per commit",
        supports as f64 / elapsed,
        supports as f64 / commits.max(1) as f64
    );
    let tx = store.read().expect("read");
    let total: u64 = (1..=PROPOSALS)
        .map(|id| proposals::get(&tx, ProposalId(id)).ok().flatten().map(|p| p.supports).unwrap_or(0))
        .sum();
    assert_eq!(total, supports, "every acknowledged support is counted once");
    drop(tx);
    assert!(store.verify().expect("verify").is_ok());
    println!("counters verified: {total} supports recorded");
}
