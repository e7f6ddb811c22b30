//! A person's registrations, for their copy of their data and for the
//! erasure of their account (`accounts::export`, `accounts::erase`).
//!
//! On erasure a registration stays, without its person: the attendance
//! count of a past meeting is the commune's record of it. A registration to
//! a meeting still to come is cancelled, since nobody is left to come; its
//! seat goes to the first person waiting at the next hourly pass
//! ([`super::promote_waiting`]), which can mail them — erasure has no
//! address of the site to put in a mail.

use super::*;
use crate::store::WriteTx;

/// A person's registration to one meeting.
#[derive(Clone, Debug, PartialEq)]
pub struct Theirs {
    pub meeting: Meeting,
    pub registration: Registration,
}

/// The registrations of `account`, in the order the meetings take place.
/// A commune holds a few hundred meetings: one scan of each meeting's
/// registrations, never of another table.
pub fn of_account(tx: &impl Tx, account: AccountId) -> Result<Vec<Theirs>, StoreError> {
    let mut out = Vec::new();
    for meeting in list(tx)? {
        for registration in registrations(tx, meeting.id)? {
            if registration.who == Some(Registrant::Account(account)) {
                out.push(Theirs { meeting: meeting.clone(), registration });
            }
        }
    }
    Ok(out)
}

/// Takes `account` out of its registrations, in the erasure's transaction
/// (see the module comment). Returns how many registrations it held.
pub fn forget_account(tx: &WriteTx, account: AccountId, now: i64) -> Result<usize, StoreError> {
    let mut forgotten = 0;
    for Theirs { meeting, mut registration } in of_account(tx, account)? {
        let key = format!("account:{account}");
        let hash = super::registration::who_hash(tx, meeting.id, &key);
        tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?.remove((meeting.id.get(), &hash))?;
        registration.who = None;
        if !meeting.is_past(now) {
            registration.spot = Spot::Cancelled;
        }
        tx.open_table(MEETING_REGISTRATION_BY_MEETING_NUMBER)?
            .insert((meeting.id.get(), registration.number), encode(&registration)?.as_slice())?;
        forgotten += 1;
    }
    Ok(forgotten)
}
