//! Who answered: each answer keeps its respondent's neighbourhood and age
//! bracket as they were on the day (so that a move or a birthday later never
//! shifts the results), and moves the counts of its group in its own
//! transaction, so that the results page splits them without reading an
//! answer. A signed-in person's come from their account, which holds them
//! only when they consented; staff typing a paper or interview answer give
//! what the person said; a visitor has none ("non renseigné").

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::answer::Direction;
use super::tables::{self, CONSULTATION_GROUP_BY_CONSULTATION_NUMBER as GROUP_BY_NUMBER};
use super::tables::{
    CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER, CONSULTATION_GROUP_COUNT_BY_CONSULTATION_CELL_QUESTION_OPTION as COUNTS,
};
use super::{Answer, ConsultationError, ConsultationId, Respondent};
use crate::domain::accounts::{self, AGE_BRACKETS};
use crate::store::{decode, encode, Record, StoreError, Tx};

/// How a neighbourhood or an age not known is written in the counts' keys.
pub const UNKNOWN: &str = "";

/// A respondent's group on the day they answered; `None` where not known.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub neighbourhood: Option<String>,
    /// One of [`AGE_BRACKETS`].
    pub age_bracket: Option<String>,
}

impl Record for Group {
    const NAME: &'static str = "consultation answer group";
    const VERSION: u8 = 1;
}

impl Group {
    /// The (neighbourhood, age bracket) of the counts' keys.
    pub fn cell(&self) -> (&str, &str) {
        (self.neighbourhood.as_deref().unwrap_or(UNKNOWN), self.age_bracket.as_deref().unwrap_or(UNKNOWN))
    }

    fn from_cell(neighbourhood: &str, age: &str) -> Group {
        let known = |s: &str| Some(s.to_string()).filter(|s| s != UNKNOWN);
        Group { neighbourhood: known(neighbourhood), age_bracket: known(age) }
    }
}

/// The group of `respondent` today. `typed_age` is the age bracket staff
/// typed in with a paper or interview answer (refused unless one of
/// [`AGE_BRACKETS`]); an account's are read from it, in the answer's
/// transaction.
pub(super) fn snapshot(
    tx: &WriteTransaction,
    respondent: &Respondent,
    typed_age: Option<String>,
) -> Result<Group, ConsultationError> {
    if typed_age.as_deref().is_some_and(|a| !AGE_BRACKETS.contains(&a)) {
        return Err(ConsultationError::UnknownAgeBracket);
    }
    Ok(match respondent {
        Respondent::Account(id) => {
            let account = accounts::get_without_address(tx, *id).map_err(|e| StoreError::Internal(e.to_string()))?;
            match account {
                Some(a) => Group { neighbourhood: a.neighbourhood, age_bracket: a.age_bracket },
                None => Group::default(),
            }
        }
        Respondent::Offline { neighbourhood, .. } => {
            Group { neighbourhood: neighbourhood.clone(), age_bracket: typed_age }
        }
        Respondent::Visitor | Respondent::Erased => Group::default(),
    })
}

/// Keeps `answer`'s group (called by the one function that records an
/// answer, in its transaction, before its counts move).
pub(super) fn keep(tx: &WriteTransaction, answer: &Answer, group: &Group) -> Result<(), StoreError> {
    if *group != Group::default() {
        tx.open_table(GROUP_BY_NUMBER)?
            .insert((answer.consultation.get(), answer.number), encode(group)?.as_slice())?;
    }
    Ok(())
}

/// Moves the counts of `answer`'s group (the one kept with it) up or down:
/// called by `answer::move_counts`, so that an answer received or changed
/// moves them as it moves the others.
pub(super) fn move_counts(tx: &WriteTransaction, answer: &Answer, way: Direction) -> Result<(), StoreError> {
    let id = answer.consultation.get();
    let group = group_of(tx, answer.consultation, answer.number)?;
    let (place, age) = group.cell();
    let mut counts = tx.open_table(COUNTS)?;
    for (q, option) in tables::group_counts_of(answer) {
        let key = (id, place, age, q, option);
        let n = counts.get(key)?.map(|v| v.value()).unwrap_or(0);
        match way {
            Direction::Up => counts.insert(key, n + 1)?,
            Direction::Down if n <= 1 => counts.remove(key)?,
            Direction::Down => counts.insert(key, n - 1)?,
        };
    }
    Ok(())
}

/// The group an answer was kept with.
pub fn group_of(tx: &impl Tx, id: ConsultationId, number: u64) -> Result<Group, StoreError> {
    let table = tx.open(GROUP_BY_NUMBER)?;
    let found = table.get((id.get(), number))?;
    match found {
        Some(bytes) => decode(bytes.value()),
        None => Ok(Group::default()),
    }
}

/// The counts of one group of respondents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellCounts {
    /// How many answered.
    pub respondents: u64,
    /// (question id, option) → count; option [`tables::ANSWERED`] counts
    /// who answered the question.
    pub counts: BTreeMap<(u32, u32), u64>,
}

