//! The launch campaign (issue 16), the residents' side: the public
//! objectives (`/objectifs`, and a block on the home page while the
//! campaign is on), the launch contest's ideas « primées » (on their box's
//! page and the home page, from the announcement day on), and the
//! embeddable widget ([`widget`]). The staff's page is [`staff`].

pub mod staff;
pub mod widget;

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::Data;

use crate::app::AppState;
use crate::domain::ids::BoxId;
use crate::domain::publication::{self, PublicObjective, PublicProposal};
use crate::domain::{launch, metrics, now_unix};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// The public objectives page.
pub const PATH: &str = "/objectifs";

/// The objectives as anyone may read them (no count under five).
fn public_objectives(state: &AppState, today: i64) -> Result<Vec<PublicObjective>, AppError> {
    let tx = state.store.read()?;
    let all = launch::objectives(&*tx, &state.config.commune.neighbourhoods, today)?;
    Ok(all.iter().map(publication::objective).collect())
}

/// « La Gare : 64 inscrits sur 100 », with a bar; « moins de 5 » and no bar
/// for a neighbourhood under five sign-ups.
pub fn objectives_list(chrome: &Chrome, objectives: &[PublicObjective], id_prefix: &str) -> Markup {
    html! {
        ul.objectives {
            @for (i, o) in objectives.iter().enumerate() {
                @let id = format!("{id_prefix}-{i}");
                li {
                    @match o.signed_up {
                        Some(n) => {
                            p id=(id) { (chrome.lang.ta("launch-objective", &[
                                ("neighbourhood", Arg::from(o.neighbourhood.as_str())),
                                ("count", Arg::from(n)),
                                ("target", Arg::from(o.target)),
                            ])) }
                            progress max=(o.target) value=(n.min(o.target)) aria-labelledby=(id) {
                                (n.saturating_mul(100) / o.target.max(1)) " %"
                            }
                        }
                        None => {
                            p { (chrome.lang.ta("launch-objective-few", &[
                                ("neighbourhood", Arg::from(o.neighbourhood.as_str())),
                                ("target", Arg::from(o.target)),
                            ])) }
                        }
                    }
                }
            }
        }
    }
}

/// The ideas « primées », as a list of links.
fn awards_list(awards: &[PublicProposal]) -> Markup {
    html! {
        ul.cards {
            @for p in awards {
                li.card { a href={ "/propositions/" (p.id) } { (p.title) } }
            }
        }
    }
}

/// `GET /objectifs`: every neighbourhood's objective, whether or not the
/// campaign is on.
#[poem::handler]
pub async fn objectives_page(chrome: Chrome, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let now = now_unix();
    let objectives = public_objectives(&state, metrics::day_of(now))?;
    let awards = publication::contest_awards(&*state.store.read()?, now)?;
    let title = chrome.t("launch-objectives-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("launch-objectives-lead")) }
            @if objectives.is_empty() {
                p { (chrome.t("launch-objectives-none")) }
            } @else {
                (objectives_list(&chrome, &objectives, "objectif"))
                p.hint { (chrome.t("launch-objectives-hint")) }
            }
            p { a.button href="/inscription" { (chrome.t("launch-sign-up")) } }
            @if let Some((contest, list)) = &awards {
                @if !list.is_empty() {
                    section aria-labelledby="primees" {
                        h2 #primees { (chrome.t("launch-awards-title")) }
                        (awards_list(list))
                        p { a href={ "/idees/" (contest.box_id) } { (chrome.t("launch-awards-box")) } }
                    }
                }
            }
        },
    ))
}

/// The home page's block: the objectives while the campaign is on, and the
/// contest's ideas « primées » from the announcement day on.
pub fn home_block(chrome: &Chrome) -> Result<Markup, AppError> {
    let now = now_unix();
    let today = metrics::day_of(now);
    let (on, awards) = {
        let tx = chrome.state.store.read()?;
        (launch::campaign(&*tx)?.is_on(today), publication::contest_awards(&*tx, now)?)
    };
    let objectives = if on { public_objectives(&chrome.state, today)? } else { Vec::new() };
    Ok(html! {
        @if !objectives.is_empty() {
            section.panel aria-labelledby="objectifs" {
                h2 #objectifs { (chrome.t("launch-home-title")) }
                (objectives_list(chrome, &objectives, "accueil-objectif"))
                p { a href=(PATH) { (chrome.t("launch-home-more")) } }
            }
        }
        @if let Some((_, list)) = &awards {
            @if !list.is_empty() {
                section aria-labelledby="idees-primees" {
                    h2 #idees-primees { (chrome.t("launch-awards-title")) }
                    (awards_list(list))
                }
            }
        }
    })
}

/// The section of an idea box's page that names its ideas « primées », when
/// the box is the launch contest's and the day of the announcement came.
pub fn box_section(chrome: &Chrome, box_id: BoxId) -> Result<Markup, AppError> {
    let awards = publication::contest_awards(&*chrome.state.store.read()?, now_unix())?;
    Ok(html! {
        @if let Some((contest, list)) = &awards {
            @if contest.box_id == box_id && !list.is_empty() {
                section.panel aria-labelledby="primees" {
                    h2 #primees { (chrome.t("launch-awards-title")) }
                    (awards_list(list))
                }
            }
        }
    })
}
