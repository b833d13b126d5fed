//! Signature algorithms, keys and JWK handling (RFC 7517, RFC 7518, RFC 8037, RFC 7638).
//!
//! | algorithm | JWS name | RFC 9421 name | sign | verify |
//! |---|---|---|---|---|
//! | ECDSA P-256 / SHA-256 | `ES256` | `ecdsa-p256-sha256` | yes (RFC 6979) | yes |
//! | ECDSA P-384 / SHA-384 | `ES384` | `ecdsa-p384-sha384` | yes (RFC 6979) | yes |
//! | Ed25519 | `EdDSA`, `Ed25519` (RFC 9864) | `ed25519` | yes | yes (strict) |
//! | RSASSA-PKCS1-v1_5 / SHA-256 | `RS256` | `rsa-v1_5-sha256` | no | yes |
//! | RSASSA-PSS / SHA-256, salt 32 | `PS256` | — | no | yes |
//! | RSASSA-PSS / SHA-512, salt 64 | `PS512` | `rsa-pss-sha512` | no | yes |
//! | HMAC-SHA256 | `HS256` | `hmac-sha256` | yes | yes |
//!
//! Decisions, each deliberate:
//! - ECDSA signatures are fixed-size `r‖s` (RFC 7518 §3.4, RFC 9421 §3.3.4), never DER; a wrong
//!   length is an invalid signature. **High-S signatures are accepted** (neither JWS nor RFC
//!   9421 requires low-S, and Wycheproof marks them valid), so a signature is malleable: never
//!   key a cache or replay check on signature bytes alone — key it on the signed content.
//! - Ed25519 verification is strict (`verify_strict`): non-canonical `S`, non-canonical or
//!   small-order `R` and `A` are rejected.
//! - RSA: modulus 2048 to 8192 bits; PKCS#1 v1.5 `DigestInfo` must carry the NULL parameter
//!   (Wycheproof "MissingNull", marked acceptable, is rejected); PSS salt length is fixed per
//!   algorithm, not auto-detected.
//! - HMAC keys must be at least 32 bytes (RFC 7518 §3.2) and tags are full length (no
//!   truncation). HMAC is never usable for JWS unless a caller lists `HS256` in its allow-list,
//!   and a key of type `oct` is required, so a public key can never be used as an HMAC secret.
//! - Private keys come from caller-supplied seed bytes (the core draws no randomness).
//!
//! Out of scope: encryption (JWE), ES512/P-521, secp256k1, RSA signing.

mod jwk;

#[cfg(feature = "profile")]
#[doc(hidden)]
pub use a2a_auth_p256_verify::profile as p256_profile;
pub use jwk::{Jwk, JwkSet, KeyPair, ThumbprintUri, hmac_sha256};

use crate::error::Error;

/// A signature or MAC algorithm. Names are compared case-sensitively (RFC 8725bis: no "noNE").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// ECDSA using P-256 and SHA-256.
    Es256,
    /// ECDSA using P-384 and SHA-384.
    Es384,
    /// Ed25519 under the polymorphic JWS name `EdDSA` (RFC 8037).
    EdDsa,
    /// Ed25519 under its fully specified JWS name `Ed25519` (RFC 9864).
    Ed25519,
    /// RSASSA-PKCS1-v1_5 using SHA-256 (verify only).
    Rs256,
    /// RSASSA-PSS using SHA-256, MGF1-SHA-256 and a 32-byte salt (verify only).
    Ps256,
    /// RSASSA-PSS using SHA-512, MGF1-SHA-512 and a 64-byte salt (verify only); RFC 9421's
    /// `rsa-pss-sha512`.
    Ps512,
    /// HMAC using SHA-256 with a full 32-byte tag.
    Hs256,
}

