//! Tests of the store: what a user relies on when they save, change and delete records.
//!
//! The record machinery (envelopes, revisions, indexes, change feed, transactions, damage,
//! check, id counters, export and import) is the same for every kind, so those tests are
//! written once in [`store_behaviour!`] and run per kind with two different sample records.
//! Tests of one kind (volunteer indexes, layout versions) follow below.

use super::envelope;
use super::exchange::{self, ImportError};
use super::kinds::v1::VolunteerV1;
use super::kinds::{ExportLine, volunteer_index};
use super::*;
use crate::codec;
use crate::config::Config;
use crate::domain::PersonName;
use crate::domain::VolunteerDraft;
use crate::domain::audit::AuditEvent;
use crate::domain::volunteer::{
    Availability, Consent, ConsentScope, FoundVia, Interest, Rules, Status, Vog, Volunteer,
    VolunteerSummary,
};
use std::path::Path;
use tempfile::TempDir;
use time::macros::{date, datetime};

fn stamp() -> Stamp {
    Stamp {
        by: "balie1".into(),
        at: datetime!(2026-11-27 10:00 +1),
    }
}

fn later() -> Stamp {
    Stamp {
        by: "consulent2".into(),
        at: datetime!(2026-11-27 14:30 +1),
    }
}

fn rules() -> Rules {
    Config::default().rules(date!(2026 - 11 - 27))
}

/// A fresh store in a temporary directory (kept alive by the returned guard).
fn fresh() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("store opens");
    (dir, store)
}

fn event(actor: &str, subject: &str) -> AuditEvent {
    AuditEvent {
        at: datetime!(2026-11-27 10:00 +1),
        actor: actor.into(),
        action: "register_intake".into(),
        subject: subject.into(),
        detail: String::new(),
        person: None,
        fields: Vec::new(),
        chain: Default::default(),
    }
}

fn anouk() -> Volunteer {
    VolunteerDraft {
        interests: vec![Interest::Care, Interest::Sport],
        consent_date: "20-11-2026".into(),
        intake_date: "20-11-2026".into(),
        ..crate::domain::volunteer::sample_intake()
    }
    .validate(&rules())
    .expect("a valid sample")
}

/// Anouk after she moved to Gorinchem, got a new e-mail address and had her intake.
fn anouk_moved() -> Volunteer {
    Volunteer {
        address: "Hoogstraat 3".into(),
        postcode: "4201 AA".into(),
        municipality: "Gorinchem".into(),
        email: "anouk.vandenberg@example.nl".into(),
        status: Status::IntakeHeld,
        ..anouk()
    }
}

/// Ids of records of kind `T` whose index `index` has `value`.
/// Opens the store at `path` again. sled lets go of its file lock from a background thread
/// after the last handle is dropped: a reopen right after may find it still held, so wait
/// (bounded) while it says "in use".
fn reopen(path: &Path) -> Result<Store, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                std::thread::yield_now();
            }
            other => return other,
        }
    }
}

fn found<T: Record>(store: &Store, index: &IndexDef, value: &str) -> Vec<u64> {
    store.find::<T>(index, value).expect("index readable")
}

fn problems(store: &Store) -> Vec<String> {
    exchange::check(store)
        .expect("check runs")
        .problems
        .iter()
        .map(|p| crate::i18n::errors::check_problem_text(crate::i18n::Lang::En, p))
        .collect()
}

