//! `/consultations`: the list (open, forthcoming, closed) and a page per
//! consultation.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};

use super::{dates_line, is_staff, state_badge};
use crate::app::AppState;
use crate::domain::consultations::{self, Consultation, ConsultationId, Phase};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::page_with_head;

/// One consultation in a list.
fn card(chrome: &Chrome, c: &Consultation, phase: Phase, has_outcome: bool) -> Markup {
    html! {
        li.card {
            h3 { a href={ "/consultations/" (c.id) } { (c.title) } }
            p.meta {
                (state_badge(chrome.lang, phase, has_outcome))
                @if let Some(d) = dates_line(chrome.lang, c) { " " (d) }
                " · " (c.neighbourhood.clone().unwrap_or_else(|| chrome.t("consultation-whole-commune")))
            }
            @if !c.summary.is_empty() { p { (c.summary) } }
        }
    }
}

/// `GET /consultations`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let all = crate::web::groups::visible(&chrome, &*tx, consultations::list(&tx)?, |c| {
        crate::domain::groups::Process::Consultation(c.id)
    })?;
    let mut with_outcome = std::collections::BTreeSet::new();
    for c in all.iter().filter(|c| c.phase(now) == Phase::Closed) {
        if consultations::outcome(&tx, c.id)?.is_some() {
            with_outcome.insert(c.id);
        }
    }
    drop(tx);
    let title = chrome.t("consultations-title");
    let section = |phase: Phase, key: &str| {
        let items: Vec<&Consultation> = all.iter().filter(|c| c.phase(now) == phase).collect();
        html! {
            @if !items.is_empty() {
                section aria-labelledby={ "liste-" (phase.code()) } {
                    h2 id={ "liste-" (phase.code()) } { (chrome.t(key)) }
                    ul.cards { @for c in &items { (card(&chrome, c, phase, with_outcome.contains(&c.id))) } }
                }
            }
        }
    };
    let any = all.iter().any(|c| c.phase(now) != Phase::Draft);
    let feed = crate::web::feeds::CONSULTATIONS_FEED;
    Ok(page_with_head(
        &chrome,
        &title,
        crate::web::atom::alternate(&chrome.t("feed-consultations-link"), feed),
        html! {
            h1 { (title) }
            p.lead { (chrome.t("consultations-lead")) }
            @if is_staff(&chrome) { p { a href="/admin/consultations" { (chrome.t("consultations-manage")) } } }
            (section(Phase::Open, "consultations-open"))
            (section(Phase::Forthcoming, "consultations-forthcoming"))
            (section(Phase::Closed, "consultations-closed"))
            @if !any { p { (chrome.t("consultations-none")) } }
            p { a href="/consultations/resultats" { (chrome.t("consultation-outcomes-link")) } }
            p { a href=(feed) { (chrome.t("feed-consultations-link")) } }
        },
    ))
}

