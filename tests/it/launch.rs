//! The launch campaign (issue 16): the staff's page (checklist, sign-ups
//! per day and neighbourhood from the roll-up, targets), the public
//! objectives, the launch contest's date rule, and the embeddable widget's
//! framing headers.

use parvis::config::Value;
use parvis::domain::accounts::{self, Role};
use parvis::domain::ids::{AccountId, BoxId};
use parvis::domain::metrics;
use parvis::domain::now_unix;
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{Client, TestServer};

const DAY: i64 = 86_400;

fn server() -> TestServer {
    TestServer::start_with(&[(
        "commune.neighbourhoods",
        Value::List(vec!["La Gare".into(), "Les Vignes".into(), "Le Port".into()]),
    )])
}

fn staff_client(server: &TestServer) -> Client {
    let staff = make_person(server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, server, &staff);
    c
}

/// A resident of `neighbourhood` whose account was created at `at`.
fn resident(server: &TestServer, email: &str, neighbourhood: Option<&str>, at: i64) -> AccountId {
    let (email, neighbourhood) = (email.to_string(), neighbourhood.map(str::to_string));
    server.write(move |tx| {
        let new = accounts::NewAccount {
            email: email.clone(),
            display_name: "Habitant".into(),
            role: Role::Resident,
            password_hash: "x".into(),
            must_change_password: false,
            language: parvis::i18n::Lang::Fr,
            neighbourhood: neighbourhood.clone(),
        };
        let id = accounts::create(tx, &new).map_err(|e| StoreError::Internal(e.to_string()))?;
        accounts::update(tx, id, |a| a.created_at = at).map_err(|e| StoreError::Internal(e.to_string()))?;
        Ok::<_, StoreError>(id)
    })
}

fn roll_up(server: &TestServer) {
    let config = server.state().config.clone();
    server.write(move |tx| metrics::roll_up(tx, &config, None, now_unix()));
}

fn date(day: i64) -> String {
    metrics::date_of_day(day).to_string()
}

/// Noon in Paris of the day `today - back`: well inside that day.
fn noon(back: i64) -> i64 {
    let today = metrics::day_of(now_unix());
    (today - back) * DAY + 10 * 3600
}

/// The known data set: La Gare 6 (4 two days ago, 2 today), Les Vignes 2
/// (yesterday), none given 1 (today), 1 before the launch in La Gare, and
/// a member of staff, who is not a sign-up.
fn seed(server: &TestServer) {
    for i in 0..4 {
        resident(server, &format!("gare{i}@example.test"), Some("La Gare"), noon(2));
    }
    for i in 4..6 {
        resident(server, &format!("gare{i}@example.test"), Some("La Gare"), noon(0));
    }
    resident(server, "vignes0@example.test", Some("Les Vignes"), noon(1));
    resident(server, "vignes1@example.test", Some("Les Vignes"), noon(1));
    resident(server, "nulle-part@example.test", None, noon(0));
    resident(server, "pionnier@example.test", Some("La Gare"), noon(10));
}

