//! `/admin/groupes`: staff create pilot groups, see and remove members,
//! invite by email or by a shared link (revocable), make a process private
//! to a group, and announce then make its opening to everyone.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts;
use crate::domain::audit::Actor;
use crate::domain::groups::{self, GroupError, GroupId, InvitationKind, Process};
use crate::domain::ids::AccountId;
use crate::domain::now_unix;
use crate::web::account::{link, redirect_with};
use crate::web::admin::person_name;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, table_head, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;
use crate::web::proposals::{date, parse_date};

/// What the group page's forms send; one struct, so that a failed form
/// keeps what was typed in it.
#[derive(Deserialize, Default, Clone)]
pub struct GroupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    link_until: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    process: String,
    #[serde(default)]
    opens_on: String,
    /// `kind:id` of the process whose opening is announced.
    #[serde(default)]
    announce: String,
}

fn group_id(text: &str) -> Result<GroupId, AppError> {
    text.parse().map(GroupId).map_err(|_| AppError::NotFound)
}

/// The refusals of the group forms, each on its field.
fn form_errors(chrome: &Chrome, e: &GroupError) -> Result<FormErrors, AppError> {
    let (field, key) = match e {
        GroupError::EmptyName => ("name", "group-error-empty-name"),
        GroupError::NameTooLong => ("name", "group-error-long-name"),
        GroupError::NameTaken => ("name", "group-error-name-taken"),
        GroupError::InvalidEmail => ("email", "group-error-email"),
        GroupError::NoProcess => ("process", "group-error-no-process"),
        GroupError::AlreadyPublic => ("process", "group-error-already-public"),
        GroupError::BadDate => ("opens_on", "group-error-date"),
        GroupError::NotAnnounced => ("opens_on", "group-error-not-announced"),
        GroupError::NotFound
        | GroupError::InvitationUnknown
        | GroupError::InvitationExpired
        | GroupError::InvitationRevoked
        | GroupError::InvitationUsed
        | GroupError::Store(_) => return Err(AppError::NotFound),
    };
    let mut errors = FormErrors::default();
    errors.add(field, chrome.t(key));
    Ok(errors)
}

/// `GET /admin/groupes`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    index_page(&chrome, &state, &GroupForm::default(), &FormErrors::default())
}

fn index_page(chrome: &Chrome, state: &AppState, form: &GroupForm, errors: &FormErrors) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let all = groups::all(&*tx)?;
    let private = groups::private_processes(&*tx)?;
    let mut rows = Vec::new();
    for g in all {
        let members = groups::members(&*tx, g.id)?.len();
        let processes = private.iter().filter(|(_, of)| *of == g.id).count();
        rows.push((g, members, processes));
    }
    let title = chrome.t("group-staff-title");
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("group-staff-lead")) }
            @if rows.is_empty() {
                p { (chrome.t("group-staff-none")) }
            } @else {
                table.table {
                    (table_head(chrome, &["group-col-name", "group-col-members", "group-col-processes"]))
                    tbody {
                        @for (g, members, processes) in &rows {
                            tr {
                                td { a href={ "/admin/groupes/" (g.id) } { (g.name) } }
                                td { (members) }
                                td { (processes) }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("group-create-title")) }
            form method="post" action="/admin/groupes" novalidate {
                (csrf_field(chrome))
                (Input::new("name", chrome.t("group-field-name"), &form.name).hint(chrome.t("group-field-name-hint")).render(chrome, errors))
                (submit(&chrome.t("group-create-button")))
            }
        },
    ))
}

