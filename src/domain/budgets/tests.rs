// Amounts are written euros_cents (60_000_00 is 60 000 €), as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use super::results::{equal_shares, greedy, greedy_per_neighbourhood, Counted};
use super::*;
use crate::domain::audit::Actor;
use crate::store::Store;

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("b.redb"), 8).unwrap();
    (dir, store)
}

fn c(number: u64, votes: u64, cost: u64, hood: Option<&str>) -> Counted {
    Counted { number, cost, neighbourhood: hood.map(str::to_string), votes }
}

const DAY: i64 = 86_400;
/// The vote opens on day 30 and closes on day 40.
const VOTING: i64 = 35 * DAY;

pub(crate) fn settings(style: Style, rule: Rule, changeable: bool) -> Settings {
    Settings {
        title: "Budget participatif 2027".into(),
        description: "Vos projets pour la commune.".into(),
        starts: [10 * DAY, 20 * DAY, 30 * DAY, 40 * DAY, 50 * DAY],
        pots: vec![
            Pot { neighbourhood: None, amount_cents: 100_000_00 },
            Pot { neighbourhood: Some("Centre".into()), amount_cents: 20_000_00 },
            Pot { neighbourhood: Some("Les Vignes".into()), amount_cents: 20_000_00 },
        ],
        audience: Audience::SignedIn,
        min_age: None,
        style,
        changeable,
        rule,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    }
}

fn hoods() -> Vec<String> {
    vec!["Centre".into(), "Les Vignes".into()]
}

/// A published process with three studied projects in the commune's pot
/// (60 000 €, 50 000 €, 40 000 €) and one in the Centre's (15 000 €).
async fn process(store: &Store, s: Settings) -> ProcessId {
    store
        .write(move |tx| {
            let actor = Actor::command_line();
            let id = create(tx, &hoods(), &actor, &s, DAY)?;
            for (title, cost, pot) in
                [("Parc", 60_000_00, 0), ("Pistes", 50_000_00, 0), ("Bancs", 40_000_00, 0), ("Fontaine", 15_000_00, 1)]
            {
                let d = ProjectDetails {
                    title: title.into(),
                    description: String::new(),
                    proposed_cost_cents: cost,
                    pot,
                    neighbourhood: None,
                    category: "Cadre de vie".into(),
                    coords: None,
                };
                let n = add_project(tx, &hoods(), &actor, id, &d, 21 * DAY)?;
                set_study(tx, &actor, id, n, Study::Feasible { cost_cents: cost }, 21 * DAY)?;
            }
            publish(tx, &actor, id, 21 * DAY)?;
            Ok::<_, BudgetError>(id)
        })
        .await
        .unwrap()
}

async fn person(store: &Store, email: &str) -> AccountId {
    let new = crate::domain::accounts::tests::new(email);
    store.write(move |tx| crate::domain::accounts::create(tx, &new)).await.unwrap()
}

async fn web_vote(store: &Store, id: ProcessId, who: AccountId, choices: Vec<u64>) -> Result<Voted, BudgetError> {
    store.write(move |tx| vote(tx, id, who, &choices, VOTING)).await
}

#[test]
fn the_phase_follows_the_dates_and_an_early_close() {
    let mut p = Process {
        id: ProcessId(1),
        title: String::new(),
        description: String::new(),
        starts: [10, 20, 30, 40, 50],
        closed_early_at: None,
        pots: Vec::new(),
        audience: Audience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: false,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
        published_at: None,
        next_project: 1,
        created_by: AccountId(1),
        created_at: 0,
        updated_at: 0,
    };
    assert_eq!(p.phase(35), Phase::Draft);
    p.published_at = Some(1);
    let phases: Vec<Phase> = [5, 10, 25, 30, 39, 40, 60].iter().map(|t| p.phase(*t)).collect();
    use Phase::*;
    assert_eq!(phases, [Forthcoming, Submission, Study, Vote, Vote, Results, FollowUp]);
    assert!(!p.results_visible(35), "nobody sees counts during the vote");
    p.closed_early_at = Some(33);
    assert_eq!(p.phase(34), Results);
    assert!(p.results_visible(34));
}

