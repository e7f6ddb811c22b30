//! Telling a whole audience after the commit. A business operation (the
//! town hall answers a proposal) records ONE job in its own transaction —
//! so nothing is lost if the process stops right after — and returns at
//! once, however many follow the proposal. The worker ([`run`]) expands the
//! job in batches, each in its own write transaction that tells the next
//! followers and moves the job's cursor past them: a crash between batches
//! resumes after the last account told, and nobody is told twice.

use std::time::Duration;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::tables::NOTIFICATION_FANOUT_BY_ID;
use super::{deliver, digest, Event, Kind, Notifier};
use crate::domain::accounts::AccountId;
use crate::domain::consultations::ConsultationId;
use crate::domain::ids::{ProposalId, ReportId};
use crate::store::{decode, encode, Record, Store, StoreError, Tx, WriteTx};

/// Who is to be told. Stored with postcard by position: add new audiences
/// at the end only.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Audience {
    ProposalFollowers(ProposalId),
    /// A problem report's followers but the one whose update it is (staff
    /// changing the status, a resident adding to the timeline).
    ReportFollowers {
        report: ReportId,
        except: Option<AccountId>,
    },
    /// A consultation's followers, and the respondents who asked to be told
    /// of its results.
    ConsultationFollowers(ConsultationId),
}

/// A job: what to say, to whom, when it happened, and the last account
/// already told (accounts are told in increasing order).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FanOut {
    pub audience: Audience,
    pub event: Event,
    pub at: i64,
    pub after: Option<AccountId>,
}

impl Record for FanOut {
    const NAME: &'static str = "notification fan-out";
    const VERSION: u8 = 1;
}

/// Records that `audience` is to be told of `event`: one row, whatever the
/// audience's size. Returns the job's number.
pub fn record(tx: &WriteTransaction, audience: Audience, event: Event, at: i64) -> Result<u64, StoreError> {
    let mut jobs = tx.open_table(NOTIFICATION_FANOUT_BY_ID)?;
    let id = jobs.last()?.map_or(1, |(k, _)| k.value() + 1);
    jobs.insert(id, encode(&FanOut { audience, event, at, after: None })?.as_slice())?;
    Ok(id)
}

/// The jobs not yet finished, oldest first.
pub fn pending(tx: &impl Tx) -> Result<Vec<(u64, FanOut)>, StoreError> {
    let table = tx.open(NOTIFICATION_FANOUT_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        out.push((k.value(), decode(v.value())?));
    }
    Ok(out)
}

/// Whether a job waits (one read, for the worker's wake-ups).
pub fn any_pending(tx: &impl Tx) -> Result<bool, StoreError> {
    Ok(tx.open(NOTIFICATION_FANOUT_BY_ID)?.first()?.is_some())
}

/// Tells the next `batch` people of the oldest job, and moves its cursor
/// (or removes it when its audience is done), in the caller's transaction.
/// Returns how many followers the batch read, the one left out included
/// (0: no job waits).
pub fn run_batch(tx: &WriteTx, notifier: &Notifier, batch: usize) -> Result<usize, StoreError> {
    let Some((id, mut job)) = tx
        .open_table(NOTIFICATION_FANOUT_BY_ID)?
        .first()?
        .map(|(k, v)| decode::<FanOut>(v.value()).map(|job| (k.value(), job)))
        .transpose()?
    else {
        return Ok(0);
    };
    // The batch is read first, the one left out skipped after: the cursor
    // moves past every row read, told or not.
    let (people, author, except) = match &job.audience {
        Audience::ProposalFollowers(proposal) => (
            crate::domain::proposals::followers_after(tx, *proposal, job.after, batch)?,
            crate::domain::proposals::get(&**tx, *proposal)?.map(|p| p.author),
            None,
        ),
        Audience::ReportFollowers { report, except } => (
            crate::domain::reports::followers_after(&**tx, *report, job.after, batch)?,
            crate::domain::reports::get(&**tx, *report)?.and_then(|r| match r.author {
                crate::domain::reports::Author::Account(a) => Some(a),
                _ => None,
            }),
            *except,
        ),
        // Nobody authors a consultation but the town hall.
        Audience::ConsultationFollowers(consultation) => {
            (crate::domain::consultations::followers_after(&**tx, *consultation, job.after, batch)?, None, None)
        }
    };
    for person in people.iter().filter(|p| Some(**p) != except) {
        let kind = if Some(*person) == author { Kind::Own } else { job.event.followed_kind() };
        deliver(tx, notifier, *person, job.event.clone(), kind, job.at)?;
    }
    let mut jobs = tx.open_table(NOTIFICATION_FANOUT_BY_ID)?;
    if people.len() < batch {
        jobs.remove(id)?;
    } else {
        job.after = people.last().copied();
        jobs.insert(id, encode(&job)?.as_slice())?;
    }
    Ok(people.len())
}

/// People told per transaction: large enough that 10,000 followers take
/// twenty commits, small enough that one batch never holds the writer (and
/// the staff's next answer) for long.
pub const BATCH: usize = 500;

/// People whose digest one transaction queues.
const DIGESTS_PER_PASS: usize = 200;

/// How often due digests are looked for when nothing else wakes the worker.
const DIGEST_CHECK: Duration = Duration::from_secs(60);

/// The background worker: expands fan-out jobs as soon as a commit may
/// have recorded one, and queues due digests at least once a minute.
pub async fn run(store: Store, config: std::sync::Arc<crate::config::Config>, mut shutdown: watch::Receiver<bool>) {
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    let schedule = digest::Schedule::from_config(&config);
    let mut commits = store.writer().commits();
    let mut last_digest_check = 0;
    while !*shutdown.borrow() {
        loop {
            match store.read().and_then(|tx| any_pending(&*tx)) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the notifications' fan-out jobs");
                    break;
                }
            }
            let n = notifier.clone();
            match store.write(move |tx| run_batch(tx, &n, BATCH)).await {
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "cannot tell the followers; tried again later");
                    break;
                }
            }
        }
        let now = crate::domain::now_unix();
        if now - last_digest_check >= DIGEST_CHECK.as_secs() as i64 {
            last_digest_check = now;
            loop {
                let n = notifier.clone();
                match store.write(move |tx| digest::send_due(tx, &n, &schedule, now, DIGESTS_PER_PASS)).await {
                    Ok(sent) if sent < DIGESTS_PER_PASS => {
                        if sent > 0 {
                            tracing::info!(sent, "notification digests queued");
                        }
                        break;
                    }
                    Ok(sent) => tracing::info!(sent, "notification digests queued"),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot queue the notification digests");
                        break;
                    }
                }
            }
        }
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = commits.changed() => {}
            _ = tokio::time::sleep(DIGEST_CHECK) => {}
        }
    }
}
