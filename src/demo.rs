//! The fictional commune of Saint-Exemple: its settings, and the generator
//! that fills a data directory with realistic French content.
//!
//! `parvis demo` and `parvis demo-data` both use [`generate`]; benchmarks use
//! it through `demo-data`. Each later feature (consultations, reports …)
//! extends the generator with its own content, after the accounts it needs.
//!
//! The content is deterministic for a given seed, so that benchmark figures
//! and bug reports can be reproduced. Running the generator twice on the same
//! directory adds nothing the first run already wrote.

pub mod pilot;

use std::net::SocketAddr;
use std::path::Path;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::{Config, ConfigError, Layers, Value};
use crate::domain::accounts::{self, AccountError, AccountId, NewAccount, Role};
use crate::domain::addresses::{self, AddressError};
use crate::domain::comments::CommentError;
use crate::domain::ids::BoxId;
use crate::domain::proposals::ProposalError;
use crate::domain::two_factor::TwoFactorError;
use crate::store::{Store, StoreError};

/// The demo admin, who receives a fresh one-time password at every demo start.
pub const ADMIN_EMAIL: &str = "admin@saint-exemple.test";

pub const COMMUNE_NAME: &str = "Saint-Exemple";

pub const NEIGHBOURHOODS: &[&str] = &["Centre-bourg", "Les Vignes", "La Gare", "Le Moulin", "Les Hauts"];

/// The residents of each of [`NEIGHBOURHOODS`], in the same order.
const POPULATION_BY_NEIGHBOURHOOD: [i64; 5] = [1450, 1020, 1180, 640, 710];

/// The residents of each age bracket (`accounts::AGE_BRACKETS`).
const POPULATION_BY_AGE: [(&str, i64); 6] =
    [("under-18", 1050), ("18-29", 720), ("30-44", 890), ("45-59", 980), ("60-74", 860), ("75-plus", 500)];

/// How the demo's residents who give their age are spread: as on real
/// participation sites, the young answer least, so that the results page
/// has an under-represented group to warn of.
const AGE_WEIGHTS: [(&str, u32); 6] =
    [("under-18", 2), ("18-29", 5), ("30-44", 25), ("45-59", 30), ("60-74", 26), ("75-plus", 12)];

const INTRO: &str = "Bienvenue sur l'espace de participation de Saint-Exemple ! Proposez vos idées pour la commune, \
signalez un problème dans votre quartier, donnez votre avis sur les projets du conseil municipal et suivez \
les décisions prises. Saint-Exemple est une commune fictive : toutes les données de ce site sont inventées.";

/// How many accounts one write transaction creates: large enough that the
/// fsync per commit does not dominate, small enough to keep each commit short.
const BATCH: u64 = 1000;

/// The settings of the demo: every value a real commune would fill in, with
/// fictional content. Environment variables (`PARVIS_*`) still apply on top,
/// then the data directory and the listen address given on the command line.
pub fn demo_config(data_dir: &Path, listen: SocketAddr) -> Result<Config, ConfigError> {
    let mut layers = Layers::defaults();
    let text = |s: &str| Value::Text(s.to_string());
    let counts = |pairs: &[(&str, i64)]| Value::Counts(pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect());
    let settings = [
        ("commune.name", text(COMMUNE_NAME)),
        ("commune.intro", text(INTRO)),
        ("commune.neighbourhoods", Value::List(NEIGHBOURHOODS.iter().map(|n| n.to_string()).collect())),
        // A commune of 5,000, as the INSEE census would give it: who
        // answered the demo's consultations is compared with it.
        ("commune.population.neighbourhoods", counts(&NEIGHBOURHOODS.iter().copied().zip(POPULATION_BY_NEIGHBOURHOOD).collect::<Vec<_>>())),
        ("commune.population.age_brackets", counts(&POPULATION_BY_AGE)),
        ("map.center_lat", Value::Float(45.7772)),
        ("map.center_lon", Value::Float(4.6121)),
        ("map.zoom", Value::Integer(15)),
        ("legal.publisher", text("Mairie de Saint-Exemple, 1 place de la Mairie, 99999 Saint-Exemple — 01 23 45 67 89")),
        ("legal.publication_director", text("Mme Claire Dupont-Exemple, maire de Saint-Exemple")),
        ("legal.host", text("Hébergeur Exemple SAS, 10 rue des Serveurs, 99999 Villefictive — 01 98 76 54 32")),
        ("legal.dpo_name", text("M. Jean Protecteur, délégué à la protection des données")),
        ("legal.dpo_email", text("dpo@saint-exemple.test")),
        ("accessibility.status", text("partielle")),
        ("accessibility.audit", text("Auto-évaluation réalisée en novembre 2026 par la mairie : 78 % des critères RGAA 4.1 respectés.")),
        ("accessibility.non_compliant", text("La carte interactive n'est pas accessible au clavier ; chaque signalement reste consultable sous forme de liste.")),
        ("accessibility.contact", text("accessibilite@saint-exemple.test")),
        // The demo is thrown away: no scheduled backups in it.
        ("backup.interval_hours", Value::Integer(0)),
        ("server.demo", Value::Bool(true)),
    ];
    for (key, value) in settings {
        layers.set(key, value)?;
    }
    layers.apply_env(std::env::vars())?;
    layers.set("data.dir", text(&data_dir.display().to_string()))?;
    layers.set("server.listen", text(&listen.to_string()))?;
    layers.set("server.public_url", text(&format!("http://{listen}")))?;
    Config::from_layers(layers)
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub residents: u64,
    /// Proposals spread over the demo's idea boxes (0: no idea box at all).
    pub proposals: u64,
    /// Comments spread over the proposals.
    pub comments: u64,
    /// Problem reports over the commune (made once, on a directory with none).
    pub reports: u64,
    pub seed: u64,
    /// Residents live in these; empty: [`NEIGHBOURHOODS`].
    pub neighbourhoods: Vec<String>,
    /// Answers to the open demo consultation (the closed one gets half):
    /// the residents' first, then paper forms and visitors.
    pub consultation_answers: u64,
    /// Questions the open demo consultation asks: its four, and scales up
    /// to this number (for benchmarks).
    pub consultation_questions: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            residents: 200,
            proposals: 60,
            comments: 240,
            reports: 40,
            seed: 1,
            neighbourhoods: Vec::new(),
            consultation_answers: 2_400,
            consultation_questions: 4,
        }
    }
}

/// What the generator wrote.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DemoReport {
    /// The demo admin's account (created now or found).
    pub admin: AccountId,
    pub admin_created: bool,
    pub residents_created: u64,
    /// Residents already there from an earlier run with the same seed.
    pub residents_skipped: u64,
    pub proposals_created: u64,
    pub comments_created: u64,
    pub reports_created: u64,
    /// Answers to the demo's two consultations (made once, with them).
    pub consultation_answers_created: u64,
    /// Addresses of Saint-Exemple imported (0 when the list was there already).
    pub addresses_imported: u64,
    /// Past and coming meetings (made once).
    pub meetings_created: u64,
}

