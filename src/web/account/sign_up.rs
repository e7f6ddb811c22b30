//! `/inscription`: a resident creates an account.
//!
//! The answer is the same whether the address already has an account or not
//! (both lead to "check your email"), so the form cannot be used to find out
//! who takes part.

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{hash, heavy_turn, link, password_error};
use crate::app::AppState;
use crate::domain::accounts::{self, SignUp, AGE_BRACKETS};
use crate::domain::audit::Actor;
use crate::domain::newsletters::consent;
use crate::domain::now_unix;
use crate::ratelimit::Action as Limit;
use crate::web::auth::ClientIp;
use crate::web::chrome::Chrome;
use crate::web::components::{checkbox, csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page, page_with_errors};

#[derive(Deserialize, Default, Clone)]
pub struct SignUpForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    age_bracket: String,
    #[serde(default)]
    stats_consent: Option<String>,
    /// The newsletter: a yes of its own, never ticked for the person.
    #[serde(default)]
    newsletter: Option<String>,
}

fn form_page(chrome: &Chrome, form: &SignUpForm, errors: &FormErrors) -> Markup {
    let config = chrome.config();
    let title = chrome.t("sign-up-title");
    let mut neighbourhoods = vec![(String::new(), chrome.t("form-not-given"))];
    neighbourhoods.extend(config.commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let mut ages = vec![(String::new(), chrome.t("form-not-given"))];
    ages.extend(AGE_BRACKETS.iter().map(|a| (a.to_string(), chrome.t(&format!("age-{a}")))));
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("sign-up-lead")) }
            form method="post" action="/inscription" novalidate {
                (csrf_field(chrome))
                (Input::new("display_name", chrome.t("field-display-name"), &form.display_name)
                    .hint(chrome.t("field-display-name-hint")).autocomplete("nickname").render(chrome, errors))
                (Input::new("email", chrome.t("field-email"), &form.email)
                    .kind("email").autocomplete("email").hint(chrome.t("field-email-hint")).render(chrome, errors))
                (Input::new("password", chrome.t("field-new-password"), "")
                    .kind("password").autocomplete("new-password").hint(chrome.t("field-new-password-hint")).render(chrome, errors))
                fieldset.form-group {
                    legend { h2 { (chrome.t("sign-up-stats-title")) } }
                    p { (chrome.t("sign-up-stats-why")) }
                    @if !config.commune.neighbourhoods.is_empty() {
                        (select(chrome, errors, "neighbourhood", &chrome.t("field-neighbourhood"), None, &neighbourhoods, &form.neighbourhood))
                    }
                    (select(chrome, errors, "age_bracket", &chrome.t("field-age-bracket"), None, &ages, &form.age_bracket))
                    (checkbox("stats_consent", &chrome.t("field-stats-consent"), form.stats_consent.is_some()))
                }
                (checkbox("newsletter", &chrome.t("newsletters-consent-label"), form.newsletter.is_some()))
                p { a href="/donnees-personnelles" { (chrome.t("sign-up-privacy-link")) } }
                (submit(&chrome.t("sign-up-submit")))
            }
            p { (chrome.t("sign-up-have-account")) " " a href="/connexion" { (chrome.t("sign-in-title")) } }
        },
    )
}

/// `GET /inscription`.
#[poem::handler]
pub async fn show(chrome: Chrome) -> Markup {
    form_page(&chrome, &SignUpForm::default(), &FormErrors::default())
}

fn validate(chrome: &Chrome, form: &SignUpForm) -> FormErrors {
    let lang = chrome.lang;
    let config = chrome.config();
    let mut errors = FormErrors::default();
    let name = form.display_name.trim();
    if name.chars().count() < 2 || name.chars().count() > 60 {
        errors.add("display_name", lang.t("error-display-name"));
    }
    if accounts::normalise_email(&form.email).is_err() {
        errors.add("email", lang.t("error-email"));
    }
    let personal = [form.email.as_str(), name, config.commune.name.as_str()];
    if let Some(message) = password_error(lang, &form.password, &personal) {
        errors.add("password", message);
    }
    if !form.neighbourhood.is_empty() && !config.commune.neighbourhoods.contains(&form.neighbourhood) {
        errors.add("neighbourhood", lang.t("error-choose-from-list"));
    }
    if !form.age_bracket.is_empty() && !AGE_BRACKETS.contains(&form.age_bracket.as_str()) {
        errors.add("age_bracket", lang.t("error-choose-from-list"));
    }
    let gave_stats = !form.neighbourhood.is_empty() || !form.age_bracket.is_empty();
    if gave_stats && form.stats_consent.is_none() {
        errors.add("stats_consent", lang.t("error-stats-consent"));
    }
    errors
}

/// `POST /inscription`.
#[poem::handler]
pub async fn submit_form(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignUpForm>,
) -> Result<Response, AppError> {
    let mut errors = validate(&chrome, &form);
    if !errors.is_empty() {
        return Ok(refused(form_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    }
    let turn = heavy_turn(&state).await?;
    // Every sign-up counts: checked and counted at once.
    if let Err(wait) = state.limiter.attempt(Limit::SignUp, &[&ip], Instant::now()) {
        errors.add("email", chrome.lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(form_page(&chrome, &form, &errors), wait));
    }
    let password_hash = hash(turn, form.password.clone()).await?;
    let consent = form.stats_consent.is_some();
    let sign_up = SignUp {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password_hash,
        language: chrome.lang,
        neighbourhood: Some(form.neighbourhood.clone()).filter(|n| consent && !n.is_empty()),
        age_bracket: Some(form.age_bracket.clone()).filter(|a| consent && !a.is_empty()),
    };
    let confirm_base = link(&state, "/compte/confirmer?jeton=");
    let actor = Actor::anonymous(ip);
    // A taken address gets the same answer as a new one (`register` sends
    // nothing then): nothing tells a stranger that it has an account.
    let newsletter = form.newsletter.is_some();
    state
        .store
        .write(move |tx| {
            let now = now_unix();
            let created = accounts::register(tx, &actor, &sign_up, &confirm_base, now)?;
            // Only a new account: a taken address must not be subscribed by a stranger.
            if let Some(id) = created.filter(|_| newsletter) {
                consent::give(tx, id, consent::Via::SignUp, now)?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(Redirect::see_other("/inscription/envoye").into_response())
}

/// `GET /inscription/envoye`.
#[poem::handler]
pub async fn sent(chrome: Chrome) -> Markup {
    let title = chrome.t("sign-up-sent-title");
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("sign-up-sent-text")) }
            p { (chrome.t("sign-up-sent-spam")) }
            p { a href="/connexion" { (chrome.t("sign-in-title")) } }
        },
    )
}
