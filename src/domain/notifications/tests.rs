use super::digest::Schedule;
use super::*;
use crate::domain::accounts::{NewAccount, Role};
use crate::domain::ids::ProposalId;
use crate::domain::proposals::{self, Acting, IdeaBox, NewProposal, ProposalError, Status};
use crate::i18n::Lang;
use crate::mail::OutgoingMail;
use crate::store::{Keyed, Store};

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("n.redb"), 8).unwrap();
    (dir, store)
}

fn notifier() -> Notifier {
    Notifier { base_url: "https://participer.testville.test".into() }
}

fn person(tx: &WriteTx, n: usize, lang: Lang) -> AccountId {
    let new = NewAccount {
        email: format!("p{n}@testville.test"),
        display_name: format!("Habitant {n}"),
        role: Role::Resident,
        password_hash: "x".into(),
        must_change_password: false,
        language: lang,
        neighbourhood: None,
    };
    accounts::create(tx, &new).unwrap()
}

/// A proposal by a first person, followed by `followers` others (and its author).
async fn followed_proposal(store: &Store, followers: usize) -> (ProposalId, AccountId, Vec<AccountId>) {
    store
        .write(move |tx| {
            let author = person(tx, 0, Lang::Fr);
            let open = IdeaBox { closes_at: i64::MAX, created_by: author, ..IdeaBox::default() };
            let b = proposals::create_box(tx, IdeaBox { title: "Boîte".into(), ..open })?;
            let id = proposals::post(
                tx,
                &NewProposal { box_id: b, author, title: "Des bancs".into(), ..NewProposal::default() },
                10,
            )?;
            proposals::set_follow(tx, id, author, true)?;
            let mut all = Vec::new();
            for n in 1..=followers {
                let p = person(tx, n, if n % 2 == 0 { Lang::En } else { Lang::Fr });
                proposals::set_follow(tx, id, p, true)?;
                all.push(p);
            }
            Ok::<_, ProposalError>((id, author, all))
        })
        .await
        .unwrap()
}

fn mails(store: &Store) -> Vec<OutgoingMail> {
    let tx = store.read().unwrap();
    crate::mail::outbox::due(&tx, tx.keys(), i64::MAX, 100_000).unwrap()
}

fn notifications_of(store: &Store, who: AccountId) -> usize {
    recent(&store.read().unwrap(), who, usize::MAX).unwrap().len()
}

fn in_step(store: &Store) {
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[tokio::test]
async fn an_answer_records_one_job_and_the_worker_tells_every_follower_once_even_after_a_crash() {
    let (_dir, store) = setup();
    let (id, author, followers) = followed_proposal(&store, 250).await;
    let staff = Acting::new(AccountId(9999), "test");
    store.write(move |tx| proposals::answer(tx, &notifier(), id, Status::Accepted, "Oui", &staff, 100)).await.unwrap();
    // The answer's own transaction wrote one job and no notification.
    let jobs = fanout::pending(&*store.read().unwrap()).unwrap();
    assert_eq!(jobs.len(), 1);
    assert!(followers.iter().chain([&author]).all(|p| notifications_of(&store, *p) == 0));

    // One batch, then "a crash": the job remembers where it stopped.
    let told = store.write(|tx| fanout::run_batch(tx, &notifier(), 100)).await.unwrap();
    assert_eq!(told, 100);
    let jobs = fanout::pending(&*store.read().unwrap()).unwrap();
    assert_eq!(jobs.len(), 1, "the job waits for the rest");
    assert!(jobs[0].1.after.is_some());
    // Resumed: the rest, and nobody twice.
    let mut rounds = 0;
    while store.write(|tx| fanout::run_batch(tx, &notifier(), 100)).await.unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 10);
    }
    assert!(fanout::pending(&*store.read().unwrap()).unwrap().is_empty());
    for p in followers.iter().chain([&author]) {
        assert_eq!(notifications_of(&store, *p), 1, "{p}");
        assert_eq!(unread_count(&*store.read().unwrap(), *p).unwrap(), 1);
    }
    // The author hears at once (own contribution), with a stop link for that
    // kind; the followers wait for their daily digest.
    let sent = mails(&store);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let Template::Notified { unsubscribe, .. } = &sent[0].template else { panic!("{:?}", sent[0].template) };
    assert!(unsubscribe.contains("type=contributions") && unsubscribe.contains(&format!("compte={author}")));
    assert_eq!(digest::waiting(&*store.read().unwrap(), followers[0]).unwrap().len(), 1);
    in_step(&store);
}

