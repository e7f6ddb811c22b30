//! Pilot groups and private processes (issue 16): an idea box, a
//! consultation, a budget and a meeting private to a group leave no trace
//! for a visitor nor for a signed-in resident who is not a member (pages
//! and sub-pages 404, lists, home, search, feeds, API, open data, public
//! figures, short links), are seen and used by members, and keep their
//! contributions when opened to everyone after their contributors were told.

// Amounts are written euros_cents, as a person reads them.
#![allow(clippy::inconsistent_digit_grouping)]

use std::collections::BTreeMap;
use std::time::Duration;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience as BudgetAudience, Pot, ProjectDetails, Rule, Study, Style};
use parvis::domain::consultations::{self, Audience, Dates, Details, Raw, Respondent};
use parvis::domain::groups;
use parvis::domain::ids::{BoxId, ProposalId};
use parvis::domain::meetings::{self, Accessibility};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::domain::{changes, now_unix, promotion};
use parvis::store::StoreError;

use crate::accounts::{post, Mailbox};
use crate::admin::{make_person, sign_in};
use crate::support::{Client, TestServer};

const DAY: i64 = 86_400;
/// Words of the private processes: none may reach an outsider.
const SECRETS: [&str; 6] = [
    "Boîte pilote des Vignes",
    "Idée confidentielle du pilote",
    "Consultation pilote confidentielle",
    "Budget pilote confidentiel",
    "Réunion pilote confidentielle",
    "Projet pilote confidentiel",
];

fn e(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

struct Seeded {
    public_proposal: u64,
    private_box: u64,
    proposal: u64,
    consultation: u64,
    budget: u64,
    meeting: u64,
}

/// A public box with a public proposal (what lists do show), and the four
/// private-to-be processes with content; `member` wrote the proposal and
/// answered the consultation.
fn seed(server: &TestServer, staff: u64, member: u64) -> Seeded {
    server.write(move |tx| {
        let now = now_unix();
        let actor = Actor::person(AccountId(staff), "192.0.2.1");
        let a_box = |title: &str| IdeaBox {
            title: title.into(),
            description: format!("{title} : vos idées."),
            opens_at: now - DAY,
            closes_at: now + 30 * DAY,
            created_by: AccountId(staff),
            created_at: now,
            ..IdeaBox::default()
        };
        let public_box = proposals::create_box(tx, a_box("La boîte de tous")).map_err(e)?;
        let idea = |b: BoxId, title: &str| NewProposal {
            box_id: b,
            author: AccountId(member),
            title: title.into(),
            body: format!("{title}, expliquée."),
            ..NewProposal::default()
        };
        let public_proposal = proposals::post(tx, &idea(public_box, "Une idée publique du centre"), now).map_err(e)?;
        let private_box = proposals::create_box(tx, a_box("Boîte pilote des Vignes")).map_err(e)?;
        let proposal = proposals::post(tx, &idea(private_box, "Idée confidentielle du pilote"), now).map_err(e)?;
        let details = Details {
            title: "Consultation pilote confidentielle".into(),
            summary: "Consultation pilote confidentielle, le résumé.".into(),
            body: String::new(),
            neighbourhood: None,
            audience: Audience::SignedIn,
        };
        let c = consultations::create(tx, &[], &actor, &details, now).map_err(e)?;
        consultations::add_question(tx, &actor, c, &crate::api::question(), now).map_err(e)?;
        consultations::publish(tx, &actor, c, Dates { opens_at: now - 60, closes_at: now + DAY }, now).map_err(e)?;
        let qid = consultations::get(tx, c)?.map(|c| c.questions[0].id).unwrap_or(1);
        let fields = BTreeMap::from([(qid, Raw { values: vec!["1".into()], other: String::new() })]);
        consultations::submit(tx, c, Respondent::Account(AccountId(member)), &fields, now).map_err(e)?;
        let settings = budgets::Settings {
            title: "Budget pilote confidentiel".into(),
            description: "Budget pilote confidentiel, les règles.".into(),
            starts: [now - 30 * DAY, now - 20 * DAY, now - 10 * DAY, now + 10 * DAY, now + 20 * DAY],
            pots: vec![Pot { neighbourhood: None, amount_cents: 10_000_00 }],
            audience: BudgetAudience::SignedIn,
            min_age: None,
            style: Style::Basket,
            changeable: false,
            rule: Rule::Greedy,
            min_votes: 0,
            secret: false,
            results_during_vote: false,
        };
        let before = now - 25 * DAY;
        let b = budgets::create(tx, &[], &actor, &settings, before).map_err(e)?;
        let d = ProjectDetails {
            title: "Projet pilote confidentiel".into(),
            description: String::new(),
            proposed_cost_cents: 5_000_00,
            pot: 0,
            neighbourhood: None,
            category: "Cadre de vie".into(),
            coords: None,
        };
        let n = budgets::add_project(tx, &[], &actor, b, &d, before).map_err(e)?;
        budgets::set_study(tx, &actor, b, n, Study::Feasible { cost_cents: 5_000_00 }, before).map_err(e)?;
        budgets::publish(tx, &actor, b, before).map_err(e)?;
        let m = meetings::create(
            tx,
            &[],
            &actor,
            &meetings::Details {
                title: "Réunion pilote confidentielle".into(),
                kind: meetings::Kind::PublicMeeting,
                starts_at: now + 7 * DAY,
                ends_at: now + 7 * DAY + 7200,
                address: "Salle des Vignes".into(),
                coords: None,
                online_url: String::new(),
                neighbourhood: None,
                agenda: "1. Le pilote".into(),
                accessibility: Accessibility::default(),
                organiser: "Mairie".into(),
                registration: false,
                seats: None,
            },
            now,
        )
        .map_err(e)?;
        meetings::publish(tx, &actor, m, now).map_err(e)?;
        promotion::set(tx, &actor, promotion::Target::IdeaBox(private_box), "vignes", now).map_err(e)?;
        Ok(Seeded {
            public_proposal: public_proposal.get(),
            private_box: private_box.get(),
            proposal: proposal.get(),
            consultation: c.get(),
            budget: b.get(),
            meeting: m.get(),
        })
    })
}

fn wait_searchable(server: &TestServer) {
    let seq = changes::last_seq(&server.state().store.read().unwrap()).unwrap();
    assert!(server.state().search.wait_for_blocking(seq, Duration::from_secs(20)), "change {seq} was not applied");
}

fn open_data(server: &TestServer) -> String {
    use std::io::Read;
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent.get(&server.at("/donnees-ouvertes/parvis.zip")).call().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        f.read_to_string(&mut all).unwrap();
    }
    all
}

