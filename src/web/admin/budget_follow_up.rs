//! `/admin/budgets/:id/suivi`: the staff's follow-up of a process's winning
//! projects, once the vote is closed. The list of winners; per winner, its
//! status and progress, its milestones (added, corrected on their own page,
//! removed). Every change goes through `domain::budgets::follow_up`, which
//! refuses a project that did not win and audits the change; a refused form
//! comes back as typed.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::budgets::follow_up::{self, FollowUp, FollowUpError, Milestone, MilestoneInput, Status};
use crate::domain::budgets::{self, Process, ProcessId, Project};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::budgets::follow_up::{day, status_badge};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The winners with their follow-up, by number.
type Winners = Vec<(Project, FollowUp)>;

/// The statuses as the form codes them.
const STATUSES: [&str; 4] = ["studying", "in-progress", "done", "abandoned"];

/// A winner's status and progress as typed.
#[derive(Deserialize, Default, Clone)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    reason: String,
}

impl StatusForm {
    fn of(f: &FollowUp) -> StatusForm {
        StatusForm {
            status: f.status.code().to_string(),
            progress: f.progress.to_string(),
            reason: match &f.status {
                Status::Abandoned { reason } => reason.clone(),
                Status::Studying | Status::InProgress | Status::Done => String::new(),
            },
        }
    }

    /// The status and progress, or the fields this form alone can tell are
    /// wrong; the domain checks the rest (the reason, the range).
    fn parsed(&self, chrome: &Chrome) -> Result<(Status, u8), FormErrors> {
        let mut errors = FormErrors::default();
        let status = match self.status.as_str() {
            "studying" => Some(Status::Studying),
            "in-progress" => Some(Status::InProgress),
            "done" => Some(Status::Done),
            "abandoned" => Some(Status::Abandoned { reason: self.reason.clone() }),
            _ => None,
        };
        if status.is_none() {
            errors.add("status", chrome.t("error-choose-from-list"));
        }
        let progress = self.progress.trim().trim_end_matches('%').trim().parse::<u8>().ok().filter(|p| *p <= 100);
        if progress.is_none() {
            errors.add("progress", chrome.t("budget-follow-up-error-progress"));
        }
        match (status, progress) {
            (Some(s), Some(p)) => Ok((s, p)),
            _ => Err(errors),
        }
    }
}

/// A milestone as typed.
#[derive(Deserialize, Default, Clone)]
pub struct MilestoneForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    milestone_title: String,
    #[serde(default)]
    milestone_text: String,
}

/// A date as a date field sends it (2027-03-15) or as people type it where
/// the browser shows a plain text field (15/03/2027).
fn parse_day(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if let Ok(d) = text.parse() {
        return Some(d);
    }
    let mut parts = text.split('/').map(|p| p.trim().parse::<i16>().ok());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Some(d)), Some(Some(m)), Some(Some(y)), None) => {
            jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
        }
        _ => None,
    }
}

impl MilestoneForm {
    fn of(m: &Milestone) -> MilestoneForm {
        MilestoneForm { date: m.date.to_string(), milestone_title: m.title.clone(), milestone_text: m.text.clone() }
    }

    fn parsed(&self, chrome: &Chrome) -> Result<MilestoneInput, FormErrors> {
        match parse_day(&self.date) {
            Some(date) => {
                Ok(MilestoneInput { date, title: self.milestone_title.clone(), text: self.milestone_text.clone() })
            }
            None => {
                let mut errors = FormErrors::default();
                errors.add("date", chrome.t("budget-follow-up-error-date"));
                Err(errors)
            }
        }
    }
}

