//! The promotion kit's first slice (issue 16): short addresses (`/p/velo`)
//! chosen by staff, Open Graph and Twitter-card metadata on public pages,
//! and the posters' PDFs, whose QR code is read back from the rendered
//! page (pdftoppm, then the rqrr QR reader) to the address it must give.

use parvis::domain::accounts::Role;
use parvis::domain::audit::{Action, Actor};
use parvis::domain::budgets::{self, Audience as BudgetAudience, Pot, Rule, Settings, Style};
use parvis::domain::consultations::Audience;
use parvis::domain::ids::{AccountId, BoxId};
use parvis::domain::now_unix;
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::store::StoreError;

use crate::accounts::post;
use crate::admin::{events, make_person, sign_in};
use crate::support::{Client, Resp, TestServer};

const DAY: i64 = 86_400;

pub fn staff_client(server: &TestServer) -> Client {
    let staff = make_person(server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut c = Client::new();
    sign_in(&mut c, server, &staff);
    c
}

pub fn a_box(server: &TestServer, title: &str, description: &str) -> BoxId {
    let (title, description) = (title.to_string(), description.to_string());
    let now = now_unix();
    server.write(move |tx| {
        let b = IdeaBox {
            title: title.clone(),
            description: description.clone(),
            opens_at: now - DAY,
            closes_at: now + 30 * DAY,
            ..IdeaBox::default()
        };
        proposals::create_box(tx, b).map_err(|e| StoreError::Internal(e.to_string()))
    })
}

pub fn set_link(c: &mut Client, server: &TestServer, kind: &str, id: &str, name: &str) -> Resp {
    post(c, server, "/admin/liens-courts", "/admin/liens-courts", &[("kind", kind), ("id", id), ("name", name)])
}

#[test]
fn staff_set_resolve_rename_and_remove_a_short_address() {
    let server = TestServer::start();
    let mut staff = staff_client(&server);
    let velo = a_box(&server, "Le vélo en ville", "Vos idées pour rouler.");
    let jardins = a_box(&server, "Les jardins", "Vos idées pour cultiver.");
    let (velo_id, jardins_id) = (velo.get().to_string(), jardins.get().to_string());

    let r = set_link(&mut staff, &server, "idea-box", &velo_id, " Velo ");
    assert_eq!(r.status, 303, "{}", r.body);
    let mut visitor = Client::new();
    let r = visitor.get(&server.at("/p/velo"));
    assert_eq!(r.status, 302, "a name may be given to another process: never a 301");
    assert_eq!(r.header("location"), Some(format!("/idees/{velo_id}").as_str()));
    assert_eq!(visitor.get(&server.at("/p/VELO")).status, 302, "a poster read aloud in capitals");

    // Refusals, each with its message on the form (422).
    for (kind, id, name, message) in [
        ("idea-box", jardins_id.as_str(), "admin", "réservée"),
        ("idea-box", jardins_id.as_str(), "velo", "Une autre démarche a déjà cette adresse courte"),
        ("idea-box", jardins_id.as_str(), "vélo", "lettres minuscules sans accent"),
        ("idea-box", jardins_id.as_str(), "", "Saisissez une adresse courte"),
        ("idea-box", "999", "nulle-part", "Aucune démarche de ce type ne porte ce numéro"),
        ("consultation", "abc", "texte", "Aucune démarche de ce type ne porte ce numéro"),
    ] {
        let r = set_link(&mut staff, &server, kind, id, name);
        assert_eq!(r.status, 422, "{name}: {}", r.body);
        assert!(r.body.contains(message), "{name}: {message}");
        assert!(r.body.contains("error-summary"), "{name}");
    }
    assert_eq!(visitor.get(&server.at("/p/velo")).header("location"), Some(format!("/idees/{velo_id}").as_str()));

    // A rename frees the old name: it then leads to a helpful 404.
    assert_eq!(set_link(&mut staff, &server, "idea-box", &velo_id, "bicyclette").status, 303);
    assert_eq!(visitor.get(&server.at("/p/bicyclette")).header("location"), Some(format!("/idees/{velo_id}").as_str()));
    let gone = visitor.get(&server.at("/p/velo"));
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("« velo »") && gone.body.contains("href=\"/idees\""), "{}", gone.body);
    // The freed name goes to another process; the list shows both.
    assert_eq!(set_link(&mut staff, &server, "idea-box", &jardins_id, "velo").status, 303);
    assert_eq!(visitor.get(&server.at("/p/velo")).header("location"), Some(format!("/idees/{jardins_id}").as_str()));
    let list = staff.get(&server.at("/admin/liens-courts"));
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&server.at("/p/bicyclette")) && list.body.contains("Les jardins"), "{}", list.body);
    assert!(list.body.contains(&format!("/admin/affiches/idea-box/{jardins_id}/a4.pdf")));

    // The platform itself, then a removal.
    assert_eq!(set_link(&mut staff, &server, "platform", "", "participer").status, 303);
    assert_eq!(visitor.get(&server.at("/p/participer")).header("location"), Some("/"));
    let r = post(&mut staff, &server, "/admin/liens-courts", "/admin/liens-courts/bicyclette/supprimer", &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(visitor.get(&server.at("/p/bicyclette")).status, 404);

    let audited: Vec<String> =
        events(&server).into_iter().filter(|e| e.action == Action::ShortLinkChanged).map(|e| e.detail).collect();
    assert_eq!(audited.len(), 5, "{audited:?}");
    assert!(audited.iter().any(|d| d.contains("/p/velo renamed /p/bicyclette")), "{audited:?}");

    // Residents and visitors do not reach the staff page.
    assert_ne!(visitor.get(&server.at("/admin/liens-courts")).status, 200);
    crate::consultations::verify_clean(&server);
}

