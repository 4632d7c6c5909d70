//! A [`Report`] as Markdown (for e-mail: tables padded so they read as plain text too), CSV
//! (for spreadsheets: one table a section, plain numbers) and JSON (stable keys, documented in
//! `docs/reports.md`). Words come from the catalogs in the chosen language; dates are written
//! `23-11-2026` (JSON: `2026-11-23`); numbers in Markdown and on screen with the language's
//! thousands separator.
//!
//! The output depends only on the report and the language: no clock, no hash order (breakdowns
//! are in a fixed order, JSON objects sorted by key), so the same store and period give the same
//! bytes.

use super::{Body, Breakdown, Count, Labels, Measure, Report, Section, SectionId, Target};
use crate::domain::format_date;
use crate::domain::period::{Period, PeriodKind, iso};
use crate::i18n::{Lang, fmt_count, t, tf};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Csv, Format::Json];

    /// `md`, `csv`, `json`: the command line's names and the file extensions.
    pub fn key(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// `,` (default) or `;` (what Excel expects where the decimal mark is a comma).
    pub separator: u8,
    /// Start with a UTF-8 byte order mark, so Excel reads accents right.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            separator: b',',
            bom: false,
        }
    }
}

/// The report in `format`.
pub fn render(report: &Report, format: Format, lang: Lang, csv: CsvOptions) -> Vec<u8> {
    match format {
        Format::Markdown => markdown(report, lang).into_bytes(),
        Format::Csv => csv_bytes(report, lang, csv),
        Format::Json => json_text(report, lang).into_bytes(),
    }
}

// ---------------------------------------------------------------------------------------------
// Words shared by every format and the screen.

/// The name of a period in words: `week 48, 2026`, `november 2026`, `4e kwartaal 2026`, `2026`,
/// `01-11-2026 t/m 15-11-2026`.
pub fn period_name(lang: Lang, p: Period) -> String {
    match p {
        Period::Week { year, week } => tf(
            lang,
            "report.name.week",
            &[("week", week.to_string()), ("year", year.to_string())],
        ),
        Period::Month { year, month } => tf(
            lang,
            "report.name.month",
            &[
                ("month", month_name(lang, u8::from(month))),
                ("year", year.to_string()),
            ],
        ),
        Period::Quarter { year, quarter } => tf(
            lang,
            "report.name.quarter",
            &[("quarter", quarter.to_string()), ("year", year.to_string())],
        ),
        Period::Year(year) => year.to_string(),
        Period::Range { from, to } => dates(lang, from, to),
    }
}

/// A short column heading for a period: `week 48`, `november`, `Q4`, `2026`; a range is
/// "this period" or "period before".
pub fn period_short(lang: Lang, p: Period, is_previous: bool) -> String {
    match p {
        Period::Week { week, .. } => tf(lang, "report.short.week", &[("week", week.to_string())]),
        Period::Month { month, .. } => month_name(lang, u8::from(month)),
        Period::Quarter { quarter, .. } => tf(
            lang,
            "report.short.quarter",
            &[("quarter", quarter.to_string())],
        ),
        Period::Year(y) => y.to_string(),
        Period::Range { .. } if is_previous => t(lang, "report.short.range_before").to_string(),
        Period::Range { .. } => t(lang, "report.short.range").to_string(),
    }
}

/// `23-11-2026 t/m 29-11-2026`.
pub fn dates(lang: Lang, from: time::Date, to: time::Date) -> String {
    tf(
        lang,
        "report.dates",
        &[("from", format_date(from)), ("to", format_date(to))],
    )
}

fn month_name(lang: Lang, m: u8) -> String {
    t(lang, &format!("report.month.{m}")).to_string()
}

/// The report's title: `Weekoverzicht week 48, 2026`.
pub fn title(lang: Lang, r: &Report) -> String {
    tf(
        lang,
        &format!("report.title.{}", r.period.kind().key()),
        &[("name", period_name(lang, r.period))],
    )
}

/// The sentence under the title: the dates, and what is compared.
pub fn subtitle(lang: Lang, r: &Report) -> String {
    tf(
        lang,
        "report.subtitle",
        &[
            ("dates", dates(lang, r.period.from(), r.period.to())),
            ("previous", period_name(lang, r.previous)),
            (
                "previous_dates",
                dates(lang, r.previous.from(), r.previous.to()),
            ),
            ("year_dates", dates(lang, r.year_from, r.period.to())),
        ],
    )
}

/// A section's heading.
pub fn section_title(lang: Lang, id: SectionId) -> String {
    t(lang, &format!("report.section.{}", id.key())).to_string()
}

/// What an absent section says instead of figures.
pub fn absent_text(lang: Lang, id: SectionId) -> String {
    t(lang, &format!("report.absent.{}", id.key())).to_string()
}

