//! `/admin/systeme`: the state of the installation for the volunteer admin:
//! version, database, disk, backups, mail, certificate.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use maud::{html, Markup};
use poem::web::Data;

use super::account::settings::when;
use super::auth::Admin;
use super::chrome::Chrome;
use super::components::facts;
use super::errors::AppError;
use super::layout::page;
use crate::app::AppState;
use crate::i18n::Arg;

fn mib(bytes: u64) -> String {
    format!("{:.1} Mio", bytes as f64 / (1024.0 * 1024.0))
}

/// `GET /admin/systeme`.
#[poem::handler]
pub async fn overview(chrome: Chrome, state: Data<&Arc<AppState>>, _admin: Admin) -> Result<Markup, AppError> {
    let config = &state.config;
    let lang = chrome.lang;
    let now = crate::domain::now_unix();
    let db_size = std::fs::metadata(config.db_path()).map(|m| m.len()).unwrap_or(0);
    let free = crate::store::db::free_bytes(&config.data_dir).unwrap_or(0);
    let backups = crate::store::backup::list_scheduled(&config.backup.dir);
    let newest = crate::store::backup::newest_backup_age(&config.backup.dir, now);
    let (backlog, failed) = {
        let tx = state.store.read()?;
        (crate::mail::outbox::backlog(&tx)?, crate::mail::outbox::failed_count(&tx)?)
    };
    let expires = state.certificate.expires_at.load(Ordering::Relaxed);
    let uptime_hours = state.started.elapsed().as_secs() / 3600;
    let backup_text = match (config.backup.interval, newest) {
        (None, _) => chrome.t("system-backups-off"),
        (Some(_), None) => chrome.t("system-backups-none-yet"),
        (Some(_), Some(age)) => lang.ta(
            "system-backups-newest",
            &[
                ("hours", Arg::from(age / 3600)),
                ("count", Arg::from(backups.len() as u64)),
                ("keep", Arg::from(config.backup.keep as u64)),
            ],
        ),
    };
    let backup_late =
        matches!((config.backup.interval, newest), (Some(every), Some(age)) if age as u64 > every.as_secs() * 2);
    let title = chrome.t("system-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            @if state.store.disk_full() { p.warning-text { (chrome.t("system-disk-full")) } }
            @if backup_late { p.warning-text { (chrome.t("system-backups-late")) } }
            (facts(&chrome, &[
                (&chrome.t("system-version"), Some(env!("CARGO_PKG_VERSION"))),
                (&chrome.t("system-uptime"), Some(lang.ta("system-hours", &[("hours", Arg::from(uptime_hours))]).as_str())),
                (&chrome.t("system-database"), Some(format!("{} — {}", config.db_path().display(), mib(db_size)).as_str())),
                (&chrome.t("system-free-space"), Some(mib(free).as_str())),
                (&chrome.t("system-backups"), Some(format!("{} — {}", config.backup.dir.display(), backup_text).as_str())),
                (&chrome.t("system-mail"), Some(lang.ta("outbox-counts", &[("pending", backlog.into()), ("failed", failed.into())]).as_str())),
                (&chrome.t("system-certificate"), (expires > 0).then(|| when(expires)).as_deref()),
            ]))
            p { a href="/admin/courriels" { (chrome.t("outbox-title")) } }
        },
    ))
}
