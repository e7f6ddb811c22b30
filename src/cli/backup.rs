//! `parvis backup FILE`: asks a running server for the backup over its admin
//! socket, or reads the database itself when no server runs.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, existing_db, progress_bar, DataDir};
use super::{CliError, FileArgs};
use crate::admin_socket;
use crate::store::{Store, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: FileArgs) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args.data)?;
    let file = args.file.as_path();
    let socket = config.socket();
    if let Some(stream) = admin_socket::connect(&socket) {
        println!("The server is running: asking it for the backup over {}", socket.display());
        let done = admin_socket::request_backup(stream, &socket, file)?;
        let shown = std::path::absolute(file).unwrap_or(file.to_path_buf());
        println!(
            "Backup written to {}: {} tables, {} rows, {} bytes (verified).",
            shown.display(),
            done.tables,
            done.rows,
            done.bytes
        );
        return Ok(ExitCode::SUCCESS);
    }
    let db_path = existing_db(&config)?;
    let store = match Store::open_keyed(&db_path, config.cache_mib, config.keys()?) {
        Ok(s) => s,
        Err(StoreError::Locked { .. }) => {
            return Err(CliError::Refused(format!(
                "the database is in use by a running server, but its admin socket {} does not answer: \
                 check the server's log, or stop the server and run `parvis backup` again",
                socket.display()
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let bar = progress_bar(0, "rows");
    let report = store.backup_to(file, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report?;
    close_store(store)?;
    println!(
        "Backup written to {}: {} tables, {} rows, {} bytes (verified), and {} uploaded file(s).",
        report.path.display(),
        report.tables,
        report.rows,
        report.bytes,
        report.files.unwrap_or(0)
    );
    Ok(ExitCode::SUCCESS)
}
