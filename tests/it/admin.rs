//! The back office over real HTTP: role checks, roles and blocks, staff
//! invitations with a real SMTP conversation, the audit log and its filters,
//! and `parvis admin` run as the real binary.

use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::{self, Action, Event, Filter};
use parvis::domain::{now_unix, sessions, two_factor};
use parvis::mail::{outbox, Template};
use parvis::store::{Store, StoreError};
use parvis::web::admin::BACK_OFFICE_PAGES;

use crate::accounts::{link_in, post, Mailbox};
use crate::support::{Client, Resp, TestServer};
use parvis::domain::ids::AccountId;

pub const PASSWORD: &str = "le heron guette la truite sous le vieux pont";

/// Someone created for a test, with their authenticator's secret if enrolled.
pub struct Person {
    pub id: u64,
    pub email: String,
    pub secret: Option<Vec<u8>>,
}

fn store_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// Creates a confirmed account in `tx` (known password), enrolled in
/// two-factor when asked, as a person who did it over the web would be.
pub fn create_person(
    tx: &parvis::store::WriteTx,
    keys: &parvis::crypto::Keys,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
    enrol: bool,
) -> Result<Person, StoreError> {
    let new = accounts::NewAccount {
        email: email.into(),
        display_name: name.into(),
        role,
        password_hash: hash.into(),
        must_change_password: false,
        language: parvis::i18n::Lang::Fr,
        neighbourhood: None,
    };
    let id = accounts::create(tx, &new).map_err(store_err)?;
    let secret = if enrol {
        let now = now_unix();
        let secret = two_factor::begin_enrolment(tx, keys, id, now)?;
        let code = two_factor::code_at(&secret, now).map_err(store_err)?;
        two_factor::confirm_enrolment(tx, keys, id, &code, now).map_err(store_err)?;
        Some(secret)
    } else {
        None
    };
    Ok(Person { id: id.get(), email: email.into(), secret })
}

/// [`create_person`] through the running server's writer.
pub fn make_person(server: &TestServer, email: &str, name: &str, role: Role, enrol: bool) -> Person {
    let hash = password_hash();
    let (email, name) = (email.to_string(), name.to_string());
    let keys = server.state().store.keys().clone();
    server.write(move |tx| create_person(tx, &keys, &email, &name, role, &hash, enrol))
}

/// The hash of [`PASSWORD`], computed once (argon2 is slow on purpose).
pub fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| accounts::hash_password(PASSWORD).unwrap()).clone()
}

/// Signs in over HTTP with the password, then, when enrolled, with the code
/// of the next time step (the enrolment used the current one).
pub fn sign_in(c: &mut Client, server: &TestServer, person: &Person) {
    let r = post(c, server, "/connexion", "/connexion", &[("email", &person.email), ("password", PASSWORD)]);
    assert_eq!(r.status, 303, "{}", r.body);
    if let Some(secret) = &person.secret {
        assert!(r.header("location").unwrap().starts_with("/connexion/code"));
        let code = two_factor::code_at(secret, now_unix() + 30).unwrap();
        let r = post(c, server, "/connexion/code", "/connexion/code", &[("code", &code)]);
        assert_eq!(r.status, 303, "{}", r.body);
    }
}

pub fn events(server: &TestServer) -> Vec<Event> {
    let tx = server.state().store.read().unwrap();
    audit::list(&tx, &Filter::default(), None, usize::MAX).unwrap().into_iter().map(|(_, e)| e).collect()
}

fn events_of(server: &TestServer, action: Action) -> Vec<Event> {
    events(server).into_iter().filter(|e| e.action == action).collect()
}

fn location(r: &Resp) -> &str {
    r.header("location").unwrap_or("")
}

