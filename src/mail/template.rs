//! The messages Parvis sends, and their rendering in the recipient's language.
//!
//! A message is stored as a [`Template`] (what happened, with its few values)
//! rather than as finished text, so a queued message is rendered in the
//! recipient's language with the current translations when it leaves. Texts
//! live in `locales/<lang>/mail.ftl`; each template has a `-subject` and a
//! `-body` message there.
//!
//! Keys are built from a stem instead of written as `.t("literal")`: the
//! interface's key check reads only `parvis.ftl`, and this module's own tests
//! check every mail key in both languages.

use serde::{Deserialize, Serialize};

use super::html;
use crate::i18n::{Arg, Lang};

/// A message Parvis sends.
///
/// Stored with postcard, which records the variant's position: add new
/// variants at the end only, and never reorder or change a field without a
/// migration.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Template {
    /// After sign-up or a change of address: prove the address is yours.
    ConfirmEmail { name: String, link: String },
    /// A single-use password reset link.
    ResetPassword { name: String, link: String },
    /// An admin invites someone to join the town hall's team.
    StaffInvitation {
        inviter: String,
        /// `Role::as_str()`: "moderator", "staff" or "admin".
        role: String,
        /// The service of the town hall, e.g. "voirie".
        service: Option<String>,
        link: String,
    },
    /// Security notice: someone changed the password.
    PasswordChanged { name: String },
    /// Security notice: two-factor authentication was turned on or off (or reset).
    TwoFactorChanged { name: String, enabled: bool },
    /// Security notice sent to the *old* address.
    EmailChanged { name: String, new_email: String },
    /// The town hall blocked the account.
    AccountBlocked { name: String },
    /// A notification of a later feature; `subject` and `text` are already in
    /// the recipient's language.
    Notification { name: String, subject: String, text: String, link: Option<String> },
    /// The account has not been used for a long time and will be deleted in
    /// `delete_in_days` days unless the person signs in at `link`.
    InactiveAccount { name: String, inactive_days: u32, delete_in_days: u32, link: String },
    /// A resident filed a problem report: sent to the service its category
    /// is routed to, in the commune's language, with a link to the report.
    ReportFiled {
        service: String,
        number: u64,
        category: String,
        /// The typed address, or the coordinates when none was given.
        place: String,
        description: String,
        link: String,
    },
    /// Someone without an account filed a problem report: the link that
    /// publishes it, to the address they gave, in the form's language.
    ConfirmReport {
        /// The name they gave.
        name: String,
        number: u64,
        category: String,
        link: String,
    },
    /// Some weeks after a report was fixed: "is it really fixed?", to its
    /// author, with a signed link for each answer.
    ReportFixedCheck {
        name: String,
        number: u64,
        category: String,
        place: String,
        link: String,
        yes: String,
        no: String,
    },
    /// A new report, or a new status, in a neighbourhood or category the
    /// person follows; `subject` and `text` are in their language, `area`
    /// names what they follow and `unsubscribe` stops it. No longer sent
    /// (the alerts are notifications of `Kind::Areas`, mailed as
    /// [`Template::Notified`]); kept, in its place, so that the mails
    /// already in the outbox still open and render: letters are sealed, and
    /// no migration can open them to rewrite them.
    ReportAlert { name: String, subject: String, text: String, link: String, area: String, unsubscribe: String },
    /// [`Template::ReportFiled`] for a category with extra questions: the
    /// same, with the answers, each (question as asked, answer). A variant
    /// of its own, so that the mails already queued still decode.
    ReportFiledAnswered {
        service: String,
        number: u64,
        category: String,
        place: String,
        description: String,
        answers: Vec<(String, String)>,
        link: String,
    },
    /// A consultation's outcome was published or updated: `subject` and
    /// `text` in the recipient's language, and `unsubscribe`, the signed
    /// link that stops these mails (also sent as `List-Unsubscribe`). No
    /// longer sent (the outcome is a notification of `Kind::Consultations`);
    /// kept for the mails already in the outbox, as [`Template::ReportAlert`]
    /// is: removing it would also move every later variant's position.
    ConsultationOutcome { name: String, subject: String, text: String, link: String, unsubscribe: String },
    /// A notification of what the person follows or posted, sent at once:
    /// `subject` and `text` in their language, the page it is about, their
    /// settings page, and `unsubscribe`, the signed link that stops this
    /// kind of notification (also sent as `List-Unsubscribe`); `also`, a
    /// second, narrower stop link when the notification has one (an area
    /// alert: stop this neighbourhood or category only). Letters sealed
    /// before `also` existed open as `also: None` (`outbox::open_letter`).
    Notified {
        name: String,
        subject: String,
        text: String,
        link: String,
        settings: String,
        unsubscribe: String,
        also: Option<AlsoStop>,
    },
    /// The daily or weekly digest: the notifications that waited, grouped
    /// by process (headings and lines in the person's language), with the
    /// settings page and the signed link that stops the digests.
    Digest { name: String, sections: Vec<DigestSection>, settings: String, unsubscribe: String },
    /// A newsletter to a person who consents: its `subject` and `text`
    /// (Markdown, which reads as plain text) as the admin wrote them, `link`
    /// to its archive page and `unsubscribe`, the signed link that
    /// withdraws the consent (also sent as `List-Unsubscribe`).
    Newsletter { name: String, subject: String, text: String, link: String, unsubscribe: String },
}

