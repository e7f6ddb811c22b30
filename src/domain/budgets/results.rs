//! Counting: the projects ranked by votes in each pot, and the winners
//! chosen by the process's rule. Each rule is a pure function of the counted
//! projects (and, for equal shares, of the ballots), tested on hand-checked
//! cases; `scripts/recount.py` implements the same rules from the
//! downloaded ballots.
//!
//! The published tie rule, for every ranking and every rule: more votes
//! first, then the cheaper project, then the lower project number.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Process, Project};

/// How winners are chosen within a pot.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// By votes, skipping a project that no longer fits (Decidim, CONSUL).
    Greedy,
    /// First the best-ranked project of each neighbourhood that fits, then
    /// by votes as [`Rule::Greedy`] (a rule French departments use).
    GreedyPerNeighbourhood,
    /// The Method of Equal Shares (Peters & Skowron; Wieliczka, Aarau).
    EqualShares,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::Greedy, Rule::GreedyPerNeighbourhood, Rule::EqualShares];

    pub fn code(self) -> &'static str {
        match self {
            Rule::Greedy => "greedy",
            Rule::GreedyPerNeighbourhood => "neighbourhoods",
            Rule::EqualShares => "equal-shares",
        }
    }

    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A project as counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    pub number: u64,
    /// Euro cents.
    pub cost: u64,
    pub neighbourhood: Option<String>,
    pub votes: u64,
}

/// The tie rule: more votes, then cheaper, then the lower number.
fn by_rank(a: &Counted, b: &Counted) -> Ordering {
    b.votes.cmp(&a.votes).then(a.cost.cmp(&b.cost)).then(a.number.cmp(&b.number))
}

/// The projects best first.
pub fn ranked(projects: &[Counted]) -> Vec<Counted> {
    let mut all = projects.to_vec();
    all.sort_by(by_rank);
    all
}

/// (a) By votes, taking each project that still fits and has at least
/// `min_votes` votes.
pub fn greedy(projects: &[Counted], budget: u64, min_votes: u64) -> Vec<u64> {
    let mut left = budget;
    let mut won = Vec::new();
    for p in ranked(projects) {
        if p.votes >= min_votes && p.cost <= left {
            left -= p.cost;
            won.push(p.number);
        }
    }
    won
}

/// (b) First, going down the ranking, each neighbourhood's best project
/// that fits (one per neighbourhood); then by votes among the rest.
pub fn greedy_per_neighbourhood(projects: &[Counted], budget: u64, min_votes: u64) -> Vec<u64> {
    let order = ranked(projects);
    let mut left = budget;
    let mut won: Vec<u64> = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for p in &order {
        let Some(hood) = p.neighbourhood.as_deref() else { continue };
        if p.votes >= min_votes && p.cost <= left && !covered.contains(&hood) {
            left -= p.cost;
            won.push(p.number);
            covered.push(hood);
        }
    }
    for p in &order {
        if p.votes >= min_votes && p.cost <= left && !won.contains(&p.number) {
            left -= p.cost;
            won.push(p.number);
        }
    }
    won
}

/// Steps of the budget increase that completes equal shares: up to 100
/// steps of 1 % of each voter's share.
const ADD_STEPS: u32 = 100;

/// (c) The Method of Equal Shares with approval utilities: each voter gets
/// an equal share of the budget; a project is bought when its supporters
/// can pay its cost between them, each paying the same amount ρ or all
/// they have left; the project with the lowest ρ is bought first (ties:
/// the rule above). A ballot counts as approving each project it chose,
/// whatever the project costs (approval utility: the question asked was
/// "which projects do you want", not "how much do you value them").
///
/// Equal shares alone may leave money unspent. It is completed as
/// equalshares.net recommends: each voter's share is raised by 1 % steps
/// while the outcome stays within the real budget, keeping the last
/// outcome that did; then what is left goes by votes, as [`greedy`].
///
/// `ballots` are the choices of the voters of this pot (a voter who chose
/// nothing in it gets no share of it).
pub fn equal_shares(projects: &[Counted], ballots: &[Vec<u64>], budget: u64, min_votes: u64) -> Vec<u64> {
    let eligible: Vec<Counted> = ranked(projects).into_iter().filter(|p| p.votes >= min_votes).collect();
    // Voters with the same choices always hold the same money: counting
    // each distinct ballot once, with its weight, makes 200,000 ballots as
    // cheap as the few thousand distinct ones among them.
    let mut groups: BTreeMap<Vec<u64>, f64> = BTreeMap::new();
    for b in ballots {
        let mut set: Vec<u64> = b.iter().copied().filter(|n| eligible.iter().any(|p| p.number == *n)).collect();
        set.sort_unstable();
        set.dedup();
        if !set.is_empty() {
            *groups.entry(set).or_default() += 1.0;
        }
    }
    let voters: f64 = groups.values().sum();
    if voters == 0.0 {
        return Vec::new();
    }
    let groups: Vec<(Vec<u64>, f64)> = groups.into_iter().collect();
    let supporters: Vec<Vec<usize>> = eligible
        .iter()
        .map(|p| (0..groups.len()).filter(|g| groups[*g].0.binary_search(&p.number).is_ok()).collect())
        .collect();
    let cost_of = |won: &[u64]| -> u64 { eligible.iter().filter(|p| won.contains(&p.number)).map(|p| p.cost).sum() };
    let share = budget as f64 / voters;
    let mut best = mes_run(&eligible, &groups, &supporters, share);
    for step in 1..=ADD_STEPS {
        let won = mes_run(&eligible, &groups, &supporters, share * (1.0 + f64::from(step) / 100.0));
        if cost_of(&won) > budget {
            break;
        }
        best = won;
    }
    let mut left = budget - cost_of(&best).min(budget);
    for p in &eligible {
        if p.cost <= left && !best.contains(&p.number) {
            left -= p.cost;
            best.push(p.number);
        }
    }
    best
}

