//! The HTML part of every mail, built from the same translated text as the
//! plain-text part.
//!
//! One generic layout for every template instead of one HTML template per
//! message: the text in `mail.ftl` stays the only wording, so both parts say
//! the same thing and a new template needs no HTML of its own. Paragraphs are
//! the text's blank-line blocks, line breaks inside one are kept, and the
//! addresses in the text become links.
//!
//! What the layout never holds, by rule of the commune's privacy promise: no
//! image (no tracking pixel, no logo fetched from elsewhere), no external
//! stylesheet or font, no script. The styles are inline because many mail
//! clients drop a `<style>` block, and the only addresses in the document are
//! the links of the text itself.
//!
//! Written by hand rather than with maud: the mail layer sits below the web
//! layer (`.ci/layers.sh`), and escaping five characters is all it needs.

use crate::i18n::Lang;

/// The parts of a mail, as [`super::template`] translated them.
pub struct Page<'a> {
    pub lang: Lang,
    /// The commune's name: the header of the mail.
    pub commune: &'a str,
    /// The subject, for the document's title.
    pub subject: &'a str,
    pub greeting: &'a str,
    pub body: &'a str,
    /// The paragraph with the link that stops this kind of mail, if any.
    pub unsubscribe: Option<&'a str>,
    /// The signature ("-- " then the platform's lines).
    pub footer: &'a str,
}

// Colours: GOV.UK's text, secondary text and link colours, each at least
// 4.5:1 on white (RGAA 3.2), so the mail reads as well as the site.
const TEXT: &str = "#0b0c0c";
const SECONDARY: &str = "#505a5f";
const LINK: &str = "#1d70b8";
const FONT: &str = "font-family:Arial,Helvetica,sans-serif";

/// The whole HTML document of one mail.
pub fn page(page: &Page<'_>) -> String {
    let mut out = String::with_capacity(2048 + 2 * page.body.len());
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(page.lang.code());
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    escape_into(&mut out, page.subject);
    out.push_str("</title>\n</head>\n");
    out.push_str(&format!("<body style=\"margin:0;padding:0;background:#f3f2f1;color:{TEXT};{FONT}\">\n"));
    out.push_str(&format!(
        "<div style=\"max-width:40em;margin:0 auto;padding:16px 20px;background:#ffffff;font-size:16px;line-height:1.5;color:{TEXT};{FONT}\">\n"
    ));
    out.push_str(&format!(
        "<p style=\"margin:0 0 24px;padding-bottom:8px;border-bottom:4px solid {TEXT};font-size:20px;font-weight:bold\">"
    ));
    escape_into(&mut out, page.commune);
    out.push_str("</p>\n");
    paragraphs(&mut out, page.greeting, "margin:0 0 16px");
    paragraphs(&mut out, page.body, "margin:0 0 16px");
    out.push_str(&format!(
        "<div style=\"margin-top:32px;padding-top:8px;border-top:1px solid #b1b4b6;font-size:14px;color:{SECONDARY}\">\n"
    ));
    if let Some(unsubscribe) = page.unsubscribe {
        paragraphs(&mut out, unsubscribe, "margin:0 0 12px");
    }
    // The "-- " line is the plain-text signature separator; the border above
    // stands for it here.
    let footer: Vec<&str> = page.footer.lines().filter(|l| l.trim() != "--").collect();
    paragraphs(&mut out, &footer.join("\n"), "margin:0 0 12px");
    out.push_str("</div>\n</div>\n</body>\n</html>\n");
    out
}

/// Each blank-line block of `text` as one `<p>`, its lines kept apart by `<br>`.
fn paragraphs(out: &mut String, text: &str, style: &str) {
    for block in text.split("\n\n").map(|b| b.trim_matches('\n')).filter(|b| !b.trim().is_empty()) {
        out.push_str("<p style=\"");
        out.push_str(style);
        out.push_str("\">");
        for (i, line) in block.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            linked_into(out, line);
        }
        out.push_str("</p>\n");
    }
}

