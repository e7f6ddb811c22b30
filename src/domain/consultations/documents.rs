//! Documents and images staff attach to a consultation: PDF plans, served
//! as downloads, and images shown on its page with their text alternative.
//!
//! Files live in `<data>/files/` named by their content hash, as the
//! DESIGN's storage rule says, and the record that names one is in redb:
//! a plan of 20 MB in the database would make every backup and every
//! `verify` copy it, and a file named by its hash is written once, before
//! the transaction that names it. An image goes through the photo pipeline
//! (re-encoded as JPEG, its metadata dropped); a PDF cannot be re-encoded,
//! so it is taken only when its content starts as a PDF does and is only
//! ever served as a download, never shown in the browser.

use std::path::Path;

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};

/// The largest PDF accepted: a town plan at print resolution is a few MB;
/// past this, it is not a plan residents will open on a phone.
pub const MAX_PDF: usize = 20 * 1024 * 1024;
/// The longest title of a document or text alternative of an image.
pub const MAX_DOCUMENT_TITLE: usize = 300;
/// The most documents and images one consultation holds.
pub const MAX_DOCUMENTS: usize = 30;

/// What a document is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A PDF, served as a download.
    Pdf,
    /// A re-encoded JPEG, shown on the consultation's page.
    Image,
}

/// A document or image of a consultation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Document {
    pub consultation: ConsultationId,
    /// From 1, in the order added; never reused (a counter per
    /// consultation, `next_document:<id>` in `CONSULTATION_COUNTER_BY_NAME`).
    pub number: u32,
    pub kind: DocumentKind,
    /// The stored file's name (`<hash>.pdf` or `<hash>.jpg`).
    pub file: String,
    /// A PDF's title (the link's words); an image's text alternative.
    pub title: String,
    /// In bytes, shown beside a PDF's link.
    pub size: u64,
    pub added_by: AccountId,
    pub added_at: i64,
}

impl Record for Document {
    const NAME: &'static str = "consultation document";
    const VERSION: u8 = 1;
}

/// Why a file is not taken as a PDF.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 20 MB")]
    TooLarge,
    /// Whatever its name says, its content does not start as a PDF does.
    #[error("the content is not a PDF")]
    NotAPdf,
}

/// Checks, by its content, that `bytes` is a PDF: the `%PDF-` signature
/// at the very start (readers accept it a little later; we do not, so
/// that a polyglot file gets no room before it) and the size limit.
pub fn check_pdf(bytes: &[u8]) -> Result<(), PdfProblem> {
    if bytes.is_empty() {
        return Err(PdfProblem::Empty);
    }
    if bytes.len() > MAX_PDF {
        return Err(PdfProblem::TooLarge);
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfProblem::NotAPdf);
    }
    Ok(())
}

/// Whether `name` is the name of a stored document (no path tricks).
pub fn valid_file_name(name: &str) -> bool {
    let Some((hash, ext)) = name.split_once('.') else { return false };
    hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && matches!(ext, "pdf" | "jpg")
}

/// A consultation's documents and images, in the order added.
pub fn documents(tx: &impl Tx, id: ConsultationId) -> Result<Vec<Document>, StoreError> {
    let table = tx.open(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u32::MAX))? {
        out.push(decode::<Document>(row?.1.value())?);
    }
    Ok(out)
}

pub fn document(tx: &impl Tx, id: ConsultationId, number: u32) -> Result<Option<Document>, StoreError> {
    let table = tx.open(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?;
    let found = table.get((id.get(), number))?.map(|v| decode::<Document>(v.value())).transpose();
    found
}

/// What staff attach: the file already stored (see [`crate::photos::save_as`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub file: String,
    pub title: String,
    pub size: u64,
}

