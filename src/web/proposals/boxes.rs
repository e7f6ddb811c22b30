//! `/idees`: the idea boxes, one box with its proposals (sorted, filtered,
//! paginated), and the form to post a proposal.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

use maud::{html, Markup, PreEscaped};
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{date, status_badge};
use crate::app::AppState;
use crate::domain::changes::Target;
use crate::domain::groups;
use crate::domain::ids::AccountId;
use crate::domain::ids::BoxId;
use crate::domain::now_unix;
use crate::domain::proposals::{self, Filter, IdeaBox, NewProposal, Page, ProposalError, Sort, Status};
use crate::i18n::{Arg, Lang};
use crate::ratelimit::Quota;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::escape::Text;
use crate::web::layout::{page, page_with_errors, page_with_head};
use crate::web::middleware::BodyTooLarge;
use crate::web::uploads::PhotoRefused;

/// Proposals on one page of a list.
pub const PER_PAGE: usize = 20;

/// `GET /idees`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let mut boxes = Vec::new();
    for b in proposals::boxes(&tx)? {
        if groups::may_see(&*tx, crate::web::groups::viewer(&chrome), groups::Process::IdeaBox(b.id))? {
            boxes.push(b);
        }
    }
    drop(tx);
    let now = now_unix();
    let title = chrome.t("boxes-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("boxes-lead")) }
            @if boxes.is_empty() { p { (chrome.t("boxes-none")) } }
            ul.cards {
                @for b in &boxes {
                    li.card {
                        h2 { a href={ "/idees/" (b.id) } { (b.title) } }
                        p { (box_dates(&chrome, b, now)) }
                    }
                }
            }
            p { a href="/ce-que-nous-avons-fait" { (chrome.t("accountability-title")) } }
        },
    ))
}

