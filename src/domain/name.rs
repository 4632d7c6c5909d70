//! Personal names with Dutch prefixes (tussenvoegsels): "Anouk van den Berg" is filed and
//! sorted under "Berg, Anouk van den".

use serde::{Deserialize, Serialize};

/// A person's name in three parts, as Dutch registration forms ask for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    /// Given name (roepnaam), e.g. "Anouk".
    pub given: String,
    /// Prefix (tussenvoegsel), e.g. "van den"; empty when there is none.
    pub prefix: String,
    /// Family name without the prefix, e.g. "Berg".
    pub family: String,
}

impl PersonName {
    pub fn new(given: &str, prefix: &str, family: &str) -> Self {
        PersonName {
            given: collapse_spaces(given),
            prefix: collapse_spaces(prefix).to_lowercase(),
            family: collapse_spaces(family),
        }
    }

    /// "Anouk van den Berg".
    pub fn full(&self) -> String {
        let mut out = String::new();
        for part in [&self.given, &self.prefix, &self.family] {
            if !part.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(part);
            }
        }
        out
    }

    /// "Berg, Anouk van den": the form lists are sorted and shown in.
    pub fn filed(&self) -> String {
        let mut out = self.family.clone();
        let rest: Vec<&str> = [self.given.as_str(), self.prefix.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !rest.is_empty() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&rest.join(" "));
        }
        out
    }

    /// Key that sorts on family name, then given name, then prefix, ignoring case and accents.
    pub fn sort_key(&self) -> String {
        format!(
            "{}\u{1}{}\u{1}{}",
            fold(&self.family),
            fold(&self.given),
            fold(&self.prefix)
        )
    }

    /// The name as compared for duplicates: "anouk van den berg", accents folded.
    pub fn normalised(&self) -> String {
        fold(&self.full())
    }
}

/// Trims and collapses runs of white space to one space.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-cases, folds common accents to their base letter and collapses white space, so that
/// "Zoë  Ã–zdemir" and "zoe ozdemir" compare equal.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        match fold_char(c) {
            Some(folded) => out.push_str(folded),
            None => out.extend(c.to_lowercase()),
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ç' | 'Ç' => "c",
        'ñ' | 'Ñ' => "n",
        'ş' | 'Ş' => "s",
        'ğ' | 'Ğ' => "g",
        'ı' | 'İ' => "i",
        'ĳ' | 'Ĳ' => "ij",
        'ß' => "ss",
        '’' | '‘' | '`' => "'",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_under_the_family_name() {
        let n = PersonName::new(" Anouk ", "Van  den", "Berg");
        assert_eq!(n.full(), "Anouk van den Berg");
        assert_eq!(n.filed(), "Berg, Anouk van den");
        let plain = PersonName::new("Piet", "", "Jansen");
        assert_eq!(plain.filed(), "Jansen, Piet");
    }

    #[test]
    fn sorts_on_family_name_not_prefix() {
        let mut names = [
            PersonName::new("Anouk", "van den", "Berg"),
            PersonName::new("Piet", "", "Aalders"),
            PersonName::new("Emre", "", "Çelik"),
            PersonName::new("Daan", "de", "Vries"),
            PersonName::new("Bram", "", "Berg"),
        ];
        names.sort_by_key(|n| n.sort_key());
        let filed: Vec<String> = names.iter().map(|n| n.filed()).collect();
        assert_eq!(
            filed,
            [
                "Aalders, Piet",
                "Berg, Anouk van den",
                "Berg, Bram",
                "Çelik, Emre",
                "Vries, Daan de"
            ]
        );
    }

    #[test]
    fn normalised_ignores_case_accents_and_spacing() {
        let a = PersonName::new("Zoë", "", "Özdemir");
        let b = PersonName::new("zoe", "", "OZDEMIR ");
        assert_eq!(a.normalised(), b.normalised());
        assert_eq!(fold("  Ĳsbrand   Bakker "), "ijsbrand bakker");
    }
}
