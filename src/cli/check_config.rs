//! `parvis check-config`: the effective settings with their source (secrets
//! hidden), and the checks `serve` makes before serving.

use std::path::Path;
use std::process::ExitCode;

use super::{load_config, CheckConfigArgs, CliError, DEFAULT_CONFIG_PATHS};
use crate::crypto::{KeyError, Keys};
use crate::{config, server};

pub(super) fn run(config_path: Option<&Path>, args: CheckConfigArgs) -> Result<ExitCode, CliError> {
    if args.print_example {
        print!("{}", config::example_toml(&[]));
        return Ok(ExitCode::SUCCESS);
    }
    let config = load_config(config_path)?;
    match config_path {
        Some(p) => println!("Configuration: {}", p.display()),
        None => println!(
            "Configuration: no file found (looked for {}); defaults and environment only",
            DEFAULT_CONFIG_PATHS.join(", ")
        ),
    }
    let rows = config.layers.describe();
    let width = rows.iter().map(|(k, _, _)| k.len()).max().unwrap_or(0);
    for (key, value, source) in &rows {
        println!("  {key:width$} = {value}    # {source}");
    }
    let mut problems = Vec::new();
    if let Err(e) = server::check_data_dir(&config.data_dir) {
        problems.push(e.to_string());
    }
    if let Err(e) = server::check_files(&config) {
        problems.push(e.to_string());
    }
    match Keys::from_file(&config.key_file) {
        Ok(keys) => println!("Encryption key: {} (fingerprint {})", config.key_file.display(), keys.fingerprint_hex()),
        // A new database, or one from before encryption, gets its key at
        // the first start; one that records a key needs that key back.
        Err(KeyError::Missing { .. })
            if matches!(crate::store::encryption::recorded_in_file(&config.db_path()), Ok(None)) =>
        {
            println!(
                "Encryption key: {} does not exist yet; it is created at the first start",
                config.key_file.display()
            )
        }
        Err(e) => problems.push(format!("data.key_file: {e}")),
    }
    if config.backup.interval.is_some() && config.backup.dir.exists() {
        let probe = config.backup.dir.join(".parvis-write-test");
        let writable = std::fs::write(&probe, b"ok").and_then(|_| std::fs::remove_file(&probe));
        if let Err(e) = writable {
            problems.push(format!(
                "backup.dir: Parvis cannot write in {} ({e}): give the directory to the user that runs Parvis, or set backup.dir to a writable directory",
                config.backup.dir.display()
            ));
        }
    }
    if problems.is_empty() {
        println!("OK: the configuration is valid.");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            eprintln!("parvis: {p}");
        }
        Ok(ExitCode::from(1))
    }
}
