//! What staff take away from a consultation: the answers, one row each,
//! as CSV (`results::csv`) and as an XLSX workbook
//! (`/consultations/:id/reponses.xlsx`), whose other sheets hold the counts
//! of each question, by channel, and the counts of the codes given to the
//! written answers. Both files build their rows with [`head`] and [`row`],
//! so that a column added to one is in the other.

use poem::http::header;
use poem::web::Path;
use poem::Response;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::date;
use super::results::option_labels;
use crate::domain::consultations::{
    self, coding, Answer, CodeCount, Consultation, ConsultationId, Kind, Question, Respondent, Results, Value,
};
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::csv::text_cell;
use crate::web::errors::AppError;

/// One cell of the answers, typed: a spreadsheet keeps numbers as numbers
/// and dates as dates, and the CSV writes each the French way.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(i64),
    /// A calendar day (a date question's answer).
    Day(jiff::civil::Date),
    /// An instant (Unix seconds): when the answer came.
    At(i64),
}

impl Cell {
    /// The cell in a CSV file: text guarded against formulas, a number as
    /// digits, a day as `YYYY-MM-DD` (as typed), an instant as its date.
    pub fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => text_cell(t),
            Cell::Number(n) => n.to_string(),
            Cell::Day(d) => d.to_string(),
            Cell::At(unix) => date(*unix),
        }
    }
}

/// The questions that have a column: every one but information blocks.
pub fn columns(c: &Consultation) -> Vec<&Question> {
    c.questions.iter().filter(|q| !matches!(q.kind, Kind::Info)).collect()
}

/// The header row of the answers.
pub fn head(chrome: &Chrome, questions: &[&Question]) -> Vec<String> {
    let mut head = vec![
        chrome.t("consultation-export-number"),
        chrome.t("consultation-export-date"),
        chrome.t("consultation-export-channel"),
        chrome.t("consultation-export-neighbourhood"),
    ];
    head.extend(questions.iter().map(|q| q.label.clone()));
    head
}

/// One answer's row, in the order of [`head`].
pub fn row(chrome: &Chrome, questions: &[&Question], a: &Answer) -> Vec<Cell> {
    let channel = match &a.respondent {
        Respondent::Account(_) => chrome.t("consultation-export-account"),
        Respondent::Visitor => chrome.t("consultation-export-visitor"),
        Respondent::Erased => chrome.t("consultation-export-erased"),
        Respondent::Offline { channel, .. } => chrome.t(&format!("consultation-channel-{}", channel.code())),
    };
    // The neighbourhood staff typed in from a paper form or an interview;
    // online answers carry none (yet).
    let neighbourhood = match &a.respondent {
        Respondent::Offline { neighbourhood: Some(n), .. } => Cell::Text(n.clone()),
        Respondent::Offline { neighbourhood: None, .. }
        | Respondent::Account(_)
        | Respondent::Visitor
        | Respondent::Erased => Cell::Empty,
    };
    let mut row = vec![Cell::Number(a.number as i64), Cell::At(a.at), Cell::Text(channel), neighbourhood];
    row.extend(questions.iter().map(|q| answer_cell(chrome, q, a.values.get(&q.id))));
    row
}

/// An answer in a cell, in words: the options' labels (several joined by
/// « | », the words of « Other » after its label), a number, a day, a text.
pub fn answer_cell(chrome: &Chrome, q: &Question, v: Option<&Value>) -> Cell {
    let labels = option_labels(chrome, q);
    let label = |o: &u32| labels.get(*o as usize).cloned().unwrap_or_default();
    match v {
        None => Cell::Empty,
        Some(Value::Text(t)) => Cell::Text(t.clone()),
        Some(Value::Choice { option, other }) => match other {
            Some(t) => Cell::Text(format!("{} : {t}", label(option))),
            None => Cell::Text(label(option)),
        },
        Some(Value::Choices { options, other }) => {
            let mut words: Vec<String> = options.iter().map(label).collect();
            if let (Some(t), Some(last)) = (other, words.last_mut()) {
                *last = format!("{last} : {t}");
            }
            Cell::Text(words.join(" | "))
        }
        Some(Value::Scale(n)) => Cell::Number(i64::from(*n)),
        Some(Value::Number(n)) => Cell::Number(*n),
        Some(Value::Date(d)) => match d.parse::<jiff::civil::Date>() {
            Ok(day) => Cell::Day(day),
            Err(_) => Cell::Text(d.clone()),
        },
        Some(v @ (Value::Ranking(_) | Value::Matrix(_) | Value::Point { .. })) => {
            Cell::Text(crate::domain::consultations::kind_words(q, v).join(" | "))
        }
    }
}

