//! The results (`/consultations/:id/resultats`): for staff at any time,
//! for everyone once the consultation is closed. Each counted question
//! shows a bar chart drawn here in SVG with a table of the same figures
//! beside it; the page reads the counts each answer moved, never the
//! answers. Written answers are on each question's page, a page at a time. The answers
//! as CSV are for staff (`/consultations/:id/reponses.csv`).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::header;
use poem::web::{Data, Path, Query};
use poem::Response;
use serde::Deserialize;

use super::coding::{self, Listing};
use super::{export, is_staff, representation};
use crate::app::AppState;
use crate::domain::consultations::{self, Consultation, ConsultationId, Kind, Question, QuestionResult};
use crate::domain::{now_unix, publication};
use crate::i18n::Arg;
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::csv::text_cell;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// Written answers shown per page.
pub const OPEN_PAGE: usize = 20;

/// The consultation, when the viewer may see its results.
pub(super) fn visible(chrome: &Chrome, state: &AppState, id: u64) -> Result<Consultation, AppError> {
    let c = consultations::get(&state.store.read()?, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    // What the public may see is `publication`'s rule, the same the API follows.
    if is_staff(chrome) || publication::consultation_results_visible(&c, now_unix()) {
        Ok(c)
    } else if publication::consultation_listed(&c) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// The label of each counted option of `q`, in the order of its counts.
pub(super) fn option_labels(chrome: &Chrome, q: &Question) -> Vec<String> {
    match &q.kind {
        Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. } => {
            let mut all = options.clone();
            if *other {
                all.push(chrome.t("consultation-other"));
            }
            all
        }
        Kind::Scale { from, to, low, high } => (*from..=*to)
            .map(|v| match v {
                v if v == *from && !low.is_empty() => format!("{v} – {low}"),
                v if v == *to && !high.is_empty() => format!("{v} – {high}"),
                v => v.to_string(),
            })
            .collect(),
        Kind::Info | Kind::ShortText | Kind::LongText | Kind::Number { .. } | Kind::Date => Vec::new(),
        // Their figures are not one count per option (`results_kinds.rs`).
        Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point => Vec::new(),
    }
}

/// A percentage the French way ("66,7 %").
fn percent_text(p: f64) -> String {
    format!("{p:.1} %").replace('.', ",")
}

/// Horizontal bars, one per option, drawn on the server. The table beside
/// it holds the same figures: the chart is `aria-hidden`.
fn bars(labels: &[String], r: &QuestionResult) -> Markup {
    const ROW: usize = 34;
    const WIDTH: f64 = 300.0;
    let height = ROW * labels.len() + 4;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" width="100%" viewBox={ "0 0 560 " (height) } aria-hidden="true" focusable="false" {
            @for (i, (label, c)) in labels.iter().zip(&r.counts).enumerate() {
                @let y = i * ROW + 2;
                @let p = r.percent(c.count);
                text x="0" y=(y + 20) font-size="14" fill="currentColor" { (label.chars().take(28).collect::<String>()) }
                rect x="200" y=(y + 4) width=(format!("{:.1}", WIDTH * p / 100.0)) height="22" fill="#1d4f91" {}
                text x=(format!("{:.1}", 206.0 + WIDTH * p / 100.0)) y=(y + 20) font-size="14" fill="currentColor" { (percent_text(p)) }
            }
        }
    }
}

