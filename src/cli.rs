//! The command line: one binary, `parvis`, with a subcommand per task an
//! admin performs. `serve` is the default, so that `parvis` alone starts the
//! server with the configuration it finds.
//!
//! Exit codes: 0 success, 1 the task failed (the message says why and what to
//! change), 2 the configuration or the command line is wrong.

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{self, Config, ConfigError, Layers, Value};
use crate::domain::accounts::{self, AccountError, NewAccount, Role};
use crate::store::{self, backup, Store, StoreError};
use crate::{admin_socket, demo, server};

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
    /// Write a verified backup of the database to FILE (works while the server runs).
    Backup(FileArgs),
    /// Replace the database with a backup, after verifying it (the server must be stopped).
    Restore(FileArgs),
    /// Check the database's integrity, indexes and counters (the server must be stopped).
    Verify(VerifyArgs),
    /// Rebuild the search index from the database, with a progress bar (the server must be stopped; a running server rebuilds a missing or damaged index by itself).
    Reindex(DataDirArg),
    /// Fill a data directory with realistic demo content.
    DemoData(DemoDataArgs),
    /// Account tasks for an admin locked out of the site (the server must be stopped).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Test tool: write accounts as fast as possible, printing each acknowledged one.
    #[command(hide = true)]
    WriteLoad(WriteLoadArgs),
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
    /// The backup file.
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
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
    /// The same seed gives the same content.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
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
    Demo(#[from] demo::DemoError),
    #[error("{0}")]
    AdminSocket(#[from] admin_socket::AdminSocketError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    Refused(String),
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
        Command::Serve => serve(config_path.as_deref()),
        Command::Demo(args) => run_demo(args),
        Command::Init(args) => init(args),
        Command::CheckConfig(args) => check_config(config_path.as_deref(), args),
        Command::Backup(args) => backup_cmd(config_path.as_deref(), args),
        Command::Restore(args) => restore_cmd(config_path.as_deref(), args),
        Command::Verify(args) => verify_cmd(config_path.as_deref(), args),
        Command::Reindex(args) => reindex_cmd(config_path.as_deref(), args),
        Command::DemoData(args) => demo_data(config_path.as_deref(), args),
        Command::Admin(cmd) => admin::run(config_path.as_deref(), cmd),
        Command::WriteLoad(args) => write_load(args),
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

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::Runtime)
}

/// Resolves on Ctrl-C or SIGTERM (what systemd and container runtimes send).
///
/// The handlers are registered when this is called, not when the future is
/// first polled: call it (inside the runtime) before telling anyone the
/// server is up, so that a SIGTERM sent right after the announcement stops
/// the server gracefully instead of killing the process.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate()).ok();
    let interrupt = signal(SignalKind::interrupt()).ok();
    async move {
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = wait(term) => {}
            _ = wait(interrupt) => {}
        }
        tracing::info!("stopping: finishing the requests in flight");
    }
}

// ---------------------------------------------------------------- serve

