//! The figures of a period, read from the roll-up's rows only.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::tables::*;
use super::{day_of_date, month_of_day, Kind, Measure};
use crate::store::{StoreError, Tx};

/// A range of days, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
}

impl Period {
    /// The `days` days up to `to`, included.
    pub fn ending(to: i64, days: i64) -> Period {
        Period { from: to - days.max(1) + 1, to }
    }

    /// The period of the same length just before: what a figure is compared with.
    pub fn previous(self) -> Period {
        let len = self.to - self.from + 1;
        Period { from: self.from - len, to: self.from - 1 }
    }

    pub fn between(from: jiff::civil::Date, to: jiff::civil::Date) -> Period {
        let (a, b) = (day_of_date(from), day_of_date(to));
        Period { from: a.min(b), to: a.max(b) }
    }

    /// The months it touches: participants are counted per month.
    pub fn months(self) -> std::ops::RangeInclusive<u32> {
        month_of_day(self.from)..=month_of_day(self.to)
    }
}

/// One month's distinct participants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthRow {
    pub month: u32,
    pub active: u64,
    /// Taking part for the first time that month.
    pub new: u64,
    /// Contributions of each kind that month, within the period.
    pub contributions: BTreeMap<Kind, u64>,
}

impl MonthRow {
    pub fn returning(&self) -> u64 {
        self.active.saturating_sub(self.new)
    }
}

/// The participants of a group over the period's months, each person
/// counted once per month they took part in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupCount {
    pub neighbourhood: String,
    pub age_bracket: String,
    pub participants: u64,
}

/// A delay's distribution summed up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delay {
    /// How many took one.
    pub count: u64,
    /// The median in whole days (the lower middle value of an even count,
    /// as the reports' own dashboard computes it); `None` when none.
    pub median_days: Option<u32>,
}

/// What the contributions changed, by when each started (a proposal filed,
/// a report filed, a consultation closed within the period).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    pub proposals: u64,
    pub proposals_answered: u64,
    pub proposals_accepted: u64,
    pub proposals_done: u64,
    pub answer_delay: Delay,
    /// Filing to acceptance, over the accepted (and done) proposals.
    pub accepted_delay: Delay,
    /// Filing to completion, over the done proposals.
    pub done_delay: Delay,
    pub reports: u64,
    pub reports_fixed: u64,
    pub fix_delay: Delay,
    /// Category code → (filed, fixed, delay to fix).
    pub reports_by_category: BTreeMap<String, (u64, u64, Delay)>,
    pub consultations_closed: u64,
    pub consultations_with_outcome: u64,
    pub outcome_delay: Delay,
}

/// Everything a dashboard shows of one period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub period: Option<Period>,
    pub contributions: BTreeMap<Kind, u64>,
    /// Sum of each day's distinct participants.
    pub participant_days: u64,
    pub months: Vec<MonthRow>,
    pub groups: Vec<GroupCount>,
    pub impact: Impact,
}

impl Figures {
    pub fn contributions_total(&self) -> u64 {
        self.contributions.values().sum()
    }

    /// Distinct participants summed over the months (a person active in
    /// two months counts twice), and of them new ones.
    pub fn participant_months(&self) -> (u64, u64) {
        self.months.iter().fold((0, 0), |(a, n), m| (a + m.active, n + m.new))
    }
}

/// The period and the one before it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub current: Figures,
    pub previous: Figures,
}

pub fn dashboard(tx: &impl Tx, period: Period) -> Result<Dashboard, StoreError> {
    Ok(Dashboard { current: figures(tx, period)?, previous: figures(tx, period.previous())? })
}

/// The figures of `period`, from the roll-up's rows.
pub fn figures(tx: &impl Tx, period: Period) -> Result<Figures, StoreError> {
    let mut out = Figures { period: Some(period), ..Figures::default() };
    let mut months: BTreeMap<u32, MonthRow> =
        period.months().map(|m| (m, MonthRow { month: m, ..MonthRow::default() })).collect();
    for row in tx.open(METRICS_COUNT_BY_DAY_KIND)?.range((period.from, "")..(period.to.saturating_add(1), ""))? {
        let (key, count) = row?;
        let (day, code) = key.value();
        let (Some(kind), n) = (Kind::from_code(code), count.value()) else { continue };
        if kind == Kind::Participants {
            out.participant_days += n;
            continue;
        }
        *out.contributions.entry(kind).or_default() += n;
        if let Some(m) = months.get_mut(&month_of_day(day)) {
            *m.contributions.entry(kind).or_default() += n;
        }
    }
    let (first, last) = (month_of_day(period.from), month_of_day(period.to));
    let mut groups: BTreeMap<(String, String), u64> = BTreeMap::new();
    for row in tx.open(METRICS_PARTICIPANTS_BY_MONTH_GROUP)?.range((first, "", "")..(last + 1, "", ""))? {
        let (key, v) = row?;
        let (month, n, a) = key.value();
        let (active, new) = v.value();
        if let Some(m) = months.get_mut(&month) {
            m.active += active;
            m.new += new;
        }
        *groups.entry((n.to_string(), a.to_string())).or_default() += active;
    }
    out.months = months.into_values().collect();
    out.groups = groups
        .into_iter()
        .map(|((neighbourhood, age_bracket), participants)| GroupCount { neighbourhood, age_bracket, participants })
        .collect();
    out.impact = impact(tx, first, last)?;
    Ok(out)
}

