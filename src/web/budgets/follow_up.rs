//! `/budgets/:id/suivi`: what became of the winning projects — each one's
//! status, its progress as a bar and in words, and its milestones as a
//! timeline by date. Before the close there are no winners: the page says
//! when the follow-up starts.
//!
//! Also here: the follow-up's refusals as pages, for the staff's forms'
//! refusals that reach `?`.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};

use super::{load_public, process_nav, timeline};
use crate::app::AppState;
use crate::domain::budgets::follow_up::{self, FollowUp, FollowUpError, Milestone, Status};
use crate::domain::budgets::{Process, Project};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::{AppError, Refusal};
use crate::web::layout::page;

/// A status's name.
pub fn status_name(chrome: &Chrome, status: &Status) -> String {
    chrome.t(&format!("budget-follow-up-status-{}", status.code()))
}

/// The status as a badge (the word is the cue, the colour only repeats it).
pub fn status_badge(chrome: &Chrome, status: &Status) -> Markup {
    html! { span class={ "badge badge-" (status.code()) } { (status_name(chrome, status)) } }
}

/// A civil date as the commune writes it: 15/03/2027.
pub fn day(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// The progress as a bar labelled with the project's name (several bars
/// share a page), and as text beside it for those the bar does not reach.
fn progress(chrome: &Chrome, title: &str, percent: u8) -> Markup {
    let label = chrome.lang.ta("budget-follow-up-progress-of", &[("project", Arg::from(title))]);
    html! {
        div.progress {
            progress max="100" value=(percent) aria-label=(label) { (percent) " %" }
            span { (chrome.lang.ta("budget-follow-up-progress", &[("percent", Arg::from(u64::from(percent)))])) }
        }
    }
}

/// A project's milestones, by date.
pub fn milestones(chrome: &Chrome, list: &[Milestone]) -> Markup {
    html! {
        @if list.is_empty() {
            p { (chrome.t("budget-follow-up-no-milestone")) }
        } @else {
            ol.timeline {
                @for m in list {
                    li id={ "jalon-" (m.id) } {
                        p.meta { time datetime=(m.date.to_string()) { (day(m.date)) } }
                        p { strong { (m.title) } }
                        @if !m.text.is_empty() { div.prose { (crate::markdown::render(&m.text)) } }
                    }
                }
            }
        }
    }
}

/// One winner: its status, progress and milestones.
fn winner(chrome: &Chrome, p: &Process, pr: &Project, f: &FollowUp) -> Markup {
    html! {
        article.card id={ "projet-" (pr.number) } aria-labelledby={ "titre-" (pr.number) } {
            h2 id={ "titre-" (pr.number) } { a href={ "/budgets/" (p.id) "/projets/" (pr.number) } { (pr.title) } }
            p { (chrome.t("budget-follow-up-status")) " " (status_badge(chrome, &f.status)) }
            @if let Status::Abandoned { reason } = &f.status {
                p { (chrome.lang.ta("budget-follow-up-abandoned-because", &[("reason", Arg::from(reason.as_str()))])) }
            }
            (progress(chrome, &pr.title, f.progress))
            h3 { (chrome.t("budget-follow-up-milestones")) }
            (milestones(chrome, &f.milestones))
        }
    }
}

/// `GET /budgets/:id/suivi`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let now = now_unix();
    let winners = follow_up::follow_ups(&state.store.read()?, &p, now)?;
    let title = chrome.lang.ta("budget-follow-up-title-of", &[("process", Arg::from(p.title.as_str()))]);
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb {
                a href="/budgets" { (chrome.t("budgets-title")) } " › "
                a href={ "/budgets/" (p.id) } { (p.title) }
            }
            h1 { (title) }
            (timeline(&chrome, &p, now))
            (process_nav(&chrome, &p, now))
            @if !p.vote_closed(now) {
                p { (chrome.t("budget-follow-up-not-yet")) }
            } @else if winners.is_empty() {
                p { (chrome.t("budget-follow-up-no-winner")) }
            } @else {
                p.lead { (chrome.t("budget-follow-up-lead")) }
                @for (pr, f) in &winners { (winner(&chrome, &p, pr, f)) }
            }
        },
    ))
}

/// Whether a project won, for its page's link to its follow-up (`false`
/// before the close).
pub fn won(state: &AppState, p: &Process, number: u64, now: i64) -> Result<bool, AppError> {
    if !p.vote_closed(now) {
        return Ok(false);
    }
    Ok(follow_up::winners(&state.store.read()?, p)?.contains(&number))
}

/// Every refusal of the follow-up as a page, decided here for each one.
/// The staff's forms answer most of them on their fields; these are for a
/// second tab or a tampered form.
impl From<FollowUpError> for AppError {
    fn from(e: FollowUpError) -> Self {
        match e {
            FollowUpError::NotFound | FollowUpError::ProjectNotFound | FollowUpError::MilestoneNotFound => {
                AppError::NotFound
            }
            FollowUpError::BadProgress
            | FollowUpError::NoReason
            | FollowUpError::BadTitle
            | FollowUpError::TooLong
            | FollowUpError::TooManyMilestones => Refusal::Invalid.into(),
            // Before the close, or a project the count did not choose: a
            // state of the process, not of the form.
            FollowUpError::NoResults | FollowUpError::NotWinner => Refusal::Closed.into(),
            FollowUpError::Store(s) => AppError::from(s),
        }
    }
}
