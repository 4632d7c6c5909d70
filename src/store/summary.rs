//! Summaries: what lists need of each record, kept beside the records so a list of 100,000
//! loads without decoding 100,000 whole records.
//!
//! A kind that declares a summary ([`Record::SUMMARY_VERSION`] above 0) gets a tree
//! `sum/<kind>` of *chunks*: the summaries of the ids `c * CHUNK .. (c + 1) * CHUNK` under key
//! `c`, as one value. Reading one value per 64 records is what makes the load fast: sled
//! spends about a microsecond per item it iterates, whatever its size.
//!
//! A chunk is a run of frames `id (u64 BE) | revision (u64 BE) | length (u32 BE) | summary
//! bytes`, sorted by id; the summary bytes are `codec(T::Summary)`, opaque here, so a save
//! rewrites its chunk without decoding the other summaries in it, and a load decodes each
//! summary straight from the chunk.
//!
//! Summaries are written in the same transaction as their records (a write records an edit
//! in the [`Tx`](super::Tx); the edits of one chunk are applied once, at the end of the
//! transaction), so they can never disagree with the records after a crash. They are derived
//! data: when the store opens and a kind's summary version (kept in `meta` under
//! `sumver/<kind>`) is missing or not today's, the summaries of that kind are rebuilt from the
//! records. `koppel check` compares every summary with its record.

use super::record::{Kind, Record};
use super::{META, Store, StoreError, id_from_key};
use crate::codec;
use serde::de::DeserializeOwned;
use sled::transaction::TransactionalTree;
use std::collections::BTreeMap;

/// Records per chunk.
pub const CHUNK: u64 = 64;

/// Bumped when the chunk layout itself changes; part of every kind's version marker.
const LAYOUT: u16 = 1;

/// One summary in a chunk.
pub type Entry = (u64, u64, Vec<u8>);

/// The key of the chunk that holds id `id`.
pub fn chunk_key(id: u64) -> [u8; 8] {
    (id / CHUNK).to_be_bytes()
}

/// The name of a kind's summary tree.
pub fn tree_name(kind: Kind) -> String {
    format!("sum/{kind}")
}

/// The `meta` key of a kind's summary version marker.
pub fn version_key(kind: Kind) -> Vec<u8> {
    format!("sumver/{kind}").into_bytes()
}

/// The marker value of today's summaries of `T`.
pub fn version_value<T: Record>() -> [u8; 4] {
    let mut v = [0; 4];
    v[..2].copy_from_slice(&LAYOUT.to_be_bytes());
    v[2..].copy_from_slice(&T::SUMMARY_VERSION.to_be_bytes());
    v
}

/// Whether `T` keeps summaries.
pub fn kept<T: Record>() -> bool {
    T::SUMMARY_VERSION > 0
}

/// The summary bytes of `data`.
pub fn encode<T: Record>(data: &T, id: u64) -> Result<Vec<u8>, StoreError> {
    let damaged = |reason: String| StoreError::Damaged {
        kind: T::KIND,
        id,
        reason,
    };
    let bytes = codec::encode(&data.summary()).map_err(|e| damaged(e.0))?;
    if u32::try_from(bytes.len()).is_err() {
        return Err(damaged("summary too large".into()));
    }
    Ok(bytes)
}

/// The frames of a chunk, borrowed: (id, revision, summary bytes); `Err` with the offset of
/// a frame that runs past the end.
fn frames(bytes: &[u8]) -> impl Iterator<Item = Result<(u64, u64, &[u8]), usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let head = bytes.get(at..at + FRAME_HEAD);
        let frame = head.and_then(|h| {
            let id = u64::from_be_bytes(h[..8].try_into().ok()?);
            let revision = u64::from_be_bytes(h[8..16].try_into().ok()?);
            let len = u32::from_be_bytes(h[16..20].try_into().ok()?) as usize;
            let body = bytes.get(at + FRAME_HEAD..at + FRAME_HEAD + len)?;
            Some((id, revision, body))
        });
        match frame {
            Some(f) => {
                at += FRAME_HEAD + f.2.len();
                Some(Ok(f))
            }
            None => {
                at = bytes.len();
                Some(Err(start))
            }
        }
    })
}

/// Bytes before each summary in a chunk: id, revision, length.
const FRAME_HEAD: usize = 20;

