//! `/budgets/:id/resultats`: once the results may be shown
//! (`Process::results_visible`), the projects of each pot ranked by votes,
//! the winners, the rule in plain words with an example worked on the real
//! figures, the tie rule, and who voted by neighbourhood and age bracket
//! against the census. And the files to recount: the projects on the
//! ballot, the results, and after the close the anonymous ballots, with
//! the procedure (`/budgets/recomptage`) and its script.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::header;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response};

use super::{euros, load_public, pot_name, process_nav, timeline};
use crate::app::AppState;
use crate::domain::accounts::AGE_BRACKETS;
use crate::domain::budgets::results::Line;
use crate::domain::budgets::{self, Outcome, Phase, PotOutcome, Process, Project, Rule};
use crate::domain::consultations::representation::{represent, Breakdown, Dimension};
use crate::domain::now_unix;
use crate::i18n::{Arg, Lang};
use crate::web::chrome::Chrome;
use crate::web::consultations::representation::count;
use crate::web::csv::text_cell;
use crate::web::errors::{AppError, Refusal};
use crate::web::layout::page;

fn title_of(projects: &[Project], number: u64) -> String {
    projects.iter().find(|p| p.number == number).map(|p| p.title.clone()).unwrap_or_else(|| format!("n° {number}"))
}

/// The arguments naming a project in the examples: its title, votes, cost.
fn named(lang: Lang, projects: &[Project], l: &Line) -> Vec<(&'static str, Arg)> {
    vec![
        ("project", Arg::from(title_of(projects, l.number))),
        ("votes", Arg::from(l.votes)),
        ("cost", Arg::from(euros(lang, l.cost))),
    ]
}

/// The rule's example on this pot's figures: the first project taken, then
/// the first that no longer fitted in what was left (with what was left
/// then), or the first short of the minimum of votes.
fn worked_example(chrome: &Chrome, p: &Process, projects: &[Project], o: &PotOutcome) -> Vec<String> {
    let lang = chrome.lang;
    let Some(pot) = p.pots.get(o.pot) else { return Vec::new() };
    let mut out = Vec::new();
    match p.rule {
        Rule::Greedy | Rule::GreedyPerNeighbourhood => {
            // The neighbourhoods' rule first takes each neighbourhood's
            // best project that fits (the first winners, one per
            // neighbourhood: `results::greedy_per_neighbourhood`), then
            // walks the ranking as greedy does with what is left.
            let first_pass = match p.rule {
                Rule::GreedyPerNeighbourhood => first_pass_count(projects, o),
                Rule::Greedy | Rule::EqualShares => 0,
            };
            let firsts: Vec<&Line> =
                o.winners.iter().take(first_pass).filter_map(|n| o.lines.iter().find(|l| l.number == *n)).collect();
            if let Some(first) = firsts.first() {
                let hood = projects.iter().find(|pr| pr.number == first.number).and_then(|pr| pr.neighbourhood.clone());
                let mut args = named(lang, projects, first);
                args.push(("neighbourhood", Arg::from(hood.unwrap_or_default())));
                out.push(lang.ta("budget-example-neighbourhood-first", &args));
            }
            let mut left = pot.amount_cents.saturating_sub(firsts.iter().map(|l| l.cost).sum());
            let (mut told_taken, mut told_skip, mut told_min) = (first_pass > 0, false, false);
            for l in o.lines.iter().filter(|l| !firsts.iter().any(|f| f.number == l.number)) {
                if l.votes < p.min_votes {
                    if !told_min {
                        let mut args = named(lang, projects, l);
                        args.push(("min", Arg::from(p.min_votes)));
                        out.push(lang.ta("budget-example-min-votes", &args));
                        told_min = true;
                    }
                } else if l.cost <= left {
                    left -= l.cost;
                    if !told_taken {
                        let mut args = named(lang, projects, l);
                        args.push(("left", Arg::from(euros(lang, left))));
                        out.push(lang.ta("budget-example-taken", &args));
                        told_taken = true;
                    }
                } else if !told_skip {
                    let mut args = named(lang, projects, l);
                    args.push(("left", Arg::from(euros(lang, left))));
                    out.push(lang.ta("budget-example-skipped", &args));
                    told_skip = true;
                }
            }
            if !told_skip && !told_min {
                out.push(chrome.t("budget-example-all-fit"));
            }
        }
        Rule::EqualShares => {
            if let Some(share) = pot.amount_cents.checked_div(o.voters) {
                out.push(lang.ta(
                    "budget-example-shares",
                    &[
                        ("voters", Arg::from(o.voters)),
                        ("amount", Arg::from(euros(lang, pot.amount_cents))),
                        ("share", Arg::from(euros(lang, share))),
                    ],
                ));
                let first = o.winners.first().and_then(|n| o.lines.iter().find(|l| l.number == *n));
                if let Some(l) = first.filter(|l| l.votes > 0 && l.cost / l.votes <= share) {
                    let mut args = named(lang, projects, l);
                    args.push(("each", Arg::from(euros(lang, l.cost / l.votes))));
                    out.push(lang.ta("budget-example-shares-first", &args));
                }
                out.push(chrome.t("budget-example-shares-rest"));
            }
        }
    }
    out
}

