//! Client authentication at the token endpoint (specs/oauth.md §6.3–6.4): `private_key_jwt`
//! assertions (RFC 7523 with draft-ietf-oauth-rfc7523bis: the authorization server's issuer
//! identifier is the **sole** audience), the SPIFFE JWT-SVID mode
//! (draft-ietf-oauth-spiffe-client-auth), and the client-credentials request.
//!
//! Verification (the authorization-server side, for tests and agent token services), one code
//! per step: the client's algorithms and keys (`alg-not-allowed`, `key-not-found`,
//! `invalid-signature`); `iss` and `sub` both equal to the client id (`claim-mismatch`);
//! `aud` exactly the issuer, as a string or a one-element array (`claim-mismatch`); `exp`
//! present and ahead, `nbf` reached (`token-expired`, `token-not-yet-valid`); a lifetime of at
//! most `max_lifetime` (`token-too-old`); `jti` present (`claim-missing`) and not replayed
//! (`replayed`).

use serde_json::Value;

use crate::crypto::{AlgorithmSet, JwkSet, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::identity::{TrustStore, verify_jwt_svid};
use crate::jose::{self, JwtValidation};
use crate::proof::ReplayCache;
use crate::time::{Leeway, UnixTime};

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// `client_assertion_type` of a JWT-SVID (draft-ietf-oauth-spiffe-client-auth).
pub const JWT_SPIFFE_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";

/// Creates a `private_key_jwt` client assertion: `iss` = `sub` = `client_id`, `aud` = the
/// authorization server's issuer (a string), `iat` = `nbf` = now, `exp` = now + `lifetime`,
/// `jti` from the caller.
///
/// # Errors
/// `invalid-argument`: empty `client_id`, `issuer` or `jti`; `lifetime` 0 or over 300 s;
/// `alg-not-allowed` for an HMAC key.
pub fn create_client_assertion(
    key: &KeyPair,
    client_id: &str,
    issuer: &str,
    jti: &str,
    now: UnixTime,
    lifetime: u64,
) -> Result<String, Error> {
    for (v, name) in [(client_id, "client_id"), (issuer, "issuer"), (jti, "jti")] {
        if v.is_empty() {
            return Err(Error::InvalidArgument(name));
        }
    }
    if lifetime == 0 || lifetime > 300 {
        return Err(Error::InvalidArgument("lifetime"));
    }
    if !AlgorithmSet::ASYMMETRIC.contains(key.alg()) {
        return Err(Error::AlgorithmNotAllowed);
    }
    let mut claims = Object::new();
    claims.insert("iss".into(), client_id.into());
    claims.insert("sub".into(), client_id.into());
    claims.insert("aud".into(), issuer.into());
    claims.insert("iat".into(), now.as_secs().into());
    claims.insert("nbf".into(), now.as_secs().into());
    claims.insert("exp".into(), now.saturating_add(lifetime).as_secs().into());
    claims.insert("jti".into(), jti.into());
    jose::sign_jws(
        &Object::new(),
        json::to_compact(&Value::Object(claims)).as_bytes(),
        key,
    )
}

/// How an authorization server checks a client's assertion.
#[derive(Debug, Clone)]
pub struct ClientAssertionValidation {
    /// The client's identifier.
    pub client_id: String,
    /// This authorization server's issuer identifier: the sole accepted audience.
    pub issuer: String,
    /// The client's registered keys.
    pub keys: JwkSet,
    /// Accepted algorithms (asymmetric only).
    pub algorithms: AlgorithmSet,
    /// Clock skew.
    pub leeway: Leeway,
    /// Maximum `exp - now`, seconds.
    pub max_lifetime: u64,
}

/// A verified client assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedClientAssertion {
    /// The authenticated client.
    pub client_id: String,
    /// `jti`.
    pub jti: String,
    /// `exp`.
    pub expires_at: u64,
}

/// `aud` holds exactly `issuer`: a string, or an array with that one value (rfc7523bis).
fn sole_audience(claims: &Object, issuer: &str) -> Result<(), Error> {
    let ok = match claims.get("aud") {
        Some(Value::String(a)) => a == issuer,
        Some(Value::Array(items)) => {
            items.len() == 1 && items.first().and_then(Value::as_str) == Some(issuer)
        }
        None => return Err(Error::ClaimMissing("aud")),
        Some(_) => return Err(Error::ClaimInvalid("aud")),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::ClaimMismatch("aud"))
    }
}

