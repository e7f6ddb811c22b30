//! The datasets of the export, each built from `publication`'s public
//! views only: a record that `publication` leaves out is not here, and a
//! field it does not publish cannot be, since no raw record is read for a
//! cell. Each dataset is one JSON file (the public views as the API serves
//! them) and one or more flat tables (CSV), each column declared once with
//! its type and its description in French, which the archive's schemas
//! are written from.

use serde::Serialize;
use serde_json::Value;

use super::OpenDataError;
use crate::config::Config;
use crate::domain::ids::{ProposalId, ReportId};
use crate::domain::publication::{self, Point, PublicBallot, PublicBudget};
use crate::domain::{budgets, consultations, meetings, news, proposals, reports};
use crate::store::ReadTx;

/// A column's type, as Table Schema names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Integer,
    Number,
    String,
    Boolean,
    Datetime,
    Date,
}

impl Type {
    pub fn code(self) -> &'static str {
        match self {
            Type::Integer => "integer",
            Type::Number => "number",
            Type::String => "string",
            Type::Boolean => "boolean",
            Type::Datetime => "datetime",
            Type::Date => "date",
        }
    }
}

/// A column of a table: its name in the CSV header, its type and what it holds.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Type,
    pub description: &'static str,
}

const fn col(name: &'static str, kind: Type, description: &'static str) -> Column {
    Column { name, kind, description }
}

/// A flat table: one CSV file and its schema.
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: &'static [Column],
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(name: &'static str, title: &'static str, description: &'static str, columns: &'static [Column]) -> Table {
        Table { name, title, description, columns, rows: Vec::new() }
    }

    /// Adds a row, which must have a cell per column: a row out of step
    /// with the header would put values under the wrong names.
    fn push(&mut self, row: Vec<String>) -> Result<(), OpenDataError> {
        if row.len() != self.columns.len() {
            return Err(OpenDataError::Archive(format!(
                "{}: a row of {} cells for {} columns",
                self.name,
                row.len(),
                self.columns.len()
            )));
        }
        self.rows.push(row);
        Ok(())
    }
}

/// A dataset: a JSON file and its tables.
pub struct Dataset {
    pub name: &'static str,
    pub title: &'static str,
    pub json: Value,
    pub tables: Vec<Table>,
}

fn json(records: &impl Serialize) -> Result<Value, OpenDataError> {
    serde_json::to_value(records).map_err(|e| OpenDataError::Archive(e.to_string()))
}

