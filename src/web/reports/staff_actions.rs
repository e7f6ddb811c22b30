//! Staff actions on a report's page beside the status: mark it as a
//! duplicate of another report, and move it to another category (and so
//! service). Each form posts to one operation of `domain::reports`; what
//! the staff can fix (a wrong number, a closed original, nothing to do)
//! comes back as a message on the page, anything else as an error page.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::notifier;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::reports::{self, ProblemReport, ReportError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors};
use crate::web::errors::AppError;

/// Whether the report is hidden, and the button that hides or shows it.
pub fn hide_form(chrome: &Chrome, r: &ProblemReport, hidden: bool) -> Markup {
    html! {
        section.panel aria-labelledby="masquer" {
            h2 #masquer { (chrome.t("problem-staff-visibility")) }
            p { (chrome.t(if hidden { "problem-hidden-yes" } else { "problem-hidden-no" })) }
            form method="post" action={ "/signalements/" (r.id) "/masquer" } {
                (csrf_field(chrome))
                input type="hidden" name="masquer" value=(if hidden { "non" } else { "oui" });
                button.button.button-secondary type="submit" {
                    (chrome.t(if hidden { "problem-staff-show" } else { "problem-staff-hide" }))
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct HideForm {
    #[serde(default)]
    masquer: String,
}

/// `POST /signalements/:id/masquer`: hide the report, or show it again.
#[poem::handler]
pub async fn hide(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    let hidden = form.masquer == "oui";
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| match reports::hide(tx, &actor, ReportId(id), hidden, now_unix()) {
            // Already so (two clicks): the page shows how it is.
            Ok(()) | Err(ReportError::AlreadyDone) => Ok(()),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    let flash = if hidden { "flash-report-hidden" } else { "flash-report-shown" };
    Ok(redirect_with(&state, &format!("/signalements/{id}#masquer"), Flash::success(flash)))
}

/// Under one photo, for staff: hide it with a reason, or, hidden, say so
/// and why, and show it again.
pub fn photo_hide_form(
    chrome: &Chrome,
    r: &ProblemReport,
    index: usize,
    file: &str,
    hidden: Option<&reports::HiddenPhoto>,
) -> Markup {
    let field = format!("photo-reason-{index}");
    html! {
        figcaption {
            form.photo-hide method="post" action={ "/signalements/" (r.id) "/masquer-photo" } {
                (csrf_field(chrome))
                input type="hidden" name="photo" value=(file);
                @if let Some(h) = hidden {
                    p.meta { strong { (chrome.t("problem-photo-hidden")) } " " (chrome.lang.ta("problem-photo-hidden-reason", &[("reason", Arg::from(h.reason.as_str()))])) }
                    input type="hidden" name="masquer" value="non";
                    button.button.button-secondary type="submit" { (chrome.t("problem-staff-show-photo")) }
                } @else {
                    input type="hidden" name="masquer" value="oui";
                    div.form-group {
                        label for=(field) { (chrome.t("problem-field-photo-reason")) }
                        input #(field) name="motif" type="text" required maxlength=(reports::MAX_HIDE_REASON);
                    }
                    button.button.button-secondary type="submit" { (chrome.t("problem-staff-hide-photo")) }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct HidePhotoForm {
    #[serde(default)]
    photo: String,
    #[serde(default)]
    masquer: String,
    #[serde(default)]
    motif: String,
}

/// `POST /signalements/:id/masquer-photo`: hide one photo with a reason,
/// or show it again.
#[poem::handler]
pub async fn hide_photo(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<HidePhotoForm>,
) -> Result<Response, AppError> {
    let hidden = form.masquer == "oui";
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| {
            match reports::hide_photo(tx, &actor, ReportId(id), &form.photo, hidden, &form.motif, now_unix()) {
                // Already so (two clicks): the page shows how it is.
                Ok(()) | Err(ReportError::AlreadyDone) => Ok(Ok(())),
                Err(ReportError::Empty) => Ok(Err("flash-report-photo-reason-missing")),
                Err(ReportError::TooLong) => Ok(Err("flash-report-photo-reason-too-long")),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    let to = format!("/signalements/{id}");
    Ok(match outcome {
        Ok(()) if hidden => redirect_with(&state, &to, Flash::success("flash-report-photo-hidden")),
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-photo-shown")),
        Err(key) => redirect_with(&state, &to, Flash::info(key)),
    })
}

/// The "mark as a duplicate" form.
pub fn duplicate_form(chrome: &Chrome, r: &ProblemReport) -> Markup {
    html! {
        section.panel aria-labelledby="doublon" {
            h2 #doublon { (chrome.t("problem-staff-duplicate")) }
            form method="post" action={ "/signalements/" (r.id) "/doublon" } {
                (csrf_field(chrome))
                div.form-group {
                    label for="original" { (chrome.t("problem-field-original")) }
                    div.hint #original-hint { (chrome.t("problem-field-original-hint")) }
                    input #original name="original" type="text" inputmode="numeric" pattern="[0-9]*"
                        autocomplete="off" required aria-describedby="original-hint";
                }
                div.form-group {
                    label for="duplicate-text" { (chrome.t("problem-field-public-text")) }
                    div.hint #duplicate-text-hint { (chrome.t("problem-field-public-text-hint")) }
                    textarea #duplicate-text name="text" rows="3" aria-describedby="duplicate-text-hint" {}
                }
                (submit(&chrome.t("problem-staff-duplicate-submit")))
            }
        }
    }
}

/// The "change the category" form.
pub fn reassign_form(chrome: &Chrome, r: &ProblemReport) -> Markup {
    let settings = &chrome.config().reports;
    let categories: Vec<(String, String)> =
        settings.categories.iter().map(|c| (c.code.clone(), c.name.clone())).collect();
    let none = FormErrors::default();
    html! {
        section.panel aria-labelledby="categorie" {
            h2 #categorie { (chrome.t("problem-staff-reassign")) }
            form method="post" action={ "/signalements/" (r.id) "/categorie" } {
                (csrf_field(chrome))
                (select(chrome, &none, "category", &chrome.t("problem-field-new-category"), Some(&chrome.t("problem-field-new-category-hint")), &categories, &r.category))
                div.form-group {
                    label for="reassign-text" { (chrome.t("problem-field-public-text")) }
                    div.hint #reassign-text-hint { (chrome.t("problem-field-public-text-hint")) }
                    textarea #reassign-text name="text" rows="3" aria-describedby="reassign-text-hint" {}
                }
                (submit(&chrome.t("problem-staff-reassign-submit")))
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DuplicateForm {
    #[serde(default)]
    original: String,
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/doublon`.
#[poem::handler]
pub async fn mark_duplicate(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<DuplicateForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#historique");
    // "n° 12", "#12" or "12": the number is what staff read on the page.
    let digits: String = form.original.chars().filter(char::is_ascii_digit).collect();
    let Ok(original) = digits.parse::<u64>() else {
        return Ok(redirect_with(
            &state,
            &format!("/signalements/{id}#doublon"),
            Flash::info("flash-report-original-missing"),
        ));
    };
    let (state2, notifier) = (state.0.clone(), notifier(&state));
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| {
            let done = reports::mark_duplicate(
                tx,
                &state2.config,
                &notifier,
                &actor,
                ReportId(id),
                ReportId(original),
                &form.text,
                now_unix(),
            );
            match done {
                Ok(_) => Ok(Ok(())),
                Err(ReportError::NoSuchOriginal) => Ok(Err("flash-report-original-missing")),
                Err(ReportError::Closed) => Ok(Err("flash-report-original-closed")),
                Err(ReportError::SameReport) => Ok(Err("flash-report-duplicate-itself")),
                Err(ReportError::AlreadyDone) => Ok(Err("flash-report-already-duplicate")),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-marked-duplicate")),
        Err(key) => redirect_with(&state, &format!("/signalements/{id}#doublon"), Flash::info(key)),
    })
}

#[derive(Deserialize, Default)]
pub struct ReassignForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/categorie`.
#[poem::handler]
pub async fn reassign(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<ReassignForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#historique");
    let (state2, notifier) = (state.0.clone(), notifier(&state));
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| {
            match reports::reassign(
                tx,
                &state2.config,
                &notifier,
                &actor,
                ReportId(id),
                &form.category,
                &form.text,
                now_unix(),
            ) {
                Ok(_) => Ok(Ok(())),
                Err(ReportError::AlreadyDone) => Ok(Err(())),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-reassigned")),
        Err(()) => {
            redirect_with(&state, &format!("/signalements/{id}#categorie"), Flash::info("flash-report-same-category"))
        }
    })
}
