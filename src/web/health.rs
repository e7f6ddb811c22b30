//! `GET /healthz`: the process is up and serving.

/// Answers 200 while the server runs; load balancers and tests poll it.
#[poem::handler]
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: ready to serve pages: the database answers and the writer
/// runs. A full disk does not make the site unready (pages are still read)
/// but is said in the answer, for whoever looks.
#[poem::handler]
pub async fn readyz(state: poem::web::Data<&std::sync::Arc<crate::app::AppState>>) -> poem::Response {
    use poem::http::StatusCode;
    let store = match state.store.read() {
        Ok(_) => "store: ok",
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "store: unavailable\n").into_response(),
    };
    let disk = if state.store.disk_full() { "disk: full, writes refused" } else { "disk: ok" };
    (StatusCode::OK, format!("ready\n{store}\n{disk}\n")).into_response()
}

use poem::IntoResponse;
