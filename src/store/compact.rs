//! Compaction: the store rewritten into a fresh sled database beside it, as SQLite's VACUUM
//! does. sled keeps old versions of values in its log files until it reuses their space, so
//! after an erasure the erased data can still be in the store's raw bytes; a fresh database
//! holds only the current values.
//!
//! The steps, and what a crash at each leaves (`docs/privacy.md` tells it for people):
//!
//! 1. Leftovers of a compaction that was cut off are cleared up first (below).
//! 2. A new folder `.koppel-compact-<store>-<random>` beside the store (0700, created
//!    exclusively), with a marker file `.koppel-compact-copy` in it. Every tree of the open
//!    store (which this process holds locked) is copied into a new sled database there and
//!    made durable. *Crash:* the store is untouched; the copy is a leftover (`koppel check`
//!    lists it; the next compaction removes it, recognising it by the marker).
//! 3. The copy is opened as a store and verified: every tree holds as many entries as the
//!    original's, `check` finds nothing wrong, the audit chain verifies. Otherwise the copy
//!    is removed and the store is left as it was.
//! 4. The two folders are swapped in one atomic step (`renameat2` with `RENAME_EXCHANGE`,
//!    then the parent folder synced): the store's path now holds the copy, the temporary
//!    name the old store. *Crash before:* the old store; *after:* the new one — either way a
//!    complete, usable store at the store's path. A file system that cannot swap folders
//!    atomically is refused before anything is swapped.
//! 5. What is not sled's in the old folder (the backups, leftovers) is moved into the new
//!    one, the marker removed, and the old folder removed. *Crash:* the new store is in
//!    place; the old folder is a leftover without a marker, and the next compaction moves
//!    what is left in it and removes it.

use super::{META, Store, StoreError, Tx, TxError};
use std::path::{Path, PathBuf};

/// The `meta` key that says a compaction is due: something was erased or anonymised since the
/// last one, so sled's files may still hold old versions of it. It is written in the
/// transaction of the erasure itself, so it outlives a killed process; a compaction leaves it
/// out of the copy, so it goes exactly when the old versions go.
const DUE_KEY: &[u8] = b"compact/due";

/// The file that marks a copy not yet swapped into place.
const COPY_MARKER: &str = ".koppel-compact-copy";
/// What every compaction folder's name starts with.
pub const PREFIX: &str = ".koppel-compact-";

/// What a compaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compacted {
    /// Bytes the store's folder took before and after (sled's files, the backups left out).
    pub before: u64,
    pub after: u64,
    /// Entries copied (all trees).
    pub entries: u64,
}

/// Why a compaction did not happen.
#[derive(Debug)]
pub enum CompactError {
    Store(StoreError),
    /// The copy did not verify (what was wrong); the store was left as it was.
    Verify(String),
    /// The file system cannot swap two folders atomically; nothing was swapped.
    NoAtomicSwap(String),
}

impl From<StoreError> for CompactError {
    fn from(e: StoreError) -> Self {
        CompactError::Store(e)
    }
}

impl From<std::io::Error> for CompactError {
    fn from(e: std::io::Error) -> Self {
        CompactError::Store(e.into())
    }
}

impl From<sled::Error> for CompactError {
    fn from(e: sled::Error) -> Self {
        CompactError::Store(e.into())
    }
}

/// sled's own files in a store folder; everything else in it is koppel's (backups, the
/// watermark, leftovers) and moves with the store.
fn is_sleds(name: &str) -> bool {
    name == "db" || name == "conf" || name == "blobs" || name.starts_with("snap.")
}

fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| is_sleds(&e.file_name().to_string_lossy()))
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                std::fs::read_dir(&p)
                    .map(|d| {
                        d.flatten()
                            .filter_map(|f| f.metadata().ok())
                            .map(|m| m.len())
                            .sum()
                    })
                    .unwrap_or(0)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

/// A new file only this user may read (0600), never one that is there already (nor a link
/// planted in its place).
fn private_new(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Swaps the folders `a` and `b` (same parent) in one atomic step.
fn exchange(a: &Path, b: &Path) -> Result<(), CompactError> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes())
        .map_err(|e| CompactError::NoAtomicSwap(e.to_string()))?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes())
        .map_err(|e| CompactError::NoAtomicSwap(e.to_string()))?;
    // SAFETY: both are NUL-terminated paths; renameat2 reads them and changes no memory.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => {
            Err(CompactError::NoAtomicSwap(e.to_string()))
        }
        _ => Err(CompactError::Store(e.into())),
    }
}

/// The compaction folders of the store at `dir`: `(path, is an unswapped copy)`.
fn leftovers(dir: &Path) -> Vec<(PathBuf, bool)> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Vec::new();
    };
    let ours = format!("{PREFIX}{}-", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&ours))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let p = e.path();
            let copy = p.join(COPY_MARKER).exists();
            (p, copy)
        })
        .collect()
}

/// Moves what is not sled's from `old` into `dir` (when `dir` has no entry of that name).
fn carry_over(old: &Path, dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(old)?.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if is_sleds(&text) || text == "watermark" || text == COPY_MARKER {
            continue;
        }
        let to = dir.join(&name);
        if std::fs::symlink_metadata(&to).is_err() {
            std::fs::rename(entry.path(), to)?;
        }
    }
    Ok(())
}

/// Clears up after a compaction that was cut off: an unswapped copy is removed; an old store
/// left after the swap gives up what is not sled's to the store and is removed.
pub fn clear_leftovers(dir: &Path) -> Result<(), StoreError> {
    for (path, copy) in leftovers(dir) {
        if !copy && dir.is_dir() {
            carry_over(&path, dir)?;
        }
        std::fs::remove_dir_all(&path)?;
    }
    let _ = std::fs::remove_file(dir.join(COPY_MARKER));
    Ok(())
}

