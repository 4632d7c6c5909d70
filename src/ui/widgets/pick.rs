//! Selection and scrolling of the hand-drawn work lists (Caseloads, Waardering): lists whose
//! rows are worked out for a day rather than kept as record rows, so the record list
//! component (`ui::table`) does not serve them.

use crate::ui::action::Action;

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
