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

fn pothole(author: AccountId, (lat, lon): (f64, f64)) -> NewReport {
    NewReport {
        author,
        category: "voirie".into(),
        lat,
        lon,
        address: Some("3 rue des Lilas".into()),
        description: "Un nid-de-poule profond".into(),
        ..NewReport::default()
    }
}

async fn file_one(store: &Store, config: &Arc<Config>, n: &Notifier, new: NewReport) -> Result<Filed, ReportError> {
    let (config, n) = (config.clone(), n.clone());
    store.write(move |tx| file(tx, &config, &n, &Actor::person(new.author, "10.0.0.1"), &new, 100)).await
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
    store.write(move |tx| unfollow(tx, id, other)).await.unwrap();
    assert_eq!(get(&store.read().unwrap(), id).unwrap().unwrap().followers, 1);
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
    let notified = crate::domain::notifications::recent(&tx, author, 10).unwrap();
    assert_eq!(notified.len(), 1, "the author follows; not told of their own update");
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
