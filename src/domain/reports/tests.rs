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
