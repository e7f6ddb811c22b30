use std::sync::Arc;

use super::*;
use crate::config::Config;
use crate::domain::accounts::{self, tests::new as resident};
use crate::domain::audit::Actor;
use crate::domain::notifications::Notifier;
use crate::store::Store;

const CENTRE: (f64, f64) = (45.7772, 4.6121);

fn setup() -> (tempfile::TempDir, Store, Arc<Config>, Notifier) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
    let config = Config::for_dir(dir.path(), "Saint-Exemple", "https://x.test").unwrap();
    (dir, store, Arc::new(config), Notifier { base_url: "https://x.test".into() })
}

async fn account(store: &Store, email: &str) -> AccountId {
    let new = resident(email);
    store.write(move |tx| accounts::create(tx, &new)).await.unwrap()
}

fn pothole(author: AccountId, place: (f64, f64)) -> NewReport {
    pothole_by(Filer::Account(author), place)
}

fn pothole_by(author: Filer, (lat, lon): (f64, f64)) -> NewReport {
    NewReport {
        author,
        category: "voirie".into(),
        lat,
        lon,
        address: Some("3 rue des Lilas".into()),
        neighbourhood: None,
        description: "Un nid-de-poule profond".into(),
        photos: Vec::new(),
        show_name: false,
        answers: Vec::new(),
    }
}

fn visitor(email: &str) -> Filer {
    Filer::Visitor { email: email.into(), name: " Camille ".into(), lang: crate::i18n::Lang::En }
}

async fn file_one(store: &Store, config: &Arc<Config>, n: &Notifier, new: NewReport) -> Result<Filed, ReportError> {
    file_at(store, config, n, new, 100).await
}

async fn file_at(
    store: &Store,
    config: &Arc<Config>,
    n: &Notifier,
    new: NewReport,
    now: i64,
) -> Result<Filed, ReportError> {
    let (config, n) = (config.clone(), n.clone());
    let actor = match &new.author {
        Filer::Account(id) => Actor::person(*id, "10.0.0.1"),
        Filer::Visitor { .. } | Filer::Open311 { .. } => Actor::anonymous("10.0.0.1"),
    };
    store.write(move |tx| file(tx, &config, &n, &actor, &new, now)).await
}

fn mail(store: &Store) -> Vec<crate::mail::OutgoingMail> {
    crate::mail::outbox::due(&store.read().unwrap(), store.keys(), i64::MAX, 100).unwrap()
}

/// The token of the last confirmation link mailed.
fn last_link(store: &Store) -> String {
    mail(store)
        .iter()
        .rev()
        .find_map(|m| match &m.template {
            crate::mail::Template::ConfirmReport { link, .. } => Some(link.rsplit('=').next().unwrap().to_string()),
            _ => None,
        })
        .expect("a confirmation link was mailed")
}

