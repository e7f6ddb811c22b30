//! `/admin/liens-courts`: staff choose the short address of a process
//! (`/p/velo`), printed on its posters, rename it or remove it; and reach
//! each process's posters from the list.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::promotion::{self, ShortLinkError, Target};
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, table_head, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;
use crate::web::short_links::short_url;

/// What the form sends, and what a process's staff page links with
/// (`?kind=idea-box&id=3`).
#[derive(Deserialize, Default, Clone)]
pub struct LinkForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
}

impl LinkForm {
    /// The process the form names; `None` when it names none.
    fn target(&self) -> Option<Target> {
        let id = match self.kind.as_str() {
            "platform" => 0,
            _ => self.id.trim().parse().ok()?,
        };
        Target::from_key(&self.kind, id)
    }
}

/// The translated name of a kind of process.
pub fn kind_label(chrome: &Chrome, kind: &str) -> String {
    chrome.t(&format!("short-link-kind-{kind}"))
}

/// A process's title as the list shows it: the commune's name for the
/// platform, "?" for a process since deleted.
pub fn target_title(chrome: &Chrome, state: &AppState, target: Target) -> Result<String, AppError> {
    if target == Target::Platform {
        return Ok(chrome.config().commune.name.clone());
    }
    let described = promotion::describe(&*state.store.read()?, target)?;
    Ok(described.map(|d| d.title).unwrap_or_else(|| "?".to_string()))
}

/// `GET /admin/liens-courts`.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Query(form): Query<LinkForm>,
) -> Result<Markup, AppError> {
    // A staff page links here with its process chosen; its name, if any, is shown to change.
    let form = match form.target() {
        Some(target) if form.name.is_empty() => {
            LinkForm { name: promotion::name_of(&*state.store.read()?, target)?.unwrap_or_default(), ..form }
        }
        _ => form,
    };
    list_page(&chrome, &state, &form, &FormErrors::default())
}

fn list_page(chrome: &Chrome, state: &AppState, form: &LinkForm, errors: &FormErrors) -> Result<Markup, AppError> {
    let links = promotion::all(&*state.store.read()?)?;
    let mut rows = Vec::with_capacity(links.len());
    for link in links {
        let title = target_title(chrome, state, link.target)?;
        rows.push((link, title));
    }
    let title = chrome.t("short-link-title");
    let kinds: Vec<(String, String)> = Target::KINDS.iter().map(|k| (k.to_string(), kind_label(chrome, k))).collect();
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("short-link-lead")) }
            @if crate::web::admin::posters::logo_not_printed(state) {
                div.notice role="note" { p { (chrome.t("poster-logo-svg")) } }
            }
            p { (kind_label(chrome, "platform")) " : " (crate::web::admin::posters::links(chrome, Target::Platform)) }
            @if rows.is_empty() {
                p { (chrome.t("short-link-none")) }
            } @else {
                table.table {
                    (table_head(chrome, &["short-link-col-address", "short-link-col-process", "short-link-col-posters", "short-link-col-remove"]))
                    tbody {
                        @for (link, process) in &rows {
                            @let (kind, _) = link.target.key();
                            tr {
                                td { a href={ "/p/" (link.name) } { (short_url(state, &link.name)) } }
                                td { (kind_label(chrome, kind)) " : " a href=(link.target.path()) { (process) } }
                                td { (crate::web::admin::posters::links(chrome, link.target)) }
                                td {
                                    form.inline-form method="post" action={ "/admin/liens-courts/" (link.name) "/supprimer" } {
                                        (csrf_field(chrome))
                                        button.link-button type="submit" { (chrome.t("short-link-remove")) span.visually-hidden { " /p/" (link.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("short-link-form-title")) }
            p.hint { (chrome.t("short-link-rename-warning")) }
            form method="post" action="/admin/liens-courts" novalidate {
                (csrf_field(chrome))
                (select(chrome, errors, "kind", &chrome.t("short-link-kind"), None, &kinds, &form.kind))
                (Input::new("id", chrome.t("short-link-id"), &form.id).hint(chrome.t("short-link-id-hint")).kind("number").optional().render(chrome, errors))
                (Input::new("name", chrome.t("short-link-name"), &form.name).hint(chrome.t("short-link-name-hint")).render(chrome, errors))
                (submit(&chrome.t("short-link-save")))
            }
        },
    ))
}

/// The form's refusals, each on its field.
fn form_errors(chrome: &Chrome, e: &ShortLinkError) -> FormErrors {
    let mut errors = FormErrors::default();
    let (field, key) = match e {
        ShortLinkError::Empty => ("name", "short-link-error-empty"),
        ShortLinkError::BadName => ("name", "short-link-error-bad-name"),
        ShortLinkError::Reserved => ("name", "short-link-error-reserved"),
        ShortLinkError::Taken => ("name", "short-link-error-taken"),
        ShortLinkError::NoTarget | ShortLinkError::NotFound => ("id", "short-link-error-no-target"),
        // Not a refusal of the form: the caller turns it into a 500.
        ShortLinkError::Store(_) => ("name", "error-500-title"),
    };
    errors.add(field, chrome.t(key));
    errors
}

/// `POST /admin/liens-courts`: sets or renames a process's short address.
#[poem::handler]
pub async fn save(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let done = match form.target() {
        None => Some(ShortLinkError::NoTarget),
        Some(target) => {
            let name = form.name.clone();
            state
                .store
                .write(move |tx| match promotion::set(tx, &actor, target, &name, now_unix()) {
                    Ok(_) => Ok(None),
                    Err(ShortLinkError::Store(e)) => Err(AppError::from(e)),
                    Err(refusal) => Ok(Some(refusal)),
                })
                .await?
        }
    };
    match done {
        None => Ok(redirect_with(&state, "/admin/liens-courts", Flash::success("flash-short-link-saved"))),
        Some(e) => {
            Ok(refused(list_page(&chrome, &state, &form, &form_errors(&chrome, &e))?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/liens-courts/:name/supprimer`.
#[poem::handler]
pub async fn remove(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| promotion::remove(tx, &actor, &name, now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/admin/liens-courts", Flash::success("flash-short-link-removed")))
}
