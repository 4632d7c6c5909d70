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

pub mod activities;
pub mod audit;
pub mod contacts;
mod load;
pub mod matching;
pub mod notes;
pub mod organisations;
pub mod placements;
pub mod retention;
pub mod rows;
pub mod search;
pub mod signals;
pub mod staff;
pub mod stats;
pub mod targets;
pub mod thanks;
pub mod trajectories;
pub mod vacancies;
pub mod volunteers;

use crate::store::bulk::WeakStore;
use crate::store::{Change, ChangeOp, Kind, Record, Store, Stored};
pub use activities::{Activities, ActivityRow};
pub use audit::{AuditRow, AuditTrail};
pub use contacts::{ContactRow, Contacts};
pub use notes::{NoteRow, Notes};
pub use organisations::{OrganisationRow, Organisations};
pub use placements::{PlacementRow, Placements};
pub use retention::RetentionRow;
pub use rows::{Aggregate, Haystacks, RowKind, Rows};
use rows::{Entry, KindRows, entry};
pub use signals::{SignalRow, Signals};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, Weak};
use std::thread::JoinHandle;
use std::time::Duration;
pub use targets::{CentreLine, TargetRow, Targets, YearProgress};
pub use thanks::ThankRow;
pub use trajectories::{CaseloadLine, Caseloads, Trajectories, TrajectoryRow};
pub use vacancies::{Vacancies, VacancyRow};
pub use volunteers::{VolunteerRow, Volunteers};

/// The kinds the model keeps rows of, loaded in this order. A record kind with a list adds its
/// [`RowKind`] here (one line); the kinds not listed are still told in [`ChangeSet`]s.
const REGISTRY: &[Entry] = &[
    entry::<Volunteers>(),
    entry::<Organisations>(),
    entry::<Vacancies>(),
    entry::<Contacts>(),
    entry::<Placements>(),
    entry::<staff::Staff>(),
    entry::<Trajectories>(),
    entry::<AuditTrail>(),
    entry::<Notes>(),
    entry::<Signals>(),
    entry::<Activities>(),
    entry::<Targets>(),
];

/// The registry entry of `kind`, if the model keeps rows of it.
fn registered(kind: Kind) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| (e.kind)() == kind)
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

/// What the read model holds: the rows of every registered kind.
#[derive(Debug)]
pub struct ReadModel {
    /// One list per registry entry, in registry order.
    kinds: Vec<Box<dyn KindRows>>,
    /// Bumped on every change; lists cache their filtered views per version.
    version: u64,
    /// False until the first full load is done.
    loaded: bool,
    /// A problem met while loading (a damaged record is skipped and reported here).
    pub load_problems: Vec<String>,
}

impl Default for ReadModel {
    fn default() -> Self {
        ReadModel {
            kinds: REGISTRY.iter().map(|e| (e.empty)()).collect(),
            version: 0,
            loaded: false,
            load_problems: Vec::new(),
        }
    }
}

impl ReadModel {
    /// The rows of kind `K`.
    ///
    /// # Panics
    /// When `K` is not in the registry: a programming error every test of the kind finds.
    pub fn rows<K: RowKind>(&self) -> &Rows<K> {
        self.kinds
            .iter()
            .find_map(|k| k.as_any().downcast_ref::<Rows<K>>())
            .unwrap_or_else(|| panic!("{} is not registered in the read model", K::Record::KIND))
    }

    fn rows_mut<K: RowKind>(&mut self) -> &mut Rows<K> {
        self.kinds
            .iter_mut()
            .find_map(|k| k.as_any_mut().downcast_mut::<Rows<K>>())
            .unwrap_or_else(|| panic!("{} is not registered in the read model", K::Record::KIND))
    }

    fn of_kind(&mut self, kind: Kind) -> Option<&mut Box<dyn KindRows>> {
        self.kinds.iter_mut().find(|k| k.kind() == kind)
    }

    /// Goes up with every change; a view built for one version is stale at the next.
    pub fn version(&self) -> u64 {
        self.version
    }
    /// Whether the first full load is done.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// Replaces the rows of `K` with a freshly loaded list (in any order), and marks the model
    /// loaded.
    pub fn replace_all<K: RowKind>(&mut self, rows: Vec<K::Row>) {
        *self.rows_mut::<K>() = load::sort::<K>(rows);
        self.loaded = true;
        self.version += 1;
    }

    /// Puts (inserts or replaces) one row of `K`, unless the model already has a newer
    /// revision.
    pub fn put<K: RowKind>(&mut self, row: K::Row) {
        if self.rows_mut::<K>().put(row) {
            self.version += 1;
        }
    }

    /// Removes record `id` of `kind`.
    pub fn remove(&mut self, kind: Kind, id: u64) {
        if self.of_kind(kind).is_some_and(|k| k.remove(id)) {
            self.version += 1;
        }
    }

