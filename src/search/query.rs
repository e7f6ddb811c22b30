//! Answering a search: the words of the query with typo tolerance, the
//! filters, the counts per filter value, and highlighted snippets.
//!
//! Every word must match (in the title or the body), exactly or with a typo:
//! for each word, the index terms within its typo distance are looked up in
//! the term dictionaries (like Lucene's fuzzy query rewrite) and added with a
//! small constant score (the best close term counts, a closer one more), so
//! an exact match ranks above a fuzzy one of the same word.
//!
//! The search page corrects a word rather than widening it (see
//! [`corrections_in`]): a word the index holds is looked up as typed, with only
//! its rarer terms one edit away (a resident's typo in a text: "cycable"); a
//! word it does not hold stands for its closest terms alone. Each close term
//! adds its posting list to the query and every match is counted for the
//! filters: at 100,000 proposals the thirty close terms of two words made
//! a search never asked cost a millisecond of CPU.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Bound, Range};
use std::sync::{Arc, Mutex};

use redb::ReadTransaction;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Score, Searcher, TantivyDocument, Term};

use super::analyzer::{self, QueryWord};
use super::facets::Facets;
use super::lexicon::Lexicon;
use super::schema::{self, Fields};
use super::sources::Document;
use super::{Live, Search, SearchError};
use crate::domain::changes::{ContentKind, Target};

/// An exact match weighs this much more than its BM25 score alone…
const EXACT_BOOST: Score = 4.0;
/// …and a match in the title twice as much as one in the body.
const TITLE_BOOST: Score = 2.0;
/// The constant score of a fuzzy (or prefix) match of a word.
const FUZZY_SCORE: Score = 0.5;
/// At most this many index terms stand for one mistyped word (the most
/// frequent ones): a short word with two typos could match hundreds.
const MAX_EXPANSIONS: usize = 30;
/// At most this many corrections stand for a word of the search page that
/// the index does not hold (the most frequent of the closest ones).
const MAX_CORRECTIONS: usize = 8;
/// A term one edit from a word the index holds, and held by this many
/// times more documents, is taken as the word meant (as SymSpell prefers
/// the frequent candidate): "fontane", a typo one text holds, still finds
/// the fountains.
const MEANT_RATIO: u64 = 8;
/// A term held by this many documents or fewer, one edit from a word of the
/// query, is taken as a typo of it in those texts (its postings cost next
/// to nothing); a more frequent one must be [`MEANT_RATIO`] times rarer
/// than the word.
const FEW_DOCUMENTS: u64 = 3;
/// Words of a query beyond this many are ignored: each costs term
/// dictionary look-ups, and nobody types more into a commune's search.
const MAX_WORDS: usize = 10;
/// Snippets of about this many characters.
const SNIPPET_CHARS: usize = 220;
/// Results beyond this rank are not served (nobody reads page 50; a bound on work).
pub const MAX_OFFSET: usize = 1_000;

/// A search as the page asks it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub text: String,
    pub kind: Option<ContentKind>,
    pub status: Option<String>,
    pub neighbourhood: Option<String>,
    /// From (Unix seconds, included).
    pub since: Option<i64>,
    /// Until (Unix seconds, excluded).
    pub until: Option<i64>,
    pub offset: usize,
    pub limit: usize,
}

impl Request {
    fn has_filters(&self) -> bool {
        self.kind.is_some()
            || self.status.is_some()
            || self.neighbourhood.is_some()
            || self.since.is_some()
            || self.until.is_some()
    }
}

/// A text with ranges (byte offsets) to highlight.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Highlighted {
    pub text: String,
    pub marks: Vec<Range<usize>>,
}

impl Highlighted {
    /// The text in pieces: (piece, highlighted?). Renderers escape each piece.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for mark in &self.marks {
            if mark.start < at || mark.end > self.text.len() || mark.start >= mark.end {
                continue;
            }
            let (Some(before), Some(marked)) = (self.text.get(at..mark.start), self.text.get(mark.clone())) else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((marked, true));
            at = mark.end;
        }
        if let Some(rest) = self.text.get(at..) {
            if !rest.is_empty() {
                out.push((rest, false));
            }
        }
        out
    }
}

/// One result, loaded again from the database.
#[derive(Clone, Debug)]
pub struct Hit {
    pub doc: Document,
    pub title: Highlighted,
    pub snippet: Highlighted,
}

#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Matching documents (an item hidden a moment ago may still be counted
    /// until the index applies the change; it is never shown).
    pub total: u64,
    /// Shared with the answer cache when the same search is asked again.
    pub hits: Arc<[Hit]>,
    /// Shared with the answer cache too: the page keeps what it renders
    /// from these counts (its filter form) for as long as they are the same.
    pub facets: Arc<Facets>,
    /// The query had no word left once stop words were removed.
    pub no_words: bool,
}

impl Search {
    /// Runs `request`; results are loaded from `tx` through the source, so
    /// that hidden content is never shown even before the index catches up.
    pub fn query(&self, request: &Request, tx: &ReadTransaction) -> Result<Results, SearchError> {
        let live = self.live()?;
        let searcher = live.reader.searcher();
        let mut words = analyzer::query_words(&request.text);
        words.truncate(MAX_WORDS);
        if words.is_empty() && !request.has_filters() {
            return Ok(Results { no_words: !request.text.trim().is_empty(), ..Results::default() });
        }
        let generation = searcher.generation().generation_id();
        let key = AnswerKey::new(&words, request);
        let answer = match live.answers.get(generation, &key) {
            Some(answer) => answer,
            None => {
                let answer = Arc::new(answer(&live, &searcher, generation, &words, request)?);
                live.answers.put(generation, key, answer.clone());
                answer
            }
        };
        // The results loaded for this answer stay valid while the source's
        // version does not move: every change to what a document shows or
        // to whether it may be shown moves it (for the application's
        // content, the change log, which the index itself follows).
        let version = self.inner().source.version(tx)?;
        let hits = match version.and_then(|v| answer.loaded(v)) {
            Some(hits) => hits,
            None => {
                let hits: Arc<[Hit]> = load_hits(
                    self,
                    &answer.found.addresses,
                    &answer.found.targets,
                    &answer.highlight,
                    Some((&answer.marked, &answer.found.analysed)),
                    tx,
                )?
                .into();
                if let Some(v) = version {
                    answer.keep_loaded(v, hits.clone());
                }
                hits
            }
        };
        let no_words = words.is_empty() && !request.text.trim().is_empty();
        Ok(Results { total: answer.found.facets.matching, hits, facets: answer.found.facets.clone(), no_words })
    }

    /// `request`'s results when everything it needs is kept already: the
    /// index's answer for this generation and its results loaded at the
    /// source's current version. `None` when something must be computed or
    /// loaded ([`Search::query`] does it, off the async workers); this
    /// answer costs microseconds, less than handing it to another thread.
    pub fn kept(&self, request: &Request, tx: &ReadTransaction) -> Result<Option<Results>, SearchError> {
        let live = self.live()?;
        let searcher = live.reader.searcher();
        let mut words = analyzer::query_words(&request.text);
        words.truncate(MAX_WORDS);
        if words.is_empty() && !request.has_filters() {
            return Ok(Some(Results { no_words: !request.text.trim().is_empty(), ..Results::default() }));
        }
        let generation = searcher.generation().generation_id();
        let Some(answer) = live.answers.get(generation, &AnswerKey::new(&words, request)) else { return Ok(None) };
        let Some(version) = self.inner().source.version(tx)? else { return Ok(None) };
        let Some(hits) = answer.loaded(version) else { return Ok(None) };
        let no_words = words.is_empty() && !request.text.trim().is_empty();
        Ok(Some(Results { total: answer.found.facets.matching, hits, facets: answer.found.facets.clone(), no_words }))
    }

