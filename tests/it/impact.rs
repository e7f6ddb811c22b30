//! Impact (issue 15): the dashboard's times to acceptance and to
//! completion of proposals, worked out by hand, and the public page « Ce
//! qui a changé grâce à vous » (`/ce-qui-a-change`), which lists the
//! decisions that followed contributions and nothing that is not public.
//!
//! The proposals, all filed on 2025-03-10:
//! - P1 accepted by an answer on 2025-03-13, a step at 50 % on 2025-03-20,
//!   at 100 % on 2025-04-09: accepted after 3 days, done after 30;
//! - P2 answered « done » on 2025-03-12: accepted and done after 2 days;
//! - P3 accepted on 2025-03-20: accepted after 10 days, not done;
//! - P4 rejected on 2025-03-11: neither.
//!
//! So accepted 3 (delays 2, 3, 10: median 3 days), done 2 (delays 2 and
//! 30: the lower middle, 2 days).

// Amounts are written euros_cents (60_000_00 is 60 000 €), as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use std::collections::BTreeMap;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience as BudgetAudience, Pot, ProjectDetails, Rule, Study, Style};
use parvis::domain::changes::{ContentKind, Target};
use parvis::domain::consultations::{self, Audience, Dates, Details, Raw, Respondent};
use parvis::domain::ids::{BoxId, ProposalId};
use parvis::domain::metrics;
use parvis::domain::notifications::Notifier;
use parvis::domain::proposals::{self, Acting, IdeaBox, Milestone, NewProposal, Status};
use parvis::domain::reports::{self, NewReport};
use parvis::domain::{moderation, now_unix};
use parvis::store::StoreError;

use crate::admin::make_person;
use crate::support::{Client, TestServer};

const DAY: i64 = 86_400;

fn e(x: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(x.to_string())
}

