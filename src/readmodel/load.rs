//! The first full load: every record of a kind decoded, turned into a row, sorted and counted, on as
//! many threads as the machine has cores (up to [`MAX_PARTS`]).
//!
//! The store hands each thread a contiguous slice of the ids ([`Store::scan_split`]); each
//! thread builds, sorts and counts its own rows; the sorted parts are then merged, and the
//! id → key index and the search texts are built side by side. Nothing here takes the model's
//! lock: the result is swapped in whole.

use super::rows::{Aggregate, RowKind, Rows};
use crate::store::{Record, Store, StoreError, Stored, summary};

/// One summary as the store hands it out: (id, revision, summary).
type Summary<K> = (u64, u64, <<K as RowKind>::Record as Record>::Summary);
use std::cmp::Ordering;

/// At most this many threads decode at once.
const MAX_PARTS: usize = 8;

/// Sorts and indexes `rows` (in any order) on this thread.
pub(super) fn sort<K: RowKind>(mut rows: Vec<K::Row>) -> Rows<K> {
    // A part holds its rows in id order (see `Place`).
    rows.sort_unstable_by_key(|r| K::id(r));
    let part = Part::<K>::new(rows, Vec::new());
    Rows::sorted(arrange::<K>(vec![part.rows], part.order), part.stats)
}

/// Loads every record of kind `K` of `store`: its rows, sorted and indexed, and the records
/// that could not be read (they are missing from the list).
pub(super) fn load<K: RowKind>(store: &Store) -> (Rows<K>, Vec<String>) {
    let parts = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_PARTS);
    // From the summaries the store keeps beside the records when the kind has them (one read
    // per 64 records, small values), else from the records themselves.
    let parts = if summary::kept::<K::Record>() {
        store.summaries_split::<K::Record, _, _>(parts, Part::<K>::from_summaries)
    } else {
        store.scan_split::<K::Record, _, _>(parts, Part::<K>::from_records)
    };
    let (parts, mut problems) = match parts {
        Ok(parts) => (parts, Vec::new()),
        Err(e) => (Vec::new(), vec![e.to_string()]),
    };
    // Merge the parts' orders first (small places, not rows), then move every row once.
    let mut order: Vec<Place> = Vec::new();
    let mut stats = K::Stats::default();
    let mut rows = Vec::with_capacity(parts.len());
    for (p, part) in parts.into_iter().enumerate() {
        let p = p as u32;
        let theirs = part.order.iter().map(|&x| Place { part: p, ..x });
        order = merge_orders::<K>(&rows, &order, &part.rows, theirs);
        rows.push(part.rows);
        stats.merge(part.stats);
        problems.extend(part.problems);
    }
    (Rows::sorted(arrange::<K>(rows, order), stats), problems)
}

/// One thread's share of the load: its rows (in id order), their list order and their
/// counts.
struct Part<K: RowKind> {
    rows: Vec<K::Row>,
    /// Where each row goes, in list order.
    order: Vec<Place>,
    stats: K::Stats,
    problems: Vec<String>,
}

