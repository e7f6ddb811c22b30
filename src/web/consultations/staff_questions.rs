//! The questionnaire builder, without JavaScript: the questions page by
//! page with their actions (edit, hide or show, move up or down), the form
//! that adds one, and the page that edits one. Once answers exist the
//! domain accepts only corrections (`consultations::edit_question`).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::staff::{consultation_page, load, Refused};
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{
    self, Consultation, ConsultationError, ConsultationId, Kind, Move, Question, QuestionProblem,
};
use crate::domain::now_unix;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;

#[derive(Deserialize, Default, Clone)]
pub struct QuestionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    hint: String,
    #[serde(default)]
    required: Option<String>,
    /// One option per line.
    #[serde(default)]
    options: String,
    #[serde(default)]
    dropdown: Option<String>,
    #[serde(default)]
    other: Option<String>,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    /// "1-5" or "0-10".
    #[serde(default)]
    scale: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
    /// A ranking's items, a matrix's rows and named columns: one per line.
    #[serde(default)]
    items: String,
    #[serde(default)]
    rows: String,
    #[serde(default)]
    columns: String,
    /// The id of the question the condition names, or empty: always asked.
    #[serde(default)]
    condition: String,
    /// The other fields: the condition's options ticked, `condition-<i>`
    /// (a box per option, as the form cannot repeat one name here).
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

impl QuestionForm {
    fn of(q: &Question) -> QuestionForm {
        let mut f = QuestionForm {
            kind: q.kind.code().into(),
            page: q.page.to_string(),
            label: q.label.clone(),
            hint: q.hint.clone(),
            required: q.required.then(|| "on".into()),
            scale: "1-5".into(),
            ..QuestionForm::default()
        };
        match &q.kind {
            Kind::Single { options, dropdown, other } => {
                f.options = options.join("\n");
                f.dropdown = dropdown.then(|| "on".into());
                f.other = other.then(|| "on".into());
            }
            Kind::Multiple { options, min, max, other } => {
                f.options = options.join("\n");
                f.other = other.then(|| "on".into());
                f.min = min.to_string();
                f.max = if *max == 0 { String::new() } else { max.to_string() };
            }
            Kind::Scale { from, to, low, high } => {
                f.scale = format!("{from}-{to}");
                f.low = low.clone();
                f.high = high.clone();
            }
            Kind::Number { min, max } => {
                f.min = min.map(|m| m.to_string()).unwrap_or_default();
                f.max = max.map(|m| m.to_string()).unwrap_or_default();
            }
            Kind::Ranking { items } => f.items = items.join("\n"),
            Kind::Matrix { rows, columns, from, to, low, high } => {
                f.rows = rows.join("\n");
                f.columns = columns.join("\n");
                f.scale = format!("{from}-{to}");
                f.low = low.clone();
                f.high = high.clone();
            }
            Kind::Info | Kind::ShortText | Kind::LongText | Kind::Date | Kind::Point => {}
        }
        if let Some(cond) = &q.show_if {
            f.condition = cond.question.to_string();
            f.rest = cond.options.iter().map(|o| (format!("condition-{o}"), "on".to_string())).collect();
        }
        f
    }

    /// The condition's options ticked.
    fn condition_options(&self) -> Vec<u32> {
        let mut options: Vec<u32> =
            self.rest.keys().filter_map(|k| k.strip_prefix("condition-").and_then(|o| o.parse().ok())).collect();
        // The keys sort as text ("condition-10" before "condition-2").
        options.sort_unstable();
        options
    }

