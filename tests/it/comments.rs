//! Comments over real HTTP: threads three levels deep, stances on
//! proposals, "useful" votes counted once under parallel requests, edits
//! within the delay (time driven by backdating the stored comment),
//! deletion placeholders, sorting, and refused forms that keep the text.

use parvis::domain::accounts::Role;
use parvis::domain::comments::{self, tables::COMMENT_BY_ID, Comment};
use parvis::domain::now_unix;
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::store::{decode, encode, StoreError};
use redb::ReadableTable;

use crate::accounts::post;
use crate::admin::{make_person, sign_in, Person};
use crate::support::{hidden_field, Client, Resp, TestServer};
use parvis::domain::ids::AccountId;
use parvis::domain::ids::CommentId;

/// The page that shows the discussion of proposal 1 (its own page belongs to
/// the proposals; this one is the discussion alone, for any content).
pub const PAGE: &str = "/discussions/proposal/1";

/// Posts a comment (or a reply) on proposal 1 from `PAGE`'s form.
pub fn comment(c: &mut Client, server: &TestServer, text: &str, reply_to: Option<u64>, stance: &str) -> Resp {
    let reply = reply_to.map(|r| r.to_string()).unwrap_or_default();
    post(
        c,
        server,
        PAGE,
        "/commentaires/nouveau",
        &[("cible", "proposal-1"), ("repondre", &reply), ("texte", text), ("position", stance)],
    )
}

/// The id of the comment a redirect leads to (`…#commentaire-<id>`).
pub fn id_from(r: &Resp) -> u64 {
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap();
    location.rsplit_once("#commentaire-").unwrap().1.parse().unwrap()
}

/// Opens an idea box with one proposal (number 1) to discuss.
pub fn open_proposal(server: &TestServer) -> u64 {
    let author = make_person(server, "auteur@example.test", "Alix Auteur", Role::Resident, false);
    (server.write(move |tx| {
        let now = now_unix();
        let idea_box = IdeaBox {
            title: "Le centre-bourg".into(),
            description: "Vos idées".into(),
            opens_at: now - 60,
            closes_at: now + 86_400,
            created_by: AccountId(author.id),
            created_at: now,
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, idea_box).map_err(|e| StoreError::Internal(e.to_string()))?;
        let new = NewProposal {
            box_id,
            author: AccountId(author.id),
            title: "Des bancs sur la place".into(),
            body: "Pour se reposer à l'ombre.".into(),
            ..NewProposal::default()
        };
        proposals::post(tx, &new, now).map_err(|e| StoreError::Internal(e.to_string()))
    }))
    .get()
}

pub fn resident(server: &TestServer, email: &str, name: &str) -> (Person, Client) {
    let person = make_person(server, email, name, Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, server, &person);
    (person, c)
}

pub fn stored(server: &TestServer, id: u64) -> Comment {
    comments::get(&server.state().store.read().unwrap(), CommentId(id)).unwrap().unwrap()
}

/// The part of a page from the comment's element to the next comment.
fn block(page: &str, id: u64) -> &str {
    let marker = format!("<li class=\"comment\" id=\"commentaire-{id}\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no comment {id}"));
    let rest = &page[start + marker.len()..];
    let end = rest.find("<li class=\"comment\" ").unwrap_or(rest.len());
    &page[start..start + marker.len() + end]
}

