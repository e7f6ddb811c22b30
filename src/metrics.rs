//! Prometheus metrics, served on their own listener (`server.metrics_listen`)
//! so that they never appear on the public site: requests, latencies, the
//! writer's batch sizes, the mail backlog, the age of the last backup, the
//! certificate's expiry, and whether the disk is full.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::server::AppState;

/// Upper bounds of the request-duration histogram, in seconds.
const DURATION_BUCKETS: [f64; 11] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// Counters updated by the access-log middleware.
#[derive(Default, Debug)]
pub struct HttpMetrics {
    /// Responses by status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    durations: [AtomicU64; DURATION_BUCKETS.len()],
    duration_sum_micros: AtomicU64,
    count: AtomicU64,
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

fn line(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The metrics in Prometheus' text format.
pub fn render(state: &AppState) -> String {
    let mut out = String::new();
    let http = &state.http_metrics;
    line(&mut out, "parvis_http_responses_total", "counter", "HTTP responses by status class.");
    for (i, class) in ["1xx", "2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
        let _ = writeln!(
            out,
            "parvis_http_responses_total{{class=\"{class}\"}} {}",
            http.by_class[i].load(Ordering::Relaxed)
        );
    }
    line(&mut out, "parvis_http_request_duration_seconds", "histogram", "Time to answer a request.");
    let mut cumulative = 0;
    for (i, bound) in DURATION_BUCKETS.iter().enumerate() {
        cumulative += http.durations[i].load(Ordering::Relaxed);
        let _ = writeln!(out, "parvis_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}");
    }
    let count = http.count.load(Ordering::Relaxed);
    let _ = writeln!(out, "parvis_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
    let _ = writeln!(
        out,
        "parvis_http_request_duration_seconds_sum {}",
        http.duration_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let _ = writeln!(out, "parvis_http_request_duration_seconds_count {count}");

    let stats = state.store.writer().stats();
    line(&mut out, "parvis_writer_commits_total", "counter", "Write transactions committed.");
    let _ = writeln!(out, "parvis_writer_commits_total {}", stats.commits.load(Ordering::Relaxed));
    line(&mut out, "parvis_writer_operations_total", "counter", "Business operations committed.");
    let _ = writeln!(out, "parvis_writer_operations_total {}", stats.operations.load(Ordering::Relaxed));
    line(&mut out, "parvis_writer_failed_operations_total", "counter", "Operations refused or failed.");
    let _ = writeln!(out, "parvis_writer_failed_operations_total {}", stats.failed_operations.load(Ordering::Relaxed));
    line(&mut out, "parvis_writer_batch_size", "histogram", "Operations per committed transaction (group commit).");
    let mut cumulative = 0;
    for (i, bound) in crate::store::writer::BATCH_BUCKETS.iter().enumerate() {
        cumulative += stats.batch_sizes[i].load(Ordering::Relaxed);
        let _ = writeln!(out, "parvis_writer_batch_size_bucket{{le=\"{bound}\"}} {cumulative}");
    }
    let _ = writeln!(out, "parvis_writer_batch_size_bucket{{le=\"+Inf\"}} {cumulative}");
    let _ = writeln!(out, "parvis_writer_batch_size_sum {}", stats.operations.load(Ordering::Relaxed));
    let _ = writeln!(out, "parvis_writer_batch_size_count {cumulative}");

    line(&mut out, "parvis_disk_full", "gauge", "1 while writes are refused for lack of disk space.");
    let _ = writeln!(out, "parvis_disk_full {}", u8::from(state.store.disk_full()));

    if let Ok(tx) = state.store.read() {
        if let (Ok(backlog), Ok(failed)) = (crate::mail::outbox::backlog(&tx), crate::mail::outbox::failed_count(&tx)) {
            line(&mut out, "parvis_mail_outbox_backlog", "gauge", "Messages waiting to be sent.");
            let _ = writeln!(out, "parvis_mail_outbox_backlog {backlog}");
            line(&mut out, "parvis_mail_failed", "gauge", "Messages given up after retries (kept 30 days).");
            let _ = writeln!(out, "parvis_mail_failed {failed}");
        }
        if let Ok(n) = crate::domain::accounts::count(&tx) {
            line(&mut out, "parvis_accounts", "gauge", "Accounts.");
            let _ = writeln!(out, "parvis_accounts {n}");
        }
    }
    let now = crate::domain::now_unix();
    if let Some(age) = newest_backup_age(&state.config.backup.dir, now) {
        line(&mut out, "parvis_backup_age_seconds", "gauge", "Age of the newest scheduled backup.");
        let _ = writeln!(out, "parvis_backup_age_seconds {age}");
    }
    let expires = state.certificate.expires_at.load(Ordering::Relaxed);
    if expires > 0 {
        line(&mut out, "parvis_tls_certificate_expiry_seconds", "gauge", "Seconds until the TLS certificate expires.");
        let _ = writeln!(out, "parvis_tls_certificate_expiry_seconds {}", expires - now);
    }
    line(&mut out, "parvis_uptime_seconds", "gauge", "Seconds since the server started.");
    let _ = writeln!(out, "parvis_uptime_seconds {}", state.started.elapsed().as_secs());
    out
}

/// Seconds since the newest scheduled backup was written, if there is one.
pub fn newest_backup_age(dir: &std::path::Path, now: i64) -> Option<i64> {
    let newest = crate::store::backup::list_scheduled(dir).into_iter().next_back()?;
    let modified = std::fs::metadata(newest).ok()?.modified().ok()?;
    let at = modified.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some((now - at).max(0))
}

/// The endpoint of the metrics listener.
pub fn endpoint(state: Arc<AppState>) -> impl poem::Endpoint {
    poem::endpoint::make_sync(move |req| {
        if req.uri().path() != "/metrics" {
            return poem::Response::builder().status(poem::http::StatusCode::NOT_FOUND).body("see /metrics\n");
        }
        poem::Response::builder().content_type("text/plain; version=0.0.4; charset=utf-8").body(render(&state))
    })
}
