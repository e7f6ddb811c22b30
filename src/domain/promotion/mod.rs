//! The promotion kit (issue 16): what a town hall with no communication
//! department needs to make a process known. This first slice holds the
//! short addresses staff choose for a process (`/p/velo`), printed on its
//! posters, and what a poster says about a process ([`describe`]).
//!
//! A process has at most one short address, and a name leads to one
//! process: staff may rename it (the old name then leads nowhere) or give a
//! freed name to another process, which is why `/p/<name>` answers with a
//! temporary redirect (see `web::short_links`).

pub mod tables;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::audit::{Action, Actor};
use crate::domain::budgets::ProcessId;
use crate::domain::consultations::ConsultationId;
use crate::domain::ids::{AccountId, BoxId, MeetingId};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

/// The longest name accepted: it is typed from a poster.
pub const MAX_NAME: usize = 40;

/// Names a short address may not take: words of the site's own addresses
/// and of its administration, which a resident could take for a page of
/// the town hall's or of Parvis itself ("/p/admin", "/p/connexion").
pub const RESERVED: &[&str] = &[
    "admin",
    "administration",
    "api",
    "p",
    "compte",
    "connexion",
    "inscription",
    "deconnexion",
    "mot-de-passe",
    "invitation",
    "assets",
    "theme",
    "logo",
    "fichiers",
    "healthz",
    "readyz",
    "robots",
    "open311",
    "recherche",
    "langue",
    "mairie",
    "officiel",
    "parvis",
    "login",
    "logout",
    "www",
    "mail",
    "aide",
    "support",
    "securite",
];

/// What a short address leads to: one of the commune's processes, or the
/// platform's home page.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Platform,
    IdeaBox(BoxId),
    Consultation(ConsultationId),
    Budget(ProcessId),
    Meeting(MeetingId),
}

impl Target {
    /// The kinds, as forms and the index name them.
    pub const KINDS: [&'static str; 5] = ["platform", "idea-box", "consultation", "budget", "meeting"];

    /// (kind code, id): the target index's key, and a form's two fields.
    pub fn key(self) -> (&'static str, u64) {
        match self {
            Target::Platform => ("platform", 0),
            Target::IdeaBox(id) => ("idea-box", id.0),
            Target::Consultation(id) => ("consultation", id.0),
            Target::Budget(id) => ("budget", id.0),
            Target::Meeting(id) => ("meeting", id.0),
        }
    }

    /// The target a form names, `None` for an unknown kind.
    pub fn from_key(kind: &str, id: u64) -> Option<Target> {
        Some(match kind {
            "platform" => Target::Platform,
            "idea-box" => Target::IdeaBox(BoxId(id)),
            "consultation" => Target::Consultation(ConsultationId(id)),
            "budget" => Target::Budget(ProcessId(id)),
            "meeting" => Target::Meeting(MeetingId(id)),
            _ => return None,
        })
    }

    /// Its public page, from the site's root.
    pub fn path(self) -> String {
        match self {
            Target::Platform => "/".to_string(),
            Target::IdeaBox(id) => format!("/idees/{}", id.0),
            Target::Consultation(id) => format!("/consultations/{}", id.0),
            Target::Budget(id) => format!("/budgets/{}", id.0),
            Target::Meeting(id) => format!("/rendez-vous/{}", id.0),
        }
    }
}

/// A short address, as staff chose it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ShortLink {
    pub name: String,
    pub target: Target,
    pub updated_at: i64,
    pub updated_by: Option<AccountId>,
}

impl Record for ShortLink {
    const NAME: &'static str = "short link";
    const VERSION: u8 = 1;
}

