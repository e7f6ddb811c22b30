//! Documents staff attach to a meeting's minutes: the slides shown, a
//! signed attendance sheet, a photo of the workshop's wall of ideas.
//!
//! As a consultation's documents (`consultations::documents`), whose rules
//! these reuse: files live in `<data>/files/` named by their content hash
//! (written before the transaction that names them, copied by backups with
//! the rest of that folder), a PDF is taken only when its content starts
//! as a PDF does and is only ever served as a download, an image is
//! re-encoded by the photo pipeline before it is stored. The record that
//! names a file is here, in redb.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::domain::consultations::valid_file_name;

/// The most documents the minutes of one meeting hold.
pub const MAX_MINUTES_DOCUMENTS: usize = 20;
/// The longest name of a document.
pub const MAX_DOCUMENT_NAME: usize = 300;

/// What a document is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A PDF, served as a download.
    Pdf,
    /// A re-encoded JPEG.
    Image,
}

impl DocumentKind {
    /// A stable code, for translation keys (`meeting-document-kind-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Image => "image",
        }
    }
}

/// A document of a meeting's minutes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Document {
    pub meeting: MeetingId,
    /// From 1, in the order added; never reused (`next_document:<id>` in
    /// `MEETING_COUNTER_BY_NAME`), so that a removed document's address
    /// never names another.
    pub number: u32,
    pub kind: DocumentKind,
    /// The stored file's name (`<hash>.pdf` or `<hash>.jpg`).
    pub file: String,
    /// What the link says (and, for an image, its text alternative).
    pub name: String,
    /// In bytes, shown beside the link.
    pub size: u64,
    pub added_by: AccountId,
    pub added_at: i64,
}

impl Record for Document {
    const NAME: &'static str = "meeting document";
    const VERSION: u8 = 1;
}

/// What staff attach: the file already stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub file: String,
    pub name: String,
    pub size: u64,
}

/// The documents of a meeting's minutes, in the order added.
pub fn documents(tx: &impl Tx, id: MeetingId) -> Result<Vec<Document>, StoreError> {
    let table = tx.open(MEETING_DOCUMENT_BY_MEETING_NUMBER)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u32::MAX))? {
        out.push(decode::<Document>(row?.1.value())?);
    }
    Ok(out)
}

pub fn document(tx: &impl Tx, id: MeetingId, number: u32) -> Result<Option<Document>, StoreError> {
    let table = tx.open(MEETING_DOCUMENT_BY_MEETING_NUMBER)?;
    let found = table.get((id.get(), number))?.map(|v| decode::<Document>(v.value())).transpose();
    found
}

/// Staff attach a stored file to the minutes of a meeting that is over
/// (audited): the minutes' own rule, documents being part of them.
pub fn add_document(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    new: &NewDocument,
    now: i64,
) -> Result<u32, MeetingError> {
    let m = load(tx, id)?;
    if !m.is_past(now) {
        return Err(MeetingError::NotOver);
    }
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > MAX_DOCUMENT_NAME {
        return Err(MeetingError::BadDocumentName);
    }
    if !valid_file_name(&new.file) {
        return Err(MeetingError::NotFound);
    }
    if documents(tx, id)?.len() >= MAX_MINUTES_DOCUMENTS {
        return Err(MeetingError::TooManyDocuments);
    }
    let number = {
        let mut counters = tx.open_table(MEETING_COUNTER_BY_NAME)?;
        let key = format!("next_document:{id}");
        let next = counters.get(key.as_str())?.map(|v| v.value()).unwrap_or(1);
        counters.insert(key.as_str(), next + 1)?;
        u32::try_from(next).map_err(|_| MeetingError::TooManyDocuments)?
    };
    let doc = Document {
        meeting: id,
        number,
        kind: new.kind,
        file: new.file.clone(),
        name: name.to_string(),
        size: new.size,
        added_by: actor.account.unwrap_or_default(),
        added_at: now,
    };
    tx.open_table(MEETING_DOCUMENT_BY_MEETING_NUMBER)?.insert((id.get(), number), encode(&doc)?.as_slice())?;
    actor.record(tx, Action::MeetingChanged, None, format!("meeting {id}: document {number} added"), now)?;
    Ok(number)
}

/// Staff remove a document (audited). Its file stays in `<data>/files/`:
/// named by its content, the same file may be attached elsewhere (the
/// plan a consultation also shows, the photo of a proposal), and a file
/// left costs only disk space, where one deleted under another's record
/// would be a broken link.
pub fn remove_document(
    tx: &WriteTransaction,
    actor: &Actor,
    id: MeetingId,
    number: u32,
    now: i64,
) -> Result<(), MeetingError> {
    let doc = document(tx, id, number)?.ok_or(MeetingError::NotFound)?;
    tx.open_table(MEETING_DOCUMENT_BY_MEETING_NUMBER)?.remove((id.get(), number))?;
    actor.record(
        tx,
        Action::MeetingChanged,
        None,
        format!("meeting {id}: document {number} removed ({})", doc.name),
        now,
    )?;
    Ok(())
}
