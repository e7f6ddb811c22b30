//! The one layout: header with the commune's name and logo, navigation,
//! language switch, flash message, main content, footer with the legal pages.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::chrome::{Chrome, FlashKind};
use super::components::{error_summary, FormErrors};
use super::{assets, csrf, Lang};
use crate::config::RgaaStatus;
use crate::i18n::Arg;

/// The main navigation: (path, translation key).
const NAV: &[(&str, &str)] = &[
    ("/", "nav-home"),
    ("/consultations", "nav-consultations"),
    ("/idees", "nav-ideas"),
    ("/budgets", "nav-budgets"),
    ("/signalements", "nav-reports"),
    ("/rendez-vous", "nav-meetings"),
    ("/actualites", "nav-news"),
    ("/recherche", "nav-search"),
];

/// A whole page. `title` is the page's own title; the commune's name follows it.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
    page_with_head(chrome, title, html! {}, content)
}

/// A whole page with more in its `<head>`: the `<link rel="alternate">` of a
/// feed, which readers look for there only.
///
/// Most of a page's frame is the same for every request of one language and
/// one kind of visitor: it is rendered once (see [`Kept`]) and only this
/// request's parts are put in (title, token, path, name…). Rendering it
/// whole cost every page ~7 µs: twenty translated strings copied and
/// escaped, the assets' addresses formatted.
pub fn page_with_head(chrome: &Chrome, title: &str, head: Markup, content: Markup) -> Markup {
    whole_page(chrome, title, head, content, true)
}

/// The page, with the « utile ? » form under its content when `feedback`
/// (every page but an error's: a 404 is not a page to judge).
fn whole_page(chrome: &Chrome, title: &str, head: Markup, content: Markup, feedback: bool) -> Markup {
    // What a shared link shows (`og`), unless the page brought its own.
    let head = match super::og::defaults(chrome, title, &head.0) {
        Some(og) => html! { (og) (head) },
        None => head,
    };
    let idle = session_idle(chrome).map(|s| s.to_string());
    let unread = unread_count(chrome).to_string();
    let frame = Frame::of(chrome, idle.as_deref(), &unread);
    let main = main_content(chrome, content, feedback);
    match kept_for(&frame) {
        Some(kept) => PreEscaped(kept.template(&frame).fill(&frame, title, &head.0, &main.0)),
        // Only when the commune's own texts hold the marker character.
        None => frame_html(&frame, title, head, main),
    }
}

/// What the layout shows, as plain data: the same template renders the
/// kept pieces (with markers for this request's parts) and, when those
/// cannot be kept, the whole page.
struct Frame<'a> {
    lang: Lang,
    commune: &'a str,
    theme: &'a str,
    logo: Option<&'a str>,
    demo: bool,
    status: RgaaStatus,
    source_url: Option<&'a str>,
    /// The entry of [`NAV`] this page is, if any.
    current: Option<usize>,
    path: &'a str,
    csrf: &'a str,
    viewer: Option<FrameViewer<'a>>,
    /// The commune's pages in the navigation, after [`NAV`]: (slug, title).
    pages: std::sync::Arc<Vec<(String, String)>>,
}

/// The signed-in person, as the layout shows them.
struct FrameViewer<'a> {
    name: &'a str,
    /// Moderators and above get the link to the administration.
    moderator: bool,
    /// Seconds until the session ends (see [`session_idle`]).
    idle: &'a str,
    /// How many of their notifications are unread, for the header's link.
    unread: &'a str,
}

