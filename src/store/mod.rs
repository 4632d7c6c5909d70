//! The store: sled trees, versioned envelopes, secondary indexes, revisions, durable saves and
//! the change feed.
//!
//! Layout on disk (one sled database in the store directory):
//! - `meta`: id counters (`seq/<kind>` → last id, big-endian u64) and store facts;
//! - `rec/<kind>`: id (big-endian u64) → envelope (see [`envelope`]);
//! - `idx/<kind>`: `<index>\0<value>\0<id>` → empty, written in the same transaction as the
//!   record.
//!
//! Every write goes through [`Store::transact`], one sled transaction over all trees, so a
//! record, its indexes and any other records changed with it land together or not at all. A
//! write returns only after sled's `flush()` and an `fsync` of the store file: sled's own flush
//! uses `sync_file_range`, which a power cut can defeat. Only then are the changes published on
//! the change feed (sled's `watch_prefix` fires before durability and lets a slow subscriber
//! block writers, so we do not use it).
//!
//! Nothing above this module knows sled exists.

pub mod bulk;
pub mod envelope;
pub mod exchange;
pub mod kinds;
pub mod record;

use crate::codec::CodecError;
pub use record::{Meta, Record, Stamp, Stored};
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
    UnabortableTransactionError,
};
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// What can go wrong in the store. Front ends turn these into sentences via `i18n`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} is in use by another koppel process")]
    InUse { path: PathBuf },
    #[error(
        "{kind} {id} was changed by {by} at {at} (revision {found}) after you opened it (revision {expected})"
    )]
    Conflict {
        kind: &'static str,
        id: u64,
        expected: u64,
        found: u64,
        by: String,
        at: OffsetDateTime,
    },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: &'static str, id: u64 },
    #[error("{kind} {id} already exists")]
    AlreadyExists { kind: &'static str, id: u64 },
    #[error("{kind} {id} is damaged: {reason}")]
    Damaged {
        kind: &'static str,
        id: u64,
        reason: String,
    },
    #[error("the store cannot be read or written: {0}")]
    Io(String),
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Io(e.to_string())
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e.to_string())
    }
}

/// Inside a transaction: either our own abort or sled's conflict/storage signal.
#[derive(Debug)]
pub enum TxError {
    Store(StoreError),
    Sled(UnabortableTransactionError),
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

impl From<UnabortableTransactionError> for TxError {
    fn from(e: UnabortableTransactionError) -> Self {
        TxError::Sled(e)
    }
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    Put,
    Delete,
}

/// One durable change, published on the change feed after it is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: &'static str,
    pub id: u64,
    /// Revision after the change (the deleted revision for a delete).
    pub revision: u64,
    pub op: ChangeOp,
}

/// An open store. Cheap to clone; all clones share one sled database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: sled::Db,
    path: PathBuf,
    /// `[meta, rec/k0, idx/k0, rec/k1, idx/k1, …]` in the order of [`kinds::KINDS`].
    trees: Vec<sled::Tree>,
    slots: HashMap<&'static str, usize>,
    /// The sled file, kept open to fsync after every write.
    file: Mutex<File>,
    subscribers: Mutex<Vec<Sender<Change>>>,
}

const META: usize = 0;

/// Highest id a record can have: the largest integer JSON readers such as `jq` and
/// spreadsheets keep exactly (2^53 - 1), so exported ids survive any tool.
pub const MAX_ID: u64 = (1 << 53) - 1;

fn rec_name(kind: &str) -> String {
    format!("rec/{kind}")
}
fn idx_name(kind: &str) -> String {
    format!("idx/{kind}")
}

/// `<index>\0<value>\0` — the prefix under which all ids with that value are found.
pub fn index_prefix(index: &str, value: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(index.len() + value.len() + 10);
    key.extend_from_slice(index.as_bytes());
    key.push(0);
    key.extend(value.bytes().filter(|b| *b != 0));
    key.push(0);
    key
}

/// Full index key of one entry.
pub fn index_key(index: &str, value: &str, id: u64) -> Vec<u8> {
    let mut key = index_prefix(index, value);
    key.extend_from_slice(&id.to_be_bytes());
    key
}

/// The index keys a record must have.
pub fn index_keys_of<T: Record>(data: &T, id: u64) -> BTreeSet<Vec<u8>> {
    data.index_entries()
        .into_iter()
        .map(|(index, value)| index_key(index, &value, id))
        .collect()
}

