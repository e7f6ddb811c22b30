//! Verification of residents, the resident's side (`/compte/verification`):
//! the ways the commune offers (`[verification]`), the list's form (names
//! and birth date), the letter's forms (a postal address, then the code).
//! The staff's pages are in [`staff`], the letters' PDF in [`letters`].

pub mod letters;
pub mod staff;

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::AccountId;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::verification::{
    self, CodeOutcome, Letter, MatchOutcome, Method, Person, Verification, VerificationError,
};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::page_with_errors;
use crate::web::proposals::date;

impl From<VerificationError> for AppError {
    fn from(e: VerificationError) -> AppError {
        match e {
            VerificationError::NotFound | VerificationError::Erased | VerificationError::NoList => AppError::NotFound,
            VerificationError::NotAllowed | VerificationError::OwnAccount => AppError::Forbidden,
            VerificationError::AlreadyVerified | VerificationError::NotVerified | VerificationError::PersonTaken => {
                Refusal::AlreadyDone.into()
            }
            VerificationError::BadName
            | VerificationError::BadBirthDate
            | VerificationError::BadReason
            | VerificationError::BadAddress
            | VerificationError::BadDeletionDate
            | VerificationError::BadList(_) => Refusal::Invalid.into(),
            VerificationError::Store(s) => AppError::from(s),
        }
    }
}

/// The translation key of a way of verification.
pub fn method_key(method: Method) -> String {
    format!("verification-method-{}", method.code())
}

/// "Verified at the counter on 30/11/2026".
pub fn verified_text(chrome: &Chrome, v: &Verification) -> String {
    chrome.lang.ta(
        "verification-verified-on",
        &[("method", Arg::from(chrome.t(&method_key(v.method)))), ("date", Arg::from(date(v.verified_at)))],
    )
}

/// What a person typed about themself: names and a birth date (a
/// `YYYY-MM-DD` date field).
#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_names: String,
    #[serde(default)]
    pub birth_date: String,
}

impl PersonForm {
    /// The person, or the fields' errors.
    pub fn person(&self, chrome: &Chrome) -> Result<Person, FormErrors> {
        let mut errors = FormErrors::default();
        if verification::normalise_name(&self.last_name).is_empty()
            || self.last_name.chars().count() > verification::MAX_NAME
        {
            errors.add("last_name", chrome.t("verification-error-last-name"));
        }
        if verification::normalise_name(&self.first_names).is_empty()
            || self.first_names.chars().count() > verification::MAX_NAME
        {
            errors.add("first_names", chrome.t("verification-error-first-names"));
        }
        let birth = verification::list::parse_date(&self.birth_date);
        if birth.is_none() {
            errors.add("birth_date", chrome.t("verification-error-birth-date"));
        }
        match birth {
            Some(birth_date) if errors.is_empty() => {
                Ok(Person { last_name: self.last_name.clone(), first_names: self.first_names.clone(), birth_date })
            }
            _ => Err(errors),
        }
    }

    /// The three fields, with hints for the resident who types their own
    /// or for staff who copy a document (whose browser must not offer
    /// their own name).
    pub fn fields(&self, chrome: &Chrome, errors: &FormErrors, who: Who) -> Markup {
        let (suffix, family, given, bday) = match who {
            Who::Resident => ("", "family-name", "given-name", "bday"),
            Who::Staff => ("-staff", "off", "off", "off"),
        };
        html! {
            (Input::new("last_name", chrome.t("verification-field-last-name"), &self.last_name)
                .hint(chrome.t(&format!("verification-field-last-name-hint{suffix}"))).autocomplete(family).render(chrome, errors))
            (Input::new("first_names", chrome.t("verification-field-first-names"), &self.first_names)
                .hint(chrome.t(&format!("verification-field-first-names-hint{suffix}"))).autocomplete(given).render(chrome, errors))
            (Input::new("birth_date", chrome.t("verification-field-birth-date"), &self.birth_date)
                .kind("date").autocomplete(bday).render(chrome, errors))
        }
    }
}

/// Who fills in a person's names and birth date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Resident,
    Staff,
}

/// What the resident typed in the page's forms, kept when one is refused.
#[derive(Default, Clone)]
struct Typed {
    person: PersonForm,
    address: String,
    code: String,
}

/// The way by the counter: what to bring.
fn counter_section(chrome: &Chrome) -> Markup {
    html! {
        section aria-labelledby="counter" {
            h2 #counter { (chrome.t("verification-counter-title")) }
            p { (chrome.t("verification-counter-text")) }
        }
    }
}

fn list_section(chrome: &Chrome, typed: &Typed, errors: &FormErrors) -> Markup {
    html! {
        section aria-labelledby="list" {
            h2 #list { (chrome.t("verification-list-title")) }
            p { (chrome.t("verification-list-text")) }
            form method="post" action="/compte/verification/liste" novalidate {
                (csrf_field(chrome))
                (typed.person.fields(chrome, errors, Who::Resident))
                (submit(&chrome.t("verification-list-submit")))
            }
        }
    }
}

