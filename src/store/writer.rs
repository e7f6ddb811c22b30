//! The single writer with group commit.
//!
//! redb allows one write transaction at a time and each durable commit costs
//! an fsync. One thread owns the write side: it takes every request waiting in
//! its channel, runs them all in one transaction, commits once, then answers
//! each caller. A caller's answer therefore always means "durable".
//!
//! An operation that fails must not leave half its writes in a transaction
//! shared with others, and redb cannot take a savepoint once a table has been
//! opened. So when one operation fails, the transaction is aborted, that
//! caller gets its error, and the rest of the batch is run again without it.
//! Operations are `FnMut` for this reason: they may run more than once, but
//! are committed at most once.
//!
//! Mail queued by an operation wakes the mail sender once the batch holding
//! it is durable: `mail::outbox::enqueue` marks the running attempt (a flag
//! of this thread, cleared before each attempt so that an aborted attempt's
//! mail does not count), and the writer notifies [`Writer::mail_queued`]
//! after the commit. No caller has to remember to wake the sender, and the
//! sender never looks for a message before it can read it.

use std::any::Any;
use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::db::{free_bytes, open_database, Shared};
use tokio::sync::{mpsc, oneshot, watch, Notify};

use super::tx::WriteTx;
use super::StoreError;

type Boxed = Box<dyn Any + Send>;
type Op = Box<dyn FnMut(&WriteTx) -> Result<Boxed, Boxed> + Send>;

struct Request {
    op: Op,
    fail: fn(StoreError) -> Boxed,
    reply: oneshot::Sender<Result<Boxed, Boxed>>,
}

enum Msg {
    Write(Request),
    Shutdown(oneshot::Sender<()>),
}

thread_local! {
    /// Set when an operation of the current attempt queued mail.
    static MAIL_QUEUED: Cell<bool> = const { Cell::new(false) };
}

/// Tells the writer that the running operation queued mail, so that it wakes
/// the mail sender after the commit. Outside the writer thread (migrations,
/// tests on a bare transaction) it has no effect worth noting.
pub fn note_mail_queued() {
    MAIL_QUEUED.with(|f| f.set(true));
}

/// The most operations one transaction takes; more wait for the next one.
const MAX_BATCH: usize = 1024;

/// Counters for metrics and benchmarks.
#[derive(Default, Debug)]
pub struct WriterStats {
    pub commits: AtomicU64,
    pub operations: AtomicU64,
    pub failed_operations: AtomicU64,
    /// Commits by batch size: bucket `i` counts batches of at most `BATCH_BUCKETS[i]` operations.
    pub batch_sizes: [AtomicU64; BATCH_BUCKETS.len()],
}

/// Upper bounds of the batch-size histogram (the last is [`MAX_BATCH`]).
pub const BATCH_BUCKETS: [u64; 11] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::UnboundedSender<Msg>,
    commits: watch::Receiver<u64>,
    stats: Arc<WriterStats>,
    mail_queued: Arc<Notify>,
}

impl Writer {
    pub(crate) fn start(shared: Arc<Shared>) -> Writer {
        let (tx, rx) = mpsc::unbounded_channel();
        let (commit_tx, commits) = watch::channel(0u64);
        let stats = Arc::new(WriterStats::default());
        let thread_stats = stats.clone();
        let mail_queued = Arc::new(Notify::new());
        let thread_mail = mail_queued.clone();
        let spawned = std::thread::Builder::new()
            .name("parvis-writer".into())
            .spawn(move || run(shared, rx, commit_tx, thread_stats, thread_mail));
        if let Err(e) = spawned {
            // Without a writer thread every write answers `Closed`.
            tracing::error!(error = %e, "cannot start the writer thread");
        }
        Writer { tx, commits, stats, mail_queued }
    }

