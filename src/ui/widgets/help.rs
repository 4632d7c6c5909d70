//! The help overlay (`?` / F1): every binding that works in the current contexts, with its
//! keys and description under a heading per context, filterable by typing.
//!
//! Owns: the overlay's state ([`HelpState`]: filter text, selection, scroll) and its drawing,
//! plus the popup frame, input line and hint line shared with the command palette. The rows
//! come from [`Keymap::effective`] and the footer from [`Keymap::hints`], so the overlay can
//! never disagree with the keys that really work. It runs no actions itself: the app asks
//! [`HelpState::selected_action`] on Enter (the overlay doubles as a palette, like yazi's).
//!
//! Drawing writes only the visible rows and never outside the given area; any size works,
//! down to 1×1 (below 20×5 the frame is dropped to leave room for content).

use crate::i18n::{Lang, t};
use crate::ui::action::Action;
use crate::ui::keymap::{Context, Keymap};
use crate::ui::text::{fit, put_wrapped};
use crate::ui::textedit::edit_line;
use crate::ui::theme::Theme;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use std::cell::Cell;
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

/// One binding as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HelpEntry {
    context: Context,
    keys: String,
    desc: String,
    action: Action,
    /// Lowercased keys, notation, action name and description, for the filter.
    haystack: String,
}

/// A line of the overlay's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Heading(Context),
    /// Index into `shown`.
    Entry(usize),
}

/// State of the help overlay.
#[derive(Debug, Clone)]
pub struct HelpState {
    /// What the user typed to filter the rows.
    pub filter: Input,
    entries: Vec<HelpEntry>,
    /// Indices into `entries` that match the filter, in keymap order.
    shown: Vec<usize>,
    rows: Vec<Row>,
    /// Index into `shown`.
    selected: usize,
    /// First visible row, kept by the last draw so scrolling is stable.
    scroll: Cell<usize>,
    /// Rows visible at the last draw, for page up/down.
    page: Cell<usize>,
    /// Bottom-line hints of the overlay's own context, from the keymap.
    footer: Vec<(String, String)>,
    /// What the screen below says about itself, above the keys.
    note: Option<String>,
}

impl HelpState {
    /// The overlay for a screen whose contexts are `contexts` (innermost first).
    pub fn new(keymap: &Keymap, contexts: &[Context], lang: Lang) -> HelpState {
        let entries = keymap
            .effective(contexts)
            .into_iter()
            .map(|(context, b)| {
                let keys = b.keys_text();
                let desc = b.description(lang);
                let haystack = format!("{} {} {} {}", keys, b.notation(), b.action.name(), desc)
                    .to_lowercase();
                HelpEntry {
                    context,
                    keys,
                    desc,
                    action: b.action,
                    haystack,
                }
            })
            .collect();
        let mut state = HelpState {
            filter: Input::default(),
            entries,
            shown: Vec::new(),
            rows: Vec::new(),
            selected: 0,
            scroll: Cell::new(0),
            page: Cell::new(1),
            footer: keymap.hints(&[Context::Help, Context::Global], lang),
            note: None,
        };
        state.refilter();
        state
    }

    /// The overlay without the bindings of `actions` (which do nothing on the screen below).
    pub fn without(mut self, actions: &[Action]) -> HelpState {
        self.entries.retain(|e| !actions.contains(&e.action));
        self.refilter();
        self
    }

    /// The overlay with a note above the keys (the screen's abbreviations).
    pub fn with_note(mut self, note: Option<String>) -> HelpState {
        self.note = note;
        self
    }

