//! The town hall's side: opening an idea box, answering a proposal,
//! recording the follow-up; and the public "what we did" page.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::{date, notifier, parse_date, progress, status_badge};
use crate::app::AppState;
use crate::domain::ids::{BoxId, ProposalId};
use crate::domain::now_unix;
use crate::domain::proposals::{self, Acting, IdeaBox, Milestone, Status, Supporters};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

#[derive(Deserialize, Default, Clone)]
pub struct BoxForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    categories: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    verified_only: Option<String>,
}

fn box_form(chrome: &Chrome, form: &BoxForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("box-new-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            form method="post" action="/admin/idees/nouvelle" novalidate {
                (csrf_field(chrome))
                (Input::new("title", chrome.t("field-box-title"), &form.title).render(chrome, errors))
                div class=(if errors.get("description").is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="description" { (chrome.t("field-box-description")) }
                    div.hint #description-hint { (chrome.t("field-box-description-hint")) }
                    @if let Some(e) = errors.get("description") { p.error-message { (e) } }
                    textarea #description name="description" rows="8" aria-describedby="description-hint" { (form.description) }
                }
                (Input::new("categories", chrome.t("field-box-categories"), &form.categories).optional().hint(chrome.t("field-box-categories-hint")).render(chrome, errors))
                (Input::new("opens", chrome.t("field-box-opens"), &form.opens).kind("date").render(chrome, errors))
                (Input::new("closes", chrome.t("field-box-closes"), &form.closes).kind("date").render(chrome, errors))
                (Input::new("threshold", chrome.t("field-box-threshold"), &form.threshold).kind("number").optional().hint(chrome.t("field-box-threshold-hint")).render(chrome, errors))
                (checkbox("verified_only", &chrome.t("field-box-verified-only"), form.verified_only.is_some()))
                (submit(&chrome.t("box-new-submit")))
            }
        },
    )
}

/// `GET /admin/idees/nouvelle`.
#[poem::handler]
pub async fn new_box_form(chrome: Chrome, _staff: Staff) -> Markup {
    box_form(&chrome, &BoxForm::default(), &FormErrors::default())
}

/// `POST /admin/idees/nouvelle`.
#[poem::handler]
pub async fn create_box(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<BoxForm>,
) -> Result<Response, AppError> {
    let lang = chrome.lang;
    let mut errors = FormErrors::default();
    if form.title.trim().chars().count() < 3 {
        errors.add("title", lang.t("error-box-title"));
    }
    let opens = parse_date(&form.opens);
    let closes = parse_date(&form.closes);
    if opens.is_none() {
        errors.add("opens", lang.t("error-date"));
    }
    match (opens, closes) {
        (_, None) => errors.add("closes", lang.t("error-date")),
        (Some(o), Some(c)) if c <= o => errors.add("closes", lang.t("error-box-closes-before")),
        _ => {}
    }
    let threshold = if form.threshold.trim().is_empty() { Some(0) } else { form.threshold.trim().parse::<u64>().ok() };
    if threshold.is_none() {
        errors.add("threshold", lang.t("error-whole-number"));
    }
    let (Some(opens), Some(closes), Some(threshold), true) = (opens, closes, threshold, errors.is_empty()) else {
        return Ok(refused(box_form(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let b = IdeaBox {
        id: BoxId(0),
        title: form.title.trim().to_string(),
        description: form.description.trim().to_string(),
        categories: form.categories.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
        // A box closes at the end of its last day.
        opens_at: opens,
        closes_at: closes + 86_400,
        supporters: if form.verified_only.is_some() { Supporters::VerifiedResidents } else { Supporters::Residents },
        threshold,
        created_by: viewer.account.id,
        created_at: now_unix(),
    };
    let acting = Acting::new(viewer.account.id, ip);
    let id = state.store.write(move |tx| proposals::open_box(tx, b.clone(), &acting, now_unix())).await?;
    Ok(redirect_with(&state, &format!("/idees/{id}"), Flash::success("flash-box-created")))
}

#[derive(Deserialize, Default, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct MilestoneForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    progress: String,
}

fn answer_page(
    chrome: &Chrome,
    p: &proposals::Proposal,
    answer: &AnswerForm,
    milestone: &MilestoneForm,
    errors: &FormErrors,
) -> Markup {
    let title = chrome.lang.ta("answer-title", &[("title", Arg::from(p.title.as_str()))]);
    let statuses: Vec<(String, String)> =
        Status::ALL.iter().map(|s| (s.code().to_string(), chrome.t(&format!("status-{}", s.code())))).collect();
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p { a href={ "/propositions/" (p.id) } { (chrome.t("answer-see-proposal")) } " · " (status_badge(chrome.lang, p.status)) }
            h2 { (chrome.t("answer-heading")) }
            form method="post" action={ "/admin/propositions/" (p.id) } novalidate {
                (csrf_field(chrome))
                (select(chrome, errors, "status", &chrome.t("field-status"), None, &statuses, &answer.status))
                div class=(if errors.get("text").is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="text" { (chrome.t("field-answer")) }
                    div.hint #text-hint { (chrome.t("field-answer-hint")) }
                    @if let Some(e) = errors.get("text") { p.error-message { (e) } }
                    textarea #text name="text" rows="6" aria-describedby="text-hint" { (answer.text) }
                }
                (submit(&chrome.t("answer-submit")))
            }
            @if p.status.is_followed_up() {
                h2 { (chrome.t("milestone-heading")) }
                (progress(chrome, p.progress()))
                form method="post" action={ "/admin/propositions/" (p.id) "/jalon" } novalidate {
                    (csrf_field(chrome))
                    (Input::new("title", chrome.t("field-milestone-title"), &milestone.title).render(chrome, errors))
                    (Input::new("text", chrome.t("field-milestone-text"), &milestone.text).optional().render(chrome, errors))
                    (Input::new("progress", chrome.t("field-milestone-progress"), &milestone.progress).kind("number").render(chrome, errors))
                    (submit(&chrome.t("milestone-submit")))
                }
            }
        },
    )
}

/// `GET /admin/propositions/:id`.
#[poem::handler]
pub async fn answer_form(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let p = proposals::get(&state.store.read()?, ProposalId(id))?.ok_or(AppError::NotFound)?;
    let form = AnswerForm {
        status: p.status.code().to_string(),
        text: p.answer.as_ref().map(|a| a.text.clone()).unwrap_or_default(),
    };
    Ok(answer_page(&chrome, &p, &form, &MilestoneForm::default(), &FormErrors::default()))
}

fn refuse(
    chrome: &Chrome,
    p: &proposals::Proposal,
    a: &AnswerForm,
    m: &MilestoneForm,
    errors: &FormErrors,
) -> Response {
    refused(answer_page(chrome, p, a, m, errors), StatusCode::UNPROCESSABLE_ENTITY)
}

/// `POST /admin/propositions/:id`: the public answer and status.
#[poem::handler]
pub async fn answer_submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let p = proposals::get(&state.store.read()?, ProposalId(id))?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    let Some(status) = Status::from_code(&form.status) else {
        errors.add("status", chrome.t("error-choose-from-list"));
        return Ok(refuse(&chrome, &p, &form, &MilestoneForm::default(), &errors));
    };
    if status == Status::Rejected && form.text.trim().is_empty() {
        errors.add("text", chrome.t("error-rejection-reason"));
        return Ok(refuse(&chrome, &p, &form, &MilestoneForm::default(), &errors));
    }
    let acting = Acting::new(viewer.account.id, ip);
    let notifier = notifier(&state);
    let text = form.text.clone();
    state
        .store
        .write(move |tx| proposals::answer(tx, &notifier, ProposalId(id), status, &text, &acting, now_unix()))
        .await?;
    Ok(redirect_with(&state, &format!("/propositions/{id}"), Flash::success("flash-answer-published")))
}

