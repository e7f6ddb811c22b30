//! Comments on the web: the discussion section that any content page embeds,
//! the page of a whole discussion, and the forms (one file per action group:
//! `actions.rs`).
//!
//! A page that shows a discussion does three things:
//! ```text
//! // in the handler's arguments:
//! Query(cq): Query<web::comments::ThreadQuery>,
//! // in its body:
//! let discussion = web::comments::load(&chrome, target, &cq)?;
//! // in its markup:
//! (web::comments::section(&chrome, target, &discussion))
//! ```
//! Everything works without JavaScript: "Répondre" reloads the page with
//! the reply form under the comment (`?repondre=<id>#repondre-<id>`), edit
//! and delete have their own small pages, and every action comes back to
//! the comment it was about.

pub mod actions;

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path, Query, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::Role;
use crate::domain::changes::{ContentKind, Target};
use crate::domain::comments::{self, CommentId, Node, Reader, Shown, Sort, Stance, Thread};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::markdown;
use crate::store::ReadTx;
use crate::web::admin::query_string;
use crate::web::chrome::Chrome;
use crate::web::components::{csrf_field, FormErrors};
use crate::web::errors::AppError;
use crate::web::layout::{page, page_with_errors};
use crate::web::proposals::date_time;

/// The public page of a piece of content: where every action on its
/// discussion comes back to. The one place that knows these addresses.
pub fn target_url(target: Target) -> String {
    match target.kind {
        ContentKind::Proposal => format!("/propositions/{}", target.id),
        ContentKind::Comment => format!("/commentaires/{}", target.id),
        // Kinds without their own page yet show their discussion alone.
        kind => format!("/discussions/{}/{}", kind.code(), target.id),
    }
}

/// A target as forms carry it: `proposal-12`.
pub fn target_param(target: Target) -> String {
    format!("{}-{}", target.kind.code(), target.id)
}

/// The inverse of [`target_param`].
pub fn parse_target(raw: &str) -> Option<Target> {
    let (kind, id) = raw.trim().rsplit_once('-')?;
    Some(Target::new(ContentKind::from_code(kind)?, id.parse().ok()?))
}

/// The query of a page that shows a discussion. Texts, not numbers: a
/// mangled link shows the first page rather than an error.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ThreadQuery {
    /// `anciens`, `recents` or `utiles`.
    #[serde(default)]
    pub tri: String,
    #[serde(default)]
    pub page: String,
    /// The comment whose reply form is open.
    #[serde(default)]
    pub repondre: String,
}

impl ThreadQuery {
    pub fn sort(&self) -> Sort {
        Sort::from_code(&self.tri).unwrap_or_default()
    }
    pub fn page(&self) -> u32 {
        self.page.parse().unwrap_or(1)
    }
    fn reply_to(&self) -> Option<CommentId> {
        self.repondre.parse().ok()
    }
}

/// A discussion as one person sees it, ready for [`section`].
pub struct Discussion {
    pub thread: Thread,
    pub query: ThreadQuery,
    /// Moderators see a link to the queue, with its length.
    pub queue_len: Option<u64>,
}

/// Who reads, as the domain needs it.
pub fn reader(chrome: &Chrome) -> Reader {
    match &chrome.viewer {
        Some(v) => Reader { account: Some(v.account.id), moderator: v.account.role >= Role::Moderator },
        None => Reader::default(),
    }
}

/// Reads the discussion of `target` for the person asking.
pub fn load(chrome: &Chrome, target: Target, query: &ThreadQuery) -> Result<Discussion, AppError> {
    load_in(chrome, &chrome.state.store.read()?, target, query)
}

