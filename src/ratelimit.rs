//! Abuse limits: growing delays on sign-in, sign-up, password reset and
//! two-factor codes ([`Action`]), and quotas on what a signed-in person
//! posts ([`Quota`]).
//!
//! Growing delays, not lock-outs: a lock-out lets an attacker lock a victim
//! out of their own account by failing on purpose. Each (action, key) pair —
//! the key is an IP address or an account — gets a few free attempts, then
//! must wait 2, 4, 8 … seconds (at most 15 minutes) before the next one. The
//! count decays: an hour without failure forgets it. Kept in memory: one
//! process serves one commune, and a restart forgiving everyone is harmless.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A password for an address from an address (the key is `ip|email`):
    /// a stranger elsewhere failing on purpose cannot delay the real person.
    SignIn,
    /// Every password tried from one IP address, whatever the account
    /// (password spraying). Residents behind one town-hall network share
    /// it, hence the larger allowance.
    SignInFromIp,
    SignUp,
    PasswordReset,
    TwoFactor,
    /// A change of address asked: each sends a link to the new address, so
    /// counted per account and per address written to (mail to anyone).
    EmailChange,
}

impl Action {
    /// Attempts allowed before delays start.
    fn free(self) -> u32 {
        match self {
            Action::SignIn => 5,
            Action::SignInFromIp => 50,
            Action::SignUp => 5,
            Action::PasswordReset => 3,
            Action::TwoFactor => 5,
            Action::EmailChange => 3,
        }
    }
}

/// What a signed-in person may post, counted per account: a burst, then a
/// steady pace (a token bucket). Nobody who writes by hand meets these
/// limits; a script or a stuck button does, and then the moderators' queue
/// and the discussions stay readable. The refused form keeps what was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quota {
    /// New comments and replies: 10 in a row, then one every 20 seconds
    /// (3 a minute). A lively exchange of replies is a few a minute at most.
    Comment,
    /// Reports of content to the moderators: 20 in a row, then one every 3
    /// minutes (20 an hour). A resident who finds a wave of spam reports it
    /// all; hundreds an hour would only bury the real reports.
    Report,
    /// Proposal forms that post or upload a photo: 5 in a row, then one
    /// every 10 minutes (6 an hour). A resident with ideas posts a few in
    /// an evening; more would flood the box and its readers, and every
    /// photo costs a decode and disk space.
    Proposal,
    /// Problem reports filed: 10 in a row, then one every 6 minutes (10 an
    /// hour). A resident walking round the village reports what they see;
    /// each report mails a service and may cost three photo decodes, so a
    /// flood would bury the services' inboxes.
    ProblemReport,
    /// Consultation answers sent without an account, per address: 20 in a
    /// row, then one every 3 minutes. A family or the town hall's public
    /// computer sends a few; a script filling a questionnaire sends
    /// hundreds (the per-browser cookie stops the honest repeat).
    ConsultationAnswer,
    /// Meeting registrations sent without an account, per address: 10 in a
    /// row, then one every 6 minutes. A family or a residents' association
    /// registers a few people; a script registering made-up addresses would
    /// take every seat of a workshop from the residents who want to come.
    MeetingRegistration,
    /// Calls to the public JSON API (`/api/`), per address: 300 in a row,
    /// then 5 a second. A program that mirrors the commune's data reads a
    /// few hundred pages in a row, then follows changes; a loop with no
    /// pause would take the small server's two cores from the residents.
    ApiRead,
    /// Answers to « Cette page vous a-t-elle été utile ? », per address:
    /// 20 in a row, then one every 30 seconds. A reader answers on a few
    /// pages of a visit; a script counting « non » a thousand times on one
    /// page would make the town hall's figures say what it wants.
    PageFeedback,
}

impl Quota {
    /// (burst, time to earn one more).
    fn rule(self) -> (u32, Duration) {
        match self {
            Quota::Comment => (10, Duration::from_secs(20)),
            Quota::Report => (20, Duration::from_secs(180)),
            Quota::Proposal => (5, Duration::from_secs(600)),
            Quota::ProblemReport => (10, Duration::from_secs(360)),
            Quota::ConsultationAnswer => (20, Duration::from_secs(180)),
            Quota::MeetingRegistration => (10, Duration::from_secs(360)),
            Quota::ApiRead => (300, Duration::from_millis(200)),
            Quota::PageFeedback => (20, Duration::from_secs(30)),
        }
    }
}

/// The posts an account has left under a quota, as of `at`.
#[derive(Clone, Copy, Debug)]
struct Tokens {
    left: f64,
    at: Instant,
}

const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(3600);

