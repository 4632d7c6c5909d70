//! Drawing the intake form, and the geometry that drawing, the terminal cursor and mouse
//! clicks share.
//!
//! Layout: one header line (title, number of errors, a hint for the focused field), then the
//! fields, each a label column (about 22 columns: as wide as the longest label, at most 25)
//! and an input column, with the field's problem below its input (`✗ …`, wrapped). Narrower
//! than 50 columns, each label goes on its own row above its input, so inputs keep their
//! width. The rightmost column is a scroll indicator. Only fields that overlap the visible
//! rows are drawn: each is drawn into a small buffer of its own (its input again into one of
//! its own) and the visible rows copied, so a field cut off at the top or bottom needs no
//! special case. Every write is bounds-checked: no size panics, down to 0×0.
//!
//! The scroll offset lives in a `Cell` and is adjusted while drawing so that the focused field
//! is in view, moving as little as possible (drawing stays a function of the state plus the
//! last offset).

use super::editor::{cursor_in, hscroll, line_text, str_width, wrap};
use super::{IntakeForm, Kind, text_ref};
use crate::domain::{Daypart, Field, Interest};
use crate::i18n::{Lang, field_label, problem_text, t, tf};
use crate::ui::text::fit;
use crate::ui::theme::Theme;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

/// Most columns of the label column (the marker, a space, the longest label, a space).
const LABEL_WIDTH: u16 = 25;
/// Below this body width labels go above their inputs.
const STACK_BELOW: u16 = 50;
/// Rows shown of a multi-line text field.
const MULTI_ROWS: u16 = 3;
/// Rows of the availability grid: the day names and one row per daypart.
const GRID_ROWS: u16 = 4;
/// Marks an error, so that colour is not the only signal.
const ERROR_MARK: &str = "✗";
/// Marks the focused field.
const FOCUS_MARK: &str = "▶";

/// Writes `text` at (`x`, `y`) in at most `max` columns, clipped to the buffer. Returns the
/// columns written.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: u16, style: Style) -> u16 {
    let a = buf.area;
    if y < a.top() || y >= a.bottom() || x < a.left() || x >= a.right() || max == 0 {
        return 0;
    }
    let max = max.min(a.right() - x);
    let (end, _) = buf.set_stringn(x, y, text, usize::from(max), style);
    end.saturating_sub(x)
}

/// `text` cut to `width` columns, ending in `…` when it was cut.
/// Word-wraps `text` into lines of at most `width` columns; words longer than a line are
/// split. Continuation lines are indented by `indent` columns.
fn wrap_words(text: &str, width: usize, indent: usize) -> Vec<String> {
    if width == 0 {
        return Vec::new();
    }
    let indent = if indent < width { indent } else { 0 };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let ww = str_width(word);
        let gap = usize::from(used > 0 && !line.trim().is_empty());
        if used + gap + ww <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + ww;
            continue;
        }
        if !line.trim().is_empty() {
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(indent);
            used = indent;
        }
        for c in word.chars() {
            let cw = super::editor::char_width(c);
            if used + cw > width && !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(indent);
                used = indent;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// One visible field placed in the scrolled content.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub field: Field,
    /// First content row (0 = the first row below the header).
    pub top: u16,
    /// Rows of the field itself (its label row too when labels are stacked).
    pub rows: u16,
    /// The problem on show, wrapped, drawn below the field.
    pub errors: Vec<String>,
}

impl Placed {
    fn height(&self) -> u16 {
        self.rows
            .saturating_add(u16::try_from(self.errors.len()).unwrap_or(u16::MAX))
    }

    fn bottom(&self) -> u16 {
        self.top.saturating_add(self.height())
    }
}

/// Where everything goes in an area.
#[derive(Debug, Clone)]
pub(super) struct Geometry {
    pub header: Rect,
    /// The rows below the header, without the scroll indicator column.
    pub body: Rect,
    /// The scroll indicator column (may be empty).
    pub bar: Rect,
    /// Columns of the label (the whole row when stacked).
    pub label_w: u16,
    /// Where a field's input starts, relative to the field's first row and the body's left.
    pub input_x: u16,
    pub input_y: u16,
    pub input_w: u16,
    pub placed: Vec<Placed>,
    pub total: u16,
    pub scroll: u16,
}

