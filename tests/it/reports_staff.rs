//! The staff's side of problem reports over real HTTP: marking a duplicate
//! (its followers and « me too » move to the original, each person counted
//! once, the timelines link the two) and moving a report to another
//! category (the new service gets the routing mail through the SMTP sink).
//! Residents are refused both; `verify` stays clean.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::{self, Action, Actor};
use parvis::domain::ids::ReportId;
use parvis::domain::notifications::Notifier;
use parvis::domain::reports::{self, NewReport, ProblemReport};

use crate::accounts::{post, Mailbox};
use crate::admin::{make_person, sign_in, Person};
use crate::support::{Client, TestServer};

/// The demo commune's centre, inside the default bounds.
const CENTRE: (f64, f64) = (45.7772, 4.6121);

/// Files a report through the domain operation (the filing form is
/// `reports.rs`'s subject); the service is mailed as from the form.
fn file(server: &TestServer, author: &Person, category: &str, description: &str) -> u64 {
    let config = server.state().config.clone();
    let account = AccountId(author.id);
    let new = NewReport {
        author: reports::Filer::Account(account),
        category: category.into(),
        lat: CENTRE.0,
        lon: CENTRE.1,
        address: Some("Place de la Mairie".into()),
        neighbourhood: None,
        description: description.into(),
        photos: Vec::new(),
        show_name: false,
        answers: Vec::new(),
    };
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    server.write(move |tx| {
        let actor = Actor::person(account, "127.0.0.1");
        reports::file(tx, &config, &notifier, &actor, &new, parvis::domain::now_unix())
            .map(|f| f.id.get())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    })
}

