//! The indexer task: follows the change log into the index, and rebuilds the
//! index from redb when it cannot be trusted.
//!
//! Only this task writes the index. tantivy's commit fsyncs (about 10 ms), so
//! changes are batched: the first change after a quiet moment is applied at
//! once, then at most one commit every [`COMMIT_EVERY`]; new content is
//! searchable within a second of its commit.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter, TantivyDocument};
use tokio::sync::watch;

use super::schema::{self, key_term, to_index};
use super::{analyzer, open_live, Payload, Search, SearchError, Source, STATE_READY, STATE_REBUILDING};
use crate::domain::changes;
use crate::store::Store;

/// At most one index commit per this interval (each one fsyncs).
pub const COMMIT_EVERY: Duration = Duration::from_millis(500);

/// Changes read from the log per commit, so that one commit stays short.
const BATCH: usize = 5_000;

/// Applied changes forgotten per write transaction.
const TRIM_BATCH: usize = 10_000;

/// The writer's memory while following the log: tantivy's minimum. The
/// batches are small, and the memory of an idle instance matters (one
/// container per commune).
const FOLLOW_HEAP_BYTES: usize = 15_000_000;

/// The writer's memory for a rebuild: fewer, larger segments.
const REBUILD_HEAP_BYTES: usize = 64_000_000;

/// The writer is closed after this long without changes: its threads and
/// buffers are not kept for an idle site.
const WRITER_IDLE: Duration = Duration::from_secs(30);

/// Waiting time after a failure (disk full, database unavailable) before trying again.
const RETRY_AFTER: Duration = Duration::from_secs(10);

/// Documents loaded per read transaction during a rebuild: a long read
/// transaction would keep old database pages alive.
const REBUILD_CHUNK: usize = 1_000;

/// What a rebuild did.
#[derive(Clone, Debug)]
pub struct RebuildReport {
    pub documents: u64,
    /// Items listed but not indexed (hidden, held, deleted).
    pub skipped: u64,
    /// The last change of the log included.
    pub seq: u64,
    pub elapsed: Duration,
}

/// The indexer task: makes the index usable (rebuilding it if needed), then
/// applies the change log after each commit of the store until `stop`.
pub async fn run_indexer(search: Search, store: Store, mut stop: watch::Receiver<bool>) {
    let mut commits = store.writer().commits();
    let mut follower = Follower { writer: None, last_commit: None, last_change: Instant::now() };
    let mut must_check = true;
    loop {
        if *stop.borrow() {
            break;
        }
        if must_check {
            let ready = tokio::select! {
                ready = ensure_ready(&search, &store) => ready,
                _ = stop.changed() => {
                    // A rebuild in progress stops at its next chunk.
                    search.inner().stopping.store(true, Ordering::Relaxed);
                    break;
                }
            };
            match ready {
                Ok(()) => {
                    must_check = false;
                    // After a rebuild, the whole log before it.
                    trim_log(&search, &store).await;
                }
                Err(SearchError::Cancelled) => break,
                Err(e) => {
                    tracing::error!(error = %e, "the search index cannot be made ready; trying again shortly");
                    if wait_or_stop(&mut stop, RETRY_AFTER).await {
                        break;
                    }
                    continue;
                }
            }
        }
        // Not more often than COMMIT_EVERY.
        if let Some(at) = follower.last_commit {
            let since = at.elapsed();
            if since < COMMIT_EVERY && wait_or_stop(&mut stop, COMMIT_EVERY - since).await {
                break;
            }
        }
        let applied = follower_step(&search, &store, &mut follower).await;
        match applied {
            Ok(0) => {}
            Ok(_) => {
                trim_log(&search, &store).await;
                // There may be more than one batch waiting: go round at once.
                continue;
            }
            Err(SearchError::Store(e)) => {
                tracing::warn!(error = %e, "the search index cannot read the change log; trying again shortly");
                if wait_or_stop(&mut stop, RETRY_AFTER).await {
                    break;
                }
                continue;
            }
            Err(e) => {
                // The index itself failed: do not trust it any more.
                tracing::error!(error = %e, "the search index failed; it is rebuilt from the database");
                follower.close().await;
                search.set_live(None);
                search.inner().state.store(STATE_REBUILDING, Ordering::Relaxed);
                must_check = true;
                continue;
            }
        }
        // Wait for the next commit of the store, or close an idle writer.
        let idle_left = WRITER_IDLE.saturating_sub(follower.last_change.elapsed());
        tokio::select! {
            _ = stop.changed() => break,
            changed = commits.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            _ = tokio::time::sleep(idle_left), if follower.writer.is_some() => {
                follower.close().await;
            }
        }
    }
    follower.close().await;
}