/// [`load`] in the read transaction the page has open already: the page
/// and its discussion read one snapshot, and one transaction is begun
/// instead of two (beginning one is a good part of a small page's reads).
pub fn load_in(chrome: &Chrome, tx: &ReadTx, target: Target, query: &ThreadQuery) -> Result<Discussion, AppError> {
    let reader = reader(chrome);
    let thread = comments::thread(tx, target, query.sort(), query.page(), reader)?;
    let queue_len = if reader.moderator { Some(crate::domain::moderation::queue_len(tx)?) } else { None };
    Ok(Discussion { thread, query: query.clone(), queue_len })
}

/// The query string that keeps the reader's sort and page.
fn keep(sort: Sort, page: u32, extra: &[(&str, &str)]) -> String {
    let page = if page > 1 { page.to_string() } else { String::new() };
    let sort = if sort == Sort::default() { "" } else { sort.code() };
    let mut pairs = vec![("tri", sort), ("page", page.as_str())];
    pairs.extend_from_slice(extra);
    let q = query_string(&pairs);
    if q.is_empty() {
        q
    } else {
        format!("?{q}")
    }
}

/// Where to come back to after acting on comment `id`: its target's page,
/// on the page of the thread that shows it, at the comment.
pub fn back_to(target: Target, sort: Sort, page: u32, id: CommentId) -> String {
    format!("{}{}#commentaire-{id}", target_url(target), keep(sort, page, &[]))
}

/// The discussion section of a content page.
pub fn section(chrome: &Chrome, target: Target, discussion: &Discussion) -> Markup {
    let thread = &discussion.thread;
    let base = chrome.path.clone();
    let heading = chrome.lang.count("comments-heading", thread.count);
    html! {
        section.comments #commentaires aria-labelledby="commentaires-titre" {
            h2 #commentaires-titre { (heading) }
            @if let Some(n) = discussion.queue_len {
                p { a href="/admin/moderation" { (chrome.lang.ta("comments-queue-link", &[("count", Arg::from(n))])) } }
            }
            @if !thread.items.is_empty() {
                nav aria-label=(chrome.t("comments-sort-label")) {
                    ul.actions {
                        @for sort in Sort::ALL {
                            li {
                                @let href = format!("{base}{}#commentaires", keep(sort, 1, &[]));
                                @if sort == thread.sort {
                                    a href=(href) aria-current="true" { (chrome.t(sort_key(sort))) }
                                } @else {
                                    a href=(href) { (chrome.t(sort_key(sort))) }
                                }
                            }
                        }
                    }
                }
                ol.comment-list {
                    @for node in &thread.items { (node_markup(chrome, target, discussion, node)) }
                }
                @if thread.pages > 1 {
                    nav aria-label=(chrome.t("comments-pagination")) {
                        ul.actions {
                            @if thread.page > 1 {
                                li { a href={ (base) (keep(thread.sort, thread.page - 1, &[])) "#commentaires" } { (chrome.t("comments-previous")) } }
                            }
                            li { (chrome.lang.ta("comments-page-of", &[("page", Arg::from(u64::from(thread.page))), ("pages", Arg::from(u64::from(thread.pages)))])) }
                            @if thread.page < thread.pages {
                                li { a href={ (base) (keep(thread.sort, thread.page + 1, &[])) "#commentaires" } { (chrome.t("comments-next")) } }
                            }
                        }
                    }
                }
            } @else {
                p { (chrome.t("comments-none")) }
            }
            @if chrome.viewer.is_some() {
                (comment_form(chrome, &Form::new(target, None, thread.sort, thread.page), &FormErrors::default()))
            } @else {
                p { a href={ "/connexion?" (query_string(&[("suivant", &chrome.path)])) } { (chrome.t("comments-sign-in")) } }
            }
        }
    }
}

pub(crate) fn sort_key(sort: Sort) -> &'static str {
    match sort {
        Sort::Oldest => "comment-sort-anciens",
        Sort::Newest => "comment-sort-recents",
        Sort::MostUseful => "comment-sort-utiles",
    }
}

