use super::*;
use crate::store::Store;

/// The sample commune's file, in the national layout.
const SAMPLE: &str = include_str!("../../../tests/data/ban-saint-exemple.csv");

const HEADER: &str = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles";

fn line(numero: &str, rep: &str, voie: &str, lon: &str, lat: &str) -> String {
    format!("x;x;{numero};{rep};{voie};69999;99999;Saint-Exemple;;;0;0;{lon};{lat};entrée;;;;;;;1;")
}

fn file(lines: &[String]) -> String {
    let mut out = HEADER.to_string();
    for l in lines {
        out.push('\n');
        out.push_str(l);
    }
    out
}

fn store_with(addresses: &[Address]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
    import_into(&store, addresses).unwrap();
    (dir, store)
}

fn import_into(store: &Store, addresses: &[Address]) -> Result<Imported, AddressError> {
    let rows = addresses.to_vec();
    store.writer().write_blocking(move |tx| import(tx, &Actor::command_line(), &rows, 1_700_000_000))
}

fn sample() -> (tempfile::TempDir, Store) {
    store_with(&parse(SAMPLE.as_bytes()).unwrap())
}

fn labels(found: &[Address]) -> Vec<String> {
    found.iter().map(Address::label).collect()
}

fn at(number: &str, street: &str, lat: f64, lon: f64) -> Address {
    Address {
        number: number.into(),
        street: street.into(),
        postcode: "69999".into(),
        commune: "Saint-Exemple".into(),
        lat,
        lon,
    }
}

// --- reading the national file

#[test]
fn the_sample_file_reads_whole_with_numbers_suffixes_and_positions() {
    let all = parse(SAMPLE.as_bytes()).unwrap();
    assert_eq!(all.len(), 320);
    let first = &all[0];
    assert_eq!(first.number, "1 ter");
    assert_eq!(first.street, "Rue de l'Église");
    assert_eq!(first.postcode, "69999");
    assert_eq!(first.commune, "Saint-Exemple");
    assert_eq!((first.lat, first.lon), (45.779355, 4.606795));
    assert_eq!(first.label(), "1 ter Rue de l'Église, 69999 Saint-Exemple");
    assert_eq!(all[1].label(), "4 Rue de l'Église, 69999 Saint-Exemple");
}

#[test]
fn columns_are_read_by_name_whatever_their_order_and_a_bom_is_ignored() {
    let text =
        "\u{feff}lat;lon;nom_commune;code_postal;nom_voie;numero\n45.5;4.5;Saint-Exemple;69999;Rue des Lilas;7\n";
    let all = parse(text.as_bytes()).unwrap();
    assert_eq!(all, vec![Address { number: "7".into(), ..at("", "Rue des Lilas", 45.5, 4.5) }]);
}

#[test]
fn a_place_without_number_has_an_empty_number() {
    let all = parse(file(&[line("99999", "", "Les Grands Champs", "4.6", "45.7")]).as_bytes()).unwrap();
    assert_eq!(all[0].number, "");
    assert_eq!(all[0].label(), "Les Grands Champs, 69999 Saint-Exemple");
}

