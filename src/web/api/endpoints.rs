//! The endpoints of `/api/v1/`: one list and one record per concept. Each
//! reads the records in id order, filters them by the caller's parameters
//! and hands each to `domain::publication`, which says what of it, if
//! anything, is public.

use std::sync::Arc;

use poem::web::{Data, Path};
use poem::{Request, Response};

use super::{paginate, respond, ApiError, Built, Params};
use crate::app::AppState;
use crate::domain::ids::{BoxId, MeetingId, NewsId, ProposalId, ReportId};
use crate::domain::publication;
use crate::domain::{budgets, consultations, meetings, news, now_unix, proposals};
use crate::web::auth::client_ip;

/// The parameters every list takes.
const PAGING: [&str; 2] = ["limit", "cursor"];

fn with_paging<'a>(filters: &[&'a str]) -> Vec<&'a str> {
    PAGING.iter().copied().chain(filters.iter().copied()).collect()
}

/// The record of `id` in `all`, sorted by id.
fn found<T>(all: &[T], id: u64, key: impl Fn(&T) -> u64) -> Option<&T> {
    all.binary_search_by_key(&id, key).ok().and_then(|i| all.get(i))
}

/// A record's id from the path; anything but a number is simply not found.
fn id_of(text: &str) -> Result<u64, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

/// Runs `build` for this request (quota, conditional headers, errors).
fn call(
    req: &Request,
    state: &Arc<AppState>,
    build: impl FnOnce(&crate::store::ReadTx) -> Result<Built, ApiError>,
) -> Response {
    let ip = client_ip(req, state);
    respond(req, state, &ip, build)
}

/// `GET /api/v1/proposals`: filters `status`, `box`, `category`,
/// `neighbourhood`, `updated_since`.
#[poem::handler]
pub fn proposals_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| proposals_page(tx, &state, &Params::parse(req, &with_paging(PROPOSALS_FILTERS))?))
}

/// The filters of `proposals_list`.
pub const PROPOSALS_FILTERS: &[&str] = &["status", "box", "category", "neighbourhood", "updated_since"];

/// One page of `proposals_list`.
pub fn proposals_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("proposals")?, p.updated_since()?);
    let status = match p.get("status") {
        Some(code) => Some(proposals::Status::from_code(code).ok_or(ApiError::BadParameter { name: "status".into() })?),
        None => None,
    };
    let box_id = p.number("box")?.map(BoxId);
    let (category, neighbourhood) = (p.text("category"), p.text("neighbourhood"));
    let ids = proposals::all_ids(tx)?.into_iter().map(|id| id.get());
    let page = paginate("proposals", ids, after, limit, |id| {
        let Some(pr) = proposals::get(tx, ProposalId(id))? else { return Ok(None) };
        let keep = status.is_none_or(|s| pr.status == s)
            && box_id.is_none_or(|b| pr.box_id == b)
            && category.as_ref().is_none_or(|c| pr.category.as_ref() == Some(c))
            && neighbourhood.as_ref().is_none_or(|n| pr.neighbourhood.as_ref() == Some(n))
            && since.is_none_or(|s| pr.updated_at >= s);
        if !keep {
            return Ok(None);
        }
        Ok(publication::proposal(tx, &pr)?)
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/proposals/{id}`.
#[poem::handler]
pub fn proposal_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let pr = proposals::get(tx, ProposalId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::proposal(tx, &pr)?.ok_or(ApiError::NotFound)?;
        Built::json(&public, Some(pr.updated_at))
    })
}

/// `GET /api/v1/boxes`: every idea box (a commune opens a few a year).
#[poem::handler]
pub fn boxes_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| boxes_page(tx, &state, &Params::parse(req, &with_paging(BOXES_FILTERS))?))
}

/// The filters of `boxes_list`.
pub const BOXES_FILTERS: &[&str] = &[];

/// One page of `boxes_list`.
pub fn boxes_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after) = (p.limit()?, p.after("boxes")?);
    let mut all = proposals::boxes(tx)?;
    all.sort_by_key(|b| b.id);
    let now = now_unix();
    let ids: Vec<u64> = all.iter().map(|b| b.id.get()).collect();
    let page = paginate("boxes", ids, after, limit, |id| match found(&all, id, |b| b.id.get()) {
        Some(b) => Ok(publication::idea_box(tx, b, now)?),
        None => Ok(None),
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/boxes/{id}`.
#[poem::handler]
pub fn box_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let b = proposals::get_box(tx, BoxId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::idea_box(tx, &b, now_unix())?.ok_or(ApiError::NotFound)?;
        Built::json(&public, None)
    })
}

