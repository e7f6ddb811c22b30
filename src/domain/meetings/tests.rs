use super::*;
use crate::domain::audit::Actor;
use crate::domain::notifications::Notifier;
use crate::i18n::Lang;
use crate::store::Store;

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("m.redb"), 8).unwrap();
    (dir, store)
}

fn notifier() -> Notifier {
    Notifier { base_url: "https://participer.testville.test".into() }
}

fn details(starts_at: i64, seats: Option<u32>) -> Details {
    Details {
        title: "Atelier du square".into(),
        kind: Kind::Workshop,
        starts_at,
        ends_at: starts_at + 7200,
        address: "Salle des fêtes, 1 place de la Mairie".into(),
        coords: Some((45.0, 5.0)),
        online_url: String::new(),
        neighbourhood: None,
        agenda: "1. Accueil\n2. Ateliers".into(),
        accessibility: Accessibility { step_free: true, ..Accessibility::default() },
        organiser: "Service urbanisme".into(),
        registration: true,
        seats,
    }
}

fn visitor(n: u32) -> Who {
    Who::Visitor { name: format!("Visiteur {n}"), email: format!("v{n}@x.test"), lang: Lang::Fr }
}

/// Registers `who` as the web does and, for a visitor, follows the mailed
/// link at once.
fn reg(tx: &crate::store::WriteTx, id: MeetingId, who: &Who, now: i64) -> Result<Registered, MeetingError> {
    match register(tx, &notifier(), id, who, now)? {
        Outcome::Registered(r) => Ok(r),
        Outcome::ConfirmationSent { confirm_path, .. } => {
            let (p, cle) = confirm_parts(&confirm_path);
            confirm(tx, &notifier(), id, &p, &cle, now)
        }
    }
}

/// The person and the signature of a confirmation link.
fn confirm_parts(path: &str) -> (String, String) {
    let query = path.split_once('?').unwrap().1;
    let get = |name: &str| query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap().to_string();
    (get("p"), get("cle"))
}

/// A published meeting starting at `starts_at`, with `seats`.
async fn published(store: &Store, starts_at: i64, seats: Option<u32>) -> MeetingId {
    store
        .write(move |tx| {
            let actor = Actor::command_line();
            let id = create(tx, &[], &actor, &details(starts_at, seats), 10)?;
            publish(tx, &actor, id, 10)?;
            Ok::<_, MeetingError>(id)
        })
        .await
        .unwrap()
}

#[test]
fn local_times_keep_their_hour_across_both_daylight_saving_changes() {
    // 28 March 2026 is winter time (UTC+1), 29 March summer time (UTC+2).
    let before = local_instant("2026-03-28", "18:30").unwrap();
    let after = local_instant("2026-03-29", "18:30").unwrap();
    assert_eq!(before, jiff::Timestamp::from_second(before).unwrap().as_second());
    assert_eq!(jiff::Timestamp::from_second(before).unwrap().to_string(), "2026-03-28T17:30:00Z");
    assert_eq!(jiff::Timestamp::from_second(after).unwrap().to_string(), "2026-03-29T16:30:00Z");
    assert_eq!(after - before, 23 * 3600, "the night of the change lasts 23 hours");
    // 25 October 2026 back to winter time.
    let summer = local_instant("2026-10-24", "18:30").unwrap();
    let winter = local_instant("2026-10-25", "18:30").unwrap();
    assert_eq!(jiff::Timestamp::from_second(winter).unwrap().to_string(), "2026-10-25T17:30:00Z");
    assert_eq!(winter - summer, 25 * 3600);
    // Shown back as the hour typed.
    assert_eq!(local(after).unwrap().time().to_string(), "18:30:00");
    assert_eq!(local(winter).unwrap().time().to_string(), "18:30:00");
    // The skipped hour reads as the same time after the change.
    let gap = local_instant("2026-03-29", "02:30").unwrap();
    assert_eq!(jiff::Timestamp::from_second(gap).unwrap().to_string(), "2026-03-29T01:30:00Z");
    assert_eq!(local_instant("2026-02-30", "10:00"), None);
    assert_eq!(local_instant("2026-03-01", "25:00"), None);
}

