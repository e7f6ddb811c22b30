//! `file`: a resident files a report.

use redb::WriteTransaction;

use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::Notifier;
use crate::mail::{outbox, NewMail, Template};

/// What a resident files.
#[derive(Clone, Debug, Default)]
pub struct NewReport {
    pub author: AccountId,
    pub category: String,
    /// Degrees.
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub neighbourhood: Option<String>,
    pub description: String,
    /// Stored photo files, already re-encoded.
    pub photos: Vec<String>,
    pub show_name: bool,
}

/// A filed report, and the service it was sent to.
#[derive(Clone, Debug, PartialEq)]
pub struct Filed {
    pub id: ReportId,
    /// The name of the service the routing mail went to.
    pub service: String,
}

/// Files a report: the place must be inside the commune's bounds and the
/// category one of the configuration's; the report starts in the first
/// configured status, its author follows it, the category's service is
/// mailed a link to it, and the audit log records who filed it.
pub fn file(
    tx: &crate::store::WriteTx,
    config: &Config,
    notifier: &Notifier,
    actor: &Actor,
    new: &NewReport,
    now: i64,
) -> Result<Filed, ReportError> {
    let settings = &config.reports;
    let category = settings.category(&new.category).ok_or(ReportError::UnknownCategory)?;
    // A category always names a declared service (checked at start-up).
    let service = settings.service(&category.service).ok_or(ReportError::UnknownCategory)?;
    if !new.lat.is_finite() || !new.lon.is_finite() || !settings.bounds.contains(new.lat, new.lon) {
        return Err(ReportError::OutsideCommune);
    }
    if let Some(n) = &new.neighbourhood {
        if !config.commune.neighbourhoods.contains(n) {
            return Err(ReportError::UnknownNeighbourhood);
        }
    }
    let description = new.description.trim();
    if description.is_empty() {
        return Err(ReportError::Empty);
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ReportError::TooLong);
    }
    if new.photos.len() > MAX_PHOTOS {
        return Err(ReportError::TooManyPhotos);
    }
    let status = settings.statuses.first().ok_or(ReportError::UnknownStatus)?;
    let id = next_id(tx)?;
    let address = new
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(MAX_ADDRESS).collect::<String>());
    let report = ProblemReport {
        id,
        category: category.code.clone(),
        lat: to_micro(new.lat),
        lon: to_micro(new.lon),
        address: address.clone(),
        neighbourhood: new.neighbourhood.clone(),
        description: description.to_string(),
        photos: new.photos.clone(),
        author: new.author,
        show_name: new.show_name,
        status: status.code.clone(),
        created_at: now,
        updated_at: now,
        followers: 1,
        supports: 0,
    };
    write(tx, None, &report)?;
    tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.insert((id.get(), new.author.get()), ())?;
    let (lat, lon) = report.position();
    let link = format!("{}/signalements/{id}", notifier.base_url.trim_end_matches('/'));
    outbox::enqueue(
        tx,
        NewMail {
            to: service.email.clone(),
            // The service reads the commune's language.
            lang: config.default_language,
            template: Template::ReportFiled {
                service: service.name.clone(),
                number: id.get(),
                category: category.name.clone(),
                place: address.unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")),
                description: report.description.clone(),
                link,
            },
        },
    )?;
    // Once published (now, for a signed-in resident's report).
    super::alerts::alert(tx, config, &notifier.base_url, &report, None, new.author)?;
    actor.record(tx, Action::ReportFiled, None, format!("report {id}: {} → {}", category.code, service.code), now)?;
    Ok(Filed { id, service: service.name.clone() })
}

/// Writes a report made by a generator (the demo, benchmarks) with its
/// timeline, its « me too » and their follows, through the same write as
/// every report, so that the indexes and counters hold; no mail, no audit:
/// nobody filed it. `report.id`, `followers` and `supports` are set here.
pub fn save_generated(
    tx: &WriteTransaction,
    mut report: ProblemReport,
    updates: &[Update],
    supporters: &[AccountId],
) -> Result<ReportId, StoreError> {
    let id = next_id(tx)?;
    report.id = id;
    let mut followers = vec![report.author];
    followers.extend(supporters.iter().copied().filter(|s| *s != report.author));
    followers.sort();
    followers.dedup();
    report.followers = followers.len() as u64;
    report.supports = (followers.len() - 1) as u64;
    write(tx, None, &report)?;
    let mut follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
    for account in &followers {
        follows.insert((id.get(), account.get()), ())?;
        if *account != report.author {
            supports.insert((id.get(), account.get()), report.created_at)?;
        }
    }
    let mut timeline = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    for (seq, update) in updates.iter().enumerate() {
        timeline.insert((id.get(), seq as u64 + 1), encode(update)?.as_slice())?;
    }
    Ok(id)
}
