//! Text measured in terminal columns: the one place that cuts text to a width.

use crate::i18n::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Writes `text` from `x` on row `y`, clipped at `right`; returns the column after it.
pub fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, text: &str, style: Style) -> u16 {
    if x >= right {
        return x;
    }
    let (end, _) = buf.set_stringn(x, y, text, usize::from(right - x), style);
    end
}

/// Writes `text` into a cell of `width` columns, cut with `…` when too long, padded with
/// spaces in `style` when short.
pub fn put_padded(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) {
    if width == 0 {
        return;
    }
    let fitted = fit(text, usize::from(width));
    let end = put(buf, x, y, x + width, &fitted, style);
    if end < x + width {
        buf.set_style(Rect::new(end, y, x + width - end, 1), style);
    }
}

/// A count with the thousands separator of the language: 100.000 / 100,000.
pub fn fmt_count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = if lang == Lang::Nl { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `text` cut to `width` display columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn cuts_with_an_ellipsis_by_display_width() {
        assert_eq!(fit("Formulier opslaan", 40), "Formulier opslaan");
        assert_eq!(fit("Formulier opslaan", 10), "Formulier…");
        assert_eq!(fit("Hardinxveld-Giessendam", 10), "Hardinxve…");
        assert_eq!(fit("Formulier opslaan", 1), "…");
        assert_eq!(fit("Formulier opslaan", 0), "");
        assert_eq!(fit("日本語", 4), "日…");
    }
}
