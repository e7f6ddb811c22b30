//! Meetings and workshops (« rendez-vous »): public meetings, co-design
//! workshops, council sessions and neighbourhood walks, in a place, online,
//! or both. Online participation complements them, it does not replace them.
//!
//! Staff write a meeting as a draft, publish it, and may cancel it: a
//! cancelled meeting stays listed as cancelled and its registrants are
//! mailed (`staff.rs`). When registration is on, anyone registers — a
//! signed-in resident, or a visitor by name and address (sealed at rest)
//! once they followed the link mailed to it (`confirm.rs`) — for a seat
//! or, once the seats are taken, for the waiting list; cancelling
//! through the emailed signed link promotes the first waiting person in the
//! same transaction and mails them; a reminder leaves the day before, once
//! (`registration.rs`). A person's registrations are in their copy of their
//! data and go with their account (`personal.rs`). Once it is over, staff
//! write its minutes, how many came and what it discussed, and record a
//! workshop's ideas as proposals (`after.rs`), and attach documents to the
//! minutes (`documents.rs`).
//!
//! Times are stored as UTC instants and shown in the commune's time,
//! Europe/Paris ([`paris`]), so that a meeting at 18:30 stays at 18:30 on
//! either side of a daylight-saving change.

mod after;
mod confirm;
mod documents;
mod personal;
mod registration;
mod search;
mod staff;
pub mod tables;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

pub use self::after::{
    attendance, discussed_in, ideas, minutes, record_idea, registrants_after, write_minutes, Idea, Minutes, NewMinutes,
    MAX_COUNTED, MAX_DISCUSSED, MAX_IDEA_TEXT, MAX_IDEA_TITLE, MAX_MINUTES,
};
pub use self::confirm::{check_confirm_link, confirm, pending_count, purge_unconfirmed, Pending, CONFIRM_WITHIN_SECS};
pub use self::documents::{
    add_document, document, documents, remove_document, Document, DocumentKind, NewDocument, MAX_DOCUMENT_NAME,
    MAX_MINUTES_DOCUMENTS,
};
pub use self::personal::{forget_account, of_account, Theirs};
pub use self::registration::{
    cancel_path, cancel_registration, check_cancel_link, mark_attended, promote_waiting, register, registrations,
    send_reminders, Outcome, Registered, Registrant, Registration, Spot, Who, REMINDER_BEFORE_SECS,
};
pub use self::search::{all_ids, search_document};
pub use self::staff::{cancel, create, publish, update, Details};
use super::accounts::AccountId;
use super::changes::{self, ContentKind, Target};
pub use super::ids::MeetingId;
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

/// The longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest agenda or accessibility note accepted, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The longest address, organiser, link or name, in characters.
pub const MAX_LINE: usize = 300;
/// The most seats a meeting offers (a council chamber, a gymnasium).
pub const MAX_SEATS: u32 = 10_000;
/// The longest a meeting lasts: a walk or a workshop day, not a festival.
pub const MAX_DURATION_SECS: i64 = 24 * 3600;

/// The commune's time zone, from jiff's bundled database (no system file
/// needed, so a container without tzdata shows the same hours).
pub fn paris() -> jiff::tz::TimeZone {
    static PARIS: std::sync::LazyLock<jiff::tz::TimeZone> =
        std::sync::LazyLock::new(|| jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC));
    PARIS.clone()
}

/// The instant of a local date (`YYYY-MM-DD`) and time (`HH:MM`) in Paris.
/// A time that does not exist (the hour skipped in March) is read as the
/// same wall-clock time after the change, a repeated one (October) as its
/// first occurrence: jiff's "compatible" rule, as calendar apps do.
pub fn local_instant(date: &str, time: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    let t: jiff::civil::Time = time.trim().parse().ok()?;
    d.to_datetime(t).to_zoned(paris()).ok().map(|z| z.timestamp().as_second())
}

/// An instant as the commune's local date and time.
pub fn local(unix: i64) -> Option<jiff::civil::DateTime> {
    jiff::Timestamp::from_second(unix).ok().map(|ts| ts.to_zoned(paris()).datetime())
}

