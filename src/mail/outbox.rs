//! The durable outbox: every message Parvis sends is first a row in redb.
//!
//! A message is written in the same transaction as the business change that
//! caused it, then delivered by the sender. Until the SMTP server accepts it,
//! it stays pending with its attempts, last error and next attempt time; after
//! [`GIVE_UP_AFTER_SECS`] of failures it is marked failed and shown to the
//! admin. Sent and failed messages are kept [`KEEP_DONE_SECS`] for the admin
//! and the demo page, then purged: they hold addresses and single-use links.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::template::{render, Template};
use crate::crypto::{Keys, PublicKey, Sealed};
use crate::i18n::Lang;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, encode, Record, StoreError};

pub use crate::domain::ids::MailId;

/// MailId (u64) → OutgoingMail, in every state.
pub const MAIL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("mail_by_id");
/// (next attempt, unix seconds; MailId) → (): the pending messages only, in the order they are due.
pub const MAIL_ID_BY_DUE: TableDefinition<(i64, u64), ()> = TableDefinition::new("mail_id_by_due");
/// Counter name → value: `next_id`, and the rows held in each state: `pending`, `sent`, `failed`.
pub const MAIL_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("mail_counter_by_name");

/// After this long without success a message is given up: three days covers
/// a long weekend with the town hall's mail server down.
pub const GIVE_UP_AFTER_SECS: i64 = 3 * 24 * 3600;
/// How long sent and failed messages stay readable before they are purged.
pub const KEEP_DONE_SECS: i64 = 30 * 24 * 3600;
/// The longest error text kept: enough for an SMTP reply, not a whole dump.
const MAX_ERROR_LEN: usize = 500;

/// Seconds to wait after the `attempts`-th failed attempt: 1 min, 5 min,
/// 15 min, 1 h, then every 3 h. Short at first because most outages are a
/// restart of the mail server; then sparse, so a long outage costs little.
pub fn backoff_secs(attempts: u32) -> i64 {
    match attempts {
        0 | 1 => 60,
        2 => 5 * 60,
        3 => 15 * 60,
        4 => 3600,
        _ => 3 * 3600,
    }
}

/// What is needed to queue a message.
#[derive(Clone, Debug)]
pub struct NewMail {
    /// The recipient's address.
    pub to: String,
    /// The recipient's language (`Account::language`).
    pub lang: Lang,
    pub template: Template,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum MailState {
    /// Waiting for its first or next attempt.
    Pending { attempts: u32, next_attempt_at: i64, last_error: Option<String> },
    /// Accepted by the SMTP server at `at`.
    Sent { at: i64, attempts: u32 },
    /// Given up at `at`: the admin sees it with the reason.
    Failed { at: i64, attempts: u32, last_error: String },
}

impl MailState {
    /// A word for pages and logs: "pending", "sent" or "failed".
    pub fn as_str(&self) -> &'static str {
        match self {
            MailState::Pending { .. } => "pending",
            MailState::Sent { .. } => "sent",
            MailState::Failed { .. } => "failed",
        }
    }

    fn counter(&self) -> &'static str {
        self.as_str()
    }
}

/// A message in the outbox, opened.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OutgoingMail {
    pub id: MailId,
    pub to: String,
    pub lang: Lang,
    pub template: Template,
    pub created_at: i64,
    pub state: MailState,
}

/// A message as it is stored: the recipient and the template (with its
/// single-use link) sealed to the database's public key, so that queuing
/// needs no key and a stolen database or backup shows neither; the state
/// stays readable for delivery, retries and counters.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct StoredMail {
    id: MailId,
    lang: Lang,
    created_at: i64,
    state: MailState,
    letter: Sealed,
}

impl Record for StoredMail {
    const NAME: &'static str = "outgoing mail";
    // 2: recipient and template sealed (version 1 kept them in clear).
    const VERSION: u8 = 2;
}

/// What is sealed of a message.
#[derive(Serialize, Deserialize)]
struct Letter {
    to: String,
    template: Template,
}

/// A message as versions before encryption stored it. Read only to seal it.
#[derive(Serialize, Deserialize)]
struct ClearMail(OutgoingMail);

impl Record for ClearMail {
    const NAME: &'static str = "outgoing mail (before encryption)";
    const VERSION: u8 = 1;
}

/// The field a letter is sealed for: bound to its message.
fn letter_context(id: MailId) -> String {
    format!("mail.letter:{id}")
}

fn sealing(what: &'static str) -> impl Fn(crate::crypto::CryptoError) -> StoreError {
    move |source| StoreError::Sealed { what, source }
}

