//! The commune's own address list, from the Base Adresse Nationale: the admin
//! imports the commune's file (`parvis import-addresses adresses-<INSEE>.csv`),
//! and suggestions while typing, geocoding of a typed address and "the
//! nearest address to this pin" then work with no outside service — no
//! resident's keystrokes or position leave the commune's server.
//!
//! The list is written whole by [`import`] (a newer file replaces it: that is
//! how a commune follows the national list), then only read. Queries read
//! two indexes (see [`tables`]): the words of the street names, by prefix,
//! for [`suggest`] and [`geocode`]; a grid of 0.001° cells for [`nearest`].
//! Each reads a bounded number of rows whatever the size of the list.

pub mod tables;

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::io::Read;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::domain::audit::{Action, Actor};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::{
    ADDRESS_BY_ID, ADDRESS_ID_BY_CELL, ADDRESS_ID_BY_STREET_NUMBER, ADDRESS_LIST_BY_NAME, STREET_BY_ID,
    STREET_ID_BY_WORD,
};

/// One address of the list, or a whole street (then `number` is empty and
/// the position is that of the street's middle address).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Address {
    /// "12", "5 ter"; empty for a place without number (a "lieu-dit") or a street.
    pub number: String,
    pub street: String,
    /// Five digits; empty when the national list gives none.
    pub postcode: String,
    pub commune: String,
    pub lat: f64,
    pub lon: f64,
}

impl Record for Address {
    const NAME: &'static str = "address";
    const VERSION: u8 = 1;
}

impl Address {
    /// As a letter is addressed: "5 ter Rue de l'Église, 69999 Saint-Exemple".
    pub fn label(&self) -> String {
        let mut out = String::with_capacity(self.number.len() + self.street.len() + self.commune.len() + 10);
        if !self.number.is_empty() {
            out.push_str(&self.number);
            out.push(' ');
        }
        out.push_str(&self.street);
        out.push_str(", ");
        if !self.postcode.is_empty() {
            out.push_str(&self.postcode);
            out.push(' ');
        }
        out.push_str(&self.commune);
        out
    }
}

/// A street of the list: a name in one postcode of one commune.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub(crate) struct Street {
    pub name: String,
    pub postcode: String,
    pub commune: String,
    /// The position of its middle address (by number): where a suggestion
    /// of the whole street puts the map.
    pub lat: f64,
    pub lon: f64,
}

impl Record for Street {
    const NAME: &'static str = "street";
    const VERSION: u8 = 1;
}

/// What the last import wrote, under [`LIST_KEY`].
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ListInfo {
    pub addresses: u64,
    pub streets: u64,
    pub imported_at: i64,
    /// The normalised words of the communes' names: what a resident types
    /// after the street ("…, 69999 Saint-Exemple") need not match a street.
    pub commune_words: Vec<String>,
}

impl Record for ListInfo {
    const NAME: &'static str = "address list";
    const VERSION: u8 = 1;
}

pub(crate) const LIST_KEY: &str = "current";

/// What an import wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Imported {
    pub addresses: u64,
    pub streets: u64,
    /// Lines that repeated an address already in the file (same number,
    /// street, postcode and commune): kept once.
    pub duplicates: u64,
}

/// The largest list accepted: the biggest French commune's file holds about
/// 150,000 addresses; a file ten times larger is not a commune's.
pub const MAX_ADDRESSES: usize = 2_000_000;

/// The most suggestions one query gives.
pub const MAX_SUGGESTIONS: usize = 20;

/// What is wrong with one value of the file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("it is empty")]
    Empty,
    #[error("{0:?} is not a house number (a whole number from 0 to 99999)")]
    Number(String),
    #[error("{0:?} is not a postcode (five digits)")]
    Postcode(String),
    #[error("{0:?} is not a latitude (a decimal number from -90 to 90, written with a point)")]
    Latitude(String),
    #[error("{0:?} is not a longitude (a decimal number from -180 to 180, written with a point)")]
    Longitude(String),
    #[error("it is longer than {0} characters")]
    TooLong(usize),
}

