//! Verification of residents, the staff's side (`/admin/verification`):
//! find an account by its address, verify it at the counter or revoke its
//! verification; print the letters waiting; import or delete the list.
//! Staff see of a person only what they need: name, address, whether and
//! how the account is verified — never a birth date nor a document number.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{verified_text, PersonForm, Who};
use crate::app::AppState;
use crate::domain::accounts::{self, Account, AccountId};
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::verification::{self, Document, ListProblem, VerificationError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, facts, select, submit, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};
use crate::web::middleware::BodyTooLarge;
use crate::web::proposals::date;

/// The largest list file accepted: a large city's electoral roll as CSV.
pub const MAX_LIST_BYTES: usize = 25 * 1024 * 1024;

fn breadcrumb(chrome: &Chrome) -> Markup {
    html! { p.breadcrumb { a href="/admin/verification" { (chrome.t("verification-staff-title")) } } }
}

fn search_form(chrome: &Chrome, email: &str, errors: &FormErrors) -> Markup {
    html! {
        form method="post" action="/admin/verification" novalidate {
            (csrf_field(chrome))
            (Input::new("email", chrome.t("verification-field-email"), email).kind("email").render(chrome, errors))
            (submit(&chrome.t("verification-search")))
        }
    }
}

fn index_page(chrome: &Chrome, state: &AppState, email: &str, errors: &FormErrors) -> Result<Markup, AppError> {
    let ways = state.config.verification;
    let tx = state.store.read()?;
    let waiting = verification::pending_letters(&tx)?.len() as u64;
    let list = verification::list_info(&tx)?;
    drop(tx);
    let title = chrome.t("verification-staff-title");
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("verification-staff-lead")) }
            (search_form(chrome, email, errors))
            @if ways.postal_codes {
                h2 { (chrome.t("verification-letters-title")) }
                p { (chrome.lang.ta("verification-letters-waiting", &[("count", Arg::from(waiting))])) " "
                    a href="/admin/verification/courriers" { (chrome.t("verification-letters-open")) } }
            }
            @if ways.list {
                h2 { (chrome.t("verification-list-staff-title")) }
                p {
                    @match &list {
                        Some(l) => (chrome.lang.ta("verification-list-summary", &[("rows", Arg::from(l.rows)), ("date", Arg::from(date(l.delete_at)))])),
                        None => (chrome.t("verification-list-none")),
                    }
                    " " a href="/admin/verification/liste" { (chrome.t("verification-list-open")) }
                }
            }
        },
    ))
}

/// `GET /admin/verification`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    index_page(&chrome, &state, "", &FormErrors::default())
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    email: String,
}

/// `POST /admin/verification`: the account of an address (a POST, so that
/// the address stays out of the logs' URLs).
#[poem::handler]
pub async fn search(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Form(form): Form<SearchForm>,
) -> Result<Response, AppError> {
    let found = accounts::find_by_email(&state.store.read()?, &form.email)?.filter(|a| a.erased_at.is_none());
    match found {
        Some(a) => Ok(poem::web::Redirect::see_other(format!("/admin/verification/comptes/{}", a.id)).into_response()),
        None => {
            let mut errors = FormErrors::default();
            errors.add("email", chrome.t("verification-error-no-account"));
            Ok(refused(index_page(&chrome, &state, &form.email, &errors)?, StatusCode::NOT_FOUND))
        }
    }
}

fn document_options(chrome: &Chrome) -> Vec<(String, String)> {
    Document::ALL
        .iter()
        .map(|d| (d.code().to_string(), chrome.t(&format!("verification-document-{}", d.code()))))
        .collect()
}

#[derive(Deserialize, Default, Clone)]
pub struct CounterForm {
    #[serde(default)]
    document: String,
    #[serde(flatten)]
    person: PersonForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

fn account_page(
    chrome: &Chrome,
    state: &AppState,
    account: &Account,
    counter: &CounterForm,
    revoke_form: &RevokeForm,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let status = verification::status(&state.store.read()?, account.id)?;
    let title = account.display_name.clone();
    let verified = status.as_ref().map(|v| verified_text(chrome, v));
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            (breadcrumb(chrome))
            h1 { (title) }
            (facts(chrome, &[
                (&chrome.t("verification-field-email"), Some(account.email.as_str())),
                (&chrome.t("verification-state"), Some(verified.as_deref().unwrap_or(&chrome.t("verification-not-verified")))),
            ]))
            @match &status {
                Some(_) => {
                    h2 { (chrome.t("verification-revoke-title")) }
                    form method="post" action={ "/admin/verification/comptes/" (account.id) "/revoquer" } novalidate {
                        (csrf_field(chrome))
                        (textarea(chrome, errors, "reason", "verification-field-reason", &revoke_form.reason, 3))
                        (submit(&chrome.t("verification-revoke-submit")))
                    }
                }
                None if state.config.verification.counter => {
                    h2 { (chrome.t("verification-counter-staff-title")) }
                    p { (chrome.t("verification-counter-staff-text")) }
                    form method="post" action={ "/admin/verification/comptes/" (account.id) "/verifier" } novalidate {
                        (csrf_field(chrome))
                        (select(chrome, errors, "document", &chrome.t("verification-field-document"), None, &document_options(chrome), &counter.document))
                        (counter.person.fields(chrome, errors, Who::Staff))
                        (submit(&chrome.t("verification-counter-submit")))
                    }
                }
                None => {}
            }
        },
    ))
}