fn seal_letter(key: &PublicKey, mail: OutgoingMail) -> Result<StoredMail, StoreError> {
    let letter = Letter { to: mail.to, template: mail.template };
    let bytes = postcard::to_stdvec(&letter)
        .map_err(|e| StoreError::Codec { record: "outgoing mail", detail: e.to_string() })?;
    Ok(StoredMail {
        id: mail.id,
        lang: mail.lang,
        created_at: mail.created_at,
        state: mail.state,
        letter: key.seal(&letter_context(mail.id), &bytes).map_err(sealing("mail"))?,
    })
}

fn open_letter(keys: &Keys, stored: StoredMail) -> Result<OutgoingMail, StoreError> {
    let bytes = keys.open_from_public(&letter_context(stored.id), &stored.letter).map_err(sealing("mail"))?;
    let letter = read_letter(&bytes)?;
    Ok(OutgoingMail {
        id: stored.id,
        to: letter.to,
        lang: stored.lang,
        template: letter.template,
        created_at: stored.created_at,
        state: stored.state,
    })
}

/// A letter's template as it is now, or as it was before
/// `Template::Notified` had its `also` field. Postcard writes no field names:
/// such a letter (a `Notified` is always a letter's last value) ends where
/// `also` would begin, so reading it as today's fails, and with a `None`
/// (postcard's 0) added it is exactly today's letter with no second link.
/// A migration cannot do this instead: letters are sealed, and migrations
/// have no key.
fn read_letter(bytes: &[u8]) -> Result<Letter, StoreError> {
    let codec = |e: postcard::Error| StoreError::Codec { record: "outgoing mail", detail: e.to_string() };
    match postcard::from_bytes::<Letter>(bytes) {
        Ok(letter) => Ok(letter),
        Err(e) => {
            let mut older = bytes.to_vec();
            older.push(0);
            match postcard::from_bytes::<Letter>(&older) {
                Ok(letter @ Letter { template: Template::Notified { also: None, .. }, .. }) => Ok(letter),
                _ => Err(codec(e)),
            }
        }
    }
}

/// Seals every message again to `new` (`parvis rotate-key`); returns how many.
pub(crate) fn reseal(tx: &WriteTransaction, old: &Keys, new: &PublicKey) -> Result<u64, StoreError> {
    let mut mails = tx.open_table(MAIL_BY_ID)?;
    let mut all = Vec::new();
    for row in mails.iter()? {
        let (_, bytes) = row?;
        all.push(open_letter(old, decode(bytes.value())?)?);
    }
    let n = all.len() as u64;
    for mail in all {
        let stored = seal_letter(new, mail)?;
        mails.insert(stored.id, encode(&stored)?.as_slice())?;
    }
    Ok(n)
}

/// Seals the messages an older version stored in clear (`store::encryption`
/// calls it once, in the transaction that records the key).
pub(crate) fn seal_clear(tx: &WriteTransaction, key: &PublicKey) -> Result<(), StoreError> {
    let mut mails = tx.open_table(MAIL_BY_ID)?;
    let mut clear = Vec::new();
    for row in mails.iter()? {
        let (_, bytes) = row?;
        if bytes.value().first() == Some(&ClearMail::VERSION) {
            clear.push(decode::<ClearMail>(bytes.value())?.0);
        }
    }
    for mail in clear {
        let stored = seal_letter(key, mail)?;
        mails.insert(stored.id, encode(&stored)?.as_slice())?;
    }
    Ok(())
}

impl OutgoingMail {
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// The part of the address after `@`: what logs may show of a recipient.
    pub fn recipient_domain(&self) -> &str {
        self.to.rsplit_once('@').map(|(_, domain)| domain).unwrap_or("?")
    }
}

/// A message as the admin and the demo page show it.
#[derive(Clone, Debug, PartialEq)]
pub struct MailView {
    pub id: MailId,
    pub to: String,
    pub lang: Lang,
    pub created_at: i64,
    pub state: MailState,
    pub subject: String,
    pub text: String,
}

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(MAIL_BY_ID), table_info!(MAIL_ID_BY_DUE), table_info!(MAIL_COUNTER_BY_NAME)]
}

/// Queues a message, due at once. Call it inside the business transaction
/// that causes the message; the writer wakes the sender after the commit.
pub fn enqueue(tx: &WriteTransaction, mail: NewMail) -> Result<MailId, StoreError> {
    enqueue_at(tx, mail, crate::domain::now_unix())
}

/// [`enqueue`] at an explicit time, for tests that drive the clock.
pub fn enqueue_at(tx: &WriteTransaction, mail: NewMail, now: i64) -> Result<MailId, StoreError> {
    let first = enqueue_many(tx, std::iter::once((mail, now)), now)?;
    Ok(first.unwrap_or(MailId(0)))
}

/// The gap between two bulk messages at `rate_per_minute`, in milliseconds,
/// rounded up so that no minute ever holds more than the rate.
pub fn bulk_gap_ms(rate_per_minute: u32) -> i64 {
    let rate = i64::from(rate_per_minute.max(1));
    (60_000 + rate - 1) / rate
}

