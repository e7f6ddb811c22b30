//! Projects: written by staff (or imported from a proposal of an idea box,
//! keeping the link), then studied by the services. Only a project found
//! feasible is on the ballot, at the cost the study estimated.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::domain::ids::ProposalId;
use crate::store::decode;

/// What the services concluded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Study {
    /// Not studied yet.
    Pending,
    /// Feasible at this cost (euro cents), which is the cost on the ballot.
    Feasible { cost_cents: u64 },
    /// Not feasible, with the reason published to the author and everyone.
    NotFeasible { reason: String },
}

/// A photo of a project: its file under `<data>/files/` (re-encoded,
/// named by content hash: `crate::photos`) and the text that says what it
/// shows, for those who do not see it (required: RGAA criterion 1.1).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProjectPhoto {
    pub file: String,
    pub alt: String,
}

/// The most photos a project shows: its page stays light on a phone.
pub const MAX_PHOTOS: usize = 6;

/// A project of a process.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Project {
    pub process: ProcessId,
    /// From 1 within the process: the tie rule's last resort.
    pub number: u64,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// The cost the proposer or staff gave, in euro cents.
    pub proposed_cost_cents: u64,
    /// The pot it draws on (an index into `Process::pots`).
    pub pot: usize,
    /// Where it is, when it is in one neighbourhood (the "one project per
    /// neighbourhood" rule reads this).
    pub neighbourhood: Option<String>,
    pub category: String,
    pub coords: Option<(f64, f64)>,
    /// Its photos, the first one the thumbnail of the process's page.
    pub photos: Vec<ProjectPhoto>,
    pub study: Study,
    /// The proposal it came from, when imported from an idea box.
    pub from_proposal: Option<ProposalId>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Record for Project {
    const NAME: &'static str = "budget project";
    // 2: each photo has its text alternative (schema step 34 wrote every
    // version 1 record again).
    const VERSION: u8 = 2;
}

impl Project {
    /// The cost on the ballot, when the project is on it.
    pub fn ballot_cost(&self) -> Option<u64> {
        match self.study {
            Study::Feasible { cost_cents } => Some(cost_cents),
            Study::Pending | Study::NotFeasible { .. } => None,
        }
    }
}

/// What staff write about a project.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectDetails {
    pub title: String,
    pub description: String,
    pub proposed_cost_cents: u64,
    pub pot: usize,
    pub neighbourhood: Option<String>,
    pub category: String,
    pub coords: Option<(f64, f64)>,
}

