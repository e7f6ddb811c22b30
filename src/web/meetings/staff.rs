//! The staff's pages (`/admin/rendez-vous`): the list, a new meeting, each
//! meeting's page (its details, publishing, cancelling) and its attendance
//! list, printed for the door and marked as people come. No JavaScript.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::after::{After, MinutesForm};
use super::{kind_badge, notifier, status_badge, when};
use crate::app::AppState;
use crate::domain::accounts;
use crate::domain::audit::Actor;
use crate::domain::meetings::{
    self, Accessibility, Details, Kind, Meeting, MeetingError, MeetingId, Registrant, Spot, Status,
};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::textarea;
use crate::web::components::{checkbox, csrf_field, select, submit, table_head, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The meeting form as typed: every field a string, so that a refused
/// form comes back as it was.
#[derive(Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    step_free: String,
    #[serde(default)]
    hearing_loop: String,
    #[serde(default)]
    sign_language: String,
    #[serde(default)]
    accessibility_note: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    registration: String,
    #[serde(default)]
    seats: String,
}

impl MeetingForm {
    fn of(m: &Meeting) -> MeetingForm {
        let start = meetings::local(m.starts_at);
        let end = meetings::local(m.ends_at);
        let hm = |d: Option<jiff::civil::DateTime>| {
            d.map(|d| format!("{:02}:{:02}", d.hour(), d.minute())).unwrap_or_default()
        };
        let flag = |b: bool| if b { "on".to_string() } else { String::new() };
        MeetingForm {
            title: m.title.clone(),
            kind: m.kind.code().into(),
            date: start.map(|d| d.date().to_string()).unwrap_or_default(),
            start: hm(start),
            end: hm(end),
            address: m.address.clone(),
            lat: m.coords.map(|c| c.0.to_string()).unwrap_or_default(),
            lon: m.coords.map(|c| c.1.to_string()).unwrap_or_default(),
            online_url: m.online_url.clone().unwrap_or_default(),
            neighbourhood: m.neighbourhood.clone().unwrap_or_default(),
            agenda: m.agenda.clone(),
            step_free: flag(m.accessibility.step_free),
            hearing_loop: flag(m.accessibility.hearing_loop),
            sign_language: flag(m.accessibility.sign_language),
            accessibility_note: m.accessibility.note.clone(),
            organiser: m.organiser.clone(),
            registration: flag(m.registration),
            seats: m.seats.map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    /// The details, or the fields that cannot be read, each with its error.
    fn details(&self, chrome: &Chrome) -> Result<Details, FormErrors> {
        let mut errors = FormErrors::default();
        let kind = Kind::from_code(&self.kind);
        if kind.is_none() {
            errors.add("kind", chrome.t("meeting-error-kind"));
        }
        let date_ok = self.date.trim().parse::<jiff::civil::Date>().is_ok();
        if !date_ok {
            errors.add("date", chrome.t("meeting-error-date"));
        }
        let starts_at = meetings::local_instant(&self.date, &self.start);
        if date_ok && starts_at.is_none() {
            errors.add("start", chrome.t("meeting-error-time"));
        }
        let mut ends_at = meetings::local_instant(&self.date, &self.end);
        if date_ok && ends_at.is_none() {
            errors.add("end", chrome.t("meeting-error-time"));
        }
        // An end before the start is the next morning (a night walk to see
        // the street lights): the domain still refuses more than a day.
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                let next = self.date.trim().parse::<jiff::civil::Date>().ok().and_then(|d| d.tomorrow().ok());
                ends_at = next.and_then(|d| meetings::local_instant(&d.to_string(), &self.end));
            }
        }
        let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
        let coords = match (self.lat.trim().is_empty(), self.lon.trim().is_empty()) {
            (true, true) => None,
            _ => match (number(&self.lat), number(&self.lon)) {
                (Some(lat), Some(lon)) => Some((lat, lon)),
                _ => {
                    errors.add("lat", chrome.t("meeting-error-coordinates"));
                    None
                }
            },
        };
        let registration = !self.registration.is_empty();
        let seats = match self.seats.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add("seats", chrome.t("meeting-error-seats"));
                    None
                }
            },
        };
        match (kind, starts_at, ends_at) {
            (Some(kind), Some(starts_at), Some(ends_at)) if errors.is_empty() => Ok(Details {
                title: self.title.clone(),
                kind,
                starts_at,
                ends_at,
                address: self.address.clone(),
                coords,
                online_url: self.online_url.clone(),
                neighbourhood: Some(self.neighbourhood.trim().to_string()).filter(|n| !n.is_empty()),
                agenda: self.agenda.clone(),
                accessibility: Accessibility {
                    step_free: !self.step_free.is_empty(),
                    hearing_loop: !self.hearing_loop.is_empty(),
                    sign_language: !self.sign_language.is_empty(),
                    note: self.accessibility_note.clone(),
                },
                organiser: self.organiser.clone(),
                registration,
                seats,
            }),
            _ => {
                if errors.is_empty() {
                    errors.add("end", chrome.t("meeting-error-time"));
                }
                Err(errors)
            }
        }
    }
}

