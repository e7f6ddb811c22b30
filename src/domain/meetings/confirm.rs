//! A visitor's registration waits for them to prove their address.
//!
//! Anyone can type any address into the form: a registration taken at once
//! would let a script, or a typo, hold seats that nobody comes to, and send
//! mail to people who never asked. So a visitor's request is kept apart,
//! in its own table, holding nothing: no seat, no place on the waiting
//! list, no line on the attendance list. The mail it sends carries a
//! signed link; following it (a POST: a mail client that prefetches links
//! confirms nothing) registers the person as a signed-in person is
//! registered, counting the seats at that moment. The request is deleted
//! in the same transaction, so the link serves once. Asking again with the
//! same address sends the link again rather than keeping two requests.
//! Requests not confirmed within [`CONFIRM_WITHIN_SECS`], or by the
//! meeting's start, are deleted with their sealed address by the hourly
//! pass ([`purge_unconfirmed`]).

use redb::ReadableTable;

use super::registration::{sealed_visitor, sign, signature_holds, take_spot, visitor_key, when_and_place, who_hash};
use super::*;
use crate::crypto::Sealed;
use crate::domain::notifications::Notifier;
use crate::i18n::{Arg, Lang};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Keyed, WriteTx};

/// How long a visitor has to follow the confirmation link: two days, so
/// that a mail read the next evening still works; never past the start.
pub const CONFIRM_WITHIN_SECS: i64 = 48 * 3600;

/// A visitor's request to register, until they confirm it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Pending {
    pub meeting: MeetingId,
    pub name: String,
    /// Sealed for this meeting and person ([`email_context`]).
    pub email: Sealed,
    pub lang: Lang,
    /// When they last asked (the link left again each time).
    pub asked_at: i64,
    /// After this the link no longer registers, and the request is purged.
    pub expires_at: i64,
    /// Random, so that a request made again after one expired gets a link
    /// of its own, and so that nobody can work a link out from an address.
    pub nonce: String,
}

impl Record for Pending {
    const NAME: &'static str = "meeting pending registration";
    const VERSION: u8 = 1;
}

fn email_context(meeting: MeetingId, who: &str) -> String {
    format!("meeting.pending.email:{meeting}:{who}")
}

/// The signature of a confirmation link: the meeting, the person's keyed
/// hash and the request's nonce, signed as the cancellation links are.
fn signature(tx: &impl Keyed, meeting: MeetingId, who: &str, nonce: &str) -> String {
    sign(tx, "meeting-confirm", &format!("{meeting}:{who}:{nonce}"))
}

/// The path of a request's confirmation link (the web layer serves it).
/// `who` is the hex of the person's keyed hash: it says nothing of the
/// address without the instance's key.
fn confirm_path(tx: &impl Keyed, p: &Pending, who: &str) -> String {
    format!("/rendez-vous/{}/confirmer?p={who}&cle={}", p.meeting, signature(tx, p.meeting, who, &p.nonce))
}

/// A request is kept until `now + CONFIRM_WITHIN_SECS` or the meeting's
/// start, whichever comes first: after the start, a seat means nothing.
fn expiry(m: &Meeting, now: i64) -> i64 {
    (now + CONFIRM_WITHIN_SECS).min(m.starts_at)
}

fn new_nonce() -> Result<String, MeetingError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| MeetingError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// A visitor asks to register (their address normalised, their name
/// checked): the request is kept, or refreshed when they had asked
/// already, and the confirmation link is mailed.
pub(super) fn ask(
    tx: &WriteTx,
    notifier: &Notifier,
    m: &Meeting,
    name: &str,
    email: &str,
    lang: Lang,
    now: i64,
) -> Result<Outcome, MeetingError> {
    let hash = who_hash(tx, m.id, &visitor_key(email));
    if tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?.get((m.id.get(), &hash))?.is_some() {
        return Err(MeetingError::AlreadyRegistered);
    }
    let who = hex::encode(hash);
    let mut table = tx.open_table(MEETING_PENDING_BY_MEETING_WHO)?;
    let before = table.get((m.id.get(), &hash))?.map(|v| decode::<Pending>(v.value())).transpose()?;
    let resent = before.is_some();
    // The same link again while it holds, so that the first mail still
    // works when the second is slow to come; a new one after it expired.
    let nonce = match before {
        Some(p) if p.expires_at > now => p.nonce,
        Some(_) | None => new_nonce()?,
    };
    let p = Pending {
        meeting: m.id,
        name: name.to_string(),
        email: tx
            .keys()
            .seal_str(&email_context(m.id, &who), email)
            .map_err(|source| StoreError::Sealed { what: "registrant's address", source })?,
        lang,
        asked_at: now,
        expires_at: expiry(m, now),
        nonce,
    };
    table.insert((m.id.get(), &hash), encode(&p)?.as_slice())?;
    drop(table);
    let path = confirm_path(tx, &p, &who);
    let base = notifier.base_url.trim_end_matches('/');
    let (when, place) = when_and_place(m);
    let hours = (p.expires_at - now).max(0) / 3600;
    let args = [
        ("title", Arg::from(m.title.as_str())),
        ("place", Arg::from(place)),
        ("when", Arg::from(when)),
        ("hours", Arg::from(hours)),
        ("confirm", Arg::from(format!("{base}{path}"))),
    ];
    outbox::enqueue(
        tx,
        NewMail {
            to: email.to_string(),
            lang,
            template: Template::Notification {
                name: p.name.clone(),
                subject: lang.ta("meeting-mail-confirm-subject", &args),
                text: lang.ta("meeting-mail-confirm-text", &args),
                link: Some(format!("{base}/rendez-vous/{}", m.id)),
            },
        },
    )?;
    Ok(Outcome::ConfirmationSent { resent, confirm_path: path })
}

