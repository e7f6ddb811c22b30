//! The launch campaign (issue 16): what a town hall with no communication
//! department does to launch Parvis, tracked in one place — a checklist
//! staff tick with the day each item was done, the launch day, a target of
//! sign-ups per neighbourhood shown to residents as an incentive, and an
//! optional launch contest (an idea box whose best ideas a jury marks
//! « primée », announced on a day staff choose).
//!
//! The sign-ups themselves are counted by the metrics roll-up
//! (`metrics::signups`); this concept keeps only what staff decide. What a
//! visitor may see of it (counts under five, the contest before its
//! announcement) is decided in `domain::publication`.

pub mod tables;

use std::collections::BTreeMap;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::audit::{Action, Actor};
use crate::domain::ids::{BoxId, ProposalId};
use crate::domain::proposals;
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

/// The key of the one campaign record.
const CAMPAIGN: &str = "campaign";

/// The largest target staff may set for a neighbourhood: more than any
/// French commune's neighbourhood holds, small enough to catch a typo.
pub const MAX_TARGET: u64 = 1_000_000;

/// The steps of a launch the checklist names, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// A pilot with a small group of residents is over.
    Pilot,
    /// The posters are printed and put up.
    Poster,
    /// An article in the municipal bulletin.
    Bulletin,
    /// A launch event (a public meeting, a stand at the market) is planned.
    Event,
}

impl Item {
    pub const ALL: [Item; 4] = [Item::Pilot, Item::Poster, Item::Bulletin, Item::Event];

    /// A stable code, for forms and translation keys (`launch-item-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Item::Pilot => "pilot",
            Item::Poster => "poster",
            Item::Bulletin => "bulletin",
            Item::Event => "event",
        }
    }

    pub fn from_code(code: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// The launch contest: an idea box whose best ideas a jury of staff marks
/// « primée »; they are published from `announce_day` on.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contest {
    pub box_id: BoxId,
    /// The commune's day (`metrics::day_of`) of the announcement.
    pub announce_day: i64,
}

/// The commune's launch campaign, as staff set it. Days are the commune's
/// (`metrics::day_of`, Europe/Paris).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Campaign {
    /// The day Parvis is launched; `None` until staff choose it.
    pub launch_day: Option<i64>,
    /// The last day of the campaign: the objectives leave the home page
    /// after it. `None`: the campaign runs on.
    pub end_day: Option<i64>,
    /// Item code → the day staff say it was done.
    pub done: BTreeMap<String, i64>,
    /// Neighbourhood → the sign-ups the town hall aims at.
    pub targets: BTreeMap<String, u64>,
    pub contest: Option<Contest>,
    pub updated_at: i64,
}

impl Record for Campaign {
    const NAME: &'static str = "launch campaign";
    const VERSION: u8 = 1;
}

impl Campaign {
    /// The day `item` was done, if ticked.
    pub fn done_on(&self, item: Item) -> Option<i64> {
        self.done.get(item.code()).copied()
    }

    /// Whether the campaign is on on `today`: launched, and not over. The
    /// home page shows the objectives only then.
    pub fn is_on(&self, today: i64) -> bool {
        self.launch_day.is_some_and(|l| l <= today) && self.end_day.is_none_or(|e| today <= e)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("the campaign cannot end before its launch")]
    EndBeforeLaunch,
    #[error("\"{0}\" is not one of the commune's neighbourhoods")]
    UnknownNeighbourhood(String),
    #[error("a target is larger than {MAX_TARGET}")]
    TargetTooLarge,
    #[error("no such idea box")]
    NoSuchBox,
    #[error("no launch contest is set")]
    NoContest,
    #[error("this idea is not one of the contest's")]
    NotInContest,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The campaign; an empty one before staff set anything.
pub fn campaign(tx: &impl Tx) -> Result<Campaign, StoreError> {
    let table = tx.open(LAUNCH_CAMPAIGN_BY_NAME)?;
    let found = table.get(CAMPAIGN)?;
    found.map(|b| decode(b.value())).transpose().map(Option::unwrap_or_default)
}

fn save(tx: &WriteTransaction, c: &Campaign) -> Result<(), StoreError> {
    tx.open_table(LAUNCH_CAMPAIGN_BY_NAME)?.insert(CAMPAIGN, encode(c)?.as_slice())?;
    Ok(())
}

/// What the checklist form sends: the launch and end days, and the day
/// each ticked item was done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub launch_day: Option<i64>,
    pub end_day: Option<i64>,
    pub done: BTreeMap<Item, i64>,
}

/// Staff save the checklist and the campaign's days. Audited.
pub fn save_plan(tx: &WriteTransaction, actor: &Actor, plan: &Plan, now: i64) -> Result<Campaign, LaunchError> {
    if let (Some(l), Some(e)) = (plan.launch_day, plan.end_day) {
        if e < l {
            return Err(LaunchError::EndBeforeLaunch);
        }
    }
    let mut c = campaign(tx)?;
    c.launch_day = plan.launch_day;
    c.end_day = plan.end_day;
    c.done = plan.done.iter().map(|(i, d)| (i.code().to_string(), *d)).collect();
    c.updated_at = now;
    save(tx, &c)?;
    let ticked: Vec<&str> = plan.done.keys().map(|i| i.code()).collect();
    actor.record(tx, Action::LaunchChanged, None, format!("launch checklist saved ({})", ticked.join(", ")), now)?;
    Ok(c)
}

