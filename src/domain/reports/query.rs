//! Reading reports: one, its timeline, a filtered page, and the open ones
//! nearby.

use redb::ReadableTable;

use super::update::decode_update;
use super::*;
use crate::config::ReportSettings;
use crate::store::{self, decode, Tx};

/// A public report: one waiting for its author's confirmation is not
/// found (its page, "me too", updates and status changes all start here).
pub fn get(tx: &impl Tx, id: ReportId) -> Result<Option<ProblemReport>, StoreError> {
    Ok(store::record::<ProblemReport>(tx, PROBLEM_REPORT_BY_ID, id.get())?.filter(|r| r.confirmed))
}

/// The public timeline of a report, oldest first.
pub fn timeline(tx: &impl Tx, id: ReportId) -> Result<Vec<Update>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(decode_update(row?.1.value())?);
    }
    Ok(out)
}

/// Which reports to list; every field left `None` lets all through.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub category: Option<String>,
    /// Any of these categories (a service's queue: its categories).
    pub categories: Option<Vec<String>>,
    pub status: Option<String>,
    pub neighbourhood: Option<String>,
    /// Filed at or after (Unix seconds).
    pub from: Option<i64>,
    /// Filed before (Unix seconds).
    pub to: Option<i64>,
}

impl Filter {
    fn keeps(&self, r: &ProblemReport) -> bool {
        self.category.as_ref().is_none_or(|c| *c == r.category)
            && self.categories.as_ref().is_none_or(|cs| cs.contains(&r.category))
            && self.status.as_ref().is_none_or(|s| *s == r.status)
            && self.neighbourhood.as_ref().is_none_or(|n| r.neighbourhood.as_ref() == Some(n))
            && self.from.is_none_or(|f| r.created_at >= f)
            && self.to.is_none_or(|t| r.created_at < t)
    }
}

/// The deepest page a list goes to (as proposals' `MAX_PAGE`).
pub const MAX_PAGE: usize = 1_000;

/// Which page, counted from 0, of `size` reports.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub number: usize,
    pub size: usize,
}

/// One page of reports, newest first, and whether there is another. A
/// category or a status filter walks its own index (newest first, within
/// the dates); otherwise every report, newest id first.
pub fn list(tx: &impl Tx, filter: &Filter, page: Page) -> Result<(Vec<ProblemReport>, bool), StoreError> {
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let hidden = tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    let skip = page.number.min(MAX_PAGE).saturating_mul(page.size);
    let mut out = Vec::with_capacity(page.size.min(100));
    let mut seen = 0usize;
    let mut consider = |id: u64, out: &mut Vec<ProblemReport>| -> Result<bool, StoreError> {
        let Some(bytes) = reports.get(id)? else { return Ok(true) };
        // Hidden by staff: out of every list.
        if hidden.get(id)?.is_some() {
            return Ok(true);
        }
        let r: ProblemReport = decode(bytes.value())?;
        if !r.confirmed || !filter.keeps(&r) {
            return Ok(true);
        }
        seen += 1;
        if seen <= skip {
            return Ok(true);
        }
        if out.len() == page.size {
            return Ok(false);
        }
        out.push(r);
        Ok(true)
    };
    let (from, to) = (filter.from.unwrap_or(i64::MIN), filter.to.unwrap_or(i64::MAX).saturating_sub(1));
    let mut more = false;
    let index = match (&filter.category, &filter.status) {
        (Some(c), _) => Some((PROBLEM_REPORT_ID_BY_CATEGORY_CREATED, c.as_str())),
        (None, Some(s)) => Some((PROBLEM_REPORT_ID_BY_STATUS_CREATED, s.as_str())),
        (None, None) => None,
    };
    match index {
        Some((def, key)) if from <= to => {
            let table = tx.open(def)?;
            for row in table.range((key, from, 0)..=(key, to, u64::MAX))?.rev() {
                if !consider(row?.0.value().2, &mut out)? {
                    more = true;
                    break;
                }
            }
        }
        Some(_) => {}
        None => {
            // Walked lazily, newest first: the first page reads its twenty
            // reports, not every id of the table (100,000 in a large town).
            for row in reports.iter()?.rev() {
                if !consider(row?.0.value(), &mut out)? {
                    more = true;
                    break;
                }
            }
        }
    }
    Ok((out, more))
}