impl Geometry {
    /// The screen row of a content row, when it is in view.
    fn screen_row(&self, content: u16) -> Option<u16> {
        if content < self.scroll || content - self.scroll >= self.body.height {
            return None;
        }
        Some(self.body.y + (content - self.scroll))
    }
}

/// Positions of the interest items in an input column of `width`: (row, column, text).
fn interest_items(form: &IntakeForm, lang: Lang, width: u16) -> Vec<(u16, u16, String)> {
    let mut out = Vec::new();
    let (mut row, mut col) = (0u16, 0u16);
    for interest in Interest::ALL {
        let mark = if form.draft.interests.contains(&interest) {
            "[x]"
        } else {
            "[ ]"
        };
        let text = format!(
            "{mark} {}",
            t(lang, &format!("interest.{}", interest.key()))
        );
        let w = u16::try_from(str_width(&text)).unwrap_or(u16::MAX);
        if col > 0 && col.saturating_add(w) > width {
            row = row.saturating_add(1);
            col = 0;
        }
        out.push((row, col, text));
        col = col.saturating_add(w).saturating_add(2);
    }
    out
}

/// Column widths of the availability grid in `width` columns: (daypart label column, one
/// day column). When the full names do not fit, dayparts shrink to their first letter, then
/// day names to what fits.
fn grid_columns(lang: Lang, width: u16) -> (u16, u16) {
    let widest = |keys: &mut dyn Iterator<Item = String>| {
        keys.map(|k| str_width(t(lang, &k))).max().unwrap_or(0)
    };
    let part = widest(&mut Daypart::ALL.iter().map(|p| format!("daypart.{}", p.key()))) + 1;
    let day = widest(&mut DAYS.iter().map(|d| format!("day.{d}"))).max(2) + 1;
    let part = u16::try_from(part).unwrap_or(u16::MAX);
    let day = u16::try_from(day).unwrap_or(u16::MAX);
    if part.saturating_add(day.saturating_mul(7)) <= width {
        return (part, day);
    }
    let part = 2;
    let room = width.saturating_sub(part) / 7;
    (part, day.min(room).max(2))
}

/// Catalog keys of the days, Monday first.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The text of a choice field's value.
fn choice_text(form: &IntakeForm, field: Field, lang: Lang) -> String {
    let d = &form.draft;
    let key = match field {
        Field::FoundVia => format!("found_via.{}", d.found_via.key()),
        Field::Vog => format!("vog.{}", d.vog.key()),
        Field::ConsentScope => format!("consent_scope.{}", d.consent_scope.key()),
        Field::Status => format!("status.{}", d.status.key()),
        _ => return String::new(),
    };
    t(lang, &key).to_string()
}

impl IntakeForm {
    /// Rows of a field's input in an input column of `width`.
    fn field_rows(&self, field: Field, width: u16, lang: Lang) -> u16 {
        match Kind::of(field) {
            Kind::Multi => MULTI_ROWS,
            Kind::Availability => GRID_ROWS,
            Kind::Interests => interest_items(self, lang, width)
                .last()
                .map_or(1, |(row, _, _)| row.saturating_add(1)),
            _ => 1,
        }
    }