/// Sleeps for `d`; true if `stop` came first.
async fn wait_or_stop(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        _ = stop.changed() => true,
        _ = tokio::time::sleep(d) => *stop.borrow(),
    }
}

/// The follower's writer, opened when there is something to apply.
struct Follower {
    writer: Option<IndexWriter<TantivyDocument>>,
    last_commit: Option<Instant>,
    last_change: Instant,
}

impl Follower {
    async fn close(&mut self) {
        if let Some(writer) = self.writer.take() {
            let closed = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
            if let Ok(Err(e)) = closed {
                tracing::warn!(error = %e, "the search index writer did not close cleanly");
            }
        }
    }
}

/// Applies one batch of changes; returns how many log entries it applied.
async fn follower_step(search: &Search, store: &Store, follower: &mut Follower) -> Result<u64, SearchError> {
    let (s, st) = (search.clone(), store.clone());
    let writer = follower.writer.take();
    let joined = tokio::task::spawn_blocking(move || {
        let mut writer = writer;
        let applied = apply_batch(&s, &st, &mut writer);
        (writer, applied)
    })
    .await
    .map_err(|e| SearchError::Task(e.to_string()))?;
    let (writer, applied) = joined;
    follower.writer = writer;
    let applied = applied?;
    if applied > 0 {
        follower.last_commit = Some(Instant::now());
        follower.last_change = Instant::now();
    }
    Ok(applied)
}

/// Reads the changes after the applied one, loads each target's current
/// document, replaces it in the index (or deletes it) and commits with the
/// last sequence number in the payload.
fn apply_batch(
    search: &Search,
    store: &Store,
    writer: &mut Option<IndexWriter<TantivyDocument>>,
) -> Result<u64, SearchError> {
    let live = search.live()?;
    let after = search.applied_seq();
    let tx = store.read()?;
    let batch = changes::since(&tx, after, BATCH)?;
    let Some(&(last_seq, last_target)) = batch.last() else {
        return Ok(0);
    };
    if writer.is_none() {
        *writer = Some(live.index.writer_with_num_threads(1, FOLLOW_HEAP_BYTES)?);
    }
    let Some(w) = writer.as_mut() else {
        return Ok(0);
    };
    // Each target once: its current state, from one snapshot that includes
    // every change of the batch.
    let mut seen = HashSet::new();
    for (_, target) in &batch {
        if !seen.insert(*target) {
            continue;
        }
        w.delete_term(key_term(&live.fields, *target));
        if let Some(doc) = search.inner().source.load(&tx, *target)? {
            w.add_document(to_index(&live.fields, &doc))?;
        }
    }
    drop(tx);
    let payload = Payload { version: schema::VERSION, seq: last_seq, last: Some(last_target) };
    let mut prepared = w.prepare_commit()?;
    prepared.set_payload(&payload.to_text());
    prepared.commit()?;
    live.reader.reload()?;
    let count = batch.len() as u64;
    search.inner().applied_changes.fetch_add(count, Ordering::Relaxed);
    search.inner().applied.send_replace(last_seq);
    Ok(count)
}

