//! `parvis admin …`: what an admin needs when the site cannot help, e.g. a
//! member of staff who lost both phone and recovery codes. The database is
//! opened directly, so the server must be stopped: two processes never
//! write the same file.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, existing_db, DataDir};
use super::{AdminCommand, CliError, DataDirArg, ResetTwoFactorArgs};
use crate::domain::accounts::{self, Role};
use crate::domain::audit;
use crate::domain::{now_unix, two_factor};
use crate::store::Store;

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
    Ok(Store::open_keyed(&db_path, dir.cache_mib, dir.keys()?)?)
}

fn reset_two_factor(config_path: Option<&Path>, args: ResetTwoFactorArgs) -> Result<ExitCode, CliError> {
    let store = open(config_path, &args.data)?;
    let email = args.email.clone();
    let done = store.writer().write_blocking(move |tx| {
        let Some(a) = accounts::find_by_email_in(tx, &email)? else { return Ok(None) };
        let reset = two_factor::reset(tx, &audit::Actor::command_line(), a.id, now_unix())?;
        Ok::<_, CliError>(Some((reset.account, reset.sessions_ended)))
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
