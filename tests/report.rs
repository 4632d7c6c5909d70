//! The periodic summary: golden files of all three formats on a fixed demo store with a fixed
//! clock (the library and the command line give the same bytes), counts recomputed
//! independently from `koppel export`, and the command line's answers to bad input.
//!
//! Regenerate the golden files after an intended change with
//! `KOPPEL_UPDATE_GOLDEN=1 cargo test --test report` and read the difference.

use assert_cmd::Command;
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::domain::period::Period;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::report::render::{CsvOptions, Format, render};
use koppel::report::{Absence, Body, Report, SectionId};
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::macros::datetime;

/// A store of 400 demo volunteers (seed 11) made on Friday 27 November 2026.
fn demo_store(dir: &Path) -> PathBuf {
    let path = dir.join("store");
    let store = Store::open(&path).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let service = Service::new(store.clone(), clock, Config::default());
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    service.ensure_local_account(&admin).unwrap();
    koppel::demo::fill(&service, &admin, 400, 11).unwrap();
    service.close().unwrap();
    drop(service);
    drop(store);
    path
}

fn report_of(path: &Path, period: Period) -> Report {
    let store = open_again(path);
    let model = SharedModel::load_now(&store);
    let report = Report::compute(&model.read(), period);
    model.shutdown();
    store.close().unwrap();
    report
}

/// Opens the store again, waiting (bounded) while sled still holds the lock of a dropped
/// handle.
fn open_again(path: &Path) -> Store {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Ok(s) => return s,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::yield_now();
            }
            Err(e) => panic!("store does not open again: {e}"),
        }
    }
}

fn golden(name: &str, bytes: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("KOPPEL_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with KOPPEL_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if want != bytes {
        panic!(
            "{name} differs from the golden file:\n--- want\n{}\n--- got\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(bytes)
        );
    }
}

fn koppel(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("koppel").unwrap();
    // Ingrid is the demo's coordinator: reports are for coordinators and administrators.
    cmd.env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .env("LANG", "C.UTF-8")
        .env("USER", "ingrid")
        .arg("--data")
        .arg(data);
    cmd
}

#[test]
fn golden_files_of_every_format_and_the_command_line_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let week = Period::parse_week("2026-W48").unwrap();
    let report = report_of(&store, week);
    let excel = CsvOptions {
        separator: b';',
        bom: true,
    };
    let md_nl = render(&report, Format::Markdown, Lang::Nl, CsvOptions::default());
    let md_en = render(&report, Format::Markdown, Lang::En, CsvOptions::default());
    let csv_nl = render(&report, Format::Csv, Lang::Nl, excel);
    let json_en = render(&report, Format::Json, Lang::En, CsvOptions::default());
    golden("weekly-2026-W48.nl.md", &md_nl);
    golden("weekly-2026-W48.en.md", &md_en);
    golden("weekly-2026-W48.nl.csv", &csv_nl);
    golden("weekly-2026-W48.en.json", &json_en);
    // Counted again: the same bytes.
    assert_eq!(
        render(
            &report_of(&store, week),
            Format::Json,
            Lang::En,
            CsvOptions::default()
        ),
        json_en
    );

    // The command line: on Monday 30 November the last completed week is week 48.
    let out = koppel(&store)
        .args(["--lang", "en", "report", "weekly", "--format", "json"])
        .args(["--today", "2026-11-30"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, json_en);
    let out = koppel(&store)
        .args(["--lang", "nl", "report", "weekly", "--week", "2026-W48"])
        .args(["--format", "csv", "--csv-separator", ";", "--bom"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, csv_nl);

    // A file: written whole, private.
    let file = dir.path().join("week.md");
    koppel(&store)
        .args([
            "--lang", "nl", "report", "weekly", "--week", "2026-W48", "-o",
        ])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read(&file).unwrap(), md_nl);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // The JSON's documented keys.
    let v: serde_json::Value = serde_json::from_slice(&json_en).unwrap();
    assert_eq!(v["period"]["from"], "2026-11-23");
    assert_eq!(v["period"]["to"], "2026-11-29");
    assert_eq!(v["period"]["label"], "2026-W48");
    assert!(v["intakes"]["new"].is_u64());
    assert!(v["placements"]["started"].is_u64());
    assert!(v["contacts"]["logged"].is_u64());
    for key in ["started", "closed", "active", "meetings", "overdue"] {
        assert!(v["trajectories"][key].is_u64(), "trajectories.{key}");
    }
    assert!(v["trajectories"]["year_to_date"]["started"].is_u64());
    assert!(v["trajectories"]["closed_by_outcome"].is_object());
    assert!(v["trajectories"]["active_by_consultant"].is_object());
    assert_eq!(v["trajectories"]["recorded"], true);
    assert!(v["mas"]["hours"].is_u64());
    // The trajectories' figures in words a reader of the mail understands.
    let md = String::from_utf8(md_en).unwrap();
    assert!(md.contains("## Trajectories"));
    assert!(md.contains("Progress meetings held"));
    assert!(md.contains("Caseload per consultant"));
    let md = String::from_utf8(md_nl).unwrap();
    assert!(md.contains("Voortgangsgesprekken gehouden"));
    assert!(md.contains("Afgesloten, per uitkomst"));
}