/// An open report near a place, and how far.
#[derive(Clone, Debug, PartialEq)]
pub struct Nearby {
    pub report: ProblemReport,
    pub metres: f64,
}

/// The open reports of `category` within `radius_m` metres of (`lat`,
/// `lon`) in degrees, nearest first: the grid cells around the place are
/// read, never the whole table.
pub fn nearby(
    tx: &impl Tx,
    settings: &ReportSettings,
    category: &str,
    lat: f64,
    lon: f64,
    radius_m: f64,
) -> Result<Vec<Nearby>, StoreError> {
    let cells = tx.open(PROBLEM_REPORT_ID_BY_CELL)?;
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let hidden = tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    // Degrees per metre: 1/111,320 north–south, divided by cos(lat) east–west.
    let dlat = radius_m / 111_320.0;
    let dlon = dlat / lat.to_radians().cos().max(0.01);
    let (row_min, col_min) = cell_of(to_micro(lat - dlat), to_micro(lon - dlon));
    let (row_max, col_max) = cell_of(to_micro(lat + dlat), to_micro(lon + dlon));
    let mut out = Vec::new();
    for row in row_min..=row_max {
        for entry in cells.range((row, col_min, 0)..=(row, col_max, u64::MAX))? {
            let id = entry?.0.value().2;
            if hidden.get(id)?.is_some() {
                continue;
            }
            let Some(bytes) = reports.get(id)? else { continue };
            let r: ProblemReport = decode(bytes.value())?;
            if r.category != category || !r.is_open(settings) {
                continue;
            }
            let (r_lat, r_lon) = r.position();
            let metres = crate::domain::addresses::distance_m(lat, lon, r_lat, r_lon);
            if metres <= radius_m {
                out.push(Nearby { report: r, metres });
            }
        }
    }
    out.sort_by(|a, b| a.metres.total_cmp(&b.metres));
    Ok(out)
}

/// The reports a person filed, newest first (personal data export).
pub fn of_author(tx: &impl Tx, author: AccountId) -> Result<Vec<ProblemReport>, StoreError> {
    let index = tx.open(PROBLEM_REPORT_ID_BY_AUTHOR)?;
    let mut out = Vec::new();
    for row in index.range((author.get(), 0)..=(author.get(), u64::MAX))?.rev() {
        if let Some(r) = get(tx, ReportId(row?.0.value().1))? {
            out.push(r);
        }
    }
    Ok(out)
}

/// The reports a person follows, newest report first (personal data
/// export). Follows are keyed by report, to reach its followers: the table
/// is read whole, which an export, rare and for one person, can afford.
pub fn followed_by(tx: &impl Tx, account: AccountId) -> Result<Vec<ReportId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.iter()? {
        let (id, follower) = row?.0.value();
        if follower == account.get() {
            out.push(ReportId(id));
        }
    }
    out.reverse();
    Ok(out)
}

/// The reports a person said « me too » on, with when, most recent first
/// (personal data export; read whole, as [`followed_by`]).
pub fn supports_of(tx: &impl Tx, account: AccountId) -> Result<Vec<(ReportId, i64)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?.iter()? {
        let (key, at) = row?;
        let (id, by) = key.value();
        if by == account.get() {
            out.push((ReportId(id), at.value()));
        }
    }
    out.sort_by_key(|(id, at)| std::cmp::Reverse((*at, *id)));
    Ok(out)
}

/// A report as the public may see it: published and not hidden by staff
/// (`get` gives staff the hidden ones too). For feeds and the Open311 API.
pub fn get_public(tx: &impl Tx, id: ReportId) -> Result<Option<ProblemReport>, StoreError> {
    if super::is_hidden(tx, id)? {
        return Ok(None);
    }
    get(tx, id)
}
