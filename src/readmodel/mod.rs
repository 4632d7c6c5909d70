//! The read model: compact, in-memory rows of what screens show, built at open on a background
//! thread and kept current from the store's change feed. Screens read it; they never scan sled
//! while drawing.
//!
//! One read model serves every session of a process (the SSH server shares it): it lives
//! behind an `RwLock`, writers hold the lock only to swap in a built list or apply one change,
//! and sessions are told about changes through callbacks that must return at once.
//!
//! Rules for readers:
//! - Take [`SharedModel::read`] only for a short critical section: bring a cached view up to
//!   date, then copy what a frame needs with [`ReadModel::rows_at`] (the rows of the visible
//!   window) or [`stats::OverviewStats::compute`]. Drop the guard before drawing: a frame is
//!   drawn from owned copies, never under the lock, so a slow terminal cannot hold up the
//!   writer (and with it every other session).
//! - [`ModelEvent::Changed`] says which kinds and records changed and the model version after
//!   it; a session that shows none of those kinds can skip its refresh.
//! - Aggregates ([`stats::VolunteerStats`]) are kept in the model and updated per change;
//!   sessions read them, they never recount the rows.
//!
//! The model owns the rows, their search texts and aggregates; it must not write to the store.

mod load;
pub mod search;
pub mod stats;

use crate::domain::name::{PersonName, fold};
use crate::domain::volunteer::{Status, TargetGroup, Volunteer};
use crate::store::bulk::WeakStore;
use crate::store::{Change, ChangeOp, Record, Store, Stored};
use stats::VolunteerStats;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, Weak};
use std::thread::JoinHandle;
use std::time::Duration;
use time::Date;

/// One volunteer as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRow {
    pub id: u64,
    pub revision: u64,
    /// "Berg, Anouk van den".
    pub filed: String,
    /// Sort key: family name, given name, prefix; case and accents folded. Shared with the
    /// model's id index, so indexing a row copies no text.
    pub sort_key: Arc<str>,
    /// What search matches against: folded "berg anouk van den", postcode, e-mail.
    pub haystack: String,
    pub municipality: String,
    pub status: Status,
    /// Bits of [`TargetGroup`] (1 jongere, 2 senior, 4 kwetsbaar).
    pub groups: u8,
    pub intake_date: Date,
    pub birth_date: Date,
    pub postcode: String,
}

impl VolunteerRow {
    /// The row of a stored volunteer.
    pub fn from_stored(s: &Stored<Volunteer>) -> VolunteerRow {
        let v = &s.data;
        VolunteerRow::build(
            s.meta.id,
            s.meta.revision,
            v,
            v.municipality.clone(),
            v.postcode.clone(),
        )
    }

    /// The row of a stored volunteer, taking its strings rather than copying them.
    pub fn from_owned(s: Stored<Volunteer>) -> VolunteerRow {
        let mut v = s.data;
        let municipality = std::mem::take(&mut v.municipality);
        let postcode = std::mem::take(&mut v.postcode);
        VolunteerRow::build(s.meta.id, s.meta.revision, &v, municipality, postcode)
    }

    fn build(
        id: u64,
        revision: u64,
        v: &Volunteer,
        municipality: String,
        postcode: String,
    ) -> VolunteerRow {
        let groups = target_group_bits(v);
        let filed = v.name.filed();
        let (sort_key, name_text) = name_keys(&v.name);
        let mut haystack =
            String::with_capacity(name_text.len() + postcode.len() + v.email.len() + 2);
        haystack.push_str(&name_text);
        haystack.push(' ');
        haystack.extend(postcode.chars().map(|c| c.to_ascii_lowercase()));
        haystack.push(' ');
        haystack.push_str(&v.email);
        VolunteerRow {
            id,
            revision,
            haystack,
            filed,
            sort_key,
            municipality,
            status: v.status,
            groups,
            intake_date: v.intake_date,
            birth_date: v.birth_date,
            postcode,
        }
    }

    pub fn has_group(&self, g: TargetGroup) -> bool {
        self.groups & group_bit(g) != 0
    }
}

