//! What search shows of a consultation: its title, summary and text once
//! published (a draft is staff's only). Its phase follows the clock, which
//! the index does not, so search gives no status: the page says it.

use redb::{ReadTransaction, ReadableTable};

use super::tables::CONSULTATION_BY_ID;
use super::*;

/// The search document of consultation `id`, when published.
pub fn search_document(
    tx: &ReadTransaction,
    id: ConsultationId,
) -> Result<Option<crate::search::Document>, StoreError> {
    let Some(c) = get(tx, id)? else { return Ok(None) };
    let Some(dates) = c.published else { return Ok(None) };
    let body = format!("{}\n{}", c.summary, c.body);
    Ok(Some(crate::search::Document {
        kind: ContentKind::Consultation,
        id: id.get(),
        title: c.title,
        body: body.chars().filter(|ch| !matches!(ch, '*' | '_' | '#' | '`' | '>' | '[' | ']')).collect(),
        status: None,
        neighbourhood: c.neighbourhood,
        created_at: dates.opens_at,
        url: format!("/consultations/{id}"),
    }))
}

/// Every consultation, for a full rebuild (`search_document` decides).
pub fn all_ids(tx: &ReadTransaction) -> Result<Vec<ConsultationId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open_table(CONSULTATION_BY_ID)?.iter()? {
        out.push(ConsultationId(row?.0.value()));
    }
    Ok(out)
}
