//! The web shell: pages, language, CSRF, security headers, assets, errors.

use parvis::config::Value;

use crate::support::{hidden_field, Client, TestServer};

#[test]
fn home_page_is_french_by_default_with_the_chrome() {
    let server = TestServer::start();
    let mut c = Client::new();
    let r = c.get(&server.at("/"));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html lang=\"fr\">"));
    assert!(r.body.contains("Participez à la vie de Testville"));
    assert!(r.body.contains("href=\"#contenu\""), "skip link");
    assert!(r.body.contains("id=\"contenu\""), "main target");
    assert!(
        r.body.contains("/mentions-legales")
            && r.body.contains("/donnees-personnelles")
            && r.body.contains("/accessibilite")
    );
    assert!(r.body.contains("Accessibilité : non conforme"), "RGAA status in the footer");
    assert!(r.body.contains("Aucun habitant inscrit"));
    assert_eq!(r.header("x-request-id").map(|v| v.len()), Some(16));
}

#[test]
fn strict_security_headers_are_on_every_response() {
    let server = TestServer::start();
    let mut c = Client::new();
    for path in ["/", "/nope", "/healthz"] {
        let r = c.get(&server.at(path));
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("no CSP on {path}"));
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("referrer-policy"), Some("same-origin"));
        assert!(r.header("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    }
}

#[test]
fn hsts_is_sent_when_the_site_is_served_over_https() {
    let server =
        TestServer::start_with(&[("server.public_url", Value::Text("https://participer.testville.fr".into()))]);
    let r = Client::new().get(&server.at("/"));
    assert!(r.header("strict-transport-security").unwrap().contains("max-age="));
    let cookies = r.headers_named("set-cookie").join("\n");
    assert!(cookies.contains("__Host-parvis-csrf=") && cookies.contains("Secure"), "{cookies}");
}

#[test]
fn not_found_page_is_translated_and_gives_a_request_id() {
    let server = TestServer::start();
    let mut c = Client::new();
    let r = c.get(&server.at("/pas-ici"));
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page introuvable"));
    let id = r.header("x-request-id").unwrap().to_string();
    assert!(r.body.contains(&id), "the page shows the request id");

    c.extra_headers.push(("accept-language".into(), "en-GB,en;q=0.9".into()));
    let r = c.get(&server.at("/pas-ici"));
    assert_eq!(r.status, 404);
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Page not found"));

    let r = c.get(&server.at("/langue"));
    assert_eq!(r.status, 405);
    assert!(r.body.contains("Action not possible"));
}

#[test]
fn language_switch_needs_a_valid_csrf_token_and_remembers_the_choice() {
    let server = TestServer::start();
    let mut c = Client::new();
    let page = c.get(&server.at("/accessibilite"));
    let token = hidden_field(&page.body, "_csrf").expect("the language form carries a token");

    // No token, a forged token, and no cookie are all refused.
    let r = c.post_form(&server.at("/langue"), &[("lang", "en"), ("next", "/")]);
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Le formulaire a expiré"));
    let r = c.post_form(&server.at("/langue"), &[("lang", "en"), ("_csrf", "00112233445566778899aabbccddeeff")]);
    assert_eq!(r.status, 403);
    let mut stranger = Client::new();
    let r = stranger.post_form(&server.at("/langue"), &[("lang", "en"), ("_csrf", &token)]);
    assert_eq!(r.status, 403, "a token without its cookie is refused");
    // A request from another site is refused even with the right token.
    c.extra_headers.push(("origin".into(), "https://evil.example".into()));
    let r = c.post_form(&server.at("/langue"), &[("lang", "en"), ("next", "/"), ("_csrf", &token)]);
    assert_eq!(r.status, 403);
    c.extra_headers.clear();

    let r = c.post_form(&server.at("/langue"), &[("lang", "en"), ("next", "/accessibilite"), ("_csrf", &token)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/accessibilite"));
    let r = c.get(&server.at("/accessibilite"));
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Accessibility statement"));
    // The change is confirmed once, in the new language, then forgotten.
    assert!(r.body.contains("role=\"status\"") && r.body.contains("The site is now shown in English."));
    let r = c.get(&server.at("/accessibilite"));
    assert!(!r.body.contains("The site is now shown in English."));
    // The switch now offers French, marked as French for screen readers.
    assert!(r.body.contains("lang=\"fr\""));
}

/// Sends `head` (request line and headers), then reads one response's head
/// without sending any body: what a server answers before the body arrives.
fn answer_before_the_body(server: &TestServer, head: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).expect("the server answers before the body is sent");
        assert!(n > 0, "the server closed the connection without answering");
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).to_ascii_lowercase()
}

/// The cause of a flaky test: a request refused before its body was read
/// left a connection that the server closed a moment after answering, and
/// the client's next request on it failed with "peer disconnected". Such an
/// answer now says `Connection: close`, so the client opens a new one.
#[test]
fn a_refusal_that_leaves_the_body_unread_closes_the_connection() {
    let server = TestServer::start();
    let host = server.url.trim_start_matches("http://").to_string();
    // A photo upload with no CSRF cookie: refused at once, its 5 MB never read.
    let head = format!(
        "POST /idees/1/proposer HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 5000000\r\n\r\n"
    );
    let answer = answer_before_the_body(&server, &head);
    assert!(answer.starts_with("http/1.1 403"), "{answer}");
    assert!(answer.contains("\r\nconnection: close\r\n"), "{answer}");

    // An ordinary refused form (read whole first) followed by a valid one on
    // the same client: both answered, many times over.
    let mut c = Client::new();
    let page = c.get(&server.at("/accessibilite"));
    let token = hidden_field(&page.body, "_csrf").unwrap();
    for _ in 0..50 {
        c.extra_headers.push(("origin".into(), "https://evil.example".into()));
        assert_eq!(c.post_form(&server.at("/langue"), &[("lang", "en"), ("_csrf", &token)]).status, 403);
        c.extra_headers.clear();
        let r = c.post_form(&server.at("/langue"), &[("lang", "fr"), ("next", "/"), ("_csrf", &token)]);
        assert_eq!(r.status, 303);
    }
}

#[test]
fn assets_are_served_under_their_hash_with_long_cache() {
    let server = TestServer::start();
    let mut c = Client::new();
    let home = c.get(&server.at("/"));
    let start = home.body.find("/assets/").unwrap();
    let end = start + home.body[start..].find('"').unwrap();
    let css_url = &home.body[start..end];
    assert!(css_url.ends_with("/css/parvis.css"), "{css_url}");
    let r = c.get(&server.at(css_url));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));
    assert!(r.body.contains("--brand"));
    assert!(r.headers_named("set-cookie").is_empty(), "no cookie on assets");
    let h = c.head(&server.at(css_url));
    assert_eq!(h.status, 200);

    let r = c.get(&server.at("/assets/000000000000/css/parvis.css"));
    assert_eq!(r.status, 303, "an old hash is sent to the current file");
    assert_eq!(r.header("location"), Some(css_url));
    assert_eq!(c.get(&server.at("/assets/000000000000/css/absent.css")).status, 404);

    let theme_start = home.body.find("/theme/").unwrap();
    let theme_end = theme_start + home.body[theme_start..].find('"').unwrap();
    let theme = c.get(&server.at(&home.body[theme_start..theme_end]));
    assert_eq!(theme.status, 200);
    assert!(theme.body.contains("--brand: #1d4f91"));
}

