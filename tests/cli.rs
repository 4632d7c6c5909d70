//! The command line on the real binary: demo, export, import, check, exit codes and messages.

use assert_cmd::Command;
use koppel::store::Store;
use predicates::prelude::*;
use std::path::Path;

fn koppel() -> Command {
    let mut cmd = Command::cargo_bin("koppel").expect("the koppel binary is built by cargo test");
    cmd.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
    cmd
}

fn demo(dir: &Path, n: usize) {
    koppel()
        .args([
            "demo",
            "--no-tui",
            "--volunteers",
            &n.to_string(),
            "--seed",
            "7",
            "--data",
        ])
        .arg(dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("{n} volunteers")));
}

fn export(dir: &Path, file: &Path) {
    koppel()
        .arg("export")
        .arg("--data")
        .arg(dir)
        .arg("--output")
        .arg(file)
        .assert()
        .success();
}

#[test]
fn demo_export_import_export_gives_the_same_records() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let first = tmp.path().join("first.jsonl");
    let second = tmp.path().join("second.jsonl");
    demo(&a, 150);
    export(&a, &first);
    let text = std::fs::read_to_string(&first).unwrap();
    let volunteers = text
        .lines()
        .filter(|l| l.contains("\"kind\":\"volunteer\""))
        .count();
    assert_eq!(volunteers, 150);
    // Every line is a JSON object with kind and format.
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            v["kind"].is_string() && v["format"].is_u64() && v["id"].is_u64(),
            "{line}"
        );
    }
    koppel()
        .args(["import", "--data"])
        .arg(&b)
        .arg(&first)
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 150 volunteers"));
    export(&b, &second);
    // The same records, plus the audit event of the import itself.
    let again = std::fs::read_to_string(&second).unwrap();
    let (imports, rest): (Vec<&str>, Vec<&str>) = again
        .lines()
        .partition(|l| l.contains("\"kind\":\"audit\"") && l.contains("\"action\":\"import\""));
    assert_eq!(imports.len(), 1, "one audit event for the import");
    assert_eq!(rest, text.lines().collect::<Vec<_>>());
    koppel()
        .arg("check")
        .arg("--data")
        .arg(&b)
        .assert()
        .success();
    // The export is private to its owner.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&first).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn demo_data_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    demo(&a, 40);
    demo(&b, 40);
    let (fa, fb) = (tmp.path().join("a.jsonl"), tmp.path().join("b.jsonl"));
    export(&a, &fa);
    export(&b, &fb);
    let data = |f: &Path| -> Vec<serde_json::Value> {
        std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["kind"] == "volunteer")
            .map(|v| v["data"].clone())
            .collect()
    };
    assert_eq!(data(&fa), data(&fb));
}

#[test]
fn a_bad_line_imports_nothing_and_names_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let file = tmp.path().join("e.jsonl");
    demo(&a, 20);
    export(&a, &file);
    let mut lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // Line 5: a postcode that cannot be; line 9: truncated.
    lines[4] = lines[4].replacen("\"postcode\":\"", "\"postcode\":\"X", 1);
    let cut = lines[8].len() / 2;
    lines[8].truncate(cut);
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let fresh = tmp.path().join("fresh");
    koppel()
        .args(["import", "--data"])
        .arg(&fresh)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Nothing was imported"))
        .stderr(predicate::str::contains(
            "line 5: Postcode: write the postcode as 1234 AB",
        ))
        .stderr(predicate::str::contains(
            "line 9: this line is not a koppel record",
        ));
    // The same in Dutch.
    koppel()
        .args(["--lang", "nl", "import", "--data"])
        .arg(&fresh)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Er is niets geïmporteerd"))
        .stderr(predicate::str::contains(
            "regel 5: Postcode: schrijf de postcode als 1234 AB",
        ))
        .stderr(predicate::str::contains(
            "regel 9: deze regel is geen record van koppel",
        ));
    // Nothing was imported, and the store the import would have started is not left behind.
    assert!(!fresh.exists());
}

