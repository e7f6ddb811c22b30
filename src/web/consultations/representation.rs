//! The "Qui a répondu" section of a consultation's results: each group's
//! share among respondents against its share of the population, with the
//! participation rates, the representativeness score and the warnings
//! (`domain::consultations::representation`); the re-weighted percentage
//! of each counted question (a column of its table, `results.rs`); and the
//! results split by neighbourhood or age bracket (`?par=quartier|age`, a
//! link: no JavaScript). Every count of a group goes through [`count`]:
//! from 1 to 4 it reads "moins de 5", and a small group's share and rate
//! are not shown either, since with the total they would give the count.

use std::collections::BTreeMap;

use maud::{html, Markup};
use serde::Deserialize;

use super::is_staff;
use crate::domain::accounts::AGE_BRACKETS;
use crate::domain::consultations::representation::{
    represent, shown, Breakdown, Dimension, GroupRow, Method, Representation, Shown, Warning, SMALL_GROUP,
};
use crate::domain::consultations::{self, CellCounts, Consultation, Group, Kind, Question, QuestionResult, Results};
use crate::i18n::Arg;
use crate::store::{StoreError, Tx};
use crate::web::chrome::Chrome;

/// `?par=quartier` or `?par=age`: the results split by group.
#[derive(Deserialize, Default)]
pub struct Split {
    par: Option<String>,
}

impl Split {
    pub fn dimension(&self) -> Option<Dimension> {
        self.par.as_deref().and_then(Dimension::from_code)
    }
}

/// The counts per group and what they say against the census.
pub struct WhoAnswered {
    cells: BTreeMap<Group, CellCounts>,
    figures: Representation,
    /// Whether the config gives the census of each dimension.
    has_population: [bool; 2],
}

impl WhoAnswered {
    /// One range read of the groups' counts (never the answers).
    pub fn read(tx: &impl Tx, c: &Consultation, chrome: &Chrome) -> Result<WhoAnswered, StoreError> {
        let cells = consultations::group_counts(tx, c.id)?;
        let commune = &chrome.config().commune;
        let ages: Vec<String> = AGE_BRACKETS.iter().map(|a| a.to_string()).collect();
        let figures = represent(&cells, &commune.population, &commune.neighbourhoods, &ages);
        let p = &commune.population;
        Ok(WhoAnswered { cells, figures, has_population: [!p.neighbourhoods.is_empty(), !p.age_brackets.is_empty()] })
    }

    /// The re-weighted percentage of each of `r`'s counts, in their order;
    /// empty (no column) when the results cannot be re-weighted.
    pub fn weighted(&self, r: &QuestionResult) -> Vec<Option<f64>> {
        match &self.figures.weighting {
            Some(w) => r.counts.iter().map(|c| w.percent(&self.cells, r.question, c.option)).collect(),
            None => Vec::new(),
        }
    }
}

/// A group's count as published: exactly, or "moins de 5".
pub fn count(chrome: &Chrome, n: u64) -> String {
    match shown(n) {
        Shown::Exactly(n) => n.to_string(),
        Shown::FewerThanFive => chrome.t("consultation-groups-fewer-than-5"),
    }
}

fn is_small(n: u64) -> bool {
    shown(n) == Shown::FewerThanFive
}

/// A share (0 to 1) as a French percentage with a tenth ("66,7 %").
fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

/// A participation rate, with hundredths: a small commune's rates are a
/// few per cent, and 0,25 % is not 0,2 %.
fn rate(share: f64) -> String {
    format!("{:.2} %", share * 100.0).replace('.', ",")
}

/// A share as a whole percentage, for a sentence ("21 %").
fn whole_percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn group_label(chrome: &Chrome, dimension: Dimension, name: &str) -> String {
    match dimension {
        Dimension::Neighbourhood => name.to_string(),
        Dimension::Age => chrome.t(&format!("age-{name}")),
    }
}

fn dimension_title(chrome: &Chrome, dimension: Dimension) -> String {
    chrome.t(&format!("consultation-groups-by-{}", dimension.code()))
}