/// Every page of the private processes answers 404, and no public list,
/// feed, search, API answer or figure holds a word of them.
fn sees_nothing(c: &mut Client, server: &TestServer, s: &Seeded, who: &str) {
    let pages = [
        format!("/idees/{}", s.private_box),
        format!("/idees/{}/carte", s.private_box),
        format!("/idees/{}/flux.atom", s.private_box),
        format!("/idees/{}/proposer", s.private_box),
        format!("/propositions/{}", s.proposal),
        format!("/discussions/proposal/{}", s.proposal),
        format!("/consultations/{}", s.consultation),
        format!("/consultations/{}/repondre", s.consultation),
        format!("/consultations/{}/resultats", s.consultation),
        format!("/budgets/{}", s.budget),
        format!("/budgets/{}/projets/1", s.budget),
        format!("/budgets/{}/voter", s.budget),
        format!("/rendez-vous/{}", s.meeting),
        format!("/rendez-vous/{}.ics", s.meeting),
        "/p/vignes".to_string(),
        format!("/api/v1/boxes/{}", s.private_box),
        format!("/api/v1/proposals/{}", s.proposal),
        format!("/api/v1/consultations/{}", s.consultation),
        format!("/api/v1/budgets/{}", s.budget),
        format!("/api/v1/meetings/{}", s.meeting),
        // Nor do their share images name them.
        format!("/partage/idea-box/{}.png", s.private_box),
        format!("/partage/consultation/{}.png", s.consultation),
        format!("/partage/budget/{}.png", s.budget),
        format!("/partage/meeting/{}.png", s.meeting),
    ];
    for page in &pages {
        let r = c.get(&server.at(page));
        assert_eq!(r.status, 404, "{who}: {page} answers {}", r.status);
        for secret in SECRETS {
            assert!(!r.body.contains(secret), "{who}: {page} says « {secret} »");
        }
    }
    let lists = [
        "/",
        "/idees",
        "/consultations",
        "/consultations/resultats",
        "/budgets",
        "/rendez-vous",
        "/ce-que-nous-avons-fait",
        "/ce-qui-a-change",
        "/chiffres",
        "/recherche?q=pilote",
        "/recherche?q=confidentielle",
        "/recherche?q=id%C3%A9e",
        "/consultations/flux.atom",
        "/rendez-vous/flux.atom",
        "/rendez-vous.ics",
        "/api/v1/boxes",
        "/api/v1/proposals",
        "/api/v1/consultations",
        "/api/v1/budgets",
        "/api/v1/meetings",
        "/widget",
    ];
    for list in lists {
        let r = c.get(&server.at(list));
        assert_eq!(r.status, 200, "{who}: {list}: {}", r.body);
        for secret in SECRETS {
            assert!(!r.body.contains(secret), "{who}: {list} says « {secret} »");
        }
    }
    // The lists are not empty for lack of data: the public box is there.
    assert!(c.get(&server.at("/idees")).body.contains("La boîte de tous"), "{who}");
    // (Search marks the words found: the result is known by its link.)
    let found = c.get(&server.at("/recherche?q=id%C3%A9e")).body;
    assert!(found.contains(&format!("/propositions/{}", s.public_proposal)), "{who}");
    assert!(!found.contains(&format!("/propositions/{}", s.proposal)), "{who}");
    assert!(c.get(&server.at("/api/v1/proposals")).body.contains("Une idée publique du centre"), "{who}");
}

