//! What a sign-in costs, and whether sign-ins slow page reads for others.
//!
//! Run with `cargo bench --bench signin`. It measures:
//! 1. the argon2id hash of a password (OWASP parameters, the crate default);
//! 2. page reads of `/` by 4 client threads for a few seconds, alone, then
//!    while 2 more threads sign in as fast as they can (each sign-in checks
//!    an argon2 hash on the server's blocking pool), and compares latencies.
//!
//! Client and server share this machine's cores: the figures compare the
//! two phases of one run, they are not the server's peak throughput.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parvis::config::{Config, Layers, Value};
use parvis::domain::accounts::{self, NewAccount, Role};

const PASSWORD: &str = "la fontaine du lavoir chante en hiver";
const PHASE: Duration = Duration::from_secs(6);
const READERS: usize = 4;
const SIGNERS: usize = 2;

fn main() {
    // 1. The hash itself.
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let _ = accounts::hash_password(PASSWORD).expect("hash");
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "argon2id hash (m=19 MiB, t=2, p=1): median {:.1} ms, min {:.1} ms, max {:.1} ms over 20",
        times[10], times[0], times[19]
    );

    // 2. The server, in this process, on a free port.
    let dir = tempfile::tempdir().expect("temporary directory");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let mut layers = Layers::defaults();
    for (k, v) in [
        ("commune.name", Value::Text("Bench".into())),
        ("server.public_url", Value::Text(url.clone())),
        ("data.dir", Value::Text(dir.path().display().to_string())),
        ("backup.interval_hours", Value::Integer(0)),
        ("log.level", Value::Text("error".into())),
    ] {
        layers.set(k, v).expect("setting");
    }
    let config = Config::from_layers(layers).expect("config");
    let state = parvis::server::prepare(config).expect("prepare");
    let hash = accounts::hash_password(PASSWORD).expect("hash");
    state
        .store
        .writer()
        .write_blocking(move |tx| {
            for i in 0..SIGNERS {
                accounts::create(
                    tx,
                    &NewAccount {
                        email: format!("bench{i}@example.test"),
                        display_name: "Bench".into(),
                        role: Role::Resident,
                        password_hash: hash.clone(),
                        must_change_password: false,
                        language: parvis::i18n::Lang::Fr,
                        neighbourhood: None,
                    },
                )?;
            }
            Ok::<_, accounts::AccountError>(())
        })
        .expect("accounts");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = state.clone();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let _ = rt.block_on(parvis::server::serve_state(listener, serving, async move {
            let _ = stop_rx.await;
        }));
    });
    let agent = agent();
    let deadline = Instant::now() + Duration::from_secs(10);
    while agent.get(format!("{url}/healthz")).call().is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(10));
    }

    println!("{:<32} {:>9} {:>9} {:>9} {:>9} {:>10}", "phase", "reads/s", "p50 ms", "p99 ms", "max ms", "sign-ins/s");
    let alone = phase(&url, false);
    report("page reads alone", &alone);
    let busy = phase(&url, true);
    report("page reads during sign-ins", &busy);
    println!(
        "p99 change under sign-in load: {:+.0} % ({:.2} → {:.2} ms)",
        (busy.p99 / alone.p99 - 1.0) * 100.0,
        alone.p99,
        busy.p99
    );
    drop(state);
    let _ = stop_tx.send(());
    let _ = server.join();
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into()
}

struct Phase {
    reads_per_sec: f64,
    p50: f64,
    p99: f64,
    max: f64,
    sign_ins_per_sec: f64,
}

fn report(name: &str, p: &Phase) {
    println!(
        "{name:<32} {:>9.0} {:>9.2} {:>9.2} {:>9.2} {:>10.1}",
        p.reads_per_sec, p.p50, p.p99, p.max, p.sign_ins_per_sec
    );
}

fn phase(url: &str, with_sign_ins: bool) -> Phase {
    let stop = Arc::new(AtomicBool::new(false));
    let sign_ins = Arc::new(AtomicU64::new(0));
    let mut signers = Vec::new();
    if with_sign_ins {
        for i in 0..SIGNERS {
            let (url, stop, sign_ins) = (url.to_string(), stop.clone(), sign_ins.clone());
            signers.push(std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::Relaxed) {
                    if sign_in(&agent, &url, &format!("bench{i}@example.test")) {
                        sign_ins.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
    }
    let started = Instant::now();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let url = url.to_string();
            std::thread::spawn(move || {
                let agent = agent();
                let mut latencies = Vec::new();
                while started.elapsed() < PHASE {
                    let t = Instant::now();
                    let ok = agent.get(format!("{url}/")).call().is_ok_and(|r| r.status() == 200);
                    assert!(ok, "page read failed");
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<f64> = readers.into_iter().flat_map(|r| r.join().expect("reader")).collect();
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for s in signers {
        let _ = s.join();
    }
    all.sort_by(f64::total_cmp);
    let at = |q: f64| all[((all.len() as f64 - 1.0) * q) as usize];
    Phase {
        reads_per_sec: all.len() as f64 / elapsed,
        p50: at(0.50),
        p99: at(0.99),
        max: at(1.0),
        sign_ins_per_sec: sign_ins.load(Ordering::Relaxed) as f64 / elapsed,
    }
}

/// One sign-in over HTTP, with the form's CSRF token; true when it succeeded.
fn sign_in(agent: &ureq::Agent, url: &str, email: &str) -> bool {
    let Ok(mut page) = agent.get(format!("{url}/connexion")).call() else { return false };
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let body = page.body_mut().read_to_string().unwrap_or_default();
    let marker = "name=\"_csrf\" value=\"";
    let Some(start) = body.find(marker).map(|i| i + marker.len()) else { return false };
    let token = &body[start..start + body[start..].find('"').unwrap_or(0)];
    agent
        .post(format!("{url}/connexion"))
        .header("cookie", &cookie)
        .send_form([("email", email), ("password", PASSWORD), ("_csrf", token)])
        .is_ok_and(|r| r.status() == 303)
}