fn id_from_key(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

impl Store {
    /// Opens (or creates) the store in `dir`. The directory is created with mode 0700.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        create_private_dir(dir)?;
        let db = sled::Config::new().path(dir).open().map_err(|e| match e {
            sled::Error::Io(ref io)
                if io.kind() == std::io::ErrorKind::WouldBlock
                    || io.to_string().contains("could not acquire lock") =>
            {
                StoreError::InUse {
                    path: dir.to_path_buf(),
                }
            }
            other => StoreError::Io(other.to_string()),
        })?;
        let mut trees = vec![db.open_tree("meta")?];
        let mut slots = HashMap::new();
        for ops in kinds::KINDS {
            slots.insert(ops.kind(), trees.len());
            trees.push(db.open_tree(rec_name(ops.kind()))?);
            trees.push(db.open_tree(idx_name(ops.kind()))?);
        }
        let file = File::open(dir.join("db"))?;
        Ok(Store {
            inner: Arc::new(Inner {
                db,
                path: dir.to_path_buf(),
                trees,
                slots,
                file: Mutex::new(file),
                subscribers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The directory the store lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    fn slot(&self, kind: &str) -> usize {
        // Every kind in `kinds::KINDS` has a slot, and `Record` is only implemented for those
        // (a test checks the registry); a missing slot is a programming error.
        self.inner.slots[kind]
    }

    fn rec(&self, kind: &str) -> &sled::Tree {
        &self.inner.trees[self.slot(kind)]
    }

    fn idx(&self, kind: &str) -> &sled::Tree {
        &self.inner.trees[self.slot(kind) + 1]
    }

    /// Subscribes to the change feed: every durable change from now on.
    pub fn subscribe(&self) -> Receiver<Change> {
        let (tx, rx) = channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }

    /// Runs `f` as one atomic, durable transaction. `f` may run more than once (on a conflict
    /// with a concurrent writer): it must not have side effects outside the [`Tx`].
    pub fn transact<R>(
        &self,
        stamp: &Stamp,
        f: impl Fn(&mut Tx<'_>) -> Result<R, TxError>,
    ) -> Result<R, StoreError> {
        let trees: &[sled::Tree] = &self.inner.trees;
        let result = trees.transaction(|views: &Vec<TransactionalTree>| {
            let mut tx = Tx {
                store: self,
                views,
                stamp,
                changes: Vec::new(),
            };
            match f(&mut tx) {
                Ok(r) => Ok((r, tx.changes)),
                Err(TxError::Store(e)) => Err(ConflictableTransactionError::Abort(e)),
                Err(TxError::Sled(e)) => Err(e.into()),
            }
        });
        let (value, changes) = match result {
            Ok(ok) => ok,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(e.into()),
        };
        self.make_durable()?;
        self.publish(changes);
        Ok(value)
    }

    /// sled `flush()` and then an fsync of the store file.
    fn make_durable(&self) -> Result<(), StoreError> {
        self.inner.db.flush()?;
        lock(&self.inner.file).sync_all()?;
        Ok(())
    }

    fn publish(&self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        let mut subs = lock(&self.inner.subscribers);
        subs.retain(|s| changes.iter().all(|c| s.send(c.clone()).is_ok()));
    }

    /// Inserts a new record; returns it with its id and first revision.
    pub fn insert<T: Record>(&self, data: T, stamp: &Stamp) -> Result<Stored<T>, StoreError> {
        self.transact(stamp, |tx| tx.insert(data.clone()))
    }

    /// Replaces a record, if it is still at revision `based_on`; otherwise a
    /// [`StoreError::Conflict`] and nothing changes.
    pub fn update<T: Record>(
        &self,
        id: u64,
        based_on: u64,
        data: T,
        stamp: &Stamp,
    ) -> Result<Stored<T>, StoreError> {
        self.transact(stamp, |tx| tx.update(id, based_on, data.clone()))
    }

    /// Deletes a record, if it is still at revision `based_on`.
    pub fn delete<T: Record>(
        &self,
        id: u64,
        based_on: u64,
        stamp: &Stamp,
    ) -> Result<(), StoreError> {
        self.transact(stamp, |tx| tx.delete::<T>(id, based_on))
    }

    /// Reads one record.
    pub fn get<T: Record>(&self, id: u64) -> Result<Option<Stored<T>>, StoreError> {
        match self.rec(T::KIND).get(id.to_be_bytes())? {
            None => Ok(None),
            Some(bytes) => decode_record::<T>(id, &bytes).map(Some),
        }
    }

    /// Every record of a kind, in id order.
    pub fn scan<T: Record>(&self) -> impl Iterator<Item = Result<Stored<T>, StoreError>> + '_ {
        self.rec(T::KIND).iter().map(|item| {
            let (key, bytes) = item?;
            let id = id_from_key(&key).unwrap_or(0);
            decode_record::<T>(id, &bytes)
        })
    }

    /// Number of records of a kind.
    pub fn count<T: Record>(&self) -> usize {
        self.rec(T::KIND).len()
    }

    /// Ids of the records whose `index` has exactly `value`.
    pub fn find<T: Record>(&self, index: &str, value: &str) -> Result<Vec<u64>, StoreError> {
        let prefix = index_prefix(index, value);
        let mut ids = Vec::new();
        for item in self.idx(T::KIND).scan_prefix(&prefix) {
            let (key, _) = item?;
            if let Some(id) = id_from_key(&key[prefix.len()..]) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Raw access for `check` and `export`: the record and index trees of a kind.
    fn raw_trees(&self, kind: &str) -> (&sled::Tree, &sled::Tree) {
        (self.rec(kind), self.idx(kind))
    }

    /// The last id handed out for a kind.
    fn last_id(&self, kind: &str) -> Result<u64, StoreError> {
        Ok(self.inner.trees[META]
            .get(seq_key(kind))?
            .and_then(|v| id_from_key(&v))
            .unwrap_or(0))
    }

    /// Damages a stored value on purpose. Only for tests of damage handling.
    #[doc(hidden)]
    pub fn corrupt_for_tests(&self, kind: &str, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
        self.rec(kind).insert(id.to_be_bytes(), bytes)?;
        self.make_durable()
    }

    /// Writes raw bytes under a record key. Only for migration fixtures in tests.
    #[doc(hidden)]
    pub fn put_raw_for_tests(&self, kind: &str, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
        self.corrupt_for_tests(kind, id, bytes)
    }

    /// Removes one index entry behind the store's back. Only for tests of `check`.
    #[doc(hidden)]
    pub fn drop_index_entry_for_tests(&self, kind: &str, key: &[u8]) -> Result<(), StoreError> {
        self.idx(kind).remove(key)?;
        self.make_durable()
    }
}

fn seq_key(kind: &str) -> Vec<u8> {
    format!("seq/{kind}").into_bytes()
}

fn decode_record<T: Record>(id: u64, bytes: &[u8]) -> Result<Stored<T>, StoreError> {
    envelope::open::<T>(bytes).map_err(|e: CodecError| StoreError::Damaged {
        kind: T::KIND,
        id,
        reason: e.0,
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves plain data (a file handle, a list of
    // senders) that is still consistent, so a poisoned lock is safe to use.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if dir.exists() {
        if !dir.is_dir() {
            return Err(StoreError::Io(format!(
                "{} is not a directory",
                dir.display()
            )));
        }
        // The data is about vulnerable people: an existing directory is made private too.
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    // Make the new directory entry itself durable, so the first save survives a power cut.
    if let Some(parent) = dir.parent()
        && let Ok(p) = std::fs::File::open(parent)
    {
        let _ = p.sync_all();
    }
    Ok(())
}

/// The writes of one transaction. Created afresh for every attempt of the closure.
pub struct Tx<'a> {
    store: &'a Store,
    views: &'a Vec<TransactionalTree>,
    stamp: &'a Stamp,
    changes: Vec<Change>,
}

impl Tx<'_> {
    fn rec(&self, kind: &str) -> &TransactionalTree {
        &self.views[self.store.slot(kind)]
    }
    fn idx(&self, kind: &str) -> &TransactionalTree {
        &self.views[self.store.slot(kind) + 1]
    }
    fn meta(&self) -> &TransactionalTree {
        &self.views[META]
    }

    /// Hands out the next id of a kind (contiguous, unlike sled's `generate_id`).
    fn next_id(&self, kind: &str) -> Result<u64, TxError> {
        let key = seq_key(kind);
        let last = self
            .meta()
            .get(&key)?
            .and_then(|v| id_from_key(&v))
            .unwrap_or(0);
        let next = last
            .checked_add(1)
            .filter(|n| *n <= MAX_ID)
            .ok_or_else(|| {
                StoreError::Io(format!("no more ids for {kind}: the counter is at {last}"))
            })?;
        self.meta().insert(key, &next.to_be_bytes())?;
        Ok(next)
    }

    /// Makes sure the id counter is at least `id` (after an import with given ids).
    fn raise_id(&self, kind: &str, id: u64) -> Result<(), TxError> {
        let key = seq_key(kind);
        let last = self
            .meta()
            .get(&key)?
            .and_then(|v| id_from_key(&v))
            .unwrap_or(0);
        if id > last {
            self.meta().insert(key, &id.to_be_bytes())?;
        }
        Ok(())
    }

    fn write<T: Record>(&mut self, stored: &Stored<T>, old: Option<&T>) -> Result<(), TxError> {
        let id = stored.meta.id;
        let bytes =
            envelope::seal(&stored.meta, &stored.data).map_err(|e| StoreError::Damaged {
                kind: T::KIND,
                id,
                reason: e.0,
            })?;
        let new_keys = index_keys_of(&stored.data, id);
        let old_keys = old.map(|o| index_keys_of(o, id)).unwrap_or_default();
        let idx = self.idx(T::KIND);
        for key in old_keys.difference(&new_keys) {
            idx.remove(key.as_slice())?;
        }
        for key in new_keys.difference(&old_keys) {
            idx.insert(key.as_slice(), &[])?;
        }
        self.rec(T::KIND).insert(&id.to_be_bytes(), bytes)?;
        self.changes.push(Change {
            kind: T::KIND,
            id,
            revision: stored.meta.revision,
            op: ChangeOp::Put,
        });
        Ok(())
    }

    /// Reads a record inside the transaction.
    pub fn get<T: Record>(&self, id: u64) -> Result<Option<Stored<T>>, TxError> {
        match self.rec(T::KIND).get(id.to_be_bytes())? {
            None => Ok(None),
            Some(bytes) => Ok(Some(decode_record::<T>(id, &bytes)?)),
        }
    }

    /// Inserts a new record with the next id.
    pub fn insert<T: Record>(&mut self, data: T) -> Result<Stored<T>, TxError> {
        let id = self.next_id(T::KIND)?;
        // The counter only grows, so the id is new; should a damaged counter say otherwise,
        // refuse rather than overwrite a record.
        if self.rec(T::KIND).get(id.to_be_bytes())?.is_some() {
            return Err(StoreError::AlreadyExists { kind: T::KIND, id }.into());
        }
        let stored = Stored {
            meta: Meta {
                id,
                revision: 1,
                created: self.stamp.clone(),
                updated: self.stamp.clone(),
            },
            data,
        };
        self.write(&stored, None)?;
        Ok(stored)
    }

    /// Replaces a record that must still be at revision `based_on`.
    pub fn update<T: Record>(
        &mut self,
        id: u64,
        based_on: u64,
        data: T,
    ) -> Result<Stored<T>, TxError> {
        let current = self.current::<T>(id, based_on)?;
        let stored = Stored {
            meta: Meta {
                id,
                revision: current.meta.revision + 1,
                created: current.meta.created.clone(),
                updated: self.stamp.clone(),
            },
            data,
        };
        self.write(&stored, Some(&current.data))?;
        Ok(stored)
    }

    /// Deletes a record that must still be at revision `based_on`, with its index entries.
    pub fn delete<T: Record>(&mut self, id: u64, based_on: u64) -> Result<(), TxError> {
        let current = self.current::<T>(id, based_on)?;
        let idx = self.idx(T::KIND);
        for key in index_keys_of(&current.data, id) {
            idx.remove(key)?;
        }
        self.rec(T::KIND).remove(&id.to_be_bytes())?;
        self.changes.push(Change {
            kind: T::KIND,
            id,
            revision: current.meta.revision,
            op: ChangeOp::Delete,
        });
        Ok(())
    }

    /// Reads record `id`, which must exist and still be at revision `based_on`; otherwise
    /// `NotFound` or a `Conflict` naming who saved it last and when.
    pub fn current<T: Record>(&self, id: u64, based_on: u64) -> Result<Stored<T>, TxError> {
        let current = self
            .get::<T>(id)?
            .ok_or(StoreError::NotFound { kind: T::KIND, id })?;
        if current.meta.revision != based_on {
            return Err(StoreError::Conflict {
                kind: T::KIND,
                id,
                expected: based_on,
                found: current.meta.revision,
                by: current.meta.updated.by.clone(),
                at: current.meta.updated.at,
            }
            .into());
        }
        Ok(current)
    }

    /// Writes a record exactly as given (id, revision and stamps included), refusing to
    /// overwrite an existing one. Used by import.
    pub fn restore<T: Record>(&mut self, stored: &Stored<T>) -> Result<(), TxError> {
        let id = stored.meta.id;
        if self.rec(T::KIND).get(id.to_be_bytes())?.is_some() {
            return Err(StoreError::AlreadyExists { kind: T::KIND, id }.into());
        }
        self.write(stored, None)?;
        self.raise_id(T::KIND, id)
    }
}

#[cfg(test)]
mod tests;
