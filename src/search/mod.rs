//! Full-text search: a tantivy index in `<data>/search/`, derived from redb.
//!
//! The index is never the source of truth. It follows the change log
//! (`domain::changes`), woken by the writer's commits, never by handlers; the
//! last change it applied is stored in the commit payload, so a restart
//! replays only what it missed. An index that is missing, unreadable, of
//! another schema version or out of step with the database is rebuilt from
//! redb in the background while the site serves; until it is ready the
//! search page says the index is being rebuilt (an index that cannot be
//! trusted is not served: it could hold hidden content).
//!
//! Hidden content is never found: a concept's loader answers `None` for it, so
//! it is deleted from the index, and every result is loaded again from redb
//! before it is shown (a hide committed a moment ago is not yet applied).

pub mod analyzer;
pub mod facets;
pub mod indexer;
pub mod lexicon;
pub mod query;
pub mod schema;
pub mod sources;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher};

pub use facets::Facets;
pub use indexer::{rebuild, run_indexer, RebuildReport};
pub use query::{Highlighted, Hit, Request, Results};
pub use sources::{Concepts, Document, Source};

use crate::domain::changes::Target;
use crate::store::StoreError;
use schema::Fields;

/// Everything that can go wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index is being rebuilt (or could not be): searches wait for it.
    #[error("the search index is being rebuilt")]
    NotReady,
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the search index task stopped: {0}")]
    Task(String),
    /// The server is stopping: the rebuild was abandoned (the next start does it).
    #[error("the search index rebuild was stopped with the server")]
    Cancelled,
}

impl SearchError {
    fn io(path: &Path, source: std::io::Error) -> SearchError {
        SearchError::Io { path: path.to_path_buf(), source }
    }
}

/// What a commit of the index records: the last change of the log it
/// applied, and that change's target. The target lets start-up check that
/// the database is the one the index was built from (after a restore the
/// entry is missing or different: the index is rebuilt).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Payload {
    /// [`schema::VERSION`] of the index.
    pub version: u32,
    pub seq: u64,
    pub last: Option<Target>,
}

impl Payload {
    fn parse(text: &str) -> Option<Payload> {
        serde_json::from_str(text).ok()
    }

    fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Whether searches can be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Ready,
    /// Opened, being checked against the database (a moment at start-up).
    Starting,
    /// Being rebuilt from the database: `done` of `total` documents.
    Rebuilding {
        done: u64,
        total: u64,
    },
}

/// The open index and its reader.
pub(crate) struct Live {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Facet values of the segments, unpacked for counting.
    pub facets: facets::FacetCache,
    /// Recent answers of the index, for the searches asked again.
    pub answers: query::AnswerCache,
}

/// The search index of one data directory; cheap to clone.
#[derive(Clone)]
pub struct Search {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub dir: PathBuf,
    pub source: Arc<dyn Source>,
    pub live: RwLock<Option<Arc<Live>>>,
    /// The last change applied (what [`Search::wait_for`] waits on).
    pub applied: tokio::sync::watch::Sender<u64>,
    /// Change-log entries applied by this process (rebuilds not counted).
    pub applied_changes: AtomicU64,
    /// Full rebuilds done by this process.
    pub rebuilds: AtomicU64,
    pub rebuild_done: AtomicU64,
    pub rebuild_total: AtomicU64,
    /// `STATE_*`.
    pub state: AtomicU8,
    /// Set when the server stops: a rebuild gives up at its next chunk.
    pub stopping: AtomicBool,
}

const STATE_READY: u8 = 0;
const STATE_REBUILDING: u8 = 1;
const STATE_STARTING: u8 = 2;

impl Search {
    /// Opens the index of `data_dir` (in `<data_dir>/search/`). Never fails:
    /// an index that cannot be opened is marked for a rebuild, which the
    /// indexer task does in the background.
    /// The content is the application's, with the names `config` gives.
    pub fn open(config: &crate::config::Config) -> Search {
        Search::open_with_source(&config.data_dir, Arc::new(Concepts::of(config)))
    }

