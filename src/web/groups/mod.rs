//! Pilot groups (issue 16): the page an invitation leads to
//! (`/groupes/rejoindre/<token>`), and who a page's viewer is for the rule
//! of private processes (`domain::groups::may_see`). The staff pages are in
//! [`staff`].

pub mod staff;

use std::sync::Arc;

use maud::html;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::Response;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::groups::{self, GroupError, Process};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::store::Tx;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::consultations::is_staff;
use crate::web::errors::{refused, AppError, Refusal};
use crate::web::layout::page;

impl From<GroupError> for AppError {
    fn from(e: GroupError) -> AppError {
        match e {
            GroupError::NotFound | GroupError::NoProcess | GroupError::InvitationUnknown => AppError::NotFound,
            GroupError::InvitationExpired | GroupError::InvitationRevoked | GroupError::InvitationUsed => {
                Refusal::LinkInvalid.into()
            }
            GroupError::EmptyName
            | GroupError::NameTooLong
            | GroupError::InvalidEmail
            | GroupError::BadDate
            | GroupError::NotAnnounced => Refusal::Invalid.into(),
            GroupError::NameTaken | GroupError::AlreadyPublic => Refusal::AlreadyDone.into(),
            GroupError::Store(s) => AppError::from(s),
        }
    }
}

/// Who is looking at a page, for `groups::may_see`.
pub fn viewer(chrome: &Chrome) -> groups::Viewer {
    match &chrome.viewer {
        Some(v) => groups::Viewer::person(v.account.id, is_staff(chrome)),
        None => groups::Viewer::PUBLIC,
    }
}

/// `Ok(())` when the page's viewer may see `process`; else the plain 404
/// of a page that does not exist, so that an outsider learns nothing.
pub fn check(chrome: &Chrome, tx: &impl Tx, process: Process) -> Result<(), AppError> {
    if groups::may_see(tx, viewer(chrome), process)? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The page for an invitation that cannot be used, saying why and what to do.
fn unusable(chrome: &Chrome, e: &GroupError) -> Response {
    let (key, status) = match e {
        GroupError::InvitationExpired => ("group-join-expired", StatusCode::GONE),
        GroupError::InvitationRevoked => ("group-join-revoked", StatusCode::GONE),
        GroupError::InvitationUsed => ("group-join-used", StatusCode::GONE),
        _ => ("group-join-unknown", StatusCode::NOT_FOUND),
    };
    let title = chrome.t("group-join-invalid-title");
    refused(
        page(
            chrome,
            &title,
            html! {
                h1 { (title) }
                p.lead { (chrome.t(key)) }
                p { (chrome.t("group-join-ask")) }
                p { a href="/" { (chrome.t("error-back-home")) } }
            },
        ),
        status,
    )
}

/// `GET /groupes/rejoindre/:token`: the group the invitation is for, and a
/// button to join it. Someone not signed in is sent to the sign-in page
/// (which leads to the sign-up one) and brought back here.
#[poem::handler]
pub async fn join_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(_viewer): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let checked = groups::check_invitation(&*state.store.read()?, &token, now_unix());
    let group = match checked {
        Ok((_, group)) => group,
        Err(GroupError::Store(e)) => return Err(e.into()),
        Err(e) => return Ok(unusable(&chrome, &e)),
    };
    let title = chrome.t("group-join-title");
    Ok(poem::IntoResponse::into_response(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("group-join-lead", &[("group", Arg::from(group.name.as_str()))])) }
            p { (chrome.t("group-join-what")) }
            form method="post" action={ "/groupes/rejoindre/" (token) } {
                (csrf_field(&chrome))
                (submit(&chrome.t("group-join-button")))
            }
        },
    )))
}

/// `POST /groupes/rejoindre/:token`: joins, then goes to the group's first
/// private process (or the home page when it has none yet).
#[poem::handler]
pub async fn join(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let joined = state
        .store
        .write(move |tx| Ok::<_, crate::store::StoreError>(groups::accept(tx, &actor, &token, now_unix())))
        .await?;
    let group = match joined {
        Ok(g) => g,
        Err(GroupError::Store(e)) => return Err(e.into()),
        Err(e) => return Ok(unusable(&chrome, &e)),
    };
    let tx = state.store.read()?;
    let first = groups::private_processes(&*tx)?.into_iter().find(|(_, g)| *g == group).map(|(p, _)| p.path());
    Ok(redirect_with(&state, first.as_deref().unwrap_or("/"), Flash::success("flash-group-joined")))
}

