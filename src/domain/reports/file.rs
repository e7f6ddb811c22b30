//! `file`: a resident or a visitor files a report.

use redb::WriteTransaction;

use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::Notifier;
use crate::i18n::Lang;
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Keyed, WriteTx};

/// The longest name a visitor may give.
pub const MAX_VISITOR_NAME: usize = 60;

/// Who files.
#[derive(Clone, Debug)]
pub enum Filer {
    /// A signed-in resident: the report is public at once.
    Account(AccountId),
    /// Someone without an account: the report waits for the link mailed to
    /// `email` (in `lang`, the language of the form they used).
    Visitor { email: String, name: String, lang: Lang },
    /// Another system through the Open311 API, by its client name: its API
    /// key is the proof, so the report is public and routed at once.
    Open311 { client: String },
}

/// What a resident or a visitor files.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub author: Filer,
    pub category: String,
    /// Degrees.
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub neighbourhood: Option<String>,
    pub description: String,
    /// Stored photo files, already re-encoded.
    pub photos: Vec<String>,
    pub show_name: bool,
    /// Answers to the category's extra questions, by question code, as
    /// typed (checked by [`check_answers`]).
    pub answers: Vec<(String, String)>,
}

/// The longest answer to an extra question, in characters.
pub const MAX_ANSWER: usize = 500;

/// One answer to an extra question of the report's category, with the
/// question's label as it was asked: the configuration may change later,
/// what the resident answered to stays readable.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Answer {
    pub code: String,
    pub label: String,
    pub value: String,
}

/// The answers of one report, in the questions' order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Answers(pub Vec<Answer>);

impl Record for Answers {
    const NAME: &'static str = "problem report answers";
    const VERSION: u8 = 1;
}

/// Why an answer is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question left empty.
    Missing,
    NotANumber,
    /// Not one of a choice's values.
    NotAChoice,
    TooLong,
}

