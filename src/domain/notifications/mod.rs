//! Notifications: in the app (a list on the account page, an unread count
//! in the header) and by email, in the person's language, as each person
//! chose per kind: at once, in a daily or weekly digest, or never.
//!
//! An operation that tells one person calls [`notify`] in its own write
//! transaction, so nobody is told of a change that did not happen. One that
//! tells a whole audience (a proposal's followers, possibly thousands)
//! records one job with [`fanout::record`] instead: the operation stays as
//! fast whatever the audience, and a background worker tells everyone after
//! the commit, in batches ([`fanout::run_batch`]).

pub mod digest;
pub mod fanout;
pub mod links;
pub mod tables;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::{self, Account, AccountId};
use crate::mail::template::AlsoStop;
use crate::mail::{outbox, NewMail, Template};
use crate::store::{decode, encode, Keyed, Record, StoreError, Tx, WriteTx};
use tables::{NOTIFICATION_BY_ACCOUNT_SEQ, NOTIFICATION_SETTINGS_BY_ACCOUNT, NOTIFICATION_UNREAD_BY_ACCOUNT};

/// What happened, with what is needed to say it in any language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Event {
    /// A followed proposal reached its box's support threshold.
    ThresholdReached { proposal: u64, title: String },
    /// The town hall changed a followed proposal's status.
    StatusChanged { proposal: u64, title: String, status: String },
    /// The town hall answered a followed proposal.
    Answered { proposal: u64, title: String },
    /// Someone posted an update on a followed problem report: staff (with
    /// a status, named by the commune when `status_name` is set, else by
    /// its translated code) or a resident.
    ReportUpdated { report: u64, category: String, status: Option<String>, status_name: Option<String> },
    /// The town hall published the outcome of a followed consultation
    /// (what residents said, what it decided), or, with `update`, a later
    /// step of that outcome. Stored by position: new events go after it.
    ConsultationOutcome { consultation: u64, title: String, update: bool },
    /// A meeting the person registered for moved (time or place, said as
    /// they were when it happened, in the commune's time), or, with
    /// `cancelled`, will not take place.
    MeetingChanged { meeting: u64, title: String, when: String, place: String, cancelled: bool },
    /// A new report (`status` None) or a report's new status, in a
    /// neighbourhood or category the person follows (`area`): the reports'
    /// alerts. `status_name` as in [`Event::ReportUpdated`].
    AreaReport {
        report: u64,
        category: String,
        place: String,
        status: Option<String>,
        status_name: Option<String>,
        area: FollowedArea,
    },
    /// The minutes of a meeting the person registered for are online (told
    /// once, when first published).
    MinutesPublished { meeting: u64, title: String },
}

/// A neighbourhood or category followed for its reports' alerts, as a
/// notification keeps it: its kind and code (`reports::Area`, for the link
/// that stops it) and its name as residents read it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowedArea {
    pub kind: String,
    pub code: String,
    pub name: String,
}

impl Event {
    /// The page the notification leads to.
    pub fn path(&self) -> String {
        match self {
            Event::ThresholdReached { proposal, .. }
            | Event::StatusChanged { proposal, .. }
            | Event::Answered { proposal, .. } => format!("/propositions/{proposal}"),
            Event::ReportUpdated { report, .. } => format!("/signalements/{report}"),
            Event::ConsultationOutcome { consultation, .. } => format!("/consultations/{consultation}#bilan"),
            Event::MeetingChanged { meeting, .. } | Event::MinutesPublished { meeting, .. } => {
                format!("/rendez-vous/{meeting}")
            }
            Event::AreaReport { report, .. } => format!("/signalements/{report}"),
        }
    }

