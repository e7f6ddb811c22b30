//! Inviting a member of the town hall's team by email, and the invited
//! person's page where they choose their name and password.
//!
//! The invitation creates the account at once, with a random password nobody
//! knows and the address unconfirmed; following the emailed link proves the
//! address, sets the password and confirms it. Two-factor enrolment comes
//! next, at the first sign-in: the role extractors require it.
//!
//! An address that already has an account is not invited: its role is
//! changed from its page, so that an invitation never silently raises the
//! rights of an existing resident. The one exception is an invitation that
//! was never accepted: inviting again sends a new link (the old one keeps
//! working until it expires).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::accounts::MAX_SERVICE_CHARS;
use super::{query_string, role_from};
use crate::app::AppState;
use crate::domain::accounts::{self, Account, AccountError, Invitation, Role, TokenPurpose};
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::web::account::settings::role_key;
use crate::web::account::{hash, heavy_turn, link, password_error, redirect_with};
use crate::web::auth::{Admin, ClientIp};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The roles one is invited to: the town hall's team.
const INVITED_ROLES: [Role; 3] = [Role::Moderator, Role::Staff, Role::Admin];

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    service: String,
}

fn invite_page(chrome: &Chrome, form: &InviteForm, errors: &FormErrors, taken: Option<&str>) -> Markup {
    let title = chrome.t("admin-invite-title");
    let roles: Vec<(String, String)> =
        INVITED_ROLES.iter().map(|r| (r.as_str().to_string(), chrome.t(role_key(*r)))).collect();
    let selected = if form.role.is_empty() { Role::Staff.as_str() } else { form.role.as_str() };
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p { a href="/admin" { (chrome.t("admin-back")) } }
            h1 { (title) }
            p.lead { (chrome.t("admin-invite-lead")) }
            @if let Some(email) = taken {
                p { a href={ "/admin/comptes?" (query_string(&[("q", email)])) } { (chrome.t("admin-invite-see-account")) } }
            }
            form method="post" action="/admin/invitations" novalidate {
                (csrf_field(chrome))
                (Input::new("email", chrome.t("field-email"), &form.email).kind("email").render(chrome, errors))
                (Input::new("display_name", chrome.t("field-display-name"), &form.display_name)
                    .hint(chrome.t("admin-invite-name-hint")).render(chrome, errors))
                (select(chrome, errors, "role", &chrome.t("account-role"), None, &roles, selected))
                (Input::new("service", chrome.t("account-service"), &form.service).optional()
                    .hint(chrome.t("admin-service-hint")).render(chrome, errors))
                (submit(&chrome.t("admin-invite-submit")))
            }
        },
    )
}

/// `GET /admin/invitations`.
#[poem::handler]
pub async fn show(chrome: Chrome, Admin(_admin): Admin) -> Markup {
    invite_page(&chrome, &InviteForm::default(), &FormErrors::default(), None)
}

fn valid_name(name: &str) -> bool {
    (2..=60).contains(&name.trim().chars().count())
}