    /// The revision the model holds of record `id` of `kind`.
    fn revision_of(&mut self, kind: Kind, id: u64) -> Option<u64> {
        self.of_kind(kind)?.revision_of(id)
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
        let mut problems = Vec::new();
        for e in REGISTRY {
            let (rows, p) = (e.load)(store);
            problems.extend(p);
            let mut m = write(&self.model);
            // Changes applied while we scanned are newer than the scan: `install` keeps them.
            if let Some(k) = m.of_kind((e.kind)()) {
                k.install_any(rows);
            }
            m.version += 1;
        }
        {
            let mut m = write(&self.model);
            m.loaded = true;
            m.load_problems = problems;
        }
        self.notify(ModelEvent::Loaded);
    }

    /// Applies a batch of changes from the feed and tells the listeners.
    fn apply(&self, store: &Store, changes: &[Change]) {
        let mut set = ChangeSet::default();
        for c in changes {
            let (kind, id, revision, deleted) = read_change(c);
            if let Some(entry) = registered(kind) {
                if deleted {
                    write(&self.model).remove(kind, id);
                } else {
                    // A save of this process was put and told already (see `put_saved`).
                    let held = write(&self.model).revision_of(kind, id);
                    if held.is_some_and(|r| r >= revision) {
                        continue;
                    }
                    // Read outside the lock; a record gone meanwhile is simply skipped.
                    if let Some(row) = (entry.fetch)(store, id) {
                        let mut m = write(&self.model);
                        if m.of_kind(kind).is_some_and(|k| k.put_any(row)) {
                            m.version += 1;
                        }
                    }
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
    pub fn put_saved<K: RowKind>(&self, s: Stored<K::Record>) {
        let id = s.meta.id;
        let row = K::row_of(&s);
        let version = {
            let mut m = write(&self.shared.model);
            m.put::<K>(row);
            m.version()
        };
        let mut set = ChangeSet {
            version,
            ..ChangeSet::default()
        };
        set.record(K::Record::KIND, id);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Volunteer;
    use crate::readmodel::volunteers::test_row;

    fn row(id: u64, revision: u64, filed: &str) -> VolunteerRow {
        VolunteerRow {
            revision,
            ..test_row(id, filed)
        }
    }

    fn in_step(m: &ReadModel) {
        let v = m.volunteers();
        let expected: Vec<&str> = v.all().iter().map(|r| r.haystack.as_str()).collect();
        let got: Vec<&str> = (0..v.haystacks().len())
            .map(|i| v.haystacks().get(i).unwrap())
            .collect();
        assert_eq!(got, expected);
        assert_eq!(v.haystacks().get(expected.len()), None);
    }

    #[test]
    fn haystacks_follow_every_change_of_the_list() {
        let mut m = ReadModel::default();
        m.replace_all::<Volunteers>(vec![
            row(1, 1, "Jansen, Emma"),
            row(2, 1, "Bakker, Piet"),
            row(3, 1, "Özdemir, Zoë"),
        ]);
        in_step(&m);
        // A new person at the front, in the middle and at the end.
        m.put::<Volunteers>(row(4, 1, "Aalders, Bram"));
        m.put::<Volunteers>(row(5, 1, "Dekker, Ilse"));
        m.put::<Volunteers>(row(6, 1, "Zwart, Kees"));
        in_step(&m);
        // A renamed person moves; an old revision changes nothing.
        m.put::<Volunteers>(row(2, 2, "Visser, Piet"));
        m.put::<Volunteers>(row(3, 1, "Aap, Noot"));
        in_step(&m);
        assert_eq!(
            m.volunteers().get(2).map(|r| r.filed.as_str()),
            Some("Visser, Piet")
        );
        m.remove(Volunteer::KIND, 4);
        m.remove(Volunteer::KIND, 6);
        m.remove(Volunteer::KIND, 99);
        in_step(&m);
        assert_eq!(m.volunteers().len(), 4);
    }

    mod shared {
        use super::super::*;
        use crate::domain::volunteer::{Rules, Volunteer, sample_intake};
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
        fn the_list_loaded_from_summaries_is_the_list_of_the_records() {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let mut moved = anouk();
            moved.name.family = "Aalders".into();
            moved.postcode = "3312 CD".into();
            store
                .transact(&stamp(), |tx| {
                    for i in 0..700u32 {
                        let v = if i % 3 == 0 { moved.clone() } else { anouk() };
                        tx.insert(v)?;
                    }
                    Ok(())
                })
                .unwrap();
            store.update(5, 1, anouk(), &stamp()).unwrap();
            store.delete::<Volunteer>(300, 1, &stamp()).unwrap();
            let mut expected: Vec<VolunteerRow> = store
                .scan::<Volunteer>()
                .map(|r| Volunteers::row_of(&r.unwrap()))
                .collect();
            expected.sort_by(|a, b| (&*a.sort_key, a.id).cmp(&(&*b.sort_key, b.id)));
            let model = SharedModel::load_now(&store);
            let m = model.read();
            assert_eq!(m.volunteers().all(), expected.as_slice());
            assert!(m.load_problems.is_empty());
            assert_eq!(m.volunteers().stats().total(), 699);
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
            assert_eq!(m.volunteers().stats().total(), 1);
            assert_eq!(
                m.volunteers().get(saved.meta.id).map(|r| r.revision),
                Some(1)
            );
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