/// `GET /consultations/:id`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let c = consultations::get(&tx, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    let phase = c.phase(now);
    let staff = is_staff(&chrome);
    if phase == Phase::Draft && !staff {
        return Err(AppError::NotFound);
    }
    let (answered, started) = match &chrome.viewer {
        Some(v) => (
            consultations::has_answered(&tx, c.id, v.account.id)?,
            consultations::draft(&tx, c.id, v.account.id)?.is_some(),
        ),
        None => (false, false),
    };
    let (answers, _) = consultations::answer_count(&tx, c.id)?;
    let outcome = consultations::outcome(&tx, c.id)?;
    let documents = consultations::documents(&tx, c.id)?;
    let told = match (&chrome.viewer, phase) {
        (Some(v), Phase::Forthcoming | Phase::Open | Phase::Closed) => {
            Some(consultations::told(&tx, c.id, v.account.id)?)
        }
        _ => None,
    };
    let lang = chrome.lang;
    Ok(crate::web::layout::page_with_head(
        &chrome,
        &c.title,
        crate::web::og::tags(&chrome, crate::web::og::Share { title: &c.title, description: &c.summary }),
        html! {
            p.breadcrumb { a href="/consultations" { (chrome.t("consultations-title")) } }
            h1 { (c.title) }
            p.meta {
                (state_badge(lang, phase, outcome.is_some()))
                @if let Some(d) = dates_line(lang, &c) { " " (d) }
                " · " (c.neighbourhood.clone().unwrap_or_else(|| chrome.t("consultation-whole-commune")))
            }
            @if !c.summary.is_empty() { p.lead { (c.summary) } }
            @if let Some(o) = &outcome { (super::outcome::outcome_section(&chrome, &c, o, answers)) }
            div.prose { (crate::markdown::render(&c.body)) }
            (super::documents::public_section(&chrome, &documents))
            (crate::web::share::links(&chrome, &c.title, &format!("/consultations/{}", c.id)))
            section.panel aria-labelledby="participer" {
                h2 #participer { (chrome.t("consultation-take-part")) }
                p { (lang.ta("consultation-answer-count", &[("count", Arg::from(answers))])) }
                @match phase {
                    Phase::Open if answered => p { a href={ "/consultations/" (c.id) "/merci" } { (chrome.t("consultation-already-answered")) } },
                    Phase::Open if !c.audience.admits(None) && chrome.viewer.is_none() => p {
                        a href={ "/connexion?suivant=/consultations/" (c.id) "/repondre" } { (chrome.t("consultation-sign-in-to-answer")) }
                    },
                    Phase::Open if !c.audience.admits(chrome.viewer.as_ref().map(|v| v.account.role)) => p { (chrome.t("consultation-verified-only")) },
                    // A signed-in person who went through some pages comes back to them.
                    Phase::Open if started => p { a.button href={ "/consultations/" (c.id) "/repondre" } { (chrome.t("consultation-resume")) } },
                    Phase::Open => p { a.button href={ "/consultations/" (c.id) "/repondre" } { (chrome.t("consultation-start")) } },
                    Phase::Forthcoming => p { (chrome.t("consultation-not-yet-open")) },
                    Phase::Closed => p { a href={ "/consultations/" (c.id) "/resultats" } { (chrome.t("consultation-results-link")) } },
                    Phase::Draft => p { (chrome.t("consultation-draft-note")) },
                }
                @if answered { (super::edit_answer::offer(&chrome, &c, crate::domain::now_unix())) }
                (super::edit_answer::note(&chrome, &c))
            }
            @if let Some(told) = told {
                (follow_form(&chrome, &c, told))
            }
            @if staff {
                p { a href={ "/admin/consultations/" (c.id) } { (chrome.t("consultation-staff-link")) } }
            }
        },
    ))
}

/// The follow button of a signed-in resident, and what following does.
fn follow_form(chrome: &Chrome, c: &Consultation, told: u8) -> Markup {
    let following = told & consultations::FOLLOWS != 0;
    html! {
        form.follow method="post" action={ "/consultations/" (c.id) "/suivi" } {
            (csrf_field(chrome))
            @if following {
                p { (chrome.t("consultation-following")) }
                button.button.button-secondary type="submit" name="suivre" value="non" { (chrome.t("consultation-unfollow")) }
            } @else {
                @if told & consultations::ASKED != 0 { p { (chrome.t("consultation-asked-to-be-told")) } }
                p.hint { (chrome.t("consultation-follow-hint")) }
                button.button.button-secondary type="submit" name="suivre" value="oui" { (chrome.t("consultation-follow")) }
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    suivre: String,
}

/// `POST /consultations/:id/suivi`: follow (`suivre=oui`) or stop.
#[poem::handler]
pub async fn follow(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    Form(form): Form<FollowForm>,
) -> Result<poem::Response, AppError> {
    let on = form.suivre == "oui";
    let account = viewer.account.id;
    state.store.write(move |tx| consultations::follow(tx, ConsultationId(id), account, on)).await?;
    let flash = if on { "flash-consultation-followed" } else { "flash-consultation-unfollowed" };
    Ok(redirect_with(&state, &format!("/consultations/{id}"), Flash::success(flash)))
}
