//! The `parvis` binary itself: configuration checks, `init`, start-up refusals.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The real binary, with a clean environment: no `PARVIS_*` from the caller,
/// logs at `warn` (or the caller's `RUST_LOG`),
/// and the working directory set so no `./parvis.toml` is picked up by chance.
pub fn parvis(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parvis"));
    for (name, _) in std::env::vars() {
        if name.starts_with("PARVIS_") {
            cmd.env_remove(name);
        }
    }
    // Quiet logs unless the person running the tests asks for them.
    cmd.env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()));
    cmd.current_dir(cwd).stdin(Stdio::null());
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = cmd.output().unwrap();
    (status.code().unwrap_or(-1), String::from_utf8_lossy(&stdout).into(), String::from_utf8_lossy(&stderr).into())
}

/// A minimal valid configuration serving from `data_dir` on `listen`.
pub fn write_config(path: &Path, data_dir: &Path, listen: &str, extra: &str) {
    let text = format!(
        "[commune]\nname = \"Testville\"\n\n[server]\npublic_url = \"http://{listen}\"\nlisten = \"{listen}\"\n\n[data]\ndir = \"{}\"\n{extra}",
        data_dir.display()
    );
    std::fs::write(path, text).unwrap();
}

/// A `parvis serve` (or `demo`) child process, stopped with SIGTERM when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// What the command printed before it said where it listens.
    pub banner: Vec<String>,
}

impl Server {
    /// Starts `cmd` (which must print "Parvis listening on http://ADDR") and polls `/healthz`.
    pub fn start(mut cmd: Command) -> Server {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut banner = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Parvis listening on ") {
                    let url = url.split_whitespace().next().unwrap_or_default().to_string();
                    let _ = tx.send((url, std::mem::take(&mut banner)));
                } else {
                    banner.push(line);
                }
            }
        });
        let (url, banner) = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not say where it listens: {:?}", child.wait());
            }
        };
        let server = Server { child, url, banner };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        loop {
            if let Ok(r) = agent.get(&format!("{}/healthz", self.url)).call() {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the server did not become healthy");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then waits: the exit status of a graceful stop.
    pub fn stop(mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            unsafe {
                libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
            }
            let _ = self.child.wait();
        }
    }
}

#[test]
fn check_config_names_an_unknown_key_its_line_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parvis.toml");
    std::fs::write(&config, "[commune]\nname = \"Testville\"\nnmae = \"Typo\"\n").unwrap();
    let (code, _, err) = run(parvis(dir.path()).arg("check-config").arg("--config").arg(&config));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("commune.nmae"), "{err}");
    assert!(err.contains(&format!("{}:3", config.display())), "{err}");
    assert!(err.contains("did you mean `commune.name`"), "{err}");
}

#[test]
fn check_config_shows_sources_and_hides_the_smtp_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let config = dir.path().join("parvis.toml");
    write_config(
        &config,
        &data,
        "127.0.0.1:8080",
        "\n[smtp]\nhost = \"mail.test\"\nfrom = \"Mairie <m@x.test>\"\npassword = \"hunter2-tres-secret\"\n",
    );
    let (code, out, err) =
        run(parvis(dir.path()).arg("check-config").arg("--config").arg(&config).env("PARVIS_SMTP_USERNAME", "envuser"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("hunter2") && !err.contains("hunter2"), "{out}{err}");
    let line = out.lines().find(|l| l.trim_start().starts_with("smtp.password")).unwrap();
    assert!(line.contains("hidden") && line.contains("parvis.toml:"), "{line}");
    let line = out.lines().find(|l| l.trim_start().starts_with("smtp.username")).unwrap();
    assert!(line.contains("envuser") && line.contains("$PARVIS_SMTP_USERNAME"), "{line}");
    let line = out.lines().find(|l| l.trim_start().starts_with("map.zoom")).unwrap();
    assert!(line.contains("default"), "{line}");

    // The same secret from the environment is hidden as well.
    let (code, out, err) = run(parvis(dir.path())
        .arg("check-config")
        .env("PARVIS_CONFIG", &config)
        .env("PARVIS_SMTP_PASSWORD", "from-env-secret"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("from-env-secret") && !err.contains("from-env-secret"));
}

#[test]
fn check_config_refuses_a_missing_data_dir_and_unreadable_tls_files() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parvis.toml");
    write_config(&config, &dir.path().join("nowhere"), "127.0.0.1:8080", "");
    let (code, _, err) = run(parvis(dir.path())
        .arg("check-config")
        .arg("--config")
        .arg(&config)
        .env("PARVIS_SERVER_TLS", "files")
        .env("PARVIS_SERVER_TLS_CERT", dir.path().join("cert.pem"))
        .env("PARVIS_SERVER_TLS_KEY", dir.path().join("key.pem")));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("data.dir") && err.contains("nowhere"), "{err}");
    assert!(err.contains("server.tls_cert") && err.contains("cert.pem"), "{err}");
}

