//! The cross-language shape of the API: what the WIT interface, the npm package and the Python
//! package expose, in one place, so that each binding only converts types.
//!
//! Conventions shared by every binding:
//! - algorithms are JWS names (`ES256`, `EdDSA`, ...), compared case-sensitively;
//! - JWKs, JWK sets, headers and claims cross the boundary as JSON text (plain objects in JS,
//!   dicts in Python after `json.loads`); a "key set" argument accepts either a JWK Set
//!   (`{"keys": [...]}`) or a single JWK;
//! - bytes are bytes; times are Unix seconds supplied by the caller.

use serde_json::Value;

use crate::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use crate::encoding::json;
use crate::error::Error;
use crate::identity::{
    self, Bundle, IdPattern, TrustStore, WitClaims, WitProfile, WitValidation, WorkloadId,
};
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

const LIMITS: Limits = Limits::DEFAULT;

/// Looks up one algorithm by its JWS name.
///
/// # Errors
/// `alg-not-allowed` for `none` and unknown names.
pub fn algorithm(name: &str) -> Result<Algorithm, Error> {
    Algorithm::from_jws_name(name).ok_or(Error::AlgorithmNotAllowed)
}

/// Builds an allow-list from JWS names.
///
/// # Errors
/// `alg-not-allowed` if any name is unknown or `none`.
pub fn algorithms<S: AsRef<str>>(names: &[S]) -> Result<AlgorithmSet, Error> {
    AlgorithmSet::from_jws_names(names.iter().map(AsRef::as_ref))
}

/// Parses a key set argument: a JWK Set, or a single JWK.
///
/// # Errors
/// JSON errors; `invalid-key` for a single JWK that is unusable; `limit-exceeded` for a set
/// with too many keys. (Unusable keys inside a set are skipped, RFC 7517 §5.)
pub fn key_set(text: &str) -> Result<JwkSet, Error> {
    let obj = json::parse_object(text.as_bytes(), &LIMITS)?;
    if obj.contains_key("keys") {
        JwkSet::from_object(&obj, &LIMITS)
    } else {
        Ok(JwkSet::from_keys(vec![Jwk::from_object(&obj)?]))
    }
}

/// An RFC 7638 thumbprint with its input and RFC 9278 URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbprint {
    /// The canonical JSON that was hashed.
    pub canonical: String,
    /// base64url SHA-256 of `canonical`.
    pub thumbprint: String,
    /// `urn:ietf:params:oauth:jwk-thumbprint:sha-256:<thumbprint>`.
    pub thumbprint_uri: String,
}

/// The RFC 7638 thumbprint of a JWK (private members are ignored).
///
/// # Errors
/// JSON errors; `invalid-key`; `malformed-base64`.
pub fn thumbprint(jwk: &str) -> Result<Thumbprint, Error> {
    let jwk = Jwk::from_json(jwk, &LIMITS)?;
    Ok(Thumbprint {
        canonical: jwk.thumbprint_input(),
        thumbprint: jwk.thumbprint(),
        thumbprint_uri: jwk.thumbprint_uri().0,
    })
}

/// Validates a JWK and returns its public form (compact JSON, members sorted; private members
/// dropped).
///
/// # Errors
/// As [`thumbprint`].
pub fn import_jwk(jwk: &str) -> Result<String, Error> {
    Ok(Jwk::from_json(jwk, &LIMITS)?.to_json())
}

/// Verifies a raw signature (JWS / RFC 9421 encoding) over `message`.
///
/// # Errors
/// `alg-not-allowed`, key errors, `key-mismatch`, `invalid-signature`.
pub fn verify_signature(
    alg: &str,
    jwk: &str,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    Jwk::from_json(jwk, &LIMITS)?.verify(algorithm(alg)?, message, signature)
}

/// How many random bytes a host draws for a key pair of `alg` ([`Algorithm::seed_len`]).
///
/// # Errors
/// `alg-not-allowed` for unknown names and verify-only algorithms.
pub fn seed_length(alg: &str) -> Result<u32, Error> {
    algorithm(alg)?
        .seed_len()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(Error::AlgorithmNotAllowed)
}

