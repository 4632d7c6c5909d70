//! `koppel serve`: one process owns the store and serves the screens to every SSH connection.
//!
//! Every channel with a shell runs its own [`Session`] (the same type the local terminal runs)
//! on its own thread, over the one [`Service`] and the one shared read model: a save in one
//! session reaches every other session's lists through the model's change feed, and each keeps
//! its own cursor and form input. Input bytes are parsed by a real terminal parser
//! ([`input`]); output goes through a small queue per channel, so a slow client only ever
//! waits for itself.
//!
//! Login is by public key only, against the staff accounts' keys; an unknown key, a
//! deactivated account, a password or keyboard-interactive attempt is refused and logged, and
//! an address that keeps failing is answered more and more slowly.

mod backend;
pub mod hostkey;
pub mod input;

use crate::domain::staff::StaffAccount;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::SharedModel;
use crate::service::{Account, Service};
use crate::ui::app::AppEvent;
use crate::ui::keymap::Keymap;
use crate::ui::session::{Session, SessionConfig};
use crate::ui::theme::Theme;
use backend::ChannelBackend;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::keys::{HashAlg, PublicKey};
use russh::server::{Auth, Msg, Server as _, Session as SshSession};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// The terminal size used until the client tells its own (and for a reported 0×0).
pub const DEFAULT_SIZE: (u16, u16) = (80, 24);
/// The largest terminal drawn: a client claiming more gets this much.
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;
/// Input events queued for one session; a flood beyond this is dropped.
const INPUT_QUEUE: usize = 1024;
/// Frames queued for one client: while they are not sent, that client's session waits.
const OUTPUT_QUEUE: usize = 8;
/// Session channels per connection.
const MAX_CHANNELS: usize = 4;
/// Failed logins from one address before its answers slow down, and the longest delay.
const FREE_FAILURES: u32 = 3;
const MAX_DELAY: Duration = Duration::from_secs(20);
/// Failures older than this are forgotten.
const FAILURE_MEMORY: Duration = Duration::from_secs(15 * 60);
/// Addresses remembered at most (the oldest are forgotten first).
const MAX_REMEMBERED: usize = 10_000;

/// How the server runs.
pub struct Settings {
    pub listen: SocketAddr,
    /// A connection that sends nothing for this long is closed.
    pub idle: Duration,
    /// The language of a session whose client sends no `LANG`, and of the log.
    pub lang: Lang,
    pub keymap: Arc<Keymap>,
    pub theme: Theme,
    /// Runs the command line of an SSH exec request (`None`: exec requests are refused).
    pub exec: Option<Exec>,
}

/// Runs a command line for an SSH exec request: its words (without a program name), the
/// logged-in account, the language; writes standard output and error into the two writers
/// and returns the exit status. Given by the command-line module, which knows the commands.
pub type Exec =
    Arc<dyn Fn(&[String], &Account, Lang, &mut dyn Write, &mut dyn Write) -> u8 + Send + Sync>;

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    HostKey(hostkey::HostKeyError),
    /// The address cannot be listened on.
    Listen {
        addr: SocketAddr,
        reason: String,
    },
    /// The runtime could not be started.
    Runtime(String),
}

/// A started server.
pub struct Running {
    /// Where it listens (with the port the system chose for port 0).
    pub addr: SocketAddr,
    /// The host key's fingerprint, as clients see it.
    pub fingerprint: String,
    /// Whether the host key was made at this start.
    pub new_host_key: bool,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting connections, closes every open one and waits for the server's thread.
    pub fn stop(mut self) {
        self.stop_now();
    }

    /// Waits until the server stops (after [`Running::stop`] from elsewhere, or a failure).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// The screens this server runs, for a local koppel that attaches to them over another
    /// byte stream than SSH (the Unix socket).
    pub fn screen_host(&self) -> ScreenHost {
        ScreenHost(self.shared.clone())
    }

