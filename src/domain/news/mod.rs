//! News: short posts by the town hall's staff (a council decision, works
//! in a street, the next meeting), shown on the home page, listed on
//! `/actualites` and followed by feed readers (Atom). A post is written as
//! a draft, published (it gets its date then), corrected, and withdrawn
//! when it should no longer be read; each step is audited. A post may
//! carry one image (re-encoded like every upload), with the text that
//! stands in for it.

pub mod tables;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::AccountId;
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

pub use crate::domain::ids::NewsId;

/// The longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest summary accepted, in characters (the feed and the cards show it).
pub const MAX_SUMMARY: usize = 500;
/// The longest body accepted, in characters.
pub const MAX_BODY: usize = 50_000;
/// The longest description of an image, in characters: a sentence or two,
/// which a screen reader reads whole.
pub const MAX_ALT: usize = 200;

/// A news post.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Post {
    pub id: NewsId,
    pub title: String,
    /// One or two sentences, for the list, the home page and the feed.
    pub summary: String,
    /// Markdown, written by staff.
    pub body: String,
    /// When it was published; `None` while a draft or once withdrawn.
    pub published_at: Option<i64>,
    pub created_by: AccountId,
    pub created_at: i64,
    /// The last change of its words (a correction), for feed readers.
    pub updated_at: i64,
    /// Its image, shown on its page, in the lists and in the feed.
    pub image: Option<Image>,
}

impl Record for Post {
    const NAME: &'static str = "news post";
    /// 2: `image` (migration 27).
    const VERSION: u8 = 2;
}

/// A news post's image: a re-encoded JPEG in `<data>/files/`, named by
/// its content's hash.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Image {
    pub file: String,
    /// What it shows, for whoever cannot see it; required with an image
    /// (RGAA 1.1: every informative image has a text alternative).
    pub alt: String,
    /// Bytes, for the feed's enclosure.
    pub size: u64,
}

/// What staff write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The image the post has once saved: a new one, the one it had (its
    /// description perhaps changed), or none.
    pub image: Option<Image>,
}

#[derive(Debug, thiserror::Error)]
pub enum NewsError {
    #[error("no such news post")]
    NotFound,
    #[error("a title is needed, of at most 200 characters")]
    BadTitle,
    #[error("a summary is needed, of at most 500 characters")]
    BadSummary,
    #[error("the text is too long")]
    TooLong,
    #[error("an image needs a description, of at most 200 characters")]
    BadAlt,
    #[error("the post is already published")]
    AlreadyPublished,
    #[error("the post is not published")]
    NotPublished,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn checked(d: &Draft) -> Result<Draft, NewsError> {
    let title = d.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(NewsError::BadTitle);
    }
    let summary = d.summary.trim();
    if summary.is_empty() || summary.chars().count() > MAX_SUMMARY {
        return Err(NewsError::BadSummary);
    }
    if d.body.chars().count() > MAX_BODY {
        return Err(NewsError::TooLong);
    }
    let image = match &d.image {
        Some(i) => {
            let alt = i.alt.trim();
            if alt.is_empty() || alt.chars().count() > MAX_ALT {
                return Err(NewsError::BadAlt);
            }
            Some(Image { alt: alt.into(), ..i.clone() })
        }
        None => None,
    };
    Ok(Draft { title: title.into(), summary: summary.into(), body: d.body.trim().into(), image })
}

/// Whether `d` would be saved as it is: the handler asks before it stores
/// an image, so that a refused form leaves no file behind.
pub fn check(d: &Draft) -> Result<(), NewsError> {
    checked(d).map(|_| ())
}