#[test]
fn greedy_takes_by_votes_and_skips_what_no_longer_fits() {
    // Budget 100: A (10 votes, 60) fits, B (8, 50) no longer does, C (5, 40) does.
    let projects = [c(1, 10, 60, None), c(2, 8, 50, None), c(3, 5, 40, None)];
    assert_eq!(greedy(&projects, 100, 0), [1, 3]);
    // A minimum of 6 votes keeps C out, even though it fits.
    assert_eq!(greedy(&projects, 100, 6), [1]);
}

#[test]
fn ties_go_to_the_cheaper_project_then_to_the_lower_number() {
    // Equal votes: the cheaper (3) first; then 1 before 2 (same votes and cost).
    let projects = [c(1, 7, 50, None), c(2, 7, 50, None), c(3, 7, 40, None)];
    assert_eq!(greedy(&projects, 90, 0), [3, 1]);
    assert_eq!(greedy(&projects, 140, 0), [3, 1, 2]);
    let order: Vec<u64> = results::ranked(&projects).iter().map(|p| p.number).collect();
    assert_eq!(order, [3, 1, 2]);
}

#[test]
fn greedy_per_neighbourhood_first_gives_each_neighbourhood_its_best_project_that_fits() {
    // Greedy alone spends everything in the Centre (A 60 + B 40).
    let projects = [c(1, 10, 60, Some("Centre")), c(2, 9, 40, Some("Centre")), c(3, 3, 30, Some("Vignes"))];
    assert_eq!(greedy(&projects, 100, 0), [1, 2]);
    // One per neighbourhood first: A, then C (30 of the 40 left); B no longer fits.
    assert_eq!(greedy_per_neighbourhood(&projects, 100, 0), [1, 3]);
    // A neighbourhood whose best project does not fit gets its next one.
    let projects = [c(1, 10, 60, Some("Centre")), c(2, 5, 50, Some("Vignes")), c(3, 4, 20, Some("Vignes"))];
    assert_eq!(greedy_per_neighbourhood(&projects, 100, 0), [1, 3]);
}

/// The example of Peters & Skowron and equalshares.net: 51 voters want ten
/// red projects, 49 ten blue ones, each costs 100, the budget is 1000.
/// Greedy gives all ten to the 51 %; equal shares gives each side its
/// proportional half: each voter holds 10, a red costs each red voter
/// 100/51 ≈ 1.96, a blue 100/49 ≈ 2.04. Five reds, then four blues are
/// bought with the shares (the blues' 490 buy four); raising each share by
/// 3 % gives the blues 504.7, enough for a fifth, and the outcome still
/// costs 1000; raising it until the reds could buy a sixth (11.77 each)
/// would overspend, so five and five it stays.
#[test]
fn equal_shares_gives_the_worked_example_its_proportional_outcome() {
    let red: Vec<u64> = (1..=10).collect();
    let blue: Vec<u64> = (11..=20).collect();
    let projects: Vec<Counted> = (1..=20).map(|n| c(n, if n <= 10 { 51 } else { 49 }, 100, None)).collect();
    let mut ballots = vec![red.clone(); 51];
    ballots.extend(vec![blue.clone(); 49]);
    assert_eq!(greedy(&projects, 1000, 0), red, "greedy gives everything to the majority");
    let mut won = equal_shares(&projects, &ballots, 1000, 0);
    won.sort_unstable();
    assert_eq!(won, [1, 2, 3, 4, 5, 11, 12, 13, 14, 15]);
}

