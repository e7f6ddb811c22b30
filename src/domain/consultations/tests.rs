use super::*;
use crate::domain::accounts::{self, tests::new as resident};
use crate::domain::audit::Actor;
use crate::store::Store;

fn question(page: u32, label: &str, kind: Kind) -> Question {
    Question {
        id: 0,
        page,
        label: label.into(),
        hint: String::new(),
        required: false,
        hidden: false,
        kind,
        show_if: None,
    }
}

fn raw(values: &[&str]) -> Raw {
    Raw { values: values.iter().map(|v| v.to_string()).collect(), other: String::new() }
}

fn colours() -> Kind {
    Kind::Single { options: vec!["Rouge".into(), "Vert".into()], dropdown: false, other: true }
}

#[test]
fn each_kind_takes_what_it_should_and_refuses_the_rest() {
    let mut required = question(1, "Nom de la rue", Kind::ShortText);
    required.required = true;
    assert_eq!(validate(&required, &raw(&[" "])), Err(FieldError::Required));
    assert_eq!(validate(&required, &raw(&["Rue Haute"])), Ok(Some(Value::Text("Rue Haute".into()))));
    assert_eq!(validate(&question(1, "x", Kind::ShortText), &raw(&[])), Ok(None));

    let single = question(1, "Couleur", colours());
    assert_eq!(validate(&single, &raw(&["1"])), Ok(Some(Value::Choice { option: 1, other: None })));
    assert_eq!(validate(&single, &raw(&["3"])), Err(FieldError::NotAnOption));
    assert_eq!(validate(&single, &raw(&["2"])), Err(FieldError::OtherEmpty));
    let other = Raw { values: vec![], other: " Bleu ".into() };
    assert_eq!(validate(&single, &other), Ok(Some(Value::Choice { option: 2, other: Some("Bleu".into()) })));

    let multiple = question(
        1,
        "Jours",
        Kind::Multiple { options: vec!["Lundi".into(), "Mardi".into(), "Jeudi".into()], min: 1, max: 2, other: false },
    );
    assert_eq!(validate(&multiple, &raw(&["2", "0"])), Ok(Some(Value::Choices { options: vec![0, 2], other: None })));
    assert_eq!(validate(&multiple, &raw(&["0", "1", "2"])), Err(FieldError::TooMany(2)));
    assert_eq!(validate(&multiple, &raw(&["3"])), Err(FieldError::NotAnOption));

    let scale = question(
        1,
        "Satisfaction",
        Kind::Scale { from: 0, to: 10, low: "Pas du tout".into(), high: "Tout à fait".into() },
    );
    assert_eq!(validate(&scale, &raw(&["10"])), Ok(Some(Value::Scale(10))));
    assert_eq!(validate(&scale, &raw(&["11"])), Err(FieldError::OutOfRange(Some(0), Some(10))));

    let number = question(1, "Enfants", Kind::Number { min: Some(0), max: Some(1500) });
    assert_eq!(validate(&number, &raw(&["1 500"])), Ok(Some(Value::Number(1500))));
    assert_eq!(validate(&number, &raw(&["-1"])), Err(FieldError::OutOfRange(Some(0), Some(1500))));
    assert_eq!(validate(&number, &raw(&["beaucoup"])), Err(FieldError::NotANumber));

    let date = question(1, "Date", Kind::Date);
    assert_eq!(validate(&date, &raw(&["2026-12-01"])), Ok(Some(Value::Date("2026-12-01".into()))));
    assert_eq!(validate(&date, &raw(&["14/07/2026"])), Ok(Some(Value::Date("2026-07-14".into()))));
    assert_eq!(validate(&date, &raw(&["2026-02-30"])), Err(FieldError::NotADate));
    assert_eq!(validate(&date, &raw(&["30/02/2026"])), Err(FieldError::NotADate));
    assert_eq!(validate(&question(1, "Lisez", Kind::Info), &raw(&["x"])), Ok(None));
}

