//! Filing a report, in two steps that both work without JavaScript:
//!
//! 1. `GET /signalements/nouveau`: the category and the place (an address,
//!    or a pin that the picker's script turns into the hidden `lat`/`lon`).
//! 2. `POST /signalements/nouveau/lieu`: the place is checked (inside the
//!    commune), the open reports of the same category nearby are offered
//!    ("is it one of these?" — "me too"), and below them the details form:
//!    description, up to three photos, neighbourhood, show my name.
//! 3. `POST /signalements/nouveau`: the details (multipart), filed.
//!
//! Someone without an account fills in the same form plus their name and
//! address; their report waits, unlisted, for the link mailed to them
//! (`web::reports::confirm`), as in FixMyStreet.
//!
//! The nearby step comes before the photos, as in FixMyStreet: a resident
//! who finds their problem already reported has attached nothing in vain.

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{category_name, place, status_badge};
use crate::app::AppState;
use crate::config::Config;
use crate::domain::accounts;
use crate::domain::addresses;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::reports::{self, Filer, NewReport, MAX_DESCRIPTION, MAX_PHOTOS, MAX_VISITOR_NAME};
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{checkbox, csrf_field, select, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::page_with_errors;
use crate::web::middleware::BodyTooLarge;
use crate::web::uploads::PhotoRefused;

/// What and where (step 1), carried as hidden fields through step 2.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct PlaceForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    /// The photos kept from a refused form (`kept-1`…), each
    /// `file:proof` (see [`kept_proof`]), carried through step 1 when the
    /// place has to be given again.
    #[serde(default, rename = "kept-1")]
    kept_1: String,
    #[serde(default, rename = "kept-2")]
    kept_2: String,
    #[serde(default, rename = "kept-3")]
    kept_3: String,
    #[serde(skip)]
    pub kept: Vec<String>,
}

impl PlaceForm {
    /// Moves the `kept-N` fields of step 1 into `kept`.
    fn take_kept(&mut self) {
        for raw in [&mut self.kept_1, &mut self.kept_2, &mut self.kept_3] {
            if !raw.is_empty() {
                self.kept.push(std::mem::take(raw));
            }
        }
    }
}

/// The most photos a form carries kept, beyond which the fields are not
/// read: twice [`MAX_PHOTOS`], as a refused form may keep more than it may
/// file (the resident then drops some).
const MAX_KEPT: usize = 2 * MAX_PHOTOS;

