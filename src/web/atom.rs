//! A small Atom (RFC 4287) writer, shared by every feed Parvis serves.
//!
//! Written by hand rather than with maud: maud writes HTML, whose void
//! elements (`<link>`) are not well-formed XML. A feed has the elements
//! RFC 4287 requires of it (id, title, updated, an author, a `self` link)
//! and each entry an id, title, updated, link and a plain-text summary,
//! and, when it has one, an image as an `enclosure` link.

use maud::{html, Markup};
use poem::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use poem::Response;

/// The media type of an Atom document (RFC 4287, section 7).
pub const CONTENT_TYPE_ATOM: &str = "application/atom+xml; charset=utf-8";

/// One entry of a feed.
#[derive(Clone, Debug)]
pub struct Entry {
    /// A stable IRI: the same entry keeps it forever, so that readers do
    /// not show it twice.
    pub id: String,
    pub title: String,
    /// Unix seconds.
    pub updated: i64,
    /// Unix seconds, when the entry first appeared.
    pub published: Option<i64>,
    /// The absolute URL of the page it stands for.
    pub link: String,
    /// Plain text (escaped here, never read as markup).
    pub summary: String,
    /// A file that goes with the entry (a news post's image).
    pub enclosure: Option<Enclosure>,
}

/// A `rel="enclosure"` link: what a reader may fetch with an entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Enclosure {
    /// Absolute URL.
    pub href: String,
    pub media_type: String,
    /// Bytes, which RFC 4287 (4.2.7.6) advises giving for an enclosure.
    pub length: u64,
    /// What it shows, for whoever cannot see it (the link's `title`).
    pub title: String,
}

/// The public address of the site, without its final slash: feeds link
/// absolutely, since a reader shows an entry away from the site.
pub fn base_url(config: &crate::config::Config) -> String {
    config.server.public_url.as_str().trim_end_matches('/').to_string()
}

/// A tag URI (RFC 4151) naming an entry for good: `tag:host,date:path`,
/// with the day the thing was created, when the commune already held its
/// domain. Unlike the page's URL, it stays the same if the site moves
/// under another path or scheme, and a reader never shows the entry twice.
pub fn tag(base: &str, created: i64, specific: &str) -> String {
    let host = base.split("://").nth(1).unwrap_or(base);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    let day = match jiff::Timestamp::from_second(created) {
        Ok(ts) => ts.strftime("%Y-%m-%d").to_string(),
        Err(_) => "1970-01-01".to_string(),
    };
    format!("tag:{host},{day}:{specific}")
}

/// The `<link rel="alternate">` of a page that has a feed, in its `<head>`:
/// browsers and readers find the feed from the page's address.
pub fn alternate(title: &str, href: &str) -> Markup {
    html! { link rel="alternate" type="application/atom+xml" title=(title) href=(href); }
}

/// A whole feed.
#[derive(Clone, Debug)]
pub struct Feed {
    pub id: String,
    pub title: String,
    /// Unix seconds: the latest entry's `updated`, or `fallback_updated`
    /// when there is none.
    pub fallback_updated: i64,
    /// The feed's own absolute URL (`rel="self"`).
    pub self_link: String,
    /// The page it follows (`rel="alternate"`).
    pub page_link: String,
    /// The feed's author: the commune, which publishes it (an entry names
    /// nobody, so that a feed never says more of people than the page).
    pub author: String,
    pub lang: String,
    pub entries: Vec<Entry>,
}