#[test]
fn back_office_pages_refuse_residents_and_ask_for_two_factor_first() {
    let server = TestServer::start();
    let resident = make_person(&server, "resident@example.test", "Camille", Role::Resident, false);
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, false);
    let staff = make_person(&server, "staff@example.test", "Sam Staff", Role::Staff, false);

    let mut anonymous = Client::new();
    for path in BACK_OFFICE_PAGES {
        let r = anonymous.get(&server.at(path));
        assert_eq!(r.status, 303, "{path}");
        assert!(location(&r).starts_with("/connexion?suivant="), "{path}: {}", location(&r));
    }

    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    for path in BACK_OFFICE_PAGES.iter().copied().chain(["/admin/comptes/1"]) {
        let r = c.get(&server.at(path));
        assert_eq!(r.status, 403, "{path}");
    }
    assert!(!c.get(&server.at("/compte")).body.contains("href=\"/admin\""), "no back-office link for residents");

    let mut c = Client::new();
    sign_in(&mut c, &server, &admin);
    for path in BACK_OFFICE_PAGES {
        let r = c.get(&server.at(path));
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(location(&r), "/compte/double-authentification", "{path}");
    }

    // Staff reach the back office's home (after enrolling), not the admin pages.
    let mut c = Client::new();
    sign_in(&mut c, &server, &staff);
    assert_eq!(location(&c.get(&server.at("/admin"))), "/compte/double-authentification");
    let enrolled = make_person(&server, "staff2@example.test", "Dominique", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &enrolled);
    let home = c.get(&server.at("/admin"));
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/admin\""), "the header links to the back office");
    assert!(!home.body.contains("href=\"/admin/comptes\""), "staff see no admin tools");
    assert_eq!(c.get(&server.at("/admin/comptes")).status, 403);
}