    /// Computes the geometry of `area` and adjusts the scroll offset so the focused field is
    /// in view.
    pub(super) fn geometry(&self, area: Rect, lang: Lang) -> Geometry {
        let header = Rect::new(area.x, area.y, area.width, area.height.min(1));
        let body_h = area.height.saturating_sub(1);
        let bar_w = u16::from(area.width >= 2);
        let body = Rect::new(area.x, area.y.saturating_add(1), area.width - bar_w, body_h);
        let bar = Rect::new(body.right(), body.y, bar_w, body_h);
        let stacked = body.width < STACK_BELOW;
        let (label_w, input_x, input_y, input_w) = if stacked {
            (
                body.width,
                2.min(body.width),
                1,
                body.width.saturating_sub(2),
            )
        } else {
            let longest = Field::ALL
                .iter()
                .map(|f| str_width(field_label(lang, *f)))
                .max()
                .unwrap_or(0);
            let wanted = u16::try_from(longest + 3)
                .unwrap_or(LABEL_WIDTH)
                .min(LABEL_WIDTH);
            let label_w = wanted.min(body.width * 2 / 5);
            (label_w, label_w, 0, body.width - label_w)
        };
        self.input_width.set(input_w);

        let mut placed = Vec::new();
        let mut top = 0u16;
        for field in self.visible_fields() {
            let rows = self
                .field_rows(field, input_w, lang)
                .saturating_add(input_y);
            let errors = match self.error_of(field) {
                Some(p) => wrap_words(
                    &format!("{ERROR_MARK} {}", problem_text(lang, p)),
                    usize::from(input_w),
                    2,
                ),
                None => Vec::new(),
            };
            let p = Placed {
                field,
                top,
                rows,
                errors,
            };
            top = p.bottom();
            placed.push(p);
        }
        let total = top;

        let view = body.height;
        let mut scroll = self.scroll.get();
        if let Some(p) = placed.iter().find(|p| p.field == self.focus) {
            if p.height() > view || p.top < scroll {
                scroll = p.top;
            } else if p.bottom() > scroll.saturating_add(view) {
                scroll = p.bottom() - view;
            }
        }
        scroll = scroll.min(total.saturating_sub(view));
        if let Some(p) = placed.iter().find(|p| p.field == self.focus)
            && p.top < scroll
        {
            scroll = p.top;
        }
        self.scroll.set(scroll);
        Geometry {
            header,
            body,
            bar,
            label_w,
            input_x,
            input_y,
            input_w,
            placed,
            total,
            scroll,
        }
    }

