//! The WIMSE Workload Identity Token (draft-ietf-wimse-workload-creds, validation procedure of
//! PRs #291/#295): a JWT (`typ` `wit+jwt`) binding a workload's public key (`cnf.jwk`) to one
//! workload identifier (`sub`), signed by its trust domain's identity server.
//!
//! Verification follows specs/wimse-spiffe.md §2.4 steps 1–10. Keys come only from the
//! `wit-svid` authorities of the trust domain in `sub` (never `iss`, `jku`, `x5u`, `jwk`). A WIT
//! is never a bearer credential: the identity counts as authenticated only after a proof of
//! possession under `cnf.jwk` (WPT or HTTP signature) verifies too.
//!
//! [`WitProfile::WitSvid`] adds the SPIFFE WIT-SVID profile (WIT-SVID.md, specs §2.6): `typ`
//! exactly `wit+jwt`, `kid` required, `sub` a SPIFFE ID, no `aud`, and the header and `cnf.jwk`
//! algorithms from its list (of which this library implements ES256, ES384, RS256, PS256, PS512).

use serde_json::Value;

use super::{TrustStore, WorkloadId};
use crate::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of a WIT.
pub const WIT_TYP: &str = "wit+jwt";
/// Default maximum lifetime (`exp - iat`), 24 hours (§2.4 step 9).
pub const DEFAULT_MAX_WIT_LIFETIME: u64 = 24 * 60 * 60;

/// Which WIT rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WitProfile {
    /// The WIMSE WIT (workload-creds).
    #[default]
    Wimse,
    /// The SPIFFE WIT-SVID profile (stricter; see the module documentation).
    WitSvid,
}

/// WIT-SVID §3: RS256/384/512, ES256/384/512, PS256/384/512; those this library implements.
const WIT_SVID_ALGORITHMS: AlgorithmSet = AlgorithmSet::EMPTY
    .with(Algorithm::Es256)
    .with(Algorithm::Es384)
    .with(Algorithm::Rs256)
    .with(Algorithm::Ps256)
    .with(Algorithm::Ps512);

/// How WITs are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct WitValidation {
    /// WIMSE WIT or the SPIFFE WIT-SVID profile.
    pub profile: WitProfile,
    /// Algorithms accepted for the identity server's signature (asymmetric only; HMAC is
    /// refused whatever this says).
    pub algorithms: AlgorithmSet,
    /// Maximum `exp - iat` (or `exp - now` without `iat`), in seconds.
    pub max_lifetime: u64,
    /// Clock skew allowed on `exp` and `nbf`.
    pub leeway: Leeway,
    /// Counted limits.
    pub limits: Limits,
}

impl Default for WitValidation {
    fn default() -> Self {
        Self {
            profile: WitProfile::Wimse,
            algorithms: AlgorithmSet::ASYMMETRIC,
            max_lifetime: DEFAULT_MAX_WIT_LIFETIME,
            leeway: Leeway::DEFAULT,
            limits: Limits::DEFAULT,
        }
    }
}

/// A verified WIT. The identity is authenticated only once a proof under [`Self::confirmation_key`]
/// verifies as well.
#[derive(Debug, Clone)]
pub struct VerifiedWorkloadIdentityToken {
    /// The workload identifier (`sub`).
    pub subject: WorkloadId,
    /// The workload's public key (`cnf.jwk`); every proof must use [`Self::proof_alg`].
    pub confirmation_key: Jwk,
    /// `cnf.jwk.alg`, the algorithm every proof must use (string-equal).
    pub proof_alg: Algorithm,
    /// RFC 7638 thumbprint of the identity server key that signed the WIT.
    pub issuer_key_thumbprint: String,
    /// All claims.
    pub claims: Object,
}

/// Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4, RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

