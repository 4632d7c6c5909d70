//! Text measured in terminal columns, shared by every widget: widths, cutting to a width
//! ([`fit`]), the one soft-wrap ([`wrap`], with [`wrap_words`] for display text), and writing
//! into a buffer clipped to it ([`put`], [`put_padded`], [`put_wrapped`]).
//!
//! Owns only column arithmetic and buffer writes; knows nothing of fields, screens or
//! catalogs. Widths are summed per grapheme cluster (`unicode-segmentation` with
//! `unicode-width`, control characters count as zero), as ratatui's buffer draws them, so
//! wrapping, cursors and drawing agree also for 👩‍👩‍👧 and combining accents.

use crate::i18n::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A count with the thousands separator of the language: 100.000 / 100,000.
pub fn fmt_count(lang: Lang, n: u64) -> String {
    crate::i18n::fmt_count(lang, n)
}

/// Display width of one character (control characters count as zero). Text is measured by
/// grapheme cluster ([`str_width`]); this is for a character known to stand alone.
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of one grapheme cluster as terminals (and ratatui's buffer) draw it: a
/// zero-width-joiner sequence such as 👩‍👩‍👧 is one picture two columns wide, a letter
/// with a combining accent one column. Control characters count as zero.
pub fn grapheme_width(g: &str) -> usize {
    if g.chars().any(char::is_control) {
        0
    } else {
        g.width()
    }
}

/// Display width of a string, by grapheme cluster (consistent with [`wrap`] and [`fit`]).
pub fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// The characters `start..start + len` (codepoint indices) of `text`.
pub fn char_slice(text: &str, start: usize, len: usize) -> &str {
    let mut idx = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let from = idx.by_ref().nth(start).unwrap_or(text.len());
    let to = if len == 0 {
        from
    } else {
        idx.nth(len - 1).unwrap_or(text.len())
    };
    &text[from..to]
}

/// `text` cut to `width` display columns, ending in `…` when cut; never inside a grapheme
/// cluster.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    if str_width(text) <= width {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = grapheme_width(g);
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out.into()
}

/// One row of wrapped text: the characters `start..end` (codepoint indices into the text).
/// `hard` is true when the row ends at a line break or at the end of the text, false when it
/// was broken only because it reached the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub start: usize,
    pub end: usize,
    pub hard: bool,
}

/// The soft-wrap used everywhere: breaks `text` into rows of at most `width` columns, after
/// the last space that fits (or inside a word longer than a row); `\n` always ends a row.
/// Rows after a soft break have `indent` columns less room (for a hanging indent; ignored
/// when not smaller than `width`). Spaces at a break stay at the end of their row, so no row
/// starts with the space that caused the break. Every row holds at least one character, so
/// a too-narrow width never loops. Always returns at least one row.
pub fn wrap_indented(text: &str, width: usize, indent: usize) -> Vec<Row> {
    /// One grapheme cluster: its first codepoint index, codepoints and columns.
    struct G {
        at: usize,
        len: usize,
        w: usize,
        space: bool,
        newline: bool,
    }
    let width = width.max(1);
    let indent = if indent < width { indent } else { 0 };
    let mut gs = Vec::new();
    let mut total = 0;
    for g in text.graphemes(true) {
        let len = g.chars().count();
        gs.push(G {
            at: total,
            len,
            w: grapheme_width(g),
            space: g == " ",
            newline: g.ends_with('\n'),
        });
        total += len;
    }
    // Codepoint index of cluster `k` (the text's end after the last).
    let at = |k: usize| gs.get(k).map_or(total, |g| g.at);
    let mut out = Vec::new();
    let mut start = 0;
    let mut room = width;
    let mut used = 0;
    let mut i = 0;
    while i < gs.len() {
        let g = &gs[i];
        if g.newline {
            out.push(Row {
                start: at(start),
                // The row ends before the '\n' (a "\r\n" keeps its '\r' in the row).
                end: g.at + g.len - 1,
                hard: true,
            });
            i += 1;
            start = i;
            room = width;
            used = 0;
            continue;
        }
        if used + g.w > room && i > start {
            let end = if g.space {
                // The spaces hang at the end of this row.
                let mut j = i;
                while gs.get(j).is_some_and(|g| g.space) {
                    j += 1;
                }
                j
            } else {
                // After the last space of the row when there is one, else here.
                match gs[start..i].iter().rposition(|g| g.space) {
                    Some(k) => start + k + 1,
                    None => i,
                }
            };
            out.push(Row {
                start: at(start),
                end: at(end),
                hard: false,
            });
            start = end;
            room = width - indent;
            used = gs[start..end.max(i)].iter().map(|g| g.w).sum();
            i = end.max(i);
            continue;
        }
        used += g.w;
        i += 1;
    }
    out.push(Row {
        start: at(start),
        end: total,
        hard: true,
    });
    out
}

