//! `parvis rotate-key`: seals every secret of the database again with a new
//! key; the server must be stopped.
//!
//! The order keeps a key for the database at every moment: the new key is
//! written beside the old one (`<key>.new`) and synced; the database is
//! sealed again in one transaction; then the old key becomes `<key>.old` and
//! the new one takes its name. Interrupted before the commit, nothing
//! changed; after it, `<key>.new` holds the key the database needs.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::shared::{existing_db, DataDir};
use super::{CliError, DataDirArg};
use crate::crypto::Keys;
use crate::store::db::open_database;
use crate::store::{encryption, Store, StoreError};

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

pub(super) fn run(config_path: Option<&Path>, args: DataDirArg) -> Result<ExitCode, CliError> {
    let dir = DataDir::locate(config_path, &args)?;
    let db_path = existing_db(&dir)?;
    let key_file = dir.key_file.clone();
    let old_copy = with_suffix(&key_file, ".old");
    let new_file = with_suffix(&key_file, ".new");
    for path in [&old_copy, &new_file] {
        if path.exists() {
            return Err(CliError::Refused(format!(
                "{} exists: it may hold a key that a backup needs. Move it somewhere safe (with the backups it opens), then run `parvis rotate-key` again; nothing was changed",
                path.display()
            )));
        }
    }
    let old = Keys::from_file(&key_file)?;
    let db = open_database(&db_path, dir.cache_mib).map_err(|e| match e {
        StoreError::Locked { path } => CliError::Refused(format!(
            "the database {} is in use by a running server: stop it first (e.g. `systemctl stop parvis`), then run `parvis rotate-key` again; nothing was changed",
            path.display()
        )),
        e => e.into(),
    })?;
    encryption::check(encryption::recorded(&db)?, &old)?;

    let new = Keys::create_file(&new_file)?;
    // The service must read the new key as it read the old one (the Debian
    // package's key is root:parvis 0440, and rotating runs as root).
    if let Ok(meta) = std::fs::metadata(&key_file) {
        let _ = std::os::unix::fs::chown(&new_file, Some(meta.uid()), Some(meta.gid()));
        let _ = std::fs::set_permissions(&new_file, std::fs::Permissions::from_mode(meta.mode() & 0o777));
    }
    let resealed = match encryption::rotate(&db, &old, &new) {
        Ok(r) => r,
        Err(e) => {
            // Nothing was committed: the new key is of no use.
            let _ = std::fs::remove_file(&new_file);
            return Err(e.into());
        }
    };
    drop(db);
    let moved = std::fs::rename(&key_file, &old_copy).and_then(|_| std::fs::rename(&new_file, &key_file));
    if let Err(e) = moved {
        return Err(CliError::Refused(format!(
            "the database is now encrypted with the new key {}, but it could not take the place of {} ({e}): \
             move the old key aside (keep it for the older backups) and put the new one in its place before starting the server",
            new_file.display(),
            key_file.display()
        )));
    }

    // Verify: the database opens with the key file as the server reads it,
    // and every sealed value opens.
    let keys = Arc::new(Keys::from_file(&key_file)?);
    let store = Store::open_keyed(&db_path, dir.cache_mib, keys.clone())?;
    let report = store.verify()?;
    let opened = encryption::open_all(&*store.read()?, &keys);
    super::shared::close_store(store)?;
    opened?;
    if !report.is_ok() {
        return Err(CliError::Refused(format!(
            "the database was sealed again but does not verify: {}",
            report.problems.join("; ")
        )));
    }
    println!(
        "Clé changée / key rotated: {} secrets de double authentification, {} courriels, {} adresses de comptes / two-factor secrets, mails, account addresses.",
        resealed.two_factor_secrets, resealed.mails, resealed.accounts
    );
    let v = &resealed.verification;
    println!(
        "  Vérification des habitants / residents' verification: {} vérifications / verifications, {} adresses de lettres / letter addresses; {} codes postaux annulés (à redemander) / postal codes voided (ask again), {} lignes de liste effacées (à réimporter) / list rows deleted (import again).",
        v.verifications, v.letters, v.codes_voided, v.list_rows
    );
    println!("  Nouvelle clé / new key: {} (empreinte / fingerprint {})", key_file.display(), keys.fingerprint_hex());
    println!("  Ancienne clé / old key: {}", old_copy.display());
    println!();
    println!("Sauvegardez la nouvelle clé à part des sauvegardes, puis faites une sauvegarde (parvis backup).");
    println!("Les sauvegardes antérieures ne s'ouvrent qu'avec l'ancienne clé : gardez-la avec elles.");
    println!("Back up the new key apart from the backups, then take a backup (parvis backup).");
    println!("Backups taken before open only with the old key: keep it with them.");
    Ok(ExitCode::SUCCESS)
}
