//! A visitor's registration is confirmed by email, over real HTTP with mail
//! through the SMTP sink: until the link is followed the request holds no
//! seat and is on no list; the link serves once, for its own person only;
//! asking again sends the same link again; requests never confirmed are
//! purged by the hourly pass; confirmations sent at once never seat more
//! than the seats.

use parvis::domain::accounts::Role;
use parvis::domain::meetings::{self, MeetingId, Spot};
use parvis::domain::notifications::Notifier;
use parvis::domain::now_unix;

use crate::accounts::{link_in, Mailbox};
use crate::admin::{make_person, sign_in};
use crate::meetings::{confirm_link, register, register_visitor, write_meeting};
use crate::support::{Client, TestServer};

fn verify_clean(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// The confirmation link of the `n`th mail to `email`.
fn confirmation(mail: &Mailbox, email: &str, n: usize, id: MeetingId) -> String {
    let message = mail.nth_to(email, n);
    assert!(
        message.header("Subject").unwrap().contains("Confirmez votre inscription"),
        "{:?}",
        message.header("Subject")
    );
    link_in(&message, &format!("/rendez-vous/{id}/confirmer?p="))
}

fn pending(server: &TestServer, id: MeetingId) -> usize {
    meetings::pending_count(&server.state().store.read().unwrap(), id, now_unix()).unwrap()
}

#[test]
fn a_request_holds_no_seat_until_its_link_is_followed_once() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-09-18", None, Some(1), true);
    let path = format!("/rendez-vous/{id}");

    // Inès, without an account, asks: she is told to read her mail.
    let mut ines = Client::new();
    let form = ines.get(&server.at(&path));
    assert!(form.body.contains("Aucune place n"), "{}", form.body);
    let r = register(&mut ines, &server, id.get(), Some(("Inès", "ines@testville.test")));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(path.as_str()), "back to the meeting, not to a registration");
    let told = ines.get(&server.at(&path));
    assert!(told.body.contains("Presque fini"), "{}", told.body);
    assert!(told.body.contains("Il reste une place."), "her request holds no seat: {}", told.body);
    let link = confirmation(&mail, "ines@testville.test", 1, id);
    assert!(mail.nth_to("ines@testville.test", 1).body().contains("48 heures"));
    assert!(meetings::registrations(&server.state().store.read().unwrap(), id).unwrap().is_empty());
    assert_eq!(pending(&server, id), 1);

    // Meanwhile a resident takes the only seat; staff's list names him only.
    let jules = make_person(&server, "jules-rdv@testville.test", "Jules", Role::Resident, false);
    let mut j = Client::new();
    sign_in(&mut j, &server, &jules);
    assert_eq!(register(&mut j, &server, id.get(), None).status, 303);
    let agent = make_person(&server, "agent-conf@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let staff_page = s.get(&server.at(&format!("/admin/rendez-vous/{id}")));
    assert!(
        staff_page.body.contains("1 inscrit(s), 0 en liste d'attente — une demande attend sa confirmation"),
        "{}",
        staff_page.body
    );
    let list = s.get(&server.at(&format!("/admin/rendez-vous/{id}/presence")));
    assert!(list.body.contains("Jules") && !list.body.contains("Inès"), "{}", list.body);

    // The link shows what she asked for; a GET confirms nothing.
    let shown = ines.get(&server.at(&link));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Confirmer mon inscription"), "{}", shown.body);
    assert_eq!(pending(&server, id), 1, "a prefetched link confirms nothing");
    // Her button: the seat is gone, so the waiting list, counted now.
    let r = confirm_link(&mut ines, &server, id.get(), &link);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = ines.get(&server.at(r.header("location").unwrap()));
    assert!(page.body.contains("liste d'attente"), "{}", page.body);
    let all = meetings::registrations(&server.state().store.read().unwrap(), id).unwrap();
    assert_eq!(all.iter().map(|r| r.spot).collect::<Vec<_>>(), [Spot::Seated, Spot::Waiting]);
    assert_eq!(pending(&server, id), 0);
    let waiting = mail.nth_to("ines@testville.test", 2);
    assert!(waiting.header("Subject").unwrap().contains("Liste d'attente"), "{:?}", waiting.header("Subject"));
    assert!(waiting.body().contains(&all[1].code), "her code: {}", waiting.body());

    // Once only: the same link again is refused, with why, both ways.
    let again = Client::new().get(&server.at(&link));
    assert_eq!(again.status, 410, "{}", again.body);
    assert!(again.body.contains("Ce lien de confirmation n"), "{}", again.body);
    assert!(again.body.contains(&format!("href=\"{path}\"")), "a way back: {}", again.body);
    let r = confirm_link(&mut Client::new(), &server, id.get(), &link);
    assert_eq!(r.status, 410, "{}", r.body);
    assert_eq!(meetings::registrations(&server.state().store.read().unwrap(), id).unwrap().len(), 2);
    verify_clean(&server);
}

