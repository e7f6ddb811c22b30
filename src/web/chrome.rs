//! The page chrome every handler gets from one extractor: language, CSRF
//! token, flash message, request id, the state. Handlers never read cookies
//! or headers for these themselves.

use std::sync::Arc;

use poem::{FromRequest, Request, RequestBody};

use super::auth::Viewer;
use super::errors::AppError;
use super::middleware::{CsrfCookie, RequestId};
use crate::app::AppState;
use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "parvis-lang";
pub const FLASH_COOKIE: &str = "parvis-flash";

/// A one-time message shown on the next page (after a redirect).
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub kind: FlashKind,
    /// A translation key.
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FlashKind {
    Success,
    Info,
}

impl Flash {
    pub fn success(key: &str) -> Self {
        Flash { kind: FlashKind::Success, key: key.into() }
    }

    pub fn info(key: &str) -> Self {
        Flash { kind: FlashKind::Info, key: key.into() }
    }

    /// The `Set-Cookie` value: `s:key` or `i:key`, for five minutes.
    pub fn to_cookie(&self, https: bool) -> String {
        let k = match self.kind {
            FlashKind::Success => 's',
            FlashKind::Info => 'i',
        };
        let secure = if https { "; Secure" } else { "" };
        format!("{FLASH_COOKIE}={k}:{}; Path=/; Max-Age=300; HttpOnly; SameSite=Lax{secure}", self.key)
    }

    fn parse(value: &str) -> Option<Flash> {
        let (kind, key) = value.split_once(':')?;
        let kind = match kind {
            "s" => FlashKind::Success,
            "i" => FlashKind::Info,
            _ => return None,
        };
        // Only a key that names an existing message is shown.
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return None;
        }
        Lang::Fr.try_t(key)?;
        Some(Flash { kind, key: key.to_string() })
    }
}

pub struct Chrome {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub request_id: String,
    /// The path of this page, for the language switch to come back to.
    pub path: String,
    /// The signed-in person, if any.
    pub viewer: Option<Viewer>,
}

impl Chrome {
    /// Builds the chrome from the request head; `None` outside the app's middleware.
    pub fn from_head(req: &Request) -> Option<Chrome> {
        let chrome = Chrome::without_token(req)?;
        Some(chrome.with_token(req.extensions().get::<CsrfCookie>()))
    }

    /// The chrome without its form token, which costs an HMAC: for the
    /// error pages' middleware, which needs it only when a request fails
    /// (then [`Chrome::with_token`]).
    pub fn without_token(req: &Request) -> Option<Chrome> {
        let state = req.data::<Arc<AppState>>()?.clone();
        let lang = language_of(req, &state);
        let csrf_token = String::new();
        let flash = cookie(req, FLASH_COOKIE).and_then(|v| Flash::parse(&v));
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
        let path = req.uri().path().to_string();
        let viewer = req.extensions().get::<Viewer>().cloned();
        Some(Chrome { state, lang, csrf_token, flash, request_id, path, viewer })
    }

    /// This chrome with the form token of `cookie` (none without one).
    pub fn with_token(mut self, cookie: Option<&CsrfCookie>) -> Chrome {
        self.csrf_token = cookie.map(|c| c.token(&self.state.secret)).unwrap_or_default();
        self
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn config(&self) -> &crate::config::Config {
        &self.state.config
    }
}

impl<'a> FromRequest<'a> for Chrome {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Chrome::from_head(req).ok_or_else(|| AppError::Internal("chrome outside the app".into()).into())
    }
}

/// The language: the person's choice (cookie), else the browser's, else the commune's default.
pub fn language_of(req: &Request, state: &AppState) -> Lang {
    cookie(req, LANG_COOKIE)
        .and_then(|v| Lang::from_code(&v))
        .or_else(|| req.header("accept-language").and_then(Lang::from_accept_language))
        .unwrap_or(state.config.default_language)
}

/// The value of a cookie sent by the browser.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}
