//! The record envelope decoder: whatever bytes a damaged store holds under a record key are
//! read back as a record or as "damaged", never a panic or a huge allocation.
#![no_main]

use koppel::domain::Volunteer;
use koppel::domain::audit::AuditEvent;
use koppel::domain::organisation::Organisation;
use koppel::store::envelope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = envelope::open_parts(data);
    let _ = envelope::open::<Volunteer>(data);
    let _ = envelope::open::<AuditEvent>(data);
    let _ = envelope::open::<Organisation>(data);
});
