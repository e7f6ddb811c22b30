//! The quarterly satisfaction survey (issue 15): who is offered it (active
//! in the quarter, as the metrics roll-up counts it, or not), the banner put
//! away or gone once answered, one survey per quarter, and the scores
//! worked out by hand.
//!
//! Scores of this quarter's survey: 5, 4, 4, 3, 5, 1 → 22 / 6 = 3.67, one
//! 1, no 2, one 3, two 4, two 5. The previous quarter's survey has three
//! answers: fewer than five, no mean nor distribution shown.

use std::collections::BTreeMap;

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::audit::Actor;
use parvis::domain::consultations::{self, ConsultationId, Dates, Raw, Respondent};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::domain::satisfaction::{self, SatisfactionError};
use parvis::domain::{metrics, now_unix};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{make_person, sign_in, Person};
use crate::support::{Client, TestServer};

const DAY: i64 = 86_400;

fn e(x: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(x.to_string())
}

/// `who` posts a proposal at `when`: taking part then.
fn take_part(server: &TestServer, who: &[AccountId], when: i64) {
    let who = who.to_vec();
    server.write(move |tx| {
        let idea_box = IdeaBox {
            title: "Le bourg".into(),
            opens_at: when - DAY,
            closes_at: when + 400 * DAY,
            created_at: when - DAY,
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, idea_box).map_err(e)?;
        for (i, author) in who.iter().enumerate() {
            let new = NewProposal {
                box_id,
                author: *author,
                title: format!("Idée {i}"),
                body: "Texte.".into(),
                ..NewProposal::default()
            };
            proposals::post(tx, &new, when).map_err(e)?;
        }
        Ok(())
    });
}

fn roll_up(server: &TestServer) {
    let config = server.state().config.clone();
    server.write(move |tx| metrics::roll_up(tx, &config, None, now_unix()));
}

/// The survey of `quarter`, open from a minute ago for a week.
fn open_survey(server: &TestServer, staff: AccountId, quarter: u32) -> ConsultationId {
    let now = now_unix();
    server.write(move |tx| {
        let actor = Actor::person(staff, "127.0.0.1");
        let id = satisfaction::create_survey(tx, &actor, quarter, now).map_err(e)?;
        consultations::publish(tx, &actor, id, Dates { opens_at: now - 60, closes_at: now + 7 * DAY }, now)
            .map_err(e)?;
        Ok(id)
    })
}

fn answer(server: &TestServer, id: ConsultationId, who: AccountId, score: u8) {
    server.write(move |tx| {
        let c = consultations::get(tx, id)?.ok_or_else(|| e("no survey"))?;
        let fields =
            BTreeMap::from([(c.questions[0].id, Raw { values: vec![score.to_string()], other: String::new() })]);
        consultations::submit(tx, id, Respondent::Account(who), &fields, now_unix()).map(|_| ()).map_err(e)
    });
}

fn offer(server: &TestServer, who: AccountId) -> Option<satisfaction::Offer> {
    satisfaction::offer(&server.state().store.read().unwrap(), who, now_unix()).unwrap()
}

fn people(server: &TestServer, n: usize, prefix: &str) -> Vec<Person> {
    (0..n)
        .map(|i| {
            make_person(server, &format!("{prefix}{i}@testville.test"), &format!("{prefix}{i}"), Role::Resident, false)
        })
        .collect()
}

