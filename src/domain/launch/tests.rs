use super::*;
use crate::domain::ids::AccountId;
use crate::domain::proposals::{self, IdeaBox, NewProposal};
use crate::store::Store;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    (dir, store)
}

fn actor() -> Actor {
    Actor::person(AccountId(1), "192.0.2.1")
}

fn a_box(store: &Store) -> BoxId {
    store
        .writer()
        .write_blocking(move |tx| {
            proposals::create_box(
                tx,
                IdeaBox { title: "Concours".into(), opens_at: 0, closes_at: 1000, ..IdeaBox::default() },
            )
        })
        .unwrap()
}

fn an_idea(store: &Store, box_id: BoxId, held: bool) -> ProposalId {
    store
        .writer()
        .write_blocking(move |tx| {
            let new = NewProposal {
                box_id,
                author: AccountId(2),
                title: "Une idée".into(),
                body: "Un texte.".into(),
                category: None,
                neighbourhood: None,
                location: None,
                held,
                photo: None,
            };
            proposals::post(tx, &new, 10)
        })
        .unwrap()
}

#[test]
fn the_plan_keeps_its_days_and_refuses_an_end_before_the_launch() {
    let (_dir, store) = open();
    let plan = Plan {
        launch_day: Some(100),
        end_day: Some(130),
        done: BTreeMap::from([(Item::Pilot, 90), (Item::Poster, 95)]),
    };
    let p = plan.clone();
    store.writer().write_blocking(move |tx| save_plan(tx, &actor(), &p, 1)).unwrap();
    let c = campaign(&store.read().unwrap()).unwrap();
    assert_eq!((c.launch_day, c.end_day), (Some(100), Some(130)));
    assert_eq!(c.done_on(Item::Pilot), Some(90));
    assert_eq!(c.done_on(Item::Bulletin), None);
    assert!(!c.is_on(99) && c.is_on(100) && c.is_on(130) && !c.is_on(131));

    let bad = Plan { launch_day: Some(100), end_day: Some(99), ..Plan::default() };
    let r = store.writer().write_blocking(move |tx| save_plan(tx, &actor(), &bad, 2));
    assert!(matches!(r, Err(LaunchError::EndBeforeLaunch)), "{r:?}");
    assert_eq!(campaign(&store.read().unwrap()).unwrap().end_day, Some(130), "nothing saved");
}

#[test]
fn targets_name_the_communes_neighbourhoods_only_and_zero_removes_one() {
    let (_dir, store) = open();
    let known = vec!["La Gare".to_string(), "Les Vignes".to_string()];
    let (k, t) = (known.clone(), BTreeMap::from([("La Gare".to_string(), 100), ("Les Vignes".to_string(), 0)]));
    store.writer().write_blocking(move |tx| set_targets(tx, &actor(), &t, &k, 1)).unwrap();
    assert_eq!(campaign(&store.read().unwrap()).unwrap().targets, BTreeMap::from([("La Gare".to_string(), 100)]));

    let (k, t) = (known.clone(), BTreeMap::from([("Ailleurs".to_string(), 10)]));
    let r = store.writer().write_blocking(move |tx| set_targets(tx, &actor(), &t, &k, 2));
    assert!(matches!(r, Err(LaunchError::UnknownNeighbourhood(n)) if n == "Ailleurs"));
    let (k, t) = (known, BTreeMap::from([("La Gare".to_string(), MAX_TARGET + 1)]));
    let r = store.writer().write_blocking(move |tx| set_targets(tx, &actor(), &t, &k, 3));
    assert!(matches!(r, Err(LaunchError::TargetTooLarge)));
    assert!(tables::verify(&store.read().unwrap()).unwrap().is_empty());
}

#[test]
fn the_jury_marks_only_public_ideas_of_the_contests_box() {
    let (_dir, store) = open();
    let (contest_box, other_box) = (a_box(&store), a_box(&store));
    let (good, held, elsewhere) =
        (an_idea(&store, contest_box, false), an_idea(&store, contest_box, true), an_idea(&store, other_box, false));
    let r = store.writer().write_blocking(move |tx| award(tx, &actor(), good, true, 5));
    assert!(matches!(r, Err(LaunchError::NoContest)), "{r:?}");
    let r = store
        .writer()
        .write_blocking(move |tx| set_contest(tx, &actor(), Some(Contest { box_id: BoxId(999), announce_day: 3 }), 5));
    assert!(matches!(r, Err(LaunchError::NoSuchBox)), "{r:?}");
    store
        .writer()
        .write_blocking(move |tx| set_contest(tx, &actor(), Some(Contest { box_id: contest_box, announce_day: 3 }), 5))
        .unwrap();

    store.writer().write_blocking(move |tx| award(tx, &actor(), good, true, 6)).unwrap();
    for refused in [held, elsewhere, ProposalId(999)] {
        let r = store.writer().write_blocking(move |tx| award(tx, &actor(), refused, true, 6));
        assert!(matches!(r, Err(LaunchError::NotInContest)), "{refused:?}: {r:?}");
    }
    assert_eq!(awarded(&store.read().unwrap(), contest_box).unwrap(), vec![good]);
    assert!(tables::verify(&store.read().unwrap()).unwrap().is_empty());
    store.writer().write_blocking(move |tx| award(tx, &actor(), good, false, 7)).unwrap();
    assert!(awarded(&store.read().unwrap(), contest_box).unwrap().is_empty());
}
