//! Alerts: a signed-in resident follows a neighbourhood or a category, and
//! is mailed each new report in it and each change of its status (as
//! FixMyStreet's local alerts). Someone who also follows the report itself
//! hears of it once, as one of its followers; someone who follows both the
//! neighbourhood and the category, once too.
//!
//! Each mail carries a link that stops the alert in one click (then a
//! confirming POST): signed with the database's lookup key for the
//! account and the area, so that nobody can stop someone else's alerts.

use std::collections::BTreeSet;

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::config::Config;
use crate::domain::accounts;
use crate::domain::notifications::links;
use crate::i18n::Arg;
use crate::mail::{outbox, NewMail, Template};
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

/// Who follows the report's neighbourhood or category, each once with
/// the first area they follow, leaving out `except` (who acted) and the
/// report's own followers (told as such).
fn area_followers(
    tx: &WriteTransaction,
    report: &ProblemReport,
    except: Option<AccountId>,
) -> Result<Vec<(AccountId, Area)>, StoreError> {
    let mut areas = Vec::new();
    if let Some(n) = &report.neighbourhood {
        areas.push(Area::Neighbourhood(n.clone()));
    }
    areas.push(Area::Category(report.category.clone()));
    let table = tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
    let follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for area in areas {
        let (kind, code) = (area.kind(), area.code());
        for row in table.range((kind, code, 0)..=(kind, code, u64::MAX))? {
            let account = AccountId(row?.0.value().2);
            if Some(account) == except || !seen.insert(account) {
                continue;
            }
            if follows.get((report.id.get(), account.get()))?.is_none() {
                out.push((account, area.clone()));
            }
        }
    }
    Ok(out)
}

/// Mails the alerts of a report: new (`status` None) or of a new status,
/// in each person's language, with the link that stops them.
pub(super) fn alert(
    tx: &WriteTx,
    config: &Config,
    base_url: &str,
    report: &ProblemReport,
    status: Option<&str>,
    except: Option<AccountId>,
) -> Result<(), StoreError> {
    let base = base_url.trim_end_matches('/');
    let category = config.reports.category(&report.category).map(|c| c.name.clone()).unwrap_or_default();
    let (lat, lon) = report.position();
    let place = report.address.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}"));
    for (account, area) in area_followers(tx, report, except)? {
        let person = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))?;
        let Some(person) = person.filter(|p| !p.blocked && !p.email.is_empty()) else { continue };
        let lang = person.language;
        let status_name = status.map(|code| match config.reports.status(code).and_then(|s| s.name.clone()) {
            Some(name) => name,
            None => lang.try_t(&format!("problem-status-{code}")).unwrap_or_else(|| code.to_string()),
        });
        let args = [
            ("number", Arg::from(report.id.get())),
            ("category", Arg::from(category.as_str())),
            ("place", Arg::from(place.as_str())),
            ("status", Arg::from(status_name.unwrap_or_default())),
            ("area", Arg::from(area.name(config))),
        ];
        let (subject, text) = match status {
            None => ("alert-report-new-subject", "alert-report-new-text"),
            Some(_) => ("alert-report-status-subject", "alert-report-status-text"),
        };
        outbox::enqueue(
            tx,
            NewMail {
                to: person.email.clone(),
                lang,
                template: Template::ReportAlert {
                    name: person.display_name.clone(),
                    subject: lang.ta(subject, &args),
                    text: lang.ta(text, &args),
                    link: format!("{base}/signalements/{}", report.id),
                    area: area.name(config),
                    unsubscribe: format!("{base}{}", unsubscribe_path(tx, account, &area)),
                },
            },
        )?;
    }
    Ok(())
}
