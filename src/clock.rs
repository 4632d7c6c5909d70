//! Time as a dependency: the real clock in the binary, a fixed one in tests and snapshots.

use std::sync::Arc;
use time::{Date, OffsetDateTime, UtcOffset};

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
    fn today(&self) -> Date {
        self.now().date()
    }
}

/// The system clock, in the local time zone when it can be determined (else UTC).
pub struct SystemClock {
    offset: UtcOffset,
}

impl SystemClock {
    /// Reads the local offset once; must be called before threads are spawned to succeed on
    /// every platform (the `time` crate refuses otherwise and we fall back to UTC).
    pub fn new() -> Self {
        SystemClock {
            offset: UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc().to_offset(self.offset)
    }
}

/// A clock that always says the same time.
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;