/// 2026-03-02 is a Monday; Paris is UTC+1 then.
fn paris(day: &str, hour: i8, minute: i8) -> i64 {
    let date: jiff::civil::Date = day.parse().unwrap();
    date.at(hour, minute, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .unwrap()
        .timestamp()
        .as_second()
}

const SCHEDULE: Schedule = Schedule { hour: 7, weekday: jiff::civil::Weekday::Monday };

#[test]
fn the_last_digest_times_follow_the_hour_the_weekday_and_daylight_saving() {
    assert_eq!(SCHEDULE.last_daily(paris("2026-03-03", 6, 59)), paris("2026-03-02", 7, 0));
    assert_eq!(SCHEDULE.last_daily(paris("2026-03-03", 7, 0)), paris("2026-03-03", 7, 0));
    assert_eq!(SCHEDULE.last_weekly(paris("2026-03-08", 23, 0)), paris("2026-03-02", 7, 0));
    assert_eq!(SCHEDULE.last_weekly(paris("2026-03-09", 7, 1)), paris("2026-03-09", 7, 0));
    // 29 March 2026: summer time; 7:00 in Paris is 5:00 UTC.
    assert_eq!(SCHEDULE.last_daily(paris("2026-03-30", 8, 0)) % 86_400, 5 * 3600);
    assert_eq!(SCHEDULE.last_daily(paris("2026-03-27", 8, 0)) % 86_400, 6 * 3600);
}

#[tokio::test]
async fn digests_group_due_items_by_process_at_the_hour_once_and_weekly_waits_for_its_day() {
    let (_dir, store) = setup();
    let (id, _, followers) = followed_proposal(&store, 3).await;
    let (daily, weekly, never) = (followers[0], followers[1], followers[2]);
    store
        .write(move |tx| {
            save_settings(tx, weekly, &[(Kind::Proposals, Delivery::Weekly)])?;
            save_settings(tx, never, &[(Kind::Proposals, Delivery::Never)])
        })
        .await
        .unwrap();
    // Tuesday 3 March, 10:00: two news of the proposal.
    let at = paris("2026-03-03", 10, 0);
    for (k, status) in [(0, Status::UnderStudy), (1, Status::Accepted)] {
        let staff = Acting::new(AccountId(9999), "test");
        store.write(move |tx| proposals::answer(tx, &notifier(), id, status, "Oui", &staff, at + k)).await.unwrap();
    }
    while store.write(|tx| fanout::run_batch(tx, &notifier(), 500)).await.unwrap() > 0 {}
    let before = mails(&store).len();
    let send = |now: i64| {
        let store = store.clone();
        async move { store.write(move |tx| digest::send_due(tx, &notifier(), &SCHEDULE, now, 100)).await.unwrap() }
    };
    // Not before Wednesday 7:00.
    assert_eq!(send(paris("2026-03-04", 6, 59)).await, 0);
    assert_eq!(send(paris("2026-03-04", 7, 0)).await, 1, "the daily person only");
    assert_eq!(send(paris("2026-03-04", 9, 0)).await, 0, "never twice");
    let new: Vec<OutgoingMail> = mails(&store).into_iter().skip(before).collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].to, "p1@testville.test");
    let Template::Digest { sections, unsubscribe, .. } = &new[0].template else { panic!() };
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].heading, "Propositions");
    assert_eq!(sections[0].items.len(), 2, "both news in one mail");
    assert!(unsubscribe.contains("type=resumes"));
    assert!(digest::waiting(&*store.read().unwrap(), daily).unwrap().is_empty());
    // The weekly person: on Monday 9 March at 7:00, in English.
    assert_eq!(send(paris("2026-03-08", 7, 0)).await, 0);
    assert_eq!(send(paris("2026-03-09", 7, 0)).await, 1);
    let last = mails(&store).pop().unwrap();
    assert_eq!(last.to, "p2@testville.test");
    let Template::Digest { sections, .. } = &last.template else { panic!() };
    assert_eq!(sections[0].heading, "Proposals");
    // "Never": kept in the app, no mail, nothing waiting.
    assert_eq!(notifications_of(&store, never), 2);
    assert!(digest::waiting(&*store.read().unwrap(), never).unwrap().is_empty());
    assert!(mails(&store).iter().all(|m| m.to != "p3@testville.test"));
    in_step(&store);
}