#[tokio::test]
async fn a_visitors_report_waits_unlisted_for_the_mailed_link_which_publishes_and_routes_it_once() {
    let (_dir, store, config, n) = setup();
    let bad = file_one(&store, &config, &n, pothole_by(visitor("pas-une-adresse"), CENTRE)).await;
    assert!(matches!(bad, Err(ReportError::BadEmail)), "{bad:?}");
    let filed = file_one(&store, &config, &n, pothole_by(visitor(" Camille@X.test "), CENTRE)).await.unwrap();
    assert!(filed.awaiting_confirmation);
    let tx = store.read().unwrap();
    assert!(get(&tx, filed.id).unwrap().is_none(), "no public page");
    assert!(list(&tx, &Filter::default(), Page { number: 0, size: 10 }).unwrap().0.is_empty());
    assert!(nearby(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap().is_empty());
    let stored = tx.open_table(PROBLEM_REPORT_BY_ID).unwrap().get(filed.id.get()).unwrap().unwrap().value().to_vec();
    assert!(!stored.windows(9).any(|w| w == b"camille@x"), "the address is sealed");
    drop(tx);
    let sent = mail(&store);
    assert_eq!(sent.len(), 1, "no service hears of it yet");
    assert_eq!((sent[0].to.as_str(), sent[0].lang), ("camille@x.test", crate::i18n::Lang::En));
    assert_eq!(verify(&store), Vec::<String>::new());

    let token = last_link(&store);
    let (c, nn, t) = (config.clone(), n.clone(), token.clone());
    let published = store
        .write(move |tx| confirm(tx, &c, &nn, &Actor::anonymous("10.0.0.2"), &t, 200))
        .await
        .unwrap()
        .expect("the link works once");
    assert_eq!(
        (published.id, published.email.as_str(), published.name.as_str()),
        (filed.id, "camille@x.test", "Camille")
    );
    let tx = store.read().unwrap();
    let r = get(&tx, filed.id).unwrap().expect("public now");
    assert!(matches!(&r.author, Author::Visitor { name, .. } if name == "Camille"));
    assert_eq!(nearby(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap().len(), 1);
    drop(tx);
    assert!(mail(&store).iter().any(|m| m.to == "services-techniques@mairie.example"), "routed at confirmation");
    let (c, nn) = (config.clone(), n.clone());
    let again = store.write(move |tx| confirm(tx, &c, &nn, &Actor::anonymous("ip"), &token, 200)).await.unwrap();
    assert_eq!(again, None, "single use");
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn unconfirmed_reports_expire_with_their_links_and_the_confirmed_ones_stay() {
    let (_dir, store, config, n) = setup();
    let old = file_at(&store, &config, &n, pothole_by(visitor("a@x.test"), CENTRE), 100).await.unwrap();
    let old_link = last_link(&store);
    let kept = file_at(&store, &config, &n, pothole_by(visitor("b@x.test"), CENTRE), 100).await.unwrap();
    let kept_link = last_link(&store);
    let recent = file_at(&store, &config, &n, pothole_by(visitor("c@x.test"), CENTRE), 5_000).await.unwrap();
    let (c, nn) = (config.clone(), n.clone());
    store.write(move |tx| confirm(tx, &c, &nn, &Actor::anonymous("ip"), &kept_link, 150)).await.unwrap().unwrap();
    // An expired link publishes nothing.
    let late = 100 + CONFIRMATION_LIFETIME_SECS + 1;
    let (c, nn, l) = (config.clone(), n.clone(), old_link.clone());
    assert_eq!(store.write(move |tx| confirm(tx, &c, &nn, &Actor::anonymous("ip"), &l, late)).await.unwrap(), None);
    let removed = store.write(move |tx| purge_unconfirmed(tx, 1_000, 100)).await.unwrap();
    assert!(removed.is_empty(), "no photos");
    let tx = store.read().unwrap();
    let stored = tx.open_table(PROBLEM_REPORT_BY_ID).unwrap();
    assert!(stored.get(old.id.get()).unwrap().is_none(), "gone with its address");
    assert!(stored.get(recent.id.get()).unwrap().is_some(), "still within its three days");
    assert!(get(&tx, kept.id).unwrap().is_some(), "confirmed reports stay");
    drop(stored);
    drop(tx);
    assert_eq!(verify(&store), Vec::<String>::new());
}

fn verify(store: &Store) -> Vec<String> {
    tables::verify(&store.read().unwrap()).unwrap()
}

#[test]
fn grid_cells_below_zero_do_not_fold_onto_cell_zero() {
    assert_eq!(cell_of(-1, -1), (-1, -1));
    assert_eq!(cell_of(4_999, 5_000), (0, 1));
}

#[tokio::test]
async fn filing_checks_the_place_and_category_and_keeps_every_index_in_step() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let outside = file_one(&store, &config, &n, pothole(author, (48.85, 2.35))).await;
    assert!(matches!(outside, Err(ReportError::OutsideCommune)), "{outside:?}");
    let unknown = file_one(&store, &config, &n, NewReport { category: "x".into(), ..pothole(author, CENTRE) }).await;
    assert!(matches!(unknown, Err(ReportError::UnknownCategory)));
    let filed = file_one(&store, &config, &n, pothole(author, CENTRE)).await.unwrap();
    assert_eq!(filed.service, "Services techniques");
    let tx = store.read().unwrap();
    let r = get(&tx, filed.id).unwrap().unwrap();
    assert_eq!((r.status.as_str(), r.followers, r.lat), ("new", 1, 45_777_200));
    assert!(is_following(&tx, filed.id, author).unwrap());
    let mail = crate::mail::outbox::due(&tx, store.keys(), i64::MAX, 10).unwrap();
    assert!(mail.iter().any(|m| m.to == "services-techniques@mairie.example"), "routed to the service");
    drop(tx);
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn nearby_finds_open_reports_of_the_category_within_the_radius_only() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let near = file_one(&store, &config, &n, pothole(author, (CENTRE.0 + 0.001, CENTRE.1))).await.unwrap();
    // 555 m north: another grid cell, beyond 250 m.
    file_one(&store, &config, &n, pothole(author, (CENTRE.0 + 0.005, CENTRE.1))).await.unwrap();
    let other = NewReport { category: "eclairage".into(), ..pothole(author, CENTRE) };
    file_one(&store, &config, &n, other).await.unwrap();
    let found = nearby(&store.read().unwrap(), &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap();
    assert_eq!(found.iter().map(|f| f.report.id).collect::<Vec<_>>(), vec![near.id]);
    // Once fixed, it is not offered any more.
    let staff = account(&store, "s@x.test").await;
    let (c, nn) = (config.clone(), n.clone());
    store
        .write(move |tx| {
            change_status(tx, &c, &nn, &Actor::person(staff, "ip"), near.id, "fixed", "", Some("repare"), 200)
        })
        .await
        .unwrap();
    assert!(nearby(&store.read().unwrap(), &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap().is_empty());
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn me_too_counts_once_per_account_and_follows() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let other = account(&store, "b@x.test").await;
    let id = file_one(&store, &config, &n, pothole(author, CENTRE)).await.unwrap().id;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let (store, c) = (store.clone(), config.clone());
        runs.push(tokio::spawn(async move { store.write(move |tx| me_too(tx, &c.reports, id, other, 150)).await }));
    }
    let mut already = Vec::new();
    for run in runs {
        already.push(run.await.unwrap().unwrap().already);
    }
    already.sort();
    assert_eq!(already, vec![false, true]);
    let c = config.clone();
    let own = store.write(move |tx| me_too(tx, &c.reports, id, author, 150)).await.unwrap();
    assert!(own.already, "the author is not counted");
    let r = get(&store.read().unwrap(), id).unwrap().unwrap();
    assert_eq!((r.supports, r.followers), (1, 2));
    assert_eq!(verify(&store), Vec::<String>::new());
    let tx = store.read().unwrap();
    assert_eq!(followed_by(&tx, other).unwrap(), vec![id]);
    assert_eq!(supports_of(&tx, other).unwrap(), vec![(id, 150)]);
    assert_eq!(of_author(&tx, author).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    drop(tx);
    store.write(move |tx| unfollow(tx, id, other)).await.unwrap();
    assert_eq!(get(&store.read().unwrap(), id).unwrap().unwrap().followers, 1);
    // An erased account follows nothing any more, counters with it.
    assert_eq!(store.write(move |tx| unfollow_all(tx, author)).await.unwrap(), 1);
    assert_eq!(get(&store.read().unwrap(), id).unwrap().unwrap().followers, 0);
    assert!(followed_by(&store.read().unwrap(), author).unwrap().is_empty());
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn a_status_change_posts_the_template_text_and_tells_the_followers() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let staff = account(&store, "s@x.test").await;
    let id = file_one(&store, &config, &n, pothole(author, CENTRE)).await.unwrap().id;
    let (c, nn) = (config.clone(), n.clone());
    let unknown = store
        .write(move |tx| change_status(tx, &c, &nn, &Actor::person(staff, "ip"), id, "nope", "x", None, 200))
        .await;
    assert!(matches!(unknown, Err(ReportError::UnknownStatus)));
    let (c, nn) = (config.clone(), n.clone());
    store
        .write(move |tx| {
            change_status(
                tx,
                &c,
                &nn,
                &Actor::person(staff, "ip"),
                id,
                "investigating",
                "",
                Some("pris-en-compte"),
                200,
            )
        })
        .await
        .unwrap();
    let (c, nn) = (config.clone(), n.clone());
    store.write(move |tx| add_update(tx, &c, &nn, author, id, "Toujours là.", 300)).await.unwrap();
    let tx = store.read().unwrap();
    let t = timeline(&tx, id).unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].status.as_deref(), Some("investigating"));
    assert!(t[0].text.starts_with("Merci pour votre signalement"), "{}", t[0].text);
    assert!(t[0].staff && !t[1].staff);
    drop(tx);
    // Moved to a category of the other service: that service is mailed.
    let (c, nn) = (config.clone(), n.clone());
    let moved = store
        .write(move |tx| reassign(tx, &c, &nn, &Actor::person(staff, "ip"), id, "proprete", "", 400))
        .await
        .unwrap();
    assert_eq!(moved.report.category, "proprete");
    let (c, nn) = (config.clone(), n.clone());
    let again =
        store.write(move |tx| reassign(tx, &c, &nn, &Actor::person(staff, "ip"), id, "proprete", "", 500)).await;
    assert!(matches!(again, Err(ReportError::AlreadyDone)));
    // Followers are told after the commit, by the fan-out worker.
    loop {
        let nn = n.clone();
        if store.write(move |tx| crate::domain::notifications::fanout::run_batch(tx, &nn, 100)).await.unwrap() == 0 {
            break;
        }
    }
    let tx = store.read().unwrap();
    let mail = crate::mail::outbox::due(&tx, store.keys(), i64::MAX, 20).unwrap();
    assert!(mail.iter().any(|m| m.to == "proprete@mairie.example"));
    assert!(timeline(&tx, id).unwrap()[2].text.contains("Transféré à la catégorie"));
    let notified = crate::domain::notifications::recent(&tx, author, 10).unwrap();
    // The status change and the move; not the author's own update.
    assert_eq!(notified.len(), 2, "the author follows; not told of their own update");
    drop(tx);
    // Filtered lists walk their indexes.
    let (list_new, _) = list(
        &store.read().unwrap(),
        &Filter { status: Some("new".into()), ..Filter::default() },
        Page { number: 0, size: 10 },
    )
    .unwrap();
    assert!(list_new.is_empty());
    let (by_status, _) = list(
        &store.read().unwrap(),
        &Filter { status: Some("investigating".into()), ..Filter::default() },
        Page { number: 0, size: 10 },
    )
    .unwrap();
    assert_eq!(by_status.len(), 1);
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn lists_filter_and_page_newest_first() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let category = if i % 2 == 0 { "voirie" } else { "eclairage" };
        let new = NewReport { category: category.into(), ..pothole(author, CENTRE) };
        let (c, nn) = (config.clone(), n.clone());
        let id =
            store.write(move |tx| file(tx, &c, &nn, &Actor::person(author, "ip"), &new, 1000 + i)).await.unwrap().id;
        ids.push(id);
    }
    let tx = store.read().unwrap();
    let page = |filter: Filter, number| list(&tx, &filter, Page { number, size: 2 }).unwrap();
    let (first, more) = page(Filter::default(), 0);
    assert_eq!(first.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[4], ids[3]]);
    assert!(more);
    let (last, more) = page(Filter::default(), 2);
    assert_eq!((last.len(), more), (1, false));
    let voirie = Filter { category: Some("voirie".into()), ..Filter::default() };
    let (v, more) = page(voirie.clone(), 0);
    assert_eq!(v.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[4], ids[2]]);
    assert!(more);
    let dated = Filter { from: Some(1001), to: Some(1003), ..voirie };
    assert_eq!(page(dated, 0).0.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[2]]);
}

