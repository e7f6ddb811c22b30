//! After the meeting, on the web: the « Compte rendu » section of the
//! public page (minutes, how many came, what was discussed, the workshop's
//! proposals), the staff's two forms on the meeting's staff page (the
//! minutes, with their documents; a workshop's idea recorded as a
//! proposal), and what a
//! proposal's page says of a meeting (« Atelier du 12 mars »,
//! « discutée lors de … »).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::staff::meeting_page;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::changes::{ContentKind, Target};
use crate::domain::consultations::{self, ConsultationId};
use crate::domain::ids::{BoxId, ProposalId, ReportId};
use crate::domain::meetings::{self, Idea, Kind, Meeting, MeetingError, MeetingId, Minutes, NewMinutes, Status};
use crate::domain::now_unix;
use crate::domain::proposals;
use crate::domain::reports;
use crate::i18n::{Arg, Lang};
use crate::store::Tx;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError};

/// « 12 mars » (« 12 March »), the day a meeting took place, in the
/// commune's time.
pub fn day_month(lang: Lang, m: &Meeting) -> String {
    match meetings::local(m.starts_at) {
        Some(d) => lang.ta(
            "meeting-day-month",
            &[
                ("day", Arg::from(d.day().to_string())),
                ("month", Arg::from(lang.t(&format!("meeting-month-{}", d.month())))),
            ],
        ),
        None => String::new(),
    }
}

/// « Atelier du 12 mars »: how a workshop's proposal names its author.
pub fn workshop_label(lang: Lang, m: &Meeting) -> String {
    lang.ta("meeting-workshop-of", &[("date", Arg::from(day_month(lang, m)))])
}

/// The link and words for something a meeting discussed, or `None` when it
/// is gone or no longer public (a proposal hidden since).
fn discussed_link(chrome: &Chrome, tx: &impl Tx, t: Target) -> Result<Option<(String, String)>, AppError> {
    let lang = chrome.lang;
    Ok(match t.kind {
        ContentKind::Proposal => match proposals::get(tx, ProposalId(t.id))? {
            Some(p) if proposals::is_public(tx, &p)? => Some((
                format!("/propositions/{}", p.id),
                lang.ta("meeting-discussed-proposal", &[("title", Arg::from(p.title.as_str()))]),
            )),
            Some(_) | None => None,
        },
        ContentKind::Consultation => match consultations::get(tx, ConsultationId(t.id))? {
            Some(c) if c.published.is_some() => Some((
                format!("/consultations/{}", c.id),
                lang.ta("meeting-discussed-consultation", &[("title", Arg::from(c.title.as_str()))]),
            )),
            Some(_) | None => None,
        },
        ContentKind::Report => match reports::get(tx, ReportId(t.id))? {
            Some(r) if r.confirmed => Some((
                format!("/signalements/{}", r.id),
                lang.ta("meeting-discussed-report", &[("number", Arg::from(r.id.get()))]),
            )),
            Some(_) | None => None,
        },
        ContentKind::Comment | ContentKind::Meeting | ContentKind::Page => None,
    })
}

/// The « Compte rendu » section of a meeting's public page, once it is
/// over: nothing before, nor for a cancelled meeting.
pub fn public_section(chrome: &Chrome, state: &AppState, m: &Meeting) -> Result<Markup, AppError> {
    if m.status != Status::Published || !m.is_past(now_unix()) {
        return Ok(html! {});
    }
    let tx = state.store.read()?;
    let minutes = meetings::minutes(&tx, m.id)?;
    let came = meetings::attendance(&tx, m)?;
    let mut links = Vec::new();
    for t in minutes.iter().flat_map(|n| n.discussed.iter()) {
        if let Some(link) = discussed_link(chrome, &tx, *t)? {
            links.push(link);
        }
    }
    let mut ideas = Vec::new();
    for id in meetings::ideas(&tx, m.id)? {
        if let Some(p) = proposals::get(&tx, id)? {
            if proposals::is_public(&tx, &p)? {
                ideas.push(p);
            }
        }
    }
    let docs = meetings::documents(&tx, m.id)?;
    drop(tx);
    let lang = chrome.lang;
    let text = minutes.as_ref().map(|n| n.text.as_str()).unwrap_or_default();
    Ok(html! {
        section.panel aria-labelledby="compte-rendu" {
            h2 #compte-rendu { (chrome.t("meeting-minutes")) }
            @if let Some(came) = came { p { (lang.ta("meeting-came", &[("count", Arg::from(came))])) } }
            @if text.is_empty() { p { (chrome.t("meeting-minutes-none")) } }
            @else { div.prose { (crate::markdown::render(text)) } }
            (super::documents::public_list(chrome, &docs))
            @if !links.is_empty() {
                h3 { (chrome.t("meeting-discussed")) }
                ul { @for (href, words) in &links { li { a href=(href) { (words) } } } }
            }
            @if !ideas.is_empty() {
                h3 { (chrome.t("meeting-ideas")) }
                ul { @for p in &ideas { li { a href={ "/propositions/" (p.id) } { (p.title) } } } }
            }
        }
    })
}

