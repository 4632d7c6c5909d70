//! `koppel audit verify`: checks the hash chain of the audit trail and names every changed,
//! removed or reordered entry (exit 1), or says the chain is sound. Runs through the one
//! dispatcher, so it works on a store this process opens and through a running server.

use super::Failure;
use super::dispatch::{Ctx, Io, Opener, say};
use super::{require_store, user};
use crate::i18n::errors::{chain_problem_text, service_error};
use crate::i18n::tf;
use crate::service::Access;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit trail's hash chain: every entry unchanged, none removed or moved.
    Verify,
}

pub fn run(
    what: AuditCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    match what {
        AuditCommand::Verify => {
            require_store(dir, lang)?;
            let service = store.open(dir, Access::Read)?;
            // Reading writes nothing: in a store without accounts, no account is made.
            let who = user::local_account(&service, &ctx.user, false, lang)?;
            let report = service
                .verify_audit(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            store.close(&service)?;
            if report.problems.is_empty() {
                return say(
                    io,
                    lang,
                    &tf(
                        lang,
                        "audit_chain.sound",
                        &[
                            ("count", report.entries.to_string()),
                            ("head", report.head.clone()),
                        ],
                    ),
                );
            }
            let mut msg = tf(
                lang,
                "audit_chain.broken",
                &[("count", report.problems.len().to_string())],
            );
            for p in &report.problems {
                msg.push_str("\n- ");
                msg.push_str(&chain_problem_text(lang, p));
            }
            Err(Failure::runtime(msg))
        }
    }
}
