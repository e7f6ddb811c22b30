//! Map tiles through Parvis: fetched from the configured tile server once,
//! kept on disk within a size limit, served from the commune's site; the
//! browser never names another host.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use parvis::config::Value;
use parvis::domain::ids::AccountId;
use parvis::domain::proposals::{self, IdeaBox};
use parvis::store::StoreError;

use crate::support::{config_for, Client, TestServer};

/// A 1×1 PNG; `padded` makes tiles of a chosen size (only the signature is
/// checked, as browsers ignore bytes after the image's end).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x0b, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn padded(size: usize) -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes.resize(size.max(PNG.len()), 0);
    bytes
}

/// A tile server on 127.0.0.1 that counts what it is asked.
struct Upstream {
    url: String,
    hits: Arc<AtomicUsize>,
    agents: Arc<Mutex<Vec<String>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Upstream {
    /// Answers every `/{z}/{x}/{y}.png` with `tile`, after `delay`.
    fn start(tile: Vec<u8>, delay: Duration) -> Upstream {
        Upstream::start_with(tile, delay, false)
    }

    /// `unchanged`: answers 304 to a request that says since when it has the tile.
    fn start_with(tile: Vec<u8>, delay: Duration, unchanged: bool) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let agents = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (h, a) = (hits.clone(), agents.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let tile = Arc::new(tile);
                let endpoint = poem::endpoint::make(move |req: poem::Request| {
                    let (tile, hits, agents) = (tile.clone(), h.clone(), a.clone());
                    async move {
                        hits.fetch_add(1, Ordering::SeqCst);
                        let agent = req.header("user-agent").unwrap_or("").to_string();
                        agents.lock().unwrap().push(agent);
                        tokio::time::sleep(delay).await;
                        if unchanged && req.header("if-modified-since").is_some() {
                            return poem::Response::builder().status(poem::http::StatusCode::NOT_MODIFIED).finish();
                        }
                        poem::Response::builder().content_type("image/png").body(tile.as_ref().clone())
                    }
                });
                let acceptor = poem::listener::TcpAcceptor::from_std(listener).unwrap();
                let _ = poem::Server::new_with_acceptor(acceptor)
                    .run_with_graceful_shutdown(
                        endpoint,
                        async move {
                            let _ = stopped.await;
                        },
                        Some(Duration::from_millis(200)),
                    )
                    .await;
            });
        });
        Upstream { url, hits, agents, stop: Some(stop), thread: Some(thread) }
    }

    fn template(&self) -> String {
        format!("{}/{{z}}/{{x}}/{{y}}.png", self.url)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Stops answering: connections are refused from now on.
    fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop();
    }
}

fn server_with(upstream: &Upstream, more: &[(&str, Value)]) -> TestServer {
    let mut settings = vec![("map.tile_url", Value::Text(upstream.template()))];
    settings.extend(more.iter().map(|(k, v)| (*k, v.clone())));
    TestServer::start_with(&settings)
}

/// The tile at zoom `z` holding the default map centre (46.6 N, 2.4 E),
/// shifted by `dx` tiles east.
fn near(z: u32, dx: u32) -> String {
    let side = f64::from(1u32 << z);
    let lat = 46.6f64.to_radians();
    let x = ((2.4 + 180.0) / 360.0 * side) as u32 + dx;
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * side) as u32;
    format!("/tuiles/{z}/{x}/{y}.png")
}

struct Got {
    status: u16,
    mime: String,
    cache: String,
    body: Vec<u8>,
}

/// A tile, as bytes (the support client reads text).
fn get(server: &TestServer, path: &str) -> Got {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent.get(&server.at(path)).call().unwrap();
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (status, mime, cache) = (r.status().as_u16(), header("content-type"), header("cache-control"));
    let body = r.body_mut().read_to_vec().unwrap();
    Got { status, mime, cache, body }
}