/// `GET /api/v1/reports`: filters `status`, `category`, `neighbourhood`,
/// `updated_since`.
#[poem::handler]
pub fn reports_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| reports_page(tx, &state, &Params::parse(req, &with_paging(REPORTS_FILTERS))?))
}

/// The filters of `reports_list`.
pub const REPORTS_FILTERS: &[&str] = &["status", "category", "neighbourhood", "updated_since"];

/// One page of `reports_list`.
pub fn reports_page(tx: &crate::store::ReadTx, state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("reports")?, p.updated_since()?);
    let (status, category, neighbourhood) = (p.text("status"), p.text("category"), p.text("neighbourhood"));
    let settings = &state.config.reports;
    let ids = crate::domain::reports::all_ids(tx)?.into_iter().map(|id| id.get());
    let page = paginate("reports", ids, after, limit, |id| {
        let keep = |r: &crate::domain::reports::ProblemReport| {
            status.as_ref().is_none_or(|s| *s == r.status)
                && category.as_ref().is_none_or(|c| *c == r.category)
                && neighbourhood.as_ref().is_none_or(|n| r.neighbourhood.as_ref() == Some(n))
                && since.is_none_or(|s| r.updated_at >= s)
        };
        Ok(publication::report(tx, settings, ReportId(id), false, keep)?)
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/reports/{id}`, with its public timeline.
#[poem::handler]
pub fn report_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let mut updated = None;
        let public = publication::report(tx, &state.config.reports, ReportId(id_of(&id)?), true, |r| {
            updated = Some(r.updated_at);
            true
        })?
        .ok_or(ApiError::NotFound)?;
        Built::json(&public, updated)
    })
}

/// `GET /api/v1/consultations`: filters `status` (the phase),
/// `neighbourhood`, `updated_since`. Results only once published.
#[poem::handler]
pub fn consultations_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| consultations_page(tx, &state, &Params::parse(req, &with_paging(CONSULTATIONS_FILTERS))?))
}

/// The filters of `consultations_list`.
pub const CONSULTATIONS_FILTERS: &[&str] = &["status", "neighbourhood", "updated_since"];

/// One page of `consultations_list`.
pub fn consultations_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("consultations")?, p.updated_since()?);
    let (status, neighbourhood) = (p.text("status"), p.text("neighbourhood"));
    let now = now_unix();
    let mut all = consultations::list(tx)?;
    all.sort_by_key(|c| c.id);
    let ids: Vec<u64> = all.iter().map(|c| c.id.get()).collect();
    let page = paginate("consultations", ids, after, limit, |id| {
        let Some(c) = found(&all, id, |c| c.id.get()) else { return Ok(None) };
        let keep = status.as_ref().is_none_or(|s| s == c.phase(now).code())
            && neighbourhood.as_ref().is_none_or(|n| c.neighbourhood.as_ref() == Some(n))
            && since.is_none_or(|s| c.updated_at >= s);
        if !keep {
            return Ok(None);
        }
        Ok(publication::consultation(tx, c, now)?)
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/consultations/{id}`.
#[poem::handler]
pub fn consultation_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let c = consultations::get(tx, consultations::ConsultationId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::consultation(tx, &c, now_unix())?.ok_or(ApiError::NotFound)?;
        // No Last-Modified: its results move with each paper answer typed
        // in after the close, without the record's date moving.
        Built::json(&public, None)
    })
}

/// `GET /api/v1/budgets`: filters `status` (the phase), `updated_since`.
#[poem::handler]
pub fn budgets_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| budgets_page(tx, &state, &Params::parse(req, &with_paging(BUDGETS_FILTERS))?))
}

/// The filters of `budgets_list`.
pub const BUDGETS_FILTERS: &[&str] = &["status", "updated_since"];

