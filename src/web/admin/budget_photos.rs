//! `/admin/budgets/:id/projets/:number/photos`: the photos of a project,
//! each with the text that says what it shows (required: RGAA 1.1).
//!
//! Staff add a photo with its text, describe a photo again or replace its
//! file, move it up or down (the first is the thumbnail on the process's
//! page and the ballot) and remove it. Every change is one
//! `budgets::change_photos` on the list read in the same write, so two staff
//! working at once never lose each other's change. Uploads go through
//! `web::uploads::store_photo` (re-encoded, metadata dropped); a file the
//! project no longer shows is deleted after the commit, unless another
//! record shows the same picture (`budgets::unnamed_files`).
//!
//! Photos may change at every phase, the vote included: they do not change
//! what people vote on (title, cost and pot are frozen once the vote opens,
//! `budgets::update_project`), and a photo of the site that is wrong or
//! missing is better corrected while people are choosing.
//!
//! A photo is named in the addresses by its file (a content hash), not by
//! its position: a form sent after another person moved the photos still
//! acts on the photo it was shown for.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::budgets::{load_project, refusal, write};
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::budgets::{
    self, BudgetError, Phase, PhotoChange, PhotoClash, Process, Project, ProjectPhoto, MAX_PHOTOS, MAX_TITLE,
};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;
use crate::web::middleware::BodyTooLarge;
use crate::web::uploads::{store_photo, PhotoRefused};

fn base(id: u64, number: u64) -> String {
    format!("/admin/budgets/{id}/projets/{number}/photos")
}

/// What a refused form had typed, to show it again in the right form.
#[derive(Default)]
struct Typed {
    /// The file of the photo whose form was sent; `None`: the form to add one.
    photo: Option<String>,
    alt: String,
}

/// The ids of a form's fields: `photo`/`alt` for the form that adds one,
/// `photo-N`/`alt-N` for the form of photo N (ids are unique on the page,
/// and the error summary links to them).
fn ids(position: Option<usize>) -> (String, String) {
    match position {
        None => ("photo".into(), "alt".into()),
        Some(i) => (format!("photo-{}", i + 1), format!("alt-{}", i + 1)),
    }
}

/// A file field with its label, hint and error.
fn file_field(chrome: &Chrome, errors: &FormErrors, id: &str, label: &str, hint: &str) -> Markup {
    let error = errors.get(id);
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(id) { (label) }
            div.hint id={ (id) "-hint" } { (hint) }
            @if let Some(e) = error {
                p.error-message id={ (id) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input id=(id) type="file" name="photo" accept="image/jpeg,image/png,image/webp"
                aria-describedby={ (id) "-hint" @if error.is_some() { " " (id) "-error" } };
        }
    }
}

/// The text field of a photo (its name is `alt` in every form; its id tells
/// the forms apart).
fn alt_field(chrome: &Chrome, errors: &FormErrors, id: &str, value: &str) -> Markup {
    let error = errors.get(id);
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(id) { (chrome.t("budget-photos-alt")) }
            div.hint id={ (id) "-hint" } { (chrome.t("budget-photos-alt-hint")) }
            @if let Some(e) = error {
                p.error-message id={ (id) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input id=(id) name="alt" type="text" value=(value) required autocomplete="off"
                class=[error.map(|_| "input-error")] aria-invalid=[error.map(|_| "true")]
                aria-describedby={ (id) "-hint" @if error.is_some() { " " (id) "-error" } };
        }
    }
}

