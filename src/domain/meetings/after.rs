//! After the meeting: the minutes (« compte rendu »), how many came, what
//! it discussed, and the ideas a workshop produced, recorded as proposals.
//!
//! The minutes are written once the meeting has ended, and may be written
//! again (a correction, a document's link added). What a meeting discussed
//! is indexed the other way too (`MEETING_ID_BY_DISCUSSED`), in the same
//! transaction, so that a proposal's page says « discutée lors de … »
//! without reading every meeting.
//!
//! A workshop's ideas become proposals in an idea box chosen by staff, on
//! behalf of the group: [`crate::domain::proposals::post_from`] posts them
//! as online ones are posted, with their origin, so that they get the same
//! statuses, supports, answer and follow-up.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::domain::consultations::{self, ConsultationId};
use crate::domain::ids::{BoxId, ProposalId, ReportId};
use crate::domain::notifications::{fanout, Event};
use crate::domain::proposals::{self, NewProposal, Origin, ProposalError};
use crate::domain::reports;

/// The longest minutes, in characters: a long council session's record.
pub const MAX_MINUTES: usize = 100_000;
/// The most items one meeting's minutes link to.
pub const MAX_DISCUSSED: usize = 50;
/// The largest attendance typed by staff: a large public meeting, not a
/// typing slip of three zeros too many.
pub const MAX_COUNTED: u32 = 100_000;
/// A workshop idea's title and text, as an online proposal's.
pub const MAX_IDEA_TITLE: usize = 150;
pub const MAX_IDEA_TEXT: usize = 10_000;

/// The record of a meeting once it is over.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Minutes {
    pub meeting: MeetingId,
    /// Markdown, written by staff.
    pub text: String,
    /// How many came, typed by staff when there was no registration (with
    /// registration, the count is of those marked at the door).
    pub counted: Option<u32>,
    /// The proposals, consultations and problem reports it discussed, in
    /// the order staff gave them.
    pub discussed: Vec<Target>,
    pub by: AccountId,
    pub at: i64,
}

impl Record for Minutes {
    const NAME: &'static str = "meeting minutes";
    const VERSION: u8 = 1;
}

/// What staff write after the meeting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewMinutes {
    pub text: String,
    pub counted: Option<u32>,
    pub discussed: Vec<Target>,
}

/// A meeting's minutes, if written.
pub fn minutes(tx: &impl Tx, id: MeetingId) -> Result<Option<Minutes>, StoreError> {
    crate::store::record(tx, MEETING_MINUTES_BY_MEETING, id.get())
}

/// Whether `target` is something a meeting can have discussed and that
/// residents see: a public proposal, a published consultation, a
/// confirmed problem report.
fn discussable(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    Ok(match target.kind {
        ContentKind::Proposal => match proposals::get(tx, ProposalId(target.id))? {
            Some(p) => proposals::is_public(tx, &p)?,
            None => false,
        },
        ContentKind::Consultation => {
            consultations::get(tx, ConsultationId(target.id))?.is_some_and(|c| c.published.is_some())
        }
        ContentKind::Report => reports::get(tx, ReportId(target.id))?.is_some_and(|r| r.confirmed),
        ContentKind::Comment | ContentKind::Meeting | ContentKind::Page => false,
    })
}

/// Staff write (or write again) the minutes of a published meeting that
/// has ended: the text, the count when nobody registered, what it
/// discussed. The index from each discussed item to the meeting moves
/// with them; audited. The first time, those registered with an account
/// are told the minutes are online (after the commit, as they chose for
/// « meetings »); a correction later is not news again.
pub fn write_minutes(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    new: &NewMinutes,
    now: i64,
) -> Result<(), MeetingError> {
    let m = load(tx, id)?;
    if m.status != Status::Published {
        return Err(MeetingError::NotPublished);
    }
    if !m.is_past(now) {
        return Err(MeetingError::NotOver);
    }
    let text = new.text.trim();
    if text.chars().count() > MAX_MINUTES {
        return Err(MeetingError::TooLong);
    }
    // With registration the door's marks count; a typed number beside them
    // would be a second, disagreeing answer.
    let counted = if m.registration { None } else { new.counted };
    if counted.is_some_and(|c| c > MAX_COUNTED) {
        return Err(MeetingError::BadCount);
    }
    let mut discussed: Vec<Target> = Vec::new();
    for t in &new.discussed {
        if !discussed.contains(t) {
            discussed.push(*t);
        }
    }
    if discussed.len() > MAX_DISCUSSED {
        return Err(MeetingError::TooLong);
    }
    for t in &discussed {
        if !discussable(tx, *t)? {
            return Err(MeetingError::UnknownDiscussed(*t));
        }
    }
    let pre = minutes(tx, id)?;
    let first = pre.is_none();
    let mut index = tx.open_table(MEETING_ID_BY_DISCUSSED)?;
    for t in pre.iter().flat_map(|p| p.discussed.iter()) {
        index.remove((t.kind.tag(), t.id, id.get()))?;
    }
    for t in &discussed {
        index.insert((t.kind.tag(), t.id, id.get()), ())?;
    }
    drop(index);
    // A discussed proposal's page says « Discutée lors de … », and visitors
    // are served a kept copy of it: move its version, for those it gains
    // and those it loses.
    for t in pre.iter().flat_map(|p| p.discussed.iter()).chain(discussed.iter()) {
        if t.kind == ContentKind::Proposal {
            crate::domain::proposals::page_changed(tx, crate::domain::proposals::ProposalId(t.id))?;
        }
    }
    let post = Minutes {
        meeting: id,
        text: text.to_string(),
        counted,
        discussed,
        by: actor.account.unwrap_or_default(),
        at: now,
    };
    tx.open_table(MEETING_MINUTES_BY_MEETING)?.insert(id.get(), encode(&post)?.as_slice())?;
    // The meeting's page and search document now carry its minutes.
    changes::record(tx, m.target())?;
    actor.record(tx, Action::MeetingChanged, None, format!("meeting {id}: minutes written"), now)?;
    if first && !registrants_after(tx, id, None, 1)?.is_empty() {
        let event = Event::MinutesPublished { meeting: id.get(), title: m.title.clone() };
        fanout::record(tx, fanout::Audience::MeetingRegistrants(id), event, now)?;
    }
    Ok(())
}