/// What kind of meeting it is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Réunion publique.
    PublicMeeting,
    /// Atelier de co-construction.
    Workshop,
    /// Conseil municipal (a session open to the public).
    CouncilSession,
    /// Balade de quartier.
    NeighbourhoodWalk,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::PublicMeeting, Kind::Workshop, Kind::CouncilSession, Kind::NeighbourhoodWalk];

    /// A stable code, for forms and translation keys (`meeting-kind-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::PublicMeeting => "public-meeting",
            Kind::Workshop => "workshop",
            Kind::CouncilSession => "council-session",
            Kind::NeighbourhoodWalk => "neighbourhood-walk",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where a meeting stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Seen by staff only.
    Draft,
    Published,
    /// Still listed, as cancelled, so that nobody comes for nothing.
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Cancelled => "cancelled",
        }
    }
}

/// What is provided for people with disabilities.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Accessibility {
    pub step_free: bool,
    pub hearing_loop: bool,
    pub sign_language: bool,
    /// Anything else (a quiet room, large print, how to ask for help).
    pub note: String,
}

/// A meeting.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Meeting {
    pub id: MeetingId,
    pub title: String,
    pub kind: Kind,
    /// Unix seconds, UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    /// The address, empty for a meeting held only online.
    pub address: String,
    /// (latitude, longitude) of the place, when staff gave them.
    pub coords: Option<(f64, f64)>,
    /// An `https://` link to join online.
    pub online_url: Option<String>,
    /// One of `commune.neighbourhoods`, or `None` for the whole commune.
    pub neighbourhood: Option<String>,
    /// Markdown, written by staff.
    pub agenda: String,
    pub accessibility: Accessibility,
    /// Who organises it (a service, an elected member, a residents' group).
    pub organiser: String,
    /// Whether people register; without, anyone just comes.
    pub registration: bool,
    /// The seats offered when people register (`None`: no limit).
    pub seats: Option<u32>,
    pub status: Status,
    pub published_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub created_by: AccountId,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Record for Meeting {
    const NAME: &'static str = "meeting";
    const VERSION: u8 = 1;
}

impl Meeting {
    pub fn target(&self) -> Target {
        Target::new(ContentKind::Meeting, self.id.get())
    }

    /// Seen by residents: published or cancelled (a draft is staff's).
    pub fn is_public(&self) -> bool {
        self.status != Status::Draft
    }

    /// Whether it is over (lists put it under « passés »).
    pub fn is_past(&self, now: i64) -> bool {
        self.ends_at <= now
    }

