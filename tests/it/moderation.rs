//! Moderation over real HTTP and SMTP: a report reaches the queue, a
//! moderator hides the comment (placeholder in the thread, reason mailed to
//! the author) and restores it; held words keep a comment back until it is
//! approved; a moderator blocks an author; the pages need a moderator with
//! two-factor authentication, and every decision is in the audit log.

use parvis::config::Value;
use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::Action;
use parvis::domain::changes::{ContentKind, Target};
use parvis::domain::moderation::{self, Status};

use crate::accounts::{post, Mailbox};
use crate::admin::{events, make_person, sign_in};
use crate::comments::{comment, id_from, open_proposal, resident, PAGE};
use crate::support::{Client, TestServer};
use parvis::domain::ids::AccountId;

fn moderator(server: &TestServer) -> (u64, Client) {
    let person = make_person(server, "moderation@example.test", "Morgane Modère", Role::Moderator, true);
    let mut c = Client::new();
    sign_in(&mut c, server, &person);
    (person.id, c)
}

fn comment_target(id: u64) -> Target {
    Target::new(ContentKind::Comment, id)
}

#[test]
fn a_report_goes_to_the_queue_the_comment_is_hidden_the_author_told_then_restored() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    open_proposal(&server);
    let (camille, mut camille_c) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut dominique) = resident(&server, "dominique@example.test", "Dominique Roux");
    let id = id_from(&comment(&mut camille_c, &server, "Vous êtes tous des incapables", None, ""));
    let report_page = format!("/signaler?cible=comment-{id}");

    assert!(dominique.get(&server.at(PAGE)).body.contains(&format!("href=\"{report_page}\"")));
    let r =
        post(&mut dominique, &server, &report_page, "/signaler", &[("cible", &format!("comment-{id}")), ("motif", "")]);
    assert_eq!(r.status, 422, "a reason is required");
    assert!(r.body.contains("Choisissez un motif dans la liste"));
    let fields = [("cible", format!("comment-{id}")), ("motif", "abuse".into()), ("precision", "Insultant".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&mut dominique, &server, &report_page, "/signaler", &fields);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some(format!("/commentaires/{id}").as_str()), "back to the comment");
    let again = post(&mut dominique, &server, &report_page, "/signaler", &fields);
    assert_eq!(again.status, 303);
    assert!(again.headers_named("set-cookie").iter().any(|c| c.contains("flash-report-already")));
    assert_eq!(moderation::reports_of(&server.state().store.read().unwrap(), comment_target(id)).unwrap().len(), 1);

    let (moderator_id, mut m) = moderator(&server);
    let queue = m.get(&server.at("/admin/moderation"));
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains(&format!("href=\"/admin/moderation/comment/{id}\"")), "{}", queue.body);
    assert!(queue.body.contains("Vous êtes tous des incapables"));
    let item = format!("/admin/moderation/comment/{id}");
    let page = m.get(&server.at(&item)).body;
    assert!(page.contains("Insultant") && page.contains("Dominique Roux") && page.contains("Insulte, harcèlement"));

    let r =
        post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "abuse"), ("message", "Restez courtois")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let thread = Client::new().get(&server.at(PAGE)).body;
    assert!(thread.contains("Masqué par la modération"));
    assert!(!thread.contains("incapables"));
    assert!(thread.contains("Commentaires"), "the hidden comment no longer counts: {thread}");
    assert_eq!(moderation::queue_len(&server.state().store.read().unwrap()).unwrap(), 0);

    let message = mail.nth_to("camille@example.test", 1);
    assert!(message.header("Subject").unwrap().contains("masqu"), "{:?}", message.header("Subject"));
    let body = message.body();
    assert!(body.contains("Restez courtois") && body.contains("Insulte"), "{body}");
    assert!(body.contains(&format!("/commentaires/{id}")), "a link to the comment: {body}");

    let hidden = events(&server).into_iter().find(|e| e.action == Action::ContentHidden).expect("audited");
    assert_eq!(
        (hidden.actor.map(|a| a.get()), hidden.subject.map(|a| a.get())),
        (Some(moderator_id), Some(camille.id))
    );
    assert_eq!(hidden.detail, format!("comment {id}; reason: abuse"));

    // The author may not edit a hidden comment back into view.
    let edit = format!("/commentaires/{id}/modifier");
    assert!(camille_c.get(&server.at(&edit)).body.contains("Modification impossible"));

    let r = post(&mut m, &server, &item, &format!("{item}/publier"), &[]);
    assert_eq!(r.status, 303);
    let thread = Client::new().get(&server.at(PAGE)).body;
    assert!(thread.contains("incapables") && thread.contains("1 commentaire"));
    assert!(events(&server)
        .iter()
        .any(|e| e.action == Action::ContentRestored && e.actor == Some(AccountId(moderator_id))));
    assert!(server.state().store.verify().unwrap().is_ok(), "{:?}", server.state().store.verify().unwrap());
}

