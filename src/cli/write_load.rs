//! `parvis write-load` (hidden): a test tool for the crash test.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::shared::{create_private_dir, open_keys, runtime};
use super::{init_tracing, CliError, WriteLoadArgs};
use crate::domain::accounts::{self, NewAccount, Role};
use crate::store::Store;

/// A password hash for load tests: argon2 would make hashing the bottleneck.
pub(super) const LOAD_TEST_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$bG9hZHRlc3RzYWx0$0000000000000000000000000000000000000000000";

/// Writes accounts from many tasks until killed, printing `ack <email>` for
/// each one only once the writer has answered, i.e. once it is durable. The
/// crash test kills this process and checks every acknowledged email.
pub(super) fn run(args: WriteLoadArgs) -> Result<ExitCode, CliError> {
    init_tracing("warn", false);
    create_private_dir(&args.data_dir)?;
    let db_path = args.data_dir.join("parvis.redb");
    let store = Store::open_keyed(&db_path, 16, open_keys(&args.data_dir.join("parvis.key"), &db_path)?)?;
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