/// The proof that this browser uploaded the kept photo `file`: a keyed
/// hash of the file and of the form's CSRF token (itself bound to the
/// browser's cookie and session). Without it, someone could name in their
/// form a photo of another's report, a hidden one's too, and have it shown.
fn kept_proof(state: &AppState, chrome: &Chrome, file: &str) -> String {
    let hash = state.store.keys().lookup("report-kept-photo", &format!("{}:{file}", chrome.csrf_token));
    hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The file of a kept photo's `file:proof`, when the proof is this browser's.
fn kept_file(state: &AppState, chrome: &Chrome, raw: &str) -> Option<String> {
    use subtle::ConstantTimeEq;
    let (file, proof) = raw.split_once(':')?;
    let expected = kept_proof(state, chrome, file);
    let same: bool = expected.as_bytes().ct_eq(proof.as_bytes()).into();
    (same && crate::photos::valid_name(file)).then(|| file.to_string())
}

/// The kept photos as hidden fields, to go through a page to the next.
fn kept_fields(kept: &[String]) -> Markup {
    html! {
        @for (i, raw) in kept.iter().enumerate() {
            input type="hidden" name={ "kept-" (i + 1) } value=(raw);
        }
    }
}

/// The details (step 2).
#[derive(Default, Clone, Debug)]
pub struct DetailsForm {
    pub place: PlaceForm,
    pub description: String,
    pub neighbourhood: String,
    pub show_name: bool,
    /// Without an account: who is reporting, and where the link goes.
    pub name: String,
    pub email: String,
    /// The answers to the category's extra questions, by question code,
    /// as typed.
    pub answers: Vec<(String, String)>,
}

impl DetailsForm {
    fn answer(&self, code: &str) -> &str {
        self.answers.iter().find(|(c, _)| c == code).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
}

/// The form field of an extra question.
fn question_field(code: &str) -> String {
    format!("question-{code}")
}

/// The category's extra questions (`[[reports.questions]]`), each as its
/// kind asks: a line of text or a number (typed as text: a decimal comma is
/// fine), or a list to choose from; labels and hints in the commune's
/// language, as the categories'.
fn questions(chrome: &Chrome, form: &DetailsForm, errors: &FormErrors) -> Markup {
    let config = chrome.config();
    let Some(category) = config.reports.category(&form.place.category).filter(|c| !c.questions.is_empty()) else {
        return html! {};
    };
    html! {
        fieldset.form-group {
            legend { (chrome.t("problem-questions-legend")) }
            // The questions are the commune's texts, in its language.
            @for q in &category.questions {
                div lang=(config.default_language.code()) { (question(chrome, q, form.answer(&q.code), errors)) }
            }
        }
    }
}

fn question(chrome: &Chrome, q: &crate::config::Question, value: &str, errors: &FormErrors) -> Markup {
    let name = question_field(&q.code);
    let label =
        if q.required { q.label.clone() } else { format!("{} {}", q.label, chrome.t("problem-question-optional")) };
    let hint = (!q.hint.is_empty()).then(|| q.hint.clone());
    match &q.kind {
        crate::config::QuestionKind::Choice(values) => {
            let none = chrome.t(if q.required { "problem-question-choose" } else { "form-none" });
            let mut options = vec![(String::new(), none)];
            options.extend(values.iter().map(|v| (v.clone(), v.clone())));
            select(chrome, errors, &name, &label, hint.as_deref(), &options, value)
        }
        crate::config::QuestionKind::Text | crate::config::QuestionKind::Number => {
            let mut input = Input::new(&name, label, value);
            input.hint = hint;
            if !q.required {
                input = input.optional();
            }
            input.render(chrome, errors)
        }
    }
}

fn radio_error(chrome: &Chrome, errors: &FormErrors, name: &str) -> Markup {
    html! {
        @if let Some(e) = errors.get(name) {
            p.error-message id={ (name) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
        }
    }
}

/// The category as radio buttons, each with its hint.
fn categories(chrome: &Chrome, errors: &FormErrors, selected: &str) -> Markup {
    let config = chrome.config();
    let class = if errors.get("category").is_some() { "form-group form-group-error" } else { "form-group" };
    html! {
        fieldset class=(class) aria-describedby=[errors.get("category").map(|_| "category-error")] {
            legend { (chrome.t("problem-field-category")) }
            (radio_error(chrome, errors, "category"))
            @for (i, c) in config.reports.categories.iter().enumerate() {
                // The first radio carries the field's id, for the error summary's link.
                @let id = if i == 0 { "category".to_string() } else { format!("category-{}", c.code) };
                div.radio {
                    input type="radio" id=(id) name="category" value=(c.code) checked[c.code == selected]
                        aria-describedby=[(!c.hint.is_empty()).then(|| format!("{id}-hint"))];
                    label for=(id) lang=(config.default_language.code()) { (c.name) }
                    @if !c.hint.is_empty() { div.hint id={ (id) "-hint" } lang=(config.default_language.code()) { (c.hint) } }
                }
            }
        }
    }
}

/// The place: an address field that works alone, and the hidden position
/// the pin picker's script fills (`data-location-picker`).
fn location(chrome: &Chrome, errors: &FormErrors, form: &PlaceForm) -> Markup {
    let config = chrome.config();
    let error = errors.get("address");
    let class = if error.is_some() { "location form-group form-group-error" } else { "location form-group" };
    let (lat, lon) = parse_position(form).unwrap_or((config.map.center_lat, config.map.center_lon));
    html! {
        // The picker's script, texts and tiles (`web::tiles::location_picker`).
        (crate::web::tiles::location_picker(chrome))
        fieldset class=(class) data-location-picker data-lat=(lat) data-lon=(lon) data-zoom=(config.map.zoom) {
            legend { (chrome.t("problem-field-place")) }
            label for="address" { (chrome.t("problem-field-address")) }
            div.hint #address-hint { (chrome.t("problem-field-address-hint")) }
            @if let Some(e) = error {
                p.error-message #address-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input #address type="text" name="address" autocomplete="off" value=(form.address)
                class=[error.map(|_| "input-error")] aria-invalid=[error.map(|_| "true")]
                aria-describedby=(if error.is_some() { "address-hint address-error" } else { "address-hint" });
            input type="hidden" name="lat" value=(form.lat);
            input type="hidden" name="lon" value=(form.lon);
        }
    }
}

fn place_page(chrome: &Chrome, form: &PlaceForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("problem-new-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("problem-new-lead")) }
            form method="post" action="/signalements/nouveau/lieu" novalidate {
                (csrf_field(chrome))
                @if !form.kept.is_empty() {
                    p.hint { (chrome.lang.ta("problem-photos-kept-place", &[("count", Arg::from(form.kept.len() as u64))])) }
                    (kept_fields(&form.kept))
                }
                (categories(chrome, errors, &form.category))
                (location(chrome, errors, form))
                (submit(&chrome.t("problem-continue")))
            }
        },
    )
}

/// `GET /signalements/nouveau`: step 1, for residents and visitors alike.
#[poem::handler]
pub async fn place_form(chrome: Chrome) -> Markup {
    place_page(&chrome, &PlaceForm::default(), &FormErrors::default())
}

/// The position the form gives, in degrees, when both halves parse.
fn parse_position(form: &PlaceForm) -> Option<(f64, f64)> {
    let lat = form.lat.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v))?;
    let lon = form.lon.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-180.0..=180.0).contains(v))?;
    Some((lat, lon))
}

