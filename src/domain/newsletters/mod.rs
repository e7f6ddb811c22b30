//! Newsletters (« lettres d'information »): an admin writes one (a subject
//! and Markdown), aims it at every resident who consents or at one
//! neighbourhood, reads it as it will be read, sends a test to their own
//! address, then sends it. Sending queues one mail per consenting person in
//! the outbox, paced at `[newsletters] rate_per_minute` so that the
//! commune's SMTP server accepts them all (see `outbox::enqueue_paced`);
//! a sent newsletter is fixed and joins the public archive (`/lettres`).
//! Who may receive it is [`consent`]'s business: only people who said yes,
//! with the date, and who have not said no since.

pub mod consent;
pub mod tables;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::{self, AccountId};
use crate::domain::audit::{Action, Actor};
use crate::mail::{outbox, MailId, NewMail, Template};
use crate::store::{decode, encode, Keyed, Record, StoreError, Tx, WriteTx};
use tables::*;

pub use crate::domain::ids::NewsletterId;

/// The longest subject accepted, in characters: one line of a mail client.
pub const MAX_SUBJECT: usize = 200;
/// The longest body accepted, in characters.
pub const MAX_BODY: usize = 50_000;

/// Who a newsletter is for: always among the people who consent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Everyone who consents.
    All,
    /// Those who consent and gave this neighbourhood (`commune.neighbourhoods`).
    Neighbourhood(String),
}

/// A newsletter, draft or sent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Newsletter {
    pub id: NewsletterId,
    pub subject: String,
    /// Markdown, written by an admin; sent as it is in the plain-text mail
    /// (Markdown reads as text), rendered as HTML in the archive.
    pub body: String,
    pub audience: Audience,
    pub created_by: AccountId,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set once sent; a sent newsletter can no longer change.
    pub sent: Option<Sending>,
}

impl Record for Newsletter {
    const NAME: &'static str = "newsletter";
    const VERSION: u8 = 1;
}

/// How a newsletter was sent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Sending {
    pub at: i64,
    pub by: AccountId,
    /// How many mails were queued.
    pub recipients: u64,
    /// The first of its mails in the outbox; the others follow it
    /// (`outbox::enqueue_paced` takes consecutive ids).
    pub first_mail: MailId,
}

/// What an admin writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub subject: String,
    pub body: String,
    pub audience: Audience,
}

