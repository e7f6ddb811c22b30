//! "Is it really fixed?": `reports.fixed_followup_days` after a report
//! reached a fixed status, its author is asked once by mail, with a "yes"
//! and a "no" link (as FixMyStreet's questionnaire). "No" reopens the
//! report; "yes" says so on its timeline. A report reopened and fixed
//! again starts a new round and is asked again.
//!
//! An account's links carry the report, the round and the answer, signed
//! with the database's lookup key: nothing secret is stored, and the
//! round's record makes an answer count once.
//!
//! Someone who filed without an account is asked too, at the address their
//! confirmation link went to (sealed on the report). Their links carry a
//! random secret of which only a hash is kept, one per report (a new round
//! replaces it) and removed once used, as the confirmation link's: they
//! answer without signing in, and a copy of the database answers nothing.

use redb::{ReadableTable, WriteTransaction};

use super::update::{append, get_in};
use super::*;
use crate::config::{Config, StatusKind};
use crate::domain::accounts;
use crate::domain::notifications::{Event, Notifier};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{decode, Keyed, WriteTx};

/// Where a report stands in its follow-up.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Followup {
    /// Counts the times the report reached a fixed status: a link names
    /// its round, so an old link cannot answer a new question.
    pub round: u64,
    pub fixed_at: i64,
    pub asked_at: Option<i64>,
    pub answered_at: Option<i64>,
}

impl Record for Followup {
    const NAME: &'static str = "problem report follow-up";
    const VERSION: u8 = 1;
}

fn is_fixed(settings: &ReportSettings, status: &str) -> bool {
    settings.status(status).is_some_and(|s| s.kind == StatusKind::Fixed)
}

fn get_followup(tx: &WriteTransaction, id: ReportId) -> Result<Option<Followup>, StoreError> {
    match tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.get(id.get())? {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Called by every status change, in its transaction: reaching a fixed
/// status (from one that is not) starts a round, due to be asked later;
/// leaving it before the question went cancels the question.
pub(super) fn status_changed(
    tx: &WriteTransaction,
    settings: &ReportSettings,
    pre: &ProblemReport,
    post: &ProblemReport,
    now: i64,
) -> Result<(), StoreError> {
    let (was, is) = (is_fixed(settings, &pre.status), is_fixed(settings, &post.status));
    if was == is {
        return Ok(());
    }
    let id = post.id;
    let old = get_followup(tx, id)?;
    let mut pending = tx.open_table(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED)?;
    if let Some(f) = old.as_ref().filter(|f| f.asked_at.is_none()) {
        pending.remove((f.fixed_at, id.get()))?;
    }
    if is {
        let round = old.map(|f| f.round + 1).unwrap_or(1);
        let f = Followup { round, fixed_at: now, asked_at: None, answered_at: None };
        pending.insert((now, id.get()), ())?;
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.insert(id.get(), encode(&f)?.as_slice())?;
    } else if let Some(mut f) = old.filter(|f| f.asked_at.is_none()) {
        // Reopened before the question left: there is nothing to ask now.
        f.asked_at = Some(now);
        f.answered_at = Some(now);
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.insert(id.get(), encode(&f)?.as_slice())?;
    }
    Ok(())
}

/// The signature of an answer link: a keyed hash of what it says, so that
/// nobody can answer for a report they were not asked about.
pub fn followup_signature(tx: &impl Keyed, id: ReportId, round: u64, fixed: bool) -> String {
    let hash = tx.keys().lookup("report-followup", &format!("{id}:{round}:{fixed}"));
    hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The path of an answer link (the web layer serves it).
pub fn followup_path(tx: &impl Keyed, id: ReportId, round: u64, fixed: bool) -> String {
    let answer = if fixed { "oui" } else { "non" };
    let sig = followup_signature(tx, id, round, fixed);
    format!("/signalements/{id}/repare?tour={round}&reponse={answer}&cle={sig}")
}

fn link_hash(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("parvis-report-followup:{token}").as_bytes()).into()
}

/// Issues the secret of a visitor's answer links for `round` of report
/// `id` (replacing an older round's); returns it.
fn issue_visitor_link(tx: &WriteTransaction, id: ReportId, round: u64) -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("no randomness for a link: {e}")))?;
    let token = hex::encode(bytes);
    tx.open_table(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT)?.insert(id.get(), (&link_hash(&token), round))?;
    Ok(token)
}

/// The path of a visitor's answer link (the web layer serves it).
pub fn visitor_followup_path(id: ReportId, token: &str, fixed: bool) -> String {
    let answer = if fixed { "oui" } else { "non" };
    format!("/signalements/{id}/repare?jeton={token}&reponse={answer}")
}

