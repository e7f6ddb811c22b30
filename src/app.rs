//! The state every handler shares: the configuration, the store, search,
//! the abuse limits, and what was computed once at
//! start-up. The web layer takes it from here, never from the server.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::store::Store;

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    /// Key of the CSRF tokens, kept in `<data>/secret.key`.
    pub secret: [u8; 32],
    /// `/theme/<hash>.css`: the commune's colour as CSS variables.
    pub theme: Generated,
    /// The commune's logo, read once at start-up.
    pub logo: Option<Generated>,
    /// Counters of the HTTP responses, for metrics.
    pub http_metrics: HttpMetrics,
    /// The TLS certificate in use (expiry), for metrics and readiness.
    pub certificate: Arc<CertificateState>,
    /// Abuse limits on sign-in, sign-up, reset and two-factor attempts.
    pub limiter: crate::ratelimit::RateLimiter,
    /// Bounds password hashes and photo decodes running at once (memory).
    pub heavy: crate::ratelimit::HeavyWork,
    /// The Content-Security-Policy header, computed once.
    pub csp: String,
    pub started: Instant,
    /// Full-text search: the index in `<data>/search/`, fed by its own task.
    pub search: crate::search::Search,
    /// Each idea box's list kept in memory (bounded, see its type).
    pub box_lists: crate::domain::proposals::Lists,
    /// The held-words list, folded once from `moderation.held_words`.
    pub held_words: Arc<crate::domain::moderation::screen::HeldWords>,
    /// Map tiles fetched from `map.tile_url`, kept in `<data>/tiles/`.
    pub tiles: crate::tiles::Tiles,
    /// Answers too costly to make again while nothing changed (the reports'
    /// GeoJSON export), each valid for one state of the change log.
    pub kept_answers: KeptAnswers,
    /// The commune's pages shown in the main navigation, (slug, title):
    /// read at start, replaced after each write of a page. The layout's
    /// kept pieces are keyed by it (`web::layout`).
    pub nav_pages: std::sync::RwLock<Arc<Vec<(String, String)>>>,
    /// Proposal pages as visitors without an account get them, each kept
    /// with the versions of what it shows (`web::proposals::page`).
    pub kept_pages: KeptPages,
}

/// Whole answers kept by key, each with the change log's last sequence
/// number when it was made: every write that changes what a public page or
/// export shows records a change in the same transaction, and the log's
/// numbering only grows (its last entry is never trimmed), so an answer
/// whose number is still the last one is still true. Bounded in bytes; the
/// whole set is dropped when full (exports are few and asked in bursts).
pub struct KeptAnswers {
    answers: std::sync::Mutex<std::collections::HashMap<String, KeptAnswer>>,
    room: usize,
}

/// The change log's last sequence number when the answer was made, and the answer.
type KeptAnswer = (u64, Arc<Vec<u8>>);

impl Default for KeptAnswers {
    fn default() -> Self {
        KeptAnswers::with_room(KEPT_ANSWERS_BYTES)
    }
}

/// What [`KeptAnswers`] may hold: a few dozen large exports.
pub const KEPT_ANSWERS_BYTES: usize = 32 << 20;

impl KeptAnswers {
    pub fn with_room(room: usize) -> Self {
        KeptAnswers { answers: Default::default(), room }
    }

    /// The answer kept for `key` if it was made at change `seq`.
    pub fn get(&self, key: &str, seq: u64) -> Option<Arc<Vec<u8>>> {
        let answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        answers.get(key).filter(|(at, _)| *at == seq).map(|(_, body)| body.clone())
    }

    /// Keeps `body`, made at change `seq`, for `key` (not if it alone
    /// would take more than a quarter of the room).
    pub fn keep(&self, key: String, seq: u64, body: Arc<Vec<u8>>) {
        if body.len() > self.room / 4 {
            return;
        }
        let mut answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let held: usize = answers.values().map(|(_, b)| b.len()).sum();
        if held + body.len() > self.room {
            answers.clear();
        }
        answers.insert(key, (seq, body));
    }
}

