//! The ranking, the matrix and the place on the map as form fields, all
//! working without JavaScript, and their part of the staff's question form.
//!
//! - A ranking: one select per item giving its position 1..n, all named
//!   `q<id>` with the value `item:position`, so the order they arrive in
//!   does not matter.
//! - A matrix: a table of radios, a group per row named `q<id>-<row>` with
//!   the value `row:column` (see [`row_fields`]); the row header and the
//!   column header label each radio, and the whole is a fieldset.
//! - A place: the address typed (looked up in the commune's list by the
//!   domain), and the pin of the reports' map picker (`js/location.js`) in
//!   the hidden `q<id>-lat` and `q<id>-lon`, which become one value
//!   `geo:lat,lon` (see [`row_fields`]).

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::field_name;
use super::fields::Field;
use crate::domain::consultations::{column_label, Kind, KindProblem, KindsError, Question, GEO_PREFIX};
use crate::i18n::Lang;
use crate::web::chrome::Chrome;
use crate::web::components::FormErrors;

/// A question of these kinds as it is asked.
pub fn render(f: &Field) -> Markup {
    match &f.question.kind {
        Kind::Ranking { items } => ranking(f, items),
        Kind::Matrix { rows, .. } => matrix(f, rows),
        Kind::Point => point(f),
        _ => html! {},
    }
}

fn ranking(f: &Field, items: &[String]) -> Markup {
    let id = f.id();
    let chrome = f.chrome;
    html! {
        fieldset class={ (f.class()) " ranking" } aria-describedby=[f.described()] {
            legend { (f.label_text()) }
            div.hint { (chrome.t("consultation-rank-hint")) }
            (f.hint_and_error())
            @for (i, item) in items.iter().enumerate() {
                @let select_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                div.form-group.rank-item {
                    label for=(select_id) { (item) }
                    " "
                    select id=(select_id) name=(id) {
                        option value="" { (chrome.t("consultation-rank-choose")) }
                        @for p in 1..=items.len() {
                            @let value = format!("{i}:{p}");
                            option value=(value) selected[f.has(&value)] { (p) }
                        }
                    }
                }
            }
        }
    }
}