    /// Draws the form into `area` of `buf`. Never panics, whatever the size.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        self.lang.set(lang);
        let clipped = area.intersection(buf.area);
        if clipped.is_empty() {
            return;
        }
        buf.set_style(clipped, theme.base);
        let g = self.geometry(area, lang);
        self.render_header(&g, buf, theme, lang);
        for p in &g.placed {
            if p.bottom() <= g.scroll || p.top >= g.scroll.saturating_add(g.body.height) {
                continue;
            }
            let field_area = Rect::new(0, 0, g.body.width, p.height());
            let mut field_buf = Buffer::empty(field_area);
            field_buf.set_style(field_area, theme.base);
            self.render_field(p, &g, &mut field_buf, theme, lang);
            for y in 0..p.height() {
                let Some(sy) = g.screen_row(p.top.saturating_add(y)) else {
                    continue;
                };
                for x in 0..g.body.width {
                    let sx = g.body.x.saturating_add(x);
                    if let (Some(src), Some(dst)) =
                        (field_buf.cell((x, y)).cloned(), buf.cell_mut((sx, sy)))
                    {
                        *dst = src;
                    }
                }
            }
        }
        render_scroll_indicator(&g, buf, theme);
    }

    fn render_header(&self, g: &Geometry, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        if g.header.height == 0 {
            return;
        }
        let (x, y, w) = (g.header.x, g.header.y, g.header.width);
        let title = match self.mode {
            super::FormMode::New => t(lang, "form.title_new").to_string(),
            super::FormMode::Edit { .. } => {
                let name = crate::domain::PersonName::new(
                    &self.original.given_name,
                    &self.original.prefix,
                    &self.original.family_name,
                );
                tf(lang, "form.title_edit", &[("name", name.full())])
            }
        };
        let mut used = put(buf, x, y, &fit(&title, usize::from(w)), w, theme.title);
        let count = self.errors().len();
        if count > 0 {
            let text = if count == 1 {
                format!("  {ERROR_MARK} {}", t(lang, "form.errors_one"))
            } else {
                format!(
                    "  {ERROR_MARK} {}",
                    tf(lang, "form.errors_many", &[("count", count.to_string())])
                )
            };
            used += put(buf, x.saturating_add(used), y, &text, w - used, theme.error);
        }
        if let Some(hint) = self.hint(lang) {
            let hw = u16::try_from(str_width(&hint)).unwrap_or(u16::MAX);
            if used.saturating_add(hw).saturating_add(2) <= w {
                put(buf, x + w - hw, y, &hint, hw, theme.dim);
            }
        }
    }

    /// The keys of the focused field, for the header.
    fn hint(&self, lang: Lang) -> Option<String> {
        let key = match Kind::of(self.focus) {
            Kind::Municipality if self.municipality_suggestion().is_some() => "form.hint.complete",
            Kind::Date => "form.hint.date",
            Kind::Multi => "form.hint.multiline",
            Kind::Interests => "form.hint.multi_select",
            Kind::Availability => "form.hint.grid",
            Kind::Choice => "form.hint.choice",
            Kind::Check => "form.hint.check",
            _ => return None,
        };
        Some(t(lang, key).to_string())
    }

    /// Draws one field into its own buffer (origin 0,0; width of the body).
    fn render_field(&self, p: &Placed, g: &Geometry, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let focused = p.field == self.focus;
        let has_error = self.error_of(p.field).is_some();
        let mut label_style = if has_error { theme.error } else { theme.label };
        if focused {
            label_style = label_style.patch(theme.selected);
            put(buf, 0, 0, FOCUS_MARK, g.label_w, theme.selected);
        }
        let label_room = g.label_w.saturating_sub(3);
        let label = fit(field_label(lang, p.field), usize::from(label_room));
        put(buf, 2, 0, &label, label_room, label_style);

        let w = g.input_w;
        let input_area = Rect::new(0, 0, w, p.rows.saturating_sub(g.input_y));
        let mut input = Buffer::empty(input_area);
        input.set_style(input_area, theme.base);
        self.render_input(p.field, w, &mut input, theme, lang);
        for y in 0..input_area.height {
            for x in 0..w {
                let to = (g.input_x.saturating_add(x), g.input_y.saturating_add(y));
                if let (Some(src), Some(dst)) = (input.cell((x, y)).cloned(), buf.cell_mut(to)) {
                    *dst = src;
                }
            }
        }
        for (i, line) in p.errors.iter().enumerate() {
            let row = p.rows.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
            put(buf, g.input_x, row, line, w, theme.error);
        }
    }

    /// Draws the input of `field` into its own buffer (origin 0,0, `w` columns).
    fn render_input(&self, field: Field, w: u16, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let focused = field == self.focus;
        let x = 0;
        match Kind::of(field) {
            Kind::Line | Kind::Date | Kind::Municipality => {
                self.render_line(field, x, w, buf, theme, lang)
            }
            Kind::Multi => self.render_multi(field, x, w, buf, theme),
            Kind::Interests => {
                for (i, (row, col, text)) in interest_items(self, lang, w).into_iter().enumerate() {
                    let style = if focused && i == self.interest_cursor {
                        theme.selected
                    } else {
                        theme.base
                    };
                    let room = w.saturating_sub(col);
                    put(buf, col, row, &fit(&text, usize::from(room)), room, style);
                }
            }
            Kind::Availability => self.render_grid(w, focused, buf, theme, lang),
            Kind::Choice => {
                let text = format!("< {} >", choice_text(self, field, lang));
                let style = if focused { theme.selected } else { theme.base };
                put(buf, x, 0, &fit(&text, usize::from(w)), w, style);
            }
            Kind::Check => {
                let (on, key) = match field {
                    Field::Consent => (self.draft.consent, "form.consent_box"),
                    _ => (self.draft.vulnerable, "form.vulnerable_box"),
                };
                let mark = if on { "[x]" } else { "[ ]" };
                let style = if focused { theme.selected } else { theme.base };
                let used = put(buf, x, 0, mark, w, style);
                let text = format!(" {}", t(lang, key));
                let room = w.saturating_sub(used);
                put(
                    buf,
                    used,
                    0,
                    &fit(&text, usize::from(room)),
                    room,
                    theme.base,
                );
            }
        }
    }

    fn render_line(
        &self,
        field: Field,
        x: u16,
        w: u16,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
    ) {
        let value = text_ref(&self.draft, field).map_or("", String::as_str);
        let focused = field == self.focus;
        match (&self.editor, focused) {
            (Some(editor), true) => {
                buf.set_style(Rect::new(x, 0, w, 1), Modifier::UNDERLINED);
                let (skip, _) = hscroll(value, editor.cursor(), usize::from(w));
                let visible: String = value.chars().skip(skip).collect();
                let used = put(
                    buf,
                    x,
                    0,
                    &visible,
                    w,
                    theme.base.add_modifier(Modifier::UNDERLINED),
                );
                let at_end = editor.cursor() == value.chars().count();
                if field == Field::Municipality
                    && at_end
                    && let Some(full) = self.municipality_suggestion()
                {
                    let rest: String = full.chars().skip(value.chars().count()).collect();
                    let style = theme.dim.add_modifier(Modifier::UNDERLINED);
                    put(
                        buf,
                        x.saturating_add(used),
                        0,
                        &rest,
                        w.saturating_sub(used),
                        style,
                    );
                }
            }
            _ if value.is_empty() && Kind::of(field) == Kind::Date => {
                put(buf, x, 0, t(lang, "form.date_placeholder"), w, theme.dim);
            }
            _ => {
                put(buf, x, 0, &fit(value, usize::from(w)), w, theme.base);
            }
        }
    }

    fn render_multi(&self, field: Field, x: u16, w: u16, buf: &mut Buffer, theme: &Theme) {
        let value = text_ref(&self.draft, field).map_or("", String::as_str);
        let lines = wrap(value, usize::from(w.saturating_sub(1)));
        let focused = field == self.focus;
        let top = match (&self.editor, focused) {
            (Some(editor), true) => {
                buf.set_style(Rect::new(x, 0, w, MULTI_ROWS), Modifier::UNDERLINED);
                let (row, _) = cursor_in(value, &lines, editor.cursor());
                row.saturating_sub(usize::from(MULTI_ROWS) - 1)
            }
            _ => 0,
        };
        let style = if focused {
            theme.base.add_modifier(Modifier::UNDERLINED)
        } else {
            theme.base
        };
        for (row, line) in lines
            .iter()
            .skip(top)
            .take(usize::from(MULTI_ROWS))
            .enumerate()
        {
            let y = u16::try_from(row).unwrap_or(u16::MAX);
            put(buf, x, y, &line_text(value, *line), w, style);
        }
        if lines.len() > top + usize::from(MULTI_ROWS) && w > 0 {
            put(buf, x + w - 1, MULTI_ROWS - 1, "…", 1, theme.dim);
        }
    }

    fn render_grid(&self, w: u16, focused: bool, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let (part_w, day_w) = grid_columns(lang, w);
        let column = |day: usize| part_w.saturating_add(day_w.saturating_mul(day as u16));
        for (day, key) in DAYS.iter().enumerate() {
            let name: String = t(lang, &format!("day.{key}"))
                .chars()
                .take(usize::from(day_w - 1))
                .collect();
            put(buf, column(day), 0, &name, day_w, theme.label);
        }
        for (row, part) in Daypart::ALL.iter().enumerate() {
            let y = 1 + row as u16;
            let key = format!("daypart.{}", part.key());
            let name: String = t(lang, &key)
                .chars()
                .take(usize::from(part_w - 1))
                .collect();
            put(buf, 0, y, &name, part_w, theme.label);
            for day in 0..7usize {
                let on = self.draft.availability.get(day, *part);
                let cursor = focused && self.grid_cursor == (day, row);
                let style = if cursor { theme.selected } else { theme.base };
                put(buf, column(day), y, if on { "■" } else { "·" }, 1, style);
            }
        }
    }

    /// Where the terminal cursor goes: in the focused text field, when it is in view.
    /// Uses the language of the last [`IntakeForm::render`].
    pub fn cursor_position(&self, area: Rect) -> Option<Position> {
        let editor = self.editor.as_ref()?;
        let g = self.geometry(area, self.lang.get());
        if g.input_w == 0 {
            return None;
        }
        let p = g.placed.iter().find(|p| p.field == self.focus)?;
        let value = editor.value();
        let (row, col) = if editor.is_multiline() {
            let lines = wrap(value, usize::from(g.input_w.saturating_sub(1)));
            let (row, col) = cursor_in(value, &lines, editor.cursor());
            let top = row.saturating_sub(usize::from(MULTI_ROWS) - 1);
            (row - top, col)
        } else {
            let (skip_chars, _) = hscroll(value, editor.cursor(), usize::from(g.input_w));
            let col = value
                .chars()
                .skip(skip_chars)
                .take(editor.cursor().saturating_sub(skip_chars))
                .map(super::editor::char_width)
                .sum();
            (0, col)
        };
        let col = u16::try_from(col).ok()?.min(g.input_w - 1);
        let row = u16::try_from(row).ok()?;
        let y = g.screen_row(p.top.saturating_add(g.input_y).saturating_add(row))?;
        Some(Position {
            x: g.body.x + g.input_x + col,
            y,
        })
    }

    /// Mouse: a left click focuses the field under it (and picks the interest or grid slot
    /// clicked); the wheel moves to the next or previous field. `true` when used.
    pub fn handle_mouse(&mut self, area: Rect, event: MouseEvent) -> bool {
        match event.kind {
            MouseEventKind::ScrollDown => {
                self.next_field();
                return true;
            }
            MouseEventKind::ScrollUp => {
                self.prev_field();
                return true;
            }
            MouseEventKind::Down(MouseButton::Left) => {}
            _ => return false,
        }
        let lang = self.lang.get();
        let g = self.geometry(area, lang);
        let pos = Position {
            x: event.column,
            y: event.row,
        };
        if !g.body.contains(pos) {
            return false;
        }
        let content = g.scroll.saturating_add(pos.y - g.body.y);
        let Some(p) = g
            .placed
            .iter()
            .find(|p| p.top <= content && content < p.bottom())
        else {
            return false;
        };
        let field = p.field;
        let row = (content - p.top).checked_sub(g.input_y);
        let col = (pos.x - g.body.x).checked_sub(g.input_x);
        self.focus(field);
        if let (Some(row), Some(col)) = (row, col) {
            match Kind::of(field) {
                Kind::Interests => {
                    let items = interest_items(self, lang, g.input_w);
                    if let Some(i) = items.iter().position(|(r, c, text)| {
                        *r == row
                            && *c <= col
                            && col < c.saturating_add(u16::try_from(str_width(text)).unwrap_or(0))
                    }) {
                        self.interest_cursor = i;
                    }
                }
                Kind::Availability if (1..GRID_ROWS).contains(&row) => {
                    let (part_w, day_w) = grid_columns(lang, g.input_w);
                    if let Some(off) = col.checked_sub(part_w) {
                        let day = usize::from(off / day_w.max(1));
                        if day < 7 {
                            self.grid_cursor = (day, usize::from(row - 1));
                        }
                    }
                }
                _ => {}
            }
        }
        true
    }
}

/// The scroll indicator: a track with a thumb, and `▲`/`▼` when there is more above/below.
fn render_scroll_indicator(g: &Geometry, buf: &mut Buffer, theme: &Theme) {
    let view = g.bar.height;
    if g.bar.width == 0 || view == 0 || g.total <= view {
        return;
    }
    let (x, y) = (g.bar.x, g.bar.y);
    let thumb = (u32::from(view) * u32::from(view) / u32::from(g.total)).max(1);
    let range = u32::from(g.total - view);
    let pos = u32::from(g.scroll) * (u32::from(view) - thumb) / range.max(1);
    for i in 0..view {
        let inside = (pos..pos + thumb).contains(&u32::from(i));
        put(
            buf,
            x,
            y + i,
            if inside { "█" } else { "│" },
            1,
            theme.border,
        );
    }
    if g.scroll > 0 {
        put(buf, x, y, "▲", 1, theme.dim);
    }
    if g.scroll.saturating_add(view) < g.total {
        put(buf, x, y + view - 1, "▼", 1, theme.dim);
    }
}
