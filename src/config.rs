//! The one table of settings.
//!
//! Every setting Parvis knows is a row of [`SETTINGS`]: its key, its type, its
//! default, whether it is a secret, and its documentation in French and
//! English. Values are layered: defaults → `parvis.toml` → `PARVIS_*`
//! environment variables (`PARVIS_SMTP_PASSWORD` for `smtp.password`, and
//! `PARVIS_SMTP_PASSWORD_FILE` to read a secret from a file). Unknown keys are
//! errors that name the key, where it was found and the closest valid key:
//! a typo in a config file must never be silently ignored.
//!
//! The commented example file (`config/parvis.example.toml`) is generated from
//! this table by [`example_toml`], and a test keeps the committed copy equal;
//! `parvis check-config` lists the table's rows ([`Layers::describe`]).
//! [`Config::from_layers`] reads the values through a `Reader` that refuses
//! a key the table does not declare and records the keys read, and a test
//! checks that every declared key is read.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;

/// The type of a setting's value, and how it is checked.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Text,
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    Float {
        min: f64,
        max: f64,
    },
    /// A list of texts; in the environment, items are separated by commas.
    List,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A list of tables (`[[reports.categories]]`), each with the fields
    /// given; only from the file, never from the environment.
    Tables(&'static [Field]),
    /// Names with a whole number of people each (`{ "Centre" = 1200 }`):
    /// the commune's population by group. In the environment, `name=n`
    /// pairs separated by commas.
    Counts,
}

/// A field of the tables of a [`Kind::Tables`] setting.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    pub shape: Shape,
}

/// What a field of a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// A list of texts.
    List,
    /// `true` or `false`.
    Bool,
}

const fn field(name: &'static str) -> Field {
    Field { name, required: true, shape: Shape::Text }
}

const fn optional(name: &'static str) -> Field {
    Field { name, required: false, shape: Shape::Text }
}

const fn optional_list(name: &'static str) -> Field {
    Field { name, required: false, shape: Shape::List }
}

const fn optional_bool(name: &'static str) -> Field {
    Field { name, required: false, shape: Shape::Bool }
}

/// One row of the settings table.
pub struct Setting {
    pub key: &'static str,
    pub kind: Kind,
    /// The default as a TOML literal; `None` for a setting that is empty unless set.
    pub default: Option<&'static str>,
    pub secret: bool,
    pub doc_fr: &'static str,
    pub doc_en: &'static str,
}

const fn s(
    key: &'static str,
    kind: Kind,
    default: Option<&'static str>,
    doc_fr: &'static str,
    doc_en: &'static str,
) -> Setting {
    Setting { key, kind, default, secret: false, doc_fr, doc_en }
}

const fn secret(key: &'static str, doc_fr: &'static str, doc_en: &'static str) -> Setting {
    Setting { key, kind: Kind::Text, default: None, secret: true, doc_fr, doc_en }
}

/// The services of a small commune, so that reports work with no configuration.
const DEFAULT_SERVICES: &str = r#"[
  { code = "technique", name = "Services techniques", email = "services-techniques@mairie.example" },
  { code = "proprete", name = "Propreté et espaces verts", email = "proprete@mairie.example" },
]"#;

/// What residents of a village report most, each routed to a default service.
const DEFAULT_CATEGORIES: &str = r#"[
  { code = "eclairage", name = "Éclairage public", hint = "Lampadaire éteint, qui clignote ou reste allumé le jour.", service = "technique" },
  { code = "voirie", name = "Voirie / nid-de-poule", hint = "Nid-de-poule, trottoir abîmé, plaque d'égout descellée.", service = "technique" },
  { code = "proprete", name = "Propreté / dépôt sauvage", hint = "Dépôt sauvage, poubelle qui déborde, tag.", service = "proprete" },
  { code = "espaces-verts", name = "Espaces verts", hint = "Arbre ou branche dangereux, haie qui gêne le passage.", service = "proprete" },
  { code = "mobilier", name = "Mobilier urbain", hint = "Banc, panneau, abribus ou barrière cassé.", service = "technique" },
]"#;

/// FixMyStreet's default states, each typed open, fixed or closed.
const DEFAULT_STATUSES: &str = r#"[
  { code = "new", kind = "open" },
  { code = "investigating", kind = "open" },
  { code = "in-progress", kind = "open" },
  { code = "action-scheduled", kind = "open" },
  { code = "fixed", kind = "fixed" },
  { code = "not-responsible", kind = "closed" },
  { code = "duplicate", kind = "closed" },
  { code = "unable-to-fix", kind = "closed" },
]"#;

const DEFAULT_TEMPLATES: &str = r#"[
  { code = "pris-en-compte", title = "Pris en compte", status = "investigating", text = "Merci pour votre signalement : nos services vont se rendre sur place." },
  { code = "intervention-programmee", title = "Intervention programmée", status = "action-scheduled", text = "Une intervention est programmée dans les prochains jours." },
  { code = "repare", title = "Réparé", status = "fixed", text = "L'intervention a eu lieu : le problème est réglé. Merci de votre vigilance." },
  { code = "hors-competence", title = "Hors compétence", status = "not-responsible", text = "Ce problème ne relève pas de la commune : nous l'avons transmis au gestionnaire concerné." },
]"#;

