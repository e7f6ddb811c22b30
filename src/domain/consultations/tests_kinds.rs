//! The ranking, the matrix and the place on the map: their answers' rules,
//! the staff's questions, their counts and results (checked by hand), the
//! meaning lock, and that stored records keep their encoding.

use super::*;
use crate::domain::addresses;
use crate::domain::audit::Actor;
use crate::store::Store;

fn question(label: &str, required: bool, kind: Kind) -> Question {
    Question { id: 0, page: 1, label: label.into(), hint: String::new(), required, hidden: false, kind, show_if: None }
}

fn raw(values: &[&str]) -> Raw {
    Raw { values: values.iter().map(|v| v.to_string()).collect(), other: String::new() }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

fn ranking() -> Kind {
    Kind::Ranking { items: words(&["Bancs", "Jeux", "Ombre"]) }
}

fn matrix(columns: &[&str]) -> Kind {
    Kind::Matrix {
        rows: words(&["Propreté", "Éclairage"]),
        columns: words(columns),
        from: 1,
        to: 5,
        low: "Mauvais".into(),
        high: "Très bon".into(),
    }
}

fn kinds(e: KindsError) -> FieldError {
    FieldError::Kinds(e)
}

#[test]
fn a_ranking_takes_each_item_once_at_a_position_of_its_own() {
    let q = question("Classez", true, ranking());
    // The order the values arrive in does not matter: each names its item.
    assert_eq!(validate(&q, &raw(&["2:1", "0:3", "1:2"])), Ok(Some(Value::Ranking(vec![3, 2, 1]))));
    assert_eq!(validate(&q, &raw(&["0:1", "1:1", "2:3"])), Err(kinds(KindsError::RankShared)));
    assert_eq!(validate(&q, &raw(&["0:1", "", "2:2"])), Err(kinds(KindsError::RankMissing)));
    assert_eq!(validate(&q, &raw(&["", "", ""])), Err(FieldError::Required));
    assert_eq!(validate(&q, &raw(&["3:1"])), Err(FieldError::NotAnOption));
    assert_eq!(validate(&q, &raw(&["0:4"])), Err(FieldError::NotAnOption));
    assert_eq!(validate(&q, &raw(&["0:0"])), Err(FieldError::NotAnOption));
    let optional = question("Classez", false, ranking());
    assert_eq!(validate(&optional, &raw(&["", "", ""])), Ok(None));
    // Partly ranked is refused even when optional: it cannot be counted.
    assert_eq!(validate(&optional, &raw(&["0:1"])), Err(kinds(KindsError::RankMissing)));
}

#[test]
fn a_required_matrix_wants_every_row_an_optional_one_takes_what_is_given() {
    let q = question("Notez", true, matrix(&[]));
    assert_eq!(validate(&q, &raw(&["1:5", "0:2"])), Ok(Some(Value::Matrix(vec![Some(2), Some(5)]))));
    assert_eq!(validate(&q, &raw(&["0:2"])), Err(kinds(KindsError::RowMissing)));
    assert_eq!(validate(&q, &raw(&["0:6", "1:1"])), Err(FieldError::NotAnOption));
    assert_eq!(validate(&q, &raw(&["2:1"])), Err(FieldError::NotAnOption));
    assert_eq!(validate(&q, &raw(&[])), Err(FieldError::Required));
    let optional = question("Notez", false, matrix(&[]));
    assert_eq!(validate(&optional, &raw(&["1:3"])), Ok(Some(Value::Matrix(vec![None, Some(3)]))));
    // Named columns are stored as their index.
    let named = question("Notez", true, matrix(&["Oui", "Non"]));
    assert_eq!(validate(&named, &raw(&["0:1", "1:0"])), Ok(Some(Value::Matrix(vec![Some(1), Some(0)]))));
    assert_eq!(validate(&named, &raw(&["0:2", "1:0"])), Err(FieldError::NotAnOption));
}

#[test]
fn a_place_is_a_pin_or_an_address_of_the_list() {
    let q = question("Où", true, Kind::Point);
    assert_eq!(
        validate(&q, &raw(&["geo:45.78,4.6", "Près de l'école"])),
        Ok(Some(Value::Point { lat: 45.78, lon: 4.6, address: "Près de l'école".into() }))
    );
    assert_eq!(validate(&q, &raw(&["geo:145,4.6"])), Err(kinds(KindsError::BadPosition)));
    assert_eq!(validate(&q, &raw(&["geo:abc"])), Err(kinds(KindsError::BadPosition)));
    // Without the list at hand, a typed address cannot be placed.
    assert_eq!(validate(&q, &raw(&["12 rue Haute"])), Err(kinds(KindsError::AddressUnknown)));
}

#[test]
fn staff_give_two_to_twenty_items_rows_and_columns() {
    let check = |kind: Kind| check_question(&question("Q", false, kind));
    assert_eq!(check(ranking()), Ok(()));
    assert_eq!(check(Kind::Ranking { items: words(&["Seul"]) }), Err(QuestionProblem::Kinds(KindProblem::Items)));
    let many: Vec<String> = (0..21).map(|i| format!("Élément {i}")).collect();
    assert_eq!(check(Kind::Ranking { items: many.clone() }), Err(QuestionProblem::Kinds(KindProblem::Items)));
    assert_eq!(check(Kind::Ranking { items: words(&["A", " "]) }), Err(QuestionProblem::Kinds(KindProblem::Items)));
    assert_eq!(check(matrix(&[])), Ok(()));
    assert_eq!(check(matrix(&["Oui", "Non"])), Ok(()));
    assert_eq!(check(matrix(&["Seule"])), Err(QuestionProblem::Kinds(KindProblem::Columns)));
    let Kind::Matrix { columns, low, high, .. } = matrix(&[]) else { unreachable!() };
    let odd = Kind::Matrix { rows: words(&["A", "B"]), columns, from: 2, to: 7, low, high };
    assert_eq!(check(odd), Err(QuestionProblem::Kinds(KindProblem::Columns)));
    let one_row = Kind::Matrix {
        rows: words(&["A"]),
        columns: Vec::new(),
        from: 0,
        to: 10,
        low: String::new(),
        high: String::new(),
    };
    assert_eq!(check(one_row), Err(QuestionProblem::Kinds(KindProblem::Rows)));
    assert_eq!(check(Kind::Point), Ok(()));
}

/// Postcard writes an enum as its variant's index: the new kinds and
/// values were appended, so every record stored before reads the same.
#[test]
fn the_new_kinds_and_values_come_after_the_old_ones() {
    let index = |bytes: Vec<u8>| bytes[0];
    assert_eq!(index(postcard::to_stdvec(&Kind::Date).unwrap()), 7);
    assert_eq!(index(postcard::to_stdvec(&ranking()).unwrap()), 8);
    assert_eq!(index(postcard::to_stdvec(&matrix(&[])).unwrap()), 9);
    assert_eq!(index(postcard::to_stdvec(&Kind::Point).unwrap()), 10);
    assert_eq!(index(postcard::to_stdvec(&Value::Date("2026-01-01".into())).unwrap()), 5);
    assert_eq!(index(postcard::to_stdvec(&Value::Ranking(vec![1])).unwrap()), 6);
    assert_eq!(index(postcard::to_stdvec(&Value::Matrix(vec![None])).unwrap()), 7);
    let point = Value::Point { lat: 1.0, lon: 2.0, address: String::new() };
    assert_eq!(index(postcard::to_stdvec(&point).unwrap()), 8);
    // An answer written with the old values only still decodes as it was.
    let old = Answer {
        consultation: ConsultationId(1),
        number: 1,
        respondent: Respondent::Visitor,
        at: 5,
        receipt: "1-1-AAAAAA".into(),
        values: BTreeMap::from([(1, Value::Scale(4)), (2, Value::Date("2026-07-14".into()))]),
        shown: Vec::new(),
        edited_at: None,
    };
    let bytes = crate::store::encode(&old).unwrap();
    assert_eq!(crate::store::decode::<Answer>(&bytes).unwrap(), old);
}

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("k.redb"), 8).unwrap();
    (dir, store)
}

