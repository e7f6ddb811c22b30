use super::*;
use crate::domain::accounts::{NewAccount, Role};
use crate::domain::proposals::{self, IdeaBox, NewProposal};
use crate::mail::OutgoingMail;
use crate::store::{Keyed, Store};

const DAY: i64 = 86_400;

fn open_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("g.redb"), 8).unwrap();
    (dir, store)
}

fn staff() -> Actor {
    Actor::person(AccountId(1), "192.0.2.1")
}

fn person(store: &Store, n: usize) -> AccountId {
    store
        .writer()
        .write_blocking(move |tx| {
            accounts::create(
                tx,
                &NewAccount {
                    email: format!("p{n}@testville.test"),
                    display_name: format!("Habitant {n}"),
                    role: Role::Resident,
                    password_hash: "x".into(),
                    must_change_password: false,
                    language: if n.is_multiple_of(2) { Lang::En } else { Lang::Fr },
                    neighbourhood: None,
                },
            )
        })
        .unwrap()
}

fn group(store: &Store, name: &str) -> GroupId {
    let name = name.to_string();
    store.writer().write_blocking(move |tx| create(tx, &staff(), &name, 100)).unwrap()
}

fn mails(store: &Store) -> Vec<OutgoingMail> {
    let tx = store.read().unwrap();
    crate::mail::outbox::due(&tx, tx.keys(), i64::MAX, 1000).unwrap()
}

fn accept_as(store: &Store, account: AccountId, token: &str, now: i64) -> Result<GroupId, GroupError> {
    let token = token.to_string();
    store.writer().write_blocking(move |tx| accept(tx, &Actor::person(account, "192.0.2.9"), &token, now))
}

fn verified(store: &Store) -> Vec<String> {
    tables::verify(&store.read().unwrap()).unwrap()
}

#[test]
fn groups_have_a_name_unique_whatever_its_case() {
    let (_dir, store) = open_store();
    let g = group(&store, "  Conseil de quartier   des Vignes ");
    assert_eq!(get(&*store.read().unwrap(), g).unwrap().unwrap().name, "Conseil de quartier des Vignes");
    let again = store.writer().write_blocking(|tx| create(tx, &staff(), "conseil de quartier des vignes", 100));
    assert!(matches!(again, Err(GroupError::NameTaken)));
    let empty = store.writer().write_blocking(|tx| create(tx, &staff(), "   ", 100));
    assert!(matches!(empty, Err(GroupError::EmptyName)));
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}

#[test]
fn an_emailed_invitation_is_mailed_used_once_and_expires() {
    let (_dir, store) = open_store();
    let g = group(&store, "Conseil municipal des jeunes");
    let (alice, bob) = (person(&store, 1), person(&store, 3));
    let token = store
        .writer()
        .write_blocking(move |tx| {
            invite_by_email(tx, &staff(), g, "Jeune@Testville.test", 30, "https://p.test/", Lang::Fr, 1000)
        })
        .unwrap();
    let sent = mails(&store);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "jeune@testville.test");
    match &sent[0].template {
        Template::Notification { subject, link, .. } => {
            assert!(subject.contains("Conseil municipal des jeunes"), "{subject}");
            assert_eq!(link.as_deref(), Some(format!("https://p.test/groupes/rejoindre/{token}").as_str()));
        }
        other => panic!("{other:?}"),
    }
    // Not yet a member; the link works and makes Alice one.
    assert!(!is_member(&*store.read().unwrap(), g, alice).unwrap());
    assert_eq!(accept_as(&store, alice, &token, 2000).unwrap(), g);
    assert!(is_member(&*store.read().unwrap(), g, alice).unwrap());
    // Single use: nobody else joins with it.
    assert!(matches!(accept_as(&store, bob, &token, 2001), Err(GroupError::InvitationUsed)));
    assert!(!is_member(&*store.read().unwrap(), g, bob).unwrap());
    // Another invitation expires after its 30 days.
    let late = store
        .writer()
        .write_blocking(move |tx| {
            invite_by_email(tx, &staff(), g, "b@testville.test", 30, "https://p.test", Lang::En, 0)
        })
        .unwrap();
    assert!(matches!(accept_as(&store, bob, &late, 30 * DAY + 1), Err(GroupError::InvitationExpired)));
    assert!(accept_as(&store, bob, &late, 30 * DAY - 1).is_ok(), "valid on its last day");
    assert!(matches!(accept_as(&store, bob, "0000", 10), Err(GroupError::InvitationUnknown)));
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}

