//! What the Open311 GeoReport v2 API reads: public reports chosen by the
//! standard filters (`GET requests`).

use super::*;
use crate::store::Tx;

/// The most requests one answer holds (the specification lets a server
/// choose; FixMyStreet's default is of this order).
pub const MAX_REQUESTS: usize = 1_000;

/// The filters of `GET requests`; `None` lets all through.
#[derive(Clone, Debug, Default)]
pub struct RequestsQuery {
    /// `service_request_id`: these reports only (the other filters are then
    /// ignored, as the specification says).
    pub ids: Option<Vec<ReportId>>,
    /// `service_code`: a category.
    pub category: Option<String>,
    /// `start_date` / `end_date` (Unix seconds, end excluded).
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// `status`: open (`Some(true)`) or closed, fixed included (`Some(false)`).
    pub open: Option<bool>,
}

/// The public reports the query chooses, newest first, at most
/// [`MAX_REQUESTS`]; a report waiting for confirmation is never one.
pub fn requests(tx: &impl Tx, settings: &ReportSettings, q: &RequestsQuery) -> Result<Vec<ProblemReport>, StoreError> {
    if let Some(ids) = &q.ids {
        let mut out = Vec::new();
        for id in ids.iter().take(MAX_REQUESTS) {
            if let Some(r) = get(tx, *id)? {
                out.push(r);
            }
        }
        return Ok(out);
    }
    let filter = Filter { category: q.category.clone(), from: q.from, to: q.to, ..Filter::default() };
    let mut out = Vec::new();
    for number in 0..=MAX_PAGE {
        let (page, more) = list(tx, &filter, Page { number, size: 100 })?;
        out.extend(page.into_iter().filter(|r| q.open.is_none_or(|open| r.is_open(settings) == open)));
        if !more || out.len() >= MAX_REQUESTS {
            break;
        }
    }
    out.truncate(MAX_REQUESTS);
    Ok(out)
}

/// The latest public text on a report's timeline (Open311's
/// `status_notes`).
pub fn latest_note(tx: &impl Tx, id: ReportId) -> Result<Option<String>, StoreError> {
    Ok(timeline(tx, id)?.into_iter().rev().map(|u| u.text).find(|t| !t.trim().is_empty()))
}