fn box_dates(chrome: &Chrome, b: &IdeaBox, now: i64) -> String {
    let (from, to) = (Arg::from(date(b.opens_at)), Arg::from(date(b.closes_at)));
    if now < b.opens_at {
        chrome.lang.ta("box-upcoming", &[("from", from)])
    } else if b.closes_at >= crate::domain::improve::NEVER_CLOSES {
        // « Améliorer ce site » (`domain::improve`): no closing date to give.
        chrome.t("box-always-open")
    } else if b.is_open(now) {
        chrome.lang.ta("box-open", &[("to", to)])
    } else {
        chrome.lang.ta("box-closed", &[("to", to)])
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    tri: String,
    #[serde(default)]
    categorie: String,
    #[serde(default)]
    quartier: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    page: usize,
}

impl ListQuery {
    fn link(&self, page: usize) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in
            [("tri", &self.tri), ("categorie", &self.categorie), ("quartier", &self.quartier), ("statut", &self.statut)]
        {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        if page > 0 {
            q.append_pair("page", &page.to_string());
        }
        format!("?{}", q.finish())
    }
}

/// The seed of a visitor's shuffle: stable for a browser (from its form
/// token), different between browsers. The token is already an HMAC's
/// output in hex, as evenly spread as a hash of it would be: its first 64
/// bits are the seed (hashing it again cost a SHA-256 per listing).
fn seed(token: &str) -> u64 {
    token.get(..16).and_then(|hex| u64::from_str_radix(hex, 16).ok()).unwrap_or(0)
}

/// Whether the moderators hid a proposal.
pub fn hidden(tx: &crate::store::ReadTx, p: &proposals::Proposal) -> bool {
    // When the moderation state cannot be read, the proposal is left out:
    // showing hidden content on a storage error is the worse mistake.
    crate::domain::moderation::is_hidden(tx, Target::new(crate::domain::changes::ContentKind::Proposal, p.id.get()))
        .unwrap_or(true)
}

/// `GET /idees/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let b = proposals::get_box(&tx, BoxId(id))?.ok_or(AppError::NotFound)?;
    crate::web::groups::check(&chrome, &*tx, groups::Process::IdeaBox(b.id))?;
    let mut q = q;
    q.page = q.page.min(proposals::MAX_PAGE);
    let sort = match q.tri.as_str() {
        "recentes" => Sort::Recent,
        "soutenues" => Sort::MostSupported,
        _ => Sort::Random(seed(&chrome.csrf_token)),
    };
    let filter = Filter {
        category: Some(q.categorie.clone()).filter(|c| !c.is_empty()),
        neighbourhood: Some(q.quartier.clone()).filter(|n| !n.is_empty()),
        status: Status::from_code(&q.statut),
        viewer: chrome.viewer.as_ref().map(|v| v.account.id),
    };
    let (items, more) =
        proposals::list(&tx, &state.box_lists, BoxId(id), sort, &filter, Page { number: q.page, size: PER_PAGE })?;
    let now = now_unix();
    let config = chrome.config();
    let lang = chrome.lang;
    let sorts = [("hasard", "sort-random"), ("recentes", "sort-recent"), ("soutenues", "sort-supported")];
    let current_sort = if ["recentes", "soutenues"].contains(&q.tri.as_str()) { q.tri.as_str() } else { "hasard" };
    let mut categories = vec![(String::new(), chrome.t("filter-all"))];
    categories.extend(b.categories.iter().map(|c| (c.clone(), c.clone())));
    let mut quartiers = vec![(String::new(), chrome.t("filter-all"))];
    quartiers.extend(config.commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let mut statuses = vec![(String::new(), chrome.t("filter-all"))];
    statuses.extend(Status::ALL.iter().map(|s| (s.code().to_string(), chrome.t(&format!("status-{}", s.code())))));
    let no_errors = FormErrors::default();
    let feed = crate::web::feeds::box_feed_path(b.id);
    // A box private to a pilot group has no feed (feed readers have no
    // session) and is not for sharing: no feed or share links on its page.
    let public = groups::is_public(&*tx, groups::Process::IdeaBox(b.id))?;
    Ok(page_with_head(
        &chrome,
        &b.title,
        html! {
            (crate::web::og::tags(&chrome, crate::web::og::Share { title: &b.title, description: &b.description }))
            @if public { (crate::web::atom::alternate(&chrome.t("feed-box-link"), &feed)) }
        },
        html! {
            h1 { (b.title) }
            p.lead { (box_dates(&chrome, &b, now)) }
            div.prose { (crate::markdown::render(&b.description)) }
            @if b.threshold > 0 { p { (lang.ta("box-threshold", &[("count", Arg::from(b.threshold))])) } }
            @if b.is_open(now) {
                p { a.button href={ "/idees/" (b.id) "/proposer" } { (chrome.t("box-propose")) } }
            }
            p { a href={ "/idees/" (b.id) "/carte" } { (chrome.t("map-link")) } }
            @if public {
                p { a href=(feed) { (chrome.t("feed-box-link")) } }
                (crate::web::share::links(&chrome, &b.title, &format!("/idees/{}", b.id)))
            }
            (crate::web::launch::box_section(&chrome, b.id)?)
            section aria-labelledby="liste" {
                h2 #liste { (chrome.t("box-proposals")) }
                nav.sorts aria-label=(chrome.t("sort-label")) {
                    ul {
                        @for (code, key) in sorts {
                            @let link = ListQuery { tri: code.to_string(), categorie: q.categorie.clone(), quartier: q.quartier.clone(), statut: q.statut.clone(), page: 0 }.link(0);
                            li {
                                @if code == current_sort { a href=(link) aria-current="true" { (chrome.t(key)) } }
                                @else { a href=(link) { (chrome.t(key)) } }
                            }
                        }
                    }
                }
                form.filters method="get" action={ "/idees/" (b.id) } {
                    input type="hidden" name="tri" value=(q.tri);
                    @if !b.categories.is_empty() {
                        (select(&chrome, &no_errors, "categorie", &chrome.t("field-category"), None, &categories, &q.categorie))
                    }
                    @if !config.commune.neighbourhoods.is_empty() {
                        (select(&chrome, &no_errors, "quartier", &chrome.t("field-neighbourhood-place"), None, &quartiers, &q.quartier))
                    }
                    (select(&chrome, &no_errors, "statut", &chrome.t("field-status"), None, &statuses, &q.statut))
                    button.button.button-secondary type="submit" { (chrome.t("filter-apply")) }
                }
                @if items.is_empty() { p { (chrome.t("box-no-proposals")) } }
                ol.proposal-list {
                    @for p in &items { (card(chrome.lang, p)) }
                }
                nav.pagination aria-label=(chrome.t("pagination-label")) {
                    @if q.page > 0 { a href=(q.link(q.page - 1)) rel="prev" { (chrome.t("pagination-previous")) } " " }
                    @if more && q.page < proposals::MAX_PAGE { a href=(q.link(q.page + 1)) rel="next" { (chrome.t("pagination-next")) } }
                }
            }
        },
    ))
}

/// A proposal's card in a list: a function of the language and of the
/// proposal's summary alone, so it is kept once rendered, keyed by both
/// (the summary compared whole): a support, an answer or an edit makes
/// another summary, and the card is rendered anew on the next request.
fn card(lang: Lang, p: &proposals::Summary) -> PreEscaped<Arc<str>> {
    let key = (lang, p.id);
    if let Some((summary, html)) = CARDS.lock().unwrap_or_else(|e| e.into_inner()).cards.get(&key) {
        if summary == p {
            return PreEscaped(html.clone());
        }
    }
    let html: Arc<str> = html! {
        li.card {
            h3 { a href={ "/propositions/" (p.id) } { (Text(&p.title)) } }
            p.meta {
                (status_badge(lang, p.status)) " "
                (lang.count("proposal-supports", p.supports))
                @if let Some(n) = &p.neighbourhood { " · " (Text(n)) }
                @if let Some(c) = &p.category { " · " (Text(c)) }
                @if p.held { " · " strong { (lang.t("proposal-held")) } }
            }
        }
    }
    .into_string()
    .into();
    CARDS.lock().unwrap_or_else(|e| e.into_inner()).keep(key, p, &html, CARDS_BYTES);
    PreEscaped(html)
}

impl Cards {
    /// Keeps `html` as the card of `key` for the summary `p`, within `limit`
    /// bytes. Full, the cache keeps what it holds and takes no new card
    /// (only a newer version of a card it has). Emptying it when full, as it
    /// did, made a shuffled listing of a big box (100,000 proposals, twenty
    /// random cards per request, ten thousand kept) empty and refill it many
    /// times a second: each miss then paid for a copy of its summary, an
    /// insert and, soon, a drop, for a card nobody would ask for again.
    fn keep(&mut self, key: (Lang, proposals::ProposalId), p: &proposals::Summary, html: &Arc<str>, limit: usize) {
        let size = card_bytes(p, html);
        if self.bytes + size > limit && !self.cards.contains_key(&key) {
            return;
        }
        self.bytes += size;
        if let Some((old, old_html)) = self.cards.insert(key, (p.clone(), html.clone())) {
            self.bytes = self.bytes.saturating_sub(card_bytes(&old, &old_html));
        }
    }
}

/// About what a kept card takes: its HTML, its summary's texts, the rest.
fn card_bytes(p: &proposals::Summary, html: &str) -> usize {
    let texts = [Some(&p.title), p.category.as_ref(), p.neighbourhood.as_ref()];
    html.len() + texts.iter().flatten().map(|t| t.len()).sum::<usize>() + 128
}

/// The cards kept, and about how many bytes they hold.
#[derive(Default)]
struct Cards {
    cards: HashMap<(Lang, proposals::ProposalId), (proposals::Summary, Arc<str>)>,
    bytes: usize,
}

/// The most bytes of cards kept (about 10,000 cards): past it, the cards
/// kept stay and new ones are rendered each time (see `card`).
const CARDS_BYTES: usize = 4 * 1024 * 1024;

static CARDS: LazyLock<Mutex<Cards>> = LazyLock::new(Mutex::default);

#[derive(Deserialize, Default, Clone)]
pub struct ProposalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
    /// A photo already received with an earlier, refused submission.
    #[serde(default)]
    photo_file: String,
    #[serde(default)]
    photo_alt: String,
    /// The "similar proposals" button: show them, post nothing.
    #[serde(default)]
    verifier: String,
}

