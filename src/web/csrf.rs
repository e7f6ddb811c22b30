//! CSRF protection: a random cookie per browser, and in every form a token
//! that is the HMAC of that cookie, and of the session when there is one,
//! under the instance's secret key.
//!
//! An attacker's page cannot read the cookie (HttpOnly, SameSite) and cannot
//! compute the token without the key, even if it manages to plant a cookie.
//! Tied to the session, a token captured before sign-in (or in a session
//! since ended) is refused once the person is signed in.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::domain::sessions::TokenHash;

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
    if !random_bytes(&mut bytes) {
        return String::new();
    }
    hex::encode(bytes)
}

/// Fills `bytes` from a per-thread ChaCha12 generator seeded once by the
/// system (what `rand`'s own thread generator is): every first visit gets a
/// cookie, and a system call for each one cost more than the rest of the
/// cookie. `false` when the system gave no seed.
pub fn random_bytes(bytes: &mut [u8]) -> bool {
    use rand::{rngs::StdRng, RngCore, SeedableRng};
    thread_local! {
        static RNG: std::cell::RefCell<Option<StdRng>> = const { std::cell::RefCell::new(None) };
    }
    RNG.with(|cell| {
        let mut rng = cell.borrow_mut();
        if rng.is_none() {
            *rng = StdRng::try_from_os_rng().ok();
        }
        match rng.as_mut() {
            Some(rng) => {
                rng.fill_bytes(bytes);
                true
            }
            None => false,
        }
    })
}

/// The token a form must carry for this cookie and this session (the hash
/// of its token, never sent to the browser), or none before sign-in.
pub fn token_for(key: &[u8; 32], cookie: &str, session: Option<&TokenHash>) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    match session {
        Some(hash) => {
            mac.update(b"parvis-csrf-v2-session:");
            mac.update(hash);
            mac.update(b":");
        }
        None => mac.update(b"parvis-csrf-v1:"),
    }
    mac.update(cookie.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

pub fn token_matches(key: &[u8; 32], cookie: &str, session: Option<&TokenHash>, token: &str) -> bool {
    if cookie.len() < 32 || token.is_empty() {
        return false;
    }
    let expected = token_for(key, cookie, session);
    expected.as_bytes().ct_eq(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_bound_to_cookie_and_key() {
        let key = [7u8; 32];
        let cookie = new_cookie_value();
        let token = token_for(&key, &cookie, None);
        assert!(token_matches(&key, &cookie, None, &token));
        assert!(!token_matches(&key, &new_cookie_value(), None, &token));
        assert!(!token_matches(&[8u8; 32], &cookie, None, &token));
        assert!(!token_matches(&key, &cookie, None, ""));
        assert!(!token_matches(&key, "", None, &token_for(&key, "", None)));
    }

    #[test]
    fn cookie_values_are_new_each_time() {
        let values: std::collections::HashSet<String> = (0..1000).map(|_| new_cookie_value()).collect();
        assert_eq!(values.len(), 1000);
        assert!(values.iter().all(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())));
        let other_thread = std::thread::spawn(new_cookie_value).join().unwrap();
        assert!(!values.contains(&other_thread), "each thread its own seed");
    }

    #[test]
    fn token_is_bound_to_the_session() {
        let key = [7u8; 32];
        let cookie = new_cookie_value();
        let (one, two) = ([1u8; 32], [2u8; 32]);
        let signed_in = token_for(&key, &cookie, Some(&one));
        assert!(token_matches(&key, &cookie, Some(&one), &signed_in));
        assert!(!token_matches(&key, &cookie, Some(&two), &signed_in), "another session");
        assert!(!token_matches(&key, &cookie, None, &signed_in), "signed out");
        assert!(!token_matches(&key, &cookie, Some(&one), &token_for(&key, &cookie, None)), "from before sign-in");
    }
}
