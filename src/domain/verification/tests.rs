//! The rules of verification on a temporary database.

use super::letters::{shown, ALPHABET, CODE_LEN};
use super::*;
use crate::domain::accounts::NewAccount;
use crate::domain::audit::{self, Filter};
use crate::i18n::Lang;
use crate::store::Store;

/// 2026-11-30 12:00 UTC.
const NOW: i64 = 1_796_040_000;
const DAY: i64 = 86_400;

fn date(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    staff: Actor,
}

fn account(store: &Store, email: &str, role: Role) -> AccountId {
    let new = NewAccount {
        email: email.into(),
        display_name: email.into(),
        role,
        password_hash: String::new(),
        must_change_password: false,
        language: Lang::Fr,
        neighbourhood: None,
    };
    store.writer().write_blocking(move |tx| accounts::create(tx, &new)).unwrap()
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_test_key(&dir.path().join("parvis.redb"), 8).unwrap();
    let staff = account(&store, "agent@mairie.test", Role::Staff);
    World { _dir: dir, store, staff: Actor::person(staff, "192.0.2.1") }
}

impl World {
    fn write<T: Send + 'static>(
        &self,
        op: impl FnMut(&WriteTx) -> Result<T, VerificationError> + Send + 'static,
    ) -> Result<T, VerificationError> {
        self.store.writer().write_blocking(op)
    }

    fn role(&self, id: AccountId) -> Role {
        accounts::role_of(&self.store.read().unwrap(), id).unwrap().unwrap()
    }

    fn events(&self, action: Action) -> Vec<audit::Event> {
        let tx = self.store.read().unwrap();
        let all = audit::list(&tx, &Filter::default(), None, usize::MAX).unwrap();
        all.into_iter().map(|(_, e)| e).filter(|e| e.action == action).collect()
    }
}

fn camille() -> Person {
    Person { last_name: "Lefèvre".into(), first_names: "Camille Anne".into(), birth_date: date("2008-12-05") }
}

#[test]
fn names_compare_without_case_accents_or_hyphens() {
    assert_eq!(normalise_name("  Jean-Éric  D'ARC "), "jean eric d arc");
    assert_eq!(normalise_name("Jean Eric d’Arc"), "jean eric d arc");
    let w = world();
    let tx = w.store.read().unwrap();
    let a = person_key(&tx, "LEFÈVRE", "Camille-Anne", date("2008-12-05"));
    let b = person_key(&tx, "lefevre", "camille anne", date("2008-12-05"));
    assert!(a.is_some() && a == b);
    assert_ne!(a, person_key(&tx, "lefevre", "camille anne", date("2008-12-06")));
    assert_eq!(person_key(&tx, " - ", "x", date("2008-12-05")), None);
}

#[test]
fn ages_count_whole_years_on_the_day() {
    let born = date("2008-12-05");
    assert_eq!(years_between(born, date("2024-12-04")), 15);
    assert_eq!(years_between(born, date("2024-12-05")), 16);
    assert_eq!(years_between(born, date("2000-01-01")), 0, "before birth");
    assert_eq!(years_between(date("2008-02-29"), date("2026-02-28")), 17);
    assert_eq!(years_between(date("2008-02-29"), date("2026-03-01")), 18);
}

