//! `/budgets/:id/voter`: the ballot.
//!
//! It works without JavaScript: one checkbox per project on the ballot, and
//! two buttons. « Recalculer » sends the choices and gets the page again
//! with each pot's running total and what is left, the boxes ticked as they
//! were; « Voter » casts the vote (`budgets::vote`, which checks everything
//! again in its transaction). A ballot over a pot's budget, with too many
//! projects or with projects of two neighbourhoods is refused on the page
//! itself, with the choices kept. With JavaScript, `js/budget.js` updates
//! the same totals as boxes are ticked.
//!
//! Before the form, the page says where the person stands: the vote is not
//! open, sign in first, not allowed (and why), or « vous avez voté le … »
//! (then the form only where the process lets a web vote be changed). The
//! page never shows a ballot's id nor, in a secret ballot, what the person
//! chose: the roll says that they voted, not what.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response};

use super::{euros, load_public, pot_name, process_nav, timeline};
use crate::app::AppState;
use crate::domain::budgets::{self, BudgetError, Channel, Phase, Process, Project, Style};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, FormErrors};
use crate::web::consultations::form_fields;
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;

/// Where the person stands before the ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The vote is not open: not yet, or over.
    NotOpen(Phase),
    /// Nobody signed in: one person, one vote needs an account.
    Visitor,
    /// Signed in, not in the process's audience or not of age: the key of
    /// the reason.
    NotAllowed(&'static str),
    /// On the roll since `day` (`YYYY-MM-DD`); `can_change` when the process
    /// lets them replace their web ballot.
    Voted {
        day: String,
        paper: bool,
        can_change: bool,
    },
    CanVote,
}

impl Standing {
    fn shows_ballot(&self) -> bool {
        matches!(self, Standing::CanVote | Standing::Voted { can_change: true, .. })
    }
}

/// The person's standing, read now (the vote's transaction checks again).
pub fn standing(chrome: &Chrome, state: &AppState, p: &Process, now: i64) -> Result<Standing, AppError> {
    let phase = p.phase(now);
    if phase != Phase::Vote {
        return Ok(Standing::NotOpen(phase));
    }
    let Some(viewer) = &chrome.viewer else { return Ok(Standing::Visitor) };
    let account = viewer.account.id;
    let tx = state.store.read()?;
    if let Some(entry) = budgets::has_voted(&tx, p.id, account)? {
        let can_change = p.changeable && entry.channel == Channel::Web && entry.replaceable();
        return Ok(Standing::Voted { day: entry.day, paper: entry.channel == Channel::Paper, can_change });
    }
    if !p.audience.admits(Some(viewer.account.role)) {
        return Ok(Standing::NotAllowed("budget-not-allowed-verified"));
    }
    if let Some(min) = p.min_age {
        let today = crate::domain::verification::today(now);
        match budgets::verification_age(&tx, account, today)? {
            None => return Ok(Standing::NotAllowed("budget-age-not-verified")),
            Some(age) if age < min => return Ok(Standing::NotAllowed("budget-too-young")),
            Some(_) => {}
        }
    }
    Ok(Standing::CanVote)
}

/// `YYYY-MM-DD` as people read it.
fn day_text(day: &str) -> String {
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Err(_) => day.to_string(),
    }
}

/// What the ballot shows: the boxes ticked, and whether the totals of an
/// over-budget pot are flagged.
struct Ballot<'a> {
    p: &'a Process,
    projects: &'a [Project],
    chosen: &'a [u64],
    errors: &'a FormErrors,
}

fn pot_field(i: usize) -> String {
    format!("enveloppe-{i}")
}

