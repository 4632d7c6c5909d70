//! `koppel serve` under many staff at once: concurrent SSH sessions on loopback, each moving
//! through the Volunteers list, and a save in one session reaching all the others.
//!
//! `cargo bench --bench serve` runs 50 sessions over a 100,000-volunteer demo store (the one
//! `benches/tui.rs` builds and keeps under `target/bench-stores/`, copied afresh into a
//! temporary directory for every run, so the staff accounts and edits made here never reach
//! the cached store). Under `cargo test --benches` it runs 5 sessions over 2,000 volunteers,
//! as a cheap smoke test.
//!
//! Everything runs in this one process: the server ([`koppel::server::start`], its own tokio
//! runtime on threads named `koppel-ssh`, one `koppel-ssh-<login>` thread per session, the
//! shared read model's `koppel-readmodel` thread) and the clients (russh on a runtime of two
//! threads named `bench-client`, each client keeping its screen in a `vt100` parser). The
//! machine's cores are shared between both sides, so the figures are a pessimistic bound of
//! what a server with its clients elsewhere sees.
//!
//! What is measured:
//!
//! - **Keystroke → output.** Every session presses ↓ at a steady pace (one press every
//!   [`PACE`], the speed of a held-down key, phases spread over the sessions). A press is
//!   timed from just before its bytes are handed to the client's SSH channel to the moment the
//!   client's reader task has fed into its terminal the output message after which the screen
//!   shows the selection marker (`▶`) one row lower — or, once the marker sits on the
//!   window's last row, the list scrolled by one (the row above the marker is the row selected
//!   before). So each time includes the client's encryption and decryption and the loopback,
//!   the server's input parsing, the session's work and draw, and the frame's way out; it is
//!   the time to the *first* output bytes that show the move, not to the end of a later frame.
//!   A press is sent only after the previous one showed, so a session never runs ahead.
//! - **Server CPU.** The user + system time of the server's threads (those named `koppel-*`,
//!   read from `/proc/self/task/*/stat` before and after the keystroke phase, in clock ticks),
//!   per keystroke and as a share of one core per session. The clients' threads are reported
//!   beside it.
//! - **Memory per session.** The process's resident set (`VmRSS` of `/proc/self/status`)
//!   after the server started and the read model loaded, and again after every session
//!   logged in and shows the list, the growth divided by the number of sessions. That
//!   includes the client's side of each session (its SSH state and a 100×30 terminal
//!   emulator), so it is an upper bound of the server's share.
//! - **A save seen everywhere.** Every session stands on the same volunteer. Then, through the
//!   service the server runs on (as the first session's account), that volunteer's given name
//!   is changed, [`SAVE_ROUNDS`] times; each round is timed from just before the save call to
//!   the moment each of the other sessions' screens shows the new name.

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;
use support::*;

use koppel::config::Config;
use koppel::domain::staff::Role;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::server::{Running, Settings};
use koppel::service::{Account, Service};
use koppel::store::Store;
use koppel::ui::keymap::Keymap;
use koppel::ui::theme::Theme;
use russh::ChannelMsg;
use russh::client::{self, Handle};
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Every session's terminal.
const COLS: u16 = 100;
const ROWS: u16 = 30;
/// One ↓ per session this often.
const PACE: Duration = Duration::from_millis(50);
/// How many times the shared volunteer is saved while the others watch.
const SAVE_ROUNDS: usize = 5;
/// Given names the saves set, one per round (none is a demo name, so each is new on screen).
const NEW_NAMES: [&str; SAVE_ROUNDS] = ["Bankje", "Benchje", "Bollie", "Brammie", "Buurman"];
/// Longest wait for anything on a screen before the run is given up.
const PATIENCE: Duration = Duration::from_secs(60);

