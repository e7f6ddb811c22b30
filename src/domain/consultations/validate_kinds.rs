//! The rules of the ranking, the matrix and the place on the map: an
//! answer to each (`validate` and, for a place, [`validate_in`], which
//! looks the address up in the commune's list), a question of each as
//! staff write it (`check`), and what keeps its meaning once answered.
//!
//! The form sends a ranking as one `item:position` value per item (a
//! select each) and a matrix as one `row:column` value per row (a group
//! of radios each), so that the raw values say which item or row they
//! are for whatever their order; a place as the typed address and, when
//! the map's pin was set, a value `geo:lat,lon` (RFC 5870's form).

use super::{FieldError, Kind, Question, Raw, Value, MAX_ITEMS};
use crate::domain::addresses;
use crate::store::{StoreError, Tx};

/// How a pinned position travels among a place's raw values.
pub const GEO_PREFIX: &str = "geo:";

/// Why an answer to a ranking, a matrix or a place is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindsError {
    /// Two items were given the same position.
    RankShared,
    /// Some items were ranked, not all: a partial order says too little
    /// to be counted (an optional ranking may be left wholly empty).
    RankMissing,
    /// A required matrix with a row left empty.
    RowMissing,
    /// The typed address is not in the commune's list.
    AddressUnknown,
    /// The pin is more than about 2 km from every address of the commune.
    Outside,
    /// A pin whose position does not parse (a tampered form).
    BadPosition,
}

/// What is wrong with a ranking, a matrix or a place as staff wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindProblem {
    /// A ranking needs 2 to [`MAX_ITEMS`] items, none empty.
    Items,
    /// A matrix needs 2 to [`MAX_ITEMS`] rows, none empty.
    Rows,
    /// Named columns: 2 to [`MAX_ITEMS`], none empty; without names, the
    /// scale goes from 1 to 5 or from 0 to 10.
    Columns,
}

fn words_ok(list: &[String]) -> bool {
    (2..=MAX_ITEMS).contains(&list.len()) && list.iter().all(|w| !w.trim().is_empty() && w.chars().count() <= 300)
}