/// Whether two amounts are equal up to the rounding of floating point
/// (amounts are cents times voters, well within f64's exact integers).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// One run of equal shares with `share` per voter; `eligible` is ranked,
/// so that the first of equal ρ is the tie rule's.
fn mes_run(eligible: &[Counted], groups: &[(Vec<u64>, f64)], supporters: &[Vec<usize>], share: f64) -> Vec<u64> {
    let mut money: Vec<f64> = vec![share; groups.len()];
    let mut won: Vec<u64> = Vec::new();
    let mut open: Vec<bool> = vec![true; eligible.len()];
    loop {
        let mut best: Option<(usize, f64)> = None;
        for (i, p) in eligible.iter().enumerate() {
            if !open[i] {
                continue;
            }
            let Some(rho) = rho(p.cost as f64, &supporters[i], groups, &money) else {
                // Its supporters cannot pay it now, nor later (they only
                // spend): it is out.
                open[i] = false;
                continue;
            };
            match best {
                Some((_, b)) if rho > b || same(rho, b) => {}
                _ => best = Some((i, rho)),
            }
        }
        let Some((i, rho)) = best else { break };
        open[i] = false;
        won.push(eligible[i].number);
        for g in &supporters[i] {
            money[*g] = (money[*g] - rho).max(0.0);
        }
    }
    won
}

/// The amount ρ each supporter pays (or all they have, when less) so that
/// the supporters together pay `cost`; `None` when they cannot.
fn rho(cost: f64, supporters: &[usize], groups: &[(Vec<u64>, f64)], money: &[f64]) -> Option<f64> {
    let available: f64 = supporters.iter().map(|g| money[*g] * groups[*g].1).sum();
    if available < cost && !same(available, cost) {
        return None;
    }
    let mut order: Vec<usize> = supporters.to_vec();
    order.sort_by(|a, b| money[*a].total_cmp(&money[*b]));
    let mut remaining = cost;
    let mut weight: f64 = supporters.iter().map(|g| groups[*g].1).sum();
    let mut richest = 0.0;
    for g in order {
        let (have, w) = (money[g], groups[g].1);
        if have * weight >= remaining || same(have * weight, remaining) {
            return Some(remaining / weight);
        }
        remaining -= have * w;
        weight -= w;
        richest = have;
    }
    // Only the rounding of floating point gets here (they could pay, by
    // the check above): everyone pays all they have.
    Some(richest)
}

/// A project's line in the results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: u64,
    pub votes: u64,
    pub cost: u64,
    pub won: bool,
}

/// The results of one pot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PotOutcome {
    /// The index of the pot in the process.
    pub pot: usize,
    /// How many ballots chose at least one project of this pot.
    pub voters: u64,
    /// Best first.
    pub lines: Vec<Line>,
    /// The winners, in the order the rule chose them.
    pub winners: Vec<u64>,
    pub spent: u64,
}

/// The results of a process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub ballots: u64,
    pub pots: Vec<PotOutcome>,
}

/// Counts the ballots and applies the process's rule in each pot. Only the
/// projects on the ballot (found feasible) are counted.
pub fn outcome(p: &Process, projects: &[Project], ballots: &[Vec<u64>]) -> Outcome {
    let mut votes: BTreeMap<u64, u64> = BTreeMap::new();
    for b in ballots {
        for n in b {
            *votes.entry(*n).or_default() += 1;
        }
    }
    let pots = p
        .pots
        .iter()
        .enumerate()
        .map(|(i, pot)| {
            let counted: Vec<Counted> = projects
                .iter()
                .filter(|pr| pr.pot == i)
                .filter_map(|pr| {
                    pr.ballot_cost().map(|cost| Counted {
                        number: pr.number,
                        cost,
                        neighbourhood: pr.neighbourhood.clone(),
                        votes: votes.get(&pr.number).copied().unwrap_or(0),
                    })
                })
                .collect();
            let here: Vec<Vec<u64>> = ballots
                .iter()
                .map(|b| b.iter().copied().filter(|n| counted.iter().any(|c| c.number == *n)).collect::<Vec<u64>>())
                .filter(|b| !b.is_empty())
                .collect();
            let winners = match p.rule {
                Rule::Greedy => greedy(&counted, pot.amount_cents, p.min_votes),
                Rule::GreedyPerNeighbourhood => greedy_per_neighbourhood(&counted, pot.amount_cents, p.min_votes),
                Rule::EqualShares => equal_shares(&counted, &here, pot.amount_cents, p.min_votes),
            };
            let lines: Vec<Line> = ranked(&counted)
                .into_iter()
                .map(|c| Line { number: c.number, votes: c.votes, cost: c.cost, won: winners.contains(&c.number) })
                .collect();
            let spent = lines.iter().filter(|l| l.won).map(|l| l.cost).sum();
            PotOutcome { pot: i, voters: here.len() as u64, lines, winners, spent }
        })
        .collect();
    Outcome { ballots: ballots.len() as u64, pots }
}
