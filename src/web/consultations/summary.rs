//! The printable summary of a consultation for the municipal council
//! (`/consultations/:id/synthese`): its title and dates, the answers by
//! channel, the highlights of its outcome once published, then each
//! counted question with its chart and table, and the codes of the
//! written answers. Whoever may read the results may read it. Its own
//! stylesheet lays it out on A4, a question per page, without the site's
//! header and navigation; the « Imprimer » button needs JavaScript and is
//! shown by `print.js` only.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};

use super::coding::code_table;
use super::results::{counted, visible};
use super::{date, dates_line};
use crate::app::AppState;
use crate::domain::consultations::{self, coding, CodeCount, Consultation, Outcome, Results};
use crate::domain::{now_unix, publication};
use crate::i18n::Arg;
use crate::web::assets;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page_with_head;

/// The answers by channel, as a table.
fn channels(chrome: &Chrome, r: &Results) -> Markup {
    let online = r.answers.saturating_sub(r.paper + r.interview);
    html! {
        table.summary-channels {
            caption { (chrome.t("consultation-summary-channels")) }
            thead { tr {
                th scope="col" { (chrome.t("consultation-export-channel")) }
                th scope="col" { (chrome.t("consultation-results-count")) }
            } }
            tbody {
                tr { th scope="row" { (chrome.t("consultation-results-online")) } td { (online) } }
                tr { th scope="row" { (chrome.t("consultation-channel-paper")) } td { (r.paper) } }
                tr { th scope="row" { (chrome.t("consultation-channel-interview")) } td { (r.interview) } }
                tr { th scope="row" { (chrome.t("consultation-summary-total")) } td { (r.answers) } }
            }
        }
        @if r.visitors > 0 {
            p.meta { (chrome.lang.ta("consultation-results-visitors", &[("count", Arg::from(r.visitors))])) }
        }
    }
}

/// What residents said and what the commune decided, as published.
fn outcome(chrome: &Chrome, o: &Outcome) -> Markup {
    html! {
        section.summary-outcome aria-labelledby="synthese-bilan" {
            h2 #synthese-bilan { (chrome.t("consultation-outcome-title")) }
            p.meta { (chrome.lang.ta("consultation-outcome-published-on", &[("date", Arg::from(date(o.published_at)))])) }
            h3 { (chrome.t("consultation-outcome-said")) }
            div.prose { (crate::markdown::render(&o.said)) }
            h3 { (chrome.t("consultation-outcome-did")) }
            div.prose { (crate::markdown::render(&o.decided)) }
        }
    }
}

/// Each counted question with its chart and table, then each coded
/// question with its codes' counts; a section each, which starts a page
/// when printed.
fn questions(chrome: &Chrome, c: &Consultation, r: &Results, codes: &[(u32, Vec<CodeCount>)]) -> Markup {
    let split = r.paper + r.interview > 0;
    html! {
        @for res in &r.questions {
            @if let Some(q) = c.question(res.question) {
                @let coded = codes.iter().find(|(qid, _)| *qid == q.id).map(|(_, list)| list);
                @if q.kind.is_counted() || coded.is_some() {
                    section.summary-question aria-labelledby={ "s" (q.id) } {
                        h2 id={ "s" (q.id) } { (q.label) }
                        p.meta {
                            (chrome.lang.ta("consultation-results-answered", &[("count", Arg::from(res.answered))]))
                            @if q.hidden { " · " (chrome.t("consultation-hidden-note")) }
                        }
                        @if q.kind.is_counted() { (counted(chrome, q, res, split, &[])) }
                        @if let Some(list) = coded { (code_table(chrome, q, res, list, None)) }
                    }
                }
            }
        }
    }
}

/// `GET /consultations/:id/synthese`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let c = visible(&chrome, &state, id)?;
    let tx = state.store.read()?;
    let r = consultations::results(&tx, &c)?;
    let o = consultations::outcome(&tx, c.id)?;
    let codes: Vec<(u32, Vec<CodeCount>)> = coding::all_codes(&tx, c.id)?.into_iter().collect();
    drop(tx);
    let lang = chrome.lang;
    let title = lang.ta("consultation-summary-title", &[("title", Arg::from(c.title.as_str()))]);
    let head = html! {
        link rel="stylesheet" href=(assets::url("css/summary.css"));
        script src=(assets::url("js/print.js")) defer {}
    };
    Ok(page_with_head(
        &chrome,
        &title,
        head,
        html! {
            article.summary {
                p.breadcrumb.no-print { a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-summary-back")) } }
                div.actions.no-print {
                    button.button type="button" data-print hidden { (chrome.t("consultation-summary-print")) }
                    span.hint { (chrome.t("consultation-summary-print-hint")) }
                }
                h1 { (title) }
                // Printed before they are published (by staff, while it is
                // open), the figures are not the final ones.
                @if !publication::consultation_results_visible(&c, now_unix()) { p.hint { (chrome.t("consultation-results-staff-only")) } }
                dl.summary-facts {
                    @if let Some(dates) = dates_line(lang, &c) {
                        dt { (chrome.t("consultation-summary-dates")) } dd { (dates) }
                    }
                    dt { (chrome.t("consultation-summary-answers")) }
                    dd { (lang.ta("consultation-results-total", &[("count", Arg::from(r.answers))])) }
                    dt { (chrome.t("consultation-summary-printed")) } dd { (date(now_unix())) }
                }
                @if !c.summary.is_empty() { p.lead { (c.summary) } }
                (channels(&chrome, &r))
                @if let Some(o) = &o { (outcome(&chrome, o)) }
                (questions(&chrome, &c, &r, &codes))
            }
        },
    ))
}
