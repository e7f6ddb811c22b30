//! Email: a durable outbox in redb and an SMTP sender with retries.
//!
//! A business operation that must tell someone something (confirm an address,
//! reset a password, invite a member of staff) calls [`outbox::enqueue`] inside
//! its own write transaction: the account and its confirmation message commit
//! together or not at all. The sender task ([`sender::run_sender`]) delivers
//! what is due and keeps undelivered messages with their error, so a mail
//! server that is down for a day loses nothing.
//!
//! Messages are stored as a [`Template`] with the recipient's language, and
//! rendered from `locales/<lang>/mail.ftl` when they are sent or shown: plain
//! text, and an HTML part with the same words (`html.rs`).

mod html;
pub mod outbox;
pub mod sender;
pub mod template;

pub use outbox::{enqueue, MailId, MailState, MailView, NewMail, OutgoingMail};
pub use sender::{run_sender, send_due, Mailer, SendReport};
pub use template::{render, render_html, Rendered, Template};

/// What can stop mail from being set up or sent. Messages say what to change.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("smtp.from is required when smtp.host is set: give the sender, e.g. \"Mairie <participer@example.fr>\"")]
    MissingFrom,
    #[error("smtp.from: \"{0}\" is not a valid sender: write it as \"Mairie de Saint-Exemple <participer@example.fr>\" or just the address")]
    InvalidFrom(String),
    #[error("smtp.host: cannot prepare a TLS connection to \"{host}\" ({detail}): check the host name, or set smtp.security")]
    Tls { host: String, detail: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}