/// A name's sort key (as [`PersonName::sort_key`]) and its searchable text (folded "berg anouk
/// van den", as `fold` of the filed name without its comma), from one fold of each part.
fn name_keys(name: &PersonName) -> (Arc<str>, String) {
    let parts = [&name.family, &name.given, &name.prefix];
    if parts.iter().any(|p| p.contains(',')) {
        // Commas count in the sort key but not in the search text: fold each on its own.
        return (name.sort_key().into(), fold(&name.filed().replace(',', "")));
    }
    let [family, given, prefix] = parts.map(|p| fold(p));
    let mut key = String::with_capacity(family.len() + given.len() + prefix.len() + 2);
    let mut text = String::with_capacity(key.capacity());
    for (i, part) in [&family, &given, &prefix].into_iter().enumerate() {
        if i > 0 {
            key.push('\u{1}');
        }
        key.push_str(part);
        // Folding collapses the spaces between parts to one, and drops empty parts.
        if !part.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(part);
        }
    }
    (key.into(), text)
}

/// Hashes ids for the model's id index: ids are small, distinct numbers, so a multiply spreads
/// them well enough, at a fraction of the default hasher's cost (100,000 inserts at load).
#[derive(Debug, Clone, Copy, Default)]
struct IdHash;

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

#[derive(Debug, Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Fibonacci hashing; the high bits, which hashbrown uses for its tags, mix all of n.
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

fn target_group_bits(v: &Volunteer) -> u8 {
    v.target_groups()
        .into_iter()
        .fold(0, |bits, g| bits | group_bit(g))
}

fn group_bit(g: TargetGroup) -> u8 {
    match g {
        TargetGroup::Jongere => 1,
        TargetGroup::Senior => 2,
        TargetGroup::Kwetsbaar => 4,
    }
}

