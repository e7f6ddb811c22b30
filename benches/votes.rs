//! Participatory budget votes (issue 14): durable votes per second through
//! the domain with group commit, and the results of 200,000 ballots.
//!
//! Run with `cargo bench --bench votes` (or `benches/votes.sh`, which adds
//! the votes sent over HTTP). It measures:
//! 1. votes per second, each the real operation (`budgets::vote`: phase,
//!    audience, choices checked against the pots, the roll's key, a random
//!    ballot id, the link sealed with the database's key, roll and box in one
//!    transaction) sent through the writer by 256 concurrent voters, each
//!    counted once the writer answered, that is after its commit's fsync.
//!    The process is secret and changeable, the heaviest case (a sealed link
//!    per vote). Target: at least 20,000 a second on 2 cores;
//! 2. the results of 200,000 ballots: reading them (`tally`), then the
//!    outcome by each rule (`outcome`). Target: under 1 s each.
//!
//! The commune: a pot of 500,000 € for the whole commune with 30 projects,
//! and one of 100,000 € for each of 5 neighbourhoods with 5 projects each.
//! Each voter fills a basket in the commune's pot and one in their
//! neighbourhood's, choosing the most popular projects more often (weights
//! 1/rank), as real ballots do.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::domain::accounts::{self, AccountId, NewAccount, Role};
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience, Pot, ProcessId, ProjectDetails, Rule, Settings, Study, Style};
use parvis::i18n::Lang;
use parvis::store::Store;

const TASKS: u64 = 256;

