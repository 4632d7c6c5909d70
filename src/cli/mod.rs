//! The command line: argument parsing, wiring, and who the local user is. Every command goes
//! through the service (the only door to the store); messages come from the catalogs.
//!
//! Exit codes: 0 ok, 1 runtime error, 2 usage error (clap's own, and a bad keymap or config).

use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{Account, Kind, MAX_IMPORT_LINE_ERRORS, Role, Service, ServiceError};
use clap::{Parser, Subcommand};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// koppel: volunteer intakes, trajectories and organisation contacts for a volunteer centre.
#[derive(Debug, Parser)]
#[command(name = "koppel", version, about, long_about = None)]
pub struct Cli {
    /// The store directory (default: $KOPPEL_DATA, else the platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Interface language: nl or en (default: config file, else LANG).
    #[arg(long, global = true, value_name = "nl|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Keymap: a shipped name (default, vim) or a path to a keymap file.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("\"{s}\" is not a language koppel speaks; use nl or en"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a store with realistic, deterministic demo data, then open the screens.
    Demo {
        /// How many volunteers to generate.
        #[arg(long, default_value_t = 2000, value_name = "N")]
        volunteers: usize,
        /// Seed of the generator: the same seed gives the same people.
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// Only fill the store; do not open the screens.
        #[arg(long)]
        no_tui: bool,
    },
    /// Write every record as JSON Lines: a complete, versioned backup.
    Export {
        /// The file to write (`-` for standard output).
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
    },
    /// Read a JSON Lines export back in: all or nothing.
    Import {
        /// Read a CSV file of this kind (a spreadsheet saved as CSV) instead of an export.
        #[arg(long, value_enum, value_name = "KIND")]
        csv: Option<CsvKind>,
        /// The file to read.
        file: PathBuf,
        /// Check the file and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Verify the store: every record decodes and every index agrees.
    Check,
    /// Print the effective keymap (shipped map plus your keymap.toml).
    Keys,
}

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvKind {
    Volunteers,
    Organisations,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and exit 0; real usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The local offset must be read before any thread starts.
    let clock: SharedClock = Arc::new(SystemClock::new());
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            let lang = cli.lang.unwrap_or_else(Lang::from_env);
            eprintln!(
                "{}",
                tf(
                    lang,
                    "error.config",
                    &[("path", e.path.display().to_string()), ("reason", e.reason)]
                )
            );
            return ExitCode::from(2);
        }
    };
    let lang = cli
        .lang
        .or_else(|| config.language.as_deref().and_then(Lang::parse))
        .unwrap_or_else(Lang::from_env);
    match run(cli, config, clock, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::from(code)
        }
    }
}

/// A failed command: the sentence to print and the exit code.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    fn runtime(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

/// The store directory: `--data`, else `$KOPPEL_DATA`, else the platform data directory.
pub fn data_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("KOPPEL_DATA").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "koppel").map(|d| d.data_dir().to_path_buf())
}

/// The account of someone working directly on the store's files (local TUI or CLI): they
/// can read the files anyway, so they act as administrator under their login name (from
/// `USER`, else `LOGNAME`, else the password database, else "local").
pub fn local_account() -> Account {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|n| !n.is_empty())
        .or_else(login_name)
        .unwrap_or_else(|| "local".to_string());
    Account {
        name,
        role: Role::Admin,
    }
}

/// The login name of the user running this process, from the password database.
fn login_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 1024];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, both owned here and large enough as
    // declared; `result` is null or points at `pwd`. The name is copied out before they drop.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into `buf` and is NUL-terminated by getpwuid_r.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

fn open_service(
    dir: &Path,
    config: Config,
    clock: SharedClock,
    lang: Lang,
) -> Result<Service, Failure> {
    Service::open(dir, clock, config).map_err(|e| Failure::runtime(service_error(lang, &e)))
}

/// Flushes the store and ends its change feed at the end of a command.
fn close(service: &Service, lang: Lang) -> Result<(), Failure> {
    service
        .close()
        .map_err(|e| Failure::runtime(service_error(lang, &e)))
}