#[test]
fn an_invitation_link_lets_many_join_until_its_date_or_its_revocation() {
    let (_dir, store) = open_store();
    let g = group(&store, "Les Vignes");
    let people: Vec<_> = (1..=3).map(|n| person(&store, n)).collect();
    let past = store.writer().write_blocking(move |tx| create_link(tx, &staff(), g, 50, 100));
    assert!(matches!(past, Err(GroupError::BadDate)));
    let token = store.writer().write_blocking(move |tx| create_link(tx, &staff(), g, 10 * DAY, 100)).unwrap();
    assert!(accept_as(&store, people[0], &token, 200).is_ok());
    assert!(accept_as(&store, people[1], &token, 300).is_ok());
    assert!(accept_as(&store, people[1], &token, 301).is_ok(), "joining twice is no error");
    let listed = invitations(&*store.read().unwrap(), g).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.joined, 2);
    assert_eq!(listed[0].1.kind, InvitationKind::Link { token: token.clone() });
    assert!(matches!(accept_as(&store, people[2], &token, 10 * DAY + 1), Err(GroupError::InvitationExpired)));
    let key = listed[0].0.clone();
    store.writer().write_blocking(move |tx| revoke(tx, &staff(), g, &key, 400)).unwrap();
    assert!(matches!(accept_as(&store, people[2], &token, 500), Err(GroupError::InvitationRevoked)));
    assert_eq!(members(&*store.read().unwrap(), g).unwrap().len(), 2);
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}

#[test]
fn a_private_process_is_seen_by_its_members_and_staff_only_and_a_removed_member_loses_it() {
    let (_dir, store) = open_store();
    let g = group(&store, "Les Vignes");
    let (member, outsider) = (person(&store, 1), person(&store, 3));
    let b = store
        .writer()
        .write_blocking(|tx| proposals::create_box(tx, IdeaBox { title: "Pilote".into(), ..IdeaBox::default() }))
        .unwrap();
    let p = Process::IdeaBox(b);
    let token = store.writer().write_blocking(move |tx| create_link(tx, &staff(), g, 10 * DAY, 100)).unwrap();
    accept_as(&store, member, &token, 200).unwrap();
    let sees = |v: Viewer| may_see(&*store.read().unwrap(), v, p).unwrap();
    assert!(sees(Viewer::PUBLIC) && sees(Viewer::person(outsider, false)), "public by default");
    store.writer().write_blocking(move |tx| make_private(tx, &staff(), p, g, 300)).unwrap();
    assert!(!sees(Viewer::PUBLIC));
    assert!(!sees(Viewer::person(outsider, false)));
    assert!(sees(Viewer::person(member, false)));
    assert!(sees(Viewer::person(outsider, true)), "staff see every process");
    store.writer().write_blocking(move |tx| remove_member(tx, &staff(), g, member, 400)).unwrap();
    assert!(!sees(Viewer::person(member, false)));
    let again = store.writer().write_blocking(move |tx| remove_member(tx, &staff(), g, member, 401));
    assert!(matches!(again, Err(GroupError::NotFound)));
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}

