//! One kind's rows: the sorted list, its id index, its search texts and its aggregates, generic
//! over a [`RowKind`].
//!
//! A record kind that has a list registers a `RowKind` in the model's registry
//! (`readmodel/mod.rs`); loading, following the change feed, the id index, search texts and
//! aggregates then work for it without further code. The model holds the kinds' lists as
//! `Box<dyn KindRows>` and hands typed access out through [`super::ReadModel::rows`].

use super::IdHash;
use crate::store::{Kind, Record, Stored};
use std::any::Any;
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

/// What a list shows of one record kind.
pub trait RowKind: Send + Sync + 'static {
    /// The stored record the rows are made from.
    type Record: Record;
    /// One record as lists show it: compact, owned, cheap to copy for a frame.
    type Row: Clone + Debug + Send + Sync + 'static;
    /// Counts over every row, kept current with every change (`()` for none).
    type Stats: Aggregate<Self::Row>;

    /// The row of record `id` at `revision`, from its summary (kept by the store beside the
    /// record, see [`Record::Summary`]), taking its strings rather than copying them.
    fn row(id: u64, revision: u64, summary: <Self::Record as Record>::Summary) -> Self::Row;

    /// The row of a stored record.
    fn row_of(stored: &Stored<Self::Record>) -> Self::Row {
        Self::row(stored.meta.id, stored.meta.revision, stored.data.summary())
    }
    fn id(row: &Self::Row) -> u64;
    fn revision(row: &Self::Row) -> u64;
    /// The list order is (sort key, id). Already folded for comparison.
    fn sort_key(row: &Self::Row) -> &Arc<str>;
    /// What search matches against, folded.
    fn haystack(row: &Self::Row) -> &str;
}

/// Counts over a kind's rows, kept current incrementally: a put subtracts the old row and adds
/// the new one, a delete subtracts, a parallel load merges the parts' counts.
pub trait Aggregate<R>: Default + Clone + Debug + Send + Sync + 'static {
    fn add(&mut self, row: &R);
    /// Counts `row` out again; it was counted in with these very values.
    fn subtract(&mut self, row: &R);
    /// Adds the counts of rows disjoint from this one's.
    fn merge(&mut self, other: Self);
}

impl<R> Aggregate<R> for () {
    fn add(&mut self, _: &R) {}
    fn subtract(&mut self, _: &R) {}
    fn merge(&mut self, _: Self) {}
}

/// Every row's search text back to back, in list order.
///
/// A search pass reads one haystack per row. As separate strings, allocated in store order and
/// visited in name order, every read was a cache miss: at 100k rows that was 10 of the 15 ms a
/// full pass took. Back to back they are read in memory order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Haystacks {
    text: String,
    /// Where row `i`'s text ends in `text`; it starts where row `i - 1`'s ends.
    ends: Vec<usize>,
}

