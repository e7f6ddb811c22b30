//! Notifications: in the app (a list on the account page) and by email, in
//! the person's language. Written in the same transaction as what caused
//! them, so nobody is told of a change that did not happen.

pub mod tables;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::{self, AccountId};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{decode, encode, Record, StoreError, WriteTx};
use tables::NOTIFICATION_BY_ACCOUNT_SEQ;

/// What happened, with what is needed to say it in any language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Event {
    /// A followed proposal reached its box's support threshold.
    ThresholdReached { proposal: u64, title: String },
    /// The town hall changed a followed proposal's status.
    StatusChanged { proposal: u64, title: String, status: String },
    /// The town hall answered a followed proposal.
    Answered { proposal: u64, title: String },
    /// Someone posted an update on a followed problem report: staff (with
    /// a status, named by the commune when `status_name` is set, else by
    /// its translated code) or a resident.
    ReportUpdated { report: u64, category: String, status: Option<String>, status_name: Option<String> },
}

impl Event {
    /// The page the notification leads to.
    pub fn path(&self) -> String {
        match self {
            Event::ThresholdReached { proposal, .. }
            | Event::StatusChanged { proposal, .. }
            | Event::Answered { proposal, .. } => format!("/propositions/{proposal}"),
            Event::ReportUpdated { report, .. } => format!("/signalements/{report}"),
        }
    }

    /// The translation keys of its subject and text.
    pub fn keys(&self) -> (&'static str, &'static str) {
        match self {
            Event::ThresholdReached { .. } => ("notif-threshold-subject", "notif-threshold-text"),
            Event::StatusChanged { .. } => ("notif-status-subject", "notif-status-text"),
            Event::Answered { .. } => ("notif-answer-subject", "notif-answer-text"),
            Event::ReportUpdated { status: Some(_), .. } => ("notif-report-status-subject", "notif-report-status-text"),
            Event::ReportUpdated { status: None, .. } => ("notif-report-update-subject", "notif-report-update-text"),
        }
    }

    /// The subject and text in `lang`.
    pub fn render(&self, lang: crate::i18n::Lang) -> (String, String) {
        use crate::i18n::Arg;
        let (subject, text) = self.keys();
        let args: Vec<(&'static str, Arg)> = match self {
            Event::ThresholdReached { title, .. } | Event::Answered { title, .. } => {
                vec![("title", Arg::from(title.as_str()))]
            }
            Event::StatusChanged { title, status, .. } => {
                vec![("title", Arg::from(title.as_str())), ("status", Arg::from(lang.t(&format!("status-{status}"))))]
            }
            Event::ReportUpdated { report, category, status, status_name } => {
                let status = match (status, status_name) {
                    (_, Some(name)) => name.clone(),
                    (Some(code), None) => lang.t(&format!("problem-status-{code}")),
                    (None, None) => String::new(),
                };
                vec![
                    ("number", Arg::from(*report)),
                    ("category", Arg::from(category.as_str())),
                    ("status", Arg::from(status)),
                ]
            }
        };
        (lang.ta(subject, &args), lang.ta(text, &args))
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Notification {
    pub at: i64,
    pub event: Event,
    pub read: bool,
}

impl Record for Notification {
    const NAME: &'static str = "notification";
    const VERSION: u8 = 1;
}

/// How to reach people: the site's address, for links in messages.
#[derive(Clone, Debug)]
pub struct Notifier {
    pub base_url: String,
}

/// Tells `account` about `event`: in the app and by email.
pub fn notify(tx: &WriteTx, notifier: &Notifier, account: AccountId, event: Event, now: i64) -> Result<(), StoreError> {
    let Some(person) = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))? else {
        return Ok(());
    };
    if person.blocked || person.email.is_empty() {
        return Ok(());
    }
    let mut table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let next = table
        .range((account.get(), 0)..=(account.get(), u64::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1 + 1)
        .unwrap_or(1);
    let lang = person.language;
    let (subject, text) = event.render(lang);
    let link = format!("{}{}", notifier.base_url.trim_end_matches('/'), event.path());
    table.insert((account.get(), next), encode(&Notification { at: now, event, read: false })?.as_slice())?;
    outbox::enqueue(
        tx,
        NewMail {
            to: person.email.clone(),
            lang: person.language,
            template: Template::Notification { name: person.display_name.clone(), subject, text, link: Some(link) },
        },
    )?;
    Ok(())
}

/// A person's notifications, newest first, at most `limit`.
pub fn recent(tx: &ReadTransaction, account: AccountId, limit: usize) -> Result<Vec<(u64, Notification)>, StoreError> {
    let table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))?.rev().take(limit) {
        let (k, v) = row?;
        out.push((k.value().1, decode(v.value())?));
    }
    Ok(out)
}

pub fn unread_count(tx: &ReadTransaction, account: AccountId) -> Result<usize, StoreError> {
    let table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let mut n = 0;
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))?.rev().take(200) {
        if !decode::<Notification>(row?.1.value())?.read {
            n += 1;
        }
    }
    Ok(n)
}

/// Marks every notification of a person as read.
pub fn mark_all_read(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let mut unread = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        let (k, v) = row?;
        let n: Notification = decode(v.value())?;
        if !n.read {
            unread.push((k.value(), n));
        }
    }
    for (key, mut n) in unread.iter().cloned() {
        n.read = true;
        table.insert(key, encode(&n)?.as_slice())?;
    }
    Ok(unread.len())
}

/// Removes every notification of a person, read or not; returns how many.
/// Used when the account is erased: they were written for that person alone,
/// and nobody can open them once the account is a tombstone.
pub fn remove_all(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut removed = 0;
    tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?.retain_in((account.get(), 0)..=(account.get(), u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    Ok(removed)
}