/// `line`, escaped, with each web address in it made a link.
fn linked_into(out: &mut String, line: &str) {
    let mut rest = line;
    while let Some((before, link, after)) = next_link(rest) {
        escape_into(out, before);
        out.push_str("<a href=\"");
        escape_into(out, link);
        out.push_str(&format!("\" style=\"color:{LINK};word-break:break-all\">"));
        escape_into(out, link);
        out.push_str("</a>");
        rest = after;
    }
    escape_into(out, rest);
}

/// The first `http://` or `https://` address of `text` that starts a word:
/// (text before, the address, text after). The address runs to the next
/// space or angle bracket or quote, less the punctuation that ends a
/// sentence (« ouvrez https://…/12. » links to `…/12`). Only these two
/// schemes are ever linked, so no `javascript:` or `data:` address can be.
fn next_link(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    loop {
        let found = text[from..].find("http")? + from;
        let starts_word = text[..found].chars().next_back().is_none_or(|c| c.is_whitespace() || "(«[\"'".contains(c));
        let tail = &text[found..];
        let scheme = ["https://", "http://"].into_iter().find(|s| tail.starts_with(s));
        if let (true, Some(scheme)) = (starts_word, scheme) {
            let end = tail.find(|c: char| c.is_whitespace() || "<>\"".contains(c)).unwrap_or(tail.len());
            let link = tail[..end].trim_end_matches(|c: char| ".,;:!?)»]'".contains(c));
            if link.len() > scheme.len() {
                return Some((&text[..found], link, &tail[link.len()..]));
            }
        }
        from = found + "http".len();
    }
}

/// Appends `text` with the characters that mean something in HTML escaped,
/// in text and in a double- or single-quoted attribute alike.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(line: &str) -> String {
        let mut out = String::new();
        linked_into(&mut out, line);
        out
    }

    #[test]
    fn addresses_become_links_and_everything_else_is_escaped() {
        assert_eq!(
            linked("Voir https://x.fr/a?b=1&c=2."),
            "Voir <a href=\"https://x.fr/a?b=1&amp;c=2\" style=\"color:#1d70b8;word-break:break-all\">https://x.fr/a?b=1&amp;c=2</a>."
        );
        assert_eq!(linked("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        // An address cannot close the attribute it is written in.
        let out = linked("https://x.fr/\"onmouseover=\"alert(1)");
        assert!(out.starts_with("<a href=\"https://x.fr/\" "), "{out}");
        assert!(!out.contains("\"onmouseover"), "{out}");
        // Other schemes, and "http" inside a word, stay text.
        assert_eq!(linked("javascript:alert(1) data:text/html,x"), "javascript:alert(1) data:text/html,x");
        assert_eq!(linked("xhttps://x.fr https:// http"), "xhttps://x.fr https:// http");
        assert_eq!(linked("(https://x.fr/a)").matches("<a ").count(), 1);
        assert!(linked("(https://x.fr/a)").ends_with("</a>)"));
    }

    #[test]
    fn the_layout_has_the_language_the_commune_and_no_outside_resource() {
        let html = page(&Page {
            lang: Lang::En,
            commune: "Saint-<Exemple>",
            subject: "Hello & welcome",
            greeting: "Hello Camille,",
            body: "First line\nsecond line\n\nhttps://x.fr/a",
            unsubscribe: Some("Stop: https://x.fr/stop"),
            footer: "-- \nParticipation platform of Saint-Exemple",
        });
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{html}");
        assert!(html.contains("<title>Hello &amp; welcome</title>"), "{html}");
        assert!(html.contains("Saint-&lt;Exemple&gt;</p>"), "{html}");
        assert!(html.contains("First line<br>\nsecond line</p>"), "{html}");
        assert!(!html.contains("-- "), "{html}");
        let footer = &html[html.find("border-top").unwrap()..];
        assert!(footer.contains("href=\"https://x.fr/stop\""), "{footer}");
        for banned in ["<img", "<link", "<script", "url(", "@import", "<style", "src="] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        let hrefs = html.matches("href=\"").count();
        assert_eq!(html.matches("http").count(), 2 * hrefs, "only the text's links: {html}");
    }
}
