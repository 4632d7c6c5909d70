//! `koppel serve`: opens the store, starts the SSH server and runs until stopped (Ctrl+C or
//! SIGTERM, as from systemd), then closes the store cleanly. When something was erased or
//! anonymised while it ran, it compacts the store first (after every session has ended), so
//! the old versions leave the files; a server killed before that does it when it starts.

use super::output::say;
use super::{Failure, close, open_service, user};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::i18n::{Lang, tf};
use crate::server::hostkey::HostKeyError;
use crate::server::log_line;
use crate::server::{Settings, StartError};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// A start failure as a sentence.
fn start_error(lang: Lang, e: &StartError) -> String {
    match e {
        StartError::HostKey(HostKeyError::Unsafe { path, mode }) => tf(
            lang,
            "serve.host_key_unsafe",
            &[
                ("path", path.display().to_string()),
                ("mode", format!("{mode:o}")),
            ],
        ),
        StartError::HostKey(HostKeyError::Io { path, reason }) => tf(
            lang,
            "serve.host_key_io",
            &[
                ("path", path.display().to_string()),
                ("reason", reason.clone()),
            ],
        ),
        StartError::HostKey(HostKeyError::Invalid { path }) => tf(
            lang,
            "serve.host_key_invalid",
            &[("path", path.display().to_string())],
        ),
        StartError::Listen { addr, reason } => tf(
            lang,
            "serve.listen_failed",
            &[("addr", addr.to_string()), ("reason", reason.clone())],
        ),
        StartError::Runtime(reason) => {
            tf(lang, "serve.runtime_failed", &[("reason", reason.clone())])
        }
    }
}

/// The file in the store directory that says where a running `koppel serve` listens, so
/// another koppel that finds the store in use can say how to connect.
const ADDRESS_FILE: &str = "koppel-serve.addr";

/// Where the server that holds the store in `dir` listens, if one said so and answers on its
/// socket (a killed server's file says nothing).
pub fn running_on(dir: &Path) -> Option<SocketAddr> {
    use std::io::Read;
    std::os::unix::net::UnixStream::connect(dir.join(super::attach::SOCKET)).ok()?;
    let mut text = String::new();
    std::fs::File::open(dir.join(ADDRESS_FILE))
        .ok()?
        .take(128)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}

/// "The store is served by koppel serve: connect with ssh -p PORT NAME@HOST".
pub fn in_use_text(lang: Lang, dir: &Path, addr: &SocketAddr, user_name: &str) -> String {
    let login = crate::domain::staff::login_from_user_name(user_name)
        .unwrap_or_else(|| user_name.to_string());
    let host = if addr.ip().is_unspecified() {
        host_name().unwrap_or_else(|| "localhost".to_string())
    } else {
        addr.ip().to_string()
    };
    tf(
        lang,
        "serve.in_use",
        &[
            ("path", dir.display().to_string()),
            ("port", addr.port().to_string()),
            ("login", login),
            ("host", host),
        ],
    )
}

