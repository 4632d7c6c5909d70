//! The one dispatcher of the commands that work on a store: `export`, `import`, `check`,
//! `report`, `user`, `backup`, `audit` and `privacy`. The same code runs them in three places:
//!
//! - directly, when this process opens the store itself ([`Direct`], [`LocalIo`]);
//! - inside `koppel serve`, for a local koppel that attached over the Unix socket
//!   (`super::attach`): the server's service, the client's files;
//! - inside `koppel serve`, for an SSH exec request: the server's service, the channel's
//!   output, and no files.
//!
//! What differs is behind two small traits: how the store is opened and closed ([`Opener`]),
//! and where output goes and how files named on the command line are read and written
//! ([`Io`]). A file is always read and written by the process of the person who named it,
//! with their rights and from their working folder.

use super::output::{self, ImportBar};
use super::{CsvKind, Failure, export_to, import_access, require_store, summary, user};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, size_text, t, tf};
use crate::service::{
    Access, MAX_IMPORT_LINE_ERRORS, MIN_FREE, RESERVE_SIZE, Service, ServiceError,
};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// A command the dispatcher runs (the others need the store to themselves, or no store).
#[derive(Debug)]
pub enum StoreCommand {
    Export {
        output: PathBuf,
        skip_damaged: bool,
    },
    Import {
        csv: Option<CsvKind>,
        file: PathBuf,
        dry_run: bool,
    },
    Check,
    Backup,
    Report(super::report::ReportCommand),
    User(super::user::UserCommand),
    Audit(super::audit::AuditCommand),
    Privacy(super::privacy::PrivacyCommand),
    Compact,
}

impl StoreCommand {
    /// The command in `command`, when it is one the dispatcher runs.
    pub fn from_command(command: super::Command) -> Option<StoreCommand> {
        use super::Command as C;
        Some(match command {
            C::Export {
                output,
                skip_damaged,
            } => StoreCommand::Export {
                output,
                skip_damaged,
            },
            C::Import { csv, file, dry_run } => StoreCommand::Import { csv, file, dry_run },
            C::Check => StoreCommand::Check,
            C::Backup => StoreCommand::Backup,
            C::Report { what } => StoreCommand::Report(what),
            C::User { action } => StoreCommand::User(action),
            C::Audit { what } => StoreCommand::Audit(what),
            C::Privacy { what } => StoreCommand::Privacy(what),
            C::Compact => StoreCommand::Compact,
            _ => return None,
        })
    }
}

/// Who runs the command, on which store, in which language.
pub struct Ctx {
    /// The store directory (the server's own when attached).
    pub dir: PathBuf,
    /// The user name the acting staff account is found by (see `Service::local_account`).
    pub user: String,
    pub lang: Lang,
    pub clock: SharedClock,
}

/// How the store is reached.
pub trait Opener {
    /// The service over the store in `dir`, opened for `access` when this opens it.
    fn open(&mut self, dir: &Path, access: Access) -> Result<Service, Failure>;
    /// Closes what [`Opener::open`] opened (nothing when the store belongs to a server).
    fn close(&mut self, service: &Service) -> Result<(), Failure>;
    /// Whether this process holds the store to itself (it may compact it), rather than a
    /// server that serves it to others.
    fn owns_store(&self) -> bool {
        false
    }
}

/// Where a command's output goes and how files named on its command line are reached.
pub trait Io {
    /// Standard output.
    fn out(&mut self) -> &mut dyn Write;
    /// Standard error.
    fn err(&mut self) -> &mut dyn Write;
    /// Writes the file at `path` (never `-`) with `write`, safely (`output::write_file`).
    fn write_file(
        &mut self,
        path: &Path,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Failure>,
    ) -> Result<(), Failure>;
    /// Opens the file at `path` to read (`-`: standard input), or says why it cannot be.
    fn read_file(&mut self, path: &Path) -> Result<Box<dyn BufRead + '_>, String>;
    /// The size of the file at `path`, when known (to ask the disk for room).
    fn file_len(&mut self, path: &Path) -> u64;
    /// A progress bar for a long import, where one can be drawn.
    fn progress(&self, lang: Lang) -> Option<ImportBar>;
}