#[test]
fn details_are_refused_for_what_would_mislead_people() {
    let ok = details(1_000_000, Some(10));
    assert!(staff::checked(&ok, &[]).is_ok());
    let refused = |d: Details| staff::checked(&d, &["Centre".into()]).err();
    assert!(matches!(refused(Details { title: " ".into(), ..ok.clone() }), Some(MeetingError::BadTitle)));
    assert!(matches!(refused(Details { ends_at: ok.starts_at, ..ok.clone() }), Some(MeetingError::BadTimes)));
    assert!(matches!(
        refused(Details { online_url: "http://visio.example/abc".into(), ..ok.clone() }),
        Some(MeetingError::BadLink)
    ));
    assert!(matches!(
        refused(Details { address: String::new(), online_url: String::new(), ..ok.clone() }),
        Some(MeetingError::NoPlace)
    ));
    assert!(matches!(refused(Details { seats: Some(0), ..ok.clone() }), Some(MeetingError::BadSeats)));
    assert!(matches!(refused(Details { coords: Some((91.0, 0.0)), ..ok.clone() }), Some(MeetingError::BadCoordinates)));
    assert!(matches!(
        refused(Details { neighbourhood: Some("Ailleurs".into()), ..ok.clone() }),
        Some(MeetingError::UnknownNeighbourhood)
    ));
    let online = Details { address: String::new(), online_url: "https://visio.example/abc".into(), ..ok };
    assert_eq!(staff::checked(&online, &[]).unwrap().online_url, "https://visio.example/abc");
}

#[tokio::test]
async fn seats_fill_then_the_waiting_list_is_promoted_in_order_when_someone_cancels() {
    let (_dir, store) = setup();
    let id = published(&store, 1_000_000, Some(2)).await;
    let mut done = Vec::new();
    for n in 1..=4 {
        done.push(store.write(move |tx| reg(tx, id, &visitor(n), 100)).await.unwrap());
    }
    let spots: Vec<Spot> = done.iter().map(|d| d.spot).collect();
    assert_eq!(spots, [Spot::Seated, Spot::Seated, Spot::Waiting, Spot::Waiting]);
    assert_ne!(done[0].code, done[1].code);
    assert!(matches!(store.write(move |tx| reg(tx, id, &visitor(1), 100)).await, Err(MeetingError::AlreadyRegistered)));

    // A forged signature, or another registration's, cancels nothing.
    let sig = |path: &str| path.split("cle=").nth(1).unwrap().to_string();
    let (first, second) = (sig(&done[0].cancel_path), sig(&done[1].cancel_path));
    // Its first digit changed (never the same: one signature in 16 starts with 0).
    let forged = format!("{}{}", if first.starts_with('0') { '1' } else { '0' }, &first[1..]);
    assert!(matches!(
        store.write(move |tx| cancel_registration(tx, &notifier(), id, 1, &forged, 200)).await,
        Err(MeetingError::LinkInvalid)
    ));
    assert!(matches!(
        store.write(move |tx| cancel_registration(tx, &notifier(), id, 1, &second, 200)).await,
        Err(MeetingError::LinkInvalid)
    ));
    // The first seated cancels: the first waiting (3) gets the seat.
    let again = first.clone();
    let promoted = store.write(move |tx| cancel_registration(tx, &notifier(), id, 1, &first, 200)).await.unwrap();
    assert_eq!(promoted, Some(3));
    assert!(matches!(
        store.write(move |tx| cancel_registration(tx, &notifier(), id, 1, &again, 200)).await,
        Err(MeetingError::AlreadyCancelled)
    ));
    let tx = store.read().unwrap();
    let spots: Vec<Spot> = registrations(&tx, id).unwrap().iter().map(|r| r.spot).collect();
    assert_eq!(spots, [Spot::Cancelled, Spot::Seated, Spot::Seated, Spot::Waiting]);
    drop(tx);
    // Cancelled, they may register again: at the end of the queue.
    let back = store.write(move |tx| reg(tx, id, &visitor(1), 300)).await.unwrap();
    assert_eq!((back.number, back.spot), (5, Spot::Waiting));
    assert!(store.verify().unwrap().is_ok());
}

