//! The server's host key: an Ed25519 key made on the first start and kept in the store
//! directory as `ssh_host_ed25519_key` (OpenSSH format, mode 0600), so clients see the same
//! server every time. A key file that others may read, or that is not a plain file, is
//! refused rather than used.

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file name in the store directory.
pub const FILE: &str = "ssh_host_ed25519_key";
/// A host key file is a few hundred bytes; more is not a key.
const MAX_BYTES: u64 = 16 * 1024;

/// Why there is no host key.
#[derive(Debug)]
pub enum HostKeyError {
    /// The file exists but may be read by others (mode shown in octal), or is not a file.
    Unsafe { path: PathBuf, mode: u32 },
    /// The file cannot be read or written.
    Io { path: PathBuf, reason: String },
    /// The file holds no usable private key.
    Invalid { path: PathBuf },
}

/// The host key of the store in `dir` and whether it was made now.
pub fn load_or_create(dir: &Path) -> Result<(PrivateKey, bool), HostKeyError> {
    let path = dir.join(FILE);
    let io = |e: std::io::Error| HostKeyError::Io {
        path: path.clone(),
        reason: e.to_string(),
    };
    match std::fs::symlink_metadata(&path) {
        Ok(meta) => {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if !meta.file_type().is_file() || mode & 0o077 != 0 {
                return Err(HostKeyError::Unsafe { path, mode });
            }
            let mut text = String::new();
            std::fs::File::open(&path)
                .and_then(|f| f.take(MAX_BYTES).read_to_string(&mut text))
                .map_err(io)?;
            let key = PrivateKey::from_openssh(text.as_bytes())
                .map_err(|_| HostKeyError::Invalid { path: path.clone() })?;
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            std::fs::File::open("/dev/urandom")
                .and_then(|mut f| f.read_exact(&mut seed))
                .map_err(io)?;
            let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
            seed.fill(0);
            let text = key
                .to_openssh(LineEnding::LF)
                .map_err(|_| HostKeyError::Invalid { path: path.clone() })?;
            write_new(&path, text.as_bytes()).map_err(io)?;
            Ok((key, true))
        }
        Err(e) => Err(io(e)),
    }
}

/// Creates `path` exclusively with mode 0600 (never through a planted link) and makes it
/// durable.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The key's fingerprint as `ssh` shows it when it first meets the server (`SHA256:…`).
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_the_same_on_every_start() {
        let dir = tempfile::tempdir().unwrap();
        let (first, made) = load_or_create(dir.path()).unwrap();
        assert!(made);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let (again, made) = load_or_create(dir.path()).unwrap();
        assert!(!made);
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        // Readable by others: refused, not used.
        std::fs::set_permissions(
            dir.path().join(FILE),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        assert!(matches!(
            load_or_create(dir.path()),
            Err(HostKeyError::Unsafe { mode: 0o644, .. })
        ));
    }

    #[test]
    fn a_link_or_garbage_is_not_a_host_key() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "x").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join(FILE)).unwrap();
        assert!(matches!(
            load_or_create(dir.path()),
            Err(HostKeyError::Unsafe { .. })
        ));
        let other = tempfile::tempdir().unwrap();
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(other.path().join(FILE))
            .and_then(|mut f| f.write_all(b"not a key"))
            .unwrap();
        assert!(matches!(
            load_or_create(other.path()),
            Err(HostKeyError::Invalid { .. })
        ));
    }
}
