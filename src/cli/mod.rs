//! The command line: argument parsing, wiring, and who the local user is. Every command goes
//! through the service (the only door to the store); messages come from the catalogs.
//!
//! Exit codes: 0 ok, 1 runtime error, 2 usage error (clap's own, and a bad keymap or config).

use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{Access, Account, Exported, Kind, MIN_FREE, Service, ServiceError};
use clap::{Parser, Subcommand};
use std::io::Write;

mod attach;
mod audit;
mod dispatch;
mod output;
mod privacy;
mod report;
mod serve;
mod user;
use output::{complain, say};
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
        /// Leave out records that cannot be read (and list them) instead of stopping: saves
        /// everything readable from a damaged store.
        #[arg(long)]
        skip_damaged: bool,
    },
    /// Read a JSON Lines export back in: all or nothing.
    Import {
        /// Read a CSV file of this kind (a spreadsheet saved as CSV) instead of an export.
        #[arg(long, value_enum, value_name = "KIND")]
        csv: Option<CsvKind>,
        /// The file to read (`-` for standard input).
        file: PathBuf,
        /// Check the file and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create an empty store (the other commands refuse a path that holds none).
    Init,
    /// Write a backup now into the store's `backups` folder (the screens write one a day).
    Backup,
    /// Restore a backup or export into a new, empty store.
    Restore {
        /// The backup or export file to read.
        file: PathBuf,
    },
    /// Verify the store: every record decodes and every index agrees.
    Check,
    /// Print the effective keymap (shipped map plus your keymap.toml).
    Keys,
    /// Serve the screens over SSH to every staff member with a key (this process owns the
    /// store while it runs).
    Serve {
        /// The address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
        listen: std::net::SocketAddr,
        /// Close a connection after this many minutes without input.
        #[arg(long, default_value_t = 30, value_name = "MINUTES", value_parser = clap::value_parser!(u64).range(1..=1440))]
        idle: u64,
    },
    /// Staff accounts: who may work with koppel, as what, and with which SSH keys.
    User {
        #[command(subcommand)]
        action: user::UserCommand,
    },
    /// The weekly summary, or the summary of a month, quarter, year or range of days.
    Report {
        #[command(subcommand)]
        what: report::ReportCommand,
    },
    /// The audit trail: verify its hash chain.
    Audit {
        #[command(subcommand)]
        what: audit::AuditCommand,
    },
    /// Privacy (AVG): a person's access export, erasure and anonymisation.
    Privacy {
        #[command(subcommand)]
        what: privacy::PrivacyCommand,
    },
    /// Rewrite the store without the old versions its files keep (after an erasure).
    Compact,
}

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvKind {
    Volunteers,
    Organisations,
}

/// The commands SSH exec requests run on `service` (the store in `dir`): the command line's
/// own dispatcher (see `koppel serve`).
pub use serve::exec as exec_commands;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match parse_args(&args, early_lang(&args)) {
        Ok(cli) => cli,
        Err(Usage { text, code }) => {
            // --help and --version print to stdout and exit 0; real usage errors exit 2.
            if code == 0 {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            return ExitCode::from(code);
        }
    };
    // The local offset must be read before any thread starts.
    let clock: SharedClock = Arc::new(SystemClock::new());
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            let lang = cli.lang.unwrap_or_else(Lang::from_env);
            complain(&tf(
                lang,
                "error.config",
                &[
                    ("path", e.path.display().to_string()),
                    ("reason", config_problem(lang, &e.problem)),
                ],
            ));
            return ExitCode::from(2);
        }
    };
    let lang = cli
        .lang
        .or_else(|| config.language.as_deref().and_then(Lang::parse))
        .unwrap_or_else(Lang::from_env);
    match run(cli, config, clock, lang, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            if !message.is_empty() {
                complain(&message);
            }
            ExitCode::from(code)
        }
    }
}

