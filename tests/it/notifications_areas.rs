//! The reports' area alerts (a followed neighbourhood or category) and a
//! meeting's minutes through the notifications: at once by mail with the
//! kind's stop link and the area's own, in the app, in the daily digest,
//! stopped by either link; the minutes told once to those registered.

use parvis::config::Value;
use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::meetings::{self, NewMinutes};
use parvis::domain::notifications::{self, digest, Delivery, Event, Kind};
use parvis::store::{Keyed, StoreError};

use crate::accounts::{link_in, post, Mailbox};
use crate::admin::{make_person, sign_in, Person};
use crate::meetings::{register, write_meeting};
use crate::notifications::fanned_out;
use crate::reports_alerts::file_in;
use crate::support::{Client, TestServer};

fn server_with_hoods(mail: &Mailbox) -> TestServer {
    let mut settings = mail.settings();
    settings.push(("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()])));
    TestServer::start_with(&settings)
}

/// Signs `who` in and follows each area from the reports' list, as the page does.
fn follow(server: &TestServer, who: &Person, areas: &[(&str, &str)]) -> Client {
    let mut c = Client::new();
    sign_in(&mut c, server, who);
    for (kind, code) in areas {
        let page = "/signalements";
        let r =
            post(&mut c, server, page, "/signalements/alertes", &[("type", kind), ("code", code), ("suivre", "oui")]);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    c
}

/// The mails queued for `email` so far, sent or not: what the fan-out wrote.
fn queued_to(server: &TestServer, email: &str) -> usize {
    let tx = server.state().store.read().unwrap();
    parvis::mail::outbox::recent(&tx, tx.keys(), 1000, "Testville").unwrap().iter().filter(|m| m.to == email).count()
}

fn delivery(server: &TestServer, who: &Person, kind: Kind) -> Delivery {
    notifications::settings(&*server.state().store.read().unwrap(), AccountId(who.id)).unwrap().delivery(kind)
}

#[test]
fn an_area_alert_comes_at_once_with_both_stop_links_is_in_the_app_and_each_link_stops_its_own() {
    let mail = Mailbox::start();
    let server = server_with_hoods(&mail);
    const FAN: &str = "voisine@testville.test";
    let fan = make_person(&server, FAN, "Voisine", Role::Resident, false);
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let mut f = follow(&server, &fan, &[("quartier", "Les Vignes"), ("categorie", "voirie")]);
    // The settings page offers the choice; she wants them at once.
    let settings = f.get(&server.at("/compte/notifications/reglages"));
    assert!(settings.body.contains(r#"name="quartiers""#), "{}", settings.body);
    let r = post(
        &mut f,
        &server,
        "/compte/notifications/reglages",
        "/compte/notifications/reglages",
        &[("quartiers", "immediat")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(delivery(&server, &fan, Kind::Areas), Delivery::Immediately);

    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let id = file_in(&mut a, &server, "voirie", "Les Vignes", "Un trou dans la chaussée devant le numéro 4.");
    let first = mail.nth_to(FAN, 1);
    assert!(first.header("Subject").unwrap().contains(&format!("Nouveau signalement n° {id}")));
    assert!(first.body().contains(&server.at(&format!("/signalements/{id}"))), "{}", first.body());
    // Two stop links: the kind's (also the List-Unsubscribe header), and the neighbourhood's.
    let kind_stop = link_in(&first, "/compte/notifications/arreter?");
    assert!(kind_stop.contains("type=quartiers") && kind_stop.contains(&format!("compte={}", fan.id)), "{kind_stop}");
    assert_eq!(first.header("List-Unsubscribe"), Some(format!("<{}>", server.at(&kind_stop))));
    let area_stop = link_in(&first, "/signalements/alertes/arreter?");
    assert!(area_stop.contains("type=quartier&") && area_stop.contains("Vignes"), "{area_stop}");
    assert!(first.body().contains("quartier « Les Vignes » seulement"), "{}", first.body());
    assert_eq!(mail.count_to("auteur@testville.test"), 0, "the author is not alerted of their own report");

    // In the app: listed, unread, with a link to the report.
    let list = f.get(&server.at("/compte/notifications"));
    assert!(list.body.contains(&format!("Nouveau signalement n° {id}")), "{}", list.body);
    assert!(list.body.contains(&format!(r#"href="/signalements/{id}""#)));
    assert!(f.get(&server.at("/")).body.contains("Notifications (1"));

    // The area's own link stops the neighbourhood only (GET shows, POST does).
    let mut v = Client::new();
    let shown = v.get(&server.at(&area_stop));
    assert_eq!(shown.status, 200, "{}", shown.body);
    let field = |name| crate::support::hidden_field(&shown.body, name).unwrap();
    let fields = [("compte", field("compte")), ("type", field("type")), ("code", field("code")), ("cle", field("cle"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&mut v, &server, &area_stop, "/signalements/alertes/arreter", &fields).status, 303);
    let account = f.get(&server.at("/compte/notifications"));
    assert!(!account.body.contains("<li>Les Vignes") && account.body.contains("Voirie / nid-de-poule"));
    let tx = server.state().store.read().unwrap();
    let hood = parvis::domain::reports::Area::Neighbourhood("Les Vignes".into());
    assert!(!parvis::domain::reports::follows_area(&tx, AccountId(fan.id), &hood).unwrap());
    drop(tx);
    // Les Vignes but another category: nothing; the category still followed: a mail.
    let other = file_in(&mut a, &server, "proprete", "Les Vignes", "Des sacs d'ordures au pied du mur.");
    let again = file_in(&mut a, &server, "voirie", "Centre", "Une plaque d'égout descellée qui claque.");
    let second = mail.nth_to(FAN, 2);
    assert!(second.header("Subject").unwrap().contains(&format!("n° {again}")), "not {other}");
    assert!(second.body().contains("catégorie « Voirie / nid-de-poule » seulement"), "{}", second.body());
    assert!(link_in(&second, "/signalements/alertes/arreter?").contains("type=categorie&code=voirie"));

    // The kind's link, one click without a sign-in: no more alert mails,
    // the next is in the app only; the category is still followed.
    let r = Client::new().post_form(&server.at(&kind_stop), &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(delivery(&server, &fan, Kind::Areas), Delivery::Never);
    let third = file_in(&mut a, &server, "voirie", "Centre", "Un nid-de-poule rue Haute, profond.");
    fanned_out(&server);
    let told = notifications::recent(&server.state().store.read().unwrap(), AccountId(fan.id), 10).unwrap();
    assert!(matches!(&told[0].1.event, Event::AreaReport { report, .. } if *report == third), "{told:?}");
    assert_eq!(told.len(), 3);
    assert_eq!(queued_to(&server, FAN), 2, "no mail for the third");
    crate::reports::verify_clean(&server);
}

#[test]
fn an_area_alert_waits_for_the_daily_digest_by_default_listed_with_the_reports() {
    let mail = Mailbox::start();
    let server = server_with_hoods(&mail);
    const FAN: &str = "resume@testville.test";
    let fan = make_person(&server, FAN, "Voisin", Role::Resident, false);
    let author = make_person(&server, "auteur2@testville.test", "Auteur", Role::Resident, false);
    follow(&server, &fan, &[("quartier", "Centre")]);
    assert_eq!(delivery(&server, &fan, Kind::Areas), Delivery::Daily, "the default of what one follows");
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let id = file_in(&mut a, &server, "eclairage", "Centre", "Le lampadaire de la place clignote la nuit.");
    fanned_out(&server);
    assert_eq!(queued_to(&server, FAN), 0, "not at once");
    assert_eq!(digest::waiting(&*server.state().store.read().unwrap(), AccountId(fan.id)).unwrap().len(), 1);

    let later = parvis::domain::now_unix() + 2 * 86_400;
    let schedule = digest::Schedule::from_config(&server.state().config);
    let base = server.url.clone();
    let sent = server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: base.clone() };
        digest::send_due(tx, &notifier, &schedule, later, 100)
    });
    assert_eq!(sent, 1);
    let got = mail.nth_to(FAN, 1);
    assert!(got.header("Subject").unwrap().contains("Votre résumé : 1 nouvelle"), "{:?}", got.header("Subject"));
    let body = got.body();
    assert!(body.contains("Signalements") && body.contains(&format!("Nouveau signalement n° {id}")), "{body}");
    assert!(body.contains(&server.at(&format!("/signalements/{id}"))), "{body}");
    assert!(got.header("List-Unsubscribe").unwrap().contains("type=resumes"));
}

#[test]
fn published_minutes_reach_a_registrant_once_and_a_correction_is_not_news_again() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-03-28", None, Some(10), true);
    const ALIX: &str = "alix-cr@testville.test";
    let alix = make_person(&server, ALIX, "Alix", Role::Resident, false);
    let account = AccountId(alix.id);
    server.write(move |tx| notifications::save_settings(tx, account, &[(Kind::Meetings, Delivery::Immediately)]));
    let mut c = Client::new();
    sign_in(&mut c, &server, &alix);
    assert_eq!(register(&mut c, &server, id.get(), None).status, 303);
    assert!(mail.nth_to(ALIX, 1).header("Subject").is_some(), "the registration's confirmation");

    let after = meetings::local_instant("2027-03-29", "10:00").unwrap();
    let write = |text: &'static str| server_write_minutes(&server, id, text, after);
    write("Quarante habitants sont venus.");
    fanned_out(&server);
    let told = mail.nth_to(ALIX, 2);
    assert!(
        told.header("Subject").unwrap().contains("Compte rendu en ligne : Réunion du 2027-03-28"),
        "{:?}",
        told.header("Subject")
    );
    assert!(told.body().contains(&server.at(&format!("/rendez-vous/{id}"))), "{}", told.body());
    assert!(told.header("List-Unsubscribe").unwrap().contains("type=rendez-vous"));

    // A correction: no new job, no second notification.
    write("Quarante-deux habitants sont venus.");
    assert!(notifications::fanout::pending(&*server.state().store.read().unwrap()).unwrap().is_empty());
    let list = notifications::recent(&server.state().store.read().unwrap(), account, 10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(matches!(&list[0].1.event, Event::MinutesPublished { meeting, .. } if *meeting == id.get()));
    assert_eq!(queued_to(&server, ALIX), 2);
    crate::reports::verify_clean(&server);
}

fn server_write_minutes(server: &TestServer, id: meetings::MeetingId, text: &'static str, now: i64) {
    server.write(move |tx| {
        let new = NewMinutes { text: text.into(), ..NewMinutes::default() };
        meetings::write_minutes(tx, &Actor::command_line(), id, &new, now)
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
}