/// Where a form shows a refusal of the domain, and what it says; `Err` for
/// those that are no form's fault (not found, the store) and for those that
/// leave nothing to follow up (before the close, not a winner), which
/// [`not_followed`] answers. Every error is named.
fn field_of(e: FollowUpError) -> Result<(&'static str, &'static str), FollowUpError> {
    Ok(match e {
        FollowUpError::BadProgress => ("progress", "budget-follow-up-error-progress"),
        FollowUpError::NoReason => ("reason", "budget-follow-up-error-reason"),
        FollowUpError::BadTitle => ("milestone_title", "budget-follow-up-error-title"),
        FollowUpError::TooLong => ("milestone_text", "budget-follow-up-error-too-long"),
        FollowUpError::TooManyMilestones => ("milestone_title", "budget-follow-up-error-too-many"),
        FollowUpError::NotFound
        | FollowUpError::ProjectNotFound
        | FollowUpError::MilestoneNotFound
        | FollowUpError::NoResults
        | FollowUpError::NotWinner
        | FollowUpError::Store(_) => return Err(e),
    })
}

/// The refusal as form errors (the field renamed where the form calls it
/// otherwise), or as its page.
fn refusal(
    chrome: &Chrome,
    p: &Process,
    e: FollowUpError,
    rename: &[(&str, &'static str)],
) -> Result<Result<FormErrors, Response>, AppError> {
    match field_of(e) {
        Ok((field, key)) => {
            let field = rename.iter().find(|(from, _)| *from == field).map(|(_, to)| *to).unwrap_or(field);
            let mut errors = FormErrors::default();
            errors.add(field, chrome.t(key));
            Ok(Ok(errors))
        }
        Err(e @ (FollowUpError::NoResults | FollowUpError::NotWinner)) => Ok(Err(not_followed(chrome, p, &e))),
        Err(e) => Err(e.into()),
    }
}

/// Runs a follow-up operation in a write transaction: its refusal comes
/// back as a value, a store's failure as the error page.
async fn write<T: Send + 'static>(
    state: &AppState,
    mut op: impl FnMut(&crate::store::WriteTx) -> Result<T, FollowUpError> + Send + 'static,
) -> Result<Result<T, FollowUpError>, AppError> {
    state
        .store
        .write(move |tx| match op(tx) {
            Ok(v) => Ok(Ok(v)),
            Err(FollowUpError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e)),
        })
        .await
}

/// The page that says why there is nothing to follow up here: the vote is
/// not closed, or the project did not win (409: the process's state, not
/// the request, is in the way).
fn not_followed(chrome: &Chrome, p: &Process, e: &FollowUpError) -> Response {
    let key = match e {
        FollowUpError::NotWinner => "budget-follow-up-error-not-winner",
        _ => "budget-follow-up-error-no-results",
    };
    let title = chrome.t("budget-follow-up-staff-title");
    refused(
        page(
            chrome,
            &title,
            html! {
                p.breadcrumb { a href={ "/admin/budgets/" (p.id) } { (p.title) } }
                h1 { (title) }
                p { (chrome.t(key)) }
            },
        ),
        StatusCode::CONFLICT,
    )
}

/// What a page shows, or the page that says why there is nothing to follow
/// up ([`not_followed`]).
type OrRefused<T> = Result<T, Response>;

/// A process whose winners may be followed up, or why not.
fn load(chrome: &Chrome, state: &AppState, id: u64) -> Result<OrRefused<(Process, Winners)>, AppError> {
    let tx = state.store.read()?;
    let p = budgets::get(&tx, ProcessId(id))?.ok_or(AppError::NotFound)?;
    let now = now_unix();
    if !p.vote_closed(now) {
        return Ok(Err(not_followed(chrome, &p, &FollowUpError::NoResults)));
    }
    let winners = follow_up::follow_ups(&tx, &p, now)?;
    Ok(Ok((p, winners)))
}

/// One winner and its follow-up, or why not.
fn load_winner(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    number: u64,
) -> Result<OrRefused<(Process, Project, FollowUp)>, AppError> {
    let (p, winners) = match load(chrome, state, id)? {
        Ok(found) => found,
        Err(page) => return Ok(Err(page)),
    };
    if budgets::project(&state.store.read()?, p.id, number)?.is_none() {
        return Err(AppError::NotFound);
    }
    match winners.into_iter().find(|(pr, _)| pr.number == number) {
        Some((pr, f)) => Ok(Ok((p, pr, f))),
        None => Ok(Err(not_followed(chrome, &p, &FollowUpError::NotWinner))),
    }
}