impl<'a> Frame<'a> {
    fn of(chrome: &'a Chrome, idle: Option<&'a str>, unread: &'a str) -> Frame<'a> {
        let config = chrome.config();
        let viewer = chrome.viewer.as_ref().map(|v| FrameViewer {
            name: &v.account.display_name,
            moderator: v.account.role >= crate::domain::accounts::Role::Moderator,
            idle: idle.unwrap_or(""),
            unread,
        });
        Frame {
            lang: chrome.lang,
            commune: &config.commune.name,
            theme: &chrome.state.theme.file,
            logo: chrome.state.logo.as_ref().map(|l| l.file.as_str()),
            demo: config.demo,
            status: config.accessibility.status.clone(),
            source_url: config.legal.source_url.as_deref(),
            current: NAV.iter().position(|(path, _)| *path == chrome.path),
            path: &chrome.path,
            csrf: &chrome.csrf_token,
            viewer,
            pages: chrome.state.nav_pages(),
        }
    }

    /// Which of the kept templates fits: language, kind of visitor, current entry.
    fn variant(&self) -> usize {
        let kind = match &self.viewer {
            None => 0,
            Some(v) if !v.moderator => 1,
            Some(_) => 2,
        };
        let current = self.current.map_or(0, |i| i + 1);
        (self.lang as usize * VISITOR_KINDS + kind) * (NAV.len() + 1) + current
    }
}

/// Anonymous, resident, moderator (and above).
const VISITOR_KINDS: usize = 3;
const VARIANTS: usize = Lang::ALL.len() * VISITOR_KINDS * (NAV.len() + 1);

/// The one template of the layout.
fn frame_html(f: &Frame, title: &str, head: Markup, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(f.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (f.commune) }
                link rel="stylesheet" href=(assets::url("css/parvis.css"));
                link rel="stylesheet" href={ "/theme/" (f.theme) };
                link rel="icon" href=(assets::url("img/favicon.svg")) type="image/svg+xml";
                script src=(assets::url("js/parvis.js")) defer {}
                (head)
            }
            body data-session-idle=[f.viewer.as_ref().map(|v| v.idle)] {
                a.skip-link href="#contenu" { (f.lang.t("skip-to-content")) }
                @if f.demo { div.demo-banner { div.container { (f.lang.t("demo-banner")) } } }
                header.site-header {
                    div.container.header-inner {
                        a.brand href="/" {
                            @if let Some(logo) = f.logo {
                                img.brand-logo src={ "/logo/" (logo) } alt="";
                            }
                            span.brand-text {
                                span.brand-name { (f.commune) }
                                span.brand-sub { (f.lang.t("site-tagline")) }
                            }
                        }
                        div.site-account {
                            (account_links(f))
                            (language_switch(f))
                        }
                    }
                    nav.site-nav aria-label=(f.lang.t("nav-label")) {
                        div.container {
                            ul {
                                @for (i, (path, key)) in NAV.iter().enumerate() {
                                    li {
                                        @if f.current == Some(i) {
                                            a href=(path) aria-current="page" { (f.lang.t(key)) }
                                        } @else {
                                            a href=(path) { (f.lang.t(key)) }
                                        }
                                    }
                                }
                                @for (slug, title) in f.pages.iter() {
                                    li { a href={ "/pages/" (slug) } { (title) } }
                                }
                            }
                        }
                    }
                }
                main #contenu.container tabindex="-1" {
                    (main)
                }
                (footer(f))
                @if f.viewer.is_some() { (session_warning(f)) }
            }
        }
    }
}

/// The flash message, if any, then the page's own content, then (on a
/// public page) the « utile ? » form.
fn main_content(chrome: &Chrome, content: Markup, feedback: bool) -> Markup {
    html! {
        @if let Some(flash) = &chrome.flash {
            @let class = match flash.kind { FlashKind::Success => "flash flash-success", FlashKind::Info => "flash flash-info" };
            div class=(class) role="status" { p { (chrome.t(&flash.key)) } }
        }
        (content)
        @if feedback { (super::improve::feedback::footer_form(chrome)) }
    }
}

/// The parts of a page that change from one request to the next, marked in
/// a kept template by [`MARK`] and a letter.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Title,
    Head,
    Main,
    Csrf,
    Path,
    Name,
    Idle,
    Unread,
}

impl Slot {
    const ALL: [Slot; 8] =
        [Slot::Title, Slot::Head, Slot::Main, Slot::Csrf, Slot::Path, Slot::Name, Slot::Idle, Slot::Unread];

    fn letter(self) -> char {
        match self {
            Slot::Title => 'T',
            Slot::Head => 'H',
            Slot::Main => 'M',
            Slot::Csrf => 'C',
            Slot::Path => 'P',
            Slot::Name => 'N',
            Slot::Idle => 'I',
            Slot::Unread => 'U',
        }
    }