fn confirmation_key(claims: &Object, allowed: AlgorithmSet) -> Result<(Jwk, Algorithm), Error> {
    // §2.4 step 10 / RFC 7800 §3.2: cnf is an object holding a public jwk with alg.
    let cnf = match claims.get("cnf") {
        None => return Err(Error::ClaimMissing("cnf")),
        Some(Value::Object(cnf)) => cnf,
        Some(_) => return Err(Error::ClaimInvalid("cnf")),
    };
    let Some(Value::Object(jwk)) = cnf.get("jwk") else {
        return Err(Error::ClaimInvalid("cnf"));
    };
    if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m)) {
        return Err(Error::ClaimInvalid("cnf"));
    }
    let Some(Value::String(alg)) = jwk.get("alg") else {
        return Err(Error::ClaimInvalid("cnf"));
    };
    // Asymmetric signature algorithms only; never `none` or HMAC.
    let alg = Algorithm::from_jws_name(alg)
        .filter(|a| allowed.contains(*a))
        .ok_or(Error::AlgorithmNotAllowed)?;
    let key = Jwk::from_object(jwk).map_err(|_| Error::ClaimInvalid("cnf"))?;
    key.check_alg(alg)?;
    Ok((key, alg))
}

/// Verifies a WIT against the trust store at time `now` (§2.4 steps 1–10).
///
/// # Errors
/// Syntax and JSON codes of [`jose::parse_jws`]; `typ-mismatch`; `alg-not-allowed` (header
/// `alg`, or `cnf.jwk.alg` not an asymmetric signature algorithm); `claim-missing` /
/// `invalid-identifier` for `sub`; `unknown-trust-domain` when the store has no bundle for the
/// trust domain of `sub`; `key-not-found` (no `wit-svid` key with the `kid`, or no `kid` while
/// several keys could apply); `key-mismatch`; `invalid-signature`; `token-expired`,
/// `token-not-yet-valid`; `claim-invalid` (`exp` beyond the maximum lifetime, malformed
/// `cnf`); `claim-missing` (`exp`, `cnf`).
///
/// # Security
/// Does not check a proof of possession: pass the result to the WPT or HTTP-signature verifier.
pub fn verify_workload_identity_token(
    token: &str,
    store: &TrustStore,
    validation: &WitValidation,
    now: UnixTime,
) -> Result<VerifiedWorkloadIdentityToken, Error> {
    let limits = &validation.limits;
    let svid = validation.profile == WitProfile::WitSvid;
    // Steps 1–2: compact JWS, strict header, crit refused.
    let jws = jose::parse_jws(token, limits)?;
    // Step 3: explicit type (WIT-SVID §3: exactly `wit+jwt`).
    let typ_ok = match jws.header().typ() {
        Some(t) if svid => t == WIT_TYP,
        Some(t) => jose::typ_matches(t, WIT_TYP),
        None => false,
    };
    if !typ_ok {
        return Err(Error::TypMismatch);
    }
    // Step 4: the header alg is an allowed asymmetric signature algorithm.
    let profile_algs = if svid {
        WIT_SVID_ALGORITHMS
    } else {
        AlgorithmSet::ASYMMETRIC
    };
    let allowed = profile_algs
        .iter()
        .filter(|a| validation.algorithms.contains(*a))
        .collect::<AlgorithmSet>();
    jws.allowed_alg(allowed)?;
    // WIT-SVID §3: kid is required.
    if svid && jws.header().kid().is_none_or(str::is_empty) {
        return Err(Error::KeyNotFound);
    }
    // Step 5: `sub` (read before the signature only to select the trust anchors) is a canonical
    // identifier whose trust domain we trust.
    // (WIT-SVID §3: sub is a SPIFFE ID.)
    let (subject, bundle) = store.subject_bundle(jws.unverified_payload(), svid, limits)?;
    // Step 6: the key by kid, or the only candidate.
    let keys = JwkSet::from_keys(bundle.wit_authorities().to_vec());
    if jws.header().kid().is_none() && keys.keys().len() > 1 {
        return Err(Error::KeyNotFound);
    }
    // Step 7: the signature.
    let verified = jws.verify(&keys, allowed, limits)?;
    let issuer_key_thumbprint = verified.key().thumbprint();
    let claims = json::parse_object(verified.payload(), limits)?;
    // Step 8: exp required, nbf honoured.
    let mut rules = JwtValidation::new(allowed, None).with_leeway(validation.leeway);
    rules.limits = validation.limits;
    jose::check_claims(&claims, &rules, now)?;
    // Step 9: a bounded lifetime.
    let exp = claims
        .get("exp")
        .and_then(Value::as_f64)
        .ok_or(Error::ClaimMissing("exp"))?;
    #[expect(
        clippy::cast_precision_loss,
        reason = "NumericDate values are compared as f64"
    )]
    let start = claims
        .get("iat")
        .and_then(Value::as_f64)
        .unwrap_or(now.as_secs() as f64);
    #[expect(
        clippy::cast_precision_loss,
        reason = "NumericDate values are compared as f64"
    )]
    if exp - start > validation.max_lifetime as f64 {
        return Err(Error::ClaimInvalid("exp"));
    }
    // Step 11: WIT-SVID §3: aud must not be present (audience scoping belongs in the proof).
    if svid && claims.contains_key("aud") {
        return Err(Error::ClaimInvalid("aud"));
    }
    // Step 10: the confirmation key (WIT-SVID: its alg from the profile's list).
    let (confirmation_key, proof_alg) = confirmation_key(&claims, profile_algs)?;
    Ok(VerifiedWorkloadIdentityToken {
        subject,
        confirmation_key,
        proof_alg,
        issuer_key_thumbprint,
        claims,
    })
}

