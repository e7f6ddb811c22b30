//! A proposal's page as visitors without an account get it: kept once
//! rendered, and rendered again after every kind of change a visitor sees
//! (each step fetches the page as a visitor before the change, so that it
//! is kept, and after it). Without the version that the change moves in
//! its own transaction, the visitor would get the kept page, stale.

use parvis::domain::accounts::{self, Role};
use parvis::domain::ids::{AccountId, ProposalId};
use parvis::domain::proposals::{self, tables::PROPOSAL_BY_ID};
use parvis::store::{encode, StoreError};

use crate::accounts::post;
use crate::admin::{make_person, sign_in, Person};
use crate::comments::{comment, id_from, open_proposal, resident, PAGE};
use crate::support::{hidden_field, Client, TestServer};

const PROPOSAL: &str = "/propositions/1";

/// The page as a new visitor gets it (a browser without any cookie).
fn visitor(server: &TestServer) -> String {
    let r = Client::new().get(&server.at(PROPOSAL));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// Every value of a `_csrf` field in `html`.
fn tokens(html: &str) -> Vec<&str> {
    html.split("name=\"_csrf\" value=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

#[test]
fn a_visitors_page_is_kept_and_holds_nothing_personal() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");

    let mut a = Client::new();
    let first = a.get(&server.at(PROPOSAL)).body;
    let again = a.get(&server.at(PROPOSAL)).body;
    let token_a = hidden_field(&again, "_csrf").expect("the language switch's token");
    assert!(first.contains("Des bancs sur la place") && again.contains("Des bancs sur la place"));

    // The title changed behind the operations' back (no version moved):
    // visitors get the kept page, a signed-in person the live one. This
    // shows the page is kept; the next test that no real change is missed.
    server.write(|tx| {
        let mut p = proposals::get(tx, ProposalId(1))?.unwrap();
        p.title = "Un titre écrit sans version".into();
        tx.open_table(PROPOSAL_BY_ID)?.insert(1, encode(&p)?.as_slice())?;
        Ok(())
    });
    let mut b = Client::new();
    let kept = b.get(&server.at(PROPOSAL)).body;
    assert!(kept.contains("Des bancs sur la place"), "kept for visitors");
    let live = camille.get(&server.at(PROPOSAL)).body;
    assert!(live.contains("Un titre écrit sans version"), "live for people signed in");
    let token_camille = hidden_field(&live, "_csrf").unwrap();
    assert!(live.contains("/propositions/1/soutien") && live.contains("Camille Martin"));

    // Each visitor's page carries their own token only, never another
    // visitor's nor the signed-in person's, and nothing of that person.
    let token_b = hidden_field(&kept, "_csrf").expect("the language switch's token");
    assert_ne!(token_a, token_b);
    assert!(tokens(&kept).iter().all(|t| *t == token_b), "{:?}", tokens(&kept));
    let after_camille = b.get(&server.at(PROPOSAL)).body;
    for page in [&kept, &after_camille] {
        assert!(!page.contains(&token_a) && !page.contains(&token_camille));
        assert!(!page.contains("Camille Martin"), "nothing of the person signed in");
        assert!(!page.contains("/propositions/1/soutien") && !page.contains("/propositions/1/suivi"), "no form");
        assert!(!page.contains("name=\"texte\""), "no comment form");
    }
    assert!(tokens(&after_camille).iter().all(|t| *t == token_b));
}

#[test]
fn each_change_a_visitor_sees_renders_the_kept_page_again() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let (dominique, mut dominique_c) = resident(&server, "dominique@example.test", "Dominique Roux");
    let agent = make_person(&server, "agent@example.test", "Agent Voirie", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let modo = make_person(&server, "modo@example.test", "Morgane Modère", Role::Moderator, true);
    let mut m = Client::new();
    sign_in(&mut m, &server, &modo);
    let admin = make_person(&server, "admin@example.test", "Ada Admin", Role::Admin, true);
    let mut ad = Client::new();
    sign_in(&mut ad, &server, &admin);

    // A support (the proposal's record).
    assert!(visitor(&server).contains("Aucun soutien"));
    let r = post(&mut camille, &server, PROPOSAL, "/propositions/1/soutien", &[("soutenir", "oui")]);
    assert_eq!(r.status, 303);
    assert!(!visitor(&server).contains("Aucun soutien"), "the support counted");

    // A comment posted, then another (the comments' records).
    let c1 = id_from(&comment(&mut camille, &server, "Oui, sous les tilleuls", None, "for"));
    assert!(visitor(&server).contains("Oui, sous les tilleuls"));
    let c2 = id_from(&comment(&mut dominique_c, &server, "Et une fontaine", None, ""));
    assert!(visitor(&server).contains("Et une fontaine"));

    // A useful mark.
    let r = post(&mut camille, &server, PAGE, &format!("/commentaires/{c2}/utile"), &[("utile", "1")]);
    assert_eq!(r.status, 303);
    assert!(visitor(&server).contains("1 personne trouve ce message utile"));

    // An edit by its author.
    let edit = format!("/commentaires/{c1}/modifier");
    let r = post(&mut camille, &server, &edit, &edit, &[("texte", "Oui, sous les marronniers"), ("position", "for")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor(&server);
    assert!(page.contains("sous les marronniers") && !page.contains("sous les tilleuls"));

    // A role that makes an author speak for the town hall (names' version).
    assert!(!visitor(&server).contains("Mairie</span>"));
    let account = format!("/admin/comptes/{}", dominique.id);
    let r = post(&mut ad, &server, &account, &format!("{account}/role"), &[("role", "staff"), ("service", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(visitor(&server).contains("Mairie</span>"), "the town hall's tag");

    // A new display name (the operation the invitations use).
    let id = AccountId(dominique.id);
    server.write(move |tx| {
        accounts::update(tx, id, |a| a.display_name = "Dominique R.".into())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    let page = visitor(&server);
    assert!(page.contains("Dominique R.") && !page.contains("Dominique Roux"));

    // A comment hidden by the moderators (its moderation status).
    let item = format!("/admin/moderation/comment/{c1}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "off-topic"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor(&server);
    assert!(page.contains("Masqué par la modération") && !page.contains("sous les marronniers"));

    // A comment deleted by its author.
    let delete = format!("/commentaires/{c2}/supprimer");
    assert_eq!(post(&mut dominique_c, &server, &delete, &delete, &[]).status, 303);
    let page = visitor(&server);
    assert!(page.contains("Message supprimé") && !page.contains("Et une fontaine"));

    // The town hall's answer, then a milestone.
    let answer = "/admin/propositions/1";
    let r = post(&mut staff, &server, answer, answer, &[("status", "accepted"), ("text", "Les bancs seront posés.")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(visitor(&server).contains("Les bancs seront posés."));
    let r = post(
        &mut staff,
        &server,
        answer,
        "/admin/propositions/1/jalon",
        &[("title", "Bancs commandés"), ("progress", "40")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(visitor(&server).contains("Bancs commandés"));

    // The proposal hidden, then published again by the moderators.
    let item = "/admin/moderation/proposal/1";
    let r = post(&mut m, &server, item, &format!("{item}/masquer"), &[("motif", "abuse"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor(&server);
    assert!(page.contains("Ce contenu a été masqué par la modération.") && !page.contains("Les bancs seront posés."));
    let r = post(&mut m, &server, item, &format!("{item}/publier"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(visitor(&server).contains("Les bancs seront posés."));

    // Its author deletes their account: « Participant supprimé ».
    assert!(visitor(&server).contains("Alix Auteur"));
    let mut alix = Client::new();
    sign_in(&mut alix, &server, &Person { id: 0, email: "auteur@example.test".into(), secret: None });
    let r = post(&mut alix, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor(&server);
    assert!(page.contains("Participant supprimé") && !page.contains("Alix Auteur"));
}