/// A report reopened by staff before its author was asked is not asked;
/// fixed again, it is asked from the new date, once.
#[tokio::test]
async fn a_report_reopened_before_the_question_is_not_asked_until_fixed_again() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let staff = account(&store, "s@x.test").await;
    let id = file_one(&store, &config, &n, pothole(author, CENTRE)).await.unwrap().id;
    let set = |status: &'static str, at: i64| {
        let (c, nn) = (config.clone(), n.clone());
        store.write(move |tx| change_status(tx, &c, &nn, &Actor::person(staff, "ip"), id, status, "x", None, at))
    };
    const DAY: i64 = 86_400;
    set("fixed", 1_000).await.unwrap();
    set("in-progress", 2_000).await.unwrap();
    let ask = |now: i64| {
        let (c, nn) = (config.clone(), n.clone());
        store.write(move |tx| ask_fixed_followups(tx, &c, &nn, now, 10))
    };
    assert_eq!(ask(1_000 + 60 * DAY).await.unwrap(), 0, "reopened: nothing to ask");
    set("fixed", 10 * DAY).await.unwrap();
    assert_eq!(ask(10 * DAY + 27 * DAY).await.unwrap(), 0, "28 days from the new fix");
    assert_eq!(ask(10 * DAY + 28 * DAY).await.unwrap(), 1);
    assert_eq!(ask(10 * DAY + 29 * DAY).await.unwrap(), 0);
    assert_eq!(verify(&store), Vec::<String>::new());
}

