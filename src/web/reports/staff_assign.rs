//! Staff-only parts of a report's page: who handles it (assign to a staff
//! member) and the internal notes, with their actions. Nothing here is
//! shown to anyone but staff.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::date;
use crate::app::AppState;
use crate::domain::accounts::{self, AccountId, Role};
use crate::domain::audit::Actor;
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::reports::{self, ProblemReport, ReportError};
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors};
use crate::web::errors::AppError;

/// The assignment form and the internal notes, read in the page's transaction.
pub fn panels(chrome: &Chrome, tx: &crate::store::ReadTx, r: &ProblemReport) -> Result<Markup, AppError> {
    let assignee = reports::assignee(tx, r.id)?;
    let mut staff = vec![(String::new(), chrome.t("problem-assignee-nobody"))];
    let members = accounts::with_role_at_least(tx, Role::Staff)?;
    staff.extend(members.iter().map(|a| (a.id.get().to_string(), a.display_name.clone())));
    let selected = assignee.map(|a| a.get().to_string()).unwrap_or_default();
    let notes = reports::notes(tx, r.id)?;
    let name_of = |id: AccountId| {
        members
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.display_name.clone())
            .unwrap_or_else(|| chrome.t("deleted-participant"))
    };
    let none = FormErrors::default();
    Ok(html! {
        section.panel aria-labelledby="attribution" {
            h2 #attribution { (chrome.t("problem-staff-assign")) }
            form method="post" action={ "/signalements/" (r.id) "/attribuer" } {
                (csrf_field(chrome))
                (select(chrome, &none, "assignee", &chrome.t("problem-field-assignee"), None, &staff, &selected))
                (submit(&chrome.t("problem-staff-assign-submit")))
            }
        }
        section.panel aria-labelledby="notes-internes" {
            h2 #notes-internes { (chrome.t("problem-staff-notes")) }
            p.hint { (chrome.t("problem-staff-notes-hint")) }
            @if !notes.is_empty() {
                ol.timeline {
                    @for n in &notes {
                        li.timeline-staff {
                            p.meta { (date(n.at)) " — " (name_of(n.by)) }
                            div.prose { (crate::markdown::render(&n.text)) }
                        }
                    }
                }
            }
            form method="post" action={ "/signalements/" (r.id) "/note" } {
                (csrf_field(chrome))
                div.form-group {
                    label for="note-text" { (chrome.t("problem-field-note")) }
                    textarea #note-text name="text" rows="3" {}
                }
                (submit(&chrome.t("problem-staff-note-submit")))
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

/// `POST /signalements/:id/attribuer`: to a staff member, or to nobody.
#[poem::handler]
pub async fn assign(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#attribution");
    let target = match form.assignee.trim() {
        "" => None,
        // Not a number: no account has it.
        n => Some(AccountId(n.parse().map_err(|_| AppError::from(ReportError::NotStaff))?)),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match reports::assign(tx, &actor, ReportId(id), target, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(ReportError::AlreadyDone) => Ok(Err(())),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-assigned")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-nothing-changed")),
    })
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/note`: an internal note.
#[poem::handler]
pub async fn add_note(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#notes-internes");
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match reports::add_note(tx, &actor, ReportId(id), &form.text, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(ReportError::Empty) => Ok(Err(())),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-note-added")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-update-empty")),
    })
}