#[test]
fn a_wrong_value_names_its_line_and_column() {
    let good = line("3", "", "Rue des Lilas", "4.6", "45.7");
    let cases = [
        (line("trois", "", "Rue des Lilas", "4.6", "45.7"), "numero", Problem::Number("trois".into())),
        (line("3", "", "Rue des Lilas", "4,6", "45.7"), "lon", Problem::Longitude("4,6".into())),
        (line("3", "", "Rue des Lilas", "4.6", "95.0"), "lat", Problem::Latitude("95".into())),
        (line("3", "", " ", "4.6", "45.7"), "nom_voie", Problem::Empty),
    ];
    for (bad, column, problem) in cases {
        match parse(file(&[good.clone(), good.clone(), bad.clone()]).as_bytes()) {
            Err(AddressError::Line { line: 4, column: c, problem: p }) => {
                assert_eq!((c, p), (column, problem), "{bad}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let postcode = good.replace(";69999;", ";6999;");
    match parse(file(&[postcode]).as_bytes()) {
        Err(e @ AddressError::Line { line: 2, column: "code_postal", .. }) => {
            assert_eq!(e.to_string(), "line 2, column \"code_postal\": \"6999\" is not a postcode (five digits)");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_of_another_shape_is_refused_with_what_is_missing() {
    match parse("numero,nom_voie,code_postal\n1,Rue,69999\n".as_bytes()) {
        Err(AddressError::MissingColumn { column: "numero" }) => {}
        other => panic!("{other:?}"),
    }
    match parse(file(&["x;x;3;;Rue des Lilas;69999".to_string()]).as_bytes()) {
        Err(e @ AddressError::Malformed { line: 2, .. }) => assert!(e.to_string().contains("6 columns"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse(HEADER.as_bytes()), Err(AddressError::Empty)));
    assert!(matches!(parse(&b"numero;nom_voie\n\xff;x\n"[..]), Err(AddressError::MissingColumn { .. })));
}

// --- words

#[test]
fn normalising_folds_case_accents_ligatures_and_punctuation() {
    assert_eq!(normalise("Rue de l'Église"), "rue de l eglise");
    assert_eq!(normalise("  Place du 8-Mai-1945 "), "place du 8 mai 1945");
    assert_eq!(normalise("Cœur ÆSOPE"), "coeur aesope");
    assert_eq!(street_words("Rue de l'Église"), vec!["rue", "eglise"]);
    assert_eq!(street_words("Rue de la Rue"), vec!["rue"]);
    assert_eq!(street_words("La Le"), vec!["la", "le"]);
}

#[test]
fn a_query_finds_its_number_suffix_words_and_postcode() {
    let communes = vec!["saint".to_string(), "exemple".to_string()];
    let q = Query::parse("12 rue de l'egl", &communes);
    assert_eq!(q.house, Some(House { number: 12, suffix: None, trailing: false }));
    assert_eq!(q.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), vec!["rue", "egl"]);
    let q = Query::parse("5ter Rue de l'Église, 69999 Saint-Exemple", &communes);
    assert_eq!(q.house, Some(House { number: 5, suffix: Some("ter".into()), trailing: false }));
    assert_eq!(q.postcode.as_deref(), Some("69999"));
    let optional: Vec<_> = q.words.iter().filter(|w| w.optional).map(|w| w.text.as_str()).collect();
    assert_eq!(optional, vec!["saint", "exemple"]);
    let q = Query::parse("eglise 12 bis", &communes);
    assert_eq!(q.house, Some(House { number: 12, suffix: Some("bis".into()), trailing: true }));
    assert_eq!(Query::parse("", &communes), Query::default());
}

// --- suggestions

#[test]
fn suggestions_match_what_a_resident_types_in_any_order_and_spelling() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    for typed in ["12 rue de l'egl", "eglise 12", "12 RUE DE L'ÉGLISE", "12, rue Eglise"] {
        let found = suggest(&tx, typed, 8).unwrap();
        assert_eq!(
            labels(&found).first().map(String::as_str),
            Some("12 Rue de l'Église, 69999 Saint-Exemple"),
            "{typed}: {:?}",
            labels(&found)
        );
    }
    // Without a number: the street itself first, then its addresses in order.
    let found = labels(&suggest(&tx, "rue eglise", 8).unwrap());
    assert_eq!(found.len(), 8);
    assert_eq!(found[0], "Rue de l'Église, 69999 Saint-Exemple");
    assert_eq!(found[1], "1 ter Rue de l'Église, 69999 Saint-Exemple");
    assert_eq!(found[2], "4 Rue de l'Église, 69999 Saint-Exemple");
}

#[test]
fn a_number_with_a_suffix_finds_that_address_and_a_missing_number_the_nearest_ones() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let found = labels(&suggest(&tx, "5 ter rue de l'eglise", 8).unwrap());
    assert_eq!(found, vec!["5 ter Rue de l'Église, 69999 Saint-Exemple"]);
    // Rue de l'Église has 4 and 5 ter, not 3: the nearest numbers come, the closer first.
    let found = labels(&suggest(&tx, "3 rue de l'eglise", 8).unwrap());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|l| l.contains("Rue de l'Église")), "{found:?}");
}

#[test]
fn several_streets_are_each_offered_and_a_prefix_finds_them() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let found = labels(&suggest(&tx, "chemin", 8).unwrap());
    assert!(found.contains(&"Chemin des Écoliers, 69999 Saint-Exemple".to_string()), "{found:?}");
    assert!(found.contains(&"Chemin du Moulin, 69999 Saint-Exemple".to_string()), "{found:?}");
    let found = labels(&suggest(&tx, "ecol", 3).unwrap());
    assert_eq!(found[0], "Chemin des Écoliers, 69999 Saint-Exemple");
    assert_eq!(found.len(), 3);
    // A word no street has: nothing, rather than any street.
    assert!(suggest(&tx, "rue des papillons", 8).unwrap().is_empty());
    assert!(suggest(&tx, "", 8).unwrap().is_empty());
    assert!(suggest(&tx, "12", 8).unwrap().is_empty());
    assert!(suggest(&tx, "eglise", 0).unwrap().is_empty());
    assert!(suggest(&tx, "rue", 1000).unwrap().len() <= MAX_SUGGESTIONS);
}

#[test]
fn a_number_in_a_street_name_stays_in_the_name() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let found = labels(&suggest(&tx, "place du 8 mai 1945", 8).unwrap());
    assert_eq!(found[0], "Place du 8 Mai 1945, 69999 Saint-Exemple", "{found:?}");
    let found = labels(&suggest(&tx, "9 bis place du 8 mai 1945", 8).unwrap());
    assert_eq!(found, vec!["9 bis Place du 8 Mai 1945, 69999 Saint-Exemple"]);
}

#[test]
fn abbreviations_stand_for_their_words() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let found = labels(&suggest(&tx, "rue st jean", 1).unwrap());
    assert_eq!(found, vec!["Rue Saint-Jean, 69999 Saint-Exemple"]);
    let found = labels(&suggest(&tx, "1 pl mairie", 8).unwrap());
    assert_eq!(found[0], "1 bis Place de la Mairie, 69999 Saint-Exemple", "{found:?}");
    let found = labels(&suggest(&tx, "imp", 8).unwrap());
    assert_eq!(found[0], "Impasse des Hauts, 69999 Saint-Exemple", "{found:?}");
    // An abbreviation is also the beginning of other words.
    let found = labels(&suggest(&tx, "ch ecol", 1).unwrap());
    assert_eq!(found, vec!["Chemin des Écoliers, 69999 Saint-Exemple"]);
}

