//! Filtering a list as you type: fuzzy matching (nucleo-matcher) over the pre-folded
//! haystacks of the read model, narrowed incrementally from the previous keystroke's results
//! when the query only grew, so each keystroke ranks only the survivors.
//!
//! Queries of one or two characters match as a substring rather than fuzzily: two letters
//! scattered anywhere in a name match most of a large list (and ranking 70,000 fuzzy matches
//! costs about 20 ms), while "en" as a substring is what a user typing it looks for. From the
//! third character on, matching is fuzzy; narrowing only happens within one mode.

use super::Haystacks;
use crate::domain::name::fold;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Queries up to this many characters match as a substring.
const SUBSTRING_UP_TO: usize = 2;

/// Incremental search state of one list.
pub struct Search {
    matcher: Matcher,
    query: String,
    /// Model version the matches belong to.
    version: u64,
    /// Row indices that match `query`, in list order (before ranking).
    candidates: Vec<u32>,
    /// Ranked result: row indices, best first (ties keep list order).
    ranked: Vec<u32>,
    /// Whether `query` was matched fuzzily (else as a substring).
    fuzzy: bool,
    buf: Vec<char>,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            matcher: Matcher::new(Config::DEFAULT),
            query: String::new(),
            version: u64::MAX,
            candidates: Vec::new(),
            ranked: Vec::new(),
            fuzzy: false,
            buf: Vec::new(),
        }
    }
}

impl Search {
    /// The matching rows for `query` over the rows' `haystacks` (at model `version`), best
    /// first. An empty query gives `None`: the whole list, unfiltered.
    pub fn run(&mut self, haystacks: &Haystacks, version: u64, query: &str) -> Option<&[u32]> {
        let q = fold(query);
        if q.is_empty() {
            self.query.clear();
            self.version = u64::MAX;
            return None;
        }
        if q == self.query && version == self.version {
            return Some(&self.ranked);
        }
        let fuzzy = q.chars().count() > SUBSTRING_UP_TO;
        let narrowing = version == self.version
            && !self.query.is_empty()
            && fuzzy == self.fuzzy
            && q.starts_with(&self.query);
        let mut scored: Vec<(u32, u32)> = Vec::new();
        let all = 0..haystacks.len() as u32;
        let candidates: Box<dyn Iterator<Item = u32> + '_> = if narrowing {
            Box::new(self.candidates.iter().copied())
        } else {
            Box::new(all)
        };
        if fuzzy {
            let pattern = Pattern::new(
                &q,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            );
            for i in candidates {
                if let Some(haystack) = haystacks.get(i as usize)
                    && let Some(score) =
                        pattern.score(Utf32Str::new(haystack, &mut self.buf), &mut self.matcher)
                {
                    scored.push((i, score));
                }
            }
        } else {
            // Haystacks are folded to lower case already, like the query: a plain substring
            // test, in list (family-name) order.
            for i in candidates {
                if haystacks
                    .get(i as usize)
                    .is_some_and(|h| h.contains(q.as_str()))
                {
                    scored.push((i, 0));
                }
            }
        }
        self.candidates = scored.iter().map(|(i, _)| *i).collect();
        // Stable: equal scores keep family-name order.
        scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        self.ranked = scored.into_iter().map(|(i, _)| i).collect();
        self.query = q;
        self.version = version;
        self.fuzzy = fuzzy;
        Some(&self.ranked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readmodel::volunteers::test_row as row;

    #[test]
    fn finds_by_a_fragment_of_the_family_name_and_narrows() {
        let rows = vec![
            row(1, "Berg, Anouk van den"),
            row(2, "Bakker, Piet"),
            row(3, "Özdemir, Zoë"),
            row(4, "Jansen, Emma"),
        ];
        let hay = Haystacks::from_texts(rows.iter().map(|r| r.haystack.as_str()));
        let mut s = Search::default();
        assert_eq!(s.run(&hay, 1, "ozde").unwrap(), &[2]);
        let berg: Vec<u32> = s.run(&hay, 1, "ber").unwrap().to_vec();
        assert_eq!(berg[0], 0);
        // Narrowing keeps only survivors.
        assert_eq!(s.run(&hay, 1, "bergan").unwrap(), &[0]);
        assert!(s.run(&hay, 1, "xyz").unwrap().is_empty());
        assert!(s.run(&hay, 1, "").is_none());
        // A new model version searches everything again.
        let mut more = rows.clone();
        more.push(row(5, "Berg, Bram"));
        let more = Haystacks::from_texts(more.iter().map(|r| r.haystack.as_str()));
        assert_eq!(s.run(&more, 2, "bergbr").unwrap(), &[4]);
    }

    #[test]
    fn short_queries_match_as_substrings_longer_ones_fuzzily() {
        let rows = [
            row(1, "Jansen, Emma"),
            row(2, "Eijk, Noa van"),
            row(3, "Bakker, Sem"),
        ];
        let hay = Haystacks::from_texts(rows.iter().map(|r| r.haystack.as_str()));
        let mut s = Search::default();
        // "en" as letters in order would match all three; as a substring only Jansen.
        assert_eq!(s.run(&hay, 1, "en").unwrap(), &[0]);
        // Three letters: fuzzy again, over the whole list (not narrowed from "en"): Eijk
        // holds e…n…a but not "en".
        let mut hits = s.run(&hay, 1, "ena").unwrap().to_vec();
        hits.sort_unstable();
        assert_eq!(hits, [0, 1]);
    }
}
