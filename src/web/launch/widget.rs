//! `/widget`: a small page of the open processes that the commune's main
//! website shows in an `<iframe>` (issue 16). It stands alone (no header,
//! no script, no form), sets no cookie, and may be framed only by the
//! origins of `widget.allowed_origins` (its own Content-Security-Policy,
//! see `web::middleware::security_headers`); each link opens the full site
//! in a new tab, never inside the frame.

use std::sync::Arc;

use maud::{html, Markup, DOCTYPE};
use poem::web::{Data, Query};
use poem::Request;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::groups::{self, Process};
use crate::domain::{budgets, consultations, meetings, now_unix, proposals};
use crate::i18n::{Arg, Lang};
use crate::web::assets;
use crate::web::errors::AppError;
use crate::web::proposals::date;

/// Its address, which the middleware gives its own headers.
pub const PATH: &str = "/widget";

/// `?lang=en`: the language of the page, whatever the browser's.
#[derive(Debug, Default, Deserialize)]
pub struct WidgetQuery {
    pub lang: Option<String>,
}

/// One open process, as the widget lists it.
struct Item {
    title: String,
    path: String,
    dates: String,
}

/// The Content-Security-Policy of the widget: the site's own, but framed by
/// `origins` only (`'none'` when there are none).
pub fn content_security_policy(origins: &[String]) -> String {
    let ancestors = if origins.is_empty() { "'none'".to_string() } else { origins.join(" ") };
    crate::web::middleware::content_security_policy()
        .replace("frame-ancestors 'none'", &format!("frame-ancestors {ancestors}"))
}

/// The `<iframe>` the admin pastes on the commune's website.
pub fn snippet(state: &AppState, lang: Lang) -> String {
    let base = state.config.server.public_url.as_str().trim_end_matches('/');
    let title = lang.ta("widget-title", &[("commune", Arg::from(state.config.commune.name.as_str()))]);
    let title = title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{base}{PATH}\" title=\"{title}\" width=\"100%\" height=\"420\" style=\"border:0\" loading=\"lazy\"></iframe>"
    )
}

fn open_processes(state: &AppState, lang: Lang, now: i64) -> Result<Vec<(&'static str, Vec<Item>)>, AppError> {
    let tx = state.store.read()?;
    let span =
        |from: i64, to: i64| lang.ta("widget-dates", &[("from", Arg::from(date(from))), ("to", Arg::from(date(to)))]);
    // A process private to a pilot group is in no public list, this one
    // included (the widget is read by visitors: no session).
    let private: std::collections::BTreeSet<Process> =
        groups::private_processes(&*tx)?.into_iter().map(|(p, _)| p).collect();
    let public = |p: Process| !private.contains(&p);
    let boxes = proposals::boxes(&tx)?
        .into_iter()
        .filter(|b| b.is_open(now) && public(Process::IdeaBox(b.id)))
        .map(|b| Item {
            title: b.title.clone(),
            path: format!("/idees/{}", b.id.get()),
            dates: span(b.opens_at, b.closes_at),
        })
        .collect();
    let consultations = consultations::list(&tx)?
        .into_iter()
        .filter(|c| c.phase(now) == consultations::Phase::Open && public(Process::Consultation(c.id)))
        .map(|c| {
            let dates = c.published.as_ref().map(|d| span(d.opens_at, d.closes_at)).unwrap_or_default();
            Item { title: c.title.clone(), path: format!("/consultations/{}", c.id.get()), dates }
        })
        .collect();
    let budgets = budgets::list(&tx)?
        .into_iter()
        .filter(|b| {
            matches!(b.phase(now), budgets::Phase::Submission | budgets::Phase::Vote) && public(Process::Budget(b.id))
        })
        .map(|b| {
            let phase = lang.t(&format!("widget-budget-{}", b.phase(now).code()));
            Item { title: b.title.clone(), path: format!("/budgets/{}", b.id.get()), dates: phase }
        })
        .collect();
    let meetings = meetings::upcoming(&tx, now, 50)?
        .into_iter()
        .filter(|m| public(Process::Meeting(m.id)))
        .take(3)
        .map(|m| Item {
            title: m.title.clone(),
            path: format!("/rendez-vous/{}", m.id.get()),
            dates: crate::web::proposals::date_time(m.starts_at),
        })
        .collect();
    Ok(vec![
        ("widget-boxes", boxes),
        ("widget-consultations", consultations),
        ("widget-budgets", budgets),
        ("widget-meetings", meetings),
    ])
}

/// `GET /widget`.
#[poem::handler]
pub async fn show(
    req: &Request,
    state: Data<&Arc<AppState>>,
    Query(q): Query<WidgetQuery>,
) -> Result<Markup, AppError> {
    let lang =
        q.lang.as_deref().and_then(Lang::from_code).unwrap_or_else(|| crate::web::chrome::language_of(req, &state));
    let sections = open_processes(&state, lang, now_unix())?;
    let base = state.config.server.public_url.as_str().trim_end_matches('/').to_string();
    let commune = state.config.commune.name.as_str();
    let title = lang.ta("widget-title", &[("commune", Arg::from(commune))]);
    let any = sections.iter().any(|(_, items)| !items.is_empty());
    Ok(html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href=(assets::url("css/widget.css"));
                link rel="stylesheet" href={ "/theme/" (state.theme.file) };
                // Named, so that a browser opening the widget on its own asks
                // for no /favicon.ico, whose 404 page would set a cookie.
                link rel="icon" href=(assets::url("img/favicon.svg")) type="image/svg+xml";
            }
            body {
                a.skip-link href="#module" { (lang.t("skip-to-content")) }
                main.widget #module {
                    h1 { (title) }
                    @if !any {
                        p { (lang.t("widget-nothing-open")) }
                    }
                    @for (key, items) in &sections {
                        @if !items.is_empty() {
                            h2 { (lang.t(key)) }
                            ul {
                                @for item in items {
                                    li {
                                        a href={ (base) (item.path) } target="_blank" rel="noopener" { (item.title) }
                                        span.dates { (item.dates) }
                                    }
                                }
                            }
                        }
                    }
                    p.all { a href={ (base) "/" } target="_blank" rel="noopener" { (lang.ta("widget-all", &[("commune", Arg::from(commune))])) } }
                }
            }
        }
    })
}