    /// Content that looks like `text` (e.g. a proposal's title being typed,
    /// to point at existing ones): any word may match, the last one as a prefix.
    pub fn similar(
        &self,
        text: &str,
        kind: Option<ContentKind>,
        limit: usize,
        tx: &ReadTransaction,
    ) -> Result<Vec<Hit>, SearchError> {
        let live = self.live()?;
        let searcher = live.reader.searcher();
        let fields = live.fields;
        let mut words = analyzer::query_words(text);
        words.truncate(MAX_WORDS);
        let Some(text) = text_query(&searcher, &fields, &words, Occur::Should, Close::Widen { last_as_prefix: true })?
        else {
            return Ok(Vec::new());
        };
        let mut clauses = vec![(Occur::Must, text.query)];
        clauses.extend(filters(&fields, &Request { kind, ..Request::default() }));
        let top = TopDocs::with_limit(limit.max(1)).order_by_score();
        let found = searcher.search(&BooleanQuery::new(clauses), &top)?;
        let addresses: Vec<DocAddress> = found.into_iter().map(|(_, a)| a).collect();
        let targets = targets_of(&searcher, &fields, &addresses)?;
        load_hits(self, &addresses, &targets, &text.words, None, tx)
    }
}

/// The answer to `words` and `request`: the words corrected against the
/// index, then the documents and counts of what that asks, found again
/// only when no other request of this generation asked the very same
/// (typed differently: "ecolr pistw" and "ecple pizte" both ask for
/// `ecol` and `pist`). The marks stay this request's own.
fn answer(
    live: &Live,
    searcher: &Searcher,
    generation: u64,
    words: &[QueryWord],
    request: &Request,
) -> Result<Answer, SearchError> {
    let lexicon = live.answers.lexicon(generation, searcher, &live.fields)?;
    let text = text_query(searcher, &live.fields, words, Occur::Must, Close::Correct(lexicon.as_deref()))?;
    let asked = AskedKey::new(text.as_ref(), request);
    let found = match live.answers.found(generation, &asked) {
        Some(found) => found,
        None => {
            let found = Arc::new(find(live, searcher, text.as_ref().map(|t| t.query.box_clone()), request)?);
            live.answers.keep_found(generation, asked, found.clone());
            found
        }
    };
    let highlight = text.map(|t| t.words).unwrap_or_default();
    Ok(Answer { found, highlight, marked: Mutex::default(), loaded: Mutex::default() })
}

/// The documents of one page of results and the counts, from the index.
fn find(
    live: &Live,
    searcher: &Searcher,
    text: Option<Box<dyn Query>>,
    request: &Request,
) -> Result<Found, SearchError> {
    let fields = live.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let has_words = text.is_some();
    if let Some(query) = text {
        clauses.push((Occur::Must, query));
    }
    let base: Box<dyn Query> = match clauses.is_empty() {
        true => Box::new(tantivy::query::AllQuery),
        false => Box::new(BooleanQuery::new(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect())),
    };
    clauses.extend(filters(&fields, request));
    let filtered = BooleanQuery::new(clauses);
    let limit = request.limit.max(1);
    let offset = request.offset.min(MAX_OFFSET);
    let counter = live.facets.collector(searcher, request)?;
    let top = TopDocs::with_limit(limit).and_offset(offset);
    let (addresses, facets): (Vec<DocAddress>, Facets) = if !request.has_filters() {
        // The words are the whole query: results and counts in one pass.
        let (found, facets) = searcher.search(&filtered, &(top.order_by_score(), counter))?;
        (found.into_iter().map(|(_, a)| a).collect(), facets)
    } else {
        let found: Vec<DocAddress> = if !has_words {
            // Filters only: newest first.
            let by_date = top.order_by_fast_field::<i64>(schema::CREATED_AT, Order::Desc);
            searcher.search(&filtered, &by_date)?.into_iter().map(|(_, a)| a).collect()
        } else {
            searcher.search(&filtered, &top.order_by_score())?.into_iter().map(|(_, a)| a).collect()
        };
        // Counted on the words alone: each filter value says what choosing it gives.
        (found, searcher.search(&*base, &counter)?)
    };
    let targets = targets_of(searcher, &fields, &addresses)?;
    Ok(Found { addresses, targets, facets: Arc::new(facets), analysed: Mutex::default() })
}

/// What each document is, from its stored fields (`None` for one that
/// names no content this binary knows).
fn targets_of(
    searcher: &Searcher,
    fields: &Fields,
    addresses: &[DocAddress],
) -> Result<Vec<Option<Target>>, SearchError> {
    let mut targets = Vec::with_capacity(addresses.len());
    for address in addresses {
        let stored: TantivyDocument = searcher.doc(*address)?;
        let kind = stored.get_first(fields.kind).and_then(|v| v.as_str()).and_then(ContentKind::from_code);
        let id = stored.get_first(fields.id).and_then(|v| v.as_u64());
        targets.push(kind.zip(id).map(|(kind, id)| Target::new(kind, id)));
    }
    Ok(targets)
}

/// What the index found for one query as asked of it (words corrected)
/// on one searcher generation: one page of documents and the counts.
struct Found {
    addresses: Vec<DocAddress>,
    /// What each of `addresses` is, read once from the stored documents
    /// (decompressing them was a twentieth of a search never asked).
    targets: Vec<Option<Target>>,
    facets: Arc<Facets>,
    /// Each result's title and body as analysed, for the text it had
    /// (checked by its hash): a request sharing this query marks its
    /// results with its own words without stemming their texts again.
    analysed: AnalysedCache,
}

/// Each result's title and body tokens, with the hash of the text they are of.
type AnalysedCache = Mutex<HashMap<DocAddress, (u64, Tokens, Tokens)>>;

/// What the index answered for one request on one searcher generation.
struct Answer {
    found: Arc<Found>,
    highlight: Vec<WordTerms>,
    /// What each result became once marked, kept with the answer: the same
    /// search asked again skips tokenising and stemming its text again
    /// (with reading the stored documents, a fifth of its time).
    marked: MarkedCache,
    /// The results as last loaded from the database, and the source's
    /// version they were loaded at: one page of results (twenty at most),
    /// replaced when the version moves.
    loaded: Mutex<Option<(u64, Arc<[Hit]>)>>,
}

impl Answer {
    /// The results loaded at `version`, if they were.
    fn loaded(&self, version: u64) -> Option<Arc<[Hit]>> {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.as_ref().filter(|(v, _)| *v == version).map(|(_, hits)| hits.clone())
    }

    fn keep_loaded(&self, version: u64, hits: Arc<[Hit]>) {
        *self.loaded.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, hits));
    }
}

type MarkedCache = Mutex<HashMap<DocAddress, Marked>>;

/// A result of a cached answer: its highlighted title and snippet for the
/// text it had (checked by a hash of that text: the record loaded from the
/// database may be newer than the index).
#[derive(Clone)]
struct Marked {
    text: Option<(u64, Highlighted, Highlighted)>,
}

fn text_hash(doc: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    doc.title.hash(&mut hasher);
    doc.body.hash(&mut hasher);
    hasher.finish()
}

