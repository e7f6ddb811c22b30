//! The participation counts kept with the roll.

use super::super::tests::{person, process, settings, setup, web_vote, VOTING};
use super::*;
use crate::domain::audit::Actor;
use crate::store::Store;

/// A person whose account gives `hood` and `age` (either may be left out).
async fn resident(store: &Store, email: &str, hood: Option<&str>, age: Option<&str>) -> AccountId {
    let id = person(store, email).await;
    let (hood, age) = (hood.map(str::to_string), age.map(str::to_string));
    store
        .write(move |tx| {
            accounts::update(tx, id, |a| {
                a.neighbourhood = hood.clone();
                a.age_bracket = age.clone();
            })
        })
        .await
        .unwrap();
    id
}

fn group(hood: Option<&str>, age: Option<&str>) -> Group {
    Group { neighbourhood: hood.map(str::to_string), age_bracket: age.map(str::to_string) }
}

fn kept(store: &Store, id: ProcessId) -> BTreeMap<Group, u64> {
    let tx = store.read().unwrap();
    participation(&tx, id).unwrap().into_iter().map(|(g, c)| (g, c.respondents)).collect()
}

/// Votes of five people: two of the Centre aged 30–44 on the web (one of
/// them changes their vote), one of Les Vignes who gave no age, one who
/// gave nothing, one typed on paper.
async fn five_votes(store: &Store) -> ProcessId {
    let id = process(store, settings(Style::Basket, Rule::Greedy, true)).await;
    let a = resident(store, "a@x.test", Some("Centre"), Some("30-44")).await;
    let b = resident(store, "b@x.test", Some("Centre"), Some("30-44")).await;
    let c = resident(store, "c@x.test", Some("Les Vignes"), None).await;
    let d = resident(store, "d@x.test", None, None).await;
    let e = resident(store, "e@x.test", Some("Les Vignes"), Some("60-74")).await;
    web_vote(store, id, a, vec![1]).await.unwrap();
    web_vote(store, id, b, vec![2]).await.unwrap();
    assert!(web_vote(store, id, a, vec![3]).await.unwrap().changed);
    web_vote(store, id, c, vec![1, 4]).await.unwrap();
    web_vote(store, id, d, vec![2]).await.unwrap();
    store.write(move |tx| vote_on_paper(tx, &Actor::command_line(), id, e, &[3], VOTING)).await.unwrap();
    id
}

#[tokio::test]
async fn the_counts_follow_web_and_paper_votes_and_a_change_counts_once() {
    let (_dir, store) = setup();
    let id = five_votes(&store).await;
    let expected: BTreeMap<Group, u64> = [
        (group(None, None), 1),
        (group(Some("Centre"), Some("30-44")), 2),
        (group(Some("Les Vignes"), None), 1),
        (group(Some("Les Vignes"), Some("60-74")), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(kept(&store, id), expected);
    let tx = store.read().unwrap();
    assert_eq!(recount(&tx, id).unwrap(), expected, "the counts are the roll counted again");
    assert_eq!(count_roll(&tx, id).unwrap(), 5);
    drop(tx);
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_group_is_the_one_of_the_day_of_the_vote() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let a = resident(&store, "a@x.test", Some("Centre"), Some("18-29")).await;
    web_vote(&store, id, a, vec![1]).await.unwrap();
    store.write(move |tx| accounts::update(tx, a, |acc| acc.neighbourhood = Some("Les Vignes".into()))).await.unwrap();
    assert_eq!(kept(&store, id), [(group(Some("Centre"), Some("18-29")), 1)].into_iter().collect());
}

#[tokio::test]
async fn the_migration_back_fills_the_counts_of_the_votes_before_it_and_verify_checks_them() {
    let (_dir, store) = setup();
    let id = five_votes(&store).await;
    let before = kept(&store, id);
    // A database of step 36: votes on the roll, no counts.
    store
        .write(|tx| {
            tx.delete_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
            tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    assert!(kept(&store, id).is_empty());
    let report = store.verify().unwrap();
    assert!(report.problems.iter().any(|p| p.contains("participation counts do not add up")), "{:?}", report.problems);
    store.write(|tx| (crate::store::schema::MIGRATIONS[36])(tx)).await.unwrap();
    assert_eq!(kept(&store, id), before);
    // Running it again changes nothing.
    store.write(|tx| (crate::store::schema::MIGRATIONS[36])(tx)).await.unwrap();
    assert_eq!(kept(&store, id), before);
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
