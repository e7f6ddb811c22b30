//! Registration: a seat or a place on the waiting list, a code, a signed
//! cancellation link, the waiting list promoted when a seat frees up, the
//! reminder the day before, and who came.
//!
//! Every rule runs in the operation's transaction: the count of seats taken
//! and the new registration, or the cancellation and the promotion, commit
//! together, so that two people never get the last seat and a freed seat is
//! never left empty while someone waits.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::crypto::Sealed;
use crate::domain::accounts;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::{self, Event, Notifier};
use crate::i18n::{Arg, Lang};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Keyed, WriteTx};

/// How long before the start the reminder leaves: the day before.
pub const REMINDER_BEFORE_SECS: i64 = 24 * 3600;

/// Who registered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Registrant {
    Account(AccountId),
    /// Someone without an account: their name and their address, sealed
    /// (context [`email_context`]), for the code, the reminder and news of
    /// a cancellation.
    Visitor {
        name: String,
        email: Sealed,
    },
}

/// Where a registration stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    Seated,
    Waiting,
    Cancelled,
}

impl Spot {
    pub fn code(self) -> &'static str {
        match self {
            Spot::Seated => "seated",
            Spot::Waiting => "waiting",
            Spot::Cancelled => "cancelled",
        }
    }
}

/// One registration.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Registration {
    pub meeting: MeetingId,
    /// From 1, in the order received: the waiting list's order.
    pub number: u64,
    /// `None` once the person's account was erased.
    pub who: Option<Registrant>,
    /// Shown and mailed; said at the door.
    pub code: String,
    /// The language of their mail.
    pub lang: Lang,
    pub at: i64,
    pub spot: Spot,
    /// Marked by staff at the door.
    pub attended: bool,
    /// Set when the reminder left, so that a restart never sends it again.
    pub reminded: bool,
}

impl Record for Registration {
    const NAME: &'static str = "meeting registration";
    const VERSION: u8 = 1;
}

/// Who registers, as the web layer gives them.
#[derive(Clone, Debug)]
pub enum Who {
    Account(AccountId),
    Visitor { name: String, email: String, lang: Lang },
}

/// What a registration gave the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Registered {
    pub number: u64,
    pub code: String,
    pub spot: Spot,
    /// The path of their cancellation link.
    pub cancel_path: String,
}

/// The context a visitor's address is sealed for: bound to its registration.
fn email_context(meeting: MeetingId, number: u64) -> String {
    format!("meeting.registration.email:{meeting}:{number}")
}

/// The keyed hash that stands for a person in the one-per-person index.
pub(super) fn who_hash(tx: &impl Keyed, meeting: MeetingId, who: &str) -> [u8; 32] {
    tx.keys().lookup("meeting-registrant", &format!("{meeting}:{who}"))
}

/// The signature of a cancellation link: a keyed hash of the registration
/// and its random code, so that nobody can cancel a registration they were
/// not sent the link of (numbers are guessable, the code and key are not).
fn signature(tx: &impl Keyed, r: &Registration) -> String {
    sign(tx, "meeting-cancel", &format!("{}:{}:{}", r.meeting, r.number, r.code))
}

/// The one signing scheme of the meetings' links (cancel, confirm): a
/// keyed hash, under `purpose`, of what the link stands for, cut to 128
/// bits — as long as a random token and short enough for a mail line.
pub(super) fn sign(tx: &impl Keyed, purpose: &str, what: &str) -> String {
    hex::encode(&tx.keys().lookup(purpose, what)[..16])
}

/// Whether `given` is the signature `expected`, in constant time.
pub(super) fn signature_holds(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(expected.as_bytes().ct_eq(given.trim().as_bytes()))
}

/// The path of a registration's cancellation link (the web layer serves it).
pub fn cancel_path(tx: &impl Keyed, r: &Registration) -> String {
    format!("/rendez-vous/{}/inscription?n={}&cle={}", r.meeting, r.number, signature(tx, r))
}

