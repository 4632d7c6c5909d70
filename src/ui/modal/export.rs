//! "Export as CSV" (Ctrl+E on a list): asks for the file, with a sensible default name, and
//! writes what the list shows — the rows after search and quick filters, every column — as
//! CSV. The file is created new (never overwriting one), readable by its owner only.
//!
//! The same dialog exports a document made in several formats (the Reports screen's summary
//! as Markdown, CSV or JSON, [`ExportModal::choose`]): ↑/↓ pick the format (the file name's
//! extension follows), and a name that exists is replaced only after a second Enter, whole
//! or not at all (`safe_file`).

use super::popup;
use crate::i18n::{t, tf};
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, FlashKind, Handled, Job, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::text::put;
use crate::ui::textedit::edit_line;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;
use std::io::Write;
use std::path::PathBuf;
use tui_input::Input;

/// Asks where to write the rows of a list, or one of several ready-made files.
pub struct ExportModal {
    pub input: Input,
    /// The header and the rows, as shown (empty when exporting [`ExportModal::options`]).
    rows: Vec<Vec<String>>,
    /// A document in several formats, one to choose (empty when exporting rows).
    options: Vec<ExportOption>,
    /// The chosen option.
    pub selected: usize,
    /// A file that exists and that a second Enter on the same name replaces.
    pub replace: Option<PathBuf>,
}

/// One format of a document to export.
#[derive(Clone)]
pub struct ExportOption {
    /// What the dialog calls it ("Markdown").
    pub label: String,
    /// The file name's extension ("md").
    pub extension: &'static str,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

impl ExportModal {
    /// Exporting `rows` (the header first), suggesting `default_name`.
    pub fn new(rows: Vec<Vec<String>>, default_name: &str) -> ExportModal {
        ExportModal {
            input: Input::new(default_name.to_string()),
            rows,
            options: Vec::new(),
            selected: 0,
            replace: None,
        }
    }

    /// Exporting one of `options` (the first chosen) to `stem.<extension>`.
    pub fn choose(options: Vec<ExportOption>, stem: &str) -> ExportModal {
        let name = match options.first() {
            Some(o) => format!("{stem}.{}", o.extension),
            None => stem.to_string(),
        };
        ExportModal {
            input: Input::new(name),
            rows: Vec::new(),
            options,
            selected: 0,
            replace: None,
        }
    }

    /// Picks option `i`; a file name ending in the old option's extension takes the new one.
    fn select(&mut self, i: usize) {
        let (Some(old), Some(new)) = (self.options.get(self.selected), self.options.get(i)) else {
            return;
        };
        let value = self.input.value();
        if let Some(stem) = value.strip_suffix(&format!(".{}", old.extension)) {
            self.input = Input::new(format!("{stem}.{}", new.extension));
        }
        self.selected = i;
        self.replace = None;
    }
}

/// The file name offered for exporting the screen called `screen_key`: its name in lower case
/// and today's date, in the working directory (`organisaties-27-11-2026.csv`).
pub fn default_name(lang: crate::i18n::Lang, screen_key: &str, today: time::Date) -> String {
    format!(
        "{}-{}.csv",
        t(lang, screen_key).to_lowercase().replace(' ', "-"),
        crate::domain::format_date(today)
    )
}

/// Writes rows to a new CSV file.
pub struct WriteCsv {
    pub path: PathBuf,
    pub rows: Vec<Vec<String>>,
}

/// Why the file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// A file of that name exists; nothing was overwritten.
    Exists,
    /// The file cannot be created or written: the system's words.
    Io(String),
}

/// Creates `path` new (exclusive, mode 0600 on Unix) and writes `rows` as CSV with a UTF-8
/// byte order mark, so Excel reads accents right. Returns the rows written (without header).
pub fn write_csv(path: &std::path::Path, rows: &[Vec<String>]) -> Result<usize, WriteError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => WriteError::Exists,
        _ => WriteError::Io(e.to_string()),
    })?;
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF")
        .map_err(|e| WriteError::Io(e.to_string()))?;
    {
        let mut w = csv::WriterBuilder::new().from_writer(&mut out);
        for row in rows {
            w.write_record(row)
                .map_err(|e| WriteError::Io(e.to_string()))?;
        }
        w.flush().map_err(|e| WriteError::Io(e.to_string()))?;
    }
    let file = out
        .into_inner()
        .map_err(|e| WriteError::Io(e.to_string()))?;
    file.sync_all().map_err(|e| WriteError::Io(e.to_string()))?;
    Ok(rows.len().saturating_sub(1))
}

/// Writes a ready-made file: new, or (`replace`) over an existing one, whole or not at all.
pub struct WriteBytes {
    pub path: PathBuf,
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub replace: bool,
}

/// Writes `bytes` to `path`: a new file (an existing one is [`WriteError::Exists`] unless
/// `replace`), private (0600), whole or not at all, in a folder that must exist.
pub fn write_bytes(path: &std::path::Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists);
    }
    if path.is_dir() {
        return Err(WriteError::Io(
            std::io::Error::from(std::io::ErrorKind::IsADirectory).to_string(),
        ));
    }
    crate::safe_file::write_replacing(path, |w: &mut dyn Write| w.write_all(bytes)).map_err(|e| {
        WriteError::Io(match e {
            crate::safe_file::Failed::Io(e) | crate::safe_file::Failed::Writer(e) => e.to_string(),
        })
    })
}

impl Job for WriteBytes {
    fn name(&self) -> &'static str {
        "write_export"
    }
    fn run(self: Box<Self>, _jx: &JobCx) -> Box<dyn Any + Send> {
        let result = write_bytes(&self.path, &self.bytes, self.replace);
        Box::new((self.path, result.map(|()| 0usize)))
    }
}

