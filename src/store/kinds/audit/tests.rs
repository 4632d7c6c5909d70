//! The hash chain: a trail that verifies, and tampered stores (a changed, a removed and a
//! reordered entry) that do not, each named; the migration of a trail from before the chain;
//! export and import carrying the chain; an erased payload that keeps the chain sound.

use super::*;
use crate::config::Config;
use crate::store::envelope;
use crate::store::exchange;
use crate::store::record::Meta;
use tempfile::TempDir;
use time::macros::{date, datetime};

fn stamp() -> Stamp {
    Stamp {
        by: "balie1".into(),
        at: datetime!(2026-11-27 10:00 +1),
    }
}

fn event(n: u64) -> AuditEvent {
    AuditEvent {
        at: datetime!(2026-11-27 10:00 +1) + time::Duration::minutes(n as i64),
        actor: "balie1".into(),
        action: "update_volunteer".into(),
        subject: format!("volunteer/{n}"),
        detail: format!("change {n}"),
        person: Some(n),
        fields: vec!["phone".into()],
        chain: Default::default(),
    }
}

/// A store with a trail of `n` entries, appended one transaction each.
fn trail(n: u64) -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    for i in 1..=n {
        store
            .transact(&stamp(), |tx| tx.append_audit(event(i)).map(|_| ()))
            .unwrap();
    }
    (dir, store)
}

/// Overwrites entry `id` with `data` (same bookkeeping), as someone with the files could.
fn tamper(store: &Store, id: u64, data: AuditEvent) {
    let old = store.get::<AuditEvent>(id).unwrap().unwrap();
    let bytes = envelope::seal(&old.meta, &data).unwrap();
    store.put_raw_for_tests(Kind::Audit, id, &bytes).unwrap();
}

fn problems(store: &Store) -> Vec<ChainProblem> {
    verify(store).unwrap().problems
}

#[test]
fn a_trail_of_appends_is_a_sound_chain() {
    let (_d, store) = trail(5);
    let report = verify(&store).unwrap();
    assert_eq!(report.entries, 5);
    assert_eq!(report.problems, []);
    let first = store.get::<AuditEvent>(1).unwrap().unwrap().data;
    let second = store.get::<AuditEvent>(2).unwrap().unwrap().data;
    assert_eq!(first.chain.prev, GENESIS);
    assert_eq!(second.chain.prev, first.chain.hash);
    assert_eq!(
        report.head,
        store.get::<AuditEvent>(5).unwrap().unwrap().data.chain.hash
    );
}

#[test]
fn a_changed_entry_is_named() {
    let (_d, store) = trail(5);
    let mut e = store.get::<AuditEvent>(3).unwrap().unwrap().data;
    e.detail = "nothing happened".into();
    tamper(&store, 3, e.clone());
    assert_eq!(problems(&store), [ChainProblem::Changed { id: 3 }]);
    // Hashing it again does not hide it: the next entry no longer follows.
    e.link(3, &e.chain.prev.clone());
    tamper(&store, 3, e);
    assert_eq!(problems(&store), [ChainProblem::Unlinked { id: 4 }]);
}

#[test]
fn a_removed_entry_is_named_also_the_last() {
    let (_d, store) = trail(5);
    store
        .raw_trees(Kind::Audit)
        .0
        .remove(3u64.to_be_bytes())
        .unwrap();
    assert_eq!(problems(&store), [ChainProblem::Removed { from: 3, to: 3 }]);
    store
        .raw_trees(Kind::Audit)
        .0
        .remove(5u64.to_be_bytes())
        .unwrap();
    assert_eq!(
        problems(&store),
        [
            ChainProblem::Removed { from: 3, to: 3 },
            ChainProblem::Removed { from: 5, to: 5 }
        ]
    );
}

#[test]
fn reordered_entries_are_named() {
    let (_d, store) = trail(5);
    let third = store.get::<AuditEvent>(3).unwrap().unwrap().data;
    let fourth = store.get::<AuditEvent>(4).unwrap().unwrap().data;
    tamper(&store, 3, fourth);
    tamper(&store, 4, third);
    assert_eq!(
        problems(&store),
        [
            ChainProblem::Reordered { id: 3, after: 4 },
            ChainProblem::Reordered { id: 4, after: 2 }
        ]
    );
}

