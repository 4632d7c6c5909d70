//! The first full load: every volunteer decoded, turned into a row, sorted and counted, on as
//! many threads as the machine has cores (up to [`MAX_PARTS`]).
//!
//! The store hands each thread a contiguous slice of the ids ([`Store::scan_split`]); each
//! thread builds, sorts and counts its own rows; the sorted parts are then merged, and the
//! id → key index and the search texts are built side by side. Nothing here takes the model's
//! lock: the result is swapped in whole.

use super::stats::VolunteerStats;
use super::{Haystacks, VolunteerRow};
use crate::domain::volunteer::Volunteer;
use crate::store::{Store, StoreError, Stored};
use std::cmp::Ordering;
use std::collections::HashMap;

/// At most this many threads decode at once.
const MAX_PARTS: usize = 8;

/// A loaded list, sorted and indexed: everything the model swaps in.
pub(super) struct Sorted {
    pub rows: Vec<VolunteerRow>,
    pub keys: HashMap<u64, String>,
    pub haystacks: Haystacks,
    pub stats: VolunteerStats,
}

impl Sorted {
    /// Sorts and indexes `rows` (in any order) on this thread.
    pub fn new(rows: Vec<VolunteerRow>) -> Sorted {
        let part = Part::sorted(rows, Vec::new());
        Sorted::index(part.rows, part.stats)
    }

    /// The index and the search texts of sorted `rows`, built side by side.
    fn index(rows: Vec<VolunteerRow>, stats: VolunteerStats) -> Sorted {
        let (keys, haystacks) = std::thread::scope(|scope| {
            let keys = scope.spawn(|| {
                let mut keys = HashMap::with_capacity(rows.len());
                keys.extend(rows.iter().map(|r| (r.id, r.sort_key.clone())));
                keys
            });
            let haystacks = Haystacks::from_rows(&rows);
            // The closure cannot panic short of running out of memory; rebuild here if it did.
            let keys = keys
                .join()
                .unwrap_or_else(|_| rows.iter().map(|r| (r.id, r.sort_key.clone())).collect());
            (keys, haystacks)
        });
        Sorted {
            rows,
            keys,
            haystacks,
            stats,
        }
    }
}

/// The result of a full load.
pub(super) struct Loaded {
    pub sorted: Sorted,
    /// Records that could not be read (they are missing from the list).
    pub problems: Vec<String>,
}

/// Loads every volunteer of `store`.
pub(super) fn load(store: &Store) -> Loaded {
    let parts = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_PARTS);
    let parts = store.scan_split::<Volunteer, _, _>(parts, Part::build);
    let (parts, mut problems) = match parts {
        Ok(parts) => (parts, Vec::new()),
        Err(e) => (Vec::new(), vec![e.to_string()]),
    };
    let mut rows: Vec<VolunteerRow> = Vec::new();
    let mut stats = VolunteerStats::default();
    for part in parts {
        rows = merge(rows, part.rows);
        stats.merge(part.stats);
        problems.extend(part.problems);
    }
    Loaded {
        sorted: Sorted::index(rows, stats),
        problems,
    }
}

/// One thread's share of the load: its rows, sorted, and their counts.
struct Part {
    rows: Vec<VolunteerRow>,
    stats: VolunteerStats,
    problems: Vec<String>,
}

impl Part {
    fn build(records: &mut dyn Iterator<Item = Result<Stored<Volunteer>, StoreError>>) -> Part {
        let mut rows = Vec::with_capacity(records.size_hint().0);
        let mut problems = Vec::new();
        for r in records {
            match r {
                Ok(s) => rows.push(VolunteerRow::from_owned(s)),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Part::sorted(rows, problems)
    }

    fn sorted(rows: Vec<VolunteerRow>, problems: Vec<String>) -> Part {
        Part {
            stats: VolunteerStats::from_rows(&rows),
            rows: sort(rows),
            problems,
        }
    }
}

/// The list order: sort key, then id.
fn order(a: &VolunteerRow, b: &VolunteerRow) -> Ordering {
    (a.sort_key.as_str(), a.id).cmp(&(b.sort_key.as_str(), b.id))
}

/// The first eight bytes of a sort key as a number that orders like the key: comparing two of
/// them settles most comparisons without touching the rows (a cache miss each).
fn prefix(key: &str) -> u64 {
    let mut p = [0u8; 8];
    let n = key.len().min(8);
    p[..n].copy_from_slice(&key.as_bytes()[..n]);
    u64::from_be_bytes(p)
}

/// Sorts rows into list order. Sorts (prefix, index) pairs rather than the rows themselves
/// (~150 bytes each), reading a row only when two prefixes tie, then moves each row once.
fn sort(rows: Vec<VolunteerRow>) -> Vec<VolunteerRow> {
    let mut by: Vec<(u64, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (prefix(&r.sort_key), i as u32))
        .collect();
    // (sort key, id) is unique, so an unstable sort gives the one order.
    by.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| order(&rows[a.1 as usize], &rows[b.1 as usize]))
    });
    let mut slots: Vec<Option<VolunteerRow>> = rows.into_iter().map(Some).collect();
    // Every index occurs exactly once in `by`, so every take finds its row.
    by.iter()
        .filter_map(|&(_, i)| slots[i as usize].take())
        .collect()
}

/// Merges two lists in list order into one.
fn merge(a: Vec<VolunteerRow>, b: Vec<VolunteerRow>) -> Vec<VolunteerRow> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if order(x, y) == Ordering::Greater {
            b.next()
        } else {
            a.next()
        };
        out.extend(next);
    }
    out.extend(a);
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readmodel::test_row;

    #[test]
    fn sort_and_merge_give_list_order() {
        let names = [
            "Jansen, Emma",
            "Jansen, Bram",
            "Jansen, Emma",
            "Özdemir, Zoë",
            "Aa",
            "Jansenius, A",
            "",
            "Bakker, Piet",
        ];
        let rows: Vec<VolunteerRow> = names
            .iter()
            .enumerate()
            .map(|(i, n)| test_row(100 - i as u64, n))
            .collect();
        let mut expected = rows.clone();
        expected.sort_by(order);
        assert_eq!(sort(rows.clone()), expected);
        let (a, b) = rows.split_at(3);
        assert_eq!(merge(sort(a.to_vec()), sort(b.to_vec())), expected);
        assert_eq!(merge(Vec::new(), sort(b.to_vec())), sort(b.to_vec()));
    }
}
