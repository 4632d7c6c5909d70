//! Full disks, on a size-limited tmpfs (issue 13, points 4 and 6). Mounting needs root, as
//! CI runs; elsewhere each test says why it is skipped and passes.
//!
//! - An import that fills the disk, then opening the store again and again while the disk is
//!   still full, never makes the store unreadable; once there is room it opens sound, without
//!   any of the cut-off import.
//! - A command that would write is refused on a disk short of space, saying how much is free
//!   and how much is needed, in both languages, and creates nothing.
//! - `check` and `export` of a store whose disk is full either work or say the disk is full.
//! - An export to a full disk names the output and says the disk is full.
//! - A store that sled must write to while it opens, on a disk with no byte free, opens on its
//!   reserve space: `check` and `export` work and say so; the reserve comes back once there is
//!   room.

use assert_cmd::Command;
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::service::{Account, Role, Service};
use koppel::store::exchange;
use koppel::store::{Access, MIN_FREE, Store, StoreError, free_space, reserve};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::macros::datetime;

/// A tmpfs of a given size, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None` (after saying why) when this process may not mount.
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a size-limited tmpfs needs root (CI runs as root)");
            return None;
        }
        let dir = tempfile::tempdir().expect("mount point");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "mount a tmpfs as root");
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn resize(&self, size: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "remount the tmpfs");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn admin() -> Account {
    Account {
        name: "test".into(),
        role: Role::Admin,
    }
}

fn service(store: Store) -> Service {
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    Service::new(store, clock, Config::default())
}

/// An export of `n` demo volunteers with their organisations and the rest.
fn demo_export(n: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let s = service(Store::open(&dir.path().join("s")).unwrap());
    koppel::demo::fill(&s, &admin(), n, 3).unwrap();
    let mut out = Vec::new();
    s.export_all(&admin(), &mut out).unwrap();
    s.close().unwrap();
    out
}

/// Opens the store, waiting while a dropped handle still holds sled's lock.
fn open(path: &Path, access: Access) -> Result<Store, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open_with(path, access) {
            Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                std::thread::yield_now()
            }
            other => return other,
        }
    }
}

/// Fills the file system of `dir` with a file until it is full; returns the file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0x55u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    while f.write_all(&block[..512]).is_ok() {}
    let _ = f.sync_all();
    path
}

fn koppel(lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("koppel").unwrap();
    cmd.env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        // The demo's coordinator: the stores here hold the demo's staff accounts.
        .env("USER", "ingrid");
    cmd
}

fn stderr_of(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

#[test]
fn an_import_that_fills_the_disk_never_costs_the_store() {
    let Some(disk) = Tmpfs::mount("8m") else {
        return;
    };
    let export = demo_export(5_000);
    let path = disk.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        let s = service(store);
        match s.import(&admin(), &mut export.as_slice(), false) {
            Err(e) => eprintln!("the import failed as the disk filled: {e}"),
            Ok(_) => panic!("5,000 volunteers do not fit on 8 MB"),
        }
    }
    // Opened again and again while the disk is still full: it opens, or says the disk is
    // full; never anything else.
    for round in 0..3 {
        match open(&path, Access::Read) {
            Ok(store) => drop(store),
            Err(StoreError::DiskFull { free, .. }) => {
                assert!(free < 8 << 20, "round {round}: {free} bytes free")
            }
            Err(other) => panic!("round {round}: {other}"),
        }
    }
    // With room again, the store opens sound, and holds none of the cut-off import.
    disk.resize("256m");
    let store = open(&path, Access::Write { needed: 0 }).expect("the store opens");
    assert!(!store.import_pending().unwrap());
    let report = exchange::check(&store).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report.counts.iter().all(|(_, n)| *n == 0),
        "{:?}",
        report.counts
    );
    // And the same file imports whole now.
    let s = service(store);
    let summary = s.import(&admin(), &mut export.as_slice(), false).unwrap();
    assert_eq!(summary.counts[0].1, 5_000);
}

