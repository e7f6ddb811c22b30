//! Problem reports at a big town's size, in the process: `demo::generate`
//! makes 100,000 reports over the demo commune (as `parvis demo-data
//! --reports 100000` does), then the latency of the queries behind the
//! report form's nearby offer, the list and the map data, without HTTP:
//! what the domain costs, apart from the client and the scheduler of a
//! shared machine (`benches/reports.sh` measures the same over HTTP).
//!
//! Run with `cargo bench --bench reports` (100,000 reports) or
//! `cargo bench --bench reports -- 20000`.

use std::time::{Duration, Instant};

use parvis::config::Config;
use parvis::demo::{self, DemoOptions};
use parvis::domain::reports::{self, Filter, Page};
use parvis::store::Store;
use rand::{rngs::StdRng, Rng, SeedableRng};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// Runs `query` `rounds` times, each on its own read transaction as a
/// request has, and prints p50, p99 and max with the mean answer size.
fn measure(store: &Store, name: &str, rounds: usize, mut query: impl FnMut(&parvis::store::ReadTx, usize) -> usize) {
    let (mut times, mut found) = (Vec::with_capacity(rounds), 0usize);
    for i in 0..rounds {
        let t = Instant::now();
        found += query(&store.read().expect("read"), i);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{name:<34} {rounds:>5} queries  {:>7.1} found  p50 {:>8.1} µs  p99 {:>8.1} µs  max {:>8.1} µs",
        found as f64 / rounds as f64,
        percentile(&times, 0.50).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e6
    );
}

fn main() {
    let n: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let toml = dir.path().join("parvis.toml");
    std::fs::write(
        &toml,
        // `server.public_url` is required (the links in mails and exports).
        format!(
            "[commune]\nname = \"Saint-Exemple\"\n[server]\npublic_url = \"http://127.0.0.1:8080\"\n[data]\ndir = \"{}\"\n",
            dir.path().join("data").display()
        ),
    )
    .expect("config");
    let config = Config::load(Some(&toml)).expect("config");
    std::fs::create_dir_all(&config.data_dir).expect("data dir");
    let store = Store::open_with_test_key(&config.data_dir.join("parvis.redb"), 64).expect("store");
    let options = DemoOptions { residents: 200, proposals: 0, comments: 0, reports: n, ..DemoOptions::default() };
    let started = Instant::now();
    let made = demo::generate(&store, &options, &|_, _| {}).expect("demo data");
    println!(
        "generated: {} reports, {} addresses, in {:.2} s; database {} bytes",
        made.reports_created,
        made.addresses_imported,
        started.elapsed().as_secs_f64(),
        std::fs::metadata(config.data_dir.join("parvis.redb")).map(|m| m.len()).unwrap_or(0)
    );

    let settings = &config.reports;
    let categories: Vec<String> = settings.categories.iter().map(|c| c.code.clone()).collect();
    let radius = f64::from(settings.nearby_metres);
    // The demo places its reports within ±0.008° of latitude and ±0.012°
    // of longitude of the centre; the queries fall in the same box.
    let mut rng = StdRng::seed_from_u64(7);
    let places: Vec<(String, f64, f64)> = (0..2_000)
        .map(|_| {
            (
                categories[rng.random_range(0..categories.len())].clone(),
                45.7772 + rng.random_range(-0.008..0.008),
                4.6121 + rng.random_range(-0.012..0.012),
            )
        })
        .collect();
    let page = |number| Page { number, size: 20 };
    let first = categories.first().cloned().unwrap_or_default();
    let by_category = Filter { category: Some(first.clone()), ..Filter::default() };
    let by_status = Filter { status: Some("fixed".into()), ..Filter::default() };
    let by_area = Filter { neighbourhood: Some(demo::NEIGHBOURHOODS[2].into()), ..Filter::default() };
    let now = parvis::domain::now_unix();
    let last_week = Filter { from: Some(now - 7 * 86_400), ..Filter::default() };
    let both = Filter { category: Some(first), status: Some("fixed".into()), ..Filter::default() };

    for round in ["first pass", "second pass"] {
        println!("-- {round}");
        // What the form's nearby step asks: the five nearest (and how many
        // more); then every one within the radius, all decoded.
        measure(&store, "nearest 5 (250 m, one category)", places.len(), |tx, i| {
            let (category, lat, lon) = &places[i];
            let offer = reports::nearest(tx, settings, category, *lat, *lon, radius, 5).expect("nearest");
            offer.reports.len() + offer.more
        });
        measure(&store, "nearby, all (250 m, one category)", places.len(), |tx, i| {
            let (category, lat, lon) = &places[i];
            reports::nearby(tx, settings, category, *lat, *lon, radius).expect("nearby").len()
        });
        let list = |name: &str, filter: &Filter, number: usize| {
            measure(&store, name, 200, |tx, _| reports::list(tx, filter, page(number)).expect("list").0.len());
        };
        list("list, page 1", &Filter::default(), 0);
        list("list, page 50", &Filter::default(), 49);
        list("list by category, page 1", &by_category, 0);
        list("list by status, page 1", &by_status, 0);
        list("list by category+status, page 1", &both, 0);
        list("list by neighbourhood, page 1", &by_area, 0);
        list("list of the last 7 days, page 1", &last_week, 0);
        // The GeoJSON export (the map data a map tool reads): every
        // matching report, here one category over the last week and all.
        let week_category = Filter { from: Some(now - 7 * 86_400), ..by_category.clone() };
        measure(&store, "export: category, last 7 days", 50, |tx, _| {
            reports::list(tx, &week_category, Page { number: 0, size: 100_000 }).expect("export").0.len()
        });
        measure(&store, "export: everything", 5, |tx, _| {
            reports::list(tx, &Filter::default(), Page { number: 0, size: 100_000 }).expect("export").0.len()
        });
    }
}
