//! Automatic backups: rolling JSON Lines exports in the `backups` folder inside the store's
//! folder (mode 0700; each file 0600, written whole or not at all by `safe_file`), so that no
//! fault loses more than a day's work. A backup is due when the newest one is
//! `backup_every_days` days old or more (configuration; 0 turns them off); the newest
//! `backups_kept` are kept. Restoring one is an import into a new store (`koppel restore`).
//!
//! **Backups expire.** A backup is also removed once it is [`Service::backup_max_age_days`]
//! old (`backups_kept` × `backup_every_days` days, 14 by default), whether or not newer ones
//! were written: so a person erased or anonymised today is gone from every backup within that
//! many days, also when koppel was not used every day. Old backups are removed whenever a
//! backup is due or written, and every time the screens or the server start.
//!
//! Names are `koppel-YYYY-MM-DDTHHMMSSZ.jsonl` (UTC), so name order is time order.

use super::{Account, Permission, Service, ServiceError};
use crate::safe_file::{Failed, write_replacing};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use time::{Date, Month};

const PREFIX: &str = "koppel-";
const SUFFIX: &str = ".jsonl";

impl Service {
    /// The folder backups go to.
    pub fn backup_dir(&self) -> PathBuf {
        self.store.path().join("backups")
    }

    /// Writes a backup when one is due (see the module doc); returns its path, or `None` when
    /// none was due.
    /// Someone whose role may not export writes none: the next start by a coordinator or an
    /// administrator does.
    pub fn backup_if_due(&self, who: &Account) -> Result<Option<PathBuf>, ServiceError> {
        if !self.may(who, Permission::ExportAll) {
            return Ok(None);
        }
        // Backup names carry the UTC date: compare with the UTC date too.
        let today = self.clock.now().to_offset(time::UtcOffset::UTC).date();
        self.prune_backups(today, None)?;
        let every = self.config.backup_every_days;
        if every == 0 {
            return Ok(None);
        }
        let newest = backups_in(&self.backup_dir())?
            .last()
            .map(|(_, date)| *date);
        let due = newest.is_none_or(|d| (today - d).whole_days() >= i64::from(every));
        if !due {
            return Ok(None);
        }
        self.backup_now(who).map(Some)
    }

    /// Writes a backup now and removes the oldest beyond `backups_kept`. Coordinators and
    /// administrators only, as for an export.
    pub fn backup_now(&self, who: &Account) -> Result<PathBuf, ServiceError> {
        self.require(who, Permission::ExportAll)?;
        let dir = self.backup_dir();
        make_private_dir(&dir)?;
        let now = self.clock.now().to_offset(time::UtcOffset::UTC);
        let path = dir.join(backup_name(now));
        write_replacing(&path, |out| {
            crate::store::exchange::export(&self.store, out)
        })
        .map_err(|e| match e {
            Failed::Io(e) => io_error(&path, &e),
            Failed::Writer(e) => e.into(),
        })?;
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            self.audit(tx, who, "backup", None, path.display().to_string())
        })?;
        self.prune_backups(now.date(), Some(&path))?;
        Ok(path)
    }

    /// How many days a backup is kept at most: `backups_kept` × `backup_every_days` (a day
    /// when automatic backups are off). A person erased today is gone from every backup
    /// after that many days.
    pub fn backup_max_age_days(&self) -> i64 {
        i64::from(self.config.backups_kept.max(1)) * i64::from(self.config.backup_every_days.max(1))
    }

    /// Removes the backups beyond the newest `backups_kept` and those
    /// [`Service::backup_max_age_days`] old or older on `today` (UTC), never `keep` (the
    /// backup just written: a clock set back makes it sort first).
    fn prune_backups(&self, today: Date, keep: Option<&Path>) -> Result<(), ServiceError> {
        let kept = usize::from(self.config.backups_kept.max(1));
        let max_age = self.backup_max_age_days();
        let all = backups_in(&self.backup_dir())?;
        let surplus = all.len().saturating_sub(kept);
        for (i, (old, date)) in all.iter().enumerate() {
            let expired = i < surplus || (today - *date).whole_days() >= max_age;
            if expired && Some(old.as_path()) != keep {
                std::fs::remove_file(old).map_err(|e| io_error(old, &e))?;
            }
        }
        Ok(())
    }
}

