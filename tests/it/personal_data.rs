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
use parvis::domain::ids::AccountId;
use parvis::domain::ids::ProposalId;

fn blocked_mail(to: &str, name: &str) -> NewMail {
    NewMail { to: to.into(), lang: parvis::i18n::Lang::Fr, template: Template::AccountBlocked { name: name.into() } }
}

#[test]
fn my_data_page_and_file_hold_my_data_and_nobody_elses() {
    let server = TestServer::start();
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let other = make_person(&server, "dominique@example.test", "Dominique Petit", Role::Resident, false);
    let (cid, oid) = (camille.id, other.id);
    server.write(move |tx| {
        accounts::update(tx, AccountId(cid), |a| a.age_bracket = Some("30-44".into()))
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
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let format = [
        "account",
        "comments",
        "consultations",
        "events",
        "follows",
        "generated_at",
        "mail",
        "meeting_registrations",
        "newsletter_consent",
        "notifications",
        "problem_report_follows",
        "problem_report_supports",
        "problem_reports",
        "proposals",
        "reports",
        "sessions",
        "supports",
        "two_factor",
        "useful_votes",
        "verification",
        "verification_letter",
    ];
    assert_eq!(keys, format, "the file's keys are its format: add new ones here, never rename or drop one");
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
    assert_eq!((exported[0].actor.map(|a| a.get()), exported[0].subject.map(|a| a.get())), (Some(cid), Some(cid)));
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
        for (hash, _) in sessions::list_in(tx, AccountId(id))? {
            sessions::update(tx, &hash, |s| s.authenticated_at -= 3600)?;
        }
        Ok(())
    });
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/compte/confirmer-identite?suivant=%2Fcompte%2Fsupprimer"));
    assert!(accounts::get(&server.state().store.read().unwrap(), AccountId(id)).unwrap().unwrap().erased_at.is_none());
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
    let tomb = accounts::get(&tx, AccountId(id)).unwrap().unwrap();
    assert!(tomb.erased_at.is_some() && tomb.email.is_empty() && tomb.display_name.is_empty());
    assert!(tomb.password_hash.is_empty());
    assert!(accounts::find_by_email(&tx, "camille@example.test").unwrap().is_none());
    assert_eq!(accounts::count(&tx).unwrap(), count_before - 1);
    drop(tx);
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let deleted: Vec<_> = events(&server).into_iter().filter(|e| e.action == Action::AccountDeleted).collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].subject.map(|a| a.get()), Some(id));

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
    assert!(accounts::get(&server.state().store.read().unwrap(), AccountId(admin.id))
        .unwrap()
        .unwrap()
        .erased_at
        .is_none());

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
        let views = outbox::recent(&tx, server.state().store.keys(), usize::MAX, "Testville").unwrap();
        views.iter().find(|m| m.to == "camille.new@example.test").map(|m| m.id).expect("the confirmation link")
    };

    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);

    let tx = server.state().store.read().unwrap();
    for (id, what) in [(mine, "pending mail"), (upper, "another case"), (to_new, "the new address's link")] {
        assert!(outbox::get(&tx, server.state().store.keys(), id).unwrap().is_none(), "{what} is cancelled");
    }
    assert!(
        outbox::get(&tx, server.state().store.keys(), others).unwrap().is_some(),
        "somebody else's mail still goes"
    );
    assert!(
        outbox::get(&tx, server.state().store.keys(), sent).unwrap().is_some(),
        "sent mail waits for the usual purge"
    );
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
        moderation::decide(
            tx,
            Target::new(ContentKind::Comment, hidden),
            &hide,
            AccountId(1),
            parvis::domain::now_unix(),
        )
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

