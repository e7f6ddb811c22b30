//! The command line: one binary, `parvis`, with a subcommand per task an
//! admin performs. `serve` is the default, so that `parvis` alone starts the
//! server with the configuration it finds.
//!
//! Exit codes: 0 success, 1 the task failed (the message says why and what to
//! change), 2 the configuration or the command line is wrong.
//!
//! This file holds the command line's definition, [`CliError`] and the
//! dispatch; each command is a module of its own (`serve.rs`, `backup.rs` …,
//! each with a `run`), and `shared.rs` what several of them use.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Config, ConfigError};
use crate::domain::accounts::AccountError;
use crate::store::StoreError;
use crate::{admin_socket, server};

mod admin;
mod backup;
mod check_config;
mod demo;
mod demo_data;
mod export_open_data;
mod import_addresses;
mod init;
mod openapi;
mod reindex;
mod restore;
mod rotate_key;
mod serve;
mod shared;
mod verify;
mod write_load;

/// Where the configuration is looked for when `--config` is not given, in order.
const DEFAULT_CONFIG_PATHS: &[&str] = &["/etc/parvis/parvis.toml", "./parvis.toml"];

#[derive(Parser, Debug)]
#[command(
    name = "parvis",
    version,
    about = "Parvis: citizen participation for small communes, in one binary.",
    long_about = "Parvis: citizen participation for small communes, in one binary.\n\n\
        Without a subcommand, `parvis` serves the site (same as `parvis serve`).\n\
        Try it with demo data: `parvis demo`."
)]
pub struct Cli {
    /// The configuration file. Default: /etc/parvis/parvis.toml if it exists, else ./parvis.toml if it exists.
    #[arg(long, global = true, env = "PARVIS_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Start a demo of the fictional commune of Saint-Exemple, with demo data.
    Demo(DemoArgs),
    /// Create the data directory, a commented parvis.toml and the first admin.
    Init(InitArgs),
    /// Check the configuration and show the effective settings (secrets hidden).
    CheckConfig(CheckConfigArgs),
    /// Write a verified backup, the database and the uploaded files, to the new folder FILE (works while the server runs).
    Backup(FileArgs),
    /// Replace the database with a backup and put its files back, after verifying it (the server must be stopped).
    Restore(FileArgs),
    /// Encrypt the database's secrets again with a new key; the old key is kept as <key>.old for the older backups (the server must be stopped).
    RotateKey(DataDirArg),
    /// Check the database's integrity, indexes and counters (the server must be stopped).
    Verify(VerifyArgs),
    /// Rebuild the search index from the database, with a progress bar (the server must be stopped; a running server rebuilds a missing or damaged index by itself).
    Reindex(DataDirArg),
    /// Fill a data directory with realistic demo content.
    DemoData(DemoDataArgs),
    /// Replace the commune's address list with its file of the Base Adresse Nationale, adresses-<INSEE code>.csv from adresse.data.gouv.fr (works while the server runs).
    ImportAddresses(ImportAddressesArgs),
    /// Print the public API's OpenAPI 3.1 document (served at /api/openapi.json), e.g. for a validator.
    Openapi(OpenapiArgs),
    /// Account tasks for an admin locked out of the site (the server must be stopped).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Test tool: write accounts as fast as possible, printing each acknowledged one.
    #[command(hide = true)]
    WriteLoad(WriteLoadArgs),
    /// Write the open-data archive (CSV and JSON in one ZIP, served at /donnees-ouvertes/parvis.zip) to FILE (the server must be stopped; a running server makes it each night).
    ExportOpenData(ExportOpenDataArgs),
}

#[derive(Args, Debug)]
pub struct ExportOpenDataArgs {
    /// Where to write the ZIP file.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Where the demo keeps its data; created on first run.
    #[arg(long, default_value = "parvis-demo")]
    pub data_dir: PathBuf,
    /// The address and port to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// How many demo residents to create on first run.
    #[arg(long, default_value_t = 200)]
    pub residents: u64,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The data directory to create (mode 0700).
    #[arg(long)]
    pub data_dir: PathBuf,
    /// The name of the commune, e.g. "Saint-Exemple".
    #[arg(long)]
    pub commune: String,
    /// The public address of the site, e.g. https://participer.example.fr
    #[arg(long)]
    pub url: String,
    /// The email address of the first admin.
    #[arg(long)]
    pub admin_email: String,
    /// Where to write the configuration file.
    #[arg(long, default_value = "parvis.toml")]
    pub config_out: PathBuf,
}

#[derive(Args, Debug)]
pub struct CheckConfigArgs {
    /// Print the commented example configuration with every setting, and exit.
    #[arg(long)]
    pub print_example: bool,
}

#[derive(Args, Debug)]
pub struct FileArgs {
    /// The backup: a folder (or a single .redb file written by an earlier version, database only).
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Args, Debug)]
pub struct OpenapiArgs {
    /// The site's public address, written as the document's server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// The commune's name, written in the document's title.
    #[arg(long, default_value = "Saint-Exemple")]
    pub commune: String,
}

