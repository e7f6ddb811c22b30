//! The ranking, the matrix and the place on the map over real HTTP: staff
//! build them with the builder's forms (without JavaScript), visitors
//! answer them through the web (without JavaScript: selects, radios, a
//! typed address of the commune's list), refusals come back on the page
//! with their error (a position given twice, a row left empty, an address
//! not in the list), and the results page, the counts and the CSV hold the
//! figures computed here by hand.

use parvis::config::Value as Setting;
use parvis::domain::accounts::Role;
use parvis::domain::addresses;
use parvis::domain::audit::Actor;
use parvis::domain::consultations::{self, ConsultationId};

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::consultations::{send, today, verify_clean};
use crate::support::{Client, TestServer};

/// A server whose map frames Saint-Exemple, with its address list.
fn server() -> TestServer {
    let server = TestServer::start_with(&[
        ("map.center_lat", Setting::Float(45.778)),
        ("map.center_lon", Setting::Float(4.608)),
        ("reports.bounds_south", Setting::Float(45.76)),
        ("reports.bounds_north", Setting::Float(45.80)),
        ("reports.bounds_west", Setting::Float(4.59)),
        ("reports.bounds_east", Setting::Float(4.63)),
    ]);
    let sample = include_str!("../data/ban-saint-exemple.csv");
    let rows = addresses::parse(sample.as_bytes()).unwrap();
    server.write(move |tx| {
        addresses::import(tx, &Actor::command_line(), &rows, 1)
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    server
}

/// Staff build, over HTTP, a ranking and a matrix on page 1 and a place
/// on page 2, all required, after two refused questions; then publish.
fn build(server: &TestServer, staff: &mut Client) -> u64 {
    let created = post(
        staff,
        server,
        "/admin/consultations/nouvelle",
        "/admin/consultations/nouvelle",
        &[
            ("title", "Le square des Tilleuls"),
            ("summary", "Que faire du square ?"),
            ("body", "Le square sera refait."),
            ("neighbourhood", ""),
            ("audience", "anyone"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let at = created.header("location").unwrap().to_string();
    let id: u64 = at.trim_start_matches("/admin/consultations/").parse().unwrap();
    let add =
        |staff: &mut Client, fields: &[(&str, &str)]| post(staff, server, &at, &format!("{at}/questions"), fields);

    // One item only, one row only: refused, each on its own field.
    let bad = add(staff, &[("kind", "ranking"), ("page", "1"), ("label", "Classez"), ("items", "Seul")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#items\"") && bad.body.contains("de 2 à 20 éléments"), "{}", bad.body);
    let bad = add(staff, &[("kind", "matrix"), ("page", "1"), ("label", "Notez"), ("rows", "Une"), ("scale", "1-5")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#rows\""), "{}", bad.body);

    let ok = add(
        staff,
        &[
            ("kind", "ranking"),
            ("page", "1"),
            ("label", "Classez ce que vous voulez"),
            ("items", "Des bancs\nDes jeux\n\nDe l'ombre"),
            ("required", "on"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let ok = add(
        staff,
        &[
            ("kind", "matrix"),
            ("page", "1"),
            ("label", "Notez le square"),
            ("rows", "Propreté\nÉclairage"),
            ("scale", "1-5"),
            ("low", "Mauvais"),
            ("high", "Très bon"),
            ("required", "on"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let ok = add(staff, &[("kind", "point"), ("page", "2"), ("label", "Où faut-il un banc"), ("required", "on")]);
    assert_eq!(ok.status, 303, "{}", ok.body);
    // The edit page shows the items back, one per line.
    let edit = staff.get(&server.at(&format!("{at}/questions/1")));
    assert!(
        edit.body.contains("Des bancs\nDes jeux\nDe l&#39;ombre")
            || edit.body.contains("Des bancs\nDes jeux\nDe l'ombre")
    );
    let published = post(staff, server, &at, &format!("{at}/publier"), &[("opens", &today(0)), ("closes", &today(30))]);
    assert_eq!(published.status, 303, "{}", published.body);
    id
}

/// One visitor's answer through the web: the ranking's positions for
/// (bancs, jeux, ombre), the matrix's (propreté, éclairage), an address.
fn answer(server: &TestServer, id: u64, ranks: [u8; 3], marks: [u8; 2], address: &str) {
    let mut v = Client::new();
    let p1 = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(p1.status, 200);
    let r: Vec<String> = ranks.iter().enumerate().map(|(i, p)| format!("{i}:{p}")).collect();
    let m: Vec<String> = marks.iter().enumerate().map(|(i, c)| format!("{i}:{c}")).collect();
    let p2 = send(
        &mut v,
        server,
        id,
        &p1,
        &[("q1", r[0].as_str()), ("q1", &r[1]), ("q1", &r[2]), ("q2-0", &m[0]), ("q2-1", &m[1])],
        "suivant",
    );
    assert_eq!(p2.status, 200, "{}", p2.body);
    let done = send(&mut v, server, id, &p2, &[("q3", address)], "envoyer");
    assert_eq!(done.status, 303, "{}", done.body);
}

#[test]
fn ranking_matrix_and_place_are_built_answered_refused_counted_and_exported() {
    let server = server();
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let id = build(&server, &mut staff);

    // The page without JavaScript: a select per item, a table of radios
    // with row and column headers, an address field.
    let mut v = Client::new();
    let p1 = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(p1.status, 200);
    let body = p1.body.replace("&#39;", "'");
    assert!(body.contains("<label for=\"q1-2\">De l'ombre</label>"), "{body}");
    assert!(body.contains("<option value=\"2:3\">3</option>"), "{body}");
    assert!(body.contains("<th scope=\"row\" id=\"q2-r1\">Éclairage</th>"), "{body}");
    assert!(body.contains("<th scope=\"col\" id=\"q2-c5\">5 – Très bon</th>"), "{body}");
    assert!(body.contains("name=\"q2-1\" value=\"1:4\" aria-labelledby=\"q2-r1 q2-c4\""), "{body}");
    assert!(body.contains("<legend>Notez le square</legend>"), "{body}");

    // Two items at the same position: refused, the error linked, what was
    // chosen kept.
    let refused = send(
        &mut v,
        &server,
        id,
        &p1,
        &[("q1", "0:1"), ("q1", "1:1"), ("q1", "2:2"), ("q2-0", "0:4"), ("q2-1", "1:2")],
        "suivant",
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("href=\"#q1\""), "{}", refused.body);
    assert!(refused.body.contains("Deux éléments ont la même place"), "{}", refused.body);
    assert!(refused.body.contains("value=\"1:2\" checked"), "the matrix kept: {}", refused.body);
    // A row of the required matrix left empty.
    let refused =
        send(&mut v, &server, id, &refused, &[("q1", "0:1"), ("q1", "1:2"), ("q1", "2:3"), ("q2-0", "0:4")], "suivant");
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("href=\"#q2\""), "{}", refused.body);
    assert!(refused.body.contains("Répondez à chaque ligne du tableau"), "{}", refused.body);
    assert!(!refused.body.contains("Deux éléments ont la même place"));
    let p2 = send(
        &mut v,
        &server,
        id,
        &refused,
        &[("q1", "0:1"), ("q1", "1:2"), ("q1", "2:3"), ("q2-0", "0:4"), ("q2-1", "1:2")],
        "suivant",
    );
    assert_eq!(p2.status, 200, "{}", p2.body);
    assert!(p2.body.contains("Page 2 sur 2"));
    // An address not in the commune's list.
    let refused = send(&mut v, &server, id, &p2, &[("q3", "99 avenue des Nuages")], "envoyer");
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("href=\"#q3\""), "{}", refused.body);
    assert!(refused.body.contains("pas dans la liste des adresses de la commune"), "{}", refused.body);
    assert!(refused.body.contains("value=\"99 avenue des Nuages\""), "what was typed stays");
    let done = send(&mut v, &server, id, &refused, &[("q3", "1 ter rue de l'Église")], "envoyer");
    assert_eq!(done.status, 303, "{}", done.body);

    // Two more, by hand: ranks (bancs, jeux, ombre) 1-2-3, 3-1-2, 2-1-3;
    // marks (propreté, éclairage) 4-2, 5-2, 4-3.
    answer(&server, id, [3, 1, 2], [5, 2], "1 ter Rue de l'Église");
    answer(&server, id, [2, 1, 3], [4, 3], "17 rue du Marché");

    // The counts, read as the results page reads them: mean positions
    // jeux (2+1+1)/3, bancs (1+3+2)/3 = 2, ombre (3+2+3)/3.
    let tx = server.state().store.read().unwrap();
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    let r = consultations::results(&tx, &c).unwrap();
    assert_eq!(r.answers, 3);
    let ranks = consultations::ranking_items(c.question(1).unwrap(), &r.questions[0]);
    let means: Vec<(usize, f64)> = ranks.iter().map(|i| (i.item, i.mean.unwrap())).collect();
    assert_eq!(means.iter().map(|m| m.0).collect::<Vec<_>>(), vec![1, 0, 2]);
    assert!((means[0].1 - 4.0 / 3.0).abs() < 1e-9 && means[1].1 == 2.0 && (means[2].1 - 8.0 / 3.0).abs() < 1e-9);
    drop(tx);

    let page = staff.get(&server.at(&format!("/consultations/{id}/resultats")));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("&#39;", "'");
    // The ranking: sorted by mean position, with each position's count.
    let jeux = body.find("<th scope=\"row\">Des jeux</th><td>1,33</td><td>2</td><td>1</td><td>0</td>");
    let bancs = body.find("<th scope=\"row\">Des bancs</th><td>2,00</td><td>1</td><td>1</td><td>1</td>");
    let ombre = body.find("<th scope=\"row\">De l'ombre</th><td>2,67</td><td>0</td><td>1</td><td>2</td>");
    assert!(jeux.is_some() && bancs.is_some() && ombre.is_some(), "{body}");
    assert!(jeux < bancs && bancs < ombre, "sorted by mean position");
    assert!(body.contains("Place moyenne de chaque élément"), "the chart's title");
    // The matrix: counts and row percentages, and each row's mean.
    assert!(
        body.contains(
            "<th scope=\"row\">Propreté</th><td>0 <span class=\"meta\">(0,0 %)</span></td><td>0 <span class=\"meta\">(0,0 %)</span></td><td>0 <span class=\"meta\">(0,0 %)</span></td><td>2 <span class=\"meta\">(66,7 %)</span></td><td>1 <span class=\"meta\">(33,3 %)</span></td><td>3</td><td>4,33</td>"
        ),
        "{body}"
    );
    assert!(body.contains("<td>2 <span class=\"meta\">(66,7 %)</span></td><td>1 <span class=\"meta\">(33,3 %)</span></td><td>0 <span class=\"meta\">(0,0 %)</span></td><td>0 <span class=\"meta\">(0,0 %)</span></td><td>3</td><td>2,33</td>"), "Éclairage: {body}");
    // The places: two cells of about 100 m, 2 and 1, drawn and listed.
    assert_eq!(body.matches("<circle").count(), 2, "{body}");
    assert!(body.contains("<th scope=\"row\">45.7795, 4.6065</th><td>2</td>"), "{body}");
    assert!(body.contains("<th scope=\"row\">45.7855, 4.6125</th><td>1</td>"), "{body}");
    let listed = staff.get(&server.at(&format!("/consultations/{id}/resultats/3")));
    assert!(
        listed.body.replace("&#39;", "'").contains("45.785125, 4.612799 (17 Rue du Marché, 69999 Saint-Exemple)"),
        "{}",
        listed.body
    );

    // The export: one cell per question, in words.
    let csv = staff.get(&server.at(&format!("/consultations/{id}/reponses.csv")));
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].ends_with(";Classez ce que vous voulez;Notez le square;Où faut-il un banc"), "{}", lines[0]);
    assert!(
        lines[1].ends_with(
            ";1. Des bancs | 2. Des jeux | 3. De l'ombre;Propreté : 4 | Éclairage : 2;45.779355, 4.606795 (1 ter Rue de l'Église, 69999 Saint-Exemple)"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(";1. Des jeux | 2. De l'ombre | 3. Des bancs;Propreté : 5 | Éclairage : 2;"),
        "{}",
        lines[2]
    );

    // Answers exist: an item's typo may be corrected, an item added may not.
    let edit = format!("/admin/consultations/{id}/questions/1");
    let fields = |items: &'static str| {
        [
            ("kind", "ranking"),
            ("page", "1"),
            ("label", "Classez ce que vous voulez"),
            ("items", items),
            ("required", "on"),
        ]
    };
    let locked = post(&mut staff, &server, &edit, &edit, &fields("Des bancs\nDes jeux\nDe l'ombre\nUne fontaine"));
    assert_eq!(locked.status, 422);
    assert!(locked.body.contains("Des réponses existent"), "{}", locked.body);
    let typo = post(&mut staff, &server, &edit, &edit, &fields("Des bancs\nDes jeux\nDe l'ombre !"));
    assert_eq!(typo.status, 303, "{}", typo.body);
    verify_clean(&server);
}

#[test]
fn a_pin_set_on_the_map_is_taken_with_its_nearest_address_and_one_outside_is_refused() {
    let server = server();
    let where_ = crate::consultations::q("Où faut-il un banc", true, parvis::domain::consultations::Kind::Point);
    let id = crate::consultations::open_consultation(&server, consultations::Audience::Anyone, vec![where_]);
    let mut v = Client::new();
    let page = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(page.status, 200);
    // The reports' picker enhances the field; its hidden position is empty.
    assert!(page.body.contains("data-location-picker") && page.body.contains("js/location."), "{}", page.body);
    assert!(page.body.contains("name=\"q1-lat\" value=\"\" data-location-lat"), "{}", page.body);
    // A pin in Paris is not in Saint-Exemple.
    let refused = send(&mut v, &server, id, &page, &[("q1", ""), ("q1-lat", "48.85"), ("q1-lon", "2.35")], "envoyer");
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Ce point est en dehors de la commune"), "{}", refused.body);
    // Refused, the pin stays where it was put, for the script to show.
    assert!(refused.body.contains("name=\"q1-lat\" value=\"48.85\""), "{}", refused.body);
    // The hidden fields as the script sets them, the address left empty:
    // the nearest address of the list is kept with the position.
    let fields = [("q1", ""), ("q1-lat", "45.779355"), ("q1-lon", "4.606795")];
    let done = send(&mut v, &server, id, &page, &fields, "envoyer");
    assert_eq!(done.status, 303, "{}", done.body);
    let tx = server.state().store.read().unwrap();
    let answers = consultations::answers(&tx, ConsultationId(id)).unwrap();
    assert_eq!(
        answers[0].values.get(&1),
        Some(&parvis::domain::consultations::Value::Point {
            lat: 45.779355,
            lon: 4.606795,
            address: "1 ter Rue de l'Église, 69999 Saint-Exemple".into()
        })
    );
}

#[test]
fn two_places_on_a_page_load_the_map_picker_once_and_a_page_without_one_not_at_all() {
    use parvis::domain::consultations::Kind;
    let server = server();
    let questions = vec![
        crate::consultations::q("Où faut-il un banc", false, Kind::Point),
        crate::consultations::q("Où faut-il un arbre", false, Kind::Point),
    ];
    let id = crate::consultations::open_consultation(&server, consultations::Audience::Anyone, questions);
    let page = Client::new().get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(page.body.matches("js/location.").count(), 1, "{}", page.body);
    assert_eq!(page.body.matches("data-location-picker").count(), 2);
    let plain = vec![crate::consultations::q("Classez", false, Kind::Ranking { items: vec!["A".into(), "B".into()] })];
    let id = crate::consultations::open_consultation(&server, consultations::Audience::Anyone, plain);
    let page = Client::new().get(&server.at(&format!("/consultations/{id}/repondre")));
    assert!(!page.body.contains("js/location."), "{}", page.body);
}