/// The most fields a proposal form has (its own nine, the token, the
/// "similar" button, and room for a browser's additions).
const MAX_FIELDS: usize = 16;
/// The most bytes a text field may have: the body's 10,000 characters of up
/// to 4 bytes each fit; every other field is a line.
const MAX_BODY_BYTES: u64 = 64 * 1024;
const MAX_LINE_BYTES: u64 = 4 * 1024;

/// Reads the multipart form (see `web::multipart`): its texts each up to
/// their limit, and one photo.
async fn read_form(
    multipart: poem::web::Multipart,
    too_large: Option<BodyTooLarge>,
) -> Result<(ProposalForm, Option<Vec<u8>>), AppError> {
    let limit = |name: &str| match name {
        "body" => Some(MAX_BODY_BYTES),
        "title" | "category" | "neighbourhood" | "latitude" | "longitude" | "photo_file" | "photo_alt" | "verifier" => {
            Some(MAX_LINE_BYTES)
        }
        _ => None,
    };
    let mut parts = crate::web::multipart::read(multipart, too_large, MAX_FIELDS, 1, limit).await?;
    let form = ProposalForm {
        title: parts.take("title"),
        body: parts.take("body"),
        category: parts.take("category"),
        neighbourhood: parts.take("neighbourhood"),
        latitude: parts.take("latitude"),
        longitude: parts.take("longitude"),
        photo_file: parts.take("photo_file"),
        photo_alt: parts.take("photo_alt"),
        verifier: parts.take("verifier"),
    };
    Ok((form, parts.photos.pop()))
}