/// Prints `text` and a line break on the command's standard output.
pub fn say(io: &mut dyn Io, lang: Lang, text: &str) -> Result<(), Failure> {
    let out = io.out();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| output::stdout_failure(lang, &e))
}

/// Prints `text` on the command's standard error.
pub fn complain(io: &mut dyn Io, text: &str) {
    let err = io.err();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// The sentence for a file that cannot be opened, and why.
pub fn open_failure(lang: Lang, path: &Path, reason: String) -> Failure {
    Failure::runtime(tf(
        lang,
        "cli.file_open",
        &[("path", path.display().to_string()), ("reason", reason)],
    ))
}

/// This process's own terminal and files; failures of files said in `lang`.
pub struct LocalIo {
    out: std::io::Stdout,
    err: std::io::Stderr,
    lang: Lang,
}

impl LocalIo {
    pub fn new(lang: Lang) -> LocalIo {
        LocalIo {
            out: std::io::stdout(),
            err: std::io::stderr(),
            lang,
        }
    }
}

impl Io for LocalIo {
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
        output::write_file(self.lang, path, |w| write(w))
    }
    fn read_file(&mut self, path: &Path) -> Result<Box<dyn BufRead + '_>, String> {
        if path.as_os_str() == "-" {
            return Ok(Box::new(std::io::stdin().lock()));
        }
        let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
        Ok(Box::new(BufReader::new(f)))
    }
    fn file_len(&mut self, path: &Path) -> u64 {
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map_or(0, |m| m.len())
    }
    fn progress(&self, lang: Lang) -> Option<ImportBar> {
        Some(ImportBar::new(lang))
    }
}

/// Opens the store in this process (and closes it when the command is done).
pub struct Direct {
    pub config: Config,
    pub clock: SharedClock,
    pub lang: Lang,
}

impl Opener for Direct {
    fn open(&mut self, dir: &Path, access: Access) -> Result<Service, Failure> {
        super::open_service(
            dir,
            self.config.clone(),
            self.clock.clone(),
            self.lang,
            access,
        )
    }
    fn close(&mut self, service: &Service) -> Result<(), Failure> {
        super::close(service, self.lang)
    }
    fn owns_store(&self) -> bool {
        true
    }
}

/// A store a server holds open: every command uses its service, and nothing closes it.
pub struct Served(pub Service);

impl Opener for Served {
    fn open(&mut self, _dir: &Path, _access: Access) -> Result<Service, Failure> {
        Ok(self.0.clone())
    }
    fn close(&mut self, _service: &Service) -> Result<(), Failure> {
        Ok(())
    }
}

/// Runs `command` for `ctx` with the store from `store` and the output and files of `io`.
pub fn run(
    command: StoreCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let mut noting = Noting {
        inner: store,
        lang: ctx.lang,
        notes: Vec::new(),
    };
    let result = run_command(command, ctx, &mut noting, io);
    for note in noting.notes {
        complain(io, &note);
    }
    result
}

/// An opener that notes what people must know about how the store was opened: that the disk
/// was too full to open it without giving back its reserve space.
struct Noting<'a> {
    inner: &'a mut dyn Opener,
    lang: Lang,
    notes: Vec<String>,
}

impl Opener for Noting<'_> {
    fn open(&mut self, dir: &Path, access: Access) -> Result<Service, Failure> {
        let service = self.inner.open(dir, access)?;
        if let Some(free) = service.opened_on_reserve() {
            let note = tf(
                self.lang,
                "reserve.used",
                &[
                    ("path", dir.display().to_string()),
                    ("size", size_text(self.lang, RESERVE_SIZE)),
                    ("free", size_text(self.lang, free)),
                ],
            );
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        Ok(service)
    }
    fn close(&mut self, service: &Service) -> Result<(), Failure> {
        self.inner.close(service)
    }
    fn owns_store(&self) -> bool {
        self.inner.owns_store()
    }
}

