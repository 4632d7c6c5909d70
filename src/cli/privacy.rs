//! `koppel privacy review|export|erase|anonymise` and `koppel compact`, through the one
//! dispatcher. `privacy review` lists what is past its retention period, with the reason, as a
//! table or as JSON, and with `--apply` anonymises it (see `docs/retention.md`). `privacy
//! export` writes everything stored about one person (the right of access) as JSON and as a
//! letter in Markdown, in the language of the command; through a running server the attached
//! client writes the files. Run directly, `privacy erase` and `privacy anonymise` compact the
//! store at once, so what was taken out is gone from its files too; through a running server
//! (which holds the store open) the erasure is done, the store marked as due for a compaction,
//! and the server compacts it when it stops ([`compact_when_due`]), and says so. `compact`
//! itself needs the store to itself: through a server it is refused with a sentence saying
//! that the server will do it.

use super::dispatch::complain;
use super::dispatch::{Ctx, Io, Opener, say};
use super::output;
use super::{Failure, WRITE, require_store, user};
use crate::domain::period::parse_day;
use crate::domain::retention::{Periods, Reason};
use crate::i18n::errors::service_error;
use crate::i18n::retention as words;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{RetentionRow, SharedModel};
use crate::service::Access;
use crate::service::privacy::{Anonymised, Compacted};
use crate::service::{Kind, Service, ServiceError};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;
use time::Date;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// List what is past its retention period, with the reason; with --apply, anonymise it.
    Review {
        /// Write the list as JSON.
        #[arg(long)]
        json: bool,
        /// Count as if today were this day; for looking only.
        #[arg(long, value_name = "DATE", conflicts_with = "apply")]
        today: Option<String>,
        /// Anonymise everything listed (administrators; needs --reason and --yes).
        #[arg(long, requires = "reason")]
        apply: bool,
        /// Why (recorded in the audit trail).
        #[arg(long, value_name = "TEXT", requires = "apply")]
        reason: Option<String>,
        /// Confirm --apply: without it, the list is shown and nothing is changed.
        #[arg(long, requires = "apply")]
        yes: bool,
    },
    /// Write everything stored about one person, for them: JSON and a letter in Markdown.
    Export {
        /// The person's number.
        #[arg(long, value_name = "ID")]
        person: u64,
        /// The file to write (`-` for standard output, one format).
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// json, markdown or both.
        #[arg(
            long,
            value_enum,
            default_value = "both",
            value_name = "json|markdown|both"
        )]
        format: AccessFormat,
        /// Why the export is made (written in the audit log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Erase a person (the right to erasure), then compact the store.
    /// Erase a person (the right to erasure), then compact the store.
    Erase {
        /// The person's number (as the screens and the export show it).
        #[arg(long, value_name = "ID")]
        person: u64,
        /// Why (recorded in the audit trail).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Anonymise a person: kept for the counts, nothing that says who they are.
    Anonymise {
        /// The person's number.
        #[arg(long, value_name = "ID")]
        person: u64,
        /// Why (recorded in the audit trail).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

/// Which files an access export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessFormat {
    Json,
    Markdown,
    // FILE.json and FILE.md (no doc comment: clap would show it untranslated).
    Both,
}

pub fn run(
    what: PrivacyCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (person, reason, erase) = match what {
        PrivacyCommand::Review {
            json,
            today,
            apply,
            reason,
            yes,
        } => {
            let apply = apply.then(|| (reason.unwrap_or_default(), yes));
            return review(ctx, store, io, json, today, apply);
        }
        PrivacyCommand::Export {
            person,
            output,
            format,
            reason,
        } => return export(person, output, format, &reason, ctx, store, io),
        PrivacyCommand::Anonymise { person, reason } => (person, reason, false),
        PrivacyCommand::Erase { person, reason } => (person, reason, true),
    };
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    require_store(dir, lang)?;
    let service = store.open(dir, WRITE)?;
    let who = user::local_account(&service, &ctx.user, true, lang)?;
    let fail = |e| Failure::runtime(service_error(lang, &e));
    let done = if erase {
        let done = service.erase_person(&who, person, &reason).map_err(fail)?;
        say(io, lang, &outcome(lang, "cli.erased", person, &done))?;
        done
    } else {
        let done = service
            .anonymise_person(&who, person, &reason)
            .map_err(fail)?;
        say(io, lang, &outcome(lang, "cli.anonymised", person, &done))?;
        done
    };
    finish(service, &who, store, io, lang, !done.is_empty())
}

/// The end of a command that took personal data out (`changed`): a store this process holds
/// is compacted when that left a compaction due; through a server it is said that the server
/// compacts when it stops.
fn finish(
    service: Service,
    who: &crate::service::Account,
    store: &mut dyn Opener,
    io: &mut dyn Io,
    lang: Lang,
    changed: bool,
) -> Result<(), Failure> {
    if store.owns_store() {
        match service
            .compact_if_due(who)
            .map_err(|e| Failure::runtime(service_error(lang, &e)))?
        {
            Some(c) => say(io, lang, &compacted(lang, &c)),
            None => store.close(&service),
        }
    } else {
        store.close(&service)?;
        if changed {
            say(io, lang, t(lang, "cli.compact_later"))?;
        }
        Ok(())
    }
}

/// `koppel privacy export`: the right of access (see the module doc).
fn export(
    person: u64,
    output: PathBuf,
    format: AccessFormat,
    reason: &str,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    let stdout = output.as_os_str() == "-";
    if stdout && format == AccessFormat::Both {
        return Err(Failure {
            message: format!(
                "{}\n{}",
                t(lang, "access_export.stdout_needs_format"),
                t(lang, "cli_help.see_help")
            ),
            code: 2,
        });
    }
    require_store(dir, lang)?;
    let service = store.open(dir, WRITE)?;
    let who = user::local_account(&service, &ctx.user, true, lang)?;
    let file = service.access_export(&who, person, reason);
    store.close(&service)?;
    let file = file.map_err(|e| match e {
        ServiceError::NotFound {
            kind: Kind::Volunteer,
            id,
        } => Failure::runtime(tf(
            lang,
            "access_export.no_person",
            &[("id", id.to_string())],
        )),
        e => Failure::runtime(service_error(lang, &e)),
    })?;
    let json = crate::report::access::json(&file);
    let letter = crate::report::access::letter(&file, lang);
    if stdout {
        let text = match format {
            AccessFormat::Json => json,
            _ => letter,
        };
        let out = io.out();
        return out
            .write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| output::stdout_failure(lang, &e));
    }
    let mut write = |path: &PathBuf, text: &str| {
        io.write_file(path, &mut |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| output::file_failure(lang, path, &e))
        })
    };
    let name = file.person.data.name.full();
    match format {
        AccessFormat::Both => {
            let (md, js) = (output.with_extension("md"), output.with_extension("json"));
            write(&js, &json)?;
            write(&md, &letter)?;
            say(
                io,
                lang,
                &tf(
                    lang,
                    "access_export.written",
                    &[
                        ("name", name),
                        ("path", md.display().to_string()),
                        ("json", js.display().to_string()),
                    ],
                ),
            )
        }
        AccessFormat::Json | AccessFormat::Markdown => {
            let text = if format == AccessFormat::Json {
                json
            } else {
                letter
            };
            write(&output, &text)?;
            say(
                io,
                lang,
                &tf(
                    lang,
                    "access_export.written_one",
                    &[("path", output.display().to_string())],
                ),
            )
        }
    }
}