/// The warning's sentence: « les 18 à 29 ans représentent 21 % des
/// habitants mais 6 % des réponses ».
fn warning_text(chrome: &Chrome, w: &Warning, respondents: u64) -> String {
    let label = group_label(chrome, w.dimension, &w.name);
    // In a sentence: « les moins de 18 ans », "people aged under 18".
    let label = match w.dimension {
        Dimension::Age => label.chars().take(1).flat_map(char::to_lowercase).chain(label.chars().skip(1)).collect(),
        Dimension::Neighbourhood => label,
    };
    let group =
        chrome.lang.ta(&format!("consultation-groups-who-{}", w.dimension.code()), &[("group", Arg::from(label))]);
    let population = Arg::from(whole_percent(w.population_share));
    if is_small(respondents) {
        return chrome
            .lang
            .ta("consultation-groups-warning-few", &[("group", Arg::from(group)), ("population", population)]);
    }
    chrome.lang.ta(
        "consultation-groups-warning",
        &[
            ("group", Arg::from(group)),
            ("population", population),
            ("respondents", Arg::from(whole_percent(w.respondent_share))),
        ],
    )
}

/// Two bars per group: its share of the population (pale) and of the
/// respondents (the commune's colour). Decorative: the table beside it
/// holds the same figures.
fn chart(chrome: &Chrome, b: &Breakdown, with_population: bool) -> Markup {
    const ROW: usize = 44;
    const WIDTH: f64 = 300.0;
    let height = ROW * b.groups.len() + 4;
    let width = |share: f64| format!("{:.1}", WIDTH * share);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" width="100%" viewBox={ "0 0 560 " (height) } aria-hidden="true" focusable="false" {
            @for (i, g) in b.groups.iter().enumerate() {
                @let y = i * ROW + 2;
                text x="0" y=(y + 24) font-size="14" fill="currentColor" { (group_label(chrome, b.dimension, &g.name).chars().take(26).collect::<String>()) }
                @if let Some(p) = g.population_share.filter(|_| with_population) {
                    rect.population x="200" y=(y + 2) width=(width(p)) height="18" fill="#b1b4b6" {}
                }
                @if !is_small(g.respondents) {
                    rect x="200" y=(y + 22) width=(width(g.respondent_share)) height="18" fill="#1d4f91" {}
                    text x=(format!("{:.1}", 206.0 + WIDTH * g.respondent_share)) y=(y + 36) font-size="13" fill="currentColor" { (percent(g.respondent_share)) }
                }
            }
        }
    }
}

fn row(chrome: &Chrome, b: &Breakdown, g: &GroupRow, with_population: bool) -> Markup {
    let small = is_small(g.respondents);
    let dash = "—";
    html! {
        tr {
            th scope="row" { (group_label(chrome, b.dimension, &g.name)) }
            @if with_population {
                td { (g.population_share.map(percent).unwrap_or_else(|| dash.into())) }
            }
            td { (count(chrome, g.respondents)) }
            td { @if small { (dash) } @else { (percent(g.respondent_share)) } }
            @if with_population {
                td { @if small { (dash) } @else { (g.rate.map(rate).unwrap_or_else(|| dash.into())) } }
            }
        }
    }
}

