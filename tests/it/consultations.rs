//! Consultations over real HTTP: staff build a questionnaire of every kind
//! of question without JavaScript and publish it; a visitor answers it page
//! by page (an error on the way, Previous and Next, nothing lost) and gets
//! a receipt; a signed-in resident's draft is kept; many submissions at
//! once from one account give one answer; the results' counts and
//! percentages, checked by hand, and the CSV export.

use std::collections::BTreeMap;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::{self, Action, Actor};
use parvis::domain::consultations::{self, Audience, ConsultationId, Dates, Details, Kind, Question, Raw, Respondent};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{title_of, Client, Resp, TestServer};

pub(crate) fn verify_clean(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// The hidden fields of a page, as a browser sends them back.
pub(crate) fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let marker = "<input type=\"hidden\" name=\"";
    let mut rest = html;
    while let Some(start) = rest.find(marker) {
        rest = &rest[start + marker.len()..];
        let Some(end) = rest.find('"') else { break };
        let name = rest[..end].to_string();
        let Some(v) = rest.find("value=\"") else { break };
        let after = &rest[v + 7..];
        let Some(vend) = after.find('"') else { break };
        let value = after[..vend]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((name, value));
        rest = after;
    }
    out
}

/// Sends the questionnaire's form as shown in `page` (its hidden fields),
/// with `typed` for the page's own fields and the button `action`.
pub(crate) fn send(
    c: &mut Client,
    server: &TestServer,
    id: u64,
    page: &Resp,
    typed: &[(&str, &str)],
    action: &str,
) -> Resp {
    let mut fields = hidden_fields(&page.body);
    fields.extend(typed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields.push(("action".into(), action.into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form(&server.at(&format!("/consultations/{id}/repondre")), &refs)
}

pub(crate) fn today(offset_days: i64) -> String {
    let ts = jiff::Timestamp::from_second(parvis::domain::now_unix() + offset_days * 86_400).unwrap();
    ts.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).date().to_string()
}

/// Staff build, over HTTP, a questionnaire of three pages with every kind
/// of question, and publish it open from today; returns its id.
fn build_every_kind(server: &TestServer, staff: &mut Client) -> u64 {
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
    let add = |staff: &mut Client, fields: &[(&str, &str)]| {
        let r = post(staff, server, &at, &format!("{at}/questions"), fields);
        assert_eq!(r.status, 303, "{fields:?}: {}", r.body);
    };
    // Page 1: an information block, a required short text, a long text,
    // a single choice with "other".
    add(
        staff,
        &[("kind", "info"), ("page", "1"), ("label", "Avant de commencer"), ("hint", "Cinq minutes suffisent.")],
    );
    add(staff, &[("kind", "short-text"), ("page", "1"), ("label", "Votre rue"), ("required", "on")]);
    add(staff, &[("kind", "long-text"), ("page", "1"), ("label", "Vos idées")]);
    add(
        staff,
        &[
            ("kind", "single"),
            ("page", "1"),
            ("label", "Venez-vous au square"),
            ("options", "Souvent\nParfois\nJamais"),
            ("other", "on"),
            ("required", "on"),
        ],
    );
    // Page 2: a drop-down, a multiple choice (1 to 2), a 0–10 scale.
    add(
        staff,
        &[
            ("kind", "single"),
            ("page", "2"),
            ("label", "Votre âge"),
            ("options", "Moins de 30 ans\n30 à 60 ans\nPlus de 60 ans"),
            ("dropdown", "on"),
        ],
    );
    add(
        staff,
        &[
            ("kind", "multiple"),
            ("page", "2"),
            ("label", "Que voulez-vous y trouver"),
            ("options", "Des bancs\nDes jeux\nDe l'ombre"),
            ("min", "1"),
            ("max", "2"),
            ("required", "on"),
        ],
    );
    add(
        staff,
        &[
            ("kind", "scale"),
            ("page", "2"),
            ("label", "Le square aujourd'hui"),
            ("scale", "0-10"),
            ("low", "Très mal"),
            ("high", "Très bien"),
        ],
    );
    // Page 3: a bounded number and a date.
    add(
        staff,
        &[
            ("kind", "number"),
            ("page", "3"),
            ("label", "Combien d'enfants"),
            ("min", "0"),
            ("max", "20"),
            ("required", "on"),
        ],
    );
    add(staff, &[("kind", "date"), ("page", "3"), ("label", "Votre dernière visite")]);
    // A refused question comes back with its error, nothing added.
    let bad = post(
        staff,
        server,
        &at,
        &format!("{at}/questions"),
        &[("kind", "single"), ("page", "1"), ("label", "Seule"), ("options", "Une")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#options\""), "{}", bad.body);
    let published = post(staff, server, &at, &format!("{at}/publier"), &[("opens", &today(0)), ("closes", &today(30))]);
    assert_eq!(published.status, 303, "{}", published.body);
    let page = staff.get(&server.at(&at));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Page 3") && page.body.contains("Votre dernière visite"), "{}", page.body);
    assert!(page.body.contains("/cloturer"), "an open consultation can be closed");
    let list = staff.get(&server.at("/admin/consultations"));
    assert!(list.status == 200 && list.body.contains("Le square des Tilleuls"));
    id
}

#[test]
fn a_questionnaire_of_every_kind_is_answered_page_by_page_without_losing_an_answer() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let id = build_every_kind(&server, &mut staff);
    let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
    assert_eq!(c.questions.len(), 9);
    assert_eq!(c.pages(), vec![1, 2, 3]);
    let qid = |label: &str| c.questions.iter().find(|q| q.label == label).unwrap().id.to_string();
    let (street, ideas, visits) = (qid("Votre rue"), qid("Vos idées"), qid("Venez-vous au square"));
    let (age, wants, mood) = (qid("Votre âge"), qid("Que voulez-vous y trouver"), qid("Le square aujourd'hui"));
    let (children, last) = (qid("Combien d'enfants"), qid("Votre dernière visite"));
    let f = |q: &str| format!("q{q}");

    // The list and the header link.
    let mut v = Client::new();
    let list = v.get(&server.at("/consultations"));
    assert!(list.body.contains("href=\"/consultations\""), "the header's link");
    assert!(list.body.contains("Le square des Tilleuls"));

    let p1 = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(p1.status, 200);
    assert!(p1.body.contains("Page 1 sur 3"), "{}", p1.body);
    // Page 1 with the required street missing: the error summary links to
    // the field, the title says there is an error, what was typed stays.
    let refused = send(
        &mut v,
        &server,
        id,
        &p1,
        &[(&f(&ideas), "Plus d'arbres"), (&f(&visits), "3"), (&format!("q{visits}-autre"), "Le dimanche")],
        "suivant",
    );
    assert_eq!(refused.status, 422);
    assert!(title_of(&refused.body).starts_with("Erreur"), "{}", title_of(&refused.body));
    assert!(refused.body.contains(&format!("href=\"#q{street}\"")), "{}", refused.body);
    assert!(refused.body.contains("Répondez à cette question"));
    assert!(refused.body.contains("Plus d&#39;arbres") || refused.body.contains("Plus d'arbres"), "the long text kept");
    assert!(refused.body.contains("value=\"Le dimanche\""), "the other text kept");
    assert!(refused.body.contains("Page 1 sur 3"));

    let p2 = send(
        &mut v,
        &server,
        id,
        &refused,
        &[
            (&f(&street), "Rue Haute"),
            (&f(&ideas), "Plus d'arbres"),
            (&f(&visits), "3"),
            (&format!("q{visits}-autre"), "Le dimanche"),
        ],
        "suivant",
    );
    assert_eq!(p2.status, 200, "{}", p2.body);
    assert!(p2.body.contains("Page 2 sur 3"));
    // Too many boxes ticked: refused on page 2, page 1's answers still carried.
    let refused = send(
        &mut v,
        &server,
        id,
        &p2,
        &[(&f(&age), "1"), (&f(&wants), "0"), (&f(&wants), "1"), (&f(&wants), "2"), (&f(&mood), "7")],
        "suivant",
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Cochez au plus 2 réponses"), "{}", refused.body);
    assert!(hidden_fields(&refused.body).contains(&(f(&street), "Rue Haute".into())));
    // Previous: page 1 as it was typed.
    let back =
        send(&mut v, &server, id, &refused, &[(&f(&age), "1"), (&f(&wants), "0"), (&f(&mood), "7")], "precedent");
    assert_eq!(back.status, 200);
    assert!(back.body.contains("Page 1 sur 3") && back.body.contains("value=\"Rue Haute\""), "{}", back.body);
    assert!(hidden_fields(&back.body).contains(&(f(&mood), "7".into())), "page 2's answers carried back");
    let p2 = send(
        &mut v,
        &server,
        id,
        &back,
        &[
            (&f(&street), "Rue Haute"),
            (&f(&ideas), "Plus d'arbres"),
            (&f(&visits), "3"),
            (&format!("q{visits}-autre"), "Le dimanche"),
        ],
        "suivant",
    );
    assert!(p2.body.contains("selected") && p2.body.contains("Page 2 sur 3"), "page 2 as it was typed");
    let p3 = send(
        &mut v,
        &server,
        id,
        &p2,
        &[(&f(&age), "1"), (&f(&wants), "0"), (&f(&wants), "2"), (&f(&mood), "7")],
        "suivant",
    );
    assert!(p3.body.contains("Page 3 sur 3"), "{}", p3.body);
    let out_of_range = send(&mut v, &server, id, &p3, &[(&f(&children), "25"), (&f(&last), "14/07/2026")], "envoyer");
    assert_eq!(out_of_range.status, 422);
    assert!(out_of_range.body.contains("entre 0 et 20"), "{}", out_of_range.body);
    let done = send(&mut v, &server, id, &out_of_range, &[(&f(&children), "2"), (&f(&last), "14/07/2026")], "envoyer");
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some(format!("/consultations/{id}/merci").as_str()));
    let thanks = v.get(&server.at(&format!("/consultations/{id}/merci")));
    assert!(thanks.body.contains(&format!("{id}-1-")), "the receipt: {}", thanks.body);
    // The same browser is sent to its receipt, not to a second answer.
    assert_eq!(v.get(&server.at(&format!("/consultations/{id}/repondre"))).status, 303);

    let tx = server.state().store.read().unwrap();
    let answers = consultations::answers(&tx, ConsultationId(id)).unwrap();
    assert_eq!(answers.len(), 1);
    let a = &answers[0];
    assert_eq!(a.respondent, Respondent::Visitor);
    use consultations::Value;
    let at = |q: &str| a.values.get(&q.parse::<u32>().unwrap()).cloned();
    assert_eq!(at(&street), Some(Value::Text("Rue Haute".into())));
    assert_eq!(at(&visits), Some(Value::Choice { option: 3, other: Some("Le dimanche".into()) }));
    assert_eq!(at(&age), Some(Value::Choice { option: 1, other: None }));
    assert_eq!(at(&wants), Some(Value::Choices { options: vec![0, 2], other: None }));
    assert_eq!(at(&mood), Some(Value::Scale(7)));
    assert_eq!(at(&children), Some(Value::Number(2)));
    assert_eq!(at(&last), Some(Value::Date("2026-07-14".into())));
    drop(tx);

    // A signed-in resident's answers of page 1 are kept as a draft.
    let resident = make_person(&server, "camille@testville.test", "Camille", Role::Resident, false);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    let p1 = r.get(&server.at(&format!("/consultations/{id}/repondre")));
    let p2 = send(&mut r, &server, id, &p1, &[(&f(&street), "Rue Basse"), (&f(&visits), "0")], "suivant");
    assert!(p2.body.contains("Page 2 sur 3"));
    let again = r.get(&server.at(&format!("/consultations/{id}/repondre?page=1")));
    assert!(again.body.contains("value=\"Rue Basse\""), "the draft: {}", again.body);
    let public = r.get(&server.at(&format!("/consultations/{id}")));
    assert!(public.body.contains("Reprendre mes réponses"), "{}", public.body);

    // Staff preview what residents see, to the end; nothing is recorded.
    let preview = staff.get(&server.at(&format!("/consultations/{id}/repondre?apercu=1")));
    assert!(preview.body.contains("Page 1 sur 3") && preview.body.contains("Aperçu"), "{}", preview.body);
    let p2 = send(&mut staff, &server, id, &preview, &[(&f(&street), "Rue"), (&f(&visits), "0")], "suivant");
    let p3 = send(&mut staff, &server, id, &p2, &[(&f(&wants), "1")], "suivant");
    let end = send(&mut staff, &server, id, &p3, &[(&f(&children), "1")], "envoyer");
    assert_eq!(end.status, 200, "{}", end.body);
    assert!(end.body.contains("Fin de l&#39;aperçu") || end.body.contains("Fin de l'aperçu"), "{}", end.body);
    let (answers, visitors) =
        consultations::answer_count(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap();
    assert_eq!((answers, visitors), (1, 1), "the preview recorded nothing");
    verify_clean(&server);
}

/// A published consultation of one page and one required choice, written
/// through the domain, open now.
pub(crate) fn open_consultation(server: &TestServer, audience: Audience, questions: Vec<Question>) -> u64 {
    server.write(move |tx| {
        let actor = Actor::command_line();
        let now = parvis::domain::now_unix();
        let details = Details {
            title: "Le marché".into(),
            summary: String::new(),
            body: String::new(),
            neighbourhood: None,
            audience,
        };
        let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
        let id = consultations::create(tx, &[], &actor, &details, now).map_err(e)?;
        for q in &questions {
            consultations::add_question(tx, &actor, id, q, now).map_err(e)?;
        }
        consultations::publish(tx, &actor, id, Dates { opens_at: now - 60, closes_at: now + 86_400 }, now)
            .map_err(e)?;
        Ok(id.get())
    })
}

pub(crate) fn q(label: &str, required: bool, kind: Kind) -> Question {
    Question { id: 0, page: 1, label: label.into(), hint: String::new(), required, hidden: false, kind, show_if: None }
}

pub(crate) fn day() -> Kind {
    Kind::Single { options: vec!["Mardi".into(), "Samedi".into(), "Dimanche".into()], dropdown: false, other: false }
}

#[test]
fn many_submissions_at_once_from_one_account_give_one_answer() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    // Without an account: sent to sign in.
    let mut v = Client::new();
    let r = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/connexion"));

    let resident = make_person(&server, "dominique@testville.test", "Dominique", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    let page = c.get(&server.at(&format!("/consultations/{id}/repondre")));
    let mut fields = hidden_fields(&page.body);
    fields.push(("q1".into(), "1".into()));
    fields.push(("action".into(), "envoyer".into()));
    let url = server.at(&format!("/consultations/{id}/repondre"));
    let sends: Vec<_> = (0..8)
        .map(|_| {
            let mut each = Client::new();
            each.cookies = c.cookies.clone();
            let (url, fields) = (url.clone(), fields.clone());
            std::thread::spawn(move || {
                let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                each.post_form(&url, &refs)
            })
        })
        .collect();
    for s in sends {
        let r = s.join().unwrap();
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), Some(format!("/consultations/{id}/merci").as_str()));
    }
    let tx = server.state().store.read().unwrap();
    assert_eq!(consultations::answer_count(&tx, ConsultationId(id)).unwrap(), (1, 0));
    assert!(consultations::has_answered(&tx, ConsultationId(id), AccountId(resident.id)).unwrap());
    drop(tx);
    let thanks = c.get(&server.at(&format!("/consultations/{id}/merci")));
    assert!(thanks.body.contains(&format!("{id}-1-")), "{}", thanks.body);
    verify_clean(&server);
}

/// A question's id, the values sent and the words of "other".
type Typed = (u32, Vec<&'static str>, &'static str);

#[test]
fn results_show_counts_and_percentages_and_the_answers_export_as_csv() {
    let server = TestServer::start();
    let scale = Kind::Scale { from: 1, to: 5, low: "Non".into(), high: "Oui".into() };
    let stalls = Kind::Multiple {
        options: vec!["Fruits".into(), "Fromages".into(), "Fleurs".into()],
        min: 0,
        max: 0,
        other: true,
    };
    let id = open_consultation(
        &server,
        Audience::Anyone,
        vec![
            q("Quel jour", true, day()),
            q("Quels étals", false, stalls),
            q("Content", false, scale),
            q("Un mot", false, Kind::ShortText),
        ],
    );
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let resident = make_person(&server, "eve@testville.test", "Ève", Role::Resident, false);
    let mut people = Vec::new();
    for i in 0..3 {
        people.push(make_person(&server, &format!("p{i}@testville.test"), "P", Role::Resident, false));
    }
    // Four answers, by hand: days Samedi, Samedi, Mardi, Samedi; stalls
    // {Fruits, Fleurs}, {Fruits}, {Autre: "Miel"}, none; scale 5, 4, 2, none;
    // one visitor (the fourth); a formula typed as a word.
    let rows: Vec<(Respondent, Vec<Typed>)> = vec![
        (
            Respondent::Account(AccountId(people[0].id)),
            vec![(1, vec!["1"], ""), (2, vec!["0", "2"], ""), (3, vec!["5"], ""), (4, vec!["=1+1"], "")],
        ),
        (
            Respondent::Account(AccountId(people[1].id)),
            vec![(1, vec!["1"], ""), (2, vec!["0"], ""), (3, vec!["4"], "")],
        ),
        (
            Respondent::Account(AccountId(people[2].id)),
            vec![(1, vec!["0"], ""), (2, vec!["3"], "Miel"), (3, vec!["2"], "")],
        ),
        (Respondent::Visitor, vec![(1, vec!["1"], "")]),
    ];
    for (who, answers) in rows {
        let fields: BTreeMap<u32, Raw> = answers
            .into_iter()
            .map(|(q, values, other)| {
                (q, Raw { values: values.into_iter().map(String::from).collect(), other: other.into() })
            })
            .collect();
        server.write(move |tx| {
            consultations::submit(tx, ConsultationId(id), who.clone(), &fields, parvis::domain::now_unix())
                .map_err(|e| StoreError::Internal(e.to_string()))
        });
    }
    let results = format!("/consultations/{id}/resultats");
    // Open: the results are the staff's only.
    let mut v = Client::new();
    assert_eq!(v.get(&server.at(&results)).status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert_eq!(s.get(&server.at(&results)).status, 200);

    // Answers exist: a typo may be fixed (audited), the meaning may not change.
    let edit = format!("/admin/consultations/{id}/questions/1");
    let locked = post(
        &mut s,
        &server,
        &edit,
        &edit,
        &[
            ("kind", "single"),
            ("page", "1"),
            ("label", "Quel jour"),
            ("required", "on"),
            ("options", "Mardi\nVendredi\nDimanche"),
        ],
    );
    assert_eq!(locked.status, 422);
    assert!(locked.body.contains("Des réponses existent"), "{}", locked.body);
    let typo = post(
        &mut s,
        &server,
        &edit,
        &edit,
        &[
            ("kind", "single"),
            ("page", "1"),
            ("label", "Quel jour ?"),
            ("required", "on"),
            ("options", "Mardi\nSamedi\nDimanche"),
        ],
    );
    assert_eq!(typo.status, 303, "{}", typo.body);
    let tx = server.state().store.read().unwrap();
    let filter = audit::Filter { action: Some(Action::ConsultationChanged), ..audit::Filter::default() };
    let details: Vec<String> =
        audit::list(&tx, &filter, None, 20).unwrap().into_iter().map(|(_, e)| e.detail).collect();
    assert!(details.contains(&format!("consultation {id}: question 1 corrected")), "{details:?}");
    drop(tx);

    // Closed: public, with the figures checked by hand.
    let closed = post(
        &mut s,
        &server,
        &format!("/admin/consultations/{id}"),
        &format!("/admin/consultations/{id}/cloturer"),
        &[],
    );
    assert_eq!(closed.status, 303);
    let page = v.get(&server.at(&results));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("&#39;", "'");
    assert!(body.contains("4 réponses au total."), "{body}");
    assert!(body.contains("Dont une réponse d'un visiteur non connecté."), "{body}");
    // Days: Samedi 3/4 = 75 %, Mardi 1/4 = 25 %, Dimanche 0.
    assert!(body.contains("<th scope=\"row\">Samedi</th><td>3</td><td>75,0 %</td>"), "{body}");
    assert!(body.contains("<th scope=\"row\">Mardi</th><td>1</td><td>25,0 %</td>"));
    assert!(body.contains("<th scope=\"row\">Dimanche</th><td>0</td><td>0,0 %</td>"));
    // Stalls, of the 3 who answered: Fruits 2 = 66,7 %, Fleurs 1 = 33,3 %, Autre 1.
    assert!(body.contains("<th scope=\"row\">Fruits</th><td>2</td><td>66,7 %</td>"));
    assert!(body.contains("<th scope=\"row\">Fleurs</th><td>1</td><td>33,3 %</td>"));
    assert!(body.contains("<th scope=\"row\">Autre</th><td>1</td><td>33,3 %</td>"));
    // Scale: 5, 4, 2 → mean 3,67; 4 counted once, 33,3 %.
    assert!(body.contains("Moyenne : 3,67"), "{body}");
    assert!(body.contains("<th scope=\"row\">4</th><td>1</td><td>33,3 %</td>"));
    assert!(body.contains("<svg"), "the chart");
    // Written answers, and the words of "other", on their question's page.
    assert!(!body.contains("=1+1") && body.contains(&format!("href=\"/consultations/{id}/resultats/4\"")), "{body}");
    let open = v.get(&server.at(&format!("/consultations/{id}/resultats/4")));
    assert!(open.body.contains("=1+1"), "{}", open.body);
    assert_eq!(open.body.matches("<h1").count(), 1, "the question's page has its title: {}", open.body);
    let open = v.get(&server.at(&format!("/consultations/{id}/resultats/2")));
    assert!(open.body.contains("Miel"), "{}", open.body);

    // The export: staff only; BOM, `;`, one row per answer.
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    assert_eq!(r.get(&server.at(&format!("/consultations/{id}/reponses.csv"))).status, 403);
    let csv = s.get(&server.at(&format!("/consultations/{id}/reponses.csv")));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'), "a byte order mark");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].starts_with("Numéro;Date;Canal;Quartier;Quel jour ?;Quels étals;Content;Un mot"), "{}", lines[0]);
    assert!(lines[1].starts_with("1;") && lines[1].ends_with(";Samedi;Fruits | Fleurs;5;'=1+1"), "{}", lines[1]);
    assert!(lines[3].contains(";Autre : Miel;"), "{}", lines[3]);
    assert!(lines[4].contains(";Visiteur;;Samedi;"), "{}", lines[4]);
    verify_clean(&server);
}

#[test]
fn a_visitor_answers_once_per_browser_and_twenty_in_a_row_per_address() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    let url = server.at(&format!("/consultations/{id}/repondre"));
    let form = |c: &mut Client| {
        let page = c.get(&url);
        let mut fields = hidden_fields(&page.body);
        fields.push(("q1".into(), "2".into()));
        fields.push(("action".into(), "envoyer".into()));
        fields
    };
    let send = |c: &mut Client, fields: &[(String, String)]| {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        c.post_form(&url, &refs)
    };
    let answer = |c: &mut Client| {
        let fields = form(c);
        send(c, &fields)
    };
    let mut first = Client::new();
    let fields = form(&mut first);
    assert_eq!(send(&mut first, &fields).status, 303);
    // The same browser again, or the form sent twice: sent to its receipt,
    // nothing counted.
    assert_eq!(first.get(&url).status, 303);
    let twice = send(&mut first, &fields);
    assert_eq!((twice.status, twice.header("location")), (303, Some(format!("/consultations/{id}/merci").as_str())));
    let count = || consultations::answer_count(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap();
    assert_eq!(count(), (1, 1));
    // Other browsers from the same address: 20 in a row, then a wait.
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(answer(&mut Client::new()));
    }
    assert!(statuses[..19].iter().all(|r| r.status == 303));
    let refused = &statuses[19];
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(count(), (20, 20), "every one flagged as a visitor's");
    verify_clean(&server);
}

#[test]
fn staff_reorder_and_hide_questions_and_residents_see_the_pages_that_remain() {
    let server = TestServer::start();
    let on = |page: u32, question: Question| Question { page, ..question };
    let id = open_consultation(
        &server,
        Audience::Anyone,
        vec![
            on(1, q("Premier", false, Kind::ShortText)),
            on(1, q("Deuxième", false, Kind::Date)),
            on(2, q("Troisième", false, Kind::LongText)),
        ],
    );
    let at = format!("/admin/consultations/{id}");
    // Residents cannot reach the staff's pages.
    let resident = make_person(&server, "rene@testville.test", "René", Role::Resident, false);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    assert_eq!(r.get(&server.at(&at)).status, 403);
    assert_eq!(r.get(&server.at("/admin/consultations")).status, 403);

    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    assert_eq!(s.get(&server.at(&format!("{at}/questions/2"))).status, 200);
    let moved = post(&mut s, &server, &at, &format!("{at}/questions/2/deplacer"), &[("sens", "haut")]);
    assert_eq!(moved.status, 303);
    let hidden = post(&mut s, &server, &at, &format!("{at}/questions/3/masquer"), &[("masquer", "oui")]);
    assert_eq!(hidden.status, 303);
    let c = consultations::get(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().unwrap();
    let order: Vec<&str> = c.questions.iter().map(|q| q.label.as_str()).collect();
    assert_eq!(order, vec!["Deuxième", "Premier", "Troisième"]);
    assert_eq!(c.pages(), vec![1], "page 2 holds only a hidden question");

    let mut v = Client::new();
    let public = v.get(&server.at(&format!("/consultations/{id}")));
    assert!(public.status == 200 && public.body.contains("Répondre à la consultation"), "{}", public.body);
    let form = v.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert!(form.body.contains("Page 1 sur 1") && !form.body.contains("Troisième"), "{}", form.body);
    assert!(form.body.find("Deuxième") < form.body.find("Premier"), "in the new order");
    // Shown again: page 2 is back.
    let shown = post(&mut s, &server, &at, &format!("{at}/questions/3/masquer"), &[("masquer", "non")]);
    assert_eq!(shown.status, 303);
    assert!(v.get(&server.at(&format!("/consultations/{id}/repondre"))).body.contains("Page 1 sur 2"));
}

/// RGPD: a resident's answer and draft are in their data (page and file);
/// deleting the account keeps the answer, anonymised and still counted
/// (the results do not change), and deletes the draft.
#[test]
fn my_answers_and_drafts_are_in_my_data_and_erasure_keeps_the_answer_anonymised() {
    let server = TestServer::start();
    let market = open_consultation(
        &server,
        Audience::SignedIn,
        vec![q("Quel jour", true, day()), q("Une idée", false, Kind::ShortText)],
    );
    let later = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let camille = make_person(&server, "camille@testville.test", "Camille", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let page = c.get(&server.at(&format!("/consultations/{market}/repondre")));
    let r = send(&mut c, &server, market, &page, &[("q1", "1"), ("q2", "Des bancs")], "envoyer");
    assert_eq!(r.status, 303, "{}", r.body);
    let who = AccountId(camille.id);
    server.write(move |tx| {
        let fields = BTreeMap::from([(1, Raw { values: vec!["2".into()], other: String::new() })]);
        consultations::save_draft(tx, ConsultationId(later), who, &fields, parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    let results_of = |tx: &parvis::store::ReadTx| {
        let c = consultations::get(tx, ConsultationId(market)).unwrap().unwrap();
        consultations::results(tx, &c).unwrap()
    };
    let before = results_of(&server.state().store.read().unwrap());

    let file: serde_json::Value = serde_json::from_str(&c.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    let mine = file["consultations"].as_array().unwrap();
    assert_eq!(mine.len(), 2, "{mine:?}");
    // Newest consultation first: the draft, then the answer.
    assert_eq!(mine[0]["consultation"]["id"], later);
    assert!(mine[0]["answer"].is_null());
    assert_eq!(mine[0]["draft"]["answers"][0]["question"], "Quel jour");
    assert_eq!(mine[0]["draft"]["answers"][0]["answer"][0], "Dimanche", "the option's words, not its index");
    assert_eq!(mine[1]["consultation"]["title"], "Le marché");
    assert!(mine[1]["draft"].is_null(), "sending the answer ended the draft");
    let answer = &mine[1]["answer"];
    assert!(answer["receipt"].as_str().unwrap().starts_with(&format!("{market}-1-")));
    assert_eq!(answer["answers"][0]["answer"][0], "Samedi");
    assert_eq!(answer["answers"][1]["answer"][0], "Des bancs");
    let page = c.get(&server.at("/compte/mes-donnees")).body;
    for expected in ["Mes réponses aux consultations", "Samedi", "Des bancs", "Dimanche", "pas encore envoyées"] {
        assert!(page.contains(expected), "{expected} in the page");
    }
    // The copy leads to the consultation's own page, not to a discussion.
    assert!(page.contains(&format!("href=\"/consultations/{market}\"")), "{page}");
    assert!(!page.contains("/discussions/consultation/"), "{page}");
    // Someone else's copy holds none of it.
    let dominique = make_person(&server, "dominique@testville.test", "Dominique", Role::Resident, false);
    let mut d = Client::new();
    sign_in(&mut d, &server, &dominique);
    let theirs: serde_json::Value = serde_json::from_str(&d.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(theirs["consultations"].as_array().unwrap().len(), 0);
    assert!(d.get(&server.at("/compte/mes-donnees")).body.contains("Aucune réponse à une consultation."));

    // The deletion page says what becomes of the answers before it is done.
    let warned = c.get(&server.at("/compte/supprimer")).body;
    assert!(warned.contains("Vos réponses aux consultations restent comptées"), "{warned}");
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let tx = server.state().store.read().unwrap();
    assert!(consultations::draft(&tx, ConsultationId(later), who).unwrap().is_none(), "the draft is gone");
    assert!(!consultations::has_answered(&tx, ConsultationId(market), who).unwrap(), "nothing leads to the tombstone");
    let kept = consultations::answers(&tx, ConsultationId(market)).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].respondent, Respondent::Erased);
    assert_eq!(kept[0].values.len(), 2, "the answer itself is kept");
    assert_eq!(results_of(&tx), before, "the results do not change");
    assert_eq!(consultations::answer_count(&tx, ConsultationId(market)).unwrap(), (1, 0));
    drop(tx);
    verify_clean(&server);
}

/// « Nous avons demandé, vous avez dit, nous avons fait »: refused before
/// the close and without its texts; once published, on the consultation's
/// page and on the list of outcomes with its dates, then a dated update;
/// published once only; audited.
#[test]
fn staff_publish_the_outcome_of_a_closed_consultation_then_an_update() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let admin_page = format!("/admin/consultations/{id}");
    let outcome_url = format!("/admin/consultations/{id}/bilan");
    let texts = [("said", "Le **samedi** l'emporte."), ("decided", "Le marché aura lieu le samedi.")];

    // Still open: no form, and a forged one is refused.
    assert!(!staff.get(&server.at(&admin_page)).body.contains(&outcome_url));
    let r = post(&mut staff, &server, &admin_page, &outcome_url, &texts);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ne sont pas valables"));
    let r = post(&mut staff, &server, &admin_page, &format!("/admin/consultations/{id}/cloturer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);

    // Closed, no outcome yet: listed as awaited.
    let list = Client::new().get(&server.at("/consultations/resultats"));
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Le marché") && list.body.contains("Le bilan de la mairie est attendu."),
        "{}",
        list.body
    );
    assert!(Client::new().get(&server.at("/consultations")).body.contains("href=\"/consultations/resultats\""));

    // Empty texts come back with why, nothing published.
    let r = post(&mut staff, &server, &admin_page, &outcome_url, &[("said", " "), ("decided", "")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body.matches("Écrivez ce texte").count(), 4, "two fields, in the summary and at each field");
    assert!(consultations::outcome(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().is_none());

    let r = post(&mut staff, &server, &admin_page, &outcome_url, &texts);
    assert_eq!(r.status, 303, "{}", r.body);
    let resident_page = Client::new().get(&server.at(&format!("/consultations/{id}"))).body;
    for expected in [
        "Nous avons demandé, vous avez dit, nous avons fait",
        "<strong>samedi</strong> l'emporte",
        "Le marché aura lieu le samedi.",
        "Bilan publié",
        "Publié le ",
    ] {
        assert!(resident_page.contains(expected), "{expected} in {resident_page}");
    }
    assert!(Client::new().get(&server.at("/consultations/resultats")).body.contains("Le marché aura lieu le samedi."));
    // Once only: a second outcome is refused, the first stays.
    let r = post(&mut staff, &server, &admin_page, &outcome_url, &[("said", "Autre"), ("decided", "Autre")]);
    assert_eq!(r.status, 409, "{}", r.body);

    let update_url = format!("/admin/consultations/{id}/bilan/suivi");
    let r = post(&mut staff, &server, &admin_page, &update_url, &[("update", "")]);
    assert_eq!(r.status, 422);
    let r = post(&mut staff, &server, &admin_page, &update_url, &[("update", "Les premiers étals sont installés.")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let resident_page = Client::new().get(&server.at(&format!("/consultations/{id}"))).body;
    assert!(resident_page.contains("Les premiers étals sont installés."));
    assert!(Client::new().get(&server.at("/consultations/resultats")).body.contains("mis à jour le "));
    let tx = server.state().store.read().unwrap();
    let o = consultations::outcome(&tx, ConsultationId(id)).unwrap().unwrap();
    assert_eq!((o.said.as_str(), o.updates.len()), (texts[0].1, 1));
    assert_eq!(o.published_by, AccountId(agent.id));
    let actions: Vec<Action> = audit::list(&tx, &audit::Filter::default(), None, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|(_, e)| e.action)
        .filter(|a| matches!(a, Action::ConsultationOutcomePublished | Action::ConsultationOutcomeUpdated))
        .collect();
    assert_eq!(actions, [Action::ConsultationOutcomeUpdated, Action::ConsultationOutcomePublished], "newest first");
    drop(tx);
    // Residents are refused the staff's forms.
    let resident = make_person(&server, "eve@testville.test", "Ève", Role::Resident, false);
    let mut r_client = Client::new();
    sign_in(&mut r_client, &server, &resident);
    let r = post(&mut r_client, &server, "/consultations", &update_url, &[("update", "Faux")]);
    assert_eq!(r.status, 403);
    verify_clean(&server);
}

/// Followers, and respondents who asked, are mailed the outcome and each
/// update over SMTP; others are not; a signed-in answer gets its receipt.
/// The outcome goes through the notifications: Alix and Camille chose to
/// hear of the consultations they follow at once (the default is a daily
/// digest, `notifications_consultations` checks it).
#[test]
fn followers_and_respondents_who_asked_are_mailed_the_outcome_and_its_updates() {
    use crate::accounts::Mailbox;
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let signed_in = |email: &str| {
        let p = make_person(&server, email, "Habitant", Role::Resident, false);
        let mut c = Client::new();
        sign_in(&mut c, &server, &p);
        (p, c)
    };
    let page = format!("/consultations/{id}");
    let follow = format!("/consultations/{id}/suivi");
    let (_, mut alix) = signed_in("alix@testville.test");
    let r = post(&mut alix, &server, &page, &follow, &[("suivre", "oui")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(alix.get(&server.at(&page)).body.contains("Vous suivez cette consultation"));
    let (_, mut eve) = signed_in("eve@testville.test");
    post(&mut eve, &server, &page, &follow, &[("suivre", "oui")]);
    let r = post(&mut eve, &server, &page, &follow, &[("suivre", "non")]);
    assert_eq!(r.status, 303);
    assert!(!Client::new().get(&server.at(&page)).body.contains("Suivre cette consultation"), "visitors sign in first");

    let (camille, mut c) = signed_in("camille@testville.test");
    let form = c.get(&server.at(&format!("/consultations/{id}/repondre")));
    assert!(form.body.contains("Prévenez-moi par courriel de la publication des résultats"));
    assert!(form.body.contains(r#"name="prevenir" value="on" checked"#), "ticked until unticked: {}", form.body);
    // Refused (no day chosen): the box comes back ticked.
    let r = send(&mut c, &server, id, &form, &[("prevenir", "on")], "envoyer");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("name=\"prevenir\" value=\"on\" checked"), "{}", r.body);
    let r = send(&mut c, &server, id, &form, &[("q1", "1"), ("prevenir", "on")], "envoyer");
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, mut d) = signed_in("dominique@testville.test");
    let form = d.get(&server.at(&format!("/consultations/{id}/repondre")));
    // Dominique unticks the box: the form sends no `prevenir`.
    let r = send(&mut d, &server, id, &form, &[("q1", "0")], "envoyer");
    assert_eq!(r.status, 303, "{}", r.body);
    for client in [&mut alix, &mut c] {
        let settings = "/compte/notifications/reglages";
        let r = post(client, &server, settings, settings, &[("consultations", "immediat")]);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let receipt = mail.nth_to("camille@testville.test", 1);
    assert_eq!(receipt.header("Subject").unwrap(), "Votre réponse à « Le marché » – Testville");
    let answer =
        consultations::answer_of(&server.state().store.read().unwrap(), ConsultationId(id), AccountId(camille.id))
            .unwrap()
            .unwrap();
    assert!(receipt.body().contains(&answer.receipt), "{}", receipt.body());
    assert!(mail.nth_to("dominique@testville.test", 1).header("Subject").unwrap().starts_with("Votre réponse"));
    assert!(c.get(&server.at(&page)).body.contains("Vous avez demandé à être prévenu"));

    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let admin_page = format!("/admin/consultations/{id}");
    post(&mut staff, &server, &admin_page, &format!("{admin_page}/cloturer"), &[]);
    let r = post(
        &mut staff,
        &server,
        &admin_page,
        &format!("{admin_page}/bilan"),
        &[("said", "Samedi."), ("decided", "Le samedi.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    for to in ["alix@testville.test", "camille@testville.test"] {
        let m = mail.nth_to(to, if to.starts_with("camille") { 2 } else { 1 });
        assert_eq!(m.header("Subject").unwrap(), "Résultats et décision : « Le marché » – Testville");
        assert!(m.body().contains(&format!("/consultations/{id}#bilan")), "{}", m.body());
    }
    let r = post(
        &mut staff,
        &server,
        &admin_page,
        &format!("{admin_page}/bilan/suivi"),
        &[("update", "Les étals arrivent.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        mail.nth_to("alix@testville.test", 2).header("Subject").unwrap(),
        "Du nouveau : « Le marché » – Testville"
    );
    assert!(mail.nth_to("camille@testville.test", 3).header("Subject").unwrap().starts_with("Du nouveau"));
    crate::notifications::fanned_out(&server);
    assert_eq!(mail.count_to("dominique@testville.test"), 1, "the receipt only: Dominique did not ask");
    assert_eq!(mail.count_to("eve@testville.test"), 0, "Ève stopped following");

    // Their data say so; erasure forgets it.
    let file: serde_json::Value = serde_json::from_str(&alix.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(file["consultations"][0]["following"], true);
    let file: serde_json::Value = serde_json::from_str(&c.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(
        (file["consultations"][0]["following"].clone(), file["consultations"][0]["asked_for_results"].clone()),
        (serde_json::json!(false), serde_json::json!(true))
    );
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        consultations::told(&server.state().store.read().unwrap(), ConsultationId(id), AccountId(camille.id)).unwrap(),
        0
    );
    verify_clean(&server);
}

/// Staff type in answers from paper forms and interviews: two on paper and
/// one from an interview, the first refused once (what was typed comes
/// back); residents are refused the page; the results give the split by
/// channel, checked by hand, and the CSV says each answer's channel.
#[test]
fn staff_type_in_paper_and_interview_answers_counted_by_channel() {
    use parvis::config::Value;
    let server =
        TestServer::start_with(&[("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()]))]);
    let id = open_consultation(
        &server,
        Audience::SignedIn,
        vec![q("Quel jour", true, day()), q("Un mot", false, Kind::ShortText)],
    );
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let resident = make_person(&server, "eve@testville.test", "Ève", Role::Resident, false);
    let paper = format!("/admin/consultations/{id}/papier");
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    assert_eq!(r.get(&server.at(&paper)).status, 403);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let admin = s.get(&server.at(&format!("/admin/consultations/{id}")));
    assert!(admin.body.contains(&format!("href=\"{paper}\"")), "{}", admin.body);
    let form = s.get(&server.at(&paper));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Saisir une réponse papier") && form.body.contains("Quel jour"), "{}", form.body);
    // A resident's forged post is refused too.
    let answer_page = format!("/consultations/{id}/repondre");
    let forged = post(&mut r, &server, &answer_page, &paper, &[("canal", "paper"), ("q1", "1")]);
    assert_eq!(forged.status, 403);

    // No channel and the required question left empty: both said, and the
    // neighbourhood and the words typed come back.
    let refused = post(&mut s, &server, &paper, &paper, &[("quartier", "Les Vignes"), ("q2", "Marché couvert")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Choisissez le canal de la réponse"), "{}", refused.body);
    assert!(refused.body.contains("href=\"#canal\"") && refused.body.contains("href=\"#q1\""), "the summary links");
    assert!(refused.body.contains("Répondez à cette question"), "{}", refused.body);
    assert!(refused.body.contains("value=\"Marché couvert\""), "{}", refused.body);
    assert!(refused.body.contains("<option value=\"Les Vignes\" selected"), "{}", refused.body);
    let first = post(
        &mut s,
        &server,
        &paper,
        &paper,
        &[("canal", "paper"), ("quartier", "Les Vignes"), ("q1", "1"), ("q2", "Marché couvert")],
    );
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("Réponse n° 1 enregistrée."), "{}", first.body);
    assert!(!first.body.contains("Marché couvert"), "the form is empty again: {}", first.body);
    let second = post(&mut s, &server, &paper, &paper, &[("canal", "paper"), ("q1", "1")]);
    assert!(second.body.contains("Réponse n° 2 enregistrée."), "{}", second.body);
    let third = post(&mut s, &server, &paper, &paper, &[("canal", "interview"), ("q1", "0")]);
    assert!(third.body.contains("Réponse n° 3 enregistrée."), "{}", third.body);
    // One online answer beside them.
    server.write(move |tx| {
        let fields = BTreeMap::from([(1, Raw { values: vec!["2".into()], other: String::new() })]);
        consultations::submit(
            tx,
            ConsultationId(id),
            Respondent::Account(AccountId(resident.id)),
            &fields,
            parvis::domain::now_unix(),
        )
        .map_err(|e| StoreError::Internal(e.to_string()))
    });
    let kept = consultations::answers(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap();
    assert_eq!(
        kept[0].respondent,
        Respondent::Offline { channel: consultations::Channel::Paper, neighbourhood: Some("Les Vignes".into()) }
    );
    let tx = server.state().store.read().unwrap();
    let filter = audit::Filter { action: Some(Action::ConsultationAnswerTyped), ..audit::Filter::default() };
    let typed = audit::list(&tx, &filter, None, 20).unwrap();
    assert_eq!(typed.len(), 3, "each typed answer is audited");
    assert!(typed.iter().all(|(_, e)| e.actor == Some(AccountId(agent.id))), "with who typed it");
    drop(tx);

    // Results: 4 answers, of which 2 on paper and 1 in an interview;
    // Samedi 2 (both paper), Mardi 1 (interview), Dimanche 1 (online).
    let page = s.get(&server.at(&format!("/consultations/{id}/resultats")));
    let body = page.body.replace("&#39;", "'");
    assert!(body.contains("4 réponses au total.") && body.contains("dont 2 sur papier, 1 en entretien."), "{body}");
    assert!(
        body.contains("<th scope=\"col\">En ligne</th><th scope=\"col\">Papier</th><th scope=\"col\">Entretien</th>")
    );
    assert!(
        body.contains("<th scope=\"row\">Samedi</th><td>2</td><td>50,0 %</td><td>0</td><td>2</td><td>0</td>"),
        "{body}"
    );
    assert!(body.contains("<th scope=\"row\">Mardi</th><td>1</td><td>25,0 %</td><td>0</td><td>0</td><td>1</td>"));
    assert!(body.contains("<th scope=\"row\">Dimanche</th><td>1</td><td>25,0 %</td><td>1</td><td>0</td><td>0</td>"));

    let csv = s.get(&server.at(&format!("/consultations/{id}/reponses.csv")));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(
        lines[1].starts_with("1;") && lines[1].contains(";Papier;Les Vignes;Samedi;Marché couvert"),
        "{}",
        lines[1]
    );
    assert!(lines[3].contains(";Entretien;;Mardi;"), "{}", lines[3]);
    assert!(lines[4].contains(";Compte;;Dimanche;"), "{}", lines[4]);
    verify_clean(&server);
}

/// Paper answers are taken for the grace after the close (14 days by
/// default), not after.
#[test]
fn paper_answers_are_taken_after_the_close_only_within_the_grace() {
    let server = TestServer::start();
    let made = |closed_days_ago: i64| {
        server.write(move |tx| {
            let actor = Actor::command_line();
            // Written as staff did it 40 days ago (publishing takes no
            // closing date in the past).
            let then = parvis::domain::now_unix() - 40 * 86_400;
            let details = Details {
                title: "La fête".into(),
                summary: String::new(),
                body: String::new(),
                neighbourhood: None,
                audience: Audience::SignedIn,
            };
            let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
            let id = consultations::create(tx, &[], &actor, &details, then).map_err(e)?;
            consultations::add_question(tx, &actor, id, &q("Quel jour", true, day()), then).map_err(e)?;
            let closes_at = parvis::domain::now_unix() - closed_days_ago * 86_400;
            consultations::publish(tx, &actor, id, Dates { opens_at: then, closes_at }, then).map_err(e)?;
            Ok(id.get())
        })
    };
    let (recent, old) = (made(13), made(15));
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let late = format!("/admin/consultations/{recent}/papier");
    let r = post(&mut s, &server, &late, &late, &[("canal", "paper"), ("q1", "0")]);
    assert!(r.body.contains("Réponse n° 1 enregistrée."), "{}", r.body);
    let too_late = format!("/admin/consultations/{old}/papier");
    assert!(!s.get(&server.at(&format!("/admin/consultations/{old}"))).body.contains(&too_late));
    assert_eq!(s.get(&server.at(&too_late)).status, 409);
    let r =
        post(&mut s, &server, &format!("/admin/consultations/{old}"), &too_late, &[("canal", "paper"), ("q1", "0")]);
    assert_eq!(r.status, 409, "{}", r.body);
    let tx = server.state().store.read().unwrap();
    assert_eq!(consultations::answer_count(&tx, ConsultationId(recent)).unwrap(), (1, 0));
    assert_eq!(consultations::answer_count(&tx, ConsultationId(old)).unwrap(), (0, 0));
    drop(tx);
    verify_clean(&server);
}