/// Every row's search text ([`VolunteerRow::haystack`]) back to back, in list order.
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
    pub fn from_rows(rows: &[VolunteerRow]) -> Haystacks {
        let mut h = Haystacks {
            text: String::with_capacity(rows.iter().map(|r| r.haystack.len()).sum()),
            ends: Vec::with_capacity(rows.len()),
        };
        for r in rows {
            h.text.push_str(&r.haystack);
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

/// What the read model holds.
#[derive(Debug, Default)]
pub struct ReadModel {
    /// Sorted by (sort_key, id).
    volunteers: Vec<VolunteerRow>,
    /// The volunteers' search texts, in the same order.
    haystacks: Haystacks,
    /// id → sort key, to find a row again after an update.
    keys: HashMap<u64, Arc<str>, IdHash>,
    /// Counts over all volunteers, kept current with every change.
    stats: VolunteerStats,
    /// Bumped on every change; lists cache their filtered views per version.
    version: u64,
    /// False until the first full load is done.
    loaded: bool,
    /// A problem met while loading (a damaged record is skipped and reported here).
    pub load_problems: Vec<String>,
}

impl ReadModel {
    /// Every volunteer, sorted by family name, given name, prefix (then id).
    pub fn volunteers(&self) -> &[VolunteerRow] {
        &self.volunteers
    }
    /// The search texts of [`Self::volunteers`], same order and indices.
    pub fn haystacks(&self) -> &Haystacks {
        &self.haystacks
    }
    /// Counts over all volunteers (see [`stats`]).
    pub fn stats(&self) -> &VolunteerStats {
        &self.stats
    }
    /// Goes up with every change; a view built for one version is stale at the next.
    pub fn version(&self) -> u64 {
        self.version
    }
    /// Whether the first full load is done.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// Position of a volunteer in the sorted list.
    pub fn position(&self, id: u64) -> Option<usize> {
        let key = self.keys.get(&id)?;
        self.volunteers
            .binary_search_by(|r| (&*r.sort_key, r.id).cmp(&(&**key, id)))
            .ok()
    }

    pub fn volunteer(&self, id: u64) -> Option<&VolunteerRow> {
        self.position(id).map(|i| &self.volunteers[i])
    }

    /// Owned copies of the rows at positions `idx` (out-of-range positions are skipped): what
    /// a frame needs, taken under a short read lock so the draw itself holds no lock.
    pub fn rows_at(&self, idx: &[u32]) -> Vec<VolunteerRow> {
        idx.iter()
            .filter_map(|&i| self.volunteers.get(i as usize))
            .cloned()
            .collect()
    }

    /// Replaces everything with a freshly loaded list.
    pub fn replace_all(&mut self, rows: Vec<VolunteerRow>) {
        self.install(load::Sorted::new(rows));
    }

    /// Replaces everything with a list sorted and indexed beforehand.
    fn install(&mut self, sorted: load::Sorted) {
        self.volunteers = sorted.rows;
        self.keys = sorted.keys;
        self.haystacks = sorted.haystacks;
        self.stats = sorted.stats;
        self.loaded = true;
        self.version += 1;
    }

    /// Puts (inserts or replaces) one row, unless the model already has a newer revision.
    pub fn put(&mut self, row: VolunteerRow) {
        if let Some(i) = self.position(row.id) {
            if self.volunteers[i].revision >= row.revision {
                return;
            }
            let old = self.volunteers.remove(i);
            self.haystacks.remove(i);
            self.stats.subtract(&old);
        }
        let at = self
            .volunteers
            .binary_search_by(|r| (&*r.sort_key, r.id).cmp(&(&*row.sort_key, row.id)))
            .unwrap_or_else(|i| i);
        self.keys.insert(row.id, row.sort_key.clone());
        self.haystacks.insert(at, &row.haystack);
        self.stats.add(&row);
        self.volunteers.insert(at, row);
        self.version += 1;
    }

    /// Removes one row.
    pub fn remove(&mut self, id: u64) {
        if let Some(i) = self.position(id) {
            let old = self.volunteers.remove(i);
            self.haystacks.remove(i);
            self.keys.remove(&id);
            self.stats.subtract(&old);
            self.version += 1;
        }
    }

    /// The revision the model holds of volunteer `id`.
    fn revision_of(&self, id: u64) -> Option<u64> {
        self.volunteer(id).map(|r| r.revision)
    }
}

// ---------------------------------------------------------------------------------------------
// The store's change feed, as the read model reads it.

/// The kind of a changed record, as the store's change feed names it.
pub type ChangeKind = crate::store::Kind;

/// What the read model needs of one store change: its kind, id, revision and whether it was a
/// delete. The only place that reads [`Change`]'s fields.
fn read_change(c: &Change) -> (ChangeKind, u64, u64, bool) {
    (c.kind, c.id, c.revision, c.op == ChangeOp::Delete)
}

/// Whether records of `kind` are volunteers (the kind this model holds rows of).
fn is_volunteer(kind: ChangeKind) -> bool {
    kind == Volunteer::KIND
}

/// Which records changed in one batch of saves, told to sessions with
/// [`ModelEvent::Changed`], so a session can skip work for kinds it does not show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// The model version after the batch was applied.
    pub version: u64,
    /// Every kind that changed, each once, in the order first seen.
    pub kinds: Vec<ChangeKind>,
    /// Every record that changed, each once, in the order first seen.
    pub records: Vec<(ChangeKind, u64)>,
}

impl ChangeSet {
    fn record(&mut self, kind: ChangeKind, id: u64) {
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
        }
        if !self.records.contains(&(kind, id)) {
            self.records.push((kind, id));
        }
    }

    /// Whether any record of `kind` changed.
    pub fn touches(&self, kind: ChangeKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Whether record `id` of `kind` changed.
    pub fn contains(&self, kind: ChangeKind, id: u64) -> bool {
        self.records.contains(&(kind, id))
    }

    /// The ids of the changed records of `kind`.
    pub fn ids(&self, kind: ChangeKind) -> impl Iterator<Item = u64> + '_ {
        self.records
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, id)| *id)
    }
}

/// Something that happened to the read model, told to sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelEvent {
    /// The first full load is done.
    Loaded,
    /// Records changed (someone saved): which ones, and the model version after it.
    Changed(Arc<ChangeSet>),
}

