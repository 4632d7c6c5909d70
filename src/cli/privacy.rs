//! `koppel privacy …`: the privacy tools (AVG). `privacy export` writes everything stored
//! about one person (the right of access) as JSON and as a letter in Markdown, in the
//! language of the command. Runs through the one dispatcher, so it works on a store this
//! process opens and through a running server (the attached client writes the files).

use super::dispatch::{Ctx, Io, Opener, say};
use super::{Failure, output, require_store, user};
use crate::i18n::errors::service_error;
use crate::i18n::{t, tf};
use crate::service::{Kind, ServiceError};
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
}

/// Which files an access export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessFormat {
    Json,
    Markdown,
    // FILE.json and FILE.md (no doc comment: clap would show it untranslated).
    Both,
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
        PrivacyCommand::Export {
            person,
            output,
            format,
            reason,
        } => {
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
            let service = store.open(dir, super::WRITE)?;
            let who = user::local_account(&service, &ctx.user, true, lang)?;
            let file = service.access_export(&who, person, &reason);
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
    }
}
