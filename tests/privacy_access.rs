//! The right of access on the real binary: `koppel privacy export` (directly and through a
//! running server), who may, a wrong person, BSNs refused on import, and the key on a
//! person's detail in a pseudo-terminal. Every wait polls; nothing sleeps a fixed time.

#[path = "support/pty.rs"]
mod harness;

use harness::Pty;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_koppel")
}

/// `koppel ARGS --data DIR` as system user `user`, with the configuration file `config`.
fn koppel_as(user: &str, config: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .arg("--data")
        .arg(dir)
        .env("USER", user)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env("KOPPEL_CONFIG", config)
        .output()
        .unwrap()
}

fn koppel(dir: &Path, args: &[&str]) -> Output {
    koppel_as("beheer", Path::new("/nonexistent/koppel.toml"), dir, args)
}

fn demo(dir: &Path) {
    let out = koppel(dir, &["demo", "--no-tui", "--volunteers", "60"]);
    assert!(out.status.success(), "{out:?}");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The volunteers of the store, from its export: (id, full name, phone, e-mail).
fn people(dir: &Path) -> Vec<(u64, String, String, String)> {
    let out = koppel(dir, &["export", "-o", "-"]);
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "volunteer")
        .map(|v| {
            let d = &v["data"];
            let n = &d["name"];
            let full = [&n["given"], &n["prefix"], &n["family"]]
                .iter()
                .filter_map(|s| s.as_str())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (
                v["id"].as_u64().unwrap(),
                full,
                d["phone"].as_str().unwrap().to_string(),
                d["email"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_access_export_writes_the_letter_and_the_data_privately_and_nothing_of_anyone_else() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let everyone = people(&dir);
    let (id, name, _, _) = everyone[0].clone();
    let out = tmp.path().join("inzage");
    let ran = koppel(
        &dir,
        &[
            "--lang",
            "nl",
            "privacy",
            "export",
            "--person",
            &id.to_string(),
            "--output",
            out.to_str().unwrap(),
            "--reason",
            "verzoek per brief",
        ],
    );
    assert_eq!(ran.status.code(), Some(0), "{ran:?}");
    let said = text(&ran.stdout);
    assert!(
        said.contains(&format!("Inzage-export van {name} geschreven")),
        "{said}"
    );
    let (md, json) = (out.with_extension("md"), out.with_extension("json"));
    assert!(said.contains(md.to_str().unwrap()), "{said}");
    for f in [&md, &json] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{f:?} is private");
    }
    let letter = std::fs::read_to_string(&md).unwrap();
    assert!(letter.starts_with("# Uw persoonsgegevens"), "{letter}");
    assert!(letter.contains("Autoriteit Persoonsgegevens"));
    assert!(letter.contains(&format!("Beste {name},")));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(data["format"], 1);
    assert_eq!(data["person"]["id"], id);
    let logged = data["audit"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(logged["action"], "privacy_export");
    assert_eq!(logged["detail"], "verzoek per brief");
    // Nobody else's name, phone number or e-mail address.
    let both = format!("{letter}\n{data}");
    for (other, full, phone, email) in &everyone[1..] {
        if full == &name {
            continue;
        }
        assert!(!both.contains(full.as_str()), "{full} ({other}) is in it");
        for s in [phone, email] {
            if !s.is_empty() {
                assert!(!both.contains(s.as_str()), "{s} of {full} is in it");
            }
        }
    }
    // One format to standard output.
    let ran = koppel(
        &dir,
        &[
            "privacy",
            "export",
            "--person",
            &id.to_string(),
            "-o",
            "-",
            "--format",
            "json",
            "--reason",
            "controle",
        ],
    );
    assert_eq!(ran.status.code(), Some(0), "{ran:?}");
    let v: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(v["person"]["id"], id);
    // Both formats cannot share standard output.
    let ran = koppel(
        &dir,
        &[
            "privacy", "export", "--person", "1", "-o", "-", "--reason", "x",
        ],
    );
    assert_eq!(ran.status.code(), Some(2), "{ran:?}");
    assert!(text(&ran.stderr).contains("choose one format"));
}

#[test]
fn a_wrong_person_is_one_sentence_exit_1_and_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let out = tmp.path().join("nobody");
    let ran = koppel(
        &dir,
        &[
            "privacy",
            "export",
            "--person",
            "4242",
            "--output",
            out.to_str().unwrap(),
            "--reason",
            "verzoek",
        ],
    );
    assert_eq!(ran.status.code(), Some(1));
    assert_eq!(
        text(&ran.stderr).trim(),
        "No person has number 4242. Look the number up on their detail (or with koppel export); \
         nothing was written."
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["store"], "no file was created");
}

#[test]
fn only_administrators_and_configured_coordinators_may() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let none = Path::new("/nonexistent/koppel.toml");
    let args = |out: &Path| {
        vec![
            "privacy".to_string(),
            "export".into(),
            "--person".into(),
            "1".into(),
            "-o".into(),
            out.display().to_string(),
            "--reason".into(),
            "verzoek".into(),
        ]
    };
    let out = tmp.path().join("x");
    let a = args(&out);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    for user in ["fatima", "marloes", "ingrid"] {
        let ran = koppel_as(user, none, &dir, &a);
        assert_eq!(ran.status.code(), Some(1), "{user}: {ran:?}");
        assert!(
            text(&ran.stderr).contains("not allowed to write a person's access export"),
            "{user}: {}",
            text(&ran.stderr)
        );
        assert!(!out.with_extension("md").exists());
    }
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "[privacy]\ncoordinators_may_export = true\n").unwrap();
    let ran = koppel_as("ingrid", &config, &dir, &a);
    assert_eq!(ran.status.code(), Some(0), "{ran:?}");
    assert!(out.with_extension("md").exists());
    let ran = koppel_as("fatima", &config, &dir, &a);
    assert_eq!(ran.status.code(), Some(1), "{ran:?}");
}

#[test]
fn an_import_line_with_a_bsn_in_its_text_is_refused_naming_the_line_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let out = koppel(&dir, &["export", "-o", "-"]);
    let mut lines: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .position(|l| l.contains("\"kind\":\"volunteer\""))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&lines[at]).unwrap();
    v["data"]["notes"] = "Kopie ID gezien, BSN 111222333".into();
    lines[at] = v.to_string();
    let file = tmp.path().join("with-bsn.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let fresh = tmp.path().join("fresh");
    let ran = koppel(&fresh, &["import", file.to_str().unwrap()]);
    assert_eq!(ran.status.code(), Some(1), "{ran:?}");
    let said = text(&ran.stderr);
    assert!(
        said.contains(&format!(
            "line {}: In notes, this line holds a number that looks like a citizen service \
             number (BSN)",
            at + 1
        )),
        "{said}"
    );
    assert!(!fresh.exists(), "nothing was created");
}