/// What a proposal's page says of meetings: who it came from (a workshop)
/// and the meetings that discussed it.
pub fn proposal_lines(chrome: &Chrome, tx: &impl Tx, p: &proposals::Proposal) -> Result<Markup, AppError> {
    let lang = chrome.lang;
    let discussed = meetings::discussed_in(tx, p.target())?;
    let origin = match p.origin {
        Some(proposals::Origin::Workshop(id)) => meetings::get(tx, id)?.filter(Meeting::is_public),
        None => None,
    };
    Ok(html! {
        @if let Some(m) = &origin {
            p.origin { a href={ "/rendez-vous/" (m.id) } { (lang.ta("proposal-from-workshop", &[("date", Arg::from(day_month(lang, m)))])) } }
        }
        @if !discussed.is_empty() {
            p.discussed {
                (chrome.t("proposal-discussed-at")) " "
                @for (i, m) in discussed.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/rendez-vous/" (m.id) } { (m.title) } " (" (day_month(lang, m)) ")"
                }
            }
        }
    })
}

/// The author's name on a proposal's page: the workshop for one that came
/// from a workshop, else `None` (the account's name).
pub fn origin_author(lang: Lang, tx: &impl Tx, p: &proposals::Proposal) -> Result<Option<String>, AppError> {
    Ok(match p.origin {
        Some(proposals::Origin::Workshop(id)) => meetings::get(tx, id)?.map(|m| workshop_label(lang, &m)),
        None => None,
    })
}

/// The minutes form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct MinutesForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    counted: String,
    #[serde(default)]
    proposals: String,
    #[serde(default)]
    consultations: String,
    #[serde(default)]
    reports: String,
}

impl MinutesForm {
    pub fn of(n: Option<&Minutes>) -> MinutesForm {
        let Some(n) = n else { return MinutesForm::default() };
        let ids = |kind: ContentKind| {
            n.discussed.iter().filter(|t| t.kind == kind).map(|t| t.id.to_string()).collect::<Vec<_>>().join(", ")
        };
        MinutesForm {
            minutes: n.text.clone(),
            counted: n.counted.map(|c| c.to_string()).unwrap_or_default(),
            proposals: ids(ContentKind::Proposal),
            consultations: ids(ContentKind::Consultation),
            reports: ids(ContentKind::Report),
        }
    }

    /// The minutes, or the fields that cannot be read.
    fn read(&self, chrome: &Chrome) -> Result<NewMinutes, FormErrors> {
        let mut errors = FormErrors::default();
        let counted = match self.counted.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add("counted", chrome.t("meeting-error-counted"));
                    None
                }
            },
        };
        let mut discussed = Vec::new();
        for (field, kind) in [
            ("proposals", ContentKind::Proposal),
            ("consultations", ContentKind::Consultation),
            ("reports", ContentKind::Report),
        ] {
            let value = match field {
                "proposals" => &self.proposals,
                "consultations" => &self.consultations,
                _ => &self.reports,
            };
            // « 12, 15 » or « n° 12 15 »: numbers, whatever separates them.
            let words = value.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|w| !w.is_empty());
            for word in words {
                match word.trim_start_matches(['#', 'n', 'N', '°', 'º']).parse::<u64>() {
                    Ok(id) => discussed.push(Target::new(kind, id)),
                    Err(_) if matches!(word, "n°" | "N°" | "no") => {}
                    Err(_) => {
                        errors.add(field, chrome.t("meeting-error-discussed-number"));
                        break;
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(NewMinutes { text: self.minutes.clone(), counted, discussed })
        } else {
            Err(errors)
        }
    }
}