#[test]
fn the_survey_is_offered_to_those_active_in_the_quarter_until_they_answer_or_put_it_away() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let residents = people(&server, 4, "r");
    let [active, answering, earlier, never] = [0, 1, 2, 3].map(|i| AccountId(residents[i].id));
    let now = now_unix();
    take_part(&server, &[active, answering], now - 60);
    // The quarter before: four months back is always another quarter.
    take_part(&server, &[earlier], now - 122 * DAY);
    roll_up(&server);
    let quarter = satisfaction::quarter_of(now);
    assert!(offer(&server, active).is_none(), "no survey yet");
    let id = open_survey(&server, AccountId(staff.id), quarter);

    // One survey per quarter.
    let again = server.write(move |tx| {
        Ok(matches!(
            satisfaction::create_survey(tx, &Actor::command_line(), quarter, now_unix()),
            Err(SatisfactionError::AlreadyDone)
        ))
    });
    assert!(again, "a second survey for the quarter is refused");

    assert_eq!(offer(&server, active).map(|o| (o.quarter, o.consultation)), Some((quarter, id)));
    assert!(offer(&server, answering).is_some());
    assert!(offer(&server, earlier).is_none(), "active in another quarter only");
    assert!(offer(&server, never).is_none(), "never took part");

    // Answering takes the banner away.
    answer(&server, id, answering, 4);
    assert!(offer(&server, answering).is_none());

    // The banner on the home page, put away without script, for good.
    let mut c = Client::new();
    sign_in(&mut c, &server, &residents[0]);
    let home = c.get(&server.at("/"));
    assert!(home.body.contains("Votre avis sur la participation"), "{}", home.body);
    assert!(home.body.contains(&format!("href=\"/consultations/{id}\"")));
    let action = format!("/enquete-satisfaction/{quarter}/masquer");
    assert!(home.body.contains(&action));
    let r = post(&mut c, &server, "/", &action, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let home = c.get(&server.at("/"));
    assert!(!home.body.contains(&action), "put away");
    assert!(offer(&server, active).is_none());
    // The answering resident sees no banner either.
    let mut b = Client::new();
    sign_in(&mut b, &server, &residents[1]);
    assert!(!b.get(&server.at("/")).body.contains(&action));
    // Nor does someone who was not active.
    let mut d = Client::new();
    sign_in(&mut d, &server, &residents[2]);
    assert!(!d.get(&server.at("/")).body.contains("/masquer"));
}

