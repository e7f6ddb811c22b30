//! The winners' follow-up of a participatory budget (issue 14), over real
//! HTTP: refused before the results, for a project that did not win and to
//! a resident on the staff's routes; then a full round — staff set a
//! winner's status, progress and milestones (refused forms kept as typed),
//! and residents read them, milestones by date.

// Amounts are written euros_cents (60_000_00 is 60 000 €), as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::{Action, Actor};
use parvis::domain::budgets::{self, follow_up, Pot, ProcessId, ProjectDetails, Rule, Settings, Status, Study, Style};
use parvis::domain::ids::AccountId;
use parvis::domain::now_unix;

use crate::admin::{events, make_person, sign_in};
use crate::support::{hidden_field, Client, Resp, TestServer};

const DAY: i64 = 86_400;

fn server() -> TestServer {
    TestServer::start_with(&[("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))])
}

fn err(e: budgets::BudgetError) -> parvis::store::StoreError {
    parvis::store::StoreError::Internal(e.to_string())
}

/// A published greedy process whose vote opened ten days ago: a commune
/// pot of 100 000 € with « Parc » (1, 60 000 €), « Pistes » (2, 50 000 €),
/// « Bancs » (3, 40 000 €), a Centre pot of 20 000 € with « Fontaine »
/// (4, 15 000 €). Five people vote: the park and the benches have three
/// votes each and fill the pot; the paths (two votes) no longer fit.
fn voted_process(server: &TestServer) -> ProcessId {
    let now = now_unix();
    let (open, close) = (now - 11 * DAY, now + 10 * DAY);
    let settings = Settings {
        title: "Budget participatif 2026".into(),
        description: "Vos projets.".into(),
        starts: [open - 30 * DAY, open - 15 * DAY, open, close, close + 30 * DAY],
        pots: vec![
            Pot { neighbourhood: None, amount_cents: 100_000_00 },
            Pot { neighbourhood: Some("Centre".into()), amount_cents: 20_000_00 },
        ],
        audience: budgets::Audience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: false,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    };
    let people: Vec<AccountId> = (0..5)
        .map(|i| AccountId(make_person(server, &format!("v{i}@example.test"), "Votant", Role::Resident, false).id))
        .collect();
    let studied = open - 5 * DAY;
    server.write(move |tx| {
        let actor = Actor::command_line();
        let hoods = ["Centre".to_string(), "Les Vignes".to_string()];
        let id = budgets::create(tx, &hoods, &actor, &settings, studied).map_err(err)?;
        for (title, cost, pot) in
            [("Parc", 60_000_00, 0), ("Pistes", 50_000_00, 0), ("Bancs", 40_000_00, 0), ("Fontaine", 15_000_00, 1)]
        {
            let d = ProjectDetails {
                title: title.into(),
                description: format!("Le projet {title}."),
                proposed_cost_cents: cost,
                pot,
                neighbourhood: None,
                category: "Cadre de vie".into(),
                coords: None,
            };
            let n = budgets::add_project(tx, &hoods, &actor, id, &d, studied).map_err(err)?;
            budgets::set_study(tx, &actor, id, n, Study::Feasible { cost_cents: cost }, studied).map_err(err)?;
        }
        budgets::publish(tx, &actor, id, studied).map_err(err)?;
        let ballots: [&[u64]; 5] = [&[1, 3], &[1, 3], &[1, 4], &[2, 3], &[2]];
        for (who, choices) in people.iter().zip(ballots) {
            budgets::vote(tx, id, *who, choices, now - 10 * DAY).map_err(err)?;
        }
        Ok(id)
    })
}

/// Staff close the vote now (which seals the roll): the results are out.
fn close(server: &TestServer, id: ProcessId) {
    server.write(move |tx| budgets::close_vote(tx, &Actor::command_line(), id, now_unix()).map_err(err));
}

fn signed_in(server: &TestServer, email: &str, role: Role) -> Client {
    let p = make_person(server, email, "Agnès Agent", role, role >= Role::Staff);
    let mut c = Client::new();
    sign_in(&mut c, server, &p);
    c
}

/// A form sent with the CSRF token of the page `from` (any page carries
/// one for a signed-in person, in its sign-out form).
fn send(c: &mut Client, server: &TestServer, from: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
    let token = hidden_field(&c.get(&server.at(from)).body, "_csrf").expect("a CSRF token");
    let mut all = fields.to_vec();
    all.push(("_csrf", &token));
    c.post_form(&server.at(action), &all)
}

fn stored(server: &TestServer, id: ProcessId, number: u64) -> Option<follow_up::FollowUp> {
    follow_up::follow_up(&server.state().store.read().unwrap(), id, number).unwrap()
}

#[test]
fn the_follow_up_is_refused_before_the_results_for_a_loser_and_to_residents() {
    let server = server();
    let id = voted_process(&server);
    let mut staff = signed_in(&server, "agent@example.test", Role::Staff);
    let admin_page = format!("/admin/budgets/{id}");
    let status = [("status", "in-progress"), ("progress", "10"), ("reason", "")];

    // During the vote: no winner yet, for staff nor residents.
    assert!(!staff.get(&server.at(&admin_page)).body.contains(&format!("{admin_page}/suivi")));
    let r = staff.get(&server.at(&format!("{admin_page}/suivi")));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Le vote n'est pas clos"), "{}", r.body);
    let r = send(&mut staff, &server, &admin_page, &format!("{admin_page}/suivi/1"), &status);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(stored(&server, id, 1).is_none());
    let r = Client::new().get(&server.at(&format!("/budgets/{id}/suivi")));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Le suivi des projets commencera quand le vote sera clos"), "{}", r.body);
    assert!(!Client::new().get(&server.at(&format!("/budgets/{id}"))).body.contains(&format!("/budgets/{id}/suivi")));

    close(&server, id);
    // The paths did not win: no follow-up page, no change taken.
    let r = staff.get(&server.at(&format!("{admin_page}/suivi/2")));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Ce projet n'a pas été retenu"), "{}", r.body);
    let r = send(&mut staff, &server, &admin_page, &format!("{admin_page}/suivi/2"), &status);
    assert_eq!(r.status, 409, "{}", r.body);
    let r = send(
        &mut staff,
        &server,
        &admin_page,
        &format!("{admin_page}/suivi/2/jalons"),
        &[("date", "2027-01-01"), ("milestone_title", "Début"), ("milestone_text", "")],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(stored(&server, id, 2).is_none());
    assert_eq!(staff.get(&server.at(&format!("{admin_page}/suivi/9"))).status, 404);

    // A resident reaches none of the staff's routes, with a valid token.
    let mut resident = signed_in(&server, "camille@example.test", Role::Resident);
    assert_eq!(resident.get(&server.at(&format!("{admin_page}/suivi"))).status, 403);
    assert_eq!(resident.get(&server.at(&format!("{admin_page}/suivi/1"))).status, 403);
    let r = send(&mut resident, &server, "/budgets", &format!("{admin_page}/suivi/1"), &status);
    assert_eq!(r.status, 403);
    let r = send(
        &mut resident,
        &server,
        "/budgets",
        &format!("{admin_page}/suivi/1/jalons"),
        &[("date", "2027-01-01"), ("milestone_title", "Piraté"), ("milestone_text", "")],
    );
    assert_eq!(r.status, 403);
    assert!(stored(&server, id, 1).is_none(), "nothing written by a resident");
}

#[test]
fn staff_follow_up_a_winner_and_residents_see_it_with_its_milestones_by_date() {
    let server = server();
    let id = voted_process(&server);
    close(&server, id);
    let mut staff = signed_in(&server, "agent@example.test", Role::Staff);
    let admin_page = format!("/admin/budgets/{id}");
    let page = format!("{admin_page}/suivi/1");

    // The process's staff page links to the follow-up, which lists the
    // winners only.
    assert!(staff.get(&server.at(&admin_page)).body.contains(&format!("href=\"{admin_page}/suivi\"")));
    let list = staff.get(&server.at(&format!("{admin_page}/suivi"))).body;
    for n in [1, 3, 4] {
        assert!(list.contains(&format!("href=\"{admin_page}/suivi/{n}\"")), "winner {n}: {list}");
    }
    assert!(!list.contains(&format!("{admin_page}/suivi/2\"")) && !list.contains("Pistes"), "{list}");

    // Refused forms come back as typed.
    let r = send(&mut staff, &server, &page, &page, &[("status", "in-progress"), ("progress", "150"), ("reason", "")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Indiquez un avancement entre 0 et 100") && r.body.contains("value=\"150\""), "{}", r.body);
    let r = send(&mut staff, &server, &page, &page, &[("status", "abandoned"), ("progress", "0"), ("reason", " ")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Indiquez pourquoi le projet est abandonné"), "{}", r.body);
    assert!(stored(&server, id, 1).is_none());
    let r = send(&mut staff, &server, &page, &page, &[("status", "in-progress"), ("progress", "40"), ("reason", "")]);
    assert_eq!(r.status, 303, "{}", r.body);

    let add = format!("{page}/jalons");
    let milestone = |date: &'static str, title: &'static str, text: &'static str| {
        [("date", date), ("milestone_title", title), ("milestone_text", text)]
    };
    let r = send(&mut staff, &server, &page, &add, &milestone("bientôt", "Inauguration", ""));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Indiquez une date") && r.body.contains("value=\"Inauguration\""), "{}", r.body);
    for (date, title, text) in [
        ("2027-06-01", "Inauguration", "Fête au parc."),
        ("15/03/2027", "Début des travaux", "Les **engins** arrivent."),
        ("2027-01-01", "Étape en trop", ""),
    ] {
        let r = send(&mut staff, &server, &page, &add, &milestone(date, title, text));
        assert_eq!(r.status, 303, "{title}: {}", r.body);
    }
    // Corrected on its own page (a refused correction kept as typed), then
    // one removed.
    let edit = format!("{page}/jalons/1");
    assert!(staff.get(&server.at(&page)).body.contains(&format!("href=\"{edit}\"")));
    let r = send(&mut staff, &server, &edit, &edit, &milestone("2027-06-02", " ", "Fête au parc."));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"2027-06-02\""), "{}", r.body);
    let r = send(&mut staff, &server, &edit, &edit, &milestone("2027-06-02", "Inauguration du parc", "Fête au parc."));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = send(&mut staff, &server, &page, &format!("{page}/jalons/3/supprimer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);

    let f = stored(&server, id, 1).unwrap();
    assert_eq!((f.status, f.progress), (Status::InProgress, 40));
    let audited: Vec<String> =
        events(&server).into_iter().filter(|e| e.action == Action::BudgetChanged).map(|e| e.detail).collect();
    for what in ["status in-progress, 40 %", "milestone 1 edited", "milestone 3 removed"] {
        assert!(audited.iter().any(|d| d.ends_with(&format!("project 1 follow-up: {what}"))), "{what}: {audited:?}");
    }

    // Residents: the process page links to the follow-up; the winner's
    // project page to its own entry, the loser's not (its pages keep the
    // process's link).
    let mut visitor = Client::new();
    let suivi = format!("/budgets/{id}/suivi");
    assert!(visitor.get(&server.at(&format!("/budgets/{id}"))).body.contains(&format!("href=\"{suivi}\"")));
    assert!(visitor.get(&server.at(&format!("/budgets/{id}/projets/1"))).body.contains(&format!("{suivi}#projet-1")));
    let loser = visitor.get(&server.at(&format!("/budgets/{id}/projets/2"))).body;
    assert!(!loser.contains(&format!("{suivi}#projet")) && !loser.contains("Suivre la réalisation"), "{loser}");
    let r = visitor.get(&server.at(&suivi));
    assert_eq!(r.status, 200);
    let body = r.body;
    assert!(body.contains("En travaux") && body.contains("Avancement : 40"), "{body}");
    assert!(body.contains("progress max=\"100\" value=\"40\" aria-label=\"Avancement de « Parc »\""), "{body}");
    let (start, end) = (body.find("Début des travaux").unwrap(), body.find("Inauguration du parc").unwrap());
    assert!(start < end, "milestones by date, not by the order typed");
    assert!(body.contains("<time datetime=\"2027-03-15\">15/03/2027</time>"), "{body}");
    assert!(body.contains("<strong>engins</strong>"), "the text is Markdown");
    assert!(!body.contains("Étape en trop") && !body.contains("Pistes"), "{body}");
    // A winner not followed yet reads as being studied.
    assert!(body.contains("id=\"projet-3\"") && body.contains("À l'étude"), "{body}");

    // Finished: 100 % whatever was typed.
    let r = send(&mut staff, &server, &page, &page, &[("status", "done"), ("progress", "70"), ("reason", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(stored(&server, id, 1).unwrap().progress, 100);
}
