//! What several commands share: the async runtime and the stop signal, the
//! data directory they work on, closing the store, progress bars.

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::{init_tracing, load_config, CliError, DataDirArg};
use std::sync::Arc;

use crate::crypto::Keys;
use crate::store::Store;

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::Runtime)
}

/// Resolves on Ctrl-C or SIGTERM (what systemd and container runtimes send).
///
/// The handlers are registered when this is called, not when the future is
/// first polled: call it (inside the runtime) before telling anyone the
/// server is up, so that a SIGTERM sent right after the announcement stops
/// the server gracefully instead of killing the process.
pub(super) fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate()).ok();
    let interrupt = signal(SignalKind::interrupt()).ok();
    async move {
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = wait(term) => {}
            _ = wait(interrupt) => {}
        }
        tracing::info!("stopping: finishing the requests in flight");
    }
}

/// Closes a store opened by a command, so that the server can open the file
/// next: the writer commits what is queued and lets go of the database, and
/// dropping the last handle releases redb's lock.
pub(super) fn close_store(store: Store) -> Result<(), CliError> {
    tokio::runtime::Builder::new_current_thread().build().map_err(CliError::Runtime)?.block_on(store.close());
    drop(store);
    Ok(())
}

/// Creates `dir` (and its parents) with mode 0700, or tightens an existing one:
/// it holds every resident's personal data.
pub(super) fn create_private_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| CliError::io(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| CliError::io(dir, e))
}

/// The data directory an admin command works on: `--data-dir`, else the configuration's.
pub(super) struct DataDir {
    pub(super) dir: PathBuf,
    pub(super) cache_mib: u64,
    /// The encryption key: `data.key_file` of the configuration; with
    /// `--data-dir`, `PARVIS_DATA_KEY_FILE` or else `<data-dir>/parvis.key`.
    pub(super) key_file: PathBuf,
}

impl DataDir {
    pub(super) fn locate(config_path: Option<&Path>, arg: &DataDirArg) -> Result<DataDir, CliError> {
        match &arg.data_dir {
            Some(dir) => {
                init_tracing("warn", false);
                let key_file = std::env::var_os(crate::config::env_name("data.key_file"))
                    .map(PathBuf::from)
                    .unwrap_or_else(|| dir.join("parvis.key"));
                Ok(DataDir { dir: dir.clone(), cache_mib: 64, key_file })
            }
            None => {
                let config = load_config(config_path)?;
                Ok(DataDir { dir: config.data_dir.clone(), cache_mib: config.cache_mib, key_file: config.key_file })
            }
        }
    }

    /// The keys of this data directory's database (see [`open_keys`]).
    pub(super) fn keys(&self) -> Result<Arc<Keys>, CliError> {
        open_keys(&self.key_file, &self.db_path())
    }
    pub(super) fn db_path(&self) -> PathBuf {
        self.dir.join("parvis.redb")
    }
    pub(super) fn socket(&self) -> PathBuf {
        self.dir.join("admin.sock")
    }
}

/// The keys for the database at `db_path`: read from `key_file`, or created
/// there for a new database or one from before encryption (and said so).
pub(super) fn open_keys(key_file: &Path, db_path: &Path) -> Result<Arc<Keys>, CliError> {
    let (keys, created) = crate::store::encryption::load_or_create(key_file, db_path)?;
    if created {
        println!("Clé de chiffrement créée / encryption key created: {}", key_file.display());
        println!("  Gardez-en une copie à part des sauvegardes / keep a copy of it apart from the backups.");
    }
    Ok(Arc::new(keys))
}

pub(super) fn existing_db(config: &DataDir) -> Result<PathBuf, CliError> {
    let db_path = config.db_path();
    if db_path.is_file() {
        Ok(db_path)
    } else {
        Err(CliError::Refused(format!(
            "there is no database at {}: check data.dir in the configuration (or create one with `parvis init`)",
            db_path.display()
        )))
    }
}

pub(super) fn progress_bar(total: u64, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}})");
    if let Ok(style) = ProgressStyle::default_bar().template(&template) {
        bar.set_style(style);
    }
    bar
}
