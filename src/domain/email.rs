//! E-mail addresses: a plausibility check, not RFC 5322. Stored lower-cased.

use crate::domain::Problem;

/// Checks and lower-cases an e-mail address.
pub fn parse_email(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(Problem::Email);
    };
    let ok_local = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let ok_domain = domain.contains('.')
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .split('.')
            .all(|p| !p.is_empty() && !p.starts_with('-') && !p.ends_with('-'))
        && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2);
    let ok_chars = s.chars().all(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"')
    });
    if ok_local && ok_domain && ok_chars && s.len() <= 254 {
        Ok(s.to_lowercase())
    } else {
        Err(Problem::Email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(
            parse_email(" Anouk.vdBerg@Example.NL ").unwrap(),
            "anouk.vdberg@example.nl"
        );
        assert_eq!(parse_email("a+b@mail.co.uk").unwrap(), "a+b@mail.co.uk");
    }

    #[test]
    fn rejects_impossible_addresses() {
        assert_eq!(parse_email(""), Err(Problem::Required));
        for bad in [
            "anouk",
            "anouk@",
            "@example.nl",
            "a@b",
            "a@@b.nl",
            "a b@c.nl",
            "a@b..nl",
            "a@.nl",
            "a@b.n",
            "a,b@c.nl",
        ] {
            assert_eq!(parse_email(bad), Err(Problem::Email), "{bad}");
        }
    }
}
