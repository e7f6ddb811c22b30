//! Accounts and security over real HTTP, with mail delivered over a real SMTP
//! conversation to a sink started by the test.

use std::time::{Duration, Instant};

use parvis::config::Value;
use parvis::domain::{accounts, now_unix, sessions, two_factor};

use crate::smtp_sink::{Received, SmtpSink};
use crate::support::{hidden_field, title_of, Client, Resp, TestServer};
use parvis::domain::ids::AccountId;

pub const PASSWORD: &str = "la fontaine du lavoir chante en hiver";

/// A server whose mail goes to a sink; the runtime keeps the sink running.
pub struct Mailbox {
    rt: tokio::runtime::Runtime,
    pub sink: SmtpSink,
}

impl Mailbox {
    pub fn start() -> Mailbox {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let sink = rt.block_on(SmtpSink::start());
        Mailbox { rt, sink }
    }

    pub fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("smtp.host", Value::Text("127.0.0.1".into())),
            ("smtp.port", Value::Integer(self.sink.port() as i64)),
            ("smtp.security", Value::Text("none".into())),
            ("smtp.from", Value::Text("Mairie de Testville <participer@testville.test>".into())),
        ]
    }

    /// The `n`-th message to `to` (1-based), waiting for it to arrive.
    pub fn nth_to(&self, to: &str, n: usize) -> Received {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found: Vec<Received> =
                self.sink.received().into_iter().filter(|m| m.to.iter().any(|t| t == to)).collect();
            if found.len() >= n {
                return found[n - 1].clone();
            }
            assert!(Instant::now() < deadline, "no message number {n} for {to}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn count_to(&self, to: &str) -> usize {
        self.sink.received().iter().filter(|m| m.to.iter().any(|t| t == to)).count()
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        let _ = &self.rt;
    }
}

/// The path and query of the first link in a message that contains `marker`.
pub fn link_in(message: &Received, marker: &str) -> String {
    let body = message.body();
    let start = body.find(marker).unwrap_or_else(|| panic!("no {marker} in {body}"));
    let rest = &body[start..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '<' || c == '"').unwrap_or(rest.len());
    rest[..end].to_string()
}

fn token_of(path: &str) -> String {
    path.split("jeton=").nth(1).unwrap().to_string()
}

/// Posts a form with the page's CSRF token (read from `page_path`).
pub fn post(c: &mut Client, server: &TestServer, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
    let page = c.get(&server.at(page_path));
    let token = hidden_field(&page.body, "_csrf").expect("a CSRF token on the page");
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("_csrf", &token));
    c.post_form(&server.at(action), &all)
}

