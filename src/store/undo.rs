//! An import written in several transactions that still lands whole or not at all.
//!
//! One transaction for a whole import file held every record, index entry and summary of it in
//! memory at once (3.7 GB for 100,000 volunteers) and took 20 seconds. Import now writes
//! batches, each its own durable transaction, and each batch also notes in `meta`:
//! - `import/pending`: an import is under way; its value holds every kind's id counter as it
//!   was before the import (kind code, then the counter big-endian, per kind);
//! - `import/undo/<kind code><id>`: a record this import wrote.
//!
//! The import's last transaction (with its audit event) removes the pending mark: from then on
//! the import is complete. The undo notes are cleared after that, in batches; leftovers of a
//! finished import are harmless and cleared at the next open or import.
//!
//! If the import does not finish (a wrong line found late, a full disk, a SIGKILL), the store
//! takes it out again: every record it wrote is removed with its index, reference and summary
//! entries, the counters are set back, and the pending mark goes last. This happens at once
//! when the import fails, and at the next open when the process died; a kill during the undo
//! leaves the mark, so the next open finishes it.

use super::kinds::KINDS;
use super::{Kind, META, Stamp, Store, StoreError, Tx, TxError, id_from_key, seq_key};

/// The mark of an import under way.
const PENDING: &[u8] = b"import/pending";
/// Prefix of the notes of what an unfinished import wrote.
const UNDO: &[u8] = b"import/undo/";
/// Notes undone (or cleared) per transaction.
const UNDO_BATCH: usize = 2_000;

fn undo_key(kind: Kind, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(UNDO.len() + 9);
    key.extend_from_slice(UNDO);
    key.push(kind.code());
    key.extend_from_slice(&id.to_be_bytes());
    key
}

fn parse_undo_key(key: &[u8]) -> Option<(Kind, u64)> {
    let rest = key.strip_prefix(UNDO)?;
    let (&code, id) = rest.split_first()?;
    Some((Kind::from_code(code)?, id_from_key(id)?))
}

impl Tx<'_> {
    /// Notes, in this transaction, that an import is under way (with the counters as they were
    /// before it, `counters`) and which records this transaction wrote for it.
    pub(super) fn note_import_batch(&self, counters: &[u8]) -> Result<(), TxError> {
        self.meta().insert(PENDING, counters)?;
        for change in &self.changes {
            self.meta().insert(undo_key(change.kind, change.id), &[])?;
        }
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
                        for ops in KINDS.iter().filter(|o| o.kind() == kind) {
                            ops.forget(tx, id)?;
                        }
                    }
                    tx.meta().remove(key)?;
                }
                Ok(())
            })?;
        }
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
        loop {
            let keys = meta
                .scan_prefix(UNDO)
                .keys()
                .take(UNDO_BATCH)
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                return Ok(());
            }
            let mut batch = sled::Batch::default();
            for key in keys {
                batch.remove(key);
            }
            meta.apply_batch(batch)?;
        }
    }
}
