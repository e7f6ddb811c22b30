//! `/admin/lancement`: the launch campaign's page for staff (issue 16) —
//! the checklist with the day each step was done and what Parvis knows of
//! it by itself, the launch and end days, the sign-ups per day since the
//! launch (the dashboard's chart, table and CSV), by neighbourhood against
//! the targets the town hall sets, the launch contest and its jury, and
//! the widget's `<iframe>` to paste on the commune's website.

use std::collections::BTreeMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Form};
use poem::Response;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::ids::{BoxId, ProposalId};
use crate::domain::launch::{self, Campaign, Contest, Item, LaunchError, Plan};
use crate::domain::promotion::{self, Target};
use crate::domain::proposals::{self, Filter, Page, Sort};
use crate::domain::{meetings, metrics, now_unix};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, table_head, FormErrors, Input};
use crate::web::dashboard::{BarChart, DataTable};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;

pub const BASE: &str = "/admin/lancement";

/// The fields of a form as sent, in order (the targets' names depend on
/// the configuration).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}

fn date(day: i64) -> String {
    metrics::date_of_day(day).to_string()
}

fn parse_day(raw: &str) -> Option<i64> {
    raw.trim().parse::<jiff::civil::Date>().ok().map(metrics::day_of_date)
}

/// The forms of the page as shown: what was typed when one was refused,
/// else the campaign's values.
struct Shown {
    plan: Fields,
    targets: Fields,
    contest: Fields,
}

impl Shown {
    fn of(c: &Campaign, neighbourhoods: &[String]) -> Shown {
        let mut plan = vec![
            ("launch".to_string(), c.launch_day.map(date).unwrap_or_default()),
            ("end".to_string(), c.end_day.map(date).unwrap_or_default()),
        ];
        for item in Item::ALL {
            if let Some(d) = c.done_on(item) {
                plan.push((format!("done-{}", item.code()), "on".into()));
                plan.push((format!("day-{}", item.code()), date(d)));
            }
        }
        let targets = neighbourhoods
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("target-{i}"), c.targets.get(n).map(|t| t.to_string()).unwrap_or_default()))
            .collect();
        let contest = match c.contest {
            Some(k) => vec![("box".into(), k.box_id.get().to_string()), ("announce".into(), date(k.announce_day))],
            None => Vec::new(),
        };
        Shown { plan, targets, contest }
    }
}

/// The sign-ups per day since the launch: a row a day, the total and each
/// neighbourhood's count; the bar is the day's total.
pub fn signups_table(chrome: &Chrome, state: &AppState, c: &Campaign, today: i64) -> Result<DataTable, AppError> {
    let neighbourhoods = &state.config.commune.neighbourhoods;
    let mut head = vec![chrome.t("launch-col-day"), chrome.t("launch-col-total")];
    head.extend(neighbourhoods.iter().cloned());
    head.push(chrome.t("launch-col-no-neighbourhood"));
    let mut rows = Vec::new();
    if let Some(launch_day) = c.launch_day.filter(|l| *l <= today) {
        let per_day = metrics::signups::by_day(&*state.store.read()?, launch_day, today)?;
        for day in launch_day..=today {
            let counts = per_day.get(&day).cloned().unwrap_or_default();
            let total: u64 = counts.values().sum();
            let mut cells = vec![total.to_string()];
            cells.extend(neighbourhoods.iter().map(|n| counts.get(n).copied().unwrap_or(0).to_string()));
            let elsewhere: u64 = counts.iter().filter(|(n, _)| !neighbourhoods.contains(n)).map(|(_, v)| v).sum();
            cells.push(elsewhere.to_string());
            rows.push((date(day), cells, total));
        }
    }
    Ok(DataTable { caption: chrome.t("launch-chart-caption"), head, rows })
}

