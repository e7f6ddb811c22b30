//! Sending reports to another system by Open311, as FixMyStreet's send
//! methods do: a category with `send = "open311"` files its published
//! reports in another body's ticketing tool (the intercommunality's, a
//! contractor's) instead of mailing the service, and that tool's updates
//! come back onto the report's public timeline.
//!
//! A report to send is queued in the transaction that publishes it
//! ([`queue`], from `file::mail_service`): nothing is lost if the other
//! system is down or Parvis stops. [`run`] then works through the queue:
//! `POST {endpoint}/requests.json`, retried with a growing delay on failure;
//! the `service_request_id` it answers is kept (or its `token`, then
//! `GET tokens/{token}.json` until the id comes); then, every
//! `reports.open311_poll_secs`, `GET requests/{id}.json` while the request
//! is open there, and a new status or `status_notes` becomes an update.
//! The HTTP calls happen outside any transaction; each outcome is written
//! by [`record`] in one.

use std::time::Duration;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::*;
use crate::config::{Config, Open311Endpoint, SendMethod};
use crate::domain::audit::Actor;
use crate::domain::notifications::Notifier;
use crate::store::{decode, Store, Tx, WriteTx};

/// Where and how far a report sent by Open311 went.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Sending {
    /// The other system's API, as configured when it was queued.
    pub endpoint: String,
    /// The category that sent it (its endpoint's key and code are read from
    /// the configuration at each call, never stored).
    pub category: String,
    pub queued_at: i64,
    /// When the other system took it.
    pub sent_at: Option<i64>,
    /// Its `service_request_id` there.
    pub external_id: Option<String>,
    /// The `token` it answered instead of an id, until the id comes.
    pub token: Option<String>,
    /// Failed calls in a row.
    pub attempts: u32,
    pub last_error: Option<String>,
    /// The next step's time, when there is one (also the key of
    /// [`tables::PROBLEM_REPORT_SENDING_DUE_BY_AT`]).
    pub due_at: Option<i64>,
    /// The last `status` and `status_notes` read there.
    pub status: Option<String>,
    pub notes: Option<String>,
}

impl Record for Sending {
    const NAME: &'static str = "problem report sending";
    const VERSION: u8 = 1;
}

/// Where a report was sent, if its category sends by Open311.
pub fn sending(tx: &impl Tx, id: ReportId) -> Result<Option<Sending>, StoreError> {
    crate::store::record(tx, PROBLEM_REPORT_SENDING_BY_REPORT, id.get())
}

/// Writes a sending and moves it in the due index from `pre`'s time to
/// its own.
fn put(tx: &WriteTransaction, id: ReportId, pre: Option<i64>, s: &Sending) -> Result<(), StoreError> {
    let mut due = tx.open_table(PROBLEM_REPORT_SENDING_DUE_BY_AT)?;
    if let Some(at) = pre {
        due.remove((at, id.get()))?;
    }
    if let Some(at) = s.due_at {
        due.insert((at, id.get()), ())?;
    }
    tx.open_table(PROBLEM_REPORT_SENDING_BY_REPORT)?.insert(id.get(), encode(s)?.as_slice())?;
    Ok(())
}

/// Queues `report`, just published (or moved) in `category`, to be sent to
/// `endpoint` at once. A report already sent there is not sent again.
pub(super) fn queue(
    tx: &WriteTransaction,
    report: &ProblemReport,
    category: &str,
    endpoint: &Open311Endpoint,
    now: i64,
) -> Result<(), StoreError> {
    let pre = sending(tx, report.id)?;
    if pre.as_ref().is_some_and(|p| p.endpoint == endpoint.endpoint && p.external_id.is_some()) {
        return Ok(());
    }
    let s = Sending {
        endpoint: endpoint.endpoint.clone(),
        category: category.to_string(),
        queued_at: now,
        sent_at: None,
        external_id: None,
        token: None,
        attempts: 0,
        last_error: None,
        due_at: Some(now),
        status: None,
        notes: None,
    };
    put(tx, report.id, pre.and_then(|p| p.due_at), &s)
}

