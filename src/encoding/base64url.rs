//! Unpadded base64url (RFC 4648 §5) as JOSE uses it (RFC 7515 §2, Appendix C).
//!
//! Decoding is strict: padding, the standard alphabet's `+` and `/`, whitespace, and non-zero
//! trailing bits are all rejected, so every byte string has exactly one accepted encoding.
//! That canonical form matters: caches and replay checks keyed on token text must not be
//! fooled by a second spelling of the same bytes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url strictly.
///
/// # Errors
/// `malformed-base64` for padding, characters outside `[A-Za-z0-9_-]`, an impossible length,
/// or non-zero trailing bits.
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    // RFC 7515 §2: base64url without `=` padding; the engine rejects padding, foreign
    // characters and (by default) non-canonical trailing bits.
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| Error::MalformedBase64)
}

/// Decodes unpadded base64url into exactly `N` bytes.
///
/// # Errors
/// `malformed-base64` as [`decode`]; `None` is never returned for a wrong length: the caller
/// names the error through `on_wrong_length`.
pub(crate) fn decode_exact<const N: usize>(
    text: &str,
    on_wrong_length: Error,
) -> Result<[u8; N], Error> {
    let bytes = decode(text)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| on_wrong_length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0u8..=255).collect();
        for n in 0..64 {
            let enc = encode(&data[..n]);
            assert!(!enc.contains('='));
            assert_eq!(decode(&enc).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn rejects_non_canonical_forms() {
        // RFC 4648 §3.5: "QQ" is canonical for "A"; "QR" has non-zero trailing bits.
        assert_eq!(decode("QQ").unwrap(), b"A");
        for bad in [
            "QR", "QQ==", "QQ=", "Q", "a+b/", "QQ\n", " QQ", "QQ QQ", "Q\u{e9}",
        ] {
            assert_eq!(decode(bad), Err(Error::MalformedBase64), "{bad:?}");
        }
    }
}