/// Every registration of a meeting, in the order received.
pub fn registrations(tx: &impl Tx, id: MeetingId) -> Result<Vec<Registration>, StoreError> {
    let table = tx.open(MEETING_REGISTRATION_BY_MEETING_NUMBER)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(decode::<Registration>(row?.1.value())?);
    }
    Ok(out)
}

fn put(tx: &WriteTransaction, r: &Registration) -> Result<(), StoreError> {
    tx.open_table(MEETING_REGISTRATION_BY_MEETING_NUMBER)?
        .insert((r.meeting.get(), r.number), encode(r)?.as_slice())?;
    Ok(())
}

fn new_code() -> Result<String, MeetingError> {
    // No 0/O, 1/I/L: read aloud at a door or copied from paper.
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| MeetingError::Random(e.to_string()))?;
    let chars: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

/// What registering did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A signed-in person: registered at once, their address being the
    /// account's, proved when it was opened.
    Registered(Registered),
    /// A visitor: nothing is held until they follow the link mailed to the
    /// address they typed (`resent` when they had asked already and the
    /// link left again). The path is for tests and the command line: never
    /// shown to whoever asked, or the address would prove nothing.
    ConfirmationSent { resent: bool, confirm_path: String },
}

/// Someone registers for a meeting that takes registrations. A signed-in
/// person takes a seat while there are some, else a place on the waiting
/// list, and is mailed the code and the cancellation link. A visitor is
/// mailed a link to confirm first (`confirm.rs`): anyone can type any
/// address, and a seat held for an address nobody reads is a seat lost.
/// One registration per account or address.
pub fn register(
    tx: &WriteTx,
    notifier: &Notifier,
    id: MeetingId,
    who: &Who,
    now: i64,
) -> Result<Outcome, MeetingError> {
    let m = load(tx, id)?;
    if !m.takes_registrations(now) {
        return Err(MeetingError::RegistrationClosed);
    }
    match who {
        Who::Account(account) => {
            let person = accounts::get_in(tx, *account).map_err(|e| StoreError::Internal(e.to_string()))?;
            let lang = person.map(|p| p.language).unwrap_or_default();
            let registrant = Registrant::Account(*account);
            take_spot(tx, notifier, &m, &format!("account:{account}"), lang, now, |_| Ok(registrant))
                .map(Outcome::Registered)
        }
        Who::Visitor { name, email, lang } => {
            let email = accounts::normalise_email(email).map_err(|_| MeetingError::BadEmail)?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > MAX_LINE {
                return Err(MeetingError::BadName);
            }
            super::confirm::ask(tx, notifier, &m, name, &email, *lang, now)
        }
    }
}

/// The one-per-person key of a visitor's address (normalised already).
pub(super) fn visitor_key(email: &str) -> String {
    format!("email:{email}")
}

/// A visitor as a registrant: their address sealed for registration `number`.
pub(super) fn sealed_visitor(
    tx: &WriteTx,
    meeting: MeetingId,
    number: u64,
    name: &str,
    email: &str,
) -> Result<Registrant, StoreError> {
    let email = tx
        .keys()
        .seal_str(&email_context(meeting, number), email)
        .map_err(|source| StoreError::Sealed { what: "registrant's address", source })?;
    Ok(Registrant::Visitor { name: name.to_string(), email })
}