/// A key pair from caller-drawn seed bytes ([`KeyPair::from_seed`]), with an optional `kid`.
///
/// # Errors
/// As [`KeyPair::from_seed`], plus `alg-not-allowed` for an unknown name.
pub fn key_pair_from_seed(alg: &str, seed: &[u8], kid: Option<&str>) -> Result<KeyPair, Error> {
    let pair = KeyPair::from_seed(algorithm(alg)?, seed)?;
    Ok(match kid {
        Some(kid) => pair.with_kid(kid),
        None => pair,
    })
}

/// A key pair from a private JWK ([`KeyPair::from_jwk`]).
///
/// # Errors
/// As [`KeyPair::from_jwk`], plus `alg-not-allowed` for an unknown name.
pub fn key_pair_from_jwk(jwk: &str, alg: Option<&str>) -> Result<KeyPair, Error> {
    KeyPair::from_jwk(jwk, alg.map(algorithm).transpose()?, &LIMITS)
}

/// A verified JWS, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJws {
    /// The algorithm that verified.
    pub alg: String,
    /// The protected header, compact JSON.
    pub header: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// RFC 7638 thumbprint of the key that verified.
    pub key_thumbprint: String,
}

/// Parses and verifies a compact JWS against a key set and an algorithm allow-list.
///
/// # Errors
/// As [`jose::parse_jws`] and [`jose::UnverifiedJws::verify`].
pub fn verify_jws<S: AsRef<str>>(
    token: &str,
    keys: &str,
    allowed: &[S],
) -> Result<VerifiedJws, Error> {
    let keys = key_set(keys)?;
    let verified = jose::parse_jws(token, &LIMITS)?.verify(&keys, algorithms(allowed)?, &LIMITS)?;
    Ok(VerifiedJws {
        alg: verified.alg().jws_name().to_owned(),
        header: json::to_compact(&Value::Object(verified.header().raw().clone())),
        key_thumbprint: verified.key().thumbprint(),
        payload: verified.payload().to_vec(),
    })
}

/// JWT rules as bindings pass them (see [`JwtValidation`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JwtRules {
    /// Allowed algorithms (JWS names).
    pub algorithms: Vec<String>,
    /// Required explicit `typ`, or none for untyped JWTs.
    pub typ: Option<String>,
    /// Required `iss`.
    pub issuer: Option<String>,
    /// Value `aud` must contain.
    pub audience: Option<String>,
    /// Required `sub`.
    pub subject: Option<String>,
    /// Claims that must be present.
    pub required: Vec<String>,
    /// Leeway in seconds (default 60).
    pub leeway: Option<u64>,
    /// Maximum age in seconds since `iat`.
    pub max_age: Option<u64>,
}

impl JwtRules {
    /// The equivalent [`JwtValidation`].
    ///
    /// # Errors
    /// `alg-not-allowed` for an unknown algorithm name.
    pub fn to_validation(&self) -> Result<JwtValidation, Error> {
        let mut v = JwtValidation::new(algorithms(&self.algorithms)?, self.typ.as_deref());
        v.issuer.clone_from(&self.issuer);
        v.audience.clone_from(&self.audience);
        v.subject.clone_from(&self.subject);
        v.required.clone_from(&self.required);
        v.leeway = self.leeway.map_or(Leeway::DEFAULT, Leeway);
        v.max_age = self.max_age;
        Ok(v)
    }
}

/// A verified JWT, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJwt {
    /// The protected header, compact JSON.
    pub header: String,
    /// The claims, compact JSON.
    pub claims: String,
    /// RFC 7638 thumbprint of the key that verified.
    pub key_thumbprint: String,
}

/// Verifies a JWT ([`jose::verify_jwt`]).
///
/// # Errors
/// As [`jose::verify_jwt`], plus `alg-not-allowed` for unknown names in the rules.
pub fn verify_jwt(
    token: &str,
    keys: &str,
    rules: &JwtRules,
    now: u64,
) -> Result<VerifiedJwt, Error> {
    let keys = key_set(keys)?;
    let jwt = jose::verify_jwt(token, &keys, &rules.to_validation()?, UnixTime(now))?;
    Ok(VerifiedJwt {
        header: json::to_compact(&Value::Object(jwt.header.raw().clone())),
        claims: json::to_compact(&Value::Object(jwt.claims)),
        key_thumbprint: jwt.key.thumbprint(),
    })
}

