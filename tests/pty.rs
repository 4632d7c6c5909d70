//! End-to-end: the real binary in a pseudo-terminal, read back through a vt100 parser (the
//! harness in `support/pty.rs`, shared with the benchmarks). Every wait polls the parsed
//! screen until it shows what we expect, with a generous deadline; nothing sleeps a fixed
//! time.

#[path = "support/pty.rs"]
mod harness;

use harness::Pty;
use std::path::Path;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_koppel")
}

fn demo_store(dir: &Path, n: usize) {
    let out = std::process::Command::new(bin())
        .args(["demo", "--no-tui", "--volunteers", &n.to_string(), "--data"])
        .arg(dir)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn open(dir: &Path, lang: &str, cols: u16, rows: u16) -> Pty {
    let data = dir.to_str().unwrap();
    let mut p = Pty::spawn(bin(), &["--data", data], &[("LANG", lang)], cols, rows);
    p.wait_text("5 Verankeren");
    p
}

#[test]
fn register_an_intake_with_keys_only_and_find_it_in_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 50);
    let mut p = open(&dir, "C.UTF-8", 100, 30);
    p.send("i");
    p.wait_text("New intake");
    // Given name, prefix, family name, birth date, address, postcode, municipality, phone.
    for (value, _) in [
        ("Fatima", 0),
        ("el", 1),
        ("Amrani", 2),
        ("14-02-1988", 3),
        ("Spuiboulevard 1", 4),
        ("3311 gr", 5),
        ("Dordrecht", 6),
        ("06 1234 5678", 7),
    ] {
        p.send(value);
        p.send("\t");
    }
    // Bad postcode first? No: this one is good. Tab on to consent and tick it.
    p.send("\x13"); // Ctrl+S: consent missing
    p.wait_text("must consent");
    // The form moved focus to the first bad field (consent); Space ticks it.
    p.send(" ");
    p.send("\x13");
    p.wait_text("Saved: Fatima el Amrani");
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let out = std::process::Command::new(bin())
        .args(["export", "--output", "-", "--data"])
        .arg(&dir)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"Amrani\""))
        .expect("the new intake is exported");
    assert!(line.contains("\"postcode\":\"3311 GR\""), "{line}");
    assert!(line.contains("\"phone\":\"0612345678\""), "{line}");
}

#[test]
fn field_errors_for_a_bad_postcode_and_missing_consent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 5);
    let mut p = open(&dir, "nl_NL.UTF-8", 80, 24);
    p.send("i");
    p.wait_text("Nieuwe intake");
    p.send("Piet\t\tJansen\t01-02-1960\tKerkstraat 3\t33 AB\t");
    p.wait_text("schrijf de postcode als 1234 AB");
    p.send("\x13");
    // Every bad field counts at once in the message line, consent among them (postcode,
    // municipality, phone or e-mail, consent).
    p.wait_text("4 velden kloppen nog niet, te beginnen met Postcode.");
}

#[test]
fn search_a_demo_person_by_a_fragment_of_the_family_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 300);
    let mut p = open(&dir, "C.UTF-8", 100, 30);
    // The first row's family name, as shown.
    let screen = p.wait_text("300 of 300");
    let row = screen
        .lines()
        .find(|l| l.starts_with("▶ "))
        .expect("a selected row")
        .trim_start_matches("▶ ")
        .to_string();
    let family: String = row.split(',').next().unwrap().trim().to_string();
    // Search from the end of the list with a fragment.
    p.send("/");
    let fragment: String = family.chars().skip(1).take(4).collect();
    p.send(&fragment);
    p.wait_for("the search narrows", |s| {
        !s.contains("300 of 300") && s.contains(&family)
    });
    p.send("\r");
    // Only the detail view shows the age beside the birth date.
    p.wait_for("the person's detail view", |s| {
        s.contains(&family) && s.contains(" years)")
    });
}