/// Writes a registration for the person `key` names: a seat while there
/// are some, else the waiting list, counted in this transaction; mails the
/// code and the cancellation link. `registrant` is given the new number
/// (a visitor's address is sealed for it).
pub(super) fn take_spot(
    tx: &WriteTx,
    notifier: &Notifier,
    m: &Meeting,
    key: &str,
    lang: Lang,
    now: i64,
    registrant: impl FnOnce(u64) -> Result<Registrant, StoreError>,
) -> Result<Registered, MeetingError> {
    let id = m.id;
    let hash = who_hash(tx, id, key);
    if tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?.get((id.get(), &hash))?.is_some() {
        return Err(MeetingError::AlreadyRegistered);
    }
    let all = registrations(tx, id)?;
    let number = all.last().map(|r| r.number + 1).unwrap_or(1);
    let seated = all.iter().filter(|r| r.spot == Spot::Seated).count() as u64;
    let spot = match m.seats {
        Some(limit) if seated >= u64::from(limit) => Spot::Waiting,
        _ => Spot::Seated,
    };
    let r = Registration {
        meeting: id,
        number,
        who: Some(registrant(number)?),
        code: new_code()?,
        lang,
        at: now,
        spot,
        attended: false,
        reminded: false,
    };
    put(tx, &r)?;
    tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?.insert((id.get(), &hash), number)?;
    let cancel = cancel_path(tx, &r);
    let (subject, text) = match spot {
        Spot::Waiting => ("meeting-mail-waiting-subject", "meeting-mail-waiting-text"),
        Spot::Seated | Spot::Cancelled => ("meeting-mail-registered-subject", "meeting-mail-registered-text"),
    };
    mail(tx, notifier, m, &r, subject, text)?;
    Ok(Registered { number, code: r.code.clone(), spot, cancel_path: cancel })
}

/// The registration a cancellation link names, if its signature holds.
pub fn check_cancel_link(
    tx: &impl Keyed,
    id: MeetingId,
    number: u64,
    sig: &str,
) -> Result<(Meeting, Registration), MeetingError> {
    let m = load(tx, id)?;
    let table = tx.open(MEETING_REGISTRATION_BY_MEETING_NUMBER)?;
    let found = table.get((id.get(), number))?;
    let r = match found {
        Some(bytes) => decode::<Registration>(bytes.value())?,
        None => return Err(MeetingError::LinkInvalid),
    };
    if !signature_holds(&signature(tx, &r), sig) {
        return Err(MeetingError::LinkInvalid);
    }
    if r.spot == Spot::Cancelled {
        return Err(MeetingError::AlreadyCancelled);
    }
    Ok((m, r))
}

/// The person cancels through their link: the registration is cancelled
/// and, when it held a seat, the first waiting person gets it, in this
/// transaction, and is mailed. Returns the number promoted, if any.
pub fn cancel_registration(
    tx: &WriteTx,
    notifier: &Notifier,
    id: MeetingId,
    number: u64,
    sig: &str,
    now: i64,
) -> Result<Option<u64>, MeetingError> {
    let (m, mut r) = check_cancel_link(tx, id, number, sig)?;
    let had_seat = r.spot == Spot::Seated;
    r.spot = Spot::Cancelled;
    put(tx, &r)?;
    remove_who(tx, &r)?;
    if m.is_past(now) {
        // After the meeting nothing is promoted: the seat is history.
        return Ok(None);
    }
    mail(tx, notifier, &m, &r, "meeting-mail-cancelled-subject", "meeting-mail-cancelled-text")?;
    if !had_seat || m.status != Status::Published {
        return Ok(None);
    }
    Ok(fill_seats(tx, notifier, &m, now)?.into_iter().next())
}

/// Removes a registration from the one-per-person index (it no longer
/// stops the person from registering again).
fn remove_who(tx: &WriteTx, r: &Registration) -> Result<(), StoreError> {
    let key = match &r.who {
        Some(Registrant::Account(account)) => format!("account:{account}"),
        Some(Registrant::Visitor { email, .. }) => {
            let email = tx
                .keys()
                .open_string(&email_context(r.meeting, r.number), email)
                .map_err(|source| StoreError::Sealed { what: "registrant's address", source })?;
            visitor_key(&email)
        }
        None => return Ok(()),
    };
    let hash = who_hash(tx, r.meeting, &key);
    tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?.remove((r.meeting.get(), &hash))?;
    Ok(())
}

