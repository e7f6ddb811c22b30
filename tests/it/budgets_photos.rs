//! A participatory budget project's photos over real HTTP (issue 14): staff
//! upload a JPEG with its text through the multipart form, residents see it
//! with its text on the project's page, small on the process's page and on
//! the ballot, and fetch its bytes; staff replace it (the old file is
//! deleted), reorder and remove photos; a form without text, a file that is
//! not an image, one too large and a resident are refused.

use parvis::config::Value;
use parvis::domain::accounts::Role;
use parvis::domain::audit::Actor;
use parvis::domain::budgets::{self, Audience, Pot, ProcessId, ProjectDetails, Rule, Settings, Study, Style};
use parvis::domain::now_unix;

use crate::admin::{make_person, sign_in};
use crate::support::{hidden_field, Client, TestServer};

const DAY: i64 = 86_400;

fn hoods() -> Vec<String> {
    vec!["Centre".into()]
}

/// A published process whose vote is open, with two feasible projects:
/// « Parc » (1) and « Fontaine » (2).
fn process(server: &TestServer) -> ProcessId {
    let now = now_unix();
    let settings = Settings {
        title: "Budget participatif 2027".into(),
        description: "Vos projets.".into(),
        starts: [now - 30 * DAY, now - 15 * DAY, now - DAY, now + 10 * DAY, now + 40 * DAY],
        pots: vec![Pot { neighbourhood: None, amount_cents: 10_000_000 }],
        audience: Audience::SignedIn,
        min_age: None,
        style: Style::Basket,
        changeable: false,
        rule: Rule::Greedy,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
    };
    let studied = now - 5 * DAY;
    server.write(move |tx| {
        let actor = Actor::command_line();
        let err = |e: budgets::BudgetError| parvis::store::StoreError::Internal(e.to_string());
        let id = budgets::create(tx, &hoods(), &actor, &settings, studied).map_err(err)?;
        for title in ["Parc", "Fontaine"] {
            let d = ProjectDetails {
                title: title.into(),
                description: format!("Le projet {title}."),
                proposed_cost_cents: 100_000,
                pot: 0,
                neighbourhood: None,
                category: "Cadre de vie".into(),
                coords: None,
            };
            let n = budgets::add_project(tx, &hoods(), &actor, id, &d, studied).map_err(err)?;
            budgets::set_study(tx, &actor, id, n, Study::Feasible { cost_cents: 100_000 }, studied).map_err(err)?;
        }
        budgets::publish(tx, &actor, id, studied).map_err(err)?;
        Ok(id)
    })
}

