//! Signed links that act for a person without a sign-in: a keyed hash under
//! the instance's key of (purpose, account, subject). The one place for
//! every concept that mails such a link (stopping a kind of notification,
//! a consultation's outcome mails, the newsletter, a report area's alerts);
//! a link signed for one purpose, person or subject is worth nothing for
//! another, and nobody without the key can make one.

use crate::domain::accounts::AccountId;
use crate::store::Keyed;

/// The signature of `account`'s link for `purpose` and `subject`: 16 bytes
/// of HMAC-SHA256, in hex (128 bits: beyond guessing, short in a URL).
pub fn sign(tx: &impl Keyed, purpose: &str, account: AccountId, subject: &str) -> String {
    keyed(tx, purpose, &format!("{account}:{subject}"))
}

/// Whether `sig` is [`sign`]'s for these words, compared in a time that
/// does not tell how much of it matched.
pub fn verify(tx: &impl Keyed, purpose: &str, account: AccountId, subject: &str, sig: &str) -> bool {
    same(&sign(tx, purpose, account, subject), sig)
}

/// Whether `sig` signs `message` as the newsletters and the consultations
/// signed their stop links before they moved here: the same keyed hash, of
/// their own words, under a purpose of their own (which the links signed
/// now never use, so that the two forms cannot stand in for each other).
/// Kept so that the links already in people's inboxes keep working.
pub fn verify_legacy(tx: &impl Keyed, purpose: Legacy, message: &str, sig: &str) -> bool {
    same(&keyed(tx, purpose.as_str(), message), sig)
}

/// The purposes links were signed for before this module, each with the
/// words its concept signed (see [`verify_legacy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    /// `"{account}"`.
    Newsletter,
    /// `"{consultation}:{account}"`.
    ConsultationOutcome,
}

impl Legacy {
    fn as_str(self) -> &'static str {
        match self {
            Legacy::Newsletter => "newsletter-unsubscribe",
            Legacy::ConsultationOutcome => "consultation-outcome-unsubscribe",
        }
    }
}

fn keyed(tx: &impl Keyed, purpose: &str, message: &str) -> String {
    let hash = tx.keys().lookup(purpose, message);
    hex::encode(&hash[..16])
}

fn same(expected: &str, sig: &str) -> bool {
    expected.len() == sig.len() && expected.bytes().zip(sig.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