impl Haystacks {
    pub fn from_texts<'a>(texts: impl ExactSizeIterator<Item = &'a str> + Clone) -> Haystacks {
        let mut h = Haystacks {
            text: String::with_capacity(texts.clone().map(str::len).sum()),
            ends: Vec::with_capacity(texts.len()),
        };
        for t in texts {
            h.text.push_str(t);
            h.ends.push(h.text.len());
        }
        h
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`'s search text.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        self.text.get(self.start(i)..end)
    }

    /// Every text back to back, and where each row's text ends in it.
    pub(crate) fn parts(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] }
    }

    /// Inserts `text` as row `i` (`i <= len`).
    fn insert(&mut self, i: usize, text: &str) {
        let start = self.start(i);
        self.text.insert_str(start, text);
        for e in &mut self.ends[i..] {
            *e += text.len();
        }
        self.ends.insert(i, start + text.len());
    }

    /// Removes row `i` (`i < len`).
    fn remove(&mut self, i: usize) {
        let (start, end) = (self.start(i), self.ends[i]);
        self.text.replace_range(start..end, "");
        self.ends.remove(i);
        for e in &mut self.ends[i..] {
            *e -= end - start;
        }
    }
}

/// One kind's rows, sorted by (sort key, id), with what lists and search need beside them.
pub struct Rows<K: RowKind> {
    rows: Vec<K::Row>,
    /// The rows' search texts, in the same order.
    haystacks: Haystacks,
    /// id → sort key, to find a row again after an update. Shares the row's key: indexing a
    /// row copies no text.
    keys: HashMap<u64, Arc<str>, IdHash>,
    stats: K::Stats,
}

impl<K: RowKind> Debug for Rows<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("kind", &K::Record::KIND)
            .field("rows", &self.rows.len())
            .field("stats", &self.stats)
            .finish()
    }
}

impl<K: RowKind> Default for Rows<K> {
    fn default() -> Self {
        Rows {
            rows: Vec::new(),
            haystacks: Haystacks::default(),
            keys: HashMap::default(),
            stats: K::Stats::default(),
        }
    }
}

/// A kind's rows read as the slice of them in list order.
impl<K: RowKind> std::ops::Deref for Rows<K> {
    type Target = [K::Row];
    fn deref(&self) -> &[K::Row] {
        &self.rows
    }
}

impl<K: RowKind> Rows<K> {
    /// Rows already in list order, their counts, and the index and search texts built here.
    pub(super) fn sorted(rows: Vec<K::Row>, stats: K::Stats) -> Rows<K> {
        let index = |rows: &[K::Row]| {
            let mut keys = HashMap::with_capacity_and_hasher(rows.len(), IdHash);
            keys.extend(rows.iter().map(|r| (K::id(r), K::sort_key(r).clone())));
            keys
        };
        // The index and the search texts side by side.
        let (keys, haystacks) = std::thread::scope(|scope| {
            let keys = scope.spawn(|| index(&rows));
            let haystacks = Haystacks::from_texts(rows.iter().map(K::haystack));
            // The closure cannot panic short of running out of memory; rebuild here if it did.
            let keys = keys.join().unwrap_or_else(|_| index(&rows));
            (keys, haystacks)
        });
        Rows {
            rows,
            haystacks,
            keys,
            stats,
        }
    }

    /// Every row, in list order.
    pub fn all(&self) -> &[K::Row] {
        &self.rows
    }

    /// The search texts of [`Self::all`], same order and indices.
    pub fn haystacks(&self) -> &Haystacks {
        &self.haystacks
    }

    /// Counts over every row.
    pub fn stats(&self) -> &K::Stats {
        &self.stats
    }

    /// Position of record `id` in the list.
    pub fn position(&self, id: u64) -> Option<usize> {
        let key = self.keys.get(&id)?;
        self.rows
            .binary_search_by(|r| (&**K::sort_key(r), K::id(r)).cmp(&(&**key, id)))
            .ok()
    }

    /// The row of record `id`.
    pub fn get(&self, id: u64) -> Option<&K::Row> {
        self.position(id).map(|i| &self.rows[i])
    }

    /// Owned copies of the rows at positions `idx` (out-of-range positions are skipped): what
    /// a frame needs, taken under a short read lock so the draw itself holds no lock.
    pub fn rows_at(&self, idx: &[u32]) -> Vec<K::Row> {
        idx.iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .cloned()
            .collect()
    }

    /// Puts (inserts or replaces) one row, unless a newer revision is held. Whether it changed
    /// anything.
    pub fn put(&mut self, row: K::Row) -> bool {
        if let Some(i) = self.position(K::id(&row)) {
            if K::revision(&self.rows[i]) >= K::revision(&row) {
                return false;
            }
            let old = self.rows.remove(i);
            self.haystacks.remove(i);
            self.stats.subtract(&old);
        }
        let key = (&**K::sort_key(&row), K::id(&row));
        let at = self
            .rows
            .binary_search_by(|r| (&**K::sort_key(r), K::id(r)).cmp(&key))
            .unwrap_or_else(|i| i);
        self.keys.insert(K::id(&row), K::sort_key(&row).clone());
        self.haystacks.insert(at, K::haystack(&row));
        self.stats.add(&row);
        self.rows.insert(at, row);
        true
    }

    /// Removes record `id`'s row. Whether there was one.
    pub fn remove(&mut self, id: u64) -> bool {
        let Some(i) = self.position(id) else {
            return false;
        };
        let old = self.rows.remove(i);
        self.haystacks.remove(i);
        self.keys.remove(&id);
        self.stats.subtract(&old);
        true
    }

    /// Replaces everything with a freshly loaded list; rows held now that are newer than the
    /// load's (changes applied while it scanned) are kept.
    pub(super) fn install(&mut self, loaded: Rows<K>) {
        let newer = std::mem::replace(self, loaded);
        for row in newer.rows {
            self.put(row);
        }
    }
}

/// A kind's rows as the model holds them, whatever the kind.
pub(super) trait KindRows: Any + Send + Sync + Debug {
    fn kind(&self) -> Kind;
    fn revision_of(&self, id: u64) -> Option<u64>;
    fn remove(&mut self, id: u64) -> bool;
    /// Puts a row built by [`Entry::fetch`] (a `K::Row`, boxed).
    fn put_any(&mut self, row: Box<dyn Any + Send>) -> bool;
    /// Installs a list built by [`Entry::load`] (a `Rows<K>`, boxed).
    fn install_any(&mut self, loaded: Box<dyn KindRows>);
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<K: RowKind> KindRows for Rows<K> {
    fn kind(&self) -> Kind {
        K::Record::KIND
    }
    fn revision_of(&self, id: u64) -> Option<u64> {
        self.get(id).map(K::revision)
    }
    fn remove(&mut self, id: u64) -> bool {
        Rows::remove(self, id)
    }
    fn put_any(&mut self, row: Box<dyn Any + Send>) -> bool {
        match row.downcast::<K::Row>() {
            Ok(row) => self.put(*row),
            Err(_) => false,
        }
    }
    fn install_any(&mut self, loaded: Box<dyn KindRows>) {
        if let Ok(rows) = loaded.into_any().downcast::<Rows<K>>() {
            self.install(*rows);
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// A kind's loaded rows and the records that could not be read.
pub(super) type LoadedRows = (Box<dyn KindRows>, Vec<String>);

/// A registered kind: how to make, load and refresh its rows without naming its type.
pub(super) struct Entry {
    pub kind: fn() -> Kind,
    pub empty: fn() -> Box<dyn KindRows>,
    /// Loads every record of the kind (on several threads), with the records that could not be
    /// read.
    pub load: fn(&crate::store::Store) -> LoadedRows,
    /// Reads record `id` and builds its row (`None` when it is gone or unreadable).
    pub fetch: fn(&crate::store::Store, u64) -> Option<Box<dyn Any + Send>>,
}

/// The registry entry of `K`.
pub(super) const fn entry<K: RowKind>() -> Entry {
    Entry {
        kind: kind_of::<K>,
        empty: empty::<K>,
        load: load::<K>,
        fetch: fetch::<K>,
    }
}

fn kind_of<K: RowKind>() -> Kind {
    K::Record::KIND
}

fn empty<K: RowKind>() -> Box<dyn KindRows> {
    Box::new(Rows::<K>::default())
}

fn load<K: RowKind>(store: &crate::store::Store) -> LoadedRows {
    let (rows, problems) = super::load::load::<K>(store);
    (Box::new(rows), problems)
}

fn fetch<K: RowKind>(store: &crate::store::Store, id: u64) -> Option<Box<dyn Any + Send>> {
    match store.get::<K::Record>(id) {
        Ok(Some(s)) => Some(Box::new(K::row_of(&s))),
        _ => None,
    }
}