    /// Types into the filter (the editing keys of `ui::textedit`). Returns whether the key
    /// was used.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let used = edit_line(&mut self.filter, key);
        if used == Some(true) {
            self.refilter();
        }
        used.is_some()
    }

    /// Moves the selection for a movement action (`up`, `down`, `page_up`, `page_down`,
    /// `home`, `end`); returns whether the action was one of those.
    pub fn handle_action(&mut self, action: Action) -> bool {
        let page = self.page.get();
        move_selection(&mut self.selected, self.shown.len(), page, action)
    }

    /// Selects the previous row.
    pub fn up(&mut self) {
        self.handle_action(Action::Up);
    }

    /// Selects the next row.
    pub fn down(&mut self) {
        self.handle_action(Action::Down);
    }

    /// One visible page up.
    pub fn page_up(&mut self) {
        self.handle_action(Action::PageUp);
    }

    /// One visible page down.
    pub fn page_down(&mut self) {
        self.handle_action(Action::PageDown);
    }

    /// The action of the selected row, to run on Enter.
    pub fn selected_action(&self) -> Option<Action> {
        self.selected_entry().map(|e| e.action)
    }

    /// Keys and description of the rows that match the filter, in order.
    pub fn visible_rows(&self) -> Vec<(&str, &str)> {
        self.shown
            .iter()
            .filter_map(|i| self.entries.get(*i))
            .map(|e| (e.keys.as_str(), e.desc.as_str()))
            .collect()
    }

    fn selected_entry(&self) -> Option<&HelpEntry> {
        self.shown
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
    }

    fn refilter(&mut self) {
        let needle = self.filter.value().to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        self.shown = (0..self.entries.len())
            .filter(|i| words.iter().all(|w| self.entries[*i].haystack.contains(w)))
            .collect();
        self.rows.clear();
        let mut last = None;
        for (n, i) in self.shown.iter().enumerate() {
            let ctx = self.entries[*i].context;
            if last != Some(ctx) {
                self.rows.push(Row::Heading(ctx));
                last = Some(ctx);
            }
            self.rows.push(Row::Entry(n));
        }
        self.selected = 0;
        self.scroll.set(0);
    }

    /// Draws the overlay centred in `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let frame = Frame::new(lang, "help", &self.filter, &self.footer);
        let Some(mut list) = frame.draw(area, buf, theme, self.rows.len()) else {
            return;
        };
        if let Some(note) = &self.note
            && list.height > 4
        {
            // The note, wrapped (four rows at most), and an empty line; the keys below it.
            let room = Rect {
                height: 4.min(list.height - 3),
                ..list
            };
            let used = put_wrapped(buf, room, note, theme.dim).min(room.height) + 1;
            list.y += used;
            list.height -= used;
        }
        let h = usize::from(list.height);
        let sel_row = self
            .rows
            .iter()
            .position(|r| *r == Row::Entry(self.selected))
            .unwrap_or(0);
        let top = window_top(self.scroll.get(), sel_row, h, self.rows.len(), |r| {
            matches!(self.rows.get(r), Some(Row::Heading(_)))
        });
        self.scroll.set(top);
        self.page.set(h.saturating_sub(1).max(1));

        // Key column: as wide as the widest visible key, at most a third of the width.
        let key_w = self
            .entries
            .iter()
            .map(|e| e.keys.width())
            .max()
            .unwrap_or(0)
            .min(usize::from(list.width) / 3)
            .max(1);
        for (dy, row) in self.rows.iter().skip(top).take(h).enumerate() {
            let y = dy as u16;
            match row {
                Row::Heading(ctx) => {
                    put(buf, list, 0, y, &ctx.title(lang), theme.title);
                }
                Row::Entry(n) => {
                    let Some(e) = self.shown.get(*n).and_then(|i| self.entries.get(*i)) else {
                        continue;
                    };
                    draw_entry(
                        buf,
                        list,
                        y,
                        *n == self.selected,
                        &e.keys,
                        key_w,
                        &e.desc,
                        theme,
                    );
                }
            }
        }
    }
}

/// A `Widget` view of the overlay, for `frame.render_widget(HelpView { … }, area)`.
pub struct HelpView<'a> {
    pub state: &'a HelpState,
    pub theme: &'a Theme,
    pub lang: Lang,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.state.render(area, buf, self.theme, self.lang);
    }
}

// ---------------------------------------------------------------------------------------------
// Shared with the palette.

/// The popup's frame: title, input line, footer, and the line saying nothing matches.
pub(super) struct Frame<'a> {
    title: String,
    prompt: String,
    placeholder: String,
    none: String,
    input: &'a Input,
    footer: &'a [(String, String)],
}

