//! A consultation's results taken away and read closely: the XLSX workbook
//! (answers, counts by channel, codes) read back cell by cell; the
//! printable summary for the municipal council; the written answers
//! searched, coded by staff with their own codes and counted, and the codes'
//! counts unchanged when a respondent's account is erased.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::{self, Action, Actor};
use parvis::domain::consultations::{self, coding, Audience, Channel, ConsultationId, Kind, Raw, Respondent};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::consultations::{day, open_consultation, q, verify_clean};
use crate::support::{Client, TestServer};

/// A GET whose body is bytes (the `Client` reads text).
fn download(c: &Client, url: &str) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let cookie: Vec<String> = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut r = agent.get(url).header("cookie", &cookie.join("; ")).call().unwrap();
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = r.status().as_u16();
    (status, content_type, disposition, r.body_mut().read_to_vec().unwrap())
}

fn raw(values: &[&str]) -> Raw {
    Raw { values: values.iter().map(|v| v.to_string()).collect(), other: String::new() }
}

fn fields(answers: &[(u32, &str)]) -> BTreeMap<u32, Raw> {
    answers.iter().filter(|(_, v)| !v.is_empty()).map(|(q, v)| (*q, raw(&[v]))).collect()
}

fn answer(server: &TestServer, id: u64, who: Respondent, answers: &[(u32, &str)]) {
    let fields = fields(answers);
    server.write(move |tx| {
        consultations::submit(tx, ConsultationId(id), who.clone(), &fields, parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
}

/// « Le marché »: which day (1), a word (2), a date of birth (3), a number
/// (4); two visitors online and one paper form from the Centre:
/// Samedi, Samedi, Mardi.
fn market(server: &TestServer) -> u64 {
    let id = open_consultation(
        server,
        Audience::Anyone,
        vec![
            q("Quel jour", true, day()),
            q("Un mot", false, Kind::ShortText),
            q("Né le", false, Kind::Date),
            q("Combien", false, Kind::Number { min: None, max: None }),
        ],
    );
    answer(server, id, Respondent::Visitor, &[(1, "1"), (2, "Trop de voitures"), (3, "1980-05-17"), (4, "-3")]);
    answer(server, id, Respondent::Visitor, &[(1, "1"), (2, "La sécurité des enfants"), (4, "2")]);
    let paper = fields(&[(1, "0"), (2, "=1+1")]);
    server.write(move |tx| {
        let places = ["Centre".to_string()];
        consultations::submit_offline(
            tx,
            &Actor::command_line(),
            ConsultationId(id),
            Channel::Paper,
            Some("Centre".into()),
            &places,
            &paper,
            0,
            parvis::domain::now_unix(),
        )
        .map_err(|e| StoreError::Internal(e.to_string()))
    });
    id
}

fn code(server: &TestServer, id: u64, qid: u32, label: &str, answers: &[u64]) -> u32 {
    let (label, answers) = (label.to_string(), answers.to_vec());
    server.write(move |tx| {
        let e = |e: coding::CodingError| StoreError::Internal(e.to_string());
        let actor = Actor::command_line();
        let now = parvis::domain::now_unix();
        let code = coding::add_code(tx, &actor, ConsultationId(id), qid, &label, now).map_err(e)?;
        coding::tag(tx, &actor, ConsultationId(id), qid, code.id, &answers, true, now).map_err(e)?;
        Ok(code.id)
    })
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        other => panic!("a text cell, not {other:?}"),
    }
}

fn number(d: Option<&Data>) -> f64 {
    match d {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("a number cell, not {other:?}"),
    }
}

fn day_of(d: Option<&Data>) -> (u16, u8, u8) {
    match d {
        Some(Data::DateTime(t)) if t.is_datetime() => {
            let (y, m, d, ..) = t.to_ymd_hms_milli();
            (y, m, d)
        }
        other => panic!("a date cell, not {other:?}"),
    }
}

#[test]
fn the_xlsx_export_holds_the_answers_as_typed_cells_the_counts_by_channel_and_the_codes() {
    let server = TestServer::start();
    let id = market(&server);
    code(&server, id, 2, "Stationnement", &[1]);
    code(&server, id, 2, "Sécurité", &[2, 3]);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let resident = make_person(&server, "eve@testville.test", "Ève", Role::Resident, false);
    let url = server.at(&format!("/consultations/{id}/reponses.xlsx"));

    // Staff only, as the CSV.
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    assert_eq!(download(&r, &url).0, 403);
    assert_ne!(download(&Client::new(), &url).0, 200);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let results = s.get(&server.at(&format!("/consultations/{id}/resultats")));
    assert!(results.body.contains(&format!("href=\"/consultations/{id}/reponses.xlsx\"")), "{}", results.body);
    let (status, content_type, disposition, bytes) = download(&s, &url);
    assert_eq!(status, 200);
    assert_eq!(content_type.as_deref(), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_eq!(disposition.unwrap(), format!("attachment; filename=\"consultation-{id}.xlsx\""));

    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Réponses", "Comptes", "Codes"]);

    // The answers: the CSV's columns, numbers as numbers, dates as dates,
    // and resident text as text (a workbook's text cell is never a formula).
    let answers = book.worksheet_range("Réponses").unwrap();
    let head: Vec<String> = (0..8).map(|c| text(answers.get_value((0, c)))).collect();
    assert_eq!(head, ["Numéro", "Date", "Canal", "Quartier", "Quel jour", "Un mot", "Né le", "Combien"]);
    assert_eq!(answers.height(), 4, "a header and three answers");
    assert_eq!(number(answers.get_value((1, 0))), 1.0);
    let received = day_of(answers.get_value((1, 1)));
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).date();
    assert_eq!(received, (today.year() as u16, today.month() as u8, today.day() as u8), "the day it came, in Paris");
    assert_eq!(text(answers.get_value((1, 2))), "Visiteur");
    assert_eq!(answers.get_value((1, 3)), Some(&Data::Empty), "no neighbourhood online");
    assert_eq!(text(answers.get_value((1, 4))), "Samedi");
    assert_eq!(text(answers.get_value((1, 5))), "Trop de voitures");
    assert_eq!(day_of(answers.get_value((1, 6))), (1980, 5, 17));
    assert_eq!(number(answers.get_value((1, 7))), -3.0);
    assert_eq!(text(answers.get_value((3, 2))), "Papier");
    assert_eq!(text(answers.get_value((3, 3))), "Centre");
    assert_eq!(text(answers.get_value((3, 4))), "Mardi");
    assert_eq!(text(answers.get_value((3, 5))), "=1+1", "kept as typed, as text");

    // The counts: totals by channel, then each option with its channels.
    let counts = book.worksheet_range("Comptes").unwrap();
    let total = |row: u32| (text(counts.get_value((row, 0))), number(counts.get_value((row, 1))));
    assert_eq!(total(0), ("Réponses au total".into(), 3.0));
    assert_eq!(total(1), ("En ligne".into(), 2.0));
    assert_eq!(total(2), ("Papier".into(), 1.0));
    assert_eq!(total(3), ("Entretien".into(), 0.0));
    assert_eq!(total(4), ("Dont visiteurs non connectés".into(), 2.0));
    assert_eq!(text(counts.get_value((6, 0))), "Question");
    assert_eq!(text(counts.get_value((6, 3))), "Pourcentage");
    // Mardi 1 (on paper), Samedi 2 (online), Dimanche 0; of 3.
    let option = |row: u32| -> (String, String, Vec<f64>) {
        // Rounded here to the tenth of a percent the cell's format shows.
        let figures =
            [2, 3, 4, 5, 6].iter().map(|&c| (number(counts.get_value((row, c))) * 1000.0).round() / 1000.0).collect();
        (text(counts.get_value((row, 0))), text(counts.get_value((row, 1))), figures)
    };
    assert_eq!(option(7), ("Quel jour".into(), "Mardi".into(), vec![1.0, 0.333, 0.0, 1.0, 0.0]));
    assert_eq!(option(8), ("Quel jour".into(), "Samedi".into(), vec![2.0, 0.667, 2.0, 0.0, 0.0]));
    assert_eq!(option(9), ("Quel jour".into(), "Dimanche".into(), vec![0.0, 0.0, 0.0, 0.0, 0.0]));
    assert_eq!(counts.height(), 10, "only counted questions have rows");

    // The codes, their counts and the answers they tag.
    let codes = book.worksheet_range("Codes").unwrap();
    let row = |r: u32| -> Vec<String> {
        vec![
            text(codes.get_value((r, 0))),
            text(codes.get_value((r, 1))),
            number(codes.get_value((r, 2))).to_string(),
            text(codes.get_value((r, 3))),
        ]
    };
    let head: Vec<String> = (0..4).map(|c| text(codes.get_value((0, c)))).collect();
    assert_eq!(head, ["Question", "Code", "Nombre", "Réponses (numéros)"]);
    assert_eq!(row(1), ["Un mot", "Stationnement", "1", "1"]);
    assert_eq!(row(2), ["Un mot", "Sécurité", "2", "2, 3"]);

    // The CSV builds its rows with the same cells: a negative number stays
    // a number, a formula typed as a word stays guarded.
    let csv = s.get(&server.at(&format!("/consultations/{id}/reponses.csv")));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert!(lines[1].ends_with(";Samedi;Trop de voitures;1980-05-17;-3"), "{}", lines[1]);
    assert!(lines[3].contains(";Papier;Centre;Mardi;'=1+1;"), "{}", lines[3]);
}

#[test]
fn the_printable_summary_shows_the_dates_the_channels_each_question_and_the_outcome_on_a4() {
    let server = TestServer::start();
    let id = market(&server);
    code(&server, id, 2, "Sécurité", &[2]);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let url = server.at(&format!("/consultations/{id}/synthese"));

    // Open: staff only, as the results.
    let mut v = Client::new();
    assert_eq!(v.get(&url).status, 403);
    let page = s.get(&url);
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("&#39;", "'");
    assert!(body.contains("<h1>Synthèse : Le marché</h1>"), "{body}");
    assert!(body.contains("Du ") || body.contains("du "), "the dates: {body}");
    assert!(body.contains("3 réponses au total."), "{body}");
    assert!(body.contains("ces résultats ne sont visibles que par les agents"), "not final yet: {body}");
    // The answers by channel.
    assert!(body.contains("<caption>Réponses par canal</caption>"), "{body}");
    assert!(body.contains("<th scope=\"row\">En ligne</th><td>2</td>"), "{body}");
    assert!(body.contains("<th scope=\"row\">Papier</th><td>1</td>"), "{body}");
    // Each counted question, its chart and its table split by channel;
    // a coded question with its codes; a section each (a page each in print).
    assert!(body.contains("<th scope=\"row\">Samedi</th><td>2</td><td>66,7 %</td><td>2</td><td>0</td>"), "{body}");
    assert!(body.contains("<svg"), "the chart");
    assert_eq!(body.matches("class=\"summary-question\"").count(), 2, "Quel jour and Un mot: {body}");
    assert!(body.contains(">Sécurité</th><td>1</td><td>33,3 %</td>"), "{body}");
    assert!(!body.contains("La sécurité des enfants"), "a summary counts, it does not list answers");
    // The print stylesheet, the button that JavaScript shows, no navigation in print.
    let css = body.split("<link rel=\"stylesheet\" href=\"").find(|l| l.contains("css/summary.css")).unwrap();
    let css_url = &css[..css.find('"').unwrap()];
    assert!(css_url.starts_with("/assets/"), "{css_url}");
    assert!(body.contains("js/print.js"), "{body}");
    assert!(body.contains("<button class=\"button\" type=\"button\" data-print hidden>Imprimer</button>"), "{body}");
    let sheet = v.get(&server.at(css_url));
    assert_eq!(sheet.status, 200);
    for rule in ["@media print", "size: A4", "break-before: page", ".site-nav", ".no-print"] {
        assert!(sheet.body.contains(rule), "{rule} in the print stylesheet");
    }
    let results = s.get(&server.at(&format!("/consultations/{id}/resultats")));
    assert!(results.body.contains(&format!("href=\"/consultations/{id}/synthese\"")));

    // Closed with its outcome: public, with the outcome's highlights.
    let admin = format!("/admin/consultations/{id}");
    assert_eq!(post(&mut s, &server, &admin, &format!("{admin}/cloturer"), &[]).status, 303);
    let texts = [("said", "Le **samedi** l'emporte."), ("decided", "Le marché aura lieu le samedi.")];
    assert_eq!(post(&mut s, &server, &admin, &format!("{admin}/bilan"), &texts).status, 303);
    let public = v.get(&url);
    assert_eq!(public.status, 200, "{}", public.body);
    let body = public.body.replace("&#39;", "'");
    assert!(body.contains("Le <strong>samedi</strong> l'emporte."), "{body}");
    assert!(body.contains("Le marché aura lieu le samedi."), "{body}");
    assert!(!body.contains("ces résultats ne sont visibles que par les agents"), "closed: final");
    verify_clean(&server);
}

/// The `n`th written answer's words in the coding test.
fn words(i: u64) -> String {
    match i {
        3 => "Trop de voitures garées".into(),
        7 => "La sécurité des enfants".into(),
        24 => "SECURITE routière".into(),
        i => format!("Idée {i}"),
    }
}

#[test]
fn staff_search_and_code_the_written_answers_and_the_results_count_each_code() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Anyone, vec![q("Un mot", false, Kind::ShortText)]);
    for i in 1..=25 {
        answer(&server, id, Respondent::Visitor, &[(1, &words(i))]);
    }
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let list = format!("/consultations/{id}/resultats/1");
    let codes_url = format!("/admin/consultations/{id}/questions/1/codes");
    let tag_url = format!("/admin/consultations/{id}/questions/1/codage");

    // A page of 20, the search box, the form of a new code; no code yet, so
    // nothing to tick.
    let page = s.get(&server.at(&list));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("25 réponses écrites trouvées."), "{}", page.body);
    assert!(page.body.contains("name=\"recherche\"") && page.body.contains("role=\"search\""));
    assert!(page.body.contains(&format!("action=\"{codes_url}\"")));
    assert!(!page.body.contains("name=\"reponse\""));
    assert!(page.body.contains("Idée 20") && !page.body.contains("Idée 21"));
    assert!(page.body.contains("?depuis=20"), "{}", page.body);
    let second = s.get(&server.at(&format!("{list}?depuis=20")));
    assert!(second.body.contains("Idée 25") && second.body.contains("Réponses précédentes"));

    // Two codes; the same one again, whatever its accents, is refused.
    let add = |s: &mut Client, label: &str| {
        post(s, &server, &list, &codes_url, &[("libelle", label), ("depuis", "0"), ("recherche", ""), ("code", "")])
    };
    let r = add(&mut s, "Stationnement");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(format!("{list}#codes").as_str()));
    assert_eq!(add(&mut s, "Sécurité").status, 303);
    let again = add(&mut s, " securite ");
    assert_eq!(again.status, 303);
    let shown = s.get(&server.at(&list));
    assert!(shown.body.contains("Cette question a déjà ce code."), "the flash says why");
    let tx = server.state().store.read().unwrap();
    let labels: Vec<String> =
        coding::codes(&tx, ConsultationId(id), 1).unwrap().into_iter().map(|c| c.code.label).collect();
    assert_eq!(labels, ["Stationnement", "Sécurité"]);
    drop(tx);

    // Searching folds case and accents; the answers found can be ticked.
    let found = s.get(&server.at(&format!("{list}?recherche=s%C3%A9curit%C3%A9")));
    assert!(found.body.contains("2 réponses écrites trouvées."), "{}", found.body);
    assert!(found.body.contains("La sécurité des enfants") && found.body.contains("SECURITE routière"));
    assert!(!found.body.contains("Idée 5"));
    assert!(found.body.contains("name=\"reponse\" value=\"7\""), "{}", found.body);
    let back = format!("{list}?recherche=s%C3%A9curit%C3%A9");
    let tagged = post(
        &mut s,
        &server,
        &back,
        &tag_url,
        &[
            ("reponse", "7"),
            ("reponse", "24"),
            ("choix", "2"),
            ("action", "appliquer"),
            ("depuis", "0"),
            ("recherche", "sécurité"),
            ("code", ""),
        ],
    );
    assert_eq!(tagged.status, 303, "{}", tagged.body);
    assert_eq!(tagged.header("location"), Some(back.as_str()), "back to the same search");
    let r = post(&mut s, &server, &list, &tag_url, &[("reponse", "3"), ("choix", "1"), ("action", "appliquer")]);
    assert_eq!(r.status, 303);
    // Nothing ticked: said, nothing changed.
    let r = post(&mut s, &server, &list, &tag_url, &[("choix", "1"), ("action", "appliquer")]);
    assert_eq!(r.status, 303);
    assert!(s.get(&server.at(&list)).body.contains("Cochez au moins une réponse."));

    // Filtered by code, with the codes as badges.
    let by_code = s.get(&server.at(&format!("{list}?code=2")));
    assert!(by_code.body.contains("2 réponses écrites trouvées."), "{}", by_code.body);
    assert!(by_code.body.contains("<span class=\"badge badge-code\">Sécurité</span>"), "{}", by_code.body);
    assert!(!by_code.body.contains("Trop de voitures"));
    // Taken off one answer: counted once less.
    let r = post(&mut s, &server, &list, &tag_url, &[("reponse", "24"), ("choix", "2"), ("action", "retirer")]);
    assert_eq!(r.status, 303);
    let tx = server.state().store.read().unwrap();
    let counts: Vec<u64> = coding::codes(&tx, ConsultationId(id), 1).unwrap().into_iter().map(|c| c.count).collect();
    assert_eq!(counts, [1, 1]);
    drop(tx);
    // A code's typo corrected: its answers keep it under its new name.
    let rename = format!("/admin/consultations/{id}/questions/1/codes/1");
    let page = s.get(&server.at(&list));
    assert!(page.body.contains(&format!("action=\"{rename}\"")), "{}", page.body);
    let r = post(&mut s, &server, &list, &rename, &[("libelle", "Parking"), ("depuis", "0")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = s.get(&server.at(&format!("{list}?code=1")));
    assert!(page.body.contains("Code renommé."), "{}", page.body);
    assert!(page.body.contains("<span class=\"badge badge-code\">Parking</span>"), "{}", page.body);
    assert!(page.body.contains("Trop de voitures garées"), "{}", page.body);
    let tx = server.state().store.read().unwrap();
    let filter = audit::Filter { action: Some(Action::ConsultationAnswersCoded), ..audit::Filter::default() };
    let details: Vec<String> =
        audit::list(&tx, &filter, None, 20).unwrap().into_iter().map(|(_, e)| e.detail).collect();
    assert!(details.contains(&format!("consultation {id}: question 1: code 2 applied to 2 answer(s)")), "{details:?}");
    assert!(details.contains(&format!("consultation {id}: question 1: code 2 taken off 1 answer(s)")), "{details:?}");
    assert!(details.contains(&format!("consultation {id}: question 1: code 1 renamed")), "{details:?}");
    drop(tx);

    // Nobody else codes: a resident is refused.
    let resident = make_person(&server, "eve@testville.test", "Ève", Role::Resident, false);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    let refused = post(&mut r, &server, "/consultations", &tag_url, &[("reponse", "5"), ("choix", "1")]);
    assert_eq!(refused.status, 403);
    let refused = post(&mut r, &server, "/consultations", &codes_url, &[("libelle", "Bruit")]);
    assert_eq!(refused.status, 403);

    // The results page counts each code, linked to its answers; residents
    // see it once the results are public.
    let results = format!("/consultations/{id}/resultats");
    let expected = format!("<a href=\"{list}?code=2\">Sécurité</a></th><td>1</td><td>4,0 %</td>");
    assert!(s.get(&server.at(&results)).body.contains(&expected), "staff see the codes' counts");
    assert_eq!(r.get(&server.at(&results)).status, 403, "open: not yet public");
    let admin = format!("/admin/consultations/{id}");
    assert_eq!(post(&mut s, &server, &admin, &format!("{admin}/cloturer"), &[]).status, 303);
    let public = r.get(&server.at(&results));
    assert!(public.body.contains(&expected), "{}", public.body);
    let public = r.get(&server.at(&list));
    assert!(!public.body.contains(&format!("action=\"{tag_url}\"")), "residents search, they do not code");
    assert!(public.body.contains("name=\"recherche\""));
    verify_clean(&server);
}

/// An answer whose author's account is erased stays, anonymised, with its
/// codes: the codes' counts do not move, and `verify` agrees.
#[test]
fn erasing_a_respondent_keeps_the_codes_counts_right() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Un mot", false, Kind::ShortText)]);
    let camille = make_person(&server, "camille@testville.test", "Camille", Role::Resident, false);
    let dominique = make_person(&server, "dominique@testville.test", "Dominique", Role::Resident, false);
    answer(&server, id, Respondent::Account(AccountId(camille.id)), &[(1, "Plus de bancs")]);
    answer(&server, id, Respondent::Account(AccountId(dominique.id)), &[(1, "Des bancs à l'ombre")]);
    let benches = code(&server, id, 1, "Bancs", &[1, 2]);
    let counts = |server: &TestServer| -> Vec<u64> {
        let tx = server.state().store.read().unwrap();
        coding::codes(&tx, ConsultationId(id), 1).unwrap().into_iter().map(|c| c.count).collect()
    };
    assert_eq!(counts(&server), [2]);

    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let tx = server.state().store.read().unwrap();
    assert_eq!(consultations::answers(&tx, ConsultationId(id)).unwrap()[0].respondent, Respondent::Erased);
    assert_eq!(coding::tagged(&tx, ConsultationId(id), 1, benches).unwrap(), [1, 2], "the answer keeps its code");
    drop(tx);
    assert_eq!(counts(&server), [2]);
    verify_clean(&server);
}
