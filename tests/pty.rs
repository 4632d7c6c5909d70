//! End-to-end: the real binary in a pseudo-terminal, read back through a vt100 parser. Every
//! wait polls the parsed screen (woken by the reader thread) until it shows what we expect,
//! with a generous deadline; nothing sleeps a fixed time.

use portable_pty::{CommandBuilder, NativePtySystem, PtySize, PtySystem};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

struct Screen {
    parser: vt100::Parser,
    exited: bool,
}

struct Pty {
    shared: Arc<(Mutex<Screen>, Condvar)>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_koppel")
}

impl Pty {
    fn spawn(args: &[&str], envs: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let system = NativePtySystem::default();
        let pair = system
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(bin());
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("NO_COLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("koppel starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let shared = Arc::new((
            Mutex::new(Screen {
                parser: vt100::Parser::new(rows, cols, 0),
                exited: false,
            }),
            Condvar::new(),
        ));
        let s2 = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let (lock, cv) = &*s2;
                let mut screen = lock.lock().unwrap();
                // vt100 can panic on output drawn for the size before a resize that arrives
                // after it. The app redraws everything after a resize, so a fresh parser of the
                // new size catches up with the next frame.
                let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    screen.parser.process(&buf[..n])
                }));
                if parsed.is_err() {
                    let (rows, cols) = screen.parser.screen().size();
                    screen.parser = vt100::Parser::new(rows, cols, 0);
                }
                drop(screen);
                cv.notify_all();
            }
            let (lock, cv) = &*s2;
            lock.lock().unwrap().exited = true;
            cv.notify_all();
        });
        Pty {
            shared,
            writer,
            master: pair.master,
            child,
        }
    }

    fn contents(&self) -> String {
        self.shared.0.lock().unwrap().parser.screen().contents()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after the deadline.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let (lock, cv) = &*self.shared;
        let start = Instant::now();
        let mut guard = lock.lock().unwrap();
        loop {
            let text = guard.parser.screen().contents();
            if pred(&text) {
                return text;
            }
            let left = DEADLINE
                .checked_sub(start.elapsed())
                .unwrap_or_else(|| panic!("timed out waiting for {what}; screen:\n{text}"));
            guard = cv.wait_timeout(guard, left).unwrap().0;
        }
    }

    fn wait_text(&self, needle: &str) -> String {
        self.wait_for(needle, |s| s.contains(needle))
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.shared
            .0
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(rows, cols);
    }

    /// Waits for the process to end and the output to be drained; returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let (lock, cv) = &*self.shared;
        let start = Instant::now();
        let mut guard = lock.lock().unwrap();
        while !guard.exited {
            let left = DEADLINE
                .checked_sub(start.elapsed())
                .expect("koppel did not exit");
            guard = cv.wait_timeout(guard, left).unwrap().0;
        }
        drop(guard);
        self.child.wait().unwrap().exit_code()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
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
    let p = Pty::spawn(&["--data", data], &[("LANG", lang)], cols, rows);
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
    {
        let g = p.shared.0.lock().unwrap();
        assert!(g.parser.screen().alternate_screen());
    }
    p.send("q");
    assert_eq!(p.wait_exit(), 0);
    let g = p.shared.0.lock().unwrap();
    assert!(
        !g.parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert!(!g.parser.screen().hide_cursor(), "cursor left hidden");
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
    let mut p = Pty::spawn(&["--data", dir.to_str().unwrap()], &[], 80, 24);
    assert_eq!(p.wait_exit(), 1);
    let text = p.contents();
    assert!(text.contains("is in use by another koppel"), "{text}");
    let g = p.shared.0.lock().unwrap();
    assert!(!g.parser.screen().alternate_screen());
}
