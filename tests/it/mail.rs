//! Email: the outbox delivers over real SMTP to a sink started by the test,
//! keeps messages while the server refuses or is down, and survives a restart.
//!
//! Time is driven by calling `send_due` with an explicit `now`, so back-off
//! delays of minutes are crossed without waiting.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::config::{Config, Value};
use parvis::mail::outbox::{self, MailState, GIVE_UP_AFTER_SECS};
use parvis::mail::{send_due, Mailer, NewMail, Template};
use parvis::store::{Store, StoreError};

use crate::smtp_sink::SmtpSink;
use crate::support::config_for;
use parvis::domain::ids::MailId;

const LINK: &str = "http://127.0.0.1:1/compte/confirmer?jeton=Zx9-abc_123";

fn config(dir: &std::path::Path, port: u16) -> Config {
    config_for(
        dir,
        "http://127.0.0.1:1",
        &[
            ("smtp.host", Value::Text("127.0.0.1".into())),
            ("smtp.port", Value::Integer(port.into())),
            ("smtp.security", Value::Text("none".into())),
            ("smtp.from", Value::Text("Mairie de Testville <participer@testville.fr>".into())),
        ],
    )
}

fn open(dir: &std::path::Path) -> Store {
    Store::open_with_test_key(&dir.join("parvis.redb"), 8).unwrap()
}

fn confirm(to: &str, lang: &str) -> NewMail {
    NewMail {
        to: to.into(),
        lang: parvis::i18n::Lang::from_code(lang).unwrap(),
        template: Template::ConfirmEmail { name: "Camille".into(), link: LINK.into() },
    }
}

fn now() -> i64 {
    parvis::domain::now_unix()
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn state_of(store: &Store, id: u64) -> MailState {
    outbox::get(&store.read().unwrap(), store.keys(), MailId(id)).unwrap().unwrap().state
}

#[tokio::test]
async fn a_message_queued_in_a_transaction_arrives_in_the_recipients_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let sink = SmtpSink::start().await;
    let mailer = Mailer::from_config(&config(dir.path(), sink.port())).unwrap().unwrap();

    // Two messages in one business transaction; a failed transaction queues nothing.
    let (fr, en) = store
        .write(|tx| {
            Ok::<_, StoreError>((
                outbox::enqueue(tx, confirm("camille@exemple.fr", "fr"))?,
                outbox::enqueue(tx, confirm("sam@example.org", "en"))?,
            ))
        })
        .await
        .unwrap();
    let failed = store
        .write(|tx| {
            outbox::enqueue(tx, confirm("lost@exemple.fr", "fr"))?;
            Err::<(), _>(StoreError::Invalid("the business rule said no".into()))
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 2);

    let report = send_due(&store, &mailer, now()).await.unwrap();
    assert_eq!((report.sent, report.retried, report.failed, report.next_due), (2, 0, 0, None), "{report:?}");

    let received = sink.received();
    assert_eq!(received.len(), 2);
    let to_fr = received.iter().find(|m| m.to == ["camille@exemple.fr"]).unwrap();
    let to_en = received.iter().find(|m| m.to == ["sam@example.org"]).unwrap();
    assert_eq!(to_fr.from, "participer@testville.fr");
    assert_eq!(to_fr.header("Subject").unwrap(), "Confirmez votre adresse électronique – Testville");
    assert_eq!(to_en.header("Subject").unwrap(), "Confirm your email address – Testville");
    assert!(to_fr.header("From").unwrap().contains("Mairie de Testville"));
    assert_eq!(to_fr.header("Auto-Submitted").as_deref(), Some("auto-generated"));
    assert!(to_fr.header("Message-ID").unwrap().starts_with(&format!("<parvis.{fr}.")));
    assert!(to_en.header("Message-ID").unwrap().starts_with(&format!("<parvis.{en}.")));
    for (mail, greeting) in [(to_fr, "Bonjour Camille,"), (to_en, "Hello Camille,")] {
        let body = mail.body();
        assert!(body.starts_with(greeting), "{body}");
        assert!(body.lines().any(|l| l == LINK), "the link must stand on its own line: {body}");
        assert!(body.contains("Testville"), "{body}");
    }

    let tx = store.read().unwrap();
    assert!(matches!(outbox::get(&tx, store.keys(), fr).unwrap().unwrap().state, MailState::Sent { attempts: 1, .. }));
    assert_eq!(outbox::backlog(&tx).unwrap(), 0);
    let shown = outbox::recent(&tx, store.keys(), 10, "Testville").unwrap();
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|m| m.state.as_str() == "sent"));
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    drop(tx);
    mailer.shutdown().await;
    sink.stop().await;
    store.close().await;
}

