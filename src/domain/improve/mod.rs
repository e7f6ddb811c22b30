//! Residents shaping the platform (issue 16): the standing idea box
//! « Améliorer ce site », where residents suggest changes to the platform
//! itself, support them, and read the town hall's answer; the answers to
//! « Cette page vous a-t-elle été utile ? » ([`feedback`]); and the
//! workshops staff mark as co-design sessions of the platform.
//!
//! The box is an ordinary idea box (proposals, supports, answers,
//! follow-up, moderation, search all as for any other), marked as the
//! platform's own in `IMPROVE_BOX_BY_NAME` and never closing. It is opened
//! at first use (the first visit of its form), not by a migration: a
//! commune that never uses it has no extra box in its lists, and the ids of
//! its own boxes are not moved by one.
//!
//! The town hall's three answers map onto the proposals' statuses
//! ([`Standing::of`]): « prévu » is accepted or in progress, « fait » is
//! done, « pas possible » is rejected (with its reason, as any rejection).
//!
//! A co-design session is a workshop (`meetings::Kind::Workshop`) marked by
//! staff; the changes it produced are the ideas recorded from it
//! (`meetings::record_idea`) in the platform's box, so a session lists
//! exactly what came out of the room.

pub mod feedback;
pub mod tables;

use redb::{ReadableTable, WriteTransaction};

use crate::domain::accounts::AccountId;
use crate::domain::audit::{Action, Actor};
use crate::domain::ids::{BoxId, MeetingId};
use crate::domain::meetings::{self, Kind, Meeting};
use crate::domain::proposals::{self, IdeaBox, Proposal, ProposalError, Status};
use crate::store::{StoreError, Tx};
use tables::*;

/// The box's title and rules, in the commune's language (French): they
/// are its record, as staff would have typed them.
pub const BOX_TITLE: &str = "Améliorer ce site";
const BOX_DESCRIPTION: &str = "Proposez ce qui rendrait ce site plus simple, plus clair ou plus utile : \
une page difficile à trouver, un mot qu'on ne comprend pas, une fonction qui manque. \
Soutenez les propositions des autres. La mairie répond à chacune : prévu, fait ou pas possible (avec la raison).";
/// The box never closes: 31 December 9999, the last day a date shows.
pub const NEVER_CLOSES: i64 = 253_402_214_400;

#[derive(Debug, thiserror::Error)]
pub enum ImproveError {
    #[error("no such meeting")]
    NotFound,
    /// Only a workshop is a co-design session.
    #[error("only a workshop can be a co-design session")]
    NotAWorkshop,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(ImproveError);

impl From<ProposalError> for ImproveError {
    fn from(e: ProposalError) -> Self {
        match e {
            ProposalError::Store(e) => ImproveError::Store(e),
            // Creating a box refuses nothing else.
            other => ImproveError::Store(StoreError::Internal(other.to_string())),
        }
    }
}

/// The platform's box, once opened.
pub fn box_id(tx: &impl Tx) -> Result<Option<BoxId>, StoreError> {
    Ok(tx.open(IMPROVE_BOX_BY_NAME)?.get("box")?.map(|v| BoxId(v.value())))
}

/// Whether `id` is the platform's box.
pub fn is_platform_box(tx: &impl Tx, id: BoxId) -> Result<bool, StoreError> {
    Ok(box_id(tx)? == Some(id))
}

/// The platform's box, opened now if it is not yet (audited as opened by
/// Parvis itself).
pub fn ensure_box(tx: &WriteTransaction, now: i64) -> Result<BoxId, ImproveError> {
    if let Some(id) = box_id(tx)? {
        return Ok(id);
    }
    let b = IdeaBox {
        title: BOX_TITLE.to_string(),
        description: BOX_DESCRIPTION.to_string(),
        opens_at: now,
        closes_at: NEVER_CLOSES,
        created_by: AccountId::default(),
        created_at: now,
        ..IdeaBox::default()
    };
    let id = proposals::create_box(tx, b)?;
    tx.open_table(IMPROVE_BOX_BY_NAME)?.insert("box", id.get())?;
    let actor = Actor { account: None, ip: "parvis".to_string() };
    actor.record(tx, Action::IdeaBoxOpened, None, format!("box {id}: « {BOX_TITLE} », opened at first use"), now)?;
    Ok(id)
}

/// The town hall's answer to a suggestion, in the three words of the
/// « Améliorer ce site » page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not answered yet, or under study.
    Considered,
    Planned,
    Done,
    NotPossible,
}