pub(crate) fn stance_key(stance: Stance) -> &'static str {
    match stance {
        Stance::For => "comment-stance-for",
        Stance::Against => "comment-stance-against",
        Stance::Neutral => "comment-stance-neutral",
    }
}

fn author_name(chrome: &Chrome, author: &comments::Author) -> String {
    author.name.clone().unwrap_or_else(|| chrome.t("deleted-participant"))
}

fn node_markup(chrome: &Chrome, target: Target, discussion: &Discussion, node: &Node) -> Markup {
    let c = &node.comment;
    let thread = &discussion.thread;
    let me = chrome.viewer.as_ref().map(|v| v.account.id);
    let mine = me == Some(c.author);
    let moderator = chrome.viewer.as_ref().is_some_and(|v| v.account.role >= Role::Moderator);
    let public = node.shown == Shown::Text { held: false };
    let now = now_unix();
    let anchor = format!("commentaire-{}", c.id);
    html! {
        li.comment id=(anchor) {
            article.comment-body aria-labelledby={ (anchor) "-auteur" } {
                p.comment-meta {
                    strong id={ (anchor) "-auteur" } { (author_name(chrome, &node.author)) }
                    @if node.author.town_hall { " " span.tag { (chrome.t("comments-town-hall")) } }
                    " · " time datetime=(jiff::Timestamp::from_second(c.created_at).map(|t| t.to_string()).unwrap_or_default()) { (date_time(c.created_at)) }
                    @if c.edited_at.is_some() && c.deleted_at.is_none() { " · " (chrome.t("comments-edited")) }
                    @if let (Some(stance), true) = (c.stance, matches!(node.shown, Shown::Text { .. })) {
                        " · " strong.stance { (chrome.t(stance_key(stance))) }
                    }
                    @if let Some(answered) = &node.answers {
                        " · " (chrome.lang.ta("comments-in-reply-to", &[("name", Arg::from(author_name(chrome, answered)))]))
                    }
                }
                @match node.shown {
                    Shown::Text { held } => {
                        @if held { p.warning-text { (chrome.t("comments-held-note")) } }
                        div.comment-text { (markdown::render(&c.body)) }
                    }
                    Shown::Deleted => p.comment-placeholder { em { (chrome.t("comments-deleted")) } },
                    Shown::Hidden => p.comment-placeholder { em { (chrome.t("comments-hidden")) } },
                    Shown::Pending => p.comment-placeholder { em { (chrome.t("comments-pending")) } },
                }
                @if matches!(node.shown, Shown::Text { .. }) || moderator {
                    div.comment-actions {
                        @if public {
                            p.comment-useful { (chrome.lang.count("comments-useful-count", u64::from(c.useful))) }
                        }
                        ul.actions {
                            @if public && me.is_some() && !mine {
                                li {
                                    form.inline-form method="post" action={ "/commentaires/" (c.id) "/utile" } {
                                        (csrf_field(chrome))
                                        input type="hidden" name="tri" value=(thread.sort.code());
                                        input type="hidden" name="page" value=(thread.page);
                                        @if node.mine_useful {
                                            input type="hidden" name="utile" value="0";
                                            button.link-button type="submit" { (chrome.t("comments-useful-undo")) }
                                        } @else {
                                            input type="hidden" name="utile" value="1";
                                            button.link-button type="submit" { (chrome.t("comments-useful")) }
                                        }
                                    }
                                }
                            }
                            @if public && me.is_some() {
                                li { a href={ (chrome.path) (keep(thread.sort, thread.page, &[("repondre", &c.id.to_string())])) "#repondre-" (c.id) } { (chrome.t("comments-reply")) } }
                            }
                            @if mine && c.editable(now) {
                                li { a href={ "/commentaires/" (c.id) "/modifier" } { (chrome.t("comments-edit")) } }
                            }
                            @if mine && c.deleted_at.is_none() {
                                li { a href={ "/commentaires/" (c.id) "/supprimer" } { (chrome.t("comments-delete")) } }
                            }
                            @if public && !mine {
                                li { a href={ "/signaler?cible=comment-" (c.id) } { (chrome.t("comments-report")) } }
                            }
                            @if moderator {
                                li { a href={ "/admin/moderation/comment/" (c.id) } { (chrome.t("comments-moderate")) } }
                            }
                        }
                    }
                }
                @if public && me.is_some() && discussion.query.reply_to() == Some(c.id) {
                    (comment_form(chrome, &Form::new(target, Some(c.id), thread.sort, thread.page), &FormErrors::default()))
                }
            }
            @if !node.replies.is_empty() {
                ol.comment-replies {
                    @for reply in &node.replies { (node_markup(chrome, target, discussion, reply)) }
                }
            }
        }
    }
}