/// `POST /admin/invitations`.
#[poem::handler]
pub async fn invite(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let email = accounts::normalise_email(&form.email);
    if email.is_err() {
        errors.add("email", chrome.t("error-email"));
    }
    if !valid_name(&form.display_name) {
        errors.add("display_name", chrome.t("error-display-name"));
    }
    let role = role_from(&form.role).filter(|r| INVITED_ROLES.contains(r));
    if role.is_none() {
        errors.add("role", chrome.t("error-choose-from-list"));
    }
    let service = form.service.trim().to_string();
    if service.chars().count() > MAX_SERVICE_CHARS {
        errors.add("service", chrome.lang.ta("admin-service-too-long", &[("max", (MAX_SERVICE_CHARS as u64).into())]));
    }
    let fail = |errors: &FormErrors, taken: Option<&str>| {
        refused(invite_page(&chrome, &form, errors, taken), StatusCode::UNPROCESSABLE_ENTITY)
    };
    let (Ok(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Ok(fail(&errors, None));
    };
    // Nobody knows this password: the account cannot be used before the
    // link is followed. A real argon2 hash keeps every check uniform.
    let unusable = hash(heavy_turn(&state).await?, accounts::one_time_password()?).await?;
    let base = link(&state, "/invitation?jeton=");
    let actor = Actor::person(admin.account.id, ip);
    let invitation = Invitation {
        email: email.clone(),
        display_name: form.display_name.trim().to_string(),
        role,
        service: Some(service).filter(|s| !s.is_empty()),
        // The invited person's language is not known yet: the commune's.
        language: state.config.default_language,
        unusable_password_hash: unusable,
    };
    let outcome = state
        .store
        .write(move |tx| match accounts::invite(tx, &actor, &invitation, &base, now_unix()) {
            Ok(id) => Ok(Some(id)),
            Err(AccountError::EmailTaken) => Ok(None),
            Err(e) => Err(e),
        })
        .await?;
    let Some(id) = outcome else {
        let mut errors = FormErrors::default();
        errors.add("email", chrome.t("admin-invite-taken"));
        return Ok(fail(&errors, Some(&email)));
    };
    Ok(redirect_with(&state, &format!("/admin/comptes/{id}"), Flash::success("flash-invitation-sent")))
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    jeton: String,
}

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

fn accept_page(chrome: &Chrome, token: &str, name: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("invitation-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("invitation-lead")) }
            form method="post" action="/invitation" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="jeton" value=(token);
                (Input::new("display_name", chrome.t("field-display-name"), name).autocomplete("name")
                    .hint(chrome.t("admin-invite-name-hint")).render(chrome, errors))
                (Input::new("password", chrome.t("field-new-password"), "").kind("password").autocomplete("new-password")
                    .hint(chrome.t("field-new-password-hint")).render(chrome, errors))
                p { (chrome.t("invitation-two-factor")) }
                (submit(&chrome.t("invitation-submit")))
            }
        },
    )
}

fn invalid(chrome: &Chrome) -> Response {
    let title = chrome.t("link-invalid-title");
    let mut resp = page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("invitation-invalid")) }
        },
    )
    .into_response();
    resp.set_status(StatusCode::GONE);
    resp
}

/// The invitation a token stands for, and its account, if both are still good.
fn pending(state: &AppState, token: &str) -> Result<Option<Account>, AppError> {
    let tx = state.store.read()?;
    let Some(t) = accounts::peek_token(&tx, token, now_unix())? else { return Ok(None) };
    if t.purpose != TokenPurpose::Invitation {
        return Ok(None);
    }
    Ok(accounts::get(&tx, t.account)?.filter(|a| !a.is_erased()))
}

/// `GET /invitation?jeton=…`: a form, so that a mail scanner opening the
/// link does not use the single-use token.
#[poem::handler]
pub async fn accept_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    match pending(&state, &q.jeton)? {
        Some(a) => Ok(accept_page(&chrome, &q.jeton, &a.display_name, &FormErrors::default()).into_response()),
        None => Ok(invalid(&chrome)),
    }
}

/// `POST /invitation`: sets the name and password, confirms the address,
/// uses the token; then the person signs in and enrols in two-factor.
#[poem::handler]
pub async fn accept(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(account) = pending(&state, &form.jeton)? else { return Ok(invalid(&chrome)) };
    let mut errors = FormErrors::default();
    let name = form.display_name.trim().to_string();
    if !valid_name(&name) {
        errors.add("display_name", chrome.t("error-display-name"));
    }
    let personal = [account.email.as_str(), name.as_str(), chrome.config().commune.name.as_str()];
    if let Some(message) = password_error(chrome.lang, &form.password, &personal) {
        errors.add("password", message);
    }
    if !errors.is_empty() {
        let page = accept_page(&chrome, &form.jeton, &form.display_name, &errors);
        return Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let password_hash = hash(heavy_turn(&state).await?, form.password.clone()).await?;
    let jeton = form.jeton.clone();
    let actor = Actor::anonymous(ip);
    let done = state
        .store
        .write(move |tx| {
            accounts::accept_invitation(tx, &actor, &jeton, &name, &password_hash, now_unix()).map(|id| id.is_some())
        })
        .await?;
    if !done {
        return Ok(invalid(&chrome));
    }
    Ok(redirect_with(&state, "/connexion", Flash::success("flash-invitation-accepted")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_two_to_sixty_characters_are_accepted() {
        assert!(valid_name(" Lé "));
        assert!(!valid_name("L"));
        assert!(valid_name(&"é".repeat(60)));
        assert!(!valid_name(&"é".repeat(61)));
    }
}
