//! Consultations on the web: the list and a page per consultation
//! (`public.rs`), the questionnaire page by page (`answer.rs`, its fields
//! in `fields.rs`), the results and the export (`results.rs`), the outcome
//! (`outcome.rs`), and the staff's pages (`staff.rs`, `staff_questions.rs`,
//! and `staff_paper.rs` where they type in paper and interview answers).

pub mod answer;
pub mod coding;
pub mod conditional;
pub mod documents;
pub mod edit_answer;
pub mod export;
pub mod fields;
pub mod fields_kinds;
pub mod outcome;
pub mod public;
pub mod representation;
pub mod results;
pub mod results_kinds;
pub mod staff;
pub mod staff_paper;
pub mod staff_questions;
pub mod summary;
pub mod templates;
pub mod unsubscribe;

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use maud::{html, Markup};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::domain::accounts::Role;
use crate::domain::consultations::{Consultation, ConsultationError, FieldError, Phase, Raw};
use crate::i18n::{Arg, Lang};
use crate::web::chrome::Chrome;
use crate::web::errors::{AppError, Refusal};

pub use crate::web::proposals::{date, parse_date};

/// How mail reaches people: the site's address, for its links.
pub fn notifier(state: &crate::app::AppState) -> crate::domain::notifications::Notifier {
    crate::domain::notifications::Notifier { base_url: state.config.server.public_url.as_str().to_string() }
}

/// Whether the viewer is staff with two-factor on (who may see drafts,
/// results before the close and the answers).
pub fn is_staff(chrome: &Chrome) -> bool {
    chrome.viewer.as_ref().is_some_and(|v| v.account.role >= Role::Staff && v.two_factor)
}

/// A consultation's state as a badge: its phase, or « Bilan publié » once
/// a closed one's outcome is out.
pub fn state_badge(lang: Lang, phase: Phase, has_outcome: bool) -> Markup {
    match (phase, has_outcome) {
        (Phase::Closed, true) => {
            html! { span class="badge badge-consultation-outcome" { (lang.t("consultation-phase-outcome")) } }
        }
        _ => phase_badge(lang, phase),
    }
}

/// A phase as a labelled badge (the word is the cue, the colour repeats it).
pub fn phase_badge(lang: Lang, phase: Phase) -> Markup {
    html! { span class={ "badge badge-consultation-" (phase.code()) } { (lang.t(&format!("consultation-phase-{}", phase.code()))) } }
}

/// "From 01/12/2026 to 31/12/2026", or nothing for a draft.
pub fn dates_line(lang: Lang, c: &Consultation) -> Option<String> {
    let d = c.published?;
    // The last day is the one before the closing instant (closes at midnight).
    let last = c.closes_at().unwrap_or(d.closes_at) - 1;
    Some(lang.ta("consultation-dates", &[("opens", Arg::from(date(d.opens_at))), ("closes", Arg::from(date(last)))]))
}

/// The form fields, as sent (a multiple choice sends one per box ticked).
pub fn form_fields(body: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(body.as_bytes()) {
        out.entry(k.into_owned()).or_default().push(v.into_owned());
    }
    out
}

/// The name of a question's field, and of its "other, please say" text.
pub fn field_name(q: u32) -> String {
    format!("q{q}")
}

pub fn other_name(q: u32) -> String {
    format!("q{q}-autre")
}

/// What was sent for each question of `c` (every page's: those not on the
/// page shown travel in hidden fields).
pub fn raw_answers(c: &Consultation, fields: &BTreeMap<String, Vec<String>>) -> BTreeMap<u32, Raw> {
    let mut out = BTreeMap::new();
    for q in &c.questions {
        let mut values = fields.get(&field_name(q.id)).cloned().unwrap_or_default();
        values.extend(fields_kinds::row_fields(q, fields));
        let other = fields.get(&other_name(q.id)).and_then(|v| v.first()).cloned().unwrap_or_default();
        if !values.is_empty() || !other.is_empty() {
            out.insert(q.id, Raw { values, other });
        }
    }
    out
}

