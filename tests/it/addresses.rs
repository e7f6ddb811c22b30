//! The commune's address list: `parvis import-addresses` on a stopped and on
//! a running server (through its admin socket), refusals that name the line
//! and column and change nothing, re-imports that replace the list, and the
//! two JSON endpoints the report form's scripts call.

use std::path::{Path, PathBuf};

use parvis::domain::addresses;

use crate::cli::{parvis, run, write_config, Server};
use crate::support::Client;

const SAMPLE: &str = "tests/data/ban-saint-exemple.csv";

fn sample_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)).unwrap()
}

/// The sample's header and its first `n` addresses (Rue de l'Église has the first 10).
fn first_lines(dir: &Path, n: usize) -> PathBuf {
    let sample = sample_text();
    let text: Vec<&str> = sample.lines().take(n + 1).collect();
    let path = dir.join(format!("adresses-{n}.csv"));
    std::fs::write(&path, text.join("\n")).unwrap();
    path
}

/// The sample with the latitude of line 57 written with a comma.
fn malformed(dir: &Path) -> PathBuf {
    let text: Vec<String> = sample_text()
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 56 { l.replace(";45.777099;", ";45,777099;") } else { l.to_string() })
        .collect();
    assert_ne!(text.join("\n"), sample_text().trim_end(), "the sample's line 57 changed: update this test");
    let path = dir.join("adresses-malformed.csv");
    std::fs::write(&path, text.join("\n")).unwrap();
    path
}

fn count_in(data: &Path) -> u64 {
    let db = redb::Database::open(data.join("parvis.redb")).unwrap();
    let tx = redb::ReadableDatabase::begin_read(&db).unwrap();
    addresses::count(&tx).unwrap()
}

fn labels(text: &str) -> Vec<String> {
    let found: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    found.iter().map(|v| v["label"].as_str().unwrap().to_string()).collect()
}

/// On a stopped server: the command opens the database itself.
#[test]
fn the_cli_imports_refuses_a_malformed_file_and_replaces_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = run(parvis(dir.path())
        .args(["demo-data", "--residents", "1", "--proposals", "0", "--comments", "0", "--data-dir"])
        .arg(&data));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("320 addresses of Saint-Exemple imported"), "the demo has the sample's list: {out}");

    let small = first_lines(dir.path(), 20);
    let (code, out, err) = run(parvis(dir.path()).arg("import-addresses").arg(&small).arg("--data-dir").arg(&data));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("20 addresses in 2 streets imported"), "{out}");
    assert!(!out.contains("server is running"), "{out}");
    assert_eq!(count_in(&data), 20, "the new list replaces the demo's");

    let bad = malformed(dir.path());
    let (code, out, err) = run(parvis(dir.path()).arg("import-addresses").arg(&bad).arg("--data-dir").arg(&data));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("line 57, column \"lat\""), "{err}");
    assert!(err.contains("\"45,777099\" is not a latitude") && err.contains("nothing was changed"), "{err}");
    assert_eq!(count_in(&data), 20, "a refused file changes nothing");

    let missing = dir.path().join("absent.csv");
    let (code, _, err) = run(parvis(dir.path()).arg("import-addresses").arg(&missing).arg("--data-dir").arg(&data));
    assert_eq!(code, 1);
    assert!(err.contains("absent.csv"), "{err}");

    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE);
    let (code, out, err) = run(parvis(dir.path()).arg("import-addresses").arg(&full).arg("--data-dir").arg(&data));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("320 addresses in 15 streets imported"), "{out}");
    assert_eq!(count_in(&data), 320);

    let (code, out, err) = run(parvis(dir.path()).args(["verify", "--data-dir"]).arg(&data));
    assert_eq!(code, 0, "{out}{err}");
}