#[test]
fn equal_shares_buys_the_lowest_cost_per_voter_first_and_completes_by_votes() {
    // 4 voters, budget 120 (30 each). Project 1 (cost 60) is wanted by all
    // four: 15 each. Project 2 (cost 60) by voters 1 and 2 only: 30 each,
    // which they no longer have after 1. Project 3 (cost 20) by voter 4:
    // 20, bought second (20 < 30). The 40 left cannot buy 2 (60), so the
    // greedy completion has nothing to add.
    let projects = [c(1, 4, 60, None), c(2, 2, 60, None), c(3, 1, 20, None)];
    let ballots = vec![vec![1, 2], vec![1, 2], vec![1], vec![1, 3]];
    assert_eq!(equal_shares(&projects, &ballots, 120, 0), [1, 3]);
    // Greedy takes 1 and 2 instead: the two voters who want 2 get it all.
    assert_eq!(greedy(&projects, 120, 0), [1, 2]);
}

#[test]
fn equal_shares_breaks_equal_costs_per_voter_by_the_published_rule() {
    // Two voters each want a different project of the same cost: the same
    // ρ; the one with more votes first would be a tie too, so the lower
    // number is bought first, then the other (both fit).
    let projects = [c(2, 1, 50, None), c(1, 1, 50, None)];
    let ballots = vec![vec![2], vec![1]];
    assert_eq!(equal_shares(&projects, &ballots, 100, 0), [1, 2]);
    // With money for one only (each voter holds 40 + raises): the lower
    // number wins the tie.
    assert_eq!(equal_shares(&projects, &ballots, 60, 0), [1]);
}

#[tokio::test]
async fn a_person_votes_once_the_roll_and_the_box_always_hold_the_same_count() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let a = person(&store, "a@x.test").await;
    assert_eq!(web_vote(&store, id, a, vec![1, 3]).await.unwrap(), Voted { changed: false });
    assert!(matches!(web_vote(&store, id, a, vec![2]).await, Err(BudgetError::AlreadyVoted)));
    let tx = store.read().unwrap();
    assert_eq!(count_roll(&tx, id).unwrap(), 1);
    assert_eq!(tally(&tx, id).unwrap(), [vec![1, 3]]);
    let entry = has_voted(&tx, id, a).unwrap().unwrap();
    assert_eq!(entry.link, ballot::Link::None, "a final secret vote keeps no link to its ballot");
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_changeable_vote_replaces_the_ballot_through_its_sealed_link() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, true)).await;
    let a = person(&store, "a@x.test").await;
    let b = person(&store, "b@x.test").await;
    web_vote(&store, id, a, vec![1]).await.unwrap();
    web_vote(&store, id, b, vec![2]).await.unwrap();
    assert_eq!(web_vote(&store, id, a, vec![3, 4]).await.unwrap(), Voted { changed: true });
    let tx = store.read().unwrap();
    let mut all = tally(&tx, id).unwrap();
    all.sort();
    assert_eq!(all, [vec![2], vec![3, 4]], "a's first ballot is gone, b's is untouched");
    assert!(matches!(has_voted(&tx, id, a).unwrap().unwrap().link, ballot::Link::Sealed(_)));
    assert_eq!(count_roll(&tx, id).unwrap(), 2);
}

#[tokio::test]
async fn a_basket_over_its_pot_or_across_two_neighbourhoods_is_refused() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let a = person(&store, "a@x.test").await;
    // 60 000 + 50 000 > 100 000 €.
    assert!(matches!(web_vote(&store, id, a, vec![1, 2]).await, Err(BudgetError::OverBudget)));
    assert!(matches!(web_vote(&store, id, a, vec![99]).await, Err(BudgetError::NotOnBallot)));
    assert!(matches!(web_vote(&store, id, a, vec![]).await, Err(BudgetError::Empty)));
    let tx = store.read().unwrap();
    assert_eq!(count_roll(&tx, id).unwrap(), 0, "a refused ballot leaves no trace on the roll");
}

#[tokio::test]
async fn approval_takes_up_to_n_per_pot() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Approval { max: 2 }, Rule::Greedy, false)).await;
    let a = person(&store, "a@x.test").await;
    assert!(matches!(web_vote(&store, id, a, vec![1, 2, 3]).await, Err(BudgetError::TooManyChoices)));
    // Two in the commune's pot and one in the Centre's: within each limit.
    web_vote(&store, id, a, vec![1, 2, 4]).await.unwrap();
}

