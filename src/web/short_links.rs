//! `/p/<name>`: the short addresses printed on posters (issue 16), chosen
//! by staff on `/admin/liens-courts`.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Path};
use poem::{IntoResponse, Response};

use crate::app::AppState;
use crate::domain::promotion::{self, ShortLinkError};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::page;

impl From<ShortLinkError> for AppError {
    fn from(e: ShortLinkError) -> AppError {
        match e {
            ShortLinkError::NotFound | ShortLinkError::NoTarget => AppError::NotFound,
            ShortLinkError::Empty | ShortLinkError::BadName | ShortLinkError::Reserved => Refusal::Invalid.into(),
            ShortLinkError::Taken => Refusal::AlreadyDone.into(),
            ShortLinkError::Store(s) => AppError::from(s),
        }
    }
}

/// The absolute address of a short name, as a poster prints it.
pub fn short_url(state: &AppState, name: &str) -> String {
    format!("{}/p/{name}", state.config.server.public_url.as_str().trim_end_matches('/'))
}

/// `GET /p/:name`: a temporary redirect (302) to the process. Not a 301:
/// staff may rename a process's address or give a freed name to another
/// process, and a browser keeps a 301 for good, so a resident who once
/// followed `/p/velo` would keep landing on the old process.
#[poem::handler]
pub async fn follow(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    match promotion::resolve(&*state.store.read()?, &name)? {
        Some(target) => Ok(StatusCode::FOUND
            .with_header(header::LOCATION, target.path())
            .with_header(header::CACHE_CONTROL, "no-cache")
            .into_response()),
        None => Ok(refused(unknown(&chrome, &name), StatusCode::NOT_FOUND)),
    }
}

/// The page for a name nobody chose (a typo on a poster read aloud, a
/// name since renamed): where the commune's processes are instead.
fn unknown(chrome: &Chrome, name: &str) -> Markup {
    let title = chrome.t("short-link-unknown-title");
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("short-link-unknown-text", &[("name", Arg::from(name))])) }
            ul.link-list {
                li { a href="/consultations" { (chrome.t("nav-consultations")) } }
                li { a href="/idees" { (chrome.t("nav-ideas")) } }
                li { a href="/budgets" { (chrome.t("nav-budgets")) } }
                li { a href="/rendez-vous" { (chrome.t("nav-meetings")) } }
                li { a href="/recherche" { (chrome.t("nav-search")) } }
            }
            p { a href="/" { (chrome.t("error-back-home")) } }
        },
    )
}
