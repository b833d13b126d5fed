//! Content-Digest (RFC 9530): computed over the content bytes and verified against the body
//! actually received. Only `sha-256` and `sha-512` are accepted; the deprecated algorithms
//! (`md5`, `sha`, `unixsum`, ...) never count as a digest.

use sfv::{BareItem, FieldType as _, Item, ListEntry, Parser, Version};
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

use crate::error::Error;

/// A digest algorithm of the IANA "Hash Algorithms for HTTP Digest Fields" registry that this
/// library computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `sha-256`.
    Sha256,
    /// `sha-512`.
    Sha512,
}

impl DigestAlgorithm {
    /// The registry key.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Sha256 => "sha-256",
            Self::Sha512 => "sha-512",
        }
    }

    fn digest(self, body: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => sha2::Sha256::digest(body).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(body).to_vec(),
        }
    }
}

/// The `Content-Digest` field value for `body` with each algorithm, e.g.
/// `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`.
pub fn content_digest(body: &[u8], algorithms: &[DigestAlgorithm]) -> String {
    let mut dict = sfv::Dictionary::new();
    for alg in algorithms {
        if let Ok(key) = sfv::Key::from_string(alg.key().to_owned()) {
            dict.insert(
                key,
                ListEntry::Item(Item::new(BareItem::ByteSequence(alg.digest(body)))),
            );
        }
    }
    dict.serialize().unwrap_or_default()
}

/// Verifies a `Content-Digest` field value against `body`: every `sha-256` / `sha-512` member
/// must match, and at least one must be present.
///
/// # Errors
/// `digest-mismatch` when the field is not a dictionary of byte sequences, carries no
/// supported algorithm, or a supported member does not match the body.
pub fn verify_content_digest(field: &str, body: &[u8]) -> Result<(), Error> {
    let dict: sfv::Dictionary = Parser::new(field)
        .with_version(Version::Rfc8941)
        .parse()
        .map_err(|_| Error::DigestMismatch("content-digest is not a dictionary"))?;
    let mut checked = 0usize;
    for alg in [DigestAlgorithm::Sha256, DigestAlgorithm::Sha512] {
        match dict.get(alg.key()) {
            None => {}
            Some(ListEntry::Item(Item {
                bare_item: BareItem::ByteSequence(expected),
                ..
            })) => {
                if !bool::from(alg.digest(body).as_slice().ct_eq(expected.as_slice())) {
                    return Err(Error::DigestMismatch("the body does not match its digest"));
                }
                checked = checked.saturating_add(1);
            }
            Some(_) => return Err(Error::DigestMismatch("digest is not a byte sequence")),
        }
    }
    if checked == 0 {
        return Err(Error::DigestMismatch("no sha-256 or sha-512 digest"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9530_values() {
        let body = br#"{"hello": "world"}"#;
        assert_eq!(
            content_digest(body, &[DigestAlgorithm::Sha256]),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
        );
        assert_eq!(
            content_digest(b"", &[DigestAlgorithm::Sha256, DigestAlgorithm::Sha512]),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:, sha-512=:z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==:"
        );
        verify_content_digest(
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            body,
        )
        .unwrap();
        assert!(
            verify_content_digest(
                "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                b"{}"
            )
            .is_err()
        );
        assert!(verify_content_digest("md5=:Sd/dVLAcvNLSq16eXua5uQ==:", body).is_err());
        assert!(
            verify_content_digest(
                "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                body
            )
            .is_err()
        );
        // Both members must match when both are present.
        let mixed = format!(
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, {}",
            content_digest(b"other", &[DigestAlgorithm::Sha512])
        );
        assert!(verify_content_digest(&mixed, body).is_err());
    }
}
