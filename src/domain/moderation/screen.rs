//! The held words: a contribution that contains one waits for a moderator
//! before it is published.
//!
//! The commune lists words and phrases in `moderation.held_words`. Matching
//! ignores case and accents ("IMBÉCILE" matches "imbecile"), and works on
//! whole words, so that a held "con" does not hold "consultation" or
//! "Concarneau". A phrase ("mot de passe") matches the same words in a row.

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;

/// The commune's held words, folded once (lower case, no accents, split into
/// words) so that screening a text only folds the text. Operations take this
/// rather than the whole configuration: they need the list, nothing else.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeldWords {
    /// Each phrase as the commune wrote it, and its folded words.
    phrases: Vec<(String, Vec<String>)>,
}

impl HeldWords {
    pub fn new(list: &[String]) -> HeldWords {
        let phrases = list
            .iter()
            .map(|phrase| (phrase.clone(), words(phrase)))
            .filter(|(_, folded)| !folded.is_empty())
            .collect();
        HeldWords { phrases }
    }

    /// The list of `moderation.held_words`.
    pub fn of(config: &Config) -> HeldWords {
        HeldWords::new(&config.held_words)
    }

    /// The first held word or phrase found in `text`, as the commune wrote it.
    pub fn first_in(&self, text: &str) -> Option<&str> {
        if self.phrases.is_empty() {
            return None;
        }
        let words = words(text);
        self.phrases
            .iter()
            .find(|(_, wanted)| words.windows(wanted.len()).any(|w| w == wanted.as_slice()))
            .map(|(phrase, _)| phrase.as_str())
    }
}

/// Whether `text` must be held for review.
pub fn screen(held: &HeldWords, text: &str) -> bool {
    held.first_in(text).is_some()
}

/// The words of a text, lower case, without accents. Apostrophes and
/// hyphens separate words ("l'imbécile", "peut-être").
fn words(text: &str) -> Vec<String> {
    let folded: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .flat_map(|c| match c {
            // Ligatures do not decompose: write them as the letters people type.
            'œ' => vec!['o', 'e'],
            'æ' => vec!['a', 'e'],
            'ß' => vec!['s', 's'],
            c => vec![c],
        })
        .collect();
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(list: &[&str], text: &str) -> Option<String> {
        HeldWords::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).first_in(text).map(str::to_string)
    }

    #[test]
    fn whole_words_match_whatever_their_case_and_accents() {
        let list = ["imbécile", "con", "mot de passe"];
        assert_eq!(held(&list, "Quel IMBECILE !"), Some("imbécile".into()));
        assert_eq!(held(&list, "l'imbécile du coin"), Some("imbécile".into()));
        assert_eq!(held(&list, "C'est un con."), Some("con".into()));
        assert_eq!(held(&list, "La consultation de Concarneau"), None);
        assert_eq!(held(&list, "donnez votre Mot  de   Passe"), Some("mot de passe".into()));
        assert_eq!(held(&list, "un mot, de passe"), Some("mot de passe".into()), "punctuation separates words");
        assert_eq!(held(&list, "motdepasse"), None);
        assert_eq!(held(&[], "imbécile"), None);
        assert_eq!(held(&["Œuvre"], "une oeuvre"), Some("Œuvre".into()));
        assert_eq!(held(&["!!"], "!! quoi"), None, "a phrase without words holds nothing");
    }

    #[test]
    fn the_list_is_read_from_the_configuration() {
        let mut config = Config::for_dir(&std::env::temp_dir(), "Testville", "http://localhost").unwrap();
        config.held_words = vec!["arnaque".into()];
        let held = HeldWords::of(&config);
        assert!(screen(&held, "Une ARNAQUE"));
        assert!(!screen(&HeldWords::default(), "Une arnaque"));
    }
}