#[tokio::test]
async fn lines_that_start_with_a_dot_survive_the_smtp_data_section() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let sink = SmtpSink::start().await;
    let mailer = Mailer::from_config(&config(dir.path(), sink.port())).unwrap().unwrap();
    let text = "Ordre du jour :\n.\n.. points divers\nfin";
    let template =
        Template::Notification { name: "Camille".into(), subject: "Réunion".into(), text: text.into(), link: None };
    store
        .write(move |tx| {
            outbox::enqueue(
                tx,
                NewMail { to: "c@exemple.fr".into(), lang: parvis::i18n::Lang::Fr, template: template.clone() },
            )
        })
        .await
        .unwrap();
    assert_eq!(send_due(&store, &mailer, now()).await.unwrap().sent, 1);
    let body = sink.received()[0].body();
    assert!(body.contains(text), "{body}");
    assert_eq!(sink.received()[0].header("Subject").unwrap(), "Réunion – Testville");
    mailer.shutdown().await;
    store.close().await;
}

/// Issue 13: every mail leaves as plain text and HTML. The two parts say the
/// same words and hold the same links; the HTML escapes what people typed,
/// is in the mail's language, shows no image and names no address but the
/// text's links; the unsubscribe link stays in the header and sits in the
/// HTML's footer.
#[tokio::test]
async fn every_mail_arrives_as_plain_text_and_html_with_the_same_words_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let sink = SmtpSink::start().await;
    let mailer = Mailer::from_config(&config(dir.path(), sink.port())).unwrap().unwrap();
    let unsubscribe = "http://127.0.0.1:1/consultations/3/ne-plus-prevenir?compte=1&cle=ab";
    let outcome = Template::ConsultationOutcome {
        name: "<script>alert('x')</script> Camille & Sam".into(),
        subject: "Results: « The market » <b>".into(),
        text: "The town hall published the results of « The market ».".into(),
        link: "http://127.0.0.1:1/consultations/3#bilan".into(),
        unsubscribe: unsubscribe.into(),
    };
    store
        .write(move |tx| {
            outbox::enqueue(
                tx,
                NewMail { to: "c@example.org".into(), lang: parvis::i18n::Lang::En, template: outcome.clone() },
            )?;
            outbox::enqueue(tx, confirm("camille@exemple.fr", "fr"))
        })
        .await
        .unwrap();
    assert_eq!(send_due(&store, &mailer, now()).await.unwrap().sent, 2);

    for mail in sink.received() {
        let lang = if mail.to == ["c@example.org"] { "en" } else { "fr" };
        assert!(mail.header("Content-Type").unwrap().starts_with("multipart/alternative;"), "{}", mail.data);
        assert_eq!(mail.part_types(), ["text/plain", "text/html"], "text first, HTML last");
        assert_eq!(mail.header("Content-Language").as_deref(), Some(lang));
        let (text, html) = (mail.body(), mail.html().unwrap());
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert!(html.contains("Testville"), "the commune's name heads the mail: {html}");

        // Same words: what a reader sees of the HTML is the text, with the
        // commune's name on top and a border for the "-- " signature line.
        let seen = visible_words(&html);
        let mut expected = vec!["Testville".to_string()];
        expected.extend(words(&text).into_iter().filter(|w| w != "--"));
        assert_eq!(seen, expected, "{text}\n{html}");

        // Same links, and no other address: no image, stylesheet or font.
        let links: BTreeSet<String> =
            text.split_whitespace().filter(|w| w.starts_with("http")).map(str::to_string).collect();
        let hrefs: BTreeSet<String> =
            html.split("href=\"").skip(1).map(|r| r[..r.find('"').unwrap()].replace("&amp;", "&")).collect();
        assert!(!links.is_empty());
        assert_eq!(hrefs, links);
        assert_eq!(html.matches("http").count(), 2 * html.matches("href=\"").count(), "{html}");
        for banned in ["<img", "<link", "<script", "<style", "src=", "url(", "@import", "@font-face"] {
            assert!(!html.to_ascii_lowercase().contains(banned), "{banned} in {html}");
        }
    }

    let to_en = sink.received().into_iter().find(|m| m.to == ["c@example.org"]).unwrap();
    let html = to_en.html().unwrap();
    assert!(html.contains("Hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Camille &amp; Sam,"), "{html}");
    assert!(html.contains("&lt;b&gt;"), "the subject in the title is escaped too: {html}");
    assert!(to_en.body().starts_with("Hello <script>alert('x')</script> Camille & Sam,"), "the text is not escaped");
    assert_eq!(to_en.header("List-Unsubscribe"), Some(format!("<{unsubscribe}>")));
    assert_eq!(to_en.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let footer = &html[html.find("border-top").unwrap()..];
    assert!(footer.contains(&format!("href=\"{}\"", unsubscribe.replace('&', "&amp;"))), "{footer}");
    assert_eq!(to_en.body().matches(unsubscribe).count(), 1, "said once in the text");
    mailer.shutdown().await;
    store.close().await;
}

