//! The public read-only JSON API (`/api/v1/…`), its OpenAPI 3.1 document
//! (`/api/openapi.json`, [`openapi`]) and the page that documents it for
//! people (`/api`, [`page`]).
//!
//! Everything it answers is public, and what is public is decided by
//! `domain::publication` only: the handlers here read, filter and page,
//! never decide what may be shown. The conventions, the same on every
//! endpoint:
//! - lists are in the order of the records' ids, oldest first, and paged by
//!   an opaque `cursor` (the last id given, encoded): a record added later
//!   comes after every page already read, so a cursor keeps working while
//!   the commune posts; `limit` is 1 to [`MAX_LIMIT`] (default [`DEFAULT_LIMIT`]);
//! - an unknown parameter is refused (400), so that a misspelt filter never
//!   silently returns everything;
//! - every answer has an `ETag` (a hash of its body) and honours
//!   `If-None-Match` with a 304; one record that carries its own date of
//!   change also has `Last-Modified` and honours `If-Modified-Since`
//!   (lists do not: a record hidden by the moderators leaves a list without
//!   any date moving);
//! - errors are `{"error":{"status":…,"code":…,"message":…}}`;
//! - `Access-Control-Allow-Origin: *`: the data is public, any site may read it;
//! - each address gets a burst of requests then a steady pace
//!   (`ratelimit::Quota::ApiRead`), like the rest of the site's quotas.

pub mod endpoints;
pub mod openapi;
pub mod page;

use std::sync::Arc;
use std::time::Instant;

use poem::http::{header, HeaderMap, HeaderValue, StatusCode};
use poem::{Request, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::i18n::{Arg, Lang};
use crate::ratelimit::Quota;
use crate::store::StoreError;

/// The most records a page holds.
pub const MAX_LIMIT: usize = 100;
/// The records a page holds when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 20;

/// Why a call is refused; each maps to one status and one stable `code`.
#[derive(Debug)]
pub enum ApiError {
    /// 400: a parameter is not valid; the message says which.
    BadParameter { name: String },
    /// 400: a parameter this endpoint does not take.
    UnknownParameter { name: String },
    /// 404: no such record, or one that is not public.
    NotFound,
    /// 429: too many requests from this address; retry after this many seconds.
    TooMany { retry_after: u64 },
    /// 500: the database failed; the detail goes to the log only.
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// The error body, the same shape for every status.
#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    status: u16,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter { .. } | ApiError::UnknownParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadParameter { .. } => "bad-parameter",
            ApiError::UnknownParameter { .. } => "unknown-parameter",
            ApiError::NotFound => "not-found",
            ApiError::TooMany { .. } => "too-many-requests",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::BadParameter { name } => {
                lang.ta("api-error-bad-parameter", &[("name", Arg::from(name.as_str()))])
            }
            ApiError::UnknownParameter { name } => {
                lang.ta("api-error-unknown-parameter", &[("name", Arg::from(name.as_str()))])
            }
            ApiError::NotFound => lang.t("api-error-not-found"),
            ApiError::TooMany { retry_after } => lang.ta("api-error-too-many", &[("seconds", Arg::from(*retry_after))]),
            ApiError::Internal(_) => lang.t("api-error-internal"),
        }
    }

    /// The JSON answer; an internal error's detail goes to the log only.
    pub fn into_response(self, lang: Lang) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(error = %detail, "an API call failed");
        }
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail { status: status.as_u16(), code: self.code(), message: self.message(lang) },
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut resp = Response::builder().status(status).content_type(JSON).body(bytes);
        if let ApiError::TooMany { retry_after } = self {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        cors(resp.headers_mut());
        resp
    }
}

const JSON: &str = "application/json; charset=utf-8";

/// Headers that let any site read the answers (the data is public) and
/// its date and tag headers.
fn cors(h: &mut HeaderMap) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag, Last-Modified, Retry-After"));
}

/// `OPTIONS` on any API address: the CORS preflight a browser sends
/// before a GET with `If-None-Match` (not a "simple" header).
#[poem::handler]
pub fn preflight() -> Response {
    let mut resp = Response::builder().status(StatusCode::NO_CONTENT).finish();
    let h = resp.headers_mut();
    cors(h);
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match, If-Modified-Since"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    resp
}

