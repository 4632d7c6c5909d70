//! "Export as CSV" (Ctrl+E on a list): asks for the file, with a sensible default name, and
//! writes what the list shows — the rows after search and quick filters, every column — as
//! CSV. The file is created new (never overwriting one), readable by its owner only.

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

/// Asks where to write the rows of a list.
pub struct ExportModal {
    pub input: Input,
    /// The header and the rows, as shown.
    rows: Vec<Vec<String>>,
}

impl ExportModal {
    /// Exporting `rows` (the header first), suggesting `default_name`.
    pub fn new(rows: Vec<Vec<String>>, default_name: &str) -> ExportModal {
        ExportModal {
            input: Input::new(default_name.to_string()),
            rows,
        }
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
        edit_line(&mut self.input, key).is_some()
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
            Action::Open => {
                let path = self.input.value().trim();
                if !path.is_empty() {
                    cx.run(WriteCsv {
                        path: PathBuf::from(path),
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
        match result {
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
