//! The quarterly satisfaction survey (issue 15): who is offered it (active
//! in the quarter, as the metrics roll-up counts it, or not), the banner put
//! away or gone once answered, one survey per quarter, and the scores
//! worked out by hand.
//!
//! Scores of this quarter's survey: 5, 4, 4, 3, 5, 1 → 22 / 6 = 3.67, one
//! 1, no 2, one 3, two 4, two 5. The previous quarter's survey has three
//! answers: fewer than five, no mean nor distribution shown.

use std::collections::BTreeMap;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::consultations::{self, ConsultationId, Dates, Raw, Respondent};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::domain::satisfaction::{self, SatisfactionError};
use parvis::domain::{metrics, now_unix};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in, Person};
use crate::support::{Client, TestServer};

const DAY: i64 = 86_400;

fn e(x: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(x.to_string())
}

/// `who` posts a proposal at `when`: taking part then.
fn take_part(server: &TestServer, who: &[AccountId], when: i64) {
    let who = who.to_vec();
    server.write(move |tx| {
        let idea_box = IdeaBox {
            title: "Le bourg".into(),
            opens_at: when - DAY,
            closes_at: when + 400 * DAY,
            created_at: when - DAY,
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, idea_box).map_err(e)?;
        for (i, author) in who.iter().enumerate() {
            let new = NewProposal {
                box_id,
                author: *author,
                title: format!("Idée {i}"),
                body: "Texte.".into(),
                ..NewProposal::default()
            };
            proposals::post(tx, &new, when).map_err(e)?;
        }
        Ok(())
    });
}

fn roll_up(server: &TestServer) {
    let config = server.state().config.clone();
    server.write(move |tx| metrics::roll_up(tx, &config, None, now_unix()));
}

/// The survey of `quarter`, open from a minute ago for a week.
fn open_survey(server: &TestServer, staff: AccountId, quarter: u32) -> ConsultationId {
    let now = now_unix();
    server.write(move |tx| {
        let actor = Actor::person(staff, "127.0.0.1");
        let id = satisfaction::create_survey(tx, &actor, quarter, now).map_err(e)?;
        consultations::publish(tx, &actor, id, Dates { opens_at: now - 60, closes_at: now + 7 * DAY }, now)
            .map_err(e)?;
        Ok(id)
    })
}

fn answer(server: &TestServer, id: ConsultationId, who: AccountId, score: u8) {
    server.write(move |tx| {
        let c = consultations::get(tx, id)?.ok_or_else(|| e("no survey"))?;
        let fields =
            BTreeMap::from([(c.questions[0].id, Raw { values: vec![score.to_string()], other: String::new() })]);
        consultations::submit(tx, id, Respondent::Account(who), &fields, now_unix()).map(|_| ()).map_err(e)
    });
}

fn offer(server: &TestServer, who: AccountId) -> Option<satisfaction::Offer> {
    satisfaction::offer(&server.state().store.read().unwrap(), who, now_unix()).unwrap()
}

fn people(server: &TestServer, n: usize, prefix: &str) -> Vec<Person> {
    (0..n)
        .map(|i| {
            make_person(server, &format!("{prefix}{i}@testville.test"), &format!("{prefix}{i}"), Role::Resident, false)
        })
        .collect()
}

