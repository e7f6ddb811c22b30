//! `/admin/budgets`: the staff's pages of participatory budgets. The list,
//! a new process and each process's page: its settings (phases, audience,
//! style, rule, pots), publishing, closing the vote early, its projects
//! (added by hand or imported from a proposal, then studied) and the
//! polling table where staff type a paper ballot. Every change goes through
//! `domain::budgets`, which audits it in the same transaction.

use std::collections::BTreeMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts;
use crate::domain::audit::Actor;
use crate::domain::budgets::{
    self, Audience, BudgetError, Channel, Phase, Pot, Process, ProcessId, Project, ProjectDetails, Rule, Settings,
    Study, Style,
};
use crate::domain::ids::{AccountId, ProposalId};
use crate::domain::{meetings, now_unix};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, select, submit, table_head, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The form's names of the five phases' start dates, in `Phase::DATED`'s
/// order.
const DATE_FIELDS: [&str; 5] = ["submission", "study", "vote", "results", "follow_up"];

/// The field of the commune-wide pot's amount; a neighbourhood's is
/// `pot-<its index in commune.neighbourhoods>`.
const COMMUNE_POT: &str = "pot-commune";

/// A process's settings as typed: every field a string, so that a refused
/// form comes back as it was. The pots' amounts are the form's other fields
/// (one per neighbourhood), gathered by `flatten`.
#[derive(Deserialize, Default, Clone)]
pub struct ProcessForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    submission: String,
    #[serde(default)]
    study: String,
    #[serde(default)]
    vote: String,
    #[serde(default)]
    results: String,
    #[serde(default)]
    follow_up: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    style: String,
    #[serde(default)]
    approval_max: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    min_votes: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    results_during_vote: String,
    #[serde(default)]
    changeable: String,
    #[serde(flatten)]
    other: BTreeMap<String, String>,
}

/// An amount in euros as staff type it (« 20 000 », « 1500,50 ») in cents;
/// `None` when it is not one.
pub fn parse_euros(text: &str) -> Option<u64> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '€').collect();
    let (whole, cents) = match cleaned.split_once([',', '.']) {
        Some((w, c)) if !c.is_empty() && c.len() <= 2 && c.chars().all(|d| d.is_ascii_digit()) => {
            (w, if c.len() == 1 { c.parse::<u64>().ok()? * 10 } else { c.parse::<u64>().ok()? })
        }
        Some(_) => return None,
        None => (cleaned.as_str(), 0),
    };
    if whole.is_empty() || !whole.chars().all(|d| d.is_ascii_digit()) {
        return None;
    }
    whole.parse::<u64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// Cents as euros for a form field: « 1500 » or « 1500,50 ».
fn euros_field(cents: u64) -> String {
    match cents % 100 {
        0 => (cents / 100).to_string(),
        c => format!("{},{c:02}", cents / 100),
    }
}

/// Cents as euros to read: « 1 500 € ».
pub fn euros(cents: u64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match cents % 100 {
        0 => format!("{grouped} €"),
        c => format!("{grouped},{c:02} €"),
    }
}

fn flag(b: bool) -> String {
    if b {
        "on".to_string()
    } else {
        String::new()
    }
}

fn day_field(unix: i64) -> String {
    meetings::local(unix).map(|d| d.date().to_string()).unwrap_or_default()
}

impl ProcessForm {
    fn of(p: &Process, neighbourhoods: &[String]) -> ProcessForm {
        let mut other = BTreeMap::new();
        for pot in &p.pots {
            let field = match &pot.neighbourhood {
                None => Some(COMMUNE_POT.to_string()),
                Some(n) => neighbourhoods.iter().position(|m| m == n).map(|i| format!("pot-{i}")),
            };
            if let Some(field) = field {
                other.insert(field, euros_field(pot.amount_cents));
            }
        }
        let (style, approval_max) = match p.style {
            Style::Basket => ("basket", String::new()),
            Style::Approval { max } => ("approval", max.to_string()),
        };
        ProcessForm {
            title: p.title.clone(),
            description: p.description.clone(),
            submission: day_field(p.starts[0]),
            study: day_field(p.starts[1]),
            vote: day_field(p.starts[2]),
            results: day_field(p.starts[3]),
            follow_up: day_field(p.starts[4]),
            audience: p.audience.code().to_string(),
            min_age: p.min_age.map(|a| a.to_string()).unwrap_or_default(),
            style: style.to_string(),
            approval_max,
            rule: p.rule.code().to_string(),
            min_votes: p.min_votes.to_string(),
            secret: flag(p.secret),
            results_during_vote: flag(p.results_during_vote),
            changeable: flag(p.changeable),
            other,
        }
    }

    fn date(&self, i: usize) -> &str {
        match i {
            0 => &self.submission,
            1 => &self.study,
            2 => &self.vote,
            3 => &self.results,
            _ => &self.follow_up,
        }
    }

