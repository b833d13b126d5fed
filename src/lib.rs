//! # a2a-auth
//!
//! The authentication and authorization core for AI agents calling agents, tools, models and
//! services, built from existing standards: WIMSE workload identity and SPIFFE, the OAuth 2.0
//! family, HTTP Message Signatures, Shared Signals/CAEP and AuthZEN.
//!
//! ## Design
//!
//! - **Sans-IO.** This crate never reads a clock, draws randomness, or touches the network,
//!   filesystem or environment. `now` ([`UnixTime`]), random bytes (key seeds, `jti`s, nonces)
//!   and fetched documents (JWKS, trust bundles) are inputs. The same code therefore runs
//!   natively, as a WebAssembly component, in a browser and in a proxy, and every test is
//!   deterministic.
//! - **One error vocabulary.** Every rejection is one [`Error`] with a stable
//!   [`code`](Error::code) shared by every host and the conformance vectors.
//! - **Fail closed.** Algorithms are pinned by the caller; keys come only from the caller;
//!   duplicate JSON members, non-canonical base64url, `crit` extensions and encrypted tokens are
//!   rejected; every peer-controlled input is bounded by [`Limits`].
//! - **No panics on input.** The crate denies `unwrap`, `expect`, `panic!`, indexing and
//!   unchecked arithmetic outside tests, and forbids `unsafe`.
//!
//! ## Modules
//!
//! - [`encoding`]: strict base64url and strict JSON.
//! - [`crypto`]: ES256, ES384, EdDSA/Ed25519 sign and verify; RS256, PS256, PS512 verify;
//!   HMAC-SHA256; JWKs, JWK sets, RFC 7638 thumbprints; key pairs from caller seeds.
//! - [`identity`]: SPIFFE IDs and WIMSE identifiers, canonical parsing and safe patterns.
//! - [`jose`]: compact JWS and JWT claim checks (RFC 7515, 7519, 8725).
//! - [`oauth`]: the OAuth resource server: RFC 9068 access tokens, route requirements, challenges, RFC 9728 metadata.
//! - [`proof`]: proof of possession: WIMSE Workload Proof Tokens, DPoP, the replay cache.
//! - [`ffi`]: the same operations in the string/JSON shape every language binding exposes.
//!
//! ## What this crate does not do
//!
//! It does not fetch keys, keep time, generate randomness, encrypt (JWE), or sign with RSA.
//!
//! ## Example
//!
//! ```
//! use a2a_auth::crypto::{Algorithm, AlgorithmSet, JwkSet, KeyPair};
//! use a2a_auth::jose::{sign_jws, verify_jwt, JwtValidation};
//! use a2a_auth::UnixTime;
//!
//! let now = UnixTime(1_767_225_600);
//! let key = KeyPair::from_seed(Algorithm::Es256, &[42; 32])?.with_kid("k1");
//! let mut header = serde_json::Map::new();
//! header.insert("typ".into(), "at+jwt".into());
//! let claims = br#"{"iss":"https://as.example","aud":"https://api.example","exp":1767226200}"#;
//! let token = sign_jws(&header, claims, &key)?;
//!
//! let keys = JwkSet::from_keys(vec![key.public_jwk().clone()]);
//! let rules = JwtValidation::new(AlgorithmSet::ASYMMETRIC, Some("at+jwt"))
//!     .with_issuer("https://as.example")
//!     .with_audience("https://api.example");
//! let jwt = verify_jwt(&token, &keys, &rules, now)?;
//! assert_eq!(jwt.claims["iss"], "https://as.example");
//!
//! let late = UnixTime(1_767_226_300);
//! assert_eq!(verify_jwt(&token, &keys, &rules, late).unwrap_err().code(), "token-expired");
//! # Ok::<(), a2a_auth::Error>(())
//! ```

pub mod audit;
pub mod crypto;
pub mod encoding;
pub mod error;
pub mod events;
pub mod ffi;
pub mod gate;
pub mod httpsig;
pub mod identity;
pub mod jose;
pub mod limits;
pub mod oauth;
pub mod policy;
pub mod proof;
pub mod time;

pub use error::Error;
pub use limits::Limits;
pub use time::{Leeway, UnixTime};