#[test]
fn the_scores_are_the_means_and_distributions_worked_out_by_hand_none_under_five() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let residents = people(&server, 6, "s");
    let quarter = satisfaction::quarter_of(now_unix());
    let before = open_survey(&server, AccountId(staff.id), quarter - 1);
    let current = open_survey(&server, AccountId(staff.id), quarter);
    for (who, score) in residents.iter().zip([5u8, 4, 4, 3, 5, 1]) {
        answer(&server, current, AccountId(who.id), score);
    }
    for (who, score) in residents.iter().zip([2u8, 3, 5]) {
        answer(&server, before, AccountId(who.id), score);
    }
    let scores = satisfaction::scores(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(scores.len(), 2);
    assert_eq!(
        (scores[0].quarter, scores[0].answered, scores[0].mean, scores[0].distribution),
        (quarter - 1, 3, None, None)
    );
    let s = &scores[1];
    assert_eq!((s.quarter, s.answered, s.distribution), (quarter, 6, Some([1, 0, 1, 2, 2])));
    assert!((s.mean.unwrap() - 22.0 / 6.0).abs() < 1e-9, "{:?}", s.mean);

    // The dashboard shows them as a table; its button is gone once made.
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let page = c.get(&server.at("/admin/tableau-de-bord"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Satisfaction des habitants"));
    assert!(page.body.contains("<td>3.7</td>"), "{}", page.body);
    assert!(page.body.contains("moins de 5"));
    assert!(!page.body.contains(&format!("action=\"{}\"", parvis::web::satisfaction::CREATE_PATH)));
}

#[test]
fn staff_make_the_quarters_survey_with_one_button() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let page = c.get(&server.at("/admin/tableau-de-bord"));
    assert!(page.body.contains(&format!("action=\"{}\"", parvis::web::satisfaction::CREATE_PATH)), "{}", page.body);
    let r = post(&mut c, &server, "/admin/tableau-de-bord", "/admin/tableau-de-bord/satisfaction", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let quarter = satisfaction::quarter_of(now_unix());
    let id = satisfaction::survey_of(&server.state().store.read().unwrap(), quarter).unwrap().unwrap();
    assert_eq!(r.header("location"), Some(format!("/admin/consultations/{id}").as_str()));
    let c2 = consultations::get(&server.state().store.read().unwrap(), id).unwrap().unwrap();
    assert_eq!(c2.questions.len(), 3);
    assert!(matches!(c2.questions[0].kind, consultations::Kind::Scale { from: 1, to: 5, .. }));
}

/// The survey's one email, over real SMTP: those active in the quarter who
/// may be mailed receive it once; someone inactive, someone who chose
/// « never » for news of their own contributions and an unconfirmed
/// address do not; a second pass (a rerun, a restart) sends nothing more.
#[tokio::test]
async fn the_invitation_is_mailed_once_to_active_residents_who_may_be_mailed() {
    use parvis::config::Value;
    use parvis::domain::accounts::{self, NewAccount};
    use parvis::domain::notifications::{self, Delivery, Kind, Notifier};
    use parvis::domain::satisfaction::invitations;
    use parvis::mail::{send_due, Mailer};
    use parvis::store::Store;

    use crate::smtp_sink::SmtpSink;
    use crate::support::config_for;

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    let sink = SmtpSink::start().await;
    let base = "https://participer.testville.test";
    let config = config_for(
        dir.path(),
        base,
        &[
            ("smtp.host", Value::Text("127.0.0.1".into())),
            ("smtp.port", Value::Integer(sink.port().into())),
            ("smtp.security", Value::Text("none".into())),
            ("smtp.from", Value::Text("Mairie <participer@testville.test>".into())),
        ],
    );
    let mailer = Mailer::from_config(&config).unwrap().unwrap();
    let now = now_unix();
    let names = ["agent", "alice", "bruno", "never", "unconfirmed", "inactive"];
    let ids = store
        .write(move |tx| {
            let mut ids = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let new = NewAccount {
                    email: format!("{name}@testville.test"),
                    display_name: name.to_string(),
                    role: if i == 0 { Role::Staff } else { Role::Resident },
                    password_hash: String::new(),
                    must_change_password: false,
                    language: parvis::i18n::Lang::Fr,
                    neighbourhood: None,
                };
                let id = accounts::create(tx, &new).map_err(e)?;
                if *name == "unconfirmed" {
                    // Signed up, never followed the link sent to the address.
                    accounts::update(tx, id, |a| a.email_confirmed = false).map_err(e)?;
                }
                ids.push(id);
            }
            notifications::save_settings(tx, ids[3], &[(Kind::Own, Delivery::Never)])?;
            Ok::<_, StoreError>(ids)
        })
        .await
        .unwrap();
    // Everyone but « inactive » took part this quarter.
    let active = ids[1..5].to_vec();
    let cfg = config.clone();
    store
        .write(move |tx| {
            let idea_box = IdeaBox {
                title: "Le bourg".into(),
                opens_at: now - 2 * DAY,
                closes_at: now + 400 * DAY,
                created_at: now - 2 * DAY,
                ..IdeaBox::default()
            };
            let box_id = proposals::create_box(tx, idea_box).map_err(e)?;
            for (i, author) in active.iter().enumerate() {
                let new = NewProposal {
                    box_id,
                    author: *author,
                    title: format!("Idée {i}"),
                    body: "Texte.".into(),
                    ..NewProposal::default()
                };
                proposals::post(tx, &new, now - 60).map_err(e)?;
            }
            metrics::roll_up(tx, &cfg, None, now)
        })
        .await
        .unwrap();
    let notifier = Notifier { base_url: base.into() };
    let (staff, quarter) = (ids[0], satisfaction::quarter_of(now));

    // No survey open yet: nobody is invited.
    assert_eq!(invitations::pass(&store, &notifier, now).await.unwrap(), 0);
    let id = store
        .write(move |tx| {
            let actor = Actor::person(staff, "127.0.0.1");
            let id = satisfaction::create_survey(tx, &actor, quarter, now).map_err(e)?;
            consultations::publish(tx, &actor, id, Dates { opens_at: now - 60, closes_at: now + 7 * DAY }, now)
                .map_err(e)?;
            Ok::<_, StoreError>(id)
        })
        .await
        .unwrap();

    assert_eq!(invitations::pass(&store, &notifier, now).await.unwrap(), 2);
    assert_eq!(send_due(&store, &mailer, now_unix()).await.unwrap().sent, 2);
    let mut to: Vec<String> = sink.received().iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["alice@testville.test", "bruno@testville.test"]);
    for m in sink.received() {
        let subject = m.header("Subject").unwrap_or_default();
        assert!(subject.contains("Votre avis sur la participation"), "{subject}");
        assert!(m.body().contains(&format!("{base}/consultations/{id}")), "{}", m.body());
        let unsubscribe = m.header("List-Unsubscribe").unwrap_or_default();
        assert!(unsubscribe.contains("/compte/notifications/arreter"), "{unsubscribe}");
        assert!(unsubscribe.contains("type=contributions"), "{unsubscribe}");
    }
    let tx = store.read().unwrap();
    assert!(invitations::was_invited(&tx, quarter, ids[1]).unwrap());
    assert!(!invitations::was_invited(&tx, quarter, ids[3]).unwrap(), "chose never");
    drop(tx);

    // A second pass, and a batch that names everyone (two passes racing,
    // or a list read before the others' commits): nothing more is queued.
    assert_eq!(invitations::pass(&store, &notifier, now + 60).await.unwrap(), 0);
    let again = ids.clone();
    let n = notifier.clone();
    let queued = store.write(move |tx| invitations::invite(tx, &n, quarter, &again, now + 60)).await.unwrap();
    assert_eq!(queued, 0);
    assert_eq!(send_due(&store, &mailer, now_unix() + 120).await.unwrap().sent, 0);
    assert_eq!(sink.received().len(), 2);
    assert!(store.verify().unwrap().is_ok());
    mailer.shutdown().await;
    sink.stop().await;
    store.close().await;
}