    /// The settings, or the fields that cannot be read, each with its error.
    /// The domain checks the rest (order of the dates, amounts, pots).
    fn settings(&self, chrome: &Chrome, neighbourhoods: &[String]) -> Result<Settings, FormErrors> {
        let mut errors = FormErrors::default();
        let mut starts = [0i64; 5];
        for (i, field) in DATE_FIELDS.iter().enumerate() {
            // A phase starts at midnight, the commune's time.
            match meetings::local_instant(self.date(i), "00:00") {
                Some(t) => starts[i] = t,
                None => errors.add(field, chrome.t("budget-staff-error-date")),
            }
        }
        let audience = Audience::from_code(&self.audience);
        if audience.is_none() {
            errors.add("audience", chrome.t("error-choose-from-list"));
        }
        let min_age = match self.min_age.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(a) if (1..=120).contains(&a) => Some(a),
                _ => {
                    errors.add("min_age", chrome.t("budget-staff-error-age"));
                    None
                }
            },
        };
        let style = match self.style.as_str() {
            "basket" => Some(Style::Basket),
            "approval" => match self.approval_max.trim().parse::<u32>() {
                Ok(max) => Some(Style::Approval { max }),
                Err(_) => {
                    errors.add("approval_max", chrome.t("budget-staff-error-max"));
                    None
                }
            },
            _ => {
                errors.add("style", chrome.t("error-choose-from-list"));
                None
            }
        };
        let rule = Rule::from_code(&self.rule);
        if rule.is_none() {
            errors.add("rule", chrome.t("error-choose-from-list"));
        }
        let min_votes = match self.min_votes.trim() {
            "" => 0,
            s => s.parse::<u64>().unwrap_or_else(|_| {
                errors.add("min_votes", chrome.t("budget-staff-error-number"));
                0
            }),
        };
        let mut pots = Vec::new();
        let typed = |field: &str| self.other.get(field).map(|s| s.trim()).filter(|s| !s.is_empty());
        let mut pot_fields: Vec<(String, Option<String>)> = vec![(COMMUNE_POT.to_string(), None)];
        pot_fields.extend(neighbourhoods.iter().enumerate().map(|(i, n)| (format!("pot-{i}"), Some(n.clone()))));
        for (field, neighbourhood) in pot_fields {
            if let Some(text) = typed(&field) {
                match parse_euros(text) {
                    Some(amount_cents) => pots.push(Pot { neighbourhood, amount_cents }),
                    None => errors.add(&field, chrome.t("budget-staff-error-amount")),
                }
            }
        }
        match (audience, style, rule) {
            (Some(audience), Some(style), Some(rule)) if errors.is_empty() => Ok(Settings {
                title: self.title.clone(),
                description: self.description.clone(),
                starts,
                pots,
                audience,
                min_age,
                style,
                changeable: !self.changeable.is_empty(),
                rule,
                min_votes,
                secret: !self.secret.is_empty(),
                results_during_vote: !self.results_during_vote.is_empty(),
            }),
            _ => Err(errors),
        }
    }
}

/// Where the form shows a refusal of the domain, and what it says. Every
/// error is named: a new one fails to compile until it has its message.
/// A store's failure is no form's fault: it is the error page.
fn field_of(e: BudgetError) -> Result<(&'static str, &'static str), AppError> {
    Ok(match e {
        BudgetError::NotFound => return Err(AppError::NotFound),
        BudgetError::Store(e) => return Err(e.into()),
        BudgetError::ProjectNotFound => ("project", "budget-staff-error-project"),
        BudgetError::BadTitle => ("title", "budget-staff-error-title"),
        BudgetError::TooLong => ("description", "budget-staff-error-too-long"),
        BudgetError::BadDates => ("study", "budget-staff-error-dates"),
        BudgetError::BadPots => (COMMUNE_POT, "budget-staff-error-pots"),
        BudgetError::BadAmount => ("amount", "budget-staff-error-amount"),
        BudgetError::BadMax => ("approval_max", "budget-staff-error-max"),
        BudgetError::UnknownNeighbourhood => ("neighbourhood", "budget-staff-error-neighbourhood"),
        BudgetError::AlreadyPublished => ("publish", "budget-staff-error-published"),
        BudgetError::Frozen => ("title", "budget-staff-error-frozen"),
        BudgetError::TooManyProjects => ("project", "budget-staff-error-too-many"),
        BudgetError::Closed => ("choices", "budget-staff-error-closed"),
        BudgetError::NotAllowed => ("voter", "budget-staff-error-not-allowed"),
        BudgetError::AgeNotVerified => ("voter", "budget-age-not-verified"),
        BudgetError::AlreadyVoted => ("voter", "budget-staff-error-already-voted"),
        BudgetError::NotChangeable => ("voter", "budget-staff-error-already-voted"),
        BudgetError::NotOnBallot => ("choices", "budget-staff-error-not-on-ballot"),
        BudgetError::OverBudget => ("choices", "budget-staff-error-over-budget"),
        BudgetError::TooManyChoices => ("choices", "budget-staff-error-too-many-choices"),
        BudgetError::SeveralNeighbourhoods => ("choices", "budget-staff-error-neighbourhoods"),
        BudgetError::Empty => ("choices", "budget-staff-error-empty"),
        BudgetError::NoSuchProposal => ("proposal", "budget-staff-error-proposal"),
        BudgetError::NoAlt => ("alt", "budget-staff-error-alt"),
        BudgetError::TooManyPhotos => ("photo", "budget-staff-error-too-many-photos"),
        BudgetError::UnknownPerson => ("last_name", "budget-staff-error-unknown-person"),
        BudgetError::Random => return Err(AppError::Internal("no randomness for a ballot id".into())),
    })
}

/// The domain's refusal as form errors, with the field renamed where the
/// form at hand calls it otherwise.
pub(super) fn refusal(
    chrome: &Chrome,
    e: BudgetError,
    rename: &[(&str, &'static str)],
) -> Result<FormErrors, AppError> {
    let (field, key) = field_of(e)?;
    let field = rename.iter().find(|(from, _)| *from == field).map(|(_, to)| *to).unwrap_or(field);
    let mut errors = FormErrors::default();
    errors.add(field, chrome.t(key));
    Ok(errors)
}

/// Runs a domain operation in a write transaction: its refusal comes back
/// as a value, a store's failure as the error page.
pub(super) async fn write<T: Send + 'static>(
    state: &AppState,
    mut op: impl FnMut(&crate::store::WriteTx) -> Result<T, BudgetError> + Send + 'static,
) -> Result<Result<T, BudgetError>, AppError> {
    state
        .store
        .write(move |tx| match op(tx) {
            Ok(v) => Ok(Ok(v)),
            Err(BudgetError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e)),
        })
        .await
}

fn phase_label(chrome: &Chrome, p: &Process, now: i64) -> String {
    chrome.t(&format!("budget-staff-phase-{}", p.phase(now).code()))
}

fn options(chrome: &Chrome, items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(code, key)| (code.to_string(), chrome.t(key))).collect()
}