/// Up to `batch` accounts registered for `id` (seated or waiting) after
/// `after`, in increasing order, for the fan-out's batches. A meeting's
/// registrations are a room's worth: each batch reads them all.
pub fn registrants_after(
    tx: &impl Tx,
    id: MeetingId,
    after: Option<AccountId>,
    batch: usize,
) -> Result<Vec<AccountId>, StoreError> {
    let accounts: std::collections::BTreeSet<AccountId> = registrations(tx, id)?
        .into_iter()
        .filter(|r| r.spot != Spot::Cancelled)
        .filter_map(|r| match r.who {
            Some(Registrant::Account(a)) if after.is_none_or(|after| a > after) => Some(a),
            _ => None,
        })
        .collect();
    Ok(accounts.into_iter().take(batch).collect())
}

/// How many came: those marked at the door when people registered, else
/// the number staff typed; `None` when nobody knows yet.
pub fn attendance(tx: &impl Tx, m: &Meeting) -> Result<Option<u64>, StoreError> {
    if m.registration {
        let came = registrations(tx, m.id)?.iter().filter(|r| r.attended).count() as u64;
        return Ok(Some(came).filter(|c| *c > 0));
    }
    Ok(minutes(tx, m.id)?.and_then(|n| n.counted).map(u64::from))
}

/// The public meetings whose minutes name `target`, in the order they took
/// place.
pub fn discussed_in(tx: &impl Tx, target: Target) -> Result<Vec<Meeting>, StoreError> {
    let tag = target.kind.tag();
    let mut out = Vec::new();
    for row in tx.open(MEETING_ID_BY_DISCUSSED)?.range((tag, target.id, 0)..=(tag, target.id, u64::MAX))? {
        if let Some(m) = get(tx, MeetingId(row?.0.value().2))? {
            if m.is_public() {
                out.push(m);
            }
        }
    }
    out.sort_by_key(|m| m.starts_at);
    Ok(out)
}

/// An idea of a workshop, as staff type it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Idea {
    pub box_id: BoxId,
    pub title: String,
    pub body: String,
    pub category: Option<String>,
}

/// Staff record an idea a workshop produced as a proposal in an open idea
/// box, on behalf of the group: its origin is the workshop, its
/// neighbourhood the workshop's. The workshop must be published and have
/// begun (its ideas come from the room). Audited; returns the proposal.
pub fn record_idea(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    idea: &Idea,
    now: i64,
) -> Result<ProposalId, MeetingError> {
    let m = load(tx, id)?;
    if m.kind != Kind::Workshop {
        return Err(MeetingError::NotAWorkshop);
    }
    if m.status != Status::Published {
        return Err(MeetingError::NotPublished);
    }
    if now < m.starts_at {
        return Err(MeetingError::NotOver);
    }
    let title = idea.title.trim();
    if title.is_empty() || title.chars().count() > MAX_IDEA_TITLE {
        return Err(MeetingError::BadTitle);
    }
    if idea.body.trim().chars().count() > MAX_IDEA_TEXT {
        return Err(MeetingError::TooLong);
    }
    let new = NewProposal {
        box_id: idea.box_id,
        author: actor.account.unwrap_or_default(),
        title: title.to_string(),
        body: idea.body.trim().to_string(),
        category: idea.category.clone().filter(|c| !c.trim().is_empty()),
        neighbourhood: m.neighbourhood.clone(),
        location: None,
        held: false,
        photo: None,
    };
    let pid = match proposals::post_from(tx, &new, Origin::Workshop(id), now) {
        Ok(pid) => pid,
        Err(ProposalError::NoBox) => return Err(MeetingError::UnknownBox),
        Err(ProposalError::Closed) => return Err(MeetingError::BoxClosed),
        Err(ProposalError::Store(e)) => return Err(MeetingError::Store(e)),
        Err(
            e @ (ProposalError::NotFound
            | ProposalError::NotVerified
            | ProposalError::ReasonRequired
            | ProposalError::NotFollowedUp
            | ProposalError::NotPublic
            | ProposalError::PhotoNotUploaded),
        ) => return Err(MeetingError::Store(StoreError::Internal(e.to_string()))),
    };
    tx.open_table(MEETING_IDEA_BY_MEETING_PROPOSAL)?.insert((id.get(), pid.get()), ())?;
    actor.record(tx, Action::MeetingChanged, None, format!("meeting {id}: idea recorded as proposal {pid}"), now)?;
    Ok(pid)
}

/// The proposals a workshop produced, in the order recorded.
pub fn ideas(tx: &impl Tx, id: MeetingId) -> Result<Vec<ProposalId>, StoreError> {
    let table = tx.open(MEETING_IDEA_BY_MEETING_PROPOSAL)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(ProposalId(row?.0.value().1));
    }
    Ok(out)
}
