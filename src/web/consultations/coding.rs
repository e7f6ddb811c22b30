//! The written answers of a question, searched and coded: on the
//! question's results page (`/consultations/:id/resultats/:question`)
//! anyone who may read the results searches them (case and accents aside)
//! and filters them by code; staff define codes for the question
//! (« Stationnement », « Sécurité »…) and tag the answers they tick, with
//! one form and no JavaScript. Each code's count is on the results page.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Path};
use poem::Response;
use serde::Deserialize;

use super::is_staff;
use super::results::OPEN_PAGE;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::coding::{self, CodeCount, CodingError, Search};
use crate::domain::consultations::{Consultation, ConsultationId, Question, QuestionResult};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{AppError, Refusal};

/// Which written answers are listed: from the `skip`th, those matching.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    pub skip: usize,
    pub search: Search,
}

impl Listing {
    /// From the page's query: `depuis`, `recherche` and `code` (empty: all).
    pub fn new(depuis: Option<usize>, recherche: Option<String>, code: Option<String>) -> Listing {
        let code = code.and_then(|c| c.trim().parse().ok());
        Listing { skip: depuis.unwrap_or(0), search: Search { words: recherche.unwrap_or_default(), code } }
    }

    /// The query of this listing from the `skip`th answer.
    fn query(&self, skip: usize) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if skip > 0 {
            q.append_pair("depuis", &skip.to_string());
        }
        if !self.search.words.is_empty() {
            q.append_pair("recherche", &self.search.words);
        }
        if let Some(code) = self.search.code {
            q.append_pair("code", &code.to_string());
        }
        let q = q.finish();
        if q.is_empty() {
            q
        } else {
            format!("?{q}")
        }
    }
}

fn base(c: &Consultation, q: &Question) -> String {
    format!("/consultations/{}/resultats/{}", c.id, q.id)
}

fn code_options(codes: &[CodeCount], first: Option<String>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = first.map(|f| (String::new(), f)).into_iter().collect();
    out.extend(codes.iter().map(|c| (c.code.id.to_string(), format!("{} ({})", c.code.label, c.count))));
    out
}

/// The codes an answer carries, as badges.
fn badges(codes: &[CodeCount], of_answer: &[u32]) -> Markup {
    html! {
        @for id in of_answer {
            @if let Some(c) = codes.iter().find(|c| c.code.id == *id) {
                " " span.badge.badge-code { (c.code.label) }
            }
        }
    }
}

