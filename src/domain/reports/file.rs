//! `file`: a resident or a visitor files a report.

use redb::WriteTransaction;

use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::Notifier;
use crate::i18n::Lang;
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Keyed, WriteTx};

/// The longest name a visitor may give.
pub const MAX_VISITOR_NAME: usize = 60;

/// Who files.
#[derive(Clone, Debug)]
pub enum Filer {
    /// A signed-in resident: the report is public at once.
    Account(AccountId),
    /// Someone without an account: the report waits for the link mailed to
    /// `email` (in `lang`, the language of the form they used).
    Visitor { email: String, name: String, lang: Lang },
    /// Another system through the Open311 API, by its client name: its API
    /// key is the proof, so the report is public and routed at once.
    Open311 { client: String },
}

/// What a resident or a visitor files.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub author: Filer,
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

/// A filed report, and the service it was (or, once confirmed, will be)
/// sent to.
#[derive(Clone, Debug, PartialEq)]
pub struct Filed {
    pub id: ReportId,
    /// The name of the service the routing mail went to.
    pub service: String,
    /// Filed without an account: nothing is public nor routed until the
    /// mailed link is followed.
    pub awaiting_confirmation: bool,
}

/// How long a report's confirmation link works, and how long an
/// unconfirmed report is kept: three days, as the problem may be gone by
/// then, and a stranger's address typed by someone else must not stay.
pub const CONFIRMATION_LIFETIME_SECS: i64 = 3 * 24 * 3600;

/// Files a report: the place must be inside the commune's bounds and the
/// category one of the configuration's; the report starts in the first
/// configured status. A resident's report is public at once: they follow
/// it, the category's service is mailed a link to it, and the audit log
/// records who filed it. A visitor's waits, unlisted, for the link mailed
/// to them ([`super::confirm`] then publishes and routes it).
pub fn file(
    tx: &WriteTx,
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
    let visitor = match &new.author {
        Filer::Account(_) | Filer::Open311 { .. } => None,
        Filer::Visitor { email, name, lang } => {
            let email = crate::domain::accounts::normalise_email(email).map_err(|_| ReportError::BadEmail)?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > MAX_VISITOR_NAME {
                return Err(ReportError::BadName);
            }
            Some((email, name.to_string(), *lang))
        }
    };
    let id = next_id(tx)?;
    let author = match (&new.author, &visitor) {
        (Filer::Account(account), _) => Author::Account(*account),
        (Filer::Open311 { client }, _) => Author::Open311 { client: client.clone() },
        (Filer::Visitor { .. }, Some((email, name, _))) => Author::Visitor {
            name: name.clone(),
            email: tx
                .keys()
                .seal_str(&visitor_email_context(id), email)
                .map_err(|source| StoreError::Sealed { what: "report author's address", source })?,
        },
        (Filer::Visitor { .. }, None) => return Err(ReportError::BadEmail),
    };
    let address = new
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(MAX_ADDRESS).collect::<String>());
    // Only an account follows: nobody else has a place to be told.
    let followed = author.account().is_some();
    let report = ProblemReport {
        id,
        category: category.code.clone(),
        lat: to_micro(new.lat),
        lon: to_micro(new.lon),
        address: address.clone(),
        neighbourhood: new.neighbourhood.clone(),
        description: description.to_string(),
        photos: new.photos.clone(),
        author,
        show_name: new.show_name,
        confirmed: visitor.is_none(),
        status: status.code.clone(),
        created_at: now,
        updated_at: now,
        followers: u64::from(followed),
        supports: 0,
    };
    write(tx, None, &report)?;
    if let Some((email, name, lang)) = visitor {
        let token = super::confirm::issue(tx, id, now + CONFIRMATION_LIFETIME_SECS)?;
        let base = notifier.base_url.trim_end_matches('/');
        outbox::enqueue(
            tx,
            NewMail {
                to: email,
                lang,
                template: Template::ConfirmReport {
                    name,
                    number: id.get(),
                    category: category.name.clone(),
                    link: format!("{base}/signalements/confirmer?jeton={token}"),
                },
            },
        )?;
        return Ok(Filed { id, service: service.name.clone(), awaiting_confirmation: true });
    }
    if let Author::Account(account) = report.author {
        tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.insert((id.get(), account.get()), ())?;
    }
    route(tx, config, notifier, actor, &report, now)?;
    Ok(Filed { id, service: service.name.clone(), awaiting_confirmation: false })
}

/// Sends a public report to its category's service (a mail with a link)
/// and records who filed it: at filing for a resident, at confirmation for
/// a visitor.
pub(super) fn route(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    actor: &Actor,
    report: &ProblemReport,
    now: i64,
) -> Result<(), ReportError> {
    let settings = &config.reports;
    let category = settings.category(&report.category).ok_or(ReportError::UnknownCategory)?;
    let service = settings.service(&category.service).ok_or(ReportError::UnknownCategory)?;
    mail_service(tx, config, notifier, report, category, service)?;
    let id = report.id;
    // Once published (now, for a signed-in resident's report).
    super::alerts::alert(tx, config, &notifier.base_url, report, None, report.author.account())?;
    actor.record(tx, Action::ReportFiled, None, format!("report {id}: {} → {}", category.code, service.code), now)?;
    Ok(())
}

/// Mails `report` to `service` (the one of its `category`), with a link:
/// at filing, at a visitor's confirmation, and when staff move it to a
/// category of another service.
pub(super) fn mail_service(
    tx: &WriteTransaction,
    config: &Config,
    notifier: &Notifier,
    report: &ProblemReport,
    category: &crate::config::Category,
    service: &crate::config::Service,
) -> Result<(), StoreError> {
    let (lat, lon) = report.position();
    let link = format!("{}/signalements/{}", notifier.base_url.trim_end_matches('/'), report.id);
    outbox::enqueue(
        tx,
        NewMail {
            to: service.email.clone(),
            // The service reads the commune's language.
            lang: config.default_language,
            template: Template::ReportFiled {
                service: service.name.clone(),
                number: report.id.get(),
                category: category.name.clone(),
                place: report.address.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")),
                description: report.description.clone(),
                link,
            },
        },
    )?;
    Ok(())
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
    let mut followers: Vec<AccountId> = report.author.account().into_iter().collect();
    followers.extend(supporters.iter().copied().filter(|s| !report.author.is(*s)));
    followers.sort();
    followers.dedup();
    report.followers = followers.len() as u64;
    report.supports = followers.iter().filter(|a| !report.author.is(**a)).count() as u64;
    write(tx, None, &report)?;
    let mut follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
    for account in &followers {
        follows.insert((id.get(), account.get()), ())?;
        if !report.author.is(*account) {
            supports.insert((id.get(), account.get()), report.created_at)?;
        }
    }
    let mut timeline = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    for (seq, update) in updates.iter().enumerate() {
        timeline.insert((id.get(), seq as u64 + 1), encode(update)?.as_slice())?;
    }
    Ok(id)
}