/// The words of an HTML document's body as a reader sees them: tags gone,
/// entities decoded.
fn visible_words(html: &str) -> Vec<String> {
    let body = &html[html.find("<body").unwrap()..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    words(&text)
}

/// The words of `text`, with a run of punctuation glued to the word before
/// it: `</a>.` reads as a space before the full stop once tags are gone.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        match out.last_mut() {
            Some(last) if w.chars().all(|c| ".,;:!?)»".contains(c)) => last.push_str(w),
            _ => out.push(w.to_string()),
        }
    }
    out
}

#[tokio::test]
async fn while_the_server_refuses_or_is_down_the_message_waits_survives_a_restart_and_then_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let mailer = Mailer::from_config(&config(dir.path(), port)).unwrap().unwrap();
    let id = store.write(|tx| outbox::enqueue(tx, confirm("camille@exemple.fr", "fr"))).await.unwrap();
    let t0 = now();

    // 1. The server answers 4xx: the message stays pending with the error, due in a minute.
    sink.refuse(Some("451 4.3.0 Temporary local problem, try later"));
    let report = send_due(&store, &mailer, t0).await.unwrap();
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert_eq!(report.next_due, Some(t0 + 60));
    match state_of(&store, id.get()) {
        MailState::Pending { attempts: 1, next_attempt_at, last_error: Some(error) } => {
            assert_eq!(next_attempt_at, t0 + 60);
            assert!(error.contains("451"), "{error}");
        }
        other => panic!("unexpected {other:?}"),
    }
    // Not due yet: nothing is tried.
    let report = send_due(&store, &mailer, t0 + 30).await.unwrap();
    assert_eq!((report.sent, report.retried), (0, 0));

    // 2. The server is down (port closed): the error is recorded, the wait grows.
    sink.stop().await;
    let report = send_due(&store, &mailer, t0 + 60).await.unwrap();
    assert_eq!(report.retried, 1, "{report:?}");
    match state_of(&store, id.get()) {
        MailState::Pending { attempts: 2, next_attempt_at, last_error: Some(error) } => {
            assert_eq!(next_attempt_at, t0 + 60 + 300);
            assert!(!error.contains("451"), "the new error replaces the old one: {error}");
        }
        other => panic!("unexpected {other:?}"),
    }

    // 3. Parvis restarts: the outbox is in the file.
    store.close().await;
    drop(store);
    let store = open(dir.path());
    assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 1);
    assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);

    // 4. The server is back on its port: the message leaves at its next attempt.
    let sink = SmtpSink::start_on(port).await;
    let report = send_due(&store, &mailer, t0 + 60 + 300).await.unwrap();
    assert_eq!((report.sent, report.next_due), (1, None), "{report:?}");
    assert!(matches!(state_of(&store, id.get()), MailState::Sent { attempts: 3, .. }));
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("Subject").unwrap(), "Confirmez votre adresse électronique – Testville");
    assert!(received[0].body().contains(LINK));
    mailer.shutdown().await;
    store.close().await;
}