/// How many of the winners the neighbourhoods' rule chose in its first
/// pass: those, in order, each of a neighbourhood not yet covered.
fn first_pass_count(projects: &[Project], o: &PotOutcome) -> usize {
    let mut covered: Vec<String> = Vec::new();
    for n in &o.winners {
        match projects.iter().find(|pr| pr.number == *n).and_then(|pr| pr.neighbourhood.clone()) {
            Some(h) if !covered.contains(&h) => covered.push(h),
            _ => break,
        }
    }
    covered.len()
}

/// The tie rule, shown on a tie of this pot when there is one.
fn tie_example(chrome: &Chrome, projects: &[Project], o: &PotOutcome) -> Option<String> {
    let lang = chrome.lang;
    let pair = o.lines.windows(2).find(|w| w[0].votes == w[1].votes)?;
    let (a, b) = (&pair[0], &pair[1]);
    let key = if a.cost < b.cost { "budget-tie-cheaper" } else { "budget-tie-number" };
    Some(lang.ta(
        key,
        &[
            ("first", Arg::from(title_of(projects, a.number))),
            ("second", Arg::from(title_of(projects, b.number))),
            ("votes", Arg::from(a.votes)),
        ],
    ))
}

fn pot_section(chrome: &Chrome, p: &Process, projects: &[Project], o: &PotOutcome) -> Markup {
    let lang = chrome.lang;
    let Some(pot) = p.pots.get(o.pot) else { return html! {} };
    let id = format!("resultats-{}", o.pot);
    let winners: Vec<String> = o.winners.iter().map(|n| title_of(projects, *n)).collect();
    html! {
        section aria-labelledby=(id) {
            h2 id=(id) { (pot_name(lang, pot)) " — " (euros(lang, pot.amount_cents)) }
            p { (lang.ta("budget-pot-voters", &[("count", Arg::from(o.voters))])) }
            @if winners.is_empty() {
                p { (chrome.t("budget-no-winner")) }
            } @else {
                p { strong { (chrome.t("budget-winners")) } " " (winners.join(", ")) }
                p { (lang.ta("budget-spent", &[("spent", Arg::from(euros(lang, o.spent))), ("amount", Arg::from(euros(lang, pot.amount_cents)))])) }
            }
            table.budget-results {
                caption.visually-hidden { (chrome.t("budget-ranking")) " — " (pot_name(lang, pot)) }
                thead { tr {
                    th scope="col" { (chrome.t("budget-col-rank")) }
                    th scope="col" { (chrome.t("budget-col-project")) }
                    th scope="col" { (chrome.t("budget-col-votes")) }
                    th scope="col" { (chrome.t("budget-col-cost")) }
                    th scope="col" { (chrome.t("budget-col-won")) }
                } }
                tbody {
                    @for (rank, l) in o.lines.iter().enumerate() {
                        tr {
                            td { (rank + 1) }
                            th scope="row" { a href={ "/budgets/" (p.id) "/projets/" (l.number) } { (title_of(projects, l.number)) } }
                            td { (l.votes) }
                            td { (euros(lang, l.cost)) }
                            td { @if l.won { strong { (chrome.t("budget-won")) } } @else { (chrome.t("budget-not-won")) } }
                        }
                    }
                }
            }
            h3 { (chrome.t("budget-how-title")) }
            p { (chrome.t(&format!("budget-rule-{}-explained", p.rule.code()))) }
            @for sentence in worked_example(chrome, p, projects, o) { p { (sentence) } }
            p { (chrome.t("budget-tie-rule")) }
            @if let Some(tie) = tie_example(chrome, projects, o) { p { (tie) } }
        }
    }
}