#[test]
fn a_private_process_is_invisible_to_outsiders_usable_by_members_and_opens_keeping_its_contributions() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let staff = make_person(&server, "agent@mairie-testville.test", "Agnès Agent", Role::Staff, true);
    let member = make_person(&server, "membre@testville.test", "Marie Membre", Role::Resident, false);
    let outsider = make_person(&server, "voisin@testville.test", "Victor Voisin", Role::Resident, false);
    let s = seed(&server, staff.id, member.id);

    // Staff create the group and an invitation link, the member joins by it.
    let mut st = Client::new();
    sign_in(&mut st, &server, &staff);
    let r = post(&mut st, &server, "/admin/groupes", "/admin/groupes", &[("name", "")]);
    assert_eq!(r.status, 422, "a group needs a name");
    assert!(r.body.contains("error-summary"));
    let r = post(&mut st, &server, "/admin/groupes", "/admin/groupes", &[("name", "Conseil de quartier des Vignes")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let group_page = r.header("location").unwrap().to_string();
    let until = jiff::Timestamp::from_second(now_unix() + 10 * DAY).unwrap().strftime("%Y-%m-%d").to_string();
    let r = post(&mut st, &server, &group_page, &format!("{group_page}/liens"), &[("link_until", &until)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = st.get(&server.at(&group_page)).body;
    let start = page.find("/groupes/rejoindre/").expect("the link is listed");
    let link: String =
        page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '-').collect();
    let mut m = Client::new();
    sign_in(&mut m, &server, &member);
    let invite = m.get(&server.at(&link));
    assert_eq!(invite.status, 200, "{}", invite.body);
    assert!(invite.body.contains("Conseil de quartier des Vignes"));
    let r = post(&mut m, &server, &link, &link, &[]);
    assert_eq!(r.status, 303, "{}", r.body);

    // An open-data archive made while they are public holds them...
    assert!(open_data(&server).contains("Idée confidentielle du pilote"));

    // Staff make the four processes private to the group.
    for (kind, id) in
        [("idea-box", s.private_box), ("consultation", s.consultation), ("budget", s.budget), ("meeting", s.meeting)]
    {
        let r = post(
            &mut st,
            &server,
            &group_page,
            &format!("{group_page}/demarches"),
            &[("kind", kind), ("process", &id.to_string())],
        );
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
    }
    wait_searchable(&server);

    // A visitor and a signed-in resident who is not a member find nothing.
    sees_nothing(&mut Client::new(), &server, &s, "a visitor");
    let mut o = Client::new();
    sign_in(&mut o, &server, &outsider);
    sees_nothing(&mut o, &server, &s, "a non-member");
    // Nor may the outsider act on them, nor join with a made-up invitation.
    let r = o.post_form(&server.at(&format!("/propositions/{}/soutien", s.proposal)), &[("soutenir", "oui")]);
    assert!(r.status == 404 || r.status == 403, "{}", r.status);
    let r = o.get(&server.at("/groupes/rejoindre/0123456789abcdef0123456789abcdef"));
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Cette invitation n'existe pas") || r.body.contains("Cette invitation n&#39;existe pas"));
    // ... and the next download makes it again without them.
    let archive = open_data(&server);
    for secret in SECRETS {
        assert!(!archive.contains(secret), "the open-data archive says « {secret} »");
    }
    assert!(archive.contains("Une idée publique du centre"), "the archive holds the public records");
    {
        let tx = server.state().store.read().unwrap();
        let told = parvis::domain::notifications::recent(&tx, AccountId(outsider.id), 50).unwrap();
        assert!(told.is_empty(), "the non-member was told of nothing: {told:?}");
    }

    // A member sees them all and takes part: a proposal posted.
    for (page, title) in [
        (format!("/idees/{}", s.private_box), "Boîte pilote des Vignes"),
        (format!("/propositions/{}", s.proposal), "Idée confidentielle du pilote"),
        (format!("/consultations/{}", s.consultation), "Consultation pilote confidentielle"),
        (format!("/budgets/{}", s.budget), "Budget pilote confidentiel"),
        (format!("/rendez-vous/{}", s.meeting), "Réunion pilote confidentielle"),
        ("/idees".to_string(), "Boîte pilote des Vignes"),
        ("/consultations".to_string(), "Consultation pilote confidentielle"),
    ] {
        let r = m.get(&server.at(&page));
        assert_eq!(r.status, 200, "member: {page}");
        assert!(r.body.contains(title), "member: {page} shows « {title} »");
    }
    // The private box's page links no feed (feed readers have no session:
    // its feed answers 404) and offers no sharing; the member may add the
    // private meeting to their calendar.
    let page = m.get(&server.at(&format!("/idees/{}", s.private_box))).body;
    assert!(!page.contains(&format!("/idees/{}/flux.atom", s.private_box)), "no feed link on a private box");
    assert_eq!(m.get(&server.at(&format!("/idees/{}/flux.atom", s.private_box))).status, 404);
    let ics = m.get(&server.at(&format!("/rendez-vous/{}.ics", s.meeting)));
    assert_eq!(ics.status, 200, "the member downloads the meeting's event");
    assert!(ics.body.contains("Réunion pilote confidentielle"));
    let r = crate::proposals::propose(
        &mut m,
        &server,
        s.private_box,
        &[("title", "Une seconde idée du pilote"), ("body", "Des jeux pour les enfants sur la place des Vignes.")],
        None,
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let second = r.header("location").unwrap().to_string();
    assert_eq!(m.get(&server.at(&second)).status, 200);
    assert_eq!(o.get(&server.at(&second)).status, 404, "the new proposal is as private as its box");

    // Opening needs the announcement first; then the authors are told.
    let open_path = format!("{group_page}/demarches/idea-box/{}/ouvrir", s.private_box);
    let r = post(&mut st, &server, &group_page, &open_path, &[]);
    assert_eq!(r.status, 422, "no opening without the announcement");
    assert_eq!(Client::new().get(&server.at(&format!("/idees/{}", s.private_box))).status, 404);
    // Announced for tomorrow (the worker would open it then); staff open it sooner.
    let tomorrow = jiff::Timestamp::from_second(now_unix() + DAY).unwrap().strftime("%Y-%m-%d").to_string();
    let r = post(
        &mut st,
        &server,
        &group_page,
        &format!("{group_page}/annoncer"),
        &[("announce", &format!("idea-box:{}", s.private_box)), ("opens_on", &tomorrow)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let told = loop {
        let found = mail.sink.received().into_iter().find(|m| {
            m.to.iter().any(|t| t == "membre@testville.test")
                && m.header("Subject").unwrap_or_default().contains("Boîte pilote des Vignes")
        });
        if let Some(found) = found {
            break found;
        }
        assert!(std::time::Instant::now() < deadline, "the author was not told of the opening");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(told.body().contains(&format!("/idees/{}", s.private_box)), "{}", told.body());
    assert!(st.get(&server.at(&group_page)).body.contains("participants prévenus"), "the staff page says who was told");
    assert_eq!(mail.count_to("voisin@testville.test"), 0, "the non-member is told of nothing");
    let r = post(&mut st, &server, &group_page, &open_path, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    wait_searchable(&server);

    // Open to everyone, with its contributions.
    let proposal_link = format!("/propositions/{}", s.proposal);
    let mut v = Client::new();
    let page = v.get(&server.at(&format!("/idees/{}", s.private_box)));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Boîte pilote des Vignes"));
    for (path, title) in [
        (format!("/propositions/{}", s.proposal), "Idée confidentielle du pilote"),
        (second.clone(), "Une seconde idée du pilote"),
        ("/api/v1/proposals".to_string(), "Idée confidentielle du pilote"),
        ("/recherche?q=confidentielle".to_string(), proposal_link.as_str()),
        ("/idees".to_string(), "Boîte pilote des Vignes"),
    ] {
        let r = v.get(&server.at(&path));
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.contains(title), "{path} shows « {title} » once open");
    }
    // The other processes stay private.
    assert_eq!(v.get(&server.at(&format!("/consultations/{}", s.consultation))).status, 404);
    let tx = server.state().store.read().unwrap();
    assert_eq!(proposals::get(&*tx, ProposalId(s.proposal)).unwrap().unwrap().author, AccountId(member.id));
    assert!(groups::is_public(&*tx, groups::Process::IdeaBox(BoxId(s.private_box))).unwrap());
    // (Not the audit log's order: the seed backdates the budget's steps.)
    let problems: Vec<String> = parvis::store::schema::CHECKS
        .iter()
        .filter(|(name, _)| *name != "audit")
        .flat_map(|(name, check)| check(&tx).unwrap().into_iter().map(move |p| format!("{name}: {p}")))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn an_emailed_invitation_works_once_after_sign_in_and_a_revoked_link_says_so() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let staff = make_person(&server, "agent@mairie-testville.test", "Agnès Agent", Role::Staff, true);
    let alice = make_person(&server, "alice@testville.test", "Alice", Role::Resident, false);
    let bob = make_person(&server, "bob@testville.test", "Bob", Role::Resident, false);
    let mut st = Client::new();
    sign_in(&mut st, &server, &staff);
    let r = post(&mut st, &server, "/admin/groupes", "/admin/groupes", &[("name", "Conseil municipal des jeunes")]);
    let group_page = r.header("location").unwrap().to_string();
    let r = post(&mut st, &server, &group_page, &format!("{group_page}/invitations"), &[("email", "pas une adresse")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("pas une adresse"), "what was typed is kept");
    let r =
        post(&mut st, &server, &group_page, &format!("{group_page}/invitations"), &[("email", "alice@testville.test")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let message = mail.nth_to("alice@testville.test", 1);
    let link = crate::accounts::link_in(&message, "/groupes/rejoindre/");
    assert!(message.body().contains("30"), "the configured validity: {}", message.body());

    // Not signed in: to the sign-in page, which brings her back.
    let r = Client::new().get(&server.at(&link));
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/connexion"), "{:?}", r.header("location"));
    let mut a = Client::new();
    sign_in(&mut a, &server, &alice);
    assert_eq!(post(&mut a, &server, &link, &link, &[]).status, 303);
    let members = st.get(&server.at(&group_page)).body;
    assert!(members.contains("Alice") && members.contains("alice@testville.test"));
    // Used: Bob cannot join with it, and is told why.
    let mut b = Client::new();
    sign_in(&mut b, &server, &bob);
    let r = b.get(&server.at(&link));
    assert_eq!(r.status, 410);
    assert!(r.body.contains("déjà servi"), "{}", r.body);

    // A link, revoked, says so; staff remove Alice.
    let until = jiff::Timestamp::from_second(now_unix() + 5 * DAY).unwrap().strftime("%Y-%m-%d").to_string();
    post(&mut st, &server, &group_page, &format!("{group_page}/liens"), &[("link_until", &until)]);
    let page = st.get(&server.at(&group_page)).body;
    let at = page.rfind("/invitations/").unwrap();
    let key: String = page[at + "/invitations/".len()..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    let share_at = page.find("/groupes/rejoindre/").unwrap();
    let share: String = page[share_at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
    let r = post(&mut st, &server, &group_page, &format!("{group_page}/invitations/{key}/revoquer"), &[]);
    assert_eq!(r.status, 303);
    let r = b.get(&server.at(&share));
    assert_eq!(r.status, 410, "{share}");
    assert!(r.body.contains("révoquée"), "{}", r.body);
    let r = post(&mut st, &server, &group_page, &format!("{group_page}/membres/{}/retirer", alice.id), &[]);
    assert_eq!(r.status, 303);
    let tx = server.state().store.read().unwrap();
    let group = groups::all(&*tx).unwrap()[0].id;
    assert!(groups::members(&*tx, group).unwrap().is_empty(), "Alice is no longer a member");
}
