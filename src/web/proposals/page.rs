//! `/propositions/:id`: a proposal, its supports, the town hall's answer and
//! follow-up, comments; supporting and following.

use std::sync::Arc;

use maud::{html, Markup, PreEscaped};
use poem::web::{Data, Path, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{date, notifier, progress, status_badge};
use crate::app::{AppState, KeptPage};
use crate::domain::accounts;
use crate::domain::ids::AccountId;
use crate::domain::ids::ProposalId;
use crate::domain::moderation;
use crate::domain::now_unix;
use crate::domain::proposals::{self, ProposalError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::comments::ThreadQuery;
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::{page, page_with_head};

/// The name shown for an author ("Participant supprimé" once erased).
/// Read without the address: opening it (a decryption) cost the page more
/// than the rest of the author's record, for a name.
pub fn author_name(chrome: &Chrome, tx: &crate::store::ReadTx, id: u64) -> String {
    match accounts::get_without_address(tx, AccountId(id)) {
        Ok(Some(a)) if !a.display_name.is_empty() => a.display_name,
        _ => chrome.t("deleted-participant"),
    }
}

/// The key of the page kept for this request (see [`show`]): only a
/// visitor's, without an account, at the page's own address (its
/// discussion's links are made from the path). Such a page shows nothing
/// personal and no form but the layout's, whose token the layout puts in
/// for each request: the kept part is the same for every visitor who asks
/// in that language for that sort and page of the discussion. The theme
/// and the commune's texts are the layout's too.
fn kept_key(chrome: &Chrome, id: u64, q: &ThreadQuery) -> Option<String> {
    if chrome.viewer.is_some() || chrome.path.strip_prefix("/propositions/") != Some(id.to_string().as_str()) {
        return None;
    }
    Some(format!("proposal/{id}/{}/{}/{}", chrome.lang.code(), q.sort().code(), q.page()))
}

/// The versions of what a visitor's page of proposal `id` shows, in `tx`'s
/// snapshot: the page's own (the proposal, its moderation, its comments)
/// and the authors' names.
fn versions(tx: &crate::store::ReadTx, id: ProposalId) -> Result<[u64; 2], AppError> {
    Ok([proposals::page_version(tx, id)?, accounts::names_version(tx)?])
}

/// Until when a page rendered at `now` may be served: the box's opening
/// and closing change what it offers (support or not).
fn kept_until(b: &proposals::IdeaBox, now: i64) -> i64 {
    if now < b.opens_at {
        b.opens_at
    } else if now < b.closes_at {
        b.closes_at
    } else {
        i64::MAX
    }
}

/// `GET /propositions/:id`.
///
/// A visitor's page is kept once rendered ([`KeptPage`]), with the
/// versions of what it shows read in the same snapshot, and served again
/// while a request's snapshot holds the same versions: every write that
/// changes what the page shows moves one of them in its own transaction
/// (`proposals::page_version`, `accounts::names_version`). Rendering it
/// (a dozen tables read, the Markdown, the discussion) was two thirds of
/// the page's time. Signed-in people see their own support, follow and
/// forms: their page is rendered each time.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(q): Query<ThreadQuery>,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    // Before the kept page: a box made private since keeps no visitor's copy.
    crate::web::groups::check_proposal(&*tx, crate::web::groups::viewer(&chrome), ProposalId(id))?;
    let now = now_unix();
    let kept = match kept_key(&chrome, id, &q) {
        Some(key) => {
            let versions = versions(&tx, ProposalId(id))?;
            if let Some(kept) = state.kept_pages.get(&key, versions, now) {
                return Ok(page_with_head(
                    &chrome,
                    &kept.title,
                    PreEscaped(kept.head.clone()),
                    PreEscaped(kept.html.clone()),
                ));
            }
            Some((key, versions))
        }
        None => None,
    };
    let p = proposals::get(&tx, ProposalId(id))?.ok_or(AppError::NotFound)?;
    let viewer = chrome.viewer.as_ref();
    let own = viewer.is_some_and(|v| v.account.id == p.author);
    let moderator = viewer.is_some_and(|v| v.account.role >= accounts::Role::Moderator);
    let status = moderation::status(&tx, p.target())?;
    if (p.held || status == moderation::Status::Held) && !own && !moderator {
        return Err(AppError::NotFound);
    }
    let b = proposals::get_box(&tx, p.box_id)?.ok_or(AppError::NotFound)?;
    let hidden = status == moderation::Status::Hidden;
    if hidden && !moderator {
        // Only the moderators still read it: everyone else, its author
        // included, learns that it was hidden and nothing of what it said.
        return Ok(hidden_page(&chrome, &b));
    }
    let supported = match viewer {
        Some(v) => proposals::has_supported(&tx, ProposalId(id), v.account.id)?,
        None => false,
    };
    let following = match viewer {
        Some(v) => proposals::is_following(&tx, ProposalId(id), v.account.id)?,
        None => false,
    };
    let staff = viewer.is_some_and(|v| v.account.role >= accounts::Role::Staff);
    let lang = chrome.lang;
    // A workshop's idea names the workshop, not the member of staff who
    // typed it in.
    let author = match crate::web::meetings::after::origin_author(lang, &tx, &p)? {
        Some(workshop) => workshop,
        None => author_name(&chrome, &tx, p.author.get()),
    };
    let meetings_lines = crate::web::meetings::after::proposal_lines(&chrome, &tx, &p)?;
    let discussion = crate::web::comments::load_in(&chrome, &tx, p.target(), &q)?;
    let comments = crate::web::comments::section(&chrome, p.target(), &discussion);
    let content = html! {
        p.breadcrumb { a href={ "/idees/" (b.id) } { (b.title) } }
        h1 { (p.title) }
        p.meta {
            (status_badge(chrome.lang, p.status)) " "
            (lang.ta("proposal-by", &[("author", Arg::from(author.as_str())), ("date", Arg::from(date(p.created_at)))]))
            @if let Some(n) = &p.neighbourhood { " · " (n) }
            @if let Some(c) = &p.category { " · " (c) }
        }
        (meetings_lines)
        @if p.held { p.warning-text { (chrome.t("proposal-held-text")) } }
        @if hidden { p.warning-text { (chrome.t("content-hidden")) } }
        {
            div.prose { (crate::markdown::render(&p.body)) }
            @if let Some(photo) = &p.photo {
                figure.photo {
                    img src={ "/fichiers/" (photo.file) }
                        alt=(if photo.alt.is_empty() { chrome.lang.ta("photo-default-alt", &[("title", Arg::from(p.title.as_str()))]) } else { photo.alt.clone() });
                }
            }
            @if let Some((lat, lon)) = p.location {
                p { (chrome.t("proposal-location")) " " (format!("{lat:.5}, {lon:.5}")) " — "
                    a href=(format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}")) { (chrome.t("proposal-location-map")) } }
            }
        }
        section.panel aria-labelledby="soutiens" {
            h2 #soutiens { (lang.count("proposal-supports", p.supports)) }
            @if b.threshold > 0 {
                @if p.threshold_reached_at.is_some() { p { (chrome.t("proposal-threshold-reached")) } }
                @else { p { (lang.ta("proposal-threshold-left", &[("count", Arg::from(b.threshold.saturating_sub(p.supports)))])) } }
            }
            @if !b.is_open(now) {
                p { (chrome.t("proposal-supports-closed")) }
            } @else if chrome.viewer.is_some() && !p.held && !hidden {
                form.inline-form method="post" action={ "/propositions/" (p.id) "/soutien" } {
                    (csrf_field(&chrome))
                    @if supported {
                        input type="hidden" name="soutenir" value="non";
                        button.button.button-secondary type="submit" { (chrome.t("proposal-unsupport")) }
                    } @else {
                        input type="hidden" name="soutenir" value="oui";
                        button.button type="submit" { (chrome.t("proposal-support")) }
                    }
                }
            } @else if chrome.viewer.is_none() {
                p { a href={ "/connexion?suivant=/propositions/" (p.id) } { (chrome.t("proposal-sign-in-to-support")) } }
            }
            @if chrome.viewer.is_some() && ((!p.held && !hidden) || own) {
                form.inline-form method="post" action={ "/propositions/" (p.id) "/suivi" } {
                    (csrf_field(&chrome))
                    input type="hidden" name="suivre" value=(if following { "non" } else { "oui" });
                    button.link-button.link-button-dark type="submit" {
                        (if following { chrome.t("proposal-unfollow") } else { chrome.t("proposal-follow") })
                    }
                }
            }
        }
        @if let Some(answer) = &p.answer {
            section.panel aria-labelledby="reponse" {
                h2 #reponse { (chrome.t("proposal-answer")) }
                p.meta { (date(answer.at)) }
                div.prose { (crate::markdown::render(&answer.text)) }
            }
        }
        @if p.status.is_followed_up() {
            section aria-labelledby="suivi" {
                h2 #suivi { (chrome.t("proposal-follow-up")) }
                (progress(&chrome, p.progress()))
                @if p.milestones.is_empty() { p { (chrome.t("proposal-no-milestone")) } }
                ol.milestones {
                    @for m in &p.milestones {
                        li { strong { (m.title) } " — " (date(m.at)) " (" (m.progress) " %)" @if !m.text.is_empty() { br; (m.text) } }
                    }
                }
            }
        }
        @if staff { p { a href={ "/admin/propositions/" (p.id) } { (chrome.t("proposal-staff-answer")) } } }
        // Anyone but its author may report a public proposal to the
        // moderators (held or hidden ones are theirs already).
        @if !own && !p.held && !hidden {
            p.report-link { a href={ "/signaler?cible=" (crate::web::comments::target_param(p.target())) } { (chrome.t("proposal-report")) } }
        }
        (crate::web::share::links(&chrome, &p.title, &format!("/propositions/{}", p.id)))
        (comments)
    };
    // Shared, it shows its own first sentence and its idea box's image.
    let head = crate::web::og::tags_with_image(
        &chrome,
        crate::web::og::Share { title: &p.title, description: &p.body },
        crate::domain::promotion::Target::IdeaBox(b.id),
    );
    // A page number past the discussion's last shows the last page: kept
    // under that page's own number only.
    if let Some((key, versions)) = kept.filter(|_| discussion.thread.page == q.page()) {
        let until = kept_until(&b, now);
        state.kept_pages.keep(
            key,
            KeptPage { versions, until, title: p.title.clone(), head: head.0.clone(), html: content.0.clone() },
        );
    }
    Ok(page_with_head(&chrome, &p.title, head, content))
}

/// What stands in place of a proposal the moderators hid: it was there,
/// and was hidden; not its title, text, photo, answer or comments.
fn hidden_page(chrome: &Chrome, b: &proposals::IdeaBox) -> Markup {
    let title = chrome.t("proposal-hidden-title");
    page(
        chrome,
        &title,
        html! {
            p.breadcrumb { a href={ "/idees/" (b.id) } { (b.title) } }
            h1 { (title) }
            p.hidden-placeholder { (chrome.t("content-hidden")) }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct SupportForm {
    #[serde(default)]
    soutenir: String,
}

/// `POST /propositions/:id/soutien`.
#[poem::handler]
pub async fn support(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    poem::web::Form(form): poem::web::Form<SupportForm>,
) -> Result<Response, AppError> {
    crate::web::groups::check_proposal(&*state.store.read()?, crate::web::groups::viewer_of(&viewer), ProposalId(id))?;
    let want = form.soutenir != "non";
    let role = viewer.account.role;
    let account = viewer.account.id;
    let notifier = notifier(&state);
    let outcome = state
        .store
        .write(move |tx| match proposals::set_support(tx, &notifier, ProposalId(id), account, role, want, now_unix()) {
            Ok(o) => Ok(Ok(o)),
            Err(e @ (ProposalError::Store(_) | ProposalError::NotFound | ProposalError::NotPublic)) => {
                Err(AppError::from(e))
            }
            Err(refusal) => Ok(Err(refusal)),
        })
        .await?;
    let to = format!("/propositions/{id}#soutiens");
    Ok(match outcome {
        Ok(o) if o.reached_threshold => redirect_with(&state, &to, Flash::success("flash-threshold-reached")),
        Ok(o) if o.supported => redirect_with(&state, &to, Flash::success("flash-supported")),
        Ok(_) => redirect_with(&state, &to, Flash::info("flash-unsupported")),
        Err(ProposalError::NotVerified) => redirect_with(&state, &to, Flash::info("flash-support-verified-only")),
        Err(_) => redirect_with(&state, &to, Flash::info("flash-box-closed")),
    })
}

#[derive(Deserialize, Default)]
pub struct FollowForm {
    #[serde(default)]
    suivre: String,
}

/// `POST /propositions/:id/suivi`.
#[poem::handler]
pub async fn follow(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<u64>,
    poem::web::Form(form): poem::web::Form<FollowForm>,
) -> Result<Response, AppError> {
    crate::web::groups::check_proposal(&*state.store.read()?, crate::web::groups::viewer_of(&viewer), ProposalId(id))?;
    let want = form.suivre != "non";
    let account = viewer.account.id;
    state
        .store
        .write(move |tx| proposals::set_follow(tx, ProposalId(id), account, want).map_err(AppError::from))
        .await?;
    let flash = if want { Flash::success("flash-following") } else { Flash::info("flash-not-following") };
    Ok(redirect_with(&state, &format!("/propositions/{id}"), flash).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_page_ends_when_its_box_opens_or_closes() {
        let b = proposals::IdeaBox { opens_at: 100, closes_at: 200, ..Default::default() };
        assert_eq!(kept_until(&b, 50), 100, "before the opening: until it opens");
        assert_eq!(kept_until(&b, 100), 200, "open: until it closes");
        assert_eq!(kept_until(&b, 199), 200);
        assert_eq!(kept_until(&b, 200), i64::MAX, "closed: for good");
    }
}
