//! Drawing: a pure function of the [`App`] state. Reads the read model under a short read lock
//! and draws only what is visible; no I/O, no store access.

use super::app::{App, FlashKind, Overlay, Question};
use super::screens::{self, Screen, group_key, group_screens};
use super::text::fit;
use super::theme::Theme;
use crate::domain::format_date;
use crate::i18n::{Lang, t, tf};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// Smallest terminal the app draws its screens in; smaller shows a short message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Terminal row of the first list row (top bar, sub-tabs, filter line, header).
pub const LIST_FIRST_ROW: u16 = 2 + screens::volunteers::HEADER_ROWS;

// The buffer writers live with the other column arithmetic; re-exported for the screens.
pub use super::text::{put, put_padded};
use super::text::{put_wrapped, wrap_words};

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

/// Width of one group tab in the top bar.
fn tab_width(total: u16) -> u16 {
    (total / 5).max(1)
}

/// Which group tab is at column `x` of a top bar `width` wide.
pub fn group_at(width: u16, x: u16) -> Option<usize> {
    let g = usize::from(x / tab_width(width));
    (g < 5).then_some(g)
}

/// Which sub-tab is at column `x` of the second row.
pub fn screen_at(app: &App, x: u16) -> Option<usize> {
    let mut pos = 1u16;
    for (i, s) in group_screens(app.group).iter().enumerate() {
        let w = t(app.lang, s.key()).chars().count() as u16 + 4;
        if x >= pos && x < pos + w {
            return Some(i);
        }
        pos += w;
    }
    None
}

