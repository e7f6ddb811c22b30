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
                Ok(mut report) => {
                    keyed_checks(&mut report, &db_path, &config)?;
                    report
                }
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

/// With the key at hand, also the checks only it can run (each address
/// opens, the address index holds each one's keyed hash); without it the
/// index is still checked against the hashes the accounts record.
fn keyed_checks(report: &mut store::VerifyReport, db_path: &Path, config: &DataDir) -> Result<(), CliError> {
    let Ok(keys) = crate::crypto::Keys::from_file(&config.key_file) else {
        println!("(no key at {}: the addresses were not opened)", config.key_file.display());
        return Ok(());
    };
    if report.key_fingerprint.is_some_and(|f| f != keys.fingerprint()) {
        report.problems.push(format!("the key {} is not the database's key", config.key_file.display()));
        return Ok(());
    }
    let db = store::db::open_database(db_path, 16)?;
    let tx = store::ReadTx::new(redb::ReadableDatabase::begin_read(&db).map_err(StoreError::from)?, keys.into());
    store::db::add_keyed_checks(report, &tx)?;
    Ok(())
}
