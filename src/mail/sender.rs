//! The SMTP sender: delivers what the outbox holds, with retries.
//!
//! Delivery is **at least once**: a message is marked sent only after the
//! SMTP server accepted it, so a crash (or a shutdown) between the server's
//! "250 OK" and the commit of the mark sends it again at the next start. It is
//! never sent zero times. Every copy carries the same `Message-ID`, built from
//! the outbox id, so mail systems that deduplicate can recognise a repeat.
//!
//! Logs name a recipient by domain only and never hold a body: a body may
//! carry a single-use link.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::sync::watch;

use super::outbox::{self, MailState, OutgoingMail};
use super::template::{render, render_html};
use super::MailError;
use crate::config::{Config, SmtpSecurity};
use crate::store::{Store, StoreError};

/// Messages taken from the outbox per pass; the loop comes back at once for more.
pub const BATCH: usize = 50;
/// The longest the loop sleeps with nothing due: a safety net in case a
/// message is queued outside the writer (an outbox written by another
/// process).
const IDLE_CHECK: Duration = Duration::from_secs(300);
/// How long one SMTP command may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often sent and failed messages past their keeping time are purged.
const PURGE_EVERY_SECS: i64 = 3600;

/// RFC 3834: marks the message as automatic, so that out-of-office replies
/// are not sent back to the town hall's address.
const AUTO_SUBMITTED: HeaderName = HeaderName::new_from_ascii_str("Auto-Submitted");
const CONTENT_LANGUAGE: HeaderName = HeaderName::new_from_ascii_str("Content-Language");
/// RFC 2369 and RFC 8058: where a mail client's « unsubscribe » button
/// sends its one-click POST, for the mails whose template has such a link.
const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");

/// An SMTP transport with what every message needs: sender and commune.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    commune: String,
}

/// What one pass of [`send_due`] did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SendReport {
    pub sent: usize,
    /// Failed attempts that will be tried again.
    pub retried: usize,
    /// Messages given up during this pass.
    pub failed: usize,
    /// A whole batch was taken: more may be due now.
    pub more: bool,
    /// When the next pending message is due, after this pass.
    pub next_due: Option<i64>,
}

/// Why one delivery failed, as the outbox and the logs need it.
struct Failure {
    /// The full error, kept with the message for the admin.
    detail: String,
    /// A short form for the log: a code or a kind, never the server's text
    /// (it often repeats the recipient's address).
    summary: String,
    /// The server refused this address for good: retrying cannot help.
    permanent: bool,
    /// The server could not be reached or refused every message (down,
    /// TLS or credentials): the rest of the batch would fail the same way.
    server_wide: bool,
}

impl Mailer {
    /// The mailer of `config`, or `None` when `smtp.host` is not set (messages
    /// then stay in the outbox, readable on the demo page). Must run inside
    /// the tokio runtime: the connection pool starts a task.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, MailError> {
        let Some((builder, from)) = transport_builder(config)? else { return Ok(None) };
        Ok(Some(Mailer { transport: builder.build(), from, commune: config.commune.name.clone() }))
    }

    /// Closes the pooled connections politely (QUIT).
    pub async fn shutdown(&self) {
        self.transport.shutdown().await;
    }

    /// Builds and sends one message; `Ok` means the server accepted it.
    async fn deliver(&self, mail: &OutgoingMail) -> Result<(), Failure> {
        let message = self.message(mail).map_err(|detail| Failure {
            summary: "message refused before sending".into(),
            detail,
            permanent: true,
            server_wide: false,
        })?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => Err(classify(&e)),
        }
    }

    fn message(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let address: Address =
            mail.to.parse().map_err(|e| format!("the recipient address is not valid ({e}): it cannot be sent"))?;
        let rendered = render(&mail.template, mail.language(), &self.commune);
        let domain = self.from.email.domain();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, address))
            .subject(rendered.subject)
            .message_id(Some(format!("<parvis.{}.{}@{domain}>", mail.id, mail.created_at)))
            .raw_header(HeaderValue::new(AUTO_SUBMITTED, "auto-generated".into()))
            .raw_header(HeaderValue::new(CONTENT_LANGUAGE, mail.language().code().into()));
        // A link Parvis made (https, no angle bracket or line break): one header line.
        if let Some(link) = mail.template.unsubscribe().filter(|l| !l.contains(['<', '>', '\r', '\n'])) {
            builder = builder
                .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{link}>")))
                .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click".into()));
        }
        // Plain text first, HTML last: a client shows the last part it can
        // display (RFC 2046 §5.1.4), and one that reads no HTML, or a person
        // who prefers text, still has the whole message.
        let html = render_html(&mail.template, mail.language(), &self.commune);
        builder
            .multipart(MultiPart::alternative_plain_html(rendered.text, html))
            .map_err(|e| format!("the message cannot be built: {e}"))
    }
}