#[test]
fn held_words_keep_a_comment_back_until_a_moderator_approves_it() {
    let server = TestServer::start_with(&[("moderation.held_words", Value::List(vec!["arnaque".into()]))]);
    open_proposal(&server);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let r = comment(&mut camille, &server, "Ce projet est une ARNAQUE", None, "against");
    let id = id_from(&r);
    assert!(r.headers_named("set-cookie").iter().any(|c| c.contains("flash-comment-held")));
    assert_eq!(moderation::status(&server.state().store.read().unwrap(), comment_target(id)).unwrap(), Status::Held);

    let public = Client::new().get(&server.at(PAGE)).body;
    assert!(!public.contains("ARNAQUE") && !public.contains(&format!("commentaire-{id}\"")));
    let own = camille.get(&server.at(PAGE)).body;
    assert!(own.contains("ARNAQUE") && own.contains("En attente de modération"));

    let (_, mut m) = moderator(&server);
    let item = format!("/admin/moderation/comment/{id}");
    assert!(m.get(&server.at("/admin/moderation")).body.contains("Retenu"));
    assert!(m.get(&server.at(PAGE)).body.contains("ARNAQUE"), "moderators see held comments in place");
    let r = post(&mut m, &server, &item, &format!("{item}/publier"), &[]);
    assert_eq!(r.status, 303);
    let public = Client::new().get(&server.at(PAGE)).body;
    assert!(public.contains("ARNAQUE") && public.contains("1 commentaire"));
    assert!(events(&server).iter().any(|e| e.action == Action::ContentApproved));
    // A word inside another word holds nothing.
    let r = comment(&mut camille, &server, "Les arnaqueurs n'ont qu'à bien se tenir", None, "");
    assert!(r.headers_named("set-cookie").iter().any(|c| c.contains("flash-comment-posted")));
}

#[test]
fn moderation_needs_a_moderator_with_two_factor_authentication() {
    let server = TestServer::start();
    open_proposal(&server);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let id = id_from(&comment(&mut camille, &server, "Bonjour", None, ""));
    let item = format!("/admin/moderation/comment/{id}");

    for path in ["/admin/moderation", item.as_str()] {
        assert_eq!(camille.get(&server.at(path)).status, 403, "{path}");
    }
    let r = post(&mut camille, &server, PAGE, &format!("{item}/masquer"), &[("motif", "spam")]);
    assert_eq!(r.status, 403);
    assert_eq!(
        moderation::status(&server.state().store.read().unwrap(), comment_target(id)).unwrap(),
        Status::Published
    );

    let unenrolled = make_person(&server, "mod2@example.test", "Sans Code", Role::Moderator, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &unenrolled);
    let r = c.get(&server.at("/admin/moderation"));
    assert_eq!((r.status, r.header("location")), (303, Some("/compte/double-authentification")));

    let (_, mut m) = moderator(&server);
    assert_eq!(m.get(&server.at("/admin/moderation")).status, 200);
    assert!(m.get(&server.at(PAGE)).body.contains(&format!("href=\"{item}\"")), "moderators get a link in the thread");
    assert_eq!(Client::new().get(&server.at("/signaler?cible=comment-1")).status, 303, "reporting needs a sign-in");
}

#[test]
fn a_moderator_blocks_an_author_who_is_signed_out_at_once() {
    let server = TestServer::start();
    open_proposal(&server);
    let (camille, mut camille_c) = resident(&server, "camille@example.test", "Camille Martin");
    let id = id_from(&comment(&mut camille_c, &server, "Spam spam spam", None, ""));
    let staff = make_person(&server, "staff@example.test", "Sam Mairie", Role::Staff, true);
    let mut staff_c = Client::new();
    sign_in(&mut staff_c, &server, &staff);
    let staff_comment = id_from(&comment(&mut staff_c, &server, "Réponse de la mairie", None, ""));

    let (moderator_id, mut m) = moderator(&server);
    let item = format!("/admin/moderation/comment/{id}");
    let r = post(&mut m, &server, &item, &format!("{item}/bloquer"), &[]);
    assert_eq!(r.status, 303);
    assert!(accounts::get(&server.state().store.read().unwrap(), AccountId(camille.id)).unwrap().unwrap().blocked);
    let r = camille_c.get(&server.at("/compte"));
    assert!(r.header("location").unwrap_or("").starts_with("/connexion"), "the session ended");
    let blocked = events(&server).into_iter().find(|e| e.action == Action::AccountBlocked).expect("audited");
    assert_eq!(
        (blocked.actor.map(|a| a.get()), blocked.subject.map(|a| a.get())),
        (Some(moderator_id), Some(camille.id))
    );

    // The town hall's team is blocked by an admin, not by a moderator.
    let staff_item = format!("/admin/moderation/comment/{staff_comment}");
    assert!(!m.get(&server.at(&staff_item)).body.contains("/bloquer"));
    let r = post(&mut m, &server, &staff_item, &format!("{staff_item}/bloquer"), &[]);
    assert_eq!(r.status, 403);
    assert!(!accounts::get(&server.state().store.read().unwrap(), AccountId(staff.id)).unwrap().unwrap().blocked);
}

