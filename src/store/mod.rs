//! The store: sled trees, versioned envelopes, secondary indexes, revisions, durable saves and
//! the change feed.
//!
//! Layout on disk (one sled database in the store directory):
//! - `meta`: id counters (`seq/<kind>` → last id, big-endian u64) and store facts;
//! - `ref`: `<person id BE><kind code><id BE>` → empty: record `id` is about that volunteer;
//! - `rec/<kind>`: id (big-endian u64) → envelope (see [`envelope`]);
//! - `idx/<kind>`: `<index>\0<value>\0<id>` → empty, written in the same transaction as the
//!   record.
//!
//! Every write goes through [`Store::transact`], one sled transaction over all trees, so a
//! record, its indexes, its references and any other records changed with it land together
//! or not at all. A write returns only after sled's `flush()` and an `fdatasync` of the store
//! file: sled's own flush uses `sync_file_range`, which a power cut can defeat. Only then are
//! the changes published on the change feed, numbered in publish order (sled's `watch_prefix`
//! fires before durability and lets a slow subscriber block writers, so we do not use it).
//!
//! Fail-stop: once a flush or fsync fails (or sled cannot write its log), the store refuses
//! every later write with [`StoreError::Stopped`]; reads keep working. [`Store::close`]
//! flushes and ends every subscription. `docs/store.md` describes all of this for people.
//!
//! Nothing above this module knows sled exists. The service is the only writer; the read
//! model reads and follows the change feed.

pub mod bulk;
pub mod compact;
pub mod envelope;
pub mod exchange;
pub mod import_write;
pub mod kinds;
pub mod privacy;
pub mod record;
pub mod reserve;
pub mod summary;
pub mod undo;

use crate::codec::CodecError;
pub use record::{Editable, IndexDef, Kind, Meta, Record, Stamp, Stored, date_value};
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
    UnabortableTransactionError,
};
use std::collections::BTreeSet;
use std::fs::File;
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// What can go wrong in the store. Front ends turn these into sentences via `i18n`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} is in use by another koppel process")]
    InUse { path: PathBuf },
    /// The store has lost records: it once handed out ids up to `expected` of a kind, but its
    /// counter now says `found` (its log was damaged and sled recovered only what came before).
    #[error("the store at {path} has lost data: {kind} ids went up to {expected}, now {found}")]
    LostData {
        path: PathBuf,
        kind: Kind,
        expected: u64,
        found: u64,
    },
    #[error(
        "{kind} {id} was changed by {by} at {at} (revision {found}) after you opened it (revision {expected})"
    )]
    Conflict {
        kind: Kind,
        id: u64,
        expected: u64,
        found: u64,
        by: String,
        at: OffsetDateTime,
    },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: Kind, id: u64 },
    #[error("{kind} {id} already exists")]
    AlreadyExists { kind: Kind, id: u64 },
    #[error("{kind} {id} is damaged: {reason}")]
    Damaged { kind: Kind, id: u64, reason: String },
    #[error("the store cannot be read or written: {0}")]
    Io(String),
    /// The disk of the store has too little free space (`free` bytes) for what is asked
    /// (`needed` bytes): refused before anything was written, or a write ran out of space.
    #[error("the disk of the store at {path} is full: {free} bytes free, {needed} needed")]
    DiskFull {
        path: PathBuf,
        free: u64,
        needed: u64,
    },
    /// A save could not be made durable; the store refuses every write from then on.
    #[error("the store could not be written to disk ({reason}); it accepts no more writes")]
    Stopped { reason: String },
    /// The store was closed; it accepts no more writes.
    #[error("the store is closed")]
    Closed,
    /// The backup written before a layout migration (see [`BeforeMigration`]) failed: the
    /// store was not migrated, nor opened.
    #[error("no backup could be written to {path} before the store's layout is updated: {reason}")]
    MigrationBackup { path: PathBuf, reason: String },
    /// The store was written by a newer koppel (store version `found`; this one knows up to
    /// `known`): it is not opened, so an older koppel never changes what it cannot read.
    #[error("the store at {path} has version {found}; this koppel knows up to version {known}")]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// Another record of the kind already has this value of a unique index.
    #[error("{kind} {holder} already has {index} {value:?}")]
    Taken {
        kind: Kind,
        index: &'static str,
        value: String,
        holder: u64,
    },
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
    /// Position on the feed: strictly increasing per open store, in publish order.
    pub seq: u64,
    pub kind: Kind,
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
    /// `[meta, ref, rec/k0, idx/k0, rec/k1, idx/k1, …]` in the order of [`Kind::ALL`].
    trees: Vec<sled::Tree>,
    /// The sled file, kept open to fsync after every write.
    file: Mutex<File>,
    feed: Mutex<Feed>,
    /// Why the store stopped accepting writes, once it has.
    stopped: Mutex<Option<String>>,
    closed: AtomicBool,
    /// Test hook: the next sync fails.
    fail_next_sync: AtomicBool,
    /// Opened to read only ([`Access::Read`]): what the store writes for itself (the
    /// watermark, rebuilt summaries) is left out when the disk is short of space.
    reading: bool,
    /// Set when the disk was too full to open the store and its reserve was given back to
    /// open it (see [`reserve`]): the bytes free once it was open.
    opened_on_reserve: std::sync::OnceLock<u64>,
}