/// A request, as far as the index's answer depends on it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct AnswerKey {
    stems: Vec<String>,
    kind: Option<ContentKind>,
    status: Option<String>,
    neighbourhood: Option<String>,
    since: Option<i64>,
    until: Option<i64>,
    offset: usize,
    limit: usize,
}

impl AnswerKey {
    fn new(words: &[QueryWord], request: &Request) -> AnswerKey {
        AnswerKey {
            stems: words.iter().map(|w| w.stem.clone()).collect(),
            kind: request.kind,
            status: request.status.clone(),
            neighbourhood: request.neighbourhood.clone(),
            since: request.since,
            until: request.until,
            offset: request.offset.min(MAX_OFFSET),
            limit: request.limit.max(1),
        }
    }
}

/// A query as the index is asked it, once its words are corrected: each
/// word's exact term when the index holds it and its close terms with
/// their distances (the whole of what [`text_query`] builds), and the
/// filters and page. Two requests with the same key get the same documents
/// and counts.
#[derive(Clone, PartialEq, Eq, Hash)]
struct AskedKey {
    words: Vec<AskedWord>,
    kind: Option<ContentKind>,
    status: Option<String>,
    neighbourhood: Option<String>,
    since: Option<i64>,
    until: Option<i64>,
    offset: usize,
    limit: usize,
}

/// A word's exact term (when held) and its close terms with their distance.
type AskedWord = (Option<String>, Vec<(String, usize)>);

impl AskedKey {
    fn new(text: Option<&TextQuery>, request: &Request) -> AskedKey {
        AskedKey {
            words: text.map(|t| t.asked.clone()).unwrap_or_default(),
            kind: request.kind,
            status: request.status.clone(),
            neighbourhood: request.neighbourhood.clone(),
            since: request.since,
            until: request.until,
            offset: request.offset.min(MAX_OFFSET),
            limit: request.limit.max(1),
        }
    }
}

/// The index's recent answers, valid for one searcher generation (the index
/// as of its last reload): the same search asked again — the page of a
/// popular word, a filter everyone clicks — is answered without counting
/// again. Results are still loaded from the database each time, so hidden
/// content is never shown from here. Like Elasticsearch's request cache, it
/// is emptied whenever the index changes.
///
/// Beside them, what the index found for each query as asked of it: a
/// search never asked before whose words correct to terms another search
/// asked (a typo of a popular word) skips the query and the counting,
/// which are most of its cost.
#[derive(Default)]
pub(crate) struct AnswerCache {
    inner: Mutex<Answers>,
}

#[derive(Default)]
struct Answers {
    generation: u64,
    answers: HashMap<AnswerKey, Arc<Answer>>,
    found: HashMap<AskedKey, Arc<Found>>,
    /// The index's terms for corrections, built at the generation's first
    /// search never asked (`Some(None)`: the index is too large for one).
    lexicon: Option<Option<Arc<Lexicon>>>,
}

/// Above this many documents the index keeps no [`Lexicon`]: its terms and
/// their deletions would take tens of megabytes and be built again at each
/// change of the index, and there the query itself, not the corrections,
/// is most of a search never asked (about 3 % at 100,000 proposals).
const LEXICON_DOCS: u64 = 20_000;

/// Answers kept per generation: beyond, the cache starts again empty.
const CACHED_ANSWERS: usize = 256;

impl AnswerCache {
    fn get(&self, generation: u64, key: &AnswerKey) -> Option<Arc<Answer>> {
        self.read(generation, |inner| inner.answers.get(key).cloned())
    }

    fn put(&self, generation: u64, key: AnswerKey, answer: Arc<Answer>) {
        self.write(generation, |inner| keep(&mut inner.answers, key, answer));
    }

    fn found(&self, generation: u64, key: &AskedKey) -> Option<Arc<Found>> {
        self.read(generation, |inner| inner.found.get(key).cloned())
    }

    fn keep_found(&self, generation: u64, key: AskedKey, found: Arc<Found>) {
        self.write(generation, |inner| keep(&mut inner.found, key, found));
    }

    /// The lexicon of this generation's index, built (outside the lock) by
    /// the first search that needs it; `None` for a large index.
    fn lexicon(
        &self,
        generation: u64,
        searcher: &Searcher,
        fields: &Fields,
    ) -> Result<Option<Arc<Lexicon>>, SearchError> {
        if let Some(kept) = self.read(generation, |inner| inner.lexicon.clone()) {
            return Ok(kept);
        }
        let built = match searcher.num_docs() <= LEXICON_DOCS {
            true => Lexicon::build(searcher, fields)?.map(Arc::new),
            false => None,
        };
        self.write(generation, |inner| inner.lexicon = Some(built.clone()));
        Ok(built)
    }

    /// What `look` finds, if the cache holds this generation's answers.
    fn read<T>(&self, generation: u64, look: impl FnOnce(&Answers) -> Option<T>) -> Option<T> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (inner.generation == generation).then(|| look(&inner)).flatten()
    }

    /// Runs `change` on this generation's answers (an older one's go first).
    fn write(&self, generation: u64, change: impl FnOnce(&mut Answers)) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.start_again_unless(generation);
        change(&mut inner);
    }
}

/// Keeps `value` under `key`, starting the map again when it is full.
fn keep<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= CACHED_ANSWERS {
        map.clear();
    }
    map.insert(key, value);
}

impl Answers {
    /// Empties the cache when the index moved to another generation.
    fn start_again_unless(&mut self, generation: u64) {
        if self.generation != generation {
            *self = Answers { generation, ..Answers::default() };
        }
    }
}

/// The query of the words, and each word's index term with its close terms.
struct TextQuery {
    query: Box<dyn Query>,
    words: Vec<WordTerms>,
    /// What the query asks, word by word (see [`AskedKey`]).
    asked: Vec<AskedWord>,
}

/// A word's index term and the close terms that stand for it.
struct WordTerms {
    exact: String,
    close: Vec<String>,
}

/// How a word's close terms are chosen.
#[derive(Clone, Copy)]
enum Close<'l> {
    /// The search page: [`corrections_in`], looked up in the index's
    /// [`Lexicon`] when it keeps one.
    Correct(Option<&'l Lexicon>),
    /// "More like this" while a title is typed: every term within the typo
    /// distance ([`expansions`]), the last word also as a prefix.
    Widen { last_as_prefix: bool },
}

