//! End-to-end on trajectories: the real binary in a pseudo-terminal on demo data (a fresh
//! demo store is dated from today, so some meetings are overdue). A meeting logged with keys
//! only takes a trajectory off the overdue list; a handover puts it under the other
//! consultant in the caseloads. Every wait polls the screen; nothing sleeps a fixed time.

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
    let mut p = Pty::spawn(
        bin(),
        &["--data", data],
        &[
            ("LANG", lang),
            ("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml"),
        ],
        cols,
        rows,
    );
    p.wait_text("5 Verankeren");
    p
}

/// The list's "12 van 80" / "12 of 80": how many rows are shown.
fn shown(screen: &str, of: &str) -> Option<usize> {
    screen.lines().find_map(|l| {
        let at = l.find(&format!(" {of} "))?;
        l[..at].split_whitespace().last()?.parse().ok()
    })
}

/// The selected row's first cell.
fn selected_name(screen: &str) -> String {
    let row = screen
        .lines()
        .find(|l| l.starts_with("▶ "))
        .expect("a selected row");
    row.trim_start_matches("▶ ")
        .split("  ")
        .next()
        .unwrap()
        .trim_end_matches('…')
        .to_string()
}

#[test]
fn a_meeting_logged_with_keys_only_takes_the_trajectory_off_the_overdue_list() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 400);
    let mut p = open(&dir, "nl_NL.UTF-8", 80, 24);
    p.send("3");
    p.wait_for("the trajectories loaded", |s| {
        s.lines().any(|l| l.starts_with("▶ "))
    });
    p.send("O");
    let s = p.wait_for("the overdue ones", |s| {
        s.contains("alleen te laat") && s.lines().any(|l| l.starts_with("▶ "))
    });
    let before = shown(&s, "van").expect("a count");
    assert!(before > 0, "{s}");
    let name = selected_name(&s);
    p.send("o");
    p.wait_text("Voortgangsgesprek");
    // Date and next meeting are filled in; the summary is the third field.
    p.send("\t\tLopen samen door de wijk; gaat goed.");
    p.send("\x13");
    p.wait_text("Gesprek vastgelegd");
    p.wait_for("one overdue fewer", |s| shown(s, "van") == Some(before - 1));
    // The person's name is gone from the overdue list (unless a namesake remains).
    let s = p.contents();
    assert!(!s.contains(&name) || s.matches(&name).count() < 2, "{s}");
}

#[test]
fn a_handover_shows_the_trajectory_under_the_other_consultant() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo_store(&dir, 400);
    let mut p = open(&dir, "C.UTF-8", 120, 35);
    p.send("3");
    let s = p.wait_for("the trajectories loaded", |s| {
        s.lines().any(|l| l.starts_with("▶ "))
    });
    let name = selected_name(&s);
    let row = s.lines().find(|l| l.starts_with("▶ ")).unwrap().to_string();
    let (to, display) = if row.contains(" bram ") {
        ("anouk", "Anouk de Vries")
    } else {
        ("bram", "Bram Visser")
    };
    p.send("r");
    p.wait_text("Hand over");
    // Tab takes the completed name, the next Tab goes on to the reason.
    p.send(to);
    p.send("\t\tOn leave until March");
    p.send("\x13");
    p.wait_text("was handed over to");
    // The caseloads: down to the other consultant, Enter, and the trajectory is there.
    p.send("]");
    let s = p.wait_for("the caseloads with the other consultant", |s| {
        s.contains("Most urgent on top")
            && s.lines().any(|l| l.starts_with("▶ "))
            && s.lines().any(|l| l.contains(display) && l.contains(" ↑"))
    });
    let lines: Vec<&str> = s
        .lines()
        .filter(|l| l.starts_with("▶ ") || l.starts_with("  ") && l.contains(" ↑"))
        .collect();
    let at = lines
        .iter()
        .position(|l| l.contains(display))
        .unwrap_or_else(|| panic!("{display} in\n{s}"));
    for _ in 0..at {
        p.send("\x1b[B");
    }
    p.wait_for("the other consultant selected", |s| {
        s.lines()
            .any(|l| l.starts_with("▶ ") && l.contains(display))
    });
    p.send("\r");
    p.wait_text(&format!("Caseload {to}"));
    p.send("/");
    p.send(&name);
    p.wait_for("the trajectory in the other caseload", |s| {
        s.lines().any(|l| l.contains(&name) && l.contains(to))
    });
}