/// « Me too » through the domain (its HTTP form is `reports.rs`'s subject).
fn me_too(server: &TestServer, who: &Person, id: u64) {
    let (config, account) = (server.state().config.clone(), AccountId(who.id));
    server.write(move |tx| {
        reports::me_too(tx, &config.reports, ReportId(id), account, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
}

fn follow(server: &TestServer, who: &Person, id: u64) {
    let account = AccountId(who.id);
    server.write(move |tx| {
        reports::follow(tx, ReportId(id), account).map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
}

fn get(server: &TestServer, id: u64) -> ProblemReport {
    reports::get(&server.state().store.read().unwrap(), ReportId(id)).unwrap().unwrap()
}

fn verify_clean(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn audited(server: &TestServer, action: Action) -> Vec<String> {
    let tx = server.state().store.read().unwrap();
    let filter = audit::Filter { action: Some(action), ..audit::Filter::default() };
    audit::list(&tx, &filter, None, 10).unwrap().into_iter().map(|(_, e)| e.detail).collect()
}

#[test]
fn a_duplicate_moves_its_followers_and_me_too_to_the_original_counted_once() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let first = make_person(&server, "premier@testville.test", "Premier", Role::Resident, false);
    let second = make_person(&server, "second@testville.test", "Second", Role::Resident, false);
    let both = make_person(&server, "les-deux@testville.test", "Les Deux", Role::Resident, false);
    let neighbour = make_person(&server, "voisin@testville.test", "Voisin", Role::Resident, false);
    let watcher = make_person(&server, "curieux@testville.test", "Curieux", Role::Resident, false);
    // Followed reports come in a daily digest by default: this person asked
    // for them at once (the settings page's choice).
    let who = parvis::domain::accounts::AccountId(watcher.id);
    server.write(move |tx| {
        use parvis::domain::notifications::{save_settings, Delivery, Kind};
        save_settings(tx, who, &[(Kind::Reports, Delivery::Immediately)])
    });
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);

    let original = file(&server, &first, "eclairage", "Le lampadaire de la place est éteint.");
    let duplicate = file(&server, &second, "eclairage", "Plus de lumière sur la place de la mairie.");
    let other = file(&server, &neighbour, "voirie", "Un trou dans la chaussée.");
    // « Les Deux » supports both: counted once on the original afterwards.
    me_too(&server, &both, original);
    me_too(&server, &both, duplicate);
    me_too(&server, &neighbour, duplicate);
    follow(&server, &watcher, duplicate);
    assert_eq!((get(&server, original).followers, get(&server, original).supports), (2, 1));
    assert_eq!((get(&server, duplicate).followers, get(&server, duplicate).supports), (4, 2));

    let page = format!("/signalements/{duplicate}");
    let action = format!("{page}/doublon");
    let original_text = original.to_string();
    // A resident sees no such form and cannot post it.
    let mut r = Client::new();
    sign_in(&mut r, &server, &second);
    assert!(!r.get(&server.at(&page)).body.contains("/doublon\""));
    assert_eq!(post(&mut r, &server, &page, &action, &[("original", &original_text)]).status, 403);

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert!(s.get(&server.at(&page)).body.contains(&format!("action=\"{action}\"")), "the staff's form");
    // Refusals the staff can fix come back as a message, nothing changed.
    for (number, message) in [
        (duplicate.to_string(), "ne peut pas être le doublon de lui-même"),
        ("9999".to_string(), "Aucun signalement ne porte ce numéro"),
    ] {
        let done = post(&mut s, &server, &page, &action, &[("original", &number)]);
        assert_eq!(done.status, 303);
        let shown = s.get(&server.at(&page));
        assert!(shown.body.contains(message), "{message}: {}", shown.body);
    }
    assert_eq!(get(&server, duplicate).status, "new");

    let done = post(
        &mut s,
        &server,
        &page,
        &action,
        &[("original", &format!("n° {original}")), ("text", "Même lampadaire que le signalement précédent.")],
    );
    assert_eq!(done.status, 303, "{}", done.body);

    let (a, b) = (get(&server, original), get(&server, duplicate));
    assert_eq!(b.status, "duplicate");
    assert_eq!((b.followers, b.supports), (0, 0), "moved away");
    // Followers: Premier and Les Deux already; Second, Voisin and Curieux join.
    assert_eq!(a.followers, 5);
    // « Me too »: Les Deux already; Voisin and Second (who filed the same problem) join.
    assert_eq!(a.supports, 3);
    assert!(reports::is_following(&server.state().store.read().unwrap(), a.id, AccountId(watcher.id)).unwrap());
    assert!(reports::supported(&server.state().store.read().unwrap(), a.id, AccountId(second.id)).unwrap());

    // The duplicate's page links the original; the original notes the merge.
    let shown = r.get(&server.at(&page));
    assert!(shown.body.contains("Même lampadaire que le signalement précédent."), "{}", shown.body);
    assert!(shown.body.contains(&format!("href=\"/signalements/{original}\"")), "{}", shown.body);
    assert!(shown.body.contains("Doublon"), "the status");
    let shown = r.get(&server.at(&format!("/signalements/{original}")));
    assert!(shown.body.contains(&format!("Le signalement n° {duplicate}")), "{}", shown.body);
    assert!(shown.body.contains("Ne plus suivre ce signalement"), "Second follows the original now");
    // The duplicate's followers were told, on the report they followed.
    let told = mail.nth_to("curieux@testville.test", 1);
    assert!(told.body().contains(&server.at(&page)), "{}", told.body());

    // Marked again, or onto a closed report: refused, nothing moves.
    let done = post(&mut s, &server, &page, &action, &[("original", &original_text)]);
    assert_eq!(done.status, 303);
    assert!(s.get(&server.at(&page)).body.contains("déjà marqué comme doublon"));
    let other_page = format!("/signalements/{other}");
    let done =
        post(&mut s, &server, &other_page, &format!("{other_page}/doublon"), &[("original", &duplicate.to_string())]);
    assert_eq!(done.status, 303);
    assert!(s.get(&server.at(&other_page)).body.contains("origine est fermé"));
    assert_eq!(get(&server, other).status, "new");
    assert_eq!(get(&server, original).followers, 5);

    let details = audited(&server, Action::ReportMarkedDuplicate);
    assert_eq!(details, vec![format!("report {duplicate} duplicate of {original}: 3 follower(s), 2 « me too » moved")]);
    verify_clean(&server);
}

#[test]
fn a_report_moved_to_another_category_is_routed_to_its_service() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let id = file(&server, &author, "voirie", "Des sacs d'ordures éventrés sur le trottoir.");
    mail.nth_to("services-techniques@mairie.example", 1);
    assert_eq!(mail.count_to("proprete@mairie.example"), 0);

    let page = format!("/signalements/{id}");
    let action = format!("{page}/categorie");
    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    assert_eq!(post(&mut r, &server, &page, &action, &[("category", "proprete")]).status, 403);

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let done = post(&mut s, &server, &page, &action, &[("category", "proprete"), ("text", "Ce sont des déchets.")]);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(get(&server, id).category, "proprete");

    // The new service gets the report with its link.
    let routed = mail.nth_to("proprete@mairie.example", 1);
    assert!(routed.header("Subject").unwrap().contains(&format!("Signalement n° {id} : Propreté / dépôt sauvage")));
    assert!(routed.body().lines().any(|l| l.trim() == server.at(&page)), "{}", routed.body());
    // The public timeline says who handles it now; the author is told.
    let shown = r.get(&server.at(&page));
    assert!(shown.body.contains("Ce sont des déchets."), "{}", shown.body);
    assert!(shown.body.contains("Propreté et espaces verts"), "the new service, in public");
    let told = mail.nth_to("auteur@testville.test", 1);
    assert!(told.body().contains(&server.at(&page)));
    let list = r.get(&server.at("/signalements?categorie=proprete"));
    assert!(list.body.contains(&format!("{page}\"")), "listed under its new category");

    // The same category again: nothing to route.
    let done = post(&mut s, &server, &page, &action, &[("category", "proprete")]);
    assert_eq!(done.status, 303);
    assert!(s.get(&server.at(&page)).body.contains("déjà dans cette catégorie"));
    // An unknown category is refused.
    assert_eq!(post(&mut s, &server, &page, &action, &[("category", "nope")]).status, 422);
    assert_eq!(mail.count_to("proprete@mairie.example"), 1);
    assert_eq!(audited(&server, Action::ReportReassigned), vec![format!("report {id}: voirie → proprete (proprete)")]);
    verify_clean(&server);
}

/// The default services, with `agent@testville.test` on the cleaning
/// service's staff.
fn services_with_staff() -> (&'static str, parvis::config::Value) {
    use parvis::config::Value;
    let service = |code: &str, name: &str, email: &str, staff: &[&str]| {
        let mut t = std::collections::BTreeMap::new();
        t.insert("code".to_string(), Value::Text(code.into()));
        t.insert("name".to_string(), Value::Text(name.into()));
        t.insert("email".to_string(), Value::Text(email.into()));
        t.insert("staff".to_string(), Value::List(staff.iter().map(|s| s.to_string()).collect()));
        t
    };
    (
        "reports.services",
        Value::Tables(vec![
            service("technique", "Services techniques", "services-techniques@mairie.example", &[]),
            service("proprete", "Propreté et espaces verts", "proprete@mairie.example", &["Agent@Testville.test"]),
        ]),
    )
}

/// A report filed `days` ago (the queue's order and ages need reports of
/// different days), written by the generators' path: same write, no mail.
fn filed_days_ago(server: &TestServer, author: &Person, category: &str, days: i64) -> u64 {
    let at = parvis::domain::now_unix() - days * 86_400;
    let report = ProblemReport {
        id: ReportId(0),
        category: category.into(),
        lat: 45_777_200,
        lon: 4_612_100,
        address: Some("Place de la Mairie".into()),
        neighbourhood: None,
        description: format!("Un problème de {category}."),
        photos: Vec::new(),
        author: reports::Author::Account(AccountId(author.id)),
        confirmed: true,
        show_name: false,
        status: "new".into(),
        created_at: at,
        updated_at: at,
        followers: 0,
        supports: 0,
    };
    server.write(move |tx| reports::save_generated(tx, report.clone(), &[], &[]).map(|id| id.get()))
}

#[test]
fn the_staff_queue_lists_open_reports_their_services_first_oldest_first() {
    let server = TestServer::start_with(&[services_with_staff()]);
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let roads_old = filed_days_ago(&server, &author, "voirie", 30);
    let roads_new = filed_days_ago(&server, &author, "voirie", 2);
    let bins = filed_days_ago(&server, &author, "proprete", 5);
    let trees = filed_days_ago(&server, &author, "espaces-verts", 12);
    let fixed = filed_days_ago(&server, &author, "proprete", 40);
    let config = server.state().config.clone();
    server.write(move |tx| {
        let actor = Actor::command_line();
        let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
        reports::change_status(tx, &config, &notifier, &actor, ReportId(fixed), "fixed", "", None, 1)
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });

    // Staff only: a resident is refused, and sees no link to it.
    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    assert_eq!(r.get(&server.at("/signalements/a-traiter")).status, 403);
    assert!(!r.get(&server.at("/signalements")).body.contains("/signalements/a-traiter"));

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert!(s.get(&server.at("/signalements")).body.contains("href=\"/signalements/a-traiter\""), "linked for staff");
    let queue = s.get(&server.at("/signalements/a-traiter"));
    assert_eq!(queue.status, 200, "{}", queue.body);
    let at = |id: u64| {
        queue.body.find(&format!("href=\"/signalements/{id}\"")).unwrap_or_else(|| panic!("{id} not in {}", queue.body))
    };
    // Their service's reports (cleaning, green spaces) first, oldest first,
    // then the others, oldest first; the fixed one is not there.
    assert!(at(trees) < at(bins) && at(bins) < at(roads_old) && at(roads_old) < at(roads_new), "{}", queue.body);
    assert!(!queue.body.contains(&format!("href=\"/signalements/{fixed}\"")));
    assert!(queue.body.contains("Vos services (2)") && queue.body.contains("Autres services (2)"));
    assert!(queue.body.contains("30 jours") && queue.body.contains("12 jours"), "ages shown");

    // Filters: by service, by category, by status.
    let only = s.get(&server.at("/signalements/a-traiter?service=technique"));
    assert!(only.body.contains(&format!("href=\"/signalements/{roads_old}\"")));
    assert!(!only.body.contains(&format!("href=\"/signalements/{bins}\"")));
    let only = s.get(&server.at("/signalements/a-traiter?categorie=espaces-verts"));
    assert!(only.body.contains(&format!("href=\"/signalements/{trees}\"")));
    assert!(!only.body.contains(&format!("href=\"/signalements/{bins}\"")));
    let none = s.get(&server.at("/signalements/a-traiter?statut=investigating"));
    assert!(
        !none.body.contains(&format!("href=\"/signalements/{trees}\""))
            && none.body.contains("Aucun signalement ouvert")
    );
    verify_clean(&server);
}

#[test]
fn the_list_exports_as_csv_for_french_spreadsheets_and_as_geojson_with_its_filters() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Camille Secret", Role::Resident, false);
    let lamp = file(&server, &author, "eclairage", "=HYPERLINK(\"http://x\") ; le lampadaire « clignote »");
    let hole = file(&server, &author, "voirie", "Un nid-de-poule.");
    let mut c = Client::new();
    let page = c.get(&server.at("/signalements?categorie=eclairage"));
    assert!(page.body.contains("href=\"/signalements/export.csv?categorie=eclairage\""), "{}", page.body);

    let r = c.get(&server.at("/signalements/export.csv?categorie=eclairage"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(r.header("content-disposition").unwrap().contains("signalements.csv"));
    assert!(r.body.starts_with('\u{feff}'), "a byte order mark for Excel");
    let lines: Vec<&str> = r.body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "Numéro;Catégorie;État;Adresse;Quartier;Latitude;Longitude;Déposé le;Mis à jour le;« Moi aussi »;Description;Lien");
    assert_eq!(lines.len(), 3, "a header, one report, and the last CRLF: {lines:?}");
    let mut read =
        csv::ReaderBuilder::new().delimiter(b';').from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    let row = read.records().next().unwrap().unwrap();
    assert_eq!(&row[0], lamp.to_string().as_str());
    assert_eq!(&row[1], "Éclairage public");
    assert_eq!(&row[5], "45,777200", "a decimal comma");
    let today = jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    assert!(row[7].starts_with(&today.strftime("%d/%m/%Y").to_string()), "{}", &row[7]);
    // The ';' inside is quoted, and a formula is kept as text.
    assert_eq!(&row[10], "'=HYPERLINK(\"http://x\") ; le lampadaire « clignote »");
    assert_eq!(&row[11], server.at(&format!("/signalements/{lamp}")));
    assert!(!r.body.contains("Camille Secret") && !r.body.contains(&format!("/signalements/{hole}")));

    let r = c.get(&server.at("/signalements/export.geojson"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/geo+json"));
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    let lamp_feature = features.iter().find(|f| f["properties"]["id"] == lamp).unwrap();
    assert_eq!(lamp_feature["geometry"]["coordinates"], serde_json::json!([4.6121, 45.7772]), "[lon, lat]");
    assert_eq!(lamp_feature["properties"]["category"], "eclairage");
    assert_eq!(lamp_feature["properties"]["status"], "new");
    assert_eq!(lamp_feature["properties"]["url"], server.at(&format!("/signalements/{lamp}")));
    assert!(lamp_feature["properties"]["created"].as_str().unwrap().ends_with('Z'));
    assert!(!r.body.contains("Camille") && !r.body.contains("auteur@"), "no personal data");
    let only = c.get(&server.at("/signalements/export.geojson?categorie=voirie"));
    let doc: serde_json::Value = serde_json::from_str(&only.body).unwrap();
    assert_eq!(doc["features"].as_array().unwrap().len(), 1, "the list's filters apply");

    // The export is kept while nothing changes, and never outlives a change:
    // a new report is in the next download, a hidden one leaves it.
    let features = |c: &mut Client| {
        let r = c.get(&server.at("/signalements/export.geojson"));
        let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        doc["features"].as_array().unwrap().iter().map(|f| f["properties"]["id"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(features(&mut c).len(), 2, "asked again");
    let bin = file(&server, &author, "proprete", "Une poubelle déborde.");
    assert!(features(&mut c).contains(&bin), "a new report is in the next download");
    server.write(move |tx| {
        reports::hide(tx, &Actor::command_line(), ReportId(hole), true, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    let now = features(&mut c);
    assert!(now.contains(&lamp) && !now.contains(&hole), "a hidden report leaves it: {now:?}");
}

#[test]
fn the_dashboard_shows_open_ages_the_median_time_to_fix_and_where_reports_are() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    for days in [10, 4, 2] {
        filed_days_ago(&server, &author, "eclairage", days);
    }
    let road = filed_days_ago(&server, &author, "voirie", 6);
    // Fixed two days after filing, reopened, fixed again: the first counts.
    let config = server.state().config.clone();
    server.write(move |tx| {
        let (actor, day) = (Actor::command_line(), 86_400);
        let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
        let now = parvis::domain::now_unix();
        for (status, at) in [("fixed", now - 4 * day), ("in-progress", now - 3 * day), ("fixed", now - day)] {
            reports::change_status(tx, &config, &notifier, &actor, ReportId(road), status, "", None, at)
                .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))?;
        }
        Ok(())
    });

    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    assert_eq!(r.get(&server.at("/signalements/tableau-de-bord")).status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert!(s.get(&server.at("/signalements/a-traiter")).body.contains("href=\"/signalements/tableau-de-bord\""));
    let page = s.get(&server.at("/signalements/tableau-de-bord"));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    // Open per category: three lighting reports, the oldest 10 days, the median 4.
    assert!(
        body.contains("<th scope=\"row\">Éclairage public</th><td>3</td><td>10 jours</td><td>4 jours</td>"),
        "{body}"
    );
    assert!(body.contains("<th scope=\"row\">Services techniques</th><td>3</td><td>10 jours</td><td>4 jours</td>"));
    assert!(
        !body.contains("<th scope=\"row\">Voirie / nid-de-poule</th><td>1</td><td>6 jours</td>"),
        "fixed: not open"
    );
    // Time to fix: from filing to the first fixed status.
    assert!(body.contains("<th scope=\"row\">Voirie / nid-de-poule</th><td>1</td><td>2 jours</td>"), "{body}");
    // Where: the heat map over the commune's bounds (6 × 8 cells by
    // default), open reports by default: the three open ones share a cell.
    assert!(
        body.contains("<svg")
            && body.contains("role=\"img\"")
            && body.contains("aria-labelledby=\"heat-title heat-desc\"")
    );
    assert_eq!(body.matches("<rect x=").count(), 6 * 8, "one square per cell");
    assert!(body.contains("<title>45.7775, 4.6125 : 3 signalements</title>"), "{body}");
    assert!(body.contains("<title>45.7675, 4.5975 : aucun signalement</title>"), "the south-west cell");
    assert!(body.contains("<th scope=\"row\">45.7775, 4.6125</th><td>3</td><td>"), "{body}");
    assert!(body.contains("Légende"));
    // Every status, then one category, then a date range with none filed.
    let all = s.get(&server.at("/signalements/tableau-de-bord?etat=tous")).body;
    assert!(all.contains("<th scope=\"row\">45.7775, 4.6125</th><td>4</td>"), "{all}");
    let roads = s.get(&server.at("/signalements/tableau-de-bord?etat=tous&categorie=voirie")).body;
    assert!(roads.contains("<title>45.7775, 4.6125 : 1 signalement</title>"), "{roads}");
    let old = s.get(&server.at("/signalements/tableau-de-bord?etat=tous&du=2001-01-01&au=2001-12-31")).body;
    assert!(old.contains("Aucun signalement ne correspond") && !old.contains("<th scope=\"row\">45.7775"));
    // With the commune's address list, the densest cells say where in words.
    let sample =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ban-saint-exemple.csv"))
            .unwrap();
    let list = parvis::domain::addresses::parse(&sample[..]).unwrap();
    server.write(move |tx| {
        parvis::domain::addresses::import(tx, &Actor::command_line(), &list, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    // A report staff hid is off the map.
    server.write(move |tx| {
        reports::hide(tx, &Actor::command_line(), ReportId(road), true, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    let all = s.get(&server.at("/signalements/tableau-de-bord?etat=tous")).body;
    assert!(all.contains("<title>45.7775, 4.6125 : 3 signalements</title>"), "{all}");
    let named = s.get(&server.at("/signalements/tableau-de-bord")).body;
    let row = named.split("<th scope=\"row\">45.7775, 4.6125</th><td>3</td><td>").nth(1).unwrap();
    assert!(!row.starts_with("</td>") && row.contains("Saint-Exemple"), "{row}");
    verify_clean(&server);
}

#[test]
fn staff_assign_a_report_and_keep_internal_notes_that_nobody_else_sees() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent Dupont", Role::Staff, true);
    let colleague = make_person(&server, "collegue@testville.test", "Agente Durand", Role::Staff, true);
    let id = file(&server, &author, "voirie", "Un panneau stop couché au carrefour.");
    let other = file(&server, &author, "voirie", "Un trottoir effondré.");
    let page = format!("/signalements/{id}");
    let secret = "Le riverain du 12 est agressif, venir à deux.";

    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    assert_eq!(post(&mut r, &server, &page, &format!("{page}/note"), &[("text", "Je suis agent")]).status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let done = post(&mut s, &server, &page, &format!("{page}/note"), &[("text", secret)]);
    assert_eq!(done.status, 303, "{}", done.body);
    let colleague_id = colleague.id.to_string();
    let done = post(&mut s, &server, &page, &format!("{page}/attribuer"), &[("assignee", &colleague_id)]);
    assert_eq!(done.status, 303, "{}", done.body);
    // Only to staff: a resident's account is refused.
    let resident_id = author.id.to_string();
    assert_eq!(post(&mut s, &server, &page, &format!("{page}/attribuer"), &[("assignee", &resident_id)]).status, 422);

    let shown = s.get(&server.at(&page));
    assert!(shown.body.contains(secret) || shown.body.contains("Le riverain du 12"), "staff see the note");
    assert!(
        shown.body.contains(&format!("<option value=\"{colleague_id}\" selected>Agente Durand</option>")),
        "{}",
        shown.body
    );
    // Residents and visitors see neither the note nor the form; the
    // exports do not carry it.
    for body in [r.get(&server.at(&page)).body, Client::new().get(&server.at(&page)).body] {
        assert!(!body.contains("Le riverain du 12") && !body.contains("Notes internes"), "{body}");
    }
    for export in ["/signalements/export.csv", "/signalements/export.geojson"] {
        assert!(!Client::new().get(&server.at(export)).body.contains("riverain"));
    }

    // "Assigned to me", for the colleague: this one, not the other.
    let mut c = Client::new();
    sign_in(&mut c, &server, &colleague);
    let mine = c.get(&server.at("/signalements/a-traiter?attribue=moi"));
    assert!(mine.body.contains(&format!("href=\"/signalements/{id}\"")), "{}", mine.body);
    assert!(!mine.body.contains(&format!("href=\"/signalements/{other}\"")));
    let theirs = s.get(&server.at("/signalements/a-traiter?attribue=moi"));
    assert!(!theirs.body.contains(&format!("href=\"/signalements/{id}\"")));
    assert_eq!(
        reports::assignee(&server.state().store.read().unwrap(), ReportId(id)).unwrap(),
        Some(AccountId(colleague.id))
    );
    // Back to nobody.
    let done = post(&mut s, &server, &page, &format!("{page}/attribuer"), &[("assignee", "")]);
    assert_eq!(done.status, 303);
    assert_eq!(reports::assignee(&server.state().store.read().unwrap(), ReportId(id)).unwrap(), None);
    assert_eq!(audited(&server, Action::ReportAssigned).len(), 2);
    assert!(
        audited(&server, Action::ReportNoteAdded).iter().all(|d| !d.contains("riverain")),
        "the text stays out of the log"
    );
    verify_clean(&server);
}

#[test]
fn a_hidden_report_leaves_every_public_view_and_its_photo_is_not_served() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    // Another report of the same kind nearby, which stays public.
    let shown = filed_days_ago(&server, &author, "proprete", 1);
    // A stored photo, shown by the report to hide only.
    let name = format!("{}.jpg", "ab".repeat(16));
    let dir = parvis::photos::dir(&server.state().config.data_dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&name), b"\xff\xd8\xff not really a jpeg").unwrap();
    let mut with_photo = get(&server, shown);
    with_photo.photos = vec![name.clone()];
    let id = server.write(move |tx| reports::save_generated(tx, with_photo.clone(), &[], &[]).map(|id| id.get()));
    let page = format!("/signalements/{id}");
    let photo = format!("/signalements/photos/{name}");
    let visitor = Client::new;
    assert_eq!(visitor().get(&server.at(&page)).status, 200);
    assert_eq!(visitor().get(&server.at(&photo)).status, 200);

    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    assert_eq!(post(&mut r, &server, &page, &format!("{page}/masquer"), &[("masquer", "oui")]).status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let done = post(&mut s, &server, &page, &format!("{page}/masquer"), &[("masquer", "oui")]);
    assert_eq!(done.status, 303, "{}", done.body);

    assert_eq!(visitor().get(&server.at(&page)).status, 404);
    assert_eq!(r.get(&server.at(&page)).status, 404, "its author too");
    // Nor can residents write to it: the post is refused as for no report.
    let token = crate::support::hidden_field(&r.get(&server.at("/signalements")).body, "_csrf").unwrap();
    let written = r.post_form(&server.at(&format!("{page}/message")), &[("_csrf", &token), ("text", "Toujours là")]);
    assert_eq!(written.status, 404);
    let supported = r.post_form(&server.at(&format!("{page}/moi-aussi")), &[("_csrf", &token)]);
    assert_eq!(supported.status, 404);
    assert_eq!(visitor().get(&server.at(&photo)).status, 404);
    // Nor through the feeds or the Open311 API.
    assert_eq!(visitor().get(&server.at(&format!("{page}/flux.atom"))).status, 404);
    assert_eq!(visitor().get(&server.at(&format!("/open311/v2/requests/{id}.json"))).status, 404);
    assert!(!visitor()
        .get(&server.at("/open311/v2/requests.json"))
        .body
        .contains(&format!("\"service_request_id\":{id},")));
    assert!(!visitor().get(&server.at("/signalements/flux.atom")).body.contains(&page));
    let link = format!("href=\"/signalements/{id}\"");
    assert!(!visitor().get(&server.at("/signalements")).body.contains(&link));
    assert!(!visitor().get(&server.at("/signalements/export.csv")).body.contains(&page));
    assert!(visitor().get(&server.at("/signalements/export.csv")).body.contains(&format!("/signalements/{shown}")));
    let near = reports::nearby(
        &server.state().store.read().unwrap(),
        &server.state().config.reports,
        "proprete",
        45.7772,
        4.6121,
        250.0,
    )
    .unwrap();
    assert!(near.iter().all(|n| n.report.id != ReportId(id)) && !near.is_empty(), "out of the nearby offer");
    // Nobody may be sent to it as the original of a duplicate.
    let other = format!("/signalements/{shown}");
    let done = post(&mut s, &server, &other, &format!("{other}/doublon"), &[("original", &id.to_string())]);
    assert_eq!(done.status, 303);
    assert_eq!(get(&server, shown).status, "new");
    let staff_view = s.get(&server.at(&page));
    assert_eq!(staff_view.status, 200);
    assert!(staff_view.body.contains("Ce signalement est masqué"), "{}", staff_view.body);

    let done = post(&mut s, &server, &page, &format!("{page}/masquer"), &[("masquer", "non")]);
    assert_eq!(done.status, 303);
    assert_eq!(visitor().get(&server.at(&page)).status, 200);
    assert_eq!(visitor().get(&server.at(&photo)).status, 200);
    assert_eq!(audited(&server, Action::ContentHidden), vec![format!("problem report {id}")]);
    verify_clean(&server);
}

#[test]
fn redacted_text_is_public_and_the_original_is_kept_for_staff() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let id = file(&server, &author, "voirie", "Appelez-moi au 06 12 34 56 78, le trou est énorme.");
    let page = format!("/signalements/{id}");
    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    let done = post(&mut r, &server, &page, &format!("{page}/message"), &[("text", "Mon voisin M. Dupuis est tombé.")]);
    assert_eq!(done.status, 303);
    // A message refused for its length comes back as typed, with why.
    let long = format!("Trop long {}", "é".repeat(5_000));
    let refused = post(&mut r, &server, &page, &format!("{page}/message"), &[("text", long.as_str())]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains(&long) && refused.body.contains("trop long"), "the message is kept");
    assert_eq!(post(&mut r, &server, &page, &format!("{page}/caviarder"), &[("item", "0"), ("text", "x")]).status, 403);

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let action = format!("{page}/caviarder");
    let done = post(
        &mut s,
        &server,
        &page,
        &action,
        &[("item", "0"), ("text", "Appelez-moi au [caviardé], le trou est énorme.")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let done = post(&mut s, &server, &page, &action, &[("item", "1"), ("text", "Mon voisin [caviardé] est tombé.")]);
    assert_eq!(done.status, 303, "{}", done.body);
    // Redacted twice: the first original (the resident's words) is kept.
    let done = post(&mut s, &server, &page, &action, &[("item", "1"), ("text", "[caviardé]")]);
    assert_eq!(done.status, 303);

    for body in [r.get(&server.at(&page)).body, Client::new().get(&server.at(&page)).body] {
        assert!(body.contains("Appelez-moi au [caviardé]") && body.contains("<p>[caviardé]</p>"), "{body}");
        assert!(!body.contains("06 12 34 56 78") && !body.contains("Dupuis"), "{body}");
    }
    assert!(!Client::new().get(&server.at("/signalements/export.csv")).body.contains("06 12"));
    let staff_view = s.get(&server.at(&page)).body;
    assert!(
        staff_view.contains("06 12 34 56 78") && staff_view.contains("Mon voisin M. Dupuis est tombé."),
        "{staff_view}"
    );
    // A text that does not exist.
    assert_eq!(post(&mut s, &server, &page, &action, &[("item", "9"), ("text", "y")]).status, 404);
    let details = audited(&server, Action::ReportRedacted);
    assert_eq!(details.len(), 3);
    assert!(details.iter().all(|d| !d.contains("06 12") && !d.contains("Dupuis")), "{details:?}");
    verify_clean(&server);
}

#[test]
fn staff_hide_one_photo_with_a_reason_and_it_leaves_every_public_view() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let base = filed_days_ago(&server, &author, "proprete", 1);
    // Two stored photos: the second is also shown by another report.
    let (face, shared) = (format!("{}.jpg", "cd".repeat(16)), format!("{}.jpg", "ef".repeat(16)));
    let dir = parvis::photos::dir(&server.state().config.data_dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in [&face, &shared] {
        std::fs::write(dir.join(name), b"\xff\xd8\xff not really a jpeg").unwrap();
    }
    let mut report = get(&server, base);
    report.photos = vec![face.clone(), shared.clone()];
    let mut other = get(&server, base);
    other.photos = vec![shared.clone()];
    let id = server.write(move |tx| reports::save_generated(tx, report.clone(), &[], &[]).map(|id| id.get()));
    let other = server.write(move |tx| reports::save_generated(tx, other.clone(), &[], &[]).map(|id| id.get()));
    let page = format!("/signalements/{id}");
    let action = format!("{page}/masquer-photo");
    let (face_url, shared_url) = (format!("/signalements/photos/{face}"), format!("/signalements/photos/{shared}"));
    let visitor = Client::new;
    assert!(visitor().get(&server.at(&page)).body.contains(&face_url));
    assert_eq!(visitor().get(&server.at(&face_url)).status, 200);
    let open311 = format!("/open311/v2/requests/{id}.json");
    assert!(visitor().get(&server.at(&open311)).body.contains(&face_url), "the first photo as media_url");

    // A resident may not; staff must say why.
    let mut r = Client::new();
    sign_in(&mut r, &server, &author);
    let asked = post(&mut r, &server, &page, &action, &[("photo", &face), ("masquer", "oui"), ("motif", "Visage")]);
    assert_eq!(asked.status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert!(s.get(&server.at(&page)).body.contains(&format!("action=\"{action}\"")), "the staff's form");
    let done = post(&mut s, &server, &page, &action, &[("photo", &face), ("masquer", "oui"), ("motif", "  ")]);
    assert_eq!(done.status, 303);
    assert!(s.get(&server.at(&page)).body.contains("Indiquez pourquoi vous masquez cette photo"));
    assert_eq!(visitor().get(&server.at(&face_url)).status, 200, "not hidden without a reason");
    // A file the report does not show is no photo of it.
    let stranger = format!("{}.jpg", "aa".repeat(16));
    let done = post(&mut s, &server, &page, &action, &[("photo", &stranger), ("masquer", "oui"), ("motif", "x")]);
    assert_eq!(done.status, 404);

    for file in [&face, &shared] {
        let reason = "Un visage reconnaissable";
        let done = post(&mut s, &server, &page, &action, &[("photo", file), ("masquer", "oui"), ("motif", reason)]);
        assert_eq!(done.status, 303, "{}", done.body);
    }
    // The report stays public, without the photos; the face is not served,
    // the shared file still is (the other report shows it).
    let public = visitor().get(&server.at(&page));
    assert_eq!(public.status, 200);
    assert!(!public.body.contains(&face_url) && !public.body.contains(&shared_url), "{}", public.body);
    assert_eq!(visitor().get(&server.at(&face_url)).status, 404);
    assert_eq!(visitor().get(&server.at(&shared_url)).status, 200);
    assert!(visitor().get(&server.at(&format!("/signalements/{other}"))).body.contains(&shared_url));
    let api = visitor().get(&server.at(&open311));
    assert!(!api.body.contains("/signalements/photos/") && api.body.contains("\"media_url\":null"), "{}", api.body);
    assert!(!visitor().get(&server.at("/signalements/flux.atom")).body.contains(&face));
    // Staff still see them, marked, with why, and can show one again.
    let staff_view = s.get(&server.at(&page)).body;
    assert!(staff_view.contains(&face_url) && staff_view.contains("Photo masquée"), "{staff_view}");
    assert!(staff_view.contains("Un visage reconnaissable"));
    let seen = s.get(&server.at(&face_url));
    assert_eq!(seen.status, 200, "staff still see the photo they hid");
    assert!(seen.header("cache-control").is_some_and(|c| c.contains("no-store")), "in no cache");
    assert_eq!(r.get(&server.at(&face_url)).status, 404, "a resident does not");
    let done = post(&mut s, &server, &page, &action, &[("photo", &face), ("masquer", "non")]);
    assert_eq!(done.status, 303);
    assert_eq!(visitor().get(&server.at(&face_url)).status, 200);
    assert!(visitor().get(&server.at(&page)).body.contains(&face_url));
    assert_eq!(
        audited(&server, Action::ContentHidden),
        vec![
            format!("problem report {id} photo {shared}: Un visage reconnaissable"),
            format!("problem report {id} photo {face}: Un visage reconnaissable"),
        ]
    );
    assert_eq!(audited(&server, Action::ContentRestored), vec![format!("problem report {id} photo {face}")]);
    verify_clean(&server);
}

/// The texts Parvis writes on a timeline for staff actions are stored in
/// the commune's language (`languages.default`), not in the language of
/// the staff member's interface: every resident reads the same timeline.
#[test]
fn staff_timeline_texts_are_stored_in_the_communes_language_whatever_the_staffs() {
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let original = file(&server, &author, "eclairage", "Le lampadaire est éteint.");
    let duplicate = file(&server, &author, "eclairage", "Plus de lumière.");
    let moved = file(&server, &author, "eclairage", "Un banc cassé.");
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    // The agent reads Parvis in English.
    let switched = post(&mut s, &server, "/", "/langue", &[("lang", "en"), ("next", "/")]);
    assert_eq!(switched.status, 303, "{}", switched.body);
    let page = format!("/signalements/{duplicate}");
    assert!(s.get(&server.at(&page)).body.contains("lang=\"en\""), "the agent's pages are in English");

    let original_text = original.to_string();
    let done = post(&mut s, &server, &page, &format!("{page}/doublon"), &[("original", &original_text)]);
    assert_eq!(done.status, 303, "{}", done.body);
    let page = format!("/signalements/{moved}");
    let done = post(&mut s, &server, &page, &format!("{page}/categorie"), &[("category", "proprete")]);
    assert_eq!(done.status, 303, "{}", done.body);

    let tx = server.state().store.read().unwrap();
    let text = |id: u64| -> Vec<String> {
        reports::timeline(&tx, ReportId(id)).unwrap().into_iter().map(|u| u.text).collect()
    };
    assert_eq!(
        text(duplicate),
        vec![format!(
            "Ce problème est déjà signalé : suivez le [signalement n° {original}](/signalements/{original})."
        )]
    );
    assert!(
        text(original)[0].starts_with(&format!("Le signalement n° {duplicate}, le même problème")),
        "{:?}",
        text(original)
    );
    assert!(text(moved)[0].starts_with("Transféré à la catégorie « Propreté"), "{:?}", text(moved));
    // A visitor reads them as stored, even on the English interface.
    let mut v = Client::new();
    post(&mut v, &server, "/", "/langue", &[("lang", "en"), ("next", "/")]);
    assert!(v.get(&server.at(&page)).body.contains("Transféré à la catégorie"));
    verify_clean(&server);
}