#[test]
fn a_forged_link_or_one_moved_to_another_person_confirms_nothing() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-09-25", None, Some(5), true);
    for (name, email) in [("Lou", "lou@testville.test"), ("Malo", "malo@testville.test")] {
        assert_eq!(register(&mut Client::new(), &server, id.get(), Some((name, email))).status, 303);
    }
    let lou = confirmation(&mail, "lou@testville.test", 1, id);
    let malo = confirmation(&mail, "malo@testville.test", 1, id);
    let part = |link: &str, name: &str| {
        link.split(['?', '&']).find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap().to_string()
    };
    // Lou's signature on Malo's request, a signature changed by one digit,
    // and Lou's link on another meeting: all refused, nothing registered.
    let moved = format!("/rendez-vous/{id}/confirmer?p={}&cle={}", part(&malo, "p"), part(&lou, "cle"));
    let cle = part(&lou, "cle");
    let digit = if cle.starts_with('0') { '1' } else { '0' };
    let forged = format!("/rendez-vous/{id}/confirmer?p={}&cle={digit}{}", part(&lou, "p"), &cle[1..]);
    let other = write_meeting(&server, "2027-10-02", None, Some(5), true);
    let elsewhere = lou.replace(&format!("/rendez-vous/{id}/"), &format!("/rendez-vous/{other}/"));
    for (link, meeting) in [(&moved, id), (&forged, id), (&elsewhere, other)] {
        assert_eq!(Client::new().get(&server.at(link)).status, 410, "{link}");
        let r = confirm_link(&mut Client::new(), &server, meeting.get(), link);
        assert_eq!(r.status, 410, "{link}: {}", r.body);
    }
    assert!(meetings::registrations(&server.state().store.read().unwrap(), id).unwrap().is_empty());
    assert_eq!(pending(&server, id), 2);
    // Their own links still work, each for its own person.
    assert_eq!(confirm_link(&mut Client::new(), &server, id.get(), &malo).status, 303);
    assert_eq!(confirm_link(&mut Client::new(), &server, id.get(), &lou).status, 303);
    assert!(mail.nth_to("malo@testville.test", 2).header("Subject").unwrap().contains("Inscription confirmée"));
    verify_clean(&server);
}

#[test]
fn asking_again_sends_the_link_again_and_never_makes_a_second_request() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-10-09", None, Some(5), true);
    let mut c = Client::new();
    assert_eq!(register(&mut c, &server, id.get(), Some(("Nour", "nour@testville.test"))).status, 303);
    let first = confirmation(&mail, "nour@testville.test", 1, id);
    // Again, the address typed otherwise: the same person, told so.
    let r = register(&mut c, &server, id.get(), Some(("Nour B.", "Nour@Testville.test")));
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get(&server.at(r.header("location").unwrap())).body.contains("à nouveau"));
    let second = confirmation(&mail, "nour@testville.test", 2, id);
    assert_eq!(first, second, "the first mail's link still works");
    assert_eq!(pending(&server, id), 1);
    assert_eq!(confirm_link(&mut c, &server, id.get(), &second).status, 303);
    let all = meetings::registrations(&server.state().store.read().unwrap(), id).unwrap();
    assert_eq!(all.len(), 1);
    // Registered: asking once more is refused on the form, kept as typed.
    let r = register(&mut Client::new(), &server, id.get(), Some(("Nour", "nour@testville.test")));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("déjà inscrite") && r.body.contains("value=\"nour@testville.test\""), "{}", r.body);
    assert!(mail.nth_to("nour@testville.test", 3).header("Subject").unwrap().contains("Inscription confirmée"));
    assert_eq!(mail.count_to("nour@testville.test"), 3, "two links and the confirmation, nothing more");
    verify_clean(&server);
}

