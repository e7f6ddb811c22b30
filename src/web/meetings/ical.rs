//! iCalendar (RFC 5545): `/rendez-vous/:id.ics` for one meeting, and the
//! feed `/rendez-vous.ics` (`?quartier=…` for one neighbourhood) that
//! calendar apps subscribe to.
//!
//! Written by hand rather than with the `icalendar` crate: the output is a
//! dozen properties, and the crate would bring chrono and a parser into
//! the binary only to write them. What it takes to be right is here and
//! tested: CRLF line ends, lines folded at 75 octets, text escaped, and the
//! integration test parses the result back with `icalendar`'s parser.
//!
//! Times are written in UTC (`DTSTART:20260329T163000Z`), which RFC 5545
//! allows everywhere: no VTIMEZONE to keep in step with the law, and every
//! calendar app shows them in its own zone, the right hour on either side
//! of a daylight-saving change because the instants were computed in
//! Europe/Paris when staff typed them.

use std::fmt::Write as _;
use std::sync::Arc;

use poem::http::header;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::meetings::{self, Meeting, MeetingId, Status};
use crate::web::errors::AppError;

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line is longer than 75
/// octets (3.1), never inside a UTF-8 character; each continuation line
/// starts with a space.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// An instant in UTC, as `20260329T163000Z`.
fn utc(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string()).unwrap_or_default()
}

/// The calendar's header, `events`, and its footer.
fn calendar(name: &str, events: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Parvis//Rendez-vous//FR");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    out.push_str(events);
    line(&mut out, "END:VCALENDAR");
    out
}

/// One meeting as a VEVENT. The UID is the meeting's, on the site's host,
/// so that an app subscribed to the feed updates the event it has rather
/// than adding another; SEQUENCE grows with each change (seconds since the
/// meeting was written, which only go up).
fn event(base: &str, host: &str, m: &Meeting) -> String {
    let mut out = String::new();
    let url = format!("{base}/rendez-vous/{}", m.id);
    line(&mut out, "BEGIN:VEVENT");
    line(&mut out, &format!("UID:meeting-{}@{host}", m.id));
    line(&mut out, &format!("DTSTAMP:{}", utc(m.updated_at)));
    line(&mut out, &format!("LAST-MODIFIED:{}", utc(m.updated_at)));
    line(&mut out, &format!("SEQUENCE:{}", (m.updated_at - m.created_at).max(0)));
    line(&mut out, &format!("DTSTART:{}", utc(m.starts_at)));
    line(&mut out, &format!("DTEND:{}", utc(m.ends_at)));
    line(&mut out, &format!("SUMMARY:{}", escape(&m.title)));
    let mut description = crate::markdown::plain(&m.agenda);
    if let Some(online) = &m.online_url {
        let _ = write!(description, "\n\n{online}");
    }
    let _ = write!(description, "\n\n{url}");
    line(&mut out, &format!("DESCRIPTION:{}", escape(description.trim())));
    let location = match (&m.address, &m.online_url) {
        (a, Some(online)) if a.is_empty() => online.clone(),
        (a, _) => a.clone(),
    };
    line(&mut out, &format!("LOCATION:{}", escape(&location)));
    if let Some((lat, lon)) = m.coords {
        line(&mut out, &format!("GEO:{lat:.6};{lon:.6}"));
    }
    if !m.organiser.is_empty() {
        // ORGANIZER needs an address (CAL-ADDRESS); the organiser is a name.
        line(&mut out, &format!("X-PARVIS-ORGANISER:{}", escape(&m.organiser)));
    }
    line(&mut out, &format!("URL:{url}"));
    let status = match m.status {
        Status::Cancelled => "CANCELLED",
        Status::Published | Status::Draft => "CONFIRMED",
    };
    line(&mut out, &format!("STATUS:{status}"));
    line(&mut out, "END:VEVENT");
    out
}

fn site(state: &AppState) -> (String, String) {
    let base = state.config.server.public_url.as_str().trim_end_matches('/').to_string();
    let host = url::Url::parse(&base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    (base, host)
}

fn response(body: String, file: Option<String>) -> Response {
    let mut resp = body.with_content_type("text/calendar; charset=utf-8").into_response();
    if let Some(file) = file {
        if let Ok(v) = format!("attachment; filename=\"{file}\"").parse() {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    resp
}

/// `/rendez-vous/:id.ics` (routed through `public::show`): a published
/// meeting's event, for whoever may see the meeting (`viewer`): everyone,
/// or a pilot group's members and staff for a meeting private to the group
/// (they download it from its page, signed in).
pub fn one(state: &AppState, viewer: crate::domain::groups::Viewer, id: MeetingId) -> Result<Response, AppError> {
    let tx = state.store.read()?;
    let m = meetings::get(&tx, id)?.ok_or(AppError::NotFound)?;
    if !m.is_public() || !crate::domain::groups::may_see(&*tx, viewer, crate::domain::groups::Process::Meeting(m.id))? {
        return Err(AppError::NotFound);
    }
    let (base, host) = site(state);
    let body = calendar(&m.title, &event(&base, &host, &m));
    Ok(response(body, Some(format!("rendez-vous-{id}.ics"))))
}

#[derive(Deserialize)]
pub struct FeedQuery {
    quartier: Option<String>,
}

/// `GET /rendez-vous.ics`: every published or cancelled meeting, past and
/// to come; with `?quartier=`, those of that neighbourhood and those of the
/// whole commune (which concern its residents too).
#[poem::handler]
pub async fn feed(state: Data<&Arc<AppState>>, Query(q): Query<FeedQuery>) -> Result<Response, AppError> {
    let config = &state.config;
    let quartier = q.quartier.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if quartier.as_ref().is_some_and(|n| !config.commune.neighbourhoods.contains(n)) {
        return Err(AppError::NotFound);
    }
    let (base, host) = site(&state);
    let mut events = String::new();
    let tx = state.store.read()?;
    for m in meetings::list(&tx)? {
        let concerned = match (&quartier, &m.neighbourhood) {
            (Some(q), Some(n)) => q == n,
            (Some(_), None) | (None, _) => true,
        };
        // Read without a session: a pilot group's meetings stay out.
        let public = crate::domain::groups::is_public(&*tx, crate::domain::groups::Process::Meeting(m.id))?;
        if m.is_public() && concerned && public {
            events.push_str(&event(&base, &host, &m));
        }
    }
    let name = match &quartier {
        Some(n) => format!("{} – {n}", config.commune.name),
        None => config.commune.name.clone(),
    };
    // A download when followed in a browser; calendar apps subscribe to
    // the same address and ignore the header.
    Ok(response(calendar(&name, &events), Some("rendez-vous.ics".to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_at_75_octets_never_inside_a_character_and_text_is_escaped() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", escape(&"Réunion; quartier, été\\ «\n».".repeat(8)));
        line(&mut out, &text);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), text);
        assert!(text.contains("Réunion\\; quartier\\, été\\\\ «\\n»."), "{text}");
        assert_eq!(utc(1_774_801_800), "20260329T163000Z");
    }
}
