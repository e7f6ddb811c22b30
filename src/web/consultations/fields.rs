//! One question of a questionnaire as a form field, GOV.UK style: its
//! label or legend, hint, error and input, with what was typed. The first
//! input carries the field's id (`q<id>`), where the error summary links.

use maud::{html, Markup, Render};

use super::{field_name, other_name};
use crate::domain::consultations::{Kind, Question, Raw};
use crate::web::chrome::Chrome;

/// A question as it is asked, with what was typed and its error.
pub struct Field<'a> {
    pub chrome: &'a Chrome,
    pub question: &'a Question,
    pub raw: Option<&'a Raw>,
    pub error: Option<String>,
}

impl Field<'_> {
    pub(super) fn first(&self) -> &str {
        self.raw.and_then(|r| r.values.first()).map(String::as_str).unwrap_or("")
    }

    pub(super) fn has(&self, value: &str) -> bool {
        self.raw.is_some_and(|r| r.values.iter().any(|v| v == value))
    }

    fn other_text(&self) -> &str {
        self.raw.map(|r| r.other.as_str()).unwrap_or("")
    }

    pub(super) fn id(&self) -> String {
        field_name(self.question.id)
    }

    pub(super) fn described(&self) -> Option<String> {
        let id = self.id();
        let mut ids = Vec::new();
        if !self.question.hint.is_empty() {
            ids.push(format!("{id}-hint"));
        }
        if self.error.is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    pub(super) fn class(&self) -> &'static str {
        if self.error.is_some() {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    }

    pub(super) fn label_text(&self) -> Markup {
        let q = self.question;
        html! {
            (q.label)
            @if !q.required { " " span.optional { (self.chrome.t("consultation-optional")) } }
        }
    }

    pub(super) fn hint_and_error(&self) -> Markup {
        let id = self.id();
        html! {
            @if !self.question.hint.is_empty() { div.hint id={ (id) "-hint" } { (self.question.hint) } }
            @if let Some(e) = &self.error {
                p.error-message id={ (id) "-error" } { span.visually-hidden { (self.chrome.t("form-error-prefix")) " " } (e) }
            }
        }
    }

    /// A text input or area, in a labelled group.
    fn text(&self, kind: &str) -> Markup {
        let id = self.id();
        html! {
            div class=(self.class()) {
                label for=(id) { (self.label_text()) }
                (self.hint_and_error())
                @if kind == "textarea" {
                    textarea id=(id) name=(id) rows="6" aria-describedby=[self.described()] { (self.first()) }
                } @else {
                    input id=(id) name=(id) type=(kind) value=(self.first()) inputmode=[(kind == "number").then_some("numeric")]
                        class=[self.error.as_ref().map(|_| "input-error")]
                        aria-describedby=[self.described()] aria-invalid=[self.error.as_ref().map(|_| "true")];
                }
            }
        }
    }

    /// "Other, please say": its text field, after the options.
    fn other_field(&self) -> Markup {
        let name = other_name(self.question.id);
        html! {
            div.form-group.other {
                label for=(name) { (self.chrome.t("consultation-other-say")) }
                input id=(name) name=(name) type="text" value=(self.other_text());
            }
        }
    }

    /// Radio buttons or boxes to tick, in a fieldset with its legend.
    fn choices(&self, options: &[String], other: bool, multiple: bool) -> Markup {
        let id = self.id();
        let kind = if multiple { "checkbox" } else { "radio" };
        let mut all: Vec<String> = options.to_vec();
        if other {
            all.push(self.chrome.t("consultation-other"));
        }
        html! {
            fieldset class=(self.class()) aria-describedby=[self.described()] {
                legend { (self.label_text()) }
                (self.hint_and_error())
                @for (i, text) in all.iter().enumerate() {
                    @let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    @let value = i.to_string();
                    div.radio {
                        input type=(kind) id=(input_id) name=(id) value=(value) checked[self.has(&value)];
                        label for=(input_id) { (text) }
                    }
                }
                @if other { (self.other_field()) }
            }
        }
    }

    fn dropdown(&self, options: &[String], other: bool) -> Markup {
        let id = self.id();
        let last = options.len().to_string();
        html! {
            div class=(self.class()) {
                label for=(id) { (self.label_text()) }
                (self.hint_and_error())
                select id=(id) name=(id) aria-describedby=[self.described()] {
                    option value="" { (self.chrome.t("consultation-choose")) }
                    @for (i, text) in options.iter().enumerate() {
                        @let value = i.to_string();
                        option value=(value) selected[self.has(&value)] { (text) }
                    }
                    @if other { option value=(last) selected[self.has(&last)] { (self.chrome.t("consultation-other")) } }
                }
                @if other { (self.other_field()) }
            }
        }
    }

    /// A scale: one radio per value, the end labels beside the ends.
    fn scale(&self, from: u8, to: u8, low: &str, high: &str) -> Markup {
        let id = self.id();
        html! {
            fieldset class={ (self.class()) " scale" } aria-describedby=[self.described()] {
                legend { (self.label_text()) }
                (self.hint_and_error())
                div.scale-values {
                    @for v in from..=to {
                        @let input_id = if v == from { id.clone() } else { format!("{id}-{v}") };
                        @let value = v.to_string();
                        div.radio {
                            input type="radio" id=(input_id) name=(id) value=(value) checked[self.has(&value)];
                            label for=(input_id) {
                                (v)
                                @if v == from && !low.is_empty() { " – " (low) }
                                @if v == to && !high.is_empty() { " – " (high) }
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Render for Field<'_> {
    fn render(&self) -> Markup {
        let q = self.question;
        match &q.kind {
            Kind::Info => html! {
                section.info-block {
                    h2 { (q.label) }
                    div.prose { (crate::markdown::render(&q.hint)) }
                }
            },
            Kind::ShortText => self.text("text"),
            Kind::LongText => self.text("textarea"),
            Kind::Number { .. } => self.text("number"),
            Kind::Date => self.text("date"),
            Kind::Single { options, dropdown: true, other } => self.dropdown(options, *other),
            Kind::Single { options, dropdown: false, other } => self.choices(options, *other, false),
            Kind::Multiple { options, other, .. } => self.choices(options, *other, true),
            Kind::Scale { from, to, low, high } => self.scale(*from, *to, low, high),
            Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point => super::fields_kinds::render(self),
        }
    }
}

/// The answers to the questions not on the page shown, carried in hidden
/// fields, so that going back and forth never loses one.
pub fn carried(questions: &[&Question], answers: &std::collections::BTreeMap<u32, Raw>) -> Markup {
    html! {
        @for q in questions {
            @if let Some(raw) = answers.get(&q.id) {
                @for v in &raw.values { input type="hidden" name=(field_name(q.id)) value=(v); }
                @if !raw.other.is_empty() { input type="hidden" name=(other_name(q.id)) value=(raw.other); }
            }
        }
    }
}
