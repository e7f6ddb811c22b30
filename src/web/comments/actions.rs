//! The comment forms: post or answer, edit within the delay, delete, and
//! "useful" votes. Each one comes back (PRG) to the comment in its
//! discussion; a refused form is shown again alone on its page, with what
//! was typed and a 422 (a 429 past the quota of new comments, see
//! [`Quota::Comment`]).

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{back_to, form_page, parse_target, Form as CommentForm};
use crate::app::AppState;
use crate::domain::comments::{self, CommentError, CommentId, NewComment, Sort, Stance, EDIT_WINDOW_SECS};
use crate::domain::ids::AccountId;
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, FormErrors};
use crate::web::errors::{too_many, AppError};
use crate::web::layout::page;

/// The message for a text the person can fix, if it is one.
fn text_error(chrome: &Chrome, e: &CommentError) -> Option<String> {
    match e {
        CommentError::Empty => Some(chrome.t("comments-error-empty")),
        CommentError::TooLong => {
            Some(chrome.lang.ta("comments-error-too-long", &[("max", Arg::from(comments::MAX_BODY_CHARS as u64))]))
        }
        CommentError::ParentClosed => Some(chrome.t("comments-error-parent-closed")),
        _ => None,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct PostForm {
    #[serde(default)]
    cible: String,
    #[serde(default)]
    repondre: String,
    #[serde(default)]
    texte: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    tri: String,
    #[serde(default)]
    page: String,
}

impl PostForm {
    fn sort(&self) -> Sort {
        Sort::from_code(&self.tri).unwrap_or_default()
    }
    fn page(&self) -> u32 {
        self.page.parse().unwrap_or(1)
    }
}

fn refused(chrome: &Chrome, title: &str, form: &CommentForm, errors: &FormErrors) -> Response {
    crate::web::errors::refused(form_page(chrome, title, form, errors), StatusCode::UNPROCESSABLE_ENTITY)
}

/// `POST /commentaires/nouveau`: a comment or a reply.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let target = parse_target(&form.cible).ok_or(AppError::BadRequest("cible"))?;
    let reply_to: Option<CommentId> = match form.repondre.trim() {
        "" => None,
        raw => Some(raw.parse().map_err(|_| AppError::BadRequest("repondre"))?),
    };
    if !comments::target_open(&state.store.read()?, target)? {
        return Err(AppError::NotFound);
    }
    // A pilot group's discussion: its members' (and staff's) only.
    let viewer_of = crate::web::groups::viewer_of(&viewer);
    if !crate::domain::groups::may_see_content(&*state.store.read()?, viewer_of, target)? {
        return Err(AppError::NotFound);
    }
    let stance = Stance::from_code(&form.position);
    let (sort, page_no) = (form.sort(), form.page());
    let typed = CommentForm {
        text: form.texte.clone(),
        stance: stance.map(|s| s.code().to_string()).unwrap_or_default(),
        ..CommentForm::new(target, reply_to, sort, page_no)
    };
    let title = chrome.t(if reply_to.is_some() { "comments-reply-label" } else { "comments-new-label" });
    if let Err(e) = comments::check_body(&form.texte) {
        let mut errors = FormErrors::default();
        errors.add(&typed.field_id(), text_error(&chrome, &e).unwrap_or_default());
        return Ok(refused(&chrome, &title, &typed, &errors));
    }
    let key = format!("account:{}", viewer.account.id);
    if let Err(wait) = state.limiter.take(Quota::Comment, &key, Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add(&typed.field_id(), chrome.lang.ta("comments-error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(form_page(&chrome, &title, &typed, &errors), wait));
    }
    let new = NewComment { target, reply_to, author: viewer.account.id, body: form.texte.clone(), stance };
    let held = state.held_words.clone();
    let posted = state.store.write(move |tx| comments::create(tx, &new, &held, now_unix())).await;
    let posted = match posted {
        Ok(p) => p,
        Err(e) => match text_error(&chrome, &e) {
            Some(message) => {
                let mut errors = FormErrors::default();
                errors.add(&typed.field_id(), message);
                return Ok(refused(&chrome, &title, &typed, &errors));
            }
            None => return Err(e.into()),
        },
    };
    // A new top-level comment may land on another page than the one read.
    let page_no = comments::page_of(&state.store.read()?, posted.id, sort)?;
    let flash = if posted.held { Flash::info("flash-comment-held") } else { Flash::success("flash-comment-posted") };
    Ok(redirect_with(&state, &back_to(target, sort, page_no, posted.id), flash))
}

/// The page shown when the delay to edit has passed: no form any more.
fn too_late(chrome: &Chrome, target_href: &str, status: StatusCode) -> Response {
    let title = chrome.t("comments-edit-too-late-title");
    let mut resp = page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("comments-edit-too-late", &[("minutes", Arg::from(EDIT_WINDOW_SECS / 60))])) }
            p { a href=(target_href) { (chrome.t("comments-back")) } }
        },
    )
    .into_response();
    resp.set_status(status);
    resp
}