/// Why an address list was refused. Nothing is changed by a refused list.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    #[error("the file cannot be read: {0}")]
    Read(String),
    #[error("line {line}: {detail}")]
    Malformed { line: u64, detail: String },
    #[error("the header line has no column \"{column}\": is this the commune's file of the Base Adresse Nationale (adresses-<code INSEE>.csv, columns separated by ';')?")]
    MissingColumn { column: &'static str },
    #[error("line {line}, column \"{column}\": {problem}")]
    Line { line: u64, column: &'static str, problem: Problem },
    #[error("address {index} of the list, {column}: {problem}")]
    Invalid { index: usize, column: &'static str, problem: Problem },
    #[error("the file holds no address")]
    Empty,
    #[error("the file holds more than {max} addresses: is it the file of one commune?")]
    TooMany { max: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(AddressError);

// ---------------------------------------------------------------------------
// Reading the national file

/// One line of a BAN file, by column name (the file has 23 columns; these
/// are the ones an address needs, wherever they are).
#[derive(Deserialize)]
struct BanLine {
    numero: String,
    #[serde(default)]
    rep: String,
    nom_voie: String,
    code_postal: String,
    nom_commune: String,
    lon: String,
    lat: String,
}

const REQUIRED_COLUMNS: [&str; 6] = ["numero", "nom_voie", "code_postal", "nom_commune", "lon", "lat"];

/// The BAN's number for a place without house number (a "lieu-dit").
const NO_NUMBER: u32 = 99_999;

const MAX_STREET: usize = 200;
const MAX_COMMUNE: usize = 100;
const MAX_SUFFIX: usize = 16;

/// Reads a commune's file of the Base Adresse Nationale (`;`-separated,
/// UTF-8, one header line). The first wrong value refuses the whole file,
/// naming its line and column.
pub fn parse(reader: impl Read) -> Result<Vec<Address>, AddressError> {
    let mut csv = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).from_reader(reader);
    let headers = csv.headers().map_err(csv_error)?.clone();
    // A file saved by a spreadsheet may start with a byte-order mark.
    let headers: csv::StringRecord = headers.iter().map(|h| h.trim_start_matches('\u{feff}').trim()).collect();
    for column in REQUIRED_COLUMNS {
        if !headers.iter().any(|h| h == column) {
            return Err(AddressError::MissingColumn { column });
        }
    }
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row: BanLine =
            record.deserialize(Some(&headers)).map_err(|e| AddressError::Malformed { line, detail: e.to_string() })?;
        let address = from_ban(row).map_err(|(column, problem)| AddressError::Line { line, column, problem })?;
        if out.len() == MAX_ADDRESSES {
            return Err(AddressError::TooMany { max: MAX_ADDRESSES });
        }
        out.push(address);
    }
    if out.is_empty() {
        return Err(AddressError::Empty);
    }
    Ok(out)
}

fn csv_error(e: csv::Error) -> AddressError {
    let line = e.position().map(|p| p.line());
    let detail = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} columns where the header line has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8 (the national files are)".to_string(),
        _ => e.to_string(),
    };
    match line {
        Some(line) => AddressError::Malformed { line, detail },
        None => AddressError::Read(detail),
    }
}

fn from_ban(row: BanLine) -> Result<Address, (&'static str, Problem)> {
    let numero = row.numero.trim();
    let n: u32 = numero.parse().map_err(|_| ("numero", Problem::Number(numero.to_string())))?;
    if n > NO_NUMBER {
        return Err(("numero", Problem::Number(numero.to_string())));
    }
    let rep = row.rep.trim();
    if rep.chars().count() > MAX_SUFFIX {
        return Err(("rep", Problem::TooLong(MAX_SUFFIX)));
    }
    let number = match (n, rep) {
        (NO_NUMBER, _) => String::new(),
        (n, "") => n.to_string(),
        (n, rep) => format!("{n} {rep}"),
    };
    let address = Address {
        number,
        street: row.nom_voie.trim().to_string(),
        postcode: row.code_postal.trim().to_string(),
        commune: row.nom_commune.trim().to_string(),
        lat: row.lat.trim().parse().map_err(|_| ("lat", Problem::Latitude(row.lat.trim().to_string())))?,
        lon: row.lon.trim().parse().map_err(|_| ("lon", Problem::Longitude(row.lon.trim().to_string())))?,
    };
    check(&address).map_err(|(column, problem)| {
        // Name the file's column, not the field.
        let column = match column {
            "number" => "numero",
            "street" => "nom_voie",
            "postcode" => "code_postal",
            "commune" => "nom_commune",
            other => other,
        };
        (column, problem)
    })?;
    Ok(address)
}