/// Where the form says the problem is, or why it cannot be taken: the pin
/// first (the picker's script fills `lat`/`lon`), else the typed address,
/// placed by the commune's own address list (`addresses::geocode`; without
/// JavaScript this is the only way). A geocoded address's full label
/// replaces what was typed, so that the service reads a real address.
fn locate(
    config: &Config,
    chrome: &Chrome,
    tx: &crate::store::ReadTx,
    form: &mut PlaceForm,
) -> Result<Result<(f64, f64), String>, AppError> {
    let position = if !form.lat.trim().is_empty() || !form.lon.trim().is_empty() {
        match parse_position(form) {
            Some(position) => position,
            None => return Ok(Err(chrome.t("error-report-position"))),
        }
    } else if !form.address.trim().is_empty() {
        match addresses::geocode(tx, &form.address)? {
            Some(found) => {
                form.address = found.label();
                form.lat = found.lat.to_string();
                form.lon = found.lon.to_string();
                (found.lat, found.lon)
            }
            None => return Ok(Err(chrome.t("error-report-address-unplaced"))),
        }
    } else {
        return Ok(Err(chrome.t("error-report-place-missing")));
    };
    if !config.reports.bounds.contains(position.0, position.1) {
        let commune = Arg::from(config.commune.name.as_str());
        return Ok(Err(chrome.lang.ta("error-report-outside", &[("commune", commune)])));
    }
    Ok(Ok(position))
}

/// Checks step 1; the errors name the fields. A geocoded address fills in
/// the form's position and label.
fn check_place(
    chrome: &Chrome,
    tx: &crate::store::ReadTx,
    form: &mut PlaceForm,
    errors: &mut FormErrors,
) -> Result<Option<(f64, f64)>, AppError> {
    let config = chrome.config();
    if config.reports.category(&form.category).is_none() {
        errors.add("category", chrome.t("error-report-category"));
    }
    Ok(match locate(config, chrome, tx, form)? {
        Ok(position) => Some(position),
        Err(message) => {
            errors.add("address", message);
            None
        }
    })
}

/// The reports the nearby step offers: the nearest few, as FixMyStreet
/// does; a long list of the same street lights would hide the form.
pub const NEARBY_OFFERED: usize = 5;

/// The open reports of the category near the place, each with "me too",
/// and how many more there are within the radius.
fn nearby_list(chrome: &Chrome, offer: &reports::Nearest) -> Markup {
    let config = chrome.config();
    let nearby = &offer.reports;
    html! {
        @if !nearby.is_empty() {
            section.panel aria-labelledby="deja-signale" {
                h2 #deja-signale { (chrome.t("problem-nearby-title")) }
                p { (chrome.t("problem-nearby-lead")) }
                ul.report-list {
                    @for n in nearby {
                        li.card {
                            h3 { a href={ "/signalements/" (n.report.id) } { (chrome.lang.ta("problem-number", &[("number", Arg::from(n.report.id.get()))])) " — " (category_name(config, &n.report.category)) } }
                            p.meta {
                                (status_badge(chrome, &n.report.status)) " "
                                (place(&n.report)) " · "
                                (chrome.lang.ta("problem-metres-away", &[("metres", Arg::from(n.metres.round() as u64))]))
                            }
                            p { (excerpt(&n.report.description)) }
                            form.inline-form method="post" action={ "/signalements/" (n.report.id) "/moi-aussi" } {
                                (csrf_field(chrome))
                                button.button type="submit" { (chrome.t("problem-me-too")) }
                            }
                        }
                    }
                }
                @if offer.more > 0 {
                    p { (chrome.lang.ta("problem-nearby-more", &[("count", Arg::from(offer.more as u64)), ("metres", Arg::from(u64::from(config.reports.nearby_metres)))])) }
                }
            }
        }
    }
}

