//! Open Graph and Twitter-card metadata (issue 16): what a social network
//! or a messaging app shows when a resident shares a page's link. The
//! layout puts the defaults in every public page's `<head>` ([`defaults`]);
//! a page that has its own title and description (a process, a proposal)
//! passes them with [`tags`] in its head, and the defaults stand aside.

use maud::{html, Markup};

use super::chrome::Chrome;
use super::share::{image_path, target_of_path};
use crate::domain::promotion::Target;
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
    tags_with_image(chrome, share, target_of_path(&chrome.path))
}

/// The tags of a page whose image is that of `image`'s process (a
/// proposal shows its idea box's).
pub fn tags_with_image(chrome: &Chrome, share: Share, image: Target) -> Markup {
    let description = description(share.description);
    let description = if description.is_empty() { default_description(chrome) } else { description };
    write(chrome, share.title, &description, "article", image)
}

/// The tags of a page whose description is already plain and short (a
/// meeting's date and place), not a sentence to find in a text.
pub fn tags_plain(chrome: &Chrome, title: &str, description: &str) -> Markup {
    write(chrome, title, description, "article", target_of_path(&chrome.path))
}

/// The tags the layout adds to `head` of a public page titled `title`,
/// unless `head` holds the page's own (see [`tags`]).
pub fn defaults(chrome: &Chrome, title: &str, head: &str) -> Option<Markup> {
    if head.contains(MARK) || !shared(&chrome.path) {
        return None;
    }
    let kind = if chrome.path == "/" { "website" } else { "article" };
    Some(write(chrome, title, &default_description(chrome), kind, target_of_path(&chrome.path)))
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

fn write(chrome: &Chrome, title: &str, description: &str, kind: &str, image: Target) -> Markup {
    let config = chrome.config();
    // Absolute, from the configured address: a network fetches the page
    // from elsewhere, and the request's Host header is not to be trusted.
    let base = config.server.public_url.as_str().trim_end_matches('/');
    let url = format!("{base}{}", chrome.path);
    let image = format!("{base}{}", image_path(image));
    html! {
        meta name="description" content=(description);
        meta property="og:title" content=(title);
        meta property="og:description" content=(description);
        meta property="og:url" content=(url);
        meta property="og:type" content=(kind);
        meta property="og:locale" content=(og_locale(chrome.lang));
        meta property="og:site_name" content=(config.commune.name);
        meta property="og:image" content=(image);
        meta property="og:image:type" content="image/png";
        meta property="og:image:width" content=(crate::share_image::WIDTH);
        meta property="og:image:height" content=(crate::share_image::HEIGHT);
        meta property="og:image:alt" content=(title);
        meta name="twitter:card" content="summary_large_image";
        meta name="twitter:title" content=(title);
        meta name="twitter:description" content=(description);
        meta name="twitter:image" content=(image);
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