/// Queues bulk mail (a newsletter) in the caller's transaction, paced:
/// each message is due [`bulk_gap_ms`] after the previous bulk message,
/// whichever newsletter queued it, so the sender never hands the SMTP
/// server more than `rate_per_minute` of them in a minute. Transactional
/// mail (a password reset) is queued due at once and so overtakes every
/// bulk message not yet due: a newsletter to 20,000 people delays it by the
/// few bulk messages due in the same second, not by the whole list.
///
/// The ids are consecutive (one transaction takes them in order); returns
/// the first and how many, which the caller keeps to follow the progress
/// with [`count_states`].
pub fn enqueue_paced(
    tx: &WriteTransaction,
    mails: impl IntoIterator<Item = NewMail>,
    now: i64,
    rate_per_minute: u32,
) -> Result<(MailId, u64), StoreError> {
    let gap = bulk_gap_ms(rate_per_minute);
    let start = counter(&tx.open_table(MAIL_COUNTER_BY_NAME)?, BULK_NEXT_MS)?;
    let mut next_ms = (start as i64).max(now.saturating_mul(1000));
    let mut count = 0u64;
    let paced = mails.into_iter().map(|mail| {
        let due = next_ms.div_euclid(1000);
        next_ms += gap;
        count += 1;
        (mail, due)
    });
    let first = enqueue_many(tx, paced, now)?;
    tx.open_table(MAIL_COUNTER_BY_NAME)?.insert(BULK_NEXT_MS, next_ms.max(0) as u64)?;
    Ok((first.unwrap_or(MailId(0)), count))
}

/// Counter: when the next bulk message may be due, in Unix milliseconds.
const BULK_NEXT_MS: &str = "bulk_next_ms";

/// Writes pending messages, each due at its time, with the tables, the
/// public key and the counters opened once for all of them: sealing is
/// the cost of a message, opening a table thousands of times should not
/// add to it. Returns the first id (`None` when there was nothing).
fn enqueue_many(
    tx: &WriteTransaction,
    mails: impl Iterator<Item = (NewMail, i64)>,
    now: i64,
) -> Result<Option<MailId>, StoreError> {
    let key = crate::store::encryption::public_key(tx)?;
    let mut counters = tx.open_table(MAIL_COUNTER_BY_NAME)?;
    let mut by_id = tx.open_table(MAIL_BY_ID)?;
    let mut by_due = tx.open_table(MAIL_ID_BY_DUE)?;
    let mut id = counter(&counters, "next_id")?.max(1);
    let mut first = None;
    let mut queued = 0i64;
    for (mail, due) in mails {
        let mail = OutgoingMail {
            id: MailId(id),
            to: mail.to.trim().to_string(),
            lang: mail.lang,
            template: mail.template,
            created_at: now,
            state: MailState::Pending { attempts: 0, next_attempt_at: due, last_error: None },
        };
        let record = seal_letter(&key, mail)?;
        by_id.insert(id, encode(&record)?.as_slice())?;
        by_due.insert((due, id), ())?;
        first.get_or_insert(MailId(id));
        id += 1;
        queued += 1;
    }
    counters.insert("next_id", id)?;
    bump(&mut counters, "pending", queued)?;
    if queued > 0 {
        crate::store::writer::note_mail_queued();
    }
    Ok(first)
}

/// How many of the messages `first`, `first + 1`, … (`count` of them) are
/// still pending, sent or failed; the rest were purged after
/// [`KEEP_DONE_SECS`]. Reads only the states, which are not sealed.
pub fn count_states(tx: &ReadTransaction, first: MailId, count: u64) -> Result<StateCounts, StoreError> {
    let mails = tx.open_table(MAIL_BY_ID)?;
    let mut counts = StateCounts::default();
    if count == 0 {
        return Ok(counts);
    }
    for row in mails.range(first.get()..first.get().saturating_add(count))? {
        let (_, bytes) = row?;
        match decode::<StoredMail>(bytes.value())?.state {
            MailState::Pending { .. } => counts.pending += 1,
            MailState::Sent { .. } => counts.sent += 1,
            MailState::Failed { .. } => counts.failed += 1,
        }
    }
    counts.purged = count - counts.pending - counts.sent - counts.failed;
    Ok(counts)
}

/// What [`count_states`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub pending: u64,
    pub sent: u64,
    pub failed: u64,
    /// Sent or failed long ago, and purged since.
    pub purged: u64,
}

/// The pending messages due at `now`, oldest due first, at most `limit`.
pub fn due(tx: &ReadTransaction, keys: &Keys, now: i64, limit: usize) -> Result<Vec<OutgoingMail>, StoreError> {
    let index = tx.open_table(MAIL_ID_BY_DUE)?;
    let mails = tx.open_table(MAIL_BY_ID)?;
    let mut out = Vec::new();
    for row in index.range(..=(now, u64::MAX))?.take(limit) {
        let (key, _) = row?;
        let (_, id) = key.value();
        match mails.get(id)? {
            Some(bytes) => out.push(open_letter(keys, decode(bytes.value())?)?),
            None => return Err(StoreError::Internal(format!("the mail due index names missing mail {id}"))),
        }
    }
    Ok(out)
}

