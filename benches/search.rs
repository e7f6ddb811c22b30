//! Search: time to rebuild the index from scratch, query latencies (p50,
//! p99) and how soon a new document is searchable, on generated French
//! proposals.
//!
//! Run with `cargo bench --bench search` (100,000 generated documents),
//! `cargo bench --bench search -- 20000` for another count, or
//! `cargo bench --bench search -- --data-dir DIR` on a data directory filled
//! by `parvis demo-data` (its index is rebuilt in place, from redb, through
//! the application's own loaders). Generated documents do not come from
//! redb, so that rebuild figure is tantivy's share. Every query is the
//! page's: words with typo tolerance, filters, counts per kind / status /
//! neighbourhood, 20 results loaded again through the source, with snippets.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::domain::changes::{self, ContentKind, Target};
use parvis::search::{self, Document, Request, Search, Source};
use parvis::store::{Store, StoreError};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const SUBJECTS: &[&str] = &[
    "une piste cyclable",
    "l'éclairage public",
    "des bancs",
    "un jardin partagé",
    "une aire de jeux",
    "des composteurs collectifs",
    "le marché du samedi",
    "la bibliothèque municipale",
    "un passage piéton surélevé",
    "des arbres fruitiers",
    "une fontaine à eau",
    "le ramassage des encombrants",
    "des réunions de quartier",
    "un parking à vélos",
    "la salle des fêtes",
    "une navette pour les anciens",
    "des toilettes publiques",
    "un city-stade",
    "des nichoirs à mésanges",
    "le restaurant scolaire",
];
const VERBS: &[&str] =
    &["Créer", "Installer", "Rénover", "Déplacer", "Agrandir", "Sécuriser", "Ouvrir le dimanche", "Végétaliser"];
const PLACES: &[&str] = &[
    "près de l'école Jules-Ferry",
    "rue de la Gare",
    "place de l'Église",
    "au bord du canal",
    "dans le square des Lilas",
    "derrière la mairie",
    "avenue des Tilleuls",
    "au hameau de Beaulieu",
];
const REASONS: &[&str] = &[
    "Les enfants traversent ici tous les matins et les voitures roulent vite.",
    "Beaucoup d'habitants le demandent depuis longtemps lors des réunions publiques.",
    "Cela rendrait le quartier plus agréable pour les familles et les personnes âgées.",
    "Le budget participatif pourrait financer une partie des travaux.",
    "Les commerçants du centre-bourg y sont favorables.",
    "Il faudrait aussi penser à l'entretien et à l'accessibilité.",
    "La nuit, le secteur est mal éclairé et peu rassurant.",
    "Un essai de quelques mois permettrait de juger sur pièce.",
];
const NEIGHBOURHOODS: &[&str] = &["Centre-bourg", "Les Vignes", "La Gare", "Le Moulin", "Les Hauts"];
const STATUSES: &[&str] = &["submitted", "under-study", "accepted", "rejected", "in-progress", "done"];

/// Proposals made up from the lists above, the same for the same id.
struct Generated {
    count: u64,
}