    /// A handle that stops the server from another thread (a signal handler).
    pub fn stopper(&mut self) -> Option<tokio::sync::oneshot::Sender<()>> {
        self.shutdown.take()
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// What every connection shares.
struct Shared {
    service: Service,
    model: SharedModel,
    settings: Settings,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

/// Logs one line for the operator on standard error, after the time (UTC).
pub fn log_line(text: &str) {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let _ = writeln!(std::io::stderr().lock(), "{stamp} {text}");
}

impl Shared {
    /// Logs one line for the operator (standard error, in the server's language).
    fn log(&self, key: &str, params: &[(&str, String)]) {
        log_line(&tf(self.settings.lang, key, params));
    }

    /// How long to wait before answering a login attempt from `ip`.
    fn delay(&self, ip: Option<IpAddr>) -> Duration {
        let Some(ip) = ip else {
            return Duration::ZERO;
        };
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match failures.get(&ip) {
            Some(&(n, at)) if n > FREE_FAILURES && at.elapsed() < FAILURE_MEMORY => {
                let steps = (n - FREE_FAILURES).min(16);
                Duration::from_millis(250u64 << steps).min(MAX_DELAY)
            }
            _ => Duration::ZERO,
        }
    }

    fn failed(&self, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= MAX_REMEMBERED {
            failures.retain(|_, (_, at)| at.elapsed() < FAILURE_MEMORY);
            if failures.len() >= MAX_REMEMBERED
                && let Some(oldest) = failures.iter().min_by_key(|(_, (_, at))| *at).map(|e| *e.0)
            {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_MEMORY {
            entry.0 = 0;
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = Instant::now();
    }

    fn succeeded(&self, ip: Option<IpAddr>) {
        if let Some(ip) = ip {
            self.failures
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&ip);
        }
    }

    /// The active account `user` whose key is `key`.
    fn account(&self, user: &str, key: &PublicKey) -> Option<StaffAccount> {
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        let found = self.service.staff_account(user).ok().flatten()?;
        (found.data.active && found.data.key_with(&fingerprint).is_some()).then_some(found.data)
    }
}

/// Starts serving `service` and `model` on `settings.listen`, with the host key kept in
/// `key_dir` (made there on the first start). Returns once the address is bound.
pub fn start(
    service: Service,
    model: SharedModel,
    settings: Settings,
    key_dir: &std::path::Path,
) -> Result<Running, StartError> {
    let (key, new_host_key) = hostkey::load_or_create(key_dir).map_err(StartError::HostKey)?;
    let fingerprint = hostkey::fingerprint(&key);
    let config = russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        inactivity_timeout: Some(settings.idle),
        keepalive_interval: Some(Duration::from_secs(60)),
        keys: vec![key],
        nodelay: true,
        ..Default::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("koppel-ssh")
        .enable_all()
        .build()
        .map_err(|e| StartError::Runtime(e.to_string()))?;
    let listen = settings.listen;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(listen))
        .map_err(|e| StartError::Listen {
            addr: listen,
            reason: e.to_string(),
        })?;
    let addr = listener.local_addr().unwrap_or(listen);
    let shared = Arc::new(Shared {
        service,
        model,
        settings,
        failures: Mutex::default(),
    });
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let kept = shared.clone();
    let thread = std::thread::Builder::new()
        .name("koppel-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let mut server = Server { shared };
                let running = server.run_on_socket(Arc::new(config), &listener);
                let handle = running.handle();
                tokio::select! {
                    _ = running => {}
                    _ = stopped => handle.shutdown(String::new()),
                }
            });
            // Open connections' tasks end with the runtime.
            runtime.shutdown_timeout(Duration::from_secs(2));
        })
        .map_err(|e| StartError::Runtime(e.to_string()))?;
    Ok(Running {
        addr,
        fingerprint,
        new_host_key,
        shared: kept,
        shutdown: Some(shutdown),
        thread: Some(thread),
    })
}

#[derive(Clone)]
struct Server {
    shared: Arc<Shared>,
}

impl russh::server::Server for Server {
    type Handler = Connection;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Connection {
        Connection {
            shared: self.shared.clone(),
            peer,
            who: None,
            channels: HashMap::new(),
            ended: Arc::default(),
        }
    }
}

/// One SSH connection.
struct Connection {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    who: Option<Account>,
    channels: HashMap<ChannelId, ChannelState>,
    /// Channels the server closed itself (the screens quit, a command finished): forgotten
    /// before the next channel opens, so they do not count against [`MAX_CHANNELS`].
    ended: Arc<Mutex<Vec<ChannelId>>>,
}

/// One session channel.
struct ChannelState {
    cols: u16,
    rows: u16,
    lang: Option<Lang>,
    screens: Option<Screens>,
    /// A command runs on this channel.
    exec: bool,
}

/// Runs sessions of the screens over any byte stream: an SSH channel, or a local koppel
/// attached through the Unix socket (as `tmux attach` does).
#[derive(Clone)]
pub struct ScreenHost(Arc<Shared>);

impl ScreenHost {
    /// Starts a session for `who` at `size`: its input, and its output as one message per
    /// frame (ended when the session ends). `None` when no thread can be started.
    pub fn open(
        &self,
        who: Account,
        lang: Lang,
        size: (u16, u16),
    ) -> Option<(Screens, tokio::sync::mpsc::Receiver<Vec<u8>>)> {
        spawn_screens(&self.0, who, lang, clamp_size(size.0.into(), size.1.into()))
    }
}

/// Starts one session's screens on their own thread.
fn spawn_screens(
    shared: &Arc<Shared>,
    who: Account,
    lang: Lang,
    size: (u16, u16),
) -> Option<(Screens, tokio::sync::mpsc::Receiver<Vec<u8>>)> {
    let (events_tx, events_rx) = sync_channel::<AppEvent>(INPUT_QUEUE);
    let events = Arc::new(events_tx);
    let wake: Weak<SyncSender<AppEvent>> = Arc::downgrade(&events);
    let (out_tx, out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(OUTPUT_QUEUE);
    let shared = shared.clone();
    let login = who.name.clone();
    std::thread::Builder::new()
        .name(format!("koppel-ssh-{login}"))
        .spawn(move || run_screens(&shared, who, lang, size, events_rx, wake, out_tx))
        .ok()?;
    Some((
        Screens {
            events,
            parser: input::Parser::default(),
        },
        out_rx,
    ))
}

/// A running session's input: where its key bytes and size changes go. Dropping it ends the
/// session.
pub struct Screens {
    /// The only strong handle of the session's event queue: dropping it ends the session.
    events: Arc<SyncSender<AppEvent>>,
    parser: input::Parser,
}

impl Screens {
    /// Key, mouse and paste bytes from the client's terminal.
    pub fn feed(&mut self, data: &[u8]) {
        for event in self.parser.feed(data) {
            use crossterm::event::Event;
            let event = match event {
                Event::Key(k) => AppEvent::Key(k),
                Event::Mouse(m) => AppEvent::Mouse(m),
                Event::Paste(p) => AppEvent::Paste(p),
                _ => continue,
            };
            self.send(event);
        }
    }

    /// The client's terminal has a new size.
    pub fn resize(&self, cols: u16, rows: u16) {
        let (cols, rows) = clamp_size(cols.into(), rows.into());
        self.send(AppEvent::Resize(cols, rows));
    }

    fn send(&self, event: AppEvent) {
        match self.events.try_send(event) {
            Ok(()) | Err(TrySendError::Disconnected(_)) => {}
            // A flood: what the session cannot take is dropped.
            Err(TrySendError::Full(_)) => {}
        }
    }
}

/// A size from the client, within what is drawn: 0 means "unknown" (RFC 4254).
fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    if cols == 0 || rows == 0 {
        return DEFAULT_SIZE;
    }
    (
        cols.min(u32::from(MAX_COLS)) as u16,
        rows.min(u32::from(MAX_ROWS)) as u16,
    )
}

impl Connection {
    fn ip(&self) -> Option<IpAddr> {
        self.peer.map(|p| p.ip())
    }