fn export_text(store: &Store) -> String {
    let mut out = Vec::new();
    exchange::export(store, &mut out).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

/// The kind-independent behaviour of the store, for two different records `$a` and `$b` of
/// the same kind.
macro_rules! store_behaviour {
    ($kind:ident, $ty:ty, $a:expr, $b:expr) => {
        mod $kind {
            use super::*;

            fn a() -> $ty {
                $a
            }
            fn b() -> $ty {
                $b
            }

            #[test]
            fn a_saved_record_reads_back_unchanged() {
                let (_dir, store) = fresh();
                let saved = store.insert(a(), &stamp()).expect("insert");
                assert_eq!(saved.meta.id, 1);
                assert_eq!(saved.meta.revision, 1);
                assert_eq!(saved.meta.created, stamp());
                assert_eq!(saved.meta.updated, stamp());
                let read = store.get::<$ty>(1).expect("read").expect("present");
                assert_eq!(read, saved);
                assert_eq!(read.data, a());
                let all: Vec<_> = store.scan::<$ty>().map(|r| r.expect("decodes")).collect();
                assert_eq!(all, vec![saved]);
                assert_eq!(store.count::<$ty>(), 1);
            }

            #[test]
            fn every_change_raises_the_revision() {
                let (_dir, store) = fresh();
                let saved = store.insert(a(), &stamp()).expect("insert");
                let second = store.update(1, 1, b(), &later()).expect("update");
                assert_eq!(second.meta.revision, 2);
                let third = store.update(1, 2, a(), &later()).expect("update");
                assert_eq!(third.meta.revision, 3);
                let read = store.get::<$ty>(1).expect("read").expect("present");
                assert_eq!(read.meta.revision, 3);
                assert_eq!(read.data, a());
                // Created stays what it was; updated says who changed it last.
                assert_eq!(read.meta.created, saved.meta.created);
                assert_eq!(read.meta.updated, later());
            }

            #[test]
            fn indexes_follow_insert_update_and_delete() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                let other = store.insert(b(), &stamp()).expect("insert").meta.id;
                for (index, value) in a().index_entries() {
                    assert!(found::<$ty>(&store, index, &value).contains(&1), "{index} = {value}");
                }
                store.update(1, 1, b(), &later()).expect("update");
                let (old, new) = (a().index_entries(), b().index_entries());
                for (index, value) in &old {
                    if !new.contains(&(*index, value.clone())) {
                        assert!(
                            !found::<$ty>(&store, index, value).contains(&1),
                            "old {index} = {value} still finds the record"
                        );
                    }
                }
                for (index, value) in &new {
                    assert_eq!(found::<$ty>(&store, index, value), vec![1, other], "{index} = {value}");
                }
                assert_eq!(problems(&store), Vec::<String>::new());

                store.delete::<$ty>(1, 2, &later()).expect("delete");
                for (index, value) in old.iter().chain(&new) {
                    assert!(!found::<$ty>(&store, index, value).contains(&1), "{index} = {value}");
                }
                // The other record keeps its entries.
                for (index, value) in &new {
                    assert_eq!(found::<$ty>(&store, index, value), vec![other]);
                }
                assert_eq!(store.get::<$ty>(1).expect("read"), None);
                assert_eq!(problems(&store), Vec::<String>::new());
            }

            #[test]
            fn a_stale_revision_is_a_conflict_and_changes_nothing() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                store.update(1, 1, b(), &later()).expect("update");
                let before = store.get::<$ty>(1).expect("read");
                let rx = store.subscribe();

                // Someone who opened revision 1 saves their version.
                match store.update(1, 1, a(), &stamp()) {
                    Err(StoreError::Conflict { kind, id, expected, found, by, at }) => {
                        assert_eq!((kind, id, expected, found), (<$ty>::KIND, 1, 1, 2));
                        assert_eq!((by, at), (later().by, later().at));
                    }
                    other => panic!("expected a conflict, got {other:?}"),
                }
                assert!(matches!(
                    store.delete::<$ty>(1, 1, &stamp()),
                    Err(StoreError::Conflict { found: 2, .. })
                ));
                assert_eq!(store.get::<$ty>(1).expect("read"), before);
                for (index, value) in b().index_entries() {
                    assert_eq!(found::<$ty>(&store, index, &value), vec![1]);
                }
                assert!(rx.try_recv().is_err(), "a refused write was published");
                assert_eq!(problems(&store), Vec::<String>::new());
            }

            #[test]
            fn a_missing_record_is_not_found() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                assert_eq!(store.get::<$ty>(99).expect("read"), None);
                let missing = |r: Result<_, StoreError>| {
                    matches!(r, Err(StoreError::NotFound { kind, id: 99 }) if kind == <$ty>::KIND)
                };
                assert!(missing(store.update(99, 1, b(), &stamp()).map(|_| ())));
                assert!(missing(store.delete::<$ty>(99, 1, &stamp())));
                assert_eq!(store.count::<$ty>(), 1);
            }

            #[test]
            fn the_change_feed_reports_durable_writes() {
                let (_dir, store) = fresh();
                let rx = store.subscribe();
                assert!(rx.try_recv().is_err());
                let change = |seq, id, revision, op| Change {
                    seq,
                    kind: <$ty>::KIND,
                    id,
                    revision,
                    op,
                };
                // A subscriber on another thread sees the record once it hears of it.
                let reader = {
                    let store = store.clone();
                    let rx = store.subscribe();
                    std::thread::spawn(move || {
                        let c = rx.recv().expect("a change");
                        (c.clone(), store.get::<$ty>(c.id).expect("read").is_some())
                    })
                };
                store.insert(a(), &stamp()).expect("insert");
                assert_eq!(rx.try_recv(), Ok(change(1, 1, 1, ChangeOp::Put)));
                assert_eq!(reader.join().expect("reader"), (change(1, 1, 1, ChangeOp::Put), true));

                store.update(1, 1, b(), &later()).expect("update");
                assert_eq!(rx.try_recv(), Ok(change(2, 1, 2, ChangeOp::Put)));
                store.delete::<$ty>(1, 2, &later()).expect("delete");
                assert_eq!(rx.try_recv(), Ok(change(3, 1, 2, ChangeOp::Delete)));
                assert!(rx.try_recv().is_err());

                // A subscriber that went away does not stop writers.
                drop(rx);
                store.insert(a(), &stamp()).expect("insert after unsubscribe");
            }

            #[test]
            fn a_transaction_is_all_or_nothing() {
                let (_dir, store) = fresh();
                let rx = store.subscribe();
                let result: Result<(), StoreError> = store.transact(&stamp(), |tx| {
                    tx.insert(a())?;
                    tx.insert(b())?;
                    tx.append_audit(event("halfway", "volunteer/1"))?;
                    Err(StoreError::Io("stopped halfway".into()).into())
                });
                assert!(matches!(result, Err(StoreError::Io(ref m)) if m == "stopped halfway"));
                assert_eq!(store.count::<$ty>(), 0);
                assert_eq!(store.count::<AuditEvent>(), 0);
                for (index, value) in a().index_entries().into_iter().chain(b().index_entries()) {
                    assert_eq!(found::<$ty>(&store, index, &value), Vec::<u64>::new());
                }
                assert!(rx.try_recv().is_err(), "an aborted transaction was published");
                // The id counter did not move either.
                assert_eq!(store.insert(a(), &stamp()).expect("insert").meta.id, 1);

                // And a transaction that succeeds writes all of it.
                let ids = store
                    .transact(&stamp(), |tx| Ok((tx.insert(a())?.meta.id, tx.insert(b())?.meta.id)))
                    .expect("transaction");
                assert_eq!(ids, (2, 3));
                assert_eq!(store.count::<$ty>(), 3);
                assert_eq!(problems(&store), Vec::<String>::new());
            }

            #[test]
            fn a_damaged_value_is_an_error_not_an_abort() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                store.insert(b(), &stamp()).expect("insert");
                let good = envelope::seal(&store.get::<$ty>(1).expect("read").expect("present").meta, &a())
                    .expect("seal");
                // A length prefix claiming an enormous string, after a valid header and meta.
                let mut huge = good[..good.len() - 4].to_vec();
                huge.extend_from_slice(&[0xFF; 12]);
                for bytes in [&b"garbage"[..], &good[..good.len() / 2], &huge, &[]] {
                    store.corrupt_for_tests(<$ty>::KIND, 1, bytes).expect("corrupt");
                    match store.get::<$ty>(1) {
                        Err(StoreError::Damaged { kind, id: 1, reason }) => {
                            assert_eq!(kind, <$ty>::KIND);
                            assert!(!reason.is_empty());
                        }
                        other => panic!("expected damage, got {other:?}"),
                    }
                    let scanned: Vec<bool> = store.scan::<$ty>().map(|r| r.is_ok()).collect();
                    assert_eq!(scanned, vec![false, true], "the other record still reads");
                    let report = problems(&store);
                    let damaged = format!("{} 1 is damaged", <$ty>::KIND);
                    assert!(report.iter().any(|p| p.contains(&damaged)), "{report:?}");
                }
                // A change to a damaged record is refused, not written over it.
                assert!(matches!(
                    store.update(1, 1, b(), &later()),
                    Err(StoreError::Damaged { id: 1, .. })
                ));
            }

            #[test]
            fn check_reports_a_missing_index_entry() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                assert_eq!(problems(&store), Vec::<String>::new());
                let (index, value) = a().index_entries().swap_remove(0);
                store
                    .drop_index_entry_for_tests(<$ty>::KIND, &index_key(index, &value, 1))
                    .expect("drop");
                let report = problems(&store);
                assert_eq!(report.len(), 1, "{report:?}");
                assert!(report[0].contains("is missing from the"), "{report:?}");
                assert!(report[0].contains(index.name) && report[0].contains(" 1 is missing"), "{report:?}");
            }

            #[test]
            fn ids_keep_increasing_across_reopen() {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("store");
                {
                    let store = Store::open(&path).expect("open");
                    for _ in 0..3 {
                        store.insert(a(), &stamp()).expect("insert");
                    }
                    // The highest id is deleted: it is still never handed out again.
                    store.delete::<$ty>(3, 1, &stamp()).expect("delete");
                }
                let store = reopen(&path).expect("reopen");
                assert_eq!(store.insert(b(), &stamp()).expect("insert").meta.id, 4);
                assert_eq!(store.insert(b(), &stamp()).expect("insert").meta.id, 5);
            }

            #[test]
            fn an_import_with_higher_ids_moves_the_counter() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                let line = |id: u64| {
                    let meta = Meta {
                        id,
                        revision: 3,
                        created: stamp(),
                        updated: later(),
                    };
                    let line = ExportLine {
                        kind: <$ty>::KIND.as_str().into(),
                        format: <$ty>::FORMAT_VERSION,
                        meta,
                        data: serde_json::to_value(b()).expect("json"),
                    };
                    serde_json::to_string(&line).expect("json") + "\n"
                };
                let text = line(50);
                exchange::import(&store, &mut text.as_bytes(), &rules(), &stamp(), false, None)
                    .expect("import");
                let imported = store.get::<$ty>(50).expect("read").expect("present");
                assert_eq!((imported.meta.revision, imported.data), (3, b()));
                assert_eq!(store.insert(a(), &stamp()).expect("insert").meta.id, 51);
                // An import of a lower id leaves the counter where it is.
                let text = line(20);
                exchange::import(&store, &mut text.as_bytes(), &rules(), &stamp(), false, None)
                    .expect("import");
                assert_eq!(store.insert(a(), &stamp()).expect("insert").meta.id, 52);
                assert_eq!(problems(&store), Vec::<String>::new());
            }

            #[test]
            fn export_and_import_round_trip() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                store.insert(b(), &stamp()).expect("insert");
                store.update(1, 1, b(), &later()).expect("update");
                let text = export_text(&store);
                assert_eq!(text.lines().count(), 2);

                let (_dir2, copy) = fresh();
                let summary =
                    exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None)
                        .expect("import");
                assert!(summary.counts.contains(&(<$ty>::KIND, 2)));
                let originals: Vec<_> = store.scan::<$ty>().map(|r| r.expect("decodes")).collect();
                let copies: Vec<_> = copy.scan::<$ty>().map(|r| r.expect("decodes")).collect();
                assert_eq!(originals, copies);
                assert_eq!(export_text(&copy), text);
                assert_eq!(problems(&copy), Vec::<String>::new());

                // Importing the same file again is refused, once for the whole file, and
                // writes nothing.
                match exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None) {
                    Err(ImportError::AllExist { count }) => assert_eq!(count, 2),
                    other => panic!("expected all records to exist, got {other:?}"),
                }
                assert_eq!(copy.count::<$ty>(), 2);
                // A file holding some records of the store and some new ones: the ones already
                // there are named line by line.
                let (_dir3, partial) = fresh();
                let first = text.lines().next().expect("a line");
                exchange::import(&partial, &mut format!("{first}\n").as_bytes(), &rules(), &later(), false, None)
                    .expect("one record");
                match exchange::import(&partial, &mut text.as_bytes(), &rules(), &later(), false, None) {
                    Err(ImportError::Lines(errors)) => {
                        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![1]);
                        assert!(matches!(errors[0].problem, exchange::LineProblem::Exists { .. }));
                    }
                    other => panic!("expected line errors, got {other:?}"),
                }
                assert_eq!(partial.count::<$ty>(), 1);
            }

            #[test]
            fn one_bad_line_imports_nothing() {
                let (_dir, store) = fresh();
                store.insert(a(), &stamp()).expect("insert");
                store.insert(b(), &stamp()).expect("insert");
                let text = export_text(&store);
                let broken = format!("{text}{{\"kind\":\"{}\",\"format\":1}}\n", <$ty>::KIND);
                let (_dir2, copy) = fresh();
                match exchange::import(&copy, &mut broken.as_bytes(), &rules(), &later(), false, None) {
                    Err(ImportError::Lines(errors)) => {
                        assert_eq!(errors.len(), 1);
                        assert_eq!(errors[0].line, 3);
                    }
                    other => panic!("expected a line error, got {other:?}"),
                }
                assert_eq!(copy.count::<$ty>(), 0);
                // A dry run checks everything and writes nothing.
                let summary = exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), true, None)
                    .expect("dry run");
                assert!(summary.dry_run && summary.counts.contains(&(<$ty>::KIND, 2)));
                assert_eq!(copy.count::<$ty>(), 0);
            }
        }
    };
}