#[test]
fn staff_verify_at_the_counter_once_per_person_and_revoke_with_a_reason() {
    let w = world();
    let (a, b) = (account(&w.store, "a@x.test", Role::Resident), account(&w.store, "b@x.test", Role::Resident));
    let resident = Actor::person(a, "192.0.2.9");
    // Only staff verify at the counter.
    let refused = w.write(move |tx| verify_at_counter(tx, &resident, a, Document::Passport, &camille(), NOW));
    assert!(matches!(refused, Err(VerificationError::NotAllowed)), "{refused:?}");
    let staff = w.staff.clone();
    w.write(move |tx| verify_at_counter(tx, &staff, a, Document::IdentityCard, &camille(), NOW)).unwrap();
    assert_eq!(w.role(a), Role::VerifiedResident);
    let tx = w.store.read().unwrap();
    let v = status(&tx, a).unwrap().unwrap();
    assert_eq!((v.method, v.document, v.verified_by), (Method::Counter, Some(Document::IdentityCard), w.staff.account));
    assert_eq!(age_on(&tx, a, date("2024-12-05")).unwrap(), Some(16));
    assert_eq!(age_on(&tx, a, date("2024-12-04")).unwrap(), Some(15));
    assert_eq!(age_on(&tx, b, date("2024-12-05")).unwrap(), None, "not verified");
    drop(tx);
    let events = w.events(Action::ResidentVerified);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].subject, events[0].detail.as_str()), (Some(a), "verified: counter (identity-card)"));

    // The same person (typed otherwise) on a second account: refused.
    let staff = w.staff.clone();
    let same = Person { last_name: "LEFEVRE".into(), first_names: "camille-anne".into(), ..camille() };
    let twice = w.write(move |tx| verify_at_counter(tx, &staff, b, Document::Passport, &same, NOW));
    assert!(matches!(twice, Err(VerificationError::PersonTaken)), "{twice:?}");
    assert_eq!(w.role(b), Role::Resident);
    let staff = w.staff.clone();
    let again = w.write(move |tx| verify_at_counter(tx, &staff, a, Document::Passport, &camille(), NOW));
    assert!(matches!(again, Err(VerificationError::AlreadyVerified)), "{again:?}");

    // Revoking needs a reason, is audited, gives the role back and frees the person.
    let staff = w.staff.clone();
    let no_reason = w.write(move |tx| revoke(tx, &staff, a, "  ", NOW + 10));
    assert!(matches!(no_reason, Err(VerificationError::BadReason)));
    let staff = w.staff.clone();
    w.write(move |tx| revoke(tx, &staff, a, "Mauvais\n compte", NOW + 10)).unwrap();
    assert_eq!(w.role(a), Role::Resident);
    assert!(status(&w.store.read().unwrap(), a).unwrap().is_none());
    let revoked = w.events(Action::VerificationRevoked);
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].detail, "revoked (counter): Mauvais compte");
    assert_eq!((revoked[0].actor, revoked[0].subject), (w.staff.account, Some(a)));
    let staff = w.staff.clone();
    w.write(move |tx| verify_at_counter(tx, &staff, b, Document::Passport, &camille(), NOW + 20)).unwrap();
    assert!(w.store.verify().unwrap().is_ok());
}

#[test]
fn staff_keep_their_role_when_verified_by_a_colleague_never_by_themselves() {
    let w = world();
    let staff_id = w.staff.account.unwrap();
    let staff = w.staff.clone();
    let own = w.write(move |tx| verify_at_counter(tx, &staff, staff_id, Document::Passport, &camille(), NOW));
    assert!(matches!(own, Err(VerificationError::OwnAccount)), "{own:?}");
    let colleague = Actor::person(account(&w.store, "collegue@mairie.test", Role::Admin), "192.0.2.3");
    w.write(move |tx| verify_at_counter(tx, &colleague, staff_id, Document::Passport, &camille(), NOW)).unwrap();
    assert_eq!(w.role(staff_id), Role::Staff);
}

#[test]
fn a_birth_date_in_the_future_or_an_empty_name_is_refused() {
    let w = world();
    let a = account(&w.store, "a@x.test", Role::Resident);
    for (person, expected) in [
        (Person { birth_date: date("2027-01-01"), ..camille() }, "BadBirthDate"),
        (Person { last_name: "  ".into(), ..camille() }, "BadName"),
    ] {
        let staff = w.staff.clone();
        let r = w.write(move |tx| verify_at_counter(tx, &staff, a, Document::Passport, &person, NOW));
        assert!(format!("{r:?}").contains(expected), "{r:?}");
    }
}

fn lines() -> Vec<String> {
    vec!["Camille Lefèvre".into(), "12 rue de l'Église".into(), "".into(), "69999 Saint-Exemple".into()]
}

