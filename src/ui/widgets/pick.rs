//! Selection, scrolling, headings and the empty line of the hand-drawn work lists (Caseloads,
//! Waardering, Beheer): lists whose rows are worked out for a day rather than kept as record
//! rows, so the record list component (`ui::table`) does not serve them.

use crate::ui::action::Action;
use crate::ui::text::{put, put_padded};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Draws a work list's column headings on the second line of `area` (the first is its
/// introduction), from two columns in, each `widths[i]` wide with a space between, underlined
/// in `style`; a heading that would start past the right edge is left out.
pub fn headings<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    titles: &[S],
    widths: &[u16],
    style: Style,
) {
    cells(
        buf,
        area,
        area.y + 1,
        titles,
        widths,
        style.add_modifier(Modifier::UNDERLINED),
    );
}

/// Draws one row of a work list on line `y`: the selection's background and marker (`▶`),
/// then its cells in the columns of [`headings`], in `style`.
pub fn row<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    (selected, selection): (bool, Style),
    texts: &[S],
    widths: &[u16],
    style: Style,
) {
    if selected {
        buf.set_style(Rect::new(area.x, y, area.width, 1), selection);
    }
    put(
        buf,
        area.x,
        y,
        area.right(),
        if selected { "▶ " } else { "  " },
        style,
    );
    cells(buf, area, y, texts, widths, style);
}

/// The cells of one line, from two columns in, each `widths[i]` wide with a space between; a
/// cell that would start past the right edge is left out.
fn cells<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    texts: &[S],
    widths: &[u16],
    style: Style,
) {
    let mut x = area.x + 2;
    for (text, &w) in texts.iter().zip(widths) {
        if x >= area.right() {
            break;
        }
        put_padded(buf, x, y, w.min(area.right() - x), text.as_ref(), style);
        x += w + 1;
    }
}

/// Draws, under the headings, what a work list shows instead of rows — `loading` until it is
/// `loaded`, `empty` when it has no rows — and says whether it did (then no rows are drawn).
pub fn instead_of_rows(
    buf: &mut Buffer,
    area: Rect,
    (loaded, is_empty): (bool, bool),
    (loading, empty): (&str, &str),
    style: Style,
) -> bool {
    let message = if !loaded {
        loading
    } else if is_empty {
        empty
    } else {
        return false;
    };
    put(buf, area.x + 2, area.y + 2, area.right(), message, style);
    true
}

/// Moves `selected` in a list of `len` rows for a movement action (a page is ten rows); false
/// for any other action.
pub fn step(selected: &mut usize, len: usize, action: Action) -> bool {
    let last = len.saturating_sub(1);
    *selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::PageDown => (*selected + 10).min(last),
        Action::Home => 0,
        Action::End => last,
        _ => return false,
    };
    true
}

/// Keeps `selected` within a list of `len` rows, and `offset` (the first row shown) such that
/// the selected row is among the `height` rows shown.
pub fn follow(selected: &mut usize, offset: &mut usize, len: usize, height: usize) {
    *selected = (*selected).min(len.saturating_sub(1));
    let height = height.max(1);
    if *selected < *offset {
        *offset = *selected;
    } else if *selected >= *offset + height {
        *offset = *selected + 1 - height;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stop_at_the_ends_and_the_window_follows_the_selection() {
        let mut s = 0;
        assert!(step(&mut s, 25, Action::PageDown));
        assert!(step(&mut s, 25, Action::PageDown));
        assert!(step(&mut s, 25, Action::PageDown));
        assert_eq!(s, 24);
        assert!(!step(&mut s, 25, Action::Open));
        let mut offset = 0;
        follow(&mut s, &mut offset, 25, 10);
        assert_eq!(offset, 15);
        assert!(step(&mut s, 25, Action::Home));
        follow(&mut s, &mut offset, 25, 10);
        assert_eq!((s, offset), (0, 0));
        // A list that shrank under the selection.
        let mut s = 30;
        follow(&mut s, &mut offset, 3, 10);
        assert_eq!(s, 2);
    }
}