/// Checks a visitor's answer link without using it: its secret is the one
/// issued for the report's current round, asked and not answered.
pub fn check_visitor_followup(tx: &impl crate::store::Tx, id: ReportId, token: &str) -> Result<(), ReportError> {
    let link = tx.open(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT)?.get(id.get())?.map(|v| {
        let (hash, round) = v.value();
        (*hash, round)
    });
    let Some((hash, round)) = link else { return Err(ReportError::LinkInvalid) };
    if !same_bytes(&hash, &link_hash(token.trim())) {
        return Err(ReportError::LinkInvalid);
    }
    let f: Followup = match tx.open(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.get(id.get())? {
        Some(bytes) => decode(bytes.value())?,
        None => return Err(ReportError::LinkInvalid),
    };
    if f.round != round || f.asked_at.is_none() {
        return Err(ReportError::LinkInvalid);
    }
    if f.answered_at.is_some() {
        return Err(ReportError::AlreadyAnswered);
    }
    Ok(())
}

/// Asks the authors of the reports fixed `fixed_followup_days` ago or
/// more, at most `max` in one go (the hourly pass takes the rest next
/// time); returns how many were asked. Each question leaves the pending
/// index in the transaction that queues its mail: never asked twice.
pub fn ask_fixed_followups(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    now: i64,
    max: usize,
) -> Result<usize, StoreError> {
    let settings = &config.reports;
    let before = now.saturating_sub(i64::from(settings.fixed_followup_days) * 86_400);
    let due: Vec<(i64, u64)> = {
        let pending = tx.open_table(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED)?;
        let mut due = Vec::new();
        for row in pending.range((i64::MIN, 0)..=(before, u64::MAX))?.take(max) {
            due.push(row?.0.value());
        }
        due
    };
    let base = notifier.base_url.trim_end_matches('/');
    let mut asked = 0;
    for (fixed_at, raw) in due {
        let id = ReportId(raw);
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED)?.remove((fixed_at, raw))?;
        let (Some(report), Some(mut f)) = (super::get(&**tx, id)?, get_followup(tx, id)?) else { continue };
        f.asked_at = Some(now);
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.insert(raw, encode(&f)?.as_slice())?;
        if !is_fixed(settings, &report.status) {
            continue;
        }
        // Who is asked, at which address, in which language, with which
        // links. An Open311 client has its own channel (its updates).
        let (to, lang, name, yes, no) = match &report.author {
            Author::Account(account) => {
                let author = accounts::get_in(tx, *account).map_err(|e| StoreError::Internal(e.to_string()))?;
                let Some(author) = author.filter(|a| !a.blocked && !a.email.is_empty()) else { continue };
                let (yes, no) = (followup_path(tx, id, f.round, true), followup_path(tx, id, f.round, false));
                (author.email, author.language, author.display_name, yes, no)
            }
            Author::Visitor { name, email } => {
                let email = match tx.keys().open_string(&visitor_email_context(id), email) {
                    Ok(email) => email,
                    // An address that no longer opens (a restored database
                    // with another key) must not stop the others' questions.
                    Err(e) => {
                        tracing::warn!(report = raw, error = %e, "the author's address does not open: not asked");
                        continue;
                    }
                };
                let token = issue_visitor_link(tx, id, f.round)?;
                let (yes, no) = (visitor_followup_path(id, &token, true), visitor_followup_path(id, &token, false));
                // Their language was not kept: the commune's.
                (email, config.default_language, name.clone(), yes, no)
            }
            Author::Open311 { .. } => continue,
        };
        let category =
            settings.category(&report.category).map(|c| c.name.clone()).unwrap_or_else(|| report.category.clone());
        let (lat, lon) = report.position();
        outbox::enqueue(
            tx,
            NewMail {
                to,
                lang,
                template: Template::ReportFixedCheck {
                    name,
                    number: raw,
                    category,
                    place: report.address.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")),
                    link: format!("{base}/signalements/{id}"),
                    yes: format!("{base}{yes}"),
                    no: format!("{base}{no}"),
                },
            },
        )?;
        asked += 1;
    }
    Ok(asked)
}

/// What the author's answer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowupAnswer {
    /// "Yes": said on the timeline.
    Confirmed,
    /// "No": back to the first open status.
    Reopened,
}