/// When the next pending message is due, if any.
pub fn next_due(tx: &ReadTransaction) -> Result<Option<i64>, StoreError> {
    let index = tx.open_table(MAIL_ID_BY_DUE)?;
    let first = index.first()?.map(|(key, _)| key.value().0);
    Ok(first)
}

/// Records that the SMTP server accepted message `id`. Does nothing if the
/// message is no longer pending (already marked by an earlier run).
pub fn mark_sent(tx: &WriteTransaction, id: MailId, now: i64) -> Result<(), StoreError> {
    let Some(mail) = load(tx, id)? else { return Ok(()) };
    let MailState::Pending { attempts, .. } = mail.state else { return Ok(()) };
    set_state(tx, mail, MailState::Sent { at: now, attempts: attempts + 1 })
}

/// Records a failed attempt: schedules the next one after [`backoff_secs`],
/// or gives up when the message is older than [`GIVE_UP_AFTER_SECS`] or the
/// failure is `permanent` (the server refused this address for good).
/// Returns the new state, `None` if the message is no longer pending.
pub fn mark_retry(
    tx: &WriteTransaction,
    id: MailId,
    now: i64,
    error: &str,
    permanent: bool,
) -> Result<Option<MailState>, StoreError> {
    let Some(mail) = load(tx, id)? else { return Ok(None) };
    let MailState::Pending { attempts, .. } = mail.state else { return Ok(None) };
    let attempts = attempts + 1;
    let last_error = truncate(error);
    let state = if permanent || now - mail.created_at >= GIVE_UP_AFTER_SECS {
        MailState::Failed { at: now, attempts, last_error }
    } else {
        MailState::Pending { attempts, next_attempt_at: now + backoff_secs(attempts), last_error: Some(last_error) }
    };
    set_state(tx, mail, state.clone())?;
    Ok(Some(state))
}

/// Deletes sent and failed messages that ended more than [`KEEP_DONE_SECS`]
/// before `now`. Returns how many were deleted.
pub fn purge(tx: &WriteTransaction, now: i64) -> Result<u64, StoreError> {
    let mut mails = tx.open_table(MAIL_BY_ID)?;
    let mut old = Vec::new();
    for row in mails.iter()? {
        let (id, bytes) = row?;
        let mail: StoredMail = decode(bytes.value())?;
        match mail.state {
            MailState::Sent { at, .. } | MailState::Failed { at, .. } if now - at > KEEP_DONE_SECS => {
                old.push((id.value(), mail.state.counter()));
            }
            _ => {}
        }
    }
    let mut counters = tx.open_table(MAIL_COUNTER_BY_NAME)?;
    for (id, state) in &old {
        mails.remove(*id)?;
        bump(&mut counters, state, -1)?;
    }
    Ok(old.len() as u64)
}

/// Deletes the messages still waiting to go to `address` (compared without
/// case), whatever their attempts so far; sent and failed ones stay until
/// [`purge`]. Used when an account is erased: mail queued for someone who is
/// gone must not leave afterwards, with their name and links in it. The
/// outbox has no index by recipient, so this reads the pending ones through
/// the due index, opening each. Returns how many were deleted.
pub fn cancel_pending_to(tx: &WriteTransaction, keys: &Keys, address: &str) -> Result<u64, StoreError> {
    let address = address.trim();
    if address.is_empty() {
        return Ok(0);
    }
    let mut index = tx.open_table(MAIL_ID_BY_DUE)?;
    let mut mails = tx.open_table(MAIL_BY_ID)?;
    let mut theirs = Vec::new();
    for row in index.iter()? {
        let (key, _) = row?;
        let (due, id) = key.value();
        let found = mails.get(id)?;
        if let Some(bytes) = found {
            let mail = open_letter(keys, decode(bytes.value())?)?;
            if mail.to.eq_ignore_ascii_case(address) {
                theirs.push((due, id));
            }
        }
    }
    let mut counters = tx.open_table(MAIL_COUNTER_BY_NAME)?;
    for (due, id) in &theirs {
        index.remove((*due, *id))?;
        mails.remove(*id)?;
        bump(&mut counters, "pending", -1)?;
    }
    Ok(theirs.len() as u64)
}

