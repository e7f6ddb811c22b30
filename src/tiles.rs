//! Map tiles through Parvis: the server fetches each tile from the tile
//! server named by `map.tile_url`, keeps it on disk under `<data>/tiles/`,
//! and serves it from the commune's own site.
//!
//! Why: a map drawn from a third-party tile server sends every resident's IP
//! address, and the places they look at, to that server. Through Parvis,
//! residents' browsers talk only to the commune's site, the CSP stays
//! `'self'`, and the tile server sees one well-behaved client (OpenStreetMap's
//! tile usage policy: an identifying User-Agent, tiles cached, no bulk
//! download) instead of every visitor.
//!
//! The cache is bounded twice: in size (`map.tile_cache_mib`, least recently
//! used tiles deleted first; the size is kept in memory and counted from the
//! disk at start-up) and in age (`map.tile_max_age_days`: an older tile is
//! fetched again, and still served when the tile server fails). Requests for
//! the same missing tile wait for one fetch. A failing tile server is left
//! alone for [`BACKOFF`], during which missing tiles are refused at once:
//! pages fall back to their text lists rather than wait.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use tokio::io::AsyncReadExt;
use tokio::sync::{OnceCell, Semaphore};

use crate::config::Config;

/// The deepest zoom served: OpenStreetMap's standard tiles stop at 19.
pub const MAX_ZOOM: u8 = 19;

/// How long the tile server may take: a map whose tiles take longer is worse
/// than the text list the page shows beside it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// After a failure of the tile server (no answer, an error status, a refusal),
/// no request is sent to it for this long.
pub const BACKOFF: Duration = Duration::from_secs(30);

/// Fetches at once: the tile usage policy of OpenStreetMap asks clients to
/// keep to a few connections.
const PARALLEL_FETCHES: usize = 4;

/// A tile larger than this is refused (raster tiles weigh tens of KiB).
const MAX_TILE_BYTES: usize = 1024 * 1024;

/// How far from the map's centre tiles are served, in degrees of latitude
/// (longitude: one and a half times as much). A commune fits well inside;
/// without a bound, anyone could make the commune's server download the
/// world's tiles through it, until the tile server blocks it.
const AREA_LAT_DEGREES: f64 = 0.5;
const AREA_LON_DEGREES: f64 = 0.75;

/// One tile of the Web Mercator grid (the `{z}/{x}/{y}` of tile URLs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// A tile of the grid: zoom 0 to [`MAX_ZOOM`], x and y below 2^z.
    pub fn new(z: u32, x: u32, y: u32) -> Option<TileId> {
        let z = u8::try_from(z).ok().filter(|z| *z <= MAX_ZOOM)?;
        let side = 1u32 << z;
        (x < side && y < side).then_some(TileId { z, x, y })
    }

    /// Where the tile is kept: `<dir>/<z>/<x>/<y>.tile` (PNG, JPEG or WebP,
    /// as the tile server sent it).
    fn path(&self, dir: &Path) -> PathBuf {
        dir.join(self.z.to_string()).join(self.x.to_string()).join(format!("{}.tile", self.y))
    }

    /// The tile's extent: (south, west, north, east) in degrees.
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let side = f64::from(1u32 << self.z);
        let lon = |x: f64| x / side * 360.0 - 180.0;
        let lat = |y: f64| (std::f64::consts::PI * (1.0 - 2.0 * y / side)).sinh().atan().to_degrees();
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        (lat(y + 1.0), lon(x), lat(y), lon(x + 1.0))
    }
}

/// A tile's bytes and their type.
#[derive(Clone, Debug)]
pub struct Tile {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
}

impl Tile {
    /// A tile only if its bytes are an image of a type browsers draw: an
    /// error page sent with a 200 must not be cached, nor served as a tile
    /// from the commune's origin.
    fn checked(bytes: Vec<u8>) -> Option<Tile> {
        let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if bytes.starts_with(b"\xff\xd8\xff") {
            "image/jpeg"
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            "image/webp"
        } else {
            return None;
        };
        Some(Tile { bytes, mime })
    }
}

/// Why a start-up could not prepare the tiles.
#[derive(Debug, thiserror::Error)]
pub enum TilesError {
    #[error("map.tile_url: cannot make the HTTP client that fetches tiles: {0}")]
    Client(String),
}

