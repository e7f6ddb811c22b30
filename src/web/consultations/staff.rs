//! The staff's pages (`/admin/consultations`): the list, a new
//! consultation, and each one's page — its details, its questionnaire
//! (`staff_questions.rs`), publishing with dates, closing, and links to the
//! preview, the results and the export. No JavaScript needed.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::{dates_line, parse_date, phase_badge};
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{
    self, Audience, Consultation, ConsultationError, ConsultationId, Dates, Details, Phase,
};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, table_head, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

#[derive(Deserialize, Default, Clone)]
pub struct DetailsForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    audience: String,
}

impl DetailsForm {
    fn of(c: &Consultation) -> DetailsForm {
        DetailsForm {
            title: c.title.clone(),
            summary: c.summary.clone(),
            body: c.body.clone(),
            neighbourhood: c.neighbourhood.clone().unwrap_or_default(),
            audience: c.audience.code().to_string(),
        }
    }

    fn details(&self) -> Details {
        Details {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            neighbourhood: Some(self.neighbourhood.trim().to_string()).filter(|n| !n.is_empty()),
            audience: Audience::from_code(&self.audience).unwrap_or(Audience::SignedIn),
        }
    }
}

use crate::web::components::textarea;

/// The fields of a consultation's details.
fn details_fields(chrome: &Chrome, form: &DetailsForm, errors: &FormErrors) -> Markup {
    let mut places = vec![(String::new(), chrome.t("consultation-whole-commune"))];
    places.extend(chrome.config().commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let audiences = [Audience::SignedIn, Audience::Verified, Audience::Anyone]
        .map(|a| (a.code().to_string(), chrome.t(&format!("consultation-audience-{}", a.code()))));
    html! {
        (Input::new("title", chrome.t("consultation-field-title"), &form.title).render(chrome, errors))
        (textarea(chrome, errors, "summary", "consultation-field-summary", &form.summary, 2))
        (textarea(chrome, errors, "body", "consultation-field-body", &form.body, 10))
        (select(chrome, errors, "neighbourhood", &chrome.t("consultation-field-neighbourhood"), None, &places, &form.neighbourhood))
        (select(chrome, errors, "audience", &chrome.t("consultation-field-audience"), None, &audiences, &form.audience))
    }
}

/// A refusal of the details, on its field.
fn details_error(chrome: &Chrome, e: &ConsultationError) -> Option<(&'static str, String)> {
    match e {
        ConsultationError::BadTitle => Some(("title", chrome.t("consultation-error-title"))),
        ConsultationError::TooLong => Some(("body", chrome.t("consultation-error-too-long"))),
        ConsultationError::UnknownNeighbourhood => {
            Some(("neighbourhood", chrome.t("consultation-error-neighbourhood")))
        }
        _ => None,
    }
}

/// `GET /admin/consultations`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let now = now_unix();
    let mut rows = Vec::new();
    for c in consultations::list(&tx)? {
        let (answers, _) = consultations::answer_count(&tx, c.id)?;
        rows.push((c, answers));
    }
    let title = chrome.t("consultations-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { a.button href="/admin/consultations/nouvelle" { (chrome.t("consultation-new")) } }
            p { a href="/admin/consultations/modeles" { (chrome.t("consultation-new-from-template")) } }
            table {
                (table_head(&chrome, &["consultation-field-title", "consultation-col-phase", "consultation-col-answers"]))
                tbody {
                    @for (c, answers) in &rows {
                        tr {
                            td { a href={ "/admin/consultations/" (c.id) } { (c.title) } }
                            td { (phase_badge(chrome.lang, c.phase(now))) }
                            td { (answers) }
                        }
                    }
                }
            }
        },
    ))
}

fn new_page(chrome: &Chrome, form: &DetailsForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("consultation-new");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            form method="post" action="/admin/consultations/nouvelle" novalidate {
                (csrf_field(chrome))
                (details_fields(chrome, form, errors))
                (submit(&chrome.t("consultation-create")))
            }
        },
    )
}

/// `GET /admin/consultations/nouvelle`.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _staff: Staff) -> Markup {
    new_page(
        &chrome,
        &DetailsForm { audience: Audience::SignedIn.code().into(), ..DetailsForm::default() },
        &FormErrors::default(),
    )
}