/// `GET /fichiers/:name`: a stored photo (re-encoded, named by its content),
/// while a proposal that shows it may be seen. A photo of a held proposal
/// reaches only its author (and whoever uploaded it, before the form is
/// posted) and the moderators, never cached by anyone else; a photo of a
/// hidden proposal only the moderators.
#[poem::handler]
pub async fn file(
    state: Data<&Arc<AppState>>,
    req: &poem::Request,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    if !crate::photos::valid_name(&name) {
        return Err(AppError::NotFound);
    }
    let viewers = proposals::photo_viewers(&state.store.read()?, &name)?;
    let viewer = req.extensions().get::<crate::web::auth::Viewer>();
    let moderator = viewer.is_some_and(|v| v.account.role >= crate::domain::accounts::Role::Moderator);
    let allowed = viewers.everyone || moderator || viewer.is_some_and(|v| viewers.accounts.contains(&v.account.id));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let path = crate::photos::dir(&state.config.data_dir).join(&name);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        // A photo that is there but cannot be read is the server's fault: logged.
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    let mut resp = Response::builder().content_type("image/jpeg").body(bytes);
    // Public when everyone may see it (the name changes with the
    // content, and the cache lasts an hour); otherwise never kept, so that a proposal hidden later is not
    // still served from a cache.
    // An hour, not a year: a photo whose proposal is hidden later must
    // leave shared caches soon.
    let cache = if viewers.everyone { "public, max-age=3600" } else { "no-store" };
    resp.headers_mut().insert(poem::http::header::CACHE_CONTROL, poem::http::HeaderValue::from_static(cache));
    Ok(resp)
}