/// `lat` degrees north of the centre by `metres` (111,195 m a degree).
fn north(metres: f64) -> (f64, f64) {
    (CENTRE.0 + metres / 111_195.0, CENTRE.1)
}

#[tokio::test]
async fn nearest_offers_the_nearest_few_of_the_category_first_and_counts_the_others_within_the_radius() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    // Filed farthest first, so that neither the number nor the filing
    // order is what puts them in order.
    let mut ids = Vec::new();
    for metres in [240.0, 200.0, 160.0, 120.0, 80.0, 40.0, 10.0] {
        ids.push(file_one(&store, &config, &n, pothole(author, north(metres))).await.unwrap().id);
    }
    ids.reverse();
    // Beyond the radius; and closer than all, but of another category.
    file_one(&store, &config, &n, pothole(author, north(260.0))).await.unwrap();
    let lamp = NewReport { category: "eclairage".into(), ..pothole(author, CENTRE) };
    let lamp = file_one(&store, &config, &n, lamp).await.unwrap().id;

    let tx = store.read().unwrap();
    let offer = nearest(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0, 5).unwrap();
    assert_eq!(offer.reports.iter().map(|r| r.report.id).collect::<Vec<_>>(), ids[..5].to_vec());
    assert_eq!(offer.more, 2, "two more within 250 m, none beyond");
    assert!((offer.reports[0].metres - 10.0).abs() < 0.5, "{}", offer.reports[0].metres);
    let all = nearest(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0, 100).unwrap();
    assert_eq!((all.reports.len(), all.more), (7, 0));
    assert_eq!(nearby(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap().len(), 7);
    let lamps = nearest(&tx, &config.reports, "eclairage", CENTRE.0, CENTRE.1, 250.0, 5).unwrap();
    assert_eq!((lamps.reports.iter().map(|r| r.report.id).collect::<Vec<_>>(), lamps.more), (vec![lamp], 0));
    // East and west too, across a cell boundary, at the radius's edge.
    drop(tx);
    let east = (CENTRE.0, CENTRE.1 + 245.0 / (111_195.0 * CENTRE.0.to_radians().cos()));
    let east = file_one(&store, &config, &n, pothole(author, east)).await.unwrap().id;
    let tx = store.read().unwrap();
    let all = nearby(&tx, &config.reports, "voirie", CENTRE.0, CENTRE.1, 250.0).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(all.last().map(|r| r.report.id), Some(east));
    drop(tx);
    assert_eq!(verify(&store), Vec::<String>::new());
}