fn group_label(chrome: &Chrome, dimension: Dimension, name: &str) -> String {
    match dimension {
        Dimension::Neighbourhood => name.to_string(),
        Dimension::Age => chrome.t(&format!("age-{name}")),
    }
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

/// One dimension's table: each group's voters against its share of the
/// census; a group of fewer than 5 shows « moins de 5 » and no share.
fn breakdown_table(chrome: &Chrome, b: &Breakdown) -> Markup {
    let title = chrome.t(&format!("budget-groups-by-{}", b.dimension.code()));
    let dash = "—";
    html! {
        table.groups {
            caption { (title) }
            thead { tr {
                th scope="col" { (chrome.t("consultation-groups-group")) }
                th scope="col" { (chrome.t("consultation-groups-population-share")) }
                th scope="col" { (chrome.t("budget-groups-voters")) }
                th scope="col" { (chrome.t("budget-groups-voter-share")) }
                th scope="col" { (chrome.t("consultation-groups-rate")) }
            } }
            tbody {
                @for g in &b.groups {
                    @let small = (1..crate::domain::consultations::representation::SMALL_GROUP).contains(&g.respondents);
                    tr {
                        th scope="row" { (group_label(chrome, b.dimension, &g.name)) }
                        td { (g.population_share.map(percent).unwrap_or_else(|| dash.into())) }
                        td { (count(chrome, g.respondents)) }
                        td { @if small { (dash) } @else { (percent(g.respondent_share)) } }
                        td { @if small { (dash) } @else { (g.rate.map(percent).unwrap_or_else(|| dash.into())) } }
                    }
                }
                tr {
                    th scope="row" { (chrome.t("consultation-groups-unknown")) }
                    td { (dash) }
                    td { (count(chrome, b.unknown)) }
                    td { (dash) }
                    td { (dash) }
                }
            }
        }
    }
}

/// Who voted, by neighbourhood and age bracket, against the census.
fn participation(chrome: &Chrome, state: &AppState, p: &Process, voters: u64) -> Result<Markup, AppError> {
    let cells = budgets::participation(&state.store.read()?, p.id)?;
    let commune = &chrome.config().commune;
    let ages: Vec<String> = AGE_BRACKETS.iter().map(|a| a.to_string()).collect();
    let figures = represent(&cells, &commune.population, &commune.neighbourhoods, &ages);
    Ok(html! {
        section aria-labelledby="participation" {
            h2 #participation { (chrome.t("budget-participation-title")) }
            p { (chrome.lang.ta("budget-participation-intro", &[("count", Arg::from(voters))])) }
            @for b in figures.breakdowns.iter().filter(|b| !b.groups.is_empty()) {
                (breakdown_table(chrome, b))
            }
        }
    })
}

/// The files to download, each when it may be.
fn downloads(chrome: &Chrome, p: &Process, now: i64) -> Markup {
    let base = format!("/budgets/{}", p.id);
    html! {
        section aria-labelledby="telecharger" {
            h2 #telecharger { (chrome.t("budget-downloads-title")) }
            ul {
                li { a href={ (base) "/projets.csv" } { (chrome.t("budget-projects-csv")) } }
                @if p.results_visible(now) { li { a href={ (base) "/resultats.csv" } { (chrome.t("budget-results-csv")) } } }
                @if p.vote_closed(now) {
                    li { a href={ (base) "/bulletins.csv" } { (chrome.t("budget-ballots-csv")) } }
                } @else {
                    li { (chrome.t("budget-ballots-after-close")) }
                }
            }
            p { a href="/budgets/recomptage" { (chrome.t("budget-recount-link")) } }
        }
    }
}

/// `GET /budgets/:id/resultats`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let now = now_unix();
    let lang = chrome.lang;
    let title = lang.ta("budget-results-title", &[("title", Arg::from(p.title.as_str()))]);
    let head = html! {
        p.breadcrumb {
            a href="/budgets" { (chrome.t("budgets-title")) } " › "
            a href={ "/budgets/" (p.id) } { (p.title) }
        }
        h1 { (title) }
        (timeline(&chrome, &p, now))
        (process_nav(&chrome, &p, now))
    };
    if !p.results_visible(now) {
        // Nobody, staff included, sees counts before the close.
        let close = p.start_of(Phase::Results).map(crate::web::proposals::date).unwrap_or_default();
        return Ok(page(
            &chrome,
            &title,
            html! {
                (head)
                div.panel { p { (lang.ta("budget-results-later", &[("date", Arg::from(close))])) } }
                (downloads(&chrome, &p, now))
            },
        ));
    }
    let (outcome, projects, voters) = counted(&state, &p)?;
    Ok(page(
        &chrome,
        &title,
        html! {
            (head)
            @if !p.vote_closed(now) { div.notice role="status" { p { (chrome.t("budget-results-partial")) } } }
            p.lead { (lang.ta("budget-ballots-count", &[("count", Arg::from(outcome.ballots))])) }
            @for o in &outcome.pots { (pot_section(&chrome, &p, &projects, o)) }
            (participation(&chrome, &state, &p, voters)?)
            (downloads(&chrome, &p, now))
        },
    ))
}

