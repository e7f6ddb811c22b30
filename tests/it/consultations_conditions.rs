//! Conditions ("shown only if…") over real HTTP, without JavaScript: a
//! condition across pages, going back and changing the earlier answer (the
//! answer typed into the question it hides comes back with it), required
//! only when asked, a page skipped and the progress counting only the pages
//! shown, a condition on the same page (its hint), the results' base, and
//! the builder's refusals.

use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::consultations::{self, tables, Audience, ConsultationId, Kind, Question, Raw, Respondent, ShowIf};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::consultations::{hidden_fields, open_consultation, q, send, verify_clean};
use crate::support::{Client, TestServer};

fn yes_no() -> Kind {
    Kind::Single { options: vec!["Oui".into(), "Non".into()], dropdown: false, other: false }
}

fn when(question: u32, options: &[u32]) -> Option<ShowIf> {
    Some(ShowIf { question, options: options.to_vec() })
}

/// Page 1: « Avez-vous un vélo ? » (required); page 2: « Où le garez-vous ? »
/// (required, only if « Oui »); page 3: « Un commentaire ? » (optional).
fn bike_questions() -> Vec<Question> {
    vec![
        q("Avez-vous un vélo ?", true, yes_no()),
        Question { page: 2, show_if: when(1, &[0]), ..q("Où le garez-vous ?", true, Kind::ShortText) },
        Question { page: 3, ..q("Un commentaire ?", false, Kind::LongText) },
    ]
}

fn hidden_value(html: &str, name: &str) -> Option<String> {
    hidden_fields(html).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

#[test]
fn a_condition_across_pages_skips_a_page_and_keeps_what_was_typed_until_sent() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Anyone, bike_questions());
    let mut v = Client::new();
    let first = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    // Nothing chosen yet: page 2 is not asked, so two pages.
    assert!(first.body.contains("Page 1 sur 2"), "{}", first.body);

    let second = send(&mut v, &server, id, &first, &[("q1", "0")], "suivant");
    assert!(second.body.contains("Page 2 sur 3") && second.body.contains("Où le garez-vous ?"), "{}", second.body);
    // Required once asked.
    let refused = send(&mut v, &server, id, &second, &[("q2", "")], "suivant");
    assert_eq!(refused.status, 422, "{}", refused.body);
    let third = send(&mut v, &server, id, &refused, &[("q2", "Sous le porche")], "suivant");
    assert!(third.body.contains("Page 3 sur 3"), "{}", third.body);

    // Back to page 1 and « Non »: page 2 is skipped forward…
    let back2 = send(&mut v, &server, id, &third, &[("q3", "")], "precedent");
    assert!(back2.body.contains("Page 2 sur 3") && back2.body.contains("Sous le porche"), "{}", back2.body);
    let back1 = send(&mut v, &server, id, &back2, &[("q2", "Sous le porche")], "precedent");
    assert!(back1.body.contains("Page 1 sur 3"), "{}", back1.body);
    let skipped = send(&mut v, &server, id, &back1, &[("q1", "1")], "suivant");
    assert!(skipped.body.contains("Page 2 sur 2") && skipped.body.contains("Un commentaire ?"), "{}", skipped.body);
    assert!(!skipped.body.contains("Où le garez-vous ?"));
    // …its answer still carried, not lost…
    assert_eq!(hidden_value(&skipped.body, "q2").as_deref(), Some("Sous le porche"));
    // …and backward: Previous from the last page goes to page 1.
    let again1 = send(&mut v, &server, id, &skipped, &[("q3", "")], "precedent");
    assert!(again1.body.contains("Page 1 sur 2"), "{}", again1.body);
    // « Oui » again: the typed answer comes back on page 2.
    let again2 = send(&mut v, &server, id, &again1, &[("q1", "0")], "suivant");
    assert!(again2.body.contains("Page 2 sur 3"), "{}", again2.body);
    assert!(again2.body.contains("value=\"Sous le porche\""), "{}", again2.body);

    // « Non » and send: the answer to the question not asked is dropped.
    let back = send(&mut v, &server, id, &again2, &[("q2", "Sous le porche")], "precedent");
    let last = send(&mut v, &server, id, &back, &[("q1", "1")], "suivant");
    let sent = send(&mut v, &server, id, &last, &[("q3", "Plus d'arceaux")], "envoyer");
    assert_eq!(sent.status, 303, "{}", sent.body);
    let tx = server.state().store.read().unwrap();
    let answers = consultations::answers(&tx, ConsultationId(id)).unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].values.keys().copied().collect::<Vec<_>>(), vec![1, 3], "no answer to question 2");
    assert!(answers[0].shown.is_empty());
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    let r = consultations::results(&tx, &c).unwrap();
    let q2 = r.questions.iter().find(|r| r.question == 2).unwrap();
    assert_eq!((q2.answered, q2.shown), (0, Some(0)), "not counted, not asked");
    drop(tx);
    verify_clean(&server);
}