#[test]
fn a_code_by_post_verifies_once_and_only_its_own_account() {
    let w = world();
    let (a, b) = (account(&w.store, "a@x.test", Role::Resident), account(&w.store, "b@x.test", Role::Resident));
    let (ra, rb) = (Actor::person(a, "192.0.2.9"), Actor::person(b, "192.0.2.10"));
    let bad = vec!["Une seule ligne".to_string()];
    let r = ra.clone();
    assert!(matches!(w.write(move |tx| request_letter(tx, &r, a, &bad, NOW)), Err(VerificationError::BadAddress)));
    let r = ra.clone();
    w.write(move |tx| request_letter(tx, &r, a, &lines(), NOW)).unwrap();
    let r = rb.clone();
    w.write(move |tx| request_letter(tx, &r, b, &lines(), NOW)).unwrap();
    // A third asks, then is verified at the counter meanwhile: no letter for them.
    let c = account(&w.store, "c@x.test", Role::Resident);
    let rc = Actor::person(c, "192.0.2.11");
    w.write(move |tx| request_letter(tx, &rc, c, &lines(), NOW)).unwrap();
    let staff = w.staff.clone();
    w.write(move |tx| verify_at_counter(tx, &staff, c, Document::Passport, &camille(), NOW)).unwrap();
    assert!(letter_of(&w.store.read().unwrap(), c).unwrap().is_none());
    assert_eq!(pending_letters(&w.store.read().unwrap()).unwrap().len(), 2);

    // A resident cannot print; staff print both, the addresses go.
    let r = ra.clone();
    assert!(matches!(w.write(move |tx| print_letters(tx, &r, 60, NOW)), Err(VerificationError::NotAllowed)));
    let staff = w.staff.clone();
    let printed = w.write(move |tx| print_letters(tx, &staff, 60, NOW + DAY)).unwrap();
    assert_eq!(printed.len(), 2);
    assert_eq!(printed[0].lines, ["Camille Lefèvre", "12 rue de l'Église", "69999 Saint-Exemple"]);
    assert_eq!(printed[0].expires_at, NOW + 61 * DAY);
    assert!(printed.iter().all(|p| p.code.len() == CODE_LEN && p.code.bytes().all(|c| ALPHABET.contains(&c))));
    assert_ne!(printed[0].code, printed[1].code);
    assert!(pending_letters(&w.store.read().unwrap()).unwrap().is_empty());
    assert!(letter_of(&w.store.read().unwrap(), a).unwrap().unwrap().address.is_none(), "address deleted once printed");
    assert_eq!(w.events(Action::VerificationLettersPrinted)[0].detail, "2 letters");
    let code_a = printed.iter().find(|p| p.account == a).unwrap().code.clone();

    // Wrong code, then another account's code: refused; the right one, typed loosely: verified.
    let r = ra.clone();
    assert_eq!(w.write(move |tx| use_code(tx, &r, a, "AAAAA-AAAAA", NOW + 2 * DAY)).unwrap(), CodeOutcome::Invalid);
    let (r, code) = (rb.clone(), code_a.clone());
    assert_eq!(w.write(move |tx| use_code(tx, &r, b, &code, NOW + 2 * DAY)).unwrap(), CodeOutcome::Invalid);
    let (r, loose) = (ra.clone(), format!(" {} ", shown(&code_a).to_lowercase()));
    assert_eq!(w.write(move |tx| use_code(tx, &r, a, &loose, NOW + 2 * DAY)).unwrap(), CodeOutcome::Verified);
    assert_eq!(w.role(a), Role::VerifiedResident);
    assert_eq!(w.events(Action::ResidentVerified)[0].detail, "verified: post", "newest first");
    assert!(letter_of(&w.store.read().unwrap(), a).unwrap().is_none());
    // Reused: by the same account once revoked, the code is dead.
    let staff = w.staff.clone();
    w.write(move |tx| revoke(tx, &staff, a, "Essai", NOW + 3 * DAY)).unwrap();
    let (r, code) = (ra.clone(), code_a.clone());
    assert_eq!(w.write(move |tx| use_code(tx, &r, a, &code, NOW + 3 * DAY)).unwrap(), CodeOutcome::Invalid);
    assert!(w.store.verify().unwrap().is_ok());
}