#[test]
fn a_thread_three_levels_deep_with_stances_and_markdown() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut dominique) = resident(&server, "dominique@example.test", "Dominique Roux");

    let r = comment(&mut camille, &server, "Un **banc** à l'ombre <script>alert(1)</script>", None, "for");
    let first = id_from(&r);
    assert!(r.header("location").unwrap().starts_with("/propositions/1"), "back to the proposal's page");
    let second = id_from(&comment(&mut dominique, &server, "Et une fontaine ?", Some(first), "against"));
    let third = id_from(&comment(&mut camille, &server, "Bonne idée", Some(second), ""));
    let fourth = id_from(&comment(&mut dominique, &server, "Merci", Some(third), "neutral"));

    assert_eq!((stored(&server, first).depth, stored(&server, second).depth, stored(&server, third).depth), (1, 2, 3));
    let f = stored(&server, fourth);
    assert_eq!(
        (f.depth, f.parent, f.in_reply_to),
        (3, Some(CommentId(second)), Some(CommentId(third))),
        "a reply to level 3 stays at level 3"
    );

    let mut anonymous = Client::new();
    let page = anonymous.get(&server.at(PAGE)).body;
    assert!(page.contains("4 commentaires"), "{page}");
    assert!(page.contains("<strong>banc</strong>"));
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"), "resident HTML is shown as text");
    assert!(block(&page, first).contains("Pour"));
    assert!(block(&page, second).contains("Contre"));
    assert!(block(&page, fourth).contains("Neutre"));
    assert!(block(&page, fourth).contains("en réponse à Camille Martin"));
    // Nesting: the second sits in a replies list inside the first, and so on.
    assert_eq!(page.matches("<ol class=\"comment-replies\">").count(), 2);
    assert!(page.find("commentaire-1\"").unwrap() < page.find("commentaire-2\"").unwrap());
    assert!(page.contains("Connectez-vous pour commenter") && !page.contains("name=\"texte\""));

    // "Répondre" opens the reply form under the comment, without JavaScript.
    let page = camille.get(&server.at(PAGE)).body;
    assert!(page.contains(&format!("?repondre={second}#repondre-{second}")), "{page}");
    let page = camille.get(&server.at(&format!("{PAGE}?repondre={second}"))).body;
    assert!(page.contains(&format!("id=\"repondre-{second}\"")));
    assert!(
        page.contains("<fieldset") && page.contains("<legend>Votre position"),
        "stances are a labelled radio group"
    );

    // Only some kinds of content take comments.
    let r = post(&mut camille, &server, PAGE, "/commentaires/nouveau", &[("cible", "meeting-1"), ("texte", "x")]);
    assert_eq!(r.status, 404);
    assert_eq!(anonymous.get(&server.at("/discussions/meeting/1")).status, 404);
    // The permalink of a comment leads to it.
    let r = anonymous.get(&server.at(&format!("/commentaires/{fourth}")));
    assert_eq!(r.header("location"), Some(format!("/propositions/1#commentaire-{fourth}").as_str()));
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn a_refused_comment_keeps_what_was_typed() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let r = comment(&mut camille, &server, "   ", None, "");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("error-summary") && r.body.contains("Écrivez votre commentaire"), "{}", r.body);
    let long = format!("Mon avis {}", "très ".repeat(1100));
    let r = comment(&mut camille, &server, &long, None, "against");
    assert_eq!(r.status, 422);
    assert!(r.body.contains(long.trim_end()), "the text is kept");
    assert!(r.body.contains("value=\"against\" checked"), "and the stance too");
    assert_eq!(
        comments::count(
            &server.state().store.read().unwrap(),
            parvis::domain::changes::Target::new(parvis::domain::changes::ContentKind::Proposal, 1)
        )
        .unwrap(),
        0
    );
    // Signed-out people are sent to sign in.
    let r = Client::new().post_form(&server.at("/commentaires/nouveau"), &[("cible", "proposal-1"), ("texte", "x")]);
    assert!(r.status == 303 || r.status == 403, "{}", r.status);
}

#[test]
fn useful_votes_count_once_under_parallel_requests_and_can_be_taken_back() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut dominique) = resident(&server, "dominique@example.test", "Dominique Roux");
    let first = id_from(&comment(&mut camille, &server, "Premier", None, ""));
    let second = id_from(&comment(&mut camille, &server, "Second", None, ""));

    let page = dominique.get(&server.at(PAGE)).body;
    let token = hidden_field(&page, "_csrf").unwrap();
    let url = server.at(&format!("/commentaires/{second}/utile"));
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                let mut c = Client::new();
                c.cookies = dominique.cookies.clone();
                let (url, token) = (url.clone(), token.clone());
                s.spawn(move || c.post_form(&url, &[("utile", "1"), ("_csrf", &token)]).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(stored(&server, second).useful, 1, "twenty clicks, one vote");
    let page = dominique.get(&server.at(PAGE)).body;
    assert!(block(&page, second).contains("1 personne trouve ce message utile"));
    assert!(block(&page, second).contains("Retirer mon « utile »"));

    // Most useful first, then oldest first; the default is oldest first.
    let useful = dominique.get(&server.at(&format!("{PAGE}?tri=utiles"))).body;
    assert!(useful.find(&format!("commentaire-{second}\"")) < useful.find(&format!("commentaire-{first}\"")));
    assert!(page.find(&format!("commentaire-{first}\"")) < page.find(&format!("commentaire-{second}\"")));

    // The author cannot vote for their own comment.
    let r = post(&mut camille, &server, PAGE, &format!("/commentaires/{second}/utile"), &[("utile", "1")]);
    assert_eq!(r.status, 403);

    let r = post(&mut dominique, &server, PAGE, &format!("/commentaires/{second}/utile"), &[("utile", "0")]);
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, second).useful, 0);
    assert!(server.state().store.verify().unwrap().is_ok());
}

/// Moves a comment's posting time back, as if `secs` had passed.
pub fn backdate(server: &TestServer, id: u64, secs: i64) {
    server.write(move |tx| {
        let mut table = tx.open_table(COMMENT_BY_ID)?;
        let bytes = table.get(id)?.unwrap().value().to_vec();
        let mut c: Comment = decode(&bytes)?;
        c.created_at -= secs;
        table.insert(id, encode(&c)?.as_slice())?;
        Ok(())
    });
}