#[tokio::test]
async fn after_three_days_of_failures_a_message_is_given_up_and_shown_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mailer = Mailer::from_config(&config(dir.path(), closed_port())).unwrap().unwrap();
    let t0 = 1_900_000_000;
    let id = store.write(move |tx| outbox::enqueue_at(tx, confirm("camille@exemple.fr", "en"), t0)).await.unwrap();
    assert_eq!(send_due(&store, &mailer, t0).await.unwrap().retried, 1);
    let report = send_due(&store, &mailer, t0 + GIVE_UP_AFTER_SECS).await.unwrap();
    assert_eq!((report.failed, report.next_due), (1, None), "{report:?}");
    let tx = store.read().unwrap();
    assert_eq!(outbox::backlog(&tx).unwrap(), 0);
    assert_eq!(outbox::failed_count(&tx).unwrap(), 1);
    let shown = outbox::recent(&tx, store.keys(), 5, "Testville").unwrap();
    assert_eq!(shown[0].id, id);
    assert!(matches!(&shown[0].state, MailState::Failed { attempts: 2, last_error, .. } if !last_error.is_empty()));
    assert!(shown[0].subject.starts_with("Confirm your email address"));
    drop(tx);
    assert!(store.verify().unwrap().is_ok());
    mailer.shutdown().await;
    store.close().await;
}

#[tokio::test]
async fn one_server_failure_reschedules_the_whole_batch_without_waiting_for_each() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mailer = Mailer::from_config(&config(dir.path(), closed_port())).unwrap().unwrap();
    for i in 0..5 {
        store.write(move |tx| outbox::enqueue(tx, confirm(&format!("p{i}@exemple.fr"), "fr"))).await.unwrap();
    }
    let t0 = now();
    let report = send_due(&store, &mailer, t0).await.unwrap();
    assert_eq!(report.retried, 5, "{report:?}");
    assert_eq!(report.next_due, Some(t0 + 60));
    assert!(outbox::due(&store.read().unwrap(), store.keys(), t0, 10).unwrap().is_empty());
    mailer.shutdown().await;
    store.close().await;
}

/// The task the server runs: woken by the writer after the commit that
/// queued a message, it delivers without waiting, and it stops when told to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sender_task_delivers_when_woken_and_stops_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let sink = SmtpSink::start().await;
    let config = Arc::new(config(dir.path(), sink.port()));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(parvis::mail::run_sender(store.clone(), config, stopped));

    store.write(|tx| outbox::enqueue(tx, confirm("camille@exemple.fr", "fr"))).await.unwrap();
    // Marked sent once accepted: nothing is left to send. The sink holds the
    // message a moment before the sender hears "250" and marks it, and a
    // shutdown in between leaves it to be sent again (at least once, by
    // design): wait for both before stopping.
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.received().is_empty() || outbox::backlog(&store.read().unwrap()).unwrap() != 0 {
        assert!(Instant::now() < deadline, "the message was not delivered and marked sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), task).await.expect("the sender stops on shutdown").unwrap();
    assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 0);
    assert_eq!(sink.received().len(), 1);
    store.close().await;
}

#[tokio::test]
async fn without_smtp_host_the_sender_returns_and_messages_wait_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let config = Arc::new(config_for(dir.path(), "http://127.0.0.1:1", &[]));
    assert!(Mailer::from_config(&config).unwrap().is_none());
    store.write(|tx| outbox::enqueue(tx, confirm("camille@exemple.fr", "fr"))).await.unwrap();
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let run = parvis::mail::run_sender(store.clone(), config, stopped);
    tokio::time::timeout(Duration::from_secs(5), run).await.expect("returns at once");
    let tx = store.read().unwrap();
    assert_eq!(outbox::backlog(&tx).unwrap(), 1);
    let shown = outbox::recent(&tx, store.keys(), 1, "Testville").unwrap();
    assert!(shown[0].text.contains(LINK), "the demo page can show the message: {}", shown[0].text);
    drop(tx);
    store.close().await;
}