struct Scale {
    volunteers: usize,
    sessions: usize,
    presses: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    // As criterion decides in the other benches: `cargo bench` passes --bench.
    let test_mode = !flag("--bench") || flag("--test");
    if flag("--list") {
        return;
    }
    let scale = if test_mode {
        Scale {
            volunteers: 2_000,
            sessions: 5,
            presses: 20,
        }
    } else {
        Scale {
            volunteers: 100_000,
            sessions: 50,
            presses: 200,
        }
    };
    let cached = demo_store(scale.volunteers);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("store");
    copy_dir(&cached, &dir);
    let summary = run(&dir, &scale);
    summary.print(&scale, test_mode);
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

/// Copies a closed store directory (plain files and directories only).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory for the copy");
    for entry in std::fs::read_dir(from).expect("the cached store is readable") {
        let entry = entry.expect("a directory entry");
        let kind = entry.file_type().expect("a file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("a store file copied");
        }
    }
}

/// A deterministic key per session.
fn key(i: usize) -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&[(i + 1) as u8; 32]))
}

fn login_name(i: usize) -> String {
    format!("staff{:02}", i + 1)
}

fn account(i: usize) -> Account {
    Account {
        name: login_name(i),
        role: Role::Coordinator,
    }
}

// ---------------------------------------------------------------------------------------------
// Process figures.

/// The resident set of this process, in bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmRSS in /proc/self/status")
        * 1024
}

/// CPU time (user + system) of this process's threads, as (server threads, client threads).
fn thread_cpu() -> (Duration, Duration) {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let (mut server, mut client) = (0u64, 0u64);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (Duration::ZERO, Duration::ZERO);
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue; // the thread ended meanwhile
        };
        // `pid (comm) state ...`: the name may hold spaces, the fields follow the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the state.
        let used: u64 = [11, 12]
            .iter()
            .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
            .sum();
        if comm.starts_with("koppel-") {
            server += used;
        } else if comm.starts_with("bench-client") {
            client += used;
        }
    }
    let d = |t: u64| Duration::from_secs_f64(t as f64 / ticks);
    (d(server), d(client))
}

// ---------------------------------------------------------------------------------------------
// Clients.

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// What a client's screen shows of the list, after one output message was taken in.
#[derive(Clone, Default)]
struct Snap {
    /// When the message was taken in.
    at: Option<Instant>,
    /// The window row (0 = the list's first row) with the selection marker.
    marker: Option<usize>,
    /// The selected row and the row above it, without the marker columns.
    selected: String,
    above: String,
}

/// One session's terminal: a reader task keeps a `vt100` screen and publishes a [`Snap`] after
/// every output message; when asked (`needle`), it notes when the screen first shows a text.
struct Term {
    writer: russh::ChannelWriteHalf<client::Msg>,
    snaps: watch::Receiver<Snap>,
    needle: Arc<Mutex<Option<String>>>,
    seen: Arc<Mutex<Option<Instant>>>,
    screen: Arc<Mutex<vt100::Parser>>,
    _handle: Handle<Client>,
}

/// The list window's rows on the screen: from its first row to the one above the bottom bar.
fn window() -> (usize, usize) {
    let top = usize::from(koppel::ui::view::LIST_FIRST_ROW);
    (top, usize::from(ROWS) - 1 - top)
}

fn snap_of(screen: &vt100::Screen) -> Snap {
    let (top, height) = window();
    let rows: Vec<String> = screen
        .rows(0, COLS)
        .skip(top)
        .take(height)
        .collect::<Vec<_>>();
    let rest = |r: &str| r.chars().skip(2).collect::<String>();
    let marker = rows.iter().position(|r| r.starts_with('▶'));
    let selected = marker.map(|m| rest(&rows[m])).unwrap_or_default();
    let above = marker
        .and_then(|m| m.checked_sub(1))
        .map(|m| rest(&rows[m]))
        .unwrap_or_default();
    Snap {
        at: Some(Instant::now()),
        marker,
        selected,
        above,
    }
}