/// A count's label.
pub fn count_label(lang: Lang, id: SectionId, c: &Count) -> String {
    t(lang, &format!("report.count.{}.{}", id.key(), c.key)).to_string()
}

/// A breakdown's heading.
pub fn breakdown_title(lang: Lang, b: &Breakdown) -> String {
    t(lang, &format!("report.breakdown.{}", b.key)).to_string()
}

/// The name of a breakdown's row.
pub fn row_label(lang: Lang, b: &Breakdown, key: &str) -> String {
    match b.labels {
        Labels::Catalog(prefix) => t(lang, &format!("{prefix}.{key}")).to_string(),
        Labels::Verbatim => key.to_string(),
    }
}

/// The column headings of a count table: figure, this period, previous, year to date, target.
fn count_headings(lang: Lang, r: &Report) -> [String; 5] {
    [
        t(lang, "report.column.figure").to_string(),
        period_short(lang, r.period, false),
        period_short(lang, r.previous, true),
        t(lang, "report.column.year_to_date").to_string(),
        t(lang, "report.column.target").to_string(),
    ]
}

/// A count's target with how far the year to date has come (`640 (86 %)`), or "not set".
pub fn target_text(lang: Lang, c: &Count) -> String {
    match (c.target, c.year_to_date) {
        (Target::NotSet, _) => t(lang, "report.target_not_set").to_string(),
        (Target::Set(goal), Some(done)) if goal > 0 => {
            format!("{} ({} %)", fmt_count(lang, goal), done * 100 / goal)
        }
        (Target::Set(goal), _) => fmt_count(lang, goal),
    }
}

