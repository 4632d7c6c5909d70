//! The reserve: a file of real, allocated blocks in the store folder (`reserve`, [`SIZE`]
//! bytes) that koppel gives back to the disk when the disk is so full that the store cannot
//! even be opened to read.
//!
//! sled writes while it opens a store whose log has moved on since its last snapshot (after
//! any session that saved something, and always after a crash): a new snapshot of its page
//! table, about 2.8 MB for a store of 100,000 volunteers. With no byte free that write fails,
//! and without room nobody could `check` or `export` the data until they freed space
//! themselves. So a store opened to write keeps this file while the disk has room for it
//! beyond the writing floor ([`super::MIN_FREE`]); a store opened to read that fails because
//! the disk is full removes it and tries once more ([`super::Store::open_with`]), and says so.
//! The next open to write on a disk with room makes a new one.
//!
//! The file is made safely: under a temporary name (`.reserve-<random>`, created exclusively,
//! mode 0600), allocated with `posix_fallocate` (real blocks, never a sparse file, which would
//! give nothing back), synced, and only then linked to `reserve` without replacing anything
//! there. Whatever is at `reserve` and is not a regular file (a planted link, a folder) is
//! never followed, written or removed. It holds only zeros: backups are exports and never
//! contain it; a compaction moves it into the new folder with everything else that is not
//! sled's (a rename, no copy).

use std::path::{Path, PathBuf};

/// The reserve's file name in the store folder.
pub const NAME: &str = "reserve";

/// Temporary names of a reserve being made; a leftover is removed at the next attempt.
const TMP_PREFIX: &str = ".reserve-";

/// The reserve's size: 32 MiB. sled's snapshot at open was 2.8 MB for a store of 100,000
/// volunteers (and their placements, trajectories and the rest) and grows with the store, so
/// this gives room to open stores about ten times that size, and to take out an import cut
/// off by the full disk; small enough to matter little on any disk that holds the floor.
pub const SIZE: u64 = 32 << 20;

/// The reserve's path in the store folder `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(NAME)
}

/// Whether `dir` holds a whole reserve: a regular file (not a link) of [`SIZE`] bytes.
pub fn present(dir: &Path) -> bool {
    std::fs::symlink_metadata(path(dir)).is_ok_and(|m| m.file_type().is_file() && m.len() >= SIZE)
}

/// Removes the reserve to give its space back to the disk; whether there was one to remove.
/// Anything at its name that is not a regular file is left alone.
pub fn release(dir: &Path) -> std::io::Result<bool> {
    let path = path(dir);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_file() => {
            std::fs::remove_file(&path)?;
            sync_dir(dir);
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Makes the reserve when `dir` has none and the disk keeps at least `floor` bytes free
/// beside it (`free` is what the disk has now); whether the store has a reserve afterwards.
/// A reserve that cannot be made is no reason to refuse the store: `koppel check` reports
/// a missing one.
pub fn ensure(dir: &Path, free: Option<u64>, floor: u64) -> bool {
    match std::fs::symlink_metadata(path(dir)) {
        Ok(m) if m.file_type().is_file() && m.len() >= SIZE => return true,
        // A short file (a disk that filled while it was made by an older run) is made anew.
        Ok(m) if m.file_type().is_file() => {
            if std::fs::remove_file(path(dir)).is_err() {
                return false;
            }
        }
        // Something else holds the name: never followed, never replaced.
        Ok(_) => return false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) => return false,
    }
    clear_leftovers(dir);
    let Some(free) = free else {
        return false;
    };
    if free < floor.saturating_add(SIZE) {
        return false;
    }
    make(dir).is_ok()
}

fn make(dir: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // Exclusive, 0600, a random name in `dir`: never a file or link that is there already.
    let tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(dir)?;
    // SAFETY: the descriptor belongs to `tmp`, which stays open for the call.
    let rc = unsafe { libc::posix_fallocate(tmp.as_file().as_raw_fd(), 0, SIZE as libc::off_t) };
    if rc != 0 {
        // `tmp` is removed when dropped.
        return Err(std::io::Error::from_raw_os_error(rc));
    }
    tmp.as_file().sync_all()?;
    // Linked to its name only when nothing is there (not even a link planted meanwhile).
    tmp.persist_noclobber(path(dir)).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Removes temporary files of a reserve whose making was cut off.
fn clear_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
