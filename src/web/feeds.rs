//! Atom feeds of the participation processes (issue 13, "Feeds"): an idea
//! box's new proposals (`/idees/:id/flux.atom`), the consultations, opened
//! and with their outcome (`/consultations/flux.atom`), and the meetings
//! (`/rendez-vous/flux.atom`). News and problem reports have theirs beside
//! their pages (`web::news`, `web::reports::feeds`).
//!
//! A feed says what the public pages say and nothing more: no draft, no
//! proposal held for review or hidden by the moderators, and never who wrote
//! what (the commune is the feed's author). Entries are named by tag URIs
//! (`atom::tag`), so that a reader never shows one twice.

use std::sync::Arc;

use poem::web::{Data, Path};
use poem::Response;

use crate::app::AppState;
use crate::domain::consultations::{self, Phase};
use crate::domain::ids::BoxId;
use crate::domain::meetings::{self, Status as MeetingStatus};
use crate::domain::now_unix;
use crate::domain::proposals::{self, Filter, Page, Sort};
use crate::i18n::Arg;
use crate::web::atom::{base_url, tag, Entry, Feed};
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;

/// How many entries a feed carries: the newest, as readers keep what they
/// have already seen.
pub const FEED_SIZE: usize = 50;

/// The longest summary an entry carries, in characters: enough to decide
/// whether to open the page.
const EXCERPT: usize = 300;

/// The path of a box's feed, for its page's `<link rel="alternate">`.
pub fn box_feed_path(id: BoxId) -> String {
    format!("/idees/{id}/flux.atom")
}

/// The path of the consultations' feed.
pub const CONSULTATIONS_FEED: &str = "/consultations/flux.atom";
/// The path of the meetings' feed.
pub const MEETINGS_FEED: &str = "/rendez-vous/flux.atom";

/// The first characters of `text`, with « … » when it is cut.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(EXCERPT).collect();
    if text.chars().count() > EXCERPT {
        out.push('…');
    }
    out
}

/// The feed around `entries`, newest first.
fn feed(chrome: &Chrome, base: &str, path: &str, page: &str, title: String, mut entries: Vec<Entry>) -> Feed {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    entries.truncate(FEED_SIZE);
    let commune = chrome.config().commune.name.clone();
    Feed {
        id: format!("{base}{path}"),
        title: format!("{title} — {commune}"),
        fallback_updated: 0,
        self_link: format!("{base}{path}"),
        page_link: format!("{base}{page}"),
        author: commune,
        lang: chrome.lang.code().to_string(),
        entries,
    }
}