store_behaviour!(volunteers, Volunteer, anouk(), anouk_moved());

#[test]
fn a_volunteer_is_found_through_each_index_after_insert() {
    let (_dir, store) = fresh();
    let id = store.insert(anouk(), &stamp()).expect("insert").meta.id;
    store.insert(anouk_moved(), &stamp()).expect("insert");
    use volunteer_index::*;
    // Anouk before and after her move share a name, birth date and phone.
    for (index, value) in [
        (&NAME_BIRTH, "anouk van den berg|1999-04-05"),
        (&PHONE, "0787708500"),
    ] {
        assert_eq!(
            found::<Volunteer>(&store, index, value),
            vec![id, 2],
            "{index} = {value}"
        );
    }
    for (index, value, ids) in [
        (&EMAIL, "anouk@example.nl", vec![id]),
        (&EMAIL, "anouk.vandenberg@example.nl", vec![2]),
    ] {
        assert_eq!(
            found::<Volunteer>(&store, index, value),
            ids,
            "{index} = {value}"
        );
    }
    // A value is matched exactly, not as a prefix.
    assert_eq!(
        found::<Volunteer>(&store, &EMAIL, "anouk@example"),
        Vec::<u64>::new()
    );
    assert_eq!(
        found::<Volunteer>(&store, &NAME_BIRTH, "anouk van den berg"),
        Vec::<u64>::new()
    );
}

#[test]
fn a_second_open_of_the_same_store_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let first = Store::open(&path).expect("open");
    match Store::open(&path) {
        Err(StoreError::InUse { path: p }) => assert_eq!(p, path),
        Err(other) => panic!("expected InUse, got {other:?}"),
        Ok(_) => panic!("a second open succeeded"),
    }
    // The first one still works. (Reopening after the holder is gone is covered by the
    // crash test, across processes: within one process sled releases its lock from a
    // background thread, so an immediate reopen may still find it held.)
    first.insert(anouk(), &stamp()).expect("insert");
    assert_eq!(first.count::<Volunteer>(), 1);
}

#[test]
fn the_store_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("koppel").join("store");
    let _store = Store::open(&path).expect("open");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "mode {:o}", mode & 0o777);
    // A file where the directory should be is an error, not a store.
    let file = dir.path().join("file");
    std::fs::write(&file, b"not a store").expect("write");
    assert!(matches!(Store::open(&file), Err(StoreError::Io(_))));
}

#[test]
fn a_record_from_a_newer_koppel_is_a_clear_error() {
    let meta = Meta {
        id: 1,
        revision: 1,
        created: stamp(),
        updated: stamp(),
    };
    let newer =
        envelope::seal_version(Volunteer::FORMAT_VERSION + 1, &meta, b"whatever").expect("seal");
    let err = envelope::open::<Volunteer>(&newer).expect_err("refused");
    assert!(err.0.contains("newer koppel"), "{}", err.0);
    assert!(
        err.0
            .contains(&format!("format {}", Volunteer::FORMAT_VERSION + 1)),
        "{}",
        err.0
    );

    // Through the store it is damage of that one record, not a crash.
    let (_dir, store) = fresh();
    store
        .put_raw_for_tests(Kind::Volunteer, 1, &newer)
        .expect("put");
    match store.get::<Volunteer>(1) {
        Err(StoreError::Damaged {
            kind: Kind::Volunteer,
            id: 1,
            reason,
        }) => {
            assert!(reason.contains("newer koppel"), "{reason}")
        }
        other => panic!("expected damage, got {other:?}"),
    }
    // A layout that never existed is refused too.
    let unknown = envelope::seal_version(0, &meta, b"whatever").expect("seal");
    assert!(envelope::open::<Volunteer>(&unknown).is_err());
    // And bytes without the envelope header.
    assert!(envelope::open::<Volunteer>(b"{\"name\":1}").is_err());
}

// Layout 1 of the volunteer record ---------------------------------------------------------
//
// The fixtures hold what a koppel with layout 1 wrote: a stored envelope and an export line.
// They were written once by `layout_1_fixtures_are_frozen`, run as
// `KOPPEL_WRITE_FIXTURES=1 cargo test --lib layout_1_fixtures`, and committed; they must
// never be regenerated after a release, since old stores and backups keep these bytes.

const V1_BIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/volunteer_v1.bin"
);
const V1_JSONL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/export_v1.jsonl"
);

fn v1_meta() -> Meta {
    Meta {
        id: 7,
        revision: 3,
        created: Stamp {
            by: "balie1".into(),
            at: datetime!(2019-03-04 09:15 +1),
        },
        updated: Stamp {
            by: "consulent2".into(),
            at: datetime!(2020-01-10 16:00 +1),
        },
    }
}

fn v1_volunteer() -> VolunteerV1 {
    VolunteerV1 {
        name: PersonName::new("Kees", "de", "Vries"),
        birth_date: date!(1954 - 06 - 21),
        address: "Vest 88".into(),
        postcode: "3311 TZ".into(),
        municipality: "Dordrecht".into(),
        phone: "0786123456".into(),
        email: "kees.devries@ziggo.nl".into(),
        interests: vec![Interest::Care, Interest::Transport],
        skills: "rijbewijs B".into(),
        availability: Availability(0b111),
        hours_per_week: 6,
        motivation: "Ik ben net met pensioen en wil actief blijven.".into(),
        vog: Vog::Received {
            requested: Some(date!(2019 - 03 - 10)),
            received: date!(2019 - 04 - 02),
        },
        consent_given_on: date!(2019 - 03 - 04),
        status: Status::Placed,
        intake_date: date!(2019 - 03 - 04),
        notes: "Rijdt voor de vervoersdienst.".into(),
    }
}

/// What the layout-1 record is today: the same data, with the fields layout 1 did not have.
fn v1_upgraded() -> Volunteer {
    Volunteer {
        name: PersonName::new("Kees", "de", "Vries"),
        birth_date: date!(1954 - 06 - 21),
        address: "Vest 88".into(),
        postcode: "3311 TZ".into(),
        municipality: "Dordrecht".into(),
        phone: "0786123456".into(),
        email: "kees.devries@ziggo.nl".into(),
        interests: vec![Interest::Care, Interest::Transport],
        skills: "rijbewijs B".into(),
        availability: Availability(0b111),
        hours_per_week: 6,
        motivation: "Ik ben net met pensioen en wil actief blijven.".into(),
        found_via: FoundVia::Other,
        vog: Vog::Received {
            requested: Some(date!(2019 - 03 - 10)),
            received: date!(2019 - 04 - 02),
        },
        consent: Consent {
            given_on: date!(2019 - 03 - 04),
            scope: ConsentScope::Matching,
        },
        status: Status::Placed,
        intake_date: date!(2019 - 03 - 04),
        vulnerable: false,
        notes: "Rijdt voor de vervoersdienst.".into(),
        anonymised: None,
    }
}

fn v1_envelope() -> Vec<u8> {
    let payload = codec::encode(&v1_volunteer()).expect("encode");
    envelope::seal_version(1, &v1_meta(), &payload).expect("seal")
}

fn v1_export_line() -> String {
    let line = ExportLine {
        kind: "volunteer".into(),
        format: 1,
        meta: v1_meta(),
        data: serde_json::to_value(v1_volunteer()).expect("json"),
    };
    serde_json::to_string(&line).expect("json") + "\n"
}