/// On a running server: the import goes through the admin socket, and the
/// endpoints answer from the new list at once.
#[test]
fn a_running_server_imports_over_its_socket_and_answers_suggestions_and_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("parvis.toml");
    write_config(&config, &data, "127.0.0.1:0", "\n[backup]\ninterval_hours = 0\n");
    let (code, out, err) = run(parvis(dir.path())
        .args(["demo-data", "--residents", "1", "--proposals", "0", "--comments", "0", "--config"])
        .arg(&config));
    assert_eq!(code, 0, "{out}{err}");
    let mut serve = parvis(dir.path());
    serve.arg("serve").arg("--config").arg(&config);
    let server = Server::start(serve);
    let mut client = Client::new();
    let at = |path: &str| format!("{}{path}", server.url);

    // Suggestions, as the address field asks for them while a resident types.
    let r = client.get(&at("/adresses/suggestions?q=12%20rue%20de%20l%27egl"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    let found: Vec<serde_json::Value> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(found[0]["label"], "12 Rue de l'Église, 69999 Saint-Exemple");
    assert_eq!((found[0]["lat"].as_f64(), found[0]["lon"].as_f64()), (Some(45.78106), Some(4.608248)));
    let found = labels(&client.get(&at("/adresses/suggestions?q=rue")).body);
    assert!(!found.is_empty() && found.len() <= 8, "{found:?}");
    for short in ["/adresses/suggestions?q=ru", "/adresses/suggestions?q=%20%27-", "/adresses/suggestions"] {
        let r = client.get(&at(short));
        assert_eq!((r.status, r.body.as_str()), (200, "[]"), "{short}");
    }
    assert_eq!(client.get(&at("/adresses/suggestions?q=rue%20des%20papillons")).body, "[]");

    // The nearest address to a pin.
    let r = client.get(&at("/adresses/plus-proche?lat=45.781060&lon=4.608248"));
    assert_eq!(r.status, 200, "{}", r.body);
    let near: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(near["label"], "12 Rue de l'Église, 69999 Saint-Exemple");
    assert_eq!(near["distance_m"].as_f64(), Some(0.0));
    let near: serde_json::Value =
        serde_json::from_str(&client.get(&at("/adresses/plus-proche?lat=45.7812&lon=4.6083")).body).unwrap();
    let d = near["distance_m"].as_f64().unwrap();
    assert!(d > 0.0 && d < 30.0, "{near}");
    let r = client.get(&at("/adresses/plus-proche?lat=48.8566&lon=2.3522"));
    assert_eq!((r.status, r.body.as_str()), (404, r#"{"error":"not_found"}"#));
    for bad in ["?lat=abc&lon=4.6", "?lat=45.7", "?lat=95&lon=4.6", "?lat=NaN&lon=4.6", ""] {
        let r = client.get(&at(&format!("/adresses/plus-proche{bad}")));
        assert_eq!((r.status, r.body.as_str()), (400, r#"{"error":"bad_request"}"#), "{bad}");
    }

    // A newer list, imported while the server runs, answers at once.
    let small = first_lines(dir.path(), 20);
    let (code, out, err) = run(parvis(dir.path()).arg("import-addresses").arg(&small).arg("--config").arg(&config));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("server is running") && out.contains("20 addresses in 2 streets imported"), "{out}");
    assert_eq!(client.get(&at("/adresses/suggestions?q=victor%20hugo")).body, "[]", "the old list is gone");
    let found = labels(&client.get(&at("/adresses/suggestions?q=mairie%2012")).body);
    assert_eq!(found, vec!["12 Place de la Mairie, 69999 Saint-Exemple"]);

    // A malformed file is refused before the server is asked; the list stays.
    let bad = malformed(dir.path());
    let (code, out, err) = run(parvis(dir.path()).arg("import-addresses").arg(&bad).arg("--config").arg(&config));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("line 57, column \"lat\"") && err.contains("nothing was changed"), "{err}");
    let found = labels(&client.get(&at("/adresses/suggestions?q=mairie%2012")).body);
    assert_eq!(found, vec!["12 Place de la Mairie, 69999 Saint-Exemple"]);

    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert_eq!(count_in(&data), 20);
}
