//! The counts of the ranking, the matrix and the place on the map, kept
//! like every count in the answer's transaction (`tables::counts_of`) so
//! that the results page reads them and never the answers: the mean
//! position of each item, each row's answers by column, and the places by
//! grid cell. Also an answer of these kinds in words.
//!
//! Each count is under the question's id with an option code that says
//! what it counts: `(item << 8) | position` for a ranking, `(row << 8) |
//! column` for a matrix (and `(row << 8) | 0xFF` for the row's
//! respondents), and for a place its cell of the address list's grid
//! (0.001°, about 100 m) folded into 31 bits, which stays clear of
//! `tables::ANSWERED`.

use std::collections::BTreeMap;

use super::validate_kinds::column_values;
use super::{tables, Kind, Question, QuestionResult, Value};
use crate::domain::addresses;

/// The most items of a ranking, and rows or named columns of a matrix: a
/// longer list is a burden to answer on a phone, and fits the option codes.
pub const MAX_ITEMS: usize = 20;

/// The column code under which a matrix row's respondents are counted.
const ROW_ANSWERED: u8 = 0xFF;

fn code(item: usize, value: u8) -> u32 {
    ((item as u32) << 8) | u32::from(value)
}

/// The count codes of a place's cell. A cell's row and column are kept
/// modulo 2¹⁵ and 2¹⁶ (32° and 65° of wrap): no commune spans that much,
/// so [`point_cells`] unfolds them around the map's centre without doubt.
fn point_code(lat: f64, lon: f64) -> u32 {
    let (row, col) = addresses::cell_of(lat, lon);
    (((row as u32) & 0x7FFF) << 16) | ((col as u32) & 0xFFFF)
}

/// The count options an answer of these kinds moves (none for the others).
pub(super) fn options_of(v: &Value) -> Vec<u32> {
    match v {
        Value::Ranking(positions) => positions.iter().enumerate().map(|(i, p)| code(i, *p)).collect(),
        Value::Matrix(chosen) => chosen
            .iter()
            .enumerate()
            .filter_map(|(r, c)| c.map(|c| [code(r, c), code(r, ROW_ANSWERED)]))
            .flatten()
            .collect(),
        Value::Point { lat, lon, .. } => vec![point_code(*lat, *lon)],
        Value::Text(_)
        | Value::Choice { .. }
        | Value::Choices { .. }
        | Value::Scale(_)
        | Value::Number(_)
        | Value::Date(_) => Vec::new(),
    }
}

/// The options whose counts the results of `q` show, in order: every
/// (item, position), every (row, column) then each row's respondents, or
/// the cells where places were given.
pub(super) fn options(q: &Question, stored: &BTreeMap<(u32, u32), u64>) -> Vec<u32> {
    match &q.kind {
        Kind::Ranking { items } => {
            let n = items.len().min(MAX_ITEMS);
            (0..n).flat_map(|i| (1..=n as u8).map(move |p| code(i, p))).collect()
        }
        Kind::Matrix { rows, .. } => {
            let values = column_values(&q.kind);
            let n = rows.len().min(MAX_ITEMS);
            let mut out: Vec<u32> = (0..n).flat_map(|r| values.iter().map(move |c| code(r, *c))).collect();
            out.extend((0..n).map(|r| code(r, ROW_ANSWERED)));
            out
        }
        Kind::Point => {
            stored.range((q.id, 0)..(q.id, tables::ANSWERED)).filter(|(_, n)| **n > 0).map(|((_, o), _)| *o).collect()
        }
        _ => Vec::new(),
    }
}

fn count_of(r: &QuestionResult, option: u32) -> u64 {
    r.counts.iter().find(|c| c.option == option).map(|c| c.count).unwrap_or(0)
}

/// One item of a ranking: how many put it at each position (from 1) and
/// its mean position (lower is preferred).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemRank {
    pub item: usize,
    pub positions: Vec<u64>,
    pub mean: Option<f64>,
}

/// A ranking's items, the preferred first (by mean position; items nobody
/// ranked last, in their order).
pub fn ranking_items(q: &Question, r: &QuestionResult) -> Vec<ItemRank> {
    let Kind::Ranking { items } = &q.kind else { return Vec::new() };
    let n = items.len().min(MAX_ITEMS);
    let mut out: Vec<ItemRank> = (0..n)
        .map(|i| {
            let positions: Vec<u64> = (1..=n as u8).map(|p| count_of(r, code(i, p))).collect();
            let total: u64 = positions.iter().sum();
            let sum: u64 = positions.iter().zip(1u64..).map(|(c, p)| c * p).sum();
            let mean = (total > 0).then(|| sum as f64 / total as f64);
            ItemRank { item: i, positions, mean }
        })
        .collect();
    out.sort_by(|a, b| match (a.mean, b.mean) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.item.cmp(&b.item)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.item.cmp(&b.item),
    });
    out
}

/// One row of a matrix: how many answered it, how many chose each column
/// (its code: index or scale value), and its mean on a numeric scale.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub row: usize,
    pub answered: u64,
    pub columns: Vec<(u8, u64)>,
    pub average: Option<f64>,
}

impl MatrixRow {
    /// `count` as a percentage of the row's respondents, to a tenth.
    pub fn percent(&self, count: u64) -> f64 {
        if self.answered == 0 {
            return 0.0;
        }
        (count as f64 * 1000.0 / self.answered as f64).round() / 10.0
    }
}

