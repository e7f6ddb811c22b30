//! Who answered, against who lives in the commune: the figures of the
//! "Qui a répondu" section of the results, computed from the counts per
//! group (`groups.rs`) and the census the config holds
//! (`commune.population`). Pure functions, no storage: each is checked by
//! hand on small data sets in the tests below.
//!
//! - Each group's share among respondents against its share of the
//!   population, and its participation rate (respondents ÷ population).
//! - The representativeness score: the lowest group rate ÷ the highest (1:
//!   every group answered in the same proportion; 0: a group not at all).
//! - A warning for each under-represented group: its share of the answers
//!   below [`UNDER_REPRESENTED`] of its share of the population.
//! - Every counted question re-weighted so that the groups weigh what they
//!   weigh in the commune: cell by cell (post-stratification) when the
//!   config gives the population crossed by neighbourhood and age, else by
//!   raking (iterative proportional fitting over the two margins).
//!   Respondents whose neighbourhood or age is not known are left out of
//!   the re-weighted figures (they cannot be put in a group); so is a group
//!   nobody of which answered (no answer can stand for it), whose share is
//!   then spread over the others: the page says both.

use std::collections::BTreeMap;

use super::groups::{CellCounts, Group};
use super::tables::ANSWERED;
use crate::config::Population;

/// A group is under-represented when its share of the answers is below
/// this fraction of its share of the population: half, the threshold the
/// survey institutes' rule of thumb gives for a sample that needs a
/// correction, and one a reader checks at a glance (21 % of the residents
/// but under 10,5 % of the answers).
pub const UNDER_REPRESENTED: f64 = 0.5;

/// Below this many respondents a group's count is never published exactly
/// (issue 12: "fewer than 5").
pub const SMALL_GROUP: u64 = 5;

/// Raking stops when every margin is within this many respondents of its
/// target...
pub const RAKING_TOLERANCE: f64 = 1e-6;
/// ...or after this many rounds (two margins without empty cells converge
/// in a handful; the cap only guards against a case that cannot).
pub const RAKING_MAX_ROUNDS: u32 = 100;

/// A count as it may be published: exactly, or "fewer than 5" for 1 to 4
/// (0 says nobody, which reveals no one). Every breakdown by group goes
/// through this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Exactly(u64),
    FewerThanFive,
}

pub fn shown(count: u64) -> Shown {
    match count {
        1..SMALL_GROUP => Shown::FewerThanFive,
        n => Shown::Exactly(n),
    }
}

/// The two ways respondents are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    Neighbourhood,
    Age,
}

impl Dimension {
    pub const ALL: [Dimension; 2] = [Dimension::Neighbourhood, Dimension::Age];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Neighbourhood => "quartier",
            Dimension::Age => "age",
        }
    }

    pub fn from_code(code: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The name of `group` in this dimension, if known.
    pub fn of(self, group: &Group) -> Option<&str> {
        match self {
            Dimension::Neighbourhood => group.neighbourhood.as_deref(),
            Dimension::Age => group.age_bracket.as_deref(),
        }
    }

    fn population(self, p: &Population) -> &BTreeMap<String, u64> {
        match self {
            Dimension::Neighbourhood => &p.neighbourhoods,
            Dimension::Age => &p.age_brackets,
        }
    }
}

/// One group of a dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub name: String,
    pub respondents: u64,
    /// Of the respondents whose group in this dimension is known, from 0 to 1.
    pub respondent_share: f64,
    /// From the census; `None` when the config gives none for it.
    pub population: Option<u64>,
    pub population_share: Option<f64>,
    /// Respondents ÷ population.
    pub rate: Option<f64>,
}

/// The respondents of one dimension, group by group.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    pub dimension: Dimension,
    /// In the order of the names given (the config's neighbourhoods, the
    /// age brackets from the youngest).
    pub groups: Vec<GroupRow>,
    /// Respondents whose group is not known (or not one of the names).
    pub unknown: u64,
    /// The lowest group rate ÷ the highest, once the population is known.
    pub score: Option<f64>,
}

/// A group whose share of the answers is below [`UNDER_REPRESENTED`] of its
/// share of the population.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub dimension: Dimension,
    pub name: String,
    pub population_share: f64,
    pub respondent_share: f64,
}