    /// The question this form describes, or the fields in error.
    fn question(&self, chrome: &Chrome) -> Result<Question, FormErrors> {
        let mut errors = FormErrors::default();
        let page = self.page.trim().parse::<u32>().ok().filter(|p| *p >= 1);
        if page.is_none() {
            errors.add("page", chrome.t("consultation-error-page"));
        }
        let number = |name: &str, text: &str, errors: &mut FormErrors| -> Option<i64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            let n = t.parse::<i64>().ok();
            if n.is_none() {
                errors.add(name, chrome.t("consultation-error-not-a-number"));
            }
            n
        };
        let (min, max) = (number("min", &self.min, &mut errors), number("max", &self.max, &mut errors));
        let options: Vec<String> =
            self.options.lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect();
        let (from, to) = if self.scale == "0-10" { (0, 10) } else { (1, 5) };
        let count = |n: Option<i64>| n.map(|n| n.clamp(0, i64::from(u32::MAX)) as u32).unwrap_or(0);
        let kind = match self.kind.as_str() {
            "info" => Kind::Info,
            "short-text" => Kind::ShortText,
            "long-text" => Kind::LongText,
            "single" => Kind::Single { options, dropdown: self.dropdown.is_some(), other: self.other.is_some() },
            "multiple" => Kind::Multiple { options, min: count(min), max: count(max), other: self.other.is_some() },
            "scale" => Kind::Scale { from, to, low: self.low.trim().into(), high: self.high.trim().into() },
            "number" => Kind::Number { min, max },
            "date" => Kind::Date,
            "ranking" => Kind::Ranking { items: super::fields_kinds::lines(&self.items) },
            "matrix" => Kind::Matrix {
                rows: super::fields_kinds::lines(&self.rows),
                columns: super::fields_kinds::lines(&self.columns),
                from,
                to,
                low: self.low.trim().into(),
                high: self.high.trim().into(),
            },
            "point" => Kind::Point,
            _ => {
                errors.add("kind", chrome.t("consultation-error-kind"));
                Kind::Info
            }
        };
        let mut q = Question {
            id: 0,
            page: page.unwrap_or(1),
            label: self.label.trim().into(),
            hint: self.hint.trim().into(),
            required: self.required.is_some(),
            hidden: false,
            kind,
            show_if: None,
        };
        if !self.condition.trim().is_empty() {
            match self.condition.trim().parse::<u32>() {
                // The second step without JavaScript: the question chosen,
                // its options now shown to tick.
                Ok(question) if self.condition_options().is_empty() => {
                    errors.add("condition", chrome.t("consultation-error-condition-tick"));
                    q.show_if = Some(consultations::ShowIf { question, options: Vec::new() });
                }
                Ok(question) => q.show_if = Some(consultations::ShowIf { question, options: self.condition_options() }),
                Err(_) => errors.add("condition", chrome.t("consultation-error-condition-question")),
            }
        }
        if let Err(problem) = consultations::check_question(&q) {
            let (field, key) = problem_field(problem);
            errors.add(field, chrome.t(key));
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
    }
}

fn problem_field(problem: QuestionProblem) -> (&'static str, &'static str) {
    match problem {
        QuestionProblem::EmptyLabel => ("label", "consultation-error-label"),
        QuestionProblem::TooLong => ("label", "consultation-error-too-long"),
        QuestionProblem::Options => ("options", "consultation-error-options"),
        QuestionProblem::Bounds => ("min", "consultation-error-bounds"),
        QuestionProblem::Scale => ("scale", "consultation-error-scale"),
        QuestionProblem::RequiredInfo => ("required", "consultation-error-required-info"),
        QuestionProblem::Kinds(p) => super::fields_kinds::problem_field(p),
        QuestionProblem::ConditionQuestion => ("condition", "consultation-error-condition-question"),
        QuestionProblem::ConditionOrder => ("condition", "consultation-error-condition-order"),
        QuestionProblem::ConditionOptions => ("condition", "consultation-error-condition-tick"),
    }
}

