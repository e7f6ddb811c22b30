//! The integration tests: one test binary (see STYLE.md, rule 11), a module per concept.

mod smtp_sink;
mod support;
mod tls;

mod accounts;
mod addresses;
mod admin;
mod backup;
mod cli;
mod comments;
mod consultations;
mod crash;
mod disk_full;
mod encryption;
mod mail;
mod meetings;
mod moderation;
mod open311;
mod open311_send;
mod personal_data;
mod proposals;
mod reports;
mod reports_alerts;
mod reports_staff;
mod search;
mod security;
mod tiles;

mod web;