/// What is wrong with the configuration file, as a sentence in `lang` (keys named as the
/// file writes them).
fn config_problem(lang: Lang, p: &crate::config::ConfigProblem) -> String {
    use crate::config::{ConfigProblem as P, Expected};
    let at = |line: &Option<usize>, text: String| match line {
        Some(l) => tf(
            lang,
            "config_problem.at_line",
            &[("line", l.to_string()), ("text", text)],
        ),
        None => text,
    };
    let plain = |key: &str| t(lang, &format!("config_problem.{key}")).to_string();
    match p {
        P::Unreadable { reason } => tf(
            lang,
            "config_problem.unreadable",
            &[("reason", reason.clone())],
        ),
        P::Syntax { line } => at(line, plain("syntax")),
        P::UnknownKey { line, key, known } if known.is_empty() => at(
            line,
            tf(
                lang,
                "config_problem.unknown_key_alone",
                &[("key", key.clone())],
            ),
        ),
        P::UnknownKey { line, key, known } => at(
            line,
            tf(
                lang,
                "config_problem.unknown_key",
                &[("key", key.clone()), ("known", known.join(", "))],
            ),
        ),
        P::Duplicate { line } => at(line, plain("duplicate")),
        P::WrongValue {
            line,
            key,
            expected,
        } => {
            let key = key.clone().unwrap_or_else(|| plain("this_key"));
            let (name, max) = match expected {
                Expected::WholeNumber { max: None } => ("whole_number", None),
                Expected::WholeNumber { max: Some(m) } => ("whole_number_max", Some(*m)),
                Expected::Text => ("text", None),
                Expected::YesNo => ("yes_no", None),
                Expected::List => ("list", None),
                Expected::Table => ("table", None),
                Expected::Other => ("other", None),
            };
            let mut params = vec![("key", key)];
            if let Some(m) = max {
                params.push(("max", crate::i18n::fmt_count(lang, m)));
            }
            at(line, tf(lang, &format!("config_problem.{name}"), &params))
        }
        P::Language { given } => tf(lang, "config_problem.language", &[("given", given.clone())]),
        P::NoMunicipalities => plain("no_municipalities"),
        P::EmptyMunicipality => plain("empty_municipality"),
        P::RetentionBoth => plain("retention_both"),
        P::RetentionPeriod { key, value } => tf(
            lang,
            "config_problem.retention_period",
            &[
                ("key", key.to_string()),
                ("value", value.to_string()),
                ("min", crate::domain::retention::YEARS.start().to_string()),
                ("max", crate::domain::retention::YEARS.end().to_string()),
            ],
        ),
    }
}

/// What `--help`, `--version` or a wrong command line print instead of running, and the exit
/// code (0 for help and version, 2 for a usage error).
pub struct Usage {
    pub text: String,
    pub code: u8,
}

/// The language for `--help` and argument errors, before the arguments are parsed: `--lang`
/// as given (if it names a language), else the configuration file's, else `LANG`.
pub fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut given = None;
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            given = Lang::parse(v);
        } else if a == "--lang" {
            given = it.next().and_then(Lang::parse);
        }
    }
    given
        .or_else(|| {
            Config::load()
                .ok()
                .and_then(|c| c.language.as_deref().and_then(Lang::parse))
        })
        .unwrap_or_else(Lang::from_env)
}

/// Parses `args` (program name first) with help texts and argument errors in `lang`.
pub fn parse_args(args: &[std::ffi::OsString], lang: Lang) -> Result<Cli, Usage> {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = localised(Cli::command(), lang, "");
    let matches = cmd
        .try_get_matches_from(args)
        .map_err(|e| usage_error(&e, lang))?;
    Cli::from_arg_matches(&matches).map_err(|e| usage_error(&e, lang))
}