// ---------------------------------------------------------------------------------------------
// The shared model.

type Listener = Arc<dyn Fn(ModelEvent) + Send + Sync>;

/// The registered listeners, by id.
#[derive(Default)]
struct Listeners {
    next: u64,
    list: Vec<(u64, Listener)>,
}

/// What the handles and the worker thread share.
struct Shared {
    model: RwLock<ReadModel>,
    listeners: Mutex<Listeners>,
    /// Set when the worker thread must end.
    stop: AtomicBool,
    worker: Mutex<Option<JoinHandle<()>>>,
}

/// Owned by every [`SharedModel`] handle (not by the worker): when the last handle goes, the
/// worker is told to stop.
struct Handles(Arc<Shared>);

impl Drop for Handles {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Release);
    }
}

/// How long the worker waits for a change before it checks whether it must stop: the most a
/// [`SharedModel::shutdown`] waits.
const STOP_POLL: Duration = Duration::from_millis(50);

/// The shared read model and the thread that keeps it current. Cheap to clone; every clone is
/// a handle on the same model.
///
/// The worker thread ends when [`SharedModel::shutdown`] is called, when the last handle is
/// dropped (within 50 ms), or when the store is closed (every other handle on it
/// dropped): the worker keeps only a weak handle on the store once the first load is done.
#[derive(Clone)]
pub struct SharedModel {
    shared: Arc<Shared>,
    _handles: Arc<Handles>,
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    // The model is plain data updated by whole-row operations; a panic elsewhere cannot leave
    // it half-changed, so a poisoned lock is still safe to use.
    l.write().unwrap_or_else(|p| p.into_inner())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    fn load(&self, store: &Store) {
        let loaded = load::load(store);
        {
            let mut m = write(&self.model);
            // Changes applied while we scanned are newer than the scan: keep them.
            let newer: Vec<VolunteerRow> = m.volunteers.drain(..).collect();
            m.install(loaded.sorted);
            for row in newer {
                m.put(row);
            }
            m.load_problems = loaded.problems;
        }
        self.notify(ModelEvent::Loaded);
    }

    /// Applies a batch of changes from the feed and tells the listeners.
    fn apply(&self, store: &Store, changes: &[Change]) {
        let mut set = ChangeSet::default();
        for c in changes {
            let (kind, id, revision, deleted) = read_change(c);
            if is_volunteer(kind) && deleted {
                write(&self.model).remove(id);
            } else if is_volunteer(kind) {
                // A save of this process was put and told already (see `put_volunteer`).
                let held = self.read().revision_of(id);
                if held.is_some_and(|r| r >= revision) {
                    continue;
                }
                // Read outside the lock; a record gone meanwhile is simply skipped.
                if let Ok(Some(s)) = store.get::<Volunteer>(id) {
                    let row = VolunteerRow::from_stored(&s);
                    write(&self.model).put(row);
                }
            }
            set.record(kind, id);
        }
        if set.records.is_empty() {
            return;
        }
        set.version = self.read().version();
        self.notify(ModelEvent::Changed(Arc::new(set)));
    }

