//! 2 Verbinden › Volunteers and › Intakes: a table sorted on family name (or the intake
//! queue), with the `/` filter and quick filters. Only the visible rows are drawn.

use crate::domain::format_date;
use crate::domain::volunteer::TargetGroup;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{ReadModel, VolunteerRow};
use crate::ui::list::{ListState, Preset};
use crate::ui::theme::Theme;
use crate::ui::view::{fmt_count, put, put_padded};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

/// Rows above the first list row inside the body: the filter line and the header.
pub const HEADER_ROWS: u16 = 2;

struct Columns {
    name: u16,
    municipality: u16,
    status: u16,
    groups: u16,
    date: u16,
}

fn columns(width: u16) -> Columns {
    // Marker (2) + date (10) + groups (5) + status (16) + municipality (up to 22) + gaps.
    let date = 10;
    let groups = 5;
    let status = 16;
    let municipality = if width >= 100 { 22 } else { 14 };
    let fixed = 2 + date + groups + status + municipality + 4;
    let name = width.saturating_sub(fixed).max(8);
    Columns {
        name,
        municipality,
        status,
        groups,
        date,
    }
}

/// Letters for target groups: J(ongere), S(enior), K(wetsbaar).
pub fn group_letters(r: &VolunteerRow) -> String {
    let mut s = String::new();
    for (g, c) in [
        (TargetGroup::Jongere, 'J'),
        (TargetGroup::Senior, 'S'),
        (TargetGroup::Kwetsbaar, 'K'),
    ] {
        if r.has_group(g) {
            s.push(c);
        }
    }
    s
}

/// Draws a list. Returns the cursor position when the filter is being typed.
pub fn render(
    list: &ListState,
    model: &ReadModel,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) -> Option<Position> {
    if area.height == 0 || area.width == 0 {
        return None;
    }
    let mut cursor = None;
    // Filter line.
    let y = area.y;
    let mut x = area.x;
    let label = format!("/ {} ", t(lang, "ui.search"));
    x = put(buf, x, y, area.right(), &label, theme.dim);
    let status = match list.status {
        Some(s) => t(lang, &format!("status.{}", s.key())).to_string(),
        None => t(lang, "ui.all").to_string(),
    };
    let muni = list
        .municipality
        .clone()
        .unwrap_or_else(|| t(lang, "ui.all").to_string());
    let filters = if list.preset == Preset::IntakeQueue {
        tf(lang, "ui.queue_filters", &[("municipality", muni)])
    } else {
        tf(
            lang,
            "ui.list_filters",
            &[("status", status), ("municipality", muni)],
        )
    };
    let count = tf(
        lang,
        "ui.count_of",
        &[
            ("shown", fmt_count(lang, list.len() as u64)),
            ("total", fmt_count(lang, model.volunteers().len() as u64)),
        ],
    );
    // The search field takes what the filters and the count leave, between 6 and 24 columns.
    let rest = (filters.chars().count() + count.chars().count() + 3) as u16;
    let field_w = area
        .right()
        .saturating_sub(x)
        .saturating_sub(rest)
        .clamp(6, 24)
        .min(area.right().saturating_sub(x));
    // A long query shows its end, where the typing happens.
    let value = list.filter.value();
    let chars = value.chars().count();
    let keep = usize::from(field_w.saturating_sub(1));
    let shown: String = value.chars().skip(chars.saturating_sub(keep)).collect();
    put_padded(
        buf,
        x,
        y,
        field_w,
        &shown,
        if list.filtering {
            theme.selected
        } else {
            theme.base
        },
    );
    if list.filtering {
        let cursor_col = list
            .filter
            .visual_cursor()
            .saturating_sub(chars.saturating_sub(keep));
        let cx = x + (cursor_col as u16).min(field_w.saturating_sub(1));
        cursor = Some(Position::new(cx, y));
    }
    x += field_w + 1;
    x = put(buf, x, y, area.right(), &filters, theme.dim);
    let cw = count.chars().count() as u16;
    if area.right() >= cw && area.right() - cw > x {
        put(buf, area.right() - cw, y, area.right(), &count, theme.dim);
    }
    if area.height < 2 {
        return cursor;
    }
    // Header.
    let c = columns(area.width);
    let hy = area.y + 1;
    let headers = [
        (t(lang, "ui.col_name"), c.name),
        (t(lang, "field.municipality"), c.municipality),
        (t(lang, "field.status"), c.status),
        (t(lang, "ui.col_groups"), c.groups),
        (t(lang, "ui.col_intake"), c.date),
    ];
    let mut hx = area.x + 2;
    for (h, w) in headers {
        put_padded(
            buf,
            hx,
            hy,
            w,
            h,
            theme.title.add_modifier(Modifier::UNDERLINED),
        );
        hx += w + 1;
    }
    // Rows.
    let body_h = usize::from(area.height.saturating_sub(HEADER_ROWS));
    if !model.loaded() {
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
    if list.is_empty() {
        let msg = if model.volunteers().is_empty() {
            t(lang, "ui.empty_store")
        } else {
            t(lang, "ui.no_matches")
        };
        put(buf, area.x + 2, hy + 1, area.right(), msg, theme.dim);
        return cursor;
    }
    let offset = list.scroll_for(body_h);
    let rows = model.volunteers();
    for (line, &idx) in list.view().iter().skip(offset).take(body_h).enumerate() {
        let Some(r) = rows.get(idx as usize) else {
            continue;
        };
        let y = hy + 1 + line as u16;
        let selected = offset + line == list.selected;
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
        let mut x = area.x + 2;
        let cells = [
            (r.filed.clone(), c.name),
            (r.municipality.clone(), c.municipality),
            (
                t(lang, &format!("status.{}", r.status.key())).to_string(),
                c.status,
            ),
            (group_letters(r), c.groups),
            (format_date(r.intake_date), c.date),
        ];
        for (text, w) in cells {
            put_padded(
                buf,
                x,
                y,
                w.min(area.right().saturating_sub(x)),
                &text,
                style,
            );
            x += w + 1;
            if x >= area.right() {
                break;
            }
        }
    }
    cursor
}
