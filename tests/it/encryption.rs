//! Secrets encrypted at rest: what a stolen database file or backup holds,
//! and the refusals when the key is missing or another one.

use parvis::crypto::Keys;
use parvis::domain::accounts::{self, Role};
use parvis::domain::{now_unix, two_factor};
use parvis::mail::{outbox, NewMail, Template};
use parvis::store::backup::restore;

use crate::accounts::{post, sign_in, sign_up_and_confirm, Mailbox, PASSWORD};
use crate::admin::make_person;
use crate::support::{config_for, Client, TestServer};
use parvis::domain::ids::AccountId;

/// Closes a server state's database, so that a command can open it.
fn close(state: std::sync::Arc<parvis::app::AppState>) {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(state.store.close());
    drop(state);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a thief who copied the database file or a backup could search for.
fn assert_no_secret_in(bytes: &[u8], secrets: &[Vec<u8>], what: &str) {
    for secret in secrets {
        let base32 = totp_rs::Secret::from(secret.clone()).to_base32();
        assert!(!contains(bytes, secret), "{what} holds a two-factor secret in clear");
        assert!(!contains(bytes, base32.as_bytes()), "{what} holds a two-factor secret in base32");
    }
}

#[test]
fn the_database_file_and_a_backup_hold_no_two_factor_secret_in_clear() {
    let server = TestServer::start();
    let enrolled = make_person(&server, "sealed@example.test", "Dominique Témoin", Role::Admin, true);
    let pending = make_person(&server, "pending@example.test", "Camille Témoin", Role::Resident, false);
    let keys = server.state().store.keys().clone();
    let pending_secret =
        server.write(move |tx| two_factor::begin_enrolment(tx, &keys, AccountId(pending.id), now_unix()));
    let secrets = vec![enrolled.secret.clone().unwrap(), pending_secret];
    // A message waiting in the outbox, with its address and single-use link.
    let queued = server.write(|tx| {
        outbox::enqueue(
            tx,
            NewMail {
                to: "queued-recipient@example.test".into(),
                lang: parvis::i18n::Lang::Fr,
                template: Template::ConfirmEmail {
                    name: "Camille".into(),
                    link: "https://x.test/confirmer/LINK-TOKEN-0123456789".into(),
                },
            },
        )
    });
    let backup = server.state().config.data_dir.join("backup.redb");
    server.state().store.backup_to(&backup, &|_, _| {}).unwrap();
    let db_path = server.state().config.db_path();

    let db = std::fs::read(&db_path).unwrap();
    // The search works: what is not secret is found in the same bytes.
    assert!(contains(&db, "Dominique Témoin".as_bytes()), "the grep finds clear values");
    assert_no_secret_in(&db, &secrets, "the database file");
    let copy = std::fs::read(backup.join("parvis.redb")).unwrap();
    assert_no_secret_in(&copy, &secrets, "the backup");
    for (bytes, what) in [(&db, "the database file"), (&copy, "the backup")] {
        assert!(!contains(bytes, b"queued-recipient@"), "{what} holds a queued mail's address");
        assert!(!contains(bytes, b"LINK-TOKEN-0123456789"), "{what} holds a queued mail's link");
    }
    // The sender and the admin open it.
    let tx = server.state().store.read().unwrap();
    let mail = outbox::get(&tx, server.state().store.keys(), queued).unwrap().unwrap();
    assert_eq!(mail.to, "queued-recipient@example.test");
    drop(tx);

    // Sealed is still usable: the next code signs in.
    let secret = enrolled.secret.unwrap();
    let keys = server.state().store.keys().clone();
    let later = now_unix() + 30;
    let code = two_factor::code_at(&secret, later).unwrap();
    let passed = server.write(move |tx| {
        two_factor::verify(tx, &keys, AccountId(enrolled.id), &code, later)
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    assert_eq!(passed, two_factor::Passed::Totp);
}

/// Residents' addresses, as a thief who copied the database file or a backup
/// would search for them: an account made by the town hall, one signed up
/// and confirmed over the web (then a failed and a good sign-in with it), and
/// the new address of a change waiting for its confirmation.
#[test]
fn the_database_file_and_a_backup_hold_no_residents_address_in_clear() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    make_person(&server, "adresse-mairie@example.test", "Dominique Témoin", Role::Admin, false);
    let mut c = Client::new();
    sign_up_and_confirm(&mut c, &server, &mail, "adresse-habitante@example.test", "Camille Témoin");
    let refused = sign_in(&mut Client::new(), &server, "adresse-habitante@example.test", "pas le bon mot de passe");
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(sign_in(&mut c, &server, "adresse-habitante@example.test", PASSWORD).status, 303);
    let r =
        post(&mut c, &server, "/compte/courriel", "/compte/courriel", &[("email", "adresse-nouvelle@example.test")]);
    assert_eq!(r.status, 303, "{}", r.body);
    mail.nth_to("adresse-nouvelle@example.test", 1);
    let backup = server.state().config.data_dir.join("backup.redb");
    server.state().store.backup_to(&backup, &|_, _| {}).unwrap();

    let db = std::fs::read(server.state().config.db_path()).unwrap();
    let copy = std::fs::read(backup.join("parvis.redb")).unwrap();
    for (bytes, what) in [(&db, "the database file"), (&copy, "the backup")] {
        assert!(contains(bytes, "Camille Témoin".as_bytes()), "the grep finds clear values in {what}");
        for address in ["adresse-mairie@", "adresse-habitante@", "adresse-nouvelle@", "@example.test"] {
            assert!(!contains(bytes, address.as_bytes()), "{what} holds {address} in clear");
        }
    }
    // The addresses still find their accounts, whatever their case.
    let tx = server.state().store.read().unwrap();
    let camille = accounts::find_by_email(&tx, "Adresse-Habitante@example.test").unwrap().unwrap();
    assert_eq!(camille.email, "adresse-habitante@example.test");
    assert!(accounts::find_by_email(&tx, "adresse-mairie@example.test").unwrap().is_some());
    assert!(accounts::find_by_email(&tx, "adresse-nouvelle@example.test").unwrap().is_none(), "not confirmed yet");
    drop(tx);
    assert!(server.state().store.verify().unwrap().is_ok(), "{:?}", server.state().store.verify().unwrap().problems);
}

#[test]
fn start_up_refuses_a_missing_key_and_another_key_naming_the_setting() {
    let server = TestServer::start();
    make_person(&server, "sealed@example.test", "Dominique Témoin", Role::Admin, true);
    let url = server.url.clone();
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    let config = config_for(dir.path(), &url, &[]);
    let key_file = config.key_file.clone();
    let kept = std::fs::read(&key_file).unwrap();

    std::fs::remove_file(&key_file).unwrap();
    let missing = parvis::server::prepare(config.clone()).err().expect("a missing key is refused").to_string();
    assert!(missing.contains("data.key_file") && missing.contains("missing"), "{missing}");
    assert!(!key_file.exists(), "no new key replaces the one the database needs");

    Keys::create_file(&key_file).unwrap();
    let other = parvis::server::prepare(config.clone()).err().expect("another key is refused").to_string();
    assert!(other.contains("data.key_file") && other.contains("fingerprint"), "{other}");

    std::fs::remove_file(&key_file).unwrap();
    std::fs::write(&key_file, kept).unwrap();
    assert!(parvis::server::prepare(config).is_ok(), "its own key opens it again");
}

#[test]
fn a_backup_is_restored_only_with_its_key() {
    let server = TestServer::start();
    make_person(&server, "sealed@example.test", "Dominique Témoin", Role::Admin, true);
    let work = tempfile::tempdir().unwrap();
    let backup = work.path().join("backup.redb");
    server.state().store.backup_to(&backup, &|_, _| {}).unwrap();
    let own_key = server.state().config.key_file.clone();
    let target = work.path().join("data/parvis.redb");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();

    let missing = restore(&backup, &target, &work.path().join("absent.key")).unwrap_err().to_string();
    assert!(missing.contains("absent.key") && missing.contains("missing"), "{missing}");
    let other_key = work.path().join("other.key");
    Keys::create_file(&other_key).unwrap();
    let other = restore(&backup, &target, &other_key).unwrap_err().to_string();
    assert!(other.contains("fingerprint") && other.contains("put back the key file"), "{other}");
    assert!(!target.exists(), "nothing was restored");

    restore(&backup, &target, &own_key).unwrap();
    assert!(target.exists());
}

#[test]
fn rotate_key_seals_everything_again_keeps_the_old_key_for_old_backups_and_refuses_a_running_server() {
    let server = TestServer::start();
    let person = make_person(&server, "sealed@example.test", "Dominique Témoin", Role::Admin, true);
    // A change of address waiting for its link: its new address is sealed too.
    let changing = make_person(&server, "changing@example.test", "Camille Témoin", Role::Resident, false);
    server.write(move |tx| {
        let actor = parvis::domain::audit::Actor::person(AccountId(changing.id), "192.0.2.1");
        accounts::request_email_change(tx, &actor, "changed@example.test", "", now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    server.write(|tx| {
        outbox::enqueue(
            tx,
            NewMail {
                to: "queued-recipient@example.test".into(),
                lang: parvis::i18n::Lang::Fr,
                template: Template::PasswordChanged { name: "Camille".into() },
            },
        )
    });
    let url = server.url.clone();
    let work = tempfile::tempdir().unwrap();
    let old_backup = work.path().join("before.redb");
    server.state().store.backup_to(&old_backup, &|_, _| {}).unwrap();
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    let config = config_for(dir.path(), &url, &[]);
    let old_key = std::fs::read(&config.key_file).unwrap();
    let rotate = || crate::cli::run(crate::cli::parvis(work.path()).args(["rotate-key", "--data-dir"]).arg(dir.path()));

    // A running server holds the database: refused, nothing changed.
    let running = parvis::server::prepare(config.clone()).unwrap();
    let (code, out, err) = rotate();
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("stop it first"), "{err}");
    assert_eq!(std::fs::read(&config.key_file).unwrap(), old_key);
    close(running);

    let (code, out, err) = rotate();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 secrets") && out.contains("2 courriels") && out.contains("2 adresses"), "{out}");
    let old_copy = dir.path().join("parvis.key.old");
    assert_eq!(std::fs::read(&old_copy).unwrap(), old_key, "the old key is kept for the older backups");
    assert_ne!(std::fs::read(&config.key_file).unwrap(), old_key);

    // Everything still opens with the new key: the second factor, the mail.
    let state = parvis::server::prepare(config.clone()).unwrap();
    let keys = state.store.keys().clone();
    let later = now_unix() + 30;
    let code = two_factor::code_at(&person.secret.unwrap(), later).unwrap();
    let passed = state
        .store
        .writer()
        .write_blocking(move |tx| two_factor::verify(tx, &keys, AccountId(person.id), &code, later))
        .unwrap();
    assert_eq!(passed, two_factor::Passed::Totp);
    let tx = state.store.read().unwrap();
    let due = outbox::due(&tx, state.store.keys(), i64::MAX, 10).unwrap();
    assert!(due.iter().any(|m| m.to == "queued-recipient@example.test"), "{due:?}");
    // The addresses open, and the index finds them by the new key's hash.
    assert_eq!(accounts::find_by_email(&tx, "sealed@example.test").unwrap().unwrap().id, AccountId(person.id));
    let token = due
        .iter()
        .find_map(|m| match &m.template {
            Template::ConfirmEmail { link, .. } if m.to == "changed@example.test" => Some(link.clone()),
            _ => None,
        })
        .expect("the link of the change of address");
    let pending = accounts::peek_token(&tx, &token, now_unix()).unwrap().unwrap();
    assert_eq!(pending.purpose, accounts::TokenPurpose::ChangeEmail { new_email: "changed@example.test".into() });
    drop(tx);
    assert!(state.store.verify().unwrap().is_ok(), "{:?}", state.store.verify().unwrap().problems);
    close(state);

    // A backup from before the rotation needs the old key.
    let target = work.path().join("restored/parvis.redb");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let refused = restore(&old_backup, &target, &config.key_file).unwrap_err().to_string();
    assert!(refused.contains("fingerprint"), "{refused}");
    restore(&old_backup, &target, &old_copy).unwrap();

    // A second rotation does not overwrite the kept old key.
    let (code, _, err) = rotate();
    assert_eq!(code, 1);
    assert!(err.contains("parvis.key.old exists"), "{err}");
}

#[test]
fn check_config_shows_the_key_and_refuses_a_missing_one_that_the_database_needs() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parvis.toml");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    crate::cli::write_config(&config, &data, "127.0.0.1:0", "");
    let check = || crate::cli::run(crate::cli::parvis(dir.path()).arg("check-config").arg("--config").arg(&config));
    let (code, out, err) = check();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("parvis.key does not exist yet"), "{out}");

    let key = dir.path().join("parvis.key");
    let keys = std::sync::Arc::new(Keys::create_file(&key).unwrap());
    let store = parvis::store::Store::open_keyed(&data.join("parvis.redb"), 8, keys.clone()).unwrap();
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    drop(store);
    let (code, out, err) = check();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("fingerprint {}", keys.fingerprint_hex())), "{out}");

    std::fs::remove_file(&key).unwrap();
    let (code, out, err) = check();
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("data.key_file") && err.contains("missing"), "{err}");
}