/// The second stop link of a [`Template::Notified`]: the sentence that
/// says what it stops, in the recipient's language, and the link.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AlsoStop {
    pub text: String,
    pub link: String,
}

/// One process's part of a [`Template::Digest`]: its heading, then each
/// item's line and address.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DigestSection {
    pub heading: String,
    pub items: Vec<(String, String)>,
}

/// A message ready to send: one subject line and a plain-text body.
///
/// The plain text is the reference: it reads well in every client and screen
/// reader, and links are made clickable by mail clients. The HTML part the
/// sender adds ([`render_html`]) is built from the same pieces.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

const SUBJECT: &str = "mail-subject";
const GREETING: &str = "mail-greeting";
const GREETING_ANONYMOUS: &str = "mail-greeting-anonymous";
const FOOTER: &str = "mail-footer";
/// The sentence with the one-click unsubscribe link, for a template whose
/// body does not already hold it.
const UNSUBSCRIBE: &str = "mail-unsubscribe";

impl Template {
    /// The stem of the template's messages in `mail.ftl`.
    pub fn stem(&self) -> &'static str {
        match self {
            Template::ConfirmEmail { .. } => "mail-confirm-email",
            Template::ResetPassword { .. } => "mail-reset-password",
            Template::StaffInvitation { .. } => "mail-staff-invitation",
            Template::PasswordChanged { .. } => "mail-password-changed",
            Template::TwoFactorChanged { .. } => "mail-two-factor-changed",
            Template::EmailChanged { .. } => "mail-email-changed",
            Template::AccountBlocked { .. } => "mail-account-blocked",
            Template::Notification { .. } => "mail-notification",
            Template::InactiveAccount { .. } => "mail-inactive-account",
            Template::ReportFiled { .. } => "mail-report-filed",
            Template::ConfirmReport { .. } => "mail-confirm-report",
            Template::ReportFixedCheck { .. } => "mail-report-fixed-check",
            Template::ReportAlert { .. } => "mail-report-alert",
            Template::ReportFiledAnswered { .. } => "mail-report-filed-answered",
            Template::ConsultationOutcome { .. } => "mail-consultation-outcome",
            Template::Notified { .. } => "mail-notified",
            Template::Digest { .. } => "mail-digest",
            Template::Newsletter { .. } => "mail-newsletter",
        }
    }

    /// The address that stops this kind of mail in one click, when it has
    /// one: the sender puts it in the `List-Unsubscribe` header (RFC 8058).
    pub fn unsubscribe(&self) -> Option<&str> {
        match self {
            Template::ConsultationOutcome { unsubscribe, .. }
            | Template::Notified { unsubscribe, .. }
            | Template::Digest { unsubscribe, .. }
            | Template::Newsletter { unsubscribe, .. } => Some(unsubscribe),
            // The reports' alert link opens a confirmation page whose form
            // needs the page's CSRF token: not a one-click POST target yet.
            Template::ReportAlert { .. }
            | Template::ConfirmEmail { .. }
            | Template::ResetPassword { .. }
            | Template::StaffInvitation { .. }
            | Template::PasswordChanged { .. }
            | Template::TwoFactorChanged { .. }
            | Template::EmailChanged { .. }
            | Template::AccountBlocked { .. }
            | Template::Notification { .. }
            | Template::InactiveAccount { .. }
            | Template::ReportFiled { .. }
            | Template::ConfirmReport { .. }
            | Template::ReportFixedCheck { .. }
            | Template::ReportFiledAnswered { .. } => None,
        }
    }

    /// The name to greet, when the recipient has an account.
    fn name(&self) -> Option<&str> {
        match self {
            Template::ConfirmEmail { name, .. }
            | Template::ResetPassword { name, .. }
            | Template::PasswordChanged { name }
            | Template::TwoFactorChanged { name, .. }
            | Template::EmailChanged { name, .. }
            | Template::AccountBlocked { name }
            | Template::Notification { name, .. }
            | Template::InactiveAccount { name, .. }
            | Template::ConfirmReport { name, .. } => Some(name),
            Template::ReportFixedCheck { name, .. }
            | Template::ReportAlert { name, .. }
            | Template::ConsultationOutcome { name, .. }
            | Template::Notified { name, .. }
            | Template::Digest { name, .. }
            | Template::Newsletter { name, .. } => Some(name),
            Template::StaffInvitation { .. } | Template::ReportFiled { .. } | Template::ReportFiledAnswered { .. } => {
                None
            }
        }
    }

    fn args(&self, commune: &str) -> Vec<(&'static str, Arg)> {
        let mut args = vec![("commune", Arg::from(commune))];
        match self {
            Template::ConfirmEmail { name, link } | Template::ResetPassword { name, link } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("link", Arg::from(link.as_str())));
            }
            Template::StaffInvitation { inviter, role, service, link } => {
                args.push(("inviter", Arg::from(inviter.as_str())));
                args.push(("role", Arg::from(role.as_str())));
                // Fluent selects on a word; a service could be called anything.
                args.push(("has_service", Arg::from(if service.is_some() { "yes" } else { "no" })));
                args.push(("service", Arg::from(service.clone().unwrap_or_default())));
                args.push(("link", Arg::from(link.as_str())));
            }
            Template::PasswordChanged { name } | Template::AccountBlocked { name } => {
                args.push(("name", Arg::from(name.as_str())));
            }
            Template::TwoFactorChanged { name, enabled } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("enabled", Arg::from(if *enabled { "yes" } else { "no" })));
            }
            Template::EmailChanged { name, new_email } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("new_email", Arg::from(new_email.as_str())));
            }
            Template::Notification { name, subject, text, link } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("subject", Arg::from(subject.as_str())));
                args.push(("text", Arg::from(text.as_str())));
                args.push(("has_link", Arg::from(if link.is_some() { "yes" } else { "no" })));
                args.push(("link", Arg::from(link.clone().unwrap_or_default())));
            }
            Template::ReportFiled { service, number, category, place, description, link } => {
                args.push(("service", Arg::from(service.as_str())));
                args.push(("number", Arg::from(*number)));
                args.push(("category", Arg::from(category.as_str())));
                args.push(("place", Arg::from(place.as_str())));
                args.push(("description", Arg::from(description.as_str())));
                args.push(("link", Arg::from(link.as_str())));
            }
            Template::ReportFiledAnswered { service, number, category, place, description, answers, link } => {
                args.push(("service", Arg::from(service.as_str())));
                args.push(("number", Arg::from(*number)));
                args.push(("category", Arg::from(category.as_str())));
                args.push(("place", Arg::from(place.as_str())));
                args.push(("description", Arg::from(description.as_str())));
                // One line per answer; a dash reads the same in every language.
                let lines: Vec<String> = answers.iter().map(|(q, a)| format!("{q} — {a}")).collect();
                args.push(("answers", Arg::from(lines.join("\n"))));
                args.push(("link", Arg::from(link.as_str())));
            }
            Template::ConfirmReport { name, number, category, link } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("number", Arg::from(*number)));
                args.push(("category", Arg::from(category.as_str())));
                args.push(("link", Arg::from(link.as_str())));
            }
            Template::ReportFixedCheck { name, number, category, place, link, yes, no } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("number", Arg::from(*number)));
                args.push(("category", Arg::from(category.as_str())));
                args.push(("place", Arg::from(place.as_str())));
                args.push(("link", Arg::from(link.as_str())));
                args.push(("yes", Arg::from(yes.as_str())));
                args.push(("no", Arg::from(no.as_str())));
            }
            Template::ReportAlert { name, subject, text, link, area, unsubscribe } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("subject", Arg::from(subject.as_str())));
                args.push(("text", Arg::from(text.as_str())));
                args.push(("link", Arg::from(link.as_str())));
                args.push(("area", Arg::from(area.as_str())));
                args.push(("unsubscribe", Arg::from(unsubscribe.as_str())));
            }
            Template::ConsultationOutcome { name, subject, text, link, unsubscribe }
            | Template::Newsletter { name, subject, text, link, unsubscribe } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("subject", Arg::from(subject.as_str())));
                args.push(("text", Arg::from(text.as_str())));
                args.push(("link", Arg::from(link.as_str())));
                args.push(("unsubscribe", Arg::from(unsubscribe.as_str())));
            }
            Template::Notified { name, subject, text, link, settings, unsubscribe, also } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("subject", Arg::from(subject.as_str())));
                args.push(("text", Arg::from(text.as_str())));
                args.push(("link", Arg::from(link.as_str())));
                args.push(("settings", Arg::from(settings.as_str())));
                args.push(("unsubscribe", Arg::from(unsubscribe.as_str())));
                // A paragraph of its own, the link alone on its line; empty
                // when there is none (the blank paragraph is trimmed away).
                let also = also.as_ref().map(|a| format!("{}\n{}", a.text.trim_end(), a.link)).unwrap_or_default();
                args.push(("also", Arg::from(also)));
            }
            Template::Digest { name, sections, settings, unsubscribe } => {
                args.push(("name", Arg::from(name.as_str())));
                let count: usize = sections.iter().map(|s| s.items.len()).sum();
                args.push(("count", Arg::from(count as u64)));
                // Each heading, then one item a line with its address on the
                // next, alone, so that every client makes it clickable.
                let blocks: Vec<String> = sections
                    .iter()
                    .map(|s| {
                        let lines: Vec<String> =
                            s.items.iter().map(|(line, link)| format!("- {line}\n  {link}")).collect();
                        format!("{}\n\n{}", s.heading, lines.join("\n"))
                    })
                    .collect();
                args.push(("items", Arg::from(blocks.join("\n\n"))));
                args.push(("settings", Arg::from(settings.as_str())));
                args.push(("unsubscribe", Arg::from(unsubscribe.as_str())));
            }
            Template::InactiveAccount { name, inactive_days, delete_in_days, link } => {
                args.push(("name", Arg::from(name.as_str())));
                args.push(("inactive_days", Arg::from(u64::from(*inactive_days))));
                args.push(("delete_in_days", Arg::from(u64::from(*delete_in_days))));
                args.push(("link", Arg::from(link.as_str())));
            }
        }
        args
    }
}

