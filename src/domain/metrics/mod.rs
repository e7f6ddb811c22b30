//! Measuring success (issue 15): how many take part and who, and what their
//! contributions changed. The figures come from a daily roll-up
//! ([`rollup`]) into this concept's own tables; the dashboards read only
//! those rows ([`figures`]), so they open at once with years of records.
//!
//! What this concept reads of the others: their records, each decoded as its
//! concept stores it; it never writes them.

pub mod active;
pub mod changed;
pub mod decisions;
pub mod figures;
pub mod rollup;
pub mod signups;
pub mod tables;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

pub use self::figures::{dashboard, Dashboard, Delay, Figures, GroupCount, Impact, MonthRow, Period};
pub use self::rollup::{apply, collect, next_days, roll_up, rolled_through, Collected};
use crate::config::{Config, StatusKind};
use crate::store::Store;

/// What is counted per day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Distinct people who did any of the others that day.
    Participants,
    Proposal,
    Support,
    Comment,
    Report,
    /// An answer to a consultation.
    Answer,
    BudgetVote,
    /// A registration to a meeting or workshop.
    Registration,
    /// A resident's account created (the launch campaign's sign-ups, see
    /// [`signups`]): not a contribution, nor counted in `from_code`, so
    /// that no dashboard figure of participation counts it.
    SignUp,
}

impl Kind {
    /// The contributions, in the order the pages list them.
    pub const CONTRIBUTIONS: [Kind; 7] = [
        Kind::Proposal,
        Kind::Support,
        Kind::Comment,
        Kind::Report,
        Kind::Answer,
        Kind::BudgetVote,
        Kind::Registration,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Participants => "participants",
            Kind::Proposal => "proposal",
            Kind::Support => "support",
            Kind::Comment => "comment",
            Kind::Report => "report",
            Kind::Answer => "answer",
            Kind::BudgetVote => "budget-vote",
            Kind::Registration => "registration",
            Kind::SignUp => "sign-up",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        std::iter::once(Kind::Participants).chain(Kind::CONTRIBUTIONS).find(|k| k.code() == code)
    }
}

/// The processes whose impact is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Measure {
    /// Answered (delay: filing to answer), accepted, done.
    Proposals,
    /// Fixed (delay: filing to the first fixed status), per category.
    Reports,
    /// With a published outcome (delay: close to publication).
    Consultations,
    /// Delays only: filing to acceptance of the proposals accepted since
    /// (accepted, in progress or done).
    ProposalsAccepted,
    /// Delays only: filing to completion of the proposals done.
    ProposalsDone,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Proposals,
        Measure::Reports,
        Measure::Consultations,
        Measure::ProposalsAccepted,
        Measure::ProposalsDone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Proposals => "proposals",
            Measure::Reports => "reports",
            Measure::Consultations => "consultations",
            Measure::ProposalsAccepted => "proposals-accepted",
            Measure::ProposalsDone => "proposals-done",
        }
    }
}

/// The commune's day of `unix`, counted from 1970-01-01: a contribution at
/// 00:30 in Paris belongs to that day, not to the day before in UTC.
pub fn day_of(unix: i64) -> i64 {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return unix.div_euclid(86_400) };
    let offset = crate::domain::meetings::paris().to_offset(ts).seconds();
    (unix + i64::from(offset)).div_euclid(86_400)
}

/// The civil date of a day number.
pub fn date_of_day(day: i64) -> jiff::civil::Date {
    jiff::Timestamp::from_second(day.saturating_mul(86_400))
        .map(|ts| ts.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or(jiff::civil::Date::ZERO)
}

/// The day number of a civil date.
pub fn day_of_date(date: jiff::civil::Date) -> i64 {
    date.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp().as_second().div_euclid(86_400)).unwrap_or(0)
}

/// `year × 12 + month − 1`: months in order, as the tables key them.
pub fn month_of_day(day: i64) -> u32 {
    let d = date_of_day(day);
    u32::try_from(i32::from(d.year()) * 12 + i32::from(d.month()) - 1).unwrap_or(0)
}

/// `YYYY-MM` of a month number.
pub fn month_label(month: u32) -> String {
    format!("{:04}-{:02}", month / 12, month % 12 + 1)
}

/// The report statuses of the kind "fixed", as configured.
pub fn fixed_statuses(config: &Config) -> BTreeSet<String> {
    config.reports.statuses.iter().filter(|s| s.kind == StatusKind::Fixed).map(|s| s.code.clone()).collect()
}

/// How often the worker rolls today up again: today's figures on the
/// dashboard are at most this old.
pub const ROLL_EVERY: Duration = Duration::from_secs(3600);

/// The worker: rolls up on start (the back-fill the first time), then every
/// [`ROLL_EVERY`]; reading in a read transaction on a blocking thread, then
/// writing the rows in one short write.
pub async fn run(store: Store, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        let now = crate::domain::now_unix();
        let (s, c) = (store.clone(), config.clone());
        let collected = tokio::task::spawn_blocking(move || {
            let tx = s.read()?;
            let days = next_days(&*tx, now)?;
            collect(&*tx, &c, days, now)
        })
        .await;
        match collected {
            Ok(Ok(c)) => match store.write(move |tx| apply(tx, &c)).await {
                Ok(true) => {}
                // Another roll-up (the command line, a test) was applied
                // meanwhile: its rows are newer than this reading.
                Ok(false) => tracing::info!("metrics roll-up dropped: a newer one was applied"),
                Err(e) => tracing::error!(error = %e, "cannot write the metrics roll-up; tried again later"),
            },
            Ok(Err(e)) => tracing::error!(error = %e, "cannot read the records for the metrics roll-up"),
            Err(e) => tracing::error!(error = %e, "the metrics roll-up stopped"),
        }
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(ROLL_EVERY) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_the_communes_and_months_are_in_order() {
        // 2026-06-30 22:30 UTC is 2026-07-01 00:30 in Paris (summer time).
        let t = 1_782_858_600;
        assert_eq!(date_of_day(day_of(t)).to_string(), "2026-07-01");
        assert_eq!(month_label(month_of_day(day_of(t))), "2026-07");
        assert_eq!(day_of_date(date_of_day(day_of(t))), day_of(t));
        assert!(month_of_day(day_of(t)) > month_of_day(day_of(t - 86_400)));
        for k in Kind::CONTRIBUTIONS {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
    }
}