/// [`viewer`] for a handler that has the signed-in person but no chrome.
pub fn viewer_of(v: &crate::web::auth::Viewer) -> groups::Viewer {
    let staff = v.account.role >= crate::domain::accounts::Role::Staff && v.two_factor;
    groups::Viewer::person(v.account.id, staff)
}

/// A 404 unless `viewer` may see the box proposal `id` is in (a proposal
/// that does not exist is left to the caller's own answer).
pub fn check_proposal(
    tx: &impl Tx,
    viewer: groups::Viewer,
    id: crate::domain::ids::ProposalId,
) -> Result<(), AppError> {
    if let Some(p) = crate::domain::proposals::get(tx, id)? {
        if !groups::may_see(tx, viewer, Process::IdeaBox(p.box_id))? {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

/// The process a public address belongs to, from its path alone: every
/// page and sub-page of a process (`/idees/3/…`, `/propositions/12/…`,
/// `/consultations/4/…`, `/budgets/2/…`, `/rendez-vous/5/…`), a discussion
/// or a comment of its content, and a short address (`/p/velo`) that leads
/// to it.
pub fn process_of_path(tx: &impl Tx, path: &str) -> Result<Option<Process>, crate::store::StoreError> {
    use crate::domain::changes::{ContentKind, Target};
    use crate::domain::ids::{BoxId, CommentId, MeetingId};
    let mut parts = path.trim_start_matches('/').split('/');
    let (Some(first), second, third) = (parts.next(), parts.next(), parts.next()) else { return Ok(None) };
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<u64>().ok());
    Ok(match (first, number(second)) {
        ("idees", Some(id)) => Some(Process::IdeaBox(BoxId(id))),
        ("consultations", Some(id)) => Some(Process::Consultation(crate::domain::consultations::ConsultationId(id))),
        ("budgets", Some(id)) => Some(Process::Budget(crate::domain::budgets::ProcessId(id))),
        ("rendez-vous", Some(id)) => Some(Process::Meeting(MeetingId(id))),
        ("propositions", Some(id)) => groups::process_of(tx, Target::new(ContentKind::Proposal, id))?,
        ("commentaires", Some(id)) => groups::process_of(tx, Target::new(ContentKind::Comment, CommentId(id).get()))?,
        ("discussions", None) => {
            let kind = second.and_then(|k| ContentKind::ALL.into_iter().find(|c| c.code() == k));
            match (kind, number(third)) {
                (Some(kind), Some(id)) => groups::process_of(tx, Target::new(kind, id))?,
                _ => None,
            }
        }
        ("p", None) => match second.map(|name| crate::domain::promotion::resolve(tx, name)).transpose()?.flatten() {
            Some(target) => {
                let (kind, id) = target.key();
                Process::from_key(kind, id)
            }
            None => None,
        },
        _ => None,
    })
}

/// Middleware: the one gate of every public address of a private
/// process. Whoever may not see it (`groups::may_see`) gets the plain 404
/// page, as for a page that never existed; the handlers check again what
/// they show. The back office, the API and the assets are not concerned
/// (staff see everything; the API publishes through `domain::publication`).
pub async fn guard<E: poem::Endpoint>(next: Arc<E>, req: poem::Request) -> poem::Result<Response> {
    use poem::IntoResponse;
    let path = req.uri().path();
    let concerned = [
        "/idees/",
        "/propositions/",
        "/consultations/",
        "/budgets/",
        "/rendez-vous/",
        "/commentaires/",
        "/discussions/",
        "/p/",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix));
    if concerned {
        if let Some(state) = req.data::<Arc<AppState>>() {
            let tx = state.store.read().map_err(AppError::from)?;
            if let Some(process) = process_of_path(&*tx, path).map_err(AppError::from)? {
                let viewer = match req.extensions().get::<crate::web::auth::Viewer>() {
                    Some(v) => viewer_of(v),
                    None => groups::Viewer::PUBLIC,
                };
                if !groups::may_see(&*tx, viewer, process).map_err(AppError::from)? {
                    return Err(AppError::NotFound.into());
                }
            }
        }
    }
    Ok(next.call(req).await?.into_response())
}

/// The items of a list the page's viewer may see (`groups::may_see` on
/// each item's process).
pub fn visible<T>(
    chrome: &Chrome,
    tx: &impl Tx,
    items: Vec<T>,
    process: impl Fn(&T) -> Process,
) -> Result<Vec<T>, crate::store::StoreError> {
    let viewer = viewer(chrome);
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if groups::may_see(tx, viewer, process(&item))? {
            out.push(item);
        }
    }
    Ok(out)
}
