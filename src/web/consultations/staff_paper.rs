//! `/admin/consultations/:id/papier`: staff type in an answer from a paper
//! form or an interview at the town hall, so that residents who are not
//! online count too. The whole questionnaire is on one page (typing from a
//! form goes faster without pages), with the channel and, if the person gave
//! it, their neighbourhood. Once kept, the form comes back empty with the
//! answer's number, ready for the next form of the pile.

use std::collections::BTreeMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response};

use super::fields::Field;
use super::{field_error, field_name, form_fields, raw_answers};
use crate::app::AppState;
use crate::domain::accounts::AGE_BRACKETS;
use crate::domain::audit::Actor;
use crate::domain::consultations::{self, Channel, Consultation, ConsultationError, ConsultationId, FieldError, Raw};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::Chrome;
use crate::web::components::{csrf_field, select, submit as submit_button, FormErrors};
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::page_with_errors;

/// The grace after the close, in seconds, from the configuration.
pub fn grace(state: &AppState) -> i64 {
    i64::from(state.config.consultation_paper_grace_days) * 86_400
}

/// What the form holds: the channel and neighbourhood chosen, and the answers.
#[derive(Default)]
struct Typed {
    channel: String,
    neighbourhood: String,
    /// One of `AGE_BRACKETS`, or empty: who answered (`representation.rs`).
    age: String,
    answers: BTreeMap<u32, Raw>,
}

fn form_page(chrome: &Chrome, c: &Consultation, typed: &Typed, errors: &FormErrors, kept: Option<u64>) -> Markup {
    let title = chrome.t("consultation-paper-title");
    let mut places = vec![(String::new(), chrome.t("consultation-paper-no-neighbourhood"))];
    places.extend(chrome.config().commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let mut ages = vec![(String::new(), chrome.t("consultation-paper-no-neighbourhood"))];
    ages.extend(AGE_BRACKETS.iter().map(|a| (a.to_string(), chrome.t(&format!("age-{a}")))));
    let channel_error = errors.get("canal");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href={ "/admin/consultations/" (c.id) } { (c.title) } }
            @if let Some(number) = kept {
                div.flash.flash-success role="status" {
                    p { (chrome.lang.ta("consultation-paper-kept", &[("number", Arg::from(number))])) }
                }
            }
            h1 { (title) }
            p.hint { (chrome.t("consultation-paper-intro")) }
            form method="post" action={ "/admin/consultations/" (c.id) "/papier" } novalidate {
                (csrf_field(chrome))
                // As the questionnaire's own choices are (`fields.rs`): the
                // first radio carries the id the error summary links to.
                fieldset class=(if channel_error.is_some() { "form-group form-group-error" } else { "form-group" })
                    aria-describedby=[channel_error.map(|_| "canal-error")] {
                    legend { (chrome.t("consultation-paper-channel")) }
                    @if let Some(e) = channel_error {
                        p.error-message id="canal-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                    }
                    @for (i, channel) in Channel::ALL.iter().enumerate() {
                        @let input_id = if i == 0 { "canal".to_string() } else { format!("canal-{}", channel.code()) };
                        div.radio {
                            input type="radio" name="canal" value=(channel.code()) id=(input_id) checked[typed.channel == channel.code()];
                            label for=(input_id) { (chrome.t(&format!("consultation-channel-{}", channel.code()))) }
                        }
                    }
                }
                (select(chrome, errors, "quartier", &chrome.t("consultation-paper-neighbourhood"), None, &places, &typed.neighbourhood))
                (super::fields_kinds::page_assets(chrome, c.questions.iter().filter(|q| !q.hidden)))
                (select(chrome, errors, "age", &chrome.t("consultation-paper-age"), None, &ages, &typed.age))
                @for q in c.questions.iter().filter(|q| !q.hidden) {
                    @let field = Field { chrome, question: q, raw: typed.answers.get(&q.id), error: errors.get(&field_name(q.id)).map(str::to_string) };
                    // The same rules as online: what a condition rules out is ignored.
                    @match super::conditional::hinted(chrome, c, q) {
                        Some(cond) => { (cond.wrap(field)) }
                        None => { (field) }
                    }
                }
                @if c.questions.iter().any(|q| q.show_if.is_some()) {
                    script src=(crate::web::assets::url("js/conditions.js")) defer {}
                }
                (submit_button(&chrome.t("consultation-paper-send")))
            }
        },
    )
}

