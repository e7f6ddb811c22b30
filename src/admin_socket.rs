//! The local admin socket (`<data>/admin.sock`, mode 0600): lets `parvis backup`
//! ask the running server for a backup, and `parvis import-addresses` have it
//! import the commune's address list.
//!
//! While the server runs it holds redb's lock on the database, so no other
//! process may open the file, and copying the file while it is written is
//! unsafe. The server therefore takes the backup itself, from a read
//! transaction, when a local command asks for it over this socket.
//!
//! Only the owner of the server's process may connect: the socket file is
//! mode 0600 inside a data directory that should be 0700. No network is
//! involved, so the protocol needs no authentication beyond file permissions.
//!
//! The protocol is one JSON object per line, one answer per line:
//! `{"cmd":"backup","path":"/abs/path"}` → `{"ok":true,"tables":..,"rows":..,"bytes":..}`
//! or `{"ok":false,"error":"..."}`; `{"cmd":"ping"}` → `{"ok":true}`;
//! `{"cmd":"import_addresses","path":"/abs/adresses-99999.csv"}` →
//! `{"ok":true,"addresses":..,"streets":..,"duplicates":..}`.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{watch, Mutex};

use crate::store::Store;

/// The longest request line accepted; a request is a few hundred bytes.
const MAX_LINE: usize = 64 * 1024;

/// A request sent over the socket.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Write a verified backup to `path`, an absolute path on the server's machine.
    Backup { path: PathBuf },
    /// Replace the commune's address list with the national file at
    /// `path`, an absolute path on the server's machine.
    ImportAddresses { path: PathBuf },
    /// Is the server there?
    Ping,
}

/// The answer to a request.
#[derive(Serialize, Deserialize, Debug, Default, PartialEq)]
pub struct Reply {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streets: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
}