impl CellCounts {
    pub fn get(&self, question: u32, option: u32) -> u64 {
        self.counts.get(&(question, option)).copied().unwrap_or(0)
    }
}

/// A consultation's counts for each group that answered: one range read.
pub fn group_counts(tx: &impl Tx, id: ConsultationId) -> Result<BTreeMap<Group, CellCounts>, StoreError> {
    let table = tx.open(COUNTS)?;
    let mut out: BTreeMap<Group, CellCounts> = BTreeMap::new();
    let (from, to) = ((id.get(), UNKNOWN, UNKNOWN, 0, 0), (id.get().saturating_add(1), UNKNOWN, UNKNOWN, 0, 0));
    for row in table.range(from..to)? {
        let (key, n) = row?;
        let (_, place, age, q, option) = key.value();
        let cell = out.entry(Group::from_cell(place, age)).or_default();
        if q == tables::TOTALS {
            cell.respondents = n.value();
        } else {
            cell.counts.insert((q, option), n.value());
        }
    }
    Ok(out)
}

/// Every group names an answer, and the groups' counts equal the answers
/// counted again with the group each was kept with.
pub(super) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let answers = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let groups = tx.open_table(GROUP_BY_NUMBER)?;
    for row in groups.iter()? {
        let (c, number) = row?.0.value();
        if answers.get((c, number))?.is_none() {
            problems.push(format!("the group of answer {number} of consultation {c} names a missing answer"));
        }
    }
    let mut expected: BTreeMap<(u64, String, String, u32, u32), u64> = BTreeMap::new();
    for row in answers.iter()? {
        let (key, bytes) = row?;
        let (c, number) = key.value();
        let Ok(answer) = decode::<Answer>(bytes.value()) else { continue };
        let group = match groups.get((c, number))? {
            Some(bytes) => decode::<Group>(bytes.value())?,
            None => Group::default(),
        };
        let (place, age) = group.cell();
        for (q, option) in tables::group_counts_of(&answer) {
            *expected.entry((c, place.to_string(), age.to_string(), q, option)).or_default() += 1;
        }
    }
    let mut stored = BTreeMap::new();
    for row in tx.open_table(COUNTS)?.iter()? {
        let (key, n) = row?;
        let (c, place, age, q, option) = key.value();
        if n.value() > 0 {
            stored.insert((c, place.to_string(), age.to_string(), q, option), n.value());
        }
    }
    if stored != expected {
        let wrong = expected.iter().filter(|(k, n)| stored.get(*k) != Some(n)).count()
            + stored.keys().filter(|k| !expected.contains_key(*k)).count();
        problems.push(format!("{wrong} group count(s) differ from the answers counted again"));
    }
    Ok(problems)
}

