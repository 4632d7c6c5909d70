//! The one list/table component: a [`Projection`] says which rows of the read model a list
//! shows, what search matches and which columns it has; [`Table`] does the rest — the `/`
//! search as you type, selection kept on the same record across changes, scrolling, page
//! moves, the mouse, adaptive column widths and drawing only the visible rows.
//!
//! A new kind's list is a projection and a column table. Quick filters and special orders
//! belong to the screen that owns the table: it passes them to [`Table::refresh`].
//!
//! Drawing never touches the read model: [`Table::prepare`] copies the visible rows' cells out
//! of it after every event, and [`Table::render`] draws that copy.

use super::textedit::edit_line;
use super::theme::Theme;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::search::Search;
use crate::readmodel::{Haystacks, ReadModel};
use crate::ui::text::{fmt_count, put, put_padded};
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use std::marker::PhantomData;
use tui_input::Input;

/// Rows above the first list row: the search line and the column header.
pub const HEADER_ROWS: u16 = 2;
/// Columns left of the first cell (the selection marker).
const MARKER: u16 = 2;

/// One column of a table.
pub struct Column<R> {
    /// Catalog key of the header.
    pub title: &'static str,
    /// Narrower than this the column is dropped instead.
    pub min: u16,
    /// What the column gets when there is room.
    pub preferred: u16,
    /// Never wider than this, however wide the terminal.
    pub max: u16,
    /// Columns with a higher number are dropped first when even the minimum widths do not fit;
    /// 0 is never dropped.
    pub drop: u8,
    /// The cell text of a row.
    pub cell: fn(&R, Lang) -> String,
}

/// Which rows of the read model a list shows and how.
pub trait Projection: 'static {
    /// A row as the read model keeps it.
    type Row;
    /// All rows, in list order.
    fn rows(model: &ReadModel) -> &[Self::Row];
    /// The rows' search texts, same order.
    fn haystacks(model: &ReadModel) -> &Haystacks;
    /// The record id of a row.
    fn id(row: &Self::Row) -> u64;
    /// The columns, left to right.
    fn columns() -> &'static [Column<Self::Row>];
    /// Catalog key of what an empty list says (the store holds none of these records yet):
    /// what there is to make and how.
    const EMPTY: &'static str = "ui.empty_store";
    /// Catalog key of what the list says when the search or the quick filters leave nothing.
    const NO_MATCHES: &'static str = "ui.no_matches";

    /// Catalog key of a flag a row carries on `today` (an overdue meeting), drawn as a marker
    /// and the flag's words before the cell of column [`Projection::FLAG_COLUMN`] (or the
    /// first shown when that one is dropped): never colour alone. None by default; a screen
    /// passes today with [`Table::today`].
    fn flag(row: &Self::Row, today: time::Date) -> Option<&'static str> {
        let _ = (row, today);
        None
    }

    /// The column (index into [`Projection::columns`]) a flag is drawn in.
    const FLAG_COLUMN: usize = 0;

    /// How many of [`Projection::rows`] the list never shows, whatever its search and
    /// filters (anonymised people: counted in the figures, never listed). Left out of the
    /// total the search line shows ("298 of 298", not "298 of 300"). None by default.
    fn hidden(model: &ReadModel) -> usize {
        let _ = model;
        0
    }
}