pub fn project(tx: &impl Tx, process: ProcessId, number: u64) -> Result<Option<Project>, StoreError> {
    let table = tx.open(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
    let found = table.get((process.get(), number))?;
    found.map(|b| decode(b.value())).transpose()
}

/// A process's projects, by number.
pub fn projects(tx: &impl Tx, process: ProcessId) -> Result<Vec<Project>, StoreError> {
    let table = tx.open(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
    let mut all = Vec::new();
    for row in table.range((process.get(), 0)..=(process.get(), u64::MAX))? {
        all.push(decode(row?.1.value())?);
    }
    Ok(all)
}

fn checked(p: &Process, d: &ProjectDetails, neighbourhoods: &[String]) -> Result<ProjectDetails, BudgetError> {
    let title = d.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(BudgetError::BadTitle);
    }
    if d.description.chars().count() > MAX_TEXT || d.category.chars().count() > MAX_TITLE {
        return Err(BudgetError::TooLong);
    }
    if d.proposed_cost_cents > MAX_CENTS {
        return Err(BudgetError::BadAmount);
    }
    if d.pot >= p.pots.len() {
        return Err(BudgetError::BadPots);
    }
    if d.neighbourhood.as_ref().is_some_and(|n| !neighbourhoods.contains(n)) {
        return Err(BudgetError::UnknownNeighbourhood);
    }
    Ok(ProjectDetails {
        title: title.to_string(),
        description: d.description.trim().to_string(),
        category: d.category.trim().to_string(),
        // A neighbourhood pot's project is in that neighbourhood.
        neighbourhood: p.pots[d.pot].neighbourhood.clone().or_else(|| d.neighbourhood.clone()),
        ..d.clone()
    })
}

fn write_project(tx: &WriteTransaction, p: &Project) -> Result<(), StoreError> {
    let mut table = tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
    table.insert((p.process.get(), p.number), encode(p)?.as_slice())?;
    Ok(())
}

/// Staff add a project, unstudied. Refused once the vote opened: the
/// ballot people vote on does not change under them.
pub fn add_project(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ProcessId,
    details: &ProjectDetails,
    now: i64,
) -> Result<u64, BudgetError> {
    add(tx, neighbourhoods, actor, id, details, None, now)
}

fn add(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ProcessId,
    details: &ProjectDetails,
    from_proposal: Option<ProposalId>,
    now: i64,
) -> Result<u64, BudgetError> {
    let mut p = load(tx, id)?;
    if p.phase(now) >= Phase::Vote {
        return Err(BudgetError::Frozen);
    }
    if p.next_project > MAX_PROJECTS {
        return Err(BudgetError::TooManyProjects);
    }
    let d = checked(&p, details, neighbourhoods)?;
    let number = p.next_project;
    p.next_project += 1;
    p.updated_at = now;
    write(tx, &p)?;
    write_project(
        tx,
        &Project {
            process: id,
            number,
            title: d.title,
            description: d.description,
            proposed_cost_cents: d.proposed_cost_cents,
            pot: d.pot,
            neighbourhood: d.neighbourhood,
            category: d.category,
            coords: d.coords,
            photos: Vec::new(),
            study: Study::Pending,
            from_proposal,
            created_at: now,
            updated_at: now,
        },
    )?;
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: project {number} added"), now)?;
    Ok(number)
}

/// Staff correct what they wrote about a project (its title, text, cost,
/// category, place and pot). Refused once the vote opened, like adding one:
/// the ballot people vote on does not change under them. The study stays as
/// it was: its cost is the services' word, changed through `set_study`.
pub fn update_project(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ProcessId,
    number: u64,
    details: &ProjectDetails,
    now: i64,
) -> Result<(), BudgetError> {
    let p = load(tx, id)?;
    if p.phase(now) >= Phase::Vote {
        return Err(BudgetError::Frozen);
    }
    let mut project = project(tx, id, number)?.ok_or(BudgetError::ProjectNotFound)?;
    let d = checked(&p, details, neighbourhoods)?;
    project.title = d.title;
    project.description = d.description;
    project.proposed_cost_cents = d.proposed_cost_cents;
    project.pot = d.pot;
    project.neighbourhood = d.neighbourhood;
    project.category = d.category;
    project.coords = d.coords;
    project.updated_at = now;
    write_project(tx, &project)?;
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: project {number} edited"), now)?;
    Ok(())
}

/// Staff set a project's photos (added, replaced, described or removed), at
/// any phase: a photo does not change what people vote on. Returns the files
/// no longer used, which the caller deletes once the write is committed (a
/// rolled back write must not lose a file still named).
pub fn set_photos(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    photos: Vec<ProjectPhoto>,
    now: i64,
) -> Result<Vec<String>, BudgetError> {
    load(tx, id)?;
    let mut project = project(tx, id, number)?.ok_or(BudgetError::ProjectNotFound)?;
    if photos.len() > MAX_PHOTOS {
        return Err(BudgetError::TooManyPhotos);
    }
    let mut checked = Vec::with_capacity(photos.len());
    for photo in photos {
        let alt = photo.alt.trim();
        if alt.is_empty() {
            return Err(BudgetError::NoAlt);
        }
        if alt.chars().count() > MAX_TITLE {
            return Err(BudgetError::TooLong);
        }
        checked.push(ProjectPhoto { file: photo.file, alt: alt.to_string() });
    }
    let forgotten: Vec<String> =
        project.photos.iter().map(|p| p.file.clone()).filter(|f| !checked.iter().any(|p| &p.file == f)).collect();
    project.photos = checked;
    project.updated_at = now;
    write_project(tx, &project)?;
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: project {number} photos set"), now)?;
    // Read after the write, so that this project's new list counts.
    Ok(unnamed_files(tx, forgotten)?)
}

/// One change of a project's photos, as staff make it on its photos page.
/// Each names a photo by its file, not its place, so that a change sent
/// after another person's acts on the photo its sender saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoChange {
    /// A photo added, last.
    Add(ProjectPhoto),
    /// The photo `old` described again and, when `file` differs, its
    /// picture replaced.
    Replace {
        old: String,
        photo: ProjectPhoto,
    },
    /// The photo moved one place up (towards the first) or down; at an
    /// end, nothing moves.
    Move {
        file: String,
        up: bool,
    },
    Remove {
        file: String,
    },
}