#[test]
fn requests_never_confirmed_are_purged_by_the_hourly_pass() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-10-16", None, Some(5), true);
    assert_eq!(register(&mut Client::new(), &server, id.get(), Some(("Oscar", "oscar@testville.test"))).status, 303);
    let link = confirmation(&mail, "oscar@testville.test", 1, id);
    let pass = |at: i64| {
        let n = Notifier { base_url: server.url.clone() };
        server.write(move |tx| meetings::promote_waiting(tx, &n, at))
    };
    // Within two days: kept.
    pass(now_unix() + meetings::CONFIRM_WITHIN_SECS - 3600);
    assert_eq!(pending(&server, id), 1);
    // Past them: deleted, with the sealed address; the link is dead.
    pass(now_unix() + meetings::CONFIRM_WITHIN_SECS + 60);
    {
        use redb::{ReadableTableMetadata, TableHandle};
        let tx = server.state().store.read().unwrap();
        let table = tx.open_table(meetings::tables::MEETING_PENDING_BY_MEETING_WHO).unwrap();
        assert_eq!(table.len().unwrap(), 0, "{} is empty", meetings::tables::MEETING_PENDING_BY_MEETING_WHO.name());
    }
    assert_eq!(Client::new().get(&server.at(&link)).status, 410);
    assert!(meetings::registrations(&server.state().store.read().unwrap(), id).unwrap().is_empty());
    // Oscar may ask again: a new link, which works.
    assert_eq!(
        register_visitor(&mut Client::new(), &server, &mail, id.get(), "Oscar", "oscar@testville.test").status,
        303
    );
    assert_ne!(confirmation(&mail, "oscar@testville.test", 2, id), link, "a new link after expiry");
    verify_clean(&server);
}