/// Every setting, grouped by section, in the order the example file shows them.
pub static SETTINGS: &[Setting] = &[
    // [commune]
    s(
        "commune.name",
        Kind::Text,
        None,
        "Nom de la commune, affiché en haut de chaque page. Obligatoire.",
        "Name of the commune, shown at the top of every page. Required.",
    ),
    s(
        "commune.logo",
        Kind::Text,
        None,
        "Chemin d'un logo (PNG, JPEG ou SVG) affiché à côté du nom, et aussi imprimé sur les affiches et les images de partage s'il est en PNG ou JPEG. Facultatif.",
        "Path to a logo (PNG, JPEG or SVG) shown next to the name, also printed on the posters and share images when it is a PNG or JPEG. Optional.",
    ),
    s(
        "commune.intro",
        Kind::Text,
        Some("\"\""),
        "Texte d'accueil de la page d'accueil (quelques phrases).",
        "Welcome text on the home page (a few sentences).",
    ),
    s(
        "commune.colour",
        Kind::Text,
        Some("\"#1d4f91\""),
        "Couleur principale du site (#rrggbb). Doit contraster avec le blanc (4,5:1 au moins).",
        "Main colour of the site (#rrggbb). Must contrast with white (at least 4.5:1).",
    ),
    s(
        "commune.neighbourhoods",
        Kind::List,
        Some("[]"),
        "Quartiers de la commune, proposés dans les formulaires et les statistiques.",
        "The commune's neighbourhoods (quartiers), offered in forms and statistics.",
    ),
    s(
        "commune.population.neighbourhoods",
        Kind::Counts,
        Some("{}"),
        "Population de référence par quartier (recensement de l'INSEE), pour dire qui a répondu aux consultations : { \"Centre\" = 1200, \"Les Vignes\" = 800 }. Chaque nom est l'un de commune.neighbourhoods. Vide : les résultats ne montrent que la répartition des répondants.",
        "Reference population by neighbourhood (the INSEE census), to say who answered consultations: { \"Centre\" = 1200, \"Les Vignes\" = 800 }. Each name is one of commune.neighbourhoods. Empty: results show only how respondents are spread.",
    ),
    s(
        "commune.population.age_brackets",
        Kind::Counts,
        Some("{}"),
        "Population de référence par tranche d'âge (recensement de l'INSEE) : { \"18-29\" = 480, \"30-44\" = 610 }. Tranches : under-18, 18-29, 30-44, 45-59, 60-74, 75-plus.",
        "Reference population by age bracket (the INSEE census): { \"18-29\" = 480, \"30-44\" = 610 }. Brackets: under-18, 18-29, 30-44, 45-59, 60-74, 75-plus.",
    ),
    s(
        "commune.population.cross",
        Kind::Counts,
        Some("{}"),
        "Facultatif : la population croisée quartier × tranche d'âge, { \"Centre / 18-29\" = 130 }. Donnée, elle sert au redressement par cellule (post-stratification) ; sinon les résultats sont redressés sur les deux marges (calage itératif).",
        "Optional: the population crossed by neighbourhood × age bracket, { \"Centre / 18-29\" = 130 }. When given, results are re-weighted cell by cell (post-stratification); otherwise over both margins (raking).",
    ),
    // [server]
    s(
        "server.public_url",
        Kind::Text,
        None,
        "Adresse publique du site, telle que les habitants la tapent (https://participer.example.fr). Obligatoire.",
        "Public address of the site, as residents type it (https://participer.example.fr). Required.",
    ),
    s(
        "server.allow_http",
        Kind::Bool,
        Some("false"),
        "Accepter une adresse publique en http:// vers une autre machine (réseau de test seulement) : mots de passe et sessions y circulent en clair. Inutile pour localhost.",
        "Accept an http:// public address that points to another machine (a test network only): passwords and sessions cross it in clear. Not needed for localhost.",
    ),
    s(
        "server.listen",
        Kind::Text,
        Some("\"127.0.0.1:8080\""),
        "Adresse et port d'écoute. 0.0.0.0:443 pour servir directement en HTTPS.",
        "Address and port to listen on. 0.0.0.0:443 to serve HTTPS directly.",
    ),
    s(
        "server.tls",
        Kind::Choice(&["off", "files", "acme"]),
        Some("\"off\""),
        "TLS : off (derrière un proxy ou en local), files (certificat et clé ci-dessous), acme (Let's Encrypt).",
        "TLS: off (behind a proxy or local), files (certificate and key below), acme (Let's Encrypt).",
    ),
    s(
        "server.tls_cert",
        Kind::Text,
        None,
        "Avec tls = \"files\" : chemin du certificat (PEM, chaîne complète).",
        "With tls = \"files\": path to the certificate (PEM, full chain).",
    ),
    s(
        "server.tls_key",
        Kind::Text,
        None,
        "Avec tls = \"files\" : chemin de la clé privée (PEM).",
        "With tls = \"files\": path to the private key (PEM).",
    ),
    s(
        "server.acme_contact",
        Kind::Text,
        None,
        "Avec tls = \"acme\" : adresse électronique de contact pour Let's Encrypt.",
        "With tls = \"acme\": contact email address for Let's Encrypt.",
    ),
    s(
        "server.acme_directory",
        Kind::Text,
        Some("\"https://acme-v02.api.letsencrypt.org/directory\""),
        "Avec tls = \"acme\" : annuaire ACME.",
        "With tls = \"acme\": ACME directory URL.",
    ),
    s(
        "server.http_redirect_listen",
        Kind::Text,
        None,
        "Avec TLS : adresse d'écoute HTTP qui redirige vers HTTPS (ex. 0.0.0.0:80). Vide : pas de redirection.",
        "With TLS: HTTP listen address that redirects to HTTPS (e.g. 0.0.0.0:80). Empty: no redirect.",
    ),
    s(
        "server.trusted_proxies",
        Kind::List,
        Some("[]"),
        "Adresses IP des proxys inverses de confiance (ex. [\"127.0.0.1\"]) : leur en-tête X-Forwarded-For donne l'adresse du visiteur.",
        "IP addresses of trusted reverse proxies (e.g. [\"127.0.0.1\"]): their X-Forwarded-For header gives the visitor's address.",
    ),
    s(
        "server.demo",
        Kind::Bool,
        Some("false"),
        "Mode démonstration (parvis demo) : un bandeau le signale et les administrateurs lisent les courriels en attente. Jamais en production.",
        "Demo mode (parvis demo): a banner says so and admins can read queued messages. Never in production.",
    ),
    s(
        "server.metrics_listen",
        Kind::Text,
        None,
        "Adresse d'écoute des métriques Prometheus (/metrics), ex. 127.0.0.1:9464. Vide : pas de métriques. Ne l'exposez pas sur Internet.",
        "Listen address of the Prometheus metrics (/metrics), e.g. 127.0.0.1:9464. Empty: no metrics. Do not expose it to the Internet.",
    ),
    // [data]
    s(
        "data.dir",
        Kind::Text,
        Some("\"parvis-data\""),
        "Répertoire des données (base, photos, sauvegardes). Relatif au répertoire courant s'il n'est pas absolu.",
        "Data directory (database, photos, backups). Relative to the working directory unless absolute.",
    ),
    s(
        "data.key_file",
        Kind::Text,
        None,
        "Clé de chiffrement des adresses des comptes, des secrets de double authentification et des courriels en attente (adresses, liens). Vide : parvis.key à côté du fichier de configuration (sinon dans data.dir). Gardez-en une copie à part des sauvegardes : sans elle, ces données sont perdues et personne ne peut plus se connecter par son adresse. Avec systemd (LoadCredential=) ou un secret de conteneur : PARVIS_DATA_KEY_FILE=/chemin/du/secret.",
        "Encryption key of the accounts' addresses, the two-factor secrets and the mail in the outbox (addresses, links). Empty: parvis.key beside the configuration file (else in data.dir). Keep a copy apart from the backups: without it, that data is lost and nobody can sign in with their address any more. With systemd (LoadCredential=) or a container secret: PARVIS_DATA_KEY_FILE=/path/of/the/secret.",
    ),
    s(
        "data.cache_mib",
        Kind::Integer { min: 4, max: 65536 },
        Some("64"),
        "Mémoire cache de la base, en Mio.",
        "Database cache, in MiB.",
    ),
    s(
        "data.min_free_mib",
        Kind::Integer { min: 0, max: 1_000_000 },
        Some("64"),
        "Espace disque libre minimal, en Mio : en dessous, les écritures sont refusées (la lecture continue) jusqu'à ce que de la place soit libérée.",
        "Minimum free disk space, in MiB: below it, writes are refused (reading goes on) until space is freed.",
    ),
    // [languages]
    s(
        "languages.default",
        Kind::Choice(&["fr", "en"]),
        Some("\"fr\""),
        "Langue par défaut de l'interface.",
        "Default language of the interface.",
    ),
    // [smtp]
    s(
        "smtp.host",
        Kind::Text,
        None,
        "Serveur SMTP pour les courriels. Vide : les courriels restent dans la file d'attente.",
        "SMTP server for email. Empty: messages wait in the outbox.",
    ),
    s(
        "smtp.port",
        Kind::Integer { min: 1, max: 65535 },
        Some("587"),
        "Port SMTP (587 pour STARTTLS, 465 pour TLS implicite).",
        "SMTP port (587 for STARTTLS, 465 for implicit TLS).",
    ),
    s(
        "smtp.security",
        Kind::Choice(&["starttls", "tls", "none"]),
        Some("\"starttls\""),
        "Chiffrement SMTP : starttls, tls (implicite) ou none (seulement vers un relais local).",
        "SMTP encryption: starttls, tls (implicit) or none (only to a local relay).",
    ),
    s("smtp.username", Kind::Text, None, "Identifiant SMTP.", "SMTP user name."),
    secret(
        "smtp.password",
        "Mot de passe SMTP. Préférez PARVIS_SMTP_PASSWORD_FILE pour le lire dans un fichier.",
        "SMTP password. Prefer PARVIS_SMTP_PASSWORD_FILE to read it from a file.",
    ),
    s(
        "smtp.from",
        Kind::Text,
        None,
        "Expéditeur des courriels, ex. \"Mairie de Saint-Exemple <participer@example.fr>\".",
        "Sender of the messages, e.g. \"Mairie de Saint-Exemple <participer@example.fr>\".",
    ),
    // [map]
    s(
        "map.center_lat",
        Kind::Float { min: -90.0, max: 90.0 },
        Some("46.6"),
        "Latitude du centre de la carte.",
        "Latitude of the map's centre.",
    ),
    s(
        "map.center_lon",
        Kind::Float { min: -180.0, max: 180.0 },
        Some("2.4"),
        "Longitude du centre de la carte.",
        "Longitude of the map's centre.",
    ),
    s(
        "map.zoom",
        Kind::Integer { min: 1, max: 19 },
        Some("14"),
        "Niveau de zoom initial de la carte (1 à 19).",
        "Initial zoom level of the map (1 to 19).",
    ),
    s(
        "map.tile_url",
        Kind::Text,
        Some("\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""),
        "Modèle d'URL des tuiles de la carte ({z}, {x}, {y}, et {s} pour un sous-domaine a, b ou c). Parvis les télécharge lui-même et les sert depuis son propre site : les navigateurs des habitants ne contactent jamais ce serveur. Vide : pas de fond de carte, les pages gardent leurs listes et le champ d'adresse.",
        "URL template of the map tiles ({z}, {x}, {y}, and {s} for a sub-domain a, b or c). Parvis fetches them itself and serves them from its own site: residents' browsers never contact this server. Empty: no base map, the pages keep their lists and the address field.",
    ),
    s(
        "map.tile_cache_mib",
        Kind::Integer { min: 1, max: 100_000 },
        Some("200"),
        "Taille maximale du cache des tuiles sur le disque (Mio, dans <data.dir>/tiles/) ; les tuiles les moins récemment demandées sont effacées au-delà.",
        "Largest size of the tile cache on disk (MiB, in <data.dir>/tiles/); the least recently asked tiles are deleted past it.",
    ),
    s(
        "map.tile_max_age_days",
        Kind::Integer { min: 1, max: 3650 },
        Some("30"),
        "Âge (en jours) au-delà duquel une tuile en cache est téléchargée à nouveau ; si le serveur de tuiles ne répond pas, l'ancienne est servie.",
        "Age (in days) past which a cached tile is fetched again; if the tile server does not answer, the old one is served.",
    ),
    s(
        "map.attribution",
        Kind::Text,
        Some("\"© les contributeurs d'OpenStreetMap\""),
        "Attribution affichée sous la carte, exigée par le fournisseur de tuiles.",
        "Attribution shown under the map, required by the tile provider.",
    ),
    // [sessions]
    s(
        "sessions.idle_minutes",
        Kind::Integer { min: 5, max: 1440 },
        Some("60"),
        "Une session sans activité pendant ce nombre de minutes se termine (un avertissement permet de la prolonger).",
        "A session without activity for this many minutes ends (a warning lets the person extend it).",
    ),
    s(
        "sessions.absolute_hours",
        Kind::Integer { min: 1, max: 720 },
        Some("12"),
        "Durée maximale d'une session après la connexion, en heures.",
        "Longest a session lasts after signing in, in hours.",
    ),
    // [backup]
    s(
        "backup.dir",
        Kind::Text,
        None,
        "Répertoire des sauvegardes automatiques. Vide : <data.dir>/backups.",
        "Directory of scheduled backups. Empty: <data.dir>/backups.",
    ),
    s(
        "backup.interval_hours",
        Kind::Integer { min: 0, max: 8760 },
        Some("24"),
        "Intervalle entre deux sauvegardes automatiques, en heures. 0 : pas de sauvegarde automatique.",
        "Hours between two scheduled backups. 0: no scheduled backup.",
    ),
    s(
        "backup.keep",
        Kind::Integer { min: 1, max: 10000 },
        Some("7"),
        "Nombre de sauvegardes automatiques conservées.",
        "How many scheduled backups are kept.",
    ),
    // [retention]
    s(
        "retention.audit_days",
        Kind::Integer { min: 1, max: 36500 },
        Some("365"),
        "Durée de conservation du journal d'audit, en jours.",
        "How long the audit log is kept, in days.",
    ),
    s(
        "retention.inactive_account_days",
        Kind::Integer { min: 30, max: 36500 },
        Some("1095"),
        "Un compte inactif depuis ce nombre de jours est supprimé après un avertissement (RGPD).",
        "An account inactive for this many days is deleted after a warning (GDPR).",
    ),
    // [legal]
    s(
        "legal.publisher",
        Kind::Text,
        None,
        "Éditeur du site pour les mentions légales : la mairie et son adresse.",
        "Publisher for the legal notice: the town hall and its address.",
    ),
    s(
        "legal.publication_director",
        Kind::Text,
        None,
        "Directeur ou directrice de la publication (en général le maire).",
        "Director of publication (usually the mayor).",
    ),
    s(
        "legal.host",
        Kind::Text,
        None,
        "Hébergeur du site : nom, adresse et téléphone.",
        "Host of the site: name, address and phone number.",
    ),
    s(
        "legal.dpo_name",
        Kind::Text,
        None,
        "Délégué ou déléguée à la protection des données (DPO) de la commune.",
        "The commune's data protection officer (DPO).",
    ),
    s(
        "legal.dpo_email",
        Kind::Text,
        None,
        "Adresse de contact du DPO pour exercer ses droits.",
        "Contact address of the DPO, to exercise one's rights.",
    ),
    s(
        "legal.source_url",
        Kind::Text,
        None,
        "Adresse du code source de la version de Parvis en service (licence AGPL, article 13), ex. \"https://forge.example.fr/mairie/parvis\" : un lien « Code source » figure alors dans les mentions légales et en pied de page. Vide : les mentions légales disent que le code source peut être obtenu auprès de l'éditeur du site.",
        "Address of the source code of the running version of Parvis (AGPL, section 13), e.g. \"https://forge.example.fr/mairie/parvis\": a \"Source code\" link then appears in the legal notice and the footer. Empty: the legal notice says the source code can be obtained from the publisher of the site.",
    ),
    // [accessibility]
    s(
        "accessibility.status",
        Kind::Choice(&["non", "partielle", "totale"]),
        Some("\"non\""),
        "État de conformité au RGAA 4.1 : non, partielle ou totale (d'après un audit).",
        "RGAA 4.1 conformity status: non, partielle or totale (from an audit).",
    ),
    s(
        "accessibility.audit",
        Kind::Text,
        Some("\"\""),
        "Audit : date, auteur et taux de conformité. Vide : aucun audit n'a encore été réalisé.",
        "Audit: date, auditor and conformity rate. Empty: no audit has been made yet.",
    ),
    s(
        "accessibility.non_compliant",
        Kind::Text,
        Some("\"\""),
        "Contenus non accessibles connus, et leurs alternatives.",
        "Known inaccessible content, and the alternatives.",
    ),
    s(
        "accessibility.contact",
        Kind::Text,
        None,
        "Contact pour signaler un défaut d'accessibilité (adresse électronique ou formulaire).",
        "Contact to report an accessibility problem (email address or form).",
    ),
    // [moderation]
    s(
        "moderation.held_words",
        Kind::List,
        Some("[]"),
        "Mots ou expressions qui retiennent une contribution jusqu'à la relecture d'un modérateur (sans tenir compte des majuscules ni des accents, mots entiers), ex. [\"imbécile\", \"arnaque\"].",
        "Words or phrases that hold a contribution until a moderator has read it (case and accents ignored, whole words), e.g. [\"imbécile\", \"arnaque\"].",
    ),
    s(
        "moderation.charter_url",
        Kind::Text,
        None,
        "Adresse de la charte de participation de la commune, liée depuis chaque formulaire de contribution.",
        "Address of the commune's participation charter, linked from every contribution form.",
    ),
    // [reports]
    s(
        "reports.nearby_metres",
        Kind::Integer { min: 10, max: 5000 },
        Some("250"),
        "Distance, en mètres, dans laquelle les signalements ouverts de la même catégorie sont proposés avant d'en déposer un nouveau (« est-ce l'un de ceux-ci ? »).",
        "Distance, in metres, within which open reports of the same category are offered before a new one is filed (\"is it one of these?\").",
    ),
    s(
        "reports.fixed_followup_days",
        Kind::Integer { min: 1, max: 365 },
        Some("28"),
        "Nombre de jours après qu'un signalement est marqué réparé avant de demander à son auteur s'il l'est vraiment.",
        "Days after a report is marked fixed before its author is asked whether it really is.",
    ),
    s(
        "reports.open311_poll_secs",
        Kind::Integer { min: 1, max: 86_400 },
        Some("300"),
        "Pour les catégories envoyées à un autre logiciel par Open311 (send = \"open311\") : secondes entre deux lectures de l'état des signalements envoyés et encore ouverts là-bas.",
        "For the categories sent to another system by Open311 (send = \"open311\"): seconds between two readings of the status of the reports sent and still open there.",
    ),
    s(
        "reports.bounds_south",
        Kind::Float { min: -90.0, max: 90.0 },
        Some("45.765"),
        "Limite sud de la commune (latitude) : un signalement hors des limites est refusé avec une explication.",
        "Southern limit of the commune (latitude): a report outside the limits is refused with an explanation.",
    ),
    s(
        "reports.bounds_west",
        Kind::Float { min: -180.0, max: 180.0 },
        Some("4.595"),
        "Limite ouest de la commune (longitude).",
        "Western limit of the commune (longitude).",
    ),
    s(
        "reports.bounds_north",
        Kind::Float { min: -90.0, max: 90.0 },
        Some("45.790"),
        "Limite nord de la commune (latitude).",
        "Northern limit of the commune (latitude).",
    ),
    s(
        "reports.bounds_east",
        Kind::Float { min: -180.0, max: 180.0 },
        Some("4.630"),
        "Limite est de la commune (longitude).",
        "Eastern limit of the commune (longitude).",
    ),
    // The tables come last in the section: once a `[[reports.…]]` header
    // is uncommented, the lines under it belong to that table.
    s(
        "reports.services",
        Kind::Tables(&[field("code"), field("name"), field("email"), optional_list("staff")]),
        Some(DEFAULT_SERVICES),
        "Services de la mairie qui reçoivent les signalements : code (court, sans espace), nom, adresse électronique où chaque nouveau signalement est envoyé, et comptes (adresses) des agents du service (facultatif).",
        "Services of the town hall that receive reports: code (short, no space), name, email address each new report is sent to, and the service's staff accounts (addresses, optional).",
    ),
    s(
        "reports.categories",
        Kind::Tables(&[
            field("code"),
            field("name"),
            optional("hint"),
            field("service"),
            optional("send"),
            optional("endpoint"),
            optional("api_key"),
            optional("service_code"),
            optional("jurisdiction_id"),
        ]),
        Some(DEFAULT_CATEGORIES),
        "Catégories proposées aux habitants : code, nom, aide (ce qui en relève) et code du service qui les reçoit. Envoi (send) : \"email\" (par défaut, un courriel au service) ou \"open311\" pour transmettre les signalements au logiciel d'un autre organisme (intercommunalité, prestataire), avec endpoint (l'adresse de son API Open311, ex. \"https://tickets.exemple.fr/open311/v2\"), api_key (sa clé), service_code (le code du service chez lui) et jurisdiction_id (facultatif) ; ses mises à jour reviennent sur le signalement.",
        "Categories offered to residents: code, name, hint (what belongs there) and the code of the service that receives them. Send: \"email\" (default, a mail to the service) or \"open311\" to pass the reports to another body's system (intercommunality, contractor), with endpoint (its Open311 API's address, e.g. \"https://tickets.example.fr/open311/v2\"), api_key (its key), service_code (the service's code there) and jurisdiction_id (optional); its updates come back onto the report.",
    ),
    s(
        "reports.questions",
        Kind::Tables(&[
            field("category"),
            field("code"),
            field("label"),
            field("kind"),
            optional_bool("required"),
            optional("hint"),
            optional_list("values"),
        ]),
        None,
        "Questions supplémentaires d'une catégorie, posées dans le formulaire après la description, dans l'ordre du fichier : code de la catégorie, code de la question (court, sans espace), intitulé, type : text (texte), number (nombre) ou choice (choix parmi values), obligatoire ou non (required = true), aide (facultatif) et, pour un choix, la liste des réponses possibles. Exemple : category = \"eclairage\", code = \"numero\", label = \"Numéro du lampadaire\", kind = \"text\", hint = \"Inscrit sur le mât.\" ; puis category = \"eclairage\", code = \"etat\", label = \"Le lampadaire est\", kind = \"choice\", required = true, values = [\"éteint\", \"clignotant\", \"allumé le jour\"].",
        "Extra questions of a category, asked in the form after the description, in the file's order: the category's code, the question's code (short, no space), label, kind: text, number or choice (one of values), required or not (required = true), hint (optional) and, for a choice, the list of possible answers. Example: category = \"eclairage\", code = \"numero\", label = \"Numéro du lampadaire\", kind = \"text\", hint = \"Inscrit sur le mât.\"; then category = \"eclairage\", code = \"etat\", label = \"Le lampadaire est\", kind = \"choice\", required = true, values = [\"éteint\", \"clignotant\", \"allumé le jour\"].",
    ),
    s(
        "reports.statuses",
        Kind::Tables(&[field("code"), optional("name"), field("kind")]),
        Some(DEFAULT_STATUSES),
        "États d'un signalement, le premier étant celui d'un nouveau signalement : code, nom (facultatif pour les états par défaut, traduits) et type : open (ouvert), fixed (réparé) ou closed (fermé).",
        "Statuses of a report, the first being a new report's: code, name (optional for the default ones, which are translated) and kind: open, fixed or closed.",
    ),
    s(
        "reports.templates",
        Kind::Tables(&[field("code"), field("title"), field("text"), optional("status")]),
        Some(DEFAULT_TEMPLATES),
        "Réponses types que les agents choisissent en changeant l'état : code, titre, texte public et état proposé (facultatif).",
        "Response templates staff choose from when changing the status: code, title, public text and suggested status (optional).",
    ),
    // [consultations]
    s(
        "consultations.paper_grace_days",
        Kind::Integer { min: 0, max: 365 },
        Some("14"),
        "Nombre de jours après la clôture d'une consultation pendant lesquels les agents peuvent encore saisir les réponses papier et d'entretien reçues tard.",
        "Days after a consultation's close during which staff may still type in paper and interview answers that arrived late.",
    ),
    // [notifications]
    s(
        "notifications.digest_hour",
        Kind::Integer { min: 0, max: 23 },
        Some("7"),
        "Heure (à Paris) à laquelle partent les résumés quotidiens et hebdomadaires des notifications.",
        "Hour (Paris time) at which the daily and weekly notification digests are sent.",
    ),
    s(
        "notifications.digest_weekday",
        Kind::Choice(&["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
        Some("\"monday\""),
        "Jour du résumé hebdomadaire des notifications.",
        "Day of the weekly notification digest.",
    ),
    // [newsletters]
    s(
        "newsletters.rate_per_minute",
        Kind::Integer { min: 1, max: 60_000 },
        Some("120"),
        "Nombre maximal de courriels d'une lettre d'information confiés au serveur SMTP par minute : demandez la limite à votre hébergeur de messagerie. Les autres messages (mot de passe, confirmation) ne l'attendent pas.",
        "Most newsletter mails handed to the SMTP server per minute: ask your mail provider for its limit. Other messages (password, confirmation) do not wait behind them.",
    ),
    // [verification]
    s(
        "verification.counter",
        Kind::Bool,
        Some("true"),
        "Vérification des habitants au guichet de la mairie : un agent contrôle une pièce d'identité (il en note la nature, jamais le numéro) et la date de naissance. Activée par défaut : elle ne demande rien de plus que l'accueil de la mairie.",
        "Verification of residents at the town-hall counter: staff check an identity document (recording its kind, never its number) and the birth date. On by default: it needs nothing more than the town hall's front desk.",
    ),
    s(
        "verification.postal_codes",
        Kind::Bool,
        Some("false"),
        "Vérification par un code envoyé par courrier : l'habitant donne son adresse postale, les agents impriment les lettres (PDF pour enveloppes à fenêtre) et les postent. Désactivée par défaut : elle coûte un timbre par habitant et un travail d'envoi.",
        "Verification by a code sent by post: the resident gives a postal address, staff print the letters (PDF for window envelopes) and post them. Off by default: it costs a stamp per resident and the work of sending.",
    ),
    s(
        "verification.code_days",
        Kind::Integer { min: 7, max: 365 },
        Some("60"),
        "Durée de validité d'un code envoyé par courrier, en jours depuis l'impression.",
        "How long a code sent by post stays valid, in days from its printing.",
    ),
    s(
        "verification.list",
        Kind::Bool,
        Some("false"),
        "Vérification par une liste que la commune importe (liste électorale ou d'habitants, CSV) : l'habitant tape ses nom, prénoms et date de naissance. La liste n'est gardée que sous forme d'empreintes, jusqu'à la date de suppression choisie à l'import. Désactivée par défaut : la commune doit avoir une base légale pour utiliser sa liste ainsi.",
        "Verification against a list the commune imports (electoral or resident list, CSV): the resident types their names and birth date. The list is kept only as keyed hashes, until the deletion date chosen at the import. Off by default: the commune needs a legal basis to use its list this way.",
    ),
    // [open311]
    Setting {
        key: "open311.clients",
        kind: Kind::Tables(&[field("name"), field("api_key")]),
        default: None,
        // Each key files reports in the commune's name: never shown.
        secret: true,
        doc_fr: "Autres logiciels autorisés à déposer des signalements par l'API Open311 (/open311/v2/) : un nom (celui de l'outil, montré comme auteur) et une clé d'API longue et aléatoire (32 caractères au moins, ex. `openssl rand -hex 32`). Sans client, l'API se lit mais ne prend aucun signalement.",
        doc_en: "Other tools allowed to file reports through the Open311 API (/open311/v2/): a name (the tool's, shown as the author) and a long random API key (32 characters at least, e.g. `openssl rand -hex 32`). With no client, the API can be read but takes no report.",
    },
    // [log]
    s(
        "log.level",
        Kind::Choice(&["error", "warn", "info", "debug", "trace"]),
        Some("\"info\""),
        "Niveau de détail du journal.",
        "Log level.",
    ),
    s(
        "log.format",
        Kind::Choice(&["text", "json"]),
        Some("\"text\""),
        "Format du journal : text (lisible) ou json (pour un collecteur).",
        "Log format: text (readable) or json (for a collector).",
    ),
    // [open_data]
    s(
        "open_data.licence",
        Kind::Choice(&["etalab-2.0", "odbl"]),
        Some("\"etalab-2.0\""),
        "Licence des données ouvertes (/donnees-ouvertes/parvis.zip, refait chaque nuit) : etalab-2.0 (Licence Ouverte 2.0, réutilisation libre en citant la commune) ou odbl (Open Database License : une base dérivée doit être partagée à l'identique).",
        "Licence of the open data (/donnees-ouvertes/parvis.zip, made again each night): etalab-2.0 (Licence Ouverte 2.0, free reuse crediting the commune) or odbl (Open Database License: a derived database must be shared alike).",
    ),
    // [widget]
    s(
        "widget.allowed_origins",
        Kind::List,
        Some("[]"),
        "Sites autorisés à afficher le module /widget (les démarches ouvertes) dans un cadre <iframe>, chacun écrit comme une origine : protocole et nom de domaine seuls, ex. [\"https://www.saint-exemple.fr\"]. Vide : aucun site ne peut l'afficher. Les autres pages ne peuvent jamais être affichées dans un cadre.",
        "Sites allowed to show the /widget module (the open processes) in an <iframe>, each written as an origin: scheme and host only, e.g. [\"https://www.saint-exemple.fr\"]. Empty: no site may show it. The other pages can never be shown in a frame.",
    ),
    // [groups]
    s(
        "groups.invitation_days",
        Kind::Integer { min: 1, max: 365 },
        Some("30"),
        "Durée de validité d'une invitation par courriel à rejoindre un groupe pilote, en jours. Le lien ne sert qu'une fois.",
        "How long an emailed invitation to join a pilot group stays valid, in days. The link works once.",
    ),
];

/// Environment variables that are not settings but are read by the CLI.
const NON_SETTING_ENV: &[&str] = &["PARVIS_CONFIG"];

/// A secret value: never shown by `Debug` or in logs.
#[derive(Clone, Default, PartialEq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"***\"")
        }
    }
}

