//! `parvis demo-data`: fills a data directory with realistic demo content.

use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, create_private_dir, open_keys, progress_bar};
use super::{init_tracing, load_config, CliError, DemoDataArgs};
use crate::demo;
use crate::store::{Store, StoreError};

pub(super) fn run(config_path: Option<&Path>, args: DemoDataArgs) -> Result<ExitCode, CliError> {
    // A configuration, if there is one, gives the data directory and the
    // neighbourhoods; without one, those of Saint-Exemple.
    let (data_dir, neighbourhoods, cache_mib, key_file) = match config_path {
        Some(path) => {
            let config = load_config(Some(path))?;
            let key_file = match &args.data_dir {
                Some(dir) => dir.join("parvis.key"),
                None => config.key_file,
            };
            (
                args.data_dir.clone().unwrap_or(config.data_dir),
                config.commune.neighbourhoods,
                config.cache_mib,
                key_file,
            )
        }
        None => {
            init_tracing("warn", false);
            let Some(dir) = args.data_dir.clone() else {
                return Err(CliError::Refused(
                    "give the data directory to fill with --data-dir, or a configuration with --config".into(),
                ));
            };
            let key_file = dir.join("parvis.key");
            (dir, Vec::new(), 64, key_file)
        }
    };
    create_private_dir(&data_dir)?;
    let db_path = data_dir.join("parvis.redb");
    let store = match Store::open_keyed(&db_path, cache_mib, open_keys(&key_file, &db_path)?) {
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
        reports: args.reports,
        seed: args.seed,
        neighbourhoods,
        consultation_answers: args.consultation_answers,
        consultation_questions: args.consultation_questions,
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
        "{} residents created ({} already there), {} proposals, {} comments, {} problem reports, {} consultation answers in {} in {:.1} s.",
        report.residents_created,
        report.residents_skipped,
        report.proposals_created,
        report.comments_created,
        report.reports_created,
        report.consultation_answers_created,
        data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    if report.addresses_imported > 0 {
        println!("{} addresses of Saint-Exemple imported (the demo's address list).", report.addresses_imported);
    }
    if report.admin_created {
        println!(
            "The demo admin {} was created; `parvis demo --data-dir {}` gives it a password.",
            demo::ADMIN_EMAIL,
            data_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