    fn notify(&self, e: ModelEvent) {
        // Call outside the lock, so a listener may (un)subscribe without a deadlock.
        let listeners: Vec<Listener> = lock(&self.listeners)
            .list
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(e.clone());
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Follows the change feed until told to stop or the store is closed.
    fn follow(&self, store: WeakStore, feed: Receiver<Change>) {
        loop {
            if self.stop.load(Ordering::Acquire) {
                return;
            }
            let first = match feed.recv_timeout(STOP_POLL) {
                Ok(c) => c,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut batch = vec![first];
            batch.extend(feed.try_iter());
            let Some(store) = store.upgrade() else {
                return;
            };
            self.apply(&store, &batch);
        }
    }
}

impl SharedModel {
    fn new() -> SharedModel {
        let shared = Arc::new(Shared {
            model: RwLock::new(ReadModel::default()),
            listeners: Mutex::new(Listeners::default()),
            stop: AtomicBool::new(false),
            worker: Mutex::new(None),
        });
        SharedModel {
            _handles: Arc::new(Handles(shared.clone())),
            shared,
        }
    }

    /// Starts loading `store` on a background thread and follows its change feed afterwards.
    /// Returns at once: the model says `loaded() == false` until the first load is done.
    pub fn spawn(store: Store) -> SharedModel {
        let model = SharedModel::new();
        let shared = model.shared.clone();
        // Subscribe before scanning, so no change between scan and follow is missed; changes
        // already in the scan are skipped by revision.
        let feed = store.subscribe();
        let worker = std::thread::Builder::new()
            .name("koppel-readmodel".into())
            .spawn(move || {
                shared.load(&store);
                let weak = store.downgrade();
                drop(store);
                shared.follow(weak, feed);
            });
        // Without a thread the model stays unloaded; sessions show "loading" and still work.
        *lock(&model.shared.worker) = worker.ok();
        model
    }

    /// A model loaded synchronously, not following the change feed (for tests and one-shot
    /// commands).
    pub fn load_now(store: &Store) -> SharedModel {
        let model = SharedModel::new();
        model.shared.load(store);
        model
    }

    /// Stops the worker thread and waits for it to end (at most 50 ms plus the batch
    /// it is applying). The model keeps its rows but follows no more changes. Safe to call
    /// more than once, from any handle.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::Release);
        let worker = lock(&self.shared.worker).take();
        if let Some(w) = worker
            && w.thread().id() != std::thread::current().id()
        {
            let _ = w.join();
        }
    }

    /// Whether the worker thread has ended (or never ran).
    pub fn stopped(&self) -> bool {
        lock(&self.shared.worker)
            .as_ref()
            .is_none_or(|w| w.is_finished())
    }

    /// Applies changes from the feed (what the worker thread does with each batch).
    pub fn apply(&self, store: &Store, changes: &[Change]) {
        self.shared.apply(store, changes);
    }

    /// Puts a record this session just saved, so the saver sees it at once (the change feed
    /// brings the same revision again later; it is then ignored, and told to no one again).
    pub fn put_volunteer(&self, s: &Stored<Volunteer>) {
        let version = {
            let mut m = write(&self.shared.model);
            m.put(VolunteerRow::from_stored(s));
            m.version()
        };
        let mut set = ChangeSet {
            version,
            ..ChangeSet::default()
        };
        set.record(Volunteer::KIND, s.meta.id);
        self.shared.notify(ModelEvent::Changed(Arc::new(set)));
    }

    /// Calls `f` on every model event until the returned [`Subscription`] is dropped. `f` must
    /// return at once (send on a channel, set a flag); it is called on the worker thread, or on
    /// the thread of a session putting its own save. Events are not replayed: a session that
    /// subscribes while the model may be loading checks `read().loaded()` after subscribing.
    pub fn listen(&self, f: impl Fn(ModelEvent) + Send + Sync + 'static) -> Subscription {
        let mut l = lock(&self.shared.listeners);
        l.next += 1;
        let id = l.next;
        l.list.push((id, Arc::new(f)));
        Subscription {
            shared: Arc::downgrade(&self.shared),
            id,
        }
    }

    /// Read access. Hold it only for a short critical section (refreshing a view, copying the
    /// rows of a frame with [`ReadModel::rows_at`]); never while drawing or doing I/O.
    pub fn read(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.shared.read()
    }
}

/// A registered listener (see [`SharedModel::listen`]); dropping it stops the calls.
#[must_use = "dropping a Subscription stops the calls at once"]
pub struct Subscription {
    shared: Weak<Shared>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            lock(&shared.listeners).list.retain(|(i, _)| *i != self.id);
        }
    }
}