/// Checks the answers `given` (question code, value) to `category`'s
/// questions: a required one answered, a number a number, a choice one of
/// its values. An empty answer to an optional question is no answer; an
/// answer to a question the category does not ask is ignored (an Open311
/// client may send more than asked). The refusals come in the questions'
/// order, each with its question's code.
pub fn check_answers(
    category: &crate::config::Category,
    given: &[(String, String)],
) -> Result<Vec<Answer>, Vec<(String, AnswerProblem)>> {
    use crate::config::QuestionKind;
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    for q in &category.questions {
        let value = given.iter().find(|(code, _)| *code == q.code).map(|(_, v)| v.trim()).unwrap_or_default();
        let problem = if value.is_empty() {
            if q.required {
                Some(AnswerProblem::Missing)
            } else {
                continue;
            }
        } else if value.chars().count() > MAX_ANSWER {
            Some(AnswerProblem::TooLong)
        } else {
            match &q.kind {
                QuestionKind::Text => None,
                // A French decimal comma is a number too.
                QuestionKind::Number => value
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .is_none()
                    .then_some(AnswerProblem::NotANumber),
                QuestionKind::Choice(values) => {
                    (!values.iter().any(|v| v == value)).then_some(AnswerProblem::NotAChoice)
                }
            }
        };
        match problem {
            Some(p) => problems.push((q.code.clone(), p)),
            None => answers.push(Answer { code: q.code.clone(), label: q.label.clone(), value: value.to_string() }),
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// The answers to a report's extra questions (none for most categories).
pub fn answers(tx: &impl crate::store::Tx, id: ReportId) -> Result<Vec<Answer>, StoreError> {
    Ok(crate::store::record::<Answers>(tx, PROBLEM_REPORT_ANSWERS_BY_REPORT, id.get())?
        .map(|a| a.0)
        .unwrap_or_default())
}

/// A filed report, and the service it was (or, once confirmed, will be)
/// sent to.
#[derive(Clone, Debug, PartialEq)]
pub struct Filed {
    pub id: ReportId,
    /// The name of the service the routing mail went to.
    pub service: String,
    /// Filed without an account: nothing is public nor routed until the
    /// mailed link is followed.
    pub awaiting_confirmation: bool,
}

/// How long a report's confirmation link works, and how long an
/// unconfirmed report is kept: three days, as the problem may be gone by
/// then, and a stranger's address typed by someone else must not stay.
pub const CONFIRMATION_LIFETIME_SECS: i64 = 3 * 24 * 3600;

/// Files a report: the place must be inside the commune's bounds and the
/// category one of the configuration's; the report starts in the first
/// configured status. A resident's report is public at once: they follow
/// it, the category's service is mailed a link to it, and the audit log
/// records who filed it. A visitor's waits, unlisted, for the link mailed
/// to them ([`super::confirm`] then publishes and routes it).
pub fn file(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    actor: &Actor,
    new: &NewReport,
    now: i64,
) -> Result<Filed, ReportError> {
    let settings = &config.reports;
    let category = settings.category(&new.category).ok_or(ReportError::UnknownCategory)?;
    // A category always names a declared service (checked at start-up).
    let service = settings.service(&category.service).ok_or(ReportError::UnknownCategory)?;
    if !new.lat.is_finite() || !new.lon.is_finite() || !settings.bounds.contains(new.lat, new.lon) {
        return Err(ReportError::OutsideCommune);
    }
    if let Some(n) = &new.neighbourhood {
        if !config.commune.neighbourhoods.contains(n) {
            return Err(ReportError::UnknownNeighbourhood);
        }
    }
    let description = new.description.trim();
    if description.is_empty() {
        return Err(ReportError::Empty);
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ReportError::TooLong);
    }
    if new.photos.len() > MAX_PHOTOS {
        return Err(ReportError::TooManyPhotos);
    }
    let answers = check_answers(category, &new.answers).map_err(|problems| {
        // `check_answers` refuses with at least one reason; the first is told.
        let (question, problem) = problems.into_iter().next().unwrap_or((String::new(), AnswerProblem::Missing));
        ReportError::BadAnswer { question, problem }
    })?;
    let status = settings.statuses.first().ok_or(ReportError::UnknownStatus)?;
    let visitor = match &new.author {
        Filer::Account(_) | Filer::Open311 { .. } => None,
        Filer::Visitor { email, name, lang } => {
            let email = crate::domain::accounts::normalise_email(email).map_err(|_| ReportError::BadEmail)?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > MAX_VISITOR_NAME {
                return Err(ReportError::BadName);
            }
            Some((email, name.to_string(), *lang))
        }
    };
    let id = next_id(tx)?;
    let author = match (&new.author, &visitor) {
        (Filer::Account(account), _) => Author::Account(*account),
        (Filer::Open311 { client }, _) => Author::Open311 { client: client.clone() },
        (Filer::Visitor { .. }, Some((email, name, _))) => Author::Visitor {
            name: name.clone(),
            email: tx
                .keys()
                .seal_str(&visitor_email_context(id), email)
                .map_err(|source| StoreError::Sealed { what: "report author's address", source })?,
        },
        (Filer::Visitor { .. }, None) => return Err(ReportError::BadEmail),
    };
    let address = new
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(MAX_ADDRESS).collect::<String>());
    // Only an account follows: nobody else has a place to be told.
    let followed = author.account().is_some();
    let report = ProblemReport {
        id,
        category: category.code.clone(),
        lat: to_micro(new.lat),
        lon: to_micro(new.lon),
        address: address.clone(),
        neighbourhood: new.neighbourhood.clone(),
        description: description.to_string(),
        photos: new.photos.clone(),
        author,
        show_name: new.show_name,
        confirmed: visitor.is_none(),
        status: status.code.clone(),
        created_at: now,
        updated_at: now,
        followers: u64::from(followed),
        supports: 0,
    };
    write(tx, None, &report)?;
    // A photo kept from a refused form is the report's now.
    {
        let mut kept = tx.open_table(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE)?;
        for file in &new.photos {
            kept.remove(file.as_str())?;
        }
    }
    if !answers.is_empty() {
        tx.open_table(PROBLEM_REPORT_ANSWERS_BY_REPORT)?.insert(id.get(), encode(&Answers(answers))?.as_slice())?;
    }
    if let Some((email, name, lang)) = visitor {
        let token = super::confirm::issue(tx, id, now + CONFIRMATION_LIFETIME_SECS)?;
        let base = notifier.base_url.trim_end_matches('/');
        outbox::enqueue(
            tx,
            NewMail {
                to: email,
                lang,
                template: Template::ConfirmReport {
                    name,
                    number: id.get(),
                    category: category.name.clone(),
                    link: format!("{base}/signalements/confirmer?jeton={token}"),
                },
            },
        )?;
        return Ok(Filed { id, service: service.name.clone(), awaiting_confirmation: true });
    }
    if let Author::Account(account) = report.author {
        tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.insert((id.get(), account.get()), ())?;
    }
    route(tx, config, notifier, actor, &report, now)?;
    Ok(Filed { id, service: service.name.clone(), awaiting_confirmation: false })
}

/// Sends a public report to its category's service (a mail with a link)
/// and records who filed it: at filing for a resident, at confirmation for
/// a visitor.
pub(super) fn route(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    actor: &Actor,
    report: &ProblemReport,
    now: i64,
) -> Result<(), ReportError> {
    let settings = &config.reports;
    let category = settings.category(&report.category).ok_or(ReportError::UnknownCategory)?;
    let service = settings.service(&category.service).ok_or(ReportError::UnknownCategory)?;
    mail_service(tx, config, notifier, report, category, service)?;
    let id = report.id;
    // Once published (now, for a signed-in resident's report).
    super::alerts::alert(tx, config, report, None, report.author.account(), now)?;
    actor.record(tx, Action::ReportFiled, None, format!("report {id}: {} → {}", category.code, service.code), now)?;
    Ok(())
}

/// Mails `report` to `service` (the one of its `category`), with a link (or
/// queues it for the other system, for a category sent by Open311):
/// at filing, at a visitor's confirmation, and when staff move it to a
/// category of another service.
pub(super) fn mail_service(
    tx: &WriteTransaction,
    config: &Config,
    notifier: &Notifier,
    report: &ProblemReport,
    category: &crate::config::Category,
    service: &crate::config::Service,
) -> Result<(), StoreError> {
    // A category sent to another system by Open311 is queued for it instead.
    if let crate::config::SendMethod::Open311(endpoint) = &category.send {
        return super::send::queue(tx, report, &category.code, endpoint, crate::domain::now_unix());
    }
    let (lat, lon) = report.position();
    let link = format!("{}/signalements/{}", notifier.base_url.trim_end_matches('/'), report.id);
    let place = report.address.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}"));
    // Written with the report, in this same transaction (or earlier).
    let answers = answers(tx, report.id)?;
    outbox::enqueue(
        tx,
        NewMail {
            to: service.email.clone(),
            // The service reads the commune's language.
            lang: config.default_language,
            template: if answers.is_empty() {
                Template::ReportFiled {
                    service: service.name.clone(),
                    number: report.id.get(),
                    category: category.name.clone(),
                    place,
                    description: report.description.clone(),
                    link,
                }
            } else {
                Template::ReportFiledAnswered {
                    service: service.name.clone(),
                    number: report.id.get(),
                    category: category.name.clone(),
                    place,
                    description: report.description.clone(),
                    answers: answers.into_iter().map(|a| (a.label, a.value)).collect(),
                    link,
                }
            },
        },
    )?;
    Ok(())
}