/// The tile proxy and its disk cache; one per server, in `AppState`.
pub struct Tiles {
    upstream: Option<Upstream>,
    dir: PathBuf,
    limit_bytes: u64,
    max_age: Duration,
    /// `data.min_free_mib`: tiles must not eat the room the database keeps.
    min_free_bytes: u64,
    area: (f64, f64, f64, f64),
    index: Mutex<Index>,
    in_flight: Mutex<HashMap<TileId, Arc<OnceCell<Outcome>>>>,
    down_until: Mutex<Option<Instant>>,
    fetches: Semaphore,
}

struct Upstream {
    template: String,
    client: reqwest::Client,
}

/// What one fetch from the tile server gave; shared by everyone who waited
/// for it.
#[derive(Clone, Debug)]
enum Outcome {
    Fresh(Tile),
    /// 304: the tile kept on disk is still the current one.
    Unchanged,
    Failed,
}

impl Tiles {
    /// Prepares the proxy: the HTTP client, and the cache's size counted
    /// from the disk (`<data>/tiles/`), trimmed to the limit if it was lowered.
    pub fn open(config: &Config) -> Result<Tiles, TilesError> {
        let upstream = if config.map.tile_url.is_empty() {
            None
        } else {
            // The tile usage policy of OpenStreetMap asks for a User-Agent that
            // names the application and a way to reach whoever runs it.
            let public = config.server.public_url.as_str();
            let agent = format!("Parvis/{} (+{public})", env!("CARGO_PKG_VERSION"));
            let mut headers = reqwest::header::HeaderMap::new();
            if let Ok(referer) = reqwest::header::HeaderValue::from_str(public) {
                headers.insert(reqwest::header::REFERER, referer);
            }
            let client = reqwest::Client::builder()
                .user_agent(agent)
                .default_headers(headers)
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(REQUEST_TIMEOUT)
                .redirect(reqwest::redirect::Policy::limited(3))
                .build()
                .map_err(|e| TilesError::Client(e.to_string()))?;
            Some(Upstream { template: config.map.tile_url.clone(), client })
        };
        let dir = config.data_dir.join("tiles");
        let (lat, lon) = (config.map.center_lat, config.map.center_lon);
        let tiles = Tiles {
            upstream,
            limit_bytes: config.map.tile_cache_bytes,
            max_age: config.map.tile_max_age,
            min_free_bytes: config.min_free_bytes,
            area: (lat - AREA_LAT_DEGREES, lon - AREA_LON_DEGREES, lat + AREA_LAT_DEGREES, lon + AREA_LON_DEGREES),
            index: Mutex::new(Index::default()),
            in_flight: Mutex::new(HashMap::new()),
            down_until: Mutex::new(None),
            fetches: Semaphore::new(PARALLEL_FETCHES),
            dir,
        };
        tiles.count_disk();
        Ok(tiles)
    }

    /// The bytes kept on disk now, as counted by the cache.
    pub fn cached_bytes(&self) -> u64 {
        lock(&self.index).total
    }

    /// Whether tiles are served at all (`map.tile_url` is set).
    pub fn enabled(&self) -> bool {
        self.upstream.is_some()
    }

    /// Whether the tile lies near the commune (see [`AREA_LAT_DEGREES`]).
    fn near(&self, id: TileId) -> bool {
        let (south, west, north, east) = id.bounds();
        let (a_south, a_west, a_north, a_east) = self.area;
        south <= a_north && north >= a_south && west <= a_east && east >= a_west
    }

    /// The tile, from the disk or the tile server; `None` when there is none
    /// to serve (no tile server, a tile far from the commune, the tile server
    /// failing with no copy kept).
    pub async fn get(&self, id: TileId) -> Option<Tile> {
        let upstream = self.upstream.as_ref()?;
        if !self.near(id) {
            return None;
        }
        let cached = self.read_cached(id).await;
        if let Some((tile, fetched)) = &cached {
            if fetched.elapsed().unwrap_or_default() < self.max_age {
                return Some(tile.clone());
            }
        }
        let since = cached.as_ref().map(|(_, fetched)| *fetched);
        match self.fetch_once(upstream, id, since).await {
            Outcome::Fresh(tile) => Some(tile),
            Outcome::Unchanged => match cached {
                Some((tile, _)) => Some(tile),
                None => self.read_cached(id).await.map(|(tile, _)| tile),
            },
            // A stale tile is better than none.
            Outcome::Failed => cached.map(|(tile, _)| tile),
        }
    }