impl<'a> Frame<'a> {
    /// The frame of a popup whose texts are the catalog's `<popup>.title`, `.prompt`,
    /// `.placeholder` and `.none`.
    pub fn new(
        lang: Lang,
        popup: &str,
        input: &'a Input,
        footer: &'a [(String, String)],
    ) -> Frame<'a> {
        let text = |key: &str| t(lang, &format!("{popup}.{key}")).to_string();
        Frame {
            title: text("title"),
            prompt: text("prompt"),
            placeholder: text("placeholder"),
            none: text("none"),
            input,
            footer,
        }
    }

    /// Clears and draws the popup centred in `area`; returns the area for a list of `rows`
    /// rows, or `None` when there is no room for one or no rows (then it says so).
    pub fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme, rows: usize) -> Option<Rect> {
        let list = self.draw_frame(area, buf, theme)?;
        if rows == 0 {
            put(buf, list, 0, 0, &self.none, theme.dim);
            return None;
        }
        Some(list)
    }

    /// Draws everything but the list; returns the area left for it.
    fn draw_frame(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Rect> {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return None;
        }
        let popup = popup_area(area);
        Clear.render(popup, buf);
        buf.set_style(popup, theme.base);
        let bordered = popup.width >= 20 && popup.height >= 5;
        let inner = if bordered {
            let title = format!(" {} ", self.title);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(title)
                .title_style(theme.title);
            let inner = block.inner(popup);
            block.render(popup, buf);
            inner
        } else {
            popup
        };
        if inner.is_empty() {
            return None;
        }
        // Input line.
        let mut x = 0;
        let label = if bordered {
            format!("{}: ", self.prompt)
        } else {
            format!("{}: ", self.title)
        };
        x += put(
            buf,
            inner,
            x,
            0,
            &label,
            theme.label.add_modifier(Modifier::BOLD),
        );
        let room = inner.width.saturating_sub(x).saturating_sub(1);
        let value = self.input.value();
        if value.is_empty() {
            put_cursor(buf, inner, x, 0, ' ');
            put(buf, inner, x + 1, 0, &self.placeholder, theme.dim);
        } else {
            let scroll = self.input.visual_scroll(usize::from(room));
            let visible: String = skip_width(value, scroll);
            let w = put(buf, inner, x, 0, &visible, theme.base);
            let cursor_x = x + (self.input.visual_cursor().saturating_sub(scroll)) as u16;
            let under = char_at_width(value, self.input.visual_cursor()).unwrap_or(' ');
            if cursor_x <= x + w {
                put_cursor(buf, inner, cursor_x, 0, under);
            }
        }
        let mut list = Rect {
            y: inner.y.saturating_add(1),
            height: inner.height.saturating_sub(1),
            ..inner
        };
        // Footer hints, when there is room for at least three list rows above them.
        if bordered && list.height >= 4 && !self.footer.is_empty() {
            let y = list.height - 1;
            draw_hints(buf, list, y, self.footer, theme);
            list.height -= 1;
        }
        (!list.is_empty()).then_some(list)
    }
}

/// Moves `selected` in a list of `len` rows that shows `page` of them for a movement action
/// (`up`, `down`, `page_up`, `page_down`, `home`, `end`); returns whether it was one.
pub(super) fn move_selection(
    selected: &mut usize,
    len: usize,
    page: usize,
    action: Action,
) -> bool {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    *selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(page),
        Action::PageDown => (*selected + page).min(last),
        Action::Home => 0,
        Action::End => last,
        _ => return false,
    };
    true
}