async fn open(addr: std::net::SocketAddr, i: usize) -> Term {
    // As OpenSSH does for an interactive session: no Nagle delay on small key packets.
    let config = Arc::new(client::Config {
        nodelay: true,
        ..Default::default()
    });
    let mut handle = client::connect(config, addr, Client)
        .await
        .expect("the server accepts a connection");
    let auth = handle
        .authenticate_publickey(
            login_name(i),
            PrivateKeyWithHashAlg::new(Arc::new(key(i)), None),
        )
        .await
        .expect("an answer to the login");
    assert!(
        auth.success(),
        "{} could not log in: {auth:?}",
        login_name(i)
    );
    let channel = handle
        .channel_open_session()
        .await
        .expect("a session channel");
    channel.set_env(true, "LANG", "C.UTF-8").await.expect("env");
    channel
        .request_pty(
            true,
            "xterm-256color",
            u32::from(COLS),
            u32::from(ROWS),
            0,
            0,
            &[],
        )
        .await
        .expect("a pty");
    channel.request_shell(true).await.expect("a shell");
    let (mut read, writer) = channel.split();
    let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
    let (tx, snaps) = watch::channel(Snap::default());
    let needle: Arc<Mutex<Option<String>>> = Arc::default();
    let seen: Arc<Mutex<Option<Instant>>> = Arc::default();
    let (s, n, seen_by) = (screen.clone(), needle.clone(), seen.clone());
    tokio::spawn(async move {
        while let Some(msg) = read.wait().await {
            if let ChannelMsg::Data { data } = msg {
                let mut parser = s.lock().unwrap();
                parser.process(&data);
                let snap = snap_of(parser.screen());
                let wanted = n.lock().unwrap().clone();
                if let Some(text) = wanted
                    && parser.screen().contents().contains(&text)
                {
                    let mut seen = seen_by.lock().unwrap();
                    if seen.is_none() {
                        *seen = snap.at;
                    }
                }
                drop(parser);
                let _ = tx.send(snap);
            }
        }
    });
    Term {
        writer,
        snaps,
        needle,
        seen,
        screen,
        _handle: handle,
    }
}

impl Term {
    /// Waits until the screen satisfies `pred`; the snapshot that did.
    async fn until(&mut self, what: &str, pred: impl Fn(&Snap) -> bool) -> Snap {
        let wait = async {
            loop {
                {
                    let snap = self.snaps.borrow_and_update();
                    if pred(&snap) {
                        return snap.clone();
                    }
                }
                if self.snaps.changed().await.is_err() {
                    panic!("the server closed the session while waiting for {what}");
                }
            }
        };
        match tokio::time::timeout(PATIENCE, wait).await {
            Ok(snap) => snap,
            Err(_) => panic!(
                "waited for {what}; the screen shows:\n{}",
                self.screen.lock().unwrap().screen().contents()
            ),
        }
    }

    /// Presses ↓ and waits for the screen to show it; the time from send to that output.
    async fn down(&mut self) -> Duration {
        let (_, height) = window();
        let before = self.snaps.borrow().clone();
        let from = before.marker.expect("a selected row");
        let start = Instant::now();
        self.writer.data(&b"\x1b[B"[..]).await.expect("keys sent");
        let snap = if from + 1 < height {
            self.until("the marker one row lower", |s| s.marker == Some(from + 1))
                .await
        } else {
            self.until("the list scrolled by one row", |s| {
                s.marker == Some(from) && s.above == before.selected
            })
            .await
        };
        snap.at.expect("a taken-in message") - start
    }
}

// ---------------------------------------------------------------------------------------------
// The run.

struct Figures {
    keystrokes: Vec<Duration>,
    server_cpu: Duration,
    client_cpu: Duration,
    moving: Duration,
    rss_before: u64,
    rss_after: u64,
    visible: Vec<Duration>,
    save_calls: Vec<Duration>,
    /// Per save: when the first of the other sessions showed it.
    first_seen: Vec<Duration>,
    /// The server threads' CPU time over all the saves (the save, the model, every redraw).
    save_cpu: Duration,
    load: String,
}