#[test]
fn a_signed_in_persons_draft_keeps_the_answer_a_condition_hides_and_the_count_follows_who_was_asked() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, bike_questions());
    let resident = make_person(&server, "lea@testville.test", "Léa", Role::Resident, false);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    let at = |n: u32| server.at(&format!("/consultations/{id}/repondre?page={n}"));
    let first = r.get(&at(1));
    let second = send(&mut r, &server, id, &first, &[("q1", "0")], "suivant");
    send(&mut r, &server, id, &second, &[("q2", "Dans la cour")], "suivant");
    // Back on page 1 (a new visit: from the draft), « Non »: page 2 goes,
    // its answer stays in the draft.
    let first = r.get(&at(1));
    assert!(first.body.contains("Page 1 sur 3"), "{}", first.body);
    let skipped = send(&mut r, &server, id, &first, &[("q1", "1")], "suivant");
    assert!(skipped.body.contains("Page 2 sur 2"), "{}", skipped.body);
    let draft = consultations::draft(
        &server.state().store.read().unwrap(),
        ConsultationId(id),
        parvis::domain::accounts::AccountId(resident.id),
    )
    .unwrap()
    .unwrap();
    assert_eq!(draft.fields.get(&2).map(|r| r.values.clone()), Some(vec!["Dans la cour".to_string()]));
    // « Oui » again, from a fresh page: it comes back.
    let first = r.get(&at(1));
    let second = send(&mut r, &server, id, &first, &[("q1", "0")], "suivant");
    assert!(second.body.contains("value=\"Dans la cour\""), "{}", second.body);
    let third = send(&mut r, &server, id, &second, &[("q2", "Dans la cour")], "suivant");
    assert_eq!(send(&mut r, &server, id, &third, &[], "envoyer").status, 303);

    // A paper answer « Non »: not asked question 2.
    server.write(move |tx| {
        let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
        let no = [(1, Raw { values: vec!["1".into()], other: String::new() })].into();
        consultations::submit_offline(
            tx,
            &Actor::command_line(),
            ConsultationId(id),
            consultations::Channel::Paper,
            None,
            &[],
            &no,
            0,
            parvis::domain::now_unix(),
        )
        .map_err(e)?;
        Ok(())
    });
    let tx = server.state().store.read().unwrap();
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    let res = consultations::results(&tx, &c).unwrap();
    assert_eq!(res.answers, 2);
    let q2 = res.questions.iter().find(|r| r.question == 2).unwrap();
    assert_eq!((q2.answered, q2.shown), (1, Some(1)), "asked of the resident only, not of the paper « Non »");
    let answers = consultations::answers(&tx, ConsultationId(id)).unwrap();
    assert_eq!(answers[0].shown, vec![2]);
    assert!(answers[1].shown.is_empty() && !answers[1].values.contains_key(&2));
    drop(tx);
    verify_clean(&server);
}

