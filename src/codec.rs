//! The one place that knows bincode (pinned at 2.0.1; 3.0.0 is an empty tombstone).
//!
//! Everything is encoded through serde with `config::standard()`. Decoding always uses a size
//! limit, so a damaged value becomes an error instead of a multi-exabyte allocation.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Largest value we ever decode. Records are small; this is a guard against garbage.
pub const DECODE_LIMIT: usize = 16 * 1024 * 1024;

/// A value could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CodecError(pub String);

fn config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<DECODE_LIMIT>,
> {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Encodes a value.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError(e.to_string()))
}

/// Decodes a value from the start of `bytes`; returns it and the number of bytes read.
pub fn decode_prefix<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, usize), CodecError> {
    bincode::serde::decode_from_slice(bytes, config()).map_err(|e| CodecError(e.to_string()))
}

/// Decodes a value that must fill `bytes` exactly.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, read) = decode_prefix(bytes)?;
    if read != bytes.len() {
        return Err(CodecError(format!(
            "{} bytes left over after the value",
            bytes.len() - read
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let v = (42u64, "Dordrecht".to_string(), vec![1u8, 2, 3]);
        let bytes = encode(&v).unwrap();
        assert_eq!(decode::<(u64, String, Vec<u8>)>(&bytes).unwrap(), v);
    }

    #[test]
    fn garbage_is_an_error_not_an_abort() {
        // A length prefix claiming an enormous string.
        let garbage = [0xFFu8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        assert!(decode::<String>(&garbage).is_err());
        assert!(decode::<Vec<u64>>(&garbage).is_err());
        assert!(decode::<u64>(&[]).is_err());
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut bytes = encode(&7u32).unwrap();
        bytes.push(0);
        assert!(decode::<u32>(&bytes).is_err());
    }
}
