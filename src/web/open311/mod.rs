//! The Open311 GeoReport v2 server (`/open311/v2/`), so that existing
//! Open311 apps and the commune's other tools can read the public reports
//! and file new ones: `discovery`, `services`, `services/{code}`,
//! `requests` (GET with the standard filters, POST with an API key from
//! `[[open311.clients]]`), `requests/{id}` and `tokens/{id}`, each in JSON
//! and XML (`.json` / `.xml`), with the field names, roots, date format and
//! error bodies the specification writes (http://wiki.open311.org/GeoReport_v2).
//!
//! One service per category (`service_code` = its code); a request is a
//! public report (one waiting for its author's confirmation never shows);
//! `open`/`closed` come from the status kinds (fixed counts as closed).
//! The GETs carry `Access-Control-Allow-Origin: *` for web clients. The
//! POST is authenticated by its `api_key`, not a session, so it is outside
//! the CSRF check (`web::middleware::csrf`).

pub mod doc;

use std::sync::Arc;

use poem::http::{header, HeaderValue, StatusCode};
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use self::doc::Val;
use crate::app::AppState;
use crate::config::Config;
use crate::domain::addresses;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::reports::open311::{self as api, RequestsQuery};
use crate::domain::reports::{self, Filer, NewReport, ProblemReport, ReportError, ReportId};
use crate::i18n::Arg;
use crate::store::StoreError;
use crate::web::auth::ClientIp;

/// The path every endpoint is under.
pub const BASE: &str = "/open311/v2";
/// The only path the API takes a POST at (`requests.json`/`.xml`); the
/// CSRF check lets it through, and nothing else under it takes a POST.
pub const POST_PREFIX: &str = "/open311/v2/requests.";

/// The two formats, chosen by the path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `"requests.json"` → (`"requests"`, JSON); no known extension: `None`.
    pub fn split(name: &str) -> Option<(&str, Format)> {
        if let Some(stem) = name.strip_suffix(".json") {
            Some((stem, Format::Json))
        } else {
            name.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
        }
    }
}

/// Why a call is refused, each with the status the specification gives.
#[derive(Debug)]
pub enum Open311Error {
    /// 400: a parameter is missing or wrong; the text says which.
    BadRequest(String),
    /// 403: no API key, or not one of `[[open311.clients]]`.
    BadApiKey,
    /// 404: no such service, request or token (or a service without
    /// extra questions, which has no definition).
    NotFound(String),
    /// 500: the database failed; the detail goes to the log only.
    Internal(String),
}

impl From<StoreError> for Open311Error {
    fn from(e: StoreError) -> Self {
        Open311Error::Internal(e.to_string())
    }
}

/// Builds answers in one format, with the texts in the commune's language.
struct Answer<'a> {
    config: &'a Config,
    format: Format,
}

impl Answer<'_> {
    fn t(&self, key: &str) -> String {
        self.config.default_language.t(key)
    }

    fn ta(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        self.config.default_language.ta(key, args)
    }

    fn ok(&self, root: &str, doc: &Val) -> Response {
        self.render(StatusCode::OK, root, doc)
    }

    fn render(&self, status: StatusCode, root: &str, doc: &Val) -> Response {
        let (body, content_type) = match self.format {
            Format::Json => (doc.to_json().to_string(), "application/json; charset=utf-8"),
            Format::Xml => (doc.to_xml(root), "text/xml; charset=utf-8"),
        };
        let mut resp = Response::builder().status(status).content_type(content_type).body(body);
        // Read by web apps on other sites: the data is public anyway.
        resp.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        resp
    }

    /// `[{"code":…,"description":…}]`, or `<errors><error>…` in XML.
    fn error(&self, e: Open311Error) -> Response {
        let (status, description) = match e {
            Open311Error::BadRequest(text) => (StatusCode::BAD_REQUEST, text),
            Open311Error::BadApiKey => (StatusCode::FORBIDDEN, self.t("open311-error-api-key")),
            Open311Error::NotFound(text) => (StatusCode::NOT_FOUND, text),
            Open311Error::Internal(detail) => {
                tracing::error!(error = %detail, "an Open311 call failed");
                (StatusCode::INTERNAL_SERVER_ERROR, self.t("open311-error-internal"))
            }
        };
        let doc = Val::List(
            "error",
            vec![Val::Obj(vec![
                ("code", Val::Int(i64::from(status.as_u16()))),
                ("description", Val::Text(description)),
            ])],
        );
        self.render(status, "errors", &doc)
    }

    fn result(&self, root: &str, done: Result<Val, Open311Error>) -> Response {
        match done {
            Ok(doc) => self.ok(root, &doc),
            Err(e) => self.error(e),
        }
    }
}