fn damaged_chunk(kind: Kind, key: &[u8], offset: usize) -> StoreError {
    StoreError::Damaged {
        kind,
        id: id_from_key(key).map_or(0, |c| c * CHUNK),
        reason: format!("summary chunk cut off at byte {offset}"),
    }
}

/// Decodes a chunk.
pub fn decode_chunk(kind: Kind, key: &[u8], bytes: &[u8]) -> Result<Vec<Entry>, StoreError> {
    frames(bytes)
        .map(|f| {
            f.map(|(id, revision, b)| (id, revision, b.to_vec()))
                .map_err(|at| damaged_chunk(kind, key, at))
        })
        .collect()
}

/// Encodes a chunk.
pub fn encode_chunk(entries: &[Entry]) -> Vec<u8> {
    let size = entries.iter().map(|e| FRAME_HEAD + e.2.len()).sum();
    let mut out = Vec::with_capacity(size);
    for (id, revision, bytes) in entries {
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&revision.to_be_bytes());
        // A summary is a few hundred bytes; `encode` refuses one that would not fit.
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

/// Decodes one summary.
pub fn decode<T: Record>(id: u64, bytes: &[u8]) -> Result<T::Summary, StoreError>
where
    T::Summary: DeserializeOwned,
{
    codec::decode(bytes).map_err(|e| StoreError::Damaged {
        kind: T::KIND,
        id,
        reason: format!("summary unreadable: {}", e.0),
    })
}

/// The edits of one chunk: per id, the new (revision, bytes), or `None` for a delete.
type ChunkEdits = BTreeMap<u64, Option<(u64, Vec<u8>)>>;

/// One summary as read: (id, revision, summary).
type Read<T> = Result<(u64, u64, <T as Record>::Summary), StoreError>;

/// The summary edits of one transaction, by kind and chunk: per id, the new (revision,
/// bytes), or `None` for a delete. Applied once per chunk at the end of the transaction.
#[derive(Default)]
pub struct Pending {
    edits: BTreeMap<(Kind, u64), ChunkEdits>,
}

impl Pending {
    pub fn put(&mut self, kind: Kind, id: u64, revision: u64, bytes: Vec<u8>) {
        self.edits
            .entry((kind, id / CHUNK))
            .or_default()
            .insert(id, Some((revision, bytes)));
    }

    pub fn remove(&mut self, kind: Kind, id: u64) {
        self.edits
            .entry((kind, id / CHUNK))
            .or_default()
            .insert(id, None);
    }

    /// Writes every edited chunk; `tree` gives the summary tree of a kind.
    /// `meta` is the store's meta tree: a damaged chunk never stops a save; the chunk is
    /// started afresh and the kind's version marker removed, so the next open rebuilds the
    /// kind's summaries from the records.
    pub fn apply<'t>(
        self,
        tree: impl Fn(Kind) -> &'t TransactionalTree,
        meta: &TransactionalTree,
    ) -> Result<(), super::TxError> {
        for ((kind, chunk), edits) in self.edits {
            let tree = tree(kind);
            let key = chunk.to_be_bytes();
            let mut entries = match tree.get(key)? {
                Some(bytes) => match decode_chunk(kind, &key, &bytes) {
                    Ok(entries) => entries,
                    Err(_) => {
                        meta.remove(version_key(kind))?;
                        Vec::new()
                    }
                },
                None => Vec::new(),
            };
            merge(&mut entries, edits);
            if entries.is_empty() {
                tree.remove(&key)?;
            } else {
                tree.insert(&key, encode_chunk(&entries))?;
            }
        }
        Ok(())
    }
}

/// Applies `edits` (by id) to the sorted `entries`.
fn merge(entries: &mut Vec<Entry>, edits: ChunkEdits) {
    for (id, edit) in edits {
        let at = entries.binary_search_by_key(&id, |e| e.0);
        match (at, edit) {
            (Ok(i), Some((revision, bytes))) => entries[i] = (id, revision, bytes),
            (Err(i), Some((revision, bytes))) => entries.insert(i, (id, revision, bytes)),
            (Ok(i), None) => {
                entries.remove(i);
            }
            (Err(_), None) => {}
        }
    }
}

