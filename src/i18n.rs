//! Translations: Fluent files in `locales/<lang>/parvis.ftl`, embedded at build.
//!
//! French is the default language, English the second. Every string shown to
//! people goes through [`Lang::t`]; a test checks that both files hold the
//! same messages and that every key the code uses exists.
//!
//! Pages call `t` dozens of times each: the loader's own lookup negotiates
//! the language again for every string. Messages without arguments are
//! therefore formatted once per language, at first use, into a table
//! ([`Lang::t`] is then one hash lookup); messages with arguments go straight
//! to the language's bundle, without negotiation.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        // No Unicode isolation marks: they would show up in <title> and attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages of the interface, of mail and of notifications.
///
/// Stored as its code ("fr", "en"): records written when the language was a
/// bare string decode unchanged, and an unknown code is an error, never a
/// silent French.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(deserializer)?;
        Lang::from_code(&code)
            .ok_or_else(|| serde::de::Error::invalid_value(serde::de::Unexpected::Str(&code), &"\"fr\" or \"en\""))
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let q =
                    pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Lang::from_code(primary).map(|l| (q, l))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l)
    }

    /// The name of the language in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::Fr => 0,
            Lang::En => 1,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        &IDS[self.index()]
    }

    /// The message `key`.
    pub fn t(self, key: &str) -> String {
        match FORMATTED[self.index()].get(key) {
            Some(text) => text.clone(),
            None => LOCALES.lookup(self.id(), key),
        }
    }

    /// The message `key`, if it exists.
    pub fn try_t(self, key: &str) -> Option<String> {
        match FORMATTED[self.index()].get(key) {
            Some(text) => Some(text.clone()),
            None => LOCALES.try_lookup(self.id(), key),
        }
    }

    /// The message `key` whose one argument is `$count` (a plural: "3
    /// soutiens").
    pub fn count(self, key: &str, n: u64) -> String {
        self.ta(key, &[("count", Arg::from(n))])
    }

    /// The message `key` with arguments.
    pub fn ta(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let memo = (self.index(), key.to_string(), args.iter().map(|(k, v)| (*k, v.key())).collect::<Vec<_>>());
        if let Some(text) = WITH_ARGS.lock().unwrap_or_else(|e| e.into_inner()).get(&memo) {
            return text.clone();
        }
        let text = self.format(key, args);
        let mut kept = WITH_ARGS.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= FORMATTED_KEPT {
            kept.clear();
        }
        kept.insert(memo, text.clone());
        text
    }

    fn format(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.to_fluent())).collect();
        // The language's own bundle first: both languages hold the same
        // messages (a test checks it), so the negotiating lookup is only for
        // a message missing here.
        match LOCALES.lookup_single_language(self.id(), key, Some(&map)) {
            Ok(text) => text,
            Err(_) => LOCALES.lookup_with_args(self.id(), key, &map),
        }
    }
}

