//! French analysis: how text becomes index terms, the same way for documents
//! and for queries.
//!
//! Words are split, lowercased, stripped of their accents, cleared of French
//! stop words and stemmed. Accents are folded *before* stop words and
//! stemming so that a resident typing without accents ("ecole", "reunion")
//! gets exactly the terms of the accented text ("école", "réunion"): both go
//! through the same steps from the same letters.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TokenStream,
};

/// The name the analyzer is registered under in the index.
pub const FRENCH: &str = "fr";

/// Longer tokens are dropped (URLs, hashes): no one searches for them.
const MAX_TOKEN_BYTES: usize = 40;

/// tantivy's French stop words (the Snowball list, as `StopWordFilter::new(Language::French)`
/// holds it; that list is private, so it is repeated here to be folded like
/// the text). A test checks that tantivy removes every one of them too.
const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la", "le",
    "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par",
    "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
    "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y", "étée", "étées", "étant", "suis", "es",
    "êtes", "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent", "sois",
    "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions", "fussiez", "fussent", "ayant", "eu", "eue",
    "eues", "eus", "ai", "avons", "avez", "ont", "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions",
    "auriez", "auraient", "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies",
    "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent", "ceci", "cela",
    "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle", "quelles", "sans", "soi",
];

/// Splits, lowercases and folds accents: the words as typed, before stop
/// words and stemming.
fn folding() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The stop words, folded like the text they are removed from.
fn folded_stop_words() -> Vec<String> {
    let mut fold = folding();
    let mut out = Vec::with_capacity(FRENCH_STOP_WORDS.len());
    for word in FRENCH_STOP_WORDS {
        let mut stream = fold.token_stream(word);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
    }
    out
}

/// The analyzer of every text field: SimpleTokenizer → RemoveLong →
/// LowerCaser → AsciiFolding → StopWords (French, folded) → Stemmer (French).
///
/// Built once: folding the stop words into a set costs more than analysing
/// a query, and every search analyses its words. A clone shares the set.
pub fn french() -> TextAnalyzer {
    static FRENCH: std::sync::LazyLock<TextAnalyzer> = std::sync::LazyLock::new(build_french);
    FRENCH.clone()
}

fn build_french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(folded_stop_words()))
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The terms of `text`, in order (stop words removed).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A word of a query: as typed (folded) and as indexed (stemmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// Lowercased, without accents: its length decides the typo tolerance.
    pub folded: String,
    /// The index term.
    pub stem: String,
}

impl QueryWord {
    /// How many typos a word of this length tolerates: none under 4 letters
    /// ("rue" would match "ru", "vue", "rua"…), one up to 7, two beyond.
    pub fn max_typos(&self) -> u8 {
        match self.folded.chars().count() {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        }
    }
}

/// Turns a query into its words, stop words removed.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    let mut fold = folding();
    let mut french = french();
    let mut out: Vec<QueryWord> = Vec::new();
    for folded in terms(&mut fold, text) {
        // The folded word alone through the full chain: no term if it is a stop word.
        if let Some(stem) = terms(&mut french, &folded).into_iter().next() {
            if !out.iter().any(|w| w.stem == stem) {
                out.push(QueryWord { folded, stem });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Vec<String> {
        terms(&mut french(), text)
    }

    #[test]
    fn accented_and_plain_spellings_give_the_same_terms() {
        assert_eq!(analyse("réunions"), analyse("reunion"));
        assert_eq!(analyse("École"), analyse("ecole"));
        assert_eq!(analyse("L'école élémentaire"), analyse("l ecole elementaire"));
        assert_eq!(analyse("aménagements"), analyse("amenagement"));
        assert_eq!(analyse("Pistes CYCLABLES"), analyse("piste cyclable"));
    }

    #[test]
    fn stop_words_are_removed_with_or_without_accents() {
        assert_eq!(analyse("à la mairie"), analyse("mairie"));
        assert_eq!(analyse("a la mairie"), analyse("mairie"));
        assert_eq!(analyse("même"), Vec::<String>::new());
        assert_eq!(analyse("meme"), Vec::<String>::new());
        assert_eq!(analyse("ils étaient là"), analyse("la"));
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(analyse(&format!("parc {long}")), analyse("parc"));
    }

    #[test]
    fn the_stop_words_are_tantivys() {
        let mut tantivy = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::French).unwrap())
            .build();
        for word in FRENCH_STOP_WORDS {
            assert!(terms(&mut tantivy, word).is_empty(), "{word} is not one of tantivy's French stop words");
        }
    }

    #[test]
    fn query_words_keep_their_typed_length_for_typo_tolerance() {
        let words = query_words("Les réunions du cyclabel, à l'école");
        let folded: Vec<_> = words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, vec!["reunions", "cyclabel", "ecole"]);
        assert_eq!(words.iter().map(QueryWord::max_typos).collect::<Vec<_>>(), vec![2, 2, 1]);
        assert_eq!(query_words("rue")[0].max_typos(), 0);
        assert!(query_words("le la les").is_empty());
        // The same word twice is one word.
        assert_eq!(query_words("parc parcs").len(), 1);
    }
}