fn paris() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC)
}

fn excel_day(d: jiff::civil::Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// An instant as the time on the town hall's clock (Excel has no zones).
fn excel_at(unix: i64) -> Result<ExcelDateTime, XlsxError> {
    let t = jiff::Timestamp::from_second(unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_zoned(paris()).datetime();
    excel_day(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second() as u8)
}

/// The formats of a workbook.
struct Formats {
    bold: Format,
    day: Format,
    at: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            day: Format::new().set_num_format("dd/mm/yyyy"),
            at: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

fn header_row(sheet: &mut Worksheet, f: &Formats, head: &[String]) -> Result<(), XlsxError> {
    for (col, title) in head.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &f.bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The answers, one row each. Text is written as text: a cell of a
/// workbook is a formula only when written as one, so resident text needs
/// no guard here.
fn answers_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    chrome: &Chrome,
    questions: &[&Question],
    answers: &[Answer],
) -> Result<(), XlsxError> {
    header_row(sheet, f, &head(chrome, questions))?;
    sheet.set_column_width(1, 17)?;
    sheet.set_column_range_width(4, 4 + questions.len() as u16, 24)?;
    for (i, a) in answers.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row(chrome, questions, a).into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    sheet.write_string(r, col, &t)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col, n as f64)?;
                }
                Cell::Day(d) => {
                    sheet.write_datetime_with_format(r, col, excel_day(d)?, &f.day)?;
                }
                Cell::At(unix) => {
                    sheet.write_datetime_with_format(r, col, excel_at(unix)?, &f.at)?;
                }
            }
        }
    }
    Ok(())
}

/// The totals by channel, then each counted question's options with their
/// counts, percentages and channels, as on the results page.
fn counts_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    chrome: &Chrome,
    c: &Consultation,
    r: &Results,
) -> Result<(), XlsxError> {
    let online = r.answers.saturating_sub(r.paper + r.interview);
    let totals = [
        (chrome.t("consultation-xlsx-all-answers"), r.answers),
        (chrome.t("consultation-results-online"), online),
        (chrome.t("consultation-channel-paper"), r.paper),
        (chrome.t("consultation-channel-interview"), r.interview),
        (chrome.t("consultation-xlsx-visitors"), r.visitors),
    ];
    for (i, (label, n)) in totals.iter().enumerate() {
        sheet.write_string_with_format(i as u32, 0, label, &f.bold)?;
        sheet.write_number(i as u32, 1, *n as f64)?;
    }
    let top = totals.len() as u32 + 1;
    let head = [
        chrome.t("consultation-xlsx-question"),
        chrome.t("consultation-results-option"),
        chrome.t("consultation-results-count"),
        chrome.t("consultation-results-percent"),
        chrome.t("consultation-results-online"),
        chrome.t("consultation-channel-paper"),
        chrome.t("consultation-channel-interview"),
    ];
    for (col, title) in head.iter().enumerate() {
        sheet.write_string_with_format(top, col as u16, title, &f.bold)?;
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 28)?;
    let mut at = top + 1;
    for res in &r.questions {
        let Some(q) = c.question(res.question).filter(|q| q.kind.is_counted()) else { continue };
        for (i, (label, count)) in option_labels(chrome, q).iter().zip(&res.counts).enumerate() {
            let paper = res.paper.get(i).copied().unwrap_or(0);
            let interview = res.interview.get(i).copied().unwrap_or(0);
            sheet.write_string(at, 0, &q.label)?;
            sheet.write_string(at, 1, label)?;
            sheet.write_number(at, 2, count.count as f64)?;
            // The exact share: the cell's format rounds it, a formula
            // working on it should not get a rounded figure.
            let share = if res.answered == 0 { 0.0 } else { count.count as f64 / res.answered as f64 };
            sheet.write_number_with_format(at, 3, share, &f.percent)?;
            sheet.write_number(at, 4, count.count.saturating_sub(paper + interview) as f64)?;
            sheet.write_number(at, 5, paper as f64)?;
            sheet.write_number(at, 6, interview as f64)?;
            at += 1;
        }
    }
    Ok(())
}

