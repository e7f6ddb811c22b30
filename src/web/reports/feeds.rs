//! Atom feeds of the problem reports: `/signalements/flux.atom` (every
//! report, or those of a category, a status or a neighbourhood, with the
//! list page's own query words) and `/signalements/:id/flux.atom` (a
//! report's public timeline). A feed says what the public pages say and
//! nothing more: numbers, categories, statuses, places, descriptions and
//! public updates, never who wrote them (the commune is the feed's author).

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path, Query};
use poem::Response;

use super::list::ListQuery;
use super::new::excerpt;
use super::{category_name, place, status_label};
use crate::app::AppState;
use crate::domain::ids::ReportId;
use crate::domain::reports::{self, Page, ProblemReport};
use crate::i18n::Arg;
use crate::web::atom::{Entry, Feed};
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;

/// How many reports a list feed carries: the newest, as readers keep what
/// they have already seen.
pub const FEED_SIZE: usize = 50;

/// The `<link rel="alternate">` that lets a browser or a reader find the
/// feed of a page.
pub fn alternate(title: &str, href: &str) -> Markup {
    html! { link rel="alternate" type="application/atom+xml" title=(title) href=(href); }
}

fn base(state: &AppState) -> String {
    state.config.server.public_url.as_str().trim_end_matches('/').to_string()
}

/// "Signalement n° 12 — Voirie / nid-de-poule".
fn heading(chrome: &Chrome, r: &ProblemReport) -> String {
    let number = chrome.lang.ta("problem-number", &[("number", Arg::from(r.id.get()))]);
    format!("{number} — {}", category_name(chrome.config(), &r.category))
}

/// `GET /signalements/flux.atom`: the newest reports, with the list's
/// category, status and neighbourhood filters (its dates are left out: a
/// feed follows what comes next).
#[poem::handler]
pub async fn list(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = reports::Filter { from: None, to: None, ..q.filter(&state.config) };
    let (items, _) = reports::list(&state.store.read()?, &filter, Page { number: 0, size: FEED_SIZE })?;
    let config = chrome.config();
    let lang = chrome.lang;
    let base = base(&state);
    let commune = config.commune.name.as_str();
    let named: Vec<String> = [
        filter.category.as_deref().map(|c| category_name(config, c)),
        filter.status.as_deref().map(|s| status_label(&chrome, s)),
        filter.neighbourhood.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let title = match named.is_empty() {
        true => lang.ta("feed-reports-title", &[("commune", Arg::from(commune))]),
        false => lang.ta(
            "feed-reports-title-filtered",
            &[("commune", Arg::from(commune)), ("filter", Arg::from(named.join(", ")))],
        ),
    };
    let entries = items
        .iter()
        .map(|r| {
            let link = format!("{base}/signalements/{}", r.id);
            Entry {
                id: link.clone(),
                title: heading(&chrome, r),
                updated: r.updated_at,
                published: Some(r.created_at),
                link,
                summary: format!("{} · {} — {}", status_label(&chrome, &r.status), place(r), excerpt(&r.description)),
                enclosure: None,
            }
        })
        .collect();
    let self_link = format!("{base}{}", q.feed_link());
    let page_link = format!("{base}{}", q.feed_link().replacen("/flux.atom", "", 1));
    Ok(Feed {
        id: self_link.clone(),
        title,
        fallback_updated: 0,
        self_link,
        page_link,
        author: commune.to_string(),
        lang: lang.code().to_string(),
        entries,
    }
    .response())
}

/// `GET /signalements/:id/flux.atom`: a report's public timeline, newest
/// first, from its filing on.
#[poem::handler]
pub async fn report(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Response, AppError> {
    let tx = state.store.read()?;
    let r = reports::get_public(&tx, ReportId(id))?.ok_or(AppError::NotFound)?;
    let updates = reports::timeline(&tx, r.id)?;
    drop(tx);
    let base = base(&state);
    let page = format!("{base}/signalements/{}", r.id);
    let mut entries = vec![Entry {
        id: format!("{page}#depot"),
        title: chrome.t("problem-timeline-filed"),
        updated: r.created_at,
        published: Some(r.created_at),
        link: page.clone(),
        summary: format!("{} — {}", place(&r), r.description),
        enclosure: None,
    }];
    // An update's place in the timeline never changes (updates are only
    // appended), so its number names it for good.
    for (n, u) in updates.iter().enumerate() {
        let title = match (&u.status, u.staff) {
            (Some(s), _) => chrome.lang.ta("feed-report-status", &[("status", Arg::from(status_label(&chrome, s)))]),
            (None, true) => chrome.t("feed-report-staff-update"),
            (None, false) => chrome.t("feed-report-resident-update"),
        };
        entries.push(Entry {
            id: format!("{page}#suivi-{}", n + 1),
            title,
            updated: u.at,
            published: Some(u.at),
            link: format!("{page}#historique"),
            summary: u.text.clone(),
            enclosure: None,
        });
    }
    entries.reverse();
    let commune = chrome.config().commune.name.clone();
    Ok(Feed {
        id: format!("{page}/flux.atom"),
        title: format!("{} — {commune}", heading(&chrome, &r)),
        fallback_updated: r.created_at,
        self_link: format!("{page}/flux.atom"),
        page_link: page,
        author: commune,
        lang: chrome.lang.code().to_string(),
        entries,
    }
    .response())
}
