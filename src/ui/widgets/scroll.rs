//! A detail view's text: labelled lines that scroll when they do not fit. Every kind's detail
//! view draws its lines with it, so scrolling by keys and the wheel works the same in each.

use crate::ui::action::Action;
use crate::ui::theme::Theme;
use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Width of the label column of [`labelled`].
pub const LABEL_WIDTH: usize = 24;

/// A line `label   value`, the label dimmed and padded to [`LABEL_WIDTH`].
pub fn labelled(theme: &Theme, label: &str, value: String) -> Line<'static> {
    let pad = LABEL_WIDTH.saturating_sub(label.chars().count());
    Line::from(vec![
        Span::styled(format!("{label}{}", " ".repeat(pad)), theme.dim),
        Span::raw(value),
    ])
}

/// A dimmed heading line.
pub fn heading(theme: &Theme, text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme.dim))
}

/// Where scrolled text stands.
#[derive(Debug, Clone, Copy)]
pub struct Scroll {
    pub top: u16,
    /// The largest useful `top` for the area of the last prepared frame.
    max: u16,
}

impl Default for Scroll {
    fn default() -> Self {
        Scroll {
            top: 0,
            max: u16::MAX,
        }
    }
}

impl Scroll {
    /// Moves for a movement action; false for any other action.
    pub fn on_action(&mut self, action: Action) -> bool {
        let max = self.max;
        match action {
            Action::Up => self.top = self.top.saturating_sub(1),
            Action::Down => self.top = (self.top + 1).min(max),
            Action::PageUp => self.top = self.top.saturating_sub(10),
            Action::PageDown => self.top = self.top.saturating_add(10).min(max),
            Action::Home => self.top = 0,
            Action::End => self.top = max,
            _ => return false,
        }
        true
    }

    /// Scrolls with the mouse wheel; false for other mouse events.
    pub fn on_mouse(&mut self, m: MouseEvent) -> bool {
        match m.kind {
            MouseEventKind::ScrollDown => self.on_action(Action::Down),
            MouseEventKind::ScrollUp => self.on_action(Action::Up),
            _ => false,
        }
    }

    /// Fits the scroll to `lines` wrapped in `area`.
    pub fn prepare(&mut self, lines: &[Line<'_>], area: Rect) {
        let width = usize::from(area.width.max(1));
        let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
        self.max = u16::try_from(rows)
            .unwrap_or(u16::MAX)
            .saturating_sub(area.height);
        self.top = self.top.min(self.max);
    }

    /// Draws `lines`, wrapped, from the scrolled position.
    pub fn render(&self, lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer) {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.top, 0))
            .render(area, buf);
    }
}