#[derive(Clone, Copy, Debug)]
struct Bucket {
    count: u32,
    last: Instant,
}

/// Too many attempts: how long to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one, for messages and the Retry-After header.
    pub fn secs(&self) -> u64 {
        (self.0.as_millis() as u64).div_ceil(1000).max(1)
    }
}

#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(Action, String), Bucket>>,
    quotas: Mutex<HashMap<(Quota, String), Tokens>>,
}

impl RateLimiter {
    fn delay_for(action: Action, count: u32) -> Duration {
        if count < action.free() {
            return Duration::ZERO;
        }
        let exp = (count - action.free()).min(10);
        Duration::from_secs(2u64.pow(exp + 1)).min(MAX_DELAY)
    }

    /// Whether an attempt may be made now for every key. For tests only:
    /// a check apart from the count let parallel attempts all pass, so
    /// handlers call [`RateLimiter::attempt`].
    #[cfg(test)]
    fn check(&self, action: Action, keys: &[&str], now: Instant) -> Result<(), RetryAfter> {
        let Ok(buckets) = self.buckets.lock() else { return Ok(()) };
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(b) = buckets.get(&(action, key.to_string())) {
                let since = now.saturating_duration_since(b.last);
                if since >= FORGET_AFTER {
                    continue;
                }
                let delay = Self::delay_for(action, b.count);
                wait = wait.max(delay.saturating_sub(since));
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(RetryAfter(wait))
        }
    }

    /// Counts an attempt without checking it. For tests only (see `check`).
    #[cfg(test)]
    fn record(&self, action: Action, keys: &[&str], now: Instant) {
        let Ok(mut buckets) = self.buckets.lock() else { return };
        Self::count(&mut buckets, action, keys, now);
    }

    fn count(buckets: &mut HashMap<(Action, String), Bucket>, action: Action, keys: &[&str], now: Instant) {
        if buckets.len() > 100_000 {
            // Bounded memory under a flood: forget the old entries.
            buckets.retain(|_, b| now.saturating_duration_since(b.last) < FORGET_AFTER);
        }
        for key in keys {
            let b = buckets.entry((action, key.to_string())).or_insert(Bucket { count: 0, last: now });
            if now.saturating_duration_since(b.last) >= FORGET_AFTER {
                b.count = 0;
            }
            b.count += 1;
            b.last = now;
        }
    }

    /// Checks and counts an attempt in one step, before the slow work it
    /// guards (a password hash, a code check): parallel attempts cannot all
    /// pass the check before any of them is counted. An attempt that
    /// succeeds is given back with [`RateLimiter::refund`] (or its failures
    /// forgotten with [`RateLimiter::clear`]), so only failures count.
    pub fn attempt(&self, action: Action, keys: &[&str], now: Instant) -> Result<(), RetryAfter> {
        let tries: Vec<(Action, &str)> = keys.iter().map(|k| (action, *k)).collect();
        self.attempt_each(&tries, now)
    }

    /// [`RateLimiter::attempt`] for keys counted under different actions
    /// (each its own allowance), all checked, then all counted, in one step.
    pub fn attempt_each(&self, tries: &[(Action, &str)], now: Instant) -> Result<(), RetryAfter> {
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        let mut wait = Duration::ZERO;
        for (action, key) in tries {
            if let Some(b) = buckets.get(&(*action, key.to_string())) {
                let since = now.saturating_duration_since(b.last);
                if since < FORGET_AFTER {
                    wait = wait.max(Self::delay_for(*action, b.count).saturating_sub(since));
                }
            }
        }
        if !wait.is_zero() {
            return Err(RetryAfter(wait));
        }
        for (action, key) in tries {
            Self::count(&mut buckets, *action, &[key], now);
        }
        Ok(())
    }

    /// Gives back an attempt counted by [`RateLimiter::attempt`] that
    /// succeeded, or that was never made (e.g. the form was incomplete).
    pub fn refund(&self, action: Action, keys: &[&str]) {
        let tries: Vec<(Action, &str)> = keys.iter().map(|k| (action, *k)).collect();
        self.refund_each(&tries);
    }

    /// Gives back an attempt counted by [`RateLimiter::attempt_each`].
    pub fn refund_each(&self, tries: &[(Action, &str)]) {
        let Ok(mut buckets) = self.buckets.lock() else { return };
        for (action, key) in tries {
            if let Some(b) = buckets.get_mut(&(*action, key.to_string())) {
                b.count = b.count.saturating_sub(1);
            }
        }
    }

    /// Forgets the failures of a key after a success.
    pub fn clear(&self, action: Action, key: &str) {
        if let Ok(mut buckets) = self.buckets.lock() {
            buckets.remove(&(action, key.to_string()));
        }
    }

