//! The one-click way out of a consultation's outcome mails: each mail
//! carries a link signed for its consultation and its recipient (a keyed
//! hash under the instance's key, as the reports' alert links are), so it
//! needs no sign-in, cannot be forged, and stops nobody else. Following the
//! link only shows a button: the POST stops the mails, so that a mail
//! scanner that opens every link unsubscribes nobody (RFC 8058's one-click
//! POST goes to the same address).

use super::*;
use crate::store::{Keyed, WriteTx};

/// The signature of `account`'s link for consultation `id`.
pub fn unsubscribe_signature(tx: &impl Keyed, id: ConsultationId, account: AccountId) -> String {
    let hash = tx.keys().lookup("consultation-outcome-unsubscribe", &format!("{id}:{account}"));
    hex::encode(&hash[..16])
}

/// The path of the link that stops `account` being told of `id`'s outcome.
pub fn unsubscribe_path(tx: &impl Keyed, id: ConsultationId, account: AccountId) -> String {
    format!("/consultations/{id}/ne-plus-prevenir?compte={account}&cle={}", unsubscribe_signature(tx, id, account))
}

/// Whether `sig` signs `account`'s link for `id` (compared in a time that
/// does not tell how much of it matched).
pub fn unsubscribe_valid(tx: &impl Keyed, id: ConsultationId, account: AccountId, sig: &str) -> bool {
    let expected = unsubscribe_signature(tx, id, account);
    expected.len() == sig.len() && expected.bytes().zip(sig.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Stops `account` being told of consultation `id`'s outcome (as a
/// follower and as a respondent who asked), from the mail's signed link.
/// A link whose signature does not match is refused.
pub fn unsubscribe(tx: &WriteTx, id: ConsultationId, account: AccountId, sig: &str) -> Result<(), ConsultationError> {
    if !unsubscribe_valid(tx, id, account, sig) {
        return Err(ConsultationError::LinkInvalid);
    }
    get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    tx.open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?.remove((id.get(), account.get()))?;
    Ok(())
}