fn run(dir: &Path, scale: &Scale) -> Figures {
    let store = Store::open(dir).expect("the copied store opens");
    let service = Service::new(store, clock(), Config::default());
    for i in 0..scale.sessions {
        let public = key(i).public_key().to_openssh().expect("an OpenSSH key");
        service
            .add_staff(
                &admin(),
                &login_name(i),
                &format!("Staff {}", i + 1),
                Role::Coordinator,
                &[&public],
            )
            .expect("a staff account");
    }
    let model = SharedModel::spawn(service.read_model_source());
    let deadline = Instant::now() + PATIENCE;
    while !model.read().loaded() {
        assert!(Instant::now() < deadline, "the read model never loaded");
        std::thread::sleep(Duration::from_millis(5));
    }
    let settings = Settings {
        listen: "127.0.0.1:0".parse().expect("an address"),
        idle: Duration::from_secs(600),
        lang: Lang::En,
        keymap: Arc::new(Keymap::shipped("default").expect("the shipped keymap parses")),
        theme: Theme::color(),
        exec: None,
    };
    let running: Running =
        koppel::server::start(service.clone(), model.clone(), settings, dir).expect("a server");
    let addr = running.addr;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("a client runtime");
    let rss_before = rss();
    let sessions = scale.sessions;
    let presses = scale.presses;
    let svc = service.clone();
    let mdl = model.clone();
    // Everything runs on the client runtime's threads; this one only waits.
    let figures = runtime.block_on(async move {
        tokio::spawn(async move { drive(addr, sessions, presses, svc, mdl, rss_before).await })
            .await
            .expect("the clients ran")
    });
    drop(runtime);
    running.stop();
    model.shutdown();
    let _ = service.close();
    figures
}