fn run(cli: Cli, config: Config, clock: SharedClock, lang: Lang) -> Result<(), Failure> {
    let who = local_account();
    let resolve = |flag: Option<&Path>| {
        data_dir(flag).ok_or_else(|| Failure::runtime(t(lang, "error.no_home").to_string()))
    };
    match cli.command {
        None => {
            let keymap = load_keymap(cli.keymap.as_deref(), config.keymap.as_deref(), lang)?;
            let dir = resolve(cli.data.as_deref())?;
            // The store is opened after the first frame is on screen.
            tui(
                move || open_service(&dir, config, clock, lang).map_err(|f| f.message),
                who,
                keymap,
                lang,
            )
        }
        Some(Command::Keys) => {
            let keymap = load_keymap(cli.keymap.as_deref(), config.keymap.as_deref(), lang)?;
            print!("{}", crate::ui::keymap::print_keymap(&keymap, lang));
            Ok(())
        }
        Some(Command::Demo {
            volunteers,
            seed,
            no_tui,
        }) => {
            // A bad keymap is reported before any work is done.
            let keymap = if no_tui {
                None
            } else {
                Some(load_keymap(
                    cli.keymap.as_deref(),
                    config.keymap.as_deref(),
                    lang,
                )?)
            };
            let temporary = cli.data.is_none();
            let dir = match cli.data.as_deref() {
                Some(d) => d.to_path_buf(),
                None => temp_store_dir(),
            };
            let service = open_service(&dir, config, clock, lang)?;
            let count = service
                .volunteer_count(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            if count > 0 {
                return Err(Failure::runtime(tf(
                    lang,
                    "cli.demo_not_empty",
                    &[("path", dir.display().to_string())],
                )));
            }
            let n = crate::demo::fill(&service, &who, volunteers, seed)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            println!(
                "{}",
                tf(
                    lang,
                    "cli.demo_done",
                    &[
                        ("path", dir.display().to_string()),
                        ("count", n.to_string())
                    ]
                )
            );
            let result = match keymap {
                Some(keymap) => tui(move || Ok(service), who, keymap, lang),
                None => close(&service, lang),
            };
            if temporary && !no_tui {
                let _ = std::fs::remove_dir_all(&dir);
            }
            result
        }
        Some(Command::Export { output }) => {
            let dir = resolve(cli.data.as_deref())?;
            let service = open_service(&dir, config, clock, lang)?;
            let counts = if output.as_os_str() == "-" {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                match service.export_all(&who, &mut out) {
                    Ok(counts) => counts,
                    // `koppel export -o - | head`: the reader has seen enough.
                    Err(ServiceError::Io { reason }) if reason.contains("Broken pipe") => {
                        return Ok(());
                    }
                    Err(e) => return Err(Failure::runtime(service_error(lang, &e))),
                }
            } else {
                export_to_file(&service, &who, &output, lang)?
            };
            close(&service, lang)?;
            if output.as_os_str() != "-" {
                println!(
                    "{}",
                    tf(
                        lang,
                        "cli.export_done",
                        &[
                            ("summary", summary(lang, &counts)),
                            ("path", output.display().to_string())
                        ]
                    )
                );
            }
            Ok(())
        }
        Some(Command::Import {
            csv: Some(kind),
            file,
            dry_run,
        }) => {
            let dir = resolve(cli.data.as_deref())?;
            let service = open_service(&dir, config, clock, lang)?;
            let mut f = std::fs::File::open(&file).map_err(|e| {
                Failure::runtime(tf(
                    lang,
                    "cli.file_open",
                    &[
                        ("path", file.display().to_string()),
                        ("reason", e.to_string()),
                    ],
                ))
            })?;
            let result = match kind {
                CsvKind::Organisations => service.import_organisations_csv(&who, &mut f, dry_run),
                CsvKind::Volunteers => service.import_volunteers_csv(&who, &mut f, dry_run),
            };
            close(&service, lang)?;
            match result {
                Ok(s) => {
                    let key = if s.dry_run {
                        "csv.import_dry"
                    } else {
                        "csv.import_done"
                    };
                    let what = match kind {
                        CsvKind::Organisations => "kind.organisation.many",
                        CsvKind::Volunteers => "kind.volunteer.many",
                    };
                    println!(
                        "{}",
                        tf(
                            lang,
                            key,
                            &[
                                ("count", s.rows.to_string()),
                                ("what", t(lang, what).into())
                            ]
                        )
                    );
                    Ok(())
                }
                Err(e) => Err(Failure::runtime(service_error(lang, &e))),
            }
        }
        Some(Command::Import {
            csv: None,
            file,
            dry_run,
        }) => {
            let dir = resolve(cli.data.as_deref())?;
            let service = open_service(&dir, config, clock, lang)?;
            let f = std::fs::File::open(&file).map_err(|e| {
                Failure::runtime(tf(
                    lang,
                    "cli.file_open",
                    &[
                        ("path", file.display().to_string()),
                        ("reason", e.to_string()),
                    ],
                ))
            })?;
            let result = service.import(&who, &mut BufReader::new(f), dry_run);
            close(&service, lang)?;
            match result {
                Ok(s) => {
                    let key = if dry_run {
                        "cli.import_dry"
                    } else {
                        "cli.import_done"
                    };
                    println!(
                        "{}",
                        tf(lang, key, &[("summary", summary(lang, &s.counts))])
                    );
                    Ok(())
                }
                Err(ServiceError::ImportLines(lines)) => {
                    let mut msg = tf(
                        lang,
                        "cli.import_failed",
                        &[("count", lines.len().to_string())],
                    );
                    for l in &lines {
                        msg.push('\n');
                        msg.push_str(&tf(
                            lang,
                            "cli.import_line",
                            &[
                                ("line", l.line.to_string()),
                                (
                                    "message",
                                    crate::i18n::errors::line_problem_text(lang, &l.problem),
                                ),
                            ],
                        ));
                    }
                    if lines.len() >= MAX_IMPORT_LINE_ERRORS {
                        msg.push('\n');
                        msg.push_str(t(lang, "cli.import_more"));
                    }
                    Err(Failure::runtime(msg))
                }
                Err(e) => Err(Failure::runtime(service_error(lang, &e))),
            }
        }
        Some(Command::Check) => {
            let dir = resolve(cli.data.as_deref())?;
            let service = open_service(&dir, config, clock, lang)?;
            let report = service
                .check(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            close(&service, lang)?;
            let counts = report.counts.clone();
            if report.problems.is_empty() {
                println!(
                    "{}",
                    tf(lang, "cli.check_ok", &[("summary", summary(lang, &counts))])
                );
                Ok(())
            } else {
                let mut msg = tf(
                    lang,
                    "cli.check_bad",
                    &[("count", report.problems.len().to_string())],
                );
                for p in &report.problems {
                    msg.push_str("\n- ");
                    msg.push_str(&crate::i18n::errors::check_problem_text(lang, p));
                }
                Err(Failure::runtime(msg))
            }
        }
    }
}

/// Loads the keymap named on the command line, else in the config, else the default, with
/// the user's `keymap.toml` from the config directory merged on top. A bad file is a usage
/// error (exit 2) naming the file, line and problem.
fn load_keymap(
    flag: Option<&str>,
    config: Option<&str>,
    lang: Lang,
) -> Result<crate::ui::keymap::Keymap, Failure> {
    let user = Config::default_path()
        .and_then(|p| p.parent().map(|d| d.join("keymap.toml")))
        .filter(|p| p.exists());
    crate::ui::keymap::Keymap::load(flag.or(config), user.as_deref()).map_err(|e| Failure {
        message: e.to_text(lang),
        code: 2,
    })
}

/// Opens the screens in this terminal; `open` gives the service once the first frame shows.
fn tui(
    open: impl FnOnce() -> Result<Service, String>,
    who: Account,
    keymap: crate::ui::keymap::Keymap,
    lang: Lang,
) -> Result<(), Failure> {
    use crate::ui::terminal::{LocalError, run_local};
    let theme = crate::ui::theme::Theme::from_env();
    // Kept to close the store (flush, end the read model's feed) when the screens are left.
    let opened: Arc<std::sync::Mutex<Option<Service>>> = Arc::default();
    let keep = opened.clone();
    let build = move |events: std::sync::mpsc::Sender<crate::ui::app::AppEvent>| {
        let service = open()?;
        if let Ok(mut slot) = keep.lock() {
            *slot = Some(service.clone());
        }
        let model = crate::readmodel::SharedModel::spawn(service.read_model_source());
        let config = crate::ui::session::SessionConfig {
            keymap: Arc::new(keymap),
            lang,
            theme,
        };
        Ok(crate::ui::session::Session::new(
            service,
            who,
            model,
            config,
            move || {
                let _ = events.send(crate::ui::app::AppEvent::Wake);
            },
        ))
    };
    let result = run_local(lang, theme, build).map_err(|e| match e {
        LocalError::Start(message) => Failure::runtime(message),
        LocalError::Terminal(e) => {
            Failure::runtime(tf(lang, "error.terminal", &[("reason", e.to_string())]))
        }
    });
    let service = opened.lock().ok().and_then(|mut slot| slot.take());
    match service {
        Some(service) => result.and(close(&service, lang)),
        None => result,
    }
}

/// "2000 volunteers, 1 audit event".
fn summary(lang: Lang, counts: &[(Kind, u64)]) -> String {
    counts
        .iter()
        .map(|(kind, n)| {
            let key = if *n == 1 { "one" } else { "many" };
            format!("{n} {}", t(lang, &format!("kind.{}.{key}", kind.as_str())))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the export to `FILE.tmp` (mode 0600) and renames it into place, so an interrupted
/// export never leaves a half file under the real name.
fn export_to_file(
    service: &Service,
    who: &Account,
    output: &Path,
    lang: Lang,
) -> Result<Vec<(Kind, u64)>, Failure> {
    use std::os::unix::fs::OpenOptionsExt;
    let write_err = |reason: String| {
        Failure::runtime(tf(
            lang,
            "cli.file_write",
            &[("path", output.display().to_string()), ("reason", reason)],
        ))
    };
    let mut tmp_name = output.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| write_err(e.to_string()))?;
    let mut out = std::io::BufWriter::new(file);
    let counts = match service.export_all(who, &mut out) {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(Failure::runtime(service_error(lang, &e)));
        }
    };
    let file = out.into_inner().map_err(|e| write_err(e.to_string()))?;
    file.sync_all().map_err(|e| write_err(e.to_string()))?;
    std::fs::rename(&tmp, output).map_err(|e| write_err(e.to_string()))?;
    Ok(counts)
}

/// A fresh directory for a demo store when no `--data` is given.
fn temp_store_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("koppel-demo-{}-{nanos}", std::process::id()))
}

/// Flushes stdout, ignoring a closed pipe (`koppel export -o - | head`).
pub fn flush_stdout() {
    let _ = std::io::stdout().flush();
}
