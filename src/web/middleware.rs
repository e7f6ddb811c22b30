//! The middleware stack, outermost first: request context and access log,
//! security headers, error pages, CSRF check. Each is a plain async function
//! mounted with `EndpointExt::around` in `server::routes`.

use std::sync::Arc;
use std::time::Instant;

use poem::http::header::{self, HeaderValue};
use poem::http::{Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};

use super::chrome::{self, Chrome};
use super::errors::{message_keys, AppError};
use super::{csrf, layout};
use crate::app::AppState;

/// The id of a request, shown on error pages and written in the log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The CSRF cookie of this browser; `fresh` when this request did not carry
/// one; `session`, the hash of the session's token, which the form tokens
/// are tied to once signed in (or waiting for the second factor).
#[derive(Clone, Debug)]
pub struct CsrfCookie {
    pub value: String,
    pub fresh: bool,
    pub session: Option<crate::domain::sessions::TokenHash>,
}

impl CsrfCookie {
    /// The token this request's forms carry.
    pub fn token(&self, key: &[u8; 32]) -> String {
        csrf::token_for(key, &self.value, self.session.as_ref())
    }
}

/// Marks the response made by `CatchPanic`, so that it gets the 500 page;
/// holds the panic's message, for the log.
#[derive(Clone, Debug)]
pub struct Panicked(pub String);

/// The answer `CatchPanic` gives when a handler panics: a bare 500 marked
/// [`Panicked`], which [`errors`] turns into the translated page.
pub fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast_ref::<&'static str>().map(|s| s.to_string()).unwrap_or_default(),
    };
    let mut resp = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    resp.extensions_mut().insert(Panicked(message));
    resp
}

fn state_of(req: &Request) -> Result<Arc<AppState>, poem::Error> {
    req.data::<Arc<AppState>>().cloned().ok_or_else(|| AppError::Internal("no state".into()).into())
}

fn new_request_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = csrf::random_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Gives the request an id and its CSRF cookie, and writes one log line per
/// request (never the query string, which may carry tokens).
pub async fn access_log<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let state = state_of(&req)?;
    let started = Instant::now();
    let id = new_request_id();
    req.extensions_mut().insert(RequestId(id.clone()));
    let cookie_name = csrf::cookie_name(state.is_https());
    let carried =
        chrome::cookie(&req, cookie_name).filter(|v| v.len() >= 32 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let is_asset = is_static(req.uri().path());
    let csrf_cookie = match carried {
        Some(value) => CsrfCookie { value, fresh: false, session: None },
        // An asset never gets the cookie (see below): no value to draw. A
        // fresh cookie is refused by the CSRF check whatever its value.
        None if is_asset => CsrfCookie { value: String::new(), fresh: true, session: None },
        None => CsrfCookie { value: csrf::new_cookie_value(), fresh: true, session: None },
    };
    let had_flash = chrome::cookie(&req, chrome::FLASH_COOKIE).is_some();
    if !is_asset {
        super::auth::attach_session(&mut req, &state);
    }
    let session = req
        .extensions()
        .get::<super::auth::Viewer>()
        .map(|v| v.token_hash)
        .or_else(|| req.extensions().get::<super::auth::PendingSignIn>().map(|p| p.token_hash));
    let has_session = session.is_some();
    req.extensions_mut().insert(CsrfCookie { session, ..csrf_cookie.clone() });
    let method = req.method().clone();
    let path = req.uri().path().to_string();

    let mut resp = match next.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };

    if csrf_cookie.fresh && !is_asset {
        let secure = if state.is_https() { "; Secure" } else { "" };
        let cookie = format!("{cookie_name}={}; Path=/; HttpOnly; SameSite=Lax{secure}", csrf_cookie.value);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if (has_session || sets_cookie(&resp, super::auth::session_cookie_name(state.is_https()))) && !is_public(&resp) {
        // What a signed-in person sees (recovery codes, the TOTP secret,
        // personal data) must not stay in a shared computer's browser cache
        // or a proxy's.
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if had_flash && !is_asset && resp.status() == StatusCode::OK && !sets_cookie(&resp, chrome::FLASH_COOKIE) {
        // The message was shown on this page: forget it.
        let clear = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", chrome::FLASH_COOKIE);
        if let Ok(v) = HeaderValue::from_str(&clear) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let micros = started.elapsed().as_micros() as u64;
    state.http_metrics.observe(resp.status().as_u16(), micros);
    tracing::info!(
        target: "parvis::access",
        request_id = %id,
        method = %method,
        path = %path,
        status = resp.status().as_u16(),
        micros,
    );
    Ok(resp)
}

/// Paths that never need a session or a CSRF cookie.
fn is_static(path: &str) -> bool {
    path.starts_with("/assets/")
        || path.starts_with("/theme/")
        || path.starts_with("/logo/")
        || path.starts_with("/tuiles/")
        || path == "/healthz"
        // The widget, shown on the commune's own website, sets no cookie.
        || path == super::launch::widget::PATH
}

/// A response that says itself that it is the same for everyone (a photo
/// named by its content), and keeps its long cache.
fn is_public(resp: &Response) -> bool {
    resp.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("public"))
}

fn sets_cookie(resp: &Response, name: &str) -> bool {
    resp.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with(&format!("{name}="))))
}