/// Seats the waiting, first come first served, while seats are free;
/// each promoted person is mailed. Returns the numbers promoted.
pub(super) fn fill_seats(tx: &WriteTx, notifier: &Notifier, m: &Meeting, now: i64) -> Result<Vec<u64>, StoreError> {
    if !m.takes_registrations(now) {
        return Ok(Vec::new());
    }
    let all = registrations(tx, m.id)?;
    let seated = all.iter().filter(|r| r.spot == Spot::Seated).count() as u64;
    let free = match m.seats {
        Some(limit) => u64::from(limit).saturating_sub(seated),
        None => u64::MAX,
    };
    let mut promoted = Vec::new();
    for mut r in all.into_iter().filter(|r| r.spot == Spot::Waiting) {
        if promoted.len() as u64 >= free {
            break;
        }
        r.spot = Spot::Seated;
        put(tx, &r)?;
        mail(tx, notifier, m, &r, "meeting-mail-promoted-subject", "meeting-mail-promoted-text")?;
        promoted.push(r.number);
    }
    Ok(promoted)
}

/// The hourly pass's share: seats freed without a mail to send at the time
/// (an erased account's) go to the waiting, first come first served, in
/// every meeting still taking registrations; visitors' requests never
/// confirmed in time are deleted with their address. Returns how many
/// were seated.
pub fn promote_waiting(tx: &WriteTx, notifier: &Notifier, now: i64) -> Result<usize, StoreError> {
    let purged = super::confirm::purge_unconfirmed(tx, now)?;
    if purged > 0 {
        tracing::info!(purged, "meetings: unconfirmed registrations deleted");
    }
    let ids: Vec<u64> = tx
        .open_table(MEETING_ID_BY_START)?
        .range((now, 0)..)?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut seated = 0;
    for id in ids {
        if let Some(m) = get(tx, MeetingId(id))? {
            seated += fill_seats(tx, notifier, &m, now)?.len();
        }
    }
    Ok(seated)
}

/// Tells everyone still registered (seated or waiting) that the meeting is
/// cancelled, or that its time or place changed. That is news, not an
/// answer to something the person just did: registrants with an account are
/// told through the notifications, as they chose for « meetings »
/// (`Kind::Meetings`); a visitor without an account has no settings, and
/// is mailed at once, as before. Returns how many were told.
pub(super) fn tell_all(
    tx: &WriteTx,
    notifier: &Notifier,
    m: &Meeting,
    cancelled: bool,
    now: i64,
) -> Result<usize, StoreError> {
    let (subject, text) = match cancelled {
        true => ("meeting-mail-meeting-cancelled-subject", "meeting-mail-meeting-cancelled-text"),
        false => ("meeting-mail-changed-subject", "meeting-mail-changed-text"),
    };
    let (when, place) = when_and_place(m);
    let event = Event::MeetingChanged { meeting: m.id.get(), title: m.title.clone(), when, place, cancelled };
    let mut told = 0;
    for r in registrations(tx, m.id)?.into_iter().filter(|r| r.spot != Spot::Cancelled) {
        match &r.who {
            Some(Registrant::Account(account)) => notifications::notify(tx, notifier, *account, event.clone(), now)?,
            Some(Registrant::Visitor { .. }) | None => mail(tx, notifier, m, &r, subject, text)?,
        }
        told += 1;
    }
    Ok(told)
}

/// Staff mark whether someone came.
pub fn mark_attended(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    number: u64,
    attended: bool,
    now: i64,
) -> Result<(), MeetingError> {
    load(tx, id)?;
    let found =
        tx.open_table(MEETING_REGISTRATION_BY_MEETING_NUMBER)?.get((id.get(), number))?.map(|b| b.value().to_vec());
    let mut r = match found {
        Some(bytes) => decode::<Registration>(&bytes)?,
        None => return Err(MeetingError::NotFound),
    };
    if r.attended == attended {
        return Ok(());
    }
    r.attended = attended;
    put(tx, &r)?;
    let what = if attended { "came" } else { "did not come" };
    actor.record(tx, Action::MeetingChanged, None, format!("meeting {id}: registration {number} {what}"), now)?;
    Ok(())
}