#[test]
fn layout_1_fixtures_are_frozen() {
    if std::env::var_os("KOPPEL_WRITE_FIXTURES").is_some_and(|v| v == "1") {
        let dir = Path::new(V1_BIN).parent().expect("fixture directory");
        std::fs::create_dir_all(dir).expect("create fixtures");
        std::fs::write(V1_BIN, v1_envelope()).expect("write fixture");
        std::fs::write(V1_JSONL, v1_export_line()).expect("write fixture");
    }
    let committed = std::fs::read(V1_BIN).expect("fixture present");
    assert_eq!(
        committed,
        v1_envelope(),
        "layout 1 no longer encodes to the bytes older koppels wrote: keep `kinds::v1` and the \
         types it uses as they were, and read old bytes through it"
    );
}

#[test]
fn a_stored_layout_1_volunteer_is_upgraded_when_read() {
    let bytes = std::fs::read(V1_BIN).expect("fixture present");
    let (version, meta, _) = envelope::open_parts(&bytes).expect("an envelope");
    assert_eq!((version, meta), (1, v1_meta()));

    let (_dir, store) = fresh();
    store
        .put_raw_for_tests(Kind::Volunteer, 7, &bytes)
        .expect("put");
    let read = store
        .get::<Volunteer>(7)
        .expect("readable")
        .expect("present");
    assert_eq!(read.meta, v1_meta());
    assert_eq!(read.data.found_via, FoundVia::Other);
    assert!(!read.data.vulnerable);
    assert_eq!(read.data.consent.scope, ConsentScope::Matching);
    assert_eq!(read.data.consent.given_on, date!(2019 - 03 - 04));
    assert_eq!(read.data.name.filed(), "Vries, Kees de");
    assert_eq!(read.data, v1_upgraded());

    // Saving it again writes today's layout, which reads back the same.
    let saved = store
        .update(7, 3, read.data.clone(), &later())
        .expect("update");
    assert_eq!(saved.meta.revision, 4);
    assert_eq!(store.get::<Volunteer>(7).expect("read"), Some(saved));
    let export = export_text(&store);
    assert!(export.contains("\"format\":3"), "{export}");
}

#[test]
fn a_stored_layout_2_volunteer_reads_as_not_anonymised() {
    let v = v1_upgraded();
    let v2 = crate::store::kinds::volunteer::v2::VolunteerV2 {
        name: v.name.clone(),
        birth_date: v.birth_date,
        address: v.address.clone(),
        postcode: v.postcode.clone(),
        municipality: v.municipality.clone(),
        phone: v.phone.clone(),
        email: v.email.clone(),
        interests: v.interests.clone(),
        skills: v.skills.clone(),
        availability: v.availability,
        hours_per_week: v.hours_per_week,
        motivation: v.motivation.clone(),
        found_via: v.found_via,
        vog: v.vog,
        consent: v.consent,
        status: v.status,
        intake_date: v.intake_date,
        vulnerable: v.vulnerable,
        notes: v.notes.clone(),
    };
    let bytes =
        envelope::seal_version(2, &v1_meta(), &codec::encode(&v2).expect("encode")).expect("seal");
    let (_dir, store) = fresh();
    store
        .put_raw_for_tests(Kind::Volunteer, 7, &bytes)
        .expect("put");
    let read = store
        .get::<Volunteer>(7)
        .expect("readable")
        .expect("present");
    assert_eq!(read.data, v);
    // A format 2 export line (no marker) imports as not anonymised.
    let mut json = serde_json::to_value(&v).expect("json");
    json.as_object_mut().expect("object").remove("anonymised");
    let line = ExportLine {
        kind: "volunteer".into(),
        format: 2,
        meta: v1_meta(),
        data: json,
    };
    let text = serde_json::to_string(&line).expect("json") + "\n";
    let (_dir2, other) = fresh();
    exchange::import(
        &other,
        &mut text.as_bytes(),
        &rules(),
        &stamp(),
        false,
        None,
    )
    .expect("import");
    assert_eq!(
        other
            .get::<Volunteer>(7)
            .expect("read")
            .expect("present")
            .data,
        v
    );
}

#[test]
fn a_layout_1_export_line_is_imported() {
    let file = std::fs::File::open(V1_JSONL).expect("fixture present");
    let (_dir, store) = fresh();
    let summary = exchange::import(
        &store,
        &mut std::io::BufReader::new(file),
        &rules(),
        &stamp(),
        false,
        None,
    )
    .expect("import");
    assert!(summary.counts.contains(&(Kind::Volunteer, 1)));
    let read = store
        .get::<Volunteer>(7)
        .expect("readable")
        .expect("present");
    assert_eq!(read.meta, v1_meta());
    assert_eq!(read.data, v1_upgraded());
    assert_eq!(
        found::<Volunteer>(&store, &volunteer_index::EMAIL, "kees.devries@ziggo.nl"),
        vec![7]
    );
    assert_eq!(problems(&store), Vec::<String>::new());
    assert_eq!(store.insert(anouk(), &stamp()).expect("insert").meta.id, 8);
}

#[test]
fn an_existing_open_directory_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    std::fs::create_dir(&path).expect("dir");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let _store = Store::open(&path).expect("opens");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "mode {:o}", mode & 0o777);
}

#[test]
fn import_stores_values_in_their_standard_form_and_refuses_absurd_ids() {
    let (_dir, store) = fresh();
    let v = VolunteerDraft {
        given_name: "Femke".into(),
        family_name: "Broek".into(),
        prefix: "van den".into(),
        birth_date: "01-02-1990".into(),
        address: "Voorstraat 1".into(),
        postcode: "3311 AB".into(),
        municipality: "Dordrecht".into(),
        email: "femke@example.nl".into(),
        consent: true,
        consent_date: "01-01-2026".into(),
        intake_date: "01-01-2026".into(),
        ..VolunteerDraft::default()
    }
    .validate(&rules())
    .expect("valid");
    let mut data = serde_json::to_value(&v).expect("json");
    data["postcode"] = "3311ab".into();
    data["email"] = "F.VandenBroek@Example.NL".into();
    data["municipality"] = "dordrecht".into();
    data["phone"] = "06 - 5427 3558".into();
    let line = |id: u64| {
        let mut l = serde_json::json!({
            "kind": "volunteer", "format": 2, "id": id, "revision": 1,
            "created": {"by": "x", "at": "2026-01-01T10:00:00Z"},
            "updated": {"by": "x", "at": "2026-01-01T10:00:00Z"},
        });
        l["data"] = data.clone();
        l.to_string()
    };
    // An id beyond what JSON tools keep exactly is refused, and nothing is written.
    let huge = line(u64::MAX);
    assert!(matches!(
        exchange::import(
            &store,
            &mut huge.as_bytes(),
            &rules(),
            &stamp(),
            false,
            None
        ),
        Err(ImportError::Lines(_))
    ));
    assert_eq!(store.count::<Volunteer>(), 0);
    let ok = line(5);
    exchange::import(&store, &mut ok.as_bytes(), &rules(), &stamp(), false, None).expect("import");
    let stored = store.get::<Volunteer>(5).expect("read").expect("present");
    assert_eq!(stored.data.postcode, "3311 AB");
    assert_eq!(stored.data.email, "f.vandenbroek@example.nl");
    assert_eq!(stored.data.municipality, "Dordrecht");
    assert_eq!(stored.data.phone, "0654273558");
    // Found through the indexes like any registered person.
    assert_eq!(
        store
            .find::<Volunteer>(&volunteer_index::EMAIL, "f.vandenbroek@example.nl")
            .expect("find"),
        vec![5]
    );
    // The next new record gets a fresh id after the imported one.
    let next = store.insert(v, &stamp()).expect("insert");
    assert_eq!(next.meta.id, 6);
}

// The audit trail: append-only, through the one appender ------------------------------------

fn about(person: u64, action: &str) -> AuditEvent {
    AuditEvent {
        action: action.into(),
        subject: format!("volunteer/{person}"),
        person: Some(person),
        ..event("balie1", "")
    }
}

/// Appends `events` in one transaction, as a use case does.
fn append(store: &Store, events: Vec<AuditEvent>) -> Vec<u64> {
    store
        .transact(&stamp(), |tx| {
            events
                .iter()
                .map(|e| tx.append_audit(e.clone()).map(|s| s.meta.id))
                .collect()
        })
        .expect("appended")
}

