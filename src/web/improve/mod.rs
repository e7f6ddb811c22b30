//! Residents shaping the platform on the web: the « Améliorer ce site »
//! page (`/ameliorer`), the « utile ? » form at the bottom of every public
//! page and its back-office page ([`feedback`]), and the co-design mark
//! of a workshop ([`codesign`]). The rules are `domain::improve`'s; the
//! suggestions themselves are proposals of the platform's idea box, posted,
//! supported and answered on the ideas pages.

pub mod codesign;
pub mod feedback;

use std::collections::HashMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Redirect};
use poem::{IntoResponse, Response};

use crate::app::AppState;
use crate::domain::improve::{self, Standing};
use crate::domain::now_unix;
use crate::domain::proposals::{self, Filter, Page, Sort, Summary};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page;
use crate::web::proposals::date;

/// The page's address, printed in the footer of every page.
pub const PATH: &str = "/ameliorer";
/// The link that opens the box at first use, then goes to its form.
pub const SUGGEST_PATH: &str = "/ameliorer/proposer";
/// The most suggestions the page lists under each answer; the box's own
/// page lists them all.
const PER_STANDING: usize = 50;

/// `GET /ameliorer`: what it is for, the button to suggest, the
/// suggestions by the town hall's answer, the co-design sessions.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let box_id = improve::box_id(&tx)?;
    let mut by_standing: HashMap<&'static str, Vec<Arc<Summary>>> = HashMap::new();
    if let Some(id) = box_id {
        let filter = Filter { viewer: chrome.viewer.as_ref().map(|v| v.account.id), ..Filter::default() };
        let (items, _) = proposals::list(
            &tx,
            &state.box_lists,
            id,
            Sort::MostSupported,
            &filter,
            Page { number: 0, size: proposals::MAX_PAGE },
        )?;
        for p in items {
            by_standing.entry(Standing::of(p.status).code()).or_default().push(p);
        }
    }
    let sessions = improve::sessions(&tx)?;
    drop(tx);
    let title = chrome.t("improve-title");
    let lang = chrome.lang;
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("improve-lead")) }
            p { a.button href=(SUGGEST_PATH) { (chrome.t("improve-suggest")) } }
            @if let Some(id) = box_id {
                p { a href={ "/idees/" (id) } { (chrome.t("improve-all")) } }
            }
            @for standing in Standing::ALL {
                @let items = by_standing.get(standing.code()).map(Vec::as_slice).unwrap_or(&[]);
                @let h = format!("improve-{}", standing.code());
                section aria-labelledby=(h) {
                    h2 id=(h) { (chrome.t(&format!("improve-standing-{}", standing.code()))) " (" (items.len()) ")" }
                    @if items.is_empty() {
                        p { (chrome.t("improve-none")) }
                    } @else {
                        ul.link-list {
                            @for p in items.iter().take(PER_STANDING) {
                                li {
                                    a href={ "/propositions/" (p.id) } { (p.title) }
                                    " — " (lang.ta("improve-supports", &[("count", Arg::from(p.supports))]))
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="improve-sessions" {
                h2 #improve-sessions { (chrome.t("improve-sessions-title")) }
                p { (chrome.t("improve-sessions-lead")) }
                @if sessions.is_empty() {
                    p { (chrome.t("improve-sessions-none")) }
                }
                @for s in &sessions {
                    article.card {
                        h3 { a href={ "/rendez-vous/" (s.meeting.id) } { (s.meeting.title) } }
                        p.meta { (date(s.meeting.starts_at)) }
                        @if s.changes.is_empty() {
                            p { (chrome.t("improve-session-no-changes")) }
                        } @else {
                            p { (chrome.t("improve-session-changes")) }
                            ul {
                                @for p in &s.changes {
                                    li {
                                        a href={ "/propositions/" (p.id) } { (p.title) }
                                        " — " (chrome.t(&format!("improve-standing-{}", Standing::of(p.status).code())))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /ameliorer/proposer`: the platform's box (opened now if it is the
/// first time), then its form. Opening is idempotent: a robot following
/// the link opens the one box, nothing more.
#[poem::handler]
pub async fn suggest(state: Data<&Arc<AppState>>) -> Result<Response, AppError> {
    // Read first: once the box exists (nearly always), no write at all.
    let known = improve::box_id(&*state.store.read()?)?;
    let id = match known {
        Some(id) => id,
        None => state.store.write(move |tx| improve::ensure_box(tx, now_unix()).map_err(AppError::from)).await?,
    };
    Ok(Redirect::see_other(format!("/idees/{id}/proposer")).into_response())
}