/// The condition's fields: the choice questions to name (the domain says
/// whether the one chosen is earlier), then the options of the one chosen
/// to tick (after a first save without JavaScript).
fn condition_fields(
    chrome: &Chrome,
    c: &Consultation,
    editing: Option<u32>,
    f: &QuestionForm,
    errors: &FormErrors,
) -> Markup {
    let mut choices = vec![(String::new(), chrome.t("consultation-condition-always"))];
    choices.extend(
        c.questions
            .iter()
            .filter(|q| {
                !q.hidden && Some(q.id) != editing && matches!(q.kind, Kind::Single { .. } | Kind::Multiple { .. })
            })
            .map(|q| (q.id.to_string(), q.label.clone())),
    );
    let chosen = f.condition.trim().parse::<u32>().ok().and_then(|id| c.question(id));
    let options: Vec<String> = match chosen.map(|q| &q.kind) {
        Some(Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. }) => {
            let mut all = options.clone();
            if *other {
                all.push(chrome.t("consultation-other"));
            }
            all
        }
        _ => Vec::new(),
    };
    let ticked = f.condition_options();
    html! {
        fieldset.form-group #condition-group {
            legend { (chrome.t("consultation-field-condition")) }
            (select(chrome, errors, "condition", &chrome.t("consultation-field-condition-question"),
                Some(&chrome.t("consultation-field-condition-hint")), &choices, &f.condition))
            @if !options.is_empty() {
                fieldset.form-group {
                    legend { (chrome.t("consultation-field-condition-options")) }
                    @for (i, text) in options.iter().enumerate() {
                        (checkbox(&format!("condition-{i}"), text, ticked.contains(&(i as u32))))
                    }
                }
            }
        }
    }
}

/// "Shown only if « Q » = « A » or « B »", in the list of questions.
pub fn condition_line(chrome: &Chrome, c: &Consultation, q: &Question) -> Option<String> {
    let (question, answers) = super::conditional::quoted(chrome, c, q.show_if.as_ref()?)?;
    Some(chrome.lang.ta(
        "consultation-condition-line",
        &[("question", crate::i18n::Arg::from(question)), ("answers", crate::i18n::Arg::from(answers))],
    ))
}