/// For the admin commands that only need the data directory.
#[derive(Args, Debug)]
pub struct DataDirArg {
    /// Use this data directory instead of data.dir from the configuration (then no configuration is needed).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Verify this database file (e.g. a backup) instead of the configured database; it is not changed.
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Args, Debug)]
pub struct DemoDataArgs {
    /// The data directory to fill (created if missing). Default: data.dir of the configuration.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// How many residents to create.
    #[arg(long, default_value_t = 1000)]
    pub residents: u64,
    /// How many proposals to spread over the demo's idea boxes (made once, with the boxes).
    #[arg(long, default_value_t = 200)]
    pub proposals: u64,
    /// How many comments to spread over the proposals.
    #[arg(long, default_value_t = 800)]
    pub comments: u64,
    /// How many problem reports to place over the commune (made once, on a directory with none).
    #[arg(long, default_value_t = 200)]
    pub reports: u64,
    /// How many answers the open demo consultation gets (the closed one half as many): residents first, then paper forms and visitors (made once, with the consultations).
    #[arg(long, default_value_t = 2400)]
    pub consultation_answers: u64,
    /// How many questions the open demo consultation asks: its 4, then 0–10 scales up to this number (for benchmarks; at most 100).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(4..=100))]
    pub consultation_questions: u32,
    /// The same seed gives the same content.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct ImportAddressesArgs {
    /// The commune's address file (CSV separated by ';', as downloaded).
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Turn off someone's two-factor authentication (lost phone and recovery codes), sign them out everywhere and tell them by email.
    #[command(name = "reset-2fa")]
    ResetTwoFactor(ResetTwoFactorArgs),
    /// List the administrators, with their two-factor state.
    ListAdmins(DataDirArg),
}

#[derive(Args, Debug)]
pub struct ResetTwoFactorArgs {
    /// The email address of the account.
    pub email: String,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Args, Debug)]
pub struct WriteLoadArgs {
    #[arg(long)]
    pub data_dir: PathBuf,
    /// Concurrent writing tasks.
    #[arg(long, default_value_t = 16)]
    pub writers: usize,
}

/// Why a command failed. Each message tells the admin what to change.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Serve(#[from] server::ServeError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Account(#[from] AccountError),
    #[error("{0}")]
    TwoFactor(#[from] crate::domain::two_factor::TwoFactorError),
    #[error("{0}")]
    Demo(#[from] crate::demo::DemoError),
    #[error("{0}")]
    AdminSocket(#[from] admin_socket::AdminSocketError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A refused address file: the message names the line and the column.
    #[error("{path}: {source}; nothing was changed")]
    Addresses { path: PathBuf, source: crate::domain::addresses::AddressError },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    Refused(String),
}

impl From<crate::crypto::KeyError> for CliError {
    fn from(e: crate::crypto::KeyError) -> Self {
        CliError::Store(e.into())
    }
}

impl CliError {
    fn io(path: &Path, source: std::io::Error) -> CliError {
        CliError::Io { path: path.to_path_buf(), source }
    }

    fn exit_code(&self) -> u8 {
        match self {
            CliError::Config(_) => 2,
            _ => 1,
        }
    }
}

/// Parses the process's arguments and runs the command.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs a parsed command line; prints the error, if any, and gives the exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            let text = e.to_string();
            eprintln!("parvis: {}", text.trim_end());
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, CliError> {
    let config_path = resolve_config_path(cli.config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config_path.as_deref()),
        Command::Demo(args) => demo::run(args),
        Command::Init(args) => init::run(config_path.as_deref(), args),
        Command::CheckConfig(args) => check_config::run(config_path.as_deref(), args),
        Command::Backup(args) => backup::run(config_path.as_deref(), args),
        Command::Restore(args) => restore::run(config_path.as_deref(), args),
        Command::Verify(args) => verify::run(config_path.as_deref(), args),
        Command::RotateKey(args) => rotate_key::run(config_path.as_deref(), args),
        Command::Reindex(args) => reindex::run(config_path.as_deref(), args),
        Command::DemoData(args) => demo_data::run(config_path.as_deref(), args),
        Command::ImportAddresses(args) => import_addresses::run(config_path.as_deref(), args),
        Command::Openapi(args) => openapi::run(args),
        Command::ExportOpenData(args) => export_open_data::run(config_path.as_deref(), args),
        Command::Admin(cmd) => admin::run(config_path.as_deref(), cmd),
        Command::WriteLoad(args) => write_load::run(args),
    }
}

/// `--config`, else the first default location that exists, else none (defaults and environment only).
fn resolve_config_path(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| DEFAULT_CONFIG_PATHS.iter().map(PathBuf::from).find(|p| p.is_file()))
}

fn load_config(path: Option<&Path>) -> Result<Config, CliError> {
    let config = Config::load(path).map_err(|mut e| {
        if path.is_none() {
            e.problems.push(config::Problem {
                key: "--config".into(),
                source: None,
                message: format!(
                    "no configuration file was found (looked for {}): create one with `parvis init`, pass --config PATH, or try `parvis demo`",
                    DEFAULT_CONFIG_PATHS.join(" and ")
                ),
            });
        }
        e
    })?;
    init_tracing(&config.log_level, config.log_json);
    Ok(config)
}

/// Logs go to standard error, so that a command's output stays clean on
/// standard output. `RUST_LOG` overrides `log.level`.
pub fn init_tracing(level: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{level},poem=warn")));
    // Colours only on a terminal: journald and log files would keep the codes.
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
