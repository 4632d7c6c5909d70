//! `koppel audit verify`: checks the hash chain of the audit trail and names every changed,
//! removed or reordered entry (exit 1), or says the chain is sound.

use super::output::say;
use super::{Failure, close, open_service, require_store};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::i18n::errors::{chain_problem_text, service_error};
use crate::i18n::{Lang, tf};
use crate::service::Access;
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit trail's hash chain: every entry unchanged, none removed or moved.
    Verify,
}

pub fn run(
    what: AuditCommand,
    dir: &Path,
    user: &str,
    config: Config,
    clock: SharedClock,
    lang: Lang,
) -> Result<(), Failure> {
    match what {
        AuditCommand::Verify => {
            require_store(dir, lang)?;
            let service = open_service(dir, config, clock, lang, Access::Read)?;
            let who = super::user::local_account(&service, user, false, lang)?;
            let report = service
                .verify_audit(&who)
                .map_err(|e| Failure::runtime(service_error(lang, &e)))?;
            close(&service, lang)?;
            if report.problems.is_empty() {
                return say(
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