#[test]
fn an_erased_payload_keeps_the_chain_sound() {
    let (_d, store) = trail(4);
    let mut e = store.get::<AuditEvent>(2).unwrap().unwrap().data;
    e.subject.clear();
    e.detail.clear();
    e.person = None;
    e.fields.clear();
    e.chain.redacted = true;
    tamper(&store, 2, e);
    assert_eq!(problems(&store), []);
}

#[test]
fn a_trail_from_before_the_chain_is_chained_once_at_open_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let old: Vec<v2::AuditEventV2> = (1..=3)
        .map(|n| {
            let e = event(n);
            v2::AuditEventV2 {
                at: e.at,
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
                person: e.person,
            }
        })
        .collect();
    {
        let store = Store::open(&path).unwrap();
        for (i, e) in old.iter().enumerate() {
            let id = i as u64 + 1;
            let meta = Meta {
                id,
                revision: 1,
                created: stamp(),
                updated: stamp(),
            };
            let bytes =
                envelope::seal_version(2, &meta, &crate::codec::encode(e).unwrap()).unwrap();
            store.put_raw_for_tests(Kind::Audit, id, &bytes).unwrap();
        }
        store.inner.trees[crate::store::META]
            .insert(seq_key(Kind::Audit), &3u64.to_be_bytes())
            .unwrap();
        // As a store from before versions were kept.
        store.inner.trees[crate::store::META]
            .remove(crate::store::VERSION_KEY)
            .unwrap();
        assert_eq!(
            problems(&store),
            (1..=3)
                .map(|id| ChainProblem::Unchained { id })
                .collect::<Vec<_>>()
        );
        store.close().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(store.version().unwrap() >= CHAINED_VERSION);
    assert_eq!(problems(&store), []);
    for (i, e) in old.into_iter().enumerate() {
        let now = store.get::<AuditEvent>(i as u64 + 1).unwrap().unwrap();
        assert_eq!(
            AuditEvent::from(e),
            AuditEvent {
                chain: Default::default(),
                ..now.data
            }
        );
        assert_eq!(now.meta.revision, 1);
    }
    // The next entry follows on.
    store
        .transact(&stamp(), |tx| tx.append_audit(event(4)).map(|_| ()))
        .unwrap();
    assert_eq!(verify(&store).unwrap().entries, 4);
    assert_eq!(problems(&store), []);
}

fn export_text(store: &Store) -> String {
    let mut out = Vec::new();
    exchange::export(store, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn import_text(
    store: &Store,
    text: &str,
) -> Result<exchange::ImportSummary, exchange::ImportError> {
    let rules = Config::default().rules(date!(2026 - 11 - 27));
    exchange::import(store, &mut text.as_bytes(), &rules, &stamp(), false, None)
}

#[test]
fn export_and_import_into_an_empty_store_carry_the_chain_intact() {
    let (_d, store) = trail(4);
    let text = export_text(&store);
    let (_e, copy) = trail(0);
    import_text(&copy, &text).unwrap();
    assert_eq!(export_text(&copy), text);
    assert_eq!(problems(&copy), []);
    // Not into a store that has a trail of its own.
    let (_f, other) = trail(1);
    let Err(exchange::ImportError::Lines(lines)) = import_text(&other, &text) else {
        panic!("imported into a trail")
    };
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].problem, exchange::LineProblem::AuditIntoTrail);
}

#[test]
fn an_export_whose_chain_was_tampered_with_is_refused_naming_the_entry() {
    let (_d, store) = trail(4);
    let text = export_text(&store);
    let changed = text.replace("change 2", "change 9");
    let (_e, copy) = trail(0);
    let Err(exchange::ImportError::Lines(lines)) = import_text(&copy, &changed) else {
        panic!("a changed entry was imported")
    };
    assert_eq!(
        lines[0].problem,
        exchange::LineProblem::AuditChain { id: 2 }
    );
    // A removed line breaks it too, and nothing was written.
    let removed: String = text
        .lines()
        .filter(|l| !l.contains("change 3"))
        .map(|l| format!("{l}\n"))
        .collect();
    let Err(exchange::ImportError::Lines(lines)) = import_text(&copy, &removed) else {
        panic!("a trail with a gap was imported")
    };
    assert_eq!(
        lines[0].problem,
        exchange::LineProblem::AuditChain { id: 4 }
    );
    assert_eq!(copy.last_id(Kind::Audit).unwrap(), 0);
}
