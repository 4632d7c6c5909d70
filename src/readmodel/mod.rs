//! The read model: compact, in-memory rows of what screens show, built at open on a background
//! thread and kept current from the store's change feed. Screens read it; they never scan sled
//! while drawing.
//!
//! One read model serves every session of a process (the SSH server shares it): it lives
//! behind an `RwLock`, writers hold the lock only to swap in a built list or apply one change,
//! and sessions are told about changes through callbacks that must return at once.

pub mod search;

use crate::domain::name::fold;
use crate::domain::volunteer::{Status, TargetGroup, Volunteer};
use crate::store::{ChangeOp, Record, Store, Stored};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use time::Date;

/// One volunteer as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRow {
    pub id: u64,
    pub revision: u64,
    /// "Berg, Anouk van den".
    pub filed: String,
    /// Sort key: family name, given name, prefix; case and accents folded.
    pub sort_key: String,
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
    pub fn from_stored(s: &Stored<Volunteer>) -> VolunteerRow {
        let v = &s.data;
        let mut groups = 0;
        for g in v.target_groups() {
            groups |= group_bit(g);
        }
        let filed = v.name.filed();
        VolunteerRow {
            id: s.meta.id,
            revision: s.meta.revision,
            haystack: format!(
                "{} {} {}",
                fold(&filed.replace(',', "")),
                v.postcode.to_ascii_lowercase(),
                v.email
            ),
            filed,
            sort_key: v.name.sort_key(),
            municipality: v.municipality.clone(),
            status: v.status,
            groups,
            intake_date: v.intake_date,
            birth_date: v.birth_date,
            postcode: v.postcode.clone(),
        }
    }

    pub fn has_group(&self, g: TargetGroup) -> bool {
        self.groups & group_bit(g) != 0
    }
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
    keys: HashMap<u64, String>,
    /// Bumped on every change; lists cache their filtered views per version.
    version: u64,
    /// False until the first full load is done.
    loaded: bool,
    /// A problem met while loading (a damaged record is skipped and reported here).
    pub load_problems: Vec<String>,
}

impl ReadModel {
    pub fn volunteers(&self) -> &[VolunteerRow] {
        &self.volunteers
    }
    /// The search texts of [`Self::volunteers`], same order and indices.
    pub fn haystacks(&self) -> &Haystacks {
        &self.haystacks
    }
    pub fn version(&self) -> u64 {
        self.version
    }
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// Position of a volunteer in the sorted list.
    pub fn position(&self, id: u64) -> Option<usize> {
        let key = self.keys.get(&id)?;
        self.volunteers
            .binary_search_by(|r| (r.sort_key.as_str(), r.id).cmp(&(key.as_str(), id)))
            .ok()
    }

    pub fn volunteer(&self, id: u64) -> Option<&VolunteerRow> {
        self.position(id).map(|i| &self.volunteers[i])
    }

    /// Replaces everything with a freshly loaded list.
    pub fn replace_all(&mut self, rows: Vec<VolunteerRow>) {
        self.install(Sorted::new(rows));
    }

    /// Replaces everything with a list sorted and indexed beforehand.
    fn install(&mut self, sorted: Sorted) {
        self.volunteers = sorted.rows;
        self.keys = sorted.keys;
        self.haystacks = sorted.haystacks;
        self.loaded = true;
        self.version += 1;
    }

    /// Puts (inserts or replaces) one row, unless the model already has a newer revision.
    pub fn put(&mut self, row: VolunteerRow) {
        if let Some(i) = self.position(row.id) {
            if self.volunteers[i].revision >= row.revision {
                return;
            }
            self.volunteers.remove(i);
            self.haystacks.remove(i);
        }
        let at = self
            .volunteers
            .binary_search_by(|r| (r.sort_key.as_str(), r.id).cmp(&(row.sort_key.as_str(), row.id)))
            .unwrap_or_else(|i| i);
        self.keys.insert(row.id, row.sort_key.clone());
        self.haystacks.insert(at, &row.haystack);
        self.volunteers.insert(at, row);
        self.version += 1;
    }

    /// Removes one row.
    pub fn remove(&mut self, id: u64) {
        if let Some(i) = self.position(id) {
            self.volunteers.remove(i);
            self.haystacks.remove(i);
            self.keys.remove(&id);
            self.version += 1;
        }
    }
}

/// A freshly loaded list, sorted and indexed: the slow part of [`ReadModel::replace_all`]
/// (110 ms at 100k rows), done before the write lock is taken so readers never wait for it.
struct Sorted {
    rows: Vec<VolunteerRow>,
    keys: HashMap<u64, String>,
    haystacks: Haystacks,
}

impl Sorted {
    fn new(mut rows: Vec<VolunteerRow>) -> Sorted {
        rows.sort_by(|a, b| (a.sort_key.as_str(), a.id).cmp(&(b.sort_key.as_str(), b.id)));
        Sorted {
            keys: rows.iter().map(|r| (r.id, r.sort_key.clone())).collect(),
            haystacks: Haystacks::from_rows(&rows),
            rows,
        }
    }
}