/// Pages rendered for visitors, kept while what they show has not changed:
/// each with the versions of its sources its read transaction saw (moved in
/// the same transactions as the changes they count), served only to a
/// request whose snapshot holds the same versions, before `until`.
///
/// Bounded in bytes, and least recently asked pages go first, two
/// generations deep: pages are kept in the current generation; when it
/// holds half the room it becomes the previous one (dropping the one
/// before), and a page found in the previous one moves back to the current.
/// A crawler walking every proposal once thus pushes out pages nobody asks
/// for, while the pages visitors come back to stay.
pub struct KeptPages {
    generations: std::sync::Mutex<Generations>,
    room: usize,
}

#[derive(Default)]
struct Generations {
    current: std::collections::HashMap<String, Arc<KeptPage>>,
    previous: std::collections::HashMap<String, Arc<KeptPage>>,
    /// The bytes of the pages in `current`.
    bytes: usize,
}

/// One page's own content (what goes inside the layout), with what it was
/// made from.
pub struct KeptPage {
    /// The versions of its sources when it was rendered.
    pub versions: [u64; 2],
    /// Unix seconds from which it may no longer be served (an idea box's
    /// opening or closing changes what the page offers).
    pub until: i64,
    pub title: String,
    /// What it adds to the layout's `<head>` (its share tags).
    pub head: String,
    pub html: String,
}

impl KeptPage {
    fn bytes(&self) -> usize {
        self.title.len() + self.head.len() + self.html.len() + 64
    }
}

/// What [`KeptPages`] may hold: a proposal page's content is 3 to 30 KiB,
/// so a few hundred pages (the demo's 200 proposals in both languages).
pub const KEPT_PAGES_BYTES: usize = 8 << 20;

impl Default for KeptPages {
    fn default() -> Self {
        KeptPages::with_room(KEPT_PAGES_BYTES)
    }
}

impl KeptPages {
    pub fn with_room(room: usize) -> Self {
        KeptPages { generations: Default::default(), room }
    }

    /// The page kept for `key` if it was made at `versions` and may still be served at `now`.
    pub fn get(&self, key: &str, versions: [u64; 2], now: i64) -> Option<Arc<KeptPage>> {
        let mut g = self.generations.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let valid = |page: &KeptPage| page.versions == versions && now < page.until;
        if let Some(page) = g.current.get(key) {
            return valid(page).then(|| page.clone());
        }
        let page = g.previous.remove(key)?;
        if !valid(&page) {
            return None;
        }
        g.insert(key.to_string(), page.clone(), self.room);
        Some(page)
    }

    /// Keeps `page` for `key` (not if it alone would take more than a
    /// quarter of the room).
    pub fn keep(&self, key: String, page: KeptPage) {
        if page.bytes() > self.room / 4 {
            return;
        }
        let mut g = self.generations.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        g.previous.remove(&key);
        g.insert(key, Arc::new(page), self.room);
    }
}