/// The sendings whose next step is due at `now`, at most `max`.
pub fn due(tx: &impl Tx, now: i64, max: usize) -> Result<Vec<(ReportId, Sending)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(PROBLEM_REPORT_SENDING_DUE_BY_AT)?.range((i64::MIN, 0)..=(now, u64::MAX))?.take(max) {
        let (_, id) = row?.0.value();
        if let Some(s) = sending(tx, ReportId(id))? {
            out.push((ReportId(id), s));
        }
    }
    Ok(out)
}

/// When the next step of any sending is due.
pub fn next_due(tx: &impl Tx) -> Result<Option<i64>, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_SENDING_DUE_BY_AT)?.first()?.map(|(k, _)| k.value().0))
}

/// What a call to the other system gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `POST requests` (or `GET tokens/{token}`) answered an id, a token,
    /// or both.
    Accepted { id: Option<String>, token: Option<String> },
    /// `GET requests/{id}`: its status there (`open` or `closed`) and notes.
    Status { status: String, notes: Option<String> },
    /// The call failed (network, HTTP error, an answer that does not read):
    /// tried again later.
    Failed(String),
}

/// The delay before the `attempts`-th retry: doubling from `base` seconds
/// up to an hour, so that a system down for a day is not hammered.
pub fn backoff(base: u64, attempts: u32) -> i64 {
    let base = base.clamp(1, 60);
    (base.saturating_mul(1u64 << attempts.min(12).saturating_sub(1))).min(3600) as i64
}

/// Records what the call for report `id` gave, in one transaction: the id
/// or token kept, or the error and the next try; a new status or notes
/// there become a public update here (through `change_status`, so that
/// followers are told), and a request closed there closes the report here
/// (its first status of kind fixed, else closed) and ends the polling.
pub fn record(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    id: ReportId,
    outcome: Outcome,
    now: i64,
) -> Result<(), ReportError> {
    let Some(pre) = sending(&**tx, id)? else { return Ok(()) };
    let poll = config.reports.open311_poll_secs.max(1) as i64;
    let mut s = pre.clone();
    match outcome {
        Outcome::Failed(error) => {
            s.attempts = s.attempts.saturating_add(1);
            s.last_error = Some(error.chars().take(300).collect());
            s.due_at = Some(now + backoff(config.reports.open311_poll_secs, s.attempts));
        }
        Outcome::Accepted { id: external, token } => {
            s.attempts = 0;
            s.last_error = None;
            s.sent_at = s.sent_at.or(Some(now));
            if external.is_some() {
                s.external_id = external;
                s.token = None;
                s.due_at = Some(now + poll);
            } else {
                s.token = token.or(s.token);
                // The id is usually there within seconds.
                s.due_at = Some(now + poll.min(5));
            }
        }
        Outcome::Status { status, notes } => {
            s.attempts = 0;
            s.last_error = None;
            let notes = notes.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            let changed = s.status.as_deref() != Some(status.as_str()) || (notes.is_some() && notes != s.notes);
            let closed = status == "closed";
            s.due_at = (!closed).then_some(now + poll);
            if changed {
                external_update(tx, config, notifier, id, closed, notes.as_deref().unwrap_or_default(), now)?;
            }
            s.status = Some(status);
            s.notes = notes.or(s.notes);
        }
    }
    put(tx, id, pre.due_at, &s)?;
    Ok(())
}

