//! `koppel privacy export|erase|anonymise` and `koppel compact`: the right of access, the
//! right to erasure and compaction, through the one dispatcher. `privacy export` writes
//! everything stored about one person (the right of access) as JSON and as a letter in
//! Markdown, in the language of the command; through a running server the attached client
//! writes the files. Run directly, `privacy erase` compacts the store
//! at once, so the erased data is gone from its files too; through a running server (which
//! holds the store open) the erasure is done and compaction is left for when the server is
//! stopped, and said so. `compact` itself needs the store to itself: through a server it is
//! refused with a sentence saying what to do.

use super::dispatch::{Ctx, Io, Opener, say};
use super::{Failure, WRITE, output, require_store, user};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::privacy::{Anonymised, Compacted};
use crate::service::{Kind, Service, ServiceError};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
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
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    if let PrivacyCommand::Export {
        person,
        output,
        format,
        reason,
    } = what
    {
        return export(person, output, format, &reason, ctx, store, io);
    }
    require_store(dir, lang)?;
    let service = store.open(dir, WRITE)?;
    let who = user::local_account(&service, &ctx.user, true, lang)?;
    let fail = |e| Failure::runtime(service_error(lang, &e));
    match what {
        PrivacyCommand::Export { .. } => Ok(()),
        PrivacyCommand::Anonymise { person, reason } => {
            let done = service
                .anonymise_person(&who, person, &reason)
                .map_err(fail)?;
            store.close(&service)?;
            say(io, lang, &outcome(lang, "cli.anonymised", person, &done))
        }
        PrivacyCommand::Erase { person, reason } => {
            let done = service.erase_person(&who, person, &reason).map_err(fail)?;
            say(io, lang, &outcome(lang, "cli.erased", person, &done))?;
            if store.owns_store() {
                let c = service.compact(&who).map_err(fail)?;
                say(io, lang, &compacted(lang, &c))
            } else {
                store.close(&service)?;
                say(io, lang, t(lang, "cli.compact_later"))
            }
        }
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
