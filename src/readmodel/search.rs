//! Finding a record as you type, over the pre-folded search texts of the read model.
//!
//! A kind's search text ([`SearchText`]) is a row's searchable parts as separate fields, each
//! with a role: the main name (a person's family name), the second name (the given name), minor
//! words (the tussenvoegsel), keys matched as a whole (postcode, e-mail address) and digit
//! strings (phone number, birth date as `ddmmjjjj`). A query is read as one of three things:
//!
//! - **Words** ("jansen, jan", "jan jansen", "jans, j", "van den berg"): every word of the query
//!   must start a different word of the name, or, from three letters on, occur inside one
//!   word ("anse") or as letters in order in a word that starts alike ("jnsn" finds "jansen"). Letters scattered
//!   over several words or fields never match. Before a comma the words are the family name
//!   and its tussenvoegsel, after it the given name (and tussenvoegsel): the list's own format.
//!   A word holding a digit, `@` or `.` may also start a key ("jan.jansen@", "jansen 3311").
//! - **Digits** ("06-1234 5678", "+31 6 1234", "12-03-1985", "3311"): the digits, with `+31` and
//!   `0031` read as a leading 0 and a date's day and month padded to two digits, start a digit
//!   field or a key, or (four digits or more) occur in a digit field.
//! - **A key** ("3311 ab", anything with `@`): starts (an e-mail address: occurs in) a key.
//!
//! Ranking: matches without fuzzy words first; then by how well each word matched (whole word
//! before prefix before fuzzy, the family name before the given name before the rest); ties
//! keep list order. When the query only grew, each keystroke looks only at the previous
//! keystroke's matches (see [`Search::run`]).

use super::Haystacks;
use crate::domain::name::fold;

/// Separates the fields of a search text; the character after it is the field's role.
const FIELD: char = '\u{1f}';

/// A query word this long or longer also matches fuzzily.
const FUZZY_FROM: usize = 3;
/// A digit query this long or longer may also occur inside a digit field.
const DIGITS_INSIDE_FROM: usize = 4;

/// What a field of a search text is to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The name a list is filed under (a person's family name).
    Main,
    /// The other name (a person's given name).
    Second,
    /// Small words of a name (a tussenvoegsel): they match but count for little.
    Minor,
    /// Matched as a whole from its start: a postcode, an e-mail address.
    Key,
    /// Digits: a phone number, a date as `ddmmjjjj`.
    Digits,
}

impl Role {
    fn tag(self) -> char {
        match self {
            Role::Main => 'm',
            Role::Second => 's',
            Role::Minor => 'n',
            Role::Key => 'k',
            Role::Digits => 'd',
        }
    }

    fn of(tag: u8) -> Option<Role> {
        Some(match tag {
            b'm' => Role::Main,
            b's' => Role::Second,
            b'n' => Role::Minor,
            b'k' => Role::Key,
            b'd' => Role::Digits,
            _ => return None,
        })
    }

    /// Points for a query word that is this field's word whole, or starts it.
    fn points(self, whole: bool) -> u32 {
        match (self, whole) {
            (Role::Main, true) => 100,
            (Role::Main, false) => 70,
            (Role::Second, true) => 90,
            (Role::Second, false) => 60,
            (Role::Minor, true) => 40,
            (Role::Minor, false) => 30,
            (Role::Key | Role::Digits, true) => 80,
            (Role::Key | Role::Digits, false) => 50,
        }
    }
}

/// Builds a row's search text, field by field; every text is folded (case, accents, spacing).
#[derive(Debug, Default, Clone)]
pub struct SearchText(String);

impl SearchText {
    /// Room for a typical row's fields at once: 100,000 rows are built at start-up, and
    /// growing each text field by field was a good part of that.
    pub fn new() -> SearchText {
        SearchText(String::with_capacity(96))
    }

    /// A field of words (`Main`, `Second`, `Minor`); hyphens separate words too.
    pub fn words(mut self, role: Role, text: &str) -> SearchText {
        let folded = if text.contains(['-', FIELD]) {
            fold(&text.replace(['-', FIELD], " "))
        } else {
            fold(text)
        };
        if !folded.is_empty() {
            self.push(role, &folded);
        }
        self
    }

    /// A key (`Key`), matched whole from its start; spaces are dropped ("3311 AB" → "3311ab").
    pub fn key(mut self, text: &str) -> SearchText {
        let folded: String = fold(text)
            .chars()
            .filter(|&c| c != ' ' && c != FIELD)
            .collect();
        if !folded.is_empty() {
            self.push(Role::Key, &folded);
        }
        self
    }

