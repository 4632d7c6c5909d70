//! End-to-end: the Reports screen in the real binary in a pseudo-terminal, exported with keys
//! only (the harness in `support/pty.rs`; every wait polls the parsed screen).

#[path = "support/pty.rs"]
mod harness;

use harness::Pty;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_koppel")
}

#[test]
fn export_the_summary_from_the_reports_screen_with_keys_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let out = std::process::Command::new(bin())
        .args(["demo", "--no-tui", "--volunteers", "200", "--data"])
        .arg(&dir)
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
        .output()
        .unwrap();
    assert!(out.status.success());
    let data = dir.to_str().unwrap();
    let mut p = Pty::spawn(bin(), &["--data", data], &[], 80, 24);
    p.wait_text("5 Verankeren");
    p.send("5");
    p.wait_text("Weekly summary week");
    // A month instead of a week, then the export dialog with its suggested name.
    p.send("p");
    p.wait_text("Monthly summary");
    p.send("x");
    p.wait_text("Export the summary");
    p.wait_text("> koppel-");
    // ↓ picks CSV; the name's extension follows.
    p.send("\x1b[B");
    p.wait_for("the CSV name", |s| s.contains(".csv"));
    let file = tmp.path().join("month.csv");
    p.send("\x15"); // Ctrl+U: clear the suggested name.
    p.send(file.to_str().unwrap());
    p.send("\r");
    p.wait_text("Summary written to");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("\u{feff}Monthly summary"), "{text}");
    assert!(text.contains("\r\nIntakes\r\n"), "{text}");
    // The same name again: asked, not overwritten, until a second Enter.
    std::fs::write(&file, "keep me").unwrap();
    p.send("x");
    p.wait_text("Export the summary");
    p.send("\x15");
    p.send(file.to_str().unwrap());
    p.send("\r");
    p.wait_text("exists already");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    p.send("\r");
    p.wait_text("Summary written to");
    assert!(std::fs::read_to_string(&file).unwrap().contains("Intakes"));
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
}
