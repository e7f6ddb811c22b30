//! `/rendez-vous`: the list (coming, then past) and a page per meeting with
//! its registration form; `/rendez-vous/:id/inscription`, reached by the
//! signed link shown and mailed at registration, shows the person's code
//! and cancels their registration (GET shows, POST cancels: a link
//! prefetched by a mail client cancels nothing); a visitor's request is
//! confirmed at `/rendez-vous/:id/confirmer`, reached by the link mailed
//! to the address they typed (GET shows, POST confirms, for the same
//! reason).

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{card, is_staff, kind_badge, notifier, place_line, status_badge, when};
use crate::app::AppState;
use crate::domain::meetings::{
    self, Meeting, MeetingError, MeetingId, Outcome, Registered, Registrant, Registration, Spot, Status, Who,
};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::account::redirect_with;
use crate::web::auth::ClientIp;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page_with_errors, page_with_errors_and_head, page_with_head};

/// The `<link>`s to the calendar feed, for calendar apps and browsers, and
/// to the Atom feed, for feed readers.
fn feed_link(chrome: &Chrome) -> Markup {
    html! {
        link rel="alternate" type="text/calendar" href="/rendez-vous.ics";
        (crate::web::atom::alternate(&chrome.t("feed-meetings-link"), crate::web::feeds::MEETINGS_FEED))
    }
}

/// `GET /rendez-vous`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let all: Vec<Meeting> = meetings::list(&tx)?.into_iter().filter(|m| m.is_public()).collect();
    let all = crate::web::groups::visible(&chrome, &*tx, all, |m| crate::domain::groups::Process::Meeting(m.id))?;
    drop(tx);
    let coming: Vec<&Meeting> = all.iter().filter(|m| !m.is_past(now)).collect();
    // The most recent first: last month's workshop before last year's.
    let past: Vec<&Meeting> = all.iter().rev().filter(|m| m.is_past(now)).collect();
    let title = chrome.t("meetings-title");
    Ok(page_with_head(
        &chrome,
        &title,
        feed_link(&chrome),
        html! {
            h1 { (title) }
            p.lead { (chrome.t("meetings-lead")) }
            @if is_staff(&chrome) { p { a href="/admin/rendez-vous" { (chrome.t("meetings-manage")) } } }
            section aria-labelledby="a-venir" {
                h2 #a-venir { (chrome.t("meetings-coming")) }
                @if coming.is_empty() { p { (chrome.t("meetings-none-coming")) } }
                @else { ul.cards { @for m in &coming { (card(&chrome, m)) } } }
            }
            @if !past.is_empty() {
                section aria-labelledby="passes" {
                    h2 #passes { (chrome.t("meetings-past")) }
                    ul.cards { @for m in &past { (card(&chrome, m)) } }
                }
            }
            p { a href="/rendez-vous.ics" { (chrome.t("meetings-subscribe")) } }
            p.hint { (chrome.t("meetings-subscribe-hint")) }
            p { a href=(crate::web::feeds::MEETINGS_FEED) { (chrome.t("feed-meetings-link")) } }
        },
    ))
}

/// `GET /rendez-vous/:id`, and `/rendez-vous/:id.ics` (one route: the
/// router sees one path segment either way).
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(segment): Path<String>,
) -> Result<Response, AppError> {
    if let Some(id) = segment.strip_suffix(".ics") {
        let id: u64 = id.parse().map_err(|_| AppError::NotFound)?;
        return super::ical::one(&state, crate::web::groups::viewer(&chrome), MeetingId(id));
    }
    let id: u64 = segment.parse().map_err(|_| AppError::NotFound)?;
    Ok(meeting_page(&chrome, &state, MeetingId(id), &RegisterForm::default(), &FormErrors::default())?.into_response())
}

