//! Prometheus metrics, served on their own listener (`server.metrics_listen`)
//! so that they never appear on the public site: requests, latencies, the
//! writer's batch sizes, the mail backlog, the age of the last backup, the
//! certificate's expiry, and whether the disk is full.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::app::{AppState, DURATION_BUCKETS};

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
    if let Some(age) = crate::store::backup::newest_backup_age(&state.config.backup.dir, now) {
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

/// The endpoint of the metrics listener.
pub fn endpoint(state: Arc<AppState>) -> impl poem::Endpoint {
    poem::endpoint::make_sync(move |req| {
        if req.uri().path() != "/metrics" {
            return poem::Response::builder().status(poem::http::StatusCode::NOT_FOUND).body("see /metrics\n");
        }
        poem::Response::builder().content_type("text/plain; version=0.0.4; charset=utf-8").body(render(&state))
    })
}
