//! `/signalements/:id/repare`: the author answers "is it really fixed?"
//! from the mail's link: signed (`tour`, `cle`) for an account, a
//! single-use secret (`jeton`) for someone who filed without one. The link opens a page that asks to
//! confirm (a mail client or a scanner that follows links changes
//! nothing); the answer is a POST.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use super::{category_name, notifier};
use crate::app::AppState;
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::reports::{self, FollowupAnswer, ReportError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// The words of the link, and of the form that confirms it.
#[derive(Deserialize, Default, Clone)]
pub struct Answer {
    #[serde(default)]
    tour: u64,
    #[serde(default)]
    reponse: String,
    #[serde(default)]
    cle: String,
    #[serde(default)]
    jeton: String,
}

impl Answer {
    /// Checks the link without using it.
    fn check(&self, tx: &crate::store::ReadTx, id: ReportId, fixed: bool) -> Result<(), ReportError> {
        if self.jeton.is_empty() {
            reports::check_followup(tx, id, self.tour, fixed, &self.cle)
        } else {
            reports::check_visitor_followup(tx, id, &self.jeton)
        }
    }

    fn fixed(&self) -> Result<bool, ReportError> {
        match self.reponse.as_str() {
            "oui" => Ok(true),
            "non" => Ok(false),
            _ => Err(ReportError::LinkInvalid),
        }
    }
}

/// `GET /signalements/:id/repare`: the question again, and a button that
/// answers it.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(a): Query<Answer>,
) -> Result<Markup, AppError> {
    let fixed = a.fixed()?;
    let tx = state.store.read()?;
    a.check(&tx, ReportId(id), fixed)?;
    let r = reports::get(&tx, ReportId(id))?.ok_or(AppError::NotFound)?;
    drop(tx);
    let title = chrome.t("problem-followup-title");
    let number = chrome.lang.ta("problem-number", &[("number", Arg::from(r.id.get()))]);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { a href={ "/signalements/" (r.id) } { (number) " — " (category_name(chrome.config(), &r.category)) } }
            p.lead { (chrome.t(if fixed { "problem-followup-yes-lead" } else { "problem-followup-no-lead" })) }
            form method="post" action={ "/signalements/" (r.id) "/repare" } {
                (csrf_field(&chrome))
                input type="hidden" name="tour" value=(a.tour);
                input type="hidden" name="reponse" value=(a.reponse);
                @if a.jeton.is_empty() {
                    input type="hidden" name="cle" value=(a.cle);
                } @else {
                    input type="hidden" name="jeton" value=(a.jeton);
                }
                button.button type="submit" {
                    (chrome.t(if fixed { "problem-followup-confirm-yes" } else { "problem-followup-confirm-no" }))
                }
            }
        },
    ))
}

/// `POST /signalements/:id/repare`: the answer, once per round.
#[poem::handler]
pub async fn answer(
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Form(a): Form<Answer>,
) -> Result<Response, AppError> {
    let fixed = a.fixed()?;
    let (config, notifier) = (state.config.clone(), notifier(&state));
    let done = state
        .store
        .write(move |tx| {
            if a.jeton.is_empty() {
                reports::answer_followup(tx, &config, &notifier, ReportId(id), a.tour, fixed, &a.cle, now_unix())
            } else {
                reports::answer_visitor_followup(tx, &config, &notifier, ReportId(id), &a.jeton, fixed, now_unix())
            }
            .map_err(AppError::from)
        })
        .await?;
    let flash = match done {
        FollowupAnswer::Confirmed => Flash::success("flash-report-followup-fixed"),
        FollowupAnswer::Reopened => Flash::success("flash-report-followup-reopened"),
    };
    Ok(redirect_with(&state, &format!("/signalements/{id}#historique"), flash))
}