    /// [`Search::open`] reading content through `source` (tests, benchmarks).
    pub fn open_with_source(data_dir: &Path, source: Arc<dyn Source>) -> Search {
        let dir = index_dir(data_dir);
        let (live, applied, state) = match open_live(&dir) {
            // Served once the indexer has checked it against the database.
            Ok((live, payload)) => (Some(Arc::new(live)), payload.seq, STATE_STARTING),
            Err(why) => {
                tracing::warn!(dir = %dir.display(), reason = %why, "the search index will be rebuilt");
                (None, 0, STATE_REBUILDING)
            }
        };
        let (applied, _) = tokio::sync::watch::channel(applied);
        Search {
            inner: Arc::new(Inner {
                dir,
                source,
                live: RwLock::new(live),
                applied,
                applied_changes: AtomicU64::new(0),
                rebuilds: AtomicU64::new(0),
                rebuild_done: AtomicU64::new(0),
                rebuild_total: AtomicU64::new(0),
                state: AtomicU8::new(state),
                stopping: AtomicBool::new(false),
            }),
        }
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The directory of the index.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    pub fn availability(&self) -> Availability {
        match self.inner.state.load(Ordering::Relaxed) {
            STATE_READY => Availability::Ready,
            STATE_STARTING => Availability::Starting,
            _ => Availability::Rebuilding {
                done: self.inner.rebuild_done.load(Ordering::Relaxed),
                total: self.inner.rebuild_total.load(Ordering::Relaxed),
            },
        }
    }

    /// The sequence number of the last change the index has applied.
    pub fn applied_seq(&self) -> u64 {
        *self.inner.applied.borrow()
    }

    /// How many change-log entries this process has applied (a restart
    /// applies only the ones it missed).
    pub fn applied_changes(&self) -> u64 {
        self.inner.applied_changes.load(Ordering::Relaxed)
    }

    /// How many full rebuilds this process has done.
    pub fn rebuilds(&self) -> u64 {
        self.inner.rebuilds.load(Ordering::Relaxed)
    }

    /// Waits until the change `seq` is searchable; false after `timeout`.
    pub async fn wait_for(&self, seq: u64, timeout: Duration) -> bool {
        let mut rx = self.inner.applied.subscribe();
        let ready = |search: &Search| search.availability() == Availability::Ready;
        tokio::time::timeout(timeout, async {
            loop {
                if *rx.borrow_and_update() >= seq && ready(self) {
                    return;
                }
                // A missed wake-up only costs the next poll.
                let _ = tokio::time::timeout(Duration::from_millis(50), rx.changed()).await;
            }
        })
        .await
        .is_ok()
    }

    /// [`Search::wait_for`] for code outside the runtime (tests): polls.
    pub fn wait_for_blocking(&self, seq: u64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.applied_seq() >= seq && self.availability() == Availability::Ready {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The index to search, or `NotReady` while it is checked or rebuilt.
    pub(crate) fn live(&self) -> Result<Arc<Live>, SearchError> {
        if self.inner.state.load(Ordering::Relaxed) != STATE_READY {
            return Err(SearchError::NotReady);
        }
        self.opened().ok_or(SearchError::NotReady)
    }

    /// The open index, checked or not (for the indexer).
    pub(crate) fn opened(&self) -> Option<Arc<Live>> {
        let guard = match self.inner.live.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.clone()
    }

    pub(crate) fn set_live(&self, live: Option<Arc<Live>>) {
        let mut guard = match self.inner.live.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = live;
    }

    /// A searcher on the last committed state (for benchmarks and tests).
    pub fn searcher(&self) -> Result<Searcher, SearchError> {
        Ok(self.live()?.reader.searcher())
    }

    /// How many documents the index holds.
    pub fn num_docs(&self) -> Result<u64, SearchError> {
        Ok(self.searcher()?.num_docs())
    }
}

/// `<data_dir>/search`.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// Opens the index in `dir` and checks it can be trusted; the error says why not.
pub(crate) fn open_live(dir: &Path) -> Result<(Live, Payload), String> {
    if !dir.join("meta.json").is_file() {
        return Err("there is no index yet".into());
    }
    let directory = MmapDirectory::open(dir).map_err(|e| format!("cannot open the directory: {e}"))?;
    let index = Index::open(directory).map_err(|e| format!("unreadable index: {e}"))?;
    let (schema, fields) = schema::build();
    if index.schema() != schema {
        return Err("the index has another schema".into());
    }
    index.tokenizers().register(analyzer::FRENCH, analyzer::french());
    let metas = index.load_metas().map_err(|e| format!("unreadable index metadata: {e}"))?;
    let payload = metas.payload.as_deref().and_then(Payload::parse).ok_or("the index records no applied change")?;
    if payload.version != schema::VERSION {
        return Err(format!("the index has version {}, this binary writes {}", payload.version, schema::VERSION));
    }
    let reader = open_reader(&index).map_err(|e| format!("unreadable index segments: {e}"))?;
    Ok((Live { index, reader, fields, facets: Default::default(), answers: Default::default() }, payload))
}

pub(crate) fn open_reader(index: &Index) -> tantivy::Result<IndexReader> {
    // Reloaded by the indexer after each commit; a small document cache:
    // results are read again from redb anyway.
    index.reader_builder().reload_policy(ReloadPolicy::Manual).doc_store_cache_num_blocks(10).try_into()
}