#[test]
fn a_store_with_data_on_a_full_disk_is_read_or_told_full_and_stays_sound() {
    let Some(disk) = Tmpfs::mount("96m") else {
        return;
    };
    let path = disk.path().join("store");
    let export = demo_export(1_000);
    {
        let s = service(Store::open(&path).unwrap());
        s.import(&admin(), &mut export.as_slice(), false).unwrap();
        // Not closed: the store is left as after a crash, with log not yet in a snapshot.
    }
    let filler = fill(disk.path());
    let outside = tempfile::tempdir().unwrap();
    for lang in ["C.UTF-8", "nl_NL.UTF-8"] {
        let (ok, text) = stderr_of(koppel(lang).arg("check").arg("--data").arg(&path));
        assert!(
            ok || text.contains("MB"),
            "check on a full disk works or says how full: {text}"
        );
        assert!(!text.contains("corrupt"), "{text}");
        let out = outside.path().join(format!("{lang}.jsonl"));
        let (ok, text) = stderr_of(
            koppel(lang)
                .arg("export")
                .arg("--data")
                .arg(&path)
                .arg("--output")
                .arg(&out),
        );
        assert!(ok || text.contains("MB"), "export: {text}");
    }
    std::fs::remove_file(filler).unwrap();
    let (ok, text) = stderr_of(koppel("C.UTF-8").arg("check").arg("--data").arg(&path));
    assert!(ok, "{text}");
    assert!(text.contains("1000 volunteers"), "{text}");
}

#[test]
fn writing_is_refused_on_a_disk_short_of_space_saying_free_and_needed() {
    let Some(disk) = Tmpfs::mount("20m") else {
        return;
    };
    let path = disk.path().join("store");
    for (lang, free, needed) in [
        ("C.UTF-8", "MB free", "67 MB needed"),
        ("nl_NL.UTF-8", "MB vrij", "67 MB nodig"),
    ] {
        let (ok, text) = stderr_of(koppel(lang).arg("init").arg("--data").arg(&path));
        assert!(!ok, "{text}");
        assert!(text.contains(free) && text.contains(needed), "{text}");
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(!path.exists(), "nothing is created");
    }
    // An import needs room for the store to grow by about four times the file.
    disk.resize("80m");
    let file = disk.path().join("big.jsonl");
    std::fs::write(&file, vec![b'\n'; 8_000_000]).unwrap();
    let (ok, text) = stderr_of(
        koppel("C.UTF-8")
            .arg("import")
            .arg("--data")
            .arg(&path)
            .arg(&file),
    );
    assert!(!ok, "{text}");
    assert!(text.contains("99 MB needed"), "{text}");
    assert!(!path.exists(), "nothing is created");
}

#[test]
fn an_export_to_a_full_disk_names_the_output_and_the_full_disk() {
    let Some(disk) = Tmpfs::mount("1m") else {
        return;
    };
    let store = tempfile::tempdir().unwrap();
    let path = store.path().join("store");
    {
        let s = service(Store::open(&path).unwrap());
        s.import(&admin(), &mut demo_export(1_000).as_slice(), false)
            .unwrap();
        s.close().unwrap();
    }
    let out = disk.path().join("all.jsonl");
    for (lang, full) in [
        ("C.UTF-8", "the disk is full"),
        ("nl_NL.UTF-8", "de schijf is vol"),
    ] {
        let (ok, text) = stderr_of(
            koppel(lang)
                .arg("export")
                .arg("--data")
                .arg(&path)
                .arg("--output")
                .arg(&out),
        );
        assert!(!ok, "{text}");
        assert!(text.contains(&out.display().to_string()), "{text}");
        assert!(text.contains(full), "{text}");
        assert!(!text.contains("store"), "not the store's fault: {text}");
    }
    // Nothing of the failed export is left on the disk.
    let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A store made by a command that saves (so it sets its reserve aside), holding `n` demo
/// volunteers saved in a session that ended without a clean close: sled's log has moved on
/// since its last snapshot, so opening the store makes sled write a new one.
fn unclean_store_with_reserve(path: &Path, n: usize) {
    let store = open(path, Access::Write { needed: MIN_FREE }).expect("the store opens to write");
    assert!(
        store.has_reserve(),
        "a store opened to save sets its reserve aside"
    );
    let s = service(store);
    koppel::demo::fill(&s, &admin(), n, 3).unwrap();
    // Not closed.
}

/// The reserve of the store at `path` is there: a regular file of its full size, with real
/// blocks (not a sparse file, which would give nothing back), that only its owner can read.
fn assert_reserve_made(path: &Path) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(reserve::path(path)).expect("the reserve is there");
    assert!(meta.file_type().is_file());
    assert_eq!(meta.len(), reserve::SIZE);
    assert!(
        meta.blocks() * 512 >= reserve::SIZE,
        "{} blocks",
        meta.blocks()
    );
    assert_eq!(meta.mode() & 0o777, 0o600);
}