// --- geocoding

#[test]
fn geocoding_a_full_address_finds_it() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let all = parse(SAMPLE.as_bytes()).unwrap();
    // Every address of the list, typed as its label, is found again.
    for a in &all {
        let found = geocode(&tx, &a.label()).unwrap();
        assert_eq!(found.as_ref().map(Address::label), Some(a.label()));
        assert_eq!(found.map(|f| (f.lat, f.lon)), Some((a.lat, a.lon)));
    }
    assert_eq!(geocode(&tx, "1 avenue des champs elysees, 75008 Paris").unwrap(), None);
}

// --- positions

#[test]
fn distances_are_metres_on_the_earth() {
    assert_eq!(distance_m(45.0, 4.0, 45.0, 4.0), 0.0);
    // One degree of latitude is about 111.2 km.
    let d = distance_m(45.0, 4.0, 46.0, 4.0);
    assert!((d - 111_195.0).abs() < 10.0, "{d}");
    // Paris – Lyon is about 392 km as the crow flies.
    let d = distance_m(48.8566, 2.3522, 45.7640, 4.8357);
    assert!((d - 391_500.0).abs() < 2_000.0, "{d}");
    assert_eq!(distance_m(45.0, 4.0, 45.1, 4.2), distance_m(45.1, 4.2, 45.0, 4.0));
}

