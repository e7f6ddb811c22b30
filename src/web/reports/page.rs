//! `/signalements/:id`: a report's public page (number, status, category,
//! place with its map and text, photos, timeline), following, "me too",
//! a resident's update, and the staff's status form; its photos.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{category_name, date, map, notifier, place, status_badge};
use crate::app::AppState;
use crate::domain::accounts::{self, Role};
use crate::domain::ids::ReportId;
use crate::domain::now_unix;
use crate::domain::publication;
use crate::domain::reports::{self, Author, ProblemReport, ReportError, Update};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_head;
use poem::http::StatusCode;

/// Who wrote an update, as the page shows it: staff speak for the town
/// hall; a resident by name only when it is the author who chose to show it.
fn update_by(chrome: &Chrome, tx: &crate::store::ReadTx, r: &ProblemReport, u: &Update) -> String {
    if u.staff {
        return chrome.t("problem-by-town-hall");
    }
    if r.author.is(u.by) && !r.show_name {
        return chrome.t("problem-by-author");
    }
    // Someone who filed without an account answered "is it really fixed?":
    // their update is by no account.
    if let Author::Visitor { name, .. } = &r.author {
        if u.by == accounts::AccountId::default() {
            return if r.show_name { name.clone() } else { chrome.t("problem-by-author") };
        }
    }
    match accounts::get(tx, u.by) {
        Ok(Some(a)) if !a.display_name.is_empty() => a.display_name,
        _ => chrome.t("deleted-participant"),
    }
}

fn timeline(chrome: &Chrome, tx: &crate::store::ReadTx, r: &ProblemReport, updates: &[Update]) -> Markup {
    html! {
        section aria-labelledby="historique" {
            h2 #historique { (chrome.t("problem-timeline")) }
            ol.timeline {
                li {
                    p.meta { (date(r.created_at)) " — " (chrome.t("problem-timeline-filed")) }
                }
                @for u in updates {
                    li class=(if u.staff { "timeline-staff" } else { "timeline-resident" }) {
                        p.meta {
                            (date(u.at)) " — " (update_by(chrome, tx, r, u))
                            @if let Some(s) = &u.status { " · " (chrome.t("problem-timeline-status")) " " (status_badge(chrome, s)) }
                            @if let Some(c) = &u.category { " · " (chrome.t("problem-timeline-category")) " " strong { (category_name(chrome.config(), c)) } }
                        }
                        @if !u.text.is_empty() { div.prose { (crate::markdown::render(&u.text)) } }
                    }
                }
            }
        }
    }
}

/// `GET /signalements/:id`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    report_page(&chrome, &state, id, "", None)
}

/// The answers to the category's extra questions, for staff: each
/// question as it was asked, and what was answered.
fn answers_panel(chrome: &Chrome, answers: &[reports::Answer]) -> Markup {
    html! {
        section.panel aria-labelledby="reponses" {
            h2 #reponses { (chrome.t("problem-answers-title")) }
            dl.answers lang=(chrome.config().default_language.code()) {
                @for a in answers {
                    dt { (a.label) }
                    dd { (a.value) }
                }
            }
        }
    }
}

/// Where the report was sent by Open311, when, under which number there;
/// or that it waits, with the last error.
fn sending_panel(chrome: &Chrome, s: &reports::send::Sending) -> Markup {
    let endpoint = Arg::from(s.endpoint.as_str());
    html! {
        section.panel aria-labelledby="envoi" {
            h2 #envoi { (chrome.t("problem-sending-title")) }
            @match (s.sent_at, &s.external_id) {
                (Some(at), Some(id)) => p { (chrome.lang.ta("problem-sending-sent", &[("endpoint", endpoint), ("date", Arg::from(date(at))), ("id", Arg::from(id.as_str()))])) },
                (Some(at), None) => p { (chrome.lang.ta("problem-sending-token", &[("endpoint", endpoint), ("date", Arg::from(date(at)))])) },
                (None, _) => p { (chrome.lang.ta("problem-sending-waiting", &[("endpoint", endpoint), ("attempts", Arg::from(u64::from(s.attempts)))])) },
            }
            @if let Some(status) = &s.status { p { (chrome.lang.ta("problem-sending-status", &[("status", Arg::from(status.as_str()))])) } }
            @if let Some(e) = &s.last_error { p.error-message { (chrome.lang.ta("problem-sending-error", &[("error", Arg::from(e.as_str()))])) } }
        }
    }
}

