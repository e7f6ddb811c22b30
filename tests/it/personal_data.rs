//! The person's own data over real HTTP: the "mes données" page and file hold
//! theirs and nobody else's; deleting the account erases it at once, keeps the
//! database consistent, and is refused to the last administrator.

use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::Action;
use parvis::domain::sessions;
use parvis::mail::{outbox, NewMail, Template};

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in, PASSWORD};
use crate::support::{Client, TestServer};

fn blocked_mail(to: &str, name: &str) -> NewMail {
    NewMail { to: to.into(), lang: "fr".into(), template: Template::AccountBlocked { name: name.into() } }
}

#[test]
fn my_data_page_and_file_hold_my_data_and_nobody_elses() {
    let server = TestServer::start();
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let other = make_person(&server, "dominique@example.test", "Dominique Petit", Role::Resident, false);
    let (cid, oid) = (camille.id, other.id);
    server.write(move |tx| {
        accounts::update(tx, cid, |a| a.age_bracket = Some("30-44".into()))
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))?;
        outbox::enqueue(tx, blocked_mail("camille@example.test", "Camille Martin"))?;
        outbox::enqueue(tx, blocked_mail("dominique@example.test", "Dominique Petit"))?;
        Ok(())
    });
    let mut d = Client::new();
    sign_in(&mut d, &server, &other);
    let mut c = Client::new();
    c.extra_headers.push(("user-agent".into(), "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0".into()));
    sign_in(&mut c, &server, &camille);

    let page = c.get(&server.at("/compte/mes-donnees"));
    assert_eq!(page.status, 200);
    for expected in
        ["camille@example.test", "Camille Martin", "30 à 44 ans", "Firefox · Linux", "Connexion", "Mes données"]
    {
        assert!(page.body.contains(expected), "{expected} in the page");
    }
    assert!(page.body.contains("href=\"/compte/mes-donnees.json\""));
    assert!(page.body.contains("href=\"/compte/supprimer\""));
    assert!(!page.body.contains("dominique") && !page.body.contains("Dominique"), "nobody else's data");
    assert!(!page.body.contains("argon2"), "never the password hash");

    let file = c.get(&server.at("/compte/mes-donnees.json"));
    assert_eq!(file.status, 200);
    assert!(file.header("content-type").unwrap().starts_with("application/json"));
    assert!(file.header("content-disposition").unwrap().starts_with("attachment"));
    assert!(!file.body.to_lowercase().contains("dominique") && !file.body.contains("argon2"));
    let json: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    assert_eq!(json["account"]["id"], cid);
    assert_eq!(json["account"]["email"], "camille@example.test");
    assert_eq!(json["account"]["age_bracket"], "30-44");
    assert_eq!(json["two_factor"]["enabled"], false);
    assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
    let actions: Vec<&str> = json["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"sign-in"), "{actions:?}");
    assert!(json["events"].as_array().unwrap().iter().all(|e| e["by"] == "you"));
    let mail = json["mail"].as_array().unwrap();
    assert_eq!(mail.len(), 1, "only the mail sent to this person: {mail:?}");
    assert_eq!(mail[0]["state"], "pending");

    let exported = events(&server).into_iter().filter(|e| e.action == Action::DataExported).collect::<Vec<_>>();
    assert_eq!(exported.len(), 1, "the download is audited");
    assert_eq!((exported[0].actor, exported[0].subject), (Some(cid), Some(cid)));
    assert_ne!(cid, oid);
    assert_eq!(Client::new().get(&server.at("/compte/mes-donnees.json")).status, 303, "signed-in people only");
}

