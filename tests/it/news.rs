//! The town hall's news (issue 13, "News and pages"): staff write a draft,
//! publish it, correct it and withdraw it; residents read it on the home
//! page, on `/actualites` and in a feed reader.

use parvis::domain::accounts::Role;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::feeds::send_news;
use crate::support::{Client, TestServer};

#[test]
fn staff_publish_news_that_residents_read_on_the_home_page_the_list_and_the_feed() {
    let server = TestServer::start();
    let staff = make_person(&server, "agent@testville.test", "Agent", Role::Staff, true);
    let mut s = Client::new();
    sign_in(&mut s, &server, &staff);

    // A refused form keeps what was typed and says what is missing.
    let body = "Les travaux commencent **lundi 4**.\n\n- circulation alternée\n- stationnement interdit";
    let refused = send_news(
        &mut s,
        &server,
        "/admin/actualites/nouvelle",
        "/admin/actualites/nouvelle",
        &[("title", "Travaux rue des Écoles"), ("summary", ""), ("body", body)],
        None,
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Donnez un résumé"), "{}", refused.body);
    assert!(refused.body.contains("Travaux rue des Écoles") && refused.body.contains("lundi 4"), "{}", refused.body);

    let summary = "La rue des Écoles est en travaux du 4 au 15 : circulation alternée.";
    let made = send_news(
        &mut s,
        &server,
        "/admin/actualites/nouvelle",
        "/admin/actualites/nouvelle",
        &[("title", "Travaux rue des Écoles"), ("summary", summary), ("body", body)],
        None,
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let edit = made.header("location").unwrap().to_string();
    let id: u64 = edit.rsplit('/').next().unwrap().parse().unwrap();

    // A draft: nowhere for residents, shown to staff as a draft.
    let mut v = Client::new();
    assert_eq!(v.get(&server.at(&format!("/actualites/{id}"))).status, 404);
    assert!(!v.get(&server.at("/")).body.contains("Travaux rue des Écoles"));
    assert!(s.get(&server.at(&format!("/actualites/{id}"))).body.contains("Brouillon"));
    // Residents cannot reach the staff's pages.
    let resident = make_person(&server, "claude@testville.test", "Claude", Role::Resident, false);
    let mut r = Client::new();
    sign_in(&mut r, &server, &resident);
    assert_eq!(r.get(&server.at("/admin/actualites")).status, 403);

    let published = post(&mut s, &server, &edit, &format!("/admin/actualites/{id}/publier"), &[]);
    assert_eq!(published.status, 303, "{}", published.body);
    let home = v.get(&server.at("/"));
    assert!(home.body.contains(&format!("href=\"/actualites/{id}\"")) && home.body.contains(summary), "{}", home.body);
    let page = v.get(&server.at(&format!("/actualites/{id}")));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<strong>lundi 4</strong>"), "Markdown rendered: {}", page.body);
    assert!(page.body.contains("Publiée le"), "{}", page.body);
    let list = v.get(&server.at("/actualites"));
    assert!(list.body.contains(r#"<link rel="alternate" type="application/atom+xml" href="/actualites/flux.atom""#));

    // A feed reader reads it.
    let feed = v.get(&server.at("/actualites/flux.atom"));
    assert_eq!(feed.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    let parsed = feed_rs::parser::parse(feed.body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {}", feed.body));
    assert_eq!(parsed.entries.len(), 1);
    let entry = &parsed.entries[0];
    assert_eq!(entry.title.as_ref().unwrap().content, "Travaux rue des Écoles");
    assert_eq!(entry.links[0].href, server.at(&format!("/actualites/{id}")));
    assert_eq!(entry.summary.as_ref().unwrap().content, summary);

    // A correction keeps the date and says it was updated.
    let fixed = send_news(
        &mut s,
        &server,
        &edit,
        &edit,
        &[("title", "Travaux rue des Écoles : dates changées"), ("summary", summary), ("body", body)],
        None,
    );
    assert_eq!(fixed.status, 303, "{}", fixed.body);
    let feed = feed_rs::parser::parse(v.get(&server.at("/actualites/flux.atom")).body.as_bytes()).unwrap();
    assert_eq!(feed.entries[0].title.as_ref().unwrap().content, "Travaux rue des Écoles : dates changées");

    // Withdrawn: gone from the list, the home page and the feed.
    let withdrawn = post(&mut s, &server, &edit, &format!("/admin/actualites/{id}/retirer"), &[]);
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    assert_eq!(v.get(&server.at(&format!("/actualites/{id}"))).status, 404);
    assert!(v.get(&server.at("/actualites")).body.contains("Aucune actualité"));
    let feed = feed_rs::parser::parse(v.get(&server.at("/actualites/flux.atom")).body.as_bytes()).unwrap();
    assert!(feed.entries.is_empty());
    // Each step is in the audit log.
    let events = crate::admin::events(&server);
    let news: Vec<&str> = events
        .iter()
        .filter(|e| e.action == parvis::domain::audit::Action::NewsChanged)
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(news.len(), 4, "{news:?}");
    let verdict = server.state().store.verify().unwrap();
    assert!(verdict.is_ok(), "{verdict:?}");
}
