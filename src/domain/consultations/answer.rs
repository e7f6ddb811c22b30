//! The residents' operations: keep what a signed-in person typed between
//! pages, and send an answer (one per account), which moves the result
//! counts in the same transaction.

use redb::{ReadableTable, WriteTransaction};

use super::groups::{self, Group};
use super::*;
use crate::domain::audit::{Action, Actor};

/// Who answers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Respondent {
    Account(AccountId),
    /// Someone not signed in, where the consultation takes anyone's answer:
    /// the web layer guards against the same browser answering twice.
    Visitor,
    /// A signed-in person whose account was since erased: the answer is
    /// kept, counted as before, and names nobody (`personal.rs`). Last, so
    /// that the stored variants keep their numbers.
    Erased,
    /// Someone without an account whose answer staff typed in, from a
    /// paper form or an interview at the town hall, with the neighbourhood
    /// they gave (one of the commune's). Who typed it is in the audit log,
    /// not here: the answer names nobody. Last, after `Erased`, so that the
    /// stored variants keep their numbers.
    Offline {
        channel: Channel,
        neighbourhood: Option<String>,
    },
}

/// How an answer reached the town hall, other than online.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Paper,
    Interview,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Paper, Channel::Interview];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Paper => "paper",
            Channel::Interview => "interview",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Respondent {
    /// The channel of an answer typed in by staff; `None` for one sent online.
    pub fn channel(&self) -> Option<Channel> {
        match self {
            Respondent::Offline { channel, .. } => Some(*channel),
            Respondent::Account(_) | Respondent::Visitor | Respondent::Erased => None,
        }
    }
}

/// How long after the close staff may still type in paper and interview
/// answers, by default (`consultations.paper_grace_days`): forms handed in
/// on the last day reach the office later, and should still count.
pub const DEFAULT_PAPER_GRACE_DAYS: u32 = 14;

/// An answer received.
#[derive(Clone, Debug, PartialEq)]
pub struct Submitted {
    pub number: u64,
    pub receipt: String,
}

/// Keeps what `account` typed so far (on every page they went through).
pub fn save_draft(
    tx: &WriteTransaction,
    id: ConsultationId,
    account: AccountId,
    fields: &BTreeMap<u32, Raw>,
    now: i64,
) -> Result<(), ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if c.phase(now) != Phase::Open {
        return Err(ConsultationError::NotOpen);
    }
    // Only fields of questions that exist: a form cannot fill the table.
    let fields = fields.iter().filter(|(q, _)| c.question(**q).is_some()).map(|(q, r)| (*q, r.clone())).collect();
    let draft = Draft { fields, at: now };
    tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?
        .insert((id.get(), account.get()), encode(&draft)?.as_slice())?;
    Ok(())
}

