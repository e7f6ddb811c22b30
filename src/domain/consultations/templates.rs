//! The questionnaires Parvis ships: the first survey a commune runs when it
//! opens the platform (what residents expect of it, as the guides for
//! communes recommend asking before anything else), and the quarterly
//! satisfaction survey. Staff start a draft from one, then edit it as any
//! draft. The consultation keeps the id of its template
//! (`CONSULTATION_TEMPLATE_BY_ID`), so that the success dashboard can find
//! every quarter's answers to the same questions later: the ids below are
//! stable, never renamed.
//!
//! The questions are in French, the commune's language: staff translate or
//! change them as they would their own.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};

/// The first survey's template id.
pub const FIRST_SURVEY: &str = "premiere-enquete";
/// The quarterly satisfaction survey's template id.
pub const QUARTERLY_SATISFACTION: &str = "satisfaction-trimestrielle";
/// Every template id, in the order staff see them.
pub const TEMPLATES: [&str; 2] = [FIRST_SURVEY, QUARTERLY_SATISFACTION];

/// What a template gives a new draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub audience: Audience,
    pub questions: Vec<Question>,
}

fn question(page: u32, label: &str, hint: &str, required: bool, kind: Kind) -> Question {
    Question { id: 0, page, label: label.into(), hint: hint.into(), required, hidden: false, kind, show_if: None }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The template `id`, or `None` for an unknown one.
pub fn template(id: &str) -> Option<Template> {
    match id {
        FIRST_SURVEY => Some(first_survey()),
        QUARTERLY_SATISFACTION => Some(quarterly_satisfaction()),
        _ => None,
    }
}

fn first_survey() -> Template {
    Template {
        id: FIRST_SURVEY,
        title: "La participation dans notre commune : qu'en attendez-vous ?".into(),
        summary: "Avant les premières consultations, dites-nous sur quoi et comment vous voulez être associé(e) aux décisions.".into(),
        body: "La commune ouvre sa plateforme de participation. Avant de lancer les premières consultations, \
               nous voulons savoir ce que vous en attendez : les sujets sur lesquels vous voulez donner votre avis, \
               la façon dont vous souhaitez participer et à quel rythme.\n\n\
               Le questionnaire prend cinq minutes. Les résultats seront publiés ici, avec ce que la commune en fera."
            .into(),
        audience: Audience::Anyone,
        questions: vec![
            question(
                1,
                "Sur quels sujets aimeriez-vous être consulté(e) ?",
                "Cochez tous ceux qui vous intéressent.",
                true,
                Kind::Multiple {
                    options: words(&[
                        "L'aménagement des rues et des places",
                        "Les déplacements, le stationnement et le vélo",
                        "Les écoles, l'enfance et la jeunesse",
                        "L'environnement, les espaces verts et la propreté",
                        "La culture, le sport et la vie associative",
                        "Le budget de la commune",
                        "La sécurité et la tranquillité",
                        "Les services de la mairie et leurs horaires",
                    ]),
                    min: 1,
                    max: 0,
                    other: true,
                },
            ),
            question(
                1,
                "Comment souhaitez-vous participer ?",
                "Cochez tout ce qui vous conviendrait.",
                false,
                Kind::Multiple {
                    options: words(&[
                        "Répondre à des questionnaires en ligne",
                        "Proposer des idées et soutenir celles des autres",
                        "Signaler un problème dans l'espace public",
                        "Voter pour des projets (budget participatif)",
                        "Venir à des réunions publiques ou à des ateliers",
                        "Répondre sur papier, à la mairie",
                    ]),
                    min: 0,
                    max: 0,
                    other: false,
                },
            ),
            question(
                2,
                "À quelle fréquence aimeriez-vous être consulté(e) ?",
                "",
                false,
                Kind::Single {
                    options: words(&[
                        "Chaque mois ou presque",
                        "Quelques fois par an",
                        "Une fois par an",
                        "Seulement pour les grands projets",
                    ]),
                    dropdown: false,
                    other: false,
                },
            ),
            question(
                2,
                "Comment avez-vous entendu parler de la plateforme ?",
                "",
                false,
                Kind::Single {
                    options: words(&[
                        "Le bulletin municipal",
                        "Le site internet de la commune",
                        "Les réseaux sociaux",
                        "Une affiche ou un panneau",
                        "Le bouche-à-oreille",
                        "Une réunion publique",
                    ]),
                    dropdown: false,
                    other: true,
                },
            ),
            question(
                2,
                "Avez-vous déjà participé à une consultation de la commune ?",
                "Une réunion publique, un questionnaire, un registre en mairie…",
                false,
                Kind::Single { options: words(&["Oui", "Non", "Je ne sais pas"]), dropdown: false, other: false },
            ),
            question(
                2,
                "Avez-vous quelque chose à ajouter ?",
                "Une attente, une crainte, une idée pour que la plateforme serve vraiment aux habitants.",
                false,
                Kind::LongText,
            ),
        ],
    }
}

fn quarterly_satisfaction() -> Template {
    Template {
        id: QUARTERLY_SATISFACTION,
        title: "Votre avis sur la participation ce trimestre".into(),
        summary: "Quatre questions pour nous dire si la commune vous associe bien à ses décisions, et quoi améliorer."
            .into(),
        body: "Chaque trimestre, nous posons les mêmes questions pour savoir si la participation progresse. \
               Le questionnaire prend deux minutes."
            .into(),
        audience: Audience::SignedIn,
        questions: vec![
            question(
                1,
                "Êtes-vous satisfait(e) de la façon dont la commune vous associe à ses décisions ?",
                "",
                true,
                Kind::Scale {
                    from: 0,
                    to: 10,
                    low: "Pas du tout satisfait(e)".into(),
                    high: "Tout à fait satisfait(e)".into(),
                },
            ),
            question(
                1,
                "Recommanderiez-vous à un proche de participer sur cette plateforme ?",
                "",
                true,
                Kind::Scale { from: 0, to: 10, low: "Certainement pas".into(), high: "Certainement".into() },
            ),
            question(
                1,
                "Ce trimestre, avez-vous eu le sentiment d'être entendu(e) ?",
                "",
                false,
                Kind::Single {
                    options: words(&[
                        "Oui, tout à fait",
                        "Plutôt oui",
                        "Plutôt non",
                        "Pas du tout",
                        "Je n'ai pas participé ce trimestre",
                    ]),
                    dropdown: false,
                    other: false,
                },
            ),
            question(
                1,
                "Que devrions-nous améliorer en priorité ?",
                "La plateforme, les sujets proposés, les réponses de la mairie…",
                false,
                Kind::LongText,
            ),
        ],
    }
}

/// Staff start a draft from template `template_id`: its texts and
/// questions, editable as any draft, and the template it came from kept
/// beside it. Audited once (not once per question).
pub fn create_from_template(
    tx: &WriteTransaction,
    actor: &Actor,
    template_id: &str,
    now: i64,
) -> Result<ConsultationId, ConsultationError> {
    let t = template(template_id).ok_or(ConsultationError::NotFound)?;
    let id = next_id(tx)?;
    let mut questions = Vec::with_capacity(t.questions.len());
    for (n, q) in t.questions.iter().enumerate() {
        check_question(q).map_err(ConsultationError::BadQuestion)?;
        questions.push(Question { id: n as u32 + 1, ..q.clone() });
    }
    let c = Consultation {
        id,
        title: t.title,
        summary: t.summary,
        body: t.body,
        neighbourhood: None,
        audience: t.audience,
        published: None,
        closed_early_at: None,
        editable: false,
        next_question: questions.len() as u32 + 1,
        questions,
        created_by: actor.account.unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    write(tx, &c)?;
    tx.open_table(CONSULTATION_TEMPLATE_BY_ID)?.insert(id.get(), t.id)?;
    actor.record(
        tx,
        Action::ConsultationChanged,
        None,
        format!("consultation {id}: created from the template {}", t.id),
        now,
    )?;
    Ok(id)
}

/// The template consultation `id` was made from, if any.
pub fn template_of(tx: &impl Tx, id: ConsultationId) -> Result<Option<String>, StoreError> {
    Ok(tx.open(CONSULTATION_TEMPLATE_BY_ID)?.get(id.get())?.map(|v| v.value().to_string()))
}

/// Every consultation made from template `template_id`, oldest first (the
/// success dashboard reads each quarter's satisfaction survey from here).
pub fn made_from(tx: &impl Tx, template_id: &str) -> Result<Vec<ConsultationId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(CONSULTATION_TEMPLATE_BY_ID)?.iter()? {
        let (id, t) = row?;
        if t.value() == template_id {
            out.push(ConsultationId(id.value()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_passes_the_builders_checks() {
        for id in TEMPLATES {
            let t = template(id).unwrap();
            assert_eq!(t.id, id);
            assert!(!t.title.is_empty() && t.title.chars().count() <= MAX_TITLE, "{id}");
            assert!(t.questions.iter().any(|q| !matches!(q.kind, Kind::Info)), "{id} can be published");
            for q in &t.questions {
                assert_eq!(check_question(q), Ok(()), "{id}: {}", q.label);
            }
        }
        assert!(template("autre").is_none());
    }

    #[test]
    fn the_satisfaction_survey_asks_satisfaction_recommendation_improvement_and_being_heard() {
        let t = template(QUARTERLY_SATISFACTION).unwrap();
        let scales = t.questions.iter().filter(|q| matches!(q.kind, Kind::Scale { from: 0, to: 10, .. })).count();
        assert_eq!(scales, 2, "satisfaction and recommendation, 0 to 10");
        assert!(t.questions.iter().any(|q| q.label.contains("améliorer") && q.kind == Kind::LongText));
        assert!(t.questions.iter().any(|q| q.label.contains("entendu")));
    }
}

#[cfg(test)]
mod store_tests {
    use super::*;
    use crate::store::Store;

    #[tokio::test]
    async fn a_draft_from_a_template_has_its_questions_and_remembers_the_template() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
        let (first, q1, q2) = store
            .write(|tx| {
                let actor = Actor::command_line();
                let first = create_from_template(tx, &actor, FIRST_SURVEY, 10)?;
                let q1 = create_from_template(tx, &actor, QUARTERLY_SATISFACTION, 10)?;
                let q2 = create_from_template(tx, &actor, QUARTERLY_SATISFACTION, 20)?;
                Ok::<_, ConsultationError>((first, q1, q2))
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        let c = get(&tx, first).unwrap().unwrap();
        assert_eq!(c.phase(30), Phase::Draft);
        assert_eq!(c.questions.len(), template(FIRST_SURVEY).unwrap().questions.len());
        let ids: Vec<u32> = c.questions.iter().map(|q| q.id).collect();
        assert_eq!(ids, (1..=c.questions.len() as u32).collect::<Vec<_>>());
        assert_eq!(c.next_question, c.questions.len() as u32 + 1);
        assert_eq!(template_of(&tx, first).unwrap().as_deref(), Some(FIRST_SURVEY));
        assert_eq!(made_from(&tx, QUARTERLY_SATISFACTION).unwrap(), vec![q1, q2]);
        drop(tx);
        let unknown = store.write(|tx| create_from_template(tx, &Actor::command_line(), "inconnu", 10)).await;
        assert!(matches!(unknown, Err(ConsultationError::NotFound)));
        assert!(store.verify().unwrap().is_ok());
    }
}
