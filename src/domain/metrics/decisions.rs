//! When the town hall decided on a proposal: accepted, then done.
//!
//! A proposal keeps its current status, its last answer and its follow-up
//! steps, not the history of its statuses (the audit log has it, but is
//! purged after `retention.audit_days`, so figures over years cannot rest
//! on it). The dates below are read from what the record keeps:
//! - accepted: the earlier of its answer and its first follow-up step. A
//!   proposal is accepted by an answer, and a step can only follow an
//!   acceptance, so a later answer (staff rewording it) is bounded by the
//!   first step;
//! - done: the first step that reached 100 %, or, when staff set « done »
//!   by an answer without a step, that answer (else its last change).

use crate::domain::proposals::{Proposal, Status};

/// When `p` was accepted, if it is accepted, in progress or done.
pub fn accepted_at(p: &Proposal) -> Option<i64> {
    if !p.status.is_followed_up() {
        return None;
    }
    let answered = p.answer.as_ref().map(|a| a.at);
    let first_step = p.milestones.iter().map(|m| m.at).min();
    // Neither: accepted by an answer without text, which leaves no date
    // but the record's last change.
    Some(answered.into_iter().chain(first_step).min().unwrap_or(p.updated_at))
}

/// When `p` was done, if it is.
pub fn done_at(p: &Proposal) -> Option<i64> {
    if p.status != Status::Done {
        return None;
    }
    let step = p.milestones.iter().filter(|m| m.progress >= 100).map(|m| m.at).min();
    Some(step.or(p.answer.as_ref().map(|a| a.at)).unwrap_or(p.updated_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::AccountId;
    use crate::domain::ids::{BoxId, ProposalId};
    use crate::domain::proposals::{Answer, Milestone};

    const DAY: i64 = 86_400;

    fn proposal(status: Status, answer_day: Option<i64>, steps: &[(i64, u8)]) -> Proposal {
        Proposal {
            id: ProposalId(1),
            box_id: BoxId(1),
            author: AccountId(1),
            title: "Idée".into(),
            body: String::new(),
            category: None,
            neighbourhood: None,
            location: None,
            status,
            answer: answer_day.map(|d| Answer { text: "Oui.".into(), by: AccountId(2), at: d * DAY }),
            supports: 0,
            threshold_reached_at: None,
            milestones: steps
                .iter()
                .map(|(d, progress)| Milestone {
                    at: d * DAY,
                    title: "Étape".into(),
                    text: String::new(),
                    progress: *progress,
                })
                .collect(),
            created_at: 0,
            updated_at: 99 * DAY,
            held: false,
            photo: None,
            origin: None,
        }
    }

    #[test]
    fn accepted_is_the_answer_or_the_first_step_whichever_came_first() {
        // Accepted on day 3, a step on day 10: day 3.
        assert_eq!(accepted_at(&proposal(Status::InProgress, Some(3), &[(10, 50)])), Some(3 * DAY));
        // The answer reworded on day 20, after the first step of day 10: day 10.
        assert_eq!(accepted_at(&proposal(Status::InProgress, Some(20), &[(10, 50)])), Some(10 * DAY));
        // Done directly by an answer on day 1.
        assert_eq!(accepted_at(&proposal(Status::Done, Some(1), &[])), Some(DAY));
        // Accepted without text: the last change, day 99.
        assert_eq!(accepted_at(&proposal(Status::Accepted, None, &[])), Some(99 * DAY));
        assert_eq!(accepted_at(&proposal(Status::Rejected, Some(3), &[])), None);
        assert_eq!(accepted_at(&proposal(Status::UnderStudy, Some(3), &[])), None);
    }

    #[test]
    fn done_is_the_first_step_at_100_or_the_answer_that_said_done() {
        assert_eq!(done_at(&proposal(Status::Done, Some(3), &[(10, 50), (30, 100), (40, 100)])), Some(30 * DAY));
        assert_eq!(done_at(&proposal(Status::Done, Some(6), &[])), Some(6 * DAY));
        assert_eq!(done_at(&proposal(Status::Done, None, &[])), Some(99 * DAY));
        assert_eq!(done_at(&proposal(Status::InProgress, Some(3), &[(10, 50)])), None);
    }
}