/// Why a change of the photos is refused before the list is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoClash {
    /// The picture is already one of the project's photos (files are named
    /// by their content: it would be the same file twice).
    AlreadyThere,
}

impl PhotoChange {
    /// The list `photos` with this change made; `Ok(Err)` when the change
    /// clashes with the list, `Err(ProjectNotFound)` when its photo is not
    /// in it (gone since the page was shown).
    fn apply(self, photos: &mut Vec<ProjectPhoto>) -> Result<Result<(), PhotoClash>, BudgetError> {
        let place = |photos: &[ProjectPhoto], file: &str| {
            photos.iter().position(|p| p.file == file).ok_or(BudgetError::ProjectNotFound)
        };
        match self {
            PhotoChange::Add(photo) => {
                if photos.iter().any(|p| p.file == photo.file) {
                    return Ok(Err(PhotoClash::AlreadyThere));
                }
                photos.push(photo);
            }
            PhotoChange::Replace { old, photo } => {
                let i = place(photos, &old)?;
                if photos.iter().enumerate().any(|(j, p)| j != i && p.file == photo.file) {
                    return Ok(Err(PhotoClash::AlreadyThere));
                }
                photos[i] = photo;
            }
            PhotoChange::Move { file, up } => {
                let i = place(photos, &file)?;
                match (up, i) {
                    (true, 0) => {}
                    (true, i) => photos.swap(i, i - 1),
                    (false, i) if i + 1 < photos.len() => photos.swap(i, i + 1),
                    (false, _) => {}
                }
            }
            PhotoChange::Remove { file } => {
                let i = place(photos, &file)?;
                photos.remove(i);
            }
        }
        Ok(Ok(()))
    }
}

/// Makes `change` to project `number`'s photos, on the list read in this
/// write, through [`set_photos`] (its checks, its audit line): the files no
/// longer named by anything, to delete after the commit, or the clash.
pub fn change_photos(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    change: PhotoChange,
    now: i64,
) -> Result<Result<Vec<String>, PhotoClash>, BudgetError> {
    let mut photos = project(tx, id, number)?.ok_or(BudgetError::ProjectNotFound)?.photos;
    if let Err(clash) = change.apply(&mut photos)? {
        return Ok(Err(clash));
    }
    set_photos(tx, actor, id, number, photos, now).map(Ok)
}

