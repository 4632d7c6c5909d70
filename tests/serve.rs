//! `koppel serve` in-process: a real SSH client (russh) against the server on 127.0.0.1 with
//! a port the system chooses. Logging in with a staff key, refusals, a screen that renders
//! and resizes, and a save in one session appearing in another's list.

use koppel::clock::FixedClock;
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
use russh::client::{self, AuthResult};
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::macros::datetime;

/// A deterministic key for tests.
fn key(seed: u8) -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
}

fn openssh(key: &PrivateKey) -> String {
    key.public_key().to_openssh().unwrap()
}

fn clock_of(service: &Service) -> koppel::clock::SharedClock {
    service.clock().clone()
}

struct Server {
    _dir: tempfile::TempDir,
    running: Option<Running>,
    service: Service,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
        let _ = self.service.close();
    }
}

/// A server over a store with anna (consultant, key 1) and bert (intake, key 2, deactivated
/// later by tests that want to).
fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let service = Service::new(store, clock, Config::default());
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    koppel::demo::fill(&service, &admin, 20, 42).unwrap();
    service
        .add_staff(
            &admin,
            "anna",
            "Anna de Vries",
            Role::Consultant,
            &[&openssh(&key(1))],
        )
        .unwrap();
    service
        .add_staff(&admin, "bert", "Bert", Role::Intake, &[&openssh(&key(2))])
        .unwrap();
    service
        .add_staff(
            &admin,
            "carla",
            "Carla",
            Role::Coordinator,
            &[&openssh(&key(3))],
        )
        .unwrap();
    let model = SharedModel::spawn(service.read_model_source());
    let settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        idle: Duration::from_secs(120),
        lang: Lang::En,
        keymap: Arc::new(Keymap::shipped("default").unwrap()),
        theme: Theme::mono(),
        exec: Some(koppel::cli::exec_commands(
            &dir.path().join("store"),
            &service,
            &clock_of(&service),
        )),
    };
    let running =
        koppel::server::start(service.clone(), model, settings, &dir.path().join("store")).unwrap();
    Server {
        _dir: dir,
        running: Some(running),
        service,
    }
}

impl Server {
    fn addr(&self) -> std::net::SocketAddr {
        self.running.as_ref().unwrap().addr
    }
}

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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn connect(addr: std::net::SocketAddr) -> client::Handle<Client> {
    let config = Arc::new(client::Config::default());
    client::connect(config, addr, Client).await.unwrap()
}

async fn login(
    addr: std::net::SocketAddr,
    user: &str,
    k: PrivateKey,
) -> (client::Handle<Client>, AuthResult) {
    let mut handle = connect(addr).await;
    let result = handle
        .authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(k), None))
        .await
        .unwrap();
    (handle, result)
}

/// An open terminal: what the client's screen shows, kept current by a reader task.
struct Term {
    screen: Arc<Mutex<vt100::Parser>>,
    closed: Arc<Mutex<bool>>,
    writer: russh::ChannelWriteHalf<client::Msg>,
}

impl Term {
    async fn open(handle: &client::Handle<Client>, cols: u32, rows: u32, lang: &str) -> Term {
        let channel = handle.channel_open_session().await.unwrap();
        channel.set_env(true, "LANG", lang).await.unwrap();
        channel
            .request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(true).await.unwrap();
        let (mut read, writer) = channel.split();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows as u16, cols as u16, 0)));
        let closed = Arc::new(Mutex::new(false));
        let (s, c) = (screen.clone(), closed.clone());
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                if let ChannelMsg::Data { data } = msg {
                    s.lock().unwrap().process(&data);
                }
            }
            *c.lock().unwrap() = true;
        });
        Term {
            screen,
            closed,
            writer,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits (polling the screen) until `pred` holds, or fails with the screen.
    async fn until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if pred(&text) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {what}; the screen shows:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn shows(&self, text: &str) -> String {
        self.until(text, |s| s.contains(text)).await
    }

    async fn send(&self, bytes: &[u8]) {
        self.writer.data(bytes).await.unwrap();
    }

    /// Tells the server the window is now `cols`×`rows`; the local screen takes the size
    /// the server draws for that (0×0 is "unknown": 80×24; at most 500×200).
    async fn resize(&self, cols: u32, rows: u32) {
        let (c, r) = if cols == 0 || rows == 0 {
            (80, 24)
        } else {
            (cols.min(500), rows.min(200))
        };
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(r as u16, c as u16);
        self.writer.window_change(cols, rows, 0, 0).await.unwrap();
    }

    fn is_closed(&self) -> bool {
        *self.closed.lock().unwrap()
    }
}

