//! `parvis restore FILE`: replaces the database with a verified backup; the
//! server must be stopped.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{create_private_dir, DataDir};
use super::{CliError, FileArgs};
use crate::store::{backup, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: FileArgs) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args.data)?;
    let file = args.file.as_path();
    if !file.exists() {
        return Err(CliError::Refused(format!("{}: no such backup", file.display())));
    }
    create_private_dir(&config.dir)?;
    let db_path = config.db_path();
    println!("Verifying {} …", file.display());
    match backup::restore(file, &db_path, &config.key_file) {
        Ok((report, kept)) => {
            println!(
                "Restored {} into {}: {} tables, {} rows, {} bytes.",
                file.display(),
                report.path.display(),
                report.tables,
                report.rows,
                report.bytes
            );
            match report.files {
                Some(n) => println!("Uploaded photos and documents: {n} file(s) put back into {}.", config.dir.join("files").display()),
                None => println!(
                    "This backup was taken by an older version of Parvis and holds the database only: \
                     the photos and documents residents uploaded were not in it. Put back the folder {} \
                     from your own copy of the data directory, if you have one; pages then show a missing \
                     image where a file is absent.",
                    config.dir.join("files").display()
                ),
            }
            match kept {
                Some(old) => println!("The previous database was kept as {}: delete it once you are sure.", old.display()),
                None => println!("There was no previous database."),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Locked { path }) => Err(CliError::Refused(format!(
            "the database {} is in use by a running server: stop the server first (e.g. `systemctl stop parvis`), then run `parvis restore` again; nothing was changed",
            path.display()
        ))),
        Err(StoreError::Invalid(why)) => Err(CliError::Refused(format!(
            "{} is not a good backup ({why}); nothing was changed: restore another backup",
            file.display()
        ))),
        Err(e) => Err(e.into()),
    }
}