/// Why the demo content could not be written: each variant names the step,
/// the inner error says what to do (a full disk, a database in use …).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot create the demo admin or give it a password: {0}")]
    Admin(#[source] AccountError),
    #[error("cannot enrol the demo admin in two-factor authentication: {0}")]
    AdminTwoFactor(#[source] TwoFactorError),
    #[error("cannot create the demo residents: {0}")]
    Residents(#[source] AccountError),
    #[error("cannot open the demo idea boxes: {0}")]
    IdeaBoxes(#[source] ProposalError),
    #[error("cannot write the demo proposals and their supports: {0}")]
    Proposals(#[source] ProposalError),
    #[error("cannot write the demo comments: {0}")]
    Comments(#[source] CommentError),
    #[error("cannot write the demo problem reports: {0}")]
    Reports(#[source] StoreError),
    #[error("cannot import the demo's address list: {0}")]
    Addresses(#[source] AddressError),
    #[error("cannot write the demo news: {0}")]
    News(#[source] crate::domain::news::NewsError),
    #[error("cannot write the demo consultation: {0}")]
    Consultation(#[source] crate::domain::consultations::ConsultationError),
    #[error("cannot write the demo newsletter or notifications: {0}")]
    KeepingInformed(#[source] crate::domain::newsletters::NewsletterError),
    #[error("cannot write the demo meetings: {0}")]
    Meetings(#[source] crate::domain::meetings::MeetingError),
    #[error("cannot write the demo participatory budgets: {0}")]
    Budgets(#[source] crate::domain::budgets::BudgetError),
    #[error("cannot write the demo budget's follow-up: {0}")]
    FollowUp(#[source] crate::domain::budgets::FollowUpError),
    #[error("cannot write the demo suggestions to improve the site: {0}")]
    Improve(#[source] ProposalError),
    #[error("cannot write the demo launch campaign: {0}")]
    Launch(#[source] crate::domain::launch::LaunchError),
    #[error("cannot write the demo pilot group: {0}")]
    Groups(#[source] crate::domain::groups::GroupError),
}

/// Saint-Exemple's address list, in the layout of the Base Adresse
/// Nationale's per-commune files (the same file the tests import).
const ADDRESSES: &str = include_str!("../tests/data/ban-saint-exemple.csv");

/// Imports Saint-Exemple's address list unless there is one: a commune that
/// imported its own keeps it.
fn ensure_addresses(store: &Store) -> Result<u64, DemoError> {
    if addresses::count(&store.read()?)? > 0 {
        return Ok(0);
    }
    let rows = std::sync::Arc::new(addresses::parse(ADDRESSES.as_bytes()).map_err(DemoError::Addresses)?);
    let imported = store
        .writer()
        .write_blocking(move |tx| {
            addresses::import(tx, &crate::domain::audit::Actor::command_line(), &rows, crate::domain::now_unix())
        })
        .map_err(DemoError::Addresses)?;
    Ok(imported.addresses)
}

/// Fills `store` with demo content. Blocking (uses `write_blocking`): call it
/// from `spawn_blocking` in async code. `progress(done, total)` follows it.
pub fn generate(store: &Store, options: &DemoOptions, progress: &dyn Fn(u64, u64)) -> Result<DemoReport, DemoError> {
    let mut report = DemoReport::default();
    let (admin, created) = ensure_admin(store)?;
    report.admin = admin;
    report.admin_created = created;
    report.addresses_imported = ensure_addresses(store)?;

    // Argon2 takes tens of milliseconds a hash: one hash of a random password,
    // shown to no one, serves every demo resident. They cannot sign in until
    // an admin resets their password, which is what a demo needs.
    let shared_hash = accounts::one_time_password()
        .and_then(|password| accounts::hash_password(&password))
        .map_err(DemoError::Residents)?;
    let neighbourhoods: Vec<String> = if options.neighbourhoods.is_empty() {
        NEIGHBOURHOODS.iter().map(|n| n.to_string()).collect()
    } else {
        options.neighbourhoods.clone()
    };
    let people = People::new(options.seed, neighbourhoods, shared_hash);
    let mut done = 0;
    // The demo's content is written by these accounts only: never by whoever
    // else has an account in the directory, nor by the next id to be given.
    let mut residents = Vec::with_capacity(options.residents as usize);
    progress(0, options.residents);
    while done < options.residents {
        let batch: Vec<(NewAccount, Option<&'static str>)> = (done..options.residents.min(done + BATCH))
            .map(|i| {
                let new = people.resident(i);
                // Who consents gives their age bracket with their neighbourhood.
                let age = new.neighbourhood.is_some().then(|| people.age_bracket(i));
                (new, age)
            })
            .collect();
        let n = batch.len() as u64;
        let (ids, created, skipped) = store
            .writer()
            .write_blocking(move |tx| {
                let (mut ids, mut created, mut skipped) = (Vec::with_capacity(batch.len()), 0u64, 0u64);
                for (new, age) in &batch {
                    match accounts::create(tx, new) {
                        Ok(id) => {
                            if let Some(age) = age {
                                accounts::update(tx, id, |a| a.age_bracket = Some(age.to_string()))?;
                            }
                            ids.push(id);
                            created += 1;
                        }
                        Err(AccountError::EmailTaken) => {
                            // The same resident from an earlier run with this seed.
                            ids.extend(accounts::find_by_email_in(tx, &new.email)?.map(|a| a.id));
                            skipped += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok::<_, AccountError>((ids, created, skipped))
            })
            .map_err(DemoError::Residents)?;
        residents.extend(ids);
        report.residents_created += created;
        report.residents_skipped += skipped;
        done += n;
        progress(done, options.residents);
    }
    let no_reports = crate::domain::reports::list(
        &*store.read()?,
        &crate::domain::reports::Filter::default(),
        crate::domain::reports::Page { number: 0, size: 1 },
    )?
    .0
    .is_empty();
    if options.reports > 0 && no_reports {
        report.reports_created = problem_reports(store, options, admin, &residents)?;
    }
    if crate::domain::consultations::list(&*store.read()?)?.is_empty() {
        consultations(store, options, admin, &residents, people.neighbourhoods.clone())
            .map_err(DemoError::Consultation)?;
        report.consultation_answers_created = options.consultation_answers + options.consultation_answers / 2;
    }
    if crate::domain::news::all(&*store.read()?)?.is_empty() {
        news(store, admin)?;
    }
    let residents_copy = residents.clone();
    if options.proposals > 0 && crate::domain::proposals::boxes(&*store.read()?)?.is_empty() {
        let (p, c) = participation(store, options, admin, residents, progress)?;
        report.proposals_created = p;
        report.comments_created = c;
    }
    if crate::domain::meetings::list(&*store.read()?)?.is_empty() && !residents_copy.is_empty() {
        report.meetings_created = meetings(store, admin, &residents_copy, &people.neighbourhoods)?;
    }
    if crate::domain::newsletters::all(&*store.read()?)?.is_empty() {
        keeping_informed(store, admin, &residents_copy)?;
    }
    if crate::domain::budgets::list(&*store.read()?)?.is_empty() {
        budgets(store, admin, &residents_copy, &people.neighbourhoods).map_err(DemoError::Budgets)?;
        budget_follow_up(store, admin).map_err(DemoError::FollowUp)?;
    }
    if crate::domain::improve::box_id(&*store.read()?)?.is_none() && residents_copy.len() >= 6 {
        improve_site(store, admin, &residents_copy).map_err(DemoError::Improve)?;
    }
    if crate::domain::launch::campaign(&*store.read()?)?.launch_day.is_none() {
        launch_campaign(store, admin).map_err(DemoError::Launch)?;
    }
    pilot::pilot_group(store, admin, &residents_copy)?;
    Ok(report)
}

/// A launch campaign in progress: launched three weeks ago, the pilot,
/// posters and bulletin article done, the event still to plan, a target in
/// each neighbourhood (about one resident in ten), and the first idea box
/// as the launch contest, announced in ten days.
fn launch_campaign(store: &Store, admin: AccountId) -> Result<(), crate::domain::launch::LaunchError> {
    use crate::domain::launch::{self, Contest, Item, Plan};
    let now = crate::domain::now_unix();
    let today = crate::domain::metrics::day_of(now);
    let first_box = crate::domain::proposals::boxes(&*store.read()?)?.first().map(|b| b.id);
    store.writer().write_blocking(move |tx| {
        let actor = crate::domain::audit::Actor::person(admin, "demo");
        let plan = Plan {
            launch_day: Some(today - 21),
            end_day: Some(today + 40),
            done: [(Item::Pilot, today - 35), (Item::Poster, today - 24), (Item::Bulletin, today - 22)].into(),
        };
        launch::save_plan(tx, &actor, &plan, now)?;
        let names: Vec<String> = NEIGHBOURHOODS.iter().map(|n| n.to_string()).collect();
        let targets = NEIGHBOURHOODS
            .iter()
            .zip(POPULATION_BY_NEIGHBOURHOOD)
            .map(|(n, p)| (n.to_string(), (p / 10) as u64))
            .collect();
        launch::set_targets(tx, &actor, &targets, &names, now)?;
        if let Some(box_id) = first_box {
            launch::set_contest(tx, &actor, Some(Contest { box_id, announce_day: today + 10 }), now)?;
        }
        Ok(())
    })
}

/// A demo suggestion: title, text, and the town hall's answer if any.
type Suggestion = (&'static str, &'static str, Option<(crate::domain::proposals::Status, &'static str)>);

/// « Améliorer ce site »: five suggestions of residents, supported, four
/// of them answered (planned, done, not possible); the first workshop
/// marked as a co-design session of the site; a few answers to « utile ? ».
fn improve_site(store: &Store, admin: AccountId, residents: &[AccountId]) -> Result<(), ProposalError> {
    use crate::domain::improve::{self, feedback};
    use crate::domain::proposals::{self as p, Acting, NewProposal, Status};
    let residents = residents.to_vec();
    store.writer().write_blocking(move |tx| {
        let now = crate::domain::now_unix();
        let box_id = improve::ensure_box(tx, now).map_err(|e| StoreError::Internal(e.to_string()))?;
        let notifier = crate::domain::notifications::Notifier { base_url: String::new() };
        let acting = Acting::new(admin, crate::domain::audit::COMMAND_LINE);
        let suggestions: [Suggestion; 5] = [
            (
                "Recevoir un courriel quand une consultation de mon quartier ouvre",
                "Je rate souvent les consultations : une alerte par quartier m'aiderait.",
                Some((Status::Accepted, "Prévu pour cet été, avec le choix du quartier dans votre compte.")),
            ),
            (
                "Des textes plus gros sur téléphone",
                "Les pages sont difficiles à lire sur un petit écran.",
                Some((Status::Done, "C'est fait : la taille du texte a été augmentée sur les petits écrans.")),
            ),
            (
                "Une application à installer",
                "Ce serait plus pratique qu'un site.",
                Some((
                    Status::Rejected,
                    "Pas possible pour une commune de notre taille : le site fonctionne déjà sur téléphone,                      et vous pouvez l'ajouter à votre écran d'accueil.",
                )),
            ),
            (
                "Un plan des rendez-vous",
                "Voir sur une carte où ont lieu les réunions et les ateliers.",
                Some((Status::InProgress, "En cours : la carte est en test à la mairie.")),
            ),
            ("Traduire le site en occitan", "Pour les anciens du village et les écoles bilingues.", None),
        ];
        for (i, (title, body, answer)) in suggestions.iter().enumerate() {
            let new = NewProposal {
                box_id,
                author: residents[i],
                title: (*title).into(),
                body: (*body).into(),
                ..NewProposal::default()
            };
            // All now: the box opens now, and the audit log (which answers
            // write to) only moves forward.
            let at = now;
            let id = p::post(tx, &new, at)?;
            for who in residents.iter().skip(i + 1).take(5 - i) {
                p::set_support(tx, &notifier, id, *who, crate::domain::accounts::Role::Resident, true, at)?;
            }
            if let Some((status, text)) = answer {
                p::answer(tx, &notifier, id, *status, text, &acting, at)?;
            }
        }
        let workshop =
            crate::domain::meetings::list(&**tx)?.into_iter().find(|m| m.kind == crate::domain::meetings::Kind::Workshop);
        if let Some(m) = workshop {
            let actor = crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE);
            improve::mark_codesign(tx, &actor, m.id, true, now).map_err(|e| StoreError::Internal(e.to_string()))?;
        }
        for (page, useful, comment) in [
            ("/", true, ""),
            ("/", true, "On trouve vite ce qu'on cherche."),
            ("/idees", false, "Je ne comprends pas la différence entre une boîte et une proposition."),
            ("/idees", true, ""),
            ("/budgets", true, ""),
        ] {
            feedback::answer(tx, page, useful, comment, now).map_err(|e| StoreError::Internal(e.to_string()))?;
        }
        Ok(())
    })
}

/// Residents opted in to the newsletter (one in three, and the admin) a
/// week ago, one newsletter sent in the archive, and unread notifications for
/// the admin (the one demo account that signs in): news of the first
/// proposals and reports, as if they followed them.
fn keeping_informed(store: &Store, admin: AccountId, residents: &[AccountId]) -> Result<(), DemoError> {
    use crate::domain::newsletters::{self as n, consent, Audience, Draft};
    use crate::domain::notifications::{self, Event, Notifier};
    let subscribers: Vec<AccountId> = std::iter::once(admin).chain(residents.iter().step_by(3).copied()).collect();
    store
        .writer()
        .write_blocking(move |tx| {
            let now = crate::domain::now_unix();
            for &who in &subscribers {
                consent::give(tx, who, consent::Via::SignUp, now - 8 * 86_400)?;
            }
            let actor = crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE);
            let draft = Draft {
                subject: "La lettre de Saint-Exemple — printemps".into(),
                body: "Bonjour,\n\nCe printemps, **trois rendez-vous** vous attendent : l'atelier du square des \
                       Tilleuls, la réunion publique sur les mobilités et la balade du quartier de la Gare.\n\n\
                       La consultation sur les horaires de la médiathèque est ouverte jusqu'à la fin du mois : \
                       donnez votre avis !"
                    .into(),
                audience: Audience::All,
            };
            // Sent now: the audit log, which its sending writes to, only
            // moves forward.
            let id = n::create(tx, &actor, &draft, &[], now)?;
            n::send(tx, &actor, id, "", 600, now)?;
            let notifier = Notifier { base_url: String::new() };
            for p in 1..=3 {
                if let Some(found) = crate::domain::proposals::get(&**tx, crate::domain::ids::ProposalId(p))? {
                    let event = Event::Answered { proposal: p, title: found.title.clone() };
                    notifications::notify(tx, &notifier, admin, event, now - p as i64 * 3_600)?;
                }
            }
            for r in 1..=2 {
                if let Some(found) = crate::domain::reports::get(&**tx, crate::domain::ids::ReportId(r))? {
                    let event = Event::ReportUpdated {
                        report: r,
                        category: found.category.clone(),
                        status: Some(found.status.clone()),
                        status_name: None,
                    };
                    notifications::notify(tx, &notifier, admin, event, now - 86_400 - r as i64 * 3_600)?;
                }
            }
            Ok::<_, n::NewsletterError>(())
        })
        .map_err(DemoError::KeepingInformed)
}

/// An instant `days` from today, at `time` in the commune's time.
fn days_from_now(days: i64, time: &str) -> Option<i64> {
    let when = jiff::Timestamp::from_second(crate::domain::now_unix() + days * 86_400).ok()?;
    let date = when.to_zoned(crate::domain::meetings::paris()).date().to_string();
    crate::domain::meetings::local_instant(&date, time)
}

/// Meetings: two past ones with their minutes (a workshop with the
/// proposals it produced, a public meeting with its attendance list marked)
/// and three to come (one full with a waiting list); and residents
/// following the first proposals. Returns how many meetings were written.
fn meetings(
    store: &Store,
    admin: AccountId,
    residents: &[AccountId],
    neighbourhoods: &[String],
) -> Result<u64, DemoError> {
    use crate::domain::changes::{ContentKind, Target};
    use crate::domain::meetings::{self, Accessibility, Details, Idea, Kind, MeetingError, NewMinutes, Who};
    let tx = store.read()?;
    let proposal_ids = crate::domain::proposals::all_ids(&tx)?;
    let now = crate::domain::now_unix();
    let open_box = crate::domain::proposals::boxes(&tx)?.into_iter().find(|b| b.is_open(now)).map(|b| b.id);
    let consultation =
        crate::domain::consultations::list(&tx)?.into_iter().find(|c| c.published.is_some()).map(|c| c.id);
    drop(tx);
    let (followers, first): (Vec<AccountId>, Vec<crate::domain::ids::ProposalId>) =
        (residents.iter().take(15).copied().collect(), proposal_ids.iter().take(10).copied().collect());
    let (residents, places) = (residents.to_vec(), neighbourhoods.to_vec());
    let hood = places.first().cloned();
    let meeting =
        move |title: &str, kind: Kind, days: i64, hood: Option<String>, seats: Option<u32>, registration: bool| {
            let starts_at = days_from_now(days, "18:30").unwrap_or(now + days * 86_400);
            Details {
                title: title.into(),
                kind,
                starts_at,
                ends_at: starts_at + 2 * 3600 + 1800,
                address: "Salle des fêtes, 1 place de la Mairie".into(),
                coords: Some((45.7772, 4.6121)),
                online_url: String::new(),
                neighbourhood: hood,
                agenda: "1. Accueil et présentation\n2. Travail en petits groupes\n3. **Mise en commun**".into(),
                accessibility: Accessibility { step_free: true, hearing_loop: true, ..Accessibility::default() },
                organiser: "Service démocratie locale".into(),
                registration,
                seats,
            }
        };
    store
        .writer()
        .write_blocking(move |tx| {
            let actor = crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE);
            let notifier = crate::domain::notifications::Notifier { base_url: String::new() };
            let write = |d: &Details| -> Result<meetings::MeetingId, MeetingError> {
                // Audited now: the audit log is in time order.
                let id = meetings::create(tx, &places, &actor, d, now)?;
                meetings::publish(tx, &actor, id, now)?;
                Ok(id)
            };
            let register = |id, d: &Details, people: &[AccountId]| -> Result<(), MeetingError> {
                for (i, who) in people.iter().enumerate() {
                    let at = d.starts_at - 10 * 86_400 + i as i64 * 3600;
                    match meetings::register(tx, &notifier, id, &Who::Account(*who), at) {
                        Ok(_) | Err(MeetingError::AlreadyRegistered) => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            };
            let discussed: Vec<Target> =
                proposal_ids.iter().take(2).map(|p| Target::new(ContentKind::Proposal, p.get())).collect();

            // A workshop a month ago: no registration, its minutes, its ideas.
            let d = meeting("Atelier : imaginer le square des Tilleuls", Kind::Workshop, -30, hood.clone(), None, false);
            let workshop = write(&d)?;
            let minutes = NewMinutes {
                text: "Trente-cinq habitants, dont une classe de CM2, ont dessiné le square de demain.\n\n- plus d'ombre : des arbres le long de l'allée\n- des jeux pour les petits et un coin calme\n- un jardin partagé\n\nLa mairie répondra à chaque proposition sur le site.".into(),
                counted: Some(35),
                discussed: discussed.clone(),
            };
            meetings::write_minutes(tx, &actor, workshop, &minutes, now)?;
            if let Some(box_id) = open_box {
                for (title, body) in [
                    ("Un jardin partagé au square des Tilleuls", "Des bacs cultivés par les voisins, avec un récupérateur d'eau de pluie."),
                    ("Des arbres le long de l'allée", "Planter une rangée de tilleuls pour faire de l'ombre aux bancs l'été."),
                ] {
                    let idea = Idea { box_id, title: title.into(), body: body.into(), category: None };
                    meetings::record_idea(tx, &actor, workshop, &idea, now)?;
                }
            }

            // A public meeting twelve days ago: registration, who came, minutes.
            let d = meeting("Réunion publique : le plan de circulation du centre", Kind::PublicMeeting, -12, None, Some(40), true);
            let public = write(&d)?;
            let came: Vec<AccountId> = residents.iter().take(12).copied().collect();
            register(public, &d, &came)?;
            for number in 1..=came.len().min(9) as u64 {
                meetings::mark_attended(tx, &actor, public, number, true, now)?;
            }
            let mut discussed_here = discussed.clone();
            discussed_here.extend(consultation.map(|c| Target::new(ContentKind::Consultation, c.0)));
            let minutes = NewMinutes {
                text: "La mairie a présenté trois scénarios de circulation ; les habitants ont préféré le sens unique rue des Écoles avec une piste cyclable.\n\nLa consultation en ligne reste ouverte jusqu'à la fin du mois.".into(),
                counted: None,
                discussed: discussed_here,
            };
            meetings::write_minutes(tx, &actor, public, &minutes, now)?;

            // To come: a council session, a full workshop with a waiting
            // list, a neighbourhood walk.
            write(&meeting("Conseil municipal", Kind::CouncilSession, 9, None, None, false))?;
            let d = meeting("Atelier : la future médiathèque", Kind::Workshop, 20, None, Some(8), true);
            let full = write(&d)?;
            let people: Vec<AccountId> = residents.iter().skip(12).take(11).copied().collect();
            register(full, &d, &people)?;
            let d = meeting("Balade de quartier : les chemins de l'école", Kind::NeighbourhoodWalk, 5, hood.clone(), None, true);
            let walk = write(&d)?;
            let people: Vec<AccountId> = residents.iter().skip(23).take(4).copied().collect();
            register(walk, &d, &people)?;
            Ok::<_, MeetingError>(5)
        })
        .map_err(DemoError::Meetings)?;
    // Residents follow the first proposals, as those who supported them would.
    store
        .writer()
        .write_blocking(move |tx| {
            for (i, p) in first.iter().enumerate() {
                for who in followers.iter().skip(i % 3).step_by(2) {
                    crate::domain::proposals::set_follow(tx, *p, *who, true)?;
                }
            }
            Ok::<_, ProposalError>(())
        })
        .map_err(DemoError::Proposals)?;
    Ok(5)
}

/// The demo's projects of a participatory budget: (title, description,
/// cost in euros, the pot's neighbourhood or `None` for the commune's, the
/// project's neighbourhood, category, the services' reason when not
/// feasible).
type DemoProject = (&'static str, &'static str, u64, Option<usize>, Option<usize>, &'static str, Option<&'static str>);

/// The budget whose vote is open: a pot for the whole commune and one per
/// neighbourhood.
const VOTE_PROJECTS: &[DemoProject] = &[
    ("Un skatepark derrière le gymnase", "Une aire de glisse en béton pour les jeunes, ouverte toute l'année.", 85_000, None, None, "Sport", None),
    ("Des pistes cyclables vers le collège", "Relier chaque quartier au collège par une piste séparée de la route.", 70_000, None, None, "Déplacements", None),
    ("Une boîte à livres dans chaque quartier", "Des boîtes en bois où chacun dépose et emprunte des livres.", 12_000, None, None, "Culture", None),
    ("Un téléphérique jusqu'aux Hauts", "Une cabine pour monter du centre aux Hauts sans voiture.", 2_500_000, None, None, "Déplacements", Some("Le coût dépasse de loin l'enveloppe du budget participatif, et le relief imposerait des pylônes sur des terrains privés.")),
    ("Des bancs et de l'ombre place de l'Église", "Quatre bancs et trois arbres pour s'asseoir à l'ombre l'été.", 18_000, Some(0), Some(0), "Cadre de vie", None),
    ("Un jardin partagé aux Vignes", "Des bacs cultivés par les voisins, avec un récupérateur d'eau de pluie.", 14_000, Some(1), Some(1), "Nature", None),
    ("Un abri vélos sécurisé à la gare", "Vingt places couvertes et fermées pour les vélos des voyageurs.", 22_000, Some(2), Some(2), "Déplacements", None),
    ("Une aire de jeux au Moulin", "Des jeux pour les petits près de la rivière, avec une clôture.", 25_000, Some(3), Some(3), "Enfance", None),
];

/// The budget whose results are out: one pot for the whole commune, the
/// rule « un projet par quartier d'abord ».
const CLOSED_PROJECTS: &[DemoProject] = &[
    (
        "Rénover le lavoir du Centre-bourg",
        "Reprendre la toiture et les bassins du lavoir.",
        40_000,
        None,
        Some(0),
        "Patrimoine",
        None,
    ),
    (
        "Des fontaines à eau aux Vignes",
        "Deux fontaines d'eau potable le long de la promenade.",
        15_000,
        None,
        Some(1),
        "Cadre de vie",
        None,
    ),
    (
        "Éclairer le passage sous la gare",
        "Un éclairage à détection pour le passage piéton.",
        30_000,
        None,
        Some(2),
        "Sécurité",
        None,
    ),
    ("Un verger aux Hauts", "Vingt arbres fruitiers en libre cueillette.", 10_000, None, Some(4), "Nature", None),
    ("Un city-stade au Centre-bourg", "Un terrain multisport clôturé.", 55_000, None, Some(0), "Sport", None),
];

/// Two participatory budgets: one in its vote phase, its projects studied
/// (one not feasible, with the reason) and some votes cast, where a vote
/// may be changed until the close (the browser suite votes twice); and one
/// closed a month ago with its results out.
///
/// Each is written as staff would: created, its projects added and studied,
/// published, all now (the audit log stays in time order), then its dates
/// moved to where a demo needs them (allowed: the vote had not opened yet).
/// The votes of the closed one are cast on a day of its vote.
fn budgets(
    store: &Store,
    admin: AccountId,
    residents: &[AccountId],
    neighbourhoods: &[String],
) -> Result<(), crate::domain::budgets::BudgetError> {
    use crate::domain::budgets::{self as b, Audience, BudgetError, Pot, ProjectDetails, Rule, Settings, Study, Style};
    let now = crate::domain::now_unix();
    let day = 86_400;
    let (residents, hoods) = (residents.to_vec(), neighbourhoods.to_vec());
    store.writer().write_blocking(move |tx| {
        let actor = crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE);
        let hood = |i: Option<usize>| i.and_then(|i| hoods.get(i).cloned());
        let settings = |title: &str, description: &str, starts: [i64; 5], pots: Vec<Pot>, rule: Rule, changeable: bool| Settings {
            title: title.into(),
            description: description.into(),
            starts,
            pots,
            audience: Audience::SignedIn,
            min_age: None,
            style: Style::Basket,
            changeable,
            rule,
            min_votes: 0,
            secret: true,
            results_during_vote: false,
        };
        // Written during the study; `at` then gives the real dates.
        let write = |s: Settings, projects: &[DemoProject], at: [i64; 5]| -> Result<b::ProcessId, BudgetError> {
            let studying = [now - 20 * day, now - 10 * day, now + day, now + 20 * day, now + 40 * day];
            let id = b::create(tx, &hoods, &actor, &Settings { starts: studying, ..s.clone() }, now)?;
            for (title, text, euros, pot, place, category, refused) in projects {
                let pot = match pot {
                    Some(h) => s.pots.iter().position(|p| p.neighbourhood == hood(Some(*h))),
                    None => Some(0),
                };
                let Some(pot) = pot else { continue };
                let d = ProjectDetails {
                    title: title.to_string(),
                    description: text.to_string(),
                    proposed_cost_cents: euros * 100,
                    pot,
                    neighbourhood: hood(*place),
                    category: category.to_string(),
                    coords: None,
                };
                let n = b::add_project(tx, &hoods, &actor, id, &d, now)?;
                let study = match refused {
                    Some(reason) => Study::NotFeasible { reason: reason.to_string() },
                    // The services' estimate, a little above the proposal.
                    None => Study::Feasible { cost_cents: euros * 105 },
                };
                b::set_study(tx, &actor, id, n, study, now)?;
            }
            b::publish(tx, &actor, id, now)?;
            b::update(tx, &hoods, &actor, id, &Settings { starts: at, ..s }, now)?;
            Ok(id)
        };

        let mut pots = vec![Pot { neighbourhood: None, amount_cents: 150_000 * 100 }];
        pots.extend(hoods.iter().map(|h| Pot { neighbourhood: Some(h.clone()), amount_cents: 30_000 * 100 }));
        let open = write(
            settings(
                "Budget participatif 2027",
                "La commune consacre **300 000 €** de son budget d'investissement à vos projets : 150 000 € pour toute la commune, 30 000 € pour chaque quartier.\n\nChoisissez les projets que vous voulez voir réalisés, dans la limite de chaque enveloppe. Vous pouvez modifier votre vote jusqu'à la clôture.",
                [now - 60 * day, now - 35 * day, now - 5 * day, now + 20 * day, now + 60 * day],
                pots,
                Rule::Greedy,
                true,
            ),
            VOTE_PROJECTS,
            [now - 60 * day, now - 35 * day, now - 5 * day, now + 20 * day, now + 60 * day],
        )?;
        let closed = write(
            settings(
                "Budget participatif 2026",
                "Le premier budget participatif de Saint-Exemple : 100 000 € pour des projets dans toute la commune, avec au moins un projet par quartier quand c'est possible.",
                [now - 200 * day, now - 150 * day, now - 60 * day, now - 30 * day, now - 10 * day],
                vec![Pot { neighbourhood: None, amount_cents: 100_000 * 100 }],
                Rule::GreedyPerNeighbourhood,
                false,
            ),
            CLOSED_PROJECTS,
            [now - 200 * day, now - 150 * day, now - 60 * day, now - 30 * day, now - 10 * day],
        )?;

        // Votes: each resident a commune project or two and their own
        // neighbourhood's, when the pot has one; the closed budget's by
        // more people, cast during its vote.
        let projects = b::projects(tx, open)?;
        for (i, who) in residents.iter().take(40).enumerate() {
            let place = crate::domain::accounts::get_without_address(tx, *who)
                .map_err(|e| crate::store::StoreError::Internal(e.to_string()))?
                .and_then(|a| a.neighbourhood);
            let commune: Vec<u64> = projects.iter().filter(|p| p.pot == 0 && p.ballot_cost().is_some()).map(|p| p.number).collect();
            let mut choices: Vec<u64> = commune.iter().copied().skip(i % 3).take(1 + i % 2).collect();
            choices.extend(projects.iter().filter(|p| p.pot > 0 && p.neighbourhood == place && p.ballot_cost().is_some()).map(|p| p.number));
            match b::vote(tx, open, *who, &choices, now - 2 * day) {
                Ok(_) | Err(BudgetError::OverBudget) => {}
                Err(e) => return Err(e),
            }
        }
        // Baskets within the 100 000 €: the Hauts' orchard (4) comes first,
        // the Vignes' fountains (2) and the passage at the station (3) tie
        // (the cheaper first), the Centre's city stadium (5) no longer fits.
        const BASKETS: [&[u64]; 7] = [&[1, 2, 4], &[3, 4], &[1, 3], &[5, 2], &[1, 2, 3, 4], &[3, 4, 2], &[5, 4]];
        for (who, choices) in residents.iter().take(90).zip(BASKETS.iter().cycle()) {
            b::vote(tx, closed, *who, choices, now - 40 * day)?;
        }
        Ok(())
    })
}

/// A milestone of the demo: days before now, title, text.
type DemoMilestone = (i64, &'static str, &'static str);

/// The closed budget's winners, followed up as staff would: the first
/// finished, the second under way, the third being studied, each with its
/// dated milestones, so that `/budgets/<id>/suivi` shows every status.
fn budget_follow_up(store: &Store, admin: AccountId) -> Result<(), crate::domain::budgets::FollowUpError> {
    use crate::domain::budgets::follow_up::{self as f, MilestoneInput, Status};
    let now = crate::domain::now_unix();
    let day = 86_400;
    store.writer().write_blocking(move |tx| {
        let actor = crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE);
        let Some(closed) = crate::domain::budgets::list(tx)?.into_iter().find(|p| p.vote_closed(now)) else {
            return Ok(());
        };
        let date = |days_ago: i64| {
            jiff::Timestamp::from_second(now - days_ago * day)
                .map(|t| t.to_zoned(crate::domain::meetings::paris()).date())
                .map_err(|e| crate::store::StoreError::Internal(e.to_string()))
        };
        let plans: [(Status, u8, &[DemoMilestone]); 3] = [
            (
                Status::Done,
                100,
                &[
                    (25, "Commande passée", "Le marché est attribué à une entreprise de la commune."),
                    (15, "Début des travaux", "Le chantier dure **deux semaines**."),
                    (2, "Inauguration", "Le projet est ouvert à tous depuis ce samedi."),
                ],
            ),
            (
                Status::InProgress,
                60,
                &[
                    (20, "Étude technique terminée", "Les services ont validé l'emplacement."),
                    (5, "Début des travaux", "Des restrictions de circulation sont possibles aux abords."),
                ],
            ),
            (Status::Studying, 10, &[(8, "Rencontre avec les riverains", "Une réunion publique a précisé le projet.")]),
        ];
        for (number, (status, progress, steps)) in f::winners(tx, &closed)?.into_iter().zip(plans) {
            f::set_status(tx, &actor, closed.id, number, status, progress, now)?;
            for (days_ago, title, text) in steps {
                let m = MilestoneInput { date: date(*days_ago)?, title: title.to_string(), text: text.to_string() };
                f::add_milestone(tx, &actor, closed.id, number, &m, now)?;
            }
        }
        Ok(())
    })
}

/// Three news posts of the town hall, published.
fn news(store: &Store, admin: AccountId) -> Result<(), DemoError> {
    use crate::domain::news::{self, Draft};
    store
        .writer()
        .write_blocking(move |tx| {
            let (actor, now) = (crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE), crate::domain::now_unix());
            for (title, summary, body) in [
                (
                    "Bienvenue sur le site de participation",
                    "Consultations, idées, signalements : la mairie vous écoute entre deux conseils municipaux.",
                    "Ce site permet de **donner votre avis** sur les projets de la commune, de proposer des idées et de signaler un problème dans l'espace public.\n\nChaque contribution reçoit une réponse de la mairie.",
                ),
                (
                    "Travaux rue des Écoles",
                    "La rue des Écoles est en travaux du 4 au 15 : circulation alternée et stationnement interdit.",
                    "Les travaux de réfection de la chaussée commencent **lundi 4**.\n\n- circulation alternée de 8 h à 17 h\n- stationnement interdit des deux côtés\n- accès riverains maintenu",
                ),
                (
                    "Square des Tilleuls : le compte rendu de l'atelier",
                    "Trente-cinq habitants ont imaginé le square de demain ; leurs idées sont en ligne.",
                    "Le compte rendu de l'atelier est sur la page **Rendez-vous**, avec les propositions qui en sont issues : soutenez-les, la mairie répondra à chacune.",
                ),
            ] {
                let id = news::create(tx, &actor, &Draft { title: title.into(), summary: summary.into(), body: body.into(), image: None }, now)?;
                news::publish(tx, &actor, id, now)?;
            }
            Ok::<_, news::NewsError>(())
        })
        .map_err(DemoError::News)
}

/// Remarks some respondents leave, for the open answers' list.
const REMARKS: &[&str] = &[
    "Le samedi après-midi serait idéal pour les familles.",
    "Je travaille tard : une ouverture jusqu'à 20 h le mardi m'arrangerait.",
    "Merci de garder le portage de livres à domicile pour les personnes âgées.",
    "Plus de BD et de mangas pour les ados, svp !",
    "Le dimanche matin, après le marché, ce serait parfait.",
    "Les horaires actuels me conviennent très bien.",
    "Pourquoi pas une ouverture le midi pour ceux qui travaillent au bourg ?",
    "Il faudrait une boîte de retour des livres accessible quand c'est fermé.",
    "Des ateliers numériques le mercredi pour les seniors.",
    "Un peu plus de places assises et une prise électrique près des tables.",
];

/// Picks an index by weights (they need not sum to 1).
fn weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let mut left = rng.random_range(0.0..weights.iter().sum::<f64>());
    for (i, w) in weights.iter().enumerate() {
        if left < *w {
            return i;
        }
        left -= w;
    }
    weights.len() - 1
}

/// Answers written per transaction: large enough to be quick, small
/// enough that a benchmark's 100,000 answers never sit in one transaction.
const ANSWER_BATCH: u64 = 2_000;

/// Who gives the `i`th answer of a demo consultation: the residents first
/// (signed in), then one in twenty typed in from paper by the town hall,
/// the rest visitors.
fn respondent(i: u64, residents: &[AccountId], neighbourhoods: &[String]) -> crate::domain::consultations::Respondent {
    use crate::domain::consultations::{Channel, Respondent};
    match residents.get(i as usize) {
        Some(who) => Respondent::Account(*who),
        None if i.is_multiple_of(20) => Respondent::Offline {
            channel: Channel::Paper,
            neighbourhood: neighbourhoods.get(i as usize % neighbourhoods.len().max(1)).cloned(),
        },
        None => Respondent::Visitor,
    }
}

/// Writes `total` answers to consultation `id`, `fields(rng)` giving each
/// one's typed fields, in batches of [`ANSWER_BATCH`].
fn answer_demo(
    store: &Store,
    id: crate::domain::consultations::ConsultationId,
    total: u64,
    seed: u64,
    residents: &std::sync::Arc<Vec<AccountId>>,
    neighbourhoods: &std::sync::Arc<Vec<String>>,
    fields: impl Fn(&mut StdRng) -> std::collections::BTreeMap<u32, crate::domain::consultations::Raw>
        + Clone
        + Send
        + 'static,
) -> Result<(), crate::domain::consultations::ConsultationError> {
    use crate::domain::consultations::{self as c, Respondent};
    let mut done = 0;
    while done < total {
        let range = done..total.min(done + ANSWER_BATCH);
        done = range.end;
        let (residents, neighbourhoods, fields) = (residents.clone(), neighbourhoods.clone(), fields.clone());
        store.writer().write_blocking(move |tx| {
            let (actor, now) = (crate::domain::audit::Actor::command_line(), crate::domain::now_unix());
            for i in range.clone() {
                let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ (id.get() << 40) ^ i);
                let typed = fields(&mut rng);
                match respondent(i, &residents, &neighbourhoods) {
                    Respondent::Offline { channel, neighbourhood } => {
                        c::submit_offline(tx, &actor, id, channel, neighbourhood, &neighbourhoods, &typed, 0, now)?;
                    }
                    who => {
                        c::submit(tx, id, who, &typed, now)?;
                    }
                }
            }
            Ok::<_, c::ConsultationError>(())
        })?;
    }
    Ok(())
}

/// The demo's two consultations: one open, with a question of each common
/// kind (and as many more scales as `options.consultation_questions` asks,
/// for benchmarks), and one closed with its outcome; each with
/// `options.consultation_answers` answers (half for the closed one) from
/// residents, visitors and paper forms, so that the results pages have
/// real figures.
fn consultations(
    store: &Store,
    options: &DemoOptions,
    admin: AccountId,
    residents: &[AccountId],
    neighbourhoods: Vec<String>,
) -> Result<(), crate::domain::consultations::ConsultationError> {
    use crate::domain::consultations::{self as c, Audience, Dates, Details, Kind, Question, Raw};
    let extra = options.consultation_questions.saturating_sub(4);
    let (open, closed) = store.writer().write_blocking(move |tx| {
        let (actor, now) = (crate::domain::audit::Actor::command_line(), crate::domain::now_unix());
        let details = Details {
            title: "Les horaires de la médiathèque".into(),
            summary: "La médiathèque change ses horaires en janvier : dites-nous quand vous venez.".into(),
            body: "La médiathèque ouvre aujourd'hui 18 heures par semaine. Avant de fixer les horaires de 2027, la mairie veut savoir quand vous pouvez venir.".into(),
            neighbourhood: None,
            audience: Audience::Anyone,
        };
        let id = c::create(tx, &[], &actor, &details, now)?;
        let q = |page, label: &str, required, kind| Question { id: 0, page, label: label.into(), hint: String::new(), required, hidden: false, kind, show_if: None };
        let days = ["Mardi soir", "Mercredi", "Samedi matin", "Dimanche matin"].map(String::from).to_vec();
        for question in [
            q(1, "Venez-vous à la médiathèque ?", true, Kind::Single { options: ["Chaque semaine", "Parfois", "Jamais"].map(String::from).to_vec(), dropdown: false, other: false }),
            q(1, "Quels moments vous conviennent ?", false, Kind::Multiple { options: days, min: 1, max: 0, other: true }),
            q(2, "Êtes-vous satisfait des horaires actuels ?", true, Kind::Scale { from: 1, to: 5, low: "Pas du tout".into(), high: "Tout à fait".into() }),
            q(2, "Une remarque ?", false, Kind::LongText),
        ] {
            c::add_question(tx, &actor, id, &question, now)?;
        }
        for n in 0..extra {
            let label = format!("Service n° {} : votre satisfaction", n + 1);
            let kind = Kind::Scale { from: 0, to: 10, low: "Pas du tout satisfait".into(), high: "Très satisfait".into() };
            c::add_question(tx, &actor, id, &q(3 + n / 10, &label, false, kind), now)?;
        }
        c::publish(tx, &actor, id, Dates { opens_at: now - 7 * 86_400, closes_at: now + 30 * 86_400 }, now)?;
        let closed = closed_consultation(tx, now)?;
        Ok::<_, c::ConsultationError>((id, closed))
    })?;
    let residents = std::sync::Arc::new(residents.to_vec());
    let neighbourhoods = std::sync::Arc::new(neighbourhoods);
    answer_demo(store, open, options.consultation_answers, options.seed, &residents, &neighbourhoods, move |rng| {
        let one = |v: usize| Raw { values: vec![v.to_string()], other: String::new() };
        let mut fields = std::collections::BTreeMap::from([
            (1, one(weighted(rng, &[0.3, 0.5, 0.2]))),
            (3, one(1 + weighted(rng, &[0.1, 0.2, 0.3, 0.3, 0.1]))),
        ]);
        let moments: Vec<String> = [0.35, 0.45, 0.6, 0.25]
            .iter()
            .enumerate()
            .filter(|(_, p)| rng.random_bool(**p))
            .map(|(i, _)| i.to_string())
            .collect();
        if !moments.is_empty() {
            fields.insert(2, Raw { values: moments, other: String::new() });
        }
        if rng.random_bool(0.12) {
            fields.insert(
                4,
                Raw { values: vec![REMARKS[rng.random_range(0..REMARKS.len())].to_string()], other: String::new() },
            );
        }
        // The benchmark's extra scales (questions 5 and on), a third left blank.
        for q in 5..5 + extra {
            if rng.random_bool(0.66) {
                fields.insert(q, one(weighted(rng, &[1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 5.0, 7.0, 8.0, 5.0, 3.0])));
            }
        }
        fields
    })?;
    answer_demo(store, closed, options.consultation_answers / 2, options.seed, &residents, &neighbourhoods, |rng| {
        let choice = weighted(rng, &[0.55, 0.3, 0.15]);
        std::collections::BTreeMap::from([(1, Raw { values: vec![choice.to_string()], other: String::new() })])
    })?;
    store.writer().write_blocking(move |tx| {
        let now = crate::domain::now_unix();
        c::close(tx, &crate::domain::audit::Actor::command_line(), closed, now)?;
        // The outcome is signed by a staff member: the demo's administrator.
        c::publish_outcome(
            tx,
            &crate::domain::audit::Actor::person(admin, crate::domain::audit::COMMAND_LINE),
            closed,
            "Une large majorité préfère la place de l'Église, à condition de garder des places de stationnement pour les personnes âgées.",
            "Le conseil municipal a voté le déplacement du marché sur la place de l'Église à partir du printemps, avec six places réservées aux personnes à mobilité réduite rue des Tilleuls.",
            now,
        )
        .map(|_| ())
    })
}

/// A consultation on the Saturday market, published and open: answered
/// next, then closed early with its outcome, to show what « nous avons
/// demandé, vous avez dit, nous avons fait » looks like. Every step is at
/// `now`, so that the audit log stays in order and the domain's checks (a
/// closing date ahead when published) hold as they do for staff.
fn closed_consultation(
    tx: &crate::store::WriteTx,
    now: i64,
) -> Result<crate::domain::consultations::ConsultationId, crate::domain::consultations::ConsultationError> {
    use crate::domain::consultations::{self as c, Audience, Dates, Details, Kind, Question};
    let actor = crate::domain::audit::Actor::command_line();
    let details = Details {
        title: "Le marché du samedi".into(),
        summary: "Faut-il déplacer le marché du samedi sur la place de l'Église ?".into(),
        body: "Le marché se tient aujourd'hui sur le parking de la salle des fêtes. Les commerçants proposent de l'installer sur la place de l'Église rénovée.".into(),
        neighbourhood: None,
        audience: Audience::Anyone,
    };
    let id = c::create(tx, &[], &actor, &details, now)?;
    let question = Question {
        id: 0,
        page: 1,
        label: "Où préférez-vous le marché du samedi ?".into(),
        hint: String::new(),
        required: true,
        hidden: false,
        show_if: None,
        kind: Kind::Single {
            options: ["Sur la place de l'Église", "Là où il est", "Sans avis"].map(String::from).to_vec(),
            dropdown: false,
            other: false,
        },
    };
    c::add_question(tx, &actor, id, &question, now)?;
    c::publish(tx, &actor, id, Dates { opens_at: now - 50 * 86_400, closes_at: now + 10 * 86_400 }, now)?;
    Ok(id)
}

const BOXES: &[(&str, &str, &[&str])] = &[
    (
        "Le centre-bourg de demain",
        "La place de l'Église et les rues commerçantes seront refaites en 2027. Proposez ce qui rendrait le centre plus agréable : bancs, ombre, circulation, marché.\n\nBudget indicatif : 250 000 €. Les idées hors des compétences de la commune ne pourront pas être retenues.",
        &["Voirie", "Espaces verts", "Commerce", "Mobilité"],
    ),
    (
        "Vivre ensemble à Saint-Exemple",
        "Fêtes, entraide, culture, sport : vos idées pour que les habitants se rencontrent et s'entraident.",
        &["Culture", "Solidarité", "Sport", "Jeunesse"],
    ),
];

const ACTIONS: &[&str] = &[
    "Installer des bancs",
    "Planter des arbres",
    "Créer une piste cyclable",
    "Aménager un jardin partagé",
    "Réparer l'éclairage",
    "Ajouter des poubelles de tri",
    "Organiser un marché de producteurs",
    "Ouvrir une boîte à livres",
    "Limiter la vitesse à 30 km/h",
    "Créer un parking à vélos",
    "Installer une fontaine à eau",
    "Organiser une fête des voisins",
    "Ouvrir une ressourcerie",
    "Créer une aire de jeux",
    "Mettre des toilettes publiques",
    "Organiser un atelier de réparation",
];
const PLACES: &[&str] = &[
    "place de l'Église",
    "rue de la Gare",
    "au parc du Moulin",
    "près de l'école Jules-Ferry",
    "aux Vignes",
    "chemin des Hauts",
    "devant la mairie",
    "au stade municipal",
    "le long du canal",
    "au centre-bourg",
    "près de la salle des fêtes",
    "rue des Tilleuls",
];
const REASONS: &[&str] = &[
    "Beaucoup d'habitants, surtout les plus âgés, n'ont nulle part où s'asseoir.",
    "Les enfants passent ici tous les jours pour aller à l'école.",
    "Le soir, l'endroit est sombre et peu rassurant.",
    "Cela rendrait le quartier plus vivant et plus convivial.",
    "Les voitures roulent trop vite et les piétons ont peur.",
    "Nous pourrions réduire nos déchets et créer du lien entre voisins.",
    "L'été, il fait très chaud et il n'y a aucune ombre.",
    "Des associations sont prêtes à s'en occuper bénévolement.",
];
const COMMENTS: &[&str] = &[
    "Très bonne idée, je soutiens !",
    "Il faudrait penser aussi aux personnes à mobilité réduite.",
    "Je ne suis pas sûr que ce soit une priorité pour le budget de la commune.",
    "On pourrait commencer par un essai de quelques mois.",
    "L'association du quartier peut aider, contactez-nous.",
    "Attention au bruit le soir pour les riverains.",
    "C'était déjà demandé lors de la réunion publique de l'an dernier.",
    "Oui, et pourquoi pas l'étendre aux autres quartiers ?",
];

/// Idea boxes, proposals (with supports, answers and follow-ups) and
/// comments, for the demo and the benchmarks. Deterministic for a seed.
/// What residents of Saint-Exemple report, by category code (the defaults
/// of `[[reports.categories]]`): a description and where.
const REPORTS: &[(&str, &str, &str)] = &[
    (
        "eclairage",
        "Le lampadaire devant le numéro 14 est éteint depuis une semaine ; la rue est très sombre le soir.",
        "14 rue des Lilas",
    ),
    (
        "eclairage",
        "Le lampadaire du parking de la salle des fêtes clignote sans arrêt.",
        "Parking de la salle des fêtes",
    ),
    ("eclairage", "L'éclairage du passage piéton devant l'école reste allumé en plein jour.", "Rue de l'École"),
    ("eclairage", "Deux lampadaires sur trois sont éteints sur le chemin de la gare.", "Chemin de la Gare"),
    (
        "voirie",
        "Un nid-de-poule profond s'est formé dans le virage ; les vélos l'évitent au dernier moment.",
        "Route de Lyon",
    ),
    (
        "voirie",
        "Le trottoir est soulevé par les racines du platane, une poussette ne passe plus.",
        "Avenue des Platanes",
    ),
    (
        "voirie",
        "La plaque d'égout devant la boulangerie est descellée et claque au passage des voitures.",
        "2 place du Marché",
    ),
    ("voirie", "Des pavés se sont détachés sur la place, on risque de trébucher.", "Place de l'Église"),
    ("voirie", "Le marquage du passage piéton est presque effacé devant la pharmacie.", "Grande Rue"),
    ("proprete", "Un dépôt de gravats et de vieux meubles a été laissé au bord du chemin.", "Chemin des Vignes"),
    ("proprete", "La poubelle de l'arrêt de bus déborde depuis plusieurs jours.", "Arrêt La Gare"),
    ("proprete", "Des tags ont été faits sur le mur du lavoir.", "Rue du Lavoir"),
    ("proprete", "Des sacs d'ordures ont été déposés à côté des conteneurs de tri.", "Impasse du Moulin"),
    ("espaces-verts", "Une grosse branche du tilleul menace de tomber sur l'aire de jeux.", "Square des Tilleuls"),
    ("espaces-verts", "La haie déborde sur le trottoir et oblige à marcher sur la route.", "Rue des Hauts"),
    ("espaces-verts", "L'herbe n'a pas été tondue au bord du terrain de foot depuis un mois.", "Stade municipal"),
    ("mobilier", "Le banc près de la fontaine a une planche cassée.", "Place de la Fontaine"),
    ("mobilier", "Le panneau « Stop » au carrefour est tourné vers le champ.", "Carrefour des Hauts"),
    ("mobilier", "La vitre de l'abribus est brisée, il y a des éclats par terre.", "Arrêt Centre-bourg"),
    ("mobilier", "La barrière du pont est descellée sur deux mètres.", "Pont du Moulin"),
];

/// A status and what the town hall wrote with it, by how far a report went.
const FOLLOW_UPS: &[&[(&str, &str)]] = &[
    &[],
    &[("investigating", "Merci pour votre signalement : nos services vont se rendre sur place.")],
    &[
        ("investigating", "Merci pour votre signalement : nos services vont se rendre sur place."),
        ("action-scheduled", "Une intervention est programmée dans les prochains jours."),
    ],
    &[
        ("investigating", "Merci pour votre signalement : nos services vont se rendre sur place."),
        ("in-progress", "L'équipe technique est intervenue ; la réparation se termine cette semaine."),
    ],
    &[
        ("action-scheduled", "Une intervention est programmée dans les prochains jours."),
        ("fixed", "L'intervention a eu lieu : le problème est réglé. Merci de votre vigilance."),
    ],
    &[("not-responsible", "Cette voie appartient au département : nous lui avons transmis votre signalement.")],
    &[("duplicate", "Ce problème avait déjà été signalé : nous le suivons sur l'autre signalement.")],
];

/// Problem reports over the commune: every category, every status, with
/// the town hall's updates, a resident's message now and then, and « me
/// too » from neighbours; placed within about 1 km of the demo's centre.
fn problem_reports(
    store: &Store,
    options: &DemoOptions,
    admin: AccountId,
    residents: &[AccountId],
) -> Result<u64, DemoError> {
    use crate::domain::reports::{self, ProblemReport, ReportId, Update};
    if residents.is_empty() {
        return Ok(0);
    }
    let now = crate::domain::now_unix();
    let neighbourhoods: Vec<String> = if options.neighbourhoods.is_empty() {
        NEIGHBOURHOODS.iter().map(|n| n.to_string()).collect()
    } else {
        options.neighbourhoods.clone()
    };
    let mut rng = StdRng::seed_from_u64(options.seed ^ 0x5167_4e41);
    let mut made = Vec::with_capacity(options.reports as usize);
    for i in 0..options.reports {
        let (category, description, address) = REPORTS[i as usize % REPORTS.len()];
        let created_at = now - rng.random_range(2 * 3600..60 * 86_400);
        let follow_up = FOLLOW_UPS[rng.random_range(0..FOLLOW_UPS.len())];
        let mut updates = Vec::new();
        let mut at = created_at;
        for (status, text) in follow_up {
            at += rng.random_range(3600..5 * 86_400);
            updates.push(Update {
                at: at.min(now),
                by: admin,
                staff: true,
                status: Some(status.to_string()),
                category: None,
                text: text.to_string(),
            });
        }
        let author = residents[rng.random_range(0..residents.len())];
        if rng.random_bool(0.2) {
            at += rng.random_range(3600..86_400);
            let text = "C'est toujours le cas ce matin, merci de faire vite.".to_string();
            updates.push(Update { at: at.min(now), by: author, staff: false, status: None, category: None, text });
        }
        let supporters: Vec<AccountId> =
            (0..rng.random_range(0..5)).map(|_| residents[rng.random_range(0..residents.len())]).collect();
        let report = ProblemReport {
            id: ReportId(0),
            category: category.to_string(),
            lat: reports::to_micro(45.7772 + rng.random_range(-0.008..0.008)),
            lon: reports::to_micro(4.6121 + rng.random_range(-0.012..0.012)),
            address: Some(address.to_string()),
            neighbourhood: Some(neighbourhoods[rng.random_range(0..neighbourhoods.len())].clone()),
            description: description.to_string(),
            photos: Vec::new(),
            author: reports::Author::Account(author),
            show_name: rng.random_bool(0.5),
            confirmed: true,
            status: follow_up.last().map(|(s, _)| s.to_string()).unwrap_or_else(|| "new".into()),
            created_at,
            updated_at: updates.last().map(|u| u.at).unwrap_or(created_at),
            followers: 0,
            supports: 0,
        };
        made.push((report, updates, supporters));
    }
    // Numbers follow the filing dates, as they do for real reports.
    made.sort_by_key(|(report, _, _)| report.created_at);
    let n = made.len() as u64;
    store
        .writer()
        .write_blocking(move |tx| {
            for (report, updates, supporters) in &made {
                reports::save_generated(tx, report.clone(), updates, supporters)?;
            }
            Ok(())
        })
        .map_err(DemoError::Reports)?;
    Ok(n)
}

fn participation(
    store: &Store,
    options: &DemoOptions,
    admin: AccountId,
    residents: Vec<AccountId>,
    progress: &dyn Fn(u64, u64),
) -> Result<(u64, u64), DemoError> {
    use crate::domain::comments::{self, NewComment};
    use crate::domain::proposals::{self, Answer, IdeaBox, Milestone, Proposal, Status, Supporters};
    let now = crate::domain::now_unix();
    if residents.is_empty() {
        return Ok((0, 0));
    }
    let mut box_ids = Vec::new();
    for (i, (title, description, categories)) in BOXES.iter().enumerate() {
        let b = IdeaBox {
            id: BoxId(0),
            title: title.to_string(),
            description: description.to_string(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            opens_at: now - (40 + 20 * i as i64) * 86_400,
            closes_at: now + (60 - 10 * i as i64) * 86_400,
            supporters: Supporters::Residents,
            threshold: 25,
            created_by: admin,
            created_at: now - 45 * 86_400,
        };
        let id = store
            .writer()
            .write_blocking(move |tx| proposals::create_box(tx, b.clone()))
            .map_err(DemoError::IdeaBoxes)?;
        box_ids.push(id);
    }
    let neighbourhoods: Vec<String> = if options.neighbourhoods.is_empty() {
        NEIGHBOURHOODS.iter().map(|n| n.to_string()).collect()
    } else {
        options.neighbourhoods.clone()
    };
    let total = options.proposals + options.comments;
    let mut done = 0u64;
    progress(0, total);
    let mut proposal_ids = Vec::with_capacity(options.proposals as usize);
    let mut start = 0u64;
    while start < options.proposals {
        let end = options.proposals.min(start + BATCH);
        let (seed, people, boxes, places) = (options.seed, residents.clone(), box_ids.clone(), neighbourhoods.clone());
        let ids = store.writer().write_blocking(move |tx| {
            let mut ids = Vec::new();
            for i in start..end {
                let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0xA24B_AED4_963E_E407) ^ i);
                let box_index = rng.random_range(0..boxes.len());
                let (_, _, categories) = BOXES[box_index];
                let id = proposals::next_proposal_id(tx)?;
                let action = ACTIONS[rng.random_range(0..ACTIONS.len())];
                let place = PLACES[rng.random_range(0..PLACES.len())];
                let created_at = now - rng.random_range(3600..40 * 86_400);
                let status = match rng.random_range(0..100) {
                    0..=59 => Status::Submitted,
                    60..=74 => Status::UnderStudy,
                    75..=82 => Status::Rejected,
                    83..=89 => Status::Accepted,
                    90..=95 => Status::InProgress,
                    _ => Status::Done,
                };
                let answer = (status != Status::Submitted).then(|| Answer {
                    text: match status {
                        Status::Rejected => "Merci pour cette idée. Elle ne relève pas des compétences de la commune ; nous l'avons transmise à la communauté de communes.".into(),
                        Status::UnderStudy => "Les services techniques étudient la faisabilité ; réponse prévue au prochain conseil municipal.".into(),
                        _ => "Bonne idée, retenue par le conseil municipal. Les travaux sont programmés.".into(),
                    },
                    by: admin,
                    at: created_at + 7 * 86_400,
                });
                let milestones = match status {
                    Status::InProgress => vec![Milestone { at: created_at + 10 * 86_400, title: "Étude et devis".into(), text: String::new(), progress: 40 }],
                    Status::Done => vec![
                        Milestone { at: created_at + 10 * 86_400, title: "Commande passée".into(), text: String::new(), progress: 50 },
                        Milestone { at: created_at + 20 * 86_400, title: "Réalisé".into(), text: String::new(), progress: 100 },
                    ],
                    _ => Vec::new(),
                };
                let p = Proposal {
                    id,
                    box_id: boxes[box_index],
                    author: people[rng.random_range(0..people.len())],
                    title: format!("{action} {place}"),
                    body: format!(
                        "{action} {place}. {} {}\n\nJe propose d'en discuter avec les riverains avant de décider.",
                        REASONS[rng.random_range(0..REASONS.len())],
                        REASONS[rng.random_range(0..REASONS.len())]
                    ),
                    category: Some(categories[rng.random_range(0..categories.len())].to_string()),
                    neighbourhood: rng.random_bool(0.7).then(|| places[rng.random_range(0..places.len())].clone()),
                    location: rng.random_bool(0.4).then(|| (45.7772 + rng.random_range(-0.01..0.01), 4.6121 + rng.random_range(-0.01..0.01))),
                    status,
                    answer,
                    supports: 0,
                    threshold_reached_at: None,
                    milestones,
                    created_at,
                    updated_at: created_at,
                    held: false,
                    photo: None,
                    origin: None,
                };
                proposals::save_new(tx, &p)?;
                ids.push((id, rng.random_range(0..6u64)));
            }
            Ok::<_, StoreError>(ids)
        })?;
        // Supports through the real operation, so counters and indexes agree.
        let (seed, people) = (options.seed, residents.clone());
        let supports = ids.clone();
        store
            .writer()
            .write_blocking(move |tx| {
                let notifier = crate::domain::notifications::Notifier { base_url: String::new() };
                for (id, n) in &supports {
                    let mut rng = StdRng::seed_from_u64(seed ^ id.get().wrapping_mul(31));
                    for _ in 0..*n {
                        let who = people[rng.random_range(0..people.len())];
                        match proposals::set_support(tx, &notifier, *id, who, Role::Resident, true, now) {
                            // A repeat changes nothing; a closed box or a held
                            // proposal simply has fewer supports.
                            Ok(_)
                            | Err(ProposalError::Closed | ProposalError::NotVerified | ProposalError::NotPublic) => {}
                            Err(
                                e @ (ProposalError::NoBox
                                | ProposalError::NotFound
                                | ProposalError::ReasonRequired
                                | ProposalError::NotFollowedUp
                                | ProposalError::PhotoNotUploaded
                                | ProposalError::Store(_)),
                            ) => return Err(e),
                        }
                    }
                }
                Ok(())
            })
            .map_err(DemoError::Proposals)?;
        proposal_ids.extend(ids.iter().map(|(id, _)| *id));
        done += end - start;
        progress(done, total);
        start = end;
    }
    // The demo's comments hold no word: none is listed.
    let held = crate::domain::moderation::HeldWords::default();
    let mut start = 0u64;
    let mut comments_created = 0;
    while start < options.comments && !proposal_ids.is_empty() {
        let end = options.comments.min(start + BATCH);
        let (seed, people, targets, held) = (options.seed, residents.clone(), proposal_ids.clone(), held.clone());
        comments_created += store
            .writer()
            .write_blocking(move |tx| {
                let mut n = 0u64;
                for i in start..end {
                    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ i);
                    let target = crate::domain::changes::Target::new(
                        crate::domain::changes::ContentKind::Proposal,
                        (targets[rng.random_range(0..targets.len())]).get(),
                    );
                    let new = NewComment {
                        target,
                        reply_to: None,
                        author: people[rng.random_range(0..people.len())],
                        body: COMMENTS[rng.random_range(0..COMMENTS.len())].to_string(),
                        stance: None,
                    };
                    match comments::create(tx, &new, &held, now - rng.random_range(60..86_400)) {
                        Ok(_) => n += 1,
                        // Content that takes no comments is skipped, as a resident would be refused.
                        Err(CommentError::TargetClosed | CommentError::ParentClosed) => {}
                        Err(
                            e @ (CommentError::Empty
                            | CommentError::TooLong
                            | CommentError::NotFound
                            | CommentError::NotAuthor
                            | CommentError::EditWindowPassed
                            | CommentError::Deleted
                            | CommentError::NotVotable
                            | CommentError::Store(_)),
                        ) => return Err(e),
                    }
                }
                Ok(n)
            })
            .map_err(DemoError::Comments)?;
        done += end - start;
        progress(done, total);
        start = end;
    }
    Ok((proposal_ids.len() as u64, comments_created))
}

/// Creates the demo admin if missing; returns its id and whether it was created.
fn ensure_admin(store: &Store) -> Result<(AccountId, bool), DemoError> {
    let tx = store.read()?;
    if let Some(found) = accounts::find_by_email(&tx, ADMIN_EMAIL).map_err(DemoError::Admin)? {
        return Ok((found.id, false));
    }
    drop(tx);
    let hash = accounts::one_time_password()
        .and_then(|password| accounts::hash_password(&password))
        .map_err(DemoError::Admin)?;
    let new = NewAccount {
        email: ADMIN_EMAIL.into(),
        display_name: "Administratrice de démonstration".into(),
        role: Role::Admin,
        password_hash: hash,
        must_change_password: false,
        language: crate::i18n::Lang::Fr,
        neighbourhood: None,
    };
    let id = store.writer().write_blocking(move |tx| accounts::create(tx, &new)).map_err(DemoError::Admin)?;
    Ok((id, true))
}

/// How to sign in as the demo admin, printed at every start.
pub struct DemoSignIn {
    pub password: String,
    /// Fresh recovery codes: each one passes the two-factor step once.
    pub recovery_codes: Vec<String>,
}

/// Gives the demo admin a fresh password and fresh recovery codes; the old
/// ones stop working, so each start prints the only valid ones. Admins must
/// use two-factor authentication, so the demo admin has it enrolled: whoever
/// tries the demo without an authenticator app signs in with a recovery code.
pub fn prepare_admin_sign_in(store: &Store) -> Result<DemoSignIn, DemoError> {
    let (id, _) = ensure_admin(store)?;
    let password = accounts::one_time_password().map_err(DemoError::Admin)?;
    let hash = accounts::hash_password(&password).map_err(DemoError::Admin)?;
    let keys = store.keys().clone();
    let recovery_codes = store.writer().write_blocking(move |tx| {
        // A demo is for looking around: no forced password change.
        accounts::set_password(tx, id, &hash, false).map_err(DemoError::Admin)?;
        let now = crate::domain::now_unix();
        if !crate::domain::two_factor::is_enabled_in(tx, id)? {
            let secret = crate::domain::two_factor::begin_enrolment(tx, &keys, id, now)?;
            let code = crate::domain::two_factor::code_at(&secret, now).map_err(DemoError::AdminTwoFactor)?;
            crate::domain::two_factor::confirm_enrolment(tx, &keys, id, &code, now)
                .map_err(DemoError::AdminTwoFactor)?;
        }
        Ok::<_, DemoError>(crate::domain::two_factor::new_recovery_codes(tx, id)?)
    })?;
    Ok(DemoSignIn { password, recovery_codes })
}

const FIRST_NAMES: &[&str] = &[
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Zoé",
    "Juliette",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Monique",
    "Hélène",
    "Agnès",
    "Céline",
    "Sandrine",
    "Élodie",
    "Aurélie",
    "Maëlle",
    "Anaïs",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Nathan",
    "Théo",
    "Raphaël",
    "Léo",
    "Mathis",
    "Enzo",
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Bernard",
    "Christophe",
    "Stéphane",
    "Frédéric",
    "Jérôme",
    "Sébastien",
    "Nicolas",
    "François",
    "Benoît",
    "Grégoire",
    "Yannick",
    "Mickaël",
    "Noël",
    "Gaëtan",
    "Loïc",
    "Hervé",
    "Rémi",
];

const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèbvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Brun",
    "Meyer",
    "Lemoine",
    "Benoît",
    "Besnard",
    "Le Gall",
    "Le Goff",
    "Ménard",
];

const MAIL_DOMAINS: &[&str] = &["courriel.test", "exemple.test", "poste.test", "mel.test"];

/// Makes demo people, one per index, the same for a given seed.
struct People {
    seed: u64,
    neighbourhoods: Vec<String>,
    password_hash: String,
}

impl People {
    fn new(seed: u64, neighbourhoods: Vec<String>, password_hash: String) -> People {
        People { seed, neighbourhoods, password_hash }
    }

    /// Resident number `i`: derived from (seed, i) alone, so that a batch can be
    /// generated again and the same person comes out.
    fn resident(&self, i: u64) -> NewAccount {
        let mut rng = StdRng::seed_from_u64(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
        let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
        let domain = MAIL_DOMAINS[rng.random_range(0..MAIL_DOMAINS.len())];
        // The index keeps emails unique; real people have namesakes too.
        let email = format!("{}.{}.{i}@{domain}", ascii_slug(first), ascii_slug(last));
        let role = if rng.random_bool(0.3) { Role::VerifiedResident } else { Role::Resident };
        let language = if rng.random_bool(0.92) { crate::i18n::Lang::Fr } else { crate::i18n::Lang::En };
        // A neighbourhood is given only with consent; most residents give it.
        let neighbourhood = (!self.neighbourhoods.is_empty() && rng.random_bool(0.8))
            .then(|| self.neighbourhoods[rng.random_range(0..self.neighbourhoods.len())].clone());
        NewAccount {
            email,
            display_name: format!("{first} {last}"),
            role,
            password_hash: self.password_hash.clone(),
            must_change_password: true,
            language,
            neighbourhood,
        }
    }
}

impl People {
    /// Resident number `i`'s age bracket, drawn from [`AGE_WEIGHTS`].
    fn age_bracket(&self, i: u64) -> &'static str {
        let mut rng = StdRng::seed_from_u64(self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ i);
        let total: u32 = AGE_WEIGHTS.iter().map(|(_, w)| w).sum();
        let mut draw = rng.random_range(0..total);
        for (bracket, weight) in AGE_WEIGHTS {
            if draw < weight {
                return bracket;
            }
            draw -= weight;
        }
        "45-59"
    }
}

/// "Lefèbvre" → "lefebvre", "Le Gall" → "le-gall": names as they appear in emails.
fn ascii_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let folded = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => "e",
            'î' | 'ï' | 'Î' => "i",
            'ô' | 'ö' | 'Ô' => "o",
            'ù' | 'û' | 'ü' => "u",
            'ç' | 'Ç' => "c",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            ' ' | '\'' => "-",
            c if c.is_ascii_alphanumeric() || c == '-' => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => continue,
        };
        out.push_str(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_ascii_emails() {
        assert_eq!(ascii_slug("Lefèbvre"), "lefebvre");
        assert_eq!(ascii_slug("Le Gall"), "le-gall");
        assert_eq!(ascii_slug("Maëlle"), "maelle");
        assert_eq!(ascii_slug("Élodie"), "elodie");
        for name in FIRST_NAMES.iter().chain(LAST_NAMES) {
            let slug = ascii_slug(name);
            assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{name} → {slug}");
            assert!(accounts::normalise_email(&format!("{slug}@x.test")).is_ok());
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a = People::new(7, vec!["Les Vignes".into()], "h".into());
        let b = People::new(7, vec!["Les Vignes".into()], "h".into());
        let c = People::new(8, vec!["Les Vignes".into()], "h".into());
        let emails = |p: &People| (0..50).map(|i| p.resident(i).email).collect::<Vec<_>>();
        assert_eq!(emails(&a), emails(&b));
        assert_ne!(emails(&a), emails(&c));
    }

    #[test]
    fn the_demo_config_is_valid_and_complete() {
        let config = demo_config(Path::new("/tmp/demo"), "127.0.0.1:8080".parse().unwrap()).unwrap();
        assert_eq!(config.commune.name, COMMUNE_NAME);
        // The census the results compare respondents with: every
        // neighbourhood and every age bracket, 5,000 residents each way.
        let population = &config.commune.population;
        assert_eq!(population.neighbourhoods.len(), NEIGHBOURHOODS.len());
        assert_eq!(population.age_brackets.len(), accounts::AGE_BRACKETS.len());
        assert_eq!(population.neighbourhoods.values().sum::<u64>(), 5000);
        assert_eq!(population.age_brackets.values().sum::<u64>(), 5000);
        assert_eq!(config.server.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(config.commune.neighbourhoods.len(), NEIGHBOURHOODS.len());
        assert!(config.legal.publisher.is_some() && config.legal.dpo_email.is_some());
        assert!(config.backup.interval.is_none());
    }

    /// `parvis demo` and `demo-data` print the error as it reads: the step
    /// that failed, then what the storage says to do.
    #[test]
    fn a_demo_error_names_its_step_and_keeps_the_advice() {
        let full = DemoError::Residents(AccountError::Store(StoreError::DiskFull)).to_string();
        assert!(full.starts_with("cannot create the demo residents: the disk is full"), "{full}");
        let closed = DemoError::IdeaBoxes(ProposalError::Store(StoreError::Closed)).to_string();
        assert_eq!(closed, "cannot open the demo idea boxes: the database is closed");
        let code = DemoError::AdminTwoFactor(TwoFactorError::InvalidCode).to_string();
        assert!(code.contains("two-factor") && code.contains("the code is not valid"), "{code}");
    }

    /// Security review: the demo once gave content to the next account id,
    /// so the first person to sign up inherited comments dated before their
    /// account, and supports.
    #[test]
    fn the_first_person_to_sign_up_after_the_demo_starts_with_nothing() {
        use crate::domain::{comments, proposals};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let options = DemoOptions {
            residents: 5,
            proposals: 40,
            comments: 120,
            reports: 30,
            seed: 1,
            neighbourhoods: Vec::new(),
            ..DemoOptions::default()
        };
        generate(&store, &options, &|_, _| {}).unwrap();
        let form = accounts::SignUp {
            email: "nouvelle@example.test".into(),
            display_name: "Nouvelle Habitante".into(),
            password_hash: "h".into(),
            language: crate::i18n::Lang::Fr,
            neighbourhood: None,
            age_bracket: None,
        };
        let id =
            store.writer().write_blocking(move |tx| accounts::sign_up(tx, &form, crate::domain::now_unix())).unwrap();
        let tx = store.read().unwrap();
        assert_eq!(comments::of_author(&tx, id, 1000).unwrap().len(), 0, "comments");
        assert!(proposals::supports_of(&tx, id).unwrap().is_empty(), "supports");
        assert_eq!(proposals::of_author(&tx, id).unwrap().len(), 0, "proposals");
        assert!(proposals::followed_by(&tx, id).unwrap().is_empty(), "follows");
        assert!(comments::useful_votes_of(&tx, id).unwrap().is_empty(), "useful votes");
    }

    #[test]
    fn the_demo_has_a_budget_in_its_vote_and_one_with_its_results() {
        use crate::domain::budgets::{self, Phase, Study};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let options = DemoOptions {
            residents: 100,
            proposals: 0,
            comments: 0,
            reports: 0,
            consultation_answers: 10,
            ..DemoOptions::default()
        };
        generate(&store, &options, &|_, _| {}).unwrap();
        let tx = store.read().unwrap();
        let now = crate::domain::now_unix();
        let all = budgets::list(&tx).unwrap();
        let open = all.iter().find(|p| p.phase(now) == Phase::Vote).expect("a budget in its vote");
        assert_eq!(open.pots.len(), 1 + NEIGHBOURHOODS.len(), "a pot for the commune and one per neighbourhood");
        assert!(open.changeable, "the browser suite votes twice");
        let projects = budgets::projects(&tx, open.id).unwrap();
        assert_eq!(projects.len(), 8);
        let refused: Vec<_> = projects.iter().filter(|p| matches!(p.study, Study::NotFeasible { .. })).collect();
        assert_eq!(refused.len(), 1, "one project not feasible, with its reason");
        let voted = budgets::count_roll(&tx, open.id).unwrap();
        assert!(voted >= 20, "some votes cast: {voted}");
        assert_eq!(budgets::ballots(&tx, open.id).unwrap().len() as u64, voted);

        let closed = all.iter().find(|p| p.phase(now) >= Phase::Results).expect("a closed budget");
        assert!(closed.results_visible(now));
        let outcome = budgets::outcome(
            closed,
            &budgets::projects(&tx, closed.id).unwrap(),
            &budgets::tally(&tx, closed.id).unwrap(),
        );
        assert_eq!(outcome.ballots, 90);
        // One per neighbourhood first: the orchard (Hauts), the fountains
        // (Vignes, tied with the station's passage and cheaper), the passage
        // (Gare), the wash house (Centre-bourg); the city stadium no longer fits.
        assert_eq!(outcome.pots[0].winners, [4, 2, 3, 1], "{:?}", outcome.pots[0].lines);
        // Its winners are followed up: the follow-up page shows every status.
        let followed = budgets::follow_up::follow_ups(&tx, closed, now).unwrap();
        let statuses: Vec<&str> = followed.iter().map(|(_, f)| f.status.code()).collect();
        assert_eq!(statuses, ["done", "in-progress", "studying", "studying"]);
        assert_eq!(followed[0].1.milestones.len(), 3);
        drop(tx);
        assert!(store.verify().unwrap().is_ok());
    }

    #[test]
    fn generating_twice_adds_nothing_and_the_store_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let options = DemoOptions {
            residents: 1500,
            proposals: 300,
            comments: 900,
            reports: 50,
            seed: 3,
            neighbourhoods: Vec::new(),
            consultation_answers: 3_000,
            consultation_questions: 30,
        };
        let first = generate(&store, &options, &|_, _| {}).unwrap();
        assert!(first.admin_created);
        assert_eq!(first.meetings_created, 5);
        assert_eq!(first.residents_created, 1500);
        assert_eq!((first.proposals_created, first.comments_created, first.reports_created), (300, 900, 50));
        let again = generate(&store, &options, &|_, _| {}).unwrap();
        assert_eq!((again.admin_created, again.residents_created, again.residents_skipped), (false, 0, 1500));
        assert_eq!(again.reports_created, 0, "reports are made once");
        assert_eq!((first.proposals_created, first.comments_created), (300, 900));
        assert_eq!(first.addresses_imported, 320, "Saint-Exemple's address list");
        let again = generate(&store, &options, &|_, _| {}).unwrap();
        assert_eq!((again.admin_created, again.residents_created, again.residents_skipped), (false, 0, 1500));
        assert_eq!(again.addresses_imported, 0);
        assert_eq!(crate::domain::addresses::count(&store.read().unwrap()).unwrap(), 320);
        let tx = store.read().unwrap();
        // The residents, the admin and the pilot group's member who signs in (`pilot`).
        assert_eq!(accounts::count(&tx).unwrap(), 1502);
        assert_eq!(crate::domain::groups::all(&*tx).unwrap().len(), 1, "the pilot group is made once");
        let admin = accounts::find_by_email(&tx, ADMIN_EMAIL).unwrap().unwrap();
        assert_eq!(admin.role, Role::Admin);
        drop(tx);
        let first = prepare_admin_sign_in(&store).unwrap();
        let second = prepare_admin_sign_in(&store).unwrap();
        let tx = store.read().unwrap();
        let admin = accounts::find_by_email(&tx, ADMIN_EMAIL).unwrap().unwrap();
        assert!(!accounts::password_matches(&first.password, &admin.password_hash), "the old password stops working");
        assert!(accounts::password_matches(&second.password, &admin.password_hash));
        assert!(crate::domain::two_factor::is_enabled(&tx, admin.id).unwrap(), "admins use two-factor, the demo's too");
        assert_eq!(crate::domain::two_factor::recovery_codes_left(&tx, admin.id).unwrap(), 10);
        assert_ne!(first.recovery_codes, second.recovery_codes);
        // Two consultations (one open, one closed with its outcome), once.
        let tx = store.read().unwrap();
        assert_eq!(crate::domain::consultations::list(&tx).unwrap().len(), 2);
        let closed = crate::domain::consultations::closed_with_outcomes(&tx, crate::domain::now_unix()).unwrap();
        assert!(matches!(closed.as_slice(), [(_, Some(_))]), "{closed:?}");
        // Thousands of answers: the residents' 1,500, then paper forms (one
        // in twenty of the rest) and visitors; the closed one half as many.
        let open = crate::domain::consultations::list(&tx)
            .unwrap()
            .into_iter()
            .find(|c| c.closes_at() > Some(crate::domain::now_unix()))
            .unwrap();
        assert_eq!(open.questions.len(), 30, "the four, and scales up to the number asked");
        assert_eq!(crate::domain::consultations::answer_count(&tx, open.id).unwrap(), (3_000, 1_500 - 75));
        let results = crate::domain::consultations::results(&tx, &open).unwrap();
        assert_eq!((results.paper, results.visitors), (75, 1_425));
        assert_eq!(crate::domain::consultations::answer_count(&tx, closed[0].0.id).unwrap().0, 1_500);
        // Its respondents who consented come with their neighbourhood and age.
        let groups = crate::domain::consultations::group_counts(&tx, closed[0].0.id).unwrap();
        assert!(groups.keys().any(|g| g.neighbourhood.is_some() && g.age_bracket.is_some()), "{groups:?}");
        assert!(groups.keys().all(|g| g.neighbourhood.is_some() == g.age_bracket.is_some()), "{groups:?}");
        // Meetings, once: two past with minutes (a workshop with its
        // proposals, a public meeting with who came), three to come, one
        // full with a waiting list; followers on the first proposals.
        use crate::domain::{meetings, proposals};
        let now = crate::domain::now_unix();
        let all = meetings::list(&tx).unwrap();
        assert_eq!(all.len(), 5, "made once");
        let past: Vec<_> = all.iter().filter(|m| m.is_past(now)).collect();
        assert_eq!(past.len(), 2);
        for m in &past {
            assert!(meetings::minutes(&tx, m.id).unwrap().is_some_and(|n| !n.text.is_empty()));
            assert!(meetings::attendance(&tx, m).unwrap().is_some_and(|c| c > 0));
        }
        let workshop = past.iter().find(|m| m.kind == meetings::Kind::Workshop).unwrap();
        assert_eq!(meetings::ideas(&tx, workshop.id).unwrap().len(), 2);
        let waiting = all
            .iter()
            .flat_map(|m| meetings::registrations(&tx, m.id).unwrap())
            .filter(|r| r.spot == meetings::Spot::Waiting)
            .count();
        assert_eq!(waiting, 3);
        let first_proposal = proposals::all_ids(&tx).unwrap()[0];
        let followers =
            (1..=1501u64).filter(|a| proposals::is_following(&tx, first_proposal, AccountId(*a)).unwrap()).count();
        assert!(followers > 3, "the author and residents: {followers}");
        drop(tx);
        let verdict = store.verify().unwrap();
        assert!(verdict.is_ok(), "{verdict:?}");
    }
}