/// One photo: its preview, the form to describe or replace it, and the
/// buttons to move and remove it.
fn photo_item(
    chrome: &Chrome,
    p: &Process,
    pr: &Project,
    i: usize,
    photo: &ProjectPhoto,
    typed: &Typed,
    errors: &FormErrors,
) -> Markup {
    let lang = chrome.lang;
    let number = i as u64 + 1;
    let here = format!("{}/{}", base(p.id.get(), pr.number), photo.file);
    let (photo_id, alt_id) = ids(Some(i));
    let alt = if typed.photo.as_deref() == Some(&photo.file) { typed.alt.as_str() } else { photo.alt.as_str() };
    html! {
        li.panel id={ "photo-item-" (i + 1) } {
            h3 { (lang.ta("budget-photos-number", &[("number", Arg::from(number))])) }
            // A preview: its text is the field below, so it is not read twice.
            img.photo-preview src=(crate::web::budgets::photos::href(p, pr, &photo.file)) alt="" width="160";
            form method="post" enctype="multipart/form-data" novalidate action=(here) {
                // First: the CSRF middleware reads only the first field.
                (csrf_field(chrome))
                (alt_field(chrome, errors, &alt_id, alt))
                (file_field(chrome, errors, &photo_id, &chrome.t("budget-photos-replace"), &chrome.t("budget-photos-replace-hint")))
                (submit(&lang.ta("budget-photos-save", &[("number", Arg::from(number))])))
            }
            div.button-group {
                @if i > 0 {
                    form.inline-form method="post" action={ (here) "/deplacer" } {
                        (csrf_field(chrome))
                        input type="hidden" name="vers" value="haut";
                        button.button.button-secondary type="submit" { (lang.ta("budget-photos-up", &[("number", Arg::from(number))])) }
                    }
                }
                @if i + 1 < pr.photos.len() {
                    form.inline-form method="post" action={ (here) "/deplacer" } {
                        (csrf_field(chrome))
                        input type="hidden" name="vers" value="bas";
                        button.button.button-secondary type="submit" { (lang.ta("budget-photos-down", &[("number", Arg::from(number))])) }
                    }
                }
                form.inline-form method="post" action={ (here) "/retirer" } {
                    (csrf_field(chrome))
                    button.button.button-secondary type="submit" { (lang.ta("budget-photos-remove", &[("number", Arg::from(number))])) }
                }
            }
        }
    }
}

fn photos_page(chrome: &Chrome, p: &Process, pr: &Project, typed: &Typed, errors: &FormErrors) -> Markup {
    let lang = chrome.lang;
    let project_page = format!("/admin/budgets/{}/projets/{}", p.id, pr.number);
    let title = lang.ta("budget-photos-title", &[("title", Arg::from(format!("{}. {}", pr.number, pr.title)))]);
    let adding = typed.photo.is_none();
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb {
                a href="/admin/budgets" { (chrome.t("budget-staff-title")) } " › "
                a href={ "/admin/budgets/" (p.id) "#projets" } { (p.title) } " › "
                a href=(project_page) { (pr.number) ". " (pr.title) }
            }
            h1 { (title) }
            p { (lang.ta("budget-photos-lead", &[("max", Arg::from(MAX_PHOTOS as u64))])) }
            @if p.phase(now_unix()) >= Phase::Vote {
                p.hint { (chrome.t("budget-photos-during-vote")) }
            }
            @if pr.photos.is_empty() {
                p { (chrome.t("budget-photos-none")) }
            } @else {
                ol.photo-list {
                    @for (i, photo) in pr.photos.iter().enumerate() {
                        (photo_item(chrome, p, pr, i, photo, typed, errors))
                    }
                }
            }
            section.panel aria-labelledby="ajouter-photo" {
                h2 #ajouter-photo { (chrome.t("budget-photos-add")) }
                @if pr.photos.len() >= MAX_PHOTOS {
                    p { (chrome.t("budget-staff-error-too-many-photos")) }
                } @else {
                    form method="post" enctype="multipart/form-data" novalidate action=(base(p.id.get(), pr.number)) {
                        (csrf_field(chrome))
                        (file_field(chrome, errors, "photo", &chrome.t("budget-photos-file"), &chrome.t("budget-photos-file-hint")))
                        (alt_field(chrome, errors, "alt", if adding { &typed.alt } else { "" }))
                        (submit(&chrome.t("budget-photos-add")))
                    }
                }
            }
            p { a href=(project_page) { (chrome.t("budget-photos-back")) } }
        },
    )
}

/// The page again with what was typed and why it was refused (422).
fn refused_page(
    state: &AppState,
    chrome: &Chrome,
    id: u64,
    number: u64,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let (p, pr) = load_project(state, id, number)?;
    Ok(refused(photos_page(chrome, &p, &pr, typed, errors), StatusCode::UNPROCESSABLE_ENTITY))
}

/// `GET /admin/budgets/:id/projets/:number/photos`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((id, number)): Path<(u64, u64)>,
) -> Result<Markup, AppError> {
    let (p, pr) = load_project(&state, id, number)?;
    Ok(photos_page(&chrome, &p, &pr, &Typed::default(), &FormErrors::default()))
}

/// What a photo's form sent: its text and, maybe, a file.
struct Sent {
    alt: String,
    photo: Option<Vec<u8>>,
}