    fn marker(self) -> String {
        format!("{MARK}{}", self.letter())
    }
}

/// A private-use character: in no translation, and checked absent from the
/// commune's own texts before a template is kept (see [`kept_for`]).
const MARK: char = '\u{E000}';

/// A layout rendered once, cut at its [`Slot`]s: literal HTML, then a slot
/// and the HTML after it, and so on.
struct Template {
    first: String,
    rest: Vec<(Slot, String)>,
    /// The literal HTML's length, to size the page at once.
    len: usize,
}

impl Template {
    fn render(f: &Frame) -> Template {
        let name = Slot::Name.marker();
        let idle = Slot::Idle.marker();
        let unread = Slot::Unread.marker();
        let viewer = f.viewer.as_ref().map(|v| FrameViewer {
            name: &name,
            moderator: v.moderator,
            idle: &idle,
            unread: &unread,
        });
        let marked = Frame {
            commune: f.commune,
            theme: f.theme,
            logo: f.logo,
            source_url: f.source_url,
            status: f.status.clone(),
            path: &Slot::Path.marker(),
            csrf: &Slot::Csrf.marker(),
            viewer,
            pages: f.pages.clone(),
            ..*f
        };
        let html = frame_html(
            &marked,
            &Slot::Title.marker(),
            PreEscaped(Slot::Head.marker()),
            PreEscaped(Slot::Main.marker()),
        )
        .into_string();
        let mut pieces = html.split(MARK);
        let first = pieces.next().unwrap_or_default().to_string();
        let rest: Vec<(Slot, String)> = pieces
            .filter_map(|piece| {
                let letter = piece.chars().next()?;
                let slot = Slot::ALL.into_iter().find(|s| s.letter() == letter)?;
                Some((slot, piece[letter.len_utf8()..].to_string()))
            })
            .collect();
        let len = first.len() + rest.iter().map(|(_, s)| s.len()).sum::<usize>();
        Template { first, rest, len }
    }

    /// The page: the kept HTML with this request's parts, escaped as maud
    /// escapes them.
    fn fill(&self, f: &Frame, title: &str, head: &str, main: &str) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(self.len + title.len() + head.len() + main.len() + 256);
        out.push_str(&self.first);
        for (slot, after) in &self.rest {
            let text = match slot {
                Slot::Head => {
                    out.push_str(head);
                    None
                }
                Slot::Main => {
                    out.push_str(main);
                    None
                }
                Slot::Title => Some(title),
                Slot::Csrf => Some(f.csrf),
                Slot::Path => Some(f.path),
                Slot::Name => f.viewer.as_ref().map(|v| v.name),
                Slot::Idle => f.viewer.as_ref().map(|v| v.idle),
                Slot::Unread => f.viewer.as_ref().map(|v| v.unread),
            };
            if let Some(text) = text {
                // Writing to a String cannot fail.
                let _ = maud::Escaper::new(&mut out).write_str(text);
            }
            out.push_str(after);
        }
        out
    }
}

/// The templates of one configuration (commune, theme, logo, demo, footer),
/// each rendered at first use: 2 languages × 3 kinds of visitor × (no
/// entry of the navigation, or one of [`NAV`]'s, is this page); and the
/// commune's pages in the navigation.
struct Kept {
    commune: String,
    theme: String,
    logo: Option<String>,
    demo: bool,
    status: RgaaStatus,
    source_url: Option<String>,
    pages: std::sync::Arc<Vec<(String, String)>>,
    templates: [std::sync::OnceLock<Template>; VARIANTS],
}

impl Kept {
    fn fits(&self, f: &Frame) -> bool {
        self.commune == f.commune
            && self.theme == f.theme
            && self.logo.as_deref() == f.logo
            && self.demo == f.demo
            && self.status == f.status
            && self.source_url.as_deref() == f.source_url
            && self.pages == f.pages
    }

    fn template(&self, f: &Frame) -> &Template {
        self.templates[f.variant()].get_or_init(|| Template::render(f))
    }
}