/// Mail queued by any write of a running server leaves at once: the writer
/// wakes the sender after the commit, no caller has to. The first message
/// makes sure the sender has finished its start-up pass and sleeps (for
/// minutes when nothing is due); the second must then arrive within seconds.
#[test]
fn mail_queued_by_a_plain_write_is_delivered_promptly_without_a_wake_call() {
    let mail = crate::accounts::Mailbox::start();
    let server = crate::support::TestServer::start_with(&mail.settings());
    let delivered = |to: &str| {
        let deadline = Instant::now() + Duration::from_secs(5);
        let store = server.state().store.clone();
        while mail.count_to(to) == 0 || outbox::backlog(&store.read().unwrap()).unwrap() != 0 {
            assert!(Instant::now() < deadline, "the message to {to} was not delivered promptly");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    server.write(|tx| outbox::enqueue(tx, confirm("premier@exemple.fr", "fr")));
    delivered("premier@exemple.fr");
    server.write(|tx| outbox::enqueue(tx, confirm("second@exemple.fr", "en")));
    delivered("second@exemple.fr");
}

/// Security review (issue 10): the privacy page promised that an unused
/// account is deleted after a warning, and nothing did it. Data made before
/// the server starts: its hourly pass runs at start-up, warns over real SMTP
/// in the person's language with the sign-in address, and removes a sign-up
/// never confirmed.
#[test]
fn the_hourly_pass_warns_an_unused_account_and_removes_a_sign_up_never_confirmed() {
    use parvis::domain::accounts::{self, NewAccount, Role, SignUp};
    use parvis::i18n::Lang;

    const DAY: i64 = 86_400;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let sink = rt.block_on(SmtpSink::start());
    let dir = tempfile::tempdir().unwrap();
    // The data the server finds is sealed with the key it will read.
    let master = parvis::crypto::create_key_file(&config(dir.path(), sink.port()).key_file).unwrap();
    let keys = std::sync::Arc::new(parvis::crypto::Keys::from_master(&master));
    let store = Store::open_keyed(&dir.path().join("parvis.redb"), 8, keys).unwrap();
    let (unused, unconfirmed, active) = store
        .writer()
        .write_blocking(|tx| {
            let err = |e: accounts::AccountError| StoreError::Internal(e.to_string());
            let person = |email: &str, at: i64| {
                let new = NewAccount {
                    email: email.into(),
                    display_name: "Sam Martin".into(),
                    role: Role::Resident,
                    password_hash: "x".into(),
                    must_change_password: false,
                    language: Lang::En,
                    neighbourhood: None,
                };
                let id = accounts::create(tx, &new)?;
                accounts::update(tx, id, |a| {
                    a.created_at = at - DAY;
                    a.last_sign_in_at = Some(at);
                })?;
                Ok::<_, accounts::AccountError>(id)
            };
            // 1,095 days by default; the warning goes 30 days before.
            let unused = person("unused@example.org", now() - 1070 * DAY).map_err(err)?;
            let active = person("active@example.org", now() - 10 * DAY).map_err(err)?;
            let form = SignUp {
                email: "never@example.org".into(),
                display_name: "Never".into(),
                password_hash: "x".into(),
                language: Lang::Fr,
                neighbourhood: None,
                age_bracket: None,
            };
            let unconfirmed = accounts::sign_up(tx, &form, now() - 8 * DAY).map_err(err)?;
            Ok::<_, StoreError>((unused, unconfirmed, active))
        })
        .unwrap();
    rt.block_on(store.close());
    drop(store);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let state = parvis::server::prepare(config(dir.path(), sink.port())).unwrap();
    let serving = state.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(async move {
        parvis::server::serve_state(listener, serving, async move {
            let _ = stopped.await;
        })
        .await
        .map_err(|e| e.to_string())
    });

    let deadline = Instant::now() + Duration::from_secs(15);
    while sink.received().is_empty() {
        assert!(Instant::now() < deadline, "no warning arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let received = sink.received();
    assert_eq!(received.len(), 1, "only the unused account is warned");
    assert_eq!(received[0].to, ["unused@example.org"]);
    assert_eq!(received[0].header("Subject").unwrap(), "Your account will be deleted in 30 days – Testville");
    let body = received[0].body();
    assert!(body.starts_with("Hello Sam Martin,"), "{body}");
    assert!(body.contains("for 1070 days"), "{body}");
    assert!(body.lines().any(|l| l == "http://127.0.0.1:1/connexion"), "the sign-in address on its own line: {body}");

    let tx = state.store.read().unwrap();
    let get = |id| accounts::get(&tx, id).unwrap().unwrap();
    assert!(!get(unused).is_erased(), "warned, not erased: a month is left");
    assert!(get(unconfirmed).is_erased());
    assert!(!get(active).is_erased());
    assert!(accounts::find_by_email(&tx, "never@example.org").unwrap().is_none());
    drop(tx);
    let _ = stop.send(());
    drop(state);
    rt.block_on(server).unwrap().unwrap();
}