/// Post `id`, draft or published.
pub fn get(tx: &impl Tx, id: NewsId) -> Result<Option<Post>, StoreError> {
    let table = tx.open(NEWS_BY_ID)?;
    let found = table.get(id.get())?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Every post, drafts included, newest first (the staff's list).
pub fn all(tx: &impl Tx) -> Result<Vec<Post>, StoreError> {
    let table = tx.open(NEWS_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The published posts, most recent first, `skip` then at most `limit`:
/// one range read of the date index.
pub fn published(tx: &impl Tx, skip: usize, limit: usize) -> Result<Vec<Post>, StoreError> {
    let index = tx.open(NEWS_ID_BY_PUBLISHED)?;
    let mut out = Vec::with_capacity(limit);
    for row in index.iter()?.rev().skip(skip).take(limit) {
        let (_, id) = row?.0.value();
        if let Some(p) = get(tx, NewsId(id))? {
            out.push(p);
        }
    }
    Ok(out)
}

/// How many posts are published.
pub fn published_count(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(NEWS_ID_BY_PUBLISHED)?.len()?)
}

/// Writes `post` and keeps the date index in step: the one place that does.
fn write(tx: &WriteTransaction, old: Option<&Post>, post: &Post) -> Result<(), StoreError> {
    let mut index = tx.open_table(NEWS_ID_BY_PUBLISHED)?;
    if let Some(at) = old.and_then(|o| o.published_at) {
        index.remove((at, post.id.get()))?;
    }
    if let Some(at) = post.published_at {
        index.insert((at, post.id.get()), ())?;
    }
    tx.open_table(NEWS_BY_ID)?.insert(post.id.get(), encode(post)?.as_slice())?;
    Ok(())
}

fn load(tx: &WriteTransaction, id: NewsId) -> Result<Post, NewsError> {
    get(tx, id)?.ok_or(NewsError::NotFound)
}

fn next_id(tx: &WriteTransaction) -> Result<NewsId, StoreError> {
    let mut counters = tx.open_table(NEWS_COUNTER_BY_NAME)?;
    let id = counters.get("next_news")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_news", id + 1)?;
    Ok(NewsId(id))
}

/// Staff write a new post, as a draft.
pub fn create(tx: &WriteTransaction, actor: &Actor, draft: &Draft, now: i64) -> Result<NewsId, NewsError> {
    let d = checked(draft)?;
    let by = actor.account.ok_or(NewsError::NotFound)?;
    let id = next_id(tx)?;
    let post = Post {
        id,
        title: d.title,
        summary: d.summary,
        body: d.body,
        published_at: None,
        created_by: by,
        created_at: now,
        updated_at: now,
        image: d.image,
    };
    write(tx, None, &post)?;
    actor.record(tx, Action::NewsChanged, None, format!("news {id}: written"), now)?;
    Ok(post.id)
}

/// Staff correct a post, draft or published (it keeps its date; feed
/// readers see it updated). Answers the file of the image the post no
/// longer shows (replaced or removed), for the caller to delete once this
/// write has committed: deleting it before would lose it if the write failed.
pub fn update(
    tx: &WriteTransaction,
    actor: &Actor,
    id: NewsId,
    draft: &Draft,
    now: i64,
) -> Result<Option<String>, NewsError> {
    let d = checked(draft)?;
    let old = load(tx, id)?;
    let post =
        Post { title: d.title, summary: d.summary, body: d.body, image: d.image, updated_at: now, ..old.clone() };
    write(tx, Some(&old), &post)?;
    actor.record(tx, Action::NewsChanged, None, format!("news {id}: corrected"), now)?;
    let kept = post.image.as_ref().map(|i| i.file.as_str());
    let Some(gone) = old.image.map(|i| i.file).filter(|f| Some(f.as_str()) != kept) else {
        return Ok(None);
    };
    // Files are named by their content: another post showing the same
    // picture names the same file, which must stay.
    let shared = all(tx)?.iter().any(|p| p.id != id && p.image.as_ref().is_some_and(|i| i.file == gone));
    Ok((!shared).then_some(gone))
}

/// Staff publish a draft (or a withdrawn post again): dated now.
pub fn publish(tx: &WriteTransaction, actor: &Actor, id: NewsId, now: i64) -> Result<(), NewsError> {
    let old = load(tx, id)?;
    if old.published_at.is_some() {
        return Err(NewsError::AlreadyPublished);
    }
    let post = Post { published_at: Some(now), updated_at: now, ..old.clone() };
    write(tx, Some(&old), &post)?;
    actor.record(tx, Action::NewsChanged, None, format!("news {id}: published"), now)?;
    Ok(())
}

/// Staff withdraw a published post: it leaves the list, the home page and
/// the feed, and is kept as a draft.
pub fn withdraw(tx: &WriteTransaction, actor: &Actor, id: NewsId, now: i64) -> Result<(), NewsError> {
    let old = load(tx, id)?;
    if old.published_at.is_none() {
        return Err(NewsError::NotPublished);
    }
    let post = Post { published_at: None, updated_at: now, ..old.clone() };
    write(tx, Some(&old), &post)?;
    actor.record(tx, Action::NewsChanged, None, format!("news {id}: withdrawn"), now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn draft(title: &str) -> Draft {
        Draft { title: title.into(), summary: "En bref.".into(), body: "Le **texte**.".into(), image: None }
    }

    #[test]
    fn posts_are_listed_once_published_newest_first_and_leave_when_withdrawn() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let actor = Actor::person(AccountId(1), "test");
        let (a, b) = store
            .writer()
            .write_blocking(move |tx| {
                let a = create(tx, &actor, &draft("Travaux rue des Écoles"), 100)?;
                let b = create(tx, &actor, &draft("Conseil municipal du 12"), 110)?;
                publish(tx, &actor, a, 200)?;
                publish(tx, &actor, b, 300)?;
                assert!(matches!(publish(tx, &actor, b, 301), Err(NewsError::AlreadyPublished)));
                Ok::<_, NewsError>((a, b))
            })
            .unwrap();
        let titles = |store: &Store| -> Vec<String> {
            published(&store.read().unwrap(), 0, 10).unwrap().into_iter().map(|p| p.title).collect()
        };
        assert_eq!(titles(&store), ["Conseil municipal du 12", "Travaux rue des Écoles"]);
        assert_eq!(published(&store.read().unwrap(), 1, 10).unwrap()[0].id, a, "skip");
        let actor = Actor::person(AccountId(1), "test");
        store
            .writer()
            .write_blocking(move |tx| {
                update(tx, &actor, a, &draft("Travaux rue des Écoles (dates changées)"), 400)?;
                withdraw(tx, &actor, b, 500)?;
                assert!(matches!(withdraw(tx, &actor, b, 501), Err(NewsError::NotPublished)));
                Ok::<_, NewsError>(())
            })
            .unwrap();
        assert_eq!(titles(&store), ["Travaux rue des Écoles (dates changées)"]);
        let tx = store.read().unwrap();
        assert_eq!(published_count(&tx).unwrap(), 1);
        let kept = get(&tx, a).unwrap().unwrap();
        assert_eq!((kept.published_at, kept.updated_at), (Some(200), 400), "a correction keeps the date");
        assert_eq!(all(&tx).unwrap().len(), 2, "staff still see the withdrawn one");
    }

    #[test]
    fn a_post_needs_a_title_and_a_summary() {
        for (d, expected) in [
            (Draft { title: " ".into(), ..draft("x") }, "BadTitle"),
            (Draft { title: "t".repeat(MAX_TITLE + 1), ..draft("x") }, "BadTitle"),
            (Draft { summary: String::new(), ..draft("x") }, "BadSummary"),
            (Draft { body: "b".repeat(MAX_BODY + 1), ..draft("x") }, "TooLong"),
            (Draft { image: Some(image(" ")), ..draft("x") }, "BadAlt"),
            (Draft { image: Some(image(&"a".repeat(MAX_ALT + 1))), ..draft("x") }, "BadAlt"),
        ] {
            assert_eq!(format!("{:?}", checked(&d).unwrap_err()), expected);
        }
        assert_eq!(checked(&draft("  Titre  ")).unwrap().title, "Titre");
        let with_image = checked(&Draft { image: Some(image("  Le parc  ")), ..draft("x") }).unwrap();
        assert_eq!(with_image.image.map(|i| i.alt), Some("Le parc".to_string()));
    }

    fn image(alt: &str) -> Image {
        Image { file: "ab".repeat(32) + ".jpg", alt: alt.into(), size: 10 }
    }
}
