//! An import written in several transactions that still lands whole or not at all.
//!
//! One transaction for a whole import file held every record, index entry and summary of it in
//! memory at once (3.7 GB for 100,000 volunteers) and took 20 seconds. Import now writes
//! batches ([`super::import_write`]), and each batch's claim, a durable transaction made
//! before the batch's records are written, notes in `meta`:
//! - `import/pending`: an import is under way; its value holds every kind's id counter as it
//!   was before the import (kind code, then the counter big-endian, per kind);
//! - `import/batch/<kind code><id>`, keyed by the batch's first record: the records this
//!   batch writes, packed (kind code, then the id big-endian, per record). One value per batch
//!   rather than one per record: a note is written and later cleared for every batch, and
//!   per record those notes were a fifth of an import's writes.
//!
//! A store cut off by an older koppel may still hold per-record notes,
//! `import/undo/<kind code><id>`; they are taken out the same way.
//!
//! The import's last transaction (with its audit event) removes the pending mark: from then on
//! the import is complete. The undo notes are cleared after that, in batches; leftovers of a
//! finished import are harmless and cleared at the next open or import.
//!
//! If the import does not finish (a wrong line found late, a full disk, a SIGKILL), the store
//! takes it out again: every record it wrote is removed with its index, reference and summary
//! entries, the counters are set back, and the pending mark goes last. This happens at once
//! when the import fails, and at the next open when the process died; a kill during the undo
//! leaves the mark, so the next open finishes it. A batch is written tree by tree, so a kill
//! in the middle of one can leave entries of a record without the record: for a noted record
//! that is not there whole, the trees that hold such entries are searched once and cleared
//! of them.

use super::kinds::KINDS;
use super::{Kind, META, REF, Stamp, Store, StoreError, Tx, TxError, id_from_key, seq_key};
use std::collections::BTreeSet;

/// The mark of an import under way.
const PENDING: &[u8] = b"import/pending";
/// Prefix of the per-record notes older koppels wrote (one key per record).
const UNDO: &[u8] = b"import/undo/";
/// Prefix of the per-batch notes of what an unfinished import wrote.
const BATCH: &[u8] = b"import/batch/";
/// Notes undone (or cleared) per transaction.
const UNDO_BATCH: usize = 2_000;

/// The per-record note an older koppel wrote (tests make such stores).
#[cfg(test)]
pub(super) fn undo_key(kind: Kind, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(UNDO.len() + 9);
    key.extend_from_slice(UNDO);
    key.push(kind.code());
    key.extend_from_slice(&id.to_be_bytes());
    key
}

fn parse_undo_key(key: &[u8]) -> Option<(Kind, u64)> {
    parse_entry(key.strip_prefix(UNDO)?)
}

/// One record in a note: kind code, then the id big-endian.
fn parse_entry(entry: &[u8]) -> Option<(Kind, u64)> {
    let (&code, id) = entry.split_first()?;
    Some((Kind::from_code(code)?, id_from_key(id)?))
}

/// The records a batch note lists (entries that do not parse are passed over).
fn parse_batch_note(value: &[u8]) -> Vec<(Kind, u64)> {
    value.chunks_exact(9).filter_map(parse_entry).collect()
}

impl Tx<'_> {
    /// Notes, in this transaction, that an import is under way (with the counters as they were
    /// before it, `counters`) and that this batch writes `records`.
    pub(super) fn note_import_records(
        &self,
        counters: &[u8],
        records: &[(Kind, u64)],
    ) -> Result<(), TxError> {
        self.meta().insert(PENDING, counters)?;
        let Some(&(kind, id)) = records.first() else {
            return Ok(());
        };
        let mut key = BATCH.to_vec();
        key.push(kind.code());
        key.extend_from_slice(&id.to_be_bytes());
        let mut note = Vec::with_capacity(records.len() * 9);
        for &(kind, id) in records {
            note.push(kind.code());
            note.extend_from_slice(&id.to_be_bytes());
        }
        self.meta().insert(key, note)?;
        Ok(())
    }

    /// Ends the import under way: from this transaction on it is complete.
    pub(super) fn finish_import(&self) -> Result<(), TxError> {
        self.meta().remove(PENDING)?;
        Ok(())
    }
}

impl Store {
    /// Every kind's id counter, as the pending mark keeps them.
    pub(super) fn import_counters(&self) -> Result<Vec<u8>, StoreError> {
        let mut out = Vec::with_capacity(Kind::ALL.len() * 9);
        for kind in Kind::ALL {
            out.push(kind.code());
            out.extend_from_slice(&self.last_id(kind)?.to_be_bytes());
        }
        Ok(out)
    }

    /// Whether an import is under way (or was cut off and not yet undone).
    pub fn import_pending(&self) -> Result<bool, StoreError> {
        Ok(self.inner.trees[META].contains_key(PENDING)?)
    }

