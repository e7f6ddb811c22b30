//! Questions shown only if an earlier choice says so (`ShowIf`), as the
//! questionnaire shows them: on the page of the choice they depend on,
//! they show with a hint ("answer only if you answered « A » to « Q »")
//! and carry what `js/conditions.js` needs to hide them while the choice
//! says no; without JavaScript they simply stay, and the server ignores
//! them when the choice says no.

use maud::{html, Markup, Render};

use super::field_name;
use crate::domain::consultations::{Consultation, Kind, Question, ShowIf};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;

/// The question and the answers a condition names, each in quotes
/// ("« Q »", "« A » ou « B »"), for the staff's list and the hint.
pub fn quoted(chrome: &Chrome, c: &Consultation, cond: &ShowIf) -> Option<(String, String)> {
    let target = c.question(cond.question)?;
    let (options, other) = match &target.kind {
        Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. } => (options, *other),
        Kind::Info
        | Kind::ShortText
        | Kind::LongText
        | Kind::Scale { .. }
        | Kind::Number { .. }
        | Kind::Date
        | Kind::Ranking { .. }
        | Kind::Matrix { .. }
        | Kind::Point => return None,
    };
    let quote = |t: &str| chrome.lang.ta("consultation-quoted", &[("text", Arg::from(t))]);
    let answers: Vec<String> = cond
        .options
        .iter()
        .filter_map(|&o| match options.get(o as usize) {
            Some(text) => Some(quote(text)),
            None if other && o as usize == options.len() => Some(quote(&chrome.t("consultation-other"))),
            None => None,
        })
        .collect();
    let or = format!(" {} ", chrome.t("consultation-or"));
    Some((quote(&target.label), answers.join(&or)))
}

/// A question whose condition names a question of the same page.
pub struct SamePage {
    hint: String,
    /// The field of the question named, and the option values that show it.
    field: String,
    values: String,
}

/// `Some` when `q`'s condition names a question on its own page.
pub fn same_page(chrome: &Chrome, c: &Consultation, q: &Question) -> Option<SamePage> {
    let cond = q.show_if.as_ref()?;
    let target = c.question(cond.question)?;
    if target.page != q.page {
        return None;
    }
    hinted(chrome, c, q)
}

/// The hint and the script's data of any question with a condition: for
/// the paper entry, where every question is on one page.
pub fn hinted(chrome: &Chrome, c: &Consultation, q: &Question) -> Option<SamePage> {
    let cond = q.show_if.as_ref()?;
    let target = c.question(cond.question)?;
    if target.hidden {
        return None;
    }
    let (question, answers) = quoted(chrome, c, cond)?;
    let hint = chrome
        .lang
        .ta("consultation-condition-hint", &[("question", Arg::from(question)), ("answers", Arg::from(answers))]);
    let values = cond.options.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
    Some(SamePage { hint, field: field_name(target.id), values })
}

impl SamePage {
    /// The field in a group the script hides while the choice says no.
    pub fn wrap(&self, field: impl Render) -> Markup {
        html! {
            div.conditional data-show-if=(self.field) data-show-if-values=(self.values) {
                p.hint.condition-hint { (self.hint) }
                (field)
            }
        }
    }
}