/// The author's comment, or the reason they may not act on it.
fn own_comment(state: &AppState, id: CommentId, me: u64) -> Result<comments::Comment, AppError> {
    let c = comments::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
    if c.author != AccountId(me) {
        return Err(AppError::Forbidden);
    }
    if c.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// `GET /commentaires/:id/modifier`: the edit form, while the delay lasts.
#[poem::handler]
pub async fn edit_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<CommentId>,
) -> Result<Response, AppError> {
    let c = own_comment(&state, id, viewer.account.id.get())?;
    let back = back_to(c.target, Sort::default(), 1, id);
    if !c.editable(now_unix()) || crate::domain::moderation::is_hidden(&state.store.read()?, c.target_of_self())? {
        return Ok(too_late(&chrome, &back, StatusCode::OK));
    }
    let form = CommentForm {
        text: c.body.clone(),
        stance: c.stance.map(|s| s.code().to_string()).unwrap_or_default(),
        editing: Some(id),
        ..CommentForm::new(c.target, None, Sort::default(), 1)
    };
    Ok(form_page(&chrome, &chrome.t("comments-edit-label"), &form, &FormErrors::default()).into_response())
}

/// `POST /commentaires/:id/modifier`: refused once the delay has passed.
#[poem::handler]
pub async fn edit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<CommentId>,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let c = own_comment(&state, id, viewer.account.id.get())?;
    let stance = Stance::from_code(&form.position);
    let (sort, page_no) = (form.sort(), form.page());
    let typed = CommentForm {
        text: form.texte.clone(),
        stance: stance.map(|s| s.code().to_string()).unwrap_or_default(),
        editing: Some(id),
        ..CommentForm::new(c.target, None, sort, page_no)
    };
    let title = chrome.t("comments-edit-label");
    let me = viewer.account.id;
    let body = form.texte.clone();
    let held = state.held_words.clone();
    let result = state.store.write(move |tx| comments::edit(tx, id, me, &body, stance, &held, now_unix())).await;
    match result {
        Ok(posted) => {
            let page_no = comments::page_of(&state.store.read()?, id, sort)?;
            let flash =
                if posted.held { Flash::info("flash-comment-held") } else { Flash::success("flash-comment-edited") };
            Ok(redirect_with(&state, &back_to(c.target, sort, page_no, id), flash))
        }
        Err(CommentError::EditWindowPassed) => {
            Ok(too_late(&chrome, &back_to(c.target, sort, page_no, id), StatusCode::FORBIDDEN))
        }
        Err(e) => match text_error(&chrome, &e) {
            Some(message) => {
                let mut errors = FormErrors::default();
                errors.add(&typed.field_id(), message);
                Ok(refused(&chrome, &title, &typed, &errors))
            }
            None => Err(e.into()),
        },
    }
}

/// `GET /commentaires/:id/supprimer`: asks before deleting.
#[poem::handler]
pub async fn delete_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<CommentId>,
) -> Result<Markup, AppError> {
    let c = own_comment(&state, id, viewer.account.id.get())?;
    let title = chrome.t("comments-delete-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("comments-delete-text")) }
            blockquote { (crate::markdown::render(&c.body)) }
            form method="post" action={ "/commentaires/" (id) "/supprimer" } {
                (csrf_field(&chrome))
                button.button type="submit" { (chrome.t("comments-delete-submit")) }
            }
            p { a href=(back_to(c.target, Sort::default(), 1, id)) { (chrome.t("comments-back")) } }
        },
    ))
}

/// `POST /commentaires/:id/supprimer`.
#[poem::handler]
pub async fn delete(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<CommentId>,
) -> Result<Response, AppError> {
    let me = viewer.account.id;
    let c = state.store.write(move |tx| comments::delete(tx, id, me, now_unix())).await?;
    let page_no = comments::page_of(&state.store.read()?, id, Sort::default())?;
    Ok(redirect_with(&state, &back_to(c.target, Sort::default(), page_no, id), Flash::success("flash-comment-deleted")))
}

#[derive(Deserialize, Default)]
pub struct UsefulForm {
    /// "1" to find it useful, "0" to take the vote back: the form says what
    /// it wants, so that the same request sent twice counts once.
    #[serde(default)]
    utile: String,
    #[serde(default)]
    tri: String,
    #[serde(default)]
    page: String,
}

/// `POST /commentaires/:id/utile`.
#[poem::handler]
pub async fn useful(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<CommentId>,
    Form(form): Form<UsefulForm>,
) -> Result<Response, AppError> {
    let want = match form.utile.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("utile")),
    };
    let me = viewer.account.id;
    state.store.write(move |tx| comments::set_useful(tx, id, me, want, now_unix())).await?;
    let c = comments::get(&state.store.read()?, id)?.ok_or(AppError::NotFound)?;
    let sort = Sort::from_code(&form.tri).unwrap_or_default();
    let page_no = form.page.parse().unwrap_or(1);
    let key = if want { "flash-comment-useful" } else { "flash-comment-useful-undone" };
    Ok(redirect_with(&state, &back_to(c.target, sort, page_no, id), Flash::success(key)))
}
