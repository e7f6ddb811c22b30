//! The web layer: HTTP, forms, pages. It calls domain functions and never
//! touches a redb table.

pub mod account;
pub mod addresses;
pub mod admin;
pub mod api;
pub mod assets;
pub mod atom;
pub mod auth;
pub mod budgets;
pub mod chrome;
pub mod comments;
pub mod components;
pub mod consultations;
pub mod csrf;
pub mod csv;
pub mod dashboard;
pub mod errors;
pub mod feeds;
pub mod health;
pub mod home;
pub mod lang;
pub mod layout;
pub mod legal;
pub mod meetings;
pub mod middleware;
pub mod moderation;
pub mod multipart;
pub mod news;
pub mod newsletters;
pub mod og;
pub mod open311;
pub mod outbox;
pub mod pages;
pub mod proposals;
pub mod reports;
pub mod search;
pub mod short_links;
pub mod system;
pub mod tiles;
pub mod uploads;
pub mod verification;

pub use crate::i18n::Lang;
pub use chrome::Chrome;
pub use errors::AppError;
