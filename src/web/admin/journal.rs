//! `/admin/journal`: the audit log, newest first, filtered by action,
//! account and dates (days of the commune's time zone), a page at a time.
//! Reading the log is not itself logged: it changes nothing.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{person_name, query_string, PAGE_SIZE};
use crate::app::AppState;
use crate::domain::accounts::{self, Account, AccountId};
use crate::domain::audit::{self, Action, Event, Filter};
use crate::web::account::settings::when;
use crate::web::auth::Admin;
use crate::web::chrome::Chrome;
use crate::web::components::{select, submit, table_head, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;

#[derive(Deserialize, Default, Clone)]
pub struct JournalQuery {
    /// An action code (`Action::code`), empty for all.
    #[serde(default)]
    action: String,
    /// The email address of an account.
    #[serde(default)]
    compte: String,
    /// An account id (links from an account's page; works for deleted ones).
    #[serde(default)]
    id: String,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    du: String,
    /// Last day, included.
    #[serde(default)]
    au: String,
    /// Events older than this id (the next page).
    #[serde(default)]
    avant: String,
}

/// The translation key of an action.
pub fn action_key(action: Action) -> String {
    format!("audit-action-{}", action.code())
}

/// The start of a day in the commune's time zone, as Unix seconds.
fn day_start(date: jiff::civil::Date) -> Option<i64> {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    date.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

/// Turns the query into a filter, or errors for the fields that are wrong.
fn filter_of(chrome: &Chrome, state: &AppState, q: &JournalQuery) -> Result<(Filter, FormErrors), AppError> {
    let mut errors = FormErrors::default();
    let mut filter = Filter::default();
    if !q.action.is_empty() {
        match Action::from_code(&q.action) {
            Some(a) => filter.action = Some(a),
            None => errors.add("action", chrome.t("error-choose-from-list")),
        }
    }
    if let Ok(id) = q.id.parse::<AccountId>() {
        filter.account = Some(id);
    } else if !q.compte.trim().is_empty() {
        match accounts::find_by_email(&state.store.read()?, &q.compte)? {
            Some(a) => filter.account = Some(a.id),
            None => errors.add("compte", chrome.t("admin-journal-no-account")),
        }
    }
    let mut date = |field: &str, text: &str| -> Option<jiff::civil::Date> {
        if text.trim().is_empty() {
            return None;
        }
        let parsed = text.trim().parse::<jiff::civil::Date>().ok();
        if parsed.is_none() {
            errors.add(field, chrome.t("admin-journal-bad-date"));
        }
        parsed
    };
    let from = date("du", &q.du);
    let to = date("au", &q.au);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errors.add("au", chrome.t("admin-journal-dates-reversed"));
        }
    }
    filter.since = from.and_then(day_start);
    filter.until = to.and_then(|d| d.tomorrow().ok()).and_then(day_start);
    Ok((filter, errors))
}

