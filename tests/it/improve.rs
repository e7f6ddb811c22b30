//! Residents shaping the platform (issue 16), over real HTTP without
//! JavaScript: « Améliorer ce site » opens its box at first use, takes
//! suggestions and supports as any box, and sorts them by the town hall's
//! answer (prévu, fait, pas possible); « Cette page vous a-t-elle été
//! utile ? » counts answers per page with their comments, refuses a comment
//! too long and a script's flood, and staff read it with a CSV; a workshop
//! marked as a co-design session is listed with the ideas recorded from it.

use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::ids::BoxId;
use parvis::domain::improve::{self, feedback};
use parvis::domain::meetings::{self, Accessibility, Details, Kind, MeetingError, MeetingId};
use parvis::domain::now_unix;
use parvis::domain::proposals;
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in};
use crate::proposals::propose;
use crate::support::{Client, Resp, TestServer};

/// The part of the « Améliorer ce site » page under one answer's heading.
fn section<'a>(body: &'a str, code: &str) -> &'a str {
    let start = body.find(&format!("id=\"improve-{code}\"")).unwrap_or_else(|| panic!("no {code} section: {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

fn platform_box(server: &TestServer) -> Option<BoxId> {
    improve::box_id(&server.state().store.read().unwrap()).unwrap()
}

fn in_step(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn suggestions_are_posted_supported_and_sorted_by_the_town_halls_answer() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent-am@testville.test", "Agent", Role::Staff, true);
    let camille = make_person(&server, "camille-am@testville.test", "Camille", Role::Resident, false);
    let dominique = make_person(&server, "dominique-am@testville.test", "Dominique", Role::Resident, false);

    // Every page links to it; before anyone uses it, there is no box.
    let mut v = Client::new();
    let home = v.get(&server.at("/"));
    assert!(home.body.contains("<a href=\"/ameliorer\">Améliorer ce site</a>"), "{}", home.body);
    let page = v.get(&server.at("/ameliorer"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Améliorer ce site</h1>"));
    assert!(page.body.contains("href=\"/ameliorer/proposer\""));
    assert!(platform_box(&server).is_none());

    // The suggestion link opens the box once, then its ordinary form.
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let r = c.get(&server.at("/ameliorer/proposer"));
    assert_eq!(r.status, 303, "{}", r.body);
    let box_id = platform_box(&server).expect("opened at first use");
    assert_eq!(r.header("location"), Some(format!("/idees/{box_id}/proposer").as_str()));
    let again = v.get(&server.at("/ameliorer/proposer"));
    assert_eq!(again.header("location"), r.header("location"), "the same box");
    let boxes = proposals::boxes(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(boxes.len(), 1);
    assert_eq!(boxes[0].title, "Améliorer ce site");
    assert!(boxes[0].is_open(now_unix() + 50 * 365 * 86_400), "it never closes");

    let mut ids = Vec::new();
    for title in ["Un plan du site", "Des textes plus gros", "Une appli à part", "Un mode sombre"] {
        let r = propose(&mut c, &server, box_id.get(), &[("title", title), ("body", "Ce serait plus simple.")], None);
        assert_eq!(r.status, 303, "{}", r.body);
        let id = r.header("location").unwrap().trim_start_matches("/propositions/").parse::<u64>().unwrap();
        ids.push(id);
    }
    // Another resident supports the first.
    let mut d = Client::new();
    sign_in(&mut d, &server, &dominique);
    let r = post(&mut d, &server, "/ameliorer", &format!("/propositions/{}/soutien", ids[0]), &[("soutenir", "oui")]);
    assert_eq!(r.status, 303, "{}", r.body);

    // Staff answer as for any proposal: planned, done, not possible.
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    for (id, status, text) in [
        (ids[0], "accepted", "Prévu pour le printemps."),
        (ids[1], "done", "C'est fait : le texte est plus grand."),
        (ids[2], "rejected", "Le site marche déjà sur téléphone : une appli coûterait trop cher."),
    ] {
        let path = format!("/admin/propositions/{id}");
        let r = post(&mut s, &server, &path, &path, &[("status", status), ("text", text)]);
        assert_eq!(r.status, 303, "{}", r.body);
    }

    let page = v.get(&server.at("/ameliorer"));
    let planned = section(&page.body, "planned");
    assert!(planned.contains("Un plan du site") && planned.contains("1 soutien"), "{planned}");
    assert!(section(&page.body, "done").contains("Des textes plus gros"));
    assert!(section(&page.body, "not-possible").contains("Une appli à part"));
    let considered = section(&page.body, "considered");
    assert!(considered.contains("Un mode sombre") && !considered.contains("Un plan du site"), "{considered}");
    assert!(page.body.contains(&format!("href=\"/propositions/{}\"", ids[0])));
    // The rejection's reason is on the suggestion's own page.
    let rejected = v.get(&server.at(&format!("/propositions/{}", ids[2])));
    assert!(rejected.body.contains("coûterait trop cher"), "{}", rejected.body);
    in_step(&server);
}

/// Sends an answer with the CSRF token of the home page.
fn answer(c: &mut Client, server: &TestServer, page: &str, useful: &str, comment: &str) -> Resp {
    post(c, server, "/", "/avis-page", &[("page", page), ("utile", useful), ("commentaire", comment)])
}

#[test]
fn page_answers_are_counted_per_page_with_their_comments_and_read_by_staff() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent-pu@testville.test", "Agent", Role::Staff, true);
    let camille = make_person(&server, "camille-pu@testville.test", "Camille", Role::Resident, false);
    let mut v = Client::new();

    // The form is under a public page, a fieldset with its legend.
    let ideas = v.get(&server.at("/idees?tri=recentes"));
    assert!(ideas.body.contains("action=\"/avis-page\""), "{}", ideas.body);
    assert!(ideas.body.contains("name=\"page\" value=\"/idees\""), "the page without its query");
    assert!(ideas
        .body
        .contains("<legend><h2 id=\"page-feedback-h\">Cette page vous a-t-elle été utile ?</h2></legend>"));
    assert!(ideas.body.contains("<label for=\"page-feedback-comment\">"));
    // Not under an error page, nor under the back office.
    let missing = v.get(&server.at("/idees/9999"));
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("/avis-page"));
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert!(!s.get(&server.at("/admin")).body.contains("/avis-page"));

    // Yes, then back to the page with a thank-you.
    let r = answer(&mut v, &server, "/idees?tri=recentes", "oui", "");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/idees"));
    assert!(v.get(&server.at("/idees")).body.contains("Merci pour votre avis"));
    let r = answer(&mut v, &server, "/idees", "non", "Je ne trouve pas la boîte du parc.");
    assert_eq!(r.status, 303, "{}", r.body);
    // A comment of 500 characters is taken, one of 501 is refused with the
    // form again, what was typed kept.
    let longest = "é".repeat(feedback::MAX_REMARK);
    assert_eq!(answer(&mut v, &server, "/idees", "oui", &longest).status, 303);
    let too_long = format!("{longest}x");
    let r = answer(&mut v, &server, "/idees", "non", &too_long);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("500 caractères au plus"), "{}", r.body);
    assert!(r.body.contains(&too_long), "what was typed is kept");
    assert!(r.body.contains("value=\"non\" checked"), "{}", r.body);
    // No choice: the form again, with the error and the comment.
    let r = answer(&mut v, &server, "/idees", "", "Bof");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Choisissez « Oui » ou « Non »"));
    assert!(r.body.contains(">Bof</textarea>"));
    // The back office is not a page that is counted.
    assert_eq!(answer(&mut v, &server, "/admin/comptes", "oui", "").status, 400);
    // Another page, counted on its own; a signed-in person counts alike.
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    assert_eq!(answer(&mut c, &server, "/consultations", "oui", "Clair.").status, 303);

    let tx = server.state().store.read().unwrap();
    let totals = feedback::totals(&*tx).unwrap();
    assert_eq!(
        totals,
        vec![
            feedback::PageTotals { path: "/idees".into(), yes: 2, no: 1, remarks: 2 },
            feedback::PageTotals { path: "/consultations".into(), yes: 1, no: 0, remarks: 1 },
        ]
    );
    let remarks = feedback::remarks_of(&*tx, "/idees", 10).unwrap();
    assert_eq!(remarks[0].text, longest, "newest first");
    assert_eq!(remarks[1].text, "Je ne trouve pas la boîte du parc.");
    assert_eq!(remarks[1].day, now_unix() / 86_400, "the day only");
    drop(tx);
    in_step(&server);

    // Staff read it: pages by answers, the share of yes, the comments.
    let admin = s.get(&server.at("/admin/pages-utiles"));
    assert_eq!(admin.status, 200, "{}", admin.body);
    let idees = admin.body.find("<th scope=\"row\"><a href=\"/idees\">/idees</a></th>").expect("the ideas row");
    let consultations = admin.body.find("<a href=\"/consultations\">/consultations</a></th>").expect("the other row");
    assert!(idees < consultations, "the most answered first");
    assert!(admin.body.contains("<td>67 %</td>"), "{}", admin.body);
    assert!(admin.body.contains("Je ne trouve pas la boîte du parc."));
    let csv = s.get(&server.at("/admin/pages-utiles.csv"));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap_or("").starts_with("text/csv"));
    assert!(csv.body.contains("/idees;3;2;1;67;2\r\n"), "{}", csv.body);
    assert!(csv.body.contains("/consultations;1;1;0;100;1\r\n"), "{}", csv.body);
    // Not for residents.
    assert_ne!(c.get(&server.at("/admin/pages-utiles")).status, 200);
    assert_ne!(c.get(&server.at("/admin/pages-utiles.csv")).status, 200);
}

#[test]
fn a_script_cannot_stuff_the_counts() {
    let server = TestServer::start();
    let mut v = Client::new();
    for n in 0..20 {
        let r = answer(&mut v, &server, "/budgets", "non", "");
        assert_eq!(r.status, 303, "answer {n}: {}", r.body);
    }
    let r = answer(&mut v, &server, "/budgets", "non", "");
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert!(r.body.contains("Trop d'avis envoyés"));
    let totals = feedback::totals(&*server.state().store.read().unwrap()).unwrap();
    assert_eq!((totals[0].yes, totals[0].no), (0, 20), "the refused answer is not counted");
}

/// A published meeting of `kind` on `date`, from 18:30 to 21:00.
fn meeting(server: &TestServer, date: &str, kind: Kind) -> MeetingId {
    let details = Details {
        title: format!("Atelier du site, {date}"),
        kind,
        starts_at: meetings::local_instant(date, "18:30").unwrap(),
        ends_at: meetings::local_instant(date, "21:00").unwrap(),
        address: "Médiathèque".into(),
        coords: None,
        online_url: String::new(),
        neighbourhood: None,
        agenda: "Faire évoluer le site".into(),
        accessibility: Accessibility::default(),
        organiser: "Service communication".into(),
        registration: false,
        seats: None,
    };
    server.write(move |tx| {
        let actor = Actor::command_line();
        let run = || {
            let id = meetings::create(tx, &[], &actor, &details, now_unix())?;
            meetings::publish(tx, &actor, id, now_unix())?;
            Ok::<_, MeetingError>(id)
        };
        run().map_err(|e| StoreError::Internal(e.to_string()))
    })
}

#[test]
fn a_workshop_marked_as_a_codesign_session_is_listed_with_the_changes_it_produced() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent-cc@testville.test", "Agent", Role::Staff, true);
    let workshop = meeting(&server, "2025-05-20", Kind::Workshop);
    let public = meeting(&server, "2025-05-21", Kind::PublicMeeting);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let admin = format!("/admin/rendez-vous/{workshop}");
    let page = s.get(&server.at(&admin));
    assert!(page.body.contains("Co-construction du site"), "{}", page.body);
    assert!(page.body.contains("name=\"codesign\" value=\"on\""));
    assert!(!page.body.contains("name=\"codesign\" value=\"on\" checked"));
    assert!(!s.get(&server.at(&format!("/admin/rendez-vous/{public}"))).body.contains("name=\"codesign\""));

    // Marked; its idea recorded in the platform's box.
    let r = post(&mut s, &server, &admin, &format!("{admin}/co-construction"), &[("codesign", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(improve::is_codesign(&server.state().store.read().unwrap(), workshop).unwrap());
    assert!(s.get(&server.at(&admin)).body.contains("name=\"codesign\" value=\"on\" checked"));
    assert!(events(&server).iter().any(|e| e.detail.contains("co-design session")));
    s.get(&server.at("/ameliorer/proposer"));
    let box_id = platform_box(&server).unwrap().get().to_string();
    let idea = [
        ("idea_box", box_id.as_str()),
        ("idea_title", "Un agenda imprimable"),
        ("idea_body", "Pour l'afficher à la mairie annexe."),
        ("idea_category", ""),
    ];
    let r = post(&mut s, &server, &admin, &format!("{admin}/idees"), &idea);
    assert_eq!(r.status, 303, "{}", r.body);

    let mut v = Client::new();
    let page = v.get(&server.at("/ameliorer"));
    let sessions = &page.body[page.body.find("id=\"improve-sessions\"").unwrap()..];
    assert!(sessions.contains(&format!("href=\"/rendez-vous/{workshop}\"")), "{sessions}");
    assert!(sessions.contains("Atelier du site, 2025-05-20"));
    assert!(sessions.contains("Un agenda imprimable"), "{sessions}");
    assert!(!sessions.contains(&format!("/rendez-vous/{public}\"")));
    // The workshop's own page says so.
    let own = v.get(&server.at(&format!("/rendez-vous/{workshop}")));
    assert!(own.body.contains("Un atelier de co-construction de ce site"), "{}", own.body);
    assert!(!v.get(&server.at(&format!("/rendez-vous/{public}"))).body.contains("co-construction de ce site"));

    // A public meeting cannot be one; unmarked, it is gone from the page.
    let r =
        post(&mut s, &server, &admin, &format!("/admin/rendez-vous/{public}/co-construction"), &[("codesign", "on")]);
    assert_eq!(r.status, 400, "{}", r.body);
    let r = post(&mut s, &server, &admin, &format!("{admin}/co-construction"), &[]);
    assert_eq!(r.status, 303);
    let page = v.get(&server.at("/ameliorer"));
    assert!(!page.body.contains(&format!("href=\"/rendez-vous/{workshop}\"")));
    assert!(page.body.contains("Aucun atelier de co-construction"));
    in_step(&server);
}