/// The `limit` most recent messages, newest first, rendered for the commune
/// called `commune` (the admin's outbox and the demo's "sent mail" page).
pub fn recent(tx: &ReadTransaction, keys: &Keys, limit: usize, commune: &str) -> Result<Vec<MailView>, StoreError> {
    let mails = tx.open_table(MAIL_BY_ID)?;
    let mut out = Vec::new();
    for row in mails.iter()?.rev().take(limit) {
        let (_, bytes) = row?;
        let mail = open_letter(keys, decode(bytes.value())?)?;
        let rendered = render(&mail.template, mail.language(), commune);
        out.push(MailView {
            id: mail.id,
            to: mail.to,
            lang: mail.lang,
            created_at: mail.created_at,
            state: mail.state,
            subject: rendered.subject,
            text: rendered.text,
        });
    }
    Ok(out)
}

/// One message, in whatever state.
pub fn get(tx: &ReadTransaction, keys: &Keys, id: MailId) -> Result<Option<OutgoingMail>, StoreError> {
    let mails = tx.open_table(MAIL_BY_ID)?;
    let found = mails.get(id)?;
    Ok(match found {
        Some(bytes) => Some(open_letter(keys, decode(bytes.value())?)?),
        None => None,
    })
}

/// How many messages wait to be sent (read from the counter, for metrics).
pub fn backlog(tx: &ReadTransaction) -> Result<u64, StoreError> {
    counter(&tx.open_table(MAIL_COUNTER_BY_NAME)?, "pending")
}

/// How many given-up messages are held: the admin should look when it is not 0.
pub fn failed_count(tx: &ReadTransaction) -> Result<u64, StoreError> {
    counter(&tx.open_table(MAIL_COUNTER_BY_NAME)?, "failed")
}

fn load(tx: &WriteTransaction, id: MailId) -> Result<Option<StoredMail>, StoreError> {
    let mails = tx.open_table(MAIL_BY_ID)?;
    let found = mails.get(id)?;
    Ok(match found {
        Some(bytes) => Some(decode(bytes.value())?),
        None => None,
    })
}

/// Replaces the state of a message, with its due index entry and the state
/// counters: the one place where they change together.
fn set_state(tx: &WriteTransaction, mut mail: StoredMail, state: MailState) -> Result<(), StoreError> {
    let mut index = tx.open_table(MAIL_ID_BY_DUE)?;
    if let MailState::Pending { next_attempt_at, .. } = mail.state {
        index.remove((next_attempt_at, mail.id.get()))?;
    }
    if let MailState::Pending { next_attempt_at, .. } = state {
        index.insert((next_attempt_at, mail.id.get()), ())?;
    }
    let mut counters = tx.open_table(MAIL_COUNTER_BY_NAME)?;
    bump(&mut counters, mail.state.counter(), -1)?;
    bump(&mut counters, state.counter(), 1)?;
    mail.state = state;
    tx.open_table(MAIL_BY_ID)?.insert(mail.id, encode(&mail)?.as_slice())?;
    Ok(())
}

fn counter(table: &impl ReadableTable<&'static str, u64>, name: &str) -> Result<u64, StoreError> {
    Ok(table.get(name)?.map(|v| v.value()).unwrap_or(0))
}

fn bump(counters: &mut redb::Table<&'static str, u64>, name: &str, delta: i64) -> Result<(), StoreError> {
    let value = counter(counters, name)?.saturating_add_signed(delta);
    counters.insert(name, value)?;
    Ok(())
}

fn truncate(error: &str) -> String {
    let error = error.trim();
    match error.char_indices().nth(MAX_ERROR_LEN) {
        Some((cut, _)) => format!("{}…", &error[..cut]),
        None => error.to_string(),
    }
}

