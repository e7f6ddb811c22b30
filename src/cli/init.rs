//! `parvis init`: the data directory, a commented parvis.toml and the first
//! admin, with a one-time password.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::process::ExitCode;

use super::shared::{close_store, create_private_dir};
use super::{init_tracing, CliError, InitArgs};
use crate::config::{self, Config, Layers, Value};
use crate::domain::accounts::{self, NewAccount, Role};
use crate::store::Store;

pub(super) fn run(args: InitArgs) -> Result<ExitCode, CliError> {
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

pub(super) fn create_first_admin(config: &Config, email: &str, password: &str) -> Result<(), CliError> {
    let hash = accounts::hash_password(password)?;
    let store = Store::open(&config.db_path(), config.cache_mib)?;
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
