//! `/admin/comptes`: the list of accounts with search and role filter, one
//! account's page, and the admin's changes to it: role and service, block
//! and unblock. A blocked person is signed out everywhere in the same
//! transaction, and told by email.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use super::{person_name, query_string, role_from, PAGE_SIZE, ROLES};
use crate::app::AppState;
use crate::domain::accounts::{self, Account, AccountError, AccountId, Blocked, Role, Search};
use crate::domain::audit::Actor;
use crate::domain::{now_unix, sessions, two_factor};
use crate::web::account::redirect_with;
use crate::web::account::settings::{role_key, when};
use crate::web::auth::{Admin, ClientIp, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, facts, select, submit, table_head, FormErrors, Input};
use crate::web::errors::AppError;
use crate::web::layout::{page, page_with_errors};

/// The longest service name: "Espaces verts et propreté urbaine" fits.
pub const MAX_SERVICE_CHARS: usize = 60;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    /// Show accounts with an id below this one (the next page).
    #[serde(default)]
    avant: String,
}

/// The role filter's options: "all" first.
fn role_options(chrome: &Chrome, all_label: Option<String>) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = all_label.map(|l| (String::new(), l)).into_iter().collect();
    options.extend(ROLES.iter().map(|r| (r.as_str().to_string(), chrome.t(role_key(*r)))));
    options
}

/// The roles the role form offers for an account now `current`: a verified
/// resident only through the verification pages (see `change_role`).
fn settable_roles(chrome: &Chrome, current: Role) -> Vec<(String, String)> {
    let mut options = role_options(chrome, None);
    if current != Role::VerifiedResident {
        options.retain(|(code, _)| code != Role::VerifiedResident.as_str());
    }
    options
}

/// The state of an account in a word, for the list.
fn status(chrome: &Chrome, a: &Account) -> String {
    if a.blocked {
        chrome.t("admin-status-blocked")
    } else if !a.email_confirmed {
        chrome.t("admin-status-unconfirmed")
    } else {
        chrome.t("admin-status-active")
    }
}