/// What Parvis knows by itself of a checklist item, shown beside it.
fn known(chrome: &Chrome, state: &AppState, c: &Campaign, item: Item) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    Ok(match item {
        Item::Poster => match promotion::name_of(&*tx, Target::Platform)? {
            Some(name) => html! {
                (chrome.lang.ta("launch-known-short-link", &[("address", Arg::from(crate::web::short_links::short_url(state, &name)))]))
                " " (crate::web::admin::posters::links(chrome, Target::Platform))
            },
            None => html! {
                (chrome.t("launch-known-no-short-link")) " "
                a href="/admin/liens-courts?kind=platform&id=0" { (chrome.t("launch-known-choose-short-link")) }
                " · " (crate::web::admin::posters::links(chrome, Target::Platform))
            },
        },
        // A meeting published within a fortnight of the launch day.
        Item::Event => match c.launch_day {
            Some(day) => {
                let from = (day - 14) * 86_400;
                let near: Vec<meetings::Meeting> = meetings::upcoming(&*tx, from, 200)?
                    .into_iter()
                    .filter(|m| (metrics::day_of(m.starts_at) - day).abs() <= 14)
                    .collect();
                html! {
                    @if near.is_empty() {
                        (chrome.t("launch-known-no-event"))
                    } @else {
                        (chrome.t("launch-known-events")) " "
                        @for (i, m) in near.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={ "/rendez-vous/" (m.id) } { (m.title) }
                        }
                    }
                }
            }
            None => html! {},
        },
        Item::Pilot | Item::Bulletin => html! {},
    })
}

fn plan_form(
    chrome: &Chrome,
    state: &AppState,
    c: &Campaign,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let mut rows = Vec::new();
    for item in Item::ALL {
        let (done, day) = (format!("done-{}", item.code()), format!("day-{}", item.code()));
        rows.push((item, done, day, known(chrome, state, c, item)?));
    }
    Ok(html! {
        form method="post" action={ (BASE) "/plan" } novalidate {
            (csrf_field(chrome))
            (Input::new("launch", chrome.t("launch-day"), field(f, "launch")).kind("date").optional().hint(chrome.t("launch-day-hint")).render(chrome, errors))
            (Input::new("end", chrome.t("launch-end"), field(f, "end")).kind("date").optional().hint(chrome.t("launch-end-hint")).render(chrome, errors))
            table.table.launch-checklist {
                caption { (chrome.t("launch-checklist")) }
                (table_head(chrome, &["launch-col-step", "launch-col-done-on", "launch-col-known"]))
                tbody {
                    @for (item, done, day, known) in &rows {
                        tr {
                            th scope="row" {
                                div.checkbox {
                                    input type="checkbox" id=(done) name=(done) value="on" checked[field(f, done) == "on"];
                                    label for=(done) { (chrome.t(&format!("launch-item-{}", item.code()))) }
                                }
                            }
                            td { (Input::new(day, chrome.t("launch-done-on"), field(f, day)).kind("date").optional().render(chrome, errors)) }
                            td { (known) }
                        }
                    }
                }
            }
            (submit(&chrome.t("launch-save-plan")))
        }
    })
}

fn targets_section(
    chrome: &Chrome,
    state: &AppState,
    f: &Fields,
    errors: &FormErrors,
    today: i64,
) -> Result<Markup, AppError> {
    let neighbourhoods = &state.config.commune.neighbourhoods;
    let objectives = launch::objectives(&*state.store.read()?, neighbourhoods, today)?;
    let counts = metrics::signups::by_neighbourhood(&*state.store.read()?, today)?;
    Ok(html! {
        @if neighbourhoods.is_empty() {
            p { (chrome.t("launch-no-neighbourhoods")) }
        } @else {
            table.data-table {
                caption { (chrome.t("launch-by-neighbourhood")) }
                (table_head(chrome, &["launch-col-neighbourhood", "launch-col-signed-up", "launch-col-target", "launch-col-reached"]))
                tbody {
                    @for n in neighbourhoods {
                        @let signed = counts.get(n).copied().unwrap_or(0);
                        @let target = objectives.iter().find(|o| &o.neighbourhood == n).map(|o| o.target);
                        tr {
                            th scope="row" { (n) }
                            td { (signed) }
                            td { (target.map_or("—".to_string(), |t| t.to_string())) }
                            td { (target.map_or("—".to_string(), |t| format!("{} %", signed.saturating_mul(100) / t.max(1)))) }
                        }
                    }
                }
            }
            form method="post" action={ (BASE) "/objectifs" } novalidate {
                (csrf_field(chrome))
                fieldset {
                    legend { (chrome.t("launch-targets-legend")) }
                    p.hint { (chrome.t("launch-targets-hint")) }
                    @for (i, n) in neighbourhoods.iter().enumerate() {
                        @let name = format!("target-{i}");
                        (Input::new(&name, n.clone(), field(f, &name)).kind("number").optional().render(chrome, errors))
                    }
                }
                (submit(&chrome.t("launch-save-targets")))
            }
        }
    })
}

