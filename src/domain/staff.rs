//! Staff accounts: the people who work with koppel, each with a login name, the name shown to
//! colleagues, a role, whether the account may still be used, and the SSH public keys it logs
//! in with when koppel runs as a server.
//!
//! Login names are what `ssh NAME@host` and the audit trail use: lowercase letters, digits and
//! `.`, `_`, `-`, starting with a letter or digit, at most [`MAX_LOGIN`] characters. A key is
//! kept as its OpenSSH line (`ssh-ed25519 AAAA… comment`) with its SHA-256 fingerprint, the
//! form `ssh-keygen -l` and an SSH client show.

use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// The longest login name.
pub const MAX_LOGIN: usize = 32;
/// The longest display name.
pub const MAX_DISPLAY: usize = 80;
/// The longest key line accepted (an RSA key of 16384 bits is about 2,800 characters).
pub const MAX_KEY_LINE: usize = 8192;
/// At most this many keys per account.
pub const MAX_KEYS: usize = 32;

/// What an account may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Front desk: registers and edits volunteers.
    Intake,
    /// Trajectbegeleider: as intake, plus trajectories of their own caseload.
    Consultant,
    /// Reviews caseloads, exports reports and personal data.
    Coordinator,
    /// Everything, including import and accounts.
    Admin,
}

impl Role {
    /// Every role, from the fewest rights to the most.
    pub const ALL: [Role; 4] = [
        Role::Intake,
        Role::Consultant,
        Role::Coordinator,
        Role::Admin,
    ];

    /// The stable name: exports, the command line (`--role`) and catalog keys (`role.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Intake => "intake",
            Role::Consultant => "consultant",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// The role with this stable name.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One SSH public key of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKey {
    /// The key in OpenSSH's one-line form, `algorithm base64 [comment]`, as checked.
    pub line: String,
    /// `SHA256:` and the unpadded base64 of the key's SHA-256 hash.
    pub fingerprint: String,
}

impl SshKey {
    /// Reads an OpenSSH public key line (as in `~/.ssh/id_ed25519.pub` or `authorized_keys`,
    /// without options). Spaces around it are ignored; anything else that is not a key of a
    /// known algorithm is refused.
    pub fn parse(raw: &str) -> Result<SshKey, Problem> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        if text.len() > MAX_KEY_LINE || text.chars().any(|c| c.is_control()) {
            return Err(Problem::SshKey);
        }
        let key = ssh_key::PublicKey::from_openssh(text).map_err(|_| Problem::SshKey)?;
        if matches!(key.algorithm(), ssh_key::Algorithm::Other(_)) {
            return Err(Problem::SshKey);
        }
        let line = key.to_openssh().map_err(|_| Problem::SshKey)?;
        let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
        Ok(SshKey { line, fingerprint })
    }

    /// The algorithm's name (`ssh-ed25519`).
    pub fn algorithm(&self) -> &str {
        self.line.split(' ').next().unwrap_or_default()
    }

    /// The comment after the key (often `user@host`), if any.
    pub fn comment(&self) -> &str {
        self.line.splitn(3, ' ').nth(2).unwrap_or_default()
    }

    /// Whether `what` names this key: its fingerprint (with or without `SHA256:`), its whole
    /// line, or its comment.
    pub fn is_named_by(&self, what: &str) -> bool {
        let what = what.trim();
        if what.is_empty() {
            return false;
        }
        let bare = self
            .fingerprint
            .strip_prefix("SHA256:")
            .unwrap_or(&self.fingerprint);
        what == self.fingerprint
            || what == bare
            || what == self.comment()
            || SshKey::parse(what).is_ok_and(|k| k.fingerprint == self.fingerprint)
    }
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    /// The login name: unique, lowercase, never changed once made.
    pub login: String,
    /// The name colleagues see (lists, the audit trail's readers).
    pub display_name: String,
    pub role: Role,
    /// A deactivated account cannot log in or act; it stays for the history it made.
    pub active: bool,
    pub keys: Vec<SshKey>,
}

/// Checks a login name: `Problem::Required`, `TooLong` or `LoginName` when it is not one.
pub fn check_login(raw: &str) -> Result<String, Problem> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Problem::Required);
    }
    if name.chars().count() > MAX_LOGIN {
        return Err(Problem::TooLong { max: MAX_LOGIN });
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !first_ok || !name.chars().all(allowed) {
        return Err(Problem::LoginName);
    }
    Ok(name.to_string())
}

/// A login name made from a system user name (`Jan.Jansen` → `jan.jansen`), or `None` when
/// nothing usable is left.
pub fn login_from_user_name(user: &str) -> Option<String> {
    let lowered: String = user
        .trim()
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(*c))
        .take(MAX_LOGIN)
        .collect();
    let trimmed = lowered.trim_start_matches(['.', '_', '-']);
    check_login(trimmed).ok()
}

impl StaffAccount {
    /// A new, active account without keys, or every problem with its fields.
    pub fn new(
        login: &str,
        display_name: &str,
        role: Role,
        keys: &[&str],
    ) -> Result<StaffAccount, Vec<FieldError>> {
        let mut problems = Vec::new();
        let login = check_login(login)
            .map_err(|p| problems.push(FieldError::new(Field::Login, p)))
            .unwrap_or_default();
        let display = match check_display(display_name) {
            Ok(d) if d.is_empty() => login.clone(),
            Ok(d) => d,
            Err(p) => {
                problems.push(FieldError::new(Field::DisplayName, p));
                String::new()
            }
        };
        let mut parsed: Vec<SshKey> = Vec::new();
        for k in keys {
            match SshKey::parse(k) {
                Ok(k) if parsed.iter().any(|p| p.fingerprint == k.fingerprint) => {}
                Ok(k) => parsed.push(k),
                Err(p) => problems.push(FieldError::new(Field::SshKey, p)),
            }
        }
        if parsed.len() > MAX_KEYS {
            problems.push(FieldError::new(
                Field::SshKey,
                Problem::Range {
                    min: 0,
                    max: MAX_KEYS as u32,
                },
            ));
        }
        if problems.is_empty() {
            Ok(StaffAccount {
                login,
                display_name: display,
                role,
                active: true,
                keys: parsed,
            })
        } else {
            Err(problems)
        }
    }