/// The search form, the written answers found (for staff, in the form that
/// tags the ones ticked), the pages, and the staff's form of a new code.
pub fn listed(
    chrome: &Chrome,
    state: &AppState,
    c: &Consultation,
    q: &Question,
    listing: &Listing,
) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let found = coding::search_open_answers(&tx, c.id, q.id, &listing.search, listing.skip, OPEN_PAGE)?;
    let codable = coding::is_codable(&q.kind);
    let codes = if codable { coding::codes(&tx, c.id, q.id)? } else { Vec::new() };
    let numbers: Vec<u64> = found.items.iter().map(|(n, _)| *n).collect();
    let tags = coding::codes_of_answers(&tx, c.id, q.id, &numbers)?;
    drop(tx);
    let staff = codable && is_staff(chrome);
    let none = FormErrors::default();
    let base = base(c, q);
    let filter = listing.search.code.map(|c| c.to_string()).unwrap_or_default();
    let no_tags = Vec::new();
    let tags_of = |n: &u64| tags.get(n).unwrap_or(&no_tags);
    let more = listing.skip + found.items.len() < found.total;
    let lang = chrome.lang;
    Ok(html! {
        form.answers-search method="get" action=(base) role="search" aria-label=(chrome.t("consultation-coding-search-label")) {
            (Input::new("recherche", chrome.t("consultation-coding-search"), &listing.search.words).kind("search").optional().render(chrome, &none))
            @if !codes.is_empty() {
                (select(chrome, &none, "code", &chrome.t("consultation-coding-filter"), None,
                    &code_options(&codes, Some(chrome.t("consultation-coding-all"))), &filter))
            }
            button.button.button-secondary type="submit" { (chrome.t("consultation-coding-search-button")) }
        }
        p.meta { (lang.ta("consultation-coding-found", &[("count", Arg::from(found.total as u64))])) }
        @if found.items.is_empty() { p { (chrome.t("consultation-results-no-text")) } }
        @if staff && !codes.is_empty() && !found.items.is_empty() {
            form method="post" action={ "/admin/consultations/" (c.id) "/questions/" (q.id) "/codage" } {
                (csrf_field(chrome))
                (return_fields(listing))
                fieldset.fieldset {
                    legend { (chrome.t("consultation-coding-tick")) }
                    ul.open-answers {
                        @for (number, text) in &found.items {
                            li.checkbox {
                                input type="checkbox" id={ "reponse-" (number) } name="reponse" value=(number);
                                label for={ "reponse-" (number) } { span.meta { "#" (number) " " } (text) (badges(&codes, tags_of(number))) }
                            }
                        }
                    }
                }
                (select(chrome, &none, "choix", &chrome.t("consultation-coding-choose"), None, &code_options(&codes, None), ""))
                div.actions {
                    button.button type="submit" name="action" value="appliquer" { (chrome.t("consultation-coding-apply")) }
                    button.button.button-secondary type="submit" name="action" value="retirer" { (chrome.t("consultation-coding-remove")) }
                }
            }
        } @else {
            ul.open-answers {
                @for (number, text) in &found.items {
                    li { span.meta { "#" (number) " " } (text) (badges(&codes, tags_of(number))) }
                }
            }
        }
        @if more || listing.skip > 0 {
            nav.pagination aria-label=(chrome.t("consultation-results-pages")) {
                @if listing.skip > 0 { a href={ (base) (listing.query(listing.skip.saturating_sub(OPEN_PAGE))) } { (chrome.t("consultation-results-previous")) } }
                @if more { a href={ (base) (listing.query(listing.skip + OPEN_PAGE)) } { (chrome.t("consultation-results-more")) } }
            }
        }
        @if staff {
            section.panel aria-labelledby="codes" {
                h2 #codes { (chrome.t("consultation-coding-codes")) }
                p.hint { (chrome.t("consultation-coding-hint")) }
                @if !codes.is_empty() {
                    ul.code-list {
                        @for code in &codes {
                            li {
                                form.inline-form method="post" action={ "/admin/consultations/" (c.id) "/questions/" (q.id) "/codes/" (code.code.id) } {
                                    (csrf_field(chrome))
                                    (return_fields(listing))
                                    label.visually-hidden for={ "code-" (code.code.id) } {
                                        (lang.ta("consultation-coding-rename-label", &[("code", Arg::from(code.code.label.as_str()))]))
                                    }
                                    input id={ "code-" (code.code.id) } name="libelle" type="text" value=(code.code.label) required maxlength=(coding::MAX_CODE);
                                    " "
                                    button.button.button-secondary type="submit" { (chrome.t("consultation-coding-rename")) }
                                    " " span.meta { (lang.ta("consultation-coding-count", &[("count", Arg::from(code.count))])) }
                                }
                            }
                        }
                    }
                }
                form method="post" action={ "/admin/consultations/" (c.id) "/questions/" (q.id) "/codes" } {
                    (csrf_field(chrome))
                    (return_fields(listing))
                    (Input::new("libelle", chrome.t("consultation-coding-new"), "").render(chrome, &none))
                    (submit(&chrome.t("consultation-coding-add")))
                }
            }
        }
    })
}

/// The listing to come back to after a staff form.
fn return_fields(listing: &Listing) -> Markup {
    html! {
        input type="hidden" name="depuis" value=(listing.skip);
        input type="hidden" name="recherche" value=(listing.search.words);
        input type="hidden" name="code" value=(listing.search.code.map(|c| c.to_string()).unwrap_or_default());
    }
}

/// On the results page, under a coded question: how many answers carry
/// each code, each a link to those answers.
pub fn code_counts(
    chrome: &Chrome,
    state: &AppState,
    c: &Consultation,
    q: &Question,
    r: &QuestionResult,
) -> Result<Markup, AppError> {
    if !coding::is_codable(&q.kind) {
        return Ok(html! {});
    }
    let codes = coding::codes(&state.store.read()?, c.id, q.id)?;
    if codes.is_empty() {
        return Ok(html! {});
    }
    let base = base(c, q);
    Ok(code_table(chrome, q, r, &codes, Some(&base)))
}