impl Generations {
    /// Each generation holds at most half the room.
    fn insert(&mut self, key: String, page: Arc<KeptPage>, room: usize) {
        if let Some(old) = self.current.remove(&key) {
            self.bytes -= old.bytes();
        }
        let added = page.bytes();
        if self.bytes + added > room / 2 {
            self.previous = std::mem::take(&mut self.current);
            self.bytes = 0;
        }
        self.current.insert(key, page);
        self.bytes += added;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(versions: [u64; 2], until: i64, size: usize) -> KeptPage {
        KeptPage { versions, until, title: String::new(), head: String::new(), html: "x".repeat(size) }
    }

    #[test]
    fn a_kept_page_is_given_for_its_versions_before_its_end_only() {
        let kept = KeptPages::with_room(1 << 20);
        kept.keep("a".into(), page([3, 7], 100, 10));
        assert!(kept.get("a", [3, 7], 99).is_some());
        assert!(kept.get("a", [4, 7], 99).is_none(), "the page's version moved");
        assert!(kept.get("a", [3, 8], 99).is_none(), "the names' version moved");
        assert!(kept.get("a", [3, 7], 100).is_none(), "its box opened or closed meanwhile");
        assert!(kept.get("b", [3, 7], 99).is_none());
    }

    #[test]
    fn kept_pages_stay_within_their_room_and_the_pages_asked_again_stay() {
        // Room for about ten pages of 1,000 bytes.
        let kept = KeptPages::with_room(10_640);
        kept.keep("often".into(), page([1, 1], i64::MAX, 1_000));
        for i in 0..100 {
            kept.keep(format!("once-{i}"), page([1, 1], i64::MAX, 1_000));
            assert!(kept.get("often", [1, 1], 0).is_some(), "asked again after {i} others");
            let g = kept.generations.lock().unwrap();
            let held: usize = g.current.values().chain(g.previous.values()).map(|p| p.bytes()).sum();
            assert!(held <= 10_640, "{held} bytes held");
        }
        assert!(kept.get("once-0", [1, 1], 0).is_none(), "asked once, long ago: gone");
        assert!(kept.get("once-99", [1, 1], 0).is_some());
        kept.keep("huge".into(), page([1, 1], i64::MAX, 5_000));
        assert!(kept.get("huge", [1, 1], 0).is_none(), "over a quarter of the room");
    }

    #[test]
    fn a_kept_answer_is_given_for_its_change_only_and_the_room_is_kept() {
        let kept = KeptAnswers::with_room(100);
        kept.keep("a".into(), 7, Arc::new(vec![1; 20]));
        assert_eq!(kept.get("a", 7).map(|b| b.len()), Some(20));
        assert!(kept.get("a", 8).is_none(), "another change: not kept");
        assert!(kept.get("b", 7).is_none());
        kept.keep("big".into(), 7, Arc::new(vec![0; 26]));
        assert!(kept.get("big", 7).is_none(), "over a quarter of the room");
        for (i, key) in ["b", "c", "d", "e"].into_iter().enumerate() {
            kept.keep(key.into(), i as u64, Arc::new(vec![0; 25]));
        }
        assert!(kept.get("a", 7).is_none() && kept.get("e", 3).is_some(), "full: emptied, then kept");
    }
}

impl AppState {
    pub fn is_https(&self) -> bool {
        self.config.is_https()
    }

    /// The pages of the main navigation, as last read.
    pub fn nav_pages(&self) -> Arc<Vec<(String, String)>> {
        self.nav_pages.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads the pages of the main navigation again (after a page's write).
    pub fn refresh_nav_pages(&self) -> Result<(), crate::store::StoreError> {
        let fresh = Arc::new(crate::domain::pages::in_nav(&self.store.read()?)?);
        *self.nav_pages.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}

/// A file made at start-up and served under its hash.
pub struct Generated {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    /// The file name in the URL: `<hash>.<ext>`.
    pub file: String,
}

impl Generated {
    pub fn new(bytes: Vec<u8>, mime: &'static str, ext: &str) -> Generated {
        let hash = hex::encode(&Sha256::digest(&bytes)[..6]);
        Generated { bytes, mime, file: format!("{hash}.{ext}") }
    }

    /// Reads the commune's logo (PNG, JPEG, SVG or WebP; at most 2 MiB).
    pub fn from_file(path: &std::path::Path) -> std::io::Result<Generated> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let mime = match ext.as_str() {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "svg" => "image/svg+xml",
            "webp" => "image/webp",
            _ => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the logo must be a .png, .jpg, .svg or .webp file",
                ))
            }
        };
        let bytes = std::fs::read(path)?;
        if bytes.len() > 2 * 1024 * 1024 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the logo is larger than 2 MiB"));
        }
        Ok(Generated::new(bytes, mime, &ext))
    }
}

/// Upper bounds of the request-duration histogram, in seconds.
pub const DURATION_BUCKETS: [f64; 11] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// Counters updated by the access-log middleware.
#[derive(Default, Debug)]
pub struct HttpMetrics {
    /// Responses by status class: 1xx … 5xx.
    pub(crate) by_class: [AtomicU64; 5],
    pub(crate) durations: [AtomicU64; DURATION_BUCKETS.len()],
    pub(crate) duration_sum_micros: AtomicU64,
    pub(crate) count: AtomicU64,
}

impl HttpMetrics {
    pub fn observe(&self, status: u16, micros: u64) {
        let class = usize::from((status / 100).clamp(1, 5)) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.duration_sum_micros.fetch_add(micros, Ordering::Relaxed);
        let secs = micros as f64 / 1_000_000.0;
        if let Some(i) = DURATION_BUCKETS.iter().position(|b| secs <= *b) {
            self.durations[i].fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// When the certificate in use expires (Unix seconds; 0 when unknown), for
/// metrics and the admin.
#[derive(Default, Debug)]
pub struct CertificateState {
    pub expires_at: AtomicI64,
}