#[test]
fn legal_pages_show_the_configured_facts() {
    let server = TestServer::start_with(&[
        ("legal.publisher", Value::Text("Mairie de Testville, 1 place de la Mairie".into())),
        ("legal.dpo_email", Value::Text("dpo@testville.fr".into())),
        ("accessibility.status", Value::Text("partielle".into())),
        ("accessibility.contact", Value::Text("accessibilite@testville.fr".into())),
    ]);
    let mut c = Client::new();
    let r = c.get(&server.at("/mentions-legales"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Mairie de Testville, 1 place de la Mairie"));
    assert!(r.body.contains("Information à compléter par la mairie"), "missing facts say so");
    let r = c.get(&server.at("/donnees-personnelles"));
    assert!(r.body.contains("dpo@testville.fr"));
    assert!(r.body.contains("365 jours"), "audit retention from the config");
    let r = c.get(&server.at("/accessibilite"));
    assert!(r.body.contains("partiellement conforme avec le référentiel général d'amélioration de l'accessibilité"));
    assert!(r.body.contains("accessibilite@testville.fr"));
    assert!(r.body.contains("Accessibilité : partiellement conforme"));
}

#[test]
fn the_source_code_is_offered_from_the_legal_notice_and_the_footer() {
    // Not set: the legal notice says where to ask, and no link is made up.
    let server = TestServer::start();
    let mut c = Client::new();
    let legal = c.get(&server.at("/mentions-legales")).body;
    assert!(legal.contains("peut être obtenu auprès de l'éditeur du site"), "{legal}");
    assert!(!legal.contains("Code source"));
    drop(server);

    let url = "https://forge.example.test/testville/parvis";
    let server = TestServer::start_with(&[("legal.source_url", Value::Text(url.into()))]);
    let legal = c.get(&server.at("/mentions-legales")).body;
    assert!(!legal.contains("auprès de l'éditeur du site"));
    let link = format!("<a href=\"{url}\">Code source</a>");
    assert_eq!(legal.matches(&link).count(), 2, "in the notice and in the footer: {legal}");
    let home = c.get(&server.at("/")).body;
    let footer = &home[home.find("<footer").unwrap()..];
    assert!(footer.contains(&link), "{footer}");
    c.extra_headers.push(("accept-language".into(), "en".into()));
    let home = c.get(&server.at("/")).body;
    assert!(home.contains(&format!("<a href=\"{url}\">Source code</a>")));
}

#[test]
fn graceful_stop_commits_and_releases_the_database() {
    let server = TestServer::start();
    assert_eq!(Client::new().get(&server.at("/healthz")).body, "ok");
    let (result, dir) = server.stop();
    assert_eq!(result, Ok(()));
    // The lock is released: the database opens again and verifies.
    let store = crate::backup::open_with_key(&dir.path().join("parvis.redb"), &dir.path().join("parvis.key"));
    assert!(store.verify().unwrap().is_ok());
    assert!(!dir.path().join("admin.sock").exists(), "the admin socket is removed on stop");
}

#[test]
fn readiness_and_metrics_on_their_own_listener() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = TestServer::start_with(&[("server.metrics_listen", Value::Text(format!("127.0.0.1:{port}")))]);
    let mut c = Client::new();
    let ready = c.get(&server.at("/readyz"));
    assert_eq!(ready.status, 200);
    assert!(ready.body.contains("store: ok") && ready.body.contains("disk: ok"));
    for _ in 0..3 {
        c.get(&server.at("/"));
    }
    c.get(&server.at("/absent"));
    assert_eq!(c.get(&server.at("/metrics")).status, 404, "metrics are not on the public site");
    // A write through the group-commit writer, so that the commit counters move.
    server.write(|_| Ok(()));
    let metrics = c.get(&format!("http://127.0.0.1:{port}/metrics"));
    assert_eq!(metrics.status, 200);
    let value = |name: &str| -> f64 {
        metrics.body.lines().find(|l| l.starts_with(name)).and_then(|l| l.rsplit(' ').next()).unwrap().parse().unwrap()
    };
    assert!(value("parvis_http_responses_total{class=\"2xx\"}") >= 4.0, "{}", metrics.body);
    assert!(value("parvis_http_responses_total{class=\"4xx\"}") >= 1.0);
    assert!(value("parvis_writer_commits_total") >= 1.0, "{}", metrics.body);
    assert!(metrics.body.contains("parvis_writer_batch_size_bucket{le=\"1\"}"));
    assert_eq!(value("parvis_disk_full"), 0.0);
    assert_eq!(value("parvis_mail_outbox_backlog"), 0.0);
}

#[test]
fn the_admin_sees_the_state_of_the_installation() {
    let server = TestServer::start_with(&[("backup.interval_hours", Value::Integer(24))]);
    let admin = crate::admin::make_person(
        &server,
        "admin@testville.test",
        "Admin",
        parvis::domain::accounts::Role::Admin,
        true,
    );
    let mut c = Client::new();
    crate::admin::sign_in(&mut c, &server, &admin);
    let r = c.get(&server.at("/admin/systeme"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(env!("CARGO_PKG_VERSION")));
    assert!(r.body.contains("aucune sauvegarde automatique pour le moment"));
    assert!(r.body.contains("Espace disque libre"));
    let mail = c.get(&server.at("/admin/courriels"));
    assert_eq!(mail.status, 200);
    assert!(mail.body.contains("Aucun serveur SMTP n'est configuré"));
}

/// A refusal is a 4xx page that says what to do, not "access denied" nor a
/// 500: deleting a comment again (from a second tab) says it was deleted.
#[test]
fn deleting_a_comment_twice_says_it_was_deleted() {
    use crate::accounts::post;
    use crate::comments::{comment, id_from, open_proposal, resident, PAGE};

    let server = TestServer::start();
    assert_eq!(open_proposal(&server), 1);
    let (_camille, mut camille) = resident(&server, "camille@example.test", "Camille Martin");
    let id = id_from(&comment(&mut camille, &server, "Un texte à effacer", None, ""));
    let delete = format!("/commentaires/{id}/supprimer");
    // The token is taken before the first deletion, as a second tab would.
    let page = camille.get(&server.at(PAGE));
    let token = hidden_field(&page.body, "_csrf").unwrap();
    assert_eq!(post(&mut camille, &server, &delete, &delete, &[]).status, 303);

    let again = camille.post_form(&server.at(&delete), &[("_csrf", &token)]);
    assert_eq!(again.status, 410, "{}", again.body);
    assert!(again.body.contains("Commentaire supprimé"), "{}", again.body);
    assert!(again.body.contains("Revenez à la discussion"));
    let id_header = again.header("x-request-id").unwrap().to_string();
    assert!(again.body.contains(&id_header), "the request id is on the page");
}
