//! TLS with certificate files: the handshake, HSTS, the HTTP → HTTPS redirect,
//! and a renewed certificate picked up without a restart.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use parvis::config::Value;

use crate::support::config_for;

struct Cert {
    pem: String,
    key: String,
    der: Vec<u8>,
}

fn self_signed() -> Cert {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    Cert {
        pem: cert.serialize_pem().unwrap(),
        key: cert.serialize_private_key_pem(),
        der: cert.serialize_der().unwrap(),
    }
}

fn install(dir: &Path, cert: &Cert) {
    // Written beside then renamed, as certbot and friends do.
    std::fs::write(dir.join("key.pem.new"), &cert.key).unwrap();
    std::fs::write(dir.join("cert.pem.new"), &cert.pem).unwrap();
    std::fs::rename(dir.join("key.pem.new"), dir.join("key.pem")).unwrap();
    std::fs::rename(dir.join("cert.pem.new"), dir.join("cert.pem")).unwrap();
}

/// An HTTPS client that trusts only `cert`.
fn client_trusting(cert: &Cert) -> ureq::Agent {
    let root = ureq::tls::Certificate::from_der(&cert.der).to_owned();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[root])).build();
    ureq::Agent::config_builder().tls_config(tls).max_redirects(0).http_status_as_error(false).build().into()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn https_with_certificate_files_redirect_and_reload() {
    parvis::server::tls::FILES_CHECK_EVERY_MS.store(50, std::sync::atomic::Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let first = self_signed();
    install(dir.path(), &first);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let redirect_port = free_port();
    let base = format!("https://localhost:{port}");
    let config = config_for(
        dir.path(),
        &base,
        &[
            ("server.tls", Value::Text("files".into())),
            ("server.tls_cert", Value::Text(dir.path().join("cert.pem").display().to_string())),
            ("server.tls_key", Value::Text(dir.path().join("key.pem").display().to_string())),
            ("server.http_redirect_listen", Value::Text(format!("127.0.0.1:{redirect_port}"))),
        ],
    );
    let state = parvis::server::prepare(config).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(parvis::server::serve_state(listener, state, async move {
            let _ = stopped.await;
        }))
        .map_err(|e| e.to_string())
    });

    let agent = client_trusting(&first);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if agent.get(format!("{base}/healthz")).call().is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "no TLS answer");
        std::thread::sleep(Duration::from_millis(20));
    }
    let home = agent.get(format!("{base}/")).call().unwrap();
    assert_eq!(home.status(), 200);
    assert!(home.headers().get("strict-transport-security").is_some(), "HSTS under TLS");
    let cookie = home
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(cookie.contains("__Host-parvis-csrf") && cookie.contains("Secure"), "{cookie}");

    // Plain HTTP is sent to the same path on HTTPS.
    let plain: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let r = plain.get(format!("http://127.0.0.1:{redirect_port}/accessibilite?langue=fr")).call().unwrap();
    assert_eq!(r.status(), 301);
    assert_eq!(r.headers().get("location").unwrap().to_str().unwrap(), format!("{base}/accessibilite?langue=fr"));

    // A client that does not trust the certificate is refused.
    let second = self_signed();
    let trusting_second = client_trusting(&second);
    assert!(trusting_second.get(format!("{base}/healthz")).call().is_err());

    // The certificate is renewed on disk: the server uses it without a restart.
    install(dir.path(), &second);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if trusting_second.get(format!("{base}/healthz")).call().is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the new certificate was not picked up");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(agent.get(format!("{base}/healthz")).call().is_err(), "the old certificate is gone");

    let _ = stop.send(());
    assert_eq!(thread.join().unwrap(), Ok(()));
}

#[test]
fn an_unreadable_or_broken_certificate_is_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), "not a certificate").unwrap();
    std::fs::write(dir.path().join("key.pem"), "not a key").unwrap();
    let files = |cert: &str| {
        vec![
            ("server.tls", Value::Text("files".into())),
            ("server.tls_cert", Value::Text(dir.path().join(cert).display().to_string())),
            ("server.tls_key", Value::Text(dir.path().join("key.pem").display().to_string())),
        ]
    };
    let missing = parvis::server::prepare(config_for(dir.path(), "https://localhost", &files("absent.pem")))
        .err()
        .unwrap()
        .to_string();
    assert!(missing.contains("server.tls_cert") && missing.contains("absent.pem"), "{missing}");
    let broken = parvis::server::prepare(config_for(dir.path(), "https://localhost", &files("cert.pem")))
        .err()
        .unwrap()
        .to_string();
    assert!(broken.contains("server.tls_cert") && broken.contains("no certificate"), "{broken}");
}