/// Each word: exact in the title or the body (BM25, boosted), or one of its
/// close terms (constant score). `occur` joins the words.
fn text_query(
    searcher: &Searcher,
    fields: &Fields,
    words: &[QueryWord],
    occur: Occur,
    mode: Close<'_>,
) -> Result<Option<TextQuery>, SearchError> {
    if words.is_empty() {
        return Ok(None);
    }
    let mut terms = Vec::new();
    let mut asked = Vec::new();
    let mut per_word: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let (held, found) = match mode {
            Close::Correct(lexicon) => corrections_in(searcher, fields, lexicon, word)?,
            Close::Widen { last_as_prefix } => {
                let prefix = last_as_prefix && i + 1 == words.len() && word.folded.chars().count() >= 3;
                (true, expansions(searcher, fields, word, prefix)?)
            }
        };
        asked.push((held.then(|| word.stem.clone()), found.clone()));
        let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // A word the index does not hold is its corrections alone: its
        // exact clauses would match nothing, and each clause of a union
        // costs a scorer per segment.
        if held {
            for (field, boost) in [(fields.title, EXACT_BOOST * TITLE_BOOST), (fields.body, EXACT_BOOST)] {
                let exact = TermQuery::new(Term::from_field_text(field, &word.stem), IndexRecordOption::WithFreqs);
                options.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), boost))));
            }
        }
        let mut close_terms = Vec::new();
        // The best close term counts (not their sum), closer ones more.
        let mut close: Vec<Box<dyn Query>> = Vec::new();
        for (t, distance) in found {
            for (field, weight) in [(fields.title, TITLE_BOOST), (fields.body, 1.0)] {
                let term = TermQuery::new(Term::from_field_text(field, &t), IndexRecordOption::Basic);
                close.push(Box::new(ConstScoreQuery::new(Box::new(term), FUZZY_SCORE * weight / distance as Score)));
            }
            close_terms.push(t);
        }
        if !close.is_empty() {
            options.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(close))));
        }
        // One option is the word's query itself, without a union around it.
        let query: Box<dyn Query> = match <[_; 1]>::try_from(options) {
            Ok([(_, only)]) => only,
            Err(options) => Box::new(BooleanQuery::new(options)),
        };
        per_word.push((occur, query));
        terms.push(WordTerms { exact: word.stem.clone(), close: close_terms });
    }
    Ok(Some(TextQuery { query: Box::new(BooleanQuery::new(per_word)), words: terms, asked }))
}

/// The index terms close to `word` (within its typo distance, or starting
/// with it when `prefix`) with their edit distance (counted as 1 or 2), the
/// closest and most frequent first; the word itself excluded.
fn expansions(
    searcher: &Searcher,
    fields: &Fields,
    word: &QueryWord,
    prefix: bool,
) -> Result<Vec<(String, usize)>, SearchError> {
    let typos = word.max_typos();
    // An automaton depends on the text alone, not on the field: each is
    // built once (building one for two typos is the costly part) and walked
    // through both fields' term dictionaries.
    let mut automata = Vec::new();
    let term = Term::from_field_text(fields.title, &word.stem);
    if typos > 0 {
        automata.push(FuzzyTermQuery::new(term.clone(), typos, true).automaton()?);
    }
    if prefix {
        automata.push(FuzzyTermQuery::new_prefix(term, 0, true).automaton()?);
    }
    if typos > 0 && word.stem == word.folded && !in_index(searcher, fields, &word.stem)? {
        for beginning in beginnings(word) {
            let term = Term::from_field_text(fields.title, &beginning);
            automata.push(FuzzyTermQuery::new(term, typos, true).automaton()?);
        }
    }
    let mut found = terms_of(searcher, fields, &automata)?;
    found.remove(&word.stem);
    // Transpositions cost one, as in the automaton.
    let mut found: Vec<(String, usize, u64)> = found
        .into_iter()
        .map(|(t, n)| (strsim::osa_distance(&t, &word.stem).clamp(1, 2), t, n))
        .map(|(d, t, n)| (t, d, n))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| b.2.cmp(&a.2)).then_with(|| a.0.cmp(&b.0)));
    found.truncate(MAX_EXPANSIONS);
    Ok(found.into_iter().map(|(t, d, _)| (t, d)).collect())
}

/// [`corrections_in`] walking the term dictionaries with automata (the
/// lexicon's answers are checked against these).
#[cfg(test)]
fn corrections(
    searcher: &Searcher,
    fields: &Fields,
    word: &QueryWord,
) -> Result<(bool, Vec<(String, usize)>), SearchError> {
    corrections_in(searcher, fields, None, word)
}

/// Whether the index holds a word of the search page, and its close terms
/// with their edit distance (1 or 2): what a resident most likely meant,
/// not every word that looks like it.
///
/// - A word the index holds is searched as typed, with only the terms one
///   edit away that are far rarer than it or held by a few documents (a
///   typo in a text: "cycable" in a comment), or far more frequent (the
///   word typed is then a typo that some text holds too). A neighbour
///   about as frequent is another word ("poste" is no typo of "piste") and
///   would add its long posting list to the query.
/// - A word the index does not hold is a typo: it stands for the closest
///   terms found (one edit away if there are any, else two), the most
///   frequent [`MAX_CORRECTIONS`] of them.
///
/// The close terms come from the index's [`Lexicon`] when it keeps one (an
/// index of at most [`LEXICON_DOCS`] documents: on the demo's data, walking
/// the term dictionaries with Levenshtein automata, and building them, was
/// about a third of a search never asked); else the dictionaries are walked
/// with automata as for [`expansions`] (a profile at 100,000 proposals put
/// that walk at about 3 % of a search never asked: the union of the close
/// terms' postings and counting their matches were most of it).
fn corrections_in(
    searcher: &Searcher,
    fields: &Fields,
    lexicon: Option<&Lexicon>,
    word: &QueryWord,
) -> Result<(bool, Vec<(String, usize)>), SearchError> {
    let held = doc_freq(searcher, fields, &word.stem)?;
    let typos = word.max_typos();
    if typos == 0 {
        return Ok((held > 0, Vec::new()));
    }
    // The texts the distance is measured from: the stem, and when the word
    // is a typo the stemmer could not cut, its beginnings.
    let mut probes = vec![word.stem.clone()];
    let mut reach = Vec::new();
    if held > 0 {
        reach.push((word.stem.clone(), 1));
    } else {
        reach.push((word.stem.clone(), typos));
        if word.stem == word.folded {
            for beginning in beginnings(word) {
                reach.push((beginning.clone(), typos));
                probes.push(beginning);
            }
        }
    }
    let mut found = terms_near(searcher, fields, lexicon, &reach)?;
    found.remove(&word.stem);
    // A beginning costs one edit more than it differs: the cut is a guess
    // ("pistr" is one edit from "pist" and two from "post", though "pist",
    // its beginning, is one from both).
    let distance = |t: &str| {
        let from = |(i, p): (usize, &String)| strsim::osa_distance(t, p) + usize::from(i > 0);
        probes.iter().enumerate().map(from).min().unwrap_or(2).clamp(1, 2)
    };
    let mut found: Vec<(String, usize, u64)> =
        found.into_iter().map(|(t, n)| (distance(&t), t, n)).map(|(d, t, n)| (t, d, n)).collect();
    if held > 0 {
        // The far more frequent ones: the word as typed is then itself
        // most likely a typo that a text holds too. And the far rarer ones
        // (or held by a few documents only: typos in texts), the rarest
        // first, while together they hold no more documents than the word
        // itself, so that its search costs at most about twice its own. A
        // neighbour about as frequent as the word is another word.
        found.retain(|(_, d, _)| *d == 1);
        found.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
        let mut budget = held.max(FEW_DOCUMENTS);
        found.retain(|(_, _, n)| {
            if *n >= held.saturating_mul(MEANT_RATIO) {
                return true;
            }
            if *n > FEW_DOCUMENTS && n.saturating_mul(MEANT_RATIO) > held {
                return false;
            }
            match budget.checked_sub(*n) {
                Some(left) => {
                    budget = left;
                    true
                }
                None => {
                    budget = 0;
                    false
                }
            }
        });
        found.truncate(MAX_EXPANSIONS);
    } else {
        let closest = found.iter().map(|(_, d, _)| *d).min();
        found.retain(|(_, d, _)| Some(*d) == closest);
        found.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        found.truncate(MAX_CORRECTIONS);
    }
    Ok((held > 0, found.into_iter().map(|(t, d, _)| (t, d)).collect()))
}

