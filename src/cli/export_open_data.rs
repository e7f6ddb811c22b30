//! `parvis export-open-data --out FILE`: the open-data archive, the same
//! the server makes each night and serves at /donnees-ouvertes/parvis.zip,
//! written to FILE (e.g. to publish it by hand, or from a cron job on a
//! machine where the site is stopped).

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, existing_db, DataDir};
use super::{load_config, CliError, ExportOpenDataArgs};
use crate::domain::opendata;
use crate::store::{Store, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: ExportOpenDataArgs) -> Result<ExitCode, CliError> {
    // The whole configuration, not only the data directory: the archive
    // names the commune, its site and the licence chosen.
    let config = load_config(config_path)?;
    let dir = DataDir { dir: config.data_dir.clone(), cache_mib: config.cache_mib, key_file: config.key_file.clone() };
    let db_path = existing_db(&dir)?;
    let store = match Store::open_keyed(&db_path, config.cache_mib, dir.keys()?) {
        Ok(s) => s,
        Err(StoreError::Locked { .. }) => {
            return Err(CliError::Refused(format!(
                "the database {} is in use by a running server, which makes the archive itself: each night into {}, \
                 and at once when staff press « Refaire le fichier maintenant » on the dashboard \
                 (/admin/tableau-de-bord); copy that file, or stop the server first",
                db_path.display(),
                opendata::path(&config.data_dir).display()
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let built = store.read().map_err(CliError::from).and_then(|tx| {
        opendata::build(&tx, &config, crate::domain::now_unix())
            .map_err(|e| CliError::Refused(format!("the open-data archive could not be made: {e}")))
    });
    close_store(store)?;
    let bytes = built?;
    opendata::write_atomically(&args.out, &bytes)
        .map_err(|e| CliError::Refused(format!("the open-data archive could not be written: {e}")))?;
    println!(
        "Open-data archive written to {} ({} bytes, licence {}).",
        args.out.display(),
        bytes.len(),
        config.open_data_licence.spdx()
    );
    Ok(ExitCode::SUCCESS)
}