/// What `account` typed so far, if anything.
pub fn draft(tx: &impl Tx, id: ConsultationId, account: AccountId) -> Result<Option<Draft>, StoreError> {
    let table = tx.open(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?;
    let found = table.get((id.get(), account.get()))?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Whether `account` already answered.
pub fn has_answered(tx: &impl Tx, id: ConsultationId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?.get((id.get(), account.get()))?.is_some())
}

/// The answer `account` sent, if any (for its receipt).
pub fn answer_of(tx: &impl Tx, id: ConsultationId, account: AccountId) -> Result<Option<Answer>, StoreError> {
    let number =
        tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?.get((id.get(), account.get()))?.map(|v| v.value());
    let Some(number) = number else { return Ok(None) };
    let table = tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let found = table.get((id.get(), number))?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Sends an answer: the consultation must be open and take this respondent;
/// an account answers once (checked here, in the transaction that writes
/// the answer, so that many submissions at once give one answer); every
/// shown question's answer must pass its rules. The answer, the one-answer
/// index and every count it moves are written together, and the draft goes.
pub fn submit(
    tx: &WriteTransaction,
    id: ConsultationId,
    respondent: Respondent,
    fields: &BTreeMap<u32, Raw>,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if c.phase(now) != Phase::Open {
        return Err(ConsultationError::NotOpen);
    }
    let role = match &respondent {
        Respondent::Account(account) => Some(crate::domain::accounts::role_of(tx, *account)?.unwrap_or(Role::Resident)),
        Respondent::Visitor | Respondent::Erased | Respondent::Offline { .. } => None,
    };
    if !c.audience.admits(role) {
        return Err(match role {
            None => ConsultationError::SignInRequired,
            Some(_) => ConsultationError::NotVerified,
        });
    }
    if let Respondent::Account(account) = respondent {
        if has_answered(tx, id, account)? {
            return Err(ConsultationError::AlreadyAnswered);
        }
    }
    record(tx, &c, respondent, None, fields, now)
}

/// An answer from a paper form or an interview, typed in by staff (who
/// `actor` names, in the audit log): taken while the consultation is open
/// and for `grace` seconds after its close, checked as a resident's, and
/// counted in this transaction as every answer is.
#[allow(clippy::too_many_arguments)]
pub fn submit_offline(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    channel: Channel,
    neighbourhood: Option<String>,
    places: &[String],
    fields: &BTreeMap<u32, Raw>,
    grace: i64,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let group = Group { neighbourhood, age_bracket: None };
    submit_offline_grouped(tx, actor, id, channel, group, places, fields, grace, now)
}

/// [`submit_offline`] with the person's age bracket too, when they gave it.
#[allow(clippy::too_many_arguments)]
pub fn submit_offline_grouped(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    channel: Channel,
    group: Group,
    places: &[String],
    fields: &BTreeMap<u32, Raw>,
    grace: i64,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if !takes_offline(&c, grace, now) {
        return Err(ConsultationError::NotOpen);
    }
    let Group { neighbourhood, age_bracket } = group;
    if neighbourhood.as_ref().is_some_and(|n| !places.contains(n)) {
        return Err(ConsultationError::UnknownNeighbourhood);
    }
    let done = record(tx, &c, Respondent::Offline { channel, neighbourhood }, age_bracket, fields, now)?;
    actor.record(
        tx,
        Action::ConsultationAnswerTyped,
        None,
        format!("consultation {id}: answer {} typed in ({})", done.number, channel.code()),
        now,
    )?;
    Ok(done)
}

/// Whether staff may type in a paper or interview answer now: while it is
/// open, and for `grace` seconds after it closed.
pub fn takes_offline(c: &Consultation, grace: i64, now: i64) -> bool {
    match (c.phase(now), c.closes_at()) {
        (Phase::Open, _) => true,
        (Phase::Closed, Some(closed)) => now < closed.saturating_add(grace),
        (Phase::Draft | Phase::Forthcoming | Phase::Closed, _) => false,
    }
}

/// Checks the answers against the questions, then keeps the answer and
/// moves every count it touches, its group's too (`typed_age`: the age
/// bracket staff typed in with an offline answer).
fn record(
    tx: &WriteTransaction,
    c: &Consultation,
    respondent: Respondent,
    typed_age: Option<String>,
    fields: &BTreeMap<u32, Raw>,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let id = c.id;
    let (values, shown) = checked(tx, c, fields)?;
    let group = groups::snapshot(tx, &respondent, typed_age)?;
    let (answered, _) = answer_count(tx, id)?;
    let number = answered + 1;
    let mut secret = [0u8; 3];
    getrandom::fill(&mut secret).map_err(|e| ConsultationError::Random(e.to_string()))?;
    // The number says which answer it is; the random part that the person
    // holds the receipt of this one (nobody guesses another's).
    let receipt = format!("{id}-{number}-{}", hex::encode_upper(secret));
    let answer = Answer {
        consultation: id,
        number,
        respondent,
        at: now,
        receipt: receipt.clone(),
        values,
        shown,
        edited_at: None,
    };
    tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?
        .insert((id.get(), number), encode(&answer)?.as_slice())?;
    if let Respondent::Account(account) = answer.respondent {
        tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?.insert((id.get(), account.get()), number)?;
        tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?.remove((id.get(), account.get()))?;
    }
    groups::keep(tx, &answer, &group)?;
    move_counts(tx, &answer, Direction::Up)?;
    Ok(Submitted { number, receipt })
}

/// Whether an answer's counts go in or out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Up,
    Down,
}

/// Moves every count `answer` touches (`tables::counts_of`, the one list
/// of them, and its group's, `groups::move_counts`) up when it is
/// received, down when it is replaced: so that a kind of count added later
/// follows both ways. Its group is the one kept with it.
pub(super) fn move_counts(tx: &WriteTransaction, answer: &Answer, way: Direction) -> Result<(), StoreError> {
    groups::move_counts(tx, answer, way)?;
    let mut counts = tx.open_table(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?;
    for (q, option) in tables::counts_of(answer) {
        let key = (answer.consultation.get(), q, option);
        let n = counts.get(key)?.map(|v| v.value()).unwrap_or(0);
        match way {
            Direction::Up => counts.insert(key, n + 1)?,
            // Never below zero, and no key left at zero (verify compares
            // the counts kept above zero).
            Direction::Down if n <= 1 => counts.remove(key)?,
            Direction::Down => counts.insert(key, n - 1)?,
        };
    }
    Ok(())
}

/// The values of the questions asked, each checked, and the questions
/// with a condition that were asked; or every field refused.
#[allow(clippy::type_complexity)]
pub(super) fn checked(
    tx: &impl Tx,
    c: &Consultation,
    fields: &BTreeMap<u32, Raw>,
) -> Result<(BTreeMap<u32, Value>, Vec<u32>), ConsultationError> {
    let empty = Raw::default();
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    // A question whose condition is not met is not asked: neither checked
    // nor kept, whatever was typed into it.
    let asked = conditions::asked(c, fields);
    for q in c.questions.iter().filter(|q| asked.contains(&q.id)) {
        match validate_in(tx, q, fields.get(&q.id).unwrap_or(&empty))? {
            Ok(Some(v)) => {
                values.insert(q.id, v);
            }
            Ok(None) => {}
            Err(e) => errors.push((q.id, e)),
        }
    }
    if !errors.is_empty() {
        return Err(ConsultationError::Invalid(errors));
    }
    let shown = c.questions.iter().filter(|q| q.show_if.is_some() && asked.contains(&q.id)).map(|q| q.id).collect();
    Ok((values, shown))
}