/// Strict security headers on every response.
pub async fn security_headers<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let state = state_of(&req)?;
    // The widget alone may be framed, by the origins the config lists.
    let widget = req.uri().path() == super::launch::widget::PATH;
    let mut resp = next.call(req).await?.into_response();
    let h = resp.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    let origins = &state.config.widget_allowed_origins;
    if widget {
        set("content-security-policy", &super::launch::widget::content_security_policy(origins));
    } else {
        set("content-security-policy", &state.csp);
    }
    set("x-content-type-options", "nosniff");
    // X-Frame-Options cannot name several origins: the CSP says which,
    // and browsers that read it ignore this header.
    if !widget || origins.is_empty() {
        set("x-frame-options", "DENY");
    }
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set("permissions-policy", "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)");
    if state.is_https() {
        // Two years, as recommended for preload; sub-domains are left out on
        // purpose: a commune's domain often has other, older sites.
        set("strict-transport-security", "max-age=63072000");
    }
    Ok(resp)
}

/// The Content-Security-Policy: nothing inline, nothing from elsewhere.
/// Map tiles come through this site too (`/tuiles/…`, see `crate::tiles`),
/// so that residents' browsers never contact a third party.
pub fn content_security_policy() -> String {
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'"
        .to_string()
}

/// Turns errors (and panics) into translated pages with the request id; the
/// detail of server errors goes to the log only.
pub async fn errors<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    // The form token (an HMAC) only when an error page needs it: every
    // request passes here, and few fail.
    let chrome = Chrome::without_token(&req);
    let cookie = req.extensions().get::<CsrfCookie>().cloned();
    let method = req.method().clone();
    let may_have_body = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let result = next.call(req).await.map(IntoResponse::into_response);
    if may_have_body && result.is_err() {
        let resp = error_response(chrome, cookie, &method, result).await;
        return resp.map(close_connection);
    }
    error_response(chrome, cookie, &method, result).await
}

