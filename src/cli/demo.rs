//! `parvis demo`: the fictional commune of Saint-Exemple, with demo data,
//! served at once with a fresh admin password printed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::shared::{close_store, create_private_dir, open_keys, progress_bar, runtime, shutdown_signal};
use super::{init_tracing, CliError, DemoArgs};
use crate::domain::accounts;
use crate::store::Store;
use crate::{demo, server};

pub(super) fn run(args: DemoArgs) -> Result<ExitCode, CliError> {
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
        let keys = open_keys(&config.key_file, &config.db_path())?;
        let store = Store::open_keyed(&config.db_path(), config.cache_mib, keys)?;
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
    // Eight: one for each browser suite that signs the admin in, and room to try.
    let codes = sign_in.recovery_codes.iter().take(8).cloned().collect::<Vec<_>>().join("   ");
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
