//! Tables of the meetings concept.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::{Document, Meeting, Minutes, Pending, Registration, Spot};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// MeetingId → Meeting.
pub const MEETING_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("meeting_by_id");
/// (start, Unix seconds UTC; MeetingId) → (): every meeting in the order it
/// takes place, for the lists, the feed and the reminders' pass.
pub const MEETING_ID_BY_START: TableDefinition<(i64, u64), ()> = TableDefinition::new("meeting_id_by_start");
/// (MeetingId, registration number from 1) → Registration: the seated and
/// the waiting in the order they registered (the waiting list is promoted
/// in that order), cancelled ones kept for the attendance list.
pub const MEETING_REGISTRATION_BY_MEETING_NUMBER: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("meeting_registration_by_meeting_number");
/// (MeetingId, keyed hash of who registered) → registration number: one
/// registration per account or per address and meeting, checked in the
/// registration's own transaction. The hash (of "account:<id>" or of the
/// address) keeps visitors' addresses out of the key.
pub const MEETING_REGISTRATION_BY_MEETING_WHO: TableDefinition<(u64, &[u8; 32]), u64> =
    TableDefinition::new("meeting_registration_by_meeting_who");
/// MeetingId → Minutes: what staff wrote once the meeting was over.
pub const MEETING_MINUTES_BY_MEETING: TableDefinition<u64, &[u8]> = TableDefinition::new("meeting_minutes_by_meeting");
/// (ContentKind tag, its id, MeetingId) → (): the meetings whose minutes
/// name a proposal, consultation or report, for « discutée lors de … ».
pub const MEETING_ID_BY_DISCUSSED: TableDefinition<(u8, u64, u64), ()> =
    TableDefinition::new("meeting_id_by_discussed");
/// (MeetingId, ProposalId) → (): the proposals a workshop produced.
pub const MEETING_IDEA_BY_MEETING_PROPOSAL: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("meeting_idea_by_meeting_proposal");
/// (MeetingId, keyed hash of "email:<address>") → Pending: a visitor's
/// request to register until they follow the mailed link; holds no seat.
/// The same hash as the one-per-person index, so that asking again finds
/// the request.
pub const MEETING_PENDING_BY_MEETING_WHO: TableDefinition<(u64, &[u8; 32]), &[u8]> =
    TableDefinition::new("meeting_pending_by_meeting_who");
/// (MeetingId, document number from 1) → Document: a PDF or an image
/// attached to the meeting's minutes (the file is in `<data>/files/`).
pub const MEETING_DOCUMENT_BY_MEETING_NUMBER: TableDefinition<(u64, u32), &[u8]> =
    TableDefinition::new("meeting_document_by_meeting_number");
/// Counter name → value: `next_meeting`, and `next_document:<id>` for
/// each meeting with documents.
pub const MEETING_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("meeting_counter_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(MEETING_BY_ID),
        table_info!(MEETING_ID_BY_START),
        table_info!(MEETING_REGISTRATION_BY_MEETING_NUMBER),
        table_info!(MEETING_REGISTRATION_BY_MEETING_WHO),
        table_info!(MEETING_COUNTER_BY_NAME),
        table_info!(MEETING_MINUTES_BY_MEETING),
        table_info!(MEETING_ID_BY_DISCUSSED),
        table_info!(MEETING_IDEA_BY_MEETING_PROPOSAL),
        table_info!(MEETING_PENDING_BY_MEETING_WHO),
        table_info!(MEETING_DOCUMENT_BY_MEETING_NUMBER),
    ]
}