/// `cmd` (the subcommand `path`, "" for the top) with its description, headings and every
/// argument's help from the catalog (`cli_help.<path>` and `cli_help.<path>_<arg>`), and its
/// own `--help` and `--version` so those are described in `lang` too.
fn localised(cmd: clap::Command, lang: Lang, path: &str) -> clap::Command {
    use clap::{Arg, ArgAction};
    let key = |suffix: &str| {
        let name = match (path.is_empty(), suffix.is_empty()) {
            (true, true) => "koppel".to_string(),
            (true, false) => suffix.to_string(),
            (false, true) => path.to_string(),
            (false, false) => format!("{path}_{suffix}"),
        };
        format!("cli_help.{name}")
    };
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t(lang, "cli_help.usage")
    );
    let mut cmd = cmd
        .about(t(lang, &key("")).to_string())
        .help_template(template)
        .subcommand_help_heading(t(lang, "cli_help.commands").to_string())
        .next_help_heading(t(lang, "cli_help.options").to_string())
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t(lang, "cli_help.help").to_string()),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t(lang, "cli_help.version").to_string()),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        // A global option shown under a subcommand has the top level's text.
        let own = key(&id);
        let help = match t(lang, &own) {
            text if text != own => text.to_string(),
            _ => t(lang, &format!("cli_help.{id}")).to_string(),
        };
        cmd = cmd.mut_arg(id, |a| {
            let heading = if a.is_positional() {
                "cli_help.arguments"
            } else {
                "cli_help.options"
            };
            a.help(help).help_heading(t(lang, heading).to_string())
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        // A nested command's keys carry its parent's path: `cli_help.user_add_key`.
        let nested = match path {
            "" => name.replace('-', "_"),
            _ => format!("{path}_{}", name.replace('-', "_")),
        };
        cmd = cmd.mut_subcommand(name, |s| localised(s, lang, &nested));
    }
    cmd
}