#[test]
fn a_foreign_file_is_refused_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("foreign.jsonl");
    std::fs::write(&file, "{\"name\":\"Piet\"}\nhello\n").unwrap();
    koppel()
        .args(["import", "--dry-run", "--data"])
        .arg(tmp.path().join("s"))
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 1: this line has no \"kind\" field",
        ))
        .stderr(predicate::str::contains(
            "line 2: this line is not a koppel record",
        ));
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let file = tmp.path().join("e.jsonl");
    demo(&a, 10);
    export(&a, &file);
    let b = tmp.path().join("b");
    koppel()
        .args(["import", "--dry-run", "--data"])
        .arg(&b)
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("would import 10 volunteers"));
    // Nothing was created at the path the dry run named.
    assert!(!b.exists());
    // Into the store that holds them already: every line is refused, nothing written.
    koppel()
        .args(["import", "--dry-run", "--data"])
        .arg(&a)
        .arg(&file)
        .assert()
        .code(1);
    let out = tmp.path().join("out.jsonl");
    export(&a, &out);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(&file).unwrap()
    );
}

#[test]
fn a_mistyped_store_path_is_refused_and_nothing_is_created() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = tmp.path().join("stroe");
    for args in [&["check"][..], &["export", "--output", "-"], &[]] {
        koppel()
            .args(args)
            .arg("--data")
            .arg(&typo)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("There is no koppel store at")
                    .and(predicate::str::contains("koppel init --data")),
            );
        assert!(!typo.exists(), "{args:?} created the store");
    }
    koppel()
        .arg("init")
        .arg("--data")
        .arg(&typo)
        .assert()
        .success()
        .stdout(predicate::str::contains("Created an empty store"));
    koppel()
        .args(["check", "--data"])
        .arg(&typo)
        .assert()
        .success();
}

#[test]
fn the_screens_refuse_an_output_that_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    demo(&store, 5);
    koppel()
        .arg("--data")
        .arg(&store)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("The screens need a terminal"));
}

#[test]
fn importing_twice_is_refused_in_one_sentence_with_the_count() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let file = tmp.path().join("e.jsonl");
    // More records than the line errors an import lists (50).
    demo(&a, 60);
    export(&a, &file);
    // Every record but the audit trail's (which an import appends) is already there.
    let records = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("\"kind\":\"audit\""))
        .count();
    assert!(records >= 60);
    for (lang, says) in [
        (
            "en",
            format!(
                "Nothing was imported: all {records} records in this file are already in this store"
            ),
        ),
        (
            "nl",
            format!(
                "Er is niets geïmporteerd: alle {records} records uit dit bestand staan al in deze opslag"
            ),
        ),
    ] {
        let out = koppel()
            .args(["--lang", lang, "import", "--data"])
            .arg(&a)
            .arg(&file)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(says.as_str()));
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn a_store_in_use_gets_a_clear_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let _held = Store::open(&dir).unwrap();
    koppel()
        .args(["check", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is in use by another koppel"))
        .stderr(predicate::str::contains("ssh"))
        .stderr(predicate::str::contains("panicked").not());
    koppel()
        .args(["--lang", "nl", "check", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("in gebruik"));
}

#[test]
fn check_reports_a_damaged_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    demo(&dir, 5);
    {
        let store = Store::open(&dir).unwrap();
        store
            .corrupt_for_tests(koppel::store::Kind::Volunteer, 3, b"KP\x00\x02garbage")
            .unwrap();
    }
    // sled lets go of its file lock from a background thread after the store is dropped:
    // wait until another process can open it (bounded; each try is a real open).
    let mut tries = 0;
    while koppel()
        .args(["check", "--data"])
        .arg(&dir)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).contains("in use"))
        .unwrap_or(false)
    {
        tries += 1;
        assert!(tries < 200, "the store stayed locked after it was closed");
        std::thread::yield_now();
    }
    koppel()
        .args(["check", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("volunteer 3 is damaged"));
    // Export refuses rather than writing a partial backup.
    koppel()
        .args(["export", "--data"])
        .arg(&dir)
        .args(["--output"])
        .arg(tmp.path().join("x.jsonl"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("damaged").and(predicate::str::contains("--skip-damaged")),
        );
    assert!(!tmp.path().join("x.jsonl").exists());
    // Asked to, it saves everything readable and lists what it left out.
    koppel()
        .args(["export", "--skip-damaged", "--data"])
        .arg(&dir)
        .args(["--output"])
        .arg(tmp.path().join("x.jsonl"))
        .assert()
        .success()
        .stdout(predicate::str::contains("4 volunteers"))
        .stderr(
            predicate::str::contains("could not be read and were left out")
                .and(predicate::str::contains("- volunteer 3:")),
        );
    let text = std::fs::read_to_string(tmp.path().join("x.jsonl")).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.contains("\"kind\":\"volunteer\""))
            .count(),
        4
    );
}

