//! The open-data export (issue 15): everything public, as CSV and JSON in
//! one ZIP, under the licence the configuration chooses, ready for the
//! national portal (data.gouv.fr).
//!
//! What the archive holds comes from `domain::publication` only (see
//! `datasets.rs`): the same rules as the pages and the API, so that no
//! email, no name its owner did not show, no IP, nothing hidden or held for
//! review, no count of an open vote and nothing of a secret ballot but its
//! anonymous ballots after the close can be in it.
//!
//! The archive:
//! - `README.md`, in French: what it is, when it was made, its licence;
//! - `LICENCE`: the licence's terms and where its official text is;
//! - `datapackage.json`: the Frictionless Data Package that lists every
//!   file with its schema and licence (data.gouv.fr reads it);
//! - per dataset `<name>.json` (the public records, as the API serves them)
//!   and one or more `<table>.csv` (UTF-8, `,`, a header row);
//! - `schemas/<table>.schema.json`: each CSV's Table Schema, the format of
//!   schema.data.gouv.fr, with every column's type and its description.
//!
//! It is made each night into the data directory (`file.rs`), on demand by
//! staff and by `parvis export-open-data`, and served at [`URL_PATH`].

mod datasets;
mod file;
mod licence;
pub mod tables;

use std::io::{Cursor, Write};

use redb::ReadableTable;
use serde_json::{json, Value};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub use self::datasets::{Column, Type};
pub use self::file::{due, generate, last_written, path, run, write_atomically};
pub use self::licence::Licence;
use crate::config::Config;
use crate::store::{ReadTx, StoreError, Tx};
use tables::OPENDATA_COUNTER_BY_NAME;

/// Where the site serves the archive: a fixed address that a portal can
/// harvest every day.
pub const URL_PATH: &str = "/donnees-ouvertes/parvis.zip";

#[derive(Debug, thiserror::Error)]
pub enum OpenDataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the open-data archive cannot be written: {0}")]
    Archive(String),
    #[error("{path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
}

impl From<zip::result::ZipError> for OpenDataError {
    fn from(e: zip::result::ZipError) -> Self {
        OpenDataError::Archive(e.to_string())
    }
}

/// Something published stopped being publishable (a moderator hid or held
/// it, staff hid a report or one of its photos): the archive made before
/// still holds it, so it is stale. Counted in the caller's transaction;
/// every archive carries the count it was made at (its ZIP comment), and
/// the download makes it again when the count moved since ([`is_stale`]).
/// Called from the one place each hiding path goes through
/// (`moderation::save` for what moderation decides, `reports::hide` and
/// `reports::hide_photo` for what staff take down).
pub fn withdrawn(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
    let mut counters = tx.open_table(OPENDATA_COUNTER_BY_NAME)?;
    let n = counters.get(WITHDRAWALS)?.map_or(0, |v| v.value());
    counters.insert(WITHDRAWALS, n + 1)?;
    Ok(())
}

const WITHDRAWALS: &str = "withdrawals";

/// How many times published content was withdrawn (see [`withdrawn`]).
pub fn withdrawals(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(OPENDATA_COUNTER_BY_NAME)?.get(WITHDRAWALS)?.map_or(0, |v| v.value()))
}

/// The ZIP comment's prefix: the withdrawals counted when it was made.
const MADE_AT: &str = "parvis-withdrawals:";

/// Whether `archive` was made before something it holds was withdrawn
/// (or cannot tell when it was made, e.g. a file of an older version).
pub fn is_stale(tx: &impl Tx, archive: &[u8]) -> Result<bool, StoreError> {
    let made_at = zip::ZipArchive::new(Cursor::new(archive))
        .ok()
        .and_then(|z| std::str::from_utf8(z.comment()).ok()?.strip_prefix(MADE_AT)?.trim().parse::<u64>().ok());
    let now = withdrawals(tx)?;
    Ok(made_at.is_none_or(|n| n < now))
}

