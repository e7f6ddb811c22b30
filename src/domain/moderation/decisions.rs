//! A moderator's decisions as operations: the decision, its audit event and
//! the mail to the author, in one transaction (they used to be strung
//! together in the moderation page's handler).

use redb::WriteTransaction;

use super::{decide, Decision, ModerationError, Outcome, Reason, Status};
use crate::domain::accounts::{self, AccountId};
use crate::domain::audit::{Action, Actor};
use crate::domain::changes::{ContentKind, Target};
use crate::domain::ids::{CommentId, ProposalId};
use crate::domain::{comments, proposals};
use crate::i18n::Arg;
use crate::mail::Template;
use crate::store::{StoreError, WriteTx};

/// The translation key of a reason, as the moderation pages and mail say it.
pub fn reason_key(reason: Reason) -> &'static str {
    match reason {
        Reason::Spam => "moderation-reason-spam",
        Reason::Abuse => "moderation-reason-abuse",
        Reason::OffTopic => "moderation-reason-off-topic",
        Reason::PersonalData => "moderation-reason-personal-data",
        Reason::Illegal => "moderation-reason-illegal",
        Reason::Other => "moderation-reason-other",
    }
}

/// The translation key of a kind of content, as a noun ("le commentaire").
pub fn kind_key(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::Proposal => "moderation-kind-proposal",
        ContentKind::Comment => "moderation-kind-comment",
        ContentKind::Consultation => "moderation-kind-consultation",
        ContentKind::Report => "moderation-kind-report",
        ContentKind::Meeting => "moderation-kind-meeting",
        ContentKind::Page => "moderation-kind-page",
    }
}

/// "comment 12; reason: spam": Parvis's words, never the moderator's text.
fn detail(target: Target, reason: Option<Reason>) -> String {
    match reason {
        Some(r) => format!("{} {}; reason: {}", target.kind.code(), target.id, r.code()),
        None => format!("{} {}", target.kind.code(), target.id),
    }
}

/// Who wrote `target`, if it exists.
pub fn author_of(tx: &WriteTransaction, target: Target) -> Result<Option<AccountId>, StoreError> {
    Ok(match target.kind {
        ContentKind::Comment => comments::get(tx, CommentId(target.id))?.map(|c| c.author),
        ContentKind::Proposal => proposals::get(tx, ProposalId(target.id))?.map(|p| p.author),
        ContentKind::Consultation | ContentKind::Report | ContentKind::Meeting | ContentKind::Page => None,
    })
}

/// Hides `target` for `reason`, records it, and tells its author why by
/// mail, in their language, with the moderator's message if any and a link
/// to `place` (where the content was). An erased author is told nothing.
pub fn hide(
    tx: &WriteTx,
    moderator: &Actor,
    target: Target,
    reason: Reason,
    message: &str,
    place: &str,
    now: i64,
) -> Result<Outcome, ModerationError> {
    let by = moderator.account.ok_or(ModerationError::NotAllowed)?;
    let decision = Decision::Hide { reason, message: message.to_string() };
    let outcome = decide(tx, target, &decision, by, now)?;
    let author = author_of(tx, target)?;
    let account = author.map(|id| accounts::get_in(tx, id)).transpose().map_err(|e| match e {
        accounts::AccountError::Store(s) => ModerationError::Store(s),
        // Reading a record fails only in the store; anything else is a bug.
        other => ModerationError::Store(StoreError::Internal(other.to_string())),
    })?;
    if let Some(a) = account.flatten().filter(|a| !a.is_erased()) {
        let lang = a.language;
        let mut text = lang.ta(
            "moderation-mail-hidden-text",
            &[("kind", Arg::from(lang.t(kind_key(target.kind)))), ("reason", Arg::from(lang.t(reason_key(reason))))],
        );
        if !message.is_empty() {
            text.push_str("\n\n");
            text.push_str(&lang.ta("moderation-mail-hidden-message", &[("message", Arg::from(message))]));
        }
        let subject = lang.t("moderation-mail-hidden-subject");
        let mail =
            Template::Notification { name: a.display_name.clone(), subject, text, link: Some(place.to_string()) };
        accounts::tell(tx, &a, mail)?;
    }
    moderator.record(tx, Action::ContentHidden, author, detail(target, Some(reason)), now)?;
    Ok(outcome)
}

/// Approves held content, restores hidden content, or keeps reported
/// content and closes its reports; recorded as what it was.
pub fn publish(tx: &WriteTransaction, moderator: &Actor, target: Target, now: i64) -> Result<Outcome, ModerationError> {
    let by = moderator.account.ok_or(ModerationError::NotAllowed)?;
    let outcome = decide(tx, target, &Decision::Publish, by, now)?;
    let action = match outcome.before {
        Status::Held => Action::ContentApproved,
        Status::Hidden => Action::ContentRestored,
        Status::Published => Action::ReportsDismissed,
    };
    moderator.record(tx, action, author_of(tx, target)?, detail(target, None), now)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit;
    use crate::store::Store;

    #[tokio::test]
    async fn a_decision_is_recorded_with_its_moderator_and_the_author_and_needs_a_moderator() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let t = super::super::tests::proposal(&store).await;
        let nobody = Actor::anonymous("192.0.2.9");
        let refused = store.write(move |tx| hide(tx, &nobody, t, Reason::Spam, "", "/x", 10)).await;
        assert!(matches!(refused, Err(ModerationError::NotAllowed)));
        let moderator = Actor::person(AccountId(9), "192.0.2.1");
        let m = moderator.clone();
        let hidden = store.write(move |tx| hide(tx, &m, t, Reason::Spam, "", "/x", 10)).await.unwrap();
        assert_eq!(hidden.after, Status::Hidden);
        let restored = store.write(move |tx| publish(tx, &moderator, t, 20)).await.unwrap();
        assert_eq!(restored.before, Status::Hidden);
        let tx = store.read().unwrap();
        let events = audit::list(&tx, &audit::Filter::default(), None, 10).unwrap();
        let seen: Vec<_> = events
            .iter()
            .map(|(_, e)| (e.action, e.actor.map(AccountId::get), e.subject.map(AccountId::get), e.detail.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Action::ContentRestored, Some(9), Some(5), "proposal 1"),
                (Action::ContentHidden, Some(9), Some(5), "proposal 1; reason: spam"),
            ]
        );
    }
}
