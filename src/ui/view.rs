//! Drawing: a pure function of the [`App`] state. Each component draws from what it copied
//! out of the read model in `prepare`; nothing here locks the model, reads the clock or
//! touches the store.

use super::action::Action;
use super::app::App;
use super::component::{FlashKind, RenderCx};
use super::screens::{Group, ScreenId};
use super::text::{fit, put_wrapped, str_width, wrap_words};
pub use super::text::{fmt_count, put, put_padded};
use super::theme::Theme;
use crate::i18n::{Lang, t, tf};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

/// Smallest terminal the app draws its screens in; smaller shows a short message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Terminal row of the first list row (top bar, sub-tabs, search line, header).
pub const LIST_FIRST_ROW: u16 = 2 + super::table::HEADER_ROWS;

/// Width of one group tab in the top bar.
fn tab_width(total: u16) -> u16 {
    (total / 5).max(1)
}

/// Which group tab is at column `x` of a top bar `width` wide.
pub fn group_at(width: u16, x: u16) -> Option<Group> {
    Group::at(usize::from(x / tab_width(width)))
}

/// Which sub-tab is at column `x` of the second row.
pub fn screen_at(app: &App, x: u16) -> Option<ScreenId> {
    let mut pos = 1u16;
    for s in app.group_screens() {
        let w = t(app.env.lang, s.key()).chars().count() as u16 + 4;
        if x >= pos && x < pos + w {
            return Some(s);
        }
        pos += w;
    }
    None
}

/// Rows of the message line: two when the message needs them.
fn flash_height(app: &App, width: u16) -> u16 {
    match &app.flash {
        None => 0,
        // Measured with the wrap that draws it; every mark is two columns wide; two rows at most.
        Some(f) => wrap_words(&format!("✗ {}", f.text), usize::from(width), 0)
            .len()
            .clamp(1, 2) as u16,
    }
}

/// The area between the two top rows and the message line and bottom bar.
pub fn body_area(app: &App, area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height
            .saturating_sub(3 + flash_height(app, area.width)),
    )
}

/// The very first frame, drawn before the store is open: the five groups and a line saying
/// the store is being opened.
pub fn draw_opening(frame: &mut Frame<'_>, lang: Lang, theme: &Theme) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = tab_width(area.width);
    for g in Group::ALL {
        let x = area.x + w * g.index() as u16;
        let label = format!("  {} {} ", g.index() + 1, t(lang, g.key()));
        put_padded(buf, x, area.y, w, &label, theme.tab_inactive);
    }
    if area.height > 2 {
        put(
            buf,
            area.x + 1,
            area.y + 2,
            area.right(),
            t(lang, "ui.opening"),
            theme.dim,
        );
    }
}

/// Draws the whole app.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let theme = app.env.theme;
    let lang = app.env.lang;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = tf(
            lang,
            "ui.too_small",
            &[("w", MIN_WIDTH.to_string()), ("h", MIN_HEIGHT.to_string())],
        );
        put_wrapped(frame.buffer_mut(), area, &msg, Style::default());
        return;
    }
    let rcx = RenderCx { env: &app.env };
    let buf = frame.buffer_mut();
    draw_top(buf, area, app, &theme);
    let flash_h = flash_height(app, area.width);
    let body = body_area(app, area);
    let mut cursor: Option<Position> = app.body_component().render(body, buf, &rcx);
    if let Some(f) = &app.flash {
        let (style, mark) = match f.kind {
            FlashKind::Error => (theme.error, "✗ "),
            FlashKind::Ok => (theme.ok, "✓ "),
            FlashKind::Info => (theme.base, "• "),
        };
        let rect = Rect::new(
            area.x,
            area.bottom().saturating_sub(1 + flash_h),
            area.width,
            flash_h,
        );
        put_wrapped(buf, rect, &format!("{mark}{}", f.text), style);
    }
    draw_bottom(buf, area, app, &theme);
    if let Some(m) = app.top_modal() {
        cursor = m.render(area, buf, &rcx);
    }
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}

