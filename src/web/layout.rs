//! The one layout: header with the commune's name and logo, navigation,
//! language switch, flash message, main content, footer with the legal pages.

use maud::{html, Markup, DOCTYPE};

use super::chrome::{Chrome, FlashKind};
use super::components::csrf_field;
use super::{assets, Lang};
use crate::config::RgaaStatus;

/// The main navigation: (path, translation key).
const NAV: &[(&str, &str)] = &[("/", "nav-home")];

/// A whole page. `title` is the page's own title; the commune's name follows it.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
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
            }
            body {
                a.skip-link href="#contenu" { (chrome.t("skip-to-content")) }
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
                        (language_switch(chrome))
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
                    li { a href="/accessibilite" { (chrome.t("footer-accessibility")) " : " (chrome.t(status_key)) } }
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
