use super::*;
use crate::domain::proposals::{self, IdeaBox};
use crate::store::Store;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    (dir, store)
}

fn actor() -> Actor {
    Actor::person(AccountId(1), "192.0.2.1")
}

fn a_box(store: &Store, title: &str) -> BoxId {
    let title = title.to_string();
    store
        .writer()
        .write_blocking(move |tx| {
            proposals::create_box(
                tx,
                IdeaBox { title: title.clone(), opens_at: 0, closes_at: 10, ..IdeaBox::default() },
            )
        })
        .unwrap()
}

fn set_name(store: &Store, target: Target, name: &str) -> Result<String, ShortLinkError> {
    let name = name.to_string();
    store.writer().write_blocking(move |tx| set(tx, &actor(), target, &name, 100))
}

fn verified(store: &Store) -> Vec<String> {
    tables::verify(&store.read().unwrap()).unwrap()
}

#[test]
fn names_are_lower_case_letters_digits_and_inner_dashes_and_not_reserved() {
    assert_eq!(normalise("  Velo-2026 "), "velo-2026");
    for good in ["velo", "budget-2026", "a", "x1"] {
        assert!(check_name(good).is_ok(), "{good}");
    }
    for bad in ["vélo", "-velo", "velo-", "ve--lo", "ve lo", "ve/lo", "ve_lo", &"a".repeat(41)] {
        assert!(matches!(check_name(bad), Err(ShortLinkError::BadName)), "{bad}");
    }
    assert!(matches!(check_name(""), Err(ShortLinkError::Empty)));
    assert!(matches!(check_name("admin"), Err(ShortLinkError::Reserved)));
    assert!(matches!(check_name("connexion"), Err(ShortLinkError::Reserved)));
}

#[test]
fn a_short_link_is_set_resolved_renamed_and_removed_with_its_index_in_step() {
    let (_dir, store) = open();
    let velo = a_box(&store, "Le vélo en ville");
    let other = a_box(&store, "Les jardins");
    assert_eq!(set_name(&store, Target::IdeaBox(velo), "Velo").unwrap(), "velo");
    {
        let tx = store.read().unwrap();
        assert_eq!(resolve(&*tx, "velo").unwrap(), Some(Target::IdeaBox(velo)));
        assert_eq!(resolve(&*tx, "VELO").unwrap(), Some(Target::IdeaBox(velo)), "read aloud from a poster");
        assert_eq!(name_of(&*tx, Target::IdeaBox(velo)).unwrap().as_deref(), Some("velo"));
    }
    assert!(matches!(set_name(&store, Target::IdeaBox(other), "velo"), Err(ShortLinkError::Taken)));
    assert!(matches!(set_name(&store, Target::IdeaBox(BoxId(99)), "nulle-part"), Err(ShortLinkError::NoTarget)));
    // Setting the same name again changes nothing but the date.
    assert_eq!(set_name(&store, Target::IdeaBox(velo), "velo").unwrap(), "velo");
    // A rename frees the old name, which another process may then take.
    set_name(&store, Target::IdeaBox(velo), "bicyclette").unwrap();
    set_name(&store, Target::IdeaBox(other), "velo").unwrap();
    {
        let tx = store.read().unwrap();
        assert_eq!(resolve(&*tx, "bicyclette").unwrap(), Some(Target::IdeaBox(velo)));
        assert_eq!(resolve(&*tx, "velo").unwrap(), Some(Target::IdeaBox(other)));
        assert_eq!(all(&*tx).unwrap().len(), 2);
    }
    assert_eq!(verified(&store), Vec::<String>::new());
    store.writer().write_blocking(|tx| remove(tx, &actor(), "bicyclette", 200)).unwrap();
    assert!(matches!(
        store.writer().write_blocking(|tx| remove(tx, &actor(), "bicyclette", 200)),
        Err(ShortLinkError::NotFound)
    ));
    let tx = store.read().unwrap();
    assert_eq!(resolve(&*tx, "bicyclette").unwrap(), None);
    assert_eq!(name_of(&*tx, Target::IdeaBox(velo)).unwrap(), None);
    drop(tx);
    assert_eq!(verified(&store), Vec::<String>::new());
    let tx = store.read().unwrap();
    let events = crate::domain::audit::list(&tx, &crate::domain::audit::Filter::default(), None, 50).unwrap();
    let details: Vec<&str> = events.iter().map(|(_, e)| e.detail.as_str()).collect();
    assert!(details.iter().any(|d| d.contains("/p/velo renamed /p/bicyclette")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("/p/bicyclette removed")), "{details:?}");
}

#[test]
fn a_poster_takes_the_first_sentence_of_a_description() {
    assert_eq!(first_sentence("Un banc. Deux bancs."), "Un banc.");
    assert_eq!(first_sentence("Vers 3.5 km ! Oui"), "Vers 3.5 km !");
    assert_eq!(first_sentence("Sans point"), "Sans point");
    assert_eq!(first_sentence(&crate::markdown::plain("Pour **la commune**. Votez")), "Pour la commune.");
    let long = "mot ".repeat(100);
    let cut = first_sentence(&long);
    assert!(cut.chars().count() <= MAX_SENTENCE && cut.ends_with('…'), "{cut}");
}
