//! `parvis reindex`: rebuilds the search index from the database.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, existing_db, progress_bar, DataDir};
use super::{CliError, DataDirArg};
use crate::store::{Store, StoreError};

/// Rebuilds `<data>/search/` from the database. The server keeps its index
/// open and rebuilds it by itself when it is missing or damaged, so this
/// command refuses to run beside it.
pub(super) fn run(config_path: Option<&Path>, args: DataDirArg) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args)?;
    let db_path = existing_db(&config)?;
    let index_dir = crate::search::index_dir(&config.dir);
    let store = match Store::open_keyed(&db_path, config.cache_mib, config.keys()?) {
        Ok(s) => s,
        Err(StoreError::Locked { .. }) => {
            return Err(CliError::Refused(format!(
                "the database {} is in use by a running server: stop it first (e.g. `systemctl stop parvis`), then \
                 run `parvis reindex` again. A running server rebuilds a missing or damaged index by itself: \
                 deleting {} and restarting the server also rebuilds it, without stopping the site meanwhile",
                db_path.display(),
                index_dir.display()
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let bar = progress_bar(0, "documents");
    // The categories' names and the commune's language, for the reports'
    // documents; with --data-dir and no configuration, a category is its code.
    let source = super::load_config(config_path).map(|c| crate::search::Concepts::of(&c)).unwrap_or_default();
    let report = crate::search::rebuild(&store, &config.dir, &source, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report.map_err(|e| CliError::Refused(format!("the search index could not be rebuilt: {e}")))?;
    close_store(store)?;
    println!(
        "Search index rebuilt in {}: {} documents indexed, {} left out (hidden, held or deleted), in {:.1} s.",
        index_dir.display(),
        report.documents,
        report.skipped,
        report.elapsed.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