fn serve(config_path: Option<&Path>) -> Result<ExitCode, CliError> {
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

// ---------------------------------------------------------------- demo

fn run_demo(args: DemoArgs) -> Result<ExitCode, CliError> {
    // Bind before the data work: a busy port is reported at once, and with
    // port 0 the public address is the port the system chose.
    let listener = server::bind(args.listen).map_err(|e| match e {
        server::ServeError::PortBusy { addr } => CliError::Refused(format!(
            "--listen: the address {addr} is already in use by another program: stop it, or choose another port, e.g. `parvis demo --listen 127.0.0.1:8081`"
        )),
        other => other.into(),
    })?;
    let local = listener.local_addr().map_err(|e| CliError::io(Path::new("--listen"), e))?;
    let config = demo::demo_config(&args.data_dir, local)?;
    init_tracing(&config.log_level, config.log_json);
    create_private_dir(&args.data_dir)?;
    let (sign_in, report) = {
        let store = Store::open(&config.db_path(), config.cache_mib)?;
        let first_run = accounts::count(&store.read()?)? == 0;
        let report = if first_run {
            let options = demo::DemoOptions { residents: args.residents, ..demo::DemoOptions::default() };
            let bar = progress_bar(args.residents, "habitants de démonstration / demo residents");
            let report = demo::generate(&store, &options, &|done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })?;
            bar.finish_and_clear();
            Some(report)
        } else {
            None
        };
        let sign_in = demo::prepare_admin_sign_in(&store)?;
        close_store(store)?;
        (sign_in, report)
    };
    let url = format!("http://{local}");
    let rt = runtime()?;
    let stop = {
        let _context = rt.enter();
        shutdown_signal()
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out);
    if let Some(r) = report {
        let _ = writeln!(
            out,
            "Données de démonstration créées dans {} ({} habitants). / Demo data created in {} ({} residents).",
            args.data_dir.display(),
            r.residents_created,
            args.data_dir.display(),
            r.residents_created
        );
    }
    let codes = sign_in.recovery_codes.iter().take(5).cloned().collect::<Vec<_>>().join("   ");
    let _ = writeln!(out, "Parvis — démonstration de la commune fictive de Saint-Exemple");
    let _ = writeln!(out, "  Adresse : {url}");
    let _ = writeln!(out, "  Connexion administrateur : {}", demo::ADMIN_EMAIL);
    let _ = writeln!(out, "  Mot de passe : {}", sign_in.password);
    let _ = writeln!(out, "  Code de vérification demandé ensuite : l'un de ces codes de secours, une fois chacun :");
    let _ = writeln!(out, "    {codes}");
    let _ = writeln!(out, "  (mot de passe et codes changent à chaque démarrage ; Ctrl-C pour arrêter)");
    let _ = writeln!(out, "Parvis — demo of the fictional commune of Saint-Exemple");
    let _ = writeln!(out, "  Address: {url}");
    let _ = writeln!(out, "  Admin sign-in: {}", demo::ADMIN_EMAIL);
    let _ = writeln!(out, "  Password: {}", sign_in.password);
    let _ = writeln!(out, "  Verification code asked next: one of these recovery codes, each works once:");
    let _ = writeln!(out, "    {codes}");
    let _ = writeln!(out, "  (password and codes change at every start; Ctrl-C to stop)");
    let _ = writeln!(out);
    let _ = writeln!(out, "Parvis listening on {url}");
    let _ = out.flush();
    drop(out);
    rt.block_on(server::serve(listener, config, stop))?;
    Ok(ExitCode::SUCCESS)
}

/// Closes a store opened by a command, so that the server can open the file
/// next: the writer commits what is queued and lets go of the database, and
/// dropping the last handle releases redb's lock.
fn close_store(store: Store) -> Result<(), CliError> {
    tokio::runtime::Builder::new_current_thread().build().map_err(CliError::Runtime)?.block_on(store.close());
    drop(store);
    Ok(())
}

// ---------------------------------------------------------------- init

fn init(args: InitArgs) -> Result<ExitCode, CliError> {
    init_tracing("warn", false);
    if args.config_out.exists() {
        return Err(CliError::Refused(format!(
            "{} already exists: `parvis init` never overwrites a configuration; edit it, or pass --config-out with another path",
            args.config_out.display()
        )));
    }
    let email = accounts::normalise_email(&args.admin_email)
        .map_err(|_| CliError::Refused(format!("--admin-email: \"{}\" is not an email address", args.admin_email)))?;
    let data_dir = std::path::absolute(&args.data_dir).map_err(|e| CliError::io(&args.data_dir, e))?;
    let mut layers = Layers::defaults();
    layers.set("commune.name", Value::Text(args.commune.clone()))?;
    layers.set("server.public_url", Value::Text(args.url.clone()))?;
    layers.set("data.dir", Value::Text(data_dir.display().to_string()))?;
    let config = Config::from_layers(layers)?;

    let db_path = config.db_path();
    if db_path.exists() {
        let store = Store::open(&db_path, config.cache_mib)?;
        let admins = accounts::with_role_at_least(&store.read()?, Role::Admin)?;
        if !admins.is_empty() {
            return Err(CliError::Refused(format!(
                "{} already holds a database with an admin: Parvis is already initialised there. \
                 Use another --data-dir, or remove the directory if it holds nothing you need",
                data_dir.display()
            )));
        }
    }
    create_private_dir(&data_dir)?;

    let text = config::example_toml(&[
        ("commune.name", config::toml_string(&config.commune.name)),
        ("server.public_url", config::toml_string(config.server.public_url.as_str())),
        ("data.dir", config::toml_string(&data_dir.display().to_string())),
    ]);
    // 0600: the file may later hold the SMTP password.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&args.config_out)
        .map_err(|e| CliError::io(&args.config_out, e))?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(|e| CliError::io(&args.config_out, e))?;

    let password = accounts::one_time_password()?;
    let created = create_first_admin(&config, &email, &password);
    if let Err(e) = created {
        // Leave nothing half done: the next `parvis init` must be able to run.
        let _ = std::fs::remove_file(&args.config_out);
        return Err(e);
    }
    let config_shown = std::path::absolute(&args.config_out).unwrap_or(args.config_out.clone());
    println!("Parvis est initialisé pour {} / Parvis is initialised for {}.", config.commune.name, config.commune.name);
    println!("  Configuration : {}", config_shown.display());
    println!("  Données / data: {}", data_dir.display());
    println!();
    println!("Premier administrateur / first admin: {email}");
    println!("Mot de passe à usage unique / one-time password: {password}");
    println!();
    println!("Notez-le maintenant : il n'est affiché qu'une fois et devra être changé à la première connexion.");
    println!("Write it down now: it is shown only once and must be changed at the first sign-in.");
    println!();
    println!("Ensuite / next: parvis check-config --config {0} && parvis serve --config {0}", config_shown.display());
    Ok(ExitCode::SUCCESS)
}