/// The centred popup: most of the screen, up to 76×30.
fn popup_area(area: Rect) -> Rect {
    let w = if area.width > 24 {
        (area.width - 4).min(76)
    } else {
        area.width
    };
    let h = if area.height > 8 {
        (area.height - 2).min(30)
    } else {
        area.height
    };
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The first row to show so that `sel` is visible in a window of `h` rows, moving as little
/// as possible from `prev`; when scrolling up to an entry, its heading comes along.
pub(super) fn window_top(
    prev: usize,
    sel: usize,
    h: usize,
    len: usize,
    is_heading: impl Fn(usize) -> bool,
) -> usize {
    if h == 0 {
        return 0;
    }
    let mut top = prev.min(len.saturating_sub(h));
    if sel < top {
        top = sel;
        if h > 1 && top > 0 && is_heading(top - 1) {
            top -= 1;
        }
    }
    if sel >= top + h {
        top = sel + 1 - h;
    }
    top
}

/// Writes `text` at (`x`, `y`) relative to `area`, clipped to it; returns the columns used.
pub(super) fn put(buf: &mut Buffer, area: Rect, x: u16, y: u16, text: &str, style: Style) -> u16 {
    if y >= area.height || x >= area.width {
        return 0;
    }
    let max = usize::from(area.width - x);
    let (end, _) = buf.set_stringn(area.x + x, area.y + y, text, max, style);
    end.saturating_sub(area.x + x)
}

/// Draws the text cursor as a reversed cell.
fn put_cursor(buf: &mut Buffer, area: Rect, x: u16, y: u16, under: char) {
    if y >= area.height || x >= area.width {
        return;
    }
    let mut s = [0u8; 4];
    let sym = if under.is_control() || under.to_string().width() != 1 {
        " "
    } else {
        under.encode_utf8(&mut s)
    };
    if let Some(cell) = buf.cell_mut((area.x + x, area.y + y)) {
        cell.set_symbol(sym)
            .set_style(Style::default().add_modifier(Modifier::REVERSED));
    }
}

/// The start of a list row: the selection's background and marker. Returns the column after
/// the marker and the styles of the row's text and of its keys.
pub(super) fn start_row(
    buf: &mut Buffer,
    list: Rect,
    y: u16,
    selected: bool,
    theme: &Theme,
) -> (u16, Style, Style) {
    if selected {
        buf.set_style(
            Rect {
                y: list.y + y,
                height: 1,
                ..list
            },
            theme.selected,
        );
        let x = put(buf, list, 0, y, "▶ ", theme.selected);
        (x, theme.selected, theme.selected.patch(theme.key))
    } else {
        let x = put(buf, list, 0, y, "  ", theme.base);
        (x, theme.base, theme.key)
    }
}

/// One row of the help list: marker, keys in their column, description.
#[allow(clippy::too_many_arguments)]
fn draw_entry(
    buf: &mut Buffer,
    list: Rect,
    y: u16,
    selected: bool,
    keys: &str,
    key_w: usize,
    desc: &str,
    theme: &Theme,
) {
    let (mut x, row_style, key_style) = start_row(buf, list, y, selected, theme);
    put(buf, list, x, y, keys, key_style);
    x = x.saturating_add(key_w as u16).saturating_add(1);
    let room = usize::from(list.width.saturating_sub(x));
    put(buf, list, x, y, &fit(desc, room), row_style);
}

/// `key label · key label …` on one line, as many as fit.
pub(super) fn draw_hints(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    hints: &[(String, String)],
    theme: &Theme,
) {
    let mut x = 0u16;
    for (i, (k, label)) in hints.iter().enumerate() {
        let need = (k.width() + 1 + label.width() + if i > 0 { 3 } else { 0 }) as u16;
        if x.saturating_add(need) > area.width {
            break;
        }
        if i > 0 {
            x += put(buf, area, x, y, " · ", theme.dim);
        }
        x += put(buf, area, x, y, k, theme.key);
        x += put(buf, area, x, y, " ", theme.dim);
        x += put(buf, area, x, y, label, theme.dim);
    }
}

/// `s` without its first `cols` display columns.
fn skip_width(s: &str, cols: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        if w >= cols {
            out.push(c);
        } else {
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    out
}

/// The character starting at display column `col`, if any.
fn char_at_width(s: &str, col: usize) -> Option<char> {
    let mut w = 0;
    for c in s.chars() {
        if w == col {
            return Some(c);
        }
        w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    None
}

/// The text of a buffer, one string per line (for tests here and in the palette).
#[cfg(test)]
pub(super) fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in buf.area.top()..buf.area.bottom() {
        for x in buf.area.left()..buf.area.right() {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::parse_keys;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn list_contexts() -> [Context; 3] {
        [Context::List, Context::Navigation, Context::Global]
    }

    fn type_text(state: &mut HelpState, text: &str) {
        for k in parse_keys(text).unwrap() {
            assert!(state.handle_key(k), "{k:?}");
        }
    }

    #[test]
    fn shows_every_working_binding_of_the_contexts() {
        let km = Keymap::default();
        let state = HelpState::new(&km, &list_contexts(), Lang::En);
        let rows = state.visible_rows();
        assert!(rows.contains(&("Ctrl+F", "Find a person, from anywhere")));
        assert!(rows.contains(&("n", "Add a new item on this screen")));
        assert!(rows.contains(&("?", "Show the keys that work here")));
        // Tab is next screen in the navigation context; the form's Tab is not shown.
        assert!(rows.contains(&("Tab", "Next screen in this group")));
        assert!(!rows.iter().any(|(_, d)| *d == "Next field"));
        let total: usize = list_contexts().iter().map(|c| km.bindings(*c).len()).sum();
        assert_eq!(
            rows.len(),
            total,
            "no binding of these contexts is shadowed in default"
        );
    }

    #[test]
    fn typing_narrows_and_backspace_widens() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &list_contexts(), Lang::En);
        let all = state.visible_rows().len();
        type_text(&mut state, "filter");
        let rows = state.visible_rows();
        assert!(rows.len() < all);
        assert!(
            rows.iter()
                .all(|(_, d)| d.to_lowercase().contains("filter")),
            "{rows:?}"
        );
        assert!(rows.contains(&("x", "Clear all filters")));
        // Keys are searchable too, in display form and notation.
        state.filter = Input::default();
        type_text(&mut state, "ctrl+s");
        assert!(state.visible_rows().is_empty(), "no save in a list");
        for _ in 0..6 {
            state.handle_key(parse_keys("<backspace>").unwrap()[0]);
        }
        assert_eq!(state.visible_rows().len(), all);
        assert!(
            !state.handle_key(parse_keys("<c-f>").unwrap()[0]),
            "Ctrl+F is not text"
        );
        assert_eq!(state.filter.value(), "");
        type_text(&mut state, "c-f");
        assert_eq!(state.selected_action(), Some(Action::FindAnywhere));
    }

    #[test]
    fn dutch_filter_finds_dutch_descriptions() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &list_contexts(), Lang::Nl);
        type_text(&mut state, "intake");
        assert_eq!(state.visible_rows(), vec![("i", "Nieuwe intake starten")]);
        assert_eq!(state.selected_action(), Some(Action::NewIntake));
    }

    #[test]
    fn selection_moves_and_stays_in_bounds() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &[Context::Form, Context::Global], Lang::En);
        let first = state.selected_action();
        state.up();
        assert_eq!(state.selected_action(), first);
        state.handle_action(Action::End);
        let last = state.selected_action();
        state.down();
        assert_eq!(state.selected_action(), last);
        assert_eq!(
            last,
            Some(Action::Quit),
            "Ctrl+C is the last global binding"
        );
        assert!(!state.handle_action(Action::Save));
    }

    #[test]
    fn renders_at_80x24_with_headings_keys_and_footer() {
        let km = Keymap::default();
        let state = HelpState::new(&km, &list_contexts(), Lang::En);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        state.render(buf.area, &mut buf, &Theme::mono(), Lang::En);
        let text = buffer_text(&buf);
        assert!(text.contains(" Keys "), "{text}");
        assert!(text.contains("Filter: "), "{text}");
        assert!(text.contains("List"), "{text}");
        assert!(text.contains("▶ Enter"), "{text}");
        assert!(text.contains("Open the selected item"), "{text}");
        assert!(text.contains("Esc back"), "footer from the keymap: {text}");
    }

    #[test]
    fn scrolls_to_keep_the_selection_visible() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &list_contexts(), Lang::En);
        state.handle_action(Action::End);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        state.render(buf.area, &mut buf, &Theme::mono(), Lang::En);
        let text = buffer_text(&buf);
        assert!(text.contains("▶ Ctrl+C"), "{text}");
        assert!(
            !text.contains("Open the selected item"),
            "top rows scrolled away: {text}"
        );
        // A page up moves by the rows seen at the last draw.
        state.page_up();
        assert_ne!(state.selected_action(), Some(Action::Quit));
    }

    #[test]
    fn renders_in_dutch() {
        let km = Keymap::default();
        let state = HelpState::new(&km, &[Context::Form, Context::Global], Lang::Nl);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        state.render(buf.area, &mut buf, &Theme::color(), Lang::Nl);
        let text = buffer_text(&buf);
        assert!(text.contains("Sneltoetsen"), "{text}");
        assert!(text.contains("Formulier opslaan"), "{text}");
        assert!(text.contains("Formulier"), "{text}");
        assert!(text.contains("Overal"), "{text}");
    }

    #[test]
    fn tiny_sizes_do_not_panic_and_show_what_fits() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &list_contexts(), Lang::En);
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 3));
        state.render(buf.area, &mut buf, &Theme::mono(), Lang::En);
        let text = buffer_text(&buf);
        assert!(text.starts_with("Keys: "), "{text}");
        assert!(text.contains("List"), "{text}");
        type_text(&mut state, "zzzz");
        for (w, h) in [
            (0, 0),
            (1, 1),
            (2, 1),
            (1, 5),
            (19, 4),
            (20, 5),
            (30, 6),
            (200, 60),
        ] {
            for offset in [0u16, 3] {
                let area = Rect::new(offset, offset, w, h);
                let mut buf = Buffer::empty(Rect::new(0, 0, w + offset, h + offset));
                state.render(area, &mut buf, &Theme::mono(), Lang::Nl);
            }
        }
        // Rendering into an area larger than the buffer stays inside the buffer.
        let mut small = Buffer::empty(Rect::new(0, 0, 5, 2));
        state.render(
            Rect::new(0, 0, 80, 24),
            &mut small,
            &Theme::mono(),
            Lang::En,
        );
    }

    #[test]
    fn release_events_do_not_type() {
        let km = Keymap::default();
        let mut state = HelpState::new(&km, &list_contexts(), Lang::En);
        let release = KeyEvent::new_with_kind(
            KeyCode::Char('x'),
            KeyModifiers::NONE,
            crossterm::event::KeyEventKind::Release,
        );
        assert!(!state.handle_key(release));
        assert_eq!(state.filter.value(), "");
    }
}