    /// The translation keys of its subject and text.
    pub fn keys(&self) -> (&'static str, &'static str) {
        match self {
            Event::ThresholdReached { .. } => ("notif-threshold-subject", "notif-threshold-text"),
            Event::StatusChanged { .. } => ("notif-status-subject", "notif-status-text"),
            Event::Answered { .. } => ("notif-answer-subject", "notif-answer-text"),
            Event::ReportUpdated { status: Some(_), .. } => ("notif-report-status-subject", "notif-report-status-text"),
            Event::ReportUpdated { status: None, .. } => ("notif-report-update-subject", "notif-report-update-text"),
            // The words the outcome mails said before they came through here.
            Event::ConsultationOutcome { update: false, .. } => {
                ("consultation-mail-outcome-subject", "consultation-mail-outcome-text")
            }
            Event::ConsultationOutcome { update: true, .. } => {
                ("consultation-mail-update-subject", "consultation-mail-update-text")
            }
            Event::MeetingChanged { cancelled: true, .. } => {
                ("meeting-mail-meeting-cancelled-subject", "meeting-mail-meeting-cancelled-text")
            }
            // Not the registrant's mail (it carries their code and their
            // cancellation link): a notification may sit in the app or a
            // digest, for everyone registered with an account alike.
            Event::MeetingChanged { cancelled: false, .. } => {
                ("meeting-mail-changed-subject", "notif-meeting-changed-text")
            }
            // The words the alerts' own mails said before they came through here.
            Event::AreaReport { status: None, .. } => ("alert-report-new-subject", "alert-report-new-text"),
            Event::AreaReport { status: Some(_), .. } => ("alert-report-status-subject", "alert-report-status-text"),
            Event::MinutesPublished { .. } => ("notif-minutes-subject", "notif-minutes-text"),
        }
    }

    /// The subject and text in `lang`.
    pub fn render(&self, lang: crate::i18n::Lang) -> (String, String) {
        use crate::i18n::Arg;
        let (subject, text) = self.keys();
        let args: Vec<(&'static str, Arg)> = match self {
            Event::ThresholdReached { title, .. }
            | Event::Answered { title, .. }
            | Event::ConsultationOutcome { title, .. }
            | Event::MinutesPublished { title, .. } => {
                vec![("title", Arg::from(title.as_str()))]
            }
            Event::StatusChanged { title, status, .. } => {
                vec![("title", Arg::from(title.as_str())), ("status", Arg::from(lang.t(&format!("status-{status}"))))]
            }
            Event::MeetingChanged { title, when, place, .. } => vec![
                ("title", Arg::from(title.as_str())),
                ("when", Arg::from(when.as_str())),
                ("place", Arg::from(place.as_str())),
            ],
            Event::ReportUpdated { report, category, status, status_name } => vec![
                ("number", Arg::from(*report)),
                ("category", Arg::from(category.as_str())),
                ("status", Arg::from(status_words(lang, status, status_name))),
            ],
            Event::AreaReport { report, category, place, status, status_name, area } => vec![
                ("number", Arg::from(*report)),
                ("category", Arg::from(category.as_str())),
                ("place", Arg::from(place.as_str())),
                ("status", Arg::from(status_words(lang, status, status_name))),
                ("area", Arg::from(area.name.as_str())),
            ],
        };
        (lang.ta(subject, &args), lang.ta(text, &args))
    }

    /// A second, narrower stop link for the mail of this event to
    /// `account`, when it has one: an area alert's, that stops this
    /// neighbourhood or category only (the mail's own link stops the kind).
    fn also_stop(
        &self,
        tx: &impl Keyed,
        notifier: &Notifier,
        account: AccountId,
        lang: crate::i18n::Lang,
    ) -> Option<AlsoStop> {
        use crate::i18n::Arg;
        let Event::AreaReport { area, .. } = self else { return None };
        let followed = crate::domain::reports::Area::parse(&area.kind, &area.code)?;
        let args = [("kind", Arg::from(area.kind.as_str())), ("area", Arg::from(area.name.as_str()))];
        Some(AlsoStop {
            text: lang.ta("notif-area-stop", &args),
            link: notifier.link(&crate::domain::reports::unsubscribe_path(tx, account, &followed)),
        })
    }
}