/// The rules an address of the list follows, wherever it comes from.
fn check(a: &Address) -> Result<(), (&'static str, Problem)> {
    if !a.number.is_empty() {
        let (digits, suffix) = split_number(&a.number);
        if digits.is_empty() || digits.len() > 5 || suffix.chars().count() > MAX_SUFFIX {
            return Err(("number", Problem::Number(a.number.clone())));
        }
    }
    for (column, value, max) in [("street", &a.street, MAX_STREET), ("commune", &a.commune, MAX_COMMUNE)] {
        if value.trim().is_empty() {
            return Err((column, Problem::Empty));
        }
        if value.chars().count() > max {
            return Err((column, Problem::TooLong(max)));
        }
    }
    if !(a.postcode.is_empty() || (a.postcode.len() == 5 && a.postcode.bytes().all(|b| b.is_ascii_digit()))) {
        return Err(("postcode", Problem::Postcode(a.postcode.clone())));
    }
    if !(a.lat.is_finite() && (-90.0..=90.0).contains(&a.lat)) {
        return Err(("lat", Problem::Latitude(a.lat.to_string())));
    }
    if !(a.lon.is_finite() && (-180.0..=180.0).contains(&a.lon)) {
        return Err(("lon", Problem::Longitude(a.lon.to_string())));
    }
    Ok(())
}

/// "5 ter" → ("5", "ter"); "12" → ("12", "").
fn split_number(number: &str) -> (&str, &str) {
    let end = number.find(|c: char| !c.is_ascii_digit()).unwrap_or(number.len());
    (&number[..end], number[end..].trim())
}

/// Where a house number sorts in its street: by number, then suffix (bis
/// before ter), a place without number last.
pub(crate) fn house_key(number: &str) -> (u32, u8, String) {
    let (digits, suffix) = split_number(number);
    let Ok(n) = digits.parse::<u32>() else { return (u32::MAX, 0, String::new()) };
    let suffix = suffix.to_lowercase();
    let rank = match suffix.as_str() {
        "" => 0,
        "bis" => 1,
        "ter" => 2,
        "quater" => 3,
        "quinquies" => 4,
        _ => 5,
    };
    (n, rank, suffix)
}

// ---------------------------------------------------------------------------
// Writing the list