pub(super) fn check(kind: &Kind) -> Result<(), KindProblem> {
    match kind {
        Kind::Ranking { items } if !words_ok(items) => Err(KindProblem::Items),
        Kind::Matrix { rows, .. } if !words_ok(rows) => Err(KindProblem::Rows),
        Kind::Matrix { columns, .. } if !columns.is_empty() && !words_ok(columns) => Err(KindProblem::Columns),
        Kind::Matrix { columns, from, to, low, high, .. } if columns.is_empty() => {
            if !matches!((from, to), (1, 5) | (0, 10)) || low.chars().count() > 100 || high.chars().count() > 100 {
                return Err(KindProblem::Columns);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The values a matrix row may take: its columns' indexes, or the scale.
pub(super) fn column_values(kind: &Kind) -> Vec<u8> {
    match kind {
        Kind::Matrix { columns, .. } if !columns.is_empty() => (0..columns.len().min(MAX_ITEMS) as u8).collect(),
        Kind::Matrix { from, to, .. } => (*from..=*to).collect(),
        _ => Vec::new(),
    }
}

/// `a:b` as two small numbers.
fn pair(v: &str) -> Option<(usize, u8)> {
    let (a, b) = v.trim().split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The answer to a ranking or a matrix (`None` for the other kinds: they
/// are `validate.rs`'s); a place here only by its pin, since its address
/// needs the list ([`validate_in`]). `raw` is not empty.
pub(super) fn validate(q: &Question, raw: &Raw) -> Option<Result<Option<Value>, FieldError>> {
    let refuse = |e: KindsError| Some(Err(FieldError::Kinds(e)));
    let given = raw.values.iter().filter(|v| !v.trim().is_empty());
    match &q.kind {
        Kind::Ranking { items } => {
            let n = items.len();
            let mut positions: Vec<Option<u8>> = vec![None; n];
            for v in given {
                match pair(v) {
                    Some((i, p)) if i < n && p >= 1 && usize::from(p) <= n => positions[i] = Some(p),
                    _ => return Some(Err(FieldError::NotAnOption)),
                }
            }
            let set: Vec<u8> = positions.iter().flatten().copied().collect();
            let mut distinct = set.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() < set.len() {
                return refuse(KindsError::RankShared);
            }
            if set.len() < n {
                return refuse(KindsError::RankMissing);
            }
            Some(Ok(Some(Value::Ranking(set))))
        }
        Kind::Matrix { rows, .. } => {
            let allowed = column_values(&q.kind);
            let mut chosen: Vec<Option<u8>> = vec![None; rows.len()];
            for v in given {
                match pair(v) {
                    Some((r, c)) if r < rows.len() && allowed.contains(&c) => {
                        // The first sent for a row counts (a row is one radio group).
                        chosen[r].get_or_insert(c);
                    }
                    _ => return Some(Err(FieldError::NotAnOption)),
                }
            }
            if chosen.iter().all(Option::is_none) {
                return Some(if q.required { Err(FieldError::Required) } else { Ok(None) });
            }
            if q.required && chosen.iter().any(Option::is_none) {
                return refuse(KindsError::RowMissing);
            }
            Some(Ok(Some(Value::Matrix(chosen))))
        }
        Kind::Point => Some(match pinned(raw) {
            Some(Ok((lat, lon))) => Ok(Some(Value::Point { lat, lon, address: typed(raw) })),
            Some(Err(e)) => Err(FieldError::Kinds(e)),
            None => Err(FieldError::Kinds(KindsError::AddressUnknown)),
        }),
        _ => None,
    }
}

/// The pin's position, when the form sent one.
fn pinned(raw: &Raw) -> Option<Result<(f64, f64), KindsError>> {
    let geo = raw.values.iter().find_map(|v| v.trim().strip_prefix(GEO_PREFIX))?;
    let parsed =
        geo.split_once(',').and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    Some(match parsed {
        Some((lat, lon))
            if lat.is_finite()
                && lon.is_finite()
                && (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon) =>
        {
            Ok((lat, lon))
        }
        _ => Err(KindsError::BadPosition),
    })
}

/// The address typed beside the pin (the values that are not the pin).
fn typed(raw: &Raw) -> String {
    let text = raw.values.iter().map(|v| v.trim()).find(|v| !v.is_empty() && !v.starts_with(GEO_PREFIX));
    text.unwrap_or("").chars().take(300).collect()
}

/// The answer to `q` as [`super::validate`] gives it, except that a place
/// is found in the commune's address list: a typed address becomes its
/// position and label (without JavaScript, the only way to give a place);
/// a pin must be within reach of an address of the commune (when the list
/// is loaded) and gets its nearest address when nothing was typed.
pub fn validate_in(tx: &impl Tx, q: &Question, raw: &Raw) -> Result<Result<Option<Value>, FieldError>, StoreError> {
    if !matches!(q.kind, Kind::Point) {
        return Ok(super::validate(q, raw));
    }
    let found = match pinned(raw) {
        Some(Err(e)) => Err(FieldError::Kinds(e)),
        Some(Ok((lat, lon))) => {
            let listed = addresses::count(tx)? > 0;
            match (addresses::nearest(tx, lat, lon)?, listed) {
                (None, true) => Err(FieldError::Kinds(KindsError::Outside)),
                (near, _) => {
                    let mut address = typed(raw);
                    if address.is_empty() {
                        address = near.map(|(a, _)| a.label()).unwrap_or_default();
                    }
                    Ok(Some(Value::Point { lat, lon, address }))
                }
            }
        }
        None => match typed(raw) {
            t if t.is_empty() => super::validate(q, raw),
            t => match addresses::geocode(tx, &t)? {
                Some(a) => Ok(Some(Value::Point { lat: a.lat, lon: a.lon, address: a.label() })),
                None => Err(FieldError::Kinds(KindsError::AddressUnknown)),
            },
        },
    };
    Ok(found)
}

/// Whether `new` keeps the meaning of `old` (answered already) for these
/// kinds: the same number of items, rows and columns, the same scale, and
/// their words only corrected (as for a choice's options).
pub(super) fn keeps_meaning(old: &Kind, new: &Kind) -> bool {
    let words = |a: &str, b: &str| a == b || super::is_small_correction(a, b);
    let all = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(a, b)| words(a, b));
    match (old, new) {
        (Kind::Ranking { items: a }, Kind::Ranking { items: b }) => all(a, b),
        (
            Kind::Matrix { rows: ra, columns: ca, from: fa, to: ta, low: la, high: ha },
            Kind::Matrix { rows: rb, columns: cb, from: fb, to: tb, low: lb, high: hb },
        ) => all(ra, rb) && all(ca, cb) && fa == fb && ta == tb && words(la, lb) && words(ha, hb),
        (Kind::Point, Kind::Point) => true,
        _ => false,
    }
}

/// The refused answers among `questions` (as [`validate_in`] checks them),
/// for a page of the questionnaire or a typed-in paper form.
pub fn refused_answers<'a>(
    tx: &impl Tx,
    questions: impl IntoIterator<Item = &'a Question>,
    answers: &std::collections::BTreeMap<u32, Raw>,
) -> Result<Vec<(u32, FieldError)>, StoreError> {
    let empty = Raw::default();
    let mut out = Vec::new();
    for q in questions {
        if let Err(e) = validate_in(tx, q, answers.get(&q.id).unwrap_or(&empty))? {
            out.push((q.id, e));
        }
    }
    Ok(out)
}