/// Called before a layout migration changes an existing store (see
/// [`Store::open_with_backup`]).
pub type BeforeMigration<'a> = &'a dyn Fn(&Store) -> Result<(), StoreError>;

/// What a command means to do with the store, so the store knows how much room it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read only (check, export, backup). The store may still finish what sled recovers at
    /// open, or undo an unfinished import; everything else it would write for itself is left
    /// out when the disk is short of space, so reading works on a full disk whenever sled
    /// allows it.
    Read,
    /// Read and write: refused before anything is written when the disk has less than
    /// `needed` bytes free (see [`MIN_FREE`]).
    Write { needed: u64 },
}

/// The free space a store needs before it is opened for writing: room for sled's log to grow
/// by a day's work, its snapshot and the watermark. A store that runs out of space stops
/// saving (fail-stop) and sled's recovery then needs room to write too; refusing early keeps
/// both from happening.
pub const MIN_FREE: u64 = 64 << 20;

/// sled's page cache, in bytes.
const SLED_CACHE: u64 = 32 << 20;

/// The bytes free for an unprivileged writer on the file system of `dir` (or of its nearest
/// existing parent, for a store still to be created); `None` when that cannot be told.
pub fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let at = dir
        .ancestors()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .find(|p| p.exists())?;
    let c = std::ffi::CString::new(at.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a NUL-terminated path; `st` is a plain C struct that statvfs fills.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

/// Whether an I/O error (or sled's text of one) says the disk is full.
fn is_disk_full(e: &StoreError) -> bool {
    match e {
        StoreError::DiskFull { .. } => true,
        StoreError::Io(text) | StoreError::Stopped { reason: text } => {
            text.contains("No space left on device") || text.contains("os error 28")
        }
        _ => false,
    }
}

/// Removes what sled 0.34 leaves behind when it could not finish writing a snapshot (a full
/// disk at open or at a flush): `snap.<lsn>.generating`, empty or cut short. sled's own
/// reader counts such a file as a snapshot, takes it as the newest and refuses the whole
/// store as "Read corrupted data", although the log and the last complete snapshot are
/// sound. A `.generating` file is never the only copy of anything (the log is): sled renames
/// a snapshot to its final name only once it is complete and synced.
fn clear_unfinished_snapshots(dir: &Path) -> Result<(), StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The change feed: its subscribers and the next sequence number.
struct Feed {
    subscribers: Vec<Sender<Change>>,
    next_seq: u64,
}

const META: usize = 0;
const REF: usize = 1;
/// Slot of the first record tree in `Inner::trees`.
const FIRST_KIND: usize = 2;

/// The key of a reference entry: record `id` of `kind` is about `person`.
pub fn ref_key(person: u64, kind: Kind, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(17);
    key.extend_from_slice(&person.to_be_bytes());
    key.push(kind.code());
    key.extend_from_slice(&id.to_be_bytes());
    key
}

/// Reads a reference key back: (person, kind, id).
pub fn parse_ref_key(key: &[u8]) -> Option<(u64, Kind, u64)> {
    if key.len() != 17 {
        return None;
    }
    let person = id_from_key(&key[..8])?;
    let kind = Kind::from_code(key[8])?;
    let id = id_from_key(&key[9..])?;
    Some((person, kind, id))
}

fn refs_of<T: Record>(data: &T, id: u64) -> BTreeSet<Vec<u8>> {
    data.about()
        .into_iter()
        .map(|person| ref_key(person, T::KIND, id))
        .collect()
}

/// Highest id a record can have: the largest integer JSON readers such as `jq` and
/// spreadsheets keep exactly (2^53 - 1), so exported ids survive any tool.
pub const MAX_ID: u64 = (1 << 53) - 1;

fn rec_name(kind: Kind) -> String {
    format!("rec/{kind}")
}
fn idx_name(kind: Kind) -> String {
    format!("idx/{kind}")
}

/// `<index>\0<value>` — an index entry's key up to the separator before the id.
fn index_value_key(index: &IndexDef, value: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(index.name.len() + value.len() + 10);
    key.extend_from_slice(index.name.as_bytes());
    key.push(0);
    key.extend(value.bytes().filter(|b| *b != 0));
    key
}

/// `<index>\0<value>\0` — the prefix under which all ids with that value are found.
pub fn index_prefix(index: &IndexDef, value: &str) -> Vec<u8> {
    let mut key = index_value_key(index, value);
    key.push(0);
    key
}

/// Full index key of one entry.
pub fn index_key(index: &IndexDef, value: &str, id: u64) -> Vec<u8> {
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

/// The key in `meta` that gives the value of a unique index to one record:
/// `uniq/<kind>/<index>\0<value>`, holding the record's id.
fn claim_key(kind: Kind, index: &str, value: &str) -> Vec<u8> {
    format!("uniq/{kind}/{index}\0{value}").into_bytes()
}

/// The unique index values a record holds: (index name, value).
fn claims_of<T: Record>(data: &T) -> BTreeSet<(&'static str, String)> {
    data.index_entries()
        .into_iter()
        .filter(|(index, _)| index.unique)
        .map(|(index, value)| (index.name, value.replace('\0', "")))
        .collect()
}

/// A record in its envelope, as the store keeps it.
fn seal<T: Record>(stored: &Stored<T>) -> Result<Vec<u8>, StoreError> {
    envelope::seal(&stored.meta, &stored.data).map_err(|e| StoreError::Damaged {
        kind: T::KIND,
        id: stored.meta.id,
        reason: e.0,
    })
}

fn id_from_key(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

impl Store {
    /// Opens (or creates) the store in `dir` to read and write, whatever the free space (tests
    /// and tools; commands use [`Store::open_with`]). The directory is created with mode 0700.
    /// A failure of the file system names the directory.
    /// No reserve is made ([`reserve`]): that is for the commands' stores.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_checked(dir, Access::Write { needed: 0 }, &|_| Ok(()))
    }

    /// Opens (or creates) the store in `dir` for `access`. Writing is refused, before anything
    /// is created or written, when the disk has less free space than it needs; a disk that
    /// fills up while sled opens is reported as full ([`StoreError::DiskFull`]), and opening
    /// never leaves the store unreadable.
    ///
    /// The reserve ([`reserve`]): opened to write, the store makes its reserve file when it
    /// has none and the disk has room for it beside what the command needs. Opened to read on
    /// a disk too full even for that (sled writes a snapshot at open), the store gives its
    /// reserve back to the disk and tries once more; [`Store::opened_on_reserve`] then says so.
    pub fn open_with(dir: &Path, access: Access) -> Result<Store, StoreError> {
        Store::open_with_backup(dir, access, &|_| Ok(()))
    }

    /// [`Store::open_with`], calling `backup` with the opened store before a layout
    /// migration changes an existing store that holds records (the caller writes a backup of
    /// it; the store cannot, as it writes no files of people's data). When `backup` fails,
    /// nothing is migrated and the store is not opened.
    pub fn open_with_backup(
        dir: &Path,
        access: Access,
        backup: BeforeMigration<'_>,
    ) -> Result<Store, StoreError> {
        match (access, Store::open_checked(dir, access, backup)) {
            (Access::Write { needed }, Ok(store)) => {
                reserve::ensure(dir, free_space(dir), needed.max(MIN_FREE));
                Ok(store)
            }
            (Access::Read, Err(full @ StoreError::DiskFull { .. })) => {
                if !reserve::release(dir).unwrap_or(false) {
                    return Err(full);
                }
                // A moment for sled to let go of the lock of the failed attempt.
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                let store = loop {
                    match Store::open_checked(dir, access, backup) {
                        Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                            std::thread::sleep(std::time::Duration::from_millis(10))
                        }
                        other => break other?,
                    }
                };
                let _ = store
                    .inner
                    .opened_on_reserve
                    .set(free_space(dir).unwrap_or(0));
                Ok(store)
            }
            (_, result) => result,
        }
    }

    /// When the disk was too full to open the store and its reserve was given back to open
    /// it: the bytes free on the disk once it was open. Saving needs room made first.
    pub fn opened_on_reserve(&self) -> Option<u64> {
        self.inner.opened_on_reserve.get().copied()
    }

    /// Whether the store holds no record of any kind.
    fn holds_nothing(&self) -> bool {
        Kind::ALL.iter().all(|&kind| self.rec(kind).is_empty())
    }

    /// Whether the store folder holds its reserve ([`reserve`]).
    pub fn has_reserve(&self) -> bool {
        reserve::present(&self.inner.path)
    }

    /// [`Store::open_with`] without the reserve.
    fn open_checked(
        dir: &Path,
        access: Access,
        backup: BeforeMigration<'_>,
    ) -> Result<Store, StoreError> {
        let needed = match access {
            Access::Write { needed } => needed,
            Access::Read => 0,
        };
        let free = free_space(dir);
        if let Some(free) = free
            && free < needed
        {
            return Err(StoreError::DiskFull {
                path: dir.to_path_buf(),
                free,
                needed,
            });
        }
        Store::open_in(dir, access == Access::Read, backup).map_err(|e| {
            if is_disk_full(&e) {
                let free = free_space(dir).or(free).unwrap_or(0);
                return StoreError::DiskFull {
                    path: dir.to_path_buf(),
                    free,
                    needed: needed.max(MIN_FREE),
                };
            }
            match e {
                StoreError::Io(reason) => StoreError::Io(format!("{}: {reason}", dir.display())),
                other => other,
            }
        })
    }

    fn open_in(
        dir: &Path,
        reading: bool,
        backup: BeforeMigration<'_>,
    ) -> Result<Store, StoreError> {
        let existed = Store::exists(dir);
        create_private_dir(dir)?;
        clear_unfinished_snapshots(dir)?;
        // sled caches up to 1 GB of pages by default, which made an import or check of
        // 100,000 volunteers hold the whole store in memory; the read model keeps what the
        // screens need, and the operating system caches the file.
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(SLED_CACHE)
            .open()
            .map_err(|e| match e {
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
        let mut trees = vec![db.open_tree("meta")?, db.open_tree("ref")?];
        for kind in Kind::ALL {
            trees.push(db.open_tree(rec_name(kind))?);
            trees.push(db.open_tree(idx_name(kind))?);
            trees.push(db.open_tree(summary::tree_name(kind))?);
        }
        let file = File::open(dir.join("db"))?;
        let store = Store {
            inner: Arc::new(Inner {
                db,
                path: dir.to_path_buf(),
                trees,
                file: Mutex::new(file),
                feed: Mutex::new(Feed {
                    subscribers: Vec::new(),
                    next_seq: 1,
                }),
                stopped: Mutex::new(None),
                closed: AtomicBool::new(false),
                fail_next_sync: AtomicBool::new(false),
                reading,
                opened_on_reserve: std::sync::OnceLock::new(),
            }),
        };
        if existed {
            // Before anything is written: an older koppel must not migrate, undo or chain a
            // store laid out by a newer one.
            let found = store.version()?;
            if found > KNOWN_VERSION {
                return Err(StoreError::TooNew {
                    path: dir.to_path_buf(),
                    found,
                    known: KNOWN_VERSION,
                });
            }
            store.verify_watermark()?;
        }
        // An import that was cut off (killed, a full disk) is taken out again, whole, before
        // anyone reads: an import lands whole or not at all.
        store.undo_unfinished_import()?;
        if existed {
            // The counters are proven now: raise the watermark to them, so data saved in a
            // session that ended without a clean close is covered too.
            // Not synced: the start must not wait for the disk, and a watermark lost in a
            // crash leaves the older, lower one (never a false alarm).
            store.write_own(|s| s.write_watermark(false))?;
        } else {
            // A new database in a folder that kept an old store's watermark (its backups
            // folder beside it, a restore): that watermark is not this store's.
            match std::fs::remove_file(store.watermark_path()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        if !reading || free_space(dir).is_none_or(|free| free >= MIN_FREE) {
            // A layout migration changes the store in place: a backup of it first.
            if existed && store.version()? < KNOWN_VERSION && !store.holds_nothing() {
                backup(&store)?;
            }
            for ops in kinds::KINDS {
                ops.ensure_summaries(&store)?;
            }
            // Stores from before the audit trail's hash chain: chained once, in order.
            kinds::audit::ensure_chained(&store)?;
            // Version 3: the volunteer indexes nothing reads are gone; version 4: the
            // placement indexes too.
            kinds::volunteer::drop_unread_indexes(&store)?;
            kinds::placement::drop_indexes(&store)?;
            // Version 5: the trajectory indexes too.
            kinds::trajectory::drop_indexes(&store)?;
        }
        Ok(store)
    }

    /// Runs one of the store's writes for itself (the watermark). Opened to read only, a
    /// failure is let go: a missing watermark raise is never a false alarm, and reading must
    /// work on a full disk.
    fn write_own(
        &self,
        write: impl FnOnce(&Store) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match write(self) {
            Err(_) if self.inner.reading => Ok(()),
            other => other,
        }
    }

    /// The file beside the database that remembers how far each kind's id counter had come
    /// when the store was last closed: `<kind> <last id>` per line.
    fn watermark_path(&self) -> PathBuf {
        self.inner.path.join("watermark")
    }

    /// Refuses a store whose id counters went backwards since it was last closed. sled recovers
    /// a damaged log by keeping what comes before the damage, silently: without this check a
    /// store that lost most of its records opens as a sound, emptier store.
    fn verify_watermark(&self) -> Result<(), StoreError> {
        let Ok(text) = std::fs::read_to_string(self.watermark_path()) else {
            return Ok(());
        };
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let (Some(kind), Some(last)) = (parts.next(), parts.next()) else {
                continue;
            };
            let (Some(kind), Ok(expected)) = (Kind::parse(kind), last.parse::<u64>()) else {
                continue;
            };
            let found = self.last_id(kind)?;
            if found < expected {
                return Err(StoreError::LostData {
                    path: self.inner.path.clone(),
                    kind,
                    expected,
                    found,
                });
            }
        }
        Ok(())
    }

    /// Writes the watermark (see [`Store::verify_watermark`]): a private temporary file renamed
    /// into place.
    fn write_watermark(&self, sync: bool) -> Result<(), StoreError> {
        use std::io::Write;
        let mut text = String::new();
        for kind in Kind::ALL {
            text.push_str(&format!("{kind} {}\n", self.last_id(kind)?));
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".watermark-")
            .tempfile_in(&self.inner.path)?;
        tmp.write_all(text.as_bytes())?;
        if sync {
            tmp.as_file().sync_all()?;
        }
        tmp.persist(self.watermark_path())
            .map_err(|e| StoreError::Io(e.error.to_string()))?;
        Ok(())
    }

    /// Whether `dir` holds a store (sled's data file), without opening or creating anything.
    pub fn exists(dir: &Path) -> bool {
        dir.join("db").is_file()
    }

    /// The directory the store lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Each kind has three trees: records, index, summaries.
    fn slot(kind: Kind) -> usize {
        FIRST_KIND + 3 * kind.position()
    }

    fn rec(&self, kind: Kind) -> &sled::Tree {
        &self.inner.trees[Self::slot(kind)]
    }

    fn idx(&self, kind: Kind) -> &sled::Tree {
        &self.inner.trees[Self::slot(kind) + 1]
    }

    fn sum(&self, kind: Kind) -> &sled::Tree {
        &self.inner.trees[Self::slot(kind) + 2]
    }

    /// Subscribes to the change feed: every durable change from now on, in `seq` order. The
    /// subscription ends when the receiver is dropped (the store forgets the sender at the
    /// next publish) or when the store is closed (then `recv()` returns `Err`).
    pub fn subscribe(&self) -> Receiver<Change> {
        let (tx, rx) = channel();
        // After close the sender is dropped at once, so the receiver sees the end. The flag
        // is read under the feed lock, which `close` holds while it sets it.
        let mut feed = lock(&self.inner.feed);
        if !self.inner.closed.load(Ordering::SeqCst) {
            feed.subscribers.push(tx);
        }
        rx
    }

    /// Number of live subscriptions (those whose receiver was not yet seen dropped).
    pub fn subscriber_count(&self) -> usize {
        lock(&self.inner.feed).subscribers.len()
    }

    /// Flushes everything to disk and ends every subscription (their `recv()` returns `Err`,
    /// which tells the read model the store is closing). Later writes are refused with
    /// [`StoreError::Closed`]; reads keep working until the last clone is dropped. Calling it
    /// again does nothing more.
    pub fn close(&self) -> Result<(), StoreError> {
        let first = {
            let mut feed = lock(&self.inner.feed);
            feed.subscribers.clear();
            !self.inner.closed.swap(true, Ordering::SeqCst)
        };
        if first && self.stopped().is_none() {
            self.make_durable()?;
            self.write_own(|s| s.write_watermark(true))?;
        }
        Ok(())
    }

    /// Why the store stopped accepting writes, if it has.
    pub fn stopped(&self) -> Option<String> {
        lock(&self.inner.stopped).clone()
    }

    fn writable(&self) -> Result<(), StoreError> {
        if let Some(reason) = self.stopped() {
            return Err(StoreError::Stopped { reason });
        }
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(StoreError::Closed);
        }
        Ok(())
    }

    /// Runs `f` as one atomic, durable transaction. `f` may run more than once (on a conflict
    /// with a concurrent writer): it must not have side effects outside the [`Tx`].
    pub fn transact<R>(
        &self,
        stamp: &Stamp,
        f: impl Fn(&mut Tx<'_>) -> Result<R, TxError>,
    ) -> Result<R, StoreError> {
        self.writable()?;
        let trees: &[sled::Tree] = &self.inner.trees;
        let result = trees.transaction(|views: &Vec<TransactionalTree>| {
            let mut tx = Tx {
                views,
                stamp,
                changed_fields: Vec::new(),
                changes: Vec::new(),
                summaries: summary::Pending::default(),
            };
            let done = f(&mut tx).and_then(|r| {
                std::mem::take(&mut tx.summaries)
                    .apply(|kind| &views[Store::slot(kind) + 2], &views[META])?;
                Ok(r)
            });
            match done {
                Ok(r) => Ok((r, tx.changes)),
                Err(TxError::Store(e)) => Err(ConflictableTransactionError::Abort(e)),
                Err(TxError::Sled(e)) => Err(e.into()),
            }
        });
        let (value, changes) = match result {
            Ok(ok) => ok,
            Err(TransactionError::Abort(e)) => return Err(e),
            // sled could not write its log: what is on disk is as uncertain as after a
            // failed sync.
            Err(TransactionError::Storage(e)) => return Err(self.stop(e.to_string())),
        };
        if let Err(e) = self.make_durable() {
            // The change may or may not be on disk: stop writing rather than pile more
            // uncertain saves on top. It is not published, so no screen shows it as saved.
            return Err(self.stop(e.to_string()));
        }
        self.publish(changes);
        Ok(value)
    }

    /// Stops accepting writes for good (the first reason is kept); returns the error to report.
    fn stop(&self, reason: String) -> StoreError {
        let mut stopped = lock(&self.inner.stopped);
        let reason = stopped.get_or_insert(reason).clone();
        StoreError::Stopped { reason }
    }

    /// sled `flush()` and then an fdatasync of the store file: its data and the length needed
    /// to read it back, not its times (see docs/store.md, "Writes and durability").
    fn make_durable(&self) -> Result<(), StoreError> {
        if self.inner.fail_next_sync.swap(false, Ordering::SeqCst) {
            return Err(StoreError::Io("fsync failed (test hook)".into()));
        }
        self.inner.db.flush()?;
        lock(&self.inner.file).sync_data()?;
        Ok(())
    }

    fn publish(&self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        let mut feed = lock(&self.inner.feed);
        let mut numbered = Vec::with_capacity(changes.len());
        for mut c in changes {
            c.seq = feed.next_seq;
            feed.next_seq += 1;
            numbered.push(c);
        }
        feed.subscribers
            .retain(|s| numbered.iter().all(|c| s.send(c.clone()).is_ok()));
    }

    /// Inserts a new record; returns it with its id and first revision.
    pub fn insert<T: Editable>(&self, data: T, stamp: &Stamp) -> Result<Stored<T>, StoreError> {
        self.transact(stamp, |tx| tx.insert(data.clone()))
    }

    /// Replaces a record, if it is still at revision `based_on`; otherwise a
    /// [`StoreError::Conflict`] and nothing changes.
    pub fn update<T: Editable>(
        &self,
        id: u64,
        based_on: u64,
        data: T,
        stamp: &Stamp,
    ) -> Result<Stored<T>, StoreError> {
        self.transact(stamp, |tx| tx.update(id, based_on, data.clone()))
    }

    /// Deletes a record, if it is still at revision `based_on`.
    pub fn delete<T: Editable>(
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

    /// Ids of the records whose `index` has exactly `value`, in id order.
    pub fn find<T: Record>(&self, index: &IndexDef, value: &str) -> Result<Vec<u64>, StoreError> {
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

    /// Ids of the records whose `index` value lies in `values`, in value order (then id
    /// order). Values compare as bytes: dates must be indexed as `YYYY-MM-DD`.
    pub fn range<T: Record, V: AsRef<str>>(
        &self,
        index: &IndexDef,
        values: impl RangeBounds<V>,
    ) -> Result<Vec<u64>, StoreError> {
        // Keys are `<index>\0<value>\0<id>`; no value holds a NUL, so `<value>\0` sorts before
        // every longer value and `<value>\x01` after every key of exactly `<value>`.
        let bound = |value: &V, tail: u8| {
            let mut key = index_value_key(index, value.as_ref());
            key.push(tail);
            key
        };
        let start = match values.start_bound() {
            Bound::Included(v) => bound(v, 0),
            Bound::Excluded(v) => bound(v, 1),
            Bound::Unbounded => {
                let mut key = index.name.as_bytes().to_vec();
                key.push(0);
                key
            }
        };
        let end = match values.end_bound() {
            Bound::Included(v) => bound(v, 1),
            Bound::Excluded(v) => bound(v, 0),
            Bound::Unbounded => {
                let mut key = index.name.as_bytes().to_vec();
                key.push(1);
                key
            }
        };
        if start >= end {
            return Ok(Vec::new());
        }
        let mut ids = Vec::new();
        for item in self.idx(T::KIND).range(start..end) {
            let (key, _) = item?;
            if let Some(id) = id_from_key(&key[key.len().saturating_sub(8)..]) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Every record about volunteer `person` (see [`Record::about`]), by kind and id in
    /// kind-code and id order; the person's own record is not listed.
    pub fn about_person(&self, person: u64) -> Result<Vec<(Kind, u64)>, StoreError> {
        let mut out = Vec::new();
        for item in self.inner.trees[REF].scan_prefix(person.to_be_bytes()) {
            let (key, _) = item?;
            if let Some((_, kind, id)) = parse_ref_key(&key) {
                out.push((kind, id));
            }
        }
        Ok(out)
    }

    /// Raw access for `check` and `export`: the record and index trees of a kind.
    fn raw_trees(&self, kind: Kind) -> (&sled::Tree, &sled::Tree) {
        (self.rec(kind), self.idx(kind))
    }

    /// Raw access for `check`: the reference tree.
    fn ref_tree(&self) -> &sled::Tree {
        &self.inner.trees[REF]
    }

    /// The store's version (1 for stores from before versions were kept): what migrations
    /// at open have been done.
    pub fn version(&self) -> Result<u32, StoreError> {
        Ok(self.inner.trees[META]
            .get(VERSION_KEY)?
            .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
            .map(u32::from_be_bytes)
            .unwrap_or(1))
    }

    /// Records the store's version, durably.
    fn set_version(&self, version: u32) -> Result<(), StoreError> {
        self.inner.trees[META].insert(VERSION_KEY, &version.to_be_bytes())?;
        self.make_durable()
    }

    /// The last id handed out for a kind.
    fn last_id(&self, kind: Kind) -> Result<u64, StoreError> {
        Ok(self.inner.trees[META]
            .get(seq_key(kind))?
            .and_then(|v| id_from_key(&v))
            .unwrap_or(0))
    }

    /// Damages a stored value on purpose. Only for tests of damage handling.
    #[doc(hidden)]
    pub fn corrupt_for_tests(&self, kind: Kind, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
        self.rec(kind).insert(id.to_be_bytes(), bytes)?;
        self.make_durable()
    }

    /// Sets the store's version, as an older koppel left it. Only for migration tests.
    #[doc(hidden)]
    pub fn set_version_for_tests(&self, version: u32) -> Result<(), StoreError> {
        self.set_version(version)
    }

    /// Writes raw bytes under a record key. Only for migration fixtures in tests.
    #[doc(hidden)]
    pub fn put_raw_for_tests(&self, kind: Kind, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
        self.corrupt_for_tests(kind, id, bytes)
    }

    /// Removes one index entry behind the store's back. Only for tests of `check`.
    #[doc(hidden)]
    pub fn drop_index_entry_for_tests(&self, kind: Kind, key: &[u8]) -> Result<(), StoreError> {
        self.idx(kind).remove(key)?;
        self.make_durable()
    }

    /// Adds or removes one reference entry behind the store's back. Only for tests of
    /// `check`.
    #[doc(hidden)]
    pub fn set_ref_for_tests(&self, key: &[u8], present: bool) -> Result<(), StoreError> {
        if present {
            self.ref_tree().insert(key, &[])?;
        } else {
            self.ref_tree().remove(key)?;
        }
        self.make_durable()
    }

    /// Makes the next flush/fsync fail, as a full or failing disk would. Only for tests of
    /// the fail-stop.
    #[doc(hidden)]
    pub fn fail_next_sync_for_tests(&self) {
        self.inner.fail_next_sync.store(true, Ordering::SeqCst);
    }
}

impl Drop for Inner {
    /// The last handle is gone: make sure everything written is on disk (sled flushes on drop
    /// too; this adds the fsync). Nothing can be reported from here.
    fn drop(&mut self) {
        if lock(&self.stopped).is_none() {
            let _ = self.db.flush();
            let _ = lock(&self.file).sync_all();
        }
    }
}

/// The `meta` key of the store's version.
const VERSION_KEY: &[u8] = b"version";
/// The highest store version this koppel knows how to read and write (raise it with every
/// layout migration).
pub const KNOWN_VERSION: u32 = kinds::trajectory::INDEXES_DROPPED;

fn seq_key(kind: Kind) -> Vec<u8> {
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
            return Err(StoreError::Io("it is not a directory".into()));
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
    views: &'a Vec<TransactionalTree>,
    stamp: &'a Stamp,
    /// The fields the last update changed, for its audit event ([`Tx::take_changed_fields`]).
    changed_fields: Vec<String>,
    changes: Vec<Change>,
    /// Summary edits, applied once per chunk when the closure is done.
    summaries: summary::Pending,
}

impl Tx<'_> {
    fn rec(&self, kind: Kind) -> &TransactionalTree {
        &self.views[Store::slot(kind)]
    }
    fn idx(&self, kind: Kind) -> &TransactionalTree {
        &self.views[Store::slot(kind) + 1]
    }
    fn meta(&self) -> &TransactionalTree {
        &self.views[META]
    }
    fn refs(&self) -> &TransactionalTree {
        &self.views[REF]
    }

    /// The stamp of this transaction (who writes, and when).
    pub fn stamp(&self) -> &Stamp {
        self.stamp
    }

    /// The names of the fields the last update in this transaction changed (then forgotten):
    /// what its audit event records.
    pub fn take_changed_fields(&mut self) -> Vec<String> {
        std::mem::take(&mut self.changed_fields)
    }

    /// Hands out the next id of a kind (contiguous, unlike sled's `generate_id`).
    fn next_id(&self, kind: Kind) -> Result<u64, TxError> {
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
    fn raise_id(&self, kind: Kind, id: u64) -> Result<(), TxError> {
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
        let bytes = seal(stored)?;
        let new_claims = claims_of(&stored.data);
        let old_claims = old.map(claims_of).unwrap_or_default();
        for (index, value) in old_claims.difference(&new_claims) {
            self.meta().remove(claim_key(T::KIND, index, value))?;
        }
        for (index, value) in new_claims.difference(&old_claims) {
            let key = claim_key(T::KIND, index, value);
            if let Some(holder) = self.meta().get(&key)?.and_then(|v| id_from_key(&v))
                && holder != id
            {
                return Err(StoreError::Taken {
                    kind: T::KIND,
                    index,
                    value: value.clone(),
                    holder,
                }
                .into());
            }
            self.meta().insert(key, &id.to_be_bytes())?;
        }
        let new_keys = index_keys_of(&stored.data, id);
        let old_keys = old.map(|o| index_keys_of(o, id)).unwrap_or_default();
        let idx = self.idx(T::KIND);
        for key in old_keys.difference(&new_keys) {
            idx.remove(key.as_slice())?;
        }
        for key in new_keys.difference(&old_keys) {
            idx.insert(key.as_slice(), &[])?;
        }
        let new_refs = refs_of(&stored.data, id);
        let old_refs = old.map(|o| refs_of(o, id)).unwrap_or_default();
        for key in old_refs.difference(&new_refs) {
            self.refs().remove(key.as_slice())?;
        }
        for key in new_refs.difference(&old_refs) {
            self.refs().insert(key.as_slice(), &[])?;
        }
        self.rec(T::KIND).insert(&id.to_be_bytes(), bytes)?;
        if summary::kept::<T>() {
            let bytes = summary::encode(&stored.data, id)?;
            self.summaries.put(T::KIND, id, stored.meta.revision, bytes);
        }
        self.changes.push(Change {
            seq: 0,
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
    pub fn insert<T: Editable>(&mut self, data: T) -> Result<Stored<T>, TxError> {
        let stamp = self.stamp.clone();
        self.insert_stamped(data, stamp)
    }

    /// Inserts a record of any kind with the next id, created and updated by `stamp`;
    /// append-only kinds reach it only through their own appender.
    fn insert_stamped<T: Record>(&mut self, data: T, stamp: Stamp) -> Result<Stored<T>, TxError> {
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
                created: stamp.clone(),
                updated: stamp,
            },
            data,
        };
        self.write(&stored, None)?;
        Ok(stored)
    }

    /// Replaces a record that must still be at revision `based_on`.
    pub fn update<T: Editable>(
        &mut self,
        id: u64,
        based_on: u64,
        data: T,
    ) -> Result<Stored<T>, TxError> {
        let current = self.current::<T>(id, based_on)?;
        self.changed_fields = kinds::audit::changed_fields(&current.data, &data);
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

    /// Deletes a record that must still be at revision `based_on`, with its index and
    /// reference entries.
    pub fn delete<T: Editable>(&mut self, id: u64, based_on: u64) -> Result<(), TxError> {
        let current = self.current::<T>(id, based_on)?;
        for (index, value) in claims_of(&current.data) {
            self.meta().remove(claim_key(T::KIND, index, &value))?;
        }
        let idx = self.idx(T::KIND);
        for key in index_keys_of(&current.data, id) {
            idx.remove(key)?;
        }
        for key in refs_of(&current.data, id) {
            self.refs().remove(key)?;
        }
        self.rec(T::KIND).remove(&id.to_be_bytes())?;
        if summary::kept::<T>() {
            self.summaries.remove(T::KIND, id);
        }
        self.changes.push(Change {
            seq: 0,
            kind: T::KIND,
            id,
            revision: current.meta.revision,
            op: ChangeOp::Delete,
        });
        Ok(())
    }

    /// Removes record `id` of any kind with its index, reference and summary entries,
    /// whatever its revision; a record that no longer decodes goes with its key and summary
    /// only. Only for taking out an unfinished import ([`undo`]), never for people's deletes.
    /// Returns whether the record was there, whole: if not, entries of it may be left that
    /// only a search of the trees finds ([`Store::sweep_entries_of`]).
    pub(super) fn forget<T: Record>(&mut self, id: u64) -> Result<bool, TxError> {
        let Some(bytes) = self.rec(T::KIND).get(id.to_be_bytes())? else {
            if summary::kept::<T>() {
                self.summaries.remove(T::KIND, id);
            }
            return Ok(false);
        };
        let revision = match decode_record::<T>(id, &bytes) {
            Ok(current) => {
                let idx = self.idx(T::KIND);
                for key in index_keys_of(&current.data, id) {
                    idx.remove(key)?;
                }
                for key in refs_of(&current.data, id) {
                    self.refs().remove(key)?;
                }
                current.meta.revision
            }
            Err(_) => 0,
        };
        self.rec(T::KIND).remove(&id.to_be_bytes())?;
        if summary::kept::<T>() {
            self.summaries.remove(T::KIND, id);
        }
        self.changes.push(Change {
            seq: 0,
            kind: T::KIND,
            id,
            revision,
            op: ChangeOp::Delete,
        });
        Ok(revision != 0)
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
}

#[cfg(test)]
mod tests;