#[test]
fn the_key_on_a_persons_detail_writes_the_access_export_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let data = dir.to_str().unwrap();
    let mut p = Pty::spawn(
        bin(),
        &["--data", data],
        &[("LANG", "C.UTF-8"), ("USER", "beheer")],
        200,
        40,
    );
    // The volunteers' list opens first: Enter opens the selected person, A asks why.
    p.wait_text("60 of 60");
    p.send("\r");
    p.wait_text("Date of birth");
    p.send("A");
    p.wait_text("Access export: why is it made?");
    p.send("Verzoek per e-mail van 20-11-2026");
    p.send("\x13");
    let screen = p.wait_text("Access export of");
    assert!(
        screen.contains("(letter), and .json (data) beside it"),
        "{screen}"
    );
    let folder = dir.join("access-exports");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let md = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let name = md.file_name().unwrap().to_str().unwrap();
    assert!(
        screen.contains(name),
        "the message names the file:\n{screen}"
    );
    let letter = std::fs::read_to_string(md).unwrap();
    assert!(letter.starts_with("# Your personal data"), "{letter}");
    assert!(letter.contains("access export written"));
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    p.send("q");
}

/// Polls `f` until it gives a value (60 s at most).
fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn through_a_running_server_the_client_writes_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let log = tmp.path().join("serve.err");
    let mut server = Command::new(bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .env("USER", "beheer")
        .env("LANG", "C.UTF-8")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel.toml")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    poll("the server's socket", || {
        std::os::unix::net::UnixStream::connect(dir.join("koppel.sock")).ok()
    });
    let out = tmp.path().join("client").join("anouk");
    std::fs::create_dir(out.parent().unwrap()).unwrap();
    let ran = koppel(
        &dir,
        &[
            "privacy",
            "export",
            "--person",
            "2",
            "-o",
            out.to_str().unwrap(),
            "--reason",
            "verzoek",
        ],
    );
    let served = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(ran.status.code(), Some(0), "{ran:?}\n{served}");
    assert!(served.contains("ran koppel privacy locally"), "{served}");
    for f in [out.with_extension("md"), out.with_extension("json")] {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "{f:?} written by the client's safe writer"
        );
    }
    assert!(
        std::fs::read_to_string(out.with_extension("md"))
            .unwrap()
            .contains("## Your rights")
    );
}

/// Data minimisation: no field of any kind holds a BSN — not among the fields forms and
/// problems name (in either language), nor among the keys of any export line.
#[test]
fn no_field_anywhere_is_a_bsn() {
    use koppel::domain::Field;
    use koppel::domain::bsn::is_bsn_header;
    use koppel::i18n::{Lang, field_label};
    let bsn_like = |name: &str| {
        let folded = name.to_lowercase();
        is_bsn_header(name)
            || folded.contains("bsn")
            || folded.contains("burgerservice")
            || folded.contains("sofi")
            || folded.contains("citizen service")
    };
    for &f in Field::ALL {
        assert!(!bsn_like(f.key()), "{f:?}");
        for lang in [Lang::Nl, Lang::En] {
            assert!(!bsn_like(field_label(lang, f)), "{f:?} in {lang:?}");
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut names = std::collections::BTreeSet::new();
    let mut kinds = std::collections::BTreeSet::new();
    for line in text(&koppel(&dir, &["export", "-o", "-"]).stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        kinds.insert(v["kind"].as_str().unwrap().to_string());
        keys(&v, &mut names);
    }
    assert!(kinds.len() >= 10, "the demo has most kinds: {kinds:?}");
    assert!(names.contains("birth_date"), "{names:?}");
    for name in &names {
        assert!(!bsn_like(name), "{name}");
    }
}

#[test]
fn the_key_tells_the_front_desk_it_may_not_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    demo(&dir);
    let data = dir.to_str().unwrap();
    let mut p = Pty::spawn(
        bin(),
        &["--data", data],
        &[("LANG", "C.UTF-8"), ("USER", "fatima")],
        100,
        30,
    );
    p.wait_text("60 of 60");
    p.send("\r");
    p.wait_text("Date of birth");
    p.send("A");
    let screen = p.wait_text("not allowed to write a person's access export");
    assert!(!screen.contains("why is it made"), "{screen}");
    assert!(!dir.join("access-exports").exists());
    p.send("q");
}
