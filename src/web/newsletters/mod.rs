//! Newsletters on the web: the public archive (`/lettres`, each at
//! `/lettres/:id`), the way out in one click from a mail
//! (`/lettres/desinscription`), the person's own yes or no on their account
//! page (`/compte/lettre`), and the admins' pages ([`admin`]).

pub mod admin;

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::AccountId;
use crate::domain::newsletters::{self, consent, Newsletter, NewsletterError, NewsletterId};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, submit};
use crate::web::errors::{AppError, Refusal};
use crate::web::layout::page;
use crate::web::proposals::date;

/// Newsletters per page of the archive.
const PER_PAGE: usize = 20;
/// The path of the way-out link: its POST needs no CSRF token.
const UNSUBSCRIBE_PATH: &str = "/lettres/desinscription";

impl From<NewsletterError> for AppError {
    fn from(e: NewsletterError) -> AppError {
        match e {
            NewsletterError::NotFound => AppError::NotFound,
            NewsletterError::BadSubject
            | NewsletterError::BadBody
            | NewsletterError::UnknownNeighbourhood
            | NewsletterError::NoRecipients
            | NewsletterError::NoAddress => Refusal::Invalid.into(),
            NewsletterError::AlreadySent => Refusal::AlreadyDone.into(),
            NewsletterError::LinkInvalid => Refusal::LinkInvalid.into(),
            NewsletterError::Store(s) => AppError::from(s),
        }
    }
}

/// Whether `path` is the way-out link's, whose POST (a mail client's
/// one-click unsubscribe, RFC 8058) has no cookie or token: the link's
/// signature is what authorises it.
pub fn is_one_click(path: &str) -> bool {
    path == UNSUBSCRIBE_PATH
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<usize>,
}

/// `GET /lettres`: the sent newsletters, newest first.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    let n = q.page.unwrap_or(1).max(1);
    let tx = state.store.read()?;
    let letters = newsletters::archive(&tx, (n - 1) * PER_PAGE, PER_PAGE)?;
    let total = newsletters::archive_count(&tx)? as usize;
    drop(tx);
    let pages = total.div_ceil(PER_PAGE).max(1);
    if n > pages {
        return Err(AppError::NotFound);
    }
    let title = chrome.t("newsletters-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("newsletters-lead")) " " a href="/compte" { (chrome.t("newsletters-subscribe-link")) } }
            @if letters.is_empty() { p { (chrome.t("newsletters-none")) } }
            ul.plain-list {
                @for l in &letters {
                    li {
                        a href={ "/lettres/" (l.id) } { (l.subject) }
                        @if let Some(s) = &l.sent { " — " span.meta { (sent_on(&chrome, s.at)) } }
                    }
                }
            }
            @if pages > 1 {
                nav.pagination aria-label=(chrome.t("pagination-label")) {
                    @if n > 1 { a rel="prev" href={ "/lettres?page=" (n - 1) } { (chrome.t("pagination-previous")) } " " }
                    @if n < pages { a rel="next" href={ "/lettres?page=" (n + 1) } { (chrome.t("pagination-next")) } }
                }
            }
        },
    ))
}

fn sent_on(chrome: &Chrome, at: i64) -> String {
    chrome.lang.ta("newsletters-sent-on", &[("date", Arg::from(date(at)))])
}

/// A newsletter as residents read it: the archive page and the admins' preview.
/// `preview`: shown inside the admin's page, under its own <h1> and the
/// preview's <h2>, the subject is an <h3> (a page has one <h1>).
pub fn reading(chrome: &Chrome, l: &Newsletter, preview: bool) -> Markup {
    html! {
        article.newsletter {
            @if preview { h3 { (l.subject) } } @else { h1 { (l.subject) } }
            @if let Some(s) = &l.sent { p.meta { (sent_on(chrome, s.at)) } }
            div.prose { (crate::markdown::render(&l.body)) }
        }
    }
}

/// `GET /lettres/:id`: a sent newsletter (a draft is nobody's to read here).
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, Path(id): Path<u64>) -> Result<Markup, AppError> {
    let l = newsletters::get(&state.store.read()?, NewsletterId(id))?.ok_or(AppError::NotFound)?;
    if l.sent.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(page(
        &chrome,
        &l.subject,
        html! {
            p.breadcrumb { a href="/lettres" { (chrome.t("newsletters-title")) } }
            (reading(&chrome, &l, false))
        },
    ))
}

/// The words of the way-out link.
#[derive(Deserialize, Default)]
pub struct Link {
    #[serde(default)]
    compte: u64,
    #[serde(default)]
    cle: String,
}

/// `GET /lettres/desinscription`: what the link does, and the button.
#[poem::handler]
pub async fn unsubscribe_show(chrome: Chrome, Query(link): Query<Link>) -> Result<Markup, AppError> {
    if !consent::unsubscribe_valid(&chrome.state.store.read()?, AccountId(link.compte), &link.cle) {
        return Err(NewsletterError::LinkInvalid.into());
    }
    let title = chrome.t("newsletters-unsubscribe-title");
    let action = format!("{UNSUBSCRIBE_PATH}?compte={}&cle={}", link.compte, link.cle);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("newsletters-unsubscribe-lead")) }
            form method="post" action=(action) {
                (csrf_field(&chrome))
                button.button type="submit" { (chrome.t("newsletters-unsubscribe-confirm")) }
            }
        },
    ))
}

/// `POST /lettres/desinscription`: withdraws the consent if the link is
/// signed for that person.
#[poem::handler]
pub async fn unsubscribe(state: Data<&Arc<AppState>>, Query(link): Query<Link>) -> Result<Response, AppError> {
    let (account, sig) = (AccountId(link.compte), link.cle);
    state.store.write(move |tx| consent::unsubscribe(tx, account, &sig, now_unix()).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/lettres", Flash::info("flash-newsletters-unsubscribed")))
}

/// The account page's box: does the person want the newsletter? Never
/// ticked unless they said yes.
pub fn consent_form(chrome: &Chrome, account: AccountId) -> Result<Markup, AppError> {
    let subscribed = consent::is_subscribed(&chrome.state.store.read()?, account)?;
    Ok(html! {
        h2 #lettre { (chrome.t("newsletters-title")) }
        form method="post" action="/compte/lettre" {
            (csrf_field(chrome))
            (checkbox("newsletter", &chrome.t("newsletters-consent-label"), subscribed))
            p.hint { (chrome.t("newsletters-consent-hint")) " " a href="/lettres" { (chrome.t("newsletters-archive-link")) } }
            (submit(&chrome.t("newsletters-consent-save")))
        }
    })
}

#[derive(Deserialize, Default)]
pub struct ConsentForm {
    #[serde(default)]
    newsletter: Option<String>,
}

/// `POST /compte/lettre`: the person's yes or no, recorded with its date.
#[poem::handler]
pub async fn choose(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<ConsentForm>,
) -> Result<Response, AppError> {
    let (account, wanted) = (viewer.account.id, form.newsletter.is_some());
    let changed = state.store.write(move |tx| consent::choose(tx, account, wanted, now_unix())).await?;
    let flash = match (changed, wanted) {
        (false, _) => Flash::info("flash-nothing-changed"),
        (true, true) => Flash::success("flash-newsletters-subscribed"),
        (true, false) => Flash::success("flash-newsletters-unsubscribed"),
    };
    Ok(redirect_with(&state, "/compte#lettre", flash))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_way_out_path_skips_the_csrf_token() {
        assert!(super::is_one_click("/lettres/desinscription"));
        assert!(!super::is_one_click("/lettres/1"));
        assert!(!super::is_one_click("/compte/lettre"));
    }
}
