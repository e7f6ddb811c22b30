//! Atom feeds (issue 13, "Feeds"): an idea box's new proposals, the
//! consultations and their outcomes, the meetings; each read back with a
//! real feed reader (`feed-rs`), each linked from its page by
//! `<link rel="alternate">`, and none carrying a draft, a held or a hidden
//! contribution. And news posts' images (issue 13, "News and pages"), on
//! the pages and as the feed entry's enclosure.

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::consultations::Audience;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{hidden_field, Client, TestServer};

/// Fetches `path` as a visitor, checks it is served as Atom, and parses it.
fn feed(server: &TestServer, path: &str) -> (feed_rs::model::Feed, String) {
    let r = Client::new().get(&server.at(path));
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/atom+xml; charset=utf-8"), "{path}");
    let parsed = feed_rs::parser::parse(r.body.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}: {}", r.body));
    // What a reader needs: the feed's own id and date, and each entry's
    // lasting id, title, date and absolute link.
    assert!(parsed.updated.is_some(), "{path}");
    for e in &parsed.entries {
        assert!(e.id.starts_with("tag:"), "{path}: {}", e.id);
        assert!(e.updated.is_some() && e.title.is_some(), "{path}");
        assert!(e.links[0].href.starts_with(&server.at("/")), "{path}: {}", e.links[0].href);
    }
    let mut ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), parsed.entries.len(), "{path}: entry ids are unique");
    (parsed, r.body)
}

fn titles(f: &feed_rs::model::Feed) -> Vec<String> {
    f.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
}