#[test]
fn an_expired_code_is_refused_and_purged() {
    let w = world();
    let a = account(&w.store, "a@x.test", Role::Resident);
    let r = Actor::person(a, "192.0.2.9");
    let ra = r.clone();
    w.write(move |tx| request_letter(tx, &ra, a, &lines(), NOW)).unwrap();
    let staff = w.staff.clone();
    let code = w.write(move |tx| print_letters(tx, &staff, 30, NOW)).unwrap().remove(0).code;
    let (ra, c) = (r.clone(), code.clone());
    assert_eq!(w.write(move |tx| use_code(tx, &ra, a, &c, NOW + 30 * DAY)).unwrap(), CodeOutcome::Expired);
    assert_eq!(w.role(a), Role::Resident);
    let purged = w.write(move |tx| Ok(purge_expired(tx, 30, NOW + 30 * DAY)?)).unwrap();
    assert_eq!(purged.letters, 1);
    assert!(letter_of(&w.store.read().unwrap(), a).unwrap().is_none());
    let ra = r.clone();
    assert_eq!(w.write(move |tx| use_code(tx, &ra, a, &code, NOW + 30 * DAY)).unwrap(), CodeOutcome::Invalid);
    assert!(w.store.verify().unwrap().is_ok());
}

#[test]
fn five_wrong_codes_a_day_kill_the_code() {
    let w = world();
    let a = account(&w.store, "a@x.test", Role::Resident);
    let r = Actor::person(a, "192.0.2.9");
    let ra = r.clone();
    w.write(move |tx| request_letter(tx, &ra, a, &lines(), NOW)).unwrap();
    let staff = w.staff.clone();
    let code = w.write(move |tx| print_letters(tx, &staff, 30, NOW)).unwrap().remove(0).code;
    let mut outcomes = Vec::new();
    for _ in 0..MAX_TRIES_PER_DAY {
        let ra = r.clone();
        outcomes.push(w.write(move |tx| use_code(tx, &ra, a, "BBBBBBBBBB", NOW + 60)).unwrap());
    }
    assert_eq!(outcomes.last(), Some(&CodeOutcome::TooManyTries), "{outcomes:?}");
    assert!(outcomes[..outcomes.len() - 1].iter().all(|o| *o == CodeOutcome::Invalid), "{outcomes:?}");
    // The right code no longer works, today nor tomorrow.
    let (ra, c) = (r.clone(), code.clone());
    assert_eq!(w.write(move |tx| use_code(tx, &ra, a, &c, NOW + 120)).unwrap(), CodeOutcome::TooManyTries);
    let ra = r.clone();
    assert_eq!(w.write(move |tx| use_code(tx, &ra, a, &code, NOW + DAY)).unwrap(), CodeOutcome::Invalid);
    assert!(w.store.verify().unwrap().is_ok());
}

const LIST: &str = "Nom de naissance;Nom d'usage;Prénoms;Date de naissance\n\
LEFEVRE;;CAMILLE ANNE;05/12/2008\n\
DUPONT;MARTIN;MARIE-CLAIRE;1970-03-14\n\
N'GUYEN;;THI;01.01.1990\n";

#[test]
fn a_list_is_read_with_either_separator_encoding_and_date_format() {
    let rows = parse_list(LIST.as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].usage_name.as_deref(), Some("MARTIN"));
    assert_eq!(rows[2].birth_date, date("1990-01-01"));
    // Without a header, comma separated, with a BOM, in Windows-1252.
    let mut latin = b"\xEF\xBB\xBF".to_vec();
    latin.extend_from_slice(b"Lef\xE8vre,Camille,2008-12-05\r\n");
    let rows = parse_list(&latin).unwrap();
    assert_eq!((rows[0].last_name.as_str(), rows[0].first_names.as_str()), ("Lefèvre", "Camille"));
    let mut cp1252 = b"Nom;Pr\xE9noms;Date de naissance\n".to_vec();
    cp1252.extend_from_slice(b"L\xE9on;\xC9lise;05/12/2008\n");
    let rows = parse_list(&cp1252).unwrap();
    assert_eq!((rows[0].last_name.as_str(), rows[0].first_names.as_str()), ("Léon", "Élise"));
    assert_eq!(parse_list(b"Nom;Prenoms;Date de naissance\nX;Y;31/02/2000\n"), Err(ListProblem::BadDate(2)));
    assert_eq!(parse_list(b"Nom;Prenoms;Date de naissance\n;Y;01/02/2000\n"), Err(ListProblem::MissingField(2)));
    assert_eq!(parse_list(b""), Err(ListProblem::Empty));
}

