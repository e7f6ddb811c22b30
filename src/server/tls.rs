//! TLS: certificate files reloaded when they change, or certificates from
//! Let's Encrypt (ACME) renewed a month before they expire; and the plain
//! HTTP listener that sends everyone to HTTPS.
//!
//! poem's own ACME listener renews 12 hours before expiry, so an ACME outage
//! of a day takes the site down. Here the renewal runs with poem's ACME
//! client but Parvis's schedule: from 30 days before expiry, retried every
//! hour, the certificate cached in the data directory so a restart never
//! depends on Let's Encrypt being reachable.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use poem::listener::acme::{
    issue_cert, seconds_until_expiry, AcmeClient, ChallengeType, ResolveServerCert, ResolvedCertListener,
};
use poem::listener::{AcceptorExt, BoxAcceptor, Listener, RustlsCertificate, RustlsConfig, TcpAcceptor};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use tokio::sync::watch;

use super::ServeError;
use crate::app::CertificateState;
use crate::config::{Config, TlsMode};

/// Renew when fewer than this many seconds are left (Let's Encrypt
/// certificates last 90 days: a month leaves time for long outages).
pub const RENEW_BEFORE_SECS: i64 = 30 * 24 * 3600;
/// How often the certificate is looked at (files: changed? ACME: due?).
const CHECK_EVERY: Duration = Duration::from_secs(3600);
/// How often certificate files are checked for a change, in milliseconds
/// (a static so that tests can shorten it).
pub static FILES_CHECK_EVERY_MS: AtomicU64 = AtomicU64::new(10_000);

/// A std listener already bound, as a poem [`Listener`].
struct Bound(std::net::TcpListener);

impl Listener for Bound {
    type Acceptor = TcpAcceptor;

    async fn into_acceptor(self) -> std::io::Result<TcpAcceptor> {
        self.0.set_nonblocking(true)?;
        TcpAcceptor::from_std(self.0)
    }
}

/// Builds what accepts connections on `listener`: plain, or TLS as configured.
pub async fn acceptor(
    listener: std::net::TcpListener,
    config: &Config,
    certificate: Arc<CertificateState>,
    stop: watch::Receiver<bool>,
) -> Result<BoxAcceptor, ServeError> {
    match &config.server.tls {
        TlsMode::Off => Ok(Bound(listener).into_acceptor().await?.boxed()),
        TlsMode::Files { cert, key } => {
            let first = load_files(cert, key)?;
            certificate.expires_at.store(first.1, Ordering::Relaxed);
            let stream = file_configs(cert.clone(), key.clone(), first, certificate);
            Ok(Bound(listener).into_acceptor().await?.rustls(stream).boxed())
        }
        TlsMode::Acme { contact, directory } => {
            let domain = config
                .server
                .public_url
                .host_str()
                .ok_or_else(|| ServeError::Config("server.public_url has no host name for the certificate".into()))?
                .to_string();
            let resolver = Arc::new(ResolveServerCert::default());
            let cache = config.data_dir.join("acme");
            if let Some(cached) = load_cached(&cache) {
                certificate.expires_at.store(expiry_of(&cached), Ordering::Relaxed);
                *resolver.cert.write() = Some(Arc::new(cached));
            }
            tokio::spawn(renew(
                resolver.clone(),
                Renewal { domain, contact: contact.clone(), directory: directory.clone(), cache },
                certificate,
                stop,
            ));
            let listener = ResolvedCertListener::new(Bound(listener), resolver, ChallengeType::TlsAlpn01);
            Ok(listener.into_acceptor().await?.boxed())
        }
    }
}

/// Checks at start-up that the certificate files can be served.
pub fn check_files(cert: &Path, key: &Path) -> Result<(), ServeError> {
    load_files(cert, key).map(|_| ())
}

/// Reads and checks a certificate chain and key; returns the poem config
/// and the certificate's expiry.
fn load_files(cert: &Path, key: &Path) -> Result<(RustlsConfig, i64), ServeError> {
    let cert_pem = std::fs::read(cert).map_err(|source| ServeError::Unreadable {
        key: "server.tls_cert",
        path: cert.into(),
        source,
    })?;
    let key_pem = std::fs::read(key).map_err(|source| ServeError::Unreadable {
        key: "server.tls_key",
        path: key.into(),
        source,
    })?;
    let certified = certified_key(&cert_pem, &key_pem).map_err(|problem| {
        ServeError::Config(format!(
            "server.tls_cert / server.tls_key: {problem}: give a PEM certificate chain and its private key"
        ))
    })?;
    let expires = expiry_of(&certified);
    let config = RustlsConfig::new().fallback(RustlsCertificate::new().cert(cert_pem).key(key_pem));
    Ok((config, expires))
}

/// Parses PEM text into a key rustls can serve.
fn certified_key(cert_pem: &[u8], key_pem: &[u8]) -> Result<CertifiedKey, String> {
    let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut &cert_pem[..])
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the certificate is not valid PEM ({e})"))?;
    if certs.is_empty() {
        return Err("no certificate found in the certificate file".into());
    }
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut &key_pem[..])
        .map_err(|e| format!("the key is not valid PEM ({e})"))?
        .ok_or("no private key found in the key file")?;
    let signing =
        rustls::crypto::ring::sign::any_supported_type(&key).map_err(|e| format!("unusable private key ({e})"))?;
    Ok(CertifiedKey::new(certs, signing))
}