/// One process serves one configuration; tests start many, so a few are
/// kept, each compared whole with the request's (a handful of short
/// strings), never confused with another.
static KEPT: std::sync::LazyLock<std::sync::Mutex<Vec<std::sync::Arc<Kept>>>> =
    std::sync::LazyLock::new(Default::default);
const KEPT_CONFIGURATIONS: usize = 8;

/// The templates of `f`'s configuration; `None` when one of its texts holds
/// [`MARK`], which would cut the template in the wrong place.
fn kept_for(f: &Frame) -> Option<std::sync::Arc<Kept>> {
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = kept.iter().find(|k| k.fits(f)) {
        return Some(found.clone());
    }
    let texts = [Some(f.commune), Some(f.theme), f.logo, f.source_url];
    let page_texts = f.pages.iter().flat_map(|(slug, title)| [slug.as_str(), title.as_str()]);
    if texts.iter().flatten().copied().chain(page_texts).any(|t| t.contains(MARK)) {
        return None;
    }
    let new = std::sync::Arc::new(Kept {
        commune: f.commune.to_string(),
        theme: f.theme.to_string(),
        logo: f.logo.map(str::to_string),
        demo: f.demo,
        status: f.status.clone(),
        source_url: f.source_url.map(str::to_string),
        pages: f.pages.clone(),
        templates: std::array::from_fn(|_| std::sync::OnceLock::new()),
    });
    if kept.len() >= KEPT_CONFIGURATIONS {
        kept.remove(0);
    }
    kept.push(new.clone());
    Some(new)
}

/// A page that holds a form. When the form was refused (`errors` is not
/// empty), the error summary comes first in the content and the title starts
/// with "Erreur : " ("Error: "): a screen reader announces the title first,
/// so the person hears at once that the form needs fixing (the GOV.UK
/// pattern). Every page that can show a form's errors goes through here, so
/// the summary and the title never disagree.
pub fn page_with_errors(chrome: &Chrome, title: &str, errors: &FormErrors, content: Markup) -> Markup {
    page_with_errors_and_head(chrome, title, errors, html! {}, content)
}

/// [`page_with_errors`] with more in its `<head>` (a page's own share tags).
pub fn page_with_errors_and_head(
    chrome: &Chrome,
    title: &str,
    errors: &FormErrors,
    head: Markup,
    content: Markup,
) -> Markup {
    let title = match errors.is_empty() {
        true => title.to_string(),
        false => chrome.lang.ta("page-title-error", &[("title", Arg::from(title))]),
    };
    page_with_head(
        chrome,
        &title,
        head,
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

/// The signed-in person's unread notifications: one read of their counter
/// (kept with the notifications), 0 for a visitor or when it cannot be read
/// (the header is no reason to fail a page).
fn unread_count(chrome: &Chrome) -> u64 {
    let Some(viewer) = &chrome.viewer else { return 0 };
    chrome
        .state
        .store
        .read()
        .and_then(|tx| crate::domain::notifications::unread_count(&*tx, viewer.account.id))
        .unwrap_or(0)
}

/// The hidden CSRF field of the layout's own forms (as `csrf_field`).
fn frame_csrf(f: &Frame) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(f.csrf); }
}

fn account_links(f: &Frame) -> Markup {
    html! {
        @if let Some(viewer) = &f.viewer {
            a href="/compte" { (f.lang.t("nav-account")) span.visually-hidden { " (" (viewer.name) ")" } }
            a href="/compte/notifications" {
                (f.lang.t("nav-notifications")) " (" (viewer.unread)
                span.visually-hidden { " " (f.lang.t("nav-notifications-unread")) } ")"
            }
            @if viewer.moderator {
                a href="/admin" { (f.lang.t("nav-admin")) }
            }
            form.inline-form method="post" action="/deconnexion" {
                (frame_csrf(f))
                button.link-button type="submit" { (f.lang.t("sign-out")) }
            }
        } @else {
            a href="/connexion" { (f.lang.t("sign-in-title")) }
            a href="/inscription" { (f.lang.t("sign-up-title")) }
        }
    }
}

