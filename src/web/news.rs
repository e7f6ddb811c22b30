//! News (`/actualites`): the town hall's posts, their Atom feed, the home
//! page's latest three, and the staff's pages that write, correct,
//! publish and withdraw them (`/admin/actualites`). No JavaScript needed.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::news::{self, Draft, NewsError, NewsId, Post};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::atom::{Entry, Feed};
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, table_head, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::{page, page_with_errors, page_with_head};
use crate::web::proposals::date;

/// Posts per page of the list.
const PER_PAGE: usize = 10;
/// Posts in the feed.
const IN_FEED: usize = 30;

impl From<NewsError> for AppError {
    fn from(e: NewsError) -> AppError {
        match e {
            NewsError::NotFound => AppError::NotFound,
            NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong => Refusal::Invalid.into(),
            NewsError::AlreadyPublished | NewsError::NotPublished => Refusal::AlreadyDone.into(),
            NewsError::Store(s) => AppError::from(s),
        }
    }
}

fn base(state: &AppState) -> String {
    state.config.server.public_url.as_str().trim_end_matches('/').to_string()
}

/// A post as a card of a list (the home page's and `/actualites`).
pub fn card(chrome: &Chrome, p: &Post) -> Markup {
    html! {
        article.card {
            h3 { a href={ "/actualites/" (p.id) } { (p.title) } }
            @if let Some(at) = p.published_at { p.meta { (chrome.lang.ta("news-published-on", &[("date", Arg::from(date(at)))])) } }
            p { (p.summary) }
        }
    }
}

/// The home page's block: the latest three posts, if there are any.
pub fn latest(chrome: &Chrome, state: &AppState) -> Result<Markup, AppError> {
    let posts = news::published(&state.store.read()?, 0, 3)?;
    Ok(html! {
        @if !posts.is_empty() {
            section aria-labelledby="actualites" {
                h2 #actualites { (chrome.t("news-title")) }
                @for p in &posts { (card(chrome, p)) }
                p { a href="/actualites" { (chrome.t("news-all")) } }
            }
        }
    })
}

fn feed_link(chrome: &Chrome) -> Markup {
    html! { link rel="alternate" type="application/atom+xml" href="/actualites/flux.atom" title=(chrome.t("news-feed")); }
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<usize>,
}

/// `GET /actualites`: the published posts, newest first, ten a page.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    staff: Option<Staff>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    let n = q.page.unwrap_or(1).max(1);
    let tx = state.store.read()?;
    let posts = news::published(&tx, (n - 1) * PER_PAGE, PER_PAGE)?;
    let total = news::published_count(&tx)? as usize;
    drop(tx);
    let pages = total.div_ceil(PER_PAGE).max(1);
    if n > pages {
        return Err(AppError::NotFound);
    }
    let title = chrome.t("news-title");
    Ok(page_with_head(
        &chrome,
        &title,
        feed_link(&chrome),
        html! {
            h1 { (title) }
            p { a href="/actualites/flux.atom" { (chrome.t("news-feed")) } " · " a href="/lettres" { (chrome.t("newsletters-title")) } }
            @if staff.is_some() { p { a href="/admin/actualites" { (chrome.t("news-manage")) } } }
            @if posts.is_empty() { p { (chrome.t("news-none")) } }
            @for p in &posts { (card(&chrome, p)) }
            @if pages > 1 {
                nav.pagination aria-label=(chrome.t("pagination-label")) {
                    @if n > 1 { a rel="prev" href={ "/actualites?page=" (n - 1) } { (chrome.t("pagination-previous")) } " " }
                    span { (chrome.lang.ta("news-page-of", &[("page", Arg::from(n as u64)), ("pages", Arg::from(pages as u64))])) }
                    @if n < pages { " " a rel="next" href={ "/actualites?page=" (n + 1) } { (chrome.t("pagination-next")) } }
                }
            }
        },
    ))
}

