//! How an import writes a batch of records: fast, and still taken out whole when it does not
//! finish.
//!
//! Writing an import's records through sled transactions cost twice what the writes
//! themselves cost: a transaction keeps every write and every read in a cache of its own
//! before it applies them. An import needs no such isolation for records it restores under
//! ids nobody else can take, so each batch is written in two steps:
//!
//! 1. **One small transaction** claims the batch: it checks that none of its records exists
//!    and that their unique values are free, raises the id counters past the batch (so no
//!    save elsewhere can take those ids from then on), takes their unique values, appends the
//!    batch's audit entries (the trail keeps its own appender), edits the list summaries, and
//!    writes the batch's undo note ([`super::undo`]) naming every record of the batch. It is
//!    made durable before anything else of the batch is written.
//! 2. **The records and their index and reference entries** are then written straight into
//!    their trees, the entries on one thread and the records on another. They are made
//!    durable with the next batch's claim (or at the end of the import).
//!
//! A kill anywhere leaves at most records the durable note names, possibly with only some of
//! their entries; taking the import out removes each named record and, for one that is not
//! there (or not whole), every entry that still points at it. The import's records are
//! published on the change feed once durable.
//!
//! A record is prepared for this ([`Prepared`]) on the thread that reads the file: its
//! envelope, index keys, reference keys and summary are computed there, so the writing thread
//! only writes.

use super::kinds::{Staged, StagedBody};
use super::record::{Record, Stored};
use super::{
    Change, ChangeOp, Kind, REF, Stamp, Store, StoreError, Tx, TxError, claim_key, claims_of,
    id_from_key, index_keys_of, refs_of, seq_key, summary,
};

/// A record ready to be written by an import: everything the store keeps of it.
pub struct Prepared {
    revision: u64,
    /// The sealed envelope.
    record: Vec<u8>,
    /// Its keys in the kind's index tree.
    index: Vec<Vec<u8>>,
    /// Its keys in the reference tree.
    refs: Vec<Vec<u8>>,
    /// Its unique values: (index name, value).
    claims: Vec<(&'static str, String)>,
    /// Its list summary, for a kind that keeps them.
    summary: Option<Vec<u8>>,
}

impl Prepared {
    /// Everything the store writes for `stored`.
    pub fn of<T: Record>(stored: &Stored<T>) -> Result<Prepared, StoreError> {
        let id = stored.meta.id;
        Ok(Prepared {
            revision: stored.meta.revision,
            record: super::seal(stored)?,
            index: index_keys_of(&stored.data, id).into_iter().collect(),
            refs: refs_of(&stored.data, id).into_iter().collect(),
            claims: claims_of(&stored.data).into_iter().collect(),
            summary: if summary::kept::<T>() {
                Some(summary::encode(&stored.data, id)?)
            } else {
                None
            },
        })
    }
}

/// Writes an import's batches, one after another (see the module doc). A batch's records
/// are made durable by the next batch's claim, which is durable before anything of that batch
/// is written, and the last batch's by [`ImportWrites::finish`]; they are published on the
/// change feed once durable.
pub(super) struct ImportWrites<'a> {
    store: &'a Store,
    stamp: &'a Stamp,
    /// The records written and not yet durable.
    unpublished: Vec<Change>,
}

impl<'a> ImportWrites<'a> {
    pub(super) fn new(store: &'a Store, stamp: &'a Stamp) -> Self {
        ImportWrites {
            store,
            stamp,
            unpublished: Vec::new(),
        }
    }

    /// Writes one batch; `counters` are every kind's id counter before the import, for the
    /// pending mark. Returns how many records it wrote.
    pub(super) fn batch(&mut self, batch: &[Staged], counters: &[u8]) -> Result<u64, StoreError> {
        let prepared: Vec<(Kind, u64, &Prepared)> = batch
            .iter()
            .filter_map(|s| match &s.body {
                StagedBody::Prepared(p) => Some((s.kind, s.id, p)),
                StagedBody::Write(_) => None,
            })
            .collect();
        self.store.transact(self.stamp, |tx| {
            claim(tx, &prepared)?;
            for s in batch {
                if let StagedBody::Write(write) = &s.body {
                    write(tx)?;
                }
            }
            // The note names every record of the batch: the appended ones (in the
            // transaction's changes) and the ones written next.
            let mut named: Vec<(Kind, u64)> = tx.changes.iter().map(|c| (c.kind, c.id)).collect();
            named.extend(prepared.iter().map(|&(kind, id, _)| (kind, id)));
            tx.note_import_records(counters, &named)
        })?;
        // That transaction was made durable, and with it the batch before.
        self.store.publish(std::mem::take(&mut self.unpublished));
        self.store.apply_prepared(&prepared)?;
        self.unpublished = prepared
            .iter()
            .map(|&(kind, id, p)| Change {
                seq: 0,
                kind,
                id,
                revision: p.revision,
                op: ChangeOp::Put,
            })
            .collect();
        Ok(batch.len() as u64)
    }

