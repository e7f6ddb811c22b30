//! Alerts: a signed-in resident follows a neighbourhood or a category, and
//! is mailed each new report in it and each change of its status (as
//! FixMyStreet's local alerts). Someone who also follows the report itself
//! hears of it once, as one of its followers; someone who follows both the
//! neighbourhood and the category, once too.
//!
//! They are notifications of `Kind::Areas`, told after the commit, in the
//! app and by mail as each person chose (at once, in a digest, never). Each
//! mail carries, beside the link that stops the kind, a link that stops
//! this area's alerts only (then a confirming POST): signed with the
//! database's lookup key for the account and the area, so that nobody can
//! stop someone else's alerts.

use std::collections::BTreeMap;

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::config::Config;
use crate::domain::notifications::fanout::Audience;
use crate::domain::notifications::{self, links, Event, FollowedArea};
use crate::store::{Keyed, Tx, WriteTx};

/// What one can follow beyond a single report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// One of `commune.neighbourhoods`.
    Neighbourhood(String),
    /// The code of one of `[[reports.categories]]`.
    Category(String),
}

impl Area {
    /// The word stored in the key and used in links.
    pub fn kind(&self) -> &'static str {
        match self {
            Area::Neighbourhood(_) => "quartier",
            Area::Category(_) => "categorie",
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Area::Neighbourhood(c) | Area::Category(c) => c,
        }
    }

    pub fn parse(kind: &str, code: &str) -> Option<Area> {
        match kind {
            "quartier" => Some(Area::Neighbourhood(code.to_string())),
            "categorie" => Some(Area::Category(code.to_string())),
            _ => None,
        }
    }

    /// Its name as residents read it.
    pub fn name(&self, config: &Config) -> String {
        match self {
            Area::Neighbourhood(n) => n.clone(),
            Area::Category(c) => config.reports.category(c).map(|c| c.name.clone()).unwrap_or_else(|| c.clone()),
        }
    }

    fn check(&self, config: &Config) -> Result<(), ReportError> {
        match self {
            Area::Neighbourhood(n) if !config.commune.neighbourhoods.contains(n) => {
                Err(ReportError::UnknownNeighbourhood)
            }
            Area::Category(c) if config.reports.category(c).is_none() => Err(ReportError::UnknownCategory),
            _ => Ok(()),
        }
    }
}

/// Starts following an area (once: following twice is following once).
pub fn follow_area(
    tx: &WriteTransaction,
    config: &Config,
    account: AccountId,
    area: &Area,
    now: i64,
) -> Result<bool, ReportError> {
    area.check(config)?;
    let mut table = tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
    if table.get((area.kind(), area.code(), account.get()))?.is_none() {
        table.insert((area.kind(), area.code(), account.get()), now)?;
    }
    Ok(true)
}

/// Stops following an area; an area one did not follow is no error.
pub fn unfollow_area(tx: &WriteTransaction, account: AccountId, area: &Area) -> Result<bool, ReportError> {
    tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?.remove((area.kind(), area.code(), account.get()))?;
    Ok(false)
}

pub fn follows_area(tx: &impl Tx, account: AccountId, area: &Area) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?.get((area.kind(), area.code(), account.get()))?.is_some())
}

/// The configured areas `account` follows: the neighbourhoods and
/// categories are a few dozen, so each is looked up.
pub fn areas_followed(tx: &impl Tx, config: &Config, account: AccountId) -> Result<Vec<Area>, StoreError> {
    let all = config
        .commune
        .neighbourhoods
        .iter()
        .map(|n| Area::Neighbourhood(n.clone()))
        .chain(config.reports.categories.iter().map(|c| Area::Category(c.code.clone())));
    let mut out = Vec::new();
    for area in all {
        if follows_area(tx, account, &area)? {
            out.push(area);
        }
    }
    Ok(out)
}

/// What the stop links are signed for (`notifications::links`). Its words,
/// `"{account}:{kind}:{code}"`, are the ones signed before the signing moved
/// there: the links already in inboxes work unchanged.
const STOP_PURPOSE: &str = "report-area-unsubscribe";

/// The signature of an unsubscribe link.
pub fn unsubscribe_signature(tx: &impl Keyed, account: AccountId, area: &Area) -> String {
    links::sign(tx, STOP_PURPOSE, account, &format!("{}:{}", area.kind(), area.code()))
}

