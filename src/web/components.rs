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
    facts_in(chrome, rows, None)
}

/// [`facts`] whose values were written by the commune, in its own language
/// (marked so that a screen reader reads them right on English pages).
pub fn config_facts(chrome: &Chrome, rows: &[(&str, Option<&str>)]) -> Markup {
    facts_in(chrome, rows, Some(chrome.config().default_language.code()))
}

fn facts_in(chrome: &Chrome, rows: &[(&str, Option<&str>)], values_lang: Option<&str>) -> Markup {
    html! {
        dl.facts {
            @for (label, value) in rows {
                div.fact {
                    dt { (label) }
                    dd {
                        @match value {
                            Some(v) => span lang=[values_lang] { (v) },
                            None => span.missing { (chrome.t("legal-not-provided")) },
                        }
                    }
                }
            }
        }
    }
}

/// The errors of a submitted form: (field name, translated message), in the
/// order of the fields, so the summary reads like the form.
#[derive(Default, Debug, Clone)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &str, message: String) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), message));
        }
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A table's header row: one column header per message key, in order.
pub fn table_head(chrome: &Chrome, keys: &[&str]) -> Markup {
    html! {
        thead { tr {
            @for key in keys {
                th scope="col" { (chrome.t(key)) }
            }
        } }
    }
}

/// The summary at the top of a failed form: focusable, with a link to each field.
pub fn error_summary(chrome: &Chrome, errors: &FormErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" data-autofocus {
                h2 #error-summary-title { (chrome.t("form-error-summary")) }
                ul {
                    @for (field, message) in &errors.0 {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
        }
    }
}

/// A text input with its label, hint and error, GOV.UK style.
pub struct Input<'a> {
    pub name: &'a str,
    pub label: String,
    pub hint: Option<String>,
    pub value: &'a str,
    pub kind: &'a str,
    pub autocomplete: &'a str,
    pub required: bool,
}

impl<'a> Input<'a> {
    pub fn new(name: &'a str, label: String, value: &'a str) -> Self {
        Input { name, label, hint: None, value, kind: "text", autocomplete: "off", required: true }
    }
    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = autocomplete;
        self
    }
    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn render(&self, chrome: &Chrome, errors: &FormErrors) -> Markup {
        let error = errors.get(self.name);
        let described = described_by(self.name, self.hint.is_some(), error.is_some());
        let class = if error.is_some() { "form-group form-group-error" } else { "form-group" };
        html! {
            div class=(class) {
                label for=(self.name) { (self.label) }
                @if let Some(hint) = &self.hint { div.hint id={ (self.name) "-hint" } { (hint) } }
                @if let Some(e) = error {
                    p.error-message id={ (self.name) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                }
                input id=(self.name) name=(self.name) type=(self.kind) value=(self.value)
                    autocomplete=(self.autocomplete) required[self.required]
                    class=[error.map(|_| "input-error")]
                    aria-describedby=[described.as_deref()]
                    aria-invalid=[error.map(|_| "true")];
            }
        }
    }
}

fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{name}-hint"));
    }
    if error {
        ids.push(format!("{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A select list; the first option is "not given" when `optional`.
pub fn select(
    chrome: &Chrome,
    errors: &FormErrors,
    name: &str,
    label: &str,
    hint: Option<&str>,
    options: &[(String, String)],
    selected: &str,
) -> Markup {
    let error = errors.get(name);
    let described = described_by(name, hint.is_some(), error.is_some());
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(name) { (label) }
            @if let Some(hint) = hint { div.hint id={ (name) "-hint" } { (hint) } }
            @if let Some(e) = error {
                p.error-message id={ (name) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            select id=(name) name=(name) aria-describedby=[described.as_deref()] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// A single checkbox with its label.
pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.form-group.checkbox {
            input type="checkbox" id=(name) name=(name) value="on" checked[checked];
            label for=(name) { (label) }
        }
    }
}

/// A labelled text area, with its error above it (linked by
/// `aria-describedby`, as the error summary links to it by id).
pub fn textarea(chrome: &Chrome, errors: &FormErrors, name: &str, label_key: &str, value: &str, rows: u8) -> Markup {
    let error = errors.get(name);
    html! {
        div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
            label for=(name) { (chrome.t(label_key)) }
            @if let Some(e) = error { p.error-message id={ (name) "-error" } { (e) } }
            textarea id=(name) name=(name) rows=(rows) aria-describedby=[error.map(|_| format!("{name}-error"))] { (value) }
        }
    }
}

/// The main button of a form.
pub fn submit(label: &str) -> Markup {
    html! { button.button type="submit" { (label) } }
}