fn create_first_admin(config: &Config, email: &str, password: &str) -> Result<(), CliError> {
    let hash = accounts::hash_password(password)?;
    let store = Store::open(&config.db_path(), config.cache_mib)?;
    let new = NewAccount {
        email: email.to_string(),
        display_name: "Administrateur".into(),
        role: Role::Admin,
        password_hash: hash,
        must_change_password: true,
        language: crate::i18n::Lang::from_code(&config.default_language).unwrap_or_default(),
        neighbourhood: None,
    };
    store.writer().write_blocking(move |tx| accounts::create(tx, &new))?;
    close_store(store)
}

/// Creates `dir` (and its parents) with mode 0700, or tightens an existing one:
/// it holds every resident's personal data.
fn create_private_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| CliError::io(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| CliError::io(dir, e))
}

// ---------------------------------------------------------------- check-config

fn check_config(config_path: Option<&Path>, args: CheckConfigArgs) -> Result<ExitCode, CliError> {
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

// ---------------------------------------------------------------- backup, restore, verify

/// The data directory an admin command works on: `--data-dir`, else the configuration's.
struct DataDir {
    dir: PathBuf,
    cache_mib: u64,
}

impl DataDir {
    fn locate(config_path: Option<&Path>, arg: &DataDirArg) -> Result<DataDir, CliError> {
        match &arg.data_dir {
            Some(dir) => {
                init_tracing("warn", false);
                Ok(DataDir { dir: dir.clone(), cache_mib: 64 })
            }
            None => {
                let config = load_config(config_path)?;
                Ok(DataDir { dir: config.data_dir.clone(), cache_mib: config.cache_mib })
            }
        }
    }
    fn db_path(&self) -> PathBuf {
        self.dir.join("parvis.redb")
    }
    fn socket(&self) -> PathBuf {
        self.dir.join("admin.sock")
    }
}

fn backup_cmd(config_path: Option<&Path>, args: FileArgs) -> Result<ExitCode, CliError> {
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
    let store = match Store::open(&db_path, config.cache_mib) {
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
        "Backup written to {}: {} tables, {} rows, {} bytes (verified).",
        report.path.display(),
        report.tables,
        report.rows,
        report.bytes
    );
    Ok(ExitCode::SUCCESS)
}

fn existing_db(config: &DataDir) -> Result<PathBuf, CliError> {
    let db_path = config.db_path();
    if db_path.is_file() {
        Ok(db_path)
    } else {
        Err(CliError::Refused(format!(
            "there is no database at {}: check data.dir in the configuration (or create one with `parvis init`)",
            db_path.display()
        )))
    }
}

fn restore_cmd(config_path: Option<&Path>, args: FileArgs) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args.data)?;
    let file = args.file.as_path();
    if !file.is_file() {
        return Err(CliError::Refused(format!("{}: no such backup file", file.display())));
    }
    create_private_dir(&config.dir)?;
    let db_path = config.db_path();
    println!("Verifying {} …", file.display());
    match backup::restore(file, &db_path) {
        Ok((report, kept)) => {
            println!(
                "Restored {} into {}: {} tables, {} rows, {} bytes.",
                file.display(),
                report.path.display(),
                report.tables,
                report.rows,
                report.bytes
            );
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

fn verify_cmd(config_path: Option<&Path>, args: VerifyArgs) -> Result<ExitCode, CliError> {
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

// ---------------------------------------------------------------- reindex

/// Rebuilds `<data>/search/` from the database. The server keeps its index
/// open and rebuilds it by itself when it is missing or damaged, so this
/// command refuses to run beside it.
fn reindex_cmd(config_path: Option<&Path>, args: DataDirArg) -> Result<ExitCode, CliError> {
    let config = DataDir::locate(config_path, &args)?;
    let db_path = existing_db(&config)?;
    let index_dir = crate::search::index_dir(&config.dir);
    let store = match Store::open(&db_path, config.cache_mib) {
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
    let report = crate::search::rebuild(&store, &config.dir, &crate::search::Concepts, &|done, total| {
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

// ---------------------------------------------------------------- admin

/// `parvis admin …`: what an admin needs when the site cannot help, e.g. a
/// member of staff who lost both phone and recovery codes. The database is
/// opened directly, so the server must be stopped: two processes never
/// write the same file.
mod admin {
    use super::*;
    use crate::domain::audit::{self, Action, Event};
    use crate::domain::{now_unix, sessions, two_factor};
    use crate::mail::{outbox, NewMail, Template};

    pub(super) fn run(config_path: Option<&Path>, cmd: AdminCommand) -> Result<ExitCode, CliError> {
        match cmd {
            AdminCommand::ResetTwoFactor(args) => reset_two_factor(config_path, args),
            AdminCommand::ListAdmins(data) => list_admins(config_path, &data),
        }
    }

    /// Opens the database; a running server holds its lock, and
    /// `StoreError::Locked` says to stop it first.
    fn open(config_path: Option<&Path>, data: &DataDirArg) -> Result<Store, CliError> {
        let dir = DataDir::locate(config_path, data)?;
        let db_path = existing_db(&dir)?;
        Ok(Store::open(&db_path, dir.cache_mib)?)
    }

    fn cli_event(action: Action, subject: u64, detail: &str) -> Event {
        Event { at: now_unix(), action, actor: None, subject: Some(subject), ip: "cli".into(), detail: detail.into() }
    }

    fn reset_two_factor(config_path: Option<&Path>, args: ResetTwoFactorArgs) -> Result<ExitCode, CliError> {
        let store = open(config_path, &args.data)?;
        let email = args.email.clone();
        let done = store.writer().write_blocking(move |tx| {
            let Some(a) = accounts::find_by_email_in(tx, &email)? else { return Ok(None) };
            if !two_factor::disable(tx, a.id)? {
                return Ok(Some((a, None)));
            }
            let ended = sessions::revoke_all(tx, a.id)?;
            audit::record(tx, &cli_event(Action::CommandLine, a.id, "admin reset-2fa"))?;
            audit::record(tx, &cli_event(Action::TwoFactorDisabled, a.id, "2FA reset from the command line"))?;
            outbox::enqueue(
                tx,
                NewMail {
                    to: a.email.clone(),
                    lang: a.language,
                    template: Template::TwoFactorChanged { name: a.display_name.clone(), enabled: false },
                },
            )?;
            Ok::<_, CliError>(Some((a, Some(ended))))
        });
        close_store(store)?;
        match done? {
            None => Err(CliError::Refused(format!(
                "no account uses the address {}: check the spelling (`parvis admin list-admins` lists the admins)",
                args.email.trim()
            ))),
            Some((a, None)) => {
                println!("{} (account {}) has no two-factor authentication: nothing was changed.", a.email, a.id);
                Ok(ExitCode::SUCCESS)
            }
            Some((a, Some(ended))) => {
                println!("Two-factor authentication of {} (account {}) is turned off.", a.email, a.id);
                println!("  {ended} session(s) ended; recovery codes deleted.");
                println!("  A message tells them; it leaves when the server runs.");
                println!("  Recorded in the security log (from \"cli\").");
                if a.role >= Role::Moderator {
                    println!("  Their role requires two-factor authentication: they enrol again when they sign in.");
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }

    fn list_admins(config_path: Option<&Path>, data: &DataDirArg) -> Result<ExitCode, CliError> {
        let store = open(config_path, data)?;
        let rows = {
            let tx = store.read()?;
            let mut rows = Vec::new();
            for a in accounts::with_role_at_least(&tx, Role::Admin)? {
                let on = two_factor::is_enabled(&tx, a.id)?;
                rows.push((a, on));
            }
            rows
        };
        close_store(store)?;
        if rows.is_empty() {
            println!("No administrator.");
        }
        for (a, two_factor) in rows {
            let mut notes = vec![if two_factor { "2FA on" } else { "2FA off" }];
            if a.blocked {
                notes.push("blocked");
            }
            if !a.email_confirmed {
                notes.push("address not confirmed");
            }
            println!("{:>6}  {}  {}  ({})", a.id, a.email, a.display_name, notes.join(", "));
        }
        Ok(ExitCode::SUCCESS)
    }
}

// ---------------------------------------------------------------- demo-data

fn demo_data(config_path: Option<&Path>, args: DemoDataArgs) -> Result<ExitCode, CliError> {
    // A configuration, if there is one, gives the data directory and the
    // neighbourhoods; without one, those of Saint-Exemple.
    let (data_dir, neighbourhoods, cache_mib) = match config_path {
        Some(path) => {
            let config = load_config(Some(path))?;
            (args.data_dir.clone().unwrap_or(config.data_dir), config.commune.neighbourhoods, config.cache_mib)
        }
        None => {
            init_tracing("warn", false);
            let Some(dir) = args.data_dir.clone() else {
                return Err(CliError::Refused(
                    "give the data directory to fill with --data-dir, or a configuration with --config".into(),
                ));
            };
            (dir, Vec::new(), 64)
        }
    };
    create_private_dir(&data_dir)?;
    let store = match Store::open(&data_dir.join("parvis.redb"), cache_mib) {
        Err(StoreError::Locked { .. }) => {
            return Err(CliError::Refused(format!(
                "the database in {} is in use by a running server: stop it first",
                data_dir.display()
            )))
        }
        other => other?,
    };
    let options = demo::DemoOptions {
        residents: args.residents,
        proposals: args.proposals,
        comments: args.comments,
        seed: args.seed,
        neighbourhoods,
    };
    let bar = progress_bar(args.residents, "residents");
    let started = std::time::Instant::now();
    let report = demo::generate(&store, &options, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report?;
    close_store(store)?;
    println!(
        "{} residents created ({} already there), {} proposals, {} comments in {} in {:.1} s.",
        report.residents_created,
        report.residents_skipped,
        report.proposals_created,
        report.comments_created,
        data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    if report.admin_created {
        println!(
            "The demo admin {} was created; `parvis demo --data-dir {}` gives it a password.",
            demo::ADMIN_EMAIL,
            data_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(total: u64, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}})");
    if let Ok(style) = ProgressStyle::default_bar().template(&template) {
        bar.set_style(style);
    }
    bar
}

// ---------------------------------------------------------------- write-load

/// A password hash for load tests: argon2 would make hashing the bottleneck.
const LOAD_TEST_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$bG9hZHRlc3RzYWx0$0000000000000000000000000000000000000000000";

/// Writes accounts from many tasks until killed, printing `ack <email>` for
/// each one only once the writer has answered, i.e. once it is durable. The
/// crash test kills this process and checks every acknowledged email.
fn write_load(args: WriteLoadArgs) -> Result<ExitCode, CliError> {
    init_tracing("warn", false);
    create_private_dir(&args.data_dir)?;
    let store = Store::open(&args.data_dir.join("parvis.redb"), 16)?;
    let mut run_id = [0u8; 4];
    getrandom::fill(&mut run_id).map_err(|e| CliError::Refused(format!("no system randomness: {e}")))?;
    let run_id = hex::encode(run_id);
    println!("ready");
    let _ = std::io::stdout().flush();
    runtime()?.block_on(async move {
        let mut tasks = Vec::new();
        for task in 0..args.writers.max(1) {
            let store = store.clone();
            let run_id = run_id.clone();
            tasks.push(tokio::spawn(async move {
                for n in 0u64.. {
                    let email = format!("w{task}-{n}-{run_id}@crash.test");
                    let new = NewAccount {
                        email: email.clone(),
                        display_name: format!("Charge {task} {n}"),
                        role: Role::Resident,
                        password_hash: LOAD_TEST_HASH.into(),
                        must_change_password: false,
                        language: crate::i18n::Lang::Fr,
                        neighbourhood: None,
                    };
                    store.write(move |tx| accounts::create(tx, &new)).await?;
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ack {email}")
                        .and_then(|_| out.flush())
                        .map_err(|e| CliError::io(Path::new("stdout"), e))?;
                }
                Ok::<_, CliError>(())
            }));
        }
        for t in tasks {
            match t.await {
                Ok(r) => r?,
                Err(e) => return Err(CliError::Refused(format!("a writing task failed: {e}"))),
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
