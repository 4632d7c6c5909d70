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
    let after = tmp.path().join("after.jsonl");
    export(&fresh, &after);
    assert_eq!(std::fs::read_to_string(&after).unwrap(), "");
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
    let out = tmp.path().join("out.jsonl");
    export(&b, &out);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "");
}

#[test]
fn importing_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let file = tmp.path().join("e.jsonl");
    demo(&a, 5);
    export(&a, &file);
    koppel()
        .args(["import", "--data"])
        .arg(&a)
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "volunteer 1 is already in this store",
        ));
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
        .stderr(predicate::str::contains("damaged"));
    assert!(!tmp.path().join("x.jsonl").exists());
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
        .stderr(predicate::str::contains("nl or en"));
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
    export(&dir, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let audit: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "audit")
        .collect();
    // One event for the volunteers, one each for the organisations, vacancies, contacts and
    // placements that go with them (none with two people).
    assert!((4..=5).contains(&audit.len()), "{}", audit.len());
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
    export(&other, &file);
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
    koppel()
        .args(["import", "--csv", "organisations", "--data"])
        .arg(&dir)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("citizen service numbers (BSN)"));
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