/// Signs a compact JWS; `header` is a JSON object of extra protected members (may be `{}`).
///
/// # Errors
/// JSON errors for `header`; as [`jose::sign_jws`].
pub fn sign_jws(header: &str, payload: &[u8], key: &KeyPair) -> Result<String, Error> {
    jose::sign_jws(
        &json::parse_object(header.as_bytes(), &LIMITS)?,
        payload,
        key,
    )
}

/// A parsed workload identifier, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedId {
    /// The canonical identifier.
    pub id: String,
    /// `spiffe` or `wimse`.
    pub scheme: String,
    /// The trust domain.
    pub trust_domain: String,
    /// The path (empty for a SPIFFE trust-domain ID).
    pub path: String,
    /// Scheme and trust domain, e.g. `spiffe://example.org`.
    pub origin: String,
}

impl From<&WorkloadId> for ParsedId {
    fn from(id: &WorkloadId) -> Self {
        Self {
            id: id.as_str().to_owned(),
            scheme: id.scheme().as_str().to_owned(),
            trust_domain: id.trust_domain().to_owned(),
            path: id.path().to_owned(),
            origin: id.origin().to_owned(),
        }
    }
}

/// Parses a SPIFFE ID or WIMSE identifier ([`WorkloadId::parse`]).
///
/// # Errors
/// `invalid-identifier`.
pub fn parse_workload_id(text: &str) -> Result<ParsedId, Error> {
    Ok(ParsedId::from(&WorkloadId::parse(text)?))
}

/// Parses a SPIFFE ID only ([`WorkloadId::parse_spiffe`]).
///
/// # Errors
/// `invalid-identifier`.
pub fn parse_spiffe_id(text: &str) -> Result<ParsedId, Error> {
    Ok(ParsedId::from(&WorkloadId::parse_spiffe(text)?))
}

/// Whether the identifier `id` matches the policy pattern `pattern` ([`IdPattern`]).
///
/// # Errors
/// `invalid-identifier` when either is not canonical (a non-canonical `id` never matches: it is
/// rejected).
pub fn id_matches(pattern: &str, id: &str) -> Result<bool, Error> {
    Ok(IdPattern::parse(pattern)?.matches(&WorkloadId::parse(id)?))
}

/// A parsed SPIFFE trust bundle, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInfo {
    /// The trust domain.
    pub trust_domain: String,
    /// `spiffe_sequence`.
    pub sequence: Option<u64>,
    /// `spiffe_refresh_hint`, or the 300 s default.
    pub refresh_hint: u64,
    /// `kid`s of the JWT-SVID authorities.
    pub jwt_kids: Vec<String>,
    /// `kid`s of the WIT-SVID authorities.
    pub wit_kids: Vec<String>,
    /// base64url SHA-256 of each X.509 authority (DER).
    pub x509_thumbprints: Vec<String>,
    /// Entries ignored (unknown `use`/`kty`, unusable keys).
    pub skipped: u32,
}

fn kids(keys: &[Jwk]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| k.kid().map(str::to_owned))
        .collect()
}

/// Parses the bundle of `trust_domain` ([`Bundle::parse`]).
///
/// # Errors
/// As [`Bundle::parse`].
pub fn parse_bundle(trust_domain: &str, text: &str) -> Result<BundleInfo, Error> {
    let b = Bundle::parse(trust_domain, text, &LIMITS)?;
    Ok(BundleInfo {
        trust_domain: b.key(),
        sequence: b.sequence(),
        refresh_hint: b.refresh_hint(),
        jwt_kids: kids(b.jwt_authorities()),
        wit_kids: kids(b.wit_authorities()),
        x509_thumbprints: b.x509_thumbprints(),
        skipped: u32::try_from(b.skipped()).unwrap_or(u32::MAX),
    })
}

/// Parses a SPIFFE bundle map; returns its trust domains, sorted ([`TrustStore::from_bundle_map`]).
///
/// # Errors
/// As [`TrustStore::from_bundle_map`].
pub fn parse_bundle_map(text: &str) -> Result<Vec<String>, Error> {
    let store = TrustStore::from_bundle_map(text, &LIMITS)?;
    Ok(store.trust_domains())
}

