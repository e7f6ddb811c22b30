//! Who is told of a consultation's outcome: residents who follow it (a
//! button on its page) and those who, answering, left ticked « Prévenez-moi
//! de la publication des résultats » (ticked unless they untick it). Both
//! are told when the outcome is published and at each later update, through
//! the notifications (in the app, and by email as each chose for the kind
//! « consultations »); a signed-in answer also gets its receipt by email.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::accounts;
use crate::domain::notifications::{fanout, Event, Notifier};
use crate::i18n::Arg;
use crate::mail::{outbox, NewMail, Template};
use crate::store::WriteTx;

/// The person follows the consultation.
pub const FOLLOWS: u8 = 1;
/// The person asked, when answering, to be told of the results.
pub const ASKED: u8 = 2;

/// Why `account` is told of consultation `id`'s outcome (0: it is not).
pub fn told(tx: &impl Tx, id: ConsultationId, account: AccountId) -> Result<u8, StoreError> {
    Ok(tx
        .open(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?
        .get((id.get(), account.get()))?
        .map(|v| v.value())
        .unwrap_or(0))
}

fn set(tx: &WriteTransaction, id: ConsultationId, account: AccountId, flag: u8, on: bool) -> Result<(), StoreError> {
    let before = told(tx, id, account)?;
    let after = if on { before | flag } else { before & !flag };
    let mut table = tx.open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?;
    if after == 0 {
        table.remove((id.get(), account.get()))?;
    } else {
        table.insert((id.get(), account.get()), after)?;
    }
    Ok(())
}

/// A resident follows a published consultation (`on`), or stops.
pub fn follow(
    tx: &WriteTransaction,
    id: ConsultationId,
    account: AccountId,
    on: bool,
) -> Result<(), ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if c.published.is_none() {
        return Err(ConsultationError::NotFound);
    }
    set(tx, id, account, FOLLOWS, on)?;
    Ok(())
}

/// A signed-in person's answer: [`submit`], with their wish to be told of
/// the results, and the receipt by email, in one transaction.
pub fn submit_signed_in(
    tx: &WriteTx,
    notifier: &Notifier,
    id: ConsultationId,
    account: AccountId,
    fields: &BTreeMap<u32, Raw>,
    tell_me: bool,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let done = submit(tx, id, Respondent::Account(account), fields, now)?;
    if tell_me {
        set(tx, id, account, ASKED, true)?;
    }
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    let base = notifier.base_url.trim_end_matches('/');
    mail(tx, account, |lang| {
        let args = [("title", Arg::from(c.title.as_str())), ("receipt", Arg::from(done.receipt.as_str()))];
        (
            lang.ta("consultation-mail-receipt-subject", &args),
            lang.ta("consultation-mail-receipt-text", &args),
            format!("{base}/consultations/{id}/merci"),
        )
    })?;
    Ok(done)
}

/// Mails `account`, when it can still receive mail, what `render` writes in
/// their language: subject, text, link (the receipt of their answer, which
/// they are waiting for: not a notification, so it leaves whatever their
/// settings say).
fn mail(
    tx: &WriteTx,
    account: AccountId,
    render: impl Fn(crate::i18n::Lang) -> (String, String, String),
) -> Result<(), StoreError> {
    let person = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))?;
    let Some(person) = person.filter(|p| !p.blocked && !p.email.is_empty()) else { return Ok(()) };
    let (subject, text, link) = render(person.language);
    let name = person.display_name.clone();
    let template = Template::Notification { name, subject, text, link: Some(link) };
    outbox::enqueue(tx, NewMail { to: person.email.clone(), lang: person.language, template })?;
    Ok(())
}

/// Tells everyone told of consultation `c`'s outcome (published, or
/// updated) through the notifications, as each chose for the kind
/// « consultations I follow »: one fan-out job in the staff's transaction,
/// the people told after the commit, so that publishing stays as fast
/// however many follow.
pub(super) fn tell(tx: &WriteTx, c: &Consultation, update: bool, now: i64) -> Result<(), StoreError> {
    let event = Event::ConsultationOutcome { consultation: c.id.get(), title: c.title.clone(), update };
    fanout::record(tx, fanout::Audience::ConsultationFollowers(c.id), event, now)?;
    Ok(())
}

/// The people told of consultation `id`'s outcome (following it, or having
/// asked when answering) after `after`, in increasing order, at most
/// `limit`: the fan-out reads them a batch at a time.
pub fn followers_after(
    tx: &impl Tx,
    id: ConsultationId,
    after: Option<AccountId>,
    limit: usize,
) -> Result<Vec<AccountId>, StoreError> {
    let from = match after.map(|a| a.get()) {
        Some(u64::MAX) => return Ok(Vec::new()),
        Some(a) => a + 1,
        None => 0,
    };
    let table = tx.open(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), from)..=(id.get(), u64::MAX))?.take(limit) {
        out.push(AccountId(row?.0.value().1));
    }
    Ok(out)
}