#[test]
fn audit_events_are_appended_with_their_references() {
    let (_dir, store) = fresh();
    let rx = store.subscribe();
    assert_eq!(
        append(
            &store,
            vec![about(1, "register_intake"), event("beheer", "")]
        ),
        vec![1, 2]
    );
    assert_eq!(append(&store, vec![about(1, "update_volunteer")]), vec![3]);
    append(&store, vec![about(2, "register_intake")]);
    let read = store.get::<AuditEvent>(3).expect("read").expect("present");
    // Kept as given, linked into the hash chain by the appender.
    assert!(read.data.is_chained());
    assert_eq!(
        AuditEvent {
            chain: Default::default(),
            ..read.data.clone()
        },
        about(1, "update_volunteer")
    );
    assert_eq!(
        (read.meta.revision, read.meta.created.clone()),
        (1, stamp())
    );
    assert_eq!(
        store.about_person(1).expect("refs"),
        vec![(Kind::Audit, 1), (Kind::Audit, 3)]
    );
    assert_eq!(store.about_person(2).expect("refs"), vec![(Kind::Audit, 4)]);
    assert_eq!(store.about_person(3).expect("refs"), Vec::new());
    let changes: Vec<(u64, Kind, u64)> = rx.try_iter().map(|c| (c.seq, c.kind, c.id)).collect();
    assert_eq!(
        changes,
        vec![
            (1, Kind::Audit, 1),
            (2, Kind::Audit, 2),
            (3, Kind::Audit, 3),
            (4, Kind::Audit, 4)
        ]
    );
    assert_eq!(problems(&store), Vec::<String>::new());
}

#[test]
fn imported_audit_lines_are_appended_with_their_content() {
    let (_dir, store) = fresh();
    store.insert(anouk(), &stamp()).expect("insert");
    append(&store, vec![about(1, "register_intake")]);
    let text = export_text(&store);

    // Into an empty store: the same lines come back out.
    let (_dir2, copy) = fresh();
    exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None).expect("import");
    assert_eq!(export_text(&copy), text);
    assert_eq!(copy.about_person(1).expect("refs"), vec![(Kind::Audit, 1)]);

    // Into a store with a trail of its own: refused (the chain would not arrive intact),
    // nothing written.
    let (_dir3, other) = fresh();
    append(&other, vec![event("beheer", ""), event("beheer", "")]);
    let only_audit: String = text
        .lines()
        .filter(|l| l.contains("\"kind\":\"audit\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let refused = exchange::import(
        &other,
        &mut only_audit.as_bytes(),
        &rules(),
        &later(),
        false,
        Some(event("beheer", "")),
    );
    let Err(exchange::ImportError::Lines(lines)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(lines[0].problem, exchange::LineProblem::AuditIntoTrail);
    let trail: Vec<Stored<AuditEvent>> = other.scan().map(|r| r.expect("decodes")).collect();
    assert_eq!(trail.len(), 2);
    assert_eq!(problems(&other), Vec::<String>::new());
}

#[test]
fn a_layout_1_audit_event_reads_without_a_person() {
    let old = kinds::audit::v1::AuditEventV1 {
        at: datetime!(2020-01-10 16:00 +1),
        actor: "consulent2".into(),
        action: "update_volunteer".into(),
        subject: "volunteer/7".into(),
        detail: String::new(),
    };
    let meta = v1_meta();
    let bytes =
        envelope::seal_version(1, &meta, &codec::encode(&old).expect("encode")).expect("seal");
    let (_dir, store) = fresh();
    store
        .put_raw_for_tests(Kind::Audit, 7, &bytes)
        .expect("put");
    let read = store.get::<AuditEvent>(7).expect("read").expect("present");
    assert_eq!(read.data.person, None);
    assert_eq!(read.data.subject, "volunteer/7");
    // An old export line (format 1, no person) imports too.
    let line = format!(
        "{{\"kind\":\"audit\",\"format\":1,\"id\":7,\"revision\":1,\"created\":{{\"by\":\"a\",\"at\":\"2020-01-10T16:00:00+01:00\"}},\"updated\":{{\"by\":\"a\",\"at\":\"2020-01-10T16:00:00+01:00\"}},\"data\":{}}}\n",
        serde_json::to_string(&old).expect("json")
    );
    let (_dir2, copy) = fresh();
    exchange::import(&copy, &mut line.as_bytes(), &rules(), &stamp(), false, None).expect("import");
    let imported = copy.get::<AuditEvent>(1).expect("read").expect("present");
    // Chained as it was appended.
    assert!(imported.data.is_chained());
    assert_eq!(
        AuditEvent {
            chain: Default::default(),
            ..imported.data
        },
        AuditEvent::from(old)
    );
}

#[test]
fn check_verifies_the_reference_index() {
    let (_dir, store) = fresh();
    append(&store, vec![about(5, "register_intake")]);
    assert_eq!(problems(&store), Vec::<String>::new());
    store
        .set_ref_for_tests(&ref_key(5, Kind::Audit, 1), false)
        .expect("drop");
    store
        .set_ref_for_tests(&ref_key(6, Kind::Audit, 1), true)
        .expect("add");
    let report = problems(&store);
    assert_eq!(
        report,
        vec![
            "audit 1 is about volunteer 5, but the reference index does not say so.".to_string(),
            "the reference index says audit 1 is about volunteer 6, but that record does not say so."
                .to_string()
        ]
    );
}

// Indexes in value order ---------------------------------------------------------------------

#[test]
fn a_range_scan_walks_an_index_in_value_order() {
    use crate::domain::signal::{Signal, sample_signal};
    use crate::store::kinds::signal::index as signal_index;
    let (_dir, store) = fresh();
    let rules = crate::domain::volunteer::Rules {
        municipalities: vec!["Dordrecht".into()],
        today: date!(2026 - 11 - 27),
    };
    let signal = sample_signal().validate(&rules).expect("valid signal");
    let on = |day: &str| Signal {
        date: time::Date::parse(day, &time::format_description::well_known::Iso8601::DATE)
            .expect("date"),
        ..signal.clone()
    };
    // Saved out of date order; two on the same day.
    for day in [
        "2026-03-15",
        "2025-12-31",
        "2026-01-02",
        "2026-03-15",
        "2026-11-20",
    ] {
        store.insert(on(day), &stamp()).expect("insert");
    }
    let range = |r: (Bound<&str>, Bound<&str>)| {
        store
            .range::<Signal, &str>(&signal_index::DATE, r)
            .expect("range")
    };
    use Bound::*;
    assert_eq!(range((Unbounded, Unbounded)), vec![2, 3, 1, 4, 5]);
    assert_eq!(
        range((Included("2026-01-02"), Included("2026-03-15"))),
        vec![3, 1, 4]
    );
    assert_eq!(
        range((Excluded("2026-01-02"), Excluded("2026-11-20"))),
        vec![1, 4]
    );
    assert_eq!(range((Included("2026-03-16"), Unbounded)), vec![5]);
    assert_eq!(range((Unbounded, Excluded("2026-01-02"))), vec![2]);
    assert_eq!(
        range((Included("2026-03-15"), Included("2026-01-01"))),
        Vec::<u64>::new()
    );
    // A shorter value is a bound of its own, not a prefix of longer ones.
    assert_eq!(range((Included("2026"), Included("2026-01-99"))), vec![3]);
    // Other indexes of the kind are not walked.
    assert_eq!(
        store
            .range::<Signal, &str>(&signal_index::STATUS, ..)
            .expect("range")
            .len(),
        5
    );
    // Dates are indexed so byte order is date order.
    assert_eq!(date_value(date!(0999 - 01 - 02)), "0999-01-02");
}

// A store from before version 3 loses the volunteer indexes nothing reads, once, at open.
#[test]
fn opening_an_older_store_drops_the_unread_volunteer_indexes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let dropped = |store: &Store| {
        let (_, idx) = store.raw_trees(Kind::Volunteer);
        volunteer_index::DROPPED
            .iter()
            .map(|name| {
                let mut prefix = name.as_bytes().to_vec();
                prefix.push(0);
                idx.scan_prefix(prefix).count()
            })
            .sum::<usize>()
    };
    {
        let store = Store::open(&path).expect("store opens");
        for _ in 0..3 {
            store.insert(anouk(), &stamp()).expect("insert");
        }
        // As a version 2 store kept them: one entry per record per dropped index.
        let (_, idx) = store.raw_trees(Kind::Volunteer);
        for name in volunteer_index::DROPPED {
            for id in 1..=3u64 {
                let mut key = name.as_bytes().to_vec();
                key.push(0);
                key.extend_from_slice(b"x\0");
                key.extend_from_slice(&id.to_be_bytes());
                idx.insert(key, &[]).expect("insert");
            }
        }
        store.set_version(2).expect("version");
        assert_eq!(dropped(&store), 12);
        store.close().expect("closes");
    }
    let store = reopen(&path).expect("opens");
    assert_eq!(dropped(&store), 0);
    assert_eq!(store.version().expect("version"), KNOWN_VERSION);
    assert_eq!(problems(&store), Vec::<String>::new());
    // The duplicate check's indexes stay.
    assert_eq!(
        store
            .find::<Volunteer>(&volunteer_index::NAME_BIRTH, &anouk().name_birth_key())
            .expect("find"),
        vec![1, 2, 3]
    );
}

