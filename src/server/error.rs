//! Why the server cannot start.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::store::StoreError;

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