/// `GET /idees/:id/carte`: the located proposals on a map, and in a list.
#[poem::handler]
pub async fn map(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let b = proposals::get_box(&tx, BoxId(id))?.ok_or(AppError::NotFound)?;
    crate::web::groups::check(&chrome, &*tx, groups::Process::IdeaBox(b.id))?;
    let states = crate::domain::moderation::States::open(&tx)?;
    let points = proposals::located(&tx, BoxId(id), 500, |p| states.hidden_or_unreadable(p.target()))?;
    let config = chrome.config();
    let title = chrome.lang.ta("map-title", &[("box", Arg::from(b.title.as_str()))]);
    Ok(page(
        &chrome,
        &title,
        html! {
            (crate::web::tiles::leaflet())
            script src=(crate::web::assets::url("js/map.js")) defer {}
            p.breadcrumb { a href={ "/idees/" (b.id) } { (b.title) } }
            h1 { (title) }
            p { (chrome.t("map-lead")) }
            div #map.map role="region" aria-label=(chrome.t("map-label"))
                data-lat=(config.map.center_lat) data-lon=(config.map.center_lon) data-zoom=(config.map.zoom)
                data-tiles=[crate::web::tiles::template(&state)] data-attribution=(config.map.attribution) {}
            h2 { (chrome.t("map-list")) }
            @if points.is_empty() { p { (chrome.t("map-none")) } }
            ul.map-points {
                @for p in &points {
                    @if let Some((lat, lon)) = p.location {
                        li data-point-lat=(lat) data-point-lon=(lon) {
                            a href={ "/propositions/" (p.id) } { (p.title) }
                            " — " (format!("{lat:.5}, {lon:.5}"))
                            @if let Some(n) = &p.neighbourhood { " · " (n) }
                        }
                    }
                }
            }
        },
    ))
}

/// Existing proposals that look like `title`, to avoid duplicates.
fn similar(state: &AppState, title: &str) -> Vec<crate::search::query::Hit> {
    if title.trim().chars().count() < 4 {
        return Vec::new();
    }
    let Ok(tx) = state.store.read() else { return Vec::new() };
    state.search.similar(title, Some(crate::domain::changes::ContentKind::Proposal), 5, &tx).unwrap_or_default()
}