#[test]
fn demo_refuses_a_store_with_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    demo(&dir, 3);
    koppel()
        .args(["demo", "--no-tui", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already holds records"));
}

#[test]
fn usage_errors_exit_2_and_help_works_everywhere() {
    koppel().arg("--bogus").assert().code(2);
    koppel().args(["import"]).assert().code(2);
    koppel()
        .args(["--lang", "fr", "check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"fr\" is not a possible value for --lang <nl|en>.",
        ));
    for sub in [
        &[][..],
        &["demo"],
        &["export"],
        &["import"],
        &["check"],
        &["keys"],
    ] {
        koppel()
            .args(sub)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}

#[test]
fn a_missing_file_is_one_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    koppel()
        .args(["import", "--data"])
        .arg(tmp.path().join("s"))
        .arg(tmp.path().join("nope.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot be opened"));
}

/// Waits until another process can open the store at `dir` (sled releases its lock from a
/// background thread after the last handle is dropped).
fn wait_until_free(dir: &Path) {
    let mut tries = 0;
    while koppel()
        .args(["check", "--data"])
        .arg(dir)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).contains("in use"))
        .unwrap_or(false)
    {
        tries += 1;
        assert!(tries < 200, "the store stayed locked after it was closed");
        std::thread::yield_now();
    }
}

#[test]
fn check_reports_a_wrong_reference_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    demo(&dir, 3);
    {
        let store = Store::open(&dir).unwrap();
        // The reference index claims audit event 1 is about volunteer 2; it is not.
        let key = koppel::store::ref_key(2, koppel::store::Kind::Audit, 1);
        store.set_ref_for_tests(&key, true).unwrap();
    }
    wait_until_free(&dir);
    koppel()
        .args(["check", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the reference index says audit 1 is about volunteer 2",
        ));
}

#[test]
fn the_local_account_is_the_login_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    koppel()
        .env("USER", "baliemedewerker")
        .args(["demo", "--no-tui", "--volunteers", "2", "--data"])
        .arg(&dir)
        .assert()
        .success();
    let file = tmp.path().join("out.jsonl");
    // Someone else is refused: the store's first user made it, as its administrator.
    koppel()
        .env("USER", "iemand")
        .args(["export", "--output"])
        .arg(&file)
        .arg("--data")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "There is no staff account named iemand",
        ));
    koppel()
        .env("USER", "baliemedewerker")
        .args(["export", "--output"])
        .arg(&file)
        .arg("--data")
        .arg(&dir)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    let audit: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "audit")
        .collect();
    // One event for the local account, made on first use; one for the volunteers, one each
    // for the organisations, vacancies, contacts, placements (none with two people),
    // staff (two batches: the demo staff and the demo's extra consultants), knowledge notes,
    // signals, activities and the year's targets that go with them (too few people for a
    // trajectory).
    assert!((11..=12).contains(&audit.len()), "{}", audit.len());
    assert_eq!(audit[0]["data"]["action"], "staff_first_admin");
    assert_eq!(audit[0]["data"]["actor"], "baliemedewerker");
    assert_eq!(audit[1]["data"]["actor"], "baliemedewerker");
    assert_eq!(audit[0]["created"]["by"], "baliemedewerker");
    // Without USER, LOGNAME names the account.
    let other = tmp.path().join("t");
    koppel()
        .env_remove("USER")
        .env("LOGNAME", "coordinator1")
        .args(["demo", "--no-tui", "--volunteers", "1", "--data"])
        .arg(&other)
        .assert()
        .success();
    koppel()
        .env_remove("USER")
        .env("LOGNAME", "coordinator1")
        .args(["export", "--output"])
        .arg(&file)
        .arg("--data")
        .arg(&other)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"actor\":\"coordinator1\""), "{text}");
}