/// How the results are re-weighted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// Each (neighbourhood, age) cell weighs its share of the crossed population.
    PostStratification,
    /// Iterative proportional fitting over both margins: `rounds` run,
    /// `converged` when within [`RAKING_TOLERANCE`].
    Raking { rounds: u32, converged: bool },
}

/// Each group's weight, and who it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighting {
    pub method: Method,
    /// (neighbourhood, age bracket) → the weight of each of its respondents.
    pub weights: BTreeMap<(String, String), f64>,
    /// Respondents in a weighted cell.
    pub included: u64,
    /// Respondents left out: group not known, or not in the census.
    pub excluded: u64,
}

/// Everything the "who answered" section shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Representation {
    pub breakdowns: Vec<Breakdown>,
    /// The lower of the dimensions' scores.
    pub score: Option<f64>,
    pub warnings: Vec<Warning>,
    /// `None` when the census of both dimensions is not in the config, or
    /// nobody with a known group answered.
    pub weighting: Option<Weighting>,
}

/// The figures for respondents counted per group in `cells`, against
/// `population`; `neighbourhoods` and `ages` name the groups, in order.
pub fn represent(
    cells: &BTreeMap<Group, CellCounts>,
    population: &Population,
    neighbourhoods: &[String],
    ages: &[String],
) -> Representation {
    let breakdowns: Vec<Breakdown> = Dimension::ALL
        .into_iter()
        .map(|d| {
            let names = match d {
                Dimension::Neighbourhood => neighbourhoods,
                Dimension::Age => ages,
            };
            breakdown(d, cells, d.population(population), names)
        })
        .collect();
    let score = breakdowns.iter().filter_map(|b| b.score).reduce(f64::min);
    let warnings = breakdowns.iter().flat_map(warnings_of).collect();
    let weighting = weighting(cells, population);
    Representation { breakdowns, score, warnings, weighting }
}

fn breakdown(
    dimension: Dimension,
    cells: &BTreeMap<Group, CellCounts>,
    population: &BTreeMap<String, u64>,
    names: &[String],
) -> Breakdown {
    let mut by_name: BTreeMap<&str, u64> = BTreeMap::new();
    let mut unknown = 0;
    for (group, cell) in cells {
        match dimension.of(group).filter(|n| names.iter().any(|m| m == n)) {
            Some(name) => *by_name.entry(name).or_default() += cell.respondents,
            None => unknown += cell.respondents,
        }
    }
    let known: u64 = by_name.values().sum();
    let people: u64 = names.iter().filter_map(|n| population.get(n)).sum();
    let groups: Vec<GroupRow> = names
        .iter()
        .map(|name| {
            let respondents = by_name.get(name.as_str()).copied().unwrap_or(0);
            let pop = population.get(name).copied();
            GroupRow {
                name: name.clone(),
                respondents,
                respondent_share: ratio(respondents, known).unwrap_or(0.0),
                population: pop,
                population_share: pop.and_then(|p| ratio(p, people)),
                rate: pop.and_then(|p| ratio(respondents, p)),
            }
        })
        .collect();
    let rates: Vec<f64> = groups.iter().filter_map(|g| g.rate).collect();
    let highest = rates.iter().copied().reduce(f64::max);
    let lowest = rates.iter().copied().reduce(f64::min);
    let score = match (lowest, highest) {
        (Some(low), Some(high)) if high > 0.0 => Some(low / high),
        _ => None,
    };
    Breakdown { dimension, groups, unknown, score }
}