/// What a comment form holds (typed, or to be typed).
#[derive(Clone, Debug)]
pub struct Form {
    pub target: Target,
    pub reply_to: Option<CommentId>,
    pub text: String,
    /// A [`Stance::code`], or empty.
    pub stance: String,
    pub sort: Sort,
    pub page: u32,
    /// Set when editing an existing comment.
    pub editing: Option<CommentId>,
}

impl Form {
    pub fn new(target: Target, reply_to: Option<CommentId>, sort: Sort, page: u32) -> Form {
        Form { target, reply_to, text: String::new(), stance: String::new(), sort, page, editing: None }
    }

    /// The id of the text field: unique on a page with several forms.
    pub(crate) fn field_id(&self) -> String {
        match (self.editing, self.reply_to) {
            (Some(id), _) => format!("texte-modifier-{id}"),
            (None, Some(id)) => format!("texte-{id}"),
            (None, None) => "texte".to_string(),
        }
    }
}

/// A link to the commune's participation charter, when there is one.
pub fn charter_link(chrome: &Chrome) -> Markup {
    html! {
        @if let Some(url) = &chrome.config().charter_url {
            p.hint { (chrome.t("charter-before")) " " a href=(url) { (chrome.t("charter-link")) } "." }
        }
    }
}

/// The form to post, answer or edit a comment.
pub fn comment_form(chrome: &Chrome, form: &Form, errors: &FormErrors) -> Markup {
    let field = form.field_id();
    let error = errors.get(&field).or_else(|| errors.get("texte"));
    let (action, label, submit) = match (form.editing, form.reply_to) {
        (Some(id), _) => {
            (format!("/commentaires/{id}/modifier"), chrome.t("comments-edit-label"), chrome.t("comments-edit-submit"))
        }
        (None, Some(_)) => {
            ("/commentaires/nouveau".to_string(), chrome.t("comments-reply-label"), chrome.t("comments-reply-submit"))
        }
        (None, None) => {
            ("/commentaires/nouveau".to_string(), chrome.t("comments-new-label"), chrome.t("comments-submit"))
        }
    };
    let form_id = match form.reply_to {
        Some(id) if form.editing.is_none() => format!("repondre-{id}"),
        _ => "formulaire-commentaire".to_string(),
    };
    let hint_id = format!("{field}-hint");
    let error_id = format!("{field}-error");
    let described = if error.is_some() { format!("{hint_id} {error_id}") } else { hint_id.clone() };
    let stance_name = format!("{field}-position");
    html! {
        form.comment-form id=(form_id) method="post" action=(action) novalidate {
            (csrf_field(chrome))
            input type="hidden" name="cible" value=(target_param(form.target));
            @if let Some(id) = form.reply_to { input type="hidden" name="repondre" value=(id); }
            input type="hidden" name="tri" value=(form.sort.code());
            input type="hidden" name="page" value=(form.page);
            div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                label for=(field) { (label) }
                div.hint id=(hint_id) {
                    (chrome.lang.ta("comments-hint", &[("max", Arg::from(comments::MAX_BODY_CHARS as u64))]))
                }
                @if let Some(e) = error {
                    p.error-message id=(error_id) { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                }
                textarea id=(field) name="texte" rows="5" maxlength=(comments::MAX_BODY_CHARS)
                    aria-describedby=(described) aria-invalid=[error.map(|_| "true")]
                    class=[error.map(|_| "input-error")] { (form.text) }
            }
            @if form.target.kind == ContentKind::Proposal {
                fieldset.form-group {
                    legend { (chrome.t("comments-stance-legend")) }
                    @for (value, key) in [("", "comment-stance-none"), ("for", "comment-stance-for"), ("against", "comment-stance-against"), ("neutral", "comment-stance-neutral")] {
                        @let id = format!("{stance_name}-{}", if value.is_empty() { "aucune" } else { value });
                        div.checkbox {
                            input type="radio" id=(id) name="position" value=(value) checked[form.stance == value];
                            label for=(id) { (chrome.t(key)) }
                        }
                    }
                }
            }
            (charter_link(chrome))
            button.button type="submit" { (submit) }
        }
    }
}