fn similar_list(chrome: &Chrome, hits: &[crate::search::query::Hit]) -> Markup {
    html! {
        @if !hits.is_empty() {
            div.similar {
                p { strong { (chrome.t("propose-similar")) } }
                ul {
                    @for h in hits { li { a href=(h.doc.url) target="_blank" rel="noopener" { (h.doc.title) } } }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    titre: String,
}

/// `GET /propositions/semblables?titre=…`: the list as an HTML fragment, for
/// the form's script.
#[poem::handler]
pub async fn similar_fragment(chrome: Chrome, state: Data<&Arc<AppState>>, Query(q): Query<SimilarQuery>) -> Markup {
    similar_list(&chrome, &similar(&state, &q.titre))
}

/// The longest title and text accepted.
const MAX_TITLE: usize = 150;
const MAX_BODY: usize = 10_000;

fn form_page(
    chrome: &Chrome,
    b: &IdeaBox,
    form: &ProposalForm,
    errors: &FormErrors,
    similar: &[crate::search::query::Hit],
) -> Markup {
    let config = chrome.config();
    let title = chrome.lang.ta("propose-title", &[("box", Arg::from(b.title.as_str()))]);
    let mut categories = vec![(String::new(), chrome.t("form-none"))];
    categories.extend(b.categories.iter().map(|c| (c.clone(), c.clone())));
    let mut quartiers = vec![(String::new(), chrome.t("form-none"))];
    quartiers.extend(config.commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p { (chrome.t("propose-lead")) }
            (crate::web::comments::charter_link(chrome))
            form method="post" enctype="multipart/form-data" novalidate
                action={ "/idees/" (b.id) "/proposer" } {
                // First: the CSRF middleware reads only the first field.
                (csrf_field(chrome))
                (Input::new("title", chrome.t("field-proposal-title"), &form.title).hint(chrome.t("field-proposal-title-hint")).render(chrome, errors))
                // Filled by the script while the title is typed; without it,
                // the button below asks the server.
                div #similar aria-live="polite" data-similar-url="/propositions/semblables" { (similar_list(chrome, similar)) }
                button.button.button-secondary.similar-check type="submit" formnovalidate name="verifier" value="1" {
                    (chrome.t("propose-check-similar"))
                }
                div class=(if errors.get("body").is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="body" { (chrome.t("field-proposal-body")) }
                    div.hint #body-hint { (chrome.t("field-proposal-body-hint")) }
                    @if let Some(e) = errors.get("body") { p.error-message #body-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) } }
                    textarea #body name="body" rows="10" aria-describedby="body-hint" { (form.body) }
                }
                @if !b.categories.is_empty() {
                    (select(chrome, errors, "category", &chrome.t("field-category"), None, &categories, &form.category))
                }
                @if !config.commune.neighbourhoods.is_empty() {
                    (select(chrome, errors, "neighbourhood", &chrome.t("field-neighbourhood-place"), None, &quartiers, &form.neighbourhood))
                }
                fieldset.form-group {
                    legend { (chrome.t("field-photo")) }
                    @if crate::photos::valid_name(&form.photo_file) {
                        input type="hidden" name="photo_file" value=(form.photo_file);
                        p { (chrome.t("field-photo-kept")) }
                        img.photo-preview src={ "/fichiers/" (form.photo_file) } alt="";
                    } @else {
                        div class=(if errors.get("photo").is_some() { "form-group form-group-error" } else { "form-group" }) {
                            label for="photo" { (chrome.t("field-photo-file")) }
                            div.hint #photo-hint { (chrome.t("field-photo-hint")) }
                            @if let Some(e) = errors.get("photo") { p.error-message #photo-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) } }
                            input #photo type="file" name="photo" accept="image/jpeg,image/png,image/webp" aria-describedby="photo-hint";
                        }
                    }
                    (Input::new("photo_alt", chrome.t("field-photo-alt"), &form.photo_alt).optional().hint(chrome.t("field-photo-alt-hint")).render(chrome, errors))
                }
                fieldset.form-group {
                    legend { (chrome.t("field-location")) }
                    div.hint { (chrome.t("field-location-hint")) }
                    (Input::new("latitude", chrome.t("field-latitude"), &form.latitude).optional().render(chrome, errors))
                    (Input::new("longitude", chrome.t("field-longitude"), &form.longitude).optional().render(chrome, errors))
                }
                (submit(&chrome.t("propose-submit")))
            }
        },
    )
}

/// `GET /idees/:id/proposer`.
#[poem::handler]
pub async fn new_form(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _who: SignedIn,
    Path(id): Path<u64>,
    Query(q): Query<ProposalForm>,
) -> Result<Response, AppError> {
    let b = proposals::get_box(&state.store.read()?, BoxId(id))?.ok_or(AppError::NotFound)?;
    crate::web::groups::check(&chrome, &*state.store.read()?, groups::Process::IdeaBox(b.id))?;
    if !b.is_open(now_unix()) {
        return Ok(crate::web::account::redirect_with(
            &state,
            &format!("/idees/{id}"),
            Flash::info("flash-box-closed"),
        ));
    }
    // A title given in the address (a link from elsewhere) is kept.
    let form = q;
    let hits = similar(&state, &form.title);
    Ok(form_page(&chrome, &b, &form, &FormErrors::default(), &hits).into_response())
}

fn parse_location(form: &ProposalForm, chrome: &Chrome, errors: &mut FormErrors) -> Option<(f64, f64)> {
    if form.latitude.trim().is_empty() && form.longitude.trim().is_empty() {
        return None;
    }
    let lat = form.latitude.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v));
    let lon = form.longitude.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-180.0..=180.0).contains(v));
    match (lat, lon) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, _) => {
            errors.add("latitude", chrome.t("error-latitude"));
            None
        }
        (_, None) => {
            errors.add("longitude", chrome.t("error-longitude"));
            None
        }
    }
}

/// Records `name` as `account`'s upload, and forgets the uploads never
/// posted within [`proposals::UPLOAD_KEPT_SECS`], deleting their files once
/// that has committed: a photo left by a refused form does not stay forever.
async fn keep_upload(state: &AppState, name: String, account: AccountId) -> Result<(), AppError> {
    let unused = state.store.write(move |tx| proposals::keep_upload(tx, &name, account, now_unix())).await?;
    crate::photos::remove_forgotten(&state.config.data_dir, &unused);
    Ok(())
}