impl Job for WriteCsv {
    fn name(&self) -> &'static str {
        "write_csv"
    }
    fn run(self: Box<Self>, _jx: &JobCx) -> Box<dyn Any + Send> {
        let result = write_csv(&self.path, &self.rows);
        Box::new((self.path, result))
    }
}

impl Component for ExportModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Filter]
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        let edited = edit_line(&mut self.input, key).is_some();
        if edited {
            self.replace = None;
        }
        edited
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.input.handle(tui_input::InputRequest::InsertChar(c));
        }
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Back => cx.close(),
            Action::Up | Action::Down if !self.options.is_empty() => {
                let n = self.options.len();
                let i = if action == Action::Down {
                    (self.selected + 1) % n
                } else {
                    (self.selected + n - 1) % n
                };
                self.select(i);
            }
            Action::Open => {
                let path = PathBuf::from(self.input.value().trim());
                if path.as_os_str().is_empty() {
                } else if let Some(option) = self.options.get(self.selected) {
                    cx.run(WriteBytes {
                        replace: self.replace.as_ref() == Some(&path),
                        path,
                        bytes: option.bytes.clone(),
                    });
                } else {
                    cx.run(WriteCsv {
                        path,
                        rows: self.rows.clone(),
                    });
                }
            }
            _ => {}
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some((path, result)) = done.take::<(PathBuf, Result<usize, WriteError>)>() else {
            return;
        };
        let lang = cx.lang();
        let path = path.display().to_string();
        let asked = self.replace.take();
        match result {
            Ok(_) if !self.options.is_empty() => {
                cx.close();
                cx.flash(
                    FlashKind::Ok,
                    tf(lang, "ui.export_written", &[("path", path)]),
                );
            }
            Ok(n) => {
                cx.close();
                cx.flash(
                    FlashKind::Ok,
                    tf(
                        lang,
                        "ui.exported",
                        &[("count", n.to_string()), ("path", path)],
                    ),
                );
            }
            // A document may replace a file, once asked: a second Enter on the same name.
            Err(WriteError::Exists) if !self.options.is_empty() => {
                self.replace = Some(PathBuf::from(&path)).filter(|p| asked.as_ref() != Some(p));
                cx.flash(
                    FlashKind::Error,
                    tf(lang, "ui.export_replace", &[("path", path)]),
                );
            }
            // The dialog stays open so another name can be typed.
            Err(WriteError::Exists) => cx.flash(
                FlashKind::Error,
                tf(lang, "ui.export_exists", &[("path", path)]),
            ),
            Err(WriteError::Io(reason)) => cx.flash(
                FlashKind::Error,
                tf(
                    lang,
                    "ui.export_failed",
                    &[("path", path), ("reason", reason)],
                ),
            ),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if !self.options.is_empty() {
            return self.render_choice(area, buf, cx);
        }
        let inner = popup(buf, area, 70, 6, t(lang, "ui.export_title"), theme);
        if inner.height < 2 {
            return None;
        }
        let note = tf(
            lang,
            "ui.export_hint",
            &[("count", self.rows.len().saturating_sub(1).to_string())],
        );
        put(buf, inner.x, inner.y, inner.right(), &note, theme.dim);
        let x = put(buf, inner.x, inner.y + 2, inner.right(), "> ", theme.key);
        put(
            buf,
            x,
            inner.y + 2,
            inner.right(),
            self.input.value(),
            theme.base,
        );
        Some(Position::new(
            (x + self.input.visual_cursor() as u16).min(inner.right().saturating_sub(1)),
            inner.y + 2,
        ))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl ExportModal {
    /// The dialog with a choice of formats: the formats (the chosen one marked), the question,
    /// and the file name.
    fn render_choice(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let inner = popup(buf, area, 70, 8, t(lang, "ui.export_report_title"), theme);
        if inner.height < 4 {
            return None;
        }
        let mut x = put(
            buf,
            inner.x,
            inner.y,
            inner.right(),
            t(lang, "ui.export_format"),
            theme.dim,
        );
        for (i, o) in self.options.iter().enumerate() {
            let (text, style) = if i == self.selected {
                (format!(" [{}] ", o.label), theme.tab_active)
            } else {
                (format!("  {}  ", o.label), theme.base)
            };
            x = put(buf, x, inner.y, inner.right(), &text, style);
        }
        let note = match &self.replace {
            Some(_) => t(lang, "ui.export_replace_hint"),
            None => t(lang, "ui.export_report_hint"),
        };
        put(buf, inner.x, inner.y + 2, inner.right(), note, theme.dim);
        let x = put(buf, inner.x, inner.y + 4, inner.right(), "> ", theme.key);
        put(
            buf,
            x,
            inner.y + 4,
            inner.right(),
            self.input.value(),
            theme.base,
        );
        Some(Position::new(
            (x + self.input.visual_cursor() as u16).min(inner.right().saturating_sub(1)),
            inner.y + 4,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_files_only_with_a_bom_and_quoting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lijst.csv");
        let rows = vec![
            vec!["Naam".to_string(), "Gemeente".to_string()],
            vec!["Berg, Anouk van den".to_string(), "Dordrecht".to_string()],
        ];
        assert_eq!(write_csv(&path, &rows).unwrap(), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "\u{feff}Naam,Gemeente\n\"Berg, Anouk van den\",Dordrecht\n"
        );
        assert!(matches!(write_csv(&path, &rows), Err(WriteError::Exists)));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let missing = dir.path().join("nope").join("lijst.csv");
        assert!(matches!(write_csv(&missing, &rows), Err(WriteError::Io(_))));
    }
}