/// `POST /admin/groupes`: creates a group.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let name = form.name.clone();
    let done = state
        .store
        .write(move |tx| Ok::<_, crate::store::StoreError>(groups::create(tx, &actor, &name, now_unix())))
        .await?;
    match done {
        Ok(id) => Ok(redirect_with(&state, &format!("/admin/groupes/{id}"), Flash::success("flash-group-created"))),
        Err(GroupError::Store(e)) => Err(e.into()),
        Err(e) => {
            let errors = form_errors(&chrome, &e)?;
            Ok(refused(index_page(&chrome, &state, &form, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `GET /admin/groupes/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<Markup, AppError> {
    group_page(&chrome, &state, group_id(&id)?, &GroupForm::default(), &FormErrors::default())
}

fn invitation_state(chrome: &Chrome, i: &groups::Invitation, now: i64) -> String {
    match i.refusal(now) {
        Some(GroupError::InvitationRevoked) => chrome.t("group-invitation-revoked"),
        Some(GroupError::InvitationUsed) => chrome.t("group-invitation-used"),
        Some(_) => chrome.t("group-invitation-expired"),
        None => chrome.t("group-invitation-valid"),
    }
}

fn group_page(
    chrome: &Chrome,
    state: &AppState,
    id: GroupId,
    form: &GroupForm,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let group = groups::get(&*tx, id)?.ok_or(AppError::NotFound)?;
    let mut members = Vec::new();
    for (account, at) in groups::members(&*tx, id)? {
        let a = accounts::get(&tx, account)?;
        let email = a.as_ref().filter(|a| !a.is_erased()).map(|a| a.email.clone()).unwrap_or_default();
        members.push((account, person_name(chrome, a.as_ref()), email, at));
    }
    let invitations = groups::invitations(&*tx, id)?;
    let mut processes = Vec::new();
    for (p, _) in groups::private_processes(&*tx)?.into_iter().filter(|(_, g)| *g == id) {
        let title = p.title(&*tx)?.unwrap_or_else(|| "?".into());
        processes.push((p, title, groups::opening_of(&*tx, p)?));
    }
    let unannounced: Vec<(String, String)> = processes
        .iter()
        .filter(|(_, _, opening)| opening.is_none())
        .map(|(p, title, _)| {
            let (kind, pid) = p.key();
            (format!("{kind}:{pid}"), format!("{} : {title}", chrome.t(&format!("short-link-kind-{kind}"))))
        })
        .collect();
    let now = now_unix();
    let kinds: Vec<(String, String)> =
        Process::KINDS.iter().map(|k| (k.to_string(), chrome.t(&format!("short-link-kind-{k}")))).collect();
    let title = group.name.clone();
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p { a href="/admin/groupes" { (chrome.t("group-staff-title")) } }
            h1 { (title) }
            h2 { (chrome.t("group-members-title")) }
            @if members.is_empty() {
                p { (chrome.t("group-members-none")) }
            } @else {
                table.table {
                    (table_head(chrome, &["group-col-person", "group-col-email", "group-col-joined", "group-col-remove"]))
                    tbody {
                        @for (account, name, email, at) in &members {
                            tr {
                                td { (name) }
                                td { (email) }
                                td { (date(*at)) }
                                td {
                                    form.inline-form method="post" action={ "/admin/groupes/" (id) "/membres/" (account) "/retirer" } {
                                        (csrf_field(chrome))
                                        button.link-button type="submit" { (chrome.t("group-remove")) span.visually-hidden { " " (name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("group-invite-title")) }
            form method="post" action={ "/admin/groupes/" (id) "/invitations" } novalidate {
                (csrf_field(chrome))
                (Input::new("email", chrome.t("group-field-email"), &form.email).kind("email").hint(chrome.lang.ta("group-field-email-hint", &[("days", crate::i18n::Arg::from(u64::from(state.config.group_invitation_days)))])).render(chrome, errors))
                (submit(&chrome.t("group-invite-button")))
            }
            h2 { (chrome.t("group-link-title")) }
            form method="post" action={ "/admin/groupes/" (id) "/liens" } novalidate {
                (csrf_field(chrome))
                (Input::new("link_until", chrome.t("group-field-link-until"), &form.link_until).kind("date").hint(chrome.t("group-field-link-until-hint")).render(chrome, errors))
                (submit(&chrome.t("group-link-button")))
            }
            @if !invitations.is_empty() {
                h2 { (chrome.t("group-invitations-title")) }
                table.table {
                    (table_head(chrome, &["group-col-invitation", "group-col-until", "group-col-state", "group-col-joined-count", "group-col-revoke"]))
                    tbody {
                        @for (key, i) in &invitations {
                            tr {
                                td {
                                    @match &i.kind {
                                        InvitationKind::Email { email } => { (email) }
                                        InvitationKind::Link { token } => { code { (link(state, &groups::invitation_path(token))) } }
                                    }
                                }
                                td { (date(i.expires_at)) }
                                td { (invitation_state(chrome, i, now)) }
                                td { (i.joined) }
                                td {
                                    @if i.refusal(now).is_none() {
                                        form.inline-form method="post" action={ "/admin/groupes/" (id) "/invitations/" (key) "/revoquer" } {
                                            (csrf_field(chrome))
                                            button.link-button type="submit" { (chrome.t("group-revoke")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("group-processes-title")) }
            p.hint { (chrome.t("group-processes-hint")) }
            @if processes.is_empty() {
                p { (chrome.t("group-processes-none")) }
            } @else {
                table.table {
                    (table_head(chrome, &["group-col-process", "group-col-opening", "group-col-open"]))
                    tbody {
                        @for (p, ptitle, opening) in &processes {
                            @let (kind, pid) = p.key();
                            tr {
                                td { (chrome.t(&format!("short-link-kind-{kind}"))) " : " a href=(p.path()) { (ptitle) } }
                                td {
                                    @if let Some(o) = opening {
                                        (chrome.lang.ta("group-opening-announced", &[("date", crate::i18n::Arg::from(date(o.opens_at))), ("told", crate::i18n::Arg::from(o.told))]))
                                    } @else {
                                        (chrome.t("group-opening-none"))
                                    }
                                }
                                td {
                                    @if opening.is_some() {
                                        form.inline-form method="post" action={ "/admin/groupes/" (id) "/demarches/" (kind) "/" (pid) "/ouvrir" } {
                                            (csrf_field(chrome))
                                            button.button type="submit" { (chrome.t("group-open-button")) span.visually-hidden { " " (ptitle) } }
                                        }
                                    } @else {
                                        (chrome.t("group-open-needs-announce"))
                                    }
                                    form.inline-form method="post" action={ "/admin/groupes/" (id) "/demarches/" (kind) "/" (pid) "/bilan" } {
                                        (csrf_field(chrome))
                                        button.link-button type="submit" { (chrome.t("group-feedback-button")) span.visually-hidden { " " (ptitle) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !unannounced.is_empty() {
                h3 { (chrome.t("group-announce-title")) }
                form method="post" action={ "/admin/groupes/" (id) "/annoncer" } novalidate {
                    (csrf_field(chrome))
                    (select(chrome, errors, "announce", &chrome.t("group-field-announce"), None, &unannounced, &form.announce))
                    (Input::new("opens_on", chrome.t("group-field-opens-on"), &form.opens_on).kind("date").hint(chrome.t("group-field-opens-on-hint")).render(chrome, errors))
                    (submit(&chrome.t("group-announce-button")))
                }
            }
            h3 { (chrome.t("group-private-title")) }
            form method="post" action={ "/admin/groupes/" (id) "/demarches" } novalidate {
                (csrf_field(chrome))
                (select(chrome, errors, "kind", &chrome.t("short-link-kind"), None, &kinds, &form.kind))
                (Input::new("process", chrome.t("short-link-id"), &form.process).kind("number").hint(chrome.t("group-field-process-hint")).render(chrome, errors))
                (submit(&chrome.t("group-private-button")))
            }
        },
    ))
}

/// Runs a group operation; a refusal re-renders the group page with the
/// form's errors and what was typed, a success redirects with `flash`.
async fn run(
    chrome: &Chrome,
    state: &Arc<AppState>,
    id: GroupId,
    form: &GroupForm,
    flash: &str,
    op: impl FnMut(&crate::store::WriteTx) -> Result<(), GroupError> + Send + 'static,
) -> Result<Response, AppError> {
    let mut op = op;
    let done = state.store.write(move |tx| Ok::<_, crate::store::StoreError>(op(tx))).await?;
    match done {
        Ok(()) => Ok(redirect_with(state, &format!("/admin/groupes/{id}"), Flash::success(flash))),
        Err(GroupError::Store(e)) => Err(e.into()),
        Err(e) => {
            let errors = form_errors(chrome, &e)?;
            Ok(refused(group_page(chrome, state, id, form, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/groupes/:id/invitations`: mails a single-use invitation.
#[poem::handler]
pub async fn invite(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let actor = Actor::person(viewer.account.id, ip);
    let (email, days, base, lang) = (
        form.email.clone(),
        state.config.group_invitation_days,
        state.config.server.public_url.as_str().to_string(),
        state.config.default_language,
    );
    run(&chrome, &state, id, &form, "flash-group-invited", move |tx| {
        groups::invite_by_email(tx, &actor, id, &email, days, &base, lang, now_unix()).map(|_| ())
    })
    .await
}

/// `POST /admin/groupes/:id/liens`: a shareable link until the chosen day
/// (its end: valid through that whole day); shown once created, and listed.
#[poem::handler]
pub async fn create_link(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let actor = Actor::person(viewer.account.id, ip);
    let until = parse_date(&form.link_until).map(|start| start + 86_400 - 1);
    let done = match until {
        None => Err(GroupError::BadDate),
        Some(until) => {
            state
                .store
                .write(move |tx| {
                    Ok::<_, crate::store::StoreError>(groups::create_link(tx, &actor, id, until, now_unix()))
                })
                .await?
        }
    };
    match done {
        Ok(_) => Ok(redirect_with(&state, &format!("/admin/groupes/{id}"), Flash::success("flash-group-link-created"))),
        Err(GroupError::Store(e)) => Err(e.into()),
        Err(_) => {
            let mut errors = FormErrors::default();
            errors.add("link_until", chrome.t("group-error-date"));
            Ok(refused(group_page(&chrome, &state, id, &form, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /admin/groupes/:id/invitations/:key/revoquer`.
#[poem::handler]
pub async fn revoke(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| groups::revoke(tx, &actor, id, &key, now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, &format!("/admin/groupes/{id}"), Flash::success("flash-group-revoked")))
}

/// `POST /admin/groupes/:id/membres/:account/retirer`.
#[poem::handler]
pub async fn remove_member(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, account)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let account = AccountId(account.parse().map_err(|_| AppError::NotFound)?);
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| groups::remove_member(tx, &actor, id, account, now_unix()).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("/admin/groupes/{id}"), Flash::success("flash-group-member-removed")))
}

/// `POST /admin/groupes/:id/demarches`: makes a process private to the group.
#[poem::handler]
pub async fn make_private(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let actor = Actor::person(viewer.account.id, ip);
    let process = form.process.trim().parse().ok().and_then(|n| Process::from_key(&form.kind, n));
    run(&chrome, &state, id, &form, "flash-group-private", move |tx| match process {
        Some(p) => groups::make_private(tx, &actor, p, id, now_unix()),
        None => Err(GroupError::NoProcess),
    })
    .await
}

fn process_of(kind: &str, pid: &str) -> Result<Process, AppError> {
    pid.parse().ok().and_then(|n| Process::from_key(kind, n)).ok_or(AppError::NotFound)
}

/// `POST /admin/groupes/:id/annoncer`: tells the contributors of the
/// process chosen that it opens to everyone on the chosen day.
#[poem::handler]
pub async fn announce(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let (kind, pid) = form.announce.split_once(':').unwrap_or_default();
    let process = process_of(kind, pid)?;
    let actor = Actor::person(viewer.account.id, ip);
    let base = state.config.server.public_url.as_str().to_string();
    let opens_at = parse_date(&form.opens_on);
    run(&chrome, &state, id, &form, "flash-group-announced", move |tx| match opens_at {
        Some(at) => groups::announce_opening(tx, &actor, process, at.max(now_unix()), &base, now_unix()).map(|_| ()),
        None => Err(GroupError::BadDate),
    })
    .await
}

/// `POST /admin/groupes/:id/demarches/:kind/:pid/ouvrir`: opens it now
/// (its contributors were told; refused otherwise).
#[poem::handler]
pub async fn open(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, kind, pid)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let id = group_id(&id)?;
    let process = process_of(&kind, &pid)?;
    let actor = Actor::person(viewer.account.id, ip);
    run(&chrome, &state, id, &GroupForm::default(), "flash-group-opened", move |tx| {
        groups::open(tx, &actor, process, now_unix())
    })
    .await
}

/// `POST /admin/groupes/:id/demarches/:kind/:pid/bilan`: a draft feedback
/// questionnaire for the pilot's participants, private to the same group;
/// staff land on it to adjust and publish it.
#[poem::handler]
pub async fn feedback(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((_id, kind, pid)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let process = process_of(&kind, &pid)?;
    let actor = Actor::person(viewer.account.id, ip);
    let lang = state.config.default_language;
    let id = state
        .store
        .write(move |tx| groups::pilot_feedback(tx, &actor, process, lang, now_unix()).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("/admin/consultations/{id}"), Flash::success("flash-group-feedback")))
}