/// Forgets the applied changes, except the last one: its entry lets the
/// next start-up check the index against the database, and keeps the log's
/// numbering going (a new entry takes the last number plus one). At most
/// [`TRIM_BATCH`] entries per transaction, so that a long log (after a
/// rebuild, or demo data) never makes one long write.
async fn trim_log(search: &Search, store: &Store) {
    let upto = search.applied_seq().saturating_sub(1);
    if upto == 0 {
        return;
    }
    loop {
        match store.write(move |tx| changes::trim(tx, upto, TRIM_BATCH)).await {
            Ok(n) if n == TRIM_BATCH => continue,
            Ok(_) => return,
            Err(e) => {
                // Only the log's length suffers; the next commit tries again.
                tracing::debug!(error = %e, "the change log could not be trimmed");
                return;
            }
        }
    }
}

/// Makes the index usable: an index opened at start-up is checked against
/// the database before it is served, then its files are verified while it
/// is; a missing or untrustworthy one is rebuilt.
async fn ensure_ready(search: &Search, store: &Store) -> Result<(), SearchError> {
    if search.opened().is_some() {
        let (s, st) = (search.clone(), store.clone());
        let mut problem = tokio::task::spawn_blocking(move || same_database(&s, &st))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))??;
        if problem.is_none() {
            search.inner().state.store(STATE_READY, Ordering::Relaxed);
            let s = search.clone();
            problem = tokio::task::spawn_blocking(move || damaged_files(&s))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
        }
        match problem {
            None => return Ok(()),
            Some(why) => {
                tracing::warn!(reason = %why, "the search index will be rebuilt");
                search.inner().state.store(STATE_REBUILDING, Ordering::Relaxed);
                search.set_live(None);
            }
        }
    }
    let (s, st) = (search.clone(), store.clone());
    tokio::task::spawn_blocking(move || rebuild_live(&s, &st)).await.map_err(|e| SearchError::Task(e.to_string()))?
}

/// Why the open index does not match the database, if it does not: the
/// database does not hold the change the index says it applied (a restored
/// backup, another installation), or the log has a gap after it.
fn same_database(search: &Search, store: &Store) -> Result<Option<String>, SearchError> {
    let Some(live) = search.opened() else { return Ok(Some("there is no index".into())) };
    let metas = live.index.load_metas()?;
    let Some(payload) = metas.payload.as_deref().and_then(Payload::parse) else {
        return Ok(Some("the index records no applied change".into()));
    };
    let tx = store.read()?;
    if let Some(last) = payload.last {
        let at = changes::since(&tx, payload.seq.saturating_sub(1), 1)?;
        if at.first() != Some(&(payload.seq, last)) {
            return Ok(Some(format!("the database does not hold change {} the index applied", payload.seq)));
        }
    }
    if let Some(&(next, _)) = changes::since(&tx, payload.seq, 1)?.first() {
        if next != payload.seq + 1 {
            return Ok(Some(format!("changes {} to {} are missing from the log", payload.seq + 1, next - 1)));
        }
    }
    Ok(None)
}

/// Damaged files, if any: reads every file of the index once, since damage
/// inside a segment would otherwise show only when a search reaches it.
fn damaged_files(search: &Search) -> Result<Option<String>, SearchError> {
    let Some(live) = search.opened() else { return Ok(None) };
    let damaged = live.index.validate_checksum()?;
    Ok((!damaged.is_empty()).then(|| format!("{} damaged file(s) in the index", damaged.len())))
}

/// Rebuilds the index of a running server and serves it when done.
fn rebuild_live(search: &Search, store: &Store) -> Result<(), SearchError> {
    let inner = search.inner();
    inner.state.store(STATE_REBUILDING, Ordering::Relaxed);
    let progress = |done, total| {
        inner.rebuild_done.store(done, Ordering::Relaxed);
        inner.rebuild_total.store(total, Ordering::Relaxed);
    };
    let stopping = || inner.stopping.load(Ordering::Relaxed);
    let report = rebuild_in(&inner.dir, store, inner.source.as_ref(), &progress, &stopping)?;
    let (live, payload) =
        open_live(&inner.dir).map_err(|why| SearchError::Task(format!("the rebuilt index cannot be opened: {why}")))?;
    search.set_live(Some(Arc::new(live)));
    inner.applied.send_replace(payload.seq);
    inner.rebuilds.fetch_add(1, Ordering::Relaxed);
    inner.state.store(STATE_READY, Ordering::Relaxed);
    tracing::info!(
        documents = report.documents,
        seconds = report.elapsed.as_secs_f64(),
        "the search index was rebuilt from the database"
    );
    Ok(())
}