/// Noon UTC of a date: the same day in Paris, summer or winter.
fn at(date: &str) -> i64 {
    let d: jiff::civil::Date = date.parse().unwrap();
    d.at(12, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp().as_second()
}

fn new_box(tx: &parvis::store::WriteTx, agent: AccountId) -> Result<BoxId, StoreError> {
    let idea_box = IdeaBox {
        title: "Le bourg".into(),
        opens_at: at("2024-01-01"),
        closes_at: at("2030-01-01"),
        created_by: agent,
        created_at: at("2024-01-01"),
        ..IdeaBox::default()
    };
    proposals::create_box(tx, idea_box).map_err(e)
}

fn post(
    tx: &parvis::store::WriteTx,
    box_id: BoxId,
    author: AccountId,
    title: &str,
    day: &str,
) -> Result<ProposalId, StoreError> {
    let new = NewProposal { box_id, author, title: title.into(), body: "Texte.".into(), ..NewProposal::default() };
    proposals::post(tx, &new, at(day)).map_err(e)
}

fn notifier(server: &TestServer) -> Notifier {
    Notifier { base_url: server.state().config.server.public_url.as_str().to_string() }
}

/// P1–P4 of the header.
fn four_proposals(server: &TestServer, agent: AccountId, author: AccountId) {
    let notifier = notifier(server);
    server.write(move |tx| {
        let box_id = new_box(tx, agent)?;
        let acting = Acting::new(agent, "127.0.0.1");
        let answer = |id, status, text: &str, day: &str| {
            proposals::answer(tx, &notifier, id, status, text, &acting, at(day)).map(|_| ()).map_err(e)
        };
        let step = |id, progress, day: &str| {
            let m = Milestone { at: at(day), title: "Travaux".into(), text: String::new(), progress };
            proposals::add_milestone(tx, &notifier, id, m, &acting, at(day)).map(|_| ()).map_err(e)
        };
        let p1 = post(tx, box_id, author, "Un banc place du marché", "2025-03-10")?;
        let p2 = post(tx, box_id, author, "Un passage piéton rue Haute", "2025-03-10")?;
        let p3 = post(tx, box_id, author, "Des arbres cour de l'école", "2025-03-10")?;
        let p4 = post(tx, box_id, author, "Un parking sur la place", "2025-03-10")?;
        answer(p1, Status::Accepted, "Le banc sera posé au printemps.", "2025-03-13")?;
        step(p1, 50, "2025-03-20")?;
        step(p1, 100, "2025-04-09")?;
        answer(p2, Status::Done, "Le passage est peint.", "2025-03-12")?;
        answer(p3, Status::Accepted, "Nous planterons cet hiver.", "2025-03-20")?;
        answer(p4, Status::Rejected, "La place reste piétonne.", "2025-03-11")?;
        Ok(())
    });
}

#[test]
fn the_times_to_acceptance_and_to_completion_are_the_medians_worked_out_by_hand() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "alice@testville.test", "Alice", Role::Resident, false);
    four_proposals(&server, AccountId(agent.id), AccountId(author.id));
    let config = server.state().config.clone();
    server.write(move |tx| metrics::roll_up(tx, &config, None, now_unix()));
    let period = metrics::Period::between("2025-01-01".parse().unwrap(), "2025-12-31".parse().unwrap());
    let d = metrics::dashboard(&server.state().store.read().unwrap(), period).unwrap();
    let i = &d.current.impact;
    assert_eq!((i.proposals, i.proposals_answered, i.proposals_accepted, i.proposals_done), (4, 4, 3, 2));
    assert_eq!(i.accepted_delay, metrics::Delay { count: 3, median_days: Some(3) });
    assert_eq!(i.done_delay, metrics::Delay { count: 2, median_days: Some(2) });

    // The staff dashboard shows them, with their labels.
    let mut staff = Client::new();
    crate::admin::sign_in(&mut staff, &server, &agent);
    let page = staff.get(&server.at("/admin/tableau-de-bord?du=2025-01-01&au=2025-12-31"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Délai médian jusqu'à l'acceptation"), "{}", page.body);
    assert!(page.body.contains("Délai médian jusqu'à la réalisation"));
}

/// A consultation answered by `voter`, closed now.
fn closed_consultation(
    tx: &parvis::store::WriteTx,
    actor: &Actor,
    title: &str,
    voter: AccountId,
    now: i64,
) -> Result<consultations::ConsultationId, StoreError> {
    let details = Details {
        title: title.into(),
        summary: "Où et quand ?".into(),
        body: String::new(),
        neighbourhood: None,
        audience: Audience::SignedIn,
    };
    let id = consultations::create(tx, &[], actor, &details, now - 2 * DAY).map_err(e)?;
    consultations::add_question(tx, actor, id, &crate::api::question(), now - 2 * DAY).map_err(e)?;
    consultations::publish(tx, actor, id, Dates { opens_at: now - DAY, closes_at: now + DAY }, now - 2 * DAY)
        .map_err(e)?;
    let qid = consultations::get(tx, id)?.map(|c| c.questions[0].id).unwrap_or(1);
    let fields = BTreeMap::from([(qid, Raw { values: vec!["1".into()], other: String::new() })]);
    consultations::submit(tx, id, Respondent::Account(voter), &fields, now - 60).map_err(e)?;
    consultations::close(tx, actor, id, now).map_err(e)?;
    Ok(id)
}

/// A budget in its vote with one studied project, `title`, which `voter`
/// chooses; counts shown during the vote, so that only the close decides.
fn budget(
    tx: &parvis::store::WriteTx,
    actor: &Actor,
    (name, title): (&str, &str),
    voter: AccountId,
    now: i64,
) -> Result<budgets::ProcessId, StoreError> {
    let settings = budgets::Settings {
        title: name.into(),
        description: String::new(),
        starts: [now - 30 * DAY, now - 20 * DAY, now - 10 * DAY, now + 10 * DAY, now + 20 * DAY],
        pots: vec![Pot { neighbourhood: None, amount_cents: 100_000_00 }],
        audience: BudgetAudience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: false,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: false,
        results_during_vote: true,
    };
    let before = now - 25 * DAY;
    let id = budgets::create(tx, &[], actor, &settings, before).map_err(e)?;
    let d = ProjectDetails {
        title: title.into(),
        description: String::new(),
        proposed_cost_cents: 60_000_00,
        pot: 0,
        neighbourhood: None,
        category: "Cadre de vie".into(),
        coords: None,
    };
    let n = budgets::add_project(tx, &[], actor, id, &d, before).map_err(e)?;
    budgets::set_study(tx, actor, id, n, Study::Feasible { cost_cents: 60_000_00 }, before).map_err(e)?;
    budgets::publish(tx, actor, id, before).map_err(e)?;
    budgets::vote(tx, id, voter, &[n], now).map_err(e)?;
    Ok(id)
}

#[test]
fn what_changed_lists_the_public_decisions_newest_first_and_nothing_else() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let alice = make_person(&server, "alice@testville.test", "Alice", Role::Resident, false);
    let (agent_id, alice_id) = (AccountId(agent.id), AccountId(alice.id));
    four_proposals(&server, agent_id, alice_id);
    let (notifier, config) = (notifier(&server), server.state().config.clone());
    let now = now_unix();
    server.write(move |tx| {
        let actor = Actor::person(agent_id, "127.0.0.1");
        let acting = Acting::new(agent_id, "127.0.0.1");
        // Accepted, then hidden by the moderators: not public.
        let box_id = new_box(tx, agent_id)?;
        let hidden = post(tx, box_id, alice_id, "Une idée masquée", "2025-03-10")?;
        proposals::answer(tx, &notifier, hidden, Status::Accepted, "Oui.", &acting, at("2025-03-11")).map_err(e)?;
        let target = Target::new(ContentKind::Proposal, hidden.get());
        moderation::hide(tx, &actor, target, moderation::Reason::Spam, "", "/propositions", at("2025-03-12"))
            .map_err(e)?;
        // More accepted proposals, older, to fill a second page.
        for i in 0..18 {
            let p = post(tx, box_id, alice_id, &format!("Idée ancienne numéro {i:02}"), "2024-02-01")?;
            proposals::answer(tx, &notifier, p, Status::Accepted, "Retenue.", &acting, at("2024-02-10")).map_err(e)?;
        }

        let file = |description: &str| {
            let new = NewReport {
                author: reports::Filer::Account(alice_id),
                category: "voirie".into(),
                lat: 45.7772,
                lon: 4.6121,
                address: None,
                neighbourhood: None,
                description: description.into(),
                photos: Vec::new(),
                show_name: false,
                answers: Vec::new(),
            };
            reports::file(tx, &config, &notifier, &Actor::person(alice_id, "127.0.0.1"), &new, at("2025-05-01"))
                .map(|f| f.id)
                .map_err(e)
        };
        let fix = |id| {
            reports::change_status(tx, &config, &notifier, &actor, id, "fixed", "", None, at("2025-05-03"))
                .map(|_| ())
                .map_err(e)
        };
        let fixed = file("Nid-de-poule devant la poste")?;
        fix(fixed)?;
        file("Trottoir cassé rue Basse")?;
        let hidden_report = file("Signalement masqué par la mairie")?;
        fix(hidden_report)?;
        reports::hide(tx, &actor, hidden_report, true, at("2025-05-04")).map_err(e)?;

        let asked = closed_consultation(tx, &actor, "Le marché du samedi", alice_id, now)?;
        consultations::publish_outcome(tx, &actor, asked, "Plutôt le samedi.", "Le marché aura lieu le samedi.", now)
            .map_err(e)?;
        closed_consultation(tx, &actor, "La fête du village", alice_id, now)?;

        let won = budget(tx, &actor, ("Budget participatif 2026", "Aire de jeux du parc"), alice_id, now)?;
        budgets::close_vote(tx, &actor, won, now).map_err(e)?;
        budget(tx, &actor, ("Budget participatif 2027", "Fontaine encore en vote"), alice_id, now)?;
        Ok(())
    });

    let mut v = Client::new();
    let first = v.get(&server.at("/ce-qui-a-change"));
    assert_eq!(first.status, 200, "{}", first.body);
    let second = v.get(&server.at("/ce-qui-a-change?page=2"));
    assert_eq!(second.status, 200);
    // 3 proposals + 18 older ones, 1 report, 1 consultation, 1 project:
    // 24 decisions, 20 a page.
    assert!(first.body.contains("Page 1 sur 2") && first.body.contains("rel=\"next\""), "{}", first.body);
    assert!(second.body.contains("Page 2 sur 2") && second.body.contains("rel=\"prev\""));
    let both = format!("{}{}", first.body, second.body);
    for shown in [
        "Un banc place du marché",
        "Le banc sera posé au printemps.",
        "Un passage piéton rue Haute",
        "Des arbres cour de l'école",
        "Nid-de-poule devant la poste",
        "Le marché du samedi",
        "Où et quand ?",
        "Plutôt le samedi.",
        "Le marché aura lieu le samedi.",
        "Aire de jeux du parc",
        "Projet lauréat de « Budget participatif 2026 »",
        "Idée ancienne numéro 00",
        "Idée ancienne numéro 17",
    ] {
        assert_eq!(both.matches(shown).count(), 1, "{shown} once");
    }
    for left_out in [
        "Un parking sur la place",
        "Une idée masquée",
        "Trottoir cassé rue Basse",
        "Signalement masqué par la mairie",
        "La fête du village",
        "Fontaine encore en vote",
        "Budget participatif 2027",
    ] {
        assert!(!both.contains(left_out), "{left_out} is not listed");
    }
    // Newest first: the budget and the consultation (today) before the
    // report (May 2025), before P1 (done in April 2025); the older ideas
    // of 2024 on the second page.
    let pos = |s: &str| first.body.find(s).unwrap_or(usize::MAX);
    assert!(pos("Le marché du samedi") < pos("Nid-de-poule devant la poste"));
    assert!(pos("Aire de jeux du parc") < pos("Nid-de-poule devant la poste"));
    assert!(pos("Nid-de-poule devant la poste") < pos("Un banc place du marché"));
    assert!(pos("Un banc place du marché") < pos("Des arbres cour de l'école"), "P1 done 04-09, P3 accepted 03-20");
    assert!(second.body.contains("Idée ancienne numéro"));

    // Linked from the home page and from /chiffres.
    for path in ["/", "/chiffres"] {
        let page = v.get(&server.at(path));
        assert!(page.body.contains("href=\"/ce-qui-a-change\""), "{path}");
    }
}