    /// A digit field (`Digits`): only the digits of `text` (and a leading `+`) are kept.
    pub fn digits(mut self, text: &str) -> SearchText {
        if !text.chars().any(|c| c.is_ascii_digit()) {
            return self;
        }
        self.push(Role::Digits, "");
        if text.trim_start().starts_with('+') {
            self.0.push('+');
        }
        self.0.extend(text.chars().filter(char::is_ascii_digit));
        self
    }

    /// A field: its mark, its role, a space, its text. Every word of the text then follows a
    /// space, so a scan for " jan" finds every word that starts with "jan".
    fn push(&mut self, role: Role, text: &str) {
        self.0.push(FIELD);
        self.0.push(role.tag());
        self.0.push(' ');
        self.0.push_str(text);
    }

    pub fn build(self) -> String {
        self.0
    }
}

/// The fields of a search text: (role, text). Fields and words are short: a plain byte loop
/// splits them faster than a `memchr` search set up for each.
fn fields(haystack: &str) -> impl Iterator<Item = (Role, &str)> {
    split(haystack, FIELD as u8).filter_map(|f| {
        let role = Role::of(*f.as_bytes().first()?)?;
        Some((role, f.get(2..)?))
    })
}

/// `s` split at every byte `sep` (an ASCII byte, so every piece is a `str`).
fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Which words of a name a query word may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// No comma in the query: any.
    Any,
    /// Before the comma: the family name and its tussenvoegsel.
    Family,
    /// After the comma: the given name and the tussenvoegsel.
    Given,
}

impl Side {
    fn allows(self, role: Role) -> bool {
        matches!(
            (self, role),
            (_, Role::Minor)
                | (Side::Any, Role::Main | Role::Second)
                | (Side::Family, Role::Main)
                | (Side::Given, Role::Second)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    side: Side,
    /// Holds a digit, `@` or `.`: may start a key.
    keyish: bool,
}

/// A query as it is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Query {
    /// Longest words first (they are the most telling, so they pick their field first).
    Words(Vec<Word>),
    /// The digits as typed and, when it reads as a date, with day and month padded.
    Digits(Vec<String>),
    Key(String),
}

impl Query {
    /// `q` folded and not empty.
    fn parse(q: &str) -> Query {
        if q.contains('@') {
            return Query::Key(q.chars().filter(|&c| c != ' ').collect());
        }
        let numeric = q
            .chars()
            .all(|c| c.is_ascii_digit() || " -+()./".contains(c));
        if numeric && q.chars().any(|c| c.is_ascii_digit()) {
            return Query::Digits(digit_readings(q));
        }
        let compact: String = q.chars().filter(|&c| c != ' ').collect();
        let b = compact.as_bytes();
        if (5..=6).contains(&b.len())
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(u8::is_ascii_lowercase)
        {
            return Query::Key(compact);
        }
        let (family, given) = match q.split_once(',') {
            Some((f, g)) => (f, Some(g)),
            None => (q, None),
        };
        let side = if given.is_some() {
            Side::Family
        } else {
            Side::Any
        };
        let mut words: Vec<Word> = split_words(family)
            .map(|w| word(w, side))
            .chain(
                given
                    .into_iter()
                    .flat_map(split_words)
                    .map(|w| word(w, Side::Given)),
            )
            .collect();
        // Stable: equally long words keep the order typed.
        words.sort_by_key(|w| std::cmp::Reverse(w.text.chars().count()));
        Query::Words(words)
    }

    /// Whether every row matching `self` matched `before` (so `self` may look only at
    /// `before`'s matches).
    fn narrows(&self, before: &Query) -> bool {
        match (self, before) {
            (Query::Words(now), Query::Words(was)) => {
                // Every earlier word still there, grown or not, with no more freedom: as
                // strict a side, and fuzzy matching not switched on by growing.
                was.iter().all(|w| {
                    now.iter().any(|n| {
                        n.text.starts_with(&w.text)
                            && (w.side == Side::Any || n.side == w.side)
                            && (n.keyish == w.keyish || !n.keyish)
                            && (w.text.chars().count() >= FUZZY_FROM
                                || n.text.chars().count() < FUZZY_FROM)
                    })
                }) && now.len() >= was.len()
            }
            // Digits and keys are scored by one scan of every row (`scan_scores`).
            _ => false,
        }
    }
}

fn split_words(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', '-']).filter(|w| !w.is_empty())
}

fn word(w: &str, side: Side) -> Word {
    Word {
        text: w.to_string(),
        side,
        keyish: w
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == '.'),
    }
}

