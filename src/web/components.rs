//! Small components written once and used by every page.

use maud::{html, Markup};

use super::chrome::Chrome;
use super::csrf;

/// The hidden CSRF field every form carries.
pub fn csrf_field(chrome: &Chrome) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(chrome.csrf_token); }
}

/// Plain text from the configuration as paragraphs (blank lines separate them).
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (para) }
        }
    }
}

/// A definition list of (label, value) rows; a missing value says so.
pub fn facts(chrome: &Chrome, rows: &[(&str, Option<&str>)]) -> Markup {
    html! {
        dl.facts {
            @for (label, value) in rows {
                div.fact {
                    dt { (label) }
                    dd {
                        @match value {
                            Some(v) => (v),
                            None => span.missing { (chrome.t("legal-not-provided")) },
                        }
                    }
                }
            }
        }
    }
}
