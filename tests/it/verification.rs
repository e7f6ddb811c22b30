//! Verification of residents over real HTTP (issue 14, "one person, one
//! vote"): at the counter, by a code sent by post (the letters' PDF read
//! back), against an imported list that the database never holds in clear.

use parvis::config::Value;
use parvis::domain::accounts::{self, Role};
use parvis::domain::audit::Action;
use parvis::domain::ids::AccountId;

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in, Person};
use crate::support::{hidden_field, Client, TestServer};

fn role(server: &TestServer, p: &Person) -> Role {
    accounts::role_of(&server.state().store.read().unwrap(), AccountId(p.id)).unwrap().unwrap()
}

fn signed_in(server: &TestServer, p: &Person) -> Client {
    let mut c = Client::new();
    sign_in(&mut c, server, p);
    c
}

fn staff(server: &TestServer) -> Client {
    let agent = make_person(server, "agent@mairie.test", "Agent Accueil", Role::Staff, true);
    signed_in(server, &agent)
}

#[test]
fn staff_verify_a_resident_at_the_counter_once_per_person_and_revoke_it_audited() {
    let server = TestServer::start();
    let mut s = staff(&server);
    let camille = make_person(&server, "camille@example.test", "Camille Lefèvre", Role::Resident, false);
    let other = make_person(&server, "autre@example.test", "Autre Compte", Role::Resident, false);
    let mut r = signed_in(&server, &camille);
    assert_eq!(r.get(&server.at("/admin/verification")).status, 403, "residents cannot reach the staff's pages");
    assert!(
        r.get(&server.at("/compte")).body.contains("href=\"/compte/verification\""),
        "linked from the account page"
    );
    assert!(s.get(&server.at("/admin")).body.contains("href=\"/admin/verification\""), "linked from the staff's home");
    let page = r.get(&server.at("/compte/verification"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("pièce d'identité"), "the counter is offered by default: {}", page.body);
    assert!(!page.body.contains("/compte/verification/courrier"), "post is off by default");

    let nobody = post(&mut s, &server, "/admin/verification", "/admin/verification", &[("email", "x@example.test")]);
    assert_eq!(nobody.status, 404);
    assert!(nobody.body.contains("Aucun compte"), "{}", nobody.body);
    let found =
        post(&mut s, &server, "/admin/verification", "/admin/verification", &[("email", "Camille@Example.test")]);
    assert_eq!(found.status, 303, "{}", found.body);
    let card = found.header("location").unwrap().to_string();
    assert_eq!(card, format!("/admin/verification/comptes/{}", camille.id));
    let shown = s.get(&server.at(&card)).body;
    assert!(
        shown.contains("Camille Lefèvre") && shown.contains("camille@example.test") && shown.contains("non vérifié")
    );
    assert!(shown.contains("<dt>Adresse électronique</dt>") && !shown.contains("verification-"), "translated: {shown}");
    let staff_field = r#"id="last_name" name="last_name" type="text" value="" autocomplete="off""#;
    assert!(shown.contains(staff_field), "the staff's browser does not offer their own name: {shown}");

    let fields = |last: &'static str, first: &'static str, birth: &'static str| {
        vec![("document", "identity-card"), ("last_name", last), ("first_names", first), ("birth_date", birth)]
    };
    let bad = post(&mut s, &server, &card, &format!("{card}/verifier"), &fields("Lefèvre", "Camille", "2999-01-01"));
    assert_eq!(bad.status, 422, "{}", bad.body);
    let done =
        post(&mut s, &server, &card, &format!("{card}/verifier"), &fields("Lefèvre", "Camille Anne", "2008-12-05"));
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(role(&server, &camille), Role::VerifiedResident);
    let shown = s.get(&server.at(&card)).body;
    assert!(shown.contains("au guichet de la mairie"), "{shown}");
    assert!(!shown.contains("2008") && !shown.contains("05/12"), "staff do not see the birth date: {shown}");
    assert!(r.get(&server.at("/compte/verification")).body.contains("Compte vérifié au guichet de la mairie"));

    // The same person, typed otherwise, on a second account: refused.
    let other_card = format!("/admin/verification/comptes/{}", other.id);
    let twice = post(
        &mut s,
        &server,
        &other_card,
        &format!("{other_card}/verifier"),
        &fields("LEFEVRE", "camille-anne", "2008-12-05"),
    );
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(twice.body.contains("déjà vérifiée sur un autre compte"), "{}", twice.body);
    assert_eq!(role(&server, &other), Role::Resident);

    // Revoked with a reason: audited, the role goes back.
    let no_reason = post(&mut s, &server, &card, &format!("{card}/revoquer"), &[("reason", "")]);
    assert_eq!(no_reason.status, 422);
    let revoked = post(&mut s, &server, &card, &format!("{card}/revoquer"), &[("reason", "Erreur de compte")]);
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert_eq!(role(&server, &camille), Role::Resident);
    let log = events(&server);
    let verified: Vec<_> = log.iter().filter(|e| e.action == Action::ResidentVerified).collect();
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0].detail, "verified: counter (identity-card)");
    let revoked: Vec<_> = log.iter().filter(|e| e.action == Action::VerificationRevoked).collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        (revoked[0].subject, revoked[0].detail.as_str()),
        (Some(AccountId(camille.id)), "revoked (counter): Erreur de compte")
    );
    assert!(server.state().store.verify().unwrap().is_ok());
}