/// Something that happened to the read model, told to sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelEvent {
    /// The first full load is done.
    Loaded,
    /// Records changed (someone saved).
    Changed,
}

type Listener = Box<dyn Fn(ModelEvent) + Send + Sync>;

/// The shared read model and the thread that keeps it current.
#[derive(Clone)]
pub struct SharedModel {
    model: Arc<RwLock<ReadModel>>,
    listeners: Arc<Mutex<Vec<(u64, Listener)>>>,
    next_listener: Arc<Mutex<u64>>,
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    // The model is plain data updated by whole-row operations; a panic elsewhere cannot leave
    // it half-changed, so a poisoned lock is still safe to use.
    l.write().unwrap_or_else(|p| p.into_inner())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SharedModel {
    /// Starts loading `store` on a background thread and follows its change feed afterwards.
    /// Returns at once: the model says `loaded() == false` until the first load is done.
    pub fn spawn(store: Store) -> SharedModel {
        let shared = SharedModel {
            model: Arc::new(RwLock::new(ReadModel::default())),
            listeners: Arc::new(Mutex::new(Vec::new())),
            next_listener: Arc::new(Mutex::new(0)),
        };
        let worker = shared.clone();
        // Subscribe before scanning, so no change between scan and follow is missed; changes
        // already in the scan are skipped by revision.
        let feed = store.subscribe();
        std::thread::Builder::new()
            .name("koppel-readmodel".into())
            .spawn(move || {
                worker.load(&store);
                while let Ok(change) = feed.recv() {
                    let mut batch = vec![change];
                    while let Ok(more) = feed.try_recv() {
                        batch.push(more);
                    }
                    worker.apply(&store, &batch);
                }
            })
            .ok();
        shared
    }

    /// A model loaded synchronously (for tests and one-shot commands).
    pub fn load_now(store: &Store) -> SharedModel {
        let shared = SharedModel {
            model: Arc::new(RwLock::new(ReadModel::default())),
            listeners: Arc::new(Mutex::new(Vec::new())),
            next_listener: Arc::new(Mutex::new(0)),
        };
        shared.load(store);
        shared
    }

    fn load(&self, store: &Store) {
        let mut rows = Vec::with_capacity(store.count::<Volunteer>());
        let mut problems = Vec::new();
        for item in store.scan::<Volunteer>() {
            match item {
                Ok(s) => rows.push(VolunteerRow::from_stored(&s)),
                Err(e) => problems.push(e.to_string()),
            }
        }
        // Sort and index outside the lock: the lock is held only to swap the list in.
        let sorted = Sorted::new(rows);
        {
            let mut m = write(&self.model);
            // Changes applied while we scanned are newer than the scan: keep them.
            let newer: Vec<VolunteerRow> = m.volunteers.drain(..).collect();
            m.install(sorted);
            for row in newer {
                m.put(row);
            }
            m.load_problems = problems;
        }
        self.notify(ModelEvent::Loaded);
    }

    /// Applies changes from the feed.
    pub fn apply(&self, store: &Store, changes: &[crate::store::Change]) {
        let mut touched = false;
        for c in changes {
            if c.kind != Volunteer::KIND {
                continue;
            }
            touched = true;
            match c.op {
                ChangeOp::Delete => write(&self.model).remove(c.id),
                ChangeOp::Put => {
                    // Read outside the lock; a record gone meanwhile is simply skipped.
                    if let Ok(Some(s)) = store.get::<Volunteer>(c.id) {
                        let row = VolunteerRow::from_stored(&s);
                        write(&self.model).put(row);
                    }
                }
            }
        }
        if touched {
            self.notify(ModelEvent::Changed);
        }
    }

    /// Puts a record this session just saved, so the saver sees it at once (the change feed
    /// brings the same revision again later; it is then ignored).
    pub fn put_volunteer(&self, s: &Stored<Volunteer>) {
        write(&self.model).put(VolunteerRow::from_stored(s));
        self.notify(ModelEvent::Changed);
    }

    fn notify(&self, e: ModelEvent) {
        for (_, l) in lock(&self.listeners).iter() {
            l(e);
        }
    }

    /// Calls `f` on every model event until the returned id is passed to [`Self::unlisten`].
    /// `f` must return at once (send on a channel, set a flag).
    pub fn listen(&self, f: impl Fn(ModelEvent) + Send + Sync + 'static) -> u64 {
        let mut next = lock(&self.next_listener);
        *next += 1;
        lock(&self.listeners).push((*next, Box::new(f)));
        *next
    }

    pub fn unlisten(&self, id: u64) {
        lock(&self.listeners).retain(|(i, _)| *i != id);
    }

    /// Read access. Hold it only while copying what a frame needs.
    pub fn read(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
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
        sort_key: fold(filed),
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
}