pub(super) fn io_error(path: &Path, e: &std::io::Error) -> ServiceError {
    ServiceError::Io {
        reason: format!("{}: {e}", path.display()),
    }
}

/// Creates the backup folder with mode 0700 if it is missing, makes an existing one private,
/// and removes temporary files a backup killed half-way left in it (one process holds the
/// store, so none is being written now).
pub(super) fn make_private_dir(dir: &Path) -> Result<(), ServiceError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if dir.is_dir() {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error(dir, &e))?;
        for entry in std::fs::read_dir(dir)
            .map_err(|e| io_error(dir, &e))?
            .flatten()
        {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".koppel-") && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir)
        .map_err(|e| io_error(dir, &e))
}

/// The name of a backup written at `now` (UTC).
fn backup_name(now: time::OffsetDateTime) -> String {
    format!(
        "{PREFIX}{:04}-{:02}-{:02}T{:02}{:02}{:02}Z{SUFFIX}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// Writes a backup of `store` before a layout migration changes it (see
/// [`Store::open_with_backup`]): into its `backups` folder, named and written as every backup
/// is, so it is kept and expires with them. Named by the time it is written (UTC); a backup
/// already at that name (written the same second) is the same data and is kept.
pub(super) fn before_migration(store: &Store) -> Result<(), StoreError> {
    let dir = store.path().join("backups");
    let failed = |path: &Path, reason: String| StoreError::MigrationBackup {
        path: path.to_path_buf(),
        reason,
    };
    make_private_dir(&dir).map_err(|e| failed(&dir, e.to_string()))?;
    let path = dir.join(backup_name(
        time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::UTC),
    ));
    if path.exists() {
        return Ok(());
    }
    write_replacing(&path, |out| crate::store::exchange::export(store, out)).map_err(
        |e| match e {
            Failed::Io(e) => failed(&dir, e.to_string()),
            Failed::Writer(e) => failed(&dir, e.to_string()),
        },
    )?;
    Ok(())
}

/// The backups in `dir`, oldest first, with the date their name says (UTC). Only names koppel
/// writes count (`koppel-YYYY-MM-DDTHHMMSSZ.jsonl`): a file of the user's own in the folder is
/// never taken for a backup, so never deleted.
fn backups_in(dir: &Path) -> Result<Vec<(PathBuf, Date)>, ServiceError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir, &e)),
    };
    let mut out: Vec<(PathBuf, Date)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            Some((e.path(), date_of(stem)?))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The date of a backup name's stem, which must be exactly `YYYY-MM-DDTHHMMSSZ`.
fn date_of(stem: &str) -> Option<Date> {
    let b = stem.as_bytes();
    let shape = b.len() == 18
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            17 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let year = stem.get(0..4)?.parse().ok()?;
    let month = Month::try_from(stem.get(5..7)?.parse::<u8>().ok()?).ok()?;
    let day = stem.get(8..10)?.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

impl Service {
    /// Temporary files koppel left in the store's folder, its backups folder and the folder
    /// the store is in: what its safe writer (exports, backups), a restore or the watermark
    /// leave when the process is killed while writing. They may hold personal data, so
    /// `koppel check` lists them. (One process holds the store, so none is being written.)
    pub fn stale_temporary_files(&self) -> Vec<PathBuf> {
        let store = self.store.path();
        let mut folders = vec![store.to_path_buf(), self.backup_dir()];
        if let Some(parent) = store.parent().filter(|p| !p.as_os_str().is_empty()) {
            folders.push(parent.to_path_buf());
        }
        let mut out = Vec::new();
        for dir in folders {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if is_koppel_temporary(&entry.file_name().to_string_lossy()) {
                    out.push(entry.path());
                }
            }
        }
        out.sort();
        out
    }
}

/// Whether a file name is one koppel gives its temporary files: the safe writer's
/// `.koppel-<random>.tmp`, a restore's `.koppel-restore-<random>` folder, the watermark's
/// `.watermark-<random>`.
pub fn is_koppel_temporary(name: &str) -> bool {
    (name.starts_with(".koppel-") && name.ends_with(".tmp"))
        || name.starts_with(".koppel-restore-")
        || name.starts_with(".watermark-")
        || name.starts_with(crate::store::compact::PREFIX)
}