#[test]
fn an_admin_changes_roles_and_blocks_a_signed_in_person_at_once() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let resident = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let mut camille = Client::new();
    sign_in(&mut camille, &server, &resident);
    assert_eq!(camille.get(&server.at("/compte")).status, 200);

    let home = a.get(&server.at("/admin"));
    assert!(home.body.contains("href=\"/admin/comptes\"") && home.body.contains("href=\"/admin/journal\""));
    let list = a.get(&server.at("/admin/comptes?q=CAMILLE"));
    assert!(list.body.contains("camille@example.test") && !list.body.contains("admin@example.test"));
    let page_path = format!("/admin/comptes/{}", resident.id);
    let page = a.get(&server.at(&page_path));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("argon2"), "never the password hash");

    let r =
        post(&mut a, &server, &page_path, &format!("{page_path}/role"), &[("role", "staff"), ("service", "voirie")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), page_path);
    let changed = events_of(&server, Action::RoleChanged);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].detail, "role: resident → staff; service: — → voirie");
    assert_eq!(
        (changed[0].actor.map(|a| a.get()), changed[0].subject.map(|a| a.get())),
        (Some(admin.id), Some(resident.id))
    );
    let tx = server.state().store.read().unwrap();
    let now_staff = accounts::get(&tx, AccountId(resident.id)).unwrap().unwrap();
    drop(tx);
    assert_eq!((now_staff.role, now_staff.service.as_deref()), (Role::Staff, Some("voirie")));
    // The same form again changes nothing and records nothing.
    post(&mut a, &server, &page_path, &format!("{page_path}/role"), &[("role", "staff"), ("service", "voirie")]);
    assert_eq!(events_of(&server, Action::RoleChanged).len(), 1);

    // An admin cannot demote or block themselves.
    let own = format!("/admin/comptes/{}", admin.id);
    let r = post(&mut a, &server, &own, &format!("{own}/role"), &[("role", "staff"), ("service", "")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Vous ne pouvez ni abaisser votre propre rôle"), "{}", r.body);
    let r = post(&mut a, &server, &own, &format!("{own}/bloquer"), &[]);
    assert_eq!(r.status, 422);
    let tx = server.state().store.read().unwrap();
    let me = accounts::get(&tx, AccountId(admin.id)).unwrap().unwrap();
    drop(tx);
    assert!(me.role == Role::Admin && !me.blocked);

    // Blocking ends the person's sessions at once and tells them.
    let r = post(&mut a, &server, &page_path, &format!("{page_path}/bloquer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = camille.get(&server.at("/compte"));
    assert_eq!(r.status, 303, "signed out at once");
    assert!(location(&r).starts_with("/connexion"));
    let blocked = events_of(&server, Action::AccountBlocked);
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].detail, "1 session(s) ended");
    let message = mail.nth_to("camille@example.test", 1);
    assert!(message.body().contains("Camille Martin"), "{}", message.body());
    let r = post(
        &mut camille,
        &server,
        "/connexion",
        "/connexion",
        &[("email", "camille@example.test"), ("password", PASSWORD)],
    );
    assert!(r.body.contains("Ce compte est bloqué"));
    assert!(a.get(&server.at(&page_path)).body.contains("Débloquer ce compte"));

    let r = post(&mut a, &server, &page_path, &format!("{page_path}/debloquer"), &[]);
    assert_eq!(r.status, 303);
    assert_eq!(events_of(&server, Action::AccountUnblocked).len(), 1);
    // Staff now: the role requires two-factor before the back office.
    let r = post(
        &mut camille,
        &server,
        "/connexion",
        "/connexion",
        &[("email", "camille@example.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(location(&camille.get(&server.at("/admin"))), "/compte/double-authentification");
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn the_accounts_list_is_paginated_and_filtered_by_role() {
    let server = TestServer::start();
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    server.write(|tx| {
        for i in 0..120 {
            let role = if i % 40 == 0 { Role::Moderator } else { Role::Resident };
            let new = accounts::NewAccount {
                email: format!("habitant{i:03}@example.test"),
                display_name: format!("Habitant {i:03}"),
                role,
                password_hash: "x".into(),
                must_change_password: false,
                language: parvis::i18n::Lang::Fr,
                neighbourhood: None,
            };
            accounts::create(tx, &new).map_err(store_err)?;
        }
        Ok(())
    });
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let rows = |r: &Resp| r.body.matches("<th scope=\"row\">").count();
    let first = a.get(&server.at("/admin/comptes"));
    assert_eq!(rows(&first), 50);
    assert!(first.body.contains("Habitant 119") && !first.body.contains("Habitant 069"), "newest first");
    let next = first.body.split("href=\"/admin/comptes?avant=").nth(1).expect("a next page").split('"').next().unwrap();
    let second = a.get(&server.at(&format!("/admin/comptes?avant={next}")));
    assert_eq!(rows(&second), 50);
    assert!(second.body.contains("Habitant 069") && !second.body.contains("Habitant 119"));
    let next = second.body.split("href=\"/admin/comptes?avant=").nth(1).unwrap().split('"').next().unwrap();
    let third = a.get(&server.at(&format!("/admin/comptes?avant={next}")));
    assert_eq!(rows(&third), 21, "the last 20 residents and the admin");
    assert!(!third.body.contains("?avant="), "no page after the last");

    let moderators = a.get(&server.at("/admin/comptes?role=moderator"));
    assert_eq!(rows(&moderators), 3);
    let search = a.get(&server.at("/admin/comptes?q=habitant+04"));
    assert_eq!(rows(&search), 10);
    assert_eq!(rows(&a.get(&server.at("/admin/comptes?q=personne"))), 0);
}

#[test]
fn an_invitation_leads_from_the_form_to_a_staff_member_enrolling_in_two_factor() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    make_person(&server, "resident@example.test", "Camille", Role::Resident, false);
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);

    // An address with an account is not invited: its role changes from its page.
    let r = post(
        &mut a,
        &server,
        "/admin/invitations",
        "/admin/invitations",
        &[("email", "resident@example.test"), ("display_name", "Camille"), ("role", "staff"), ("service", "")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cette adresse a déjà un compte"));
    assert!(r.body.contains("value=\"resident@example.test\""), "what was typed is kept");
    let r = post(
        &mut a,
        &server,
        "/admin/invitations",
        "/admin/invitations",
        &[("email", "pas une adresse"), ("display_name", "C"), ("role", "resident"), ("service", "")],
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body.matches("<li><a href=\"#").count(), 3, "three errors in the summary: {}", r.body);

    let r = post(
        &mut a,
        &server,
        "/admin/invitations",
        "/admin/invitations",
        &[
            ("email", "Claire.Dubois@Example.test"),
            ("display_name", "Service espaces verts"),
            ("role", "staff"),
            ("service", "espaces verts"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(location(&r).starts_with("/admin/comptes/"));
    let invited = events_of(&server, Action::StaffInvited);
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].detail, "role: staff; service: espaces verts");
    let id = invited[0].subject.unwrap();

    let message = mail.nth_to("claire.dubois@example.test", 1);
    assert!(message.body().contains("Alex Admin"), "{}", message.body());
    let path = link_in(&message, "/invitation?jeton=");
    let token = path.split("jeton=").nth(1).unwrap().to_string();
    // Before the link is followed, the account cannot be used.
    let tx = server.state().store.read().unwrap();
    let before = accounts::get(&tx, id).unwrap().unwrap();
    drop(tx);
    assert!(!before.email_confirmed && before.must_change_password);
    assert_eq!(before.service.as_deref(), Some("espaces verts"));

    let mut claire = Client::new();
    let form = claire.get(&server.at(&path));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"Service espaces verts\""));
    let r = post(
        &mut claire,
        &server,
        &path,
        "/invitation",
        &[("jeton", &token), ("display_name", "Claire Dubois"), ("password", "azertyuiop")],
    );
    assert_eq!(r.status, 422, "a guessable password is refused");
    let new_password = "les tilleuls du square fleurissent en juin";
    let r = post(
        &mut claire,
        &server,
        &path,
        "/invitation",
        &[("jeton", &token), ("display_name", "Claire Dubois"), ("password", new_password)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), "/connexion");
    assert_eq!(events_of(&server, Action::InvitationAccepted).len(), 1);
    assert_eq!(claire.get(&server.at(&path)).status, 410, "the link works once");

    let r = post(
        &mut claire,
        &server,
        "/connexion",
        "/connexion",
        &[("email", "claire.dubois@example.test"), ("password", new_password)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = claire.get(&server.at("/admin"));
    assert_eq!(location(&r), "/compte/double-authentification", "enrolment comes first");
    let tx = server.state().store.read().unwrap();
    let after = accounts::get(&tx, id).unwrap().unwrap();
    drop(tx);
    assert!(after.email_confirmed && !after.must_change_password && after.role == Role::Staff);
    assert_eq!(after.display_name, "Claire Dubois");
    assert!(server.state().store.verify().unwrap().is_ok());
}

/// An event at a given time, recorded directly (the log's dates are the point).
fn past(at: i64, action: Action, subject: Option<u64>, detail: &str) -> Event {
    Event {
        at,
        action,
        actor: subject.map(AccountId),
        subject: subject.map(AccountId),
        ip: "192.0.2.7".into(),
        detail: detail.into(),
    }
}

#[test]
fn the_audit_log_filters_by_action_account_and_dates_and_pages() {
    let server = TestServer::start();
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let other = make_person(&server, "other@example.test", "Dominique", Role::Resident, false);
    // 2025-03-01 12:00 and 2025-03-02 12:00, Paris time (UTC+1).
    let (march_1, march_2) = (1_740_826_800, 1_740_913_200);
    let (c, o) = (camille.id, other.id);
    server.write(move |tx| {
        audit::record(tx, &past(march_1, Action::SignIn, Some(c), "march-1-camille"))?;
        audit::record(tx, &past(march_1 + 60, Action::SignIn, Some(o), "march-1-other"))?;
        audit::record(tx, &past(march_2, Action::PasswordChanged, Some(c), "march-2-camille"))?;
        for i in 0..60 {
            audit::record(tx, &past(march_2 + 100 + i, Action::SignInFailed, Some(o), &format!("bulk-{i:02}")))?;
        }
        Ok(())
    });
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);

    let all = a.get(&server.at("/admin/journal"));
    assert_eq!(all.status, 200);
    assert!(all.body.contains("<caption>"), "the table has a caption");
    assert!(all.body.contains("Connexion refusée") && all.body.contains("192.0.2.7"));
    let rows = |r: &Resp| r.body.matches("<tr><td><time").count();
    assert_eq!(rows(&all), 50);
    let older = all.body.split("href=\"/admin/journal?avant=").nth(1).expect("older events").split('"').next().unwrap();
    let page2 = a.get(&server.at(&format!("/admin/journal?avant={older}")));
    assert!(page2.body.contains("march-1-camille"));
    assert!(!page2.body.contains("bulk-59"), "the newest are on the first page");

    let by_action = a.get(&server.at("/admin/journal?action=password-changed"));
    assert_eq!(rows(&by_action), 1);
    assert!(by_action.body.contains("march-2-camille"));

    let by_account = a.get(&server.at("/admin/journal?compte=Camille%40example.test"));
    assert_eq!(rows(&by_account), 2);
    assert!(by_account.body.contains(&format!("href=\"/admin/comptes/{c}\"")));
    assert!(!by_account.body.contains("march-1-other"));

    let one_day = a.get(&server.at("/admin/journal?du=2025-03-01&au=2025-03-01"));
    assert_eq!(rows(&one_day), 2);
    assert!(one_day.body.contains("march-1-other") && !one_day.body.contains("march-2-camille"));
    let combined = a.get(&server.at(&format!("/admin/journal?id={o}&action=sign-in-failed&du=2025-03-02")));
    assert_eq!(rows(&combined), 50);
    assert!(combined.body.contains("value=\"other@example.test\""), "the account chosen by id is shown by address");
    let kept = format!("/admin/journal?action=sign-in-failed&amp;id={o}&amp;du=2025-03-02&amp;avant=");
    assert!(combined.body.contains(&kept), "filters are kept when paging");

    let unknown = a.get(&server.at("/admin/journal?compte=nobody%40example.test"));
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("utilise cette adresse"));
    let reversed = a.get(&server.at("/admin/journal?du=2025-03-02&au=2025-03-01"));
    assert_eq!(reversed.status, 422);
    assert_eq!(a.get(&server.at("/admin/journal?du=mars")).status, 422);

    // Reading the log is not logged.
    let before = events(&server).len();
    a.get(&server.at("/admin/journal"));
    assert_eq!(events(&server).len(), before);
}

#[test]
fn no_event_ever_holds_a_password_token_or_code() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let mut secrets: Vec<String> = vec![PASSWORD.into()];

    // Sign-up, confirmation, a failed sign-in with a typed password.
    let mut c = Client::new();
    let sign_up_password = "le chat de la boulangere dort au soleil";
    secrets.push(sign_up_password.into());
    post(
        &mut c,
        &server,
        "/inscription",
        "/inscription",
        &[("display_name", "Sacha"), ("email", "sacha@example.test"), ("password", sign_up_password)],
    );
    let confirm = link_in(&mail.nth_to("sacha@example.test", 1), "/compte/confirmer?jeton=");
    let token = confirm.split("jeton=").nth(1).unwrap().to_string();
    secrets.push(token.clone());
    post(&mut c, &server, &confirm, "/compte/confirmer", &[("jeton", &token)]);
    let wrong = "un mauvais mot de passe tape par erreur";
    secrets.push(wrong.into());
    post(&mut c, &server, "/connexion", "/connexion", &[("email", "sacha@example.test"), ("password", wrong)]);

    // Password reset.
    post(&mut c, &server, "/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", "sacha@example.test")]);
    let reset = link_in(&mail.nth_to("sacha@example.test", 2), "/mot-de-passe/nouveau?jeton=");
    let token = reset.split("jeton=").nth(1).unwrap().to_string();
    secrets.push(token.clone());
    let new_password = "la riviere deborde chaque printemps au moulin";
    secrets.push(new_password.into());
    post(&mut c, &server, &reset, "/mot-de-passe/nouveau", &[("jeton", &token), ("password", new_password)]);

    // Two-factor enrolment over the web, then a sign-in with a code and a recovery code.
    post(&mut c, &server, "/connexion", "/connexion", &[("email", "sacha@example.test"), ("password", new_password)]);
    post(&mut c, &server, "/compte/double-authentification", "/compte/double-authentification/commencer", &[]);
    let sacha = accounts::find_by_email(&server.state().store.read().unwrap(), "sacha@example.test").unwrap().unwrap();
    let secret =
        two_factor::pending_secret(&server.state().store.read().unwrap(), server.state().store.keys(), sacha.id)
            .unwrap()
            .unwrap();
    secrets.push(totp_rs::Secret::from(secret.clone()).to_base32());
    let now = now_unix();
    let code = two_factor::code_at(&secret, now).unwrap();
    let r = post(
        &mut c,
        &server,
        "/compte/double-authentification/configurer",
        "/compte/double-authentification/configurer",
        &[("code", &code)],
    );
    let recovery: Vec<String> =
        r.body.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    secrets.extend(recovery.iter().cloned());
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    post(&mut c, &server, "/connexion", "/connexion", &[("email", "sacha@example.test"), ("password", new_password)]);
    let next = two_factor::code_at(&secret, now + 30).unwrap();
    post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", "123456")]);
    post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &next)]);
    post(&mut c, &server, "/compte", "/deconnexion", &[]);
    post(&mut c, &server, "/connexion", "/connexion", &[("email", "sacha@example.test"), ("password", new_password)]);
    post(&mut c, &server, "/connexion/code", "/connexion/code", &[("code", &recovery[0])]);

    // An invitation, accepted.
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    post(
        &mut a,
        &server,
        "/admin/invitations",
        "/admin/invitations",
        &[("email", "agent@example.test"), ("display_name", "Agent"), ("role", "moderator"), ("service", "")],
    );
    let invitation = link_in(&mail.nth_to("agent@example.test", 1), "/invitation?jeton=");
    let token = invitation.split("jeton=").nth(1).unwrap().to_string();
    secrets.push(token.clone());
    let agent_password = "les hirondelles reviennent sur le clocher";
    secrets.push(agent_password.into());
    let r = post(
        &mut Client::new(),
        &server,
        &invitation,
        "/invitation",
        &[("jeton", &token), ("display_name", "Agent"), ("password", agent_password)],
    );
    assert_eq!(r.status, 303);

    let all = events(&server);
    for action in [
        Action::SignUp,
        Action::EmailConfirmed,
        Action::SignInFailed,
        Action::PasswordReset,
        Action::TwoFactorEnabled,
        Action::TwoFactorFailed,
        Action::RecoveryCodeUsed,
        Action::StaffInvited,
        Action::InvitationAccepted,
    ] {
        assert!(all.iter().any(|e| e.action == action), "the flows recorded {action:?}");
    }
    let codes = [code, next];
    for e in &all {
        for s in secrets.iter().chain(codes.iter()) {
            let lower = s.to_lowercase();
            for field in [&e.detail, &e.ip] {
                assert!(!field.to_lowercase().contains(&lower), "event {e:?} holds the secret {s:?}");
            }
        }
        assert!(!e.detail.contains("$argon2"), "no password hash in {e:?}");
    }
}

