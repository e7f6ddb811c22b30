//! The staff's operations: write a meeting, publish it, cancel it. Each is
//! audited.

use redb::WriteTransaction;

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::Notifier;
use crate::store::WriteTx;

/// What staff write about a meeting.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    pub title: String,
    pub kind: Kind,
    pub starts_at: i64,
    pub ends_at: i64,
    pub address: String,
    pub coords: Option<(f64, f64)>,
    pub online_url: String,
    pub neighbourhood: Option<String>,
    pub agenda: String,
    pub accessibility: Accessibility,
    pub organiser: String,
    pub registration: bool,
    pub seats: Option<u32>,
}

/// The details as kept, or the first reason they are refused.
pub fn checked(details: &Details, neighbourhoods: &[String]) -> Result<Details, MeetingError> {
    let title = details.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(MeetingError::BadTitle);
    }
    let line = |s: &str| s.trim().chars().count() <= MAX_LINE;
    if !line(&details.address) || !line(&details.organiser) || !line(&details.online_url) {
        return Err(MeetingError::TooLong);
    }
    if details.agenda.chars().count() > MAX_TEXT || details.accessibility.note.chars().count() > MAX_TEXT {
        return Err(MeetingError::TooLong);
    }
    if details.ends_at <= details.starts_at || details.ends_at - details.starts_at > MAX_DURATION_SECS {
        return Err(MeetingError::BadTimes);
    }
    let online = details.online_url.trim();
    // Only https: a plain http link to a video call would let anyone on the
    // way read or change where people are sent.
    if !online.is_empty() {
        let ok = url::Url::parse(online).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some());
        if !ok {
            return Err(MeetingError::BadLink);
        }
    }
    if details.address.trim().is_empty() && online.is_empty() {
        return Err(MeetingError::NoPlace);
    }
    if let Some((lat, lon)) = details.coords {
        if !lat.is_finite() || !lon.is_finite() || !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(MeetingError::BadCoordinates);
        }
    }
    if details.neighbourhood.as_ref().is_some_and(|n| !neighbourhoods.contains(n)) {
        return Err(MeetingError::UnknownNeighbourhood);
    }
    if details.seats.is_some_and(|s| s == 0 || s > MAX_SEATS) {
        return Err(MeetingError::BadSeats);
    }
    Ok(Details {
        title: title.to_string(),
        address: details.address.trim().to_string(),
        online_url: online.to_string(),
        agenda: details.agenda.trim().to_string(),
        organiser: details.organiser.trim().to_string(),
        accessibility: Accessibility {
            note: details.accessibility.note.trim().to_string(),
            ..details.accessibility.clone()
        },
        seats: details.seats.filter(|_| details.registration),
        ..details.clone()
    })
}

fn audit(tx: &WriteTransaction, actor: &Actor, id: MeetingId, what: &str, now: i64) -> Result<(), MeetingError> {
    actor.record(tx, Action::MeetingChanged, None, format!("meeting {id}: {what}"), now)?;
    Ok(())
}

fn apply(m: &mut Meeting, d: Details) {
    m.title = d.title;
    m.kind = d.kind;
    m.starts_at = d.starts_at;
    m.ends_at = d.ends_at;
    m.address = d.address;
    m.coords = d.coords;
    m.online_url = Some(d.online_url).filter(|u| !u.is_empty());
    m.neighbourhood = d.neighbourhood;
    m.agenda = d.agenda;
    m.accessibility = d.accessibility;
    m.organiser = d.organiser;
    m.registration = d.registration;
    m.seats = d.seats;
}

/// Staff write a new meeting: a draft, seen by staff only.
pub fn create(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    details: &Details,
    now: i64,
) -> Result<MeetingId, MeetingError> {
    let d = checked(details, neighbourhoods)?;
    let id = next_id(tx)?;
    let mut m = Meeting {
        id,
        title: String::new(),
        kind: d.kind,
        starts_at: d.starts_at,
        ends_at: d.ends_at,
        address: String::new(),
        coords: None,
        online_url: None,
        neighbourhood: None,
        agenda: String::new(),
        accessibility: Accessibility::default(),
        organiser: String::new(),
        registration: false,
        seats: None,
        status: Status::Draft,
        published_at: None,
        cancelled_at: None,
        created_by: actor.account.unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    apply(&mut m, d);
    write(tx, None, &m)?;
    audit(tx, actor, id, "created", now)?;
    Ok(id)
}

/// Staff change a meeting. More seats promote the waiting list at once
/// (in this transaction, each promoted person mailed); fewer seats never
/// unseat anyone already registered. A new time or place is mailed to
/// everyone registered.
pub fn update(
    tx: &WriteTx,
    notifier: &Notifier,
    neighbourhoods: &[String],
    actor: &Actor,
    id: MeetingId,
    details: &Details,
    now: i64,
) -> Result<(), MeetingError> {
    let d = checked(details, neighbourhoods)?;
    let pre = load(tx, id)?;
    let mut m = pre.clone();
    apply(&mut m, d);
    m.updated_at = now;
    write(tx, Some(&pre), &m)?;
    audit(tx, actor, id, "details changed", now)?;
    if m.status == Status::Published {
        super::registration::fill_seats(tx, notifier, &m, now)?;
        // Whoever registered plans to come at that time to that place: a
        // change of either reaches them, a corrected typo in the agenda not.
        let moved = (pre.starts_at, pre.ends_at, &pre.address, &pre.online_url)
            != (m.starts_at, m.ends_at, &m.address, &m.online_url);
        if moved {
            super::registration::tell_all(tx, notifier, &m, false, now)?;
        }
    }
    Ok(())
}

/// Publishes a draft: residents see it, and may register when it takes
/// registrations.
pub fn publish(tx: &WriteTransaction, actor: &Actor, id: MeetingId, now: i64) -> Result<(), MeetingError> {
    let pre = load(tx, id)?;
    if pre.status != Status::Draft {
        return Err(MeetingError::AlreadyPublished);
    }
    let mut m = pre.clone();
    m.status = Status::Published;
    m.published_at = Some(now);
    m.updated_at = now;
    write(tx, Some(&pre), &m)?;
    audit(tx, actor, id, "published", now)
}

/// Cancels a published meeting: it stays listed as cancelled, and everyone
/// registered (seated or waiting) is mailed in this transaction. Returns
/// how many were mailed.
pub fn cancel(
    tx: &WriteTx,
    notifier: &Notifier,
    actor: &Actor,
    id: MeetingId,
    now: i64,
) -> Result<usize, MeetingError> {
    let pre = load(tx, id)?;
    if pre.status != Status::Published {
        return Err(MeetingError::NotPublished);
    }
    let mut m = pre.clone();
    m.status = Status::Cancelled;
    m.cancelled_at = Some(now);
    m.updated_at = now;
    write(tx, Some(&pre), &m)?;
    audit(tx, actor, id, "cancelled", now)?;
    let told = super::registration::tell_all(tx, notifier, &m, true, now)?;
    Ok(told)
}
