use super::consent::{self, Via};
use super::*;
use crate::domain::accounts::{NewAccount, Role};
use crate::i18n::Lang;
use crate::store::Store;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    (dir, store)
}

fn person(tx: &WriteTx, email: &str, neighbourhood: Option<&str>) -> AccountId {
    let new = NewAccount {
        email: email.into(),
        display_name: email.split('@').next().unwrap_or("x").into(),
        role: Role::Resident,
        password_hash: String::new(),
        must_change_password: false,
        language: Lang::Fr,
        neighbourhood: neighbourhood.map(String::from),
    };
    accounts::create(tx, &new).unwrap()
}

fn draft(audience: Audience) -> Draft {
    Draft { subject: "La lettre de mars".into(), body: "Le **marché** revient.".into(), audience }
}

fn hoods() -> Vec<String> {
    vec!["Centre".into(), "Les Prés".into()]
}

#[test]
fn consent_is_logged_with_its_dates_and_the_index_follows_it() {
    let (_dir, store) = open();
    let (log, subscribed) = store
        .writer()
        .write_blocking(|tx| {
            let a = person(tx, "a@x.fr", None);
            assert!(consent::give(tx, a, Via::SignUp, 100)?);
            assert!(!consent::give(tx, a, Via::Account, 150)?, "yes twice keeps the first date");
            assert!(consent::withdraw(tx, a, Via::Link, 200)?);
            assert!(!consent::withdraw(tx, a, Via::Account, 250)?);
            assert!(consent::choose(tx, a, true, 300)?);
            Ok::<_, StoreError>((consent::log(tx, a)?, consent::is_subscribed(tx, a)?))
        })
        .unwrap();
    assert!(subscribed);
    assert_eq!(
        log.periods,
        vec![
            consent::Period {
                given_at: 100,
                given_via: Via::SignUp,
                withdrawn_at: Some(200),
                withdrawn_via: Some(Via::Link)
            },
            consent::Period { given_at: 300, given_via: Via::Account, withdrawn_at: None, withdrawn_via: None },
        ]
    );
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
}

#[test]
fn a_send_reaches_only_consenting_people_of_the_audience_and_fixes_the_newsletter() {
    let (_dir, store) = open();
    let actor = Actor::person(AccountId(1), "test");
    let (all, centre, sent) = store
        .writer()
        .write_blocking(move |tx| {
            let admin = person(tx, "admin@x.fr", None);
            let yes_centre = person(tx, "centre@x.fr", Some("Centre"));
            let yes_pres = person(tx, "pres@x.fr", Some("Les Prés"));
            let withdrew = person(tx, "gone@x.fr", Some("Centre"));
            let _never = person(tx, "never@x.fr", Some("Centre"));
            let blocked = person(tx, "blocked@x.fr", Some("Centre"));
            for a in [yes_centre, yes_pres, withdrew, blocked] {
                consent::give(tx, a, Via::Account, 10)?;
            }
            consent::withdraw(tx, withdrew, Via::Link, 20)?;
            accounts::update(tx, blocked, |a| a.blocked = true).map_err(|e| StoreError::Internal(e.to_string()))?;
            let actor = Actor::person(admin, "test");
            let emails = |v: Vec<accounts::Account>| v.into_iter().map(|a| a.email).collect::<Vec<_>>();
            let all = emails(recipients(tx, &Audience::All).unwrap());
            let centre = emails(recipients(tx, &Audience::Neighbourhood("Centre".into())).unwrap());
            let id = create(tx, &actor, &draft(Audience::Neighbourhood("Centre".into())), &hoods(), 30).unwrap();
            let sent = send(tx, &actor, id, "https://p.example.fr/", 120, 40).unwrap();
            assert!(matches!(send(tx, &actor, id, "https://p.example.fr", 120, 41), Err(NewsletterError::AlreadySent)));
            assert!(matches!(update(tx, id, &draft(Audience::All), &hoods(), 42), Err(NewsletterError::AlreadySent)));
            Ok::<_, StoreError>((all, centre, (id, sent)))
        })
        .unwrap();
    let _ = actor;
    assert_eq!(all, ["centre@x.fr", "pres@x.fr"]);
    assert_eq!(centre, ["centre@x.fr"]);
    let (id, sending) = sent;
    assert_eq!(sending.recipients, 1);
    let tx = store.read().unwrap();
    let mail = outbox::get(&tx, store.keys(), sending.first_mail).unwrap().unwrap();
    assert_eq!(mail.to, "centre@x.fr");
    let Template::Newsletter { link, unsubscribe, .. } = &mail.template else { panic!("{:?}", mail.template) };
    assert_eq!(link, &format!("https://p.example.fr/lettres/{id}"));
    assert!(unsubscribe.starts_with("https://p.example.fr/lettres/desinscription?compte="), "{unsubscribe}");
    assert_eq!(archive(&tx, 0, 10).unwrap().len(), 1);
    let letter = get(&tx, id).unwrap().unwrap();
    assert_eq!(progress(&tx, &letter).unwrap().pending, 1);
    drop(tx);
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
}