/// A size from the environment (for a quick run: `VOTES_BALLOTS=2000
/// VOTES_PEOPLE=4000 VOTES_SECS=1`), or its default.
fn size(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
const HOODS: [&str; 5] = ["Centre-bourg", "Les Vignes", "La Gare", "Le Moulin", "Les Hauts"];
const COMMUNE_PROJECTS: u64 = 30;
const HOOD_PROJECTS: u64 = 5;
const DAY: i64 = 86_400;

fn main() {
    // Enough people for the results and for 8 s at 40,000 votes a second.
    let (run, ballots, people_count) =
        (Duration::from_secs(size("VOTES_SECS", 8)), size("VOTES_BALLOTS", 200_000), size("VOTES_PEOPLE", 520_000));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 256).expect("store");
    let now = parvis::domain::now_unix();
    let set_up = Instant::now();
    let id = process(&store, now);
    let first = people(&store, people_count);
    println!("set up: {people_count} accounts and a process of 55 projects in {:.1} s", set_up.elapsed().as_secs_f64());

    // 1. Durable votes per second.
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let commits_before = store.writer().stats().commits.load(Ordering::Relaxed);
    let started = Instant::now();
    rt.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..TASKS {
            let (store, next, done, refused) = (store.clone(), next.clone(), done.clone(), refused.clone());
            tasks.push(tokio::spawn(async move {
                while started.elapsed() < run {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= people_count {
                        break;
                    }
                    let (account, choices) = (AccountId(first + n), ballot(n));
                    match store.write(move |tx| budgets::vote(tx, id, account, &choices, now)).await {
                        Ok(_) => done.fetch_add(1, Ordering::Relaxed),
                        Err(_) => refused.fetch_add(1, Ordering::Relaxed),
                    };
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let votes = done.load(Ordering::Relaxed);
    let commits = store.writer().stats().commits.load(Ordering::Relaxed) - commits_before;
    println!(
        "votes: {votes} durable in {elapsed:.1} s = {:.0}/s with {TASKS} concurrent voters (secret, changeable: a sealed link each); \
         {commits} commits, {:.1} votes per commit; {} refused",
        votes as f64 / elapsed,
        votes as f64 / commits.max(1) as f64,
        refused.load(Ordering::Relaxed)
    );
    assert_eq!(refused.load(Ordering::Relaxed), 0, "every generated ballot is valid");

    // The rest of the 200,000 ballots, 5,000 a transaction (not measured).
    let mut n = votes;
    while n < ballots {
        let from = n;
        let to = (n + 5_000).min(ballots);
        store
            .writer()
            .write_blocking(move |tx| {
                for k in from..to {
                    budgets::vote(tx, id, AccountId(first + k), &ballot(k), now)?;
                }
                Ok::<_, budgets::BudgetError>(())
            })
            .expect("votes");
        n = to;
    }

    // 2. The results of 200,000 ballots (or more, when the first part cast more).
    let tx = store.read().expect("read");
    let t = Instant::now();
    let all = budgets::tally(&tx, id).expect("tally");
    let read = t.elapsed().as_secs_f64();
    assert_eq!(all.len() as u64, n.max(votes));
    assert_eq!(
        budgets::count_roll(&tx, id).expect("roll"),
        all.len() as u64,
        "the roll and the box hold the same count"
    );
    println!("results: {} ballots read (tally) in {:.0} ms", all.len(), read * 1000.0);
    let mut p = budgets::get(&tx, id).expect("process").expect("the process");
    let projects = budgets::projects(&tx, id).expect("projects");
    for rule in Rule::ALL {
        p.rule = rule;
        let t = Instant::now();
        let out = budgets::outcome(&p, &projects, &all);
        let took = t.elapsed().as_secs_f64();
        let winners: usize = out.pots.iter().map(|pot| pot.winners.len()).sum();
        let within = out.pots.iter().zip(&p.pots).all(|(o, pot)| o.spent <= pot.amount_cents);
        assert!(within, "{}: a pot overspent", rule.code());
        println!(
            "results: outcome by {:<14} in {:6.0} ms (tally + outcome {:6.0} ms); {winners} winners in {} pots",
            rule.code(),
            took * 1000.0,
            (read + took) * 1000.0,
            out.pots.len()
        );
    }
    drop(tx);
    assert!(store.verify().expect("verify").is_ok());
    println!("verified: roll, box and projects consistent");
}

/// A process whose vote is open now, set up as staff do a few days before.
fn process(store: &Store, now: i64) -> ProcessId {
    let hoods: Vec<String> = HOODS.iter().map(|h| h.to_string()).collect();
    let mut pots = vec![Pot { neighbourhood: None, amount_cents: 50_000_000 }];
    pots.extend(hoods.iter().map(|h| Pot { neighbourhood: Some(h.clone()), amount_cents: 10_000_000 }));
    let settings = Settings {
        title: "Budget participatif".into(),
        description: "Bench".into(),
        starts: [now - 4 * DAY, now - 3 * DAY, now - DAY, now + DAY, now + 2 * DAY],
        pots,
        audience: Audience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: true,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    };
    let then = now - 3 * DAY - 3_600;
    store
        .writer()
        .write_blocking(move |tx| {
            let actor = Actor::command_line();
            let id = budgets::create(tx, &hoods, &actor, &settings, then)?;
            for pot in 0..=HOODS.len() {
                let count = if pot == 0 { COMMUNE_PROJECTS } else { HOOD_PROJECTS };
                for j in 0..count {
                    let cost = project_cost(pot, j);
                    let d = ProjectDetails {
                        title: format!("Projet {pot}-{j}"),
                        description: "Un projet pour la commune, décrit en quelques lignes comme sur le site."
                            .repeat(8),
                        proposed_cost_cents: cost,
                        pot,
                        neighbourhood: Some(hoods[if pot == 0 { j as usize % HOODS.len() } else { pot - 1 }].clone()),
                        category: "Cadre de vie".into(),
                        coords: None,
                    };
                    let n = budgets::add_project(tx, &hoods, &actor, id, &d, then)?;
                    budgets::set_study(tx, &actor, id, n, Study::Feasible { cost_cents: cost }, then)?;
                }
            }
            budgets::publish(tx, &actor, id, then)?;
            Ok::<_, budgets::BudgetError>(id)
        })
        .expect("process")
}

/// Costs in cents: commune projects from 20,000 to 150,000 €, a
/// neighbourhood's from 15,000 to 55,000 €.
fn project_cost(pot: usize, j: u64) -> u64 {
    if pot == 0 {
        2_000_000 + (j * 4_500_000) % 13_000_000
    } else {
        1_500_000 + j * 1_000_000
    }
}

/// The number of the `j`-th project of a pot (numbers follow creation).
fn number(pot: usize, j: u64) -> u64 {
    if pot == 0 {
        1 + j
    } else {
        1 + COMMUNE_PROJECTS + (pot as u64 - 1) * HOOD_PROJECTS + j
    }
}

/// Creates the voters, 10,000 a transaction; answers the first one's id.
fn people(store: &Store, count: u64) -> u64 {
    let mut first = None;
    let mut made = 0;
    while made < count {
        let from = made;
        let to = (made + 10_000).min(count);
        let ids = store
            .writer()
            .write_blocking(move |tx| {
                let mut ids = Vec::new();
                for i in from..to {
                    let new = NewAccount {
                        email: format!("votant{i}@saint-exemple.test"),
                        display_name: format!("Votant {i}"),
                        role: Role::Resident,
                        password_hash: "x".into(),
                        must_change_password: false,
                        language: Lang::Fr,
                        neighbourhood: Some(HOODS[(i % 5) as usize].into()),
                    };
                    ids.push(accounts::create(tx, &new)?);
                }
                Ok::<_, accounts::AccountError>(ids)
            })
            .expect("accounts");
        first = first.or(ids.first().map(|a| a.get()));
        made = to;
    }
    first.expect("at least one voter")
}

/// splitmix64: a voter's ballot is a function of their number, so a run is
/// repeatable.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Voter `n`'s basket: up to 5 tries in the commune's pot and 2 in their
/// neighbourhood's, each project drawn with weight 1/rank, kept when it
/// still fits.
fn ballot(n: u64) -> Vec<u64> {
    let mut seed = mix(n);
    let mut chosen = Vec::new();
    let hood = 1 + (n % 5) as usize;
    for (pot, count, tries, budget) in
        [(0usize, COMMUNE_PROJECTS, 5, 50_000_000u64), (hood, HOOD_PROJECTS, 2, 10_000_000u64)]
    {
        let mut left = budget;
        let total: f64 = (1..=count).map(|r| 1.0 / r as f64).sum();
        for _ in 0..tries {
            seed = mix(seed);
            let mut x = (seed >> 11) as f64 / (1u64 << 53) as f64 * total;
            let mut j = 0;
            while j + 1 < count && x >= 1.0 / (j + 1) as f64 {
                x -= 1.0 / (j + 1) as f64;
                j += 1;
            }
            let (num, cost) = (number(pot, j), project_cost(pot, j));
            if cost <= left && !chosen.contains(&num) {
                left -= cost;
                chosen.push(num);
            }
        }
    }
    chosen
}
