//! CSRF protection: a random cookie per browser, and in every form a token
//! that is the HMAC of that cookie under the instance's secret key.
//!
//! An attacker's page cannot read the cookie (HttpOnly, SameSite) and cannot
//! compute the token without the key, even if it manages to plant a cookie.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The name of the form field (and query parameter, for multipart forms).
pub const FIELD: &str = "_csrf";

/// The cookie's name: `__Host-` prefixed when served over HTTPS.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-parvis-csrf"
    } else {
        "parvis-csrf"
    }
}

/// A fresh random cookie value (128 bits).
pub fn new_cookie_value() -> String {
    let mut bytes = [0u8; 16];
    // Without system randomness nothing else works either; an empty value is
    // never accepted by `token_matches`.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    hex::encode(bytes)
}

/// The token a form must carry for this cookie.
pub fn token_for(key: &[u8; 32], cookie: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(b"parvis-csrf-v1:");
    mac.update(cookie.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

pub fn token_matches(key: &[u8; 32], cookie: &str, token: &str) -> bool {
    if cookie.len() < 32 || token.is_empty() {
        return false;
    }
    let expected = token_for(key, cookie);
    expected.as_bytes().ct_eq(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_bound_to_cookie_and_key() {
        let key = [7u8; 32];
        let cookie = new_cookie_value();
        let token = token_for(&key, &cookie);
        assert!(token_matches(&key, &cookie, &token));
        assert!(!token_matches(&key, &new_cookie_value(), &token));
        assert!(!token_matches(&[8u8; 32], &cookie, &token));
        assert!(!token_matches(&key, &cookie, ""));
        assert!(!token_matches(&key, "", &token_for(&key, "")));
    }
}
