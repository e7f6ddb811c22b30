//! The open-data archive (`/donnees-ouvertes/parvis.zip`, issue 15), over
//! real HTTP against the API's seeded data: it holds no personal data (the
//! seeded emails, hidden names, IP, hidden and held content, drafts and the
//! ballots of a secret vote still open are searched for in every file),
//! holds the public things, follows the configured licence, describes
//! every CSV column in its schema, and is served with caching headers.

use std::collections::BTreeMap;
use std::io::Read;

use parvis::config::Value as Setting;
use parvis::domain::accounts::Role;
use parvis::domain::budgets::{self, ProcessId};
use serde_json::Value;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::api::{
    seed, HELD_TITLE, HIDDEN_EMAIL, HIDDEN_NAME, HIDDEN_TITLE, IP, SHOWN_EMAIL, SHOWN_NAME, STAFF_EMAIL, VISITOR_EMAIL,
    VOTER_EMAIL,
};
use crate::support::{Client, TestServer};

const URL: &str = "/donnees-ouvertes/parvis.zip";

/// The archive's answer: status, headers and raw bytes (the test client
/// reads bodies as text).
struct Download {
    status: u16,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

fn download(server: &TestServer, headers: &[(&str, &str)]) -> Download {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut req = agent.get(&server.at(URL));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut r = req.call().unwrap();
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (etag, last_modified, content_type) = (header("etag"), header("last-modified"), header("content-type"));
    let bytes = r.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    Download { status: r.status().as_u16(), etag, last_modified, content_type, bytes }
}

/// Every file of the archive, by name, as text.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
        files.insert(name, text);
    }
    files
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The ballot ids of a budget process, read through the domain.
fn ballot_ids(server: &TestServer, id: u64) -> Vec<String> {
    let tx = server.state().store.read().unwrap();
    budgets::ballots(&*tx, ProcessId(id)).unwrap().into_iter().map(|(b, _)| b.to_string()).collect()
}