/// A count's year to date, or a dash where it does not apply (what stood at the period's end).
fn year_text(lang: Lang, c: &Count, number: impl Fn(u64) -> String) -> String {
    match (c.measure, c.year_to_date) {
        (Measure::Flow, Some(n)) => number(n),
        _ => t(lang, "report.not_applicable").to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown.

/// The report as Markdown whose tables are padded to line up in a plain-text mail too.
pub fn markdown(r: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let num = |n: u64| fmt_count(lang, n);
    let _ = writeln!(out, "# {}\n", title(lang, r));
    let _ = writeln!(out, "{}\n", subtitle(lang, r));
    for s in &r.sections {
        let _ = writeln!(out, "## {}\n", section_title(lang, s.id));
        match &s.body {
            Body::Absent(_) => {
                let _ = writeln!(out, "*{}*\n", absent_text(lang, s.id));
            }
            Body::Present(f) => {
                let mut rows = vec![count_headings(lang, r).to_vec()];
                for c in &f.counts {
                    rows.push(vec![
                        count_label(lang, s.id, c),
                        num(c.now),
                        num(c.previous),
                        year_text(lang, c, num),
                        target_text(lang, c),
                    ]);
                }
                table(&mut out, &rows, &[false, true, true, true, false]);
                for b in &f.breakdowns {
                    let mut rows = vec![vec![
                        breakdown_title(lang, b),
                        period_short(lang, r.period, false),
                        period_short(lang, r.previous, true),
                    ]];
                    if b.rows.is_empty() {
                        rows.push(vec![t(lang, "report.none").to_string(), num(0), num(0)]);
                    }
                    for row in &b.rows {
                        rows.push(vec![
                            row_label(lang, b, &row.key),
                            num(row.now),
                            num(row.previous),
                        ]);
                    }
                    table(&mut out, &rows, &[false, true, true]);
                }
            }
        }
    }
    let _ = writeln!(out, "{}", t(lang, "report.footer"));
    out
}

/// A Markdown table, each column padded to its widest cell (numbers to the right).
fn table(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let cols = right.len();
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();
    let line = |out: &mut String, cells: &[String]| {
        out.push('|');
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            let pad = " ".repeat(w.saturating_sub(cell.width()));
            if right[i] {
                let _ = write!(out, " {pad}{cell} |");
            } else {
                let _ = write!(out, " {cell}{pad} |");
            }
        }
        out.push('\n');
    };
    if let Some((head, body)) = rows.split_first() {
        line(out, head);
        out.push('|');
        for (i, w) in widths.iter().enumerate() {
            if right[i] {
                let _ = write!(out, " {}: |", "-".repeat(w.saturating_sub(1)));
            } else {
                let _ = write!(out, " {} |", "-".repeat(*w));
            }
        }
        out.push('\n');
        for r in body {
            line(out, r);
        }
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// CSV.

/// The rows of the CSV file: a heading block, then one table a section (its name on a line of
/// its own, a header row, the rows), separated by empty lines.
pub fn csv_rows(r: &Report, lang: Lang) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![
        vec![title(lang, r)],
        vec![
            t(lang, "report.column.from").to_string(),
            format_date(r.period.from()),
        ],
        vec![
            t(lang, "report.column.to").to_string(),
            format_date(r.period.to()),
        ],
    ];
    let num = |n: u64| n.to_string();
    for s in &r.sections {
        rows.push(Vec::new());
        rows.push(vec![section_title(lang, s.id)]);
        match &s.body {
            Body::Absent(_) => rows.push(vec![absent_text(lang, s.id)]),
            Body::Present(f) => {
                rows.push(count_headings(lang, r).to_vec());
                for c in &f.counts {
                    rows.push(vec![
                        count_label(lang, s.id, c),
                        num(c.now),
                        num(c.previous),
                        match (c.measure, c.year_to_date) {
                            (Measure::Flow, Some(n)) => num(n),
                            _ => String::new(),
                        },
                        target_text(lang, c),
                    ]);
                }
                for b in &f.breakdowns {
                    let head = breakdown_title(lang, b);
                    for row in &b.rows {
                        rows.push(vec![
                            format!("{head}: {}", row_label(lang, b, &row.key)),
                            num(row.now),
                            num(row.previous),
                        ]);
                    }
                }
            }
        }
    }
    rows
}

fn csv_bytes(r: &Report, lang: Lang, options: CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    // An empty line between tables is a line break only (the csv writer would write `""`).
    for row in csv_rows(r, lang) {
        if row.is_empty() {
            out.extend_from_slice(b"\r\n");
            continue;
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(options.separator)
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
        if let Ok(bytes) = w.into_inner() {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JSON.

/// The report as JSON (keys in `docs/reports.md`): dates as `YYYY-MM-DD`, counts as numbers,
/// an absent section's counts as `null` with `recorded: false` and a reason.
pub fn json_value(r: &Report, lang: Lang) -> Value {
    let period = |p: Period| {
        json!({
            "kind": p.kind().key(),
            "label": p.label(),
            "name": period_name(lang, p),
            "from": iso(p.from()),
            "to": iso(p.to()),
        })
    };
    let mut root = Map::new();
    root.insert("format".into(), json!("koppel-report"));
    root.insert("version".into(), json!(1));
    root.insert("language".into(), json!(lang.code()));
    root.insert("title".into(), json!(title(lang, r)));
    root.insert("period".into(), period(r.period));
    root.insert("previous_period".into(), period(r.previous));
    root.insert(
        "year_to_date".into(),
        json!({ "from": iso(r.year_from), "to": iso(r.period.to()) }),
    );
    for s in &r.sections {
        root.insert(s.id.key().into(), section_json(s, lang));
    }
    Value::Object(root)
}

fn section_json(s: &Section, lang: Lang) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), json!(section_title(lang, s.id)));
    match &s.body {
        Body::Absent(why) => {
            for k in s.id.count_keys() {
                m.insert((*k).into(), Value::Null);
            }
            m.insert("recorded".into(), json!(false));
            m.insert("reason".into(), json!(why.key()));
            m.insert("reason_text".into(), json!(absent_text(lang, s.id)));
        }
        Body::Present(f) => {
            m.insert("recorded".into(), json!(true));
            let mut previous = Map::new();
            let mut year = Map::new();
            let mut targets = Map::new();
            for c in &f.counts {
                m.insert(c.key.into(), json!(c.now));
                previous.insert(c.key.into(), json!(c.previous));
                year.insert(
                    c.key.into(),
                    match (c.measure, c.year_to_date) {
                        (Measure::Flow, Some(n)) => json!(n),
                        _ => Value::Null,
                    },
                );
                targets.insert(
                    c.key.into(),
                    match c.target {
                        Target::NotSet => Value::Null,
                        Target::Set(goal) => json!(goal),
                    },
                );
            }
            for b in &f.breakdowns {
                let mut now = Map::new();
                let mut before = Map::new();
                for row in &b.rows {
                    now.insert(row.key.clone(), json!(row.now));
                    before.insert(row.key.clone(), json!(row.previous));
                }
                m.insert(b.key.into(), Value::Object(now));
                previous.insert(b.key.into(), Value::Object(before));
            }
            m.insert("previous".into(), Value::Object(previous));
            m.insert("year_to_date".into(), Value::Object(year));
            m.insert("targets".into(), Value::Object(targets));
        }
    }
    Value::Object(m)
}

/// Pretty JSON with a final line break.
pub fn json_text(r: &Report, lang: Lang) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(r, lang)).unwrap_or_default();
    s.push('\n');
    s
}

/// The kind names for the screen's switch.
pub fn kind_name(lang: Lang, k: PeriodKind) -> String {
    t(lang, &format!("report.kind.{}", k.key())).to_string()
}