/// `who` answers survey `id` with `score` and, when given, a free comment;
/// returns the answer's number.
fn answer_with_comment(server: &TestServer, id: ConsultationId, who: AccountId, score: u8, comment: &str) -> u64 {
    let comment = comment.to_string();
    server.write(move |tx| {
        let c = consultations::get(tx, id)?.ok_or_else(|| e("no survey"))?;
        let qid = satisfaction::comment_question(&c).ok_or_else(|| e("no comment question"))?;
        let mut fields =
            BTreeMap::from([(c.questions[0].id, Raw { values: vec![score.to_string()], other: String::new() })]);
        if !comment.is_empty() {
            fields.insert(qid, Raw { values: vec![comment.clone()], other: String::new() });
        }
        consultations::submit(tx, id, Respondent::Account(who), &fields, now_unix()).map(|s| s.number).map_err(e)
    })
}

/// Staff's tags on the free comments, counted per tag on the dashboard
/// (and never on the public figures); the score's trend as a chart with its
/// table and CSV for staff, and on `/chiffres` only once the survey closed,
/// with no mean under 5 answers.
#[test]
fn free_comments_are_tagged_by_staff_and_the_trend_is_charted_for_staff_and_the_public() {
    use parvis::domain::consultations::coding;

    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let residents = people(&server, 6, "t");
    let quarter = satisfaction::quarter_of(now_unix());
    let before = open_survey(&server, AccountId(staff.id), quarter - 1);
    let current = open_survey(&server, AccountId(staff.id), quarter);
    let comments = [
        "Le site est difficile à lire avec un lecteur d'écran.",
        "Les réponses de la mairie arrivent trop tard.",
        "Réponse très lente à mon signalement.",
        "",
        "Boutons trop petits sur téléphone.",
        "",
    ];
    let mut numbers = Vec::new();
    for ((who, score), comment) in residents.iter().zip([5u8, 4, 4, 3, 5, 1]).zip(comments) {
        numbers.push(answer_with_comment(&server, before, AccountId(who.id), score, comment));
    }
    // This quarter's survey: three answers, under 5.
    for (who, score) in residents.iter().zip([2u8, 3, 5]) {
        answer(&server, current, AccountId(who.id), score);
    }
    let staff_id = AccountId(staff.id);
    let (accessible, slow) = (vec![numbers[0], numbers[4]], vec![numbers[1], numbers[2]]);
    server.write(move |tx| {
        let actor = Actor::person(staff_id, "127.0.0.1");
        let c = consultations::get(tx, before)?.ok_or_else(|| e("no survey"))?;
        let qid = satisfaction::comment_question(&c).ok_or_else(|| e("no comment question"))?;
        let a = coding::add_code(tx, &actor, before, qid, "accessibilité", now_unix()).map_err(e)?;
        let s = coding::add_code(tx, &actor, before, qid, "lenteur", now_unix()).map_err(e)?;
        coding::tag(tx, &actor, before, qid, a.id, &accessible, true, now_unix()).map_err(e)?;
        coding::tag(tx, &actor, before, qid, s.id, &slow, true, now_unix()).map_err(e)?;
        // The last quarter's survey closes: its score may be published.
        consultations::close(tx, &actor, before, now_unix()).map_err(e)?;
        Ok(())
    });

    let all = satisfaction::comments(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].quarter, all[0].written), (quarter - 1, 4));
    let counts: Vec<(String, u64)> = all[0].tags.iter().map(|t| (t.code.label.clone(), t.count)).collect();
    assert_eq!(counts, [("accessibilité".to_string(), 2), ("lenteur".to_string(), 2)]);
    assert!(all[1].tags.is_empty());

    // Staff: the counts per tag, the link to read and tag the comments,
    // the trend's chart, table and CSV.
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    let page = c.get(&server.at("/admin/tableau-de-bord"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<th scope=\"row\">accessibilité</th><td>2</td>"), "{}", page.body);
    assert!(page.body.contains("<th scope=\"row\">lenteur</th><td>2</td>"));
    let read = format!("/consultations/{before}/resultats/");
    assert!(page.body.contains(&read));
    assert!(page.body.contains("id=\"chart-satisfaction-title\""), "the trend's SVG");
    let comments_page = c.get(&server.at(&format!("{read}{}", all[0].question)));
    assert_eq!(comments_page.status, 200);
    assert!(comments_page.body.contains("trop tard"), "staff read the comments");
    let csv = c.get(&server.at("/admin/tableau-de-bord/donnees.csv?chart=satisfaction"));
    assert_eq!(csv.status, 200);
    let last = satisfaction::quarter_label(quarter - 1);
    assert!(csv.body.contains(&format!("{last};3,7;6")), "{}", csv.body);
    assert!(csv.body.contains(&format!("{};moins de 5 réponses;3", satisfaction::quarter_label(quarter))));

    // The public: the closed quarter's score, not this open one's, no
    // comment nor tag.
    let mut visitor = Client::new();
    let public = visitor.get(&server.at("/chiffres"));
    assert_eq!(public.status, 200);
    assert!(public.body.contains("id=\"chart-satisfaction-title\""), "{}", public.body);
    assert!(public.body.contains(&format!("<th scope=\"row\">{last}</th><td>3,7</td><td>6</td>")), "{}", public.body);
    assert!(!public.body.contains(&satisfaction::quarter_label(quarter)), "the open survey's score");
    assert!(!public.body.contains("accessibilité") && !public.body.contains("trop tard"));
    let csv = visitor.get(&server.at("/chiffres/donnees.csv?chart=satisfaction"));
    assert!(csv.body.contains(&format!("{last};3,7;6")), "{}", csv.body);
    assert!(!csv.body.contains(&satisfaction::quarter_label(quarter)));
}