/// A report's page; `typed` and `error` give back a resident's refused
/// message in its form, as it was typed.
fn report_page(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    typed: &str,
    error: Option<&str>,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let r = reports::get(&tx, ReportId(id))?.ok_or(AppError::NotFound)?;
    let updates = reports::timeline(&tx, r.id)?;
    let config = chrome.config();
    let viewer = chrome.viewer.as_ref();
    let following = match viewer {
        Some(v) => reports::is_following(&tx, r.id, v.account.id)?,
        None => false,
    };
    let supported = match viewer {
        Some(v) => r.author.is(v.account.id) || reports::supported(&tx, r.id, v.account.id)?,
        None => false,
    };
    let staff = viewer.is_some_and(|v| v.account.role >= Role::Staff);
    // A report staff hid is not there for anyone else.
    if !staff && reports::is_hidden(&tx, r.id)? {
        return Err(AppError::NotFound);
    }
    // Read before the page is built: the staff's panels read their own tables.
    let staff_panels = if staff { Some(super::staff::panels(chrome, &tx, &r)?) } else { None };
    // The answers to the category's extra questions are for the service.
    let answers = if staff { reports::answers(&tx, r.id)? } else { Vec::new() };
    // Where a report of a category sent by Open311 went, for staff.
    let sending = if staff { reports::send::sending(&tx, r.id)? } else { None };
    let lang = chrome.lang;
    let number = lang.ta("problem-number", &[("number", Arg::from(r.id.get()))]);
    let category = category_name(config, &r.category);
    let title = format!("{number} — {category}");
    let (lat, lon) = r.position();
    // The name as the API and the open-data export give it (one rule, in
    // `publication`); without one, who stands in its place.
    let author = match publication::report_author(&tx, &r)? {
        Some(name) => name,
        // They chose to show a name, but the account is erased.
        None if r.show_name && matches!(r.author, Author::Account(_)) => chrome.t("deleted-participant"),
        None => chrome.t("problem-by-author"),
    };
    // Staff see every photo, those they hid marked so; anyone else only
    // those shown.
    let photos: Vec<(String, Option<reports::HiddenPhoto>)> = if staff {
        let hidden = reports::hidden_photos(&tx, &r)?;
        let reason = |file: &String| hidden.iter().find(|(f, _)| f == file).map(|(_, h)| h.clone());
        r.photos.iter().map(|f| (f.clone(), reason(f))).collect()
    } else {
        reports::shown_photos(&tx, &r)?.into_iter().map(|f| (f, None)).collect()
    };
    let feed = format!("/signalements/{}/flux.atom", r.id);
    Ok(page_with_head(
        chrome,
        &title,
        super::feeds::alternate(&chrome.t("feed-report-link"), &feed),
        html! {
            p.breadcrumb { a href="/signalements" { (chrome.t("reports-title")) } }
            h1 { (title) }
            p.meta {
                (status_badge(chrome, &r.status)) " "
                (lang.ta("problem-filed-by", &[("author", Arg::from(author.as_str())), ("date", Arg::from(date(r.created_at)))]))
                @if let Some(n) = &r.neighbourhood { " · " (n) }
            }
            div.prose { (crate::markdown::render(&r.description)) }
            @for (i, (file, hidden)) in photos.iter().enumerate() {
                figure.photo {
                    img src={ "/signalements/photos/" (file) }
                        alt=(lang.ta("problem-photo-alt", &[("number", Arg::from(i as u64 + 1)), ("category", Arg::from(category.as_str()))]));
                    @if staff { (super::staff_actions::photo_hide_form(chrome, &r, i, file, hidden.as_ref())) }
                }
            }
            section aria-labelledby="lieu" {
                h2 #lieu { (chrome.t("problem-place")) }
                (map(chrome, lat, lon, 17))
                ul.map-points {
                    li data-point-lat=(lat) data-point-lon=(lon) {
                        a href={ "/signalements/" (r.id) } { (place(&r)) }
                        " — " (format!("{lat:.5}, {lon:.5}"))
                    }
                }
            }
            section.panel aria-labelledby="soutiens" {
                h2 #soutiens { (lang.ta("problem-supports", &[("count", Arg::from(r.supports))])) }
                @if chrome.viewer.is_none() {
                    p { a href={ "/connexion?suivant=/signalements/" (r.id) } { (chrome.t("problem-sign-in-to-follow")) } }
                } @else {
                    @if !supported && r.is_open(&config.reports) {
                        form.inline-form method="post" action={ "/signalements/" (r.id) "/moi-aussi" } {
                            (csrf_field(chrome))
                            button.button type="submit" { (chrome.t("problem-me-too")) }
                        }
                    }
                    form.inline-form method="post" action={ "/signalements/" (r.id) "/suivi" } {
                        (csrf_field(chrome))
                        input type="hidden" name="suivre" value=(if following { "non" } else { "oui" });
                        button.link-button.link-button-dark type="submit" {
                            (if following { chrome.t("problem-unfollow") } else { chrome.t("problem-follow") })
                        }
                    }
                }
            }
            (timeline(chrome, &tx, &r, &updates))
            p.feed-link { a href=(feed) type="application/atom+xml" { (chrome.t("feed-report-link")) } }
            @if !answers.is_empty() { (answers_panel(chrome, &answers)) }
            @if let Some(s) = &sending { (sending_panel(chrome, s)) }
            @if let Some(panels) = &staff_panels { (panels) }
            @if chrome.viewer.is_some() {
                section aria-labelledby="ajouter" {
                    h2 #ajouter { (chrome.t("problem-add-update")) }
                    form method="post" action={ "/signalements/" (r.id) "/message" } {
                        (csrf_field(chrome))
                        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                            label for="text" { (chrome.t("problem-field-update")) }
                            div.hint #text-hint { (chrome.t("problem-field-update-hint")) }
                            @if let Some(e) = error {
                                p.error-message #text-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                            }
                            textarea #text name="text" rows="4"
                                aria-describedby=(if error.is_some() { "text-hint text-error" } else { "text-hint" }) { (typed) }
                        }
                        (submit(&chrome.t("problem-add-update-submit")))
                    }
                }
            }
        },
    ))
}