/// The fields of a question (the same for adding and editing).
fn question_fields(
    chrome: &Chrome,
    c: &Consultation,
    editing: Option<u32>,
    f: &QuestionForm,
    errors: &FormErrors,
) -> Markup {
    let kinds: Vec<(String, String)> =
        Kind::CODES.iter().map(|k| (k.to_string(), chrome.t(&format!("consultation-kind-{k}")))).collect();
    let scales = [("1-5".to_string(), "1 – 5".to_string()), ("0-10".to_string(), "0 – 10".to_string())];
    let options_error = errors.get("options");
    html! {
        (select(chrome, errors, "kind", &chrome.t("consultation-field-kind"), None, &kinds, &f.kind))
        (Input::new("page", chrome.t("consultation-field-page"), &f.page).kind("number").render(chrome, errors))
        (Input::new("label", chrome.t("consultation-field-label"), &f.label).render(chrome, errors))
        div.form-group {
            label for="hint" { (chrome.t("consultation-field-hint")) }
            textarea #hint name="hint" rows="3" { (f.hint) }
        }
        (checkbox("required", &chrome.t("consultation-field-required"), f.required.is_some()))
        fieldset.form-group {
            legend { (chrome.t("consultation-field-choices")) }
            div class=(if options_error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                label for="options" { (chrome.t("consultation-field-options")) }
                div.hint #options-hint { (chrome.t("consultation-field-options-hint")) }
                @if let Some(e) = options_error { p.error-message #options-error { (e) } }
                textarea #options name="options" rows="5" aria-describedby="options-hint" { (f.options) }
            }
            (checkbox("dropdown", &chrome.t("consultation-field-dropdown"), f.dropdown.is_some()))
            (checkbox("other", &chrome.t("consultation-field-other"), f.other.is_some()))
        }
        fieldset.form-group {
            legend { (chrome.t("consultation-field-limits")) }
            (Input::new("min", chrome.t("consultation-field-min"), &f.min).kind("number").optional().render(chrome, errors))
            (Input::new("max", chrome.t("consultation-field-max"), &f.max).kind("number").optional().render(chrome, errors))
        }
        fieldset.form-group {
            legend { (chrome.t("consultation-kind-scale")) }
            (select(chrome, errors, "scale", &chrome.t("consultation-field-scale"), None, &scales, &f.scale))
            (Input::new("low", chrome.t("consultation-field-low"), &f.low).optional().render(chrome, errors))
            (Input::new("high", chrome.t("consultation-field-high"), &f.high).optional().render(chrome, errors))
        }
        (super::fields_kinds::builder(chrome, errors, &f.items, &f.rows, &f.columns))
        (condition_fields(chrome, c, editing, f, errors))
    }
}

/// A small form with one button.
fn button_form(chrome: &Chrome, action: &str, field: Option<(&str, &str)>, label: &str) -> Markup {
    html! {
        form.inline-form method="post" action=(action) {
            (csrf_field(chrome))
            @if let Some((name, value)) = field { input type="hidden" name=(name) value=(value); }
            button.link-button.link-button-dark type="submit" { (label) }
        }
    }
}

/// The questions, page by page, with their actions, then the form that
/// adds one (with its errors when it was refused).
pub fn questionnaire(chrome: &Chrome, c: &Consultation, refused_form: Option<&(QuestionForm, FormErrors)>) -> Markup {
    let mut pages: Vec<u32> = c.questions.iter().map(|q| q.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let last = pages.last().copied().unwrap_or(1);
    let fresh =
        QuestionForm { kind: "single".into(), page: last.to_string(), scale: "1-5".into(), ..QuestionForm::default() };
    let none = FormErrors::default();
    let (form, errors) = match refused_form {
        Some((f, e)) => (f, e),
        None => (&fresh, &none),
    };
    let base = format!("/admin/consultations/{}/questions", c.id);
    html! {
        section.panel aria-labelledby="questionnaire" {
            h2 #questionnaire { (chrome.t("consultation-questionnaire")) }
            @if c.questions.is_empty() { p { (chrome.t("consultation-no-questions")) } }
            @for page in &pages {
                h3 { (chrome.lang.ta("consultation-page", &[("page", crate::i18n::Arg::from(u64::from(*page)))])) }
                ol {
                    @for q in c.questions.iter().filter(|q| q.page == *page) {
                        li {
                            strong { (q.label) } " "
                            span.meta {
                                "(" (chrome.t(&format!("consultation-kind-{}", q.kind.code())))
                                @if q.required { ", " (chrome.t("consultation-required")) }
                                @if q.hidden { ", " (chrome.t("consultation-hidden")) }
                                ")"
                            }
                            @if let Some(line) = condition_line(chrome, c, q) { " " span.meta.condition { (line) } }
                            " "
                            a href={ (base) "/" (q.id) } { (chrome.t("consultation-edit")) }
                            (button_form(chrome, &format!("{base}/{}/masquer", q.id), Some(("masquer", if q.hidden { "non" } else { "oui" })),
                                &chrome.t(if q.hidden { "consultation-show" } else { "consultation-hide" })))
                            (button_form(chrome, &format!("{base}/{}/deplacer", q.id), Some(("sens", "haut")), &chrome.t("consultation-move-up")))
                            (button_form(chrome, &format!("{base}/{}/deplacer", q.id), Some(("sens", "bas")), &chrome.t("consultation-move-down")))
                        }
                    }
                }
            }
            h3 #ajouter { (chrome.t("consultation-add-question")) }
            p.hint { (chrome.t("consultation-add-question-hint")) }
            form method="post" action=(base) novalidate {
                (csrf_field(chrome))
                (question_fields(chrome, c, None, form, errors))
                (submit(&chrome.t("consultation-add-question")))
            }
        }
    }
}

/// A refusal of the domain, on the question form's fields.
fn domain_errors(chrome: &Chrome, e: &ConsultationError) -> Option<FormErrors> {
    let mut errors = FormErrors::default();
    match e {
        ConsultationError::MeaningLocked => errors.add("label", chrome.t("consultation-error-meaning-locked")),
        ConsultationError::BreaksCondition(_) => errors.add("page", chrome.t("consultation-error-breaks-condition")),
        ConsultationError::BadQuestion(p) => {
            let (field, key) = problem_field(*p);
            errors.add(field, chrome.t(key));
        }
        _ => return None,
    }
    Some(errors)
}

/// `POST /admin/consultations/:id/questions`: adds a question.
#[poem::handler]
pub async fn add(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let c = load(&state, id)?;
    let refuse = |errors: FormErrors| -> Result<Response, AppError> {
        let page = consultation_page(
            &chrome,
            &state,
            &c,
            &Refused { question: Some((form.clone(), errors)), ..Refused::default() },
        )?;
        Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
    };
    let q = match form.question(&chrome) {
        Ok(q) => q,
        Err(errors) => return refuse(errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match consultations::add_question(tx, &actor, ConsultationId(id), &q, now_unix()) {
            Ok(_) => Ok(Ok(())),
            Err(e @ ConsultationError::BadQuestion(_)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/consultations/{id}#questionnaire"),
            Flash::success("flash-question-added"),
        )),
        Err(e) => refuse(domain_errors(&chrome, &e).unwrap_or_default()),
    }
}

fn edit_page(chrome: &Chrome, c: &Consultation, qid: u32, form: &QuestionForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("consultation-edit-question");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href={ "/admin/consultations/" (c.id) } { (c.title) } }
            h1 { (title) }
            form method="post" action={ "/admin/consultations/" (c.id) "/questions/" (qid) } novalidate {
                (csrf_field(chrome))
                (question_fields(chrome, c, Some(qid), form, errors))
                (submit(&chrome.t("consultation-save")))
            }
        },
    )
}