async fn drive(
    addr: std::net::SocketAddr,
    sessions: usize,
    presses: usize,
    service: Service,
    model: SharedModel,
    rss_before: u64,
) -> Figures {
    // Logins, one after another (as staff arrive), then every list shown.
    let mut terms = Vec::new();
    for i in 0..sessions {
        terms.push(open(addr, i).await);
    }
    for term in &mut terms {
        term.until("the list with its first row selected", |s| {
            s.marker == Some(0) && !s.selected.trim().is_empty()
        })
        .await;
    }
    let rss_after = rss();

    // Every session moves down the list at a steady pace, phases spread.
    let (server_start, client_start) = thread_cpu();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut term) in terms.into_iter().enumerate() {
        let offset = PACE.mul_f64(i as f64 / sessions as f64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(offset).await;
            let mut tick = tokio::time::interval(PACE);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut times = Vec::with_capacity(presses);
            for _ in 0..presses {
                tick.tick().await;
                times.push(term.down().await);
            }
            (term, times)
        }));
    }
    let mut terms = Vec::new();
    let mut keystrokes = Vec::new();
    for t in tasks {
        let (term, times) = t.await.expect("a session's presses");
        terms.push(term);
        keystrokes.extend(times);
    }
    let moving = started.elapsed();
    let (server_end, client_end) = thread_cpu();

    // Every session stands on the same volunteer (the same number of ↓ from the top).
    let id = model
        .read()
        .volunteers()
        .all()
        .get(presses)
        .map(|r| r.id)
        .expect("the list is longer than the presses");
    let saver = account(0);
    let (save_cpu_start, _) = thread_cpu();
    let mut visible = Vec::new();
    let mut first_seen = Vec::new();
    let mut save_calls = Vec::new();
    for name in NEW_NAMES {
        let current = service
            .volunteer(&saver, id)
            .expect("the volunteer reads")
            .expect("the volunteer exists");
        let mut v = current.data.clone();
        v.name.given = name.into();
        let filed = v.name.filed();
        let shown: String = filed.chars().take(24).collect();
        for term in &terms[1..] {
            *term.seen.lock().unwrap() = None;
            *term.needle.lock().unwrap() = Some(shown.clone());
        }
        let svc = service.clone();
        let who = saver.clone();
        let revision = current.meta.revision;
        let start = Instant::now();
        let saved =
            tokio::task::spawn_blocking(move || svc.update_volunteer(&who, id, revision, v))
                .await
                .expect("the save ran");
        save_calls.push(start.elapsed());
        saved.expect("the save succeeds");
        let deadline = Instant::now() + PATIENCE;
        let before = visible.len();
        for (i, term) in terms.iter().enumerate().skip(1) {
            loop {
                if let Some(at) = *term.seen.lock().unwrap() {
                    visible.push(at - start);
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "session {} never showed {shown:?}:\n{}",
                    i + 1,
                    term.screen.lock().unwrap().screen().contents()
                );
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            *term.needle.lock().unwrap() = None;
        }
        if let Some(first) = visible[before..].iter().min() {
            first_seen.push(*first);
        }
    }
    let (save_cpu_end, _) = thread_cpu();
    drop(terms);
    Figures {
        keystrokes,
        server_cpu: server_end.saturating_sub(server_start),
        client_cpu: client_end.saturating_sub(client_start),
        moving,
        rss_before,
        rss_after,
        visible,
        save_calls,
        first_seen,
        save_cpu: save_cpu_end.saturating_sub(save_cpu_start),
        load: std::fs::read_to_string("/proc/loadavg").unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------------------------
// The summary.

fn percentile(v: &[Duration], p: usize) -> Duration {
    let mut s = v.to_vec();
    s.sort_unstable();
    let i = (s.len() * p / 100).min(s.len().saturating_sub(1));
    s.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn verdict(value: f64, target: f64) -> &'static str {
    if value <= target { "met" } else { "MISSED" }
}

impl Figures {
    fn print(&self, scale: &Scale, test_mode: bool) {
        let n = scale.sessions;
        println!();
        println!(
            "koppel serve at {} volunteers, {n} SSH sessions at {COLS}x{ROWS} on loopback{}",
            scale.volunteers,
            if test_mode { " (test mode)" } else { "" }
        );
        println!("load average at the end: {}", self.load.trim());
        let k = &self.keystrokes;
        println!(
            "{:<58} p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  n={:<6} <= 5 ms (p99) {}",
            format!("keystroke -> first output showing it (one ↓ per {PACE:?})"),
            ms(percentile(k, 50)),
            ms(percentile(k, 90)),
            ms(percentile(k, 99)),
            ms(percentile(k, 100)),
            k.len(),
            verdict(ms(percentile(k, 99)), 5.0),
        );
        let presses = k.len().max(1) as f64;
        println!(
            "{:<58} {:>8.1} ms  = {:>7.1} µs per keystroke, {:>5.2} % of a core per session",
            format!(
                "server CPU (threads koppel-*) over {:.1} s",
                self.moving.as_secs_f64()
            ),
            ms(self.server_cpu),
            self.server_cpu.as_secs_f64() * 1e6 / presses,
            self.server_cpu.as_secs_f64() * 100.0 / self.moving.as_secs_f64() / n as f64,
        );
        println!(
            "{:<58} {:>8.1} ms  = {:>7.1} µs per keystroke",
            "client CPU (threads bench-client), same time",
            ms(self.client_cpu),
            self.client_cpu.as_secs_f64() * 1e6 / presses,
        );
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        let growth = self.rss_after.saturating_sub(self.rss_before);
        println!(
            "{:<58} {:>8.1} MiB -> {:.1} MiB: {:.0} KiB per session (client side included)",
            "resident memory, before and after the logins",
            mib(self.rss_before),
            mib(self.rss_after),
            growth as f64 / 1024.0 / n as f64,
        );
        let v = &self.visible;
        println!(
            "{:<58} p50 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  n={:<6} <= 100 ms (max) {}",
            format!("a save -> shown in the other {} sessions", n - 1),
            ms(percentile(v, 50)),
            ms(percentile(v, 99)),
            ms(percentile(v, 100)),
            v.len(),
            verdict(ms(percentile(v, 100)), 100.0),
        );
        println!(
            "{:<58} p50 {:>8.3} ms  max {:>8.3} ms  n={}",
            "  of which the save call itself",
            ms(percentile(&self.save_calls, 50)),
            ms(percentile(&self.save_calls, 100)),
            self.save_calls.len(),
        );
        println!(
            "{:<58} p50 {:>8.3} ms  max {:>8.3} ms  n={}",
            "  the first of the other sessions to show it",
            ms(percentile(&self.first_seen, 50)),
            ms(percentile(&self.first_seen, 100)),
            self.first_seen.len(),
        );
        let saves = self.save_calls.len().max(1) as f64;
        println!(
            "{:<58} {:>8.1} ms  = {:>7.1} ms per save, {:>7.3} ms per watching session",
            "  server CPU over the saves (threads koppel-*)",
            ms(self.save_cpu),
            ms(self.save_cpu) / saves,
            ms(self.save_cpu) / saves / (n - 1).max(1) as f64,
        );
    }
}