fn draw_top(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let lang = app.env.lang;
    let w = tab_width(area.width);
    for g in Group::ALL {
        let x = area.x + w * g.index() as u16;
        let active = g == app.group;
        let label = format!(" {} {} ", g.index() + 1, t(lang, g.key()));
        let style = if active {
            theme.tab_active
        } else {
            theme.tab_inactive
        };
        let text = if active {
            format!("[{}]", label.trim())
        } else {
            label
        };
        put_padded(buf, x, area.y, w, &format!(" {text}"), style);
    }
    // Sub-tabs of the current group.
    let mut x = area.x + 1;
    let y = area.y + 1;
    let current = app.screen();
    for s in app.group_screens() {
        let name = t(lang, s.key());
        let active = s == current && !app.has_view();
        let (text, style) = if active {
            (format!("▸ {name}  "), theme.title)
        } else {
            (format!("  {name}  "), theme.dim)
        };
        x = put(buf, x, y, area.right(), &text, style);
    }
    let crumb = if app.has_view() {
        app.body_component().crumb(lang)
    } else {
        None
    };
    if let Some(c) = crumb {
        put(buf, x + 1, y, area.right(), &format!("› {c}"), theme.title);
    }
}

fn draw_bottom(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let y = area.bottom().saturating_sub(1);
    buf.set_style(Rect::new(area.x, y, area.width, 1), theme.tab_inactive);
    let who = format!(" {} · {} ", app.env.who, app.env.store_name);
    let mut x = put(buf, area.x, y, area.right(), &fit(&who, 28), theme.dim);
    x = put(buf, x, y, area.right(), "│ ", theme.dim);
    let mut hints = app.env.keymap.hint_actions(&app.contexts(), app.env.lang);
    let unavailable = app.unavailable();
    hints.retain(|(a, _, _)| !unavailable.contains(a));
    let room = usize::from(area.right().saturating_sub(x));
    for i in fit_hints(&hints, room) {
        let (_, keys, desc) = &hints[i];
        x = put(buf, x, y, area.right(), keys, theme.key);
        x = put(buf, x + 1, y, area.right(), desc, theme.base);
        x += 2;
    }
}

/// Hints the bottom bar keeps first, whatever else must go: quit, help and find.
const KEPT_HINTS: [Action; 3] = [Action::Quit, Action::Help, Action::FindAnywhere];

/// Which of `hints` (action, keys, label) fit in `room` columns, in their order: quit, help
/// and find are placed first, the others in order while there is room.
fn fit_hints(hints: &[(Action, String, String)], room: usize) -> Vec<usize> {
    let need = |i: usize| str_width(&hints[i].1) + str_width(&hints[i].2) + 3;
    let mut left = room;
    let mut chosen = Vec::new();
    let kept = |i: &usize| KEPT_HINTS.contains(&hints[*i].0);
    for i in (0..hints.len())
        .filter(kept)
        .chain((0..hints.len()).filter(|i| !kept(i)))
    {
        if need(i) <= left {
            left -= need(i);
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quit_help_and_find_are_the_last_hints_to_go() {
        let hint = |a: Action, k: &str, d: &str| (a, k.to_string(), d.to_string());
        let hints = [
            hint(Action::Open, "Enter", "openen"),
            hint(Action::Search, "/", "zoeken"),
            hint(Action::New, "n", "nieuw"),
            hint(Action::FindAnywhere, "Ctrl+F", "overal zoeken"),
            hint(Action::Help, "?", "hulp"),
            hint(Action::Quit, "q", "stoppen"),
        ];
        // Room for everything: all, in order.
        assert_eq!(fit_hints(&hints, 200), [0, 1, 2, 3, 4, 5]);
        // Each hint takes its keys, its label and three spaces.
        let (find, help, quit, open) = (6 + 13 + 3, 1 + 4 + 3, 1 + 7 + 3, 5 + 6 + 3);
        let kept = find + help + quit;
        // Room for four: the three kept ones and the first other that fits.
        assert_eq!(fit_hints(&hints, kept + open), [0, 3, 4, 5]);
        assert_eq!(fit_hints(&hints, kept), [3, 4, 5]);
        assert_eq!(fit_hints(&hints, help + quit), [4, 5]);
    }

    #[test]
    fn counts_use_the_language_separator() {
        assert_eq!(fmt_count(Lang::Nl, 100_000), "100.000");
        assert_eq!(fmt_count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(fmt_count(Lang::En, 999), "999");
    }
}