    /// Makes the last batch durable and publishes it.
    pub(super) fn finish(&mut self) -> Result<(), StoreError> {
        self.store
            .make_durable()
            .map_err(|e| self.store.stop(e.to_string()))?;
        self.store.publish(std::mem::take(&mut self.unpublished));
        Ok(())
    }
}

impl Store {
    /// Writes the prepared records: their index and reference entries on one thread, the
    /// records on another (sled's trees are independent, and a large import spends most of
    /// its time here). A failure stops the store (what is on disk is then uncertain).
    pub(super) fn apply_prepared(
        &self,
        prepared: &[(Kind, u64, &Prepared)],
    ) -> Result<(), StoreError> {
        self.writable()?;
        let entries = || -> Result<(), sled::Error> {
            for &(kind, _, p) in prepared {
                let idx = self.idx(kind);
                for key in &p.index {
                    idx.insert(key.as_slice(), &[])?;
                }
            }
            Ok(())
        };
        let records = || -> Result<(), sled::Error> {
            let refs = &self.inner.trees[REF];
            for &(_, _, p) in prepared {
                for key in &p.refs {
                    refs.insert(key.as_slice(), &[])?;
                }
            }
            for &(kind, id, p) in prepared {
                self.rec(kind)
                    .insert(id.to_be_bytes(), p.record.as_slice())?;
            }
            Ok(())
        };
        let (entries, records) = std::thread::scope(|scope| {
            let other = scope.spawn(entries);
            let records = records();
            let entries = other.join().unwrap_or_else(|_| {
                Err(sled::Error::ReportableBug(
                    "a writing thread stopped".into(),
                ))
            });
            (entries, records)
        });
        entries.and(records).map_err(|e| self.stop(e.to_string()))
    }
}

/// Claims a batch's records in `tx`: none may exist, their unique values must be free (and
/// are taken), the id counters are raised past them, and their summaries are written.
fn claim(tx: &mut Tx<'_>, prepared: &[(Kind, u64, &Prepared)]) -> Result<(), TxError> {
    // Ids above a kind's counter were never handed out, so only lower ones are looked up
    // (an export lists each kind in id order, so normally none is).
    let mut counters: Vec<Option<u64>> = Kind::ALL.iter().map(|_| None).collect();
    let mut highest: Vec<u64> = Kind::ALL.iter().map(|_| 0).collect();
    for &(kind, id, p) in prepared {
        let counter = match counters[kind.position()] {
            Some(c) => c,
            None => {
                let c = tx
                    .meta()
                    .get(seq_key(kind))?
                    .and_then(|v| id_from_key(&v))
                    .unwrap_or(0);
                counters[kind.position()] = Some(c);
                c
            }
        };
        if id <= counter && tx.rec(kind).get(id.to_be_bytes())?.is_some() {
            return Err(StoreError::AlreadyExists { kind, id }.into());
        }
        for (index, value) in &p.claims {
            let key = claim_key(kind, index, value);
            if let Some(holder) = tx.meta().get(&key)?.and_then(|v| id_from_key(&v))
                && holder != id
            {
                return Err(StoreError::Taken {
                    kind,
                    index,
                    value: value.clone(),
                    holder,
                }
                .into());
            }
            tx.meta().insert(key, &id.to_be_bytes())?;
        }
        if let Some(bytes) = &p.summary {
            tx.summaries.put(kind, id, p.revision, bytes.clone());
        }
        let top = &mut highest[kind.position()];
        *top = (*top).max(id);
    }
    for (kind, top) in Kind::ALL.iter().zip(highest) {
        if top > 0 {
            tx.raise_id(*kind, top)?;
        }
    }
    Ok(())
}