impl Tx<'_> {
    /// Notes that the store must be compacted: this transaction takes personal data out of
    /// records whose old versions stay in sled's files until then.
    pub fn mark_compaction_due(&self) -> Result<(), TxError> {
        self.meta().insert(DUE_KEY, &[1u8][..])?;
        Ok(())
    }
}

impl Store {
    /// Whether something was erased or anonymised since the last compaction, or a
    /// compaction was cut off and left a folder beside the store (an old store after the
    /// swap still holds the erased data; the next compaction clears it up first).
    pub fn compaction_due(&self) -> Result<bool, StoreError> {
        Ok(self.due_mark()? || !leftovers(self.path()).is_empty())
    }

    /// Whether the mark that a compaction is due is in `meta`.
    fn due_mark(&self) -> Result<bool, StoreError> {
        Ok(self.inner.trees[META].contains_key(DUE_KEY)?)
    }

    /// Rewrites this store into a fresh database at the same path (see the module doc). The
    /// store stays open, and so locked against other processes, until the new one is in
    /// place; then it is closed: every other handle of it refuses writes from then on
    /// ([`StoreError::Closed`]), and its files are removed.
    pub fn compact(self) -> Result<Compacted, CompactError> {
        let dir = self.path().to_path_buf();
        self.writable()?;
        clear_leftovers(&dir)?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let before = folder_size(&dir);
        // Everything written so far is in the files the copy is read from.
        self.make_durable()?;
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{name}-"))
            .tempdir_in(&parent)?
            .keep();
        let copied = (|| -> Result<u64, CompactError> {
            private_new(&tmp.join(COPY_MARKER))?.sync_all()?;
            let entries = self.copy_into(&tmp)?;
            self.verify_copy(&tmp)?;
            Ok(entries)
        })();
        let entries = match copied {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        sync_dir(&tmp)?;
        // The swap: the store's path holds the copy from here on.
        if let Err(e) = exchange(&dir, &tmp) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        sync_dir(&parent)?;
        // The old store (now at `tmp`) is closed and removed; what is koppel's moves over.
        // sled writes only through the files it holds open (it writes snapshots by path only
        // while opening), so the open handle cannot write into the new store's folder.
        let _ = self.close_quietly();
        drop(self);
        std::fs::remove_file(dir.join(COPY_MARKER))?;
        carry_over(&tmp, &dir)?;
        std::fs::remove_dir_all(&tmp)?;
        sync_dir(&dir)?;
        sync_dir(&parent)?;
        Ok(Compacted {
            before,
            after: folder_size(&dir),
            entries,
        })
    }

    /// Copies every tree, entry by entry, into a new sled database in `to`; the number of
    /// entries copied.
    fn copy_into(&self, to: &Path) -> Result<u64, CompactError> {
        let db = sled::Config::new()
            .path(to)
            .cache_capacity(super::SLED_CACHE)
            .open()?;
        let mut entries = 0u64;
        for name in self.inner.db.tree_names() {
            let from = self.inner.db.open_tree(&name)?;
            let into = db.open_tree(&name)?;
            let mut batch = sled::Batch::default();
            let mut n = 0;
            let meta = name.as_ref() == b"meta";
            for item in from.iter() {
                let (k, v) = item?;
                if meta && k.as_ref() == DUE_KEY {
                    continue;
                }
                batch.insert(k, v);
                n += 1;
                if n == 10_000 {
                    into.apply_batch(std::mem::take(&mut batch))?;
                    n = 0;
                }
                entries += 1;
            }
            into.apply_batch(batch)?;
        }
        db.flush()?;
        std::fs::File::open(to.join("db"))?.sync_all()?;
        drop(db);
        // The watermark goes with the counters.
        if let Ok(text) = std::fs::read(self.watermark_path()) {
            let mut f = private_new(&to.join("watermark"))?;
            std::io::Write::write_all(&mut f, &text)?;
            f.sync_all()?;
        }
        Ok(entries)
    }

    /// Opens the copy in `to` as a store and checks it against this one: the same number of
    /// entries in every tree, `check` clean, the audit chain sound.
    fn verify_copy(&self, to: &Path) -> Result<(), CompactError> {
        let copy = open_settled(to)?;
        for name in self.inner.db.tree_names() {
            let mut want = self.inner.db.open_tree(&name)?.len();
            if name.as_ref() == b"meta" && self.due_mark()? {
                // The mark that a compaction is due is not copied.
                want -= 1;
            }
            let got = copy.inner.db.open_tree(&name)?.len();
            if want != got {
                return Err(CompactError::Verify(format!(
                    "tree {} has {got} entries in the copy, {want} in the store",
                    String::from_utf8_lossy(&name)
                )));
            }
        }
        let report = super::exchange::check(&copy)?;
        let chain = super::kinds::audit::verify(&copy)?;
        if let Some(p) = report.problems.first() {
            return Err(CompactError::Verify(format!("{p:?}")));
        }
        if let Some(p) = chain.problems.first() {
            return Err(CompactError::Verify(format!("{p:?}")));
        }
        copy.close()?;
        Ok(())
    }

    /// Closes for a compaction: flushed, the feed ended; the watermark is not written (the
    /// path now holds the new store, which has its own).
    fn close_quietly(&self) -> Result<(), StoreError> {
        {
            let mut feed = super::lock(&self.inner.feed);
            feed.subscribers.clear();
            self.inner
                .closed
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        self.make_durable()
    }
}

/// Opens the store at `dir`, waiting (bounded) while sled still holds the lock of a handle
/// just dropped by this process.
fn open_settled(dir: &Path) -> Result<Store, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Store::open(dir) {
            Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}
