//! News (`/actualites`): the town hall's posts, their Atom feed, the home
//! page's latest three, and the staff's pages that write, correct,
//! publish and withdraw them (`/admin/actualites`), with one image each,
//! served at `/actualites/:id/images/:file`. No JavaScript needed.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Multipart, Path, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::news::{self, Draft, Image, NewsError, NewsId, Post};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::atom::{Enclosure, Entry, Feed};
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, submit, table_head, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::{page, page_with_errors, page_with_head};
use crate::web::middleware::BodyTooLarge;
use crate::web::proposals::date;
use crate::web::uploads::{store_photo, PhotoRefused};

/// Posts per page of the list.
const PER_PAGE: usize = 10;
/// Posts in the feed.
const IN_FEED: usize = 30;

impl From<NewsError> for AppError {
    fn from(e: NewsError) -> AppError {
        match e {
            NewsError::NotFound => AppError::NotFound,
            NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong | NewsError::BadAlt => {
                Refusal::Invalid.into()
            }
            NewsError::AlreadyPublished | NewsError::NotPublished => Refusal::AlreadyDone.into(),
            NewsError::Store(s) => AppError::from(s),
        }
    }
}

fn base(state: &AppState) -> String {
    state.config.server.public_url.as_str().trim_end_matches('/').to_string()
}

/// The path of a post's image: its file's name is in it, so that a new
/// image is a new address and caches never show the old one.
fn image_path(p: &Post, i: &Image) -> String {
    format!("/actualites/{}/images/{}", p.id, i.file)
}

/// A post's image, with the text that stands in for it.
fn image(p: &Post) -> Markup {
    html! {
        @if let Some(i) = &p.image { img.news-image src=(image_path(p, i)) alt=(i.alt); }
    }
}