/// The language of error messages: the caller's `Accept-Language`, else
/// the commune's.
pub fn lang_of(req: &Request, state: &AppState) -> Lang {
    req.header(header::ACCEPT_LANGUAGE).and_then(Lang::from_accept_language).unwrap_or(state.config.default_language)
}

/// Takes one request from the caller's quota.
fn take_quota(state: &AppState, ip: &str) -> Result<(), ApiError> {
    state
        .limiter
        .take(Quota::ApiRead, &format!("ip:{ip}"), Instant::now())
        .map_err(|wait| ApiError::TooMany { retry_after: wait.secs() })
}

/// What a handler built: the JSON body and, for one record, its date.
pub struct Built {
    pub body: Vec<u8>,
    pub last_modified: Option<i64>,
}

impl Built {
    pub fn json(value: &impl Serialize, last_modified: Option<i64>) -> Result<Built, ApiError> {
        let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Built { body, last_modified })
    }
}

/// Runs one API call: the quota, then `build`, then the conditional
/// headers (`ETag`, `Last-Modified`, 304) and CORS.
pub fn respond(
    req: &Request,
    state: &Arc<AppState>,
    ip: &str,
    build: impl FnOnce(&crate::store::ReadTx) -> Result<Built, ApiError>,
) -> Response {
    let lang = lang_of(req, state);
    let built = take_quota(state, ip).and_then(|()| {
        let tx = state.store.read()?;
        build(&tx)
    });
    match built {
        Ok(b) => conditional(req, b),
        Err(e) => e.into_response(lang),
    }
}

/// The tag of a body: its SHA-256, shortened (collisions between two
/// versions of one answer are what matters, 128 bits is plenty).
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// An instant as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(unix: i64) -> Option<String> {
    let ts = jiff::Timestamp::from_second(unix).ok()?;
    Some(ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

/// An HTTP date read back, `None` when it is not one (then ignored, as
/// RFC 9110 says).
pub fn parse_http_date(text: &str) -> Option<i64> {
    jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", text.trim())
        .ok()?
        .to_datetime()
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare
/// as strong ones, as a GET's comparison allows.
fn none_match(header_value: &str, etag: &str) -> bool {
    header_value.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// The 200 answer, or a 304 when the caller's copy is current.
/// `If-None-Match` wins over `If-Modified-Since` (RFC 9110, 13.2.2).
fn conditional(req: &Request, b: Built) -> Response {
    let etag = etag_of(&b.body);
    let last_modified = b.last_modified.and_then(http_date);
    let not_modified = match req.header(header::IF_NONE_MATCH) {
        Some(v) => none_match(v, &etag),
        None => match (req.header(header::IF_MODIFIED_SINCE).and_then(parse_http_date), b.last_modified) {
            (Some(since), Some(changed)) => changed <= since,
            _ => false,
        },
    };
    let mut resp = if not_modified {
        Response::builder().status(StatusCode::NOT_MODIFIED).finish()
    } else {
        Response::builder().status(StatusCode::OK).content_type(JSON).body(b.body)
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = last_modified.and_then(|d| HeaderValue::from_str(&d).ok()) {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Every use asks again (cheaply, with the tag): a record the
    // moderators hide must not stay in a shared cache.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    cors(h);
    resp
}

/// A page of records and the cursor of the next, `null` on the last.
#[derive(Serialize)]
pub struct Page<T: Serialize> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The parameters of a call, read from the query string, each checked
/// against the names the endpoint takes.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads the query string; a name outside `allowed` (or given twice) is refused.
    pub fn parse(req: &Request, allowed: &[&str]) -> Result<Params, ApiError> {
        Params::from_query(req.uri().query().unwrap_or(""), allowed)
    }

    /// [`Params::parse`] of a query string.
    pub fn from_query(query: &str, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            if !allowed.contains(&k.as_ref()) {
                return Err(ApiError::UnknownParameter { name: k.into_owned() });
            }
            if pairs.iter().any(|(name, _)| *name == k) {
                return Err(ApiError::BadParameter { name: k.into_owned() });
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `limit`: 1 to [`MAX_LIMIT`].
    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(DEFAULT_LIMIT),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(ApiError::BadParameter { name: "limit".into() }),
            },
        }
    }

    /// The id after which the page starts (0: the first page).
    pub fn after(&self, kind: &str) -> Result<u64, ApiError> {
        match self.get("cursor") {
            None => Ok(0),
            Some(c) => decode_cursor(kind, c).ok_or(ApiError::BadParameter { name: "cursor".into() }),
        }
    }

    /// `updated_since`: an RFC 3339 instant, or a date (midnight UTC).
    pub fn updated_since(&self) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.get("updated_since") else { return Ok(None) };
        if let Ok(ts) = v.parse::<jiff::Timestamp>() {
            return Ok(Some(ts.as_second()));
        }
        v.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| Some(z.timestamp().as_second()))
            .ok_or(ApiError::BadParameter { name: "updated_since".into() })
    }

    /// A text filter, when given.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A number filter, when given.
    pub fn number(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| ApiError::BadParameter { name: name.into() }),
        }
    }
}