/// POSTs a form and returns the raw body (a PDF is not text).
fn post_bytes(c: &Client, url: &str, fields: &[(&str, &str)]) -> (u16, Option<String>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let cookies = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let mut resp = agent.post(url).header("cookie", &cookies).send_form(fields.iter().copied()).unwrap();
    let kind = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    (resp.status().as_u16(), kind, resp.body_mut().read_to_vec().unwrap())
}

/// The text of a PDF by poppler's `pdftotext`, or `None` where it is not
/// installed (Debian `poppler-utils`; the CI installs it).
fn pdf_text(pdf: &[u8]) -> Option<(String, u32)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lettres.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().ok()?;
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let info = std::process::Command::new("pdfinfo").arg(&path).output().ok()?;
    let info = String::from_utf8(info.stdout).unwrap();
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    Some((String::from_utf8(text.stdout).unwrap(), pages))
}

/// Where poppler finds `word` on the first page: (left, top) in mm from
/// the page's top-left corner.
fn position_of(pdf: &[u8], word: &str) -> (f32, f32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lettres.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let line =
        html.lines().find(|l| l.ends_with(&format!(">{word}</word>"))).unwrap_or_else(|| panic!("{word} in {html}"));
    let attr = |name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mm = 25.4 / 72.0;
    (attr("xMin") * mm, attr("yMin") * mm)
}

/// The code printed in a letter: two groups of five after "Tapez ce code".
fn code_in(text: &str) -> String {
    let after = &text[text.find("Tapez ce code").expect("the code's line")..];
    after.split_whitespace().find(|w| w.len() == 11 && w.as_bytes()[5] == b'-').expect("a code ABCDE-FGHJK").to_string()
}