/// The nearby index's row for a report, as stored.
fn place_row_of(store: &Store, id: ReportId) -> Option<(String, i32, i32, String)> {
    let tx = store.read().unwrap();
    let table = tx.open_table(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL).unwrap();
    let rows: Vec<_> = table
        .iter()
        .unwrap()
        .map(|r| {
            let (k, v) = r.unwrap();
            let ((category, _, _, rid), (lat, lon, status)) = (k.value(), v.value());
            (rid, (category.to_string(), lat, lon, status.to_string()))
        })
        .filter(|(rid, _)| *rid == id.get())
        .map(|(_, row)| row)
        .collect();
    assert!(rows.len() <= 1, "one row at most: {rows:?}");
    rows.into_iter().next()
}

#[tokio::test]
async fn the_nearby_index_follows_status_hiding_category_and_duplicates() {
    let (_dir, store, config, n) = setup();
    let author = account(&store, "a@x.test").await;
    let staff = account(&store, "s@x.test").await;
    let id = file_one(&store, &config, &n, pothole(author, CENTRE)).await.unwrap().id;
    let offered = |category: &'static str| {
        let tx = store.read().unwrap();
        let offer = nearest(&tx, &config.reports, category, CENTRE.0, CENTRE.1, 250.0, 5).unwrap();
        offer.reports.iter().map(|r| r.report.id).collect::<Vec<_>>()
    };
    let set = |status: &'static str| {
        let (c, nn) = (config.clone(), n.clone());
        store.write(move |tx| change_status(tx, &c, &nn, &Actor::person(staff, "ip"), id, status, "x", None, 200))
    };
    let hide_it = |hidden: bool| store.write(move |tx| hide(tx, &Actor::person(staff, "ip"), id, hidden, 300));
    assert_eq!(offered("voirie"), vec![id]);

    // Closed: still in the index with its status, not offered.
    set("fixed").await.unwrap();
    assert_eq!(place_row_of(&store, id).map(|r| r.3), Some("fixed".to_string()));
    assert!(offered("voirie").is_empty());
    assert_eq!(verify(&store), Vec::<String>::new());
    set("investigating").await.unwrap();
    assert_eq!(offered("voirie"), vec![id], "reopened");

    // Hidden: out of the index; shown again: back.
    hide_it(true).await.unwrap();
    assert_eq!(place_row_of(&store, id), None);
    assert!(offered("voirie").is_empty());
    assert_eq!(verify(&store), Vec::<String>::new());
    hide_it(false).await.unwrap();
    assert_eq!(offered("voirie"), vec![id]);
    assert_eq!(verify(&store), Vec::<String>::new());

    // Another category: offered there only.
    let (c, nn) = (config.clone(), n.clone());
    store.write(move |tx| reassign(tx, &c, &nn, &Actor::person(staff, "ip"), id, "eclairage", "", 400)).await.unwrap();
    assert!(offered("voirie").is_empty());
    assert_eq!(offered("eclairage"), vec![id]);
    assert_eq!(place_row_of(&store, id).map(|r| r.0), Some("eclairage".to_string()));
    assert_eq!(verify(&store), Vec::<String>::new());

    // A duplicate of another open report is closed: only the original is offered.
    let lamp = NewReport { category: "eclairage".into(), ..pothole(author, north(30.0)) };
    let original = file_one(&store, &config, &n, lamp).await.unwrap().id;
    let (c, nn) = (config.clone(), n.clone());
    store
        .write(move |tx| mark_duplicate(tx, &c, &nn, &Actor::person(staff, "ip"), id, original, "", 500).map(|_| ()))
        .await
        .unwrap();
    assert_eq!(offered("eclairage"), vec![original]);
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn a_visitors_report_enters_the_nearby_index_at_its_confirmation_only() {
    let (_dir, store, config, n) = setup();
    let filed = file_one(&store, &config, &n, pothole_by(visitor("v@x.test"), CENTRE)).await.unwrap();
    assert_eq!(place_row_of(&store, filed.id), None, "waiting for its link");
    let (c, nn, token) = (config.clone(), n.clone(), last_link(&store));
    store.write(move |tx| confirm(tx, &c, &nn, &Actor::anonymous("ip"), &token, 200)).await.unwrap();
    assert_eq!(place_row_of(&store, filed.id).map(|r| r.3), Some("new".to_string()));
    assert_eq!(verify(&store), Vec::<String>::new());
}