/// The settings' fields.
fn fields(chrome: &Chrome, form: &ProcessForm, errors: &FormErrors) -> Markup {
    let neighbourhoods = &chrome.config().commune.neighbourhoods;
    let audiences = options(
        chrome,
        &[("signed-in", "budget-staff-audience-signed-in"), ("verified", "budget-staff-audience-verified")],
    );
    let styles =
        options(chrome, &[("basket", "budget-staff-style-basket"), ("approval", "budget-staff-style-approval")]);
    let rules: Vec<(String, String)> = Rule::ALL
        .iter()
        .map(|r| (r.code().to_string(), chrome.t(&format!("budget-staff-rule-{}", r.code()))))
        .collect();
    let pot = |field: &str| form.other.get(field).cloned().unwrap_or_default();
    html! {
        (Input::new("title", chrome.t("budget-staff-field-title"), &form.title).render(chrome, errors))
        (textarea(chrome, errors, "description", "budget-staff-field-description", &form.description, 8))
        fieldset.form-group {
            legend { (chrome.t("budget-staff-phases")) }
            p.hint { (chrome.t("budget-staff-phases-hint")) }
            @for (i, field) in DATE_FIELDS.iter().enumerate() {
                (Input::new(field, chrome.t(&format!("budget-staff-field-{field}")), form.date(i)).kind("date").render(chrome, errors))
            }
        }
        fieldset.form-group {
            legend { (chrome.t("budget-staff-pots")) }
            p.hint { (chrome.t("budget-staff-pots-hint")) }
            (Input::new(COMMUNE_POT, chrome.t("budget-staff-pot-commune"), &pot(COMMUNE_POT)).optional().render(chrome, errors))
            @for (i, n) in neighbourhoods.iter().enumerate() {
                (Input::new(&format!("pot-{i}"), chrome.lang.ta("budget-staff-pot-neighbourhood", &[("name", Arg::from(n.as_str()))]), &pot(&format!("pot-{i}"))).optional().render(chrome, errors))
            }
        }
        (select(chrome, errors, "audience", &chrome.t("budget-staff-field-audience"), None, &audiences, &form.audience))
        (Input::new("min_age", chrome.t("budget-staff-field-min-age"), &form.min_age).kind("number").hint(chrome.t("budget-staff-field-min-age-hint")).optional().render(chrome, errors))
        (select(chrome, errors, "style", &chrome.t("budget-staff-field-style"), None, &styles, &form.style))
        (Input::new("approval_max", chrome.t("budget-staff-field-approval-max"), &form.approval_max).kind("number").optional().render(chrome, errors))
        (select(chrome, errors, "rule", &chrome.t("budget-staff-field-rule"), None, &rules, &form.rule))
        (Input::new("min_votes", chrome.t("budget-staff-field-min-votes"), &form.min_votes).kind("number").optional().render(chrome, errors))
        fieldset.form-group {
            legend { (chrome.t("budget-staff-ballot")) }
            (checkbox("secret", &chrome.t("budget-staff-field-secret"), !form.secret.is_empty()))
            (checkbox("changeable", &chrome.t("budget-staff-field-changeable"), !form.changeable.is_empty()))
            (checkbox("results_during_vote", &chrome.t("budget-staff-field-results-during-vote"), !form.results_during_vote.is_empty()))
        }
    }
}

/// `GET /admin/budgets`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let all = budgets::list(&state.store.read()?)?;
    let now = now_unix();
    let title = chrome.t("budget-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/admin" { (chrome.t("admin-back")) } }
            h1 { (title) }
            p { a.button href="/admin/budgets/nouveau" { (chrome.t("budget-staff-new")) } }
            @if all.is_empty() {
                p { (chrome.t("budget-staff-none")) }
            } @else {
                table {
                    (table_head(&chrome, &["budget-staff-field-title", "budget-staff-col-phase"]))
                    tbody {
                        @for p in &all {
                            tr {
                                td { a href={ "/admin/budgets/" (p.id) } { (p.title) } }
                                td { (phase_label(&chrome, p, now)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn new_page(chrome: &Chrome, form: &ProcessForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("budget-staff-new");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href="/admin/budgets" { (chrome.t("budget-staff-title")) } }
            h1 { (title) }
            form method="post" action="/admin/budgets/nouveau" novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, errors))
                (submit(&chrome.t("budget-staff-create")))
            }
        },
    )
}

/// `GET /admin/budgets/nouveau`: a secret, final ballot by default, results
/// hidden until the close.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _staff: Staff) -> Markup {
    let form = ProcessForm {
        audience: Audience::Verified.code().into(),
        style: "basket".into(),
        rule: Rule::Greedy.code().into(),
        secret: flag(true),
        ..ProcessForm::default()
    };
    new_page(&chrome, &form, &FormErrors::default())
}