/// Cross-checks the due index and the counters against the messages.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mails = tx.open_table(MAIL_BY_ID)?;
    let index = tx.open_table(MAIL_ID_BY_DUE)?;
    let counters = tx.open_table(MAIL_COUNTER_BY_NAME)?;
    let (mut pending, mut sent, mut failed, mut max_id) = (0u64, 0u64, 0u64, 0u64);
    for row in mails.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        max_id = max_id.max(id);
        let mail: StoredMail = match decode(bytes.value()) {
            Ok(mail) => mail,
            Err(e) => {
                problems.push(format!("mail {id}: {e}"));
                continue;
            }
        };
        if mail.id != MailId(id) {
            problems.push(format!("mail under key {id} says it is {}", mail.id));
        }
        match mail.state {
            MailState::Pending { next_attempt_at, .. } => {
                pending += 1;
                if index.get((next_attempt_at, id))?.is_none() {
                    problems.push(format!("pending mail {id} is missing from the due index"));
                }
            }
            MailState::Sent { .. } => sent += 1,
            MailState::Failed { .. } => failed += 1,
        }
    }
    for row in index.iter()? {
        let (key, _) = row?;
        let (due, id) = key.value();
        let still_pending = match mails.get(id)? {
            Some(bytes) => matches!(
                decode::<StoredMail>(bytes.value()).map(|m| m.state),
                Ok(MailState::Pending { next_attempt_at, .. }) if next_attempt_at == due
            ),
            None => false,
        };
        if !still_pending {
            problems.push(format!("the due index entry ({due}, {id}) is not a pending mail due then"));
        }
    }
    if index.len()? != pending {
        problems.push(format!("the due index has {} entries for {pending} pending mails", index.len()?));
    }
    for (name, found) in [("pending", pending), ("sent", sent), ("failed", failed)] {
        let said = counter(&counters, name)?;
        if said != found {
            problems.push(format!("the {name} mail counter says {said}, there are {found}"));
        }
    }
    let next_id = counter(&counters, "next_id")?.max(1);
    if next_id <= max_id {
        problems.push(format!("next mail id {next_id} is not above the highest id {max_id}"));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        (dir, store)
    }

    fn new_mail(to: &str) -> NewMail {
        NewMail { to: to.into(), lang: Lang::Fr, template: Template::PasswordChanged { name: "Camille".into() } }
    }

    /// A `Notified` sealed before it had `also` opens with no second link;
    /// today's letters, with or without one, open as they were written.
    #[test]
    fn a_notified_letter_written_before_its_second_link_still_opens() {
        let notified = |also| Template::Notified {
            name: "Camille".into(),
            subject: "S".into(),
            text: "T".into(),
            link: "https://x.fr/p/4".into(),
            settings: "https://x.fr/r".into(),
            unsubscribe: "https://x.fr/a".into(),
            also,
        };
        let bytes = |t: Template| postcard::to_stdvec(&Letter { to: "c@x.fr".into(), template: t }).unwrap();
        let today = bytes(notified(None));
        // The same letter as it was written then: without the trailing `None`.
        let before = &today[..today.len() - 1];
        assert!(postcard::from_bytes::<Letter>(before).is_err(), "not readable as today's shape");
        let opened = read_letter(before).unwrap();
        assert_eq!((opened.to.as_str(), opened.template), ("c@x.fr", notified(None)));
        let also = Some(super::super::template::AlsoStop { text: "Quartier :".into(), link: "https://x.fr/q".into() });
        assert_eq!(read_letter(&bytes(notified(also.clone()))).unwrap().template, notified(also));
        // Anything else that does not read stays an error.
        let other = bytes(Template::PasswordChanged { name: "Camille".into() });
        assert!(read_letter(&other[..other.len() - 1]).is_err());
    }

    #[test]
    fn backoff_grows_then_stays_at_three_hours() {
        let waits: Vec<i64> = (1..=7).map(backoff_secs).collect();
        assert_eq!(waits, [60, 300, 900, 3600, 10800, 10800, 10800]);
    }

    #[tokio::test]
    async fn a_message_moves_from_pending_to_sent_with_index_and_counters() {
        let (_dir, store) = open();
        let id = store.write(|tx| enqueue_at(tx, new_mail("a@x.fr"), 1000)).await.unwrap();
        let tx = store.read().unwrap();
        assert_eq!(backlog(&tx).unwrap(), 1);
        assert_eq!(next_due(&tx).unwrap(), Some(1000));
        assert!(due(&tx, &crate::crypto::Keys::for_tests(), 999, 10).unwrap().is_empty());
        assert_eq!(due(&tx, &crate::crypto::Keys::for_tests(), 1000, 10).unwrap()[0].id, id);
        drop(tx);
        store.write(move |tx| mark_sent(tx, id, 1001)).await.unwrap();
        let tx = store.read().unwrap();
        assert_eq!(backlog(&tx).unwrap(), 0);
        assert_eq!(next_due(&tx).unwrap(), None);
        assert_eq!(
            get(&tx, &crate::crypto::Keys::for_tests(), id).unwrap().unwrap().state,
            MailState::Sent { at: 1001, attempts: 1 }
        );
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }

    #[tokio::test]
    async fn failures_back_off_then_give_up_after_three_days() {
        let (_dir, store) = open();
        let t0 = 1_000_000;
        let id = store.write(move |tx| enqueue_at(tx, new_mail("a@x.fr"), t0)).await.unwrap();
        let mut now = t0;
        let mut waits = Vec::new();
        loop {
            let state = store.write(move |tx| mark_retry(tx, id, now, "451 try later", false)).await.unwrap();
            match state {
                Some(MailState::Pending { next_attempt_at, ref last_error, .. }) => {
                    assert_eq!(last_error.as_deref(), Some("451 try later"));
                    waits.push(next_attempt_at - now);
                    now = next_attempt_at;
                }
                Some(MailState::Failed { attempts, ref last_error, .. }) => {
                    assert!(now - t0 >= GIVE_UP_AFTER_SECS);
                    assert_eq!(attempts as usize, waits.len() + 1);
                    assert_eq!(last_error, "451 try later");
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(&waits[..5], &[60, 300, 900, 3600, 10800]);
        let tx = store.read().unwrap();
        assert_eq!(backlog(&tx).unwrap(), 0);
        assert_eq!(failed_count(&tx).unwrap(), 1);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }

    #[tokio::test]
    async fn a_permanent_refusal_fails_at_once_and_marking_twice_changes_nothing() {
        let (_dir, store) = open();
        let id = store.write(|tx| enqueue_at(tx, new_mail("nobody@x.fr"), 10)).await.unwrap();
        let state = store.write(move |tx| mark_retry(tx, id, 11, "550 no such user", true)).await.unwrap();
        assert!(matches!(state, Some(MailState::Failed { attempts: 1, .. })));
        assert_eq!(store.write(move |tx| mark_retry(tx, id, 12, "again", false)).await.unwrap(), None);
        store.write(move |tx| mark_sent(tx, id, 13)).await.unwrap();
        let tx = store.read().unwrap();
        assert!(matches!(
            get(&tx, &crate::crypto::Keys::for_tests(), id).unwrap().unwrap().state,
            MailState::Failed { .. }
        ));
        assert!(store.verify().unwrap().is_ok());
    }

    #[tokio::test]
    async fn due_returns_in_due_order_and_respects_the_limit() {
        let (_dir, store) = open();
        let a = store.write(|tx| enqueue_at(tx, new_mail("a@x.fr"), 100)).await.unwrap();
        let b = store.write(|tx| enqueue_at(tx, new_mail("b@x.fr"), 50)).await.unwrap();
        let c = store.write(|tx| enqueue_at(tx, new_mail("c@x.fr"), 75)).await.unwrap();
        let tx = store.read().unwrap();
        let ids: Vec<_> =
            due(&tx, &crate::crypto::Keys::for_tests(), 100, 10).unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(ids, [b, c, a]);
        assert_eq!(due(&tx, &crate::crypto::Keys::for_tests(), 100, 2).unwrap().len(), 2);
        assert_eq!(due(&tx, &crate::crypto::Keys::for_tests(), 60, 10).unwrap().len(), 1);
    }

    #[tokio::test]
    async fn recent_renders_newest_first_in_the_recipients_language() {
        let (_dir, store) = open();
        store.write(|tx| enqueue_at(tx, new_mail("a@x.fr"), 1)).await.unwrap();
        let en = NewMail { lang: Lang::En, ..new_mail("b@x.fr") };
        let second = store.write(move |tx| enqueue_at(tx, en.clone(), 2)).await.unwrap();
        let tx = store.read().unwrap();
        let views = recent(&tx, &crate::crypto::Keys::for_tests(), 10, "Testville").unwrap();
        assert_eq!(views.len(), 2);
        assert_eq!(views[0].id, second);
        assert!(views[0].subject.contains("password was changed"), "{}", views[0].subject);
        assert!(views[1].subject.contains("mot de passe"), "{}", views[1].subject);
        assert!(views[1].text.contains("Testville"));
        assert_eq!(recent(&tx, &crate::crypto::Keys::for_tests(), 1, "T").unwrap().len(), 1);
    }

    #[tokio::test]
    async fn purge_removes_only_old_finished_messages() {
        let (_dir, store) = open();
        let old = store.write(|tx| enqueue_at(tx, new_mail("a@x.fr"), 0)).await.unwrap();
        let pending = store.write(|tx| enqueue_at(tx, new_mail("b@x.fr"), 0)).await.unwrap();
        let recent_one = store.write(|tx| enqueue_at(tx, new_mail("c@x.fr"), 0)).await.unwrap();
        store.write(move |tx| mark_sent(tx, old, 10)).await.unwrap();
        let later = 10 + KEEP_DONE_SECS + 1;
        store.write(move |tx| mark_sent(tx, recent_one, later - 5)).await.unwrap();
        assert_eq!(store.write(move |tx| purge(tx, later)).await.unwrap(), 1);
        let tx = store.read().unwrap();
        assert!(get(&tx, &crate::crypto::Keys::for_tests(), old).unwrap().is_none());
        assert!(get(&tx, &crate::crypto::Keys::for_tests(), pending).unwrap().is_some());
        assert!(get(&tx, &crate::crypto::Keys::for_tests(), recent_one).unwrap().is_some());
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }

    #[tokio::test]
    async fn cancelling_removes_only_the_pending_mail_of_that_address() {
        let (_dir, store) = open();
        let waiting = store.write(|tx| enqueue_at(tx, new_mail("camille@x.fr"), 10)).await.unwrap();
        let retried = store.write(|tx| enqueue_at(tx, new_mail("Camille@X.fr"), 11)).await.unwrap();
        store.write(move |tx| mark_retry(tx, retried, 12, "451 later", false)).await.unwrap();
        let sent = store.write(|tx| enqueue_at(tx, new_mail("camille@x.fr"), 13)).await.unwrap();
        store.write(move |tx| mark_sent(tx, sent, 14)).await.unwrap();
        let other = store.write(|tx| enqueue_at(tx, new_mail("dominique@x.fr"), 15)).await.unwrap();

        assert_eq!(
            store.write(|tx| cancel_pending_to(tx, &crate::crypto::Keys::for_tests(), "camille@x.fr")).await.unwrap(),
            2
        );
        let tx = store.read().unwrap();
        assert!(get(&tx, &crate::crypto::Keys::for_tests(), waiting).unwrap().is_none());
        assert!(
            get(&tx, &crate::crypto::Keys::for_tests(), retried).unwrap().is_none(),
            "also after a failed attempt, whatever the case"
        );
        assert!(
            get(&tx, &crate::crypto::Keys::for_tests(), sent).unwrap().is_some(),
            "sent mail stays until the purge"
        );
        assert!(get(&tx, &crate::crypto::Keys::for_tests(), other).unwrap().is_some());
        assert_eq!(backlog(&tx).unwrap(), 1);
        assert_eq!(
            due(&tx, &crate::crypto::Keys::for_tests(), i64::MAX, 10).unwrap().iter().map(|m| m.id).collect::<Vec<_>>(),
            [other]
        );
        drop(tx);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        assert_eq!(store.write(|tx| cancel_pending_to(tx, &crate::crypto::Keys::for_tests(), "")).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn bulk_mail_is_spread_by_the_rate_across_newsletters_and_a_reset_overtakes_it() {
        let (_dir, store) = open();
        let t0 = 1_000_000;
        let (first, n) = store
            .write(move |tx| enqueue_paced(tx, (0..300).map(|i| new_mail(&format!("r{i}@x.fr"))), t0, 120))
            .await
            .unwrap();
        assert_eq!(n, 300);
        // A second newsletter queued at once waits behind the first one's pace.
        let (second, _) = store
            .write(move |tx| enqueue_paced(tx, (0..10).map(|i| new_mail(&format!("s{i}@x.fr"))), t0, 120))
            .await
            .unwrap();
        let reset = store.write(move |tx| enqueue_at(tx, new_mail("reset@x.fr"), t0 + 30)).await.unwrap();
        let tx = store.read().unwrap();
        let keys = crate::crypto::Keys::for_tests();
        let due_at = |id: MailId| match get(&tx, &keys, id).unwrap().unwrap().state {
            MailState::Pending { next_attempt_at, .. } => next_attempt_at,
            other => panic!("{other:?}"),
        };
        // 120 a minute: two a second, never more than 120 in any minute.
        let dues: Vec<i64> = (0..300).map(|i| due_at(MailId(first.get() + i))).collect();
        assert_eq!(&dues[..4], &[t0, t0, t0 + 1, t0 + 1]);
        for start in t0..t0 + 150 {
            assert!(dues.iter().filter(|d| (start..start + 60).contains(*d)).count() <= 120, "minute from {start}");
        }
        assert_eq!(due_at(second), t0 + 150, "after the 300 of the first");
        // At t0 + 30 the reset is among the few due, not behind 300 mails.
        let batch: Vec<MailId> = due(&tx, &keys, t0 + 30, 1000).unwrap().into_iter().map(|m| m.id).collect();
        // Two a second from t0 to t0 + 30 included, and the reset.
        assert_eq!(batch.len(), 63);
        assert!(batch.contains(&reset));
        let counts = count_states(&tx, first, n).unwrap();
        assert_eq!(counts, StateCounts { pending: 300, ..StateCounts::default() });
        drop(tx);
        store.write(move |tx| mark_sent(tx, first, t0 + 1)).await.unwrap();
        let counts = count_states(&store.read().unwrap(), first, n).unwrap();
        assert_eq!((counts.pending, counts.sent), (299, 1));
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }

    #[test]
    fn the_gap_never_lets_a_minute_hold_more_than_the_rate() {
        assert_eq!(bulk_gap_ms(120), 500);
        assert_eq!(bulk_gap_ms(7), 8572);
        assert!(bulk_gap_ms(7) * 7 >= 60_000);
        assert_eq!(bulk_gap_ms(0), 60_000);
    }

    #[test]
    fn long_errors_are_cut_and_domains_are_all_logs_see() {
        assert_eq!(truncate(&"é".repeat(600)).chars().count(), MAX_ERROR_LEN + 1);
        let mail = OutgoingMail {
            id: MailId(1),
            to: "camille.martin@example.fr".into(),
            lang: Lang::En,
            template: Template::AccountBlocked { name: "C".into() },
            created_at: 0,
            state: MailState::Pending { attempts: 0, next_attempt_at: 0, last_error: None },
        };
        assert_eq!(mail.recipient_domain(), "example.fr");
        assert_eq!(mail.language(), Lang::En);
    }
}
