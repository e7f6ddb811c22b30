//! The commune's own pages (`/pages/<slug>`): the participation charter,
//! how the platform works, a FAQ, or any page an admin writes, each in the
//! main navigation when asked. Three ship with a text the commune adapts
//! ([`SHIPPED`]): until an admin saves one, its page shows the shipped text.

pub mod tables;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::AccountId;
use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

/// The longest title accepted, in characters.
pub const MAX_TITLE: usize = 120;
/// The longest text accepted, in characters.
pub const MAX_BODY: usize = 100_000;
/// The longest address (`/pages/<slug>`) accepted.
pub const MAX_SLUG: usize = 60;

/// A page as an admin wrote it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Page {
    /// Its address: `/pages/<slug>`.
    pub slug: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Shown in the main navigation, after the site's own entries.
    pub in_nav: bool,
    pub updated_at: i64,
    /// `None` for a shipped page nobody saved yet.
    pub updated_by: Option<AccountId>,
}

impl Record for Page {
    const NAME: &'static str = "page";
    const VERSION: u8 = 1;
}

/// What an admin writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageDraft {
    pub title: String,
    pub body: String,
    pub in_nav: bool,
}

/// The pages Parvis ships, in French (the commune's language; it adapts
/// them): slug, title, text.
pub const SHIPPED: &[(&str, &str, &str)] = &[
    (
        "charte",
        "Charte de participation",
        "Ce site est un espace d'échange entre les habitants et la mairie. En y participant, chacun s'engage à :\n\n\
- **respecter les personnes** : pas d'insulte, de moquerie ni d'attaque personnelle ;\n\
- **rester sur le sujet** : les contributions portent sur la vie de la commune ;\n\
- **ne pas publier de données personnelles** d'autrui (nom, adresse, téléphone) ;\n\
- **accepter la modération** : la mairie peut masquer une contribution contraire à cette charte, en disant pourquoi.\n\n\
La mairie s'engage à **répondre à chaque contribution** et à expliquer ce qu'elle décide, y compris quand elle ne retient pas une idée.",
    ),
    (
        "fonctionnement",
        "Comment ça marche ?",
        "## Donner son avis\nLes **consultations** posent des questions sur un projet de la commune ; une fois closes, la mairie publie les résultats et ce qu'elle a décidé.\n\n\
## Proposer une idée\nDans les **boîtes à idées**, chacun propose et soutient des idées ; la mairie répond à chacune.\n\n\
## Signaler un problème\nUn lampadaire en panne, un trou dans la chaussée : le **signalement** va au service concerné, et vous suivez sa résolution.\n\n\
## Créer un compte\nUn compte permet de soutenir, de commenter et de suivre ce qui vous intéresse. Votre quartier et votre tranche d'âge sont facultatifs : ils servent seulement à savoir si tous les habitants sont entendus.",
    ),
    (
        "questions",
        "Questions fréquentes",
        "## Faut-il un compte ?\nNon pour lire, signaler un problème ou répondre à certaines consultations ; oui pour soutenir une idée ou commenter.\n\n\
## Qui lit mes contributions ?\nLes habitants (sauf vos coordonnées) et les agents de la mairie chargés de répondre.\n\n\
## Combien de temps mes données sont-elles gardées ?\nVoir la page « Données personnelles », en bas de chaque page.\n\n\
## Je n'ai pas Internet : comment participer ?\nLes questionnaires des consultations existent sur papier à l'accueil de la mairie ; vos réponses comptent comme les autres.",
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("no such page")]
    NotFound,
    #[error("a page has this address already")]
    Taken,
    #[error("the address may hold only lower-case letters, digits and dashes (at most 60)")]
    BadSlug,
    #[error("a title is needed, of at most 120 characters")]
    BadTitle,
    #[error("the text is too long")]
    TooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether `slug` can be a page's address: `a-z`, `0-9` and inner dashes.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn shipped(slug: &str) -> Option<Page> {
    SHIPPED.iter().find(|(s, _, _)| *s == slug).map(|(slug, title, body)| Page {
        slug: slug.to_string(),
        title: title.to_string(),
        body: body.to_string(),
        in_nav: false,
        updated_at: 0,
        updated_by: None,
    })
}

/// Page `slug`: as saved, else the shipped text, else `None`.
pub fn get(tx: &impl Tx, slug: &str) -> Result<Option<Page>, StoreError> {
    let table = tx.open(PAGE_BY_SLUG)?;
    let found = table.get(slug)?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(shipped(slug)),
    }
}

