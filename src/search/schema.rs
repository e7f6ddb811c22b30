//! The index's fields, and the conversion of a [`Document`] into them.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{TantivyDocument, Term};

use super::analyzer::FRENCH;
use super::sources::Document;
use crate::domain::changes::Target;

/// Bumped whenever the fields or the analysis change: an index written with
/// another version is rebuilt at start-up. 2: problem reports are indexed
/// (an index of version 1 passed them by in the change log).
/// 3: consultations and meetings are indexed.
pub const VERSION: u32 = 3;

/// The fields, looked up once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `kind:id`, the one term that names a document, for updates.
    pub key: Field,
    /// `ContentKind::code()`: filter and count per kind.
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub status: Field,
    pub neighbourhood: Field,
    /// Unix seconds: date filters and sorting.
    pub created_at: Field,
    pub url: Field,
}

/// Field names, also used to read fast fields.
pub const KIND: &str = "kind";
pub const STATUS: &str = "status";
pub const NEIGHBOURHOOD: &str = "neighbourhood";
pub const CREATED_AT: &str = "created_at";

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Frequencies without positions: there is no phrase search, and
    // positions would make the index about a third larger.
    let analysed = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(FRENCH).set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let key = builder.add_text_field("key", STRING);
    let kind = builder.add_text_field(KIND, STRING | FAST | STORED);
    let id = builder.add_u64_field("id", STORED);
    let title = builder.add_text_field("title", analysed.clone());
    let body = builder.add_text_field("body", analysed);
    let status = builder.add_text_field(STATUS, STRING | FAST);
    let neighbourhood = builder.add_text_field(NEIGHBOURHOOD, STRING | FAST);
    let created_at = builder.add_i64_field(CREATED_AT, NumericOptions::from(INDEXED | FAST | STORED));
    let url = builder.add_text_field("url", STORED);
    let fields = Fields { key, kind, id, title, body, status, neighbourhood, created_at, url };
    (builder.build(), fields)
}

/// The term that names `target` in the index.
pub fn key_term(fields: &Fields, target: Target) -> Term {
    Term::from_field_text(fields.key, &key_text(target))
}

fn key_text(target: Target) -> String {
    format!("{}:{}", target.kind.code(), target.id)
}

/// The index document of `doc`.
pub fn to_index(fields: &Fields, doc: &Document) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_text(fields.key, key_text(doc.target()));
    out.add_text(fields.kind, doc.kind.code());
    out.add_u64(fields.id, doc.id);
    out.add_text(fields.title, &doc.title);
    out.add_text(fields.body, &doc.body);
    if let Some(status) = &doc.status {
        out.add_text(fields.status, status);
    }
    if let Some(n) = &doc.neighbourhood {
        out.add_text(fields.neighbourhood, n);
    }
    out.add_i64(fields.created_at, doc.created_at);
    out.add_text(fields.url, &doc.url);
    out
}
