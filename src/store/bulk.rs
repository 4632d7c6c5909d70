//! Bulk reads: every record of a kind, decoded on several threads at once.
//!
//! Loading a read model at start-up decodes every record of a kind; on one core that is most
//! of the start-up time of a large store. [`Store::scan_split`] cuts the kind's id range into
//! contiguous parts and scans each part on a thread of its own, handing each thread's records
//! to a caller's function, in id order within the part.
//!
//! [`WeakStore`] lets a long-lived reader (the read model's feed thread) follow a store
//! without keeping it open: when every [`Store`] handle is gone, the store closes and the
//! change feed ends.
//!
//! This module only reads; it owns no state and must not write or publish changes.

use super::record::Record;
use super::{Inner, Store, StoreError, Stored, decode_record, id_from_key};
use std::sync::{Arc, Weak};

/// A handle on a store that does not keep it open.
#[derive(Clone)]
pub struct WeakStore(Weak<Inner>);

impl WeakStore {
    /// The store, if it is still open.
    pub fn upgrade(&self) -> Option<Store> {
        self.0.upgrade().map(|inner| Store { inner })
    }
}

impl Store {
    /// A handle that does not keep the store open (see [`WeakStore`]).
    pub fn downgrade(&self) -> WeakStore {
        WeakStore(Arc::downgrade(&self.inner))
    }

    /// The lowest and highest id of a kind in the store, or `None` when it holds none.
    pub fn id_bounds<T: Record>(&self) -> Result<Option<(u64, u64)>, StoreError> {
        let rec = self.rec(T::KIND);
        let first = rec.first()?.and_then(|(k, _)| id_from_key(&k));
        let last = rec.last()?.and_then(|(k, _)| id_from_key(&k));
        Ok(first.zip(last))
    }

    /// The records of a kind with ids in `from..=to`, in id order. Its size hint's upper
    /// bound is the width of the range, so a caller can reserve room for every record.
    pub fn scan_range<T: Record>(
        &self,
        from: u64,
        to: u64,
    ) -> impl Iterator<Item = Result<Stored<T>, StoreError>> + '_ {
        let records = self
            .rec(T::KIND)
            .range(from.to_be_bytes()..=to.to_be_bytes())
            .map(|item| {
                let (key, bytes) = item?;
                let id = id_from_key(&key).unwrap_or(0);
                decode_record::<T>(id, &bytes)
            });
        AtMost {
            inner: records,
            left: usize::try_from(to.saturating_sub(from).saturating_add(1)).ok(),
        }
    }

    /// Scans every record of a kind on up to `parts` threads: the id range is cut into that
    /// many contiguous slices of equal width, and `each` is called once per slice, on its own
    /// thread, with the slice's records in id order. Returns the results in id order of the
    /// slices. A damaged record is handed to `each` as an error, like [`Store::scan`] does.
    ///
    /// Ids are handed out contiguously, so equal widths hold about equal numbers of records.
    pub fn scan_split<T, R, F>(&self, parts: usize, each: F) -> Result<Vec<R>, StoreError>
    where
        T: Record,
        R: Send,
        F: Fn(&mut dyn Iterator<Item = Result<Stored<T>, StoreError>>) -> R + Sync,
    {
        let Some((first, last)) = self.id_bounds::<T>()? else {
            return Ok(vec![each(&mut std::iter::empty())]);
        };
        run_split(
            slices(first, last, parts, 1),
            |from, to| self.scan_range::<T>(from, to),
            each,
        )
    }

    /// Reads the summaries of a kind (see [`super::summary`]) on up to `parts` threads, as
    /// [`Store::scan_split`] reads records: `each` is called once per slice of the ids, on its
    /// own thread, with (id, revision, summary) in id order. Slices hold whole chunks.
    pub fn summaries_split<T, R, F>(&self, parts: usize, each: F) -> Result<Vec<R>, StoreError>
    where
        T: Record,
        R: Send,
        F: Fn(&mut dyn Iterator<Item = Result<(u64, u64, T::Summary), StoreError>>) -> R + Sync,
    {
        let Some((first, last)) = self.id_bounds::<T>()? else {
            return Ok(vec![each(&mut std::iter::empty())]);
        };
        run_split(
            slices(first, last, parts, super::summary::CHUNK),
            |from, to| AtMost {
                inner: self.summaries_range::<T>(from, to),
                left: usize::try_from(to.saturating_sub(from).saturating_add(1)).ok(),
            },
            each,
        )
    }
}