    /// Counts one post under `quota` for `key` (an account), or says how long
    /// to wait when none is left. Called once the form is valid, just before
    /// the write: a form refused for its content costs nothing.
    pub fn take(&self, quota: Quota, key: &str, now: Instant) -> Result<(), RetryAfter> {
        let Ok(mut quotas) = self.quotas.lock() else { return Ok(()) };
        let (burst, every) = quota.rule();
        let refilled = |t: &Tokens| {
            let earned = now.saturating_duration_since(t.at).as_secs_f64() / every.as_secs_f64();
            (t.left + earned).min(f64::from(burst))
        };
        if quotas.len() > 100_000 {
            // Bounded memory under a flood: a full bucket is the same as none.
            quotas.retain(|(q, _), t| {
                let (burst, every) = q.rule();
                let earned = now.saturating_duration_since(t.at).as_secs_f64() / every.as_secs_f64();
                t.left + earned < f64::from(burst)
            });
        }
        let tokens = quotas.entry((quota, key.to_string())).or_insert(Tokens { left: f64::from(burst), at: now });
        let left = refilled(tokens);
        if left >= 1.0 {
            *tokens = Tokens { left: left - 1.0, at: now };
            Ok(())
        } else {
            *tokens = Tokens { left, at: now };
            Err(RetryAfter(every.mul_f64(1.0 - left)))
        }
    }
}

/// Bounds work that costs much memory or CPU for each request: a password
/// hash (argon2id: 19 MiB and ~50 ms each) or a photo decode. Without a
/// bound, ~600 parallel sign-ins with random addresses needed ~10 GiB. As
/// many run at once as the machine has cores; a request waits a moment for
/// its turn (a burst of real sign-ins after a newsletter), then is told to
/// come back (503 with Retry-After) rather than pile up.
pub struct HeavyWork {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    wait: Duration,
}

/// A turn for heavy work: the work may run while it is held.
pub type Turn = tokio::sync::OwnedSemaphorePermit;

/// The machine is busy with heavy work: come back after a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy;

impl Busy {
    /// What the Retry-After header says.
    pub const RETRY_AFTER_SECS: u64 = 2;
}

impl HeavyWork {
    /// As many turns as the machine has cores, and a wait of two seconds:
    /// an argon2 check takes ~50 ms, so a turn comes within the wait unless
    /// dozens are queued ahead.
    pub fn for_this_machine() -> HeavyWork {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HeavyWork::new(cores, Duration::from_secs(Busy::RETRY_AFTER_SECS))
    }