// ---------------------------------------------------------------- the command line

/// A data directory with an admin enrolled in two-factor and signed in
/// somewhere; the store is closed so that the command can open it.
fn prepared_data_dir() -> (tempfile::TempDir, u64) {
    let dir = tempfile::tempdir().unwrap();
    // The key file the command finds in the data directory (no configuration).
    let keys = std::sync::Arc::new(parvis::crypto::Keys::create_file(&dir.path().join("parvis.key")).unwrap());
    let store = Store::open_keyed(&dir.path().join("parvis.redb"), 8, keys.clone()).unwrap();
    let hash = password_hash();
    let id = store
        .writer()
        .write_blocking(move |tx| {
            let admin = create_person(tx, &keys, "admin@example.test", "Alex Admin", Role::Admin, &hash, true)?;
            create_person(tx, &keys, "other@example.test", "Autre", Role::Admin, &hash, false)?;
            let now = now_unix();
            let session = sessions::Session {
                account: AccountId(admin.id),
                created_at: now,
                last_seen_at: now,
                two_factor_pending: false,
                authenticated_at: now,
                device: "Firefox".into(),
                ip: "192.0.2.1".into(),
            };
            sessions::create(tx, "a-session-token", &session)?;
            Ok::<_, StoreError>(admin.id)
        })
        .unwrap();
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    drop(store);
    (dir, id)
}