/// `GET /admin/consultations/:id/questions/:qid`.
#[poem::handler]
pub async fn edit_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((id, qid)): Path<(u64, u32)>,
) -> Result<Markup, AppError> {
    let c = load(&state, id)?;
    let q = c.question(qid).ok_or(AppError::NotFound)?;
    Ok(edit_page(&chrome, &c, qid, &QuestionForm::of(q), &FormErrors::default()))
}

/// `POST /admin/consultations/:id/questions/:qid`: changes a question (once
/// answers exist, only a correction of its words).
#[poem::handler]
pub async fn edit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid)): Path<(u64, u32)>,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let c = load(&state, id)?;
    c.question(qid).ok_or(AppError::NotFound)?;
    let q = match form.question(&chrome) {
        Ok(q) => q,
        Err(errors) => {
            return Ok(refused(edit_page(&chrome, &c, qid, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match consultations::edit_question(tx, &actor, ConsultationId(id), qid, &q, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(
                e @ (ConsultationError::BadQuestion(_)
                | ConsultationError::MeaningLocked
                | ConsultationError::BreaksCondition(_)),
            ) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/consultations/{id}#questionnaire"),
            Flash::success("flash-question-saved"),
        )),
        Err(e) => {
            let errors = domain_errors(&chrome, &e).unwrap_or_default();
            Ok(refused(edit_page(&chrome, &c, qid, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

#[derive(Deserialize)]
pub struct HideForm {
    #[serde(default)]
    masquer: String,
}

/// `POST /admin/consultations/:id/questions/:qid/masquer`.
#[poem::handler]
pub async fn hide(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid)): Path<(u64, u32)>,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let hidden = form.masquer != "non";
    let outcome = state
        .store
        .write(move |tx| match consultations::hide_question(tx, &actor, ConsultationId(id), qid, hidden, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ (ConsultationError::HasDependents(_) | ConsultationError::BreaksCondition(_))) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    let flash = match outcome {
        Ok(()) => Flash::success("flash-question-saved"),
        Err(_) if hidden => Flash::info("flash-question-has-dependents"),
        // Shown again, its own condition names a hidden question.
        Err(_) => Flash::info("flash-question-condition-hidden"),
    };
    Ok(redirect_with(&state, &format!("/admin/consultations/{id}#questionnaire"), flash))
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    sens: String,
}

/// `POST /admin/consultations/:id/questions/:qid/deplacer`.
#[poem::handler]
pub async fn reorder(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid)): Path<(u64, u32)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let way = if form.sens == "haut" { Move::Up } else { Move::Down };
    let outcome = state
        .store
        .write(move |tx| match consultations::move_question(tx, &actor, ConsultationId(id), qid, way, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ ConsultationError::BreaksCondition(_)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    let flash = match outcome {
        Ok(()) => Flash::success("flash-question-saved"),
        Err(_) => Flash::info("flash-question-breaks-condition"),
    };
    Ok(redirect_with(&state, &format!("/admin/consultations/{id}#questionnaire"), flash))
}
