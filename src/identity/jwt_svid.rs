//! JWT-SVID verification (SPIFFE JWT-SVID.md, Stable; specs/wimse-spiffe.md §5.1).
//!
//! A JWT-SVID is a **bearer** token: header members limited to `alg`, `kid`, `typ`; `typ` absent,
//! `JWT` or `JOSE` (so a `wit+jwt` token is never a JWT-SVID); algorithms RS/ES/PS only; `kid`
//! required (as go-spiffe and SPIRE require); `sub` a SPIFFE ID whose trust domain's `jwt-svid`
//! authorities hold the key; `aud` required and containing the verifier's audience; `exp`
//! required.

use super::{TrustStore, WorkloadId};
use crate::crypto::{Algorithm, AlgorithmSet, JwkSet};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// JWT-SVID.md §3: RS256/384/512, ES256/384/512, PS256/384/512; those this library implements.
const JWT_SVID_ALGORITHMS: AlgorithmSet = AlgorithmSet::EMPTY
    .with(Algorithm::Es256)
    .with(Algorithm::Es384)
    .with(Algorithm::Rs256)
    .with(Algorithm::Ps256)
    .with(Algorithm::Ps512);

/// A verified JWT-SVID.
#[derive(Debug, Clone)]
pub struct VerifiedJwtSvid {
    /// The SPIFFE ID (`sub`).
    pub subject: WorkloadId,
    /// RFC 7638 thumbprint of the trust domain key that signed it.
    pub issuer_key_thumbprint: String,
    /// All claims.
    pub claims: Object,
}

/// Verifies a JWT-SVID for `audience` at `now`.
///
/// # Errors
/// Syntax codes of [`jose::parse_jws`]; `malformed-token` for a header member other than `alg`,
/// `kid`, `typ`; `typ-mismatch`; `alg-not-allowed`; `key-not-found` (no `kid`, or no
/// `jwt-svid` key with it); `claim-missing` / `invalid-identifier` (`sub`);
/// `unknown-trust-domain`; `invalid-signature`; `claim-missing` (`exp`, `aud`);
/// `claim-mismatch` (`aud`); `token-expired`, `token-not-yet-valid`.
///
/// # Security
/// A JWT-SVID is a bearer token: anyone holding it can replay it to any of its audiences
/// until `exp`. Prefer WITs with proofs of possession between workloads.
pub fn verify_jwt_svid(
    token: &str,
    store: &TrustStore,
    audience: &str,
    leeway: Leeway,
    now: UnixTime,
) -> Result<VerifiedJwtSvid, Error> {
    let limits = Limits::DEFAULT;
    let jws = jose::parse_jws(token, &limits)?;
    // §2: only alg, kid and typ may appear in the header.
    if jws
        .header()
        .raw()
        .keys()
        .any(|k| !matches!(k.as_str(), "alg" | "kid" | "typ"))
    {
        return Err(Error::MalformedToken);
    }
    // §2.1: the algorithm is checked before anything else.
    let alg = jws.allowed_alg(JWT_SVID_ALGORITHMS)?;
    // §2.3: typ, when present, is JWT or JOSE.
    if jws
        .header()
        .typ()
        .is_some_and(|t| t != "JWT" && t != "JOSE")
    {
        return Err(Error::TypMismatch);
    }
    if jws.header().kid().is_none_or(str::is_empty) {
        return Err(Error::KeyNotFound);
    }
    let (subject, bundle) = store.subject_bundle(jws.unverified_payload(), true, &limits)?;
    let keys = JwkSet::from_keys(bundle.jwt_authorities().to_vec());
    let allowed = AlgorithmSet::EMPTY.with(alg);
    let verified = jws.verify(&keys, allowed, &limits)?;
    let issuer_key_thumbprint = verified.key().thumbprint();
    let claims = json::parse_object(verified.payload(), &limits)?;
    // §3: exp and aud are required; aud must contain this verifier's audience.
    let rules = JwtValidation::new(allowed, None)
        .with_leeway(leeway)
        .with_audience(audience);
    jose::check_claims(&claims, &rules, now)?;
    Ok(VerifiedJwtSvid {
        subject,
        issuer_key_thumbprint,
        claims,
    })
}
