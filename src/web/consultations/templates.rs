//! `/admin/consultations/modeles`: staff start a consultation from one of
//! the shipped templates (`domain::consultations::templates`): a draft
//! with its questions, then its staff page, editable as any draft.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{self, TEMPLATES};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// `GET /admin/consultations/modeles`: each template, what it asks, and
/// a button that makes a draft of it.
#[poem::handler]
pub async fn index(chrome: Chrome, _staff: Staff) -> Markup {
    let title = chrome.t("consultation-templates-title");
    html! {
        (page(&chrome, &title, html! {
            p.breadcrumb { a href="/admin/consultations" { (chrome.t("consultations-staff-title")) } }
            h1 { (title) }
            p.lead { (chrome.t("consultation-templates-lead")) }
            @for id in TEMPLATES {
                @if let Some(t) = consultations::template(id) {
                    section.panel aria-labelledby={ "modele-" (id) } {
                        h2 id={ "modele-" (id) } { (chrome.t(&format!("consultation-template-{id}"))) }
                        p { (chrome.t(&format!("consultation-template-{id}-text"))) }
                        details {
                            summary { (chrome.lang.ta("consultation-template-questions", &[("count", crate::i18n::Arg::from(t.questions.len() as u64))])) }
                            ol { @for q in &t.questions { li { (q.label) } } }
                        }
                        form method="post" action="/admin/consultations/modeles" {
                            (csrf_field(&chrome))
                            input type="hidden" name="modele" value=(id);
                            button.button type="submit" { (chrome.t("consultation-template-use")) }
                        }
                    }
                }
            }
        }))
    }
}

#[derive(Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    modele: String,
}

/// `POST /admin/consultations/modeles`: the draft, then its page.
#[poem::handler]
pub async fn create(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<TemplateForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let id = state
        .store
        .write(move |tx| {
            consultations::create_from_template(tx, &actor, &form.modele, now_unix()).map_err(AppError::from)
        })
        .await?;
    Ok(redirect_with(&state, &format!("/admin/consultations/{id}"), Flash::success("flash-consultation-from-template")))
}
