//! Search: French analysis and typos, hidden content, the index following the
//! change log across restarts, rebuilds of a damaged index while the site
//! answers, `parvis reindex`, and the search page over real HTTP.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parvis::domain::changes::{self, ContentKind, Target};
use parvis::domain::comments;
use parvis::domain::moderation::{self, Decision, Reason};
use parvis::domain::proposals::{self, IdeaBox, NewProposal};
use parvis::search::{self, Availability, Document, Request, Search, SearchError, Source};
use parvis::store::{Store, StoreError};

use crate::cli::{parvis, run};
use crate::support::{config_for, Client, TestServer};
use parvis::domain::ids::AccountId;
use parvis::domain::ids::{BoxId, ProposalId};

const WAIT: Duration = Duration::from_secs(20);

/// Content kept in memory: what the index sees through [`Source`]. A missing
/// entry is content that must not be found (hidden or deleted).
#[derive(Clone, Default)]
struct MapSource(Arc<Mutex<BTreeMap<Target, Document>>>);

impl Source for MapSource {
    fn load(&self, _tx: &redb::ReadTransaction, target: Target) -> Result<Option<Document>, StoreError> {
        Ok(self.0.lock().unwrap().get(&target).cloned())
    }
    fn all(&self, _tx: &redb::ReadTransaction) -> Result<Vec<Target>, StoreError> {
        Ok(self.0.lock().unwrap().keys().copied().collect())
    }
}

fn doc(kind: ContentKind, id: u64, title: &str, body: &str) -> Document {
    Document {
        kind,
        id,
        title: title.into(),
        body: body.into(),
        status: Some("submitted".into()),
        neighbourhood: Some("Centre".into()),
        created_at: 1_767_225_600 + id as i64 * 86_400,
        url: format!("/test/{id}"),
    }
}

/// A store, a search index over a [`MapSource`] and its indexer task.
struct Engine {
    rt: tokio::runtime::Runtime,
    store: Store,
    source: MapSource,
    search: Search,
    stop: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Engine {
    fn start(dir: &Path, source: MapSource) -> Engine {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let store = Store::open_with_test_key(&dir.join("parvis.redb"), 8).unwrap();
        let search = Search::open_with_source(dir, Arc::new(source.clone()));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = rt.spawn(search::run_indexer(search.clone(), store.clone(), stopped));
        Engine { rt, store, source, search, stop, task: Some(task) }
    }

    /// Puts documents in the source (or takes them out: `None`) and records
    /// the changes in the log, in one transaction; waits until they are searchable.
    fn change(&self, docs: Vec<(Target, Option<Document>)>) -> u64 {
        let targets: Vec<Target> = docs.iter().map(|(t, _)| *t).collect();
        {
            let mut map = self.source.0.lock().unwrap();
            for (t, d) in docs {
                match d {
                    Some(d) => map.insert(t, d),
                    None => map.remove(&t),
                };
            }
        }
        let seq = self
            .store
            .writer()
            .write_blocking(move |tx| {
                let mut last = 0;
                for t in &targets {
                    last = changes::record(tx, *t)?;
                }
                Ok::<_, StoreError>(last)
            })
            .unwrap();
        assert!(self.search.wait_for_blocking(seq, WAIT), "change {seq} was not applied");
        seq
    }

    fn put(&self, d: Document) -> u64 {
        self.change(vec![(d.target(), Some(d))])
    }

    fn query(&self, text: &str) -> search::Results {
        self.request(Request { text: text.into(), limit: 20, ..Request::default() })
    }

    fn request(&self, request: Request) -> search::Results {
        self.search.query(&request, &self.store.read().unwrap()).unwrap()
    }

    fn titles(&self, text: &str) -> Vec<String> {
        self.query(text).hits.iter().map(|h| h.doc.title.clone()).collect()
    }

    fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            self.rt.block_on(task).unwrap();
        }
        self.rt.block_on(self.store.close());
    }
}

fn commune_documents() -> Vec<Document> {
    vec![
        doc(
            ContentKind::Proposal,
            1,
            "Calendrier des réunions de quartier",
            "Publier les dates des réunions publiques.",
        ),
        doc(
            ContentKind::Proposal,
            2,
            "Sécurité devant l'école Jules-Ferry",
            "Un passage piéton surélevé à la sortie des classes.",
        ),
        doc(
            ContentKind::Proposal,
            3,
            "Une piste cyclable rue de la Gare",
            "Relier la gare au collège à vélo, en sécurité.",
        ),
        doc(ContentKind::Comment, 4, "Re : piste", "Une piste cycable existe déjà à Beaulieu, avenue des Tilleuls."),
        doc(ContentKind::Proposal, 5, "Des bancs sur la place", "Des bancs à l'ombre des tilleuls, pour les anciens."),
    ]
}