/// What an identity server puts in a WIT.
#[derive(Debug, Clone)]
pub struct WitClaims<'a> {
    /// The workload identifier (`sub`).
    pub subject: &'a WorkloadId,
    /// The workload's public key with its `alg` (`cnf.jwk`).
    pub confirmation_key: &'a Jwk,
    /// Issue time (`iat`).
    pub issued_at: UnixTime,
    /// Lifetime in seconds (`exp = iat + lifetime`).
    pub lifetime: u64,
    /// A unique id (`jti`), from caller randomness.
    pub jti: &'a str,
    /// The identity server's URI (`iss`), optional.
    pub issuer: Option<&'a str>,
}

/// Issues a WIT signed by the identity server key `issuer_key` (its `kid`, if any, goes in the
/// header).
///
/// # Errors
/// `invalid-argument` (`cnf`) when the confirmation key is symmetric or has no asymmetric `alg`;
/// `invalid-argument` (`lifetime`) for a zero or overflowing lifetime; `alg-not-allowed` when
/// the issuer key is HMAC.
pub fn issue_workload_identity_token(
    issuer_key: &KeyPair,
    claims: &WitClaims<'_>,
) -> Result<String, Error> {
    if issuer_key.alg() == Algorithm::Hs256 {
        return Err(Error::AlgorithmNotAllowed);
    }
    let cnf = claims.confirmation_key;
    let cnf_alg = cnf.alg().and_then(Algorithm::from_jws_name);
    if cnf.is_symmetric()
        || !cnf_alg
            .is_some_and(|a| AlgorithmSet::ASYMMETRIC.contains(a) && cnf.check_alg(a).is_ok())
    {
        return Err(Error::InvalidArgument("cnf"));
    }
    let exp = claims
        .issued_at
        .as_secs()
        .checked_add(claims.lifetime)
        .filter(|_| claims.lifetime > 0);
    let exp = exp.ok_or(Error::InvalidArgument("lifetime"))?;
    let mut payload = Object::new();
    payload.insert("sub".into(), claims.subject.as_str().into());
    payload.insert("iat".into(), claims.issued_at.as_secs().into());
    payload.insert("exp".into(), exp.into());
    payload.insert("jti".into(), claims.jti.into());
    if let Some(iss) = claims.issuer {
        payload.insert("iss".into(), iss.into());
    }
    let mut jwk = cnf.to_object();
    jwk.remove("kid");
    let mut cnf_obj = Object::new();
    cnf_obj.insert("jwk".into(), Value::Object(jwk));
    payload.insert("cnf".into(), Value::Object(cnf_obj));
    let mut header = Object::new();
    header.insert("typ".into(), WIT_TYP.into());
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(payload)).as_bytes(),
        issuer_key,
    )
}
