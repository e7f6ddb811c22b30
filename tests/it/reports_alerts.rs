//! Following problem reports from outside Parvis: the Atom feeds of the
//! reports (all, per category, per neighbourhood) and of one report's
//! timeline, read as XML and by a real feed parser (feed-rs).

use parvis::config::Value;
use parvis::domain::accounts::Role;

use crate::accounts::post;
use crate::admin::{make_person, sign_in};
use crate::reports::{details, id_of, place, verify_clean, CENTRE, NEAR};
use crate::support::{Client, Resp, TestServer};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The elements RFC 4287 requires, checked on the parsed XML: the feed's
/// id, title, updated, author and `rel="self"` link; each entry's id,
/// title, updated, link and summary. Returns the entries' ids and titles.
fn check_atom(r: &Resp, self_url: &str) -> Vec<(String, String, String)> {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    let doc = roxmltree::Document::parse(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{}", r.body);
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        node.children().find(|c| c.has_tag_name((ATOM, name))).unwrap_or_else(|| panic!("no <{name}>"))
    }
    fn text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
        child(node, name).text().unwrap_or("").to_string()
    }
    assert!(!text(feed, "id").is_empty() && !text(feed, "title").is_empty());
    assert!(text(feed, "updated").parse::<jiff::Timestamp>().is_ok(), "RFC 3339: {}", text(feed, "updated"));
    assert!(!text(child(feed, "author"), "name").is_empty());
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .expect("a rel=self link");
    assert_eq!(self_link.attribute("href"), Some(self_url));
    feed.children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            assert!(text(e, "updated").parse::<jiff::Timestamp>().is_ok());
            assert!(child(e, "link").attribute("href").is_some_and(|h| h.starts_with("http")));
            (text(e, "id"), text(e, "title"), text(e, "summary"))
        })
        .collect()
}