/// A pot's running total: what the chosen projects cost and what is left
/// (a basket), or how many are chosen (approval). `js/budget.js` rewrites
/// the numbers in place.
fn running_total(chrome: &Chrome, b: &Ballot, i: usize, spent: u64, count: u64) -> Markup {
    let lang = chrome.lang;
    let Some(pot) = b.p.pots.get(i) else { return html! {} };
    match b.p.style {
        Style::Basket => {
            let over = spent > pot.amount_cents;
            html! {
                p.budget-total id={ "total-" (i) } role="status" data-pot=(i) data-amount=(pot.amount_cents) data-style="basket" {
                    (chrome.t("budget-total-chosen")) " " strong data-spent { (euros(lang, spent)) }
                    " " (lang.ta("budget-total-of", &[("amount", Arg::from(euros(lang, pot.amount_cents)))]))
                    " · " (chrome.t("budget-total-left")) " " strong data-left { (euros(lang, pot.amount_cents.saturating_sub(spent))) }
                }
                p.error-message data-over=(i) hidden[!over] { (chrome.t("budget-over-pot")) }
            }
        }
        Style::Approval { max } => {
            let over = count > u64::from(max);
            html! {
                p.budget-total id={ "total-" (i) } role="status" data-pot=(i) data-max=(max) data-style="approval" {
                    (chrome.t("budget-count-chosen")) " " strong data-count { (count) } " / " (max)
                }
                p.error-message data-over=(i) hidden[!over] { (lang.ta("budget-too-many", &[("max", Arg::from(u64::from(max)))])) }
            }
        }
    }
}

/// The form: a fieldset per pot with its projects and running total, then
/// « Recalculer » and « Voter ».
fn ballot_form(chrome: &Chrome, b: &Ballot, changing: bool) -> Markup {
    let lang = chrome.lang;
    let spent = budgets::totals(b.p, b.projects, b.chosen);
    let hoods = b.p.pots.iter().filter(|pot| pot.neighbourhood.is_some()).count();
    html! {
        form.budget-ballot method="post" action={ "/budgets/" (b.p.id) "/voter" } novalidate {
            (csrf_field(chrome))
            @if hoods > 1 { p.hint { (chrome.t("budget-one-neighbourhood")) } }
            @for (i, pot) in b.p.pots.iter().enumerate() {
                @let field = pot_field(i);
                @let error = b.errors.get(&field);
                @let here: Vec<&Project> = b.projects.iter().filter(|pr| pr.pot == i && pr.ballot_cost().is_some()).collect();
                @let count = here.iter().filter(|pr| b.chosen.contains(&pr.number)).count() as u64;
                div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                    fieldset id=(field) aria-describedby={ "total-" (i) } {
                        legend { (pot_name(lang, pot)) " — " (euros(lang, pot.amount_cents)) }
                        @if let Some(e) = error {
                            p.error-message { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                        }
                        @if here.is_empty() { p { (chrome.t("budget-no-projects")) } }
                        @for pr in &here {
                            @let id = format!("choix-{}", pr.number);
                            @let cost = pr.ballot_cost().unwrap_or(0);
                            div.checkbox {
                                input type="checkbox" id=(id) name="choix" value=(pr.number)
                                    data-pot=(i) data-cost=(cost) checked[b.chosen.contains(&pr.number)];
                                label for=(id) { (pr.title) " — " (euros(lang, cost)) }
                                (super::photos::thumbnail(b.p, pr))
                            }
                        }
                        (running_total(chrome, b, i, spent.get(i).copied().unwrap_or(0), count))
                    }
                }
            }
            div.button-group {
                button.button.button-secondary type="submit" name="action" value="recalculer" { (chrome.t("budget-recalculate")) }
                button.button type="submit" name="action" value="voter" {
                    (chrome.t(if changing { "budget-change-vote" } else { "budget-cast-vote" }))
                }
            }
        }
        script src=(crate::web::assets::url("js/budget.js")) defer {}
    }
}

