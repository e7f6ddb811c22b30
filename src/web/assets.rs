//! Embedded assets, served under a content hash with long cache headers, and
//! the few files generated from the configuration (theme colour, logo).
//!
//! poem's `EmbeddedFilesEndpoint` sends no Cache-Control and refuses HEAD
//! (STACK-NOTES.md), so this small endpoint serves them instead.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use poem::http::header::{self, HeaderValue};
use poem::http::StatusCode;
use poem::web::{Data, Path, Redirect};
use poem::{IntoResponse, Response};
use rust_embed::RustEmbed;

use super::errors::AppError;
use crate::app::{AppState, Generated};

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Files;

/// A year: hashed URLs change whenever the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Entry {
    hash: String,
    mime: String,
}

fn index() -> &'static HashMap<String, Entry> {
    static INDEX: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Files::iter()
            .filter_map(|path| {
                let file = Files::get(&path)?;
                let hash = hex::encode(&file.metadata.sha256_hash()[..6]);
                let mime = file.metadata.mimetype().to_string();
                Some((path.to_string(), Entry { hash, mime }))
            })
            .collect()
    })
}

/// The URL of an embedded asset, with its content hash.
pub fn url(path: &str) -> String {
    match index().get(path) {
        Some(e) => format!("/assets/{}/{path}", e.hash),
        None => {
            tracing::error!(asset = path, "unknown asset");
            format!("/assets/0/{path}")
        }
    }
}

/// `GET /assets/:hash/*path`.
#[poem::handler]
pub async fn asset(Path((hash, path)): Path<(String, String)>) -> Result<Response, AppError> {
    let entry = index().get(&path).ok_or(AppError::NotFound)?;
    if entry.hash != hash {
        // An old page asks for an old version: send it to the current one.
        return Ok(Redirect::see_other(format!("/assets/{}/{path}", entry.hash)).into_response());
    }
    let file = Files::get(&path).ok_or(AppError::NotFound)?;
    Ok(cached(file.data.into_owned(), &entry.mime))
}

fn cached(body: Vec<u8>, mime: &str) -> Response {
    let mut resp = Response::builder().status(StatusCode::OK).body(body);
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    resp
}

/// The commune's colour as CSS custom properties (a file: the CSP forbids
/// inline styles).
pub fn theme_css(colour: &str) -> Generated {
    let css = format!(":root {{ --brand: {colour}; }}\n");
    Generated::new(css.into_bytes(), "text/css; charset=utf-8", "css")
}

fn serve_generated(found: Option<&Generated>, file: &str) -> Result<Response, AppError> {
    match found {
        Some(g) if g.file == file => Ok(cached(g.bytes.clone(), g.mime)),
        Some(g) => Ok(Redirect::see_other(g.file.clone()).into_response()),
        None => Err(AppError::NotFound),
    }
}

/// `GET /theme/:file`.
#[poem::handler]
pub async fn theme(state: Data<&Arc<AppState>>, Path(file): Path<String>) -> Result<Response, AppError> {
    serve_generated(Some(&state.theme), &file)
}

/// `GET /logo/:file`.
#[poem::handler]
pub async fn logo(state: Data<&Arc<AppState>>, Path(file): Path<String>) -> Result<Response, AppError> {
    let mut resp = serve_generated(state.logo.as_ref(), &file)?;
    // An SVG logo must not run scripts even if opened directly.
    resp.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    Ok(resp)
}

/// `GET /robots.txt`: public pages may be indexed.
#[poem::handler]
pub async fn robots() -> &'static str {
    "User-agent: *\nAllow: /\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_hashed_url() {
        let u = url("css/parvis.css");
        assert!(u.starts_with("/assets/") && u.ends_with("/css/parvis.css") && u.len() > 30, "{u}");
    }

    #[test]
    fn theme_file_changes_with_the_colour() {
        assert_ne!(theme_css("#1d4f91").file, theme_css("#000000").file);
        assert!(String::from_utf8(theme_css("#123456").bytes).unwrap().contains("#123456"));
    }
}
