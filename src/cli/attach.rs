//! Local commands that go through a running `koppel serve`, as `tmux attach` goes through the
//! tmux server: the server listens on a Unix socket in the store directory
//! ([`SOCKET`], mode 0600), a local `koppel export|report|check|import|user|backup` (and the
//! screens) that finds it answering sends its command line and user name, and the server runs
//! the command through the one dispatcher (`super::dispatch`) with its own service, as the
//! staff account of that user.
//!
//! Files named on the command line are read and written by the client (the person's own
//! rights and working folder, the same safe writer as always): the server streams a file's
//! bytes and the client writes them; the server asks for an input file's bytes and the client
//! sends them. Standard output and error are streamed back, and the exit code.
//!
//! Only a process of the server's own system user is served (the peer's uid from
//! `SO_PEERCRED`); it acts as the account its user name names, as a command that opens the
//! store itself does. Every other peer is refused and logged. The client checks the server's
//! uid the same way before it trusts it with a file.
//!
//! The wire: frames of one tag byte, a 4-byte big-endian length and that many bytes.

use super::dispatch::{self, Ctx, Io, Served, StoreCommand};
use super::output::{self, CLOSED_PIPE};
use super::{Failure, parse_args};
use crate::clock::SharedClock;
use crate::i18n::{Lang, t, tf};
use crate::service::{LocalAccount, Service};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, BufWriter, ErrorKind, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The socket's name in the store directory.
pub const SOCKET: &str = "koppel.sock";
/// The largest frame read (file chunks are much smaller).
const MAX_FRAME: usize = 1 << 20;
/// The size of the chunks files are moved in.
const CHUNK: usize = 64 * 1024;
/// Connections served at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 64;
/// How long a new connection may take to say who it is.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

mod tag {
    // Client to server.
    pub const HELLO: u8 = 1;
    pub const FILE_DONE: u8 = 2;
    pub const INPUT_OPENED: u8 = 3;
    pub const INPUT_DATA: u8 = 4;
    pub const KEYS: u8 = 5;
    pub const RESIZE: u8 = 6;
    // Server to client.
    pub const OUT: u8 = 10;
    pub const ERR: u8 = 11;
    pub const WRITE_FILE: u8 = 12;
    pub const FILE_DATA: u8 = 13;
    pub const FILE_END: u8 = 14;
    pub const FILE_ABORT: u8 = 15;
    pub const OPEN_INPUT: u8 = 16;
    pub const READ_INPUT: u8 = 17;
    pub const EXIT: u8 = 18;
}

fn write_frame(w: &mut impl Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| ErrorKind::InvalidInput)?;
    let mut head = [0u8; 5];
    head[0] = tag;
    head[1..].copy_from_slice(&len.to_be_bytes());
    w.write_all(&head)?;
    w.write_all(payload)?;
    w.flush()
}

fn read_frame(r: &mut impl Read) -> std::io::Result<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    r.read_exact(&mut head)?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(ErrorKind::InvalidData.into());
    }
    let mut payload = vec![0; len];
    r.read_exact(&mut payload)?;
    Ok((head[0], payload))
}

/// What a client says first.
#[derive(Debug, Serialize, Deserialize)]
struct Hello {
    /// koppel's version: client and server must be the same build of the commands.
    version: String,
    /// The user name the account is found by (`USER`, as when the store is opened directly).
    user: String,
    lang: String,
    /// The command line, program name first.
    args: Vec<Vec<u8>>,
    /// For the screens: the terminal's size.
    screens: Option<(u16, u16)>,
}

/// The uid of the process at the other end of `stream`.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
    rustix::net::sockopt::socket_peercred(stream)
        .ok()
        .map(|c| c.uid.as_raw())
}

fn own_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Why a socket peer is not served.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It runs as another system user than the server.
    OtherUser { uid: u32 },
}

/// The user name a socket peer acts as: a process of the server's own system user (which can
/// read the store's files anyway) acts as the user name it gives, as a command that opens the
/// store itself acts as its `USER`; any other system user is refused.
pub fn peer_user(peer_uid: u32, server_uid: u32, claimed: &str) -> Result<String, Refusal> {
    if peer_uid != server_uid {
        return Err(Refusal::OtherUser { uid: peer_uid });
    }
    Ok(claimed.to_string())
}

/// A running `koppel serve` found through its socket.
pub struct Client {
    stream: UnixStream,
}