impl Event {
    /// An area alert told of `area` (a job holds one event for all, each
    /// follower is told of the area they follow); any other event as it is.
    pub(crate) fn in_area(&self, area: FollowedArea) -> Event {
        match self {
            Event::AreaReport { report, category, place, status, status_name, .. } => Event::AreaReport {
                report: *report,
                category: category.clone(),
                place: place.clone(),
                status: status.clone(),
                status_name: status_name.clone(),
                area,
            },
            other => other.clone(),
        }
    }
}

/// A report's status as a notification says it: the commune's name for it
/// when it has one, else the translated code.
fn status_words(lang: crate::i18n::Lang, status: &Option<String>, status_name: &Option<String>) -> String {
    match (status, status_name) {
        (_, Some(name)) => name.clone(),
        (Some(code), None) => lang.t(&format!("problem-status-{code}")),
        (None, None) => String::new(),
    }
}
impl Event {
    /// The content it is about, if a process's (a report's is in none).
    pub fn content(&self) -> Option<crate::domain::changes::Target> {
        use crate::domain::changes::{ContentKind, Target};
        match self {
            Event::ThresholdReached { proposal, .. }
            | Event::StatusChanged { proposal, .. }
            | Event::Answered { proposal, .. } => Some(Target::new(ContentKind::Proposal, *proposal)),
            Event::ConsultationOutcome { consultation, .. } => {
                Some(Target::new(ContentKind::Consultation, *consultation))
            }
            Event::MeetingChanged { meeting, .. } | Event::MinutesPublished { meeting, .. } => {
                Some(Target::new(ContentKind::Meeting, *meeting))
            }
            Event::ReportUpdated { .. } | Event::AreaReport { .. } => None,
        }
    }

    /// The process it belongs to, under which a digest lists it.
    pub fn process(&self) -> Process {
        match self {
            Event::ThresholdReached { .. } | Event::StatusChanged { .. } | Event::Answered { .. } => Process::Proposals,
            // An area's alert is news of a report: listed with the others.
            Event::ReportUpdated { .. } | Event::AreaReport { .. } => Process::Reports,
            Event::ConsultationOutcome { .. } => Process::Consultations,
            Event::MeetingChanged { .. } | Event::MinutesPublished { .. } => Process::Meetings,
        }
    }

    /// What a follower who is not its author follows, for their settings.
    pub fn followed_kind(&self) -> Kind {
        if let Event::AreaReport { .. } = self {
            return Kind::Areas;
        }
        match self.process() {
            Process::Proposals => Kind::Proposals,
            Process::Reports => Kind::Reports,
            Process::Consultations => Kind::Consultations,
            Process::Meetings => Kind::Meetings,
        }
    }

    /// The kind of this event for `account`: their own contribution's news,
    /// or news of something they follow. One read of the contribution.
    fn kind_for(&self, tx: &WriteTx, account: AccountId) -> Result<Kind, StoreError> {
        let own = match self {
            Event::ThresholdReached { proposal, .. }
            | Event::StatusChanged { proposal, .. }
            | Event::Answered { proposal, .. } => {
                crate::domain::proposals::get(&**tx, crate::domain::ids::ProposalId(*proposal))?
                    .is_some_and(|p| p.author == account)
            }
            Event::ReportUpdated { report, .. } => {
                crate::domain::reports::get(&**tx, crate::domain::ids::ReportId(*report))?
                    .is_some_and(|r| r.author == crate::domain::reports::Author::Account(account))
            }
            // A consultation is the town hall's: nobody's own contribution.
            // Nor a meeting; and an area's alert never goes to the report's
            // author (who acted, or follows it and hears as its follower).
            Event::ConsultationOutcome { .. }
            | Event::MeetingChanged { .. }
            | Event::MinutesPublished { .. }
            | Event::AreaReport { .. } => false,
        };
        Ok(if own { Kind::Own } else { self.followed_kind() })
    }
}

