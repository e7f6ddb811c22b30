//! The reports' area alerts and the meetings' minutes through the
//! notifications: one job, told after the commit in batches, each follower
//! once, of the area they follow, with that area's own stop link.

use super::digest::Schedule;
use super::fanout::{self, Audience};
use super::*;
use crate::domain::accounts::{NewAccount, Role};
use crate::domain::ids::ReportId;
use crate::domain::reports::tables::{
    PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT, PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT,
};
use crate::domain::reports::{self, Area};
use crate::i18n::Lang;
use crate::mail::OutgoingMail;
use crate::store::{Keyed, Store};

fn notifier() -> Notifier {
    Notifier { base_url: "https://participer.testville.test".into() }
}

fn person(tx: &WriteTx, n: usize) -> AccountId {
    let new = NewAccount {
        email: format!("p{n}@testville.test"),
        display_name: format!("Habitant {n}"),
        role: Role::Resident,
        password_hash: "x".into(),
        must_change_password: false,
        language: Lang::Fr,
        neighbourhood: None,
    };
    accounts::create(tx, &new).unwrap()
}

fn mails(store: &Store) -> Vec<OutgoingMail> {
    let tx = store.read().unwrap();
    crate::mail::outbox::due(&tx, tx.keys(), i64::MAX, 1000).unwrap()
}

fn area(kind: &str, code: &str, name: &str) -> FollowedArea {
    FollowedArea { kind: kind.into(), code: code.into(), name: name.into() }
}

#[tokio::test]
async fn an_area_alert_tells_each_follower_once_of_the_first_area_they_follow_with_its_stop_link() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("n.redb"), 8).unwrap();
    const REPORT: u64 = 42;
    // p1..p7; Centre: 1 2 3 5; Voirie: 2 4 5 6; p3 acted; p6 follows the
    // report itself; p7 follows nothing. p1 asked for alerts at once.
    let people = store
        .write(|tx| {
            let p: Vec<AccountId> = (1..=7).map(|n| person(tx, n)).collect();
            let mut follows = tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
            for i in [0, 1, 2, 4] {
                follows.insert(("quartier", "Centre", p[i].get()), 1)?;
            }
            for i in [1, 3, 4, 5] {
                follows.insert(("categorie", "voirie", p[i].get()), 1)?;
            }
            drop(follows);
            tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.insert((REPORT, p[5].get()), ())?;
            save_settings(tx, p[0], &[(Kind::Areas, Delivery::Immediately)])?;
            let areas = vec![area("quartier", "Centre", "Centre"), area("categorie", "voirie", "Voirie")];
            let event = Event::AreaReport {
                report: REPORT,
                category: "Voirie".into(),
                place: "3 rue des Lilas".into(),
                status: None,
                status_name: None,
                area: areas[0].clone(),
            };
            let audience = Audience::AreaFollowers { report: ReportId(REPORT), areas, except: Some(p[2]) };
            fanout::record(tx, audience, event, 100)?;
            Ok::<_, StoreError>(p)
        })
        .await
        .unwrap();

    // Batches of two, as a crash between them would leave them.
    let mut rounds = 0;
    while store.write(|tx| fanout::run_batch(tx, &notifier(), 2)).await.unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 10);
    }
    assert!(fanout::pending(&*store.read().unwrap()).unwrap().is_empty());
    let told = |p: AccountId| recent(&store.read().unwrap(), p, 10).unwrap();
    let area_of = |p: AccountId| -> Vec<String> {
        told(p)
            .into_iter()
            .map(|(_, n)| match n.event {
                Event::AreaReport { area, .. } => area.name,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(area_of(people[0]), ["Centre"]);
    assert_eq!(area_of(people[1]), ["Centre"], "both areas: once, the neighbourhood's");
    assert_eq!(area_of(people[3]), ["Voirie"]);
    assert_eq!(area_of(people[4]), ["Centre"]);
    for p in [people[2], people[5], people[6]] {
        assert!(told(p).is_empty(), "who acted, a follower of the report, nobody's follower: {p}");
    }

    // p1's mail: the kind's stop link (List-Unsubscribe) and the area's.
    let sent = mails(&store);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let Template::Notified { subject, unsubscribe, also: Some(also), .. } = &sent[0].template else {
        panic!("{:?}", sent[0].template)
    };
    assert!(subject.contains("Nouveau signalement n° 42"), "{subject}");
    assert!(unsubscribe.contains("type=quartiers") && unsubscribe.contains(&format!("compte={}", people[0])));
    assert!(also.text.contains("quartier « Centre »"), "{}", also.text);
    let sig = also.link.rsplit("cle=").next().unwrap();
    assert!(also.link.contains("/signalements/alertes/arreter?") && also.link.contains("code=Centre"));
    let tx = store.read().unwrap();
    let centre = Area::Neighbourhood("Centre".into());
    assert!(reports::unsubscribe_valid(&tx, people[0], &centre, sig));
    assert!(!reports::unsubscribe_valid(&tx, people[1], &centre, sig));
    assert!(tables::verify(&tx).unwrap().is_empty());
    drop(tx);

    // The others' wait for the daily digest, under the reports' heading.
    let schedule = Schedule { hour: 7, weekday: jiff::civil::Weekday::Monday };
    let queued = store.write(move |tx| digest::send_due(tx, &notifier(), &schedule, 100 + 3 * 86_400, 100)).await;
    assert_eq!(queued.unwrap(), 3);
    let digests = mails(&store);
    let Some(Template::Digest { sections, .. }) =
        digests.iter().find(|m| m.to == "p4@testville.test").map(|m| &m.template)
    else {
        panic!("{digests:?}")
    };
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].heading, "Signalements");
    assert!(sections[0].items[0].0.contains("n° 42") && sections[0].items[0].1.ends_with("/signalements/42"));
}

#[test]
fn every_kind_is_offered_and_area_alerts_are_of_their_own_kind() {
    assert_eq!(Kind::OFFERED.to_vec(), Kind::ALL.to_vec());
    let alert = Event::AreaReport {
        report: 1,
        category: "Voirie".into(),
        place: "ici".into(),
        status: Some("fixed".into()),
        status_name: None,
        area: area("categorie", "voirie", "Voirie"),
    };
    assert_eq!((alert.followed_kind(), alert.process()), (Kind::Areas, Process::Reports));
    let (subject, _) = alert.render(Lang::Fr);
    assert!(subject.contains("Réparé"), "{subject}");
    let minutes = Event::MinutesPublished { meeting: 3, title: "Atelier du parc".into() };
    assert_eq!((minutes.followed_kind(), minutes.path()), (Kind::Meetings, "/rendez-vous/3".to_string()));
    let (subject, text) = minutes.render(Lang::En);
    assert!(subject.contains("Atelier du parc") && text.contains("minutes"), "{subject} / {text}");
}
