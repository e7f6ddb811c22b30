//! `/consultations/:id/repondre`: the questionnaire, page by page ("page 2
//! sur 4"). Every page's answers travel in the form (hidden fields for the
//! pages not shown), so Previous and Next never lose one, for a visitor
//! too; a signed-in person's are also kept as a draft, to come back to.
//! A refused page comes back with an error summary linking to each field.
//! Staff see drafts here as residents will (a preview: nothing is kept).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Path, Query, Redirect};
use poem::{IntoResponse, Request, Response};
use serde::Deserialize;

use super::fields::{carried, Field};
use super::{field_error, form_fields, is_staff, raw_answers, visitor_cookie_name, visitor_cookie_value};
use crate::app::AppState;
use crate::domain::consultations::{
    self, conditions, Consultation, ConsultationError, ConsultationId, FieldError, Phase, Raw, Respondent,
};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::auth::{add_cookie, ClientIp};
use crate::web::chrome::Chrome;
use crate::web::components::{checkbox, csrf_field, FormErrors};
use crate::web::errors::{refused, too_many, AppError, Refusal};
use crate::web::layout::{page, page_with_errors};

/// Answering for real, or staff looking at what residents will see.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Answer,
    Preview,
    /// A signed-in person changing the answer they sent (`edit_answer.rs`).
    Edit,
}

/// Whether the viewer may go through the questionnaire, and how; `Err`
/// with where to go instead (sign in, or the receipt of their answer).
fn access(
    req: &Request,
    chrome: &Chrome,
    c: &Consultation,
    now: i64,
    preview: bool,
    edit: bool,
) -> Result<Result<Mode, Response>, AppError> {
    let phase = c.phase(now);
    // Staff preview an open consultation without answering it.
    if preview && is_staff(chrome) {
        return Ok(Ok(Mode::Preview));
    }
    if phase != Phase::Open {
        return match (phase, is_staff(chrome)) {
            (_, true) => Ok(Ok(Mode::Preview)),
            (Phase::Draft, false) => Err(AppError::NotFound),
            (Phase::Forthcoming | Phase::Open | Phase::Closed, false) => Err(Refusal::Closed.into()),
        };
    }
    let done = Redirect::see_other(format!("/consultations/{}/merci", c.id)).into_response();
    match &chrome.viewer {
        Some(v) => {
            if consultations::has_answered(&chrome.state.store.read()?, c.id, v.account.id)? {
                // Where staff allow it, they may change it until the close.
                if edit && c.editable {
                    return Ok(Ok(Mode::Edit));
                }
                return Ok(Err(done));
            }
            // Said before the first page, not after the last.
            if !c.audience.admits(Some(v.account.role)) {
                return Err(Refusal::VerifiedOnly.into());
            }
        }
        None if !c.audience.admits(None) => {
            return Err(AppError::SignInRequired(format!("/consultations/{}/repondre", c.id)));
        }
        None => {
            if super::visitor_receipt(req, &chrome.state.secret, c.id.get()).is_some() {
                return Ok(Err(done));
            }
        }
    }
    Ok(Ok(Mode::Answer))
}

/// One page of the questionnaire, with every other page's answers carried.
fn questionnaire(
    chrome: &Chrome,
    c: &Consultation,
    n: usize,
    answers: &BTreeMap<u32, Raw>,
    errors: &[(u32, FieldError)],
    mode: Mode,
    tell_me: bool,
) -> Markup {
    let lang = chrome.lang;
    // Only the pages and questions the answers so far lead to.
    let pages = conditions::pages(c, answers).len();
    let shown = conditions::page(c, answers, n);
    let others: Vec<_> = c.questions.iter().filter(|q| !shown.iter().any(|s| s.id == q.id)).collect();
    let mut summary = FormErrors::default();
    for (q, e) in errors {
        summary.add(&super::field_name(*q), field_error(lang, e));
    }
    let progress =
        lang.ta("consultation-progress", &[("page", Arg::from(n as u64)), ("pages", Arg::from(pages as u64))]);
    let title = format!("{} – {progress}", c.title);
    page_with_errors(
        chrome,
        &title,
        &summary,
        html! {
            @if mode == Mode::Preview { div.flash.flash-info role="status" { p { (chrome.t("consultation-preview-banner")) } } }
            p.breadcrumb { a href={ "/consultations/" (c.id) } { (c.title) } }
            p.meta #progression { (progress) }
            h1 { (c.title) }
            form method="post" action={ "/consultations/" (c.id) "/repondre" } novalidate {
                (csrf_field(chrome))
                input type="hidden" name="page" value=(n);
                @if mode == Mode::Preview { input type="hidden" name="apercu" value="1"; }
                @if mode == Mode::Edit { input type="hidden" name="modifier" value="1"; }
                (carried(&others, answers))
                (super::fields_kinds::page_assets(chrome, shown.iter().copied()))
                @for q in &shown {
                    @let field = Field { chrome, question: q, raw: answers.get(&q.id), error: summary.get(&super::field_name(q.id)).map(str::to_string) };
                    @match super::conditional::same_page(chrome, c, q) {
                        Some(cond) => { (cond.wrap(field)) }
                        None => { (field) }
                    }
                }
                div.form-actions {
                    @if n < pages {
                        button.button type="submit" name="action" value="suivant" { (chrome.t("consultation-next")) }
                    } @else {
                        @if chrome.viewer.is_some() && mode == Mode::Answer {
                            input type="hidden" name="prevenir-montre" value="1";
                            (checkbox("prevenir", &chrome.t("consultation-tell-me"), tell_me))
                        }
                        button.button type="submit" name="action" value="envoyer" { (chrome.t("consultation-send")) }
                    }
                    @if n > 1 {
                        " "
                        button.button.button-secondary type="submit" name="action" value="precedent" { (chrome.t("consultation-previous")) }
                    }
                }
            }
            @if shown.iter().any(|q| super::conditional::same_page(chrome, c, q).is_some()) {
                script src=(crate::web::assets::url("js/conditions.js")) defer {}
            }
        },
    )
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<usize>,
    /// Staff's preview, even of an open consultation.
    apercu: Option<String>,
    /// Changing the answer sent, where allowed.
    modifier: Option<String>,
}

