//! The one-click way out of a consultation's outcome mails: each mail
//! carries a link signed for its consultation and its recipient (a keyed
//! hash under the instance's key, `notifications::links`), so it
//! needs no sign-in, cannot be forged, and stops nobody else. Following the
//! link only shows a button: the POST stops the mails, so that a mail
//! scanner that opens every link unsubscribes nobody (RFC 8058's one-click
//! POST goes to the same address).

use super::*;
use crate::domain::notifications::links;
use crate::store::{Keyed, WriteTx};

/// What the links are signed for (`notifications::links`).
const STOP_PURPOSE: &str = "consultation-stop";

/// The signature of `account`'s link for consultation `id`.
pub fn unsubscribe_signature(tx: &impl Keyed, id: ConsultationId, account: AccountId) -> String {
    links::sign(tx, STOP_PURPOSE, account, &id.to_string())
}

/// The path of the link that stops `account` being told of `id`'s outcome.
pub fn unsubscribe_path(tx: &impl Keyed, id: ConsultationId, account: AccountId) -> String {
    format!("/consultations/{id}/ne-plus-prevenir?compte={account}&cle={}", unsubscribe_signature(tx, id, account))
}

/// Whether `sig` signs `account`'s link for `id`: as signed now, or as the
/// mails sent before the signing moved to `notifications::links` signed it.
pub fn unsubscribe_valid(tx: &impl Keyed, id: ConsultationId, account: AccountId, sig: &str) -> bool {
    links::verify(tx, STOP_PURPOSE, account, &id.to_string(), sig)
        || links::verify_legacy(tx, links::Legacy::ConsultationOutcome, &format!("{id}:{account}"), sig)
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