/// The digit strings a numeric query may mean: as typed (with `+31`/`0031` read as a leading
/// 0), and as a date `dd-mm-jjjj` with day and month padded ("1-3-1985" → "01031985").
fn digit_readings(q: &str) -> Vec<String> {
    let t = q.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let phone = if t.starts_with('+') {
        match digits.strip_prefix("31") {
            Some(rest) => format!("0{}", rest.trim_start_matches('0')),
            None => format!("+{digits}"),
        }
    } else if let Some(rest) = digits.strip_prefix("0031") {
        format!("0{}", rest.trim_start_matches('0'))
    } else {
        digits.clone()
    };
    let mut readings = vec![phone];
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let is_date = (2..=3).contains(&parts.len())
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[..2].iter().all(|p| p.len() <= 2)
        && parts.get(2).is_none_or(|p| p.len() <= 4)
        && !parts[0].is_empty();
    if is_date {
        let last = parts.len() - 1;
        let date: String = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // The part being typed is not padded yet: "12-0" may become "12-03".
                if i < last && i < 2 && p.len() == 1 {
                    format!("0{p}")
                } else {
                    (*p).to_string()
                }
            })
            .collect();
        if !readings.contains(&date) {
            readings.push(date);
        }
    }
    readings
}

/// How well a row matched: more is better.
fn row_score(query: &Query, haystack: &str, used: &mut Vec<(usize, usize)>) -> Option<u32> {
    match query {
        Query::Words(words) => {
            used.clear();
            let mut points = 0;
            let mut fuzzy = 0;
            for w in words {
                let mut best: Option<(u32, bool, (usize, usize))> = None;
                for (fi, (role, text)) in fields(haystack).enumerate() {
                    let name = matches!(role, Role::Main | Role::Second | Role::Minor);
                    let allowed = if name {
                        w.side.allows(role)
                    } else {
                        w.keyish && w.side == Side::Any
                    };
                    if !allowed {
                        continue;
                    }
                    // A name field's words one by one; a key or digit field whole.
                    let sep = if name { b' ' } else { FIELD as u8 };
                    for (wi, field_word) in split(text, sep).enumerate() {
                        if used.contains(&(fi, wi)) {
                            continue;
                        }
                        let found = if field_word.starts_with(w.text.as_str()) {
                            Some((role.points(field_word.len() == w.text.len()), false))
                        } else if name {
                            fuzzy_points(&w.text, field_word).map(|p| (p, true))
                        } else {
                            None
                        };
                        if let Some((p, f)) = found
                            && best.is_none_or(|(bp, bf, _)| (!f, p) > (!bf, bp))
                        {
                            best = Some((p, f, (fi, wi)));
                        }
                    }
                }
                let (p, f, at) = best?;
                points += p;
                fuzzy += u32::from(f);
                used.push(at);
            }
            // Fewer fuzzy words first, then points.
            Some((16u32.saturating_sub(fuzzy) << 16) | points.min(0xffff))
        }
        Query::Digits(readings) => {
            let mut best = None;
            for (role, text) in fields(haystack) {
                if !matches!(role, Role::Digits | Role::Key) {
                    continue;
                }
                for r in readings {
                    let p = if text.starts_with(r.as_str()) {
                        Some(role.points(text.len() == r.len()))
                    } else if role == Role::Digits
                        && r.len() >= DIGITS_INSIDE_FROM
                        && text.contains(r.as_str())
                    {
                        Some(20)
                    } else {
                        None
                    };
                    best = best.max(p);
                }
            }
            best
        }
        Query::Key(key) => {
            let email = key.contains('@');
            fields(haystack)
                .filter(|(role, _)| *role == Role::Key)
                .filter_map(|(role, text)| {
                    if text.starts_with(key.as_str()) {
                        Some(role.points(text.len() == key.len()))
                    } else if email && text.contains(key.as_str()) {
                        Some(20)
                    } else {
                        None
                    }
                })
                .max()
        }
    }
}

