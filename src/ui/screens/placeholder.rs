//! Screens that arrive with later versions: the group's name, what the basic function covers,
//! and what this screen will hold. No invented data.

use super::Screen;
use crate::i18n::{Lang, t};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn render(screen: Screen, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) {
    let g = screen.group();
    let lines = vec![
        Line::from(Span::styled(
            format!(
                "{} {} › {}",
                g + 1,
                t(lang, super::group_key(g)),
                t(lang, screen.key())
            ),
            theme.title,
        )),
        Line::default(),
        Line::from(t(lang, &super::group_key(g).replace("group.", "covers.")).to_string()),
        Line::default(),
        Line::from(Span::styled(
            t(lang, &format!("{}_later", screen.key())).to_string(),
            theme.dim,
        )),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