// A store from before version 4 loses the placement index entries, and one from before
// version 5 the trajectory index entries (nothing reads them), once, at open.
#[test]
fn opening_an_older_store_drops_the_placement_and_trajectory_indexes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let entries = |store: &Store| {
        store.raw_trees(Kind::Placement).1.len() + store.raw_trees(Kind::Trajectory).1.len()
    };
    {
        let store = Store::open(&path).expect("store opens");
        store.insert(anouk(), &stamp()).expect("insert");
        // As a version 3 store kept them: a vacancy and a status entry per placement, a
        // consultant and a phase entry per trajectory.
        for (kind, name, value) in [
            (Kind::Placement, "vacancy", "00000000000000000001"),
            (Kind::Placement, "status", "placed"),
            (Kind::Trajectory, "consultant", "anouk"),
            (Kind::Trajectory, "phase", "aanmelding"),
        ] {
            let mut key = name.as_bytes().to_vec();
            key.push(0);
            key.extend_from_slice(value.as_bytes());
            key.push(0);
            key.extend_from_slice(&7u64.to_be_bytes());
            store.raw_trees(kind).1.insert(key, &[]).expect("insert");
        }
        store.set_version(3).expect("version");
        assert_eq!(entries(&store), 4);
        store.close().expect("closes");
    }
    let store = reopen(&path).expect("opens");
    assert_eq!(entries(&store), 0);
    assert_eq!(store.version().expect("version"), KNOWN_VERSION);
    assert_eq!(problems(&store), Vec::<String>::new());
}

// The change feed and closing ----------------------------------------------------------------

#[test]
fn feed_numbers_increase_and_a_dropped_subscriber_is_forgotten() {
    let (_dir, store) = fresh();
    let keep = store.subscribe();
    let gone = store.subscribe();
    assert_eq!(store.subscriber_count(), 2);
    drop(gone);
    store
        .transact(&stamp(), |tx| {
            tx.insert(anouk())?;
            tx.append_audit(about(1, "register_intake"))?;
            Ok(())
        })
        .expect("save");
    // The dropped receiver is forgotten at the first publish after it went.
    assert_eq!(store.subscriber_count(), 1);
    store.update(1, 1, anouk_moved(), &later()).expect("update");
    let seqs: Vec<u64> = keep.try_iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    // Writers on several threads: every change has its own number, in publish order.
    let rx = store.subscribe();
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    store.insert(anouk(), &stamp()).expect("insert");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let seqs: Vec<u64> = rx.try_iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (4..24).collect::<Vec<u64>>());
}

#[test]
fn closing_flushes_ends_subscriptions_and_refuses_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let store = Store::open(&path).expect("open");
    let rx = store.subscribe();
    // A follower on another thread, as the read model runs.
    let follower = std::thread::spawn(move || rx.iter().count());
    store.insert(anouk(), &stamp()).expect("insert");
    store.close().expect("close");
    assert_eq!(
        follower.join().expect("follower"),
        1,
        "the feed did not end"
    );
    assert!(matches!(
        store.insert(anouk(), &stamp()),
        Err(StoreError::Closed)
    ));
    assert!(store.subscribe().recv().is_err());
    store.close().expect("a second close does nothing");
    assert_eq!(store.count::<Volunteer>(), 1, "reads keep working");
}

#[test]
fn after_a_failed_sync_the_store_stops_writing() {
    let (_dir, store) = fresh();
    store.insert(anouk(), &stamp()).expect("insert");
    let rx = store.subscribe();
    store.fail_next_sync_for_tests();
    let failed = store.insert(anouk_moved(), &stamp());
    assert!(
        matches!(failed, Err(StoreError::Stopped { ref reason }) if reason.contains("fsync")),
        "{failed:?}"
    );
    // The sync would work again, but the store does not try: every write is refused.
    let refused = store.update(1, 1, anouk_moved(), &later());
    assert!(
        matches!(refused, Err(StoreError::Stopped { .. })),
        "{refused:?}"
    );
    assert!(matches!(
        store.transact(&stamp(), |tx| tx.append_audit(event("a", ""))),
        Err(StoreError::Stopped { .. })
    ));
    assert!(
        rx.try_recv().is_err(),
        "a failed or refused write was published"
    );
    assert!(store.stopped().is_some());
    // Reads keep working.
    assert_eq!(
        store
            .get::<Volunteer>(1)
            .expect("read")
            .map(|s| s.meta.revision),
        Some(1)
    );
}

#[test]
fn the_kind_registry_follows_the_kinds() {
    let registered: Vec<Kind> = kinds::KINDS.iter().map(|k| k.kind()).collect();
    assert_eq!(registered, Kind::ALL.to_vec());
    for kind in Kind::ALL {
        assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        assert_eq!(Kind::from_code(kind.code()), Some(kind));
        assert_eq!(kinds::by_name(kind.as_str()).map(|k| k.kind()), Some(kind));
    }
}

// ---------------------------------------------------------------------------------------------
// Summaries: what lists load, kept beside the records.

/// The volunteers' summaries as the store reads them back.
fn summaries(store: &Store) -> Vec<(u64, u64, VolunteerSummary)> {
    store
        .summaries_range::<Volunteer>(0, MAX_ID)
        .map(|r| r.expect("summary readable"))
        .collect()
}

/// The summaries the volunteer records call for.
fn summaries_of_records(store: &Store) -> Vec<(u64, u64, VolunteerSummary)> {
    store
        .scan::<Volunteer>()
        .map(|r| r.expect("record readable"))
        .map(|s| (s.meta.id, s.meta.revision, VolunteerSummary::of(&s.data)))
        .collect()
}

/// 600 volunteers (three chunks), some changed and some deleted.
fn spread_over_chunks(store: &Store) {
    store
        .transact(&stamp(), |tx| {
            for _ in 0..600 {
                tx.insert(anouk())?;
            }
            Ok(())
        })
        .expect("insert");
    store.update(3, 1, anouk_moved(), &later()).expect("update");
    store
        .update(300, 1, anouk_moved(), &later())
        .expect("update");
    for id in [255, 256, 257, 600] {
        store.delete::<Volunteer>(id, 1, &later()).expect("delete");
    }
}

#[test]
fn summaries_follow_every_insert_update_and_delete() {
    let (_dir, store) = fresh();
    spread_over_chunks(&store);
    let expected = summaries_of_records(&store);
    assert_eq!(expected.len(), 596);
    assert_eq!(summaries(&store), expected);
    assert_eq!(summaries(&store)[2].2.postcode, anouk_moved().postcode);
    // Read on several threads: every summary once, in id order.
    for parts in [1, 2, 3, 8] {
        let seen = store
            .summaries_split::<Volunteer, _, _>(parts, |it| {
                it.map(|r| r.expect("summary readable")).collect::<Vec<_>>()
            })
            .expect("split read");
        assert_eq!(seen.concat(), expected, "{parts} parts");
    }
    assert_eq!(problems(&store), Vec::<String>::new());
}

#[test]
fn summaries_missing_at_open_are_rebuilt_from_the_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        spread_over_chunks(&store);
        // As a store written before summaries existed: no marker, no chunks.
        store
            .invalidate_summaries(Kind::Volunteer)
            .expect("marker removed");
        store.sum(Kind::Volunteer).clear().expect("cleared");
        assert!(summaries(&store).is_empty());
    }
    let store = reopen(&path).expect("store opens again");
    assert_eq!(summaries(&store), summaries_of_records(&store));
    assert_eq!(problems(&store), Vec::<String>::new());
}

#[test]
fn check_reports_a_stale_summary_and_the_next_open_rebuilds_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        for _ in 0..3 {
            store.insert(anouk(), &stamp()).expect("insert");
        }
        // Volunteer 2's summary says revision 7 and another postcode.
        let stale: Vec<summary::Entry> = summaries(&store)
            .into_iter()
            .map(|(id, revision, mut s)| {
                if id == 2 {
                    s.postcode = "9999 ZZ".into();
                    (id, 7, codec::encode(&s).expect("encodes"))
                } else {
                    (id, revision, codec::encode(&s).expect("encodes"))
                }
            })
            .collect();
        let bytes = summary::encode_chunk(&stale);
        store
            .sum(Kind::Volunteer)
            .insert(summary::chunk_key(2), bytes)
            .expect("tampered");
        let found = problems(&store);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("volunteer 2"), "{found:?}");
    }
    let store = reopen(&path).expect("store opens again");
    assert_eq!(problems(&store), Vec::<String>::new());
    assert_eq!(summaries(&store)[1].2.postcode, anouk().postcode);
}

