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
mod consultations_audience;
mod consultations_conditions;
mod consultations_docs;
mod consultations_edit;
mod consultations_exports;
mod consultations_groups;
mod consultations_kinds;
mod crash;
mod disk_full;
mod encryption;
mod feeds;
mod mail;
mod meetings;
mod meetings_after;
mod metrics;
mod moderation;
mod news;
mod newsletters;
mod notifications;
mod open311;
mod open311_send;
mod pages;
mod personal_data;
mod proposal_page;
mod proposals;
mod reports;
mod reports_alerts;
mod reports_staff;
mod search;
mod security;
mod tiles;

mod verification;
mod web;