impl Client {
    /// Connects to the server holding the store in `dir`, when one answers there and runs as
    /// this system user (a socket of anyone else is not trusted with files).
    pub fn connect(dir: &Path) -> Option<Client> {
        let stream = UnixStream::connect(dir.join(SOCKET)).ok()?;
        (peer_uid(&stream)? == own_uid()).then_some(Client { stream })
    }

    fn hello(&mut self, args: &[std::ffi::OsString], ctx: &Ctx, screens: Option<(u16, u16)>) {
        let hello = Hello {
            version: env!("CARGO_PKG_VERSION").to_string(),
            user: ctx.user.clone(),
            lang: ctx.lang.code().to_string(),
            args: args.iter().map(|a| a.clone().into_vec()).collect(),
            screens,
        };
        let json = serde_json::to_vec(&hello).unwrap_or_default();
        let _ = write_frame(&mut self.stream, tag::HELLO, &json);
    }

    /// Runs the command line `args` through the server and prints what it answers.
    pub fn run_command(mut self, args: &[std::ffi::OsString], ctx: &Ctx) -> Result<(), Failure> {
        let lang = ctx.lang;
        self.hello(args, ctx, None);
        let lost = || Failure::runtime(t(lang, "attach.lost").to_string());
        let mut reader = BufReader::new(self.stream.try_clone().map_err(|_| lost())?);
        let mut input: Option<Box<dyn BufRead>> = None;
        let mut local = dispatch::LocalIo::new(lang);
        loop {
            let (tag, payload) = read_frame(&mut reader).map_err(|_| lost())?;
            match tag {
                tag::OUT => {
                    let out = local.out();
                    out.write_all(&payload)
                        .and_then(|()| out.flush())
                        .map_err(|e| output::stdout_failure(lang, &e))?;
                }
                tag::ERR => {
                    let _ = local.err().write_all(&payload);
                }
                tag::WRITE_FILE => {
                    let path = PathBuf::from(std::ffi::OsString::from_vec(payload));
                    let (mut aborted, mut received) = (false, false);
                    let mut written = local.write_file(&path, &mut |w| {
                        received = true;
                        receive_file(&mut reader, w, lang, &path, &mut aborted)
                    });
                    if !received {
                        // The file could not even be started: the bytes are let go by.
                        let drained = receive_file(
                            &mut reader,
                            &mut std::io::sink(),
                            lang,
                            &path,
                            &mut aborted,
                        );
                        if let Err(f) = drained
                            && !aborted
                        {
                            written = Err(f);
                        }
                    }
                    if aborted {
                        continue;
                    }
                    let answer = match written {
                        Ok(()) => String::new(),
                        Err(f) => f.message,
                    };
                    write_frame(&mut self.stream, tag::FILE_DONE, answer.as_bytes())
                        .map_err(|_| lost())?;
                }
                tag::OPEN_INPUT => {
                    let path = PathBuf::from(std::ffi::OsString::from_vec(payload));
                    let answer = match open_input(&path) {
                        Ok(r) => {
                            input = Some(r);
                            String::new()
                        }
                        Err(reason) => reason,
                    };
                    write_frame(&mut self.stream, tag::INPUT_OPENED, answer.as_bytes())
                        .map_err(|_| lost())?;
                }
                tag::READ_INPUT => {
                    let want = payload
                        .get(..4)
                        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
                        .min(CHUNK);
                    let mut buf = vec![0; want];
                    let n = match input.as_mut() {
                        Some(r) => r.read(&mut buf).unwrap_or(0),
                        None => 0,
                    };
                    write_frame(&mut self.stream, tag::INPUT_DATA, &buf[..n])
                        .map_err(|_| lost())?;
                }
                tag::EXIT => {
                    let code = payload.first().copied().unwrap_or(1);
                    let message = String::from_utf8_lossy(payload.get(1..).unwrap_or_default());
                    return match code {
                        0 => Ok(()),
                        code => Err(Failure {
                            message: message.into_owned(),
                            code,
                        }),
                    };
                }
                _ => return Err(lost()),
            }
        }
    }
}

/// Opens an input file on the client's side (`-`: standard input).
fn open_input(path: &Path) -> Result<Box<dyn BufRead>, String> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    Ok(Box::new(BufReader::new(f)))
}

