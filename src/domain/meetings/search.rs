//! What search shows of a meeting: its title, agenda, minutes, place and
//! organiser once published (a cancelled one too: its page says it is cancelled).

use redb::{ReadTransaction, ReadableTable};

use super::tables::MEETING_BY_ID;
use super::*;

/// The search document of meeting `id`, when the public may see it.
pub fn search_document(tx: &ReadTransaction, id: MeetingId) -> Result<Option<crate::search::Document>, StoreError> {
    let Some(m) = get(tx, id)? else { return Ok(None) };
    if !m.is_public() {
        return Ok(None);
    }
    let plain = |text: &str| -> String {
        text.chars().filter(|ch| !matches!(ch, '*' | '_' | '#' | '`' | '>' | '[' | ']')).collect()
    };
    let mut body = plain(&m.agenda);
    // Its minutes, once written: a resident looking for what was said
    // about the square finds the meeting where it was said.
    let minutes = super::minutes(tx, id)?.map(|n| plain(&n.text)).unwrap_or_default();
    for more in [&minutes, &m.address, &m.organiser] {
        if !more.is_empty() {
            body.push('\n');
            body.push_str(more);
        }
    }
    Ok(Some(crate::search::Document {
        kind: ContentKind::Meeting,
        id: id.get(),
        title: m.title,
        body,
        status: None,
        neighbourhood: m.neighbourhood,
        created_at: m.starts_at,
        url: format!("/rendez-vous/{id}"),
    }))
}

/// Every meeting, for a full rebuild (`search_document` decides).
pub fn all_ids(tx: &ReadTransaction) -> Result<Vec<MeetingId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open_table(MEETING_BY_ID)?.iter()? {
        out.push(MeetingId(row?.0.value()));
    }
    Ok(out)
}