/// The other system's news as an update of the town hall: its notes, and
/// the status its open/closed calls for when the report is not already so.
fn external_update(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    id: ReportId,
    closed: bool,
    notes: &str,
    now: i64,
) -> Result<(), ReportError> {
    let settings = &config.reports;
    let Some(report) = get(&**tx, id)? else { return Ok(()) };
    let open_here = report.is_open(settings);
    let target = if closed && open_here {
        settings
            .statuses
            .iter()
            .find(|s| s.kind == StatusKind::Fixed)
            .or_else(|| settings.statuses.iter().find(|s| s.kind == StatusKind::Closed))
            .map(|s| s.code.clone())
    } else if !closed && !open_here {
        settings.statuses.first().map(|s| s.code.clone())
    } else {
        None
    };
    let status = target.unwrap_or_else(|| report.status.clone());
    if status == report.status && notes.is_empty() {
        return Ok(());
    }
    let actor = Actor::anonymous("open311");
    match super::change_status(tx, config, notifier, &actor, id, &status, notes, None, now) {
        Ok(_) => Ok(()),
        // Nothing to say (same status, no text), or a text past the
        // timeline's limit: the news is dropped rather than retried forever.
        Err(ReportError::Empty | ReportError::TooLong) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The most sendings one pass works through.
const PASS: usize = 20;

/// The background task: works through the due sendings, wakes at each
/// commit (a report may just have been queued) or when the next is due.
pub async fn run(store: Store, config: std::sync::Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    // With no category sent by Open311 there is nothing to do (what an
    // older configuration queued waits until one is again).
    if !config.reports.categories.iter().any(|c| matches!(c.send, SendMethod::Open311(_))) {
        return;
    }
    let mut commits = store.writer().commits();
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("Parvis/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "no HTTP client: reports to send by Open311 stay queued");
            return;
        }
    };
    let notifier = Notifier { base_url: config.server.public_url.as_str().to_string() };
    while !*shutdown.borrow() {
        let now = crate::domain::now_unix();
        let due = match store.read().and_then(|tx| due(&tx, now, PASS)) {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the reports to send by Open311");
                Vec::new()
            }
        };
        for (id, s) in &due {
            let outcome = tokio::select! {
                _ = shutdown.changed() => return,
                outcome = step(&client, &store, &config, id, s) => outcome,
            };
            if let Outcome::Failed(e) = &outcome {
                tracing::warn!(report = %id, endpoint = %s.endpoint, error = %e, "an Open311 call failed; tried again later");
            }
            let (config2, notifier2, id) = (config.clone(), notifier.clone(), *id);
            let now = crate::domain::now_unix();
            if let Err(e) = store.write(move |tx| record(tx, &config2, &notifier2, id, outcome.clone(), now)).await {
                tracing::error!(report = %id, error = %e, "cannot record an Open311 call");
            }
        }
        if due.len() == PASS {
            continue;
        }
        let next = store.read().and_then(|tx| next_due(&tx)).ok().flatten();
        let idle = config.reports.open311_poll_secs;
        let wait = next.map_or(idle, |at| at.saturating_sub(crate::domain::now_unix()).clamp(0, idle as i64) as u64);
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = commits.changed() => {}
            _ = tokio::time::sleep(Duration::from_secs(wait)) => {}
        }
    }
}

/// One call for a sending: file it, ask for its id, or read its status.
async fn step(client: &reqwest::Client, store: &Store, config: &Config, id: &ReportId, s: &Sending) -> Outcome {
    let Some(category) = config.reports.category(&s.category) else {
        return Outcome::Failed(format!("the category \"{}\" is no longer configured", s.category));
    };
    let SendMethod::Open311(endpoint) = &category.send else {
        return Outcome::Failed(format!("the category \"{}\" is no longer sent by Open311", s.category));
    };
    let base = s.endpoint.trim_end_matches('/');
    let jurisdiction: Vec<(&str, &str)> =
        endpoint.jurisdiction_id.as_deref().map(|j| vec![("jurisdiction_id", j)]).unwrap_or_default();
    let result = if let Some(external) = &s.external_id {
        let url = format!("{base}/requests/{}.json", encode_segment(external));
        get_json(client, &url, &jurisdiction).await.and_then(|v| status_of(&v))
    } else if let Some(token) = &s.token {
        let url = format!("{base}/tokens/{}.json", encode_segment(token));
        get_json(client, &url, &jurisdiction).await.and_then(|v| accepted(&v))
    } else {
        match post_request(client, store, endpoint, base, *id).await {
            Ok(v) => accepted(&v),
            Err(e) => Err(e),
        }
    };
    result.unwrap_or_else(Outcome::Failed)
}

fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn get_json(client: &reqwest::Client, url: &str, query: &[(&str, &str)]) -> Result<serde_json::Value, String> {
    let resp = client.get(url).query(query).send().await.map_err(|e| e.to_string())?;
    read_json(resp).await
}

async fn read_json(resp: reqwest::Response) -> Result<serde_json::Value, String> {
    let status = resp.status();
    let body = resp.bytes().await.map_err(|e| e.to_string())?;
    let value: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        // The specification's error body says why.
        let why =
            value.as_ref().and_then(|v| v.get(0)?.get("description")?.as_str().map(str::to_string)).unwrap_or_default();
        return Err(format!("HTTP {status} {why}").trim().to_string());
    }
    value.ok_or_else(|| "the answer is not JSON".to_string())
}