impl<K: RowKind> Part<K> {
    fn from_records(
        records: &mut dyn Iterator<Item = Result<Stored<K::Record>, StoreError>>,
    ) -> Self {
        // Room for every record the slice can hold (ids are dense, so that is about what it
        // holds), up to a bound for stores whose ids are sparse; pages not used cost nothing.
        let room = records.size_hint().1.unwrap_or(0).min(1 << 18);
        let mut rows = Vec::with_capacity(room);
        let mut problems = Vec::new();
        for r in records {
            match r {
                Ok(s) => rows.push(K::row_of(&s)),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Part::new(rows, problems)
    }

    fn from_summaries(summaries: &mut dyn Iterator<Item = Result<Summary<K>, StoreError>>) -> Self {
        // As for records: room for every id of the slice, so the rows are never moved.
        let room = summaries.size_hint().1.unwrap_or(0).min(1 << 18);
        let mut rows = Vec::with_capacity(room);
        let mut problems = Vec::new();
        for r in summaries {
            match r {
                Ok((id, revision, s)) => rows.push(K::row(id, revision, s)),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Part::new(rows, problems)
    }

    fn new(rows: Vec<K::Row>, problems: Vec<String>) -> Self {
        let mut stats = K::Stats::default();
        for r in &rows {
            stats.add(r);
        }
        Part {
            stats,
            order: places::<K>(&rows),
            rows,
            problems,
        }
    }
}

/// The list order: sort key, then id.
fn order<K: RowKind>(a: &K::Row, b: &K::Row) -> Ordering {
    (&**K::sort_key(a), K::id(a)).cmp(&(&**K::sort_key(b), K::id(b)))
}

/// A row's place in the list order, comparable mostly without reading the row (a cache miss
/// each).
#[derive(Debug, Clone, Copy)]
struct Place {
    /// The first sixteen bytes of the sort key, as a number that orders like the key.
    prefix: u128,
    /// Whether `prefix` holds the whole key (and the key has no NUL byte, which would make two
    /// keys look alike).
    whole: bool,
    /// The part and the index in the part of the row. Parts hold their rows in id order, and
    /// a later part holds higher ids (slices of the id range, in order), so for rows with equal
    /// keys (part, index) orders like the id.
    part: u32,
    index: u32,
}

impl Place {
    fn of(key: &str, index: usize) -> Place {
        let key = key.as_bytes();
        let mut p = [0u8; 16];
        let n = key.len().min(16);
        p[..n].copy_from_slice(&key[..n]);
        Place {
            prefix: u128::from_be_bytes(p),
            whole: key.len() <= 16 && !key.contains(&0),
            part: 0,
            index: index as u32,
        }
    }

    /// The list order of the rows at `a` and `b`; `row` finds a row when the prefixes say
    /// too little.
    fn cmp<'r, K: RowKind>(a: &Place, b: &Place, row: impl Fn(&Place) -> &'r K::Row) -> Ordering {
        a.prefix.cmp(&b.prefix).then_with(|| {
            if a.whole && b.whole {
                (a.part, a.index).cmp(&(b.part, b.index))
            } else {
                order::<K>(row(a), row(b))
            }
        })
    }
}

/// The list order of `rows` (in id order). Sorts places rather than the rows themselves
/// (~150 bytes each).
fn places<K: RowKind>(rows: &[K::Row]) -> Vec<Place> {
    let mut by: Vec<Place> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Place::of(K::sort_key(r), i))
        .collect();
    // (sort key, id) is unique, so an unstable sort gives the one order.
    by.sort_unstable_by(|a, b| Place::cmp::<K>(a, b, |p| &rows[p.index as usize]));
    by
}

/// Merges two list orders: `ours` over `parts`, and `theirs` over `new`, the part that comes
/// next in `parts`.
fn merge_orders<K: RowKind>(
    parts: &[Vec<K::Row>],
    ours: &[Place],
    new: &[K::Row],
    theirs: impl Iterator<Item = Place>,
) -> Vec<Place> {
    let row = |p: &Place| match parts.get(p.part as usize) {
        Some(part) => &part[p.index as usize],
        None => &new[p.index as usize],
    };
    let mut out = Vec::with_capacity(ours.len() + theirs.size_hint().0);
    let mut a = ours.iter().copied().peekable();
    let mut b = theirs.peekable();
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if Place::cmp::<K>(x, y, row) == Ordering::Greater {
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

/// The rows of `parts` in `order`, each moved once.
fn arrange<K: RowKind>(parts: Vec<Vec<K::Row>>, order: Vec<Place>) -> Vec<K::Row> {
    let mut slots: Vec<Vec<Option<K::Row>>> = parts
        .into_iter()
        .map(|p| p.into_iter().map(Some).collect())
        .collect();
    // Every (part, index) occurs exactly once in `order`, so every take finds its row.
    order
        .into_iter()
        .filter_map(|p| {
            slots
                .get_mut(p.part as usize)?
                .get_mut(p.index as usize)?
                .take()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readmodel::volunteers::test_row;
    use crate::readmodel::{VolunteerRow, Volunteers};

    #[test]
    fn sorted_parts_merge_into_list_order() {
        let names = [
            "Jansen, Emma",
            "Jansen, Bram",
            "Jansen, Emma",
            "Özdemir, Zoë",
            "Aa",
            "Jansenius-Verhoeven, Anna",
            "Jansenius-Verhoeven, Anneke",
            "",
            "Bakker, Piet",
        ];
        let rows: Vec<VolunteerRow> = names
            .iter()
            .enumerate()
            .map(|(i, n)| test_row(i as u64 + 1, n))
            .collect();
        let mut expected = rows.clone();
        expected.sort_by(order::<Volunteers>);
        let mut reversed = rows.clone();
        reversed.reverse();
        assert_eq!(sort::<Volunteers>(reversed).all(), expected);
        // In three parts, as three threads would load them.
        let parts: Vec<Part<Volunteers>> = [&rows[..3], &rows[3..4], &rows[4..]]
            .iter()
            .map(|p| Part::new(p.to_vec(), Vec::new()))
            .collect();
        let mut order = Vec::new();
        let mut done = Vec::new();
        for (p, part) in parts.into_iter().enumerate() {
            let theirs = part.order.iter().map(|&x| Place {
                part: p as u32,
                ..x
            });
            order = merge_orders::<Volunteers>(&done, &order, &part.rows, theirs);
            done.push(part.rows);
        }
        assert_eq!(arrange::<Volunteers>(done, order), expected);
    }
}