    /// Whether people may register now.
    pub fn takes_registrations(&self, now: i64) -> bool {
        self.registration && self.status == Status::Published && now < self.starts_at
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MeetingError {
    #[error("no such meeting")]
    NotFound,
    #[error("the title is empty or too long")]
    BadTitle,
    #[error("a text is too long")]
    TooLong,
    #[error("the end is not after the start, or the meeting lasts more than a day")]
    BadTimes,
    /// Neither an address nor an online link: nobody would know where to go.
    #[error("a meeting needs an address or an online link")]
    NoPlace,
    #[error("the online link is not an https:// address")]
    BadLink,
    #[error("the coordinates are not a place on Earth")]
    BadCoordinates,
    #[error("the neighbourhood is not one of the commune's")]
    UnknownNeighbourhood,
    #[error("the number of seats is not between 1 and the maximum")]
    BadSeats,
    #[error("already published")]
    AlreadyPublished,
    /// Cancelling a draft (delete nothing: it was never announced) or a
    /// meeting cancelled already.
    #[error("only a published meeting can be cancelled")]
    NotPublished,
    /// Registering for a meeting without registration, cancelled, or begun.
    #[error("the meeting does not take registrations")]
    RegistrationClosed,
    #[error("already registered")]
    AlreadyRegistered,
    #[error("the address is not a valid email address")]
    BadEmail,
    #[error("the name is empty or too long")]
    BadName,
    /// A cancellation link that was not issued for this registration.
    #[error("the link is not valid")]
    LinkInvalid,
    #[error("the registration is cancelled already")]
    AlreadyCancelled,
    /// Minutes before the meeting has ended, or a workshop's ideas before
    /// it has begun.
    #[error("the meeting is not over yet")]
    NotOver,
    #[error("the attendance is not a number of people")]
    BadCount,
    /// The minutes name something that does not exist or that residents
    /// do not see (a held proposal, a draft consultation).
    #[error("the minutes name {0:?}, which is not a public proposal, consultation or report")]
    UnknownDiscussed(Target),
    #[error("only a workshop records ideas as proposals")]
    NotAWorkshop,
    #[error("no such idea box")]
    UnknownBox,
    #[error("the idea box is closed")]
    BoxClosed,
    /// A document's name empty or too long.
    #[error("the document's name is empty or too long")]
    BadDocumentName,
    #[error("the minutes hold as many documents as they may")]
    TooManyDocuments,
    #[error("no randomness for a registration code: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(MeetingError);

pub fn get(tx: &impl Tx, id: MeetingId) -> Result<Option<Meeting>, StoreError> {
    crate::store::record(tx, MEETING_BY_ID, id.get())
}

/// Every meeting, in the order they take place (a commune holds a few
/// hundred a year at most).
pub fn list(tx: &impl Tx) -> Result<Vec<Meeting>, StoreError> {
    let ids: Vec<u64> =
        tx.open(MEETING_ID_BY_START)?.iter()?.map(|row| row.map(|(k, _)| k.value().1)).collect::<Result<_, _>>()?;
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = get(tx, MeetingId(id))? {
            all.push(m);
        }
    }
    Ok(all)
}

/// The next `n` public meetings not over yet, cancelled ones included (so
/// that a person who planned to come reads that it is off), soonest first.
pub fn upcoming(tx: &impl Tx, now: i64, n: usize) -> Result<Vec<Meeting>, StoreError> {
    // A meeting lasts a day at most: one that started a day ago is over.
    let from = now.saturating_sub(MAX_DURATION_SECS);
    let mut out = Vec::new();
    for row in tx.open(MEETING_ID_BY_START)?.range((from, 0)..)? {
        let id = row?.0.value().1;
        let Some(m) = get(tx, MeetingId(id))? else { continue };
        if m.is_public() && !m.is_past(now) {
            out.push(m);
            if out.len() == n {
                break;
            }
        }
    }
    Ok(out)
}

fn next_id(tx: &WriteTransaction) -> Result<MeetingId, StoreError> {
    let mut counters = tx.open_table(MEETING_COUNTER_BY_NAME)?;
    let id = counters.get("next_meeting")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_meeting", id + 1)?;
    Ok(MeetingId(id))
}

/// The one function that writes a meeting record: with its start index
/// moved from the old start to the new, and its change-log entry.
fn write(tx: &WriteTransaction, pre: Option<&Meeting>, post: &Meeting) -> Result<(), StoreError> {
    let mut starts = tx.open_table(MEETING_ID_BY_START)?;
    if let Some(pre) = pre {
        starts.remove((pre.starts_at, pre.id.get()))?;
    }
    starts.insert((post.starts_at, post.id.get()), ())?;
    tx.open_table(MEETING_BY_ID)?.insert(post.id.get(), encode(post)?.as_slice())?;
    changes::record(tx, post.target())?;
    Ok(())
}

fn load(tx: &impl Tx, id: MeetingId) -> Result<Meeting, MeetingError> {
    get(tx, id)?.ok_or(MeetingError::NotFound)
}

#[cfg(test)]
mod tests;

/// The accounts registered for meeting `id` (told before a private meeting
/// is opened to everyone).
pub fn registered_accounts(tx: &impl Tx, id: MeetingId) -> Result<Vec<AccountId>, StoreError> {
    Ok(registrations(tx, id)?
        .into_iter()
        .filter(|r| r.spot != Spot::Cancelled)
        .filter_map(|r| match r.who {
            Some(Registrant::Account(a)) => Some(a),
            Some(Registrant::Visitor { .. }) | None => None,
        })
        .collect())
}