/// Rows of the message line: two when the message needs them.
fn flash_height(app: &App, width: u16) -> u16 {
    match &app.flash {
        None => 0,
        // Every mark is two columns wide; at most two rows.
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
    for g in 0..5 {
        let x = area.x + w * g as u16;
        let label = format!("  {} {} ", g + 1, t(lang, group_key(g)));
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
    let theme = app.theme;
    let lang = app.lang;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = tf(
            lang,
            "ui.too_small",
            &[("w", MIN_WIDTH.to_string()), ("h", MIN_HEIGHT.to_string())],
        );
        put_wrapped(frame.buffer_mut(), area, &msg, Style::default());
        return;
    }
    let buf = frame.buffer_mut();
    draw_top(buf, area, app, &theme);
    let flash_h = flash_height(app, area.width);
    let body = body_area(app, area);
    let mut cursor: Option<Position> = None;
    if let Some(form) = &app.form {
        form.render(body, buf, &theme, lang);
        cursor = form.cursor_position(body);
    } else if let Some(d) = &app.detail {
        let max = screens::detail::render(
            &d.record,
            app.service.clock().today(),
            d.scroll,
            body,
            buf,
            &theme,
            lang,
        );
        d.max_scroll.set(max);
    } else {
        let model = app.model.read();
        match app.screen() {
            Screen::Overview => {
                screens::overview::render(&app.overview, model.loaded(), body, buf, &theme, lang)
            }
            Screen::Volunteers => {
                cursor =
                    screens::volunteers::render(&app.volunteers, &model, body, buf, &theme, lang)
            }
            Screen::Intakes => {
                cursor = screens::volunteers::render(&app.intakes, &model, body, buf, &theme, lang)
            }
            s => screens::placeholder::render(s, body, buf, &theme, lang),
        }
    }
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
    if let Some(o) = &app.overlay {
        cursor = draw_overlay(buf, area, app, o, &theme);
    }
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}

fn draw_top(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang;
    let w = tab_width(area.width);
    for g in 0..5 {
        let x = area.x + w * g as u16;
        let active = g == app.group;
        let label = format!(" {} {} ", g + 1, t(lang, group_key(g)));
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
    for s in group_screens(app.group) {
        let name = t(lang, s.key());
        let active = *s == current && app.form.is_none() && app.detail.is_none();
        let (text, style) = if active {
            (format!("▸ {name}  "), theme.title)
        } else {
            (format!("  {name}  "), theme.dim)
        };
        x = put(buf, x, y, area.right(), &text, style);
    }
    let crumb = if app.form.is_some() {
        Some(t(lang, "ui.crumb_form").to_string())
    } else {
        app.detail.as_ref().map(|d| d.record.data.name.filed())
    };
    if let Some(c) = crumb {
        put(buf, x + 1, y, area.right(), &format!("› {c}"), theme.title);
    }
}

fn draw_bottom(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let y = area.bottom().saturating_sub(1);
    buf.set_style(Rect::new(area.x, y, area.width, 1), theme.tab_inactive);
    let store = app
        .service
        .store()
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let who = format!(" {} · {} ", app.who.name, store);
    let mut x = put(buf, area.x, y, area.right(), &fit(&who, 28), theme.dim);
    x = put(buf, x, y, area.right(), "│ ", theme.dim);
    for (keys, desc) in app.keymap.hints(&app.contexts(), app.lang) {
        let need = (keys.chars().count() + desc.chars().count() + 3) as u16;
        if x + need > area.right() {
            break;
        }
        x = put(buf, x, y, area.right(), &keys, theme.key);
        x = put(buf, x + 1, y, area.right(), &desc, theme.base);
        x += 2;
    }
}

/// A centred box of at most `w`×`h` inside `area`, cleared.
fn popup(buf: &mut Buffer, area: Rect, w: u16, h: u16, title: &str, theme: &Theme) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

fn draw_overlay(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    overlay: &Overlay,
    theme: &Theme,
) -> Option<Position> {
    let lang = app.lang;
    match overlay {
        Overlay::Help(h) => {
            h.render(area, buf, theme, lang);
            None
        }
        Overlay::Palette(p) => {
            p.render(area, buf, theme, lang);
            None
        }
        Overlay::Ask(q) => {
            let text = match q {
                Question::DiscardForm => t(lang, "ui.ask_discard"),
                Question::QuitWithChanges => t(lang, "ui.ask_quit"),
            };
            let inner = popup(buf, area, 56, 6, t(lang, "ui.question"), theme);
            let rows = put_wrapped(buf, inner, text, Style::default());
            let y = inner.y.saturating_add(rows).saturating_add(1);
            if y < inner.bottom() {
                put(
                    buf,
                    inner.x,
                    y,
                    inner.right(),
                    t(lang, "ui.yes_no"),
                    theme.key,
                );
            }
            None
        }
        Overlay::Find(f) => {
            let inner = popup(
                buf,
                area,
                70,
                area.height.saturating_sub(4),
                t(lang, "ui.find_title"),
                theme,
            );
            if inner.height == 0 {
                return None;
            }
            let x = put(buf, inner.x, inner.y, inner.right(), "> ", theme.key);
            put(buf, x, inner.y, inner.right(), f.input.value(), theme.base);
            let cursor = Position::new(
                (x + f.input.visual_cursor() as u16).min(inner.right().saturating_sub(1)),
                inner.y,
            );
            let model = app.model.read();
            let rows = usize::from(inner.height.saturating_sub(2));
            if f.input.value().is_empty() {
                put(
                    buf,
                    inner.x,
                    inner.y + 2,
                    inner.right(),
                    t(lang, "ui.find_hint"),
                    theme.dim,
                );
            } else if f.hits.is_empty() {
                put(
                    buf,
                    inner.x,
                    inner.y + 2,
                    inner.right(),
                    t(lang, "ui.no_matches"),
                    theme.dim,
                );
            }
            let offset = f.selected.saturating_sub(rows.saturating_sub(1));
            for (i, id) in f.hits.iter().enumerate().skip(offset).take(rows) {
                let Some(r) = model.volunteer(*id) else {
                    continue;
                };
                let y = inner.y + 2 + (i - offset) as u16;
                let sel = i == f.selected;
                let style = if sel { theme.selected } else { theme.base };
                let text = format!(
                    "{}{}  {}  {}  {}",
                    if sel { "▶ " } else { "  " },
                    r.filed,
                    format_date(r.birth_date),
                    r.municipality,
                    t(lang, &format!("status.{}", r.status.key()))
                );
                put_padded(buf, inner.x, y, inner.width, &text, style);
            }
            Some(cursor)
        }
        Overlay::Status(s) => {
            let h = s.content_height(42, lang).saturating_add(2);
            let inner = popup(buf, area, 44, h, t(lang, "ui.status_title"), theme);
            s.render(inner, buf, theme, lang);
            None
        }
        Overlay::Duplicates(d) => {
            let h = (d.duplicates.len() as u16 * 2 + 6).min(area.height);
            let inner = popup(buf, area, 72, h, t(lang, "ui.dup_title"), theme);
            put(
                buf,
                inner.x,
                inner.y,
                inner.right(),
                t(lang, "ui.dup_intro"),
                theme.warning,
            );
            for (i, dup) in d.duplicates.iter().enumerate() {
                let v = &dup.existing.data;
                let sel = i == d.selected;
                let style = if sel { theme.selected } else { theme.base };
                let y = inner.y + 2 + 2 * i as u16;
                if y + 1 >= inner.bottom() {
                    break;
                }
                let text = format!(
                    "{}{}  {}  {}",
                    if sel { "▶ " } else { "  " },
                    v.name.filed(),
                    format_date(v.birth_date),
                    v.municipality
                );
                put_padded(buf, inner.x, y, inner.width, &text, style);
                let reasons: Vec<String> = dup
                    .reasons
                    .iter()
                    .map(|r| t(lang, &format!("duplicate.{}", r.key())).to_string())
                    .collect();
                put(
                    buf,
                    inner.x + 4,
                    y + 1,
                    inner.right(),
                    &reasons.join(", "),
                    theme.dim,
                );
            }
            let hint = t(lang, "ui.dup_hint");
            put(
                buf,
                inner.x,
                inner.bottom().saturating_sub(1),
                inner.right(),
                hint,
                theme.key,
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_language_separator() {
        assert_eq!(fmt_count(Lang::Nl, 100_000), "100.000");
        assert_eq!(fmt_count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(fmt_count(Lang::En, 999), "999");
    }
}