/// `POST /admin/consultations/nouvelle`: a draft, then its page.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let (details, places) = (form.details(), state.config.commune.neighbourhoods.clone());
    let outcome = state
        .store
        .write(move |tx| match consultations::create(tx, &places, &actor, &details, now_unix()) {
            Ok(id) => Ok(Ok(id)),
            Err(
                e
                @ (ConsultationError::BadTitle | ConsultationError::TooLong | ConsultationError::UnknownNeighbourhood),
            ) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(id) => Ok(redirect_with(
            &state,
            &format!("/admin/consultations/{id}"),
            Flash::success("flash-consultation-created"),
        )),
        Err(e) => {
            let mut errors = FormErrors::default();
            if let Some((field, message)) = details_error(&chrome, &e) {
                errors.add(field, message);
            }
            Ok(refused(new_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// What a staff page of one consultation shows, with the errors of the
/// form that was refused, if one was.
#[derive(Default)]
pub struct Refused {
    pub details: Option<(DetailsForm, FormErrors)>,
    pub question: Option<(super::staff_questions::QuestionForm, FormErrors)>,
    pub dates: Option<(DatesForm, FormErrors)>,
    pub outcome: Option<(super::outcome::OutcomeForm, FormErrors)>,
}

impl Refused {
    fn errors(&self) -> FormErrors {
        let mut all = FormErrors::default();
        for e in [
            &self.details.as_ref().map(|d| &d.1),
            &self.question.as_ref().map(|q| &q.1),
            &self.dates.as_ref().map(|d| &d.1),
            &self.outcome.as_ref().map(|o| &o.1),
        ]
        .into_iter()
        .flatten()
        {
            all.0.extend(e.0.iter().cloned());
        }
        all
    }
}

/// The staff's page of a consultation.
pub fn consultation_page(
    chrome: &Chrome,
    state: &AppState,
    c: &Consultation,
    refused_forms: &Refused,
) -> Result<Markup, AppError> {
    let now = now_unix();
    let phase = c.phase(now);
    let tx = state.store.read()?;
    let (answers, _) = consultations::answer_count(&tx, c.id)?;
    let outcome = consultations::outcome(&tx, c.id)?;
    drop(tx);
    let none = FormErrors::default();
    let (details, details_errors) = match &refused_forms.details {
        Some((f, e)) => (f.clone(), e),
        None => (DetailsForm::of(c), &none),
    };
    let (dates, dates_errors) = match &refused_forms.dates {
        Some((f, e)) => (f.clone(), e),
        None => (DatesForm::default(), &none),
    };
    Ok(page_with_errors(
        chrome,
        &c.title,
        &refused_forms.errors(),
        html! {
            p.breadcrumb { a href="/admin/consultations" { (chrome.t("consultations-staff-title")) } }
            h1 { (c.title) }
            (crate::web::admin::posters::staff_links(chrome, crate::domain::promotion::Target::Consultation(c.id)))
            p.meta {
                (super::state_badge(chrome.lang, phase, outcome.is_some()))
                @if let Some(d) = dates_line(chrome.lang, c) { " " (d) }
                " · " (chrome.lang.ta("consultation-answer-count", &[("count", crate::i18n::Arg::from(answers))]))
            }
            ul {
                li { a href={ "/consultations/" (c.id) "/repondre?apercu=1" } { (chrome.t("consultation-preview")) } }
                li { a href={ "/consultations/" (c.id) } { (chrome.t("consultation-public-page")) } }
                li { a href={ "/admin/consultations/" (c.id) "/documents" } { (chrome.t("consultation-documents-manage")) } }
                li { a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-results-link")) } }
                li { a href={ "/consultations/" (c.id) "/reponses.csv" } download { (chrome.t("consultation-export")) } }
                @if consultations::takes_offline(c, super::staff_paper::grace(state), now) {
                    li { a href={ "/admin/consultations/" (c.id) "/papier" } { (chrome.t("consultation-paper-title")) } }
                }
            }
            @if answers > 0 { p.hint { (chrome.t("consultation-meaning-locked-note")) } }
            (super::staff_questions::questionnaire(chrome, c, refused_forms.question.as_ref()))
            (super::edit_answer::panel(chrome, c))
            section.panel aria-labelledby="details" {
                h2 #details { (chrome.t("consultation-details")) }
                form method="post" action={ "/admin/consultations/" (c.id) } novalidate {
                    (csrf_field(chrome))
                    (details_fields(chrome, &details, details_errors))
                    (submit(&chrome.t("consultation-save")))
                }
            }
            @match phase {
                Phase::Draft => section.panel aria-labelledby="publier" {
                    h2 #publier { (chrome.t("consultation-publish")) }
                    form method="post" action={ "/admin/consultations/" (c.id) "/publier" } novalidate {
                        (csrf_field(chrome))
                        (Input::new("opens", chrome.t("consultation-field-opens"), &dates.opens).kind("date").render(chrome, dates_errors))
                        (Input::new("closes", chrome.t("consultation-field-closes"), &dates.closes).kind("date").render(chrome, dates_errors))
                        (submit(&chrome.t("consultation-publish")))
                    }
                },
                Phase::Forthcoming | Phase::Open => section.panel aria-labelledby="cloturer" {
                    h2 #cloturer { (chrome.t("consultation-close")) }
                    form method="post" action={ "/admin/consultations/" (c.id) "/cloturer" } {
                        (csrf_field(chrome))
                        p { (chrome.t("consultation-close-text")) }
                        (submit(&chrome.t("consultation-close")))
                    }
                },
                Phase::Closed => {
                    @let (form, errors) = match &refused_forms.outcome {
                        Some((f, e)) => (f.clone(), e),
                        None => (super::outcome::OutcomeForm::default(), &none),
                    };
                    (super::outcome::staff_panel(chrome, c, outcome.as_ref(), &form, errors))
                },
            }
        },
    ))
}

pub fn load(state: &AppState, id: u64) -> Result<Consultation, AppError> {
    consultations::get(&state.store.read()?, ConsultationId(id))?.ok_or(AppError::NotFound)
}

/// `GET /admin/consultations/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let c = load(&state, id)?;
    consultation_page(&chrome, &state, &c, &Refused::default())
}

/// `POST /admin/consultations/:id`: the details changed.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let (details, places) = (form.details(), state.config.commune.neighbourhoods.clone());
    let outcome = state
        .store
        .write(move |tx| match consultations::update(tx, &places, &actor, ConsultationId(id), &details, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(
                e
                @ (ConsultationError::BadTitle | ConsultationError::TooLong | ConsultationError::UnknownNeighbourhood),
            ) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(()) => {
            Ok(redirect_with(&state, &format!("/admin/consultations/{id}"), Flash::success("flash-consultation-saved")))
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            if let Some((field, message)) = details_error(&chrome, &e) {
                errors.add(field, message);
            }
            let c = load(&state, id)?;
            let page = consultation_page(
                &chrome,
                &state,
                &c,
                &Refused { details: Some((form, errors)), ..Refused::default() },
            )?;
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DatesForm {
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

/// `POST /admin/consultations/:id/publier`: open on the first day, close at
/// the end of the last (the commune's time).
#[poem::handler]
pub async fn publish(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<DatesForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let opens = parse_date(&form.opens);
    let closes = parse_date(&form.closes).map(|c| c + 86_400);
    if opens.is_none() {
        errors.add("opens", chrome.t("consultation-error-date"));
    }
    if closes.is_none() {
        errors.add("closes", chrome.t("consultation-error-date"));
    }
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = match (opens, closes) {
        (Some(opens_at), Some(closes_at)) => {
            let dates = Dates { opens_at, closes_at };
            state
                .store
                .write(move |tx| match consultations::publish(tx, &actor, ConsultationId(id), dates, now_unix()) {
                    Ok(()) => Ok(Ok(())),
                    Err(e @ (ConsultationError::BadDates | ConsultationError::NoQuestions)) => Ok(Err(e)),
                    Err(e) => Err(AppError::from(e)),
                })
                .await?
        }
        _ => Err(ConsultationError::BadDates),
    };
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/consultations/{id}"),
            Flash::success("flash-consultation-published"),
        )),
        Err(e) => {
            match e {
                ConsultationError::NoQuestions => errors.add("opens", chrome.t("consultation-error-no-questions")),
                _ if errors.is_empty() => errors.add("closes", chrome.t("consultation-error-dates")),
                _ => {}
            }
            let c = load(&state, id)?;
            let page =
                consultation_page(&chrome, &state, &c, &Refused { dates: Some((form, errors)), ..Refused::default() })?;
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/consultations/:id/cloturer`.
#[poem::handler]
pub async fn close(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| consultations::close(tx, &actor, ConsultationId(id), now_unix())).await?;
    Ok(redirect_with(&state, &format!("/admin/consultations/{id}"), Flash::success("flash-consultation-closed")))
}