/// `GET /admin/journal`.
#[poem::handler]
pub async fn journal(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(_admin): Admin,
    Query(q): Query<JournalQuery>,
) -> Result<Response, AppError> {
    let (filter, errors) = filter_of(&chrome, &state, &q)?;
    let before = q.avant.parse::<u64>().ok();
    let tx = state.store.read()?;
    let mut events = if errors.is_empty() { audit::list(&tx, &filter, before, PAGE_SIZE + 1)? } else { Vec::new() };
    let more = events.len() > PAGE_SIZE;
    events.truncate(PAGE_SIZE);
    let mut people: HashMap<AccountId, Option<Account>> = HashMap::new();
    for (_, e) in &events {
        for id in [e.actor, e.subject].into_iter().flatten() {
            if let Entry::Vacant(slot) = people.entry(id) {
                slot.insert(accounts::get(&tx, id)?);
            }
        }
    }
    drop(tx);
    // An account chosen by id is shown by its address when it has one.
    let mut shown = q.clone();
    if let (Some(id), true) = (q.id.parse::<AccountId>().ok(), q.compte.is_empty()) {
        if let Some(Some(a)) = people.get(&id) {
            shown.compte = a.email.clone();
        }
    }
    let next = events.last().filter(|_| more).map(|(id, _)| id.to_string()).unwrap_or_default();
    let keep = [
        ("action", q.action.as_str()),
        ("compte", q.compte.as_str()),
        ("id", q.id.as_str()),
        ("du", q.du.as_str()),
        ("au", q.au.as_str()),
    ];
    let mut next_pairs = keep.to_vec();
    next_pairs.push(("avant", &next));
    let mut actions = vec![(String::new(), chrome.t("admin-journal-all-actions"))];
    actions.extend(Action::ALL.iter().map(|a| (a.code().to_string(), chrome.t(&action_key(*a)))));
    let title = chrome.t("admin-journal-title");
    let person = |id: Option<AccountId>| -> Markup {
        match id {
            None => html! { "—" },
            Some(id) => {
                let account = people.get(&id).and_then(|a| a.as_ref());
                html! { a href={ "/admin/comptes/" (id) } { (person_name(&chrome, account)) } }
            }
        }
    };
    let markup = page_with_errors(
        &chrome,
        &title,
        &errors,
        html! {
            p { a href="/admin" { (chrome.t("admin-back")) } }
            h1 { (title) }
            p.lead { (chrome.lang.ta("admin-journal-lead", &[("days", u64::from(state.config.retention.audit_days).into())])) }
            form method="get" action="/admin/journal" role="search" novalidate {
                (select(&chrome, &errors, "action", &chrome.t("admin-journal-action"), None, &actions, &q.action))
                (Input::new("compte", chrome.t("admin-journal-account"), &shown.compte).kind("email").optional()
                    .hint(chrome.t("admin-journal-account-hint")).render(&chrome, &errors))
                (Input::new("du", chrome.t("admin-journal-from"), &q.du).kind("date").optional().render(&chrome, &errors))
                (Input::new("au", chrome.t("admin-journal-to"), &q.au).kind("date").optional().render(&chrome, &errors))
                (submit(&chrome.t("admin-journal-submit")))
                " "
                a href="/admin/journal" { (chrome.t("admin-journal-clear")) }
            }
            @if events.is_empty() {
                p { (chrome.t("admin-journal-none")) }
            } @else {
                table {
                    caption { (chrome.t("admin-journal-caption")) }
                    (table_head(&chrome, &["admin-journal-when", "admin-journal-action", "admin-journal-actor", "admin-journal-subject", "sessions-ip", "admin-journal-detail"]))
                    tbody {
                        @for (_, e) in &events {
                            (row(&chrome, e, &person))
                        }
                    }
                }
            }
            @if before.is_some() || more {
                nav aria-label=(chrome.t("admin-pagination")) {
                    ul.actions {
                        @if before.is_some() {
                            li { a href={ "/admin/journal?" (query_string(&keep)) } { (chrome.t("admin-journal-newest")) } }
                        }
                        @if more {
                            li { a href={ "/admin/journal?" (query_string(&next_pairs)) } { (chrome.t("admin-journal-older")) } }
                        }
                    }
                }
            }
        },
    );
    Ok(match errors.is_empty() {
        true => markup.into_response(),
        false => refused(markup, StatusCode::UNPROCESSABLE_ENTITY),
    })
}

fn row(chrome: &Chrome, e: &Event, person: &dyn Fn(Option<AccountId>) -> Markup) -> Markup {
    html! {
        tr {
            td { time datetime=(jiff::Timestamp::from_second(e.at).map(|t| t.to_string()).unwrap_or_default()) { (when(e.at)) } }
            td { (chrome.t(&action_key(e.action))) }
            td { (person(e.actor)) }
            td { (person(e.subject)) }
            td { (e.ip) }
            td { (e.detail) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_action_has_a_name_in_both_languages() {
        for lang in Lang::ALL {
            for a in Action::ALL {
                assert!(lang.try_t(&action_key(*a)).is_some(), "{}: {}", lang.code(), action_key(*a));
            }
        }
    }

    /// Fails while jiff is built without a time zone database (neither
    /// `tzdb-zoneinfo` nor `tzdb-bundle-always`): `TimeZone::get` then
    /// errs and every time falls back to UTC, here and in `when`.
    #[test]
    fn days_start_at_midnight_in_paris() {
        let winter: jiff::civil::Date = "2026-01-15".parse().unwrap();
        // 2026-01-15 00:00 in Paris (UTC+1) is 2026-01-14 23:00 UTC.
        assert_eq!(day_start(winter), Some(1_768_431_600));
    }
}
