//! Participatory budgets over real HTTP, the residents' side (issue 14):
//! every page for a visitor and a voter; the ballot without JavaScript
//! (« Recalculer », then « Voter »); a ballot over budget refused with the
//! choices kept; voters the process does not admit, and a second vote,
//! refused with the reason; many parallel votes by one person giving one
//! roll entry and one ballot; the results page on a hand-checked case and
//! the CSV files.

// Amounts are written euros_cents (60_000_00 is 60 000 €), as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience, Pot, ProcessId, ProjectDetails, Rule, Settings, Study, Style};
use parvis::domain::ids::AccountId;
use parvis::domain::now_unix;

use crate::admin::{make_person, sign_in, Person};
use crate::support::{hidden_field, Client, TestServer};

const DAY: i64 = 86_400;
const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

fn hoods() -> Vec<String> {
    vec!["Centre".into(), "Les Vignes".into()]
}

fn server() -> TestServer {
    TestServer::start_with(&[("commune.neighbourhoods", Value::List(hoods()))])
}

/// « 40 000 € » as the pages write it.
fn eur(thousands: u64) -> String {
    format!("{thousands}{NNBSP}000{NBSP}€")
}

/// How a test process is set up.
struct Setup {
    audience: Audience,
    min_age: Option<u32>,
    changeable: bool,
    rule: Rule,
    /// Days from now at which the vote opens and closes.
    vote: (i64, i64),
}

impl Default for Setup {
    fn default() -> Self {
        Setup { audience: Audience::SignedIn, min_age: None, changeable: false, rule: Rule::Greedy, vote: (-1, 10) }
    }
}

/// A published process: a commune pot of 100 000 € with « Parc » (1,
/// 60 000 €), « Pistes » (2, 50 000 €), « Bancs » (3, 40 000 €), a Centre
/// pot of 20 000 € with « Fontaine » (4, 15 000 €), and « Téléphérique »
/// (5), found not feasible.
fn process(server: &TestServer, s: Setup) -> ProcessId {
    let now = now_unix();
    let (open, close) = (now + s.vote.0 * DAY, now + s.vote.1 * DAY);
    let settings = Settings {
        title: "Budget participatif 2027".into(),
        description: "Vos projets pour **la commune**.".into(),
        starts: [open - 30 * DAY, open - 15 * DAY, open, close, close + 30 * DAY],
        pots: vec![
            Pot { neighbourhood: None, amount_cents: 100_000_00 },
            Pot { neighbourhood: Some("Centre".into()), amount_cents: 20_000_00 },
        ],
        audience: s.audience,
        min_age: s.min_age,
        style: Style::Basket,
        changeable: s.changeable,
        rule: s.rule,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    };
    // Written during the study, before the vote opened.
    let studied = open - 5 * DAY;
    server.write(move |tx| {
        let actor = Actor::command_line();
        let id = budgets::create(tx, &hoods(), &actor, &settings, studied).map_err(err)?;
        for (title, cost, pot) in [
            ("Parc", 60_000_00, 0),
            ("Pistes", 50_000_00, 0),
            ("Bancs", 40_000_00, 0),
            ("Fontaine", 15_000_00, 1),
            ("Téléphérique", 900_000_00, 0),
        ] {
            let d = ProjectDetails {
                title: title.into(),
                description: format!("Le projet {title}."),
                proposed_cost_cents: cost,
                pot,
                neighbourhood: None,
                category: "Cadre de vie".into(),
                coords: None,
            };
            let n = budgets::add_project(tx, &hoods(), &actor, id, &d, studied).map_err(err)?;
            let study = match title {
                "Téléphérique" => Study::NotFeasible { reason: "Le relief ne s'y prête pas.".into() },
                _ => Study::Feasible { cost_cents: cost },
            };
            budgets::set_study(tx, &actor, id, n, study, studied).map_err(err)?;
        }
        budgets::publish(tx, &actor, id, studied).map_err(err)?;
        Ok(id)
    })
}

fn err(e: budgets::BudgetError) -> parvis::store::StoreError {
    parvis::store::StoreError::Internal(e.to_string())
}

