//! Who is asking: the session cookie, the signed-in person, and the typed
//! extractors that make a handler unreachable without the right role.
//!
//! A handler that takes `Staff` cannot run for anyone else: the extractor
//! refuses before the handler is called, and sends a person without
//! two-factor authentication to enrolment first (mandatory for moderators,
//! staff and admins).

use std::net::IpAddr;
use std::sync::Arc;

use poem::http::header::{self, HeaderValue};
use poem::{FromRequest, Request, RequestBody, Response};

use super::chrome;
use super::errors::AppError;
use crate::app::AppState;
use crate::domain::accounts::{self, Account, Role};
use crate::domain::sessions::{self, Session, TokenHash};
use crate::domain::{now_unix, two_factor};

/// The signed-in person, put in the request by the context middleware.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub account: Account,
    pub session: Session,
    pub token_hash: TokenHash,
    pub two_factor: bool,
}

impl Viewer {
    /// Whether the person proved who they are recently enough to change
    /// their password, address or two-factor settings.
    pub fn recently_authenticated(&self, now: i64) -> bool {
        now - self.session.authenticated_at <= REAUTH_WINDOW_SECS
    }
}

/// A password given, the second factor not yet: only the code page is open.
#[derive(Clone, Debug)]
pub struct PendingSignIn {
    pub account: Account,
    pub token_hash: TokenHash,
}

/// How long a sign-in or re-authentication allows sensitive changes.
pub const REAUTH_WINDOW_SECS: i64 = 10 * 60;

/// Activity is written at most this often per session (a write per page
/// view would put every reader in the writer's queue).
const TOUCH_EVERY_SECS: i64 = 60;

pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-parvis"
    } else {
        "parvis-session"
    }
}

/// The `Set-Cookie` value that gives this browser a session token.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let name = session_cookie_name(state.is_https());
    let secure = if state.is_https() { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}", state.config.sessions.absolute_secs)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    let name = session_cookie_name(state.is_https());
    let secure = if state.is_https() { "; Secure" } else { "" };
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
}

pub fn add_cookie(resp: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Reads the session of this request and puts a [`Viewer`] or a
/// [`PendingSignIn`] in its extensions. Blocked people and expired sessions
/// count as signed out.
pub fn attach_session(req: &mut Request, state: &Arc<AppState>) {
    let Some(token) = chrome::cookie(req, session_cookie_name(state.is_https())) else { return };
    let now = now_unix();
    let found = (|| -> Result<Option<(TokenHash, Session, Account, bool)>, AppError> {
        let tx = state.store.read()?;
        let Some((hash, session)) = sessions::find(&tx, &token, state.config.sessions, now)? else { return Ok(None) };
        let Some(account) = accounts::get(&tx, session.account)? else { return Ok(None) };
        if account.blocked {
            return Ok(None);
        }
        let two_factor = two_factor::is_enabled(&tx, account.id)?;
        Ok(Some((hash, session, account, two_factor)))
    })();
    let (hash, session, account, two_factor) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the session");
            return;
        }
    };
    if now - session.last_seen_at >= TOUCH_EVERY_SECS {
        let store = state.store.clone();
        tokio::spawn(async move {
            let _ = store.write(move |tx| sessions::update(tx, &hash, |s| s.last_seen_at = now)).await;
        });
    }
    if session.two_factor_pending {
        req.extensions_mut().insert(PendingSignIn { account, token_hash: hash });
    } else {
        req.extensions_mut().insert(Viewer { account, session, token_hash: hash, two_factor });
    }
}

/// The address the request comes from; behind a trusted reverse proxy, the
/// last address in X-Forwarded-For that is not one of the proxies.
pub fn client_ip(req: &Request, state: &AppState) -> String {
    let peer: Option<IpAddr> = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let Some(peer) = peer else { return "unknown".into() };
    if !state.config.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    req.header("x-forwarded-for")
        .and_then(|list| {
            list.split(',')
                .rev()
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .find(|ip| !state.config.trusted_proxies.contains(ip))
        })
        .unwrap_or(peer)
        .to_string()
}

/// The path and query to come back to after signing in.
fn here(req: &Request) -> String {
    req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into())
}

/// Where a person with a one-time password must go first.
pub const CHANGE_PASSWORD_PAGE: &str = "/compte/mot-de-passe";

/// The pages a person with a one-time password may still reach: the change
/// itself, and the re-authentication it may ask for (sign-out needs no
/// extractor).
const OPEN_BEFORE_PASSWORD_CHANGE: [&str; 2] = [CHANGE_PASSWORD_PAGE, "/compte/confirmer-identite"];

fn viewer_or_sign_in(req: &Request) -> Result<Viewer, AppError> {
    let Some(viewer) = req.extensions().get::<Viewer>() else {
        return Err(AppError::SignInRequired(here(req)));
    };
    // A one-time password (the first admin's from `parvis init`, or one an
    // admin gave) is known to someone else: nothing is open until it is
    // replaced, on whatever page the person goes to.
    if viewer.account.must_change_password && !OPEN_BEFORE_PASSWORD_CHANGE.contains(&req.uri().path()) {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(viewer.clone())
}

/// A back-office role needs two-factor authentication before anything else.
fn with_role(req: &Request, role: Role) -> Result<Viewer, AppError> {
    let viewer = viewer_or_sign_in(req)?;
    if viewer.account.role < role {
        return Err(AppError::Forbidden);
    }
    if !viewer.two_factor {
        return Err(AppError::TwoFactorRequired);
    }
    Ok(viewer)
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub Viewer);

        impl<'a> FromRequest<'a> for $name {
            async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
                Ok($name(with_role(req, $role)?))
            }
        }
    };
}

/// Anyone signed in (any role).
#[derive(Clone, Debug)]
pub struct SignedIn(pub Viewer);

impl<'a> FromRequest<'a> for SignedIn {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(SignedIn(viewer_or_sign_in(req)?))
    }
}

role_extractor!(
    /// A moderator or above, with two-factor authentication.
    Moderator,
    Role::Moderator
);
role_extractor!(
    /// A member of the town hall's staff or an admin, with two-factor authentication.
    Staff,
    Role::Staff
);
role_extractor!(
    /// An administrator, with two-factor authentication.
    Admin,
    Role::Admin
);

impl<'a> FromRequest<'a> for PendingSignIn {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        req.extensions().get::<PendingSignIn>().cloned().ok_or_else(|| AppError::SignInRequired("/".into()).into())
    }
}

/// Where the request came from, for the audit log and rate limits.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl<'a> FromRequest<'a> for ClientIp {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let state = req.data::<Arc<AppState>>().ok_or_else(|| AppError::Internal("no state".into()))?;
        Ok(ClientIp(client_ip(req, state)))
    }
}

/// A short description of the browser for the list of sessions.
pub fn device_of(req: &Request) -> String {
    let ua = req.header("user-agent").unwrap_or("");
    let browser = ["Firefox", "Edg", "Chrome", "Safari", "Opera"].iter().find(|b| ua.contains(*b)).map(|b| {
        if *b == "Edg" {
            "Edge"
        } else {
            b
        }
    });
    let system = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"].iter().find(|s| ua.contains(*s));
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => ua.chars().take(40).collect(),
    }
}

/// The browser description, as an extractor.
#[derive(Clone, Debug)]
pub struct Device(pub String);

impl<'a> FromRequest<'a> for Device {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(Device(device_of(req)))
    }
}