#[test]
fn a_code_sent_by_post_verifies_its_own_account_once() {
    let server = TestServer::start_with(&[("verification.postal_codes", Value::Bool(true))]);
    let mut s = staff(&server);
    let camille = make_person(&server, "camille@example.test", "Camille", Role::Resident, false);
    let dominique = make_person(&server, "dominique@example.test", "Dominique", Role::Resident, false);
    let (mut a, mut b) = (signed_in(&server, &camille), signed_in(&server, &dominique));
    let page = "/compte/verification";
    let one_line = post(&mut a, &server, page, "/compte/verification/courrier", &[("address", "Camille")]);
    assert_eq!(one_line.status, 422, "{}", one_line.body);
    let address = "Camille Lefèvre\n12 rue de l'Église\n\n69999 Saint-Exemple";
    let asked = post(&mut a, &server, page, "/compte/verification/courrier", &[("address", address)]);
    assert_eq!(asked.status, 303, "{}", asked.body);
    let asked = post(
        &mut b,
        &server,
        page,
        "/compte/verification/courrier",
        &[("address", "Dominique Petit\n3 place du Marché\n69999 Saint-Exemple")],
    );
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert!(a.get(&server.at(page)).body.contains("attend l'impression"));

    let letters = s.get(&server.at("/admin/verification/courriers"));
    assert!(letters.body.contains("2 lettres à imprimer"), "{}", letters.body);
    let token = hidden_field(&letters.body, "_csrf").unwrap();
    let (status, kind, pdf) = post_bytes(&s, &server.at("/admin/verification/courriers"), &[("_csrf", &token)]);
    assert_eq!((status, kind.as_deref()), (200, Some("application/pdf")));
    assert!(pdf.starts_with(b"%PDF-"));
    // Printed once: the addresses are gone, nothing waits any more.
    assert!(s.get(&server.at("/admin/verification/courriers")).body.contains("Aucune lettre"));
    assert_eq!(events(&server).iter().filter(|e| e.action == Action::VerificationLettersPrinted).count(), 1);

    let Some((text, pages)) = pdf_text(&pdf) else {
        eprintln!("pdftotext is not installed: the letters' text is not checked");
        return;
    };
    assert_eq!(pages, 2, "one letter a page: {text}");
    // The address shows through a DL window on the right: about 110 mm from
    // the left, from 45–50 mm to 90 mm from the top.
    let first_line = if text.find("Camille Lefèvre") < text.find("Dominique Petit") { "Camille" } else { "Dominique" };
    let (left, top) = position_of(&pdf, first_line);
    assert!((109.0..=112.0).contains(&left) && (45.0..=55.0).contains(&top), "{first_line} at {left} mm, {top} mm");
    let (_, town_top) = position_of(&pdf, "Saint-Exemple");
    assert!(town_top < 90.0, "the last line within the window: {town_top} mm");
    let letters: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    let camille_letter = letters.iter().find(|l| l.contains("Camille Lefèvre")).expect("Camille's letter");
    assert!(camille_letter.contains("12 rue de l'Église") && camille_letter.contains("69999 Saint-Exemple"));
    assert!(camille_letter.contains(&format!("{}/compte/verification", server.url)), "{camille_letter}");
    let code = code_in(camille_letter);
    let other_code = code_in(letters.iter().find(|l| l.contains("Dominique Petit")).unwrap());

    let wrong = post(&mut a, &server, page, "/compte/verification/code", &[("code", "AAAAA-AAAAA")]);
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("pas valable pour votre compte"), "{}", wrong.body);
    let not_hers = post(&mut a, &server, page, "/compte/verification/code", &[("code", &other_code)]);
    assert_eq!(not_hers.status, 422, "another account's code");
    let done = post(&mut a, &server, page, "/compte/verification/code", &[("code", &code.to_lowercase())]);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(role(&server, &camille), Role::VerifiedResident);
    assert_eq!(role(&server, &dominique), Role::Resident);
    // Reused: the code died with its use.
    let reused = post(&mut b, &server, page, "/compte/verification/code", &[("code", &code)]);
    assert_eq!(reused.status, 422, "{}", reused.body);
    let log = events(&server);
    assert!(log.iter().any(|e| e.action == Action::ResidentVerified && e.detail == "verified: post"));
    assert!(server.state().store.verify().unwrap().is_ok());
}

const LIST: &str = "Nom de naissance;Nom d'usage;Prénoms;Date de naissance\r\n\
LEFÈVRE;;CAMILLE ANNE;05/12/2008\r\n\
ZOLTANOWSKI;BERTRAND;MARIE-HÉLOÏSE;14/03/1970\r\n";