#[test]
fn counts_agree_with_an_independent_count_of_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let out = koppel(&store)
        .args(["export", "--output", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &'static str| lines.iter().filter(move |l| l["kind"] == kind);
    for (args, from, to) in [
        (
            vec!["weekly", "--week", "2026-W48"],
            "2026-11-23",
            "2026-11-29",
        ),
        (
            vec!["period", "--month", "2026-10"],
            "2026-10-01",
            "2026-10-31",
        ),
        (
            vec!["period", "--from", "2026-06-15", "--to", "2026-09-03"],
            "2026-06-15",
            "2026-09-03",
        ),
    ] {
        let inside = |d: &serde_json::Value| d.as_str().is_some_and(|d| from <= d && d <= to);
        let intakes = of("volunteer")
            .filter(|l| inside(&l["data"]["intake_date"]))
            .count() as u64;
        let mut by_municipality: BTreeMap<String, u64> = BTreeMap::new();
        for l in of("volunteer").filter(|l| inside(&l["data"]["intake_date"])) {
            *by_municipality
                .entry(l["data"]["municipality"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let started = of("placement")
            .filter(|l| inside(&l["data"]["placed_on"]))
            .count() as u64;
        let proposed = of("placement")
            .filter(|l| inside(&l["data"]["proposed_on"]))
            .count() as u64;
        let contacts = of("contact").filter(|l| inside(&l["data"]["date"])).count() as u64;
        let signals = of("signal").filter(|l| inside(&l["data"]["date"])).count() as u64;
        // Trajectories: started, closed (by outcome), running at the end, meetings held,
        // and MaS minutes logged (reported in whole hours, rounded).
        let date = |d: &serde_json::Value| d.as_str().unwrap_or("").to_string();
        let trajectories: Vec<&serde_json::Value> = of("trajectory").map(|l| &l["data"]).collect();
        let t_started = trajectories
            .iter()
            .filter(|t| inside(&t["started"]))
            .count() as u64;
        let t_closed = trajectories
            .iter()
            .filter(|t| inside(&t["closed_on"]))
            .count() as u64;
        let t_active = trajectories
            .iter()
            .filter(|t| date(&t["started"]).as_str() <= to)
            .filter(|t| t["closed_on"].is_null() || date(&t["closed_on"]).as_str() > to)
            .count() as u64;
        let mut t_outcomes: BTreeMap<String, u64> = BTreeMap::new();
        for t in trajectories.iter().filter(|t| inside(&t["closed_on"])) {
            *t_outcomes
                .entry(t["outcome"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let meetings: u64 = trajectories
            .iter()
            .flat_map(|t| t["meetings"].as_array().unwrap())
            .filter(|m| inside(&m["date"]))
            .count() as u64;
        let minutes: u64 = trajectories
            .iter()
            .filter_map(|t| t["mas"]["hours"].as_array())
            .flatten()
            .filter(|h| inside(&h["date"]))
            .map(|h| h["minutes"].as_u64().unwrap())
            .sum();
        let out = koppel(&store)
            .args(["report"])
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["period"]["from"], from);
        assert_eq!(v["intakes"]["new"], intakes, "{args:?}");
        assert_eq!(v["placements"]["started"], started, "{args:?}");
        assert_eq!(v["placements"]["proposed"], proposed, "{args:?}");
        assert_eq!(v["contacts"]["logged"], contacts, "{args:?}");
        assert_eq!(v["signals"]["noted"], signals, "{args:?}");
        let t = &v["trajectories"];
        assert_eq!(t["started"], t_started, "{args:?}");
        assert_eq!(t["closed"], t_closed, "{args:?}");
        assert_eq!(t["active"], t_active, "{args:?}");
        assert_eq!(t["meetings"], meetings, "{args:?}");
        assert_eq!(v["mas"]["hours"], (minutes + 30) / 60, "{args:?}");
        let mut reported: BTreeMap<String, u64> =
            serde_json::from_value(t["closed_by_outcome"].clone()).unwrap();
        reported.retain(|_, n| *n > 0);
        assert_eq!(reported, t_outcomes, "{args:?}");
        let caseload: u64 = t["active_by_consultant"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(caseload, t_active, "{args:?}");
        assert!(meetings > 0 && t_active > 0, "{args:?}");
        let mut reported: BTreeMap<String, u64> =
            serde_json::from_value(v["intakes"]["by_municipality"].clone()).unwrap();
        // Municipalities with intakes in the previous period only are listed with 0.
        reported.retain(|_, n| *n > 0);
        assert_eq!(reported, by_municipality, "{args:?}");
        // The year's targets: the sum over the municipalities' targets of 2026 (every period
        // here lies in 2026).
        let target = |measure: &str| -> u64 {
            of("target")
                .filter(|l| l["data"]["year"] == 2026)
                .filter_map(|l| l["data"][measure].as_u64())
                .sum()
        };
        assert!(target("intakes") > 0);
        assert_eq!(
            v["intakes"]["targets"]["new"],
            target("intakes"),
            "{args:?}"
        );
        assert_eq!(
            v["placements"]["targets"]["started"],
            target("placements"),
            "{args:?}"
        );
        assert_eq!(
            v["contacts"]["targets"]["logged"],
            target("contacts"),
            "{args:?}"
        );
        // Something was counted: the comparison means something.
        assert!(intakes + contacts > 0, "{args:?}");
    }
}

#[test]
fn bad_input_is_one_clear_sentence_and_the_right_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["weekly", "--week", "2026-W54"],
            2,
            "2026 has no week 54: that year has 53 weeks.",
        ),
        (
            &["weekly", "--week", "2025-W53"],
            2,
            "2025 has no week 53: that year has 52 weeks.",
        ),
        (
            &["weekly", "--week", "48"],
            2,
            "\"48\" is not a week; write a week as 2026-W48.",
        ),
        (
            &["period", "--from", "2026-11-15", "--to", "2026-11-01"],
            2,
            "The range starts on 15-11-2026, after its end on 01-11-2026",
        ),
        (
            &["period", "--month", "2026-13"],
            2,
            "\"2026-13\" is not a month",
        ),
        (
            &["weekly", "--format", "pdf"],
            2,
            "\"pdf\" is not a possible value for --format",
        ),
        (&["period"], 2, "Something is missing"),
        (
            &["weekly", "--output", "/nonexistent-folder/week.md"],
            1,
            "The file /nonexistent-folder/week.md cannot be written",
        ),
    ];
    for (args, code, sentence) in cases {
        let out = koppel(&store)
            .args(["--lang", "en", "report"])
            .args(*args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(stderr.contains(sentence), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(!Path::new("/nonexistent-folder").exists());
    // In Dutch too.
    let out = koppel(&store)
        .args(["--lang", "nl", "report", "weekly", "--week", "2025-W53"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2025 heeft geen week 53"));
    // No store at the path: exit 1, nothing created.
    let missing = dir.path().join("typo");
    let out = koppel(&missing)
        .args(["report", "weekly"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!missing.exists());
}

#[test]
fn every_section_is_counted_and_an_absent_one_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut report = report_of(&store, Period::parse_month("2026-11").unwrap());
    for id in SectionId::ALL {
        let section = report.section(id).unwrap();
        assert!(matches!(section.body, Body::Present(_)), "{id:?}");
    }
    assert!(report.count(SectionId::Intakes, "new").unwrap().now > 0);
    assert!(
        report
            .count(SectionId::Trajectories, "meetings")
            .unwrap()
            .now
            > 0
    );
    assert_eq!(report.file_name("md"), "koppel-2026-11.md");
    // A section whose kind is not recorded: words and nulls, never zeros.
    for s in &mut report.sections {
        if s.id == SectionId::Activities {
            s.body = Body::Absent(Absence::NotRecordedYet);
        }
    }
    let json = render(&report, Format::Json, Lang::En, CsvOptions::default());
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(v["activities"]["held"].is_null());
    assert_eq!(v["activities"]["recorded"], false);
    assert_eq!(v["activities"]["reason"], "not_recorded_yet");
    let md = render(&report, Format::Markdown, Lang::Nl, CsvOptions::default());
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("## Activiteiten\n\n*Nog niet vastgelegd in koppel"));
}

#[test]
fn the_front_desk_may_not_make_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_store(dir.path());
    // Fatima works at the front desk (intake) in the demo.
    let out = koppel(&path)
        .env("USER", "fatima")
        .args(["report", "weekly"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("make reports"), "{err}");
    assert!(out.stdout.is_empty());
}
