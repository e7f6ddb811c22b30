//! The town hall's dashboard (`/admin/tableau-de-bord`, staff) and its public
//! version (`/chiffres`): engagement and impact over a date range, compared
//! with the period of the same length before it. Both read only the metrics
//! roll-up (`domain::metrics`).
//!
//! Each chart is an SVG drawn here (a title, a description, each bar
//! labelled; no script) followed by its data table and a link to the same
//! table as CSV: the table and the CSV come from one [`DataTable`], so they
//! cannot disagree. The public version passes every count of people
//! through `representation::shown` (no group under 5 is published) and
//! leaves out the budget votes while a vote is open.

pub mod public;
pub mod staff;

use std::collections::BTreeMap;

use maud::{html, Markup, Render};
use poem::http::header;
use poem::Response;
use serde::Deserialize;

use crate::config::Config;
use crate::domain::accounts::AGE_BRACKETS;
use crate::domain::consultations::representation::{self, Dimension, Representation, Shown};
use crate::domain::consultations::{CellCounts, Group};
use crate::domain::metrics::{self, Dashboard, Delay, Figures, Kind, Period};
use crate::domain::satisfaction::{quarter_label, Score};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::csv::text_cell;
use crate::web::errors::AppError;

/// The default range: the last 12 months (365 days) up to today.
pub const DEFAULT_DAYS: i64 = 365;

/// `?du=YYYY-MM-DD&au=YYYY-MM-DD`, and `chart=` for the CSV.
#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    pub du: Option<String>,
    pub au: Option<String>,
    pub chart: Option<String>,
}

impl RangeQuery {
    /// The period asked for; a date missing or not understood falls back
    /// to the default range's.
    pub fn period(&self, now: i64) -> Period {
        let today = metrics::day_of(now);
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<jiff::civil::Date>().ok());
        let to = parse(&self.au).map(metrics::day_of_date).unwrap_or(today);
        let from = parse(&self.du).map(metrics::day_of_date).unwrap_or(to - DEFAULT_DAYS + 1);
        Period { from: from.min(to), to: from.max(to) }
    }
}

/// Who a page is for: the public version hides small groups and open votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Public { vote_open: bool },
}

impl Audience {
    fn is_public(self) -> bool {
        matches!(self, Audience::Public { .. })
    }

    /// A count of people as this audience may see it.
    fn people(self, chrome: &Chrome, n: u64) -> String {
        match (self, representation::shown(n)) {
            (Audience::Public { .. }, Shown::FewerThanFive) => chrome.t("metrics-fewer-than-five"),
            _ => n.to_string(),
        }
    }

    fn kinds(self) -> Vec<Kind> {
        Kind::CONTRIBUTIONS
            .into_iter()
            .filter(|k| !(matches!(self, Audience::Public { vote_open: true }) && *k == Kind::BudgetVote))
            .collect()
    }
}

/// The charts, each with its table and CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    Participants,
    Contributions,
    Neighbourhoods,
    Ages,
    Reports,
    /// The satisfaction survey's mean score, quarter after quarter.
    Satisfaction,
}

impl Chart {
    pub const ALL: [Chart; 6] = [
        Chart::Participants,
        Chart::Contributions,
        Chart::Neighbourhoods,
        Chart::Ages,
        Chart::Reports,
        Chart::Satisfaction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Chart::Participants => "participants",
            Chart::Contributions => "contributions",
            Chart::Neighbourhoods => "quartiers",
            Chart::Ages => "ages",
            Chart::Reports => "signalements",
            Chart::Satisfaction => "satisfaction",
        }
    }

    pub fn from_code(code: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A table of figures: the HTML table under a chart and its CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct DataTable {
    pub caption: String,
    pub head: Vec<String>,
    /// (row name, cells, the bar's value).
    pub rows: Vec<(String, Vec<String>, u64)>,
}

impl DataTable {
    /// UTF-8 with a byte order mark, `;` and CRLF, as the reports' export:
    /// what French spreadsheets open as it is.
    pub fn csv(&self) -> Result<Vec<u8>, AppError> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        let bad = |e: ::csv::Error| AppError::Internal(format!("dashboard CSV: {e}"));
        {
            let mut w =
                ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(&mut out);
            w.write_record(self.head.iter().map(|h| text_cell(h))).map_err(bad)?;
            for (name, cells, _) in &self.rows {
                w.write_record(std::iter::once(text_cell(name)).chain(cells.iter().map(|c| text_cell(c))))
                    .map_err(bad)?;
            }
            w.flush().map_err(|e| AppError::Internal(format!("dashboard CSV: {e}")))?;
        }
        Ok(out)
    }

    pub fn table(&self) -> Markup {
        html! {
            table.data-table {
                caption { (self.caption) }
                thead { tr { @for h in &self.head { th scope="col" { (h) } } } }
                tbody {
                    @for (name, cells, _) in &self.rows {
                        tr { th scope="row" { (name) } @for c in cells { td { (c) } } }
                    }
                }
            }
        }
    }
}