#[test]
fn quit_with_q_restores_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 3);
    let mut p = open(&dir, "C.UTF-8", 80, 24);
    assert!(p.screen().alternate_screen());
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    assert!(
        !p.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert!(!p.screen().hide_cursor(), "cursor left hidden");
    // Opening the screens wrote the day's backup (finished before the program ended).
    let backups = std::fs::read_dir(dir.join("backups"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(backups, 1, "no backup written");
}

#[test]
fn a_broken_keymap_is_an_error_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let km = tmp.path().join("my-keys.toml");
    std::fs::write(
        &km,
        "[[list]]\non = \"<down>\"\nrun = \"down\"\n\n[[list]]\non = \"x\"\nrun = \"sav\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin())
        .args(["--keymap", km.to_str().unwrap(), "--data"])
        .arg(tmp.path().join("s"))
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("my-keys.toml"), "{err}");
    assert!(err.contains("line 7"), "{err}");
    assert!(err.contains("sav"), "{err}");
}

#[test]
fn resize_to_40x10_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 10);
    let mut p = open(&dir, "C.UTF-8", 80, 24);
    p.resize(40, 10);
    p.wait_text("Enlarge the window");
    p.resize(100, 30);
    p.wait_for("the screens again", |s| {
        s.contains("5 Verankeren") && !s.contains("Enlarge")
    });
    let _ = p.contents();
}

#[test]
fn a_store_in_use_is_a_sentence_after_the_terminal_is_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 3);
    let _held = koppel::store::Store::open(&dir).unwrap();
    let mut p = Pty::spawn(bin(), &["--data", dir.to_str().unwrap()], &[], 80, 24);
    assert_eq!(p.wait_exit(), 1);
    let text = p.contents();
    assert!(text.contains("is in use by another koppel"), "{text}");
    assert!(!p.screen().alternate_screen());
}

/// A store whose file was damaged (bytes overwritten near its end, where the last writes
/// are) never opens as an emptier store in the screens: the terminal is restored, a sentence
/// says what happened and what to do, and the exit status is 1.
#[test]
fn a_damaged_store_is_a_sentence_not_empty_screens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 30);
    {
        use std::io::{Read, Seek, SeekFrom, Write};
        let mut db = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(dir.join("db"))
            .unwrap();
        let len = db.metadata().unwrap().len();
        let at = len.saturating_sub(3000);
        let mut bytes = vec![0; 64];
        db.seek(SeekFrom::Start(at)).unwrap();
        db.read_exact(&mut bytes).unwrap();
        for b in &mut bytes {
            *b ^= 0x5a;
        }
        db.seek(SeekFrom::Start(at)).unwrap();
        db.write_all(&bytes).unwrap();
    }
    let mut p = Pty::spawn(bin(), &["--data", dir.to_str().unwrap()], &[], 80, 24);
    assert_eq!(p.wait_exit(), 1);
    let text = p.contents();
    assert!(text.contains("is damaged"), "{text}");
    assert!(text.contains("koppel restore"), "{text}");
    assert!(!p.screen().alternate_screen());
}

fn export_lines(dir: &Path) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(bin())
        .args(["export", "--output", "-", "--data"])
        .arg(dir)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn match_a_person_to_a_vacancy_with_keys_only_and_find_the_placement_in_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 200);
    let placements = |lines: &[serde_json::Value]| {
        lines
            .iter()
            .filter(|l| l["kind"] == "placement")
            .cloned()
            .collect::<Vec<_>>()
    };
    let before = placements(&export_lines(&dir));
    let mut p = open(&dir, "C.UTF-8", 100, 30);
    // The first person of the list, then m: the open vacancies ranked for them.
    p.wait_text("200 of 200");
    p.send("\r");
    p.wait_text("m match");
    p.send("m");
    p.wait_text("best fit first");
    p.send("\r");
    let screen = p.wait_text("Proposed: ");
    let said = screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("✓ Proposed: "))
        .expect("the message line")
        .to_string();
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let after = placements(&export_lines(&dir));
    assert_eq!(after.len(), before.len() + 1);
    let new = after
        .iter()
        .max_by_key(|l| l["id"].as_u64())
        .expect("a placement");
    assert_eq!(new["data"]["status"], "proposed");
    let name = new["data"]["volunteer_name"].as_str().unwrap();
    let title = new["data"]["vacancy_title"].as_str().unwrap();
    assert_eq!(said, format!("{name} for {title}."));
}

