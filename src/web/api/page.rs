//! `GET /api`: the public API explained to people, in French and English.
//! Its endpoints, filters and example answers come from the OpenAPI
//! document's table ([`super::openapi::ENDPOINTS`]) and from this
//! commune's own data (the first record of each list, as the list answers
//! it), so the page cannot describe an endpoint that does not exist.

use maud::{html, Markup};

use super::endpoints;
use super::openapi::ENDPOINTS;
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page as layout_page;

/// The example answer of the list at `path`, pretty-printed.
fn example(chrome: &Chrome, path: &str) -> Result<String, AppError> {
    let tx = chrome.state.store.read()?;
    let built = endpoints::sample(&tx, &chrome.state, path).map_err(|e| AppError::Internal(format!("{e:?}")))?;
    let value: serde_json::Value =
        serde_json::from_slice(&built.body).map_err(|e| AppError::Internal(e.to_string()))?;
    serde_json::to_string_pretty(&value).map_err(|e| AppError::Internal(e.to_string()))
}

fn endpoint(chrome: &Chrome, base: &str, path: &str, filters: &[&str]) -> Result<Markup, AppError> {
    let lang = chrome.lang;
    let answer = example(chrome, path)?;
    Ok(html! {
        section aria-labelledby=(format!("api-{path}")) {
            h2 id=(format!("api-{path}")) { code { "GET /api/v1/" (path) } }
            p { (lang.t(&format!("api-endpoint-{path}"))) }
            p { (lang.ta("api-one-record", &[("path", Arg::from(format!("/api/v1/{path}/{{id}}")))])) }
            @if !filters.is_empty() {
                p { (lang.t("api-filters")) " "
                    @for (i, f) in filters.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { (f) }
                    }
                }
            }
            h3 { (lang.t("api-example-request")) }
            pre { code { "curl -s '" (base) "/api/v1/" (path) "?limit=1'" } }
            h3 { (lang.t("api-example-answer")) }
            pre tabindex="0" { code { (answer) } }
        }
    })
}

/// `GET /api`.
#[poem::handler]
pub async fn show(chrome: Chrome) -> Result<Markup, AppError> {
    let lang = chrome.lang;
    let title = lang.t("api-title");
    let base = chrome.config().server.public_url.as_str().trim_end_matches('/').to_string();
    let mut sections = Vec::new();
    for (_, path, filters) in ENDPOINTS {
        sections.push(endpoint(&chrome, &base, path, filters)?);
    }
    Ok(layout_page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (lang.t("api-intro")) }
            p { (lang.t("api-openapi")) " " a href="/api/openapi.json" { code { "/api/openapi.json" } } }
            (crate::web::opendata::public_link(lang))
            h2 { (lang.t("api-conventions-title")) }
            ul {
                li { (lang.ta("api-conventions-paging", &[("max", Arg::from(super::MAX_LIMIT as u64)), ("default", Arg::from(super::DEFAULT_LIMIT as u64))])) }
                li { (lang.t("api-conventions-filters")) }
                li { (lang.t("api-conventions-cache")) }
                li { (lang.t("api-conventions-errors")) }
                li { (lang.t("api-conventions-cors")) }
                li { (lang.t("api-conventions-limits")) }
                li { (lang.t("api-conventions-open311")) " " a href="/open311/v2/discovery.json" { code { "/open311/v2/" } } }
            }
            h2 { (lang.t("api-published-title")) }
            p { (lang.t("api-published-text")) }
            @for s in &sections { (s) }
        },
    ))
}