/// A workshop's idea as typed.
#[derive(Deserialize, Default, Clone)]
pub struct IdeaForm {
    #[serde(default)]
    idea_box: String,
    #[serde(default)]
    idea_title: String,
    #[serde(default)]
    idea_body: String,
    #[serde(default)]
    idea_category: String,
}

/// The two forms of the staff's page after the meeting, as typed (empty
/// but for the one refused; the minutes as written when there are some).
#[derive(Default, Clone)]
pub struct After {
    pub minutes: MinutesForm,
    pub idea: IdeaForm,
    /// The name typed for a document whose file was refused.
    pub document_name: String,
}

/// The staff's panels after the meeting: the minutes once it is over; a
/// workshop's ideas once it has begun.
pub fn staff_panels(
    chrome: &Chrome,
    state: &AppState,
    m: &Meeting,
    after: &After,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let now = now_unix();
    if m.status != Status::Published {
        return Ok(html! {});
    }
    let tx = state.store.read()?;
    let boxes: Vec<(String, String)> = if m.kind == Kind::Workshop && now >= m.starts_at {
        proposals::boxes(&tx)?.into_iter().filter(|b| b.is_open(now)).map(|b| (b.id.to_string(), b.title)).collect()
    } else {
        Vec::new()
    };
    let mut recorded = Vec::new();
    for id in meetings::ideas(&tx, m.id)? {
        if let Some(p) = proposals::get(&tx, id)? {
            recorded.push(p);
        }
    }
    let came = meetings::attendance(&tx, m)?;
    let docs = meetings::documents(&tx, m.id)?;
    drop(tx);
    let lang = chrome.lang;
    let minutes = &after.minutes;
    let idea = &after.idea;
    Ok(html! {
        @if m.is_past(now) {
            section.panel aria-labelledby="compte-rendu" {
                h2 #compte-rendu { (chrome.t("meeting-minutes")) }
                form method="post" action={ "/admin/rendez-vous/" (m.id) "/compte-rendu" } novalidate {
                    (csrf_field(chrome))
                    (textarea(chrome, errors, "minutes", "meeting-field-minutes", &minutes.minutes, 10))
                    @if m.registration {
                        p { (lang.ta("meeting-came-marked", &[("count", Arg::from(came.unwrap_or(0)))])) " "
                            a href={ "/admin/rendez-vous/" (m.id) "/presence" } { (chrome.t("meeting-attendance")) } }
                    } @else {
                        (Input::new("counted", chrome.t("meeting-field-counted"), &minutes.counted).kind("number").optional().render(chrome, errors))
                    }
                    fieldset.form-group {
                        legend { (chrome.t("meeting-discussed")) }
                        p.hint { (chrome.t("meeting-field-discussed-hint")) }
                        (Input::new("proposals", chrome.t("meeting-field-discussed-proposals"), &minutes.proposals).optional().render(chrome, errors))
                        (Input::new("consultations", chrome.t("meeting-field-discussed-consultations"), &minutes.consultations).optional().render(chrome, errors))
                        (Input::new("reports", chrome.t("meeting-field-discussed-reports"), &minutes.reports).optional().render(chrome, errors))
                    }
                    (submit(&chrome.t("meeting-minutes-save")))
                }
            }
            (super::documents::staff_panel(chrome, &docs, m.id, &after.document_name, errors))
        }
        @if m.kind == Kind::Workshop && now >= m.starts_at {
            section.panel aria-labelledby="idees" {
                h2 #idees { (chrome.t("meeting-ideas")) }
                p { (chrome.t("meeting-ideas-text")) }
                @if !recorded.is_empty() {
                    ul { @for p in &recorded { li { a href={ "/propositions/" (p.id) } { (p.title) } } } }
                }
                @if boxes.is_empty() {
                    p { (chrome.t("meeting-ideas-no-box")) }
                } @else {
                    form method="post" action={ "/admin/rendez-vous/" (m.id) "/idees" } novalidate {
                        (csrf_field(chrome))
                        (select(chrome, errors, "idea_box", &chrome.t("meeting-field-idea-box"), None, &boxes, &idea.idea_box))
                        (Input::new("idea_title", chrome.t("meeting-field-idea-title"), &idea.idea_title).render(chrome, errors))
                        (textarea(chrome, errors, "idea_body", "meeting-field-idea-body", &idea.idea_body, 6))
                        (Input::new("idea_category", chrome.t("meeting-field-idea-category"), &idea.idea_category).optional().render(chrome, errors))
                        (submit(&chrome.t("meeting-idea-record")))
                    }
                }
            }
        }
    })
}

