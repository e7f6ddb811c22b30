//! Reports from outside: filed without an account (published once the
//! mailed link is followed, then routed to the service), and through the
//! Open311 GeoReport v2 API.

use crate::accounts::{link_in, post, Mailbox};
use crate::reports::{place, png, verify_clean, CENTRE};
use crate::support::{hidden_field, Client, Resp, TestServer};

const VISITOR: &str = "camille.visiteuse@ailleurs.test";
const SERVICE: &str = "services-techniques@mairie.example";

/// Step 2 of the form as a visitor sends it: the details, a name and an address.
fn visitor_details(c: &mut Client, server: &TestServer, step2: &Resp, email: &str, photo: Option<&[u8]>) -> Resp {
    let field = |name| hidden_field(&step2.body, name).unwrap_or_default();
    let (token, category, address, lat, lon) =
        (field("_csrf"), field("category"), field("address"), field("lat"), field("lon"));
    let fields = [
        ("_csrf", token.as_str()),
        ("category", category.as_str()),
        ("address", address.as_str()),
        ("lat", lat.as_str()),
        ("lon", lon.as_str()),
        ("description", "Le trottoir est défoncé devant la boulangerie."),
        ("name", "Camille Visiteuse"),
        ("email", email),
        ("show_name", "on"),
    ];
    let photos: Vec<(&str, &str, &[u8])> = photo.into_iter().map(|p| ("photo", "a.png", p)).collect();
    c.post_multipart_files(&server.at("/signalements/nouveau"), &fields, &photos)
}

#[test]
fn a_visitors_report_is_published_and_routed_only_once_the_mailed_link_is_followed() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert!(step2.body.contains("name=\"email\"") && step2.body.contains("name=\"name\""), "{}", step2.body);

    // A name and an address are required of a visitor; the text is kept.
    let r = visitor_details(&mut c, &server, &step2, "pas-une-adresse", None);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("défoncé devant la boulangerie"), "{}", r.body);

    let photo = png(7);
    let r = visitor_details(&mut c, &server, &step2, VISITOR, Some(&photo));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/signalements/nouveau/envoye"));
    let sent = c.get(&server.at("/signalements/nouveau/envoye"));
    assert!(sent.body.contains("Vérifiez votre messagerie"), "{}", sent.body);

    // Nothing is public yet: no page, not in the list, photo not served.
    let message = mail.nth_to(VISITOR, 1);
    assert!(message.header("Subject").unwrap().contains("Confirmez votre signalement n° 1"));
    assert_eq!(c.get(&server.at("/signalements/1")).status, 404);
    let list = c.get(&server.at("/signalements"));
    assert!(!list.body.contains("/signalements/1\""), "{}", list.body);
    let store = &server.state().store;
    let stored = parvis::domain::reports::tables::PROBLEM_REPORT_BY_ID;
    let photo_name = {
        let tx = store.read().unwrap();
        let bytes = tx.open_table(stored).unwrap().get(1).unwrap().unwrap().value().to_vec();
        assert!(!String::from_utf8_lossy(&bytes).contains("ailleurs.test"), "the address is sealed at rest");
        let photos: Vec<String> = {
            let text = String::from_utf8_lossy(&bytes).to_string();
            text.match_indices(".jpg").map(|(i, _)| text[i - 32..i + 4].to_string()).collect()
        };
        photos[0].clone()
    };
    assert_eq!(c.get(&server.at(&format!("/signalements/photos/{photo_name}"))).status, 404);
    assert_eq!(mail.count_to(SERVICE), 0, "no service has heard of it");

    // The link shows a button (a mail scanner opening it publishes nothing) …
    let path = link_in(&message, "/signalements/confirmer?jeton=");
    let token = path.split("jeton=").nth(1).unwrap().to_string();
    let shown = c.get(&server.at(&path));
    assert_eq!(shown.status, 200);
    assert_eq!(c.get(&server.at("/signalements/1")).status, 404, "still not public after the GET");
    // … which publishes it, routes it and offers an account with that address.
    let r = post(&mut c, &server, &path, "/signalements/confirmer", &[("jeton", &token)]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Le signalement n° 1 est publié"), "{}", r.body);
    assert_eq!(hidden_field(&r.body, "email").as_deref(), Some(VISITOR));
    assert_eq!(hidden_field(&r.body, "display_name").as_deref(), Some("Camille Visiteuse"));
    let routed = mail.nth_to(SERVICE, 1);
    assert!(routed.header("Subject").unwrap().contains("Signalement n° 1 : Voirie"), "{:?}", routed.header("Subject"));
    let page = c.get(&server.at("/signalements/1"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Camille Visiteuse"), "the name they chose to show");
    assert!(!page.body.contains(VISITOR), "never the address");
    assert_eq!(c.get(&server.at(&format!("/signalements/photos/{photo_name}"))).status, 200);
    assert!(c.get(&server.at("/signalements")).body.contains("/signalements/1\""));

    // Single use.
    let again = post(&mut c, &server, &path, "/signalements/confirmer", &[("jeton", &token)]);
    assert_eq!(again.status, 410);

    // The offered account: one password away, with the proved address.
    let csrf = hidden_field(&r.body, "_csrf").unwrap();
    let signed_up = c.post_form(
        &server.at("/inscription"),
        &[
            ("_csrf", &csrf),
            ("display_name", "Camille Visiteuse"),
            ("email", VISITOR),
            ("password", crate::accounts::PASSWORD),
        ],
    );
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.header("location"), Some("/inscription/envoye"));
    verify_clean(&server);
}

#[test]
fn a_visitor_filing_many_reports_is_slowed_down_and_keeps_the_text() {
    let server = TestServer::start();
    let mut c = Client::new();
    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    for _ in 0..10 {
        assert_eq!(visitor_details(&mut c, &server, &step2, VISITOR, None).status, 303);
    }
    let r = visitor_details(&mut c, &server, &step2, VISITOR, None);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert!(r.body.contains("défoncé devant la boulangerie"), "the text is kept");
}
