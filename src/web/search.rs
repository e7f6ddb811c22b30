//! `GET /recherche`: one search across everything the commune publishes,
//! with filters (type, status, neighbourhood, dates) that show how many
//! results each value gives, highlighted snippets and pages of results.
//!
//! Nothing from the content is trusted as HTML: highlighted passages are
//! rendered piece by piece, each piece escaped by maud.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use maud::{html, Markup, PreEscaped};
use poem::http::StatusCode;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::chrome::Chrome;
use super::components::{submit, FormErrors};
use super::errors::{refused, AppError};
use super::layout::page_with_errors;
use crate::app::AppState;
use crate::domain::changes::ContentKind;
use crate::i18n::Arg;
use crate::i18n::Lang;
use crate::search::sources::PUBLISHED;
use crate::search::{self, Availability, Highlighted, Hit, Results, SearchError};

/// Results per page.
const PER_PAGE: usize = 20;

/// The query string; every field is optional and a wrong value never fails
/// the page.
#[derive(Deserialize, Debug, Default, Clone)]
pub struct Params {
    #[serde(default)]
    q: String,
    /// `ContentKind::code()`.
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    quartier: String,
    /// `YYYY-MM-DD`, included.
    #[serde(default)]
    depuis: String,
    /// `YYYY-MM-DD`, included.
    #[serde(default)]
    jusqu: String,
    #[serde(default)]
    page: String,
}

impl Params {
    fn has_filters(&self) -> bool {
        [&self.kind, &self.statut, &self.quartier, &self.depuis, &self.jusqu].iter().any(|v| !v.trim().is_empty())
    }

    /// The fields of the page, each after its length: two different
    /// searches never give the same text, whatever they hold.
    fn form_key(&self) -> String {
        use std::fmt::Write;
        let mut key = String::with_capacity(64);
        for v in [&self.q, &self.kind, &self.statut, &self.quartier, &self.depuis, &self.jusqu, &self.page] {
            let _ = write!(key, "{}:{v}", v.len());
        }
        key
    }

    /// This search as a link, on page `page`.
    fn link(&self, number: usize) -> String {
        let mut pairs = vec![
            ("q", self.q.as_str()),
            ("type", self.kind.as_str()),
            ("statut", self.statut.as_str()),
            ("quartier", self.quartier.as_str()),
            ("depuis", self.depuis.as_str()),
            ("jusqu", self.jusqu.as_str()),
        ];
        let number = number.to_string();
        if number != "1" {
            pairs.push(("page", &number));
        }
        link_of(&pairs)
    }
}

fn link_of(pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        query.append_pair(k, v.trim());
    }
    let query = query.finish();
    if query.is_empty() {
        "/recherche".into()
    } else {
        format!("/recherche?{query}")
    }
}

/// The start of a day in the commune's time zone, as Unix seconds.
fn day_start(date: jiff::civil::Date) -> Option<i64> {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    date.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

/// A date for people, in the commune's time zone.
fn day(unix: i64) -> (String, String) {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return (String::new(), String::new()) };
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    let zoned = ts.to_zoned(tz);
    (zoned.strftime("%Y-%m-%d").to_string(), zoned.strftime("%d/%m/%Y").to_string())
}

/// The request for the index, and the errors of the date fields.
fn request_of(chrome: &Chrome, p: &Params) -> (search::Request, FormErrors) {
    let mut errors = FormErrors::default();
    let mut date = |field: &str, text: &str| -> Option<jiff::civil::Date> {
        if text.trim().is_empty() {
            return None;
        }
        let parsed = text.trim().parse::<jiff::civil::Date>().ok();
        if parsed.is_none() {
            errors.add(field, chrome.t("search-bad-date"));
        }
        parsed
    };
    let since = date("depuis", &p.depuis);
    let until = date("jusqu", &p.jusqu);
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            errors.add("jusqu", chrome.t("search-dates-reversed"));
        }
    }
    // Bounded to the last page search goes to (its offset is capped too).
    let number = p.page.trim().parse::<usize>().unwrap_or(1).clamp(1, search::query::MAX_OFFSET / PER_PAGE + 1);
    let text_of = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let request = search::Request {
        text: p.q.chars().take(200).collect(),
        kind: ContentKind::from_code(p.kind.trim()),
        status: text_of(&p.statut),
        neighbourhood: text_of(&p.quartier),
        since: since.and_then(day_start),
        until: until.and_then(|d| d.tomorrow().ok()).and_then(day_start),
        offset: (number - 1).saturating_mul(PER_PAGE).min(search::query::MAX_OFFSET),
        limit: PER_PAGE,
    };
    (request, errors)
}