/// [`wrap_indented`] without an indent: the rows of a multi-line text field.
pub fn wrap(text: &str, width: usize) -> Vec<Row> {
    wrap_indented(text, width, 0)
}

/// The characters of one wrapped row.
pub fn row_text(text: &str, row: Row) -> String {
    text.chars()
        .skip(row.start)
        .take(row.end.saturating_sub(row.start))
        .collect()
}

/// Display text word-wrapped by [`wrap_indented`] into lines of at most `width` columns, with
/// spaces at the ends of lines dropped, empty lines left out and continuation lines indented
/// by `indent` spaces. Nothing for a width of 0.
pub fn wrap_words(text: &str, width: usize, indent: usize) -> Vec<String> {
    if width == 0 {
        return Vec::new();
    }
    let pad = if indent < width { indent } else { 0 };
    let mut lines = Vec::new();
    let mut after_soft = false;
    for row in wrap_indented(text, width, indent) {
        let line = row_text(text, row);
        let line = line.trim_matches(' ');
        if !line.is_empty() {
            let lead = if after_soft { pad } else { 0 };
            lines.push(format!("{}{line}", " ".repeat(lead)));
        }
        after_soft = !row.hard;
    }
    lines
}

/// Writes `text` from `x` on row `y`, clipped at `right` and at the buffer's edges; returns
/// the column after what was written (`x` when nothing was).
pub fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, text: &str, style: Style) -> u16 {
    let a = buf.area;
    let right = right.min(a.right());
    if x >= right || x < a.left() || y < a.top() || y >= a.bottom() {
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
    let right = x.saturating_add(width);
    let end = put(buf, x, y, right, &fitted, style);
    if end < right {
        let pad = Rect::new(end, y, right - end, 1).intersection(buf.area);
        buf.set_style(pad, style);
    }
}

/// Writes `text` word-wrapped ([`wrap_words`]) into `area`, one line per row; lines beyond its
/// height are left out. Returns the rows the text takes (also those left out).
pub fn put_wrapped(buf: &mut Buffer, area: Rect, text: &str, style: Style) -> u16 {
    let lines = wrap_words(text, usize::from(area.width), 0);
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        put(buf, area.x, y, area.right(), line, style);
    }
    u16::try_from(lines.len()).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, width: usize) -> Vec<String> {
        wrap(text, width)
            .into_iter()
            .map(|r| row_text(text, r))
            .collect()
    }

    #[test]
    fn a_zero_width_joiner_sequence_is_one_picture_of_two_columns() {
        let family = "👩\u{200d}👩\u{200d}👧";
        assert_eq!(str_width(family), 2);
        assert_eq!(str_width(&format!("Jansen {family}")), 9);
        // Combining accent: one column.
        assert_eq!(str_width("Zoe\u{308}"), 3);
        // Cut before the picture, never inside it.
        assert_eq!(fit(&format!("ab{family}cd"), 4), "ab…");
        assert_eq!(fit(&format!("ab{family}cd"), 5), format!("ab{family}…"));
        // Wrapped rows keep the cluster whole.
        let text = format!("{family} {family} {family}");
        for row in wrap(&text, 3) {
            let t = row_text(&text, row);
            assert!(str_width(t.trim_end()) <= 3, "{t:?}");
            assert!(!t.starts_with('\u{200d}'), "{t:?}");
        }
        assert_eq!(char_slice("aëb", 1, 1), "ë");
    }

    /// Drawn into a buffer the picture takes the columns `str_width` counts, so what follows
    /// it lines up.
    #[test]
    fn drawing_agrees_with_the_measured_width() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        put_padded(&mut buf, 0, 0, 6, &format!("A{family}"), Style::default());
        put(&mut buf, 6, 0, 12, "|x", Style::default());
        assert_eq!(buf[(6, 0)].symbol(), "|");
    }

    #[test]
    fn cuts_with_an_ellipsis_by_display_width() {
        assert_eq!(fit("Formulier opslaan", 40), "Formulier opslaan");
        assert_eq!(fit("Formulier opslaan", 10), "Formulier…");
        assert_eq!(fit("Hardinxveld-Giessendam", 10), "Hardinxve…");
        assert_eq!(fit("Formulier opslaan", 1), "…");
        assert_eq!(fit("Formulier opslaan", 0), "");
        assert_eq!(fit("日本語", 4), "日…");
    }

    #[test]
    fn wrapping_breaks_at_the_width_and_at_line_breaks() {
        assert_eq!(
            wrap("abcdef\ngh", 4),
            vec![
                Row {
                    start: 0,
                    end: 4,
                    hard: false
                },
                Row {
                    start: 4,
                    end: 6,
                    hard: true
                },
                Row {
                    start: 7,
                    end: 9,
                    hard: true
                },
            ]
        );
        assert_eq!(
            wrap("", 4),
            vec![Row {
                start: 0,
                end: 0,
                hard: true
            }]
        );
        assert_eq!(wrap("a\n", 4).len(), 2);
        // A character wider than the row still makes progress.
        assert_eq!(wrap("日本", 1).len(), 2);
        assert_eq!(rows("abc", 0), vec!["a", "b", "c"]);
    }

    #[test]
    fn wrapping_prefers_spaces_and_lets_them_hang() {
        assert_eq!(rows("een twee drie", 9), vec!["een twee ", "drie"]);
        assert_eq!(rows("een twee drie", 5), vec!["een ", "twee ", "drie"]);
        // The space that does not fit stays on its row: no row of only a space.
        assert_eq!(rows("aaaaa bbbbb", 5), vec!["aaaaa ", "bbbbb"]);
        assert_eq!(
            rows("a bbbbbbbbbbbb", 5),
            vec!["a ", "bbbbb", "bbbbb", "bb"]
        );
    }

    #[test]
    fn display_text_wraps_by_word_with_a_hanging_indent() {
        let text = "✗ write the postcode as 1234 AB.";
        assert_eq!(
            wrap_words(text, 14, 2),
            vec!["✗ write the", "  postcode as", "  1234 AB."]
        );
        assert_eq!(wrap_words(text, 80, 2), vec![text]);
        assert_eq!(
            wrap_words("aaaaaaaaaa", 4, 2),
            vec!["aaaa", "  aa", "  aa", "  aa"]
        );
        assert_eq!(wrap_words("   ", 4, 0), Vec::<String>::new());
        assert!(wrap_words(text, 0, 0).is_empty());
        // Every line fits.
        for w in 1..40 {
            for line in wrap_words(text, w, 2) {
                assert!(str_width(&line) <= w, "{line:?} in {w}");
            }
        }
    }

    #[test]
    fn put_clips_to_the_buffer_and_reports_the_end() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        assert_eq!(put(&mut buf, 1, 0, 10, "abcdef", Style::default()), 5);
        assert_eq!(
            put(&mut buf, 1, 3, 10, "x", Style::default()),
            1,
            "row outside"
        );
        assert_eq!(put(&mut buf, 9, 0, 10, "x", Style::default()), 9);
        put_padded(&mut buf, 0, 0, 9, "ab", Style::default());
        assert_eq!(buf.cell((1, 0)).map(|c| c.symbol()), Some("b"));
    }

    #[test]
    fn wrapped_text_fills_the_rows_of_its_area() {
        let area = Rect::new(0, 0, 10, 2);
        let mut buf = Buffer::empty(area);
        let rows = put_wrapped(&mut buf, area, "een twee drie vier vijf", Style::default());
        assert_eq!(rows, 3, "one row more than there is room for");
        let row = |y: u16| -> String {
            (0..10)
                .map(|x| buf.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect()
        };
        assert_eq!(row(0), "een twee  ");
        assert_eq!(row(1), "drie vier ");
        put_wrapped(&mut buf, Rect::new(0, 0, 0, 0), "x", Style::default());
    }
}