/// The first 200 characters of a text, for a list.
pub fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn details_page(chrome: &Chrome, form: &DetailsForm, nearby: &reports::Nearest, errors: &FormErrors) -> Markup {
    let config = chrome.config();
    let title = chrome.t("problem-details-title");
    let mut quartiers = vec![(String::new(), chrome.t("form-none"))];
    quartiers.extend(config.commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let description_error = errors.get("description");
    let photo_error = errors.get("photo");
    let p = &form.place;
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href="/signalements/nouveau" { (chrome.t("problem-change-place")) } }
            h1 { (title) }
            p.meta { (category_name(config, &p.category)) " · " (if p.address.trim().is_empty() { format!("{}, {}", p.lat, p.lon) } else { p.address.clone() }) }
            (nearby_list(chrome, nearby))
            section aria-labelledby="details" {
                @if !nearby.reports.is_empty() { h2 #details { (chrome.t("problem-not-these")) } }
                @else { h2 #details.visually-hidden { (chrome.t("problem-details-title")) } }
                form method="post" enctype="multipart/form-data" action="/signalements/nouveau" novalidate {
                    // First: the CSRF middleware reads only the first field.
                    (csrf_field(chrome))
                    input type="hidden" name="category" value=(p.category);
                    input type="hidden" name="address" value=(p.address);
                    input type="hidden" name="lat" value=(p.lat);
                    input type="hidden" name="lon" value=(p.lon);
                    div class=(if description_error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                        label for="description" { (chrome.t("problem-field-description")) }
                        div.hint #description-hint { (chrome.t("problem-field-description-hint")) }
                        @if let Some(e) = description_error { p.error-message #description-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) } }
                        textarea #description name="description" rows="6" aria-describedby="description-hint" { (form.description) }
                    }
                    (questions(chrome, form, errors))
                    @if !config.commune.neighbourhoods.is_empty() {
                        (select(chrome, errors, "neighbourhood", &chrome.t("field-neighbourhood-place"), None, &quartiers, &form.neighbourhood))
                    }
                    div class=(if photo_error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                        (kept_photos(chrome, &p.kept))
                        label for="photo" { (chrome.t("problem-field-photos")) }
                        div.hint #photo-hint { (chrome.lang.ta("problem-field-photos-hint", &[("max", Arg::from(MAX_PHOTOS as u64))])) }
                        @if let Some(e) = photo_error { p.error-message #photo-error { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) } }
                        input #photo type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple aria-describedby="photo-hint";
                    }
                    @if chrome.viewer.is_none() { (visitor_fields(chrome, form, errors)) }
                    (checkbox("show_name", &chrome.t("problem-field-show-name"), form.show_name))
                    (submit(&chrome.t("problem-submit")))
                }
            }
        },
    )
}

/// The photos kept from a refused form: each says so, with a box to drop
/// it; the resident does not choose them again.
fn kept_photos(chrome: &Chrome, kept: &[String]) -> Markup {
    html! {
        @if !kept.is_empty() {
            ul.kept-photos {
                @for (i, raw) in kept.iter().enumerate() {
                    @let number = i as u64 + 1;
                    li {
                        input type="hidden" name={ "kept-" (i + 1) } value=(raw);
                        (chrome.lang.ta("problem-photo-kept", &[("number", Arg::from(number))])) " "
                        span.checkbox {
                            input type="checkbox" id={ "drop-" (i + 1) } name={ "drop-" (i + 1) } value="on";
                            label for={ "drop-" (i + 1) } { (chrome.lang.ta("problem-photo-drop", &[("number", Arg::from(number))])) }
                        }
                    }
                }
            }
        }
    }
}

/// Without an account: a name and the address the link goes to, with a
/// way to sign in instead.
fn visitor_fields(chrome: &Chrome, form: &DetailsForm, errors: &FormErrors) -> Markup {
    html! {
        fieldset.form-group {
            legend { (chrome.t("problem-visitor-legend")) }
            p.hint {
                (chrome.t("problem-visitor-hint")) " "
                a href="/connexion?suivant=/signalements/nouveau" { (chrome.t("problem-visitor-sign-in")) }
            }
            (Input::new("name", chrome.t("problem-field-visitor-name"), &form.name)
                .autocomplete("name").render(chrome, errors))
            (Input::new("email", chrome.t("field-email"), &form.email)
                .kind("email").autocomplete("email").hint(chrome.t("problem-field-visitor-email-hint")).render(chrome, errors))
        }
    }
}

/// `POST /signalements/nouveau/lieu`: step 1 checked; step 2 shown.
#[poem::handler]
pub async fn place_submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Form(mut form): Form<PlaceForm>,
) -> Result<Response, AppError> {
    form.take_kept();
    let mut errors = FormErrors::default();
    let tx = state.store.read()?;
    let Some((lat, lon)) = check_place(&chrome, &tx, &mut form, &mut errors)?.filter(|_| errors.is_empty()) else {
        return Ok(refused(place_page(&chrome, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let radius = f64::from(state.config.reports.nearby_metres);
    let nearby = reports::nearest(&tx, &state.config.reports, &form.category, lat, lon, radius, NEARBY_OFFERED)?;
    let details = DetailsForm { place: form, ..DetailsForm::default() };
    Ok(details_page(&chrome, &details, &nearby, &FormErrors::default()).into_response())
}

/// The most fields the details form has (its own, the token, three photos,
/// kept photos each with its box, and room for a browser's additions).
const MAX_FIELDS: usize = 20 + 2 * MAX_KEPT;
/// The most bytes of the description (its characters of up to 4 bytes).
const MAX_DESCRIPTION_BYTES: u64 = 4 * MAX_DESCRIPTION as u64;
const MAX_LINE_BYTES: u64 = 4 * 1024;

/// Reads the multipart details form (see `web::multipart`): texts each up
/// to their limit, photos up to [`MAX_PHOTOS`].
async fn read_details(
    config: &Config,
    multipart: poem::web::Multipart,
    too_large: Option<BodyTooLarge>,
) -> Result<(DetailsForm, Vec<Vec<u8>>, bool), AppError> {
    let limit = |name: &str| match name {
        "description" => Some(MAX_DESCRIPTION_BYTES),
        "category" | "address" | "lat" | "lon" | "neighbourhood" | "show_name" | "name" | "email" => {
            Some(MAX_LINE_BYTES)
        }
        // An answer's characters of up to 4 bytes.
        n if n.starts_with("question-") => Some(4 * reports::MAX_ANSWER as u64),
        n if n.starts_with("kept-") || n.starts_with("drop-") => Some(MAX_LINE_BYTES),
        _ => None,
    };
    // Room for the most questions a category asks.
    let questions = config.reports.categories.iter().map(|c| c.questions.len()).max().unwrap_or(0);
    let mut parts =
        crate::web::multipart::read(multipart, too_large, MAX_FIELDS + questions, MAX_PHOTOS, limit).await?;
    let mut form = DetailsForm::default();
    form.place.category = parts.take("category");
    form.place.address = parts.take("address");
    form.place.lat = parts.take("lat");
    form.place.lon = parts.take("lon");
    form.description = parts.take("description");
    form.neighbourhood = parts.take("neighbourhood");
    form.name = parts.take("name");
    form.email = parts.take("email");
    form.show_name = parts.take("show_name") == "on";
    for i in 1..=MAX_KEPT {
        let raw = parts.take(&format!("kept-{i}"));
        // A kept photo the resident chose to drop is left out of the form.
        if !raw.is_empty() && parts.take(&format!("drop-{i}")) != "on" {
            form.place.kept.push(raw);
        }
    }
    if let Some(category) = config.reports.category(&form.place.category) {
        for q in &category.questions {
            form.answers.push((q.code.clone(), parts.take(&question_field(&q.code))));
        }
    }
    Ok((form, parts.photos, parts.too_many_photos))
}

/// Re-encodes and stores each new photo, one heavy turn each, and keeps
/// them for this form (`reports::keep_uploads`), so that a form refused for
/// any reason does not ask for them again: returns their files, and the
/// message of the first refused photo (the others are kept).
async fn store_photos(
    state: &AppState,
    chrome: &Chrome,
    photos: Vec<Vec<u8>>,
    first_number: usize,
) -> Result<(Vec<String>, Option<String>), AppError> {
    let mut files = Vec::with_capacity(photos.len());
    let mut refusal = None;
    for (i, bytes) in photos.into_iter().enumerate() {
        let number = Arg::from((first_number + i) as u64);
        let message = match crate::web::uploads::store_photo(state, bytes).await? {
            Ok((name, _)) => {
                files.push(name);
                continue;
            }
            Err(PhotoRefused::TooLarge) => chrome.lang.ta("error-report-photo-too-large", &[("number", number)]),
            Err(PhotoRefused::NotAnImage) => chrome.lang.ta("error-report-photo-format", &[("number", number)]),
        };
        refusal.get_or_insert(message);
    }
    if !files.is_empty() {
        let (kept, now) = (files.clone(), now_unix());
        let unused = state.store.write(move |tx| reports::keep_uploads(tx, &kept, now)).await?;
        crate::photos::remove_forgotten(&state.config.data_dir, &unused);
    }
    Ok((files, refusal))
}

/// `POST /signalements/nouveau`: the details; the report is filed.
#[poem::handler]
pub async fn create(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    viewer: Option<SignedIn>,
    ClientIp(ip): ClientIp,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    let (mut form, uploads, too_many_photos) =
        read_details(&state.config, multipart, req.extensions().get::<BodyTooLarge>().cloned()).await?;
    let config = &state.config;
    let mut errors = FormErrors::default();
    // The photos kept from a refused form: this browser's, still kept.
    let mut photos = Vec::new();
    {
        let tx = state.store.read()?;
        for raw in &form.place.kept {
            match kept_file(&state, &chrome, raw) {
                Some(file) if reports::is_kept_upload(&tx, &file)? => photos.push(file),
                _ => errors.add("photo", chrome.t("error-report-photos-again")),
            }
        }
    }
    let position = check_place(&chrome, &state.store.read()?, &mut form.place, &mut errors)?;
    let description_len = form.description.trim().chars().count();
    if !(10..=MAX_DESCRIPTION).contains(&description_len) {
        errors.add(
            "description",
            chrome.lang.ta("error-report-description", &[("max", Arg::from(MAX_DESCRIPTION as u64))]),
        );
    }
    check_answers(&chrome, &form, &mut errors);
    if !form.neighbourhood.is_empty() && !config.commune.neighbourhoods.contains(&form.neighbourhood) {
        errors.add("neighbourhood", chrome.t("error-choose-from-list"));
    }
    let filer = match &viewer {
        Some(SignedIn(v)) => Some(Filer::Account(v.account.id)),
        None => visitor(&chrome, &form, &mut errors),
    };
    // A form that would write something (file, or keep photos) counts
    // against the quotas, before its photos cost a decode: the account's,
    // or a visitor's network and address (each report mails that address);
    // one refused for its texts alone costs nothing. Past one, the form
    // comes back as typed.
    if !uploads.is_empty() || (errors.is_empty() && filer.is_some()) {
        let keys = match &filer {
            Some(Filer::Account(id)) => vec![format!("account:{id}")],
            Some(Filer::Visitor { email, .. }) => vec![format!("ip:{ip}"), format!("email:{email}")],
            Some(Filer::Open311 { client }) => vec![format!("open311:{client}")],
            None => vec![format!("ip:{ip}")],
        };
        for key in keys {
            if let Err(wait) = state.limiter.take(Quota::ProblemReport, &key, Instant::now()) {
                let minutes = Arg::from(wait.secs().div_ceil(60));
                errors.add("description", chrome.lang.ta("error-problem-too-many", &[("minutes", minutes)]));
                let page = details_page(&chrome, &form, &reports::Nearest::default(), &errors);
                return Ok(too_many(page, wait));
            }
        }
    }
    if !uploads.is_empty() {
        if state.store.disk_full() {
            return Err(AppError::DiskFull);
        }
        let (stored, refusal) = store_photos(&state, &chrome, uploads, photos.len() + 1).await?;
        photos.extend(stored);
        if let Some(message) = refusal {
            errors.add("photo", message);
        }
    }
    if too_many_photos || photos.len() > MAX_PHOTOS {
        errors.add("photo", chrome.lang.ta("error-report-too-many-photos", &[("max", Arg::from(MAX_PHOTOS as u64))]));
    }
    // Whatever is refused, the photos come back kept, each with its proof.
    form.place.kept = photos.iter().map(|f| format!("{f}:{}", kept_proof(&state, &chrome, f))).collect();
    let (Some((lat, lon)), Some(filer), true) = (position, filer, errors.is_empty()) else {
        if position.is_none() {
            // The place is refused (the hidden fields were changed): step 1
            // again, the photos carried through it.
            let place_errors =
                FormErrors(errors.0.into_iter().filter(|(f, _)| f == "category" || f == "address").collect());
            return Ok(refused(place_page(&chrome, &form.place, &place_errors), StatusCode::UNPROCESSABLE_ENTITY));
        }
        let nearby = match position {
            Some((lat, lon)) => reports::nearest(
                &state.store.read()?,
                &config.reports,
                &form.place.category,
                lat,
                lon,
                f64::from(config.reports.nearby_metres),
                NEARBY_OFFERED,
            )?,
            None => reports::Nearest::default(),
        };
        return Ok(refused(details_page(&chrome, &form, &nearby, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let new = NewReport {
        author: filer.clone(),
        category: form.place.category.clone(),
        lat,
        lon,
        address: Some(form.place.address.clone()),
        neighbourhood: Some(form.neighbourhood.clone()).filter(|n| !n.is_empty()),
        description: form.description.clone(),
        photos,
        show_name: form.show_name,
        answers: form.answers.clone(),
    };
    let (state2, notifier) = (state.0.clone(), super::notifier(&state));
    let actor = match &filer {
        Filer::Account(id) => Actor::person(*id, ip),
        Filer::Visitor { .. } | Filer::Open311 { .. } => Actor::anonymous(ip),
    };
    let filed = state
        .store
        .write(move |tx| reports::file(tx, &state2.config, &notifier, &actor, &new, now_unix()).map_err(AppError::from))
        .await?;
    if filed.awaiting_confirmation {
        return Ok(redirect_with(&state, "/signalements/nouveau/envoye", Flash::success("flash-report-check-email")));
    }
    Ok(redirect_with(&state, &format!("/signalements/{}", filed.id), Flash::success("flash-report-filed")))
}

/// The answers to the category's extra questions, checked by the domain's
/// rule (`reports::check_answers`), each refusal on its question's field.
fn check_answers(chrome: &Chrome, form: &DetailsForm, errors: &mut FormErrors) {
    let Some(category) = chrome.config().reports.category(&form.place.category) else { return };
    if let Err(problems) = reports::check_answers(category, &form.answers) {
        for (code, problem) in problems {
            let label = category.question(&code).map(|q| q.label.clone()).unwrap_or_else(|| code.clone());
            errors.add(&question_field(&code), answer_error(chrome, &label, problem));
        }
    }
}

/// Why an answer is refused, naming the question.
pub fn answer_error(chrome: &Chrome, label: &str, problem: reports::AnswerProblem) -> String {
    let key = match problem {
        reports::AnswerProblem::Missing => "error-report-answer-missing",
        reports::AnswerProblem::NotANumber => "error-report-answer-number",
        reports::AnswerProblem::NotAChoice => "error-report-answer-choice",
        reports::AnswerProblem::TooLong => "error-report-answer-too-long",
    };
    chrome.lang.ta(key, &[("question", Arg::from(label)), ("max", Arg::from(reports::MAX_ANSWER as u64))])
}

/// A visitor's name and address, checked into the form's errors.
fn visitor(chrome: &Chrome, form: &DetailsForm, errors: &mut FormErrors) -> Option<Filer> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_VISITOR_NAME {
        errors.add("name", chrome.lang.ta("error-report-visitor-name", &[("max", Arg::from(MAX_VISITOR_NAME as u64))]));
    }
    let email = accounts::normalise_email(&form.email);
    if email.is_err() {
        errors.add("email", chrome.t("error-email"));
    }
    let email = email.ok()?;
    (!name.is_empty() && name.chars().count() <= MAX_VISITOR_NAME).then(|| Filer::Visitor {
        email,
        name: name.to_string(),
        lang: chrome.lang,
    })
}

/// `GET /signalements/nouveau/envoye`: a visitor's report waits for the
/// link just mailed to them.
#[poem::handler]
pub async fn sent(chrome: Chrome) -> Markup {
    let title = chrome.t("problem-sent-title");
    crate::web::layout::page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("problem-sent-text")) }
            p { a href="/signalements" { (chrome.t("reports-title")) } }
        },
    )
}
