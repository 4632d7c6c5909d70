//! Lines in TOML text, for error messages that name the line of a mistake.
//!
//! Owns the one byte-offset → line computation shared by the configuration file, the keymap
//! files and anything else that reports where in a TOML file something is wrong, and the one
//! bounded reader of those files ([`read_text_file`]). It knows no file format and no
//! user-facing text.

/// The 1-based line of byte `offset` in `src` (an offset past the end counts as the end).
pub fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Where each line of a text starts, to find the line of many offsets in one text in
/// logarithmic time each ([`line_of`] counts from the start every time, which made a keymap of
/// 40,000 bindings take 39 seconds).
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn new(src: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts(starts)
    }

    /// The 1-based line of byte `offset`, as [`line_of`] says.
    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset)
    }
}

/// The 1-based line where a TOML parse error lies, when the parser knows it.
pub fn error_line(src: &str, error: &toml::de::Error) -> Option<usize> {
    error.span().map(|s| line_of(src, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_agree_with_line_of() {
        for src in ["", "a", "a\n", "ab\ncd\n\nef", "\n\n\n"] {
            let starts = LineStarts::new(src);
            for offset in 0..src.len() + 3 {
                assert_eq!(
                    starts.line(offset),
                    line_of(src, offset),
                    "{src:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn lines_count_from_one_and_stop_at_the_end() {
        let src = "a = 1\nb = 2\n";
        assert_eq!(line_of(src, 0), 1);
        assert_eq!(line_of(src, 5), 1, "the newline itself is still line 1");
        assert_eq!(line_of(src, 6), 2);
        assert_eq!(line_of(src, 1000), 3);
        let err = toml::from_str::<toml::Table>("a = 1\nb = \n").unwrap_err();
        assert_eq!(error_line("a = 1\nb = \n", &err), Some(2));
    }
}

/// The largest configuration or keymap file koppel reads: far above any real one.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads a configuration or keymap file the user points at, bounded: a path that is not a
/// regular file (a FIFO would hang, `/dev/zero` never ends) and a file over
/// [`MAX_FILE_BYTES`] are refused, and text that is not UTF-8 names its line.
pub fn read_text_file(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("it is larger than {} KB", MAX_FILE_BYTES >> 10),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        Error::new(
            ErrorKind::InvalidData,
            format!("line {line} is not UTF-8 text"),
        )
    })
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn only_small_regular_utf8_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("config.toml");
        std::fs::write(&ok, "language = \"nl\"\n").unwrap();
        assert_eq!(read_text_file(&ok).unwrap(), "language = \"nl\"\n");
        let bad = dir.path().join("latin1.toml");
        std::fs::write(&bad, b"a = 1\nb = \"caf\xe9\"\n").unwrap();
        let e = read_text_file(&bad).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; MAX_FILE_BYTES as usize + 1]).unwrap();
        assert!(
            read_text_file(&big)
                .unwrap_err()
                .to_string()
                .contains("larger than")
        );
        let e = read_text_file(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(read_text_file(dir.path()).is_err());
    }
}