fn expiry_of(key: &CertifiedKey) -> i64 {
    let left = seconds_until_expiry(key);
    if left == 0 {
        return 0;
    }
    crate::domain::now_unix() + left
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The first configuration, then a new one each time either file changes.
/// A broken pair (half-written during a renewal) is skipped: the old
/// certificate stays in use and the next check tries again.
fn file_configs(
    cert: PathBuf,
    key: PathBuf,
    first: (RustlsConfig, i64),
    certificate: Arc<CertificateState>,
) -> futures_util::stream::BoxStream<'static, RustlsConfig> {
    let seen = (modified(&cert), modified(&key));
    let later = futures_util::stream::unfold(
        (cert, key, seen, certificate),
        |(cert, key, mut seen, certificate)| async move {
            loop {
                tokio::time::sleep(files_check_every()).await;
                let now = (modified(&cert), modified(&key));
                if now == seen {
                    continue;
                }
                match load_files(&cert, &key) {
                    Ok((config, expires)) => {
                        seen = now;
                        certificate.expires_at.store(expires, Ordering::Relaxed);
                        tracing::info!(cert = %cert.display(), "TLS certificate reloaded");
                        return Some((config, (cert, key, seen, certificate)));
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the new TLS certificate cannot be used yet; the previous one stays")
                    }
                }
            }
        },
    );
    futures_util::stream::once(async move { first.0 }).chain(later).boxed()
}

fn files_check_every() -> Duration {
    Duration::from_millis(FILES_CHECK_EVERY_MS.load(Ordering::Relaxed).max(10))
}

struct Renewal {
    domain: String,
    contact: String,
    directory: String,
    cache: PathBuf,
}

fn load_cached(dir: &Path) -> Option<CertifiedKey> {
    let cert = std::fs::read(dir.join("cert.pem")).ok()?;
    let key = std::fs::read(dir.join("key.pem")).ok()?;
    match certified_key(&cert, &key) {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(problem = %e, "the cached ACME certificate cannot be used; a new one will be requested");
            None
        }
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let partial = path.with_extension("partial");
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&partial)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(partial, path)
}

/// Whether a certificate expiring at `expires_at` should be renewed at `now`.
pub fn renewal_due(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_none_or(|t| t - now < RENEW_BEFORE_SECS)
}

async fn renew(
    resolver: Arc<ResolveServerCert>,
    job: Renewal,
    certificate: Arc<CertificateState>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let current = resolver.cert.read().as_ref().map(|c| expiry_of(c)).filter(|t| *t > 0);
        if renewal_due(current, crate::domain::now_unix()) {
            match request(&resolver, &job).await {
                Ok(expires) => {
                    certificate.expires_at.store(expires, Ordering::Relaxed);
                    tracing::info!(domain = %job.domain, "TLS certificate obtained from the ACME directory");
                }
                Err(e) => {
                    // The current certificate, if any, keeps serving; try again later.
                    tracing::error!(domain = %job.domain, error = %e, days_left = current.map(|t| (t - crate::domain::now_unix()) / 86_400), "cannot renew the TLS certificate; retrying in an hour");
                }
            }
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}

async fn request(resolver: &ResolveServerCert, job: &Renewal) -> std::io::Result<i64> {
    let contacts = vec![format!("mailto:{}", job.contact.trim_start_matches("mailto:"))];
    let mut client = AcmeClient::try_new(&job.directory, contacts).await?;
    let issued = issue_cert(&mut client, resolver, &[job.domain.as_str()], ChallengeType::TlsAlpn01, None).await?;
    std::fs::create_dir_all(&job.cache)?;
    write_private(&job.cache.join("key.pem"), issued.private_pem.as_bytes())?;
    write_private(&job.cache.join("cert.pem"), &issued.public_pem)?;
    let expires = expiry_of(&issued.rustls_key);
    *resolver.cert.write() = Some(issued.rustls_key);
    Ok(expires)
}

/// The plain HTTP listener that sends every request to the HTTPS site.
pub fn redirect_endpoint(public_url: &url::Url) -> impl poem::Endpoint {
    let base = public_url.as_str().trim_end_matches('/').to_string();
    poem::endpoint::make_sync(move |req| {
        let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let mut resp = poem::Response::builder().status(poem::http::StatusCode::MOVED_PERMANENTLY).finish();
        if let Ok(v) = poem::http::HeaderValue::from_str(&format!("{base}{path}")) {
            resp.headers_mut().insert(poem::http::header::LOCATION, v);
        }
        resp
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_starts_a_month_before_expiry() {
        let now = 1_800_000_000;
        assert!(renewal_due(None, now), "no certificate yet");
        assert!(!renewal_due(Some(now + 60 * 86_400), now));
        assert!(renewal_due(Some(now + 29 * 86_400), now));
        assert!(renewal_due(Some(now - 10), now), "expired");
    }

    #[test]
    fn broken_pem_is_explained() {
        assert!(certified_key(b"nope", b"nope").unwrap_err().contains("no certificate"));
    }
}