/// A clap error as koppel says it: help and version as clap renders them (in `lang`, from
/// [`localised`]), a wrong command line as one sentence in `lang` and where to look.
fn usage_error(e: &clap::Error, lang: Lang) -> Usage {
    use clap::error::{ContextKind, ErrorKind};
    if !e.use_stderr() {
        let mut text = e.render().to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        return Usage { text, code: 0 };
    }
    let context = |kind: ContextKind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let sentence = match e.kind() {
        ErrorKind::UnknownArgument => tf(
            lang,
            "cli_help.unknown_argument",
            &[("arg", context(ContextKind::InvalidArg))],
        ),
        ErrorKind::InvalidSubcommand => tf(
            lang,
            "cli_help.unknown_command",
            &[("arg", context(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::MissingRequiredArgument => tf(
            lang,
            "cli_help.missing_argument",
            &[("arg", context(ContextKind::InvalidArg))],
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => tf(
            lang,
            "cli_help.invalid_value",
            &[
                ("value", context(ContextKind::InvalidValue)),
                ("arg", context(ContextKind::InvalidArg)),
            ],
        ),
        ErrorKind::ArgumentConflict => tf(
            lang,
            "cli_help.conflict",
            &[
                ("arg", context(ContextKind::InvalidArg)),
                ("other", context(ContextKind::PriorArg)),
            ],
        ),
        _ => t(lang, "cli_help.wrong_usage").to_string(),
    };
    Usage {
        text: format!("{sentence}\n{}\n", t(lang, "cli_help.see_help")),
        code: 2,
    }
}

/// A failed command: the sentence to print and the exit code.
#[derive(Debug)]
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

/// Opens the store for `access`: writing is refused when its disk is short of space.
fn open_service(
    dir: &Path,
    config: Config,
    clock: SharedClock,
    lang: Lang,
    access: Access,
) -> Result<Service, Failure> {
    Service::open_with(dir, clock, config, access).map_err(|e| match (&e, serve::running_on(dir)) {
        // A server holds the store: say how to reach it.
        (ServiceError::InUse { .. }, Some(addr)) => Failure::runtime(serve::in_use_text(
            lang,
            dir,
            &addr,
            &user::local_user_name(),
        )),
        // Refused to save for want of room: reading still works, say how.
        (ServiceError::DiskFull { .. }, _)
            if matches!(access, Access::Write { .. }) && Service::exists(dir) =>
        {
            Failure::runtime(format!(
                "{} {}",
                service_error(lang, &e),
                t(lang, "reserve.read_still_works")
            ))
        }
        _ => Failure::runtime(service_error(lang, &e)),
    })
}

/// Opening to write: the free space every writer needs ([`MIN_FREE`]).
const WRITE: Access = Access::Write { needed: MIN_FREE };

/// The free space an import of a file of `size` bytes needs: what every writer needs and room for the store
/// to grow by about four times the file (records, indexes, summaries and sled's log).
fn import_access(size: u64) -> Access {
    Access::Write {
        needed: MIN_FREE.saturating_add(size.saturating_mul(4)),
    }
}

/// Flushes the store and ends its change feed at the end of a command.
fn close(service: &Service, lang: Lang) -> Result<(), Failure> {
    service
        .close()
        .map_err(|e| Failure::runtime(service_error(lang, &e)))
}

fn run(
    cli: Cli,
    config: Config,
    clock: SharedClock,
    lang: Lang,
    args: &[std::ffi::OsString],
) -> Result<(), Failure> {
    let user = user::local_user_name();
    let resolve = |flag: Option<&Path>| {
        data_dir(flag).ok_or_else(|| Failure::runtime(t(lang, "error.no_home").to_string()))
    };
    let store = |command, data: Option<&Path>, config, clock: SharedClock| {
        let ctx = dispatch::Ctx {
            dir: resolve(data)?,
            user: user.clone(),
            lang,
            clock: clock.clone(),
        };
        // A running `koppel serve` holds the store: the command runs through it.
        if let Some(server) = attach::Client::connect(&ctx.dir) {
            return server.run_command(args, &ctx);
        }
        let mut direct = dispatch::Direct {
            config,
            clock,
            lang,
        };
        dispatch::run(
            command,
            &ctx,
            &mut direct,
            &mut dispatch::LocalIo::new(lang),
        )
    };
    use dispatch::StoreCommand as S;
    match cli.command {
        Some(Command::Export {
            output,
            skip_damaged,
        }) => store(
            S::Export {
                output,
                skip_damaged,
            },
            cli.data.as_deref(),
            config,
            clock,
        ),
        Some(Command::Import { csv, file, dry_run }) => store(
            S::Import { csv, file, dry_run },
            cli.data.as_deref(),
            config,
            clock,
        ),
        Some(Command::Check) => store(S::Check, cli.data.as_deref(), config, clock),
        Some(Command::Backup) => store(S::Backup, cli.data.as_deref(), config, clock),
        Some(Command::Report { what }) => {
            store(S::Report(what), cli.data.as_deref(), config, clock)
        }
        Some(Command::Audit { what }) => store(S::Audit(what), cli.data.as_deref(), config, clock),
        Some(Command::Privacy { what }) => {
            store(S::Privacy(what), cli.data.as_deref(), config, clock)
        }
        Some(Command::Compact) => store(S::Compact, cli.data.as_deref(), config, clock),
        Some(Command::User { action }) => {
            store(S::User(action), cli.data.as_deref(), config, clock)
        }
        None => {
            let keymap = load_keymap(cli.keymap.as_deref(), config.keymap.as_deref(), lang)?;
            let dir = resolve(cli.data.as_deref())?;
            require_store(&dir, lang)?;
            require_terminal(lang)?;
            // A running `koppel serve` holds the store: its screens, in this terminal.
            if let Some(server) = attach::Client::connect(&dir) {
                let ctx = dispatch::Ctx {
                    dir,
                    user,
                    lang,
                    clock,
                };
                return server.run_screens(args, &ctx);
            }
            // The store is opened after the first frame is on screen.
            tui(
                move || open_service(&dir, config, clock, lang, WRITE).map_err(|f| f.message),
                user,
                keymap,
                lang,
            )
        }
        Some(Command::Keys) => {
            let keymap = load_keymap(cli.keymap.as_deref(), config.keymap.as_deref(), lang)?;
            output::print(lang, &crate::ui::keymap::print_keymap(&keymap, lang))
        }
        Some(Command::Demo {
            volunteers,
            seed,
            no_tui,
        }) => {
            // A bad keymap is reported before any work is done.
            if !no_tui {
                require_terminal(lang)?;
            }
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
                None => temp_store_dir(lang)?,
            };
            let service = open_service(&dir, config, clock, lang, WRITE)?;
            let who = user::local_account(&service, &user, true, lang)?;
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
            say(
                lang,
                &tf(
                    lang,
                    "cli.demo_done",
                    &[
                        ("path", dir.display().to_string()),
                        ("count", n.to_string()),
                    ],
                ),
            )?;
            let result = match keymap {
                Some(keymap) => tui(move || Ok(service), user, keymap, lang),
                None => close(&service, lang),
            };
            if temporary && !no_tui {
                // The store and the random folder made for it.
                let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
            }
            result
        }
        Some(Command::Init) => {
            let dir = resolve(cli.data.as_deref())?;
            let key = if Service::exists(&dir) {
                "cli.init_exists"
            } else {
                let service = open_service(&dir, config, clock, lang, WRITE)?;
                close(&service, lang)?;
                "cli.init_done"
            };
            say(lang, &tf(lang, key, &[("path", dir.display().to_string())]))
        }
        Some(Command::Restore { file }) => {
            let dir = resolve(cli.data.as_deref())?;
            if Service::exists(&dir) {
                return Err(Failure::runtime(tf(
                    lang,
                    "cli.restore_exists",
                    &[("path", dir.display().to_string())],
                )));
            }
            // Into an empty place only: nothing there is ever overwritten.
            let occupied = dir.exists()
                && (!dir.is_dir()
                    || std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_some()));
            if occupied {
                return Err(Failure::runtime(tf(
                    lang,
                    "cli.restore_exists",
                    &[("path", dir.display().to_string())],
                )));
            }
            // Built beside the target and moved into place only when the whole file imported:
            // a failed restore leaves nothing behind.
            let parent = match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let scratch = tempfile::Builder::new()
                .prefix(".koppel-restore-")
                .tempdir_in(&parent)
                .map_err(|e| output::file_failure(lang, &parent, &e))?;
            let staged = scratch.path().join("store");
            let cli = Cli {
                data: Some(staged.clone()),
                command: Some(Command::Import {
                    csv: None,
                    file,
                    dry_run: false,
                }),
                ..cli
            };
            run(cli, config, clock, lang, args)?;
            if dir.is_dir() {
                std::fs::remove_dir(&dir).map_err(|e| output::file_failure(lang, &dir, &e))?;
            }
            std::fs::rename(&staged, &dir).map_err(|e| output::file_failure(lang, &dir, &e))?;
            say(
                lang,
                &tf(
                    lang,
                    "cli.restore_done",
                    &[("path", dir.display().to_string())],
                ),
            )
        }
        Some(Command::Serve { listen, idle }) => {
            let keymap = load_keymap(cli.keymap.as_deref(), config.keymap.as_deref(), lang)?;
            let dir = resolve(cli.data.as_deref())?;
            require_store(&dir, lang)?;
            serve::run(&dir, &user, listen, idle, keymap, config, clock, lang)
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
    user: String,
    keymap: crate::ui::keymap::Keymap,
    lang: Lang,
) -> Result<(), Failure> {
    use crate::ui::terminal::{LocalError, run_local};
    let theme = crate::ui::theme::Theme::from_env();
    // Kept to close the store (flush, end the read model's feed) when the screens are left.
    let opened: Arc<std::sync::Mutex<Option<Service>>> = Arc::default();
    let keep = opened.clone();
    // Who used the screens: the compaction due after an erasure is done as them at the end.
    let acting: Arc<std::sync::Mutex<Option<Account>>> = Arc::default();
    let keep_acting = acting.clone();
    // The day's backup is written beside the screens; a failure is told when they close.
    type Backup = std::thread::JoinHandle<Result<Option<PathBuf>, ServiceError>>;
    let backup: Arc<std::sync::Mutex<Option<Backup>>> = Arc::default();
    let backup_slot = backup.clone();
    let build = move |events: std::sync::mpsc::Sender<crate::ui::app::AppEvent>| {
        let service = open()?;
        if let Ok(mut slot) = keep.lock() {
            *slot = Some(service.clone());
        }
        let who = user::local_account_text(&service, &user, true, lang)?;
        if let Ok(mut slot) = keep_acting.lock() {
            *slot = Some(who.clone());
        }
        let model = crate::readmodel::SharedModel::spawn(service.read_model_source());
        // After the list is loaded, so the backup does not slow the start.
        let (loaded_tx, loaded) = std::sync::mpsc::channel();
        let subscription = model.listen(move |e| {
            if e == crate::readmodel::ModelEvent::Loaded {
                let _ = loaded_tx.send(());
            }
        });
        let (writer, account, watched) = (service.clone(), who.clone(), model.clone());
        let job = std::thread::Builder::new()
            .name("koppel-backup".into())
            .spawn(move || {
                if !watched.read().loaded() {
                    let _ = loaded.recv_timeout(std::time::Duration::from_secs(10));
                }
                drop(subscription);
                writer.backup_if_due(&account)
            });
        if let (Ok(job), Ok(mut slot)) = (job, backup_slot.lock()) {
            *slot = Some(job);
        }
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
    let job = backup.lock().ok().and_then(|mut slot| slot.take());
    if let Some(Ok(Err(e))) = job.map(|j| j.join()) {
        complain(&tf(
            lang,
            "cli.backup_failed",
            &[("reason", service_error(lang, &e))],
        ));
    }
    let service = opened.lock().ok().and_then(|mut slot| slot.take());
    let who = acting.lock().ok().and_then(|mut slot| slot.take());
    match service {
        Some(service) => {
            // Something erased or anonymised on the screens leaves the files now.
            if let Some(who) = &who {
                privacy::compact_when_due(
                    &service,
                    who,
                    lang,
                    &|text| {
                        let _ = say(lang, text);
                    },
                    &complain,
                );
            }
            result.and(close(&service, lang))
        }
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

/// Exports every record into `out`. A failure of `out` itself (a full disk, a closed pipe) is
/// reported by `failed`, naming the output, rather than as a failure of the store.
fn export_to(
    service: &Service,
    who: &Account,
    out: &mut dyn Write,
    lang: Lang,
    skip_damaged: bool,
    failed: impl Fn(&std::io::Error) -> Failure,
) -> Result<Exported, Failure> {
    let mut watched = Watched {
        inner: out,
        error: None,
    };
    let result = if skip_damaged {
        service.export_readable(who, &mut watched)
    } else {
        service
            .export_all(who, &mut watched)
            .map(|c| (c, Vec::new()))
    };
    let flushed = watched.flush();
    if let Some(e) = watched.error.take() {
        return Err(failed(&e));
    }
    let exported = result.map_err(|e| {
        let mut msg = service_error(lang, &e);
        if matches!(e, ServiceError::Damaged { .. }) {
            msg.push('\n');
            msg.push_str(t(lang, "cli.export_damaged_hint"));
        }
        Failure::runtime(msg)
    })?;
    flushed.map_err(|e| failed(&e))?;
    Ok(exported)
}

/// A writer that remembers its first failure, so a failed write is told apart from a failed
/// read of the store when the export stops.
struct Watched<'a> {
    inner: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl Watched<'_> {
    fn note<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.map_err(|e| {
            let told = std::io::Error::new(e.kind(), e.to_string());
            self.error.get_or_insert(e);
            told
        })
    }
}

impl Write for Watched<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

/// Refuses a path that holds no store: a mistyped `--data` must not create an empty store and
/// report success on it.
fn require_store(dir: &Path, lang: Lang) -> Result<(), Failure> {
    if Service::exists(dir) {
        Ok(())
    } else {
        Err(Failure::runtime(tf(
            lang,
            "cli.no_store",
            &[("path", dir.display().to_string())],
        )))
    }
}

/// The screens draw on standard output: refuse when it is not a terminal (`koppel > out.txt`
/// would fill the file with escape codes and names).
fn require_terminal(lang: Lang) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(Failure {
            message: t(lang, "cli.not_a_terminal").to_string(),
            code: 2,
        })
    }
}

/// A fresh folder for a demo store when no `--data` is given: created exclusively, with a
/// random name and mode 0700, so nothing planted in the temporary folder can stand in for it.
fn temp_store_dir(lang: Lang) -> Result<PathBuf, Failure> {
    let dir = tempfile::Builder::new()
        .prefix("koppel-demo-")
        .tempdir()
        .map_err(|e| {
            Failure::runtime(tf(
                lang,
                "cli.file_write",
                &[
                    ("path", std::env::temp_dir().display().to_string()),
                    ("reason", e.to_string()),
                ],
            ))
        })?;
    Ok(dir.keep().join("store"))
}

/// Flushes stdout, ignoring a closed pipe (`koppel export -o - | head`).
pub fn flush_stdout() {
    let _ = std::io::stdout().flush();
}