/// Staff set the target of sign-ups of each neighbourhood (0 or absent: no
/// target, no bar). Each name must be one of `neighbourhoods` (the
/// configuration's). Audited.
pub fn set_targets(
    tx: &WriteTransaction,
    actor: &Actor,
    targets: &BTreeMap<String, u64>,
    neighbourhoods: &[String],
    now: i64,
) -> Result<Campaign, LaunchError> {
    if let Some(unknown) = targets.keys().find(|n| !neighbourhoods.contains(n)) {
        return Err(LaunchError::UnknownNeighbourhood(unknown.clone()));
    }
    if targets.values().any(|t| *t > MAX_TARGET) {
        return Err(LaunchError::TargetTooLarge);
    }
    let mut c = campaign(tx)?;
    c.targets = targets.iter().filter(|(_, t)| **t > 0).map(|(n, t)| (n.clone(), *t)).collect();
    c.updated_at = now;
    save(tx, &c)?;
    actor.record(
        tx,
        Action::LaunchChanged,
        None,
        format!("launch targets set for {} neighbourhoods", c.targets.len()),
        now,
    )?;
    Ok(c)
}

/// Staff make `contest` the launch contest, or end it (`None`). The ideas
/// already marked stay marked, under their box. Audited.
pub fn set_contest(
    tx: &WriteTransaction,
    actor: &Actor,
    contest: Option<Contest>,
    now: i64,
) -> Result<Campaign, LaunchError> {
    if let Some(k) = contest {
        if proposals::get_box(tx, k.box_id)?.is_none() {
            return Err(LaunchError::NoSuchBox);
        }
    }
    let mut c = campaign(tx)?;
    c.contest = contest;
    c.updated_at = now;
    save(tx, &c)?;
    let detail = match contest {
        Some(k) => format!("launch contest: idea box {} announced on day {}", k.box_id.get(), k.announce_day),
        None => "launch contest removed".to_string(),
    };
    actor.record(tx, Action::LaunchChanged, None, detail, now)?;
    Ok(c)
}

/// The jury marks an idea of the contest's box « primée » (`awarded`), or
/// takes the mark back. Only an idea of the contest's box that may be
/// published can be marked. Audited.
pub fn award(
    tx: &WriteTransaction,
    actor: &Actor,
    proposal: ProposalId,
    awarded: bool,
    now: i64,
) -> Result<(), LaunchError> {
    let contest = campaign(tx)?.contest.ok_or(LaunchError::NoContest)?;
    if awarded {
        let p = proposals::get(tx, proposal)?.ok_or(LaunchError::NotInContest)?;
        if p.box_id != contest.box_id || !proposals::is_public(tx, &p)? {
            return Err(LaunchError::NotInContest);
        }
    }
    mark(tx, contest.box_id, proposal, awarded.then_some(now))?;
    let what = if awarded { "marked primée" } else { "no longer primée" };
    actor.record(tx, Action::LaunchChanged, None, format!("launch contest: idea {} {what}", proposal.get()), now)?;
    Ok(())
}

/// Writes the jury's mark of `proposal` (`Some(when)`) or removes it.
fn mark(tx: &WriteTransaction, box_id: BoxId, proposal: ProposalId, at: Option<i64>) -> Result<(), StoreError> {
    let mut table = tx.open_table(LAUNCH_AWARD_BY_BOX_PROPOSAL)?;
    let key = (box_id.get(), proposal.get());
    match at {
        Some(at) => table.insert(key, at)?,
        None => table.remove(key)?,
    };
    Ok(())
}

/// The ideas of `box_id` the jury marked « primée », in the order they
/// were filed. What may be shown of them, and when, is
/// `publication::contest_awards`'s to say.
pub fn awarded(tx: &impl Tx, box_id: BoxId) -> Result<Vec<ProposalId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(LAUNCH_AWARD_BY_BOX_PROPOSAL)?.range((box_id.get(), 0)..=(box_id.get(), u64::MAX))? {
        out.push(ProposalId(row?.0.value().1));
    }
    Ok(out)
}

/// One neighbourhood's objective: its sign-ups against its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objective {
    pub neighbourhood: String,
    pub target: u64,
    pub signed_up: u64,
}

/// Each neighbourhood with a target, in the configuration's order, with its
/// sign-ups up to `today` (from the roll-up). Staff see the counts as they
/// are; the public page passes them through `publication::objective`.
pub fn objectives(tx: &impl Tx, neighbourhoods: &[String], today: i64) -> Result<Vec<Objective>, StoreError> {
    let c = campaign(tx)?;
    if c.targets.is_empty() {
        return Ok(Vec::new());
    }
    let counts = crate::domain::metrics::signups::by_neighbourhood(tx, today)?;
    Ok(neighbourhoods
        .iter()
        .filter_map(|n| {
            c.targets.get(n).map(|t| Objective {
                neighbourhood: n.clone(),
                target: *t,
                signed_up: counts.get(n).copied().unwrap_or(0),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests;
