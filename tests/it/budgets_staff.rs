//! The staff's pages of participatory budgets over real HTTP: a process
//! written with its pots and phases, projects added, imported and studied,
//! the polling table against the web vote, the early close; and the roles
//! page, which no longer sets "verified resident" by hand.

use parvis::config::Value;
use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::Action;
use parvis::domain::budgets::{self, BudgetError, ProcessId, Study};
use parvis::domain::ids::{AccountId, BoxId};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in};
use crate::support::{Client, TestServer};

fn hoods() -> (&'static str, Value) {
    ("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))
}

/// The commune's date `days` from today, as a date field takes it.
fn day(days: i64) -> String {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    now.date().checked_add(jiff::Span::new().days(days)).unwrap().to_string()
}

/// A process's form: in its study phase, the vote in five days.
fn form(title: &str, vote: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", title.to_string()),
        ("description", "Un budget pour les quartiers.".into()),
        ("submission", day(-10)),
        ("study", day(-2)),
        ("vote", vote.to_string()),
        ("results", day(20)),
        ("follow_up", day(40)),
        ("audience", "signed-in".into()),
        ("min_age", String::new()),
        ("style", "basket".into()),
        ("approval_max", String::new()),
        ("rule", "greedy".into()),
        ("min_votes", "0".into()),
        ("secret", "on".into()),
        ("pot-commune", "50 000".into()),
        ("pot-1", "10000".into()),
    ]
}