/// A refusal of the details, on its field.
fn details_error(chrome: &Chrome, e: &MeetingError) -> Option<(&'static str, String)> {
    let (field, key) = match e {
        MeetingError::BadTitle => ("title", "meeting-error-title"),
        MeetingError::TooLong => ("agenda", "meeting-error-too-long"),
        MeetingError::BadTimes => ("end", "meeting-error-times"),
        MeetingError::NoPlace => ("address", "meeting-error-no-place"),
        MeetingError::BadLink => ("online_url", "meeting-error-link"),
        MeetingError::BadCoordinates => ("lat", "meeting-error-coordinates"),
        MeetingError::UnknownNeighbourhood => ("neighbourhood", "meeting-error-neighbourhood"),
        MeetingError::BadSeats => ("seats", "meeting-error-seats"),
        _ => return None,
    };
    Some((field, chrome.t(key)))
}

/// The fields of a meeting.
fn fields(chrome: &Chrome, form: &MeetingForm, errors: &FormErrors) -> Markup {
    let kinds: Vec<(String, String)> =
        Kind::ALL.iter().map(|k| (k.code().to_string(), chrome.t(&format!("meeting-kind-{}", k.code())))).collect();
    let mut places = vec![(String::new(), chrome.t("meeting-whole-commune"))];
    places.extend(chrome.config().commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    html! {
        (Input::new("title", chrome.t("meeting-field-title"), &form.title).render(chrome, errors))
        (select(chrome, errors, "kind", &chrome.t("meeting-field-kind"), None, &kinds, &form.kind))
        (Input::new("date", chrome.t("meeting-field-date"), &form.date).kind("date").render(chrome, errors))
        (Input::new("start", chrome.t("meeting-field-start"), &form.start).kind("time").hint(chrome.t("meeting-field-time-hint")).render(chrome, errors))
        (Input::new("end", chrome.t("meeting-field-end"), &form.end).kind("time").render(chrome, errors))
        (Input::new("address", chrome.t("meeting-field-address"), &form.address).hint(chrome.t("meeting-field-address-hint")).optional().render(chrome, errors))
        (Input::new("lat", chrome.t("meeting-field-lat"), &form.lat).optional().render(chrome, errors))
        (Input::new("lon", chrome.t("meeting-field-lon"), &form.lon).optional().render(chrome, errors))
        (Input::new("online_url", chrome.t("meeting-field-online"), &form.online_url).kind("url").hint(chrome.t("meeting-field-online-hint")).optional().render(chrome, errors))
        (select(chrome, errors, "neighbourhood", &chrome.t("meeting-field-neighbourhood"), None, &places, &form.neighbourhood))
        (textarea(chrome, errors, "agenda", "meeting-field-agenda", &form.agenda, 8))
        fieldset.form-group {
            legend { (chrome.t("meeting-accessibility")) }
            (checkbox("step_free", &chrome.t("meeting-step-free"), !form.step_free.is_empty()))
            (checkbox("hearing_loop", &chrome.t("meeting-hearing-loop"), !form.hearing_loop.is_empty()))
            (checkbox("sign_language", &chrome.t("meeting-sign-language"), !form.sign_language.is_empty()))
            (textarea(chrome, errors, "accessibility_note", "meeting-field-accessibility-note", &form.accessibility_note, 3))
        }
        (Input::new("organiser", chrome.t("meeting-field-organiser"), &form.organiser).optional().render(chrome, errors))
        fieldset.form-group {
            legend { (chrome.t("meeting-registration")) }
            (checkbox("registration", &chrome.t("meeting-field-registration"), !form.registration.is_empty()))
            (Input::new("seats", chrome.t("meeting-field-seats"), &form.seats).kind("number").hint(chrome.t("meeting-field-seats-hint")).optional().render(chrome, errors))
        }
    }
}

/// `GET /admin/rendez-vous`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let mut rows = Vec::new();
    // The latest first: staff work on what is coming.
    for m in meetings::list(&tx)?.into_iter().rev() {
        let registered = meetings::registrations(&tx, m.id)?.iter().filter(|r| r.spot == Spot::Seated).count();
        rows.push((m, registered));
    }
    drop(tx);
    let title = chrome.t("meetings-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { a.button href="/admin/rendez-vous/nouveau" { (chrome.t("meeting-new")) } }
            table {
                (table_head(&chrome, &["meeting-field-title", "meeting-col-when", "meeting-col-status", "meeting-col-registered"]))
                tbody {
                    @for (m, registered) in &rows {
                        tr {
                            td { a href={ "/admin/rendez-vous/" (m.id) } { (m.title) } }
                            td { (when(chrome.lang, m)) }
                            td { (kind_badge(chrome.lang, m)) " " (status_badge(chrome.lang, m)) }
                            td { @if m.registration { (registered) } @else { "—" } }
                        }
                    }
                }
            }
        },
    ))
}