/// Messages with arguments, once formatted: (language, message, its
/// arguments) → text. Pages format the same ones again and again (a count
/// on every card of a list, a filter's option with its count), and
/// formatting a Fluent message (its plural rules, its numbers as floats)
/// costs more than the rest of a card. At most [`FORMATTED_KEPT`] entries:
/// past it the table starts again empty, so arguments typed by visitors (a
/// search's words) never make it grow without bound.
type WithArgs = std::sync::Mutex<HashMap<(usize, String, Vec<(&'static str, ArgKey)>), String>>;
static WITH_ARGS: LazyLock<WithArgs> = LazyLock::new(WithArgs::default);
const FORMATTED_KEPT: usize = 4096;

/// An argument as a memo key.
#[derive(PartialEq, Eq, Hash)]
enum ArgKey {
    Text(String),
    Number(i64),
}

/// The identifiers of [`Lang::ALL`], in the order of [`Lang::index`].
static IDS: LazyLock<[LanguageIdentifier; 2]> =
    LazyLock::new(|| [fluent_templates::langid!("fr"), fluent_templates::langid!("en")]);

/// The message files of each language, in the order of [`Lang::index`] (a
/// test checks that they are all the files of `locales/`).
const SOURCES: [&[&str]; 2] = [
    &[
        include_str!("../locales/fr/parvis.ftl"),
        include_str!("../locales/fr/mail.ftl"),
        include_str!("../locales/fr/consultations.ftl"),
        include_str!("../locales/fr/news.ftl"),
        include_str!("../locales/fr/meetings.ftl"),
        include_str!("../locales/fr/notifications.ftl"),
        include_str!("../locales/fr/newsletters.ftl"),
        include_str!("../locales/fr/verification.ftl"),
        include_str!("../locales/fr/budgets.ftl"),
        include_str!("../locales/fr/api.ftl"),
        include_str!("../locales/fr/budgets_staff.ftl"),
        include_str!("../locales/fr/metrics.ftl"),
        include_str!("../locales/fr/budget_photos.ftl"),
        include_str!("../locales/fr/notifications_kinds.ftl"),
        include_str!("../locales/fr/opendata.ftl"),
        include_str!("../locales/fr/budgets_follow_up.ftl"),
        include_str!("../locales/fr/budgets_polling.ftl"),
        include_str!("../locales/fr/impact.ftl"),
        include_str!("../locales/fr/satisfaction.ftl"),
        include_str!("../locales/fr/promotion.ftl"),
        include_str!("../locales/fr/improve.ftl"),
        include_str!("../locales/fr/share.ftl"),
        include_str!("../locales/fr/launch.ftl"),
        include_str!("../locales/fr/groups.ftl"),
    ],
    &[
        include_str!("../locales/en/parvis.ftl"),
        include_str!("../locales/en/mail.ftl"),
        include_str!("../locales/en/consultations.ftl"),
        include_str!("../locales/en/news.ftl"),
        include_str!("../locales/en/meetings.ftl"),
        include_str!("../locales/en/notifications.ftl"),
        include_str!("../locales/en/newsletters.ftl"),
        include_str!("../locales/en/verification.ftl"),
        include_str!("../locales/en/budgets.ftl"),
        include_str!("../locales/en/api.ftl"),
        include_str!("../locales/en/budgets_staff.ftl"),
        include_str!("../locales/en/metrics.ftl"),
        include_str!("../locales/en/budget_photos.ftl"),
        include_str!("../locales/en/notifications_kinds.ftl"),
        include_str!("../locales/en/opendata.ftl"),
        include_str!("../locales/en/budgets_follow_up.ftl"),
        include_str!("../locales/en/budgets_polling.ftl"),
        include_str!("../locales/en/impact.ftl"),
        include_str!("../locales/en/satisfaction.ftl"),
        include_str!("../locales/en/promotion.ftl"),
        include_str!("../locales/en/improve.ftl"),
        include_str!("../locales/en/share.ftl"),
        include_str!("../locales/en/launch.ftl"),
        include_str!("../locales/en/groups.ftl"),
    ],
];

/// Every message that needs no argument, formatted once per language.
static FORMATTED: LazyLock<[HashMap<String, String>; 2]> = LazyLock::new(|| [formatted(Lang::Fr), formatted(Lang::En)]);

fn formatted(lang: Lang) -> HashMap<String, String> {
    let mut table = HashMap::new();
    let none: Option<&HashMap<Cow<'static, str>, FluentValue>> = None;
    for id in SOURCES[lang.index()].iter().flat_map(|source| message_ids(source)) {
        // A message that needs arguments fails to format without them.
        if let Ok(text) = LOCALES.lookup_single_language(lang.id(), id, none) {
            table.insert(id.to_string(), text);
        }
    }
    table
}

/// The ids of a Fluent file's messages: a line `id = …` that is not indented,
/// a comment, an attribute or a term (`-term`).
fn message_ids(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '.', '-']))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim()))
        .filter(|id| !id.is_empty())
}

/// An argument of a translated message.
pub enum Arg {
    Text(String),
    Number(i64),
}

