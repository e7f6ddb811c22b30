//! Notifications through the running server: the settings page, the header's
//! unread count, the fan-out after a proposal's answer, digests through the
//! SMTP sink at the configured hour, and the one-click stop link (no
//! sign-in, RFC 8058 headers, cannot be forged or reused for another person
//! or kind).

use std::time::{Duration, Instant};

use parvis::domain::accounts::{AccountId, Role};
use parvis::domain::notifications::{self, digest, Delivery, Kind};
use parvis::domain::proposals::{self, Acting, IdeaBox, NewProposal, ProposalId, Status};
use parvis::store::StoreError;

use crate::accounts::{link_in, post, Mailbox};
use crate::admin::{make_person, sign_in, Person};
use crate::support::{Client, TestServer};

/// A proposal by `author`, followed by its author and `followers`.
fn followed_proposal(server: &TestServer, author: &Person, followers: &[&Person]) -> ProposalId {
    let author = AccountId(author.id);
    let followers: Vec<AccountId> = followers.iter().map(|p| AccountId(p.id)).collect();
    server.write(move |tx| {
        let err = |e: proposals::ProposalError| StoreError::Internal(e.to_string());
        let open = IdeaBox { closes_at: i64::MAX, created_by: author, ..IdeaBox::default() };
        let b = proposals::create_box(tx, IdeaBox { title: "Idées".into(), ..open }).map_err(err)?;
        let new = NewProposal { box_id: b, author, title: "Des bancs au square".into(), ..NewProposal::default() };
        let id = proposals::post(tx, &new, parvis::domain::now_unix()).map_err(err)?;
        for p in std::iter::once(&author).chain(&followers) {
            proposals::set_follow(tx, id, *p, true).map_err(err)?;
        }
        Ok(id)
    })
}

fn answer(server: &TestServer, id: ProposalId, status: Status, at: i64) {
    server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: String::new() };
        proposals::answer(tx, &notifier, id, status, "Oui", &Acting::new(AccountId(1), "test"), at)
            .map_err(|e| StoreError::Internal(e.to_string()))
    });
}

/// Waits (polling, with a deadline) until the server's worker expanded every fan-out job.
pub fn fanned_out(server: &TestServer) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !notifications::fanout::pending(&*server.state().store.read().unwrap()).unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the fan-out never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn delivery(server: &TestServer, who: &Person, kind: Kind) -> Delivery {
    notifications::settings(&*server.state().store.read().unwrap(), AccountId(who.id)).unwrap().delivery(kind)
}