/// `first..=last` cut into at most `parts` contiguous slices of about equal width, each
/// starting on a multiple of `align` (but the first).
fn slices(first: u64, last: u64, parts: usize, align: u64) -> Vec<(u64, u64)> {
    let span = last - first + 1;
    let parts = (parts.max(1) as u64).min(span);
    let width = span.div_ceil(parts).div_ceil(align) * align;
    let mut out = Vec::new();
    let mut from = first;
    while from <= last {
        let end = ((from / align) * align).saturating_add(width - 1);
        let to = end.max(from).min(last);
        out.push((from, to));
        match to.checked_add(1) {
            Some(next) => from = next,
            None => break,
        }
    }
    out
}

/// Calls `each` on the items of every slice, one thread per slice (on this thread when there
/// is one), and returns the results in slice order.
fn run_split<X, I, R, F>(
    slices: Vec<(u64, u64)>,
    range: impl Fn(u64, u64) -> I + Sync,
    each: F,
) -> Result<Vec<R>, StoreError>
where
    I: Iterator<Item = X>,
    R: Send,
    F: Fn(&mut dyn Iterator<Item = X>) -> R + Sync,
{
    if let [(from, to)] = slices[..] {
        return Ok(vec![each(&mut range(from, to))]);
    }
    let (each, range) = (&each, &range);
    std::thread::scope(|scope| {
        let handles: Vec<_> = slices
            .iter()
            .map(|&(from, to)| scope.spawn(move || each(&mut range(from, to))))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().map_err(|_| {
                    StoreError::Io("a thread reading the store stopped unexpectedly".into())
                })
            })
            .collect()
    })
}

/// An iterator known to yield at most `left` more items.
pub(super) struct AtMost<I> {
    inner: I,
    left: Option<usize>,
}

impl<I: Iterator> Iterator for AtMost<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let item = self.inner.next()?;
        self.left = self.left.map(|n| n.saturating_sub(1));
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.left)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::volunteer::{Rules, Volunteer, sample_intake};
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    fn anouk() -> Volunteer {
        let rules = Rules {
            municipalities: vec!["Dordrecht".into()],
            today: date!(2026 - 11 - 27),
        };
        sample_intake().validate(&rules).expect("a valid sample")
    }

    #[test]
    fn split_scan_sees_every_record_once_in_id_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let mut ids = Vec::new();
        for _ in 0..7 {
            ids.push(store.insert(anouk(), &stamp).unwrap().meta.id);
        }
        // A gap in the ids.
        store.delete::<Volunteer>(ids[3], 1, &stamp).unwrap();
        ids.remove(3);
        for parts in [1, 2, 3, 16] {
            let seen = store
                .scan_split::<Volunteer, _, _>(parts, |it| {
                    it.map(|r| r.unwrap().meta.id).collect::<Vec<u64>>()
                })
                .unwrap();
            assert!(seen.len() <= parts);
            assert_eq!(seen.concat(), ids, "{parts} parts");
        }
    }

    #[test]
    fn slices_cover_the_range_once_on_chunk_boundaries() {
        for (first, last, parts, align) in [
            (1, 1, 2, 1),
            (1, 7, 3, 1),
            (1, 100_000, 2, 256),
            (300, 301, 8, 256),
            (5, 1_000, 16, 256),
            (u64::MAX - 3, u64::MAX, 2, 1),
        ] {
            let s = super::slices(first, last, parts, align);
            assert!(s.len() <= parts.max(1), "{s:?}");
            assert_eq!(s.first().map(|x| x.0), Some(first));
            assert_eq!(s.last().map(|x| x.1), Some(last));
            for w in s.windows(2) {
                assert_eq!(w[0].1 + 1, w[1].0, "{s:?}");
                assert_eq!(w[1].0 % align, 0, "{s:?}");
            }
        }
    }

    #[test]
    fn split_scan_of_an_empty_kind_calls_once_with_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let seen = store
            .scan_split::<Volunteer, _, _>(2, |it| it.count())
            .unwrap();
        assert_eq!(seen, vec![0]);
    }
}