fn post_section(chrome: &Chrome, letter: Option<&Letter>, typed: &Typed, errors: &FormErrors) -> Markup {
    html! {
        section aria-labelledby="post" {
            h2 #post { (chrome.t("verification-post-title")) }
            @match letter {
                Some(l) if l.code.is_some() => {
                    @if let (Some(printed), Some(expires)) = (l.printed_at, l.expires_at) {
                        p { (chrome.lang.ta("verification-post-printed", &[("printed", Arg::from(date(printed))), ("expires", Arg::from(date(expires)))])) }
                    }
                    form method="post" action="/compte/verification/code" novalidate {
                        (csrf_field(chrome))
                        (Input::new("code", chrome.t("verification-field-code"), &typed.code)
                            .hint(chrome.t("verification-field-code-hint")).render(chrome, errors))
                        (submit(&chrome.t("verification-code-submit")))
                    }
                    p { (chrome.t("verification-post-again")) }
                }
                Some(l) if l.address.is_some() => {
                    p { (chrome.lang.ta("verification-post-waiting", &[("date", Arg::from(date(l.requested_at)))])) }
                }
                Some(_) => p { (chrome.t("verification-post-void")) },
                None => p { (chrome.t("verification-post-text")) },
            }
            form method="post" action="/compte/verification/courrier" novalidate {
                (csrf_field(chrome))
                p.hint { (chrome.t("verification-field-address-hint")) }
                (textarea(chrome, errors, "address", "verification-field-address", &typed.address, 6))
                (submit(&chrome.t("verification-post-submit")))
            }
        }
    }
}

/// The page, with the resident's typed values and errors when a form was refused.
fn resident_page(
    state: &AppState,
    chrome: &Chrome,
    id: AccountId,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let ways = state.config.verification;
    if !ways.any() {
        return Err(AppError::NotFound);
    }
    let tx = state.store.read()?;
    let status = verification::status(&tx, id)?;
    let letter = verification::letter_of(&tx, id)?;
    let list = verification::list_info(&tx)?;
    drop(tx);
    let title = chrome.t("verification-title");
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            @match &status {
                Some(v) => p.lead { strong { (verified_text(chrome, v)) } },
                None => {
                    p.lead { (chrome.t("verification-lead")) }
                    @if ways.counter { (counter_section(chrome)) }
                    @if ways.list && list.is_some() { (list_section(chrome, typed, errors)) }
                    @if ways.postal_codes { (post_section(chrome, letter.as_ref(), typed, errors)) }
                }
            }
        },
    ))
}

/// `GET /compte/verification`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    resident_page(&state, &chrome, viewer.account.id, &Typed::default(), &FormErrors::default())
}

fn refused_page(
    state: &AppState,
    chrome: &Chrome,
    id: AccountId,
    typed: &Typed,
    errors: &FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    Ok(refused(resident_page(state, chrome, id, typed, errors)?, status))
}