fn contest_section(
    chrome: &Chrome,
    state: &AppState,
    c: &Campaign,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let mut boxes: Vec<(String, String)> = vec![(String::new(), chrome.t("launch-contest-none"))];
    boxes.extend(proposals::boxes(&tx)?.into_iter().map(|b| (b.id.get().to_string(), b.title.clone())));
    let jury = match c.contest {
        Some(k) => {
            let (items, _) = proposals::list(
                &tx,
                &state.box_lists,
                k.box_id,
                Sort::MostSupported,
                &Filter::default(),
                Page { number: 0, size: proposals::MAX_PAGE },
            )?;
            let marked = launch::awarded(&*tx, k.box_id)?;
            let visible = crate::domain::publication::contest_awards_visible(&k, now_unix());
            Some((k, items, marked, visible))
        }
        None => None,
    };
    Ok(html! {
        p { (chrome.t("launch-contest-lead")) }
        form method="post" action={ (BASE) "/concours" } novalidate {
            (csrf_field(chrome))
            (select(chrome, errors, "box", &chrome.t("launch-contest-box"), None, &boxes, field(f, "box")))
            (Input::new("announce", chrome.t("launch-contest-announce"), field(f, "announce")).kind("date").optional().hint(chrome.t("launch-contest-announce-hint")).render(chrome, errors))
            (submit(&chrome.t("launch-save-contest")))
        }
        @if let Some((k, items, marked, visible)) = jury {
            h3 { (chrome.t("launch-jury")) }
            p { (chrome.lang.ta(if visible { "launch-jury-announced" } else { "launch-jury-not-yet" }, &[("date", Arg::from(date(k.announce_day)))])) }
            @if items.is_empty() {
                p { (chrome.t("launch-jury-no-ideas")) }
            } @else {
                table.table {
                    (table_head(chrome, &["launch-col-idea", "launch-col-supports", "launch-col-award"]))
                    tbody {
                        @for p in &items {
                            @let is_marked = marked.contains(&p.id);
                            tr {
                                td { a href={ "/propositions/" (p.id) } { (p.title) } @if is_marked { " " strong.badge { (chrome.t("launch-awarded")) } } }
                                td { (p.supports) }
                                td {
                                    form.inline-form method="post" action={ (BASE) "/concours/primer" } {
                                        (csrf_field(chrome))
                                        input type="hidden" name="proposal" value=(p.id);
                                        input type="hidden" name="awarded" value=(if is_marked { "0" } else { "1" });
                                        button.link-button type="submit" {
                                            (chrome.t(if is_marked { "launch-unaward" } else { "launch-award" }))
                                            span.visually-hidden { " : " (p.title) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn widget_section(chrome: &Chrome, state: &AppState) -> Markup {
    let origins = &state.config.widget_allowed_origins;
    html! {
        p { (chrome.t("launch-widget-lead")) " " a href=(super::widget::PATH) { (chrome.t("launch-widget-see")) } }
        @if origins.is_empty() {
            p.hint { (chrome.t("launch-widget-no-origin")) }
            pre { code { "[widget]\nallowed_origins = [\"https://www.saint-exemple.fr\"]" } }
        } @else {
            p { (chrome.t("launch-widget-origins")) }
            ul { @for o in origins { li { code { (o) } } } }
        }
        div.form-group {
            label for="widget-snippet" { (chrome.t("launch-widget-snippet")) }
            textarea #widget-snippet readonly rows="3" { (super::widget::snippet(state, chrome.lang)) }
        }
    }
}

fn launch_page(chrome: &Chrome, state: &AppState, shown: &Shown, errors: &FormErrors) -> Result<Markup, AppError> {
    let c = launch::campaign(&*state.store.read()?)?;
    let today = metrics::day_of(now_unix());
    let table = signups_table(chrome, state, &c, today)?;
    let title = chrome.t("launch-title");
    let desc = chrome.lang.ta(
        "launch-chart-desc",
        &[("from", Arg::from(c.launch_day.map(date).unwrap_or_default())), ("to", Arg::from(date(today)))],
    );
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("launch-lead")) }
            p { a href=(super::PATH) { (chrome.t("launch-public-link")) } }
            section aria-labelledby="lancement-plan" {
                h2 #lancement-plan { (chrome.t("launch-plan-title")) }
                (plan_form(chrome, state, &c, &shown.plan, errors)?)
            }
            section aria-labelledby="lancement-inscriptions" {
                h2 #lancement-inscriptions { (chrome.t("launch-signups-title")) }
                p.hint { (chrome.t("launch-signups-hint")) }
                @if table.rows.is_empty() {
                    p { (chrome.t("launch-signups-no-launch")) }
                } @else {
                    figure.metrics-figure {
                        (BarChart { id: "chart-inscriptions", table: &table, desc })
                        (table.table())
                        p.no-print { a href={ (BASE) "/inscriptions.csv" } download { (chrome.t("metrics-download-csv")) " — " (table.caption) } }
                    }
                }
            }
            section aria-labelledby="lancement-objectifs" {
                h2 #lancement-objectifs { (chrome.t("launch-targets-title")) }
                (targets_section(chrome, state, &shown.targets, errors, today)?)
            }
            section aria-labelledby="lancement-concours" {
                h2 #lancement-concours { (chrome.t("launch-contest-title")) }
                (contest_section(chrome, state, &c, &shown.contest, errors)?)
            }
            section aria-labelledby="lancement-widget" {
                h2 #lancement-widget { (chrome.t("launch-widget-title")) }
                (widget_section(chrome, state))
            }
        },
    ))
}

/// `GET /admin/lancement`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let c = launch::campaign(&*state.store.read()?)?;
    launch_page(&chrome, &state, &Shown::of(&c, &state.config.commune.neighbourhoods), &FormErrors::default())
}

/// `GET /admin/lancement/inscriptions.csv`: the chart's table.
#[poem::handler]
pub async fn csv(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Response, AppError> {
    let c = launch::campaign(&*state.store.read()?)?;
    let body = signups_table(&chrome, &state, &c, metrics::day_of(now_unix()))?.csv()?;
    Ok(Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"inscriptions-lancement.csv\"")
        .body(body))
}

/// The page again with one form as typed and its errors (422).
fn again(
    chrome: &Chrome,
    state: &AppState,
    replace: impl FnOnce(&mut Shown),
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let c = launch::campaign(&*state.store.read()?)?;
    let mut shown = Shown::of(&c, &state.config.commune.neighbourhoods);
    replace(&mut shown);
    Ok(refused(launch_page(chrome, state, &shown, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
}

/// A refusal of the domain as a field error, or the failure it is.
fn refusal(chrome: &Chrome, e: LaunchError, field: &str) -> Result<FormErrors, AppError> {
    let mut errors = FormErrors::default();
    let key = match e {
        LaunchError::EndBeforeLaunch => "launch-error-end-before-launch",
        LaunchError::UnknownNeighbourhood(_) | LaunchError::TargetTooLarge => "launch-error-target",
        LaunchError::NoSuchBox => "launch-error-no-box",
        LaunchError::NoContest | LaunchError::NotInContest => return Err(AppError::from(e)),
        LaunchError::Store(e) => return Err(AppError::from(e)),
    };
    errors.add(field, chrome.t(key));
    Ok(errors)
}

/// `POST /admin/lancement/plan`: the checklist and the campaign's days.
#[poem::handler]
pub async fn save_plan(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let mut day_of = |name: &str| -> Option<i64> {
        let raw = field(&f, name);
        if raw.is_empty() {
            return None;
        }
        let day = parse_day(raw);
        if day.is_none() {
            errors.add(name, chrome.t("launch-error-date"));
        }
        day
    };
    let mut plan = Plan { launch_day: day_of("launch"), end_day: day_of("end"), done: BTreeMap::new() };
    for item in Item::ALL {
        let day = day_of(&format!("day-{}", item.code()));
        if field(&f, &format!("done-{}", item.code())) == "on" {
            match day {
                Some(d) => {
                    plan.done.insert(item, d);
                }
                None if field(&f, &format!("day-{}", item.code())).is_empty() => {
                    // Ticked with no day: done today.
                    plan.done.insert(item, metrics::day_of(now_unix()));
                }
                None => {}
            }
        }
    }
    if errors.is_empty() {
        let actor = Actor::person(viewer.account.id, ip);
        let p = plan.clone();
        match state.store.write(move |tx| launch::save_plan(tx, &actor, &p, now_unix())).await {
            Ok(_) => return Ok(redirect_with(&state, BASE, Flash::success("flash-launch-saved"))),
            Err(e) => errors = refusal(&chrome, e, "end")?,
        }
    }
    again(&chrome, &state, |s| s.plan = f, &errors)
}

/// `POST /admin/lancement/objectifs`: the target of each neighbourhood.
#[poem::handler]
pub async fn save_targets(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let mut targets = BTreeMap::new();
    for (i, n) in state.config.commune.neighbourhoods.iter().enumerate() {
        let name = format!("target-{i}");
        let raw = field(&f, &name);
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<u64>() {
            Ok(t) if t <= launch::MAX_TARGET => {
                targets.insert(n.clone(), t);
            }
            _ => {
                errors.add(&name, chrome.lang.ta("launch-error-target-of", &[("neighbourhood", Arg::from(n.as_str()))]))
            }
        }
    }
    if errors.is_empty() {
        let actor = Actor::person(viewer.account.id, ip);
        let known = state.config.commune.neighbourhoods.clone();
        match state.store.write(move |tx| launch::set_targets(tx, &actor, &targets, &known, now_unix())).await {
            Ok(_) => return Ok(redirect_with(&state, BASE, Flash::success("flash-launch-targets-saved"))),
            Err(e) => errors = refusal(&chrome, e, "target-0")?,
        }
    }
    again(&chrome, &state, |s| s.targets = f, &errors)
}

/// `POST /admin/lancement/concours`: the contest's box and announcement
/// day, or no contest (no box chosen).
#[poem::handler]
pub async fn save_contest(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let contest = match field(&f, "box") {
        "" => None,
        raw => {
            let box_id = raw.parse::<u64>().ok().map(BoxId);
            let day = parse_day(field(&f, "announce"));
            if box_id.is_none() {
                errors.add("box", chrome.t("launch-error-no-box"));
            }
            if day.is_none() {
                errors.add("announce", chrome.t("launch-error-announce"));
            }
            box_id.zip(day).map(|(box_id, announce_day)| Contest { box_id, announce_day })
        }
    };
    if errors.is_empty() {
        let actor = Actor::person(viewer.account.id, ip);
        match state.store.write(move |tx| launch::set_contest(tx, &actor, contest, now_unix())).await {
            Ok(_) => return Ok(redirect_with(&state, BASE, Flash::success("flash-launch-contest-saved"))),
            Err(e) => errors = refusal(&chrome, e, "box")?,
        }
    }
    again(&chrome, &state, |s| s.contest = f, &errors)
}

/// `POST /admin/lancement/concours/primer`: the jury marks an idea
/// « primée » (`awarded=1`) or takes the mark back (`awarded=0`).
#[poem::handler]
pub async fn award(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let proposal =
        field(&f, "proposal").parse::<u64>().map(ProposalId).map_err(|_| AppError::BadRequest("proposal"))?;
    let awarded = field(&f, "awarded") == "1";
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| launch::award(tx, &actor, proposal, awarded, now_unix()).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("{BASE}#lancement-concours"), Flash::success("flash-launch-award-saved")))
}
