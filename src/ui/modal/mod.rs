//! The overlays that belong to no screen: help, the command palette, "find anyone" and the
//! yes/no question, one module each. Each is a [`Component`](super::component::Component) on
//! the shell's modal stack and gets keys first. Overlays of one kind of record (the
//! duplicates dialog, the status change) live with that kind's screens.

mod confirm;
pub mod export;
mod find;
mod help;
mod palette;

pub use confirm::Confirm;
pub use export::ExportModal;
pub use find::FindModal;
pub use help::HelpModal;
pub use palette::PaletteModal;

use super::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// A centred box of at most `w`×`h` inside `area`, cleared and framed; returns its inside.
pub fn popup(buf: &mut Buffer, area: Rect, w: u16, h: u16, title: &str, theme: &Theme) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}
