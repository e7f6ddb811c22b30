//! `/budgets`: the processes with the phase each is in; `/budgets/:id`: a
//! process, its pots and its projects with their study; and
//! `/budgets/:id/projets/:n`: a project.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};

use super::{euros, load_public, phase_badge, pot_name, process_nav, study_text, timeline};
use crate::app::AppState;
use crate::domain::budgets::{self, Process, Project, Style};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::consultations::is_staff;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// `GET /budgets`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let now = now_unix();
    let staff = is_staff(&chrome);
    let tx = state.store.read()?;
    let all: Vec<Process> = budgets::list(&tx)?.into_iter().filter(|p| p.is_public() || staff).collect();
    let all = crate::web::groups::visible(&chrome, &*tx, all, |p| crate::domain::groups::Process::Budget(p.id))?;
    drop(tx);
    let title = chrome.t("budgets-title");
    let lang = chrome.lang;
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("budgets-lead")) }
            @if all.is_empty() {
                p { (chrome.t("budgets-none")) }
            } @else {
                ul.cards {
                    @for p in &all {
                        li.card {
                            h2 { a href={ "/budgets/" (p.id) } { (p.title) } }
                            p.meta { (chrome.t("budget-current-phase")) " " (phase_badge(lang, p.phase(now))) }
                            p { (lang.ta("budget-total", &[("amount", Arg::from(euros(lang, total(p))))])) }
                        }
                    }
                }
            }
        },
    ))
}

/// The money of all the pots.
fn total(p: &Process) -> u64 {
    p.pots.iter().map(|pot| pot.amount_cents).sum()
}

/// How the ballot is filled in, in a sentence.
pub fn style_text(chrome: &Chrome, p: &Process) -> String {
    match p.style {
        Style::Basket => chrome.t("budget-style-basket"),
        Style::Approval { max } => chrome.lang.ta("budget-style-approval", &[("max", Arg::from(u64::from(max)))]),
    }
}

/// A project as a line of a list.
fn project_card(chrome: &Chrome, p: &Process, pr: &Project) -> Markup {
    let lang = chrome.lang;
    html! {
        li.card {
            (super::photos::thumbnail(p, pr))
            h4 { a href={ "/budgets/" (p.id) "/projets/" (pr.number) } { (pr.title) } }
            p.meta {
                @if !pr.category.is_empty() { (pr.category) " · " }
                (pr.neighbourhood.clone().unwrap_or_else(|| chrome.t("budget-whole-commune")))
                @if pr.proposed_cost_cents > 0 {
                    " · " (lang.ta("budget-proposed-cost", &[("cost", Arg::from(euros(lang, pr.proposed_cost_cents)))]))
                }
            }
            p { (study_text(chrome, pr)) }
        }
    }
}

/// `GET /budgets/:id`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let projects = budgets::projects(&state.store.read()?, p.id)?;
    let now = now_unix();
    let lang = chrome.lang;
    Ok(crate::web::layout::page_with_head(
        &chrome,
        &p.title,
        crate::web::og::tags(&chrome, crate::web::og::Share { title: &p.title, description: &p.description }),
        html! {
            p.breadcrumb { a href="/budgets" { (chrome.t("budgets-title")) } }
            h1 { (p.title) }
            (timeline(&chrome, &p, now))
            (process_nav(&chrome, &p, now))
            div.prose { (crate::markdown::render(&p.description)) }
            section aria-labelledby="regles" {
                h2 #regles { (chrome.t("budget-rules-title")) }
                ul {
                    li { (style_text(&chrome, &p)) }
                    li { (chrome.t(&format!("budget-audience-{}", p.audience.code()))) }
                    @if let Some(age) = p.min_age {
                        li { (lang.ta("budget-min-age", &[("age", Arg::from(u64::from(age)))])) }
                    }
                    li { (chrome.t(if p.changeable { "budget-changeable" } else { "budget-final" })) }
                    @if p.secret { li { (chrome.t("budget-secret")) } }
                    li { (chrome.t(&format!("budget-rule-{}", p.rule.code()))) }
                }
            }
            @for (i, pot) in p.pots.iter().enumerate() {
                @let here: Vec<&Project> = projects.iter().filter(|pr| pr.pot == i).collect();
                section aria-labelledby={ "enveloppe-" (i) } {
                    h2 id={ "enveloppe-" (i) } { (pot_name(lang, pot)) " — " (euros(lang, pot.amount_cents)) }
                    @if here.is_empty() {
                        p { (chrome.t("budget-no-projects")) }
                    } @else {
                        h3.visually-hidden { (chrome.t("budget-projects-title")) }
                        ul.cards { @for pr in &here { (project_card(&chrome, &p, pr)) } }
                    }
                }
            }
            p { a href={ "/budgets/" (p.id) "/projets.csv" } download { (chrome.t("budget-projects-csv")) } }
            (crate::web::share::links(&chrome, &p.title, &format!("/budgets/{}", p.id)))
        },
    ))
}