/// Verifies a `private_key_jwt` assertion (see the module documentation); `replay`, when given,
/// records `(client_id, jti)` until `exp`.
///
/// # Errors
/// As listed in the module documentation.
pub fn verify_client_assertion(
    assertion: &str,
    v: &ClientAssertionValidation,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedClientAssertion, Error> {
    let algorithms: AlgorithmSet = v
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let rules = JwtValidation::new(algorithms, None)
        .with_issuer(v.client_id.clone())
        .with_audience(v.issuer.clone())
        .with_required(["jti", "sub"])
        .with_leeway(v.leeway);
    let verified = jose::verify_jwt(assertion, &v.keys, &rules, now)?;
    let claims = verified.claims;
    if claims.get("sub").and_then(Value::as_str) != Some(v.client_id.as_str()) {
        return Err(Error::ClaimMismatch("sub"));
    }
    sole_audience(&claims, &v.issuer)?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_u64)
        .ok_or(Error::ClaimInvalid("exp"))?;
    if exp.saturating_sub(now.as_secs()) > v.max_lifetime {
        return Err(Error::TokenTooOld);
    }
    let jti = match claims.get("jti") {
        Some(Value::String(j)) if !j.is_empty() => j.clone(),
        _ => return Err(Error::ClaimInvalid("jti")),
    };
    if let Some(cache) = replay {
        cache.check_and_insert(
            &v.client_id,
            &jti,
            UnixTime(exp).saturating_add(v.leeway.0),
            now,
        )?;
    }
    Ok(VerifiedClientAssertion {
        client_id: v.client_id.clone(),
        jti,
        expires_at: exp,
    })
}

/// Verifies a JWT-SVID client assertion (SPIFFE client authentication): a JWT-SVID from the
/// trust store whose sole audience is this authorization server's `issuer`; returns the SPIFFE
/// ID, which the caller maps to a registered client.
///
/// # Errors
/// As [`verify_jwt_svid`]; `claim-mismatch` (`aud`) when `aud` has other values too.
pub fn verify_spiffe_client_assertion(
    assertion: &str,
    store: &TrustStore,
    issuer: &str,
    leeway: Leeway,
    now: UnixTime,
) -> Result<String, Error> {
    let svid = verify_jwt_svid(assertion, store, issuer, leeway, now)?;
    sole_audience(&svid.claims, issuer)?;
    Ok(svid.subject.as_str().to_owned())
}

/// How a client authenticates a client-credentials request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// `private_key_jwt`: this assertion (from [`create_client_assertion`]).
    PrivateKeyJwt(String),
    /// SPIFFE JWT-SVID mode: this JWT-SVID.
    JwtSvid(String),
    /// mTLS (RFC 8705, including X.509-SVIDs): `client_id` only, the certificate does the rest.
    Mtls,
}

/// The form body of a client-credentials token request (RFC 6749 §4.4) with the client's
/// authentication, scopes and RFC 8707 resources.
///
/// # Errors
/// `invalid-argument`: empty `client_id`, a scope with a space, a resource that is not an
/// absolute URI without fragment, an empty assertion.
pub fn client_credentials_request(
    client_id: &str,
    auth: &ClientAuthentication,
    scopes: &[String],
    resources: &[String],
) -> Result<String, Error> {
    if client_id.is_empty() {
        return Err(Error::InvalidArgument("client_id"));
    }
    if scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
        return Err(Error::InvalidArgument("scope"));
    }
    if resources
        .iter()
        .any(|r| !r.contains("://") || r.contains('#'))
    {
        return Err(Error::InvalidArgument("resource"));
    }
    let mut pairs: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
    let joined = scopes.join(" ");
    if !scopes.is_empty() {
        pairs.push(("scope", &joined));
    }
    for r in resources {
        pairs.push(("resource", r));
    }
    pairs.push(("client_id", client_id));
    match auth {
        ClientAuthentication::PrivateKeyJwt(a) | ClientAuthentication::JwtSvid(a) => {
            if a.is_empty() {
                return Err(Error::InvalidArgument("client_assertion"));
            }
            let kind = if matches!(auth, ClientAuthentication::JwtSvid(_)) {
                JWT_SPIFFE_ASSERTION
            } else {
                JWT_BEARER_ASSERTION
            };
            pairs.push(("client_assertion_type", kind));
            pairs.push(("client_assertion", a));
        }
        ClientAuthentication::Mtls => {}
    }
    let mut out = String::new();
    for (n, v) in pairs {
        super::exchange::form_encode(&mut out, n, v);
    }
    Ok(out)
}

/// The explicit type of a client-attestation proof of possession
/// (draft-ietf-oauth-attestation-based-client-auth).
pub const CLIENT_ATTESTATION_POP_TYP: &str = "oauth-client-attestation-pop+jwt";