#[test]
fn confirmations_sent_at_once_never_seat_more_than_the_seats() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let id = write_meeting(&server, "2027-10-23", None, Some(3), true);
    let emails: Vec<String> = (0..8).map(|n| format!("voisine{n}@testville.test")).collect();
    for email in &emails {
        assert_eq!(register(&mut Client::new(), &server, id.get(), Some(("Voisine", email))).status, 303);
    }
    let links: Vec<String> = emails.iter().map(|e| confirmation(&mail, e, 1, id)).collect();
    // Nobody confirmed yet: every seat is free.
    assert!(Client::new().get(&server.at(&format!("/rendez-vous/{id}"))).body.contains("Il reste 3 places."));
    let server_ref = &server;
    std::thread::scope(|scope| {
        let handles: Vec<_> = links
            .iter()
            .map(|link| {
                scope.spawn(move || {
                    let r = confirm_link(&mut Client::new(), server_ref, id.get(), link);
                    assert_eq!(r.status, 303, "{}", r.body);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let all = meetings::registrations(&server.state().store.read().unwrap(), id).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(all.iter().filter(|r| r.spot == Spot::Seated).count(), 3);
    assert_eq!(all.iter().filter(|r| r.spot == Spot::Waiting).count(), 5);
    assert_eq!(pending(&server, id), 0);
    verify_clean(&server);
}

/// A small but real PDF, padded to `size` bytes with a comment.
fn pdf(size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%"
        .to_vec();
    out.resize(size - 6, b'x');
    out.extend_from_slice(b"\n%%EOF");
    out
}

/// Sends the minutes' document form of the staff page (multipart, the
/// page's CSRF token first, as a browser does).
fn attach(c: &mut Client, server: &TestServer, id: MeetingId, name: &str, file: (&str, &[u8])) -> crate::support::Resp {
    let page = c.get(&server.at(&format!("/admin/rendez-vous/{id}")));
    assert_eq!(page.status, 200, "{}", page.body);
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    c.post_multipart(
        &server.at(&format!("/admin/rendez-vous/{id}/documents")),
        &[("_csrf", token.as_str()), ("document_name", name)],
        Some(("document", file.0, file.1)),
    )
}

#[test]
fn staff_attach_documents_to_the_minutes_which_are_listed_downloaded_and_removed() {
    let server = TestServer::start();
    let id = write_meeting(&server, "2025-11-20", None, None, true);
    let agent = make_person(&server, "agent-docs@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let docs = || meetings::documents(&server.state().store.read().unwrap(), id).unwrap();

    // Not a PDF nor an image, named .pdf: refused with why, the name kept.
    let r = attach(&mut s, &server, id, "Diaporama", ("diaporama.pdf", b"<html><script>alert(1)</script></html>"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ni un PDF ni une image"), "{}", r.body);
    assert!(r.body.contains("href=\"#document\""), "the error summary links to the field");
    assert!(r.body.contains("value=\"Diaporama\""), "the name comes back as typed");
    // Too large: refused the same way, nothing kept.
    let big = pdf(meetings_max_pdf() + 10);
    let r = attach(&mut s, &server, id, "Diaporama", ("diaporama.pdf", &big));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Ce fichier est trop lourd"), "{}", r.body);
    assert!(r.body.contains("value=\"Diaporama\""));
    // Without a name: refused too.
    let slides = pdf(350_000);
    let r = attach(&mut s, &server, id, " ", ("diaporama.pdf", &slides));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Donnez un nom au document"), "{}", r.body);
    assert!(docs().is_empty());

    // A PDF and an image, taken.
    let r = attach(&mut s, &server, id, "Diaporama de la réunion", ("diaporama.pdf", &slides));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = attach(&mut s, &server, id, "Le mur des idées", ("mur.png", &crate::reports::png(3)));
    assert_eq!(r.status, 303, "{}", r.body);
    let all = docs();
    assert_eq!(
        all.iter().map(|d| d.kind).collect::<Vec<_>>(),
        [meetings::DocumentKind::Pdf, meetings::DocumentKind::Image]
    );

    // Listed on the public page with name, type and size; downloaded as stored.
    let page = Client::new().get(&server.at(&format!("/rendez-vous/{id}")));
    assert!(page.body.contains("Diaporama de la réunion (PDF, 350 ko)"), "{}", page.body);
    assert!(page.body.contains("Le mur des idées (image JPEG,"), "{}", page.body);
    let pdf_path = format!("/rendez-vous/{id}/documents/{}", all[0].number);
    let got = Client::new().get(&server.at(&pdf_path));
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert!(got.header("content-disposition").unwrap().starts_with("attachment"));
    assert_eq!(got.body.len(), slides.len());
    let image = Client::new().get(&server.at(&format!("/rendez-vous/{id}/documents/{}", all[1].number)));
    assert_eq!(image.header("content-type"), Some("image/jpeg"), "re-encoded, never served as it came");
    // In the data dir's files/, which backups copy.
    let files = parvis::photos::dir(&server.state().config.data_dir);
    assert!(files.join(&all[0].file).is_file() && files.join(&all[1].file).is_file());

    // A resident cannot remove one; staff can.
    let remove = format!("/admin/rendez-vous/{id}/documents/{}/retirer", all[0].number);
    let resident = make_person(&server, "lea-docs@testville.test", "Léa", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &resident);
    let r = crate::accounts::post(&mut c, &server, "/rendez-vous", &remove, &[]);
    assert_ne!(r.status, 303, "{}", r.body);
    assert_eq!(docs().len(), 2);
    let r = crate::accounts::post(&mut s, &server, &format!("/admin/rendez-vous/{id}"), &remove, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(docs().len(), 1);
    assert_eq!(Client::new().get(&server.at(&pdf_path)).status, 404);
    assert!(!Client::new().get(&server.at(&format!("/rendez-vous/{id}"))).body.contains("Diaporama"));
    verify_clean(&server);
}

#[test]
fn documents_wait_for_the_meeting_to_be_over() {
    let server = TestServer::start();
    let id = write_meeting(&server, "2031-05-20", None, None, true);
    let agent = make_person(&server, "agent-docs2@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let page = s.get(&server.at(&format!("/admin/rendez-vous/{id}")));
    assert!(!page.body.contains("/documents\""), "no form before the end: {}", page.body);
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let r = s.post_multipart(
        &server.at(&format!("/admin/rendez-vous/{id}/documents")),
        &[("_csrf", token.as_str()), ("document_name", "Diaporama")],
        Some(("document", "d.pdf", &pdf(2000))),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("une fois le rendez-vous terminé"), "{}", r.body);
    assert!(meetings::documents(&server.state().store.read().unwrap(), id).unwrap().is_empty());
}

fn meetings_max_pdf() -> usize {
    parvis::domain::consultations::MAX_PDF
}