#[tokio::test]
async fn the_reminder_leaves_once_the_day_before_and_a_cancelled_meeting_takes_nobody() {
    let (_dir, store) = setup();
    let start = 1_000_000;
    let id = published(&store, start, None).await;
    store.write(move |tx| reg(tx, id, &visitor(1), 100)).await.unwrap();
    // Registered within the last day: the confirmation is reminder enough.
    store.write(move |tx| reg(tx, id, &visitor(2), start - 3600)).await.unwrap();
    let remind = |now: i64| store.write(move |tx| send_reminders(tx, &notifier(), now, 100));
    assert_eq!(remind(start - REMINDER_BEFORE_SECS - 3600).await.unwrap(), 0, "not two days before");
    assert_eq!(remind(start - REMINDER_BEFORE_SECS + 60).await.unwrap(), 1);
    assert_eq!(remind(start - 3600).await.unwrap(), 0, "never twice");
    let cancelled = store
        .write(move |tx| {
            let told = cancel(tx, &notifier(), &Actor::command_line(), id, start - 60)?;
            Ok::<_, MeetingError>(told)
        })
        .await
        .unwrap();
    assert_eq!(cancelled, 2, "both registrants are told");
    assert!(matches!(
        store.write(move |tx| reg(tx, id, &visitor(3), start - 30)).await,
        Err(MeetingError::RegistrationClosed)
    ));
    let m = store.read().map(|tx| get(&tx, id).unwrap().unwrap()).unwrap();
    assert_eq!(m.status, Status::Cancelled);
    let listed = store.read().map(|tx| upcoming(&tx, start - 30, 3).unwrap()).unwrap();
    assert_eq!(listed.len(), 1, "a cancelled meeting stays listed");
}

#[tokio::test]
async fn an_erased_account_leaves_its_seat_to_the_waiting_at_the_next_pass() {
    let (_dir, store) = setup();
    let id = published(&store, 1_000_000, Some(1)).await;
    let new = crate::domain::accounts::tests::new("a@x.test");
    let account = store.write(move |tx| crate::domain::accounts::create(tx, &new)).await.unwrap();
    store.write(move |tx| reg(tx, id, &Who::Account(account), 100)).await.unwrap();
    store.write(move |tx| reg(tx, id, &visitor(2), 100)).await.unwrap();
    let theirs = store.read().map(|tx| of_account(&tx, account).unwrap()).unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].registration.spot, Spot::Seated);
    store.write(move |tx| forget_account(tx, account, 200)).await.unwrap();
    assert!(store.read().map(|tx| of_account(&tx, account).unwrap()).unwrap().is_empty());
    assert_eq!(store.write(move |tx| promote_waiting(tx, &notifier(), 300)).await.unwrap(), 1);
    let spots: Vec<Spot> =
        store.read().map(|tx| registrations(&tx, id).unwrap()).unwrap().iter().map(|r| r.spot).collect();
    assert_eq!(spots, [Spot::Cancelled, Spot::Seated]);
    assert!(store.verify().unwrap().is_ok());
}

