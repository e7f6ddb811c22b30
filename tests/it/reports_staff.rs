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
    let new = NewReport {
        author: AccountId(author.id),
        category: category.into(),
        lat: CENTRE.0,
        lon: CENTRE.1,
        address: Some("Place de la Mairie".into()),
        description: description.into(),
        ..NewReport::default()
    };
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    server.write(move |tx| {
        let actor = Actor::person(AccountId(new.author.get()), "127.0.0.1");
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