#[test]
fn the_launch_page_counts_sign_ups_per_day_and_neighbourhood_from_the_roll_up() {
    let server = server();
    let mut staff = staff_client(&server);
    seed(&server);
    roll_up(&server);
    let today = metrics::day_of(now_unix());

    let r = staff.get(&server.at("/admin/lancement"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Choisissez une date de lancement"), "no launch date yet: no chart");

    let launch = date(today - 2);
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/plan",
        &[("launch", &launch), ("done-pilot", "on"), ("day-pilot", &date(today - 5)), ("done-poster", "on")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = staff.get(&server.at("/admin/lancement"));
    assert!(r.body.contains(&format!("value=\"{}\"", date(today - 5))), "the pilot's day is kept");
    assert!(r.body.contains(&format!("value=\"{}\"", date(today))), "ticked with no day: done today");
    assert!(r.body.contains("<svg"), "the chart");
    assert!(r.body.contains("Inscriptions par jour"));

    // The CSV: a row a day since the launch; total, La Gare, Les Vignes, Le Port, none.
    let csv = staff.get(&server.at("/admin/lancement/inscriptions.csv"));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap_or("").starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Jour;Total;La Gare;Les Vignes;Le Port;Quartier non renseigné");
    assert_eq!(lines[1], format!("{};4;4;0;0;0", date(today - 2)));
    assert_eq!(lines[2], format!("{};2;0;2;0;0", date(today - 1)));
    assert_eq!(lines[3], format!("{};3;2;0;0;1", date(today)));
    assert_eq!(lines.len(), 4, "{lines:?}");

    // An end before the launch is refused on its field, what was typed kept.
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/plan",
        &[("launch", &launch), ("end", &date(today - 3))],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("error-summary") && r.body.contains("La fin de la campagne doit venir après"));
    assert!(r.body.contains(&format!("value=\"{}\"", date(today - 3))));
    let r = post(&mut staff, &server, "/admin/lancement", "/admin/lancement/plan", &[("launch", "15/03/2026")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Saisissez une date valide") && r.body.contains("value=\"15/03/2026\""));
}

#[test]
fn targets_are_validated_and_the_public_bars_hide_counts_under_five() {
    let server = server();
    let mut staff = staff_client(&server);
    seed(&server);
    roll_up(&server);
    let today = metrics::day_of(now_unix());

    let mut visitor = Client::new();
    let r = visitor.get(&server.at("/objectifs"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Aucun objectif"));

    // A target that is not a whole number: 422, the error on its field, all typed values kept.
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/objectifs",
        &[("target-0", "100"), ("target-1", "cinquante")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("L'objectif de Les Vignes doit être un nombre entier"));
    assert!(r.body.contains("href=\"#target-1\""), "the summary links to the field");
    assert!(r.body.contains("value=\"cinquante\"") && r.body.contains("value=\"100\""));
    let r = post(&mut staff, &server, "/admin/lancement", "/admin/lancement/objectifs", &[("target-0", "-3")]);
    assert_eq!(r.status, 422);
    assert!(visitor.get(&server.at("/objectifs")).body.contains("Aucun objectif"), "nothing saved");

    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/objectifs",
        &[("target-0", "100"), ("target-1", "50"), ("target-2", "")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = staff.get(&server.at("/admin/lancement"));
    assert!(r.body.contains("7 %"), "La Gare: 7 of 100 (staff see every count)");

    let r = visitor.get(&server.at("/objectifs"));
    assert!(r.body.contains("La Gare : 7 inscrits sur 100"), "{}", r.body);
    assert!(r.body.contains("<progress max=\"100\" value=\"7\""));
    assert!(r.body.contains("Les Vignes : moins de 5 inscrits sur 50"));
    assert!(!r.body.contains("Les Vignes : 2"), "a count under five is never shown");
    assert!(!r.body.contains("Le Port"), "no target, no bar");

    // The home page shows the bars only while the campaign is on.
    assert!(!visitor.get(&server.at("/")).body.contains("La Gare : 7 inscrits"), "not launched");
    let launch = date(today - 2);
    let r = post(&mut staff, &server, "/admin/lancement", "/admin/lancement/plan", &[("launch", &launch)]);
    assert_eq!(r.status, 303);
    assert!(visitor.get(&server.at("/")).body.contains("La Gare : 7 inscrits sur 100"));
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/plan",
        &[("launch", &launch), ("end", &date(today - 1))],
    );
    assert_eq!(r.status, 303);
    assert!(!visitor.get(&server.at("/")).body.contains("La Gare : 7 inscrits"), "the campaign is over");
}

fn a_box(server: &TestServer) -> BoxId {
    let now = now_unix();
    server.write(move |tx| {
        let b = IdeaBox {
            title: "Concours de lancement".into(),
            opens_at: now - 5 * DAY,
            closes_at: now + 30 * DAY,
            ..IdeaBox::default()
        };
        proposals::create_box(tx, b).map_err(|e| StoreError::Internal(e.to_string()))
    })
}

fn an_idea(server: &TestServer, box_id: BoxId, author: AccountId, title: &str) -> u64 {
    let title = title.to_string();
    server.write(move |tx| {
        let new = NewProposal {
            box_id,
            author,
            title: title.clone(),
            body: "Le détail.".into(),
            category: None,
            neighbourhood: None,
            location: None,
            held: false,
            photo: None,
        };
        proposals::post(tx, &new, now_unix()).map(|id| id.get()).map_err(|e| StoreError::Internal(e.to_string()))
    })
}

#[test]
fn the_contests_ideas_are_shown_from_the_announcement_day_on_not_before() {
    let server = server();
    let mut staff = staff_client(&server);
    let author = resident(&server, "autrice@example.test", Some("La Gare"), now_unix());
    let contest = a_box(&server);
    let best = an_idea(&server, contest, author, "Un jardin partagé derrière la gare");
    let other = an_idea(&server, contest, author, "Des bancs sur la place");
    let today = metrics::day_of(now_unix());

    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/concours",
        &[("box", &contest.get().to_string()), ("announce", "")],
    );
    assert_eq!(r.status, 422, "an announcement date is needed");
    assert!(r.body.contains("Saisissez la date d'annonce"));
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/concours",
        &[("box", &contest.get().to_string()), ("announce", &date(today + 3))],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/concours/primer",
        &[("proposal", &best.to_string()), ("awarded", "1")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = staff.get(&server.at("/admin/lancement"));
    assert!(page.body.contains("Primée") && page.body.contains("Les idées primées seront publiées le"));

    // Before the announcement day: nowhere in public.
    let mut visitor = Client::new();
    let box_page = format!("/idees/{}", contest.get());
    for path in [box_page.as_str(), "/", "/objectifs"] {
        let r = visitor.get(&server.at(path));
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.body.contains("Idées primées"), "{path} before the announcement");
    }

    // From the announcement day on (today): on the box's page and the home page.
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/concours",
        &[("box", &contest.get().to_string()), ("announce", &date(today))],
    );
    assert_eq!(r.status, 303);
    for path in [box_page.as_str(), "/", "/objectifs"] {
        let body = visitor.get(&server.at(path)).body;
        let section = body.split("Idées primées").nth(1).unwrap_or_else(|| panic!("{path}: {body}"));
        let section = section.split("</section>").next().unwrap();
        assert!(section.contains("Un jardin partagé derrière la gare"), "{path}");
        assert!(!section.contains("Des bancs sur la place"), "{path}: not awarded");
    }

    // An idea of another box cannot be marked.
    let elsewhere = a_box(&server);
    let stray = an_idea(&server, elsewhere, author, "Ailleurs");
    let r = post(
        &mut staff,
        &server,
        "/admin/lancement",
        "/admin/lancement/concours/primer",
        &[("proposal", &stray.to_string()), ("awarded", "1")],
    );
    assert_eq!(r.status, 404);
    let _ = other;
}

#[test]
fn the_widget_may_be_framed_by_the_configured_origins_only_and_sets_no_cookie() {
    // Unconfigured: nobody may frame it, and the launch page says what to set.
    let server = server();
    let mut visitor = Client::new();
    let r = visitor.get(&server.at("/widget"));
    assert_eq!(r.status, 200);
    let csp = r.header("content-security-policy").unwrap_or("").to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert!(r.headers_named("set-cookie").is_empty(), "{:?}", r.headers_named("set-cookie"));
    assert!(r.body.contains("Participer à Testville"));
    let mut staff = staff_client(&server);
    let page = staff.get(&server.at("/admin/lancement")).body;
    assert!(page.contains("allowed_origins = [&quot;https://www.saint-exemple.fr&quot;]"), "{page}");
    assert!(page.contains("&lt;iframe src=&quot;"), "the snippet to paste");

    // Configured: those origins only; every other page still refuses frames.
    let server = TestServer::start_with(&[(
        "widget.allowed_origins",
        Value::List(vec!["https://www.saint-exemple.fr".into(), "https://mairie.example:8443".into()]),
    )]);
    let author = resident(&server, "autrice@example.test", None, now_unix());
    let b = a_box(&server);
    an_idea(&server, b, author, "Une idée");
    let mut visitor = Client::new();
    let r = visitor.get(&server.at("/widget?lang=en"));
    let csp = r.header("content-security-policy").unwrap_or("").to_string();
    assert!(csp.contains("frame-ancestors https://www.saint-exemple.fr https://mairie.example:8443;"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "the rest of the policy stays");
    assert_eq!(r.header("x-frame-options"), None);
    assert!(r.headers_named("set-cookie").is_empty());
    assert!(r.body.contains("<html lang=\"en\""));
    assert!(r.body.contains("Concours de lancement"), "the open idea box");
    assert!(r.body.contains(&format!("href=\"{}/idees/{}\" target=\"_blank\" rel=\"noopener\"", server.url, b.get())));
    for path in ["/", "/objectifs", "/idees"] {
        let r = visitor.get(&server.at(path));
        let csp = r.header("content-security-policy").unwrap_or("").to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
    }
}

#[test]
fn a_bad_widget_origin_is_refused_at_start_up_naming_the_key_and_the_fix() {
    for bad in [
        "www.saint-exemple.fr",
        "https://www.saint-exemple.fr/",
        "https://*.example.fr",
        "ftp://x.fr",
        "https://x.fr/page",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut layers = parvis::config::Layers::defaults();
        layers.set("commune.name", Value::Text("Testville".into())).unwrap();
        layers.set("server.public_url", Value::Text("http://127.0.0.1:1".into())).unwrap();
        layers.set("data.dir", Value::Text(dir.path().display().to_string())).unwrap();
        layers.set("widget.allowed_origins", Value::List(vec![bad.into()])).unwrap();
        let e = parvis::config::Config::from_layers(layers).unwrap_err().to_string();
        assert!(e.contains("widget.allowed_origins") && e.contains("https://www.saint-exemple.fr"), "{bad}: {e}");
    }
}
