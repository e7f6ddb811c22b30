//! Digests: the notifications a person asked to receive daily or weekly
//! wait here, and one mail per person groups them by process at the
//! configured hour (Europe/Paris).
//!
//! What is due needs no record of past sendings: at any moment the last
//! digest time is known (today's or yesterday's hour; the last chosen
//! weekday's), and every item that arrived before it is due. A pass removes
//! the items it puts in a mail in the same transaction as the mail, so a
//! restart (or a pass that runs late, or twice) never sends one twice and
//! never loses one.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ, NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ};
use super::{Event, Notifier, Process, Stop};
use crate::domain::accounts::{self, AccountId};
use crate::i18n::Lang;
use crate::mail::template::DigestSection;
use crate::mail::{outbox, NewMail, Template};
use crate::store::{decode, encode, Record, StoreError, WriteTx};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Daily,
    Weekly,
}

impl Cadence {
    /// Its number in the due index's key.
    pub fn index(self) -> u8 {
        match self {
            Cadence::Daily => 0,
            Cadence::Weekly => 1,
        }
    }
}

/// A notification waiting for a digest.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DigestItem {
    pub at: i64,
    pub cadence: Cadence,
    pub event: Event,
}

impl Record for DigestItem {
    const NAME: &'static str = "digest item";
    const VERSION: u8 = 1;
}

/// When digests leave: `[notifications] digest_hour` and `digest_weekday`,
/// in the commune's time zone.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    pub hour: i8,
    pub weekday: Weekday,
}

impl Schedule {
    pub fn from_config(config: &crate::config::Config) -> Schedule {
        Schedule { hour: config.notifications.digest_hour, weekday: config.notifications.digest_weekday }
    }

    /// The last daily digest time at or before `now`.
    pub fn last_daily(&self, now: i64) -> i64 {
        self.last_at(now, |_| true)
    }

    /// The last weekly digest time at or before `now`.
    pub fn last_weekly(&self, now: i64) -> i64 {
        self.last_at(now, |day| day.weekday() == self.weekday)
    }

    /// The latest day's digest hour at or before `now` among the days
    /// `fits` accepts (at most eight days back).
    fn last_at(&self, now: i64, fits: impl Fn(jiff::civil::Date) -> bool) -> i64 {
        let tz = paris();
        let Ok(stamp) = Timestamp::from_second(now) else {
            return i64::MIN;
        };
        let mut day = stamp.to_zoned(tz.clone()).date();
        for _ in 0..9 {
            // On the spring change, an hour that does not exist is taken
            // as the one after it (jiff's "compatible" rule).
            let at = day.at(self.hour, 0, 0, 0).to_zoned(tz.clone()).map(|z| z.timestamp().as_second());
            if let Ok(at) = at {
                if at <= now && fits(day) {
                    return at;
                }
            }
            match day.yesterday() {
                Ok(before) => day = before,
                Err(_) => break,
            }
        }
        i64::MIN
    }
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

/// Keeps `event` for `account`'s next digest of `cadence`.
pub fn hold(
    tx: &WriteTransaction,
    account: AccountId,
    cadence: Cadence,
    event: Event,
    at: i64,
) -> Result<(), StoreError> {
    let mut items = tx.open_table(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
    let seq = items
        .range((account.get(), 0)..=(account.get(), u64::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1 + 1)
        .unwrap_or(1);
    items.insert((account.get(), seq), encode(&DigestItem { at, cadence, event })?.as_slice())?;
    tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?
        .insert((cadence.index(), at, account.get(), seq), ())?;
    Ok(())
}

/// What waits for `account`'s digests, oldest first.
pub fn waiting(tx: &impl crate::store::Tx, account: AccountId) -> Result<Vec<DigestItem>, StoreError> {
    let table = tx.open(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Queues the digests due at `now`: one mail per person holding every item
/// that arrived before the last daily digest time (daily items) or the last
/// weekly one (weekly items), grouped by process, in their language. At
/// most `limit` people per call, so that a backlog never makes one huge
/// transaction; returns how many mails were queued.
pub fn send_due(
    tx: &WriteTx,
    notifier: &Notifier,
    schedule: &Schedule,
    now: i64,
    limit: usize,
) -> Result<usize, StoreError> {
    let until = [(Cadence::Daily, schedule.last_daily(now)), (Cadence::Weekly, schedule.last_weekly(now))];
    let mut people = BTreeSet::new();
    {
        let due = tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?;
        for (cadence, before) in until {
            let c = cadence.index();
            for row in due.range((c, i64::MIN, 0, 0)..(c, before, 0, 0))? {
                if people.len() >= limit {
                    break;
                }
                people.insert(row?.0.value().2);
            }
        }
    }
    let mut sent = 0;
    for account in people {
        if send_one(tx, notifier, AccountId(account), until)? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Takes `account`'s due items out and mails them as one digest (none for
/// an account gone, blocked or without an address: its items are dropped,
/// as [`super::notify`] would not have mailed them).
fn send_one(
    tx: &WriteTx,
    notifier: &Notifier,
    account: AccountId,
    until: [(Cadence, i64); 2],
) -> Result<bool, StoreError> {
    let is_due = |item: &DigestItem| until.iter().any(|(c, before)| *c == item.cadence && item.at < *before);
    let mut taken = Vec::new();
    {
        let mut items = tx.open_table(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
        let mut due = tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?;
        let mut keys = Vec::new();
        for row in items.range((account.get(), 0)..=(account.get(), u64::MAX))? {
            let (k, v) = row?;
            let item: DigestItem = decode(v.value())?;
            if is_due(&item) {
                keys.push(k.value().1);
                taken.push(item);
            }
        }
        for (seq, item) in keys.iter().zip(&taken) {
            items.remove((account.get(), *seq))?;
            due.remove((item.cadence.index(), item.at, account.get(), *seq))?;
        }
    }
    if taken.is_empty() {
        return Ok(false);
    }
    let Some(person) = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))? else {
        return Ok(false);
    };
    if person.blocked || person.email.is_empty() {
        return Ok(false);
    }
    let sections = sections(&taken, notifier, person.language);
    outbox::enqueue(
        tx,
        NewMail {
            to: person.email.clone(),
            lang: person.language,
            template: Template::Digest {
                name: person.display_name.clone(),
                sections,
                settings: notifier.link(super::SETTINGS_PATH),
                unsubscribe: notifier.link(&super::stop_path(tx, account, Stop::Digests)),
            },
        },
    )?;
    Ok(true)
}

/// The items grouped by process, in the processes' order, each group in
/// the order things happened.
fn sections(items: &[DigestItem], notifier: &Notifier, lang: Lang) -> Vec<DigestSection> {
    let mut groups: BTreeMap<Process, Vec<(String, String)>> = BTreeMap::new();
    for item in items {
        let (subject, _) = item.event.render(lang);
        groups.entry(item.event.process()).or_default().push((subject, notifier.link(&item.event.path())));
    }
    groups.into_iter().map(|(process, items)| DigestSection { heading: lang.t(process.heading_key()), items }).collect()
}

/// Removes everything waiting for `account`'s digests (erasure).
pub fn remove_all(tx: &WriteTransaction, account: AccountId) -> Result<(), StoreError> {
    let mut items = tx.open_table(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
    let mut gone = Vec::new();
    for row in items.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        let (k, v) = row?;
        let item: DigestItem = decode(v.value())?;
        gone.push((item.cadence.index(), item.at, k.value().1));
    }
    let mut due = tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?;
    for (c, at, seq) in gone {
        items.remove((account.get(), seq))?;
        due.remove((c, at, account.get(), seq))?;
    }
    Ok(())
}
