//! News of a meeting one registered for (a change of time or place, a
//! cancellation) through the notification settings; the transactional
//! mails (the registration's confirmation) leave at once whatever they say,
//! and a visitor without an account, who has no settings, is mailed at once.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::meetings;
use parvis::domain::notifications::{self, digest, Delivery, Event, Kind};
use parvis::domain::now_unix;
use parvis::store::StoreError;

use crate::accounts::{link_in, Mailbox};
use crate::admin::{make_person, sign_in, Person};
use crate::meetings::{register, register_visitor, write_meeting};
use crate::support::{Client, TestServer};

fn registered(server: &TestServer, mail: &Mailbox, email: &str, id: u64, delivery: Option<Delivery>) -> Person {
    let p = make_person(server, email, "Habitant", Role::Resident, false);
    if let Some(d) = delivery {
        let account = AccountId(p.id);
        server.write(move |tx| notifications::save_settings(tx, account, &[(Kind::Meetings, d)]).map(|_| ()));
    }
    let mut c = Client::new();
    sign_in(&mut c, server, &p);
    assert_eq!(register(&mut c, server, id, None).status, 303);
    // The confirmation is transactional: at once, even for « never ».
    assert!(mail.nth_to(email, 1).header("Subject").is_some());
    p
}

#[test]
fn a_cancelled_meeting_reaches_registrants_as_each_chose_and_visitors_at_once() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-03-28", None, Some(10), true);
    let alix = registered(&server, &mail, "alix@testville.test", id.get(), Some(Delivery::Immediately));
    let bea = registered(&server, &mail, "bea@testville.test", id.get(), None);
    let camille = registered(&server, &mail, "camille@testville.test", id.get(), Some(Delivery::Never));
    let mut v = Client::new();
    register_visitor(&mut v, &server, &mail, id.get(), "Eden", "eden@testville.test");
    // Her two mails so far: the link to confirm, then her seat.
    assert!(mail.nth_to("eden@testville.test", 2).header("Subject").is_some());

    let before = now_unix();
    server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: "http://x".into() };
        meetings::cancel(tx, &notifier, &Actor::command_line(), id, before)
            .map_err(|e| StoreError::Internal(e.to_string()))
    });

    // At once: the notification's mail, with the stop link of this kind.
    let to_alix = mail.nth_to("alix@testville.test", 2);
    assert!(to_alix.header("Subject").unwrap().contains("Rendez-vous annulé"), "{:?}", to_alix.header("Subject"));
    let link = link_in(&to_alix, "/compte/notifications/arreter?");
    assert!(link.contains(&format!("compte={}", alix.id)) && link.contains("type=rendez-vous"), "{link}");
    assert!(to_alix.header("List-Unsubscribe").unwrap().contains("type=rendez-vous"));
    // A visitor, who has no settings: mailed at once, as before.
    let to_eden = mail.nth_to("eden@testville.test", 3);
    assert!(to_eden.header("Subject").unwrap().contains("Rendez-vous annulé"));

    // Daily (the default): waits for the digest, listed under « Rendez-vous ».
    assert_eq!(mail.count_to("bea@testville.test"), 1, "the confirmation only");
    let schedule = digest::Schedule::from_config(&server.state().config);
    let later = before + 2 * 86_400;
    server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: "http://x".into() };
        digest::send_due(tx, &notifier, &schedule, later, 100)
    });
    let to_bea = mail.nth_to("bea@testville.test", 2);
    assert!(to_bea.header("Subject").unwrap().starts_with("Votre résumé"), "{:?}", to_bea.header("Subject"));
    assert!(to_bea.body().contains("Rendez-vous annulé : Réunion du 2027-03-28"), "{}", to_bea.body());
    assert!(to_bea.body().contains(&format!("/rendez-vous/{id}")), "{}", to_bea.body());

    // Never: no mail, the app's list has it.
    assert_eq!(mail.count_to("camille@testville.test"), 1, "the confirmation only");
    let told = notifications::recent(&server.state().store.read().unwrap(), AccountId(camille.id), 10).unwrap();
    assert_eq!(told.len(), 1);
    assert!(matches!(told[0].1.event, Event::MeetingChanged { cancelled: true, .. }), "{:?}", told[0].1.event);
    assert_eq!(
        notifications::recent(&server.state().store.read().unwrap(), AccountId(bea.id), 10).unwrap().len(),
        1,
        "in the app too"
    );
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