/// Migration 21: the groups of the answers kept before groups were, and
/// their counts. Only a paper or interview answer knew a group then (the
/// neighbourhood staff typed in); a signed-in person's account today may
/// not be what it was on the day, so theirs stays not known.
pub fn backfill(tx: &WriteTransaction) -> Result<(), StoreError> {
    let mut found = Vec::new();
    for row in tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?.iter()? {
        found.push(decode::<Answer>(row?.1.value())?);
    }
    for answer in found {
        let group = match &answer.respondent {
            Respondent::Offline { neighbourhood, .. } => {
                Group { neighbourhood: neighbourhood.clone(), age_bracket: None }
            }
            Respondent::Account(_) | Respondent::Visitor | Respondent::Erased => Group::default(),
        };
        keep(tx, &answer, &group)?;
        move_counts(tx, &answer, Direction::Up)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::tables::{ALL_ANSWERS, ANSWERED, TOTALS};
    use super::super::*;
    use super::UNKNOWN;
    use crate::domain::accounts::{self, tests::new as resident};
    use crate::domain::audit::Actor;
    use crate::store::Store;

    fn raw(v: &str) -> Raw {
        Raw { values: vec![v.to_string()], other: String::new() }
    }

    /// An open consultation (100 to 1000) with one choice (question 1) and
    /// one text (question 2).
    async fn open_one(store: &Store) -> ConsultationId {
        store
            .write(|tx| {
                let actor = Actor::command_line();
                let details = Details {
                    title: "Le marché".into(),
                    summary: "Quel jour ?".into(),
                    body: String::new(),
                    neighbourhood: None,
                    audience: Audience::Anyone,
                };
                let id = create(tx, &[], &actor, &details, 10)?;
                let q = |label: &str, kind: Kind| Question {
                    id: 0,
                    page: 1,
                    label: label.into(),
                    hint: String::new(),
                    required: false,
                    hidden: false,
                    kind,
                    show_if: None,
                };
                let day =
                    Kind::Single { options: vec!["Samedi".into(), "Dimanche".into()], dropdown: false, other: false };
                add_question(tx, &actor, id, &q("Quel jour ?", day), 10)?;
                add_question(tx, &actor, id, &q("Pourquoi ?", Kind::ShortText), 10)?;
                publish(tx, &actor, id, Dates { opens_at: 100, closes_at: 1000 }, 10)?;
                Ok::<_, ConsultationError>(id)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn each_answer_keeps_its_group_of_the_day_and_moves_its_counts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
        let id = open_one(&store).await;
        let new = resident("a@x.test");
        let a = store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
        store
            .write(move |tx| {
                accounts::update(tx, a, |acc| {
                    acc.neighbourhood = Some("Centre".into());
                    acc.age_bracket = Some("18-29".into());
                })
            })
            .await
            .unwrap();
        let fields = |day: &str| BTreeMap::from([(1, raw(day)), (2, raw("parce que"))]);
        let f = fields("0");
        store.write(move |tx| submit(tx, id, Respondent::Account(a), &f, 150)).await.unwrap();
        let f = fields("1");
        store.write(move |tx| submit(tx, id, Respondent::Visitor, &f, 150)).await.unwrap();
        let places = vec!["Centre".to_string(), "Nord".to_string()];
        let offline = |age: &str| {
            let (f, places) = (fields("1"), places.clone());
            let group = Group { neighbourhood: Some("Nord".into()), age_bracket: Some(age.to_string()) };
            store.write(move |tx| {
                let actor = Actor::command_line();
                submit_offline_grouped(tx, &actor, id, Channel::Paper, group.clone(), &places, &f, 0, 150)
            })
        };
        assert!(matches!(offline("17-ish").await, Err(ConsultationError::UnknownAgeBracket)));
        offline("75-plus").await.unwrap();
        // The person moves and grows older: what they answered stays where it was.
        store
            .write(move |tx| {
                accounts::update(tx, a, |acc| {
                    acc.neighbourhood = Some("Nord".into());
                    acc.age_bracket = Some("30-44".into());
                })
            })
            .await
            .unwrap();

        let tx = store.read().unwrap();
        let centre = Group { neighbourhood: Some("Centre".into()), age_bracket: Some("18-29".into()) };
        let nord = Group { neighbourhood: Some("Nord".into()), age_bracket: Some("75-plus".into()) };
        assert_eq!(group_of(&tx, id, 1).unwrap(), centre);
        assert_eq!(group_of(&tx, id, 2).unwrap(), Group::default());
        assert_eq!(group_of(&tx, id, 3).unwrap(), nord);
        let cells = group_counts(&tx, id).unwrap();
        assert_eq!(cells.keys().cloned().collect::<Vec<_>>(), vec![Group::default(), centre.clone(), nord.clone()]);
        assert_eq!(Group::default().cell(), (UNKNOWN, UNKNOWN));
        let c = &cells[&centre];
        assert_eq!((c.respondents, c.get(1, ANSWERED), c.get(1, 0), c.get(1, 1)), (1, 1, 1, 0));
        // The text question is not counted per group.
        assert_eq!(c.get(2, ANSWERED), 0);
        assert_eq!(cells[&nord].get(1, 1), 1);
        assert_eq!(cells[&Group::default()].respondents, 1);
        assert!(!c.counts.contains_key(&(TOTALS, ALL_ANSWERS)));
        drop(tx);
        let report = store.verify().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }

    /// Migration 21 gives the answers kept before it their groups: a paper
    /// answer its neighbourhood, the others none; `verify` then agrees.
    #[test]
    fn step_24_counts_the_answers_kept_before_it() {
        use crate::store::schema::MIGRATIONS;
        use redb::ReadableDatabase;
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
        crate::store::db::migrate_with(&db, &MIGRATIONS[..23]).unwrap();
        let tx = db.begin_write().unwrap();
        for (number, respondent) in [
            (1, Respondent::Visitor),
            (2, Respondent::Offline { channel: Channel::Paper, neighbourhood: Some("Nord".into()) }),
        ] {
            let answer = Answer {
                consultation: ConsultationId(1),
                number,
                respondent,
                at: 1,
                receipt: String::new(),
                values: BTreeMap::from([(1, Value::Choice { option: 0, other: None })]),
                shown: Vec::new(),
                edited_at: None,
            };
            tx.open_table(tables::CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)
                .unwrap()
                .insert((1, number), crate::store::encode(&answer).unwrap().as_slice())
                .unwrap();
        }
        tx.commit().unwrap();
        crate::store::db::migrate(&db).unwrap();
        let tx = db.begin_read().unwrap();
        assert_eq!(group_of(&tx, ConsultationId(1), 1).unwrap(), Group::default());
        let nord = Group { neighbourhood: Some("Nord".into()), age_bracket: None };
        assert_eq!(group_of(&tx, ConsultationId(1), 2).unwrap(), nord);
        let cells = group_counts(&tx, ConsultationId(1)).unwrap();
        assert_eq!((cells[&nord].respondents, cells[&nord].get(1, 0)), (1, 1));
        assert_eq!(cells[&Group::default()].respondents, 1);
        assert!(super::verify(&tx).unwrap().is_empty());
    }
}