// ---------------------------------------------------------------------------------------------
// A store that lost data is not opened.

#[test]
fn a_store_whose_counters_went_back_since_it_was_closed_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        for _ in 0..3 {
            store.insert(anouk(), &stamp()).expect("insert");
        }
        store.close().expect("closes");
    }
    // Closed cleanly: opens again.
    drop(reopen(&path).expect("opens after a clean close"));
    // A new database in that folder (the old files gone, the watermark kept) is not refused.
    {
        let other = dir.path().join("other");
        Store::open(&other).expect("opens").close().expect("closes");
        std::fs::write(other.join("watermark"), "volunteer 9\naudit 0\n").expect("written");
        for f in ["db", "conf", "blobs"] {
            let p = other.join(f);
            let _ = std::fs::remove_file(&p).or_else(|_| std::fs::remove_dir_all(&p));
        }
        reopen(&other).expect("a new store in the folder opens");
    }
    // As if the log lost everything after the first record.
    std::fs::write(path.join("watermark"), "volunteer 9\naudit 0\n").expect("written");
    match reopen(&path) {
        Err(StoreError::LostData {
            kind,
            expected,
            found,
            ..
        }) => assert_eq!((kind, expected, found), (Kind::Volunteer, 9, 3)),
        Err(e) => panic!("expected lost data, got {e}"),
        Ok(_) => panic!("a store that lost data opened"),
    }
}

// A store laid out by a newer koppel is not opened (nor changed).
#[test]
fn a_store_of_a_newer_version_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        store.insert(anouk(), &stamp()).expect("insert");
        store.set_version(KNOWN_VERSION + 1).expect("version set");
        store.close().expect("closes");
    }
    match reopen(&path) {
        Err(StoreError::TooNew { found, known, .. }) => {
            assert_eq!((found, known), (KNOWN_VERSION + 1, KNOWN_VERSION))
        }
        Err(e) => panic!("expected a refusal of a newer store, got {e}"),
        Ok(_) => panic!("a store of a newer version opened"),
    }
    // Nothing was changed: the version is still the newer one and the record is there.
    let db = sled::open(&path).expect("sled opens");
    let version = db
        .open_tree("meta")
        .expect("meta")
        .get(VERSION_KEY)
        .expect("read");
    assert_eq!(
        version.as_deref(),
        Some(&(KNOWN_VERSION + 1).to_be_bytes()[..])
    );
    assert_eq!(
        db.open_tree(rec_name(Kind::Volunteer)).expect("tree").len(),
        1
    );
}

#[test]
fn a_damaged_log_never_opens_as_a_sound_emptier_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        store
            .transact(&stamp(), |tx| {
                for _ in 0..300 {
                    tx.insert(anouk())?;
                }
                Ok(())
            })
            .expect("insert");
        store.close().expect("closes");
    }
    // Flip bytes through the second half of the log.
    let db = path.join("db");
    let mut bytes = std::fs::read(&db).expect("readable");
    let len = bytes.len();
    for at in (len / 2..len).step_by(len / 40 + 1) {
        for b in bytes.iter_mut().skip(at).take(64) {
            *b = 0xff;
        }
    }
    std::fs::write(&db, bytes).expect("written");
    if let Ok(store) = reopen(&path) {
        assert_eq!(
            store.count::<Volunteer>(),
            300,
            "opened having lost records"
        );
    }
}

#[test]
fn an_export_saved_with_a_byte_order_mark_imports() {
    let (_dir, store) = fresh();
    store.insert(anouk(), &stamp()).expect("insert");
    let text = format!("\u{feff}{}", export_text(&store));
    let (_dir2, copy) = fresh();
    exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None)
        .expect("a BOM before the first line is not part of it");
    assert_eq!(copy.count::<Volunteer>(), 1);
}

#[test]
fn an_availability_beyond_sunday_evening_is_refused_not_dropped() {
    let (_dir, store) = fresh();
    store.insert(anouk(), &stamp()).expect("insert");
    let mut line: serde_json::Value =
        serde_json::from_str(export_text(&store).trim()).expect("an export line");
    line["data"]["availability"] = serde_json::json!(1u32 << 22);
    let text = format!("{line}\n");
    let (_dir2, copy) = fresh();
    match exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None) {
        Err(ImportError::Lines(errors)) => match &errors[0].problem {
            exchange::LineProblem::Fields(fields) => {
                assert_eq!(fields[0].field, crate::domain::Field::Availability)
            }
            other => panic!("expected a field problem, got {other:?}"),
        },
        other => panic!("expected a refused line, got {other:?}"),
    }
    assert_eq!(copy.count::<Volunteer>(), 0);
}

#[test]
fn an_import_line_with_a_field_koppel_does_not_know_is_refused_naming_it() {
    let (_dir, store) = fresh();
    store.insert(anouk(), &stamp()).expect("insert");
    let mut line: serde_json::Value =
        serde_json::from_str(export_text(&store).trim()).expect("an export line");
    line["data"]["bsn"] = serde_json::json!("123456782");
    let text = format!("{line}\n");
    let (_dir2, copy) = fresh();
    match exchange::import(&copy, &mut text.as_bytes(), &rules(), &later(), false, None) {
        Err(ImportError::Lines(errors)) => {
            let said = format!("{:?}", errors[0].problem);
            assert!(said.contains("unknown field `bsn`"), "{said}");
        }
        other => panic!("expected a refused line, got {other:?}"),
    }
    assert_eq!(copy.count::<Volunteer>(), 0);
}

#[test]
fn a_damaged_summary_chunk_never_stops_a_save_and_is_rebuilt_at_the_next_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).expect("store opens");
        for _ in 0..3 {
            store.insert(anouk(), &stamp()).expect("insert");
        }
        store
            .sum(Kind::Volunteer)
            .insert(summary::chunk_key(2), &b"\x00\x01cut"[..])
            .expect("damaged");
        store
            .update(2, 1, anouk_moved(), &later())
            .expect("a damaged summary does not stop a save");
    }
    let store = reopen(&path).expect("store opens again");
    assert_eq!(summaries(&store), summaries_of_records(&store));
    assert_eq!(problems(&store), Vec::<String>::new());
}

/// sled 0.34 leaves `snap.<lsn>.generating` behind when it cannot finish a snapshot (a full
/// disk while it opens the store); its reader then takes that file for the newest snapshot and
/// refuses the whole store as "Read corrupted data". Such a leftover must not cost the store.
#[test]
fn an_unfinished_sled_snapshot_does_not_make_the_store_unreadable() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("store");
    let id = {
        let store = Store::open(&path).unwrap();
        let id = store.insert(anouk(), &stamp()).unwrap().meta.id;
        store.close().unwrap();
        id
    };
    for name in [
        "snap.FFFFFFFFFFFFFFF0.generating",
        "snap.0000000000000001.generating",
    ] {
        std::fs::write(path.join(name), b"").unwrap();
    }
    let store = reopen(&path).expect("the store opens");
    assert_eq!(store.get::<Volunteer>(id).unwrap().unwrap().data, anouk());
    let report = exchange::check(&store).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// An import cut off after some of its batches (here: a wrong line far down the file, found