/// A query word inside one field word ("anse" in "jansen"), or as letters in order within it
/// when both start alike ("jnsn" in "jansen"): a few points, fewer the more letters lie
/// between.
fn fuzzy_points(w: &str, field_word: &str) -> Option<u32> {
    let mut wc = w.chars();
    let first = wc.next()?;
    if w.len() < FUZZY_FROM {
        return None;
    }
    if !field_word.starts_with(first) {
        return field_word.contains(w).then_some(10);
    }
    let mut rest = field_word[first.len_utf8()..].chars();
    let mut gaps = 0u32;
    for c in wc {
        loop {
            let f = rest.next()?;
            if f == c {
                break;
            }
            gaps += 1;
        }
    }
    Some(20u32.saturating_sub(gaps).max(1))
}

/// Rows that may match `query`, in list order: a superset found by scanning every row's text
/// at once for what any match must hold, so that only these rows are scored.
///
/// A word of the query matches from a word start (prefix), inside a word (substring) or as
/// letters in order from a word start with the same first letter: so a matching row holds the
/// whole word somewhere or, from [`FUZZY_FROM`] letters on, its first letter at a word start.
/// Digit readings and keys match as substrings.
fn candidates(h: &Haystacks, query: &Query) -> Vec<u32> {
    let (text, ends) = h.parts();
    let bytes = text.as_bytes();
    // Rows holding `needle`, in order, once each.
    let holding = |needle: &str| {
        let mut rows: Vec<u32> = Vec::new();
        let mut row = 0usize;
        for p in memchr::memmem::find_iter(bytes, needle.as_bytes()) {
            while row < ends.len() && ends[row] <= p {
                row += 1;
            }
            if row < ends.len() && rows.last() != Some(&(row as u32)) {
                rows.push(row as u32);
            }
        }
        rows
    };
    // Every word of a search text follows a space.
    let starting = |w: &str| holding(&format!(" {w}"));
    let union = |a: Vec<u32>, b: Vec<u32>| {
        if a.is_empty() {
            return b;
        }
        let mut all = a;
        all.extend(b);
        all.sort_unstable();
        all.dedup();
        all
    };
    match query {
        Query::Words(words) => {
            let Some(w) = words.first() else {
                return Vec::new();
            };
            if w.text.chars().count() < FUZZY_FROM {
                return starting(&w.text);
            }
            let first: String = w.text.chars().take(1).collect();
            union(starting(&first), holding(&w.text))
        }
        Query::Digits(readings) => readings
            .iter()
            .map(|r| {
                if r.len() < DIGITS_INSIDE_FROM {
                    starting(r)
                } else {
                    holding(r)
                }
            })
            .fold(Vec::new(), union),
        Query::Key(key) if key.contains('@') => holding(key),
        Query::Key(key) => starting(key),
    }
}

/// The matching rows of a digit or key query with their scores, in list order, from one scan
/// of every row's text: each place a reading occurs is judged by the field it lies in (the
/// text before it, back to the field's mark), so no row is taken apart. Gives what
/// [`row_score`] gives for every row.
fn scan_scores(h: &Haystacks, query: &Query) -> Vec<(u32, u32)> {
    let (text, ends) = h.parts();
    let bytes = text.as_bytes();
    let (readings, key): (&[String], bool) = match query {
        Query::Digits(r) => (r, false),
        Query::Key(k) => (std::slice::from_ref(k), true),
        Query::Words(_) => return Vec::new(),
    };
    let email = key && readings.iter().any(|r| r.contains('@'));
    let mut per_reading: Vec<Vec<(u32, u32)>> = Vec::new();
    for r in readings {
        // Short readings only start a field: look for them after the space that starts one.
        let inside = if key {
            email
        } else {
            r.len() >= DIGITS_INSIDE_FROM
        };
        let needle = if inside { r.clone() } else { format!(" {r}") };
        let skip = usize::from(!inside);
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut row = 0usize;
        for p in memchr::memmem::find_iter(bytes, needle.as_bytes()) {
            while row < ends.len() && ends[row] <= p {
                row += 1;
            }
            let Some(&end) = ends.get(row) else { break };
            let start = if row == 0 { 0 } else { ends[row - 1] };
            let at = p + skip;
            let Some(mark) = bytes[start..at].iter().rposition(|&b| b == FIELD as u8) else {
                continue;
            };
            let mark = start + mark;
            let Some(role) = bytes.get(mark + 1).and_then(|&t| Role::of(t)) else {
                continue;
            };
            let wanted = if key {
                role == Role::Key
            } else {
                matches!(role, Role::Key | Role::Digits)
            };
            if !wanted {
                continue;
            }
            let after = at + r.len();
            let points = if at == mark + 3 {
                role.points(after == end || bytes[after] == FIELD as u8)
            } else if inside && (key || role == Role::Digits) {
                20
            } else {
                continue;
            };
            match found.last_mut() {
                Some((last, best)) if *last == row as u32 => *best = (*best).max(points),
                _ => found.push((row as u32, points)),
            }
        }
        per_reading.push(found);
    }
    let mut all: Vec<(u32, u32)> = per_reading.concat();
    if per_reading.len() > 1 {
        // Best score per row across readings, rows in order.
        all.sort_unstable_by_key(|&(row, points)| (row, std::cmp::Reverse(points)));
        all.dedup_by_key(|(row, _)| *row);
    }
    all
}