/// `GET /actualites/:id`: a published post (staff also see a draft, marked).
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    staff: Option<Staff>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let p = news::get(&state.store.read()?, NewsId(id))?.ok_or(AppError::NotFound)?;
    if p.published_at.is_none() && staff.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(page_with_head(
        &chrome,
        &p.title,
        feed_link(&chrome),
        html! {
            p.breadcrumb { a href="/actualites" { (chrome.t("news-title")) } }
            h1 { (p.title) }
            @match p.published_at {
                Some(at) => p.meta {
                    (chrome.lang.ta("news-published-on", &[("date", Arg::from(date(at)))]))
                    @if p.updated_at > at { " · " (chrome.lang.ta("news-updated-on", &[("date", Arg::from(date(p.updated_at)))])) }
                },
                None => p.hint { (chrome.t("news-draft-note")) " " a href={ "/admin/actualites/" (p.id) } { (chrome.t("news-edit")) } },
            }
            p.lead { (p.summary) }
            div.prose { (crate::markdown::render(&p.body)) }
        },
    ))
}

/// `GET /actualites/flux.atom`: the latest posts, for feed readers.
#[poem::handler]
pub async fn feed(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Response, AppError> {
    let posts = news::published(&state.store.read()?, 0, IN_FEED)?;
    let base = base(&state);
    let commune = chrome.config().commune.name.clone();
    let entries = posts
        .iter()
        .map(|p| Entry {
            id: format!("{base}/actualites/{}", p.id),
            title: p.title.clone(),
            updated: p.updated_at,
            published: p.published_at,
            link: format!("{base}/actualites/{}", p.id),
            summary: p.summary.clone(),
        })
        .collect();
    Ok(Feed {
        id: format!("{base}/actualites/flux.atom"),
        title: format!("{} — {commune}", chrome.t("news-title")),
        fallback_updated: 0,
        self_link: format!("{base}/actualites/flux.atom"),
        page_link: format!("{base}/actualites"),
        author: commune,
        lang: chrome.lang.code().to_string(),
        entries,
    }
    .response())
}

#[derive(Deserialize, Default, Clone)]
pub struct PostForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
}

impl PostForm {
    fn draft(&self) -> Draft {
        Draft { title: self.title.clone(), summary: self.summary.clone(), body: self.body.clone() }
    }
}

/// A post's fields and the button that saves them.
fn fields(chrome: &Chrome, form: &PostForm, errors: &FormErrors) -> Markup {
    html! {
        (Input::new("title", chrome.t("news-field-title"), &form.title).render(chrome, errors))
        (textarea(chrome, errors, "summary", "news-field-summary", &form.summary, 2))
        (textarea(chrome, errors, "body", "news-field-body", &form.body, 12))
        p.hint { (chrome.t("news-markdown-hint")) }
        (submit(&chrome.t("news-save")))
    }
}

fn form_page(chrome: &Chrome, action: &str, heading: &str, form: &PostForm, errors: &FormErrors) -> Markup {
    page_with_errors(
        chrome,
        heading,
        errors,
        html! {
            p.breadcrumb { a href="/admin/actualites" { (chrome.t("news-staff-title")) } }
            h1 { (heading) }
            form method="post" action=(action) novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, errors))
            }
        },
    )
}

/// The refusal of a form, on its field.
fn form_errors(chrome: &Chrome, e: &NewsError) -> FormErrors {
    let mut errors = FormErrors::default();
    match e {
        NewsError::BadTitle => errors.add("title", chrome.t("news-error-title")),
        NewsError::BadSummary => errors.add("summary", chrome.t("news-error-summary")),
        NewsError::TooLong => errors.add("body", chrome.t("news-error-too-long")),
        NewsError::NotFound | NewsError::AlreadyPublished | NewsError::NotPublished | NewsError::Store(_) => {}
    }
    errors
}