fn load(state: &AppState, id: u64) -> Result<Meeting, AppError> {
    meetings::get(&state.store.read()?, MeetingId(id))?.ok_or(AppError::NotFound)
}

/// `POST /admin/rendez-vous/:id/compte-rendu`: the minutes written.
#[poem::handler]
pub async fn save_minutes(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<MinutesForm>,
) -> Result<Response, AppError> {
    let m = load(&state, id)?;
    let again = |errors: FormErrors| -> Result<Response, AppError> {
        let after = After { minutes: form.clone(), ..After::default() };
        Ok(refused(meeting_page(&chrome, &state, &m, None, &after, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
    };
    let new = match form.read(&chrome) {
        Ok(n) => n,
        Err(errors) => return again(errors),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match meetings::write_minutes(tx, &actor, MeetingId(id), &new, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e @ (MeetingError::TooLong | MeetingError::BadCount | MeetingError::UnknownDiscussed(_))) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(redirect_with(
            &state,
            &format!("/admin/rendez-vous/{id}#compte-rendu"),
            Flash::success("flash-meeting-minutes-saved"),
        )),
        Err(e) => {
            let mut errors = FormErrors::default();
            match e {
                MeetingError::BadCount => errors.add("counted", chrome.t("meeting-error-counted")),
                MeetingError::UnknownDiscussed(t) => {
                    let field = match t.kind {
                        ContentKind::Consultation => "consultations",
                        ContentKind::Report => "reports",
                        _ => "proposals",
                    };
                    errors.add(field, chrome.lang.ta("meeting-error-discussed-unknown", &[("number", Arg::from(t.id))]))
                }
                _ => errors.add("minutes", chrome.t("meeting-error-too-long")),
            }
            again(errors)
        }
    }
}

/// `POST /admin/rendez-vous/:id/idees`: a workshop's idea recorded as a
/// proposal on behalf of the group.
#[poem::handler]
pub async fn record_idea(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    Form(form): Form<IdeaForm>,
) -> Result<Response, AppError> {
    let m = load(&state, id)?;
    let again = |errors: FormErrors| -> Result<Response, AppError> {
        let after = After { idea: form.clone(), ..After::default() };
        Ok(refused(meeting_page(&chrome, &state, &m, None, &after, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
    };
    let Ok(box_id) = form.idea_box.trim().parse::<u64>() else {
        let mut errors = FormErrors::default();
        errors.add("idea_box", chrome.t("meeting-error-idea-box"));
        return again(errors);
    };
    let idea = Idea {
        box_id: BoxId(box_id),
        title: form.idea_title.clone(),
        body: form.idea_body.clone(),
        category: Some(form.idea_category.trim().to_string()).filter(|c| !c.is_empty()),
    };
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state
        .store
        .write(move |tx| match meetings::record_idea(tx, &actor, MeetingId(id), &idea, now_unix()) {
            Ok(p) => Ok(Ok(p)),
            Err(
                e @ (MeetingError::BadTitle
                | MeetingError::TooLong
                | MeetingError::UnknownBox
                | MeetingError::BoxClosed),
            ) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Ok(_) => Ok(redirect_with(
            &state,
            &format!("/admin/rendez-vous/{id}#idees"),
            Flash::success("flash-meeting-idea-recorded"),
        )),
        Err(e) => {
            let mut errors = FormErrors::default();
            match e {
                MeetingError::BadTitle => errors.add("idea_title", chrome.t("meeting-error-idea-title")),
                MeetingError::TooLong => errors.add("idea_body", chrome.t("meeting-error-too-long")),
                _ => errors.add("idea_box", chrome.t("meeting-error-idea-box")),
            }
            again(errors)
        }
    }
}
