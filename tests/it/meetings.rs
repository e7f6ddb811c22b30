//! Meetings over real HTTP with mail through the SMTP sink: staff write and
//! publish a meeting without JavaScript; people register until it is full,
//! then join the waiting list; a cancellation through the mailed link
//! promotes the first waiting person, who is mailed; a forged link is
//! refused; registrations sent at once never seat more than the seats; the
//! .ics files parse with a real iCalendar parser and carry the right
//! instants on both sides of a daylight-saving change; the reminder leaves
//! once.

use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventStatus};
use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::meetings::{self, Accessibility, Details, Kind, MeetingError, MeetingId, Spot, Who};
use parvis::domain::notifications::Notifier;
use parvis::domain::now_unix;
use parvis::store::StoreError;

use crate::accounts::{link_in, post, Mailbox};
use crate::admin::{make_person, sign_in};
use crate::support::{hidden_field, Client, Resp, TestServer};

fn verify_clean(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn internal(e: MeetingError) -> StoreError {
    StoreError::Internal(e.to_string())
}

fn hoods() -> (&'static str, Value) {
    ("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))
}

/// Registers on the meeting's page as a visitor (`who` is a name and an
/// address) or as whoever `c` is signed in as.
pub fn register(c: &mut Client, server: &TestServer, id: u64, who: Option<(&str, &str)>) -> Resp {
    let page = format!("/rendez-vous/{id}");
    let action = format!("/rendez-vous/{id}/inscrire");
    match who {
        Some((name, email)) => post(c, server, &page, &action, &[("name", name), ("email", email)]),
        None => post(c, server, &page, &action, &[]),
    }
}

/// Registers a visitor on the meeting's page, then follows the link mailed
/// to them as a browser does (GET shows, POST confirms): returns the answer
/// to the confirmation, a redirect to their registration's page.
pub fn register_visitor(c: &mut Client, server: &TestServer, mail: &Mailbox, id: u64, name: &str, email: &str) -> Resp {
    let before = mail.count_to(email);
    let r = register(c, server, id, Some((name, email)));
    assert_eq!(r.status, 303, "{}", r.body);
    let asked = mail.nth_to(email, before + 1);
    confirm_link(c, server, id, &link_in(&asked, &format!("/rendez-vous/{id}/confirmer?p=")))
}

/// Follows a confirmation link: its page, then its button.
pub fn confirm_link(c: &mut Client, server: &TestServer, id: u64, link: &str) -> Resp {
    let query = link.split_once('?').unwrap().1.to_string();
    let field = |name: &str| {
        query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or_default().to_string()
    };
    let (p, cle) = (field("p"), field("cle"));
    post(c, server, link, &format!("/rendez-vous/{id}/confirmer"), &[("p", &p), ("cle", &cle)])
}

/// A meeting written straight through the domain, published unless asked.
pub fn write_meeting(
    server: &TestServer,
    date: &str,
    hood: Option<&str>,
    seats: Option<u32>,
    publish: bool,
) -> MeetingId {
    let details = Details {
        title: format!("Réunion du {date}"),
        kind: Kind::PublicMeeting,
        starts_at: meetings::local_instant(date, "18:30").unwrap(),
        ends_at: meetings::local_instant(date, "20:00").unwrap(),
        address: "Salle des fêtes, 1 place de la Mairie".into(),
        coords: Some((45.1885, 5.7245)),
        online_url: String::new(),
        neighbourhood: hood.map(str::to_string),
        agenda: "Ordre du jour ; questions, réponses".into(),
        accessibility: Accessibility::default(),
        organiser: "Mairie".into(),
        registration: seats.is_some(),
        seats,
    };
    let places = server.state().config.commune.neighbourhoods.clone();
    server.write(move |tx| {
        let run = || {
            let actor = Actor::command_line();
            let id = meetings::create(tx, &places, &actor, &details, now_unix())?;
            if publish {
                meetings::publish(tx, &actor, id, now_unix())?;
            }
            Ok::<_, MeetingError>(id)
        };
        run().map_err(internal)
    })
}

#[test]
fn staff_publish_people_register_until_full_and_a_cancellation_promotes_the_first_waiting() {
    let mail = Mailbox::start();
    let mut settings = mail.settings();
    settings.push(hoods());
    let server = TestServer::start_with(&settings);
    let agent = make_person(&server, "agent-rdv@testville.test", "Agent", Role::Staff, true);
    let camille = make_person(&server, "camille-rdv@testville.test", "Camille", Role::Resident, false);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);

    // Staff write it without JavaScript: a refused form says which field.
    let form = |end: &'static str, url: &'static str| {
        vec![
            ("title", "Atelier du square des Tilleuls"),
            ("kind", "workshop"),
            ("date", "2027-03-28"),
            ("start", "18:30"),
            ("end", end),
            ("address", "Salle des fêtes, 1 place de la Mairie"),
            ("lat", ""),
            ("lon", ""),
            ("online_url", url),
            ("neighbourhood", "Centre"),
            ("agenda", "1. Accueil\n2. **Ateliers**"),
            ("step_free", "on"),
            ("hearing_loop", "on"),
            ("accessibility_note", "Salle au rez-de-chaussée."),
            ("organiser", "Service urbanisme"),
            ("registration", "on"),
            ("seats", "2"),
        ]
    };
    let bad = post(
        &mut s,
        &server,
        "/admin/rendez-vous/nouveau",
        "/admin/rendez-vous/nouveau",
        &form("20:30", "http://visio.example/x"),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("https://") && bad.body.contains("href=\"#online_url\""), "{}", bad.body);
    let created = post(&mut s, &server, "/admin/rendez-vous/nouveau", "/admin/rendez-vous/nouveau", &form("20:30", ""));
    assert_eq!(created.status, 303, "{}", created.body);
    let admin_path = created.header("location").unwrap().to_string();
    let id: u64 = admin_path.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(Client::new().get(&server.at(&format!("/rendez-vous/{id}"))).status, 404, "a draft is staff's");
    let r = post(&mut s, &server, &admin_path, &format!("{admin_path}/publier"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);

    // The public page: local time, place, agenda, accessibility, seats.
    let mut v1 = Client::new();
    let page = v1.get(&server.at(&format!("/rendez-vous/{id}")));
    assert_eq!(page.status, 200);
    for expected in
        ["dimanche 28/03/2027, de 18:30 à 20:30", "Boucle magnétique", "<strong>Ateliers</strong>", "Il reste 2 places"]
    {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let list = v1.get(&server.at("/rendez-vous"));
    assert!(list.body.contains("Atelier du square des Tilleuls"), "{}", list.body);
    assert!(v1.get(&server.at("/")).body.contains("Prochains rendez-vous"));

    // Camille, signed in, takes the first seat; a visitor the second.
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let r = register(&mut c, &server, id, None);
    assert_eq!(r.status, 303, "{}", r.body);
    let camille_page = c.get(&server.at(r.header("location").unwrap()));
    assert!(camille_page.body.contains("une place vous est réservée"), "{}", camille_page.body);
    // In her copy of her data, with its code.
    let data: serde_json::Value = serde_json::from_str(&c.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    let theirs = &data["meeting_registrations"][0];
    assert_eq!((theirs["meeting"]["id"].as_u64(), theirs["spot"].as_str()), (Some(id), Some("seated")), "{data}");
    assert!(camille_page.body.contains(theirs["code"].as_str().unwrap()));
    let data_page = c.get(&server.at("/compte/mes-donnees"));
    assert!(
        data_page.body.contains("Mes inscriptions aux rendez-vous")
            && data_page.body.contains(theirs["code"].as_str().unwrap()),
        "{}",
        data_page.body
    );
    let r = register_visitor(&mut v1, &server, &mail, id, "Dominique", "dominique@testville.test");
    assert_eq!(r.status, 303, "{}", r.body);
    let mut v2 = Client::new();
    let r = register_visitor(&mut v2, &server, &mail, id, "Eden", "eden@testville.test");
    assert_eq!(r.status, 303, "{}", r.body);
    let eden_page = v2.get(&server.at(r.header("location").unwrap()));
    assert!(eden_page.body.contains("liste d'attente"), "{}", eden_page.body);
    // Once is enough for an address.
    let again = register(&mut Client::new(), &server, id, Some(("Dominique", "Dominique@testville.test")));
    assert_eq!(again.status, 422, "{}", again.body);

    // Mails: each with its code; the address is sealed at rest.
    let dominique_mail = mail.nth_to("dominique@testville.test", 2);
    assert!(
        dominique_mail.header("Subject").unwrap().contains("Inscription confirmée"),
        "{:?}",
        dominique_mail.header("Subject")
    );
    let eden_mail = mail.nth_to("eden@testville.test", 2);
    assert!(eden_mail.header("Subject").unwrap().contains("Liste d'attente"));
    {
        use redb::ReadableTable;
        let tx = server.state().store.read().unwrap();
        let table = tx.open_table(meetings::tables::MEETING_REGISTRATION_BY_MEETING_NUMBER).unwrap();
        for row in table.iter().unwrap() {
            let bytes = row.unwrap().1.value().to_vec();
            assert!(!String::from_utf8_lossy(&bytes).contains("testville.test"), "an address in clear");
        }
    }

    // A forged link, or one moved to another registration, is refused.
    let link = link_in(&dominique_mail, &format!("/rendez-vous/{id}/inscription?n="));
    let forged = link.replace("cle=", "cle=0");
    assert_eq!(Client::new().get(&server.at(&forged)).status, 410);
    let moved = link.replace("n=2", "n=3");
    assert_ne!(moved, link);
    assert_eq!(Client::new().get(&server.at(&moved)).status, 410);
    let cle = link.split("cle=").nth(1).unwrap().to_string();
    let mut other = Client::new();
    let forged_post = post(
        &mut other,
        &server,
        &format!("/rendez-vous/{id}"),
        &format!("/rendez-vous/{id}/inscription"),
        &[("n", "3"), ("cle", &cle)],
    );
    assert_eq!(forged_post.status, 410, "{}", forged_post.body);

    // The real link, from a browser without a session: GET shows, POST cancels.
    let mut d = Client::new();
    let shown = d.get(&server.at(&link));
    assert_eq!(shown.status, 200, "{}", shown.body);
    let code = hidden_field(&shown.body, "cle").unwrap();
    assert_eq!(code, cle);
    let r = post(&mut d, &server, &link, &format!("/rendez-vous/{id}/inscription"), &[("n", "2"), ("cle", &cle)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.get(&server.at(&link)).status, 409, "cancelled once");
    let promoted = mail.nth_to("eden@testville.test", 3);
    assert!(
        promoted.header("Subject").unwrap().contains("Une place s'est libérée"),
        "{:?}",
        promoted.header("Subject")
    );
    assert!(v2
        .get(&server.at(&link_in(&promoted, &format!("/rendez-vous/{id}/inscription?n="))))
        .body
        .contains("une place vous est réservée"));

    // Staff's attendance list: the seated, by name and code; marked at the door.
    let list_path = format!("/admin/rendez-vous/{id}/presence");
    let list = s.get(&server.at(&list_path));
    assert!(
        list.body.contains("Camille") && list.body.contains("Eden") && !list.body.contains("Dominique"),
        "{}",
        list.body
    );
    let r = post(&mut s, &server, &list_path, &list_path, &[("n", "3"), ("venu", "oui")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(s.get(&server.at(&list_path)).body.contains("1 venu(s) sur 2 inscrit(s)"));
    assert_eq!(Client::new().get(&server.at(&list_path)).status, 303, "staff only: sign in first");

    // A later end is mailed to those registered; the agenda's wording is not.
    // Camille chose to hear of her meetings at once (the default, a daily
    // digest, is checked in notifications_meetings); Eden, without an
    // account, is always mailed at once.
    let camille_id = parvis::domain::accounts::AccountId(camille.id);
    server.write(move |tx| {
        use parvis::domain::notifications::{self, Delivery, Kind};
        notifications::save_settings(tx, camille_id, &[(Kind::Meetings, Delivery::Immediately)]).map(|_| ())
    });
    let mut moved = form("21:00", "");
    let r = post(&mut s, &server, &admin_path, &admin_path, &moved);
    assert_eq!(r.status, 303, "{}", r.body);
    let changed = mail.nth_to("eden@testville.test", 4);
    assert!(changed.header("Subject").unwrap().contains("Changement d'horaire"), "{:?}", changed.header("Subject"));
    assert!(changed.body().contains("28/03/2027 18:30"), "{}", changed.body());
    moved[10] = ("agenda", "1. Accueil\n2. **Ateliers** et goûter");
    assert_eq!(post(&mut s, &server, &admin_path, &admin_path, &moved).status, 303);
    assert!(s.get(&server.at(&format!("/rendez-vous/{id}"))).body.contains("de 18:30 à 21:00"));

    // Cancelled by staff: still listed as cancelled, both registrants mailed.
    let r = post(&mut s, &server, &admin_path, &format!("{admin_path}/annuler"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let told = mail.nth_to("eden@testville.test", 5);
    assert!(
        told.header("Subject").unwrap().contains("Rendez-vous annulé"),
        "the agenda's change was not mailed: {:?}",
        told.header("Subject")
    );
    assert!(mail.nth_to("camille-rdv@testville.test", 3).header("Subject").unwrap().contains("Rendez-vous annulé"));
    assert!(Client::new().get(&server.at("/rendez-vous")).body.contains("Annulé"));
    verify_clean(&server);
}

#[test]
fn registrations_sent_at_once_never_seat_more_than_the_seats_and_a_script_is_slowed() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-06-12", None, Some(3), true);
    let (server_ref, mail_ref) = (&server, &mail);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|n| {
                scope.spawn(move || {
                    let mut c = Client::new();
                    let email = format!("voisin{n}@testville.test");
                    let r = register_visitor(&mut c, server_ref, mail_ref, id.get(), "Voisin", &email);
                    assert_eq!(r.status, 303, "{}", r.body);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let all = meetings::registrations(&server.state().store.read().unwrap(), id).unwrap();
    assert_eq!(all.len(), 10);
    assert_eq!(all.iter().filter(|r| r.spot == Spot::Seated).count(), 3);
    assert_eq!(all.iter().filter(|r| r.spot == Spot::Waiting).count(), 7);
    // An eleventh from the same connection waits: a script does not take every seat.
    let r = register(&mut Client::new(), &server, id.get(), Some(("Voisin", "voisin10@testville.test")));
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    verify_clean(&server);
}

/// The events of an .ics body, parsed by `icalendar`: (UID, start, end, status).
fn events(body: &str) -> Vec<(String, i64, i64, Option<EventStatus>, String)> {
    let unfolded = icalendar::parser::unfold(body);
    let calendar: icalendar::Calendar = icalendar::parser::read_calendar(&unfolded).unwrap().into();
    let utc = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t.timestamp(),
        other => panic!("not a UTC time: {other:?}"),
    };
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            (
                e.get_uid().unwrap().to_string(),
                utc(e.get_start()),
                utc(e.get_end()),
                e.get_status(),
                e.get_summary().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn at(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_second()
}

#[test]
fn ical_files_parse_back_with_the_right_instants_across_daylight_saving() {
    let server = TestServer::start_with(&[hoods()]);
    // The evenings before and after each change of 2027 (28 March, 31 October).
    let winter = write_meeting(&server, "2027-03-27", Some("Centre"), None, true);
    let summer = write_meeting(&server, "2027-03-28", Some("Les Vignes"), None, true);
    let october = write_meeting(&server, "2027-10-30", None, None, true);
    let back = write_meeting(&server, "2027-10-31", Some("Centre"), None, true);
    let draft = write_meeting(&server, "2027-11-02", None, None, false);
    server.write(move |tx| {
        let notifier = Notifier { base_url: "https://x.test".into() };
        meetings::cancel(tx, &notifier, &Actor::command_line(), back, now_unix()).map_err(internal)
    });

    let mut c = Client::new();
    let one = c.get(&server.at(&format!("/rendez-vous/{summer}.ics")));
    assert_eq!(one.status, 200);
    assert!(one.header("content-type").unwrap().starts_with("text/calendar"), "{:?}", one.header("content-type"));
    let parsed = events(&one.body);
    assert_eq!(parsed.len(), 1);
    assert_eq!((parsed[0].1, parsed[0].2), (at("2027-03-28T16:30:00Z"), at("2027-03-28T18:00:00Z")));
    assert_eq!(parsed[0].4, "Réunion du 2027-03-28");

    let feed = c.get(&server.at("/rendez-vous.ics"));
    assert_eq!(feed.status, 200);
    assert!(feed.body.contains("\r\n") && feed.body.lines().all(|l| l.len() <= 76), "CRLF, folded");
    let all = events(&feed.body);
    assert_eq!(all.len(), 4, "the draft is not in it: {:?}", all);
    let starts: Vec<i64> = all.iter().map(|e| e.1).collect();
    assert_eq!(
        starts,
        [
            at("2027-03-27T17:30:00Z"),
            at("2027-03-28T16:30:00Z"),
            at("2027-10-30T16:30:00Z"),
            at("2027-10-31T17:30:00Z")
        ],
        "18:30 in Paris each evening"
    );
    assert_eq!(all[3].3, Some(EventStatus::Cancelled));
    assert_eq!(all[0].3, Some(EventStatus::Confirmed));
    let again = events(&c.get(&server.at("/rendez-vous.ics")).body);
    assert_eq!(
        again.iter().map(|e| &e.0).collect::<Vec<_>>(),
        all.iter().map(|e| &e.0).collect::<Vec<_>>(),
        "stable UIDs"
    );
    assert!(all[0].0.contains(&format!("meeting-{winter}@")));

    // One neighbourhood: its own and the whole commune's.
    let centre = events(&c.get(&server.at("/rendez-vous.ics?quartier=Centre")).body);
    let ids: Vec<String> = centre.iter().map(|e| e.0.clone()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(!ids.iter().any(|u| u.starts_with(&format!("meeting-{summer}@"))));
    assert!(ids.iter().any(|u| u.starts_with(&format!("meeting-{october}@"))));
    assert_eq!(c.get(&server.at("/rendez-vous.ics?quartier=Ailleurs")).status, 404);
    assert_eq!(c.get(&server.at(&format!("/rendez-vous/{draft}.ics"))).status, 404);
    assert!(c.get(&server.at("/rendez-vous")).body.contains(r#"href="/rendez-vous.ics""#));
    // A place with coordinates gets the map, and the address as its text.
    let page = c.get(&server.at(&format!("/rendez-vous/{summer}")));
    assert!(
        page.body.contains("Carte du lieu du rendez-vous") && page.body.contains("data-point-lat=\"45.1885\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(r#"href="/rendez-vous/{summer}.ics""#)));
}

#[test]
fn the_reminder_leaves_once_the_day_before_even_across_a_restart() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-05-20", None, Some(10), true);
    let start = meetings::get(&server.state().store.read().unwrap(), id).unwrap().unwrap().starts_at;
    let notifier = Notifier { base_url: server.url.clone() };
    let n = notifier.clone();
    server.write(move |tx| {
        let who =
            Who::Visitor { name: "Fatou".into(), email: "fatou@testville.test".into(), lang: parvis::i18n::Lang::En };
        let asked = meetings::register(tx, &n, id, &who, now_unix()).map_err(internal)?;
        let meetings::Outcome::ConfirmationSent { confirm_path, .. } = asked else {
            return Err(StoreError::Internal("a visitor registered without confirming".into()));
        };
        let query = confirm_path.split_once('?').unwrap().1;
        let (p, cle) = query.split_once('&').unwrap();
        let (p, cle) = (p.strip_prefix("p=").unwrap(), cle.strip_prefix("cle=").unwrap());
        meetings::confirm(tx, &n, id, p, cle, now_unix()).map_err(internal)
    });
    let remind = |now: i64| {
        let n = notifier.clone();
        server.write(move |tx| meetings::send_reminders(tx, &n, now, 500))
    };
    assert_eq!(remind(start - 2 * 86_400), 0, "not two days before");
    assert_eq!(remind(start - 86_400 + 3600), 1);
    assert_eq!(remind(start - 3600), 0, "recorded: never twice");
    let reminder = mail.nth_to("fatou@testville.test", 3);
    assert!(
        reminder.header("Subject").unwrap().contains("Reminder"),
        "in the registrant's language: {:?}",
        reminder.header("Subject")
    );
    assert!(reminder.body().contains("20/05/2027 18:30"), "in the commune's time: {}", reminder.body());
    verify_clean(&server);

    // Parvis restarts: what was sent is in the file, nothing leaves again.
    let url = server.url.clone();
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    let state = parvis::server::prepare(crate::support::config_for(dir.path(), &url, &mail.settings())).unwrap();
    let again =
        state.store.writer().write_blocking(move |tx| meetings::send_reminders(tx, &notifier, start - 1800, 500));
    assert_eq!(again.unwrap(), 0, "not after a restart either");
    assert_eq!(mail.count_to("fatou@testville.test"), 3);
}

#[test]
fn an_erased_account_frees_its_seat_for_the_first_waiting_at_the_next_pass() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-06-19", None, Some(1), true);
    let gabriel = make_person(&server, "gabriel-rdv@testville.test", "Gabriel", Role::Resident, false);
    let mut g = Client::new();
    sign_in(&mut g, &server, &gabriel);
    assert_eq!(register(&mut g, &server, id.get(), None).status, 303);
    assert_eq!(
        register_visitor(&mut Client::new(), &server, &mail, id.get(), "Hana", "hana@testville.test").status,
        303
    );

    let r = post(&mut g, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let all = meetings::registrations(&server.state().store.read().unwrap(), id).unwrap();
    assert_eq!((all[0].who.clone(), all[0].spot), (None, Spot::Cancelled), "nothing leads to Gabriel");

    // The hourly pass gives the seat and says so.
    let n = Notifier { base_url: server.url.clone() };
    assert_eq!(server.write(move |tx| meetings::promote_waiting(tx, &n, now_unix())), 1);
    let promoted = mail.nth_to("hana@testville.test", 3);
    assert!(
        promoted.header("Subject").unwrap().contains("Une place s'est libérée"),
        "{:?}",
        promoted.header("Subject")
    );
    verify_clean(&server);
}
