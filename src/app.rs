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

#[cfg(test)]
mod tests {
    use super::*;

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