/// A typo can keep the stemmer from cutting the word's ending ("phste" for
/// "piste" keeps its "e": the stemmer looks for it after a vowel), so the
/// stem is two edits from the index's "pist". When the word is not in the
/// index and the stemmer left it whole, its shorter beginnings are tried
/// too, as the stemmer would have cut them.
fn beginnings(word: &QueryWord) -> Vec<String> {
    let letters: Vec<char> = word.folded.chars().collect();
    let mut out = Vec::new();
    for cut in 1..=ENDING_LETTERS {
        let Some(kept) = letters.len().checked_sub(cut).filter(|n| *n >= MIN_BEGINNING) else { break };
        out.push(letters[..kept].iter().collect());
    }
    out
}

/// The terms of the title and body dictionaries that `automata` accept,
/// with how many documents hold each (summed over fields and segments).
fn terms_of(
    searcher: &Searcher,
    fields: &Fields,
    automata: &[tantivy::query::DfaWrapper],
) -> Result<HashMap<String, u64>, SearchError> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.body] {
            let inverted = segment.inverted_index(field)?;
            for automaton in automata {
                let mut stream =
                    inverted.terms().search(automaton).into_stream().map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    if let Ok(text) = std::str::from_utf8(stream.key()) {
                        *found.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
    }
    Ok(found)
}

/// The terms of the title and body dictionaries within each probe's
/// distance, with how many documents hold each, as [`terms_of`] counts them
/// (a term near two probes counts its documents once for each): from
/// `lexicon` when it can answer every probe, else by walking automata.
fn terms_near(
    searcher: &Searcher,
    fields: &Fields,
    lexicon: Option<&Lexicon>,
    probes: &[(String, u8)],
) -> Result<HashMap<String, u64>, SearchError> {
    if let Some(lexicon) = lexicon {
        let mut found: HashMap<String, u64> = HashMap::new();
        let mut answered = true;
        for (probe, distance) in probes {
            let Some(near) = lexicon.near(probe, usize::from(*distance)) else {
                answered = false;
                break;
            };
            for (term, n) in near {
                *found.entry(term.to_string()).or_default() += n;
            }
        }
        if answered {
            return Ok(found);
        }
    }
    let mut automata = Vec::with_capacity(probes.len());
    for (probe, distance) in probes {
        let term = Term::from_field_text(fields.title, probe);
        automata.push(FuzzyTermQuery::new(term, *distance, true).automaton()?);
    }
    terms_of(searcher, fields, &automata)
}

/// How many final letters a stem may lack that the typed word has (French
/// stems drop an "e", "es", "er"…), when the stemmer could not cut them.
const ENDING_LETTERS: usize = 2;
/// Beginnings shorter than this are not tried: too many words start alike.
const MIN_BEGINNING: usize = 4;

/// Whether some document has `stem` in its title or body.
fn in_index(searcher: &Searcher, fields: &Fields, stem: &str) -> Result<bool, SearchError> {
    Ok(doc_freq(searcher, fields, stem)? > 0)
}

/// How many documents hold `stem` in their title, plus in their body.
fn doc_freq(searcher: &Searcher, fields: &Fields, stem: &str) -> Result<u64, SearchError> {
    let mut n = 0;
    for field in [fields.title, fields.body] {
        n += searcher.doc_freq(&Term::from_field_text(field, stem))?;
    }
    Ok(n)
}

/// The filters of the request, as required clauses.
fn filters(fields: &Fields, request: &Request) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut term = |field: Field, value: &str| {
        out.push((
            Occur::Must,
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)),
        ));
    };
    if let Some(kind) = request.kind {
        term(fields.kind, kind.code());
    }
    if let Some(status) = &request.status {
        term(fields.status, status);
    }
    if let Some(n) = &request.neighbourhood {
        term(fields.neighbourhood, n);
    }
    if request.since.is_some() || request.until.is_some() {
        let lower =
            request.since.map_or(Bound::Unbounded, |s| Bound::Included(Term::from_field_i64(fields.created_at, s)));
        let upper =
            request.until.map_or(Bound::Unbounded, |u| Bound::Excluded(Term::from_field_i64(fields.created_at, u)));
        out.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    out
}

/// The documents at `addresses`, loaded again through the source (hidden
/// ones are left out), with the query's words highlighted; `cache` keeps
/// what was found of each address for the next time the same answer is used.
fn load_hits(
    search: &Search,
    addresses: &[DocAddress],
    targets: &[Option<Target>],
    words: &[WordTerms],
    cache: Option<(&MarkedCache, &AnalysedCache)>,
    tx: &ReadTransaction,
) -> Result<Vec<Hit>, SearchError> {
    let mut french = None;
    let mut hits = Vec::with_capacity(addresses.len());
    for (address, target) in addresses.iter().zip(targets) {
        let Some(target) = *target else { continue };
        let known = cache.and_then(|(c, _)| c.lock().unwrap_or_else(|e| e.into_inner()).get(address).cloned());
        let Some(doc) = search.inner().source.load(tx, target)? else {
            continue;
        };
        let hash = text_hash(&doc);
        let (title, snippet) = match known.as_ref().and_then(|m| m.text.as_ref()).filter(|(h, _, _)| *h == hash) {
            Some((_, title, snippet)) => (title.clone(), snippet.clone()),
            None => {
                let shared = cache.and_then(|(_, a)| {
                    let analysed = a.lock().unwrap_or_else(|e| e.into_inner());
                    analysed.get(address).filter(|(h, _, _)| *h == hash).map(|(_, t, b)| (t.clone(), b.clone()))
                });
                let (title, body) = match shared {
                    Some((title, body)) => {
                        (Analysed { text: &doc.title, tokens: title }, Analysed { text: &doc.body, tokens: body })
                    }
                    None => {
                        let french = french.get_or_insert_with(analyzer::french);
                        let (title, body) = (Analysed::new(french, &doc.title), Analysed::new(french, &doc.body));
                        if let Some((_, analysed)) = cache {
                            let tokens = (hash, title.tokens.clone(), body.tokens.clone());
                            analysed.lock().unwrap_or_else(|e| e.into_inner()).insert(*address, tokens);
                        }
                        (title, body)
                    }
                };
                let marks = marks_for(&title, &body, words);
                let title = title.highlighted(&marks, usize::MAX / 2, usize::MAX);
                let snippet = body.highlighted(&marks, SNIPPET_CHARS, SNIPPET_CHARS);
                if let Some((cache, _)) = cache {
                    let text = Some((hash, title.clone(), snippet.clone()));
                    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(*address, Marked { text });
                }
                (title, snippet)
            }
        };
        hits.push(Hit { doc, title, snippet });
    }
    Ok(hits)
}

/// A text's terms with the place of each, analysed once: the same tokens
/// say which of the query's words a result holds and where to mark them.
/// (Tantivy's `SnippetGenerator` analyses the text again to mark it, and the
/// French stemmer was a fifth of a search never asked before.)
struct Analysed<'t> {
    text: &'t str,
    tokens: Tokens,
}

/// A text's terms with their places (shared: see [`Found::analysed`]).
type Tokens = Arc<[(Range<usize>, String)]>;