/// A time as the specification writes it: W3C, with the commune's offset
/// (`2026-11-30T14:05:00+01:00`).
pub fn datetime(unix: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return String::new() };
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned(tz).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A `start_date` / `end_date`: a W3C date-time with its offset (or `Z`),
/// or a plain date, taken as the start of that day in Paris.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    date.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

fn endpoint_url(config: &Config) -> String {
    format!("{}{BASE}", config.server.public_url.as_str().trim_end_matches('/'))
}

/// `GET /open311/v2/{name}`: `discovery`, `services` or `requests`, each
/// `.json` or `.xml` (one route, as the router matches whole segments).
#[poem::handler]
pub async fn top(
    state: Data<&Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Query<RequestsParams>,
) -> Response {
    let config = &state.config;
    match Format::split(&name) {
        Some(("discovery", format)) => Answer { config, format }.ok("discovery", &discovery(config)),
        Some(("services", format)) => Answer { config, format }.ok("services", &services(config)),
        Some(("requests", format)) => {
            let answer = Answer { config, format };
            answer.result("service_requests", requests(&state, &answer, &params))
        }
        Some((_, format)) => not_found(config, format),
        None => not_found(config, Format::Json),
    }
}

fn not_found(config: &Config, format: Format) -> Response {
    let answer = Answer { config, format };
    answer.error(Open311Error::NotFound(answer.t("open311-error-not-found")))
}

/// The discovery document: where this API is, and in which formats.
fn discovery(config: &Config) -> Val {
    // The date this endpoint's behaviour last changed.
    let changeset = "2026-11-30T00:00:00+01:00";
    Val::Obj(vec![
        ("changeset", Val::text(changeset)),
        ("contact", Val::text(config.legal.dpo_email.clone().unwrap_or_default())),
        ("key_service", Val::text(config.default_language.t("open311-key-service"))),
        (
            "endpoints",
            Val::List(
                "endpoint",
                vec![Val::Obj(vec![
                    ("specification", Val::text("http://wiki.open311.org/GeoReport_v2")),
                    ("url", Val::text(endpoint_url(config))),
                    ("changeset", Val::text(changeset)),
                    ("type", Val::text("production")),
                    ("formats", Val::List("format", vec![Val::text("text/xml"), Val::text("application/json")])),
                ])],
            ),
        ),
    ])
}

/// One service per category: its code, name, hint as description, whether
/// it asks extra questions (`metadata`: then `services/{code}` defines
/// them), realtime (filed at once).
fn service(config: &Config, c: &crate::config::Category) -> Val {
    let group = config.reports.service(&c.service).map(|s| s.name.clone()).unwrap_or_default();
    Val::Obj(vec![
        ("service_code", Val::text(c.code.clone())),
        ("service_name", Val::text(c.name.clone())),
        ("description", Val::text(c.hint.clone())),
        ("metadata", Val::Bool(!c.questions.is_empty())),
        ("type", Val::text("realtime")),
        ("keywords", Val::text("")),
        ("group", Val::text(group)),
    ])
}

/// The list of services.
fn services(config: &Config) -> Val {
    Val::List("service", config.reports.categories.iter().map(|c| service(config, c)).collect())
}

/// `GET /open311/v2/services/{code}.{json,xml}`: the definition of a
/// service with extra questions (`metadata` true): its `attributes`, one
/// per question, as the specification writes them; a service without
/// questions has none (404, saying so).
#[poem::handler]
pub async fn service_definition(state: Data<&Arc<AppState>>, Path(name): Path<String>) -> Response {
    let config = &state.config;
    let Some((code, format)) = Format::split(&name) else {
        return not_found(config, Format::Json);
    };
    let answer = Answer { config, format };
    let text = match config.reports.category(code) {
        Some(c) if !c.questions.is_empty() => return answer.ok("service_definition", &definition(c)),
        Some(_) => answer.ta("open311-error-no-definition", &[("code", Arg::from(code))]),
        None => answer.ta("open311-error-unknown-service", &[("code", Arg::from(code))]),
    };
    answer.error(Open311Error::NotFound(text))
}

