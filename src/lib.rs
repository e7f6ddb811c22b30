//! Parvis: citizen participation for small communes, in one binary.
//!
//! The library exposes [`serve`] so that tests and the binary start the same
//! server; `main.rs` only parses the command line.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod admin_socket;
pub mod app;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod markdown;
pub mod pdf;
pub mod photos;
pub mod ratelimit;
pub mod search;
pub mod server;
pub mod share_image;
pub mod store;
pub mod tiles;
pub mod web;

pub use server::serve;
