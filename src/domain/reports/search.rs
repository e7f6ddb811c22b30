//! A report as the site search sees it: its number and category's name,
//! its description, its place. Only a public report is found: one waiting
//! for its author's confirmation or hidden by staff is not (the loader
//! answers `None`, and the index deletes it), and every change of a report
//! is in the change log the index follows (`write`, `hide`).

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable};

use super::*;
use crate::config::Config;
use crate::i18n::{Arg, Lang};

/// What a report's document needs from the configuration: the categories'
/// names and the commune's language, in which the one index is written
/// for everyone (as the timeline is). Without a configuration (`parvis
/// reindex --data-dir`), a category is its code.
#[derive(Clone, Debug, Default)]
pub struct SearchNames {
    pub lang: Lang,
    pub categories: BTreeMap<String, String>,
}

impl SearchNames {
    pub fn of(config: &Config) -> SearchNames {
        SearchNames {
            lang: config.default_language,
            categories: config.reports.categories.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
        }
    }
}

/// The status code of a report in the index: prefixed, so that a report's
/// "new" or "closed" is not counted with another kind's.
pub const SEARCH_STATUS_PREFIX: &str = "report-";

/// The search document of report `id`, or `None` when it must not be found.
pub fn search_document(
    tx: &ReadTransaction,
    id: ReportId,
    names: &SearchNames,
) -> Result<Option<crate::search::Document>, StoreError> {
    let Some(r) = get(tx, id)? else { return Ok(None) };
    if !r.confirmed || is_hidden(tx, id)? {
        return Ok(None);
    }
    let category = names.categories.get(&r.category).cloned().unwrap_or_else(|| r.category.clone());
    let number = names.lang.ta("problem-number", &[("number", Arg::from(id.get()))]);
    // Markdown marks are not words: keep the text readable in snippets.
    let mut body: String =
        r.description.chars().filter(|c| !matches!(c, '*' | '_' | '#' | '`' | '>' | '[' | ']')).collect();
    for place in [&r.address, &r.neighbourhood].into_iter().flatten() {
        body.push('\n');
        body.push_str(place);
    }
    Ok(Some(crate::search::Document {
        kind: ContentKind::Report,
        id: id.get(),
        title: format!("{number} — {category}"),
        body,
        status: Some(format!("{SEARCH_STATUS_PREFIX}{}", r.status)),
        neighbourhood: r.neighbourhood,
        created_at: r.created_at,
        url: format!("/signalements/{id}"),
    }))
}

/// Every report, for a full rebuild (`search_document` decides).
pub fn all_ids(tx: &ReadTransaction) -> Result<Vec<ReportId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open_table(PROBLEM_REPORT_BY_ID)?.iter()? {
        out.push(ReportId(row?.0.value()));
    }
    Ok(out)
}