#[test]
fn a_link_stops_only_its_own_person_and_a_forged_one_nothing() {
    let (_dir, store) = open();
    store
        .writer()
        .write_blocking(|tx| {
            let a = person(tx, "a@x.fr", None);
            let b = person(tx, "b@x.fr", None);
            consent::give(tx, a, Via::Account, 1)?;
            consent::give(tx, b, Via::Account, 1)?;
            let sig_a = consent::unsubscribe_signature(tx, a);
            assert!(matches!(consent::unsubscribe(tx, b, &sig_a, 5), Err(NewsletterError::LinkInvalid)));
            assert!(matches!(consent::unsubscribe(tx, a, "00", 5), Err(NewsletterError::LinkInvalid)));
            assert!(consent::is_subscribed(tx, a)? && consent::is_subscribed(tx, b)?);
            consent::unsubscribe(tx, a, &sig_a, 6).unwrap();
            assert!(!consent::is_subscribed(tx, a)?);
            assert!(consent::is_subscribed(tx, b)?);
            assert_eq!(consent::log(tx, a)?.periods[0].withdrawn_at, Some(6));
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

#[test]
fn a_draft_needs_a_subject_a_text_and_a_known_neighbourhood() {
    for (d, expected) in [
        (Draft { subject: " ".into(), ..draft(Audience::All) }, "BadSubject"),
        (Draft { subject: "a\nBcc: x@y.fr".into(), ..draft(Audience::All) }, "BadSubject"),
        (Draft { body: String::new(), ..draft(Audience::All) }, "BadBody"),
        (draft(Audience::Neighbourhood("Ailleurs".into())), "UnknownNeighbourhood"),
    ] {
        assert_eq!(format!("{:?}", checked(&d, &hoods()).unwrap_err()), expected);
    }
}

#[test]
fn an_erased_account_leaves_the_subscribers_and_its_log_goes_with_it() {
    let (_dir, store) = open();
    let keys = store.keys().clone();
    store
        .writer()
        .write_blocking(move |tx| {
            let a = person(tx, "a@x.fr", None);
            let _admin = accounts::create(
                tx,
                &NewAccount {
                    email: "admin@x.fr".into(),
                    display_name: "Admin".into(),
                    role: Role::Admin,
                    password_hash: String::new(),
                    must_change_password: false,
                    language: Lang::Fr,
                    neighbourhood: None,
                },
            )
            .unwrap();
            consent::give(tx, a, Via::Account, 1)?;
            accounts::erase::erase(tx, &keys, a, 2).unwrap();
            assert!(!consent::is_subscribed(tx, a)?);
            assert_eq!(consent::subscriber_count(tx)?, 0);
            assert!(consent::log(tx, a)?.periods.is_empty());
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
}
