//! Text measured in terminal columns: the one place that cuts text to a width.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to `width` display columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn cuts_with_an_ellipsis_by_display_width() {
        assert_eq!(fit("Formulier opslaan", 40), "Formulier opslaan");
        assert_eq!(fit("Formulier opslaan", 10), "Formulier…");
        assert_eq!(fit("Hardinxveld-Giessendam", 10), "Hardinxve…");
        assert_eq!(fit("Formulier opslaan", 1), "…");
        assert_eq!(fit("Formulier opslaan", 0), "");
        assert_eq!(fit("日本語", 4), "日…");
    }
}