impl Algorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [Self; 8] = [
        Self::Es256,
        Self::Es384,
        Self::EdDsa,
        Self::Ed25519,
        Self::Rs256,
        Self::Ps256,
        Self::Ps512,
        Self::Hs256,
    ];

    /// The JWS `alg` name (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864).
    pub const fn jws_name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::EdDsa => "EdDSA",
            Self::Ed25519 => "Ed25519",
            Self::Rs256 => "RS256",
            Self::Ps256 => "PS256",
            Self::Ps512 => "PS512",
            Self::Hs256 => "HS256",
        }
    }

    /// Looks up a JWS `alg` name, case-sensitively. `none` and unknown names give `None`.
    pub fn from_jws_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.jws_name() == name)
    }

    /// Whether this library can produce signatures with this algorithm (RSA is verify-only).
    pub const fn can_sign(self) -> bool {
        !matches!(self, Self::Rs256 | Self::Ps256 | Self::Ps512)
    }

    /// How many random bytes [`KeyPair::from_seed`] takes for this algorithm (for HS256, the
    /// recommended size; longer keys are accepted). `None` for verify-only algorithms.
    pub const fn seed_len(self) -> Option<usize> {
        match self {
            Self::Es256 | Self::EdDsa | Self::Ed25519 | Self::Hs256 => Some(32),
            Self::Es384 => Some(48),
            Self::Rs256 | Self::Ps256 | Self::Ps512 => None,
        }
    }

    /// The JWK `kty` (and `crv`, when the type has curves) a key for this algorithm must have.
    pub const fn key_type(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::Es256 => ("EC", Some("P-256")),
            Self::Es384 => ("EC", Some("P-384")),
            Self::EdDsa | Self::Ed25519 => ("OKP", Some("Ed25519")),
            Self::Rs256 | Self::Ps256 | Self::Ps512 => ("RSA", None),
            Self::Hs256 => ("oct", None),
        }
    }
}

/// A caller-chosen set of acceptable algorithms (RFC 8725 §3.1: the verifier pins the
/// algorithms, never the token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlgorithmSet(u16);

impl AlgorithmSet {
    /// The empty set (accepts nothing).
    pub const EMPTY: Self = Self(0);
    /// ES256, ES384, EdDSA and Ed25519: the asymmetric algorithms this library can also sign
    /// with. HMAC is never in a default set.
    pub const ASYMMETRIC_SIGNING: Self = Self::EMPTY
        .with(Algorithm::Es256)
        .with(Algorithm::Es384)
        .with(Algorithm::EdDsa)
        .with(Algorithm::Ed25519);
    /// Every asymmetric algorithm this library verifies (adds RS256, PS256, PS512).
    pub const ASYMMETRIC: Self = Self::ASYMMETRIC_SIGNING
        .with(Algorithm::Rs256)
        .with(Algorithm::Ps256)
        .with(Algorithm::Ps512);

    const fn bit(alg: Algorithm) -> u16 {
        1 << (alg as u16)
    }

    /// This set plus `alg`.
    pub const fn with(self, alg: Algorithm) -> Self {
        Self(self.0 | Self::bit(alg))
    }

    /// Whether `alg` is in the set.
    pub const fn contains(self, alg: Algorithm) -> bool {
        self.0 & Self::bit(alg) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Builds a set from JWS names.
    ///
    /// # Errors
    /// `alg-not-allowed` if a name is unknown or `none` (in any casing): a caller cannot opt in
    /// to unsigned tokens.
    pub fn from_jws_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        names.into_iter().try_fold(Self::EMPTY, |set, name| {
            Algorithm::from_jws_name(name)
                .map(|a| set.with(a))
                .ok_or(Error::AlgorithmNotAllowed)
        })
    }

    /// The algorithms in the set, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        Algorithm::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }
}

impl FromIterator<Algorithm> for AlgorithmSet {
    fn from_iter<I: IntoIterator<Item = Algorithm>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_case_sensitively() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_jws_name(a.jws_name()), Some(a));
            assert_eq!(Algorithm::from_jws_name(&a.jws_name().to_lowercase()), None);
        }
        for none in ["none", "None", "NONE", "nOnE", ""] {
            assert_eq!(Algorithm::from_jws_name(none), None);
            assert_eq!(
                AlgorithmSet::from_jws_names([none]),
                Err(Error::AlgorithmNotAllowed)
            );
        }
    }

    #[test]
    fn seed_lengths_are_what_key_pairs_accept() {
        for alg in Algorithm::ALL {
            match alg.seed_len() {
                Some(n) => assert!(KeyPair::from_seed(alg, &vec![7u8; n]).is_ok(), "{alg:?}"),
                None => assert!(!alg.can_sign()),
            }
        }
    }

    #[test]
    fn default_sets_exclude_hmac() {
        assert!(!AlgorithmSet::ASYMMETRIC.contains(Algorithm::Hs256));
        assert_eq!(AlgorithmSet::ASYMMETRIC.iter().count(), 7);
        let set = AlgorithmSet::from_jws_names(["ES256", "HS256"]).unwrap();
        assert!(set.contains(Algorithm::Hs256) && set.contains(Algorithm::Es256));
        assert!(!set.contains(Algorithm::EdDsa));
    }
}