#[test]
fn french_words_are_found_without_accents_and_with_typos() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(dir.path(), MapSource::default());
    engine.change(commune_documents().into_iter().map(|d| (d.target(), Some(d))).collect());

    assert_eq!(engine.titles("reunion"), vec!["Calendrier des réunions de quartier"]);
    assert_eq!(engine.titles("ECOLE"), vec!["Sécurité devant l'école Jules-Ferry"]);
    assert_eq!(engine.titles("école"), engine.titles("ecole"));
    // Two typos in a long word; the exact match ranks above the fuzzy one.
    let cyclable = engine.titles("cyclabel");
    assert_eq!(cyclable[0], "Une piste cyclable rue de la Gare");
    assert_eq!(engine.titles("cyclable"), vec!["Une piste cyclable rue de la Gare", "Re : piste"]);
    // A typo that keeps the stemmer from cutting the ending ("phste" keeps
    // its "e", two edits from the index's "pist").
    assert_eq!(engine.titles("phste cyclable"), vec!["Une piste cyclable rue de la Gare", "Re : piste"]);
    // Every word must match; stop words do not count.
    assert_eq!(engine.titles("la piste de la gare"), vec!["Une piste cyclable rue de la Gare"]);
    assert!(engine.titles("piste piscine").is_empty());
    let common = engine.query("le la les");
    assert!(common.no_words && common.hits.is_empty());

    // The matched words are marked in the title and the snippet.
    let hit = &engine.query("reunions publiques").hits[0];
    let marked: Vec<&str> = hit.snippet.pieces().into_iter().filter(|(_, m)| *m).map(|(p, _)| p).collect();
    assert_eq!(marked, vec!["réunions", "publiques"]);
    assert!(hit.title.pieces().contains(&("réunions", true)));

    // "More like this" while a title is typed: any word, the last one as a prefix.
    let tx = engine.store.read().unwrap();
    let similar = engine.search.similar("Sécuriser la piste cycl", Some(ContentKind::Proposal), 3, &tx).unwrap();
    let titles: Vec<&str> = similar.iter().map(|h| h.doc.title.as_str()).collect();
    assert_eq!(titles, vec!["Une piste cyclable rue de la Gare", "Sécurité devant l'école Jules-Ferry"]);
    drop(tx);

    // Counts per kind for the words, whatever kind is chosen.
    let request =
        Request { text: "tilleuls".into(), kind: Some(ContentKind::Comment), limit: 20, ..Request::default() };
    let found = engine.request(request);
    assert_eq!(found.total, 1);
    assert_eq!(found.hits[0].doc.kind, ContentKind::Comment);
    assert_eq!(found.facets.kind("comment"), 1);
    assert_eq!(found.facets.kind("proposal"), 1);
    assert_eq!(found.facets.statuses, vec![("submitted".to_string(), 1)]);
    // Date filters (documents are one day apart from 2026-01-01).
    let since = 1_767_225_600 + 3 * 86_400;
    let recent = engine.request(Request { since: Some(since), limit: 20, ..Request::default() });
    assert_eq!(recent.total, 3);
    assert_eq!(recent.hits[0].doc.id, 5, "without words, newest first");
    // Pages.
    let second = engine.request(Request { since: Some(since), offset: 2, limit: 2, ..Request::default() });
    assert_eq!(second.total, 3);
    assert_eq!(second.hits.len(), 1);
    engine.stop();
}

#[test]
fn hidden_content_is_never_found() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(dir.path(), MapSource::default());
    let visible = doc(ContentKind::Proposal, 1, "Jardins partagés", "Des jardins partagés derrière la mairie.");
    let hidden = doc(ContentKind::Comment, 2, "Jardins", "Un commentaire injurieux sur les jardins.");
    engine.put(visible.clone());
    engine.put(hidden.clone());
    assert_eq!(engine.query("jardins").total, 2);

    // Hidden a moment ago, not yet applied by the index: not shown.
    engine.source.0.lock().unwrap().remove(&hidden.target());
    let before = engine.query("jardins");
    assert_eq!(before.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>(), vec![1]);

    // Once applied, it is gone from the index itself.
    engine.change(vec![(hidden.target(), None)]);
    let after = engine.query("injurieux");
    assert_eq!(after.total, 0);
    // The same search as before the change: counted again, not an old answer.
    let again = engine.query("jardins");
    assert_eq!((again.total, again.facets.kind("comment")), (1, 0));
    assert_eq!(engine.search.num_docs().unwrap(), 1);
    engine.stop();
}