/// Signs up and confirms the address by following the emailed link.
pub fn sign_up_and_confirm(c: &mut Client, server: &TestServer, mail: &Mailbox, email: &str, name: &str) {
    let r = post(
        c,
        server,
        "/inscription",
        "/inscription",
        &[("display_name", name), ("email", email), ("password", PASSWORD)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/inscription/envoye"));
    let message = mail.nth_to(email, 1);
    let path = link_in(&message, "/compte/confirmer?jeton=");
    let r = c.get(&server.at(&path));
    assert_eq!(r.status, 200);
    let r = post(c, server, &path, "/compte/confirmer", &[("jeton", &token_of(&path))]);
    assert_eq!(r.status, 303);
}

pub fn sign_in(c: &mut Client, server: &TestServer, email: &str, password: &str) -> Resp {
    post(c, server, "/connexion", "/connexion", &[("email", email), ("password", password), ("suivant", "/compte")])
}

#[test]
fn sign_up_confirm_sign_in_and_sign_out() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    let r = post(
        &mut c,
        &server,
        "/inscription",
        "/inscription",
        &[("display_name", "Camille Martin"), ("email", "camille@example.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status, 303);
    let message = mail.nth_to("camille@example.test", 1);
    assert!(message.header("Subject").unwrap().to_lowercase().contains("confirm"), "{:?}", message.header("Subject"));

    // Before confirming, the right password leads to an explanation, not a session.
    let r = sign_in(&mut c, &server, "camille@example.test", PASSWORD);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Confirmez votre adresse"));
    assert_eq!(c.get(&server.at("/compte")).status, 303);

    let path = link_in(&message, "/compte/confirmer?jeton=");
    let r = post(&mut c, &server, &path, "/compte/confirmer", &[("jeton", &token_of(&path))]);
    assert_eq!(r.header("location"), Some("/connexion"));
    // A link works once.
    let again = post(&mut c, &server, "/", "/compte/confirmer", &[("jeton", &token_of(&path))]);
    assert_eq!(again.status, 410);

    let r = sign_in(&mut c, &server, "camille@example.test", PASSWORD);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/compte"));
    let cookie =
        r.headers_named("set-cookie").into_iter().find(|h| h.starts_with("parvis-session=")).unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let account = c.get(&server.at("/compte"));
    assert_eq!(account.status, 200);
    assert!(account.body.contains("Camille Martin") && account.body.contains("camille@example.test"));
    assert!(account.body.contains("data-session-idle="), "the timeout warning is armed");

    let r = post(&mut c, &server, "/compte", "/deconnexion", &[]);
    assert_eq!(r.status, 303);
    let r = c.get(&server.at("/compte"));
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/connexion?suivant=%2Fcompte"));
}

#[test]
fn a_failed_form_keeps_what_was_typed_and_explains() {
    let server = TestServer::start();
    let mut c = Client::new();
    let r = post(
        &mut c,
        &server,
        "/inscription",
        "/inscription",
        &[
            ("display_name", "Dominique Leroy"),
            ("email", "pas-une-adresse"),
            ("password", "motdepasse123"),
            ("age_bracket", "30-44"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Il y a un problème"), "error summary");
    assert!(r.body.contains("href=\"#email\"") && r.body.contains("href=\"#password\""));
    assert!(r.body.contains("trop facile à deviner"));
    assert!(r.body.contains("Cochez la case"), "age given without consent");
    assert!(r.body.contains("value=\"Dominique Leroy\"") && r.body.contains("value=\"pas-une-adresse\""));
    assert!(r.body.contains("<option value=\"30-44\" selected"));
    assert!(!r.body.contains("motdepasse123"), "a password is never sent back");
}

/// GOV.UK's pattern: a refused form's title starts with "Erreur : ", which a
/// screen reader announces first.
#[test]
fn a_refused_form_says_so_first_in_its_title() {
    let server = TestServer::start();
    let mut c = Client::new();
    assert_eq!(title_of(&c.get(&server.at("/inscription")).body), "Créer un compte – Testville", "no error yet");
    let fields = [("display_name", "Dominique Leroy"), ("email", "pas-une-adresse"), ("password", "x")];
    let r = post(&mut c, &server, "/inscription", "/inscription", &fields);
    assert_eq!(r.status, 422);
    assert_eq!(title_of(&r.body), "Erreur : Créer un compte – Testville");

    c.extra_headers.push(("accept-language".into(), "en".into()));
    let r = post(&mut c, &server, "/inscription", "/inscription", &fields);
    assert_eq!(r.status, 422);
    assert_eq!(title_of(&r.body), "Error: Create an account – Testville");
    c.extra_headers.clear();

    // Refused for too many attempts (429) too.
    for _ in 0..5 {
        let r = sign_in(&mut c, &server, "someone@example.test", "wrong password here");
        assert!(title_of(&r.body).starts_with("Erreur : "), "{}", title_of(&r.body));
    }
    let r = sign_in(&mut c, &server, "someone@example.test", "wrong password here");
    assert_eq!(r.status, 429);
    assert_eq!(title_of(&r.body), "Erreur : Se connecter – Testville");
}

#[test]
fn answers_never_tell_whether_an_address_has_an_account() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    sign_up_and_confirm(&mut c, &server, &mail, "known@example.test", "Known Person");

    let mut a = Client::new();
    let mut b = Client::new();
    // Sign-up with a taken address and with a new one: same redirect.
    let taken = post(
        &mut a,
        &server,
        "/inscription",
        "/inscription",
        &[("display_name", "X Y"), ("email", "known@example.test"), ("password", PASSWORD)],
    );
    let fresh = post(
        &mut b,
        &server,
        "/inscription",
        "/inscription",
        &[("display_name", "X Y"), ("email", "new@example.test"), ("password", PASSWORD)],
    );
    assert_eq!((taken.status, taken.header("location")), (fresh.status, fresh.header("location")));

    // Wrong password for a known address, any password for an unknown one: same page.
    let mut c = Client::new();
    let known = sign_in(&mut c, &server, "known@example.test", "not the right one at all");
    let unknown = sign_in(&mut c, &server, "nobody@example.test", "not the right one at all");
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body.replace("known@", "X@"), unknown.body.replace("nobody@", "X@"));

    // Password reset: same redirect and same next page.
    let known =
        post(&mut c, &server, "/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "known@example.test")]);
    let unknown =
        post(&mut c, &server, "/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "nobody@example.test")]);
    assert_eq!((known.status, known.header("location")), (unknown.status, unknown.header("location")));
    // Only the real account got a reset message.
    let reset = mail.nth_to("known@example.test", 2);
    assert!(link_in(&reset, "/mot-de-passe/nouveau?jeton=").contains("jeton="));
    assert_eq!(mail.count_to("nobody@example.test"), 0);
}

#[test]
fn password_reset_works_once_ends_sessions_and_does_not_sign_in() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    sign_up_and_confirm(&mut c, &server, &mail, "reset@example.test", "Reset Person");
    let mut other_device = Client::new();
    assert_eq!(sign_in(&mut other_device, &server, "reset@example.test", PASSWORD).status, 303);
    assert_eq!(other_device.get(&server.at("/compte")).status, 200);

    post(&mut c, &server, "/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "reset@example.test")]);
    let path = link_in(&mail.nth_to("reset@example.test", 2), "/mot-de-passe/nouveau?jeton=");
    let new_password = "un autre mot de passe assez long et rare";
    let r = post(
        &mut c,
        &server,
        &path,
        "/mot-de-passe/nouveau",
        &[("jeton", &token_of(&path)), ("password", new_password)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/connexion"), "a reset never signs in by itself");
    assert!(r.headers_named("set-cookie").iter().all(|h| !h.starts_with("parvis-session=")));
    assert_eq!(other_device.get(&server.at("/compte")).status, 303, "every session ended");
    let again = post(
        &mut c,
        &server,
        "/",
        "/mot-de-passe/nouveau",
        &[("jeton", &token_of(&path)), ("password", "encore un autre mot de passe tres long")],
    );
    assert_eq!(again.status, 410, "the link works once");
    assert_eq!(sign_in(&mut c, &server, "reset@example.test", PASSWORD).status, 422);
    assert_eq!(sign_in(&mut c, &server, "reset@example.test", new_password).status, 303);
    let notice = mail.nth_to("reset@example.test", 3);
    assert!(notice.body().contains("Reset Person"));
}

/// Security review (issue 10): a reset link asked for earlier, perhaps by an
/// intruder or lying in a mailbox someone else reads, must not undo the new
/// password once it is set.
#[test]
fn a_new_password_revokes_the_older_reset_links() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    sign_up_and_confirm(&mut c, &server, &mail, "twice@example.test", "Twice Person");
    for _ in 0..2 {
        post(&mut c, &server, "/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "twice@example.test")]);
    }
    let first = link_in(&mail.nth_to("twice@example.test", 2), "/mot-de-passe/nouveau?jeton=");
    let second = link_in(&mail.nth_to("twice@example.test", 3), "/mot-de-passe/nouveau?jeton=");
    let new_password = "un autre mot de passe assez long et rare";
    let r = post(
        &mut c,
        &server,
        &second,
        "/mot-de-passe/nouveau",
        &[("jeton", &token_of(&second)), ("password", new_password)],
    );
    assert_eq!(r.status, 303);
    let older = post(
        &mut c,
        &server,
        "/",
        "/mot-de-passe/nouveau",
        &[("jeton", &token_of(&first)), ("password", "le mot de passe de quelqu'un d'autre ici")],
    );
    assert_eq!(older.status, 410, "the older link died with the change");
    assert_eq!(sign_in(&mut c, &server, "twice@example.test", new_password).status, 303);
}

#[test]
fn sign_in_attempts_get_growing_delays_with_a_clear_message() {
    let server = TestServer::start();
    let mut c = Client::new();
    for _ in 0..5 {
        assert_eq!(sign_in(&mut c, &server, "someone@example.test", "wrong password here").status, 422);
    }
    let r = sign_in(&mut c, &server, "someone@example.test", "wrong password here");
    assert_eq!(r.status, 429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(r.body.contains("Trop de tentatives. Réessayez dans"));
    assert!(r.body.contains("value=\"someone@example.test\""), "the address typed is kept");
}

/// Creates a confirmed account directly, returns its id.
pub fn make_account(server: &TestServer, email: &str, role: accounts::Role) -> u64 {
    let hash = accounts::hash_password(PASSWORD).unwrap();
    let email = email.to_string();
    (server.write(move |tx| {
        accounts::create(
            tx,
            &accounts::NewAccount {
                email: email.clone(),
                display_name: "Test Person".into(),
                role,
                password_hash: hash.clone(),
                must_change_password: false,
                language: parvis::i18n::Lang::Fr,
                neighbourhood: None,
            },
        )
        .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    }))
    .get()
}

/// The base32 secret shown on the enrolment page, as bytes.
fn secret_on(page: &str) -> Vec<u8> {
    let start = page.find("class=\"secret\"><code>").unwrap() + "class=\"secret\"><code>".len();
    let end = start + page[start..].find("</code>").unwrap();
    let b32: String = page[start..end].chars().filter(|c| !c.is_whitespace()).collect();
    totp_rs::Secret::try_from_base32(&b32).unwrap().as_ref().to_vec()
}

#[test]
fn two_factor_enrolment_replay_and_recovery_codes() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    make_account(&server, "tfa@example.test", accounts::Role::Resident);
    let mut c = Client::new();
    assert_eq!(sign_in(&mut c, &server, "tfa@example.test", PASSWORD).status, 303);

    let r = post(&mut c, &server, "/compte/double-authentification", "/compte/double-authentification/commencer", &[]);
    assert_eq!(r.header("location"), Some("/compte/double-authentification/configurer"));
    let setup = c.get(&server.at("/compte/double-authentification/configurer"));
    assert!(setup.body.contains("<svg class=\"qr\""), "a QR code");
    let secret = secret_on(&setup.body);
    let now = now_unix();
    let code = two_factor::code_at(&secret, now).unwrap();
    let r = post(
        &mut c,
        &server,
        "/compte/double-authentification/configurer",
        "/compte/double-authentification/configurer",
        &[("code", &code)],
    );
    assert_eq!(r.status, 200);
    let codes: Vec<String> =
        r.body.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);
    // 25 characters from 31 symbols, about 124 bits (security review, issue 10: it was 10, about 50).
    assert!(codes.iter().all(|c| c.len() == 29 && c.split('-').all(|g| g.len() == 5)), "{codes:?}");
    assert!(mail.nth_to("tfa@example.test", 1).body().len() > 10, "told by mail");

    // Signing in now asks for a code after the password.
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    let r = sign_in(&mut c, &server, "tfa@example.test", PASSWORD);
    assert!(r.header("location").unwrap().starts_with("/connexion/code"));
    assert_eq!(c.get(&server.at("/compte")).status, 303, "nothing is open before the code");
    // The code that confirmed enrolment is from a used time step: refused.
    let r = post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &code)]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà servi"));
    // The next step's code works once.
    let next = two_factor::code_at(&secret, now + 30).unwrap();
    let r = post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &next), ("suivant", "/compte")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get(&server.at("/compte")).status, 200);
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    sign_in(&mut c, &server, "tfa@example.test", PASSWORD);
    let r = post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &next)]);
    assert_eq!(r.status, 422, "a replayed code is refused");

    // A recovery code works once.
    let r = post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &codes[0])]);
    assert_eq!(r.status, 303);
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    sign_in(&mut c, &server, "tfa@example.test", PASSWORD);
    let r = post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &codes[0])]);
    assert_eq!(r.status, 422, "a used recovery code is refused");
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn a_blocked_person_is_signed_out_at_once() {
    let server = TestServer::start();
    let id = make_account(&server, "blocked@example.test", accounts::Role::Resident);
    let mut c = Client::new();
    sign_in(&mut c, &server, "blocked@example.test", PASSWORD);
    assert_eq!(c.get(&server.at("/compte")).status, 200);
    server.write(move |tx| {
        accounts::update(tx, AccountId(id), |a| a.blocked = true)
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))?;
        sessions::revoke_all(tx, AccountId(id))
    });
    assert_eq!(c.get(&server.at("/compte")).status, 303);
    let r = sign_in(&mut c, &server, "blocked@example.test", PASSWORD);
    assert!(r.body.contains("Ce compte est bloqué"));
}