/// The words of a refused answer.
pub fn field_error(lang: Lang, e: &FieldError) -> String {
    match e {
        FieldError::Required => lang.t("consultation-error-required"),
        FieldError::TooLong => lang.t("consultation-error-too-long"),
        FieldError::NotAnOption => lang.t("consultation-error-not-an-option"),
        FieldError::OtherEmpty => lang.t("consultation-error-other-empty"),
        FieldError::TooFew(n) => lang.ta("consultation-error-too-few", &[("count", Arg::from(u64::from(*n)))]),
        FieldError::TooMany(n) => lang.ta("consultation-error-too-many", &[("count", Arg::from(u64::from(*n)))]),
        FieldError::NotANumber => lang.t("consultation-error-not-a-number"),
        FieldError::OutOfRange(Some(a), Some(b)) => lang
            .ta("consultation-error-between", &[("min", Arg::from(a.to_string())), ("max", Arg::from(b.to_string()))]),
        FieldError::OutOfRange(Some(a), None) => {
            lang.ta("consultation-error-at-least", &[("min", Arg::from(a.to_string()))])
        }
        FieldError::OutOfRange(None, Some(b)) => {
            lang.ta("consultation-error-at-most", &[("max", Arg::from(b.to_string()))])
        }
        FieldError::OutOfRange(None, None) => lang.t("consultation-error-not-a-number"),
        FieldError::NotADate => lang.t("consultation-error-not-a-date"),
        FieldError::Kinds(k) => fields_kinds::kinds_error(lang, *k),
    }
}

/// The cookie that says this browser answered consultation `id` without
/// an account: its receipt and a signature of it under the instance's
/// secret, so that the confirmation page shows a receipt the server gave.
pub fn visitor_cookie_name(id: u64) -> String {
    format!("parvis-consultation-{id}")
}

fn signature(secret: &[u8; 32], id: u64, receipt: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return String::new() };
    mac.update(format!("parvis-consultation-answered:{id}:{receipt}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

pub fn visitor_cookie_value(secret: &[u8; 32], id: u64, receipt: &str) -> String {
    format!("{receipt}.{}", signature(secret, id, receipt))
}

/// The receipt in a visitor's cookie, when its signature holds.
pub fn visitor_receipt(req: &poem::Request, secret: &[u8; 32], id: u64) -> Option<String> {
    let value = crate::web::chrome::cookie(req, &visitor_cookie_name(id))?;
    let (receipt, sig) = value.rsplit_once('.')?;
    let expected = signature(secret, id, receipt);
    bool::from(expected.as_bytes().ct_eq(sig.as_bytes())).then(|| receipt.to_string())
}

/// Every refusal of the consultations' operations, as a page: decided here
/// for each one, as `web::errors` does for the other concepts.
impl From<ConsultationError> for AppError {
    fn from(e: ConsultationError) -> Self {
        match e {
            ConsultationError::NotFound | ConsultationError::NoSuchQuestion => AppError::NotFound,
            // The forms check these first and say which field: reaching
            // here means a tampered or outdated form.
            ConsultationError::BadTitle
            | ConsultationError::TooLong
            | ConsultationError::UnknownNeighbourhood
            | ConsultationError::UnknownAgeBracket
            | ConsultationError::BadDates
            | ConsultationError::BadQuestion(_)
            | ConsultationError::NoQuestions
            | ConsultationError::MeaningLocked
            | ConsultationError::BreaksCondition(_)
            | ConsultationError::HasDependents(_)
            | ConsultationError::EmptyText
            | ConsultationError::Invalid(_) => Refusal::Invalid.into(),
            ConsultationError::AlreadyPublished | ConsultationError::AlreadyAnswered => Refusal::AlreadyDone.into(),
            ConsultationError::NotOpen => Refusal::Closed.into(),
            // The offer to change an answer shows only where it is allowed.
            ConsultationError::NotEditable => Refusal::AlreadyDone.into(),
            ConsultationError::NoAnswer => AppError::NotFound,
            // The staff's page offers the outcome's forms only after the
            // close, and the update's only once an outcome exists.
            ConsultationError::NotClosed | ConsultationError::NoOutcome => Refusal::Invalid.into(),
            ConsultationError::SignInRequired => AppError::Forbidden,
            ConsultationError::NotVerified => Refusal::VerifiedOnly.into(),
            ConsultationError::LinkInvalid => Refusal::LinkInvalid.into(),
            ConsultationError::Random(e) => AppError::Internal(e),
            ConsultationError::Store(s) => AppError::from(s),
        }
    }
}
