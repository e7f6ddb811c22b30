//! The terms of a small index in memory, for correcting a search's words
//! without walking the term dictionaries.
//!
//! A search never asked corrects each word against the index: a Levenshtein
//! automaton is built for the word (and for its beginnings, see
//! `query::beginnings`) and walked through the title's and the body's term
//! dictionaries of every segment. On the demo's data (1,000 documents) a
//! profile of searches never asked put about a third of their server CPU
//! there: building the automata (allocating their tables) and streaming
//! the dictionaries through them.
//!
//! For a small index the terms are kept here instead, once per searcher
//! generation, with every string that deleting up to [`MAX_DISTANCE`]
//! letters makes of them (the symmetric-delete scheme of SymSpell): two
//! words within `k` edits (insertions, deletions, substitutions, adjacent
//! transpositions) always share a string made by deleting at most `k`
//! letters from each, so the candidates looked up this way include every
//! term the automaton accepts; each candidate is then checked with the same
//! distance (optimal string alignment, counted on characters, as the
//! automaton with transpositions counts). A test checks that both give the
//! same terms.

use std::collections::{HashMap, HashSet};

use tantivy::Searcher;

use super::schema::Fields;
use super::SearchError;

/// Corrections go at most this far (`QueryWord::max_typos`).
pub const MAX_DISTANCE: usize = 2;

/// Probes longer than this (in characters) are looked up with automata: the
/// strings made by deleting letters grow with the square of a word's
/// length, and nobody mistypes such long words in a commune's search.
pub const MAX_PROBE_CHARS: usize = 16;

/// Above this many distinct terms the index is not small: the automata are
/// walked instead (building the lexicon would cost more than it saves).
const MAX_TERMS: usize = 30_000;

/// The terms of the title and body fields with the documents holding each
/// (summed over both fields and every segment, as `query::terms_of` counts).
pub struct Lexicon {
    terms: Vec<(String, u64)>,
    /// Each string made by deleting up to [`MAX_DISTANCE`] characters of a
    /// term (the term itself included): the terms it was made of.
    deletions: HashMap<String, Vec<u32>>,
}

impl Lexicon {
    /// The lexicon of `searcher`'s segments, or `None` when the index holds
    /// too many terms to keep them so.
    pub fn build(searcher: &Searcher, fields: &Fields) -> Result<Option<Lexicon>, SearchError> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            for field in [fields.title, fields.body] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    if let Ok(text) = std::str::from_utf8(stream.key()) {
                        *counts.entry(text.to_string()).or_default() += u64::from(stream.value().doc_freq);
                    }
                    if counts.len() > MAX_TERMS {
                        return Ok(None);
                    }
                }
            }
        }
        let mut terms: Vec<(String, u64)> = counts.into_iter().collect();
        terms.sort();
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, (term, _)) in terms.iter().enumerate() {
            // A term longer than a probe can be plus the distance is never
            // within reach of one.
            if term.chars().count() > MAX_PROBE_CHARS + MAX_DISTANCE {
                continue;
            }
            let Ok(i) = u32::try_from(i) else { return Ok(None) };
            for variant in deleted(term, MAX_DISTANCE) {
                deletions.entry(variant).or_default().push(i);
            }
        }
        Ok(Some(Lexicon { terms, deletions }))
    }

    /// The terms within `distance` edits of `probe`, with their documents;
    /// `None` for a probe this lexicon cannot answer (too long, or too far).
    pub fn near(&self, probe: &str, distance: usize) -> Option<Vec<(&str, u64)>> {
        if distance > MAX_DISTANCE || probe.chars().count() > MAX_PROBE_CHARS {
            return None;
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for variant in deleted(probe, distance) {
            for &i in self.deletions.get(&variant).into_iter().flatten() {
                if !seen.insert(i) {
                    continue;
                }
                let Some((term, n)) = self.terms.get(i as usize) else { continue };
                if strsim::osa_distance(term, probe) <= distance {
                    out.push((term.as_str(), *n));
                }
            }
        }
        Some(out)
    }

    /// Every term it holds, in order.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|(t, _)| t.as_str())
    }
}

/// `word` and every string made of it by deleting up to `distance` of its
/// characters, each once.
fn deleted(word: &str, distance: usize) -> HashSet<String> {
    let mut out = HashSet::new();
    out.insert(word.to_string());
    let mut layer = vec![word.to_string()];
    for _ in 0..distance {
        let mut next = Vec::new();
        for w in &layer {
            for (at, c) in w.char_indices() {
                let mut shorter = String::with_capacity(w.len());
                shorter.push_str(&w[..at]);
                shorter.push_str(&w[at + c.len_utf8()..]);
                if out.insert(shorter.clone()) {
                    next.push(shorter);
                }
            }
        }
        layer = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleting_letters_gives_each_shorter_string_once() {
        let mut one: Vec<String> = deleted("pist", 1).into_iter().collect();
        one.sort();
        assert_eq!(one, ["ist", "pis", "pist", "pit", "pst"]);
        assert_eq!(deleted("ab", 2).len(), 4, "ab, a, b and the empty string");
        assert!(deleted("éco", 1).contains("co"), "characters, not bytes");
    }
}