fn import(w: &World, delete_at: i64) -> ListInfo {
    let (staff, rows) = (w.staff.clone(), parse_list(LIST.as_bytes()).unwrap());
    w.write(move |tx| import_list(tx, &staff, &rows, delete_at, NOW)).unwrap()
}

#[test]
fn residents_match_the_list_once_whatever_their_case_and_accents() {
    let w = world();
    let (a, b) = (account(&w.store, "a@x.test", Role::Resident), account(&w.store, "b@x.test", Role::Resident));
    let (ra, rb) = (Actor::person(a, "192.0.2.9"), Actor::person(b, "192.0.2.10"));
    let r = ra.clone();
    let none = w.write(move |tx| match_list(tx, &r, a, &camille(), NOW));
    assert!(matches!(none, Err(VerificationError::NoList)), "{none:?}");
    let staff = w.staff.clone();
    let too_far = parse_list(LIST.as_bytes()).unwrap();
    let r = w.write(move |tx| import_list(tx, &staff, &too_far, NOW + 800 * DAY, NOW));
    assert!(matches!(r, Err(VerificationError::BadDeletionDate)));
    assert_eq!(import(&w, NOW + 90 * DAY).rows, 3);

    let wrong = Person { first_names: "Camille".into(), ..camille() };
    let r = ra.clone();
    assert_eq!(w.write(move |tx| match_list(tx, &r, a, &wrong, NOW)).unwrap(), MatchOutcome::NoMatch);
    let r = ra.clone();
    assert_eq!(w.write(move |tx| match_list(tx, &r, a, &camille(), NOW)).unwrap(), MatchOutcome::Verified);
    assert_eq!(w.role(a), Role::VerifiedResident);
    assert_eq!(age_on(&w.store.read().unwrap(), a, date("2026-12-05")).unwrap(), Some(18));
    // The same row cannot verify a second account.
    let r = rb.clone();
    let twice = w.write(move |tx| match_list(tx, &r, b, &camille(), NOW));
    assert!(matches!(twice, Err(VerificationError::PersonTaken)), "{twice:?}");
    // The usage name finds the same person as the birth name: one account.
    let marie = |last: &str| Person {
        last_name: last.into(),
        first_names: "Marie Claire".into(),
        birth_date: date("1970-03-14"),
    };
    let (r, p) = (rb.clone(), marie("Martin"));
    assert_eq!(w.write(move |tx| match_list(tx, &r, b, &p, NOW)).unwrap(), MatchOutcome::Verified);
    let c = account(&w.store, "c@x.test", Role::Resident);
    let (r, p) = (Actor::person(c, "192.0.2.11"), marie("Dupont"));
    let third = w.write(move |tx| match_list(tx, &r, c, &p, NOW));
    assert!(matches!(third, Err(VerificationError::PersonTaken)), "{third:?}");
    // Nor at the counter.
    let staff = w.staff.clone();
    let counter = w.write(move |tx| verify_at_counter(tx, &staff, c, Document::Passport, &camille(), NOW));
    assert!(matches!(counter, Err(VerificationError::PersonTaken)), "{counter:?}");
    assert_eq!(w.events(Action::ResidentVerified)[0].detail, "verified: list");
    assert!(w.store.verify().unwrap().is_ok());
}

#[test]
fn the_list_goes_at_its_date_or_by_staff() {
    let w = world();
    import(&w, NOW + 10 * DAY);
    let purged = w.write(move |tx| Ok(purge_expired(tx, 60, NOW + 9 * DAY)?)).unwrap();
    assert_eq!(purged.list_rows, 0);
    assert!(list_info(&w.store.read().unwrap()).unwrap().is_some());
    let purged = w.write(move |tx| Ok(purge_expired(tx, 60, NOW + 10 * DAY)?)).unwrap();
    assert_eq!(purged.list_rows, 3);
    assert!(list_info(&w.store.read().unwrap()).unwrap().is_none());
    let tx = w.store.read().unwrap();
    assert_eq!(
        redb::ReadableTableMetadata::len(&tx.open_table(tables::VERIFICATION_PERSON_BY_LIST_HASH).unwrap()).unwrap(),
        0
    );
    drop(tx);
    let events = w.events(Action::VerificationListChanged);
    assert_eq!(events[0].detail, "list deleted at its date: 3 rows");
    assert_eq!(events[0].ip, crate::domain::accounts::retention::RETENTION);

    import(&w, NOW + 10 * DAY);
    let staff = w.staff.clone();
    assert_eq!(w.write(move |tx| delete_list(tx, &staff, NOW)).unwrap(), 3);
    let staff = w.staff.clone();
    assert!(matches!(w.write(move |tx| delete_list(tx, &staff, NOW)), Err(VerificationError::NoList)));
}