    /// The tile kept on disk and when it was fetched; a use, for the LRU order.
    async fn read_cached(&self, id: TileId) -> Option<(Tile, SystemTime)> {
        let path = id.path(&self.dir);
        let read = async {
            let file = tokio::fs::File::open(&path).await?;
            let modified = file.metadata().await?.modified()?;
            let mut bytes = Vec::new();
            file.take(MAX_TILE_BYTES as u64 + 1).read_to_end(&mut bytes).await?;
            Ok::<_, std::io::Error>((bytes, modified))
        };
        match read.await {
            Ok((bytes, modified)) => {
                let size = bytes.len() as u64;
                match Tile::checked(bytes) {
                    Some(tile) => {
                        lock(&self.index).touch(id, size);
                        Some((tile, modified))
                    }
                    None => {
                        tracing::warn!(path = %path.display(), "a cached tile is not an image: deleted");
                        self.forget(&[id]).await;
                        None
                    }
                }
            }
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %path.display(), error = %e, "cannot read a cached tile");
                }
                lock(&self.index).remove(id);
                None
            }
        }
    }

    /// Fetches the tile, once for all the requests that want it meanwhile.
    async fn fetch_once(&self, upstream: &Upstream, id: TileId, since: Option<SystemTime>) -> Outcome {
        let cell = lock(&self.in_flight).entry(id).or_default().clone();
        let waiting = Waiting { in_flight: &self.in_flight, id, cell };
        // If the request that started the fetch goes away, a waiting one
        // takes it over: `get_or_init` runs the next caller's future.
        waiting.cell.get_or_init(|| self.fetch(upstream, id, since)).await.clone()
    }

    async fn fetch(&self, upstream: &Upstream, id: TileId, since: Option<SystemTime>) -> Outcome {
        if lock(&self.down_until).is_some_and(|until| Instant::now() < until) {
            return Outcome::Failed;
        }
        let Ok(_permit) = self.fetches.acquire().await else { return Outcome::Failed };
        let url = tile_url(&upstream.template, id);
        let mut request = upstream.client.get(&url);
        if let Some(since) = since {
            // A tile that has not changed costs the tile server a 304.
            if let Ok(at) = jiff::Timestamp::try_from(since) {
                let printer = jiff::fmt::rfc2822::DateTimePrinter::new();
                if let Ok(date) = printer.timestamp_to_rfc9110_string(&at) {
                    request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
                }
            }
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return self.failed(id, &e.to_string()),
        };
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED && since.is_some() {
            self.mark_fetched(id).await;
            return Outcome::Unchanged;
        }
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            // This tile does not exist there; the server itself is fine.
            return Outcome::Failed;
        }
        if !status.is_success() {
            return self.failed(id, &format!("status {status}"));
        }
        let bytes = match read_capped(response).await {
            Ok(bytes) => bytes,
            Err(e) => return self.failed(id, &e),
        };
        let Some(tile) = Tile::checked(bytes) else {
            return self.failed(id, "the answer is not a PNG, JPEG or WebP image");
        };
        self.store(id, &tile.bytes).await;
        Outcome::Fresh(tile)
    }

    /// Leaves the tile server alone for [`BACKOFF`], and says so once.
    fn failed(&self, id: TileId, why: &str) -> Outcome {
        let mut down = lock(&self.down_until);
        let already = down.is_some_and(|until| Instant::now() < until);
        *down = Some(Instant::now() + BACKOFF);
        if !already {
            tracing::warn!(
                tile = %format!("{}/{}/{}", id.z, id.x, id.y),
                error = %why,
                "the tile server failed: cached tiles only for {} s",
                BACKOFF.as_secs()
            );
        }
        Outcome::Failed
    }

    /// Keeps a fetched tile (written aside, then renamed: a reader never
    /// sees half a tile) and deletes the least recently used ones past the limit.
    async fn store(&self, id: TileId, bytes: &[u8]) {
        let path = id.path(&self.dir);
        let needed = self.min_free_bytes.saturating_add(bytes.len() as u64);
        if crate::store::db::free_bytes(self.dir.parent().unwrap_or(self.dir.as_path()))
            .is_some_and(|free| free < needed)
        {
            // Served all the same; the disk's last room is the database's.
            return;
        }
        let mut suffix = [0u8; 6];
        let _ = getrandom::fill(&mut suffix);
        let partial = path.with_extension(format!("part-{}", hex::encode(suffix)));
        let written = async {
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            tokio::fs::write(&partial, bytes).await?;
            tokio::fs::rename(&partial, &path).await
        };
        if let Err(e) = written.await {
            // Served all the same; only the cache misses it.
            tracing::warn!(path = %path.display(), error = %e, "cannot keep a tile on disk");
            let _ = tokio::fs::remove_file(&partial).await;
            return;
        }
        let evicted = lock(&self.index).insert(id, bytes.len() as u64, self.limit_bytes);
        self.forget(&evicted).await;
    }

    /// A 304 makes the kept tile current again: its age starts over.
    async fn mark_fetched(&self, id: TileId) {
        let path = id.path(&self.dir);
        let touched = tokio::task::spawn_blocking(move || {
            std::fs::File::options().write(true).open(&path)?.set_modified(SystemTime::now())
        })
        .await;
        if let Ok(Err(e)) = touched {
            tracing::warn!(error = %e, "cannot mark a cached tile as current");
        }
    }

    async fn forget(&self, ids: &[TileId]) {
        for id in ids {
            lock(&self.index).remove(*id);
            match tokio::fs::remove_file(id.path(&self.dir)).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(error = %e, "cannot delete a cached tile"),
            }
        }
    }

    /// Counts the tiles on disk into the index, oldest first (the LRU order
    /// of a previous run is not kept: fetch time stands in for it), deletes
    /// leftovers of interrupted writes, and trims to the limit.
    fn count_disk(&self) {
        let mut found: Vec<(SystemTime, TileId, u64)> = Vec::new();
        let mut leftovers = Vec::new();
        for (z, z_dir) in numbered_entries(&self.dir) {
            for (x, x_dir) in numbered_entries(&z_dir) {
                let Ok(files) = std::fs::read_dir(&x_dir) else { continue };
                for file in files.flatten() {
                    let path = file.path();
                    let name = file.file_name().to_string_lossy().into_owned();
                    let tile =
                        name.strip_suffix(".tile").and_then(|y| y.parse().ok()).and_then(|y| TileId::new(z, x, y));
                    match (tile, file.metadata()) {
                        (Some(id), Ok(meta)) if meta.is_file() => {
                            found.push((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), id, meta.len()))
                        }
                        _ if name.contains(".part-") => leftovers.push(path),
                        _ => {}
                    }
                }
            }
        }
        for path in leftovers {
            let _ = std::fs::remove_file(path);
        }
        found.sort();
        let mut evicted = Vec::new();
        {
            let mut index = lock(&self.index);
            for (_, id, size) in found {
                evicted.extend(index.insert(id, size, self.limit_bytes));
            }
        }
        for id in evicted {
            let _ = std::fs::remove_file(id.path(&self.dir));
        }
        let index = lock(&self.index);
        if index.total > 0 {
            tracing::info!(tiles = index.entries.len(), bytes = index.total, "tile cache counted");
        }
    }
}