#[tokio::test]
async fn paper_and_web_exclude_each_other() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, true)).await;
    let a = person(&store, "a@x.test").await;
    let b = person(&store, "b@x.test").await;
    let paper = |who: AccountId, choices: Vec<u64>| {
        store.write(move |tx| vote_on_paper(tx, &Actor::command_line(), id, who, &choices, VOTING))
    };
    paper(a, vec![1]).await.unwrap();
    assert!(matches!(web_vote(&store, id, a, vec![2]).await, Err(BudgetError::AlreadyVoted)), "even when changeable");
    web_vote(&store, id, b, vec![2]).await.unwrap();
    assert!(matches!(paper(b, vec![3]).await, Err(BudgetError::AlreadyVoted)));
    assert!(matches!(paper(a, vec![3]).await, Err(BudgetError::AlreadyVoted)));
    let tx = store.read().unwrap();
    assert_eq!(count_roll(&tx, id).unwrap(), 2);
    assert_eq!(tally(&tx, id).unwrap().len(), 2);
}

#[tokio::test]
async fn the_audience_the_minimum_age_and_the_dates_are_enforced() {
    let (_dir, store) = setup();
    let mut s = settings(Style::Basket, Rule::Greedy, false);
    s.audience = Audience::Verified;
    let id = process(&store, s).await;
    let a = person(&store, "a@x.test").await;
    assert!(matches!(web_vote(&store, id, a, vec![1]).await, Err(BudgetError::NotAllowed)));
    let mut s = settings(Style::Basket, Rule::Greedy, false);
    s.min_age = Some(16);
    let aged = process(&store, s).await;
    assert!(matches!(web_vote(&store, aged, a, vec![1]).await, Err(BudgetError::AgeNotVerified)));
    let open = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let late = store.write(move |tx| vote(tx, open, a, &[1], 45 * DAY)).await;
    assert!(matches!(late, Err(BudgetError::Closed)));
}

#[tokio::test]
async fn the_outcome_counts_each_pot_by_its_rule() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    for (i, choices) in [vec![1, 3, 4], vec![1, 3], vec![2, 3], vec![2]].into_iter().enumerate() {
        let who = person(&store, &format!("p{i}@x.test")).await;
        web_vote(&store, id, who, choices).await.unwrap();
    }
    let tx = store.read().unwrap();
    let p = get(&tx, id).unwrap().unwrap();
    let out = outcome(&p, &projects(&tx, id).unwrap(), &tally(&tx, id).unwrap());
    assert_eq!(out.ballots, 4);
    // Commune: Bancs 3 votes (40 000), then Parc and Pistes 2 each: Pistes
    // is cheaper so it ranks first and fits (90 000); Parc no longer fits.
    assert_eq!(out.pots[0].winners, [3, 2]);
    assert_eq!(out.pots[0].spent, 90_000_00);
    assert_eq!(out.pots[1].winners, [4]);
    assert_eq!(out.pots[1].voters, 1);
    assert!(out.pots[2].winners.is_empty());
}

#[tokio::test]
async fn many_votes_of_one_person_sent_at_once_count_once() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let a = person(&store, "a@x.test").await;
    // Sent together, the writer runs them in one group commit: the roll's
    // key lets exactly one through.
    let all = futures_util::future::join_all((0..40).map(|i| web_vote(&store, id, a, vec![1 + i % 3]))).await;
    assert_eq!(all.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(all.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(BudgetError::AlreadyVoted))));
    let tx = store.read().unwrap();
    assert_eq!((count_roll(&tx, id).unwrap(), tally(&tx, id).unwrap().len()), (1, 1));
}