/// The translated pieces of one mail, shared by its plain-text and HTML
/// renderings so that both say the same words and hold the same links.
struct Parts {
    subject: String,
    greeting: String,
    body: String,
    /// The paragraph with the template's one-click unsubscribe link: the
    /// body's own when it has one, else a generic sentence. Kept apart so
    /// that the HTML puts it in the footer; the text ends with it.
    unsubscribe: Option<String>,
    footer: String,
}

fn parts(template: &Template, lang: Lang, commune: &str) -> Parts {
    let args = template.args(commune);
    let stem = template.stem();
    let inner_subject = lang.ta(&format!("{stem}-subject"), &args);
    let subject = lang.ta(SUBJECT, &[("subject", Arg::from(inner_subject)), ("commune", Arg::from(commune))]);
    let greeting = match template.name() {
        Some(name) if !name.trim().is_empty() => lang.ta(GREETING, &[("name", Arg::from(name.trim()))]),
        _ => lang.t(GREETING_ANONYMOUS),
    };
    let body = lang.ta(&format!("{stem}-body"), &args);
    let (body, unsubscribe) = match template.unsubscribe() {
        Some(link) => {
            let (body, own) = unsubscribe_apart(&body, link);
            (body, Some(own.unwrap_or_else(|| lang.ta(UNSUBSCRIBE, &[("link", Arg::from(link))]))))
        }
        None => (body, None),
    };
    Parts {
        // A subject is one header line: a name or a notification title must not break it.
        subject: one_line(&subject),
        greeting,
        body: body.trim_end().to_string(),
        unsubscribe,
        footer: lang.ta(FOOTER, &args),
    }
}

