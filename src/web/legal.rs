//! The pages every French commune site needs: mentions légales, données
//! personnelles, and the accessibility statement (déclaration
//! d'accessibilité, RGAA 4.1). Their facts come from the configuration.

use maud::{html, Markup};

use super::chrome::Chrome;
use super::components::{config_facts, paragraphs};
use super::layout::page;
use crate::config::RgaaStatus;
use crate::i18n::Arg;

/// `GET /mentions-legales`.
#[poem::handler]
pub async fn legal_notice(chrome: Chrome) -> Markup {
    let legal = &chrome.config().legal;
    let title = chrome.t("legal-notice-title");
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            (config_facts(&chrome, &[
                (&chrome.t("legal-publisher"), legal.publisher.as_deref()),
                (&chrome.t("legal-director"), legal.publication_director.as_deref()),
                (&chrome.t("legal-host"), legal.host.as_deref()),
            ]))
            h2 { (chrome.t("legal-contributions-title")) }
            p { (chrome.t("legal-contributions-text")) }
            h2 { (chrome.t("legal-software-title")) }
            p { (chrome.ta_version("legal-software-text")) }
            // AGPL section 13: the people who use the site over the network
            // are offered its corresponding source.
            @match &legal.source_url {
                Some(url) => p { (chrome.t("legal-source-at")) " " a href=(url) { (chrome.t("source-code-link")) } },
                None => p { (chrome.t("legal-source-from-publisher")) },
            }
        },
    )
}

/// `GET /donnees-personnelles`.
#[poem::handler]
pub async fn privacy(chrome: Chrome) -> Markup {
    let config = chrome.config();
    let lang = chrome.lang;
    let title = chrome.t("privacy-title");
    let backups = match config.backup.interval {
        Some(every) => lang.ta(
            "privacy-retention-backups",
            &[("count", Arg::from(config.backup.keep as u64)), ("hours", Arg::from(every.as_secs() / 3600))],
        ),
        None => chrome.t("privacy-retention-no-backups"),
    };
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (lang.ta("privacy-intro", &[("commune", Arg::from(config.commune.name.as_str()))])) }
            h2 { (chrome.t("privacy-controller-title")) }
            (config_facts(&chrome, &[
                (&chrome.t("privacy-controller"), Some(config.commune.name.as_str())),
                (&chrome.t("privacy-dpo"), config.legal.dpo_name.as_deref()),
                (&chrome.t("privacy-dpo-contact"), config.legal.dpo_email.as_deref()),
            ]))
            h2 { (chrome.t("privacy-data-title")) }
            ul {
                li { (chrome.t("privacy-data-account")) }
                li { (chrome.t("privacy-data-profile")) }
                li { (chrome.t("privacy-data-contributions")) }
                li { (chrome.t("privacy-data-visitor-reports")) }
                li { (chrome.t("privacy-data-logs")) }
                li { (chrome.t("privacy-data-page-feedback")) }
            }
            h2 { (chrome.t("privacy-purpose-title")) }
            p { (chrome.t("privacy-purpose-text")) }
            h2 { (chrome.t("privacy-retention-title")) }
            ul {
                li { (lang.ta("privacy-retention-accounts", &[("days", Arg::from(config.retention.inactive_account_days as u64))])) }
                li { (chrome.t("privacy-retention-visitor-reports")) }
                li { (lang.ta("privacy-retention-consultation-drafts", &[("days", Arg::from((crate::domain::consultations::DRAFT_KEPT_AFTER_CLOSE_SECS / 86_400) as u64))])) }
                li { (lang.ta("privacy-retention-audit", &[("days", Arg::from(config.retention.audit_days as u64))])) }
                li { (backups) }
                (crate::web::verification::privacy_retention(&chrome))
            }
            h2 { (chrome.t("privacy-cookies-title")) }
            p { (chrome.t("privacy-cookies-text")) }
            h2 { (chrome.t("privacy-rights-title")) }
            p { (chrome.t("privacy-rights-text")) }
            p { (chrome.t("privacy-cnil")) }
        },
    )
}

/// `GET /accessibilite`: the accessibility statement, in the shape RGAA asks for.
#[poem::handler]
pub async fn accessibility(chrome: Chrome) -> Markup {
    let config = chrome.config();
    let a11y = &config.accessibility;
    let lang = chrome.lang;
    let url = config.server.public_url.as_str();
    let commune = config.commune.name.as_str();
    let title = chrome.t("a11y-title");
    let status_key = match a11y.status {
        RgaaStatus::None => "a11y-conformity-none",
        RgaaStatus::Partial => "a11y-conformity-partial",
        RgaaStatus::Full => "a11y-conformity-full",
    };
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { (lang.ta("a11y-commitment", &[("commune", Arg::from(commune))])) }
            p { (lang.ta("a11y-scope", &[("url", Arg::from(url))])) }
            h2 { (chrome.t("a11y-conformity-title")) }
            p { strong { (lang.ta(status_key, &[("url", Arg::from(url))])) } }
            h2 { (chrome.t("a11y-results-title")) }
            @if a11y.audit.is_empty() {
                p { (chrome.t("a11y-no-audit")) }
            } @else {
                div lang=(config.default_language.code()) { (paragraphs(&a11y.audit)) }
            }
            h2 { (chrome.t("a11y-non-compliant-title")) }
            @if a11y.non_compliant.is_empty() {
                p { (chrome.t("a11y-none-known")) }
            } @else {
                div lang=(config.default_language.code()) { (paragraphs(&a11y.non_compliant)) }
            }
            h2 { (chrome.t("a11y-establishment-title")) }
            p { (chrome.t("a11y-technologies")) }
            p { (chrome.t("a11y-testing")) }
            h2 { (chrome.t("a11y-contact-title")) }
            p { (chrome.t("a11y-contact-text")) }
            (config_facts(&chrome, &[(&chrome.t("a11y-contact"), a11y.contact.as_deref())]))
            h2 { (chrome.t("a11y-remedy-title")) }
            p { (chrome.t("a11y-remedy-text")) }
            ul {
                li { (chrome.t("a11y-remedy-online")) }
                li { (chrome.t("a11y-remedy-delegate")) }
                li { (chrome.t("a11y-remedy-mail")) }
            }
        },
    )
}

impl Chrome {
    /// A message that names the running version of Parvis.
    fn ta_version(&self, key: &str) -> String {
        self.lang.ta(key, &[("version", Arg::from(env!("CARGO_PKG_VERSION")))])
    }
}