/// Replaces the whole address list with `addresses`, in the caller's
/// transaction, with its audit event. A list that breaks a rule is refused
/// before anything is written; an empty one too (it would erase the list).
pub fn import(tx: &WriteTransaction, actor: &Actor, addresses: &[Address], now: i64) -> Result<Imported, AddressError> {
    if addresses.is_empty() {
        return Err(AddressError::Empty);
    }
    if addresses.len() > MAX_ADDRESSES {
        return Err(AddressError::TooMany { max: MAX_ADDRESSES });
    }
    for (i, a) in addresses.iter().enumerate() {
        check(a).map_err(|(column, problem)| AddressError::Invalid { index: i + 1, column, problem })?;
    }
    // Streets in the order of their normalised name, so that the ids the
    // word index holds come out alphabetically; each street's addresses by
    // number, one per number.
    type StreetKey<'a> = (String, &'a str, &'a str, &'a str);
    let mut streets: BTreeMap<StreetKey, BTreeMap<(u32, u8, String), &Address>> = BTreeMap::new();
    let mut duplicates = 0;
    for a in addresses {
        let key = (normalise(&a.street), a.postcode.as_str(), a.commune.as_str(), a.street.as_str());
        let numbers = streets.entry(key).or_default();
        if numbers.insert(house_key(&a.number), a).is_some() {
            duplicates += 1;
        }
    }
    // Emptied and written again in this transaction: if anything below
    // fails, the writer aborts it and the previous list stays whole.
    tx.delete_table(ADDRESS_BY_ID)?;
    tx.delete_table(ADDRESS_ID_BY_STREET_NUMBER)?;
    tx.delete_table(ADDRESS_ID_BY_CELL)?;
    tx.delete_table(STREET_BY_ID)?;
    tx.delete_table(STREET_ID_BY_WORD)?;
    tx.delete_table(ADDRESS_LIST_BY_NAME)?;
    let mut by_id = tx.open_table(ADDRESS_BY_ID)?;
    let mut by_number = tx.open_table(ADDRESS_ID_BY_STREET_NUMBER)?;
    let mut cells = tx.open_table(ADDRESS_ID_BY_CELL)?;
    let mut street_by_id = tx.open_table(STREET_BY_ID)?;
    let mut words = tx.open_table(STREET_ID_BY_WORD)?;
    let mut commune_words = std::collections::BTreeSet::new();
    let (mut next_address, mut next_street) = (1u64, 1u64);
    for ((_, postcode, commune, name), numbers) in &streets {
        let street_id = next_street;
        next_street += 1;
        let list: Vec<&&Address> = numbers.values().collect();
        let Some(middle) = list.get(list.len() / 2) else { continue };
        let street = Street {
            name: name.to_string(),
            postcode: postcode.to_string(),
            commune: commune.to_string(),
            lat: middle.lat,
            lon: middle.lon,
        };
        street_by_id.insert(street_id, encode(&street)?.as_slice())?;
        let indexed = street_words(name);
        let joined = indexed.join(" ");
        for word in &indexed {
            words.insert((word.as_str(), street_id), (joined.as_str(), *postcode))?;
        }
        commune_words.extend(words_of(commune));
        for ((n, _, _), a) in numbers {
            let id = next_address;
            next_address += 1;
            by_id.insert(id, encode(*a)?.as_slice())?;
            by_number.insert((street_id, *n, id), ())?;
            let (row, column) = cell_of(a.lat, a.lon);
            cells.insert((row, column, id), (a.lat, a.lon))?;
        }
    }
    let imported = Imported { addresses: next_address - 1, streets: next_street - 1, duplicates };
    let info = ListInfo {
        addresses: imported.addresses,
        streets: imported.streets,
        imported_at: now,
        commune_words: commune_words.into_iter().collect(),
    };
    tx.open_table(ADDRESS_LIST_BY_NAME)?.insert(LIST_KEY, encode(&info)?.as_slice())?;
    actor.record(
        tx,
        Action::CommandLine,
        None,
        format!("import-addresses: {} addresses, {} streets", imported.addresses, imported.streets),
        now,
    )?;
    Ok(imported)
}

// ---------------------------------------------------------------------------
// Words

/// Words left out of the index and of queries: a resident types "rue de
/// l'église", "rue église" or "église" for the same street.
const STOP_WORDS: &[&str] = &["a", "au", "aux", "d", "de", "des", "du", "et", "l", "la", "le", "les"];

/// The kinds of street: nearly every name has one, so a query is looked up
/// by its other words first (they select far fewer streets).
const STREET_KINDS: &[&str] = &[
    "allee",
    "av",
    "avenue",
    "bd",
    "boulevard",
    "chemin",
    "chaussee",
    "cite",
    "clos",
    "cours",
    "domaine",
    "faubourg",
    "hameau",
    "impasse",
    "lieu",
    "dit",
    "lotissement",
    "montee",
    "passage",
    "place",
    "pl",
    "quai",
    "residence",
    "rond",
    "point",
    "route",
    "rte",
    "rue",
    "ruelle",
    "sentier",
    "square",
    "voie",
];

/// Suffixes of house numbers, as typed after the number ("5 ter", "5ter").
const SUFFIXES: &[&str] = &["bis", "ter", "quater", "quinquies", "a", "b", "c"];