/// The participation processes, in the order a digest lists them.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Process {
    Proposals,
    Reports,
    Consultations,
    Meetings,
}

impl Process {
    /// The translation key of its heading in a digest.
    pub fn heading_key(self) -> &'static str {
        match self {
            Process::Proposals => "notif-digest-proposals",
            Process::Reports => "notif-digest-reports",
            Process::Consultations => "notif-digest-consultations",
            Process::Meetings => "notif-digest-meetings",
        }
    }
}

/// What a notification is about, for the person's settings. Stored with
/// postcard by position: add new kinds at the end only.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Answers and updates on the person's own contributions.
    Own,
    Proposals,
    Reports,
    Consultations,
    Meetings,
    /// Neighbourhoods and categories the person follows.
    Areas,
}

impl Kind {
    /// The kinds the settings page offers: every kind, since each one's
    /// notifications go through [`notify`] (or [`fanout`]).
    pub const OFFERED: [Kind; 6] = Kind::ALL;

    pub const ALL: [Kind; 6] =
        [Kind::Own, Kind::Proposals, Kind::Reports, Kind::Consultations, Kind::Meetings, Kind::Areas];

    /// Its word in forms and links.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Own => "contributions",
            Kind::Proposals => "propositions",
            Kind::Reports => "signalements",
            Kind::Consultations => "consultations",
            Kind::Meetings => "rendez-vous",
            Kind::Areas => "quartiers",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Inboxes stay calm by default: news of one's own contributions at
    /// once (someone is waiting for that answer), everything followed in a
    /// daily digest.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::Own => Delivery::Immediately,
            Kind::Proposals | Kind::Reports | Kind::Consultations | Kind::Meetings | Kind::Areas => Delivery::Daily,
        }
    }
}

/// How a kind of notification reaches the person by email. In the app,
/// every notification is kept whatever this says.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Immediately,
    Daily,
    Weekly,
    Never,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [Delivery::Immediately, Delivery::Daily, Delivery::Weekly, Delivery::Never];

    pub fn code(self) -> &'static str {
        match self {
            Delivery::Immediately => "immediat",
            Delivery::Daily => "quotidien",
            Delivery::Weekly => "hebdomadaire",
            Delivery::Never => "jamais",
        }
    }

    pub fn from_code(code: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A person's choices; a kind not listed has its default.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub choices: Vec<(Kind, Delivery)>,
}

impl Record for Settings {
    const NAME: &'static str = "notification settings";
    const VERSION: u8 = 1;
}

impl Settings {
    pub fn delivery(&self, kind: Kind) -> Delivery {
        self.choices.iter().find(|(k, _)| *k == kind).map_or(kind.default_delivery(), |(_, d)| *d)
    }

    fn set(&mut self, kind: Kind, delivery: Delivery) {
        self.choices.retain(|(k, _)| *k != kind);
        self.choices.push((kind, delivery));
        self.choices.sort_by_key(|(k, _)| *k);
    }
}

/// A person's settings (the defaults when they never chose).
pub fn settings(tx: &impl Tx, account: AccountId) -> Result<Settings, StoreError> {
    let table = tx.open(NOTIFICATION_SETTINGS_BY_ACCOUNT)?;
    let found = table.get(account.get())?;
    match found {
        Some(bytes) => decode(bytes.value()),
        None => Ok(Settings::default()),
    }
}

/// Saves a person's choices for the kinds given (the others unchanged).
pub fn save_settings(
    tx: &WriteTransaction,
    account: AccountId,
    choices: &[(Kind, Delivery)],
) -> Result<Settings, StoreError> {
    let mut s = settings(tx, account)?;
    for (kind, delivery) in choices {
        s.set(*kind, *delivery);
    }
    tx.open_table(NOTIFICATION_SETTINGS_BY_ACCOUNT)?.insert(account.get(), encode(&s)?.as_slice())?;
    Ok(s)
}