/// A request's share in a fetch. When the last one goes, done or given up
/// (the browser went away), the fetch leaves the in-flight table: a later
/// request reads the disk again, or starts a new fetch.
struct Waiting<'a> {
    in_flight: &'a Mutex<HashMap<TileId, Arc<OnceCell<Outcome>>>>,
    id: TileId,
    cell: Arc<OnceCell<Outcome>>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut in_flight = lock(self.in_flight);
        let ours = in_flight.get(&self.id).is_some_and(|c| Arc::ptr_eq(c, &self.cell));
        // Held by the table and this request only, or done: nobody else
        // needs it (requests still waiting hold their own share).
        if ours && (self.cell.initialized() || Arc::strong_count(&self.cell) <= 2) {
            in_flight.remove(&self.id);
        }
    }
}

/// The sub-directories of `dir` named by a number.
fn numbered_entries(dir: &Path) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path())))
        .filter(|(_, p): &(u32, PathBuf)| p.is_dir())
        .collect()
}

/// The tile's address at the tile server. `{s}` takes one of the usual
/// sub-domains a, b, c, always the same for a tile (so caches along the way work).
fn tile_url(template: &str, id: TileId) -> String {
    let sub = ["a", "b", "c"][((id.x as usize) + (id.y as usize)) % 3];
    template
        .replace("{z}", &id.z.to_string())
        .replace("{x}", &id.x.to_string())
        .replace("{y}", &id.y.to_string())
        .replace("{s}", sub)
        .replace("{r}", "")
}