/// The codes of a question and their counts, as a table; with `link`, each
/// code leads to its answers.
pub fn code_table(
    chrome: &Chrome,
    q: &Question,
    r: &QuestionResult,
    codes: &[CodeCount],
    link: Option<&str>,
) -> Markup {
    html! {
        table.code-counts {
            caption { (chrome.lang.ta("consultation-coding-caption", &[("question", Arg::from(q.label.as_str()))])) }
            thead { tr {
                th scope="col" { (chrome.t("consultation-coding-code")) }
                th scope="col" { (chrome.t("consultation-results-count")) }
                th scope="col" { (chrome.t("consultation-results-percent")) }
            } }
            tbody {
                @for code in codes {
                    tr {
                        th scope="row" {
                            @match link {
                                Some(base) => a href={ (base) "?code=" (code.code.id) } { (code.code.label) },
                                None => (code.code.label),
                            }
                        }
                        td { (code.count) }
                        td { (format!("{:.1} %", r.percent(code.count)).replace('.', ",")) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    libelle: String,
    depuis: Option<usize>,
    recherche: Option<String>,
    code: Option<String>,
}

/// `POST /admin/consultations/:id/questions/:question/codes`: a new code.
#[poem::handler]
pub async fn add_code(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid)): Path<(u64, u32)>,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let back =
        format!("/consultations/{id}/resultats/{qid}{}", Listing::new(form.depuis, form.recherche, form.code).query(0));
    let label = form.libelle;
    let done =
        state.store.write(move |tx| coding::add_code(tx, &actor, ConsultationId(id), qid, &label, now_unix())).await;
    let flash = match done {
        Ok(_) => Flash::success("flash-consultation-code-added"),
        Err(CodingError::Duplicate) => Flash::info("consultation-coding-duplicate"),
        Err(CodingError::EmptyLabel | CodingError::TooLong) => Flash::info("consultation-coding-bad-label"),
        Err(CodingError::TooManyCodes) => Flash::info("consultation-coding-too-many"),
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with(&state, &format!("{back}#codes"), flash))
}

/// `POST /admin/consultations/:id/questions/:question/codes/:code`: a
/// code's label corrected.
#[poem::handler]
pub async fn rename_code(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid, code)): Path<(u64, u32, u32)>,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let back =
        format!("/consultations/{id}/resultats/{qid}{}", Listing::new(form.depuis, form.recherche, form.code).query(0));
    let label = form.libelle;
    let done = state
        .store
        .write(move |tx| coding::rename_code(tx, &actor, ConsultationId(id), qid, code, &label, now_unix()))
        .await;
    let flash = match done {
        Ok(_) => Flash::success("flash-consultation-code-renamed"),
        Err(CodingError::Duplicate) => Flash::info("consultation-coding-duplicate"),
        Err(CodingError::EmptyLabel | CodingError::TooLong) => Flash::info("consultation-coding-bad-label"),
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with(&state, &format!("{back}#codes"), flash))
}

/// `POST /admin/consultations/:id/questions/:question/codage`: the code
/// chosen (`choix`) applied to the answers ticked (`reponse`), or taken off.
#[poem::handler]
pub async fn tag(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, qid)): Path<(u64, u32)>,
    body: String,
) -> Result<Response, AppError> {
    let fields = super::form_fields(&body);
    let first = |name: &str| fields.get(name).and_then(|v| v.first()).cloned();
    let listing = Listing::new(first("depuis").and_then(|d| d.parse().ok()), first("recherche"), first("code"));
    let back = format!("/consultations/{id}/resultats/{qid}{}", listing.query(listing.skip));
    let answers: Vec<u64> =
        fields.get("reponse").map(|v| v.iter().filter_map(|n| n.trim().parse().ok()).collect()).unwrap_or_default();
    if answers.is_empty() {
        return Ok(redirect_with(&state, &back, Flash::info("consultation-coding-none-ticked")));
    }
    let code: u32 = first("choix").and_then(|c| c.trim().parse().ok()).ok_or(AppError::from(Refusal::Invalid))?;
    let apply = first("action").as_deref() != Some("retirer");
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| coding::tag(tx, &actor, ConsultationId(id), qid, code, &answers, apply, now_unix()))
        .await?;
    let flash = if apply { "flash-consultation-code-applied" } else { "flash-consultation-code-removed" };
    Ok(redirect_with(&state, &back, Flash::success(flash)))
}

/// Every refusal of coding, as a page.
impl From<CodingError> for AppError {
    fn from(e: CodingError) -> Self {
        match e {
            CodingError::NotFound | CodingError::NoSuchQuestion | CodingError::NoSuchCode => AppError::NotFound,
            // The forms offer only what exists: reaching these means a
            // tampered or outdated form (an answer, a code since gone).
            CodingError::NoSuchAnswer(_)
            | CodingError::EmptyLabel
            | CodingError::TooLong
            | CodingError::Duplicate
            | CodingError::TooManyCodes
            | CodingError::BadSelection => Refusal::Invalid.into(),
            CodingError::Store(s) => AppError::from(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_comes_back_with_its_search_and_code() {
        let l = Listing::new(Some(20), Some("école & cantine".into()), Some("3".into()));
        assert_eq!(l.query(40), "?depuis=40&recherche=%C3%A9cole+%26+cantine&code=3");
        assert_eq!(Listing::new(None, None, Some(String::new())).query(0), "", "no code: every answer");
    }
}
