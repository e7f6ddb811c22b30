//! A category sent to another system by Open311, tested against Parvis's
//! own Open311 server as the other side: instance A sends its road reports
//! to instance B's `/open311/v2` with B's API key; the report filed on A
//! appears on B; B's staff change its status with a note; A's timeline
//! shows it, and A's staff see where and when it was sent.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::ids::ReportId;
use parvis::domain::notifications::Notifier;
use parvis::domain::reports;

use crate::admin::{make_person, sign_in};
use crate::reports::{details, id_of, place, verify_clean, CENTRE};
use crate::support::{Client, TestServer};

const B_KEY: &str = "0123456789abcdef0123456789abcdef-commune-a";

fn table(fields: &[(&str, &str)]) -> BTreeMap<String, Value> {
    fields.iter().map(|(k, v)| (k.to_string(), Value::Text(v.to_string()))).collect()
}

/// Waits, a bounded time, until `found` gives something.
fn eventually<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = found() {
            return v;
        }
        assert!(Instant::now() < deadline, "{what} did not happen in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Staff of `server` change report `id`'s status with a public note.
fn change_status(server: &TestServer, staff: parvis::domain::ids::AccountId, id: u64, status: &str, note: &str) {
    let state = server.state().clone();
    let (status, note) = (status.to_string(), note.to_string());
    server.write(move |tx| {
        let n = Notifier { base_url: state.config.server.public_url.to_string() };
        let actor = Actor::person(staff, "127.0.0.1");
        reports::change_status(tx, &state.config, &n, &actor, ReportId(id), &status, &note, None, 1_900_000_000)
            .map(|_| ())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
}

#[test]
fn a_report_sent_by_open311_reaches_the_other_parvis_and_its_updates_come_back() {
    // B: the intercommunality's Parvis, taking reports from A with A's key.
    let b = TestServer::start_with(&[(
        "open311.clients",
        Value::Tables(vec![table(&[("name", "Commune A"), ("api_key", B_KEY)])]),
    )]);
    let endpoint = b.at("/open311/v2");
    // A: its road reports go to B's "voirie" service; read back every second.
    let a = TestServer::start_with(&[
        (
            "reports.categories",
            Value::Tables(vec![
                table(&[
                    ("code", "voirie"),
                    ("name", "Voirie"),
                    ("service", "technique"),
                    ("send", "open311"),
                    ("endpoint", &endpoint),
                    ("api_key", B_KEY),
                    ("service_code", "voirie"),
                ]),
                table(&[("code", "eclairage"), ("name", "Éclairage"), ("service", "technique")]),
            ]),
        ),
        ("reports.open311_poll_secs", Value::Integer(1)),
    ]);
    let resident = make_person(&a, "camille@a.test", "Camille", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &a, &resident);
    let step2 = place(&mut c, &a, "voirie", "3 rue des Lilas", CENTRE);
    let text = "Un nid-de-poule profond devant l'école de la commune A.";
    let r = details(&mut c, &a, &step2, text, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let on_a = id_of(&r);

    // It appears on B, filed by "Commune A", and A keeps B's number.
    let on_b = eventually("the report on B", || {
        let tx = b.state().store.read().unwrap();
        let q = reports::open311::RequestsQuery::default();
        reports::open311::requests(&tx, &b.state().config.reports, &q)
            .unwrap()
            .into_iter()
            .find(|r| r.description == text)
    });
    assert_eq!(on_b.author, reports::Author::Open311 { client: "Commune A".into() });
    assert_eq!(on_b.address.as_deref(), Some("3 rue des Lilas"));
    let sent = eventually("B's number on A", || {
        reports::send::sending(&a.state().store.read().unwrap(), ReportId(on_a))
            .unwrap()
            .filter(|s| s.external_id.is_some())
    });
    assert_eq!(sent.external_id, Some(on_b.id.get().to_string()));
    assert_eq!(sent.endpoint, endpoint);
    assert!(sent.sent_at.is_some() && sent.last_error.is_none());

    // B's staff answer: a note while open, then fixed with a note.
    let staff_b = make_person(&b, "agent@b.test", "Agent B", Role::Staff, false);
    change_status(
        &b,
        parvis::domain::ids::AccountId(staff_b.id),
        on_b.id.get(),
        "investigating",
        "Une équipe passe demain.",
    );
    let timeline_has = |needle: &str| {
        let tx = a.state().store.read().unwrap();
        reports::timeline(&tx, ReportId(on_a)).unwrap().iter().any(|u| u.text == needle && u.staff)
    };
    eventually("B's note on A's timeline", || timeline_has("Une équipe passe demain.").then_some(()));
    let report = reports::get(&a.state().store.read().unwrap(), ReportId(on_a)).unwrap().unwrap();
    assert!(report.is_open(&a.state().config.reports), "still open there, still open here");
    change_status(&b, parvis::domain::ids::AccountId(staff_b.id), on_b.id.get(), "fixed", "Trou rebouché.");
    eventually("B's fix on A", || timeline_has("Trou rebouché.").then_some(()));
    let report = reports::get(&a.state().store.read().unwrap(), ReportId(on_a)).unwrap().unwrap();
    assert_eq!(report.status, "fixed", "closed there: fixed here");
    let done = reports::send::sending(&a.state().store.read().unwrap(), ReportId(on_a)).unwrap().unwrap();
    assert_eq!((done.status.as_deref(), done.due_at), (Some("closed"), None), "no more polling once closed");
    // Each news came once, however many times it was read.
    let tx = a.state().store.read().unwrap();
    assert_eq!(reports::timeline(&tx, ReportId(on_a)).unwrap().len(), 2);
    drop(tx);

    // A's public page shows the timeline; A's staff see where it went.
    let page = c.get(&a.at(&format!("/signalements/{on_a}")));
    assert!(page.body.contains("Trou rebouché.") && !page.body.contains(&endpoint), "{}", page.body);
    let staff_a = make_person(&a, "agent@a.test", "Agent A", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &a, &staff_a);
    let page = s.get(&a.at(&format!("/signalements/{on_a}")));
    assert!(
        page.body.contains(&format!("Transmis à {endpoint}"))
            && page.body.contains(&format!("sous le numéro {}", on_b.id)),
        "{}",
        page.body
    );
    // A category sent by mail is not queued.
    let step2 = place(&mut c, &a, "eclairage", "3 rue des Lilas", CENTRE);
    let r = details(&mut c, &a, &step2, "Le lampadaire clignote toute la nuit.", &[]);
    let lamp = id_of(&r);
    assert!(reports::send::sending(&a.state().store.read().unwrap(), ReportId(lamp)).unwrap().is_none());
    verify_clean(&a);
    verify_clean(&b);
}

#[test]
fn a_send_that_fails_is_retried_later_with_the_error_shown() {
    // Nothing listens at the endpoint.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/open311/v2", unused.local_addr().unwrap());
    drop(unused);
    let a = TestServer::start_with(&[
        (
            "reports.categories",
            Value::Tables(vec![table(&[
                ("code", "voirie"),
                ("name", "Voirie"),
                ("service", "technique"),
                ("send", "open311"),
                ("endpoint", &endpoint),
                ("api_key", B_KEY),
                ("service_code", "voirie"),
            ])]),
        ),
        ("reports.open311_poll_secs", Value::Integer(1)),
    ]);
    let resident = make_person(&a, "camille@a.test", "Camille", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &a, &resident);
    let step2 = place(&mut c, &a, "voirie", "3 rue des Lilas", CENTRE);
    let id = id_of(&details(&mut c, &a, &step2, "Un nid-de-poule profond devant l'école.", &[]));
    let failed = eventually("a failed attempt", || {
        reports::send::sending(&a.state().store.read().unwrap(), ReportId(id)).unwrap().filter(|s| s.attempts >= 1)
    });
    assert!(failed.last_error.is_some() && failed.sent_at.is_none());
    let due = failed.due_at.unwrap();
    assert!(due > parvis::domain::now_unix() - 2, "tried again later, not dropped");
    assert_eq!(reports::send::backoff(1, 1), 1);
    assert_eq!(reports::send::backoff(300, 3), 240, "doubling from at most a minute");
    assert_eq!(reports::send::backoff(300, 30), 3600, "at most an hour");
    let staff_a = make_person(&a, "agent@a.test", "Agent A", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &a, &staff_a);
    let page = s.get(&a.at(&format!("/signalements/{id}")));
    assert!(page.body.contains("En attente de transmission") && page.body.contains("Dernière erreur"), "{}", page.body);
    verify_clean(&a);
}