impl Reply {
    fn error(message: impl Into<String>) -> Reply {
        Reply { ok: false, error: Some(message.into()), ..Reply::default() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AdminSocketError {
    #[error("cannot talk to the running server over {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the running server sent an answer this command does not understand: {0}")]
    BadReply(String),
    #[error("the running server refused: {0}")]
    Refused(String),
}

/// Opens the admin socket at `path`, ready before the server answers its
/// first request (so that `parvis backup` run right after start-up finds
/// it); `None`, logged, when it cannot be made. A stale socket left by a
/// killed server is replaced: the database lock already guarantees that only
/// one server uses this data directory.
pub fn open(path: &Path) -> Option<UnixListener> {
    match bind(path) {
        Ok(l) => Some(l),
        Err(e) => {
            tracing::error!(
                socket = %path.display(),
                error = %e,
                "cannot open the admin socket: `parvis backup` will not work while the server runs; check that the data directory is writable"
            );
            None
        }
    }
}

/// Serves the admin socket opened by [`open`] at `path` until `shutdown`
/// becomes true, then removes the socket file.
pub async fn run(listener: UnixListener, path: PathBuf, store: Store, mut shutdown: watch::Receiver<bool>) {
    tracing::info!(socket = %path.display(), "admin socket ready");
    // One backup at a time: each is a full copy of the database.
    let busy = Arc::new(Mutex::new(()));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let store = store.clone();
                    let busy = busy.clone();
                    tokio::spawn(async move {
                        if let Err(e) = handle(stream, store, busy).await {
                            tracing::warn!(error = %e, "admin socket connection failed");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "admin socket accept failed"),
            },
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
        }
    }
    drop(listener);
    if let Err(e) = std::fs::remove_file(&path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(socket = %path.display(), error = %e, "cannot remove the admin socket");
        }
    }
}

fn bind(path: &Path) -> std::io::Result<UnixListener> {
    match std::fs::remove_file(path) {
        Ok(()) => tracing::info!(socket = %path.display(), "replaced a stale admin socket"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    // Made under another name, closed to others, then renamed into place:
    // nobody can connect to it at its real name before it is 0600.
    let making = path.with_extension("sock-new");
    match std::fs::remove_file(&making) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = UnixListener::bind(&making)?;
    std::fs::set_permissions(&making, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&making, path)?;
    Ok(listener)
}

async fn handle(stream: UnixStream, store: Store, busy: Arc<Mutex<()>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = tokio::io::BufReader::new(read).take(MAX_LINE as u64 * 16).lines();
    while let Some(line) = lines.next_line().await? {
        if line.len() > MAX_LINE {
            break;
        }
        let reply = match serde_json::from_str::<Request>(&line) {
            Ok(Request::Ping) => Reply { ok: true, ..Reply::default() },
            Ok(Request::Backup { path }) => backup(&store, path, &busy).await,
            Ok(Request::ImportAddresses { path }) => import_addresses(&store, path).await,
            Err(e) => Reply::error(format!("unknown request: {e}")),
        };
        let mut out = serde_json::to_vec(&reply).unwrap_or_else(|_| b"{\"ok\":false}".to_vec());
        out.push(b'\n');
        write.write_all(&out).await?;
        write.flush().await?;
    }
    Ok(())
}

async fn backup(store: &Store, path: PathBuf, busy: &Mutex<()>) -> Reply {
    if !path.is_absolute() {
        return Reply::error(format!(
            "{} is not an absolute path: the server's working directory is not yours",
            path.display()
        ));
    }
    let _guard = busy.lock().await;
    let store = store.clone();
    let dest = path.clone();
    let started = std::time::Instant::now();
    let done = tokio::task::spawn_blocking(move || store.backup_to(&dest, &|_, _| {})).await;
    match done {
        Ok(Ok(report)) => {
            tracing::info!(
                path = %path.display(),
                rows = report.rows,
                bytes = report.bytes,
                ms = started.elapsed().as_millis() as u64,
                "backup taken for the admin socket"
            );
            Reply {
                ok: true,
                tables: Some(report.tables),
                rows: Some(report.rows),
                bytes: Some(report.bytes),
                ..Reply::default()
            }
        }
        Ok(Err(e)) => {
            tracing::error!(path = %path.display(), error = %e, "backup failed");
            Reply::error(e.to_string())
        }
        Err(e) => {
            tracing::error!(path = %path.display(), error = %e, "backup task failed");
            Reply::error("the backup task failed; see the server's log")
        }
    }
}

/// Reads the national address file at `path` and replaces the address list
/// with it, in one write: a refused file changes nothing, and the reply
/// names its line and column.
async fn import_addresses(store: &Store, path: PathBuf) -> Reply {
    use crate::domain::{addresses, audit, now_unix};
    if !path.is_absolute() {
        return Reply::error(format!(
            "{} is not an absolute path: the server's working directory is not yours",
            path.display()
        ));
    }
    let file = path.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        let reader = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        addresses::parse(std::io::BufReader::new(reader)).map_err(|e| format!("{}: {e}", file.display()))
    })
    .await;
    let rows = match parsed {
        Ok(Ok(rows)) => Arc::new(rows),
        Ok(Err(message)) => return Reply::error(message),
        Err(e) => {
            tracing::error!(path = %path.display(), error = %e, "address import task failed");
            return Reply::error("the import task failed; see the server's log");
        }
    };
    let done = store.write(move |tx| addresses::import(tx, &audit::Actor::command_line(), &rows, now_unix())).await;
    match done {
        Ok(imported) => {
            tracing::info!(path = %path.display(), addresses = imported.addresses, streets = imported.streets, "address list imported for the admin socket");
            Reply {
                ok: true,
                addresses: Some(imported.addresses),
                streets: Some(imported.streets),
                duplicates: Some(imported.duplicates),
                ..Reply::default()
            }
        }
        Err(e) => {
            tracing::error!(path = %path.display(), error = %e, "address import failed");
            Reply::error(format!("{}: {e}", path.display()))
        }
    }
}

/// What the running server reported for a backup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RemoteBackup {
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
}

/// Connects to the admin socket; `None` when no server listens there (no
/// socket, or a stale one left by a killed server).
pub fn connect(socket: &Path) -> Option<std::os::unix::net::UnixStream> {
    std::os::unix::net::UnixStream::connect(socket).ok()
}

/// Asks the server listening on `stream` to write a backup to `dest`
/// (made absolute here, since the server's working directory differs).
pub fn request_backup(
    stream: std::os::unix::net::UnixStream,
    socket: &Path,
    dest: &Path,
) -> Result<RemoteBackup, AdminSocketError> {
    let dest = std::path::absolute(dest).map_err(|e| AdminSocketError::Io { path: dest.to_path_buf(), source: e })?;
    let reply = exchange(stream, socket, &Request::Backup { path: dest })?;
    match reply {
        Reply { ok: true, tables: Some(tables), rows: Some(rows), bytes: Some(bytes), .. } => {
            Ok(RemoteBackup { tables, rows, bytes })
        }
        Reply { ok: false, error, .. } => Err(AdminSocketError::Refused(error.unwrap_or_default())),
        other => Err(AdminSocketError::BadReply(format!("{other:?}"))),
    }
}