fn load(state: &AppState, id: u64) -> Result<Consultation, AppError> {
    consultations::get(&state.store.read()?, ConsultationId(id))?.ok_or(AppError::NotFound)
}

/// `GET /consultations/:id/repondre?page=N`: a page, with the signed-in
/// person's draft.
#[poem::handler]
pub async fn show(
    req: &Request,
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let c = load(&state, id)?;
    let mode = match access(req, &chrome, &c, now_unix(), q.apercu.is_some(), q.modifier.is_some())? {
        Ok(mode) => mode,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let answers = match (&chrome.viewer, mode) {
        (Some(v), Mode::Answer) => {
            consultations::draft(&state.store.read()?, c.id, v.account.id)?.map(|d| d.fields).unwrap_or_default()
        }
        // What they are changing: their draft of the change, else the
        // answer they sent.
        (Some(v), Mode::Edit) => {
            let tx = state.store.read()?;
            match consultations::draft(&tx, c.id, v.account.id)? {
                Some(d) => d.fields,
                None => consultations::answer_of(&tx, c.id, v.account.id)?
                    .map(|a| consultations::raw_of(&a))
                    .unwrap_or_default(),
            }
        }
        (None, Mode::Answer | Mode::Edit) | (_, Mode::Preview) => BTreeMap::new(),
    };
    let n = q.page.unwrap_or(1).clamp(1, conditions::pages(&c, &answers).len().max(1));
    // Ticked until the person unticks it (see `post`).
    Ok(questionnaire(&chrome, &c, n, &answers, &[], mode, true).into_response())
}

/// `POST /consultations/:id/repondre`: Previous, Next or Send.
#[poem::handler]
pub async fn submit(
    req: &Request,
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    ClientIp(ip): ClientIp,
    body: String,
) -> Result<Response, AppError> {
    let now = now_unix();
    let c = load(&state, id)?;
    let fields = form_fields(&body);
    let mode = match access(req, &chrome, &c, now, fields.contains_key("apercu"), fields.contains_key("modifier"))? {
        Ok(mode) => mode,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let action = fields.get("action").and_then(|v| v.first()).map(String::as_str).unwrap_or("suivant");
    let answers = raw_answers(&c, &fields);
    // The pages the answers lead to: a page's being shown depends only on
    // the pages before it and itself, so the page sent keeps its number.
    let pages = conditions::pages(&c, &answers).len().max(1);
    let n = fields.get("page").and_then(|v| v.first()).and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, pages);
    // Whoever answers follows the outcome unless they untick the box: the
    // outcome is what answering was for, and it reaches them as they chose
    // for « consultations I follow » (a daily digest by default, one stop
    // link away). The box is ticked until the page that shows it comes back
    // without it (an unticked box sends nothing, hence `prevenir-montre`);
    // a refused last page shows it as it was sent.
    let tell_me =
        !fields.contains_key("prevenir-montre") || fields.get("prevenir").is_some_and(|v| v.iter().any(|v| v == "on"));
    let account = chrome.viewer.as_ref().map(|v| v.account.id);
    if let (Some(account), Mode::Answer | Mode::Edit) = (account, mode) {
        let (kept, cid) = (answers.clone(), c.id);
        state.store.write(move |tx| consultations::save_draft(tx, cid, account, &kept, now)).await?;
    }
    if action == "precedent" {
        return Ok(questionnaire(&chrome, &c, n.saturating_sub(1).max(1), &answers, &[], mode, tell_me).into_response());
    }
    // A question shown with its condition's hint but not asked (the
    // choice on the same page says no) is not checked.
    let asked = conditions::asked(&c, &answers);
    let shown = conditions::page(&c, &answers, n).into_iter().filter(|q| asked.contains(&q.id));
    let errors = consultations::refused_answers(&state.store.read()?, shown, &answers)?;
    if !errors.is_empty() {
        let page = questionnaire(&chrome, &c, n, &answers, &errors, mode, tell_me);
        return Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    if action != "envoyer" || n < pages {
        return Ok(questionnaire(&chrome, &c, (n + 1).min(pages), &answers, &[], mode, tell_me).into_response());
    }
    if mode == Mode::Preview {
        return Ok(preview_done(&chrome, &c).into_response());
    }
    let respondent = match account {
        Some(a) => Respondent::Account(a),
        None => {
            if let Err(wait) = state.limiter.take(Quota::ConsultationAnswer, &format!("ip:{ip}"), Instant::now()) {
                let text = chrome.t("consultation-too-many");
                return Ok(too_many(page(&chrome, &text, html! { h1 { (text) } }), wait));
            }
            Respondent::Visitor
        }
    };
    let (sent, cid, visitor) = (answers.clone(), c.id, respondent == Respondent::Visitor);
    let notifier = super::notifier(&state);
    let editing = mode == Mode::Edit;
    let outcome = state
        .store
        .write(move |tx| {
            let done = match &respondent {
                Respondent::Account(a) if editing => consultations::edit_answer(tx, cid, *a, &sent, now),
                Respondent::Account(a) => consultations::submit_signed_in(tx, &notifier, cid, *a, &sent, tell_me, now),
                Respondent::Visitor | Respondent::Erased | Respondent::Offline { .. } => {
                    consultations::submit(tx, cid, respondent.clone(), &sent, now)
                }
            };
            match done {
                Ok(done) => Ok(Ok(done)),
                // Shown on the form (a question made required, or a tampered
                // hidden field): the page of the first error.
                Err(ConsultationError::Invalid(errors)) => Ok(Err(errors)),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await;
    let to = format!("/consultations/{}/merci", c.id);
    match outcome {
        Ok(Ok(done)) => {
            let mut resp = Redirect::see_other(&to).into_response();
            if visitor {
                let value = visitor_cookie_value(&state.secret, c.id.get(), &done.receipt);
                let secure = if state.is_https() { "; Secure" } else { "" };
                // A year: one answer per browser for as long as a consultation lasts.
                let cookie = format!(
                    "{}={value}; Path=/consultations/{}; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
                    visitor_cookie_name(c.id.get()),
                    c.id
                );
                add_cookie(&mut resp, &cookie);
            }
            Ok(resp)
        }
        Ok(Err(errors)) => {
            let first = errors.first().map(|(q, _)| *q);
            let pages_list = conditions::pages(&c, &answers);
            let n = first
                .and_then(|q| c.question(q))
                .and_then(|q| pages_list.iter().position(|p| *p == q.page))
                .map(|i| i + 1)
                .unwrap_or(1);
            let on_page: Vec<(u32, FieldError)> = errors
                .into_iter()
                .filter(|(q, _)| conditions::page(&c, &answers, n).iter().any(|s| s.id == *q))
                .collect();
            Ok(refused(
                questionnaire(&chrome, &c, n, &answers, &on_page, mode, tell_me),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        // A second tab or a double click: the first answer counts.
        Err(AppError::Refused(Refusal::AlreadyDone)) => Ok(Redirect::see_other(&to).into_response()),
        Err(e) => Err(e),
    }
}

fn preview_done(chrome: &Chrome, c: &Consultation) -> Markup {
    let title = chrome.t("consultation-preview-done");
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p { (chrome.t("consultation-preview-done-text")) }
            p { a href={ "/admin/consultations/" (c.id) } { (chrome.t("consultation-back-to-staff")) } }
        },
    )
}

/// `GET /consultations/:id/merci`: the confirmation, with the receipt.
#[poem::handler]
pub async fn thanks(
    req: &Request,
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let c = load(&state, id)?;
    let receipt = match &chrome.viewer {
        Some(v) => consultations::answer_of(&state.store.read()?, c.id, v.account.id)?.map(|a| a.receipt),
        None => super::visitor_receipt(req, &state.secret, id),
    };
    let Some(receipt) = receipt else {
        return Ok(Redirect::see_other(format!("/consultations/{id}")).into_response());
    };
    let title = chrome.t("consultation-thanks-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            div.confirmation role="status" {
                h1 { (title) }
                p { (chrome.t("consultation-receipt")) " " strong.receipt { (receipt) } }
            }
            p { (chrome.t("consultation-thanks-text")) }
            (super::edit_answer::offer(&chrome, &c, now_unix()))
            @if c.phase(now_unix()) == Phase::Closed {
                p { a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-results-link")) } }
            }
            p { a href="/consultations" { (chrome.t("consultations-title")) } }
        },
    )
    .into_response())
}