/// A comment form alone on its page: after a refused submission (with the
/// errors and what was typed), or for editing.
pub fn form_page(chrome: &Chrome, title: &str, form: &Form, errors: &FormErrors) -> Markup {
    page_with_errors(
        chrome,
        title,
        errors,
        html! {
            p { a href={ (target_url(form.target)) (keep(form.sort, form.page, &[])) "#commentaires" } { (chrome.t("comments-back")) } }
            h1 { (title) }
            (comment_form(chrome, form, errors))
        },
    )
}

/// `GET /discussions/:kind/:id`: the discussion of a piece of content alone,
/// for kinds whose own page does not exist yet, and as a light page of the
/// whole discussion for those that do.
#[poem::handler]
pub async fn discussion_page(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((kind, id)): Path<(String, u64)>,
    Query(q): Query<ThreadQuery>,
) -> Result<Markup, AppError> {
    let kind = ContentKind::from_code(&kind).ok_or(AppError::NotFound)?;
    let target = Target::new(kind, id);
    let tx = state.store.read()?;
    if !comments::target_open(&tx, target)? {
        return Err(AppError::NotFound);
    }
    let discussion = load_in(&chrome, &tx, target, &q)?;
    let title = chrome.t("comments-discussion-title");
    let own_page = target_url(target);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            @if !own_page.starts_with("/discussions/") {
                @let back = if kind == ContentKind::Proposal { "comments-back-to-proposal" } else { "comments-back-to-content" };
                p { a href=(own_page) { (chrome.t(back)) } }
            }
            (section(&chrome, target, &discussion))
        },
    ))
}

/// `GET /commentaires/:id`: a lasting link to one comment, leading to it in
/// its discussion.
#[poem::handler]
pub async fn permalink(state: Data<&Arc<AppState>>, Path(id): Path<CommentId>) -> Result<Response, AppError> {
    let tx = state.store.read()?;
    let c = comments::get(&tx, id)?.ok_or(AppError::NotFound)?;
    let page = comments::page_of(&tx, id, Sort::default())?;
    Ok(Redirect::see_other(back_to(c.target, Sort::default(), page, id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_travel_through_forms_and_have_one_address() {
        let t = Target::new(ContentKind::Proposal, 12);
        assert_eq!(parse_target(&target_param(t)), Some(t));
        assert_eq!(parse_target("proposal-x"), None);
        assert_eq!(parse_target("nothing-1"), None);
        assert_eq!(target_url(t), "/propositions/12");
        assert_eq!(target_url(Target::new(ContentKind::Meeting, 3)), "/discussions/meeting/3");
        assert_eq!(back_to(t, Sort::MostUseful, 2, CommentId(7)), "/propositions/12?tri=utiles&page=2#commentaire-7");
        assert_eq!(back_to(t, Sort::Oldest, 1, CommentId(7)), "/propositions/12#commentaire-7");
    }
}