/// This machine's name.
fn host_name() -> Option<String> {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`, which it owns here.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return None;
    }
    buf[buf.len() - 1] = 0;
    // SAFETY: `buf` is NUL-terminated (set just above at the latest).
    let name = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

/// Writes the address file (replacing one a killed server left), private like the store.
fn write_address(dir: &Path, addr: &SocketAddr) {
    let _ = crate::safe_file::write_replacing(&dir.join(ADDRESS_FILE), |f| writeln!(f, "{addr}"));
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    dir: &Path,
    user_name: &str,
    listen: SocketAddr,
    idle_minutes: u64,
    keymap: crate::ui::keymap::Keymap,
    config: Config,
    clock: SharedClock,
    lang: Lang,
) -> Result<(), Failure> {
    let mut service = open_service(dir, config.clone(), clock.clone(), lang, super::WRITE)?;
    // Whoever starts the server must be staff (the first user of a new store becomes its
    // administrator, as everywhere).
    let owner = match user::local_account(&service, user_name, true, lang) {
        Ok(a) => a,
        Err(f) => {
            let _ = close(&service, lang);
            return Err(f);
        }
    };
    // A server killed after an erasure left the store due for a compaction: it is done now,
    // before anyone is served, and the store opened again.
    if super::privacy::compact_when_due(&service, &owner, lang, &log_line, &log_line) {
        let _ = close(&service, lang);
        drop(service);
        service = reopen(dir, config, clock.clone(), lang)?;
    }
    // Ctrl+C and SIGTERM are caught from before the server says it started, so a stop that
    // comes at once is a clean stop too (and compacts what is due).
    let signals = Signals::install();
    let model = crate::readmodel::SharedModel::spawn(service.read_model_source());
    let settings = Settings {
        listen,
        idle: std::time::Duration::from_secs(idle_minutes * 60),
        lang,
        keymap: Arc::new(keymap),
        theme: crate::ui::theme::Theme::from_env(),
        exec: Some(exec(dir, &service, &clock)),
    };
    let mut running = match crate::server::start(service.clone(), model, settings, dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = close(&service, lang);
            return Err(Failure::runtime(start_error(lang, &e)));
        }
    };
    // Local commands and screens attach through the socket; without it they are told the
    // store is in use, and SSH still works.
    let listener = super::attach::Listener::start(super::attach::Host {
        dir: dir.to_path_buf(),
        service: service.clone(),
        clock: clock.clone(),
        lang,
        screens: running.screen_host(),
    });
    let listener = match listener {
        Ok(l) => Some(l),
        Err(reason) => {
            super::output::complain(&tf(
                lang,
                "attach.socket_failed",
                &[
                    (
                        "path",
                        dir.join(super::attach::SOCKET).display().to_string(),
                    ),
                    ("reason", reason),
                ],
            ));
            None
        }
    };
    write_address(dir, &running.addr);
    let port = running.addr.port().to_string();
    let host = running.addr.ip().to_string();
    if running.new_host_key {
        say(
            lang,
            &tf(
                lang,
                "serve.new_host_key",
                &[(
                    "path",
                    dir.join(crate::server::hostkey::FILE).display().to_string(),
                )],
            ),
        )?;
    }
    say(
        lang,
        &tf(
            lang,
            "serve.started",
            &[
                ("addr", running.addr.to_string()),
                ("fingerprint", running.fingerprint.clone()),
                ("port", port),
                ("host", host),
            ],
        ),
    )?;
    let stopper = running.stopper();
    // The day's backup, and old ones expired, as when the screens start; then every hour
    // while the server runs (so backups expire also when it runs for months).
    let backups = rolling_backups(service.clone(), owner.clone(), lang);
    // Wait for Ctrl+C or SIGTERM.
    if let Some(signals) = signals {
        signals.wait();
    }
    let _ = say(lang, &tf(lang, "serve.stopping", &[]));
    // Stops the backup thread (after a backup it is writing, so the store closes after it).
    drop(backups.0);
    if let Some(b) = backups.1 {
        let _ = b.join();
    }
    if let Some(stop) = stopper {
        let _ = stop.send(());
    }
    if let Some(l) = listener {
        l.stop();
    }
    running.wait();
    let _ = std::fs::remove_file(dir.join(ADDRESS_FILE));
    // Every session has ended: when something was erased or anonymised while the server
    // ran, the old versions leave the store's files now (the store is closed by it).
    super::privacy::compact_when_due(&service, &owner, lang, &log_line, &log_line);
    close(&service, lang)
}

/// Ctrl+C (SIGINT) and SIGTERM, caught on a small runtime of its own.
struct Signals {
    rt: tokio::runtime::Runtime,
    term: Option<tokio::signal::unix::Signal>,
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Catches both signals from now on (their default, ending the process at once, is off).
    fn install() -> Option<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        let (term, int) = {
            let _inside = rt.enter();
            (
                signal(SignalKind::terminate()).ok(),
                signal(SignalKind::interrupt()).ok(),
            )
        };
        Some(Signals { rt, term, int })
    }

    /// Waits until one of them came (also one that came before this was called).
    fn wait(mut self) {
        async fn next(s: &mut Option<tokio::signal::unix::Signal>) {
            match s.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        let (term, int) = (&mut self.term, &mut self.int);
        self.rt.block_on(async {
            tokio::select! {
                _ = next(term) => {}
                _ = next(int) => {}
            }
        });
    }
}

/// Opens the store again after a compaction closed it, waiting (bounded) while the handle
/// just dropped still holds sled's lock in this process.
fn reopen(
    dir: &Path,
    config: Config,
    clock: SharedClock,
    lang: Lang,
) -> Result<crate::service::Service, Failure> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match crate::service::Service::open_with(dir, clock.clone(), config.clone(), super::WRITE) {
            Err(crate::service::ServiceError::InUse { .. })
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Ok(service) => return Ok(service),
            // Said as any other failure to open is.
            Err(_) => return open_service(dir, config, clock, lang, super::WRITE),
        }
    }
}

/// Runs `Service::backup_if_due` now and every hour on a thread of its own, until the
/// returned sender is dropped (then join the thread). A failure is said on standard error and
/// tried again an hour later.
fn rolling_backups(
    service: crate::service::Service,
    owner: crate::service::Account,
    lang: Lang,
) -> (
    std::sync::mpsc::Sender<()>,
    Option<std::thread::JoinHandle<()>>,
) {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("koppel-backups".into())
        .spawn(move || {
            loop {
                if let Err(e) = service.backup_if_due(&owner) {
                    super::output::complain(&crate::i18n::errors::service_error(lang, &e));
                }
                match rx.recv_timeout(std::time::Duration::from_secs(3600)) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
    (tx, thread.ok())
}

/// The commands of SSH exec requests: the same dispatcher as on the command line, as the
/// logged-in account, with the server's store; output to the channel and no files (a file
/// named over SSH would be the server's, not the caller's).
pub fn exec(
    dir: &Path,
    service: &crate::service::Service,
    clock: &SharedClock,
) -> crate::server::Exec {
    let (dir, service, clock) = (dir.to_path_buf(), service.clone(), clock.clone());
    Arc::new(move |words, who, lang, out, err| {
        let mut args: Vec<std::ffi::OsString> = vec!["koppel".into()];
        args.extend(words.iter().map(Into::into));
        let mut io = ExecIo { out, err, lang };
        let failure = match super::parse_args(&args, lang) {
            Err(usage) => {
                let w = if usage.code == 0 {
                    &mut io.out
                } else {
                    &mut io.err
                };
                let _ = w.write_all(usage.text.as_bytes());
                return usage.code;
            }
            // The server's store is the only one over SSH: another named is refused.
            Ok(cli) if cli.data.is_some() => Failure {
                message: tf(lang, "serve.exec_no_data", &[]),
                code: 2,
            },
            Ok(cli) => match cli.command.map(super::dispatch::StoreCommand::from_command) {
                Some(Some(command)) => {
                    let ctx = super::dispatch::Ctx {
                        dir: dir.clone(),
                        user: who.name.clone(),
                        lang: cli.lang.unwrap_or(lang),
                        clock: clock.clone(),
                    };
                    let mut store = super::dispatch::Served(service.clone());
                    match super::dispatch::run(command, &ctx, &mut store, &mut io) {
                        Ok(()) => return 0,
                        Err(f) => f,
                    }
                }
                _ => Failure {
                    message: tf(lang, "serve.exec_not_allowed", &[]),
                    code: 2,
                },
            },
        };
        if !failure.message.is_empty() {
            let _ = writeln!(io.err, "{}", failure.message);
        }
        failure.code
    })
}

/// An exec request's output: the channel's standard output and error, and no files.
struct ExecIo<'a> {
    out: &'a mut dyn std::io::Write,
    err: &'a mut dyn std::io::Write,
    lang: Lang,
}

impl super::dispatch::Io for ExecIo<'_> {
    fn out(&mut self) -> &mut dyn std::io::Write {
        &mut *self.out
    }
    fn err(&mut self) -> &mut dyn std::io::Write {
        &mut *self.err
    }
    fn write_file(
        &mut self,
        _path: &Path,
        _write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        Err(Failure {
            message: tf(self.lang, "serve.exec_no_files", &[]),
            code: 2,
        })
    }
    fn read_file(&mut self, _path: &Path) -> Result<Box<dyn std::io::BufRead + '_>, String> {
        Err(tf(self.lang, "serve.exec_no_input", &[]))
    }
    fn file_len(&mut self, _path: &Path) -> u64 {
        0
    }
    fn progress(&self, _lang: Lang) -> Option<super::output::ImportBar> {
        None
    }
}