impl<'t> Analysed<'t> {
    fn new(french: &mut tantivy::tokenizer::TextAnalyzer, text: &'t str) -> Self {
        let mut tokens = Vec::new();
        let mut stream = french.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            tokens.push((token.offset_from..token.offset_to, token.text.clone()));
        }
        Analysed { text, tokens: tokens.into() }
    }

    fn holds(&self, term: &str) -> bool {
        self.tokens.iter().any(|(_, t)| t == term)
    }

    /// The best passage of at most `fragment_chars` bytes with the terms of
    /// `marks` marked, or the text's beginning (`max_chars` characters) when
    /// none is in it. The passage is chosen as tantivy's `SnippetGenerator`
    /// chooses it (the highest sum of scores, the first one on a tie), so the
    /// results read as before.
    fn highlighted(&self, marks: &BTreeMap<String, Score>, fragment_chars: usize, max_chars: usize) -> Highlighted {
        struct Fragment {
            score: Score,
            start: usize,
            stop: usize,
            marks: Vec<Range<usize>>,
        }
        let new = |start: usize| Fragment { score: 0.0, start, stop: start, marks: Vec::new() };
        let mut best: Option<Fragment> = None;
        let mut keep = |fragment: Fragment| {
            // Strictly higher only: on a tie the earlier passage stays.
            if fragment.score > 0.0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
                best = Some(fragment);
            }
        };
        let mut fragment = new(0);
        for (range, term) in self.tokens.iter() {
            if range.end - fragment.start > fragment_chars {
                keep(std::mem::replace(&mut fragment, new(range.start)));
            }
            fragment.stop = range.end;
            if let Some(score) = marks.get(term) {
                fragment.score += score;
                fragment.marks.push(range.clone());
            }
        }
        keep(fragment);
        if let Some(f) = best {
            let marks = f.marks.iter().map(|m| m.start - f.start..m.end - f.start).collect();
            return Highlighted { text: self.text[f.start..f.stop].to_string(), marks };
        }
        beginning(self.text, max_chars)
    }
}

/// The terms to mark in a result: each word where it occurs as typed, and
/// only where it does not, the close terms that made the document match.
fn marks_for(title: &Analysed, body: &Analysed, words: &[WordTerms]) -> BTreeMap<String, Score> {
    let present = |term: &str| title.holds(term) || body.holds(term);
    let mut marks = BTreeMap::new();
    for word in words {
        if present(&word.exact) {
            marks.insert(word.exact.clone(), 1.0);
        } else {
            for t in word.close.iter().filter(|t| present(t)) {
                marks.insert(t.clone(), 0.5);
            }
        }
    }
    marks
}