/// Checks an answer link without using it (for the page that asks to
/// confirm it): the signature, the round, and that it was not answered.
pub fn check_followup(tx: &impl Keyed, id: ReportId, round: u64, fixed: bool, sig: &str) -> Result<(), ReportError> {
    if !same(&followup_signature(tx, id, round, fixed), sig) {
        return Err(ReportError::LinkInvalid);
    }
    let table = tx.open(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?;
    let f: Followup = match table.get(id.get())? {
        Some(bytes) => decode(bytes.value())?,
        None => return Err(ReportError::LinkInvalid),
    };
    if f.round != round || f.asked_at.is_none() {
        return Err(ReportError::LinkInvalid);
    }
    if f.answered_at.is_some() {
        return Err(ReportError::AlreadyAnswered);
    }
    Ok(())
}

/// The author answers "is it really fixed?" through a signed link: once
/// per round. "No" puts the report back in the first (open) status with a
/// public update saying the resident finds it not fixed; "yes" posts that
/// it is. Followers are told, the author not (they answered).
#[allow(clippy::too_many_arguments)]
pub fn answer_followup(
    tx: &WriteTx,
    config: &Config,
    // Unused since followers and areas are told after the commit (notifications::fanout); kept so callers need no change.
    _notifier: &Notifier,
    id: ReportId,
    round: u64,
    fixed: bool,
    sig: &str,
    now: i64,
) -> Result<FollowupAnswer, ReportError> {
    check_followup(tx, id, round, fixed, sig)?;
    // A signed link is an account's (see `ask_fixed_followups`).
    let Some(author) = get_in(tx, id)?.author.account() else { return Err(ReportError::LinkInvalid) };
    answer(tx, config, id, fixed, Some(author), now)
}

/// Someone who filed without an account answers "is it really fixed?"
/// through their link, without signing in: as [`answer_followup`], and
/// the link is then used up.
pub fn answer_visitor_followup(
    tx: &WriteTx,
    config: &Config,
    // Unused since followers and areas are told after the commit (notifications::fanout); kept so callers need no change.
    _notifier: &Notifier,
    id: ReportId,
    token: &str,
    fixed: bool,
    now: i64,
) -> Result<FollowupAnswer, ReportError> {
    check_visitor_followup(&**tx, id, token)?;
    if !matches!(get_in(tx, id)?.author, Author::Visitor { .. }) {
        return Err(ReportError::LinkInvalid);
    }
    tx.open_table(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT)?.remove(id.get())?;
    answer(tx, config, id, fixed, None, now)
}

/// Records the answer of the round, reopens the report on "no", and says
/// it on the timeline; `author` is the account that answered (none for a
/// visitor, whose update is by no account).
fn answer(
    tx: &WriteTx,
    config: &Config,
    id: ReportId,
    fixed: bool,
    author: Option<AccountId>,
    now: i64,
) -> Result<FollowupAnswer, ReportError> {
    let settings = &config.reports;
    let Some(mut f) = get_followup(tx, id)? else { return Err(ReportError::LinkInvalid) };
    f.answered_at = Some(now);
    tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?.insert(id.get(), encode(&f)?.as_slice())?;
    let pre = get_in(tx, id)?;
    let lang = config.default_language;
    let mut post = pre.clone();
    post.updated_at = now;
    let (status, key, outcome) = match fixed {
        true => (None, "problem-followup-update-fixed", FollowupAnswer::Confirmed),
        false => {
            let first = settings.statuses.first().ok_or(ReportError::UnknownStatus)?;
            post.status = first.code.clone();
            (Some(first.code.clone()), "problem-followup-update-not-fixed", FollowupAnswer::Reopened)
        }
    };
    write(tx, Some(&pre), &post)?;
    status_changed(tx, settings, &pre, &post, now)?;
    // Written in the commune's language, as staff's updates are.
    let text = lang.t(key);
    // A visitor's answer is by no account (`AccountId::default()`): the
    // page names the author for it.
    let by = author.unwrap_or_default();
    append(tx, id, &Update { at: now, by, staff: false, status: status.clone(), category: None, text })?;
    let category = settings.category(&post.category).map(|c| c.name.clone()).unwrap_or_else(|| post.category.clone());
    let status_name = status.as_ref().and_then(|s| settings.status(s)).and_then(|s| s.name.clone());
    let event = Event::ReportUpdated { report: id.get(), category, status: status.clone(), status_name };
    super::update::tell_followers(tx, id, author, event, now)?;
    if let Some(s) = &status {
        super::alerts::alert(tx, config, &post, Some(s), author, now)?;
    }
    Ok(outcome)
}

fn same_bytes(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Every visitor's answer link names a report with a follow-up round.
pub(super) fn verify(tx: &redb::ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let followups = tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?;
    for row in tx.open_table(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT)?.iter()? {
        let (id, value) = row?;
        let (id, round) = (id.value(), value.value().1);
        let f: Option<Followup> = match followups.get(id)? {
            Some(bytes) => Some(decode(bytes.value())?),
            None => None,
        };
        if f.is_none_or(|f| f.round < round) {
            problems.push(format!("a follow-up link names report {id}, which has no such round"));
        }
    }
    Ok(())
}

/// Compares two signatures in a time that does not tell how much of them
/// matched.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