/// A row for tests: a person filed as `filed`, new, in Dordrecht.
#[cfg(test)]
pub(crate) fn test_row(id: u64, filed: &str) -> VolunteerRow {
    use time::macros::date;
    VolunteerRow {
        id,
        revision: 1,
        filed: filed.into(),
        sort_key: fold(filed).into(),
        haystack: fold(&filed.replace(',', "")),
        municipality: "Dordrecht".into(),
        status: Status::New,
        groups: 0,
        intake_date: date!(2026 - 01 - 01),
        birth_date: date!(1990 - 01 - 01),
        postcode: "3311 AB".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u64, revision: u64, filed: &str) -> VolunteerRow {
        VolunteerRow {
            revision,
            ..test_row(id, filed)
        }
    }

    fn in_step(m: &ReadModel) {
        let expected: Vec<&str> = m.volunteers().iter().map(|r| r.haystack.as_str()).collect();
        let got: Vec<&str> = (0..m.haystacks().len())
            .map(|i| m.haystacks().get(i).unwrap())
            .collect();
        assert_eq!(got, expected);
        assert_eq!(m.haystacks().get(expected.len()), None);
    }

    #[test]
    fn name_keys_are_the_sort_key_and_the_folded_filed_name() {
        for (given, prefix, family) in [
            ("Anouk", "van den", "Berg"),
            ("Zoë", "", "Özdemir"),
            ("", "", "Jansen"),
            ("Emma", "", ""),
            ("  Jan  Willem ", " de ", " Vries "),
            ("Ann,a", "", "Smit, de"),
            ("", "van", ""),
            ("  ", "", "Bakker"),
        ] {
            let name = PersonName {
                given: given.into(),
                prefix: prefix.into(),
                family: family.into(),
            };
            let (key, text) = name_keys(&name);
            assert_eq!(&*key, name.sort_key(), "{name:?}");
            assert_eq!(text, fold(&name.filed().replace(',', "")), "{name:?}");
        }
    }

    #[test]
    fn haystacks_follow_every_change_of_the_list() {
        let mut m = ReadModel::default();
        m.replace_all(vec![
            row(1, 1, "Jansen, Emma"),
            row(2, 1, "Bakker, Piet"),
            row(3, 1, "Özdemir, Zoë"),
        ]);
        in_step(&m);
        // A new person at the front, in the middle and at the end.
        m.put(row(4, 1, "Aalders, Bram"));
        m.put(row(5, 1, "Dekker, Ilse"));
        m.put(row(6, 1, "Zwart, Kees"));
        in_step(&m);
        // A renamed person moves; an old revision changes nothing.
        m.put(row(2, 2, "Visser, Piet"));
        m.put(row(3, 1, "Aap, Noot"));
        in_step(&m);
        assert_eq!(
            m.volunteer(2).map(|r| r.filed.as_str()),
            Some("Visser, Piet")
        );
        m.remove(4);
        m.remove(6);
        m.remove(99);
        in_step(&m);
        assert_eq!(m.volunteers().len(), 4);
    }

    mod shared {
        use super::super::*;
        use crate::domain::volunteer::{Rules, sample_intake};
        use crate::store::Stamp;
        use std::sync::atomic::AtomicUsize;
        use std::sync::mpsc::channel;
        use std::time::Instant;
        use time::macros::{date, datetime};

        fn stamp() -> Stamp {
            Stamp {
                by: "test".into(),
                at: datetime!(2026-11-27 10:00 UTC),
            }
        }

        fn anouk() -> Volunteer {
            let rules = Rules {
                municipalities: vec!["Dordrecht".into()],
                today: date!(2026 - 11 - 27),
            };
            sample_intake().validate(&rules).unwrap()
        }

        /// Polls `done` until it holds, failing after ten seconds.
        fn until(what: &str, done: impl Fn() -> bool) {
            let deadline = Instant::now() + Duration::from_secs(10);
            while !done() {
                assert!(Instant::now() < deadline, "timed out waiting until {what}");
                std::thread::yield_now();
            }
        }

        #[test]
        fn a_dropped_subscription_is_not_called_the_other_is() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let saved = store.insert(anouk(), &stamp()).unwrap();
            let model = SharedModel::load_now(&store);
            let (first, second) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
            let counter = |c: &Arc<AtomicUsize>| {
                let c = c.clone();
                move |_: ModelEvent| {
                    c.fetch_add(1, Ordering::SeqCst);
                }
            };
            let a = model.listen(counter(&first));
            let b = model.listen(counter(&second));
            model.put_volunteer(&saved);
            assert_eq!(
                (first.load(Ordering::SeqCst), second.load(Ordering::SeqCst)),
                (1, 1)
            );
            drop(a);
            model.put_volunteer(&saved);
            assert_eq!(
                (first.load(Ordering::SeqCst), second.load(Ordering::SeqCst)),
                (1, 2)
            );
            drop(b);
        }

        #[test]
        fn a_save_is_told_with_what_changed_and_the_new_version() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let model = SharedModel::spawn(store.clone());
            until("the model is loaded", || model.read().loaded());
            let (tx, rx) = channel();
            let _sub = model.listen(move |e| {
                let _ = tx.send(e);
            });
            let saved = store.insert(anouk(), &stamp()).unwrap();
            let event = rx.recv_timeout(Duration::from_secs(10)).unwrap();
            let ModelEvent::Changed(set) = event else {
                panic!("expected a change, got {event:?}");
            };
            assert!(set.touches(Volunteer::KIND));
            assert!(set.contains(Volunteer::KIND, saved.meta.id));
            assert_eq!(
                set.ids(Volunteer::KIND).collect::<Vec<_>>(),
                [saved.meta.id]
            );
            let m = model.read();
            assert_eq!(set.version, m.version());
            assert_eq!(m.stats().total(), 1);
            assert_eq!(m.volunteer(saved.meta.id).map(|r| r.revision), Some(1));
        }

        #[test]
        fn a_save_put_by_its_session_is_not_told_again_when_the_feed_brings_it() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let first = store.insert(anouk(), &stamp()).unwrap();
            let model = SharedModel::load_now(&store);
            let feed = store.subscribe();
            let saved = store.update(first.meta.id, 1, anouk(), &stamp()).unwrap();
            let other = store.insert(anouk(), &stamp()).unwrap();
            let changes: Vec<Change> = feed.try_iter().collect();
            let (tx, rx) = channel();
            let _sub = model.listen(move |e| {
                let _ = tx.send(e);
            });
            model.put_volunteer(&saved);
            model.apply(&store, &changes);
            let told: Vec<ModelEvent> = rx.try_iter().collect();
            let sets: Vec<Vec<u64>> = told
                .iter()
                .map(|e| match e {
                    ModelEvent::Changed(set) => set.ids(Volunteer::KIND).collect(),
                    ModelEvent::Loaded => Vec::new(),
                })
                .collect();
            assert_eq!(sets, [vec![first.meta.id], vec![other.meta.id]]);
            assert_eq!(model.read().volunteers().len(), 2);
        }

        #[test]
        fn shutdown_ends_the_thread_and_the_model_follows_no_more() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let model = SharedModel::spawn(store.clone());
            until("the model is loaded", || model.read().loaded());
            assert!(!model.stopped());
            model.shutdown();
            assert!(model.stopped());
            model.shutdown();
            store.insert(anouk(), &stamp()).unwrap();
            assert_eq!(model.read().volunteers().len(), 0);
        }

        #[test]
        fn the_thread_ends_when_the_last_handle_is_dropped() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let model = SharedModel::spawn(store.clone());
            until("the model is loaded", || model.read().loaded());
            let sub = model.listen(|_| {});
            let other = model.clone();
            drop(model);
            assert!(!other.stopped());
            drop(other);
            // The worker thread holds the shared state until it ends.
            until("the worker ends", || sub.shared.upgrade().is_none());
        }

        #[test]
        fn the_thread_ends_when_the_store_is_closed() {
            let dir = tempfile::tempdir().unwrap();
            let model = SharedModel::spawn(Store::open(dir.path()).unwrap());
            until("the worker ends", || model.stopped());
            assert!(model.read().loaded());
            // The store is closed for real: it opens again.
            Store::open(dir.path()).unwrap();
        }
    }
}