/// Every file under `dir`, with its size.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(files_under(&entry.path()));
        } else {
            out.push((entry.path(), meta.len()));
        }
    }
    out
}

/// Every tile file kept under `<data>/tiles/`, with its size.
fn kept(server: &TestServer) -> Vec<(std::path::PathBuf, u64)> {
    files_under(&server.dir.path().join("tiles"))
}

#[test]
fn a_tile_is_fetched_once_then_served_from_the_disk() {
    let upstream = Upstream::start(PNG.to_vec(), Duration::ZERO);
    let server = server_with(&upstream, &[]);
    let tile = near(15, 0);
    let first = get(&server, &tile);
    assert_eq!(first.status, 200);
    assert_eq!(first.body, PNG);
    assert_eq!(first.mime, "image/png");
    assert!(first.cache.starts_with("public, max-age="), "{}", first.cache);
    assert_eq!(upstream.hits(), 1);
    // The tile server's usage policy: a User-Agent naming the application
    // and where it runs.
    let agent = upstream.agents.lock().unwrap()[0].clone();
    assert!(agent.starts_with("Parvis/") && agent.contains(&server.url), "{agent}");

    let again = get(&server, &tile);
    assert_eq!((again.status, again.body.as_slice()), (200, PNG));
    assert_eq!(upstream.hits(), 1, "served from the disk");
    assert_eq!(kept(&server).len(), 1);
    assert_eq!(server.state().tiles.cached_bytes(), PNG.len() as u64);

    // No cookie, no session for a tile: a map asks for dozens.
    let r = Client::new().get(&server.at(&tile));
    assert!(r.header("set-cookie").is_none());
}

