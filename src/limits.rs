//! Counted limits.
//!
//! Every input that a peer controls is bounded by a count, never by a timer. Exceeding a limit
//! is the error `limit-exceeded` with the limit's name ([`crate::error::Limit`]).

/// The counted bounds applied to peer-controlled input. [`Limits::DEFAULT`] suits tokens,
/// proofs and key sets seen in practice with a wide margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum length of one compact token, in bytes (default 16 KiB).
    pub max_token_bytes: usize,
    /// Maximum size of one JSON document (decoded header, payload, JWK, JWKS), in bytes
    /// (default 64 KiB).
    pub max_json_bytes: usize,
    /// Maximum nesting depth of arrays and objects in one JSON document (default 16).
    pub max_json_depth: usize,
    /// Maximum number of keys in one key set (default 64).
    pub max_keys: usize,
    /// Maximum number of signature verifications spent on one token when it names no `kid`
    /// and several keys fit (default 4).
    pub max_signature_checks: usize,
    /// Maximum size of one DER certificate, in bytes (default 16 KiB).
    pub max_certificate_bytes: usize,
    /// Maximum number of certificates presented in one chain, leaf included (default 8).
    pub max_chain_length: usize,
    /// Maximum size of one HTTP signature field (`Signature-Input`, `Signature` or
    /// `Content-Digest`, repeated lines joined), in bytes (default 8 KiB).
    pub max_field_bytes: usize,
}

impl Limits {
    /// The defaults documented on each field.
    pub const DEFAULT: Self = Self {
        max_token_bytes: 16 * 1024,
        max_json_bytes: 64 * 1024,
        max_json_depth: 16,
        max_keys: 64,
        max_signature_checks: 4,
        max_certificate_bytes: 16 * 1024,
        max_chain_length: 8,
        max_field_bytes: 8 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
