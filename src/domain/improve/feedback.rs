//! « Cette page vous a-t-elle été utile ? »: a yes or no on any public
//! page, with an optional short comment, counted per page for the town
//! hall.
//!
//! Nothing personal is kept with an answer: no account, no address, and
//! the day only (not the second), so that an answer cannot be matched to a
//! line of the access log. A page is its path without the query string,
//! ids kept: each proposal, consultation or report counts on its own, so
//! that staff see which one is unclear, not only which kind of page. Only
//! the paths of the public sections are counted: a script cannot fill the
//! table with made-up pages (and the handler limits how often an address
//! answers).

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::*;
use crate::store::{decode, encode, Record, StoreError, Tx};

/// The longest comment, in characters: a few sentences.
pub const MAX_REMARK: usize = 500;
/// The longest page path counted.
pub const MAX_PATH: usize = 120;
/// The most segments of a counted path (`/budgets/3/projets/12`).
const MAX_SEGMENTS: usize = 4;

/// The first segment of the paths counted: the public sections (the home
/// page is `/`). The account, sign-in and administration pages are not
/// « pages » a resident judges, and every other path is a 404.
pub const PUBLIC_SECTIONS: &[&str] = &[
    "consultations",
    "idees",
    "propositions",
    "budgets",
    "signalements",
    "rendez-vous",
    "actualites",
    "lettres",
    "pages",
    "recherche",
    "chiffres",
    "ameliorer",
    "ce-que-nous-avons-fait",
    "ce-qui-a-change",
    "discussions",
    "mentions-legales",
    "donnees-personnelles",
    "accessibilite",
    "api",
    "inscription",
    "connexion",
];

/// A comment left with an answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Remark {
    /// The answer it came with: « oui » or « non ».
    pub useful: bool,
    pub text: String,
    /// The day it was left (Unix days, UTC): no finer, see the module.
    pub day: i64,
}

impl Record for Remark {
    const NAME: &'static str = "page remark";
    const VERSION: u8 = 1;
}

#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    /// The path is not one of a public page.
    #[error("not a public page")]
    NotAPage,
    #[error("the comment is longer than {MAX_REMARK} characters")]
    TooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(FeedbackError);

/// The page a path is counted under, or `None` when it is not a public
/// page: no query string nor fragment, no trailing slash, lower-case
/// letters, digits, `-` and `_` only in each segment.
pub fn normalise(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix('/')?;
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Some("/".to_string());
    }
    if path.len() + 1 > MAX_PATH {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let fine = |s: &&str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if segments.len() > MAX_SEGMENTS || !segments.iter().all(fine) || !PUBLIC_SECTIONS.contains(&segments[0]) {
        return None;
    }
    Some(format!("/{path}"))
}

/// Someone answers « utile ? » on a page: its totals count the answer and
/// the comment, if any, is kept with the day, all in the caller's
/// transaction. Returns the page as counted.
pub fn answer(
    tx: &WriteTransaction,
    path: &str,
    useful: bool,
    comment: &str,
    now: i64,
) -> Result<String, FeedbackError> {
    let page = normalise(path).ok_or(FeedbackError::NotAPage)?;
    let text = comment.trim();
    if text.chars().count() > MAX_REMARK {
        return Err(FeedbackError::TooLong);
    }
    let mut totals = tx.open_table(PAGE_FEEDBACK_TOTALS_BY_PATH)?;
    let (yes, no) = totals.get(page.as_str())?.map(|v| v.value()).unwrap_or((0, 0));
    let counted = if useful { (yes + 1, no) } else { (yes, no + 1) };
    totals.insert(page.as_str(), counted)?;
    if !text.is_empty() {
        let mut counters = tx.open_table(PAGE_FEEDBACK_COUNTER_BY_NAME)?;
        let id = counters.get("next_remark")?.map(|v| v.value()).unwrap_or(1);
        counters.insert("next_remark", id + 1)?;
        let remark = Remark { useful, text: text.to_string(), day: now.div_euclid(86_400) };
        tx.open_table(PAGE_FEEDBACK_REMARK_BY_PATH_ID)?.insert((page.as_str(), id), encode(&remark)?.as_slice())?;
    }
    Ok(page)
}

/// One page's answers.
#[derive(Clone, Debug, PartialEq)]
pub struct PageTotals {
    pub path: String,
    pub yes: u64,
    pub no: u64,
    pub remarks: u64,
}

