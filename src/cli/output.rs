//! What commands write: lines on standard output, and files the user names.
//!
//! Every write is checked. A closed pipe on standard output (`koppel check | head -1`) ends the
//! command quietly with the shell's status for it (141); a full disk or another failure is a
//! sentence and exit 1, never a panic.
//!
//! A file named with `--output` is written safely, because it holds personal data:
//! - a regular file (or a new name) is written to a temporary file created exclusively, with a
//!   random name and mode 0600, in the same folder, then renamed over the name; nothing planted
//!   at a predictable name can redirect it, and a failed or interrupted write leaves the old file
//!   as it was (the temporary file is removed on failure);
//! - a symbolic link to a regular file replaces that file the same way; a device, a FIFO or a
//!   link to one is written through as a stream, never replaced;
//! - a missing folder is an error naming it: nothing is created on a mistyped path.

use super::Failure;
use crate::i18n::{Lang, t, tf};
use crate::safe_file::Failed;
use std::fs::OpenOptions;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::Path;

/// The exit status of a command whose reader closed the pipe (128 + SIGPIPE).
pub const CLOSED_PIPE: u8 = 141;

/// What a failed write on standard output means for the command.
pub fn stdout_failure(lang: Lang, e: &std::io::Error) -> Failure {
    if e.kind() == ErrorKind::BrokenPipe {
        return Failure {
            message: String::new(),
            code: CLOSED_PIPE,
        };
    }
    Failure::runtime(tf(lang, "cli.stdout_write", &[("reason", reason(lang, e))]))
}

/// Prints `text` and a line break on standard output, flushed.
pub fn say(lang: Lang, text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| stdout_failure(lang, &e))
}

/// Prints `text` as it is on standard output, flushed.
pub fn print(lang: Lang, text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| stdout_failure(lang, &e))
}

/// Prints `text` on standard error; a failure there has nowhere left to be told.
pub fn complain(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A sentence for an I/O error, naming a full disk plainly in the user's language.
fn reason(lang: Lang, e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::StorageFull => t(lang, "cli.disk_full").to_string(),
        _ => e.to_string(),
    }
}

/// A progress bar for a long import on standard error: drawn only when standard error is a
/// terminal (never into a redirected log), cleared when dropped. `report` gives it the stage
/// and how far it is, as the import's progress callback does.
pub struct ImportBar {
    bar: indicatif::ProgressBar,
    lang: Lang,
}

impl ImportBar {
    pub fn new(lang: Lang) -> ImportBar {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg:18} [{bar:40}] {percent:>3}%")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        ImportBar { bar, lang }
    }

    /// Shows `stage` at `done` of `total`.
    pub fn report(&self, stage: crate::service::csv_import::CsvStage, done: u64, total: u64) {
        use crate::service::csv_import::CsvStage;
        let key = match stage {
            CsvStage::Checking => "csv.progress_checking",
            CsvStage::Writing => "csv.progress_writing",
        };
        let message = crate::i18n::t(self.lang, key);
        if self.bar.message() != message {
            self.bar.set_message(message.to_string());
        }
        self.bar.set_length(total.max(1));
        self.bar.set_position(done.min(total));
    }
}

impl Drop for ImportBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A failed write of the file at `path`, as a sentence.
pub fn file_failure(lang: Lang, path: &Path, e: &std::io::Error) -> Failure {
    Failure::runtime(tf(
        lang,
        "cli.file_write",
        &[
            ("path", path.display().to_string()),
            ("reason", reason(lang, e)),
        ],
    ))
}

/// Writes a file at `path` with `write` (see the module doc for how). `write` returns its own
/// failure as it is; an I/O failure of the file is reported naming `path`.
pub fn write_file<T>(
    lang: Lang,
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let fail = |e: std::io::Error| file_failure(lang, path, &e);
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Err(fail(std::io::Error::new(
            ErrorKind::IsADirectory,
            "it is a folder",
        ))),
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            // A link to a regular file: that file is replaced safely, like any other.
            Ok(target) if target.is_file() => replace(&target, write, fail),
            _ => stream(path, write, fail),
        },
        Ok(m) if !m.is_file() => stream(path, write, fail),
        Ok(_) => replace(path, write, fail),
        Err(e) if e.kind() == ErrorKind::NotFound => replace(path, write, fail),
        Err(e) => Err(fail(e)),
    }
}

/// Writes through a device or FIFO, as a stream.
fn stream<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Failure>,
    fail: impl Fn(std::io::Error) -> Failure,
) -> Result<T, Failure> {
    let file = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(&fail)?;
    let mut out = BufWriter::new(file);
    let value = write(&mut out)?;
    out.flush().map_err(&fail)?;
    Ok(value)
}

/// Writes a temporary file beside `path` and renames it over `path` (`crate::safe_file`).
fn replace<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Failure>,
    fail: impl Fn(std::io::Error) -> Failure,
) -> Result<T, Failure> {
    crate::safe_file::write_replacing(path, write).map_err(|e| match e {
        Failed::Io(e) => fail(e),
        Failed::Writer(f) => f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn write_hello(out: &mut dyn Write) -> Result<(), Failure> {
        out.write_all(b"hello\n")
            .map_err(|e| Failure::runtime(e.to_string()))
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_private_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.jsonl");
        write_file(Lang::En, &path, write_hello).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(names_in(dir.path()), ["backup.jsonl"]);
    }

    #[test]
    fn a_planted_link_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("backup.jsonl");
        symlink(&victim, dir.path().join("backup.jsonl.tmp")).unwrap();
        write_file(Lang::En, &path, write_hello).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.jsonl");
        std::fs::write(&path, "yesterday").unwrap();
        let failed = write_file(Lang::En, &path, |out: &mut dyn Write| {
            out.write_all(b"half").unwrap();
            Err::<(), _>(Failure::runtime("the store cannot be read".into()))
        });
        assert_eq!(
            failed.err().map(|f| f.message).as_deref(),
            Some("the store cannot be read")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "yesterday");
        assert_eq!(names_in(dir.path()), ["backup.jsonl"]);
    }

    #[test]
    fn a_link_to_a_file_replaces_that_file_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("last-export.jsonl");
        std::fs::write(&target, "yesterday").unwrap();
        let link = dir.path().join("latest.jsonl");
        symlink(&target, &link).unwrap();
        let failed = write_file(Lang::En, &link, |out: &mut dyn Write| {
            out.write_all(b"half").unwrap();
            Err::<(), _>(Failure::runtime("stopped".into()))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "yesterday");
        write_file(Lang::En, &link, write_hello).unwrap();
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "hello\n");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_device_is_written_through_and_a_full_one_is_an_error() {
        let full = write_file(Lang::En, Path::new("/dev/full"), write_hello);
        let message = full.err().map(|f| f.message).unwrap_or_default();
        assert!(message.contains("/dev/full"), "{message}");
        assert!(message.contains("the disk is full"), "{message}");
        let vol = write_file(Lang::Nl, Path::new("/dev/full"), write_hello);
        let message = vol.err().map(|f| f.message).unwrap_or_default();
        assert!(message.contains("de schijf is vol"), "{message}");
        assert!(!Path::new("/dev/full").metadata().unwrap().is_file());
        write_file(Lang::En, Path::new("/dev/null"), write_hello).unwrap();
    }

    #[test]
    fn a_missing_folder_is_named_and_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("typo").join("backup.jsonl");
        let message = write_file(Lang::En, &path, write_hello)
            .err()
            .map(|f| f.message)
            .unwrap_or_default();
        assert!(message.contains("typo"), "{message}");
        assert!(!dir.path().join("typo").exists());
    }
}