/// Lower case, without accents, ligatures spelled out, every other
/// character than a letter or digit a single space: "Rue de l'Église" →
/// "rue de l eglise". Shared by the index and the queries, so they agree.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase) {
        let spelled: &str = match c {
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                continue;
            }
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(spelled);
    }
    out
}

fn words_of(text: &str) -> Vec<String> {
    normalise(text).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The indexed words of a street name: normalised, without stop words, each
/// once. A name made only of stop words keeps them.
pub(crate) fn street_words(name: &str) -> Vec<String> {
    let all = words_of(name);
    let mut kept: Vec<String> = all.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())).cloned().collect();
    if kept.is_empty() {
        kept = all;
    }
    let mut seen = std::collections::HashSet::new();
    kept.retain(|w| seen.insert(w.clone()));
    kept
}

// ---------------------------------------------------------------------------
// What a resident typed

#[derive(Debug, Clone, PartialEq)]
struct House {
    number: u32,
    suffix: Option<String>,
    /// Typed after the street ("place du 8 mai 1945"): it may be the end of
    /// the street's name rather than a house number.
    trailing: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    /// A word of a commune's name, or a number typed last: it adds to a
    /// street's rank when it matches, and excludes nothing when it does not.
    optional: bool,
    /// What an abbreviation stands for ("bd" → "boulevard"): a street word
    /// equal to it matches too.
    stands_for: Option<&'static str>,
}

impl Word {
    fn matches_prefix(&self, street_word: &str) -> bool {
        street_word.starts_with(self.text.as_str()) || self.stands_for == Some(street_word)
    }

    fn matches_whole(&self, street_word: &str) -> bool {
        street_word == self.text || self.stands_for == Some(street_word)
    }
}

/// Abbreviations of the postal norm and of street signs, as residents type
/// them: "12 bd victor hugo", "rue st jean". Those that are the beginning of
/// their word already ("av", "all") need none.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("bd", "boulevard"),
    ("bld", "boulevard"),
    ("ch", "chemin"),
    ("che", "chemin"),
    ("chem", "chemin"),
    ("fg", "faubourg"),
    ("imp", "impasse"),
    ("mte", "montee"),
    ("pl", "place"),
    ("pte", "porte"),
    ("r", "rue"),
    ("rte", "route"),
    ("sq", "square"),
    ("st", "saint"),
    ("ste", "sainte"),
];

#[derive(Debug, Clone, Default, PartialEq)]
struct Query {
    house: Option<House>,
    words: Vec<Word>,
    postcode: Option<String>,
}

fn house_number(token: &str) -> Option<u32> {
    // Five digits is a postcode; house numbers have at most four.
    (!token.is_empty() && token.len() <= 4 && token.bytes().all(|b| b.is_ascii_digit()))
        .then(|| token.parse().ok())
        .flatten()
}

fn is_suffix(token: &str) -> bool {
    SUFFIXES.contains(&token)
}

/// The longest text of a query looked at: an address is short.
const MAX_TYPED: usize = 200;

impl Query {
    fn parse(typed: &str, commune_words: &[String]) -> Query {
        let typed: String = typed.chars().take(MAX_TYPED).collect();
        let mut tokens: Vec<String> = Vec::new();
        for token in normalise(&typed).split(' ').filter(|t| !t.is_empty()) {
            // "5ter", "12b": a number and its suffix written together.
            let split = token.find(|c: char| !c.is_ascii_digit()).filter(|&i| i > 0);
            match split {
                Some(i) if is_suffix(&token[i..]) => {
                    tokens.push(token[..i].to_string());
                    tokens.push(token[i..].to_string());
                }
                _ => tokens.push(token.to_string()),
            }
        }
        let mut query = Query::default();
        let (mut start, mut end) = (0, tokens.len());
        if let Some(number) = tokens.first().and_then(|t| house_number(t)) {
            let suffix = tokens.get(1).filter(|t| is_suffix(t)).cloned();
            start = if suffix.is_some() { 2 } else { 1 };
            query.house = Some(House { number, suffix, trailing: false });
        } else if end >= 2 {
            // "église 12", "église 12 bis".
            let (number_at, suffix) = if is_suffix(&tokens[end - 1]) {
                (end.checked_sub(2), Some(tokens[end - 1].clone()))
            } else {
                (Some(end - 1), None)
            };
            if let Some(at) = number_at.filter(|&at| at > 0) {
                if let Some(number) = house_number(&tokens[at]) {
                    query.house = Some(House { number, suffix, trailing: true });
                    end = at;
                }
            }
        }
        for token in &tokens[start..end] {
            if token.len() == 5 && token.bytes().all(|b| b.is_ascii_digit()) {
                query.postcode.get_or_insert_with(|| token.clone());
                continue;
            }
            if STOP_WORDS.contains(&token.as_str()) {
                continue;
            }
            let optional = commune_words.iter().any(|c| c.starts_with(token.as_str()));
            let stands_for = ABBREVIATIONS.iter().find(|(short, _)| short == token).map(|(_, long)| *long);
            query.words.push(Word { text: token.clone(), optional, stands_for });
        }
        if let Some(House { number, trailing: true, .. }) = &query.house {
            query.words.push(Word { text: number.to_string(), optional: true, stands_for: None });
        }
        query
    }
}