/// `POST /admin/propositions/:id/jalon`: a step of the follow-up.
#[poem::handler]
pub async fn milestone_submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let p = proposals::get(&state.store.read()?, ProposalId(id))?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    if form.title.trim().chars().count() < 3 {
        errors.add("title", chrome.t("error-milestone-title"));
    }
    let progress = form.progress.trim().parse::<u8>().ok().filter(|v| *v <= 100);
    if progress.is_none() {
        errors.add("progress", chrome.t("error-percent"));
    }
    let (Some(progress), true) = (progress, errors.is_empty() && p.status.is_followed_up()) else {
        let answer = AnswerForm { status: p.status.code().to_string(), text: String::new() };
        return Ok(refuse(&chrome, &p, &answer, &form, &errors));
    };
    let acting = Acting::new(viewer.account.id, ip);
    let notifier = notifier(&state);
    let m = Milestone {
        at: now_unix(),
        title: form.title.trim().to_string(),
        text: form.text.trim().to_string(),
        progress,
    };
    state
        .store
        .write(move |tx| proposals::add_milestone(tx, &notifier, ProposalId(id), m.clone(), &acting, now_unix()))
        .await?;
    Ok(redirect_with(&state, &format!("/propositions/{id}#suivi"), Flash::success("flash-milestone-added")))
}

/// `GET /ce-que-nous-avons-fait`: accepted proposals and their progress.
#[poem::handler]
pub async fn accountability(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let items: Vec<_> = proposals::followed_up(&tx)?.into_iter().filter(|p| !super::boxes::hidden(&tx, p)).collect();
    let items =
        crate::web::groups::visible(&chrome, &*tx, items, |p| crate::domain::groups::Process::IdeaBox(p.box_id))?;
    let title = chrome.t("accountability-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("accountability-lead")) }
            @if items.is_empty() { p { (chrome.t("accountability-none")) } }
            ul.cards {
                @for p in &items {
                    li.card {
                        h2 { a href={ "/propositions/" (p.id) } { (p.title) } }
                        p.meta { (status_badge(chrome.lang, p.status)) " · " (date(p.updated_at)) }
                        (progress(&chrome, p.progress()))
                        @if let Some(m) = p.milestones.last() { p { (m.title) } }
                    }
                }
            }
        },
    ))
}