/// The sample commune's address list (`tests/data`), imported.
async fn with_addresses(store: &Store) {
    let sample = include_str!("../../../tests/data/ban-saint-exemple.csv");
    let rows = addresses::parse(sample.as_bytes()).unwrap();
    store.write(move |tx| addresses::import(tx, &Actor::command_line(), &rows, 1)).await.unwrap();
}

/// Open from 100 to 1000: a required ranking (1), a matrix on a 1–5 scale
/// (2) and a place (3).
async fn open_one(store: &Store) -> ConsultationId {
    store
        .write(|tx| {
            let actor = Actor::command_line();
            let details = Details {
                title: "Le square".into(),
                summary: String::new(),
                body: String::new(),
                neighbourhood: None,
                audience: Audience::Anyone,
            };
            let id = create(tx, &[], &actor, &details, 10)?;
            add_question(tx, &actor, id, &question("Classez", true, ranking()), 10)?;
            add_question(tx, &actor, id, &question("Notez", false, matrix(&[])), 10)?;
            add_question(tx, &actor, id, &question("Où", false, Kind::Point), 10)?;
            publish(tx, &actor, id, Dates { opens_at: 100, closes_at: 1000 }, 10)?;
            Ok::<_, ConsultationError>(id)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn answers_move_ranks_cells_and_places_and_the_results_read_them() {
    let (_dir, store) = setup();
    with_addresses(&store).await;
    let id = open_one(&store).await;
    let send = |fields: Vec<(u32, Raw)>| {
        let fields: BTreeMap<u32, Raw> = fields.into_iter().collect();
        store.write(move |tx| submit(tx, id, Respondent::Visitor, &fields, 150))
    };
    // Three rankings, by hand: Bancs 1, 2, 3 → mean 2; Jeux 2, 1, 1 →
    // 4/3; Ombre 3, 3, 2 → 8/3.
    send(vec![(1, raw(&["0:1", "1:2", "2:3"])), (2, raw(&["0:4", "1:2"])), (3, raw(&["1 ter rue de l'Église"]))])
        .await
        .unwrap();
    send(vec![(1, raw(&["0:2", "1:1", "2:3"])), (2, raw(&["0:5"])), (3, raw(&["1 ter rue de l'Église"]))])
        .await
        .unwrap();
    send(vec![(1, raw(&["0:3", "1:1", "2:2"]))]).await.unwrap();
    // Refused, nothing counted: a shared position, an address not in the
    // list, a pin far from the commune.
    let refused = |r: Result<Submitted, ConsultationError>| match r {
        Err(ConsultationError::Invalid(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(send(vec![(1, raw(&["0:1", "1:1", "2:2"]))]).await), vec![(1, kinds(KindsError::RankShared))]);
    let unknown = vec![(1, raw(&["0:1", "1:2", "2:3"])), (3, raw(&["99 avenue des Nuages"]))];
    assert_eq!(refused(send(unknown).await), vec![(3, kinds(KindsError::AddressUnknown))]);
    let far = vec![(1, raw(&["0:1", "1:2", "2:3"])), (3, raw(&["geo:48.85,2.35"]))];
    assert_eq!(refused(send(far).await), vec![(3, kinds(KindsError::Outside))]);

    let tx = store.read().unwrap();
    let c = get(&tx, id).unwrap().unwrap();
    let r = results(&tx, &c).unwrap();
    assert_eq!(r.answers, 3);
    let ranks = ranking_items(c.question(1).unwrap(), &r.questions[0]);
    assert_eq!(ranks.iter().map(|i| i.item).collect::<Vec<_>>(), vec![1, 0, 2], "sorted by mean position");
    let means: Vec<f64> = ranks.iter().map(|i| i.mean.unwrap()).collect();
    assert!(
        (means[0] - 4.0 / 3.0).abs() < 1e-9 && (means[1] - 2.0).abs() < 1e-9 && (means[2] - 8.0 / 3.0).abs() < 1e-9
    );
    assert_eq!(ranks[1].positions, vec![1, 1, 1], "Bancs: once at each position");
    assert_eq!(ranks[0].positions, vec![2, 1, 0], "Jeux: twice first, once second");

    let rows = matrix_rows(c.question(2).unwrap(), &r.questions[1]);
    assert_eq!(r.questions[1].answered, 2);
    assert_eq!((rows[0].answered, rows[0].average), (2, Some(4.5)));
    assert_eq!(rows[0].columns, vec![(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)]);
    assert_eq!((rows[1].answered, rows[1].average, rows[1].percent(1)), (1, Some(2.0), 100.0));

    let place = &r.questions[2];
    assert_eq!(place.answered, 2);
    let cells = point_cells(place, (45.78, 4.6));
    assert_eq!(cells.len(), 1);
    assert_eq!(cells[0].count, 2);
    // The cell of « 1 ter Rue de l'Église » (45.779355, 4.606795): 0.001°.
    assert!((cells[0].lat - 45.7795).abs() < 1e-9 && (cells[0].lon - 4.6065).abs() < 1e-9, "{cells:?}");
    let answers = answers(&tx, id).unwrap();
    assert_eq!(
        answers[0].values.get(&3),
        Some(&Value::Point {
            lat: 45.779355,
            lon: 4.606795,
            address: "1 ter Rue de l'Église, 69999 Saint-Exemple".into()
        })
    );
    assert_eq!(kind_words(c.question(1).unwrap(), &answers[2].values[&1]), words(&["1. Jeux", "2. Ombre", "3. Bancs"]));
    assert_eq!(kind_words(c.question(2).unwrap(), &answers[1].values[&2]), words(&["Propreté : 5"]));
    assert_eq!(
        open_answers(&tx, id, 3, 0, 10).unwrap().0[0].1,
        "45.779355, 4.606795 (1 ter Rue de l'Église, 69999 Saint-Exemple)"
    );
    drop(tx);
    assert!(store.verify().unwrap().is_ok());

    // Answers exist: an item's typo may be fixed; an item added may not.
    let actor = Actor::command_line();
    let edit = |kind: Kind| {
        let actor = actor.clone();
        let q = Question { id: 1, ..question("Classez", true, kind) };
        store.write(move |tx| edit_question(tx, &actor, id, 1, &q, 200))
    };
    edit(Kind::Ranking { items: words(&["Banc", "Jeux", "Ombre"]) }).await.unwrap();
    let added = Kind::Ranking { items: words(&["Banc", "Jeux", "Ombre", "Fontaine"]) };
    assert!(matches!(edit(added).await, Err(ConsultationError::MeaningLocked)));
    let changed = Kind::Ranking { items: words(&["Banc", "Jeux", "Pelouse"]) };
    assert!(matches!(edit(changed).await, Err(ConsultationError::MeaningLocked)));
}

#[test]
fn places_far_apart_unfold_around_the_centre() {
    // Two cells on either side of a fold boundary of the codes still come
    // back where they were: the codes only wrap every 32° and 65°.
    let c = |lat: f64, lon: f64| results_kinds::options_of(&Value::Point { lat, lon, address: String::new() })[0];
    let r = QuestionResult {
        question: 1,
        answered: 2,
        counts: vec![Count { option: c(-0.0005, -0.0005), count: 1 }, Count { option: c(0.0005, 0.0005), count: 1 }],
        average: None,
        shown: None,
        answered_paper: 0,
        answered_interview: 0,
        paper: Vec::new(),
        interview: Vec::new(),
    };
    let mut cells = point_cells(&r, (0.0, 0.0));
    cells.sort_by(|a, b| a.lat.total_cmp(&b.lat));
    assert!((cells[0].lat + 0.0005).abs() < 1e-9 && (cells[0].lon + 0.0005).abs() < 1e-9, "{cells:?}");
    assert!((cells[1].lat - 0.0005).abs() < 1e-9, "{cells:?}");
    assert!(c(-89.9, -179.9) < tables::ANSWERED && c(89.9, 179.9) < tables::ANSWERED);
}

#[test]
fn a_persons_copy_says_their_ranking_matrix_and_place_in_words() {
    let rank = question("Classez", true, ranking());
    assert_eq!(answer_words(&rank, &Value::Ranking(vec![2, 3, 1])), words(&["1. Ombre", "2. Bancs", "3. Jeux"]));
    let named = question("Notez", false, matrix(&["Oui", "Non"]));
    assert_eq!(answer_words(&named, &Value::Matrix(vec![None, Some(1)])), words(&["Éclairage : Non"]));
    let place = question("Où", false, Kind::Point);
    let at = Value::Point { lat: 45.779355, lon: 4.606795, address: "1 ter Rue de l'Église".into() };
    assert_eq!(answer_words(&place, &at), words(&["45.779355, 4.606795 (1 ter Rue de l'Église)"]));
    // A draft keeps the fields as sent: each named, not `item:position`.
    assert_eq!(draft_words(&rank, &raw(&["1:1", "", "0:2"])), words(&["1. Jeux", "2. Bancs"]));
    assert_eq!(draft_words(&named, &raw(&["0:0"])), words(&["Propreté : Oui"]));
    assert_eq!(draft_words(&place, &raw(&["12 rue Haute"])), words(&["12 rue Haute"]));
}

#[test]
fn once_answered_rows_and_columns_may_be_corrected_not_changed() {
    let keeps = |a: Kind, b: Kind| validate_kinds::keeps_meaning(&a, &b);
    let with_rows = |rows: &[&str], from: u8, to: u8| Kind::Matrix {
        rows: words(rows),
        columns: Vec::new(),
        from,
        to,
        low: "Mauvais".into(),
        high: "Très bon".into(),
    };
    assert!(keeps(with_rows(&["Propreté", "Éclairage"], 1, 5), with_rows(&["Proprete", "Éclairage"], 1, 5)));
    assert!(!keeps(with_rows(&["Propreté", "Éclairage"], 1, 5), with_rows(&["Propreté", "Éclairage", "Bruit"], 1, 5)));
    assert!(!keeps(with_rows(&["Propreté", "Éclairage"], 1, 5), with_rows(&["Propreté", "Éclairage"], 0, 10)));
    assert!(!keeps(matrix(&["Oui", "Non"]), matrix(&["Oui", "Peut-être"])));
    assert!(keeps(matrix(&["Oui", "Non"]), matrix(&["Oui", "Non !"])));
    assert!(keeps(Kind::Point, Kind::Point));
    assert!(!keeps(Kind::Point, ranking()));
}