#[test]
fn staff_questions_are_checked() {
    let one_option = Kind::Single { options: vec!["Seule".into()], dropdown: false, other: false };
    assert_eq!(check_question(&question(1, "Q", one_option)), Err(QuestionProblem::Options));
    assert_eq!(
        check_question(&question(1, "Q", Kind::Scale { from: 2, to: 7, low: String::new(), high: String::new() })),
        Err(QuestionProblem::Scale)
    );
    assert_eq!(check_question(&question(1, " ", Kind::Date)), Err(QuestionProblem::EmptyLabel));
    assert_eq!(
        check_question(&question(1, "Q", Kind::Number { min: Some(5), max: Some(1) })),
        Err(QuestionProblem::Bounds)
    );
    assert!(is_small_correction("Quelle couleur préférez-vous ?", "Quelle couleur préferez-vous ?"));
    assert!(!is_small_correction("Êtes-vous pour ?", "Êtes-vous contre ?"));
}

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
    (dir, store)
}

/// A published consultation, open from 100 to 1000, with a required
/// choice on page 1 and a scale on page 2.
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
            let mut colour = question(1, "Couleur des bancs", colours());
            colour.required = true;
            add_question(tx, &actor, id, &colour, 10)?;
            let scale = Kind::Scale { from: 1, to: 5, low: "Non".into(), high: "Oui".into() };
            add_question(tx, &actor, id, &question(2, "Content ?", scale), 10)?;
            publish(tx, &actor, id, Dates { opens_at: 100, closes_at: 1000 }, 10)?;
            Ok::<_, ConsultationError>(id)
        })
        .await
        .unwrap()
}

fn answers_of(choice: &str, scale: &str) -> BTreeMap<u32, Raw> {
    BTreeMap::from([(1, raw(&[choice])), (2, raw(&[scale]))])
}