/// The translation key of a kind, singular (badges) or plural (the filter).
pub fn kind_key(kind: ContentKind, plural: bool) -> String {
    if plural {
        format!("search-kinds-{}", kind.code())
    } else {
        format!("search-kind-{}", kind.code())
    }
}

/// A status code in words: the concept's `status-<code>` message, if any.
fn status_name(lang: Lang, code: &str) -> String {
    // A report's status is indexed as `report-<code>` (`reports::search`).
    if let Some(status) = code.strip_prefix(crate::domain::reports::SEARCH_STATUS_PREFIX) {
        return lang.try_t(&format!("problem-status-{status}")).unwrap_or_else(|| status.to_string());
    }
    lang.try_t(&format!("status-{code}")).unwrap_or_else(|| code.to_string())
}

/// What the page shows below the form.
enum Outcome {
    /// Nothing asked yet.
    Empty,
    /// The index is checked at start-up (`None`) or rebuilt (`Some(percent done)`).
    NotReady(Option<u64>),
    Found(Results),
}

/// Below this many documents a search never asked is answered on the
/// async worker instead of the blocking pool. On the demo's data (1,000
/// documents) a search never asked cost 118 µs of server CPU in all, of
/// which the hand-off (two thread wake-ups, a task and a transaction
/// begun again) was a good part; at 100,000 documents the query alone took
/// about 1,000 µs, too long to hold a worker that serves other requests.
/// In between the cost grows with the index: 5,000 documents keep a search
/// to a few hundred µs at most (interpolated, not measured there).
const SMALL_INDEX: u64 = 5_000;