/// Every meeting is under its own id, below the id counter, and in the
/// start index at its start (and the index names no other); every
/// registration belongs to a meeting, no meeting seats more than its
/// limit, and every active registration is in the one-per-person index;
/// minutes belong to a meeting and the discussed index holds exactly what
/// the minutes name; a workshop's ideas belong to a meeting; a visitor's
/// request to register belongs to a meeting and is not also a registration;
/// a document belongs to a meeting, under its own number, below the
/// meeting's document counter, naming a stored file.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let meetings = tx.open_table(MEETING_BY_ID)?;
    let starts = tx.open_table(MEETING_ID_BY_START)?;
    let next = tx.open_table(MEETING_COUNTER_BY_NAME)?.get("next_meeting")?.map(|v| v.value()).unwrap_or(1);
    let mut indexed = 0u64;
    for row in meetings.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        match decode::<Meeting>(bytes.value()) {
            Ok(m) if m.id.get() != id => problems.push(format!("meeting under key {id} says it is {}", m.id)),
            Ok(_) if id >= next => problems.push(format!("meeting {id} is not below the next id {next}")),
            Ok(m) => {
                if starts.get((m.starts_at, id))?.is_none() {
                    problems.push(format!("meeting {id} is missing from the start index"));
                }
                indexed += 1;
            }
            Err(e) => problems.push(format!("meeting {id}: {e}")),
        }
    }
    let in_index = starts.len()?;
    if in_index != indexed {
        problems.push(format!("the start index holds {in_index} entries for {indexed} meetings"));
    }
    let who = tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?;
    let mut active_by_meeting: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
    let mut seated_by_meeting: std::collections::BTreeMap<u64, u32> = std::collections::BTreeMap::new();
    for row in tx.open_table(MEETING_REGISTRATION_BY_MEETING_NUMBER)?.iter()? {
        let (key, bytes) = row?;
        let (m, number) = key.value();
        let r: Registration = match decode(bytes.value()) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("registration {number} of meeting {m}: {e}"));
                continue;
            }
        };
        if meetings.get(m)?.is_none() {
            problems.push(format!("registration {number} belongs to meeting {m}, which does not exist"));
        }
        match r.spot {
            Spot::Seated => *seated_by_meeting.entry(m).or_default() += 1,
            Spot::Waiting | Spot::Cancelled => {}
        }
        if r.spot != Spot::Cancelled && r.who.is_some() {
            *active_by_meeting.entry(m).or_default() += 1;
        }
    }
    for (m, seated) in seated_by_meeting {
        let limit = match meetings.get(m)? {
            Some(bytes) => decode::<Meeting>(bytes.value()).ok().and_then(|m| m.seats),
            None => None,
        };
        if let Some(limit) = limit.filter(|l| seated > *l) {
            problems.push(format!("meeting {m} seats {seated} people for {limit} seats"));
        }
    }
    let mut in_who: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
    for row in who.iter()? {
        let (key, _) = row?;
        *in_who.entry(key.value().0).or_default() += 1;
    }
    if in_who != active_by_meeting {
        problems.push("the one-registration-per-person index differs from the active registrations".to_string());
    }
    let mut named = std::collections::BTreeSet::new();
    for row in tx.open_table(MEETING_MINUTES_BY_MEETING)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        if meetings.get(id)?.is_none() {
            problems.push(format!("minutes of meeting {id}, which does not exist"));
        }
        match decode::<Minutes>(bytes.value()) {
            Ok(n) => named.extend(n.discussed.iter().map(|t| (t.kind.tag(), t.id, id))),
            Err(e) => problems.push(format!("minutes of meeting {id}: {e}")),
        }
    }
    let indexed: std::collections::BTreeSet<(u8, u64, u64)> = tx
        .open_table(MEETING_ID_BY_DISCUSSED)?
        .iter()?
        .map(|row| row.map(|(k, _)| k.value()))
        .collect::<Result<_, _>>()?;
    if indexed != named {
        problems.push("the discussed index differs from what the minutes name".to_string());
    }
    for row in tx.open_table(MEETING_PENDING_BY_MEETING_WHO)?.iter()? {
        let (key, bytes) = row?;
        let (m, hash) = key.value();
        if let Err(e) = decode::<Pending>(bytes.value()) {
            problems.push(format!("a pending registration of meeting {m}: {e}"));
        }
        if meetings.get(m)?.is_none() {
            problems.push(format!("a pending registration belongs to meeting {m}, which does not exist"));
        }
        if who.get((m, hash))?.is_some() {
            problems.push(format!("a person of meeting {m} is both registered and asked to confirm"));
        }
    }
    let counters = tx.open_table(MEETING_COUNTER_BY_NAME)?;
    for row in tx.open_table(MEETING_DOCUMENT_BY_MEETING_NUMBER)?.iter()? {
        let (key, bytes) = row?;
        let (m, number) = key.value();
        match decode::<Document>(bytes.value()) {
            Ok(d) if d.meeting.get() != m || d.number != number => {
                problems.push(format!("document under ({m}, {number}) says it is ({}, {})", d.meeting, d.number))
            }
            Ok(d) if !crate::domain::consultations::valid_file_name(&d.file) => {
                problems.push(format!("document {number} of meeting {m} names a bad file"))
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("document {number} of meeting {m}: {e}")),
        }
        if meetings.get(m)?.is_none() {
            problems.push(format!("document {number} belongs to meeting {m}, which does not exist"));
        }
        let next = counters.get(format!("next_document:{m}").as_str())?.map(|v| v.value()).unwrap_or(1);
        if u64::from(number) >= next {
            problems.push(format!("document {number} of meeting {m} is not below its next number {next}"));
        }
    }
    for row in tx.open_table(MEETING_IDEA_BY_MEETING_PROPOSAL)?.iter()? {
        let (m, p) = row?.0.value();
        if meetings.get(m)?.is_none() {
            problems.push(format!("proposal {p} is an idea of meeting {m}, which does not exist"));
        }
    }
    Ok(problems)
}