// ---------------------------------------------------------------------------
// Suggestions and geocoding

/// A street whose words match the query, with what ranks it.
#[derive(Debug)]
struct Candidate {
    id: u64,
    words: Vec<String>,
    postcode_matches: bool,
    matched: usize,
    exact: usize,
}

/// The most index entries one query reads to find its streets: a query of
/// one short common word ("r") stops there rather than read the whole index.
const MAX_CANDIDATES: usize = 2_000;

/// The most streets whose numbers are looked up for one query.
const MAX_STREETS_LOOKED_UP: usize = 50;

fn list_info(tx: &impl Tx) -> Result<ListInfo, StoreError> {
    let table = tx.open(ADDRESS_LIST_BY_NAME)?;
    let found = table.get(LIST_KEY)?;
    match found {
        Some(bytes) => decode(bytes.value()),
        None => Ok(ListInfo::default()),
    }
}

/// The streets that match every required word of `query` (each word the
/// beginning of one of the street's words), best first.
fn matching_streets(tx: &impl Tx, query: &Query) -> Result<Vec<Candidate>, StoreError> {
    let required: Vec<&Word> = query.words.iter().filter(|w| !w.optional).collect();
    // Only commune words and a trailing number: then they are what selects.
    let required = if required.is_empty() { query.words.iter().collect() } else { required };
    // The word that selects the fewest streets: not a kind of street, not an
    // abbreviation (its prefix is not its meaning), the longest.
    let Some(probe) = required
        .iter()
        .max_by_key(|w| (w.stands_for.is_none(), !STREET_KINDS.contains(&w.text.as_str()), w.text.len()))
    else {
        return Ok(Vec::new());
    };
    // Only abbreviations typed ("bd"): look for what it stands for.
    let prefix = probe.stands_for.unwrap_or(probe.text.as_str());
    let index = tx.open(STREET_ID_BY_WORD)?;
    let mut found: BTreeMap<u64, Candidate> = BTreeMap::new();
    for (read, row) in index.range((prefix, 0u64)..)?.enumerate() {
        if read >= MAX_CANDIDATES {
            break;
        }
        let (key, value) = row?;
        let (word, id) = key.value();
        if !word.starts_with(prefix) {
            break;
        }
        if found.contains_key(&id) {
            continue;
        }
        let (joined, postcode) = value.value();
        let words: Vec<String> = joined.split(' ').map(str::to_string).collect();
        let prefix_of_one = |w: &Word| words.iter().any(|s| w.matches_prefix(s));
        if !required.iter().all(|w| prefix_of_one(w)) {
            continue;
        }
        let matched = query.words.iter().filter(|w| prefix_of_one(w)).count();
        let exact = query.words.iter().filter(|w| words.iter().any(|s| w.matches_whole(s))).count();
        let postcode_matches = query.postcode.as_deref().is_some_and(|p| p == postcode);
        found.insert(id, Candidate { id, words, postcode_matches, matched, exact });
    }
    let mut ranked: Vec<Candidate> = found.into_values().collect();
    // More words matched, then more whole words, then the shorter name
    // (the closest to what was typed), then the alphabetical order of ids.
    ranked.sort_by_key(|c| (Reverse(c.postcode_matches), Reverse(c.matched), Reverse(c.exact), c.words.len(), c.id));
    Ok(ranked)
}

