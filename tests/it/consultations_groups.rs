//! Who answered a consultation, over real HTTP, on a small data set
//! checked by hand: residents with known neighbourhoods and age brackets
//! (two answer through the web), a paper answer typed in with its group,
//! three residents of a small neighbourhood who gave no age, and a visitor.
//! The results page shows each group's share and rate against the census
//! of the test config, the score, the warning, the re-weighted percentages
//! (raking, worked out below), "moins de 5" wherever a group has 1 to 4
//! respondents, and the split by group; a resident who moves afterwards
//! changes nothing.

use std::collections::BTreeMap;

use parvis::config::Value;
use parvis::domain::accounts::{self, AccountId, Role};
use parvis::domain::consultations::{self, Audience, ConsultationId, Raw, Respondent};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in, Person};
use crate::consultations::{day, hidden_fields, open_consultation, q};
use crate::support::{Client, TestServer};

/// The census of the test commune: Centre 800, Nord 4000, Sud 1000
/// (13,8 %, 69,0 %, 17,2 %); 18-29: 1000 and 60-74: 3000 (25 %, 75 %).
fn server() -> TestServer {
    let counts = |pairs: &[(&str, i64)]| Value::Counts(pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect());
    TestServer::start_with(&[
        ("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Nord".into(), "Sud".into()])),
        ("commune.population.neighbourhoods", counts(&[("Centre", 800), ("Nord", 4000), ("Sud", 1000)])),
        ("commune.population.age_brackets", counts(&[("18-29", 1000), ("60-74", 3000)])),
    ])
}

/// A resident whose account holds `place` and `age` (given with consent).
fn resident(server: &TestServer, n: usize, place: &str, age: Option<&str>) -> Person {
    let person = make_person(server, &format!("r{n}@testville.test"), "Résident", Role::Resident, false);
    set_group(server, person.id, place, age);
    person
}

fn set_group(server: &TestServer, id: u64, place: &str, age: Option<&str>) {
    let (place, age) = (place.to_string(), age.map(str::to_string));
    server.write(move |tx| {
        let (place, age) = (place.clone(), age.clone());
        accounts::update(tx, AccountId(id), move |a| {
            a.neighbourhood = Some(place);
            a.age_bracket = age;
        })
        .map(|_| ())
        .map_err(|e| StoreError::Internal(e.to_string()))
    });
}