fn load_public(chrome: &Chrome, state: &AppState, id: MeetingId) -> Result<Meeting, AppError> {
    let m = meetings::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
    if !m.is_public() && !is_staff(chrome) {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

fn meeting_page(
    chrome: &Chrome,
    state: &AppState,
    id: MeetingId,
    form: &RegisterForm,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let m = load_public(chrome, state, id)?;
    let now = now_unix();
    let tx = state.store.read()?;
    let all = meetings::registrations(&tx, m.id)?;
    let codesign = crate::domain::improve::is_codesign(&tx, m.id)?;
    let seated = all.iter().filter(|r| r.spot == Spot::Seated).count() as u64;
    // A signed-in person's own registration, with the path of its page.
    let mine: Option<(Registration, String)> = match &chrome.viewer {
        Some(v) => all
            .iter()
            .find(|r| r.spot != Spot::Cancelled && r.who == Some(Registrant::Account(v.account.id)))
            .map(|r| (r.clone(), meetings::cancel_path(&tx, r))),
        None => None,
    };
    drop(tx);
    let after = super::after::public_section(chrome, state, &m)?;
    let lang = chrome.lang;
    let a = &m.accessibility;
    let provided: Vec<String> = [
        (a.step_free, "meeting-step-free"),
        (a.hearing_loop, "meeting-hearing-loop"),
        (a.sign_language, "meeting-sign-language"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| chrome.t(key))
    .collect();
    // What a shared link says of it: when and where, not its agenda.
    let shared = lang.ta(
        "og-meeting-description",
        &[
            ("when", Arg::from(when(lang, &m))),
            ("place", Arg::from(place_line(chrome, &m).trim_start_matches(" · ").to_string())),
        ],
    );
    Ok(page_with_errors_and_head(
        chrome,
        &m.title,
        errors,
        crate::web::og::tags_plain(chrome, &m.title, &shared),
        html! {
            p.breadcrumb { a href="/rendez-vous" { (chrome.t("meetings-title")) } }
            h1 { (m.title) }
            p.meta { (kind_badge(lang, &m)) " " (status_badge(lang, &m)) " " (when(lang, &m)) }
            @if codesign {
                p { (chrome.t("codesign-public")) " " a href=(crate::web::improve::PATH) { (chrome.t("improve-title")) } }
            }
            @if m.status == Status::Cancelled {
                div.notice role="status" { p { strong { (chrome.t("meeting-cancelled-notice")) } } }
            }
            dl.facts {
                dt { (chrome.t("meeting-field-place")) }
                dd { (place_line(chrome, &m)) }
                @if let Some(url) = &m.online_url {
                    dt { (chrome.t("meeting-field-online")) }
                    dd { a href=(url) rel="noopener noreferrer" { (url) } }
                }
                @if !m.organiser.is_empty() {
                    dt { (chrome.t("meeting-field-organiser")) }
                    dd { (m.organiser) }
                }
            }
            @if let Some((lat, lon)) = m.coords {
                section aria-labelledby="lieu" {
                    h2 #lieu { (chrome.t("meeting-field-place")) }
                    (crate::web::reports::map_labelled(chrome, lat, lon, 17, &chrome.t("meeting-map-label")))
                    // The text alternative of the map, which draws this point.
                    ul.map-points {
                        li data-point-lat=(lat) data-point-lon=(lon) {
                            (if m.address.is_empty() { chrome.t("meeting-field-place") } else { m.address.clone() })
                            " — " (format!("{lat:.5}, {lon:.5}"))
                        }
                    }
                }
            }
            @if !m.agenda.is_empty() {
                section aria-labelledby="programme" {
                    h2 #programme { (chrome.t("meeting-field-agenda")) }
                    div.prose { (crate::markdown::render(&m.agenda)) }
                }
            }
            section aria-labelledby="accessibilite" {
                h2 #accessibilite { (chrome.t("meeting-accessibility")) }
                @if provided.is_empty() && a.note.is_empty() { p { (chrome.t("meeting-accessibility-none")) } }
                @if !provided.is_empty() { ul { @for p in &provided { li { (p) } } } }
                @if !a.note.is_empty() { (crate::web::components::paragraphs(&a.note)) }
            }
            (after)
            @if m.registration {
                (registration_panel(chrome, &m, seated, mine.as_ref(), form, errors, now))
            }
            p { a href={ "/rendez-vous/" (m.id) ".ics" } { (chrome.t("meeting-add-to-calendar")) } }
            (crate::web::share::links(chrome, &m.title, &format!("/rendez-vous/{}", m.id)))
            @if is_staff(chrome) {
                p { a href={ "/admin/rendez-vous/" (m.id) } { (chrome.t("meeting-staff-link")) } }
            }
        },
    ))
}

/// Seats left, and the form (or the person's own registration).
fn registration_panel(
    chrome: &Chrome,
    m: &Meeting,
    seated: u64,
    mine: Option<&(Registration, String)>,
    form: &RegisterForm,
    errors: &FormErrors,
    now: i64,
) -> Markup {
    let lang = chrome.lang;
    let left = m.seats.map(|s| u64::from(s).saturating_sub(seated));
    html! {
        section.panel aria-labelledby="inscription" {
            h2 #inscription { (chrome.t("meeting-registration")) }
            @if let Some(left) = left { p { (lang.ta("meeting-seats-left", &[("count", Arg::from(left))])) } }
            @if let Some((r, path)) = mine {
                p { (lang.ta("meeting-you-are", &[("spot", Arg::from(r.spot.code())), ("code", Arg::from(r.code.as_str()))])) }
                p { a href=(path) { (chrome.t("meeting-your-registration")) } }
            } @else if m.takes_registrations(now) {
                @if left == Some(0) { p { (chrome.t("meeting-full-waiting-list")) } }
                form method="post" action={ "/rendez-vous/" (m.id) "/inscrire" } novalidate {
                    (csrf_field(chrome))
                    @if chrome.viewer.is_none() {
                        p.hint { (chrome.t("meeting-visitor-confirm-hint")) }
                        (Input::new("name", chrome.t("meeting-field-your-name"), &form.name).autocomplete("name").render(chrome, errors))
                        (Input::new("email", chrome.t("meeting-field-your-email"), &form.email).kind("email").autocomplete("email")
                            .hint(chrome.t("meeting-field-your-email-hint")).render(chrome, errors))
                    }
                    (submit(&chrome.t(if left == Some(0) { "meeting-join-waiting-list" } else { "meeting-register" })))
                }
            } @else {
                p { (chrome.t("meeting-registration-closed")) }
            }
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

/// `POST /rendez-vous/:id/inscrire`: a signed-in person as themselves, a
/// visitor by name and address; then their registration's page.
#[poem::handler]
pub async fn register(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let id = MeetingId(id);
    load_public(&chrome, &state, id)?;
    let who = match &chrome.viewer {
        Some(v) => Who::Account(v.account.id),
        None => {
            if let Err(wait) = state.limiter.take(Quota::MeetingRegistration, &format!("ip:{ip}"), Instant::now()) {
                let text = chrome.t("meeting-too-many");
                return Ok(too_many(crate::web::layout::page(&chrome, &text, html! { h1 { (text) } }), wait));
            }
            Who::Visitor { name: form.name.clone(), email: form.email.clone(), lang: chrome.lang }
        }
    };
    let notifier = notifier(&state);
    let outcome = state
        .store
        .write(move |tx| match meetings::register(tx, &notifier, id, &who, now_unix()) {
            Ok(done) => Ok(Ok(done)),
            Err(e @ (MeetingError::BadName | MeetingError::BadEmail | MeetingError::AlreadyRegistered)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(Outcome::Registered(done)) => Ok(registered(&state, &done)),
        // Back to the meeting's page, which says what happens next; the
        // link itself only goes to the mailbox.
        Ok(Outcome::ConfirmationSent { resent, .. }) => {
            let flash = if resent { "flash-meeting-confirm-resent" } else { "flash-meeting-confirm-sent" };
            Ok(redirect_with(&state, &format!("/rendez-vous/{}", id), Flash::success(flash)))
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            match e {
                MeetingError::BadName => errors.add("name", chrome.t("meeting-error-name")),
                MeetingError::BadEmail => errors.add("email", chrome.t("meeting-error-email")),
                _ => errors.add("email", chrome.t("meeting-error-already-registered")),
            }
            let page = meeting_page(&chrome, &state, id, &form, &errors)?;
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// To the registration's own page, saying whether a seat or the waiting list.
fn registered(state: &AppState, done: &Registered) -> Response {
    let flash = match done.spot {
        Spot::Waiting => "flash-meeting-waiting",
        Spot::Seated | Spot::Cancelled => "flash-meeting-registered",
    };
    redirect_with(state, &done.cancel_path, Flash::success(flash))
}

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    n: u64,
    #[serde(default)]
    cle: String,
}

/// `GET /rendez-vous/:id/inscription?n=…&cle=…`: the registration, its
/// code, and the button that cancels it.
#[poem::handler]
pub async fn registration(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(q): Query<LinkQuery>,
) -> Result<Markup, AppError> {
    let (m, r) = meetings::check_cancel_link(&state.store.read()?, MeetingId(id), q.n, &q.cle)?;
    let lang = chrome.lang;
    let title = chrome.t("meeting-your-registration");
    Ok(page_with_errors(
        &chrome,
        &title,
        &FormErrors::default(),
        html! {
            h1 { (title) }
            p.lead { a href={ "/rendez-vous/" (m.id) } { (m.title) } }
            p.meta { (when(lang, &m)) " · " (place_line(&chrome, &m)) }
            div.panel {
                p { (chrome.t(&format!("meeting-spot-{}", r.spot.code()))) }
                p { (chrome.t("meeting-your-code")) " " strong.code { (r.code) } }
                p.hint { (chrome.t("meeting-code-hint")) }
            }
            @if m.status == Status::Cancelled {
                p { strong { (chrome.t("meeting-cancelled-notice")) } }
            } @else if !m.is_past(now_unix()) {
                form method="post" action={ "/rendez-vous/" (m.id) "/inscription" } {
                    (csrf_field(&chrome))
                    input type="hidden" name="n" value=(r.number);
                    input type="hidden" name="cle" value=(q.cle);
                    p { (chrome.t("meeting-cancel-text")) }
                    button.button.button-secondary type="submit" { (chrome.t("meeting-cancel-registration")) }
                }
            }
        },
    ))
}

/// `POST /rendez-vous/:id/inscription`: the person cancels; the first
/// waiting gets the seat in the same transaction.
#[poem::handler]
pub async fn cancel(
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Form(q): Form<LinkQuery>,
) -> Result<Response, AppError> {
    let notifier = notifier(&state);
    state
        .store
        .write(move |tx| meetings::cancel_registration(tx, &notifier, MeetingId(id), q.n, &q.cle, now_unix()))
        .await?;
    Ok(redirect_with(&state, &format!("/rendez-vous/{id}"), Flash::success("flash-meeting-registration-cancelled")))
}

#[derive(Deserialize)]
pub struct ConfirmQuery {
    #[serde(default)]
    p: String,
    #[serde(default)]
    cle: String,
}

/// Why a confirmation link does nothing: used already, expired, or not
/// one we sent; the person may ask again from the meeting's page.
fn confirm_refused(chrome: &Chrome, id: u64) -> Response {
    let title = chrome.t("meeting-confirm-invalid-title");
    let page = crate::web::layout::page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p { (chrome.t("meeting-confirm-invalid-text")) }
            p { a href={ "/rendez-vous/" (id) } { (chrome.t("meeting-confirm-ask-again")) } }
        },
    );
    refused(page, StatusCode::GONE)
}

/// `GET /rendez-vous/:id/confirmer?p=…&cle=…`: what the visitor asked for
/// and the button that confirms it.
#[poem::handler]
pub async fn confirm_page(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(q): Query<ConfirmQuery>,
) -> Result<Response, AppError> {
    let found = meetings::check_confirm_link(&state.store.read()?, MeetingId(id), &q.p, &q.cle, now_unix());
    let (m, pending) = match found {
        Ok(found) => found,
        Err(MeetingError::LinkInvalid) => return Ok(confirm_refused(&chrome, id)),
        Err(e) => return Err(e.into()),
    };
    let lang = chrome.lang;
    let title = chrome.t("meeting-confirm-title");
    let expires =
        meetings::local(pending.expires_at).map(|d| d.strftime("%d/%m/%Y %H:%M").to_string()).unwrap_or_default();
    Ok(page_with_errors(
        &chrome,
        &title,
        &FormErrors::default(),
        html! {
            h1 { (title) }
            p.lead { a href={ "/rendez-vous/" (m.id) } { (m.title) } }
            p.meta { (when(lang, &m)) " · " (place_line(&chrome, &m)) }
            div.panel {
                p { (lang.ta("meeting-confirm-text", &[("name", Arg::from(pending.name.as_str())), ("expires", Arg::from(expires))])) }
                form method="post" action={ "/rendez-vous/" (m.id) "/confirmer" } {
                    (csrf_field(&chrome))
                    input type="hidden" name="p" value=(q.p);
                    input type="hidden" name="cle" value=(q.cle);
                    (submit(&chrome.t("meeting-confirm-button")))
                }
            }
        },
    )
    .into_response())
}

/// `POST /rendez-vous/:id/confirmer`: the visitor confirms; a seat if one
/// is free now, else the waiting list; then their registration's page.
#[poem::handler]
pub async fn confirm(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Form(q): Form<ConfirmQuery>,
) -> Result<Response, AppError> {
    let notifier = notifier(&state);
    let outcome = state
        .store
        .write(move |tx| match meetings::confirm(tx, &notifier, MeetingId(id), &q.p, &q.cle, now_unix()) {
            Ok(done) => Ok(Some(done)),
            Err(MeetingError::LinkInvalid) => Ok(None),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Some(done) => Ok(registered(&state, &done)),
        None => Ok(confirm_refused(&chrome, id)),
    }
}