#[test]
fn changing_the_password_needs_a_recent_sign_in_and_ends_other_sessions() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = make_account(&server, "change@example.test", accounts::Role::Resident);
    let mut c = Client::new();
    let mut other = Client::new();
    sign_in(&mut c, &server, "change@example.test", PASSWORD);
    sign_in(&mut other, &server, "change@example.test", PASSWORD);
    let sessions_page = c.get(&server.at("/compte/sessions"));
    assert_eq!(sessions_page.body.matches("<tr>").count(), 3, "a header row and two sessions");

    // A sign-in older than ten minutes must be confirmed first.
    server.write(move |tx| {
        for (hash, _) in sessions::list_in(tx, AccountId(id))? {
            sessions::update(tx, &hash, |s| s.authenticated_at -= 3600)?;
        }
        Ok(())
    });
    let r = c.get(&server.at("/compte/mot-de-passe"));
    assert_eq!(r.header("location"), Some("/compte/confirmer-identite?suivant=%2Fcompte%2Fmot-de-passe"));
    let r = post(
        &mut c,
        &server,
        "/compte/confirmer-identite?suivant=/compte/mot-de-passe",
        "/compte/confirmer-identite",
        &[("password", PASSWORD), ("suivant", "/compte/mot-de-passe")],
    );
    assert_eq!(r.header("location"), Some("/compte/mot-de-passe"));
    let r = post(
        &mut c,
        &server,
        "/compte/mot-de-passe",
        "/compte/mot-de-passe",
        &[("current_password", PASSWORD), ("password", "une nouvelle phrase secrete du jardin")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(c.get(&server.at("/compte")).status, 200, "this browser stays signed in with a new session");
    assert_eq!(other.get(&server.at("/compte")).status, 303, "the other one is signed out");
    assert!(mail.nth_to("change@example.test", 1).body().contains("Test Person"));
}

#[test]
fn a_session_can_be_revoked_from_another_device_and_extended() {
    let server = TestServer::start();
    make_account(&server, "devices@example.test", accounts::Role::Resident);
    let mut laptop = Client::new();
    let mut phone = Client::new();
    phone.extra_headers.push(("user-agent".into(), "Mozilla/5.0 (Linux; Android 14) Firefox/130.0".into()));
    sign_in(&mut laptop, &server, "devices@example.test", PASSWORD);
    sign_in(&mut phone, &server, "devices@example.test", PASSWORD);
    let page = laptop.get(&server.at("/compte/sessions"));
    assert!(page.body.contains("Firefox · Android"));
    let r = post(&mut laptop, &server, "/compte/sessions", "/compte/sessions/revoquer", &[("session", "others")]);
    assert_eq!(r.status, 303);
    assert_eq!(phone.get(&server.at("/compte")).status, 303);
    assert_eq!(laptop.get(&server.at("/compte")).status, 200);

    let page = laptop.get(&server.at("/compte"));
    let token = hidden_field(&page.body, "_csrf").unwrap();
    laptop.extra_headers.push(("x-parvis-fetch".into(), "1".into()));
    let r = laptop.post_form(&server.at("/session/prolonger"), &[("_csrf", &token), ("next", "/compte")]);
    assert_eq!(r.status, 204);
}

#[test]
fn forms_without_a_valid_csrf_token_are_refused() {
    let server = TestServer::start();
    make_account(&server, "csrf@example.test", accounts::Role::Resident);
    let mut c = Client::new();
    c.get(&server.at("/connexion"));
    let r = c.post_form(&server.at("/connexion"), &[("email", "csrf@example.test"), ("password", PASSWORD)]);
    assert_eq!(r.status, 403);
    let r = c.post_form(
        &server.at("/connexion"),
        &[("email", "csrf@example.test"), ("password", PASSWORD), ("_csrf", "forged")],
    );
    assert_eq!(r.status, 403);
    assert!(r.headers_named("set-cookie").iter().all(|h| !h.starts_with("parvis-session=")));
}

#[test]
fn a_one_time_password_must_be_replaced_after_signing_in() {
    let server = TestServer::start();
    let id = make_account(&server, "first-admin@example.test", accounts::Role::Resident);
    server.write(move |tx| {
        accounts::update(tx, AccountId(id), |a| a.must_change_password = true)
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    let mut c = Client::new();
    let r = sign_in(&mut c, &server, "first-admin@example.test", PASSWORD);
    assert_eq!(r.header("location"), Some("/compte/mot-de-passe"));
    let page = c.get(&server.at("/compte/mot-de-passe"));
    assert!(page.body.contains("mot de passe à usage unique"));
    let r = post(
        &mut c,
        &server,
        "/compte/mot-de-passe",
        "/compte/mot-de-passe",
        &[("password", "ma propre phrase de passe bien longue")],
    );
    assert_eq!(r.status, 303);
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    assert_eq!(
        sign_in(&mut c, &server, "first-admin@example.test", "ma propre phrase de passe bien longue")
            .header("location"),
        Some("/compte")
    );
}