fn voter(server: &TestServer, email: &str, role: Role) -> (Person, Client) {
    let p = make_person(server, email, "Camille Votante", role, false);
    let mut c = Client::new();
    sign_in(&mut c, server, &p);
    (p, c)
}

/// The ballot's form sent with these choices and button.
fn send(c: &mut Client, server: &TestServer, id: ProcessId, choices: &[u64], action: &str) -> crate::support::Resp {
    let path = format!("/budgets/{id}/voter");
    let page = c.get(&server.at(&path));
    let token = hidden_field(&page.body, "_csrf").expect("a CSRF token on the ballot");
    let numbers: Vec<String> = choices.iter().map(u64::to_string).collect();
    let mut fields: Vec<(&str, &str)> = numbers.iter().map(|n| ("choix", n.as_str())).collect();
    fields.push(("action", action));
    fields.push(("_csrf", &token));
    c.post_form(&server.at(&path), &fields)
}

fn counts(server: &TestServer, id: ProcessId) -> (u64, usize) {
    let tx = server.state().store.read().unwrap();
    (budgets::count_roll(&tx, id).unwrap(), budgets::ballots(&tx, id).unwrap().len())
}

fn checked(body: &str, n: u64) -> bool {
    body.contains(&format!(r#"id="choix-{n}" name="choix" value="{n}" data-pot"#))
        && body
            .split(&format!(r#"id="choix-{n}""#))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .is_some_and(|tag| tag.contains("checked"))
}

#[test]
fn every_page_answers_for_a_visitor_and_a_voter() {
    let server = server();
    let id = process(&server, Setup::default());
    let (_, mut signed) = voter(&server, "camille@example.test", Role::Resident);
    let mut visitor = Client::new();
    for c in [&mut visitor, &mut signed] {
        let home = c.get(&server.at("/"));
        assert!(home.body.contains(r#"href="/budgets""#), "in the main navigation");
        assert!(home.body.contains(&format!(r#"href="/budgets/{id}/voter""#)), "the home page says a vote is open");
        let list = c.get(&server.at("/budgets"));
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains("Budget participatif 2027") && list.body.contains("badge-budget-vote"),
            "{}",
            list.body
        );
        let page = c.get(&server.at(&format!("/budgets/{id}")));
        assert_eq!(page.status, 200);
        let b = &page.body;
        assert!(b.contains(r#"aria-current="step"><strong>Vote</strong>"#), "the current phase is marked: {b}");
        assert!(b.contains("<strong>la commune</strong>"), "the description is Markdown");
        assert!(b.contains(&format!("Toute la commune — {}", eur(100))) && b.contains("Quartier Centre"));
        assert!(b.contains("Non réalisable :") && b.contains("Le relief ne s'y prête pas."), "the reason is public");
        assert!(b.contains(&format!("coût estimé par les services : {}", eur(60))));
        let project = c.get(&server.at(&format!("/budgets/{id}/projets/4")));
        assert_eq!(project.status, 200);
        assert!(project.body.contains("<h1>Fontaine</h1>") && project.body.contains("Centre"));
        assert!(project.body.contains(r#"aria-current="step""#), "the timeline on every page");
        assert_eq!(c.get(&server.at(&format!("/budgets/{id}/projets/99"))).status, 404);
        assert_eq!(c.get(&server.at(&format!("/budgets/{id}/voter"))).status, 200);
        let results = c.get(&server.at(&format!("/budgets/{id}/resultats")));
        assert_eq!(results.status, 200);
        assert!(results.body.contains("seront publiés à la clôture"), "no counts during the vote: {}", results.body);
        assert!(!results.body.contains("budget-results"), "no table of counts");
        assert_eq!(
            c.get(&server.at(&format!("/budgets/{id}/bulletins.csv"))).status,
            409,
            "no ballots before the close"
        );
        assert_eq!(c.get(&server.at(&format!("/budgets/{id}/resultats.csv"))).status, 409);
        let csv = c.get(&server.at(&format!("/budgets/{id}/projets.csv")));
        assert_eq!(csv.status, 200);
        assert!(csv.body.starts_with("number,pot,pot_amount_cents,cost_cents,neighbourhood\n1,0,10000000,6000000,\n"));
        assert!(!csv.body.contains("\n5,"), "a project not feasible is not on the ballot");
        assert!(c.get(&server.at("/budgets/recomptage")).body.contains("recount.py"));
        assert!(c.get(&server.at("/budgets/recount.py")).body.contains("def "));
        assert_eq!(c.get(&server.at("/budgets/999")).status, 404);
    }
    let ballot = visitor.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    assert!(ballot.contains("Connectez-vous pour voter") && !ballot.contains(r#"name="choix""#), "{ballot}");
    let ballot = signed.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    assert!(ballot.contains(r#"name="choix""#) && ballot.contains("js/budget.js"), "{ballot}");
    assert!(!ballot.contains("choix-5"), "only feasible projects are on the ballot");
    // A draft is not public.
    let draft = server.write(move |tx| {
        let mut s = budgets::get(tx, id)?.unwrap();
        s.title = "Brouillon".into();
        let settings = Settings {
            title: s.title,
            description: String::new(),
            starts: s.starts.map(|t| t + 400 * DAY),
            pots: s.pots,
            audience: s.audience,
            min_age: None,
            style: s.style,
            changeable: false,
            rule: s.rule,
            min_votes: 0,
            secret: true,
            results_during_vote: false,
        };
        budgets::create(tx, &hoods(), &Actor::command_line(), &settings, now_unix()).map_err(err)
    });
    assert_eq!(visitor.get(&server.at(&format!("/budgets/{draft}"))).status, 404);
    assert!(!visitor.get(&server.at("/budgets")).body.contains("Brouillon"));
}

#[test]
fn a_vote_without_javascript_recalculates_then_is_cast() {
    let server = server();
    let id = process(&server, Setup::default());
    let (_, mut c) = voter(&server, "camille@example.test", Role::Resident);
    let again = send(&mut c, &server, id, &[1, 3, 4], "recalculer");
    assert_eq!(again.status, 200, "{}", again.body);
    let b = &again.body;
    assert!(checked(b, 1) && checked(b, 3) && checked(b, 4) && !checked(b, 2), "the choices are kept: {b}");
    assert!(b.contains(&format!("<strong data-spent>{}</strong>", eur(100))), "the running total: {b}");
    assert!(b.contains(&format!("<strong data-left>0{NBSP}€</strong>")), "nothing left in the commune's pot");
    assert!(
        b.contains(&format!("<strong data-spent>{}</strong>", eur(15)))
            && b.contains(&format!("<strong data-left>{}</strong>", eur(5)))
    );
    assert_eq!(counts(&server, id), (0, 0), "recalculating casts nothing");

    let cast = send(&mut c, &server, id, &[1, 3, 4], "voter");
    assert_eq!(cast.status, 303, "{}", cast.body);
    assert_eq!(cast.header("location"), Some(format!("/budgets/{id}/voter").as_str()));
    let after = c.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    let today = parvis::domain::budgets::day_of(now_unix());
    let shown = format!("{}/{}/{}", &today[8..10], &today[5..7], &today[0..4]);
    assert!(after.contains(&format!("Vous avez voté le {shown}.")), "{after}");
    assert!(after.contains("Votre vote est enregistré"), "the flash message");
    assert!(!after.contains(r#"name="choix""#), "a final vote shows no ballot");
    assert_eq!(counts(&server, id), (1, 1));
    let ballot_id = budgets::ballots(&server.state().store.read().unwrap(), id).unwrap()[0].0.to_string();
    assert!(!after.contains(&ballot_id), "the page never shows the ballot's id");
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), id).unwrap(), vec![vec![1, 3, 4]]);
}

#[test]
fn a_ballot_over_budget_is_refused_keeping_the_choices() {
    let server = server();
    let id = process(&server, Setup::default());
    let (_, mut c) = voter(&server, "camille@example.test", Role::Resident);
    // 60 000 + 50 000 > 100 000.
    let shown = send(&mut c, &server, id, &[1, 2], "recalculer");
    assert_eq!(shown.status, 200);
    assert!(
        shown.body.contains(r#"<p class="error-message" data-over="0">"#),
        "flagged on recalculating: {}",
        shown.body
    );
    let refused = send(&mut c, &server, id, &[1, 2], "voter");
    assert_eq!(refused.status, 422, "{}", refused.body);
    let b = &refused.body;
    assert!(crate::support::title_of(b).starts_with("Erreur"), "{}", crate::support::title_of(b));
    assert!(b.contains(r##"<a href="#enveloppe-0">Votre choix dépasse le montant de cette enveloppe : retirez un projet, puis votez.</a>"##), "{b}");
    assert!(checked(b, 1) && checked(b, 2), "the choices are kept");
    assert_eq!(counts(&server, id), (0, 0));
    let empty = send(&mut c, &server, id, &[], "voter");
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Choisissez au moins un projet."));
    let unknown = send(&mut c, &server, id, &[99], "voter");
    assert_eq!(unknown.status, 422, "a number not on the ballot");
    assert_eq!(counts(&server, id), (0, 0));
}

#[test]
fn voters_the_process_does_not_admit_are_refused_with_the_reason() {
    let server = server();
    let verified_only = process(&server, Setup { audience: Audience::Verified, ..Setup::default() });
    let (_, mut resident) = voter(&server, "camille@example.test", Role::Resident);
    let page = resident.get(&server.at(&format!("/budgets/{verified_only}/voter"))).body;
    assert!(page.contains("réservé aux habitants dont la mairie a vérifié le compte"), "{page}");
    assert!(page.contains(r#"href="/compte/verification""#) && !page.contains(r#"name="choix""#));
    // Sent anyway (an old page): refused by the domain, with the reason.
    let token = hidden_field(&page, "_csrf").unwrap();
    let sent = resident.post_form(
        &server.at(&format!("/budgets/{verified_only}/voter")),
        &[("choix", "1"), ("action", "voter"), ("_csrf", &token)],
    );
    assert_eq!(sent.status, 403, "{}", sent.body);
    assert!(sent.body.contains(r##"<a href="#statut">Ce vote est réservé aux habitants"##), "{}", sent.body);

    let of_age = process(&server, Setup { min_age: Some(16), ..Setup::default() });
    let (_, mut verified) = voter(&server, "dominique@example.test", Role::VerifiedResident);
    let page = verified.get(&server.at(&format!("/budgets/{of_age}/voter"))).body;
    assert!(page.contains("Votre âge n'est pas vérifié"), "verified without a birth date: {page}");
    let token = hidden_field(&page, "_csrf").unwrap();
    let sent = verified.post_form(
        &server.at(&format!("/budgets/{of_age}/voter")),
        &[("choix", "1"), ("action", "voter"), ("_csrf", &token)],
    );
    assert_eq!(sent.status, 403);
    assert!(sent.body.contains("Votre âge n'est pas vérifié"));

    let visitor = Client::new()
        .post_form(&server.at(&format!("/budgets/{of_age}/voter")), &[("choix", "1"), ("action", "voter")]);
    assert_eq!(visitor.status, 403, "no CSRF token: refused before anything");
    assert_eq!(counts(&server, verified_only), (0, 0));
    assert_eq!(counts(&server, of_age), (0, 0));

    let closed = process(&server, Setup { vote: (-20, -2), ..Setup::default() });
    let page = resident.get(&server.at(&format!("/budgets/{closed}/voter"))).body;
    assert!(page.contains("Le vote est clos.") && !page.contains(r#"name="choix""#));
    let future = process(&server, Setup { vote: (3, 10), ..Setup::default() });
    let page = resident.get(&server.at(&format!("/budgets/{future}/voter"))).body;
    assert!(page.contains("Le vote ouvrira le"), "{page}");
}

#[test]
fn a_second_vote_is_refused_and_a_changeable_one_replaces_the_first() {
    let server = server();
    let id = process(&server, Setup::default());
    let (_, mut c) = voter(&server, "camille@example.test", Role::Resident);
    assert_eq!(send(&mut c, &server, id, &[1], "voter").status, 303);
    // The ballot is no longer shown; an old tab sends it again.
    let token = hidden_field(&c.get(&server.at(&format!("/budgets/{id}"))).body, "_csrf").unwrap();
    let twice = c.post_form(
        &server.at(&format!("/budgets/{id}/voter")),
        &[("choix", "2"), ("action", "voter"), ("_csrf", &token)],
    );
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(twice.body.contains("Vous avez déjà voté dans ce budget participatif."), "{}", twice.body);
    assert!(twice.body.contains("Vous avez voté le "), "the state is shown");
    assert_eq!(counts(&server, id), (1, 1));
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), id).unwrap(), vec![vec![1]]);

    let changeable = process(&server, Setup { changeable: true, ..Setup::default() });
    assert_eq!(send(&mut c, &server, changeable, &[1], "voter").status, 303);
    let page = c.get(&server.at(&format!("/budgets/{changeable}/voter"))).body;
    assert!(page.contains("Vous pouvez modifier votre vote") && page.contains("Modifier mon vote"), "{page}");
    assert!(!checked(&page, 1), "a secret ballot's choices are not shown again");
    let changed = send(&mut c, &server, changeable, &[2, 4], "voter");
    assert_eq!(changed.status, 303);
    assert!(c.get(&server.at(&format!("/budgets/{changeable}/voter"))).body.contains("Votre vote est modifié"));
    assert_eq!(counts(&server, changeable), (1, 1));
    assert_eq!(budgets::tally(&server.state().store.read().unwrap(), changeable).unwrap(), vec![vec![2, 4]]);
}

#[test]
fn many_parallel_votes_by_one_person_give_one_roll_entry_and_one_ballot() {
    let server = server();
    let id = process(&server, Setup::default());
    let (_, mut c) = voter(&server, "camille@example.test", Role::Resident);
    let path = format!("/budgets/{id}/voter");
    let token = hidden_field(&c.get(&server.at(&path)).body, "_csrf").unwrap();
    let url = server.at(&path);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..24)
            .map(|i| {
                let (mut client, url, token) = (Client::new(), url.clone(), token.clone());
                client.cookies = c.cookies.clone();
                s.spawn(move || {
                    let choice = if i % 2 == 0 { "1" } else { "3" };
                    client.post_form(&url, &[("choix", choice), ("action", "voter"), ("_csrf", &token)]).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 303 || *s == 409), "the others are refused as a second vote: {statuses:?}");
    assert_eq!(counts(&server, id), (1, 1), "one roll entry, one ballot");
    assert!(server.state().store.verify().unwrap().is_ok(), "the roll and the box hold the same count");
}

/// Each ballot cast by a new person ten days ago; returns when.
/// Votes cast ten days ago in `id` (its vote must be open then and now),
/// then the vote closed early now by staff, which seals the roll: a process
/// whose vote ended by its date would be sealed by the server's hourly pass,
/// whenever it runs, and refuse these late-written votes.
fn cast_then_close(server: &TestServer, id: ProcessId, ballots: Vec<Vec<u64>>, tag: &str) -> i64 {
    let when = cast(server, id, ballots, tag);
    server.write(move |tx| budgets::close_vote(tx, &Actor::command_line(), id, now_unix()).map_err(err));
    when
}

fn cast(server: &TestServer, id: ProcessId, ballots: Vec<Vec<u64>>, tag: &str) -> i64 {
    let people: Vec<AccountId> = (0..ballots.len())
        .map(|i| AccountId(make_person(server, &format!("{tag}{i}@example.test"), "Votant", Role::Resident, false).id))
        .collect();
    let when = now_unix() - 10 * DAY;
    server.write(move |tx| {
        for (who, choices) in people.iter().zip(&ballots) {
            budgets::vote(tx, id, *who, choices, when).map_err(err)?;
        }
        Ok(())
    });
    when
}

#[test]
fn the_results_page_explains_equal_shares_on_the_real_figures() {
    let server = server();
    let id = process(&server, Setup { vote: (-20, 1), rule: Rule::EqualShares, ..Setup::default() });
    // 4 voters share 100 000 €: 25 000 € each. Bancs (40 000 €, 3
    // supporters) costs each 13 333,33 €, the least: bought first.
    cast_then_close(&server, id, vec![vec![1, 3], vec![1, 3], vec![1], vec![2, 3]], "es");
    let b = Client::new().get(&server.at(&format!("/budgets/{id}/resultats"))).body;
    assert!(b.contains(&format!("Ici, 4 votants se partagent {} : chacun dispose de {}.", eur(100), eur(25))), "{b}");
    assert!(
        b.contains(&format!("« Bancs » (3 voix, {}) coûte 13{NNBSP}333,33{NBSP}€ à chacun de ses soutiens, moins que leur part : il est financé le premier.", eur(40))),
        "{b}"
    );
}

#[test]
fn the_results_page_gives_the_hand_checked_figures_and_the_files() {
    let server = server();
    let id = process(&server, Setup { vote: (-20, 1), ..Setup::default() });
    // Ten people voted during the vote (ten days ago): Parc (60 000 €) 5
    // votes, Pistes (50 000 €) and Bancs (40 000 €) 4 each (a tie: Bancs,
    // cheaper, first); Fontaine 2. Greedy: Parc (40 000 € left), Bancs
    // (nothing left), Pistes no longer fits.
    let ballots: Vec<Vec<u64>> =
        [vec![1, 3], vec![1, 3], vec![1, 3, 4], vec![1], vec![1, 4], vec![2], vec![2], vec![2], vec![2], vec![3]]
            .to_vec();
    let when = cast_then_close(&server, id, ballots, "v");
    let mut c = Client::new();
    let page = c.get(&server.at(&format!("/budgets/{id}/resultats")));
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(b.contains("10 bulletins dans l'urne."), "{b}");
    assert!(b.contains("<strong>Projets retenus :</strong> Parc, Bancs"), "{b}");
    assert!(b.contains(&format!("Montant engagé : {} sur {}.", eur(100), eur(100))));
    // The ranking: Parc 5, Pistes 4, Bancs 4 (a tie: Bancs is cheaper).
    let rows: Vec<&str> = b.split("<tr><td>").skip(1).collect();
    assert!(rows[0].starts_with("1</td>") && rows[0].contains(">Parc</a>") && rows[0].contains("<td>5</td>"));
    assert!(
        rows[1].contains(">Bancs</a>") && rows[1].contains("<td>4</td>") && rows[1].contains("<strong>Retenu</strong>")
    );
    assert!(rows[2].contains(">Pistes</a>") && rows[2].contains("<td>4</td>") && rows[2].contains("Non retenu"));
    assert!(
        b.contains(&format!(
            "« Parc » (5 voix, {}) tenait dans l'enveloppe : il est retenu, il reste {}.",
            eur(60),
            eur(40)
        )),
        "{b}"
    );
    assert!(b.contains(&format!("« Pistes » (4 voix, {}) ne tenait plus dans les 0{NBSP}€ restants", eur(50))), "{b}");
    assert!(b.contains("« Bancs » et « Pistes » ont 4 voix chacun : « Bancs », moins cher, est classé devant."), "{b}");
    assert!(b.contains("<strong>Projets retenus :</strong> Fontaine"), "the Centre's pot");
    assert!(b.contains("10 personnes ont voté."), "{b}");
    assert!(b.contains("Votants par quartier") && b.contains("<td>—</td>"), "groups, none detailed below 5");

    let csv = c.get(&server.at(&format!("/budgets/{id}/resultats.csv")));
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.body,
        "pot,rank,number,title,votes,cost_cents,won\n0,1,1,Parc,5,6000000,1\n0,2,3,Bancs,4,4000000,1\n0,3,2,Pistes,4,5000000,0\n1,1,4,Fontaine,2,1500000,1\n"
    );
    let ballots = c.get(&server.at(&format!("/budgets/{id}/bulletins.csv")));
    assert_eq!(ballots.status, 200);
    assert_eq!(ballots.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = ballots.body.lines().collect();
    assert_eq!(lines[0], "ballot,day,choices");
    assert_eq!(lines.len(), 11);
    let day = budgets::day_of(when);
    assert!(lines[1..].iter().all(|l| l.split(',').nth(1) == Some(day.as_str())), "the day only");
    assert_eq!(lines.iter().filter(|l| l.ends_with(&format!(",{day},1 3 4"))).count(), 1);
    assert!(page.body.contains(r#"href="/budgets/recomptage""#));
}