/// One page of `budgets_list`.
pub fn budgets_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("budgets")?, p.updated_since()?);
    let status = p.text("status");
    let now = now_unix();
    let mut all = budgets::list(tx)?;
    all.sort_by_key(|b| b.id);
    let ids: Vec<u64> = all.iter().map(|b| b.id.get()).collect();
    let page = paginate("budgets", ids, after, limit, |id| {
        let Some(b) = found(&all, id, |b| b.id.get()) else { return Ok(None) };
        let keep = status.as_ref().is_none_or(|s| s == b.phase(now).code()) && since.is_none_or(|s| b.updated_at >= s);
        if !keep {
            return Ok(None);
        }
        Ok(publication::budget(tx, b, now, false)?)
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/budgets/{id}`: the process, its projects and, when they
/// may be shown, its results.
#[poem::handler]
pub fn budget_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let b = budgets::get(tx, budgets::ProcessId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::budget(tx, &b, now_unix(), true)?.ok_or(ApiError::NotFound)?;
        // No Last-Modified: counts move with each ballot while shown.
        Built::json(&public, None)
    })
}

/// `GET /api/v1/meetings`: filters `status`, `neighbourhood`, `updated_since`.
#[poem::handler]
pub fn meetings_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| meetings_page(tx, &state, &Params::parse(req, &with_paging(MEETINGS_FILTERS))?))
}

/// The filters of `meetings_list`.
pub const MEETINGS_FILTERS: &[&str] = &["status", "neighbourhood", "updated_since"];

/// One page of `meetings_list`.
pub fn meetings_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("meetings")?, p.updated_since()?);
    let (status, neighbourhood) = (p.text("status"), p.text("neighbourhood"));
    let mut all = meetings::list(tx)?;
    all.sort_by_key(|m| m.id);
    let ids: Vec<u64> = all.iter().map(|m| m.id.get()).collect();
    let page = paginate("meetings", ids, after, limit, |id| {
        let Some(m) = found(&all, id, |m| m.id.get()) else { return Ok(None) };
        let keep = status.as_ref().is_none_or(|s| s == m.status.code())
            && neighbourhood.as_ref().is_none_or(|n| m.neighbourhood.as_ref() == Some(n))
            && since.is_none_or(|s| m.updated_at >= s);
        if !keep {
            return Ok(None);
        }
        Ok(publication::meeting(tx, m)?)
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/meetings/{id}`.
#[poem::handler]
pub fn meeting_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let m = meetings::get(tx, MeetingId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::meeting(tx, &m)?.ok_or(ApiError::NotFound)?;
        Built::json(&public, Some(m.updated_at))
    })
}

/// `GET /api/v1/news`: filter `updated_since`.
#[poem::handler]
pub fn news_list(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    call(req, &state, |tx| news_page(tx, &state, &Params::parse(req, &with_paging(NEWS_FILTERS))?))
}

/// The filters of `news_list`.
pub const NEWS_FILTERS: &[&str] = &["updated_since"];

/// One page of `news_list`.
pub fn news_page(tx: &crate::store::ReadTx, _state: &AppState, p: &Params) -> Result<Built, ApiError> {
    let (limit, after, since) = (p.limit()?, p.after("news")?, p.updated_since()?);
    let mut all = news::all(tx)?;
    all.sort_by_key(|n| n.id);
    let ids: Vec<u64> = all.iter().map(|n| n.id.get()).collect();
    let page = paginate("news", ids, after, limit, |id| {
        let Some(n) = found(&all, id, |n| n.id.get()) else { return Ok(None) };
        if since.is_some_and(|s| n.updated_at < s) {
            return Ok(None);
        }
        Ok(publication::news_post(n))
    })?;
    Built::json(&page, None)
}

/// `GET /api/v1/news/{id}`.
#[poem::handler]
pub fn news_one(req: &Request, state: Data<&Arc<AppState>>, Path(id): Path<String>) -> Response {
    call(req, &state, |tx| {
        Params::parse(req, &[])?;
        let n = news::get(tx, NewsId(id_of(&id)?))?.ok_or(ApiError::NotFound)?;
        let public = publication::news_post(&n).ok_or(ApiError::NotFound)?;
        Built::json(&public, Some(n.updated_at))
    })
}

/// The first record of the list at `path` (`proposals`, `boxes` …), as
/// its list answers it: the example the page `/api` shows.
pub fn sample(tx: &crate::store::ReadTx, state: &AppState, path: &str) -> Result<Built, ApiError> {
    let p = Params::from_query("limit=1", &with_paging(&[]))?;
    match path {
        "proposals" => proposals_page(tx, state, &p),
        "boxes" => boxes_page(tx, state, &p),
        "reports" => reports_page(tx, state, &p),
        "consultations" => consultations_page(tx, state, &p),
        "budgets" => budgets_page(tx, state, &p),
        "meetings" => meetings_page(tx, state, &p),
        "news" => news_page(tx, state, &p),
        _ => Err(ApiError::NotFound),
    }
}