#[test]
fn atom_feeds_list_reports_by_category_and_neighbourhood_and_a_reports_timeline() {
    let hoods = Value::List(vec!["Centre".into(), "Les Vignes".into()]);
    let server = TestServer::start_with(&[("commune.neighbourhoods", hoods)]);
    let author = make_person(&server, "flux@testville.test", "Dominique Secret", Role::Resident, false);
    let agent = make_person(&server, "agent-flux@testville.test", "Agent Flux", Role::Staff, true);
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let step2 = place(&mut a, &server, "voirie", "Route de Lyon", CENTRE);
    let text = "Des pavés descellés <b>dangereux</b> & glissants.";
    let pothole = id_of(&details(&mut a, &server, &step2, text, &[]));
    let step2 = place(&mut a, &server, "proprete", "Chemin des Vignes", NEAR);
    let rubbish = id_of(&details(&mut a, &server, &step2, "Un dépôt de gravats au bord du chemin.", &[]));
    // Put the second in a neighbourhood, as the details form does.
    server.write(move |tx| {
        let mut r = parvis::domain::reports::get(&**tx, parvis::domain::ids::ReportId(rubbish))?.unwrap();
        r.neighbourhood = Some("Les Vignes".into());
        tx.open_table(parvis::domain::reports::tables::PROBLEM_REPORT_BY_ID)?
            .insert(rubbish, parvis::store::encode(&r)?.as_slice())?;
        // With its row in the neighbourhood's index, which the filter reads.
        tx.open_table(parvis::domain::reports::tables::PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED)?
            .insert(("Les Vignes", r.created_at, rubbish), ())?;
        Ok(())
    });

    // Every report, newest first, in a valid feed the pages link to.
    let mut v = Client::new();
    let all = v.get(&server.at("/signalements/flux.atom"));
    let entries = check_atom(&all, &server.at("/signalements/flux.atom"));
    let ids: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(ids, [server.at(&format!("/signalements/{rubbish}")), server.at(&format!("/signalements/{pothole}"))]);
    assert!(entries[1].1.contains(&format!("Signalement n° {pothole}")) && entries[1].1.contains("Voirie"));
    assert!(entries[1].2.contains("<b>dangereux</b> & glissants"), "the text, escaped in the XML: {}", all.body);
    assert!(all.body.contains("&lt;b&gt;dangereux"));
    assert!(!all.body.contains("Dominique Secret") && !all.body.contains("flux@testville.test"), "nobody is named");
    let list = v.get(&server.at("/signalements"));
    assert!(
        list.body.contains(r#"<link rel="alternate" type="application/atom+xml""#)
            && list.body.contains(r#"href="/signalements/flux.atom""#),
        "{}",
        list.body
    );

    // A real feed reader reads it.
    let parsed = feed_rs::parser::parse(all.body.as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), 2);
    assert!(parsed.title.unwrap().content.contains("Testville"));

    // Per category, per neighbourhood: the list page's own query words.
    let voirie = v.get(&server.at("/signalements/flux.atom?categorie=voirie"));
    let entries = check_atom(&voirie, &server.at("/signalements/flux.atom?categorie=voirie"));
    assert_eq!(entries.len(), 1);
    assert!(entries[0].0.ends_with(&format!("/signalements/{pothole}")));
    let page = v.get(&server.at("/signalements?categorie=voirie"));
    assert!(page.body.contains(r#"href="/signalements/flux.atom?categorie=voirie""#), "{}", page.body);
    let vignes = v.get(&server.at("/signalements/flux.atom?quartier=Les+Vignes"));
    let entries = check_atom(&vignes, &server.at("/signalements/flux.atom?quartier=Les+Vignes"));
    assert_eq!(entries.len(), 1);
    assert!(entries[0].0.ends_with(&format!("/signalements/{rubbish}")));
    assert!(vignes.body.contains("Les Vignes"), "the feed's title names the neighbourhood");

    // One report's timeline: the filing, then the town hall's status change.
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let path = format!("/signalements/{pothole}");
    let r = post(
        &mut s,
        &server,
        &path,
        &format!("{path}/etat"),
        &[("status", "fixed"), ("text", "Les pavés ont été rescellés.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let feed_url = server.at(&format!("{path}/flux.atom"));
    let timeline = v.get(&feed_url);
    let entries = check_atom(&timeline, &feed_url);
    assert_eq!(entries.len(), 2, "{}", timeline.body);
    assert_eq!(entries[0].1, "Nouvel état : Réparé");
    assert_eq!(entries[0].2, "Les pavés ont été rescellés.");
    assert_eq!(entries[1].1, "Signalement déposé");
    assert_ne!(entries[0].0, entries[1].0, "each entry has its own id");
    assert!(!timeline.body.contains("Agent Flux"), "staff speak for the town hall");
    let again = check_atom(&v.get(&feed_url), &feed_url);
    assert_eq!(again[0].0, entries[0].0, "ids are stable");
    // The status change moved the report up in the list feed's dates.
    let parsed = feed_rs::parser::parse(v.get(&server.at("/signalements/flux.atom")).body.as_bytes()).unwrap();
    let fixed = parsed.entries.iter().find(|e| e.id.ends_with(&format!("/signalements/{pothole}"))).unwrap();
    assert!(fixed.updated.is_some() && fixed.summary.as_ref().unwrap().content.starts_with("Réparé"));
    assert!(v.get(&server.at(&path)).body.contains(&format!(r#"href="{path}/flux.atom""#)));
    assert_eq!(v.get(&server.at("/signalements/999/flux.atom")).status, 404);
    verify_clean(&server);
}

/// Asks the authors of fixed reports as the hourly pass does, at `now`.
fn ask_at(server: &TestServer, now: i64) -> usize {
    let config = server.state().config.clone();
    let notifier = parvis::domain::notifications::Notifier { base_url: server.url.clone() };
    server.write(move |tx| parvis::domain::reports::ask_fixed_followups(tx, &config, &notifier, now, 200))
}

fn status_of(server: &TestServer, id: u64) -> String {
    let tx = server.state().store.read().unwrap();
    parvis::domain::reports::get(&tx, parvis::domain::ids::ReportId(id)).unwrap().unwrap().status
}

/// Answers through the link's page, as a browser without a session does.
fn answer(server: &TestServer, link: &str) -> Resp {
    let mut c = Client::new();
    let page = c.get(&server.at(link));
    assert_eq!(page.status, 200, "{}", page.body);
    let field = |name| crate::support::hidden_field(&page.body, name).unwrap();
    let (tour, reponse, cle) = (field("tour"), field("reponse"), field("cle"));
    let action = link.split('?').next().unwrap();
    post(&mut c, server, link, action, &[("tour", &tour), ("reponse", &reponse), ("cle", &cle)])
}

#[test]
fn the_author_is_asked_once_if_a_fixed_report_is_really_fixed_and_no_reopens_it() {
    let mail = crate::accounts::Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let author = make_person(&server, "repare@testville.test", "Camille", Role::Resident, false);
    let agent = make_person(&server, "agent-repare@testville.test", "Agent", Role::Staff, true);
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let step2 = place(&mut a, &server, "eclairage", "Place du Marché", CENTRE);
    let id = id_of(&details(&mut a, &server, &step2, "Le lampadaire de la place clignote toute la nuit.", &[]));
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let path = format!("/signalements/{id}");
    let fix = |s: &mut Client| {
        let r = post(s, &server, &path, &format!("{path}/etat"), &[("status", "fixed"), ("text", "Ampoule changée.")]);
        assert_eq!(r.status, 303, "{}", r.body);
        // The author hears of it after the commit: before the next mail.
        crate::notifications::fanned_out(&server);
    };
    fix(&mut s);
    let now = parvis::domain::now_unix();
    const DAY: i64 = 86_400;

    // Not before reports.fixed_followup_days (28), then once only.
    assert_eq!(ask_at(&server, now + 27 * DAY), 0);
    assert_eq!(ask_at(&server, now + 29 * DAY), 1);
    assert_eq!(ask_at(&server, now + 30 * DAY), 0, "never asked twice");
    let asked = mail.nth_to("repare@testville.test", 2);
    assert!(asked.header("Subject").unwrap().contains("Est-ce vraiment réparé"), "{:?}", asked.header("Subject"));
    let no = crate::accounts::link_in(&asked, &format!("/signalements/{id}/repare?tour=1&reponse=non"));
    let yes = crate::accounts::link_in(&asked, &format!("/signalements/{id}/repare?tour=1&reponse=oui"));

    // A forged link is refused; opening the real one changes nothing.
    let forged = yes.replace("cle=", "cle=0");
    assert!((400..500).contains(&Client::new().get(&server.at(&forged)).status));
    let other = no.replace(&format!("/signalements/{id}/"), "/signalements/999/");
    assert!((400..500).contains(&Client::new().get(&server.at(&other)).status), "signed for its report only");
    assert_eq!(status_of(&server, id), "fixed");

    // "No" reopens it, with a public update; the link works once.
    let r = answer(&server, &no);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status_of(&server, id), "new");
    let page = Client::new().get(&server.at(&path));
    assert!(
        page.body.contains("le problème n&#39;est pas réparé") || page.body.contains("le problème n'est pas réparé")
    );
    assert!((400..500).contains(&Client::new().get(&server.at(&no)).status), "used");
    assert!((400..500).contains(&Client::new().get(&server.at(&yes)).status), "answered");

    // Fixed again: a new round, asked again; "yes" is said on the timeline.
    fix(&mut s);
    assert_eq!(ask_at(&server, now + 29 * DAY), 1);
    let asked = mail.nth_to("repare@testville.test", 4);
    assert!(asked.header("Subject").unwrap().contains("Est-ce vraiment réparé"));
    let yes2 = crate::accounts::link_in(&asked, &format!("/signalements/{id}/repare?tour=2&reponse=oui"));
    assert_eq!(answer(&server, &yes2).status, 303);
    assert_eq!(status_of(&server, id), "fixed");
    let page = Client::new().get(&server.at(&path));
    assert!(page.body.contains("confirme que le problème est réparé"), "{}", page.body);
    assert!((400..500).contains(&Client::new().get(&server.at(&yes)).status), "an older round's link");
    assert_eq!(ask_at(&server, now + 60 * DAY), 0);
    verify_clean(&server);
}

/// Someone without an account is asked too, at the address their report's
/// confirmation went to, through real SMTP; they answer without signing
/// in, by a single-use link of which the database keeps only a hash.
#[test]
fn the_author_without_an_account_is_asked_too_and_no_reopens_it() {
    let mail = crate::accounts::Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let agent = make_person(&server, "agent-visiteur@testville.test", "Agent", Role::Staff, true);
    const VISITOR: &str = "dominique@ailleurs.test";
    let config = server.state().config.clone();
    let notifier = parvis::domain::notifications::Notifier { base_url: server.url.clone() };
    let id = server.write(move |tx| {
        let new = parvis::domain::reports::NewReport {
            author: parvis::domain::reports::Filer::Visitor {
                email: VISITOR.into(),
                name: "Dominique".into(),
                lang: parvis::i18n::Lang::Fr,
            },
            category: "eclairage".into(),
            lat: CENTRE.0.parse().unwrap(),
            lon: CENTRE.1.parse().unwrap(),
            address: Some("Rue du Four".into()),
            neighbourhood: None,
            description: "Le lampadaire de la rue du Four est éteint.".into(),
            photos: Vec::new(),
            show_name: false,
            answers: Vec::new(),
        };
        let actor = parvis::domain::audit::Actor::anonymous("127.0.0.1");
        parvis::domain::reports::file(tx, &config, &notifier, &actor, &new, parvis::domain::now_unix())
            .map(|f| f.id.get())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    let confirm = crate::accounts::link_in(&mail.nth_to(VISITOR, 1), "/signalements/confirmer?jeton=");
    let token = confirm.split("jeton=").nth(1).unwrap().to_string();
    let mut v = Client::new();
    assert_eq!(post(&mut v, &server, &confirm, "/signalements/confirmer", &[("jeton", &token)]).status, 200);

    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let path = format!("/signalements/{id}");
    let r = post(&mut s, &server, &path, &format!("{path}/etat"), &[("status", "fixed"), ("text", "Ampoule changée.")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let now = parvis::domain::now_unix();
    assert_eq!(ask_at(&server, now + 27 * 86_400), 0);
    assert_eq!(ask_at(&server, now + 29 * 86_400), 1, "the visitor is asked");
    let asked = mail.nth_to(VISITOR, 2);
    assert!(asked.header("Subject").unwrap().contains("Est-ce vraiment réparé"), "{:?}", asked.header("Subject"));
    let marker = format!("/signalements/{id}/repare?jeton=");
    let yes = crate::accounts::link_in(&asked, &marker);
    let no = yes.replace("reponse=oui", "reponse=non");
    assert!(yes.ends_with("reponse=oui") && asked.body().contains(&no), "{}", asked.body());
    let secret = yes.split("jeton=").nth(1).unwrap().split('&').next().unwrap().to_string();
    // Only a hash is kept: the secret is nowhere in the database file.
    let db = std::fs::read(server.state().config.data_dir.join("parvis.redb")).unwrap();
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()), "the secret is not stored");

    // A wrong secret, or another report's, is refused; opening the link changes nothing.
    let forged = no.replace("jeton=", "jeton=0");
    assert!((400..500).contains(&Client::new().get(&server.at(&forged)).status));
    let other = no.replace(&format!("/signalements/{id}/"), "/signalements/999/");
    assert!((400..500).contains(&Client::new().get(&server.at(&other)).status));
    let mut c = Client::new();
    let page = c.get(&server.at(&no));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(status_of(&server, id), "fixed");
    let jeton = crate::support::hidden_field(&page.body, "jeton").unwrap();
    let form = [("reponse", "non"), ("jeton", jeton.as_str()), ("tour", "0")];
    let r = post(&mut c, &server, &no, &format!("/signalements/{id}/repare"), &form);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status_of(&server, id), "new", "reopened");
    let public = Client::new().get(&server.at(&path)).body;
    assert!(public.contains("le problème n&#39;est pas réparé") || public.contains("le problème n'est pas réparé"));
    assert!(!public.contains("Participant supprimé") && !public.contains("Dominique"), "by the author, unnamed");
    // Single use: neither answer works again.
    assert!((400..500).contains(&Client::new().get(&server.at(&no)).status), "used");
    assert!((400..500).contains(&Client::new().get(&server.at(&yes)).status), "used");
    verify_clean(&server);
}

/// Files a report in a neighbourhood, as the details form sends it.
pub fn file_in(c: &mut Client, server: &TestServer, category: &str, neighbourhood: &str, text: &str) -> u64 {
    let step2 = place(c, server, category, "Chemin des Vignes", NEAR);
    let field = |name| crate::support::hidden_field(&step2.body, name).unwrap_or_default();
    let (token, category, address, lat, lon) =
        (field("_csrf"), field("category"), field("address"), field("lat"), field("lon"));
    let fields = [
        ("_csrf", token.as_str()),
        ("category", category.as_str()),
        ("address", address.as_str()),
        ("lat", lat.as_str()),
        ("lon", lon.as_str()),
        ("description", text),
        ("neighbourhood", neighbourhood),
    ];
    let r = c.post_multipart_files(&server.at("/signalements/nouveau"), &fields, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    id_of(&r)
}

#[test]
fn following_a_neighbourhood_and_a_category_mails_new_reports_and_statuses_once_and_stops_in_one_click() {
    let mail = crate::accounts::Mailbox::start();
    let mut settings = mail.settings();
    settings.push(("commune.neighbourhoods", Value::List(vec!["Centre".into(), "Les Vignes".into()])));
    let server = TestServer::start_with(&settings);
    let fan = make_person(&server, "voisin@testville.test", "Voisin", Role::Resident, false);
    // Followed reports and areas come in a daily digest by default: this
    // person asked for them at once (the settings page's choice).
    let who = parvis::domain::accounts::AccountId(fan.id);
    server.write(move |tx| {
        use parvis::domain::notifications::{save_settings, Delivery, Kind};
        save_settings(tx, who, &[(Kind::Reports, Delivery::Immediately), (Kind::Areas, Delivery::Immediately)])
    });
    let author = make_person(&server, "auteur-alerte@testville.test", "Auteur", Role::Resident, false);
    let agent = make_person(&server, "agent-alerte@testville.test", "Agent", Role::Staff, true);

    // A visitor is offered to sign in; a resident follows both.
    let list = Client::new().get(&server.at("/signalements?quartier=Les+Vignes"));
    assert!(list.body.contains("Connectez-vous pour recevoir par courriel"), "{}", list.body);
    let mut f = Client::new();
    sign_in(&mut f, &server, &fan);
    let page = "/signalements?quartier=Les+Vignes";
    assert!(f.get(&server.at(page)).body.contains("nouveaux signalements de ce quartier"));
    let follow = [("type", "quartier"), ("code", "Les Vignes"), ("suivre", "oui")];
    let r = post(&mut f, &server, page, "/signalements/alertes", &follow);
    assert_eq!((r.status, r.header("location")), (303, Some("/signalements?quartier=Les+Vignes")));
    assert!(f.get(&server.at(page)).body.contains("Ne plus recevoir les signalements de ce quartier"));
    let r = post(&mut f, &server, page, "/signalements/alertes", &[("type", "categorie"), ("code", "voirie")]);
    assert_eq!(r.status, 303);
    let unknown = [("type", "quartier"), ("code", "Atlantide"), ("suivre", "oui")];
    assert!((400..500).contains(&post(&mut f, &server, page, "/signalements/alertes", &unknown).status));
    let account = f.get(&server.at("/compte/notifications"));
    assert!(account.body.contains("Les Vignes") && account.body.contains("Voirie / nid-de-poule"), "{}", account.body);

    // A new report in both: one mail, told after the commit.
    let mut a = Client::new();
    sign_in(&mut a, &server, &author);
    let id = file_in(&mut a, &server, "voirie", "Les Vignes", "Un trou dans la chaussée devant le numéro 4.");
    let first = mail.nth_to("voisin@testville.test", 1);
    assert!(first.header("Subject").unwrap().contains(&format!("Nouveau signalement n° {id}")));
    assert!(first.body().contains(&server.at(&format!("/signalements/{id}"))));

    // Following the report too: its status change is told once, as a follower.
    let path = format!("/signalements/{id}");
    assert_eq!(post(&mut f, &server, &path, &format!("{path}/suivi"), &[("suivre", "oui")]).status, 303);
    let mut s = Client::new();
    sign_in(&mut s, &server, &agent);
    let r = post(&mut s, &server, &path, &format!("{path}/etat"), &[("status", "investigating"), ("text", "Vu.")]);
    assert_eq!(r.status, 303);
    // Followers are told after the commit: before unfollowing, as a resident would.
    crate::notifications::fanned_out(&server);
    // No longer following the report: the next status comes as an alert.
    assert_eq!(post(&mut f, &server, &path, &format!("{path}/suivi"), &[("suivre", "non")]).status, 303);
    let r = post(&mut s, &server, &path, &format!("{path}/etat"), &[("status", "fixed"), ("text", "Rebouché.")]);
    assert_eq!(r.status, 303);
    let third = mail.nth_to("voisin@testville.test", 3);
    assert!(third.header("Subject").unwrap().contains("Réparé"), "{:?}", third.header("Subject"));
    // The author's second mail comes from the fan-out, after the commit.
    mail.nth_to("auteur-alerte@testville.test", 2);
    assert_eq!(mail.count_to("voisin@testville.test"), 3, "never twice for the same event");
    assert_eq!(mail.count_to("auteur-alerte@testville.test"), 2, "the author hears as a follower only");

    // One click (and a confirming POST) stops the alert named in the mail.
    let stop = crate::accounts::link_in(&third, "/signalements/alertes/arreter?");
    let forged = stop.replace("compte=", "compte=9");
    let mut v = Client::new();
    assert!((400..500).contains(&v.get(&server.at(&forged)).status), "someone else's alerts");
    let shown = v.get(&server.at(&stop));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Les Vignes"));
    let field = |name| crate::support::hidden_field(&shown.body, name).unwrap();
    let fields = [("compte", field("compte")), ("type", field("type")), ("code", field("code")), ("cle", field("cle"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut bad = fields.clone();
    bad[0].1 = "999";
    assert!((400..500).contains(&post(&mut v, &server, &stop, "/signalements/alertes/arreter", &bad).status));
    assert_eq!(post(&mut v, &server, &stop, "/signalements/alertes/arreter", &fields).status, 303);
    let account = f.get(&server.at("/compte/notifications"));
    assert!(!account.body.contains("Les Vignes") && account.body.contains("Voirie / nid-de-poule"));

    // Still following the category: another report there is mailed; one in
    // another category and neighbourhood is not.
    let other = file_in(&mut a, &server, "proprete", "Centre", "Des sacs d'ordures déposés au pied du mur.");
    let again = file_in(&mut a, &server, "voirie", "Centre", "Une plaque d'égout descellée qui claque.");
    let fourth = mail.nth_to("voisin@testville.test", 4);
    assert!(fourth.header("Subject").unwrap().contains(&format!("n° {again}")), "not {other}");
    verify_clean(&server);
}
