//! `koppel user …`: staff accounts from the command line, and who the local user is.

use super::dispatch::{Ctx, Io, Opener, say};
use super::{Failure, require_store};
use crate::domain::staff::{MAX_KEY_LINE, Role, StaffAccount};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{Account, LocalAccount, Service};
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account (administrators only).
    Add {
        /// The login name: lowercase letters, digits and . _ -
        name: String,
        /// The role: intake, consultant, coordinator or admin.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The name colleagues see (default: the login name).
        #[arg(long, value_name = "NAME")]
        display: Option<String>,
        /// An SSH public key: a .pub file, or the key line itself (may be repeated).
        #[arg(long = "key", value_name = "FILE|KEY")]
        keys: Vec<String>,
    },
    /// List the staff accounts with their role and keys.
    List,
    /// Give an account another role (administrators only).
    SetRole { name: String, role: String },
    /// Deactivate an account: it can no longer log in or act (administrators only).
    Deactivate { name: String },
    /// Add an SSH public key to an account (administrators only).
    AddKey {
        name: String,
        /// A .pub file, or the key line itself.
        #[arg(value_name = "FILE|KEY")]
        key: String,
    },
    /// Remove an SSH key from an account (administrators only).
    RemoveKey {
        name: String,
        /// The key's fingerprint (SHA256:…), its comment or its line.
        #[arg(value_name = "FINGERPRINT")]
        key: String,
    },
}

/// The login name of the user running this process (from `USER`, else `LOGNAME`, else the
/// password database, else "local"), before it is made a login name.
pub fn local_user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|n| !n.is_empty())
        .or_else(super::login_name)
        .unwrap_or_else(|| "local".to_string())
}

/// The account the local user acts as in this store (see [`Service::local_account`]), or
/// the sentence why there is none.
pub fn local_account_text(
    service: &Service,
    user: &str,
    create: bool,
    lang: Lang,
) -> Result<Account, String> {
    match service
        .local_account(user, create)
        .map_err(|e| service_error(lang, &e))?
    {
        LocalAccount::Found(a) => Ok(a),
        LocalAccount::Unknown { login } => Err(tf(lang, "user.local_unknown", &[("login", login)])),
        LocalAccount::Deactivated { login } => {
            Err(tf(lang, "user.local_deactivated", &[("login", login)]))
        }
        LocalAccount::NoName { user } => Err(tf(lang, "user.local_no_name", &[("user", user)])),
    }
}

/// [`local_account_text`] as a command's failure.
pub fn local_account(
    service: &Service,
    user: &str,
    create: bool,
    lang: Lang,
) -> Result<Account, Failure> {
    local_account_text(service, user, create, lang).map_err(Failure::runtime)
}

fn role_name(lang: Lang, role: Role) -> String {
    t(lang, &format!("role.{}", role.key())).to_string()
}

fn parse_role(lang: Lang, value: &str) -> Result<Role, Failure> {
    Role::from_key(value.trim()).ok_or_else(|| Failure {
        message: format!(
            "{}\n{}",
            tf(lang, "user.role_invalid", &[("value", value.to_string())]),
            t(lang, "cli_help.see_help")
        ),
        code: 2,
    })
}

/// A key given on the command line: the key line itself, or the path of a file holding it
/// (read bounded: a public key file is one short line).
fn key_text(io: &mut dyn Io, lang: Lang, given: &str) -> Result<String, Failure> {
    let trimmed = given.trim();
    let looks_like_key =
        trimmed.split_whitespace().next().is_some_and(|w| {
            w.starts_with("ssh-") || w.starts_with("ecdsa-") || w.starts_with("sk-")
        }) && trimmed.contains(' ');
    if looks_like_key {
        return Ok(trimmed.to_string());
    }
    let path = Path::new(given);
    let file_error = |reason: String| {
        Failure::runtime(tf(
            lang,
            "user.key_file",
            &[("path", path.display().to_string()), ("reason", reason)],
        ))
    };
    use std::io::Read;
    // Opened by whoever runs the command (the client, when attached to a server); `-` is
    // standard input.
    let file = io.read_file(path).map_err(file_error)?;
    let mut text = String::new();
    file.take(MAX_KEY_LINE as u64 + 2)
        .read_to_string(&mut text)
        .map_err(|e| file_error(e.to_string()))?;
    if text.len() > MAX_KEY_LINE + 1 {
        return Err(Failure::runtime(tf(
            lang,
            "user.key_file_large",
            &[("path", path.display().to_string())],
        )));
    }
    Ok(text)
}