/// On one page: without JavaScript the conditional question shows, with
/// its hint and the script's data; the server checks it only when asked.
#[test]
fn a_condition_on_the_same_page_shows_its_hint_and_is_required_only_when_asked() {
    let server = TestServer::start();
    let parking = Kind::Single { options: vec!["Rue".into(), "Garage".into()], dropdown: false, other: false };
    let id = open_consultation(
        &server,
        Audience::Anyone,
        vec![
            q("Avez-vous une voiture ?", true, yes_no()),
            Question { show_if: when(1, &[0]), ..q("Où la garez-vous ?", false, parking) },
            Question { show_if: when(1, &[1]), ..q("Pourquoi pas ?", true, Kind::ShortText) },
        ],
    );
    let mut v = Client::new();
    let form = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert!(form.body.contains("Page 1 sur 1"), "{}", form.body);
    assert!(
        form.body.contains("Répondez seulement si vous avez répondu « Non » à « Avez-vous une voiture ? »."),
        "{}",
        form.body
    );
    assert!(form.body.contains("data-show-if=\"q1\" data-show-if-values=\"1\""), "{}", form.body);
    assert!(form.body.contains("/js/conditions.js"), "the script that hides them");
    // « Non »: « Pourquoi pas ? » is asked and required.
    let refused = send(&mut v, &server, id, &form, &[("q1", "1"), ("q3", "")], "envoyer");
    assert_eq!(refused.status, 422, "{}", refused.body);
    // « Oui »: it is not asked, and what was typed into it is not kept.
    let sent = send(&mut v, &server, id, &form, &[("q1", "0"), ("q2", "1"), ("q3", "Trop cher")], "envoyer");
    assert_eq!(sent.status, 303, "{}", sent.body);
    let tx = server.state().store.read().unwrap();
    let answers = consultations::answers(&tx, ConsultationId(id)).unwrap();
    assert_eq!(answers[0].values.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(answers[0].shown, vec![2]);
    // The results' base of a question with a condition is who was asked.
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    drop(tx);
    server.write(move |tx| {
        let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
        let yes_empty = [(1, Raw { values: vec!["0".into()], other: String::new() })].into();
        consultations::submit(tx, ConsultationId(id), Respondent::Visitor, &yes_empty, parvis::domain::now_unix())
            .map_err(e)?;
        Ok(())
    });
    let tx = server.state().store.read().unwrap();
    let res = consultations::results(&tx, &c).unwrap();
    let q2 = res.questions.iter().find(|r| r.question == 2).unwrap();
    assert_eq!((q2.answered, q2.shown), (1, Some(2)));
    assert_eq!(q2.percent(q2.counts[1].count), 50.0, "one « Garage » of the two who were asked");
    let counts = tx.open_table(tables::CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION).unwrap();
    assert_eq!(counts.get((id, 2, tables::SHOWN)).unwrap().map(|v| v.value()), Some(2));
    drop(counts);
    drop(tx);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let page = s.get(&server.at(&format!("/consultations/{id}/resultats")));
    assert!(page.body.contains("pourcentages sur les 2 personnes à qui elle a été posée"), "{}", page.body);
    assert!(page.body.contains("50,0 %"), "{}", page.body);
    verify_clean(&server);
}

#[test]
fn the_builder_sets_a_condition_in_two_steps_and_refuses_what_would_break_one() {
    let server = TestServer::start();
    let id = open_consultation(
        &server,
        Audience::Anyone,
        vec![
            q("Avez-vous un vélo ?", true, yes_no()),
            q("Votre âge", false, Kind::Number { min: None, max: None }),
            Question { page: 2, ..q("Votre quartier", false, Kind::ShortText) },
        ],
    );
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let at = format!("/admin/consultations/{id}");
    let add = format!("{at}/questions");
    let staff_page = s.get(&server.at(&at));
    assert!(staff_page.body.contains("Afficher seulement si"), "{}", staff_page.body);
    // Step one: the question named; its options come back to tick.
    let base = [("kind", "short-text"), ("page", "1"), ("label", "Où le garez-vous ?")];
    let mut step1 = base.to_vec();
    step1.push(("condition", "1"));
    let r = post(&mut s, &server, &at, &add, &step1);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Cochez au moins une réponse") && r.body.contains("name=\"condition-0\""), "{}", r.body);
    // A text question cannot be a condition.
    let mut on_text = base.to_vec();
    on_text.extend([("condition", "2"), ("condition-0", "on")]);
    let r = post(&mut s, &server, &at, &add, &on_text);
    assert!(r.status == 422 && r.body.contains("doit porter sur une question à choix"), "{}", r.body);
    // Step two: ticked.
    let mut step2 = step1.clone();
    step2.push(("condition-0", "on"));
    assert_eq!(post(&mut s, &server, &at, &add, &step2).status, 303);
    let staff_page = s.get(&server.at(&at));
    assert!(staff_page.body.contains("Affichée seulement si « Avez-vous un vélo ? » = « Oui »"), "{}", staff_page.body);
    // Question 4 is « Où le garez-vous ? », after question 2 on page 1.
    let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
    assert_eq!(c.question(4).and_then(|q| q.show_if.clone()), when(1, &[0]));

    // Moving question 1 below its dependents is refused, and says why.
    for _ in 0..2 {
        let r = post(&mut s, &server, &at, &format!("{at}/questions/1/deplacer"), &[("sens", "bas")]);
        assert_eq!(r.status, 303);
    }
    let order = |server: &TestServer| -> Vec<u32> {
        let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
        c.questions.iter().map(|q| q.id).collect()
    };
    assert_eq!(order(&server), vec![2, 1, 4, 3], "down once (past the age), not past « Où le garez-vous ? »");
    let flashed = s.get(&server.at(&at));
    assert!(flashed.body.contains("Déplacement refusé"), "{}", flashed.body);
    // Hiding it is refused while question 4 depends on it.
    post(&mut s, &server, &at, &format!("{at}/questions/1/masquer"), &[("masquer", "oui")]);
    let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
    assert!(!c.question(1).unwrap().hidden);
    assert!(s.get(&server.at(&at)).body.contains("Masquage refusé"));
    // A condition naming a later question (page 2) is refused.
    let later = [("kind", "short-text"), ("page", "1"), ("label", "Avant"), ("condition", "4"), ("condition-0", "on")];
    let r = post(&mut s, &server, &at, &add, &later);
    assert_eq!(r.status, 422, "{}", r.body);
    let r = post(
        &mut s,
        &server,
        &at,
        &add,
        &[("kind", "short-text"), ("page", "1"), ("label", "Avant"), ("condition", "1"), ("condition-5", "on")],
    );
    assert!(r.status == 422 && r.body.contains("Cochez au moins une réponse"), "no option 5: {}", r.body);
    // Moving the question named to page 2 by editing it is refused.
    let r = post(
        &mut s,
        &server,
        &format!("{at}/questions/1"),
        &format!("{at}/questions/1"),
        &[
            ("kind", "single"),
            ("page", "2"),
            ("label", "Avez-vous un vélo ?"),
            ("required", "on"),
            ("options", "Oui\nNon"),
        ],
    );
    assert!(r.status == 422 && r.body.contains("doit rester une question à choix placée avant"), "{}", r.body);

    // Once answers exist: a condition added to an existing question is a
    // change of meaning; a new question may carry one.
    server.write(move |tx| {
        let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
        let yes = [(1, Raw { values: vec!["0".into()], other: String::new() })].into();
        consultations::submit(tx, ConsultationId(id), Respondent::Visitor, &yes, parvis::domain::now_unix())
            .map_err(e)?;
        Ok(())
    });
    let r = post(
        &mut s,
        &server,
        &format!("{at}/questions/3"),
        &format!("{at}/questions/3"),
        &[
            ("kind", "short-text"),
            ("page", "2"),
            ("label", "Votre quartier"),
            ("condition", "1"),
            ("condition-1", "on"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
    assert_eq!(c.question(3).unwrap().show_if, None);
    let new =
        [("kind", "short-text"), ("page", "2"), ("label", "Pourquoi pas ?"), ("condition", "1"), ("condition-1", "on")];
    assert_eq!(post(&mut s, &server, &at, &add, &new).status, 303);
    verify_clean(&server);
}