/// The commune's time zone: the README's date and the files' dates in the
/// ZIP (which has no time zone) are the commune's.
fn commune_tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The archive of everything public at `now`, from one read transaction
/// (a consistent picture of the database).
pub fn build(tx: &ReadTx, config: &Config, now: i64) -> Result<Vec<u8>, OpenDataError> {
    let sets = datasets::all(tx, config, now)?;
    let licence = config.open_data_licence;
    let commune = config.commune.name.as_str();
    let local = jiff::Timestamp::from_second(now)
        .map_err(|e| OpenDataError::Archive(e.to_string()))?
        .to_zoned(commune_tz())
        .datetime();
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(local.year()).unwrap_or(1980),
        local.month().unsigned_abs(),
        local.day().unsigned_abs(),
        local.hour().unsigned_abs(),
        local.minute().unsigned_abs(),
        local.second().unsigned_abs(),
    )
    .unwrap_or_default();
    let options =
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(stamp);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.set_comment(format!("{MADE_AT}{}", withdrawals(tx)?))?;
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), OpenDataError> {
        zip.start_file(name, options)?;
        zip.write_all(bytes).map_err(|e| OpenDataError::Archive(e.to_string()))
    };
    let generated = local.strftime("%d/%m/%Y à %H:%M").to_string();
    add("README.md", readme(config, &sets, &generated).as_bytes())?;
    add("LICENCE", licence.text(commune).as_bytes())?;
    add("datapackage.json", &pretty(&data_package(config, &sets, now))?)?;
    for set in &sets {
        add(&format!("{}.json", set.name), &pretty(&set.json)?)?;
        for table in &set.tables {
            add(&format!("{}.csv", table.name), &csv_bytes(table)?)?;
            add(&format!("schemas/{}.schema.json", table.name), &pretty(&table_schema(table, licence))?)?;
        }
    }
    Ok(zip.finish()?.into_inner())
}

fn pretty(v: &Value) -> Result<Vec<u8>, OpenDataError> {
    serde_json::to_vec_pretty(v).map_err(|e| OpenDataError::Archive(e.to_string()))
}

/// A table as CSV: UTF-8, `,`-separated, a header row of the columns' names.
fn csv_bytes(table: &datasets::Table) -> Result<Vec<u8>, OpenDataError> {
    let bad = |e: csv::Error| OpenDataError::Archive(format!("{}.csv: {e}", table.name));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.columns.iter().map(|c| c.name)).map_err(bad)?;
    for row in &table.rows {
        w.write_record(row).map_err(bad)?;
    }
    w.into_inner().map_err(|e| OpenDataError::Archive(format!("{}.csv: {e}", table.name)))
}

fn licence_json(licence: Licence) -> Value {
    json!([{ "name": licence.spdx(), "title": licence.title(), "path": licence.url() }])
}

/// A table's Table Schema (https://specs.frictionlessdata.io/table-schema/),
/// as schema.data.gouv.fr publishes them: every column with its type and
/// its description in French; an empty cell is a missing value.
fn table_schema(table: &datasets::Table, licence: Licence) -> Value {
    let fields: Vec<Value> = table
        .columns
        .iter()
        .map(|c| json!({ "name": c.name, "type": c.kind.code(), "description": c.description }))
        .collect();
    json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "licenses": licence_json(licence),
        "missingValues": [""],
        "fields": fields,
    })
}

/// The Data Package (https://specs.frictionlessdata.io/data-package/) that
/// lists every file of the archive.
fn data_package(config: &Config, sets: &[datasets::Dataset], now: i64) -> Value {
    let mut resources = Vec::new();
    for set in sets {
        resources.push(json!({
            "name": format!("{}-json", set.name),
            "title": set.title,
            "path": format!("{}.json", set.name),
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }));
        for t in &set.tables {
            resources.push(json!({
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": format!("{}.csv", t.name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ",", "header": true },
                "schema": format!("schemas/{}.schema.json", t.name),
            }));
        }
    }
    json!({
        "name": "parvis-participation",
        "title": format!("Participation citoyenne — {}", config.commune.name),
        "description": "Propositions, signalements, consultations, budgets participatifs, rendez-vous et actualités de la plateforme de participation de la commune.",
        "homepage": config.server.public_url.as_str(),
        "created": publication_time(now),
        "licenses": licence_json(config.open_data_licence),
        "resources": resources,
    })
}

fn publication_time(now: i64) -> String {
    crate::domain::publication::rfc3339(now)
}

