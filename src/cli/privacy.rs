//! `koppel privacy erase|anonymise` and `koppel compact`: the right to erasure and
//! compaction, through the one dispatcher. Run directly, `privacy erase` compacts the store
//! at once, so the erased data is gone from its files too; through a running server (which
//! holds the store open) the erasure is done and compaction is left for when the server is
//! stopped, and said so. `compact` itself needs the store to itself: through a server it is
//! refused with a sentence saying what to do.

use super::dispatch::{Ctx, Io, Opener, say};
use super::{Failure, WRITE, require_store, user};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::Service;
use crate::service::privacy::{Anonymised, Compacted};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
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

pub fn run(
    what: PrivacyCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    require_store(dir, lang)?;
    let service = store.open(dir, WRITE)?;
    let who = user::local_account(&service, &ctx.user, true, lang)?;
    let fail = |e| Failure::runtime(service_error(lang, &e));
    match what {
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
