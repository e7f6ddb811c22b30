//! « Ce qui a changé grâce à vous »: the town hall's decisions that follow
//! residents' contributions, newest first (issue 15, impact). Keeping
//! residents taking part means showing them what their contributions did.
//!
//! Every item is read through [`crate::domain::publication`], the one place
//! that says what is public: a held or hidden proposal, a hidden or
//! unconfirmed report, a draft, a consultation's outcome before its results
//! may be shown, a budget's winners before its vote is over — none appear.
//!
//! The list is built from the records at each request (a few thousand
//! decisions in a commune's years, each a small read); a commune with many
//! more would keep it as a roll-up like the dashboard's figures.

use redb::ReadTransaction;

use crate::config::Config;
use crate::domain::budgets::{self, Phase};
use crate::domain::ids::ReportId;
use crate::domain::{consultations, proposals, publication};
use crate::store::StoreError;

/// One decision, with what the public may read of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A proposal accepted, in progress or done, with the town hall's answer.
    Proposal { id: u64, title: String, status: &'static str, answer: Option<String>, at: i64 },
    /// A problem report whose status is of the kind « fixed ».
    Report { id: u64, category: String, address: Option<String>, description: String, at: i64 },
    /// A consultation with a published outcome: we asked, you said, we did.
    /// `asked` is its summary, the question put to residents.
    Consultation { id: u64, title: String, asked: String, said: String, decided: String, at: i64 },
    /// A participatory budget's winning project, once the vote is over.
    BudgetProject { process: u64, process_title: String, number: u64, title: String, at: i64 },
}

impl Change {
    /// When it was decided: what the list is ordered by.
    pub fn at(&self) -> i64 {
        match self {
            Change::Proposal { at, .. }
            | Change::Report { at, .. }
            | Change::Consultation { at, .. }
            | Change::BudgetProject { at, .. } => *at,
        }
    }
}

/// One page of the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub items: Vec<Change>,
    /// 1-based, within `1..=pages`.
    pub page: usize,
    /// At least 1, even when there is nothing.
    pub pages: usize,
}

/// How many decisions a page lists.
pub const PER_PAGE: usize = 20;

/// Page `page` (1-based; out of range: the nearest page) of every public
/// decision, newest first.
pub fn changes(tx: &ReadTransaction, config: &Config, now: i64, page: usize) -> Result<Changes, StoreError> {
    let mut all = every_change(tx, config, now)?;
    // Newest first; equal dates in a fixed order, so pages never repeat.
    all.sort_by_key(|c| std::cmp::Reverse((c.at(), kind_rank(c), id_of(c))));
    let pages = all.len().div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let items = all.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).collect();
    Ok(Changes { items, page, pages })
}

fn kind_rank(c: &Change) -> u8 {
    match c {
        Change::Proposal { .. } => 0,
        Change::Report { .. } => 1,
        Change::Consultation { .. } => 2,
        Change::BudgetProject { .. } => 3,
    }
}

fn id_of(c: &Change) -> (u64, u64) {
    match c {
        Change::Proposal { id, .. } | Change::Report { id, .. } | Change::Consultation { id, .. } => (*id, 0),
        Change::BudgetProject { process, number, .. } => (*process, *number),
    }
}

fn every_change(tx: &ReadTransaction, config: &Config, now: i64) -> Result<Vec<Change>, StoreError> {
    let mut out = Vec::new();
    for p in proposals::followed_up(tx)? {
        let Some(public) = publication::proposal(tx, &p)? else { continue };
        // The date of the decision shown is that of its latest step.
        let at = super::decisions::done_at(&p).or(super::decisions::accepted_at(&p)).unwrap_or(p.updated_at);
        out.push(Change::Proposal {
            id: public.id,
            title: public.title,
            status: public.status,
            answer: public.answer.map(|a| a.text),
            at,
        });
    }

    let fixed = super::fixed_statuses(config);
    for id in crate::domain::reports::all_ids(tx)? {
        let mut at = 0;
        let keep = |r: &crate::domain::reports::ProblemReport| {
            at = r.updated_at;
            fixed.contains(&r.status)
        };
        let Some(r) = publication::report(tx, &config.reports, ReportId(id.get()), false, keep)? else { continue };
        out.push(Change::Report { id: r.id, category: r.category, address: r.address, description: r.description, at });
    }

    for c in consultations::list(tx)? {
        let Some(public) = publication::consultation(tx, &c, now)? else { continue };
        let (Some(outcome), Some(stored)) = (public.outcome, consultations::outcome(tx, c.id)?) else { continue };
        out.push(Change::Consultation {
            id: public.id,
            title: public.title,
            asked: public.summary,
            said: outcome.said,
            decided: outcome.decided,
            at: stored.published_at,
        });
    }

    for b in budgets::list(tx)? {
        // Winners are a decision once the vote is over, not while counts
        // shown during an open vote still move.
        if !b.vote_closed(now) {
            continue;
        }
        let Some(public) = publication::budget(tx, &b, now, true)? else { continue };
        let (Some(results), Some(projects)) = (public.results, public.projects) else { continue };
        let results_start = b.start_of(Phase::Results).unwrap_or(b.updated_at);
        let closed = b.closed_early_at.map_or(results_start, |t| t.min(results_start));
        for line in results.pots.iter().flat_map(|pot| pot.lines.iter()).filter(|l| l.won) {
            let Some(project) = projects.iter().find(|p| p.number == line.number) else { continue };
            out.push(Change::BudgetProject {
                process: public.id,
                process_title: public.title.clone(),
                number: project.number,
                title: project.title.clone(),
                at: closed,
            });
        }
    }
    Ok(out)
}