/// Asks the client not to send another request on this connection.
///
/// A refused request may not have had its body read (a multipart upload
/// refused for its CSRF token, a form too large, a sign-in required). The
/// HTTP server then closes the connection after the answer if the rest of the
/// body has not arrived yet, and a client that reuses the connection for its
/// next request finds it gone ("peer disconnected"): said in the answer, the
/// client opens a new one instead.
fn close_connection(mut resp: Response) -> Response {
    resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

async fn error_response(
    chrome: Option<Chrome>,
    cookie: Option<CsrfCookie>,
    method: &Method,
    result: poem::Result<Response>,
) -> poem::Result<Response> {
    let status = match &result {
        Ok(_) => StatusCode::OK,
        Err(e) => e.status(),
    };
    let busy = result.as_ref().err().is_some_and(|e| matches!(e.downcast_ref::<AppError>(), Some(AppError::Busy)));
    if let Err(e) = &result {
        match e.downcast_ref::<AppError>() {
            Some(AppError::SignInRequired(next)) => {
                let target = format!(
                    "/connexion?suivant={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return Ok(poem::web::Redirect::see_other(target).into_response());
            }
            Some(AppError::ReauthRequired(next)) => {
                let target = format!(
                    "/compte/confirmer-identite?suivant={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return Ok(poem::web::Redirect::see_other(target).into_response());
            }
            Some(AppError::PasswordChangeRequired) => {
                return Ok(poem::web::Redirect::see_other(super::auth::CHANGE_PASSWORD_PAGE).into_response());
            }
            Some(AppError::TwoFactorRequired) => {
                let https = chrome.as_ref().is_some_and(|c| c.state.is_https());
                let mut resp = poem::web::Redirect::see_other("/compte/double-authentification").into_response();
                if let Ok(v) = HeaderValue::from_str(&chrome::Flash::info("flash-two-factor-required").to_cookie(https))
                {
                    resp.headers_mut().append(header::SET_COOKIE, v);
                }
                return Ok(resp);
            }
            _ => {}
        }
    }
    let (status, keys) = match result {
        Ok(r) => {
            let r = r.into_response();
            let Some(Panicked(message)) = r.extensions().get::<Panicked>() else {
                return Ok(r);
            };
            tracing::error!(request_id = %chrome.as_ref().map(|c| c.request_id.as_str()).unwrap_or(""), panic = %message, "a handler panicked");
            (StatusCode::INTERNAL_SERVER_ERROR, message_keys(StatusCode::INTERNAL_SERVER_ERROR, None))
        }
        Err(e) => {
            if status.is_server_error() {
                tracing::error!(request_id = %chrome.as_ref().map(|c| c.request_id.as_str()).unwrap_or(""), error = %e, "request failed");
            }
            (status, message_keys(status, e.downcast_ref::<AppError>()))
        }
    };
    let Some(chrome) = chrome else {
        return Ok(status.into_response());
    };
    let chrome = chrome.with_token(cookie.as_ref());
    let (title_key, text_key) = keys;
    let lang = chrome.lang;
    let page = layout::error_page(&chrome, &lang.t(title_key), &lang.t(text_key));
    let mut out = page.into_response();
    out.set_status(status);
    if busy {
        out.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(crate::ratelimit::Busy::RETRY_AFTER_SECS));
    }
    if *method == Method::HEAD {
        out.set_body(());
    }
    Ok(out)
}

/// Refuses every state-changing request without a valid CSRF token.
///
/// URL-encoded forms carry the token in the `_csrf` field. Multipart forms
/// (photo uploads) carry it as their first field, never in the address,
/// where it would reach access logs and the `Referer` of the next page.
/// Any other body type is refused: Parvis has no cross-site API.
///
/// The multipart token is checked here rather than by the handler, so that
/// every state change keeps one gate a new handler cannot forget: only the
/// first part is read (a few KiB at most, see [`multipart_token`]) and put
/// back in front of the rest, which streams on to the handler unread.
pub async fn csrf<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(next.call(req).await?.into_response());
    }
    let state = state_of(&req)?;
    let content_type = req.content_type().unwrap_or("").to_ascii_lowercase();
    let multipart = content_type.starts_with("multipart/form-data");
    if multipart && announced_length(&req).is_some_and(|n| n > MAX_MULTIPART_BYTES) {
        // Said before a byte is read: a 50 MB "photo" costs nothing.
        return Err(AppError::TooLarge.into());
    }
    // The form is read whole before any check, so that a refusal leaves
    // nothing unread on the connection (see `errors` for the other bodies).
    let form = if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = req
            .take_body()
            .into_bytes_limit(MAX_FORM_BYTES)
            .await
            // Its own status: 413 when too large, 400 when the client stopped sending.
            .map_err(poem::Error::from)?;
        req.set_body(body.clone());
        Some(body)
    } else {
        None
    };
    // The Open311 API authenticates each call by its api_key, never by a
    // session cookie, so a forged cross-site request gains nothing there
    // (its form was read above within the same size limit).
    if req.uri().path().starts_with(crate::web::open311::POST_PREFIX) {
        return Ok(next.call(req).await?.into_response());
    }
    // A consultation's stop link is authorised by its own signature, and a
    // mail client's one-click POST (RFC 8058) has no cookie or token.
    if crate::web::consultations::unsubscribe::is_one_click(req.uri().path())
        || crate::web::account::notification_settings::is_one_click(req.uri().path())
        || crate::web::newsletters::is_one_click(req.uri().path())
    {
        return Ok(next.call(req).await?.into_response());
    }
    let Some(cookie) = req.extensions().get::<CsrfCookie>().cloned() else {
        return Err(AppError::Csrf.into());
    };
    if cookie.fresh || !same_origin(&req, &state) {
        return Err(AppError::Csrf.into());
    }
    let token = if let Some(body) = form {
        url::form_urlencoded::parse(&body).find(|(k, _)| k == csrf::FIELD).map(|(_, v)| v.into_owned())
    } else if multipart {
        // The boundary is case-sensitive: taken from the header as sent.
        let original = req.content_type().unwrap_or("").to_string();
        multipart_token(&mut req, &original).await?
    } else {
        None
    };
    match token {
        Some(t) if csrf::token_matches(&state.secret, &cookie.value, cookie.session.as_ref(), &t) => {
            Ok(next.call(req).await?.into_response())
        }
        _ => Err(AppError::Csrf.into()),
    }
}

/// The largest multipart request: the photos of a problem report (three,
/// the most a form takes) and the texts of its form.
pub const MAX_MULTIPART_BYTES: u64 =
    crate::domain::reports::MAX_PHOTOS as u64 * crate::photos::MAX_UPLOAD as u64 + 512 * 1024;

/// How much of a multipart body is read to find the token field.
const MAX_TOKEN_PEEK: usize = 4096;

/// The body length the client announced, if any.
fn announced_length(req: &Request) -> Option<u64> {
    req.header(header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok())
}

