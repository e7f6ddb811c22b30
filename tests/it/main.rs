//! The integration tests: one test binary (see STYLE.md, rule 11), a module per concept.

mod smtp_sink;
mod support;

mod accounts;
mod backup;
mod cli;
mod crash;
mod mail;

mod web;