/// Whether a budget project (of any process) shows the stored photo `file`.
pub fn names_photo(tx: &impl Tx, file: &str) -> Result<bool, StoreError> {
    for row in tx.open(BUDGET_PROJECT_BY_PROCESS_NUMBER)?.iter()? {
        let project: Project = decode(row?.1.value())?;
        if project.photos.iter().any(|p| p.file == file) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The files of `files` that nothing names: no budget project, proposal,
/// problem report or news post. Files are named by their content, so the
/// same picture sent for two projects (or for a project and a news post) is
/// one file, which must stay while one of them shows it.
pub fn unnamed_files(tx: &impl Tx, files: Vec<String>) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::with_capacity(files.len());
    let posts = if files.is_empty() { Vec::new() } else { crate::domain::news::all(tx)? };
    for file in files {
        let named = names_photo(tx, &file)?
            || crate::domain::proposals::names_photo(tx, &file)?
            || crate::domain::reports::names_photo(tx, &file)?
            || posts.iter().any(|p| p.image.as_ref().is_some_and(|i| i.file == file));
        if !named {
            out.push(file);
        }
    }
    Ok(out)
}

/// Staff import a proposal of an idea box as a project: its title and
/// text, and a link back to it, so that its author and supporters find it.
pub fn import_proposal(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ProcessId,
    proposal: ProposalId,
    pot: usize,
    now: i64,
) -> Result<u64, BudgetError> {
    let found = crate::domain::proposals::get(tx, proposal)?.ok_or(BudgetError::NoSuchProposal)?;
    let details = ProjectDetails {
        title: found.title.chars().take(MAX_TITLE).collect(),
        description: found.body.chars().take(MAX_TEXT).collect(),
        proposed_cost_cents: 0,
        pot,
        neighbourhood: None,
        category: String::new(),
        coords: None,
    };
    add(tx, neighbourhoods, actor, id, &details, Some(proposal), now)
}

/// The services' conclusion on a project. Refused once the vote opened.
pub fn set_study(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    study: Study,
    now: i64,
) -> Result<(), BudgetError> {
    let p = load(tx, id)?;
    if p.phase(now) >= Phase::Vote {
        return Err(BudgetError::Frozen);
    }
    let study = match study {
        Study::Feasible { cost_cents } if cost_cents == 0 || cost_cents > MAX_CENTS => {
            return Err(BudgetError::BadAmount)
        }
        Study::NotFeasible { reason } if reason.trim().is_empty() || reason.chars().count() > MAX_TEXT => {
            return Err(BudgetError::TooLong)
        }
        Study::NotFeasible { reason } => Study::NotFeasible { reason: reason.trim().to_string() },
        other => other,
    };
    let mut project = project(tx, id, number)?.ok_or(BudgetError::ProjectNotFound)?;
    project.study = study;
    project.updated_at = now;
    write_project(tx, &project)?;
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: project {number} studied"), now)?;
    Ok(())
}

#[cfg(test)]
mod photo_tests {
    use super::*;
    use crate::domain::budgets::tests::settings;
    use crate::domain::budgets::{create, Rule, Style};
    use crate::store::Store;

    #[test]
    fn a_change_of_the_photos_names_its_photo_by_file_and_refuses_a_second_copy() {
        let photo = |file: &str| ProjectPhoto { file: file.into(), alt: format!("Vue {file}") };
        let mut photos = vec![photo("a.jpg"), photo("b.jpg")];
        assert!(matches!(PhotoChange::Add(photo("c.jpg")).apply(&mut photos), Ok(Ok(()))));
        assert!(matches!(PhotoChange::Add(photo("a.jpg")).apply(&mut photos), Ok(Err(PhotoClash::AlreadyThere))));
        assert!(
            matches!(PhotoChange::Move { file: "a.jpg".into(), up: true }.apply(&mut photos), Ok(Ok(()))),
            "first: stays"
        );
        assert!(matches!(PhotoChange::Move { file: "c.jpg".into(), up: true }.apply(&mut photos), Ok(Ok(()))));
        let files = |photos: &[ProjectPhoto]| photos.iter().map(|p| p.file.clone()).collect::<Vec<_>>();
        assert_eq!(files(&photos), ["a.jpg", "c.jpg", "b.jpg"]);
        let replaced = PhotoChange::Replace { old: "c.jpg".into(), photo: photo("b.jpg") };
        assert!(matches!(replaced.apply(&mut photos), Ok(Err(PhotoClash::AlreadyThere))), "b.jpg is already the third");
        let described = PhotoChange::Replace {
            old: "c.jpg".into(),
            photo: ProjectPhoto { file: "c.jpg".into(), alt: "Autre".into() },
        };
        assert!(matches!(described.apply(&mut photos), Ok(Ok(()))));
        assert_eq!(photos[1].alt, "Autre");
        assert!(matches!(PhotoChange::Remove { file: "a.jpg".into() }.apply(&mut photos), Ok(Ok(()))));
        assert_eq!(files(&photos), ["c.jpg", "b.jpg"]);
        assert!(matches!(
            PhotoChange::Remove { file: "a.jpg".into() }.apply(&mut photos),
            Err(BudgetError::ProjectNotFound)
        ));
    }

    fn photo(file: &str, alt: &str) -> ProjectPhoto {
        ProjectPhoto { file: file.into(), alt: alt.into() }
    }

    /// A process in its study phase (day 25) with one project.
    async fn setup(store: &Store) -> ProcessId {
        store
            .write(|tx| {
                let actor = Actor::command_line();
                let hoods = ["Centre".to_string(), "Les Vignes".to_string()];
                let id = create(tx, &hoods, &actor, &settings(Style::Basket, Rule::Greedy, false), 1)?;
                let d = ProjectDetails {
                    title: "Bancs".into(),
                    description: String::new(),
                    proposed_cost_cents: 100,
                    pot: 0,
                    neighbourhood: None,
                    category: String::new(),
                    coords: None,
                };
                add_project(tx, &hoods, &actor, id, &d, 2)?;
                Ok::<_, BudgetError>(id)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn photos_need_their_text_and_a_replaced_one_is_handed_back_to_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("b.redb"), 8).unwrap();
        let id = setup(&store).await;
        let set = |photos: Vec<ProjectPhoto>| {
            store.write(move |tx| Ok::<_, StoreError>(set_photos(tx, &Actor::command_line(), id, 1, photos.clone(), 3)))
        };
        let r = set(vec![photo("a.jpg", "  ")]).await.unwrap();
        assert!(matches!(r, Err(BudgetError::NoAlt)), "{r:?}");
        let r = set((0..=MAX_PHOTOS).map(|i| photo(&format!("{i}.jpg"), "Un banc")).collect()).await.unwrap();
        assert!(matches!(r, Err(BudgetError::TooManyPhotos)), "{r:?}");
        let forgotten = set(vec![photo("a.jpg", " Un banc vert "), photo("b.jpg", "Le parc")]).await.unwrap().unwrap();
        assert!(forgotten.is_empty());
        let forgotten =
            set(vec![photo("c.jpg", "Le parc refait"), photo("a.jpg", "Un banc vert")]).await.unwrap().unwrap();
        assert_eq!(forgotten, vec!["b.jpg".to_string()], "b.jpg replaced: its file is the caller's to delete");
        let tx = store.read().unwrap();
        let pr = project(&tx, id, 1).unwrap().unwrap();
        assert_eq!(pr.photos, vec![photo("c.jpg", "Le parc refait"), photo("a.jpg", "Un banc vert")]);
    }

    #[tokio::test]
    async fn a_file_another_project_shows_is_not_handed_back_to_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("b.redb"), 8).unwrap();
        let id = setup(&store).await;
        let second = store
            .write(move |tx| {
                let d = ProjectDetails {
                    title: "Fontaine".into(),
                    description: String::new(),
                    proposed_cost_cents: 100,
                    pot: 0,
                    neighbourhood: None,
                    category: String::new(),
                    coords: None,
                };
                add_project(tx, &["Centre".to_string()], &Actor::command_line(), id, &d, 2)
            })
            .await
            .unwrap();
        let set = |number: u64, photos: Vec<ProjectPhoto>| {
            store.write(move |tx| {
                Ok::<_, StoreError>(set_photos(tx, &Actor::command_line(), id, number, photos.clone(), 3))
            })
        };
        // The same picture for both projects: one file.
        set(1, vec![photo("parc.jpg", "Le parc")]).await.unwrap().unwrap();
        set(second, vec![photo("parc.jpg", "Le parc, côté fontaine")]).await.unwrap().unwrap();
        assert!(names_photo(&store.read().unwrap(), "parc.jpg").unwrap());
        let forgotten = set(1, vec![]).await.unwrap().unwrap();
        assert!(forgotten.is_empty(), "the second project still shows it: {forgotten:?}");
        let forgotten = set(second, vec![]).await.unwrap().unwrap();
        assert_eq!(forgotten, vec!["parc.jpg".to_string()], "now nothing shows it");
        assert!(!names_photo(&store.read().unwrap(), "parc.jpg").unwrap());
    }
}
