//! Resident text: Markdown parsed by pulldown-cmark, then cleaned by ammonia.
//!
//! Residents write comments and proposals in a small Markdown (paragraphs,
//! emphasis, lists, quotes, code, links). What they type is never trusted:
//! raw HTML is shown as text, images are reduced to their description (a
//! resident's image would load a third party's server from every reader's
//! browser, and could be anything), headings become bold paragraphs (a
//! comment must not break the page's outline of headings, which screen-reader
//! users navigate by), and ammonia keeps only a short list of tags on the
//! result. Links get `rel="nofollow ugc noopener"`: search engines must not
//! reward spam posted on a town hall's site.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use maud::PreEscaped;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The tags a rendered text may contain.
const TAGS: &[&str] = &["p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().copied().collect())
            .add_tag_attributes("a", ["href"])
            .add_tag_attributes("ol", ["start"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect::<HashSet<_>>())
            .link_rel(Some("nofollow ugc noopener"))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .strip_comments(true);
        b
    })
}

/// Markdown to HTML that is safe to put in a page as is.
///
/// Kept once rendered: a box's description, a proposal and its comments are
/// shown again and again, and cleaning HTML (ammonia parses it whole) costs
/// far more than a look-up. The cache is keyed by the text itself, so an
/// edited text is simply a new entry and its old rendering is never shown.
pub fn render(text: &str) -> PreEscaped<Arc<str>> {
    // The kept rendering itself, not a copy: maud writes it into the page.
    PreEscaped(rendered(text))
}

/// Renderings kept, keyed by their source (a `HashMap`'s random keys: no
/// text can be crafted to push another out on purpose).
struct Memo {
    html: HashMap<Box<str>, Arc<str>>,
    bytes: usize,
}

/// The most source and HTML bytes kept; past it the cache starts again.
const MEMO_BYTES: usize = 8 * 1024 * 1024;

static MEMO: LazyLock<Mutex<Memo>> = LazyLock::new(|| Mutex::new(Memo { html: HashMap::new(), bytes: 0 }));

fn rendered(text: &str) -> Arc<str> {
    if let Some(html) = MEMO.lock().unwrap_or_else(|e| e.into_inner()).html.get(text) {
        return html.clone();
    }
    let html: Arc<str> = to_html(text).into();
    let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    let size = text.len() + html.len();
    if memo.bytes + size > MEMO_BYTES {
        memo.html.clear();
        memo.bytes = 0;
    }
    if size <= MEMO_BYTES / 8 {
        memo.bytes += size;
        memo.html.insert(text.into(), html.clone());
    }
    html
}

/// [`render`] as a string.
pub fn to_html(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(text, options).flat_map(|event| -> Vec<Event<'_>> {
        match event {
            // Shown as typed: "<b>" in a comment is text, not markup.
            Event::Html(raw) | Event::InlineHtml(raw) => vec![Event::Text(raw)],
            // Only the description stays (the events between start and end).
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => vec![],
            Event::Start(Tag::Heading { .. }) => vec![Event::Start(Tag::Paragraph), Event::Start(Tag::Strong)],
            Event::End(TagEnd::Heading(_)) => vec![Event::End(TagEnd::Strong), Event::End(TagEnd::Paragraph)],
            other => vec![other],
        }
    });
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    cleaner().clean(&html).to_string()
}

/// The text without its Markdown, on one line (for excerpts, search and mail).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_lists_and_links_render_and_links_are_marked_as_user_content() {
        let html = to_html("Un **banc** et *de l'ombre* :\n\n- ici\n- là\n\n[plan](https://example.fr/plan)");
        assert!(html.contains("<strong>banc</strong>"), "{html}");
        assert!(html.contains("<em>de l'ombre</em>") || html.contains("<em>de l’ombre</em>"), "{html}");
        assert!(html.contains("<li>ici</li>"), "{html}");
        assert!(html.contains(r#"<a href="https://example.fr/plan" rel="nofollow ugc noopener">plan</a>"#), "{html}");
    }

    #[test]
    fn raw_html_scripts_and_dangerous_links_never_get_through() {
        let html = to_html("<script>alert(1)</script> <b onclick=\"x\">gras</b>\n\n[clic](javascript:alert(1))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
        assert!(!html.contains("javascript:"), "{html}");
        let html = to_html("<img src=x onerror=alert(1)>");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn images_keep_only_their_description_and_headings_become_bold_paragraphs() {
        let html = to_html("![un chat](https://tracker.example/chat.png)");
        assert!(!html.contains("<img") && !html.contains("tracker"), "{html}");
        assert!(html.contains("un chat"), "{html}");
        let html = to_html("# Titre\n\ntexte");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<p><strong>Titre</strong></p>"), "{html}");
    }

    #[test]
    fn plain_text_drops_the_markup() {
        assert_eq!(plain("Un **banc**\n\n- ici\n- [là](https://x.fr)"), "Un banc ici là");
    }

    #[test]
    fn a_rendering_is_kept_for_its_text_and_an_edited_text_is_rendered_anew() {
        let text = "Un **banc** près du *lavoir* (test du cache 7f3a).";
        let first = rendered(text);
        let again = rendered(text);
        assert!(Arc::ptr_eq(&first, &again), "the second rendering comes from the cache");
        assert_eq!(&*first, to_html(text));
        let edited = rendered("Un **banc** près du *lavoir* (test du cache 7f3a), et un arbre.");
        assert!(edited.contains("un arbre") && !Arc::ptr_eq(&first, &edited));
        assert_eq!(*render(text).0, *to_html(text));
    }
}