/// An idea box open from 0 to `closes_at`, and a public proposal in it.
async fn box_and_proposal(
    store: &Store,
    closes_at: i64,
) -> (crate::domain::ids::BoxId, crate::domain::ids::ProposalId) {
    use crate::domain::proposals::{self, IdeaBox, NewProposal};
    store
        .write(move |tx| {
            let b = proposals::create_box(
                tx,
                IdeaBox { title: "Idées".into(), opens_at: 0, closes_at, ..IdeaBox::default() },
            )?;
            let new = NewProposal {
                box_id: b,
                author: AccountId(7),
                title: "Un banc au square".into(),
                body: "Pour s'asseoir à l'ombre.".into(),
                ..NewProposal::default()
            };
            let p = proposals::post(tx, &new, 5)?;
            Ok::<_, proposals::ProposalError>((b, p))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn minutes_wait_for_the_end_name_only_public_things_and_move_the_discussed_index_with_them() {
    let (_dir, store) = setup();
    let id = published(&store, 1_000, None).await;
    let (_, proposal) = box_and_proposal(&store, 1_000_000).await;
    let target = Target::new(ContentKind::Proposal, proposal.get());
    let write =
        |new: NewMinutes, now: i64| store.write(move |tx| write_minutes(tx, &Actor::command_line(), id, &new, now));
    let new =
        NewMinutes { text: "Nous avons parlé du square.".into(), counted: Some(40), discussed: vec![target, target] };
    // Before its end (it lasts two hours), a meeting has no minutes.
    assert!(matches!(write(new.clone(), 2_000).await, Err(MeetingError::NotOver)));
    let ghost = NewMinutes { discussed: vec![Target::new(ContentKind::Proposal, 999)], ..new.clone() };
    assert!(matches!(write(ghost, 9_000).await, Err(MeetingError::UnknownDiscussed(t)) if t.id == 999));
    write(new.clone(), 9_000).await.unwrap();
    {
        let tx = store.read().unwrap();
        let n = minutes(&tx, id).unwrap().unwrap();
        assert_eq!(n.discussed, vec![target], "named twice, kept once");
        let m = get(&tx, id).unwrap().unwrap();
        // With registration the door's marks count, not a typed number.
        assert_eq!((n.counted, attendance(&tx, &m).unwrap()), (None, None));
        assert_eq!(discussed_in(&tx, target).unwrap().iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    }
    let found = search::search_document(&store.read().unwrap(), id).unwrap().unwrap();
    assert!(found.body.contains("Nous avons parlé du square."), "the minutes are searched: {}", found.body);
    write(NewMinutes { discussed: Vec::new(), ..new }, 9_500).await.unwrap();
    assert!(discussed_in(&store.read().unwrap(), target).unwrap().is_empty(), "the index follows the minutes");
    assert!(store.verify().unwrap().is_ok());
}

#[tokio::test]
async fn without_registration_the_typed_count_is_the_attendance_and_with_it_the_marks_are() {
    let (_dir, store) = setup();
    let open = store
        .write(|tx| {
            let actor = Actor::command_line();
            let id = create(tx, &[], &actor, &Details { registration: false, ..details(1_000, None) }, 10)?;
            publish(tx, &actor, id, 10)?;
            write_minutes(tx, &actor, id, &NewMinutes { counted: Some(35), ..NewMinutes::default() }, 9_000)?;
            Ok::<_, MeetingError>(id)
        })
        .await
        .unwrap();
    let seated = published(&store, 1_000, Some(5)).await;
    store
        .write(move |tx| {
            for n in 1..=3 {
                reg(tx, seated, &visitor(n), 500)?;
            }
            mark_attended(tx, &Actor::command_line(), seated, 1, true, 1_500)?;
            mark_attended(tx, &Actor::command_line(), seated, 3, true, 1_500)
        })
        .await
        .unwrap();
    let tx = store.read().unwrap();
    assert_eq!(attendance(&tx, &get(&tx, open).unwrap().unwrap()).unwrap(), Some(35));
    assert_eq!(attendance(&tx, &get(&tx, seated).unwrap().unwrap()).unwrap(), Some(2));
}

#[tokio::test]
async fn a_workshop_records_its_ideas_as_proposals_of_its_own_origin_in_an_open_box() {
    use crate::domain::proposals::{self, Origin};
    let (_dir, store) = setup();
    let workshop = published(&store, 1_000, None).await;
    let meeting = store
        .write(|tx| {
            let actor = Actor::command_line();
            let d = Details { kind: Kind::PublicMeeting, ..details(1_000, None) };
            let id = create(tx, &[], &actor, &d, 10)?;
            publish(tx, &actor, id, 10)?;
            Ok::<_, MeetingError>(id)
        })
        .await
        .unwrap();
    let (open, _) = box_and_proposal(&store, 1_000_000).await;
    let (closed, _) = box_and_proposal(&store, 3_000).await;
    let idea = |b| Idea {
        box_id: b,
        title: "Des bacs à compost".into(),
        body: "Au pied des immeubles.".into(),
        category: None,
    };
    let record = |m: MeetingId, idea: Idea, now: i64| {
        store.write(move |tx| record_idea(tx, &Actor::person(AccountId(3), "127.0.0.1"), m, &idea, now))
    };
    assert!(matches!(record(workshop, idea(open), 500).await, Err(MeetingError::NotOver)), "before it began");
    assert!(matches!(record(meeting, idea(open), 9_000).await, Err(MeetingError::NotAWorkshop)));
    assert!(matches!(record(workshop, idea(closed), 9_000).await, Err(MeetingError::BoxClosed)));
    let pid = record(workshop, idea(open), 9_000).await.unwrap();
    let tx = store.read().unwrap();
    let p = proposals::get(&tx, pid).unwrap().unwrap();
    assert_eq!((p.origin, p.status, p.box_id), (Some(Origin::Workshop(workshop)), proposals::Status::Submitted, open));
    assert_eq!(ideas(&tx, workshop).unwrap(), vec![pid]);
    assert!(!proposals::is_following(&tx, pid, AccountId(3)).unwrap(), "staff who typed it do not follow it");
    assert!(proposals::of_author(&tx, AccountId(3)).unwrap().is_empty(), "nor is it theirs in their data");
    drop(tx);
    assert!(store.verify().unwrap().is_ok());
}

#[tokio::test]
async fn a_visitors_request_holds_no_seat_serves_once_and_expires_at_the_start() {
    let (_dir, store) = setup();
    let start = 100_000;
    let id = published(&store, start, Some(1)).await;
    let asked = store.write(move |tx| register(tx, &notifier(), id, &visitor(1), 100)).await.unwrap();
    let Outcome::ConfirmationSent { resent: false, confirm_path } = asked else { panic!("{asked:?}") };
    assert!(store.read().map(|tx| registrations(&tx, id).unwrap()).unwrap().is_empty(), "no seat held");
    // A resident takes the only seat meanwhile; the visitor confirms: waiting.
    let new = crate::domain::accounts::tests::new("a@x.test");
    let account = store.write(move |tx| crate::domain::accounts::create(tx, &new)).await.unwrap();
    let seated = store.write(move |tx| reg(tx, id, &Who::Account(account), 150)).await.unwrap();
    assert_eq!(seated.spot, Spot::Seated);
    let (p, cle) = confirm_parts(&confirm_path);
    let (p2, cle2) = (p.clone(), cle.clone());
    let done = store.write(move |tx| confirm(tx, &notifier(), id, &p, &cle, 200)).await.unwrap();
    assert_eq!(done.spot, Spot::Waiting);
    assert!(
        matches!(
            store.write(move |tx| confirm(tx, &notifier(), id, &p2, &cle2, 210)).await,
            Err(MeetingError::LinkInvalid)
        ),
        "once only"
    );

    // Asked less than two days before the start: the request ends at the start.
    let asked = store.write(move |tx| register(tx, &notifier(), id, &visitor(2), start - 3600)).await.unwrap();
    let Outcome::ConfirmationSent { confirm_path, .. } = asked else { panic!("{asked:?}") };
    assert_eq!(store.read().map(|tx| pending_count(&tx, id, start - 1).unwrap()).unwrap(), 1);
    assert_eq!(store.write(move |tx| purge_unconfirmed(tx, start - 1)).await.unwrap(), 0);
    assert_eq!(store.write(move |tx| purge_unconfirmed(tx, start)).await.unwrap(), 1);
    let (p, cle) = confirm_parts(&confirm_path);
    assert!(matches!(
        store.write(move |tx| confirm(tx, &notifier(), id, &p, &cle, start - 10)).await,
        Err(MeetingError::LinkInvalid)
    ));
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
}

#[tokio::test]
async fn documents_wait_for_the_end_and_their_numbers_are_never_reused() {
    let (_dir, store) = setup();
    let id = published(&store, 1_000, None).await;
    let pdf = |name: &str| NewDocument {
        kind: DocumentKind::Pdf,
        file: "0123456789abcdef0123456789abcdef.pdf".into(),
        name: name.into(),
        size: 10,
    };
    let (early, numbers, empty, bad_file) = store
        .write(move |tx| {
            let actor = Actor::command_line();
            let early = add_document(tx, &actor, id, &pdf("Diaporama"), 500).map(|_| ());
            let after = 1_000 + 7200 + 1;
            let one = add_document(tx, &actor, id, &pdf("Diaporama"), after)?;
            let two = add_document(tx, &actor, id, &pdf("Feuille d'émargement"), after)?;
            remove_document(tx, &actor, id, two, after)?;
            let three = add_document(tx, &actor, id, &pdf("Photos"), after)?;
            let empty = add_document(tx, &actor, id, &pdf("  "), after).map(|_| ());
            let bad = NewDocument { file: "../../etc/passwd.pdf".into(), ..pdf("x") };
            let bad_file = add_document(tx, &actor, id, &bad, after).map(|_| ());
            Ok::<_, MeetingError>((early, vec![one, two, three], empty, bad_file))
        })
        .await
        .unwrap();
    assert!(matches!(early, Err(MeetingError::NotOver)), "documents belong to the minutes");
    assert_eq!(numbers, vec![1, 2, 3], "2 removed, the next is 3, not 2 again");
    assert!(matches!(empty, Err(MeetingError::BadDocumentName)));
    assert!(bad_file.is_err(), "only a stored file's name");
    let names: Vec<String> =
        store.read().map(|tx| documents(&tx, id).unwrap()).unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["Diaporama", "Photos"]);
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
}