#[test]
fn a_store_on_a_disk_with_no_byte_free_opens_on_its_reserve_for_check_and_export() {
    let Some(disk) = Tmpfs::mount("160m") else {
        return;
    };
    let outside = tempfile::tempdir().unwrap();
    let rounds = [
        (
            "C.UTF-8",
            "check",
            "koppel gave back its reserve space (34 MB)",
        ),
        (
            "nl_NL.UTF-8",
            "export",
            "koppel heeft zijn reserveruimte (34 MB) vrijgegeven",
        ),
    ];
    for (round, (lang, first, said)) in rounds.into_iter().enumerate() {
        let path = disk.path().join(format!("store{round}"));
        unclean_store_with_reserve(&path, 1_000);
        assert_reserve_made(&path);
        let filler = fill(disk.path());
        assert_eq!(free_space(disk.path()), Some(0), "the disk is full");
        let out = outside.path().join(format!("{round}.jsonl"));
        let check = || {
            let mut cmd = koppel(lang);
            cmd.arg("check").arg("--data").arg(&path);
            cmd
        };
        let export = || {
            let mut cmd = koppel(lang);
            cmd.arg("export")
                .arg("--data")
                .arg(&path)
                .arg("--output")
                .arg(&out);
            cmd
        };
        let (mut first_cmd, mut second_cmd) = if first == "check" {
            (check(), export())
        } else {
            (export(), check())
        };
        // The first command finds the disk too full to open the store, gives the reserve
        // back and says so: the disk is full, how much is free, make room before saving.
        let (ok, text) = stderr_of(&mut first_cmd);
        assert!(ok, "{first} on a full disk: {text}");
        assert!(text.contains(said), "{text}");
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(
            text.contains("MB is free now") || text.contains("MB vrij"),
            "{text}"
        );
        assert!(!reserve::path(&path).exists(), "the reserve was given back");
        // The second runs on what the reserve gave back.
        let (ok, text) = stderr_of(&mut second_cmd);
        assert!(ok, "the other command after it: {text}");
        // Both did their work: the check counted every volunteer, the export holds them all.
        let (_, text) = stderr_of(&mut check());
        assert!(
            text.contains("1000 volunteers") || text.contains("1000 vrijwilligers"),
            "{text}"
        );
        let exported = std::fs::read_to_string(&out).unwrap();
        let volunteers = exported
            .lines()
            .filter(|l| l.starts_with(r#"{"kind":"volunteer""#))
            .count();
        assert_eq!(volunteers, 1_000);
        std::fs::remove_file(filler).unwrap();
        std::fs::remove_dir_all(&path).unwrap();
    }
}

#[test]
fn the_reserve_is_set_aside_again_once_the_disk_has_room() {
    let Some(disk) = Tmpfs::mount("160m") else {
        return;
    };
    let path = disk.path().join("store");
    unclean_store_with_reserve(&path, 200);
    let filler = fill(disk.path());
    let (ok, text) = stderr_of(koppel("C.UTF-8").arg("check").arg("--data").arg(&path));
    assert!(ok && text.contains("reserve space"), "{text}");
    assert!(!reserve::path(&path).exists());
    // Still short of room: writing is refused as before, saying that reading may still
    // work, and no reserve is made.
    assert!(matches!(
        open(&path, Access::Write { needed: MIN_FREE }),
        Err(StoreError::DiskFull { .. })
    ));
    let tiny = tempfile::NamedTempFile::new().unwrap();
    for (lang, hint) in [
        ("C.UTF-8", "Reading may still work: try koppel export"),
        (
            "nl_NL.UTF-8",
            "Lezen lukt waarschijnlijk nog wel: probeer koppel export",
        ),
    ] {
        let (ok, text) = stderr_of(
            koppel(lang)
                .arg("import")
                .arg("--data")
                .arg(&path)
                .arg(tiny.path()),
        );
        assert!(!ok, "{text}");
        assert!(text.contains(hint), "{text}");
    }
    assert!(!reserve::path(&path).exists());
    // A check without a reserve says so, as a warning: the store is sound.
    let (ok, text) = stderr_of(koppel("C.UTF-8").arg("check").arg("--data").arg(&path));
    assert!(ok, "{text}");
    assert!(text.contains("Store is sound"), "{text}");
    assert!(
        text.contains("Warning: the store has no reserve space"),
        "{text}"
    );
    // Room again: the next open to save sets a new reserve aside, and check is quiet about it.
    std::fs::remove_file(filler).unwrap();
    drop(open(&path, Access::Write { needed: MIN_FREE }).expect("opens to write"));
    assert_reserve_made(&path);
    let (ok, text) = stderr_of(koppel("nl_NL.UTF-8").arg("check").arg("--data").arg(&path));
    assert!(ok, "{text}");
    assert!(!text.contains("reserveruimte"), "{text}");
}
