//! Who may answer a consultation: one for the residents the town hall
//! verified (issue 12, "anyone, signed-in residents, or verified residents").

use parvis::domain::accounts::Role;
use parvis::domain::consultations::{self, Audience, ConsultationError, ConsultationId, Raw, Respondent};
use parvis::store::StoreError;

use crate::admin::{make_person, sign_in};
use crate::consultations::{day, hidden_fields, open_consultation, q, verify_clean};
use crate::support::{Client, TestServer};

#[test]
fn only_verified_residents_answer_a_consultation_kept_for_them() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Verified, vec![q("Quel jour", true, day())]);
    let url = server.at(&format!("/consultations/{id}/repondre"));

    // A visitor is sent to sign in.
    let r = Client::new().get(&url);
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/connexion"), "{:?}", r.header("location"));

    // A resident not verified is told why, and how to be, before any page;
    // the consultation's page says it instead of offering to start.
    let plain = make_person(&server, "camille@testville.test", "Camille", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &plain);
    let refused = c.get(&url);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Réservé aux habitants vérifiés"), "{}", refused.body);
    let page = c.get(&server.at(&format!("/consultations/{id}")));
    assert!(page.body.contains("réservée aux habitants dont la mairie a vérifié le compte"), "{}", page.body);
    assert!(!page.body.contains(&format!("href=\"/consultations/{id}/repondre\"")), "{}", page.body);

    // The domain holds the rule too: a form sent anyway counts nothing.
    let who = parvis::domain::accounts::AccountId(plain.id);
    let sent = server.state().store.writer().write_blocking(move |tx| {
        let fields = std::collections::BTreeMap::from([(1, Raw { values: vec!["1".into()], other: String::new() })]);
        Ok::<_, StoreError>(consultations::submit(
            tx,
            ConsultationId(id),
            Respondent::Account(who),
            &fields,
            parvis::domain::now_unix(),
        ))
    });
    assert!(matches!(sent, Ok(Err(ConsultationError::NotVerified))), "{sent:?}");

    // A verified resident answers.
    let verified = make_person(&server, "sacha@testville.test", "Sacha", Role::VerifiedResident, false);
    let mut v = Client::new();
    sign_in(&mut v, &server, &verified);
    let form = v.get(&url);
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = hidden_fields(&form.body);
    fields.push(("q1".into(), "1".into()));
    fields.push(("action".into(), "envoyer".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let done = v.post_form(&url, &refs);
    assert_eq!(done.status, 303, "{}", done.body);
    let counted = consultations::answer_count(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap();
    assert_eq!(counted, (1, 0), "the verified resident's answer alone");
    verify_clean(&server);
}