/// `GET /idees/:id/flux.atom`: the box's newest proposals. Held and hidden
/// ones are left out by the list itself (no viewer: nobody's own held
/// proposal), and each is checked again on its full record.
#[poem::handler]
pub async fn box_feed(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Response, AppError> {
    let tx = state.store.read()?;
    let b = proposals::get_box(&tx, BoxId(id))?.ok_or(AppError::NotFound)?;
    // A feed is read without a session and may be kept by caches: only
    // what the public may see.
    if !crate::domain::groups::is_public(&*tx, crate::domain::groups::Process::IdeaBox(b.id))? {
        return Err(AppError::NotFound);
    }
    let (items, _) = proposals::list(
        &tx,
        &state.box_lists,
        b.id,
        Sort::Recent,
        &Filter::default(),
        Page { number: 0, size: FEED_SIZE },
    )?;
    let base = base_url(&state.config);
    let mut entries = Vec::with_capacity(items.len());
    for s in &items {
        let Some(p) = proposals::get(&tx, s.id)? else { continue };
        if !proposals::is_public(&tx, &p)? {
            continue;
        }
        let status = chrome.t(&format!("status-{}", p.status.code()));
        let link = format!("{base}/propositions/{}", p.id);
        entries.push(Entry {
            id: tag(&base, p.created_at, &format!("propositions/{}", p.id)),
            title: p.title.clone(),
            updated: p.updated_at,
            published: Some(p.created_at),
            link,
            summary: format!("{status} — {}", excerpt(&p.body)),
            enclosure: None,
        });
    }
    drop(tx);
    let title = chrome.lang.ta("feed-box-title", &[("box", Arg::from(b.title.as_str()))]);
    Ok(feed(&chrome, &base, &box_feed_path(b.id), &format!("/idees/{}", b.id), title, entries).response())
}

/// `GET /consultations/flux.atom`: each consultation once it has opened,
/// and its outcome once published (an entry of its own, so that a reader
/// who saw the opening is told of the outcome). A forthcoming one waits for
/// its opening: its entry's date is that day.
#[poem::handler]
pub async fn consultations_feed(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Response, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let base = base_url(&state.config);
    let lang = chrome.lang;
    let mut entries = Vec::new();
    for c in consultations::list(&tx)? {
        let (Some(dates), Phase::Open | Phase::Closed) = (c.published, c.phase(now)) else { continue };
        if !crate::domain::groups::is_public(&*tx, crate::domain::groups::Process::Consultation(c.id))? {
            continue;
        }
        let page = format!("{base}/consultations/{}", c.id);
        let dates_line = crate::web::consultations::dates_line(lang, &c).unwrap_or_default();
        entries.push(Entry {
            id: tag(&base, c.created_at, &format!("consultations/{}", c.id)),
            title: lang.ta("feed-consultation-opened", &[("title", Arg::from(c.title.as_str()))]),
            updated: dates.opens_at.max(c.updated_at.min(now)),
            published: Some(dates.opens_at),
            link: page.clone(),
            summary: format!("{dates_line} — {}", excerpt(&c.summary)),
            enclosure: None,
        });
        if let Some(o) = consultations::outcome(&tx, c.id)? {
            let last = o.updates.iter().map(|u| u.at).max().unwrap_or(o.published_at).max(o.published_at);
            entries.push(Entry {
                id: tag(&base, c.created_at, &format!("consultations/{}/bilan", c.id)),
                title: lang.ta("feed-consultation-outcome", &[("title", Arg::from(c.title.as_str()))]),
                updated: last,
                published: Some(o.published_at),
                link: format!("{page}#bilan"),
                summary: excerpt(&o.decided),
                enclosure: None,
            });
        }
    }
    drop(tx);
    let title = chrome.t("consultations-title");
    Ok(feed(&chrome, &base, CONSULTATIONS_FEED, "/consultations", title, entries).response())
}

/// `GET /rendez-vous/flux.atom`: the published meetings, and the cancelled
/// ones marked so (a person who planned to come reads that it is off).
/// The meetings still to come go first, then the past ones, each by the
/// date of their last change, so that a feed of fifty keeps what matters.
#[poem::handler]
pub async fn meetings_feed(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Response, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let mut all = Vec::new();
    for m in meetings::list(&tx)? {
        if crate::domain::groups::is_public(&*tx, crate::domain::groups::Process::Meeting(m.id))? {
            all.push(m);
        }
    }
    drop(tx);
    let base = base_url(&state.config);
    let lang = chrome.lang;
    let mut coming = Vec::new();
    let mut past = Vec::new();
    for m in all.iter().filter(|m| m.is_public()) {
        let title = match m.status {
            MeetingStatus::Cancelled => lang.ta("feed-meeting-cancelled", &[("title", Arg::from(m.title.as_str()))]),
            MeetingStatus::Published | MeetingStatus::Draft => m.title.clone(),
        };
        let kind = chrome.t(&format!("meeting-kind-{}", m.kind.code()));
        let entry = Entry {
            id: tag(&base, m.created_at, &format!("rendez-vous/{}", m.id)),
            title,
            updated: m.updated_at.max(m.cancelled_at.unwrap_or(0)),
            published: m.published_at,
            link: format!("{base}/rendez-vous/{}", m.id),
            summary: format!(
                "{kind} · {} · {} — {}",
                crate::web::meetings::when(lang, m),
                crate::web::meetings::place_line(&chrome, m),
                excerpt(&m.agenda)
            ),
            enclosure: None,
        };
        match m.is_past(now) {
            false => coming.push(entry),
            true => past.push(entry),
        }
    }
    let newest_first = |v: &mut Vec<Entry>| v.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    newest_first(&mut coming);
    newest_first(&mut past);
    coming.extend(past);
    coming.truncate(FEED_SIZE);
    let mut f = feed(&chrome, &base, MEETINGS_FEED, "/rendez-vous", chrome.t("meetings-title"), Vec::new());
    // Kept in the order chosen above rather than re-sorted by `feed`.
    f.entries = coming;
    Ok(f.response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_character_and_says_so() {
        assert_eq!(excerpt("  court  "), "court");
        let long = "é".repeat(EXCERPT + 5);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT + 1);
        assert!(cut.ends_with('…'));
    }
}