/// Writes a file's frames into `w` until the server ends or abandons it. A failed write is
/// told once the server has sent the whole file (so the stream stays in step).
fn receive_file(
    reader: &mut impl Read,
    w: &mut dyn Write,
    lang: Lang,
    path: &Path,
    aborted: &mut bool,
) -> Result<(), Failure> {
    let mut failed: Option<std::io::Error> = None;
    loop {
        let (tag, payload) =
            read_frame(reader).map_err(|_| Failure::runtime(t(lang, "attach.lost").to_string()))?;
        match tag {
            tag::FILE_DATA => {
                if failed.is_none()
                    && let Err(e) = w.write_all(&payload)
                {
                    failed = Some(e);
                }
            }
            tag::FILE_END => {
                return match failed {
                    Some(e) => Err(output::file_failure(lang, path, &e)),
                    None => Ok(()),
                };
            }
            tag::FILE_ABORT => {
                // The server failed while writing and says why itself.
                *aborted = true;
                return Err(Failure::runtime(String::new()));
            }
            _ => return Err(Failure::runtime(t(lang, "attach.lost").to_string())),
        }
    }
}

/// The server's side of the socket.
pub struct Listener {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What every socket connection is served with.
pub struct Host {
    pub dir: PathBuf,
    pub service: Service,
    pub clock: SharedClock,
    /// The language of the log.
    pub lang: Lang,
    /// The screens, for a local koppel that attaches to them.
    pub screens: crate::server::ScreenHost,
}

impl Host {
    fn log(&self, key: &str, params: &[(&str, String)]) {
        crate::server::log_line(&tf(self.lang, key, params));
    }
}

impl Listener {
    /// Listens on [`SOCKET`] in `host.dir`. A socket left by a killed server is replaced
    /// (this process holds the store, so no other server can be using it); anything else at
    /// that name is left alone and the start fails with the reason.
    pub fn start(host: Host) -> Result<Listener, String> {
        let path = host.dir.join(SOCKET);
        let listener = bind_private(&host.dir, &path).map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let host = Arc::new(host);
        let active = Arc::new(AtomicUsize::new(0));
        let thread = std::thread::Builder::new()
            .name("koppel-socket".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        continue;
                    }
                    active.fetch_add(1, Ordering::SeqCst);
                    let (host, done) = (host.clone(), active.clone());
                    let spawned = std::thread::Builder::new()
                        .name("koppel-local".into())
                        .spawn(move || {
                            serve_connection(&host, stream);
                            done.fetch_sub(1, Ordering::SeqCst);
                        });
                    if spawned.is_err() {
                        active.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Listener {
            path,
            stop,
            thread: Some(thread),
        })
    }