#[test]
fn a_value_outside_a_settings_choices_is_refused_naming_the_key_the_value_and_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let config = dir.path().join("parvis.toml");
    write_config(&config, &data, "127.0.0.1:0", "\n[log]\nformat = \"xml\"\n\n[languages]\ndefault = \"de\"\n");
    let (code, out, err) = run(parvis(dir.path())
        .arg("check-config")
        .arg("--config")
        .arg(&config)
        .env("PARVIS_SMTP_SECURITY", "ssl")
        .env("PARVIS_SERVER_TLS", "https"));
    assert_eq!(code, 2, "{out}{err}");
    for expected in [
        r#"log.format ("#,
        r#""xml" is not a valid choice: use one of "text", "json""#,
        r#"languages.default ("#,
        r#""de" is not a valid choice: use one of "fr", "en""#,
        r#"smtp.security ($PARVIS_SMTP_SECURITY): "ssl" is not a valid choice: use one of "starttls", "tls", "none""#,
        r#"server.tls ($PARVIS_SERVER_TLS): "https" is not a valid choice: use one of "off", "files", "acme""#,
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    assert!(err.contains(&format!("{}:12", config.display())), "the file and line of the value: {err}");

    // `serve` refuses it at start-up, before listening.
    let (code, out, err) =
        run(parvis(dir.path()).arg("--config").arg(&config).env("PARVIS_ACCESSIBILITY_STATUS", "partial"));
    assert_eq!(code, 2, "{out}{err}");
    assert!(!out.contains("listening"), "{out}");
    assert!(
        err.contains(r#"accessibility.status ($PARVIS_ACCESSIBILITY_STATUS): "partial" is not a valid choice: use one of "non", "partielle", "totale""#),
        "{err}"
    );
}

#[test]
fn print_example_is_the_committed_example() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(parvis(dir.path()).args(["check-config", "--print-example"]));
    assert_eq!(code, 0);
    assert_eq!(out, include_str!("../../config/parvis.example.toml"));
}

#[test]
fn init_creates_a_private_data_dir_a_config_and_a_one_time_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("var/parvis");
    let args = |out: &str| {
        let mut cmd = parvis(dir.path());
        cmd.args(["init", "--data-dir"])
            .arg(&data)
            .args(["--commune", "Saint-Exemple", "--url", "https://participer.saint-exemple.test"])
            .args(["--admin-email", "Maire@Saint-Exemple.test", "--config-out", out]);
        cmd
    };
    let (code, out, err) = run(&mut args("parvis.toml"));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
    // The encryption key beside the configuration, not in the data directory
    // (a copy of the data or a backup then does not carry its key).
    let key = dir.path().join("parvis.key");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(!data.join("parvis.key").exists());
    assert!(out.contains(&key.display().to_string()) && out.contains("apart from the backups"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.split("one-time password: ").nth(1))
        .unwrap_or_else(|| panic!("no password in {out}"))
        .trim()
        .to_string();
    assert_eq!(password.len(), 23, "{password}");
    assert_eq!(password.matches('-').count(), 3);

    // The written configuration is valid, names the commune and the data directory.
    let config = dir.path().join("parvis.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("name = \"Saint-Exemple\"") && text.contains(&data.display().to_string()));
    let (code, out, err) = run(parvis(dir.path()).arg("check-config"));
    assert_eq!(code, 0, "./parvis.toml is found by default: {out}{err}");

    // The database holds the admin, who must change the one-time password.
    let (code, out, _) = run(parvis(dir.path()).arg("verify"));
    assert_eq!(code, 0, "{out}");
    {
        let db = parvis::store::db::verify_file(&data.join("parvis.redb")).unwrap();
        assert!(db.is_ok());
        // The key beside the configuration, where the server looks for it.
        let store = crate::backup::open_with_key(&data.join("parvis.redb"), &dir.path().join("parvis.key"));
        let tx = store.read().unwrap();
        let admin = parvis::domain::accounts::find_by_email(&tx, "maire@saint-exemple.test").unwrap().unwrap();
        assert_eq!(admin.role, parvis::domain::accounts::Role::Admin);
        assert!(admin.must_change_password);
        assert!(parvis::domain::accounts::password_matches(&password, &admin.password_hash));
        // Let go of the database before the next command opens it.
        drop(tx);
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(store.close());
    }

    // A second init refuses: the configuration exists…
    let (code, _, err) = run(&mut args("parvis.toml"));
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    // …and with another config file, the database already has an admin.
    let (code, _, err) = run(&mut args("other.toml"));
    assert_ne!(code, 0);
    assert!(err.contains("already initialised"), "{err}");
    assert!(!dir.path().join("other.toml").exists());
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);
}