/// A horizontal bar chart of a table's rows, drawn server-side.
pub struct BarChart<'a> {
    pub id: &'static str,
    pub table: &'a DataTable,
    pub desc: String,
}

impl Render for BarChart<'_> {
    fn render(&self) -> Markup {
        let rows = &self.table.rows;
        let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
        let (bar, gap, label_w, width) = (22u64, 8u64, 170u64, 560u64);
        let height = (rows.len() as u64).max(1) * (bar + gap) + gap;
        let scale = (width - label_w - 70) as f64 / max as f64;
        html! {
            svg.chart xmlns="http://www.w3.org/2000/svg" role="img" width="100%"
                viewBox={ "0 0 " (width) " " (height) }
                aria-labelledby={ (self.id) "-title " (self.id) "-desc" } {
                title id={ (self.id) "-title" } { (self.table.caption) }
                desc id={ (self.id) "-desc" } { (self.desc) }
                @for (i, (name, cells, value)) in rows.iter().enumerate() {
                    @let y = gap + i as u64 * (bar + gap);
                    @let w = (*value as f64 * scale).round() as u64;
                    @let shown = cells.first().cloned().unwrap_or_default();
                    g {
                        title { (name) " : " (shown) }
                        text x="0" y=(y + bar - 6) font-size="13" { (name) }
                        rect x=(label_w) y=(y) width=(w) height=(bar) fill="currentColor" {}
                        text x=(label_w + w + 6) y=(y + bar - 6) font-size="13" { (shown) }
                    }
                }
            }
        }
    }
}

/// Everything both pages show, computed once per request.
pub struct View<'a> {
    pub chrome: &'a Chrome,
    pub config: &'a Config,
    pub audience: Audience,
    pub period: Period,
    pub dashboard: Dashboard,
    /// The base path of the CSV links (`/admin/tableau-de-bord` or `/chiffres`).
    pub base: &'static str,
    /// The satisfaction survey's scores, oldest quarter first: every one
    /// for staff, those whose results are published for the public.
    pub satisfaction: Vec<Score>,
}

fn date(day: i64) -> String {
    metrics::date_of_day(day).to_string()
}

/// `3,7` in French, `3.7` in English.
fn one_decimal(lang: crate::i18n::Lang, x: f64) -> String {
    let text = format!("{x:.1}");
    match lang {
        crate::i18n::Lang::Fr => text.replace('.', ","),
        crate::i18n::Lang::En => text,
    }
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{} %", (part as f64 * 100.0 / whole as f64).round())
}