/// A real JPEG, its colour telling one from another.
fn jpeg(blue: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(120, 90, |x, y| image::Rgb([(x * 2) as u8, (y * 2) as u8, blue]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Sends one of the photos page's forms (multipart, the page's CSRF token
/// first, as a browser does).
fn send(
    c: &mut Client,
    server: &TestServer,
    page: &str,
    action: &str,
    alt: Option<&str>,
    photo: Option<&[u8]>,
) -> crate::support::Resp {
    let form = c.get(&server.at(page));
    assert!(form.body.contains(r#"enctype="multipart/form-data""#), "{}", form.body);
    let token = hidden_field(&form.body, "_csrf").unwrap();
    let mut fields = vec![("_csrf", token.as_str())];
    fields.extend(alt.map(|a| ("alt", a)));
    c.post_multipart(&server.at(action), &fields, photo.map(|b| ("photo", "parc.jpg", b)))
}

fn photos(server: &TestServer, id: ProcessId, n: u64) -> Vec<budgets::ProjectPhoto> {
    budgets::project(&server.state().store.read().unwrap(), id, n).unwrap().unwrap().photos
}

/// The bytes and headers of an image (the test client reads bodies as text).
fn fetch(url: &str) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent.get(url).call().unwrap();
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (kind, cache) = (header("content-type"), header("cache-control"));
    (r.status().as_u16(), kind, cache, r.body_mut().with_config().limit(20 << 20).read_to_vec().unwrap())
}

#[test]
fn staff_upload_replace_reorder_and_remove_a_projects_photos_which_residents_see_with_their_text() {
    let server = TestServer::start_with(&[("commune.neighbourhoods", Value::List(hoods()))]);
    let id = process(&server);
    let staff = make_person(&server, "agent@example.test", "Agnès Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &staff);
    let page = format!("/admin/budgets/{id}/projets/1/photos");
    let files = parvis::photos::dir(&server.state().config.data_dir);
    let stored = || std::fs::read_dir(&files).map(|d| d.count()).unwrap_or(0);

    // The project's staff page links to its photos, also during the vote.
    let project = s.get(&server.at(&format!("/admin/budgets/{id}/projets/1")));
    assert!(project.body.contains(&format!("href=\"{page}\"")), "{}", project.body);
    let r = s.get(&server.at(&page));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Le vote est ouvert : vous pouvez encore changer les photos"), "{}", r.body);

    // Refusals: each said on its field, nothing stored.
    let photo = jpeg(40);
    let r = send(&mut s, &server, &page, &page, Some("  "), Some(&photo));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Décrivez ce que montre la photo") && r.body.contains(r##"href="#alt""##), "{}", r.body);
    let r = send(&mut s, &server, &page, &page, Some("Le parc"), None);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choisissez la photo à ajouter") && r.body.contains("value=\"Le parc\""), "{}", r.body);
    let r = send(&mut s, &server, &page, &page, Some("Le parc"), Some(&b"%PDF-1.4 not a photo"[..]));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("n'est pas une photo JPEG, PNG ou WebP"), "{}", r.body);
    let mut huge = photo.clone();
    huge.resize(parvis::photos::MAX_UPLOAD + 1, 0);
    let r = send(&mut s, &server, &page, &page, Some("Le parc"), Some(&huge));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("La photo dépasse 15 Mo"), "{}", r.body);
    assert_eq!(stored(), 0, "a refused form stores no file");
    assert!(photos(&server, id, 1).is_empty());

    // A real JPEG with its text: re-encoded, stored, shown.
    let alt = "L'allée du parc & ses platanes";
    let r = send(&mut s, &server, &page, &page, Some(alt), Some(&photo));
    assert_eq!(r.status, 303, "{}", r.body);
    let first = photos(&server, id, 1);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].alt, alt);
    let old = first[0].file.clone();
    assert!(files.join(&old).exists());

    // Residents: the project's page shows it with its text; the process's
    // page and the ballot show it small, sized and lazy.
    let resident = make_person(&server, "camille@example.test", "Camille Martin", Role::Resident, false);
    let mut rc = Client::new();
    sign_in(&mut rc, &server, &resident);
    let src = format!("/budgets/{id}/projets/1/photos/{old}");
    let shown = rc.get(&server.at(&format!("/budgets/{id}/projets/1"))).body;
    assert!(shown.contains(&format!(r#"<img src="{src}" alt="L'allée du parc &amp; ses platanes">"#)), "{shown}");
    let thumb = format!(
        r#"<img class="budget-thumb" src="{src}" alt="L'allée du parc &amp; ses platanes" width="96" height="72" loading="lazy">"#
    );
    let list = Client::new().get(&server.at(&format!("/budgets/{id}"))).body;
    assert!(list.contains(&thumb), "{list}");
    let ballot = rc.get(&server.at(&format!("/budgets/{id}/voter"))).body;
    assert!(ballot.contains(&thumb), "{ballot}");
    assert!(!ballot.contains(&format!("/budgets/{id}/projets/2/photos/")), "a project without photo has none");

    // The bytes: the re-encoded JPEG, cached an hour.
    let (status, kind, cache, bytes) = fetch(&server.at(&src));
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("image/jpeg"));
    assert_eq!(cache.as_deref(), Some("public, max-age=3600"));
    assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    assert_eq!(bytes, std::fs::read(files.join(&old)).unwrap());
    // Only a file the project names, by a name that cannot leave the folder.
    assert_eq!(fetch(&server.at(&format!("/budgets/{id}/projets/2/photos/{old}"))).0, 404, "not project 2's");
    assert_eq!(fetch(&server.at(&format!("/budgets/{id}/projets/1/photos/..%2F..%2Fparvis.redb"))).0, 404);
    assert_eq!(fetch(&server.at(&format!("/budgets/{id}/projets/1/photos/{}.jpg", "0".repeat(32)))).0, 404);

    // A resident reaches none of the staff's routes.
    assert_eq!(rc.get(&server.at(&page)).status, 403);
    let token = hidden_field(&ballot, "_csrf").unwrap();
    let r = rc.post_multipart(
        &server.at(&page),
        &[("_csrf", &token), ("alt", "Piraté")],
        Some(("photo", "x.jpg", &photo[..])),
    );
    assert_eq!(r.status, 403);
    let r = rc.post_form(&server.at(&format!("{page}/{old}/retirer")), &[("_csrf", &token)]);
    assert_eq!(r.status, 403);
    assert_eq!(photos(&server, id, 1).len(), 1);

    // Replaced: the new picture under its text, the old file gone.
    let item = format!("{page}/{old}");
    let r = send(&mut s, &server, &page, &item, Some("Le parc refait"), Some(&jpeg(200)));
    assert_eq!(r.status, 303, "{}", r.body);
    let replaced = photos(&server, id, 1);
    assert_eq!(replaced.len(), 1);
    assert_eq!(replaced[0].alt, "Le parc refait");
    let new = replaced[0].file.clone();
    assert_ne!(new, old);
    assert!(!files.join(&old).exists(), "the replaced photo's file is deleted");
    assert_eq!(stored(), 1);
    assert_eq!(fetch(&server.at(&src)).0, 404);
    assert_eq!(fetch(&server.at(&format!("/budgets/{id}/projets/1/photos/{new}"))).0, 200);
    // Only the text, without a file; an empty text is refused on its own field.
    let item = format!("{page}/{new}");
    let r = send(&mut s, &server, &page, &item, Some(" "), None);
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"href="#alt-1""##) && r.body.contains("Décrivez ce que montre la photo"), "{}", r.body);
    assert_eq!(send(&mut s, &server, &page, &item, Some("Le parc, refait en 2026"), None).status, 303);
    assert_eq!(photos(&server, id, 1)[0].alt, "Le parc, refait en 2026");

    // A second photo, moved first; the same picture twice is refused.
    assert_eq!(send(&mut s, &server, &page, &page, Some("La fontaine"), Some(&jpeg(90))).status, 303);
    let r = send(&mut s, &server, &page, &page, Some("Encore"), Some(&jpeg(90)));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà une photo du projet"), "{}", r.body);
    let second = photos(&server, id, 1)[1].file.clone();
    let token = hidden_field(&s.get(&server.at(&page)).body, "_csrf").unwrap();
    let r = s.post_form(&server.at(&format!("{page}/{second}/deplacer")), &[("vers", "haut"), ("_csrf", &token)]);
    assert_eq!(r.status, 303);
    let order: Vec<String> = photos(&server, id, 1).into_iter().map(|p| p.file).collect();
    assert_eq!(order, vec![second.clone(), new.clone()]);

    // Removed: the file goes with it.
    let r = s.post_form(&server.at(&format!("{page}/{new}/retirer")), &[("_csrf", &token)]);
    assert_eq!(r.status, 303);
    assert_eq!(photos(&server, id, 1).len(), 1);
    assert!(!files.join(&new).exists());
    assert_eq!(stored(), 1);
    let verdict = server.state().store.verify().unwrap();
    assert!(verdict.is_ok(), "{verdict:?}");
}