#[test]
fn log_an_activity_with_keys_only_and_find_it_in_the_list_and_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 50);
    let mut p = open(&dir, "nl_NL.UTF-8", 100, 30);
    // 4 Verbreiden opens on Activiteiten; n records one (dated today).
    p.send("4");
    p.wait_text("f soort: alle");
    p.send("n");
    p.wait_text("Nieuwe activiteit");
    p.send("\t");
    p.send("Koffieochtend nieuwe vrijwilligers");
    p.send("\t\t\t"); // kind, basic function, organisations
    p.send("Stichting De Linde");
    p.send("\t");
    p.send("23");
    p.send("\t ");
    p.send("\x13");
    p.wait_text("Opgeslagen: Koffieochtend nieuwe vrijwilligers");
    p.send("\x1b");
    p.wait_for("the activity in the list", |s| {
        s.lines()
            .any(|l| l.contains("Koffieochtend nieuwe") && l.contains("gehouden"))
    });
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let out = std::process::Command::new(bin())
        .args(["export", "--output", "-", "--data"])
        .arg(&dir)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("Koffieochtend nieuwe vrijwilligers"))
        .expect("the activity is exported");
    assert!(line.contains("\"kind\":\"activity\""), "{line}");
    assert!(line.contains("\"participants\":23"), "{line}");
    assert!(line.contains("\"held\":true"), "{line}");
    assert!(
        line.contains("\"organisations\":[\"Stichting De Linde\"]"),
        "{line}"
    );
}

/// Every file under `dir`, with its bytes.
fn raw_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(raw_files(&p));
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

#[test]
fn a_person_erased_on_the_screens_leaves_the_files_when_koppel_closes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 40);
    let before = export_lines(&dir);
    let mut p = open(&dir, "C.UTF-8", 100, 30);
    // The first person of the list: their detail, erase, yes, the reason, save.
    p.wait_text("40 of 40");
    p.send("\r");
    p.wait_text("Date of birth");
    p.send("X");
    p.wait_text("Kept for the reports");
    p.send("y");
    p.wait_text("Reason");
    p.send("\t");
    p.send("Request of the person");
    p.send("\x13");
    p.wait_text("Done:");
    p.send("\x1b");
    p.wait_text("f status");
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    assert!(
        p.contents().contains("The store is compacted in"),
        "{}",
        p.contents()
    );
    // Who it was, from the export before: now anonymised in the store.
    let erased: Vec<u64> = export_lines(&dir)
        .iter()
        .filter(|l| l["kind"] == "volunteer" && l["data"]["anonymised"].is_string())
        .filter_map(|l| l["id"].as_u64())
        .collect();
    assert_eq!(erased.len(), 1, "{erased:?}");
    let line = before
        .iter()
        .find(|l| l["kind"] == "volunteer" && l["id"] == erased[0])
        .unwrap();
    let needles: Vec<String> = ["address", "phone", "email"]
        .iter()
        .filter_map(|k| line["data"][k].as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    assert!(!needles.is_empty());
    let files: Vec<_> = raw_files(&dir)
        .into_iter()
        // The backup written at start keeps them until it expires (README).
        .filter(|(p, _)| !p.starts_with(dir.join("backups")))
        .collect();
    for n in &needles {
        let holder = files
            .iter()
            .find(|(_, b)| memchr::memmem::find(b, n.as_bytes()).is_some())
            .map(|(p, _)| p);
        assert_eq!(holder, None, "{n} is still in the store's files");
    }
}