/// Whether `html` has a `<link rel="alternate">` to the Atom feed `href`.
fn links_feed(html: &str, href: &str) -> bool {
    html.split("<link ").skip(1).any(|l| {
        let tag = l.split('>').next().unwrap_or_default();
        tag.starts_with(r#"rel="alternate" type="application/atom+xml""#) && tag.contains(&format!(r#"href="{href}""#))
    }) && html.contains(&format!(r#"<a href="{href}">"#))
}

fn open_box(c: &mut Client, server: &TestServer) -> u64 {
    let today = jiff::Zoned::now().date();
    let r = post(
        c,
        server,
        "/admin/idees/nouvelle",
        "/admin/idees/nouvelle",
        &[
            ("title", "Le centre-bourg"),
            ("description", "Vos idées."),
            ("categories", "Voirie"),
            ("opens", &today.to_string()),
            ("closes", &today.checked_add(jiff::Span::new().days(30)).unwrap().to_string()),
            ("threshold", "0"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location").unwrap().trim_start_matches("/idees/").parse().unwrap()
}

fn proposed(c: &mut Client, server: &TestServer, box_id: u64, title: &str) -> u64 {
    let body = "Un texte assez long pour être accepté par le formulaire.";
    let r = crate::proposals::propose(c, server, box_id, &[("title", title), ("body", body)], None);
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location").unwrap().trim_start_matches("/propositions/").parse().unwrap()
}

#[test]
fn a_box_feed_carries_its_public_proposals_escaped_and_never_a_held_or_hidden_one() {
    let server = TestServer::start_with(&[("moderation.held_words", Value::List(vec!["arnaque".into()]))]);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let author = make_person(&server, "auteur@testville.test", "Claire Auteur", Role::Resident, false);
    let moderator = make_person(&server, "modo@testville.test", "Morgane", Role::Moderator, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let box_id = open_box(&mut staff, &server);
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let shown = proposed(&mut a, &server, box_id, "Des bancs <b>& de l'ombre</b>");
    proposed(&mut a, &server, box_id, "Une arnaque retenue");
    let hidden = proposed(&mut a, &server, box_id, "Un titre qui dérange");
    let mut m = Client::new();
    sign_in(&mut m, &server, &moderator);
    let item = format!("/admin/moderation/proposal/{hidden}");
    let r = post(&mut m, &server, &item, &format!("{item}/masquer"), &[("motif", "abuse"), ("message", "")]);
    assert_eq!(r.status, 303, "{}", r.body);

    let path = format!("/idees/{box_id}/flux.atom");
    let (f, raw) = feed(&server, &path);
    assert_eq!(titles(&f), ["Des bancs <b>& de l'ombre</b>"], "{raw}");
    assert!(raw.contains("Des bancs &lt;b&gt;&amp; de l&apos;ombre&lt;/b&gt;"), "escaped: {raw}");
    assert_eq!(f.entries[0].links[0].href, server.at(&format!("/propositions/{shown}")));
    for secret in ["arnaque", "dérange", "Claire"] {
        assert!(!raw.contains(secret), "{secret} in {raw}");
    }
    assert!(f.title.unwrap().content.contains("Le centre-bourg"));
    // The box's page names its feed, for browsers and readers.
    let page = Client::new().get(&server.at(&format!("/idees/{box_id}")));
    assert!(links_feed(&page.body, &path), "{}", page.body);
    assert_eq!(Client::new().get(&server.at("/idees/999/flux.atom")).status, 404);
}

#[test]
fn the_consultations_feed_tells_of_an_opening_and_an_outcome_and_never_of_a_draft() {
    let server = TestServer::start();
    let id = crate::consultations::open_consultation(
        &server,
        Audience::Anyone,
        vec![crate::consultations::q("Quel jour", true, crate::consultations::day())],
    );
    // A draft, written by staff and never published.
    server.write(|tx| {
        let details = parvis::domain::consultations::Details {
            title: "Projet secret".into(),
            summary: String::new(),
            body: String::new(),
            neighbourhood: None,
            audience: Audience::Anyone,
        };
        let actor = parvis::domain::audit::Actor::command_line();
        parvis::domain::consultations::create(tx, &[], &actor, &details, parvis::domain::now_unix())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))?;
        Ok(())
    });
    let (f, raw) = feed(&server, "/consultations/flux.atom");
    assert_eq!(titles(&f), ["Consultation ouverte : Le marché"], "{raw}");
    assert!(!raw.contains("Projet secret"), "{raw}");

    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let admin = format!("/admin/consultations/{id}");
    assert_eq!(post(&mut staff, &server, &admin, &format!("{admin}/cloturer"), &[]).status, 303);
    let texts = [("said", "Le samedi l'emporte."), ("decided", "Le marché aura lieu le samedi.")];
    assert_eq!(post(&mut staff, &server, &admin, &format!("{admin}/bilan"), &texts).status, 303);
    let (f, raw) = feed(&server, "/consultations/flux.atom");
    let t = titles(&f);
    assert!(t.contains(&"Bilan publié : Le marché".to_string()), "{raw}");
    assert!(t.contains(&"Consultation ouverte : Le marché".to_string()), "{raw}");
    let outcome = f.entries.iter().find(|e| e.title.as_ref().unwrap().content.starts_with("Bilan")).unwrap();
    assert_eq!(outcome.links[0].href, server.at(&format!("/consultations/{id}#bilan")));
    assert_eq!(outcome.summary.as_ref().unwrap().content, "Le marché aura lieu le samedi.");
    let page = Client::new().get(&server.at("/consultations"));
    assert!(links_feed(&page.body, "/consultations/flux.atom"), "{}", page.body);
}

#[test]
fn the_meetings_feed_has_the_published_and_the_cancelled_and_never_a_draft() {
    use parvis::domain::meetings::{self, Accessibility, Details, Kind};
    let server = TestServer::start();
    let write = |title: &str, publish: bool| {
        let details = Details {
            title: title.into(),
            kind: Kind::Workshop,
            starts_at: parvis::domain::now_unix() + 10 * 86_400,
            ends_at: parvis::domain::now_unix() + 10 * 86_400 + 7200,
            address: "Salle des fêtes".into(),
            coords: None,
            online_url: String::new(),
            neighbourhood: None,
            agenda: "Ordre du jour".into(),
            accessibility: Accessibility::default(),
            organiser: "Mairie".into(),
            registration: false,
            seats: None,
        };
        server.write(move |tx| {
            let actor = parvis::domain::audit::Actor::command_line();
            let e = |e: meetings::MeetingError| parvis::store::StoreError::Internal(e.to_string());
            let id = meetings::create(tx, &[], &actor, &details, parvis::domain::now_unix()).map_err(e)?;
            if publish {
                meetings::publish(tx, &actor, id, parvis::domain::now_unix()).map_err(e)?;
            }
            Ok(id.get())
        })
    };
    write("Atelier du parc", true);
    let cancelled = write("Balade annulée", true);
    write("Brouillon de réunion", false);
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut staff = Client::new();
    sign_in(&mut staff, &server, &agent);
    let admin = format!("/admin/rendez-vous/{cancelled}");
    let r = post(&mut staff, &server, &admin, &format!("{admin}/annuler"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);

    let (f, raw) = feed(&server, "/rendez-vous/flux.atom");
    let mut t = titles(&f);
    t.sort();
    assert_eq!(t, ["Annulé : Balade annulée", "Atelier du parc"], "{raw}");
    assert!(!raw.contains("Brouillon de réunion"), "{raw}");
    assert!(raw.contains("Atelier de co-construction"), "the kind in the summary: {raw}");
    let page = Client::new().get(&server.at("/rendez-vous"));
    assert!(links_feed(&page.body, "/rendez-vous/flux.atom"), "{}", page.body);
    // The calendar feed is still announced beside it.
    assert!(page.body.contains(r#"type="text/calendar" href="/rendez-vous.ics""#));
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Sends a news form (multipart, the CSRF token first, as a browser does).
pub(crate) fn send_news(
    c: &mut Client,
    server: &TestServer,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> crate::support::Resp {
    let form = c.get(&server.at(page));
    assert!(form.body.contains(r#"enctype="multipart/form-data""#), "{}", form.body);
    let token = hidden_field(&form.body, "_csrf").unwrap();
    let all = [&[("_csrf", token.as_str())][..], fields].concat();
    c.post_multipart(&server.at(action), &all, photo.map(|b| ("photo", "parc.png", b)))
}

#[test]
fn a_news_image_needs_its_description_and_shows_on_the_pages_and_in_the_feed() {
    let server = TestServer::start();
    let agent = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let new = "/admin/actualites/nouvelle";
    let texts = [("title", "Le parc rouvre"), ("summary", "Le parc rouvre samedi."), ("body", "Venez nombreux.")];
    let photo = png();

    // An image without its description is refused, and nothing is stored.
    let r = send_news(&mut s, &server, new, new, &[&texts[..], &[("alt", " ")]].concat(), Some(&photo));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Décrivez l'image"), "{}", r.body);
    assert!(r.body.contains("Le parc rouvre samedi."), "what was typed is kept");
    let files = parvis::photos::dir(&server.state().config.data_dir);
    let stored = |files: &std::path::Path| std::fs::read_dir(files).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored(&files), 0, "a refused form stores no file");
    // Not an image: refused on the file's field.
    let r = send_news(&mut s, &server, new, new, &[&texts[..], &[("alt", "x")]].concat(), Some(b"%PDF-1.4"));
    assert_eq!(r.status, 422, "{}", r.body);

    let alt = "Les grilles \"neuves\" du parc & ses bancs";
    let r = send_news(&mut s, &server, new, new, &[&texts[..], &[("alt", alt)]].concat(), Some(&photo));
    assert_eq!(r.status, 303, "{}", r.body);
    let edit = r.header("location").unwrap().to_string();
    let id: u64 = edit.rsplit('/').next().unwrap().parse().unwrap();
    let post_ = parvis::domain::news::get(&server.state().store.read().unwrap(), parvis::domain::news::NewsId(id))
        .unwrap()
        .unwrap();
    let image = post_.image.clone().expect("an image");
    assert_eq!(image.alt, alt);
    let src = format!("/actualites/{id}/images/{}", image.file);

    // A draft's image is the staff's only.
    assert_eq!(Client::new().get(&server.at(&src)).status, 404);
    let served = s.get(&server.at(&src));
    assert_eq!((served.status, served.header("cache-control")), (200, Some("no-store")));
    assert_eq!(post(&mut s, &server, &edit, &format!("/admin/actualites/{id}/publier"), &[]).status, 303);

    let mut v = Client::new();
    let escaped_alt = "Les grilles &quot;neuves&quot; du parc &amp; ses bancs";
    for page in [format!("/actualites/{id}"), "/actualites".to_string(), "/".to_string()] {
        let body = v.get(&server.at(&page)).body;
        assert!(body.contains(&format!(r#"src="{src}" alt="{escaped_alt}""#)), "{page}: {body}");
    }
    let served = v.get(&server.at(&src));
    assert_eq!(served.status, 200);
    assert_eq!(served.header("content-type"), Some("image/jpeg"));
    assert_eq!(served.header("cache-control"), Some("public, max-age=3600"));
    // Another name under the post is no file of it.
    let other = format!("/actualites/{id}/images/{}.jpg", "0".repeat(32));
    assert_eq!(v.get(&server.at(&other)).status, 404);

    // The feed's entry carries it as an enclosure, with its size and type.
    let r = v.get(&server.at("/actualites/flux.atom"));
    let f = feed_rs::parser::parse(r.body.as_bytes()).unwrap();
    let links = &f.entries[0].links;
    assert_eq!(links[0].href, server.at(&format!("/actualites/{id}")), "the page stays the first link");
    let enclosure = links.iter().find(|l| l.rel.as_deref() == Some("enclosure")).expect("an enclosure");
    assert_eq!(enclosure.href, server.at(&src));
    assert_eq!(enclosure.media_type.as_deref(), Some("image/jpeg"));
    assert_eq!(enclosure.length, Some(image.size));

    // Staff correct the description without sending the image again, then
    // remove the image.
    let fields = [&texts[..], &[("alt", "Le parc rouvert")]].concat();
    assert_eq!(send_news(&mut s, &server, &edit, &edit, &fields, None).status, 303);
    assert!(v.get(&server.at(&format!("/actualites/{id}"))).body.contains(r#"alt="Le parc rouvert""#));
    assert!(files.join(&image.file).exists(), "the image kept is not deleted");
    // A new image replaces the file: the old one is deleted, not left behind.
    let new_photo = {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(y * 3) as u8, (x * 5) as u8, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    assert_eq!(send_news(&mut s, &server, &edit, &edit, &fields, Some(&new_photo)).status, 303);
    let replaced = parvis::domain::news::get(&server.state().store.read().unwrap(), parvis::domain::news::NewsId(id))
        .unwrap()
        .unwrap()
        .image
        .expect("the new image");
    assert_ne!(replaced.file, image.file);
    assert!(!files.join(&image.file).exists(), "the replaced image's file is deleted");
    assert_eq!(stored(&files), 1, "only the new image is stored");
    // A second post shows the same picture (the same file, named by its
    // content): removing it from the first post keeps the file for the second.
    let r = send_news(&mut s, &server, new, new, &[&texts[..], &[("alt", "Le parc")]].concat(), Some(&new_photo));
    assert_eq!(r.status, 303, "{}", r.body);
    let second = r.header("location").unwrap().to_string();
    let second_id: u64 = second.rsplit('/').next().unwrap().parse().unwrap();
    let second_image =
        parvis::domain::news::get(&server.state().store.read().unwrap(), parvis::domain::news::NewsId(second_id))
            .unwrap()
            .unwrap()
            .image
            .expect("an image");
    assert_eq!(second_image.file, replaced.file, "the same picture, the same file");
    let fields = [&texts[..], &[("alt", "Le parc rouvert"), ("remove_image", "on")]].concat();
    assert_eq!(send_news(&mut s, &server, &edit, &edit, &fields, None).status, 303);
    let page = v.get(&server.at(&format!("/actualites/{id}"))).body;
    assert!(!page.contains("/images/"), "{page}");
    assert_eq!(v.get(&server.at(&src)).status, 404);
    assert!(files.join(&replaced.file).exists(), "the second post still shows it");
    assert_eq!(stored(&files), 1);
    // Removed from the second post too: now nothing shows it, and it goes.
    let fields = [&texts[..], &[("alt", "Le parc"), ("remove_image", "on")]].concat();
    assert_eq!(send_news(&mut s, &server, &second, &second, &fields, None).status, 303);
    assert_eq!(stored(&files), 0, "a removed image's file is deleted once no post shows it");
    let verdict = server.state().store.verify().unwrap();
    assert!(verdict.is_ok(), "{verdict:?}");
}