#[test]
fn parvis_admin_reset_2fa_turns_it_off_signs_out_tells_and_audits() {
    let (dir, id) = prepared_data_dir();
    let data_dir = dir.path().display().to_string();
    let cwd = tempfile::tempdir().unwrap();

    let (code, out, err) =
        crate::cli::run(crate::cli::parvis(cwd.path()).args(["admin", "list-admins", "--data-dir", &data_dir]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("admin@example.test") && out.contains("2FA on"), "{out}");
    assert!(out.contains("other@example.test") && out.contains("2FA off"), "{out}");

    let (code, out, err) = crate::cli::run(crate::cli::parvis(cwd.path()).args([
        "admin",
        "reset-2fa",
        "Admin@Example.test",
        "--data-dir",
        &data_dir,
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("is turned off") && out.contains("1 session(s) ended"), "{out}");

    let store = crate::backup::open_with_key(&dir.path().join("parvis.redb"), &dir.path().join("parvis.key"));
    let tx = store.read().unwrap();
    assert!(!two_factor::is_enabled(&tx, AccountId(id)).unwrap());
    assert_eq!(two_factor::recovery_codes_left(&tx, AccountId(id)).unwrap(), 0);
    let life = sessions::Lifetime { idle_secs: 1 << 40, absolute_secs: 1 << 40 };
    assert!(sessions::list(&tx, AccountId(id), life, now_unix()).unwrap().is_empty());
    let log: Vec<Event> =
        audit::list(&tx, &Filter::default(), None, 100).unwrap().into_iter().map(|(_, e)| e).collect();
    let cli = log.iter().find(|e| e.action == Action::CommandLine).expect("a command-line event");
    assert_eq!((cli.ip.as_str(), cli.subject.map(|a| a.get())), ("cli", Some(id)));
    let off = log.iter().find(|e| e.action == Action::TwoFactorDisabled).expect("a 2FA event");
    assert_eq!((off.ip.as_str(), off.detail.as_str()), ("cli", "2FA reset from the command line"));
    let mail = outbox::recent(&tx, store.keys(), 10, "Testville").unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "admin@example.test");
    let queued = outbox::get(&tx, store.keys(), mail[0].id).unwrap().unwrap();
    assert!(matches!(queued.template, Template::TwoFactorChanged { enabled: false, .. }));
    drop(tx);
    assert!(store.verify().unwrap().is_ok());

    // While the database is open (a running server), the command refuses and says why.
    let (code, _, err) = crate::cli::run(crate::cli::parvis(cwd.path()).args([
        "admin",
        "reset-2fa",
        "admin@example.test",
        "--data-dir",
        &data_dir,
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("in use by another Parvis process"), "{err}");
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    drop(store);

    let (code, out, _) = crate::cli::run(crate::cli::parvis(cwd.path()).args([
        "admin",
        "reset-2fa",
        "admin@example.test",
        "--data-dir",
        &data_dir,
    ]));
    assert_eq!(code, 0);
    assert!(out.contains("nothing was changed"), "{out}");
    let (code, _, err) = crate::cli::run(crate::cli::parvis(cwd.path()).args([
        "admin",
        "reset-2fa",
        "nobody@example.test",
        "--data-dir",
        &data_dir,
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("no account uses the address nobody@example.test"), "{err}");
}