/// Incremental search state of one list.
#[derive(Default)]
pub struct Search {
    /// The folded query the matches belong to.
    query: String,
    parsed: Option<Query>,
    /// Model version the matches belong to.
    version: Option<u64>,
    /// Row indices that match `query`, in list order (before ranking).
    candidates: Vec<u32>,
    /// Ranked result: row indices, best first (ties keep list order).
    ranked: Vec<u32>,
    used: Vec<(usize, usize)>,
}

impl Search {
    /// The matching rows for `query` over the rows' `haystacks` (at model `version`), best
    /// first. An empty query gives `None`: the whole list, unfiltered.
    pub fn run(&mut self, haystacks: &Haystacks, version: u64, query: &str) -> Option<&[u32]> {
        let q = fold(query);
        let q = q.trim_matches([' ', ',']).to_string();
        if q.is_empty() || q.chars().all(|c| " -+()./,".contains(c)) {
            self.query.clear();
            self.parsed = None;
            self.version = None;
            return None;
        }
        if q == self.query && self.version == Some(version) {
            return Some(&self.ranked);
        }
        let parsed = Query::parse(&q);
        if self.version == Some(version) && self.parsed.as_ref() == Some(&parsed) {
            // "06" → "06-": the same query.
            self.query = q;
            return Some(&self.ranked);
        }
        let narrowing = self.version == Some(version)
            && self
                .parsed
                .as_ref()
                .is_some_and(|before| parsed.narrows(before));
        let mut scored: Vec<(u32, u32)> = Vec::new();
        let mut consider = |i: u32, used: &mut Vec<(usize, usize)>| {
            if let Some(h) = haystacks.get(i as usize)
                && let Some(score) = row_score(&parsed, h, used)
            {
                scored.push((i, score));
            }
        };
        if !matches!(parsed, Query::Words(_)) {
            scored = scan_scores(haystacks, &parsed);
        } else if narrowing {
            for &i in &self.candidates {
                consider(i, &mut self.used);
            }
        } else {
            for i in candidates(haystacks, &parsed) {
                consider(i, &mut self.used);
            }
        }
        self.candidates = scored.iter().map(|(i, _)| *i).collect();
        // Best score first, equal scores in list order: one sort of plain numbers.
        let mut keys: Vec<u64> = scored
            .iter()
            .map(|&(i, score)| (u64::from(u32::MAX - score) << 32) | u64::from(i))
            .collect();
        keys.sort_unstable();
        self.ranked = keys.into_iter().map(|k| k as u32).collect();
        self.query = q;
        self.parsed = Some(parsed);
        self.version = Some(version);
        Some(&self.ranked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A person's search text as the volunteers' rows build it.
    fn person(given: &str, prefix: &str, family: &str) -> SearchText {
        SearchText::new()
            .words(Role::Main, family)
            .words(Role::Second, given)
            .words(Role::Minor, prefix)
    }

    fn hay(rows: &[SearchText]) -> Haystacks {
        let texts: Vec<String> = rows.iter().map(|r| r.clone().build()).collect();
        Haystacks::from_texts(texts.iter().map(String::as_str))
    }

    fn find(h: &Haystacks, q: &str) -> Vec<u32> {
        Search::default().run(h, 1, q).unwrap_or(&[]).to_vec()
    }

    #[test]
    fn the_lists_own_format_and_the_spoken_order_find_the_person() {
        let h = hay(&[
            person("Anouk", "van den", "Berg"),
            person("Jan", "", "Jansen"),
            person("Piet", "", "Jansen"),
            person("Jan", "van den", "Berg"),
            person("Janneke", "", "Bakker"),
        ]);
        for q in [
            "Jansen, Jan",
            "Jan Jansen",
            "jansen jan",
            "jans, j",
            "JANSEN, JAN",
        ] {
            assert_eq!(find(&h, q)[0], 1, "{q}");
        }
        // "jan jansen" is not Piet Jansen: each word needs a word of its own.
        assert_eq!(find(&h, "jan jansen"), [1]);
        for q in ["Berg, Jan van den", "van den Berg, Jan", "jan van den berg"] {
            assert_eq!(find(&h, q), [3], "{q}");
        }
        let mut bergs = find(&h, "van den Berg");
        bergs.sort_unstable();
        assert_eq!(bergs, [0, 3]);
        // Before the comma is the family name: "jan," is nobody's family name.
        assert!(find(&h, "jan, jansen").is_empty());
    }

    #[test]
    fn whole_words_rank_before_prefixes_before_fuzzy_matches() {
        let h = hay(&[
            person("Jannie", "", "Jansen"),
            person("Jan", "", "Janssen"),
            person("Johan", "", "Jansen"),
            person("Jan", "", "Jansen"),
            person("Jan", "", "Jansen-Bakker"),
        ]);
        // The exact people first (list order), the prefix one next, then the fuzzy ones:
        // "jan" in "Johan", "jansen" in "Janssen".
        assert_eq!(find(&h, "jan jansen"), [3, 4, 0, 2, 1]);
        // The family name counts more than the given name.
        let h = hay(&[person("Peters", "", "Jan"), person("Jan", "", "Peters")]);
        assert_eq!(find(&h, "jan"), [0, 1]);
    }

    #[test]
    fn letters_scattered_over_words_or_fields_do_not_match() {
        let h = hay(&[
            person("Hüseyin", "", "Erdoğan")
                .key("hyz@example.nl")
                .key("3311 XY"),
            person("Max", "", "Milder"),
            person("Maximilian", "", "Groot"),
        ]);
        assert!(find(&h, "xyz").is_empty());
        assert_eq!(find(&h, "maximil"), [2]);
        assert_eq!(find(&h, "erdogan"), [0]);
        assert_eq!(find(&h, "hseyin"), [0], "fuzzy inside one word");
        assert_eq!(find(&h, "dogan"), [0], "a fragment of one word");
        assert!(find(&h, "ymx").is_empty());
    }

    #[test]
    fn phone_date_postcode_and_email_find_their_person() {
        let h = hay(&[
            person("Jan", "", "Jansen")
                .key("3311 AB")
                .key("jan.jansen@example.nl")
                .digits("0612345678")
                .digits("12031985"),
            person("Piet", "", "Bakker")
                .key("3312 CD")
                .key("piet@example.nl")
                .digits("0787708500")
                .digits("01021990"),
        ]);
        for q in [
            "0612345678",
            "06-1234 5678",
            "06 12 34 56 78",
            "+31 6 1234 5678",
            "+31 (0)6 1234",
            "0031612345678",
            "12345678",
            "12-03-1985",
            "12-03",
            "3311 AB",
            "3311ab",
            "3311 a",
            "jan.jansen@example.nl",
            "jan.jans",
            "@example",
            "jansen 3311",
        ] {
            let got = find(&h, q);
            assert_eq!(got[0], 0, "{q}: {got:?}");
            if q != "@example" && q != "3311" {
                assert_eq!(got, [0], "{q}");
            }
        }
        assert_eq!(find(&h, "1-2-1990"), [1]);
        assert_eq!(find(&h, "078 770"), [1]);
        assert!(find(&h, "+32 6 1234").is_empty());
    }

    #[test]
    fn narrowing_gives_what_a_fresh_search_gives() {
        let names = [
            ("Jan", "", "Jansen"),
            ("Jordan", "", "Jansen"),
            ("Anouk", "van den", "Berg"),
            ("Jannie", "de", "Jong"),
            ("Joan", "", "Bakker"),
            ("Bram", "", "Berg"),
        ];
        let rows: Vec<SearchText> = names
            .iter()
            .enumerate()
            .map(|(i, (g, p, f))| {
                person(g, p, f)
                    .key(&format!("331{i} AB"))
                    .key(&format!("{}@example.nl", g.to_lowercase()))
                    .digits(&format!("06123{i}5678"))
                    .digits(&format!("0{i}031985"))
            })
            .collect();
        let h = hay(&rows);
        for q in [
            "jansen, jan",
            "jan jansen",
            "van den berg, a",
            "jon, ja",
            "jn",
            "06-1234 5",
            "+31 6 12",
            "1-3-1985",
            "3311 ab",
            "jan@exa",
        ] {
            let mut s = Search::default();
            for k in 1..=q.len() {
                let typed = &q[..k];
                let narrowed = s.run(&h, 1, typed).unwrap_or(&[]).to_vec();
                assert_eq!(narrowed, find(&h, typed), "{typed:?}");
            }
        }
        // A new model version searches everything again.
        let mut s = Search::default();
        assert_eq!(s.run(&h, 1, "berg").unwrap(), &[2, 5]);
        let more = hay(&[person("Bram", "", "Bergen")]);
        assert_eq!(s.run(&more, 2, "berge").unwrap(), &[0]);
        assert!(s.run(&more, 2, " ").is_none());
    }

    #[test]
    fn the_quick_scan_misses_no_row_that_scores() {
        let names = [
            ("Jan", "", "Jansen"),
            ("Hüseyin", "", "Erdoğan"),
            ("Anouk", "van den", "Berg"),
            ("Jannie", "de", "Jong"),
            ("Joan", "", "Smit-de Vries"),
            ("Zoë", "", "Özdemir"),
        ];
        let rows: Vec<SearchText> = names
            .iter()
            .enumerate()
            .map(|(i, (g, p, f))| {
                person(g, p, f)
                    .key(&format!("33{i}1 AB"))
                    .key(&format!("{}@example.nl", g.to_lowercase()))
                    .digits(&format!("06123{i}5678"))
                    .digits(&format!("1{i}031985"))
            })
            .collect();
        let h = hay(&rows);
        for q in [
            "j", "ja", "jan", "jns", "nsen", "an", "ns", "erd", "dogan", "hsyn", "vries", "de",
            "smit de", "ozd", "zoe", "van den", "berg, a", "jong, j", "0612", "+31 6", "5678",
            "13-03", "3321", "3321 ab", "joan@", "@example", "jan 0612", "zzz", "e", "o",
        ] {
            let parsed = Query::parse(&fold(q));
            let mut used = Vec::new();
            let all: Vec<u32> = (0..h.len() as u32)
                .filter(|&i| row_score(&parsed, h.get(i as usize).unwrap(), &mut used).is_some())
                .collect();
            let quick: Vec<u32> = candidates(&h, &parsed)
                .into_iter()
                .filter(|&i| row_score(&parsed, h.get(i as usize).unwrap(), &mut used).is_some())
                .collect();
            assert_eq!(quick, all, "{q}");
        }
    }

    #[test]
    fn one_scan_scores_digits_and_keys_as_row_by_row() {
        let rows: Vec<SearchText> = (0..40)
            .map(|i| {
                person("Jan", "", "Jansen")
                    .key(&format!("33{:02} AB", i % 7))
                    .key(&format!("jan{}@example{}.nl", i % 3, i % 5))
                    .digits(&format!("06{:08}", i * 1_234_567 % 100_000_000))
                    .digits(&format!("{:02}{:02}19{:02}", 1 + i % 28, 1 + i % 12, i))
            })
            .collect();
        let h = hay(&rows);
        let mut matched = 0;
        for q in [
            "0",
            "06",
            "061",
            "0612",
            "06-1234",
            "+31 6",
            "1-1",
            "01-01-1900",
            "12-03",
            "33",
            "3301",
            "3301 ab",
            "3301 a",
            "jan1@",
            "@example3",
            "example3.nl",
            "0031 6 2",
            "1234",
            "19",
            "5",
        ] {
            let parsed = Query::parse(&fold(q));
            if matches!(parsed, Query::Words(_)) {
                continue;
            }
            let mut used = Vec::new();
            let slow: Vec<(u32, u32)> = (0..h.len() as u32)
                .filter_map(|i| {
                    row_score(&parsed, h.get(i as usize).unwrap(), &mut used).map(|p| (i, p))
                })
                .collect();
            assert_eq!(scan_scores(&h, &parsed), slow, "{q}: {parsed:?}");
            matched += usize::from(!slow.is_empty());
        }
        assert!(matched >= 15, "most queries find someone: {matched}");
    }
}