    /// Runs `op` in a group-committed transaction; answers once it is durable.
    pub async fn write<T, E, F>(&self, op: F) -> Result<T, E>
    where
        F: FnMut(&WriteTx) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.send(op, reply)?;
        unpack(answer.await.map_err(|_| StoreError::Closed)?)
    }

    /// The same, for code that is not async (command-line tools).
    pub fn write_blocking<T, E, F>(&self, op: F) -> Result<T, E>
    where
        F: FnMut(&WriteTx) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.send(op, reply)?;
        unpack(answer.blocking_recv().map_err(|_| StoreError::Closed)?)
    }

    fn send<T, E, F>(&self, mut op: F, reply: oneshot::Sender<Result<Boxed, Boxed>>) -> Result<(), StoreError>
    where
        F: FnMut(&WriteTx) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let op: Op = Box::new(move |tx| match op(tx) {
            Ok(v) => Ok(Box::new(v) as Boxed),
            Err(e) => Err(Box::new(e) as Boxed),
        });
        let fail: fn(StoreError) -> Boxed = |e| Box::new(E::from(e)) as Boxed;
        self.tx.send(Msg::Write(Request { op, fail, reply })).map_err(|_| StoreError::Closed)
    }

    /// A receiver of the number of commits so far; changes after each commit.
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.clone()
    }

    /// Notified after each commit that queued mail; the mail sender waits on it.
    pub fn mail_queued(&self) -> Arc<Notify> {
        self.mail_queued.clone()
    }

    pub fn stats(&self) -> &WriterStats {
        &self.stats
    }

    /// Commits what is queued, then stops; later writes answer `Closed`.
    pub async fn shutdown(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Msg::Shutdown(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

fn unpack<T: 'static, E: From<StoreError> + 'static>(answer: Result<Boxed, Boxed>) -> Result<T, E> {
    match answer {
        Ok(v) => v.downcast::<T>().map(|v| *v).map_err(|_| E::from(StoreError::Internal("answer type".into()))),
        Err(e) => {
            Err(e.downcast::<E>().map(|e| *e).unwrap_or_else(|_| E::from(StoreError::Internal("error type".into()))))
        }
    }
}

fn run(
    shared: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    commits: watch::Sender<u64>,
    stats: Arc<WriterStats>,
    mail_queued: Arc<Notify>,
) {
    let mut latched = false;
    let mut stop: Option<oneshot::Sender<()>> = None;
    while stop.is_none() {
        let Some(first) = rx.blocking_recv() else { break };
        let mut batch = Vec::new();
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Write(r) => batch.push(r),
                Msg::Shutdown(done) => {
                    stop = Some(done);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() && run_batch(&shared, &mut latched, batch, &stats, &mail_queued) {
            commits.send_modify(|c| *c += 1);
        }
    }
    // Refuse whatever arrives after the shutdown request.
    rx.close();
    while let Ok(msg) = rx.try_recv() {
        match msg {
            Msg::Write(r) => {
                let _ = r.reply.send(Err((r.fail)(StoreError::Closed)));
            }
            Msg::Shutdown(done) => {
                let _ = done.send(());
            }
        }
    }
    // Release this thread's handle on the database before saying it is closed.
    drop(shared);
    if let Some(done) = stop {
        let _ = done.send(());
    }
}

/// Answers every request of a batch with the same error.
fn fail_all(pending: Vec<Request>, error: impl Fn() -> StoreError) {
    for r in pending {
        let _ = r.reply.send(Err((r.fail)(error())));
    }
}

/// Whether a redb error is an I/O failure, after which redb refuses every
/// write until the database is opened again.
fn is_io(e: &redb::StorageError) -> bool {
    matches!(e, redb::StorageError::Io(_) | redb::StorageError::PreviousIo)
}

fn is_no_space(e: &redb::StorageError) -> bool {
    matches!(e, redb::StorageError::Io(io) if io.raw_os_error() == Some(libc::ENOSPC) || io.kind() == std::io::ErrorKind::StorageFull)
}

/// Whether the disk holding the database has room for more writes.
fn has_room(shared: &Shared) -> bool {
    if shared.min_free_bytes == 0 {
        return true;
    }
    let dir = shared.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    free_bytes(dir).is_none_or(|free| free >= shared.min_free_bytes)
}

/// After an I/O error, opens the database again (redb repairs it on open).
/// Readers that started before hold the old handle; opening waits for them.
fn reopen(shared: &Shared) -> bool {
    let placeholder = match shared.db.write() {
        Ok(mut slot) => slot.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    drop(placeholder);
    for _ in 0..200 {
        match open_database(&shared.path, shared.cache_mib) {
            Ok(db) => {
                if let Ok(mut slot) = shared.db.write() {
                    *slot = Some(Arc::new(db));
                    tracing::warn!("database reopened after an I/O error; writes resume");
                    return true;
                }
                return false;
            }
            // A reader still holds the old handle: it will finish soon.
            Err(StoreError::Locked { .. }) => std::thread::sleep(std::time::Duration::from_millis(25)),
            Err(e) => {
                tracing::error!(error = %e, "cannot reopen the database after an I/O error");
                return false;
            }
        }
    }
    tracing::error!("cannot reopen the database: still in use after 5 s; will try again");
    false
}

/// Runs a batch until it commits; returns whether anything was committed.
fn run_batch(
    shared: &Shared,
    latched: &mut bool,
    mut pending: Vec<Request>,
    stats: &WriterStats,
    mail_queued: &Notify,
) -> bool {
    let asked = pending.len() as u64;
    if !has_room(shared) {
        if !shared.disk_full.swap(true, Ordering::Relaxed) {
            tracing::error!(path = %shared.path.display(), "the disk is almost full: writes are refused until space is freed; pages can still be read");
        }
        fail_all(pending, || StoreError::DiskFull);
        return false;
    }
    if *latched {
        if !reopen(shared) {
            fail_all(pending, || StoreError::DiskFull);
            return false;
        }
        *latched = false;
    }
    if shared.disk_full.swap(false, Ordering::Relaxed) {
        tracing::info!("disk space is back: writes resume");
    }
    let Some(db) = shared.current() else {
        *latched = true;
        fail_all(pending, || StoreError::Unavailable);
        return false;
    };
    loop {
        let tx = match db.begin_write() {
            Ok(tx) => WriteTx::new(tx, shared.keys.clone()),
            Err(e) => {
                let message = e.to_string();
                tracing::error!(error = %message, "cannot begin a write transaction");
                if let redb::TransactionError::Storage(s) = &e {
                    if is_io(s) {
                        *latched = true;
                    }
                }
                fail_all(pending, || StoreError::Database(message.clone()));
                return false;
            }
        };
        // An aborted attempt's mail is not queued: only this attempt's counts.
        MAIL_QUEUED.with(|f| f.set(false));
        let mut results = Vec::with_capacity(pending.len());
        let mut failed = None;
        for (i, r) in pending.iter_mut().enumerate() {
            match std::panic::catch_unwind(AssertUnwindSafe(|| (r.op)(&tx))) {
                Ok(Ok(v)) => results.push(v),
                Ok(Err(e)) => {
                    failed = Some((i, e));
                    break;
                }
                Err(_) => {
                    tracing::error!("a write operation panicked; it is refused, the others go on");
                    failed = Some((i, (r.fail)(StoreError::Internal("operation panicked".into()))));
                    break;
                }
            }
        }
        if let Some((i, error)) = failed {
            let _ = tx.abort();
            stats.failed_operations.fetch_add(1, Ordering::Relaxed);
            let r = pending.remove(i);
            let _ = r.reply.send(Err(error));
            if pending.is_empty() {
                return false;
            }
            continue;
        }
        return match tx.commit() {
            Ok(()) => {
                // Counted before anyone hears "done": a caller that reads the
                // metrics right after its write sees its commit.
                stats.commits.fetch_add(1, Ordering::Relaxed);
                stats.operations.fetch_add(asked, Ordering::Relaxed);
                let bucket = BATCH_BUCKETS.iter().position(|b| asked <= *b).unwrap_or(BATCH_BUCKETS.len() - 1);
                stats.batch_sizes[bucket].fetch_add(1, Ordering::Relaxed);
                if MAIL_QUEUED.with(|f| f.replace(false)) {
                    mail_queued.notify_one();
                }
                for (r, v) in pending.into_iter().zip(results) {
                    let _ = r.reply.send(Ok(v));
                }
                true
            }
            Err(e) => {
                let message = e.to_string();
                let (io, no_space) = match &e {
                    redb::CommitError::Storage(s) => (is_io(s), is_no_space(s)),
                    _ => (false, false),
                };
                if io {
                    // redb refuses writes from now on: reopen before the next batch.
                    *latched = true;
                }
                if no_space {
                    shared.disk_full.store(true, Ordering::Relaxed);
                    tracing::error!(path = %shared.path.display(), "the disk is full: the write was not saved; writes are refused until space is freed");
                    fail_all(pending, || StoreError::DiskFull);
                } else {
                    tracing::error!(error = %message, "commit failed");
                    fail_all(pending, || StoreError::Database(message.clone()));
                }
                false
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{ReadableDatabase, TableDefinition};

    const T: TableDefinition<u64, u64> = TableDefinition::new("t");

    #[derive(Debug)]
    enum Err {
        Store,
        Rejected,
    }
    impl From<StoreError> for Err {
        fn from(_: StoreError) -> Self {
            Err::Store
        }
    }
    impl From<redb::TableError> for Err {
        fn from(_: redb::TableError) -> Self {
            Err::Store
        }
    }
    impl From<redb::StorageError> for Err {
        fn from(_: redb::StorageError) -> Self {
            Err::Store
        }
    }

    /// A bare database (no migrations) shared with a writer.
    fn db() -> (tempfile::TempDir, Arc<Shared>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.redb");
        let db = redb::Database::create(&path).unwrap();
        let shared = Arc::new(Shared {
            db: std::sync::RwLock::new(Some(Arc::new(db))),
            path,
            cache_mib: 4,
            min_free_bytes: 0,
            disk_full: Default::default(),
            keys: Arc::new(crate::crypto::Keys::for_tests()),
        });
        (dir, shared)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_are_batched_and_a_failure_is_isolated() {
        let (_dir, db) = db();
        let writer = Writer::start(db.clone());
        let mut tasks = Vec::new();
        for i in 0..400u64 {
            let w = writer.clone();
            tasks.push(tokio::spawn(async move {
                w.write(move |tx| {
                    tx.open_table(T)?.insert(i, i * 2)?;
                    if i % 100 == 7 {
                        return Err(Err::Rejected);
                    }
                    Ok::<_, Err>(i)
                })
                .await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(Err::Rejected) => {}
                Err(Err::Store) => panic!("store error"),
            }
        }
        assert_eq!(ok, 396);
        let tx = db.current().unwrap().begin_read().unwrap();
        let table = tx.open_table(T).unwrap();
        for i in 0..400u64 {
            let found = table.get(i).unwrap().map(|v| v.value());
            if i % 100 == 7 {
                assert_eq!(found, None, "a rejected operation's write must not be committed");
            } else {
                assert_eq!(found, Some(i * 2));
            }
        }
        let commits = writer.stats().commits.load(Ordering::Relaxed);
        assert!(commits < 396, "expected group commits, got {commits} commits for 396 writes");
        writer.shutdown().await;
        let after = writer.write(|_| Ok::<_, Err>(())).await;
        assert!(matches!(after, Err(Err::Store)));
    }

    #[tokio::test]
    async fn a_panicking_operation_is_refused_and_the_writer_goes_on() {
        let (_dir, db) = db();
        let writer = Writer::start(db);
        let r: Result<(), Err> = writer
            .write(|tx| -> Result<(), Err> {
                tx.open_table(T)?.insert(1, 1)?;
                panic!("boom");
            })
            .await;
        assert!(matches!(r, Err(Err::Store)));
        let v: Result<u64, Err> = writer.write(|_| Ok(5)).await;
        assert_eq!(v.unwrap(), 5);
    }

    /// Whether the writer said mail was queued, without waiting for it.
    async fn woken(n: &Notify) -> bool {
        tokio::time::timeout(std::time::Duration::ZERO, n.notified()).await.is_ok()
    }

    #[tokio::test]
    async fn the_mail_sender_is_woken_after_a_commit_that_queued_mail_and_only_then() {
        let (_dir, db) = db();
        let writer = Writer::start(db);
        let mail = writer.mail_queued();
        let refused: Result<(), Err> = writer
            .write(|_| {
                note_mail_queued();
                Err(Err::Rejected)
            })
            .await;
        assert!(refused.is_err());
        assert!(!woken(&mail).await, "mail of a refused operation was never queued");
        writer.write(|tx| Ok::<_, Err>(tx.open_table(T)?.insert(1, 1).map(|_| ())?)).await.unwrap();
        assert!(!woken(&mail).await, "a commit without mail does not wake the sender");
        writer
            .write(|_| {
                note_mail_queued();
                Ok::<_, Err>(())
            })
            .await
            .unwrap();
        assert!(woken(&mail).await);
    }
}