/// A post as a card of a list (the home page's and `/actualites`).
pub fn card(chrome: &Chrome, p: &Post) -> Markup {
    html! {
        article.card {
            h3 { a href={ "/actualites/" (p.id) } { (p.title) } }
            (image(p))
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
        html! {
            (crate::web::og::tags(&chrome, crate::web::og::Share { title: &p.title, description: &p.summary }))
            (feed_link(&chrome))
        },
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
            (image(&p))
            div.prose { (crate::markdown::render(&p.body)) }
            (crate::web::share::links(&chrome, &p.title, &format!("/actualites/{}", p.id)))
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
            enclosure: p.image.as_ref().map(|i| Enclosure {
                href: format!("{base}{}", image_path(p, i)),
                media_type: "image/jpeg".into(),
                length: i.size,
                title: i.alt.clone(),
            }),
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

/// `GET /actualites/:id/images/:file`: a post's image, to whoever may
/// read the post (staff also a draft's). Public for an hour in caches when
/// published: a withdrawn post's image leaves them soon.
#[poem::handler]
pub async fn image_file(
    state: Data<&Arc<AppState>>,
    staff: Option<Staff>,
    Path((id, file)): Path<(u64, String)>,
) -> Result<Response, AppError> {
    let p = news::get(&state.store.read()?, NewsId(id))?.ok_or(AppError::NotFound)?;
    if p.published_at.is_none() && staff.is_none() {
        return Err(AppError::NotFound);
    }
    // Only the file this post shows, by a name that cannot leave the folder.
    let shown = p.image.as_ref().is_some_and(|i| i.file == file) && crate::photos::valid_name(&file);
    if !shown {
        return Err(AppError::NotFound);
    }
    let path = crate::photos::dir(&state.config.data_dir).join(&file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        // An image that is there but cannot be read is the server's fault: logged.
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    let cache = if p.published_at.is_some() { "public, max-age=3600" } else { "no-store" };
    Ok(Response::builder().content_type("image/jpeg").header(poem::http::header::CACHE_CONTROL, cache).body(bytes))
}

/// What the form sent: its texts (kept to show again when refused) and
/// the image file, if one was chosen.
#[derive(Default, Clone)]
pub struct PostForm {
    title: String,
    summary: String,
    body: String,
    alt: String,
    remove_image: bool,
}

impl PostForm {
    fn of(p: &Post) -> PostForm {
        PostForm {
            title: p.title.clone(),
            summary: p.summary.clone(),
            body: p.body.clone(),
            alt: p.image.as_ref().map(|i| i.alt.clone()).unwrap_or_default(),
            remove_image: false,
        }
    }

    /// The post as it would be saved: with `new` (a file not stored yet is
    /// named by an empty string while the rest is checked), else the image
    /// it had with the description typed now, unless staff remove it. A
    /// description typed without an image is dropped: there is nothing to
    /// describe.
    fn draft(&self, had: Option<&Image>, new: Option<(String, u64)>) -> Draft {
        let image = match (new, had) {
            (Some((file, size)), _) => Some(Image { file, alt: self.alt.clone(), size }),
            (None, Some(_)) if self.remove_image => None,
            (None, Some(i)) => Some(Image { alt: self.alt.clone(), ..i.clone() }),
            (None, None) => None,
        };
        Draft { title: self.title.clone(), summary: self.summary.clone(), body: self.body.clone(), image }
    }
}

/// Reads the multipart form: the texts within their limits (four bytes a
/// character at most) and at most one image.
async fn read_form(req: &poem::Request, multipart: Multipart) -> Result<(PostForm, Option<Vec<u8>>), AppError> {
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    let limit = |name: &str| {
        let chars = match name {
            "title" => news::MAX_TITLE,
            "summary" => news::MAX_SUMMARY,
            "body" => news::MAX_BODY,
            "alt" => news::MAX_ALT,
            "remove_image" => 2,
            _ => return None,
        };
        Some(4 * chars as u64 + 4)
    };
    let mut parts = crate::web::multipart::read(multipart, too_large, 10, 1, limit).await?;
    let form = PostForm {
        title: parts.take("title"),
        summary: parts.take("summary"),
        body: parts.take("body"),
        alt: parts.take("alt"),
        remove_image: !parts.take("remove_image").is_empty(),
    };
    Ok((form, parts.photos.pop()))
}

/// Checks the post `form` would make (with a placeholder for a new image)
/// before any image is stored, then stores the image: the draft to save,
/// or the form's errors. A refused form stores nothing.
async fn prepare(
    chrome: &Chrome,
    state: &AppState,
    form: &PostForm,
    had: Option<&Image>,
    photo: Option<Vec<u8>>,
) -> Result<Result<Draft, FormErrors>, AppError> {
    let placeholder = photo.as_ref().map(|_| (String::new(), 0));
    if let Err(e) = news::check(&form.draft(had, placeholder)) {
        return Ok(Err(form_errors(chrome, &e)));
    }
    let Some(bytes) = photo else { return Ok(Ok(form.draft(had, None))) };
    match store_photo(state, bytes).await? {
        Ok(stored) => Ok(Ok(form.draft(had, Some(stored)))),
        Err(refusal) => {
            let key = match refusal {
                PhotoRefused::TooLarge => "error-photo-too-large",
                PhotoRefused::NotAnImage => "error-photo-format",
            };
            let mut errors = FormErrors::default();
            errors.add("photo", chrome.t(key));
            Ok(Err(errors))
        }
    }
}

/// The image's fields: the current one (to keep or remove), a file to
/// choose, and its description.
fn image_fields(chrome: &Chrome, form: &PostForm, had: Option<(&Post, &Image)>, errors: &FormErrors) -> Markup {
    let group = |name: &str| if errors.get(name).is_some() { "form-group form-group-error" } else { "form-group" };
    html! {
        @if let Some((p, i)) = had {
            figure.news-image-current {
                img src=(image_path(p, i)) alt=(i.alt);
                figcaption { (chrome.t("news-image-current")) }
            }
            (checkbox("remove_image", &chrome.t("news-field-remove-image"), form.remove_image))
        }
        div class=(group("photo")) {
            label for="photo" { (chrome.t("news-field-image")) }
            div.hint id="photo-hint" { (chrome.t("news-field-image-hint")) }
            @if let Some(e) = errors.get("photo") {
                p.error-message id="photo-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input #photo type="file" name="photo" accept="image/jpeg,image/png,image/webp" aria-describedby="photo-hint";
        }
        (Input::new("alt", chrome.t("news-field-alt"), &form.alt).hint(chrome.t("news-field-alt-hint")).optional().render(chrome, errors))
    }
}

/// A post's fields and the button that saves them.
fn fields(chrome: &Chrome, form: &PostForm, had: Option<(&Post, &Image)>, errors: &FormErrors) -> Markup {
    html! {
        (Input::new("title", chrome.t("news-field-title"), &form.title).render(chrome, errors))
        (textarea(chrome, errors, "summary", "news-field-summary", &form.summary, 2))
        (textarea(chrome, errors, "body", "news-field-body", &form.body, 12))
        p.hint { (chrome.t("news-markdown-hint")) }
        (image_fields(chrome, form, had, errors))
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
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, None, errors))
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
        NewsError::BadAlt => errors.add("alt", chrome.t("news-error-alt")),
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
    req: &poem::Request,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (form, photo) = read_form(req, multipart).await?;
    let refuse = |errors: &FormErrors| {
        let page = form_page(&chrome, "/admin/actualites/nouvelle", &chrome.t("news-new"), &form, errors);
        refused(page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let draft = match prepare(&chrome, &state, &form, None, photo).await? {
        Ok(draft) => draft,
        Err(errors) => return Ok(refuse(&errors)),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = state
        .store
        .write(move |tx| match news::create(tx, &actor, &draft, now_unix()) {
            Ok(id) => Ok(Ok(id)),
            Err(e @ (NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong | NewsError::BadAlt)) => {
                Ok(Err(e))
            }
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(id) => Ok(redirect_with(&state, &format!("/admin/actualites/{id}"), Flash::success("flash-news-saved"))),
        Err(e) => Ok(refuse(&form_errors(&chrome, &e))),
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
            form method="post" action={ "/admin/actualites/" (p.id) } enctype="multipart/form-data" novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, p.image.as_ref().map(|i| (p, i)), errors))
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
    Ok(edit_page(&chrome, &p, &PostForm::of(&p), &FormErrors::default()))
}

/// `POST /admin/actualites/:id`: a correction.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    req: &poem::Request,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let id = NewsId(id);
    let (form, photo) = read_form(req, multipart).await?;
    let p = news::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
    let refuse = |errors: &FormErrors| refused(edit_page(&chrome, &p, &form, errors), StatusCode::UNPROCESSABLE_ENTITY);
    let draft = match prepare(&chrome, &state, &form, p.image.as_ref(), photo).await? {
        Ok(draft) => draft,
        Err(errors) => return Ok(refuse(&errors)),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = state
        .store
        .write(move |tx| match news::update(tx, &actor, id, &draft, now_unix()) {
            Ok(gone) => Ok(Ok(gone)),
            Err(e @ (NewsError::BadTitle | NewsError::BadSummary | NewsError::TooLong | NewsError::BadAlt)) => {
                Ok(Err(e))
            }
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(gone) => {
            crate::photos::remove_forgotten(&state.config.data_dir, &Vec::from_iter(gone));
            Ok(redirect_with(&state, &format!("/admin/actualites/{id}"), Flash::success("flash-news-saved")))
        }
        Err(e) => Ok(refuse(&form_errors(&chrome, &e))),
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
