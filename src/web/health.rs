//! `GET /healthz`: the process is up and serving.

/// Answers 200 while the server runs; load balancers and tests poll it.
#[poem::handler]
pub async fn healthz() -> &'static str {
    "ok"
}
