//! `koppel privacy erase` and `koppel compact` on the real binary: after an erasure nothing
//! that identifies the person is left in any file of the store, in the export or in the audit
//! trail, the trail verifies, nobody else changes, and only administrators may.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn koppel(user: &str) -> Command {
    let mut cmd = Command::cargo_bin("koppel").expect("the koppel binary is built by cargo test");
    cmd.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("USER", user)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
    cmd
}

const ADMIN: &str = "beheerder";

fn demo(dir: &Path) {
    koppel(ADMIN)
        .args([
            "demo",
            "--no-tui",
            "--volunteers",
            "150",
            "--seed",
            "7",
            "--data",
        ])
        .arg(dir)
        .assert()
        .success();
}

fn export(dir: &Path) -> Vec<Value> {
    let out = koppel(ADMIN)
        .args(["export", "--output", "-", "--data"])
        .arg(dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn export_text(dir: &Path) -> String {
    export(dir)
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A person with a trajectory and a placement, and their export line.
fn busy_person(lines: &[Value]) -> (u64, Value) {
    let about = |kind: &str, field: &str| -> Vec<u64> {
        lines
            .iter()
            .filter(|l| l["kind"] == kind)
            .filter_map(|l| l["data"][field].as_u64())
            .collect()
    };
    let placed = about("placement", "volunteer");
    let id = about("trajectory", "person")
        .into_iter()
        .find(|p| placed.contains(p))
        .expect("a demo person with a trajectory and a placement");
    (id, volunteer(lines, id))
}

fn volunteer(lines: &[Value], id: u64) -> Value {
    lines
        .iter()
        .find(|l| l["kind"] == "volunteer" && l["id"] == id)
        .cloned()
        .expect("the person's line")
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn find_in(files: &[(PathBuf, Vec<u8>)], needle: &str) -> Option<PathBuf> {
    files
        .iter()
        .find(|(_, b)| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p.clone())
}

/// How the store and the export hold what identifies the person: the name as the name index
/// folds it, the family name, the birth date (as the duplicate index and the export write
/// it), phone, e-mail and address.
fn identifying(v: &Value) -> Vec<String> {
    let d = &v["data"];
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    let name = &d["name"];
    let part = |k: &str| name[k].as_str().unwrap_or_default().to_string();
    let full: Vec<String> = [part("given"), part("prefix"), part("family")]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let folded = full.join(" ").to_lowercase();
    let mut out = vec![
        format!("{folded}|{}", s("birth_date")),
        part("family"),
        s("birth_date"),
        s("address"),
    ];
    out.extend(
        [s("phone"), s("email")]
            .into_iter()
            .filter(|x| !x.is_empty()),
    );
    out
}

#[test]
fn after_erase_nothing_identifies_the_person_anywhere_and_the_trail_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let before = export(&dir);
    let (person, line) = busy_person(&before);
    let needles = identifying(&line);
    let other_id = if person == 1 { 2 } else { 1 };
    let other = volunteer(&before, other_id);
    // The test can fail: the store's files hold every one of them now.
    let raw = files(&dir);
    for n in &needles {
        assert!(
            find_in(&raw, n).is_some(),
            "{n} is in the store's files before"
        );
    }

    koppel(ADMIN)
        .args(["privacy", "erase", "--person", &person.to_string()])
        .args(["--reason", "Verzoek van betrokkene (AVG art. 17)", "--data"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Person {person} is erased"
        )))
        .stdout(predicate::str::contains("The store is compacted"));

    let raw = files(&dir);
    for n in &needles {
        assert_eq!(find_in(&raw, n), None, "{n} is still in the store's files");
    }
    let text = export_text(&dir);
    for n in &needles {
        assert!(!text.contains(n.as_str()), "{n} is still in the export");
    }
    let after = export(&dir);
    // Kept for the counts, marked anonymised; the other person is as they were.
    let stub = volunteer(&after, person);
    assert!(stub["data"]["anonymised"].is_string());
    assert_eq!(stub["data"]["municipality"], line["data"]["municipality"]);
    assert_eq!(volunteer(&after, other_id), other);
    // The erasure is in the trail with who and why; the chain verifies; the store checks.
    let erased = after
        .iter()
        .rev()
        .find(|l| l["kind"] == "audit" && l["data"]["action"] == "erase_person")
        .expect("the erasure's audit entry");
    assert_eq!(erased["data"]["actor"], ADMIN);
    assert_eq!(
        erased["data"]["detail"],
        "Verzoek van betrokkene (AVG art. 17)"
    );
    assert_eq!(erased["data"]["person"], Value::Null);
    koppel(ADMIN)
        .args(["audit", "verify", "--data"])
        .arg(&dir)
        .assert()
        .success();
    koppel(ADMIN)
        .args(["check", "--data"])
        .arg(&dir)
        .assert()
        .success();
}

#[test]
fn a_wrong_person_or_a_role_that_may_not_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let before = export_text(&dir);
    koppel(ADMIN)
        .args([
            "privacy", "erase", "--person", "999999", "--reason", "x", "--data",
        ])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "There is no person with number 999999; nothing was changed.",
        ));
    // A coordinator of the demo staff may not.
    koppel("ingrid")
        .args([
            "privacy", "erase", "--person", "1", "--reason", "x", "--data",
        ])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not allowed"));
    koppel("ingrid")
        .args(["compact", "--data"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not allowed"));
    // No reason, no erasure.
    koppel(ADMIN)
        .args([
            "privacy", "erase", "--person", "1", "--reason", " ", "--data",
        ])
        .arg(&dir)
        .assert()
        .code(1);
    assert_eq!(export_text(&dir), before);
}

#[test]
fn compact_keeps_every_record_and_the_backups() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    koppel(ADMIN)
        .args(["backup", "--data"])
        .arg(&dir)
        .assert()
        .success();
    let before: Vec<Value> = export(&dir)
        .into_iter()
        .filter(|l| l["kind"] != "audit")
        .collect();
    koppel(ADMIN)
        .args(["compact", "--data"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("The store is compacted"));
    let after: Vec<Value> = export(&dir)
        .into_iter()
        .filter(|l| l["kind"] != "audit")
        .collect();
    assert_eq!(after, before);
    assert_eq!(std::fs::read_dir(dir.join("backups")).unwrap().count(), 1);
    // Nothing is left beside the store.
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["store"]);
}
