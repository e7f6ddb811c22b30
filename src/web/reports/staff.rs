//! The staff's side of a report's page: the status form, with the
//! commune's response templates, and its action.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::{notifier, status_label};
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::reports::{self, ProblemReport, ReportError};
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors};
use crate::web::errors::AppError;

/// The status form shown to staff on a report's page.
pub fn status_form(chrome: &Chrome, r: &ProblemReport) -> Markup {
    let settings = &chrome.config().reports;
    let statuses: Vec<(String, String)> =
        settings.statuses.iter().map(|s| (s.code.clone(), status_label(chrome, &s.code))).collect();
    let mut templates = vec![(String::new(), chrome.t("form-none"))];
    templates.extend(settings.templates.iter().map(|t| (t.code.clone(), t.title.clone())));
    let none = FormErrors::default();
    html! {
        section.panel aria-labelledby="etat" {
            h2 #etat { (chrome.t("problem-staff-status")) }
            form method="post" action={ "/signalements/" (r.id) "/etat" } {
                (csrf_field(chrome))
                (select(chrome, &none, "status", &chrome.t("problem-field-status"), None, &statuses, &r.status))
                (select(chrome, &none, "template", &chrome.t("problem-field-template"), Some(&chrome.t("problem-field-template-hint")), &templates, ""))
                div.form-group {
                    label for="status-text" { (chrome.t("problem-field-public-text")) }
                    div.hint #status-text-hint { (chrome.t("problem-field-public-text-hint")) }
                    textarea #status-text name="text" rows="4" aria-describedby="status-text-hint" {}
                }
                (submit(&chrome.t("problem-staff-status-submit")))
            }
        }
    }
}

/// The form that moves a report to another category (and its service).
pub fn reassign_form(chrome: &Chrome, r: &ProblemReport) -> Markup {
    let settings = &chrome.config().reports;
    let categories: Vec<(String, String)> = settings
        .categories
        .iter()
        .map(|c| {
            let service = settings.service(&c.service).map(|s| s.name.as_str()).unwrap_or_default();
            (c.code.clone(), format!("{} ({service})", c.name))
        })
        .collect();
    let none = FormErrors::default();
    html! {
        section.panel aria-labelledby="categorie" {
            h2 #categorie { (chrome.t("problem-staff-reassign")) }
            form method="post" action={ "/signalements/" (r.id) "/categorie" } {
                (csrf_field(chrome))
                (select(chrome, &none, "category", &chrome.t("problem-field-new-category"), None, &categories, &r.category))
                div.form-group {
                    label for="reassign-note" { (chrome.t("problem-field-public-text")) }
                    div.hint #reassign-note-hint { (chrome.t("problem-field-reassign-hint")) }
                    textarea #reassign-note name="note" rows="3" aria-describedby="reassign-note-hint" {}
                }
                (submit(&chrome.t("problem-staff-reassign-submit")))
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ReassignForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    note: String,
}

/// `POST /signalements/:id/categorie`: staff move a report to another
/// category; its service is mailed when it changes.
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
                &form.note,
                now_unix(),
            ) {
                Ok(_) => Ok(Ok(())),
                Err(ReportError::SameCategory) => Ok(Err(())),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-problem-reassigned")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-nothing-changed")),
    })
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/etat`: staff change the status, with a public
/// text or a template's.
#[poem::handler]
pub async fn change_status(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#historique");
    let (state2, notifier) = (state.0.clone(), notifier(&state));
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| {
            let template = Some(form.template.as_str()).filter(|t| !t.is_empty());
            match reports::change_status(
                tx,
                &state2.config,
                &notifier,
                &actor,
                ReportId(id),
                &form.status,
                &form.text,
                template,
                now_unix(),
            ) {
                Ok(_) => Ok(Ok(())),
                // Nothing changed and nothing said: the page says so.
                Err(ReportError::Empty) => Ok(Err(())),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-status-changed")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-nothing-changed")),
    })
}
