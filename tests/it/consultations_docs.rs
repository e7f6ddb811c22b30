//! Consultations' documents and images, templates, the purge of unsent
//! drafts, and the one-click way out of outcome mails, over real HTTP.

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::consultations::{self, Audience, ConsultationId, Raw, DRAFT_KEPT_AFTER_CLOSE_SECS};
use parvis::store::StoreError;

use crate::accounts::{post, Mailbox};
use crate::admin::{events, make_person, sign_in};
use crate::consultations::{day, open_consultation, q, verify_clean};
use crate::support::{hidden_field, Client, Resp, TestServer};

fn staff_client(server: &TestServer) -> Client {
    let agent = make_person(server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, server, &agent);
    staff
}

/// Sends one of the documents page's forms (multipart, the page's CSRF
/// token first, as a browser does).
fn upload(
    c: &mut Client,
    server: &TestServer,
    id: u64,
    action: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Resp {
    let page = c.get(&server.at(&format!("/admin/consultations/{id}/documents")));
    assert_eq!(page.status, 200, "{}", page.body);
    let token = hidden_field(&page.body, "_csrf").unwrap();
    let all = [&[("_csrf", token.as_str())][..], fields].concat();
    c.post_multipart(&server.at(&format!("/admin/consultations/{id}/{action}")), &all, Some(file))
}

/// A small but real PDF (ASCII, so that the test client reads it back as
/// text), padded to `size` bytes with a comment.
fn pdf(size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%"
        .to_vec();
    out.resize(size - 6, b'x');
    out.extend_from_slice(b"\n%%EOF");
    out
}

#[test]
fn staff_attach_a_pdf_checked_by_content_and_an_image_with_its_alt_then_remove_the_pdf() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::Anyone, vec![q("Quel jour", true, day())]);
    let mut staff = staff_client(&server);
    assert!(staff.get(&server.at(&format!("/admin/consultations/{id}"))).body.contains("/documents\""));

    // A page that is not a PDF, named .pdf: refused with why, nothing kept.
    let fake = b"<html><script>alert(1)</script></html>";
    let r = upload(&mut staff, &server, id, "documents", &[("document_title", "Plan")], ("document", "plan.pdf", fake));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Ce fichier n&#39;est pas un PDF") || r.body.contains("Ce fichier n'est pas un PDF"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"#document\""), "the error summary links to the field");
    assert!(r.body.contains("value=\"Plan\""), "the title comes back as typed");
    // A real one without a title: refused too.
    let plan = pdf(1_200_000);
    let r = upload(&mut staff, &server, id, "documents", &[("document_title", " ")], ("document", "plan.pdf", &plan));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Donnez un titre au document"), "{}", r.body);
    assert!(consultations::documents(&server.state().store.read().unwrap(), ConsultationId(id)).unwrap().is_empty());

    let r = upload(
        &mut staff,
        &server,
        id,
        "documents",
        &[("document_title", "Plan de la place")],
        ("document", "plan.pdf", &plan),
    );
    assert_eq!(r.status, 303, "{}", r.body);

    // An image needs its text alternative.
    let photo = crate::reports::png(7);
    let r = upload(&mut staff, &server, id, "images", &[("alt", "")], ("photo", "place.png", &photo));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Écrivez le texte alternatif"), "{}", r.body);
    let r = upload(
        &mut staff,
        &server,
        id,
        "images",
        &[("alt", "La place vue depuis la mairie")],
        ("photo", "place.png", &photo),
    );
    assert_eq!(r.status, 303, "{}", r.body);

    // A visitor sees both: the PDF's link with its kind and size, the image with its alternative.
    let public = Client::new().get(&server.at(&format!("/consultations/{id}")));
    assert!(public.body.contains("Plan de la place (PDF, 1,2 Mo)"), "{}", public.body);
    assert!(public.body.contains(&format!("href=\"/consultations/{id}/documents/1\" download")), "{}", public.body);
    assert!(
        public.body.contains(&format!("src=\"/consultations/{id}/documents/2\" alt=\"La place vue depuis la mairie\"")),
        "{}",
        public.body
    );

    let file = Client::new().get(&server.at(&format!("/consultations/{id}/documents/1")));
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"Plan-de-la-place.pdf\"; filename*=UTF-8''Plan%20de%20la%20place.pdf")
    );
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(file.body.as_bytes(), &plan[..], "served as it was checked");
    let image = Client::new().get(&server.at(&format!("/consultations/{id}/documents/2")));
    assert_eq!((image.status, image.header("content-type")), (200, Some("image/jpeg")));
    assert!(image.header("content-disposition").is_none(), "an image is shown, not downloaded");

    // A resident may not add one.
    let resident = make_person(&server, "camille@testville.test", "Camille", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    let r = c.get(&server.at(&format!("/admin/consultations/{id}/documents")));
    assert!((400..500).contains(&r.status), "{}", r.status);

    // Removed (audited): gone from the page, not served, its file deleted.
    let files = server.state().config.data_dir.join("files");
    let pdfs = || {
        std::fs::read_dir(&files)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .count()
    };
    assert_eq!(pdfs(), 1);
    let page = format!("/admin/consultations/{id}/documents");
    let r = post(&mut staff, &server, &page, &format!("{page}/1/retirer"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!Client::new().get(&server.at(&format!("/consultations/{id}"))).body.contains("Plan de la place"));
    assert_eq!(Client::new().get(&server.at(&format!("/consultations/{id}/documents/1"))).status, 404);
    assert_eq!(pdfs(), 0, "the removed PDF's file is deleted");
    assert!(events(&server).iter().any(|e| e.detail.contains(&format!("consultation {id}: document 1 removed"))));
    assert!(events(&server).iter().any(|e| e.detail.contains(&format!("consultation {id}: image 2 added"))));
    verify_clean(&server);
}

#[test]
fn a_draft_from_a_template_has_its_questions_and_keeps_the_template() {
    let server = TestServer::start();
    let mut staff = staff_client(&server);
    let list = staff.get(&server.at("/admin/consultations"));
    assert!(
        list.body.contains("Nouvelle consultation à partir d&#39;un modèle")
            || list.body.contains("Nouvelle consultation à partir d'un modèle")
    );
    let page = staff.get(&server.at("/admin/consultations/modeles"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Enquête de satisfaction trimestrielle"), "{}", page.body);
    let r = post(
        &mut staff,
        &server,
        "/admin/consultations/modeles",
        "/admin/consultations/modeles",
        &[("modele", "satisfaction-trimestrielle")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let at = r.header("location").unwrap().to_string();
    let id: u64 = at.trim_start_matches("/admin/consultations/").parse().unwrap();
    let draft = staff.get(&server.at(&at));
    assert!(draft.body.contains("Recommanderiez-vous à un proche"), "{}", draft.body);
    assert!(draft.body.contains("Que devrions-nous améliorer en priorité"), "{}", draft.body);
    let tx = server.state().store.read().unwrap();
    let c = consultations::get(&tx, ConsultationId(id)).unwrap().unwrap();
    assert_eq!(c.published, None, "a draft");
    assert_eq!(consultations::template_of(&tx, c.id).unwrap().as_deref(), Some(consultations::QUARTERLY_SATISFACTION));
    drop(tx);
    // Editable as any draft: a question added.
    let r = post(
        &mut staff,
        &server,
        &at,
        &format!("{at}/questions"),
        &[("kind", "short-text"), ("page", "1"), ("label", "Votre quartier")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &mut staff,
        &server,
        "/admin/consultations/modeles",
        "/admin/consultations/modeles",
        &[("modele", "inconnu")],
    );
    assert_eq!(r.status, 404);
    verify_clean(&server);
}

#[test]
fn unsent_drafts_are_deleted_once_the_consultation_closed_and_the_grace_passed() {
    let server = TestServer::start();
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let person = make_person(&server, "alix@testville.test", "Alix", Role::Resident, false);
    let account = AccountId(person.id);
    let cid = ConsultationId(id);
    server.write(move |tx| {
        let fields = std::collections::BTreeMap::from([(1, Raw { values: vec!["1".into()], other: String::new() })]);
        consultations::save_draft(tx, cid, account, &fields, parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    let has_draft = || consultations::draft(&server.state().store.read().unwrap(), cid, account).unwrap().is_some();
    let purge = |at: i64| server.write(move |tx| consultations::purge_drafts(tx, at, 100));
    let now = parvis::domain::now_unix();
    assert_eq!(purge(now + 3600), 0, "still open: kept");
    assert!(has_draft());

    let mut staff = staff_client(&server);
    let admin = format!("/admin/consultations/{id}");
    assert_eq!(post(&mut staff, &server, &admin, &format!("{admin}/cloturer"), &[]).status, 303);
    let closed_at =
        consultations::get(&server.state().store.read().unwrap(), cid).unwrap().unwrap().closes_at().unwrap();
    assert_eq!(purge(closed_at + DRAFT_KEPT_AFTER_CLOSE_SECS - 1), 0, "within the grace");
    assert!(has_draft());
    assert_eq!(purge(closed_at + DRAFT_KEPT_AFTER_CLOSE_SECS), 1);
    assert!(!has_draft());

    let privacy = Client::new().get(&server.at("/donnees-personnelles"));
    assert!(
        privacy.body.contains("enregistrées sans être envoyées sont supprimées 7 jours après sa clôture"),
        "{}",
        privacy.body
    );
    verify_clean(&server);
}

/// The outcome reaches followers through the notifications: the mail of
/// someone who chose « at once » for consultations carries the signed link
/// that stops that kind, for that person only; the per-consultation links
/// mailed before it came through the notifications still stop that
/// consultation.
#[test]
fn the_outcome_mail_carries_a_signed_link_that_stops_that_person_only() {
    use parvis::domain::notifications::{self, Delivery, Kind};
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = open_consultation(&server, Audience::SignedIn, vec![q("Quel jour", true, day())]);
    let page = format!("/consultations/{id}");
    let settings = "/compte/notifications/reglages";
    let mut people = Vec::new();
    for email in ["alix@testville.test", "bea@testville.test", "camille@testville.test"] {
        let p = make_person(&server, email, "Habitant", Role::Resident, false);
        let mut c = Client::new();
        sign_in(&mut c, &server, &p);
        assert_eq!(post(&mut c, &server, &page, &format!("{page}/suivi"), &[("suivre", "oui")]).status, 303);
        // Deliberately « at once » (the default is the daily digest).
        assert_eq!(post(&mut c, &server, settings, settings, &[("consultations", "immediat")]).status, 303);
        people.push(p);
    }
    let mut staff = staff_client(&server);
    let admin = format!("/admin/consultations/{id}");
    post(&mut staff, &server, &admin, &format!("{admin}/cloturer"), &[]);
    let r =
        post(&mut staff, &server, &admin, &format!("{admin}/bilan"), &[("said", "Samedi."), ("decided", "Le samedi.")]);
    assert_eq!(r.status, 303, "{}", r.body);

    let to_alix = mail.nth_to("alix@testville.test", 1);
    assert!(to_alix.body().contains(&format!("/consultations/{id}#bilan")), "{}", to_alix.body());
    let link = crate::accounts::link_in(&to_alix, "/compte/notifications/arreter?");
    assert!(link.contains(&format!("compte={}", people[0].id)) && link.contains("type=consultations"), "{link}");
    assert_eq!(to_alix.header("List-Unsubscribe"), Some(format!("<{}>", server.at(&link))));
    assert_eq!(to_alix.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let delivery = |n: usize| {
        notifications::settings(&*server.state().store.read().unwrap(), AccountId(people[n].id))
            .unwrap()
            .delivery(Kind::Consultations)
    };
    let told = |n: usize| {
        consultations::told(&server.state().store.read().unwrap(), ConsultationId(id), AccountId(people[n].id)).unwrap()
    };

    // Tampered, or Alix's signature on Bea's account: refused, GET and POST.
    let tampered = format!("{}{}", &link[..link.len() - 1], if link.ends_with('0') { '1' } else { '0' });
    assert_eq!(Client::new().get(&server.at(&tampered)).status, 410);
    let for_bea = link.replace(&format!("compte={}", people[0].id), &format!("compte={}", people[1].id));
    assert_eq!(Client::new().get(&server.at(&for_bea)).status, 410);
    assert_eq!(Client::new().post_form(&server.at(&for_bea), &[("List-Unsubscribe", "One-Click")]).status, 410);
    assert_eq!(delivery(1), Delivery::Immediately, "Bea is still told at once");

    // Following the link, signed out, changes nothing until the button.
    let mut visitor = Client::new();
    let shown = visitor.get(&server.at(&link));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Consultations que je suis"), "{}", shown.body);
    assert_eq!(delivery(0), Delivery::Immediately, "a GET (a link scanner) stops nothing");
    let r = Client::new().post_form(&server.at(&link), &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(delivery(0), Delivery::Never);
    assert_ne!(told(0), 0, "Alix still follows: she is told in the app");
    assert_eq!(delivery(1), Delivery::Immediately);

    // Bea's mail of before: the link that stopped one consultation, signed
    // for it and her, still works (one-click POST, no cookie, no token).
    let old = consultations::unsubscribe_path(
        &server.state().store.read().unwrap(),
        ConsultationId(id),
        AccountId(people[1].id),
    );
    let shown = Client::new().get(&server.at(&old));
    assert!(shown.body.contains("Ne plus être prévenu(e)") && shown.body.contains("Le marché"), "{}", shown.body);
    let r = Client::new().post_form(&server.at(&old), &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(told(1), 0);
    assert_ne!(told(2), 0, "Camille is still told");

    let r = post(&mut staff, &server, &admin, &format!("{admin}/bilan/suivi"), &[("update", "Les étals arrivent.")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(mail.nth_to("camille@testville.test", 2).header("Subject").unwrap().starts_with("Du nouveau"));
    crate::notifications::fanned_out(&server);
    assert_eq!(mail.count_to("alix@testville.test"), 1, "no more mail for Alix");
    assert_eq!(mail.count_to("bea@testville.test"), 1, "no more mail for Bea");
    let in_app = |n: usize| {
        notifications::recent(&server.state().store.read().unwrap(), AccountId(people[n].id), 10).unwrap().len()
    };
    assert_eq!((in_app(0), in_app(1), in_app(2)), (2, 1, 2), "Alix still sees the update in the app; Bea stopped");
    verify_clean(&server);
}
