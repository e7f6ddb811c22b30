//! The server: the one route table, the middleware stack and graceful
//! shutdown. Start-up checks are in [`startup`], their errors in [`error`];
//! the state every handler shares is [`crate::app::AppState`].

pub mod error;
pub mod metrics;
pub mod startup;
pub mod tls;

pub use error::ServeError;
pub use startup::{bind, check_data_dir, check_files, prepare};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poem::listener::TcpAcceptor;
use poem::{get, post, EndpointExt, Route};

use crate::app::AppState;
use crate::config::Config;
use crate::store::StoreError;
use crate::web;
use crate::web::account;

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
    let acceptor =
        crate::server::tls::acceptor(listener, &state.config, state.certificate.clone(), stop_rx.clone()).await?;
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
        tokio::spawn(crate::mail::run_sender(state.store.clone(), Arc::new(state.config.clone()), stop_rx.clone())),
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
                    crate::server::tls::redirect_endpoint(&target),
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
        let endpoint = crate::server::metrics::endpoint(state.clone());
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