fn new_page(chrome: &Chrome, form: &MeetingForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("meeting-new");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            form method="post" action="/admin/rendez-vous/nouveau" novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, errors))
                (submit(&chrome.t("meeting-create")))
            }
        },
    )
}

/// `GET /admin/rendez-vous/nouveau`.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _staff: Staff) -> Markup {
    new_page(
        &chrome,
        &MeetingForm { kind: Kind::PublicMeeting.code().into(), ..MeetingForm::default() },
        &FormErrors::default(),
    )
}

/// The domain's refusal of the details as the form's errors, or the page
/// of an error no field explains.
fn refusal(chrome: &Chrome, e: MeetingError) -> Result<FormErrors, AppError> {
    let mut errors = FormErrors::default();
    match details_error(chrome, &e) {
        Some((field, message)) => errors.add(field, message),
        None => return Err(AppError::from(e)),
    }
    Ok(errors)
}

/// `POST /admin/rendez-vous/nouveau`: a draft, then its page.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let details = match form.details(&chrome) {
        Ok(d) => d,
        Err(errors) => return Ok(refused(new_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let places = state.config.commune.neighbourhoods.clone();
    let outcome = state
        .store
        .write(move |tx| match meetings::create(tx, &places, &actor, &details, now_unix()) {
            Ok(id) => Ok(Ok(id)),
            Err(MeetingError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e)),
        })
        .await?;
    match outcome {
        Ok(id) => {
            Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}"), Flash::success("flash-meeting-created")))
        }
        Err(e) => {
            let errors = refusal(&chrome, e)?;
            Ok(refused(new_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

fn load(state: &AppState, id: u64) -> Result<Meeting, AppError> {
    meetings::get(&state.store.read()?, MeetingId(id))?.ok_or(AppError::NotFound)
}

/// The staff's page of a meeting: `form` is the details as typed (`None`:
/// as stored), `after` the forms of after the meeting.
pub(super) fn meeting_page(
    chrome: &Chrome,
    state: &AppState,
    m: &Meeting,
    form: Option<&MeetingForm>,
    after: &After,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let stored = MeetingForm::of(m);
    let form = form.unwrap_or(&stored);
    let after_panels = super::after::staff_panels(chrome, state, m, after, errors)?;
    let codesign_panel = crate::web::improve::codesign::panel(chrome, state, m)?;
    let tx = state.store.read()?;
    let all = meetings::registrations(&tx, m.id)?;
    // Visitors who have not followed their link yet: no seat, but staff
    // see that more may come.
    let pending = meetings::pending_count(&tx, m.id, now_unix())? as u64;
    drop(tx);
    let count = |spot: Spot| all.iter().filter(|r| r.spot == spot).count() as u64;
    let lang = chrome.lang;
    Ok(page_with_errors(
        chrome,
        &m.title,
        errors,
        html! {
            p.breadcrumb { a href="/admin/rendez-vous" { (chrome.t("meetings-staff-title")) } }
            h1 { (m.title) }
            (crate::web::admin::posters::staff_links(chrome, crate::domain::promotion::Target::Meeting(m.id)))
            p.meta { (kind_badge(lang, m)) " " (status_badge(lang, m)) " " (when(lang, m)) }
            ul {
                li { a href={ "/rendez-vous/" (m.id) } { (chrome.t("meeting-public-page")) } }
                @if m.registration {
                    li {
                        a href={ "/admin/rendez-vous/" (m.id) "/presence" } { (chrome.t("meeting-attendance")) }
                        " — " (lang.ta("meeting-registered-count", &[("seated", Arg::from(count(Spot::Seated))), ("waiting", Arg::from(count(Spot::Waiting)))]))
                        @if pending > 0 { " — " (lang.ta("meeting-pending-count", &[("count", Arg::from(pending))])) }
                    }
                }
            }
            section.panel aria-labelledby="details" {
                h2 #details { (chrome.t("meeting-details")) }
                form method="post" action={ "/admin/rendez-vous/" (m.id) } novalidate {
                    (csrf_field(chrome))
                    (fields(chrome, form, errors))
                    (submit(&chrome.t("meeting-save")))
                }
            }
            @match m.status {
                Status::Draft => section.panel aria-labelledby="publier" {
                    h2 #publier { (chrome.t("meeting-publish")) }
                    form method="post" action={ "/admin/rendez-vous/" (m.id) "/publier" } {
                        (csrf_field(chrome))
                        p { (chrome.t("meeting-publish-text")) }
                        (submit(&chrome.t("meeting-publish")))
                    }
                },
                Status::Published => section.panel aria-labelledby="annuler" {
                    h2 #annuler { (chrome.t("meeting-cancel")) }
                    form method="post" action={ "/admin/rendez-vous/" (m.id) "/annuler" } {
                        (csrf_field(chrome))
                        p { (chrome.t("meeting-cancel-meeting-text")) }
                        button.button type="submit" { (chrome.t("meeting-cancel")) }
                    }
                },
                Status::Cancelled => p { (chrome.t("meeting-cancelled-notice")) },
            }
            (after_panels)
            (codesign_panel)
        },
    ))
}

/// `GET /admin/rendez-vous/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let m = load(&state, id)?;
    let minutes = meetings::minutes(&state.store.read()?, m.id)?;
    let after = After { minutes: MinutesForm::of(minutes.as_ref()), ..After::default() };
    meeting_page(&chrome, &state, &m, None, &after, &FormErrors::default())
}

/// `POST /admin/rendez-vous/:id`: the details changed.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let m = load(&state, id)?;
    let details = match form.details(&chrome) {
        Ok(d) => d,
        Err(errors) => {
            return Ok(refused(
                meeting_page(&chrome, &state, &m, Some(&form), &After::default(), &errors)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let actor = Actor::person(viewer.account.id, ip);
    let places = state.config.commune.neighbourhoods.clone();
    let notifier = notifier(&state);
    let outcome = state
        .store
        .write(move |tx| match meetings::update(tx, &notifier, &places, &actor, MeetingId(id), &details, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(MeetingError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e)),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}"), Flash::success("flash-meeting-saved"))),
        Err(e) => {
            let errors = refusal(&chrome, e)?;
            Ok(refused(
                meeting_page(&chrome, &state, &m, Some(&form), &After::default(), &errors)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// `POST /admin/rendez-vous/:id/publier`.
#[poem::handler]
pub async fn publish(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| meetings::publish(tx, &actor, MeetingId(id), now_unix())).await?;
    Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}"), Flash::success("flash-meeting-published")))
}

/// `POST /admin/rendez-vous/:id/annuler`: cancelled, registrants mailed.
#[poem::handler]
pub async fn cancel(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let notifier = notifier(&state);
    state.store.write(move |tx| meetings::cancel(tx, &notifier, &actor, MeetingId(id), now_unix())).await?;
    Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}"), Flash::success("flash-meeting-cancelled")))
}

/// `GET /admin/rendez-vous/:id/presence`: the attendance list, for the
/// screen and for paper (the print style leaves out the site's chrome and
/// the buttons, and keeps a box to tick).
#[poem::handler]
pub async fn attendance(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let m = load(&state, id)?;
    let tx = state.store.read()?;
    let mut rows = Vec::new();
    for r in meetings::registrations(&tx, m.id)?.into_iter().filter(|r| r.spot != Spot::Cancelled) {
        let name = match &r.who {
            Some(Registrant::Account(a)) => accounts::get(&tx, *a)
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map(|a| a.display_name)
                .unwrap_or_default(),
            Some(Registrant::Visitor { name, .. }) => name.clone(),
            None => String::new(),
        };
        rows.push((r, name));
    }
    drop(tx);
    let came = rows.iter().filter(|(r, _)| r.attended).count() as u64;
    let lang = chrome.lang;
    let title = lang.ta("meeting-attendance-title", &[("title", Arg::from(m.title.as_str()))]);
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb.no-print { a href={ "/admin/rendez-vous/" (m.id) } { (m.title) } }
            h1 { (title) }
            p.meta { (when(lang, &m)) " · " (super::place_line(&chrome, &m)) }
            p { (lang.ta("meeting-attendance-count", &[("came", Arg::from(came)), ("count", Arg::from(rows.len() as u64))])) }
            table.attendance {
                (table_head(&chrome, &["meeting-col-number", "meeting-col-name", "meeting-col-code", "meeting-col-spot", "meeting-col-came"]))
                tbody {
                    @for (r, name) in &rows {
                        tr {
                            td { (r.number) }
                            td { (name) }
                            td { code { (r.code) } }
                            td { (chrome.t(&format!("meeting-spot-short-{}", r.spot.code()))) }
                            td {
                                span.print-only { @if r.attended { "☑" } @else { "☐" } }
                                form.no-print method="post" action={ "/admin/rendez-vous/" (m.id) "/presence" } {
                                    (csrf_field(&chrome))
                                    input type="hidden" name="n" value=(r.number);
                                    @if r.attended {
                                        input type="hidden" name="venu" value="non";
                                        button.button.button-secondary type="submit" { (lang.ta("meeting-mark-absent", &[("name", Arg::from(name.as_str()))])) }
                                    } @else {
                                        input type="hidden" name="venu" value="oui";
                                        button.button type="submit" { (lang.ta("meeting-mark-present", &[("name", Arg::from(name.as_str()))])) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
pub struct CameForm {
    #[serde(default)]
    n: u64,
    #[serde(default)]
    venu: String,
}

/// `POST /admin/rendez-vous/:id/presence`: someone came (`venu=oui`), or not.
#[poem::handler]
pub async fn mark(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<CameForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let came = form.venu == "oui";
    state.store.write(move |tx| meetings::mark_attended(tx, &actor, MeetingId(id), form.n, came, now_unix())).await?;
    Ok(redirect_with(&state, &format!("/admin/rendez-vous/{id}/presence"), Flash::success("flash-meeting-attendance")))
}
