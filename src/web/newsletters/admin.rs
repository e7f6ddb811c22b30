//! The admins' newsletter pages (`/admin/lettres`): write, correct, read
//! as it will be read (the page and the mail's text), send a test to
//! oneself, send, then follow the mails leaving the outbox.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::newsletters::{self, consent, Audience, Draft, Newsletter, NewsletterError, NewsletterId};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::mail::{render, Template};
use crate::web::account::redirect_with;
use crate::web::auth::{Admin, ClientIp};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, table_head, textarea, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};
use crate::web::proposals::date;

fn base(state: &AppState) -> String {
    state.config.server.public_url.as_str().trim_end_matches('/').to_string()
}

#[derive(Deserialize, Default, Clone)]
pub struct LetterForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// Empty: everyone who consents; otherwise a neighbourhood.
    #[serde(default)]
    audience: String,
}

impl LetterForm {
    fn draft(&self) -> Draft {
        let audience = match self.audience.trim() {
            "" => Audience::All,
            n => Audience::Neighbourhood(n.to_string()),
        };
        Draft { subject: self.subject.clone(), body: self.body.clone(), audience }
    }

    fn of(l: &Newsletter) -> LetterForm {
        let audience = match &l.audience {
            Audience::All => String::new(),
            Audience::Neighbourhood(n) => n.clone(),
        };
        LetterForm { subject: l.subject.clone(), body: l.body.clone(), audience }
    }
}

fn audience_name(chrome: &Chrome, a: &Audience) -> String {
    match a {
        Audience::All => chrome.t("newsletters-audience-all"),
        Audience::Neighbourhood(n) => {
            chrome.lang.ta("newsletters-audience-neighbourhood", &[("name", Arg::from(n.as_str()))])
        }
    }
}

