//! The polling table finds a voter by their names and birth date.

use super::super::tests::{person, process, settings, setup, web_vote, DAY, VOTING};
use super::*;
use crate::domain::accounts::Role;
use crate::domain::verification::{self, Document, ListRow, MatchOutcome, Person};
use crate::store::Store;

fn date(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

/// A staff member, and the commune's list (after the process is made: the
/// audit log runs forward): Jean-Éric Dupré (usage name
/// Martin) and Zoé Lefèvre.
async fn town_hall(store: &Store) -> Actor {
    let staff = person(store, "agent@mairie.test").await;
    store.write(move |tx| accounts::update(tx, staff, |a| a.role = Role::Staff)).await.unwrap();
    let actor = Actor::person(staff, "192.0.2.1");
    let rows = vec![
        ListRow {
            last_name: "Dupré".into(),
            usage_name: Some("Martin".into()),
            first_names: "Jean-Éric".into(),
            birth_date: date("1950-03-04"),
        },
        ListRow {
            last_name: "Lefèvre".into(),
            usage_name: None,
            first_names: "Zoé".into(),
            birth_date: date("1948-12-01"),
        },
    ];
    let by = actor.clone();
    store.write(move |tx| verification::import_list(tx, &by, &rows, 100 * DAY, 21 * DAY)).await.unwrap();
    actor
}

/// An account that matches the list with these names, in `hood`.
async fn verified(store: &Store, email: &str, last: &str, first: &str, born: &str, hood: Option<&str>) -> AccountId {
    let id = person(store, email).await;
    let hood = hood.map(str::to_string);
    store.write(move |tx| accounts::update(tx, id, |a| a.neighbourhood = hood.clone())).await.unwrap();
    let who = Person { last_name: last.into(), first_names: first.into(), birth_date: date(born) };
    let outcome = store
        .write(move |tx| verification::match_list(tx, &Actor::person(id, "192.0.2.9"), id, &who, VOTING))
        .await
        .unwrap();
    assert_eq!(outcome, MatchOutcome::Verified);
    id
}

fn look(store: &Store, id: ProcessId, last: &str, first: &str, born: &str) -> AtTable {
    at_table(&store.read().unwrap(), id, last, first, date(born)).unwrap()
}

async fn paper(
    store: &Store,
    actor: &Actor,
    id: ProcessId,
    last: &str,
    first: &str,
    born: &str,
    choices: Vec<u64>,
) -> Result<Voted, BudgetError> {
    let (actor, last, first, born) = (actor.clone(), last.to_string(), first.to_string(), date(born));
    store.write(move |tx| vote_on_paper_by_person(tx, &actor, id, &last, &first, born, &choices, VOTING)).await
}

#[tokio::test]
async fn staff_find_a_person_by_names_and_birth_date_whatever_the_accents_and_case() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let _staff = town_hall(&store).await;
    verified(&store, "je@x.test", "DUPRE", "jean eric", "1950-03-04", Some("Centre")).await;
    let found = AtTable::Account { neighbourhood: Some("Centre".into()), voted: None };
    assert_eq!(look(&store, id, "dupré", "JEAN-ÉRIC", "1950-03-04"), found);
    assert_eq!(look(&store, id, "  Dupre ", "Jean  Eric", "1950-03-04"), found);
    assert_eq!(look(&store, id, "MARTIN", "Jean-Eric", "1950-03-04"), found, "by the usage name too");
    assert_eq!(look(&store, id, "lefevre", "zoe", "1948-12-01"), AtTable::Listed { voted: None });
    assert_eq!(look(&store, id, "Lefèvre", "Zoé", "1948-12-02"), AtTable::Nobody, "another birth date");
    assert_eq!(look(&store, id, "Durand", "Paul", "1960-01-01"), AtTable::Nobody);
    assert_eq!(look(&store, id, "-", "Paul", "1960-01-01"), AtTable::Nobody, "a name of nothing");
}