/// Unix seconds as an RFC 3339 date in UTC, as RFC 4287 requires.
pub fn date(unix: i64) -> String {
    match jiff::Timestamp::from_second(unix) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// Escapes text for an XML element or a double-quoted attribute, and drops
/// the characters XML 1.0 cannot hold at all (control characters a form
/// may have let through), which would make the whole feed unreadable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Feed {
    pub fn updated(&self) -> i64 {
        self.entries.iter().map(|e| e.updated).max().unwrap_or(self.fallback_updated)
    }

    /// The feed as an XML document.
    pub fn to_xml(&self) -> String {
        let mut x = String::with_capacity(1024 + self.entries.len() * 512);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", escape(&self.lang)));
        x.push_str(&format!("  <id>{}</id>\n", escape(&self.id)));
        x.push_str(&format!("  <title>{}</title>\n", escape(&self.title)));
        x.push_str(&format!("  <updated>{}</updated>\n", date(self.updated())));
        x.push_str(&format!("  <author><name>{}</name></author>\n", escape(&self.author)));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_link)
        ));
        x.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&self.page_link)));
        x.push_str("  <generator>Parvis</generator>\n");
        for e in &self.entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
            x.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
            x.push_str(&format!("    <updated>{}</updated>\n", date(e.updated)));
            if let Some(p) = e.published {
                x.push_str(&format!("    <published>{}</published>\n", date(p)));
            }
            x.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&e.link)));
            if let Some(enc) = &e.enclosure {
                x.push_str(&format!(
                    "    <link rel=\"enclosure\" type=\"{}\" length=\"{}\" title=\"{}\" href=\"{}\"/>\n",
                    escape(&enc.media_type),
                    enc.length,
                    escape(&enc.title),
                    escape(&enc.href)
                ));
            }
            x.push_str(&format!("    <summary type=\"text\">{}</summary>\n", escape(&e.summary)));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }

    /// The feed as a response. Readers poll: five minutes in caches keeps
    /// a popular feed from costing a read each time, and is short enough
    /// for a status change to show within the hour.
    pub fn response(&self) -> Response {
        Response::builder()
            .header(CONTENT_TYPE, CONTENT_TYPE_ATOM)
            .header(CACHE_CONTROL, "public, max-age=300")
            .body(self.to_xml())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_hold_are_dropped() {
        assert_eq!(escape("a < b & \"c\" 'd' >\u{0}\u{1b}e\n"), "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt;e\n");
    }

    #[test]
    fn dates_are_rfc_3339_in_utc_and_the_feed_takes_its_latest_entry() {
        assert_eq!(date(1_800_000_000), "2027-01-15T08:00:00Z");
        let entry = |updated| Entry {
            id: format!("https://x.fr/e/{updated}"),
            title: "<b>titre</b>".into(),
            updated,
            published: None,
            link: "https://x.fr/?a=1&b=2".into(),
            summary: "résumé".into(),
            enclosure: None,
        };
        let feed = Feed {
            id: "https://x.fr/f".into(),
            title: "Flux".into(),
            fallback_updated: 5,
            self_link: "https://x.fr/f?a=1&b=2".into(),
            page_link: "https://x.fr/".into(),
            author: "Testville".into(),
            lang: "fr".into(),
            entries: vec![entry(1_800_000_000), entry(1_800_000_600)],
        };
        let xml = feed.to_xml();
        assert!(xml.contains("<updated>2027-01-15T08:10:00Z</updated>\n  <author>"), "{xml}");
        assert!(xml.contains("href=\"https://x.fr/f?a=1&amp;b=2\"") && xml.contains("&lt;b&gt;titre&lt;/b&gt;"));
        assert_eq!(Feed { entries: vec![], ..feed }.updated(), 5);
    }

    #[test]
    fn a_tag_uri_names_the_host_without_port_and_the_day_of_creation() {
        assert_eq!(
            tag("https://participer.testville.fr", 1_800_000_000, "idees/1"),
            "tag:participer.testville.fr,2027-01-15:idees/1"
        );
        assert_eq!(tag("http://127.0.0.1:8080/sous", 0, "x"), "tag:127.0.0.1,1970-01-01:x");
    }

    #[test]
    fn an_enclosure_is_a_link_with_its_type_length_and_escaped_title() {
        let e = Entry {
            id: "tag:x.fr,2026-01-01:a".into(),
            title: "t".into(),
            updated: 0,
            published: None,
            link: "https://x.fr/a".into(),
            summary: String::new(),
            enclosure: Some(Enclosure {
                href: "https://x.fr/a/img.jpg".into(),
                media_type: "image/jpeg".into(),
                length: 1234,
                title: "Le \"parc\" & ses bancs".into(),
            }),
        };
        let feed = Feed {
            id: "f".into(),
            title: "f".into(),
            fallback_updated: 0,
            self_link: "f".into(),
            page_link: "f".into(),
            author: "a".into(),
            lang: "fr".into(),
            entries: vec![e],
        };
        assert!(feed.to_xml().contains(
            r#"<link rel="enclosure" type="image/jpeg" length="1234" title="Le &quot;parc&quot; &amp; ses bancs" href="https://x.fr/a/img.jpg"/>"#
        ));
    }
}
