//! Signed links that act for a person without a sign-in: a keyed hash under
//! the instance's key of (purpose, account, subject). One place for every
//! concept that mails such a link (today: stopping a kind of notification);
//! a link signed for one purpose, person or subject is worth nothing for
//! another, and nobody without the key can make one.
//!
//! The consultations' outcome links and the reports' alert links predate
//! this module and keep their own signing for now (their signatures are in
//! mails already sent).

use crate::domain::accounts::AccountId;
use crate::store::Keyed;

/// The signature of `account`'s link for `purpose` and `subject`: 16 bytes
/// of HMAC-SHA256, in hex (128 bits: beyond guessing, short in a URL).
pub fn sign(tx: &impl Keyed, purpose: &str, account: AccountId, subject: &str) -> String {
    let hash = tx.keys().lookup(purpose, &format!("{account}:{subject}"));
    hex::encode(&hash[..16])
}

/// Whether `sig` is [`sign`]'s for these words, compared in a time that
/// does not tell how much of it matched.
pub fn verify(tx: &impl Keyed, purpose: &str, account: AccountId, subject: &str, sig: &str) -> bool {
    let expected = sign(tx, purpose, account, subject);
    expected.len() == sig.len() && expected.bytes().zip(sig.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