#[test]
fn a_staff_key_logs_in_and_the_screens_render_and_resize() {
    let server = server();
    runtime().block_on(async {
        let (handle, result) = login(server.addr(), "anna", key(1)).await;
        assert!(result.success(), "{result:?}");
        let term = Term::open(&handle, 80, 24, "C.UTF-8").await;
        // The bottom bar names the account and the screens speak English.
        let screen = term.shows("anna").await;
        assert!(screen.contains("help"), "{screen}");
        let first_row = |t: &Term| t.text().lines().next().unwrap_or_default().to_string();
        assert!(first_row(&term).chars().count() <= 80);
        term.resize(120, 40).await;
        term.until("a redraw at 120 columns", |s| {
            s.lines().any(|l| l.trim_end().chars().count() > 80)
        })
        .await;
        // Absurd sizes are held within bounds and the session goes on.
        term.resize(10_000, 10_000).await;
        term.resize(0, 0).await;
        term.resize(80, 24).await;
        term.until("a redraw at 80 columns", |s| {
            s.lines().all(|l| l.chars().count() <= 80) && s.contains("anna")
        })
        .await;
        // q and y: quit, and the server closes the channel.
        term.send(b"q").await;
        term.send(b"y").await;
        let start = Instant::now();
        while !term.is_closed() {
            assert!(start.elapsed() < Duration::from_secs(20), "{}", term.text());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

#[test]
fn an_unknown_key_a_deactivated_account_and_a_password_are_refused() {
    let server = server();
    runtime().block_on(async {
        // anna's name with bert's key, and a key nobody has.
        let (_h, result) = login(server.addr(), "anna", key(2)).await;
        assert!(!result.success());
        let (_h, result) = login(server.addr(), "anna", key(9)).await;
        assert!(!result.success());
        let mut handle = connect(server.addr()).await;
        let result = handle
            .authenticate_password("anna", "geheim")
            .await
            .unwrap();
        assert!(!result.success());
        // Only public keys are offered.
        if let AuthResult::Failure {
            remaining_methods, ..
        } = result
        {
            assert!(
                remaining_methods
                    .iter()
                    .all(|m| *m == russh::MethodKind::PublicKey),
                "{remaining_methods:?}"
            );
        }
        let admin = Account {
            name: "beheer".into(),
            role: Role::Admin,
        };
        server.service.deactivate_staff(&admin, "bert").unwrap();
        let (_h, result) = login(server.addr(), "bert", key(2)).await;
        assert!(!result.success(), "a deactivated account cannot log in");
        // The server still serves everyone else.
        let (_h, result) = login(server.addr(), "anna", key(1)).await;
        assert!(result.success());
    });
}

#[test]
fn a_save_in_one_session_appears_in_the_others_list() {
    let server = server();
    runtime().block_on(async {
        let (a, result) = login(server.addr(), "anna", key(1)).await;
        assert!(result.success());
        let (b, result) = login(server.addr(), "bert", key(2)).await;
        assert!(result.success());
        let anna = Term::open(&a, 100, 40, "C.UTF-8").await;
        let bert = Term::open(&b, 100, 40, "nl_NL.UTF-8").await;
        anna.shows("anna").await;
        bert.shows("bert").await;
        // Both go to 3 Versterken › Organisations.
        for term in [&anna, &bert] {
            term.send(b"3").await;
            for _ in 0..6 {
                let s = term.text();
                if s.contains("Organisations 3") || s.contains("Organisaties 3") {
                    break;
                }
                term.send(b"]").await;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let org_list = |s: &str| s.contains("kind: all") || s.contains("soort: alle");
        anna.until("the organisations list", org_list).await;
        bert.until("the organisations list", org_list).await;
        // bert moves his cursor down one row: it must stay where it is after anna's save.
        bert.send(b"\x1b[B").await;
        // anna registers an organisation with the keyboard.
        anna.send(b"n").await;
        anna.shows("Name").await;
        anna.send("Stichting Het Anker".as_bytes()).await;
        anna.send(b"\t\x1b[C\t\t").await;
        anna.send(b"gorin").await;
        anna.send(b"\t").await;
        anna.send(b"\x13").await;
        anna.shows("Stichting Het Anker").await;
        // bert's list shows it without him doing anything, in Dutch.
        bert.shows("Stichting Het Anker").await;
        assert!(bert.text().contains("soort: alle"), "{}", bert.text());
    });
}

#[test]
fn while_the_server_runs_another_koppel_is_told_how_to_connect_and_sigterm_stops_it_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let bin = assert_cmd::cargo::cargo_bin("koppel");
    let koppel = |args: &[&str]| {
        let mut c = std::process::Command::new(&bin);
        c.args(args)
            .arg("--data")
            .arg(&dir)
            .env("USER", "beheer")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
        c
    };
    assert!(koppel(&["init"]).status().unwrap().success());
    let mut server = koppel(&["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The address file appears once the server listens.
    let addr_file = dir.join("koppel-serve.addr");
    let start = Instant::now();
    let addr: std::net::SocketAddr = loop {
        if let Some(a) = std::fs::read_to_string(&addr_file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            break a;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no server");
        std::thread::sleep(Duration::from_millis(20));
    };
    // Commands that work on the store go through the server…
    let out = koppel(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // …one that needs the store to itself is told how to connect.
    let out = koppel(&["demo", "--no-tui", "--volunteers", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("ssh -p {} beheer@127.0.0.1", addr.port())),
        "{err}"
    );
    // SIGTERM (as systemd stops it): the server closes the store and removes the file.
    // SAFETY: kill() with our own child's pid and a plain signal number.
    unsafe {
        libc::kill(server.id() as libc::pid_t, libc::SIGTERM);
    }
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!addr_file.exists());
    assert!(!dir.join("koppel.sock").exists());
    let mut stdout = String::new();
    std::io::Read::read_to_string(server.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    assert!(stdout.contains("Host key fingerprint: SHA256:"), "{stdout}");
    assert!(koppel(&["check"]).status().unwrap().success());
}

/// Runs `command` as an SSH exec request: standard output, standard error, exit status.
async fn exec(handle: &client::Handle<Client>, command: &str) -> (Vec<u8>, String, Option<u32>) {
    let mut channel = handle.channel_open_session().await.unwrap();
    channel.exec(true, command).await.unwrap();
    let (mut out, mut err, mut status) = (Vec::new(), Vec::new(), None);
    while let Some(msg) = channel.wait().await {
        match msg {
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExtendedData { data, ext: 1 } => err.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    (out, String::from_utf8_lossy(&err).into_owned(), status)
}

#[test]
fn exec_requests_run_the_commands_the_role_allows_and_refuse_the_rest() {
    use koppel::domain::period::Period;
    use koppel::report::Report;
    use koppel::report::render::{CsvOptions, Format, render};
    let server = server();
    // The week's CSV as the library renders it from the same store.
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    let model = SharedModel::load_now(&server.service.report_source(&admin).unwrap());
    let period = Period::parse_week("2026-W48").unwrap();
    let expected = render(
        &Report::compute(&model.read(), period),
        Format::Csv,
        Lang::En,
        CsvOptions::default(),
    );
    model.shutdown();
    runtime().block_on(async {
        let (carla, result) = login(server.addr(), "carla", key(3)).await;
        assert!(result.success());
        let (out, err, status) = exec(&carla, "report weekly --week 2026-W48 --format csv").await;
        assert_eq!(status, Some(0), "{err}");
        assert!(out == expected, "{}", String::from_utf8_lossy(&out));
        assert_eq!(err, "");
        // A file on the server is never written for a caller.
        let (out, err, status) = exec(&carla, "report weekly --output 'week 48.md'").await;
        assert_eq!(status, Some(2));
        assert!(out.is_empty());
        assert!(err.contains("Over SSH, koppel writes no files"), "{err}");
        assert!(!std::path::Path::new("week 48.md").exists());
        // Only the server's own store.
        let (_, err, status) = exec(&carla, "check --data /tmp/elsewhere").await;
        assert_eq!(status, Some(2));
        assert!(err.contains("leave out --data"), "{err}");
        // Commands that need the store to themselves are refused with a sentence.
        let (_, err, status) = exec(&carla, "demo --no-tui").await;
        assert_eq!(status, Some(2));
        assert!(err.contains("Over SSH, koppel runs report"), "{err}");
        let (_, err, status) = exec(&carla, "report weekly --week '2026-W48").await;
        assert_eq!(status, Some(2));
        assert!(err.contains("a quote is not closed"), "{err}");
        // Usage errors as on the command line.
        let (_, err, status) = exec(&carla, "report weekly --week 2026-W54").await;
        assert_eq!(status, Some(2));
        assert!(err.contains("2026 has no week 54"), "{err}");
        // The role decides: a consultant reads no reports.
        let (anna, _) = login(server.addr(), "anna", key(1)).await;
        let (out, err, status) = exec(&anna, "report weekly --week 2026-W48").await;
        assert_eq!(status, Some(1));
        assert!(out.is_empty());
        assert!(err.contains("consultant"), "{err}");
    });
}