/// Creates the `OAuth-Client-Attestation-PoP` JWT for the SPIFFE client-authentication WIT mode:
/// signed by the private half of the WIT's `cnf.jwk`, with `aud` = the authorization server's
/// issuer, `jti`, `iat`, and the server's `challenge` when it sent one. Send it with the WIT in
/// `OAuth-Client-Attestation`.
///
/// # Errors
/// `invalid-argument` (`issuer`, `jti`) when empty, (`key`) when its algorithm name is not the
/// WIT's `cnf.jwk.alg`, (`wit`) for a WIT without one; `alg-not-allowed` for an HMAC key.
pub fn create_client_attestation_pop(
    key: &KeyPair,
    wit: &str,
    issuer: &str,
    jti: &str,
    challenge: Option<&str>,
    now: UnixTime,
) -> Result<String, Error> {
    if issuer.is_empty() {
        return Err(Error::InvalidArgument("issuer"));
    }
    if jti.is_empty() {
        return Err(Error::InvalidArgument("jti"));
    }
    if !AlgorithmSet::ASYMMETRIC.contains(key.alg()) {
        return Err(Error::AlgorithmNotAllowed);
    }
    crate::proof::check_proof_key(wit, key)?;
    let mut claims = Object::new();
    claims.insert("aud".into(), issuer.into());
    claims.insert("jti".into(), jti.into());
    claims.insert("iat".into(), now.as_secs().into());
    if let Some(c) = challenge {
        claims.insert("challenge".into(), c.into());
    }
    let mut header = Object::new();
    header.insert("typ".into(), CLIENT_ATTESTATION_POP_TYP.into());
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(claims)).as_bytes(),
        key,
    )
}

/// Verifies the SPIFFE client-authentication WIT mode at an authorization server: the WIT from
/// `OAuth-Client-Attestation` against the trust store, then the
/// `OAuth-Client-Attestation-PoP` under the WIT's `cnf.jwk` (its `alg` string-equal to
/// `cnf.jwk.alg`, `typ` `oauth-client-attestation-pop+jwt`, `aud` the issuer as a string,
/// non-empty `jti` not replayed, `iat` within `max_age`, and `challenge` equal to
/// `expected_challenge` when the server requires one). Returns the client's SPIFFE ID.
///
/// # Errors
/// The WIT codes; `alg-not-allowed`, `invalid-signature`, `typ-mismatch`; `claim-missing` /
/// `claim-invalid` / `claim-mismatch` naming `aud`, `jti`, `iat` or `challenge`;
/// `token-too-old`, `token-issued-in-future`; `replayed`.
#[allow(clippy::too_many_arguments)]
pub fn verify_wit_client_attestation(
    wit: &str,
    pop: &str,
    store: &TrustStore,
    issuer: &str,
    expected_challenge: Option<&str>,
    max_age: u64,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<String, Error> {
    let limits = crate::limits::Limits::DEFAULT;
    let verified = crate::identity::verify_workload_identity_token(
        wit,
        store,
        &crate::identity::WitValidation::default(),
        now,
    )?;
    let jws = jose::parse_jws(pop, &limits)?;
    if verified.confirmation_key.alg() != Some(jws.header().alg()) {
        return Err(Error::AlgorithmNotAllowed);
    }
    let v = jws.verify_with_key(
        &verified.confirmation_key,
        AlgorithmSet::EMPTY.with(verified.proof_alg),
    )?;
    if !v
        .header()
        .typ()
        .is_some_and(|t| jose::typ_matches(t, CLIENT_ATTESTATION_POP_TYP))
    {
        return Err(Error::TypMismatch);
    }
    let claims = json::parse_object(v.payload(), &limits)?;
    match claims.get("aud") {
        Some(Value::String(a)) if a == issuer => {}
        Some(Value::String(_)) => return Err(Error::ClaimMismatch("aud")),
        Some(_) => return Err(Error::ClaimInvalid("aud")),
        None => return Err(Error::ClaimMissing("aud")),
    }
    let jti = match claims.get("jti") {
        Some(Value::String(j)) if !j.is_empty() => j.clone(),
        Some(_) => return Err(Error::ClaimInvalid("jti")),
        None => return Err(Error::ClaimMissing("jti")),
    };
    let iat = match claims.get("iat") {
        Some(v) => v.as_u64().ok_or(Error::ClaimInvalid("iat"))?,
        None => return Err(Error::ClaimMissing("iat")),
    };
    if iat > now.as_secs().saturating_add(60) {
        return Err(Error::TokenIssuedInFuture);
    }
    if now.as_secs().saturating_sub(iat) > max_age {
        return Err(Error::TokenTooOld);
    }
    if let Some(expected) = expected_challenge {
        match claims.get("challenge") {
            Some(Value::String(c)) if c == expected => {}
            Some(Value::String(_)) => return Err(Error::ClaimMismatch("challenge")),
            Some(_) => return Err(Error::ClaimInvalid("challenge")),
            None => return Err(Error::ClaimMissing("challenge")),
        }
    }
    let subject = verified.subject.as_str().to_owned();
    if let Some(cache) = replay {
        cache.check_and_insert(&subject, &jti, UnixTime(iat.saturating_add(max_age)), now)?;
    }
    Ok(subject)
}