pub fn matrix_rows(q: &Question, r: &QuestionResult) -> Vec<MatrixRow> {
    let Kind::Matrix { rows, columns: named, .. } = &q.kind else { return Vec::new() };
    let values = column_values(&q.kind);
    (0..rows.len().min(MAX_ITEMS))
        .map(|row| {
            let columns: Vec<(u8, u64)> = values.iter().map(|c| (*c, count_of(r, code(row, *c)))).collect();
            let answered = count_of(r, code(row, ROW_ANSWERED));
            let sum: u64 = columns.iter().map(|(c, n)| u64::from(*c) * n).sum();
            let average = (named.is_empty() && answered > 0).then(|| sum as f64 / answered as f64);
            MatrixRow { row, answered, columns, average }
        })
        .collect()
}

/// A grid cell where places were given: its centre and how many.
#[derive(Clone, Debug, PartialEq)]
pub struct PointCell {
    pub lat: f64,
    pub lon: f64,
    pub count: u64,
}

/// The cells of a place question's answers, unfolded around `centre`
/// (the map's, from the settings), the busiest first.
pub fn point_cells(r: &QuestionResult, centre: (f64, f64)) -> Vec<PointCell> {
    let (row0, col0) = addresses::cell_of(centre.0, centre.1);
    let unfold = |folded: i32, around: i32, bits: u32| {
        let modulus = 1i64 << bits;
        let diff = (i64::from(folded) - i64::from(around)).rem_euclid(modulus);
        let diff = if diff >= modulus / 2 { diff - modulus } else { diff };
        i64::from(around) + diff
    };
    let mut out: Vec<PointCell> = r
        .counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| {
            let row = unfold(((c.option >> 16) & 0x7FFF) as i32, row0, 15);
            let col = unfold((c.option & 0xFFFF) as i32, col0, 16);
            // The cell's centre: 0.001° cells (`addresses::cell_of`).
            PointCell { lat: (row as f64 + 0.5) / 1000.0, lon: (col as f64 + 0.5) / 1000.0, count: c.count }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.lat.total_cmp(&b.lat)).then(a.lon.total_cmp(&b.lon)));
    out
}

/// A place as the export and a person's copy write it: "lat, lon (address)".
pub fn point_text(lat: f64, lon: f64, address: &str) -> String {
    if address.is_empty() {
        format!("{lat:.6}, {lon:.6}")
    } else {
        format!("{lat:.6}, {lon:.6} ({address})")
    }
}

/// The label of a matrix column value: its name, or the scale's number.
pub fn column_label(kind: &Kind, value: u8) -> String {
    match kind {
        Kind::Matrix { columns, .. } if !columns.is_empty() => {
            columns.get(usize::from(value)).cloned().unwrap_or_else(|| value.to_string())
        }
        _ => value.to_string(),
    }
}

/// An answer of these kinds in words, for the person's copy of their data
/// and the export: the items in the order given ("1. Bancs"), each row
/// with its column ("Propreté : 4"), or the place.
pub fn kind_words(q: &Question, v: &Value) -> Vec<String> {
    match (&q.kind, v) {
        (Kind::Ranking { items }, Value::Ranking(positions)) => {
            let mut ranked: Vec<(u8, &str)> =
                positions.iter().zip(items).map(|(p, item)| (*p, item.as_str())).collect();
            ranked.sort_unstable();
            ranked.into_iter().map(|(p, item)| format!("{p}. {item}")).collect()
        }
        (Kind::Matrix { rows, .. }, Value::Matrix(chosen)) => rows
            .iter()
            .zip(chosen)
            .filter_map(|(row, c)| c.map(|c| format!("{row} : {}", column_label(&q.kind, c))))
            .collect(),
        (_, Value::Point { lat, lon, address }) => vec![point_text(*lat, *lon, address)],
        // An answer kept under a question that changed kind is not expected
        // (the meaning is locked once answered); its raw figures then.
        (_, Value::Ranking(p)) => vec![format!("{p:?}")],
        (_, Value::Matrix(c)) => vec![format!("{c:?}")],
        (_, Value::Text(_) | Value::Choice { .. } | Value::Choices { .. })
        | (_, Value::Scale(_) | Value::Number(_) | Value::Date(_)) => Vec::new(),
    }
}

/// What a draft holds for a ranking or a matrix, in words (`None` for the
/// other kinds): each `item:position` or `row:column` the form sent, named.
pub(super) fn draft_words(q: &Question, raw: &super::Raw) -> Option<Vec<String>> {
    let named = |list: &[String], v: &str| -> String {
        let Some((a, b)) = v.split_once(':') else { return v.to_string() };
        match a.parse::<usize>().ok().and_then(|i| list.get(i)) {
            Some(name) => match &q.kind {
                Kind::Ranking { .. } => format!("{b}. {name}"),
                _ => format!("{name} : {}", b.parse().map(|c| column_label(&q.kind, c)).unwrap_or_else(|_| b.into())),
            },
            None => v.to_string(),
        }
    };
    let list = match &q.kind {
        Kind::Ranking { items } => items,
        Kind::Matrix { rows, .. } => rows,
        _ => return None,
    };
    Some(raw.values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| named(list, v)).collect())
}
