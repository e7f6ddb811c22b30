//! The public JSON API (`/api/v1/…`) and its OpenAPI document, against data
//! seeded through the domain: every documented endpoint's answers checked
//! against their schema, cursors that hold while records arrive, ETag and
//! Last-Modified, and the publication rules (`domain::publication`) seen
//! from outside — including that no email, IP or hidden name is in any
//! answer.

// Amounts are written euros_cents (60_000_00 is 60 000 €), as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use std::collections::BTreeMap;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience as BudgetAudience, Pot, ProjectDetails, Rule, Study, Style};
use parvis::domain::changes::{ContentKind, Target};
use parvis::domain::consultations::{self, Audience, Dates, Details, Kind, Question, Raw, Respondent};
use parvis::domain::ids::{BoxId, ProposalId};
use parvis::domain::meetings::{self, Accessibility};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::domain::reports::{self, Filer, NewReport};
use parvis::domain::{moderation, news, now_unix};
use parvis::store::StoreError;
use serde_json::Value;

use crate::admin::make_person;
use crate::support::{Client, Resp, TestServer};

const DAY: i64 = 86_400;

/// Addresses and an IP the seeded data holds (accounts, a visitor's
/// report, the audit log): none may be in any answer.
pub(crate) const STAFF_EMAIL: &str = "agent.voirie@mairie-testville.test";
pub(crate) const SHOWN_EMAIL: &str = "bernard.montre@courriel.test";
pub(crate) const HIDDEN_EMAIL: &str = "ana.discrete@courriel.test";
pub(crate) const VISITOR_EMAIL: &str = "camille.visiteuse@ailleurs.test";
pub(crate) const VOTER_EMAIL: &str = "votant.0@courriel.test";
pub(crate) const IP: &str = "198.51.100.23";
/// The name of a resident who filed a report without showing it.
pub(crate) const HIDDEN_NAME: &str = "Ana Discrète";
pub(crate) const SHOWN_NAME: &str = "Bernard Montré";
pub(crate) const HELD_TITLE: &str = "Proposition retenue pour relecture";
pub(crate) const HIDDEN_TITLE: &str = "Proposition masquée par la modération";