#[test]
fn the_author_edits_within_fifteen_minutes_and_not_after() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut dominique) = resident(&server, "dominique@example.test", "Dominique Roux");
    let id = id_from(&comment(&mut camille, &server, "Un bnac", None, "for"));
    let edit = format!("/commentaires/{id}/modifier");

    let form = camille.get(&server.at(&edit));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Un bnac</textarea>"), "{}", form.body);
    assert!(camille.get(&server.at(PAGE)).body.contains(&format!("href=\"{edit}\"")));
    assert_eq!(dominique.get(&server.at(&edit)).status, 403, "only the author");

    backdate(&server, id, 10 * 60);
    let r = post(&mut camille, &server, &edit, &edit, &[("texte", "Un banc"), ("position", "neutral")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let c = stored(&server, id);
    assert_eq!((c.body.as_str(), c.stance.map(|s| s.code())), ("Un banc", Some("neutral")));
    let page = Client::new().get(&server.at(PAGE)).body;
    assert!(block(&page, id).contains("modifié"));

    // Sixteen minutes after posting: the form is gone and the POST refused.
    backdate(&server, id, 6 * 60);
    let page = camille.get(&server.at(PAGE)).body;
    assert!(!page.contains(&format!("href=\"{edit}\"")), "no edit link any more");
    let late = camille.get(&server.at(&edit));
    assert!(late.body.contains("Modification impossible") && !late.body.contains("<textarea"));
    let token = hidden_field(&page, "_csrf").unwrap();
    let r = camille.post_form(&server.at(&edit), &[("texte", "Trop tard"), ("_csrf", &token)]);
    assert_eq!(r.status, 403);
    assert_eq!(stored(&server, id).body, "Un banc");
}

#[test]
fn deletion_leaves_message_supprime_and_the_replies() {
    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let (_dominique, mut dominique) = resident(&server, "dominique@example.test", "Dominique Roux");
    let first = id_from(&comment(&mut camille, &server, "Texte à effacer", None, "for"));
    let reply = id_from(&comment(&mut dominique, &server, "Ma réponse", Some(first), ""));
    let delete = format!("/commentaires/{first}/supprimer");

    assert_eq!(dominique.get(&server.at(&delete)).status, 403, "only the author");
    let confirm = camille.get(&server.at(&delete));
    assert!(confirm.body.contains("Texte à effacer"));
    let r = post(&mut camille, &server, &delete, &delete, &[]);
    assert_eq!(r.status, 303);

    let page = Client::new().get(&server.at(PAGE)).body;
    assert!(block(&page, first).contains("Message supprimé"));
    assert!(!page.contains("Texte à effacer"));
    assert!(block(&page, reply).contains("Ma réponse"));
    assert!(page.contains("1 commentaire"), "only the reply counts");
    assert!(stored(&server, first).body.is_empty(), "the text is erased, not only hidden");
    // Nobody answers a deleted comment.
    let r = comment(&mut dominique, &server, "Encore", Some(first), "");
    assert_eq!(r.status, 422);
    assert!(server.state().store.verify().unwrap().is_ok());
}

/// Ten comments in a row, then one every twenty seconds: the eleventh is
/// refused with a 429 that says when, and the form keeps the text.
#[test]
fn posting_many_comments_quickly_is_refused_and_keeps_the_text() {
    let server = TestServer::start();
    open_proposal(&server);
    let (camille, mut c) = resident(&server, "camille@example.test", "Camille Martin");
    for n in 1..=10 {
        id_from(&comment(&mut c, &server, &format!("Message numéro {n}"), None, ""));
    }
    let r = comment(&mut c, &server, "Un onzième message, <tapé> avec soin", None, "against");
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(r.body.contains("Vous avez publié beaucoup de messages en peu de temps"), "{}", r.body);
    assert!(r.body.contains(&format!("dans {wait} secondes")) || wait == 1);
    assert!(r.body.contains("Un onzième message, &lt;tapé&gt; avec soin</textarea>"), "the text is kept");
    assert!(r.body.contains("value=\"against\" checked"), "and the stance");
    assert!(crate::support::title_of(&r.body).starts_with("Erreur : "));
    let tx = server.state().store.read().unwrap();
    assert_eq!(comments::of_author(&tx, AccountId(camille.id), 100).unwrap().len(), 10, "nothing was posted");
    drop(tx);

    // Another person is not held back; in English the message is translated.
    let (_dominique, mut d) = resident(&server, "dominique@example.test", "Dominique Petit");
    id_from(&comment(&mut d, &server, "Je peux encore écrire", None, ""));
    c.extra_headers.push(("accept-language".into(), "en".into()));
    let r = comment(&mut c, &server, "Still too soon", None, "");
    assert_eq!(r.status, 429);
    assert!(r.body.contains("You have posted many messages in a short time"), "{}", r.body);
}