fn text(s: &str) -> String {
    s.to_string()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn flag(b: bool) -> String {
    b.to_string()
}

fn lat(p: &Option<Point>) -> String {
    opt(p.as_ref().map(|p| p.lat))
}

fn lon(p: &Option<Point>) -> String {
    opt(p.as_ref().map(|p| p.lon))
}

/// A path on this site as a full address, so that the file stands alone.
fn link(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Every dataset, in the order the archive lists them.
pub fn all(tx: &ReadTx, config: &Config, now: i64) -> Result<Vec<Dataset>, OpenDataError> {
    let base = config.server.public_url.as_str();
    Ok(vec![
        idea_boxes(tx, now)?,
        proposals(tx)?,
        reports(tx, config, base)?,
        consultations(tx, now)?,
        budgets(tx, now)?,
        meetings(tx)?,
        news(tx, base)?,
    ])
}

// ---------------------------------------------------------------- idea boxes

const BOX_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant de la boîte à idées."),
    col("titre", Type::String, "Titre de la boîte à idées."),
    col("description", Type::String, "Présentation (Markdown)."),
    col("categories", Type::String, "Catégories proposées, séparées par « ; »."),
    col("ouverture", Type::Datetime, "Date d'ouverture aux propositions (UTC)."),
    col("cloture", Type::Datetime, "Date de clôture (UTC)."),
    col("ouverte", Type::Boolean, "Vrai si la boîte reçoit des propositions à la date de l'export."),
    col(
        "soutiens_par",
        Type::String,
        "Qui peut soutenir : « residents » (habitants inscrits) ou « verified-residents » (habitants vérifiés).",
    ),
    col(
        "seuil",
        Type::Integer,
        "Nombre de soutiens qui inscrit une proposition à l'ordre du jour de la mairie (0 : aucun).",
    ),
    col("creee_le", Type::Datetime, "Date de création (UTC)."),
];

fn idea_boxes(tx: &ReadTx, now: i64) -> Result<Dataset, OpenDataError> {
    let mut all = proposals::boxes(tx)?;
    all.sort_by_key(|b| b.id);
    let mut public = Vec::with_capacity(all.len());
    for b in &all {
        if let Some(b) = publication::idea_box(tx, b, now)? {
            public.push(b);
        }
    }
    let mut t = Table::new("boites-a-idees", "Boîtes à idées", "Les appels à propositions de la commune.", BOX_COLUMNS);
    for b in &public {
        t.push(vec![
            b.id.to_string(),
            text(&b.title),
            text(&b.description),
            b.categories.join(";"),
            text(&b.opens_at),
            text(&b.closes_at),
            flag(b.open),
            text(b.supporters),
            b.threshold.to_string(),
            text(&b.created_at),
        ])?;
    }
    Ok(Dataset { name: "boites-a-idees", title: "Boîtes à idées", json: json(&public)?, tables: vec![t] })
}

// ---------------------------------------------------------------- proposals

const PROPOSAL_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant de la proposition."),
    col("boite", Type::Integer, "Identifiant de la boîte à idées (fichier boites-a-idees.csv)."),
    col("titre", Type::String, "Titre de la proposition."),
    col("texte", Type::String, "Texte de la proposition (Markdown)."),
    col(
        "auteur",
        Type::String,
        "Nom que l'auteur montre sur ses contributions ; vide pour un compte supprimé ou une idée d'atelier.",
    ),
    col("atelier", Type::Integer, "Rendez-vous (atelier) d'où vient l'idée, le cas échéant (fichier rendez-vous.csv)."),
    col("categorie", Type::String, "Catégorie choisie par l'auteur parmi celles de la boîte."),
    col("quartier", Type::String, "Quartier concerné."),
    col("latitude", Type::Number, "Latitude du lieu (WGS 84), si un lieu est indiqué."),
    col("longitude", Type::Number, "Longitude du lieu (WGS 84), si un lieu est indiqué."),
    col(
        "statut",
        Type::String,
        "État : submitted (déposée), under-study (à l'étude), accepted (retenue), rejected (non retenue), in-progress (en cours), done (réalisée).",
    ),
    col("reponse", Type::String, "Réponse de la mairie (Markdown), une fois donnée."),
    col("reponse_le", Type::Datetime, "Date de la réponse de la mairie (UTC)."),
    col("soutiens", Type::Integer, "Nombre de soutiens."),
    col("seuil_atteint_le", Type::Datetime, "Date à laquelle le seuil de soutiens a été atteint (UTC)."),
    col("avancement", Type::Integer, "Avancement de la réalisation, en pourcentage (0 à 100)."),
    col("creee_le", Type::Datetime, "Date de dépôt (UTC)."),
    col("modifiee_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

fn proposals(tx: &ReadTx) -> Result<Dataset, OpenDataError> {
    let mut public = Vec::new();
    for id in proposals::all_ids(tx)? {
        let Some(p) = proposals::get(tx, ProposalId(id.get()))? else { continue };
        if let Some(p) = publication::proposal(tx, &p)? {
            public.push(p);
        }
    }
    let mut t = Table::new(
        "propositions",
        "Propositions et réponses de la mairie",
        "Les propositions des habitants visibles de tous, avec la réponse de la mairie et leur avancement.",
        PROPOSAL_COLUMNS,
    );
    for p in &public {
        t.push(vec![
            p.id.to_string(),
            p.box_id.to_string(),
            text(&p.title),
            text(&p.body),
            opt(p.author.as_ref()),
            opt(p.workshop),
            opt(p.category.as_ref()),
            opt(p.neighbourhood.as_ref()),
            lat(&p.location),
            lon(&p.location),
            text(p.status),
            opt(p.answer.as_ref().map(|a| &a.text)),
            opt(p.answer.as_ref().map(|a| &a.at)),
            p.supports.to_string(),
            opt(p.threshold_reached_at.as_ref()),
            p.progress.to_string(),
            text(&p.created_at),
            text(&p.updated_at),
        ])?;
    }
    Ok(Dataset { name: "propositions", title: "Propositions", json: json(&public)?, tables: vec![t] })
}

// ---------------------------------------------------------------- reports

const REPORT_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant du signalement."),
    col("categorie", Type::String, "Code de la catégorie dans la configuration de la commune."),
    col("statut", Type::String, "Code de l'état dans la configuration de la commune."),
    col("ouvert", Type::Boolean, "Vrai tant que le signalement n'est pas clos."),
    col("latitude", Type::Number, "Latitude (WGS 84)."),
    col("longitude", Type::Number, "Longitude (WGS 84)."),
    col("adresse", Type::String, "Adresse la plus proche."),
    col("quartier", Type::String, "Quartier où se trouve le problème."),
    col("description", Type::String, "Description du problème."),
    col("photos", Type::String, "Adresses des photos montrées au public, séparées par des espaces."),
    col(
        "auteur",
        Type::String,
        "Nom de l'auteur, seulement s'il a choisi de le montrer ; ou le nom du logiciel qui l'a déposé (Open311).",
    ),
    col("soutiens", Type::Integer, "Nombre d'habitants qui ont signalé le même problème (« moi aussi »)."),
    col("cree_le", Type::Datetime, "Date du signalement (UTC)."),
    col("modifie_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

fn reports(tx: &ReadTx, config: &Config, base: &str) -> Result<Dataset, OpenDataError> {
    let mut public = Vec::new();
    for id in reports::all_ids(tx)? {
        if let Some(mut r) = publication::report(tx, &config.reports, ReportId(id.get()), true, |_| true)? {
            r.photos = r.photos.iter().map(|p| link(base, p)).collect();
            public.push(r);
        }
    }
    let mut t = Table::new(
        "signalements",
        "Signalements",
        "Les problèmes signalés par les habitants dans l'espace public et leur suivi (le fil de chaque signalement est dans signalements.json).",
        REPORT_COLUMNS,
    );
    for r in &public {
        t.push(vec![
            r.id.to_string(),
            text(&r.category),
            text(&r.status),
            flag(r.open),
            r.location.lat.to_string(),
            r.location.lon.to_string(),
            opt(r.address.as_ref()),
            opt(r.neighbourhood.as_ref()),
            text(&r.description),
            r.photos.join(" "),
            opt(r.author.as_ref()),
            r.supports.to_string(),
            text(&r.created_at),
            text(&r.updated_at),
        ])?;
    }
    Ok(Dataset { name: "signalements", title: "Signalements", json: json(&public)?, tables: vec![t] })
}

// ---------------------------------------------------------------- consultations

const CONSULTATION_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant de la consultation."),
    col("titre", Type::String, "Titre de la consultation."),
    col("resume", Type::String, "Résumé de la consultation."),
    col("texte", Type::String, "Présentation (Markdown)."),
    col("quartier", Type::String, "Quartier concerné, le cas échéant."),
    col(
        "public",
        Type::String,
        "Qui peut répondre : anyone (tout le monde), signed-in (inscrits), verified (habitants vérifiés).",
    ),
    col("phase", Type::String, "Phase à la date de l'export : forthcoming (à venir), open (ouverte), closed (close)."),
    col("ouverture", Type::Datetime, "Date d'ouverture (UTC)."),
    col("cloture", Type::Datetime, "Date de clôture (UTC)."),
    col(
        "reponses",
        Type::Integer,
        "Nombre de réponses ; vide tant que les résultats ne sont pas publiés (à la clôture).",
    ),
    col(
        "reponses_papier",
        Type::Integer,
        "Réponses saisies depuis des questionnaires papier ; vide si moins de 5 ou avant la publication.",
    ),
    col(
        "reponses_entretien",
        Type::Integer,
        "Réponses recueillies en entretien ; vide si moins de 5 ou avant la publication.",
    ),
    col("ce_qui_a_ete_dit", Type::String, "Bilan : ce que les habitants ont dit, une fois publié par la mairie."),
    col("decision", Type::String, "Bilan : ce que la mairie a décidé."),
    col("bilan_publie_le", Type::Datetime, "Date de publication du bilan (UTC)."),
    col("modifiee_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

const RESULT_COLUMNS: &[Column] = &[
    col("consultation", Type::Integer, "Identifiant de la consultation (fichier consultations.csv)."),
    col("question", Type::Integer, "Identifiant de la question dans la consultation."),
    col("intitule", Type::String, "Intitulé de la question."),
    col(
        "type",
        Type::String,
        "Type de question : single (choix unique), multiple (choix multiples), scale (échelle), number (nombre), ranking (classement), matrix (grille), short-text, long-text, date, point.",
    ),
    col("repondants", Type::Integer, "Nombre de personnes qui ont répondu à cette question."),
    col("option", Type::Integer, "Numéro de l'option (à partir de 0) ; vide pour une question sans options."),
    col("libelle", Type::String, "Libellé de l'option, de l'élément classé ou de la ligne de la grille."),
    col("nombre", Type::Integer, "Nombre de réponses qui ont choisi cette option."),
    col("moyenne", Type::Number, "Moyenne des réponses (échelle, nombre), le cas échéant."),
];

fn consultations(tx: &ReadTx, now: i64) -> Result<Dataset, OpenDataError> {
    let mut all = consultations::list(tx)?;
    all.sort_by_key(|c| c.id);
    let mut public = Vec::new();
    for c in &all {
        if let Some(c) = publication::consultation(tx, c, now)? {
            public.push(c);
        }
    }
    let mut t = Table::new(
        "consultations",
        "Consultations",
        "Les consultations de la commune, avec leurs résultats et leur bilan une fois publiés.",
        CONSULTATION_COLUMNS,
    );
    let mut results = Table::new(
        "consultations-resultats",
        "Résultats des consultations",
        "Les réponses comptées, question par question et option par option, des consultations closes.",
        RESULT_COLUMNS,
    );
    for c in &public {
        t.push(vec![
            c.id.to_string(),
            text(&c.title),
            text(&c.summary),
            text(&c.body),
            opt(c.neighbourhood.as_ref()),
            text(c.audience),
            text(c.phase),
            opt(c.opens_at.as_ref()),
            opt(c.closes_at.as_ref()),
            opt(c.results.as_ref().map(|r| r.answers)),
            opt(c.results.as_ref().and_then(|r| r.paper)),
            opt(c.results.as_ref().and_then(|r| r.interview)),
            opt(c.outcome.as_ref().map(|o| &o.said)),
            opt(c.outcome.as_ref().map(|o| &o.decided)),
            opt(c.outcome.as_ref().map(|o| &o.published_at)),
            text(&c.updated_at),
        ])?;
        let Some(r) = &c.results else { continue };
        for q in &r.questions {
            let (label, kind, options) = match c.questions.iter().find(|x| x.id == q.question) {
                Some(x) => (x.label.as_str(), x.kind, x.options.as_slice()),
                None => ("", "", &[][..]),
            };
            let row = |option: String, name: String, count: String| {
                vec![
                    c.id.to_string(),
                    q.question.to_string(),
                    text(label),
                    text(kind),
                    q.answered.to_string(),
                    option,
                    name,
                    count,
                    opt(q.average),
                ]
            };
            if q.counts.is_empty() {
                results.push(row(String::new(), String::new(), String::new()))?;
            }
            for n in &q.counts {
                let name = usize::try_from(n.option).ok().and_then(|i| options.get(i)).cloned().unwrap_or_default();
                results.push(row(n.option.to_string(), name, n.count.to_string()))?;
            }
        }
    }
    Ok(Dataset { name: "consultations", title: "Consultations", json: json(&public)?, tables: vec![t, results] })
}

// ---------------------------------------------------------------- budgets

const BUDGET_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant du budget participatif."),
    col("titre", Type::String, "Titre du budget participatif."),
    col("description", Type::String, "Présentation (Markdown)."),
    col(
        "phase",
        Type::String,
        "Phase à la date de l'export : forthcoming (à venir), submission (dépôt des projets), study (étude), vote, results (résultats), follow-up (suivi).",
    ),
    col("depot_le", Type::Datetime, "Début du dépôt des projets (UTC)."),
    col("etude_le", Type::Datetime, "Début de l'étude des projets (UTC)."),
    col("vote_le", Type::Datetime, "Début du vote (UTC)."),
    col("resultats_le", Type::Datetime, "Fin du vote et publication des résultats (UTC)."),
    col("suivi_le", Type::Datetime, "Début du suivi des réalisations (UTC)."),
    col("vote_clos_le", Type::Datetime, "Date à laquelle la mairie a clos le vote avant sa date, le cas échéant (UTC)."),
    col("public", Type::String, "Qui peut voter : signed-in (inscrits) ou verified (habitants vérifiés)."),
    col("age_minimum", Type::Integer, "Âge minimum pour voter, le cas échéant."),
    col(
        "regle",
        Type::String,
        "Règle de désignation des lauréats : greedy (les plus votés dans l'enveloppe), greedy-per-neighbourhood (par quartier), equal-shares (parts égales).",
    ),
    col("secret", Type::Boolean, "Vrai si le vote est secret."),
    col("bulletins", Type::Integer, "Nombre de bulletins ; vide tant que les résultats ne sont pas publiés."),
    col("modifie_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

const POT_COLUMNS: &[Column] = &[
    col("budget", Type::Integer, "Identifiant du budget participatif (fichier budgets.csv)."),
    col("enveloppe", Type::Integer, "Numéro de l'enveloppe dans le budget (à partir de 0)."),
    col("quartier", Type::String, "Quartier de l'enveloppe ; vide pour toute la commune."),
    col("montant_centimes", Type::Integer, "Montant de l'enveloppe, en centimes d'euro."),
    col(
        "votants",
        Type::Integer,
        "Bulletins qui ont choisi un projet de cette enveloppe ; vide si moins de 5 ou avant les résultats.",
    ),
    col("depense_centimes", Type::Integer, "Coût des projets retenus, en centimes d'euro ; vide avant les résultats."),
];

const PROJECT_COLUMNS: &[Column] = &[
    col("budget", Type::Integer, "Identifiant du budget participatif (fichier budgets.csv)."),
    col("numero", Type::Integer, "Numéro du projet dans le budget."),
    col("titre", Type::String, "Titre du projet."),
    col("description", Type::String, "Description (Markdown)."),
    col("cout_propose_centimes", Type::Integer, "Coût proposé par le porteur, en centimes d'euro."),
    col("cout_centimes", Type::Integer, "Coût retenu par l'étude et affiché sur le bulletin, en centimes d'euro."),
    col("enveloppe", Type::Integer, "Numéro de l'enveloppe (fichier budgets-enveloppes.csv)."),
    col("quartier", Type::String, "Quartier du projet."),
    col("categorie", Type::String, "Catégorie du projet."),
    col("latitude", Type::Number, "Latitude (WGS 84), si un lieu est indiqué."),
    col("longitude", Type::Number, "Longitude (WGS 84), si un lieu est indiqué."),
    col(
        "etude",
        Type::String,
        "Étude de faisabilité : pending (en cours), feasible (faisable), not-feasible (non faisable).",
    ),
    col("motif", Type::String, "Motif d'un projet jugé non faisable."),
    col("proposition", Type::Integer, "Proposition d'où vient le projet, le cas échéant (fichier propositions.csv)."),
    col("voix", Type::Integer, "Voix obtenues ; vide avant les résultats ou si l'enveloppe compte moins de 5 votants."),
    col("laureat", Type::Boolean, "Vrai si le projet est retenu ; vide avant les résultats."),
    col("modifie_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

const BALLOT_COLUMNS: &[Column] = &[
    col("budget", Type::Integer, "Identifiant du budget participatif (fichier budgets.csv)."),
    col(
        "bulletin",
        Type::String,
        "Identifiant aléatoire du bulletin (32 chiffres hexadécimaux) : il ne dit rien de la personne qui a voté.",
    ),
    col("jour", Type::Date, "Jour du vote (heure de la commune), jamais une heure plus précise."),
    col("choix", Type::String, "Numéros des projets choisis, séparés par des espaces."),
];

/// A budget as its JSON file holds it: the public view and, once they may
/// be published, its anonymous ballots.
#[derive(Serialize)]
struct BudgetRecord {
    #[serde(flatten)]
    budget: PublicBudget,
    #[serde(skip_serializing_if = "Option::is_none")]
    ballots: Option<Vec<PublicBallot>>,
}

fn budgets(tx: &ReadTx, now: i64) -> Result<Dataset, OpenDataError> {
    let mut all = budgets::list(tx)?;
    all.sort_by_key(|b| b.id);
    let mut public = Vec::new();
    for p in &all {
        if let Some(budget) = publication::budget(tx, p, now, true)? {
            public.push(BudgetRecord { budget, ballots: publication::budget_ballots(tx, p, now)? });
        }
    }
    let mut t = Table::new(
        "budgets",
        "Budgets participatifs",
        "Les budgets participatifs de la commune et leur calendrier.",
        BUDGET_COLUMNS,
    );
    let mut pots = Table::new(
        "budgets-enveloppes",
        "Enveloppes des budgets participatifs",
        "Les enveloppes de chaque budget et, après le vote, ce qui y a été dépensé.",
        POT_COLUMNS,
    );
    let mut projects = Table::new(
        "budgets-projets",
        "Projets des budgets participatifs",
        "Les projets déposés, leur étude et, après le vote, leurs voix.",
        PROJECT_COLUMNS,
    );
    let mut ballots = Table::new(
        "budgets-bulletins",
        "Bulletins anonymes des budgets participatifs",
        "Les bulletins de chaque vote clos, sans lien avec les votants, pour que chacun puisse recompter.",
        BALLOT_COLUMNS,
    );
    for r in &public {
        let b = &r.budget;
        t.push(vec![
            b.id.to_string(),
            text(&b.title),
            text(&b.description),
            text(b.phase),
            text(&b.submission_starts_at),
            text(&b.study_starts_at),
            text(&b.vote_starts_at),
            text(&b.results_start_at),
            text(&b.follow_up_starts_at),
            opt(b.vote_closed_early_at.as_ref()),
            text(b.audience),
            opt(b.min_age),
            text(b.rule),
            flag(b.secret),
            opt(b.results.as_ref().map(|x| x.ballots)),
            text(&b.updated_at),
        ])?;
        for (i, pot) in b.pots.iter().enumerate() {
            let result = b.results.as_ref().and_then(|x| x.pots.iter().find(|p| p.pot == i));
            pots.push(vec![
                b.id.to_string(),
                i.to_string(),
                opt(pot.neighbourhood.as_ref()),
                pot.amount_cents.to_string(),
                opt(result.and_then(|p| p.voters)),
                opt(result.map(|p| p.spent_cents)),
            ])?;
        }
        for pr in b.projects.iter().flatten() {
            let line = b
                .results
                .as_ref()
                .and_then(|x| x.pots.iter().find(|p| p.pot == pr.pot))
                .map(|p| (p.voters.is_some(), p.lines.iter().find(|l| l.number == pr.number)));
            let (votes, won) = match line {
                Some((shown, Some(l))) => (if shown { l.votes.to_string() } else { String::new() }, flag(l.won)),
                // On the results but not on the ballot (not feasible): not won.
                Some((_, None)) => (String::new(), flag(false)),
                None => (String::new(), String::new()),
            };
            projects.push(vec![
                b.id.to_string(),
                pr.number.to_string(),
                text(&pr.title),
                text(&pr.description),
                pr.proposed_cost_cents.to_string(),
                opt(pr.cost_cents),
                pr.pot.to_string(),
                opt(pr.neighbourhood.as_ref()),
                text(&pr.category),
                lat(&pr.location),
                lon(&pr.location),
                text(pr.study),
                opt(pr.not_feasible_reason.as_ref()),
                opt(pr.from_proposal),
                votes,
                won,
                text(&pr.updated_at),
            ])?;
        }
        for ballot in r.ballots.iter().flatten() {
            let choices: Vec<String> = ballot.choices.iter().map(u64::to_string).collect();
            ballots.push(vec![b.id.to_string(), text(&ballot.ballot), text(&ballot.day), choices.join(" ")])?;
        }
    }
    Ok(Dataset {
        name: "budgets",
        title: "Budgets participatifs",
        json: json(&public)?,
        tables: vec![t, pots, projects, ballots],
    })
}

// ---------------------------------------------------------------- meetings

const MEETING_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant du rendez-vous."),
    col("titre", Type::String, "Titre du rendez-vous."),
    col(
        "type",
        Type::String,
        "Type : public-meeting (réunion publique), workshop (atelier), council-session (conseil municipal), neighbourhood-walk (balade de quartier).",
    ),
    col("statut", Type::String, "published (prévu) ou cancelled (annulé)."),
    col("debut", Type::Datetime, "Début (UTC)."),
    col("fin", Type::Datetime, "Fin (UTC)."),
    col("adresse", Type::String, "Adresse du lieu du rendez-vous."),
    col("latitude", Type::Number, "Latitude (WGS 84), si indiquée."),
    col("longitude", Type::Number, "Longitude (WGS 84), si indiquée."),
    col("en_ligne", Type::String, "Adresse pour suivre le rendez-vous en ligne, le cas échéant."),
    col("quartier", Type::String, "Quartier concerné."),
    col("ordre_du_jour", Type::String, "Ordre du jour (Markdown)."),
    col("organisateur", Type::String, "Service ou élu qui organise."),
    col("inscription", Type::Boolean, "Vrai si l'inscription est demandée."),
    col("places", Type::Integer, "Nombre de places, le cas échéant."),
    col("plain_pied", Type::Boolean, "Accessible de plain-pied."),
    col("boucle_magnetique", Type::Boolean, "Boucle magnétique pour les personnes malentendantes."),
    col("langue_des_signes", Type::Boolean, "Interprétation en langue des signes."),
    col("accessibilite", Type::String, "Précisions sur l'accessibilité."),
    col("compte_rendu", Type::String, "Compte rendu (Markdown), une fois écrit."),
    col("modifie_le", Type::Datetime, "Date de la dernière modification (UTC)."),
];

fn meetings(tx: &ReadTx) -> Result<Dataset, OpenDataError> {
    let mut all = meetings::list(tx)?;
    all.sort_by_key(|m| m.id);
    let mut public = Vec::new();
    for m in &all {
        if let Some(m) = publication::meeting(tx, m)? {
            public.push(m);
        }
    }
    let mut t = Table::new(
        "rendez-vous",
        "Rendez-vous",
        "Réunions publiques, ateliers, conseils municipaux et balades de quartier.",
        MEETING_COLUMNS,
    );
    for m in &public {
        t.push(vec![
            m.id.to_string(),
            text(&m.title),
            text(m.kind),
            text(m.status),
            text(&m.starts_at),
            text(&m.ends_at),
            text(&m.address),
            lat(&m.location),
            lon(&m.location),
            opt(m.online_url.as_ref()),
            opt(m.neighbourhood.as_ref()),
            text(&m.agenda),
            text(&m.organiser),
            flag(m.registration),
            opt(m.seats),
            flag(m.accessibility.step_free),
            flag(m.accessibility.hearing_loop),
            flag(m.accessibility.sign_language),
            text(&m.accessibility.note),
            opt(m.minutes.as_ref()),
            text(&m.updated_at),
        ])?;
    }
    Ok(Dataset { name: "rendez-vous", title: "Rendez-vous", json: json(&public)?, tables: vec![t] })
}

// ---------------------------------------------------------------- news

const NEWS_COLUMNS: &[Column] = &[
    col("id", Type::Integer, "Identifiant de l'actualité."),
    col("titre", Type::String, "Titre de l'actualité."),
    col("resume", Type::String, "Résumé de l'actualité."),
    col("texte", Type::String, "Texte (Markdown)."),
    col("publiee_le", Type::Datetime, "Date de publication (UTC)."),
    col("modifiee_le", Type::Datetime, "Date de la dernière modification (UTC)."),
    col("image", Type::String, "Adresse de l'illustration, le cas échéant."),
    col("image_description", Type::String, "Description de l'illustration (texte alternatif)."),
];

fn news(tx: &ReadTx, base: &str) -> Result<Dataset, OpenDataError> {
    let mut all = news::all(tx)?;
    all.sort_by_key(|n| n.id);
    let public: Vec<_> = all
        .iter()
        .filter_map(publication::news_post)
        .map(|mut n| {
            n.image = n.image.map(|i| link(base, &i));
            n
        })
        .collect();
    let mut t = Table::new("actualites", "Actualités", "Les actualités publiées par la commune.", NEWS_COLUMNS);
    for n in &public {
        t.push(vec![
            n.id.to_string(),
            text(&n.title),
            text(&n.summary),
            text(&n.body),
            text(&n.published_at),
            text(&n.updated_at),
            opt(n.image.as_ref()),
            opt(n.image_alt.as_ref()),
        ])?;
    }
    Ok(Dataset { name: "actualites", title: "Actualités", json: json(&public)?, tables: vec![t] })
}