/// `POST /compte/verification/liste`: names and birth date against the list.
#[poem::handler]
pub async fn match_list(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    if !state.config.verification.list {
        return Err(AppError::NotFound);
    }
    let id = viewer.account.id;
    let typed = Typed { person: form.clone(), ..Typed::default() };
    let person = match form.person(&chrome) {
        Ok(p) => p,
        Err(errors) => return refused_page(&state, &chrome, id, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let actor = Actor::person(id, ip);
    let done = state
        .store
        .write(move |tx| match verification::match_list(tx, &actor, id, &person, now_unix()) {
            Ok(outcome) => Ok(Ok(outcome)),
            Err(
                e @ (VerificationError::PersonTaken | VerificationError::BadName | VerificationError::BadBirthDate),
            ) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    let mut errors = FormErrors::default();
    let status = match done {
        Ok(MatchOutcome::Verified) => {
            return Ok(redirect_with(&state, "/compte/verification", Flash::success("flash-verification-done")))
        }
        Ok(MatchOutcome::NoMatch) => {
            errors.add("last_name", chrome.t("verification-error-no-match"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(MatchOutcome::TooManyTries) => {
            errors.add("last_name", chrome.t("verification-error-too-many"));
            StatusCode::TOO_MANY_REQUESTS
        }
        Err(e) => person_refusal(e, &chrome, &mut errors, "verification-error-person-taken")?,
    };
    refused_page(&state, &chrome, id, &typed, &errors, status)
}

/// The form answer to a refusal about the person typed (name, birth date, or a
/// person already linked to another account), shared by the resident's list
/// match and the staff's counter check; `taken` names the message for the
/// latter, which differs by who reads it. Any other error is not a form answer.
pub(crate) fn person_refusal(
    e: VerificationError,
    chrome: &Chrome,
    errors: &mut FormErrors,
    taken: &str,
) -> Result<StatusCode, AppError> {
    match e {
        VerificationError::PersonTaken => {
            errors.add("last_name", chrome.t(taken));
            Ok(StatusCode::CONFLICT)
        }
        VerificationError::BadName => {
            errors.add("last_name", chrome.t("verification-error-last-name"));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        VerificationError::BadBirthDate => {
            errors.add("birth_date", chrome.t("verification-error-birth-date"));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        other => Err(AppError::from(other)),
    }
}

#[derive(Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    address: String,
}

/// `POST /compte/verification/courrier`: a letter to this address.
#[poem::handler]
pub async fn request_letter(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<AddressForm>,
) -> Result<Response, AppError> {
    if !state.config.verification.postal_codes {
        return Err(AppError::NotFound);
    }
    let id = viewer.account.id;
    let lines: Vec<String> = form.address.lines().map(str::to_string).collect();
    let actor = Actor::person(id, ip);
    let done = state
        .store
        .write(move |tx| match verification::request_letter(tx, &actor, id, &lines, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ VerificationError::BadAddress) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    if done.is_ok() {
        return Ok(redirect_with(&state, "/compte/verification", Flash::success("flash-verification-letter-asked")));
    }
    let mut errors = FormErrors::default();
    errors.add("address", chrome.t("verification-error-address"));
    let typed = Typed { address: form.address, ..Typed::default() };
    refused_page(&state, &chrome, id, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /compte/verification/code`: the code of the letter.
#[poem::handler]
pub async fn use_code(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if !state.config.verification.postal_codes {
        return Err(AppError::NotFound);
    }
    let id = viewer.account.id;
    let (actor, code) = (Actor::person(id, ip), form.code.clone());
    let outcome = state
        .store
        .write(move |tx| verification::use_code(tx, &actor, id, &code, now_unix()).map_err(AppError::from))
        .await?;
    let mut errors = FormErrors::default();
    let status = match outcome {
        CodeOutcome::Verified => {
            return Ok(redirect_with(&state, "/compte/verification", Flash::success("flash-verification-done")))
        }
        CodeOutcome::Invalid => {
            errors.add("code", chrome.t("verification-error-code"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        CodeOutcome::Expired => {
            errors.add("code", chrome.t("verification-error-code-expired"));
            StatusCode::GONE
        }
        CodeOutcome::TooManyTries => {
            errors.add("code", chrome.t("verification-error-too-many"));
            StatusCode::TOO_MANY_REQUESTS
        }
    };
    let typed = Typed { code: form.code, ..Typed::default() };
    refused_page(&state, &chrome, id, &typed, &errors, status)
}

/// The personal-data page's section (`/compte/mes-donnees`): how the account
/// was verified, the birth date kept for minimum ages, a letter waiting.
pub fn data_section(
    chrome: &Chrome,
    v: Option<&crate::domain::accounts::export::VerificationData>,
    letter: Option<&crate::domain::accounts::export::VerificationLetterData>,
) -> Markup {
    let day = |rfc: &str| rfc.parse::<jiff::Timestamp>().map(|t| date(t.as_second())).unwrap_or_default();
    html! {
        h2 { (chrome.t("verification-data")) }
        @match v {
            Some(v) => p {
                (chrome.lang.ta("verification-verified-on", &[
                    ("method", Arg::from(chrome.t(&format!("verification-method-{}", v.method)))),
                    ("date", Arg::from(day(&v.verified_at))),
                ]))
                @if let Some(d) = &v.document { " " (chrome.lang.ta("verification-data-document", &[("document", Arg::from(chrome.t(&format!("verification-document-{d}"))))])) }
                @if let Some(b) = &v.birth_date { " " (chrome.lang.ta("verification-data-birth-date", &[("date", Arg::from(b.as_str()))])) }
            },
            None => p { (chrome.t("verification-data-none")) },
        }
        @if let Some(l) = letter {
            p { (chrome.lang.ta("verification-data-letter", &[("date", Arg::from(day(&l.requested_at)))])) }
        }
    }
}

/// The privacy page's lines on verification (in its retention list): what
/// is kept and how long, and the imported list's deletion date if one is
/// kept.
pub fn privacy_retention(chrome: &Chrome) -> Markup {
    let ways = chrome.config().verification;
    if !ways.any() {
        return html! {};
    }
    let list = match chrome.state.store.read().map_err(AppError::from).and_then(|tx| Ok(verification::list_info(&tx)?))
    {
        Ok(list) => list,
        Err(e) => {
            // The page stays useful without the date; the log says why.
            tracing::warn!(error = %e, "cannot read the verification list for the privacy page");
            None
        }
    };
    html! {
        li { (chrome.lang.ta("privacy-retention-verification", &[("days", Arg::from(u64::from(ways.code_days)))])) }
        @if let Some(l) = list {
            li { (chrome.lang.ta("privacy-retention-verification-list", &[("date", Arg::from(date(l.delete_at)))])) }
        }
    }
}
