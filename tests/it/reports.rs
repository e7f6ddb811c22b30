//! The life of a problem report over real HTTP: filed with photos by a
//! signed-in resident, routed by mail to its category's service through the
//! SMTP sink, refused outside the commune with the typed text kept, offered
//! to a neighbour as "is it one of these?" ("me too" counted once under
//! parallel clicks), answered by staff with a response template (a public
//! update, followers mailed), listed with filters; `verify` stays clean.

use parvis::domain::accounts::Role;
use parvis::domain::ids::ReportId;
use parvis::domain::reports;

use crate::accounts::{post, Mailbox};
use crate::admin::{make_person, sign_in};
use crate::support::{hidden_field, Client, Resp, TestServer};

/// The demo commune's centre, inside the default bounds.
pub const CENTRE: (&str, &str) = ("45.7772", "4.6121");
/// About 55 m north of it.
pub const NEAR: (&str, &str) = ("45.7777", "4.6121");

pub fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(800, 600, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, seed]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Step 1: the category and the place.
pub fn place(c: &mut Client, server: &TestServer, category: &str, address: &str, (lat, lon): (&str, &str)) -> Resp {
    post(
        c,
        server,
        "/signalements/nouveau",
        "/signalements/nouveau/lieu",
        &[("category", category), ("address", address), ("lat", lat), ("lon", lon)],
    )
}

/// Step 2: the details, with photos, sent as the details page's form is.
pub fn details(
    c: &mut Client,
    server: &TestServer,
    step2: &Resp,
    description: &str,
    photos: &[(&str, &str, &[u8])],
) -> Resp {
    let field = |name| hidden_field(&step2.body, name).unwrap_or_default();
    let (token, category, address, lat, lon) =
        (field("_csrf"), field("category"), field("address"), field("lat"), field("lon"));
    let fields = [
        ("_csrf", token.as_str()),
        ("category", category.as_str()),
        ("address", address.as_str()),
        ("lat", lat.as_str()),
        ("lon", lon.as_str()),
        ("description", description),
        ("show_name", "on"),
    ];
    c.post_multipart_files(&server.at("/signalements/nouveau"), &fields, photos)
}

pub fn id_of(r: &Resp) -> u64 {
    r.header("location").unwrap().trim_start_matches("/signalements/").parse().unwrap()
}

pub fn verify_clean(server: &TestServer) {
    let report = server.state().store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn a_report_is_filed_with_photos_routed_by_mail_and_refused_outside_the_commune() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let author = make_person(&server, "camille@testville.test", "Camille Martin", Role::Resident, false);
    let mut c = Client::new();
    // A visitor may report too (tests/it/open311.rs): the form is open.
    let r = c.get(&server.at("/signalements/nouveau"));
    assert_eq!(r.status, 200);
    sign_in(&mut c, &server, &author);
    let form = c.get(&server.at("/signalements/nouveau"));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("data-location-picker") && form.body.contains("name=\"address\""), "{}", form.body);
    assert!(form.body.contains("Voirie / nid-de-poule") && form.body.contains("Nid-de-poule, trottoir abîmé"));

    // Outside the commune: refused with the explanation, what was typed kept.
    let r = place(&mut c, &server, "voirie", "12 rue de Rivoli, Paris", ("48.8556", "2.3522"));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("en dehors de Testville"), "{}", r.body);
    assert!(r.body.contains("value=\"12 rue de Rivoli, Paris\""));
    // No place at all, and no category.
    let r = place(&mut c, &server, "", "", ("", ""));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choisissez la catégorie") && r.body.contains("Indiquez où se trouve le problème"));

    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert!(!step2.body.contains("Est-ce l'un de ceux-ci"), "nothing nearby yet");

    // A refused photo says which, keeps the description, and files nothing.
    let text = "Un nid-de-poule profond devant l'école, dangereux pour les vélos.";
    let r =
        details(&mut c, &server, &step2, text, &[("photo", "a.png", &png(1)), ("photo", "b.txt", b"pas une image")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("La photo 2"), "{}", r.body);
    assert!(r.body.contains("devant l&#39;école") || r.body.contains("devant l'école"));
    assert!(reports::get(&server.state().store.read().unwrap(), ReportId(1)).unwrap().is_none());

    let r = details(&mut c, &server, &step2, text, &[("photo", "a.png", &png(1)), ("photo", "b.png", &png(2))]);
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_of(&r);
    let page = c.get(&server.at(&format!("/signalements/{id}")));
    assert!(page.body.contains(&format!("Signalement n° {id}")) && page.body.contains("Nouveau"), "{}", page.body);
    assert!(page.body.contains("3 rue des Lilas") && page.body.contains("data-point-lat=\"45.7772\""));
    assert!(page.body.contains("Camille Martin"), "the author chose to show their name");
    let photos: Vec<&str> = page.body.split("src=\"/signalements/photos/").skip(1).map(|s| &s[..36]).collect();
    assert_eq!(photos.len(), 2);
    let served = c.get(&server.at(&format!("/signalements/photos/{}", photos[0])));
    assert_eq!(served.header("content-type"), Some("image/jpeg"), "re-encoded");
    assert_eq!(c.get(&server.at(&format!("/signalements/photos/{}", "0".repeat(32) + ".jpg"))).status, 404);

    // The service of the category gets the report, with its link.
    let routed = mail.nth_to("services-techniques@mairie.example", 1);
    assert!(routed.header("Subject").unwrap().contains(&format!("Signalement n° {id} : Voirie / nid-de-poule")));
    let body = routed.body();
    assert!(body.contains("3 rue des Lilas") && body.contains("Un nid-de-poule profond"), "{body}");
    assert!(body.lines().any(|l| l.trim() == server.at(&format!("/signalements/{id}"))), "{body}");
    assert_eq!(mail.count_to("proprete@mairie.example"), 0, "not the other service");
    verify_clean(&server);
}