fn e(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// What [`seed`] wrote.
pub(crate) struct Seeded {
    pub(crate) box_id: u64,
    pub(crate) public: u64,
    pub(crate) held: u64,
    pub(crate) hidden: u64,
    pub(crate) open_budget: u64,
    pub(crate) closed_budget: u64,
    pub(crate) draft_consultation: u64,
    pub(crate) open_consultation: u64,
    pub(crate) closed_consultation: u64,
    pub(crate) draft_meeting: u64,
    pub(crate) draft_news: u64,
    pub(crate) author: u64,
}

fn new_proposal(box_id: u64, author: u64, title: &str, held: bool) -> NewProposal {
    NewProposal {
        box_id: BoxId(box_id),
        author: AccountId(author),
        title: title.into(),
        body: "Des bancs à l'ombre sur la place.".into(),
        category: Some("Voirie".into()),
        neighbourhood: Some("Centre".into()),
        location: Some((45.7772, 4.6121)),
        held,
        photo: None,
    }
}

fn budget_settings(now: i64, results_during_vote: bool) -> budgets::Settings {
    budgets::Settings {
        title: "Budget participatif 2027".into(),
        description: "Vos projets pour la commune.".into(),
        // The vote is open now: it began ten days ago and ends in ten.
        starts: [now - 30 * DAY, now - 20 * DAY, now - 10 * DAY, now + 10 * DAY, now + 20 * DAY],
        pots: vec![
            Pot { neighbourhood: None, amount_cents: 100_000_00 },
            Pot { neighbourhood: Some("Centre".into()), amount_cents: 20_000_00 },
        ],
        audience: BudgetAudience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: false,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote,
    }
}

/// A budget process in its vote, with three studied projects (two in the
/// commune's pot, one in the Centre's) and ballots of `voters`: each
/// chooses project 1, the first also the Centre's project 3 (one voter in
/// that pot: a group too small to show).
fn budget(tx: &parvis::store::WriteTx, actor: &Actor, voters: &[AccountId], now: i64) -> Result<u64, StoreError> {
    let hoods = vec!["Centre".to_string()];
    let before = now - 25 * DAY;
    let id = budgets::create(tx, &hoods, actor, &budget_settings(now, false), before).map_err(e)?;
    for (title, cost, pot) in [("Parc", 60_000_00, 0), ("Pistes", 30_000_00, 0), ("Fontaine", 15_000_00, 1)] {
        let d = ProjectDetails {
            title: title.into(),
            description: String::new(),
            proposed_cost_cents: cost,
            pot,
            neighbourhood: None,
            category: "Cadre de vie".into(),
            coords: None,
        };
        let n = budgets::add_project(tx, &hoods, actor, id, &d, before).map_err(e)?;
        budgets::set_study(tx, actor, id, n, Study::Feasible { cost_cents: cost }, before).map_err(e)?;
    }
    budgets::publish(tx, actor, id, before).map_err(e)?;
    for (i, who) in voters.iter().enumerate() {
        let choices: &[u64] = if i == 0 { &[1, 3] } else { &[1] };
        budgets::vote(tx, id, *who, choices, now).map_err(e)?;
    }
    Ok(id.get())
}

pub(crate) fn question() -> Question {
    Question {
        id: 0,
        page: 1,
        label: "Quel jour pour le marché ?".into(),
        hint: String::new(),
        required: true,
        hidden: false,
        kind: Kind::Single { options: vec!["Mardi".into(), "Samedi".into()], dropdown: false, other: false },
        show_if: None,
    }
}

/// A consultation: a draft, or published, open and answered by `voters`.
fn consultation(
    tx: &parvis::store::WriteTx,
    actor: &Actor,
    publish: bool,
    voters: &[AccountId],
    now: i64,
) -> Result<consultations::ConsultationId, StoreError> {
    let details = Details {
        title: "Le marché du samedi".into(),
        summary: "Où et quand ?".into(),
        body: String::new(),
        neighbourhood: None,
        audience: Audience::SignedIn,
    };
    let id = consultations::create(tx, &[], actor, &details, now).map_err(e)?;
    consultations::add_question(tx, actor, id, &question(), now).map_err(e)?;
    if publish {
        consultations::publish(tx, actor, id, Dates { opens_at: now - 60, closes_at: now + DAY }, now).map_err(e)?;
        let qid = consultations::get(tx, id)?.map(|c| c.questions[0].id).unwrap_or(1);
        for who in voters {
            let fields = BTreeMap::from([(qid, Raw { values: vec!["1".into()], other: String::new() })]);
            consultations::submit(tx, id, Respondent::Account(*who), &fields, now).map_err(e)?;
        }
    }
    Ok(id)
}

fn meeting_details(title: &str, now: i64) -> meetings::Details {
    meetings::Details {
        title: title.into(),
        kind: meetings::Kind::PublicMeeting,
        starts_at: now + 7 * DAY,
        ends_at: now + 7 * DAY + 7200,
        address: "Salle des fêtes".into(),
        coords: None,
        online_url: String::new(),
        neighbourhood: None,
        agenda: "1. Le marché".into(),
        accessibility: Accessibility::default(),
        organiser: "Mairie".into(),
        registration: false,
        seats: None,
    }
}

/// Everything the API serves, some of it not public.
pub(crate) fn seed(server: &TestServer) -> Seeded {
    let staff = make_person(server, STAFF_EMAIL, "Agent Voirie", Role::Staff, false).id;
    let moderator = make_person(server, "moderatrice@mairie-testville.test", "Modé", Role::Moderator, false).id;
    let shown = make_person(server, SHOWN_EMAIL, SHOWN_NAME, Role::Resident, false).id;
    let hidden = make_person(server, HIDDEN_EMAIL, HIDDEN_NAME, Role::Resident, false).id;
    let voters: Vec<AccountId> = (0..7)
        .map(|i| {
            let email = if i == 0 { VOTER_EMAIL.to_string() } else { format!("votant.{i}@courriel.test") };
            AccountId(make_person(server, &email, &format!("Votant {i}"), Role::Resident, false).id)
        })
        .collect();
    let config = server.state().config.clone();
    let notifier = parvis::web::reports::notifier(server.state());
    server.write(move |tx| {
        let now = now_unix();
        let actor = Actor::person(AccountId(staff), IP);
        let box_id = proposals::create_box(
            tx,
            IdeaBox {
                title: "Le centre-bourg".into(),
                description: "Vos idées.".into(),
                categories: vec!["Voirie".into()],
                opens_at: now - DAY,
                closes_at: now + 30 * DAY,
                created_by: AccountId(staff),
                created_at: now,
                ..IdeaBox::default()
            },
        )
        .map_err(e)?
        .get();
        let public =
            proposals::post(tx, &new_proposal(box_id, shown, "Des bancs sur la place", false), now).map_err(e)?;
        let held = proposals::post(tx, &new_proposal(box_id, shown, HELD_TITLE, true), now).map_err(e)?;
        let hidden_p = proposals::post(tx, &new_proposal(box_id, shown, HIDDEN_TITLE, false), now).map_err(e)?;
        moderation::hide(
            tx,
            &Actor::person(AccountId(moderator), IP),
            Target::new(ContentKind::Proposal, hidden_p.get()),
            moderation::Reason::Spam,
            "Hors sujet.",
            &format!("/propositions/{hidden_p}"),
            now,
        )
        .map_err(e)?;
        for (filer, show_name, text) in [
            (Filer::Account(AccountId(hidden)), false, "Nid de poule devant l'école."),
            (Filer::Account(AccountId(shown)), true, "Lampadaire éteint rue des Lilas."),
            (
                Filer::Visitor {
                    email: VISITOR_EMAIL.into(),
                    name: "Camille Visiteuse".into(),
                    lang: parvis::i18n::Lang::Fr,
                },
                true,
                "Report d'une visiteuse, pas encore confirmé.",
            ),
        ] {
            let new = NewReport {
                author: filer,
                category: "voirie".into(),
                lat: 45.7772,
                lon: 4.6121,
                address: Some("3 rue des Lilas".into()),
                neighbourhood: None,
                description: text.into(),
                photos: Vec::new(),
                show_name,
                answers: Vec::new(),
            };
            reports::file(tx, &config, &notifier, &actor, &new, now).map_err(e)?;
        }
        let draft_consultation = consultation(tx, &actor, false, &[], now)?;
        let open_consultation = consultation(tx, &actor, true, &voters, now)?;
        let closed_consultation = consultation(tx, &actor, true, &voters, now)?;
        consultations::close(tx, &actor, closed_consultation, now).map_err(e)?;
        consultations::publish_outcome(
            tx,
            &actor,
            closed_consultation,
            "Samedi.",
            "Le marché aura lieu le samedi.",
            now,
        )
        .map_err(e)?;
        let open_budget = budget(tx, &actor, &voters, now)?;
        let closed_budget = budget(tx, &actor, &voters, now)?;
        budgets::close_vote(tx, &actor, budgets::ProcessId(closed_budget), now).map_err(e)?;
        let m = meetings::create(tx, &[], &actor, &meeting_details("Réunion publique sur le marché", now), now)
            .map_err(e)?;
        meetings::publish(tx, &actor, m, now).map_err(e)?;
        let draft_meeting =
            meetings::create(tx, &[], &actor, &meeting_details("Brouillon de réunion", now), now).map_err(e)?;
        let draft = |title: &str| news::Draft {
            title: title.into(),
            summary: "Résumé.".into(),
            body: "Texte.".into(),
            image: None,
        };
        let n = news::create(tx, &actor, &draft("Le marché change de jour"), now).map_err(e)?;
        news::publish(tx, &actor, n, now).map_err(e)?;
        let draft_news = news::create(tx, &actor, &draft("Brouillon d'actualité"), now).map_err(e)?;
        Ok(Seeded {
            box_id,
            public: public.get(),
            held: held.get(),
            hidden: hidden_p.get(),
            open_budget,
            closed_budget,
            draft_consultation: draft_consultation.get(),
            open_consultation: open_consultation.get(),
            closed_consultation: closed_consultation.get(),
            draft_meeting: draft_meeting.get(),
            draft_news: draft_news.get(),
            author: shown,
        })
    })
}

fn json(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|err| panic!("{err}: {}", r.body))
}