/// `koppel compact`: only on a store this process holds; a server's is refused.
pub fn compact(ctx: &Ctx, store: &mut dyn Opener, io: &mut dyn Io) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    require_store(dir, lang)?;
    if !store.owns_store() {
        return Err(Failure::runtime(t(lang, "cli.compact_served").to_string()));
    }
    let service: Service = store.open(dir, WRITE)?;
    let who = user::local_account(&service, &ctx.user, true, lang)?;
    let c = service
        .compact(&who)
        .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
    say(io, lang, &compacted(lang, &c))
}

/// At the end of `koppel serve` and of the screens (and when the server starts after it was
/// killed): compacts the store when something was erased or anonymised since the last
/// compaction (`Service::compact_if_due`), saying so first with `say`, as it can take a while,
/// and then how long it took. A failure is said with `complain`; the store keeps its mark, so
/// the next close tries again. Whether a compaction was tried: the service's store may then
/// be closed.
pub fn compact_when_due(
    service: &Service,
    who: &crate::service::Account,
    lang: Lang,
    say: &dyn Fn(&str),
    complain: &dyn Fn(&str),
) -> bool {
    if !service.compaction_due().unwrap_or(false) {
        return false;
    }
    say(t(lang, "cli.compacting_due"));
    let started = std::time::Instant::now();
    match service.compact_if_due(who) {
        Ok(Some(c)) => say(&tf(
            lang,
            "cli.compacted_due",
            &[
                (
                    "seconds",
                    crate::i18n::seconds_text(lang, started.elapsed()),
                ),
                ("before", crate::i18n::size_text(lang, c.before)),
                ("after", crate::i18n::size_text(lang, c.after)),
            ],
        )),
        Ok(None) => {}
        Err(e) => complain(&format!(
            "{} {}",
            service_error(lang, &e),
            t(lang, "cli.compact_due_failed")
        )),
    }
    true
}