/// `GET /recherche`.
#[poem::handler]
pub async fn page(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let (request, errors) = request_of(&chrome, &params);
    let asked = !params.q.trim().is_empty() || params.has_filters();
    let outcome = if !asked || !errors.is_empty() {
        Outcome::Empty
    } else {
        // A search asked again is answered here from what the index keeps;
        // one to compute (the index walked, results loaded from the
        // database) goes to the blocking pool, off the async workers.
        let tx = state.store.read()?;
        let kept = state.search.kept(&request, &tx);
        let found = match kept {
            Ok(Some(results)) => Ok(results),
            // On a small index a search costs about what the hand-off to
            // the blocking pool and back costs (see SMALL_INDEX): answered
            // here, in the read transaction already open.
            Ok(None) if state.search.num_docs().is_ok_and(|n| n < SMALL_INDEX) => state.search.query(&request, &tx),
            Ok(None) => {
                drop(tx);
                let (search, store, req) = (state.search.clone(), state.store.clone(), request.clone());
                tokio::task::spawn_blocking(move || -> Result<Results, SearchError> {
                    let tx = store.read()?;
                    search.query(&req, &tx)
                })
                .await
                .map_err(|e| AppError::Internal(format!("search task: {e}")))?
            }
            Err(e) => Err(e),
        };
        match found {
            Ok(results) => Outcome::Found(results),
            Err(SearchError::NotReady) => Outcome::NotReady(match state.search.availability() {
                Availability::Rebuilding { done, total } => Some((done * 100).checked_div(total).unwrap_or(0)),
                Availability::Starting | Availability::Ready => None,
            }),
            Err(e) => return Err(e.into()),
        }
    };
    let (title, content) = content(&chrome, &state, &params, &request, &errors, &outcome);
    let markup = page_with_errors(&chrome, &title, &errors, html! { (content) });
    if !errors.is_empty() {
        return Ok(refused(markup, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let mut resp = markup.into_response();
    if matches!(outcome, Outcome::NotReady(_)) {
        resp.set_status(StatusCode::SERVICE_UNAVAILABLE);
        resp.headers_mut().insert(poem::http::header::RETRY_AFTER, poem::http::HeaderValue::from_static("5"));
    }
    Ok(resp)
}

/// The page's title and what it shows below the layout's header: kept
/// once rendered for the very results and counts it shows.
///
/// A search asked again is handed the index's kept answer: its results are
/// one `Arc<[Hit]>` until the change log moves, its counts one
/// `Arc<Facets>` until the index applies a change (see `search::query`).
/// For the same words, choices and page in the same language the page is
/// then the same HTML: the form with its options and counts, the heading,
/// the list and the pages' links. Keyed by both allocations, each checked
/// through a weak reference (an address freed and given to other results
/// does not match); a page with errors, or without results, is not kept.
fn content(
    chrome: &Chrome,
    state: &AppState,
    p: &Params,
    request: &search::Request,
    errors: &FormErrors,
    outcome: &Outcome,
) -> (Arc<str>, PreEscaped<Arc<str>>) {
    let Outcome::Found(results) = outcome else {
        return render_content(chrome, state, p, request, errors, outcome);
    };
    if !errors.is_empty() {
        return render_content(chrome, state, p, request, errors, outcome);
    }
    let key = ContentKey {
        hits: Arc::as_ptr(&results.hits) as *const Hit as usize,
        facets: Arc::as_ptr(&results.facets) as usize,
        lang: chrome.lang,
        params: p.form_key(),
    };
    if let Some(kept) = CONTENTS.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        let same_hits = kept.hits.upgrade().is_some_and(|h| Arc::ptr_eq(&h, &results.hits));
        let same_facets = kept.facets.upgrade().is_some_and(|f| Arc::ptr_eq(&f, &results.facets));
        if same_hits && same_facets {
            return (kept.title.clone(), PreEscaped(kept.html.clone()));
        }
    }
    let (title, html) = render_content(chrome, state, p, request, errors, outcome);
    let mut contents = CONTENTS.lock().unwrap_or_else(|e| e.into_inner());
    if contents.len() >= CONTENTS_KEPT {
        // Pages of searches asked before: start again (each is rendered
        // again at its next asking).
        contents.clear();
    }
    let kept = Kept {
        hits: Arc::downgrade(&results.hits),
        facets: Arc::downgrade(&results.facets),
        title: title.clone(),
        html: html.0.clone(),
    };
    contents.insert(key, kept);
    (title, html)
}

/// A page as asked: the results and counts it shows, the language, and the
/// fields as typed ([`Params::form_key`], the page number included).
#[derive(PartialEq, Eq, Hash)]
struct ContentKey {
    hits: usize,
    facets: usize,
    lang: Lang,
    params: String,
}

struct Kept {
    hits: Weak<[Hit]>,
    facets: Weak<search::Facets>,
    title: Arc<str>,
    html: Arc<str>,
}

/// Pages kept: as many as the index keeps answers, about 12 KiB each
/// (the form, twenty results; 3 MiB at most).
const CONTENTS_KEPT: usize = 256;

static CONTENTS: LazyLock<Mutex<HashMap<ContentKey, Kept>>> = LazyLock::new(Mutex::default);

/// [`content`], rendered.
fn render_content(
    chrome: &Chrome,
    state: &AppState,
    p: &Params,
    request: &search::Request,
    errors: &FormErrors,
    outcome: &Outcome,
) -> (Arc<str>, PreEscaped<Arc<str>>) {
    let title = match outcome {
        Outcome::Found(r) if !p.q.trim().is_empty() => {
            chrome.lang.ta("search-page-title-for", &[("q", Arg::from(p.q.trim())), ("count", Arg::from(r.total))])
        }
        Outcome::Found(r) => chrome.lang.ta("search-page-title-count", &[("count", Arg::from(r.total))]),
        _ => chrome.t("search-title"),
    };
    let empty = Results::default();
    let results = match outcome {
        Outcome::Found(r) => r,
        _ => &empty,
    };
    let html = html! {
        h1 { (chrome.t("search-title")) }
        p.lead { (chrome.t("search-lead")) }
        (form(chrome, state, p, errors, results, matches!(outcome, Outcome::Found(_))))
        @match outcome {
            Outcome::Empty => {},
            Outcome::NotReady(progress) => {
                div.panel role="status" {
                    h2 { (chrome.t("search-rebuilding-title")) }
                    @match progress {
                        Some(percent) => p { (chrome.lang.ta("search-rebuilding-text", &[("percent", Arg::from(*percent))])) },
                        None => p { (chrome.t("search-starting-text")) },
                    }
                }
            },
            Outcome::Found(results) => (found(chrome, p, request, results)),
        }
    };
    (title.into(), PreEscaped(html.into_string().into()))
}

/// The search form: the words, then the filters with their counts.
fn form(
    chrome: &Chrome,
    state: &AppState,
    p: &Params,
    errors: &FormErrors,
    results: &Results,
    counted: bool,
) -> Markup {
    let with_count = |label: String, count: Option<u64>| match count {
        Some(n) if counted => {
            chrome.lang.ta("search-option-count", &[("label", Arg::from(label)), ("count", Arg::from(n))])
        }
        _ => label,
    };
    let facets = &results.facets;
    let count_in = |list: &[(String, u64)], value: &str| list.iter().find(|(v, _)| v == value).map_or(0, |(_, n)| *n);
    let mut kinds = vec![(String::new(), chrome.t("search-type-all"))];
    // The kinds the site publishes, and the one asked for if it is another.
    let asked = ContentKind::from_code(p.kind.trim()).filter(|k| !PUBLISHED.contains(k));
    kinds.extend(
        PUBLISHED
            .iter()
            .chain(asked.iter())
            .map(|k| (k.code().to_string(), with_count(chrome.t(&kind_key(*k, true)), Some(facets.kind(k.code()))))),
    );
    let mut statuses = vec![(String::new(), chrome.t("search-status-all"))];
    let mut status_codes: Vec<&str> = facets.statuses.iter().map(|(s, _)| s.as_str()).collect();
    if !p.statut.trim().is_empty() && !status_codes.contains(&p.statut.trim()) {
        status_codes.push(p.statut.trim());
    }
    statuses.extend(
        status_codes
            .iter()
            .map(|s| (s.to_string(), with_count(status_name(chrome.lang, s), Some(count_in(&facets.statuses, s))))),
    );
    let mut places = vec![(String::new(), chrome.t("search-neighbourhood-all"))];
    let mut names: Vec<String> = state.config.commune.neighbourhoods.clone();
    for (n, _) in &facets.neighbourhoods {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    places.extend(names.iter().map(|n| (n.clone(), with_count(n.clone(), Some(count_in(&facets.neighbourhoods, n))))));
    html! {
        form.search-form method="get" action="/recherche" role="search" aria-label=(chrome.t("search-form-label")) novalidate {
            div.form-group {
                label for="q" { (chrome.t("search-words")) }
                div.hint id="q-hint" { (chrome.t("search-words-hint")) }
                input id="q" name="q" type="search" value=(p.q) aria-describedby="q-hint" autocomplete="off" maxlength="200";
            }
            fieldset.filters {
                legend { (chrome.t("search-refine")) }
                (select_field("type", &chrome.t("search-type"), &kinds, p.kind.trim()))
                (select_field("statut", &chrome.t("search-status"), &statuses, p.statut.trim()))
                @if places.len() > 1 {
                    (select_field("quartier", &chrome.t("search-neighbourhood"), &places, p.quartier.trim()))
                }
                (date_field(chrome, errors, "depuis", &chrome.t("search-since"), &p.depuis))
                (date_field(chrome, errors, "jusqu", &chrome.t("search-until"), &p.jusqu))
            }
            (submit(&chrome.t("search-submit")))
            @if !p.q.trim().is_empty() || p.has_filters() {
                " "
                a href="/recherche" { (chrome.t("search-clear")) }
            }
        }
    }
}

fn select_field(name: &str, label: &str, options: &[(String, String)], selected: &str) -> Markup {
    html! {
        div.form-group {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

fn date_field(chrome: &Chrome, errors: &FormErrors, name: &str, label: &str, value: &str) -> Markup {
    let error = errors.get(name);
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(name) { (label) }
            @if let Some(e) = error {
                p.error-message id={ (name) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input id=(name) name=(name) type="date" value=(value)
                class=[error.map(|_| "input-error")]
                aria-describedby=[error.map(|_| format!("{name}-error"))]
                aria-invalid=[error.map(|_| "true")];
        }
    }
}

/// The results heading, the list or the "no results" advice, and the pages.
fn found(chrome: &Chrome, p: &Params, request: &search::Request, results: &Results) -> Markup {
    let q = p.q.trim();
    let heading = if q.is_empty() {
        chrome.lang.ta("search-results", &[("count", Arg::from(results.total))])
    } else {
        chrome.lang.ta("search-results-for", &[("count", Arg::from(results.total)), ("q", Arg::from(q))])
    };
    let current = request.offset / PER_PAGE + 1;
    let last_page = (results.total as usize).div_ceil(PER_PAGE).clamp(1, search::query::MAX_OFFSET / PER_PAGE + 1);
    html! {
        section aria-labelledby="search-results-title" {
            h2 #search-results-title { (heading) }
            @if results.hits.is_empty() {
                @if results.no_words {
                    p { (chrome.t("search-only-common-words")) }
                }
                p { (chrome.t("search-suggestions")) }
                ul {
                    li { (chrome.t("search-suggest-spelling")) }
                    li { (chrome.t("search-suggest-fewer")) }
                    @if p.has_filters() {
                        li {
                            (chrome.t("search-suggest-filters")) " "
                            a href=(link_of(&[("q", q)])) { (chrome.t("search-without-filters")) }
                        }
                    }
                }
            } @else {
                (results_list(chrome.lang, &results.hits, request.offset + 1))
            }
            @if last_page > 1 {
                nav.pagination aria-label=(chrome.t("search-pagination")) {
                    @if current > 1 {
                        a href=(p.link(current - 1)) rel="prev" { (chrome.t("search-previous")) }
                    }
                    span { (chrome.lang.ta("search-page-of", &[("page", Arg::from(current as u64)), ("pages", Arg::from(last_page as u64))])) }
                    @if current < last_page {
                        a href=(p.link(current + 1)) rel="next" { (chrome.t("search-next")) }
                    }
                }
            }
        }
    }
}

/// The list of results, kept once rendered per language for the results
/// it shows: a search asked again is handed the very `Arc<[Hit]>` the
/// index's kept answer holds (until the change log moves, see
/// `search::query`), so its list is the same HTML, and escaping twenty
/// titles and snippets again was a tenth of its time. Keyed by the
/// results' allocation, checked through a weak reference (an address freed
/// and given to other results does not match), the language and the
/// list's first number.
fn results_list(lang: Lang, hits: &Arc<[Hit]>, start: usize) -> PreEscaped<Arc<str>> {
    let key = (Arc::as_ptr(hits) as *const Hit as usize, lang, start);
    if let Some((kept, html)) = LISTS.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        if kept.upgrade().is_some_and(|h| Arc::ptr_eq(&h, hits)) {
            return PreEscaped(html.clone());
        }
    }
    let html: Arc<str> = html! {
        ol.search-results start=(start) {
            @for hit in hits.iter() {
                @let (iso, shown) = day(hit.doc.created_at);
                li.search-result {
                    h3 { a href=(hit.doc.url) { (marked(&hit.title)) } }
                    p.search-meta {
                        span.badge { (lang.t(&kind_key(hit.doc.kind, false))) }
                        " "
                        time datetime=(iso) { (shown) }
                        @if let Some(status) = &hit.doc.status {
                            " · " span class={ "badge badge-" (status) } { (status_name(lang, status)) }
                        }
                        @if let Some(n) = &hit.doc.neighbourhood {
                            " · " (n)
                        }
                    }
                    @if !hit.snippet.text.is_empty() {
                        p.search-snippet { (marked(&hit.snippet)) }
                    }
                }
            }
        }
    }
    .into_string()
    .into();
    let mut lists = LISTS.lock().unwrap_or_else(|e| e.into_inner());
    if lists.len() >= LISTS_KEPT {
        // Whole lists of searches asked before: start again (a list is
        // rendered again at its next asking).
        lists.clear();
    }
    lists.insert(key, (Arc::downgrade(hits), html.clone()));
    PreEscaped(html)
}

/// Rendered lists kept: as many as the index keeps answers, twenty results
/// each (about 2 MiB at most).
const LISTS_KEPT: usize = 256;

type Lists = HashMap<(usize, Lang, usize), (Weak<[Hit]>, Arc<str>)>;
static LISTS: LazyLock<Mutex<Lists>> = LazyLock::new(Mutex::default);

/// A highlighted text: the matched words in `<mark>`, everything escaped.
fn marked(text: &Highlighted) -> Markup {
    html! {
        @for (piece, hit) in text.pieces() {
            @if hit { mark { (piece) } } @else { (piece) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_kind_has_a_name_in_both_languages() {
        for lang in Lang::ALL {
            for kind in ContentKind::ALL {
                for plural in [false, true] {
                    assert!(
                        lang.try_t(&kind_key(kind, plural)).is_some(),
                        "{}: {}",
                        lang.code(),
                        kind_key(kind, plural)
                    );
                }
            }
        }
    }

    #[test]
    fn a_results_list_is_kept_for_the_very_results_it_shows() {
        let hit = |title: &str| Hit {
            doc: search::Document {
                kind: ContentKind::Proposal,
                id: 1,
                title: title.into(),
                body: String::new(),
                status: Some("accepted".into()),
                neighbourhood: None,
                created_at: 1_700_000_000,
                url: "/propositions/1".into(),
            },
            title: Highlighted { text: title.into(), marks: vec![] },
            snippet: Highlighted::default(),
        };
        let hits: Arc<[Hit]> = vec![hit("Des <bancs>")].into();
        let first = results_list(Lang::Fr, &hits, 1).0;
        assert!(first.contains("Des &lt;bancs&gt;") && first.contains("badge-accepted"), "{first}");
        assert!(Arc::ptr_eq(&first, &results_list(Lang::Fr, &hits.clone(), 1).0), "the same results: kept");
        // Results loaded again (the change log moved) are other results,
        // even with an equal address once the first are gone.
        drop(hits);
        let again: Arc<[Hit]> = vec![hit("Des arbres")].into();
        let list = results_list(Lang::Fr, &again, 1).0;
        assert!(list.contains("Des arbres") && !list.contains("bancs"), "{list}");
        assert!(results_list(Lang::Fr, &again, 21).0.contains("start=\"21\""));
        assert_ne!(results_list(Lang::En, &again, 1).0, list, "each language its own list");
    }

    #[test]
    fn highlighted_text_is_escaped_around_the_marks() {
        let text =
            Highlighted { text: "<b>école</b> & parc".into(), marks: vec![std::ops::Range { start: 3, end: 9 }] };
        assert_eq!(marked(&text).into_string(), "&lt;b&gt;<mark>école</mark>&lt;/b&gt; &amp; parc");
    }

    #[test]
    fn links_keep_the_search_and_drop_empty_fields() {
        let p = Params { q: "piste cyclable".into(), kind: "proposal".into(), ..Params::default() };
        assert_eq!(p.link(1), "/recherche?q=piste+cyclable&type=proposal");
        assert_eq!(p.link(3), "/recherche?q=piste+cyclable&type=proposal&page=3");
        assert_eq!(Params::default().link(1), "/recherche");
    }
}
