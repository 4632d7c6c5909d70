//! `koppel privacy review` on the real binary, against a store built here with the clock set
//! per step: what is past its retention period is listed with its reason, in both languages
//! and as JSON, from the day the period runs out and not the day before.

use assert_cmd::Command;
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::domain::Status;
use koppel::service::{Account, Role, Service};
use predicates::prelude::*;
use std::path::Path;
use std::sync::Arc;
use time::Date;
use time::macros::{date, time};

fn koppel() -> Command {
    let mut cmd = Command::cargo_bin("koppel").expect("the koppel binary is built by cargo test");
    cmd.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
    cmd
}

/// The service over the store in `dir` on `day`, 10:00 UTC.
fn service_on(dir: &Path, day: Date) -> Service {
    let clock = Arc::new(FixedClock(day.with_time(time!(10:00)).assume_utc()));
    Service::open(dir, clock, Config::default()).expect("the store opens")
}

fn admin() -> Account {
    Account {
        name: "beheer".into(),
        role: Role::Admin,
    }
}

/// Two people whose intake was on 1 May 2023; the second's status changed on 1 June 2024.
/// Their filed names and ids.
fn two_people(dir: &Path) -> [(String, u64); 2] {
    let intake = date!(2023 - 05 - 01);
    let mut people = koppel::demo::volunteers(2, 3, intake, &Config::default().municipalities);
    let mut out = Vec::new();
    {
        let s = service_on(dir, intake);
        for _ in 0..2 {
            let mut v = people.next().expect("a demo person");
            v.intake_date = intake;
            v.status = Status::New;
            let saved = s.register_intake(&admin(), v, true).expect("registered");
            out.push((saved.data.name.filed(), saved.meta.id, saved.meta.revision));
        }
        s.close().unwrap();
    }
    {
        let s = service_on(dir, date!(2024 - 06 - 01));
        let (_, id, revision) = out[1];
        s.change_status(&admin(), id, revision, Status::Inactive)
            .expect("status changed");
        s.close().unwrap();
    }
    [(out[0].0.clone(), out[0].1), (out[1].0.clone(), out[1].1)]
}

fn review(dir: &Path, args: &[&str]) -> String {
    let out = koppel()
        .args(["privacy", "review", "--data"])
        .arg(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn review_lists_what_is_past_its_period_with_the_reason_from_the_day_it_runs_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let [(first, first_id), (second, _)] = two_people(&dir);

    // The day before two years are up: nothing.
    let text = review(&dir, &["--today", "2025-04-30"]);
    assert!(
        text.contains("On 30-04-2025 nothing is past its retention period."),
        "{text}"
    );
    assert!(!text.contains(&first), "{text}");

    // The day they are up: the first person, not the second (their status changed later).
    let text = review(&dir, &["--today", "2025-05-01"]);
    assert!(
        text.contains("On 01-05-2025 1 record is past its retention period:"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.contains(&first))
        .unwrap_or_else(|| panic!("{first} is not listed:\n{text}"));
    assert!(line.starts_with("person"), "{line}");
    assert!(line.contains(&first_id.to_string()), "{line}");
    assert!(
        line.ends_with("inactive since 01-05-2023 (intake), period 2 years"),
        "{line}"
    );
    assert!(!text.contains(&second), "{text}");

    // In Dutch.
    let text = review(&dir, &["--lang", "nl", "--today", "01-05-2025"]);
    assert!(
        text.contains("inactief sinds 01-05-2023 (intake), termijn 2 jaar"),
        "{text}"
    );

    // As JSON, two years after the status change: both, the second since that change.
    let text = review(&dir, &["--json", "--today", "2026-06-01"]);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let items = doc["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, [first.as_str(), second.as_str()]);
    assert_eq!(items[1]["last_activity"], "change");
    assert_eq!(items[1]["from"], "2024-06-01");
    assert_eq!(items[1]["ended"], "2026-06-01");
    assert_eq!(doc["periods"]["people_years"], 2);

    // A longer period in the configuration keeps them.
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "[retention]\npeople_years = 3\n").unwrap();
    let out = koppel()
        .env("KOPPEL_CONFIG", &config)
        .args(["privacy", "review", "--today", "2026-04-30", "--data"])
        .arg(&dir)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("nothing is past"), "{text}");
    assert!(text.contains("people 3 years"), "{text}");

    // A day that is not a date is a usage error.
    koppel()
        .args(["privacy", "review", "--today", "gisteren", "--data"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"gisteren\" is not a date"));
}

#[test]
fn a_bad_retention_period_in_the_configuration_is_refused_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "[retention]\ncontacts_years = 0\n").unwrap();
    koppel()
        .env("KOPPEL_CONFIG", &config)
        .args(["privacy", "review", "--data"])
        .arg(tmp.path().join("s"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contacts_years = 0"));
}

/// A demo store of `n` people on the demo's fixed day (27-11-2026).
fn demo_store(dir: &Path, n: usize) {
    let s = service_on(dir, date!(2026 - 11 - 27));
    koppel::demo::fill(&s, &admin(), n, 42).expect("demo data");
    s.add_staff(&admin(), "beheer", "Beheer", Role::Admin, &[])
        .expect("an administrator");
    s.close().unwrap();
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn apply_anonymises_what_is_listed_and_a_past_weeks_report_stays_byte_for_byte_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    demo_store(&dir, 300);
    // A year for people, so a good part of the demo people are past it.
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "[retention]\npeople_years = 1\n").unwrap();
    let run = |args: &[&str]| {
        let mut c = koppel();
        c.env("KOPPEL_CONFIG", &config)
            .env("USER", "ingrid")
            .args(args)
            .arg("--data")
            .arg(&dir);
        c
    };
    let report = || {
        stdout_of(&mut run(&[
            "report", "weekly", "--week", "2026-W40", "--format", "json",
        ]))
    };
    let before = report();
    let listed = stdout_of(&mut run(&["privacy", "review", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let count = doc["items"].as_array().unwrap().len();
    assert!(count > 0, "{listed}");

    // A coordinator sees the list but may not anonymise it.
    run(&[
        "privacy", "review", "--apply", "--reason", "Termijn", "--yes",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("coordinator"));
    // Without --yes nothing changes, and the sentence says how to confirm.
    koppel()
        .env("KOPPEL_CONFIG", &config)
        .env("USER", "beheer")
        .args([
            "privacy", "review", "--apply", "--reason", "Termijn", "--data",
        ])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    let again: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut run(&["privacy", "review", "--json"]))).unwrap();
    assert_eq!(again["items"].as_array().unwrap().len(), count);

    // An administrator confirms.
    let out = stdout_of(
        koppel()
            .env("KOPPEL_CONFIG", &config)
            .env("USER", "beheer")
            .args([
                "privacy",
                "review",
                "--apply",
                "--reason",
                "Bewaartermijn verstreken",
                "--yes",
                "--data",
            ])
            .arg(&dir),
    );
    assert!(
        out.contains(&format!("{count} records anonymised")),
        "{out}"
    );
    // Nothing is past its period any more, the report is the same, the audit log sound.
    let text = stdout_of(&mut run(&["privacy", "review"]));
    assert!(
        text.contains("nothing is past its retention period"),
        "{text}"
    );
    assert_eq!(report(), before);
    let first = doc["items"][0]["name"].as_str().unwrap().to_string();
    let export = stdout_of(&mut run(&["export", "--output", "-"]));
    assert!(!export.contains(&first), "{first} is still in the store");
    run(&["audit", "verify"]).assert().success();
}
