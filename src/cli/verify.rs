//! `parvis verify`: the database's integrity, indexes and counters, or those
//! of a backup file.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{existing_db, DataDir};
use super::{init_tracing, CliError, VerifyArgs};
use crate::store::{self, backup, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: VerifyArgs) -> Result<ExitCode, CliError> {
    let report = match &args.file {
        Some(file) => {
            init_tracing("warn", false);
            match backup::check_backup(file) {
                Ok(report) => report,
                Err(StoreError::Invalid(why)) => {
                    eprintln!("parvis: {} has problems: {why}", file.display());
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            }
        }
        None => {
            let config = DataDir::locate(config_path, &args.data)?;
            let db_path = existing_db(&config)?;
            match store::db::verify_file(&db_path) {
                Ok(report) => report,
                Err(StoreError::Locked { .. }) => {
                    return Err(CliError::Refused(format!(
                        "the database {} is in use by a running server: stop it first, or take a copy with \
                         `parvis backup FILE` (backups are verified) and check it with `parvis verify --file FILE`",
                        db_path.display()
                    )))
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    println!("Schema version {}", report.schema_version);
    for (table, rows) in &report.tables {
        println!("  {table}: {rows} rows");
    }
    if report.is_ok() {
        println!("OK: no problem found.");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &report.problems {
            println!("PROBLEM: {p}");
        }
        println!("{} problem(s) found: restore the latest good backup with `parvis restore`.", report.problems.len());
        Ok(ExitCode::from(1))
    }
}
