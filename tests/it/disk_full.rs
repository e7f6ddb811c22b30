//! A full disk: writes fail with a clear page and a log line, reads go on, and
//! the service recovers by itself when space returns. Runs on a small tmpfs
//! (needs root to mount it, as in CI; elsewhere the test says it is skipped).

use std::path::{Path, PathBuf};
use std::process::Command;

use parvis::config::Value;
use parvis::domain::accounts::{self, NewAccount, Role};

use crate::accounts::{make_account, post, sign_in};
use crate::support::{Client, TestServer};

struct Tmpfs {
    _parent: tempfile::TempDir,
    path: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("data");
        std::fs::create_dir(&path).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { _parent: parent, path })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Fills the file system with a file until only `leave` bytes are free.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let filler = dir.join("filler");
    let free = rustix::fs::statvfs(dir).map(|s| s.f_bavail * s.f_frsize).unwrap();
    let size = free.saturating_sub(leave);
    let data = vec![0x5au8; 64 * 1024];
    let mut f = std::fs::File::create(&filler).unwrap();
    let mut written = 0u64;
    use std::io::Write;
    while written + data.len() as u64 <= size {
        if f.write_all(&data).is_err() {
            break;
        }
        written += data.len() as u64;
    }
    let _ = f.sync_all();
    filler
}

fn sign_up(c: &mut Client, server: &TestServer, email: &str) -> u16 {
    post(
        c,
        server,
        "/inscription",
        "/inscription",
        &[("display_name", "Disque Plein"), ("email", email), ("password", "la fontaine du lavoir chante en hiver")],
    )
    .status
}

#[test]
fn writes_wait_for_space_while_reads_go_on() {
    let Some(disk) = Tmpfs::mount("12m") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root); CI runs this test as root");
        return;
    };
    let server = TestServer::start_with(&[
        ("data.dir", Value::Text(disk.path.display().to_string())),
        ("data.min_free_mib", Value::Integer(2)),
    ]);
    make_account(&server, "reader@example.test", Role::Resident);
    let proposal = crate::comments::open_proposal(&server);
    let mut c = Client::new();
    assert_eq!(sign_in(&mut c, &server, "reader@example.test", "la fontaine du lavoir chante en hiver").status, 303);

    // Below the free-space floor: refused before redb is touched.
    let filler = fill(&disk.path, 1024 * 1024);
    assert_eq!(sign_up(&mut c, &server, "a@example.test"), 507);
    let page = c.get(&server.at("/inscription"));
    assert_eq!(page.status, 200, "pages are still read");
    assert_eq!(c.get(&server.at("/compte")).status, 200, "the signed-in person is still signed in");
    let refused = post(
        &mut c,
        &server,
        "/inscription",
        "/inscription",
        &[("display_name", "X Y"), ("email", "b@example.test"), ("password", "la fontaine du lavoir chante en hiver")],
    );
    assert!(refused.body.contains("Enregistrement impossible pour le moment"), "{}", refused.body);
    assert!(server.state().store.disk_full());
    // Every handler says so the same way, not as an internal error.
    let page = format!("/propositions/{proposal}");
    let follow = post(&mut c, &server, &page, &format!("{page}/suivi"), &[("suivre", "oui")]);
    assert_eq!(follow.status, 507, "{}", follow.body);

    // Space comes back: the next write goes through.
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(sign_up(&mut c, &server, "c@example.test"), 303);
    assert!(!server.state().store.disk_full());
    assert!(server.state().store.verify().unwrap().is_ok());
}

#[test]
fn a_real_out_of_space_error_is_recovered_by_reopening() {
    let Some(disk) = Tmpfs::mount("8m") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root); CI runs this test as root");
        return;
    };
    // No floor: let redb meet the full disk itself.
    let server = TestServer::start_with(&[
        ("data.dir", Value::Text(disk.path.display().to_string())),
        ("data.min_free_mib", Value::Integer(0)),
    ]);
    let filler = fill(&disk.path, 256 * 1024);
    // Write big records until the disk is full.
    let writer = server.state().store.writer().clone();
    let mut failed = None;
    for i in 0..10_000u64 {
        let r = writer.write_blocking(move |tx| {
            accounts::create(
                tx,
                &NewAccount {
                    email: format!("big{i}@example.test"),
                    display_name: "x".repeat(4000),
                    role: Role::Resident,
                    password_hash: "h".into(),
                    must_change_password: false,
                    language: parvis::i18n::Lang::Fr,
                    neighbourhood: None,
                },
            )
        });
        if let Err(e) = r {
            failed = Some(e.to_string());
            break;
        }
    }
    let failed = failed.expect("the disk filled up");
    assert!(failed.contains("disk is full"), "{failed}");
    let mut c = Client::new();
    assert_eq!(c.get(&server.at("/")).status, 200, "reads go on after redb's I/O error");
    assert_eq!(sign_up(&mut c, &server, "d@example.test"), 507);

    std::fs::remove_file(&filler).unwrap();
    assert_eq!(sign_up(&mut c, &server, "e@example.test"), 303, "the database was reopened");
    let tx = server.state().store.read().unwrap();
    assert!(accounts::find_by_email(&tx, "e@example.test").unwrap().is_some());
    drop(tx);
    assert!(server.state().store.verify().unwrap().is_ok());
}