fn outcome(lang: Lang, key: &str, person: u64, done: &Anonymised) -> String {
    tf(
        lang,
        key,
        &[
            ("id", person.to_string()),
            ("records", done.records.len().to_string()),
            ("audit", done.redacted.to_string()),
            ("mentions", done.scrubbed.len().to_string()),
        ],
    )
}

fn compacted(lang: Lang, c: &Compacted) -> String {
    tf(
        lang,
        "cli.compacted",
        &[
            ("before", crate::i18n::size_text(lang, c.before)),
            ("after", crate::i18n::size_text(lang, c.after)),
        ],
    )
}

/// `koppel privacy review`: the list, printed; with `apply` (the reason, and whether it was
/// confirmed with `--yes`) every record listed is anonymised, and a store this process holds
/// is compacted afterwards so the old versions leave its files.
fn review(
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
    json: bool,
    today: Option<String>,
    apply: Option<(String, bool)>,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
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
    let writes = matches!(apply, Some((_, true)));
    let service = store.open(dir, if writes { super::WRITE } else { Access::Read })?;
    // Only a confirmed --apply writes: otherwise, in a store without accounts, none is made.
    let who = user::local_account(&service, &ctx.user, writes, lang)?;
    let fail = |e| Failure::runtime(service_error(lang, &e));
    let source = service.retention_source(&who).map_err(fail)?;
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
    let text = if json {
        json_text(lang, today, periods, &rows)
    } else {
        table_text(lang, today, periods, &rows)
    };
    let printed = {
        let out = io.out();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| output::stdout_failure(lang, &e))
    };
    let Some((reason, confirmed)) = apply.filter(|_| !rows.is_empty()) else {
        store.close(&service)?;
        return printed;
    };
    printed?;
    let count = crate::i18n::fmt_count(lang, rows.len() as u64);
    if !confirmed {
        store.close(&service)?;
        return Err(Failure {
            message: tf(lang, "retention.confirm_needed", &[("count", count)]),
            code: 2,
        });
    }
    for (done, r) in rows.iter().enumerate() {
        if let Err(e) = service.anonymise_record(&who, r.kind, r.id, &reason) {
            let _ = store.close(&service);
            return Err(Failure::runtime(format!(
                "{}\n{}",
                tf(
                    lang,
                    "retention.apply_stopped",
                    &[("done", crate::i18n::fmt_count(lang, done as u64))]
                ),
                service_error(lang, &e)
            )));
        }
    }
    let key = if rows.len() == 1 {
        "retention.applied_cli_one"
    } else {
        "retention.applied_cli"
    };
    say(io, lang, &tf(lang, key, &[("count", count)]))?;
    finish(service, &who, store, io, lang, true)
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