/// The request a confirmation link names, if its signature holds and it
/// has not expired. A link already used names nothing any more (its
/// request was deleted when it registered): refused as invalid too.
pub fn check_confirm_link(
    tx: &impl Keyed,
    id: MeetingId,
    who: &str,
    sig: &str,
    now: i64,
) -> Result<(Meeting, Pending), MeetingError> {
    let m = load(tx, id)?;
    let hash: [u8; 32] =
        hex::decode(who.trim()).ok().and_then(|v| v.try_into().ok()).ok_or(MeetingError::LinkInvalid)?;
    let found = tx.open(MEETING_PENDING_BY_MEETING_WHO)?.get((id.get(), &hash))?.map(|v| v.value().to_vec());
    let p = match found {
        Some(bytes) => decode::<Pending>(&bytes)?,
        None => return Err(MeetingError::LinkInvalid),
    };
    if !signature_holds(&signature(tx, id, &hex::encode(hash), &p.nonce), sig) || p.expires_at <= now {
        return Err(MeetingError::LinkInvalid);
    }
    Ok((m, p))
}

/// The visitor follows their link: the request is deleted and they are
/// registered, for a seat if one is free now, else for the waiting list,
/// and mailed their code and cancellation link.
pub fn confirm(
    tx: &WriteTx,
    notifier: &Notifier,
    id: MeetingId,
    who: &str,
    sig: &str,
    now: i64,
) -> Result<Registered, MeetingError> {
    let (m, p) = check_confirm_link(tx, id, who, sig, now)?;
    if !m.takes_registrations(now) {
        return Err(MeetingError::RegistrationClosed);
    }
    let who = who.trim().to_ascii_lowercase();
    let email = tx
        .keys()
        .open_string(&email_context(id, &who), &p.email)
        .map_err(|source| StoreError::Sealed { what: "registrant's address", source })?;
    let hash = who_hash(tx, id, &visitor_key(&email));
    tx.open_table(MEETING_PENDING_BY_MEETING_WHO)?.remove((id.get(), &hash))?;
    take_spot(tx, notifier, &m, &visitor_key(&email), p.lang, now, |number| {
        sealed_visitor(tx, id, number, &p.name, &email)
    })
}

/// Deletes the requests past their expiry, with their sealed address.
/// Returns how many.
pub fn purge_unconfirmed(tx: &WriteTx, now: i64) -> Result<usize, StoreError> {
    let mut table = tx.open_table(MEETING_PENDING_BY_MEETING_WHO)?;
    let mut stale = Vec::new();
    for row in table.iter()? {
        let (key, bytes) = row?;
        // One that no longer decodes is purged as well: it confirms nothing.
        let expired = decode::<Pending>(bytes.value()).map(|p| p.expires_at <= now).unwrap_or(true);
        if expired {
            let (m, who) = key.value();
            stale.push((m, *who));
        }
    }
    for (m, who) in &stale {
        table.remove((*m, who))?;
    }
    Ok(stale.len())
}

/// The requests waiting for a meeting (staff see how many).
pub fn pending_count(tx: &impl Tx, id: MeetingId, now: i64) -> Result<usize, StoreError> {
    let mut n = 0;
    for row in tx.open(MEETING_PENDING_BY_MEETING_WHO)?.range((id.get(), &[0u8; 32])..=(id.get(), &[0xffu8; 32]))? {
        if decode::<Pending>(row?.1.value())?.expires_at > now {
            n += 1;
        }
    }
    Ok(n)
}