/// Reads a multipart body only as far as its first field and returns that
/// field's value when it is the CSRF token; the body is put back whole (the
/// bytes read, then the rest, unread) and capped at [`MAX_MULTIPART_BYTES`]
/// whatever length was announced: past it, reading fails and the request
/// is marked [`BodyTooLarge`] for the handler to answer 413.
async fn multipart_token(req: &mut Request, content_type: &str) -> Result<Option<String>, poem::Error> {
    use tokio::io::AsyncReadExt;
    let Some(boundary) = boundary_of(content_type) else { return Ok(None) };
    let mut reader = req.take_body().into_async_read();
    let mut read = Vec::new();
    let mut chunk = [0u8; 1024];
    let token = loop {
        if let Some(found) = first_field(&read, &boundary) {
            break found;
        }
        if read.len() >= MAX_TOKEN_PEEK {
            break None;
        }
        let n = reader.read(&mut chunk).await.map_err(|_| AppError::BadRequest("form"))?;
        if n == 0 {
            break None;
        }
        read.extend_from_slice(&chunk[..n]);
    };
    let too_large = BodyTooLarge::default();
    req.extensions_mut().insert(too_large.clone());
    let whole = std::io::Cursor::new(read).chain(reader);
    req.set_body(poem::Body::from_async_read(Capped { inner: whole, left: MAX_MULTIPART_BYTES, flag: too_large }));
    Ok(token)
}

/// The `boundary` parameter of a multipart content type.
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.trim() == "boundary").then(|| v.trim().trim_matches('"').to_string()).filter(|b| !b.is_empty())
    })
}

/// The first field's value when it is the CSRF token: `Some(Some(token))`;
/// `Some(None)` when the first field is another one; `None` while more of
/// the body is needed to tell.
fn first_field(read: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    if read.len() < opening.len() {
        return None;
    }
    if !read.starts_with(opening.as_bytes()) {
        return Some(None);
    }
    let rest = &read[opening.len()..];
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&rest[..headers_end]).to_ascii_lowercase();
    let named = headers.lines().any(|line| {
        line.starts_with("content-disposition:")
            && line.split(';').any(|p| p.trim() == format!("name=\"{}\"", csrf::FIELD))
    });
    if !named {
        return Some(None);
    }
    let value = &rest[headers_end + 4..];
    let end = find(value, format!("\r\n--{boundary}").as_bytes())?;
    Some(std::str::from_utf8(&value[..end]).ok().map(str::to_string))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Set when a multipart body went past [`MAX_MULTIPART_BYTES`]: the
/// handler's read failed for its size, not because the client went away.
#[derive(Clone, Debug, Default)]
pub struct BodyTooLarge(Arc<std::sync::atomic::AtomicBool>);

impl BodyTooLarge {
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A body that fails once more than `left` bytes have come.
struct Capped<R> {
    inner: R,
    left: u64,
    flag: BodyTooLarge,
}

impl<R: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Capped<R> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if let std::task::Poll::Ready(Ok(())) = polled {
            let n = (buf.filled().len() - before) as u64;
            if n > self.left {
                self.flag.0.store(true, std::sync::atomic::Ordering::Relaxed);
                return std::task::Poll::Ready(Err(std::io::Error::other("request body too large")));
            }
            self.left -= n;
        }
        polled
    }
}

/// Largest URL-encoded form accepted (long texts fit; photos are multipart).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// When the browser says where the request comes from, it must be this site.
fn same_origin(req: &Request, state: &AppState) -> bool {
    let Some(origin) = req.header("origin") else { return true };
    let Ok(origin) = url::Url::parse(origin) else { return false };
    let origin_host = match (origin.host_str(), origin.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return false,
    };
    let public = &state.config.server.public_url;
    let public_host = match (public.host_str(), public.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    Some(origin_host.as_str()) == req.header("host") || origin_host == public_host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_first_multipart_field_only() {
        let b = "AbC";
        let token = "--AbC\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n--AbC\r\n";
        assert_eq!(first_field(token.as_bytes(), b), Some(Some("tok123".to_string())));
        // Cut anywhere before the value ends: more is needed.
        for cut in [3, 20, 50, token.len() - 10] {
            assert_eq!(first_field(&token.as_bytes()[..cut], b), None, "cut at {cut}");
        }
        let other = "--AbC\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--AbC\r\n";
        assert_eq!(first_field(other.as_bytes(), b), Some(None), "another field first");
        let lookalike = "--AbC\r\nContent-Disposition: form-data; name=\"_csrf2\"\r\n\r\nx\r\n--AbC\r\n";
        assert_eq!(first_field(lookalike.as_bytes(), b), Some(None));
        assert_eq!(first_field(b"garbage that is long enough", b), Some(None), "no opening boundary");
        assert_eq!(boundary_of("multipart/form-data; boundary=\"AbC\""), Some("AbC".to_string()));
        assert_eq!(boundary_of("multipart/form-data"), None);
    }
}