/// The cursor after record `id` of a list of `kind`: opaque to callers
/// (they pass it back as it came), so its form may change without
/// breaking them; the kind in it refuses a cursor of another list.
pub fn encode_cursor(kind: &str, id: u64) -> String {
    hex::encode(format!("{kind}:{id}"))
}

pub fn decode_cursor(kind: &str, cursor: &str) -> Option<u64> {
    let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
    let (k, id) = text.split_once(':')?;
    if k != kind {
        return None;
    }
    id.parse().ok()
}

/// One page of a list: `candidates` in ascending id order, from after
/// `after`, each turned into its public form by `publish` (`None`: left
/// out), until `limit` are found. The next cursor is set only when another
/// record follows.
pub fn paginate<T: Serialize>(
    kind: &str,
    candidates: impl IntoIterator<Item = u64>,
    after: u64,
    limit: usize,
    mut publish: impl FnMut(u64) -> Result<Option<T>, ApiError>,
) -> Result<Page<T>, ApiError> {
    let mut data = Vec::with_capacity(limit);
    let mut last = after;
    let mut next_cursor = None;
    for id in candidates.into_iter().filter(|id| *id > after) {
        let Some(item) = publish(id)? else { continue };
        if data.len() == limit {
            next_cursor = Some(encode_cursor(kind, last));
            break;
        }
        data.push(item);
        last = id;
    }
    Ok(Page { data, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_only_for_its_own_list() {
        let c = encode_cursor("proposals", 42);
        assert_eq!(decode_cursor("proposals", &c), Some(42));
        assert_eq!(decode_cursor("reports", &c), None);
        assert_eq!(decode_cursor("proposals", "zz"), None);
        assert_eq!(decode_cursor("proposals", &hex::encode("proposals:x")), None);
    }

    #[test]
    fn http_dates_read_back() {
        let d = http_date(784_111_777).unwrap();
        assert_eq!(d, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date(&d), Some(784_111_777));
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_star() {
        assert!(none_match("\"a\", \"b\"", "\"b\""));
        assert!(none_match("W/\"b\"", "\"b\""));
        assert!(none_match("*", "\"b\""));
        assert!(!none_match("\"a\"", "\"b\""));
    }

    #[test]
    fn a_page_skips_what_is_not_published_and_says_where_to_go_on() {
        let ids = [1u64, 2, 3, 4, 5, 6];
        // Even ids are "hidden".
        let publish = |id: u64| Ok::<_, ApiError>((id % 2 == 1).then_some(id));
        let first = paginate("t", ids, 0, 2, publish).unwrap();
        assert_eq!(first.data, vec![1, 3]);
        let after = decode_cursor("t", first.next_cursor.as_deref().unwrap()).unwrap();
        let second = paginate("t", ids, after, 2, publish).unwrap();
        assert_eq!(second.data, vec![5]);
        assert_eq!(second.next_cursor, None);
    }
}