/// Widths of the columns for a table `width` wide: `None` for a dropped column.
pub fn layout<R>(columns: &[Column<R>], width: u16) -> Vec<Option<u16>> {
    let mut shown: Vec<bool> = vec![true; columns.len()];
    let gaps = |shown: &[bool]| shown.iter().filter(|s| **s).count().saturating_sub(1) as u16;
    let sum = |shown: &[bool], f: &dyn Fn(&Column<R>) -> u16| -> u16 {
        columns
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| f(c))
            .sum()
    };
    let avail = |shown: &[bool]| width.saturating_sub(MARKER + gaps(shown));
    // Drop columns, highest drop number first (the last of equals first), until the
    // minimum widths fit.
    while sum(&shown, &|c| c.min) > avail(&shown) {
        let victim = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| shown[*i] && c.drop > 0)
            .max_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        match victim {
            Some(i) => shown[i] = false,
            None => break,
        }
    }
    let avail = avail(&shown);
    let mut widths: Vec<u16> = columns.iter().map(|c| c.min).collect();
    // Grow towards the preferred widths, then towards the maxima, in proportion to how much
    // each column wants.
    for stage in [0, 1] {
        let used: u16 = widths
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(w, _)| *w)
            .sum();
        let extra = avail.saturating_sub(used);
        let target = |c: &Column<R>| if stage == 0 { c.preferred } else { c.max };
        let wants: Vec<u16> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| target(c).max(*w) - w)
            .collect();
        let total: u32 = wants
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(w, _)| u32::from(*w))
            .sum();
        if total == 0 {
            continue;
        }
        if u32::from(extra) >= total {
            for (i, w) in wants.iter().enumerate() {
                if shown[i] {
                    widths[i] += w;
                }
            }
        } else {
            let mut given = 0u16;
            for (i, w) in wants.iter().enumerate() {
                if shown[i] {
                    let share = (u32::from(*w) * u32::from(extra) / total) as u16;
                    widths[i] += share;
                    given += share;
                }
            }
            // Rounding leftovers go to the columns that want most, left to right.
            let mut left = extra.saturating_sub(given);
            for (i, w) in wants.iter().enumerate() {
                if left == 0 {
                    break;
                }
                if shown[i] && widths[i] < columns[i].min + w {
                    widths[i] += 1;
                    left -= 1;
                }
            }
            break;
        }
    }
    // A single column that cannot even have its minimum takes what there is.
    widths
        .into_iter()
        .zip(shown)
        .map(|(w, s)| s.then_some(w.min(avail.max(1))))
        .collect()
}

/// What one frame of the table shows, copied out of the read model.
#[derive(Debug, Default, Clone)]
struct Frame {
    loaded: bool,
    total: usize,
    /// First visible index into the view.
    offset: usize,
    /// Cells of the visible rows.
    cells: Vec<Vec<String>>,
    widths: Vec<Option<u16>>,
}

/// A list of rows of projection `P`.
pub struct Table<P: Projection> {
    /// Index into the view of the selected row.
    pub selected: usize,
    offset: usize,
    /// Rows visible in the last prepared frame (for page moves).
    page: usize,
    pub filter: Input,
    /// Typing goes into the search box.
    pub filtering: bool,
    search: Search,
    /// Row indices into the projection's rows, in display order.
    view: Vec<u32>,
    /// The selected record, remembered across model changes.
    anchor: Option<u64>,
    /// (model version, query, quick-filter generation) the view was built for.
    built_for: Option<(u64, String, u64)>,
    frame: Frame,
    /// Today, for [`Projection::flag`] (set by screens whose rows carry flags).
    pub today: Option<time::Date>,
    _p: PhantomData<fn() -> P>,
}

impl<P: Projection> Default for Table<P> {
    fn default() -> Self {
        Table {
            selected: 0,
            offset: 0,
            page: 10,
            filter: Input::default(),
            filtering: false,
            search: Search::default(),
            view: Vec::new(),
            anchor: None,
            built_for: None,
            frame: Frame::default(),
            today: None,
            _p: PhantomData,
        }
    }
}

/// An order on rows.
pub type Order<'a, R> = &'a dyn Fn(&R, &R) -> std::cmp::Ordering;

/// How a screen narrows and orders its table.
pub struct Shape<'a, R> {
    /// Quick filters; `None` keeps every row (and lets the search skip reading rows).
    pub keep: Option<&'a dyn Fn(&R) -> bool>,
    /// A different order than the list's when nothing is searched (a queue).
    pub order: Option<Order<'a, R>>,
    /// Changes whenever `keep` or `order` change meaning.
    pub generation: u64,
}

impl<P: Projection> Table<P> {
    /// The filtered rows, as indices into the projection's rows.
    pub fn view(&self) -> &[u32] {
        &self.view
    }

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    /// First visible row as of the last prepared frame.
    pub fn offset(&self) -> usize {
        self.frame.offset
    }