#[test]
fn a_process_opens_only_after_its_authors_were_told_and_keeps_their_proposals() {
    let (_dir, store) = open_store();
    let g = group(&store, "Les Vignes");
    let (author, other) = (person(&store, 1), person(&store, 2));
    let b = store
        .writer()
        .write_blocking(|tx| {
            proposals::create_box(tx, IdeaBox { title: "Pilote".into(), closes_at: i64::MAX, ..IdeaBox::default() })
        })
        .unwrap();
    let p = Process::IdeaBox(b);
    store.writer().write_blocking(move |tx| make_private(tx, &staff(), p, g, 300)).unwrap();
    let posted = store.writer().write_blocking(move |tx| {
        for (who, title) in [(author, "Des bancs"), (other, "Un composteur"), (author, "Des arbres")] {
            proposals::post(
                tx,
                &NewProposal { box_id: b, author: who, title: title.into(), ..Default::default() },
                400,
            )
            .map_err(|e| GroupError::Store(StoreError::Invalid(e.to_string())))?;
        }
        Ok::<_, GroupError>(())
    });
    posted.unwrap();
    let early = store.writer().write_blocking(move |tx| open(tx, &staff(), p, 500));
    assert!(matches!(early, Err(GroupError::NotAnnounced)), "no opening without the announcement");
    assert!(!is_public(&*store.read().unwrap(), p).unwrap());
    let told = store
        .writer()
        .write_blocking(move |tx| announce_opening(tx, &staff(), p, 10 * DAY, "https://p.test", 600))
        .unwrap();
    assert_eq!(told, 2, "each author once");
    let sent = mails(&store);
    let mut to: Vec<_> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["p1@testville.test", "p2@testville.test"]);
    assert!(sent.iter().any(|m| m.lang == Lang::En
        && matches!(&m.template, Template::Notification { subject, .. } if subject.contains("open to everyone"))));
    // The worker opens it at its date, not before.
    assert_eq!(store.writer().write_blocking(move |tx| open_due(tx, &staff(), 10 * DAY - 1)).unwrap(), 0);
    assert!(!is_public(&*store.read().unwrap(), p).unwrap());
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
    assert_eq!(store.writer().write_blocking(move |tx| open_due(tx, &staff(), 10 * DAY)).unwrap(), 1);
    let tx = store.read().unwrap();
    assert!(is_public(&*tx, p).unwrap());
    assert!(may_see(&*tx, Viewer::PUBLIC, p).unwrap());
    assert_eq!(proposals::all_ids_in(&*tx).unwrap().len(), 3, "its proposals kept");
    assert!(opening_of(&*tx, p).unwrap().is_none());
    drop(tx);
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}

#[test]
fn a_pilot_s_feedback_questionnaire_is_a_draft_private_to_the_same_group() {
    let (_dir, store) = open_store();
    let g = group(&store, "Les Vignes");
    let b = store
        .writer()
        .write_blocking(|tx| proposals::create_box(tx, IdeaBox { title: "Pilote".into(), ..IdeaBox::default() }))
        .unwrap();
    let public =
        store.writer().write_blocking(move |tx| pilot_feedback(tx, &staff(), Process::IdeaBox(b), Lang::Fr, 10));
    assert!(matches!(public, Err(GroupError::AlreadyPublic)), "a public process has no pilot");
    store.writer().write_blocking(move |tx| make_private(tx, &staff(), Process::IdeaBox(b), g, 20)).unwrap();
    let c = store
        .writer()
        .write_blocking(move |tx| pilot_feedback(tx, &staff(), Process::IdeaBox(b), Lang::Fr, 30))
        .unwrap();
    let tx = store.read().unwrap();
    let draft = crate::domain::consultations::get(&*tx, c).unwrap().unwrap();
    assert!(draft.title.contains("Pilote"), "{}", draft.title);
    assert!(draft.published.is_none(), "a draft, for staff to adjust");
    assert!(!draft.questions.is_empty());
    assert_eq!(audience_of(&*tx, Process::Consultation(c)).unwrap(), Some(g));
    drop(tx);
    assert!(verified(&store).is_empty(), "{:?}", verified(&store));
}