fn run_command(
    command: StoreCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let lang = ctx.lang;
    let dir = ctx.dir.as_path();
    match command {
        StoreCommand::Report(what) => super::report::run(what, ctx, store, io),
        StoreCommand::User(action) => super::user::run(action, ctx, store, io),
        StoreCommand::Audit(what) => super::audit::run(what, ctx, store, io),
        StoreCommand::Privacy(what) => super::privacy::run(what, ctx, store, io),
        StoreCommand::Compact => super::privacy::compact(ctx, store, io),
        StoreCommand::Export {
            output,
            skip_damaged,
        } => {
            require_store(dir, lang)?;
            let service = store.open(dir, Access::Read)?;
            // Reading writes nothing: in a store without accounts, no account is made.
            let who = user::local_account(&service, &ctx.user, false, lang)?;
            let exported = if output.as_os_str() == "-" {
                let mut out = std::io::BufWriter::new(io.out());
                export_to(&service, &who, &mut out, lang, skip_damaged, |e| {
                    output::stdout_failure(lang, e)
                })?
            } else {
                let mut got = None;
                io.write_file(&output, &mut |out| {
                    got = Some(export_to(&service, &who, out, lang, skip_damaged, |e| {
                        output::file_failure(lang, &output, e)
                    })?);
                    Ok(())
                })?;
                got.unwrap_or_default()
            };
            store.close(&service)?;
            let (counts, skipped) = exported;
            if !skipped.is_empty() {
                let mut msg = tf(
                    lang,
                    "cli.export_skipped",
                    &[("count", skipped.len().to_string())],
                );
                for s in &skipped {
                    msg.push_str(&format!("\n- {} {}: {}", s.kind, s.id, s.reason));
                }
                complain(io, &msg);
            }
            if output.as_os_str() != "-" {
                say(
                    io,
                    lang,
                    &tf(
                        lang,
                        "cli.export_done",
                        &[
                            ("summary", summary(lang, &counts)),
                            ("path", output.display().to_string()),
                        ],
                    ),
                )?;
            }
            Ok(())
        }
        StoreCommand::Backup => {
            require_store(dir, lang)?;
            let service = store.open(dir, Access::Read)?;
            let who = user::local_account(&service, &ctx.user, true, lang)?;
            let path = service
                .backup_now(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            store.close(&service)?;
            say(
                io,
                lang,
                &tf(
                    lang,
                    "cli.backup_done",
                    &[("path", path.display().to_string())],
                ),
            )
        }
        StoreCommand::Check => {
            require_store(dir, lang)?;
            let service = store.open(dir, Access::Read)?;
            let who = user::local_account(&service, &ctx.user, false, lang)?;
            let report = service
                .check(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            let stale = service.stale_temporary_files();
            // Opened on its reserve, the store has just said so; otherwise a missing reserve is
            // worth a warning (not a problem: old stores have none until they are opened to save).
            let no_reserve = service.opened_on_reserve().is_none() && !service.has_reserve();
            store.close(&service)?;
            if no_reserve {
                complain(
                    io,
                    &tf(
                        lang,
                        "reserve.missing",
                        &[
                            ("size", size_text(lang, RESERVE_SIZE)),
                            ("needed", size_text(lang, MIN_FREE + RESERVE_SIZE)),
                        ],
                    ),
                );
            }
            if !stale.is_empty() {
                let mut msg = t(lang, "cli.stale_files").to_string();
                for path in &stale {
                    msg.push_str(&format!("\n- {}", path.display()));
                }
                complain(io, &msg);
            }
            let counts = report.counts.clone();
            if report.problems.is_empty() {
                say(
                    io,
                    lang,
                    &tf(lang, "cli.check_ok", &[("summary", summary(lang, &counts))]),
                )
            } else {
                let key = if report.problems.len() == 1 {
                    "cli.check_bad_one"
                } else {
                    "cli.check_bad"
                };
                let mut msg = tf(lang, key, &[("count", report.problems.len().to_string())]);
                for p in &report.problems {
                    msg.push_str("\n- ");
                    msg.push_str(&crate::i18n::errors::check_problem_text(lang, p));
                }
                Err(Failure::runtime(msg))
            }
        }
        StoreCommand::Import {
            csv: Some(kind),
            file,
            dry_run,
        } => {
            // A dry run must not create a store at the path; a real import may start one.
            if dry_run {
                require_store(dir, lang)?;
            }
            let bar = io.progress(lang);
            // The file first: a mistyped file name must not leave a new, empty store behind.
            let mut input = io
                .read_file(&file)
                .map_err(|reason| open_failure(lang, &file, reason))?;
            // A store this import starts is removed again when the import fails.
            let fresh = !dir.exists();
            let access = if dry_run { Access::Read } else { super::WRITE };
            let service = store.open(dir, access)?;
            let who = user::local_account(&service, &ctx.user, true, lang)?;
            let result = {
                let progress = |stage, done, total| {
                    if let Some(b) = &bar {
                        b.report(stage, done, total);
                    }
                };
                match kind {
                    CsvKind::Organisations => {
                        service.import_organisations_csv(&who, &mut input, dry_run, &progress)
                    }
                    CsvKind::Volunteers => {
                        service.import_volunteers_csv(&who, &mut input, dry_run, &progress)
                    }
                }
            };
            drop(input);
            drop(bar);
            store.close(&service)?;
            drop(service);
            if fresh && result.is_err() {
                let _ = std::fs::remove_dir_all(dir);
            }
            match result {
                Ok(s) => {
                    let key = if s.dry_run {
                        "csv.import_dry"
                    } else {
                        "csv.import_done"
                    };
                    let kind_key = match kind {
                        CsvKind::Organisations => "organisation",
                        CsvKind::Volunteers => "volunteer",
                    };
                    let number = if s.rows == 1 { "one" } else { "many" };
                    let what = t(lang, &format!("kind.{kind_key}.{number}")).to_string();
                    say(
                        io,
                        lang,
                        &tf(lang, key, &[("count", s.rows.to_string()), ("what", what)]),
                    )
                }
                Err(e) => Err(Failure::runtime(service_error(lang, &e))),
            }
        }
        StoreCommand::Import {
            csv: None,
            file,
            dry_run,
        } => {
            // A dry run against a path that holds no store checks the file against a new,
            // empty store in a temporary folder: nothing is created at the path.
            let scratch = if dry_run && !Service::exists(dir) {
                Some(tempfile::tempdir().map_err(|e| {
                    Failure::runtime(tf(
                        lang,
                        "cli.file_write",
                        &[
                            ("path", std::env::temp_dir().display().to_string()),
                            ("reason", e.to_string()),
                        ],
                    ))
                })?)
            } else {
                None
            };
            let dir = scratch
                .as_ref()
                .map_or(dir.to_path_buf(), |d| d.path().join("store"));
            let access = if dry_run {
                Access::Read
            } else {
                import_access(io.file_len(&file))
            };
            // `-` reads standard input, as `export -o -` writes standard output. The file is
            // opened first: a mistyped name must not leave a new, empty store behind.
            let mut input = io
                .read_file(&file)
                .map_err(|reason| open_failure(lang, &file, reason))?;
            // A store this import starts is removed again when the import fails.
            let fresh = !dir.exists();
            let service = store.open(&dir, access)?;
            // Into a store without accounts, the import may bring them: the local user acts
            // as administrator and gets an account afterwards only if it brought none of
            // theirs.
            let who = user::local_account(&service, &ctx.user, false, lang)?;
            let mut result = service.import(&who, &mut input, dry_run);
            drop(input);
            if result.is_ok()
                && !dry_run
                && let Err(e) = service.ensure_local_account(&who)
            {
                result = Err(e);
            }
            store.close(&service)?;
            drop(service);
            if fresh && !dry_run && result.is_err() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            match result {
                Ok(s) => {
                    let key = if dry_run {
                        "cli.import_dry"
                    } else {
                        "cli.import_done"
                    };
                    say(
                        io,
                        lang,
                        &tf(lang, key, &[("summary", summary(lang, &s.counts))]),
                    )
                }
                Err(ServiceError::ImportLines(lines)) => {
                    let mut msg = crate::i18n::errors::import_failed(lang, lines.len());
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
    }
}