    pub fn new(at_once: usize, wait: Duration) -> HeavyWork {
        HeavyWork { permits: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once.max(1))), wait }
    }

    /// A turn for one piece of heavy work, held until the permit is dropped
    /// (move it into the blocking task that does the work).
    pub async fn start(&self) -> Result<Turn, Busy> {
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Busy),
        }
    }

    /// Turns free now (for metrics and tests).
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_free_attempts_and_are_forgotten() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(limiter.check(Action::SignIn, &["ip"], t0).is_ok());
            limiter.record(Action::SignIn, &["ip"], t0);
        }
        let wait = limiter.check(Action::SignIn, &["ip"], t0).unwrap_err();
        assert_eq!(wait.0, Duration::from_secs(2));
        assert!(limiter.check(Action::SignIn, &["ip"], t0 + Duration::from_secs(2)).is_ok());
        limiter.record(Action::SignIn, &["ip"], t0 + Duration::from_secs(2));
        let wait = limiter.check(Action::SignIn, &["ip"], t0 + Duration::from_secs(2)).unwrap_err();
        assert_eq!(wait.0, Duration::from_secs(4), "the delay doubles");
        // Another key is not affected; a success clears; an hour forgets.
        assert!(limiter.check(Action::SignIn, &["other"], t0).is_ok());
        assert!(limiter.check(Action::SignIn, &["ip"], t0 + FORGET_AFTER + Duration::from_secs(3)).is_ok());
        limiter.clear(Action::SignIn, "ip");
        assert!(limiter.check(Action::SignIn, &["ip"], t0 + Duration::from_secs(2)).is_ok());
    }

    #[test]
    fn a_quota_allows_a_burst_then_a_steady_pace_per_key() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for n in 0..10 {
            assert!(limiter.take(Quota::Comment, "account:1", t0).is_ok(), "comment {n} of the burst");
        }
        let wait = limiter.take(Quota::Comment, "account:1", t0).unwrap_err();
        assert_eq!(wait.0, Duration::from_secs(20));
        assert!(limiter.take(Quota::Comment, "account:2", t0).is_ok(), "another account is not affected");
        assert!(limiter.take(Quota::Report, "account:1", t0).is_ok(), "nor another quota");
        let wait = limiter.take(Quota::Comment, "account:1", t0 + Duration::from_secs(5)).unwrap_err();
        assert_eq!(wait.secs(), 15, "a refusal costs nothing");
        assert!(limiter.take(Quota::Comment, "account:1", t0 + Duration::from_secs(20)).is_ok());
        assert!(limiter.take(Quota::Comment, "account:1", t0 + Duration::from_secs(21)).is_err());
        // After a quiet while the whole burst is back, and no more.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..10 {
            assert!(limiter.take(Quota::Comment, "account:1", later).is_ok());
        }
        assert!(limiter.take(Quota::Comment, "account:1", later).is_err());
    }

    #[test]
    fn reports_are_twenty_then_twenty_an_hour() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        let mut allowed = 0;
        for minute in 0..60 {
            let now = t0 + Duration::from_secs(60 * minute);
            while limiter.take(Quota::Report, "account:1", now).is_ok() {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 20 + 19, "the burst, then one every three minutes");
    }

    #[test]
    fn problem_reports_are_ten_then_ten_an_hour() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        let mut allowed = 0;
        for minute in 0..60 {
            let now = t0 + Duration::from_secs(60 * minute);
            while limiter.take(Quota::ProblemReport, "account:1", now).is_ok() {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 10 + 9, "the burst, then one every six minutes");
    }

    /// The finding of the security review: with a check, then slow work, then
    /// a count, parallel attempts all passed (TOTP codes guessed in bursts).
    #[test]
    fn parallel_attempts_pass_only_up_to_the_free_ones() {
        let limiter = std::sync::Arc::new(RateLimiter::default());
        let t0 = Instant::now();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(50));
        let passed: usize = (0..50)
            .map(|_| {
                let (limiter, barrier) = (limiter.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    limiter.attempt(Action::TwoFactor, &["account:1"], t0).is_ok() as usize
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .sum();
        assert_eq!(passed, 5, "the free attempts, and not one more");
        // A success gives its attempt back: only failures count.
        let limiter = RateLimiter::default();
        for _ in 0..20 {
            assert!(limiter.attempt(Action::SignIn, &["ip", "account:1"], t0).is_ok());
            limiter.refund(Action::SignIn, &["ip", "account:1"]);
        }
    }

    #[tokio::test]
    async fn heavy_work_runs_a_few_at_a_time_and_turns_away_the_rest() {
        let heavy = HeavyWork::new(2, Duration::from_millis(50));
        let a = heavy.start().await.unwrap();
        let _b = heavy.start().await.unwrap();
        assert_eq!(heavy.available(), 0);
        assert_eq!(heavy.start().await.unwrap_err(), Busy, "no third at once");
        drop(a);
        assert!(heavy.start().await.is_ok(), "a finished turn frees its place");
    }

    /// A stranger failing for someone's address from elsewhere does not
    /// delay that person; an address spraying many accounts meets its own,
    /// larger allowance.
    #[test]
    fn each_action_of_an_attempt_has_its_own_allowance() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(limiter.attempt_each(&[(Action::SignIn, "ip1|a"), (Action::SignInFromIp, "ip1")], t0).is_ok());
        }
        assert!(limiter.attempt_each(&[(Action::SignIn, "ip1|a"), (Action::SignInFromIp, "ip1")], t0).is_err());
        assert!(limiter.attempt_each(&[(Action::SignIn, "ip2|a"), (Action::SignInFromIp, "ip2")], t0).is_ok());
        for n in 0..45 {
            let key = format!("ip1|other{n}");
            assert!(limiter.attempt_each(&[(Action::SignIn, &key), (Action::SignInFromIp, "ip1")], t0).is_ok());
        }
        let wait = limiter.attempt_each(&[(Action::SignIn, "ip1|b"), (Action::SignInFromIp, "ip1")], t0);
        assert_eq!(wait.unwrap_err().0, Duration::from_secs(2), "50 from one address, then delays");
        // A refusal counted nothing; a refund gives back each key.
        limiter.refund_each(&[(Action::SignInFromIp, "ip1")]);
        assert!(limiter.attempt_each(&[(Action::SignIn, "ip1|b"), (Action::SignInFromIp, "ip1")], t0).is_ok());
    }

    #[test]
    fn the_delay_is_capped() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..50 {
            limiter.record(Action::TwoFactor, &["acct"], t0);
        }
        assert_eq!(limiter.check(Action::TwoFactor, &["acct"], t0).unwrap_err().0, MAX_DELAY);
    }
}