#[test]
fn nearby_reports_are_offered_and_me_too_counts_once_under_parallel_clicks() {
    let server = TestServer::start();
    let author = make_person(&server, "a@testville.test", "Ana", Role::Resident, false);
    let neighbour = make_person(&server, "n@testville.test", "Noé", Role::Resident, false);
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let step2 = place(&mut a, &server, "eclairage", "Place de l'Église", CENTRE);
    let r = details(&mut a, &server, &step2, "Le lampadaire de la place est éteint depuis trois jours.", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_of(&r);

    let mut n = Client::new();
    sign_in(&mut n, &server, &neighbour);
    let offer = place(&mut n, &server, "eclairage", "", NEAR);
    assert!(offer.body.contains("Est-ce l&#39;un de ceux-ci") || offer.body.contains("Est-ce l'un de ceux-ci"));
    assert!(offer.body.contains(&format!("/signalements/{id}/moi-aussi")), "{}", offer.body);
    assert!(
        offer.body.contains("Non, c&#39;est un autre problème") || offer.body.contains("Non, c'est un autre problème")
    );
    let other = place(&mut n, &server, "voirie", "", NEAR);
    assert!(!other.body.contains("/moi-aussi"), "another category is not offered");

    // Two clicks at once, from the same browser: counted once.
    let token = hidden_field(&offer.body, "_csrf").unwrap();
    let url = server.at(&format!("/signalements/{id}/moi-aussi"));
    let clicks: Vec<_> = (0..2)
        .map(|_| {
            let mut c = Client::new();
            c.cookies = n.cookies.clone();
            let (url, token) = (url.clone(), token.clone());
            std::thread::spawn(move || c.post_form(&url, &[("_csrf", &token)]).status)
        })
        .collect();
    for click in clicks {
        assert_eq!(click.join().unwrap(), 303);
    }
    let r = reports::get(&server.state().store.read().unwrap(), ReportId(id)).unwrap().unwrap();
    assert_eq!((r.supports, r.followers), (1, 2));
    let page = n.get(&server.at(&format!("/signalements/{id}")));
    assert!(
        page.body.contains("Une autre personne l&#39;a signalé aussi")
            || page.body.contains("Une autre personne l'a signalé aussi")
    );
    assert!(page.body.contains("Ne plus suivre ce signalement"), "the neighbour follows it");
    // Their data holds it: followed, and "me too".
    let json: serde_json::Value = serde_json::from_str(&n.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(json["problem_report_follows"], serde_json::json!([id]));
    assert_eq!(json["problem_report_supports"][0]["report"], id);
    let json: serde_json::Value = serde_json::from_str(&a.get(&server.at("/compte/mes-donnees.json")).body).unwrap();
    assert_eq!(json["problem_reports"][0]["address"], "Place de l'Église");
    verify_clean(&server);
}

#[test]
fn staff_change_the_status_with_a_template_and_followers_are_mailed_and_lists_filter() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let author = make_person(&server, "auteur@testville.test", "Claire", Role::Resident, false);
    let agent = make_person(&server, "agent@testville.test", "Agent Voirie", Role::Staff, true);
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let step2 = place(&mut a, &server, "voirie", "Route de Lyon", CENTRE);
    let id = id_of(&details(&mut a, &server, &step2, "Des pavés descellés sur la chaussée.", &[]));
    let step2 = place(&mut a, &server, "proprete", "Chemin des Vignes", NEAR);
    let other = id_of(&details(&mut a, &server, &step2, "Un dépôt de gravats au bord du chemin.", &[]));

    // A resident cannot change a status.
    let page = format!("/signalements/{id}");
    let r = post(&mut a, &server, &page, &format!("{page}/etat"), &[("status", "fixed")]);
    assert_eq!(r.status, 403);

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let shown = s.get(&server.at(&page));
    assert!(shown.body.contains("Réponse type") && shown.body.contains("Pris en compte"), "the staff form");
    let r = post(
        &mut s,
        &server,
        &page,
        &format!("{page}/etat"),
        &[("status", "investigating"), ("template", "pris-en-compte"), ("text", "")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = a.get(&server.at(&page));
    assert!(shown.body.contains("Merci pour votre signalement"), "the template's text is the public update");
    assert!(shown.body.contains("En cours d&#39;examen") || shown.body.contains("En cours d'examen"));
    let told = mail.nth_to("auteur@testville.test", 1);
    assert!(told.header("Subject").unwrap().contains("En cours d'examen"), "{:?}", told.header("Subject"));
    assert!(told.body().contains(&server.at(&page)));

    // Lists: by category, status and date, with the points as text.
    let list = a.get(&server.at("/signalements?categorie=voirie"));
    assert!(
        list.body.contains(&format!("/signalements/{id}\""))
            && !list.body.contains(&format!("/signalements/{other}\""))
    );
    assert!(list.body.contains("data-point-lat=\"45.7772\""));
    // A service's queue: the reports of its categories.
    let list = a.get(&server.at("/signalements?service=proprete"));
    assert!(
        !list.body.contains(&format!("/signalements/{id}\""))
            && list.body.contains(&format!("/signalements/{other}\""))
    );
    let list = a.get(&server.at("/signalements?statut=new"));
    assert!(
        !list.body.contains(&format!("/signalements/{id}\""))
            && list.body.contains(&format!("/signalements/{other}\""))
    );
    let list = a.get(&server.at("/signalements?au=2020-01-01"));
    assert!(list.body.contains("Aucun signalement"), "nothing filed before 2020");
    let today = jiff::Zoned::now().date().to_string();
    let list = a.get(&server.at(&format!("/signalements?du={today}&au={today}")));
    assert!(
        list.body.contains(&format!("/signalements/{id}\"")) && list.body.contains(&format!("/signalements/{other}\""))
    );
    assert!(a.get(&server.at("/")).body.contains("href=\"/signalements\""), "in the site's navigation");

    // Filed under the wrong category: staff move it, the new service gets it.
    let r = post(
        &mut s,
        &server,
        &page,
        &format!("{page}/categorie"),
        &[("category", "espaces-verts"), ("text", "Ce sont les racines d'un arbre : transmis aux espaces verts.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let moved = mail.nth_to("proprete@mairie.example", 2);
    assert!(moved.header("Subject").unwrap().contains(&format!("Signalement n° {id} : Espaces verts")));
    let shown = a.get(&server.at(&page));
    assert!(shown.body.contains("Transféré à la catégorie") && shown.body.contains("transmis aux espaces verts"));
    let list = a.get(&server.at("/signalements?categorie=espaces-verts"));
    assert!(list.body.contains(&format!("/signalements/{id}\"")));
    assert!(!a.get(&server.at("/signalements?categorie=voirie")).body.contains(&format!("/signalements/{id}\"")));
    verify_clean(&server);
}

/// Each report mails a service: past ten in a row, an account waits, and
/// the form comes back with what was typed (429 with Retry-After).
#[test]
fn filing_many_reports_quickly_is_refused_and_keeps_what_was_typed() {
    let server = TestServer::start();
    let author = make_person(&server, "vite@testville.test", "Vite", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &author);
    let step2 = place(&mut c, &server, "proprete", "Rue du Lavoir", CENTRE);
    for n in 0..10 {
        let r = details(&mut c, &server, &step2, &format!("Un sac d'ordures abandonné, numéro {n}."), &[]);
        assert_eq!(r.status, 303, "report {n}: {}", r.body);
    }
    let r = details(&mut c, &server, &step2, "Encore un dépôt sauvage près du lavoir.", &[]);
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert!(r.body.contains("Encore un dépôt sauvage près du lavoir."), "{}", r.body);
    let (listed, _) = reports::list(
        &server.state().store.read().unwrap(),
        &reports::Filter::default(),
        reports::Page { number: 0, size: 20 },
    )
    .unwrap();
    assert_eq!(listed.len(), 10);
}

/// Without JavaScript the typed address is all there is: it is placed by
/// the commune's own address list (a small BAN sample here), and its full
/// label replaces what was typed; an address the list does not hold is
/// refused on the form, the text kept.
#[test]
fn without_javascript_the_typed_address_is_placed_by_the_communes_list() {
    use parvis::domain::addresses;
    let server = TestServer::start();
    let sample = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ban-saint-exemple.csv")).unwrap();
    let list = addresses::parse(&sample[..]).unwrap();
    server.write(move |tx| {
        let actor = parvis::domain::audit::Actor::command_line();
        addresses::import(tx, &actor, &list, 1).map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    let author = make_person(&server, "sans-js@testville.test", "Sans JS", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &author);

    let r = place(&mut c, &server, "mobilier", "3 impasse des Nuages", ("", ""));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("introuvable dans la liste des adresses"), "{}", r.body);
    assert!(r.body.contains("value=\"3 impasse des Nuages\""));

    let step2 = place(&mut c, &server, "mobilier", "4 rue de l'eglise", ("", ""));
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert_eq!(hidden_field(&step2.body, "lat").as_deref(), Some("45.779685"));
    let r = details(&mut c, &server, &step2, "Le banc devant l'église a une planche cassée.", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&server.at(r.header("location").unwrap()));
    assert!(
        page.body.contains("4 Rue de l&#39;Église, 69999 Saint-Exemple")
            || page.body.contains("4 Rue de l'Église, 69999 Saint-Exemple"),
        "{}",
        page.body
    );
    verify_clean(&server);
}

/// Three extra questions of the lighting category: a text with a hint, a
/// number, and a required choice.
pub fn lamp_questions() -> (&'static str, parvis::config::Value) {
    use parvis::config::Value;
    let q = |fields: &[(&str, Value)]| fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let text = |s: &str| Value::Text(s.into());
    (
        "reports.questions",
        Value::Tables(vec![
            q(&[
                ("category", text("eclairage")),
                ("code", text("numero")),
                ("label", text("Numéro du lampadaire")),
                ("kind", text("text")),
                ("hint", text("Inscrit sur le mât.")),
            ]),
            q(&[
                ("category", text("eclairage")),
                ("code", text("hauteur")),
                ("label", text("Hauteur en mètres")),
                ("kind", text("number")),
            ]),
            q(&[
                ("category", text("eclairage")),
                ("code", text("etat")),
                ("label", text("Le lampadaire est")),
                ("kind", text("choice")),
                ("required", Value::Bool(true)),
                ("values", Value::List(vec!["éteint".into(), "clignotant".into()])),
            ]),
        ]),
    )
}

/// Step 2 sent with more fields (the answers) than `details` sends.
fn details_with(c: &mut Client, server: &TestServer, step2: &Resp, extra: &[(&str, &str)]) -> Resp {
    details_full(c, server, step2, "Le lampadaire devant l'école clignote toute la nuit.", extra, &[])
}

/// Step 2 with any fields and photos.
fn details_full(
    c: &mut Client,
    server: &TestServer,
    step2: &Resp,
    description: &str,
    extra: &[(&str, &str)],
    photos: &[(&str, &str, &[u8])],
) -> Resp {
    let field = |name| hidden_field(&step2.body, name).unwrap_or_default();
    let (token, category, address, lat, lon) =
        (field("_csrf"), field("category"), field("address"), field("lat"), field("lon"));
    let mut fields = vec![
        ("_csrf", token.as_str()),
        ("category", category.as_str()),
        ("address", address.as_str()),
        ("lat", lat.as_str()),
        ("lon", lon.as_str()),
        ("description", description),
    ];
    fields.extend_from_slice(extra);
    c.post_multipart_files(&server.at("/signalements/nouveau"), &fields, photos)
}

#[test]
fn a_categorys_extra_questions_are_asked_checked_kept_stored_mailed_and_shown_to_staff_only() {
    let mail = Mailbox::start();
    let mut settings = mail.settings();
    settings.push(lamp_questions());
    let server = TestServer::start_with(&settings);
    let author = make_person(&server, "camille@testville.test", "Camille Martin", Role::Resident, false);
    let staff = make_person(&server, "agent@testville.test", "Sam Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, &server, &author);

    // Another category asks nothing more.
    let roads = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    assert!(!roads.body.contains("Quelques précisions"), "{}", roads.body);
    let step2 = place(&mut c, &server, "eclairage", "3 rue des Lilas", CENTRE);
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert!(step2.body.contains("Quelques précisions pour le service"), "{}", step2.body);
    assert!(step2.body.contains("Numéro du lampadaire (facultatif)") && step2.body.contains("Inscrit sur le mât."));
    assert!(step2.body.contains("name=\"question-hauteur\"") && step2.body.contains("<option value=\"clignotant\""));

    // The required choice left out, a number that is not one: both told,
    // on their fields, and what was typed comes back.
    let r = details_with(&mut c, &server, &step2, &[("question-numero", "L-112"), ("question-hauteur", "haut")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Répondez à la question « Le lampadaire est »"), "{}", r.body);
    assert!(r.body.contains("La réponse à « Hauteur en mètres » doit être un nombre"), "{}", r.body);
    assert!(r.body.contains("href=\"#question-etat\""), "the error summary links to the field");
    assert!(r.body.contains("value=\"L-112\"") && r.body.contains("value=\"haut\""), "kept as typed");
    assert!(r.body.contains("clignote toute la nuit"));
    // A value that is not one of the choices (a tampered form).
    let r = details_with(&mut c, &server, &step2, &[("question-etat", "cassé")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("choisissez une des réponses de la liste"), "{}", r.body);
    assert!(reports::get(&server.state().store.read().unwrap(), ReportId(1)).unwrap().is_none());

    let r = details_with(
        &mut c,
        &server,
        &step2,
        &[("question-numero", "L-112"), ("question-hauteur", "4,5"), ("question-etat", "clignotant")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_of(&r);
    let stored = reports::answers(&server.state().store.read().unwrap(), ReportId(id)).unwrap();
    let pairs: Vec<(&str, &str)> = stored.iter().map(|a| (a.code.as_str(), a.value.as_str())).collect();
    assert_eq!(pairs, [("numero", "L-112"), ("hauteur", "4,5"), ("etat", "clignotant")]);

    // The service's mail has them.
    let body = mail.nth_to("services-techniques@mairie.example", 1).body();
    assert!(body.contains("Numéro du lampadaire — L-112") && body.contains("Le lampadaire est — clignotant"), "{body}");

    // The author, like everyone, does not see them; staff do, and in the CSV.
    let page = c.get(&server.at(&format!("/signalements/{id}")));
    assert!(!page.body.contains("Réponses aux questions") && !page.body.contains("L-112"), "{}", page.body);
    let csv = c.get(&server.at("/signalements/export.csv"));
    assert!(!csv.body.contains("L-112") && !csv.body.contains("Numéro du lampadaire"));
    let mut s = Client::new();
    sign_in(&mut s, &server, &staff);
    let page = s.get(&server.at(&format!("/signalements/{id}")));
    assert!(page.body.contains("Réponses aux questions de la catégorie"), "{}", page.body);
    assert!(page.body.contains("<dt>Le lampadaire est</dt><dd>clignotant</dd>"), "{}", page.body);
    let csv = s.get(&server.at("/signalements/export.csv?categorie=eclairage"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert!(lines[0].ends_with(";Lien;Numéro du lampadaire;Hauteur en mètres;Le lampadaire est"), "{}", lines[0]);
    assert!(lines[1].ends_with(";L-112;4,5;clignotant"), "{}", lines[1]);
    verify_clean(&server);
}

#[test]
fn photos_of_a_refused_form_are_kept_for_it_and_may_be_dropped_but_not_taken_by_another() {
    let server = TestServer::start();
    let author = make_person(&server, "camille@testville.test", "Camille Martin", Role::Resident, false);
    let other = make_person(&server, "dominique@testville.test", "Dominique", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &author);
    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    let text = "Un nid-de-poule profond devant l'école, dangereux pour les vélos.";
    let (one, two) = (png(3), png(4));

    // Refused for its description: both photos come back kept.
    let r = details_full(&mut c, &server, &step2, "court", &[], &[("photo", "a.png", &one), ("photo", "b.png", &two)]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Photo 1 gardée") && r.body.contains("Photo 2 gardée"), "{}", r.body);
    assert!(r.body.contains("Retirer la photo 2") && !r.body.contains("Ajoutez de nouveau vos photos"));
    let (kept1, kept2) = (hidden_field(&r.body, "kept-1").unwrap(), hidden_field(&r.body, "kept-2").unwrap());

    // Someone else cannot name them in their own form.
    let mut o = Client::new();
    sign_in(&mut o, &server, &other);
    let theirs = place(&mut o, &server, "voirie", "3 rue des Lilas", CENTRE);
    let r = details_full(&mut o, &server, &theirs, text, &[("kept-1", kept1.as_str())], &[]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Ajoutez de nouveau vos photos"), "{}", r.body);
    assert!(reports::get(&server.state().store.read().unwrap(), ReportId(1)).unwrap().is_none());

    // A place refused at the last step (hidden fields changed): step 1
    // again, the photos carried through it to step 2.
    let moved = [("kept-1", kept1.as_str()), ("kept-2", kept2.as_str()), ("lat", "48.8556"), ("lon", "2.3522")];
    let field = |name| hidden_field(&step2.body, name).unwrap_or_default();
    let token = field("_csrf");
    let fields = [("_csrf", token.as_str()), ("category", "voirie"), ("address", ""), ("description", text)];
    let all: Vec<(&str, &str)> = fields.iter().chain(moved.iter()).copied().collect();
    let r = c.post_multipart_files(&server.at("/signalements/nouveau"), &all, &[]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("en dehors de Testville") && r.body.contains("Vos 2 photos sont gardées"), "{}", r.body);
    let carried = hidden_field(&r.body, "kept-2").unwrap();
    let token = hidden_field(&r.body, "_csrf").unwrap();
    let again = post_raw(
        &mut c,
        &server,
        "/signalements/nouveau/lieu",
        &[
            ("_csrf", &token),
            ("category", "voirie"),
            ("address", ""),
            ("lat", CENTRE.0),
            ("lon", CENTRE.1),
            ("kept-1", &kept1),
            ("kept-2", &carried),
        ],
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains("Photo 2 gardée"), "{}", again.body);

    // Sent again with the second dropped: filed with the first only, not chosen again.
    let r =
        details_full(&mut c, &server, &again, text, &[("kept-1", &kept1), ("kept-2", &carried), ("drop-2", "on")], &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let report = reports::get(&server.state().store.read().unwrap(), ReportId(id_of(&r))).unwrap().unwrap();
    assert_eq!(report.photos, vec![kept1.split(':').next().unwrap().to_string()]);
    let page = c.get(&server.at(&format!("/signalements/{}", report.id)));
    assert_eq!(page.body.matches("src=\"/signalements/photos/").count(), 1);
    verify_clean(&server);
}

/// A plain form POST with the fields given (the token among them).
fn post_raw(c: &mut Client, server: &TestServer, path: &str, fields: &[(&str, &str)]) -> Resp {
    c.post_form(&server.at(path), fields)
}
/// The nearby step offers the five nearest open reports of the category,
/// nearest first, and says how many more there are within the radius
/// (FixMyStreet shows a handful: a long list would hide the form).
#[test]
fn the_nearby_step_offers_the_five_nearest_and_counts_the_others() {
    let server = TestServer::start();
    let author = make_person(&server, "a@testville.test", "Ana", Role::Resident, false);
    let mut ids = Vec::new();
    // 10 to 160 m north of the centre, filed farthest first.
    for step in (0..7).rev() {
        let metres = 10.0 + 25.0 * f64::from(step);
        let report = reports::ProblemReport {
            id: ReportId(0),
            category: "eclairage".into(),
            lat: reports::to_micro(45.7772 + metres / 111_195.0),
            lon: reports::to_micro(4.6121),
            address: None,
            neighbourhood: None,
            description: format!("Lampadaire éteint à {metres} m"),
            photos: Vec::new(),
            author: reports::Author::Account(parvis::domain::ids::AccountId(author.id)),
            show_name: false,
            confirmed: true,
            status: "new".into(),
            created_at: 1_000 + i64::from(step),
            updated_at: 1_000,
            followers: 0,
            supports: 0,
        };
        let id = server
            .state()
            .store
            .writer()
            .write_blocking(move |tx| reports::save_generated(tx, report.clone(), &[], &[]))
            .unwrap();
        ids.push(id.get());
    }
    ids.reverse();
    let mut c = Client::new();
    sign_in(&mut c, &server, &author);
    let offer = place(&mut c, &server, "eclairage", "", CENTRE);
    assert_eq!(offer.status, 200, "{}", offer.body);
    let offered: Vec<u64> = offer
        .body
        .match_indices("/moi-aussi\"")
        .map(|(at, _)| {
            let head = &offer.body[..at];
            head[head.rfind("/signalements/").unwrap() + "/signalements/".len()..].parse().unwrap()
        })
        .collect();
    assert_eq!(offered, ids[..5].to_vec(), "the five nearest, nearest first");
    assert!(
        offer.body.contains("2 autres signalements ouverts de cette catégorie se trouvent à moins de 250"),
        "{}",
        offer.body
    );
    verify_clean(&server);
}

/// The report's page names its author as the API does (one rule, in
/// `publication::report_author`): the name only of one who ticked « show
/// my name », and « Participant supprimé » once that account is erased,
/// when the API gives no name.
#[test]
fn the_page_names_the_author_as_the_api_does() {
    use parvis::domain::accounts::erase;
    use parvis::domain::ids::AccountId;
    use parvis::domain::now_unix;
    use parvis::store::StoreError;

    use crate::api::{seed, HIDDEN_NAME, SHOWN_NAME};

    let server = TestServer::start();
    let seeded = seed(&server);
    let mut c = Client::new();
    let api_author = |c: &mut Client, id: u64| {
        let r = c.get(&server.at(&format!("/api/v1/reports/{id}")));
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["author"].clone()
    };
    // Report 1: Ana did not tick « show my name »; report 2: Bernard did.
    let hidden = c.get(&server.at("/signalements/1"));
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    assert!(!hidden.body.contains(HIDDEN_NAME), "a name its author did not show");
    assert!(api_author(&mut c, 1).is_null());
    let shown = c.get(&server.at("/signalements/2"));
    assert!(shown.body.contains(SHOWN_NAME), "{}", shown.body);
    assert_eq!(api_author(&mut c, 2), SHOWN_NAME);

    let author = AccountId(seeded.author);
    let keys = server.state().store.keys().clone();
    server.write(move |tx| {
        erase::erase(tx, &keys, author, now_unix()).map(|_| ()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let erased = c.get(&server.at("/signalements/2"));
    assert!(!erased.body.contains(SHOWN_NAME));
    assert!(erased.body.contains("Participant supprimé"), "{}", erased.body);
    assert!(api_author(&mut c, 2).is_null());
}
