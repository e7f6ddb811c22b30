//! An approval ballot (choose up to N projects) over real HTTP, through
//! `/budgets/:id/voter` without JavaScript: N projects pass, N + 1 are
//! refused with the translated message and the boxes kept ticked, and a
//! vote is changed where the process allows it (one roll entry, one
//! ballot, the new choices).

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience, Pot, ProcessId, ProjectDetails, Rule, Settings, Study, Style};
use parvis::domain::now_unix;

use crate::admin::{make_person, sign_in};
use crate::support::{hidden_field, Client, TestServer};

const DAY: i64 = 86_400;
/// The most projects a voter chooses.
const MAX: u32 = 2;

/// A published approval process whose vote is open and can be changed:
/// one commune pot with four feasible projects, 1 to 4.
fn approval(server: &TestServer) -> ProcessId {
    let now = now_unix();
    let settings = Settings {
        title: "Budget participatif 2027".into(),
        description: "Choisissez vos projets.".into(),
        starts: [now - 30 * DAY, now - 15 * DAY, now - DAY, now + 10 * DAY, now + 40 * DAY],
        pots: vec![Pot { neighbourhood: None, amount_cents: 10_000_000 }],
        audience: Audience::SignedIn,
        min_age: None,
        style: Style::Approval { max: MAX },
        changeable: true,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    };
    let studied = now - 5 * DAY;
    server.write(move |tx| {
        let actor = Actor::command_line();
        let hoods = ["Centre".to_string()];
        let err = |e: budgets::BudgetError| parvis::store::StoreError::Internal(e.to_string());
        let id = budgets::create(tx, &hoods, &actor, &settings, studied).map_err(err)?;
        for title in ["Parc", "Pistes", "Bancs", "Fontaine"] {
            let d = ProjectDetails {
                title: title.into(),
                description: String::new(),
                proposed_cost_cents: 1_000_000,
                pot: 0,
                neighbourhood: None,
                category: String::new(),
                coords: None,
            };
            let n = budgets::add_project(tx, &hoods, &actor, id, &d, studied).map_err(err)?;
            budgets::set_study(tx, &actor, id, n, Study::Feasible { cost_cents: 1_000_000 }, studied).map_err(err)?;
        }
        budgets::publish(tx, &actor, id, studied).map_err(err)?;
        Ok(id)
    })
}

/// The ballot sent with these choices and button, as a browser sends it.
fn send(c: &mut Client, server: &TestServer, id: ProcessId, choices: &[u64], action: &str) -> crate::support::Resp {
    let path = format!("/budgets/{id}/voter");
    let token = hidden_field(&c.get(&server.at(&path)).body, "_csrf").expect("a CSRF token on the ballot");
    let numbers: Vec<String> = choices.iter().map(u64::to_string).collect();
    let mut fields: Vec<(&str, &str)> = numbers.iter().map(|n| ("choix", n.as_str())).collect();
    fields.push(("action", action));
    fields.push(("_csrf", &token));
    c.post_form(&server.at(&path), &fields)
}

/// Whether project `n`'s box is ticked.
fn checked(body: &str, n: u64) -> bool {
    body.split(&format!(r#"id="choix-{n}""#))
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .is_some_and(|tag| tag.contains("checked"))
}

fn counts(server: &TestServer, id: ProcessId) -> (u64, usize) {
    let tx = server.state().store.read().unwrap();
    (budgets::count_roll(&tx, id).unwrap(), budgets::ballots(&tx, id).unwrap().len())
}

#[test]
fn an_approval_ballot_takes_up_to_n_projects_refuses_more_keeping_the_choices_and_can_be_changed() {
    let server = TestServer::start_with(&[("commune.neighbourhoods", Value::List(vec!["Centre".into()]))]);
    let id = approval(&server);
    let person = make_person(&server, "camille@example.test", "Camille Votante", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &person);

    // The page says the rule, and counts without JavaScript.
    let page = c.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    assert!(page.contains(r#"data-style="approval""#) && page.contains(&format!(r#"data-max="{MAX}""#)), "{page}");
    let r = send(&mut c, &server, id, &[1, 2, 3], "recalculer");
    assert_eq!(r.status, 200);
    assert!(r.body.contains(r#"<strong data-count>3</strong> / 2"#), "{}", r.body);
    assert!([1, 2, 3].iter().all(|n| checked(&r.body, *n)) && !checked(&r.body, 4));

    // N + 1: refused with the translated message, the boxes as ticked,
    // nothing written.
    let r = send(&mut c, &server, id, &[1, 2, 3], "voter");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Vous avez choisi plus de 2 projets dans cette enveloppe : retirez-en, puis votez."),
        "{}",
        r.body
    );
    assert!(r.body.contains(r##"href="#enveloppe-0""##), "the error summary links to the pot: {}", r.body);
    assert!([1, 2, 3].iter().all(|n| checked(&r.body, *n)) && !checked(&r.body, 4), "{}", r.body);
    assert_eq!(counts(&server, id), (0, 0));

    // N: cast.
    let r = send(&mut c, &server, id, &[1, 3], "voter");
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    assert!(page.contains("Votre vote est enregistré"), "{page}");
    assert!(page.contains("Vous pouvez modifier votre vote") && page.contains("Modifier mon vote"), "{page}");
    assert_eq!(counts(&server, id), (1, 1));
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), id).unwrap(), vec![vec![1, 3]]);

    // Changed: N + 1 still refused, then fewer projects pass and replace
    // the first ballot.
    assert_eq!(send(&mut c, &server, id, &[2, 3, 4], "voter").status, 422);
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), id).unwrap(), vec![vec![1, 3]]);
    let r = send(&mut c, &server, id, &[4], "voter");
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get(&server.at(&format!("/budgets/{id}/voter"))).body.contains("Votre vote est modifié"));
    assert_eq!(counts(&server, id), (1, 1), "one person, one roll entry, one ballot");
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), id).unwrap(), vec![vec![4]]);
}