#[tokio::test]
async fn answers_move_the_counts_once_per_account_and_the_meaning_is_locked() {
    let (_dir, store) = setup();
    let id = open_one(&store).await;
    let c = store.read().map(|tx| get(&tx, id).unwrap().unwrap()).unwrap();
    assert_eq!((c.phase(99), c.phase(100), c.phase(1000)), (Phase::Forthcoming, Phase::Open, Phase::Closed));
    assert_eq!(c.pages(), vec![1, 2]);
    let new = resident("a@x.test");
    let a = store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
    let send = |who: Respondent, fields: BTreeMap<u32, Raw>, now: i64| {
        store.write(move |tx| submit(tx, id, who.clone(), &fields, now))
    };
    assert!(matches!(send(Respondent::Visitor, answers_of("0", "5"), 50).await, Err(ConsultationError::NotOpen)));
    match send(Respondent::Visitor, answers_of("", "9"), 150).await {
        Err(ConsultationError::Invalid(e)) => {
            assert_eq!(e, vec![(1, FieldError::Required), (2, FieldError::OutOfRange(Some(1), Some(5)))])
        }
        other => panic!("{other:?}"),
    }
    send(Respondent::Account(a), answers_of("0", "5"), 150).await.unwrap();
    assert!(matches!(
        send(Respondent::Account(a), answers_of("1", "1"), 151).await,
        Err(ConsultationError::AlreadyAnswered)
    ));
    send(Respondent::Visitor, answers_of("0", "2"), 152).await.unwrap();
    let done = send(Respondent::Visitor, BTreeMap::from([(1, raw(&["1"]))]), 153).await.unwrap();
    assert_eq!(done.number, 3);

    let tx = store.read().unwrap();
    let r = results(&tx, &c).unwrap();
    assert_eq!((r.answers, r.visitors), (3, 2));
    let colour = &r.questions[0];
    assert_eq!(colour.counts.iter().map(|c| c.count).collect::<Vec<_>>(), vec![2, 1, 0]);
    assert_eq!((colour.answered, colour.percent(2)), (3, 66.7));
    let scale = &r.questions[1];
    assert_eq!((scale.answered, scale.average), (2, Some(3.5)));
    assert_eq!(scale.counts.iter().map(|c| c.count).collect::<Vec<_>>(), vec![0, 1, 0, 0, 1]);
    drop(tx);
    assert!(store.verify().unwrap().is_ok());
    // A count that no longer matches the answers is found by `verify`.
    store
        .write(move |tx| {
            tx.open_table(tables::CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?.insert((id.get(), 1, 2), 5)?;
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let report = store.verify().unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    store
        .write(move |tx| {
            tx.open_table(tables::CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?.remove((id.get(), 1, 2))?;
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();

    // Answers exist: a typo may be fixed, the meaning may not change.
    let fixed = Question { id: 1, required: true, ..question(1, "Couleur des banc", colours()) };
    let changed = Question {
        kind: Kind::Single { options: vec!["Rouge".into(), "Bleu marine".into()], dropdown: false, other: true },
        ..fixed.clone()
    };
    let actor = Actor::command_line();
    let edit = |q: Question| {
        let actor = actor.clone();
        store.write(move |tx| edit_question(tx, &actor, id, 1, &q, 200))
    };
    edit(fixed).await.unwrap();
    assert!(matches!(edit(changed).await, Err(ConsultationError::MeaningLocked)));
}

#[tokio::test]
async fn paper_and_interview_answers_count_by_channel_until_the_grace_ends() {
    let (_dir, store) = setup();
    let id = open_one(&store).await;
    let places = vec!["Centre".to_string(), "Les Prés".to_string()];
    let grace = 14 * 86_400;
    let offline = |channel: Channel, neighbourhood: Option<&str>, fields: BTreeMap<u32, Raw>, now: i64| {
        let (places, neighbourhood) = (places.clone(), neighbourhood.map(str::to_string));
        store.write(move |tx| {
            let actor = Actor::command_line();
            submit_offline(tx, &actor, id, channel, neighbourhood.clone(), &places, &fields, grace, now)
        })
    };
    // Not before it opens; and a neighbourhood must be one of the commune's.
    assert!(matches!(offline(Channel::Paper, None, answers_of("0", "5"), 50).await, Err(ConsultationError::NotOpen)));
    assert!(matches!(
        offline(Channel::Paper, Some("Ailleurs"), answers_of("0", "5"), 150).await,
        Err(ConsultationError::UnknownNeighbourhood)
    ));
    // Checked as a resident's answer is.
    assert!(matches!(
        offline(Channel::Paper, None, answers_of("", "5"), 150).await,
        Err(ConsultationError::Invalid(_))
    ));
    store.write(move |tx| submit(tx, id, Respondent::Visitor, &answers_of("0", "1"), 150)).await.unwrap();
    offline(Channel::Paper, Some("Centre"), answers_of("1", "5"), 150).await.unwrap();
    // After the close (1000), within the grace.
    let done = offline(Channel::Interview, None, answers_of("0", ""), 2000).await.unwrap();
    assert_eq!(done.number, 3);
    offline(Channel::Paper, None, answers_of("1", "4"), 1000 + grace - 1).await.unwrap();
    assert!(matches!(
        offline(Channel::Interview, None, answers_of("0", "5"), 1000 + grace).await,
        Err(ConsultationError::NotOpen)
    ));
    // Residents get no grace.
    assert!(matches!(
        store.write(move |tx| submit(tx, id, Respondent::Visitor, &answers_of("0", "1"), 1001)).await,
        Err(ConsultationError::NotOpen)
    ));

    let tx = store.read().unwrap();
    let c = get(&tx, id).unwrap().unwrap();
    let r = results(&tx, &c).unwrap();
    assert_eq!((r.answers, r.visitors, r.paper, r.interview), (4, 1, 2, 1));
    let colour = &r.questions[0];
    assert_eq!(colour.counts.iter().map(|c| c.count).collect::<Vec<_>>(), vec![2, 2, 0]);
    assert_eq!((colour.paper.clone(), colour.interview.clone()), (vec![0, 2, 0], vec![1, 0, 0]));
    assert_eq!((colour.answered_paper, colour.answered_interview), (2, 1));
    let scale = &r.questions[1];
    // The interview left the scale unanswered.
    assert_eq!((scale.answered, scale.answered_paper, scale.answered_interview), (3, 2, 0));
    assert_eq!(scale.paper, vec![0, 0, 0, 1, 1]);
    let kept = answers(&tx, id).unwrap();
    assert_eq!(
        kept[1].respondent,
        Respondent::Offline { channel: Channel::Paper, neighbourhood: Some("Centre".into()) }
    );
    drop(tx);
    // The counts by channel are recounted from the answers like the others.
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
