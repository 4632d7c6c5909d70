//! The versioned envelope around every stored value:
//!
//! ```text
//! b"KP" | format version (u16, big-endian) | bincode(Meta) | bincode(record payload)
//! ```
//!
//! The bookkeeping (`Meta`) never changes layout, so it decodes whatever the payload's
//! version; the payload of an older version goes through [`Record::upgrade`].

use super::record::{Meta, Record, Stored};
use crate::codec::{self, CodecError};

const MAGIC: &[u8; 2] = b"KP";
const HEADER: usize = 4;

/// Encodes a record in today's format.
pub fn seal<T: Record>(meta: &Meta, data: &T) -> Result<Vec<u8>, CodecError> {
    seal_version(T::FORMAT_VERSION, meta, &codec::encode(data)?)
}

/// Encodes an already encoded payload of the given version (used by fixtures and migration
/// tests).
pub fn seal_version(version: u16, meta: &Meta, payload: &[u8]) -> Result<Vec<u8>, CodecError> {
    let meta = codec::encode(meta)?;
    let mut out = Vec::with_capacity(HEADER + meta.len() + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&meta);
    out.extend_from_slice(payload);
    Ok(out)
}

/// Splits an envelope into its version, bookkeeping and payload bytes.
pub fn open_parts(bytes: &[u8]) -> Result<(u16, Meta, &[u8]), CodecError> {
    if bytes.len() < HEADER || &bytes[..2] != MAGIC {
        return Err(CodecError(
            "not a koppel record (no envelope header)".into(),
        ));
    }
    let version = u16::from_be_bytes([bytes[2], bytes[3]]);
    let (meta, read): (Meta, usize) = codec::decode_prefix(&bytes[HEADER..])
        .map_err(|e| CodecError(format!("bookkeeping unreadable: {}", e.0)))?;
    Ok((version, meta, &bytes[HEADER + read..]))
}

/// Decodes an envelope into a record, upgrading older versions.
pub fn open<T: Record>(bytes: &[u8]) -> Result<Stored<T>, CodecError> {
    let (version, meta, payload) = open_parts(bytes)?;
    let data = if version == T::FORMAT_VERSION {
        codec::decode(payload)?
    } else if version < T::FORMAT_VERSION {
        T::upgrade(version, payload)?
    } else {
        return Err(CodecError(format!(
            "written by a newer koppel (format {version}, this one reads up to {})",
            T::FORMAT_VERSION
        )));
    };
    Ok(Stored { meta, data })
}