#[tokio::test]
async fn nobody_found_is_refused_and_leaves_no_trace() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let staff = town_hall(&store).await;
    let refused = paper(&store, &staff, id, "Durand", "Paul", "1960-01-01", vec![1]).await;
    assert!(matches!(refused, Err(BudgetError::UnknownPerson)), "{refused:?}");
    assert_eq!(count_roll(&store.read().unwrap(), id).unwrap(), 0);
}

#[tokio::test]
async fn a_listed_person_who_voted_on_paper_cannot_vote_online_once_verified() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, true)).await;
    let staff = town_hall(&store).await;
    paper(&store, &staff, id, "LEFEVRE", "zoe", "1948-12-01", vec![1]).await.unwrap();
    let AtTable::Listed { voted: Some(entry) } = look(&store, id, "Lefèvre", "Zoé", "1948-12-01") else {
        panic!("the listed person is on the roll")
    };
    assert_eq!(entry.channel, Channel::Paper);
    let again = paper(&store, &staff, id, "Lefèvre", "Zoé", "1948-12-01", vec![2]).await;
    assert!(matches!(again, Err(BudgetError::AlreadyVoted)), "{again:?}");
    // She makes an account and has it verified against the list: her web
    // vote is refused, even in a process where a vote can be changed.
    let zoe = verified(&store, "zoe@x.test", "Lefevre", "Zoe", "1948-12-01", None).await;
    let online = web_vote(&store, id, zoe, vec![2]).await;
    assert!(matches!(online, Err(BudgetError::AlreadyVoted)), "{online:?}");
    // Her account found by its email at the table is refused too.
    let by_email = store.write(move |tx| vote_on_paper(tx, &Actor::command_line(), id, zoe, &[3], VOTING)).await;
    assert!(matches!(by_email, Err(BudgetError::AlreadyVoted)), "{by_email:?}");
    let tx = store.read().unwrap();
    assert_eq!((count_roll(&tx, id).unwrap(), tally(&tx, id).unwrap().len()), (1, 1));
    assert_eq!(tally(&tx, id).unwrap(), [vec![1]], "her paper ballot stays as it was");
    let counted: u64 = participation(&tx, id).unwrap().values().map(|c| c.respondents).sum();
    assert_eq!(counted, 1, "counted once, in no known group");
    drop(tx);
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_listed_person_who_voted_on_paper_and_is_verified_at_the_counter_is_refused_online() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
    let staff = town_hall(&store).await;
    paper(&store, &staff, id, "Dupré", "Jean-Éric", "1950-03-04", vec![1]).await.unwrap();
    let je = person(&store, "je@x.test").await;
    let who = Person { last_name: "DUPRE".into(), first_names: "Jean Eric".into(), birth_date: date("1950-03-04") };
    let by = staff.clone();
    store
        .write(move |tx| verification::verify_at_counter(tx, &by, je, Document::IdentityCard, &who, VOTING))
        .await
        .unwrap();
    let online = web_vote(&store, id, je, vec![2]).await;
    assert!(matches!(online, Err(BudgetError::AlreadyVoted)), "{online:?}");
}

#[tokio::test]
async fn a_person_who_voted_online_is_refused_at_the_table() {
    let (_dir, store) = setup();
    let id = process(&store, settings(Style::Basket, Rule::Greedy, true)).await;
    let staff = town_hall(&store).await;
    let je = verified(&store, "je@x.test", "Dupré", "Jean-Éric", "1950-03-04", Some("Centre")).await;
    web_vote(&store, id, je, vec![1]).await.unwrap();
    let AtTable::Account { voted: Some(entry), .. } = look(&store, id, "MARTIN", "jean eric", "1950-03-04") else {
        panic!("found with their vote")
    };
    assert_eq!(entry.channel, Channel::Web);
    let refused = paper(&store, &staff, id, "Dupre", "Jean-Eric", "1950-03-04", vec![2]).await;
    assert!(matches!(refused, Err(BudgetError::AlreadyVoted)), "{refused:?}");
    let tx = store.read().unwrap();
    assert_eq!(
        (count_roll(&tx, id).unwrap(), tally(&tx, id).unwrap(), has_voted(&tx, id, je).unwrap()),
        (1, vec![vec![1]], Some(entry))
    );
}