/// The body, refused past [`MAX_TILE_BYTES`] without reading further.
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    if response.content_length().is_some_and(|n| n > MAX_TILE_BYTES as u64) {
        return Err("the tile is too large".into());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if bytes.len() + chunk.len() > MAX_TILE_BYTES {
            return Err("the tile is too large".into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A lock that a panicked holder does not make unusable: the data behind it
/// (sizes, in-flight fetches) stays consistent enough to go on.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The tiles on disk, their sizes, and their order of last use.
#[derive(Default)]
struct Index {
    /// Size and last-use tick of each tile.
    entries: HashMap<TileId, (u64, u64)>,
    /// Tiles by last-use tick, least recent first.
    order: BTreeMap<u64, TileId>,
    total: u64,
    clock: u64,
}

impl Index {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// A use of a tile kept on disk (counted if it was not yet).
    fn touch(&mut self, id: TileId, size: u64) {
        let tick = self.tick();
        match self.entries.get_mut(&id) {
            Some((_, used)) => {
                self.order.remove(used);
                *used = tick;
            }
            None => {
                self.entries.insert(id, (size, tick));
                self.total += size;
            }
        }
        self.order.insert(tick, id);
    }

    /// Records a tile just written; returns the tiles to delete to get back
    /// under `limit`, least recently used first (never the new one).
    fn insert(&mut self, id: TileId, size: u64, limit: u64) -> Vec<TileId> {
        self.remove(id);
        let tick = self.tick();
        self.entries.insert(id, (size, tick));
        self.order.insert(tick, id);
        self.total += size;
        let mut evicted = Vec::new();
        while self.total > limit {
            let Some((_, oldest)) = self.order.pop_first() else { break };
            if oldest == id {
                self.order.insert(tick, id);
                break;
            }
            if let Some((size, _)) = self.entries.remove(&oldest) {
                self.total -= size;
            }
            evicted.push(oldest);
        }
        evicted
    }

    fn remove(&mut self, id: TileId) {
        if let Some((size, used)) = self.entries.remove(&id) {
            self.order.remove(&used);
            self.total -= size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tiles_of_the_grid_exist() {
        assert!(TileId::new(0, 0, 0).is_some());
        assert!(TileId::new(0, 1, 0).is_none());
        assert!(TileId::new(3, 7, 7).is_some());
        assert!(TileId::new(3, 8, 0).is_none());
        assert!(TileId::new(3, 0, 8).is_none());
        assert!(TileId::new(19, (1 << 19) - 1, 0).is_some());
        assert!(TileId::new(20, 0, 0).is_none());
        assert!(TileId::new(u32::MAX, 0, 0).is_none());
    }

    #[test]
    fn a_tile_knows_its_extent() {
        let (south, west, north, east) = TileId::new(1, 1, 0).unwrap().bounds();
        assert!((west - 0.0).abs() < 1e-9 && (east - 180.0).abs() < 1e-9);
        assert!((south - 0.0).abs() < 1e-9 && (north - 85.0511).abs() < 1e-3);
    }

    #[test]
    fn the_url_template_is_filled_in() {
        let id = TileId::new(15, 16_777, 11_695).unwrap();
        assert_eq!(
            tile_url("https://{s}.tile.example.fr/{z}/{x}/{y}{r}.png", id),
            "https://c.tile.example.fr/15/16777/11695.png"
        );
        assert_eq!(tile_url("http://h/{z}/{x}/{y}", TileId::new(1, 1, 0).unwrap()), "http://h/1/1/0");
    }

    #[test]
    fn only_images_are_tiles() {
        assert_eq!(Tile::checked(b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap().mime, "image/png");
        assert_eq!(Tile::checked(b"\xff\xd8\xff\xe0".to_vec()).unwrap().mime, "image/jpeg");
        assert_eq!(Tile::checked(b"RIFF\0\0\0\0WEBPVP8 ".to_vec()).unwrap().mime, "image/webp");
        assert!(Tile::checked(b"<html>blocked</html>".to_vec()).is_none());
    }

    #[test]
    fn the_least_recently_used_tiles_go_first() {
        let t = |y| TileId::new(5, 0, y).unwrap();
        let mut index = Index::default();
        assert!(index.insert(t(1), 40, 100).is_empty());
        assert!(index.insert(t(2), 40, 100).is_empty());
        index.touch(t(1), 40);
        // Over the limit: t(2), used least recently, goes.
        assert_eq!(index.insert(t(3), 40, 100), vec![t(2)]);
        assert_eq!(index.total, 80);
        // A tile larger than the limit empties the rest but stays.
        assert_eq!(index.insert(t(4), 150, 100), vec![t(1), t(3)]);
        assert_eq!(index.total, 150);
        assert_eq!(index.entries.len(), 1);
        // Written again: counted once.
        assert_eq!(index.insert(t(4), 60, 100), vec![]);
        assert_eq!(index.total, 60);
        index.remove(t(4));
        assert_eq!((index.total, index.order.len()), (0, 0));
    }
}