fn warnings_of(b: &Breakdown) -> Vec<Warning> {
    // Nobody with a known group: no share to compare.
    if b.groups.iter().all(|g| g.respondents == 0) {
        return Vec::new();
    }
    b.groups
        .iter()
        .filter_map(|g| {
            let population_share = g.population_share.filter(|s| *s > 0.0)?;
            (g.respondent_share < UNDER_REPRESENTED * population_share).then(|| Warning {
                dimension: b.dimension,
                name: g.name.clone(),
                population_share,
                respondent_share: g.respondent_share,
            })
        })
        .collect()
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The weights, by the cross table when the config gives it, else by
/// raking over the two margins; `None` without the census of both.
fn weighting(cells: &BTreeMap<Group, CellCounts>, population: &Population) -> Option<Weighting> {
    // Respondents of each cell the census covers.
    let covered = |n: &str, a: &str| {
        if population.cross.is_empty() {
            population.neighbourhoods.get(n).is_some_and(|p| *p > 0)
                && population.age_brackets.get(a).is_some_and(|p| *p > 0)
        } else {
            population.cross.get(&(n.to_string(), a.to_string())).is_some_and(|p| *p > 0)
        }
    };
    let mut respondents: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut excluded = 0;
    for (group, cell) in cells {
        match (&group.neighbourhood, &group.age_bracket) {
            (Some(n), Some(a)) if covered(n, a) && cell.respondents > 0 => {
                *respondents.entry((n.clone(), a.clone())).or_default() += cell.respondents;
            }
            _ => excluded += cell.respondents,
        }
    }
    let included: u64 = respondents.values().sum();
    if included == 0 {
        return None;
    }
    let (method, weights) = if population.cross.is_empty() {
        if population.neighbourhoods.is_empty() || population.age_brackets.is_empty() {
            return None;
        }
        let (weights, rounds, converged) = rake(&respondents, &population.neighbourhoods, &population.age_brackets);
        (Method::Raking { rounds, converged }, weights)
    } else {
        (Method::PostStratification, post_stratify(&respondents, &population.cross))
    };
    Some(Weighting { method, weights, included, excluded })
}

/// Each cell's weight: its share of the population (among the cells with
/// respondents) ÷ its share of the respondents.
fn post_stratify(
    respondents: &BTreeMap<(String, String), u64>,
    cross: &BTreeMap<(String, String), u64>,
) -> BTreeMap<(String, String), f64> {
    let total: u64 = respondents.values().sum();
    let people: u64 = respondents.keys().filter_map(|k| cross.get(k)).sum();
    respondents
        .iter()
        .map(|(cell, &r)| {
            let p = cross.get(cell).copied().unwrap_or(0);
            let weight = (p as f64 / people as f64) / (r as f64 / total as f64);
            (cell.clone(), weight)
        })
        .collect()
}

/// Iterative proportional fitting: the respondents of each cell are scaled
/// so that each neighbourhood's, then each age bracket's, weighted total is
/// its share of the population times the respondents; again until both
/// margins hold within [`RAKING_TOLERANCE`] or [`RAKING_MAX_ROUNDS`]. The
/// targets are the shares among the groups that have respondents (a group
/// nobody of which answered cannot be scaled up). Returns the weights, the
/// rounds run and whether it converged.
fn rake(
    respondents: &BTreeMap<(String, String), u64>,
    by_place: &BTreeMap<String, u64>,
    by_age: &BTreeMap<String, u64>,
) -> (BTreeMap<(String, String), f64>, u32, bool) {
    let total: f64 = respondents.values().sum::<u64>() as f64;
    let targets = |margin: &BTreeMap<String, u64>, side: fn(&(String, String)) -> &String| {
        let present: BTreeMap<&String, u64> =
            respondents.keys().map(side).map(|name| (name, margin.get(name).copied().unwrap_or(0))).collect();
        let people: u64 = present.values().sum();
        present
            .into_iter()
            .map(|(name, p)| (name.clone(), total * p as f64 / people as f64))
            .collect::<BTreeMap<_, _>>()
    };
    let place_targets = targets(by_place, |k| &k.0);
    let age_targets = targets(by_age, |k| &k.1);
    let mut fitted: BTreeMap<(String, String), f64> = respondents.iter().map(|(k, &r)| (k.clone(), r as f64)).collect();
    let scale = |fitted: &mut BTreeMap<(String, String), f64>,
                 targets: &BTreeMap<String, f64>,
                 side: fn(&(String, String)) -> &String| {
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        for (k, v) in fitted.iter() {
            *sums.entry(side(k).clone()).or_default() += v;
        }
        for (k, v) in fitted.iter_mut() {
            let sum = sums.get(side(k)).copied().unwrap_or(0.0);
            if sum > 0.0 {
                *v *= targets.get(side(k)).copied().unwrap_or(0.0) / sum;
            }
        }
    };
    let off = |fitted: &BTreeMap<(String, String), f64>,
               targets: &BTreeMap<String, f64>,
               side: fn(&(String, String)) -> &String| {
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        for (k, v) in fitted {
            *sums.entry(side(k).clone()).or_default() += v;
        }
        targets.iter().map(|(name, t)| (sums.get(name).copied().unwrap_or(0.0) - t).abs()).fold(0.0, f64::max)
    };
    let mut rounds = 0;
    let mut converged = false;
    while rounds < RAKING_MAX_ROUNDS {
        rounds += 1;
        scale(&mut fitted, &place_targets, |k| &k.0);
        scale(&mut fitted, &age_targets, |k| &k.1);
        if off(&fitted, &place_targets, |k| &k.0) < RAKING_TOLERANCE
            && off(&fitted, &age_targets, |k| &k.1) < RAKING_TOLERANCE
        {
            converged = true;
            break;
        }
    }
    let weights =
        fitted.into_iter().map(|(k, v)| (k.clone(), v / respondents.get(&k).copied().unwrap_or(1) as f64)).collect();
    (weights, rounds, converged)
}

impl Weighting {
    /// Question `q`'s option `option` as a re-weighted percentage of those
    /// in a weighted cell who answered `q` (rounded to a tenth), or `None`
    /// when none of them answered it.
    pub fn percent(&self, cells: &BTreeMap<Group, CellCounts>, q: u32, option: u32) -> Option<f64> {
        let mut chose = 0.0;
        let mut answered = 0.0;
        for (group, cell) in cells {
            let (Some(n), Some(a)) = (&group.neighbourhood, &group.age_bracket) else { continue };
            let Some(w) = self.weights.get(&(n.clone(), a.clone())) else { continue };
            chose += w * cell.get(q, option) as f64;
            answered += w * cell.get(q, ANSWERED) as f64;
        }
        (answered > 0.0).then(|| (chose * 1000.0 / answered).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(n: &str, a: &str) -> Group {
        let known = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        Group { neighbourhood: known(n), age_bracket: known(a) }
    }

    /// `respondents` in the cell, of whom `yes` chose option 0 of question
    /// 1 and the rest option 1.
    fn cell(respondents: u64, yes: u64) -> CellCounts {
        let mut counts = BTreeMap::new();
        counts.insert((1, ANSWERED), respondents);
        counts.insert((1, 0), yes);
        counts.insert((1, 1), respondents - yes);
        CellCounts { respondents, counts }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn census(places: &[(&str, u64)], ages: &[(&str, u64)]) -> Population {
        Population {
            neighbourhoods: places.iter().map(|(n, p)| (n.to_string(), *p)).collect(),
            age_brackets: ages.iter().map(|(n, p)| (n.to_string(), *p)).collect(),
            cross: BTreeMap::new(),
        }
    }

    #[test]
    fn small_counts_are_never_shown_exactly() {
        assert_eq!(shown(0), Shown::Exactly(0));
        for n in 1..=4 {
            assert_eq!(shown(n), Shown::FewerThanFive, "{n}");
        }
        assert_eq!(shown(5), Shown::Exactly(5));
        assert_eq!(shown(120), Shown::Exactly(120));
    }

    /// Centre 600 people, Nord 400: 30 answers from the Centre and 10 from
    /// the North (and 5 not known). Shares among respondents 30/40 = 0.75
    /// and 0.25 against 0.6 and 0.4; rates 30/600 = 0.05 and 10/400 =
    /// 0.025; score 0.025/0.05 = 0.5. Nord: 0.25 is not below 0.5 × 0.4 =
    /// 0.2, so no warning.
    #[test]
    fn shares_rates_and_score_by_hand() {
        let mut cells = BTreeMap::new();
        cells.insert(group("Centre", "18-29"), cell(30, 0));
        cells.insert(group("Nord", "18-29"), cell(10, 0));
        cells.insert(group("", "18-29"), cell(5, 0));
        let r = represent(&cells, &census(&[("Centre", 600), ("Nord", 400)], &[]), &names(&["Centre", "Nord"]), &[]);
        let b = &r.breakdowns[0];
        assert_eq!(b.unknown, 5);
        let (centre, nord) = (&b.groups[0], &b.groups[1]);
        assert_eq!((centre.respondents, nord.respondents), (30, 10));
        assert!((centre.respondent_share - 0.75).abs() < 1e-12);
        assert!((centre.population_share.unwrap() - 0.6).abs() < 1e-12);
        assert!((centre.rate.unwrap() - 0.05).abs() < 1e-12);
        assert!((nord.rate.unwrap() - 0.025).abs() < 1e-12);
        assert!((b.score.unwrap() - 0.5).abs() < 1e-12);
        assert!((r.score.unwrap() - 0.5).abs() < 1e-12);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        // No age census: no weighting by raking.
        assert!(r.weighting.is_none());
    }

    /// 18-29 are 21 % of the residents (210 of 1000) and give 2 answers of
    /// 40 (5 %): below half of 21 %, a warning; 30-44 give 38 of 40 (95 %)
    /// for 79 %: none.
    #[test]
    fn a_group_under_half_its_share_is_warned_of() {
        let mut cells = BTreeMap::new();
        cells.insert(group("", "18-29"), cell(2, 0));
        cells.insert(group("", "30-44"), cell(38, 0));
        let pop = census(&[], &[("18-29", 210), ("30-44", 790)]);
        let r = represent(&cells, &pop, &[], &names(&["18-29", "30-44"]));
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        let w = &r.warnings[0];
        assert_eq!((w.dimension, w.name.as_str()), (Dimension::Age, "18-29"));
        assert!((w.population_share - 0.21).abs() < 1e-12);
        assert!((w.respondent_share - 0.05).abs() < 1e-12);
        // Just above half is not under: 0.11 of answers for 0.21.
        let mut cells = BTreeMap::new();
        cells.insert(group("", "18-29"), cell(22, 0));
        cells.insert(group("", "30-44"), cell(178, 0));
        assert!(represent(&cells, &pop, &[], &names(&["18-29", "30-44"])).warnings.is_empty());
    }

    /// Cross table: A/young 100 people, A/old 100, B/young 200, B/old 600
    /// (shares 0.1 0.1 0.2 0.6). Respondents 10, 10, 10, 10 (0.25 each):
    /// weights 0.4 0.4 0.8 2.4. Yes: 10, 0, 5, 0 → weighted yes 4 + 4 =
    /// 8 of 40 = 20 %, where the raw figure is 15 of 40 = 37.5 %. A
    /// respondent with no age is left out.
    #[test]
    fn post_stratification_by_hand() {
        let mut cells = BTreeMap::new();
        cells.insert(group("A", "18-29"), cell(10, 10));
        cells.insert(group("A", "60-74"), cell(10, 0));
        cells.insert(group("B", "18-29"), cell(10, 5));
        cells.insert(group("B", "60-74"), cell(10, 0));
        cells.insert(group("B", ""), cell(3, 3));
        let mut pop = census(&[("A", 200), ("B", 800)], &[("18-29", 300), ("60-74", 700)]);
        for (n, a, p) in [("A", "18-29", 100), ("A", "60-74", 100), ("B", "18-29", 200), ("B", "60-74", 600)] {
            pop.cross.insert((n.into(), a.into()), p);
        }
        let r = represent(&cells, &pop, &names(&["A", "B"]), &names(&["18-29", "60-74"]));
        let w = r.weighting.unwrap();
        assert_eq!(w.method, Method::PostStratification);
        assert_eq!((w.included, w.excluded), (40, 3));
        let weight = |n: &str, a: &str| w.weights[&(n.to_string(), a.to_string())];
        assert!((weight("A", "18-29") - 0.4).abs() < 1e-12);
        assert!((weight("B", "60-74") - 2.4).abs() < 1e-12);
        assert_eq!(w.percent(&cells, 1, 0), Some(20.0));
        assert_eq!(w.percent(&cells, 1, 1), Some(80.0));
    }

    /// Raking on the same margins as the cross table above (A 0.2, B 0.8;
    /// young 0.3, old 0.7), with 40 respondents: targets A 8, B 32, young
    /// 12, old 28. Respondents A/young 10, A/old 10, B/young 10, B/old 10.
    /// Round 1, neighbourhoods: A cells × 8/20 → 4, 4; B × 32/20 → 16, 16.
    /// Ages: young 4 + 16 = 20 → × 12/20: 2.4, 9.6; old 20 → × 28/20: 5.6,
    /// 22.4. Neighbourhood A now 8.0, B 32.0: both margins hold, so one
    /// round. Weights: 0.24, 0.56, 0.96, 2.24. Yes (10, 0, 5, 0) →
    /// 2.4 + 4.8 = 7.2 of 40 = 18 %.
    #[test]
    fn raking_by_hand() {
        let mut cells = BTreeMap::new();
        cells.insert(group("A", "18-29"), cell(10, 10));
        cells.insert(group("A", "60-74"), cell(10, 0));
        cells.insert(group("B", "18-29"), cell(10, 5));
        cells.insert(group("B", "60-74"), cell(10, 0));
        let pop = census(&[("A", 200), ("B", 800)], &[("18-29", 300), ("60-74", 700)]);
        let r = represent(&cells, &pop, &names(&["A", "B"]), &names(&["18-29", "60-74"]));
        let w = r.weighting.unwrap();
        assert_eq!(w.method, Method::Raking { rounds: 1, converged: true });
        let weight = |n: &str, a: &str| w.weights[&(n.to_string(), a.to_string())];
        for (n, a, expected) in [("A", "18-29", 0.24), ("A", "60-74", 0.56), ("B", "18-29", 0.96), ("B", "60-74", 2.24)]
        {
            assert!((weight(n, a) - expected).abs() < 1e-9, "{n} {a}: {}", weight(n, a));
        }
        assert_eq!(w.percent(&cells, 1, 0), Some(18.0));
    }

    /// Margins that interact take several rounds, and still meet both.
    #[test]
    fn raking_meets_both_margins_when_cells_are_uneven() {
        let mut cells = BTreeMap::new();
        cells.insert(group("A", "18-29"), cell(30, 0));
        cells.insert(group("A", "60-74"), cell(5, 0));
        cells.insert(group("B", "18-29"), cell(8, 0));
        cells.insert(group("B", "60-74"), cell(20, 0));
        let pop = census(&[("A", 500), ("B", 500)], &[("18-29", 250), ("60-74", 750)]);
        let w = represent(&cells, &pop, &[], &[]).weighting.unwrap();
        let Method::Raking { rounds, converged } = w.method else { panic!("{:?}", w.method) };
        assert!(converged && rounds > 1, "{rounds}");
        let total = |f: &dyn Fn(&(String, String)) -> bool| -> f64 {
            let r = |k: &(String, String)| cells[&group(&k.0, &k.1)].respondents as f64;
            w.weights.iter().filter(|(k, _)| f(k)).map(|(k, v)| v * r(k)).sum()
        };
        assert!((total(&|k| k.0 == "A") - 31.5).abs() < 1e-4);
        assert!((total(&|k| k.1 == "18-29") - 15.75).abs() < 1e-4);
    }

    /// Margins that no weights can meet (each neighbourhood answered in one
    /// age bracket only, against a census that mixes them): raking stops at
    /// the cap and says it did not converge.
    #[test]
    fn raking_stops_at_the_cap_when_the_margins_cannot_be_met() {
        let mut cells = BTreeMap::new();
        cells.insert(group("A", "18-29"), cell(10, 10));
        cells.insert(group("B", "60-74"), cell(10, 0));
        let pop = census(&[("A", 500), ("B", 500)], &[("18-29", 200), ("60-74", 800)]);
        let w = represent(&cells, &pop, &[], &[]).weighting.unwrap();
        assert_eq!(w.method, Method::Raking { rounds: RAKING_MAX_ROUNDS, converged: false });
        // Still a figure, the last round's: the ages' margin (4 and 16).
        assert_eq!(w.percent(&cells, 1, 0), Some(20.0));
    }

    /// A group with no respondent cannot be weighted up: its share is
    /// spread over the groups that answered, whose weights then hold.
    #[test]
    fn a_group_nobody_of_which_answered_is_left_out_of_the_targets() {
        let mut cells = BTreeMap::new();
        cells.insert(group("A", "18-29"), cell(10, 10));
        cells.insert(group("B", "18-29"), cell(30, 0));
        let pop = census(&[("A", 250), ("B", 250), ("C", 500)], &[("18-29", 1000)]);
        let w = represent(&cells, &pop, &[], &[]).weighting.unwrap();
        assert!(matches!(w.method, Method::Raking { converged: true, .. }));
        // A and B have the same population: half each of 40.
        assert_eq!(w.percent(&cells, 1, 0), Some(50.0));
    }
}