#[tokio::test]
async fn the_neighbourhood_filter_reads_its_own_index_newest_first() {
    let (_dir, store, config, n) = setup();
    let mut with_quarters = (*config).clone();
    with_quarters.commune.neighbourhoods = vec!["La Gare".into(), "Les Vignes".into()];
    let config = Arc::new(with_quarters);
    let author = account(&store, "a@x.test").await;
    let mut gare = Vec::new();
    for i in 0..5 {
        let neighbourhood = Some(if i % 2 == 0 { "La Gare" } else { "Les Vignes" }.to_string());
        let new = NewReport { neighbourhood: neighbourhood.clone(), ..pothole(author, CENTRE) };
        let id = file_at(&store, &config, &n, new, 1_000 + i).await.unwrap().id;
        if i % 2 == 0 {
            gare.push(id);
        }
    }
    gare.reverse();
    let tx = store.read().unwrap();
    let filter = Filter { neighbourhood: Some("La Gare".into()), ..Filter::default() };
    let (page, more) = list(&tx, &filter, Page { number: 0, size: 2 }).unwrap();
    assert_eq!((page.iter().map(|r| r.id).collect::<Vec<_>>(), more), (gare[..2].to_vec(), true));
    let dated = Filter { from: Some(1_001), to: Some(1_003), ..filter };
    assert_eq!(
        list(&tx, &dated, Page { number: 0, size: 10 }).unwrap().0.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![gare[1]]
    );
    drop(tx);
    assert_eq!(verify(&store), Vec::<String>::new());
}