/// The beginning of `text`, cut at a space before `max_chars` characters.
fn beginning(text: &str, max_chars: usize) -> Highlighted {
    let mut end = text.len();
    if text.chars().count() > max_chars {
        end = text.char_indices().nth(max_chars).map(|(i, _)| i).unwrap_or(text.len());
        // Cut at a space rather than inside a word.
        if let Some(space) = text[..end].rfind(' ') {
            end = space;
        }
    }
    let mut out = text[..end].trim_end().to_string();
    if end < text.len() {
        out.push('…');
    }
    Highlighted { text: out, marks: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::sources::Source;
    use crate::store::{Store, StoreError};
    use tantivy::snippet::SnippetGenerator;

    /// Content kept in memory, changed by the test behind the index's back.
    #[derive(Default)]
    struct Texts(Mutex<HashMap<u64, Document>>);

    impl Source for Texts {
        fn load(&self, _tx: &ReadTransaction, target: Target) -> Result<Option<Document>, StoreError> {
            Ok(self.0.lock().unwrap().get(&target.id).cloned())
        }
        fn all(&self, _tx: &ReadTransaction) -> Result<Vec<Target>, StoreError> {
            Ok(self.0.lock().unwrap().values().map(Document::target).collect())
        }
    }

    fn proposal(id: u64, title: &str, body: &str) -> Document {
        Document {
            kind: ContentKind::Proposal,
            id,
            title: title.into(),
            body: body.into(),
            status: None,
            neighbourhood: None,
            created_at: 1_700_000_000,
            url: format!("/propositions/{id}"),
        }
    }

    /// A cached answer keeps each result's marks, and marks a result again
    /// when the text loaded from the database is no longer the one it marked.
    #[test]
    fn a_cached_answer_reuses_its_marks_only_for_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let texts = Arc::new(Texts::default());
        texts.0.lock().unwrap().insert(1, proposal(1, "Un composteur", "Un composteur collectif au square."));
        texts.0.lock().unwrap().insert(2, proposal(2, "Des nichoirs", "Pour les mésanges du parc."));
        crate::search::indexer::rebuild(&store, dir.path(), &*texts, &|_, _| {}).unwrap();
        let search = crate::search::Search::open_with_source(dir.path(), texts.clone());
        search.inner().state.store(super::super::STATE_READY, std::sync::atomic::Ordering::Relaxed);
        let request = Request { text: "composteur".into(), limit: 10, ..Request::default() };
        let tx = store.read().unwrap();

        let first = search.query(&request, &tx).unwrap();
        assert_eq!(first.hits.len(), 1);
        assert_eq!(marked(&first.hits[0].snippet), ["composteur"]);
        let again = search.query(&request, &tx).unwrap();
        assert_eq!(again.hits[0].snippet, first.hits[0].snippet);
        let live = search.live().unwrap();
        let generation = live.reader.searcher().generation().generation_id();
        let words = analyzer::query_words(&request.text);
        let cached = live.answers.get(generation, &AnswerKey::new(&words, &request)).unwrap();
        assert_eq!(cached.marked.lock().unwrap().len(), 1, "the marks are kept with the answer");

        // The record changes before the index hears of it: the page shows
        // the new text, marked anew, never the old snippet.
        texts.0.lock().unwrap().insert(1, proposal(1, "Un composteur", "Le composteur est installé, merci."));
        let changed = search.query(&request, &tx).unwrap();
        assert_eq!(changed.hits[0].doc.body, "Le composteur est installé, merci.");
        assert!(
            changed.hits[0].snippet.text.starts_with("Le composteur est installé"),
            "{:?}",
            changed.hits[0].snippet
        );
        assert_eq!(marked(&changed.hits[0].snippet), ["composteur"]);
    }

    /// A source whose version the test moves, as the change log moves.
    #[derive(Default)]
    struct Versioned {
        texts: Texts,
        version: std::sync::atomic::AtomicU64,
    }

    impl Source for Versioned {
        fn load(&self, tx: &ReadTransaction, target: Target) -> Result<Option<Document>, StoreError> {
            self.texts.load(tx, target)
        }
        fn all(&self, tx: &ReadTransaction) -> Result<Vec<Target>, StoreError> {
            self.texts.all(tx)
        }
        fn version(&self, _tx: &ReadTransaction) -> Result<Option<u64>, StoreError> {
            Ok(Some(self.version.load(std::sync::atomic::Ordering::SeqCst)))
        }
    }

    /// The results of a search asked again are the ones loaded the first
    /// time while the source's version stays, and are loaded anew as soon
    /// as it moves: an edited text shows, a hidden item goes.
    #[test]
    fn loaded_results_are_kept_until_the_source_moves() {
        use std::sync::atomic::Ordering::SeqCst;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let source = Arc::new(Versioned::default());
        source.texts.0.lock().unwrap().insert(1, proposal(1, "Un composteur", "Un composteur au square."));
        source.texts.0.lock().unwrap().insert(2, proposal(2, "Un composteur", "Un autre composteur, au stade."));
        crate::search::indexer::rebuild(&store, dir.path(), &*source, &|_, _| {}).unwrap();
        let search = crate::search::Search::open_with_source(dir.path(), source.clone());
        search.inner().state.store(super::super::STATE_READY, std::sync::atomic::Ordering::Relaxed);
        let request = Request { text: "composteur".into(), limit: 10, ..Request::default() };
        let tx = store.read().unwrap();

        assert!(search.kept(&request, &tx).unwrap().is_none(), "never asked: nothing kept");
        let first = search.query(&request, &tx).unwrap();
        assert_eq!(first.hits.len(), 2);
        let again = search.query(&request, &tx).unwrap();
        assert!(Arc::ptr_eq(&first.hits, &again.hits), "asked again: the results loaded the first time");
        let kept = search.kept(&request, &tx).unwrap().expect("kept once asked");
        assert!(Arc::ptr_eq(&first.hits, &kept.hits) && kept.total == first.total);

        source.texts.0.lock().unwrap().insert(1, proposal(1, "Un composteur", "Le composteur est installé."));
        source.version.fetch_add(1, SeqCst);
        assert!(search.kept(&request, &tx).unwrap().is_none(), "the source moved: to be loaded again");
        let edited = search.query(&request, &tx).unwrap();
        assert!(!Arc::ptr_eq(&first.hits, &edited.hits));
        let one = edited.hits.iter().find(|h| h.doc.id == 1).unwrap();
        assert_eq!(one.doc.body, "Le composteur est installé.");

        source.texts.0.lock().unwrap().remove(&2);
        source.version.fetch_add(1, SeqCst);
        let hidden = search.query(&request, &tx).unwrap();
        assert_eq!(hidden.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>(), vec![1], "gone at once");
    }

    /// Two searches typed differently whose words correct to the same
    /// terms share what the index found (the query runs once), and each
    /// keeps its own words to mark; a search asking other terms does not.
    #[test]
    fn typos_corrected_alike_share_what_the_index_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let texts = Arc::new(Texts::default());
        texts.0.lock().unwrap().insert(1, proposal(1, "Une piste cyclable", "Une piste cyclable le long du canal."));
        texts.0.lock().unwrap().insert(2, proposal(2, "Une piste de danse", "Sur la place, pour le bal."));
        texts.0.lock().unwrap().insert(3, proposal(3, "Des nichoirs", "Pour les mésanges du parc."));
        crate::search::indexer::rebuild(&store, dir.path(), &*texts, &|_, _| {}).unwrap();
        let search = crate::search::Search::open_with_source(dir.path(), texts.clone());
        search.inner().state.store(super::super::STATE_READY, std::sync::atomic::Ordering::Relaxed);
        let tx = store.read().unwrap();
        let ask = |text: &str| Request { text: text.into(), limit: 10, ..Request::default() };
        let ids = |r: &Results| r.hits.iter().map(|h| h.doc.id).collect::<Vec<_>>();

        let (a, b, exact) = (ask("pistr cyclable"), ask("pisfe cyclable"), ask("piste"));
        let found_a = search.query(&a, &tx).unwrap();
        let found_b = search.query(&b, &tx).unwrap();
        let found_exact = search.query(&exact, &tx).unwrap();
        assert_eq!(ids(&found_a), vec![1]);
        assert_eq!((ids(&found_b), found_b.total), (ids(&found_a), found_a.total));
        assert_eq!(marked(&found_b.hits[0].title), ["piste", "cyclable"]);
        assert_eq!(found_exact.total, 2);

        let live = search.live().unwrap();
        let generation = live.reader.searcher().generation().generation_id();
        let answer = |r: &Request| {
            let words = analyzer::query_words(&r.text);
            live.answers.get(generation, &AnswerKey::new(&words, r)).unwrap()
        };
        let (answer_a, answer_b, answer_exact) = (answer(&a), answer(&b), answer(&exact));
        assert!(!Arc::ptr_eq(&answer_a, &answer_b), "each request keeps its own answer");
        assert!(Arc::ptr_eq(&answer_a.found, &answer_b.found), "found once for both");
        let tokens = |found: &Found| found.analysed.lock().unwrap().values().next().map(|(_, title, _)| title.clone());
        let before = tokens(&answer_a.found).unwrap();
        let c = ask("pistz cyclable");
        assert_eq!(marked(&search.query(&c, &tx).unwrap().hits[0].title), ["piste", "cyclable"]);
        assert!(Arc::ptr_eq(&answer(&c).found, &answer_a.found));
        assert!(Arc::ptr_eq(&tokens(&answer_a.found).unwrap(), &before), "marked without analysing the text again");
        assert!(!Arc::ptr_eq(&answer_a.found, &answer_exact.found));
    }

    /// Marking from the tokens analysed once chooses the passage and the marks
    /// tantivy's SnippetGenerator chose when it analysed the text again: the
    /// best-scored passage, the first of equal ones, the beginning when no
    /// word is in the text.
    #[test]
    fn one_analysis_marks_as_the_snippet_generator_did() {
        let long = "Les vélos du quartier. ".repeat(12)
            + "Une piste cyclable le long du canal, sûre pour les enfants. "
            + &"Le marché du samedi. ".repeat(12)
            + "Une autre piste, cyclable aussi, vers l'école.";
        let texts =
            ["Une piste cyclable rue Jean-Jaurès", "Rien à voir avec la question posée ici.", long.as_str(), ""];
        let mut french = analyzer::french();
        let word = |w: &str| analyzer::terms(&mut analyzer::french(), w).remove(0);
        let (piste, cyclable, ecole) = (word("piste"), word("cyclable"), word("écoles"));
        let mark_sets = [
            BTreeMap::from([(piste.clone(), 1.0), (cyclable.clone(), 1.0)]),
            BTreeMap::from([(ecole.clone(), 1.0), (piste.clone(), 0.5)]),
            BTreeMap::from([(ecole, 0.5)]),
            BTreeMap::new(),
        ];
        for text in texts {
            let analysed = Analysed::new(&mut french, text);
            for marks in &mark_sets {
                for chars in [SNIPPET_CHARS, 40, usize::MAX / 2] {
                    let generator =
                        SnippetGenerator::new(marks.clone(), french.clone(), Field::from_field_id(0), chars);
                    let snippet = generator.snippet(text);
                    let ours = analysed.highlighted(marks, chars, SNIPPET_CHARS);
                    if snippet.is_empty() {
                        assert_eq!(ours, beginning(text, SNIPPET_CHARS), "{text:?} {marks:?} {chars}");
                    } else {
                        assert_eq!(ours.text, snippet.fragment(), "{text:?} {marks:?} {chars}");
                        assert_eq!(ours.marks, snippet.highlighted(), "{text:?} {marks:?} {chars}");
                    }
                }
            }
        }

        // A close term is marked only where the word as typed is in neither text.
        let title = Analysed::new(&mut french, "Une piste");
        let body = Analysed::new(&mut french, "vers l'école");
        let words = [
            WordTerms { exact: piste.clone(), close: vec![cyclable.clone()] },
            WordTerms { exact: "nulle".into(), close: vec![word("école"), "autre".into()] },
        ];
        let marks = marks_for(&title, &body, &words);
        assert_eq!(marks, BTreeMap::from([(piste, 1.0), (word("école"), 0.5)]));
    }

    /// The search page corrects a word instead of widening it: a word the
    /// index lacks stands for its closest terms only (here the one-edit
    /// ones; before, every term within two edits came too, up to thirty),
    /// and a word it holds is searched as typed, with only the rarer terms
    /// one edit away that fit in its own count of documents (a typo in a
    /// text), never a frequent neighbour that is another word.
    #[test]
    fn a_word_is_corrected_to_its_closest_terms_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let texts = Arc::new(Texts::default());
        let mut bodies = vec!["Réparer la fontaine du square."; 8];
        bodies.extend([
            // "fontaine" (fontain) eight times, and once mistyped in a text.
            "Une fontane près du lavoir.",
            // Two edits from "fontanie": not corrections of it when closer terms exist.
            "La font de la chapelle.",
            // "piste" (pist) twice; "poste" (post), one edit away, five times:
            // another word, not a typo.
            "Une piste cyclable.",
            "La piste du stade.",
            "Le bureau de poste.",
            "Un poste de secours.",
            "La poste ferme tôt.",
            "Poste de police.",
            "Une poste mobile.",
            // "pisye": one edit from "piste" and rare, a typo in a text.
            "Une pisye mal écrite.",
        ]);
        for (i, body) in bodies.iter().enumerate() {
            let id = i as u64 + 1;
            texts.0.lock().unwrap().insert(id, proposal(id, "Idée", body));
        }
        crate::search::indexer::rebuild(&store, dir.path(), &*texts, &|_, _| {}).unwrap();
        let search = crate::search::Search::open_with_source(dir.path(), texts.clone());
        search.inner().state.store(super::super::STATE_READY, std::sync::atomic::Ordering::Relaxed);
        let live = search.live().unwrap();
        let searcher = live.reader.searcher();
        let word = |w: &str| analyzer::query_words(w).remove(0);
        let stem = |w: &str| word(w).stem;
        let terms = |w: &str| -> Vec<(String, usize)> { corrections(&searcher, &live.fields, &word(w)).unwrap().1 };

        // Absent: the closest terms only, the most frequent first.
        assert_eq!(doc_freq(&searcher, &live.fields, &stem("fontainx")).unwrap(), 0);
        let absent = terms("fontainx");
        assert_eq!(absent.first().map(|(t, _)| t.clone()), Some(stem("fontaine")), "{absent:?}");
        assert!(absent.iter().all(|(_, d)| *d == 1), "{absent:?}");
        assert!(!absent.iter().any(|(t, _)| *t == stem("font")), "{absent:?}");
        let widened = expansions(&searcher, &live.fields, &word("fontainx"), false).unwrap();
        assert!(widened.iter().any(|(t, _)| *t == stem("font")), "widening keeps it: {widened:?}");
        // Held: its rare typo, not its frequent neighbour.
        let piste = terms("piste");
        assert!(piste.iter().any(|(t, _)| *t == stem("pisye")), "{piste:?}");
        assert!(!piste.iter().any(|(t, _)| *t == stem("poste")), "{piste:?}");
        // Held by one text only, and one edit from a word eight times as
        // frequent: that word is meant.
        assert_eq!(doc_freq(&searcher, &live.fields, &stem("fontane")).unwrap(), 1);
        assert!(terms("fontane").iter().any(|(t, _)| *t == stem("fontaine")));
        // A typo of a word the index holds finds it; a short word is never corrected.
        assert_eq!(terms("pistr").first().map(|(t, _)| t.clone()), Some(stem("piste")));
        assert!(terms("col").is_empty());
    }

    /// The lexicon kept for a small index finds, for every probe and
    /// distance, the very terms (and counts) the automata find in the term
    /// dictionaries, so a word is corrected as before; and a misspelled word
    /// searched through it still finds its proposal.
    #[test]
    fn the_lexicon_finds_what_the_automata_find() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let texts = Arc::new(Texts::default());
        let bodies = [
            ("Réparer la fontaine", "Réparer la fontaine du square, près de l'école Jules-Ferry."),
            ("Une piste cyclable", "Une piste cyclable le long du canal, pistes et poste."),
            ("Des nichoirs", "Pour les mésanges du parc ; une fontane mal écrite, la font."),
            ("Anticonstitutionnellement", "Un mot très long : intergouvernementalisations, 2024, a1b2."),
            ("Crèche", "Ouvrir une crèche à Saint-Exemple, ô joie, naïve idée, œuvre."),
        ];
        for (i, (title, body)) in bodies.iter().enumerate() {
            let id = i as u64 + 1;
            texts.0.lock().unwrap().insert(id, proposal(id, title, body));
        }
        crate::search::indexer::rebuild(&store, dir.path(), &*texts, &|_, _| {}).unwrap();
        let search = crate::search::Search::open_with_source(dir.path(), texts.clone());
        search.inner().state.store(super::super::STATE_READY, std::sync::atomic::Ordering::Relaxed);
        let live = search.live().unwrap();
        let searcher = live.reader.searcher();
        let fields = &live.fields;
        let lexicon = Lexicon::build(&searcher, fields).unwrap().unwrap();

        // Every term, and every term with one edit of each kind, as probes.
        let mut probes: Vec<String> = vec!["x".into(), "".into(), "zzzzzz".into(), "é".into()];
        for term in lexicon.terms() {
            let chars: Vec<char> = term.chars().collect();
            probes.push(term.to_string());
            for i in 0..chars.len() {
                let mut deleted = chars.clone();
                deleted.remove(i);
                probes.push(deleted.iter().collect());
                for c in ['a', 'e', 'z', 'é'] {
                    let mut changed = chars.clone();
                    changed[i] = c;
                    probes.push(changed.iter().collect());
                    let mut added = chars.clone();
                    added.insert(i, c);
                    probes.push(added.iter().collect());
                }
                if i + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    probes.push(swapped.iter().collect());
                }
            }
        }
        let mut compared = 0;
        for probe in &probes {
            for distance in [1u8, 2] {
                let reach = [(probe.clone(), distance)];
                let automata = terms_near(&searcher, fields, None, &reach).unwrap();
                if probe.chars().count() <= super::super::lexicon::MAX_PROBE_CHARS {
                    assert!(lexicon.near(probe, usize::from(distance)).is_some());
                    compared += 1;
                }
                assert_eq!(
                    terms_near(&searcher, fields, Some(&lexicon), &reach).unwrap(),
                    automata,
                    "{probe:?} {distance}"
                );
            }
        }
        assert!(compared > 1_000, "{compared}");
        // Several probes at once: a term near two counts its documents twice, as before.
        let reach = [("fontain".to_string(), 2u8), ("fontai".to_string(), 2u8)];
        assert_eq!(
            terms_near(&searcher, fields, Some(&lexicon), &reach).unwrap(),
            terms_near(&searcher, fields, None, &reach).unwrap()
        );
        for typed in ["fontanie", "fontainx", "pistr", "phste", "piste", "crehce", "ecolz", "nichiors", "col"] {
            let word = analyzer::query_words(typed).remove(0);
            let with = corrections_in(&searcher, fields, Some(&lexicon), &word).unwrap();
            assert_eq!(with, corrections(&searcher, fields, &word).unwrap(), "{typed}");
        }

        // Through the search page's query: the lexicon is kept for the
        // generation, and a misspelled word finds its proposal.
        let tx = store.read().unwrap();
        let found = search.query(&Request { text: "fontanie squar".into(), limit: 10, ..Request::default() }, &tx);
        assert_eq!(found.unwrap().hits.iter().map(|h| h.doc.id).collect::<Vec<_>>(), vec![1]);
        let generation = searcher.generation().generation_id();
        let kept = live.answers.read(generation, |inner| inner.lexicon.clone());
        assert!(kept.is_some_and(|l| l.is_some()), "the lexicon is kept for the generation");
    }

    fn marked(h: &Highlighted) -> Vec<&str> {
        h.pieces().into_iter().filter(|(_, m)| *m).map(|(p, _)| p).collect()
    }
}