fn breakdown_table(chrome: &Chrome, b: &Breakdown, with_population: bool) -> Markup {
    let title = dimension_title(chrome, b.dimension);
    html! {
        h3 { (title) }
        // The chart's key, for sighted readers; the table is the accessible one.
        @if with_population {
            ul.chart-legend aria-hidden="true" {
                li { span.key.key-population {} (chrome.t("consultation-groups-population-share")) }
                li { span.key {} (chrome.t("consultation-groups-respondent-share")) }
            }
        }
        div.result-chart {
            (chart(chrome, b, with_population))
            table.groups {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-groups-group")) }
                    @if with_population { th scope="col" { (chrome.t("consultation-groups-population-share")) } }
                    th scope="col" { (chrome.t("consultation-groups-respondents")) }
                    th scope="col" { (chrome.t("consultation-groups-respondent-share")) }
                    @if with_population { th scope="col" { (chrome.t("consultation-groups-rate")) } }
                } }
                tbody {
                    @for g in &b.groups { (row(chrome, b, g, with_population)) }
                    tr {
                        th scope="row" { (chrome.t("consultation-groups-unknown")) }
                        @if with_population { td { "—" } }
                        td { (count(chrome, b.unknown)) }
                        td { "—" }
                        @if with_population { td { "—" } }
                    }
                }
            }
        }
        @if b.score.is_some() && with_population {
            p.hint { (chrome.lang.ta("consultation-groups-dimension-score", &[("score", Arg::from(score_text(b.score))) ])) }
        }
    }
}

fn score_text(score: Option<f64>) -> String {
    score.map(|s| format!("{s:.2}").replace('.', ",")).unwrap_or_default()
}

/// How the results were re-weighted, in plain French.
fn method(chrome: &Chrome, figures: &Representation) -> Markup {
    let Some(w) = &figures.weighting else { return html! {} };
    let lang = chrome.lang;
    let how = match w.method {
        Method::PostStratification => chrome.t("consultation-groups-method-cells"),
        Method::Raking { rounds, .. } => {
            lang.ta("consultation-groups-method-raking", &[("rounds", Arg::from(u64::from(rounds)))])
        }
    };
    html! {
        h3 { (chrome.t("consultation-groups-method-title")) }
        p { (chrome.t("consultation-groups-method-why")) " " (how) }
        p { (lang.ta("consultation-groups-method-excluded", &[("count", Arg::from(count(chrome, w.excluded)))])) }
        @if let Method::Raking { converged: false, rounds } = w.method {
            p { (lang.ta("consultation-groups-method-approximate", &[("rounds", Arg::from(u64::from(rounds)))])) }
        }
        p { (chrome.t("consultation-groups-method-raw")) }
    }
}

/// The results of each counted question split by the groups of
/// `dimension`: one column per group, each count through [`count`].
fn split_results(chrome: &Chrome, c: &Consultation, who: &WhoAnswered, dimension: Dimension) -> Markup {
    let names: Vec<String> = match dimension {
        Dimension::Neighbourhood => chrome.config().commune.neighbourhoods.clone(),
        Dimension::Age => AGE_BRACKETS.iter().map(|a| a.to_string()).collect(),
    };
    // Each column: its heading and the cells it adds up (the last one the
    // respondents whose group is not known, or not one of the names).
    let mut columns: Vec<(String, Vec<&CellCounts>)> = names
        .iter()
        .map(|n| {
            let cells = who.cells.iter().filter(|(g, _)| dimension.of(g) == Some(n.as_str())).map(|(_, c)| c).collect();
            (group_label(chrome, dimension, n), cells)
        })
        .collect();
    let unknown = who
        .cells
        .iter()
        .filter(|(g, _)| dimension.of(g).is_none_or(|n| !names.iter().any(|m| m == n)))
        .map(|(_, c)| c)
        .collect();
    columns.push((chrome.t("consultation-groups-unknown"), unknown));
    let sum = |cells: &[&CellCounts], q: u32, option: u32| -> u64 { cells.iter().map(|c| c.get(q, option)).sum() };
    let total = |cells: &[&CellCounts]| -> u64 { cells.iter().map(|c| c.respondents).sum() };
    html! {
        @for q in c.questions.iter().filter(|q| q.kind.is_counted()) {
            @let options = option_values(chrome, q);
            table.groups {
                caption { (q.label) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-results-option")) }
                    @for (label, cells) in &columns {
                        th scope="col" { (label) " (" (count(chrome, total(cells))) ")" }
                    }
                } }
                tbody {
                    @for (option, label) in &options {
                        tr {
                            th scope="row" { (label) }
                            @for (_, cells) in &columns { td { (count(chrome, sum(cells, q.id, *option))) } }
                        }
                    }
                }
            }
        }
    }
}