#[test]
fn keys_prints_the_effective_keymap_or_every_mistake_of_a_bad_one() {
    koppel()
        .args(["--keymap", "vim", "keys"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Keymap: vim"))
        .stdout(predicate::str::contains("<c-s>"))
        .stdout(predicate::str::contains("gg"));
    let tmp = tempfile::tempdir().unwrap();
    let km = tmp.path().join("my-keys.toml");
    std::fs::write(
        &km,
        "[[list]]\non = \"x\"\nrun = \"sav\"\n\n[[list]]\non = \"<cntrl-k>\"\nrun = \"up\"\n",
    )
    .unwrap();
    let out = koppel()
        .args(["--lang", "nl", "--keymap"])
        .arg(&km)
        .arg("keys")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("regel 3: onbekende actie \"sav\" (bedoel je \"save\"?)"),
        "{err}"
    );
    assert!(err.contains("regel 6: onbekende toetsnotatie"), "{err}");
}

/// The real binary with standard output sent to `/dev/full`.
fn koppel_to_full_disk(args: &[&str], data: &Path) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    std::process::Command::new(assert_cmd::cargo::cargo_bin("koppel"))
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .args(args)
        .arg("--data")
        .arg(data)
        .stdout(full)
        .output()
        .expect("koppel runs")
}

#[test]
fn a_full_standard_output_is_a_sentence_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    demo(&store, 20);
    for args in [&["check"][..], &["keys"], &["export", "--output", "-"]] {
        let out = koppel_to_full_disk(args, &store);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("the disk is full"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // An import says what it did on standard output too.
    let file = dir.path().join("all.jsonl");
    koppel()
        .args(["export", "--output"])
        .arg(&file)
        .arg("--data")
        .arg(&store)
        .assert()
        .success();
    let file = file.to_str().unwrap();
    let out = koppel_to_full_disk(&["import", file], &dir.path().join("copy"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "import: {err}");
    assert!(err.contains("the disk is full"), "import: {err}");
    assert!(!err.contains("panicked"), "import: {err}");
}

#[test]
fn export_to_a_full_device_names_it_and_leaves_it_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    demo(&store, 20);
    koppel()
        .args(["export", "--output", "/dev/full", "--data"])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("/dev/full").and(predicate::str::contains("the disk is full")),
        );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_shells_status() {
    use std::os::fd::FromRawFd;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    demo(&store, 20);
    // A pipe whose reader has gone, as in `koppel export -o - | head -0`.
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    unsafe { libc::close(fds[0]) };
    let writer = unsafe { std::fs::File::from_raw_fd(fds[1]) };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("koppel"))
        .env("LANG", "C.UTF-8")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .args(["export", "--output", "-", "--data"])
        .arg(&store)
        .stdout(writer)
        .output()
        .expect("koppel runs");
    assert_eq!(out.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_file_that_is_not_an_export_ends_in_a_refusal_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    demo(&store, 5);
    // Random bytes: many short bad lines; reading stops after the first problems.
    koppel()
        .args(["import", "--dry-run", "--data"])
        .arg(&store)
        .arg("/dev/urandom")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("… and more"));
    // One endless line: refused at the limit, not read into memory.
    koppel()
        .args(["import", "--dry-run", "--data"])
        .arg(&store)
        .arg("/dev/zero")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 1: this line is longer than 1 MB",
        ));
}