    fn peer_text(&self) -> String {
        self.peer.map(|p| p.to_string()).unwrap_or_default()
    }

    async fn refuse(&self, user: &str, why: &str) -> Auth {
        self.shared.failed(self.ip());
        self.shared.log(
            "serve.log_refused",
            &[
                ("user", user.chars().take(64).collect()),
                ("peer", self.peer_text()),
                ("why", t(self.shared.settings.lang, why).to_string()),
            ],
        );
        Auth::reject()
    }

    /// Starts the screens on `channel` for the logged-in account.
    fn start_screens(&mut self, channel: ChannelId, session: &mut SshSession) -> bool {
        let Some(who) = self.who.clone() else {
            return false;
        };
        let Some(state) = self.channels.get_mut(&channel) else {
            return false;
        };
        if state.screens.is_some() {
            return false;
        }
        let lang = state.lang.unwrap_or(self.shared.settings.lang);
        let login = who.name.clone();
        let Some((screens, mut out_rx)) =
            spawn_screens(&self.shared, who, lang, (state.cols, state.rows))
        else {
            return false;
        };
        let handle = session.handle();
        let ended = self.ended.clone();
        // Output: this channel's frames, in order; the client's own flow control paces it.
        tokio::spawn(async move {
            while let Some(bytes) = out_rx.recv().await {
                if handle.data(channel, bytes).await.is_err() {
                    break;
                }
            }
            finish(&handle, channel, 0, &ended).await;
        });
        state.screens = Some(screens);
        self.shared.log(
            "serve.log_session",
            &[("user", login), ("peer", self.peer_text())],
        );
        true
    }
}

/// Ends a channel the server is done with: its exit status, end of data, close; and notes it
/// as ended for its connection.
async fn finish(
    handle: &russh::server::Handle,
    channel: ChannelId,
    status: u32,
    ended: &Mutex<Vec<ChannelId>>,
) {
    let _ = handle.exit_status_request(channel, status).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
    ended
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(channel);
}

/// One channel's screens, on their own thread, until the user quits or the channel closes.
fn run_screens(
    shared: &Shared,
    who: Account,
    lang: Lang,
    (cols, rows): (u16, u16),
    events: Receiver<AppEvent>,
    wake: Weak<SyncSender<AppEvent>>,
    out: tokio::sync::mpsc::Sender<Vec<u8>>,
) {
    use crossterm::event::{
        DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    };
    use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
    let mut writer = ChannelWriter {
        buf: Vec::new(),
        out: out.clone(),
    };
    let _ = crossterm::queue!(
        writer,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        crossterm::cursor::Hide
    );
    let backend = ChannelBackend::new(writer, Size::new(cols, rows));
    let Ok(mut terminal) = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        },
    ) else {
        return;
    };
    let config = SessionConfig {
        keymap: shared.settings.keymap.clone(),
        lang,
        theme: shared.settings.theme,
    };
    let mut session = Session::new(
        shared.service.clone(),
        who,
        shared.model.clone(),
        config,
        move || {
            if let Some(events) = wake.upgrade() {
                // A full queue is woken already.
                let _ = events.try_send(AppEvent::Wake);
            }
        },
    );
    session.handle(AppEvent::Resize(cols, rows));
    let _ = crate::ui::run::run(&mut terminal, &mut session, &events);
    drop(session);
    drop(terminal);
    // The client's terminal as it was: main screen, cursor shown, no mouse reporting.
    let mut writer = ChannelWriter {
        buf: Vec::new(),
        out,
    };
    let _ = crossterm::queue!(
        writer,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = writer.flush();
}

