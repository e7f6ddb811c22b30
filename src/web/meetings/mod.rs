//! Meetings on the web: the list and a page per meeting, registering and
//! the registration's own page reached by its signed link (`public.rs`),
//! the staff's pages with the attendance list (`staff.rs`), and the
//! iCalendar files calendar apps subscribe to (`ical.rs`), and what
//! follows the meeting: minutes, attendance, what it discussed, a
//! workshop's proposals (`after.rs`), with the minutes' documents
//! (`documents.rs`).

pub mod after;
pub mod documents;
pub mod ical;
pub mod public;
pub mod staff;

use maud::{html, Markup};

use crate::domain::meetings::{self, Meeting, MeetingError, Status};
use crate::i18n::{Arg, Lang};
use crate::web::chrome::Chrome;
use crate::web::errors::{AppError, Refusal};

pub use crate::web::consultations::{is_staff, notifier};

/// « samedi 28/03/2026, 18:30 – 20:30 », in the commune's time.
pub fn when(lang: Lang, m: &Meeting) -> String {
    let (Some(start), Some(end)) = (meetings::local(m.starts_at), meetings::local(m.ends_at)) else {
        return String::new();
    };
    let day = lang.t(&format!("meeting-weekday-{}", start.date().weekday().to_monday_zero_offset()));
    let date = format!("{:02}/{:02}/{:04}", start.day(), start.month(), start.year());
    let hm = |d: jiff::civil::DateTime| format!("{:02}:{:02}", d.hour(), d.minute());
    lang.ta(
        "meeting-when",
        &[
            ("day", Arg::from(day)),
            ("date", Arg::from(date)),
            ("start", Arg::from(hm(start))),
            ("end", Arg::from(hm(end))),
        ],
    )
}

/// The kind as a labelled badge.
pub fn kind_badge(lang: Lang, m: &Meeting) -> Markup {
    html! { span class={ "badge badge-meeting-" (m.kind.code()) } { (lang.t(&format!("meeting-kind-{}", m.kind.code()))) } }
}

/// « Annulé » or « Brouillon » as a badge; nothing for a published meeting.
pub fn status_badge(lang: Lang, m: &Meeting) -> Markup {
    html! {
        @match m.status {
            Status::Published => {},
            Status::Draft | Status::Cancelled => span class={ "badge badge-meeting-" (m.status.code()) } { (lang.t(&format!("meeting-status-{}", m.status.code()))) },
        }
    }
}

/// Where: the address, « en ligne », or both.
pub fn place_line(chrome: &Chrome, m: &Meeting) -> String {
    let place = m.neighbourhood.clone().unwrap_or_else(|| chrome.t("meeting-whole-commune"));
    match (m.address.is_empty(), m.online_url.is_some()) {
        (false, true) => format!("{} · {} · {}", m.address, chrome.t("meeting-online"), place),
        (true, true) => format!("{} · {}", chrome.t("meeting-online"), place),
        (_, false) => format!("{} · {}", m.address, place),
    }
}

/// One meeting in a list (the public list, the home page).
pub fn card(chrome: &Chrome, m: &Meeting) -> Markup {
    html! {
        li.card {
            h3 { a href={ "/rendez-vous/" (m.id) } { (m.title) } }
            p.meta {
                (kind_badge(chrome.lang, m)) " " (status_badge(chrome.lang, m))
                " " (when(chrome.lang, m))
            }
            p { (place_line(chrome, m)) }
        }
    }
}

/// Every refusal of the meetings' operations, as a page: decided here for
/// each one, as `web::errors` does for the other concepts.
impl From<MeetingError> for AppError {
    fn from(e: MeetingError) -> Self {
        match e {
            MeetingError::NotFound => AppError::NotFound,
            // The forms check these first and say which field: reaching
            // here means a tampered or outdated form.
            MeetingError::BadTitle
            | MeetingError::TooLong
            | MeetingError::BadTimes
            | MeetingError::NoPlace
            | MeetingError::BadLink
            | MeetingError::BadCoordinates
            | MeetingError::UnknownNeighbourhood
            | MeetingError::BadSeats
            | MeetingError::BadEmail
            | MeetingError::BadName
            | MeetingError::BadDocumentName
            | MeetingError::TooManyDocuments => Refusal::Invalid.into(),
            MeetingError::AlreadyPublished | MeetingError::AlreadyRegistered | MeetingError::AlreadyCancelled => {
                Refusal::AlreadyDone.into()
            }
            MeetingError::BadCount | MeetingError::UnknownDiscussed(_) | MeetingError::UnknownBox => {
                Refusal::Invalid.into()
            }
            // Minutes before the end, ideas before the start, ideas of a
            // meeting that is not a workshop, or a box that closed since
            // the form was shown: not now, or not here.
            MeetingError::NotPublished
            | MeetingError::RegistrationClosed
            | MeetingError::NotOver
            | MeetingError::NotAWorkshop
            | MeetingError::BoxClosed => Refusal::Closed.into(),
            MeetingError::LinkInvalid => Refusal::LinkInvalid.into(),
            MeetingError::Random(e) => AppError::Internal(e),
            MeetingError::Store(s) => AppError::from(s),
        }
    }
}