/// A question's chart and table; with `split` (some answers were typed in
/// from paper or interviews), the table has a column per channel too; with
/// `weighted` (one per count), a column of the re-weighted percentages
/// (`representation.rs`).
pub(super) fn counted(
    chrome: &Chrome,
    q: &Question,
    r: &QuestionResult,
    split: bool,
    weighted: &[Option<f64>],
) -> Markup {
    let labels = option_labels(chrome, q);
    let lang = chrome.lang;
    html! {
        div.result-chart {
            (bars(&labels, r))
            table {
                caption.visually-hidden { (q.label) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-results-option")) }
                    th scope="col" { (chrome.t("consultation-results-count")) }
                    th scope="col" { (chrome.t("consultation-results-percent")) }
                    @if split {
                        th scope="col" { (chrome.t("consultation-results-online")) }
                        th scope="col" { (chrome.t("consultation-channel-paper")) }
                        th scope="col" { (chrome.t("consultation-channel-interview")) }
                    }
                    @if !weighted.is_empty() { th scope="col" { (chrome.t("consultation-groups-weighted")) } }
                } }
                tbody {
                    @for (i, (label, c)) in labels.iter().zip(&r.counts).enumerate() {
                        tr {
                            th scope="row" { (label) } td { (c.count) } td { (percent_text(r.percent(c.count))) }
                            @if split {
                                @let paper = r.paper.get(i).copied().unwrap_or(0);
                                @let interview = r.interview.get(i).copied().unwrap_or(0);
                                td { (c.count.saturating_sub(paper + interview)) } td { (paper) } td { (interview) }
                            }
                            @if !weighted.is_empty() {
                                td { (weighted.get(i).copied().flatten().map(percent_text).unwrap_or_else(|| "—".into())) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(avg) = r.average {
            p { (lang.ta("consultation-results-average", &[("average", Arg::from(format!("{avg:.2}").replace('.', ",")))])) }
        }
        @if matches!(q.kind, Kind::Multiple { .. }) { p.hint { (chrome.t("consultation-results-multiple-note")) } }
    }
}

#[allow(clippy::too_many_arguments)]
fn question_section(
    chrome: &Chrome,
    state: &AppState,
    c: &Consultation,
    q: &Question,
    r: &QuestionResult,
    listing: Option<&Listing>,
    split: bool,
    weighted: &[Option<f64>],
) -> Result<Markup, AppError> {
    let lang = chrome.lang;
    let with_other = matches!(q.kind, Kind::Single { other: true, .. } | Kind::Multiple { other: true, .. });
    // The results page reads counts only: written answers (and the words
    // of "other") are on the question's own page, from the `listing`th.
    let written = match listing {
        Some(listing) => coding::listed(chrome, state, c, q, listing)?,
        None => {
            let codes = coding::code_counts(chrome, state, c, q, r)?;
            html! {
                p { a href={ "/consultations/" (c.id) "/resultats/" (q.id) } { (chrome.t("consultation-results-read")) } }
                (codes)
            }
        }
    };
    let body = match (q.kind.is_counted(), with_other) {
        _ if super::results_kinds::shows(q) => super::results_kinds::body(chrome, q, r, written),
        (false, _) => written,
        (true, false) => counted(chrome, q, r, split, weighted),
        (true, true) => html! {
            (counted(chrome, q, r, split, weighted))
            h3 { (chrome.t("consultation-results-other-texts")) }
            (written)
        },
    };
    Ok(html! {
        section.result aria-labelledby={ "r" (q.id) } {
            // On the question's own page its label is the page's title (h1).
            @if listing.is_some() {
                h1 id={ "r" (q.id) } { (q.label) }
            } @else {
                h2 id={ "r" (q.id) } { (q.label) }
            }
            p.meta {
                (lang.ta("consultation-results-answered", &[("count", Arg::from(r.answered))]))
                @if q.hidden { " · " (chrome.t("consultation-hidden-note")) }
            }
            @if let Some(shown) = r.shown {
                p.meta { (lang.ta("consultation-condition-base", &[("count", Arg::from(shown))])) }
            }
            (body)
        }
    })
}

/// `GET /consultations/:id/resultats`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(by): Query<representation::Split>,
) -> Result<Markup, AppError> {
    let c = visible(&chrome, &state, id)?;
    let r = consultations::results(&state.store.read()?, &c)?;
    let who = representation::WhoAnswered::read(&state.store.read()?, &c, &chrome)?;
    let lang = chrome.lang;
    let title = lang.ta("consultation-results-title", &[("title", Arg::from(c.title.as_str()))]);
    let mut sections = Vec::new();
    for (q, res) in r.questions.iter().filter_map(|res| c.question(res.question).map(|q| (q, res))) {
        sections.push(question_section(
            &chrome,
            &state,
            &c,
            q,
            res,
            None,
            r.paper + r.interview > 0,
            &who.weighted(res),
        )?);
    }
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href={ "/consultations/" (c.id) } { (c.title) } }
            h1 { (title) }
            p.lead {
                (lang.ta("consultation-results-total", &[("count", Arg::from(r.answers))]))
                @if r.visitors > 0 { " " (lang.ta("consultation-results-visitors", &[("count", Arg::from(r.visitors))])) }
                @if r.paper + r.interview > 0 {
                    " " (lang.ta("consultation-results-channels", &[("paper", Arg::from(r.paper)), ("interview", Arg::from(r.interview))]))
                }
            }
            @if !publication::consultation_results_visible(&c, now_unix()) { p.hint { (chrome.t("consultation-results-staff-only")) } }
            @if is_staff(&chrome) { p { a href={ "/consultations/" (c.id) "/reponses.csv" } download { (chrome.t("consultation-export")) } } }
            (representation::section(&chrome, &c, &r, &who, &by))
            @if is_staff(&chrome) { p { a href={ "/consultations/" (c.id) "/reponses.xlsx" } download { (chrome.t("consultation-export-xlsx")) } } }
            p { a href={ "/consultations/" (c.id) "/synthese" } { (chrome.t("consultation-summary-link")) } }
            @for s in &sections { (s) }
        },
    ))
}

#[derive(Deserialize)]
pub struct OpenQuery {
    depuis: Option<usize>,
    /// Words to find among the answers (`coding.rs`).
    recherche: Option<String>,
    /// Only the answers carrying this code (empty: all).
    code: Option<String>,
}

/// `GET /consultations/:id/resultats/:question?depuis=N`: the written
/// answers to one question, a page at a time.
#[poem::handler]
pub async fn open_answers(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((id, qid)): Path<(u64, u32)>,
    Query(q): Query<OpenQuery>,
) -> Result<Markup, AppError> {
    let c = visible(&chrome, &state, id)?;
    let question = c.question(qid).ok_or(AppError::NotFound)?;
    let r = consultations::results(&state.store.read()?, &c)?;
    let res = r.questions.iter().find(|r| r.question == qid).ok_or(AppError::NotFound)?;
    let split = r.paper + r.interview > 0;
    let listing = Listing::new(q.depuis, q.recherche, q.code);
    let section = question_section(&chrome, &state, &c, question, res, Some(&listing), split, &[])?;
    Ok(page(
        &chrome,
        &question.label,
        html! {
            p.breadcrumb { a href={ "/consultations/" (c.id) "/resultats" } { (c.title) } }
            (section)
        },
    ))
}

/// `GET /consultations/:id/reponses.csv`: one row per answer, one column
/// per question; UTF-8 with a byte order mark, `;` and CRLF, which French
/// Excel opens without an import dialog (LibreOffice too).
#[poem::handler]
pub async fn csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let tx = state.store.read()?;
    let c = consultations::get(&tx, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    let answers = consultations::answers(&tx, c.id)?;
    let questions = export::columns(&c);
    let mut out = "\u{feff}".as_bytes().to_vec();
    let bad = |e: ::csv::Error| AppError::Internal(format!("CSV export: {e}"));
    {
        let mut w =
            ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        let head: Vec<String> = export::head(&chrome, &questions).iter().map(|h| text_cell(h)).collect();
        w.write_record(&head).map_err(bad)?;
        for a in &answers {
            let row: Vec<String> = export::row(&chrome, &questions, a).iter().map(export::Cell::csv).collect();
            w.write_record(&row).map_err(bad)?;
        }
        w.flush().map_err(|e| AppError::Internal(format!("CSV export: {e}")))?;
    }
    Ok(Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"consultation-{id}.csv\""))
        .body(out))
}