#[test]
fn serve_refuses_a_missing_data_dir_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parvis.toml");
    write_config(&config, &dir.path().join("missing"), "127.0.0.1:0", "");
    let (code, _, err) = run(parvis(dir.path()).arg("serve").arg("--config").arg(&config));
    assert_ne!(code, 0);
    assert!(err.contains("data.dir") && err.contains("missing"), "{err}");
}

#[test]
fn serve_refuses_a_busy_port_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let config = dir.path().join("parvis.toml");
    write_config(&config, dir.path(), &addr, "");
    // No subcommand: `serve` is the default.
    let (code, _, err) = run(parvis(dir.path()).arg("--config").arg(&config));
    assert_ne!(code, 0);
    assert!(err.contains(&addr) && err.contains("already in use") && err.contains("server.listen"), "{err}");
}

#[test]
fn demo_starts_with_data_and_gives_a_fresh_admin_password_at_each_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let start = || {
        let mut cmd = parvis(dir.path());
        cmd.args(["demo", "--listen", "127.0.0.1:0", "--residents", "20", "--data-dir"]).arg(&data);
        Server::start(cmd)
    };
    let password_of = |server: &Server| {
        let text = server.banner.join("\n");
        assert!(text.contains("admin@saint-exemple.test") && text.contains(&server.url), "{text}");
        assert!(text.contains("Mot de passe") && text.contains("Password: "), "{text}");
        server.banner.iter().find_map(|l| l.split("Password: ").nth(1)).unwrap().trim().to_string()
    };
    let codes_of = |server: &Server| {
        let i = server.banner.iter().position(|l| l.contains("recovery codes, each works once")).unwrap();
        server.banner[i + 1].split_whitespace().map(str::to_string).collect::<Vec<_>>()
    };
    let first = start();
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
    let password = password_of(&first);
    // What the banner says is enough to sign in, second factor included.
    let codes = codes_of(&first);
    assert_eq!(codes.len(), 8);
    let mut browser = crate::support::Client::new();
    let page = browser.get(&format!("{}/connexion", first.url));
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let r = browser.post_form(
        &format!("{}/connexion", first.url),
        &[("email", "admin@saint-exemple.test"), ("password", &password), ("_csrf", &token), ("suivant", "/compte")],
    );
    assert!(r.header("location").unwrap().starts_with("/connexion/code"), "{}", r.body);
    // The form tokens are tied to the session: the code page gives its own.
    let page = browser.get(&format!("{}/connexion/code", first.url));
    let token = crate::support::hidden_field(&page.body, "_csrf").unwrap();
    let r = browser.post_form(
        &format!("{}/connexion/code", first.url),
        &[("code", &codes[0]), ("_csrf", &token), ("suivant", "/compte")],
    );
    assert_eq!(r.header("location"), Some("/compte"));
    let account = browser.get(&format!("{}/compte", first.url));
    assert!(account.body.contains("Administrat"), "{}", account.body);
    assert!(first.stop().success());
    let second = start();
    let again = password_of(&second);
    assert_ne!(password, again);
    assert!(second.stop().success());

    let store = crate::backup::open_with_key(&data.join("parvis.redb"), &data.join("parvis.key"));
    let tx = store.read().unwrap();
    // The residents, the admin and the pilot group's member, once.
    assert_eq!(parvis::domain::accounts::count(&tx).unwrap(), 22, "demo data is created once");
    let admin = parvis::domain::accounts::find_by_email(&tx, "admin@saint-exemple.test").unwrap().unwrap();
    assert!(parvis::domain::accounts::password_matches(&again, &admin.password_hash));
    assert!(!parvis::domain::accounts::password_matches(&password, &admin.password_hash));
}