/// Shown by the script two minutes before the session ends.
fn session_warning(f: &Frame) -> Markup {
    html! {
        div #session-warning.session-dialog role="alertdialog" aria-labelledby="session-warning-title" hidden {
            h2 #session-warning-title { (f.lang.t("session-warning-title")) }
            p.session-warning-text { (f.lang.t("session-warning-text")) }
            p.session-expired-text hidden { (f.lang.t("session-expired-text")) " " a href="/connexion" { (f.lang.t("sign-in-title")) } }
            form method="post" action="/session/prolonger" {
                (frame_csrf(f))
                input type="hidden" name="next" value=(f.path);
                button.button type="submit" { (f.lang.t("session-extend")) }
            }
        }
    }
}

fn language_switch(f: &Frame) -> Markup {
    html! {
        form.lang-switch method="post" action="/langue" {
            (frame_csrf(f))
            input type="hidden" name="next" value=(f.path);
            @for other in Lang::ALL.iter().filter(|l| **l != f.lang) {
                button.link-button type="submit" name="lang" value=(other.code()) lang=(other.code()) {
                    (other.native_name())
                }
            }
        }
    }
}

fn footer(f: &Frame) -> Markup {
    let status_key = match f.status {
        RgaaStatus::None => "a11y-status-none",
        RgaaStatus::Partial => "a11y-status-partial",
        RgaaStatus::Full => "a11y-status-full",
    };
    html! {
        footer.site-footer {
            div.container {
                ul.footer-links {
                    li { a href="/mentions-legales" { (f.lang.t("legal-notice-title")) } }
                    li { a href="/donnees-personnelles" { (f.lang.t("privacy-title")) } }
                    li { a href="/chiffres" { (f.lang.t("metrics-public-title")) } }
                    li { a href="/ameliorer" { (f.lang.t("improve-title")) } }
                    li { a href="/api" { (f.lang.t("api-footer-link")) } }
                    li { a href="/accessibilite" { (f.lang.ta("footer-accessibility", &[("status", crate::i18n::Arg::from(f.lang.t(status_key)))])) } }
                    @if let Some(url) = f.source_url {
                        li { a href=(url) { (f.lang.t("source-code-link")) } }
                    }
                }
                p.footer-note {
                    (f.commune) " · " (f.lang.t("footer-powered"))
                }
            }
        }
    }
}