/// `POST /admin/budgets/nouveau`: a draft, then its page.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<ProcessForm>,
) -> Result<Response, AppError> {
    let neighbourhoods = state.config.commune.neighbourhoods.clone();
    let settings = match form.settings(&chrome, &neighbourhoods) {
        Ok(s) => s,
        Err(errors) => return Ok(refused(new_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = write(&state, move |tx| budgets::create(tx, &neighbourhoods, &actor, &settings, now_unix())).await?;
    match outcome {
        Ok(id) => {
            Ok(redirect_with(&state, &format!("/admin/budgets/{id}"), Flash::success("budget-staff-flash-created")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e, &[])?;
            Ok(refused(new_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

fn load(state: &AppState, id: u64) -> Result<(Process, Vec<Project>), AppError> {
    let tx = state.store.read()?;
    let p = budgets::get(&tx, ProcessId(id))?.ok_or(AppError::NotFound)?;
    let projects = budgets::projects(&tx, p.id)?;
    Ok((p, projects))
}

/// The forms of a process's page as typed, for a refused one to come back.
#[derive(Default)]
struct Typed {
    settings: Option<ProcessForm>,
    project: ProjectForm,
    import: ImportForm,
    study: Option<(u64, StudyForm)>,
}

fn pot_name(chrome: &Chrome, pot: &Pot) -> String {
    pot.neighbourhood.clone().unwrap_or_else(|| chrome.t("budget-staff-pot-commune"))
}

fn study_text(chrome: &Chrome, s: &Study) -> String {
    match s {
        Study::Pending => chrome.t("budget-staff-study-pending"),
        Study::Feasible { cost_cents } => {
            chrome.lang.ta("budget-staff-study-feasible-at", &[("cost", Arg::from(euros(*cost_cents).as_str()))])
        }
        Study::NotFeasible { reason } => {
            chrome.lang.ta("budget-staff-study-not-feasible-because", &[("reason", Arg::from(reason.as_str()))])
        }
    }
}

fn process_page(
    chrome: &Chrome,
    p: &Process,
    projects: &[Project],
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let neighbourhoods = &chrome.config().commune.neighbourhoods;
    let stored = ProcessForm::of(p, neighbourhoods);
    let form = typed.settings.as_ref().unwrap_or(&stored);
    let now = now_unix();
    let phase = p.phase(now);
    let open = phase < Phase::Vote;
    let pots: Vec<(String, String)> =
        p.pots.iter().enumerate().map(|(i, pot)| (i.to_string(), pot_name(chrome, pot))).collect();
    let base = format!("/admin/budgets/{}", p.id);
    Ok(page_with_errors(
        chrome,
        &p.title,
        errors,
        html! {
            p.breadcrumb { a href="/admin/budgets" { (chrome.t("budget-staff-title")) } }
            h1 { (p.title) }
            (crate::web::admin::posters::staff_links(chrome, crate::domain::promotion::Target::Budget(p.id)))
            p.meta { (phase_label(chrome, p, now)) }
            ul {
                li { a href={ "/budgets/" (p.id) } { (chrome.t("budget-staff-public-page")) } }
                @if phase == Phase::Vote {
                    li { a href={ (base) "/urne" } { (chrome.t("budget-staff-polling-table")) } }
                }
                @if phase >= Phase::Results { li { a href={ (base) "/suivi" } { (chrome.t("budget-follow-up-staff-title")) } } }
            }
            section.panel aria-labelledby="reglages" {
                h2 #reglages { (chrome.t("budget-staff-settings")) }
                @if open {
                    form method="post" action=(base) novalidate {
                        (csrf_field(chrome))
                        (fields(chrome, form, errors))
                        (submit(&chrome.t("budget-staff-save")))
                    }
                } @else {
                    p { (chrome.t("budget-staff-error-frozen")) }
                }
            }
            @if p.published_at.is_none() {
                section.panel aria-labelledby="publier" {
                    h2 #publier { (chrome.t("budget-staff-publish")) }
                    form method="post" action={ (base) "/publier" } {
                        (csrf_field(chrome))
                        p { (chrome.t("budget-staff-publish-text")) }
                        (submit(&chrome.t("budget-staff-publish")))
                    }
                }
            }
            @if phase == Phase::Vote {
                section.panel aria-labelledby="cloturer" {
                    h2 #cloturer { (chrome.t("budget-staff-close")) }
                    form method="post" action={ (base) "/cloturer" } {
                        (csrf_field(chrome))
                        p { (chrome.t("budget-staff-close-text")) }
                        button.button type="submit" { (chrome.t("budget-staff-close")) }
                    }
                }
            }
            section.panel aria-labelledby="projets" {
                h2 #projets { (chrome.t("budget-staff-projects")) }
                @if projects.is_empty() {
                    p { (chrome.t("budget-staff-no-project")) }
                }
                @for pr in projects {
                    article.card id={ "projet-" (pr.number) } {
                        h3 { a href={ (base) "/projets/" (pr.number) } { (pr.number) ". " (pr.title) } }
                        p.meta {
                            (p.pots.get(pr.pot).map(|pot| pot_name(chrome, pot)).unwrap_or_default())
                            @if let Some(n) = &pr.neighbourhood { " — " (n) }
                            @if pr.from_proposal.is_some() { " — " (chrome.t("budget-staff-from-proposal")) }
                        }
                        p { (study_text(chrome, &pr.study)) }
                        @if open {
                            @let (number, study) = match &typed.study {
                                Some((n, s)) if *n == pr.number => (*n, s.clone()),
                                _ => (pr.number, StudyForm::of(&pr.study)),
                            };
                            form method="post" action={ (base) "/projets/" (number) "/etude" } novalidate {
                                (csrf_field(chrome))
                                (select(chrome, errors, "feasible", &chrome.t("budget-staff-field-feasible"), None,
                                    &options(chrome, &[("pending", "budget-staff-study-pending"), ("yes", "budget-staff-study-feasible"), ("no", "budget-staff-study-not-feasible")]),
                                    &study.feasible))
                                (Input::new("cost", chrome.t("budget-staff-field-cost"), &study.cost).optional().render(chrome, errors))
                                (textarea(chrome, errors, "reason", "budget-staff-field-reason", &study.reason, 3))
                                (submit(&chrome.t("budget-staff-study-save")))
                            }
                        }
                    }
                }
                @if open && !p.pots.is_empty() {
                    h3 { (chrome.t("budget-staff-add-project")) }
                    form method="post" action={ (base) "/projets" } novalidate {
                        (csrf_field(chrome))
                        (project_fields(chrome, p, &typed.project, errors, false))
                        (submit(&chrome.t("budget-staff-add-project")))
                    }
                    h3 { (chrome.t("budget-staff-import")) }
                    form method="post" action={ (base) "/importer" } novalidate {
                        (csrf_field(chrome))
                        (Input::new("proposal", chrome.t("budget-staff-field-proposal"), &typed.import.proposal).kind("number").hint(chrome.t("budget-staff-field-proposal-hint")).render(chrome, errors))
                        (select(chrome, errors, "import_pot", &chrome.t("budget-staff-field-pot"), None, &pots, &typed.import.import_pot))
                        (submit(&chrome.t("budget-staff-import")))
                    }
                }
            }
        },
    ))
}

/// `GET /admin/budgets/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let (p, projects) = load(&state, id)?;
    process_page(&chrome, &p, &projects, &Typed::default(), &FormErrors::default())
}

fn refused_page(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let (p, projects) = load(state, id)?;
    Ok(refused(process_page(chrome, &p, &projects, typed, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
}

/// `POST /admin/budgets/:id`: the settings, refused once the vote opened.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<ProcessForm>,
) -> Result<Response, AppError> {
    let neighbourhoods = state.config.commune.neighbourhoods.clone();
    let settings = form.settings(&chrome, &neighbourhoods);
    let typed = Typed { settings: Some(form), ..Typed::default() };
    let settings = match settings {
        Ok(s) => s,
        Err(errors) => return refused_page(&chrome, &state, id, &typed, &errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome =
        write(&state, move |tx| budgets::update(tx, &neighbourhoods, &actor, ProcessId(id), &settings, now_unix()))
            .await?;
    match outcome {
        Ok(()) => {
            Ok(redirect_with(&state, &format!("/admin/budgets/{id}"), Flash::success("budget-staff-flash-saved")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e, &[])?;
            refused_page(&chrome, &state, id, &typed, &errors)
        }
    }
}

/// `POST /admin/budgets/:id/publier`.
#[poem::handler]
pub async fn publish(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    match write(&state, move |tx| budgets::publish(tx, &actor, ProcessId(id), now_unix())).await? {
        Ok(()) => {
            Ok(redirect_with(&state, &format!("/admin/budgets/{id}"), Flash::success("budget-staff-flash-published")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e, &[])?;
            refused_page(&chrome, &state, id, &Typed::default(), &errors)
        }
    }
}

/// `POST /admin/budgets/:id/cloturer`: the vote ends now.
#[poem::handler]
pub async fn close(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    match write(&state, move |tx| budgets::close_vote(tx, &actor, ProcessId(id), now_unix())).await? {
        Ok(()) => {
            Ok(redirect_with(&state, &format!("/admin/budgets/{id}"), Flash::success("budget-staff-flash-closed")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e, &[("choices", "title")])?;
            refused_page(&chrome, &state, id, &Typed::default(), &errors)
        }
    }
}

/// A project as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ProjectForm {
    #[serde(default)]
    project_title: String,
    #[serde(default)]
    project_description: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    pot: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    category: String,
    /// The location, in decimal degrees; both empty when it has none.
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
}

impl ProjectForm {
    fn of(pr: &Project) -> ProjectForm {
        let (latitude, longitude) = pr.coords.map(|(a, o)| (a.to_string(), o.to_string())).unwrap_or_default();
        ProjectForm {
            project_title: pr.title.clone(),
            project_description: pr.description.clone(),
            amount: if pr.proposed_cost_cents == 0 { String::new() } else { euros_field(pr.proposed_cost_cents) },
            pot: pr.pot.to_string(),
            neighbourhood: pr.neighbourhood.clone().unwrap_or_default(),
            category: pr.category.clone(),
            latitude,
            longitude,
        }
    }

    /// The details the domain checks, or the fields this form alone can
    /// tell are wrong (an amount, a pot, a location that is not one).
    fn details(&self, chrome: &Chrome) -> Result<ProjectDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let cost = match self.amount.trim() {
            "" => Some(0),
            s => parse_euros(s),
        };
        if cost.is_none() {
            errors.add("amount", chrome.t("budget-staff-error-amount"));
        }
        let pot = self.pot.parse::<usize>().ok();
        if pot.is_none() {
            errors.add("pot", chrome.t("error-choose-from-list"));
        }
        let coords = match (self.latitude.trim(), self.longitude.trim()) {
            ("", "") => Some(None),
            (a, o) => match (a.replace(',', ".").parse::<f64>(), o.replace(',', ".").parse::<f64>()) {
                (Ok(a), Ok(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => Some(Some((a, o))),
                _ => None,
            },
        };
        if coords.is_none() {
            errors.add("latitude", chrome.t("budget-staff-error-coords"));
        }
        match (cost, pot, coords) {
            (Some(proposed_cost_cents), Some(pot), Some(coords)) if errors.is_empty() => Ok(ProjectDetails {
                title: self.project_title.clone(),
                description: self.project_description.clone(),
                proposed_cost_cents,
                pot,
                neighbourhood: Some(self.neighbourhood.trim().to_string()).filter(|n| !n.is_empty()),
                category: self.category.clone(),
                coords,
            }),
            _ => Err(errors),
        }
    }
}

/// The fields of a project, to add one or to edit it (`with_location`: the
/// edit form also takes where it is).
fn project_fields(
    chrome: &Chrome,
    p: &Process,
    form: &ProjectForm,
    errors: &FormErrors,
    with_location: bool,
) -> Markup {
    let pots: Vec<(String, String)> =
        p.pots.iter().enumerate().map(|(i, pot)| (i.to_string(), pot_name(chrome, pot))).collect();
    let mut places = vec![(String::new(), chrome.t("budget-staff-whole-commune"))];
    places.extend(chrome.config().commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    html! {
        (Input::new("project_title", chrome.t("budget-staff-field-title"), &form.project_title).render(chrome, errors))
        (textarea(chrome, errors, "project_description", "budget-staff-field-description", &form.project_description, 5))
        (Input::new("amount", chrome.t("budget-staff-field-proposed-cost"), &form.amount).optional().render(chrome, errors))
        (select(chrome, errors, "pot", &chrome.t("budget-staff-field-pot"), None, &pots, &form.pot))
        (select(chrome, errors, "neighbourhood", &chrome.t("budget-staff-field-neighbourhood"), None, &places, &form.neighbourhood))
        (Input::new("category", chrome.t("budget-staff-field-category"), &form.category).optional().render(chrome, errors))
        @if with_location {
            (Input::new("latitude", chrome.t("budget-staff-field-latitude"), &form.latitude).optional().hint(chrome.t("budget-staff-field-location-hint")).render(chrome, errors))
            (Input::new("longitude", chrome.t("budget-staff-field-longitude"), &form.longitude).optional().render(chrome, errors))
        }
    }
}

/// The staff's page of one project: what the services concluded and, while
/// the vote has not opened, the form to correct it. A refused form comes
/// back as typed, even once the vote opened, so that nothing typed is lost.
fn project_page(
    chrome: &Chrome,
    p: &Process,
    pr: &Project,
    typed: Option<&ProjectForm>,
    errors: &FormErrors,
) -> Markup {
    let base = format!("/admin/budgets/{}", p.id);
    let here = format!("{base}/projets/{}", pr.number);
    let open = p.phase(now_unix()) < Phase::Vote;
    let stored = ProjectForm::of(pr);
    let title = format!("{}. {}", pr.number, pr.title);
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb {
                a href="/admin/budgets" { (chrome.t("budget-staff-title")) } " › "
                a href={ (base) "#projets" } { (p.title) }
            }
            h1 { (title) }
            p.meta { (study_text(chrome, &pr.study)) }
            ul {
                li { a href={ "/budgets/" (p.id) "/projets/" (pr.number) } { (chrome.t("budget-staff-public-page")) } }
                li { a href={ (here) "/photos" } { (chrome.lang.ta("budget-photos-link", &[("count", Arg::from(pr.photos.len() as u64))])) } }
            }
            section.panel aria-labelledby="modifier" {
                h2 #modifier { (chrome.t("budget-staff-edit-project")) }
                @if !open {
                    p { (chrome.t("budget-staff-error-frozen")) }
                }
                @if open || typed.is_some() {
                    form method="post" action=(here) novalidate {
                        (csrf_field(chrome))
                        (project_fields(chrome, p, typed.unwrap_or(&stored), errors, true))
                        (submit(&chrome.t("budget-staff-save")))
                    }
                }
            }
        },
    )
}

pub(super) fn load_project(state: &AppState, id: u64, number: u64) -> Result<(Process, Project), AppError> {
    let tx = state.store.read()?;
    let p = budgets::get(&tx, ProcessId(id))?.ok_or(AppError::NotFound)?;
    let pr = budgets::project(&tx, p.id, number)?.ok_or(AppError::NotFound)?;
    Ok((p, pr))
}

/// `GET /admin/budgets/:id/projets/:number`.
#[poem::handler]
pub async fn project(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((id, number)): Path<(u64, u64)>,
) -> Result<Markup, AppError> {
    let (p, pr) = load_project(&state, id, number)?;
    Ok(project_page(&chrome, &p, &pr, None, &FormErrors::default()))
}

/// `POST /admin/budgets/:id/projets/:number`: the project corrected,
/// refused once the vote opened.
#[poem::handler]
pub async fn update_project(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u64)>,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let refused_form = |errors: &FormErrors, form: &ProjectForm| -> Result<Response, AppError> {
        let (p, pr) = load_project(&state, id, number)?;
        Ok(refused(project_page(&chrome, &p, &pr, Some(form), errors), StatusCode::UNPROCESSABLE_ENTITY))
    };
    let details = match form.details(&chrome) {
        Ok(d) => d,
        Err(errors) => return refused_form(&errors, &form),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let places = state.config.commune.neighbourhoods.clone();
    let outcome = write(&state, move |tx| {
        budgets::update_project(tx, &places, &actor, ProcessId(id), number, &details, now_unix())
    })
    .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}/projets/{number}"),
            Flash::success("budget-staff-flash-project-saved"),
        )),
        Err(BudgetError::ProjectNotFound) => Err(AppError::NotFound),
        Err(e) => {
            let renamed = [("title", "project_title"), ("description", "project_description"), (COMMUNE_POT, "pot")];
            let errors = refusal(&chrome, e, &renamed)?;
            refused_form(&errors, &form)
        }
    }
}

/// `POST /admin/budgets/:id/projets`: a project, unstudied.
#[poem::handler]
pub async fn add_project(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let typed = Typed { project: form.clone(), ..Typed::default() };
    let details = match form.details(&chrome) {
        Ok(d) => d,
        Err(errors) => return refused_page(&chrome, &state, id, &typed, &errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let places = state.config.commune.neighbourhoods.clone();
    let outcome =
        write(&state, move |tx| budgets::add_project(tx, &places, &actor, ProcessId(id), &details, now_unix())).await?;
    match outcome {
        Ok(n) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}#projet-{n}"),
            Flash::success("budget-staff-flash-project-added"),
        )),
        Err(e) => {
            let renamed = [("title", "project_title"), ("description", "project_description"), (COMMUNE_POT, "pot")];
            let errors = refusal(&chrome, e, &renamed)?;
            refused_page(&chrome, &state, id, &typed, &errors)
        }
    }
}

/// A proposal to import, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ImportForm {
    #[serde(default)]
    proposal: String,
    #[serde(default)]
    import_pot: String,
}

/// `POST /admin/budgets/:id/importer`: a proposal of an idea box becomes a
/// project, linked to it.
#[poem::handler]
pub async fn import(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    // « 42 » or « #42 », as staff copy it from the proposal's page.
    let proposal = form.proposal.trim().trim_start_matches('#').parse::<u64>().ok();
    if proposal.is_none() {
        errors.add("proposal", chrome.t("budget-staff-error-proposal"));
    }
    let pot = form.import_pot.parse::<usize>().ok();
    if pot.is_none() {
        errors.add("import_pot", chrome.t("error-choose-from-list"));
    }
    let typed = Typed { import: form.clone(), ..Typed::default() };
    let (Some(proposal), Some(pot)) = (proposal, pot) else {
        return refused_page(&chrome, &state, id, &typed, &errors);
    };
    let actor = Actor::person(viewer.account.id, ip);
    let places = state.config.commune.neighbourhoods.clone();
    let outcome = write(&state, move |tx| {
        budgets::import_proposal(tx, &places, &actor, ProcessId(id), ProposalId(proposal), pot, now_unix())
    })
    .await?;
    match outcome {
        Ok(n) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}#projet-{n}"),
            Flash::success("budget-staff-flash-project-added"),
        )),
        Err(e) => {
            let errors = refusal(&chrome, e, &[(COMMUNE_POT, "import_pot"), ("title", "proposal")])?;
            refused_page(&chrome, &state, id, &typed, &errors)
        }
    }
}

/// A study as typed.
#[derive(Deserialize, Default, Clone)]
pub struct StudyForm {
    #[serde(default)]
    feasible: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    reason: String,
}

impl StudyForm {
    fn of(s: &Study) -> StudyForm {
        match s {
            Study::Pending => StudyForm { feasible: "pending".into(), ..StudyForm::default() },
            Study::Feasible { cost_cents } => {
                StudyForm { feasible: "yes".into(), cost: euros_field(*cost_cents), ..StudyForm::default() }
            }
            Study::NotFeasible { reason } => {
                StudyForm { feasible: "no".into(), reason: reason.clone(), ..StudyForm::default() }
            }
        }
    }
}

/// `POST /admin/budgets/:id/projets/:number/etude`: the services'
/// conclusion; a project not feasible says why.
#[poem::handler]
pub async fn set_study(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u64)>,
    Form(form): Form<StudyForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let study = match form.feasible.as_str() {
        "pending" => Some(Study::Pending),
        "yes" => match parse_euros(&form.cost) {
            Some(cost_cents) => Some(Study::Feasible { cost_cents }),
            None => {
                errors.add("cost", chrome.t("budget-staff-error-amount"));
                None
            }
        },
        "no" if form.reason.trim().is_empty() => {
            errors.add("reason", chrome.t("budget-staff-error-reason"));
            None
        }
        "no" => Some(Study::NotFeasible { reason: form.reason.clone() }),
        _ => {
            errors.add("feasible", chrome.t("error-choose-from-list"));
            None
        }
    };
    let typed = Typed { study: Some((number, form)), ..Typed::default() };
    let Some(study) = study else {
        return refused_page(&chrome, &state, id, &typed, &errors);
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome =
        write(&state, move |tx| budgets::set_study(tx, &actor, ProcessId(id), number, study.clone(), now_unix()))
            .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/budgets/{id}#projet-{number}"),
            Flash::success("budget-staff-flash-studied"),
        )),
        Err(e) => {
            let errors = refusal(&chrome, e, &[("amount", "cost"), ("description", "reason"), ("title", "feasible")])?;
            refused_page(&chrome, &state, id, &typed, &errors)
        }
    }
}

/// The polling table's form as typed: who votes — the address of their
/// account, or their names and birth date as on their document (found by
/// their verification or on the commune's list) — the ticked projects
/// (`p-<number>`, gathered by `flatten`), and which button was pressed
/// (`chercher` shows who the person is before their ballot is typed).
#[derive(Deserialize, Default, Clone)]
pub struct PaperForm {
    #[serde(default)]
    voter: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_names: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    other: BTreeMap<String, String>,
}

/// Who the form names.
enum PaperVoter {
    Email,
    Person(jiff::civil::Date),
}

impl PaperForm {
    fn choices(&self) -> Vec<u64> {
        self.other.keys().filter_map(|k| k.strip_prefix("p-")).filter_map(|n| n.parse().ok()).collect()
    }

    /// The address when one is typed, else the names and birth date, each
    /// checked; the errors say which field to fill in.
    fn voter(&self, chrome: &Chrome) -> Result<PaperVoter, FormErrors> {
        let mut errors = FormErrors::default();
        if !self.voter.trim().is_empty() {
            return Ok(PaperVoter::Email);
        }
        if [&self.voter, &self.last_name, &self.first_names, &self.birth_date].iter().all(|f| f.trim().is_empty()) {
            errors.add("voter", chrome.t("budget-staff-error-who"));
            return Err(errors);
        }
        for (field, key) in
            [("last_name", "budget-staff-error-last-name"), ("first_names", "budget-staff-error-first-names")]
        {
            let value = if field == "last_name" { &self.last_name } else { &self.first_names };
            if crate::domain::verification::normalise_name(value).is_empty() {
                errors.add(field, chrome.t(key));
            }
        }
        let date = crate::domain::verification::list::parse_date(&self.birth_date);
        if date.is_none() {
            errors.add("birth_date", chrome.t("budget-staff-error-birth-date"));
        }
        match date {
            Some(d) if errors.is_empty() => Ok(PaperVoter::Person(d)),
            Some(_) | None => Err(errors),
        }
    }
}

/// What the polling table says of the person found by their names and
/// birth date: only whether they already voted here (the day and how) and
/// their neighbourhood.
fn found_panel(chrome: &Chrome, found: &budgets::AtTable) -> Markup {
    let voted_text = |entry: &budgets::RollEntry| {
        let how = chrome.t(match entry.channel {
            Channel::Web => "budget-staff-channel-web",
            Channel::Paper => "budget-staff-channel-paper",
        });
        chrome.lang.ta(
            "budget-staff-error-voted-on",
            &[("day", Arg::from(entry.day.as_str())), ("how", Arg::from(how.as_str()))],
        )
    };
    let (who, voted) = match found {
        budgets::AtTable::Account { neighbourhood, voted } => {
            let hood = neighbourhood.clone().unwrap_or_else(|| chrome.t("budget-staff-found-no-neighbourhood"));
            (chrome.lang.ta("budget-staff-found-account", &[("neighbourhood", Arg::from(hood))]), voted)
        }
        budgets::AtTable::Listed { voted } => (chrome.t("budget-staff-found-listed"), voted),
        budgets::AtTable::Nobody => {
            return html! { div.panel role="status" { p { (chrome.t("budget-staff-error-unknown-person")) } } }
        }
    };
    html! {
        div.panel role="status" {
            p { (who) }
            p { @match voted {
                Some(entry) => strong { (voted_text(entry)) },
                None => (chrome.t("budget-staff-found-not-voted")),
            } }
        }
    }
}

fn paper_page(
    chrome: &Chrome,
    p: &Process,
    projects: &[Project],
    form: &PaperForm,
    found: Option<&budgets::AtTable>,
    errors: &FormErrors,
) -> Markup {
    let title = chrome.lang.ta("budget-staff-paper-title", &[("title", Arg::from(p.title.as_str()))]);
    let chosen = form.choices();
    let on_ballot: Vec<&Project> = projects.iter().filter(|pr| pr.ballot_cost().is_some()).collect();
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href={ "/admin/budgets/" (p.id) } { (p.title) } }
            h1 { (title) }
            p.lead { (chrome.t("budget-staff-paper-lead")) }
            form method="post" action={ "/admin/budgets/" (p.id) "/urne" } novalidate {
                (csrf_field(chrome))
                fieldset.form-group {
                    legend { (chrome.t("budget-staff-paper-who")) }
                    (Input::new("voter", chrome.t("budget-staff-field-voter"), &form.voter).kind("email").hint(chrome.t("budget-staff-field-voter-hint")).optional().render(chrome, errors))
                    p { (chrome.t("budget-staff-paper-or-person")) }
                    (Input::new("last_name", chrome.t("budget-staff-field-last-name"), &form.last_name).hint(chrome.t("budget-staff-field-last-name-hint")).optional().render(chrome, errors))
                    (Input::new("first_names", chrome.t("budget-staff-field-first-names"), &form.first_names).optional().render(chrome, errors))
                    (Input::new("birth_date", chrome.t("budget-staff-field-birth-date"), &form.birth_date).hint(chrome.t("budget-staff-field-birth-date-hint")).optional().render(chrome, errors))
                    // First in the form, so that the Enter key looks the
                    // person up rather than records a ballot.
                    button.button.button-secondary type="submit" name="action" value="chercher" { (chrome.t("budget-staff-paper-find")) }
                    @if let Some(found) = found { (found_panel(chrome, found)) }
                }
                fieldset.form-group {
                    legend { (chrome.t("budget-staff-paper-choices")) }
                    @if let Some(e) = errors.get("choices") { p.error-message id="choices-error" { (e) } }
                    @for (i, pot) in p.pots.iter().enumerate() {
                        h3 { (pot_name(chrome, pot)) " — " (euros(pot.amount_cents)) }
                        @for pr in on_ballot.iter().filter(|pr| pr.pot == i) {
                            (checkbox(&format!("p-{}", pr.number), &format!("{}. {} ({})", pr.number, pr.title, euros(pr.ballot_cost().unwrap_or(0))), chosen.contains(&pr.number)))
                        }
                    }
                }
                button.button type="submit" name="action" value="voter" { (chrome.t("budget-staff-paper-submit")) }
            }
        },
    )
}

