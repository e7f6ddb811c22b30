//! The life of a proposal over real HTTP: an idea box opened by staff, a
//! proposal posted, supported (many parallel clicks count once), the
//! threshold reached, answered, followed up with milestones.

use parvis::domain::accounts::Role;
use parvis::domain::proposals;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{Client, TestServer};
use parvis::domain::ids::AccountId;
use parvis::domain::ids::ProposalId;

/// Posts the proposal form (multipart, the CSRF token its first field, as a
/// browser sends the form); also used by the personal data tests.
pub fn propose(
    c: &mut Client,
    server: &TestServer,
    box_id: u64,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> crate::support::Resp {
    let form = format!("/idees/{box_id}/proposer");
    let page = c.get(&server.at(&form));
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let all = [&[("_csrf", token.as_str())][..], fields].concat();
    c.post_multipart(&server.at(&form), &all, photo.map(|b| ("photo", "photo.png", b)))
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(2400, 1200, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn open_box(c: &mut Client, server: &TestServer, threshold: &str) -> u64 {
    let today = jiff::Zoned::now().date();
    let r = post(
        c,
        server,
        "/admin/idees/nouvelle",
        "/admin/idees/nouvelle",
        &[
            ("title", "Aménager le centre-bourg"),
            ("description", "Vos idées pour la place et les rues du centre."),
            ("categories", "Voirie, Espaces verts"),
            ("opens", &today.to_string()),
            ("closes", &today.checked_add(jiff::Span::new().days(30)).unwrap().to_string()),
            ("threshold", threshold),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location").unwrap().trim_start_matches("/idees/").parse().unwrap()
}

#[test]
fn the_life_of_a_proposal() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent@testville.test", "Agent Voirie", Role::Staff, true);
    let author = make_person(&server, "auteur@testville.test", "Claire Auteur", Role::Resident, false);
    let fan = make_person(&server, "fan@testville.test", "Paul Soutien", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "2");

    // A failed form keeps what was typed.
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let photo = png();
    let r = propose(
        &mut a,
        &server,
        box_id,
        &[("title", "Ban"), ("body", "Des bancs sur la place, à l'ombre des tilleuls."), ("category", "Voirie")],
        Some(&photo),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("à l&#39;ombre des tilleuls") || r.body.contains("à l'ombre des tilleuls"));
    // The photo was received and is kept for the next try.
    let kept = crate::support::hidden_field(&r.body, "photo_file").expect("the photo is kept");
    let r = propose(
        &mut a,
        &server,
        box_id,
        &[
            ("photo_file", &kept),
            ("photo_alt", "La place vue depuis le clocher"),
            ("title", "Installer des bancs sur la place"),
            ("body", "Des bancs sur la place, à l'ombre des **tilleuls**."),
            ("category", "Voirie"),
            ("latitude", "45,7772"),
            ("longitude", "4.6121"),
        ],
        None,
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let path = r.header("location").unwrap().to_string();
    let id: u64 = path.trim_start_matches("/propositions/").parse().unwrap();
    let page = a.get(&server.at(&path));
    assert!(page.body.contains("<strong>tilleuls</strong>"), "Markdown rendered");
    assert!(page.body.contains("Déposée") && page.body.contains("45.77720"));
    assert!(
        page.body.contains(&format!("src=\"/fichiers/{kept}\""))
            && page.body.contains("alt=\"La place vue depuis le clocher\"")
    );
    let served = a.get(&server.at(&format!("/fichiers/{kept}")));
    assert_eq!(served.header("content-type"), Some("image/jpeg"), "re-encoded as JPEG");
    assert_eq!(a.get(&server.at("/fichiers/..%2f..%2fparvis.redb")).status, 404);

    // The map lists it with its place (the text alternative the map reads).
    let map = a.get(&server.at(&format!("/idees/{box_id}/carte")));
    assert!(
        map.body.contains("data-point-lat=\"45.7772\"") && map.body.contains("Installer des bancs sur la place"),
        "{}",
        map.body
    );
    // The list shows it, in each sort, and filters by category.
    let list = a.get(&server.at(&format!("/idees/{box_id}?tri=soutenues&categorie=Voirie")));
    assert!(list.body.contains("Installer des bancs sur la place"));
    let none = a.get(&server.at(&format!("/idees/{box_id}?categorie=Espaces+verts")));
    assert!(!none.body.contains("Installer des bancs sur la place"));

    // Supports: the author and a neighbour; the second reaches the threshold.
    let support = format!("/propositions/{id}/soutien");
    assert_eq!(post(&mut a, &server, &path, &support, &[("soutenir", "oui")]).status, 303);
    let mut f = Client::new();
    sign_in(&mut f, &server, &fan);
    post(&mut f, &server, &path, &support, &[("soutenir", "oui")]);
    let p = proposals::get(&server.state().store.read().unwrap(), ProposalId(id)).unwrap().unwrap();
    assert_eq!(p.supports, 2);
    assert!(p.threshold_reached_at.is_some());
    assert_eq!(p.status, proposals::Status::UnderStudy, "on the town hall's agenda");
    // Withdrawing works while the box is open.
    post(&mut f, &server, &path, &support, &[("soutenir", "non")]);
    assert_eq!(proposals::get(&server.state().store.read().unwrap(), ProposalId(id)).unwrap().unwrap().supports, 1);

    // The town hall answers: a rejection needs a reason; an acceptance is published.
    let answer = format!("/admin/propositions/{id}");
    let r = post(&mut staff, &server, &answer, &answer, &[("status", "rejected"), ("text", "")]);
    assert_eq!(r.status, 422);
    let r = post(
        &mut staff,
        &server,
        &answer,
        &answer,
        &[("status", "accepted"), ("text", "Accepté : les bancs seront posés au printemps.")],
    );
    assert_eq!(r.status, 303);
    let milestone = format!("/admin/propositions/{id}/jalon");
    post(&mut staff, &server, &answer, &milestone, &[("title", "Commande passée"), ("progress", "40")]);
    let page = a.get(&server.at(&path));
    assert!(page.body.contains("les bancs seront posés au printemps") && page.body.contains("Commande passée"));
    assert!(page.body.contains("value=\"40\""), "progress bar");
    let done = a.get(&server.at("/ce-que-nous-avons-fait"));
    assert!(done.body.contains("Installer des bancs sur la place") && done.body.contains("En cours de réalisation"));

    // The author follows their proposal and was told, in the app and by mail:
    // followers are told by the fan-out after the commit, so wait for it.
    crate::notifications::fanned_out(&server);
    let notes = a.get(&server.at("/compte/notifications"));
    assert!(
        notes.body.contains("a atteint son seuil")
            && (notes.body.contains("a changé l&#39;état") || notes.body.contains("a changé l'état")),
        "{}",
        notes.body
    );
    assert!(server.state().store.verify().unwrap().is_ok(), "{:?}", server.state().store.verify().unwrap().problems);
}

#[test]
fn many_parallel_supports_from_one_account_count_once() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent2@testville.test", "Agent", Role::Staff, true);
    let fan = make_person(&server, "parallel@testville.test", "Rapide", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    let r = propose(
        &mut staff,
        &server,
        box_id,
        &[("title", "Une piste cyclable rue de la Gare"), ("body", "Relier la gare au collège à vélo, en sécurité.")],
        None,
    );
    let path = r.header("location").unwrap().to_string();
    let id: u64 = path.trim_start_matches("/propositions/").parse().unwrap();

    let mut c = Client::new();
    sign_in(&mut c, &server, &fan);
    let page = c.get(&server.at(&path));
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let cookies = c.cookies.clone();
    let url = server.at(&format!("/propositions/{id}/soutien"));
    let threads: Vec<_> = (0..24)
        .map(|_| {
            let (cookies, token, url) = (cookies.clone(), token.clone(), url.clone());
            std::thread::spawn(move || {
                let mut c = Client::new();
                c.cookies = cookies;
                c.post_form(&url, &[("soutenir", "oui"), ("_csrf", &token)]).status
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 303);
    }
    let tx = server.state().store.read().unwrap();
    assert_eq!(proposals::get(&tx, ProposalId(id)).unwrap().unwrap().supports, 1);
    drop(tx);
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn similar_proposals_are_shown_while_posting() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent3@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    let form = format!("/idees/{box_id}/proposer");
    propose(
        &mut staff,
        &server,
        box_id,
        &[
            ("title", "Créer une piste cyclable vers le collège"),
            ("body", "Pour que les élèves viennent à vélo en sécurité."),
        ],
        None,
    );
    let seq = parvis::domain::changes::last_seq(&server.state().store.read().unwrap()).unwrap();
    assert!(server.state().search.wait_for_blocking(seq, std::time::Duration::from_secs(20)), "indexed");
    // With the script: a fragment; without it: the form's own button (GET).
    let fragment = staff.get(&server.at("/propositions/semblables?titre=pistes%20cyclables"));
    assert!(fragment.body.contains("Créer une piste cyclable vers le collège"), "{}", fragment.body);
    // Without it, the form's own button posts the form (never a GET, which
    // would carry the form's token in the address): nothing is posted.
    let empty = staff.get(&server.at(&form)).body;
    assert!(empty.contains("name=\"verifier\"") && !empty.contains("formmethod=\"get\""), "{empty}");
    let before = proposals::count(&server.state().store.read().unwrap()).unwrap();
    let page = propose(
        &mut staff,
        &server,
        box_id,
        &[("title", "piste cyclabel"), ("body", "Mon texte."), ("verifier", "1")],
        None,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Des propositions semblables existent déjà"));
    assert!(page.body.contains("value=\"piste cyclabel\""), "the title typed is kept");
    assert!(page.body.contains("Mon texte."), "the text typed is kept");
    let after = proposals::count(&server.state().store.read().unwrap()).unwrap();
    assert_eq!(before, after, "checking posts nothing");
}

/// A posted proposal's id and its photo's file name.
fn posted_with_photo(c: &mut Client, server: &TestServer, box_id: u64, title: &str) -> (u64, String) {
    let r = propose(
        c,
        server,
        box_id,
        &[("title", title), ("body", "Un texte assez long pour être accepté.")],
        Some(&png()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id: u64 = r.header("location").unwrap().trim_start_matches("/propositions/").parse().unwrap();
    let p = proposals::get(&server.state().store.read().unwrap(), ProposalId(id)).unwrap().unwrap();
    (id, p.photo.expect("a photo").file)
}

#[test]
fn a_hidden_proposal_takes_no_support_and_shows_nothing_of_itself() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent4@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "auteur4@testville.test", "Claire Auteur", Role::Resident, false);
    let moderator = make_person(&server, "modo4@testville.test", "Morgane Modère", Role::Moderator, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "2");
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let (id, photo) = posted_with_photo(&mut a, &server, box_id, "Un titre qui dérange");
    let path = format!("/propositions/{id}");
    let mut m = Client::new();
    sign_in(&mut m, &server, &moderator);
    let item = format!("/admin/moderation/proposal/{id}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "abuse"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);

    // Two residents try to support and follow it: refused, nothing counted.
    let mut residents = Vec::new();
    for (i, email) in ["r1@testville.test", "r2@testville.test"].into_iter().enumerate() {
        let person = make_person(&server, email, &format!("Voisin {i}"), Role::Resident, false);
        let mut c = Client::new();
        sign_in(&mut c, &server, &person);
        residents.push(person.id);
        let r = post(&mut c, &server, "/idees", &format!("{path}/soutien"), &[("soutenir", "oui")]);
        assert_eq!(r.status, 404, "a hidden proposal takes no support");
        let r = post(&mut c, &server, "/idees", &format!("{path}/suivi"), &[("suivre", "oui")]);
        assert_eq!(r.status, 404, "nor a new follower");
    }
    let tx = server.state().store.read().unwrap();
    let p = proposals::get(&tx, ProposalId(id)).unwrap().unwrap();
    assert_eq!((p.supports, p.status), (0, proposals::Status::Submitted));
    assert!(residents.iter().all(|r| !proposals::is_following(&tx, ProposalId(id), AccountId(*r)).unwrap()));
    drop(tx);

    // Visitors and its author see that it was hidden, and nothing of it.
    for c in [&mut Client::new(), &mut a] {
        let page = c.get(&server.at(&path));
        assert_eq!(page.status, 200);
        assert!(crate::support::title_of(&page.body).contains("Proposition masquée"), "{}", page.body);
        assert!(page.body.contains("masqué par la modération"));
        for secret in ["Un titre qui dérange", "Un texte assez long", photo.as_str()] {
            assert!(!page.body.contains(secret), "{secret} shows on a hidden proposal's page");
        }
        assert_eq!(c.get(&server.at(&format!("/fichiers/{photo}"))).status, 404, "its photo is not served");
    }
    // The moderators still read it whole.
    let page = m.get(&server.at(&path));
    assert!(page.body.contains("Un titre qui dérange") && page.body.contains(&photo));
    let served = m.get(&server.at(&format!("/fichiers/{photo}")));
    assert_eq!(served.status, 200);
    assert_eq!(served.header("cache-control"), Some("no-store"), "never kept while hidden");
}

#[test]
fn a_held_proposal_and_its_photo_are_its_authors_and_take_no_support() {
    let server =
        TestServer::start_with(&[("moderation.held_words", parvis::config::Value::List(vec!["arnaque".into()]))]);
    let agent = make_person(&server, "agent5@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "auteur5@testville.test", "Claire Auteur", Role::Resident, false);
    let other = make_person(&server, "voisin5@testville.test", "Paul Voisin", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "1");
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let (id, photo) = posted_with_photo(&mut a, &server, box_id, "Une arnaque au marché");
    let path = format!("/propositions/{id}");
    assert!(a.get(&server.at(&path)).body.contains("Une arnaque au marché"), "its author sees it");
    let own = a.get(&server.at(&format!("/fichiers/{photo}")));
    assert_eq!((own.status, own.header("cache-control")), (200, Some("no-store")), "and its photo");
    // Even its author's support would put it on the agenda unread.
    let r = post(&mut a, &server, &path, &format!("{path}/soutien"), &[("soutenir", "oui")]);
    assert_eq!(r.status, 404);
    let mut o = Client::new();
    sign_in(&mut o, &server, &other);
    assert_eq!(o.get(&server.at(&path)).status, 404);
    assert_eq!(o.get(&server.at(&format!("/fichiers/{photo}"))).status, 404);
    assert_eq!(Client::new().get(&server.at(&format!("/fichiers/{photo}"))).status, 404);
    let r = post(&mut o, &server, "/idees", &format!("{path}/soutien"), &[("soutenir", "oui")]);
    assert_eq!(r.status, 404);
    let p = proposals::get(&server.state().store.read().unwrap(), ProposalId(id)).unwrap().unwrap();
    assert_eq!((p.supports, p.threshold_reached_at), (0, None));
    assert!(server.state().store.verify().unwrap().is_ok(), "{:?}", server.state().store.verify().unwrap().problems);
}

#[test]
fn a_proposal_cannot_name_another_persons_photo() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent6@testville.test", "Agent", Role::Staff, true);
    let alice = make_person(&server, "alice6@testville.test", "Alice", Role::Resident, false);
    let bob = make_person(&server, "bob6@testville.test", "Bob", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    let mut a = Client::new();
    sign_in(&mut a, &server, &alice);
    // Alice's form is refused; her photo waits for her next try.
    let r = propose(&mut a, &server, box_id, &[("title", "Ban"), ("body", "Trop court")], Some(&png()));
    assert_eq!(r.status, 422);
    let pending = crate::support::hidden_field(&r.body, "photo_file").expect("kept for her");
    assert_eq!(a.get(&server.at(&format!("/fichiers/{pending}"))).status, 200, "her preview");
    let mut b = Client::new();
    sign_in(&mut b, &server, &bob);
    assert_eq!(b.get(&server.at(&format!("/fichiers/{pending}"))).status, 404, "not anyone's");
    let fields = [("title", "Des bancs sur la place"), ("body", "Des bancs à l'ombre des tilleuls.")];
    let r = propose(&mut b, &server, box_id, &[&fields[..], &[("photo_file", pending.as_str())]].concat(), None);
    assert_eq!(r.status, 422, "Bob may not name Alice's upload");
    assert!(r.body.contains("n&#39;est plus disponible") || r.body.contains("n'est plus disponible"), "{}", r.body);
    // Nor the photo of a posted proposal.
    let (_, posted) = posted_with_photo(&mut a, &server, box_id, "Des arbres rue Haute");
    let r = propose(&mut b, &server, box_id, &[&fields[..], &[("photo_file", posted.as_str())]].concat(), None);
    assert_eq!(r.status, 422, "Bob may not name the photo of Alice's proposal");
    let tx = server.state().store.read().unwrap();
    assert!(proposals::of_author(&tx, AccountId(bob.id)).unwrap().is_empty(), "nothing posted under Bob's name");
}

/// Sends `head` then `body` on a new connection (a thread writes, and gives
/// up quietly when the server stops reading) and returns the answer's
/// status and whole text, as far as the server sent it.
fn raw(server: &TestServer, head: &str, body: Vec<u8>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let head = head.to_string();
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(&body));
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        // The answer is whole once its body (Content-Length) has arrived.
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(str::to_string))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|l| got.len() >= end + 4 + l) {
                break;
            }
        }
    }
    drop(stream);
    let _ = sending.join();
    let text = String::from_utf8_lossy(&got).to_string();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// A signed-in resident's cookies and form token, for raw requests.
fn signed_in_resident(server: &TestServer, email: &str) -> (String, String, u64) {
    let agent = make_person(server, &format!("agent-{email}"), "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, server, &agent);
    let box_id = open_box(&mut staff, server, "0");
    let person = make_person(server, email, "Claire", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, server, &person);
    let page = c.get(&server.at(&format!("/idees/{box_id}/proposer")));
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let cookies = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    (cookies, token, box_id)
}

fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--b0undary\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(b"--b0undary--\r\n");
    body
}

#[test]
fn an_oversized_proposal_form_is_refused_early_and_not_echoed() {
    let server = TestServer::start();
    let (cookies, token, box_id) = signed_in_resident(&server, "grand@testville.test");
    let host = server.url.trim_start_matches("http://").to_string();
    // The token in the address too, where it used to go: this test is about
    // sizes, whichever place the token is read from.
    let head = |length: usize| {
        format!(
            "POST /idees/{box_id}/proposer?_csrf={token} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookies}\r\n\
             Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: {length}\r\n\r\n"
        )
    };
    // A 50 MB request: refused on its announced length, before it is read.
    let (status, answer) = raw(&server, &head(50_000_000), multipart(&[("_csrf", &token)]));
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("trop volumineu"), "a page that says why: {answer}");

    // A 3 MB text in a request of allowed size: refused at the field's
    // limit, and the answer does not carry it back.
    let huge = "x".repeat(3_000_000);
    let body = multipart(&[("_csrf", &token), ("title", "Des bancs sur la place"), ("body", &huge)]);
    let (status, answer) = raw(&server, &head(body.len()), body);
    assert_eq!(status, 413, "{}", &answer[..answer.len().min(2000)]);
    assert!(answer.len() < 100_000, "the refused text is not echoed ({} bytes)", answer.len());

    // Too many fields, even unknown ones: refused.
    let many: Vec<(String, String)> = (0..200).map(|i| (format!("f{i}"), "x".to_string())).collect();
    let mut fields = vec![("_csrf", token.as_str())];
    fields.extend(many.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let body = multipart(&fields);
    let (status, _) = raw(&server, &head(body.len()), body);
    assert_eq!(status, 413);
    let tx = server.state().store.read().unwrap();
    assert_eq!(proposals::count(&tx).unwrap(), 0, "nothing posted");
}

#[test]
fn the_proposal_form_carries_its_csrf_token_in_its_body_not_its_address() {
    let server = TestServer::start();
    let (cookies, token, box_id) = signed_in_resident(&server, "jeton@testville.test");
    let mut c = Client::new();
    c.cookies = cookies.split("; ").filter_map(|p| p.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
    let form = format!("/idees/{box_id}/proposer");
    let page = c.get(&server.at(&form));
    assert!(!page.body.contains("_csrf="), "no token in the form's action: it would reach logs and Referer");
    let fields = [("title", "Des bancs sur la place"), ("body", "Des bancs à l'ombre des tilleuls.")];
    // In the address only: refused.
    let r = c.post_multipart(&server.at(&format!("{form}?_csrf={token}")), &fields, None);
    assert_eq!(r.status, 403);
    // Not first in the body: refused (the check reads only the first field).
    let r = c.post_multipart(&server.at(&form), &[&fields[..], &[("_csrf", token.as_str())]].concat(), None);
    assert_eq!(r.status, 403);
    // A wrong one: refused.
    let r = c.post_multipart(&server.at(&form), &[&[("_csrf", "0000")][..], &fields[..]].concat(), None);
    assert_eq!(r.status, 403);
    assert_eq!(proposals::count(&server.state().store.read().unwrap()).unwrap(), 0);
    // First in the body, as the browser sends the form: posted, every
    // other field read after it.
    let r = c.post_multipart(&server.at(&form), &[&[("_csrf", token.as_str())][..], &fields[..]].concat(), None);
    assert_eq!(r.status, 303, "{}", r.body);
    let id: u64 = r.header("location").unwrap().trim_start_matches("/propositions/").parse().unwrap();
    let p = proposals::get(&server.state().store.read().unwrap(), ProposalId(id)).unwrap().unwrap();
    assert_eq!((p.title.as_str(), p.body.as_str()), ("Des bancs sur la place", "Des bancs à l'ombre des tilleuls."));
}

#[test]
fn proposals_have_a_quota_and_forgotten_uploads_are_deleted() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent7@testville.test", "Agent", Role::Staff, true);
    let resident = make_person(&server, "prolixe@testville.test", "Prolixe", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    // A photo uploaded two days ago with a form never sent again.
    let stale = format!("{}.jpg", "ab".repeat(16));
    let files = parvis::photos::dir(&server.state().config.data_dir);
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join(&stale), b"old").unwrap();
    let (name, who) = (stale.clone(), resident.id);
    let two_days_ago = parvis::domain::now_unix() - 2 * 86_400;
    server.write(move |tx| proposals::record_upload(tx, &name, AccountId(who), two_days_ago));

    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    // Forms refused for their texts cost nothing.
    for _ in 0..8 {
        assert_eq!(propose(&mut c, &server, box_id, &[("title", "Ban")], None).status, 422);
    }
    for i in 0..5 {
        let title = format!("Proposition numéro {i}");
        let photo = (i == 0).then(png);
        let r =
            propose(&mut c, &server, box_id, &[("title", &title), ("body", "Un texte assez long.")], photo.as_deref());
        assert_eq!(r.status, 303, "{}", r.body);
    }
    assert!(!files.join(&stale).exists(), "the upload never posted was deleted with the next one");
    let r =
        propose(&mut c, &server, box_id, &[("title", "Une de trop, gardée"), ("body", "Un texte assez long.")], None);
    assert_eq!(r.status, 429);
    let wait: u64 = r.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    assert!(r.body.contains("value=\"Une de trop, gardée\""), "what was typed is kept");
    assert!(r.body.contains("beaucoup de propositions"), "{}", r.body);
    assert_eq!(proposals::count(&server.state().store.read().unwrap()).unwrap(), 5);
}

#[test]
fn a_proposal_has_its_own_report_link() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent8@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "auteur8@testville.test", "Auteur", Role::Resident, false);
    let reader = make_person(&server, "lecteur8@testville.test", "Lecteur", Role::Resident, false);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let r = propose(
        &mut a,
        &server,
        box_id,
        &[("title", "Vendez vos voisins"), ("body", "Une annonce sans rapport.")],
        None,
    );
    let path = r.header("location").unwrap().to_string();
    let id: u64 = path.trim_start_matches("/propositions/").parse().unwrap();
    let link = format!("/signaler?cible=proposal-{id}");
    assert!(!a.get(&server.at(&path)).body.contains(&link), "not to its author");
    let mut c = Client::new();
    sign_in(&mut c, &server, &reader);
    assert!(c.get(&server.at(&path)).body.contains(&format!("href=\"{link}\"")), "a report link of its own");
    assert_eq!(c.get(&server.at(&link)).status, 200);
    let fields = [("cible", format!("proposal-{id}")), ("motif", "off-topic".to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&mut c, &server, &link, "/signaler", &fields);
    assert_eq!((r.status, r.header("location")), (303, Some(path.as_str())), "back to the proposal");
    let target = parvis::domain::changes::Target::new(parvis::domain::changes::ContentKind::Proposal, id);
    let tx = server.state().store.read().unwrap();
    assert_eq!(parvis::domain::moderation::reports_of(&tx, target).unwrap().len(), 1, "in the moderators' queue");
}

#[test]
fn a_page_number_past_any_list_is_bounded() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent9@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    propose(&mut staff, &server, box_id, &[("title", "Une seule proposition"), ("body", "Un texte assez long.")], None);
    for sort in ["recentes", "soutenues", "hasard"] {
        for page in ["18446744073709551615", "1000000"] {
            let r = staff.get(&server.at(&format!("/idees/{box_id}?tri={sort}&page={page}")));
            assert_eq!(r.status, 200, "{sort} page {page}: {}", r.body);
            assert!(r.body.contains("page=999"), "the previous page is within the bound");
        }
    }
    let seq = parvis::domain::changes::last_seq(&server.state().store.read().unwrap()).unwrap();
    assert!(server.state().search.wait_for_blocking(seq, std::time::Duration::from_secs(20)), "indexed");
    let r = staff.get(&server.at("/recherche?q=proposition&page=18446744073709551615"));
    assert_eq!(r.status, 200);
    // The moderation queue's page too (it overflowed into a 500).
    let r = staff.get(&server.at("/admin/moderation?page=18446744073709551615"));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// What the pages keep between requests (each proposal's summary for the
/// lists, formatted counts, rendered Markdown, a search's loaded results)
/// never shows a change late: a visitor who has already seen the list, the
/// proposal and a search sees a support, an answer, a comment, its edit and
/// a moderator's decision on the very next request.
#[test]
fn what_pages_keep_shows_a_change_on_the_next_request() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent9@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "auteur9@testville.test", "Claire Auteur", Role::Resident, false);
    let fan = make_person(&server, "fan9@testville.test", "Paul Soutien", Role::Resident, false);
    let moderator = make_person(&server, "modo9@testville.test", "Morgane Modère", Role::Moderator, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server, "0");
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let fields = [("title", "Des nichoirs dans le parc"), ("body", "Pour les mésanges et les **rouges-gorges**.")];
    let r = propose(&mut a, &server, box_id, &fields, None);
    assert_eq!(r.status, 303, "{}", r.body);
    let path = r.header("location").unwrap().to_string();
    let id: u64 = path.trim_start_matches("/propositions/").parse().unwrap();
    let list = format!("/idees/{box_id}?tri=recentes");
    let search = "/recherche?q=nichoirs";
    let seq = parvis::domain::changes::last_seq(&server.state().store.read().unwrap()).unwrap();
    assert!(server.state().search.wait_for_blocking(seq, std::time::Duration::from_secs(30)));

    // A visitor sees each page twice: whatever is kept is kept now.
    let mut visitor = Client::new();
    for _ in 0..2 {
        assert!(visitor.get(&server.at(&list)).body.contains("Aucun soutien"));
        assert!(visitor.get(&server.at(&format!("/idees/{box_id}"))).body.contains("Aucun soutien"));
        assert!(visitor.get(&server.at(&path)).body.contains("<strong>rouges-gorges</strong>"));
        assert!(visitor.get(&server.at(search)).body.contains(&format!("href=\"{path}\"")));
    }

    // A support: the list and the page count it.
    let mut f = Client::new();
    sign_in(&mut f, &server, &fan);
    assert_eq!(post(&mut f, &server, &path, &format!("{path}/soutien"), &[("soutenir", "oui")]).status, 303);
    assert!(visitor.get(&server.at(&list)).body.contains("1 soutien"));
    assert!(visitor.get(&server.at(&format!("/idees/{box_id}"))).body.contains("1 soutien"), "the shuffled list too");
    assert!(visitor.get(&server.at(&path)).body.contains("1 soutien"));

    // The town hall's answer: the list shows the new status.
    let answer = format!("/admin/propositions/{id}");
    let r = post(&mut staff, &server, &answer, &answer, &[("status", "accepted"), ("text", "Oui, au printemps.")]);
    assert_eq!(r.status, 303);
    let listed = visitor.get(&server.at(&list)).body;
    assert!(listed.contains("badge-accepted") && !listed.contains("badge-submitted"), "{listed}");
    // The search asked again shows it too (its results and their list are
    // kept until the change log moves, and the answer moved it).
    let found = visitor.get(&server.at(search)).body;
    assert!(found.contains("badge-accepted") && !found.contains("badge-submitted"), "{found}");

    // A comment, then its edit, then a moderator hides it.
    let r = post(
        &mut f,
        &server,
        &path,
        "/commentaires/nouveau",
        &[("cible", &format!("proposal-{id}")), ("texte", "Un *nichoir* par arbre"), ("position", "for")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let comment: u64 = r.header("location").unwrap().rsplit_once("#commentaire-").unwrap().1.parse().unwrap();
    assert!(visitor.get(&server.at(&path)).body.contains("Un <em>nichoir</em> par arbre"));
    let edit = format!("/commentaires/{comment}/modifier");
    let r = post(&mut f, &server, &edit, &edit, &[("texte", "Un *nichoir* tous les deux arbres"), ("position", "for")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor.get(&server.at(&path)).body;
    assert!(page.contains("Un <em>nichoir</em> tous les deux arbres") && !page.contains("par arbre"), "{page}");
    let mut m = Client::new();
    sign_in(&mut m, &server, &moderator);
    let item = format!("/admin/moderation/comment/{comment}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "off-topic"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = visitor.get(&server.at(&path)).body;
    assert!(page.contains("Masqué par la modération") && !page.contains("deux arbres"), "{page}");

    // The proposal hidden: gone from the list and from the search asked
    // again at once, whether the index has applied the change yet or not.
    let item = format!("/admin/moderation/proposal/{id}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "abuse"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!visitor.get(&server.at(&list)).body.contains("Des nichoirs dans le parc"));
    assert!(!visitor.get(&server.at(&format!("/idees/{box_id}"))).body.contains("Des nichoirs dans le parc"));
    assert!(!visitor.get(&server.at(search)).body.contains(&format!("href=\"{path}\"")));
    assert!(server.state().store.verify().unwrap().is_ok(), "{:?}", server.state().store.verify().unwrap().problems);
}