/// `POST /signalements/:id/moi-aussi`: "me too", from the report's page or
/// the nearby step of the form.
#[poem::handler]
pub async fn me_too(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.account.id;
    let config = state.config.clone();
    let to = format!("/signalements/{id}");
    let outcome = state
        .store
        .write(move |tx| match reports::me_too(tx, &config.reports, ReportId(id), account, now_unix()) {
            Ok(done) => Ok(Ok(done)),
            Err(ReportError::Closed) => Ok(Err(())),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    Ok(match outcome {
        Ok(done) if done.already => redirect_with(&state, &to, Flash::info("flash-report-me-too-already")),
        Ok(_) => redirect_with(&state, &to, Flash::success("flash-report-me-too")),
        Err(()) => redirect_with(&state, &to, Flash::info("flash-report-closed")),
    })
}

#[derive(Deserialize, Default)]
pub struct FollowForm {
    #[serde(default)]
    suivre: String,
}

/// `POST /signalements/:id/suivi`.
#[poem::handler]
pub async fn follow(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    Form(form): Form<FollowForm>,
) -> Result<Response, AppError> {
    let want = form.suivre != "non";
    let account = viewer.account.id;
    state
        .store
        .write(move |tx| {
            if want { reports::follow(tx, ReportId(id), account) } else { reports::unfollow(tx, ReportId(id), account) }
                .map_err(AppError::from)
        })
        .await?;
    let flash = if want { Flash::success("flash-following") } else { Flash::info("flash-not-following") };
    Ok(redirect_with(&state, &format!("/signalements/{id}"), flash).into_response())
}

#[derive(Deserialize, Default)]
pub struct UpdateForm {
    #[serde(default)]
    text: String,
}

/// `POST /signalements/:id/message`: a resident's update on the timeline.
#[poem::handler]
pub async fn add_update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, AppError> {
    let to = format!("/signalements/{id}#historique");
    let account = viewer.account.id;
    let (state2, notifier) = (state.0.clone(), notifier(&state));
    let typed = form.text.clone();
    let outcome = state
        .store
        .write(move |tx| {
            match reports::add_update(tx, &state2.config, &notifier, account, ReportId(id), &form.text, now_unix()) {
                Ok(()) => Ok(Ok(())),
                Err(e @ (ReportError::Empty | ReportError::TooLong)) => Ok(Err(e)),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    Ok(match outcome {
        Ok(()) => redirect_with(&state, &to, Flash::success("flash-report-update-added")),
        // Refused: the page again, with the message as typed and why.
        Err(e) => {
            let why = match e {
                ReportError::TooLong => {
                    chrome.lang.ta("error-report-update-too-long", &[("max", Arg::from(reports::MAX_UPDATE as u64))])
                }
                _ => chrome.t("error-report-update-empty"),
            };
            refused(report_page(&chrome, &state, id, &typed, Some(&why))?, StatusCode::UNPROCESSABLE_ENTITY)
        }
    })
}

/// `GET /signalements/photos/:name`: a photo a public report shows
/// (re-encoded, named by its content); not one of a report that waits for
/// its author's confirmation. Staff also get a photo they hid (they see it
/// marked hidden on the report's page), never kept by a cache.
#[poem::handler]
pub async fn photo(
    state: Data<&Arc<AppState>>,
    staff: Option<crate::web::auth::Staff>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    if !crate::photos::valid_name(&name) {
        return Err(AppError::NotFound);
    }
    let public = {
        let tx = state.store.read()?;
        let public = reports::shows_photo(&tx, &name)?;
        let for_staff = staff.is_some() && reports::names_photo(&tx, &name)?;
        if !public && !for_staff {
            return Err(AppError::NotFound);
        }
        public
    };
    let path = crate::photos::dir(&state.config.data_dir).join(&name);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    let mut resp = Response::builder().content_type("image/jpeg").body(bytes);
    // An hour, as proposals' photos: a report or photo hidden later must
    // leave shared caches soon; one shown to staff only, in no cache.
    let cache = if public { "public, max-age=3600" } else { "private, no-store" };
    resp.headers_mut().insert(poem::http::header::CACHE_CONTROL, poem::http::HeaderValue::from_static(cache));
    Ok(resp)
}