/// `GET /admin/budgets/:id/suivi`: the winners, each with its status and
/// progress, linking to its follow-up.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let (p, winners) = match load(&chrome, &state, id)? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let title = chrome.t("budget-follow-up-staff-title");
    let base = format!("/admin/budgets/{}/suivi", p.id);
    Ok(poem::IntoResponse::into_response(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb {
                a href="/admin/budgets" { (chrome.t("budget-staff-title")) } " › "
                a href={ "/admin/budgets/" (p.id) } { (p.title) }
            }
            h1 { (title) }
            p { a href={ "/budgets/" (p.id) "/suivi" } { (chrome.t("budget-staff-public-page")) } }
            @if winners.is_empty() {
                p { (chrome.t("budget-follow-up-no-winner")) }
            } @else {
                ul.cards {
                    @for (pr, f) in &winners {
                        li.card {
                            h2 { a href={ (base) "/" (pr.number) } { (pr.number) ". " (pr.title) } }
                            p { (status_badge(&chrome, &f.status)) " " (f.progress) " %" }
                        }
                    }
                }
            }
        },
    )))
}

/// The forms of a winner's page as typed, for a refused one to come back.
#[derive(Default)]
struct Typed {
    status: Option<StatusForm>,
    milestone: MilestoneForm,
}

fn status_options(chrome: &Chrome) -> Vec<(String, String)> {
    STATUSES.iter().map(|c| (c.to_string(), chrome.t(&format!("budget-follow-up-status-{c}")))).collect()
}

fn milestone_fields(chrome: &Chrome, form: &MilestoneForm, errors: &FormErrors) -> Markup {
    html! {
        (Input::new("date", chrome.t("budget-follow-up-field-date"), &form.date).kind("date").hint(chrome.t("budget-follow-up-field-date-hint")).render(chrome, errors))
        (Input::new("milestone_title", chrome.t("budget-follow-up-field-title"), &form.milestone_title).render(chrome, errors))
        (textarea(chrome, errors, "milestone_text", "budget-follow-up-field-text", &form.milestone_text, 4))
    }
}

/// A winner's follow-up: its status and progress, its milestones with a
/// link to correct each and a button to remove it, a form to add one.
fn winner_page(chrome: &Chrome, p: &Process, pr: &Project, f: &FollowUp, typed: &Typed, errors: &FormErrors) -> Markup {
    let base = format!("/admin/budgets/{}/suivi/{}", p.id, pr.number);
    let stored = StatusForm::of(f);
    let status = typed.status.as_ref().unwrap_or(&stored);
    let title = format!("{}. {}", pr.number, pr.title);
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb {
                a href="/admin/budgets" { (chrome.t("budget-staff-title")) } " › "
                a href={ "/admin/budgets/" (p.id) } { (p.title) } " › "
                a href={ "/admin/budgets/" (p.id) "/suivi" } { (chrome.t("budget-follow-up-staff-title")) }
            }
            h1 { (title) }
            p { a href={ "/budgets/" (p.id) "/suivi#projet-" (pr.number) } { (chrome.t("budget-staff-public-page")) } }
            section.panel aria-labelledby="etat" {
                h2 #etat { (chrome.t("budget-follow-up-status-title")) }
                form method="post" action=(base) novalidate {
                    (csrf_field(chrome))
                    (select(chrome, errors, "status", &chrome.t("budget-follow-up-field-status"), None, &status_options(chrome), &status.status))
                    (Input::new("progress", chrome.t("budget-follow-up-field-progress"), &status.progress).kind("number").hint(chrome.t("budget-follow-up-field-progress-hint")).render(chrome, errors))
                    (textarea(chrome, errors, "reason", "budget-follow-up-field-reason", &status.reason, 3))
                    (submit(&chrome.t("budget-staff-save")))
                }
            }
            section.panel aria-labelledby="jalons" {
                h2 #jalons { (chrome.t("budget-follow-up-milestones")) }
                @if f.milestones.is_empty() {
                    p { (chrome.t("budget-follow-up-no-milestone")) }
                } @else {
                    ol.timeline {
                        @for m in &f.milestones {
                            li {
                                p.meta { time datetime=(m.date.to_string()) { (day(m.date)) } }
                                p { strong { (m.title) } }
                                p {
                                    a href={ (base) "/jalons/" (m.id) } { (chrome.t("budget-follow-up-edit")) span.visually-hidden { " — " (m.title) } }
                                }
                                form method="post" action={ (base) "/jalons/" (m.id) "/supprimer" } {
                                    (csrf_field(chrome))
                                    button.button.button-secondary type="submit" { (chrome.t("budget-follow-up-remove")) span.visually-hidden { " — " (m.title) } }
                                }
                            }
                        }
                    }
                }
                h3 { (chrome.t("budget-follow-up-add")) }
                form method="post" action={ (base) "/jalons" } novalidate {
                    (csrf_field(chrome))
                    (milestone_fields(chrome, &typed.milestone, errors))
                    (submit(&chrome.t("budget-follow-up-add")))
                }
            }
        },
    )
}

