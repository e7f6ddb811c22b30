//! The rules of the commune's processes, one folder per concept. Nothing here
//! knows HTTP or HTML; each concept owns its tables (`tables.rs`).

pub mod accounts;
pub mod addresses;
pub mod audit;
pub mod budgets;
pub mod changes;
pub mod comments;
pub mod consultations;
pub mod groups;
pub mod ids;
pub mod improve;
pub mod launch;
pub mod meetings;
pub mod metrics;
pub mod moderation;
pub mod news;
pub mod newsletters;
pub mod notifications;
pub mod opendata;
pub mod pages;
pub mod promotion;
pub mod proposals;
pub mod publication;
pub mod reports;
pub mod satisfaction;
pub mod sessions;
pub mod two_factor;
pub mod verification;

/// Seconds since the Unix epoch, UTC: how times are stored.
pub fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}