/// The outcome of the process's ballots, its projects and its roll's count.
fn counted(state: &AppState, p: &Process) -> Result<(Outcome, Vec<Project>, u64), AppError> {
    let tx = state.store.read()?;
    let projects = budgets::projects(&tx, p.id)?;
    let ballots = budgets::tally(&tx, p.id)?;
    let voters = budgets::count_roll(&tx, p.id)?;
    Ok((budgets::outcome(p, &projects, &ballots), projects, voters))
}

fn csv_response(body: String, name: &str) -> Response {
    Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .body(body)
}

/// `GET /budgets/:id/projets.csv`: the projects on the ballot, as
/// `scripts/recount.py` reads them.
#[poem::handler]
pub async fn projects_csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let projects = budgets::projects(&state.store.read()?, p.id)?;
    Ok(csv_response(budgets::projects_csv(&p, &projects)?, &format!("projects-{id}.csv")))
}

/// `GET /budgets/:id/resultats.csv`: each project's votes and whether it
/// won, pot by pot, best first; once the results may be shown.
#[poem::handler]
pub async fn results_csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let p = load_public(&chrome, &state, id)?;
    if !p.results_visible(now_unix()) {
        return Err(Refusal::Closed.into());
    }
    let (outcome, projects, _) = counted(&state, &p)?;
    let bad = |e: ::csv::Error| AppError::Internal(format!("CSV export: {e}"));
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["pot", "rank", "number", "title", "votes", "cost_cents", "won"]).map_err(bad)?;
    for o in &outcome.pots {
        for (rank, l) in o.lines.iter().enumerate() {
            w.write_record([
                o.pot.to_string(),
                (rank + 1).to_string(),
                l.number.to_string(),
                text_cell(&title_of(&projects, l.number)),
                l.votes.to_string(),
                l.cost.to_string(),
                if l.won { "1" } else { "0" }.to_string(),
            ])
            .map_err(bad)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(format!("CSV export: {e}")))?;
    let body = String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("CSV export: {e}")))?;
    Ok(csv_response(body, &format!("results-{id}.csv")))
}

/// `GET /budgets/:id/bulletins.csv`: the anonymous ballots, after the
/// close only (during the vote they would be partial results).
#[poem::handler]
pub async fn ballots_csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let p = load_public(&chrome, &state, id)?;
    if !p.vote_closed(now_unix()) {
        return Err(Refusal::Closed.into());
    }
    let ballots = budgets::ballots(&state.store.read()?, p.id)?;
    Ok(csv_response(budgets::ballots_csv(&ballots)?, &format!("ballots-{id}.csv")))
}

const RECOUNT_DOC: &str = include_str!("../../../docs/budgets-recount.md");
const RECOUNT_SCRIPT: &str = include_str!("../../../scripts/recount.py");

/// `GET /budgets/recomptage`: the recount procedure, as the repository
/// documents it, with its script.
#[poem::handler]
pub async fn recount(chrome: Chrome) -> Markup {
    let title = chrome.t("budget-recount-title");
    page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/budgets" { (chrome.t("budgets-title")) } }
            h1 { (title) }
            p { a href="/budgets/recount.py" { (chrome.t("budget-recount-script")) } }
            // The document is in English and French; its own first heading
            // is the page's <h1> above.
            div.prose lang="en" { (crate::markdown::render(RECOUNT_DOC.split_once('\n').map(|(_, rest)| rest).unwrap_or(RECOUNT_DOC))) }
        },
    )
}

/// `GET /budgets/recount.py`.
#[poem::handler]
pub async fn recount_script() -> Response {
    Response::builder()
        .content_type("text/x-python; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"recount.py\"")
        .body(RECOUNT_SCRIPT)
        .into_response()
}
