//! The home page.

use maud::{html, Markup};

use super::chrome::Chrome;
use super::components::paragraphs;
use super::errors::AppError;
use super::layout::page;
use crate::domain::{accounts, budgets, groups, meetings};
use crate::i18n::Arg;

/// `GET /`.
#[poem::handler]
pub async fn home(chrome: Chrome) -> Result<Markup, AppError> {
    let tx = chrome.state.store.read()?;
    let residents = accounts::count(&tx)?;
    let now = crate::domain::now_unix();
    // Only what this viewer may see: a pilot group's processes stay
    // among its members (`domain::groups`).
    let viewer = super::groups::viewer(&chrome);
    let mut coming = Vec::new();
    for m in meetings::upcoming(&tx, now, 50)? {
        if coming.len() < 3 && groups::may_see(&*tx, viewer, groups::Process::Meeting(m.id))? {
            coming.push(m);
        }
    }
    // A participatory budget whose vote is open is the thing to do first.
    let mut voting: Vec<budgets::Summary> = Vec::new();
    for b in budgets::voting(&tx, now)? {
        if groups::may_see(&*tx, viewer, groups::Process::Budget(b.id))? {
            voting.push(b);
        }
    }
    drop(tx);
    let config = chrome.config();
    let lang = chrome.lang;
    let title = lang.ta("home-title", &[("commune", Arg::from(config.commune.name.as_str()))]);
    Ok(page(
        &chrome,
        &chrome.t("nav-home"),
        html! {
            h1 { (title) }
            (super::satisfaction::banner(&chrome)?)
            (super::launch::home_block(&chrome)?)
            @if config.commune.intro.is_empty() {
                p.lead { (chrome.t("home-default-intro")) }
            } @else {
                div.lead lang=(config.default_language.code()) { (paragraphs(&config.commune.intro)) }
            }
            @if !voting.is_empty() {
                section.panel aria-labelledby="budget-participatif" {
                    h2 #budget-participatif { (chrome.t("home-budget-title")) }
                    @for p in &voting {
                        p { a href={ "/budgets/" (p.id) "/voter" } { (lang.ta("home-budget-vote", &[("title", Arg::from(p.title.as_str()))])) } }
                    }
                }
            }
            (super::news::latest(&chrome, &chrome.state)?)
            @if !coming.is_empty() {
                section aria-labelledby="rendez-vous" {
                    h2 #rendez-vous { (chrome.t("home-meetings-title")) }
                    ul.cards { @for m in &coming { (super::meetings::card(&chrome, m)) } }
                    p { a href="/rendez-vous" { (chrome.t("home-meetings-all")) } }
                }
            }
            section.panel aria-labelledby="participants" {
                h2 #participants { (chrome.t("home-participants-title")) }
                p.big-number { (lang.ta("home-residents", &[("count", Arg::from(residents))])) }
                p { a href=(super::impact::PATH) { (chrome.t("impact-link")) } }
            }
            @if !config.commune.neighbourhoods.is_empty() {
                section aria-labelledby="quartiers" {
                    h2 #quartiers { (chrome.t("home-neighbourhoods-title")) }
                    p { (chrome.t("home-neighbourhoods-text")) }
                    ul.tags {
                        @for n in &config.commune.neighbourhoods { li { (n) } }
                    }
                }
            }
            section aria-labelledby="charte" {
                h2 #charte { (chrome.t("home-about-title")) }
                p { (chrome.t("home-about-text")) }
                p { a href="/donnees-personnelles" { (chrome.t("home-about-privacy-link")) } }
            }
        },
    ))
}