fn street_entry(table: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<Address>, StoreError> {
    let found = table.get(id)?;
    let Some(bytes) = found else { return Ok(None) };
    let s: Street = decode(bytes.value())?;
    Ok(Some(Address {
        number: String::new(),
        street: s.name,
        postcode: s.postcode,
        commune: s.commune,
        lat: s.lat,
        lon: s.lon,
    }))
}

fn address(table: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<Address>, StoreError> {
    let found = table.get(id)?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Addresses and streets that match what a resident is typing — "12 rue de
/// l'egl", "eglise 12", "rue eglise" — whatever the accents and the case,
/// best first, at most `limit` (and [`MAX_SUGGESTIONS`]). With a number, the
/// addresses of that number on the matching streets (or, if none has it,
/// the nearest numbers of the best street); without, one entry per street
/// (number empty, at the street's middle address), then the best street's
/// addresses in order.
pub fn suggest(tx: &impl Tx, typed: &str, limit: usize) -> Result<Vec<Address>, StoreError> {
    let limit = limit.min(MAX_SUGGESTIONS);
    if limit == 0 {
        return Ok(Vec::new());
    }
    let info = list_info(tx)?;
    let query = Query::parse(typed, &info.commune_words);
    let ranked = matching_streets(tx, &query)?;
    let mut out: Vec<Address> = Vec::new();
    let push = |out: &mut Vec<Address>, a: Address| {
        if !out.iter().any(|o| o.label() == a.label()) {
            out.push(a);
        }
    };
    let numbers = tx.open(ADDRESS_ID_BY_STREET_NUMBER)?;
    let addresses = tx.open(ADDRESS_BY_ID)?;
    let streets = tx.open(STREET_BY_ID)?;
    match &query.house {
        Some(house) => {
            for c in ranked.iter().take(MAX_STREETS_LOOKED_UP) {
                if out.len() >= limit {
                    break;
                }
                if house.trailing && c.words.contains(&house.number.to_string()) {
                    // "place du 8 mai 1945": the number is the street's.
                    if let Some(street) = street_entry(&streets, c.id)? {
                        push(&mut out, street);
                    }
                    continue;
                }
                for row in numbers.range((c.id, house.number, 0)..=(c.id, house.number, u64::MAX))? {
                    let (key, _) = row?;
                    let Some(a) = address(&addresses, key.value().2)? else { continue };
                    let suffix_ok = house.suffix.as_deref().is_none_or(|s| house_key(&a.number).2 == s);
                    if suffix_ok && out.len() < limit {
                        push(&mut out, a);
                    }
                }
            }
            if out.is_empty() {
                if let Some(best) = ranked.first() {
                    for a in nearest_numbers(&numbers, &addresses, best.id, house.number)? {
                        if out.len() < limit {
                            push(&mut out, a);
                        }
                    }
                }
            }
        }
        None => {
            for c in ranked.iter().take(limit) {
                if let Some(street) = street_entry(&streets, c.id)? {
                    push(&mut out, street);
                }
            }
            if let Some(best) = ranked.first() {
                for row in numbers.range((best.id, 0, 0)..=(best.id, u32::MAX, u64::MAX))? {
                    if out.len() >= limit {
                        break;
                    }
                    let (key, _) = row?;
                    if let Some(a) = address(&addresses, key.value().2)? {
                        push(&mut out, a);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The addresses of a street just below and just above `number`, the closer first.
fn nearest_numbers(
    numbers: &impl ReadableTable<(u64, u32, u64), ()>,
    addresses: &impl ReadableTable<u64, &'static [u8]>,
    street: u64,
    number: u32,
) -> Result<Vec<Address>, StoreError> {
    let below = numbers.range((street, 0, 0)..(street, number, 0))?.next_back().transpose()?.map(|(k, _)| k.value());
    let above = numbers
        .range((street, number, 0)..=(street, u32::MAX - 1, u64::MAX))?
        .next()
        .transpose()?
        .map(|(k, _)| k.value());
    let mut found: Vec<(u32, u64)> =
        [below, above].into_iter().flatten().map(|(_, n, id)| (n.abs_diff(number), id)).collect();
    found.sort();
    let mut out = Vec::new();
    for (_, id) in found {
        out.extend(address(addresses, id)?);
    }
    Ok(out)
}

/// The address a full typed address stands for ("12 rue de l'Église,
/// 69999 Saint-Exemple", as typed in the form without JavaScript): the best
/// suggestion, if any street matches.
pub fn geocode(tx: &impl Tx, text: &str) -> Result<Option<Address>, StoreError> {
    Ok(suggest(tx, text, 1)?.into_iter().next())
}

/// How many addresses the list holds.
pub fn count(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(ADDRESS_BY_ID)?.len()?)
}

// ---------------------------------------------------------------------------
// Positions

/// Cells per degree: 0.001° is about 111 m north–south and, in France, 70
/// to 80 m east–west.
const CELLS_PER_DEGREE: f64 = 1000.0;

/// Mean radius of the Earth (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// How far [`nearest`] looks, in cells around the point: about 2 km. A pin
/// farther than that from any address is not in the commune.
const MAX_RINGS: i32 = 25;

/// The grid cell (row, column) of a position.
pub(crate) fn cell_of(lat: f64, lon: f64) -> (i32, i32) {
    ((lat * CELLS_PER_DEGREE).floor() as i32, (lon * CELLS_PER_DEGREE).floor() as i32)
}

/// The distance in metres between two positions (haversine, on the mean
/// sphere: within 0.5 % of the ellipsoid, metres at a commune's scale).
pub fn distance_m(a_lat: f64, a_lon: f64, b_lat: f64, b_lon: f64) -> f64 {
    let (p1, p2) = (a_lat.to_radians(), b_lat.to_radians());
    let dp = p2 - p1;
    let dl = (b_lon - a_lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// The address nearest to a position, with its distance in metres; `None`
/// when the list is empty or no address is within about 2 km. Reads the
/// grid ring by ring outwards, and stops as soon as no unread cell can hold
/// a closer address.
pub fn nearest(tx: &impl Tx, lat: f64, lon: f64) -> Result<Option<(Address, f64)>, StoreError> {
    if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
        return Ok(None);
    }
    let cells = tx.open(ADDRESS_ID_BY_CELL)?;
    if cells.is_empty()? {
        return Ok(None);
    }
    let (row, column) = cell_of(lat, lon);
    // The smallest side of a cell here, a little less for safety: anything
    // outside the first r rings is at least r of these away.
    let metres_per_degree = EARTH_RADIUS_M.to_radians();
    let side_m = 0.99 * metres_per_degree / CELLS_PER_DEGREE * lat.to_radians().cos().min(1.0);
    let mut best: Option<(u64, f64)> = None;
    for ring in 0..=MAX_RINGS {
        // The ring's top and bottom rows whole, then its two sides.
        let mut spans = vec![(row - ring, column - ring, column + ring)];
        if ring > 0 {
            spans.push((row + ring, column - ring, column + ring));
            for r in (row - ring + 1)..(row + ring) {
                spans.push((r, column - ring, column - ring));
                spans.push((r, column + ring, column + ring));
            }
        }
        for (r, from, to) in spans {
            for entry in cells.range((r, from, 0)..=(r, to, u64::MAX))? {
                let (key, at) = entry?;
                let (a_lat, a_lon) = at.value();
                let d = distance_m(lat, lon, a_lat, a_lon);
                if best.is_none_or(|(_, b)| d < b) {
                    best = Some((key.value().2, d));
                }
            }
        }
        if best.is_some_and(|(_, d)| d <= f64::from(ring) * side_m) {
            break;
        }
    }
    let Some((id, d)) = best else { return Ok(None) };
    Ok(address(&tx.open(ADDRESS_BY_ID)?, id)?.map(|a| (a, d)))
}

#[cfg(test)]
mod tests;