/// The archive's README, in French.
fn readme(config: &Config, sets: &[datasets::Dataset], generated: &str) -> String {
    let licence = config.open_data_licence;
    let commune = &config.commune.name;
    let site = config.server.public_url.as_str().trim_end_matches('/');
    let mut files = String::new();
    for set in sets {
        files.push_str(&format!(
            "- `{}.json` : {} (enregistrements complets, comme l'API les sert)\n",
            set.name, set.title
        ));
        for t in &set.tables {
            files.push_str(&format!(
                "- `{}.csv` : {} ; colonnes décrites dans `schemas/{}.schema.json`\n",
                t.name, t.title, t.name
            ));
        }
    }
    format!(
        "# Données ouvertes de la participation citoyenne — {commune}\n\n\
         Ces fichiers contiennent tout ce que la plateforme de participation de la commune de {commune} \
         ({site}) publie : propositions des habitants et réponses de la mairie, signalements, consultations \
         avec leurs résultats et leur bilan, budgets participatifs avec leurs résultats et, après la clôture \
         du vote, les bulletins anonymes, rendez-vous et actualités.\n\n\
         Généré le {generated} (heure de la commune). Ce fichier est refait chaque nuit, et dès qu'un \
         contenu qu'il contient est masqué par la modération ; la dernière version est toujours à \
         l'adresse {site}{URL_PATH}.\n\n\
         ## Licence\n\n\
         {title} ({spdx} ; sur data.gouv.fr : « {data_gouv} »). Texte officiel : {url}. Voir le fichier `LICENCE`.\n\n\
         ## Format\n\n\
         Chaque jeu de données est en JSON et en CSV (UTF-8, séparateur « , », une ligne d'en-tête). \
         Les dates sont en UTC au format ISO 8601, les montants en centimes d'euro, les positions en \
         WGS 84. Une cellule vide est une valeur absente. Chaque CSV a son schéma (Table Schema, le \
         format de schema.data.gouv.fr) dans `schemas/`, qui décrit chaque colonne ; `datapackage.json` \
         liste tous les fichiers.\n\n\
         ## Fichiers\n\n{files}\n\
         ## Ce qui n'est jamais publié\n\n\
         Aucune adresse électronique, aucune adresse IP, aucun nom d'une personne qui n'a pas choisi de le \
         montrer, aucun contenu masqué par la modération ou en attente de relecture, aucun brouillon. Les \
         résultats d'une consultation ne paraissent qu'à sa clôture, les voix d'un budget participatif \
         qu'après le vote (sauf si la commune les montre pendant) et, d'un vote secret, seuls les \
         bulletins anonymes après la clôture. Un groupe de moins de 5 personnes n'est jamais compté à \
         part.\n",
        title = licence.title(),
        spdx = licence.spdx(),
        data_gouv = licence.data_gouv(),
        url = licence.url(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Layers, Value as Setting};

    #[test]
    fn the_licence_is_etalab_by_default_and_a_wrong_word_names_the_key_and_the_choices() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_dir(dir.path(), "Testville", "https://participer.example.fr").unwrap();
        assert_eq!(config.open_data_licence, Licence::Etalab2);

        let mut layers = Layers::defaults();
        layers.set("commune.name", Setting::Text("Testville".into())).unwrap();
        layers.set("server.public_url", Setting::Text("https://participer.example.fr".into())).unwrap();
        layers.set("open_data.licence", Setting::Text("odbl".into())).unwrap();
        assert_eq!(Config::from_layers(layers.clone()).unwrap().open_data_licence, Licence::Odbl);

        // Refused as the file or the environment is read, before start-up.
        let refused = layers.set("open_data.licence", Setting::Text("cc-by".into())).unwrap_err().to_string();
        assert!(
            refused.contains("open_data.licence") && refused.contains("etalab-2.0") && refused.contains("odbl"),
            "{refused}"
        );
    }

    #[test]
    fn every_table_declares_its_columns_once_with_a_french_description() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_dir(dir.path(), "Testville", "https://participer.example.fr").unwrap();
        let store = crate::store::Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
        let tx = store.read().unwrap();
        let sets = datasets::all(&tx, &config, 1_764_511_500).unwrap();
        assert_eq!(sets.len(), 7);
        for t in sets.iter().flat_map(|s| &s.tables) {
            let mut names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), t.columns.len(), "{}: a column twice", t.name);
            assert!(t.columns.iter().all(|c| c.description.ends_with('.')), "{}", t.name);
        }
        let bytes = build(&tx, &config, 1_764_511_500).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert!(zip.by_name("README.md").is_ok() && zip.by_name("LICENCE").is_ok());
    }
}