/// `GET /admin/comptes`.
#[poem::handler]
pub async fn list(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(_admin): Admin,
    Query(q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    let role = role_from(&q.role);
    let before = q.avant.parse::<AccountId>().ok();
    let search = Search { text: q.q.clone(), role };
    let mut found = accounts::search(&state.store.read()?, &search, before, PAGE_SIZE + 1)?;
    let more = found.len() > PAGE_SIZE;
    found.truncate(PAGE_SIZE);
    let next = found.last().filter(|_| more).map(|a| a.id.to_string()).unwrap_or_default();
    let role_code = role.map(|r| r.as_str()).unwrap_or("");
    let title = chrome.t("admin-accounts-title");
    let no_errors = FormErrors::default();
    Ok(page(
        &chrome,
        &title,
        html! {
            p { a href="/admin" { (chrome.t("admin-back")) } }
            h1 { (title) }
            p { a.button.button-secondary href="/admin/invitations" { (chrome.t("admin-invite-title")) } }
            form method="get" action="/admin/comptes" role="search" {
                (Input::new("q", chrome.t("admin-search-text"), &q.q).kind("search").optional().render(&chrome, &no_errors))
                (select(&chrome, &no_errors, "role", &chrome.t("account-role"), None,
                    &role_options(&chrome, Some(chrome.t("admin-all-roles"))), role_code))
                (submit(&chrome.t("admin-search-submit")))
            }
            @if found.is_empty() {
                p { (chrome.t("admin-accounts-none")) }
            } @else {
                table {
                    caption { (chrome.t("admin-accounts-caption")) }
                    (table_head(&chrome, &["field-display-name", "field-email", "account-role", "account-service", "admin-status", "admin-created"]))
                    tbody {
                        @for a in &found {
                            tr {
                                th scope="row" { a href={ "/admin/comptes/" (a.id) } { (person_name(&chrome, Some(a))) } }
                                td { (a.email) }
                                td { (chrome.t(role_key(a.role))) }
                                td { (a.service.as_deref().unwrap_or("—")) }
                                td { (status(&chrome, a)) }
                                td { (when(a.created_at)) }
                            }
                        }
                    }
                }
            }
            @if before.is_some() || more {
                nav aria-label=(chrome.t("admin-pagination")) {
                    ul.actions {
                        @if before.is_some() {
                            li { a href={ "/admin/comptes?" (query_string(&[("q", &q.q), ("role", role_code)])) } { (chrome.t("admin-first-page")) } }
                        }
                        @if more {
                            li { a href={ "/admin/comptes?" (query_string(&[("q", &q.q), ("role", role_code), ("avant", &next)])) } { (chrome.t("admin-next-page")) } }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default, Clone)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    service: String,
}

/// What the account page shows besides the account.
struct Extra {
    two_factor: bool,
    sessions: usize,
}

fn load(state: &AppState, id: AccountId) -> Result<(Account, Extra), AppError> {
    let tx = state.store.read()?;
    let account = accounts::get(&tx, id)?.ok_or(AppError::NotFound)?;
    let extra = Extra {
        two_factor: two_factor::is_enabled(&tx, id)?,
        sessions: sessions::list(&tx, id, state.config.sessions, now_unix())?.len(),
    };
    Ok((account, extra))
}

fn yes_no(chrome: &Chrome, b: bool) -> String {
    chrome.t(if b { "admin-yes" } else { "admin-no" })
}

fn account_page(
    chrome: &Chrome,
    admin: &Viewer,
    a: &Account,
    extra: &Extra,
    form: &RoleForm,
    errors: &FormErrors,
) -> Markup {
    let name = person_name(chrome, Some(a));
    let own = admin.account.id == a.id;
    let role_text = chrome.t(role_key(a.role));
    let created = when(a.created_at);
    let last = a.last_sign_in_at.map(when).unwrap_or_else(|| "—".into());
    let confirmed = yes_no(chrome, a.email_confirmed);
    let two_factor = yes_no(chrome, extra.two_factor);
    let blocked = yes_no(chrome, a.blocked);
    let sessions = extra.sessions.to_string();
    let language = a.language.native_name();
    page_with_errors(
        chrome,
        &name,
        errors,
        html! {
            p { a href="/admin/comptes" { (chrome.t("admin-accounts-title")) } }
            h1 { (name) }
            @if let Some(at) = a.erased_at {
                p.lead { (chrome.lang.ta("admin-account-erased", &[("date", when(at).into())])) }
            } @else {
                (facts(chrome, &[
                    (&chrome.t("field-email"), Some(a.email.as_str())),
                    (&chrome.t("account-role"), Some(role_text.as_str())),
                    (&chrome.t("account-service"), a.service.as_deref().or(Some("—"))),
                    (&chrome.t("admin-language"), Some(language)),
                    (&chrome.t("admin-created"), Some(created.as_str())),
                    (&chrome.t("admin-email-confirmed"), Some(confirmed.as_str())),
                    (&chrome.t("admin-last-sign-in"), Some(last.as_str())),
                    (&chrome.t("account-2fa"), Some(two_factor.as_str())),
                    (&chrome.t("admin-sessions"), Some(sessions.as_str())),
                    (&chrome.t("admin-status-blocked"), Some(blocked.as_str())),
                ]))
                p { a href={ "/admin/journal?id=" (a.id) } { (chrome.t("admin-account-journal")) } }
                @if own {
                    p.warning-text { (chrome.t("admin-not-yourself")) }
                }
                h2 { (chrome.t("admin-role-title")) }
                form method="post" action={ "/admin/comptes/" (a.id) "/role" } novalidate {
                    (csrf_field(chrome))
                    (select(chrome, errors, "role", &chrome.t("account-role"), Some(&chrome.t("admin-verified-by-verification")),
                        &settable_roles(chrome, a.role), &form.role))
                    (Input::new("service", chrome.t("account-service"), &form.service).optional()
                        .hint(chrome.t("admin-service-hint")).render(chrome, errors))
                    (submit(&chrome.t("admin-role-submit")))
                }
                @if !own {
                    h2 { (chrome.t("admin-block-title")) }
                    @if a.blocked {
                        p { (chrome.t("admin-unblock-text")) }
                        form method="post" action={ "/admin/comptes/" (a.id) "/debloquer" } {
                            (csrf_field(chrome))
                            (submit(&chrome.t("admin-unblock-submit")))
                        }
                    } @else {
                        p { (chrome.t("admin-block-text")) }
                        form method="post" action={ "/admin/comptes/" (a.id) "/bloquer" } {
                            (csrf_field(chrome))
                            button.button.button-secondary type="submit" { (chrome.t("admin-block-submit")) }
                        }
                    }
                }
            }
        },
    )
}

fn form_of(a: &Account) -> RoleForm {
    RoleForm { role: a.role.as_str().to_string(), service: a.service.clone().unwrap_or_default() }
}

/// `GET /admin/comptes/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(admin): Admin,
    Path(id): Path<AccountId>,
) -> Result<Markup, AppError> {
    let (a, extra) = load(&state, id)?;
    Ok(account_page(&chrome, &admin, &a, &extra, &form_of(&a), &FormErrors::default()))
}

fn refused(
    chrome: &Chrome,
    admin: &Viewer,
    state: &AppState,
    id: AccountId,
    form: &RoleForm,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let (a, extra) = load(state, id)?;
    Ok(crate::web::errors::refused(
        account_page(chrome, admin, &a, &extra, form, errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /admin/comptes/:id/role`: role and service. An admin cannot lower
/// their own role: the commune could be left without an administrator.
#[poem::handler]
pub async fn change_role(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<AccountId>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let role = role_from(&form.role);
    if role.is_none() {
        errors.add("role", chrome.t("error-choose-from-list"));
    }
    let service = form.service.trim().to_string();
    if service.chars().count() > MAX_SERVICE_CHARS {
        errors.add("service", chrome.lang.ta("admin-service-too-long", &[("max", (MAX_SERVICE_CHARS as u64).into())]));
    }
    // Verification is a record of what the town hall checked, audited by
    // `domain::verification`: a role set by hand here would grant the votes
    // reserved to verified residents with no such record. A verified
    // resident keeps the role when only their service changes.
    if role == Some(Role::VerifiedResident) {
        let (a, _) = load(&state, id)?;
        if a.role != Role::VerifiedResident {
            errors.add("role", chrome.t("admin-verified-by-verification"));
        }
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return refused(&chrome, &admin, &state, id, &form, &errors);
    };
    let actor = Actor::person(admin.account.id, ip);
    let service = Some(service).filter(|s| !s.is_empty());
    let changed =
        state.store.write(move |tx| accounts::change_role(tx, &actor, id, role, service.clone(), now_unix())).await;
    let changed = match changed {
        Ok(changed) => changed,
        Err(AccountError::OwnAccount) => {
            errors.add("role", chrome.t("admin-not-yourself"));
            return refused(&chrome, &admin, &state, id, &form, &errors);
        }
        Err(e) => return Err(e.into()),
    };
    let flash = if changed { Flash::success("flash-role-changed") } else { Flash::info("flash-nothing-changed") };
    Ok(redirect_with(&state, &format!("/admin/comptes/{id}"), flash))
}

/// `POST /admin/comptes/:id/bloquer`: the person is signed out everywhere
/// at once and told by email. An admin cannot block themselves.
#[poem::handler]
pub async fn block(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<AccountId>,
) -> Result<Response, AppError> {
    set_blocked(chrome, &state, admin, ip, id, true).await
}

/// `POST /admin/comptes/:id/debloquer`.
#[poem::handler]
pub async fn unblock(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<AccountId>,
) -> Result<Response, AppError> {
    set_blocked(chrome, &state, admin, ip, id, false).await
}

async fn set_blocked(
    chrome: Chrome,
    state: &Arc<AppState>,
    admin: Viewer,
    ip: String,
    id: AccountId,
    blocked: bool,
) -> Result<Response, AppError> {
    let actor = Actor::person(admin.account.id, ip);
    let changed = state
        .store
        .write(move |tx| match blocked {
            true => accounts::block(tx, &actor, id, None, now_unix()).map(|b| b != Blocked::Already),
            false => accounts::unblock(tx, &actor, id, now_unix()),
        })
        .await;
    let changed = match changed {
        Ok(changed) => changed,
        Err(AccountError::OwnAccount) => {
            let (a, _) = load(state, id)?;
            let mut errors = FormErrors::default();
            errors.add("role", chrome.t("admin-not-yourself"));
            return refused(&chrome, &admin, state, id, &form_of(&a), &errors);
        }
        Err(e) => return Err(e.into()),
    };
    let flash = match (changed, blocked) {
        (false, _) => Flash::info("flash-nothing-changed"),
        (true, true) => Flash::success("flash-account-blocked"),
        (true, false) => Flash::success("flash-account-unblocked"),
    };
    Ok(redirect_with(state, &format!("/admin/comptes/{id}"), flash))
}
