//! Participatory budgets on the web, the residents' side: the list of
//! processes and a page per process and per project (`public.rs`), the
//! ballot, which works without JavaScript (`vote.rs`), and the results with
//! the rule explained on the real figures, the participation and the CSV
//! files to recount (`results.rs`). The staff's pages are under
//! `/admin/budgets`.
//!
//! Every page of a process shows its phases as a timeline, the current one
//! marked ([`timeline`]).

pub mod follow_up;
pub mod photos;
pub mod public;
pub mod results;
pub mod vote;

use maud::{html, Markup};

use crate::app::AppState;
use crate::domain::budgets::{self, BudgetError, Phase, Pot, Process, ProcessId, Project, Study};
use crate::i18n::{Arg, Lang};
use crate::web::chrome::Chrome;
use crate::web::consultations::is_staff;
use crate::web::errors::{AppError, Refusal};

/// An amount in euro cents as people read it: « 12 000 € » in French,
/// « €12,000 » in English; cents only when there are some.
pub fn euros(lang: Lang, cents: u64) -> String {
    let (whole, rest) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let sep = match lang {
        Lang::Fr => '\u{202f}',
        Lang::En => ',',
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    match (lang, rest) {
        (Lang::Fr, 0) => format!("{grouped}\u{a0}€"),
        (Lang::Fr, r) => format!("{grouped},{r:02}\u{a0}€"),
        (Lang::En, 0) => format!("€{grouped}"),
        (Lang::En, r) => format!("€{grouped}.{r:02}"),
    }
}

/// A phase's name.
pub fn phase_name(lang: Lang, phase: Phase) -> String {
    lang.t(&format!("budget-phase-{}", phase.code()))
}

/// The phase as a badge (the word is the cue).
pub fn phase_badge(lang: Lang, phase: Phase) -> Markup {
    html! { span class={ "badge badge-budget-" (phase.code()) } { (phase_name(lang, phase)) } }
}

/// A pot's name: « Toute la commune » or its neighbourhood.
pub fn pot_name(lang: Lang, pot: &Pot) -> String {
    match &pot.neighbourhood {
        Some(n) => lang.ta("budget-pot-neighbourhood", &[("neighbourhood", Arg::from(n.as_str()))]),
        None => lang.t("budget-pot-commune"),
    }
}

/// The dated phases in order with their start, the current one marked: on
/// every page of a process, so that a resident always knows where it is.
pub fn timeline(chrome: &Chrome, p: &Process, now: i64) -> Markup {
    let lang = chrome.lang;
    let current = p.phase(now);
    html! {
        nav.budget-phases aria-labelledby="phases-title" {
            h2 #phases-title .visually-hidden { (chrome.t("budget-phases-title")) }
            p { (chrome.t("budget-current-phase")) " " (phase_badge(lang, current)) }
            ol.timeline {
                @for phase in Phase::DATED {
                    @let start = p.start_of(phase).map(crate::web::proposals::date).unwrap_or_default();
                    @if phase == current {
                        li aria-current="step" {
                            strong { (phase_name(lang, phase)) } " — " (lang.ta("budget-phase-from", &[("date", Arg::from(start))]))
                            " " span.badge { (chrome.t("budget-phase-now")) }
                        }
                    } @else {
                        li { (phase_name(lang, phase)) " — " (lang.ta("budget-phase-from", &[("date", Arg::from(start))])) }
                    }
                }
            }
        }
    }
}

/// The links between the pages of a process.
pub fn process_nav(chrome: &Chrome, p: &Process, now: i64) -> Markup {
    let base = format!("/budgets/{}", p.id);
    html! {
        ul.inline-list.budget-links {
            li { a href=(base) { (chrome.t("budget-link-process")) } }
            @if p.phase(now) >= Phase::Vote {
                li { a href={ (base) "/voter" } { (chrome.t("budget-link-vote")) } }
            }
            @if p.results_visible(now) {
                li { a href={ (base) "/resultats" } { (chrome.t("budget-link-results")) } }
            }
            @if p.vote_closed(now) {
                li { a href={ (base) "/suivi" } { (chrome.t("budget-link-follow-up")) } }
            }
        }
    }
}

/// A project's study, in words.
pub fn study_text(chrome: &Chrome, project: &Project) -> Markup {
    let lang = chrome.lang;
    html! {
        @match &project.study {
            Study::Pending => span.badge { (chrome.t("budget-study-pending")) },
            Study::Feasible { cost_cents } => {
                span.badge.badge-done { (chrome.t("budget-study-feasible")) }
                " " (lang.ta("budget-study-cost", &[("cost", Arg::from(euros(lang, *cost_cents)))]))
            },
            Study::NotFeasible { reason } => {
                span.badge.badge-rejected { (chrome.t("budget-study-not-feasible")) }
                " " (reason)
            },
        }
    }
}

/// A published process (or a draft, for staff), or « not found ».
pub fn load_public(chrome: &Chrome, state: &AppState, id: u64) -> Result<Process, AppError> {
    let p = budgets::get(&state.store.read()?, ProcessId(id))?.ok_or(AppError::NotFound)?;
    if !p.is_public() && !is_staff(chrome) {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// Every refusal of the budgets' operations, as a page: decided here for
/// each one, as `web::errors` does for the other concepts. The ballot's own
/// refusals (over budget, too many, not allowed …) are answered on the
/// ballot itself (`vote.rs`); this is for those that reach `?`.
impl From<BudgetError> for AppError {
    fn from(e: BudgetError) -> Self {
        match e {
            BudgetError::NotFound
            | BudgetError::ProjectNotFound
            | BudgetError::NoSuchProposal
            | BudgetError::UnknownPerson => AppError::NotFound,
            // The staff's forms check these and say which field: reaching
            // here means a tampered or outdated form.
            BudgetError::BadTitle
            | BudgetError::TooLong
            | BudgetError::NoAlt
            | BudgetError::TooManyPhotos
            | BudgetError::BadDates
            | BudgetError::BadPots
            | BudgetError::BadAmount
            | BudgetError::BadMax
            | BudgetError::UnknownNeighbourhood
            | BudgetError::NotOnBallot
            | BudgetError::OverBudget
            | BudgetError::TooManyChoices
            | BudgetError::SeveralNeighbourhoods
            | BudgetError::Empty => Refusal::Invalid.into(),
            BudgetError::AlreadyPublished | BudgetError::AlreadyVoted | BudgetError::NotChangeable => {
                Refusal::AlreadyDone.into()
            }
            // The vote opened (or closed) since the page was shown.
            BudgetError::Frozen | BudgetError::Closed | BudgetError::TooManyProjects => Refusal::Closed.into(),
            BudgetError::NotAllowed | BudgetError::AgeNotVerified => Refusal::VerifiedOnly.into(),
            BudgetError::Random => AppError::Internal("no randomness for a ballot id".into()),
            BudgetError::Store(s) => AppError::from(s),
        }
    }
}

#[cfg(test)]
mod tests {
    // Amounts are written euros_cents, as a person reads them.
    #![allow(clippy::inconsistent_digit_grouping)]
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(euros(Lang::Fr, 12_000_00), "12\u{202f}000\u{a0}€");
        assert_eq!(euros(Lang::Fr, 999_50), "999,50\u{a0}€");
        assert_eq!(euros(Lang::Fr, 1_234_567_00), "1\u{202f}234\u{202f}567\u{a0}€");
        assert_eq!(euros(Lang::En, 12_000_00), "€12,000");
        assert_eq!(euros(Lang::En, 5), "€0.05");
    }
}
