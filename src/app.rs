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
}

impl AppState {
    pub fn is_https(&self) -> bool {
        self.config.is_https()
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