/// A setting's value once read.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    Integer(i64),
    Float(f64),
    List(Vec<String>),
    /// The tables of a [`Kind::Tables`] setting, each field by name.
    Tables(Vec<BTreeMap<String, Value>>),
    /// A [`Kind::Counts`] setting: each name with its number.
    Counts(BTreeMap<String, i64>),
}

/// Where a value came from, to say so in errors and in `check-config`.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Default,
    File { path: PathBuf, line: usize },
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File { path, line } => write!(f, "{}:{}", path.display(), line),
            Source::Env(var) => write!(f, "${var}"),
        }
    }
}

/// One problem with the configuration; the message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub key: String,
    pub source: Option<Source>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(src) => write!(f, "{} ({}): {}", self.key, src, self.message),
            None => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

/// Every problem found at once, so the admin fixes them in one go.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the configuration has {} problem(s):", self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    fn one(key: impl Into<String>, source: Option<Source>, message: impl Into<String>) -> Self {
        ConfigError { problems: vec![Problem { key: key.into(), source, message: message.into() }] }
    }
}

/// The resolved values, before they become a typed [`Config`].
#[derive(Clone, Default)]
pub struct Layers {
    values: BTreeMap<&'static str, (Value, Source)>,
}

/// Shows the effective settings with secrets redacted, never their values.
impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.describe().into_iter().map(|(k, v, _)| (k, v))).finish()
    }
}

impl Layers {
    /// Effective settings with their sources, secrets redacted, for `check-config`.
    pub fn describe(&self) -> Vec<(String, String, String)> {
        SETTINGS
            .iter()
            .map(|setting| match self.values.get(setting.key) {
                Some((value, source)) => {
                    let shown = if setting.secret { "(set, hidden)".to_string() } else { to_toml(&redacted(value)) };
                    (setting.key.to_string(), shown, source.to_string())
                }
                None => (setting.key.to_string(), "(not set)".to_string(), "default".to_string()),
            })
            .collect()
    }
}

/// Reads the layers for [`Config::from_layers`], so that the table stays the
/// one declaration of every setting: a key read here must be declared in
/// [`SETTINGS`] and read with the accessor of its kind, or that is a problem
/// (a misspelt key then fails every start-up, hence every test, instead of
/// reading nothing); and the keys read are recorded, so that a test proves
/// no declared setting is forgotten.
struct Reader<'a> {
    layers: &'a Layers,
    read: RefCell<BTreeSet<&'static str>>,
    problems: RefCell<Vec<Problem>>,
}

impl<'a> Reader<'a> {
    fn new(layers: &'a Layers) -> Self {
        Reader { layers, read: RefCell::default(), problems: RefCell::default() }
    }

    /// A problem with the value of `key`, located where the value came from.
    fn problem(&self, key: &str, message: String) {
        let source = self.layers.values.get(key).map(|(_, s)| s.clone());
        self.problems.borrow_mut().push(Problem { key: key.into(), source, message });
    }

    /// The value of the declared setting `key`; `accessor` names how it is
    /// read and `suits` says whether that fits the declaration.
    fn value(&self, key: &str, accessor: &str, suits: &dyn Fn(&Setting) -> bool) -> Option<&'a Value> {
        let setting = self.declared(key, accessor, suits)?;
        self.layers.values.get(setting.key).map(|(v, _)| v)
    }

    /// The declaration of `key`, recorded as read, if it is declared and
    /// `accessor` suits it; otherwise a problem.
    fn declared(&self, key: &str, accessor: &str, suits: &dyn Fn(&Setting) -> bool) -> Option<&'static Setting> {
        let Some(setting) = setting(key) else {
            self.problem(
                key,
                "Parvis reads this setting but config::SETTINGS does not declare it: this is a bug in Parvis".into(),
            );
            return None;
        };
        if !suits(setting) {
            self.problem(
                key,
                format!(
                    "Parvis reads this setting as {accessor} but it is declared as {}: this is a bug in Parvis",
                    kind_name(setting.kind)
                ),
            );
            return None;
        }
        self.read.borrow_mut().insert(setting.key);
        Some(setting)
    }

    /// The meaning of a choice's word. `meanings` gives one for each word the
    /// table declares, no more and no fewer (else it is a bug, reported at
    /// every start-up); a word with no meaning is refused with the allowed
    /// words, never replaced by a default.
    fn choice<T: Clone>(&self, key: &str, meanings: &[(&str, T)]) -> Option<T> {
        let words: Vec<&str> = meanings.iter().map(|(w, _)| *w).collect();
        let same_words = |options: &[&str]| options.len() == words.len() && options.iter().all(|o| words.contains(o));
        let accessor = format!("one of {}", quoted_list(&words));
        let setting =
            self.declared(key, &accessor, &|s| matches!(s.kind, Kind::Choice(options) if same_words(options)))?;
        match self.layers.values.get(setting.key) {
            Some((Value::Text(t), _)) => match meanings.iter().find(|(w, _)| w == t) {
                Some((_, meaning)) => Some(meaning.clone()),
                None => {
                    self.problem(key, not_a_choice(t, &words));
                    None
                }
            },
            _ => {
                self.problem(key, format!("is not set: use one of {}", quoted_list(&words)));
                None
            }
        }
    }

    /// A text, trimmed; `None` when unset or blank.
    fn text(&self, key: &str) -> Option<String> {
        match self.value(key, "a text", &|s| matches!(s.kind, Kind::Text) && !s.secret) {
            Some(Value::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => None,
        }
    }
    fn text_or_empty(&self, key: &str) -> String {
        self.text(key).unwrap_or_default()
    }
    fn secret(&self, key: &str) -> Secret {
        match self.value(key, "a secret", &|s| matches!(s.kind, Kind::Text) && s.secret) {
            Some(Value::Text(t)) => Secret::new(t.clone()),
            _ => Secret::default(),
        }
    }
    fn bool(&self, key: &str) -> bool {
        matches!(self.value(key, "true or false", &|s| matches!(s.kind, Kind::Bool)), Some(Value::Bool(true)))
    }
    fn int(&self, key: &str) -> i64 {
        match self.value(key, "a whole number", &|s| matches!(s.kind, Kind::Integer { .. })) {
            Some(Value::Integer(i)) => *i,
            _ => 0,
        }
    }
    fn float(&self, key: &str) -> f64 {
        match self.value(key, "a number", &|s| matches!(s.kind, Kind::Float { .. })) {
            Some(Value::Float(x)) => *x,
            Some(Value::Integer(i)) => *i as f64,
            _ => 0.0,
        }
    }
    fn list(&self, key: &str) -> Vec<String> {
        match self.value(key, "a list", &|s| matches!(s.kind, Kind::List)) {
            Some(Value::List(l)) => l.clone(),
            _ => Vec::new(),
        }
    }

    /// The tables of a [`Kind::Tables`] setting (checked against its fields
    /// when the layers were built).
    fn tables(&self, key: &str) -> Vec<BTreeMap<String, Value>> {
        match self.value(key, "a list of tables", &|s| matches!(s.kind, Kind::Tables(_))) {
            Some(Value::Tables(t)) => t.clone(),
            _ => Vec::new(),
        }
    }

    /// The names and numbers of a [`Kind::Counts`] setting.
    fn counts(&self, key: &str) -> BTreeMap<String, i64> {
        match self.value(key, "names with numbers", &|s| matches!(s.kind, Kind::Counts)) {
            Some(Value::Counts(c)) => c.clone(),
            _ => BTreeMap::new(),
        }
    }

    /// The settings read so far (for the test that none is forgotten).
    #[cfg(test)]
    fn read(&self) -> BTreeSet<&'static str> {
        self.read.borrow().clone()
    }

    fn into_problems(self) -> Vec<Problem> {
        self.problems.into_inner()
    }
}

fn to_toml(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("{t:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Tables(tables) => {
            let inner: Vec<String> = tables
                .iter()
                .map(|t| {
                    let fields: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {}", to_toml(v))).collect();
                    format!("{{ {} }}", fields.join(", "))
                })
                .collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Counts(counts) => {
            let inner: Vec<String> = counts.iter().map(|(k, n)| format!("{k:?} = {n}")).collect();
            format!("{{ {} }}", inner.join(", "))
        }
    }
}