/// Where the person stands, in words.
fn standing_panel(chrome: &Chrome, p: &Process, s: &Standing) -> Markup {
    let lang = chrome.lang;
    let sign_in = format!("/connexion?suivant=/budgets/{}/voter", p.id);
    html! {
        div.panel #statut role="status" {
            @match s {
                Standing::NotOpen(phase) => {
                    @if *phase < Phase::Vote {
                        p { (lang.ta("budget-vote-not-yet", &[("date", Arg::from(p.start_of(Phase::Vote).map(crate::web::proposals::date).unwrap_or_default()))])) }
                    } @else {
                        p { (chrome.t("budget-vote-over")) }
                    }
                },
                Standing::Visitor => {
                    p { (chrome.t("budget-sign-in-to-vote")) }
                    p { a.button href=(sign_in) { (chrome.t("budget-sign-in")) } }
                },
                Standing::NotAllowed(key) => {
                    p { (chrome.t(key)) }
                    p { a href="/compte/verification" { (chrome.t("budget-get-verified")) } }
                },
                Standing::Voted { day, paper, can_change } => {
                    p { strong { (lang.ta(if *paper { "budget-voted-on-paper" } else { "budget-voted-on" }, &[("day", Arg::from(day_text(day)))])) } }
                    @if *can_change { p { (chrome.t("budget-may-change")) } }
                    @else { p { (chrome.t("budget-vote-final")) } }
                },
                Standing::CanVote => {
                    p { (super::public::style_text(chrome, p)) }
                    @if p.secret { p.hint { (chrome.t("budget-secret")) } }
                },
            }
        }
    }
}

fn vote_page(
    chrome: &Chrome,
    state: &AppState,
    p: &Process,
    chosen: &[u64],
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let now = now_unix();
    let s = standing(chrome, state, p, now)?;
    let projects = budgets::projects(&state.store.read()?, p.id)?;
    let title = chrome.lang.ta("budget-vote-title", &[("title", Arg::from(p.title.as_str()))]);
    let b = Ballot { p, projects: &projects, chosen, errors };
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb {
                a href="/budgets" { (chrome.t("budgets-title")) } " › "
                a href={ "/budgets/" (p.id) } { (p.title) }
            }
            h1 { (title) }
            (timeline(chrome, p, now))
            (process_nav(chrome, p, now))
            (standing_panel(chrome, p, &s))
            @if s.shows_ballot() {
                (ballot_form(chrome, &b, matches!(s, Standing::Voted { .. })))
            }
        },
    ))
}

/// `GET /budgets/:id/voter`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let p = load_public(&chrome, &state, id)?;
    vote_page(&chrome, &state, &p, &[], &FormErrors::default())
}