/// `body` without its paragraph that holds `link`, and that paragraph.
/// Templates that say why the person gets the mail carry the link in their
/// body already: that paragraph moves to the end, it is not repeated.
fn unsubscribe_apart(body: &str, link: &str) -> (String, Option<String>) {
    let mut kept = Vec::new();
    let mut own = None;
    for block in body.trim_end().split("\n\n") {
        match own {
            None if block.contains(link) => own = Some(block.trim_matches('\n').to_string()),
            _ => kept.push(block),
        }
    }
    (kept.join("\n\n"), own)
}

/// Renders `template` in `lang` for the commune called `commune`.
pub fn render(template: &Template, lang: Lang, commune: &str) -> Rendered {
    let Parts { subject, greeting, body, unsubscribe, footer } = parts(template, lang, commune);
    let text = match unsubscribe {
        Some(unsubscribe) => format!("{greeting}\n\n{body}\n\n{}\n\n{footer}\n", unsubscribe.trim_end()),
        None => format!("{greeting}\n\n{body}\n\n{footer}\n"),
    };
    Rendered { subject, text }
}

/// The HTML part of the same mail: the words and links of [`render`]'s text
/// in a small inline-styled layout (see [`super::html`]), with no image and
/// no outside resource.
pub fn render_html(template: &Template, lang: Lang, commune: &str) -> String {
    let parts = parts(template, lang, commune);
    html::page(&html::Page {
        lang,
        commune,
        subject: &parts.subject,
        greeting: &parts.greeting,
        body: &parts.body,
        unsubscribe: parts.unsubscribe.as_deref(),
        footer: &parts.footer,
    })
}

fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
pub(crate) fn examples() -> Vec<Template> {
    let link = "https://participer.example.fr/compte/confirmer?jeton=abc123".to_string();
    vec![
        Template::ConfirmEmail { name: "Camille".into(), link: link.clone() },
        Template::ResetPassword { name: "Camille".into(), link: link.clone() },
        Template::StaffInvitation {
            inviter: "Dominique Roux".into(),
            role: "staff".into(),
            service: Some("Voirie".into()),
            link: link.clone(),
        },
        Template::StaffInvitation { inviter: "Dominique Roux".into(), role: "admin".into(), service: None, link },
        Template::PasswordChanged { name: "Camille".into() },
        Template::TwoFactorChanged { name: "Camille".into(), enabled: true },
        Template::TwoFactorChanged { name: "Camille".into(), enabled: false },
        Template::EmailChanged { name: "Camille".into(), new_email: "camille@nouveau.fr".into() },
        Template::AccountBlocked { name: "Camille".into() },
        Template::Notification {
            name: "Camille".into(),
            subject: "Votre signalement a été traité".into(),
            text: "Le nid-de-poule de la rue des Lilas a été rebouché.".into(),
            link: Some("https://participer.example.fr/signalements/12".into()),
        },
        Template::Notification {
            name: "Camille".into(), subject: "Réunion".into(), text: "Merci.".into(), link: None
        },
        Template::InactiveAccount {
            name: "Camille".into(),
            inactive_days: 1065,
            delete_in_days: 30,
            link: "https://participer.example.fr/connexion".into(),
        },
        Template::ReportFiled {
            service: "Services techniques".into(),
            number: 12,
            category: "Voirie / nid-de-poule".into(),
            place: "3 rue des Lilas".into(),
            description: "Un nid-de-poule profond devant l'école.".into(),
            link: "https://participer.example.fr/signalements/12".into(),
        },
        Template::ReportFiledAnswered {
            service: "Services techniques".into(),
            number: 14,
            category: "Éclairage public".into(),
            place: "3 rue des Lilas".into(),
            description: "Le lampadaire devant l'école clignote.".into(),
            answers: vec![
                ("Numéro du lampadaire".into(), "L-112".into()),
                ("Le lampadaire est".into(), "clignotant".into()),
            ],
            link: "https://participer.example.fr/signalements/14".into(),
        },
        Template::ConfirmReport {
            name: "Camille".into(),
            number: 13,
            category: "Éclairage public".into(),
            link: "https://participer.example.fr/signalements/confirmer?jeton=abc123".into(),
        },
        Template::ReportFixedCheck {
            name: "Camille".into(),
            number: 12,
            category: "Voirie / nid-de-poule".into(),
            place: "3 rue des Lilas".into(),
            link: "https://participer.example.fr/signalements/12".into(),
            yes: "https://participer.example.fr/signalements/12/repare?tour=1&reponse=oui&cle=ab".into(),
            no: "https://participer.example.fr/signalements/12/repare?tour=1&reponse=non&cle=cd".into(),
        },
        Template::ReportAlert {
            name: "Camille".into(),
            subject: "Nouveau signalement n° 12 : Voirie".into(),
            text: "Un nouveau signalement, 3 rue des Lilas.".into(),
            link: "https://participer.example.fr/signalements/12".into(),
            area: "Centre".into(),
            unsubscribe: "https://participer.example.fr/signalements/alertes/arreter?compte=1&cle=ab".into(),
        },
        Template::ConsultationOutcome {
            name: "Camille".into(),
            subject: "Résultats et décision : « Le marché »".into(),
            text: "La mairie a publié les résultats de la consultation « Le marché ».".into(),
            link: "https://participer.example.fr/consultations/3#bilan".into(),
            unsubscribe: "https://participer.example.fr/consultations/3/ne-plus-prevenir?compte=1&cle=ab".into(),
        },
        Template::Notified {
            name: "Camille".into(),
            subject: "La mairie a répondu à « Un banc place de l'Église »".into(),
            text: "Consultez sa réponse sur la page de la proposition.".into(),
            link: "https://participer.example.fr/propositions/4".into(),
            settings: "https://participer.example.fr/compte/notifications/reglages".into(),
            unsubscribe: "https://participer.example.fr/compte/notifications/arreter?compte=1&type=propositions&cle=ab"
                .into(),
            also: None,
        },
        Template::Notified {
            name: "Camille".into(),
            subject: "Nouveau signalement n° 12 : Voirie".into(),
            text: "Un nouveau signalement (Voirie) a été déposé : 3 rue des Lilas.".into(),
            link: "https://participer.example.fr/signalements/12".into(),
            settings: "https://participer.example.fr/compte/notifications/reglages".into(),
            unsubscribe: "https://participer.example.fr/compte/notifications/arreter?compte=1&type=quartiers&cle=ab"
                .into(),
            also: Some(AlsoStop {
                text: "Ne plus recevoir les alertes du quartier « Centre » seulement :".into(),
                link: "https://participer.example.fr/signalements/alertes/arreter?compte=1&type=quartier&code=Centre&cle=cd"
                    .into(),
            }),
        },
        Template::Digest {
            name: "Camille".into(),
            sections: vec![
                DigestSection {
                    heading: "Propositions".into(),
                    items: vec![(
                        "La mairie a répondu à « Un banc »".into(),
                        "https://participer.example.fr/propositions/4".into(),
                    )],
                },
                DigestSection {
                    heading: "Signalements".into(),
                    items: vec![(
                        "Signalement n° 12 : réparé".into(),
                        "https://participer.example.fr/signalements/12".into(),
                    )],
                },
            ],
            settings: "https://participer.example.fr/compte/notifications/reglages".into(),
            unsubscribe: "https://participer.example.fr/compte/notifications/arreter?compte=1&type=resumes&cle=ab"
                .into(),
        },
        Template::Newsletter {
            name: "Camille".into(),
            subject: "La lettre de mars".into(),
            text: "Le marché revient **place de l'Église** le 12.\n\n- travaux rue des Lilas".into(),
            link: "https://participer.example.fr/lettres/3".into(),
            unsubscribe: "https://participer.example.fr/lettres/desinscription?compte=1&cle=ab".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const FR: &str = include_str!("../../locales/fr/mail.ftl");
    const EN: &str = include_str!("../../locales/en/mail.ftl");

    fn ids(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.'))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .filter(|id| !id.is_empty())
            .collect()
    }

    #[test]
    fn french_and_english_hold_the_same_mail_messages() {
        let (fr, en) = (ids(FR), ids(EN));
        assert!(fr.len() >= 20, "{fr:?}");
        assert_eq!(fr, en);
        for template in examples() {
            for part in ["subject", "body"] {
                assert!(fr.contains(&format!("{}-{part}", template.stem())), "{} {part}", template.stem());
            }
        }
        for key in [SUBJECT, GREETING, GREETING_ANONYMOUS, FOOTER, UNSUBSCRIBE] {
            assert!(fr.contains(key), "{key}");
        }
    }

    #[test]
    fn every_template_renders_completely_in_both_languages() {
        for lang in Lang::ALL {
            for template in examples() {
                let r = render(&template, lang, "Saint-Exemple");
                let all = format!("{}\n{}", r.subject, r.text);
                assert!(r.subject.contains("Saint-Exemple"), "{lang:?} {}", r.subject);
                assert!(r.text.contains("Saint-Exemple"), "{lang:?} {}", r.text);
                assert!(!all.contains('{') && !all.contains('}'), "unresolved placeholder: {all}");
                assert!(!all.contains("Unknown localization") && !all.contains("mail-"), "missing message: {all}");
                assert!(!r.subject.contains('\n'));
                if let Template::ConfirmEmail { link, .. }
                | Template::ResetPassword { link, .. }
                | Template::InactiveAccount { link, .. }
                | Template::ReportFiled { link, .. }
                | Template::ReportFiledAnswered { link, .. }
                | Template::ConfirmReport { link, .. } = &template
                {
                    // The link stands alone on its line so that every client makes it clickable.
                    assert!(r.text.lines().any(|l| l.trim() == link), "{}", r.text);
                }
            }
        }
    }

    /// The words a reader sees in the HTML document's body, entities decoded.
    fn html_words(html: &str) -> Vec<String> {
        let body = &html[html.find("<body").unwrap()..];
        let mut text = String::new();
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
        // `</a>.` leaves a space before the full stop: glue punctuation back as the text has it.
        words(&text.replace("&amp;", "&"))
    }

    fn words(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in text.split_whitespace() {
            match out.last_mut() {
                Some(last) if w.chars().all(|c| ".,;:!?)»".contains(c)) => last.push_str(w),
                _ => out.push(w.to_string()),
            }
        }
        out
    }

    fn links(text: &str) -> BTreeSet<String> {
        text.split_whitespace()
            .filter(|w| w.starts_with("http"))
            .map(|w| w.trim_end_matches(|c: char| ".,;:!?)»".contains(c)).to_string())
            .collect()
    }

    fn hrefs(html: &str) -> BTreeSet<String> {
        html.split("href=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&")).collect()
    }

    #[test]
    fn the_html_part_holds_the_same_words_and_links_as_the_text() {
        for lang in Lang::ALL {
            for template in examples() {
                let text = render(&template, lang, "Saint-Exemple").text;
                let html = render_html(&template, lang, "Saint-Exemple");
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())), "{html}");
                // The commune's name heads the HTML; the text's "-- " is a border there.
                let mut expected = vec!["Saint-Exemple".to_string()];
                expected.extend(words(&text).into_iter().filter(|w| w != "--"));
                assert_eq!(html_words(&html), expected, "{lang:?} {}", template.stem());
                assert_eq!(hrefs(&html), links(&text), "{lang:?} {}", template.stem());
                assert_eq!(html.matches("http").count(), 2 * html.matches("href=").count(), "{html}");
                if let Some(link) = template.unsubscribe() {
                    let footer = &html[html.find("border-top").unwrap()..];
                    assert!(footer.contains(&format!("href=\"{}\"", link.replace('&', "&amp;"))), "{footer}");
                    assert_eq!(text.matches(link).count(), 1, "{text}");
                }
            }
        }
    }

    #[test]
    fn a_name_with_markup_is_escaped_in_the_html() {
        let t = Template::PasswordChanged { name: "<script>alert(1)</script>Camille".into() };
        let html = render_html(&t, Lang::Fr, "Saint-<b>Exemple</b>");
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
        assert!(html.contains("Bonjour &lt;script&gt;alert(1)&lt;/script&gt;Camille,"), "{html}");
    }

    #[test]
    fn the_unsubscribe_paragraph_moves_to_the_end_and_is_never_repeated() {
        let link = "https://x.fr/stop?k=1&c=2";
        let (body, own) = unsubscribe_apart(&format!("Début.\n\nArrêter :\n{link}\n\nFin."), link);
        assert_eq!(body, "Début.\n\nFin.");
        assert_eq!(own.as_deref(), Some(format!("Arrêter :\n{link}").as_str()));
        // A body without the link keeps everything; render adds the generic sentence.
        let (body, own) = unsubscribe_apart("Début.\n\nFin.\n", link);
        assert_eq!((body.as_str(), own), ("Début.\n\nFin.", None));
        for lang in Lang::ALL {
            let sentence = lang.ta(UNSUBSCRIBE, &[("link", Arg::from(link))]);
            assert!(sentence.lines().any(|l| l.trim() == link), "{sentence}");
        }
    }

    #[test]
    fn the_recipients_language_is_used() {
        let t = Template::ConfirmEmail { name: "Camille".into(), link: "https://x.fr/c".into() };
        let fr = render(&t, Lang::Fr, "Testville");
        let en = render(&t, Lang::En, "Testville");
        assert!(fr.subject.contains("Confirmez"), "{}", fr.subject);
        assert!(fr.text.starts_with("Bonjour Camille"), "{}", fr.text);
        assert!(en.subject.contains("Confirm"), "{}", en.subject);
        assert!(en.text.starts_with("Hello Camille"), "{}", en.text);
        // Paragraphs are kept: the body is not run together into one line.
        assert!(fr.text.contains("\n\nhttps://x.fr/c\n\n"), "{}", fr.text);
    }

    #[test]
    fn choices_follow_the_values() {
        let on = render(&Template::TwoFactorChanged { name: "C".into(), enabled: true }, Lang::En, "T");
        let off = render(&Template::TwoFactorChanged { name: "C".into(), enabled: false }, Lang::En, "T");
        assert_ne!(on.subject, off.subject);
        let with = render(
            &Template::StaffInvitation {
                inviter: "D".into(),
                role: "staff".into(),
                service: Some("Voirie".into()),
                link: "https://x".into(),
            },
            Lang::Fr,
            "T",
        );
        assert!(with.text.contains("Voirie"), "{}", with.text);
        let anonymous = render(
            &Template::StaffInvitation {
                inviter: "D".into(),
                role: "admin".into(),
                service: None,
                link: "https://x".into(),
            },
            Lang::Fr,
            "T",
        );
        assert!(anonymous.text.starts_with("Bonjour,"), "{}", anonymous.text);
    }

    #[test]
    fn a_subject_given_by_a_caller_cannot_add_header_lines() {
        let t = Template::Notification {
            name: "C".into(),
            subject: "Titre\r\nBcc: x@y.fr".into(),
            text: "t".into(),
            link: None,
        };
        let r = render(&t, Lang::Fr, "T");
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'), "{}", r.subject);
    }
}