fn load(state: &AppState, id: u64) -> Result<Account, AppError> {
    let account = accounts::get(&state.store.read()?, AccountId(id))?.ok_or(AppError::NotFound)?;
    if account.erased_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(account)
}

/// `GET /admin/verification/comptes/:id`.
#[poem::handler]
pub async fn account_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = load(&state, id)?;
    account_page(&chrome, &state, &account, &CounterForm::default(), &RevokeForm::default(), &FormErrors::default())
}

/// `POST /admin/verification/comptes/:id/verifier`: verified at the counter.
#[poem::handler]
pub async fn verify(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<CounterForm>,
) -> Result<Response, AppError> {
    if !state.config.verification.counter {
        return Err(AppError::NotFound);
    }
    let account = load(&state, id)?;
    let document = Document::from_code(&form.document);
    let mut errors = match form.person.person(&chrome) {
        Ok(_) => FormErrors::default(),
        Err(errors) => errors,
    };
    if document.is_none() {
        errors.add("document", chrome.t("verification-error-document"));
    }
    let (Some(document), Ok(person)) = (document, form.person.person(&chrome)) else {
        let page = account_page(&chrome, &state, &account, &form, &RevokeForm::default(), &errors)?;
        return Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = state
        .store
        .write(move |tx| {
            match verification::verify_at_counter(tx, &actor, AccountId(id), document, &person, now_unix()) {
                Ok(()) => Ok(Ok(())),
                Err(
                    e @ (VerificationError::PersonTaken | VerificationError::BadName | VerificationError::BadBirthDate),
                ) => Ok(Err(e)),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    let mut errors = FormErrors::default();
    let status = match done {
        Ok(()) => {
            return Ok(redirect_with(
                &state,
                &format!("/admin/verification/comptes/{id}"),
                Flash::success("flash-verification-counter-done"),
            ))
        }
        Err(e) => super::person_refusal(e, &chrome, &mut errors, "verification-error-person-taken-staff")?,
    };
    let page = account_page(&chrome, &state, &account, &form, &RevokeForm::default(), &errors)?;
    Ok(refused(page, status))
}

/// `POST /admin/verification/comptes/:id/revoquer`.
#[poem::handler]
pub async fn revoke(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let account = load(&state, id)?;
    let (actor, reason) = (Actor::person(viewer.account.id, ip), form.reason.clone());
    let done = state
        .store
        .write(move |tx| match verification::revoke(tx, &actor, AccountId(id), &reason, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ VerificationError::BadReason) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    if done.is_ok() {
        let flash = Flash::success("flash-verification-revoked");
        return Ok(redirect_with(&state, &format!("/admin/verification/comptes/{id}"), flash));
    }
    let mut errors = FormErrors::default();
    errors.add("reason", chrome.t("verification-error-reason"));
    let page = account_page(&chrome, &state, &account, &CounterForm::default(), &form, &errors)?;
    Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
}

/// `GET /admin/verification/courriers`: how many letters wait, and the button.
#[poem::handler]
pub async fn letters_page(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    if !state.config.verification.postal_codes {
        return Err(AppError::NotFound);
    }
    let waiting = verification::pending_letters(&state.store.read()?)?.len() as u64;
    let title = chrome.t("verification-letters-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            (breadcrumb(&chrome))
            h1 { (title) }
            p { (chrome.lang.ta("verification-letters-waiting", &[("count", Arg::from(waiting))])) }
            p { (chrome.t("verification-letters-text")) }
            @if waiting > 0 {
                form method="post" action="/admin/verification/courriers" {
                    (csrf_field(&chrome))
                    (submit(&chrome.t("verification-letters-print")))
                }
            }
        },
    ))
}

/// `POST /admin/verification/courriers`: every waiting letter, as one PDF
/// (one letter a page); their codes are made and their addresses deleted
/// in the same write, so a letter is printed once.
#[poem::handler]
pub async fn print(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let ways = state.config.verification;
    if !ways.postal_codes {
        return Err(AppError::NotFound);
    }
    let actor = Actor::person(viewer.account.id, ip);
    let printed = state
        .store
        .write(move |tx| verification::print_letters(tx, &actor, ways.code_days, now_unix()).map_err(AppError::from))
        .await?;
    if printed.is_empty() {
        return Ok(redirect_with(
            &state,
            "/admin/verification/courriers",
            Flash::info("flash-verification-no-letters"),
        ));
    }
    let pdf = super::letters::document(&state, &printed)?;
    let name = format!("courriers-verification-{}.pdf", jiff::Timestamp::now().strftime("%Y-%m-%d"));
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .header(header::CACHE_CONTROL, "no-store")
        .body(pdf))
}

fn list_page(chrome: &Chrome, state: &AppState, delete_on: &str, errors: &FormErrors) -> Result<Markup, AppError> {
    let list = verification::list_info(&state.store.read()?)?;
    let title = chrome.t("verification-list-staff-title");
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            (breadcrumb(chrome))
            h1 { (title) }
            p { (chrome.t("verification-list-staff-text")) }
            @match &list {
                Some(l) => {
                    p { (chrome.lang.ta("verification-list-current", &[
                        ("rows", Arg::from(l.rows)),
                        ("imported", Arg::from(date(l.imported_at))),
                        ("date", Arg::from(date(l.delete_at))),
                    ])) }
                    form method="post" action="/admin/verification/liste/supprimer" {
                        (csrf_field(chrome))
                        button.button.button-secondary type="submit" { (chrome.t("verification-list-delete")) }
                    }
                }
                None => p { (chrome.t("verification-list-none")) },
            }
            h2 { (chrome.t("verification-list-import-title")) }
            form method="post" action="/admin/verification/liste" enctype="multipart/form-data" novalidate {
                (csrf_field(chrome))
                div class=(if errors.get("document").is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="document" { (chrome.t("verification-field-list-file")) }
                    div.hint id="document-hint" { (chrome.t("verification-field-list-file-hint")) }
                    @if let Some(e) = errors.get("document") { p.error-message id="document-error" { (e) } }
                    input type="file" id="document" name="document" accept=".csv,text/csv" aria-describedby="document-hint";
                }
                (Input::new("delete_on", chrome.t("verification-field-delete-on"), delete_on)
                    .kind("date").hint(chrome.t("verification-field-delete-on-hint")).render(chrome, errors))
                (submit(&chrome.t("verification-list-import")))
            }
        },
    ))
}