/// `GET /admin/budgets/:id/urne`: the polling table.
#[poem::handler]
pub async fn paper_form(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let (p, projects) = load(&state, id)?;
    Ok(paper_page(&chrome, &p, &projects, &PaperForm::default(), None, &FormErrors::default()))
}

/// `POST /admin/budgets/:id/urne`: one paper ballot for the person with this
/// address, or with these names and birth date (the account verified as
/// them, or them on the commune's list). Refused, saying how, when the
/// person already voted. With the « chercher » button, says who the person
/// is and whether they voted, and records nothing.
#[poem::handler]
pub async fn paper_vote(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<PaperForm>,
) -> Result<Response, AppError> {
    let (p, projects) = load(&state, id)?;
    let again = |errors: &FormErrors| {
        Ok(refused(paper_page(&chrome, &p, &projects, &form, None, errors), StatusCode::UNPROCESSABLE_ENTITY))
    };
    let born = match form.voter(&chrome) {
        Err(errors) => return again(&errors),
        Ok(PaperVoter::Email) => None,
        Ok(PaperVoter::Person(born)) => Some(born),
    };
    if let Some(born) = born {
        let (last, first) = (form.last_name.clone(), form.first_names.clone());
        if form.action == "chercher" {
            let found = budgets::at_table(&state.store.read()?, p.id, &last, &first, born)?;
            return Ok(paper_page(&chrome, &p, &projects, &form, Some(&found), &FormErrors::default()).into_response());
        }
        let actor = Actor::person(viewer.account.id, ip);
        let choices = form.choices();
        let outcome = write(&state, move |tx| {
            budgets::vote_on_paper_by_person(tx, &actor, ProcessId(id), &last, &first, born, &choices, now_unix())
        })
        .await?;
        return match outcome {
            Ok(_) => Ok(redirect_with(
                &state,
                &format!("/admin/budgets/{id}/urne"),
                Flash::success("budget-staff-flash-paper"),
            )),
            Err(e) => again(&refusal(&chrome, e, &[("voter", "last_name")])?),
        };
    }
    let mut errors = FormErrors::default();
    let voter = accounts::find_by_email(&state.store.read()?, &form.voter)?;
    let Some(voter) = voter.filter(|a| !a.is_erased()) else {
        errors.add("voter", chrome.t("budget-staff-error-no-voter"));
        return again(&errors);
    };
    // Said before the ballot is looked at: staff tell the person at once,
    // and how they voted (the day and the channel, nothing of the ballot).
    if let Some(entry) = budgets::has_voted(&state.store.read()?, p.id, voter.id)? {
        let how = chrome.t(match entry.channel {
            Channel::Web => "budget-staff-channel-web",
            Channel::Paper => "budget-staff-channel-paper",
        });
        errors.add(
            "voter",
            chrome.lang.ta(
                "budget-staff-error-voted-on",
                &[("day", Arg::from(entry.day.as_str())), ("how", Arg::from(how.as_str()))],
            ),
        );
        return again(&errors);
    }
    let actor = Actor::person(viewer.account.id, ip);
    let choices = form.choices();
    let voter_id: AccountId = voter.id;
    let outcome =
        write(&state, move |tx| budgets::vote_on_paper(tx, &actor, ProcessId(id), voter_id, &choices, now_unix()))
            .await?;
    match outcome {
        Ok(_) => {
            Ok(redirect_with(&state, &format!("/admin/budgets/{id}/urne"), Flash::success("budget-staff-flash-paper")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e, &[])?;
            again(&errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_read_as_staff_type_them() {
        assert_eq!(parse_euros("20 000"), Some(2_000_000));
        assert_eq!(parse_euros("1500,5"), Some(150_050));
        assert_eq!(parse_euros("1500.05 €"), Some(150_005));
        assert_eq!(parse_euros("12,345"), None);
        assert_eq!(parse_euros("-3"), None);
        assert_eq!(parse_euros(""), None);
        assert_eq!(euros_field(150_050), "1500,50");
        assert_eq!(euros(2_000_000), "20\u{202f}000 €");
    }
}
