//! Who is told of a consultation's outcome: residents who follow it (a
//! button on its page) and those who, answering, ticked « Prévenez-moi de
//! la publication des résultats ». Both are emailed when the outcome is
//! published and at each later update (through the outbox, in each
//! person's language); a signed-in answer also gets its receipt by email.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::accounts;
use crate::domain::notifications::Notifier;
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
    mail(tx, account, None, |lang| {
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
/// their language: subject, text, link; with `unsubscribe`, the signed
/// link that stops these mails.
fn mail(
    tx: &WriteTx,
    account: AccountId,
    unsubscribe: Option<String>,
    render: impl Fn(crate::i18n::Lang) -> (String, String, String),
) -> Result<(), StoreError> {
    let person = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))?;
    let Some(person) = person.filter(|p| !p.blocked && !p.email.is_empty()) else { return Ok(()) };
    let (subject, text, link) = render(person.language);
    let name = person.display_name.clone();
    let template = match unsubscribe {
        Some(unsubscribe) => Template::ConsultationOutcome { name, subject, text, link, unsubscribe },
        None => Template::Notification { name, subject, text, link: Some(link) },
    };
    outbox::enqueue(tx, NewMail { to: person.email.clone(), lang: person.language, template })?;
    Ok(())
}

/// Mails everyone told of consultation `c`'s outcome: published, or updated.
pub(super) fn tell(tx: &WriteTx, notifier: &Notifier, c: &Consultation, update: bool) -> Result<usize, StoreError> {
    let people: Vec<AccountId> = tx
        .open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?
        .range((c.id.get(), 0)..=(c.id.get(), u64::MAX))?
        .map(|row| row.map(|(k, _)| AccountId(k.value().1)))
        .collect::<Result<_, _>>()?;
    let base = notifier.base_url.trim_end_matches('/');
    let (subject, text) = match update {
        false => ("consultation-mail-outcome-subject", "consultation-mail-outcome-text"),
        true => ("consultation-mail-update-subject", "consultation-mail-update-text"),
    };
    for &account in &people {
        let unsubscribe = format!("{base}{}", super::unsubscribe::unsubscribe_path(tx, c.id, account));
        mail(tx, account, Some(unsubscribe), |lang| {
            let args = [("title", Arg::from(c.title.as_str()))];
            (lang.ta(subject, &args), lang.ta(text, &args), format!("{base}/consultations/{}#bilan", c.id))
        })?;
    }
    Ok(people.len())
}