/// `GET /admin/actualites`: every post, drafts and withdrawn ones included.
#[poem::handler]
pub async fn staff_index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let posts = news::all(&state.store.read()?)?;
    let title = chrome.t("news-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { a.button href="/admin/actualites/nouvelle" { (chrome.t("news-new")) } }
            @if posts.is_empty() { p { (chrome.t("news-none")) } } @else {
                table {
                    (table_head(&chrome, &["news-field-title", "news-state", "news-actions"]))
                    tbody {
                        @for p in &posts {
                            tr {
                                td { a href={ "/admin/actualites/" (p.id) } { (p.title) } }
                                td { @match p.published_at {
                                    Some(at) => (chrome.lang.ta("news-published-on", &[("date", Arg::from(date(at)))])),
                                    None => (chrome.t("news-state-draft")),
                                } }
                                td { (state_form(&chrome, p)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The button that publishes a draft or withdraws a published post.
fn state_form(chrome: &Chrome, p: &Post) -> Markup {
    let (action, label) = match p.published_at {
        None => ("publier", "news-publish"),
        Some(_) => ("retirer", "news-withdraw"),
    };
    html! {
        form.inline method="post" action={ "/admin/actualites/" (p.id) "/" (action) } {
            (csrf_field(chrome))
            button type="submit" { (chrome.t(label)) span.visually-hidden { " : " (p.title) } }
        }
    }
}

/// `GET /admin/actualites/nouvelle`.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _staff: Staff) -> Markup {
    form_page(
        &chrome,
        "/admin/actualites/nouvelle",
        &chrome.t("news-new"),
        &PostForm::default(),
        &FormErrors::default(),
    )
}

/// `POST /admin/actualites/nouvelle`: a draft, then its edit page.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let (actor, draft) = (Actor::person(viewer.account.id, ip), form.draft());
    let done = state
        .store
        .write(move |tx| match news::create(tx, &actor, &draft, now_unix()) {
            Ok(id) => Ok(Ok(id)),
            Err(e @ (NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(id) => Ok(redirect_with(&state, &format!("/admin/actualites/{id}"), Flash::success("flash-news-saved"))),
        Err(e) => {
            let page = form_page(
                &chrome,
                "/admin/actualites/nouvelle",
                &chrome.t("news-new"),
                &form,
                &form_errors(&chrome, &e),
            );
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

fn edit_page(chrome: &Chrome, p: &Post, form: &PostForm, errors: &FormErrors) -> Markup {
    let heading = chrome.lang.ta("news-edit-title", &[("title", Arg::from(p.title.as_str()))]);
    page_with_errors(
        chrome,
        &heading,
        errors,
        html! {
            p.breadcrumb { a href="/admin/actualites" { (chrome.t("news-staff-title")) } }
            h1 { (heading) }
            p {
                @match p.published_at {
                    Some(at) => (chrome.lang.ta("news-published-on", &[("date", Arg::from(date(at)))])),
                    None => (chrome.t("news-state-draft")),
                }
                " · " a href={ "/actualites/" (p.id) } { (chrome.t("news-see")) }
            }
            (state_form(chrome, p))
            form method="post" action={ "/admin/actualites/" (p.id) } novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, errors))
            }
        },
    )
}

/// `GET /admin/actualites/:id`: the post's form, its state and a link to it.
#[poem::handler]
pub async fn edit_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let p = news::get(&state.store.read()?, NewsId(id))?.ok_or(AppError::NotFound)?;
    let form = PostForm { title: p.title.clone(), summary: p.summary.clone(), body: p.body.clone() };
    Ok(edit_page(&chrome, &p, &form, &FormErrors::default()))
}

/// `POST /admin/actualites/:id`: a correction.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let (actor, draft, id) = (Actor::person(viewer.account.id, ip), form.draft(), NewsId(id));
    let done = state
        .store
        .write(move |tx| match news::update(tx, &actor, id, &draft, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ (NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(()) => Ok(redirect_with(&state, &format!("/admin/actualites/{id}"), Flash::success("flash-news-saved"))),
        Err(e) => {
            let p = news::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
            Ok(refused(edit_page(&chrome, &p, &form, &form_errors(&chrome, &e)), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/actualites/:id/publier`.
#[poem::handler]
pub async fn publish(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| news::publish(tx, &actor, NewsId(id), now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/admin/actualites", Flash::success("flash-news-published")))
}

/// `POST /admin/actualites/:id/retirer`.
#[poem::handler]
pub async fn withdraw(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| news::withdraw(tx, &actor, NewsId(id), now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/admin/actualites", Flash::success("flash-news-withdrawn")))
}