/// `GET /admin/budgets/:id/suivi/:number`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((id, number)): Path<(u64, u64)>,
) -> Result<Response, AppError> {
    Ok(match load_winner(&chrome, &state, id, number)? {
        Ok((p, pr, f)) => poem::IntoResponse::into_response(winner_page(
            &chrome,
            &p,
            &pr,
            &f,
            &Typed::default(),
            &FormErrors::default(),
        )),
        Err(page) => page,
    })
}

/// The winner's page again with what was typed and why it was refused.
fn again(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    number: u64,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    Ok(match load_winner(chrome, state, id, number)? {
        Ok((p, pr, f)) => refused(winner_page(chrome, &p, &pr, &f, typed, errors), StatusCode::UNPROCESSABLE_ENTITY),
        Err(page) => page,
    })
}

/// The refusal of an operation as the winner's page with the form as typed,
/// or as its own page.
fn answer_refusal(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    number: u64,
    e: FollowUpError,
    typed: &Typed,
    rename: &[(&str, &'static str)],
) -> Result<Response, AppError> {
    let p = budgets::get(&state.store.read()?, ProcessId(id))?.ok_or(AppError::NotFound)?;
    match refusal(chrome, &p, e, rename)? {
        Ok(errors) => again(chrome, state, id, number, typed, &errors),
        Err(page) => Ok(page),
    }
}

/// `POST /admin/budgets/:id/suivi/:number`: the status and progress.
#[poem::handler]
pub async fn set_status(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u64)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let typed = Typed { status: Some(form.clone()), ..Typed::default() };
    let (status, progress) = match form.parsed(&chrome) {
        Ok(parsed) => parsed,
        Err(errors) => return again(&chrome, &state, id, number, &typed, &errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = write(&state, move |tx| {
        follow_up::set_status(tx, &actor, ProcessId(id), number, status.clone(), progress, now_unix())
    })
    .await?;
    match done {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}/suivi/{number}"),
            Flash::success("budget-follow-up-flash-status"),
        )),
        Err(e) => answer_refusal(&chrome, &state, id, number, e, &typed, &[("milestone_text", "reason")]),
    }
}

/// `POST /admin/budgets/:id/suivi/:number/jalons`: a milestone added.
#[poem::handler]
pub async fn add_milestone(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u64)>,
    Form(form): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let typed = Typed { milestone: form.clone(), ..Typed::default() };
    let input = match form.parsed(&chrome) {
        Ok(input) => input,
        Err(errors) => return again(&chrome, &state, id, number, &typed, &errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = write(&state, move |tx| follow_up::add_milestone(tx, &actor, ProcessId(id), number, &input, now_unix()))
        .await?;
    match done {
        Ok(_) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}/suivi/{number}#jalons"),
            Flash::success("budget-follow-up-flash-added"),
        )),
        Err(e) => answer_refusal(&chrome, &state, id, number, e, &typed, &[]),
    }
}

