//! `koppel privacy …`: the privacy (AVG) tools. `privacy review` lists what is past its
//! retention period, with the reason, as a table or as JSON. Runs through the one dispatcher,
//! so it works on a store this process opens and through a running server.

use super::dispatch::{Ctx, Io, Opener, complain};
use super::{Failure, output, require_store, user};
use crate::domain::period::parse_day;
use crate::domain::retention::{Periods, Reason};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, retention as words, t, tf};
use crate::readmodel::{RetentionRow, SharedModel};
use crate::service::Access;
use clap::Subcommand;
use time::Date;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// List what is past its retention period, with the reason.
    Review {
        /// Write the list as JSON.
        #[arg(long)]
        json: bool,
        /// Count as if today were this day; for looking only.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
}

/// Runs `koppel privacy …` for `ctx` (see `super::dispatch`).
pub fn run(
    what: PrivacyCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    match what {
        PrivacyCommand::Review { json, today } => {
            let today = match today {
                Some(s) => parse_day(&s).map_err(|_| Failure {
                    message: format!(
                        "{}\n{}",
                        tf(lang, "retention.bad_day", &[("value", s.clone())]),
                        t(lang, "cli_help.see_help")
                    ),
                    code: 2,
                })?,
                None => ctx.clock.today(),
            };
            require_store(dir, lang)?;
            let service = store.open(dir, Access::Read)?;
            // Reading writes nothing: in a store without accounts, no account is made.
            let who = user::local_account(&service, &ctx.user, false, lang)?;
            let source = service
                .retention_source(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            let periods = service.retention_periods();
            let model = SharedModel::load_now(&source);
            let rows = {
                let m = model.read();
                for p in &m.load_problems {
                    complain(
                        io,
                        &tf(lang, "cli_report.skipped", &[("reason", p.clone())]),
                    );
                }
                m.past_retention(today, periods)
            };
            model.shutdown();
            drop(source);
            store.close(&service)?;
            let text = if json {
                json_text(lang, today, periods, &rows)
            } else {
                table_text(lang, today, periods, &rows)
            };
            let out = io.out();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| output::stdout_failure(lang, &e))
        }
    }
}

/// The list as a table people read: a sentence, the periods, and a row per record.
pub fn table_text(lang: Lang, today: Date, periods: Periods, rows: &[RetentionRow]) -> String {
    let date = crate::domain::format_date(today);
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str(&tf(lang, "retention.none", &[("date", date)]));
    } else if rows.len() == 1 {
        out.push_str(&tf(lang, "retention.found_one", &[("date", date)]));
    } else {
        out.push_str(&tf(
            lang,
            "retention.found_many",
            &[("date", date), ("count", rows.len().to_string())],
        ));
    }
    out.push('\n');
    out.push_str(&tf(
        lang,
        "retention.periods",
        &words::period_params(lang, periods),
    ));
    out.push('\n');
    if rows.is_empty() {
        return out;
    }
    let header = [
        t(lang, "retention.col_kind").to_string(),
        t(lang, "retention.col_id").to_string(),
        t(lang, "retention.col_name").to_string(),
        t(lang, "retention.col_reason").to_string(),
    ];
    let lines: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                words::kind(lang, r.kind),
                r.id.to_string(),
                r.name.clone(),
                words::reason(lang, r.reason),
            ]
        })
        .collect();
    let mut widths = [0usize; 3];
    for line in std::iter::once(&header).chain(&lines) {
        for (w, cell) in widths.iter_mut().zip(line.iter()) {
            *w = (*w).max(cell.width());
        }
    }
    out.push('\n');
    for line in std::iter::once(&header).chain(&lines) {
        for (i, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(i) {
                out.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        out.push('\n');
    }
    out
}

/// The list as JSON: the day, the periods and every record with its reason (dates as
/// `YYYY-MM-DD`), for scripts.
pub fn json_text(lang: Lang, today: Date, periods: Periods, rows: &[RetentionRow]) -> String {
    let iso = |d: Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let mut item = serde_json::json!({
                "kind": r.kind.as_str(),
                "id": r.id,
                "person": r.person,
                "name": r.name,
                "from": iso(r.reason.from()),
                "years": r.reason.years(),
                "ended": iso(r.reason.ended()),
                "reason_text": words::reason(lang, r.reason),
            });
            let (reason, last) = match r.reason {
                Reason::Inactive { last, .. } => ("inactive", Some(last.key())),
                Reason::Closed { .. } => ("closed", None),
                Reason::Dated { .. } => ("dated", None),
            };
            item["reason"] = reason.into();
            if let Some(last) = last {
                item["last_activity"] = last.into();
            }
            item
        })
        .collect();
    let doc = serde_json::json!({
        "today": iso(today),
        "periods": {
            "people_years": periods.people_years,
            "trajectories_years": periods.trajectories_years,
            "contacts_years": periods.contacts_years,
        },
        "items": items,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