#[test]
fn a_config_or_keymap_that_is_not_a_small_text_file_is_refused_at_once() {
    koppel()
        .arg("keys")
        .env("KOPPEL_CONFIG", "/dev/zero")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("/dev/zero")
                .and(predicate::str::contains("not a regular file")),
        );
    koppel()
        .args(["keys", "--keymap", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    // A named pipe nobody writes to would block a reader for ever.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    koppel()
        .arg("keys")
        .env("KOPPEL_CONFIG", &fifo)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    koppel()
        .args(["keys", "--keymap"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn a_backup_restores_into_a_new_store_and_never_over_an_old_one() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    demo(&store, 12);
    koppel()
        .args(["backup", "--data"])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains("Backup written:"));
    let backups: Vec<_> = std::fs::read_dir(store.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    let mode = std::fs::metadata(&backups[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let copy = tmp.path().join("copy");
    koppel()
        .arg("restore")
        .arg(&backups[0])
        .arg("--data")
        .arg(&copy)
        .assert()
        .success()
        .stdout(predicate::str::contains("12 volunteers"));
    koppel()
        .arg("restore")
        .arg(&backups[0])
        .arg("--data")
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already holds a store"));
    // A file with a bad line restores nothing and leaves nothing behind.
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, "hello\n").unwrap();
    let target = tmp.path().join("again");
    koppel()
        .arg("restore")
        .arg(&bad)
        .arg("--data")
        .arg(&target)
        .assert()
        .code(1);
    assert!(!target.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".koppel-restore-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_store_path_that_cannot_be_a_folder_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    for path in [file.clone(), file.join("store")] {
        koppel()
            .args(["init", "--data"])
            .arg(&path)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(path.display().to_string()));
    }
}

#[test]
fn export_to_standard_output_imports_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    demo(&a, 7);
    let out = koppel()
        .args(["export", "--output", "-", "--data"])
        .arg(&a)
        .output()
        .unwrap();
    assert!(out.status.success());
    let b = tmp.path().join("b");
    koppel()
        .args(["import", "-", "--data"])
        .arg(&b)
        .write_stdin(out.stdout)
        .assert()
        .success()
        .stdout(predicate::str::contains("7 volunteers"));
}

/// `koppel --help` and argument errors follow the language setting: --lang, else LANG.
#[test]
fn help_and_argument_errors_follow_the_language() {
    koppel()
        .args(["--lang", "nl", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Gebruik:"))
        .stdout(predicate::str::contains(
            "Een export in JSON Lines teruglezen: alles of niets",
        ))
        .stdout(predicate::str::contains("Deze hulp tonen"));
    koppel()
        .env("LANG", "nl_NL.UTF-8")
        .args(["import", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Het bestand om te lezen"));
    koppel()
        .env("LANG", "C.UTF-8")
        .args(["import", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("The file to read"));
    koppel()
        .env("LANG", "nl_NL.UTF-8")
        .args(["--frob"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "koppel kent de optie --frob niet.",
        ));
    koppel()
        .args(["--lang", "en", "export"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Something is missing: --output <FILE>.",
        ));
}

#[test]
fn organisations_come_in_from_a_dutch_spreadsheet_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let good = tmp.path().join("organisaties.csv");
    std::fs::write(
        &good,
        "\u{feff}Naam;Soort;Gemeente;Gratis VOG\r\nStichting De Linde;zorginstelling;Dordrecht;ja\r\nVV Gorinchem;sportclub;gorinchem;nee\r\n",
    )
    .unwrap();
    let bad = tmp.path().join("met-bsn.csv");
    std::fs::write(
        &bad,
        "Naam;Gemeente;BSN\nStichting De Linde;Dordrecht;111222333\n",
    )
    .unwrap();
    // A mistyped file name, and a refused file, into a store that did not exist yet: both
    // fail and leave no new, empty store behind.
    koppel()
        .args(["import", "--csv", "organisations", "--data"])
        .arg(&dir)
        .arg(tmp.path().join("organsaties.csv"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("organsaties.csv"));
    assert!(!dir.exists(), "a mistyped file name created a store");
    koppel()
        .args(["import", "--csv", "organisations", "--data"])
        .arg(&dir)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("citizen service numbers (BSN)"));
    assert!(!dir.exists(), "a refused import left a new store behind");
    koppel()
        .args(["import", "--csv", "organisations", "--data"])
        .arg(&dir)
        .arg(&good)
        .assert()
        .success()
        .stdout(predicates::str::contains("Imported 2 organisations"));
    let file = tmp.path().join("out.jsonl");
    export(&dir, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("\"kind\":\"organisation\"").count(), 2);
    assert!(text.contains("\"municipality\":\"Gorinchem\""));
}

/// An export or backup killed half-way leaves its temporary file (it may hold personal data):
/// `koppel check` lists the ones koppel made beside the store, in it and in its backups
/// folder, in the user's language, and leaves other files alone.
#[test]
fn check_lists_temporary_files_a_killed_koppel_left() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir, 10);
    let left = [
        tmp.path().join(".koppel-x1Yz9Q.tmp"),
        dir.join(".watermark-Ab12Cd"),
        dir.join("backups").join(".koppel-Qq77Rr.tmp"),
    ];
    std::fs::create_dir_all(dir.join("backups")).unwrap();
    for path in &left {
        std::fs::write(path, "{\"kind\":\"volunteer\"}").unwrap();
    }
    std::fs::write(tmp.path().join("notes.tmp"), "mine").unwrap();
    let out = koppel()
        .arg("check")
        .arg("--data")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("Store is sound"))
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Temporary files left by a koppel"), "{text}");
    for path in &left {
        assert!(text.contains(&path.display().to_string()), "{text}");
    }
    assert!(!text.contains("notes.tmp"), "{text}");
    let nl = koppel()
        .env("LANG", "nl_NL.UTF-8")
        .arg("check")
        .arg("--data")
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(nl)
            .unwrap()
            .contains("Tijdelijke bestanden")
    );
}

#[test]
fn a_refused_or_mistyped_import_into_a_new_path_leaves_no_store_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nieuw");
    let bad = tmp.path().join("kapot.jsonl");
    std::fs::write(&bad, "{\"bad\":1}\n").unwrap();
    koppel()
        .args(["import", "--data"])
        .arg(&dir)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("line 1"));
    assert!(!dir.exists(), "a refused import left a new store behind");
    koppel()
        .args(["import", "--data"])
        .arg(&dir)
        .arg(tmp.path().join("expotr.jsonl"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("expotr.jsonl"));
    assert!(!dir.exists(), "a mistyped file name created a store");
}

/// `koppel audit verify` says a demo store's trail is sound; after an entry was changed on
/// disk it names the entry and exits 1, in both languages, and `koppel check` reports it too.
#[test]
fn audit_verify_names_a_changed_entry() {
    use koppel::domain::audit::AuditEvent;
    use koppel::store::{Kind, Store, envelope};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    demo(&dir, 20);
    koppel()
        .args(["audit", "verify", "--data"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("The audit log is sound"));
    {
        let store = Store::open(&dir).unwrap();
        let e = store.get::<AuditEvent>(2).unwrap().unwrap();
        let mut data = e.data.clone();
        data.detail.push_str(" (and nothing else)");
        let bytes = envelope::seal(&e.meta, &data).unwrap();
        store.put_raw_for_tests(Kind::Audit, 2, &bytes).unwrap();
        store.close().unwrap();
    }
    koppel()
        .args(["audit", "verify", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Audit entry 2 was changed"));
    koppel()
        .args(["--lang", "nl", "audit", "verify", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Logboekregel 2 is na het schrijven veranderd",
        ));
    koppel()
        .args(["check", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Audit entry 2 was changed"));
}

#[test]
fn a_bad_configuration_file_is_told_in_the_readers_language_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "[retention]\npeople_years = 0\n",
            "nl_NL.UTF-8",
            &[
                "klopt niet: [retention] people_years = 0 is geen bewaartermijn",
                "van 1 tot en met 99",
            ],
            &["is not a retention period"],
        ),
        (
            "[retention]\npeople_years = 0\n",
            "C.UTF-8",
            &[
                "[retention] people_years = 0 is not a retention period; give a number of years from 1 to 99",
            ],
            &["bewaartermijn"],
        ),
        (
            "[retention]\npeople = 2\n",
            "nl_NL.UTF-8",
            &[
                "regel 2: koppel kent de sleutel people niet; hier kent het people_years, trajectories_years, contacts_years",
            ],
            &["unknown field", "expected"],
        ),
        (
            "[retention]\npeople = 2\n",
            "C.UTF-8",
            &["line 2: koppel does not know the key people; here it knows people_years"],
            &["unknown field"],
        ),
        (
            "[retention]\n\ncontacts_years = \"5\"\n",
            "nl_NL.UTF-8",
            &["regel 3: contacts_years moet een heel getal zijn"],
            &["invalid type", "whole number"],
        ),
        (
            "backups_kept = 70000\n",
            "nl_NL.UTF-8",
            &["regel 1: backups_kept moet een heel getal van 0 tot en met 65.535 zijn"],
            &["invalid value"],
        ),
        (
            "backups_kept = 70000\n",
            "C.UTF-8",
            &["line 1: backups_kept takes a whole number from 0 to 65,535"],
            &["invalid value"],
        ),
        (
            "language = \"nl\"\nkeymap \"vim\"\n",
            "nl_NL.UTF-8",
            &["regel 2: koppel kan dit niet lezen; schrijf elke instelling als sleutel = waarde"],
            &["expected"],
        ),
        (
            "retention_years = 3\n[retention]\npeople_years = 2\n",
            "nl_NL.UTF-8",
            &["retention_years is de oude naam van people_years"],
            &["keep only"],
        ),
    ];
    for (i, (text, lang, says, not)) in cases.iter().enumerate() {
        let path = tmp.path().join(format!("config-{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = koppel()
            .arg("keys")
            .env("LANG", lang)
            .env("KOPPEL_CONFIG", &path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        for s in *says {
            assert!(err.contains(s), "{lang} {text:?}: {err}");
        }
        for s in *not {
            assert!(!err.contains(s), "{lang} {text:?}: {err}");
        }
    }
}

#[test]
fn check_warns_about_a_store_without_reserve_space_and_still_calls_it_sound() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    demo(&store, 20);
    // A command that saves set the reserve aside: check is quiet about it.
    assert!(store.join("reserve").is_file());
    koppel()
        .arg("check")
        .arg("--data")
        .arg(&store)
        .assert()
        .success()
        .stderr(predicate::str::contains("reserve").not());
    // Without it (a store of an older koppel, or one whose reserve was given back): a
    // warning, not a problem.
    std::fs::remove_file(store.join("reserve")).unwrap();
    for (lang, warning) in [
        ("C.UTF-8", "Warning: the store has no reserve space"),
        ("nl_NL.UTF-8", "Let op: de opslag heeft geen reserveruimte"),
    ] {
        koppel()
            .env("LANG", lang)
            .arg("check")
            .arg("--data")
            .arg(&store)
            .assert()
            .success()
            .stderr(predicate::str::contains(warning));
    }
}