fn matrix(f: &Field, rows: &[String]) -> Markup {
    let id = f.id();
    let kind = &f.question.kind;
    let values = match kind {
        Kind::Matrix { columns, .. } if !columns.is_empty() => (0..columns.len() as u8).collect::<Vec<u8>>(),
        Kind::Matrix { from, to, .. } => (*from..=*to).collect(),
        _ => Vec::new(),
    };
    let head = |c: u8| -> String {
        match kind {
            Kind::Matrix { columns, from, to, low, high, .. } if columns.is_empty() => match c {
                c if c == *from && !low.is_empty() => format!("{c} – {low}"),
                c if c == *to && !high.is_empty() => format!("{c} – {high}"),
                c => c.to_string(),
            },
            _ => column_label(kind, c),
        }
    };
    html! {
        fieldset class={ (f.class()) " matrix" } aria-describedby=[f.described()] {
            legend { (f.label_text()) }
            (f.hint_and_error())
            div.table-scroll {
                table.matrix-table {
                    thead { tr {
                        td {}
                        @for c in &values { th scope="col" id={ (id) "-c" (c) } { (head(*c)) } }
                    } }
                    tbody {
                        @for (r, row) in rows.iter().enumerate() {
                            tr {
                                th scope="row" id={ (id) "-r" (r) } { (row) }
                                @for (k, c) in values.iter().enumerate() {
                                    @let value = format!("{r}:{c}");
                                    @let input_id = if r == 0 && k == 0 { id.clone() } else { format!("{id}-{r}-{c}") };
                                    td {
                                        // Named by its row and its column headers, as a
                                        // screen reader reads a cell of the table.
                                        input type="radio" id=(input_id) name={ (id) "-" (r) } value=(value)
                                            checked[f.has(&value)] aria-labelledby={ (id) "-r" (r) " " (id) "-c" (c) };
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn point(f: &Field) -> Markup {
    let id = f.id();
    let chrome = f.chrome;
    let config = chrome.config();
    let raw = f.raw;
    let typed = raw.and_then(|r| r.values.iter().find(|v| !v.trim().starts_with(GEO_PREFIX))).map(String::as_str);
    // The pin sent (by the picker's script), shown again in its fields.
    let pin = raw
        .and_then(|r| r.values.iter().find_map(|v| v.trim().strip_prefix(GEO_PREFIX)))
        .and_then(|geo| geo.split_once(','))
        .map(|(lat, lon)| (lat.trim().to_string(), lon.trim().to_string()));
    let (lat, lon) = pin.clone().unwrap_or_default();
    let centre = pin
        .as_ref()
        .and_then(|(a, b)| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)))
        .unwrap_or((config.map.center_lat, config.map.center_lon));
    let hint_id = format!("{id}-address-hint");
    let described = match f.described() {
        Some(d) => format!("{hint_id} {d}"),
        None => hint_id.clone(),
    };
    html! {
        fieldset class={ (f.class()) " point location" } data-location-picker data-lat=(centre.0) data-lon=(centre.1)
            data-zoom=(config.map.zoom) aria-describedby=[f.described()] {
            legend { (f.label_text()) }
            (f.hint_and_error())
            label for=(id) { (chrome.t("consultation-point-address")) }
            div.hint id=(hint_id) { (chrome.t("consultation-point-hint")) }
            input id=(id) name=(id) type="text" autocomplete="off" value=(typed.unwrap_or("")) data-location-address
                class=[f.error.as_ref().map(|_| "input-error")]
                aria-describedby=(described) aria-invalid=[f.error.as_ref().map(|_| "true")];
            input type="hidden" name={ (id) "-lat" } value=(lat) data-location-lat;
            input type="hidden" name={ (id) "-lon" } value=(lon) data-location-lon;
        }
    }
}

/// What the fields of a page need once, before them: for a place, the
/// map and address suggestions of the reports' picker (`js/location.js`,
/// only an enhancement: the address alone works). The script enhances the
/// first place of a page; another one on the same page is typed.
pub fn page_assets<'a>(chrome: &Chrome, questions: impl IntoIterator<Item = &'a Question>) -> Markup {
    let place = questions.into_iter().any(|q| matches!(q.kind, Kind::Point));
    html! { @if place { (crate::web::tiles::location_picker(chrome)) } }
}

/// A matrix's radios, one group per row (`q<id>-<row>`): their values, to
/// add to the question's own field (where the hidden fields carry them).
/// A place's pin (`q<id>-lat`, `q<id>-lon`, which the map's script fills)
/// becomes one `geo:lat,lon` value.
pub fn row_fields(q: &Question, fields: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let id = field_name(q.id);
    let first =
        |name: String| fields.get(&name).and_then(|v| v.iter().map(|v| v.trim()).find(|v| !v.is_empty())).unwrap_or("");
    match &q.kind {
        Kind::Matrix { rows, .. } => {
            (0..rows.len()).filter_map(|r| fields.get(&format!("{id}-{r}"))).flatten().cloned().collect()
        }
        Kind::Point => match (first(format!("{id}-lat")), first(format!("{id}-lon"))) {
            ("", _) | (_, "") => Vec::new(),
            (lat, lon) => vec![format!("{GEO_PREFIX}{lat},{lon}").replace(' ', "")],
        },
        _ => Vec::new(),
    }
}

/// The words of a refused ranking, matrix or place.
pub fn kinds_error(lang: Lang, e: KindsError) -> String {
    lang.t(match e {
        KindsError::RankShared => "consultation-error-rank-shared",
        KindsError::RankMissing => "consultation-error-rank-missing",
        KindsError::RowMissing => "consultation-error-row-missing",
        KindsError::AddressUnknown => "consultation-error-address-unknown",
        KindsError::Outside => "consultation-error-outside",
        KindsError::BadPosition => "consultation-error-position",
    })
}

/// Which field of the staff's form a problem names, and its words.
pub fn problem_field(p: KindProblem) -> (&'static str, &'static str) {
    match p {
        KindProblem::Items => ("items", "consultation-error-items"),
        KindProblem::Rows => ("rows", "consultation-error-rows"),
        KindProblem::Columns => ("columns", "consultation-error-columns"),
    }
}

fn lines_field(chrome: &Chrome, errors: &FormErrors, name: &str, label: &str, value: &str) -> Markup {
    let error = errors.get(name);
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(name) { (chrome.t(label)) }
            @if let Some(e) = error { p.error-message id={ (name) "-error" } { (e) } }
            textarea id=(name) name=(name) rows="4" aria-describedby=[error.map(|_| format!("{name}-error"))] { (value) }
        }
    }
}

/// The staff's form: a ranking's items, a matrix's rows and columns (its
/// scale, without named columns, is the scale's fields).
pub fn builder(chrome: &Chrome, errors: &FormErrors, items: &str, rows: &str, columns: &str) -> Markup {
    html! {
        fieldset.form-group {
            legend { (chrome.t("consultation-field-kinds")) }
            div.hint { (chrome.t("consultation-field-kinds-hint")) }
            (lines_field(chrome, errors, "items", "consultation-field-items", items))
            (lines_field(chrome, errors, "rows", "consultation-field-rows", rows))
            (lines_field(chrome, errors, "columns", "consultation-field-columns", columns))
        }
    }
}

/// One entry per non-empty line.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}