#[test]
fn the_archive_holds_the_public_records_and_no_personal_data() {
    let server = TestServer::start();
    let seeded = seed(&server);
    let open_ballots = ballot_ids(&server, seeded.open_budget);
    let closed_ballots = ballot_ids(&server, seeded.closed_budget);
    assert_eq!((open_ballots.len(), closed_ballots.len()), (7, 7));

    // Staff make the archive now from the dashboard (the session, the
    // sign-in's rate limiter and the audit log all see the staff's IP).
    let staff = make_person(&server, "export@mairie-testville.test", "Agent Export", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let dashboard = c.get(&server.at("/admin/tableau-de-bord"));
    assert!(dashboard.body.contains("/admin/donnees-ouvertes"), "{}", dashboard.body);
    let r = post(&mut c, &server, "/admin/tableau-de-bord", "/admin/donnees-ouvertes", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    // A visitor may not.
    let refused = Client::new().post_form(&server.at("/admin/donnees-ouvertes"), &[]);
    assert!(refused.status >= 300, "{}", refused.status);
    assert!(!refused.header("location").unwrap_or("").contains("tableau-de-bord"));

    let d = download(&server, &[]);
    assert_eq!(d.status, 200);
    let files = unzip(&d.bytes);
    let everything: String = files.values().cloned().collect::<Vec<_>>().join("\n");

    for secret in [
        STAFF_EMAIL,
        SHOWN_EMAIL,
        HIDDEN_EMAIL,
        VISITOR_EMAIL,
        VOTER_EMAIL,
        "export@mairie-testville.test",
        "@courriel.test",
        IP,
        HIDDEN_NAME,
        // A visitor's report never confirmed, and staff's own names.
        "Camille Visiteuse",
        "Report d'une visiteuse",
        "Agent Voirie",
        "Agent Export",
        "Votant 0",
        HELD_TITLE,
        HIDDEN_TITLE,
        "Brouillon de réunion",
        "Brouillon d'actualité",
    ] {
        let at = everything.find(secret);
        assert!(at.is_none(), "« {secret} » is in the archive: …{}…", &everything[at.unwrap_or(0)..][..80]);
    }
    for ballot in &open_ballots {
        assert!(!everything.contains(ballot.as_str()), "a ballot of the open secret vote is in the archive");
    }

    // The public things are there.
    for public in [
        "Des bancs sur la place",
        SHOWN_NAME,
        "Lampadaire éteint rue des Lilas",
        "Nid de poule devant l'école.",
        "Le marché aura lieu le samedi.",
        "Réunion publique sur le marché",
        "Le marché change de jour",
        "Budget participatif 2027",
        "Le centre-bourg",
    ] {
        assert!(everything.contains(public), "« {public} » is missing");
    }
    let ballots_csv = &files["budgets-bulletins.csv"];
    for ballot in &closed_ballots {
        assert!(ballots_csv.contains(ballot.as_str()), "a ballot of the closed vote is missing");
    }

    // Results follow the phase: the open consultation and the open vote have none.
    let consultations = json(&files["consultations.json"]);
    let by_id = |list: &Value, id: u64| list.as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap();
    assert!(by_id(&consultations, seeded.open_consultation)["results"].is_null());
    assert_eq!(by_id(&consultations, seeded.closed_consultation)["results"]["answers"], 7);
    let budgets_json = json(&files["budgets.json"]);
    let open = by_id(&budgets_json, seeded.open_budget);
    assert!(open.get("results").is_none() && open.get("ballots").is_none(), "{open:#}");
    let closed = by_id(&budgets_json, seeded.closed_budget);
    assert_eq!(closed["results"]["ballots"], 7);
    assert_eq!(closed["ballots"].as_array().map(Vec::len), Some(7));

    // The licence by default: Licence Ouverte 2.0.
    assert!(files["LICENCE"].starts_with("Licence Ouverte / Open Licence version 2.0"), "{}", files["LICENCE"]);
    assert!(files["LICENCE"].contains("Testville"));
    assert_eq!(json(&files["datapackage.json"])["licenses"][0]["name"], "etalab-2.0");
    let readme = &files["README.md"];
    assert!(readme.contains("Licence Ouverte") && readme.contains("Généré le"), "{readme}");

    // Every CSV's header is exactly its schema's fields, each typed and
    // described; every row has a cell per column; the package lists it.
    let package = json(&files["datapackage.json"]);
    let listed: Vec<&str> =
        package["resources"].as_array().unwrap().iter().filter_map(|r| r["path"].as_str()).collect();
    let csvs: Vec<&String> = files.keys().filter(|n| n.ends_with(".csv")).collect();
    assert_eq!(csvs.len(), 11, "{csvs:?}");
    for name in csvs {
        let table = name.trim_end_matches(".csv");
        let schema = json(&files[&format!("schemas/{table}.schema.json")]);
        let fields = schema["fields"].as_array().unwrap();
        let mut reader = csv::Reader::from_reader(files[name].as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        let described: Vec<String> = fields.iter().map(|f| f["name"].as_str().unwrap().to_string()).collect();
        assert_eq!(header, described, "{name}");
        for f in fields {
            assert!(f["description"].as_str().is_some_and(|d| d.len() > 5), "{name}: {f}");
            let kind = f["type"].as_str().unwrap();
            assert!(["integer", "number", "string", "boolean", "datetime", "date"].contains(&kind), "{kind}");
        }
        for row in reader.records() {
            assert_eq!(row.unwrap().len(), header.len(), "{name}");
        }
        assert!(listed.contains(&name.as_str()), "{name} is not in datapackage.json");
    }
    assert!(files["propositions.csv"].lines().count() >= 2, "the public proposal is a row");
}

#[test]
fn the_licence_follows_the_configuration() {
    let server = TestServer::start_with(&[("open_data.licence", Setting::Text("odbl".into()))]);
    let d = download(&server, &[]);
    assert_eq!(d.status, 200, "made at once when there is none yet");
    let files = unzip(&d.bytes);
    assert!(files["LICENCE"].starts_with("Open Database License (ODbL)"), "{}", files["LICENCE"]);
    assert!(!files["LICENCE"].contains("Licence Ouverte"));
    assert_eq!(json(&files["datapackage.json"])["licenses"][0]["name"], "ODbL-1.0");
    assert_eq!(json(&files["schemas/propositions.schema.json"])["licenses"][0]["name"], "ODbL-1.0");
    assert!(files["README.md"].contains("odc-odbl"));
}

#[test]
fn the_archive_is_served_with_its_tag_and_date_and_linked_from_the_api_and_the_figures() {
    let server = TestServer::start();
    let d = download(&server, &[]);
    assert_eq!(d.status, 200);
    assert_eq!(d.content_type.as_deref(), Some("application/zip"));
    let etag = d.etag.expect("an ETag");
    let date = d.last_modified.expect("a Last-Modified");
    assert!(date.ends_with(" GMT"), "{date}");

    let again = download(&server, &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    let since = download(&server, &[("if-modified-since", &date)]);
    assert_eq!(since.status, 304);
    let other = download(&server, &[("if-none-match", "\"autre\"")]);
    assert_eq!(other.status, 200);
    assert_eq!(other.bytes, d.bytes, "the same file until it is made again");

    let mut c = Client::new();
    for page in ["/api", "/chiffres"] {
        let r = c.get(&server.at(page));
        assert_eq!(r.status, 200, "{page}");
        assert!(r.body.contains(URL), "{page} does not link the archive");
    }
}

#[test]
fn the_command_line_writes_the_archive_to_a_file_under_the_configured_licence() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = crate::cli::run(
        crate::cli::parvis(dir.path())
            .args(["init", "--data-dir"])
            .arg(&data)
            .args(["--commune", "Saint-Exemple", "--url", "https://participer.saint-exemple.test"])
            .args(["--admin-email", "maire@saint-exemple.test", "--config-out", "parvis.toml"]),
    );
    assert_eq!(code, 0, "{out}{err}");
    let zip_path = dir.path().join("publie/donnees.zip");
    let (code, out, err) = crate::cli::run(
        crate::cli::parvis(dir.path())
            .env("PARVIS_OPEN_DATA_LICENCE", "odbl")
            .args(["--config", "parvis.toml", "export-open-data", "--out"])
            .arg(&zip_path),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ODbL-1.0"), "{out}");
    let files = unzip(&std::fs::read(&zip_path).unwrap());
    assert!(files["LICENCE"].contains("commune de Saint-Exemple"), "{}", files["LICENCE"]);
    assert!(files["LICENCE"].starts_with("Open Database License"));
    let everything: String = files.values().cloned().collect::<Vec<_>>().join("\n");
    assert!(!everything.contains("maire@saint-exemple.test"), "the first admin's email");
}

/// The archive made before a moderator hid a proposal, or staff hid a
/// report, is not served again: the next download makes it anew, without
/// them (issue 15: « never hidden content »).
#[test]
fn what_is_hidden_after_the_archive_was_made_is_not_in_the_next_download() {
    use parvis::domain::audit::Actor;
    use parvis::domain::changes::{ContentKind, Target};
    use parvis::domain::ids::{AccountId, ReportId};
    use parvis::domain::{moderation, now_unix, reports};
    use parvis::store::StoreError;

    let server = TestServer::start();
    let seeded = seed(&server);
    let first = unzip(&download(&server, &[]).bytes).values().cloned().collect::<Vec<_>>().join("\n");
    assert!(first.contains("Des bancs sur la place") && first.contains("Lampadaire éteint rue des Lilas"));
    let report = server.state().store.read().unwrap();
    let report = reports::get(&report, ReportId(2)).unwrap().unwrap();
    assert!(report.description.contains("Lampadaire"), "{}", report.description);
    // Nothing hidden since: the same archive is served (its tag says so).
    let again = download(&server, &[]);
    assert_eq!(unzip(&again.bytes).values().cloned().collect::<Vec<_>>().join("\n"), first);

    let moderator = make_person(&server, "moderatrice@testville.test", "Modératrice", Role::Moderator, true);
    let staff = make_person(&server, "voirie@testville.test", "Agent", Role::Staff, true);
    let public = seeded.public;
    server.write(move |tx| {
        let err = |e: moderation::ModerationError| StoreError::Internal(e.to_string());
        let target = Target::new(ContentKind::Proposal, public);
        let by = Actor::person(AccountId(moderator.id), "127.0.0.1");
        moderation::hide(tx, &by, target, moderation::Reason::Spam, "Hors sujet.", "/", now_unix()).map_err(err)?;
        Ok(())
    });
    let d = download(&server, &[]);
    assert_eq!(d.status, 200);
    let after = unzip(&d.bytes).values().cloned().collect::<Vec<_>>().join("\n");
    assert!(!after.contains("Des bancs sur la place"), "the hidden proposal is still in the archive");
    assert!(after.contains("Lampadaire éteint rue des Lilas"), "the rest is still there");

    server.write(move |tx| {
        let by = Actor::person(AccountId(staff.id), "127.0.0.1");
        reports::hide(tx, &by, ReportId(2), true, now_unix()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let last = unzip(&download(&server, &[]).bytes).values().cloned().collect::<Vec<_>>().join("\n");
    assert!(!last.contains("Lampadaire éteint rue des Lilas"), "the hidden report is still in the archive");
    assert!(last.contains("Réunion publique sur le marché"));
}

/// The full open-data export with years of activity (issue 15: « the full
/// export of the same data in under 10 s », the dashboard benchmark's 3
/// years for 20,000 residents): residents, an idea box with a proposal per
/// 10 residents (20 supports each, 70 % answered), a problem report per 4
/// (60 % fixed), a quarterly survey for each of the 12 quarters answered by
/// a resident in 20 and closed, a meeting and a news item a month; then the
/// time to build the archive and write it to the data directory. What it
/// asserts could fail: every dataset is in the ZIP with the rows seeded.
/// Run by `benches/export.sh`; `RESIDENTS` sets the size (20,000 unless set).
#[tokio::test]
#[ignore = "a benchmark: .ci/run runs it small; benches/export.sh at full size in a release build"]
async fn export_benchmark() {
    use std::collections::BTreeMap as Map;
    use std::time::Instant;

    use parvis::domain::accounts::{self, AccountId, NewAccount};
    use parvis::domain::audit::Actor;
    use parvis::domain::consultations::{self, Dates, Raw, Respondent};
    use parvis::domain::ids::ReportId;
    use parvis::domain::notifications::Notifier;
    use parvis::domain::proposals::{self, Acting, IdeaBox, NewProposal, Status};
    use parvis::domain::{meetings, news, now_unix, opendata, reports, satisfaction};
    use parvis::store::{Store, StoreError};

    use crate::support::config_for;

    fn err(e: impl std::fmt::Display) -> StoreError {
        StoreError::Internal(e.to_string())
    }
    const DAY: i64 = 86_400;
    let residents: u64 = std::env::var("RESIDENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 64).unwrap();
    let config = config_for(dir.path(), "https://participer.testville.test", &[]);
    let now = now_unix();
    let start = now - 3 * 365 * DAY;
    // xorshift: the same activity every run, no dependency.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let made = Instant::now();
    let mut ids = Vec::new();
    let mut from = 0;
    while from < residents {
        let n = (residents - from).min(1000);
        let batch: Vec<AccountId> = store
            .write(move |tx| {
                (from..from + n)
                    .map(|i| {
                        let new = NewAccount {
                            email: format!("r{i}@testville.test"),
                            display_name: format!("Habitant {i}"),
                            role: Role::Resident,
                            password_hash: "x".into(),
                            must_change_password: false,
                            language: parvis::i18n::Lang::Fr,
                            neighbourhood: None,
                        };
                        accounts::create(tx, &new).map_err(err)
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .unwrap();
        ids.extend(batch);
        from += n;
    }
    let agent = store
        .write(|tx| {
            let new = NewAccount {
                email: "agent@mairie-testville.test".into(),
                display_name: "Agent".into(),
                role: Role::Staff,
                password_hash: "x".into(),
                must_change_password: false,
                language: parvis::i18n::Lang::Fr,
                neighbourhood: None,
            };
            accounts::create(tx, &new).map_err(err)
        })
        .await
        .unwrap();
    let box_id = store
        .write(move |tx| {
            let idea_box = IdeaBox {
                title: "Le bourg".into(),
                opens_at: start - DAY,
                closes_at: now + 365 * DAY,
                created_by: agent,
                created_at: start,
                ..IdeaBox::default()
            };
            proposals::create_box(tx, idea_box).map_err(err)
        })
        .await
        .unwrap();
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    let (proposal_count, report_count) = (residents / 10, residents / 4);
    for chunk in 0..proposal_count.div_ceil(100) {
        type Planned = (AccountId, i64, Vec<(AccountId, i64)>, Option<i64>);
        let plan: Vec<Planned> = (0..100.min(proposal_count - chunk * 100))
            .map(|_| {
                let at = start + next(3 * 365 * DAY as u64) as i64;
                let supports = (0..20)
                    .map(|_| (ids[next(ids.len() as u64) as usize], at + next(30 * DAY as u64) as i64))
                    .collect();
                let answered = (next(10) < 7).then(|| at + next(60 * DAY as u64) as i64);
                (ids[next(ids.len() as u64) as usize], at, supports, answered)
            })
            .collect();
        let notifier = notifier.clone();
        store
            .write(move |tx| {
                for (author, at, supports, answered) in &plan {
                    let new = NewProposal {
                        box_id,
                        author: *author,
                        title: "Une idée".into(),
                        body: "Des bancs sur la place, à l'ombre.".into(),
                        ..NewProposal::default()
                    };
                    let id = proposals::post(tx, &new, *at).map_err(err)?;
                    for (who, when) in supports {
                        proposals::set_support(tx, &notifier, id, *who, Role::Resident, true, *when).map_err(err)?;
                    }
                    if let Some(when) = answered {
                        let acting = Acting::new(agent, "127.0.0.1");
                        proposals::answer(tx, &notifier, id, Status::Accepted, "Oui.", &acting, *when).map_err(err)?;
                    }
                }
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
    }
    for chunk in 0..report_count.div_ceil(200) {
        let plan: Vec<(AccountId, i64, Option<i64>)> = (0..200.min(report_count - chunk * 200))
            .map(|_| {
                let at = start + next(3 * 365 * DAY as u64) as i64;
                (ids[next(ids.len() as u64) as usize], at, (next(10) < 6).then(|| at + next(30 * DAY as u64) as i64))
            })
            .collect();
        let (config, notifier) = (config.clone(), notifier.clone());
        store
            .write(move |tx| {
                for (who, at, fixed) in &plan {
                    let report = reports::ProblemReport {
                        id: ReportId(0),
                        category: ["voirie", "eclairage", "proprete"][(*at as usize) % 3].into(),
                        lat: 45_777_200,
                        lon: 4_612_100,
                        address: Some("3 rue des Lilas".into()),
                        neighbourhood: None,
                        description: "Un lampadaire éteint depuis une semaine.".into(),
                        photos: Vec::new(),
                        author: reports::Author::Account(*who),
                        confirmed: true,
                        show_name: false,
                        status: "new".into(),
                        created_at: *at,
                        updated_at: *at,
                        followers: 0,
                        supports: 0,
                    };
                    let id = reports::save_generated(tx, report, &[], &[])?;
                    if let Some(when) = fixed {
                        let staff = Actor::command_line();
                        reports::change_status(tx, &config, &notifier, &staff, id, "fixed", "", None, *when)
                            .map_err(err)?;
                    }
                }
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
    }
    // A survey per quarter of the three years, answered by one resident
    // in 20 (a score and a comment), then closed.
    let this_quarter = satisfaction::quarter_of(now);
    let quarters = 12u32;
    for quarter in this_quarter - quarters..this_quarter {
        let who: Vec<(AccountId, u8)> = ids.iter().step_by(20).map(|a| (*a, 1 + next(5) as u8)).collect();
        store
            .write(move |tx| {
                let actor = Actor::person(agent, "127.0.0.1");
                let id = satisfaction::create_survey(tx, &actor, quarter, now).map_err(err)?;
                consultations::publish(tx, &actor, id, Dates { opens_at: now - 60, closes_at: now + DAY }, now)
                    .map_err(err)?;
                let c = consultations::get(tx, id)?.ok_or_else(|| err("no survey"))?;
                let (score, comment) = (c.questions[0].id, c.questions[2].id);
                for (account, value) in &who {
                    let fields = Map::from([
                        (score, Raw { values: vec![value.to_string()], other: String::new() }),
                        (comment, Raw { values: vec!["Plus de bancs.".into()], other: String::new() }),
                    ]);
                    consultations::submit(tx, id, Respondent::Account(*account), &fields, now).map_err(err)?;
                }
                consultations::close(tx, &actor, id, now).map_err(err)?;
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
    }
    let months = 36u32;
    store
        .write(move |tx| {
            let actor = Actor::person(agent, "127.0.0.1");
            for i in 0..i64::from(months) {
                let details = meetings::Details {
                    title: format!("Réunion publique {i}"),
                    kind: meetings::Kind::PublicMeeting,
                    starts_at: now + (i + 1) * DAY,
                    ends_at: now + (i + 1) * DAY + 7200,
                    address: "Salle des fêtes".into(),
                    coords: None,
                    online_url: String::new(),
                    neighbourhood: None,
                    agenda: "1. Le marché".into(),
                    accessibility: meetings::Accessibility::default(),
                    organiser: "Mairie".into(),
                    registration: false,
                    seats: None,
                };
                let m = meetings::create(tx, &[], &actor, &details, now).map_err(err)?;
                meetings::publish(tx, &actor, m, now).map_err(err)?;
                let draft = news::Draft {
                    title: format!("Actualité {i}"),
                    summary: "Résumé.".into(),
                    body: "Le marché change de jour.".into(),
                    image: None,
                };
                let n = news::create(tx, &actor, &draft, now).map_err(err)?;
                news::publish(tx, &actor, n, now).map_err(err)?;
            }
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    println!(
        "export: {residents} residents, {proposal_count} proposals ({} supports), {report_count} reports, \
         {quarters} surveys, {months} meetings and news made in {:.1} s",
        proposal_count * 20,
        made.elapsed().as_secs_f64()
    );

    let building = Instant::now();
    let bytes = opendata::generate(&store, &config, now_unix()).unwrap();
    let took = building.elapsed().as_secs_f64();
    println!("export: the full archive ({} kB) built and written in {took:.2} s (target: under 10 s)", bytes / 1000);

    let files = unzip(&std::fs::read(opendata::path(&config.data_dir)).unwrap());
    let rows = |name: &str| {
        let text = files.get(name).unwrap_or_else(|| panic!("{name} is not in the archive"));
        csv::Reader::from_reader(text.as_bytes()).records().count() as u64
    };
    assert_eq!(rows("boites-a-idees.csv"), 1);
    assert_eq!(rows("propositions.csv"), proposal_count);
    assert_eq!(rows("signalements.csv"), report_count);
    assert_eq!(rows("consultations.csv"), u64::from(quarters));
    // Each survey's three questions have a row at least (the score one per value given).
    assert!(rows("consultations-resultats.csv") >= 3 * u64::from(quarters));
    assert_eq!(rows("rendez-vous.csv"), u64::from(months));
    assert_eq!(rows("actualites.csv"), u64::from(months));
    for none in ["budgets.csv", "budgets-enveloppes.csv", "budgets-projets.csv", "budgets-bulletins.csv"] {
        assert_eq!(rows(none), 0, "{none}");
    }
    assert_eq!(files.keys().filter(|n| n.ends_with(".csv")).count(), 11);
    let supports: u64 = csv::Reader::from_reader(files["propositions.csv"].as_bytes())
        .deserialize::<Map<String, String>>()
        .map(|r| r.unwrap().get("soutiens").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0))
        .sum();
    assert!(supports > 0, "the supports are counted in the proposals");
    store.close().await;
}