    /// Stops listening and removes the socket.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag.
        let _ = UnixStream::connect(&self.path);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Binds a socket at `path`, private from the start: bound under a random name beside it,
/// made 0600, then renamed into place. A socket a killed server left there is replaced.
fn bind_private(dir: &Path, path: &Path) -> std::io::Result<UnixListener> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => {}
        Ok(_) => {
            return Err(std::io::Error::new(
                ErrorKind::AlreadyExists,
                "something that is not koppel's socket has that name",
            ));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    // The temporary name is random: a name planted in advance cannot be it.
    let scratch = tempfile::Builder::new()
        .prefix(".koppel-sock-")
        .tempdir_in(dir)?;
    let temporary = scratch.path().join("s");
    let listener = UnixListener::bind(&temporary)?;
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&temporary, path)?;
    Ok(listener)
}

/// The server's end of one connection: who it is, then its command or its screens.
fn serve_connection(host: &Host, mut stream: UnixStream) {
    let lang = host.lang;
    let uid = peer_uid(&stream).unwrap_or(u32::MAX);
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    let hello = match read_frame(&mut stream) {
        Ok((tag::HELLO, payload)) => serde_json::from_slice::<Hello>(&payload).ok(),
        // A connection that says nothing (a client checking that the server answers).
        _ => return,
    };
    let _ = stream.set_read_timeout(None);
    let exit = |stream: &mut UnixStream, code: u8, message: &str| {
        let mut payload = vec![code];
        payload.extend_from_slice(message.as_bytes());
        let _ = write_frame(stream, tag::EXIT, &payload);
    };
    let user = match peer_user(uid, own_uid(), hello.as_ref().map_or("", |h| &h.user)) {
        Ok(user) => user,
        Err(Refusal::OtherUser { uid }) => {
            host.log(
                "attach.log_refused",
                &[
                    ("uid", uid.to_string()),
                    ("why", t(lang, "attach.why_uid").to_string()),
                ],
            );
            exit(&mut stream, 1, t(lang, "attach.other_user"));
            return;
        }
    };
    let Some(hello) = hello else { return };
    let lang = Lang::parse(&hello.lang).unwrap_or(lang);
    if hello.version != env!("CARGO_PKG_VERSION") {
        let text = tf(
            lang,
            "attach.version",
            &[
                ("server", env!("CARGO_PKG_VERSION").to_string()),
                ("client", hello.version.chars().take(32).collect()),
            ],
        );
        exit(&mut stream, 1, &text);
        return;
    }
    // The account: a name with none is refused by the command itself, with the sentence a
    // direct command gives; the refusal is logged here.
    let account = host.service.local_account(&user, false);
    let known = matches!(account, Ok(LocalAccount::Found(_)));
    if !known {
        host.log(
            "attach.log_refused",
            &[
                ("uid", uid.to_string()),
                (
                    "why",
                    tf(
                        lang,
                        "attach.why_account",
                        &[("user", user.chars().take(64).collect())],
                    ),
                ),
            ],
        );
    }
    if let Some(size) = hello.screens {
        let message = match account {
            Ok(LocalAccount::Found(who)) => {
                host.log("attach.log_screens", &[("user", who.name.clone())]);
                attach_screens(&host.screens, who, lang, size, &mut stream);
                String::new()
            }
            _ => super::user::local_account_text(&host.service, &user, false, lang)
                .err()
                .unwrap_or_default(),
        };
        exit(&mut stream, u8::from(!message.is_empty()), &message);
        return;
    }
    let args: Vec<std::ffi::OsString> = hello
        .args
        .into_iter()
        .map(std::ffi::OsString::from_vec)
        .collect();
    let (code, message) = match parse_args(&args, lang) {
        Err(usage) => (usage.code, usage.text),
        Ok(cli) => match cli.command.map(StoreCommand::from_command) {
            Some(Some(command)) => {
                if known {
                    host.log(
                        "attach.log_command",
                        &[
                            ("user", user.clone()),
                            ("command", command.name().to_string()),
                        ],
                    );
                }
                let ctx = Ctx {
                    dir: host.dir.clone(),
                    user,
                    lang,
                    clock: host.clock.clone(),
                };
                let mut io = SocketIo::new(&stream);
                match io.as_mut() {
                    Some(io) => {
                        match dispatch::run(command, &ctx, &mut Served(host.service.clone()), io) {
                            Ok(()) => (0, String::new()),
                            Err(f) => (f.code, f.message),
                        }
                    }
                    None => return,
                }
            }
            _ => (1, t(lang, "attach.not_served").to_string()),
        },
    };
    if code == CLOSED_PIPE {
        return;
    }
    exit(&mut stream, code, &message);
}

/// A local koppel's screens: its key bytes and size changes in, frames out, until the user
/// quits or the client goes away.
fn attach_screens(
    host: &crate::server::ScreenHost,
    who: crate::service::Account,
    lang: Lang,
    size: (u16, u16),
    stream: &mut UnixStream,
) {
    let Some((mut input, mut frames)) = host.open(who, lang, size) else {
        return;
    };
    let Ok(mut reader) = stream.try_clone() else {
        return;
    };
    // Input on its own thread; dropping `input` when the client goes ends the session.
    let reading = std::thread::Builder::new()
        .name("koppel-local-keys".into())
        .spawn(move || {
            while let Ok((tag, payload)) = read_frame(&mut reader) {
                match tag {
                    tag::KEYS => input.feed(&payload),
                    tag::RESIZE if payload.len() == 4 => input.resize(
                        u16::from_be_bytes([payload[0], payload[1]]),
                        u16::from_be_bytes([payload[2], payload[3]]),
                    ),
                    _ => {}
                }
            }
        });
    while let Some(bytes) = frames.blocking_recv() {
        if write_frame(stream, tag::OUT, &bytes).is_err() {
            break;
        }
    }
    // The session ended: unblock the input thread.
    let _ = stream.shutdown(std::net::Shutdown::Read);
    if let Ok(t) = reading {
        let _ = t.join();
    }
}

/// A command's output and files over the socket (see the module doc).
struct SocketIo {
    out: FrameWriter,
    err: FrameWriter,
    stream: UnixStream,
}

impl SocketIo {
    fn new(stream: &UnixStream) -> Option<SocketIo> {
        Some(SocketIo {
            out: FrameWriter::new(stream.try_clone().ok()?, tag::OUT),
            err: FrameWriter::new(stream.try_clone().ok()?, tag::ERR),
            stream: stream.try_clone().ok()?,
        })
    }
}

/// Writes each write as one frame of `tag`.
struct FrameWriter {
    stream: UnixStream,
    tag: u8,
}

impl FrameWriter {
    fn new(stream: UnixStream, tag: u8) -> FrameWriter {
        FrameWriter { stream, tag }
    }
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(CHUNK);
        write_frame(&mut self.stream, self.tag, &buf[..n])?;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An input file's bytes, asked from the client a chunk at a time.
struct InputReader<'a> {
    stream: &'a mut UnixStream,
}

impl Read for InputReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = u32::try_from(buf.len().min(CHUNK)).unwrap_or(CHUNK as u32);
        write_frame(self.stream, tag::READ_INPUT, &want.to_be_bytes())?;
        match read_frame(self.stream)? {
            (tag::INPUT_DATA, data) if data.len() <= buf.len() => {
                buf[..data.len()].copy_from_slice(&data);
                Ok(data.len())
            }
            _ => Err(ErrorKind::InvalidData.into()),
        }
    }
}