/// `POST {endpoint}/requests.json` with the report as a plain form: the
/// place, the description and the answers to the category's questions as
/// `attribute[code]`. No `media_url`: the photos are served only while the
/// report is public here, and some servers (Parvis among them) refuse it.
async fn post_request(
    client: &reqwest::Client,
    store: &Store,
    endpoint: &Open311Endpoint,
    base: &str,
    id: ReportId,
) -> Result<serde_json::Value, String> {
    // Read now, not when queued: staff may have redacted it since.
    let (report, answers) = {
        let tx = store.read().map_err(|e| e.to_string())?;
        let report = get(&tx, id).map_err(|e| e.to_string())?.ok_or("the report is gone")?;
        (report, super::answers(&tx, id).map_err(|e| e.to_string())?)
    };
    let (lat, lon) = report.position();
    // Built apart: the serializer must not live across an await.
    let body = {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("api_key", endpoint.api_key.expose());
        form.append_pair("service_code", &endpoint.service_code);
        if let Some(j) = &endpoint.jurisdiction_id {
            form.append_pair("jurisdiction_id", j);
        }
        form.append_pair("lat", &format!("{lat:.6}"));
        form.append_pair("long", &format!("{lon:.6}"));
        if let Some(a) = &report.address {
            form.append_pair("address_string", a);
        }
        form.append_pair("description", &report.description);
        for a in &answers {
            form.append_pair(&format!("attribute[{}]", a.code), &a.value);
        }
        form.finish()
    };
    let resp = client
        .post(format!("{base}/requests.json"))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    read_json(resp).await
}

/// The first item's id and token, from `POST requests` or `GET tokens`.
fn accepted(v: &serde_json::Value) -> Result<Outcome, String> {
    let first = v.get(0).ok_or("the answer holds no request")?;
    let text = |f: &str| match first.get(f) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (id, token) = (text("service_request_id"), text("token"));
    if id.is_none() && token.is_none() {
        return Err("the answer has neither service_request_id nor token".into());
    }
    Ok(Outcome::Accepted { id, token })
}

/// The first item's status and notes, from `GET requests/{id}`.
fn status_of(v: &serde_json::Value) -> Result<Outcome, String> {
    let first = v.get(0).ok_or("the answer holds no request")?;
    let status = first.get("status").and_then(|s| s.as_str()).ok_or("the answer has no status")?;
    if status != "open" && status != "closed" {
        return Err(format!("the status \"{status}\" is neither open nor closed"));
    }
    let notes = first.get("status_notes").and_then(|n| n.as_str()).map(str::to_string);
    Ok(Outcome::Status { status: status.to_string(), notes })
}

/// Every sending is in the due index under its time, and nothing else is.
pub(super) fn verify(tx: &redb::ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let due = tx.open_table(PROBLEM_REPORT_SENDING_DUE_BY_AT)?;
    let mut expected = 0u64;
    for row in tx.open_table(PROBLEM_REPORT_SENDING_BY_REPORT)?.iter()? {
        let (id, bytes) = row?;
        let s: Sending = decode(bytes.value())?;
        if let Some(at) = s.due_at {
            expected += 1;
            if due.get((at, id.value()))?.is_none() {
                problems.push(format!("the sending of report {} is missing from the due index", id.value()));
            }
        }
    }
    if due.len()? != expected {
        problems.push(format!("{expected} sendings are due but the due index holds {}", due.len()?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_of_another_system_are_read_whether_ids_are_numbers_or_texts() {
        assert_eq!(
            accepted(&json!([{ "service_request_id": 12, "service_notice": null }])),
            Ok(Outcome::Accepted { id: Some("12".into()), token: None })
        );
        assert_eq!(
            accepted(&json!([{ "token": "abc-1" }])),
            Ok(Outcome::Accepted { id: None, token: Some("abc-1".into()) })
        );
        assert!(accepted(&json!([{ "service_notice": "merci" }])).is_err());
        assert!(accepted(&json!([])).is_err());
        assert_eq!(
            status_of(&json!([{ "status": "closed", "status_notes": "Fait." }])),
            Ok(Outcome::Status { status: "closed".into(), notes: Some("Fait.".into()) })
        );
        assert!(status_of(&json!([{ "status": "pending" }])).is_err());
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (1..=8).map(|n| backoff(60, n)).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(5, 1), 5, "a short poll interval retries soon");
    }
}