impl PageTotals {
    pub fn answers(&self) -> u64 {
        self.yes + self.no
    }

    /// The share of « oui », in whole per cent.
    pub fn yes_percent(&self) -> u64 {
        match self.answers() {
            0 => 0,
            n => (self.yes * 100 + n / 2) / n,
        }
    }
}

/// Every page answered, the most answered first (then by path).
pub fn totals(tx: &impl Tx) -> Result<Vec<PageTotals>, StoreError> {
    let remarks = tx.open(PAGE_FEEDBACK_REMARK_BY_PATH_ID)?;
    let mut out = Vec::new();
    for row in tx.open(PAGE_FEEDBACK_TOTALS_BY_PATH)?.iter()? {
        let (path, counts) = row?;
        let path = path.value().to_string();
        let (yes, no) = counts.value();
        let n = remarks.range((path.as_str(), 0)..=(path.as_str(), u64::MAX))?.count() as u64;
        out.push(PageTotals { path, yes, no, remarks: n });
    }
    out.sort_by(|a, b| b.answers().cmp(&a.answers()).then_with(|| a.path.cmp(&b.path)));
    Ok(out)
}

/// A page's comments, newest first, at most `limit`.
pub fn remarks_of(tx: &impl Tx, path: &str, limit: usize) -> Result<Vec<Remark>, StoreError> {
    let table = tx.open(PAGE_FEEDBACK_REMARK_BY_PATH_ID)?;
    let mut out = Vec::new();
    for row in table.range((path, 0)..=(path, u64::MAX))?.rev().take(limit) {
        out.push(decode::<Remark>(row?.1.value())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn paths_are_counted_without_their_query_and_only_for_public_pages() {
        assert_eq!(normalise("/").as_deref(), Some("/"));
        assert_eq!(normalise("/idees/3?tri=recentes#x").as_deref(), Some("/idees/3"));
        assert_eq!(normalise("/propositions/12/").as_deref(), Some("/propositions/12"));
        assert_eq!(normalise("/ameliorer").as_deref(), Some("/ameliorer"));
        assert_eq!(normalise("/admin/comptes"), None, "the back office is not counted");
        assert_eq!(normalise("/compte"), None);
        assert_eq!(normalise("/n-importe-quoi"), None, "not a section");
        assert_eq!(normalise("idees"), None, "not a path");
        assert_eq!(normalise("/idees/<script>"), None);
        assert_eq!(normalise("/IDEES"), None);
        assert_eq!(normalise("/idees//3"), None);
        assert_eq!(normalise("/budgets/1/projets/2/photos"), None, "too deep");
        assert_eq!(normalise(&format!("/idees/{}", "a".repeat(200))), None, "too long");
    }

    #[tokio::test]
    async fn answers_are_counted_per_page_and_comments_kept_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("f.redb"), 8).unwrap();
        let now = 20_000 * 86_400 + 3_600;
        store
            .write(move |tx| {
                answer(tx, "/idees/3?tri=soutenues", true, "", now).unwrap();
                answer(tx, "/idees/3", true, "  Très clair.  ", now).unwrap();
                answer(tx, "/idees/3/", false, "Où est le bouton ?", now + 86_400).unwrap();
                answer(tx, "/", false, "", now).unwrap();
                assert!(matches!(answer(tx, "/admin", true, "", now), Err(FeedbackError::NotAPage)));
                let long = "é".repeat(MAX_REMARK + 1);
                assert!(matches!(answer(tx, "/", true, &long, now), Err(FeedbackError::TooLong)));
                answer(tx, "/", true, &"é".repeat(MAX_REMARK), now).unwrap();
                Ok::<_, FeedbackError>(())
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        let all = totals(&*tx).unwrap();
        assert_eq!(
            all,
            vec![
                PageTotals { path: "/idees/3".into(), yes: 2, no: 1, remarks: 2 },
                PageTotals { path: "/".into(), yes: 1, no: 1, remarks: 1 },
            ]
        );
        assert_eq!(all[0].yes_percent(), 67);
        let remarks = remarks_of(&*tx, "/idees/3", 10).unwrap();
        assert_eq!(
            remarks,
            vec![
                Remark { useful: false, text: "Où est le bouton ?".into(), day: 20_001 },
                Remark { useful: true, text: "Très clair.".into(), day: 20_000 },
            ]
        );
        assert!(store.verify().unwrap().is_ok());
    }
}