/// The day before: mails the seated of the published meetings starting
/// within [`REMINDER_BEFORE_SECS`], at most `max` in one go (the hourly pass
/// takes the rest next time). Each reminder is recorded on its registration
/// in the transaction that queues it: never sent twice, even after a
/// restart. Someone who registered inside that day already has their code
/// fresh in their mailbox: they are not reminded. Returns how many left.
pub fn send_reminders(tx: &WriteTx, notifier: &Notifier, now: i64, max: usize) -> Result<usize, StoreError> {
    let due: Vec<u64> = tx
        .open_table(MEETING_ID_BY_START)?
        .range((now, 0)..=(now + REMINDER_BEFORE_SECS, u64::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut sent = 0;
    for id in due {
        let Some(m) = get(tx, MeetingId(id))? else { continue };
        if m.status != Status::Published || !m.registration {
            continue;
        }
        for mut r in registrations(tx, m.id)? {
            if sent >= max {
                return Ok(sent);
            }
            if r.spot != Spot::Seated || r.reminded {
                continue;
            }
            r.reminded = true;
            put(tx, &r)?;
            if r.at < m.starts_at - REMINDER_BEFORE_SECS {
                mail(tx, notifier, &m, &r, "meeting-mail-reminder-subject", "meeting-mail-reminder-text")?;
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Mails a registrant, in their language, what `subject` and `text` say of
/// the meeting (with their code), linking to the meeting's page; the text
/// carries the cancellation link while the registration stands.
fn mail(
    tx: &WriteTx,
    notifier: &Notifier,
    m: &Meeting,
    r: &Registration,
    subject: &str,
    text: &str,
) -> Result<(), StoreError> {
    let (to, name) = match &r.who {
        Some(Registrant::Account(account)) => {
            let person = accounts::get_in(tx, *account).map_err(|e| StoreError::Internal(e.to_string()))?;
            match person.filter(|p| !p.blocked && !p.email.is_empty()) {
                Some(p) => (p.email, p.display_name),
                None => return Ok(()),
            }
        }
        Some(Registrant::Visitor { name, email }) => {
            let email = match tx.keys().open_string(&email_context(r.meeting, r.number), email) {
                Ok(email) => email,
                // An address that no longer opens (a restored database
                // with another key) must not stop the others' mail.
                Err(e) => {
                    tracing::warn!(meeting = %r.meeting, number = r.number, error = %e, "a registrant's address does not open: not mailed");
                    return Ok(());
                }
            };
            (email, name.clone())
        }
        None => return Ok(()),
    };
    let base = notifier.base_url.trim_end_matches('/');
    let (when, place) = when_and_place(m);
    let cancel = match r.spot {
        Spot::Cancelled => String::new(),
        Spot::Seated | Spot::Waiting => format!("{base}{}", cancel_path(tx, r)),
    };
    let args = [
        ("title", Arg::from(m.title.as_str())),
        ("place", Arg::from(place)),
        ("when", Arg::from(when)),
        ("code", Arg::from(r.code.as_str())),
        ("cancel", Arg::from(cancel)),
    ];
    outbox::enqueue(
        tx,
        NewMail {
            to,
            lang: r.lang,
            template: Template::Notification {
                name,
                subject: r.lang.ta(subject, &args),
                text: r.lang.ta(text, &args),
                link: Some(format!("{base}/rendez-vous/{}", m.id)),
            },
        },
    )?;
    Ok(())
}

/// A meeting's start in the commune's time and its place, as mails say them.
pub(super) fn when_and_place(m: &Meeting) -> (String, String) {
    let when = local(m.starts_at).map(|d| d.strftime("%d/%m/%Y %H:%M").to_string()).unwrap_or_default();
    let place = match (&m.address, &m.online_url) {
        (a, Some(online)) if a.is_empty() => online.clone(),
        (a, Some(online)) => format!("{a} / {online}"),
        (a, None) => a.clone(),
    };
    (when, place)
}
