//! JOSE: JWS compact serialization (RFC 7515) and JWT claim checks (RFC 7519), following the
//! JWT BCP (RFC 8725) and its update draft-ietf-oauth-rfc8725bis-08.
//!
//! In scope: compact JWS parse / verify / sign; caller-pinned algorithm allow-lists (`none` can
//! never be allowed); key selection from caller-supplied keys only (`jwk`, `jku`, `x5u`, `x5c`
//! headers are never followed); alg/key-type consistency; `crit` rejection; explicit `typ`;
//! `exp`/`nbf`/`iat` with leeway; `aud` as string or array.
//!
//! Not in scope: JWS JSON serialization, detached or unencoded payloads (RFC 7797), and JWE,
//! which is recognised (five segments) and rejected with `jwe-unsupported`.

mod jws;
mod jwt;

pub use jws::{Header, UnverifiedJws, VerifiedJws, parse_jws, sign_jws};
pub use jwt::{Jwt, JwtValidation, audience_contains, check_claims, typ_matches, verify_jwt};