/// What a command run for an exec request writes, in order.
enum ExecOutput {
    Out(Vec<u8>),
    Err(Vec<u8>),
    Exit(u8),
}

/// Standard output or error of an exec request's command: each write goes to the channel in
/// order; a full queue makes the command wait for its client, a closed one stops it.
struct ExecWriter {
    tx: tokio::sync::mpsc::Sender<ExecOutput>,
    err: bool,
}

impl Write for ExecWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(32 * 1024);
        let bytes = buf[..n].to_vec();
        let part = if self.err {
            ExecOutput::Err(bytes)
        } else {
            ExecOutput::Out(bytes)
        };
        self.tx
            .blocking_send(part)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A channel's output: what ratatui writes for one frame, sent as one message when flushed.
/// A full queue makes this session wait for its own client; a closed one ends the session.
struct ChannelWriter {
    buf: Vec<u8>,
    out: tokio::sync::mpsc::Sender<Vec<u8>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        self.out
            .blocking_send(frame)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        // OpenSSH asks first which methods there are; that is no failure.
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_password(&mut self, user: &str, _password: &str) -> Result<Auth, Self::Error> {
        tokio::time::sleep(self.shared.delay(self.ip())).await;
        Ok(self.refuse(user, "serve.why_password").await)
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        tokio::time::sleep(self.shared.delay(self.ip())).await;
        Ok(self.refuse(user, "serve.why_keyboard").await)
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        tokio::time::sleep(self.shared.delay(self.ip())).await;
        // A client offers each of its keys in turn: only the last refusal is a failure
        // worth counting, but every one is logged.
        Ok(match self.shared.account(user, key) {
            Some(_) => Auth::Accept,
            None => self.refuse(user, "serve.why_key").await,
        })
    }

    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        Ok(match self.shared.account(user, key) {
            Some(account) => {
                self.shared.succeeded(self.ip());
                self.who = Some(Service::account_of(&account));
                Auth::Accept
            }
            None => self.refuse(user, "serve.why_key").await,
        })
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        for gone in std::mem::take(&mut *self.ended.lock().unwrap_or_else(|p| p.into_inner())) {
            self.channels.remove(&gone);
        }
        if self.who.is_none() || self.channels.len() >= MAX_CHANNELS {
            reply
                .reject(russh::ChannelOpenFailure::ResourceShortage)
                .await;
            return Ok(());
        }
        self.channels.insert(
            channel.id(),
            ChannelState {
                cols: DEFAULT_SIZE.0,
                rows: DEFAULT_SIZE.1,
                lang: None,
                screens: None,
                exec: false,
            },
        );
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(state) if state.screens.is_none() => {
                (state.cols, state.rows) = clamp_size(cols, rows);
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        let lang = matches!(name, "LANG" | "LC_ALL" | "LC_MESSAGES" | "KOPPEL_LANG")
            .then(|| Lang::parse(value))
            .flatten();
        match (self.channels.get_mut(&channel), lang) {
            (Some(state), Some(lang)) => {
                // LC_ALL and LC_MESSAGES win over LANG, as in a shell.
                if name != "LANG" || state.lang.is_none() {
                    state.lang = Some(lang);
                }
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if self.start_screens(channel, session) {
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        command: &[u8],
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        let lang = self
            .channels
            .get(&channel)
            .and_then(|s| s.lang)
            .unwrap_or(self.shared.settings.lang);
        let (Some(who), Some(state)) = (self.who.clone(), self.channels.get_mut(&channel)) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        if state.exec || state.screens.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        state.exec = true;
        session.channel_success(channel)?;
        let text = String::from_utf8_lossy(command).into_owned();
        self.shared.log(
            "serve.log_exec",
            &[
                ("user", who.name.clone()),
                ("peer", self.peer_text()),
                ("command", text.chars().take(200).collect()),
            ],
        );
        let (tx, mut rx) = tokio::sync::mpsc::channel::<ExecOutput>(OUTPUT_QUEUE);
        let handle = session.handle();
        let ended = self.ended.clone();
        tokio::spawn(async move {
            let mut status = 1;
            while let Some(part) = rx.recv().await {
                let sent = match part {
                    ExecOutput::Out(bytes) => handle.data(channel, bytes).await.is_ok(),
                    ExecOutput::Err(bytes) => handle.extended_data(channel, 1, bytes).await.is_ok(),
                    ExecOutput::Exit(code) => {
                        status = u32::from(code);
                        true
                    }
                };
                if !sent {
                    break;
                }
            }
            finish(&handle, channel, status, &ended).await;
        });
        let shared = self.shared.clone();
        let started = std::thread::Builder::new()
            .name(format!("koppel-exec-{}", who.name))
            .spawn(move || {
                let mut out = ExecWriter {
                    tx: tx.clone(),
                    err: false,
                };
                let mut err = ExecWriter {
                    tx: tx.clone(),
                    err: true,
                };
                let code = match (shell_words::split(&text), &shared.settings.exec) {
                    (Ok(words), Some(exec)) => exec(&words, &who, lang, &mut out, &mut err),
                    (Err(_), _) => {
                        let _ = writeln!(err, "{}", t(lang, "serve.exec_unsplittable"));
                        2
                    }
                    (_, None) => {
                        let _ = writeln!(err, "{}", t(lang, "serve.no_exec"));
                        2
                    }
                };
                let _ = tx.blocking_send(ExecOutput::Exit(code));
            });
        if started.is_err() {
            self.channels.remove(&channel);
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if let Some(screens) = self
            .channels
            .get_mut(&channel)
            .and_then(|s| s.screens.as_mut())
        {
            screens.feed(data);
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get_mut(&channel) {
            (state.cols, state.rows) = clamp_size(cols, rows);
            if let Some(screens) = &state.screens {
                screens.send(AppEvent::Resize(state.cols, state.rows));
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_kept_within_what_is_drawn() {
        assert_eq!(clamp_size(0, 0), DEFAULT_SIZE);
        assert_eq!(clamp_size(120, 0), DEFAULT_SIZE);
        assert_eq!(clamp_size(10_000, 10_000), (MAX_COLS, MAX_ROWS));
        assert_eq!(clamp_size(u32::MAX, 40), (MAX_COLS, 40));
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(1, 1), (1, 1));
    }
}