/// A category's questions as a service definition: each `attribute` is
/// `variable` (the client asks it), `string`, `number` or
/// `singlevaluelist` (with its `values`, each key and name), in order from 1.
fn definition(c: &crate::config::Category) -> Val {
    use crate::config::QuestionKind;
    let attributes = c
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let datatype = match q.kind {
                QuestionKind::Text => "string",
                QuestionKind::Number => "number",
                QuestionKind::Choice(_) => "singlevaluelist",
            };
            let mut fields = vec![
                ("variable", Val::Bool(true)),
                ("code", Val::text(q.code.clone())),
                ("datatype", Val::text(datatype)),
                ("required", Val::Bool(q.required)),
                ("datatype_description", Val::opt(Some(q.hint.clone()).filter(|h| !h.is_empty()))),
                ("order", Val::Int(i as i64 + 1)),
                ("description", Val::text(q.label.clone())),
            ];
            if let QuestionKind::Choice(values) = &q.kind {
                let values = values
                    .iter()
                    .map(|v| Val::Obj(vec![("key", Val::text(v.clone())), ("name", Val::text(v.clone()))]))
                    .collect();
                fields.push(("values", Val::List("value", values)));
            }
            Val::Obj(fields)
        })
        .collect();
    Val::Obj(vec![("service_code", Val::text(c.code.clone())), ("attributes", Val::List("attribute", attributes))])
}

/// A report as an Open311 service request.
fn request(state: &AppState, tx: &crate::store::ReadTx, r: &ProblemReport) -> Result<Val, Open311Error> {
    let config = &state.config;
    let category = config.reports.category(&r.category);
    let agency = category.and_then(|c| config.reports.service(&c.service)).map(|s| s.name.clone());
    let (lat, lon) = r.position();
    let base = config.server.public_url.as_str().trim_end_matches('/');
    Ok(Val::Obj(vec![
        ("service_request_id", Val::Int(r.id.get() as i64)),
        ("status", Val::text(if r.is_open(&config.reports) { "open" } else { "closed" })),
        ("status_notes", Val::opt(api::latest_note(tx, r.id)?)),
        ("service_name", Val::text(category.map(|c| c.name.clone()).unwrap_or_else(|| r.category.clone()))),
        ("service_code", Val::text(r.category.clone())),
        ("description", Val::text(r.description.clone())),
        ("agency_responsible", Val::opt(agency)),
        ("service_notice", Val::Null),
        ("requested_datetime", Val::text(datetime(r.created_at))),
        ("updated_datetime", Val::text(datetime(r.updated_at))),
        ("expected_datetime", Val::Null),
        ("address", Val::opt(r.address.clone())),
        ("address_id", Val::Null),
        ("zipcode", Val::Null),
        ("lat", Val::Float(lat)),
        ("long", Val::Float(lon)),
        (
            "media_url",
            Val::opt(reports::shown_photos(tx, r)?.first().map(|f| format!("{base}/signalements/photos/{f}"))),
        ),
    ]))
}

/// The filters of `GET requests`, as sent.
#[derive(Deserialize, Default)]
pub struct RequestsParams {
    service_request_id: Option<String>,
    service_code: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
}

fn query_of(answer: &Answer<'_>, p: &RequestsParams) -> Result<RequestsQuery, Open311Error> {
    let bad =
        |key: &str, value: &str| Open311Error::BadRequest(answer.ta(key, &[("value", Arg::from(value.to_string()))]));
    let mut q = RequestsQuery::default();
    if let Some(ids) = p.service_request_id.as_deref().filter(|s| !s.trim().is_empty()) {
        let mut parsed = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            parsed.push(ReportId(id.parse().map_err(|_| bad("open311-error-request-id", id))?));
        }
        q.ids = Some(parsed);
    }
    q.category = p.service_code.clone().filter(|s| !s.trim().is_empty());
    if let Some(code) = &q.category {
        if answer.config.reports.category(code).is_none() {
            let text = answer.ta("open311-error-unknown-service", &[("code", Arg::from(code.as_str()))]);
            return Err(Open311Error::BadRequest(text));
        }
    }
    for (raw, slot) in [(&p.start_date, &mut q.from), (&p.end_date, &mut q.to)] {
        if let Some(text) = raw.as_deref().filter(|s| !s.trim().is_empty()) {
            *slot = Some(parse_datetime(text).ok_or_else(|| bad("open311-error-date", text))?);
        }
    }
    q.open = match p.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(other) => return Err(bad("open311-error-status", other)),
    };
    // Without dates, the last 90 days, as the specification's default.
    if q.ids.is_none() && q.from.is_none() && q.to.is_none() {
        q.from = Some(now_unix() - 90 * 86_400);
    }
    Ok(q)
}