/// A validator for the schema `schema` (a `$ref` into the document, or an
/// inline schema) with the document's components beside it.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.as_object().cloned().unwrap_or_default();
    root.insert("components".into(), doc["components"].clone());
    jsonschema::draft202012::new(&Value::Object(root)).unwrap_or_else(|err| panic!("{err}: {schema}"))
}

fn check(doc: &Value, schema: &Value, what: &str, answer: &Value) {
    let v = validator(doc, schema);
    let errors: Vec<String> = v.iter_errors(answer).map(|err| err.to_string()).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{answer:#}");
}

/// The schema of a path's answer with `status`.
fn schema_of(doc: &Value, path: &str, status: &str) -> Value {
    doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"].clone()
}

#[test]
fn every_documented_endpoint_answers_as_its_schema_says_and_holds_nothing_personal() {
    let server = TestServer::start();
    seed(&server);
    let mut c = Client::new();
    let r = c.get(&server.at("/api/openapi.json"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let doc = json(&r);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(paths.len(), 14, "{paths:?}");

    let mut bodies = vec![r.body.clone()];
    let mut walked = 0;
    for path in paths.iter().filter(|p| !p.contains("{id}")) {
        // The whole list, page by page (2 a page, so that cursors are used).
        let mut ids = Vec::new();
        let mut url = server.at(&format!("{path}?limit=2"));
        loop {
            let r = c.get(&url);
            assert_eq!(r.status, 200, "{url}: {}", r.body);
            assert!(r.header("etag").is_some(), "{url}");
            assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{url}");
            let page = json(&r);
            check(&doc, &schema_of(&doc, path, "200"), &url, &page);
            ids.extend(page["data"].as_array().unwrap().iter().map(|item| item["id"].as_u64().unwrap()));
            bodies.push(r.body);
            walked += 1;
            match page["next_cursor"].as_str() {
                Some(cursor) => url = server.at(&format!("{path}?limit=2&cursor={cursor}")),
                None => break,
            }
        }
        assert!(!ids.is_empty(), "{path}: the seeded data has public records of every kind");
        // Each record of the list, alone.
        let one = format!("{path}/{{id}}");
        assert!(paths.contains(&one), "{one} is documented");
        for id in ids {
            let url = server.at(&format!("{path}/{id}"));
            let r = c.get(&url);
            assert_eq!(r.status, 200, "{url}: {}", r.body);
            check(&doc, &schema_of(&doc, &one, "200"), &url, &json(&r));
            bodies.push(r.body);
            walked += 1;
        }
        // Errors have their documented shape too.
        let r = c.get(&server.at(&format!("{path}/999999")));
        assert_eq!(r.status, 404, "{path}");
        check(&doc, &schema_of(&doc, &one, "404"), path, &json(&r));
        let r = c.get(&server.at(&format!("{path}?colour=blue")));
        assert_eq!(r.status, 400, "{path}");
        let error = json(&r);
        check(&doc, &schema_of(&doc, path, "400"), path, &error);
        assert_eq!(error["error"]["code"], "unknown-parameter");
        assert!(error["error"]["message"].as_str().unwrap().contains("colour"), "{error}");
    }
    // Seven lists of one page each, and their ten public records one by one.
    assert_eq!(walked, 7 + 10, "{walked}");

    // The human page shows each endpoint with a curl example and an answer.
    let page = c.get(&server.at("/api"));
    assert_eq!(page.status, 200);
    for path in paths.iter().filter(|p| !p.contains("{id}")) {
        assert!(page.body.contains(&format!("curl -s '{}{path}?limit=1'", server.at(""))), "{path}");
    }
    assert!(page.body.contains("Des bancs sur la place"), "an example answer from the commune's data");
    bodies.push(page.body);

    // Nothing personal anywhere: no address, no IP, no name kept back, no
    // hidden or held content, no visitor's unconfirmed report.
    for body in &bodies {
        for secret in [
            STAFF_EMAIL,
            SHOWN_EMAIL,
            HIDDEN_EMAIL,
            VISITOR_EMAIL,
            VOTER_EMAIL,
            IP,
            HIDDEN_NAME,
            HELD_TITLE,
            HIDDEN_TITLE,
            "Camille Visiteuse",
            "Agent Voirie",
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    assert!(bodies.iter().any(|b| b.contains(SHOWN_NAME)), "a name its owner chose to show is there");
}

#[test]
fn the_publication_rules_hold_in_every_answer() {
    let server = TestServer::start();
    let s = seed(&server);
    let mut c = Client::new();
    let get = |c: &mut Client, path: &str| c.get(&server.at(path));

    // Proposals: held and hidden ones are neither listed nor found.
    let list = json(&get(&mut c, "/api/v1/proposals?limit=100"));
    let ids: Vec<u64> = list["data"].as_array().unwrap().iter().map(|p| p["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, vec![s.public]);
    assert_eq!(get(&mut c, &format!("/api/v1/proposals/{}", s.held)).status, 404);
    assert_eq!(get(&mut c, &format!("/api/v1/proposals/{}", s.hidden)).status, 404);
    let one = json(&get(&mut c, &format!("/api/v1/proposals/{}", s.public)));
    assert_eq!(one["author"], SHOWN_NAME);
    assert_eq!(one["box_id"], s.box_id);

    // An open budget vote: no counts at all.
    let open = get(&mut c, &format!("/api/v1/budgets/{}", s.open_budget));
    assert_eq!(open.status, 200);
    let open = json(&open);
    assert_eq!(open["phase"], "vote");
    assert!(open.get("results").is_none(), "{open:#}");
    assert!(!open.to_string().contains("votes") && !open.to_string().contains("ballots"), "{open:#}");
    assert_eq!(open["projects"].as_array().unwrap().len(), 3);
    // Closed: the results, but not the count of a pot with one voter.
    let closed = json(&get(&mut c, &format!("/api/v1/budgets/{}", s.closed_budget)));
    assert_eq!(closed["phase"], "results");
    let results = &closed["results"];
    assert_eq!(results["ballots"], 7);
    assert_eq!(results["pots"][0]["voters"], 7);
    assert_eq!(results["pots"][0]["lines"][0]["votes"], 7);
    assert_eq!(results["pots"][1]["voters"], Value::Null, "one voter: too small a group");
    assert_eq!(results["pots"][1]["lines"][0]["votes"], 0);
    assert_eq!(results["pots"][1]["winners"], serde_json::json!([3]));

    // Consultations: a draft is nowhere; an open one has no results; a
    // closed one has its results and outcome.
    assert_eq!(get(&mut c, &format!("/api/v1/consultations/{}", s.draft_consultation)).status, 404);
    let listed = json(&get(&mut c, "/api/v1/consultations"));
    let ids: Vec<u64> = listed["data"].as_array().unwrap().iter().map(|x| x["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, vec![s.open_consultation, s.closed_consultation]);
    let open = json(&get(&mut c, &format!("/api/v1/consultations/{}", s.open_consultation)));
    assert_eq!(open["phase"], "open");
    assert_eq!(open["results"], Value::Null);
    assert_eq!(open["outcome"], Value::Null);
    let closed = json(&get(&mut c, &format!("/api/v1/consultations/{}", s.closed_consultation)));
    assert_eq!(closed["phase"], "closed");
    assert_eq!(closed["results"]["answers"], 7);
    assert_eq!(closed["results"]["questions"][0]["counts"][1]["count"], 7);
    assert_eq!(closed["results"]["paper"], Value::Null, "no paper answers: fewer than five");
    assert_eq!(closed["outcome"]["decided"], "Le marché aura lieu le samedi.");
    // Filters by phase.
    let open_only = json(&get(&mut c, "/api/v1/consultations?status=open"));
    assert_eq!(open_only["data"].as_array().unwrap().len(), 1);

    // Reports: a hidden name stays hidden, a shown one is shown; an
    // unconfirmed visitor's report is not there.
    let reports = json(&get(&mut c, "/api/v1/reports"));
    let data = reports["data"].as_array().unwrap();
    assert_eq!(data.len(), 2, "{reports:#}");
    assert_eq!(data[0]["author"], Value::Null);
    assert_eq!(data[1]["author"], SHOWN_NAME);
    let one = json(&get(&mut c, &format!("/api/v1/reports/{}", data[0]["id"])));
    assert!(one["updates"].is_array(), "{one:#}");

    // Drafts of meetings and news are not found.
    assert_eq!(get(&mut c, &format!("/api/v1/meetings/{}", s.draft_meeting)).status, 404);
    assert_eq!(get(&mut c, &format!("/api/v1/news/{}", s.draft_news)).status, 404);
    assert_eq!(json(&get(&mut c, "/api/v1/meetings"))["data"].as_array().unwrap().len(), 1);
    assert_eq!(json(&get(&mut c, "/api/v1/news"))["data"].as_array().unwrap().len(), 1);
}

#[test]
fn a_cursor_keeps_working_when_new_records_arrive_between_pages() {
    let server = TestServer::start();
    let s = seed(&server);
    let (box_id, author) = (s.box_id, s.author);
    let post = move |server: &TestServer, title: &str| {
        let title = title.to_string();
        server.write(move |tx| {
            proposals::post(tx, &new_proposal(box_id, author, &title, false), now_unix())
                .map(ProposalId::get)
                .map_err(e)
        })
    };
    let second = post(&server, "Un potager partagé");
    let mut c = Client::new();
    let first_page = json(&c.get(&server.at("/api/v1/proposals?limit=1")));
    assert_eq!(first_page["data"][0]["id"], s.public);
    let cursor = first_page["next_cursor"].as_str().unwrap().to_string();
    // Two proposals arrive between the pages.
    let third = post(&server, "Une boîte à livres");
    let fourth = post(&server, "Des arceaux à vélos");
    let mut seen = vec![s.public];
    let mut url = server.at(&format!("/api/v1/proposals?limit=1&cursor={cursor}"));
    loop {
        let page = json(&c.get(&url));
        seen.extend(page["data"].as_array().unwrap().iter().map(|p| p["id"].as_u64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => url = server.at(&format!("/api/v1/proposals?limit=1&cursor={next}")),
            None => break,
        }
    }
    assert_eq!(seen, vec![s.public, second, third, fourth], "each once, in order, the new ones last");

    // A cursor of another list, or made up, is refused with the error shape.
    let r = c.get(&server.at(&format!("/api/v1/reports?cursor={cursor}")));
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["error"]["code"], "bad-parameter");
    assert_eq!(c.get(&server.at("/api/v1/proposals?cursor=nonsense")).status, 400);
    assert_eq!(c.get(&server.at("/api/v1/proposals?limit=1000")).status, 400);
    // Filters combine with paging.
    let by_box = json(&c.get(&server.at(&format!("/api/v1/proposals?box={box_id}&status=submitted&limit=100"))));
    assert_eq!(by_box["data"].as_array().unwrap().len(), 4);
    let none = json(&c.get(&server.at("/api/v1/proposals?status=done")));
    assert_eq!(none["data"], serde_json::json!([]));
    let later = json(&c.get(&server.at("/api/v1/proposals?updated_since=2999-01-01")));
    assert_eq!(later["data"], serde_json::json!([]));
}

#[test]
fn etag_and_last_modified_answer_304_until_something_changes() {
    let server = TestServer::start();
    let s = seed(&server);
    let mut c = Client::new();
    let url = server.at("/api/v1/proposals");
    let first = c.get(&url);
    let etag = first.header("etag").unwrap().to_string();
    assert!(first.header("last-modified").is_none(), "lists have no date: a hidden record moves none");

    c.extra_headers = vec![("If-None-Match".into(), etag.clone())];
    let again = c.get(&url);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_eq!(again.header("access-control-allow-origin"), Some("*"));

    // A new proposal changes the list, so its tag.
    let (box_id, author) = (s.box_id, s.author);
    server.write(move |tx| {
        proposals::post(tx, &new_proposal(box_id, author, "Un potager", false), now_unix()).map_err(e)
    });
    let changed = c.get(&url);
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));

    // One record: Last-Modified and If-Modified-Since.
    c.extra_headers.clear();
    let one_url = server.at(&format!("/api/v1/proposals/{}", s.public));
    let one = c.get(&one_url);
    let date = one.header("last-modified").unwrap().to_string();
    assert!(date.ends_with(" GMT"), "{date}");
    c.extra_headers = vec![("If-Modified-Since".into(), date.clone())];
    assert_eq!(c.get(&one_url).status, 304);
    c.extra_headers = vec![("If-Modified-Since".into(), "Sat, 01 Jan 2000 00:00:00 GMT".into())];
    assert_eq!(c.get(&one_url).status, 200);
    // If-None-Match wins over If-Modified-Since.
    c.extra_headers = vec![("If-Modified-Since".into(), date), ("If-None-Match".into(), "\"another\"".into())];
    assert_eq!(c.get(&one_url).status, 200);
}

#[test]
fn the_cors_preflight_is_answered_and_the_api_has_its_own_quota() {
    let server = TestServer::start();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let r = agent
        .options(&server.at("/api/v1/proposals"))
        .header("Origin", "https://ailleurs.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "if-none-match")
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let h = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(h("access-control-allow-origin"), "*");
    assert!(h("access-control-allow-headers").contains("If-None-Match"));

    // The burst, then 429 with Retry-After and the error shape.
    let mut c = Client::new();
    let url = server.at("/api/v1/news");
    let mut refused = None;
    for n in 0..400 {
        let r = c.get(&url);
        if r.status == 429 {
            refused = Some((n, r));
            break;
        }
    }
    let (n, r) = refused.expect("the quota ends");
    assert!((300..=340).contains(&n), "{n}");
    assert!(r.header("retry-after").is_some());
    assert_eq!(json(&r)["error"]["code"], "too-many-requests");
}