#[test]
fn the_nearest_address_is_the_one_a_full_scan_finds() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let all = parse(SAMPLE.as_bytes()).unwrap();
    // Points on a grid over the commune and around it, including far from any address.
    for i in 0..30 {
        for j in 0..30 {
            let (lat, lon) = (45.760 + f64::from(i) * 0.0015, 4.590 + f64::from(j) * 0.0015);
            let expected =
                all.iter().map(|a| (distance_m(lat, lon, a.lat, a.lon), a)).min_by(|x, y| x.0.total_cmp(&y.0)).unwrap();
            let (found, d) = nearest(&tx, lat, lon).unwrap().unwrap();
            assert!(
                (d - expected.0).abs() < 1e-6,
                "at {lat},{lon}: {} at {d}, expected {} at {}",
                found.label(),
                expected.1.label(),
                expected.0
            );
        }
    }
    let a = &all[10];
    let (found, d) = nearest(&tx, a.lat, a.lon).unwrap().unwrap();
    assert_eq!((found.label(), d), (a.label(), 0.0));
}

#[test]
fn nothing_is_near_a_point_far_away_nor_in_an_empty_list() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    assert!(nearest(&tx, 48.8566, 2.3522).unwrap().is_none());
    assert!(nearest(&tx, f64::NAN, 4.6).unwrap().is_none());
    assert!(nearest(&tx, 91.0, 4.6).unwrap().is_none());
    let dir = tempfile::tempdir().unwrap();
    let empty = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
    let tx = empty.read().unwrap();
    assert!(nearest(&tx, 45.7772, 4.6121).unwrap().is_none());
    assert_eq!(count(&tx).unwrap(), 0);
    assert!(suggest(&tx, "eglise", 8).unwrap().is_empty());
}

// --- importing

#[test]
fn an_import_replaces_the_whole_list_and_verifies() {
    let (_dir, store) = sample();
    assert_eq!(count(&store.read().unwrap()).unwrap(), 320);
    let newer =
        vec![at("1", "Rue Neuve", 45.78, 4.61), at("3", "Rue Neuve", 45.781, 4.61), at("3", "Rue Neuve", 45.781, 4.61)];
    let imported = import_into(&store, &newer).unwrap();
    assert_eq!(imported, Imported { addresses: 2, streets: 1, duplicates: 1 });
    let tx = store.read().unwrap();
    assert_eq!(count(&tx).unwrap(), 2);
    assert!(suggest(&tx, "eglise", 8).unwrap().is_empty(), "the old list is gone");
    assert_eq!(labels(&suggest(&tx, "3 neuve", 8).unwrap()), vec!["3 Rue Neuve, 69999 Saint-Exemple"]);
    assert_eq!(nearest(&tx, 45.7772, 4.6121).unwrap().unwrap().0.street, "Rue Neuve");
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    let problems = tables::verify(&tx).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_refused_list_changes_nothing() {
    let (_dir, store) = sample();
    let bad = vec![at("1", "Rue Neuve", 45.78, 4.61), at("2", "", 45.78, 4.61)];
    match import_into(&store, &bad) {
        Err(AddressError::Invalid { index: 2, column: "street", problem: Problem::Empty }) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(import_into(&store, &[]), Err(AddressError::Empty)));
    let far = vec![at("1", "Rue Neuve", 45.78, 200.0)];
    assert!(matches!(import_into(&store, &far), Err(AddressError::Invalid { column: "lon", .. })));
    let tx = store.read().unwrap();
    assert_eq!(count(&tx).unwrap(), 320);
    assert!(!suggest(&tx, "eglise", 8).unwrap().is_empty());
}

#[test]
fn verify_finds_an_address_missing_from_the_grid() {
    let (_dir, store) = sample();
    store
        .writer()
        .write_blocking(|tx| {
            let mut cells = tx.open_table(tables::ADDRESS_ID_BY_CELL)?;
            let first = cells.first()?.map(|(k, _)| k.value());
            if let Some(key) = first {
                cells.remove(key)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let problems = tables::verify(&store.read().unwrap()).unwrap();
    assert!(problems.iter().any(|p| p.contains("missing from the grid")), "{problems:?}");
}

#[test]
fn an_import_is_recorded_in_the_audit_log() {
    let (_dir, store) = sample();
    let tx = store.read().unwrap();
    let filter = crate::domain::audit::Filter { action: Some(Action::CommandLine), ..Default::default() };
    let events = crate::domain::audit::list(&tx, &filter, None, 10).unwrap();
    assert!(events.iter().any(|(_, e)| e.detail == "import-addresses: 320 addresses, 15 streets"), "{events:?}");
}