/// The requests the filters choose.
fn requests(state: &AppState, answer: &Answer<'_>, params: &RequestsParams) -> Result<Val, Open311Error> {
    let q = query_of(answer, params)?;
    let tx = state.store.read()?;
    let found = api::requests(&tx, &state.config.reports, &q)?;
    let items = found.iter().map(|r| request(state, &tx, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(Val::List("request", items))
}

/// `GET /open311/v2/requests/{id}.{json,xml}`: a list of one, as the
/// specification answers.
#[poem::handler]
pub async fn request_one(state: Data<&Arc<AppState>>, Path(name): Path<String>) -> Response {
    let config = &state.config;
    let Some((id, format)) = Format::split(&name) else {
        return not_found(config, Format::Json);
    };
    let answer = Answer { config, format };
    let done = (|| {
        let missing = || Open311Error::NotFound(answer.ta("open311-error-no-request", &[("id", Arg::from(id))]));
        let id: u64 = id.parse().map_err(|_| missing())?;
        let tx = state.store.read()?;
        let r = reports::get_public(&tx, ReportId(id))?.ok_or_else(missing)?;
        Ok(Val::List("request", vec![request(&state, &tx, &r)?]))
    })();
    answer.result("service_requests", done)
}

/// `GET /open311/v2/tokens/{token}.{json,xml}`: Parvis files a request
/// at once and answers its id, never a token to wait on; a client that asks
/// anyway with the id it got back finds the request under that token.
#[poem::handler]
pub async fn token(state: Data<&Arc<AppState>>, Path(name): Path<String>) -> Response {
    let config = &state.config;
    let Some((token, format)) = Format::split(&name) else {
        return not_found(config, Format::Json);
    };
    let answer = Answer { config, format };
    let done = (|| {
        let missing = || Open311Error::NotFound(answer.ta("open311-error-no-token", &[("token", Arg::from(token))]));
        let id: u64 = token.parse().map_err(|_| missing())?;
        let tx = state.store.read()?;
        let r = reports::get_public(&tx, ReportId(id))?.ok_or_else(missing)?;
        Ok(Val::List(
            "request",
            vec![Val::Obj(vec![
                ("service_request_id", Val::Int(r.id.get() as i64)),
                ("token", Val::text(token.to_string())),
            ])],
        ))
    })();
    answer.result("service_requests", done)
}

/// The parameters of `POST requests` Parvis reads. The reporter's own
/// `email`, `first_name`, `last_name` and `phone` are not kept: the
/// client's system is where that person is known, and the report is shown
/// as the client's; `media_url` is refused, since a photo is re-encoded
/// from the file itself, never fetched from a link.
#[derive(Default)]
pub struct PostParams {
    api_key: Option<String>,
    service_code: Option<String>,
    lat: Option<String>,
    long: Option<String>,
    address_string: Option<String>,
    description: Option<String>,
    media_url: Option<String>,
    /// `attribute[code]=value`: the answers to the service's questions.
    attributes: Vec<(String, String)>,
}

impl PostParams {
    /// From the form's pairs, as sent: `attribute[code]` names are not a
    /// fixed set of fields.
    fn from_pairs(pairs: Vec<(String, String)>) -> PostParams {
        let mut p = PostParams::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "api_key" => &mut p.api_key,
                "service_code" => &mut p.service_code,
                "lat" => &mut p.lat,
                "long" => &mut p.long,
                "address_string" => &mut p.address_string,
                "description" => &mut p.description,
                "media_url" => &mut p.media_url,
                other => {
                    if let Some(code) = other.strip_prefix("attribute[").and_then(|r| r.strip_suffix(']')) {
                        p.attributes.push((code.to_string(), value));
                    }
                    continue;
                }
            };
            *slot = Some(value);
        }
        p
    }
}

/// `POST /open311/v2/requests.{json,xml}`: files a report as the client
/// whose `api_key` it is; it is public and routed at once.
#[poem::handler]
pub async fn create(
    state: Data<&Arc<AppState>>,
    Path(name): Path<String>,
    ClientIp(ip): ClientIp,
    params: poem::Result<Form<Vec<(String, String)>>>,
) -> Response {
    let config = &state.config;
    let format = match Format::split(&name) {
        Some(("requests", format)) => format,
        Some((_, format)) => return not_found(config, format),
        None => return not_found(config, Format::Json),
    };
    let answer = Answer { config, format };
    // Not a form (JSON, an unreadable body): the specification's error, not a page.
    let Ok(Form(params)) = params else {
        return answer.error(Open311Error::BadRequest(answer.t("open311-error-form")));
    };
    let done = file(&state, &answer, PostParams::from_pairs(params), ip).await;
    let done = done.map(|id| {
        Val::List(
            "request",
            vec![Val::Obj(vec![
                ("service_request_id", Val::Int(id.get() as i64)),
                ("service_notice", Val::Null),
                ("account_id", Val::Null),
            ])],
        )
    });
    answer.result("service_requests", done)
}