/// `GET /admin/verification/liste`.
#[poem::handler]
pub async fn list_show(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    if !state.config.verification.list {
        return Err(AppError::NotFound);
    }
    list_page(&chrome, &state, "", &FormErrors::default())
}

/// The message of a file that cannot be read.
fn list_problem(chrome: &Chrome, problem: &ListProblem) -> String {
    let line = |n: &u64| Arg::from(*n);
    match problem {
        ListProblem::Empty => chrome.t("verification-error-list-empty"),
        ListProblem::TooLarge => chrome.t("verification-error-list-too-large"),
        ListProblem::MissingField(n) => chrome.lang.ta("verification-error-list-field", &[("line", line(n))]),
        ListProblem::BadDate(n) => chrome.lang.ta("verification-error-list-date", &[("line", line(n))]),
        ListProblem::Unreadable(n) => chrome.lang.ta("verification-error-list-line", &[("line", line(n))]),
    }
}

/// `POST /admin/verification/liste`: a new list replaces the old one.
#[poem::handler]
pub async fn import(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    if !state.config.verification.list {
        return Err(AppError::NotFound);
    }
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    let limit = |name: &str| (name == "delete_on").then_some(64);
    let mut parts =
        crate::web::multipart::read_with_document(multipart, too_large, 4, 0, MAX_LIST_BYTES, limit).await?;
    let delete_on = parts.take("delete_on");
    let mut errors = FormErrors::default();
    let delete_at = crate::web::proposals::parse_date(&delete_on);
    if delete_at.is_none() {
        errors.add("delete_on", chrome.t("verification-error-delete-on"));
    }
    let rows = match parts.document.take() {
        None => {
            errors.add("document", chrome.t("verification-error-list-empty"));
            None
        }
        Some(bytes) if bytes.len() > MAX_LIST_BYTES => {
            errors.add("document", chrome.t("verification-error-list-too-large"));
            None
        }
        Some(bytes) => match tokio::task::spawn_blocking(move || verification::parse_list(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
        {
            Ok(rows) => Some(rows),
            Err(problem) => {
                errors.add("document", list_problem(&chrome, &problem));
                None
            }
        },
    };
    let (Some(rows), Some(delete_at)) = (rows, delete_at) else {
        return Ok(refused(list_page(&chrome, &state, &delete_on, &errors)?, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let actor = Actor::person(viewer.account.id, ip);
    let done = state
        .store
        .write(move |tx| match verification::import_list(tx, &actor, &rows, delete_at, now_unix()) {
            Ok(info) => Ok(Ok(info)),
            Err(e @ VerificationError::BadDeletionDate) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(_) => {
            Ok(redirect_with(&state, "/admin/verification/liste", Flash::success("flash-verification-list-imported")))
        }
        Err(VerificationError::BadDeletionDate) => {
            errors.add("delete_on", chrome.t("verification-error-delete-on"));
            Ok(refused(list_page(&chrome, &state, &delete_on, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(AppError::from(other)),
    }
}

/// `POST /admin/verification/liste/supprimer`: the list goes before its date.
#[poem::handler]
pub async fn delete_list(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| verification::delete_list(tx, &actor, now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/admin/verification/liste", Flash::success("flash-verification-list-deleted")))
}
