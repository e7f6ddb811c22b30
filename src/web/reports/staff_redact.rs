//! Staff redact a report's description or an update: the staff's part of
//! the page lists each text with a form to replace it, and the original of
//! what was redacted (seen by staff only).

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::date;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::reports::{self, ProblemReport, ReportError, DESCRIPTION};
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::errors::AppError;

/// One text, its redaction form, and its original if it was redacted.
fn item(chrome: &Chrome, r: &ProblemReport, item: u64, label: &str, text: &str, original: Option<&str>) -> Markup {
    let field = format!("redact-{item}");
    html! {
        li {
            form method="post" action={ "/signalements/" (r.id) "/caviarder" } {
                (csrf_field(chrome))
                input type="hidden" name="item" value=(item);
                div.form-group {
                    label for=(field) { (label) }
                    textarea id=(field) name="text" rows="3" { (text) }
                }
                @if let Some(o) = original {
                    details {
                        summary { (chrome.t("problem-redact-original")) }
                        p.mail-text { (o) }
                    }
                }
                (submit(&chrome.t("problem-redact-submit")))
            }
        }
    }
}

/// The redaction section, read in the page's transaction.
pub fn panel(chrome: &Chrome, tx: &crate::store::ReadTx, r: &ProblemReport) -> Result<Markup, AppError> {
    let originals = reports::redactions(tx, r.id)?;
    let updates = reports::timeline(tx, r.id)?;
    let original = |n: u64| originals.get(&n).map(|o| o.original.as_str());
    Ok(html! {
        section.panel aria-labelledby="caviarder" {
            h2 #caviarder { (chrome.t("problem-staff-redact")) }
            p.hint { (chrome.t("problem-staff-redact-hint")) }
            ol {
                (item(chrome, r, DESCRIPTION, &chrome.t("problem-redact-description"), &r.description, original(DESCRIPTION)))
                @for (i, u) in updates.iter().enumerate() {
                    @let seq = i as u64 + 1;
                    @if !u.text.is_empty() {
                        (item(chrome, r, seq, &format!("{} — {}", chrome.t("problem-redact-update"), date(u.at)), &u.text, original(seq)))
                    }
                }
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct RedactForm {
    #[serde(default)]
    item: u64,
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/caviarder`.
#[poem::handler]
pub async fn redact(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<RedactForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#caviarder");
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match reports::redact(tx, &actor, ReportId(id), form.item, &form.text, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(ReportError::AlreadyDone) => Ok(Err(())),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-redacted")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-nothing-changed")),
    })
}