#[tokio::test]
async fn a_stop_link_works_for_its_person_and_kind_only() {
    let (_dir, store) = setup();
    let (_, a, others) = followed_proposal(&store, 1).await;
    let b = others[0];
    let sig_of = |path: &str| path.rsplit_once("cle=").unwrap().1.to_string();
    let tx = store.read().unwrap();
    let a_proposals = sig_of(&stop_path(&tx, a, Stop::Kind(Kind::Proposals)));
    drop(tx);
    let try_stop = |who: AccountId, what: Stop, sig: String| {
        let store = store.clone();
        async move { store.write(move |tx| stop(tx, who, what, &sig)).await.map_err(|e| e.to_string()) }
    };
    let mut tampered = a_proposals.clone();
    tampered.replace_range(0..1, if tampered.starts_with('0') { "1" } else { "0" });
    assert!(try_stop(a, Stop::Kind(Kind::Proposals), tampered).await.is_err());
    assert!(try_stop(b, Stop::Kind(Kind::Proposals), a_proposals.clone()).await.is_err(), "another person");
    assert!(try_stop(a, Stop::Kind(Kind::Reports), a_proposals.clone()).await.is_err(), "another kind");
    assert!(try_stop(a, Stop::Digests, a_proposals.clone()).await.is_err(), "the digests");
    let unchanged = |who| settings(&*store.read().unwrap(), who).unwrap();
    assert_eq!(unchanged(a), Settings::default());
    assert_eq!(unchanged(b), Settings::default());
    assert_eq!(try_stop(a, Stop::Kind(Kind::Proposals), a_proposals).await.unwrap(), vec![Kind::Proposals]);
    assert_eq!(unchanged(a).delivery(Kind::Proposals), Delivery::Never);
    assert_eq!(unchanged(a).delivery(Kind::Reports), Delivery::Daily);
    // The digests' link stops every kind that came in a digest, no other.
    let sig = sig_of(&stop_path(&store.read().unwrap(), b, Stop::Digests));
    let stopped = try_stop(b, Stop::Digests, sig).await.unwrap();
    assert!(!stopped.contains(&Kind::Own) && stopped.contains(&Kind::Reports));
    assert_eq!(unchanged(b).delivery(Kind::Own), Delivery::Immediately);
}

#[tokio::test]
async fn the_unread_counter_follows_the_notifications_and_reading_them() {
    let (_dir, store) = setup();
    let (_, a, _) = followed_proposal(&store, 0).await;
    let event = Event::Answered { proposal: 1, title: "Des bancs".into() };
    for at in [1, 2, 3] {
        let e = event.clone();
        store.write(move |tx| notify(tx, &notifier(), a, e.clone(), at)).await.unwrap();
    }
    assert_eq!(unread_count(&*store.read().unwrap(), a).unwrap(), 3);
    in_step(&store);
    store.write(move |tx| mark_all_read(tx, a)).await.unwrap();
    assert_eq!(unread_count(&*store.read().unwrap(), a).unwrap(), 0);
    in_step(&store);
    store.write(move |tx| remove_all(tx, a)).await.unwrap();
    in_step(&store);
}

