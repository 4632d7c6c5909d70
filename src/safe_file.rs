//! Writing a file that holds personal data, whole or not at all: to a temporary file created
//! exclusively, with a random name and mode 0600, in the target's own folder, renamed over the
//! target when complete. Nothing planted at a predictable name can redirect the write, a reader
//! never sees half a file, and a failed or interrupted write leaves the old file as it was (the
//! temporary file is removed on failure; after a kill it stays, named `.koppel-*.tmp`).
//!
//! Shared by the command line (`--output`) and the service (backups). It knows no user-facing
//! text: failures come back as I/O errors or as the writer's own error.

use std::io::{BufWriter, ErrorKind, Write};
use std::path::Path;

/// A failed safe write: of the file itself, or the writer's own failure.
#[derive(Debug)]
pub enum Failed<E> {
    Io(std::io::Error),
    Writer(E),
}

/// Writes the file at `path` with `write` (see the module doc). The folder must exist.
pub fn write_replacing<T, E>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, Failed<E>> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Failed::Io(std::io::Error::new(
            ErrorKind::NotFound,
            format!("the folder {} does not exist", folder.display()),
        )));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".koppel-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(Failed::Io)?;
    let value = {
        let mut out = BufWriter::new(tmp.as_file_mut());
        let value = write(&mut out).map_err(Failed::Writer)?;
        out.flush().map_err(Failed::Io)?;
        value
    };
    tmp.as_file().sync_all().map_err(Failed::Io)?;
    tmp.persist(path).map_err(|e| Failed::Io(e.error))?;
    // The rename itself is durable once the folder is: a power cut then keeps the new file.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(value)
}