impl Generated {
    fn document(id: u64) -> Document {
        let mut rng = SmallRng::seed_from_u64(id);
        let mut pick = |list: &[&'static str]| list[rng.random_range(0..list.len())];
        let title = format!("{} {} {}", pick(VERBS), pick(SUBJECTS), pick(PLACES));
        let mut body = String::new();
        for _ in 0..3 {
            body.push_str(pick(REASONS));
            body.push(' ');
        }
        body.push_str(&format!("Proposition pour {} {}.", pick(SUBJECTS), pick(PLACES)));
        Document {
            kind: if id.is_multiple_of(5) { ContentKind::Comment } else { ContentKind::Proposal },
            id,
            title,
            body,
            status: Some(pick(STATUSES).to_string()),
            neighbourhood: Some(pick(NEIGHBOURHOODS).to_string()),
            // Spread over three years, in no particular order.
            created_at: 1_700_000_000 + (id.wrapping_mul(2_654_435_761) % (3 * 365 * 86_400)) as i64,
            url: format!("/propositions/{id}"),
        }
    }
}

impl Source for Generated {
    fn load(&self, _tx: &redb::ReadTransaction, target: Target) -> Result<Option<Document>, StoreError> {
        Ok(Some(Generated::document(target.id)).filter(|d| d.kind == target.kind))
    }
    fn all(&self, _tx: &redb::ReadTransaction) -> Result<Vec<Target>, StoreError> {
        Ok((1..=self.count).map(|id| Generated::document(id).target()).collect())
    }
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn dir_mib(dir: &std::path::Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    bytes as f64 / (1024.0 * 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data_dir = args.iter().position(|a| a == "--data-dir").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let count: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let temporary = tempfile::tempdir().expect("temporary directory");
    let dir = data_dir.clone().unwrap_or_else(|| temporary.path().to_path_buf());
    let store = Store::open_with_test_key(&dir.join("parvis.redb"), 64).expect("open the store");
    let source: Arc<dyn Source> = match &data_dir {
        Some(d) => {
            println!("parvis search bench: the content of {}", d.display());
            Arc::new(search::Concepts::default())
        }
        None => {
            println!("parvis search bench: {count} generated French documents (4/5 proposals, 1/5 comments)");
            Arc::new(Generated { count })
        }
    };

    let report = search::rebuild(&store, &dir, source.as_ref(), &|_, _| {}).expect("rebuild");
    println!(
        "rebuild: {} documents in {:.2} s ({:.0} documents/s), index {:.1} MiB on disk, process RSS {:.0} MiB",
        report.documents,
        report.elapsed.as_secs_f64(),
        report.documents as f64 / report.elapsed.as_secs_f64(),
        dir_mib(&search::index_dir(&dir)),
        rss_mib()
    );

    let search = Search::open_with_source(&dir, source);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = rt.spawn(search::run_indexer(search.clone(), store.clone(), stopped));
    assert!(search.wait_for_blocking(0, Duration::from_secs(60)), "the index did not open");

    let queries: Vec<(&str, Request)> = vec![
        ("one common word", words("bancs")),
        ("two words", words("piste cyclable")),
        ("no accents", words("ecole eclairage")),
        ("typo, 2 edits", words("cyclabel")),
        ("typo, 1 edit", words("fontanie")),
        ("four words", words("jardin partagé près de l'école")),
        (
            "words + 2 filters",
            Request { neighbourhood: Some("La Gare".into()), status: Some("accepted".into()), ..words("arbres") },
        ),
        ("filters only", Request { kind: Some(ContentKind::Comment), since: Some(1_750_000_000), ..words("") }),
        ("page 10", Request { offset: 180, ..words("place") }),
        ("no match", words("téléphérique")),
    ];
    // Warm the caches once.
    for (_, q) in &queries {
        search.query(q, &store.read().expect("read")).expect("query");
    }
    let rounds = 100;
    let mut all = Vec::new();
    println!("{:<20} {:>9} {:>9} {:>9} {:>9}", "query", "results", "p50 ms", "p99 ms", "max ms");
    for (name, q) in &queries {
        let mut times = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let tx = store.read().expect("read");
            let results = search.query(q, &tx).expect("query");
            times.push(started.elapsed());
            total = results.total;
        }
        times.sort();
        println!(
            "{name:<20} {total:>9} {:>9.2} {:>9.2} {:>9.2}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().expect("times"))
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "{:<20} {:>9} {:>9.2} {:>9.2} {:>9.2}",
        "all queries",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().expect("times"))
    );

    // A new document, from its commit to being searchable (one at a time,
    // so that each pays the whole path: wake-up, load, index commit, reload).
    let mut follow = Vec::new();
    for n in 0..20u64 {
        let id = count + 1 + n * 5 + 1;
        let started = Instant::now();
        let seq = store
            .writer()
            .write_blocking(move |tx| changes::record(tx, Target::new(ContentKind::Proposal, id)))
            .expect("record a change");
        assert!(search.wait_for_blocking(seq, Duration::from_secs(10)), "change {seq} not applied");
        follow.push(started.elapsed());
        // Past the commit interval, so each change is applied on its own.
        std::thread::sleep(search::indexer::COMMIT_EVERY);
    }
    follow.sort();
    println!(
        "new document searchable after its commit: p50 {:.1} ms, max {:.1} ms (index commits at most every {} ms)",
        ms(percentile(&follow, 0.5)),
        ms(*follow.last().expect("times")),
        search::indexer::COMMIT_EVERY.as_millis()
    );
    println!("process RSS after the queries: {:.0} MiB", rss_mib());

    let _ = stop.send(true);
    rt.block_on(task).expect("indexer task");
    rt.block_on(store.close());
}

fn words(text: &str) -> Request {
    Request { text: text.into(), limit: 20, ..Request::default() }
}
