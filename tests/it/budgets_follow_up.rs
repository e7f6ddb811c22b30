//! A participatory budget's projects after they are added: staff correct
//! them until the vote opens, never after (the ballot people vote on does
//! not change under them).

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Action;
use parvis::domain::budgets::{self, ProcessId};

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in};
use crate::support::{Client, TestServer};

fn hoods() -> (&'static str, Value) {
    ("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))
}

/// The commune's date `days` from today, as a date field takes it.
pub(crate) fn day(days: i64) -> String {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    now.date().checked_add(jiff::Span::new().days(days)).unwrap().to_string()
}

/// A process's form: in its study phase, its vote opening on `vote`.
pub(crate) fn process_form(vote: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Budget 2027".to_string()),
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

fn project_form(title: &str, amount: &str, pot: &str, lat: &str, lon: &str) -> Vec<(&'static str, String)> {
    vec![
        ("project_title", title.to_string()),
        ("project_description", "Des bancs à l'ombre des platanes.".into()),
        ("amount", amount.to_string()),
        ("pot", pot.to_string()),
        ("neighbourhood", String::new()),
        ("category", "Nature".into()),
        ("latitude", lat.to_string()),
        ("longitude", lon.to_string()),
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

fn staff_client(server: &TestServer) -> Client {
    let staff = make_person(server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, server, &staff);
    c
}

/// A process in its study phase with one project, as staff write it.
fn process_with_a_project(server: &TestServer, c: &mut Client) -> ProcessId {
    let r = send(c, server, "/admin/budgets/nouveau", "/admin/budgets/nouveau", &process_form(&day(5)));
    assert_eq!(r.status, 303, "{}", r.body);
    let id = budgets::list(&server.state().store.read().unwrap()).unwrap()[0].id;
    let path = format!("/admin/budgets/{id}");
    let r =
        send(c, server, &path, &format!("{path}/projets"), &project_form("Des bancs au parc", "12 000", "0", "", ""));
    assert_eq!(r.status, 303, "{}", r.body);
    id
}

fn project_1(server: &TestServer, id: ProcessId) -> budgets::Project {
    budgets::project(&server.state().store.read().unwrap(), id, 1).unwrap().unwrap()
}

#[test]
fn staff_edit_a_project_before_the_vote_and_are_refused_after_it_with_what_they_typed_kept() {
    let server = TestServer::start_with(&[hoods()]);
    let mut c = staff_client(&server);
    let id = process_with_a_project(&server, &mut c);
    let path = format!("/admin/budgets/{id}");
    let page = format!("{path}/projets/1");

    // The process page links to the project's own page, which shows the form
    // filled with what is stored.
    assert!(c.get(&server.at(&path)).body.contains(&format!("href=\"{page}\"")));
    let r = c.get(&server.at(&page));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("value=\"Des bancs au parc\"") && r.body.contains("value=\"12000\""), "{}", r.body);
    // Residents do not reach it.
    let resident = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut rc = Client::new();
    sign_in(&mut rc, &server, &resident);
    assert_eq!(rc.get(&server.at(&page)).status, 403);
    assert_eq!(rc.post_form(&server.at(&page), &[("project_title", "Piraté")]).status, 403);

    // A location that is not one: refused on its field, as typed.
    let r = send(&mut c, &server, &page, &page, &project_form("Des bancs ombragés", "9 000", "1", "nord", "4,83"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Indiquez une latitude") && r.body.contains("value=\"Des bancs ombragés\""));
    assert_eq!(project_1(&server, id).title, "Des bancs au parc");

    // Corrected: a new title, cost, pot (Les Vignes') and place.
    let r = send(&mut c, &server, &page, &page, &project_form("Des bancs ombragés", "9 000", "1", "45,76", "4.83"));
    assert_eq!(r.status, 303, "{}", r.body);
    let pr = project_1(&server, id);
    assert_eq!(pr.title, "Des bancs ombragés");
    assert_eq!(pr.proposed_cost_cents, 900_000);
    assert_eq!(pr.pot, 1);
    assert_eq!(pr.neighbourhood.as_deref(), Some("Les Vignes"), "a neighbourhood pot's project is there");
    assert_eq!(pr.coords, Some((45.76, 4.83)));
    let audited: Vec<String> =
        events(&server).into_iter().filter(|e| e.action == Action::BudgetChanged).map(|e| e.detail).collect();
    assert!(audited.iter().any(|e| e.ends_with("project 1 edited")), "{audited:?}");
    // An empty title is the domain's refusal, said on the title's field.
    let r = send(&mut c, &server, &page, &page, &project_form(" ", "9 000", "1", "", ""));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Indiquez un titre"), "{}", r.body);

    // The vote opens today; staff publish: the project is frozen.
    let r = send(&mut c, &server, &path, &path, &process_form(&day(0)));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = send(&mut c, &server, &path, &format!("{path}/publier"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.get(&server.at(&page));
    assert!(r.body.contains("Le vote est ouvert") && !r.body.contains("name=\"project_title\""), "{}", r.body);
    // A form sent anyway (opened before the vote) is refused, clearly, and
    // comes back as typed.
    let csrf = crate::support::hidden_field(&c.get(&server.at(&path)).body, "_csrf").unwrap();
    let r = c.post_form(
        &server.at(&page),
        &[
            ("project_title", "Des bancs en or"),
            ("project_description", "Tout en or."),
            ("amount", "99 000"),
            ("pot", "0"),
            ("neighbourhood", ""),
            ("category", "Luxe"),
            ("latitude", ""),
            ("longitude", ""),
            ("_csrf", &csrf),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Le vote est ouvert"), "{}", r.body);
    assert!(r.body.contains("value=\"Des bancs en or\"") && r.body.contains("value=\"99 000\""), "{}", r.body);
    assert_eq!(project_1(&server, id).title, "Des bancs ombragés", "the ballot did not change");
}
