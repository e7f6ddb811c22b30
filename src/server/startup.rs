//! Start-up checks: the data directory, the files the configuration names,
//! the instance's secret key; then the shared state.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::ServeError;
use crate::app::AppState;
use crate::config::{Config, TlsMode};
use crate::crypto::Keys;
use crate::store::{encryption, Store, StoreError};
use crate::web;

/// Binds the listening socket, with a clear message when the port is taken.
pub fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, ServeError> {
    std::net::TcpListener::bind(addr).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortBusy { addr },
        _ => ServeError::CannotListen { addr, source },
    })
}

/// Refuses a missing or unwritable data directory before anything else.
pub fn check_data_dir(dir: &Path) -> Result<(), ServeError> {
    let meta = std::fs::metadata(dir).map_err(|_| ServeError::DataDirMissing(dir.to_path_buf()))?;
    if !meta.is_dir() {
        return Err(ServeError::DataDirNotDir(dir.to_path_buf()));
    }
    let probe = dir.join(".parvis-write-test");
    std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"ok"))
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|source| ServeError::DataDirUnwritable { path: dir.to_path_buf(), source })
}

/// Checks that files named by the configuration can be read.
pub fn check_files(config: &Config) -> Result<(), ServeError> {
    let mut files: Vec<(&'static str, &Path)> = Vec::new();
    if let TlsMode::Files { cert, key } = &config.server.tls {
        files.push(("server.tls_cert", cert));
        files.push(("server.tls_key", key));
    }
    if let Some(logo) = &config.commune.logo {
        files.push(("commune.logo", logo));
    }
    for (key, path) in files {
        std::fs::File::open(path).map_err(|source| ServeError::Unreadable { key, path: path.to_path_buf(), source })?;
    }
    if let TlsMode::Files { cert, key } = &config.server.tls {
        crate::server::tls::check_files(cert, key)?;
    }
    Ok(())
}

/// Reads the secret key of this instance, creating it (mode 0600) on first start.
pub fn load_or_create_secret(data_dir: &Path) -> Result<[u8; 32], ServeError> {
    let path = data_dir.join("secret.key");
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() == 32 => {
            let mut key = [0u8; 32];
            key.copy_from_slice(&bytes);
            Ok(key)
        }
        Ok(_) => Err(ServeError::Config(format!(
            "{} is damaged (it must hold 32 bytes): delete it and restart; open forms will have to be sent again",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|e| ServeError::Config(format!("no system randomness: {e}")))?;
            write_private(&path, &key)
                .map_err(|source| ServeError::DataDirUnwritable { path: path.clone(), source })?;
            Ok(key)
        }
        Err(source) => Err(ServeError::Unreadable { key: "data.dir", path, source }),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Reads the encryption key (`data.key_file`), creating it for a new
/// database or one from before encryption; a database that records a key
/// is never given a new one (it could not read what the old one sealed).
pub fn load_keys(config: &Config) -> Result<Arc<Keys>, ServeError> {
    let (keys, created) = encryption::load_or_create(&config.key_file, &config.db_path()).map_err(|e| match e {
        StoreError::Key(e) => ServeError::Config(format!("data.key_file: {e}")),
        e => ServeError::Store(e),
    })?;
    if created {
        tracing::warn!(
            key_file = %config.key_file.display(),
            fingerprint = %keys.fingerprint_hex(),
            "created the encryption key: keep a copy of it apart from the backups (without it, the two-factor secrets and the queued mail are lost)"
        );
    }
    Ok(Arc::new(keys))
}

/// Builds the state: checks files, opens the store, reads the secret.
pub fn prepare(config: Config) -> Result<Arc<AppState>, ServeError> {
    check_data_dir(&config.data_dir)?;
    check_files(&config)?;
    crate::mail::sender::check_config(&config).map_err(|e| ServeError::Config(e.to_string()))?;
    let secret = load_or_create_secret(&config.data_dir)?;
    let logo = match &config.commune.logo {
        Some(path) => Some(crate::app::Generated::from_file(path).map_err(|source| ServeError::Unreadable {
            key: "commune.logo",
            path: path.clone(),
            source,
        })?),
        None => None,
    };
    let theme = web::assets::theme_css(&config.commune.colour);
    let keys = load_keys(&config)?;
    let store =
        Store::open_with(&config.db_path(), config.cache_mib, config.min_free_bytes, Some(&config.backup.dir), keys)
            .map_err(|e| match e {
                StoreError::WrongKey { .. } => ServeError::Config(format!("data.key_file: {e}")),
                e => ServeError::Store(e),
            })?;
    let csp = web::middleware::content_security_policy();
    let tiles = crate::tiles::Tiles::open(&config).map_err(|e| ServeError::Config(e.to_string()))?;
    let search = crate::search::Search::open(&config);
    let held_words = Arc::new(crate::domain::moderation::screen::HeldWords::of(&config));
    let nav_pages = std::sync::RwLock::new(Arc::new(crate::domain::pages::in_nav(&store.read()?)?));
    Ok(Arc::new(AppState {
        config,
        store,
        secret,
        theme,
        logo,
        certificate: Default::default(),
        http_metrics: Default::default(),
        limiter: Default::default(),
        heavy: crate::ratelimit::HeavyWork::for_this_machine(),
        csp,
        started: Instant::now(),
        search,
        box_lists: Default::default(),
        kept_pages: Default::default(),
        kept_answers: Default::default(),
        held_words,
        tiles,
        nav_pages,
    }))
}