    /// Every problem of a stored or imported account (as import checks it).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Err(p) = check_login(&self.login).and_then(|l| {
            if l == self.login {
                Ok(l)
            } else {
                Err(Problem::LoginName)
            }
        }) {
            out.push(FieldError::new(Field::Login, p));
        }
        match check_display(&self.display_name) {
            Ok(d) if d.is_empty() => {
                out.push(FieldError::new(Field::DisplayName, Problem::Required))
            }
            Ok(_) => {}
            Err(p) => out.push(FieldError::new(Field::DisplayName, p)),
        }
        for k in &self.keys {
            match SshKey::parse(&k.line) {
                Ok(p) if p == *k => {}
                _ => out.push(FieldError::new(Field::SshKey, Problem::SshKey)),
            }
        }
        if self.keys.len() > MAX_KEYS {
            out.push(FieldError::new(
                Field::SshKey,
                Problem::Range {
                    min: 0,
                    max: MAX_KEYS as u32,
                },
            ));
        }
        out
    }

    /// The key with this fingerprint, if the account has it.
    pub fn key_with(&self, fingerprint: &str) -> Option<&SshKey> {
        self.keys.iter().find(|k| k.fingerprint == fingerprint)
    }
}

/// A display name: spaces collapsed, no control characters, at most [`MAX_DISPLAY`]
/// characters; may be empty (then the login name is shown).
pub fn check_display(raw: &str) -> Result<String, Problem> {
    if raw.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    let value = super::name::collapse_spaces(raw);
    if value.chars().count() > MAX_DISPLAY {
        return Err(Problem::TooLong { max: MAX_DISPLAY });
    }
    Ok(value)
}

/// A valid ed25519 key for tests (from `ssh-keygen -t ed25519`).
#[cfg(test)]
pub const SAMPLE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDrtXW3WxbjKmUTFNmY84ofxf0A8Ec9dYAsulAVo0TVb test@example";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_are_lowercase_letters_digits_and_dot_underscore_dash() {
        assert_eq!(
            check_login(" anna.de-vries_2 "),
            Ok("anna.de-vries_2".into())
        );
        assert_eq!(check_login("Anna"), Err(Problem::LoginName));
        assert_eq!(check_login("an na"), Err(Problem::LoginName));
        assert_eq!(check_login("-anna"), Err(Problem::LoginName));
        assert_eq!(check_login("anna@host"), Err(Problem::LoginName));
        assert_eq!(check_login("ännä"), Err(Problem::LoginName));
        assert_eq!(check_login(""), Err(Problem::Required));
        assert_eq!(
            check_login(&"a".repeat(MAX_LOGIN + 1)),
            Err(Problem::TooLong { max: MAX_LOGIN })
        );
    }

    #[test]
    fn a_system_user_name_becomes_a_login_name() {
        assert_eq!(
            login_from_user_name("Jan.Jansen"),
            Some("jan.jansen".into())
        );
        assert_eq!(login_from_user_name("_svc"), Some("svc".into()));
        assert_eq!(login_from_user_name("ééé"), None);
    }

    #[test]
    fn a_key_is_checked_and_fingerprinted_like_ssh_keygen() {
        let k = SshKey::parse(&format!("  {SAMPLE_KEY}\n")).unwrap();
        assert_eq!(k.algorithm(), "ssh-ed25519");
        assert_eq!(k.comment(), "test@example");
        // What `ssh-keygen -lf` says of this key.
        assert_eq!(
            k.fingerprint,
            "SHA256:kaSnovUU9eGiRcFTij60oy8jtQwOro9c/TNgyeA2ig4"
        );
        assert!(k.is_named_by(&k.fingerprint));
        assert!(k.is_named_by("test@example"));
        assert!(!k.is_named_by("someone@else"));
        // The base64 with one character changed is another key or none at all.
        let broken = SAMPLE_KEY.replace("AAAAIDrt", "AAAAIDru");
        assert_ne!(
            SshKey::parse(&broken).map(|k| k.fingerprint),
            Ok(k.fingerprint)
        );
        for bad in [
            "",
            "ssh-ed25519",
            "ssh-ed25519 not-base64!",
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIDrtXW3WxbjKmUTFNmY84ofxf0A8Ec9dYAsulAVo0TVb",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDrtXW3WxbjKmUTFNmY84ofxf0A8Ec9dYAsulAVo0TVb a\nb",
        ] {
            assert!(SshKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_new_account_reports_every_bad_field() {
        let e = StaffAccount::new("Bad Name", "x\u{7}", Role::Intake, &["nope"]).unwrap_err();
        let fields: Vec<Field> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Login, Field::DisplayName, Field::SshKey]);
        let a = StaffAccount::new("anna", "", Role::Consultant, &[SAMPLE_KEY, SAMPLE_KEY]).unwrap();
        assert_eq!(a.display_name, "anna");
        assert_eq!(a.keys.len(), 1, "the same key twice is kept once");
        assert!(a.active);
        assert!(a.problems().is_empty());
    }
}