async fn file(state: &Arc<AppState>, answer: &Answer<'_>, p: PostParams, ip: String) -> Result<ReportId, Open311Error> {
    let config = &state.config;
    let client = p.api_key.as_deref().and_then(|k| config.open311.client(k)).ok_or(Open311Error::BadApiKey)?;
    let bad = |key: &str| Open311Error::BadRequest(answer.t(key));
    if p.media_url.as_deref().is_some_and(|m| !m.trim().is_empty()) {
        return Err(bad("open311-error-media-url"));
    }
    let code = p
        .service_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("open311-error-service-code"))?;
    let Some(category) = config.reports.category(code) else {
        return Err(Open311Error::BadRequest(answer.ta("open311-error-unknown-service", &[("code", Arg::from(code))])));
    };
    // The same rule as the form's, told before anything is looked up.
    if let Err(problems) = reports::check_answers(category, &p.attributes) {
        let lines: Vec<String> =
            problems.into_iter().map(|(code, problem)| attribute_error(answer, &code, problem)).collect();
        return Err(Open311Error::BadRequest(lines.join(" ")));
    }
    let description = p.description.unwrap_or_default();
    let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut address = text(&p.address_string);
    let (lat, lon) = match (text(&p.lat), text(&p.long)) {
        (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon)) if lat.is_finite() && lon.is_finite() => (lat, lon),
            _ => return Err(bad("open311-error-position")),
        },
        (None, None) => {
            let typed = address.clone().ok_or_else(|| bad("open311-error-location"))?;
            let found =
                addresses::geocode(&state.store.read()?, &typed)?.ok_or_else(|| bad("open311-error-address"))?;
            address = Some(found.label());
            (found.lat, found.lon)
        }
        _ => return Err(bad("open311-error-position")),
    };
    let new = NewReport {
        author: Filer::Open311 { client: client.name.clone() },
        category: code.to_string(),
        lat,
        lon,
        address,
        neighbourhood: None,
        description,
        photos: Vec::new(),
        show_name: true,
        answers: p.attributes,
    };
    let (state2, notifier) = (state.clone(), crate::web::reports::notifier(state));
    let actor = Actor::anonymous(ip);
    // A refusal rolls the write back (the writer aborts on an error).
    let filed =
        state.store.write(move |tx| reports::file(tx, &state2.config, &notifier, &actor, &new, now_unix())).await;
    filed.map(|f| f.id).map_err(|e| refusal(answer, e))
}

/// Why an `attribute[code]` is refused.
fn attribute_error(answer: &Answer<'_>, code: &str, problem: reports::AnswerProblem) -> String {
    let key = match problem {
        reports::AnswerProblem::Missing => "open311-error-attribute-missing",
        reports::AnswerProblem::NotANumber => "open311-error-attribute-number",
        reports::AnswerProblem::NotAChoice => "open311-error-attribute-choice",
        reports::AnswerProblem::TooLong => "open311-error-attribute-too-long",
    };
    answer.ta(key, &[("code", Arg::from(code)), ("max", Arg::from(reports::MAX_ANSWER as u64))])
}

/// A refusal of the domain as the API's 400 with its reason (or 500).
fn refusal(answer: &Answer<'_>, e: ReportError) -> Open311Error {
    let key = match e {
        ReportError::OutsideCommune => "open311-error-outside",
        ReportError::Empty => "open311-error-description",
        ReportError::TooLong => "open311-error-too-long",
        ReportError::UnknownCategory => "open311-error-service-code",
        ReportError::BadAnswer { question, problem } => {
            return Open311Error::BadRequest(attribute_error(answer, &question, problem))
        }
        ReportError::NotFound
        | ReportError::UnknownStatus
        | ReportError::UnknownNeighbourhood
        | ReportError::TooManyPhotos
        | ReportError::Closed
        | ReportError::BadEmail
        | ReportError::BadName
        | ReportError::SameReport
        | ReportError::NoSuchOriginal
        | ReportError::NotStaff
        | ReportError::AlreadyDone
        | ReportError::LinkInvalid
        | ReportError::AlreadyAnswered => {
            return Open311Error::Internal(format!("unexpected refusal of an Open311 report: {e}"))
        }
        ReportError::Random(detail) => return Open311Error::Internal(detail),
        ReportError::Store(s) => return Open311Error::Internal(s.to_string()),
    };
    if key == "open311-error-outside" {
        return Open311Error::BadRequest(
            answer.ta(key, &[("commune", Arg::from(answer.config.commune.name.as_str()))]),
        );
    }
    Open311Error::BadRequest(answer.t(key))
}