#[test]
fn a_proposal_is_reported_and_hidden_like_a_comment_and_its_discussion_closes() {
    let server = TestServer::start();
    let proposal = open_proposal(&server);
    let author =
        accounts::find_by_email(&server.state().store.read().unwrap(), "auteur@example.test").unwrap().unwrap();
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let report_page = format!("/signaler?cible=proposal-{proposal}");
    assert_eq!(camille.get(&server.at(&report_page)).status, 200);
    let r = post(&mut camille, &server, &report_page, "/signaler", &[("cible", "proposal-1"), ("motif", "off-topic")]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/propositions/1"));

    let (moderator_id, mut m) = moderator(&server);
    assert!(m.get(&server.at("/admin/moderation")).body.contains("Des bancs sur la place"));
    let item = format!("/admin/moderation/proposal/{proposal}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "off-topic"), ("message", "")]);
    assert_eq!(r.status, 303);
    let target = Target::new(ContentKind::Proposal, proposal);
    assert!(moderation::is_hidden(&server.state().store.read().unwrap(), target).unwrap());
    let hidden = events(&server).into_iter().find(|e| e.action == Action::ContentHidden).expect("audited");
    assert_eq!((hidden.actor.map(|a| a.get()), hidden.subject), (Some(moderator_id), Some(author.id)));
    // Nobody discusses hidden content any more.
    assert_eq!(Client::new().get(&server.at(PAGE)).status, 404);
    assert_eq!(comment(&mut camille, &server, "Encore là ?", None, "").status, 404);
    assert_eq!(camille.get(&server.at(&report_page)).status, 404, "nothing left to report");
}

/// Twenty reports in a row, then one every three minutes: the next is
/// refused with a 429 that says when, and the form keeps the reason and text.
#[test]
fn sending_many_reports_quickly_is_refused_and_keeps_what_was_typed() {
    let server = TestServer::start();
    open_proposal(&server);
    let (author, _) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut d) = resident(&server, "dominique@example.test", "Dominique Roux");
    let held = parvis::domain::moderation::HeldWords::of(&server.state().config);
    let ids: Vec<u64> = server.write(move |tx| {
        (0..21)
            .map(|n| {
                let new = parvis::domain::comments::NewComment {
                    target: Target::new(ContentKind::Proposal, 1),
                    reply_to: None,
                    author: AccountId(author.id),
                    body: format!("Publicité numéro {n}"),
                    stance: None,
                };
                parvis::domain::comments::create(tx, &new, &held, parvis::domain::now_unix())
                    .map(|p| p.id.get())
                    .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
            })
            .collect()
    });
    let send = |d: &mut Client, id: u64, text: &str| {
        let cible = format!("comment-{id}");
        let fields = [("cible", cible.as_str()), ("motif", "spam"), ("precision", text)];
        post(d, &server, &format!("/signaler?cible={cible}"), "/signaler", &fields)
    };
    for id in &ids[..20] {
        assert_eq!(send(&mut d, *id, "").status, 303);
    }
    let r = send(&mut d, ids[20], "Encore une publicité pour des <montres>");
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=180).contains(&wait), "{wait}");
    assert!(r.body.contains("Vous avez envoyé beaucoup de signalements en peu de temps"), "{}", r.body);
    assert!(r.body.contains("Encore une publicité pour des &lt;montres&gt;</textarea>"), "the text is kept");
    assert!(r.body.contains("<option value=\"spam\" selected"), "and the reason");
    assert!(crate::support::title_of(&r.body).starts_with("Erreur : "));
    let tx = server.state().store.read().unwrap();
    assert!(moderation::reports_of(&tx, comment_target(ids[20])).unwrap().is_empty(), "not filed");
    assert_eq!(moderation::reports_of(&tx, comment_target(ids[19])).unwrap().len(), 1);
}