/// Reads a photo's form (multipart): the text, and one file at most.
async fn read_form(req: &poem::Request, multipart: poem::web::Multipart) -> Result<Sent, AppError> {
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    // Four bytes a character at most: a longer text is refused unread.
    let limit = |name: &str| (name == "alt").then_some(4 * MAX_TITLE as u64);
    let mut parts = crate::web::multipart::read(multipart, too_large, 8, 1, limit).await?;
    Ok(Sent { alt: parts.take("alt"), photo: parts.photos.pop() })
}

/// The text checked here, so that a photo is not decoded for a form that
/// will be refused (the domain checks it again in its write).
fn check_alt(chrome: &Chrome, errors: &mut FormErrors, id: &str, alt: &str) {
    if alt.trim().is_empty() {
        errors.add(id, chrome.t("budget-staff-error-alt"));
    } else if alt.trim().chars().count() > MAX_TITLE {
        errors.add(id, chrome.lang.ta("budget-photos-error-alt-long", &[("max", Arg::from(MAX_TITLE as u64))]));
    }
}

/// Re-encodes and stores the photo sent: its file, or the error said on
/// the form's file field.
async fn store(
    state: &AppState,
    chrome: &Chrome,
    bytes: Vec<u8>,
    id: &str,
) -> Result<Result<String, FormErrors>, AppError> {
    Ok(match store_photo(state, bytes).await? {
        Ok((file, _size)) => Ok(file),
        Err(refusal) => {
            let key = match refusal {
                PhotoRefused::TooLarge => "error-photo-too-large",
                PhotoRefused::NotAnImage => "error-photo-format",
            };
            let mut errors = FormErrors::default();
            errors.add(id, chrome.t(key));
            Err(errors)
        }
    })
}

/// Makes `change` in one write (`budgets::change_photos`), then deletes
/// the files nothing names any more.
async fn change_photos(
    state: &AppState,
    actor: Actor,
    id: u64,
    number: u64,
    change: PhotoChange,
) -> Result<Result<Result<(), PhotoClash>, BudgetError>, AppError> {
    let process = budgets::ProcessId(id);
    let outcome =
        write(state, move |tx| budgets::change_photos(tx, &actor, process, number, change.clone(), now_unix())).await?;
    Ok(match outcome {
        Ok(Ok(forgotten)) => {
            // After the commit: a file is never gone while a record names it.
            crate::photos::remove_forgotten(&state.config.data_dir, &forgotten);
            Ok(Ok(()))
        }
        Ok(Err(clash)) => Ok(Err(clash)),
        Err(e) => Err(e),
    })
}

/// A file just stored for a form the write then refused: deleted unless
/// something names it (the same picture may be shown elsewhere).
async fn drop_unused(state: &AppState, file: String) -> Result<(), AppError> {
    let unused = budgets::unnamed_files(&state.store.read()?, vec![file])?;
    crate::photos::remove_forgotten(&state.config.data_dir, &unused);
    Ok(())
}

/// The answer to a change: back to the page with a message, or the page
/// again with the form's error (the names the domain gives its fields
/// renamed to this form's).
#[allow(clippy::too_many_arguments)]
async fn answer(
    state: &AppState,
    chrome: &Chrome,
    id: u64,
    number: u64,
    outcome: Result<Result<(), PhotoClash>, BudgetError>,
    typed: Typed,
    position: Option<usize>,
    flash: &'static str,
) -> Result<Response, AppError> {
    let (photo_id, alt_id) = ids(position);
    let errors = match outcome {
        Ok(Ok(())) => return Ok(redirect_with(state, &base(id, number), Flash::success(flash))),
        Ok(Err(PhotoClash::AlreadyThere)) => {
            let mut errors = FormErrors::default();
            errors.add(&photo_id, chrome.t("budget-photos-error-already-there"));
            errors
        }
        Err(BudgetError::ProjectNotFound) => return Err(AppError::NotFound),
        Err(e) => {
            let mut errors = refusal(chrome, e, &[])?;
            for (field, _) in &mut errors.0 {
                match field.as_str() {
                    "alt" | "description" => *field = alt_id.clone(),
                    "photo" => *field = photo_id.clone(),
                    _ => {}
                }
            }
            errors
        }
    };
    refused_page(state, chrome, id, number, &typed, &errors)
}

