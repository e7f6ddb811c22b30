//! Editable answers: off by default; once staff allow it, a signed-in
//! person who answered changes their answer until the close, through the
//! questionnaire filled with what they sent; the counts move exactly (the
//! old answer's down, the new one's up) and the receipt stays.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::consultations::{self, Audience, ConsultationError, ConsultationId, Kind, Raw, Respondent};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::consultations::{open_consultation, q, send, verify_clean};
use crate::support::{Client, TestServer};

fn day() -> Kind {
    Kind::Single { options: vec!["Mardi".into(), "Samedi".into(), "Dimanche".into()], dropdown: false, other: false }
}

fn stalls() -> Kind {
    Kind::Multiple { options: vec!["Fruits".into(), "Fromages".into(), "Fleurs".into()], min: 0, max: 0, other: false }
}

fn raw(values: &[&str]) -> Raw {
    Raw { values: values.iter().map(|v| v.to_string()).collect(), other: String::new() }
}

/// (answers, answered Q1, Q1 per option, answered Q2, Q2 per option).
fn figures(server: &TestServer, id: u64) -> (u64, u64, Vec<u64>, u64, Vec<u64>) {
    let tx = server.state().store.read().unwrap();
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    let r = consultations::results(&tx, &c).unwrap();
    let per = |i: usize| r.questions[i].counts.iter().map(|c| c.count).collect::<Vec<_>>();
    (r.answers, r.questions[0].answered, per(0), r.questions[1].answered, per(1))
}

#[test]
fn an_answer_is_changed_until_the_close_where_allowed_and_the_counts_move_exactly() {
    let server = TestServer::start();
    let id = open_consultation(
        &server,
        Audience::SignedIn,
        vec![q("Quel jour", true, day()), q("Quels étals", false, stalls())],
    );
    let resident = make_person(&server, "ines@testville.test", "Inès", Role::Resident, false);
    let account = AccountId(resident.id);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    let form = r.get(&server.at(&format!("/consultations/{id}/repondre")));
    let sent = send(&mut r, &server, id, &form, &[("q1", "0"), ("q2", "0"), ("q2", "1")], "envoyer");
    assert_eq!(sent.status, 303);
    // Someone else's answer, so that the counts are more than this one's.
    server.write(move |tx| {
        let e = |e: ConsultationError| StoreError::Internal(e.to_string());
        let fields = [(1, raw(&["0"])), (2, raw(&["0"]))].into();
        let other = Respondent::Account(AccountId(999_999));
        consultations::submit(tx, ConsultationId(id), other, &fields, parvis::domain::now_unix()).map_err(e)?;
        Ok(())
    });
    assert_eq!(figures(&server, id), (2, 2, vec![2, 0, 0], 2, vec![2, 1, 0]));
    let before =
        consultations::answer_of(&server.state().store.read().unwrap(), ConsultationId(id), account).unwrap().unwrap();

    // Off by default: no offer, the edit form sends back to the receipt,
    // and the domain refuses.
    let thanks = r.get(&server.at(&format!("/consultations/{id}/merci")));
    assert!(!thanks.body.contains("Modifier ma réponse"), "{}", thanks.body);
    assert_eq!(r.get(&server.at(&format!("/consultations/{id}/repondre?modifier=1"))).status, 303);
    let not_editable = server.write(move |tx| {
        let fields = [(1, raw(&["1"]))].into();
        Ok(consultations::edit_answer(tx, ConsultationId(id), account, &fields, parvis::domain::now_unix()).err())
    });
    assert!(matches!(not_editable, Some(ConsultationError::NotEditable)), "{not_editable:?}");

    // Staff allow it: residents are told, and the one who answered offered.
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let at = format!("/admin/consultations/{id}");
    assert_eq!(post(&mut s, &server, &at, &format!("{at}/modifiables"), &[("modifiables", "oui")]).status, 303);
    let staff_page = s.get(&server.at(&at));
    assert!(staff_page.body.contains("peuvent modifier leur réponse"), "{}", staff_page.body);
    let public = r.get(&server.at(&format!("/consultations/{id}")));
    assert!(public.body.contains("Modifier ma réponse"), "{}", public.body);
    let thanks = r.get(&server.at(&format!("/consultations/{id}/merci")));
    assert!(thanks.body.contains("repondre?modifier=1"), "{}", thanks.body);

    // The questionnaire comes filled with the answer sent.
    let form = r.get(&server.at(&format!("/consultations/{id}/repondre?modifier=1")));
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("name=\"q1\" value=\"0\" checked"), "{}", form.body);
    let changed = send(&mut r, &server, id, &form, &[("q1", "2"), ("q2", "1"), ("q2", "2")], "envoyer");
    assert_eq!(changed.status, 303, "{}", changed.body);
    // Exactly: Mardi 2 → 1, Dimanche 0 → 1; Fruits 2 → 1, Fleurs 0 → 1.
    assert_eq!(figures(&server, id), (2, 2, vec![1, 0, 1], 2, vec![1, 1, 1]));
    let after =
        consultations::answer_of(&server.state().store.read().unwrap(), ConsultationId(id), account).unwrap().unwrap();
    assert_eq!((after.number, &after.receipt, after.at), (before.number, &before.receipt, before.at));
    assert!(after.edited_at.is_some() && before.edited_at.is_none());
    // An optional question emptied: its counts go, nothing left at zero.
    let form = r.get(&server.at(&format!("/consultations/{id}/repondre?modifier=1")));
    assert_eq!(send(&mut r, &server, id, &form, &[("q1", "2")], "envoyer").status, 303);
    assert_eq!(figures(&server, id), (2, 2, vec![1, 0, 1], 1, vec![1, 0, 0]));
    verify_clean(&server);

    // After the close: no offer, and refused.
    server.write(move |tx| {
        let e = |e: ConsultationError| StoreError::Internal(e.to_string());
        consultations::close(tx, &Actor::command_line(), ConsultationId(id), parvis::domain::now_unix()).map_err(e)
    });
    let thanks = r.get(&server.at(&format!("/consultations/{id}/merci")));
    assert!(!thanks.body.contains("Modifier ma réponse"), "{}", thanks.body);
    let closed = server.write(move |tx| {
        let fields = [(1, raw(&["1"]))].into();
        Ok(consultations::edit_answer(tx, ConsultationId(id), account, &fields, parvis::domain::now_unix()).err())
    });
    assert!(matches!(closed, Some(ConsultationError::NotOpen)), "{closed:?}");
    assert_eq!(figures(&server, id), (2, 2, vec![1, 0, 1], 1, vec![1, 0, 0]), "unchanged");
    verify_clean(&server);
}
