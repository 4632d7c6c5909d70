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

use super::editor::{cursor_in, hscroll};
use super::{Form, FormKind, Widget};
use crate::domain::draft::{Draft, TextKind, Value};
use crate::domain::{Daypart, Field};
use crate::i18n::{Lang, field_label, problem_text, t, tf};
use crate::ui::text::{char_slice, fit, put, row_text, str_width, wrap, wrap_words};
use crate::ui::theme::Theme;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

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
/// Marks a warning that does not stop saving.
const WARNING_MARK: &str = "⚠";
/// Marks the focused field.
const FOCUS_MARK: &str = "▶";

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
    /// A warning that does not stop saving (a number that looks like a BSN), wrapped, drawn
    /// below the problem.
    pub warnings: Vec<String>,
    /// The stored value when it differs from the input (after a conflict), wrapped, drawn
    /// below the problem.
    pub stored: Vec<String>,
}

impl Placed {
    fn height(&self) -> u16 {
        self.rows
            .saturating_add(u16::try_from(self.errors.len()).unwrap_or(u16::MAX))
            .saturating_add(u16::try_from(self.warnings.len()).unwrap_or(u16::MAX))
            .saturating_add(u16::try_from(self.stored.len()).unwrap_or(u16::MAX))
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

/// Positions of the options of the multi-select `field` in an input column of `width`:
/// (row, column, text).
fn select_items<K: FormKind>(
    form: &Form<K>,
    field: Field,
    lang: Lang,
    width: u16,
) -> Vec<(u16, u16, String)> {
    let Some(Value::Choices {
        get,
        options,
        catalog,
        ..
    }) = K::Draft::field(field).map(|f| &f.value)
    else {
        return Vec::new();
    };
    let ticked = get(&form.draft);
    let mut out = Vec::new();
    let (mut row, mut col) = (0u16, 0u16);
    for key in options() {
        let mark = if ticked.contains(&key) { "[x]" } else { "[ ]" };
        let text = format!("{mark} {}", t(lang, &format!("{catalog}.{key}")));
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

/// The text of the choice option `key` of `field`.
/// Marks the stored value of a field whose input differs from it.
const STORED_MARK: &str = "≠";

/// The value of `field` in draft `d` as one line of text, for the comparison.
fn value_text<K: FormKind>(field: Field, d: &K::Draft, lang: Lang) -> String {
    let text = match K::Draft::field(field).map(|f| &f.value) {
        Some(Value::Text { get, .. }) => get(d).split_whitespace().collect::<Vec<_>>().join(" "),
        Some(Value::Choice { get, catalog, .. }) => {
            t(lang, &format!("{catalog}.{}", get(d))).to_string()
        }
        Some(Value::Choices { get, catalog, .. }) => get(d)
            .iter()
            .map(|k| t(lang, &format!("{catalog}.{k}")).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Flag { get, .. }) => t(
            lang,
            if get(d) {
                "form.compare_yes"
            } else {
                "form.compare_no"
            },
        )
        .to_string(),
        Some(Value::Week { .. }) => t(lang, "form.compare_week").to_string(),
        None => String::new(),
    };
    if text.is_empty() {
        t(lang, "form.compare_empty").to_string()
    } else {
        text
    }
}

fn option_text<K: FormKind>(field: Field, key: &str, lang: Lang) -> String {
    match K::Draft::field(field).map(|f| &f.value) {
        Some(Value::Choice { catalog, .. }) => t(lang, &format!("{catalog}.{key}")).to_string(),
        _ => String::new(),
    }
}

impl<K: FormKind> Form<K> {
    /// Rows of a field's input in an input column of `width`.
    fn field_rows(&self, field: Field, width: u16, lang: Lang) -> u16 {
        match Self::widget(field) {
            Some(Widget::Multi) => MULTI_ROWS,
            Some(Widget::Grid) => GRID_ROWS,
            Some(Widget::MultiSelect) => select_items(self, field, lang, width)
                .last()
                .map_or(1, |(row, _, _)| row.saturating_add(1)),
            Some(Widget::List) => self.choice_state(field).map_or(1, |(options, _)| {
                u16::try_from(options.len()).unwrap_or(u16::MAX).max(1)
            }),
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
                body.width.saturating_sub(3),
            )
        } else {
            let longest = K::Draft::fields()
                .iter()
                .map(|f| str_width(field_label(lang, f.field)))
                .max()
                .unwrap_or(0);
            let wanted = u16::try_from(longest + 3)
                .unwrap_or(LABEL_WIDTH)
                .min(LABEL_WIDTH);
            let label_w = wanted.min(body.width * 2 / 5);
            // One column kept free before the scrollbar, so text never runs into it.
            (label_w, label_w, 0, body.width.saturating_sub(label_w + 1))
        };
        self.input_width.set(input_w);

        let mut placed = Vec::new();
        let mut top = 0u16;
        let differ = self.differences();
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
            let warnings = if self.bsn_in(field) {
                wrap_words(
                    &format!("{WARNING_MARK} {}", t(lang, "access_export.bsn_warning")),
                    usize::from(input_w),
                    2,
                )
            } else {
                Vec::new()
            };
            let stored = match &self.compare {
                Some(d) if differ.contains(&field) => wrap_words(
                    &format!(
                        "{STORED_MARK} {}",
                        tf(
                            lang,
                            "form.compare_stored",
                            &[("value", value_text::<K>(field, d, lang))]
                        )
                    ),
                    usize::from(input_w),
                    2,
                ),
                _ => Vec::new(),
            };
            let p = Placed {
                field,
                top,
                rows,
                errors,
                warnings,
                stored,
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

    /// Whether text field `field` holds a number that passes the BSN's eleven-test: every
    /// text field of every form warns (dates excepted); saving stays possible, as a number
    /// may be something else that happens to pass.
    pub(super) fn bsn_in(&self, field: Field) -> bool {
        match K::Draft::field(field) {
            Some(f)
                if !matches!(
                    f.value,
                    Value::Text {
                        kind: TextKind::Date,
                        ..
                    }
                ) =>
            {
                f.text(&self.draft)
                    .is_some_and(|text| crate::domain::bsn::find_bsn(text).is_some())
            }
            _ => false,
        }
    }

    /// Rows the whole form takes in `width` columns (header, fields and errors), for sizing
    /// a modal around it.
    pub fn content_height(&self, width: u16, lang: Lang) -> u16 {
        let (scroll, input_width) = (self.scroll.get(), self.input_width.get());
        let g = self.geometry(Rect::new(0, 0, width, u16::MAX), lang);
        self.scroll.set(scroll);
        self.input_width.set(input_width);
        g.total.saturating_add(1)
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
        let title = K::title(lang, self.mode, &self.original);
        let right = x.saturating_add(w);
        let mut used = put(buf, x, y, right, &fit(&title, usize::from(w)), theme.title) - x;
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
            let from = x.saturating_add(used);
            used += put(buf, from, y, right, &text, theme.error) - from;
        }
        if let Some(hint) = self.hint(lang) {
            let hw = u16::try_from(str_width(&hint)).unwrap_or(u16::MAX);
            if used.saturating_add(hw).saturating_add(2) <= w {
                put(buf, x + w - hw, y, right, &hint, theme.dim);
            }
        }
    }

    /// The keys of the focused field, for the header.
    fn hint(&self, lang: Lang) -> Option<String> {
        if let Some(key) = Self::ui(self.focus).and_then(|u| u.help) {
            return Some(t(lang, key).to_string());
        }
        let key = match Self::widget(self.focus)? {
            Widget::Complete if self.suggestion().is_some() => "form.hint.complete",
            Widget::Complete | Widget::Line => return None,
            Widget::Date => "form.hint.date",
            Widget::Multi => "form.hint.multiline",
            Widget::MultiSelect => "form.hint.multi_select",
            Widget::Grid => "form.hint.grid",
            Widget::Choice => "form.hint.choice",
            Widget::List => "form.hint.list",
            Widget::Check => "form.hint.check",
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
            put(buf, 0, 0, g.label_w, FOCUS_MARK, theme.selected);
        }
        let label_room = g.label_w.saturating_sub(3);
        let label = fit(field_label(lang, p.field), usize::from(label_room));
        put(buf, 2, 0, 2 + label_room, &label, label_style);

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
        // Below the input: the problem, then the stored value when it differs.
        let below = p
            .errors
            .iter()
            .map(|l| (l, theme.error))
            .chain(p.warnings.iter().map(|l| (l, theme.warning)))
            .chain(p.stored.iter().map(|l| (l, theme.warning)));
        for (i, (line, style)) in below.enumerate() {
            let row = p.rows.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
            put(
                buf,
                g.input_x,
                row,
                g.input_x.saturating_add(w),
                line,
                style,
            );
        }
    }

    /// Draws the input of `field` into its own buffer (origin 0,0, `w` columns).
    fn render_input(&self, field: Field, w: u16, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let focused = field == self.focus;
        let Some(widget) = Self::widget(field) else {
            return;
        };
        match widget {
            Widget::Line | Widget::Date | Widget::Complete => {
                self.render_line(field, widget, w, buf, theme, lang)
            }
            Widget::Multi => self.render_multi(field, w, buf, theme),
            Widget::MultiSelect => {
                for (i, (row, col, text)) in
                    select_items(self, field, lang, w).into_iter().enumerate()
                {
                    let style = if focused && i == self.select_cursor {
                        theme.selected
                    } else {
                        theme.base
                    };
                    let room = w.saturating_sub(col);
                    put(buf, col, row, w, &fit(&text, usize::from(room)), style);
                }
            }
            Widget::Grid => self.render_grid(field, w, focused, buf, theme, lang),
            Widget::Choice => {
                let (options, at) = self.choice_state(field).unwrap_or_default();
                let key = at.and_then(|i| options.get(i).copied()).unwrap_or("");
                let text = format!("< {} >", option_text::<K>(field, key, lang));
                let style = if focused { theme.selected } else { theme.base };
                put(buf, 0, 0, w, &fit(&text, usize::from(w)), style);
            }
            Widget::List => {
                let (options, at) = self.choice_state(field).unwrap_or_default();
                for (i, key) in options.iter().enumerate() {
                    let chosen = at == Some(i);
                    let style = if chosen && focused {
                        theme.selected
                    } else {
                        theme.base
                    };
                    let mark = if chosen { FOCUS_MARK } else { " " };
                    let text = format!("{mark} {}", option_text::<K>(field, key, lang));
                    let y = u16::try_from(i).unwrap_or(u16::MAX);
                    crate::ui::text::put_padded(buf, 0, y, w, &text, style);
                }
            }
            Widget::Check => {
                let on = match K::Draft::field(field).map(|f| &f.value) {
                    Some(Value::Flag { get, .. }) => get(&self.draft),
                    _ => false,
                };
                let mark = if on { "[x]" } else { "[ ]" };
                let style = if focused { theme.selected } else { theme.base };
                let used = put(buf, 0, 0, w, mark, style);
                let caption = format!("form.{}_box", field.key());
                let text = format!(" {}", t(lang, &caption));
                let room = w.saturating_sub(used);
                put(buf, used, 0, w, &fit(&text, usize::from(room)), theme.base);
            }
        }
    }

    fn render_line(
        &self,
        field: Field,
        widget: Widget,
        w: u16,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
    ) {
        let value = K::Draft::field(field)
            .and_then(|f| f.text(&self.draft))
            .map_or("", String::as_str);
        let focused = field == self.focus;
        match (&self.editor, focused) {
            (Some(editor), true) => {
                buf.set_style(Rect::new(0, 0, w, 1), Modifier::UNDERLINED);
                let (skip, _) = hscroll(value, editor.cursor(), usize::from(w));
                let visible: String = value.chars().skip(skip).collect();
                let used = put(
                    buf,
                    0,
                    0,
                    w,
                    &visible,
                    theme.base.add_modifier(Modifier::UNDERLINED),
                );
                let at_end = editor.cursor() == value.chars().count();
                if widget == Widget::Complete
                    && at_end
                    && let Some(full) = self.suggestion()
                {
                    let rest: String = full.chars().skip(value.chars().count()).collect();
                    let style = theme.dim.add_modifier(Modifier::UNDERLINED);
                    put(buf, used, 0, w, &rest, style);
                }
            }
            _ if value.is_empty() && widget == Widget::Date => {
                put(buf, 0, 0, w, t(lang, "form.date_placeholder"), theme.dim);
            }
            _ => {
                put(buf, 0, 0, w, &fit(value, usize::from(w)), theme.base);
            }
        }
    }

    fn render_multi(&self, field: Field, w: u16, buf: &mut Buffer, theme: &Theme) {
        let x = 0;
        let value = K::Draft::field(field)
            .and_then(|f| f.text(&self.draft))
            .map_or("", String::as_str);
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
            put(buf, x, y, x + w, &row_text(value, *line), style);
        }
        if lines.len() > top + usize::from(MULTI_ROWS) && w > 0 {
            put(buf, x + w - 1, MULTI_ROWS - 1, x + w, "…", theme.dim);
        }
    }

    fn render_grid(
        &self,
        field: Field,
        w: u16,
        focused: bool,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
    ) {
        let week = match K::Draft::field(field).map(|f| &f.value) {
            Some(Value::Week { get, .. }) => get(&self.draft),
            _ => return,
        };
        let (part_w, day_w) = grid_columns(lang, w);
        let column = |day: usize| part_w.saturating_add(day_w.saturating_mul(day as u16));
        for (day, key) in DAYS.iter().enumerate() {
            let name: String = t(lang, &format!("day.{key}"))
                .chars()
                .take(usize::from(day_w - 1))
                .collect();
            let at = column(day);
            put(buf, at, 0, at.saturating_add(day_w), &name, theme.label);
        }
        for (row, part) in Daypart::ALL.iter().enumerate() {
            let y = 1 + row as u16;
            let key = format!("daypart.{}", part.key());
            let name: String = t(lang, &key)
                .chars()
                .take(usize::from(part_w - 1))
                .collect();
            put(buf, 0, y, part_w, &name, theme.label);
            for day in 0..7usize {
                let on = week.get(day, *part);
                let cursor = focused && self.grid_cursor == (day, row);
                let style = if cursor { theme.selected } else { theme.base };
                let at = column(day);
                put(
                    buf,
                    at,
                    y,
                    at.saturating_add(1),
                    if on { "■" } else { "·" },
                    style,
                );
            }
        }
    }

    /// Where the terminal cursor goes: in the focused text field, when it is in view.
    /// Uses the language of the last [`Form::render`].
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
            let col = str_width(char_slice(
                value,
                skip_chars,
                editor.cursor().saturating_sub(skip_chars),
            ));
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
            match Self::widget(field) {
                Some(Widget::MultiSelect) => {
                    let items = select_items(self, field, lang, g.input_w);
                    if let Some(i) = items.iter().position(|(r, c, text)| {
                        *r == row
                            && *c <= col
                            && col < c.saturating_add(u16::try_from(str_width(text)).unwrap_or(0))
                    }) {
                        self.select_cursor = i;
                    }
                }
                Some(Widget::List) => {
                    if let Some((options, _)) = self.choice_state(field)
                        && let Some(key) = options.get(usize::from(row))
                    {
                        self.set_choice(key);
                    }
                }
                Some(Widget::Grid) if (1..GRID_ROWS).contains(&row) => {
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
            x + 1,
            if inside { "█" } else { "│" },
            theme.border,
        );
    }
    if g.scroll > 0 {
        put(buf, x, y, x + 1, "▲", theme.dim);
    }
    if g.scroll.saturating_add(view) < g.total {
        put(buf, x, y + view - 1, x + 1, "▼", theme.dim);
    }
}