/// The `content` of the `<meta>` whose `attr` is `name` (the first).
pub fn meta<'a>(html: &'a str, attr: &str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("<meta {attr}=\"{name}\" content=\""))?;
    let rest = &html[start..];
    let rest = &rest[rest.find("content=\"")? + 9..];
    Some(&rest[..rest.find('"')?])
}

#[test]
fn public_pages_carry_open_graph_and_twitter_tags_with_absolute_addresses() {
    let server = TestServer::start();
    let b = a_box(&server, "Le vélo en ville", "Des idées pour **rouler** tranquille. Et plus encore.");
    let author = make_person(&server, "auteur@example.test", "Aude Autrice", Role::Resident, false);
    let author = AccountId(author.id);
    let proposal = server.write(move |tx| {
        let new = NewProposal {
            box_id: b,
            author,
            title: "Une piste rue Haute".into(),
            body: "Pour aller à l'école.".into(),
            ..NewProposal::default()
        };
        proposals::post(tx, &new, now_unix()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let consultation = crate::consultations::open_consultation(
        &server,
        Audience::Anyone,
        vec![crate::consultations::q("Quel jour ?", true, crate::consultations::day())],
    );
    let now = now_unix();
    let budget = server.write(move |tx| {
        let settings = Settings {
            title: "Budget 2027".into(),
            description: "Vos projets pour **la commune**. Votez !".into(),
            starts: [now - DAY, now + 10 * DAY, now + 20 * DAY, now + 30 * DAY, now + 60 * DAY],
            pots: vec![Pot { neighbourhood: None, amount_cents: 5_000_000 }],
            audience: BudgetAudience::SignedIn,
            min_age: None,
            style: Style::Basket,
            changeable: false,
            rule: Rule::Greedy,
            min_votes: 0,
            secret: true,
            results_during_vote: false,
        };
        let actor = Actor::command_line();
        let e = |e: budgets::BudgetError| StoreError::Internal(e.to_string());
        let id = budgets::create(tx, &[], &actor, &settings, now).map_err(e)?;
        budgets::publish(tx, &actor, id, now).map_err(e)?;
        Ok(id)
    });
    let meeting = crate::meetings::write_meeting(&server, "2031-03-04", None, None, true);
    let mut visitor = Client::new();
    let pages = [
        ("/".to_string(), None),
        (format!("/idees/{b}"), Some("Des idées pour rouler tranquille.")),
        (format!("/propositions/{proposal}"), Some("Pour aller à l'école.")),
        (format!("/consultations/{consultation}"), None),
        (format!("/budgets/{budget}"), Some("Vos projets pour la commune.")),
        (format!("/rendez-vous/{meeting}"), None),
    ];
    for (path, description) in &pages {
        let r = visitor.get(&server.at(path));
        assert_eq!(r.status, 200, "{path}");
        let html = &r.body;
        assert_eq!(html.matches("property=\"og:title\"").count(), 1, "{path}: one set of tags");
        assert_eq!(meta(html, "property", "og:url"), Some(server.at(path).as_str()), "{path}");
        assert_eq!(meta(html, "property", "og:site_name"), Some(server.state().config.commune.name.as_str()));
        assert_eq!(meta(html, "property", "og:locale"), Some("fr_FR"), "{path}");
        let kind = if path == "/" { "website" } else { "article" };
        assert_eq!(meta(html, "property", "og:type"), Some(kind), "{path}");
        assert_eq!(meta(html, "name", "twitter:card"), Some("summary_large_image"), "{path}");
        let title = meta(html, "property", "og:title").unwrap();
        assert!(!title.is_empty() && html.contains(&format!("<title>{title} – ")), "{path}: {title}");
        let got = meta(html, "property", "og:description").unwrap();
        match description {
            Some(d) => assert_eq!(got, *d, "{path}"),
            None => assert!(!got.is_empty(), "{path}"),
        }
    }
    let english = {
        let mut c = Client::new();
        c.extra_headers.push(("accept-language".into(), "en".into()));
        c.get(&server.at("/")).body
    };
    assert_eq!(meta(&english, "property", "og:locale"), Some("en_GB"));
    // The back office is never shared.
    let mut staff = staff_client(&server);
    let admin = staff.get(&server.at("/admin/liens-courts"));
    assert_eq!(admin.status, 200);
    assert!(!admin.body.contains("og:title"));
    // Each process's staff page links its poster, its flyer and its short address.
    for (path, kind, id) in [
        (format!("/admin/budgets/{budget}"), "budget", budget.to_string()),
        (format!("/admin/consultations/{consultation}"), "consultation", consultation.to_string()),
        (format!("/admin/rendez-vous/{meeting}"), "meeting", meeting.to_string()),
    ] {
        let r = staff.get(&server.at(&path));
        assert_eq!(r.status, 200, "{path}");
        for link in [
            format!("/admin/affiches/{kind}/{id}/a4.pdf"),
            format!("/admin/affiches/{kind}/{id}/a5.pdf"),
            format!("/admin/liens-courts?kind={kind}&amp;id={id}"),
        ] {
            assert!(r.body.contains(&link), "{path}: {link}");
        }
    }
}

/// A GET whose body is kept as bytes (a PDF).
pub fn get_bytes(c: &Client, url: &str) -> (u16, Option<String>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let cookies = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let mut r = agent.get(url).header("cookie", &cookies).call().unwrap();
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = r.body_mut().read_to_vec().unwrap_or_default();
    (r.status().as_u16(), kind, body)
}

/// The PDF's first page rendered by pdftoppm (poppler-utils, in CI's
/// packages), then every QR code found on it, decoded.
fn qr_codes_of(pdf: &[u8], dir: &std::path::Path, name: &str) -> Vec<String> {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let out = dir.join(name);
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-gray", "-png", "-singlefile"])
        .arg(&file)
        .arg(&out)
        .status()
        .expect("pdftoppm (poppler-utils) renders the poster");
    assert!(status.success());
    let img = image::open(dir.join(format!("{name}.png"))).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared.detect_grids().into_iter().map(|g| g.decode().unwrap().1).collect()
}

fn pdf_text(pdf: &[u8], dir: &std::path::Path, name: &str) -> String {
    let file = dir.join(format!("{name}-text.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn posters_are_pdfs_whose_qr_code_gives_the_short_address_or_else_the_full_one() {
    let server = TestServer::start();
    let mut staff = staff_client(&server);
    let velo =
        a_box(&server, "Le vélo en ville", "Proposez vos idées pour circuler à vélo. La mairie répond à chacune.");
    assert_eq!(set_link(&mut staff, &server, "idea-box", &velo.get().to_string(), "velo").status, 303);
    let other = a_box(&server, "Les jardins partagés", "Cultivons ensemble.");
    let dir = tempfile::tempdir().unwrap();

    for (file, size) in [("a4.pdf", "(A4)"), ("a5.pdf", "419.528 x 595.276 pts")] {
        let (status, kind, pdf) = get_bytes(&staff, &server.at(&format!("/admin/affiches/idea-box/{velo}/{file}")));
        assert_eq!(status, 200, "{file}");
        assert_eq!(kind.as_deref(), Some("application/pdf"));
        assert!(pdf.starts_with(b"%PDF-"), "{file}");
        let info_file = dir.path().join(format!("info-{file}"));
        std::fs::write(&info_file, &pdf).unwrap();
        let info = std::process::Command::new("pdfinfo").arg(&info_file).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout).into_owned();
        assert!(info.contains("Pages:           1") && info.contains(size), "{file}: {info}");
        assert_eq!(qr_codes_of(&pdf, dir.path(), &format!("velo-{file}")), vec![server.at("/p/velo")], "{file}");
        let text = pdf_text(&pdf, dir.path(), &format!("velo-{file}"));
        for expected in ["Le vélo en ville", "Proposez vos idées pour circuler à vélo.", "Du ", "Scannez le code"] {
            assert!(text.contains(expected), "{file}: {expected} in {text}");
        }
        assert!(!text.contains("La mairie répond"), "one sentence only: {text}");
    }
    // Without a short address, the QR code gives the full one.
    let (_, _, pdf) = get_bytes(&staff, &server.at(&format!("/admin/affiches/idea-box/{other}/a5.pdf")));
    assert_eq!(qr_codes_of(&pdf, dir.path(), "other"), vec![server.at(&format!("/idees/{other}"))]);
    // The platform's own poster leads to the home page.
    let (status, _, pdf) = get_bytes(&staff, &server.at("/admin/affiches/platform/0/a4.pdf"));
    assert_eq!(status, 200);
    assert_eq!(qr_codes_of(&pdf, dir.path(), "platform"), vec![server.at("/")]);
    assert!(pdf_text(&pdf, dir.path(), "platform").contains("Participez à la vie de"));

    assert_eq!(get_bytes(&staff, &server.at("/admin/affiches/idea-box/999/a4.pdf")).0, 404);
    assert_eq!(get_bytes(&staff, &server.at(&format!("/admin/affiches/idea-box/{velo}/a3.pdf"))).0, 404);
    assert_eq!(get_bytes(&staff, &server.at("/admin/affiches/nothing/1/a4.pdf")).0, 404);
    let visitor = Client::new();
    assert_ne!(get_bytes(&visitor, &server.at("/admin/affiches/platform/0/a4.pdf")).0, 200);
}