impl View<'_> {
    fn t(&self, key: &str) -> String {
        self.chrome.t(key)
    }

    fn days(&self, d: Delay) -> String {
        match d.median_days {
            Some(n) => self.chrome.lang.ta("metrics-days", &[("count", Arg::from(u64::from(n)))]),
            None => "—".into(),
        }
    }

    fn kind_name(&self, k: Kind) -> String {
        self.t(&format!("metrics-kind-{}", k.code()))
    }

    /// The census comparison of a period's participants, as the
    /// consultations' "who answered" section computes it.
    pub fn representation(&self, f: &Figures) -> Representation {
        let mut cells: BTreeMap<Group, CellCounts> = BTreeMap::new();
        for g in &f.groups {
            let group = Group {
                neighbourhood: Some(g.neighbourhood.clone()).filter(|s| !s.is_empty()),
                age_bracket: Some(g.age_bracket.clone()).filter(|s| !s.is_empty()),
            };
            cells.entry(group).or_insert_with(|| CellCounts { respondents: 0, counts: BTreeMap::new() }).respondents +=
                g.participants;
        }
        let ages: Vec<String> = AGE_BRACKETS.iter().map(|s| s.to_string()).collect();
        representation::represent(&cells, &self.config.commune.population, &self.config.commune.neighbourhoods, &ages)
    }

    pub fn table(&self, chart: Chart) -> DataTable {
        let (cur, prev) = (&self.dashboard.current, &self.dashboard.previous);
        let a = self.audience;
        match chart {
            Chart::Participants => DataTable {
                caption: self.t("metrics-chart-participants"),
                head: ["metrics-month", "metrics-participants", "metrics-new", "metrics-returning"]
                    .iter()
                    .map(|k| self.t(k))
                    .collect(),
                rows: cur
                    .months
                    .iter()
                    .map(|m| {
                        let small = |n: u64| a.is_public() && representation::shown(n) == Shown::FewerThanFive;
                        let hidden = small(m.active);
                        // New + returning = active: when one of the two is
                        // under 5, the other is withheld too, or the small
                        // one would be a subtraction away.
                        let split = if !hidden && (small(m.new) || small(m.returning())) {
                            let withheld = self.t("metrics-withheld");
                            vec![withheld.clone(), withheld]
                        } else {
                            vec![a.people(self.chrome, m.new), a.people(self.chrome, m.returning())]
                        };
                        (
                            metrics::month_label(m.month),
                            std::iter::once(a.people(self.chrome, m.active)).chain(split).collect(),
                            if hidden { 0 } else { m.active },
                        )
                    })
                    .collect(),
            },
            Chart::Contributions => DataTable {
                caption: self.t("metrics-chart-contributions"),
                head: ["metrics-kind", "metrics-this-period", "metrics-previous-period"]
                    .iter()
                    .map(|k| self.t(k))
                    .collect(),
                rows: a
                    .kinds()
                    .into_iter()
                    .map(|k| {
                        let (n, p) = (
                            cur.contributions.get(&k).copied().unwrap_or(0),
                            prev.contributions.get(&k).copied().unwrap_or(0),
                        );
                        (self.kind_name(k), vec![n.to_string(), p.to_string()], n)
                    })
                    .collect(),
            },
            Chart::Neighbourhoods | Chart::Ages => {
                let dimension = if chart == Chart::Ages { Dimension::Age } else { Dimension::Neighbourhood };
                let r = self.representation(cur);
                let rows = r
                    .breakdowns
                    .iter()
                    .filter(|b| b.dimension == dimension)
                    .flat_map(|b| b.groups.iter())
                    .map(|g| {
                        let hidden = a.is_public() && representation::shown(g.respondents) == Shown::FewerThanFive;
                        let name = match dimension {
                            Dimension::Age => self.t(&format!("age-{}", g.name)),
                            Dimension::Neighbourhood => g.name.clone(),
                        };
                        let share =
                            |s: Option<f64>| s.map_or("—".to_string(), |s| format!("{} %", (s * 100.0).round()));
                        (
                            name,
                            vec![
                                a.people(self.chrome, g.respondents),
                                if hidden { "—".into() } else { share(Some(g.respondent_share)) },
                                share(g.population_share),
                            ],
                            if hidden { 0 } else { g.respondents },
                        )
                    })
                    .collect();
                DataTable {
                    caption: self.t(if chart == Chart::Ages {
                        "metrics-chart-ages"
                    } else {
                        "metrics-chart-neighbourhoods"
                    }),
                    head: ["metrics-group", "metrics-participant-months", "metrics-share", "metrics-census-share"]
                        .iter()
                        .map(|k| self.t(k))
                        .collect(),
                    rows,
                }
            }
            Chart::Reports => DataTable {
                caption: self.t("metrics-chart-reports"),
                head: ["metrics-category", "metrics-reports-filed", "metrics-reports-fixed", "metrics-median-fix"]
                    .iter()
                    .map(|k| self.t(k))
                    .collect(),
                rows: cur
                    .impact
                    .reports_by_category
                    .iter()
                    .map(|(code, (filed, fixed, d))| {
                        let name = self.config.reports.category(code).map_or(code.clone(), |c| c.name.clone());
                        (name, vec![filed.to_string(), fixed.to_string(), self.days(*d)], *filed)
                    })
                    .collect(),
            },
            // The mean is the bar (in tenths, the scale is 1 to 5); under 5
            // answers there is none (`satisfaction::scores`), and the
            // public does not see how many fewer than 5 answered.
            Chart::Satisfaction => DataTable {
                caption: self.t("metrics-chart-satisfaction"),
                head: ["satisfaction-quarter", "satisfaction-mean", "satisfaction-answers"]
                    .iter()
                    .map(|k| self.t(k))
                    .collect(),
                rows: self
                    .satisfaction
                    .iter()
                    .map(|s| {
                        let mean =
                            s.mean.map_or_else(|| self.t("satisfaction-too-few"), |m| one_decimal(self.chrome.lang, m));
                        let bar = s.mean.map_or(0, |m| (m * 10.0).round() as u64);
                        (quarter_label(s.quarter), vec![mean, a.people(self.chrome, s.answered)], bar)
                    })
                    .collect(),
            },
        }
    }

    fn chart_desc(&self, chart: Chart) -> String {
        let p = self.period;
        self.chrome.lang.ta(
            &format!("metrics-desc-{}", chart.code()),
            &[("from", Arg::from(date(p.from))), ("to", Arg::from(date(p.to)))],
        )
    }

    fn csv_link(&self, chart: Chart) -> String {
        format!(
            "{}/donnees.csv?chart={}&du={}&au={}",
            self.base,
            chart.code(),
            date(self.period.from),
            date(self.period.to)
        )
    }

    /// A chart, its table and its CSV link.
    pub fn figure(&self, chart: Chart) -> Markup {
        let table = self.table(chart);
        let id = match chart {
            Chart::Participants => "chart-participants",
            Chart::Contributions => "chart-contributions",
            Chart::Neighbourhoods => "chart-quartiers",
            Chart::Ages => "chart-ages",
            Chart::Reports => "chart-signalements",
            Chart::Satisfaction => "chart-satisfaction",
        };
        html! {
            figure.metrics-figure {
                @if table.rows.is_empty() {
                    p { (self.t("metrics-nothing-yet")) }
                } @else {
                    (BarChart { id, table: &table, desc: self.chart_desc(chart) })
                    (table.table())
                }
                p.no-print { a href=(self.csv_link(chart)) download { (self.t("metrics-download-csv")) " — " (table.caption) } }
            }
        }
    }

    /// The headline figures against the previous period.
    pub fn headline(&self) -> Markup {
        let (cur, prev) = (&self.dashboard.current, &self.dashboard.previous);
        let (pm, new) = cur.participant_months();
        let (ppm, _) = prev.participant_months();
        let total = |f: &Figures| -> u64 {
            self.audience.kinds().iter().map(|k| f.contributions.get(k).copied().unwrap_or(0)).sum()
        };
        html! {
            table.data-table {
                caption { (self.t("metrics-headline")) }
                thead { tr {
                    th scope="col" { (self.t("metrics-figure")) }
                    th scope="col" { (self.t("metrics-this-period")) }
                    th scope="col" { (self.t("metrics-previous-period")) }
                } }
                tbody {
                    tr { th scope="row" { (self.t("metrics-participant-months")) }
                         td { (self.audience.people(self.chrome, pm)) } td { (self.audience.people(self.chrome, ppm)) } }
                    tr { th scope="row" { (self.t("metrics-new")) }
                         td { (self.audience.people(self.chrome, new)) } td { "—" } }
                    tr { th scope="row" { (self.t("metrics-contributions")) } td { (total(cur)) } td { (total(prev)) } }
                }
            }
        }
    }

    /// What the contributions changed.
    pub fn impact(&self) -> Markup {
        let i = &self.dashboard.current.impact;
        let row = |key: &str, value: String| html! { tr { th scope="row" { (self.t(key)) } td { (value) } } };
        html! {
            table.data-table {
                caption { (self.t("metrics-impact")) }
                tbody {
                    (row("metrics-proposals", i.proposals.to_string()))
                    (row("metrics-proposals-answered", format!("{} ({})", i.proposals_answered, percent(i.proposals_answered, i.proposals))))
                    (row("metrics-median-answer", self.days(i.answer_delay)))
                    (row("metrics-proposals-accepted", i.proposals_accepted.to_string()))
                    (row("impact-median-accepted", self.days(i.accepted_delay)))
                    (row("metrics-proposals-done", i.proposals_done.to_string()))
                    (row("impact-median-done", self.days(i.done_delay)))
                    (row("metrics-reports", i.reports.to_string()))
                    (row("metrics-reports-fixed", format!("{} ({})", i.reports_fixed, percent(i.reports_fixed, i.reports))))
                    (row("metrics-median-fix", self.days(i.fix_delay)))
                    (row("metrics-consultations-closed", i.consultations_closed.to_string()))
                    (row("metrics-consultations-outcome", format!("{} ({})", i.consultations_with_outcome, percent(i.consultations_with_outcome, i.consultations_closed))))
                    (row("metrics-median-outcome", self.days(i.outcome_delay)))
                }
            }
            p.hint { (self.t("metrics-budgets-not-yet")) }
        }
    }

    /// The representativeness score of the period, against the census.
    pub fn score(&self) -> Markup {
        let r = self.representation(&self.dashboard.current);
        html! {
            p {
                (self.t("metrics-score")) " : "
                strong { (r.score.map_or("—".to_string(), |s| format!("{:.2}", s))) }
            }
            p.hint { (self.t("metrics-score-what")) }
        }
    }

    /// The range form (GET, no script).
    pub fn range_form(&self, action: &str) -> Markup {
        html! {
            form.no-print method="get" action=(action) {
                div.form-group {
                    label for="du" { (self.t("metrics-from")) }
                    input #du name="du" type="date" value=(date(self.period.from));
                }
                div.form-group {
                    label for="au" { (self.t("metrics-to")) }
                    input #au name="au" type="date" value=(date(self.period.to));
                }
                button.button type="submit" { (self.t("metrics-show")) }
            }
            (self.period_line())
        }
    }

    /// "From … to …, compared with …": on the pages under their form, and
    /// at the top of the printed summary, which must say what it covers.
    pub fn period_line(&self) -> Markup {
        html! {
            p { (self.chrome.lang.ta("metrics-period", &[
                ("from", Arg::from(date(self.period.from))), ("to", Arg::from(date(self.period.to))),
                ("pfrom", Arg::from(date(self.period.previous().from))), ("pto", Arg::from(date(self.period.previous().to))),
            ])) }
        }
    }

    /// The page's body, both audiences.
    pub fn body(&self, action: &str) -> Markup {
        html! {
            (self.range_form(action))
            (self.headline())
            section aria-labelledby="metrics-engagement" {
                h2 #metrics-engagement { (self.t("metrics-engagement")) }
                (self.figure(Chart::Participants))
                (self.figure(Chart::Contributions))
            }
            section aria-labelledby="metrics-who" {
                h2 #metrics-who { (self.t("metrics-who")) }
                (self.score())
                (self.figure(Chart::Neighbourhoods))
                (self.figure(Chart::Ages))
            }
            section aria-labelledby="metrics-impact-h" {
                h2 #metrics-impact-h { (self.t("metrics-impact")) }
                (self.impact())
                (self.figure(Chart::Reports))
            }
        }
    }

    /// One chart's table as a CSV download.
    pub fn csv_response(&self, chart: Chart) -> Result<Response, AppError> {
        let body = self.table(chart).csv()?;
        Ok(Response::builder()
            .content_type("text/csv; charset=utf-8")
            .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"chiffres-{}.csv\"", chart.code()))
            .body(body))
    }
}