    /// Takes out an import that did not finish (see the module doc); clears the notes of one
    /// that did. Returns whether there was one to take out.
    pub(super) fn undo_unfinished_import(&self) -> Result<bool, StoreError> {
        let meta = &self.inner.trees[META];
        let Some(counters) = meta.get(PENDING)? else {
            self.clear_import_notes()?;
            return Ok(false);
        };
        let stamp = Stamp {
            by: "koppel".into(),
            at: time::OffsetDateTime::now_utc(),
        };
        loop {
            let keys = meta
                .scan_prefix(UNDO)
                .keys()
                .take(UNDO_BATCH)
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                break;
            }
            self.transact(&stamp, |tx| {
                for key in &keys {
                    if let Some((kind, id)) = parse_undo_key(key) {
                        forget(tx, kind, id)?;
                    }
                    tx.meta().remove(key)?;
                }
                Ok(())
            })?;
        }
        // Each batch note is taken out in one transaction with the records it lists. A
        // record the note names that is not there (or not whole) was cut off while it was
        // being written: entries of it may be there without it.
        let mut lost = BTreeSet::new();
        while let Some(item) = meta.scan_prefix(BATCH).next() {
            let (key, note) = item?;
            let records = parse_batch_note(&note);
            let missing = self.transact(&stamp, |tx| {
                let mut missing = Vec::new();
                for &(kind, id) in &records {
                    if !forget(tx, kind, id)? {
                        missing.push((kind, id));
                    }
                }
                tx.meta().remove(&key)?;
                Ok(missing)
            })?;
            lost.extend(missing);
        }
        self.sweep_entries_of(&stamp, &lost)?;
        self.transact(&stamp, |tx| {
            for entry in counters.chunks_exact(9) {
                if let (Some(kind), Some(_)) = (Kind::from_code(entry[0]), id_from_key(&entry[1..]))
                {
                    tx.meta().insert(seq_key(kind), &entry[1..])?;
                }
            }
            tx.finish_import()
        })?;
        Ok(true)
    }

    /// Clears the notes a finished import left (no import may be under way).
    pub(super) fn clear_import_notes(&self) -> Result<(), StoreError> {
        let meta = &self.inner.trees[META];
        for prefix in [UNDO, BATCH] {
            loop {
                let keys = meta
                    .scan_prefix(prefix)
                    .keys()
                    .take(UNDO_BATCH)
                    .collect::<Result<Vec<_>, _>>()?;
                if keys.is_empty() {
                    break;
                }
                let mut batch = sled::Batch::default();
                for key in keys {
                    batch.remove(key);
                }
                meta.apply_batch(batch)?;
            }
        }
        Ok(())
    }
}

/// Takes record `id` of `kind` out with its entries (see [`Tx::forget`]); whether it was
/// there, whole.
fn forget(tx: &mut Tx<'_>, kind: Kind, id: u64) -> Result<bool, TxError> {
    let mut whole = true;
    for ops in KINDS.iter().filter(|o| o.kind() == kind) {
        whole &= ops.forget(tx, id)?;
    }
    Ok(whole)
}

impl Store {
    /// Removes every index, reference and unique-value entry that points at one of `lost`,
    /// records that are not in the store: what a batch cut off while it was being written
    /// can leave (see [`super::import_write`]). Reads each tree that may hold such entries
    /// once; runs only after such a cut.
    fn sweep_entries_of(
        &self,
        stamp: &Stamp,
        lost: &BTreeSet<(Kind, u64)>,
    ) -> Result<(), StoreError> {
        if lost.is_empty() {
            return Ok(());
        }
        let kinds: BTreeSet<Kind> = lost.iter().map(|&(kind, _)| kind).collect();
        // (tree slot, key) of every stray entry.
        let mut stray: Vec<(usize, Vec<u8>)> = Vec::new();
        for &kind in &kinds {
            for item in self.idx(kind).iter().keys() {
                let key = item?;
                let id = id_from_key(&key[key.len().saturating_sub(8)..]);
                if id.is_some_and(|id| lost.contains(&(kind, id))) {
                    stray.push((Store::slot(kind) + 1, key.to_vec()));
                }
            }
            let prefix = format!("uniq/{kind}/");
            for item in self.inner.trees[META].scan_prefix(prefix.as_bytes()) {
                let (key, holder) = item?;
                if id_from_key(&holder).is_some_and(|id| lost.contains(&(kind, id))) {
                    stray.push((META, key.to_vec()));
                }
            }
        }
        for item in self.inner.trees[REF].iter().keys() {
            let key = item?;
            if super::parse_ref_key(&key).is_some_and(|(_, kind, id)| lost.contains(&(kind, id))) {
                stray.push((REF, key.to_vec()));
            }
        }
        for part in stray.chunks(UNDO_BATCH) {
            self.transact(stamp, |tx| {
                for (slot, key) in part {
                    tx.views[*slot].remove(key.as_slice())?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}