impl Store {
    /// Rebuilds the summaries of `T` from its records unless today's are there (the version
    /// marker says so). Called at open. A record that cannot be read has no summary (`koppel
    /// check` reports the record).
    pub(super) fn ensure_summaries<T: Record>(&self) -> Result<(), StoreError> {
        let meta = &self.inner.trees[META];
        let key = version_key(T::KIND);
        let want = version_value::<T>();
        let marker = meta.get(&key)?;
        if !kept::<T>() {
            if marker.is_some() {
                meta.remove(&key)?;
                self.sum(T::KIND).clear()?;
            }
            return Ok(());
        }
        if marker.as_deref() == Some(&want[..]) {
            return Ok(());
        }
        // Marker first: a crash half-way through leaves no marker, and the next open
        // rebuilds again.
        meta.remove(&key)?;
        self.inner.db.flush()?;
        let tree = self.sum(T::KIND);
        tree.clear()?;
        let mut batch = sled::Batch::default();
        let mut chunk: Option<u64> = None;
        let mut entries: Vec<Entry> = Vec::new();
        let put = |batch: &mut sled::Batch, chunk: u64, entries: &mut Vec<Entry>| {
            batch.insert(&chunk.to_be_bytes(), encode_chunk(entries));
            entries.clear();
        };
        for record in self.scan::<T>() {
            let Ok(stored) = record else { continue };
            let id = stored.meta.id;
            if chunk.is_some_and(|c| c != id / CHUNK) {
                put(&mut batch, chunk.unwrap_or(0), &mut entries);
            }
            chunk = Some(id / CHUNK);
            entries.push((id, stored.meta.revision, encode(&stored.data, id)?));
        }
        if let Some(c) = chunk
            && !entries.is_empty()
        {
            put(&mut batch, c, &mut entries);
        }
        tree.apply_batch(batch)?;
        self.inner.db.flush()?;
        meta.insert(&key, &want)?;
        self.inner.db.flush()?;
        Ok(())
    }

    /// Forgets that the summaries of `kind` are current: they are rebuilt at the next open
    /// (after `koppel check` found one that disagrees with its record).
    pub fn invalidate_summaries(&self, kind: Kind) -> Result<(), StoreError> {
        self.inner.trees[META].remove(version_key(kind))?;
        self.inner.db.flush()?;
        Ok(())
    }

    /// Every summary chunk of `kind`: (chunk key, value), in id order.
    pub(super) fn summary_chunks(
        &self,
        kind: Kind,
    ) -> impl Iterator<Item = Result<(sled::IVec, sled::IVec), StoreError>> + '_ {
        self.sum(kind).iter().map(|r| r.map_err(StoreError::from))
    }

    /// The summaries of `T` with ids in `from..=to`, in id order: (id, revision, summary).
    pub fn summaries_range<T: Record>(
        &self,
        from: u64,
        to: u64,
    ) -> impl Iterator<Item = Read<T>> + '_ {
        self.sum(T::KIND)
            .range(chunk_key(from)..=chunk_key(to))
            .flat_map(move |item| {
                let entries: Vec<Read<T>> = match item {
                    Err(e) => vec![Err(e.into())],
                    Ok((key, bytes)) => frames(&bytes)
                        .filter(|f| {
                            f.as_ref()
                                .map_or(true, |(id, _, _)| (from..=to).contains(id))
                        })
                        .map(|f| match f {
                            Ok((id, revision, b)) => decode::<T>(id, b).map(|s| (id, revision, s)),
                            Err(at) => Err(damaged_chunk(T::KIND, &key, at)),
                        })
                        .collect(),
                };
                entries
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_reads_back_and_a_cut_one_is_damaged() {
        let entries: Vec<Entry> = vec![(1, 2, vec![1, 2, 3]), (9, 1, vec![]), (70, 4, vec![7])];
        let bytes = encode_chunk(&entries);
        assert_eq!(
            decode_chunk(Kind::Volunteer, &[0; 8], &bytes).unwrap(),
            entries
        );
        for cut in [1, 19, 22, bytes.len() - 1] {
            assert!(
                decode_chunk(Kind::Volunteer, &[0; 8], &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn edits_keep_a_chunk_sorted_and_deletes_take_entries_out() {
        let mut entries: Vec<Entry> = vec![(2, 1, vec![2]), (5, 1, vec![5])];
        let edits = BTreeMap::from([
            (1, Some((1, vec![1]))),
            (5, Some((2, vec![55]))),
            (2, None),
            (9, None),
            (7, Some((3, vec![7]))),
        ]);
        merge(&mut entries, edits);
        assert_eq!(
            entries,
            vec![(1, 1, vec![1]), (5, 2, vec![55]), (7, 3, vec![7])]
        );
    }
}
