//! `parvis import-addresses FILE`: replaces the commune's address list with
//! its file of the Base Adresse Nationale (`adresses-<code INSEE>.csv`).
//!
//! The file is read and checked here first, so that a wrong line is named
//! before anything is asked of the server or the database. Then a running
//! server imports it through its admin socket (it holds the database), or,
//! when none runs, the command opens the database itself. Either way the
//! import is one write: the previous list stays whole until the new one is
//! in, and a refused file changes nothing.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, existing_db, DataDir};
use super::{CliError, ImportAddressesArgs};
use crate::admin_socket;
use crate::domain::addresses::{self, Imported};
use crate::domain::{audit, now_unix};
use crate::store::{Store, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: ImportAddressesArgs) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args.data)?;
    let file = args.file.as_path();
    let reader = std::fs::File::open(file).map_err(|e| CliError::io(file, e))?;
    let rows = addresses::parse(std::io::BufReader::new(reader))
        .map_err(|source| CliError::Addresses { path: file.to_path_buf(), source })?;
    let socket = config.socket();
    if let Some(stream) = admin_socket::connect(&socket) {
        println!("The server is running: asking it to import the file over {}", socket.display());
        let imported = admin_socket::request_import_addresses(stream, &socket, file)?;
        print_imported(file, &imported);
        return Ok(ExitCode::SUCCESS);
    }
    let db_path = existing_db(&config)?;
    let store = match Store::open_keyed(&db_path, config.cache_mib, config.keys()?) {
        Ok(s) => s,
        Err(StoreError::Locked { .. }) => {
            return Err(CliError::Refused(format!(
                "the database is in use by a running server, but its admin socket {} does not answer: \
                 check the server's log, or stop the server and run `parvis import-addresses` again",
                socket.display()
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let rows = std::sync::Arc::new(rows);
    let done = store
        .writer()
        .write_blocking(move |tx| addresses::import(tx, &audit::Actor::command_line(), &rows, now_unix()));
    close_store(store)?;
    let imported = done.map_err(|source| CliError::Addresses { path: file.to_path_buf(), source })?;
    print_imported(file, &imported);
    Ok(ExitCode::SUCCESS)
}

fn print_imported(file: &Path, imported: &Imported) {
    println!(
        "{} addresses in {} streets imported from {}; they replace the previous list.",
        imported.addresses,
        imported.streets,
        file.display()
    );
    if imported.duplicates > 0 {
        println!("  {} line(s) repeated an address already in the file: kept once.", imported.duplicates);
    }
}