/// A coded question: its id, its codes with their counts, and the numbers
/// of the answers each code tags (in the same order).
type Coded = (u32, Vec<CodeCount>, Vec<Vec<u64>>);

/// The codes of each coded question, with how many answers carry each and
/// which (by number, as in the answers sheet).
fn codes_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    chrome: &Chrome,
    c: &Consultation,
    codes: &[Coded],
) -> Result<(), XlsxError> {
    let head = [
        chrome.t("consultation-xlsx-question"),
        chrome.t("consultation-coding-code"),
        chrome.t("consultation-results-count"),
        chrome.t("consultation-xlsx-tagged"),
    ];
    header_row(sheet, f, &head)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 28)?;
    let mut at = 1;
    for (qid, of_question, tagged) in codes {
        let label = c.question(*qid).map(|q| q.label.as_str()).unwrap_or_default();
        for (code, numbers) in of_question.iter().zip(tagged) {
            sheet.write_string(at, 0, label)?;
            sheet.write_string(at, 1, &code.code.label)?;
            sheet.write_number(at, 2, code.count as f64)?;
            let list: Vec<String> = numbers.iter().map(u64::to_string).collect();
            sheet.write_string(at, 3, list.join(", "))?;
            at += 1;
        }
    }
    Ok(())
}

/// `GET /consultations/:id/reponses.xlsx` (staff): a workbook of three
/// sheets, the answers, the counts and the codes. Built on a blocking
/// thread: thousands of answers take a moment to compress, which must not
/// hold up the pages served beside it.
#[poem::handler]
pub async fn xlsx(chrome: Chrome, _staff: Staff, Path(id): Path<u64>) -> Result<Response, AppError> {
    let bytes = tokio::task::spawn_blocking(move || workbook(&chrome, ConsultationId(id)))
        .await
        .map_err(|e| AppError::Internal(format!("XLSX export: {e}")))??;
    Ok(Response::builder()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"consultation-{id}.xlsx\""))
        .body(bytes))
}

/// The workbook of consultation `id`, as bytes.
fn workbook(chrome: &Chrome, id: ConsultationId) -> Result<Vec<u8>, AppError> {
    let tx = chrome.state.store.read()?;
    let c = consultations::get(&tx, id)?.ok_or(AppError::NotFound)?;
    let answers = consultations::answers(&tx, c.id)?;
    let results = consultations::results(&tx, &c)?;
    let mut codes = Vec::new();
    for (qid, of_question) in coding::all_codes(&tx, c.id)? {
        let mut tagged = Vec::new();
        for code in &of_question {
            tagged.push(coding::tagged(&tx, c.id, qid, code.code.id)?);
        }
        codes.push((qid, of_question, tagged));
    }
    drop(tx);
    let bad = |e: XlsxError| AppError::Internal(format!("XLSX export: {e}"));
    let f = Formats::new();
    let mut book = Workbook::new();
    let questions = columns(&c);
    let sheet = book.add_worksheet().set_name(chrome.t("consultation-xlsx-sheet-answers")).map_err(bad)?;
    answers_sheet(sheet, &f, chrome, &questions, &answers).map_err(bad)?;
    let sheet = book.add_worksheet().set_name(chrome.t("consultation-xlsx-sheet-counts")).map_err(bad)?;
    counts_sheet(sheet, &f, chrome, &c, &results).map_err(bad)?;
    let sheet = book.add_worksheet().set_name(chrome.t("consultation-xlsx-sheet-codes")).map_err(bad)?;
    codes_sheet(sheet, &f, chrome, &c, &codes).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_in_csv_guards_text_but_not_numbers() {
        assert_eq!(Cell::Text("=1+1".into()).csv(), "'=1+1");
        assert_eq!(Cell::Text("- de 18 ans".into()).csv(), "'- de 18 ans");
        assert_eq!(Cell::Number(-3).csv(), "-3", "a negative number is a number, not a formula");
        let day: jiff::civil::Date = "2026-07-14".parse().unwrap();
        assert_eq!(Cell::Day(day).csv(), "2026-07-14");
        assert_eq!(Cell::Empty.csv(), "");
    }

    #[test]
    fn an_instant_is_the_paris_time() {
        // 2026-07-14 10:00 UTC is noon in Paris (summer time).
        let t = excel_at(1_784_023_200).unwrap().to_excel();
        assert_eq!(t, ExcelDateTime::from_ymd(2026, 7, 14).unwrap().and_hms(12, 0, 0).unwrap().to_excel());
    }
}
