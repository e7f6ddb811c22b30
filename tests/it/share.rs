//! The promotion kit's second slice (issue 16): the share image every
//! public page's Open Graph tags name (decoded here), the share links of
//! the process pages (no tracker), the bulletin block, the logo on the
//! posters (rendered by pdftoppm and looked at), and the proposals' and
//! meetings' own descriptions.

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::ids::AccountId;
use parvis::domain::news::{self, Draft};
use parvis::domain::now_unix;
use parvis::domain::proposals::{self, NewProposal};
use parvis::store::StoreError;

use crate::admin::make_person;
use crate::promotion::{a_box, get_bytes, meta, set_link, staff_client};
use crate::support::{Client, TestServer};

/// A GET with one more header, its body kept as bytes.
fn get_with(url: &str, name: &str, value: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let mut r = agent.get(url).header(name, value).call().unwrap();
    let headers =
        r.headers().iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
    let body = r.body_mut().read_to_vec().unwrap_or_default();
    (r.status().as_u16(), headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn png(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png).unwrap().to_rgb8()
}

/// The commune's colour of the test server's config.
fn colour(server: &TestServer) -> [u8; 3] {
    let hex = server.state().config.commune.colour.trim_start_matches('#').to_string();
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

fn a_proposal(server: &TestServer, b: parvis::domain::ids::BoxId, body: &str) -> u64 {
    let author = make_person(server, "auteur@example.test", "Aude Autrice", Role::Resident, false);
    let (author, body) = (AccountId(author.id), body.to_string());
    let id = server.write(move |tx| {
        let new = NewProposal {
            box_id: b,
            author,
            title: "Une piste rue Haute".into(),
            body: body.clone(),
            ..NewProposal::default()
        };
        proposals::post(tx, &new, now_unix()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    id.get()
}

fn a_news_post(server: &TestServer) -> u64 {
    let staff = make_person(server, "redaction@example.test", "Rémi Rédaction", Role::Staff, true);
    let actor = Actor::person(AccountId(staff.id), "127.0.0.1");
    let id = server.write(move |tx| {
        let draft = Draft {
            title: "Le marché revient".into(),
            summary: "Tous les samedis.".into(),
            body: "Place de la Mairie.".into(),
            image: None,
        };
        let e = |e: news::NewsError| StoreError::Internal(e.to_string());
        let id = news::create(tx, &actor, &draft, now_unix()).map_err(e)?;
        news::publish(tx, &actor, id, now_unix()).map_err(e)?;
        Ok(id)
    });
    id.get()
}

#[test]
fn each_public_page_names_a_1200_by_630_share_image_in_the_communes_colour() {
    let server = TestServer::start();
    let velo = a_box(&server, "Le vélo en ville", "Vos idées pour rouler.");
    let eglise = a_box(&server, "Réaménagement de la place de l'Église", "Vos idées pour la place.");
    let proposal = a_proposal(&server, velo, "Pour aller à l'école.");
    let meeting = crate::meetings::write_meeting(&server, "2031-03-04", None, None, true);
    let draft_meeting = crate::meetings::write_meeting(&server, "2031-05-06", None, None, false);
    let mut visitor = Client::new();
    let colour = colour(&server);

    // Each page's og:image and twitter:image, absolute, answer a PNG.
    let mut images = Vec::new();
    for (path, image) in [
        ("/".to_string(), "/partage/platform/0.png".to_string()),
        ("/idees".to_string(), "/partage/platform/0.png".to_string()),
        (format!("/idees/{velo}"), format!("/partage/idea-box/{velo}.png")),
        (format!("/propositions/{proposal}"), format!("/partage/idea-box/{velo}.png")),
        (format!("/rendez-vous/{meeting}"), format!("/partage/meeting/{meeting}.png")),
    ] {
        let page = visitor.get(&server.at(&path));
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(meta(&page.body, "property", "og:image"), Some(server.at(&image).as_str()), "{path}");
        assert_eq!(meta(&page.body, "name", "twitter:image"), Some(server.at(&image).as_str()), "{path}");
        assert_eq!(meta(&page.body, "name", "twitter:card"), Some("summary_large_image"), "{path}");
        assert_eq!(meta(&page.body, "property", "og:image:width"), Some("1200"), "{path}");
        let (status, kind, bytes) = get_bytes(&visitor, &server.at(&image));
        assert_eq!((status, kind.as_deref()), (200, Some("image/png")), "{image}");
        images.push(bytes);
    }
    let img = png(&images[2]);
    assert_eq!(img.dimensions(), (1200, 630));
    // The colour fills the card (its corners and right edge), the bottom band is white.
    for (x, y) in [(5, 5), (1195, 5), (1195, 400), (5, 450)] {
        assert_eq!(img.get_pixel(x, y).0, colour, "({x}, {y})");
    }
    assert_eq!(img.get_pixel(600, 625).0, [255, 255, 255]);
    let coloured = img.pixels().filter(|p| p.0 == colour).count();
    assert!(coloured > 1200 * 630 / 2, "the colour dominates: {coloured}");

    // Different titles give different images; the same one, the same bytes.
    let (_, _, other) = get_bytes(&visitor, &server.at(&format!("/partage/idea-box/{eglise}.png")));
    assert_eq!(png(&other).dimensions(), (1200, 630));
    assert_ne!(other, images[2]);
    assert_eq!(images[2], images[3], "a proposal shares its idea box's image");
    assert_ne!(images[0], images[2]);
    if let Ok(out) = std::env::var("PARVIS_SHARE_SAMPLE") {
        std::fs::write(out, &other).unwrap();
    }

    // Cached by ETag: asked again with it, a 304 without a body.
    let url = server.at(&format!("/partage/idea-box/{velo}.png"));
    let (status, headers, _) = get_with(&url, "accept-language", "fr");
    assert_eq!(status, 200);
    let etag = header(&headers, "etag").unwrap().to_string();
    assert!(header(&headers, "cache-control").unwrap().starts_with("public"));
    let (status, _, body) = get_with(&url, "if-none-match", &etag);
    assert_eq!((status, body.len()), (304, 0));

    // A draft's image is for staff only; nothing for what does not exist.
    let draft = server.at(&format!("/partage/meeting/{draft_meeting}.png"));
    assert_eq!(get_bytes(&visitor, &draft).0, 404);
    let staff = staff_client(&server);
    let (status, _, bytes) = get_bytes(&staff, &draft);
    assert_eq!(status, 200);
    assert_eq!(png(&bytes).dimensions(), (1200, 630));
    for missing in ["/partage/idea-box/999.png", "/partage/nothing/1.png", "/partage/platform/0.jpg"] {
        assert_eq!(get_bytes(&visitor, &server.at(missing)).0, 404, "{missing}");
    }
}

/// The `href`s of the share section of `html`.
fn share_links(html: &str) -> Vec<String> {
    let start = html.find("<section class=\"share\"").expect("a share section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    section.split("href=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&")).collect()
}

#[test]
fn process_pages_share_by_email_copy_and_the_networks_plain_links_without_trackers() {
    let server = TestServer::start();
    let b = a_box(&server, "Le vélo en ville", "Vos idées pour rouler.");
    let proposal = a_proposal(&server, b, "Pour aller à l'école.");
    let consultation = crate::consultations::open_consultation(
        &server,
        parvis::domain::consultations::Audience::Anyone,
        vec![crate::consultations::q("Quel jour ?", true, crate::consultations::day())],
    );
    let meeting = crate::meetings::write_meeting(&server, "2031-03-04", None, None, true);
    let post = a_news_post(&server);
    let mut visitor = Client::new();
    for path in [
        format!("/idees/{b}"),
        format!("/propositions/{proposal}"),
        format!("/consultations/{consultation}"),
        format!("/rendez-vous/{meeting}"),
        format!("/actualites/{post}"),
    ] {
        let page = visitor.get(&server.at(&path));
        assert_eq!(page.status, 200, "{path}");
        let url = server.at(&path);
        let links = share_links(&page.body);
        let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
        let starts = [
            "mailto:?subject=",
            "https://www.facebook.com/sharer/sharer.php?u=",
            "https://x.com/intent/tweet?",
            "https://www.linkedin.com/sharing/share-offsite/?url=",
            "https://wa.me/?text=",
        ];
        assert_eq!(links.len(), starts.len(), "{path}: {links:?}");
        for (link, start) in links.iter().zip(starts) {
            assert!(link.starts_with(start), "{path}: {link}");
            assert!(link.contains(&encoded), "{path}: {link} carries the page's address");
            // Only the address and the title: no utm_*, fbclid or other tracker.
            let query = &link[link.find('?').unwrap() + 1..];
            for pair in query.split('&') {
                let key = &pair[..pair.find('=').unwrap()];
                assert!(["u", "url", "text", "subject", "body"].contains(&key), "{path}: {key} in {link}");
            }
        }
        // The networks' links do not tell them where the reader came from.
        let section = &page.body[page.body.find("<section class=\"share\"").unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        assert_eq!(section.matches("rel=\"noopener noreferrer\"").count(), 4, "{path}");
        assert!(!section.contains("<script") && !section.contains("<img"), "{path}");
        // The address to copy, labelled.
        assert!(
            section.contains(&format!("value=\"{url}\"")) && section.contains("<label for=\"share-url\""),
            "{path}"
        );
        assert!(
            page.body.contains(&format!("subject={}", "Le%20v%C3%A9lo%20en%20ville")) || !path.starts_with("/idees")
        );
    }
}

#[test]
fn proposals_and_meetings_are_described_by_their_own_words() {
    let server = TestServer::start();
    let b = a_box(&server, "Le vélo en ville", "Vos idées pour rouler.");
    let proposal = a_proposal(&server, b, "Une **piste** protégée pour aller à l'école. Elle manque depuis longtemps.");
    let meeting = crate::meetings::write_meeting(&server, "2031-03-04", None, None, true);
    let mut visitor = Client::new();
    // Twice: the second visit is the kept page, with the same tags.
    for _ in 0..2 {
        let page = visitor.get(&server.at(&format!("/propositions/{proposal}")));
        assert_eq!(
            meta(&page.body, "property", "og:description"),
            Some("Une piste protégée pour aller à l'école."),
            "{}",
            page.body
        );
        assert_eq!(page.body.matches("property=\"og:title\"").count(), 1);
    }
    let page = visitor.get(&server.at(&format!("/rendez-vous/{meeting}")));
    let described = meta(&page.body, "property", "og:description").unwrap();
    assert!(described.contains("04/03/2031") && described.contains("18:30"), "{described}");
    assert!(described.contains("Salle des fêtes, 1 place de la Mairie"), "{described}");
    assert!(!described.contains("Ordre du jour"), "{described}");
    assert_eq!(meta(&page.body, "name", "description"), Some(described));
}

#[test]
fn staff_get_a_bulletin_block_for_a_process_and_for_the_platform() {
    let server = TestServer::start();
    let mut staff = staff_client(&server);
    let velo = a_box(&server, "Le vélo en ville", "Proposez vos idées pour circuler à vélo. La mairie répond.");
    assert_eq!(set_link(&mut staff, &server, "idea-box", &velo.get().to_string(), "velo").status, 303);
    let host = server.url.trim_start_matches("http://").to_string();

    let page = staff.get(&server.at(&format!("/admin/bulletin/idea-box/{velo}")));
    assert_eq!(page.status, 200, "{}", page.body);
    let plain = textarea(&page.body, "bulletin-text");
    assert!(plain.starts_with("Le vélo en ville\n\nProposez vos idées pour circuler à vélo.\nDu "), "{plain}");
    assert!(plain.contains(&format!("Participez sur {host}/p/velo")), "{plain}");
    assert!(!plain.contains("La mairie répond"), "one sentence: {plain}");
    let html = textarea(&page.body, "bulletin-html");
    assert!(html.contains("&lt;h2&gt;Le vélo en ville&lt;/h2&gt;"), "shown as code: {html}");
    assert!(html.contains(&format!("&lt;a href=&quot;http://{host}/p/velo&quot;&gt;")), "{html}");
    assert!(page.body.contains(&format!("src=\"/partage/idea-box/{velo}.png\"")));
    assert!(page.body.contains(&format!("href=\"/partage/idea-box/{velo}.png\" download")));
    assert!(page.body.contains(&format!("/admin/affiches/idea-box/{velo}/a4.pdf")));

    let platform = staff.get(&server.at("/admin/bulletin/platform/0"));
    assert_eq!(platform.status, 200);
    assert!(textarea(&platform.body, "bulletin-text").starts_with("Participez à la vie de Testville"));
    // Reached from the posters' list, the platform's included.
    let list = staff.get(&server.at("/admin/liens-courts"));
    assert!(list.body.contains("href=\"/admin/bulletin/platform/0\""));
    assert!(list.body.contains(&format!("href=\"/admin/bulletin/idea-box/{velo}\"")));

    assert_eq!(staff.get(&server.at("/admin/bulletin/idea-box/999")).status, 404);
    assert_eq!(staff.get(&server.at("/admin/bulletin/nothing/1")).status, 404);
    let mut visitor = Client::new();
    assert_ne!(visitor.get(&server.at("/admin/bulletin/platform/0")).status, 200);
}

/// The text of the `<textarea>` whose id is `id`, as the HTML holds it.
fn textarea(html: &str, id: &str) -> String {
    let start = html.find(&format!("<textarea id=\"{id}\"")).unwrap_or_else(|| panic!("{id} in {html}"));
    let rest = &html[start..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    rest[..rest.find("</textarea>").unwrap()].to_string()
}

/// A PNG logo: red, twice as wide as high.
fn red_logo(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("logo.png");
    image::RgbImage::from_pixel(200, 100, image::Rgb([220, 0, 0])).save(&path).unwrap();
    path
}

/// The PDF's first page as pixels (pdftoppm, 100 dpi, in colour).
fn rendered(pdf: &[u8], dir: &std::path::Path, name: &str) -> image::RgbImage {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-singlefile"])
        .arg(&file)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    image::open(dir.join(format!("{name}.png"))).unwrap().to_rgb8()
}

#[test]
fn posters_and_share_images_show_a_png_logo_and_staff_learn_that_an_svg_one_is_not_printed() {
    let files = tempfile::tempdir().unwrap();
    let logo = red_logo(files.path());
    let server = TestServer::start_with(&[("commune.logo", Value::Text(logo.display().to_string()))]);
    let staff = staff_client(&server);
    let (status, _, pdf) = get_bytes(&staff, &server.at("/admin/affiches/platform/0/a4.pdf"));
    assert_eq!(status, 200);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Subtype /Image") && text.contains("/DCTDecode"), "an image XObject");
    // Drawn where it belongs: the logo's middle (24 mm, 17 mm from the
    // top-left corner on A4) is red, on the band's white square.
    let page = rendered(&pdf, files.path(), "a4");
    let [r, g, b] = page.get_pixel(94, 67).0;
    assert!(r > 180 && g < 60 && b < 60, "red logo: {r} {g} {b}");
    let [r, g, b] = page.get_pixel(43, 16).0;
    assert!(r > 240 && g > 240 && b > 240, "its white square: {r} {g} {b}");
    let (status, _, pdf) = get_bytes(&staff, &server.at("/admin/affiches/platform/0/a5.pdf"));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&pdf).contains("/Subtype /Image"));
    // The share image shows it on its white square too.
    let (_, _, bytes) = get_bytes(&staff, &server.at("/partage/platform/0.png"));
    let [r, g, b] = png(&bytes).get_pixel(140, 116).0;
    assert!(r > 180 && g < 60 && b < 60, "{r} {g} {b}");
    // To look at them: PARVIS_SHARE_SAMPLE_DIR=/tmp/x cargo test --test it share::
    if let Ok(out) = std::env::var("PARVIS_SHARE_SAMPLE_DIR") {
        page.save(std::path::Path::new(&out).join("poster-a4-logo.png")).unwrap();
        std::fs::write(std::path::Path::new(&out).join("share-logo.png"), &bytes).unwrap();
    }
    let mut staff = staff;
    assert!(!staff.get(&server.at("/admin/liens-courts")).body.contains("format SVG"));
    drop(server);

    let svg = files.path().join("logo.svg");
    std::fs::write(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>").unwrap();
    let server = TestServer::start_with(&[("commune.logo", Value::Text(svg.display().to_string()))]);
    let mut staff = staff_client(&server);
    let (status, _, pdf) = get_bytes(&staff, &server.at("/admin/affiches/platform/0/a4.pdf"));
    assert_eq!(status, 200);
    assert!(!String::from_utf8_lossy(&pdf).contains("/Subtype /Image"));
    let list = staff.get(&server.at("/admin/liens-courts"));
    assert!(list.body.contains("format SVG") && list.body.contains("PNG ou JPEG"), "{}", list.body);
}