/// Writes a report made by a generator (the demo, benchmarks) with its
/// timeline, its « me too » and their follows, through the same write as
/// every report, so that the indexes and counters hold; no mail, no audit:
/// nobody filed it. `report.id`, `followers` and `supports` are set here.
pub fn save_generated(
    tx: &WriteTransaction,
    mut report: ProblemReport,
    updates: &[Update],
    supporters: &[AccountId],
) -> Result<ReportId, StoreError> {
    let id = next_id(tx)?;
    report.id = id;
    let mut followers: Vec<AccountId> = report.author.account().into_iter().collect();
    followers.extend(supporters.iter().copied().filter(|s| !report.author.is(*s)));
    followers.sort();
    followers.dedup();
    report.followers = followers.len() as u64;
    report.supports = followers.iter().filter(|a| !report.author.is(**a)).count() as u64;
    write(tx, None, &report)?;
    let mut follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
    for account in &followers {
        follows.insert((id.get(), account.get()), ())?;
        if !report.author.is(*account) {
            supports.insert((id.get(), account.get()), report.created_at)?;
        }
    }
    let mut timeline = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    for (seq, update) in updates.iter().enumerate() {
        timeline.insert((id.get(), seq as u64 + 1), encode(update)?.as_slice())?;
    }
    Ok(id)
}

#[cfg(test)]
mod answer_tests {
    use super::*;
    use crate::config::{Category, Question, QuestionKind, SendMethod};

    fn lamp() -> Category {
        let q = |code: &str, kind: QuestionKind, required: bool| Question {
            code: code.into(),
            label: code.to_uppercase(),
            hint: String::new(),
            kind,
            required,
        };
        Category {
            code: "eclairage".into(),
            name: "Éclairage".into(),
            hint: String::new(),
            service: "technique".into(),
            questions: vec![
                q("numero", QuestionKind::Text, false),
                q("hauteur", QuestionKind::Number, false),
                q("etat", QuestionKind::Choice(vec!["éteint".into(), "clignotant".into()]), true),
            ],
            send: SendMethod::Email,
        }
    }

    fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect()
    }

    #[test]
    fn answers_are_checked_in_the_questions_order_and_empty_optional_ones_dropped() {
        let ok =
            check_answers(&lamp(), &given(&[("etat", " éteint "), ("hauteur", "4,5"), ("numero", ""), ("x", "y")]))
                .unwrap();
        let pairs: Vec<(&str, &str, &str)> =
            ok.iter().map(|a| (a.code.as_str(), a.label.as_str(), a.value.as_str())).collect();
        assert_eq!(pairs, [("hauteur", "HAUTEUR", "4,5"), ("etat", "ETAT", "éteint")]);
        let refused = check_answers(&lamp(), &given(&[("hauteur", "haut"), ("numero", &"x".repeat(MAX_ANSWER + 1))]))
            .unwrap_err();
        assert_eq!(
            refused,
            [
                ("numero".to_string(), AnswerProblem::TooLong),
                ("hauteur".to_string(), AnswerProblem::NotANumber),
                ("etat".to_string(), AnswerProblem::Missing),
            ]
        );
        let wrong = check_answers(&lamp(), &given(&[("etat", "cassé"), ("hauteur", "inf")])).unwrap_err();
        assert_eq!(
            wrong,
            [("hauteur".to_string(), AnswerProblem::NotANumber), ("etat".to_string(), AnswerProblem::NotAChoice)]
        );
    }
}
