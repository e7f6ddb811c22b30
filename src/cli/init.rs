//! `parvis init`: the data directory, a commented parvis.toml and the first
//! admin, with a one-time password.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::Arc;

use super::shared::{close_store, create_private_dir, open_keys};
use super::{init_tracing, CliError, InitArgs};
use crate::config::{self, Config, Layers, Value};
use crate::crypto::Keys;
use crate::domain::accounts::{self, NewAccount, Role};
use crate::store::Store;

pub(super) fn run(config_in_use: Option<&std::path::Path>, args: InitArgs) -> Result<ExitCode, CliError> {
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

    let key_file = key_file(config_in_use, &args.config_out)?;
    let db_path = config.db_path();
    if db_path.exists() {
        let store = Store::open_keyed(&db_path, config.cache_mib, open_keys(&key_file, &db_path)?)?;
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
    let created = open_keys(&key_file, &db_path).and_then(|keys| create_first_admin(&config, keys, &email, &password));
    if let Err(e) = created {
        // Leave nothing half done: the next `parvis init` must be able to run.
        let _ = std::fs::remove_file(&args.config_out);
        return Err(e);
    }
    let config_shown = std::path::absolute(&args.config_out).unwrap_or(args.config_out.clone());
    println!("Parvis est initialisé pour {} / Parvis is initialised for {}.", config.commune.name, config.commune.name);
    println!("  Configuration : {}", config_shown.display());
    println!("  Données / data: {}", data_dir.display());
    println!("  Clé de chiffrement / encryption key: {}", key_file.display());
    println!("    Gardez-en une copie à part des sauvegardes : sans elle, les adresses des comptes, les secrets de double authentification et les courriels en attente sont perdus.");
    println!("    Keep a copy of it apart from the backups: without it, the accounts' addresses, the two-factor secrets and the queued mail are lost.");
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

/// Where the server will look for the encryption key: `PARVIS_DATA_KEY_FILE`;
/// else that of the configuration already in place (the Debian package's
/// /etc/parvis/parvis.toml, whose key the package created), read as the
/// server reads it; else beside the configuration written now.
fn key_file(config_in_use: Option<&std::path::Path>, config_out: &std::path::Path) -> Result<PathBuf, CliError> {
    if let Some(path) = std::env::var_os(config::env_name("data.key_file")) {
        return Ok(PathBuf::from(path));
    }
    if let Some(in_use) = config_in_use.filter(|p| p.is_file()) {
        let beside = in_use.parent().map(|d| d.join("parvis.key")).unwrap_or_else(|| PathBuf::from("parvis.key"));
        return Ok(Config::load(Some(in_use)).map(|c| c.key_file).unwrap_or(beside));
    }
    let out = std::path::absolute(config_out).map_err(|e| CliError::io(config_out, e))?;
    Ok(out.parent().map(|d| d.join("parvis.key")).unwrap_or_else(|| PathBuf::from("parvis.key")))
}

pub(super) fn create_first_admin(
    config: &Config,
    keys: Arc<Keys>,
    email: &str,
    password: &str,
) -> Result<(), CliError> {
    let hash = accounts::hash_password(password)?;
    let store = Store::open_keyed(&config.db_path(), config.cache_mib, keys)?;
    let new = NewAccount {
        email: email.to_string(),
        display_name: "Administrateur".into(),
        role: Role::Admin,
        password_hash: hash,
        must_change_password: true,
        language: config.default_language,
        neighbourhood: None,
    };
    store.writer().write_blocking(move |tx| accounts::create(tx, &new))?;
    close_store(store)
}