/// The counted options of `q` with their labels, as the results count them.
fn option_values(chrome: &Chrome, q: &Question) -> Vec<(u32, String)> {
    match &q.kind {
        Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. } => {
            let mut all: Vec<(u32, String)> = options.iter().enumerate().map(|(i, o)| (i as u32, o.clone())).collect();
            if *other {
                all.push((options.len() as u32, chrome.t("consultation-other")));
            }
            all
        }
        Kind::Scale { from, to, .. } => (*from..=*to).map(|v| (u32::from(v), v.to_string())).collect(),
        // Rankings, matrices and places are not split by group (their
        // counts are pairs or cells: `tables::group_counts_of`).
        Kind::Info
        | Kind::ShortText
        | Kind::LongText
        | Kind::Number { .. }
        | Kind::Date
        | Kind::Ranking { .. }
        | Kind::Matrix { .. }
        | Kind::Point => Vec::new(),
    }
}

/// The "Qui a répondu" section.
pub fn section(chrome: &Chrome, c: &Consultation, results: &Results, who: &WhoAnswered, split: &Split) -> Markup {
    let figures = &who.figures;
    let lang = chrome.lang;
    let base = format!("/consultations/{}/resultats", c.id);
    let respondents_of = |w: &Warning| -> u64 {
        figures
            .breakdowns
            .iter()
            .filter(|b| b.dimension == w.dimension)
            .flat_map(|b| &b.groups)
            .find(|g| g.name == w.name)
            .map(|g| g.respondents)
            .unwrap_or(0)
    };
    let no_population = !who.has_population.iter().any(|h| *h);
    html! {
        section.result.who-answered aria-labelledby="qui-a-repondu" {
            h2 id="qui-a-repondu" { (chrome.t("consultation-groups-title")) }
            p { (lang.ta("consultation-groups-intro", &[("count", Arg::from(results.answers)), ("small", Arg::from(SMALL_GROUP))])) }
            @if no_population {
                p { (chrome.t("consultation-groups-no-population")) }
                @if is_staff(chrome) {
                    p.hint { (chrome.t("consultation-groups-no-population-staff")) }
                }
            } @else if figures.weighting.is_none() && is_staff(chrome) {
                p.hint { (chrome.t("consultation-groups-no-weighting-staff")) }
            }
            @if let Some(score) = figures.score {
                p.lead { (lang.ta("consultation-groups-score", &[("score", Arg::from(score_text(Some(score))))])) }
                p.hint { (chrome.t("consultation-groups-score-hint")) }
            }
            @if !figures.warnings.is_empty() {
                div.flash.flash-warning role="note" {
                    ul {
                        @for w in &figures.warnings { li { (warning_text(chrome, w, respondents_of(w))) } }
                    }
                }
            }
            // A commune without neighbourhoods has nothing to split by them.
            @for (i, b) in figures.breakdowns.iter().enumerate().filter(|(_, b)| !b.groups.is_empty()) {
                (breakdown_table(chrome, b, who.has_population[i]))
            }
            (method(chrome, figures))
            h3 id="par-groupe" { (chrome.t("consultation-groups-split-title")) }
            nav aria-labelledby="par-groupe" {
                ul.inline-list {
                    @for d in Dimension::ALL.into_iter().filter(|d| figures.breakdowns.iter().any(|b| b.dimension == *d && !b.groups.is_empty())) {
                        li {
                            @if split.dimension() == Some(d) {
                                span aria-current="true" { (dimension_title(chrome, d)) }
                            } @else {
                                a href={ (base) "?par=" (d.code()) "#par-groupe" } { (dimension_title(chrome, d)) }
                            }
                        }
                    }
                    @if split.dimension().is_some() {
                        li { a href={ (base) "#par-groupe" } { (chrome.t("consultation-groups-split-none")) } }
                    }
                }
            }
            @if let Some(d) = split.dimension() {
                (split_results(chrome, c, who, d))
            }
        }
    }
}