fn send(
    c: &mut Client,
    server: &TestServer,
    page: &str,
    action: &str,
    fields: &[(&'static str, String)],
) -> crate::support::Resp {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(c, server, page, action, &fields)
}

fn staff_client(server: &TestServer) -> (Client, u64) {
    let staff = make_person(server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, server, &staff);
    (c, staff.id)
}

fn budget_events(server: &TestServer) -> Vec<String> {
    events(server).into_iter().filter(|e| e.action == Action::BudgetChanged).map(|e| e.detail).collect()
}

fn only_process(server: &TestServer) -> budgets::Process {
    let all = budgets::list(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(all.len(), 1);
    all.into_iter().next().unwrap()
}

#[test]
fn only_staff_reach_the_budgets_pages() {
    let server = TestServer::start();
    let resident = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    assert_eq!(c.get(&server.at("/admin/budgets")).status, 403);
    assert_eq!(c.get(&server.at("/admin/budgets/nouveau")).status, 403);
    let r = Client::new().get(&server.at("/admin/budgets"));
    assert_ne!(r.status, 200);
    let (mut staff, _) = staff_client(&server);
    let home = staff.get(&server.at("/admin"));
    assert!(home.body.contains("href=\"/admin/budgets\""), "the back office links to the budgets");
    assert_eq!(staff.get(&server.at("/admin/budgets")).status, 200);
}

#[test]
fn staff_write_a_process_with_its_pots_and_phases_and_a_refused_form_keeps_what_was_typed() {
    let server = TestServer::start_with(&[hoods()]);
    let (mut c, _) = staff_client(&server);

    // The dates out of order: refused, every field as typed.
    let mut bad = form("Budget 2027", &day(5));
    bad[3].1 = day(-20);
    let r = send(&mut c, &server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Les phases doivent se suivre"), "{}", r.body);
    assert!(r.body.contains("value=\"Budget 2027\"") && r.body.contains("value=\"50 000\""), "{}", r.body);
    // An amount that is not one: said on its field.
    let mut bad = form("Budget 2027", &day(5));
    bad[14].1 = "beaucoup".into();
    let r = send(&mut c, &server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &bad);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Indiquez un montant en euros") && r.body.contains("value=\"beaucoup\""));
    assert!(budgets::list(&server.state().store.read().unwrap()).unwrap().is_empty());

    let r = send(&mut c, &server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &form("Budget 2027", &day(5)));
    assert_eq!(r.status, 303, "{}", r.body);
    let p = only_process(&server);
    assert_eq!(p.title, "Budget 2027");
    assert_eq!(p.pots.len(), 2);
    assert_eq!((p.pots[0].neighbourhood.as_deref(), p.pots[0].amount_cents), (None, 5_000_000));
    assert_eq!((p.pots[1].neighbourhood.as_deref(), p.pots[1].amount_cents), (Some("Les Vignes"), 1_000_000));
    assert!(p.secret && !p.changeable && !p.results_during_vote && p.published_at.is_none());

    // Edited: approval of 3, equal shares, the partial results shown.
    let path = format!("/admin/budgets/{}", p.id);
    let mut edit = form("Budget participatif 2027", &day(5));
    edit[9].1 = "approval".into();
    edit[10].1 = "3".into();
    edit[11].1 = "equal-shares".into();
    edit.push(("results_during_vote", "on".into()));
    let r = send(&mut c, &server, &path, &path, &edit);
    assert_eq!(r.status, 303, "{}", r.body);
    let p = only_process(&server);
    assert_eq!(p.title, "Budget participatif 2027");
    assert_eq!(p.style, budgets::Style::Approval { max: 3 });
    assert_eq!(p.rule, budgets::Rule::EqualShares);
    assert!(p.results_during_vote);
    let page = c.get(&server.at(&path));
    assert!(page.body.contains("value=\"Budget participatif 2027\"") && page.body.contains("value=\"10000\""));

    let r = send(&mut c, &server, &path, &format!("{path}/publier"), &[]);
    assert_eq!(r.status, 303);
    assert!(only_process(&server).published_at.is_some());
    assert_eq!(
        budget_events(&server).len(),
        3,
        "created, changed, published: each audited ({:?})",
        budget_events(&server)
    );
}

#[test]
fn projects_are_added_imported_and_studied_then_a_paper_ballot_and_a_web_vote_exclude_each_other() {
    let server = TestServer::start_with(&[hoods()]);
    let (mut c, _) = staff_client(&server);
    let r = send(&mut c, &server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &form("Budget 2027", &day(5)));
    assert_eq!(r.status, 303);
    let id = only_process(&server).id;
    let path = format!("/admin/budgets/{id}");

    let project = |title: &str, pot: &str| -> Vec<(&'static str, String)> {
        vec![
            ("project_title", title.to_string()),
            ("project_description", "Des bancs à l'ombre.".into()),
            ("amount", "12 000".into()),
            ("pot", pot.to_string()),
            ("neighbourhood", String::new()),
            ("category", "Nature".into()),
        ]
    };
    let r = send(&mut c, &server, &path, &format!("{path}/projets"), &project("", "0"));
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Indiquez un titre") && r.body.contains("Des bancs à l&#39;ombre.")
            || r.body.contains("Des bancs à l'ombre."),
        "{}",
        r.body
    );
    let r = send(&mut c, &server, &path, &format!("{path}/projets"), &project("Des bancs au parc", "0"));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = send(&mut c, &server, &path, &format!("{path}/projets"), &project("Un jardin partagé", "1"));
    assert_eq!(r.status, 303, "{}", r.body);

    // A proposal of an idea box becomes project 3.
    let now = jiff::Timestamp::now().as_second();
    let proposal = server.write(move |tx| {
        let b = IdeaBox {
            title: "Idées".into(),
            opens_at: now - 86_400,
            closes_at: now + 86_400,
            threshold: 2,
            created_by: AccountId(1),
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, b).map_err(|e| StoreError::Internal(e.to_string()))?;
        let new = NewProposal {
            box_id: BoxId(box_id.get()),
            author: AccountId(1),
            title: "Un composteur collectif".into(),
            body: "Dans le square des Lilas.".into(),
            ..NewProposal::default()
        };
        proposals::post(tx, &new, now).map(|id| id.get()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let r = send(
        &mut c,
        &server,
        &path,
        &format!("{path}/importer"),
        &[("proposal", "9999".into()), ("import_pot", "0".into())],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Aucune proposition n&#39;a ce numéro") || r.body.contains("Aucune proposition n'a ce numéro"),
        "{}",
        r.body
    );
    let r = send(
        &mut c,
        &server,
        &path,
        &format!("{path}/importer"),
        &[("proposal", proposal.to_string()), ("import_pot", "0".into())],
    );
    assert_eq!(r.status, 303, "{}", r.body);

    // The study: feasible at a cost, not feasible with a reason.
    let study = |feasible: &str, cost: &str, reason: &str| {
        vec![("feasible", feasible.to_string()), ("cost", cost.to_string()), ("reason", reason.to_string())]
    };
    let r = send(&mut c, &server, &path, &format!("{path}/projets/1/etude"), &study("no", "", ""));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Indiquez pourquoi"));
    for (n, s) in [
        (1, study("yes", "15000", "")),
        (2, study("yes", "8 000", "")),
        (3, study("no", "", "Le square sera rénové en 2028.")),
    ] {
        let r = send(&mut c, &server, &path, &format!("{path}/projets/{n}/etude"), &s);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let tx = server.state().store.read().unwrap();
    let all = budgets::projects(&tx, id).unwrap();
    drop(tx);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].study, Study::Feasible { cost_cents: 1_500_000 });
    assert_eq!(all[1].neighbourhood.as_deref(), Some("Les Vignes"), "a neighbourhood pot's project is there");
    assert_eq!(all[2].from_proposal.map(|p| p.get()), Some(proposal));
    assert_eq!(all[2].title, "Un composteur collectif");
    assert!(matches!(&all[2].study, Study::NotFeasible { reason } if reason.contains("2028")));

    // The vote opens today; staff publish.
    let r = send(&mut c, &server, &path, &path, &form("Budget 2027", &day(0)));
    assert_eq!(r.status, 303, "{}", r.body);
    send(&mut c, &server, &path, &format!("{path}/publier"), &[]);
    // The rules are frozen now.
    let r = send(&mut c, &server, &path, &path, &form("Budget 2028", &day(0)));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Le vote est ouvert"), "{}", r.body);

    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let dominique = make_person(&server, "dominique@example.test", "Dominique Durand", Role::Resident, false);
    let urne = format!("{path}/urne");
    let table = c.get(&server.at(&urne));
    assert_eq!(table.status, 200);
    assert!(
        table.body.contains("Des bancs au parc") && !table.body.contains("Un composteur collectif"),
        "only feasible projects"
    );
    let r = send(&mut c, &server, &urne, &urne, &[("voter", "personne@example.test".into()), ("p-1", "on".into())]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Aucun compte n&#39;a cette adresse") || r.body.contains("Aucun compte n'a cette adresse"));
    // Camille votes on paper; then her web vote is refused.
    let r = send(&mut c, &server, &urne, &urne, &[("voter", "Camille@example.test".into()), ("p-1", "on".into())]);
    assert_eq!(r.status, 303, "{}", r.body);
    let who = AccountId(camille.id);
    let web = server.write(move |tx| Ok(budgets::vote(tx, id, who, &[1], jiff::Timestamp::now().as_second())));
    assert!(matches!(web, Err(BudgetError::AlreadyVoted)), "{web:?}");
    // A second paper ballot for her is refused, saying when and how she voted.
    let r = send(&mut c, &server, &urne, &urne, &[("voter", "camille@example.test".into()), ("p-1", "on".into())]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cette personne a déjà voté") && r.body.contains("sur papier"), "{}", r.body);
    // Dominique votes on the web; the polling table refuses her.
    let who = AccountId(dominique.id);
    let web = server.write(move |tx| Ok(budgets::vote(tx, id, who, &[2], jiff::Timestamp::now().as_second())));
    assert!(web.is_ok(), "{web:?}");
    let r = send(&mut c, &server, &urne, &urne, &[("voter", "dominique@example.test".into()), ("p-1", "on".into())]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cette personne a déjà voté") && r.body.contains("en ligne"), "{}", r.body);
    assert_eq!(budgets::count_roll(&server.state().store.read().unwrap(), id).unwrap(), 2);

    // Staff close the vote early.
    let r = send(&mut c, &server, &path, &format!("{path}/cloturer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let p = budgets::get(&server.state().store.read().unwrap(), ProcessId(id.get())).unwrap().unwrap();
    assert!(p.closed_early_at.is_some());
    let r = send(&mut c, &server, &urne, &urne, &[("voter", "camille@example.test".into()), ("p-1", "on".into())]);
    assert_eq!(r.status, 422);
    let events = budget_events(&server);
    for what in ["project 3 added", "project 3 studied", "a paper ballot typed", "vote closed early"] {
        assert!(events.iter().any(|e| e.ends_with(what)), "{what} audited: {events:?}");
    }
}

#[test]
fn the_roles_page_no_longer_makes_a_verified_resident_by_hand() {
    let server = TestServer::start();
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let resident = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let path = format!("/admin/comptes/{}", resident.id);
    let page = a.get(&server.at(&path));
    assert!(!page.body.contains("value=\"verified-resident\""), "not offered");
    let r = post(&mut a, &server, &path, &format!("{path}/role"), &[("role", "verified-resident"), ("service", "")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ne se donne pas à la main"), "{}", r.body);
    let tx = server.state().store.read().unwrap();
    assert_eq!(accounts::get(&tx, AccountId(resident.id)).unwrap().unwrap().role, Role::Resident);
    drop(tx);
    // Other roles still go through.
    let r = post(&mut a, &server, &path, &format!("{path}/role"), &[("role", "moderator"), ("service", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
}
