//! The commune's own pages (`/pages/<slug>`: charter, how it works, FAQ …)
//! and the admins' pages that write them (`/admin/pages`). A page in the
//! navigation appears there at once: the layout's kept pieces are keyed by
//! the list of such pages (`AppState::nav_pages`).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::pages::{self, Page, PageDraft, PageError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{Admin, ClientIp};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, submit, table_head, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::{page, page_with_errors};
use crate::web::proposals::date;

impl From<PageError> for AppError {
    fn from(e: PageError) -> AppError {
        match e {
            PageError::NotFound => AppError::NotFound,
            PageError::BadSlug | PageError::BadTitle | PageError::TooLong => Refusal::Invalid.into(),
            PageError::Taken => Refusal::AlreadyDone.into(),
            PageError::Store(s) => AppError::from(s),
        }
    }
}

/// `GET /pages/:slug`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(slug): Path<String>) -> Result<Markup, AppError> {
    let p = pages::get(&state.store.read()?, &slug)?.ok_or(AppError::NotFound)?;
    let admin = chrome.viewer.as_ref().is_some_and(|v| v.account.role >= crate::domain::accounts::Role::Admin);
    Ok(page(
        &chrome,
        &p.title,
        html! {
            h1 { (p.title) }
            div.prose { (crate::markdown::render(&p.body)) }
            @if p.updated_at > 0 { p.meta { (chrome.lang.ta("page-updated-on", &[("date", Arg::from(date(p.updated_at)))])) } }
            @if admin { p { a href={ "/admin/pages/" (p.slug) } { (chrome.t("page-edit")) } } }
        },
    ))
}

#[derive(Deserialize, Default, Clone)]
pub struct PageForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    in_nav: Option<String>,
}

impl PageForm {
    fn of(p: &Page) -> PageForm {
        PageForm {
            slug: p.slug.clone(),
            title: p.title.clone(),
            body: p.body.clone(),
            in_nav: p.in_nav.then(|| "on".into()),
        }
    }

    fn draft(&self) -> PageDraft {
        PageDraft { title: self.title.clone(), body: self.body.clone(), in_nav: self.in_nav.is_some() }
    }
}

fn form_errors(chrome: &Chrome, e: &PageError) -> FormErrors {
    let mut errors = FormErrors::default();
    match e {
        PageError::BadSlug => errors.add("slug", chrome.t("page-error-slug")),
        PageError::BadTitle => errors.add("title", chrome.t("page-error-title")),
        PageError::TooLong => errors.add("body", chrome.t("page-error-too-long")),
        PageError::Taken => errors.add("slug", chrome.t("page-error-taken")),
        PageError::NotFound | PageError::Store(_) => {}
    }
    errors
}

/// The form of a page; `new` asks for its address too.
fn form_page(chrome: &Chrome, form: &PageForm, errors: &FormErrors, new: bool) -> Markup {
    let heading = if new {
        chrome.t("page-new")
    } else {
        chrome.lang.ta("page-edit-title", &[("title", Arg::from(form.title.as_str()))])
    };
    let action = if new { "/admin/pages/nouvelle".to_string() } else { format!("/admin/pages/{}", form.slug) };
    page_with_errors(
        chrome,
        &heading,
        errors,
        html! {
            p.breadcrumb { a href="/admin/pages" { (chrome.t("page-staff-title")) } }
            h1 { (heading) }
            form method="post" action=(action) novalidate {
                (csrf_field(chrome))
                @if new {
                    (Input::new("slug", chrome.t("page-field-slug"), &form.slug).hint(chrome.t("page-field-slug-hint")).render(chrome, errors))
                } @else {
                    p { (chrome.t("page-field-slug")) " : " code { "/pages/" (form.slug) } }
                }
                (Input::new("title", chrome.t("page-field-title"), &form.title).render(chrome, errors))
                (textarea(chrome, errors, "body", "page-field-body", &form.body, 16))
                p.hint { (chrome.t("news-markdown-hint")) }
                (checkbox("in_nav", &chrome.t("page-field-in-nav"), form.in_nav.is_some()))
                (submit(&chrome.t("page-save")))
            }
            @if !new {
                form method="post" action={ "/admin/pages/" (form.slug) "/supprimer" } {
                    (csrf_field(chrome))
                    button.link-button type="submit" { (chrome.t("page-delete")) }
                }
            }
        },
    )
}

/// `GET /admin/pages`: every page, shipped or written.
#[poem::handler]
pub async fn staff_index(chrome: Chrome, state: Data<&Arc<AppState>>, _admin: Admin) -> Result<Markup, AppError> {
    let all = pages::all(&state.store.read()?)?;
    let title = chrome.t("page-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { (chrome.t("page-staff-intro")) }
            p { a.button href="/admin/pages/nouvelle" { (chrome.t("page-new")) } }
            table {
                (table_head(&chrome, &["page-field-title", "page-field-slug", "page-state"]))
                tbody {
                    @for p in &all {
                        tr {
                            td { a href={ "/admin/pages/" (p.slug) } { (p.title) } }
                            td { a href={ "/pages/" (p.slug) } { "/pages/" (p.slug) } }
                            td {
                                @if p.updated_by.is_none() { (chrome.t("page-state-shipped")) } @else { (chrome.t("page-state-written")) }
                                @if p.in_nav { " · " (chrome.t("page-state-in-nav")) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /admin/pages/nouvelle`.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _admin: Admin) -> Markup {
    form_page(&chrome, &PageForm::default(), &FormErrors::default(), true)
}

/// `GET /admin/pages/:slug`.
#[poem::handler]
pub async fn edit_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _admin: Admin,
    Path(slug): Path<String>,
) -> Result<Markup, AppError> {
    let p = pages::get(&state.store.read()?, &slug)?.ok_or(AppError::NotFound)?;
    Ok(form_page(&chrome, &PageForm::of(&p), &FormErrors::default(), false))
}

async fn save(
    chrome: &Chrome,
    state: &Arc<AppState>,
    actor: Actor,
    form: PageForm,
    new: bool,
) -> Result<Response, AppError> {
    let (slug, draft) = (form.slug.trim().to_string(), form.draft());
    let s = slug.clone();
    let done = state
        .store
        .write(move |tx| {
            let saved = match new {
                true => pages::create(tx, &actor, &s, &draft, now_unix()),
                false => pages::update(tx, &actor, &s, &draft, now_unix()),
            };
            match saved {
                Ok(()) => Ok(None),
                Err(e @ (PageError::BadSlug | PageError::BadTitle | PageError::TooLong | PageError::Taken)) => {
                    Ok(Some(e))
                }
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    match done {
        None => {
            state.refresh_nav_pages()?;
            Ok(redirect_with(state, &format!("/pages/{slug}"), Flash::success("flash-page-saved")))
        }
        Some(e) => {
            Ok(refused(form_page(chrome, &form, &form_errors(chrome, &e), new), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/pages/nouvelle`.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    save(&chrome, &state, Actor::person(viewer.account.id, ip), form, true).await
}

/// `POST /admin/pages/:slug`.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    // The address is the page's: never taken from the form.
    let form = PageForm { slug, ..form };
    save(&chrome, &state, Actor::person(viewer.account.id, ip), form, false).await
}

/// `POST /admin/pages/:slug/supprimer`: a written page goes (a shipped one
/// shows its shipped text again).
#[poem::handler]
pub async fn delete(
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| pages::remove(tx, &actor, &slug, now_unix()).map_err(AppError::from)).await?;
    state.refresh_nav_pages()?;
    Ok(redirect_with(&state, "/admin/pages", Flash::success("flash-page-deleted")))
}