#[test]
fn erasing_an_account_forgets_its_verification_and_frees_the_person() {
    let w = world();
    let (a, b) = (account(&w.store, "a@x.test", Role::Resident), account(&w.store, "b@x.test", Role::Resident));
    let staff = w.staff.clone();
    w.write(move |tx| verify_at_counter(tx, &staff, a, Document::Passport, &camille(), NOW)).unwrap();
    let (theirs, _) = of_account(&w.store.read().unwrap(), a).unwrap();
    assert_eq!(theirs.unwrap().birth_date, Some(date("2008-12-05")));
    w.write(move |tx| Ok(forget_account(tx, a)?)).unwrap();
    assert!(status(&w.store.read().unwrap(), a).unwrap().is_none());
    let staff = w.staff.clone();
    w.write(move |tx| verify_at_counter(tx, &staff, b, Document::Passport, &camille(), NOW)).unwrap();
    assert!(w.store.verify().unwrap().is_ok());
}

#[test]
fn a_key_rotation_keeps_one_person_one_account_and_voids_what_it_cannot_recompute() {
    use crate::crypto::Keys;
    use redb::ReadableDatabase;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
    crate::store::db::migrate(&db).unwrap();
    let (old, new) = (Arc::new(Keys::from_master(&[1; 32])), Arc::new(Keys::from_master(&[2; 32])));
    let new_account = |tx: &WriteTx, email: &str, role: Role| {
        let n = NewAccount {
            email: email.into(),
            display_name: email.into(),
            role,
            password_hash: String::new(),
            must_change_password: false,
            language: Lang::Fr,
            neighbourhood: None,
        };
        accounts::create(tx, &n).unwrap()
    };
    let tx = WriteTx::new(db.begin_write().unwrap(), old.clone());
    let staff = Actor::person(new_account(&tx, "agent@x.test", Role::Staff), "192.0.2.1");
    let (a, b, c) = (
        new_account(&tx, "a@x.test", Role::Resident),
        new_account(&tx, "b@x.test", Role::Resident),
        new_account(&tx, "c@x.test", Role::Resident),
    );
    verify_at_counter(&tx, &staff, a, Document::Passport, &camille(), NOW).unwrap();
    request_letter(&tx, &Actor::person(b, "192.0.2.2"), b, &lines(), NOW).unwrap();
    request_letter(&tx, &Actor::person(c, "192.0.2.3"), c, &lines(), NOW).unwrap();
    print_letters(&tx, &staff, 30, NOW).unwrap();
    request_letter(&tx, &Actor::person(b, "192.0.2.2"), b, &lines(), NOW).unwrap();
    import_list(&tx, &staff, &parse_list(LIST.as_bytes()).unwrap(), NOW + 10 * DAY, NOW).unwrap();
    tx.commit().unwrap();

    let tx = db.begin_write().unwrap();
    let done = tables::reseal(&tx, &old, &new).unwrap();
    tx.commit().unwrap();
    assert_eq!(done, tables::Resealed { verifications: 1, letters: 1, codes_voided: 1, list_rows: 3 });
    let read = crate::store::ReadTx::new(db.begin_read().unwrap(), new.clone());
    assert_eq!(tables::open_all(&read, &new).unwrap(), 3, "birth date, identity, one address");
    assert_eq!(age_on(&read, a, date("2026-12-05")).unwrap(), Some(18));
    assert!(list_info(&read).unwrap().is_none());
    drop(read);
    // The same person on another account is still refused under the new key.
    let tx = WriteTx::new(db.begin_write().unwrap(), new.clone());
    let twice = verify_at_counter(&tx, &staff, b, Document::Passport, &camille(), NOW);
    assert!(matches!(twice, Err(VerificationError::PersonTaken)), "{twice:?}");
    tx.abort().unwrap();
    assert!(tables::verify(&db.begin_read().unwrap()).unwrap().is_empty());
}