/// The chosen project numbers of a sent ballot (anything else is ignored:
/// the domain refuses a number not on the ballot).
fn choices(fields: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<u64> {
    let mut out: Vec<u64> = fields.get("choix").into_iter().flatten().filter_map(|v| v.trim().parse().ok()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The pot a refused ballot's message goes with.
fn pot_at_fault(p: &Process, projects: &[Project], chosen: &[u64], e: &BudgetError) -> usize {
    let spent = budgets::totals(p, projects, chosen);
    let count = |i: usize| projects.iter().filter(|pr| pr.pot == i && chosen.contains(&pr.number)).count() as u64;
    let position = p.pots.iter().enumerate().position(|(i, pot)| match (e, p.style) {
        (BudgetError::OverBudget, _) => spent.get(i).is_some_and(|s| *s > pot.amount_cents),
        (BudgetError::TooManyChoices, Style::Approval { max }) => count(i) > u64::from(max),
        // The second neighbourhood chosen.
        (BudgetError::SeveralNeighbourhoods, _) => {
            pot.neighbourhood.is_some()
                && count(i) > 0
                && p.pots[..i].iter().enumerate().any(|(j, other)| other.neighbourhood.is_some() && count(j) > 0)
        }
        // Empty or not on the ballot: the first pot.
        _ => false,
    });
    position.unwrap_or(0)
}

/// How a refused vote is answered: on the ballot, next to a pot (the
/// choices kept), or about the person (the panel says why), with a status.
enum Answer {
    Pot(&'static str, StatusCode),
    Person(&'static str, StatusCode),
}

/// Every refusal of `budgets::vote`, decided one by one; only a real failure
/// goes on as an error page.
fn answer_of(e: &BudgetError) -> Option<Answer> {
    use StatusCode as S;
    Some(match e {
        BudgetError::OverBudget => Answer::Pot("budget-error-over", S::UNPROCESSABLE_ENTITY),
        BudgetError::TooManyChoices => Answer::Pot("budget-error-too-many", S::UNPROCESSABLE_ENTITY),
        BudgetError::SeveralNeighbourhoods => Answer::Pot("budget-error-neighbourhoods", S::UNPROCESSABLE_ENTITY),
        BudgetError::Empty => Answer::Pot("budget-error-empty", S::UNPROCESSABLE_ENTITY),
        BudgetError::NotOnBallot => Answer::Pot("budget-error-not-on-ballot", S::UNPROCESSABLE_ENTITY),
        BudgetError::NotAllowed => Answer::Person("budget-not-allowed-verified", S::FORBIDDEN),
        BudgetError::AgeNotVerified => Answer::Person("budget-age-not-verified", S::FORBIDDEN),
        BudgetError::AlreadyVoted | BudgetError::NotChangeable => {
            Answer::Person("budget-error-already-voted", S::CONFLICT)
        }
        BudgetError::Closed => Answer::Person("budget-vote-over", S::CONFLICT),
        BudgetError::NotFound
        | BudgetError::ProjectNotFound
        | BudgetError::BadTitle
        | BudgetError::TooLong
        | BudgetError::NoAlt
        | BudgetError::TooManyPhotos
        | BudgetError::BadDates
        | BudgetError::BadPots
        | BudgetError::BadAmount
        | BudgetError::BadMax
        | BudgetError::UnknownNeighbourhood
        | BudgetError::AlreadyPublished
        | BudgetError::Frozen
        | BudgetError::TooManyProjects
        | BudgetError::NoSuchProposal
        | BudgetError::UnknownPerson
        | BudgetError::Random
        | BudgetError::Store(_) => return None,
    })
}

/// `POST /budgets/:id/voter`: « Recalculer » shows the ballot again with its
/// totals; « Voter » casts it.
#[poem::handler]
pub async fn submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    body: String,
) -> Result<Response, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let fields = form_fields(&body);
    let chosen = choices(&fields);
    let casting = fields.get("action").and_then(|v| v.first()).is_some_and(|a| a == "voter");
    if !casting {
        return Ok(vote_page(&chrome, &state, &p, &chosen, &FormErrors::default())?.into_response());
    }
    let Some(viewer) = &chrome.viewer else {
        return Err(AppError::SignInRequired(format!("/budgets/{id}/voter")));
    };
    let (process, account, ballot) = (p.id, viewer.account.id, chosen.clone());
    let cast = state.store.write(move |tx| budgets::vote(tx, process, account, &ballot, now_unix())).await;
    let e = match cast {
        Ok(voted) => {
            let flash = if voted.changed { "flash-budget-vote-changed" } else { "flash-budget-voted" };
            return Ok(redirect_with(&state, &format!("/budgets/{id}/voter"), Flash::success(flash)));
        }
        Err(e) => e,
    };
    let mut errors = FormErrors::default();
    let status = match answer_of(&e) {
        Some(Answer::Pot(key, status)) => {
            let projects = budgets::projects(&state.store.read()?, p.id)?;
            let i = pot_at_fault(&p, &projects, &chosen, &e);
            let message = match (&e, p.style) {
                (BudgetError::TooManyChoices, Style::Approval { max }) => {
                    chrome.lang.ta(key, &[("max", Arg::from(u64::from(max)))])
                }
                _ => chrome.t(key),
            };
            errors.add(&pot_field(i), message);
            status
        }
        Some(Answer::Person(key, status)) => {
            errors.add("statut", chrome.t(key));
            status
        }
        None => return Err(AppError::from(e)),
    };
    Ok(refused(vote_page(&chrome, &state, &p, &chosen, &errors)?, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_numbers_sent_as_choices_count_each_once() {
        let fields = form_fields("choix=3&choix=1&choix=x&choix=3&action=recalculer&autre=2");
        assert_eq!(choices(&fields), [1, 3]);
    }
}