impl Standing {
    /// In the order the page shows them.
    pub const ALL: [Standing; 4] = [Standing::Planned, Standing::Done, Standing::Considered, Standing::NotPossible];

    pub fn of(status: Status) -> Standing {
        match status {
            Status::Submitted | Status::UnderStudy => Standing::Considered,
            Status::Accepted | Status::InProgress => Standing::Planned,
            Status::Done => Standing::Done,
            Status::Rejected => Standing::NotPossible,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Standing::Considered => "considered",
            Standing::Planned => "planned",
            Standing::Done => "done",
            Standing::NotPossible => "not-possible",
        }
    }
}

/// Staff mark (or unmark) a workshop as a co-design session of the
/// platform; audited.
pub fn mark_codesign(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    on: bool,
    now: i64,
) -> Result<(), ImproveError> {
    let m = meetings::get(tx, id)?.ok_or(ImproveError::NotFound)?;
    if m.kind != Kind::Workshop {
        return Err(ImproveError::NotAWorkshop);
    }
    let mut table = tx.open_table(CODESIGN_BY_MEETING)?;
    let was = if on { table.insert(id.get(), now)?.is_some() } else { table.remove(id.get())?.is_some() };
    drop(table);
    if was != on {
        let what = if on { "marked as" } else { "no longer" };
        actor.record(
            tx,
            Action::MeetingChanged,
            None,
            format!("meeting {id}: {what} a co-design session of the platform"),
            now,
        )?;
    }
    Ok(())
}

/// Whether staff marked this workshop as a co-design session.
pub fn is_codesign(tx: &impl Tx, id: MeetingId) -> Result<bool, StoreError> {
    Ok(tx.open(CODESIGN_BY_MEETING)?.get(id.get())?.is_some())
}

/// A co-design session and the suggestions it produced.
#[derive(Clone, Debug)]
pub struct Session {
    pub meeting: Meeting,
    /// The public ideas recorded from it in the platform's box.
    pub changes: Vec<Proposal>,
}

/// The public co-design sessions, the latest first.
pub fn sessions(tx: &impl Tx) -> Result<Vec<Session>, StoreError> {
    let platform = box_id(tx)?;
    let mut out = Vec::new();
    for row in tx.open(CODESIGN_BY_MEETING)?.iter()? {
        let id = MeetingId(row?.0.value());
        let Some(meeting) = meetings::get(tx, id)? else { continue };
        if !meeting.is_public() {
            continue;
        }
        let mut changes = Vec::new();
        for pid in meetings::ideas(tx, id)? {
            if let Some(p) = proposals::get(tx, pid)? {
                if Some(p.box_id) == platform && proposals::is_public(tx, &p)? {
                    changes.push(p);
                }
            }
        }
        out.push(Session { meeting, changes });
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.meeting.starts_at));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_answers_cover_every_status() {
        assert_eq!(Standing::of(Status::Submitted), Standing::Considered);
        assert_eq!(Standing::of(Status::UnderStudy), Standing::Considered);
        assert_eq!(Standing::of(Status::Accepted), Standing::Planned);
        assert_eq!(Standing::of(Status::InProgress), Standing::Planned);
        assert_eq!(Standing::of(Status::Done), Standing::Done);
        assert_eq!(Standing::of(Status::Rejected), Standing::NotPossible);
    }
}