fn keys_text(lang: Lang, n: usize) -> String {
    match n {
        0 => t(lang, "user.keys_none").to_string(),
        1 => t(lang, "user.keys_one").to_string(),
        _ => tf(lang, "user.keys_many", &[("count", n.to_string())]),
    }
}

/// One line per account: login, name, role, keys; the keys' fingerprints below it.
fn list_text(lang: Lang, accounts: &[crate::service::Stored<StaffAccount>]) -> String {
    if accounts.is_empty() {
        return t(lang, "user.list_empty").to_string();
    }
    let width = accounts
        .iter()
        .map(|a| a.data.login.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for a in accounts {
        let a = &a.data;
        let mut line = format!(
            "{:width$}  {}  ({}; {})",
            a.login,
            a.display_name,
            role_name(lang, a.role),
            keys_text(lang, a.keys.len())
        );
        if !a.active {
            line.push_str(&format!(" — {}", t(lang, "user.inactive")));
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for k in &a.keys {
            out.push_str(&format!(
                "{:width$}    {} {} {}\n",
                "",
                k.fingerprint,
                k.algorithm(),
                k.comment()
            ));
        }
    }
    out.pop();
    out
}

/// Runs `koppel user …` for `ctx` (see `super::dispatch`).
pub fn run(
    action: UserCommand,
    ctx: &Ctx,
    store: &mut dyn Opener,
    io: &mut dyn Io,
) -> Result<(), Failure> {
    let (lang, dir) = (ctx.lang, ctx.dir.as_path());
    // A wrong role is a usage error, told before the store is opened.
    let role = match &action {
        UserCommand::Add { role, .. } | UserCommand::SetRole { role, .. } => {
            Some(parse_role(lang, role)?)
        }
        _ => None,
    };
    let keys = match &action {
        UserCommand::Add { keys, .. } => keys
            .iter()
            .map(|k| key_text(io, lang, k))
            .collect::<Result<Vec<_>, _>>()?,
        UserCommand::AddKey { key, .. } => vec![key_text(io, lang, key)?],
        _ => Vec::new(),
    };
    require_store(dir, lang)?;
    let access = if matches!(action, UserCommand::List) {
        super::Access::Read
    } else {
        super::WRITE
    };
    let service = store.open(dir, access)?;
    let result = act(&service, &ctx.user, action, role, &keys, lang);
    store.close(&service)?;
    say(io, lang, &result?)
}

fn act(
    service: &Service,
    user: &str,
    action: UserCommand,
    role: Option<Role>,
    keys: &[String],
    lang: Lang,
) -> Result<String, Failure> {
    let who = local_account(service, user, true, lang)?;
    let failed = |e: crate::service::ServiceError| Failure::runtime(service_error(lang, &e));
    let role = role.unwrap_or(Role::Intake);
    Ok(match action {
        UserCommand::Add { name, display, .. } => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let a = service
                .add_staff(&who, &name, display.as_deref().unwrap_or(""), role, &keys)
                .map_err(failed)?;
            tf(
                lang,
                "user.added",
                &[
                    ("login", a.data.login.clone()),
                    ("name", a.data.display_name.clone()),
                    ("role", role_name(lang, a.data.role)),
                ],
            )
        }
        UserCommand::List => list_text(lang, &service.staff_accounts(&who).map_err(failed)?),
        UserCommand::SetRole { name, .. } => {
            let a = service.set_staff_role(&who, &name, role).map_err(failed)?;
            tf(
                lang,
                "user.role_set",
                &[
                    ("login", a.data.login.clone()),
                    ("role", role_name(lang, a.data.role)),
                ],
            )
        }
        UserCommand::Deactivate { name } => {
            let a = service.deactivate_staff(&who, &name).map_err(failed)?;
            tf(lang, "user.deactivated", &[("login", a.data.login)])
        }
        UserCommand::AddKey { name, .. } => {
            let key = keys.first().map(String::as_str).unwrap_or_default();
            let (a, k) = service.add_staff_key(&who, &name, key).map_err(failed)?;
            tf(
                lang,
                "user.key_added",
                &[("login", a.data.login), ("fingerprint", k.fingerprint)],
            )
        }
        UserCommand::RemoveKey { name, key } => {
            let (a, k) = service
                .remove_staff_key(&who, &name, &key)
                .map_err(failed)?;
            tf(
                lang,
                "user.key_removed",
                &[("login", a.data.login), ("fingerprint", k.fingerprint)],
            )
        }
    })
}