fn impact(tx: &impl Tx, first: u32, last: u32) -> Result<Impact, StoreError> {
    let mut counts: BTreeMap<(Measure, String, String), u64> = BTreeMap::new();
    let mut hist: BTreeMap<(Measure, String), BTreeMap<u32, u64>> = BTreeMap::new();
    for m in Measure::ALL {
        for row in tx
            .open(METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME)?
            .range((m.code(), first, "", "")..(m.code(), last + 1, "", ""))?
        {
            let (key, n) = row?;
            let (_, _, cat, outcome) = key.value();
            *counts.entry((m, cat.to_string(), outcome.to_string())).or_default() += n.value();
        }
        for row in tx
            .open(METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS)?
            .range((m.code(), first, "", 0)..(m.code(), last + 1, "", 0))?
        {
            let (key, n) = row?;
            let (_, _, cat, days) = key.value();
            *hist.entry((m, cat.to_string())).or_default().entry(days).or_default() += n.value();
        }
    }
    let sum = |m: Measure, outcome: &str| -> u64 {
        counts.iter().filter(|((mm, _, o), _)| *mm == m && o == outcome).map(|(_, n)| n).sum()
    };
    let merged = |m: Measure| -> BTreeMap<u32, u64> {
        let mut all = BTreeMap::new();
        for ((mm, _), h) in &hist {
            if *mm == m {
                for (d, n) in h {
                    *all.entry(*d).or_default() += n;
                }
            }
        }
        all
    };
    let mut by_category: BTreeMap<String, (u64, u64, Delay)> = BTreeMap::new();
    for ((m, cat, outcome), n) in &counts {
        if *m != Measure::Reports {
            continue;
        }
        let e = by_category.entry(cat.clone()).or_default();
        match outcome.as_str() {
            "total" => e.0 += n,
            "fixed" => e.1 += n,
            _ => {}
        }
    }
    for (cat, e) in by_category.iter_mut() {
        e.2 = delay(hist.get(&(Measure::Reports, cat.clone())).cloned().unwrap_or_default());
    }
    Ok(Impact {
        proposals: sum(Measure::Proposals, "total"),
        proposals_answered: sum(Measure::Proposals, "answered"),
        proposals_accepted: sum(Measure::Proposals, "accepted"),
        proposals_done: sum(Measure::Proposals, "done"),
        answer_delay: delay(merged(Measure::Proposals)),
        accepted_delay: delay(merged(Measure::ProposalsAccepted)),
        done_delay: delay(merged(Measure::ProposalsDone)),
        reports: sum(Measure::Reports, "total"),
        reports_fixed: sum(Measure::Reports, "fixed"),
        fix_delay: delay(merged(Measure::Reports)),
        reports_by_category: by_category,
        consultations_closed: sum(Measure::Consultations, "total"),
        consultations_with_outcome: sum(Measure::Consultations, "published"),
        outcome_delay: delay(merged(Measure::Consultations)),
    })
}

/// The median of a histogram of whole days.
fn delay(hist: BTreeMap<u32, u64>) -> Delay {
    let count: u64 = hist.values().sum();
    if count == 0 {
        return Delay::default();
    }
    let middle = (count - 1) / 2;
    let mut seen = 0;
    for (days, n) in hist {
        seen += n;
        if seen > middle {
            return Delay { count, median_days: Some(days) };
        }
    }
    Delay { count, median_days: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_a_histogram_is_the_lower_middle_value() {
        // 1, 3, 3, 9: the lower middle is 3; 1, 3, 9: 3; 2, 8: 2.
        assert_eq!(delay(BTreeMap::from([(1, 1), (3, 2), (9, 1)])).median_days, Some(3));
        assert_eq!(delay(BTreeMap::from([(1, 1), (3, 1), (9, 1)])).median_days, Some(3));
        assert_eq!(delay(BTreeMap::from([(2, 1), (8, 1)])), Delay { count: 2, median_days: Some(2) });
        assert_eq!(delay(BTreeMap::new()), Delay::default());
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let p = Period::ending(1000, 365);
        assert_eq!(p, Period { from: 636, to: 1000 });
        assert_eq!(p.previous(), Period { from: 271, to: 635 });
    }
}
