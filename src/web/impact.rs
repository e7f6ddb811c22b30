//! `/ce-qui-a-change`: « Ce qui a changé grâce à vous », the decisions that
//! followed residents' contributions, newest first, a page at a time. What
//! is listed is decided by `domain::metrics::changed` (through
//! `domain::publication`); this file only shows it.

use std::sync::Arc;

use maud::{html, Markup, Render};
use poem::web::{Data, Query};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::metrics::changed::{self, Change};
use crate::domain::now_unix;
use crate::domain::proposals::Status;
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page;
use crate::web::proposals::{date, status_badge};
use crate::web::reports::category_name;

pub const PATH: &str = "/ce-qui-a-change";

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// 1-based; anything else is the first page.
    pub page: Option<String>,
}

/// `GET /ce-qui-a-change?page=N`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Query(q): Query<PageQuery>) -> Result<Markup, AppError> {
    let asked = q.page.as_deref().and_then(|p| p.trim().parse::<usize>().ok()).unwrap_or(1);
    let tx = state.store.read()?;
    let list = changed::changes(&tx, &state.config, now_unix(), asked)?;
    let title = chrome.t("impact-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("impact-lead")) }
            @if list.items.is_empty() { p { (chrome.t("impact-none")) } }
            ul.cards.impact-list {
                @for c in &list.items {
                    li.card { (Item { chrome: &chrome, state: &state, change: c }) }
                }
            }
            (Pager { chrome: &chrome, page: list.page, pages: list.pages })
        },
    ))
}

/// One decision, as a card.
struct Item<'a> {
    chrome: &'a Chrome,
    state: &'a AppState,
    change: &'a Change,
}

impl Render for Item<'_> {
    fn render(&self) -> Markup {
        let chrome = self.chrome;
        let on = |at: i64| chrome.lang.ta("impact-on", &[("date", Arg::from(date(at)))]);
        match self.change {
            Change::Proposal { id, title, status, answer, at } => html! {
                p.meta { (chrome.t("impact-kind-proposal")) " · "
                    @if let Some(s) = Status::from_code(status) { (status_badge(chrome.lang, s)) " · " }
                    (on(*at)) }
                h2 { a href={ "/propositions/" (id) } { (title) } }
                @if let Some(text) = answer {
                    h3 { (chrome.t("impact-answer")) }
                    div.prose { (crate::markdown::render(text)) }
                }
            },
            Change::Report { id, category, address, description, at } => html! {
                p.meta { (chrome.t("impact-kind-report")) " · " (on(*at)) }
                h2 { a href={ "/signalements/" (id) } {
                    (chrome.lang.ta("impact-report-fixed", &[("category", Arg::from(category_name(&self.state.config, category)))]))
                } }
                @if let Some(a) = address { p { (a) } }
                p { (description) }
            },
            Change::Consultation { id, title, asked, said, decided, at } => html! {
                p.meta { (chrome.t("impact-kind-consultation")) " · " (on(*at)) }
                h2 { a href={ "/consultations/" (id) } { (title) } }
                dl.we-asked {
                    dt { (chrome.t("impact-we-asked")) } dd { (asked) }
                    dt { (chrome.t("impact-you-said")) } dd.prose { (crate::markdown::render(said)) }
                    dt { (chrome.t("impact-we-did")) } dd.prose { (crate::markdown::render(decided)) }
                }
            },
            Change::BudgetProject { process, process_title, number, title, at } => html! {
                p.meta { (chrome.t("impact-kind-budget")) " · " (on(*at)) }
                h2 { a href={ "/budgets/" (process) "/projets/" (number) } { (title) } }
                p { (chrome.lang.ta("impact-budget-won", &[("process", Arg::from(process_title.clone()))])) }
            },
        }
    }
}

/// Previous and next links, and where the reader is.
struct Pager<'a> {
    chrome: &'a Chrome,
    page: usize,
    pages: usize,
}

impl Render for Pager<'_> {
    fn render(&self) -> Markup {
        let (chrome, page, pages) = (self.chrome, self.page, self.pages);
        html! {
            @if pages > 1 {
                nav.pager aria-label=(chrome.t("impact-pages")) {
                    p { (chrome.lang.ta("impact-page", &[("page", Arg::from(page as u64)), ("pages", Arg::from(pages as u64))])) }
                    ul {
                        @if page > 1 { li { a rel="prev" href={ (PATH) "?page=" (page - 1) } { (chrome.t("impact-previous")) } } }
                        @if page < pages { li { a rel="next" href={ (PATH) "?page=" (page + 1) } { (chrome.t("impact-next")) } } }
                    }
                }
            }
        }
    }
}
