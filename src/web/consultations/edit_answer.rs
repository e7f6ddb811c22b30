//! Editable answers: the staff's setting (`POST
//! /admin/consultations/:id/modifiables`) and what residents see of it.
//! Changing an answer goes through the questionnaire itself
//! (`/consultations/:id/repondre?modifier=1`, `answer.rs`), filled with
//! the answer sent, then `consultations::edit_answer`.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{self, Consultation, ConsultationId, Phase};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::errors::AppError;

/// The staff's panel: whether residents may change their answer.
pub fn panel(chrome: &Chrome, c: &Consultation) -> Markup {
    html! {
        section.panel aria-labelledby="modifiables" {
            h2 #modifiables { (chrome.t("consultation-editable-title")) }
            p { (chrome.t(if c.editable { "consultation-editable-on" } else { "consultation-editable-off" })) }
            form method="post" action={ "/admin/consultations/" (c.id) "/modifiables" } {
                (csrf_field(chrome))
                input type="hidden" name="modifiables" value=(if c.editable { "non" } else { "oui" });
                (submit(&chrome.t(if c.editable { "consultation-editable-disallow" } else { "consultation-editable-allow" })))
            }
        }
    }
}

/// What a person who answered reads on the confirmation page: the link to
/// change their answer, while they still may.
pub fn offer(chrome: &Chrome, c: &Consultation, now: i64) -> Markup {
    html! {
        @if c.editable && c.phase(now) == Phase::Open && chrome.viewer.is_some() {
            p { a.button.button-secondary href={ "/consultations/" (c.id) "/repondre?modifier=1" } { (chrome.t("consultation-edit-answer")) } }
        }
    }
}

/// On the consultation's page: residents know before answering.
pub fn note(chrome: &Chrome, c: &Consultation) -> Markup {
    html! {
        @if c.editable && c.phase(now_unix()) == Phase::Open { p.hint { (chrome.t("consultation-editable-note")) } }
    }
}

#[derive(Deserialize)]
pub struct EditableForm {
    #[serde(default)]
    modifiables: String,
}

/// `POST /admin/consultations/:id/modifiables`.
#[poem::handler]
pub async fn set(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<EditableForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let editable = form.modifiables == "oui";
    state
        .store
        .write(move |tx| consultations::set_editable(tx, &actor, ConsultationId(id), editable, now_unix()))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/admin/consultations/{id}#modifiables"),
        Flash::success("flash-consultation-saved"),
    ))
}
