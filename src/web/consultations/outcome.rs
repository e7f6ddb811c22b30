//! « Nous avons demandé, vous avez dit, nous avons fait »: the outcome of a
//! closed consultation on its page ([`outcome_section`]), the public list of
//! every closed consultation with its outcome (`/consultations/resultats`),
//! and the staff's forms that publish it and add dated updates.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::staff::{consultation_page, load, Refused};
use super::{date, state_badge};
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{self, Consultation, ConsultationError, ConsultationId, Outcome};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::textarea;
use crate::web::components::{csrf_field, submit, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page;

/// The three parts of an outcome, with their dates, and its updates.
pub fn outcome_section(chrome: &Chrome, c: &Consultation, o: &Outcome, answers: u64) -> Markup {
    let lang = chrome.lang;
    html! {
        section.outcome aria-labelledby="bilan" {
            h2 #bilan { (chrome.t("consultation-outcome-title")) }
            h3 { (chrome.t("consultation-outcome-asked")) }
            @if let Some(closed) = c.closes_at() {
                p.meta { (lang.ta("consultation-outcome-asked-when", &[("date", Arg::from(date(closed))), ("count", Arg::from(answers))])) }
            }
            @if !c.summary.is_empty() { p { (c.summary) } }
            h3 { (chrome.t("consultation-outcome-said")) }
            div.prose { (crate::markdown::render(&o.said)) }
            p { a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-outcome-all-results")) } }
            h3 { (chrome.t("consultation-outcome-did")) }
            p.meta { (lang.ta("consultation-outcome-published-on", &[("date", Arg::from(date(o.published_at)))])) }
            div.prose { (crate::markdown::render(&o.decided)) }
            @if !o.updates.is_empty() {
                h3 { (chrome.t("consultation-outcome-updates")) }
                ol.timeline {
                    @for u in o.updates.iter().rev() {
                        li { p.meta { (date(u.at)) } div.prose { (crate::markdown::render(&u.text)) } }
                    }
                }
            }
        }
    }
}

/// `GET /consultations/resultats`: every closed consultation, with its
/// outcome or a line saying it is awaited.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let all = consultations::closed_with_outcomes(&tx, now)?;
    let all =
        crate::web::groups::visible(&chrome, &*tx, all, |(c, _)| crate::domain::groups::Process::Consultation(c.id))?;
    drop(tx);
    let title = chrome.t("consultation-outcomes-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/consultations" { (chrome.t("consultations-title")) } }
            h1 { (title) }
            p.lead { (chrome.t("consultation-outcomes-lead")) }
            @if all.is_empty() { p { (chrome.t("consultation-outcomes-none")) } }
            ul.cards {
                @for (c, o) in &all {
                    li.card {
                        h2 { a href={ "/consultations/" (c.id) "#bilan" } { (c.title) } }
                        p.meta {
                            (state_badge(chrome.lang, c.phase(now), o.is_some()))
                            @if let Some(closed) = c.closes_at() { " " (chrome.lang.ta("consultation-outcomes-closed-on", &[("date", Arg::from(date(closed)))])) }
                        }
                        @if !c.summary.is_empty() { p { (c.summary) } }
                        @match o {
                            Some(o) => {
                                p { strong { (chrome.t("consultation-outcome-did")) } }
                                div.prose { (crate::markdown::render(&o.decided)) }
                                p.meta { (chrome.lang.ta("consultation-outcome-published-on", &[("date", Arg::from(date(o.published_at)))]))
                                    @if let Some(last) = o.updates.last() { " · " (chrome.lang.ta("consultation-outcome-updated-on", &[("date", Arg::from(date(last.at)))])) } }
                            },
                            None => p { (chrome.t("consultation-outcome-awaited")) " " a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-results-link")) } },
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default, Clone)]
pub struct OutcomeForm {
    #[serde(default)]
    pub said: String,
    #[serde(default)]
    pub decided: String,
    #[serde(default)]
    pub update: String,
}

/// The staff's panel of a closed consultation: the form that publishes its
/// outcome, or, once published, the outcome and the form of an update.
pub fn staff_panel(
    chrome: &Chrome,
    c: &Consultation,
    o: Option<&Outcome>,
    form: &OutcomeForm,
    errors: &FormErrors,
) -> Markup {
    html! {
        section.panel aria-labelledby="bilan-staff" {
            h2 #bilan-staff { (chrome.t("consultation-outcome-title")) }
            @match o {
                None => form method="post" action={ "/admin/consultations/" (c.id) "/bilan" } novalidate {
                    (csrf_field(chrome))
                    p.hint { (chrome.t("consultation-outcome-staff-hint")) }
                    (textarea(chrome, errors, "said", "consultation-outcome-field-said", &form.said, 8))
                    (textarea(chrome, errors, "decided", "consultation-outcome-field-decided", &form.decided, 8))
                    (submit(&chrome.t("consultation-outcome-publish")))
                },
                Some(o) => {
                    p { (chrome.lang.ta("consultation-outcome-published-on", &[("date", Arg::from(date(o.published_at)))])) " "
                        a href={ "/consultations/" (c.id) "#bilan" } { (chrome.t("consultation-public-page")) } }
                    form method="post" action={ "/admin/consultations/" (c.id) "/bilan/suivi" } novalidate {
                        (csrf_field(chrome))
                        (textarea(chrome, errors, "update", "consultation-outcome-field-update", &form.update, 5))
                        (submit(&chrome.t("consultation-outcome-add-update")))
                    }
                },
            }
        }
    }
}

/// A refused outcome form: each empty field, or the one too long
/// (`field`: the update's, or the decision's for the outcome's form).
fn outcome_error(chrome: &Chrome, e: &ConsultationError, form: &OutcomeForm, field: &str) -> FormErrors {
    let mut errors = FormErrors::default();
    if let ConsultationError::TooLong = e {
        errors.add(field, chrome.t("consultation-error-too-long"));
        return errors;
    }
    let fields: &[(&str, &String)] = if field == "update" {
        &[("update", &form.update)]
    } else {
        &[("said", &form.said), ("decided", &form.decided)]
    };
    for (name, text) in fields {
        if text.trim().is_empty() {
            errors.add(name, chrome.t("consultation-outcome-error-empty"));
        }
    }
    errors
}

async fn respond(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    form: OutcomeForm,
    field: &str,
    result: Result<(), ConsultationError>,
    flash: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(redirect_with(state, &format!("/admin/consultations/{id}"), Flash::success(flash))),
        Err(e) => {
            let errors = outcome_error(chrome, &e, &form, field);
            let c = load(state, id)?;
            let page =
                consultation_page(chrome, state, &c, &Refused { outcome: Some((form, errors)), ..Refused::default() })?;
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/consultations/:id/bilan`: publish the outcome.
#[poem::handler]
pub async fn publish(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let (said, decided) = (form.said.clone(), form.decided.clone());
    let result = state
        .store
        .write(move |tx| {
            match consultations::publish_outcome(tx, &actor, ConsultationId(id), &said, &decided, now_unix()) {
                Ok(_) => Ok(Ok(())),
                Err(e @ (ConsultationError::EmptyText | ConsultationError::TooLong)) => Ok(Err(e)),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    respond(&chrome, &state, id, form, "decided", result, "flash-consultation-outcome-published").await
}

/// `POST /admin/consultations/:id/bilan/suivi`: add a dated update.
#[poem::handler]
pub async fn add_update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let text = form.update.clone();
    let result = state
        .store
        .write(move |tx| match consultations::add_outcome_update(tx, &actor, ConsultationId(id), &text, now_unix()) {
            Ok(_) => Ok(Ok(())),
            Err(e @ (ConsultationError::EmptyText | ConsultationError::TooLong)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    respond(&chrome, &state, id, form, "update", result, "flash-consultation-outcome-updated").await
}