/// `value` with the `api_key` of each of its tables hidden: a category
/// sent by Open311 holds the other system's key.
fn redacted(value: &Value) -> Value {
    match value {
        Value::Tables(tables) => Value::Tables(
            tables
                .iter()
                .map(|t| {
                    let mut t = t.clone();
                    if let Some(key) = t.get_mut("api_key") {
                        *key = Value::Text("(hidden)".into());
                    }
                    t
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The valid key closest to a mistyped one, if any is close enough to help.
pub fn closest_key(wrong: &str) -> Option<&'static str> {
    let wrong = wrong.to_ascii_lowercase();
    SETTINGS
        .iter()
        .map(|s| {
            // Compare with the whole key and with the part after the section, so
            // that `name` at the top level still suggests `commune.name`.
            let last = s.key.rsplit('.').next().unwrap_or(s.key);
            let d = strsim::levenshtein(&wrong, s.key).min(strsim::levenshtein(&wrong, last) + 1);
            (d, s.key)
        })
        .filter(|(d, key)| *d <= (key.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, key)| key)
}

fn unknown_key_message(key: &str) -> String {
    match closest_key(key) {
        Some(close) => format!("unknown setting; did you mean `{close}`? (see config/parvis.example.toml)"),
        None => "unknown setting; every valid setting is listed in config/parvis.example.toml".to_string(),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Checks a raw value against a setting's kind.
fn check_kind(setting: &Setting, value: Value) -> Result<Value, String> {
    match (setting.kind, value) {
        (Kind::Text, Value::Text(t)) => Ok(Value::Text(t)),
        (Kind::Bool, Value::Bool(b)) => Ok(Value::Bool(b)),
        (Kind::Integer { min, max }, Value::Integer(i)) => {
            if i < min || i > max {
                Err(format!("{i} is out of range: use a whole number from {min} to {max}"))
            } else {
                Ok(Value::Integer(i))
            }
        }
        (Kind::Float { min, max }, Value::Float(x)) => {
            if x < min || x > max || x.is_nan() {
                Err(format!("{x} is out of range: use a number from {min} to {max}"))
            } else {
                Ok(Value::Float(x))
            }
        }
        (Kind::Float { .. }, Value::Integer(i)) => check_kind(setting, Value::Float(i as f64)),
        (Kind::List, Value::List(l)) => Ok(Value::List(l)),
        // `[]` reads as an empty list of texts: no table at all.
        (Kind::Tables(_), Value::List(l)) if l.is_empty() => Ok(Value::Tables(Vec::new())),
        (Kind::Tables(fields), Value::Tables(tables)) => {
            for (i, table) in tables.iter().enumerate() {
                check_table(setting.key, fields, i, table)?;
            }
            Ok(Value::Tables(tables))
        }
        (Kind::Counts, Value::Counts(counts)) => match counts.iter().find(|(_, n)| **n < 0) {
            Some((name, n)) => Err(format!("\"{name}\" = {n}: a population is a whole number, 0 or more")),
            None => Ok(Value::Counts(counts)),
        },
        (Kind::Choice(options), Value::Text(t)) => {
            if options.contains(&t.as_str()) {
                Ok(Value::Text(t))
            } else {
                Err(not_a_choice(&t, options))
            }
        }
        (kind, value) => Err(format!("expected {}, found {}", kind_name(kind), value_name(&value))),
    }
}

/// Checks one table of a [`Kind::Tables`] setting: known fields, of their
/// type, the required ones present. `i` counts from 0; messages count from 1.
fn check_table(key: &str, fields: &[Field], i: usize, table: &BTreeMap<String, Value>) -> Result<(), String> {
    let which = format!("table {} of [[{key}]]", i + 1);
    for (name, value) in table {
        let Some(f) = fields.iter().find(|f| f.name == name) else {
            let known = fields.iter().map(|f| f.name).collect::<Vec<_>>();
            let close = known.iter().min_by_key(|k| strsim::levenshtein(k, name)).copied().unwrap_or_default();
            return Err(format!(
                "{which}: unknown field `{name}`; did you mean `{close}`? (fields: {})",
                known.join(", ")
            ));
        };
        match (f.shape, value) {
            (Shape::Text, Value::Text(_)) | (Shape::List, Value::List(_)) | (Shape::Bool, Value::Bool(_)) => {}
            (Shape::Text, other) => {
                return Err(format!("{which}: `{name}` must be a text in quotes, found {}", value_name(other)))
            }
            (Shape::Bool, other) => {
                return Err(format!("{which}: `{name}` must be true or false, found {}", value_name(other)))
            }
            (Shape::List, other) => {
                return Err(format!(
                    "{which}: `{name}` must be a list of texts, like [\"a\", \"b\"], found {}",
                    value_name(other)
                ))
            }
        }
    }
    if let Some(missing) = fields.iter().find(|f| f.required && !table.contains_key(f.name)) {
        return Err(format!("{which}: the field `{}` is missing: add {} = \"…\"", missing.name, missing.name));
    }
    Ok(())
}

fn not_a_choice(word: &str, options: &[&str]) -> String {
    format!("\"{word}\" is not a valid choice: use one of {}", quoted_list(options))
}

fn quoted_list(options: &[&str]) -> String {
    options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
}

fn kind_name(kind: Kind) -> String {
    match kind {
        Kind::Text => "a text in quotes".into(),
        Kind::Bool => "true or false".into(),
        Kind::Integer { min, max } => format!("a whole number from {min} to {max}"),
        Kind::Float { min, max } => format!("a number from {min} to {max}"),
        Kind::List => "a list of texts, like [\"a\", \"b\"]".into(),
        Kind::Choice(options) => format!("one of {}", quoted_list(options)),
        Kind::Tables(_) => "a list of tables, written [[section.name]]".into(),
        Kind::Counts => "names with a number each, like { \"Centre\" = 1200 }".into(),
    }
}

fn value_name(value: &Value) -> &'static str {
    match value {
        Value::Text(_) => "a text",
        Value::Bool(_) => "a boolean",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::List(_) => "a list",
        Value::Tables(_) => "a list of tables",
        Value::Counts(_) => "names with numbers",
    }
}

fn from_toml_value(value: &toml_edit::Value) -> Result<Value, String> {
    use toml_edit::Value as V;
    Ok(match value {
        V::String(s) => Value::Text(s.value().clone()),
        V::Integer(i) => Value::Integer(*i.value()),
        V::Float(f) => Value::Float(*f.value()),
        V::Boolean(b) => Value::Bool(*b.value()),
        V::Array(items) if !items.is_empty() && items.iter().all(|i| matches!(i, V::InlineTable(_))) => {
            let mut tables = Vec::new();
            for item in items.iter() {
                if let V::InlineTable(t) = item {
                    let mut table = BTreeMap::new();
                    for (k, v) in t.iter() {
                        table.insert(k.to_string(), from_toml_value(v)?);
                    }
                    tables.push(table);
                }
            }
            Value::Tables(tables)
        }
        V::Array(items) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match item {
                    V::String(s) => out.push(s.value().clone()),
                    _ => return Err("lists may only hold texts in quotes".into()),
                }
            }
            Value::List(out)
        }
        V::Datetime(_) => return Err("dates are not accepted here; write the value in quotes".into()),
        V::InlineTable(t) => counts_value(t.iter())?,
    })
}

/// A [`Kind::Counts`] value: every entry a name with a whole number.
fn counts_value<'a>(entries: impl Iterator<Item = (&'a str, &'a toml_edit::Value)>) -> Result<Value, String> {
    let mut counts = BTreeMap::new();
    for (name, v) in entries {
        match v.as_integer() {
            Some(n) => {
                counts.insert(name.trim().to_string(), n);
            }
            None => return Err(format!("`{name}` must be a whole number of people, like \"{name}\" = 1200")),
        }
    }
    Ok(Value::Counts(counts))
}

/// The `[[section.name]]` tables of a file as a value.
fn tables_value(tables: &toml_edit::ArrayOfTables) -> Result<Value, String> {
    let mut out = Vec::new();
    for t in tables.iter() {
        let mut table = BTreeMap::new();
        for (k, item) in t.iter() {
            let v = item.as_value().ok_or_else(|| format!("`{k}`: a table is not accepted here"))?;
            table.insert(k.to_string(), from_toml_value(v)?);
        }
        out.push(table);
    }
    Ok(Value::Tables(out))
}

fn parse_default(setting: &Setting) -> Option<Value> {
    let literal = setting.default?;
    let doc = toml_edit::Document::parse(format!("v = {literal}")).ok()?;
    let value = doc.as_table().get("v")?.as_value()?;
    from_toml_value(value).ok()
}

impl Layers {
    /// Defaults only.
    pub fn defaults() -> Self {
        let mut layers = Layers::default();
        for setting in SETTINGS {
            if let Some(value) = parse_default(setting) {
                layers.values.insert(setting.key, (value, Source::Default));
            }
        }
        layers
    }

    /// Applies a TOML file's text on top of what is there.
    pub fn apply_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            ConfigError::one(
                path.display().to_string(),
                Some(Source::File { path: path.to_path_buf(), line }),
                format!("this is not valid TOML: {}", e.message()),
            )
        })?;
        let mut problems = Vec::new();
        let mut leaves = Vec::new();
        collect_leaves(doc.as_table(), "", &mut leaves);
        for (key, item_span, item) in leaves {
            let src = Source::File { path: path.to_path_buf(), line: item_span.map(|s| line_of(text, s)).unwrap_or(1) };
            let Some(setting) = setting(&key) else {
                problems.push(Problem { message: unknown_key_message(&key), key, source: Some(src) });
                continue;
            };
            let value = match (item.as_value(), item.as_array_of_tables(), item.as_table()) {
                (Some(v), _, _) => from_toml_value(v),
                (None, Some(tables), _) => tables_value(tables),
                // `[commune.population.neighbourhoods]` written as a section.
                (None, None, Some(table)) if matches!(setting.kind, Kind::Counts) => {
                    let entries: Option<Vec<(&str, &toml_edit::Value)>> =
                        table.iter().map(|(k, i)| i.as_value().map(|v| (k, v))).collect();
                    match entries {
                        Some(entries) => counts_value(entries.into_iter()),
                        None => Err(format!("expected {}, found a table of tables", kind_name(setting.kind))),
                    }
                }
                (None, None, _) => Err(format!("expected {}, found a table", kind_name(setting.kind))),
            };
            match value.and_then(|v| check_kind(setting, v)) {
                Ok(v) => {
                    self.values.insert(setting.key, (v, src));
                }
                Err(message) => problems.push(Problem { key, source: Some(src), message }),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems })
        }
    }

    /// Applies `PARVIS_*` variables on top of what is there.
    pub fn apply_env(&mut self, vars: impl IntoIterator<Item = (String, String)>) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (name, raw) in vars {
            let Some(rest) = name.strip_prefix("PARVIS_") else { continue };
            if NON_SETTING_ENV.contains(&name.as_str()) {
                continue;
            }
            // A setting whose own name ends in _FILE (`data.key_file`)
            // is that setting, not the file variant of another.
            let (rest, from_file) = match rest.strip_suffix("_FILE") {
                Some(r) if !SETTINGS.iter().any(|s| env_name(s.key) == name) => (r, true),
                _ => (rest, false),
            };
            let found = SETTINGS.iter().find(|s| env_name(s.key) == format!("PARVIS_{rest}"));
            let src = Source::Env(name.clone());
            let Some(setting) = found else {
                let guess = rest.to_ascii_lowercase().replacen('_', ".", 1);
                let message = match closest_key(&guess) {
                    Some(close) => format!("unknown variable; did you mean {}?", env_name(close)),
                    None => "unknown variable; every setting is listed in config/parvis.example.toml".into(),
                };
                problems.push(Problem { key: name.clone(), source: None, message });
                continue;
            };
            let raw = if from_file {
                match std::fs::read_to_string(&raw) {
                    Ok(contents) => contents.trim_end_matches(['\n', '\r']).to_string(),
                    Err(e) => {
                        problems.push(Problem {
                            key: setting.key.into(),
                            source: Some(src),
                            message: format!("cannot read the file {raw}: {e}; check the path and its permissions"),
                        });
                        continue;
                    }
                }
            } else {
                raw
            };
            match parse_env_value(setting, &raw).and_then(|v| check_kind(setting, v)) {
                Ok(v) => {
                    self.values.insert(setting.key, (v, src));
                }
                Err(message) => problems.push(Problem { key: setting.key.into(), source: Some(src), message }),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems })
        }
    }

    /// Sets one value programmatically (the demo and tests use this).
    pub fn set(&mut self, key: &str, value: Value) -> Result<(), ConfigError> {
        let setting = setting(key).ok_or_else(|| ConfigError::one(key, None, unknown_key_message(key)))?;
        let v = check_kind(setting, value).map_err(|m| ConfigError::one(key, None, m))?;
        self.values.insert(setting.key, (v, Source::Default));
        Ok(())
    }
}

/// The environment variable of a setting: `smtp.password` → `PARVIS_SMTP_PASSWORD`.
pub fn env_name(key: &str) -> String {
    format!("PARVIS_{}", key.replace('.', "_").to_ascii_uppercase())
}

fn parse_env_value(setting: &Setting, raw: &str) -> Result<Value, String> {
    Ok(match setting.kind {
        Kind::Text | Kind::Choice(_) => Value::Text(raw.to_string()),
        Kind::Bool => match raw.trim() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            other => return Err(format!("\"{other}\" is not true or false")),
        },
        Kind::Integer { .. } => {
            Value::Integer(raw.trim().parse().map_err(|_| format!("\"{raw}\" is not a whole number"))?)
        }
        Kind::Float { .. } => Value::Float(raw.trim().parse().map_err(|_| format!("\"{raw}\" is not a number"))?),
        Kind::List => Value::List(raw.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
        Kind::Tables(_) => {
            return Err(format!(
                "cannot come from an environment variable: write it in parvis.toml as [[{}]] tables",
                setting.key
            ))
        }
        Kind::Counts => {
            let mut counts = BTreeMap::new();
            for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let parsed = pair.rsplit_once('=').and_then(|(name, n)| Some((name.trim(), n.trim().parse().ok()?)));
                match parsed {
                    Some((name, n)) => {
                        counts.insert(name.to_string(), n);
                    }
                    None => return Err(format!("\"{pair}\" is not a name=number pair, like Centre=1200")),
                }
            }
            Value::Counts(counts)
        }
    })
}

/// Flattens the file into `section.key` leaves with the offset of each key.
fn collect_leaves<'a>(
    table: &'a toml_edit::Table,
    prefix: &str,
    out: &mut Vec<(String, Option<usize>, &'a toml_edit::Item)>,
) {
    for (name, item) in table.iter() {
        let key = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        let span = table.key(name).and_then(|k| k.span()).map(|s| s.start);
        match item {
            toml_edit::Item::Table(_) if setting(&key).is_some_and(|s| matches!(s.kind, Kind::Counts)) => {
                out.push((key, span, item))
            }
            toml_edit::Item::Table(inner) => collect_leaves(inner, &key, out),
            // `server = { listen = "…" }` at the top level is a section written inline.
            toml_edit::Item::Value(toml_edit::Value::InlineTable(inline)) if prefix.is_empty() => {
                for (inner_name, _) in inline.iter() {
                    if let Some((k, inner_item)) = inline.get_key_value(inner_name) {
                        out.push((format!("{key}.{inner_name}"), k.span().map(|s| s.start), inner_item));
                    }
                }
            }
            _ => out.push((key, span, item)),
        }
    }
}

/// The words of `server.tls`; [`TlsMode`] carries the files or the contact too.
#[derive(Clone, Copy)]
enum TlsChoice {
    Off,
    Files,
    Acme,
}

/// How Parvis terminates TLS.
#[derive(Clone, Debug, PartialEq)]
pub enum TlsMode {
    Off,
    Files { cert: PathBuf, key: PathBuf },
    Acme { contact: String, directory: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum SmtpSecurity {
    StartTls,
    Tls,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RgaaStatus {
    /// Non conforme.
    None,
    /// Partiellement conforme.
    Partial,
    /// Totalement conforme.
    Full,
}

#[derive(Clone, Debug)]
pub struct Commune {
    pub name: String,
    pub logo: Option<PathBuf>,
    pub intro: String,
    pub colour: String,
    pub neighbourhoods: Vec<String>,
    /// `commune.population.*`: the census, for who answered consultations.
    pub population: Population,
}

/// The commune's reference population (the INSEE census figures), against
/// which consultations show who answered. Every name is one of the
/// configured neighbourhoods or an age bracket code
/// (`domain::accounts::AGE_BRACKETS`), checked at start-up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    pub neighbourhoods: BTreeMap<String, u64>,
    pub age_brackets: BTreeMap<String, u64>,
    /// (neighbourhood, age bracket) → people; empty when not given.
    pub cross: BTreeMap<(String, String), u64>,
}

#[derive(Clone, Debug)]
pub struct ServerSettings {
    pub public_url: url::Url,
    pub listen: SocketAddr,
    pub tls: TlsMode,
    pub http_redirect_listen: Option<SocketAddr>,
    pub metrics_listen: Option<SocketAddr>,
}

#[derive(Clone, Debug)]
pub struct Smtp {
    pub host: Option<String>,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Secret,
    pub from: Option<String>,
}

#[derive(Clone, Debug)]
pub struct MapSettings {
    pub center_lat: f64,
    pub center_lon: f64,
    pub zoom: u8,
    /// Empty when there is no base map.
    pub tile_url: String,
    pub attribution: String,
    pub tile_cache_bytes: u64,
    pub tile_max_age: std::time::Duration,
}

#[derive(Clone, Debug)]
pub struct BackupSettings {
    pub dir: PathBuf,
    /// `None` when scheduled backups are off.
    pub interval: Option<std::time::Duration>,
    pub keep: usize,
}

#[derive(Clone, Debug)]
pub struct Legal {
    pub publisher: Option<String>,
    pub publication_director: Option<String>,
    pub host: Option<String>,
    pub dpo_name: Option<String>,
    pub dpo_email: Option<String>,
    /// `legal.source_url`: where the corresponding source is offered (AGPL §13).
    pub source_url: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Accessibility {
    pub status: RgaaStatus,
    pub audit: String,
    pub non_compliant: String,
    pub contact: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Retention {
    pub audit_days: u32,
    pub inactive_account_days: u32,
}

/// `[reports]`: problem reports, their routing and their statuses.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    /// Open reports of the same category within this distance are offered
    /// before a new one is filed.
    pub nearby_metres: u32,
    /// Days after "fixed" before the author is asked whether it really is.
    pub fixed_followup_days: u32,
    /// Seconds between two readings of the reports sent by Open311.
    pub open311_poll_secs: u64,
    pub bounds: Bounds,
    pub services: Vec<Service>,
    pub categories: Vec<Category>,
    /// The first is a new report's status (an open one).
    pub statuses: Vec<ReportStatus>,
    pub templates: Vec<ResponseTemplate>,
}

impl ReportSettings {
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }
    pub fn status(&self, code: &str) -> Option<&ReportStatus> {
        self.statuses.iter().find(|s| s.code == code)
    }
    pub fn template(&self, code: &str) -> Option<&ResponseTemplate> {
        self.templates.iter().find(|t| t.code == code)
    }
}

/// The commune's limits, in degrees: reports are taken inside them only.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bounds {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// A service of the town hall that receives the reports of its categories.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub code: String,
    pub name: String,
    /// Where each new report of its categories is mailed.
    pub email: String,
    /// The addresses of its staff accounts.
    pub staff: Vec<String>,
}

/// A kind of problem residents report, routed to one service.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub hint: String,
    /// The code of its [`Service`].
    pub service: String,
    /// Its extra questions (`[[reports.questions]]`), in the file's order.
    pub questions: Vec<Question>,
    /// How its reports reach the service.
    pub send: SendMethod,
}

/// How a category's reports reach the service (FixMyStreet's send methods).
#[derive(Clone, Debug, PartialEq)]
pub enum SendMethod {
    /// A mail to the service's address.
    Email,
    /// A request to another system's Open311 API.
    Open311(Open311Endpoint),
}

/// Another system's Open311 API, where a category's reports are filed.
#[derive(Clone, Debug, PartialEq)]
pub struct Open311Endpoint {
    /// The API's base, without the trailing slash: `{endpoint}/requests.json`.
    pub endpoint: String,
    pub api_key: Secret,
    /// The service's code in that system.
    pub service_code: String,
    pub jurisdiction_id: Option<String>,
}

impl Category {
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.code == code)
    }
}

/// An extra question of a category (FixMyStreet's "extra fields", Open311's
/// service attributes): asked in the form, answered with the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Short, without spaces: the form's field and Open311's `attribute[code]`.
    pub code: String,
    pub label: String,
    pub hint: String,
    pub kind: QuestionKind,
    pub required: bool,
}

/// What an answer to a [`Question`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum QuestionKind {
    Text,
    Number,
    /// One of these values.
    Choice(Vec<String>),
}

/// Whether a status leaves a report open, fixed or closed otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    Open,
    Fixed,
    Closed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportStatus {
    pub code: String,
    /// The commune's own name; `None` for a default status, whose name is
    /// translated (`problem-status-<code>`).
    pub name: Option<String>,
    pub kind: StatusKind,
}

/// A public answer staff pick from when changing a report's status.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseTemplate {
    pub code: String,
    pub title: String,
    pub text: String,
    /// The status it suggests.
    pub status: Option<String>,
}