/// A verified Workload Identity Token, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedWit {
    /// The workload identifier (`sub`).
    pub subject: String,
    /// Its trust domain.
    pub trust_domain: String,
    /// `cnf.jwk` (compact JSON): the key every proof must verify under.
    pub cnf_jwk: String,
    /// `cnf.jwk.alg`: the algorithm every proof must use.
    pub proof_alg: String,
    /// RFC 7638 thumbprint of the identity server key that signed the WIT.
    pub issuer_key_thumbprint: String,
    /// All claims (compact JSON).
    pub claims: String,
}

/// Verifies a WIT against a trust store given as a SPIFFE bundle map (JSON text)
/// ([`identity::verify_workload_identity_token`]); `wit_svid` applies the SPIFFE WIT-SVID
/// profile.
///
/// # Errors
/// As [`TrustStore::from_bundle_map`] and [`identity::verify_workload_identity_token`].
pub fn verify_workload_identity_token(
    token: &str,
    trust_store: &str,
    now: u64,
    max_lifetime: Option<u64>,
    wit_svid: bool,
) -> Result<VerifiedWit, Error> {
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let mut validation = WitValidation::default();
    if wit_svid {
        validation.profile = WitProfile::WitSvid;
    }
    if let Some(max) = max_lifetime {
        validation.max_lifetime = max;
    }
    let v = identity::verify_workload_identity_token(token, &store, &validation, UnixTime(now))?;
    Ok(VerifiedWit {
        subject: v.subject.as_str().to_owned(),
        trust_domain: v.subject.trust_domain().to_owned(),
        cnf_jwk: v.confirmation_key.to_json(),
        proof_alg: v.proof_alg.jws_name().to_owned(),
        issuer_key_thumbprint: v.issuer_key_thumbprint,
        claims: json::to_compact(&Value::Object(v.claims)),
    })
}

/// Issues a WIT ([`identity::issue_workload_identity_token`]); `cnf_jwk` is the workload's
/// public JWK with `alg` (JSON text).
///
/// # Errors
/// `invalid-identifier` for `subject`; key errors for `cnf_jwk`; as
/// [`identity::issue_workload_identity_token`].
#[allow(clippy::too_many_arguments)]
pub fn issue_workload_identity_token(
    issuer_key: &KeyPair,
    subject: &str,
    cnf_jwk: &str,
    now: u64,
    lifetime: u64,
    jti: &str,
    issuer: Option<&str>,
) -> Result<String, Error> {
    let subject = WorkloadId::parse(subject)?;
    let cnf = Jwk::from_json(cnf_jwk, &LIMITS)?;
    let claims = WitClaims {
        subject: &subject,
        confirmation_key: &cnf,
        issued_at: UnixTime(now),
        lifetime,
        jti,
        issuer,
    };
    identity::issue_workload_identity_token(issuer_key, &claims)
}

/// A verified JWT-SVID, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJwtSvid {
    /// The SPIFFE ID (`sub`).
    pub subject: String,
    /// Its trust domain.
    pub trust_domain: String,
    /// RFC 7638 thumbprint of the signing key.
    pub issuer_key_thumbprint: String,
    /// All claims (compact JSON).
    pub claims: String,
}

/// Verifies a JWT-SVID for `audience` against a trust store given as a SPIFFE bundle map
/// ([`identity::verify_jwt_svid`]), with the default 60 s leeway.
///
/// # Errors
/// As [`TrustStore::from_bundle_map`] and [`identity::verify_jwt_svid`].
pub fn verify_jwt_svid(
    token: &str,
    trust_store: &str,
    audience: &str,
    now: u64,
) -> Result<VerifiedJwtSvid, Error> {
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let v = identity::verify_jwt_svid(token, &store, audience, Leeway::DEFAULT, UnixTime(now))?;
    Ok(VerifiedJwtSvid {
        subject: v.subject.as_str().to_owned(),
        trust_domain: v.subject.trust_domain().to_owned(),
        issuer_key_thumbprint: v.issuer_key_thumbprint,
        claims: json::to_compact(&Value::Object(v.claims)),
    })
}

/// A WIT issued after attestation, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedWit {
    /// The compact WIT.
    pub token: String,
    /// The identity it names (`sub`).
    pub subject: String,
    /// `iat`.
    pub issued_at: u64,
    /// `exp`.
    pub expires_at: u64,
    /// When the holder should renew (half-life).
    pub renew_after: u64,
}