/// The page shown for an error, with the request id to quote to the town hall.
pub fn error_page(chrome: &Chrome, title: &str, text: &str) -> Markup {
    whole_page(
        chrome,
        title,
        html! {},
        html! {
            h1 { (title) }
            p.lead { (text) }
            p { a href="/" { (chrome.t("error-back-home")) } }
            @if !chrome.request_id.is_empty() {
                p.request-id { (chrome.t("error-request-id")) " " code { (chrome.request_id) } }
            }
        },
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout as it was written before its pieces were kept (each
    /// `chrome.x` read from the same data), so that the test shows the kept
    /// pieces give the very same bytes as before.
    fn before(f: &Frame, flash: Option<(FlashKind, &str)>, title: &str, head: Markup, content: Markup) -> String {
        let lang = f.lang;
        let csrf_field = || html! { input type="hidden" name=(csrf::FIELD) value=(f.csrf); };
        let account_links = html! {
            @if let Some(viewer) = &f.viewer {
                a href="/compte" { (lang.t("nav-account")) span.visually-hidden { " (" (viewer.name) ")" } }
                a href="/compte/notifications" {
                    (lang.t("nav-notifications")) " (" (viewer.unread)
                    span.visually-hidden { " " (lang.t("nav-notifications-unread")) } ")"
                }
                @if viewer.moderator {
                    a href="/admin" { (lang.t("nav-admin")) }
                }
                form.inline-form method="post" action="/deconnexion" {
                    (csrf_field())
                    button.link-button type="submit" { (lang.t("sign-out")) }
                }
            } @else {
                a href="/connexion" { (lang.t("sign-in-title")) }
                a href="/inscription" { (lang.t("sign-up-title")) }
            }
        };
        let language_switch = html! {
            form.lang-switch method="post" action="/langue" {
                (csrf_field())
                input type="hidden" name="next" value=(f.path);
                @for other in Lang::ALL.iter().filter(|l| **l != lang) {
                    button.link-button type="submit" name="lang" value=(other.code()) lang=(other.code()) {
                        (other.native_name())
                    }
                }
            }
        };
        let status_key = match f.status {
            RgaaStatus::None => "a11y-status-none",
            RgaaStatus::Partial => "a11y-status-partial",
            RgaaStatus::Full => "a11y-status-full",
        };
        let footer = html! {
            footer.site-footer {
                div.container {
                    ul.footer-links {
                        li { a href="/mentions-legales" { (lang.t("legal-notice-title")) } }
                        li { a href="/donnees-personnelles" { (lang.t("privacy-title")) } }
                        li { a href="/chiffres" { (lang.t("metrics-public-title")) } }
                        li { a href="/ameliorer" { (lang.t("improve-title")) } }
                        li { a href="/api" { (lang.t("api-footer-link")) } }
                        li { a href="/accessibilite" { (lang.ta("footer-accessibility", &[("status", crate::i18n::Arg::from(lang.t(status_key)))])) } }
                        @if let Some(url) = &f.source_url {
                            li { a href=(url) { (lang.t("source-code-link")) } }
                        }
                    }
                    p.footer-note {
                        (f.commune) " · " (lang.t("footer-powered"))
                    }
                }
            }
        };
        let session_warning = html! {
            div #session-warning.session-dialog role="alertdialog" aria-labelledby="session-warning-title" hidden {
                h2 #session-warning-title { (lang.t("session-warning-title")) }
                p.session-warning-text { (lang.t("session-warning-text")) }
                p.session-expired-text hidden { (lang.t("session-expired-text")) " " a href="/connexion" { (lang.t("sign-in-title")) } }
                form method="post" action="/session/prolonger" {
                    (csrf_field())
                    input type="hidden" name="next" value=(f.path);
                    button.button type="submit" { (lang.t("session-extend")) }
                }
            }
        };
        let idle: Option<i64> = f.viewer.as_ref().map(|v| v.idle.parse().unwrap());
        html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " – " (f.commune) }
                    link rel="stylesheet" href=(assets::url("css/parvis.css"));
                    link rel="stylesheet" href={ "/theme/" (f.theme) };
                    link rel="icon" href=(assets::url("img/favicon.svg")) type="image/svg+xml";
                    script src=(assets::url("js/parvis.js")) defer {}
                    (head)
                }
                body data-session-idle=[idle] {
                    a.skip-link href="#contenu" { (lang.t("skip-to-content")) }
                    @if f.demo { div.demo-banner { div.container { (lang.t("demo-banner")) } } }
                    header.site-header {
                        div.container.header-inner {
                            a.brand href="/" {
                                @if let Some(logo) = &f.logo {
                                    img.brand-logo src={ "/logo/" (logo) } alt="";
                                }
                                span.brand-text {
                                    span.brand-name { (f.commune) }
                                    span.brand-sub { (lang.t("site-tagline")) }
                                }
                            }
                            div.site-account {
                                (account_links)
                                (language_switch)
                            }
                        }
                        nav.site-nav aria-label=(lang.t("nav-label")) {
                            div.container {
                                ul {
                                    @for (path, key) in NAV {
                                        li {
                                            @if f.path == *path {
                                                a href=(path) aria-current="page" { (lang.t(key)) }
                                            } @else {
                                                a href=(path) { (lang.t(key)) }
                                            }
                                        }
                                    }
                                    @for (slug, title) in f.pages.iter() {
                                        li { a href={ "/pages/" (slug) } { (title) } }
                                    }
                                }
                            }
                        }
                    }
                    main #contenu.container tabindex="-1" {
                        @if let Some((kind, key)) = flash {
                            @let class = match kind { FlashKind::Success => "flash flash-success", FlashKind::Info => "flash flash-info" };
                            div class=(class) role="status" { p { (lang.t(key)) } }
                        }
                        (content)
                    }
                    (footer)
                    @if f.viewer.is_some() { (session_warning) }
                }
            }
        }
        .into_string()
    }

    /// The flash and content as `main_content` renders them, without a chrome.
    fn main_of(lang: Lang, flash: Option<(FlashKind, &str)>, content: &Markup) -> Markup {
        html! {
            @if let Some((kind, key)) = flash {
                @let class = match kind { FlashKind::Success => "flash flash-success", FlashKind::Info => "flash flash-info" };
                div class=(class) role="status" { p { (lang.t(key)) } }
            }
            (content)
        }
    }

    #[test]
    fn the_kept_layout_gives_the_same_bytes_as_the_layout_rendered_whole() {
        let tricky = "Saint-Jean <&> \"l'Étang\"";
        let mut checked = 0;
        for lang in Lang::ALL {
            for viewer in [None, Some(false), Some(true)] {
                for path in ["/", "/idees", "/signalements", "/recherche", "/idees/1", "/a?b=<c>&\"d\""] {
                    for (commune, logo, demo, source, status) in [
                        ("Villeneuve", None, false, None, RgaaStatus::None),
                        (tricky, Some("ab12.svg"), true, Some("https://example.org/src?a=1&b=2"), RgaaStatus::Partial),
                    ] {
                        let flash = match checked % 3 {
                            0 => None,
                            1 => Some((FlashKind::Success, "flash-language-changed")),
                            _ => Some((FlashKind::Info, "flash-box-closed")),
                        };
                        let frame = Frame {
                            lang,
                            commune,
                            theme: "0123abcd.css",
                            logo,
                            demo,
                            status: status.clone(),
                            source_url: source,
                            current: NAV.iter().position(|(p, _)| *p == path),
                            path,
                            csrf: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                            pages: Default::default(),
                            viewer: viewer.map(|moderator| FrameViewer {
                                name: "Zoé <Admin> & \"co\"",
                                moderator,
                                idle: "1799",
                                unread: "3",
                            }),
                        };
                        let title = "Titre <b>&</b> \"cité\"";
                        let head = html! { link rel="alternate" href="/flux?a=1&b=2"; };
                        let content = html! { h1 { (title) } p { "Contenu & co" } };
                        let old = before(&frame, flash, title, head.clone(), content.clone());
                        let main = main_of(lang, flash, &content);
                        let whole = frame_html(&frame, title, head.clone(), main.clone()).into_string();
                        assert_eq!(whole, old, "the template rendered whole, {lang:?} {path} {viewer:?}");
                        let kept = Template::render(&frame).fill(&frame, title, &head.0, &main.0);
                        assert_eq!(kept, old, "the kept pieces, {lang:?} {path} {viewer:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 3 * 6 * 2);
    }

    #[test]
    fn each_variant_of_the_layout_has_its_own_template() {
        let frame = |lang, current, viewer: Option<bool>| Frame {
            lang,
            commune: "Villeneuve",
            theme: "t.css",
            logo: None,
            demo: false,
            status: RgaaStatus::Full,
            source_url: None,
            current,
            path: "/",
            csrf: "",
            viewer: viewer.map(|moderator| FrameViewer { name: "", moderator, idle: "1", unread: "0" }),
            pages: Default::default(),
        };
        let mut seen = std::collections::HashSet::new();
        for lang in Lang::ALL {
            for current in std::iter::once(None).chain((0..NAV.len()).map(Some)) {
                for viewer in [None, Some(false), Some(true)] {
                    let variant = frame(lang, current, viewer).variant();
                    assert!(variant < VARIANTS);
                    assert!(seen.insert(variant), "{lang:?} {current:?} {viewer:?} shares a template");
                }
            }
        }
        assert_eq!(seen.len(), VARIANTS);
    }

    #[test]
    fn a_commune_text_holding_the_marker_is_rendered_whole() {
        let f = Frame {
            lang: Lang::Fr,
            commune: "Ville\u{E000}T",
            theme: "t.css",
            logo: None,
            demo: false,
            status: RgaaStatus::Full,
            source_url: None,
            current: None,
            path: "/",
            csrf: "",
            viewer: None,
            pages: Default::default(),
        };
        assert!(kept_for(&f).is_none());
    }
}