/// The statuses whose names Parvis translates (FixMyStreet's defaults).
pub const TRANSLATED_STATUSES: [&str; 8] = [
    "new",
    "investigating",
    "in-progress",
    "action-scheduled",
    "fixed",
    "not-responsible",
    "duplicate",
    "unable-to-fix",
];

/// The typed, validated configuration every part of Parvis reads.
#[derive(Clone, Debug)]
pub struct Config {
    pub commune: Commune,
    pub server: ServerSettings,
    pub data_dir: PathBuf,
    /// `data.key_file`: the key that seals secrets in the database.
    pub key_file: PathBuf,
    pub cache_mib: u64,
    /// Writes are refused below this much free disk space.
    pub min_free_bytes: u64,
    /// `languages.default`: pages, mail and new accounts without a choice.
    pub default_language: Lang,
    pub smtp: Smtp,
    pub map: MapSettings,
    pub backup: BackupSettings,
    pub retention: Retention,
    pub legal: Legal,
    pub accessibility: Accessibility,
    pub log_level: String,
    pub log_json: bool,
    pub sessions: crate::domain::sessions::Lifetime,
    /// `parvis demo`: fictional data, mail readable by admins.
    pub demo: bool,
    /// Reverse proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `moderation.held_words`: a contribution containing one waits for a moderator.
    pub held_words: Vec<String>,
    /// `moderation.charter_url`: the participation charter, linked from every form.
    pub charter_url: Option<String>,
    pub reports: ReportSettings,
    pub open311: Open311Settings,
    /// `consultations.paper_grace_days`: staff type in paper and interview
    /// answers until this many days after the close.
    pub consultation_paper_grace_days: u32,
    /// `[notifications]`: when digests leave.
    pub notifications: NotificationSettings,
    /// `newsletters.rate_per_minute`: the pace of a newsletter's mails.
    pub newsletter_rate_per_minute: u32,
    /// `[verification]`: the ways residents are verified.
    pub verification: VerificationSettings,
    /// The layers it was built from, to describe the effective settings.
    pub layers: Layers,
    /// `open_data.licence`: the licence of the open-data export.
    pub open_data_licence: crate::domain::opendata::Licence,
    /// `widget.allowed_origins`: the sites that may frame `/widget`, each
    /// an origin as a browser writes it (`https://www.saint-exemple.fr`).
    pub widget_allowed_origins: Vec<String>,
    /// `groups.invitation_days`: how long an emailed group invitation lasts.
    pub group_invitation_days: u32,
}

/// `[notifications]`: the hour (Europe/Paris) of the daily and weekly
/// digests, and the weekly digest's day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotificationSettings {
    pub digest_hour: i8,
    pub digest_weekday: jiff::civil::Weekday,
}

/// `[verification]`: which ways of verifying residents the commune offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerificationSettings {
    pub counter: bool,
    pub postal_codes: bool,
    /// Days a code sent by post stays valid after printing.
    pub code_days: u32,
    pub list: bool,
}

impl VerificationSettings {
    /// Whether any way is offered (the resident's page exists).
    pub fn any(&self) -> bool {
        self.counter || self.postal_codes || self.list
    }
}

impl Config {
    /// Loads `path` (if given) and the process environment over the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut layers = Layers::defaults();
        let mut problems = Vec::new();
        if let Some(path) = path {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    if let Err(e) = layers.apply_file(path, &text) {
                        problems.extend(e.problems);
                    }
                }
                Err(e) => problems.push(Problem {
                    key: "--config".into(),
                    source: None,
                    message: format!(
                        "cannot read {}: {e}; create it with `parvis init` or pass the right path",
                        path.display()
                    ),
                }),
            }
        }
        if let Err(e) = layers.apply_env(std::env::vars()) {
            problems.extend(e.problems);
        }
        if !problems.is_empty() {
            return Err(ConfigError { problems });
        }
        // The key beside the configuration, not in the data directory: a
        // copy of the data directory, or a backup, then does not carry the
        // key that opens it.
        if let Some(dir) = path.and_then(Path::parent) {
            if !layers.values.contains_key("data.key_file") {
                let key = std::path::absolute(dir.join("parvis.key")).unwrap_or_else(|_| dir.join("parvis.key"));
                // A key made before there was a configuration file (a
                // container first run on environment variables, then given a
                // mounted file) stays where it is: in the data directory.
                let earlier = match layers.values.get("data.dir") {
                    Some((Value::Text(data), _)) => Some(Path::new(data).join("parvis.key")),
                    _ => None,
                }
                .filter(|earlier| !key.exists() && earlier.exists());
                let key = earlier.unwrap_or(key);
                layers.set("data.key_file", Value::Text(key.display().to_string()))?;
            }
        }
        Config::from_layers(layers)
    }

    /// Validates the meaning of the values and builds the typed configuration.
    pub fn from_layers(layers: Layers) -> Result<Config, ConfigError> {
        let reader = Reader::new(&layers);
        let config = Config::build(&reader);
        let problems = reader.into_problems();
        match config {
            Some(config) if problems.is_empty() => Ok(config),
            // Every `None` from `build` comes with a problem; the fallback
            // message is only there to never return an empty error.
            _ if problems.is_empty() => Err(ConfigError::one("server", None, "invalid server settings")),
            _ => Err(ConfigError { problems }),
        }
    }

    /// Reads every setting, checks what the values mean and builds the
    /// configuration; `None` when a problem was recorded in `reader`.
    fn build(reader: &Reader) -> Option<Config> {
        let problem = |key: &str, message: String| reader.problem(key, message);

        let name = reader.text_or_empty("commune.name");
        if name.is_empty() {
            problem(
                "commune.name",
                "is required: set the name of the commune, e.g. name = \"Saint-Exemple\" under [commune]".into(),
            );
        }
        let colour = reader.text_or_empty("commune.colour");
        if !is_hex_colour(&colour) {
            problem("commune.colour", format!("\"{colour}\" is not a colour: write it as #rrggbb, e.g. \"#1d4f91\""));
        } else if contrast_with_white(&colour) < 4.5 {
            problem(
                "commune.colour",
                format!(
                    "\"{colour}\" is too light for white text ({:.1}:1, at least 4.5:1 is needed for accessibility): choose a darker shade",
                    contrast_with_white(&colour)
                ),
            );
        }
        let allow_http = reader.bool("server.allow_http");
        let public_url = match reader.text("server.public_url") {
            None => {
                problem("server.public_url", "is required: set the address residents type, e.g. public_url = \"https://participer.example.fr\" under [server]".into());
                None
            }
            Some(raw) => {
                match url::Url::parse(&raw) {
                    Ok(u) if u.scheme() == "http" && !is_this_machine(&u) && !allow_http => {
                        problem("server.public_url", format!("\"{raw}\" would send residents' passwords and sessions in clear across the network: use https:// (tls = \"acme\", certificate files, or a reverse proxy that serves HTTPS), or, on a test network only, set allow_http = true under [server]"));
                        None
                    }
                    Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => Some(u),
                    _ => {
                        problem("server.public_url", format!("\"{raw}\" is not a web address: write it in full, e.g. \"https://participer.example.fr\""));
                        None
                    }
                }
            }
        };
        let listen = parse_addr(&reader.text_or_empty("server.listen"));
        if listen.is_none() {
            problem(
                "server.listen",
                format!(
                    "\"{}\" is not an address and port: write e.g. \"127.0.0.1:8080\" or \"0.0.0.0:443\"",
                    reader.text_or_empty("server.listen")
                ),
            );
        }
        let redirect = reader.text("server.http_redirect_listen");
        let http_redirect_listen = redirect.as_deref().and_then(parse_addr);
        if redirect.is_some() && http_redirect_listen.is_none() {
            problem(
                "server.http_redirect_listen",
                "is not an address and port: write e.g. \"0.0.0.0:80\", or leave it empty".into(),
            );
        }
        let metrics = reader.text("server.metrics_listen");
        let metrics_listen = metrics.as_deref().and_then(parse_addr);
        if metrics.is_some() && metrics_listen.is_none() {
            problem(
                "server.metrics_listen",
                "is not an address and port: write e.g. \"127.0.0.1:9464\", or leave it empty".into(),
            );
        }
        // Read whatever the TLS mode, so that every setting is read on every
        // start-up (the test of the settings table relies on it).
        let cert = reader.text("server.tls_cert");
        let key = reader.text("server.tls_key");
        let contact = reader.text("server.acme_contact");
        let directory = reader.text_or_empty("server.acme_directory");
        let tls_mode = [("off", TlsChoice::Off), ("files", TlsChoice::Files), ("acme", TlsChoice::Acme)];
        let tls = match reader.choice("server.tls", &tls_mode) {
            None => None,
            Some(TlsChoice::Off) => Some(TlsMode::Off),
            Some(TlsChoice::Files) => {
                if cert.is_none() {
                    problem(
                        "server.tls_cert",
                        "is required with tls = \"files\": give the path of the certificate (PEM)".into(),
                    );
                }
                if key.is_none() {
                    problem(
                        "server.tls_key",
                        "is required with tls = \"files\": give the path of the private key (PEM)".into(),
                    );
                }
                Some(TlsMode::Files { cert: cert.unwrap_or_default().into(), key: key.unwrap_or_default().into() })
            }
            Some(TlsChoice::Acme) => {
                if contact.is_none() {
                    problem(
                        "server.acme_contact",
                        "is required with tls = \"acme\": give an email address Let's Encrypt can write to".into(),
                    );
                }
                if public_url.as_ref().is_some_and(|u| u.scheme() != "https") {
                    problem("server.public_url", "must start with https:// when tls = \"acme\"".into());
                }
                Some(TlsMode::Acme { contact: contact.unwrap_or_default(), directory })
            }
        };
        let security = reader.choice(
            "smtp.security",
            &[("starttls", SmtpSecurity::StartTls), ("tls", SmtpSecurity::Tls), ("none", SmtpSecurity::None)],
        );
        let rgaa_status = reader.choice(
            "accessibility.status",
            &[("non", RgaaStatus::None), ("partielle", RgaaStatus::Partial), ("totale", RgaaStatus::Full)],
        );
        let default_language = reader.choice("languages.default", &Lang::ALL.map(|l| (l.code(), l)));
        let log_level =
            reader.choice("log.level", &["error", "warn", "info", "debug", "trace"].map(|level| (level, level)));
        let log_json = reader.choice("log.format", &[("text", false), ("json", true)]);

        let neighbourhoods: Vec<String> =
            reader.list("commune.neighbourhoods").into_iter().map(|n| n.trim().to_string()).collect();
        if neighbourhoods.iter().any(|n| n.is_empty()) {
            problem("commune.neighbourhoods", "a neighbourhood has an empty name: remove the empty entry".into());
        }

        let population = population(reader, &neighbourhoods, &problem);

        let smtp_host = reader.text("smtp.host");
        let from = reader.text("smtp.from");
        if smtp_host.is_some() && from.is_none() {
            problem(
                "smtp.from",
                "is required when smtp.host is set: give the sender, e.g. \"Mairie <participer@example.fr>\"".into(),
            );
        }
        let password = reader.secret("smtp.password");
        let dpo_email = reader.text("legal.dpo_email");
        if let Some(e) = &dpo_email {
            if !e.contains('@') {
                problem("legal.dpo_email", format!("\"{e}\" is not an email address"));
            }
        }

        let data_dir = PathBuf::from(reader.text_or_empty("data.dir"));
        if data_dir.as_os_str().is_empty() {
            problem(
                "data.dir",
                "is empty: give the directory where Parvis keeps its data, e.g. \"/var/lib/parvis\"".into(),
            );
        }
        let key_file = reader.text("data.key_file").map(PathBuf::from).unwrap_or_else(|| data_dir.join("parvis.key"));
        let backup_dir = reader.text("backup.dir").map(PathBuf::from).unwrap_or_else(|| data_dir.join("backups"));
        let hours = reader.int("backup.interval_hours");
        let mut trusted_proxies = Vec::new();
        for raw in reader.list("server.trusted_proxies") {
            match raw.trim().parse::<std::net::IpAddr>() {
                Ok(ip) => trusted_proxies.push(ip),
                Err(_) => problem(
                    "server.trusted_proxies",
                    format!("\"{raw}\" is not an IP address: write addresses like \"127.0.0.1\" or \"::1\""),
                ),
            }
        }

        let held_words: Vec<String> =
            reader.list("moderation.held_words").into_iter().map(|w| w.trim().to_string()).collect();
        if held_words.iter().any(|w| w.is_empty()) {
            problem("moderation.held_words", "a held word is empty: remove the empty entry".into());
        }
        let charter_url = reader.text("moderation.charter_url");
        if let Some(raw) = charter_url.as_deref().filter(|raw| !is_link(raw)) {
            problem(
                "moderation.charter_url",
                format!("\"{raw}\" is not a web address: write it in full (\"https://mairie.example.fr/charte\") or as a path of this site (\"/charte\")"),
            );
        }
        let tile_url = reader.text_or_empty("map.tile_url").trim().to_string();
        if let Some(message) = tile_url_problem(&tile_url) {
            problem("map.tile_url", message);
        }
        let source_url = reader.text("legal.source_url");
        if let Some(raw) = source_url.as_deref().filter(|raw| !is_link(raw)) {
            problem(
                "legal.source_url",
                format!("\"{raw}\" is not a web address: write it in full, e.g. \"https://forge.example.fr/mairie/parvis\", or leave it empty"),
            );
        }

        let reports = read_reports(reader);
        let open311 = read_open311(reader);
        use jiff::civil::Weekday;
        // A word outside the list is reported as a problem when read, and
        // the configuration is then refused: Monday is never used silently.
        let digest_weekday = reader
            .choice(
                "notifications.digest_weekday",
                &[
                    ("monday", Weekday::Monday),
                    ("tuesday", Weekday::Tuesday),
                    ("wednesday", Weekday::Wednesday),
                    ("thursday", Weekday::Thursday),
                    ("friday", Weekday::Friday),
                    ("saturday", Weekday::Saturday),
                    ("sunday", Weekday::Sunday),
                ],
            )
            .unwrap_or(Weekday::Monday);

        let open_data_licence = reader.choice("open_data.licence", &crate::domain::opendata::Licence::WORDS);
        let mut widget_allowed_origins = Vec::new();
        for raw in reader.list("widget.allowed_origins") {
            match widget_origin(&raw) {
                Some(origin) => widget_allowed_origins.push(origin),
                None => problem(
                    "widget.allowed_origins",
                    format!(
                        "\"{raw}\" is not an origin: write the scheme and host only, like \"https://www.saint-exemple.fr\" (no path, no trailing slash, no wildcard)"
                    ),
                ),
            }
        }
        // Each `None` was reported as a problem when it was read.
        let (
            Some(public_url),
            Some(listen),
            Some(tls),
            Some(security),
            Some(rgaa_status),
            Some(default_language),
            Some(log_level),
            Some(log_json),
        ) = (public_url, listen, tls, security, rgaa_status, default_language, log_level, log_json)
        else {
            return None;
        };
        let open_data_licence = open_data_licence?;
        Some(Config {
            commune: Commune {
                name,
                logo: reader.text("commune.logo").map(PathBuf::from),
                intro: reader.text_or_empty("commune.intro"),
                colour,
                neighbourhoods,
                population,
            },
            server: ServerSettings { public_url, listen, tls, http_redirect_listen, metrics_listen },
            data_dir,
            key_file,
            cache_mib: reader.int("data.cache_mib") as u64,
            min_free_bytes: reader.int("data.min_free_mib") as u64 * 1024 * 1024,
            default_language,
            smtp: Smtp {
                host: smtp_host,
                port: reader.int("smtp.port") as u16,
                security,
                username: reader.text("smtp.username"),
                password,
                from,
            },
            map: MapSettings {
                center_lat: reader.float("map.center_lat"),
                center_lon: reader.float("map.center_lon"),
                zoom: reader.int("map.zoom") as u8,
                tile_url,
                attribution: reader.text_or_empty("map.attribution"),
                tile_cache_bytes: reader.int("map.tile_cache_mib") as u64 * 1024 * 1024,
                tile_max_age: std::time::Duration::from_secs(reader.int("map.tile_max_age_days") as u64 * 86_400),
            },
            backup: BackupSettings {
                dir: backup_dir,
                interval: (hours > 0).then(|| std::time::Duration::from_secs(hours as u64 * 3600)),
                keep: reader.int("backup.keep") as usize,
            },
            retention: Retention {
                audit_days: reader.int("retention.audit_days") as u32,
                inactive_account_days: reader.int("retention.inactive_account_days") as u32,
            },
            legal: Legal {
                publisher: reader.text("legal.publisher"),
                publication_director: reader.text("legal.publication_director"),
                host: reader.text("legal.host"),
                dpo_name: reader.text("legal.dpo_name"),
                dpo_email,
                source_url,
            },
            accessibility: Accessibility {
                status: rgaa_status,
                audit: reader.text_or_empty("accessibility.audit"),
                non_compliant: reader.text_or_empty("accessibility.non_compliant"),
                contact: reader.text("accessibility.contact"),
            },
            log_level: log_level.to_string(),
            log_json,
            demo: reader.bool("server.demo"),
            sessions: crate::domain::sessions::Lifetime {
                idle_secs: reader.int("sessions.idle_minutes") * 60,
                absolute_secs: reader.int("sessions.absolute_hours") * 3600,
            },
            trusted_proxies,
            held_words,
            charter_url,
            reports,
            open311,
            consultation_paper_grace_days: reader.int("consultations.paper_grace_days") as u32,
            notifications: NotificationSettings {
                digest_hour: reader.int("notifications.digest_hour").clamp(0, 23) as i8,
                digest_weekday,
            },
            newsletter_rate_per_minute: reader.int("newsletters.rate_per_minute") as u32,
            verification: VerificationSettings {
                counter: reader.bool("verification.counter"),
                postal_codes: reader.bool("verification.postal_codes"),
                code_days: reader.int("verification.code_days") as u32,
                list: reader.bool("verification.list"),
            },
            layers: reader.layers.clone(),
            open_data_licence,
            widget_allowed_origins,
            group_invitation_days: reader.int("groups.invitation_days") as u32,
        })
    }

    /// Whether pages are served over HTTPS (directly or, by its URL, through a proxy).
    pub fn is_https(&self) -> bool {
        self.server.tls != TlsMode::Off || self.server.public_url.scheme() == "https"
    }

    /// The path of the database file.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("parvis.redb")
    }

    /// The local admin socket, readable only by the server's user.
    pub fn admin_socket_path(&self) -> PathBuf {
        self.data_dir.join("admin.sock")
    }

    /// A configuration for tests and the demo: the commune and URL set, data in `dir`.
    pub fn for_dir(dir: &Path, name: &str, public_url: &str) -> Result<Config, ConfigError> {
        let mut layers = Layers::defaults();
        layers.set("commune.name", Value::Text(name.into()))?;
        layers.set("server.public_url", Value::Text(public_url.into()))?;
        layers.set("data.dir", Value::Text(dir.display().to_string()))?;
        Config::from_layers(layers)
    }
}