/// Answers "Quel jour" (0 Mardi, 1 Samedi, 2 Dimanche) through the domain.
fn answer(server: &TestServer, id: u64, who: Respondent, option: &str) {
    let fields = BTreeMap::from([(1, Raw { values: vec![option.to_string()], other: String::new() })]);
    server.write(move |tx| {
        consultations::submit(tx, ConsultationId(id), who.clone(), &fields, parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
}

/// The "Qui a répondu" section of a results page.
fn who_answered(body: &str) -> String {
    let start = body.find("<section class=\"result who-answered\"").expect("the section");
    let end = body[start..].find("</section>").expect("its end");
    body[start..start + end].to_string()
}

/// Every table of counts by group on a page.
fn group_tables(body: &str) -> Vec<&str> {
    body.split("<table class=\"groups\">").skip(1).map(|t| t.split("</table>").next().unwrap_or("")).collect()
}

#[test]
fn who_answered_against_the_census_with_reweighted_results_and_small_groups_hidden() {
    let server = server();
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut n = 0;
    let mut group = |place: &str, age: Option<&str>, count: usize| -> Vec<Person> {
        (0..count)
            .map(|_| {
                n += 1;
                resident(&server, n, place, age)
            })
            .collect()
    };
    // Centre, 18-29: 10, all Samedi, two of them through the web.
    let centre_young = group("Centre", Some("18-29"), 10);
    for person in &centre_young[..2] {
        let mut c = Client::new();
        sign_in(&mut c, &server, person);
        let page = c.get(&server.at(&format!("/consultations/{id}/repondre")));
        let mut fields = hidden_fields(&page.body);
        fields.push(("q1".into(), "1".into()));
        fields.push(("action".into(), "envoyer".into()));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sent = c.post_form(&server.at(&format!("/consultations/{id}/repondre")), &refs);
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    for person in &centre_young[2..] {
        answer(&server, id, Respondent::Account(AccountId(person.id)), "1");
    }
    // Centre, 60-74: 10, Mardi. Nord, 18-29: 5, Samedi. Nord, 60-74: 4,
    // Mardi, and a fifth on paper below. Sud, no age given: 3, Dimanche.
    for person in group("Centre", Some("60-74"), 10) {
        answer(&server, id, Respondent::Account(AccountId(person.id)), "0");
    }
    for person in group("Nord", Some("18-29"), 5) {
        answer(&server, id, Respondent::Account(AccountId(person.id)), "1");
    }
    for person in group("Nord", Some("60-74"), 4) {
        answer(&server, id, Respondent::Account(AccountId(person.id)), "0");
    }
    for person in group("Sud", None, 3) {
        answer(&server, id, Respondent::Account(AccountId(person.id)), "2");
    }
    // A visitor: no group ("non renseigné"), Samedi.
    answer(&server, id, Respondent::Visitor, "1");
    // Staff type in a paper form with the person's group; a made-up age is refused.
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let paper = format!("/admin/consultations/{id}/papier");
    let form = s.get(&server.at(&paper));
    assert!(form.body.contains("<option value=\"60-74\">60 à 74 ans</option>"), "{}", form.body);
    let refused =
        post(&mut s, &server, &paper, &paper, &[("canal", "paper"), ("quartier", "Nord"), ("age", "66"), ("q1", "0")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("href=\"#age\""), "{}", refused.body);
    let kept = post(
        &mut s,
        &server,
        &paper,
        &paper,
        &[("canal", "paper"), ("quartier", "Nord"), ("age", "60-74"), ("q1", "0")],
    );
    assert!(kept.body.contains("Réponse n° 34 enregistrée."), "{}", kept.body);
    let tx = server.state().store.read().unwrap();
    let nord_old = consultations::Group { neighbourhood: Some("Nord".into()), age_bracket: Some("60-74".into()) };
    assert_eq!(consultations::group_of(&tx, ConsultationId(id), 34).unwrap(), nord_old);
    drop(tx);
    let closed = post(
        &mut s,
        &server,
        &format!("/admin/consultations/{id}"),
        &format!("/admin/consultations/{id}/cloturer"),
        &[],
    );
    assert_eq!(closed.status, 303);

    let results = format!("/consultations/{id}/resultats");
    let mut v = Client::new();
    let page = v.get(&server.at(&results));
    assert_eq!(page.status, 200);
    let body = page.body.replace("&#39;", "'");
    let who = who_answered(&body);
    // By neighbourhood, of the 33 whose neighbourhood is known: Centre 20
    // (60,6 %) for 13,8 % of residents, rate 20/800 = 2,50 %; Nord 10
    // (30,3 %) for 69,0 %, rate 10/4000 = 0,25 %; Sud 3: fewer than 5, share and rate not shown.
    assert!(
        who.contains("<th scope=\"row\">Centre</th><td>13,8 %</td><td>20</td><td>60,6 %</td><td>2,50 %</td>"),
        "{who}"
    );
    assert!(
        who.contains("<th scope=\"row\">Nord</th><td>69,0 %</td><td>10</td><td>30,3 %</td><td>0,25 %</td>"),
        "{who}"
    );
    assert!(who.contains("<th scope=\"row\">Sud</th><td>17,2 %</td><td>moins de 5</td><td>—</td><td>—</td>"), "{who}");
    assert!(who.contains("<th scope=\"row\">Non renseigné</th><td>—</td><td>moins de 5</td>"), "the visitor: {who}");
    // By age, of the 30 whose age is known: 15 and 15 (50 %) for 25 % and
    // 75 %; rates 15/1000 = 1,50 % and 15/3000 = 0,50 %. A bracket the census
    // leaves out has no share of residents.
    assert!(
        who.contains("<th scope=\"row\">18 à 29 ans</th><td>25,0 %</td><td>15</td><td>50,0 %</td><td>1,50 %</td>"),
        "{who}"
    );
    assert!(
        who.contains("<th scope=\"row\">60 à 74 ans</th><td>75,0 %</td><td>15</td><td>50,0 %</td><td>0,50 %</td>"),
        "{who}"
    );
    assert!(who.contains("<th scope=\"row\">30 à 44 ans</th><td>—</td><td>0</td><td>0,0 %</td><td>—</td>"), "{who}");
    // Score: neighbourhoods 0,25 % ÷ 2,5 % = 0,10; ages 0,5 ÷ 1,5 = 0,33;
    // the lower one.
    assert!(who.contains("Indice de représentativité : 0,10"), "{who}");
    assert!(who.contains("Indice pour ce découpage : 0,33"), "{who}");
    // Nord: 30 % of the answers, under half its 69 % of residents.
    assert!(
        who.contains("Les habitants du quartier Nord représentent 69 % des habitants mais 30 % des réponses."),
        "{who}"
    );
    assert!(!who.contains("quartier Sud représentent"), "9,1 % is over half of 17,2 %: {who}");
    // Re-weighted by raking, the Sud residents (no age) and the visitor left
    // out: 30 respondents, targets Centre 30 × 800/4800 = 5, Nord 25,
    // 18-29 30 × 1/4 = 7,5, 60-74 22,5. Neighbourhoods: Centre's cells
    // × 5/20 → 2,5 and 2,5; Nord's × 25/10 → 12,5 and 12,5. Ages: 18-29
    // (15) × 7,5/15 → Centre 1,25, Nord 6,25; 60-74 (15) × 22,5/15 →
    // 3,75 and 18,75: both margins hold after one round. Samedi (the
    // 18-29s) = 7,5 / 30 = 25 %, Mardi 75 %, Dimanche 0; raw 16, 15 and 3
    // of 34.
    assert!(
        body.contains(
            "<th scope=\"row\">Samedi</th><td>16</td><td>47,1 %</td><td>16</td><td>0</td><td>0</td><td>25,0 %</td>"
        ),
        "{body}"
    );
    assert!(body.contains(
        "<th scope=\"row\">Mardi</th><td>15</td><td>44,1 %</td><td>14</td><td>1</td><td>0</td><td>75,0 %</td>"
    ));
    assert!(body.contains(
        "<th scope=\"row\">Dimanche</th><td>3</td><td>8,8 %</td><td>3</td><td>0</td><td>0</td><td>0,0 %</td>"
    ));
    assert!(body.contains("<th scope=\"col\">Redressé</th>"));
    assert!(who.contains("calage sur marges, un tour") && who.contains("(moins de 5 réponses)"), "the method: {who}");

    // Split by neighbourhood: a column per group, small ones "moins de 5".
    let split = v.get(&server.at(&format!("{results}?par=quartier"))).body.replace("&#39;", "'");
    assert!(split.contains("<th scope=\"col\">Centre (20)</th><th scope=\"col\">Nord (10)</th><th scope=\"col\">Sud (moins de 5)</th><th scope=\"col\">Non renseigné (moins de 5)</th>"), "{split}");
    assert!(
        split.contains("<th scope=\"row\">Samedi</th><td>10</td><td>5</td><td>0</td><td>moins de 5</td>"),
        "{split}"
    );
    assert!(
        split.contains("<th scope=\"row\">Dimanche</th><td>0</td><td>0</td><td>moins de 5</td><td>0</td>"),
        "{split}"
    );
    let by_age = v.get(&server.at(&format!("{results}?par=age"))).body;
    assert!(by_age.contains("<th scope=\"col\">18 à 29 ans (15)</th>"), "{by_age}");
    // No page shows a group's count from 1 to 4.
    for page in [&body, &split, &by_age] {
        let tables = group_tables(page);
        assert!(!tables.is_empty());
        for t in tables {
            for small in 1..=4 {
                assert!(!t.contains(&format!("<td>{small}</td>")) && !t.contains(&format!("({small})")), "{t}");
            }
        }
    }

    // A resident moves and has a birthday: the results stay as they were.
    set_group(&server, centre_young[0].id, "Sud", Some("30-44"));
    let again = v.get(&server.at(&results)).body.replace("&#39;", "'");
    assert_eq!(who_answered(&again), who);
    let split_again = v.get(&server.at(&format!("{results}?par=quartier"))).body.replace("&#39;", "'");
    assert_eq!(who_answered(&split_again), who_answered(&split));
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// Without a census in the config, staff are told which setting to add and
/// everyone sees how the respondents are spread, without re-weighting.
#[test]
fn without_a_census_staff_are_told_the_setting_and_only_respondents_are_shown() {
    let server = TestServer::start_with(&[("commune.neighbourhoods", Value::List(vec!["Centre".into()]))]);
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    for i in 0..6 {
        let person = resident(&server, i, "Centre", Some("18-29"));
        answer(&server, id, Respondent::Account(AccountId(person.id)), "1");
    }
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let body = s.get(&server.at(&format!("/consultations/{id}/resultats"))).body.replace("&#39;", "'");
    let who = who_answered(&body);
    assert!(
        who.contains("commune.population.neighbourhoods") && who.contains("commune.population.age_brackets"),
        "{who}"
    );
    assert!(who.contains("<th scope=\"row\">Centre</th><td>6</td><td>100,0 %</td>"), "{who}");
    assert!(!who.contains("Indice de représentativité") && !body.contains("Redressé"), "{who}");

    // A commune without neighbourhoods: only the ages are split.
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    answer(&server, id, Respondent::Visitor, "1");
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let who = who_answered(&s.get(&server.at(&format!("/consultations/{id}/resultats"))).body);
    assert!(!who.contains("Par quartier") && who.contains("Par tranche d'âge"), "{who}");
}

/// With the population crossed by neighbourhood and age in the config, each
/// cell weighs its share of it (post-stratification). A/18-29 100, A/60-74
/// 100, B/18-29 200, B/60-74 600 (0,1 0,1 0,2 0,6); 10 respondents in each
/// cell (0,25): weights 0,4 0,4 0,8 2,4. Samedi: all of A/18-29 and 5 of
/// B/18-29, so 10 × 0,4 + 5 × 0,8 = 8 of 40 = 20 %, where the raw figure
/// is 15 of 40 = 37,5 %.
#[test]
fn with_the_cross_table_each_cell_weighs_its_share_of_the_population() {
    let counts = |pairs: &[(&str, i64)]| Value::Counts(pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect());
    let server = TestServer::start_with(&[
        ("commune.neighbourhoods", Value::List(vec!["A".into(), "B".into()])),
        ("commune.population.neighbourhoods", counts(&[("A", 200), ("B", 800)])),
        ("commune.population.age_brackets", counts(&[("18-29", 300), ("60-74", 700)])),
        (
            "commune.population.cross",
            counts(&[("A / 18-29", 100), ("A / 60-74", 100), ("B / 18-29", 200), ("B / 60-74", 600)]),
        ),
    ]);
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    let mut n = 0;
    for (place, age, samedi) in [("A", "18-29", 10), ("A", "60-74", 0), ("B", "18-29", 5), ("B", "60-74", 0)] {
        for i in 0..10 {
            n += 1;
            let person = resident(&server, n, place, Some(age));
            answer(&server, id, Respondent::Account(AccountId(person.id)), if i < samedi { "1" } else { "0" });
        }
    }
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let body = s.get(&server.at(&format!("/consultations/{id}/resultats"))).body.replace("&#39;", "'");
    assert!(body.contains("<th scope=\"row\">Samedi</th><td>15</td><td>37,5 %</td><td>20,0 %</td>"), "{body}");
    assert!(body.contains("<th scope=\"row\">Mardi</th><td>25</td><td>62,5 %</td><td>80,0 %</td>"), "{body}");
    assert!(who_answered(&body).contains("(post-stratification)"), "{body}");
}