#[test]
fn the_settings_page_saves_each_kind_with_a_flash_and_the_header_counts_the_unread() {
    let server = TestServer::start();
    let alix = make_person(&server, "alix@testville.test", "Alix", Role::Resident, false);
    let bea = make_person(&server, "bea@testville.test", "Bea", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &bea);
    let page = c.get(&server.at("/compte/notifications/reglages"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<fieldset") && page.body.contains("<legend>Propositions que je suis</legend>"));
    assert!(page.body.contains(r#"id="propositions-quotidien" name="propositions" value="quotidien" checked"#));
    assert!(page.body.contains(r#"<label for="propositions-hebdomadaire">"#), "each radio is labelled");
    assert_eq!(delivery(&server, &bea, Kind::Proposals), Delivery::Daily, "the default");

    let r = post(
        &mut c,
        &server,
        "/compte/notifications/reglages",
        "/compte/notifications/reglages",
        &[("propositions", "hebdomadaire"), ("signalements", "jamais"), ("contributions", "n-importe-quoi")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = c.get(&server.at("/compte/notifications/reglages"));
    assert!(shown.body.contains("Vos réglages de notifications sont enregistrés."), "{}", shown.body);
    assert!(shown.body.contains(r#"value="hebdomadaire" checked"#));
    assert_eq!(delivery(&server, &bea, Kind::Proposals), Delivery::Weekly);
    assert_eq!(delivery(&server, &bea, Kind::Reports), Delivery::Never);
    assert_eq!(delivery(&server, &bea, Kind::Own), Delivery::Immediately, "a word outside the list changes nothing");
    // Without the form's token: refused.
    let forged = c.post_form(&server.at("/compte/notifications/reglages"), &[("propositions", "jamais")]);
    assert_eq!(forged.status, 403);
    assert_eq!(delivery(&server, &bea, Kind::Proposals), Delivery::Weekly);

    // The header counts what is unread; the list marks it read.
    assert!(c.get(&server.at("/")).body.contains("Notifications (0"));
    let id = followed_proposal(&server, &alix, &[&bea]);
    answer(&server, id, Status::Accepted, parvis::domain::now_unix());
    fanned_out(&server);
    let home = c.get(&server.at("/"));
    assert!(
        home.body.contains(
            r#"<a href="/compte/notifications">Notifications (1<span class="visually-hidden"> non lues</span>)</a>"#
        ),
        "{}",
        home.body
    );
    let list = c.get(&server.at("/compte/notifications"));
    assert!(list.body.contains("Des bancs au square"), "{}", list.body);
    let r = post(&mut c, &server, "/compte/notifications", "/compte/notifications", &[]);
    assert_eq!(r.status, 303);
    assert!(c.get(&server.at("/")).body.contains("Notifications (0"));
    crate::reports::verify_clean(&server);
}

#[test]
fn notification_mails_carry_a_one_click_stop_link_that_needs_no_sign_in_and_cannot_be_forged() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let alix = make_person(&server, "alix@testville.test", "Alix", Role::Resident, false);
    let bea = make_person(&server, "bea@testville.test", "Bea", Role::Resident, false);
    let id = followed_proposal(&server, &alix, &[&bea]);
    answer(&server, id, Status::Accepted, parvis::domain::now_unix());
    fanned_out(&server);

    // Alix, the author, is told at once (her own contribution).
    let to_alix = mail.nth_to("alix@testville.test", 1);
    let link = link_in(&to_alix, "/compte/notifications/arreter?");
    assert!(link.contains(&format!("compte={}", alix.id)) && link.contains("type=contributions"), "{link}");
    assert_eq!(to_alix.header("List-Unsubscribe"), Some(format!("<{}>", server.at(&link))));
    assert_eq!(to_alix.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    assert!(to_alix.body().contains("/compte/notifications/reglages"), "{}", to_alix.body());

    // Tampered, for Bea, or for another kind: refused with the translated page, nothing changed.
    let tampered = format!("{}{}", &link[..link.len() - 1], if link.ends_with('0') { '1' } else { '0' });
    let for_bea = link.replace(&format!("compte={}", alix.id), &format!("compte={}", bea.id));
    let other_kind = link.replace("type=contributions", "type=propositions");
    for bad in [&tampered, &for_bea, &other_kind] {
        let r = Client::new().get(&server.at(bad));
        assert_eq!(r.status, 410, "{bad}");
        assert!(r.body.contains("lien"), "{}", r.body);
        let r = Client::new().post_form(&server.at(bad), &[("List-Unsubscribe", "One-Click")]);
        assert_eq!(r.status, 410, "{bad}");
    }
    assert_eq!(delivery(&server, &alix, Kind::Own), Delivery::Immediately);
    assert_eq!(delivery(&server, &bea, Kind::Own), Delivery::Immediately);
    assert_eq!(delivery(&server, &alix, Kind::Proposals), Delivery::Daily);

    // Signed out, the GET (a link scanner) only shows the button.
    let shown = Client::new().get(&server.at(&link));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Réponses et nouvelles de mes propres contributions"), "{}", shown.body);
    assert_eq!(delivery(&server, &alix, Kind::Own), Delivery::Immediately);
    // The mail client's one-click POST: no cookie, no token.
    let r = Client::new().post_form(&server.at(&link), &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(delivery(&server, &alix, Kind::Own), Delivery::Never);

    // Never: the next answer is in the app, not in her mailbox.
    answer(&server, id, Status::InProgress, parvis::domain::now_unix());
    fanned_out(&server);
    let unread = notifications::unread_count(&*server.state().store.read().unwrap(), AccountId(alix.id)).unwrap();
    assert_eq!(unread, 2);
    assert_eq!(mail.count_to("alix@testville.test"), 1);

    // Bea follows: her news waited for the digest, which goes at the hour
    // (driven here with an explicit time: tomorrow 7:00 in Paris).
    assert_eq!(mail.count_to("bea@testville.test"), 0);
    let tomorrow = parvis::domain::now_unix() + 2 * 86_400;
    let schedule = digest::Schedule::from_config(&server.state().config);
    let sent = server.write(move |tx| {
        let notifier = notifications::Notifier { base_url: "http://x".into() };
        digest::send_due(tx, &notifier, &schedule, tomorrow, 100)
    });
    assert_eq!(sent, 1);
    let to_bea = mail.nth_to("bea@testville.test", 1);
    assert!(to_bea.header("Subject").unwrap().contains("Votre résumé : 2 nouvelles"), "{:?}", to_bea.header("Subject"));
    assert!(to_bea.body().contains("Propositions"), "{}", to_bea.body());
    assert!(to_bea.header("List-Unsubscribe").unwrap().contains("type=resumes"));
    crate::reports::verify_clean(&server);
}

/// The measure `benches/fanout.sh` runs (ignored in the suite: it writes
/// 10,000 accounts). A proposal followed by `FOLLOWERS` people (10,000 by
/// default) gets an answer: the answer's own write is timed, then the
/// server's worker telling everyone, until the job is gone. A proposal with
/// one follower is answered first, for the answer's latency as it is today.
#[test]
#[ignore = "a benchmark: .ci/run runs it small; benches/fanout.sh at full size in a release build"]
fn fanout_benchmark() {
    let followers: usize = std::env::var("FOLLOWERS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let server = TestServer::start();
    let author = make_person(&server, "auteur@testville.test", "Auteur", Role::Resident, false);
    let small = followed_proposal(&server, &author, &[]);
    let big = followed_proposal(&server, &author, &[]);
    let mut made = 0;
    while made < followers {
        let n = (followers - made).min(1000);
        let from = made;
        server.write(move |tx| {
            use parvis::domain::accounts::{self, NewAccount};
            for i in from..from + n {
                let new = NewAccount {
                    email: format!("suivi{i}@testville.test"),
                    display_name: format!("Habitant {i}"),
                    role: Role::Resident,
                    password_hash: "x".into(),
                    must_change_password: false,
                    language: parvis::i18n::Lang::Fr,
                    neighbourhood: None,
                };
                let id = accounts::create(tx, &new).map_err(|e| StoreError::Internal(e.to_string()))?;
                proposals::set_follow(tx, big, id, true).map_err(|e| StoreError::Internal(e.to_string()))?;
            }
            Ok(())
        });
        made += n;
    }
    let timed = |id: ProposalId, status: Status| {
        let started = Instant::now();
        answer(&server, id, status, parvis::domain::now_unix());
        let answered = started.elapsed();
        fanned_out(&server);
        (answered, started.elapsed())
    };
    let (one, _) = timed(small, Status::Accepted);
    let (answered, total) = timed(big, Status::Accepted);
    println!(
        "fanout: answer with 1 follower {:.2} ms; answer with {followers} followers {:.2} ms; fan-out done after {:.0} ms",
        one.as_secs_f64() * 1e3,
        answered.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    let told = notifications::recent(&server.state().store.read().unwrap(), AccountId(author.id), 10).unwrap().len();
    assert_eq!(told, 2, "the author, once per answer");
}

/// Every kind is offered, the neighbourhoods' and categories' alerts
/// included, each with a line saying what it covers.
#[test]
fn the_settings_page_offers_every_kind_it_governs() {
    let server = TestServer::start();
    let bea = make_person(&server, "bea@testville.test", "Bea", Role::Resident, false);
    let mut c = Client::new();
    sign_in(&mut c, &server, &bea);
    let page = c.get(&server.at("/compte/notifications/reglages"));
    assert_eq!(page.body.matches("<fieldset").count(), 6, "{}", page.body);
    assert!(page.body.contains(r#"name="consultations""#) && page.body.contains(r#"name="rendez-vous""#));
    assert!(page.body.contains(r#"id="quartiers-quotidien" name="quartiers" value="quotidien" checked"#));
    assert!(page.body.contains("<legend>Quartiers et catégories que je suis</legend>"), "{}", page.body);
    // Meetings' transactional mails are said to leave whatever is chosen.
    assert!(page.body.contains("le rappel de la veille partent toujours aussitôt"), "{}", page.body);
    assert!(
        page.body.contains(r#"<fieldset class="fieldset" aria-describedby="consultations-aide">"#)
            && page.body.contains(r#"<p class="hint" id="consultations-aide">Les consultations que vous suivez"#),
        "{}",
        page.body
    );
    // The mails it does not govern are named, so that nobody looks for them.
    assert!(page.body.contains("<h2>Courriels que ces réglages ne changent pas</h2>"), "{}", page.body);
    assert!(page.body.contains("rappel d&#39;un rendez-vous") || page.body.contains("rappel d'un rendez-vous"));
    let r = post(
        &mut c,
        &server,
        "/compte/notifications/reglages",
        "/compte/notifications/reglages",
        &[("quartiers", "jamais"), ("consultations", "hebdomadaire")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(delivery(&server, &bea, Kind::Areas), Delivery::Never);
    assert_eq!(delivery(&server, &bea, Kind::Consultations), Delivery::Weekly);
}

/// The signature a concept gave its stop links before they were all signed
/// by `notifications::links` (the keyed hash of its own words).
fn old_signature(server: &TestServer, purpose: &str, message: &str) -> String {
    use parvis::store::Keyed;
    let tx = server.state().store.read().unwrap();
    hex::encode(&tx.keys().lookup(purpose, message)[..16])
}

#[test]
fn stop_links_of_newsletters_consultations_and_report_alerts_are_signed_in_one_place_and_old_ones_still_work() {
    use parvis::domain::consultations::{self, ConsultationId};
    use parvis::domain::newsletters::consent;
    use parvis::domain::reports::{self, Area};
    let server = TestServer::start();
    let alix = make_person(&server, "alix@testville.test", "Alix", Role::Resident, false);
    let bea = make_person(&server, "bea@testville.test", "Bea", Role::Resident, false);
    let (a, b) = (AccountId(alix.id), AccountId(bea.id));
    let tx = server.state().store.read().unwrap();

    // Newsletters: the new link, the one mailed before, neither for another.
    let new = consent::unsubscribe_signature(&tx, a);
    let old = old_signature(&server, "newsletter-unsubscribe", &a.to_string());
    assert_ne!(new, old, "signed anew, under a purpose of its own");
    assert!(consent::unsubscribe_valid(&tx, a, &new) && consent::unsubscribe_valid(&tx, a, &old));
    assert!(!consent::unsubscribe_valid(&tx, b, &new) && !consent::unsubscribe_valid(&tx, b, &old));
    let forged = format!("{}{}", &new[..31], if new.ends_with('0') { '1' } else { '0' });
    assert!(!consent::unsubscribe_valid(&tx, a, &forged));

    // Consultations: the old words were "{consultation}:{account}".
    let (c5, c7) = (ConsultationId(5), ConsultationId(7));
    let old = old_signature(&server, "consultation-outcome-unsubscribe", &format!("5:{a}"));
    assert!(consultations::unsubscribe_valid(&tx, c5, a, &old), "a link already mailed still works");
    assert!(!consultations::unsubscribe_valid(&tx, c7, a, &old) && !consultations::unsubscribe_valid(&tx, c5, b, &old));
    let path = consultations::unsubscribe_path(&tx, c5, a);
    let new = path.rsplit("cle=").next().unwrap().to_string();
    assert!(consultations::unsubscribe_valid(&tx, c5, a, &new));
    assert!(!consultations::unsubscribe_valid(&tx, c7, a, &new) && !consultations::unsubscribe_valid(&tx, c5, b, &new));
    // The new words of (account a, consultation 5) are the old words of
    // (consultation a, account 5): signed under another purpose, they
    // cannot stand in for them.
    assert!(!consultations::unsubscribe_valid(&tx, ConsultationId(a.get()), AccountId(5), &new));
    let theirs = old_signature(&server, "consultation-outcome-unsubscribe", &format!("{a}:5"));
    assert_ne!(new, theirs);

    // Report alerts: the words were already links' own, the links unchanged.
    let area = Area::Neighbourhood("Centre".into());
    let old = old_signature(&server, "report-area-unsubscribe", &format!("{a}:quartier:Centre"));
    let new = reports::unsubscribe_path(&tx, a, &area);
    assert!(reports::unsubscribe_valid(&tx, a, &area, &old));
    assert!(new.ends_with(&format!("cle={old}")), "{new}");
    assert!(!reports::unsubscribe_valid(&tx, b, &area, &old));
    assert!(!reports::unsubscribe_valid(&tx, a, &Area::Category("voirie".into()), &old));
    drop(tx);

    // Through the server, without a sign-in: a newsletter's old link still
    // withdraws the consent, a forged one is refused.
    server.write(move |tx| consent::give(tx, a, consent::Via::Account, 1).map(|_| ()));
    let old = old_signature(&server, "newsletter-unsubscribe", &a.to_string());
    let mut stranger = Client::new();
    let forged = format!("/lettres/desinscription?compte={a}&cle={}", "0".repeat(32));
    assert_eq!(stranger.post_form(&server.at(&forged), &[]).status, 410);
    let link = format!("/lettres/desinscription?compte={a}&cle={old}");
    assert_eq!(stranger.get(&server.at(&link)).status, 200);
    assert_eq!(stranger.post_form(&server.at(&link), &[]).status, 303);
    assert!(!consent::is_subscribed(&server.state().store.read().unwrap(), a).unwrap());
}
