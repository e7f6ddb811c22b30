//! The server: shared state, the one route table, the middleware stack,
//! start-up checks and graceful shutdown.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use poem::listener::TcpAcceptor;
use poem::{get, post, EndpointExt, Route};

use crate::config::{Config, TlsMode};
use crate::store::{Store, StoreError};
use crate::web;
use crate::web::account;

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    /// Key of the CSRF tokens, kept in `<data>/secret.key`.
    pub secret: [u8; 32],
    /// `/theme/<hash>.css`: the commune's colour as CSS variables.
    pub theme: web::assets::Generated,
    /// The commune's logo, read once at start-up.
    pub logo: Option<web::assets::Generated>,
    /// Wakes the mail sender after a commit that queued a message.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Counters of the HTTP responses, for metrics.
    pub http_metrics: crate::metrics::HttpMetrics,
    /// The TLS certificate in use (expiry), for metrics and readiness.
    pub certificate: Arc<crate::tls::CertificateState>,
    /// Abuse limits on sign-in, sign-up, reset and two-factor attempts.
    pub limiter: web::ratelimit::RateLimiter,
    /// The Content-Security-Policy header, computed once.
    pub csp: String,
    pub started: Instant,
    /// Full-text search: the index in `<data>/search/`, fed by its own task.
    pub search: crate::search::Search,
    /// Each idea box's proposal ids, for the random order of its list.
    pub box_ids: crate::domain::proposals::BoxIds,
}

impl AppState {
    pub fn is_https(&self) -> bool {
        self.config.is_https()
    }
}