/// Reads every table of the database after secret votes, and finds no
/// ballot that names a person: no account id in the box's keys or values,
/// no time finer than the day, and keys whose order is not the order of
/// the votes.
#[tokio::test]
async fn no_table_links_a_ballot_to_a_person() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, true)).await;
    let mut people = Vec::new();
    for i in 0..30 {
        let who = person(&store, &format!("p{i}@x.test")).await;
        web_vote(&store, id, who, vec![1 + (i % 4)]).await.unwrap();
        people.push(who);
    }
    let tx = store.read().unwrap();
    let ballots = ballots(&tx, id).unwrap();
    assert_eq!(ballots.len(), 30);
    // Every table: only the box holds ballots, and nothing else holds a ballot id.
    // Each id as raw bytes both ways and as the codec writes a number
    // (postcard's varint), so that an id kept in clear in any record shows.
    let needles: Vec<Vec<Vec<u8>>> = ballots
        .iter()
        .map(|(b, _)| {
            vec![b.0.to_le_bytes().to_vec(), b.0.to_be_bytes().to_vec(), postcard::to_allocvec(&b.0).unwrap()]
        })
        .collect();
    for table in crate::store::schema::tables() {
        let dir = tempfile::tempdir().unwrap();
        let copy = redb::Database::create(dir.path().join("t.redb")).unwrap();
        let w = copy.begin_write().unwrap();
        (table.copy)(&tx, &w).unwrap();
        w.commit().unwrap();
        drop(copy);
        let bytes = std::fs::read(dir.path().join("t.redb")).unwrap();
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if table.name != "budget_ballot_by_process_id" {
            for forms in &needles {
                assert!(!forms.iter().any(|n| has(n)), "{} holds a ballot id in clear", table.name);
            }
        }
    }
    // The box: a ballot's whole content is its day and its choices.
    for (_, b) in &ballots {
        assert_eq!(b.day.len(), 10, "a day, YYYY-MM-DD, nothing finer: {}", b.day);
        let encoded = crate::store::encode(b).unwrap();
        for who in &people {
            assert!(!encoded.windows(8).any(|w| w == who.get().to_le_bytes()), "a ballot holds an account id");
        }
    }
    // The keys' order is not the order of the votes: the first ten votes
    // (for projects 1..4 in turn) are not the first ten keys.
    let order: Vec<u64> = ballots.iter().map(|(_, b)| b.choices[0]).collect();
    let cast: Vec<u64> = (0..30).map(|i| 1 + (i % 4)).collect();
    assert_ne!(order, cast, "keys in the order of the votes");
}

/// `scripts/recount.py` run on the downloaded CSV finds the winners the
/// domain finds, for each rule (skipped where python3 is missing; CI has it).
#[tokio::test]
async fn the_recount_script_finds_the_same_winners_from_the_csv() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is missing: the recount is not checked here");
        return;
    }
    let (_dir, store) = setup();
    for rule in Rule::ALL {
        let id = process(&store, settings(Style::Basket, rule, false)).await;
        for (i, choices) in
            [vec![1, 3, 4], vec![1, 3], vec![2, 3], vec![2], vec![2, 4], vec![1]].into_iter().enumerate()
        {
            let who = person(&store, &format!("r{}-{i}@x.test", rule.code())).await;
            web_vote(&store, id, who, choices).await.unwrap();
        }
        let tx = store.read().unwrap();
        let p = get(&tx, id).unwrap().unwrap();
        let all = projects(&tx, id).unwrap();
        let out = outcome(&p, &all, &tally(&tx, id).unwrap());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.csv"), ballots_csv(&ballots(&tx, id).unwrap()).unwrap()).unwrap();
        std::fs::write(dir.path().join("p.csv"), projects_csv(&p, &all).unwrap()).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/recount.py");
        let run = std::process::Command::new("python3")
            .args([script, "b.csv", "p.csv", rule.code(), "0"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let expected: String = out
            .pots
            .iter()
            .filter(|pot| !pot.lines.is_empty())
            .map(|pot| {
                let won: Vec<String> = pot.winners.iter().map(u64::to_string).collect();
                format!("pot {}: {}\n", pot.pot, won.join(" "))
            })
            .collect();
        assert_eq!(String::from_utf8_lossy(&run.stdout), expected, "rule {}", rule.code());
    }
}