/// after three batches were written) leaves nothing; so does a process that died with the
/// pending mark set, at the next open.
#[test]
fn an_import_written_in_batches_lands_whole_or_not_at_all() {
    let dir = TempDir::new().unwrap();
    let source = Store::open(&dir.path().join("source")).unwrap();
    let n = 3 * exchange::IMPORT_BATCH + 10;
    source
        .transact(&stamp(), |tx| {
            for _ in 0..n {
                tx.insert(anouk())?;
            }
            Ok(())
        })
        .unwrap();
    let mut text = Vec::new();
    exchange::export(&source, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let broken = format!("{text}{{\"kind\":\"volunteer\"}}\n");

    let target_path = dir.path().join("target");
    let target = Store::open(&target_path).unwrap();
    let mut batches = Vec::new();
    let result = exchange::import_with_progress(
        &target,
        &mut broken.as_bytes(),
        &rules(),
        &stamp(),
        false,
        None,
        &mut |written| batches.push(written),
    );
    assert!(matches!(result, Err(ImportError::Lines(_))));
    // The good lines before the wrong one were written while nothing was wrong yet …
    assert_eq!(batches.len(), 3, "{batches:?}");
    // … and taken out again, with the counter set back.
    assert_eq!(target.count::<Volunteer>(), 0);
    assert_eq!(target.last_id(Kind::Volunteer).unwrap(), 0);
    assert!(!target.import_pending().unwrap());
    assert!(exchange::check(&target).unwrap().problems.is_empty());

    // A process that dies between batches: the pending mark is set when the store reopens.
    let summary = exchange::import_with_progress(
        &target,
        &mut text.as_bytes(),
        &rules(),
        &stamp(),
        false,
        None,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(summary.counts[0], (Kind::Volunteer, n as u64));
    assert_eq!(target.count::<Volunteer>(), n);
    target.close().unwrap();
    drop(target);
    // Simulate the kill: set the mark again as a cut-off import leaves it, with the counters
    // before that import (all zero) and its undo notes.
    {
        let store = reopen(&target_path).unwrap();
        let zero = {
            let mut z = Vec::new();
            for kind in Kind::ALL {
                z.push(kind.code());
                z.extend_from_slice(&0u64.to_be_bytes());
            }
            z
        };
        store
            .transact(&stamp(), |tx| {
                let records: Vec<(Kind, u64)> =
                    (1..=n as u64).map(|id| (Kind::Volunteer, id)).collect();
                tx.note_import_records(&zero, &records)
            })
            .unwrap();
        assert!(store.import_pending().unwrap());
        store.close().unwrap();
    }
    let store = reopen(&target_path).unwrap();
    assert!(!store.import_pending().unwrap());
    assert_eq!(
        store.count::<Volunteer>(),
        0,
        "the cut-off import is taken out at open"
    );
    assert_eq!(store.last_id(Kind::Volunteer).unwrap(), 0);
    let report = exchange::check(&store).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A store whose import was cut off by an older koppel holds one undo note per record rather
/// than one per batch: the next open takes that import out just the same, and keeps what was
/// there before it.
#[test]
fn an_import_cut_off_by_an_older_koppel_is_taken_out_at_open() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        store.insert(anouk(), &stamp()).unwrap();
        let mut counters = Vec::new();
        for kind in Kind::ALL {
            counters.push(kind.code());
            let last = if kind == Kind::Volunteer { 1u64 } else { 0 };
            counters.extend_from_slice(&last.to_be_bytes());
        }
        store
            .transact(&stamp(), |tx| {
                for _ in 0..3 {
                    let id = tx.insert(anouk_moved())?.meta.id;
                    tx.meta()
                        .insert(super::undo::undo_key(Kind::Volunteer, id), &[])?;
                }
                tx.changes.clear();
                tx.note_import_records(&counters, &[])
            })
            .unwrap();
        assert_eq!(store.count::<Volunteer>(), 4);
        assert!(store.import_pending().unwrap());
        store.close().unwrap();
    }
    let store = reopen(&path).unwrap();
    assert!(!store.import_pending().unwrap());
    assert_eq!(store.count::<Volunteer>(), 1);
    assert_eq!(store.get::<Volunteer>(1).unwrap().unwrap().data, anouk());
    assert_eq!(store.last_id(Kind::Volunteer).unwrap(), 1);
    assert_eq!(problems(&store), Vec::<String>::new());
}

/// Opens the store again, waiting (bounded) while a handle just dropped still holds sled's lock.
fn reopen_with(dir: &Path, access: Access) -> Store {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open_with(dir, access) {
            Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                std::thread::yield_now()
            }
            other => return other.unwrap(),
        }
    }
}

#[test]
fn a_store_opened_to_save_sets_a_private_allocated_reserve_aside() {
    use std::os::unix::fs::MetadataExt;
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("s");
    // Opened by tests and tools (`Store::open`): no reserve.
    drop(Store::open(&dir).unwrap());
    assert!(!reserve::path(&dir).exists());
    // A reserve whose making was cut off leaves a temporary file: cleared at the next attempt.
    std::fs::write(dir.join(".reserve-cutoff"), b"0000").unwrap();
    let store = reopen_with(&dir, Access::Write { needed: MIN_FREE });
    assert!(store.has_reserve());
    let meta = std::fs::symlink_metadata(reserve::path(&dir)).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.len(), reserve::SIZE);
    assert!(meta.blocks() * 512 >= reserve::SIZE, "not sparse");
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert!(!dir.join(".reserve-cutoff").exists());
    // Opened to read, a store with room keeps its reserve and says nothing about it.
    drop(store);
    let store = reopen_with(&dir, Access::Read);
    assert!(store.has_reserve());
    assert_eq!(store.opened_on_reserve(), None);
}

#[test]
fn a_link_planted_as_the_reserve_is_never_followed_nor_removed() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("s");
    drop(Store::open(&dir).unwrap());
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, b"not koppel's").unwrap();
    std::os::unix::fs::symlink(&victim, reserve::path(&dir)).unwrap();
    let store = reopen_with(&dir, Access::Write { needed: MIN_FREE });
    assert!(!store.has_reserve(), "a link is no reserve");
    assert_eq!(std::fs::read(&victim).unwrap(), b"not koppel's");
    // Nor is it removed to make room.
    assert!(!reserve::release(&dir).unwrap());
    assert!(
        std::fs::symlink_metadata(reserve::path(&dir))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"not koppel's");
}

#[test]
fn a_compaction_moves_the_reserve_into_the_new_folder_without_copying_it() {
    use std::os::unix::fs::MetadataExt;
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("s");
    let store = Store::open_with(&dir, Access::Write { needed: MIN_FREE }).unwrap();
    store.insert(anouk(), &stamp()).unwrap();
    let inode = std::fs::metadata(reserve::path(&dir)).unwrap().ino();
    store.compact().unwrap();
    let store = reopen_with(&dir, Access::Read);
    assert!(store.has_reserve());
    // The same file, renamed into the new folder: the compaction needed no second reserve.
    assert_eq!(std::fs::metadata(reserve::path(&dir)).unwrap().ino(), inode);
}

/// A kill while a batch of an import was being written can leave index and reference entries
/// of records that never landed: the entries are written beside the records, on a thread of
/// their own. The next open takes them out with the import, so `check` finds nothing stray.
#[test]
fn entries_of_records_an_import_did_not_finish_writing_are_taken_out_at_open() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("store");
    let moved_key = anouk_moved().name_birth_key();
    {
        let store = Store::open(&path).unwrap();
        store.insert(anouk(), &stamp()).unwrap();
        let counters = store.import_counters().unwrap();
        // The batch's note is durable: volunteers 2 and 3 and placement 9.
        store
            .transact(&stamp(), |tx| {
                tx.note_import_records(
                    &counters,
                    &[
                        (Kind::Volunteer, 2),
                        (Kind::Volunteer, 3),
                        (Kind::Placement, 9),
                    ],
                )
            })
            .unwrap();
        // Volunteer 2 landed whole; of volunteer 3 only its index entries did, and of
        // placement 9 only its reference entry (it is about volunteer 1).
        let two = Stored {
            meta: Meta {
                id: 2,
                revision: 1,
                created: stamp(),
                updated: stamp(),
            },
            data: anouk_moved(),
        };
        let prepared = super::import_write::Prepared::of(&two).unwrap();
        store
            .apply_prepared(&[(Kind::Volunteer, 2, &prepared)])
            .unwrap();
        let (_, idx) = store.raw_trees(Kind::Volunteer);
        for key in index_keys_of(&anouk_moved(), 3) {
            idx.insert(key, &[]).unwrap();
        }
        store
            .ref_tree()
            .insert(ref_key(1, Kind::Placement, 9), &[])
            .unwrap();
        assert_eq!(
            store
                .find::<Volunteer>(&volunteer_index::NAME_BIRTH, &moved_key)
                .unwrap(),
            vec![1, 2, 3]
        );
        assert!(store.import_pending().unwrap());
        store.close().unwrap();
    }
    let store = reopen(&path).unwrap();
    assert!(!store.import_pending().unwrap());
    assert_eq!(store.count::<Volunteer>(), 1);
    assert_eq!(
        store
            .find::<Volunteer>(&volunteer_index::NAME_BIRTH, &moved_key)
            .unwrap(),
        vec![1]
    );
    assert_eq!(store.ref_tree().len(), 0);
    assert_eq!(store.last_id(Kind::Volunteer).unwrap(), 1);
    assert_eq!(problems(&store), Vec::<String>::new());
}
