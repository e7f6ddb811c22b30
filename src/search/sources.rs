//! Where indexed documents come from: the one place that knows every kind of
//! content. Each concept turns one of its items into a [`Document`] (or says
//! it must not be found: hidden by moderation, held for review, deleted); the
//! index never reads another concept's tables itself.

use std::sync::Arc;

use redb::ReadTransaction;

use crate::config::Config;
use crate::domain::changes::{ContentKind, Target};
use crate::domain::consultations::ConsultationId;
use crate::domain::ids::{CommentId, MeetingId, ProposalId, ReportId};
use crate::domain::{comments, consultations, meetings, proposals, reports};
use crate::store::StoreError;

/// One piece of content as the search index sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub kind: ContentKind,
    pub id: u64,
    pub title: String,
    /// Plain text (Markdown marks are tolerated: they are not words, but they
    /// would show in snippets, so a concept strips them when it can).
    pub body: String,
    /// A stable code (e.g. `under-study`), shown through `search-status-<code>`.
    pub status: Option<String>,
    /// One of `commune.neighbourhoods`, as written in the configuration.
    pub neighbourhood: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Where the result links to, e.g. `/propositions/12`.
    pub url: String,
}

impl Document {
    pub fn target(&self) -> Target {
        Target::new(self.kind, self.id)
    }
}

/// What the index reads content through. The application uses [`Concepts`];
/// tests and benchmarks give their own.
pub trait Source: Send + Sync + 'static {
    /// The document for `target`, or `None` when it must not be found
    /// (hidden, held for review, deleted, or never existed).
    fn load(&self, tx: &ReadTransaction, target: Target) -> Result<Option<Document>, StoreError>;

    /// Every piece of content that may be indexed, for a full rebuild
    /// (`load` still decides, so hidden items may be listed).
    fn all(&self, tx: &ReadTransaction) -> Result<Vec<Target>, StoreError>;

    /// A number that moves whenever what [`Source::load`] answers for any
    /// target may have changed, as of `tx`; `None` when the source has
    /// none, and then every result is loaded again for every search.
    fn version(&self, _tx: &ReadTransaction) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }
}

/// The application's content, asked of each concept; with the names from
/// the configuration that a report's document shows (`Concepts::default()`
/// without one: a report's category is then its code).
#[derive(Clone, Debug, Default)]
pub struct Concepts {
    reports: Arc<reports::SearchNames>,
}

impl Concepts {
    pub fn of(config: &Config) -> Concepts {
        Concepts { reports: Arc::new(reports::SearchNames::of(config)) }
    }
}

impl Source for Concepts {
    fn load(&self, tx: &ReadTransaction, target: Target) -> Result<Option<Document>, StoreError> {
        load(tx, target, &self.reports)
    }

    fn all(&self, tx: &ReadTransaction) -> Result<Vec<Target>, StoreError> {
        all(tx)
    }

    /// The change log's last entry: every concept logs a change, in the
    /// write's own transaction, when what search shows of an item or
    /// whether it may be shown changes (the index follows the same log).
    fn version(&self, tx: &ReadTransaction) -> Result<Option<u64>, StoreError> {
        Ok(Some(crate::domain::changes::last_seq(tx)?))
    }
}

/// The kinds of content a concept publishes today: the search page offers
/// these as filters. A kind joins this list when [`load`] and [`all`] learn it.
pub const PUBLISHED: [ContentKind; 5] =
    [ContentKind::Proposal, ContentKind::Comment, ContentKind::Report, ContentKind::Consultation, ContentKind::Meeting];

/// The document of `target`, asked of the concept that owns it.
pub fn load(
    tx: &ReadTransaction,
    target: Target,
    report_names: &reports::SearchNames,
) -> Result<Option<Document>, StoreError> {
    // The index is the public's: nothing of a pilot group's private
    // process is found (it is dropped when the process turns private,
    // added when it opens: both log a change of each of its items).
    if !crate::domain::groups::may_see_content(tx, crate::domain::groups::Viewer::PUBLIC, target)? {
        return Ok(None);
    }
    match target.kind {
        ContentKind::Proposal => proposals::search_document(tx, ProposalId(target.id)),
        ContentKind::Comment => comments::search_document(tx, CommentId(target.id)),
        ContentKind::Report => reports::search_document(tx, ReportId(target.id), report_names),
        ContentKind::Consultation => consultations::search_document(tx, ConsultationId(target.id)),
        ContentKind::Meeting => meetings::search_document(tx, MeetingId(target.id)),
        // No concept publishes these yet.
        ContentKind::Page => Ok(None),
    }
}

/// Every piece of content of every concept.
pub fn all(tx: &ReadTransaction) -> Result<Vec<Target>, StoreError> {
    let mut out: Vec<Target> =
        proposals::all_ids(tx)?.into_iter().map(|id| Target::new(ContentKind::Proposal, id.get())).collect();
    out.extend(comments::all_ids(tx)?.into_iter().map(|id| Target::new(ContentKind::Comment, id.get())));
    out.extend(reports::all_ids(tx)?.into_iter().map(|id| Target::new(ContentKind::Report, id.get())));
    out.extend(consultations::all_ids(tx)?.into_iter().map(|id| Target::new(ContentKind::Consultation, id.get())));
    out.extend(meetings::all_ids(tx)?.into_iter().map(|id| Target::new(ContentKind::Meeting, id.get())));
    Ok(out)
}