/// What a one-click stop link stops: one kind, or every kind that comes
/// in a digest (the link of a digest mail, which mixes kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Kind(Kind),
    Digests,
}

impl Stop {
    pub fn code(self) -> &'static str {
        match self {
            Stop::Kind(kind) => kind.code(),
            Stop::Digests => "resumes",
        }
    }

    pub fn from_code(code: &str) -> Option<Stop> {
        match code {
            "resumes" => Some(Stop::Digests),
            other => Kind::from_code(other).map(Stop::Kind),
        }
    }
}

/// The purpose the stop links are signed for (see [`links`]).
const STOP_PURPOSE: &str = "notification-stop";

/// The address of the page where the one-click stop links lead.
pub const STOP_PATH: &str = "/compte/notifications/arreter";

/// The path of `account`'s link that stops `stop`, signed.
pub fn stop_path(tx: &impl Keyed, account: AccountId, stop: Stop) -> String {
    let sig = links::sign(tx, STOP_PURPOSE, account, stop.code());
    format!("{STOP_PATH}?compte={account}&type={}&cle={sig}", stop.code())
}

/// Whether `sig` signs `account`'s link for `stop`.
pub fn stop_valid(tx: &impl Keyed, account: AccountId, stop: Stop, sig: &str) -> bool {
    links::verify(tx, STOP_PURPOSE, account, stop.code(), sig)
}