    /// The selected row.
    pub fn selected_row<'m>(&self, model: &'m ReadModel) -> Option<&'m P::Row> {
        let i = *self.view.get(self.selected)?;
        P::rows(model).get(i as usize)
    }

    /// The selected record's id.
    pub fn selected_id(&self, model: &ReadModel) -> Option<u64> {
        self.selected_row(model).map(P::id)
    }

    /// Rebuilds the view if the model, the query or the screen's filters changed. Keeps the
    /// selection on the same record when possible; a new query starts at its best match.
    pub fn refresh(&mut self, model: &ReadModel, shape: &Shape<'_, P::Row>) {
        let key = (
            model.version(),
            self.filter.value().to_string(),
            shape.generation,
        );
        if self
            .built_for
            .as_ref()
            .is_some_and(|k| k.0 == model.version())
        {
            self.anchor = self.selected_id(model);
        }
        if self.built_for.as_ref() == Some(&key) {
            return;
        }
        let rows = P::rows(model);
        let searched =
            match self
                .search
                .run(P::haystacks(model), model.version(), self.filter.value())
            {
                // Without quick filters every hit is kept: skip reading the rows, which the
                // ranked order visits at random (a cache miss each).
                Some(hits) => match shape.keep {
                    None => hits.to_vec(),
                    Some(keep) => hits
                        .iter()
                        .copied()
                        .filter(|&i| rows.get(i as usize).is_some_and(keep))
                        .collect(),
                },
                None => match shape.keep {
                    None => (0..rows.len() as u32).collect(),
                    Some(keep) => (0..rows.len() as u32)
                        .filter(|&i| keep(&rows[i as usize]))
                        .collect(),
                },
            };
        self.view = searched;
        if let Some(order) = shape.order
            && self.filter.value().trim().is_empty()
        {
            // Stable, so the list order breaks ties.
            self.view
                .sort_by(|&a, &b| order(&rows[a as usize], &rows[b as usize]));
        }
        let query_changed = self.built_for.as_ref().is_some_and(|(_, q, _)| *q != key.1);
        let filters_changed = self.built_for.as_ref().is_some_and(|(_, _, g)| *g != key.2);
        self.built_for = Some(key);
        if query_changed || filters_changed {
            self.selected = 0;
        } else if let Some(id) = self.anchor
            && let Some(pos) = self
                .view
                .iter()
                .position(|&i| rows.get(i as usize).is_some_and(|r| P::id(r) == id))
        {
            self.selected = pos;
        }
        self.clamp();
        self.anchor = self.selected_id(model);
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    /// Selects record `id` if it is in the view.
    pub fn select_id(&mut self, model: &ReadModel, id: u64) {
        let rows = P::rows(model);
        if let Some(pos) = self
            .view
            .iter()
            .position(|&i| rows.get(i as usize).is_some_and(|r| P::id(r) == id))
        {
            self.selected = pos;
            self.anchor = Some(id);
        }
    }

    /// Moves the selection for a movement action; true when it was one.
    pub fn on_move(&mut self, action: super::action::Action) -> bool {
        use super::action::Action as A;
        let last = self.view.len().saturating_sub(1);
        let page = self.page.max(1);
        self.selected = match action {
            A::Up => self.selected.saturating_sub(1),
            A::Down => (self.selected + 1).min(last),
            A::PageUp => self.selected.saturating_sub(page),
            A::PageDown => (self.selected + page).min(last),
            A::Home => 0,
            A::End => last,
            _ => return false,
        };
        true
    }

    /// A key while the search box has the focus; true when it edited the query.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        self.filtering && edit_line(&mut self.filter, key).is_some()
    }

    /// Pasted text goes into the search box while it has the focus.
    pub fn on_paste(&mut self, text: &str) -> bool {
        if !self.filtering {
            return false;
        }
        for c in text.chars().filter(|c| !c.is_control()) {
            self.filter.handle(tui_input::InputRequest::InsertChar(c));
        }
        true
    }

    /// Stops and clears the search; true when there was one.
    pub fn stop_search(&mut self) -> bool {
        let had = self.filtering || !self.filter.value().is_empty();
        self.filtering = false;
        self.filter.reset();
        had
    }

    /// A click or the wheel in a table drawn in `area`. Returns `Some(true)` when a click
    /// landed on the already selected row (the caller opens it).
    pub fn on_mouse(&mut self, m: MouseEvent, area: Rect) -> Option<bool> {
        match m.kind {
            MouseEventKind::ScrollDown => {
                self.on_move(super::action::Action::Down);
                Some(false)
            }
            MouseEventKind::ScrollUp => {
                self.on_move(super::action::Action::Up);
                Some(false)
            }
            MouseEventKind::Down(MouseButton::Left) => {
                let first = area.y + HEADER_ROWS;
                if m.row < first || m.row >= area.bottom() {
                    return None;
                }
                let idx = self.frame.offset + usize::from(m.row - first);
                if idx >= self.view.len() {
                    return None;
                }
                let again = self.selected == idx;
                self.selected = idx;
                Some(again)
            }
            _ => None,
        }
    }

    /// What the list shows, as text: the column titles, then every row of the current view
    /// (after search and quick filters), every column. For "export as CSV".
    pub fn export(&self, model: &ReadModel, lang: Lang) -> Vec<Vec<String>> {
        let rows = P::rows(model);
        let columns = P::columns();
        let mut out = Vec::with_capacity(self.view.len() + 1);
        out.push(
            columns
                .iter()
                .map(|c| t(lang, c.title).to_string())
                .collect(),
        );
        out.extend(
            self.view
                .iter()
                .filter_map(|&i| rows.get(i as usize))
                .map(|r| columns.iter().map(|c| (c.cell)(r, lang)).collect()),
        );
        out
    }

    /// Copies the visible rows of a table drawn in `area` out of the model.
    pub fn prepare(&mut self, model: &ReadModel, area: Rect, lang: Lang) {
        let height = usize::from(area.height.saturating_sub(HEADER_ROWS));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.view.len().saturating_sub(height));
        self.page = height.max(1);
        let rows = P::rows(model);
        let columns = P::columns();
        let widths = layout(columns, area.width);
        let cells = self
            .view
            .iter()
            .skip(self.offset)
            .take(height)
            .filter_map(|&i| rows.get(i as usize))
            .map(|r| {
                let flag = self.today.and_then(|d| P::flag(r, d));
                // Where the flag goes: its column, or the first shown.
                let at = if widths.get(P::FLAG_COLUMN).is_some_and(Option::is_some) {
                    widths[..P::FLAG_COLUMN].iter().flatten().count()
                } else {
                    0
                };
                let mut cells: Vec<String> = columns
                    .iter()
                    .zip(&widths)
                    .filter(|(_, w)| w.is_some())
                    .map(|(c, _)| (c.cell)(r, lang))
                    .collect();
                if let Some(key) = flag
                    && let Some(cell) = cells.get_mut(at)
                {
                    *cell = format!("⚠ {} {cell}", t(lang, key));
                }
                cells
            })
            .collect();
        self.frame = Frame {
            loaded: model.loaded(),
            total: rows.len().saturating_sub(P::hidden(model)),
            offset: self.offset,
            cells,
            widths,
        };
    }

    /// Draws the search line (with `filters`, the screen's own summary of its quick
    /// filters), the header and the visible rows. Returns the cursor while searching.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
        filters: &str,
    ) -> Option<Position> {
        if area.height == 0 || area.width == 0 {
            return None;
        }
        let cursor = self.render_search_line(area, buf, theme, lang, filters);
        if area.height < HEADER_ROWS {
            return cursor;
        }
        let f = &self.frame;
        let hy = area.y + 1;
        let mut x = area.x + MARKER;
        for (c, w) in P::columns().iter().zip(&f.widths) {
            if let Some(w) = *w {
                put_padded(
                    buf,
                    x,
                    hy,
                    w.min(area.right().saturating_sub(x)),
                    t(lang, c.title),
                    theme.title.add_modifier(Modifier::UNDERLINED),
                );
                x += w + 1;
            }
        }
        if !f.loaded {
            put(
                buf,
                area.x + 2,
                hy + 1,
                area.right(),
                t(lang, "ui.loading"),
                theme.dim,
            );
            return cursor;
        }
        if self.view.is_empty() {
            let msg = if f.total == 0 {
                t(lang, P::EMPTY)
            } else {
                t(lang, P::NO_MATCHES)
            };
            put(buf, area.x + 2, hy + 1, area.right(), msg, theme.dim);
            return cursor;
        }
        let widths: Vec<u16> = f.widths.iter().flatten().copied().collect();
        for (line, cells) in f.cells.iter().enumerate() {
            let y = hy + 1 + line as u16;
            if y >= area.bottom() {
                break;
            }
            let selected = f.offset + line == self.selected;
            let style = if selected { theme.selected } else { theme.base };
            if selected {
                buf.set_style(Rect::new(area.x, y, area.width, 1), theme.selected);
            }
            put(
                buf,
                area.x,
                y,
                area.right(),
                if selected { "▶ " } else { "  " },
                style,
            );
            let mut x = area.x + MARKER;
            for (text, w) in cells.iter().zip(&widths) {
                if x >= area.right() {
                    break;
                }
                put_padded(buf, x, y, (*w).min(area.right() - x), text, style);
                x += w + 1;
            }
        }
        cursor
    }

    fn render_search_line(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
        filters: &str,
    ) -> Option<Position> {
        let y = area.y;
        let label = format!("/ {} ", t(lang, "ui.search"));
        let mut x = put(buf, area.x, y, area.right(), &label, theme.dim);
        let count = tf(
            lang,
            "ui.count_of",
            &[
                ("shown", fmt_count(lang, self.view.len() as u64)),
                ("total", fmt_count(lang, self.frame.total as u64)),
            ],
        );
        // The search box takes what the filters and the count leave, 6 to 24 columns.
        let rest = (filters.chars().count() + count.chars().count() + 3) as u16;
        let field_w = area
            .right()
            .saturating_sub(x)
            .saturating_sub(rest)
            .clamp(6, 24)
            .min(area.right().saturating_sub(x));
        // A long query shows its end, where the typing happens.
        let value = self.filter.value();
        let chars = value.chars().count();
        let keep = usize::from(field_w.saturating_sub(1));
        let shown: String = value.chars().skip(chars.saturating_sub(keep)).collect();
        let style = if self.filtering {
            theme.selected
        } else {
            theme.base
        };
        put_padded(buf, x, y, field_w, &shown, style);
        let cursor = self.filtering.then(|| {
            let col = self
                .filter
                .visual_cursor()
                .saturating_sub(chars.saturating_sub(keep));
            Position::new(x + (col as u16).min(field_w.saturating_sub(1)), y)
        });
        x += field_w + 1;
        x = put(buf, x, y, area.right(), filters, theme.dim);
        let cw = count.chars().count() as u16;
        if area.right() >= cw && area.right() - cw > x {
            put(buf, area.right() - cw, y, area.right(), &count, theme.dim);
        }
        cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(min: u16, preferred: u16, max: u16, drop: u8) -> Column<()> {
        Column {
            title: "",
            min,
            preferred,
            max,
            drop,
            cell: |_, _| String::new(),
        }
    }

    fn cols() -> Vec<Column<()>> {
        vec![
            col(12, 30, 44, 0), // name
            col(10, 14, 22, 2), // municipality
            col(10, 16, 16, 1), // status
            col(3, 5, 5, 3),    // groups
            col(10, 10, 10, 0), // date
        ]
    }

    #[test]
    fn wide_terminals_do_not_stretch_one_column() {
        let w = layout(&cols(), 200);
        assert_eq!(w[0], Some(44), "name stops at its maximum: {w:?}");
        assert_eq!(w[1], Some(22));
    }

    #[test]
    fn narrow_terminals_shrink_all_columns_before_squeezing_one() {
        let w = layout(&cols(), 60);
        let name = w[0].unwrap();
        assert!(name >= 12, "name keeps at least its minimum: {w:?}");
        let used: u16 = w.iter().flatten().sum::<u16>() + 2 + 4;
        assert!(used <= 60, "{w:?} uses {used}");
        // The status column gave up room too, not only the name.
        assert!(w[2].unwrap() < 16, "{w:?}");
    }

    #[test]
    fn the_least_important_column_goes_first_when_minimums_do_not_fit() {
        let w = layout(&cols(), 44);
        assert_eq!(w[3], None, "groups dropped first: {w:?}");
        assert!(w[0].is_some() && w[4].is_some());
        let w = layout(&cols(), 20);
        assert!(w[0].is_some(), "{w:?}");
    }

    #[test]
    fn every_width_fits() {
        for width in 0..260 {
            let w = layout(&cols(), width);
            let shown = w.iter().flatten().count() as u16;
            let used: u16 = w.iter().flatten().sum::<u16>() + 2 + shown.saturating_sub(1);
            assert!(used <= width.max(2 + 12 + 10 + 1 + 1), "{width}: {w:?}");
        }
    }
}