/// The consultation, when staff may still type in answers to it.
fn load(state: &AppState, id: u64) -> Result<Consultation, AppError> {
    let c = consultations::get(&state.store.read()?, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    match consultations::takes_offline(&c, grace(state), now_unix()) {
        true => Ok(c),
        false => Err(Refusal::Closed.into()),
    }
}

/// `GET /admin/consultations/:id/papier`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let c = load(&state, id)?;
    Ok(form_page(&chrome, &c, &Typed::default(), &FormErrors::default(), None))
}

/// `POST /admin/consultations/:id/papier`: the answer kept and counted, and
/// the form again, empty; or the form as typed with what to correct.
#[poem::handler]
pub async fn submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    body: String,
) -> Result<Response, AppError> {
    let c = load(&state, id)?;
    let fields = form_fields(&body);
    let first = |name: &str| fields.get(name).and_then(|v| v.first()).cloned().unwrap_or_default();
    let typed = Typed {
        channel: first("canal"),
        neighbourhood: first("quartier"),
        age: first("age"),
        answers: raw_answers(&c, &fields),
    };
    let mut errors = FormErrors::default();
    let channel = Channel::from_code(&typed.channel);
    if channel.is_none() {
        errors.add("canal", chrome.t("consultation-paper-error-channel"));
    }
    let neighbourhood = Some(typed.neighbourhood.trim().to_string()).filter(|n| !n.is_empty());
    let places = state.config.commune.neighbourhoods.clone();
    if neighbourhood.as_ref().is_some_and(|n| !places.contains(n)) {
        errors.add("quartier", chrome.t("consultation-error-neighbourhood"));
    }
    let age = Some(typed.age.trim().to_string()).filter(|a| !a.is_empty());
    if age.as_ref().is_some_and(|a| !AGE_BRACKETS.contains(&a.as_str())) {
        errors.add("age", chrome.t("error-choose-from-list"));
    }
    // Every question is checked even when the channel is missing, so that
    // one refusal lists everything to correct.
    let invalid: Vec<(u32, FieldError)> =
        consultations::refused_answers(&state.store.read()?, c.questions.iter().filter(|q| !q.hidden), &typed.answers)?;
    let Some(channel) = channel.filter(|_| errors.is_empty() && invalid.is_empty()) else {
        for (q, e) in &invalid {
            errors.add(&field_name(*q), field_error(chrome.lang, e));
        }
        return Ok(refused(form_page(&chrome, &c, &typed, &errors, None), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let actor = Actor::person(viewer.account.id, ip);
    let (sent, grace, now) = (typed.answers.clone(), grace(&state), now_unix());
    let outcome = state
        .store
        .write(move |tx| {
            let group = consultations::Group { neighbourhood: neighbourhood.clone(), age_bracket: age.clone() };
            match consultations::submit_offline_grouped(
                tx,
                &actor,
                ConsultationId(id),
                channel,
                group,
                &places,
                &sent,
                grace,
                now,
            ) {
                Ok(done) => Ok(Ok(done)),
                // A question changed between the page and the sending.
                Err(ConsultationError::Invalid(errors)) => Ok(Err(errors)),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    match outcome {
        Ok(done) => {
            // The channel stays chosen: a pile of forms is typed in one go.
            let next = Typed { channel: typed.channel, ..Typed::default() };
            Ok(form_page(&chrome, &c, &next, &FormErrors::default(), Some(done.number)).into_response())
        }
        Err(invalid) => {
            for (q, e) in &invalid {
                errors.add(&field_name(*q), field_error(chrome.lang, e));
            }
            Ok(refused(form_page(&chrome, &c, &typed, &errors, None), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}