/// Step 20 fills the nearby and neighbourhood indexes from the reports
/// filed before it: a public report in both, a hidden one in the
/// neighbourhood's only, an unconfirmed one in neither.
#[test]
fn step_20_indexes_the_reports_filed_before_it() {
    use crate::store::schema::MIGRATIONS;
    let dir = tempfile::tempdir().unwrap();
    let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
    crate::store::db::migrate_with(&db, &MIGRATIONS[..19]).unwrap();
    let report = |id: u64, confirmed: bool| ProblemReport {
        id: ReportId(id),
        category: "voirie".into(),
        lat: 45_777_200,
        lon: 4_612_100,
        address: None,
        neighbourhood: Some("La Gare".into()),
        description: "Un trou".into(),
        photos: Vec::new(),
        author: Author::Account(AccountId(1)),
        show_name: false,
        confirmed,
        status: "new".into(),
        created_at: 100 + id as i64,
        updated_at: 100,
        followers: 0,
        supports: 0,
    };
    let tx = db.begin_write().unwrap();
    {
        let mut reports = tx.open_table(PROBLEM_REPORT_BY_ID).unwrap();
        for r in [report(1, true), report(2, true), report(3, false)] {
            reports.insert(r.id.get(), crate::store::encode(&r).unwrap().as_slice()).unwrap();
        }
        tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT).unwrap().insert(2, 50).unwrap();
    }
    tx.commit().unwrap();
    crate::store::db::migrate(&db).unwrap();
    let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
    let places: Vec<_> = tx
        .open_table(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL)
        .unwrap()
        .iter()
        .unwrap()
        .map(|r| {
            let (k, v) = r.unwrap();
            let ((c, row, col, id), (lat, lon, s)) = (k.value(), v.value());
            ((c.to_string(), row, col, id), (lat, lon, s.to_string()))
        })
        .collect();
    let (row, col) = place_cell_of(45_777_200, 4_612_100);
    assert_eq!(places, vec![(("voirie".into(), row, col, 1), (45_777_200, 4_612_100, "new".into()))]);
    let quarter: Vec<_> = tx
        .open_table(PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED)
        .unwrap()
        .iter()
        .unwrap()
        .map(|r| {
            let row = r.unwrap();
            let (n, at, id) = row.0.value();
            (n.to_string(), at, id)
        })
        .collect();
    assert_eq!(quarter, vec![("La Gare".into(), 101, 1), ("La Gare".into(), 102, 2)]);
}