/// Staff attach a stored file to a consultation (audited). An image needs
/// its text alternative, a PDF its title: both are what a screen reader
/// says.
pub fn add_document(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    new: &NewDocument,
    now: i64,
) -> Result<u32, ConsultationError> {
    get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    let title = new.title.trim();
    if title.is_empty() {
        return Err(ConsultationError::EmptyText);
    }
    if title.chars().count() > MAX_DOCUMENT_TITLE {
        return Err(ConsultationError::TooLong);
    }
    if !valid_file_name(&new.file) {
        return Err(ConsultationError::NotFound);
    }
    if documents(tx, id)?.len() >= MAX_DOCUMENTS {
        return Err(ConsultationError::TooLong);
    }
    // From a counter, not the last number + 1: a removed document's number
    // (and so its address, which caches may keep) never names another.
    let number = {
        let mut counters = tx.open_table(CONSULTATION_COUNTER_BY_NAME)?;
        let key = format!("next_document:{id}");
        let next = counters.get(key.as_str())?.map(|v| v.value()).unwrap_or(1);
        counters.insert(key.as_str(), next + 1)?;
        u32::try_from(next).map_err(|_| ConsultationError::TooLong)?
    };
    let mut table = tx.open_table(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?;
    let doc = Document {
        consultation: id,
        number,
        kind: new.kind,
        file: new.file.clone(),
        title: title.to_string(),
        size: new.size,
        added_by: actor.account.unwrap_or_default(),
        added_at: now,
    };
    table.insert((id.get(), number), encode(&doc)?.as_slice())?;
    drop(table);
    let what = match new.kind {
        DocumentKind::Pdf => "document",
        DocumentKind::Image => "image",
    };
    actor.record(tx, Action::ConsultationChanged, None, format!("consultation {id}: {what} {number} added"), now)?;
    Ok(number)
}

/// Staff remove a document or image (audited). Returns the PDF file to
/// delete once this has committed, when no other document names it; an
/// image's file is left, as the same re-encoded photo may be another
/// concept's (its name is its content).
pub fn remove_document(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    number: u32,
    now: i64,
) -> Result<Option<String>, ConsultationError> {
    let doc = document(tx, id, number)?.ok_or(ConsultationError::NotFound)?;
    tx.open_table(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?.remove((id.get(), number))?;
    actor.record(
        tx,
        Action::ConsultationChanged,
        None,
        format!("consultation {id}: document {number} removed ({})", doc.title),
        now,
    )?;
    if doc.kind == DocumentKind::Image {
        return Ok(None);
    }
    for row in tx.open_table(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?.iter()? {
        if decode::<Document>(row?.1.value())?.file == doc.file {
            return Ok(None);
        }
    }
    Ok(Some(doc.file))
}

/// Deletes a PDF no document names any more; one already gone is not an
/// error, and one that cannot be deleted only costs disk space (logged).
pub fn remove_file(data_dir: &Path, name: &str) {
    if !valid_file_name(name) || !name.ends_with(".pdf") {
        return;
    }
    match std::fs::remove_file(crate::photos::dir(data_dir).join(name)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            tracing::warn!(file = %name, error = %e, "cannot delete a removed consultation document")
        }
        _ => {}
    }
}

/// Every document is under its consultation, which exists, and under its
/// own number (below the consultation's document counter), with a valid
/// file name; every template record names a consultation that exists.
pub(super) fn verify(
    tx: &ReadTransaction,
    consultations: &ReadOnlyTable<u64, &[u8]>,
) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let counters = tx.open_table(CONSULTATION_COUNTER_BY_NAME)?;
    for row in tx.open_table(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?.iter()? {
        let (key, bytes) = row?;
        let (c, number) = key.value();
        match decode::<Document>(bytes.value()) {
            Ok(d) if d.consultation.get() != c || d.number != number => {
                problems.push(format!("document under ({c}, {number}) says it is ({}, {})", d.consultation, d.number))
            }
            Ok(d) if !valid_file_name(&d.file) => {
                problems.push(format!("document {number} of consultation {c} names a bad file"))
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("document {number} of consultation {c}: {e}")),
        }
        if consultations.get(c)?.is_none() {
            problems.push(format!("document {number} belongs to consultation {c}, which does not exist"));
        }
        let next = counters.get(format!("next_document:{c}").as_str())?.map(|v| v.value()).unwrap_or(1);
        if u64::from(number) >= next {
            problems.push(format!("document {number} of consultation {c} is not below its next number {next}"));
        }
    }
    for row in tx.open_table(CONSULTATION_TEMPLATE_BY_ID)?.iter()? {
        let c = row?.0.value();
        if consultations.get(c)?.is_none() {
            problems.push(format!("consultation {c} has a template but does not exist"));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_known_by_its_content_not_its_name() {
        assert_eq!(check_pdf(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"), Ok(()));
        assert_eq!(check_pdf(b"<html><script>alert(1)</script>"), Err(PdfProblem::NotAPdf));
        assert_eq!(check_pdf(b" %PDF-1.7"), Err(PdfProblem::NotAPdf), "nothing before the signature");
        assert_eq!(check_pdf(b""), Err(PdfProblem::Empty));
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_PDF + 1, b' ');
        assert_eq!(check_pdf(&big), Err(PdfProblem::TooLarge));
    }

    #[test]
    fn file_names_are_content_hashes_only() {
        assert!(valid_file_name("0123456789abcdef0123456789abcdef.pdf"));
        assert!(valid_file_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(!valid_file_name("0123456789abcdef0123456789abcdef.html"));
        assert!(!valid_file_name("../../../../etc/passwd.pdf"));
        assert!(!valid_file_name("0123456789abcdef0123456789abcdef.pdf.jpg"));
    }

    #[tokio::test]
    async fn numbers_are_never_reused_and_removal_returns_a_pdf_no_one_else_names() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
        let pdf = |title: &str| NewDocument {
            kind: DocumentKind::Pdf,
            file: "0123456789abcdef0123456789abcdef.pdf".into(),
            title: title.into(),
            size: 10,
        };
        let (id, numbers, removed, last, again) = store
            .write(move |tx| {
                let actor = Actor::command_line();
                let id = super::super::create_from_template(tx, &actor, super::super::FIRST_SURVEY, 10)?;
                let one = add_document(tx, &actor, id, &pdf("Plan"), 10)?;
                let two = add_document(tx, &actor, id, &pdf("Plan, le même fichier"), 10)?;
                let removed = remove_document(tx, &actor, id, two, 11)?;
                let three = add_document(tx, &actor, id, &pdf("Notice"), 12)?;
                remove_document(tx, &actor, id, three, 13)?;
                let last = remove_document(tx, &actor, id, one, 14)?;
                let empty = add_document(tx, &actor, id, &pdf("  "), 15).map(|_| ());
                Ok::<_, ConsultationError>((id, vec![one, two, three], removed, last, empty))
            })
            .await
            .unwrap();
        assert_eq!(numbers, vec![1, 2, 3], "2 removed, the next is 3, not 2 again");
        assert_eq!(removed, None, "document 1 still names the file");
        assert_eq!(last.as_deref(), Some("0123456789abcdef0123456789abcdef.pdf"), "no document names it any more");
        assert!(matches!(again, Err(ConsultationError::EmptyText)), "a title is required");
        assert!(documents(&store.read().unwrap(), id).unwrap().is_empty());
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }
}