/// `POST /idees/:id/proposer`.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    let b = proposals::get_box(&state.store.read()?, BoxId(id))?.ok_or(AppError::NotFound)?;
    crate::web::groups::check(&chrome, &*state.store.read()?, groups::Process::IdeaBox(b.id))?;
    let (mut form, upload) = read_form(multipart, req.extensions().get::<BodyTooLarge>().cloned()).await?;
    // Without the script, the "similar proposals" button posts the form
    // here (a GET would put the form's token in the address, and so in logs
    // and Referer headers): the form comes back as typed, with the list.
    if !form.verifier.is_empty() {
        form.verifier.clear();
        let hits = similar(&state, &form.title);
        return Ok(form_page(&chrome, &b, &form, &FormErrors::default(), &hits).into_response());
    }
    let lang = chrome.lang;
    let mut errors = FormErrors::default();
    let title_len = form.title.trim().chars().count();
    if !(5..=MAX_TITLE).contains(&title_len) {
        errors.add("title", lang.ta("error-proposal-title", &[("max", Arg::from(MAX_TITLE as u64))]));
    }
    let body_len = form.body.trim().chars().count();
    if !(10..=MAX_BODY).contains(&body_len) {
        errors.add("body", lang.ta("error-proposal-body", &[("max", Arg::from(MAX_BODY as u64))]));
    }
    if !form.category.is_empty() && !b.categories.contains(&form.category) {
        errors.add("category", lang.t("error-choose-from-list"));
    }
    if !form.neighbourhood.is_empty() && !chrome.config().commune.neighbourhoods.contains(&form.neighbourhood) {
        errors.add("neighbourhood", lang.t("error-choose-from-list"));
    }
    // A form that would write something (post, or keep a photo) counts
    // against the account's quota, before the photo costs a decode; one
    // refused for its texts alone costs nothing. Past it, the form comes
    // back with what was typed.
    if upload.is_some() || errors.is_empty() {
        let key = format!("account:{}", viewer.account.id);
        if let Err(wait) = state.limiter.take(Quota::Proposal, &key, Instant::now()) {
            errors
                .add("title", lang.ta("error-proposal-too-many", &[("minutes", Arg::from(wait.secs().div_ceil(60)))]));
            let hits = similar(&state, &form.title);
            return Ok(too_many(form_page(&chrome, &b, &form, &errors, &hits), wait));
        }
    }
    // The photo is re-encoded at once and kept for its uploader, so that a
    // form refused for another reason does not ask for it again; kept a day
    // at most when the form is never sent again (see `forget_uploads`).
    if let Some(bytes) = upload {
        match crate::web::uploads::store_photo(&state, bytes).await? {
            Ok((name, _)) => {
                form.photo_file = name.clone();
                keep_upload(&state, name, viewer.account.id).await?;
            }
            Err(PhotoRefused::TooLarge) => errors.add("photo", lang.t("error-photo-too-large")),
            Err(PhotoRefused::NotAnImage) => errors.add("photo", lang.t("error-photo-format")),
        }
    }
    let own_upload = crate::photos::valid_name(&form.photo_file)
        && proposals::has_uploaded(&state.store.read()?, &form.photo_file, viewer.account.id)?;
    if !form.photo_file.is_empty() && !own_upload {
        // Not a photo this person uploaded (another's, or one already
        // posted or forgotten): they attach theirs again.
        form.photo_file.clear();
        errors.add("photo", lang.t("error-photo-gone"));
    }
    let location = parse_location(&form, &chrome, &mut errors);
    if !errors.is_empty() {
        let hits = similar(&state, &form.title);
        return Ok(refused(form_page(&chrome, &b, &form, &errors, &hits), StatusCode::UNPROCESSABLE_ENTITY));
    }
    let new = NewProposal {
        box_id: BoxId(id),
        author: viewer.account.id,
        title: form.title.clone(),
        body: form.body.clone(),
        category: Some(form.category.clone()).filter(|c| !c.is_empty()),
        neighbourhood: Some(form.neighbourhood.clone()).filter(|n| !n.is_empty()),
        location,
        held: false,
        photo: (!form.photo_file.is_empty()).then(|| proposals::Photo {
            file: form.photo_file.clone(),
            alt: form.photo_alt.trim().chars().take(200).collect(),
        }),
    };
    let held_words = state.held_words.clone();
    let outcome = state
        .store
        .write(move |tx| match proposals::submit(tx, &new, &held_words, now_unix()) {
            Ok(posted) => Ok(Ok(posted)),
            Err(e @ (ProposalError::Store(_) | ProposalError::PhotoNotUploaded)) => Err(AppError::from(e)),
            Err(refusal) => Ok(Err(refusal)),
        })
        .await?;
    match outcome {
        Ok(proposals::Posted { id: pid, held }) => {
            let flash = if held { Flash::info("flash-proposal-held") } else { Flash::success("flash-proposal-posted") };
            Ok(crate::web::account::redirect_with(&state, &format!("/propositions/{pid}"), flash))
        }
        Err(_) => {
            Ok(crate::web::account::redirect_with(&state, &format!("/idees/{id}"), Flash::info("flash-box-closed")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shuffle_seed_is_the_token_s_first_64_bits() {
        let token = crate::web::csrf::token_for(&[7u8; 32], &crate::web::csrf::new_cookie_value(), None);
        let other = crate::web::csrf::token_for(&[7u8; 32], &crate::web::csrf::new_cookie_value(), None);
        assert_eq!(seed(&token), seed(&token), "stable for a browser");
        assert_ne!(seed(&token), seed(&other), "another browser, another order");
        assert_eq!(seed("0123456789abcdef0000"), 0x0123_4567_89ab_cdef);
        assert_eq!(seed(""), 0, "no token (outside the middleware): one order");
    }

    #[test]
    fn a_card_is_kept_for_its_summary_and_rendered_anew_when_it_changes() {
        let p = proposals::Summary {
            id: proposals::ProposalId(987_654),
            box_id: BoxId(1),
            author: AccountId(1),
            title: "Des bancs <sur> la place".into(),
            status: Status::Submitted,
            supports: 0,
            category: None,
            neighbourhood: Some("Les Vignes".into()),
            location: None,
            held: false,
            created_at: 1,
        };
        let first = card(Lang::Fr, &p).0;
        assert!(first.contains("Des bancs &lt;sur&gt; la place") && first.contains("Aucun soutien"), "{first}");
        assert!(Arc::ptr_eq(&first, &card(Lang::Fr, &p).0), "the same summary: the kept card");
        let supported = proposals::Summary { supports: 1, status: Status::UnderStudy, ..p.clone() };
        let again = card(Lang::Fr, &supported).0;
        assert!(again.contains("1 soutien") && again.contains("badge-under-study"), "{again}");
        assert!(card(Lang::En, &supported).0.contains("1 support"), "each language its own card");
        assert!(card(Lang::Fr, &p).0.contains("Aucun soutien"), "never another summary's card");
    }

    #[test]
    fn a_full_cache_keeps_its_cards_takes_no_new_one_and_still_takes_a_newer_version() {
        let summary = |id: u64, supports: u64| proposals::Summary {
            id: proposals::ProposalId(id),
            box_id: BoxId(1),
            author: AccountId(1),
            title: "Un titre".into(),
            status: Status::Submitted,
            supports,
            category: None,
            neighbourhood: None,
            location: None,
            held: false,
            created_at: 1,
        };
        let html: Arc<str> = "<li>carte</li>".into();
        let one = card_bytes(&summary(1, 0), &html);
        let mut cards = Cards::default();
        for id in 1..=3 {
            cards.keep((Lang::Fr, proposals::ProposalId(id)), &summary(id, 0), &html, 2 * one);
        }
        assert_eq!(cards.cards.len(), 2, "the third card does not fit");
        assert!(cards.cards.contains_key(&(Lang::Fr, proposals::ProposalId(1))), "nor does it push out the first");
        assert_eq!(cards.bytes, 2 * one);
        // A kept card's newer version replaces it, full or not.
        cards.keep((Lang::Fr, proposals::ProposalId(2)), &summary(2, 5), &html, 2 * one);
        assert_eq!(cards.cards[&(Lang::Fr, proposals::ProposalId(2))].0.supports, 5);
        assert_eq!(cards.bytes, 2 * one, "the old version's bytes are given back");
    }
}