/// `raw` as an origin a Content-Security-Policy may name
/// (`https://www.saint-exemple.fr`, a port if any), or `None` when it is
/// not one: another scheme, a path, a query, a wildcard, a user name.
fn widget_origin(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let url = url::Url::parse(raw).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.contains('*'))
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.path() == "/"
        && !raw.ends_with('/');
    plain.then(|| url.origin().ascii_serialization())
}

/// `[open311]`: who may file reports through the Open311 API.
#[derive(Clone, Debug, Default)]
pub struct Open311Settings {
    pub clients: Vec<Open311Client>,
}

/// Another tool that files reports through the Open311 API with its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Open311Client {
    /// Shown as the author of the reports it files.
    pub name: String,
    pub api_key: Secret,
}

impl Open311Settings {
    /// The client whose key this is, comparing in constant time so that
    /// the answer's timing does not tell how much of a guess was right.
    pub fn client(&self, api_key: &str) -> Option<&Open311Client> {
        let given = api_key.trim().as_bytes();
        let mut found = None;
        for c in &self.clients {
            let key = c.api_key.expose().as_bytes();
            let mut diff = key.len() ^ given.len();
            for (i, b) in key.iter().enumerate() {
                diff |= usize::from(b ^ given.get(i).copied().unwrap_or(0));
            }
            if diff == 0 && !key.is_empty() {
                found = Some(c);
            }
        }
        found
    }
}

/// The shortest API key accepted: a guessable key would let anyone file in
/// the commune's name.
pub const MIN_API_KEY_LEN: usize = 32;

/// Reads `[open311]`: names and keys unique, keys long enough.
fn read_open311(reader: &Reader) -> Open311Settings {
    let text = |t: &BTreeMap<String, Value>, f: &str| match t.get(f) {
        Some(Value::Text(v)) => v.trim().to_string(),
        _ => String::new(),
    };
    let clients: Vec<Open311Client> = reader
        .tables("open311.clients")
        .iter()
        .map(|t| Open311Client { name: text(t, "name"), api_key: Secret::new(text(t, "api_key")) })
        .collect();
    for (i, c) in clients.iter().enumerate() {
        if c.name.is_empty() {
            reader.problem("open311.clients", format!("client {} has no name: give the tool's name", i + 1));
        } else if clients[..i].iter().any(|o| o.name == c.name) {
            reader
                .problem("open311.clients", format!("the name \"{}\" is used twice: give each client its own", c.name));
        }
        if c.api_key.expose().chars().count() < MIN_API_KEY_LEN {
            reader.problem(
                "open311.clients",
                format!(
                    "the client \"{}\" has an API key shorter than {MIN_API_KEY_LEN} characters: make one with `openssl rand -hex 32`",
                    c.name
                ),
            );
        } else if clients[..i].iter().any(|o| o.api_key == c.api_key) {
            reader.problem(
                "open311.clients",
                format!("the client \"{}\" has another client's API key: give each its own", c.name),
            );
        }
    }
    Open311Settings { clients }
}

/// Reads `[reports]` and checks that its tables hold together: codes
/// unique, each category's service declared, statuses typed, the first
/// status open, each template's status declared.
fn read_reports(reader: &Reader) -> ReportSettings {
    let problem = |key: &str, message: String| reader.problem(key, message);
    let text = |t: &BTreeMap<String, Value>, f: &str| match t.get(f) {
        Some(Value::Text(v)) => v.trim().to_string(),
        _ => String::new(),
    };
    let list = |t: &BTreeMap<String, Value>, f: &str| match t.get(f) {
        Some(Value::List(v)) => v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        _ => Vec::new(),
    };
    fn unique(codes: &[String], key: &str, problem: &dyn Fn(&str, String)) {
        for (i, code) in codes.iter().enumerate() {
            if code.is_empty() || code.contains(char::is_whitespace) {
                problem(
                    key,
                    format!(
                        "table {} has the code \"{code}\": give a short code without spaces, e.g. \"voirie\"",
                        i + 1
                    ),
                );
            } else if codes[..i].contains(code) {
                problem(key, format!("the code \"{code}\" is used twice: give each table its own code"));
            }
        }
    }
    let services: Vec<Service> = reader
        .tables("reports.services")
        .iter()
        .map(|t| Service {
            code: text(t, "code"),
            name: text(t, "name"),
            email: text(t, "email"),
            staff: list(t, "staff"),
        })
        .collect();
    unique(&services.iter().map(|s| s.code.clone()).collect::<Vec<_>>(), "reports.services", &problem);
    for s in &services {
        if !s.email.contains('@') {
            problem("reports.services", format!("the service \"{}\" has the email \"{}\": give the address new reports are sent to, e.g. \"voirie@mairie.fr\"", s.code, s.email));
        }
        if let Some(bad) = s.staff.iter().find(|a| !a.contains('@')) {
            problem(
                "reports.services",
                format!(
                    "the service \"{}\" lists \"{bad}\" as staff: give the email address of a staff account",
                    s.code
                ),
            );
        }
    }
    let categories: Vec<Category> = reader
        .tables("reports.categories")
        .iter()
        .map(|t| Category {
            code: text(t, "code"),
            name: text(t, "name"),
            hint: text(t, "hint"),
            service: text(t, "service"),
            questions: Vec::new(),
            send: send_method(reader, t),
        })
        .collect();
    unique(&categories.iter().map(|c| c.code.clone()).collect::<Vec<_>>(), "reports.categories", &problem);
    let mut categories = categories;
    read_questions(reader, &mut categories);
    let service_codes = services.iter().map(|s| format!("\"{}\"", s.code)).collect::<Vec<_>>().join(", ");
    for c in &categories {
        if !services.iter().any(|s| s.code == c.service) {
            problem("reports.categories", format!("the category \"{}\" names the service \"{}\", which [[reports.services]] does not declare: use one of {service_codes}", c.code, c.service));
        }
    }
    if categories.is_empty() {
        problem(
            "reports.categories",
            "is empty: declare at least one category, or leave the setting out to use the defaults".into(),
        );
    }
    let kinds = [("open", StatusKind::Open), ("fixed", StatusKind::Fixed), ("closed", StatusKind::Closed)];
    let mut statuses = Vec::new();
    for t in reader.tables("reports.statuses") {
        let code = text(&t, "code");
        let word = text(&t, "kind");
        let Some((_, kind)) = kinds.iter().find(|(w, _)| *w == word) else {
            problem(
                "reports.statuses",
                format!("the status \"{code}\" has the kind \"{word}\": use \"open\", \"fixed\" or \"closed\""),
            );
            continue;
        };
        let name = Some(text(&t, "name")).filter(|n| !n.is_empty());
        if name.is_none() && !TRANSLATED_STATUSES.contains(&code.as_str()) {
            problem("reports.statuses", format!("the status \"{code}\" has no name: add name = \"…\" (only the default statuses are named by Parvis)"));
        }
        statuses.push(ReportStatus { code, name, kind: *kind });
    }
    unique(&statuses.iter().map(|s| s.code.clone()).collect::<Vec<_>>(), "reports.statuses", &problem);
    if statuses.first().is_none_or(|s| s.kind != StatusKind::Open) {
        problem("reports.statuses", "the first status is a new report's and must be of kind \"open\": put one first, e.g. { code = \"new\", kind = \"open\" }".into());
    }
    let templates: Vec<ResponseTemplate> = reader
        .tables("reports.templates")
        .iter()
        .map(|t| ResponseTemplate {
            code: text(t, "code"),
            title: text(t, "title"),
            text: text(t, "text"),
            status: Some(text(t, "status")).filter(|s| !s.is_empty()),
        })
        .collect();
    unique(&templates.iter().map(|t| t.code.clone()).collect::<Vec<_>>(), "reports.templates", &problem);
    for t in &templates {
        if let Some(status) = t.status.as_deref().filter(|s| !statuses.iter().any(|st| st.code == *s)) {
            problem(
                "reports.templates",
                format!(
                    "the template \"{}\" suggests the status \"{status}\", which [[reports.statuses]] does not declare",
                    t.code
                ),
            );
        }
    }
    let bounds = Bounds {
        south: reader.float("reports.bounds_south"),
        west: reader.float("reports.bounds_west"),
        north: reader.float("reports.bounds_north"),
        east: reader.float("reports.bounds_east"),
    };
    if bounds.south >= bounds.north {
        problem(
            "reports.bounds_south",
            format!(
                "{} is not south of bounds_north ({}): the south limit is the smaller latitude",
                bounds.south, bounds.north
            ),
        );
    }
    if bounds.west >= bounds.east {
        problem(
            "reports.bounds_west",
            format!(
                "{} is not west of bounds_east ({}): the west limit is the smaller longitude",
                bounds.west, bounds.east
            ),
        );
    }
    ReportSettings {
        open311_poll_secs: reader.int("reports.open311_poll_secs") as u64,
        nearby_metres: reader.int("reports.nearby_metres") as u32,
        fixed_followup_days: reader.int("reports.fixed_followup_days") as u32,
        bounds,
        services,
        categories,
        statuses,
        templates,
    }
}

/// A category's `send`: by mail unless it says `"open311"`, which then
/// needs an http(s) `endpoint`, an `api_key` and a `service_code`.
fn send_method(reader: &Reader, t: &BTreeMap<String, Value>) -> SendMethod {
    const KEY: &str = "reports.categories";
    let text = |f: &str| match t.get(f) {
        Some(Value::Text(v)) => v.trim().to_string(),
        _ => String::new(),
    };
    let code = text("code");
    let open311_fields = ["endpoint", "api_key", "service_code", "jurisdiction_id"];
    match text("send").as_str() {
        "" | "email" => {
            if let Some(f) = open311_fields.iter().find(|f| t.contains_key(**f)) {
                reader.problem(
                    KEY,
                    format!(
                        "the category \"{code}\" has {f} but is sent by email: add send = \"open311\", or remove {f}"
                    ),
                );
            }
            SendMethod::Email
        }
        "open311" => {
            let endpoint = text("endpoint").trim_end_matches('/').to_string();
            if !url::Url::parse(&endpoint).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
                reader.problem(KEY, format!("the category \"{code}\" is sent by Open311 to the endpoint \"{endpoint}\": give the address of the other system's API, e.g. endpoint = \"https://tickets.example.fr/open311/v2\""));
            }
            for missing in ["api_key", "service_code"].into_iter().filter(|f| text(f).is_empty()) {
                reader.problem(KEY, format!("the category \"{code}\" is sent by Open311 without {missing}: add {missing} = \"…\", given by the other system"));
            }
            SendMethod::Open311(Open311Endpoint {
                endpoint,
                api_key: Secret::new(text("api_key")),
                service_code: text("service_code"),
                jurisdiction_id: Some(text("jurisdiction_id")).filter(|j| !j.is_empty()),
            })
        }
        other => {
            reader
                .problem(KEY, format!("the category \"{code}\" has send = \"{other}\": use \"email\" or \"open311\""));
            SendMethod::Email
        }
    }
}

/// Reads `[[reports.questions]]` onto their categories: each names a
/// declared category, has a code of its own in it, a known kind, and a
/// choice has its values (only a choice has any).
fn read_questions(reader: &Reader, categories: &mut [Category]) {
    const KEY: &str = "reports.questions";
    let text = |t: &BTreeMap<String, Value>, f: &str| match t.get(f) {
        Some(Value::Text(v)) => v.trim().to_string(),
        _ => String::new(),
    };
    let category_codes = categories.iter().map(|c| format!("\"{}\"", c.code)).collect::<Vec<_>>().join(", ");
    for (i, t) in reader.tables(KEY).iter().enumerate() {
        let (category, code, label) = (text(t, "category"), text(t, "code"), text(t, "label"));
        let values: Vec<String> = match t.get("values") {
            Some(Value::List(v)) => v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            _ => Vec::new(),
        };
        let required = matches!(t.get("required"), Some(Value::Bool(true)));
        let which = format!("question {} (\"{code}\")", i + 1);
        let Some(c) = categories.iter_mut().find(|c| c.code == category) else {
            reader.problem(KEY, format!("{which} names the category \"{category}\", which [[reports.categories]] does not declare: use one of {category_codes}"));
            continue;
        };
        // The code is a form field's name and an Open311 `attribute[code]`.
        if code.is_empty() || !code.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            reader.problem(
                KEY,
                format!(
                    "{which} has the code \"{code}\": give a short code of letters, digits, - or _, e.g. \"numero\""
                ),
            );
            continue;
        }
        if c.question(&code).is_some() {
            reader.problem(
                KEY,
                format!(
                    "the category \"{category}\" has two questions with the code \"{code}\": give each its own code"
                ),
            );
            continue;
        }
        if label.is_empty() {
            reader.problem(KEY, format!("{which} has no label: add label = \"…\", the question as residents read it"));
        }
        let kind = match text(t, "kind").as_str() {
            "text" => QuestionKind::Text,
            "number" => QuestionKind::Number,
            "choice" if values.is_empty() => {
                reader.problem(
                    KEY,
                    format!(
                        "{which} is a choice without values: add values = [\"…\", \"…\"], the answers to choose from"
                    ),
                );
                continue;
            }
            "choice" => QuestionKind::Choice(values.clone()),
            other => {
                reader
                    .problem(KEY, format!("{which} has the kind \"{other}\": use \"text\", \"number\" or \"choice\""));
                continue;
            }
        };
        if !values.is_empty() && !matches!(kind, QuestionKind::Choice(_)) {
            reader.problem(
                KEY,
                format!("{which} has values but is not a choice: set kind = \"choice\", or remove values"),
            );
        }
        c.questions.push(Question { code, label, hint: text(t, "hint"), kind, required });
    }
}