/// A report by a first person, filed (and so followed) by them, followed by
/// `followers` others.
async fn followed_report(
    store: &Store,
    config: &std::sync::Arc<crate::config::Config>,
    followers: usize,
) -> (crate::domain::ids::ReportId, AccountId, Vec<AccountId>) {
    use crate::domain::reports::{self, Filer, NewReport};
    let config = config.clone();
    store
        .write(move |tx| {
            let author = person(tx, 0, Lang::Fr);
            let new = NewReport {
                author: Filer::Account(author),
                category: "voirie".into(),
                lat: 45.7772,
                lon: 4.6121,
                address: None,
                neighbourhood: None,
                description: "Un nid-de-poule".into(),
                photos: Vec::new(),
                show_name: false,
                answers: Vec::new(),
            };
            let actor = crate::domain::audit::Actor::person(author, "10.0.0.1");
            let id = reports::file(tx, &config, &notifier(), &actor, &new, 10)?.id;
            let mut all = Vec::new();
            for n in 1..=followers {
                let p = person(tx, n, Lang::Fr);
                reports::follow(tx, id, p)?;
                all.push(p);
            }
            Ok::<_, reports::ReportError>((id, author, all))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_status_change_on_a_followed_report_records_one_job_and_the_followers_are_told_after_the_commit() {
    use crate::domain::reports;
    let (dir, store) = setup();
    let config =
        std::sync::Arc::new(crate::config::Config::for_dir(dir.path(), "Saint-Exemple", "https://x.test").unwrap());
    let (id, author, followers) = followed_report(&store, &config, 120).await;
    let staff = store.write(|tx| Ok::<_, StoreError>(person(tx, 999, Lang::Fr))).await.unwrap();
    let before = mails(&store).len();
    let c = config.clone();
    store
        .write(move |tx| {
            let actor = crate::domain::audit::Actor::person(staff, "10.0.0.2");
            reports::change_status(tx, &c, &notifier(), &actor, id, "investigating", "On regarde.", None, 100)
        })
        .await
        .unwrap();
    // The staff's write told nobody: one job, no notification, no mail.
    let jobs = fanout::pending(&*store.read().unwrap()).unwrap();
    assert_eq!(jobs.len(), 1, "one job, whatever the number of followers");
    assert!(
        matches!(jobs[0].1.audience, fanout::Audience::ReportFollowers { report, except: Some(s) } if report == id && s == staff)
    );
    assert!(followers.iter().chain([&author]).all(|p| notifications_of(&store, *p) == 0));
    assert_eq!(mails(&store).len(), before, "no mail queued by the staff's write");

    // After the commit, in batches: everyone once, the staff not at all.
    let mut rounds = 0;
    while store.write(|tx| fanout::run_batch(tx, &notifier(), 50)).await.unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 10);
    }
    assert!(rounds >= 3, "{rounds} batches for 121 followers of 50");
    assert!(fanout::pending(&*store.read().unwrap()).unwrap().is_empty());
    for p in followers.iter().chain([&author]) {
        assert_eq!(notifications_of(&store, *p), 1, "{p}");
    }
    assert_eq!(notifications_of(&store, staff), 0, "the staff who wrote it is not told");
    // The author hears at once (their own report); followers in a digest.
    let mailed = mails(&store);
    assert_eq!(mailed.len(), before + 1, "only the author's mail is immediate");
    assert_eq!(mailed.last().map(|m| m.to.as_str()), Some("p0@testville.test"));
}

#[tokio::test]
async fn a_report_nobody_else_follows_records_no_job() {
    use crate::domain::reports;
    let (dir, store) = setup();
    let config =
        std::sync::Arc::new(crate::config::Config::for_dir(dir.path(), "Saint-Exemple", "https://x.test").unwrap());
    let (id, author, _) = followed_report(&store, &config, 0).await;
    let c = config.clone();
    store.write(move |tx| reports::add_update(tx, &c, &notifier(), author, id, "Toujours là.", 100)).await.unwrap();
    assert!(fanout::pending(&*store.read().unwrap()).unwrap().is_empty(), "the author alone follows it");
}

/// A meeting's change, as the app's list and digests say it: the new time
/// and place, in each language, without the registrant's code (a
/// notification is the same for everyone registered).
#[test]
fn a_meetings_change_is_said_with_its_new_time_and_place_in_each_language() {
    let event = Event::MeetingChanged {
        meeting: 4,
        title: "Atelier".into(),
        when: "28/03/2027 18:30".into(),
        place: "Salle des fêtes".into(),
        cancelled: false,
    };
    assert_eq!(event.path(), "/rendez-vous/4");
    assert_eq!(event.followed_kind(), Kind::Meetings);
    for lang in [Lang::Fr, Lang::En] {
        let (subject, text) = event.render(lang);
        assert!(subject.contains("Atelier"), "{subject}");
        assert!(text.contains("28/03/2027 18:30") && text.contains("Salle des fêtes"), "{text}");
        assert!(!text.contains("notif-") && !text.contains("code"), "{text}");
    }
}