/// Rebuilds the index of `data_dir` from the database, for `parvis reindex`
/// (the server must be stopped: it keeps its own index open).
/// `progress(done, total)` is called as documents are indexed.
pub fn rebuild(
    store: &Store,
    data_dir: &Path,
    source: &dyn Source,
    progress: &dyn Fn(u64, u64),
) -> Result<RebuildReport, SearchError> {
    rebuild_in(&super::index_dir(data_dir), store, source, progress, &|| false)
}

/// Builds a new index next to `dir` from every document of `source`, then
/// puts it in place of `dir`. A crash midway leaves `dir` as it was, or
/// missing (then the next start rebuilds again): never half-built. Stops
/// between chunks when `cancelled()` (the server is stopping).
fn rebuild_in(
    dir: &Path,
    store: &Store,
    source: &dyn Source,
    progress: &dyn Fn(u64, u64),
    cancelled: &dyn Fn() -> bool,
) -> Result<RebuildReport, SearchError> {
    let started = Instant::now();
    let building = sibling(dir, "building");
    remove_path(&building)?;
    std::fs::create_dir_all(&building).map_err(|e| SearchError::io(&building, e))?;
    let (schema, fields) = schema::build();
    let directory = MmapDirectory::open(&building).map_err(|e| SearchError::Task(e.to_string()))?;
    let index = Index::create(directory, schema, Default::default())?;
    index.tokenizers().register(analyzer::FRENCH, analyzer::french());
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, REBUILD_HEAP_BYTES)?;

    // Everything up to `seq` is in this snapshot; later changes are replayed
    // from the log by the follower (loading an item twice is harmless).
    let tx = store.read()?;
    let seq = changes::last_seq(&tx)?;
    let last = changes::since(&tx, seq.saturating_sub(1), 1)?.first().map(|(_, t)| *t);
    let targets = source.all(&tx)?;
    drop(tx);
    let total = targets.len() as u64;
    progress(0, total);
    let (mut documents, mut skipped, mut done) = (0u64, 0u64, 0u64);
    for chunk in targets.chunks(REBUILD_CHUNK) {
        if cancelled() {
            drop(writer);
            drop(index);
            remove_path(&building)?;
            return Err(SearchError::Cancelled);
        }
        let tx = store.read()?;
        for target in chunk {
            match source.load(&tx, *target)? {
                Some(doc) => {
                    writer.add_document(to_index(&fields, &doc))?;
                    documents += 1;
                }
                None => skipped += 1,
            }
        }
        done += chunk.len() as u64;
        progress(done, total);
    }
    let payload = Payload { version: schema::VERSION, seq, last };
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload.to_text());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    drop(index);
    swap_in(&building, dir)?;
    Ok(RebuildReport { documents, skipped, seq, elapsed: started.elapsed() })
}

/// Puts the directory `new` in place of `dir`.
fn swap_in(new: &Path, dir: &Path) -> Result<(), SearchError> {
    let old = sibling(dir, "old");
    remove_path(&old)?;
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| SearchError::io(dir, e))?;
    }
    std::fs::rename(new, dir).map_err(|e| SearchError::io(dir, e))?;
    if let Some(parent) = dir.parent() {
        // The renames themselves are durable once the parent is synced.
        let _ = std::fs::File::open(parent).and_then(|f| f.sync_all());
    }
    remove_path(&old)
}

/// `<dir>.<suffix>`, next to `dir`.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".");
    name.push(suffix);
    dir.with_file_name(name)
}

/// Removes a file or a directory tree, if there is one.
fn remove_path(path: &Path) -> Result<(), SearchError> {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    removed.map_err(|e| SearchError::io(path, e))
}