/// Whether `url` names this machine (plain HTTP is then harmless: nothing
/// crosses a network).
fn is_this_machine(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse_addr(raw: &str) -> Option<SocketAddr> {
    raw.trim().parse().ok()
}

fn is_hex_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// WCAG contrast ratio of `#rrggbb` against white.
pub fn contrast_with_white(colour: &str) -> f64 {
    let channel = |i: usize| {
        let v = u8::from_str_radix(&colour[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    if !is_hex_colour(colour) {
        return 1.0;
    }
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (l + 0.05)
}

/// What is wrong with a tile URL template, if anything: Parvis fetches it
/// itself, so it must be a full http(s) address naming the tile's z, x and y.
fn tile_url_problem(template: &str) -> Option<String> {
    if template.is_empty() {
        return None;
    }
    if let Some(missing) = ["{z}", "{x}", "{y}"].into_iter().find(|p| !template.contains(p)) {
        return Some(format!(
            "\"{template}\" does not contain {missing}: write a template such as \"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\", or leave it empty for no base map"
        ));
    }
    let sample = template.replace("{z}", "1").replace("{x}", "0").replace("{y}", "0").replace("{s}", "a");
    match url::Url::parse(&sample) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host_str().is_some() => None,
        _ => Some(format!(
            "\"{template}\" is not a web address: write it in full, e.g. \"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\""
        )),
    }
}

/// Whether a configured link can go in a page: a full http(s) address, or a
/// path of this site.
fn is_link(raw: &str) -> bool {
    let absolute = url::Url::parse(raw).is_ok_and(|u| u.scheme() == "http" || u.scheme() == "https");
    absolute || (raw.starts_with('/') && !raw.starts_with("//"))
}

/// The commented example configuration, generated from [`SETTINGS`].
///
/// `overrides` replaces the default shown for some keys and writes them
/// uncommented (`parvis init` fills in the commune's name and URL this way).
/// `commune.population.*`, each name checked against the neighbourhoods
/// and the age brackets it must be one of.
fn population(reader: &Reader, neighbourhoods: &[String], problem: &dyn Fn(&str, String)) -> Population {
    use crate::domain::accounts::AGE_BRACKETS;
    let brackets: Vec<String> = AGE_BRACKETS.iter().map(|b| b.to_string()).collect();
    let check = |key: &str, name: &str, allowed: &[String], what: &str, fix: &str| -> bool {
        if allowed.iter().any(|a| a == name) {
            return true;
        }
        let listed = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        let listed = if listed.is_empty() { "none yet".to_string() } else { listed };
        problem(key, format!("\"{name}\" is not {what}: use one of {listed}, or {fix}"));
        false
    };
    let counts = |key: &str, allowed: &[String], what: &str, fix: &str| -> BTreeMap<String, u64> {
        reader
            .counts(key)
            .into_iter()
            .filter(|(name, _)| check(key, name, allowed, what, fix))
            .map(|(name, n)| (name, n.unsigned_abs()))
            .collect()
    };
    let add = "add it to commune.neighbourhoods";
    let by_neighbourhood = counts("commune.population.neighbourhoods", neighbourhoods, "a neighbourhood", add);
    let by_age = counts("commune.population.age_brackets", &brackets, "an age bracket", "remove it");
    let mut cross = BTreeMap::new();
    let key = "commune.population.cross";
    for (name, n) in reader.counts(key) {
        let Some((place, age)) = name.rsplit_once('/').map(|(p, a)| (p.trim().to_string(), a.trim().to_string()))
        else {
            problem(
                key,
                format!("\"{name}\" names no cell: write \"neighbourhood / age bracket\", e.g. \"Centre / 18-29\""),
            );
            continue;
        };
        if check(key, &place, neighbourhoods, "a neighbourhood", add)
            && check(key, &age, &brackets, "an age bracket", "fix it")
        {
            cross.insert((place, age), n.unsigned_abs());
        }
    }
    Population { neighbourhoods: by_neighbourhood, age_brackets: by_age, cross }
}

pub fn example_toml(overrides: &[(&str, String)]) -> String {
    let mut out = String::new();
    out.push_str("# Parvis — fichier de configuration / configuration file\n");
    out.push_str("#\n");
    out.push_str("# FR : chaque réglage est décrit en français puis en anglais. Une ligne qui commence\n");
    out.push_str("#      par « # » est un commentaire : retirez le « # » pour changer la valeur par défaut.\n");
    out.push_str("#      Tout réglage peut aussi venir de l'environnement : PARVIS_SECTION_CLE\n");
    out.push_str("#      (ex. PARVIS_SMTP_PASSWORD), et un secret d'un fichier : PARVIS_SMTP_PASSWORD_FILE.\n");
    out.push_str("#      Vérifiez le fichier avec : parvis check-config --config parvis.toml\n");
    out.push_str("# EN: each setting is described in French then English. A line starting with \"#\"\n");
    out.push_str("#     is a comment: remove the \"#\" to change the default value.\n");
    out.push_str("#     Any setting can also come from the environment: PARVIS_SECTION_KEY\n");
    out.push_str("#     (e.g. PARVIS_SMTP_PASSWORD), and a secret from a file: PARVIS_SMTP_PASSWORD_FILE.\n");
    out.push_str("#     Check the file with: parvis check-config --config parvis.toml\n");
    let mut section = "";
    for setting in SETTINGS {
        let (sec, name) = setting.key.split_once('.').unwrap_or(("", setting.key));
        if sec != section {
            section = sec;
            out.push_str(&format!("\n[{sec}]\n"));
        }
        out.push('\n');
        out.push_str(&format!("# FR : {}\n# EN: {}\n", setting.doc_fr, setting.doc_en));
        if let (Kind::Tables(fields), Some(Value::Tables(tables))) = (setting.kind, parse_default(setting)) {
            // Written as the `[[section.name]]` tables an admin copies and
            // edits, each line commented like every default, fields in the
            // order the table declares them.
            for table in tables {
                out.push_str(&format!("#[[{}]]\n", setting.key));
                for field in fields {
                    if let Some(value) = table.get(field.name) {
                        out.push_str(&format!("#{} = {}\n", field.name, to_toml(value)));
                    }
                }
            }
            continue;
        }
        if let (Kind::Tables(fields), None) = (setting.kind, setting.default) {
            // No default (the Open311 clients): an empty table to fill in.
            out.push_str(&format!("#[[{}]]\n", setting.key));
            for field in fields {
                let empty = match field.shape {
                    Shape::Text => "\"\"",
                    Shape::List => "[]",
                    Shape::Bool => "false",
                };
                out.push_str(&format!("#{} = {empty}\n", field.name));
            }
            continue;
        }
        match overrides.iter().find(|(k, _)| *k == setting.key) {
            Some((_, value)) => out.push_str(&format!("{name} = {value}\n")),
            None => match setting.default {
                Some(default) => out.push_str(&format!("#{name} = {default}\n")),
                None => out.push_str(&format!("#{name} = \"\"\n")),
            },
        }
    }
    out
}

/// Quotes a text as a TOML basic string.
pub fn toml_string(text: &str) -> String {
    to_toml(&Value::Text(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Result<Layers, ConfigError> {
        let mut layers = Layers::defaults();
        layers.apply_file(Path::new("parvis.toml"), text)?;
        Ok(layers)
    }

    #[test]
    fn every_default_parses_and_fits_its_kind() {
        for setting in SETTINGS {
            if setting.default.is_some() {
                let value =
                    parse_default(setting).unwrap_or_else(|| panic!("default of {} does not parse", setting.key));
                check_kind(setting, value).unwrap_or_else(|e| panic!("default of {}: {e}", setting.key));
            }
        }
    }

    #[test]
    fn unknown_key_names_file_line_and_closest_key() {
        let err = file("[commune]\nname = \"X\"\nnmae = \"Y\"\n").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        let p = &err.problems[0];
        assert_eq!(p.key, "commune.nmae");
        assert_eq!(p.source, Some(Source::File { path: "parvis.toml".into(), line: 3 }));
        assert!(p.message.contains("`commune.name`"), "{}", p.message);
    }

    #[test]
    fn unknown_section_is_refused() {
        let err = file("[smpt]\nhost = \"mail\"\n").unwrap_err();
        assert_eq!(err.problems[0].key, "smpt.host");
        assert!(err.problems[0].message.contains("smtp.host"), "{}", err.problems[0].message);
    }

    #[test]
    fn wrong_type_and_range_are_explained() {
        let err = file("[smtp]\nport = \"587\"\n[map]\nzoom = 40\n").unwrap_err();
        assert_eq!(err.problems.len(), 2);
        assert!(err.problems[0].message.contains("whole number"));
        assert!(err.problems[1].message.contains("from 1 to 19"));
    }

    #[test]
    fn dotted_keys_and_inline_tables_are_read() {
        let layers = file("commune.name = \"A\"\nserver = { public_url = \"https://x.test\" }\n").unwrap();
        let config = Config::from_layers(layers).unwrap();
        assert_eq!(config.commune.name, "A");
        assert_eq!(config.server.public_url.as_str(), "https://x.test/");
    }

    #[test]
    fn environment_overrides_file_and_reads_secret_files() {
        let dir = tempfile::tempdir().unwrap();
        let secret_path = dir.path().join("pw");
        std::fs::write(&secret_path, "s3cret\n").unwrap();
        let mut layers = file("[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n").unwrap();
        layers
            .apply_env(vec![
                ("PARVIS_COMMUNE_NAME".into(), "B".into()),
                ("PARVIS_SMTP_PASSWORD_FILE".into(), secret_path.display().to_string()),
                ("PARVIS_COMMUNE_NEIGHBOURHOODS".into(), "Centre, Les Vignes".into()),
                ("HOME".into(), "/root".into()),
            ])
            .unwrap();
        let config = Config::from_layers(layers).unwrap();
        assert_eq!(config.commune.name, "B");
        assert_eq!(config.smtp.password.expose(), "s3cret");
        assert_eq!(config.commune.neighbourhoods, vec!["Centre", "Les Vignes"]);
        assert!(!format!("{config:?}").contains("s3cret"));
        let described = config.layers.describe();
        assert!(described.iter().all(|(_, v, _)| !v.contains("s3cret")));
    }

    #[test]
    fn unknown_environment_variable_is_refused_with_a_suggestion() {
        let mut layers = Layers::defaults();
        let err = layers.apply_env(vec![("PARVIS_SMTP_HOTS".into(), "x".into())]).unwrap_err();
        assert!(err.problems[0].message.contains("PARVIS_SMTP_HOST"), "{}", err.problems[0].message);
    }

    #[test]
    fn the_key_file_is_beside_the_configuration_unless_the_environment_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.toml");
        std::fs::write(&path, "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n").unwrap();
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.key_file, dir.path().join("parvis.key"), "not in data.dir: a backup does not carry it");
        // A key made in the data directory before the file existed (a
        // container started on environment variables, then given a file) is
        // the one that stays in use, until the admin moves it.
        let etc = dir.path().join("etc");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&etc).unwrap();
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("parvis.key"), "00").unwrap();
        let mounted = etc.join("parvis.toml");
        let text = format!(
            "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n[data]\ndir = \"{}\"\n",
            data.display()
        );
        std::fs::write(&mounted, text).unwrap();
        assert_eq!(Config::load(Some(&mounted)).unwrap().key_file, data.join("parvis.key"));
        std::fs::write(etc.join("parvis.key"), "00").unwrap();
        assert_eq!(Config::load(Some(&mounted)).unwrap().key_file, etc.join("parvis.key"), "beside the file first");
        // A systemd credential: PARVIS_DATA_KEY_FILE is the setting itself,
        // not the `_FILE` variant of a `data.key` setting.
        let mut layers = Layers::defaults();
        layers.apply_env(vec![("PARVIS_DATA_KEY_FILE".into(), "/run/credentials/parvis.service/key".into())]).unwrap();
        layers.set("commune.name", Value::Text("A".into())).unwrap();
        layers.set("server.public_url", Value::Text("https://x.test".into())).unwrap();
        let config = Config::from_layers(layers).unwrap();
        assert_eq!(config.key_file, Path::new("/run/credentials/parvis.service/key"));
    }

    #[test]
    fn missing_name_and_url_say_what_to_set() {
        let err = Config::from_layers(Layers::defaults()).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, vec!["commune.name", "server.public_url"]);
    }

    #[test]
    fn light_colour_is_refused_for_contrast() {
        let layers =
            file("[commune]\nname = \"A\"\ncolour = \"#ffff00\"\n[server]\npublic_url = \"https://x.test\"\n").unwrap();
        let err = Config::from_layers(layers).unwrap_err();
        assert!(err.problems[0].message.contains("4.5:1"));
    }

    #[test]
    fn the_tile_url_is_a_full_template_or_empty() {
        let base = "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n";
        let config = Config::from_layers(file(base).unwrap()).unwrap();
        assert_eq!(config.map.tile_url, "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        assert_eq!(config.map.tile_cache_bytes, 200 * 1024 * 1024);
        assert_eq!(config.map.tile_max_age, std::time::Duration::from_secs(30 * 86_400));
        for fine in ["", "https://{s}.tile.example.fr/{z}/{x}/{y}.png", "http://127.0.0.1:9/t/{z}/{x}/{y}"] {
            let set = format!("{base}[map]\ntile_url = \"{fine}\"\n");
            assert!(Config::from_layers(file(&set).unwrap()).is_ok(), "{fine}");
        }
        for wrong in ["tile.example.fr/{z}/{x}/{y}.png", "https://tile.example.fr/{z}/{x}.png", "file:///{z}/{x}/{y}"] {
            let set = format!("{base}[map]\ntile_url = \"{wrong}\"\n");
            let err = Config::from_layers(file(&set).unwrap()).unwrap_err();
            assert_eq!(err.problems[0].key, "map.tile_url", "{wrong}");
        }
    }

    #[test]
    fn the_source_code_address_is_optional_and_must_be_a_web_address() {
        let base = "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n";
        let config = Config::from_layers(file(base).unwrap()).unwrap();
        assert_eq!(config.legal.source_url, None, "empty by default");
        let set = format!("{base}[legal]\nsource_url = \"https://forge.example.fr/parvis\"\n");
        let config = Config::from_layers(file(&set).unwrap()).unwrap();
        assert_eq!(config.legal.source_url.as_deref(), Some("https://forge.example.fr/parvis"));
        for wrong in ["forge.example.fr/parvis", "javascript:alert(1)", "//forge.example.fr"] {
            let text = format!("{base}[legal]\nsource_url = \"{wrong}\"\n");
            let err = Config::from_layers(file(&text).unwrap()).unwrap_err();
            assert_eq!(err.problems[0].key, "legal.source_url", "{wrong}");
            assert!(err.problems[0].message.contains("not a web address"), "{}", err.problems[0].message);
        }
    }

    #[test]
    fn reports_work_with_no_configuration() {
        let config = Config::from_layers(file(BASE).unwrap()).unwrap();
        let r = &config.reports;
        assert_eq!(r.nearby_metres, 250);
        assert_eq!(r.categories.len(), 5);
        assert_eq!(r.category("voirie").map(|c| c.service.as_str()), Some("technique"));
        assert_eq!(r.statuses[0].code, "new");
        assert_eq!(r.status("fixed").map(|s| s.kind), Some(StatusKind::Fixed));
        assert!(r.bounds.contains(45.7772, 4.6121), "the demo commune's centre");
        assert!(!r.bounds.contains(48.85, 2.35));
    }

    #[test]
    fn report_tables_are_read_from_the_file_and_checked() {
        let text = format!(
            "{BASE}[reports]\n[[reports.services]]\ncode = \"eau\"\nname = \"Eau\"\nemail = \"eau@m.test\"\nstaff = [\"a@m.test\"]\n\
             [[reports.categories]]\ncode = \"fuite\"\nname = \"Fuite\"\nservice = \"eau\"\n"
        );
        let config = Config::from_layers(file(&text).unwrap()).unwrap();
        assert_eq!(config.reports.services[0].staff, vec!["a@m.test"]);
        assert_eq!(config.reports.categories[0].hint, "");
        // A category routed to a service nobody declared names both.
        let wrong = text.replace("service = \"eau\"", "service = \"eaux\"");
        let err = Config::from_layers(file(&wrong).unwrap()).unwrap_err();
        assert_eq!(err.problems[0].key, "reports.categories");
        assert!(
            err.problems[0].message.contains("\"eaux\"") && err.problems[0].message.contains("\"eau\""),
            "{}",
            err.problems[0]
        );
        // An unknown field is refused where it is written, with the closest field.
        let typo = text.replace("name = \"Fuite\"", "nmae = \"Fuite\"");
        let err = file(&typo).unwrap_err();
        assert!(
            err.problems[0].message.contains("`nmae`") && err.problems[0].message.contains("`name`"),
            "{}",
            err.problems[0]
        );
        // A status of an unknown kind, or a new status that is not open.
        let statuses = format!("{BASE}[[reports.statuses]]\ncode = \"new\"\nkind = \"fixed\"\n");
        let err = Config::from_layers(file(&statuses).unwrap()).unwrap_err();
        assert!(
            err.problems.iter().any(|p| p.key == "reports.statuses" && p.message.contains("must be of kind \"open\"")),
            "{err}"
        );
        let err = Layers::defaults().apply_env(vec![("PARVIS_REPORTS_SERVICES".into(), "x".into())]).unwrap_err();
        assert!(err.problems[0].message.contains("parvis.toml"), "{}", err.problems[0]);
    }

    #[test]
    fn extra_questions_are_read_onto_their_category_and_checked() {
        let q = |body: &str| format!("{BASE}[[reports.questions]]\ncategory = \"eclairage\"\n{body}");
        let good = q("code = \"numero\"\nlabel = \"Numéro\"\nkind = \"text\"\nhint = \"Sur le mât.\"\n")
            + "[[reports.questions]]\ncategory = \"eclairage\"\ncode = \"etat\"\nlabel = \"État\"\nkind = \"choice\"\nrequired = true\nvalues = [\"éteint\", \"clignotant\"]\n";
        let config = Config::from_layers(file(&good).unwrap()).unwrap();
        let c = config.reports.category("eclairage").unwrap();
        assert_eq!(c.questions.len(), 2);
        assert_eq!(c.questions[0].hint, "Sur le mât.");
        assert!(!c.questions[0].required && c.questions[1].required);
        assert_eq!(c.questions[1].kind, QuestionKind::Choice(vec!["éteint".into(), "clignotant".into()]));
        assert!(config.reports.category("voirie").unwrap().questions.is_empty());
        let refused = |text: &str, says: &str| {
            let err = Config::from_layers(file(text).unwrap()).unwrap_err();
            assert!(err.problems.iter().any(|p| p.key == "reports.questions" && p.message.contains(says)), "{err}");
        };
        refused(&q("code = \"x\"\nlabel = \"X\"\nkind = \"date\"\n"), "use \"text\", \"number\" or \"choice\"");
        refused(&q("code = \"x\"\nlabel = \"X\"\nkind = \"choice\"\n"), "add values = [");
        refused(
            &(q("code = \"x\"\nlabel = \"X\"\nkind = \"text\"\n")
                + &q("code = \"x\"\nlabel = \"Y\"\nkind = \"number\"\n").replace(BASE, "")),
            "two questions with the code \"x\"",
        );
        refused(
            &q("code = \"x\"\nlabel = \"X\"\nkind = \"text\"\n").replace("eclairage", "lumiere"),
            "does not declare: use one of",
        );
        refused(&q("code = \"a b\"\nlabel = \"X\"\nkind = \"text\"\n"), "give a short code");
        // `required` is a boolean, not a text.
        let err = file(&q("code = \"x\"\nlabel = \"X\"\nkind = \"text\"\nrequired = \"oui\"\n")).unwrap_err();
        assert!(err.problems[0].message.contains("true or false"), "{}", err.problems[0]);
    }

    #[test]
    fn a_category_sent_by_open311_needs_its_endpoint_key_and_code_and_the_key_is_never_shown() {
        let cat = |extra: &str| {
            format!(
                "{BASE}[[reports.categories]]\ncode = \"voirie\"\nname = \"Voirie\"\nservice = \"technique\"\n{extra}"
            )
        };
        let config = Config::from_layers(file(&cat("")).unwrap()).unwrap();
        assert_eq!(config.reports.categories[0].send, SendMethod::Email);
        let good = cat("send = \"open311\"\nendpoint = \"https://cc.test/open311/v2/\"\napi_key = \"k-secret-123\"\nservice_code = \"ROAD\"\n");
        let layers = file(&good).unwrap();
        assert!(!format!("{layers:?}").contains("k-secret-123"), "the key is hidden from check-config");
        let config = Config::from_layers(layers).unwrap();
        let SendMethod::Open311(o) = &config.reports.categories[0].send else { panic!("not open311") };
        assert_eq!(
            (o.endpoint.as_str(), o.service_code.as_str(), o.jurisdiction_id.as_deref()),
            ("https://cc.test/open311/v2", "ROAD", None)
        );
        assert_eq!(config.reports.open311_poll_secs, 300);
        let refused = |text: &str, says: &str| {
            let err = Config::from_layers(file(text).unwrap()).unwrap_err();
            assert!(err.problems.iter().any(|p| p.key == "reports.categories" && p.message.contains(says)), "{err}");
        };
        refused(&cat("send = \"fax\"\n"), "use \"email\" or \"open311\"");
        refused(
            &cat("send = \"open311\"\nendpoint = \"cc.test\"\napi_key = \"k\"\nservice_code = \"R\"\n"),
            "e.g. endpoint =",
        );
        refused(&cat("send = \"open311\"\nendpoint = \"https://cc.test\"\nservice_code = \"R\"\n"), "without api_key");
        refused(&cat("endpoint = \"https://cc.test\"\n"), "add send = \"open311\"");
    }

    #[test]
    fn inverted_bounds_are_refused() {
        let text = format!("{BASE}[reports]\nbounds_south = 46.0\nbounds_north = 45.0\n");
        let err = Config::from_layers(file(&text).unwrap()).unwrap_err();
        assert_eq!(err.problems[0].key, "reports.bounds_south");
    }

    /// The smallest valid configuration.
    const BASE: &str = "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n";

    #[test]
    fn from_layers_reads_every_declared_setting() {
        let layers = file(BASE).unwrap();
        let reader = Reader::new(&layers);
        let built = Config::build(&reader);
        let read = reader.read();
        assert_eq!(reader.into_problems(), vec![]);
        assert!(built.is_some());
        let declared: BTreeSet<&str> = SETTINGS.iter().map(|s| s.key).collect();
        let forgotten: Vec<_> = declared.difference(&read).collect();
        assert_eq!(forgotten, Vec::<&&str>::new(), "declared in SETTINGS but never read by Config::from_layers");
        assert_eq!(read, declared);
    }

    #[test]
    fn reading_an_undeclared_or_mistyped_setting_is_a_problem() {
        let layers = file(BASE).unwrap();
        let reader = Reader::new(&layers);
        assert_eq!(reader.text("languages.defualt"), None);
        assert_eq!(reader.int("commune.name"), 0);
        assert_eq!(reader.text("smtp.password"), None, "a secret is read with secret()");
        assert!(reader.read().is_empty(), "none of them counts as read");
        let problems = reader.into_problems();
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["languages.defualt", "commune.name", "smtp.password"]);
        assert!(problems[0].message.contains("does not declare it"), "{}", problems[0].message);
        assert!(
            problems[1].message.contains("as a whole number but it is declared as a text"),
            "{}",
            problems[1].message
        );
    }

    /// Every setting that takes one of a fixed set of words, with its words.
    fn choices() -> Vec<(&'static str, &'static [&'static str])> {
        SETTINGS
            .iter()
            .filter_map(|s| match s.kind {
                Kind::Choice(options) => Some((s.key, options)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_unknown_choice_is_refused_from_the_file_the_environment_and_set() {
        let keys: Vec<_> = choices().iter().map(|(k, _)| *k).collect();
        for key in
            ["server.tls", "smtp.security", "log.format", "log.level", "languages.default", "accessibility.status"]
        {
            assert!(keys.contains(&key), "{key} is a choice");
        }
        for (key, options) in choices() {
            let (section, name) = key.split_once('.').unwrap();
            let allowed = options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ");
            let says_all = |p: &Problem| {
                assert_eq!(p.key, key);
                assert!(p.message.contains("\"bogus\""), "{p}");
                assert!(p.message.contains(&allowed), "{p}");
            };
            let err = file(&format!("[{section}]\n{name} = \"bogus\"\n")).unwrap_err();
            assert_eq!(err.problems.len(), 1, "{err}");
            says_all(&err.problems[0]);
            assert_eq!(err.problems[0].source, Some(Source::File { path: "parvis.toml".into(), line: 2 }));
            let err = Layers::defaults().apply_env(vec![(env_name(key), "bogus".into())]).unwrap_err();
            says_all(&err.problems[0]);
            let err = Layers::defaults().set(key, Value::Text("bogus".into())).unwrap_err();
            says_all(&err.problems[0]);
        }
    }

    #[test]
    fn a_choice_from_layers_does_not_understand_is_refused_not_replaced() {
        // `Config::from_layers` must not fall back to a default for a word it
        // does not know, even one that reached the layers without `check_kind`.
        for (key, options) in choices() {
            let mut layers = file(BASE).unwrap();
            layers.values.insert(key, (Value::Text("bogus".into()), Source::Env(env_name(key))));
            let err = Config::from_layers(layers).unwrap_err();
            assert_eq!(err.problems.len(), 1, "{err}");
            let p = &err.problems[0];
            assert_eq!((p.key.as_str(), p.source.clone()), (key, Some(Source::Env(env_name(key)))));
            assert!(p.message.contains("\"bogus\""), "{p}");
            assert!(p.message.contains(&format!("\"{}\"", options[0])), "{p}");
        }
    }

    #[test]
    fn each_word_of_a_choice_has_its_own_meaning() {
        let with = |extra: &str| Config::from_layers(file(&format!("{BASE}{extra}")).unwrap()).unwrap();
        let https = "[commune]\nname = \"A\"\n[server]\npublic_url = \"https://x.test\"\n";
        assert_eq!(with("").server.tls, TlsMode::Off);
        let files = with("tls = \"files\"\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n");
        assert_eq!(files.server.tls, TlsMode::Files { cert: "c.pem".into(), key: "k.pem".into() });
        let acme = Config::from_layers(file(&format!("{https}tls = \"acme\"\nacme_contact = \"a@x.test\"\n")).unwrap())
            .unwrap();
        assert!(matches!(acme.server.tls, TlsMode::Acme { ref contact, .. } if contact == "a@x.test"));
        assert_eq!(with("").smtp.security, SmtpSecurity::StartTls);
        assert_eq!(with("[smtp]\nsecurity = \"tls\"\n").smtp.security, SmtpSecurity::Tls);
        assert_eq!(with("[smtp]\nsecurity = \"none\"\n").smtp.security, SmtpSecurity::None);
        assert_eq!(with("").accessibility.status, RgaaStatus::None);
        assert_eq!(with("[accessibility]\nstatus = \"partielle\"\n").accessibility.status, RgaaStatus::Partial);
        assert_eq!(with("[accessibility]\nstatus = \"totale\"\n").accessibility.status, RgaaStatus::Full);
        for level in ["error", "warn", "info", "debug", "trace"] {
            assert_eq!(with(&format!("[log]\nlevel = \"{level}\"\n")).log_level, level);
        }
        assert!(!with("").log_json);
        assert!(with("[log]\nformat = \"json\"\n").log_json);
        assert_eq!(with("").default_language, Lang::Fr);
        assert_eq!(with("[languages]\ndefault = \"en\"\n").default_language, Lang::En);
    }

    #[test]
    fn a_choice_read_with_other_words_than_declared_is_a_problem() {
        let layers = file(BASE).unwrap();
        let reader = Reader::new(&layers);
        assert_eq!(reader.choice("log.format", &[("text", false)]), None, "\"json\" is not understood");
        assert_eq!(reader.choice("log.format", &[("text", false), ("json", true), ("xml", true)]), None);
        assert_eq!(reader.choice("log.format", &[("json", true), ("text", false)]), Some(false), "order is free");
        assert_eq!(reader.text("log.format"), None, "a choice is read with choice()");
        let problems = reader.into_problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|p| p.key == "log.format" && p.message.contains("bug")), "{problems:?}");
    }

    #[test]
    fn generated_example_parses_and_lists_every_setting() {
        let text = example_toml(&[]);
        let layers = file(&text).unwrap();
        assert_eq!(layers.values.len(), Layers::defaults().values.len());
        for setting in SETTINGS {
            let name = setting.key.split_once('.').map(|(_, n)| n).unwrap_or(setting.key);
            let shown = match setting.kind {
                Kind::Tables(_) => format!("#[[{}]]\n", setting.key),
                _ => format!("#{name} = "),
            };
            assert!(text.contains(&shown), "{} missing", setting.key);
        }
    }

    #[test]
    fn the_population_is_read_and_each_name_checked_with_the_fix() {
        let base = "[commune]\nname = \"A\"\nneighbourhoods = [\"Centre\", \"Les Vignes\"]\n[server]\npublic_url = \"https://x.test\"\n";
        let config = Config::from_layers(
            file(&format!(
                "{base}[commune.population]\nneighbourhoods = {{ \"Centre\" = 1200, \"Les Vignes\" = 800 }}\ncross = {{ \"Les Vignes / 18-29\" = 90 }}\n[commune.population.age_brackets]\n\"18-29\" = 480\n\"75-plus\" = 120\n"
            ))
            .unwrap(),
        )
        .unwrap();
        let p = &config.commune.population;
        assert_eq!(p.neighbourhoods, BTreeMap::from([("Centre".into(), 1200), ("Les Vignes".into(), 800)]));
        assert_eq!(p.age_brackets, BTreeMap::from([("18-29".into(), 480), ("75-plus".into(), 120)]));
        assert_eq!(p.cross, BTreeMap::from([(("Les Vignes".into(), "18-29".into()), 90)]));
        // Unset: empty, the results then show the respondents only.
        assert_eq!(Config::from_layers(file(base).unwrap()).unwrap().commune.population, Population::default());

        let refused =
            |extra: &str| Config::from_layers(file(&format!("{base}{extra}")).unwrap()).unwrap_err().to_string();
        let e = refused("[commune.population]\nneighbourhoods = { \"Centre-ville\" = 10 }\n");
        assert!(
            e.contains("commune.population.neighbourhoods")
                && e.contains("\"Centre-ville\" is not a neighbourhood")
                && e.contains("add it to commune.neighbourhoods"),
            "{e}"
        );
        let e = refused("[commune.population]\nage_brackets = { \"18-25\" = 10 }\n");
        assert!(e.contains("\"18-25\" is not an age bracket") && e.contains("\"18-29\""), "{e}");
        let e = refused("[commune.population]\ncross = { \"Centre\" = 10 }\n");
        assert!(e.contains("\"Centre / 18-29\""), "{e}");
        let e = file(&format!("{base}[commune.population]\nneighbourhoods = {{ \"Centre\" = \"beaucoup\" }}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("whole number"), "{e}");
        let e = file(&format!("{base}[commune.population]\nneighbourhoods = {{ \"Centre\" = -3 }}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("0 or more"), "{e}");

        let mut layers = file(base).unwrap();
        layers
            .apply_env([(
                "PARVIS_COMMUNE_POPULATION_NEIGHBOURHOODS".to_string(),
                "Centre=10, Les Vignes=5".to_string(),
            )])
            .unwrap();
        let p = Config::from_layers(layers).unwrap().commune.population;
        assert_eq!(p.neighbourhoods, BTreeMap::from([("Centre".into(), 10), ("Les Vignes".into(), 5)]));
    }

    #[test]
    fn committed_example_file_is_the_generated_one() {
        let committed = include_str!("../config/parvis.example.toml");
        assert_eq!(
            committed,
            example_toml(&[]),
            "run `parvis check-config --print-example > config/parvis.example.toml`"
        );
    }

    #[test]
    fn plain_http_is_refused_outside_this_machine_unless_allowed() {
        let with = |url: &str, extra: &str| {
            Config::from_layers(
                file(&format!("[commune]\nname = \"A\"\n[server]\npublic_url = \"{url}\"\n{extra}")).unwrap(),
            )
        };
        let refused = with("http://participer.example.fr", "").unwrap_err().to_string();
        assert!(
            refused.contains("server.public_url") && refused.contains("in clear") && refused.contains("allow_http"),
            "{refused}"
        );
        for local in ["http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"] {
            assert!(with(local, "").is_ok(), "{local}");
        }
        assert!(with("http://192.168.1.20", "allow_http = true\n").is_ok());
        assert!(with("https://participer.example.fr", "").is_ok());
    }
}