#[test]
fn deleting_my_account_erases_it_after_reauthentication() {
    let server = TestServer::start();
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let id = camille.id;
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    let mut phone = Client::new();
    sign_in(&mut phone, &server, &camille);
    let count_before = accounts::count(&server.state().store.read().unwrap()).unwrap();

    let page = c.get(&server.at("/compte/supprimer"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Participant supprimé"), "the page says what is kept");
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[]);
    assert_eq!(r.status, 422, "the box must be ticked");
    assert!(r.body.contains("Cochez la case"));

    // A sign-in older than ten minutes must be confirmed first.
    server.write(move |tx| {
        for (hash, _) in sessions::list_in(tx, id)? {
            sessions::update(tx, &hash, |s| s.authenticated_at -= 3600)?;
        }
        Ok(())
    });
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/compte/confirmer-identite?suivant=%2Fcompte%2Fsupprimer"));
    assert!(accounts::get(&server.state().store.read().unwrap(), id).unwrap().unwrap().erased_at.is_none());
    let r = post(
        &mut c,
        &server,
        "/compte/confirmer-identite?suivant=/compte/supprimer",
        "/compte/confirmer-identite",
        &[("password", PASSWORD), ("suivant", "/compte/supprimer")],
    );
    assert_eq!(r.header("location"), Some("/compte/supprimer"));
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/"));

    // Gone at once, everywhere; the address no longer signs in.
    assert_eq!(c.get(&server.at("/compte")).status, 303);
    assert_eq!(phone.get(&server.at("/compte")).status, 303);
    let r = post(
        &mut Client::new(),
        &server,
        "/connexion",
        "/connexion",
        &[("email", "camille@example.test"), ("password", PASSWORD)],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("adresse électronique ou le mot de passe est incorrect"));

    let tx = server.state().store.read().unwrap();
    let tomb = accounts::get(&tx, id).unwrap().unwrap();
    assert!(tomb.erased_at.is_some() && tomb.email.is_empty() && tomb.display_name.is_empty());
    assert!(tomb.password_hash.is_empty());
    assert!(accounts::find_by_email(&tx, "camille@example.test").unwrap().is_none());
    assert_eq!(accounts::count(&tx).unwrap(), count_before - 1);
    drop(tx);
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let deleted: Vec<_> = events(&server).into_iter().filter(|e| e.action == Action::AccountDeleted).collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].subject, Some(id));

    // The back office shows the tombstone as "Participant supprimé".
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let log = a.get(&server.at("/admin/journal?action=account-deleted"));
    assert!(log.body.contains("Participant supprimé"), "{}", log.body);
    let page = a.get(&server.at(&format!("/admin/comptes/{id}")));
    assert!(page.body.contains("Participant supprimé") && !page.body.contains("/bloquer"));
    assert!(!a.get(&server.at("/admin/comptes")).body.contains(&format!("/admin/comptes/{id}\"")), "not listed");

    // The address is free again.
    let again = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    assert_ne!(again.id, id);
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn the_last_administrator_cannot_delete_their_account() {
    let server = TestServer::start();
    let admin = make_person(&server, "admin@example.test", "Alex Admin", Role::Admin, true);
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let r = post(&mut a, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("dernier administrateur"), "{}", r.body);
    assert!(accounts::get(&server.state().store.read().unwrap(), admin.id).unwrap().unwrap().erased_at.is_none());

    make_person(&server, "second@example.test", "Second Admin", Role::Admin, false);
    let r = post(&mut a, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303);
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn deleting_my_account_cancels_the_mail_still_waiting_for_me() {
    let server = TestServer::start();
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    make_person(&server, "dominique@example.test", "Dominique Petit", Role::Resident, false);
    let (mine, upper, others) = server.write(move |tx| {
        let mine = outbox::enqueue(tx, blocked_mail("camille@example.test", "Camille Martin"))?;
        let upper = outbox::enqueue(tx, blocked_mail("Camille@Example.test", "Camille Martin"))?;
        let others = outbox::enqueue(tx, blocked_mail("dominique@example.test", "Dominique Petit"))?;
        Ok((mine, upper, others))
    });
    let sent = server.write(move |tx| {
        let id = outbox::enqueue(tx, blocked_mail("camille@example.test", "Camille Martin"))?;
        outbox::mark_sent(tx, id, parvis::domain::now_unix())?;
        Ok(id)
    });
    let mut c = Client::new();
    sign_in(&mut c, &server, &camille);
    // An address change waiting for confirmation: its link goes to the new address.
    let r = post(&mut c, &server, "/compte/courriel", "/compte/courriel", &[("email", "camille.new@example.test")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let to_new = {
        let tx = server.state().store.read().unwrap();
        let views = outbox::recent(&tx, usize::MAX, "Testville").unwrap();
        views.iter().find(|m| m.to == "camille.new@example.test").map(|m| m.id).expect("the confirmation link")
    };

    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);

    let tx = server.state().store.read().unwrap();
    for (id, what) in [(mine, "pending mail"), (upper, "another case"), (to_new, "the new address's link")] {
        assert!(outbox::get(&tx, id).unwrap().is_none(), "{what} is cancelled");
    }
    assert!(outbox::get(&tx, others).unwrap().is_some(), "somebody else's mail still goes");
    assert!(outbox::get(&tx, sent).unwrap().is_some(), "sent mail waits for the usual purge");
    assert_eq!(outbox::backlog(&tx).unwrap(), 1);
    drop(tx);
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn my_data_hold_my_comments_published_deleted_held_and_hidden() {
    use crate::comments::{comment, id_from, open_proposal, resident, PAGE};
    use parvis::config::Value;
    use parvis::domain::changes::{ContentKind, Target};
    use parvis::domain::moderation::{self, Decision, Reason};

    let server = TestServer::start_with(&[("moderation.held_words", Value::List(vec!["arnaque".into()]))]);
    open_proposal(&server);
    let (_camille, mut c) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut d) = resident(&server, "dominique@example.test", "Dominique Petit");
    let theirs = id_from(&comment(&mut d, &server, "Le texte de quelqu'un d'autre", None, ""));
    let published = id_from(&comment(&mut c, &server, "Des bancs **en bois**, s'il vous plaît", None, "for"));
    let reply = id_from(&comment(&mut c, &server, "Un mot que je retire", Some(theirs), ""));
    let held = id_from(&comment(&mut c, &server, "Cette arnaque de parking", None, "against"));
    let hidden = id_from(&comment(&mut c, &server, "Un message hors sujet", None, "neutral"));
    let r = post(&mut c, &server, PAGE, &format!("/commentaires/{reply}/supprimer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    server.write(move |tx| {
        let hide = Decision::Hide { reason: Reason::OffTopic, message: String::new() };
        moderation::decide(tx, Target::new(ContentKind::Comment, hidden), &hide, 1, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });

    let file = c.get(&server.at("/compte/mes-donnees.json"));
    let json: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    let list = json["comments"].as_array().expect("a list of comments");
    let ids: Vec<u64> = list.iter().map(|c| c["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [hidden, held, reply, published], "mine only, newest first");
    let by_id = |id: u64| list.iter().find(|c| c["id"] == id).unwrap();

    let p = by_id(published);
    assert_eq!(p["body"], "Des bancs **en bois**, s'il vous plaît");
    assert_eq!(p["stance"], "for");
    assert_eq!(p["moderation"], "published");
    assert_eq!((p["target"]["kind"].as_str(), p["target"]["id"].as_u64()), (Some("proposal"), Some(1)));
    assert_eq!(p["target"]["title"], "Des bancs sur la place");
    assert_eq!(p["target"]["url"], "/propositions/1");
    assert_eq!(p["url"], format!("/commentaires/{published}"));
    assert!(p["created_at"].as_str().unwrap().ends_with('Z'), "RFC 3339, UTC");
    assert!(p["deleted_at"].is_null() && p["hidden_reason"].is_null());

    let r = by_id(reply);
    assert_eq!(r["in_reply_to"], theirs);
    assert_eq!(r["body"], "", "the text of a deleted comment is erased");
    assert!(r["deleted_at"].is_string());
    assert_eq!(by_id(held)["moderation"], "held");
    assert_eq!(by_id(held)["body"], "Cette arnaque de parking");
    let h = by_id(hidden);
    assert_eq!((h["moderation"].as_str(), h["hidden_reason"].as_str()), (Some("hidden"), Some("off-topic")));
    assert_eq!(h["body"], "Un message hors sujet", "the author's own words, even hidden");

    let page = c.get(&server.at("/compte/mes-donnees")).body;
    assert!(page.contains("Mes commentaires"), "{page}");
    for expected in [
        "Des bancs **en bois**, s'il vous plaît",
        "Cette arnaque de parking",
        "Un message hors sujet",
        "Message supprimé",
        "Masqué par la modération",
        "Message en attente de modération",
        "Publié",
        "Pour",
        "Contre",
        "href=\"/propositions/1\"",
    ] {
        assert!(page.contains(expected), "{expected} in the page");
    }
    assert!(page.contains(&format!("href=\"/commentaires/{published}\"")));
    assert!(!page.contains("quelqu'un d'autre"), "nobody else's");
    let none = d.get(&server.at("/compte/mes-donnees")).body;
    assert!(none.contains("Mes commentaires") && !none.contains("Des bancs **en bois**"));
}