#[test]
fn residents_match_the_imported_list_which_is_never_stored_in_clear() {
    let server = TestServer::start_with(&[("verification.list", Value::Bool(true))]);
    let mut s = staff(&server);
    let camille = make_person(&server, "camille@example.test", "Camille", Role::Resident, false);
    let twin = make_person(&server, "copie@example.test", "Copie", Role::Resident, false);
    let (mut a, mut b) = (signed_in(&server, &camille), signed_in(&server, &twin));
    assert!(!a.get(&server.at("/compte/verification")).body.contains("/compte/verification/liste"), "no list yet");

    let list_page = s.get(&server.at("/admin/verification/liste"));
    let token = hidden_field(&list_page.body, "_csrf").unwrap();
    let url = server.at("/admin/verification/liste");
    let next_month = jiff::Zoned::now().date().checked_add(jiff::Span::new().days(30)).unwrap().to_string();
    let bad = s.post_multipart(
        &url,
        &[("_csrf", &token), ("delete_on", &next_month)],
        Some(("document", "liste.csv", b"Nom;Prenoms;Date de naissance\nX;Y;pas une date\n")),
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Ligne 2"), "{}", bad.body);
    // Windows-1252, as office software writes it.
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(LIST);
    let done = s.post_multipart(
        &url,
        &[("_csrf", &token), ("delete_on", &next_month)],
        Some(("document", "liste.csv", &latin)),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let shown = s.get(&url).body;
    assert!(shown.contains("2 personnes"), "{shown}");
    let privacy = a.get(&server.at("/donnees-personnelles")).body;
    assert!(privacy.contains("empreintes chiffrées, jusqu'au"), "the list's deletion date is public: {privacy}");

    // The database file holds no name nor birth date of the list.
    let file = std::fs::read(server.state().config.db_path()).unwrap();
    // The scan sees what is committed: an account's display name, kept in clear.
    assert!(file.windows(b"Copie".len()).any(|w| w == b"Copie"), "the scan reads the committed data");
    for needle in [
        "LEFÈVRE",
        "LEFEVRE",
        "Lefèvre",
        "lefevre",
        "ZOLTANOWSKI",
        "zoltanowski",
        "BERTRAND",
        "bertrand",
        "HÉLOÏSE",
        "heloise",
        "05/12/2008",
        "2008-12-05",
        "14/03/1970",
        "1970-03-14",
    ] {
        for bytes in [needle.as_bytes().to_vec(), encoding_rs::WINDOWS_1252.encode(needle).0.into_owned()] {
            assert!(!file.windows(bytes.len()).any(|w| w == bytes.as_slice()), "{needle} is in the database file");
        }
    }

    let page = "/compte/verification";
    let form = |last: &'static str, first: &'static str, birth: &'static str| {
        [("last_name", last), ("first_names", first), ("birth_date", birth)]
    };
    let miss = post(&mut a, &server, page, "/compte/verification/liste", &form("Lefèvre", "Camille", "2008-12-05"));
    assert_eq!(miss.status, 422, "{}", miss.body);
    assert!(miss.body.contains("Aucune personne de la liste"), "{}", miss.body);
    let hit = post(&mut a, &server, page, "/compte/verification/liste", &form("lefevre", "Camille-Anne", "2008-12-05"));
    assert_eq!(hit.status, 303, "{}", hit.body);
    assert_eq!(role(&server, &camille), Role::VerifiedResident);
    let again =
        post(&mut b, &server, page, "/compte/verification/liste", &form("LEFÈVRE", "camille anne", "2008-12-05"));
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("a déjà un compte vérifié"), "the resident's wording, not the staff's: {}", again.body);
    assert_eq!(role(&server, &twin), Role::Resident);
    // The usage name works too.
    let usage =
        post(&mut b, &server, page, "/compte/verification/liste", &form("Bertrand", "Marie Héloïse", "1970-03-14"));
    assert_eq!(usage.status, 303, "{}", usage.body);

    // The resident's own data holds the verification, birth date included.
    let file: serde_json::Value = serde_json::from_str(&a.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(file["verification"]["method"], "list");
    assert_eq!(file["verification"]["birth_date"], "2008-12-05");
    let mine = a.get(&server.at("/compte/mes-donnees")).body;
    assert!(mine.contains("Compte vérifié par la liste de la commune") && mine.contains("2008-12-05"), "{mine}");

    // Deleted by staff: the resident's form goes.
    let token = hidden_field(&s.get(&url).body, "_csrf").unwrap();
    let deleted = s.post_form(&server.at("/admin/verification/liste/supprimer"), &[("_csrf", &token)]);
    assert_eq!(deleted.status, 303);
    assert!(s.get(&url).body.contains("Aucune liste"));
    let changes = events(&server).into_iter().filter(|e| e.action == Action::VerificationListChanged).count();
    assert_eq!(changes, 2, "imported, deleted");
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn the_ways_switched_off_are_not_served() {
    let server = TestServer::start_with(&[("verification.counter", Value::Bool(false))]);
    let camille = make_person(&server, "camille@example.test", "Camille", Role::Resident, false);
    let mut a = signed_in(&server, &camille);
    assert_eq!(a.get(&server.at("/compte/verification")).status, 404);
    let mut s = staff(&server);
    assert_eq!(s.get(&server.at("/admin/verification/courriers")).status, 404);
    assert_eq!(s.get(&server.at("/admin/verification/liste")).status, 404);
}
