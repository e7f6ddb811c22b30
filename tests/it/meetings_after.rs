//! After the meeting, over real HTTP without JavaScript: staff write the
//! minutes of a workshop that has ended (how many came, what it discussed)
//! and record its ideas as proposals; the public page shows the
//! « Compte rendu »; a discussed proposal says where it was discussed; a
//! workshop's proposal names the workshop as its author and takes supports
//! as any other; minutes of a meeting not over yet are refused.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::ids::{BoxId, ProposalId};
use parvis::domain::meetings::{self, Accessibility, Details, Kind, MeetingError, MeetingId};
use parvis::domain::now_unix;
use parvis::domain::proposals::{self, IdeaBox, NewProposal, Origin, ProposalError};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{Client, TestServer};

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// A published meeting on `date` from 18:30 to 21:00, without registration.
fn meeting(server: &TestServer, date: &str, kind: Kind) -> MeetingId {
    let details = Details {
        title: format!("Atelier du parc, {date}"),
        kind,
        starts_at: meetings::local_instant(date, "18:30").unwrap(),
        ends_at: meetings::local_instant(date, "21:00").unwrap(),
        address: "Maison des associations".into(),
        coords: None,
        online_url: String::new(),
        neighbourhood: None,
        agenda: "Imaginer le parc".into(),
        accessibility: Accessibility::default(),
        organiser: "Service des espaces verts".into(),
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
        run().map_err(internal)
    })
}

/// An open idea box and a resident's proposal in it.
fn box_and_proposal(server: &TestServer, author: u64) -> (BoxId, ProposalId) {
    server.write(move |tx| {
        let run = || {
            let now = now_unix();
            let b = IdeaBox {
                title: "Le parc".into(),
                opens_at: now - 86_400,
                closes_at: now + 86_400 * 30,
                ..IdeaBox::default()
            };
            let b = proposals::create_box(tx, b)?;
            let new = NewProposal {
                box_id: b,
                author: AccountId(author),
                title: "Des jeux pour les petits".into(),
                body: "Un toboggan et une balançoire.".into(),
                ..NewProposal::default()
            };
            let p = proposals::post(tx, &new, now)?;
            Ok::<_, ProposalError>((b, p))
        };
        run().map_err(internal)
    })
}

#[test]
fn staff_write_the_minutes_and_record_a_workshops_ideas_which_follow_the_proposals_path() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent-cr@testville.test", "Agent", Role::Staff, true);
    let camille = make_person(&server, "camille-cr@testville.test", "Camille", Role::Resident, false);
    let (open_box, discussed) = box_and_proposal(&server, camille.id);
    let id = meeting(&server, "2025-03-12", Kind::Workshop);
    let coming = meeting(&server, "2031-03-12", Kind::Workshop);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let admin = format!("/admin/rendez-vous/{id}");
    let minutes = format!("{admin}/compte-rendu");

    // A resident cannot write minutes.
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let r = c.post_form(&server.at(&minutes), &[("minutes", "x")]);
    assert_ne!(r.status, 303, "{}", r.body);

    // A refused form says which field.
    let discussed_number = discussed.get().to_string();
    fn form(proposals: &str) -> Vec<(&'static str, &str)> {
        vec![
            ("minutes", "**Quarante** habitants ont dessiné le parc."),
            ("counted", "40"),
            ("proposals", proposals),
            ("consultations", ""),
            ("reports", ""),
        ]
    }
    let bad = post(&mut s, &server, &admin, &minutes, &form("douze"));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("href=\"#proposals\""), "{}", bad.body);
    let unknown = post(&mut s, &server, &admin, &minutes, &form("999"));
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(unknown.body.contains("Le numéro 999 ne correspond à rien de public"), "{}", unknown.body);
    let r = post(&mut s, &server, &admin, &minutes, &form(&format!("n° {discussed_number}")));
    assert_eq!(r.status, 303, "{}", r.body);

    // The workshop's idea, recorded in an open box on behalf of the group.
    let box_number = open_box.get().to_string();
    let idea = [
        ("idea_box", box_number.as_str()),
        ("idea_title", "Un jardin partagé"),
        ("idea_body", "Des bacs cultivés par les voisins."),
        ("idea_category", ""),
    ];
    let r = post(&mut s, &server, &admin, &format!("{admin}/idees"), &idea);
    assert_eq!(r.status, 303, "{}", r.body);
    let idea_id = meetings::ideas(&server.state().store.read().unwrap(), id).unwrap()[0];
    let p = proposals::get(&server.state().store.read().unwrap(), idea_id).unwrap().unwrap();
    assert_eq!(p.origin, Some(Origin::Workshop(id)));

    // The public page: the « Compte rendu », the count, the links.
    let mut v = Client::new();
    let page = v.get(&server.at(&format!("/rendez-vous/{id}")));
    assert_eq!(page.status, 200);
    for expected in [
        "Compte rendu",
        "<strong>Quarante</strong>",
        "40 personnes sont venues",
        "Proposition : Des jeux pour les petits",
        &format!("href=\"/propositions/{discussed}\""),
        &format!("href=\"/propositions/{idea_id}\""),
        "Un jardin partagé",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // A meeting to come has no « Compte rendu » yet.
    assert!(!v.get(&server.at(&format!("/rendez-vous/{coming}"))).body.contains("Compte rendu"));

    // The discussed proposal says where; the workshop's names its workshop.
    let discussed_page = v.get(&server.at(&format!("/propositions/{discussed}")));
    assert!(discussed_page.body.contains("Discutée lors de"), "{}", discussed_page.body);
    assert!(discussed_page.body.contains(&format!("href=\"/rendez-vous/{id}\"")), "{}", discussed_page.body);
    let idea_page = v.get(&server.at(&format!("/propositions/{idea_id}")));
    assert!(idea_page.body.contains("Atelier du 12 mars"), "{}", idea_page.body);
    assert!(idea_page.body.contains("Issue de l'atelier du 12 mars"), "{}", idea_page.body);
    assert!(!idea_page.body.contains("Agent"), "not the member of staff who typed it: {}", idea_page.body);

    // It takes supports as an online proposal does.
    let r = post(
        &mut c,
        &server,
        &format!("/propositions/{idea_id}"),
        &format!("/propositions/{idea_id}/soutien"),
        &[("soutenir", "oui")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(proposals::get(&server.state().store.read().unwrap(), idea_id).unwrap().unwrap().supports, 1);

    // Minutes before the end are refused, and nothing is written.
    let later = format!("/admin/rendez-vous/{coming}");
    let r = post(&mut s, &server, &later, &format!("{later}/compte-rendu"), &form(""));
    assert_ne!(r.status, 303, "{}", r.body);
    assert!(meetings::minutes(&server.state().store.read().unwrap(), coming).unwrap().is_none());
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
