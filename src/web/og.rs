//! Open Graph and Twitter-card metadata (issue 16): what a social network
//! or a messaging app shows when a resident shares a page's link. The
//! layout puts the defaults in every public page's `<head>` ([`defaults`]);
//! a page that has its own title and description (a process, a proposal)
//! passes them with [`tags`] in its head, and the defaults stand aside.

use maud::{html, Markup};

use super::chrome::Chrome;
use crate::i18n::{Arg, Lang};

/// A page's own title and description, as shared.
#[derive(Clone, Copy, Debug)]
pub struct Share<'a> {
    pub title: &'a str,
    /// Plain text or Markdown: reduced to its first sentence.
    pub description: &'a str,
}

/// The longest description written, in characters: what the networks show.
const MAX_DESCRIPTION: usize = 200;

/// What marks a head that already holds a page's own tags.
const MARK: &str = "property=\"og:title\"";

/// Whether `path` is shared at all: the back office and a person's
/// account are never public, so they carry no share metadata.
fn shared(path: &str) -> bool {
    !(path == "/admin" || path.starts_with("/admin/") || path == "/compte" || path.starts_with("/compte/"))
}

/// The locale as Open Graph writes it.
fn og_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr_FR",
        Lang::En => "en_GB",
    }
}

/// The tags of a page with its own title and description.
pub fn tags(chrome: &Chrome, share: Share) -> Markup {
    let description = description(share.description);
    let description = if description.is_empty() { default_description(chrome) } else { description };
    write(chrome, share.title, &description, "article")
}

/// The tags the layout adds to `head` of a public page titled `title`,
/// unless `head` holds the page's own (see [`tags`]).
pub fn defaults(chrome: &Chrome, title: &str, head: &str) -> Option<Markup> {
    if head.contains(MARK) || !shared(&chrome.path) {
        return None;
    }
    let kind = if chrome.path == "/" { "website" } else { "article" };
    Some(write(chrome, title, &default_description(chrome), kind))
}

fn default_description(chrome: &Chrome) -> String {
    chrome.lang.ta("og-default-description", &[("commune", Arg::from(chrome.config().commune.name.as_str()))])
}

/// The first sentence of `text`'s plain text, cut for the networks.
fn description(text: &str) -> String {
    let plain = crate::markdown::plain(text);
    let sentence = crate::domain::promotion::first_sentence(&plain);
    match sentence.chars().count() <= MAX_DESCRIPTION {
        true => sentence,
        false => {
            let cut: String = sentence.chars().take(MAX_DESCRIPTION - 1).collect();
            format!("{}…", cut.trim_end())
        }
    }
}

fn write(chrome: &Chrome, title: &str, description: &str, kind: &str) -> Markup {
    let config = chrome.config();
    // Absolute, from the configured address: a network fetches the page
    // from elsewhere, and the request's Host header is not to be trusted.
    let url = format!("{}{}", config.server.public_url.as_str().trim_end_matches('/'), chrome.path);
    html! {
        meta name="description" content=(description);
        meta property="og:title" content=(title);
        meta property="og:description" content=(description);
        meta property="og:url" content=(url);
        meta property="og:type" content=(kind);
        meta property="og:locale" content=(og_locale(chrome.lang));
        meta property="og:site_name" content=(config.commune.name);
        meta name="twitter:card" content="summary";
        meta name="twitter:title" content=(title);
        meta name="twitter:description" content=(description);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_office_and_accounts_are_not_shared() {
        for path in ["/admin", "/admin/comptes", "/compte", "/compte/sessions"] {
            assert!(!shared(path), "{path}");
        }
        for path in ["/", "/idees/1", "/administration-locale", "/comptes-rendus"] {
            assert!(shared(path), "{path}");
        }
    }

    #[test]
    fn a_description_is_the_first_sentence_in_plain_text() {
        assert_eq!(description("Un **banc** au square. Et puis…"), "Un banc au square.");
        let long = "mot ".repeat(80);
        assert!(description(&long).chars().count() <= MAX_DESCRIPTION);
    }
}
