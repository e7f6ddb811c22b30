//! The one layout: header with the commune's name and logo, navigation,
//! language switch, flash message, main content, footer with the legal pages.

use maud::{html, Markup, DOCTYPE};

use super::chrome::{Chrome, FlashKind};
use super::components::{csrf_field, error_summary, FormErrors};
use super::{assets, Lang};
use crate::config::RgaaStatus;
use crate::i18n::Arg;

/// The main navigation: (path, translation key).
const NAV: &[(&str, &str)] = &[
    ("/", "nav-home"),
    ("/consultations", "nav-consultations"),
    ("/idees", "nav-ideas"),
    ("/signalements", "nav-reports"),
    ("/recherche", "nav-search"),
];

/// A whole page. `title` is the page's own title; the commune's name follows it.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
    page_with_head(chrome, title, html! {}, content)
}

/// A whole page with more in its `<head>`: the `<link rel="alternate">` of a
/// feed, which readers look for there only.
pub fn page_with_head(chrome: &Chrome, title: &str, head: Markup, content: Markup) -> Markup {
    let config = chrome.config();
    let commune = &config.commune.name;
    html! {
        (DOCTYPE)
        html lang=(chrome.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (commune) }
                link rel="stylesheet" href=(assets::url("css/parvis.css"));
                link rel="stylesheet" href={ "/theme/" (chrome.state.theme.file) };
                link rel="icon" href=(assets::url("img/favicon.svg")) type="image/svg+xml";
                script src=(assets::url("js/parvis.js")) defer {}
                (head)
            }
            body data-session-idle=[session_idle(chrome)] {
                a.skip-link href="#contenu" { (chrome.t("skip-to-content")) }
                @if config.demo { div.demo-banner { div.container { (chrome.t("demo-banner")) } } }
                header.site-header {
                    div.container.header-inner {
                        a.brand href="/" {
                            @if let Some(logo) = &chrome.state.logo {
                                img.brand-logo src={ "/logo/" (logo.file) } alt="";
                            }
                            span.brand-text {
                                span.brand-name { (commune) }
                                span.brand-sub { (chrome.t("site-tagline")) }
                            }
                        }
                        div.site-account {
                            (account_links(chrome))
                            (language_switch(chrome))
                        }
                    }
                    nav.site-nav aria-label=(chrome.t("nav-label")) {
                        div.container {
                            ul {
                                @for (path, key) in NAV {
                                    li {
                                        @if chrome.path == *path {
                                            a href=(path) aria-current="page" { (chrome.t(key)) }
                                        } @else {
                                            a href=(path) { (chrome.t(key)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #contenu.container tabindex="-1" {
                    @if let Some(flash) = &chrome.flash {
                        @let class = match flash.kind { FlashKind::Success => "flash flash-success", FlashKind::Info => "flash flash-info" };
                        div class=(class) role="status" { p { (chrome.t(&flash.key)) } }
                    }
                    (content)
                }
                (footer(chrome))
                @if chrome.viewer.is_some() { (session_warning(chrome)) }
            }
        }
    }
}

/// A page that holds a form. When the form was refused (`errors` is not
/// empty), the error summary comes first in the content and the title starts
/// with "Erreur : " ("Error: "): a screen reader announces the title first,
/// so the person hears at once that the form needs fixing (the GOV.UK
/// pattern). Every page that can show a form's errors goes through here, so
/// the summary and the title never disagree.
pub fn page_with_errors(chrome: &Chrome, title: &str, errors: &FormErrors, content: Markup) -> Markup {
    let title = match errors.is_empty() {
        true => title.to_string(),
        false => chrome.lang.ta("page-title-error", &[("title", Arg::from(title))]),
    };
    page(
        chrome,
        &title,
        html! {
            (error_summary(chrome, errors))
            (content)
        },
    )
}

/// Seconds until the session ends if nothing happens, for the warning script.
fn session_idle(chrome: &Chrome) -> Option<i64> {
    let viewer = chrome.viewer.as_ref()?;
    let left = chrome.config().sessions.expires_at(&viewer.session) - crate::domain::now_unix();
    Some(left.max(1))
}

fn account_links(chrome: &Chrome) -> Markup {
    html! {
        @if let Some(viewer) = &chrome.viewer {
            a href="/compte" { (chrome.t("nav-account")) span.visually-hidden { " (" (viewer.account.display_name) ")" } }
            @if viewer.account.role >= crate::domain::accounts::Role::Moderator {
                a href="/admin" { (chrome.t("nav-admin")) }
            }
            form.inline-form method="post" action="/deconnexion" {
                (csrf_field(chrome))
                button.link-button type="submit" { (chrome.t("sign-out")) }
            }
        } @else {
            a href="/connexion" { (chrome.t("sign-in-title")) }
            a href="/inscription" { (chrome.t("sign-up-title")) }
        }
    }
}

/// Shown by the script two minutes before the session ends.
fn session_warning(chrome: &Chrome) -> Markup {
    html! {
        div #session-warning.session-dialog role="alertdialog" aria-labelledby="session-warning-title" hidden {
            h2 #session-warning-title { (chrome.t("session-warning-title")) }
            p.session-warning-text { (chrome.t("session-warning-text")) }
            p.session-expired-text hidden { (chrome.t("session-expired-text")) " " a href="/connexion" { (chrome.t("sign-in-title")) } }
            form method="post" action="/session/prolonger" {
                (csrf_field(chrome))
                input type="hidden" name="next" value=(chrome.path);
                button.button type="submit" { (chrome.t("session-extend")) }
            }
        }
    }
}

fn language_switch(chrome: &Chrome) -> Markup {
    html! {
        form.lang-switch method="post" action="/langue" {
            (csrf_field(chrome))
            input type="hidden" name="next" value=(chrome.path);
            @for other in Lang::ALL.iter().filter(|l| **l != chrome.lang) {
                button.link-button type="submit" name="lang" value=(other.code()) lang=(other.code()) {
                    (other.native_name())
                }
            }
        }
    }
}

fn footer(chrome: &Chrome) -> Markup {
    let status_key = match chrome.config().accessibility.status {
        RgaaStatus::None => "a11y-status-none",
        RgaaStatus::Partial => "a11y-status-partial",
        RgaaStatus::Full => "a11y-status-full",
    };
    html! {
        footer.site-footer {
            div.container {
                ul.footer-links {
                    li { a href="/mentions-legales" { (chrome.t("legal-notice-title")) } }
                    li { a href="/donnees-personnelles" { (chrome.t("privacy-title")) } }
                    li { a href="/accessibilite" { (chrome.lang.ta("footer-accessibility", &[("status", crate::i18n::Arg::from(chrome.t(status_key)))])) } }
                    @if let Some(url) = &chrome.config().legal.source_url {
                        li { a href=(url) { (chrome.t("source-code-link")) } }
                    }
                }
                p.footer-note {
                    (chrome.config().commune.name) " · " (chrome.t("footer-powered"))
                }
            }
        }
    }
}

/// The page shown for an error, with the request id to quote to the town hall.
pub fn error_page(chrome: &Chrome, title: &str, text: &str) -> Markup {
    page(
        chrome,
        title,
        html! {
            h1 { (title) }
            p.lead { (text) }
            p { a href="/" { (chrome.t("error-back-home")) } }
            @if !chrome.request_id.is_empty() {
                p.request-id { (chrome.t("error-request-id")) " " code { (chrome.request_id) } }
            }
        },
    )
}
