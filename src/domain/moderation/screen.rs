//! The held words: a contribution that contains one waits for a moderator
//! before it is published.
//!
//! The commune lists words and phrases in `moderation.held_words`. Matching
//! ignores case and accents ("IMBÉCILE" matches "imbecile"), and works on
//! whole words, so that a held "con" does not hold "consultation" or
//! "Concarneau". A phrase ("mot de passe") matches the same words in a row.

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;

/// Whether `text` must be held for review under the commune's settings.
pub fn screen(config: &Config, text: &str) -> bool {
    held_word_in(&config.held_words, text).is_some()
}

/// The first held word or phrase found in `text`, as the commune wrote it.
pub fn held_word_in(held: &[String], text: &str) -> Option<String> {
    if held.is_empty() {
        return None;
    }
    let words = words(text);
    held.iter()
        .find(|phrase| {
            let wanted = words_of_phrase(phrase);
            !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
        })
        .cloned()
}

fn words_of_phrase(phrase: &str) -> Vec<String> {
    words(phrase)
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
        held_word_in(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>(), text)
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
    }
}