/// Every page, saved or shipped, by address.
pub fn all(tx: &impl Tx) -> Result<Vec<Page>, StoreError> {
    let mut out: Vec<Page> = Vec::new();
    for row in tx.open(PAGE_BY_SLUG)?.iter()? {
        out.push(decode(row?.1.value())?);
    }
    for (slug, _, _) in SHIPPED {
        if !out.iter().any(|p| p.slug == *slug) {
            out.extend(shipped(slug));
        }
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(out)
}

/// The pages of the main navigation, by title: (slug, title).
pub fn in_nav(tx: &impl Tx) -> Result<Vec<(String, String)>, StoreError> {
    let mut out: Vec<(String, String)> = all(tx)?.into_iter().filter(|p| p.in_nav).map(|p| (p.slug, p.title)).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// The one place that writes the table.
fn write(tx: &WriteTransaction, page: &Page) -> Result<(), StoreError> {
    tx.open_table(PAGE_BY_SLUG)?.insert(page.slug.as_str(), encode(page)?.as_slice())?;
    Ok(())
}

fn delete(tx: &WriteTransaction, slug: &str) -> Result<bool, StoreError> {
    Ok(tx.open_table(PAGE_BY_SLUG)?.remove(slug)?.is_some())
}

/// An admin writes a new page at `slug`: refused when a page has that
/// address already (saved, or shipped: that one is changed instead).
pub fn create(tx: &WriteTransaction, actor: &Actor, slug: &str, draft: &PageDraft, now: i64) -> Result<(), PageError> {
    if get(tx, slug)?.is_some() {
        return Err(PageError::Taken);
    }
    save(tx, actor, slug, draft, now)
}

/// An admin changes page `slug`, saved or shipped.
pub fn update(tx: &WriteTransaction, actor: &Actor, slug: &str, draft: &PageDraft, now: i64) -> Result<(), PageError> {
    if get(tx, slug)?.is_none() {
        return Err(PageError::NotFound);
    }
    save(tx, actor, slug, draft, now)
}

/// Checks and writes page `slug`, audited.
fn save(tx: &WriteTransaction, actor: &Actor, slug: &str, draft: &PageDraft, now: i64) -> Result<(), PageError> {
    if !valid_slug(slug) {
        return Err(PageError::BadSlug);
    }
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(PageError::BadTitle);
    }
    if draft.body.chars().count() > MAX_BODY {
        return Err(PageError::TooLong);
    }
    let page = Page {
        slug: slug.to_string(),
        title: title.to_string(),
        body: draft.body.trim().to_string(),
        in_nav: draft.in_nav,
        updated_at: now,
        updated_by: actor.account,
    };
    write(tx, &page)?;
    actor.record(tx, Action::PageChanged, None, format!("page {slug}: saved"), now)?;
    Ok(())
}

/// An admin deletes page `slug`; a shipped page goes back to its shipped text.
pub fn remove(tx: &WriteTransaction, actor: &Actor, slug: &str, now: i64) -> Result<(), PageError> {
    if !delete(tx, slug)? {
        return Err(PageError::NotFound);
    }
    actor.record(tx, Action::PageChanged, None, format!("page {slug}: deleted"), now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn slugs_are_plain_addresses() {
        for ok in ["charte", "faq-2027", "a"] {
            assert!(valid_slug(ok), "{ok}");
        }
        for bad in ["", "Charte", "-x", "x-", "é", "a/b", "a b", &"x".repeat(MAX_SLUG + 1)] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn a_shipped_page_shows_until_saved_and_comes_back_when_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let shipped_title = get(&store.read().unwrap(), "charte").unwrap().unwrap().title;
        assert_eq!(shipped_title, "Charte de participation");
        assert!(get(&store.read().unwrap(), "inconnue").unwrap().is_none());
        let actor = Actor::person(AccountId(1), "test");
        store
            .writer()
            .write_blocking(move |tx| {
                let ours = PageDraft { title: "Notre charte".into(), body: "Soyons polis.".into(), in_nav: true };
                update(tx, &actor, "charte", &ours, 10)?;
                let faq = PageDraft { title: "Accès PMR".into(), body: "…".into(), in_nav: true };
                create(tx, &actor, "acces", &faq, 11)?;
                assert!(matches!(create(tx, &actor, "acces", &faq, 11), Err(PageError::Taken)));
                assert!(matches!(create(tx, &actor, "charte", &faq, 11), Err(PageError::Taken)), "shipped");
                assert!(matches!(update(tx, &actor, "inconnue", &faq, 11), Err(PageError::NotFound)));
                assert!(matches!(create(tx, &actor, "Mauvaise adresse", &faq, 12), Err(PageError::BadSlug)));
                assert!(matches!(
                    create(tx, &actor, "x", &PageDraft { title: " ".into(), ..faq.clone() }, 12),
                    Err(PageError::BadTitle)
                ));
                Ok::<_, PageError>(())
            })
            .unwrap();
        let tx = store.read().unwrap();
        assert_eq!(get(&tx, "charte").unwrap().unwrap().title, "Notre charte");
        assert_eq!(
            in_nav(&tx).unwrap(),
            [("acces".to_string(), "Accès PMR".to_string()), ("charte".to_string(), "Notre charte".to_string())]
        );
        assert_eq!(all(&tx).unwrap().len(), 4, "three shipped, one more");
        drop(tx);
        let actor = Actor::person(AccountId(1), "test");
        store.writer().write_blocking(move |tx| remove(tx, &actor, "charte", 20)).unwrap();
        let tx = store.read().unwrap();
        assert_eq!(get(&tx, "charte").unwrap().unwrap().title, "Charte de participation");
        assert_eq!(in_nav(&tx).unwrap().len(), 1);
    }
}