impl Arg {
    fn key(&self) -> ArgKey {
        match self {
            Arg::Text(s) => ArgKey::Text(s.clone()),
            Arg::Number(n) => ArgKey::Number(*n),
        }
    }

    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(n as i64)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.'))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .filter(|id| !id.is_empty())
            .collect()
    }

    /// Every message file of a language, concatenated.
    fn all_of(lang: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn french_and_english_hold_the_same_messages() {
        let fr = ids(&all_of("fr"));
        let en = ids(&all_of("en"));
        assert!(fr.len() > 20);
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(only_fr.is_empty() && only_en.is_empty(), "only in fr: {only_fr:?}; only in en: {only_en:?}");
    }

    /// Every `.t("key")` / `.ta("key"` / `.count("key"` in the code names a message that exists.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let fr = ids(&all_of("fr"));
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let full = std::fs::read_to_string(&path).unwrap();
                // Comments may show the pattern without naming a message.
                let text: String =
                    full.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
                for marker in [".t(\"", ".ta(\"", ".count(\""] {
                    for (pos, _) in text.match_indices(marker) {
                        let rest = &text[pos + marker.len()..];
                        let key: String = rest.chars().take_while(|c| *c != '"').collect();
                        if !fr.contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }

    #[test]
    fn a_language_is_stored_as_its_code_and_an_unknown_code_is_refused() {
        // Records written when the language was a String decode unchanged.
        let old = postcard::to_allocvec(&"en".to_string()).unwrap();
        assert_eq!(postcard::from_bytes::<Lang>(&old).unwrap(), Lang::En);
        assert_eq!(postcard::to_allocvec(&Lang::Fr).unwrap(), postcard::to_allocvec(&"fr".to_string()).unwrap());
        let bad = postcard::to_allocvec(&"xx".to_string()).unwrap();
        assert!(postcard::from_bytes::<Lang>(&bad).is_err());
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
    }

    #[test]
    fn every_message_file_is_embedded_and_the_table_gives_what_the_loader_gives() {
        for (lang, code) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(code);
            let on_disk: String = {
                let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
                files.sort();
                files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>().concat()
            };
            let embedded: String = SOURCES[lang.index()].concat();
            assert_eq!(on_disk.len(), embedded.len(), "a file of locales/{code} is missing from SOURCES");
            let table = &FORMATTED[lang.index()];
            assert!(table.len() > 300, "{}", table.len());
            for (key, text) in table {
                assert_eq!(text, &LOCALES.lookup(lang.id(), key), "{key}");
            }
        }
        // Messages with arguments are not in the table and still work.
        assert!(!FORMATTED[0].contains_key("home-residents"));
        assert!(Lang::Fr.ta("home-residents", &[("count", Arg::from(3u64))]).contains('3'));
        assert_eq!(Lang::En.t("no-such-message"), LOCALES.lookup(Lang::En.id(), "no-such-message"));
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de-DE,fr;q=0.5,en;q=0.4"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn messages_are_translated_with_arguments() {
        assert_eq!(Lang::Fr.t("nav-home"), "Accueil");
        assert_eq!(Lang::En.t("nav-home"), "Home");
        let fr = Lang::Fr.ta("home-residents", &[("count", Arg::from(2u64))]);
        assert!(fr.contains('2') && fr.contains("inscrits"), "{fr}");
        let en1 = Lang::En.ta("home-residents", &[("count", Arg::from(1u64))]);
        assert!(en1.contains("1 resident "), "{en1}");
    }

    #[test]
    fn a_kept_message_is_the_formatted_one_for_its_language_and_arguments() {
        for n in [0u64, 1, 2, 7, 999, 1000, 12_345] {
            for lang in Lang::ALL {
                let formatted = lang.format("proposal-supports", &[("count", Arg::from(n))]);
                assert_eq!(lang.count("proposal-supports", n), formatted, "{lang} {n}");
                assert_eq!(lang.count("proposal-supports", n), formatted, "{lang} {n}, kept");
            }
        }
        let args = |label: &str| [("label", Arg::from(label)), ("count", Arg::from(3u64))];
        let bancs = Lang::Fr.ta("search-option-count", &args("Bancs"));
        assert_eq!(bancs, Lang::Fr.format("search-option-count", &args("Bancs")));
        assert_ne!(Lang::Fr.ta("search-option-count", &args("Arbres")), bancs, "another argument, another text");
        assert_ne!(Lang::Fr.count("proposal-supports", 2), Lang::En.count("proposal-supports", 2));
        assert_ne!(Lang::Fr.count("proposal-supports", 1), Lang::Fr.count("proposal-supports", 2));
    }
}