/// Checks attestation `evidence` against an issuance `policy` (JSON text, see
/// [`identity::IssuancePolicy`]) and issues a WIT binding `cnf_jwk` to the matched identity,
/// signed by `issuer_key`.
///
/// # Errors
/// As [`identity::IssuancePolicy::from_json`] and [`identity::Issuer::issue`]; key errors for
/// `cnf_jwk`.
pub fn issue_attested_wit(
    issuer_key: &KeyPair,
    policy: &str,
    evidence: &str,
    cnf_jwk: &str,
    now: u64,
    jti: &str,
) -> Result<IssuedWit, Error> {
    let policy = identity::IssuancePolicy::from_json(policy, &LIMITS)?;
    let holder = Jwk::from_json(cnf_jwk, &LIMITS)?;
    let issuer = identity::Issuer::new(issuer_key.clone(), policy)?;
    let w = issuer.issue(evidence, &holder, UnixTime(now), jti)?;
    Ok(IssuedWit {
        token: w.token,
        subject: w.subject.as_str().to_owned(),
        issued_at: w.issued_at.as_secs(),
        expires_at: w.expires_at.as_secs(),
        renew_after: w.renew_after.as_secs(),
    })
}

/// When to renew a credential valid from `issued_at` to `expires_at` (its half-life).
///
/// # Errors
/// As [`identity::renewal_time`].
pub fn renewal_time(issued_at: u64, expires_at: u64) -> Result<u64, Error> {
    identity::renewal_time(UnixTime(issued_at), UnixTime(expires_at)).map(UnixTime::as_secs)
}

/// A verified X.509-SVID, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedX509Svid {
    /// The SPIFFE ID (the single URI SAN).
    pub subject: String,
    /// Its trust domain.
    pub trust_domain: String,
    /// The leaf's `notAfter`, Unix seconds.
    pub not_after: u64,
    /// base64url SHA-256 of the leaf's SubjectPublicKeyInfo.
    pub spki_sha256: String,
    /// base64url SHA-256 of the leaf certificate (DER).
    pub leaf_sha256: String,
    /// Certificates in the validated path, leaf and anchor included.
    pub path_length: u32,
}

/// Verifies an X.509-SVID given as PEM text (leaf first, then intermediates) against a trust
/// store (SPIFFE bundle map, JSON text) at `now`.
///
/// # Errors
/// As [`identity::parse_pem_chain`], [`TrustStore::from_bundle_map`] and
/// [`identity::verify_x509_svid`].
pub fn verify_x509_svid(
    chain_pem: &str,
    trust_store: &str,
    now: u64,
) -> Result<VerifiedX509Svid, Error> {
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let chain = identity::parse_pem_chain(chain_pem, &LIMITS)?;
    let v = identity::verify_x509_svid(&chain, &store, UnixTime(now), &LIMITS)?;
    Ok(VerifiedX509Svid {
        subject: v.subject.as_str().to_owned(),
        trust_domain: v.subject.trust_domain().to_owned(),
        not_after: v.not_after.as_secs(),
        spki_sha256: v.spki_sha256,
        leaf_sha256: v.leaf_sha256,
        path_length: u32::try_from(v.path_length).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_set_accepts_a_single_jwk_or_a_set() {
        let pair = key_pair_from_seed("ES256", &[1; 32], Some("k1")).unwrap();
        let jwk = pair.public_jwk().to_json();
        let token = sign_jws("{}", b"x", &pair).unwrap();
        let single = verify_jws(&token, &jwk, &["ES256"]).unwrap();
        let set = verify_jws(&token, &format!(r#"{{"keys":[{jwk}]}}"#), &["ES256"]).unwrap();
        assert_eq!(single, set);
        assert_eq!(single.payload, b"x");
        assert_eq!(
            verify_jws(&token, &jwk, &["none"]).unwrap_err(),
            Error::AlgorithmNotAllowed
        );
    }
}

mod proof;
pub use proof::*;

mod httpsig;
pub use httpsig::*;

mod gate;
pub use gate::*;

mod oauth;
pub use oauth::*;

mod events;
pub use events::*;