/// Asks the server listening on `stream` to import the address file `file`
/// (made absolute here, since the server's working directory differs).
pub fn request_import_addresses(
    stream: std::os::unix::net::UnixStream,
    socket: &Path,
    file: &Path,
) -> Result<crate::domain::addresses::Imported, AdminSocketError> {
    let path = std::path::absolute(file).map_err(|e| AdminSocketError::Io { path: file.to_path_buf(), source: e })?;
    match exchange(stream, socket, &Request::ImportAddresses { path })? {
        Reply {
            ok: true, addresses: Some(addresses), streets: Some(streets), duplicates: Some(duplicates), ..
        } => Ok(crate::domain::addresses::Imported { addresses, streets, duplicates }),
        Reply { ok: false, error, .. } => Err(AdminSocketError::Refused(error.unwrap_or_default())),
        other => Err(AdminSocketError::BadReply(format!("{other:?}"))),
    }
}

fn exchange(
    mut stream: std::os::unix::net::UnixStream,
    socket: &Path,
    request: &Request,
) -> Result<Reply, AdminSocketError> {
    let io = |source| AdminSocketError::Io { path: socket.to_path_buf(), source };
    let mut line = serde_json::to_vec(request).map_err(|e| AdminSocketError::BadReply(e.to_string()))?;
    line.push(b'\n');
    stream.write_all(&line).map_err(io)?;
    stream.flush().map_err(io)?;
    let mut answer = String::new();
    BufReader::new(&stream).read_line(&mut answer).map_err(io)?;
    if answer.is_empty() {
        return Err(AdminSocketError::BadReply("the connection closed without an answer".into()));
    }
    serde_json::from_str(&answer).map_err(|e| AdminSocketError::BadReply(format!("{e}: {}", answer.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts;

    #[test]
    fn requests_are_one_json_object_per_line() {
        let r: Request = serde_json::from_str(r#"{"cmd":"backup","path":"/tmp/x.redb"}"#).unwrap();
        assert_eq!(r, Request::Backup { path: "/tmp/x.redb".into() });
        let ok = Reply { ok: true, tables: Some(4), rows: Some(10), bytes: Some(4096), ..Reply::default() };
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"ok":true,"tables":4,"rows":10,"bytes":4096}"#);
        assert_eq!(serde_json::to_string(&Reply::error("x")).unwrap(), r#"{"ok":false,"error":"x"}"#);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_backup_over_the_socket_is_private_and_the_socket_goes_away() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let new = accounts::NewAccount {
            email: "a@b.test".into(),
            display_name: "A".into(),
            role: accounts::Role::Resident,
            password_hash: "x".into(),
            must_change_password: false,
            language: crate::i18n::Lang::Fr,
            neighbourhood: None,
        };
        store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
        let socket = dir.path().join("admin.sock");
        std::fs::write(&socket, b"stale").unwrap();
        let (stop, stopped) = watch::channel(false);
        let listener = open(&socket).unwrap();
        let server = tokio::spawn(run(listener, socket.clone(), store.clone(), stopped));
        let probe = socket.clone();
        let stream = tokio::task::spawn_blocking(move || loop {
            if let Some(s) = connect(&probe) {
                return s;
            }
            std::thread::yield_now();
        })
        .await
        .unwrap();
        assert_eq!(std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777, 0o600);
        let dest = dir.path().join("copy.redb");
        let (s, d) = (socket.clone(), dest.clone());
        let done = tokio::task::spawn_blocking(move || request_backup(stream, &s, &d)).await.unwrap().unwrap();
        // A backup is a directory: the database and the uploaded files.
        assert_eq!(done.rows, crate::store::db::verify_file(&dest.join("parvis.redb")).unwrap().rows());
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(std::fs::metadata(dest.join("parvis.redb")).unwrap().permissions().mode() & 0o777, 0o600);
        // The server refuses a relative path: its working directory is not the caller's.
        let relative = connect(&socket).unwrap();
        let s = socket.clone();
        let reply = tokio::task::spawn_blocking(move || {
            exchange(relative, &s, &Request::Backup { path: "relative.redb".into() }).unwrap()
        })
        .await
        .unwrap();
        assert!(!reply.ok && reply.error.unwrap().contains("not an absolute path"));
        stop.send(true).unwrap();
        server.await.unwrap();
        assert!(!socket.exists());
    }
}
