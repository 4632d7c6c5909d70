//! Lines in TOML text, for error messages that name the line of a mistake.
//!
//! Owns the one byte-offset → line computation shared by the configuration file, the keymap
//! files and anything else that reports where in a TOML file something is wrong. It knows no
//! file format and no user-facing text.

/// The 1-based line of byte `offset` in `src` (an offset past the end counts as the end).
pub fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The 1-based line where a TOML parse error lies, when the parser knows it.
pub fn error_line(src: &str, error: &toml::de::Error) -> Option<usize> {
    error.span().map(|s| line_of(src, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

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
