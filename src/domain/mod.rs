//! Domain: plain types and rules of a volunteer centre.
//!
//! Owns validation, status transitions, target groups, names, postcodes, phone numbers,
//! dates and ISO weeks. No I/O, no sled, no ratatui: everything here is pure and most unit
//! tests of the product live here. Messages are not text but typed [`Problem`]s that the
//! `i18n` module turns into Dutch or English sentences.

pub mod audit;
pub mod dates;
pub mod draft;
pub mod email;
pub mod name;
pub mod phone;
pub mod postcode;
pub mod problem;
pub mod volunteer;

pub use dates::{format_date, iso_week, parse_date};
pub use draft::Draft;
pub use name::PersonName;
pub use problem::{Field, FieldError, Problem};
pub use volunteer::{
    Availability, Consent, ConsentScope, Daypart, FoundVia, Interest, Status, StatusChange,
    TargetGroup, Vog, Volunteer, VolunteerDraft,
};