/// Checks the SMTP settings without connecting: the sender address parses
/// and TLS can be prepared for the host. For start-up checks.
pub fn check_config(config: &Config) -> Result<(), MailError> {
    transport_builder(config).map(|_| ())
}

fn transport_builder(config: &Config) -> Result<Option<(AsyncSmtpTransportBuilder, Mailbox)>, MailError> {
    let smtp = &config.smtp;
    let Some(host) = smtp.host.as_deref().map(str::trim).filter(|h| !h.is_empty()) else { return Ok(None) };
    let from_text = smtp.from.as_deref().ok_or(MailError::MissingFrom)?;
    let from: Mailbox = from_text.parse().map_err(|_| MailError::InvalidFrom(from_text.to_string()))?;
    let tls_error =
        |e: lettre::transport::smtp::Error| MailError::Tls { host: host.to_string(), detail: e.to_string() };
    let mut builder = match smtp.security {
        // STARTTLS is required, never optional: a server that does not offer
        // it must not receive links and addresses in clear text.
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(tls_error)?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(tls_error)?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
    };
    builder = builder.port(smtp.port).timeout(Some(SMTP_TIMEOUT));
    if let Some(user) = smtp.username.as_deref().filter(|u| !u.is_empty()) {
        builder = builder.credentials(Credentials::new(user.to_string(), smtp.password.expose().to_string()));
    }
    Ok(Some((builder, from)))
}

fn classify(e: &lettre::transport::smtp::Error) -> Failure {
    let code = e.status().map(u16::from);
    let summary = match code {
        Some(code) => format!("SMTP {code}"),
        None if e.is_timeout() => "timeout".into(),
        None if e.is_tls() => "TLS error".into(),
        None => "connection error".into(),
    };
    Failure {
        detail: e.to_string(),
        summary,
        // 550 mailbox unavailable, 551 user not local, 553 mailbox name not
        // allowed: about this address. Other 5xx (554, 552 mailbox full…) are
        // often local policy or temporary in practice, so they are retried.
        permanent: matches!(code, Some(550 | 551 | 553)),
        // No reply code: not reached, TLS failed, or the reply made no sense.
        // 421: service closing; 530, 534, 535: authentication required or refused.
        server_wide: matches!(code, None | Some(421 | 530 | 534 | 535)),
    }
}