/// `GET /budgets/:id/projets/:n`.
#[poem::handler]
pub async fn project(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((id, n)): Path<(u64, u64)>,
) -> Result<Markup, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let pr = budgets::project(&state.store.read()?, p.id, n)?.ok_or(AppError::NotFound)?;
    let now = now_unix();
    let lang = chrome.lang;
    let pot = p.pots.get(pr.pot).map(|pot| pot_name(lang, pot)).unwrap_or_default();
    let won = super::follow_up::won(&state, &p, pr.number, now)?;
    Ok(page(
        &chrome,
        &pr.title,
        html! {
            p.breadcrumb {
                a href="/budgets" { (chrome.t("budgets-title")) } " › "
                a href={ "/budgets/" (p.id) } { (p.title) }
            }
            h1 { (pr.title) }
            (timeline(&chrome, &p, now))
            (process_nav(&chrome, &p, now))
            dl.facts {
                dt { (chrome.t("budget-field-number")) } dd { (pr.number) }
                dt { (chrome.t("budget-field-pot")) } dd { (pot) }
                dt { (chrome.t("budget-field-neighbourhood")) }
                dd { (pr.neighbourhood.clone().unwrap_or_else(|| chrome.t("budget-whole-commune"))) }
                @if !pr.category.is_empty() { dt { (chrome.t("budget-field-category")) } dd { (pr.category) } }
                @if pr.proposed_cost_cents > 0 {
                    dt { (chrome.t("budget-field-proposed-cost")) } dd { (euros(lang, pr.proposed_cost_cents)) }
                }
                dt { (chrome.t("budget-field-study")) } dd { (study_text(&chrome, &pr)) }
                @if let Some((lat, lon)) = pr.coords {
                    dt { (chrome.t("budget-field-location")) }
                    dd { (format!("{lat:.5}, {lon:.5}")) }
                }
            }
            (super::photos::gallery(&chrome, &p, &pr))
            @if let Some((lat, lon)) = pr.coords {
                section aria-labelledby="lieu" {
                    h2 #lieu { (chrome.t("budget-field-location")) }
                    (crate::web::reports::map_labelled(&chrome, lat, lon, 17, &chrome.t("budget-map-label")))
                    // The text alternative of the map, which draws this point.
                    ul.map-points {
                        li data-point-lat=(lat) data-point-lon=(lon) { (pr.title) " — " (format!("{lat:.5}, {lon:.5}")) }
                    }
                }
            }
            @if !pr.description.is_empty() {
                section aria-labelledby="description" {
                    h2 #description { (chrome.t("budget-field-description")) }
                    div.prose { (crate::markdown::render(&pr.description)) }
                }
            }
            @if let Some(proposal) = pr.from_proposal {
                p { a href={ "/propositions/" (proposal.get()) } { (chrome.t("budget-from-proposal")) } }
            }
            @if won {
                p { a href={ "/budgets/" (p.id) "/suivi#projet-" (pr.number) } { (chrome.t("budget-follow-up-of-project")) } }
            }
        },
    ))
}