#[derive(Debug, thiserror::Error)]
pub enum NewsletterError {
    #[error("no such newsletter")]
    NotFound,
    #[error("a subject is needed, of at most 200 characters")]
    BadSubject,
    #[error("a text is needed, of at most 50,000 characters")]
    BadBody,
    #[error("this neighbourhood is not one of the commune's")]
    UnknownNeighbourhood,
    #[error("the newsletter was already sent: it cannot change")]
    AlreadySent,
    #[error("nobody who consents is in this audience")]
    NoRecipients,
    #[error("this link is not valid")]
    LinkInvalid,
    #[error("the sender has no address to send a test to")]
    NoAddress,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<accounts::AccountError> for NewsletterError {
    fn from(e: accounts::AccountError) -> Self {
        match e {
            accounts::AccountError::Store(s) => NewsletterError::Store(s),
            // Reading an account fails only in the store; anything else
            // means the sender's account is not usable for mail.
            accounts::AccountError::EmailTaken
            | accounts::AccountError::InvalidEmail
            | accounts::AccountError::NotFound
            | accounts::AccountError::TokenInvalid
            | accounts::AccountError::OwnAccount
            | accounts::AccountError::Erased
            | accounts::AccountError::NotAllowed
            | accounts::AccountError::Hash(_) => NewsletterError::NoAddress,
        }
    }
}

fn checked(d: &Draft, neighbourhoods: &[String]) -> Result<Draft, NewsletterError> {
    let subject = d.subject.trim();
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT || subject.contains(['\r', '\n']) {
        return Err(NewsletterError::BadSubject);
    }
    let body = d.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY {
        return Err(NewsletterError::BadBody);
    }
    if let Audience::Neighbourhood(n) = &d.audience {
        if !neighbourhoods.contains(n) {
            return Err(NewsletterError::UnknownNeighbourhood);
        }
    }
    Ok(Draft { subject: subject.into(), body: body.into(), audience: d.audience.clone() })
}

/// Newsletter `id`, draft or sent.
pub fn get(tx: &impl Tx, id: NewsletterId) -> Result<Option<Newsletter>, StoreError> {
    let table = tx.open(NEWSLETTER_BY_ID)?;
    let found = table.get(id.get())?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Every newsletter, drafts included, newest first (the admins' list).
pub fn all(tx: &impl Tx) -> Result<Vec<Newsletter>, StoreError> {
    let table = tx.open(NEWSLETTER_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The sent newsletters, most recent first, `skip` then at most `limit`.
pub fn archive(tx: &impl Tx, skip: usize, limit: usize) -> Result<Vec<Newsletter>, StoreError> {
    let index = tx.open(NEWSLETTER_ID_BY_SENT)?;
    let mut out = Vec::with_capacity(limit.min(100));
    for row in index.iter()?.rev().skip(skip).take(limit) {
        let (_, id) = row?.0.value();
        if let Some(n) = get(tx, NewsletterId(id))? {
            out.push(n);
        }
    }
    Ok(out)
}

/// How many newsletters were sent.
pub fn archive_count(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(NEWSLETTER_ID_BY_SENT)?.len()?)
}

/// Writes `letter` and keeps the archive index in step: the one place that does.
fn write(tx: &WriteTransaction, old: Option<&Newsletter>, letter: &Newsletter) -> Result<(), StoreError> {
    let mut index = tx.open_table(NEWSLETTER_ID_BY_SENT)?;
    if let Some(sent) = old.and_then(|o| o.sent.as_ref()) {
        index.remove((sent.at, letter.id.get()))?;
    }
    if let Some(sent) = &letter.sent {
        index.insert((sent.at, letter.id.get()), ())?;
    }
    tx.open_table(NEWSLETTER_BY_ID)?.insert(letter.id.get(), encode(letter)?.as_slice())?;
    Ok(())
}

fn load(tx: &WriteTransaction, id: NewsletterId) -> Result<Newsletter, NewsletterError> {
    get(tx, id)?.ok_or(NewsletterError::NotFound)
}

fn next_id(tx: &WriteTransaction) -> Result<NewsletterId, StoreError> {
    let mut counters = tx.open_table(NEWSLETTER_COUNTER_BY_NAME)?;
    let id = counters.get("next_newsletter")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_newsletter", id + 1)?;
    Ok(NewsletterId(id))
}

/// An admin writes a new newsletter, as a draft. `neighbourhoods` are the
/// commune's (a targeted one must be among them).
pub fn create(
    tx: &WriteTransaction,
    actor: &Actor,
    draft: &Draft,
    neighbourhoods: &[String],
    now: i64,
) -> Result<NewsletterId, NewsletterError> {
    let d = checked(draft, neighbourhoods)?;
    let by = actor.account.ok_or(NewsletterError::NotFound)?;
    let id = next_id(tx)?;
    let letter = Newsletter {
        id,
        subject: d.subject,
        body: d.body,
        audience: d.audience,
        created_by: by,
        created_at: now,
        updated_at: now,
        sent: None,
    };
    write(tx, None, &letter)?;
    Ok(id)
}

/// An admin corrects a draft; a sent newsletter is refused (what people
/// received, the archive shows).
pub fn update(
    tx: &WriteTransaction,
    id: NewsletterId,
    draft: &Draft,
    neighbourhoods: &[String],
    now: i64,
) -> Result<(), NewsletterError> {
    let old = load(tx, id)?;
    if old.sent.is_some() {
        return Err(NewsletterError::AlreadySent);
    }
    let d = checked(draft, neighbourhoods)?;
    let letter = Newsletter { subject: d.subject, body: d.body, audience: d.audience, updated_at: now, ..old.clone() };
    write(tx, Some(&old), &letter)?;
    Ok(())
}

/// The mail of `letter` for `to`: the text as written, the archive link
/// and `to`'s own way-out link (also its `List-Unsubscribe` header).
fn mail_for(tx: &impl Keyed, letter: &Newsletter, to: &accounts::Account, base: &str) -> NewMail {
    let base = base.trim_end_matches('/');
    NewMail {
        to: to.email.clone(),
        lang: to.language,
        template: Template::Newsletter {
            name: to.display_name.clone(),
            subject: letter.subject.clone(),
            text: letter.body.clone(),
            link: format!("{base}/lettres/{}", letter.id),
            unsubscribe: format!("{base}{}", consent::unsubscribe_path(tx, to.id)),
        },
    }
}

/// Whether `a` may receive a newsletter aimed at `audience` (their consent
/// is checked by the caller): an address that works, not blocked, in the
/// neighbourhood when one is aimed at.
fn reachable(a: &accounts::Account, audience: &Audience) -> bool {
    let usable = !a.is_erased() && !a.blocked && a.email_confirmed && !a.email.is_empty();
    usable
        && match audience {
            Audience::All => true,
            Audience::Neighbourhood(n) => a.neighbourhood.as_deref() == Some(n.as_str()),
        }
}

/// The accounts a send of `audience` would reach now, in id order.
pub fn recipients(tx: &impl Keyed, audience: &Audience) -> Result<Vec<accounts::Account>, NewsletterError> {
    let mut out = Vec::new();
    for id in consent::subscribers(tx)? {
        if let Some(a) = accounts::get(tx, id)?.filter(|a| reachable(a, audience)) {
            out.push(a);
        }
    }
    Ok(out)
}

/// Sends newsletter `id` to the admin who asks, at their own address only,
/// due at once (not paced): the draft stays a draft. `base` is the public
/// address of the site (the mail's links).
pub fn send_test(tx: &WriteTx, actor: &Actor, id: NewsletterId, base: &str) -> Result<MailId, NewsletterError> {
    let letter = load(tx, id)?;
    let me = actor.account.ok_or(NewsletterError::NoAddress)?;
    let me = accounts::get(tx, me)?.filter(|a| !a.email.is_empty()).ok_or(NewsletterError::NoAddress)?;
    Ok(outbox::enqueue(tx, mail_for(tx, &letter, &me, base))?)
}

/// Sends newsletter `id`: one mail to each person of its audience who
/// consents now, queued in this transaction at `rate_per_minute`, and the
/// newsletter fixed and archived, with its audit event. Refused when it was
/// already sent or nobody would receive it.
pub fn send(
    tx: &WriteTx,
    actor: &Actor,
    id: NewsletterId,
    base: &str,
    rate_per_minute: u32,
    now: i64,
) -> Result<Sending, NewsletterError> {
    let old = load(tx, id)?;
    if old.sent.is_some() {
        return Err(NewsletterError::AlreadySent);
    }
    let by = actor.account.ok_or(NewsletterError::NotFound)?;
    let people = recipients(tx, &old.audience)?;
    if people.is_empty() {
        return Err(NewsletterError::NoRecipients);
    }
    let mails: Vec<NewMail> = people.iter().map(|a| mail_for(tx, &old, a, base)).collect();
    let (first_mail, recipients) = outbox::enqueue_paced(tx, mails, now, rate_per_minute)?;
    let sending = Sending { at: now, by, recipients, first_mail };
    let letter = Newsletter { sent: Some(sending.clone()), ..old.clone() };
    write(tx, Some(&old), &letter)?;
    actor.record(tx, Action::NewsletterSent, None, format!("newsletter {id}: sent to {recipients}"), now)?;
    Ok(sending)
}

/// Where the mails of a sent newsletter are: waiting, sent, given up.
pub fn progress(tx: &crate::store::ReadTx, letter: &Newsletter) -> Result<outbox::StateCounts, StoreError> {
    match &letter.sent {
        Some(s) => outbox::count_states(tx, s.first_mail, s.recipients),
        None => Ok(outbox::StateCounts::default()),
    }
}

#[cfg(test)]
mod tests;