/// A milestone's own page, to correct it.
fn milestone_page(
    chrome: &Chrome,
    p: &Process,
    pr: &Project,
    m: &Milestone,
    form: &MilestoneForm,
    errors: &FormErrors,
) -> Markup {
    let back = format!("/admin/budgets/{}/suivi/{}", p.id, pr.number);
    let title = chrome.t("budget-follow-up-edit-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb {
                a href={ "/admin/budgets/" (p.id) "/suivi" } { (chrome.t("budget-follow-up-staff-title")) } " › "
                a href=(back) { (pr.number) ". " (pr.title) }
            }
            h1 { (title) }
            form method="post" action={ (back) "/jalons/" (m.id) } novalidate {
                (csrf_field(chrome))
                (milestone_fields(chrome, form, errors))
                (submit(&chrome.t("budget-staff-save")))
            }
        },
    )
}

/// A winner's milestone, or why not.
fn load_milestone(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    number: u64,
    milestone: u32,
) -> Result<OrRefused<(Process, Project, Milestone)>, AppError> {
    Ok(match load_winner(chrome, state, id, number)? {
        Ok((p, pr, f)) => {
            let m = f.milestones.into_iter().find(|m| m.id == milestone).ok_or(AppError::NotFound)?;
            Ok((p, pr, m))
        }
        Err(page) => Err(page),
    })
}

/// `GET /admin/budgets/:id/suivi/:number/jalons/:milestone`.
#[poem::handler]
pub async fn edit_milestone(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((id, number, milestone)): Path<(u64, u64, u32)>,
) -> Result<Response, AppError> {
    Ok(match load_milestone(&chrome, &state, id, number, milestone)? {
        Ok((p, pr, m)) => poem::IntoResponse::into_response(milestone_page(
            &chrome,
            &p,
            &pr,
            &m,
            &MilestoneForm::of(&m),
            &FormErrors::default(),
        )),
        Err(page) => page,
    })
}

/// `POST /admin/budgets/:id/suivi/:number/jalons/:milestone`: corrected.
#[poem::handler]
pub async fn update_milestone(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number, milestone)): Path<(u64, u64, u32)>,
    Form(form): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let again = |errors: &FormErrors| -> Result<Response, AppError> {
        Ok(match load_milestone(&chrome, &state, id, number, milestone)? {
            Ok((p, pr, m)) => {
                refused(milestone_page(&chrome, &p, &pr, &m, &form, errors), StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(page) => page,
        })
    };
    let input = match form.parsed(&chrome) {
        Ok(input) => input,
        Err(errors) => return again(&errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = write(&state, move |tx| {
        follow_up::update_milestone(tx, &actor, ProcessId(id), number, milestone, &input, now_unix())
    })
    .await?;
    match done {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}/suivi/{number}#jalons"),
            Flash::success("budget-follow-up-flash-saved"),
        )),
        Err(e) => {
            let p = budgets::get(&state.store.read()?, ProcessId(id))?.ok_or(AppError::NotFound)?;
            match refusal(&chrome, &p, e, &[])? {
                Ok(errors) => again(&errors),
                Err(page) => Ok(page),
            }
        }
    }
}

/// `POST /admin/budgets/:id/suivi/:number/jalons/:milestone/supprimer`.
#[poem::handler]
pub async fn remove_milestone(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number, milestone)): Path<(u64, u64, u32)>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let done =
        write(&state, move |tx| follow_up::remove_milestone(tx, &actor, ProcessId(id), number, milestone, now_unix()))
            .await?;
    match done {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}/suivi/{number}#jalons"),
            Flash::success("budget-follow-up-flash-removed"),
        )),
        Err(e) => answer_refusal(&chrome, &state, id, number, e, &Typed::default(), &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_a_date_field_sends_them_and_as_people_type_them() {
        let d = jiff::civil::date(2027, 3, 15);
        assert_eq!(parse_day("2027-03-15"), Some(d));
        assert_eq!(parse_day(" 15/03/2027 "), Some(d));
        assert_eq!(parse_day("31/02/2027"), None);
        assert_eq!(parse_day("mars"), None);
    }
}