/// Why a stop link was refused.
#[derive(Debug, thiserror::Error)]
pub enum StopError {
    /// Tampered with, or signed for another person or kind.
    #[error("the link is not signed for this person and kind")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sets what `stop` names to "never" for `account`, from a mail's signed
/// link, without a sign-in; a link whose signature does not match changes
/// nothing. Returns the kinds stopped.
pub fn stop(tx: &WriteTx, account: AccountId, stop: Stop, sig: &str) -> Result<Vec<Kind>, StopError> {
    if !stop_valid(tx, account, stop, sig) {
        return Err(StopError::LinkInvalid);
    }
    let current = settings(&**tx, account)?;
    let kinds: Vec<Kind> = match stop {
        Stop::Kind(kind) => vec![kind],
        Stop::Digests => Kind::ALL
            .into_iter()
            .filter(|k| matches!(current.delivery(*k), Delivery::Daily | Delivery::Weekly))
            .collect(),
    };
    let choices: Vec<(Kind, Delivery)> = kinds.iter().map(|k| (*k, Delivery::Never)).collect();
    save_settings(tx, account, &choices)?;
    Ok(kinds)
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Notification {
    pub at: i64,
    pub event: Event,
    pub read: bool,
}

impl Record for Notification {
    const NAME: &'static str = "notification";
    const VERSION: u8 = 1;
}

/// How to reach people: the site's address, for links in messages.
#[derive(Clone, Debug)]
pub struct Notifier {
    pub base_url: String,
}

impl Notifier {
    /// `path` as an address to mail.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }
}

/// Tells `account` about `event`: in the app always, by email as they
/// chose for its kind (their own contribution's, or what they follow).
pub fn notify(tx: &WriteTx, notifier: &Notifier, account: AccountId, event: Event, now: i64) -> Result<(), StoreError> {
    let kind = event.kind_for(tx, account)?;
    deliver(tx, notifier, account, event, kind, now)
}

/// [`notify`] with the kind already known (a fan-out knows the author once
/// for all its followers).
pub(crate) fn deliver(
    tx: &WriteTx,
    notifier: &Notifier,
    account: AccountId,
    event: Event,
    kind: Kind,
    now: i64,
) -> Result<(), StoreError> {
    let Some(person) = accounts::get_in(tx, account).map_err(|e| StoreError::Internal(e.to_string()))? else {
        return Ok(());
    };
    if person.blocked || person.email.is_empty() {
        return Ok(());
    }
    // News of a pilot group's private process reaches only those who may
    // see it (a member removed since, who still follows, is told nothing).
    let viewer = crate::domain::groups::Viewer::person(account, person.role >= accounts::Role::Staff);
    if let Some(target) = event.content() {
        if !crate::domain::groups::may_see_content(&**tx, viewer, target)? {
            return Ok(());
        }
    }
    let delivery = settings(&**tx, account)?.delivery(kind);
    let mut table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let next = table
        .range((account.get(), 0)..=(account.get(), u64::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1 + 1)
        .unwrap_or(1);
    table.insert(
        (account.get(), next),
        encode(&Notification { at: now, event: event.clone(), read: false })?.as_slice(),
    )?;
    drop(table);
    let mut unread = tx.open_table(NOTIFICATION_UNREAD_BY_ACCOUNT)?;
    let n = unread.get(account.get())?.map_or(0, |v| v.value());
    unread.insert(account.get(), n + 1)?;
    drop(unread);
    match delivery {
        Delivery::Immediately => mail_now(tx, notifier, &person, &event, kind),
        Delivery::Daily => digest::hold(tx, account, digest::Cadence::Daily, event, now),
        Delivery::Weekly => digest::hold(tx, account, digest::Cadence::Weekly, event, now),
        Delivery::Never => Ok(()),
    }
}

/// The mail of one notification, with the link that stops its kind.
fn mail_now(tx: &WriteTx, notifier: &Notifier, person: &Account, event: &Event, kind: Kind) -> Result<(), StoreError> {
    let (subject, text) = event.render(person.language);
    outbox::enqueue(
        tx,
        NewMail {
            to: person.email.clone(),
            lang: person.language,
            template: Template::Notified {
                name: person.display_name.clone(),
                subject,
                text,
                link: notifier.link(&event.path()),
                settings: notifier.link(SETTINGS_PATH),
                unsubscribe: notifier.link(&stop_path(tx, person.id, Stop::Kind(kind))),
                also: event.also_stop(tx, notifier, person.id, person.language),
            },
        },
    )?;
    Ok(())
}

/// The settings page, linked from every notification mail.
pub const SETTINGS_PATH: &str = "/compte/notifications/reglages";

/// A person's notifications, newest first, at most `limit`.
pub fn recent(tx: &ReadTransaction, account: AccountId, limit: usize) -> Result<Vec<(u64, Notification)>, StoreError> {
    let table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))?.rev().take(limit) {
        let (k, v) = row?;
        out.push((k.value().1, decode(v.value())?));
    }
    Ok(out)
}

/// How many of a person's notifications are unread: one read of a
/// counter, cheap enough for every page's header.
pub fn unread_count(tx: &impl Tx, account: AccountId) -> Result<u64, StoreError> {
    Ok(tx.open(NOTIFICATION_UNREAD_BY_ACCOUNT)?.get(account.get())?.map_or(0, |v| v.value()))
}

/// Marks every notification of a person as read.
pub fn mark_all_read(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut table = tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
    let mut unread = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        let (k, v) = row?;
        let n: Notification = decode(v.value())?;
        if !n.read {
            unread.push((k.value(), n));
        }
    }
    for (key, mut n) in unread.iter().cloned() {
        n.read = true;
        table.insert(key, encode(&n)?.as_slice())?;
    }
    tx.open_table(NOTIFICATION_UNREAD_BY_ACCOUNT)?.remove(account.get())?;
    Ok(unread.len())
}

/// Removes every notification of a person, read or not, with their
/// settings, unread count and what waited for a digest; returns how many
/// notifications. Used when the account is erased: they were written for
/// that person alone, and nobody can open them once the account is a
/// tombstone.
pub fn remove_all(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut removed = 0;
    tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?.retain_in((account.get(), 0)..=(account.get(), u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    tx.open_table(NOTIFICATION_UNREAD_BY_ACCOUNT)?.remove(account.get())?;
    tx.open_table(NOTIFICATION_SETTINGS_BY_ACCOUNT)?.remove(account.get())?;
    digest::remove_all(tx, account)?;
    Ok(removed)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_areas;