#[test]
fn a_restart_replays_only_the_missed_changes_and_the_log_is_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let source = MapSource::default();
    let engine = Engine::start(dir.path(), source.clone());
    assert!(engine.search.wait_for_blocking(0, WAIT));
    assert_eq!(engine.search.rebuilds(), 1, "no index yet: built once");
    for d in commune_documents().into_iter().take(3) {
        engine.put(d);
    }
    assert_eq!(engine.search.applied_changes(), 3);
    let applied = engine.search.applied_seq();
    engine.stop();

    // While the server is stopped, two changes happen.
    source.0.lock().unwrap().insert(Target::new(ContentKind::Page, 9), doc(ContentKind::Page, 9, "Horaires", "Mairie"));
    source.0.lock().unwrap().remove(&Target::new(ContentKind::Proposal, 1));
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    store
        .writer()
        .write_blocking(|tx| {
            changes::record(tx, Target::new(ContentKind::Page, 9))?;
            changes::record(tx, Target::new(ContentKind::Proposal, 1))
        })
        .unwrap();
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    drop(store);

    let engine = Engine::start(dir.path(), source);
    assert_eq!(engine.search.applied_seq(), applied, "the index remembers what it applied");
    assert!(engine.search.wait_for_blocking(applied + 2, WAIT));
    assert_eq!(engine.search.applied_changes(), 2, "only the missed changes are applied");
    assert_eq!(engine.search.rebuilds(), 0);
    assert_eq!(engine.titles("horaires"), vec!["Horaires"]);
    assert!(engine.titles("reunions").is_empty());
    // The applied changes are trimmed from the log, but the last one, which
    // the next start-up checks the index against.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = changes::since(&engine.store.read().unwrap(), 0, 100).unwrap();
        if left.len() == 1 {
            assert_eq!(left[0].0, applied + 2);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the log was not trimmed: {left:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
    engine.stop();
}

#[test]
fn a_damaged_or_foreign_index_is_rebuilt_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let source = MapSource::default();
    let engine = Engine::start(dir.path(), source.clone());
    for d in commune_documents() {
        engine.put(d);
    }
    engine.stop();

    // Garbage in meta.json: unreadable, so nothing is served until it is rebuilt.
    let index = search::index_dir(dir.path());
    std::fs::write(index.join("meta.json"), b"\0\0 not json").unwrap();
    let damaged = Search::open_with_source(dir.path(), Arc::new(source.clone()));
    assert!(matches!(damaged.availability(), Availability::Rebuilding { .. }));
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    let refused =
        damaged.query(&Request { text: "ecole".into(), limit: 5, ..Request::default() }, &store.read().unwrap());
    assert!(matches!(refused, Err(SearchError::NotReady)));
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    drop(store);
    let engine = Engine::start(dir.path(), source.clone());
    assert!(engine.search.wait_for_blocking(0, WAIT));
    assert_eq!(engine.search.rebuilds(), 1);
    assert_eq!(engine.titles("ecole"), vec!["Sécurité devant l'école Jules-Ferry"]);
    assert_eq!(engine.search.num_docs().unwrap(), 5);
    engine.stop();

    // Damage inside a segment file (the checksums say so).
    let segment = std::fs::read_dir(&index)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment's postings");
    let mut bytes = std::fs::read(&segment).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&segment, bytes).unwrap();
    let engine = Engine::start(dir.path(), source.clone());
    let deadline = std::time::Instant::now() + WAIT;
    while engine.search.rebuilds() == 0 {
        assert!(std::time::Instant::now() < deadline, "the damaged segment was not noticed");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(engine.search.wait_for_blocking(0, WAIT));
    assert_eq!(engine.titles("cyclable").len(), 2);
    engine.stop();

    // The index of another database (a restored backup, another commune):
    // the change it says it applied is not in this database's log.
    let other = tempfile::tempdir().unwrap();
    copy_dir(&index, &search::index_dir(other.path()));
    let engine = Engine::start(other.path(), MapSource::default());
    assert!(engine.search.wait_for_blocking(0, WAIT));
    assert_eq!(engine.search.rebuilds(), 1);
    assert_eq!(engine.search.num_docs().unwrap(), 0);
    engine.stop();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

// ---------------------------------------------------------------- with proposals, over HTTP

fn open_box(tx: &redb::WriteTransaction) -> Result<u64, StoreError> {
    let now = jiff::Timestamp::now().as_second();
    let b = IdeaBox {
        title: "Le centre-bourg".into(),
        description: "Vos idées.".into(),
        opens_at: now - 86_400,
        closes_at: now + 30 * 86_400,
        created_by: AccountId(1),
        created_at: now,
        ..IdeaBox::default()
    };
    proposals::create_box(tx, b).map(|id| id.get()).map_err(|e| StoreError::Internal(e.to_string()))
}

fn post_proposal(tx: &redb::WriteTransaction, box_id: u64, title: &str, body: &str) -> Result<u64, StoreError> {
    let new = NewProposal {
        box_id: BoxId(box_id),
        author: AccountId(1),
        title: title.into(),
        body: body.into(),
        neighbourhood: Some("Centre".into()),
        ..NewProposal::default()
    };
    proposals::post(tx, &new, jiff::Timestamp::now().as_second())
        .map(|id| id.get())
        .map_err(|e| StoreError::Internal(e.to_string()))
}

/// Proposals written through the server's own writer; returns their ids.
fn post_proposals(server: &TestServer, items: &[(&str, &str)]) -> Vec<u64> {
    let items: Vec<(String, String)> = items.iter().map(|(t, b)| (t.to_string(), b.to_string())).collect();
    let ids = server.write(move |tx| {
        let box_id = open_box(tx)?;
        items.iter().map(|(t, b)| post_proposal(tx, box_id, t, b)).collect::<Result<Vec<_>, _>>()
    });
    wait_searchable(server);
    ids
}

fn wait_searchable(server: &TestServer) {
    let seq = changes::last_seq(&server.state().store.read().unwrap()).unwrap();
    assert!(server.state().search.wait_for_blocking(seq, WAIT), "change {seq} was not applied");
}

fn search_page(c: &mut Client, server: &TestServer, query: &str) -> String {
    let r = c.get(&server.at(&format!("/recherche?{query}")));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[test]
fn the_search_page_finds_proposals_and_never_hidden_ones() {
    let server = TestServer::start_with(&[(
        "commune.neighbourhoods",
        parvis::config::Value::List(vec!["Centre".into(), "Les Vignes".into()]),
    )]);
    let ids = post_proposals(
        &server,
        &[
            ("Calendrier des réunions de quartier", "Publier les dates des réunions publiques."),
            ("Sécurité devant l'école", "Un passage piéton à la sortie des classes."),
            ("Une piste cyclable rue de la Gare", "Relier la gare au collège à vélo."),
            ("<script>alert(1)</script> Piste", "Texte <b>gras</b> & piste"),
        ],
    );
    let mut c = Client::new();
    let empty = search_page(&mut c, &server, "");
    assert!(empty.contains("role=\"search\"") && empty.contains("<label for=\"q\""));
    assert!(empty.contains("href=\"/recherche\""), "linked from the navigation");

    let page = search_page(&mut c, &server, "q=reunion");
    assert!(page.contains("1 résultat pour « reunion »"), "{page}");
    assert!(page.contains("<mark>réunions</mark>"));
    assert!(page.contains(&format!("href=\"/propositions/{}\"", ids[0])));
    assert!(page.contains("<title>Recherche « reunion » : 1 résultat"));
    assert!(search_page(&mut c, &server, "q=ecole").contains("<mark>école</mark>"));
    assert!(search_page(&mut c, &server, "q=cyclabel").contains("<mark>cyclable</mark>"));

    // Content is text, never HTML; filters show their counts.
    let page = search_page(&mut c, &server, "q=piste");
    assert!(page.contains("2 résultats"));
    assert!(!page.contains("<script>alert") && page.contains("&lt;script&gt;"));
    assert!(!page.contains("<b>gras"));
    assert!(page.contains("Propositions (2)") && page.contains("Commentaires (0)"));
    // Only the kinds of content the site publishes are offered as filters.
    assert!(!page.contains("value=\"page\"") && page.contains("Réunions (0)"), "{page}");
    assert!(page.contains("Centre (2)") && page.contains("Les Vignes (0)"));
    assert!(page.contains("Déposée (2)"));

    // No results: said clearly, with suggestions and a way out of the filters.
    let none = search_page(&mut c, &server, "q=piste&type=comment");
    assert!(none.contains("Aucun résultat pour « piste »"));
    assert!(none.contains("vérifiez l&#39;orthographe") || none.contains("vérifiez l'orthographe"));
    assert!(none.contains("href=\"/recherche?q=piste\""));
    let bad = c.get(&server.at("/recherche?q=piste&depuis=hier"));
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("AAAA-MM-JJ"));

    // Comments are found too, with their kind.
    let held = moderation::HeldWords::of(&server.state().config);
    let on = Target::new(ContentKind::Proposal, ids[2]);
    let posted = server.write(move |tx| {
        let new = comments::NewComment {
            target: on,
            reply_to: None,
            author: AccountId(1),
            body: "Pensez aussi aux poussettes sur les trottoirs.".into(),
            stance: None,
        };
        comments::create(tx, &new, &held, jiff::Timestamp::now().as_second())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    wait_searchable(&server);
    let page = search_page(&mut c, &server, "q=poussette");
    assert!(page.contains(&format!("href=\"/commentaires/{}\"", posted.id)), "{page}");
    assert!(page.contains("Commentaires (1)") && page.contains("Propositions (0)"));
    assert!(page.contains("<mark>poussettes</mark>"));

    // In English too.
    c.extra_headers.push(("accept-language".into(), "en".into()));
    assert!(search_page(&mut c, &server, "q=ecole").contains("1 result for “ecole”"));
    c.extra_headers.clear();

    // A moderator hides the proposal: it is no longer found.
    let target = Target::new(ContentKind::Proposal, ids[1]);
    server.write(move |tx| {
        let hide = Decision::Hide { reason: Reason::OffTopic, message: String::new() };
        moderation::decide(tx, target, &hide, AccountId(1), jiff::Timestamp::now().as_second())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    wait_searchable(&server);
    let page = search_page(&mut c, &server, "q=ecole");
    assert!(page.contains("Aucun résultat") && !page.contains("Sécurité devant"), "{page}");
}

/// A server on an existing data directory (a restart).
struct Restarted {
    url: String,
    state: Arc<parvis::app::AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Restarted {
    fn start(dir: &Path) -> Restarted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = parvis::server::prepare(config_for(dir, &url, &[])).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(parvis::server::serve_state(listener, serving, async move {
                let _ = stopped.await;
            }))
            .unwrap();
        });
        Restarted { url, state, stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Restarted {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn a_damaged_index_is_rebuilt_while_the_site_answers() {
    let server = TestServer::start();
    post_proposals(&server, &[("Un composteur collectif", "Dans le square des Lilas.")]);
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    std::fs::write(search::index_dir(dir.path()).join("meta.json"), b"{ broken").unwrap();

    let server = Restarted::start(dir.path());
    let c = Client::new();
    // The site answers at once; the search page says the index is rebuilt
    // until it is, then finds the content.
    assert_eq!(c.try_get(&format!("{}/healthz", server.url)).unwrap().status, 200);
    let first = c.try_get(&format!("{}/recherche?q=composteur", server.url)).unwrap();
    assert!(
        (first.status == 503 && first.body.contains("en cours de reconstruction"))
            || (first.status == 200 && first.body.contains("composteur")),
        "{} {}",
        first.status,
        first.body
    );
    assert!(server.state.search.wait_for_blocking(0, WAIT));
    assert_eq!(server.state.search.rebuilds(), 1);
    let page = c.try_get(&format!("{}/recherche?q=composteurs", server.url)).unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>composteur</mark>"), "{}", page.body);
}

#[test]
fn reindex_rebuilds_everything_from_the_database() {
    let server = TestServer::start();
    post_proposals(
        &server,
        &[("Un composteur collectif", "Square des Lilas."), ("Des nichoirs", "Pour les mésanges.")],
    );
    let running = parvis(server.dir.path()).args(["reindex", "--data-dir"]).arg(server.dir.path()).output().unwrap();
    assert_eq!(running.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&running.stderr).contains("stop it first"));
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    std::fs::remove_dir_all(search::index_dir(dir.path())).unwrap();

    let (code, out, err) = run(parvis(dir.path()).args(["reindex", "--data-dir"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 documents indexed"), "{out}");
    // The server uses the rebuilt index as it is.
    let server = Restarted::start(dir.path());
    assert!(server.state.search.wait_for_blocking(0, WAIT));
    assert_eq!(server.state.search.rebuilds(), 0);
    assert_eq!(server.state.search.num_docs().unwrap(), 2);
    let page = Client::new().try_get(&format!("{}/recherche?q=nichoir", server.url)).unwrap();
    assert!(page.body.contains("<mark>nichoirs</mark>"), "{}", page.body);
}

#[test]
fn a_proposal_that_reaches_its_threshold_is_found_under_its_new_status() {
    let server = TestServer::start();
    let now = jiff::Timestamp::now().as_second();
    let id = server.write(move |tx| {
        let b = IdeaBox {
            title: "Le centre-bourg".into(),
            opens_at: now - 86_400,
            closes_at: now + 30 * 86_400,
            threshold: 2,
            created_by: AccountId(1),
            ..IdeaBox::default()
        };
        let box_id = proposals::create_box(tx, b).map_err(|e| StoreError::Internal(e.to_string()))?;
        post_proposal(tx, box_id.get(), "Un composteur collectif", "Dans le square des Lilas.")
    });
    wait_searchable(&server);
    let with_status = |status: &str| {
        let request =
            Request { text: "composteur".into(), status: Some(status.into()), limit: 20, ..Request::default() };
        let store = &server.state().store;
        let found = server.state().search.query(&request, &store.read().unwrap()).unwrap();
        found.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>()
    };
    assert_eq!(with_status("submitted"), vec![id]);

    // Two residents support it: the second support reaches the threshold.
    let reached = server.write(move |tx| {
        let notifier = parvis::domain::notifications::Notifier { base_url: String::new() };
        let mut last = None;
        for account in [2, 3] {
            let outcome = proposals::set_support(
                tx,
                &notifier,
                ProposalId(id),
                AccountId(account),
                parvis::domain::accounts::Role::Resident,
                true,
                now,
            )
            .map_err(|e| StoreError::Internal(e.to_string()))?;
            last = Some(outcome.reached_threshold);
        }
        Ok(last)
    });
    assert_eq!(reached, Some(true));
    wait_searchable(&server);
    assert_eq!(with_status("under-study"), vec![id], "found under its new status");
    assert_eq!(with_status("submitted"), Vec::<u64>::new(), "no longer under the old one");
}

/// Files a report through the domain: by an account (public at once) or
/// by a visitor (waiting for the emailed link).
fn file_report(server: &TestServer, author: parvis::domain::reports::Filer, description: &str) -> u64 {
    use parvis::domain::reports;
    let config = server.state().config.clone();
    let new = reports::NewReport {
        author,
        category: "eclairage".into(),
        lat: 45.7772,
        lon: 4.6121,
        address: Some("12 Rue du Four".into()),
        neighbourhood: None,
        description: description.into(),
        photos: Vec::new(),
        show_name: false,
        answers: Vec::new(),
    };
    let notifier = parvis::domain::notifications::Notifier { base_url: config.server.public_url.to_string() };
    server.write(move |tx| {
        let actor = parvis::domain::audit::Actor::anonymous("127.0.0.1");
        reports::file(tx, &config, &notifier, &actor, &new, parvis::domain::now_unix())
            .map(|f| f.id.get())
            .map_err(|e| StoreError::Internal(e.to_string()))
    })
}

fn hide_report(server: &TestServer, id: u64, hidden: bool) {
    server.write(move |tx| {
        let actor = parvis::domain::audit::Actor::command_line();
        parvis::domain::reports::hide(tx, &actor, parvis::domain::ids::ReportId(id), hidden, parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    wait_searchable(server);
}

#[test]
fn public_reports_are_found_by_number_category_text_and_place_and_never_hidden_or_unconfirmed_ones() {
    use parvis::domain::accounts::Role;
    let server = TestServer::start();
    let author = crate::admin::make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let id = file_report(
        &server,
        parvis::domain::reports::Filer::Account(AccountId(author.id)),
        "Le lampadaire clignote toute la nuit.",
    );
    let visitor = parvis::domain::reports::Filer::Visitor {
        email: "dominique@ailleurs.test".into(),
        name: "Dominique".into(),
        lang: parvis::i18n::Lang::Fr,
    };
    let waiting = file_report(&server, visitor, "Un réverbère tordu par une camionnette.");
    post_proposals(&server, &[("Des lampadaires solaires", "Pour le parking du stade.")]);
    let mut c = Client::new();
    let link = format!("href=\"/signalements/{id}\"");
    // By its text, its category's name, its address.
    for query in ["q=lampadaire", "q=%C3%A9clairage", "q=rue+du+four"] {
        let page = search_page(&mut c, &server, query);
        assert!(page.contains(&link), "{query}: {page}");
        // The title (highlighted where it matched): its number and category.
        let title = page.split(&link).nth(1).unwrap_or_default().split("</a>").next().unwrap_or_default().to_string();
        assert!(title.starts_with(&format!(">Signalement n° {id} — ")), "{query}: {title}");
        assert!(title.replace("<mark>", "").replace("</mark>", "").ends_with("Éclairage public"), "{title}");
    }
    // Its status in words, and the type filter « Signalements ».
    let page = search_page(&mut c, &server, "q=lampadaire");
    assert!(page.contains("<span class=\"badge badge-report-new\">Nouveau</span>"), "{page}");
    assert!(page.contains("<option value=\"report\""), "{page}");
    let only = search_page(&mut c, &server, "q=lampadaire&type=report");
    assert!(only.contains(&link) && !only.contains("Des lampadaires solaires"), "{only}");
    // Not waiting for its author's confirmation.
    assert!(!search_page(&mut c, &server, "q=camionnette").contains(&format!("/signalements/{waiting}")));
    // Hidden by staff: out of the index; shown again: back.
    hide_report(&server, id, true);
    assert!(!search_page(&mut c, &server, "q=lampadaire").contains(&link));
    assert!(!search_page(&mut c, &server, "q=lampadaire&type=report").contains("Le lampadaire clignote"));
    hide_report(&server, id, false);
    assert!(search_page(&mut c, &server, "q=lampadaire").contains(&link));
    // Redacted by staff: the words taken out are no longer found.
    server.write(move |tx| {
        let actor = parvis::domain::audit::Actor::command_line();
        let rid = parvis::domain::ids::ReportId(id);
        parvis::domain::reports::redact(tx, &actor, rid, 0, "Le [caviardé] clignote.", parvis::domain::now_unix())
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
    wait_searchable(&server);
    assert!(!search_page(&mut c, &server, "q=lampadaire&type=report").contains(&link));
    assert!(search_page(&mut c, &server, "q=clignote").contains(&link));
}

#[test]
fn reindex_includes_the_public_reports() {
    use parvis::domain::accounts::Role;
    let server = TestServer::start();
    let author = crate::admin::make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let account = parvis::domain::reports::Filer::Account(AccountId(author.id));
    file_report(&server, account.clone(), "Un nid-de-poule devant la boulangerie.");
    let hidden = file_report(&server, account, "Une insulte taguée sur le mur.");
    hide_report(&server, hidden, true);
    let (stopped, dir) = server.stop();
    stopped.unwrap();
    std::fs::remove_dir_all(search::index_dir(dir.path())).unwrap();
    let (code, out, err) = run(parvis(dir.path()).args(["reindex", "--data-dir"]).arg(dir.path()));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 documents indexed") && out.contains("1 left out"), "{out}");
    let server = Restarted::start(dir.path());
    assert!(server.state.search.wait_for_blocking(0, WAIT));
    let page = Client::new().try_get(&format!("{}/recherche?q=boulangerie", server.url)).unwrap();
    assert!(page.body.contains("href=\"/signalements/1\""), "{}", page.body);
}

/// Mistyped words still find the right proposal among many that hold words
/// close to them ("poste", "liste", "école" alone, "piste" alone): each word
/// is corrected to the index's closest terms, not widened to every term
/// within two edits.
#[test]
fn typos_find_the_right_proposal_among_many_close_words() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(dir.path(), MapSource::default());
    let mut docs = Vec::new();
    for i in 0..120u64 {
        let (title, body) = match i % 4 {
            0 => (format!("La poste du quartier {i}"), "Ouvrir la poste le samedi, près de l'école."),
            1 => (format!("Une liste d'attente {i}"), "La liste des inscrits à la cantine de l'école."),
            2 => (format!("Une piste de danse {i}"), "Pour la fête de la musique, une piste."),
            _ => (format!("Des pistes de réflexion {i}"), "Des postes de secours, des listes, des costes."),
        };
        docs.push(doc(ContentKind::Proposal, 10 + i, &title, body));
    }
    docs.push(doc(
        ContentKind::Proposal,
        1,
        "Une piste cyclable devant l'école Jules-Ferry",
        "Pour aller à l'école à vélo en sécurité.",
    ));
    engine.change(docs.into_iter().map(|d| (d.target(), Some(d))).collect());

    let target = "Une piste cyclable devant l'école Jules-Ferry";
    assert_eq!(engine.titles("piste ecole"), vec![target]);
    for typed in ["pidte ecile", "psite ecoel", "piste ecolr", "pistw ecole", "cyclabel ecoel", "phste ecole"] {
        let found = engine.query(typed);
        assert_eq!(found.hits.first().map(|h| h.doc.title.as_str()), Some(target), "{typed}");
        // "phste" is as close to "poste" as to "piste" (two edits each):
        // both are its corrections, the proposal first.
        if !typed.starts_with("phste") {
            assert_eq!(found.total, 1, "{typed}: only the proposal with both words");
        }
    }
    engine.stop();
}

/// The filter form of a search asked again is the one kept with its
/// answer, and follows the counts as soon as the index changes: a new
/// proposal moves them, in each language.
#[test]
fn the_filter_form_asked_again_follows_the_counts() {
    let server = TestServer::start();
    post_proposals(&server, &[("Un composteur au square", "Un composteur collectif.")]);
    let mut c = Client::new();
    let form = |page: &str| {
        let start = page.find("<form class=\"search-form\"").expect("the form");
        let end = start + page[start..].find("</form>").expect("its end");
        page[start..end].to_string()
    };
    let first = form(&search_page(&mut c, &server, "q=composteur"));
    assert!(first.contains("Propositions (1)") && first.contains("value=\"composteur\""), "{first}");
    assert_eq!(form(&search_page(&mut c, &server, "q=composteur")), first, "asked again: the same form");
    // Another search on the same counts shows its own words and choices.
    let typed = form(&search_page(&mut c, &server, "q=composteurs&type=proposal"));
    assert!(
        typed.contains("value=\"composteurs\"") && typed.contains("<option value=\"proposal\" selected"),
        "{typed}"
    );
    c.extra_headers.push(("accept-language".into(), "en".into()));
    let english = form(&search_page(&mut c, &server, "q=composteur"));
    assert!(english.contains("Proposals (1)"), "{english}");
    c.extra_headers.clear();

    post_proposals(&server, &[("Un second composteur", "Au stade.")]);
    let moved = form(&search_page(&mut c, &server, "q=composteur"));
    assert!(moved.contains("Propositions (2)"), "the counts moved: {moved}");
}

/// Consultations and meetings are found once published, never as drafts,
/// and the search page offers them as kinds (issue 12 and 13).
#[test]
fn published_consultations_and_meetings_are_found_and_drafts_are_not() {
    use parvis::domain::audit::Actor;
    use parvis::domain::consultations::{self, Audience, Dates, Details};
    use parvis::domain::meetings;
    let server = TestServer::start();
    server.write(|tx| {
        let (actor, now) = (Actor::person(AccountId(1), "test"), parvis::domain::now_unix());
        let e = |e: consultations::ConsultationError| StoreError::Internal(e.to_string());
        let details = |title: &str| Details {
            title: title.into(),
            summary: "Le préau de l'école maternelle sera rénové.".into(),
            body: "Dites-nous quels **jeux** installer.".into(),
            neighbourhood: None,
            audience: Audience::Anyone,
        };
        let open = consultations::create(tx, &[], &actor, &details("La cour de récréation"), now).map_err(e)?;
        consultations::add_question(
            tx,
            &actor,
            open,
            &crate::consultations::q("Quel jeu ?", false, crate::consultations::day()),
            now,
        )
        .map_err(e)?;
        consultations::publish(tx, &actor, open, Dates { opens_at: now - 60, closes_at: now + 86_400 }, now)
            .map_err(e)?;
        consultations::create(tx, &[], &actor, &details("Brouillon secret du gymnase"), now).map_err(e)?;
        let m = |e: meetings::MeetingError| StoreError::Internal(e.to_string());
        let meeting = |title: &str| meetings::Details {
            title: title.into(),
            kind: meetings::Kind::PublicMeeting,
            starts_at: now + 7 * 86_400,
            ends_at: now + 7 * 86_400 + 7_200,
            address: "Salle des fêtes".into(),
            coords: None,
            online_url: String::new(),
            neighbourhood: None,
            agenda: "Présentation du **préau** rénové.".into(),
            accessibility: meetings::Accessibility::default(),
            organiser: "Mairie".into(),
            registration: false,
            seats: None,
        };
        let public = meetings::create(tx, &[], &actor, &meeting("Réunion publique sur le préau"), now).map_err(m)?;
        meetings::publish(tx, &actor, public, now).map_err(m)?;
        meetings::create(tx, &[], &actor, &meeting("Atelier confidentiel du préau"), now).map_err(m)?;
        Ok(())
    });
    wait_searchable(&server);
    let mut c = Client::new();
    let found = search_page(&mut c, &server, "q=preau");
    assert!(found.contains("La cour de récréation") && found.contains("href=\"/consultations/1\""), "{found}");
    assert!(
        found.contains("Réunion publique sur le <mark>préau</mark>") && found.contains("href=\"/rendez-vous/1\""),
        "{found}"
    );
    assert!(!found.contains("Brouillon secret") && !found.contains("Atelier confidentiel"), "{found}");
    // Each kind can be asked alone.
    let only = search_page(&mut c, &server, "q=preau&type=meeting");
    assert!(only.contains("href=\"/rendez-vous/1\"") && !only.contains("La cour de récréation"), "{only}");
}
