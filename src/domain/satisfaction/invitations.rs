//! The survey's one email (issue 15: « a banner and one email, never
//! twice »). While a quarter's survey is open, everyone who took part in
//! that quarter and may be mailed receives one invitation to answer it.
//!
//! Never twice: the invitation is recorded per person and quarter in the
//! same write transaction that queues its mail in the outbox, and that
//! transaction checks the record first. A rerun, a restart, two passes at
//! once: whoever commits second finds the record and queues nothing.
//!
//! Never in a request: with 20,000 residents active in a quarter, the
//! worker ([`run`]) finds who is still to be invited in a read transaction,
//! then invites them [`BATCH`] at a time, each batch its own short write, so
//! the writer (and everyone's next click) never waits long.
//!
//! Consent: the invitation is news about one's own contributions (« you
//! took part this quarter: what did you think? »), so it follows the
//! person's choice for that kind of notification: nobody who chose « never »
//! for their own contributions receives it, and its one-click link (also
//! its `List-Unsubscribe` header) stops that kind, as every notification
//! mail's does. Only accounts that can be mailed: confirmed address, not
//! blocked, not erased.

use std::sync::Arc;
use std::time::Duration;

use redb::ReadableTable;
use tokio::sync::watch;

use super::tables::SATISFACTION_INVITED_BY_QUARTER_ACCOUNT;
use super::{months_of, quarter_label, tables::SATISFACTION_SURVEY_BY_QUARTER};
use crate::config::Config;
use crate::domain::accounts::{self, AccountId};
use crate::domain::consultations::{self, ConsultationId, Phase};
use crate::domain::metrics;
use crate::domain::notifications::{self, Delivery, Kind, Notifier, Stop};
use crate::i18n::Arg;
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Store, StoreError, Tx, WriteTx};

/// People invited per write transaction: 20,000 take forty short commits.
pub const BATCH: usize = 500;

/// How often the worker looks for an open survey with people still to
/// invite: a survey published now is mailed within this delay.
pub const CHECK_EVERY: Duration = Duration::from_secs(600);

/// The people still to invite to each open survey, as a read transaction
/// sees them: active in the survey's quarter, not yet invited, not already
/// answered. Consent and address are checked again when inviting.
pub fn to_invite(tx: &impl Tx, now: i64) -> Result<Vec<(u32, Vec<AccountId>)>, StoreError> {
    let invited = tx.open(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT)?;
    let mut out = Vec::new();
    for row in tx.open(SATISFACTION_SURVEY_BY_QUARTER)?.iter()? {
        let (quarter, id) = row?;
        let (quarter, id) = (quarter.value(), ConsultationId(id.value()));
        let Some(c) = consultations::get(tx, id)? else { continue };
        if c.phase(now) != Phase::Open {
            continue;
        }
        let mut people = Vec::new();
        for account in metrics::active::active_in(tx, months_of(quarter))? {
            if invited.get((quarter, account.get()))?.is_none() && !consultations::has_answered(tx, id, account)? {
                people.push(account);
            }
        }
        if !people.is_empty() {
            out.push((quarter, people));
        }
    }
    Ok(out)
}

/// Invites `people` to `quarter`'s survey, in the caller's transaction:
/// for each one active in the quarter, not yet invited, who may be mailed
/// and has not answered yet, one mail queued in the outbox and the
/// invitation recorded, together. Returns how many were
/// invited. Nothing when the survey is not open any more.
pub fn invite(
    tx: &WriteTx,
    notifier: &Notifier,
    quarter: u32,
    people: &[AccountId],
    now: i64,
) -> Result<usize, StoreError> {
    let Some(id) = super::survey_of(&**tx, quarter)? else { return Ok(0) };
    let Some(survey) = consultations::get(&**tx, id)? else { return Ok(0) };
    if survey.phase(now) != Phase::Open {
        return Ok(0);
    }
    let link = notifier.link(&format!("/consultations/{id}"));
    let settings = notifier.link(notifications::SETTINGS_PATH);
    let mut sent = 0;
    for account in people {
        if tx.open_table(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT)?.get((quarter, account.get()))?.is_some() {
            continue;
        }
        let Some(person) = accounts::get_in(tx, *account).map_err(|e| StoreError::Internal(e.to_string()))? else {
            continue;
        };
        let reachable = !person.is_erased() && !person.blocked && person.email_confirmed && !person.email.is_empty();
        if !reachable || notifications::settings(&**tx, *account)?.delivery(Kind::Own) == Delivery::Never {
            continue;
        }
        if !metrics::active::was_active(&**tx, *account, months_of(quarter))?
            || consultations::has_answered(&**tx, id, *account)?
        {
            continue;
        }
        let lang = person.language;
        let args = [("quarter", Arg::from(quarter_label(quarter))), ("title", Arg::from(survey.title.as_str()))];
        outbox::enqueue(
            tx,
            NewMail {
                to: person.email.clone(),
                lang,
                template: Template::Notified {
                    name: person.display_name.clone(),
                    subject: lang.ta("satisfaction-mail-subject", &args),
                    text: lang.ta("satisfaction-mail-text", &args),
                    link: link.clone(),
                    settings: settings.clone(),
                    unsubscribe: notifier.link(&notifications::stop_path(tx, *account, Stop::Kind(Kind::Own))),
                    also: None,
                },
            },
        )?;
        tx.open_table(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT)?.insert((quarter, account.get()), now)?;
        sent += 1;
    }
    Ok(sent)
}

/// Whether `account` was invited to `quarter`'s survey.
pub fn was_invited(tx: &impl Tx, quarter: u32, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT)?.get((quarter, account.get()))?.is_some())
}

/// One pass: who is still to invite (read on a blocking thread), then
/// [`BATCH`] invitations per write. Returns how many were invited.
pub async fn pass(store: &Store, notifier: &Notifier, now: i64) -> Result<usize, StoreError> {
    let s = store.clone();
    let found = tokio::task::spawn_blocking(move || to_invite(&s.read()?, now))
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))??;
    let mut total = 0;
    for (quarter, people) in found {
        for chunk in people.chunks(BATCH) {
            let (n, chunk) = (notifier.clone(), chunk.to_vec());
            total += store.write(move |tx| invite(tx, &n, quarter, &chunk, now)).await?;
        }
    }
    Ok(total)
}

/// The worker: a pass at start, then every [`CHECK_EVERY`].
pub async fn run(store: Store, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    while !*shutdown.borrow() {
        match pass(&store, &notifier, crate::domain::now_unix()).await {
            Ok(0) => {}
            Ok(invited) => tracing::info!(invited, "satisfaction survey invitations queued"),
            Err(e) => tracing::error!(error = %e, "cannot invite to the satisfaction survey; tried again later"),
        }
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}