#[test]
fn the_survey_is_offered_to_those_active_in_the_quarter_until_they_answer_or_put_it_away() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let residents = people(&server, 4, "r");
    let [active, answering, earlier, never] = [0, 1, 2, 3].map(|i| AccountId(residents[i].id));
    let now = now_unix();
    take_part(&server, &[active, answering], now - 60);
    // The quarter before: four months back is always another quarter.
    take_part(&server, &[earlier], now - 122 * DAY);
    roll_up(&server);
    let quarter = satisfaction::quarter_of(now);
    assert!(offer(&server, active).is_none(), "no survey yet");
    let id = open_survey(&server, AccountId(staff.id), quarter);

    // One survey per quarter.
    let again = server.write(move |tx| {
        Ok(matches!(
            satisfaction::create_survey(tx, &Actor::command_line(), quarter, now_unix()),
            Err(SatisfactionError::AlreadyDone)
        ))
    });
    assert!(again, "a second survey for the quarter is refused");

    assert_eq!(offer(&server, active).map(|o| (o.quarter, o.consultation)), Some((quarter, id)));
    assert!(offer(&server, answering).is_some());
    assert!(offer(&server, earlier).is_none(), "active in another quarter only");
    assert!(offer(&server, never).is_none(), "never took part");

    // Answering takes the banner away.
    answer(&server, id, answering, 4);
    assert!(offer(&server, answering).is_none());

    // The banner on the home page, put away without script, for good.
    let mut c = Client::new();
    sign_in(&mut c, &server, &residents[0]);
    let home = c.get(&server.at("/"));
    assert!(home.body.contains("Votre avis sur la participation"), "{}", home.body);
    assert!(home.body.contains(&format!("href=\"/consultations/{id}\"")));
    let action = format!("/enquete-satisfaction/{quarter}/masquer");
    assert!(home.body.contains(&action));
    let r = post(&mut c, &server, "/", &action, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let home = c.get(&server.at("/"));
    assert!(!home.body.contains(&action), "put away");
    assert!(offer(&server, active).is_none());
    // The answering resident sees no banner either.
    let mut b = Client::new();
    sign_in(&mut b, &server, &residents[1]);
    assert!(!b.get(&server.at("/")).body.contains(&action));
    // Nor does someone who was not active.
    let mut d = Client::new();
    sign_in(&mut d, &server, &residents[2]);
    assert!(!d.get(&server.at("/")).body.contains("/masquer"));
}

#[test]
fn the_scores_are_the_means_and_distributions_worked_out_by_hand_none_under_five() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let residents = people(&server, 6, "s");
    let quarter = satisfaction::quarter_of(now_unix());
    let before = open_survey(&server, AccountId(staff.id), quarter - 1);
    let current = open_survey(&server, AccountId(staff.id), quarter);
    for (who, score) in residents.iter().zip([5u8, 4, 4, 3, 5, 1]) {
        answer(&server, current, AccountId(who.id), score);
    }
    for (who, score) in residents.iter().zip([2u8, 3, 5]) {
        answer(&server, before, AccountId(who.id), score);
    }
    let scores = satisfaction::scores(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(scores.len(), 2);
    assert_eq!(
        (scores[0].quarter, scores[0].answered, scores[0].mean, scores[0].distribution),
        (quarter - 1, 3, None, None)
    );
    let s = &scores[1];
    assert_eq!((s.quarter, s.answered, s.distribution), (quarter, 6, Some([1, 0, 1, 2, 2])));
    assert!((s.mean.unwrap() - 22.0 / 6.0).abs() < 1e-9, "{:?}", s.mean);

    // The dashboard shows them as a table; its button is gone once made.
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let page = c.get(&server.at("/admin/tableau-de-bord"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Satisfaction des habitants"));
    assert!(page.body.contains("<td>3.7</td>"), "{}", page.body);
    assert!(page.body.contains("moins de 5"));
    assert!(!page.body.contains(&format!("action=\"{}\"", parvis::web::satisfaction::CREATE_PATH)));
}

#[test]
fn staff_make_the_quarters_survey_with_one_button() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let page = c.get(&server.at("/admin/tableau-de-bord"));
    assert!(page.body.contains(&format!("action=\"{}\"", parvis::web::satisfaction::CREATE_PATH)), "{}", page.body);
    let r = post(&mut c, &server, "/admin/tableau-de-bord", "/admin/tableau-de-bord/satisfaction", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let quarter = satisfaction::quarter_of(now_unix());
    let id = satisfaction::survey_of(&server.state().store.read().unwrap(), quarter).unwrap().unwrap();
    assert_eq!(r.header("location"), Some(format!("/admin/consultations/{id}").as_str()));
    let c2 = consultations::get(&server.state().store.read().unwrap(), id).unwrap().unwrap();
    assert_eq!(c2.questions.len(), 3);
    assert!(matches!(c2.questions[0].kind, consultations::Kind::Scale { from: 1, to: 5, .. }));
}
