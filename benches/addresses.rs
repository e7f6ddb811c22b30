//! The commune's address list at a big city's size, in the process: the
//! import of 100,000 generated addresses (`benches/ban_generator.py`), then
//! the latency of each suggestion and "nearest address" query the HTTP
//! benchmark (`benches/addresses.sh`) sends, without HTTP: what the domain
//! costs, apart from the client and the scheduler of a shared machine.
//!
//! Run with `cargo bench --bench addresses` (100,000 addresses) or
//! `cargo bench --bench addresses -- 20000`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::domain::addresses;
use parvis::domain::audit::Actor;
use parvis::store::Store;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn report(name: &str, mut times: Vec<Duration>, answered: usize) {
    times.sort();
    println!(
        "{name:<12} {:>5} queries ({answered} answered)  p50 {:>7.1} µs  p99 {:>7.1} µs  max {:>7.1} µs",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e6
    );
}

fn main() {
    let n: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let csv = dir.path().join("adresses.csv");
    let (queries, points) = (dir.path().join("q.txt"), dir.path().join("p.txt"));
    let generated = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/ban_generator.py"))
        .arg(n.to_string())
        .args([&csv, &queries, &points])
        .arg("")
        .status()
        .expect("python3 benches/ban_generator.py");
    assert!(generated.success());

    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 64).expect("store");
    let started = Instant::now();
    let rows = Arc::new(addresses::parse(std::fs::File::open(&csv).expect("csv")).expect("parse"));
    let parsed = started.elapsed();
    let imported = store
        .writer()
        .write_blocking(move |tx| addresses::import(tx, &Actor::command_line(), &rows, 0))
        .expect("import");
    println!(
        "import: {} addresses, {} streets: parsed in {:.2} s, written in {:.2} s",
        imported.addresses,
        imported.streets,
        parsed.as_secs_f64(),
        (started.elapsed() - parsed).as_secs_f64()
    );

    let query_of = |line: &str| -> String {
        let q = line.split_once('?').map(|(_, q)| q).unwrap_or("");
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let typed: Vec<String> = std::fs::read_to_string(&queries).expect("queries").lines().map(query_of).collect();
    let at: Vec<(f64, f64)> = std::fs::read_to_string(&points)
        .expect("points")
        .lines()
        .filter_map(|line| {
            let q = line.split_once('?')?.1;
            let mut lat = None;
            let mut lon = None;
            for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
                match k.as_ref() {
                    "lat" => lat = v.parse().ok(),
                    "lon" => lon = v.parse().ok(),
                    _ => {}
                }
            }
            Some((lat?, lon?))
        })
        .collect();

    // Each query on its own read transaction, as a request has.
    for round in ["first pass", "second pass"] {
        println!("-- {round}");
        let (mut times, mut answered) = (Vec::new(), 0);
        for q in &typed {
            let t = Instant::now();
            let found = addresses::suggest(&store.read().expect("read"), q, 8).expect("suggest");
            times.push(t.elapsed());
            answered += usize::from(!found.is_empty());
        }
        report("suggest", times, answered);
        let (mut times, mut answered) = (Vec::new(), 0);
        for (lat, lon) in &at {
            let t = Instant::now();
            let found = addresses::nearest(&store.read().expect("read"), *lat, *lon).expect("nearest");
            times.push(t.elapsed());
            answered += usize::from(found.is_some());
        }
        report("nearest", times, answered);
    }
}
