//! Consent to the newsletter, as proof under the RGPD: a resident says yes
//! (on the sign-up form or their account page, never ticked for them) and
//! no (on the account page or with the link in every newsletter); each
//! change is kept with its date and where it was made, and nothing is ever
//! deleted from the log while the account exists, because the town hall
//! must be able to show when a person agreed (art. 7.1) and that a mail
//! sent later went to someone who had not withdrawn.
//!
//! The one-click way out: each newsletter mail carries a link signed for
//! its recipient (a keyed hash under the instance's key, as the
//! consultations' links are), so it needs no sign-in, cannot be forged and
//! stops nobody else. Following it only shows a button; the POST withdraws,
//! so that a mail scanner that opens every link unsubscribes nobody
//! (RFC 8058's one-click POST goes to the same address).

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{NEWSLETTER_CONSENT_BY_ACCOUNT, NEWSLETTER_SUBSCRIBER_BY_ACCOUNT};
use super::NewsletterError;
use crate::domain::accounts::AccountId;
use crate::domain::notifications::links;
use crate::store::{decode, encode, Keyed, Record, StoreError, Tx};

/// Where a consent was given or withdrawn.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The box on the sign-up form.
    SignUp,
    /// The person's account page.
    Account,
    /// The signed link at the foot of a newsletter (or the mail client's
    /// unsubscribe button, which posts to it).
    Link,
}

impl Via {
    /// A stable word, for the personal-data copy and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Via::SignUp => "sign-up",
            Via::Account => "account",
            Via::Link => "link",
        }
    }
}

/// One yes, and the no that ended it if there was one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Period {
    pub given_at: i64,
    pub given_via: Via,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_via: Option<Via>,
}

/// Every period of consent of one account, oldest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ConsentLog {
    pub periods: Vec<Period>,
}

impl Record for ConsentLog {
    const NAME: &'static str = "newsletter consent";
    const VERSION: u8 = 1;
}

impl ConsentLog {
    /// Whether the person consents now: their last yes was not withdrawn.
    pub fn is_given(&self) -> bool {
        self.periods.last().is_some_and(|p| p.withdrawn_at.is_none())
    }
}

/// The consent log of `account` (empty if they never said yes).
pub fn log(tx: &impl Tx, account: AccountId) -> Result<ConsentLog, StoreError> {
    let table = tx.open(NEWSLETTER_CONSENT_BY_ACCOUNT)?;
    let found = table.get(account.get())?;
    match found {
        Some(bytes) => decode(bytes.value()),
        None => Ok(ConsentLog::default()),
    }
}

/// Whether `account` consents to the newsletter now.
pub fn is_subscribed(tx: &impl Tx, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?.get(account.get())?.is_some())
}

/// How many people consent now (the admin's page shows it before a send).
pub fn subscriber_count(tx: &impl Tx) -> Result<u64, StoreError> {
    use redb::ReadableTableMetadata;
    let table = tx.open(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?;
    Ok(table.len()?)
}

/// The accounts that consent now, in id order.
pub(super) fn subscribers(tx: &impl Tx) -> Result<Vec<AccountId>, StoreError> {
    let table = tx.open(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        out.push(AccountId(row?.0.value()));
    }
    Ok(out)
}

/// Writes the log and keeps the subscribers index in step: the one place
/// that does.
fn write(tx: &WriteTransaction, account: AccountId, log: &ConsentLog) -> Result<(), StoreError> {
    tx.open_table(NEWSLETTER_CONSENT_BY_ACCOUNT)?.insert(account.get(), encode(log)?.as_slice())?;
    let mut subscribers = tx.open_table(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?;
    if log.is_given() {
        subscribers.insert(account.get(), ())?;
    } else {
        subscribers.remove(account.get())?;
    }
    Ok(())
}

/// Records that `account` consents, from `via`, at `now`. Saying yes again
/// while consenting changes nothing (the first date stays the proof).
/// Returns whether anything changed.
pub fn give(tx: &WriteTransaction, account: AccountId, via: Via, now: i64) -> Result<bool, StoreError> {
    let mut log = log(tx, account)?;
    if log.is_given() {
        return Ok(false);
    }
    log.periods.push(Period { given_at: now, given_via: via, withdrawn_at: None, withdrawn_via: None });
    write(tx, account, &log)?;
    Ok(true)
}

/// Records that `account` withdraws their consent, from `via`, at `now`.
/// Returns whether anything changed (nothing if they did not consent).
pub fn withdraw(tx: &WriteTransaction, account: AccountId, via: Via, now: i64) -> Result<bool, StoreError> {
    let mut log = log(tx, account)?;
    let Some(open) = log.periods.last_mut().filter(|p| p.withdrawn_at.is_none()) else { return Ok(false) };
    open.withdrawn_at = Some(now);
    open.withdrawn_via = Some(via);
    write(tx, account, &log)?;
    Ok(true)
}

/// The person's own choice on their account page: yes or no.
pub fn choose(tx: &WriteTransaction, account: AccountId, wanted: bool, now: i64) -> Result<bool, StoreError> {
    if wanted {
        give(tx, account, Via::Account, now)
    } else {
        withdraw(tx, account, Via::Account, now)
    }
}

/// What the way-out links are signed for (`notifications::links`).
const STOP_PURPOSE: &str = "newsletter-stop";

/// The signature of `account`'s way-out link.
pub fn unsubscribe_signature(tx: &impl Keyed, account: AccountId) -> String {
    links::sign(tx, STOP_PURPOSE, account, "")
}

/// The path of the link that withdraws `account`'s consent.
pub fn unsubscribe_path(tx: &impl Keyed, account: AccountId) -> String {
    format!("/lettres/desinscription?compte={account}&cle={}", unsubscribe_signature(tx, account))
}

/// Whether `sig` signs `account`'s link: as signed now, or as newsletters
/// sent before the signing moved to `notifications::links` signed it.
pub fn unsubscribe_valid(tx: &impl Keyed, account: AccountId, sig: &str) -> bool {
    links::verify(tx, STOP_PURPOSE, account, "", sig)
        || links::verify_legacy(tx, links::Legacy::Newsletter, &account.to_string(), sig)
}

/// Withdraws `account`'s consent from the signed link in a newsletter. A
/// link whose signature does not match is refused and changes nothing.
/// Following it twice is not an error: the person is out either way.
pub fn unsubscribe(tx: &crate::store::WriteTx, account: AccountId, sig: &str, now: i64) -> Result<(), NewsletterError> {
    if !unsubscribe_valid(tx, account, sig) {
        return Err(NewsletterError::LinkInvalid);
    }
    withdraw(tx, account, Via::Link, now)?;
    Ok(())
}

/// Forgets `account`'s consent when the account is erased: nobody is left
/// to mail, and the log (dates tied to that person) goes with the rest of
/// their data, as the personal-data copy and the erasure cover the same.
pub fn forget_account(tx: &WriteTransaction, account: AccountId) -> Result<(), StoreError> {
    tx.open_table(NEWSLETTER_CONSENT_BY_ACCOUNT)?.remove(account.get())?;
    tx.open_table(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?.remove(account.get())?;
    Ok(())
}