/// `POST /admin/budgets/:id/projets/:number/photos`: a photo added, last,
/// with its text.
#[poem::handler]
pub async fn add(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u64)>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    let (_, pr) = load_project(&state, id, number)?;
    let sent = read_form(req, multipart).await?;
    let typed = Typed { photo: None, alt: sent.alt.clone() };
    let mut errors = FormErrors::default();
    if pr.photos.len() >= MAX_PHOTOS {
        errors.add("photo", chrome.t("budget-staff-error-too-many-photos"));
    } else if sent.photo.is_none() {
        errors.add("photo", chrome.t("budget-photos-error-missing"));
    }
    check_alt(&chrome, &mut errors, "alt", &sent.alt);
    let Some(bytes) = sent.photo.filter(|_| errors.is_empty()) else {
        return refused_page(&state, &chrome, id, number, &typed, &errors);
    };
    let file = match store(&state, &chrome, bytes, "photo").await? {
        Ok(file) => file,
        Err(errors) => return refused_page(&state, &chrome, id, number, &typed, &errors),
    };
    let change = PhotoChange::Add(ProjectPhoto { file: file.clone(), alt: sent.alt });
    let outcome = change_photos(&state, Actor::person(viewer.account.id, ip), id, number, change).await?;
    if !matches!(outcome, Ok(Ok(()))) {
        drop_unused(&state, file).await?;
    }
    answer(&state, &chrome, id, number, outcome, typed, None, "budget-photos-flash-added").await
}

/// `POST /admin/budgets/:id/projets/:number/photos/:file`: the photo's text
/// changed and, when a file is sent, its picture replaced (the old file
/// deleted once nothing names it).
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number, old)): Path<(u64, u64, String)>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    let (_, pr) = load_project(&state, id, number)?;
    let position = pr.photos.iter().position(|p| p.file == old).ok_or(AppError::NotFound)?;
    let (photo_id, alt_id) = ids(Some(position));
    let sent = read_form(req, multipart).await?;
    let typed = Typed { photo: Some(old.clone()), alt: sent.alt.clone() };
    let mut errors = FormErrors::default();
    check_alt(&chrome, &mut errors, &alt_id, &sent.alt);
    if !errors.is_empty() {
        return refused_page(&state, &chrome, id, number, &typed, &errors);
    }
    let new = match sent.photo {
        None => None,
        Some(bytes) => match store(&state, &chrome, bytes, &photo_id).await? {
            Ok(file) => Some(file),
            Err(errors) => return refused_page(&state, &chrome, id, number, &typed, &errors),
        },
    };
    let photo = ProjectPhoto { file: new.clone().unwrap_or_else(|| old.clone()), alt: sent.alt };
    let change = PhotoChange::Replace { old, photo };
    let outcome = change_photos(&state, Actor::person(viewer.account.id, ip), id, number, change).await?;
    if let Some(file) = new.filter(|_| !matches!(outcome, Ok(Ok(())))) {
        drop_unused(&state, file).await?;
    }
    answer(&state, &chrome, id, number, outcome, typed, Some(position), "budget-photos-flash-saved").await
}

/// Which way a photo moves.
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    vers: String,
}

/// `POST /admin/budgets/:id/projets/:number/photos/:file/deplacer`: one
/// place up (`vers=haut`) or down (`vers=bas`); at an end, nothing moves.
#[poem::handler]
pub async fn move_photo(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number, file)): Path<(u64, u64, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let up = match form.vers.as_str() {
        "haut" => true,
        "bas" => false,
        _ => return Err(AppError::BadRequest("vers")),
    };
    let change = PhotoChange::Move { file, up };
    let outcome = change_photos(&state, Actor::person(viewer.account.id, ip), id, number, change).await?;
    answer(&state, &chrome, id, number, outcome, Typed::default(), None, "budget-photos-flash-moved").await
}

/// `POST /admin/budgets/:id/projets/:number/photos/:file/retirer`: the
/// photo removed, its file deleted once nothing names it.
#[poem::handler]
pub async fn remove(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number, file)): Path<(u64, u64, String)>,
) -> Result<Response, AppError> {
    let change = PhotoChange::Remove { file };
    let outcome = change_photos(&state, Actor::person(viewer.account.id, ip), id, number, change).await?;
    answer(&state, &chrome, id, number, outcome, Typed::default(), None, "budget-photos-flash-removed").await
}
