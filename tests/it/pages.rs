//! The commune's own pages (issue 13, "News and pages"): the shipped charter
//! adapted by an admin and put in the navigation, a new page, refusals that
//! keep what was typed, and deletion bringing the shipped text back.

use parvis::domain::accounts::Role;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::support::{Client, TestServer};

#[test]
fn admins_adapt_the_shipped_pages_and_put_them_in_the_navigation_of_every_page() {
    let server = TestServer::start();
    let mut v = Client::new();
    let shipped = v.get(&server.at("/pages/charte"));
    assert_eq!(shipped.status, 200);
    assert!(shipped.body.contains("Charte de participation") && shipped.body.contains("respecter les personnes"));
    assert_eq!(v.get(&server.at("/pages/inconnue")).status, 404);
    assert!(!v.get(&server.at("/")).body.contains("href=\"/pages/charte\""), "not in the menu yet");

    // Staff who are not admins cannot write pages.
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &staff);
    assert_eq!(s.get(&server.at("/admin/pages")).status, 403);

    let admin = make_person(&server, "admin@testville.test", "Admin", Role::Admin, true);
    let mut a = Client::new();
    sign_in(&mut a, &server, &admin);
    let list = a.get(&server.at("/admin/pages"));
    for slug in ["charte", "fonctionnement", "questions"] {
        assert!(list.body.contains(&format!("/admin/pages/{slug}")), "{slug}: {}", list.body);
    }
    let saved = post(
        &mut a,
        &server,
        "/admin/pages/charte",
        "/admin/pages/charte",
        &[("title", "Notre charte"), ("body", "Soyons **courtois**."), ("in_nav", "on")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    // In the navigation of every page at once, for everyone, in both languages.
    for path in ["/", "/consultations", "/idees"] {
        let page = v.get(&server.at(path));
        assert!(page.body.contains(r#"<a href="/pages/charte">Notre charte</a>"#), "{path}: {}", page.body);
    }
    assert!(v.get(&server.at("/pages/charte")).body.contains("<strong>courtois</strong>"));

    // A new page: a bad address and a taken one are refused, keeping the text.
    let refused = post(
        &mut a,
        &server,
        "/admin/pages/nouvelle",
        "/admin/pages/nouvelle",
        &[
            ("slug", "Accès PMR"),
            ("title", "Accessibilité des salles"),
            ("body", "La salle des fêtes est de plain-pied."),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("lettres minuscules") && refused.body.contains("de plain-pied"), "{}", refused.body);
    let taken = post(
        &mut a,
        &server,
        "/admin/pages/nouvelle",
        "/admin/pages/nouvelle",
        &[("slug", "charte"), ("title", "Autre"), ("body", "x")],
    );
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("déjà cette adresse"), "{}", taken.body);
    let made = post(
        &mut a,
        &server,
        "/admin/pages/nouvelle",
        "/admin/pages/nouvelle",
        &[("slug", "acces"), ("title", "Accessibilité des salles"), ("body", "La salle des fêtes est de plain-pied.")],
    );
    assert_eq!((made.status, made.header("location")), (303, Some("/pages/acces")), "{}", made.body);
    assert!(v.get(&server.at("/pages/acces")).body.contains("de plain-pied"));
    assert!(!v.get(&server.at("/")).body.contains("href=\"/pages/acces\""), "not asked in the menu");

    // Deleted: the shipped text is back, and the menu entry gone.
    let deleted = post(&mut a, &server, "/admin/pages/charte", "/admin/pages/charte/supprimer", &[]);
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert!(v.get(&server.at("/pages/charte")).body.contains("Charte de participation"));
    assert!(!v.get(&server.at("/")).body.contains("href=\"/pages/charte\""));
    let events = crate::admin::events(&server);
    assert_eq!(events.iter().filter(|e| e.action == parvis::domain::audit::Action::PageChanged).count(), 3);
}
