//! The town hall's back office: accounts and roles, staff invitations, the
//! audit log. Every handler here takes a `Staff` or an `Admin`: the
//! extractor refuses everyone else, and sends a person without two-factor
//! authentication to enrolment first. Every change is audited in the
//! transaction that makes it; reading pages is not.

pub mod accounts;
pub mod budget_follow_up;
pub mod budget_photos;
pub mod budgets;
pub mod bulletin;
pub mod invitations;
pub mod journal;
pub mod posters;
pub mod short_links;

use maud::{html, Markup};

use super::auth::Moderator;
use super::chrome::Chrome;
use super::layout::page;
use crate::domain::accounts::{Account, Role};

/// Every back-office page reached by GET without parameters. Tests check
/// that each one sends a back-office member without two-factor
/// authentication to enrolment, so a page added here is covered at once.
pub const BACK_OFFICE_PAGES: &[&str] = &[
    "/admin",
    "/admin/comptes",
    "/admin/invitations",
    "/admin/journal",
    "/admin/tableau-de-bord",
    "/admin/courriels",
    "/admin/moderation",
    "/admin/systeme",
    "/admin/budgets",
    "/admin/liens-courts",
    "/admin/pages-utiles",
    "/admin/lancement",
    "/admin/groupes",
];

/// How many rows a back-office table shows at once: communes have up to
/// tens of thousands of residents and long logs.
pub const PAGE_SIZE: usize = 50;

/// The name to show for an account: "Participant supprimé" when it was
/// deleted (a tombstone has no name) or is gone.
pub fn person_name(chrome: &Chrome, account: Option<&Account>) -> String {
    match account {
        Some(a) if !a.is_erased() && !a.display_name.is_empty() => a.display_name.clone(),
        _ => chrome.t("deleted-participant"),
    }
}

/// A query string from (name, value) pairs, empty values left out.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The roles, lowest first, as the admin's forms list them.
pub const ROLES: [Role; 5] = [Role::Resident, Role::VerifiedResident, Role::Moderator, Role::Staff, Role::Admin];

/// The role named by `Role::as_str`, as sent by a form.
pub fn role_from(code: &str) -> Option<Role> {
    ROLES.iter().copied().find(|r| r.as_str() == code)
}

/// `GET /admin`: what this person may use in the back office.
#[poem::handler]
pub async fn home(chrome: Chrome, Moderator(viewer): Moderator) -> Markup {
    let title = chrome.t("admin-title");
    let admin = viewer.account.role >= Role::Admin;
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("admin-lead")) }
            ul.link-list {
                li {
                    a href="/admin/moderation" { (chrome.t("moderation-title")) }
                    p.hint { (chrome.t("admin-moderation-what")) }
                }
                @if viewer.account.role >= Role::Staff {
                    li {
                        a href="/admin/idees/nouvelle" { (chrome.t("box-new-title")) }
                        p.hint { (chrome.t("admin-boxes-what")) }
                    }
                    li {
                        a href="/admin/budgets" { (chrome.t("budget-staff-title")) }
                        p.hint { (chrome.t("budget-staff-what")) }
                    }
                    li {
                        a href="/admin/verification" { (chrome.t("verification-staff-title")) }
                        p.hint { (chrome.t("verification-staff-what")) }
                    }
                    li {
                        a href="/admin/tableau-de-bord" { (chrome.t("metrics-staff-title")) }
                        p.hint { (chrome.t("metrics-staff-what")) }
                    }
                    li {
                        a href="/admin/liens-courts" { (chrome.t("short-link-title")) }
                        p.hint { (chrome.t("short-link-what")) }
                    }
                    li {
                        a href="/admin/pages-utiles" { (chrome.t("page-feedback-admin-title")) }
                        p.hint { (chrome.t("page-feedback-admin-what")) }
                    }
                    li {
                        a href="/admin/lancement" { (chrome.t("launch-title")) }
                        p.hint { (chrome.t("launch-what")) }
                    }
                    li {
                        a href="/admin/groupes" { (chrome.t("group-staff-title")) }
                        p.hint { (chrome.t("group-staff-what")) }
                    }
                }
            }
            @if admin {
                ul.link-list {
                    li {
                        a href="/admin/comptes" { (chrome.t("admin-accounts-title")) }
                        p.hint { (chrome.t("admin-accounts-what")) }
                    }
                    li {
                        a href="/admin/invitations" { (chrome.t("admin-invite-title")) }
                        p.hint { (chrome.t("admin-invite-what")) }
                    }
                    li {
                        a href="/admin/journal" { (chrome.t("admin-journal-title")) }
                        p.hint { (chrome.t("admin-journal-what")) }
                    }
                    li {
                        a href="/admin/courriels" { (chrome.t("outbox-title")) }
                        p.hint { (chrome.t("admin-outbox-what")) }
                    }
                    li {
                        a href="/admin/systeme" { (chrome.t("system-title")) }
                        p.hint { (chrome.t("admin-system-what")) }
                    }
                }
            } @else {
                p { (chrome.t("admin-staff-nothing-yet")) }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_codes() {
        for r in ROLES {
            assert_eq!(role_from(r.as_str()), Some(r));
        }
        assert_eq!(role_from("superuser"), None);
    }

    #[test]
    fn query_strings_leave_out_empty_values_and_encode_the_rest() {
        assert_eq!(query_string(&[("q", "a b@c.fr"), ("role", "")]), "q=a+b%40c.fr");
    }
}
