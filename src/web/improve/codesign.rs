//! The co-design mark of a workshop, on its staff page: one checkbox, sent
//! by a plain form.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::ids::MeetingId;
use crate::domain::improve;
use crate::domain::meetings::{Kind, Meeting};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, submit};
use crate::web::errors::AppError;

/// The panel on a workshop's staff page (nothing for other kinds).
pub fn panel(chrome: &Chrome, state: &AppState, m: &Meeting) -> Result<Markup, AppError> {
    if m.kind != Kind::Workshop {
        return Ok(html! {});
    }
    let marked = improve::is_codesign(&*state.store.read()?, m.id)?;
    Ok(html! {
        section.panel aria-labelledby="co-construction" {
            h2 #co-construction { (chrome.t("codesign-title")) }
            p { (chrome.t("codesign-lead")) " " a href=(super::PATH) { (chrome.t("improve-title")) } "." }
            form method="post" action={ "/admin/rendez-vous/" (m.id) "/co-construction" } {
                (csrf_field(chrome))
                (checkbox("codesign", &chrome.t("codesign-checkbox"), marked))
                (submit(&chrome.t("codesign-save")))
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct CodesignForm {
    /// « on » when ticked; absent otherwise (a checkbox sends nothing).
    #[serde(default)]
    codesign: Option<String>,
}

/// `POST /admin/rendez-vous/:id/co-construction`.
#[poem::handler]
pub async fn mark(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(f): Form<CodesignForm>,
) -> Result<Response, AppError> {
    let on = f.codesign.is_some();
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| improve::mark_codesign(tx, &actor, MeetingId(id), on, now_unix()).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}#co-construction"), Flash::success("codesign-saved")))
}
