//! `parvis serve`, the default command: checks the configuration, the data
//! directory and the files it names, then serves the site until stopped.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::shared::{runtime, shutdown_signal};
use super::{load_config, CliError};
use crate::server;

pub(super) fn run(config_path: Option<&Path>) -> Result<ExitCode, CliError> {
    let config = load_config(config_path)?;
    server::check_data_dir(&config.data_dir)?;
    server::check_files(&config)?;
    let listener = server::bind(config.server.listen)?;
    let local = listener.local_addr().map_err(|e| CliError::io(Path::new("server.listen"), e))?;
    let rt = runtime()?;
    let stop = {
        let _context = rt.enter();
        shutdown_signal()
    };
    println!("Parvis listening on http://{local} (public address: {})", config.server.public_url);
    let _ = std::io::stdout().flush();
    rt.block_on(server::serve(listener, config, stop))?;
    Ok(ExitCode::SUCCESS)
}