/// Why the server cannot start; each message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("data.dir: the data directory {0} does not exist: create it with `parvis init`, or set data.dir to an existing directory")]
    DataDirMissing(PathBuf),
    #[error("data.dir: {0} is not a directory: set data.dir to a directory")]
    DataDirNotDir(PathBuf),
    #[error("data.dir: Parvis cannot write in {path} ({source}): give the directory to the user that runs Parvis (chown), or set data.dir to a writable directory")]
    DataDirUnwritable { path: PathBuf, source: std::io::Error },
    #[error("server.listen: the address {addr} is already in use by another program: stop that program, or choose another port in server.listen")]
    PortBusy { addr: SocketAddr },
    #[error("server.listen: cannot listen on {addr} ({source}): ports below 1024 need the CAP_NET_BIND_SERVICE capability; choose an address of this machine and a free port")]
    CannotListen { addr: SocketAddr, source: std::io::Error },
    #[error("{key}: cannot read {path} ({source}): check the path and that the user running Parvis may read it")]
    Unreadable { key: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the server stopped with an error: {0}")]
    Io(#[from] std::io::Error),
}

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
        crate::tls::check_files(cert, key)?;
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

/// Builds the state: checks files, opens the store, reads the secret.
pub fn prepare(config: Config) -> Result<Arc<AppState>, ServeError> {
    check_data_dir(&config.data_dir)?;
    check_files(&config)?;
    crate::mail::sender::check_config(&config).map_err(|e| ServeError::Config(e.to_string()))?;
    let secret = load_or_create_secret(&config.data_dir)?;
    let logo = match &config.commune.logo {
        Some(path) => Some(web::assets::Generated::from_file(path).map_err(|source| ServeError::Unreadable {
            key: "commune.logo",
            path: path.clone(),
            source,
        })?),
        None => None,
    };
    let theme = web::assets::theme_css(&config.commune.colour);
    let store = Store::open_with(&config.db_path(), config.cache_mib, config.min_free_bytes, Some(&config.backup.dir))?;
    let csp = web::middleware::content_security_policy(&config.map.tile_url);
    let search = crate::search::Search::open(&config.data_dir);
    Ok(Arc::new(AppState {
        config,
        store,
        secret,
        theme,
        logo,
        mail_wake: Default::default(),
        certificate: Default::default(),
        http_metrics: Default::default(),
        limiter: Default::default(),
        csp,
        started: Instant::now(),
        search,
        box_ids: Default::default(),
    }))
}

/// The one route table.
pub fn routes(state: Arc<AppState>) -> impl poem::Endpoint {
    let pages = Route::new()
        .at("/", get(web::home::home))
        .at("/mentions-legales", get(web::legal::legal_notice))
        .at("/donnees-personnelles", get(web::legal::privacy))
        .at("/accessibilite", get(web::legal::accessibility))
        .at("/recherche", get(web::search::page))
        .at("/langue", post(web::lang::switch))
        .at("/inscription", get(account::sign_up::show).post(account::sign_up::submit_form))
        .at("/inscription/envoye", get(account::sign_up::sent))
        .at("/connexion", get(account::sign_in::show).post(account::sign_in::submit_form))
        .at("/connexion/code", get(account::sign_in::code_show).post(account::sign_in::code_submit))
        .at("/deconnexion", post(account::sign_in::sign_out))
        .at("/session/prolonger", post(account::sign_in::extend))
        .at("/mot-de-passe-oublie", get(account::password::forgot_show).post(account::password::forgot))
        .at("/mot-de-passe-oublie/envoye", get(account::password::forgot_sent))
        .at("/mot-de-passe/nouveau", get(account::password::reset_show).post(account::password::reset))
        .at("/compte", get(account::settings::overview))
        .at("/compte/confirmer", get(account::email::confirm_show).post(account::email::confirm))
        .at("/compte/renvoyer-confirmation", post(account::email::resend))
        .at("/compte/courriel", get(account::email::change_show).post(account::email::change))
        .at("/compte/mot-de-passe", get(account::password::change_show).post(account::password::change))
        .at("/compte/confirmer-identite", get(account::settings::reauth_show).post(account::settings::reauth))
        .at("/compte/sessions", get(account::settings::sessions_list))
        .at("/compte/sessions/revoquer", post(account::settings::revoke))
        .at("/compte/double-authentification", get(account::two_factor::overview))
        .at("/compte/double-authentification/commencer", post(account::two_factor::start))
        .at(
            "/compte/double-authentification/configurer",
            get(account::two_factor::setup).post(account::two_factor::confirm),
        )
        .at("/compte/double-authentification/codes", post(account::two_factor::renew_codes))
        .at("/compte/double-authentification/desactiver", post(account::two_factor::disable));
    // admin and personal data
    let pages = pages
        .at("/admin", get(web::admin::home))
        .at("/admin/comptes", get(web::admin::accounts::list))
        .at("/admin/comptes/:id", get(web::admin::accounts::show))
        .at("/admin/comptes/:id/role", post(web::admin::accounts::change_role))
        .at("/admin/comptes/:id/bloquer", post(web::admin::accounts::block))
        .at("/admin/comptes/:id/debloquer", post(web::admin::accounts::unblock))
        .at("/admin/invitations", get(web::admin::invitations::show).post(web::admin::invitations::invite))
        .at("/invitation", get(web::admin::invitations::accept_show).post(web::admin::invitations::accept))
        .at("/admin/journal", get(web::admin::journal::journal))
        .at("/compte/mes-donnees", get(account::data::show))
        .at("/compte/mes-donnees.json", get(account::data::download))
        .at("/compte/supprimer", get(account::data::delete_show).post(account::data::delete));
    let pages = pages.at("/admin/courriels", get(web::outbox::list)).at("/admin/systeme", get(web::system::overview));
    // comments and moderation
    let pages = pages
        .at("/commentaires/nouveau", post(web::comments::actions::create))
        .at("/commentaires/:id", get(web::comments::permalink))
        .at("/commentaires/:id/modifier", get(web::comments::actions::edit_show).post(web::comments::actions::edit))
        .at(
            "/commentaires/:id/supprimer",
            get(web::comments::actions::delete_show).post(web::comments::actions::delete),
        )
        .at("/commentaires/:id/utile", post(web::comments::actions::useful))
        .at("/discussions/:kind/:id", get(web::comments::discussion_page))
        .at("/signaler", get(web::moderation::report_show).post(web::moderation::report))
        .at("/admin/moderation", get(web::moderation::queue::list))
        .at("/admin/moderation/:kind/:id", get(web::moderation::queue::show))
        .at("/admin/moderation/:kind/:id/masquer", post(web::moderation::queue::hide_content))
        .at("/admin/moderation/:kind/:id/publier", post(web::moderation::queue::publish))
        .at("/admin/moderation/:kind/:id/bloquer", post(web::moderation::queue::block_author));
    // ideas and proposals
    let pages = pages
        .at("/idees", get(web::proposals::boxes::index))
        .at("/idees/:id", get(web::proposals::boxes::show))
        .at("/idees/:id/carte", get(web::proposals::boxes::map))
        .at("/fichiers/:name", get(web::proposals::boxes::file))
        .at("/idees/:id/proposer", get(web::proposals::boxes::new_form).post(web::proposals::boxes::create))
        .at("/propositions/semblables", get(web::proposals::boxes::similar_fragment))
        .at("/propositions/:id", get(web::proposals::page::show))
        .at("/propositions/:id/soutien", post(web::proposals::page::support))
        .at("/propositions/:id/suivi", post(web::proposals::page::follow))
        .at("/ce-que-nous-avons-fait", get(web::proposals::staff::accountability))
        .at("/admin/idees/nouvelle", get(web::proposals::staff::new_box_form).post(web::proposals::staff::create_box))
        .at(
            "/admin/propositions/:id",
            get(web::proposals::staff::answer_form).post(web::proposals::staff::answer_submit),
        )
        .at("/admin/propositions/:id/jalon", post(web::proposals::staff::milestone_submit))
        .at("/compte/notifications", get(account::notifications::list).post(account::notifications::mark_read));
    Route::new()
        .nest("/", pages)
        .at("/healthz", get(web::health::healthz))
        .at("/readyz", get(web::health::readyz))
        .at("/assets/:hash/*path", get(web::assets::asset))
        .at("/theme/:file", get(web::assets::theme))
        .at("/logo/:file", get(web::assets::logo))
        .at("/robots.txt", get(web::assets::robots))
        .around(web::middleware::csrf)
        .around(web::middleware::errors)
        .around(web::middleware::security_headers)
        .around(web::middleware::access_log)
        .data(state)
}

/// Serves Parvis on `listener` until `shutdown` resolves, then finishes the
/// requests in flight, commits queued writes and closes the database.
pub async fn serve(
    listener: std::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let state = prepare(config)?;
    serve_state(listener, state, shutdown).await
}

/// [`serve`] with a state already prepared.
pub async fn serve_state(
    listener: std::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let acceptor = crate::tls::acceptor(listener, &state.config, state.certificate.clone(), stop_rx.clone()).await?;
    let redirect = match state.config.server.http_redirect_listen {
        Some(at) => Some(bind(at)?),
        None => None,
    };
    let metrics = match state.config.server.metrics_listen {
        Some(at) => Some(bind(at)?),
        None => None,
    };
    let background = vec![
        tokio::spawn(crate::admin_socket::run(state.config.admin_socket_path(), state.store.clone(), stop_rx.clone())),
        tokio::spawn(crate::store::backup::run_schedule(
            state.store.clone(),
            state.config.backup.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::mail::run_sender(
            state.store.clone(),
            Arc::new(state.config.clone()),
            state.mail_wake.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::search::run_indexer(state.search.clone(), state.store.clone(), stop_rx.clone())),
        tokio::spawn(purge_expired(state.clone(), stop_rx.clone())),
    ];
    let mut background = background;
    if let Some(plain) = redirect {
        let target = state.config.server.public_url.clone();
        let mut stop = stop_rx.clone();
        plain.set_nonblocking(true)?;
        let plain = TcpAcceptor::from_std(plain)?;
        background.push(tokio::spawn(async move {
            let served = poem::Server::new_with_acceptor(plain)
                .run_with_graceful_shutdown(
                    crate::tls::redirect_endpoint(&target),
                    async move {
                        let _ = stop.changed().await;
                    },
                    Some(Duration::from_secs(5)),
                )
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the HTTP to HTTPS redirect stopped");
            }
        }));
    }
    if let Some(listener) = metrics {
        let endpoint = crate::metrics::endpoint(state.clone());
        let mut stop = stop_rx.clone();
        listener.set_nonblocking(true)?;
        let acceptor = TcpAcceptor::from_std(listener)?;
        background.push(tokio::spawn(async move {
            let served = poem::Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    endpoint,
                    async move {
                        let _ = stop.changed().await;
                    },
                    Some(Duration::from_secs(5)),
                )
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        }));
    }
    tracing::info!(%addr, url = %state.config.server.public_url, "Parvis is serving");
    let store = state.store.clone();
    let result = poem::Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(routes(state), shutdown, Some(Duration::from_secs(30)))
        .await;
    let _ = stop_tx.send(true);
    for task in background {
        let _ = task.await;
    }
    store.close().await;
    tracing::info!("Parvis has stopped; every acknowledged write is committed");
    result.map_err(ServeError::from)
}

/// Once an hour: forget expired sessions and audit events past their retention.
async fn purge_expired(state: Arc<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let retention_secs = i64::from(state.config.retention.audit_days) * 86_400;
    let lifetime = state.config.sessions;
    loop {
        let now = crate::domain::now_unix();
        let purged = state
            .store
            .write(move |tx| {
                let sessions = crate::domain::sessions::purge_expired(tx, lifetime, now)?;
                // Bounded per pass so a long-unpurged log never makes one huge transaction.
                let events = crate::domain::audit::purge_before(tx, now - retention_secs, 10_000)?;
                Ok::<_, StoreError>((sessions, events))
            })
            .await;
        match purged {
            Ok((0, 0)) => {}
            Ok((sessions, events)) => tracing::info!(sessions, events, "expired sessions and old audit events purged"),
            Err(e) => tracing::error!(error = %e, "cannot purge expired sessions and old audit events"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}
