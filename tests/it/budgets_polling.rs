//! The paper polling table finds a voter by their names and birth date: the
//! account verified as them, or them on the commune's list with no account;
//! a paper vote and a web vote exclude each other either way round.

use parvis::config::Value;
use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, BudgetError};
use parvis::domain::ids::AccountId;
use parvis::domain::verification::{self, ListRow, MatchOutcome, Person};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::budgets_follow_up::{day, process_form};
use crate::support::{Client, TestServer};

/// A process's form (`budgets_follow_up`'s), its vote changeable.
fn form(vote: &str) -> Vec<(&'static str, String)> {
    let mut fields = process_form(vote);
    fields.push(("changeable", "on".into()));
    fields
}

fn send(
    c: &mut Client,
    server: &TestServer,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> crate::support::Resp {
    post(c, server, page, action, fields)
}

fn date(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

/// An account that matches the list with these names, living in `hood`.
fn verified(server: &TestServer, email: &str, last: &str, first: &str, born: &str, hood: &str) -> AccountId {
    let id = AccountId(make_person(server, email, email, Role::Resident, false).id);
    let hood = hood.to_string();
    server.write(move |tx| {
        accounts::update(tx, id, |a| a.neighbourhood = Some(hood.clone()))
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    let who = Person { last_name: last.into(), first_names: first.into(), birth_date: date(born) };
    let now = jiff::Timestamp::now().as_second();
    let outcome = server.write(move |tx| {
        verification::match_list(tx, &Actor::person(id, "192.0.2.9"), id, &who, now)
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    assert_eq!(outcome, MatchOutcome::Verified);
    id
}

#[test]
fn the_polling_table_finds_a_voter_by_names_and_birth_date_and_refuses_a_second_vote() {
    let server =
        TestServer::start_with(&[("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))]);
    let staff = make_person(&server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    // A process whose vote opens today, with one feasible project.
    let owned = form(&day(5));
    let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(send(&mut c, &server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &fields).status, 303);
    let id = budgets::list(&server.state().store.read().unwrap()).unwrap()[0].id;
    let path = format!("/admin/budgets/{id}");
    let project = [
        ("project_title", "Des bancs au parc"),
        ("project_description", "À l'ombre."),
        ("amount", "12 000"),
        ("pot", "0"),
        ("neighbourhood", ""),
        ("category", "Nature"),
    ];
    assert_eq!(send(&mut c, &server, &path, &format!("{path}/projets"), &project).status, 303);
    let study = [("feasible", "yes"), ("cost", "12000"), ("reason", "")];
    assert_eq!(send(&mut c, &server, &path, &format!("{path}/projets/1/etude"), &study).status, 303);
    let owned = form(&day(0));
    let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(send(&mut c, &server, &path, &path, &fields).status, 303);
    assert_eq!(send(&mut c, &server, &path, &format!("{path}/publier"), &[]).status, 303);

    // The commune's list: Jean-Éric Dupré, Zoé Lefèvre.
    let now = jiff::Timestamp::now().as_second();
    let by = Actor::person(AccountId(staff.id), "192.0.2.1");
    server.write(move |tx| {
        let rows = vec![
            ListRow {
                last_name: "Dupré".into(),
                usage_name: None,
                first_names: "Jean-Éric".into(),
                birth_date: date("1950-03-04"),
            },
            ListRow {
                last_name: "Lefèvre".into(),
                usage_name: None,
                first_names: "Zoé".into(),
                birth_date: date("1948-12-01"),
            },
        ];
        verification::import_list(tx, &by, &rows, now + 90 * 86_400, now)
            .map_err(|e| StoreError::Internal(e.to_string()))
    });

    let urne = format!("{path}/urne");
    let page = c.get(&server.at(&urne));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nom de naissance") && page.body.contains("Date de naissance"), "{}", page.body);

    // Nobody typed: said so.
    let r = send(&mut c, &server, &urne, &urne, &[("p-1", "on")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("adresse électronique de la personne, ou son nom"), "{}", r.body);
    // Someone not on the list: a clear message, looked up or voted for.
    let nobody = [("last_name", "Durand"), ("first_names", "Paul"), ("birth_date", "01/01/1960"), ("p-1", "on")];
    let r = send(&mut c, &server, &urne, &urne, &[nobody.as_slice(), &[("action", "chercher")]].concat());
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Personne introuvable"), "{}", r.body);
    let r = send(&mut c, &server, &urne, &urne, &nobody);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Personne introuvable"), "{}", r.body);

    // Zoé, on the list with no account, found whatever the accents and case.
    let zoe = [("last_name", "LEFEVRE"), ("first_names", "zoe"), ("birth_date", "01/12/1948"), ("p-1", "on")];
    let r = send(&mut c, &server, &urne, &urne, &[zoe.as_slice(), &[("action", "chercher")]].concat());
    assert_eq!(r.status, 200);
    assert!(r.body.contains("sans compte vérifié") && r.body.contains("pas encore voté pour ce budget"), "{}", r.body);
    let r = send(&mut c, &server, &urne, &urne, &[zoe.as_slice(), &[("action", "voter")]].concat());
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(budgets::count_roll(&server.state().store.read().unwrap(), id).unwrap(), 1);
    let r = send(&mut c, &server, &urne, &urne, &zoe);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cette personne a déjà voté") && r.body.contains("sur papier"), "{}", r.body);
    // Paper then online: she makes an account and has it verified; her web
    // vote is refused.
    let account = verified(&server, "zoe@example.test", "Lefèvre", "Zoé", "1948-12-01", "Les Vignes");
    let web = server.write(move |tx| Ok(budgets::vote(tx, id, account, &[1], jiff::Timestamp::now().as_second())));
    assert!(matches!(web, Err(BudgetError::AlreadyVoted)), "{web:?}");

    // Online then paper: Jean-Éric voted on the web; the table finds him by
    // his names, says where he lives and that he voted, and refuses.
    let je = verified(&server, "je@example.test", "Dupre", "Jean Eric", "1950-03-04", "Centre");
    let web = server.write(move |tx| Ok(budgets::vote(tx, id, je, &[1], jiff::Timestamp::now().as_second())));
    assert!(web.is_ok(), "{web:?}");
    let jean = [("last_name", "dupré"), ("first_names", "JEAN-ÉRIC"), ("birth_date", "1950-03-04"), ("p-1", "on")];
    let r = send(&mut c, &server, &urne, &urne, &[jean.as_slice(), &[("action", "chercher")]].concat());
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Compte vérifié trouvé. Quartier : Centre."), "{}", r.body);
    assert!(r.body.contains("Cette personne a déjà voté") && r.body.contains("en ligne"), "{}", r.body);
    let r = send(&mut c, &server, &urne, &urne, &jean);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cette personne a déjà voté"), "{}", r.body);

    let tx = server.state().store.read().unwrap();
    assert_eq!((budgets::count_roll(&tx, id).unwrap(), budgets::tally(&tx, id).unwrap().len()), (2, 2));
    drop(tx);
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