fn fields(chrome: &Chrome, form: &LetterForm, errors: &FormErrors) -> Markup {
    let mut audiences = vec![(String::new(), chrome.t("newsletters-audience-all"))];
    audiences.extend(chrome.config().commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    html! {
        (Input::new("subject", chrome.t("newsletters-field-subject"), &form.subject).render(chrome, errors))
        (textarea(chrome, errors, "body", "newsletters-field-body", &form.body, 14))
        p.hint { (chrome.t("newsletters-markdown-hint")) }
        (select(chrome, errors, "audience", &chrome.t("newsletters-field-audience"), None, &audiences, &form.audience))
        (submit(&chrome.t("newsletters-save")))
    }
}

fn form_errors(chrome: &Chrome, e: &NewsletterError) -> FormErrors {
    let mut errors = FormErrors::default();
    match e {
        NewsletterError::BadSubject => errors.add("subject", chrome.t("newsletters-error-subject")),
        NewsletterError::BadBody => errors.add("body", chrome.t("newsletters-error-body")),
        NewsletterError::UnknownNeighbourhood => errors.add("audience", chrome.t("error-choose-from-list")),
        NewsletterError::NotFound
        | NewsletterError::AlreadySent
        | NewsletterError::NoRecipients
        | NewsletterError::LinkInvalid
        | NewsletterError::NoAddress
        | NewsletterError::Store(_) => {}
    }
    errors
}

/// A refusal the form shows on a field, rather than an error page.
fn on_a_field(e: &NewsletterError) -> bool {
    matches!(e, NewsletterError::BadSubject | NewsletterError::BadBody | NewsletterError::UnknownNeighbourhood)
}

/// `GET /admin/lettres`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _admin: Admin) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let letters = newsletters::all(&tx)?;
    let subscribers = consent::subscriber_count(&tx)?;
    drop(tx);
    let title = chrome.t("newsletters-admin-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { (chrome.lang.ta("newsletters-subscribers", &[("count", Arg::from(subscribers))])) }
            p { a.button href="/admin/lettres/nouvelle" { (chrome.t("newsletters-new")) } }
            @if letters.is_empty() { p { (chrome.t("newsletters-none")) } } @else {
                table {
                    (table_head(&chrome, &["newsletters-field-subject", "newsletters-field-audience", "newsletters-state"]))
                    tbody {
                        @for l in &letters {
                            tr {
                                td { a href={ "/admin/lettres/" (l.id) } { (l.subject) } }
                                td { (audience_name(&chrome, &l.audience)) }
                                td { @match &l.sent {
                                    Some(s) => (chrome.lang.ta("newsletters-sent-on", &[("date", Arg::from(date(s.at)))])),
                                    None => (chrome.t("newsletters-state-draft")),
                                } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn new_page(chrome: &Chrome, form: &LetterForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("newsletters-new");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href="/admin/lettres" { (chrome.t("newsletters-admin-title")) } }
            h1 { (title) }
            form method="post" action="/admin/lettres/nouvelle" novalidate {
                (csrf_field(chrome))
                (fields(chrome, form, errors))
            }
        },
    )
}

/// `GET /admin/lettres/nouvelle`.
#[poem::handler]
pub async fn new_form(chrome: Chrome, _admin: Admin) -> Markup {
    new_page(&chrome, &LetterForm::default(), &FormErrors::default())
}

/// `POST /admin/lettres/nouvelle`: a draft, then its page with the preview.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<LetterForm>,
) -> Result<Response, AppError> {
    let (actor, draft) = (Actor::person(viewer.account.id, ip), form.draft());
    let hoods = state.config.commune.neighbourhoods.clone();
    let done = state
        .store
        .write(move |tx| match newsletters::create(tx, &actor, &draft, &hoods, now_unix()) {
            Ok(id) => Ok(Ok(id)),
            Err(e) if on_a_field(&e) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(id) => Ok(redirect_with(&state, &format!("/admin/lettres/{id}"), Flash::success("flash-newsletters-saved"))),
        Err(e) => Ok(refused(new_page(&chrome, &form, &form_errors(&chrome, &e)), StatusCode::UNPROCESSABLE_ENTITY)),
    }
}

/// The newsletter's page: the form while a draft, the preview (the page
/// and the mail's text, in the admin's language), then the test and send
/// buttons, or where its mails are once sent.
fn letter_page(
    chrome: &Chrome,
    state: &AppState,
    l: &Newsletter,
    form: &LetterForm,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let reach = match &l.sent {
        None => newsletters::recipients(&tx, &l.audience)?.len() as u64,
        Some(s) => s.recipients,
    };
    let progress = newsletters::progress(&tx, l)?;
    drop(tx);
    let commune = &state.config.commune.name;
    let mail = render(
        &Template::Newsletter {
            name: chrome.t("newsletters-preview-name"),
            subject: l.subject.clone(),
            text: l.body.clone(),
            link: format!("{}/lettres/{}", base(state), l.id),
            unsubscribe: format!("{}/lettres/desinscription?compte=…", base(state)),
        },
        chrome.lang,
        commune,
    );
    let heading = chrome.lang.ta("newsletters-edit-title", &[("subject", Arg::from(l.subject.as_str()))]);
    Ok(page_with_errors(
        chrome,
        &heading,
        errors,
        html! {
            p.breadcrumb { a href="/admin/lettres" { (chrome.t("newsletters-admin-title")) } }
            h1 { (heading) }
            p { (audience_name(chrome, &l.audience)) " · " (chrome.lang.ta("newsletters-reach", &[("count", Arg::from(reach))])) }
            @match &l.sent {
                Some(s) => {
                    h2 { (chrome.t("newsletters-progress-title")) }
                    p { (chrome.lang.ta("newsletters-sent-on", &[("date", Arg::from(date(s.at)))])) " · " a href={ "/lettres/" (l.id) } { (chrome.t("newsletters-see")) } }
                    dl.facts #progress {
                        dt { (chrome.t("newsletters-progress-queued")) } dd { (progress.pending) }
                        dt { (chrome.t("newsletters-progress-sent")) } dd { (progress.sent + progress.purged) }
                        dt { (chrome.t("newsletters-progress-failed")) } dd { (progress.failed) }
                    }
                }
                None => {
                    form method="post" action={ "/admin/lettres/" (l.id) } novalidate {
                        (csrf_field(chrome))
                        (fields(chrome, form, errors))
                    }
                }
            }
            h2 { (chrome.t("newsletters-preview-title")) }
            div.preview { (super::reading(chrome, l, true)) }
            h3 { (chrome.t("newsletters-preview-mail")) }
            p { strong { (mail.subject) } }
            pre.mail-text { (mail.text) }
            @if l.sent.is_none() {
                h2 { (chrome.t("newsletters-send-title")) }
                form method="post" action={ "/admin/lettres/" (l.id) "/essai" } {
                    (csrf_field(chrome))
                    p.hint { (chrome.t("newsletters-test-hint")) }
                    button.button.button-secondary type="submit" { (chrome.t("newsletters-test")) }
                }
                form method="post" action={ "/admin/lettres/" (l.id) "/envoyer" } {
                    (csrf_field(chrome))
                    p.hint { (chrome.lang.ta("newsletters-send-hint", &[("count", Arg::from(reach))])) }
                    button.button type="submit" { (chrome.t("newsletters-send")) }
                }
            }
        },
    ))
}

/// `GET /admin/lettres/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _admin: Admin,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let l = newsletters::get(&state.store.read()?, NewsletterId(id))?.ok_or(AppError::NotFound)?;
    letter_page(&chrome, &state, &l, &LetterForm::of(&l), &FormErrors::default())
}

/// `POST /admin/lettres/:id`: a correction of the draft.
#[poem::handler]
pub async fn update(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _admin: Admin,
    Path(id): Path<u64>,
    Form(form): Form<LetterForm>,
) -> Result<Response, AppError> {
    let (draft, id) = (form.draft(), NewsletterId(id));
    let hoods = state.config.commune.neighbourhoods.clone();
    let done = state
        .store
        .write(move |tx| match newsletters::update(tx, id, &draft, &hoods, now_unix()) {
            Ok(()) => Ok(Ok(())),
            Err(e) if on_a_field(&e) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match done {
        Ok(()) => Ok(redirect_with(&state, &format!("/admin/lettres/{id}"), Flash::success("flash-newsletters-saved"))),
        Err(e) => {
            let l = newsletters::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
            let page = letter_page(&chrome, &state, &l, &form, &form_errors(&chrome, &e))?;
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/lettres/:id/essai`: to the admin's own address only.
#[poem::handler]
pub async fn test(
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let (actor, base) = (Actor::person(viewer.account.id, ip), base(&state));
    state
        .store
        .write(move |tx| newsletters::send_test(tx, &actor, NewsletterId(id), &base).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("/admin/lettres/{id}"), Flash::success("flash-newsletters-test-sent")))
}

/// `POST /admin/lettres/:id/envoyer`: queues it to everyone it is for.
#[poem::handler]
pub async fn send(
    state: Data<&Arc<AppState>>,
    Admin(viewer): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let (actor, base) = (Actor::person(viewer.account.id, ip), base(&state));
    let rate = state.config.newsletter_rate_per_minute;
    state
        .store
        .write(move |tx| {
            newsletters::send(tx, &actor, NewsletterId(id), &base, rate, now_unix()).map_err(AppError::from)
        })
        .await?;
    Ok(redirect_with(&state, &format!("/admin/lettres/{id}"), Flash::success("flash-newsletters-sent")))
}
