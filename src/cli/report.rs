//! `koppel report weekly|period`: the summary of a period, counted from the read model as the
//! screens count it, written to standard output or (safely) to a file.

use super::dispatch::{Ctx, Io, Opener, complain};
use super::output;
use super::{Failure, require_store};
use crate::clock::SharedClock;
use crate::domain::period::{Period, PeriodError, PeriodKind, parse_day};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::SharedModel;
use crate::report::Report;
use crate::report::render::{CsvOptions, Format, render};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The summary of one ISO week (default: the last completed week).
    Weekly {
        /// The week, as 2026-W48.
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        #[command(flatten)]
        out: ReportOutput,
    },
    /// The summary of a month, a quarter, a year or any range of days.
    #[command(group = clap::ArgGroup::new("span").required(true).args(["month", "quarter", "year", "from"]))]
    Period {
        /// A month, as 2026-11.
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// A quarter, as 2026-Q4.
        #[arg(long, value_name = "YYYY-Qn")]
        quarter: Option<String>,
        /// A year, as 2026.
        #[arg(long, value_name = "YYYY")]
        year: Option<String>,
        /// First day of a range (27-11-2026 or 2026-11-27), with --to.
        #[arg(long, value_name = "DATE", requires = "to")]
        from: Option<String>,
        /// Last day of a range, included.
        #[arg(long, value_name = "DATE", requires = "from")]
        to: Option<String>,
        #[command(flatten)]
        out: ReportOutput,
    },
}

/// Where and how the report is written.
#[derive(Debug, Args)]
pub struct ReportOutput {
    /// md (Markdown, for e-mail), csv (for spreadsheets) or json.
    #[arg(long, value_name = "md|csv|json", default_value = "md", value_parser = parse_format)]
    format: Format,
    /// The file to write (default: standard output).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The CSV field separator: , (default) or ; (what Excel expects in Dutch settings).
    #[arg(long, value_name = "CHAR", value_parser = parse_separator)]
    csv_separator: Option<u8>,
    /// Start a CSV file with a UTF-8 byte order mark (Excel then reads accents right).
    #[arg(long)]
    bom: bool,
    /// Count as if today were this day (default: today); decides the last completed week.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("\"{s}\" is not a report format"))
}

fn parse_separator(s: &str) -> Result<u8, String> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "\\t" | "\t" | "tab" => Ok(b'\t'),
        _ => Err(format!("\"{s}\" is not a separator")),
    }
}

/// A usage error (exit 2) for a period that cannot be made.
fn period_failure(lang: Lang, e: &PeriodError) -> Failure {
    let message = match e {
        PeriodError::Format { kind, input } => tf(
            lang,
            &format!("cli_report.bad_{}", kind.key()),
            &[("value", input.clone())],
        ),
        PeriodError::NoSuchWeek { year, week, weeks } => tf(
            lang,
            "cli_report.no_such_week",
            &[
                ("year", year.to_string()),
                ("week", week.to_string()),
                ("weeks", weeks.to_string()),
            ],
        ),
        PeriodError::FromAfterTo { from, to } => tf(
            lang,
            "cli_report.from_after_to",
            &[
                ("from", crate::domain::format_date(*from)),
                ("to", crate::domain::format_date(*to)),
            ],
        ),
    };
    Failure {
        message: format!("{message}\n{}", t(lang, "cli_help.see_help")),
        code: 2,
    }
}

/// Runs `koppel report …` for `ctx` (see `super::dispatch`).
pub fn run(
    what: ReportCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, clock, dir) = (ctx.lang, &ctx.clock, ctx.dir.as_path());
    let (period, out) = match what {
        ReportCommand::Weekly { week, out } => {
            let period = match week {
                Some(w) => Period::parse_week(&w).map_err(|e| period_failure(lang, &e))?,
                None => Period::last_completed_week(today(&out, clock, lang)?),
            };
            (period, out)
        }
        ReportCommand::Period {
            month,
            quarter,
            year,
            from,
            to,
            out,
        } => {
            let period = match (month, quarter, year, from, to) {
                (Some(m), ..) => Period::parse_month(&m),
                (_, Some(q), ..) => Period::parse_quarter(&q),
                (_, _, Some(y), ..) => Period::parse_year(&y),
                (_, _, _, Some(f), Some(t)) => Period::parse_range(&f, &t),
                // clap requires one of them (and --to with --from).
                _ => Err(PeriodError::Format {
                    kind: PeriodKind::Range,
                    input: String::new(),
                }),
            }
            .map_err(|e| period_failure(lang, &e))?;
            (period, out)
        }
    };
    if out.csv_separator.is_some() && out.format != Format::Csv {
        return Err(Failure {
            message: format!(
                "{}\n{}",
                t(lang, "cli_report.separator_needs_csv"),
                t(lang, "cli_help.see_help")
            ),
            code: 2,
        });
    }
    require_store(dir, lang)?;
    let service = store.open(dir, super::Access::Read)?;
    let who = super::user::local_account(&service, &ctx.user, false, lang)?;
    let source = service
        .report_source(&who)
        .map_err(|e| Failure::runtime(crate::i18n::errors::service_error(lang, &e)))?;
    // The same rows the screens read, loaded once.
    let model = SharedModel::load_now(&source);
    let report = {
        let m = model.read();
        for p in &m.load_problems {
            complain(
                io,
                &tf(lang, "cli_report.skipped", &[("reason", p.clone())]),
            );
        }
        Report::compute(&m, period)
    };
    model.shutdown();
    store.close(&service)?;
    let csv = CsvOptions {
        separator: out.csv_separator.unwrap_or(b','),
        bom: out.bom,
    };
    let bytes = render(&report, out.format, lang, csv);
    let print = |io: &mut dyn Io| {
        let out = io.out();
        out.write_all(&bytes)
            .and_then(|()| out.flush())
            .map_err(|e| output::stdout_failure(lang, &e))
    };
    match out.output {
        None => print(io),
        Some(path) if path.as_os_str() == "-" => print(io),
        Some(path) => {
            io.write_file(&path, &mut |w| {
                w.write_all(&bytes)
                    .map_err(|e| output::file_failure(lang, &path, &e))
            })?;
            super::dispatch::say(
                io,
                lang,
                &tf(
                    lang,
                    "cli_report.written",
                    &[
                        ("path", path.display().to_string()),
                        ("name", crate::report::render::title(lang, &report)),
                    ],
                ),
            )
        }
    }
}

/// `--today`, else the clock's today.
fn today(out: &ReportOutput, clock: &SharedClock, lang: Lang) -> Result<time::Date, Failure> {
    match &out.today {
        Some(s) => parse_day(s).map_err(|e| period_failure(lang, &e)),
        None => Ok(clock.today()),
    }
}