/// One pass: sends up to [`BATCH`] messages due at `now`, each marked sent or
/// scheduled again as soon as its attempt ends. When the server cannot be
/// reached, the rest of the batch is scheduled again with the same error
/// instead of waiting for the same timeout once per message.
pub async fn send_due(store: &Store, mailer: &Mailer, now: i64) -> Result<SendReport, StoreError> {
    let batch = outbox::due(&*store.read()?, store.keys(), now, BATCH)?;
    let mut report = SendReport { more: batch.len() == BATCH, ..SendReport::default() };
    let mut batch = batch.into_iter();
    while let Some(mail) = batch.next() {
        let id = mail.id;
        match mailer.deliver(&mail).await {
            Ok(()) => {
                store.write(move |tx| outbox::mark_sent(tx, id, now)).await?;
                report.sent += 1;
                tracing::debug!(mail = id.get(), domain = mail.recipient_domain(), "mail sent");
            }
            Err(failure) => {
                let mut failed = vec![mail];
                if failure.server_wide {
                    failed.extend(batch.by_ref());
                }
                for mail in failed {
                    let (id, detail, permanent) = (mail.id, failure.detail.clone(), failure.permanent);
                    let state = store.write(move |tx| outbox::mark_retry(tx, id, now, &detail, permanent)).await?;
                    match state {
                        Some(MailState::Failed { attempts, .. }) => {
                            report.failed += 1;
                            tracing::error!(
                                mail = id.get(),
                                domain = mail.recipient_domain(),
                                attempts,
                                error = %failure.summary,
                                "mail given up: the admin sees it in the outbox"
                            );
                        }
                        Some(MailState::Pending { attempts, next_attempt_at, .. }) => {
                            report.retried += 1;
                            tracing::warn!(
                                mail = id.get(),
                                domain = mail.recipient_domain(),
                                attempts,
                                retry_in_secs = next_attempt_at - now,
                                error = %failure.summary,
                                "mail not sent, will retry"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    report.next_due = outbox::next_due(&*store.read()?)?;
    Ok(report)
}

/// The sender task: sends what is due, then sleeps until the next message is
/// due, the writer commits a transaction that called [`outbox::enqueue`]
/// ([`crate::store::Writer::mail_queued`]), or `shutdown` turns true. Without `smtp.host` it
/// returns at once and messages stay in the outbox.
pub async fn run_sender(store: Store, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    let wake = store.writer().mail_queued();
    let mailer = match Mailer::from_config(&config) {
        Ok(Some(mailer)) => mailer,
        Ok(None) => {
            tracing::info!("smtp.host is not set: messages stay in the outbox and are not sent");
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "mail cannot be sent; messages stay in the outbox");
            return;
        }
    };
    tracing::info!(host = config.smtp.host.as_deref().unwrap_or(""), port = config.smtp.port, "mail sender started");
    let mut last_purge = i64::MIN;
    while !*shutdown.borrow() {
        let now = crate::domain::now_unix();
        if now.saturating_sub(last_purge) >= PURGE_EVERY_SECS {
            last_purge = now;
            match store.write(move |tx| outbox::purge(tx, now)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "old sent and failed mail purged"),
                Err(e) => tracing::error!(error = %e, "cannot purge old mail"),
            }
        }
        // A shutdown does not wait for a slow server; a message sent but not
        // yet marked is sent again at the next start (at least once).
        let pass = tokio::select! {
            _ = shutdown.changed() => break,
            pass = send_due(&store, &mailer, now) => pass,
        };
        let wait = match pass {
            Ok(report) if report.more => Duration::ZERO,
            Ok(report) => match report.next_due {
                Some(due) => Duration::from_secs(due.saturating_sub(now).max(1) as u64).min(IDLE_CHECK),
                None => IDLE_CHECK,
            },
            Err(e) => {
                tracing::error!(error = %e, "cannot read or update the outbox; trying again in a minute");
                Duration::from_secs(60)
            }
        };
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
    mailer.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Layers, Value};
    use crate::domain::ids::MailId;

    fn config(settings: &[(&str, Value)]) -> Config {
        let mut layers = Layers::defaults();
        layers.set("commune.name", Value::Text("Testville".into())).unwrap();
        layers.set("server.public_url", Value::Text("https://participer.example.fr".into())).unwrap();
        for (k, v) in settings {
            layers.set(k, v.clone()).unwrap();
        }
        Config::from_layers(layers).unwrap()
    }

    #[test]
    fn no_host_means_no_mailer_and_a_bad_sender_is_refused() {
        assert!(matches!(check_config(&config(&[])), Ok(())));
        let bad = config(&[
            ("smtp.host", Value::Text("smtp.example.fr".into())),
            ("smtp.from", Value::Text("not an address".into())),
        ]);
        assert!(matches!(check_config(&bad), Err(MailError::InvalidFrom(_))));
        for security in ["starttls", "tls", "none"] {
            let good = config(&[
                ("smtp.host", Value::Text("smtp.example.fr".into())),
                ("smtp.security", Value::Text(security.into())),
                ("smtp.from", Value::Text("Mairie de Testville <participer@example.fr>".into())),
            ]);
            assert!(check_config(&good).is_ok(), "{security}");
        }
    }

    #[tokio::test]
    async fn a_message_carries_sender_subject_language_and_a_stable_id() {
        let c = config(&[
            ("smtp.host", Value::Text("127.0.0.1".into())),
            ("smtp.security", Value::Text("none".into())),
            ("smtp.from", Value::Text("Mairie de Testville <participer@example.fr>".into())),
        ]);
        let mailer = Mailer::from_config(&c).unwrap().unwrap();
        let mail = OutgoingMail {
            id: MailId(7),
            to: "camille@example.org".into(),
            lang: crate::i18n::Lang::En,
            template: super::super::Template::PasswordChanged { name: "Camille".into() },
            created_at: 1234,
            state: MailState::Pending { attempts: 0, next_attempt_at: 0, last_error: None },
        };
        let raw = String::from_utf8(mailer.message(&mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <parvis.7.1234@example.fr>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
        assert!(raw.contains("Content-Language: en"), "{raw}");
        assert!(raw.contains("Subject: Your password was changed"), "{raw}");
        assert!(raw.contains("To: camille@example.org"), "{raw}");
        // One message, two renderings: plain text first, HTML last.
        assert!(raw.contains("Content-Type: multipart/alternative;"), "{raw}");
        let (text, html) = (raw.find("Content-Type: text/plain"), raw.find("Content-Type: text/html"));
        assert!(matches!((text, html), (Some(t), Some(h)) if t < h), "{raw}");
        let bad = OutgoingMail { to: "not-an-address".into(), ..mail };
        assert!(mailer.message(&bad).is_err());
        mailer.shutdown().await;
    }
}
