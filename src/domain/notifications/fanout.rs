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
use super::{deliver, digest, Event, FollowedArea, Kind, Notifier};
use crate::domain::accounts::AccountId;
use crate::domain::consultations::ConsultationId;
use crate::domain::ids::{MeetingId, ProposalId, ReportId};
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
    /// Those who follow a report's neighbourhood or category (its alerts),
    /// each told once, of the first of `areas` they follow; not `except`
    /// (who acted), nor the report's own followers, who hear as such.
    AreaFollowers {
        report: ReportId,
        areas: Vec<FollowedArea>,
        except: Option<AccountId>,
    },
    /// Those registered for a meeting with an account, seated or waiting.
    MeetingRegistrants(MeetingId),
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
    // The batch is read first, the ones left out skipped after: the cursor
    // moves past every row read, told or not.
    let (people, told) = match &job.audience {
        Audience::ProposalFollowers(proposal) => followers(
            &job.event,
            crate::domain::proposals::followers_after(tx, *proposal, job.after, batch)?,
            crate::domain::proposals::get(&**tx, *proposal)?.map(|p| p.author),
            None,
        ),
        Audience::ReportFollowers { report, except } => followers(
            &job.event,
            crate::domain::reports::followers_after(&**tx, *report, job.after, batch)?,
            crate::domain::reports::get(&**tx, *report)?.and_then(|r| match r.author {
                crate::domain::reports::Author::Account(a) => Some(a),
                _ => None,
            }),
            *except,
        ),
        // Nobody authors a consultation but the town hall.
        Audience::ConsultationFollowers(consultation) => followers(
            &job.event,
            crate::domain::consultations::followers_after(&**tx, *consultation, job.after, batch)?,
            None,
            None,
        ),
        // Each is told of the area they follow: its name, its stop link.
        Audience::AreaFollowers { report, areas, except } => {
            let codes: Vec<crate::domain::reports::Area> =
                areas.iter().filter_map(|a| crate::domain::reports::Area::parse(&a.kind, &a.code)).collect();
            let read = crate::domain::reports::area_followers_after(&**tx, *report, &codes, *except, job.after, batch)?;
            let people = read.iter().map(|(p, _)| *p).collect();
            let told = read
                .into_iter()
                .filter_map(|(p, i)| Some((p, Kind::Areas, job.event.in_area(areas.get(i?)?.clone()))))
                .collect();
            (people, told)
        }
        Audience::MeetingRegistrants(meeting) => followers(
            &job.event,
            crate::domain::meetings::registrants_after(&**tx, *meeting, job.after, batch)?,
            None,
            None,
        ),
    };
    for (person, kind, event) in told {
        deliver(tx, notifier, person, event, kind, job.at)?;
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

/// Who of `people` is told, of what kind: all but `except`, the `author`
/// of their own contribution, the others of what they follow.
#[allow(clippy::type_complexity)]
fn followers(
    event: &Event,
    people: Vec<AccountId>,
    author: Option<AccountId>,
    except: Option<AccountId>,
) -> (Vec<AccountId>, Vec<(AccountId, Kind, Event)>) {
    let told = people
        .iter()
        .filter(|p| Some(**p) != except)
        .map(|p| (*p, if Some(*p) == author { Kind::Own } else { event.followed_kind() }, event.clone()))
        .collect();
    (people, told)
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