impl Io for SocketIo {
    fn out(&mut self) -> &mut dyn Write {
        &mut self.out
    }
    fn err(&mut self) -> &mut dyn Write {
        &mut self.err
    }
    fn write_file(
        &mut self,
        path: &Path,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let lost = |e: std::io::Error| Failure::runtime(e.to_string());
        write_frame(
            &mut self.stream,
            tag::WRITE_FILE,
            path.as_os_str().as_bytes(),
        )
        .map_err(lost)?;
        let mut data = BufWriter::with_capacity(
            CHUNK,
            FrameWriter::new(self.stream.try_clone().map_err(lost)?, tag::FILE_DATA),
        );
        let written = write(&mut data)
            .and_then(|()| data.flush().map_err(|e| Failure::runtime(e.to_string())));
        drop(data);
        if let Err(f) = written {
            let _ = write_frame(&mut self.stream, tag::FILE_ABORT, &[]);
            return Err(f);
        }
        write_frame(&mut self.stream, tag::FILE_END, &[]).map_err(lost)?;
        match read_frame(&mut self.stream).map_err(lost)? {
            (tag::FILE_DONE, answer) if answer.is_empty() => Ok(()),
            (tag::FILE_DONE, answer) => Err(Failure::runtime(
                String::from_utf8_lossy(&answer).into_owned(),
            )),
            _ => Err(Failure::runtime(String::new())),
        }
    }
    fn read_file(&mut self, path: &Path) -> Result<Box<dyn BufRead + '_>, String> {
        write_frame(
            &mut self.stream,
            tag::OPEN_INPUT,
            path.as_os_str().as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        match read_frame(&mut self.stream).map_err(|e| e.to_string())? {
            (tag::INPUT_OPENED, answer) if answer.is_empty() => {
                Ok(Box::new(BufReader::with_capacity(
                    CHUNK,
                    InputReader {
                        stream: &mut self.stream,
                    },
                )))
            }
            (_, answer) => Err(String::from_utf8_lossy(&answer).into_owned()),
        }
    }
    fn file_len(&mut self, _path: &Path) -> u64 {
        // The server's store is open already: no room is asked for at opening.
        0
    }
    fn progress(&self, _lang: Lang) -> Option<output::ImportBar> {
        None
    }
}

/// Mutex-guarded socket writes of the attached screens' client (keys and sizes from two
/// threads).
type Shared = Arc<Mutex<UnixStream>>;