#[test]
fn my_data_hold_my_proposals_supports_follows_reports_useful_votes_and_notifications() {
    use crate::comments::{comment, id_from, resident, PAGE};
    use crate::proposals::propose;
    use parvis::config::Value;
    use parvis::domain::changes::{ContentKind, Target};
    use parvis::domain::moderation::{self, Decision, Reason};
    use parvis::domain::notifications::Notifier;
    use parvis::domain::now_unix;
    use parvis::domain::proposals::{self, Acting, IdeaBox, NewProposal, Status};
    use parvis::store::StoreError;

    let server = TestServer::start_with(&[
        ("moderation.held_words", Value::List(vec!["arnaque".into()])),
        ("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()])),
    ]);
    fn err(e: impl std::fmt::Display) -> StoreError {
        StoreError::Internal(e.to_string())
    }
    // Proposal 1, by somebody else, in a box with categories.
    let alix = make_person(&server, "auteur@example.test", "Alix Auteur", Role::Resident, false).id;
    let (box_id, theirs) = server.write(move |tx| {
        let now = now_unix();
        let b = IdeaBox {
            title: "Le centre-bourg".into(),
            description: "Vos idées".into(),
            categories: vec!["Voirie".into(), "Espaces verts".into()],
            opens_at: now - 60,
            closes_at: now + 86_400,
            created_by: AccountId(alix),
            created_at: now,
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, b).map_err(err)?;
        let new = NewProposal {
            box_id,
            author: AccountId(alix),
            title: "Des bancs sur la place".into(),
            body: "Pour se reposer à l'ombre.".into(),
            ..NewProposal::default()
        };
        Ok((box_id, proposals::post(tx, &new, now).map_err(err)?))
    });
    assert_eq!(theirs, ProposalId(1), "the discussion page of the comment helpers");
    let (_camille, mut c) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut d) = resident(&server, "dominique@example.test", "Dominique Petit");

    // Camille posts three proposals: one with everything, one held, one hidden later.
    let mut photo = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(64, 48, image::Rgb([40, 120, 60])))
        .write_to(&mut photo, image::ImageFormat::Png)
        .unwrap();
    let posted = |c: &mut Client, fields: &[(&str, &str)], photo: Option<&[u8]>| -> u64 {
        let r = propose(c, &server, box_id.get(), fields, photo);
        assert_eq!(r.status, 303, "{}", r.body);
        r.header("location").unwrap().trim_start_matches("/propositions/").parse().unwrap()
    };
    let full = posted(
        &mut c,
        &[
            ("title", "Planter des tilleuls rue des Écoles"),
            ("body", "Pour de l'ombre devant l'école, l'été."),
            ("category", "Espaces verts"),
            ("neighbourhood", "Les Vignes"),
            ("latitude", "45,7772"),
            ("longitude", "4.6121"),
            ("photo_alt", "La rue des Écoles en été"),
        ],
        Some(photo.get_ref().as_slice()),
    );
    let held = posted(&mut c, &[("title", "Fermer le parking"), ("body", "Ce parking payant est une arnaque.")], None);
    let hidden = posted(&mut c, &[("title", "Un terrain de pétanque"), ("body", "Près de la salle des fêtes.")], None);

    // Camille supports and follows proposal 1; Dominique supports Camille's.
    let page1 = "/propositions/1";
    assert_eq!(post(&mut c, &server, page1, "/propositions/1/soutien", &[("soutenir", "oui")]).status, 303);
    assert_eq!(post(&mut c, &server, page1, "/propositions/1/suivi", &[("suivre", "oui")]).status, 303);
    let full_page = format!("/propositions/{full}");
    let r = post(&mut d, &server, &full_page, &format!("{full_page}/soutien"), &[("soutenir", "oui")]);
    assert_eq!(r.status, 303);

    // Dominique comments; Camille finds one useful and reports two.
    let useful = id_from(&comment(&mut d, &server, "Bonne idée, mais où exactement ?", None, ""));
    let spam = id_from(&comment(&mut d, &server, "Achetez mes bancs pas chers", None, ""));
    let rude = id_from(&comment(&mut d, &server, "Vous n'y connaissez rien", None, ""));
    let r = post(&mut c, &server, PAGE, &format!("/commentaires/{useful}/utile"), &[("utile", "1")]);
    assert_eq!(r.status, 303, "{}", r.body);
    for (id, reason, text) in [(spam, "spam", "Publicité pour un site"), (rude, "abuse", "")] {
        let target = format!("comment-{id}");
        let fields = [("cible", target.as_str()), ("motif", reason), ("precision", text)];
        let r = post(&mut c, &server, &format!("/signaler?cible={target}"), "/signaler", &fields);
        assert_eq!(r.status, 303, "{}", r.body);
    }

    // The town hall answers two proposals Camille follows; moderators hide
    // one of hers and keep the rude comment (which closes that report).
    let notifier = Notifier { base_url: server.url.clone() };
    let staff = Acting::new(AccountId(alix), "test");
    server.write(move |tx| {
        let now = now_unix();
        proposals::answer(
            tx,
            &notifier,
            ProposalId(full),
            Status::Accepted,
            "Nous les planterons cet hiver.",
            &staff,
            now,
        )
        .map_err(err)?;
        proposals::answer(tx, &notifier, ProposalId(1), Status::Submitted, "Nous regardons les devis.", &staff, now)
            .map_err(err)?;
        let hide = Decision::Hide { reason: Reason::OffTopic, message: String::new() };
        moderation::decide(tx, Target::new(ContentKind::Proposal, hidden), &hide, AccountId(alix), now).map_err(err)?;
        moderation::decide(tx, Target::new(ContentKind::Comment, rude), &Decision::Publish, AccountId(alix), now)
            .map_err(err)
    });
    // Followers are told after the commit, by the server's worker.
    crate::notifications::fanned_out(&server);

    let file = c.get(&server.at("/compte/mes-donnees.json"));
    assert_eq!(file.status, 200);
    let json: serde_json::Value = serde_json::from_str(&file.body).unwrap();

    let list = json["proposals"].as_array().expect("a list of proposals");
    let ids: Vec<u64> = list.iter().map(|p| p["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [hidden, held, full], "mine only, newest first");
    let p = &list[2];
    assert_eq!(p["url"], format!("/propositions/{full}"));
    assert_eq!(
        (p["idea_box"]["id"].as_u64(), p["idea_box"]["title"].as_str()),
        (Some(box_id.get()), Some("Le centre-bourg"))
    );
    assert_eq!(p["title"], "Planter des tilleuls rue des Écoles");
    assert_eq!(p["body"], "Pour de l'ombre devant l'école, l'été.");
    assert_eq!(p["category"], "Espaces verts");
    assert_eq!(p["neighbourhood"], "Les Vignes");
    assert_eq!((p["place"]["latitude"].as_f64(), p["place"]["longitude"].as_f64()), (Some(45.7772), Some(4.6121)));
    assert_eq!(p["status"], "accepted");
    assert_eq!(p["answer"]["text"], "Nous les planterons cet hiver.");
    assert!(p["answer"]["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(p["supports"], 1);
    assert!(p["created_at"].as_str().unwrap().ends_with('Z') && p["updated_at"].is_string());
    assert_eq!((p["moderation"].as_str(), p["hidden_reason"].as_str()), (Some("published"), None));
    assert_eq!(
        (p["has_photo"].as_bool(), p["photo_description"].as_str()),
        (Some(true), Some("La rue des Écoles en été"))
    );
    let h = &list[1];
    assert_eq!((h["moderation"].as_str(), h["status"].as_str()), (Some("held"), Some("submitted")));
    assert_eq!(h["body"], "Ce parking payant est une arnaque.");
    assert!(h["answer"].is_null() && h["place"].is_null() && h["category"].is_null());
    assert_eq!((h["has_photo"].as_bool(), h["photo_description"].as_str()), (Some(false), None));
    let x = &list[0];
    assert_eq!((x["moderation"].as_str(), x["hidden_reason"].as_str()), (Some("hidden"), Some("off-topic")));
    assert_eq!(x["title"], "Un terrain de pétanque", "the author's own words, even hidden");

    let supports = json["supports"].as_array().unwrap();
    assert_eq!(supports.len(), 1, "Camille's support only: {supports:?}");
    assert_eq!(supports[0]["proposal"]["id"], 1);
    assert_eq!(supports[0]["proposal"]["title"], "Des bancs sur la place");
    assert_eq!(supports[0]["proposal"]["url"], "/propositions/1");
    assert!(supports[0]["at"].as_str().unwrap().ends_with('Z'));

    let follows: Vec<u64> = json["follows"].as_array().unwrap().iter().map(|f| f["id"].as_u64().unwrap()).collect();
    assert_eq!(follows, [hidden, held, full, 1], "her own ones from the start, and proposal 1");
    let followed = |id: u64| json["follows"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap().clone();
    assert_eq!(followed(1)["title"], "Des bancs sur la place");
    assert!(followed(hidden)["title"].is_null(), "a hidden proposal's title is not repeated");

    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2, "{reports:?}");
    let (r_rude, r_spam) = (&reports[0], &reports[1]);
    assert_eq!((r_spam["target"]["kind"].as_str(), r_spam["target"]["id"].as_u64()), (Some("comment"), Some(spam)));
    assert_eq!(r_spam["target"]["url"], format!("/commentaires/{spam}"));
    assert_eq!((r_spam["reason"].as_str(), r_spam["text"].as_str()), (Some("spam"), Some("Publicité pour un site")));
    assert_eq!(r_spam["state"], "open");
    assert!(r_spam["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!((r_rude["target"]["id"].as_u64(), r_rude["reason"].as_str()), (Some(rude), Some("abuse")));
    assert_eq!(r_rude["state"], "closed", "a moderator decided");

    let votes = json["useful_votes"].as_array().unwrap();
    assert_eq!(votes.len(), 1);
    assert_eq!(
        (votes[0]["comment"]["kind"].as_str(), votes[0]["comment"]["id"].as_u64()),
        (Some("comment"), Some(useful))
    );
    assert_eq!(votes[0]["comment"]["url"], format!("/commentaires/{useful}"));
    assert!(votes[0]["at"].as_str().unwrap().ends_with('Z'));

    let notes = json["notifications"].as_array().unwrap();
    let kinds: Vec<(&str, u64)> =
        notes.iter().map(|n| (n["kind"].as_str().unwrap(), n["proposal_id"].as_u64().unwrap())).collect();
    assert_eq!(kinds, [("answered", 1), ("status-changed", full)], "newest first");
    assert_eq!(
        (notes[1]["status"].as_str(), notes[1]["title"].as_str()),
        (Some("accepted"), Some("Planter des tilleuls rue des Écoles"))
    );
    assert_eq!(notes[0]["url"], "/propositions/1");
    assert_eq!(notes[0]["read"], false);

    // Nothing of Dominique's in Camille's file, and the other way round.
    assert!(!file.body.contains("Dominique"));
    let theirs: serde_json::Value = serde_json::from_str(&d.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    let their_supports: Vec<u64> =
        theirs["supports"].as_array().unwrap().iter().map(|s| s["proposal"]["id"].as_u64().unwrap()).collect();
    assert_eq!(their_supports, [full]);
    for key in ["proposals", "follows", "reports", "useful_votes", "notifications"] {
        assert_eq!(theirs[key].as_array().map(Vec::len), Some(0), "{key}: {}", theirs[key]);
    }

    let page = c.get(&server.at("/compte/mes-donnees")).body;
    for expected in [
        "Mes propositions",
        "Planter des tilleuls rue des Écoles",
        "Pour de l'ombre devant l'école, l'été.",
        "Boîte à idées : Le centre-bourg",
        "Catégorie : Espaces verts",
        "Quartier : Les Vignes",
        "Lieu : 45.77720, 4.61210",
        "Photo : La rue des Écoles en été",
        "Acceptée",
        "Nous les planterons cet hiver.",
        "Fermer le parking",
        "En attente de modération : vous seul la voyez.",
        "Masquée par la modération : Hors sujet",
        "Sans photo",
        "Mes soutiens",
        "Propositions suivies",
        "Mes signalements",
        "Publicité ou message répété",
        "Publicité pour un site",
        "Insulte, harcèlement ou discrimination",
        "En attente d'une décision",
        "Clos (décision prise ou contenu retiré)",
        "Commentaires jugés utiles",
        "Mes notifications",
        "La mairie a répondu à « Des bancs sur la place »",
        "« Planter des tilleuls rue des Écoles » : Acceptée",
        "<caption class=\"visually-hidden\">Mes signalements</caption>",
    ] {
        assert!(page.contains(expected), "{expected} in the page");
    }
    for link in [
        format!("/propositions/{full}"),
        "/propositions/1".into(),
        format!("/commentaires/{spam}"),
        format!("/commentaires/{useful}"),
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "a link to {link}");
    }
    assert!(!page.contains("Achetez mes bancs"), "somebody else's comment is not copied");

    let mut english = Client::new();
    english.cookies = c.cookies.clone();
    english.extra_headers.push(("accept-language".into(), "en".into()));
    let page = english.get(&server.at("/compte/mes-donnees")).body;
    for expected in ["My proposals", "Idea box: Le centre-bourg", "My supports", "My reports", "Comments marked useful"]
    {
        assert!(page.contains(expected), "{expected} in the English page");
    }
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn deleting_my_account_erases_my_follows_and_notifications_and_keeps_my_support() {
    use crate::comments::{open_proposal, resident};
    use parvis::domain::notifications::{self, Notifier};
    use parvis::domain::now_unix;
    use parvis::domain::proposals::{self, Acting, Status};
    use parvis::store::StoreError;

    fn err(e: impl std::fmt::Display) -> StoreError {
        StoreError::Internal(e.to_string())
    }
    let server = TestServer::start();
    let proposal = open_proposal(&server);
    let alix =
        accounts::find_by_email(&server.state().store.read().unwrap(), "auteur@example.test").unwrap().unwrap().id;
    let (camille, mut c) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut d) = resident(&server, "dominique@example.test", "Dominique Petit");
    let cid = camille.id;
    let page = format!("/propositions/{proposal}");
    for who in [&mut c, &mut d] {
        let r = post(who, &server, &page, &format!("{page}/soutien"), &[("soutenir", "oui")]);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let r = post(&mut c, &server, &page, &format!("{page}/suivi"), &[("suivre", "oui")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let notifier = Notifier { base_url: server.url.clone() };
    let first = notifier.clone();
    let staff = Acting::new(alix, "test");
    server.write(move |tx| {
        proposals::answer(tx, &first, ProposalId(proposal), Status::UnderStudy, "Nous regardons.", &staff, now_unix())
            .map_err(err)
    });
    // Followers are told after the commit, by the server's worker.
    crate::notifications::fanned_out(&server);
    {
        let tx = server.state().store.read().unwrap();
        assert_eq!(proposals::followed_by(&tx, AccountId(cid)).unwrap(), [ProposalId(proposal)]);
        assert_eq!(notifications::recent(&tx, AccountId(cid), 10).unwrap().len(), 1, "Camille was told");
        assert_eq!(proposals::get(&tx, ProposalId(proposal)).unwrap().unwrap().supports, 2);
    }

    let delete_page = c.get(&server.at("/compte/supprimer")).body;
    for expected in ["Vos notifications et la liste des propositions que vous suivez", "restent comptés"] {
        assert!(delete_page.contains(expected), "{expected} in the page");
    }
    let mut english = Client::new();
    english.cookies = c.cookies.clone();
    english.extra_headers.push(("accept-language".into(), "en".into()));
    let english_page = english.get(&server.at("/compte/supprimer")).body;
    for expected in ["Your notifications and the list of proposals you follow", "stay counted"] {
        assert!(english_page.contains(expected), "{expected} in the English page");
    }
    let r = post(&mut c, &server, "/compte/supprimer", "/compte/supprimer", &[("confirm", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);

    // Follows and notifications are gone; the support still counts.
    let tx = server.state().store.read().unwrap();
    assert!(proposals::followed_by(&tx, AccountId(cid)).unwrap().is_empty());
    assert!(!proposals::is_following(&tx, ProposalId(proposal), AccountId(cid)).unwrap());
    assert!(proposals::is_following(&tx, ProposalId(proposal), alix).unwrap(), "others keep theirs");
    assert!(notifications::recent(&tx, AccountId(cid), 10).unwrap().is_empty());
    assert_eq!(notifications::unread_count(&tx, AccountId(cid)).unwrap(), 0);
    assert_eq!(notifications::recent(&tx, alix, 10).unwrap().len(), 1, "others keep theirs");
    assert_eq!(
        proposals::get(&tx, ProposalId(proposal)).unwrap().unwrap().supports,
        2,
        "the public count does not change"
    );
    let mails_before = outbox::recent(&tx, server.state().store.keys(), usize::MAX, "Testville").unwrap().len();
    drop(tx);

    // The town hall decides: the author is told, the tombstone is not.
    let staff = Acting::new(alix, "test");
    server.write(move |tx| {
        proposals::answer(
            tx,
            &notifier,
            ProposalId(proposal),
            Status::Accepted,
            "Les bancs arrivent.",
            &staff,
            now_unix(),
        )
        .map_err(err)
    });
    // Followers are told after the commit, by the server's worker.
    crate::notifications::fanned_out(&server);
    let tx = server.state().store.read().unwrap();
    assert!(notifications::recent(&tx, AccountId(cid), 10).unwrap().is_empty(), "nothing for the tombstone");
    assert_eq!(notifications::recent(&tx, alix, 10).unwrap().len(), 2);
    let mails = outbox::recent(&tx, server.state().store.keys(), usize::MAX, "Testville").unwrap();
    let new: Vec<&str> = mails[..mails.len() - mails_before].iter().map(|m| m.to.as_str()).collect();
    assert_eq!(new, ["auteur@example.test"], "one mail, to the author only");
    drop(tx);
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn my_data_do_not_show_the_address_of_the_moderator_who_acted_on_me() {
    use crate::comments::{comment, id_from, open_proposal};
    use parvis::config::Value;

    // Behind a trusted proxy, each person's address comes from X-Forwarded-For.
    let server = TestServer::start_with(&[("server.trusted_proxies", Value::List(vec!["127.0.0.1".into()]))]);
    open_proposal(&server);
    let (camille_ip, moderator_ip) = ("198.51.100.23", "203.0.113.77");
    let camille = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut c = Client::new();
    c.extra_headers.push(("x-forwarded-for".into(), camille_ip.into()));
    sign_in(&mut c, &server, &camille);
    let id = id_from(&comment(&mut c, &server, "Un message hors sujet", None, ""));

    let morgane = make_person(&server, "moderation@example.test", "Morgane Modère", Role::Moderator, true);
    let mut m = Client::new();
    m.extra_headers.push(("x-forwarded-for".into(), moderator_ip.into()));
    sign_in(&mut m, &server, &morgane);
    let item = format!("/admin/moderation/comment/{id}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "off-topic"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let hidden = events(&server).into_iter().find(|e| e.action == Action::ContentHidden).expect("audited");
    assert_eq!((hidden.actor.map(|a| a.get()), hidden.subject.map(|a| a.get())), (Some(morgane.id), Some(camille.id)));
    assert_eq!(hidden.ip, moderator_ip, "the log keeps the moderator's address for the town hall");

    let file = c.get(&server.at("/compte/mes-donnees.json"));
    assert_eq!(file.status, 200);
    assert!(!file.body.contains(moderator_ip), "the moderator's address is not in the file: {}", file.body);
    let json: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    let event = json["events"].as_array().unwrap().iter().find(|e| e["action"] == "content-hidden").cloned();
    let event = event.expect("the moderator's decision is listed");
    assert_eq!((event["by"].as_str(), event["ip"].as_str()), (Some("town-hall"), Some("")), "same keys, no address");
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&event), ["action", "at", "by", "detail", "ip"], "the file's format does not change");
    let sign_in_event = json["events"].as_array().unwrap().iter().find(|e| e["action"] == "sign-in").cloned();
    assert_eq!(sign_in_event.expect("her sign-in")["ip"], camille_ip, "her own address stays");

    let page = c.get(&server.at("/compte/mes-donnees")).body;
    assert!(page.contains("Masqué par la modération"), "the decision is on the page");
    assert!(!page.contains(moderator_ip), "the moderator's address is not on the page");
    assert!(page.contains(camille_ip), "her own address stays");
}
