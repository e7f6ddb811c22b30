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

/// What staff see on a report's page under its timeline: the status form,
/// then "mark as a duplicate" and "change the category"; the assignment
/// and the internal notes first (staff only, never public).
pub fn panels(chrome: &Chrome, tx: &crate::store::ReadTx, r: &ProblemReport) -> Result<Markup, AppError> {
    let hidden = crate::domain::reports::is_hidden(tx, r.id)?;
    Ok(html! {
        (super::staff_queue::link(chrome))
        (super::staff_actions::hide_form(chrome, r, hidden))
        (super::staff_assign::panels(chrome, tx, r)?)
        (status_form(chrome, r))
        (super::staff_actions::duplicate_form(chrome, r))
        (super::staff_actions::reassign_form(chrome, r))
        (super::staff_redact::panel(chrome, tx, r)?)
    })
}

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
