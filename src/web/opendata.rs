//! The open-data archive on the site: served at a fixed address
//! (`domain::opendata::URL_PATH`) with `ETag` and `Last-Modified`, made
//! again on demand by staff from the dashboard, and the section of the
//! dashboard and the links of `/api` and `/chiffres` that point to it.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, HeaderValue, StatusCode};
use poem::web::Data;
use poem::{Request, Response};

use crate::app::AppState;
use crate::domain::now_unix;
use crate::domain::opendata::{self, OpenDataError};
use crate::i18n::{Arg, Lang};
use crate::web::account::redirect_with;
use crate::web::api::{etag_of, http_date, parse_http_date};
use crate::web::auth::Staff;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;

/// Where staff ask for the archive to be made now.
pub const GENERATE_PATH: &str = "/admin/donnees-ouvertes";

fn failed(e: OpenDataError) -> AppError {
    match e {
        OpenDataError::Store(e) => e.into(),
        e @ (OpenDataError::Archive(_) | OpenDataError::Io { .. }) => AppError::Internal(format!("open data: {e}")),
    }
}

/// Makes the archive now, on a blocking thread (it reads every public record).
async fn make(state: &Arc<AppState>) -> Result<u64, AppError> {
    let s = state.clone();
    tokio::task::spawn_blocking(move || opendata::generate(&s.store, &s.config, now_unix()))
        .await
        .map_err(|e| AppError::Internal(format!("open data: {e}")))?
        .map_err(failed)
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn none_match(header_value: &str, etag: &str) -> bool {
    header_value.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// `GET /donnees-ouvertes/parvis.zip`: the archive as last made. A site
/// that never made one (before its first hourly pass) makes it now.
#[poem::handler]
pub async fn download(req: &Request, state: Data<&Arc<AppState>>) -> Result<Response, AppError> {
    let file = opendata::path(&state.config.data_dir);
    if opendata::last_written(&file).is_none() {
        make(&state).await?;
    }
    let (mut bytes, mut modified) = read_archive(&file).await?;
    // Something it holds was hidden since it was made: made again now,
    // so that hidden content never leaves in it.
    if opendata::is_stale(&state.store.read()?, &bytes)? {
        make(&state).await?;
        (bytes, modified) = read_archive(&file).await?;
    }
    let changed = modified.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let etag = etag_of(&bytes);
    let not_modified = match req.header(header::IF_NONE_MATCH) {
        Some(v) => none_match(v, &etag),
        None => req.header(header::IF_MODIFIED_SINCE).and_then(parse_http_date).is_some_and(|since| changed <= since),
    };
    let mut resp = if not_modified {
        Response::builder().status(StatusCode::NOT_MODIFIED).finish()
    } else {
        Response::builder()
            .status(StatusCode::OK)
            .content_type("application/zip")
            .header(header::CONTENT_DISPOSITION, "attachment; filename=\"parvis-donnees-ouvertes.zip\"")
            .body(bytes)
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = http_date(changed).and_then(|d| HeaderValue::from_str(&d).ok()) {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Asked again each time (cheaply, with the tag): a portal that
    // harvests each night must get the night's archive, not a cache's.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(resp)
}

/// The bytes and their date from one opened file: a rename over it
/// meanwhile cannot give one version's date to the other's bytes.
async fn read_archive(file: &std::path::Path) -> Result<(Vec<u8>, std::time::SystemTime), AppError> {
    let read = |e: std::io::Error| AppError::Internal(format!("{}: {e}", file.display()));
    let mut f = tokio::fs::File::open(file).await.map_err(read)?;
    let modified = f.metadata().await.and_then(|m| m.modified()).map_err(read)?;
    let mut bytes = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut f, &mut bytes).await.map_err(read)?;
    Ok((bytes, modified))
}

/// `POST /admin/donnees-ouvertes`: staff make the archive now, e.g. after
/// publishing results they want in it before the night.
#[poem::handler]
pub async fn generate(state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Response, AppError> {
    let bytes = make(&state).await?;
    tracing::info!(bytes, "open-data archive made on demand");
    Ok(redirect_with(&state, "/admin/tableau-de-bord#donnees-ouvertes", Flash::success("flash-opendata-generated")))
}

/// A date and time for people, by the commune's clock.
fn local(unix: i64) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_zoned(tz).strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// The dashboard's section: when the archive was made, the link, and the
/// button that makes it now.
pub fn staff_section(chrome: &Chrome) -> Markup {
    let last = opendata::last_written(&opendata::path(&chrome.config().data_dir));
    html! {
        section #donnees-ouvertes aria-labelledby="donnees-ouvertes-titre" {
            h2 #donnees-ouvertes-titre { (chrome.t("opendata-staff-title")) }
            p { (chrome.t("opendata-staff-lead")) }
            p {
                @match last {
                    Some(t) => (chrome.lang.ta("opendata-staff-last", &[("date", Arg::from(local(t)))])),
                    None => (chrome.t("opendata-staff-never")),
                }
                " "
                a href=(opendata::URL_PATH) { (chrome.t("opendata-download")) }
            }
            form method="post" action=(GENERATE_PATH) {
                (csrf_field(chrome))
                button.button type="submit" { (chrome.t("opendata-staff-generate")) }
            }
        }
    }
}

/// The paragraph that points to the archive, on `/api` and `/chiffres`.
pub fn public_link(lang: Lang) -> Markup {
    html! {
        p.open-data {
            (lang.t("opendata-public-text")) " "
            a href=(opendata::URL_PATH) { (lang.t("opendata-download")) }
        }
    }
}