/// The path of the link that stops `account`'s alerts for `area`.
pub fn unsubscribe_path(tx: &impl Keyed, account: AccountId, area: &Area) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("compte", &account.get().to_string());
    q.append_pair("type", area.kind());
    q.append_pair("code", area.code());
    q.append_pair("cle", &unsubscribe_signature(tx, account, area));
    format!("/signalements/alertes/arreter?{}", q.finish())
}

/// Whether `sig` signs the stop link of `account` for `area`.
pub fn unsubscribe_valid(tx: &impl Keyed, account: AccountId, area: &Area, sig: &str) -> bool {
    links::verify(tx, STOP_PURPOSE, account, &format!("{}:{}", area.kind(), area.code()), sig)
}

/// Stops an alert from its mail's link; a link whose signature does not
/// match is refused (someone else's alerts).
pub fn unsubscribe(tx: &WriteTx, account: AccountId, area: &Area, sig: &str) -> Result<(), ReportError> {
    if !unsubscribe_valid(tx, account, area, sig) {
        return Err(ReportError::LinkInvalid);
    }
    unfollow_area(tx, account, area)?;
    Ok(())
}

/// The areas of a report, in the order a follower of both is told of:
/// its neighbourhood, then its category.
fn areas_of(report: &ProblemReport) -> Vec<Area> {
    let mut areas = Vec::new();
    if let Some(n) = &report.neighbourhood {
        areas.push(Area::Neighbourhood(n.clone()));
    }
    areas.push(Area::Category(report.category.clone()));
    areas
}

/// Up to `batch` of those who follow one of `areas`, after `after`, in
/// increasing order, each once: with the position in `areas` of the first
/// one they follow, or `None` for who is not told (`except`, who acted, and
/// the report's own followers, told as such). For the fan-out's batches.
pub fn area_followers_after(
    tx: &impl Tx,
    report: ReportId,
    areas: &[Area],
    except: Option<AccountId>,
    after: Option<AccountId>,
    batch: usize,
) -> Result<Vec<(AccountId, Option<usize>)>, StoreError> {
    let Some(start) = after.map_or(Some(0), |a| a.get().checked_add(1)) else { return Ok(Vec::new()) };
    let table = tx.open(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
    // The first `batch` of each area hold the first `batch` of them all.
    let mut found = BTreeMap::new();
    for (i, area) in areas.iter().enumerate() {
        let (kind, code) = (area.kind(), area.code());
        for row in table.range((kind, code, start)..=(kind, code, u64::MAX))?.take(batch) {
            found.entry(row?.0.value().2).or_insert(i);
        }
    }
    let follows = tx.open(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut out = Vec::new();
    for (account, i) in found.into_iter().take(batch) {
        let told = Some(AccountId(account)) != except && follows.get((report.get(), account))?.is_none();
        out.push((AccountId(account), told.then_some(i)));
    }
    Ok(out)
}

/// The alerts of a report, new (`status` None) or of a new status: one
/// notification job for those who follow its neighbourhood or category,
/// told after the commit ([`notifications::fanout`]) as each chose for
/// « neighbourhoods and categories », with the link that stops the area in
/// every mail. No job when nobody but `except` follows them.
pub(super) fn alert(
    tx: &WriteTransaction,
    config: &Config,
    report: &ProblemReport,
    status: Option<&str>,
    except: Option<AccountId>,
    now: i64,
) -> Result<(), StoreError> {
    let areas = areas_of(report);
    let anyone = {
        let table = tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
        let mut anyone = false;
        for area in &areas {
            let (kind, code) = (area.kind(), area.code());
            for row in table.range((kind, code, 0)..=(kind, code, u64::MAX))? {
                if Some(AccountId(row?.0.value().2)) != except {
                    anyone = true;
                    break;
                }
            }
        }
        anyone
    };
    if !anyone {
        return Ok(());
    }
    let areas: Vec<FollowedArea> = areas
        .iter()
        .map(|a| FollowedArea { kind: a.kind().to_string(), code: a.code().to_string(), name: a.name(config) })
        .collect();
    let (lat, lon) = report.position();
    let event = Event::AreaReport {
        report: report.id.get(),
        category: config.reports.category(&report.category).map(|c| c.name.clone()).unwrap_or_default(),
        place: report.address.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")),
        status: status.map(str::to_string),
        status_name: status.and_then(|code| config.reports.status(code)).and_then(|s| s.name.clone()),
        area: areas[0].clone(),
    };
    notifications::fanout::record(tx, Audience::AreaFollowers { report: report.id, areas, except }, event, now)?;
    Ok(())
}