#[derive(Debug, thiserror::Error)]
pub enum ShortLinkError {
    #[error("a name is needed")]
    Empty,
    #[error("the name may hold only lower-case letters, digits and inner dashes, at most 40")]
    BadName,
    #[error("this name is reserved")]
    Reserved,
    #[error("another process has this name")]
    Taken,
    #[error("no such process")]
    NoTarget,
    #[error("no such short link")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The name as staff typed it, trimmed and in lower case ("Vélo" stays
/// refused: an accent is hard to type from a poster).
pub fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Checks a name already [`normalise`]d.
pub fn check_name(name: &str) -> Result<(), ShortLinkError> {
    if name.is_empty() {
        return Err(ShortLinkError::Empty);
    }
    let shape = name.len() <= MAX_NAME
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !shape {
        return Err(ShortLinkError::BadName);
    }
    if RESERVED.contains(&name) {
        return Err(ShortLinkError::Reserved);
    }
    Ok(())
}

/// The link named `name`.
pub fn get(tx: &impl Tx, name: &str) -> Result<Option<ShortLink>, StoreError> {
    let table = tx.open(SHORT_LINK_BY_NAME)?;
    let found = table.get(name)?;
    found.map(|b| decode(b.value())).transpose()
}

/// Where `/p/<name>` leads; `None` for a name nobody chose. The name is
/// looked up as typed in lower case, so a poster read aloud still works.
pub fn resolve(tx: &impl Tx, name: &str) -> Result<Option<Target>, StoreError> {
    Ok(get(tx, &normalise(name))?.map(|l| l.target))
}

/// The short name of `target`, if it has one.
pub fn name_of(tx: &impl Tx, target: Target) -> Result<Option<String>, StoreError> {
    let table = tx.open(SHORT_LINK_NAME_BY_TARGET)?;
    let found = table.get(target.key())?;
    Ok(found.map(|n| n.value().to_string()))
}

/// Every link, by name.
pub fn all(tx: &impl Tx) -> Result<Vec<ShortLink>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(SHORT_LINK_BY_NAME)?.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Whether `target` exists (a draft counts: staff print posters before
/// the opening; its page says what a resident may see).
pub fn exists(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    Ok(match target {
        Target::Platform => true,
        Target::IdeaBox(id) => crate::domain::proposals::get_box(tx, id)?.is_some(),
        Target::Consultation(id) => crate::domain::consultations::get(tx, id)?.is_some(),
        Target::Budget(id) => crate::domain::budgets::get(tx, id)?.is_some(),
        Target::Meeting(id) => crate::domain::meetings::get(tx, id)?.is_some(),
    })
}

/// Whether `target`'s public page shows it to everyone: a draft
/// consultation, budget or meeting is seen by staff only, so its share
/// image is theirs too (an idea box is public once created); so is a
/// process private to a pilot group (`groups`), whose title must not leak
/// through its image.
pub fn is_public(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    use crate::domain::groups::{self, Process};
    // The two share their kinds' codes; the platform is no process.
    let (kind, id) = target.key();
    if let Some(process) = Process::from_key(kind, id) {
        if !groups::is_public(tx, process)? {
            return Ok(false);
        }
    }
    Ok(match target {
        Target::Platform => true,
        Target::IdeaBox(id) => crate::domain::proposals::get_box(tx, id)?.is_some(),
        Target::Consultation(id) => crate::domain::consultations::get(tx, id)?.is_some_and(|c| c.published.is_some()),
        Target::Budget(id) => crate::domain::budgets::get(tx, id)?.is_some_and(|b| b.is_public()),
        Target::Meeting(id) => crate::domain::meetings::get(tx, id)?.is_some_and(|m| m.is_public()),
    })
}

/// The one place that writes the two tables, in step: removes `old`'s
/// rows, then writes `new`'s.
fn write(tx: &WriteTransaction, old: Option<&ShortLink>, new: Option<&ShortLink>) -> Result<(), StoreError> {
    let mut by_name = tx.open_table(SHORT_LINK_BY_NAME)?;
    let mut by_target = tx.open_table(SHORT_LINK_NAME_BY_TARGET)?;
    if let Some(old) = old {
        by_name.remove(old.name.as_str())?;
        by_target.remove(old.target.key())?;
    }
    if let Some(new) = new {
        by_name.insert(new.name.as_str(), encode(new)?.as_slice())?;
        by_target.insert(new.target.key(), new.name.as_str())?;
    }
    Ok(())
}

/// Staff give `target` the short address `name`: a new one, or a new name
/// for its address (the old name is freed: posters printed with it lead
/// nowhere, which the staff page says). Refused when another process has
/// the name. Audited. Returns the name as stored.
pub fn set(
    tx: &WriteTransaction,
    actor: &Actor,
    target: Target,
    name: &str,
    now: i64,
) -> Result<String, ShortLinkError> {
    let name = normalise(name);
    check_name(&name)?;
    if !exists(tx, target)? {
        return Err(ShortLinkError::NoTarget);
    }
    let holder = get(tx, &name)?;
    if let Some(holder) = &holder {
        if holder.target != target {
            return Err(ShortLinkError::Taken);
        }
    }
    let previous = match name_of(tx, target)? {
        Some(old) => get(tx, &old)?,
        None => None,
    };
    let link = ShortLink { name: name.clone(), target, updated_at: now, updated_by: actor.account };
    write(tx, previous.as_ref(), Some(&link))?;
    let (kind, id) = target.key();
    let detail = match &previous {
        Some(p) if p.name != name => format!("short link /p/{} renamed /p/{name} ({kind} {id})", p.name),
        _ => format!("short link /p/{name} set ({kind} {id})"),
    };
    actor.record(tx, Action::ShortLinkChanged, None, detail, now)?;
    Ok(name)
}

/// Staff remove the short address `name`. Audited.
pub fn remove(tx: &WriteTransaction, actor: &Actor, name: &str, now: i64) -> Result<(), ShortLinkError> {
    let link = get(tx, &normalise(name))?.ok_or(ShortLinkError::NotFound)?;
    write(tx, Some(&link), None)?;
    let (kind, id) = link.target.key();
    actor.record(
        tx,
        Action::ShortLinkChanged,
        None,
        format!("short link /p/{} removed ({kind} {id})", link.name),
        now,
    )?;
    Ok(())
}

/// What a poster says about a process: its title, one sentence, and its
/// dates (Unix seconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Described {
    pub title: String,
    /// One sentence of its description, in plain text; may be empty.
    pub sentence: String,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// The longest sentence a poster prints, in characters.
const MAX_SENTENCE: usize = 220;

/// `target` as a poster shows it; `None` for the platform (its words come
/// from the translations) and for a process that does not exist.
pub fn describe(tx: &impl Tx, target: Target) -> Result<Option<Described>, StoreError> {
    let described = |title: &str, text: &str, from, until| Described {
        title: title.to_string(),
        sentence: first_sentence(&crate::markdown::plain(text)),
        from,
        until,
    };
    Ok(match target {
        Target::Platform => None,
        Target::IdeaBox(id) => crate::domain::proposals::get_box(tx, id)?
            .map(|b| described(&b.title, &b.description, Some(b.opens_at), Some(b.closes_at))),
        Target::Consultation(id) => crate::domain::consultations::get(tx, id)?.map(|c| {
            let text = if c.summary.trim().is_empty() { &c.body } else { &c.summary };
            let (from, until) = c.published.as_ref().map(|d| (Some(d.opens_at), Some(d.closes_at))).unwrap_or_default();
            described(&c.title, text, from, until)
        }),
        // From the opening of the submission of projects to the results.
        Target::Budget(id) => crate::domain::budgets::get(tx, id)?
            .map(|b| described(&b.title, &b.description, Some(b.starts[0]), Some(b.starts[3]))),
        Target::Meeting(id) => crate::domain::meetings::get(tx, id)?
            .map(|m| described(&m.title, &m.agenda, Some(m.starts_at), Some(m.ends_at))),
    })
}

/// The first sentence of `text` (up to its first `.`, `!` or `?` followed
/// by a space or the end), cut at a word under [`MAX_SENTENCE`] characters.
pub fn first_sentence(text: &str) -> String {
    // `markdown::plain` ends every inline span with a space ("**la
    // commune**." gives "la commune ."): none stays before a full stop or
    // a comma.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ").replace(" .", ".").replace(" ,", ",");
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|(_, next)| *next == ' ') {
            end = i + c.len_utf8();
            break;
        }
    }
    let sentence = &text[..end];
    if sentence.chars().count() <= MAX_SENTENCE {
        return sentence.to_string();
    }
    let mut out = String::new();
    for word in sentence.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > MAX_SENTENCE {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests;