impl Client {
    /// Runs the screens of the server in this terminal, like `tmux attach`: raw key bytes and
    /// size changes go to the server, what it draws comes back.
    pub fn run_screens(mut self, args: &[std::ffi::OsString], ctx: &Ctx) -> Result<(), Failure> {
        use crate::ui::terminal::{RawTerminal, terminal_size};
        let lang = ctx.lang;
        let lost = || Failure::runtime(t(lang, "attach.lost").to_string());
        let raw = RawTerminal::enter().map_err(|e| {
            Failure::runtime(tf(lang, "error.terminal", &[("reason", e.to_string())]))
        })?;
        // Size changes are watched before the first size is sent, so none is missed.
        let winch = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()
            .and_then(|rt| {
                let watched = {
                    let _in = rt.enter();
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
                };
                watched.ok().map(|w| (rt, w))
            });
        self.hello(args, ctx, Some(terminal_size()));
        let writer: Shared = Arc::new(Mutex::new(self.stream.try_clone().map_err(|_| lost())?));
        // Keys: the terminal's bytes as they come.
        let keys = writer.clone();
        let _ = std::thread::Builder::new()
            .name("koppel-keys".into())
            .spawn(move || {
                let mut stdin = std::io::stdin();
                let mut buf = [0u8; 4096];
                while let Ok(n) = stdin.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut s = keys.lock().unwrap_or_else(|p| p.into_inner());
                    if write_frame(&mut *s, tag::KEYS, &buf[..n]).is_err() {
                        break;
                    }
                }
            });
        // Sizes: each SIGWINCH sends the terminal's new size.
        if let Some((rt, mut winch)) = winch {
            let sizes = writer.clone();
            let _ = std::thread::Builder::new()
                .name("koppel-winch".into())
                .spawn(move || {
                    rt.block_on(async move {
                        while winch.recv().await.is_some() {
                            let (cols, rows) = terminal_size();
                            let mut payload = cols.to_be_bytes().to_vec();
                            payload.extend_from_slice(&rows.to_be_bytes());
                            let mut s = sizes.lock().unwrap_or_else(|p| p.into_inner());
                            if write_frame(&mut *s, tag::RESIZE, &payload).is_err() {
                                break;
                            }
                        }
                    });
                });
        }
        let mut reader = BufReader::new(self.stream.try_clone().map_err(|_| lost())?);
        let mut stdout = std::io::stdout();
        let result = loop {
            match read_frame(&mut reader) {
                Ok((tag::OUT, bytes)) => {
                    if stdout
                        .write_all(&bytes)
                        .and_then(|()| stdout.flush())
                        .is_err()
                    {
                        break Err(lost());
                    }
                }
                Ok((tag::EXIT, payload)) => {
                    let code = payload.first().copied().unwrap_or(1);
                    let message =
                        String::from_utf8_lossy(payload.get(1..).unwrap_or_default()).into_owned();
                    break if code == 0 {
                        Ok(())
                    } else {
                        Err(Failure { message, code })
                    };
                }
                Ok(_) => {}
                Err(_) => break Err(lost()),
            }
        };
        drop(raw);
        result
    }
}

impl StoreCommand {
    /// The command's name, for the log.
    pub fn name(&self) -> &'static str {
        match self {
            StoreCommand::Export { .. } => "export",
            StoreCommand::Import { .. } => "import",
            StoreCommand::Check => "check",
            StoreCommand::Backup => "backup",
            StoreCommand::Report(_) => "report",
            StoreCommand::User(_) => "user",
            StoreCommand::Audit(_) => "audit",
            StoreCommand::Privacy(_) => "privacy",
            StoreCommand::Compact => "compact",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_system_user_is_served() {
        assert_eq!(peer_user(1000, 1000, "anna"), Ok("anna".to_string()));
        assert_eq!(
            peer_user(1001, 1000, "anna"),
            Err(Refusal::OtherUser { uid: 1001 })
        );
        // Root is another user too, for a server that runs as someone else.
        assert_eq!(
            peer_user(0, 1000, "root"),
            Err(Refusal::OtherUser { uid: 0 })
        );
    }

    #[test]
    fn frames_round_trip_and_an_oversized_one_is_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, tag::OUT, b"hello").unwrap();
        write_frame(&mut buf, tag::EXIT, &[0]).unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r).unwrap(), (tag::OUT, b"hello".to_vec()));
        assert_eq!(read_frame(&mut r).unwrap(), (tag::EXIT, vec![0]));
        let mut big = vec![tag::OUT];
        big.extend_from_slice(&(MAX_FRAME as u32 + 1).to_be_bytes());
        assert!(read_frame(&mut &big[..]).is_err());
    }

    #[test]
    fn a_stale_socket_is_replaced_and_anything_else_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SOCKET);
        // A killed server's socket: nobody listens on it.
        drop(UnixListener::bind(&path).unwrap());
        let listener = bind_private(dir.path(), &path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(UnixStream::connect(&path).is_ok());
        drop(listener);
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "precious").unwrap();
        assert!(bind_private(dir.path(), &path).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
        // No temporary folder is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