#[test]
fn the_pages_name_no_other_host_and_draw_tiles_from_this_site() {
    let upstream = Upstream::start(PNG.to_vec(), Duration::ZERO);
    let server = server_with(&upstream, &[]);
    let box_id = server.write(|tx| {
        let b = IdeaBox {
            title: "Le centre-bourg".into(),
            description: "Vos idées.".into(),
            opens_at: 0,
            closes_at: i64::MAX / 2,
            created_by: AccountId(1),
            ..IdeaBox::default()
        };
        proposals::create_box(tx, b).map(|id| id.get()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let mut c = Client::new();
    for path in ["/".to_string(), format!("/idees/{box_id}/carte"), near(15, 0)] {
        let r = c.get(&server.at(&path));
        let csp = r.header("content-security-policy").unwrap().to_string();
        assert!(csp.contains("img-src 'self' data:;"), "{csp}");
        assert!(!csp.contains("http") && !csp.contains("127.0.0.1") && !csp.contains("openstreetmap"), "{csp}");
    }
    let map = c.get(&server.at(&format!("/idees/{box_id}/carte")));
    assert_eq!(map.status, 200);
    assert!(map.body.contains("data-tiles=\"/tuiles/{z}/{x}/{y}.png\""), "{}", map.body);
    assert!(!map.body.contains(&upstream.url), "the tile server is never named to the browser");

    // No tile server: no tiles, at once, and the map page draws none.
    let without = TestServer::start_with(&[("map.tile_url", Value::Text(String::new()))]);
    let started = Instant::now();
    assert_eq!(get(&without, &near(15, 0)).status, 404);
    assert!(started.elapsed() < Duration::from_secs(2));
    let box_id = without.write(|tx| {
        let b = IdeaBox { title: "B".into(), created_by: AccountId(1), closes_at: i64::MAX / 2, ..IdeaBox::default() };
        proposals::create_box(tx, b).map(|id| id.get()).map_err(|e| StoreError::Internal(e.to_string()))
    });
    let map = Client::new().get(&without.at(&format!("/idees/{box_id}/carte")));
    assert_eq!(map.status, 200);
    assert!(!map.body.contains("data-tiles"), "no tile layer without a tile server");
}

#[test]
fn parallel_requests_for_one_missing_tile_fetch_it_once() {
    let upstream = Upstream::start(PNG.to_vec(), Duration::from_millis(400));
    let server = server_with(&upstream, &[]);
    let tile = near(16, 0);
    let statuses: Vec<(u16, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let got = get(&server, &tile);
                    (got.status, got.body.len())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == (200, PNG.len())), "{statuses:?}");
    assert_eq!(upstream.hits(), 1, "eight requests, one fetch");
}

#[test]
fn the_cache_stays_under_its_limit_least_recently_used_out_first() {
    const TILE: usize = 300 * 1024;
    let upstream = Upstream::start(padded(TILE), Duration::ZERO);
    let server = server_with(&upstream, &[("map.tile_cache_mib", Value::Integer(1))]);
    let limit = 1024 * 1024;
    // Three tiles fit (900 KiB); the first is used again, so the second is
    // the least recently used when the fourth comes.
    for dx in 0..3 {
        assert_eq!(get(&server, &near(15, dx)).status, 200);
    }
    assert_eq!(get(&server, &near(15, 0)).status, 200);
    assert_eq!(upstream.hits(), 3);
    for dx in 3..6 {
        assert_eq!(get(&server, &near(15, dx)).status, 200);
        let total: u64 = kept(&server).iter().map(|(_, n)| n).sum();
        assert!(total <= limit, "{total} bytes kept, over the limit");
        assert_eq!(server.state().tiles.cached_bytes(), total, "the size in memory is the size on disk");
    }
    assert_eq!(upstream.hits(), 6);
    assert_eq!(kept(&server).len(), 3);
    // The three latest are kept: asked again, they cost no fetch.
    for dx in 3..6 {
        get(&server, &near(15, dx));
    }
    assert_eq!(upstream.hits(), 6);
    // The second went first: asked again, it is fetched again.
    get(&server, &near(15, 1));
    assert_eq!(upstream.hits(), 7);

    // At start-up the size is counted from the disk, and a lowered limit
    // trims the cache at once.
    let kept_now: u64 = kept(&server).iter().map(|(_, n)| n).sum();
    let a_folder = kept(&server)[0].0.parent().unwrap().to_path_buf();
    let (_, dir) = server.stop();
    let url = "http://127.0.0.1:9";
    let tile_url = Value::Text(upstream.template());
    let config = config_for(dir.path(), url, &[("map.tile_url", tile_url.clone())]);
    let tiles = parvis::tiles::Tiles::open(&config).unwrap();
    assert_eq!(tiles.cached_bytes(), kept_now);
    drop(tiles);
    // A write cut short by a crash is deleted.
    std::fs::write(a_folder.join("7.part-0123abcd"), b"half a tile").unwrap();
    let config = config_for(dir.path(), url, &[("map.tile_url", tile_url)]);
    let mut small = config.clone();
    small.map.tile_cache_bytes = TILE as u64;
    let tiles = parvis::tiles::Tiles::open(&small).unwrap();
    assert_eq!(tiles.cached_bytes(), TILE as u64);
    let files = files_under(&dir.path().join("tiles"));
    assert_eq!(files.len(), 1, "{files:?}");
}

#[test]
fn a_failing_tile_server_leaves_the_stale_tile_or_a_quick_404() {
    let mut upstream = Upstream::start(PNG.to_vec(), Duration::ZERO);
    let server = server_with(&upstream, &[]);
    let tile = near(15, 0);
    assert_eq!(get(&server, &tile).status, 200);
    upstream.stop();
    // Fetched 40 days ago: past `map.tile_max_age_days` (30).
    let (file, _) = kept(&server).into_iter().next().unwrap();
    let old = SystemTime::now() - Duration::from_secs(40 * 86_400);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();

    let stale = get(&server, &tile);
    assert_eq!((stale.status, stale.body.as_slice()), (200, PNG), "the stale tile is better than none");
    let started = Instant::now();
    let missing = get(&server, &near(15, 1));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.cache, "no-store", "the refusal is not kept: the tile server may come back");
    assert!(started.elapsed() < Duration::from_secs(1), "no wait while the tile server is down");
    assert_eq!(upstream.hits(), 1);
}

#[test]
fn anything_but_a_tile_near_the_commune_is_a_404_that_fetches_nothing() {
    let upstream = Upstream::start(PNG.to_vec(), Duration::ZERO);
    let server = server_with(&upstream, &[]);
    for path in [
        "/tuiles/20/0/0.png",
        "/tuiles/3/8/0.png",
        "/tuiles/3/0/8.png",
        "/tuiles/a/0/0.png",
        "/tuiles/1/-1/0.png",
        "/tuiles/1/+1/0.png",
        "/tuiles/1/1/0.jpg",
        "/tuiles/1/1/0",
        "/tuiles/1/1",
        // The other side of the world: not a tile this commune's maps show.
        "/tuiles/15/0/0.png",
        "/tuiles/15/1/1.png",
    ] {
        assert_eq!(get(&server, path).status, 404, "{path}");
    }
    assert_eq!(upstream.hits(), 0);
    // A tile of the whole world, and one of the commune, are fine.
    assert_eq!(get(&server, "/tuiles/0/0/0.png").status, 200);
    assert_eq!(get(&server, &near(19, 0)).status, 200);
    assert_eq!(upstream.hits(), 2);
}

#[test]
fn an_old_tile_the_tile_server_says_is_unchanged_is_kept_and_young_again() {
    let upstream = Upstream::start_with(PNG.to_vec(), Duration::ZERO, true);
    let server = server_with(&upstream, &[]);
    let tile = near(15, 0);
    assert_eq!(get(&server, &tile).status, 200);
    let (file, _) = kept(&server).into_iter().next().unwrap();
    let old = SystemTime::now() - Duration::from_secs(40 * 86_400);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();

    let again = get(&server, &tile);
    assert_eq!((again.status, again.body.as_slice()), (200, PNG));
    assert_eq!(upstream.hits(), 2, "asked whether it changed");
    let age = std::fs::metadata(&file).unwrap().modified().unwrap().elapsed().unwrap();
    assert!(age < Duration::from_secs(60), "its age starts over: {age:?}");
    get(&server, &tile);
    assert_eq!(upstream.hits(), 2, "young again: not asked again");
}

#[test]
fn the_map_scripts_and_leaflet_icons_are_served_from_this_site() {
    let server = TestServer::start();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    for (asset, mime) in [
        ("js/location.js", "javascript"),
        ("js/map.js", "javascript"),
        ("vendor/leaflet/leaflet.js", "javascript"),
        ("vendor/leaflet/leaflet.css", "text/css"),
        ("vendor/leaflet/images/marker-icon.png", "image/png"),
        ("vendor/leaflet/images/marker-icon-2x.png", "image/png"),
        ("vendor/leaflet/images/marker-shadow.png", "image/png"),
    ] {
        let r = agent.get(&server.at(&parvis::web::assets::url(asset))).call().unwrap();
        assert_eq!(r.status(), 200, "{asset}, served at its hashed address without a redirect");
        let got = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(got.contains(mime), "{asset}: {got}");
    }
}

#[test]
fn tiles_leave_the_last_room_on_the_disk_to_the_database() {
    let upstream = Upstream::start(PNG.to_vec(), Duration::ZERO);
    // A margin larger than any disk here: the disk counts as full.
    let server = server_with(&upstream, &[("data.min_free_mib", Value::Integer(1_000_000))]);
    let tile = near(15, 0);
    assert_eq!(get(&server, &tile).body, PNG, "served all the same");
    assert!(kept(&server).is_empty(), "but not kept");
    assert_eq!(server.state().tiles.cached_bytes(), 0);
}
