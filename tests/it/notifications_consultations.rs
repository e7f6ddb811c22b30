//! A followed consultation's outcome through the notification settings:
//! at once (one mail, with a working one-click stop link), in the daily
//! digest at the configured hour, or never by email — and always in the
//! app's list.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::consultations::{self, Audience, ConsultationId};
use parvis::domain::notifications::{self, digest, Delivery, Kind};

use crate::accounts::{link_in, post, Mailbox};
use crate::admin::{make_person, sign_in, Person};
use crate::consultations::{day, open_consultation, q, verify_clean};
use crate::notifications::fanned_out;
use crate::support::{Client, TestServer};

/// A signed-in resident who follows consultation `id` and chose `delivery`
/// for the consultations they follow (none: the default).
fn follower(server: &TestServer, email: &str, id: u64, delivery: Option<Delivery>) -> (Person, Client) {
    let p = make_person(server, email, "Habitant", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, server, &p);
    let page = format!("/consultations/{id}");
    assert_eq!(post(&mut c, server, &page, &format!("{page}/suivi"), &[("suivre", "oui")]).status, 303);
    if let Some(d) = delivery {
        let settings = "/compte/notifications/reglages";
        assert_eq!(post(&mut c, server, settings, settings, &[("consultations", d.code())]).status, 303);
    }
    (p, c)
}

/// Staff close consultation `id` and publish its outcome.
fn publish_outcome(server: &TestServer, id: u64) {
    let agent = make_person(server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, server, &agent);
    let admin = format!("/admin/consultations/{id}");
    post(&mut staff, server, &admin, &format!("{admin}/cloturer"), &[]);
    let r =
        post(&mut staff, server, &admin, &format!("{admin}/bilan"), &[("said", "Samedi."), ("decided", "Le samedi.")]);
    assert_eq!(r.status, 303, "{}", r.body);
    fanned_out(server);
}

#[test]
fn a_followed_consultations_outcome_comes_at_once_in_the_digest_or_only_in_the_app_as_each_chose() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let (alix, _) = follower(&server, "alix@testville.test", id, Some(Delivery::Immediately));
    let (bea, _) = follower(&server, "bea@testville.test", id, None);
    let (camille, mut camille_client) = follower(&server, "camille@testville.test", id, Some(Delivery::Never));
    let (dominique, _) = follower(&server, "dominique@testville.test", id, Some(Delivery::Weekly));
    assert_eq!(
        notifications::settings(&*server.state().store.read().unwrap(), AccountId(bea.id))
            .unwrap()
            .delivery(Kind::Consultations),
        Delivery::Daily,
        "calm by default"
    );
    let before = parvis::domain::now_unix();
    publish_outcome(&server, id);

    // At once: one mail, its stop link for this kind and person.
    let to_alix = mail.nth_to("alix@testville.test", 1);
    assert_eq!(to_alix.header("Subject").unwrap(), "Résultats et décision : « Le marché » – Testville");
    assert!(to_alix.body().contains(&format!("/consultations/{id}#bilan")), "{}", to_alix.body());
    let link = link_in(&to_alix, "/compte/notifications/arreter?");
    assert!(link.contains(&format!("compte={}", alix.id)) && link.contains("type=consultations"), "{link}");
    assert_eq!(to_alix.header("List-Unsubscribe"), Some(format!("<{}>", server.at(&link))));
    let r = Client::new().post_form(&server.at(&link), &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let kind_of = |p: &Person, k: Kind| {
        notifications::settings(&*server.state().store.read().unwrap(), AccountId(p.id)).unwrap().delivery(k)
    };
    assert_eq!(kind_of(&alix, Kind::Consultations), Delivery::Never, "the link works");
    assert_eq!(kind_of(&alix, Kind::Proposals), Delivery::Daily, "that kind only");
    assert_eq!(kind_of(&bea, Kind::Consultations), Delivery::Daily, "that person only");

    // Daily, weekly and never: nothing at once.
    assert_eq!(mail.count_to("bea@testville.test"), 0);
    assert_eq!(mail.count_to("camille@testville.test"), 0);
    assert_eq!(mail.count_to("dominique@testville.test"), 0);
    let waiting = |p: &Person| digest::waiting(&*server.state().store.read().unwrap(), AccountId(p.id)).unwrap().len();
    assert_eq!((waiting(&bea), waiting(&camille), waiting(&dominique)), (1, 0, 1));

    // Daily: in the digest at the configured hour (driven with an explicit
    // time: two days later, past the hour whatever the hour now), under
    // its process's heading. The weekly one waits for its weekday.
    let schedule = digest::Schedule::from_config(&server.state().config);
    let later = before + 2 * 86_400;
    assert!(schedule.last_daily(later) > before);
    server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: "http://x".into() };
        digest::send_due(tx, &notifier, &schedule, later, 100)
    });
    let to_bea = mail.nth_to("bea@testville.test", 1);
    assert!(to_bea.header("Subject").unwrap().starts_with("Votre résumé"), "{:?}", to_bea.header("Subject"));
    assert!(to_bea.body().contains("Consultations"), "{}", to_bea.body());
    assert!(to_bea.body().contains("Résultats et décision : « Le marché »"), "{}", to_bea.body());
    assert!(to_bea.body().contains(&format!("/consultations/{id}#bilan")), "{}", to_bea.body());
    assert_eq!(waiting(&bea), 0, "sent once");
    if schedule.last_weekly(later) <= before {
        assert_eq!(waiting(&dominique), 1, "the weekly digest is not due yet");
    }

    // Never: no mail, but the app's list shows it.
    assert_eq!(mail.count_to("camille@testville.test"), 0);
    let list = camille_client.get(&server.at("/compte/notifications"));
    assert!(list.body.contains("Résultats et décision : « Le marché »"), "{}", list.body);
    assert!(list.body.contains(&format!("/consultations/{id}#bilan")), "{}", list.body);
    let told = consultations::told(&server.state().store.read().unwrap(), ConsultationId(id), AccountId(camille.id));
    assert_ne!(told.unwrap(), 0, "still following: only the email stopped");
    verify_clean(&server);
}

/// Publishing the outcome records one job, whatever the number of
/// followers; they are told after the commit, each once.
#[test]
fn the_outcome_is_told_after_the_commit_through_one_fan_out_job() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let people: Vec<Person> =
        (0..3).map(|i| follower(&server, &format!("suivi{i}@testville.test"), id, Some(Delivery::Never)).0).collect();
    publish_outcome(&server, id);
    for p in &people {
        let told = notifications::recent(&server.state().store.read().unwrap(), AccountId(p.id), 10).unwrap();
        assert_eq!(told.len(), 1, "each once");
        assert_eq!(
            told[0].1.event,
            notifications::Event::ConsultationOutcome { consultation: id, title: "Le marché".into(), update: false }
        );
    }
    let page = ConsultationId(id);
    let after =
        consultations::followers_after(&*server.state().store.read().unwrap(), page, Some(AccountId(people[0].id)), 10);
    assert_eq!(after.unwrap(), vec![AccountId(people[1].id), AccountId(people[2].id)]);
}
