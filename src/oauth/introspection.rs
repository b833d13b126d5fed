//! Token introspection responses (RFC 7662, RFC 9701; specs/oauth.md §5), checked after the host
//! made the HTTP call: `active` must be `true` (`token-inactive` otherwise), `iss` (when
//! present) is the authorization server, `aud` contains this resource (required here: a response
//! that does not say who the token is for is not accepted), `exp`/`nbf` hold, `token_type` is
//! `Bearer` or `DPoP` (a `DPoP` token needs `cnf.jkt`), and `cnf` carries exactly `jkt`.
//! The RFC 9701 JWT form is verified with the authorization server's keys first (`typ`
//! `token-introspection+jwt`, `iss`, `aud` = this client, `iat`), then its
//! `token_introspection` object is checked the same way. Such a JWT is never an access token.

use serde_json::Value;

use super::{TrustedIssuer, VerifiedAccessToken};
use crate::crypto::{AlgorithmSet, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of an RFC 9701 introspection response JWT.
pub const INTROSPECTION_TYP: &str = "token-introspection+jwt";

/// How introspection responses are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrospectionValidation {
    /// The authorization server's issuer identifier.
    pub issuer: String,
    /// This resource's identifier, which `aud` must contain.
    pub resource: String,
    /// Clock skew.
    pub leeway: Leeway,
}

fn opt_string(o: &Object, name: &'static str) -> Result<Option<String>, Error> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

fn check_members(
    o: &Object,
    token: &str,
    v: &IntrospectionValidation,
    now: UnixTime,
) -> Result<VerifiedAccessToken, Error> {
    match o.get("active") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Err(Error::TokenInactive),
        Some(_) => return Err(Error::ClaimInvalid("active")),
        None => return Err(Error::ClaimMissing("active")),
    }
    if opt_string(o, "iss")?.is_some_and(|iss| iss != v.issuer) {
        return Err(Error::ClaimMismatch("iss"));
    }
    let aud = o.get("aud").ok_or(Error::ClaimMissing("aud"))?;
    if !jose::audience_contains(aud, &v.resource)? {
        return Err(Error::ClaimMismatch("aud"));
    }
    let time = |name: &'static str| -> Result<Option<u64>, Error> {
        match o.get(name) {
            None => Ok(None),
            Some(t) => t.as_u64().map(Some).ok_or(Error::ClaimInvalid(name)),
        }
    };
    let exp = time("exp")?;
    if exp.is_some_and(|e| now.as_secs() >= e.saturating_add(v.leeway.0)) {
        return Err(Error::TokenExpired);
    }
    if time("nbf")?.is_some_and(|n| n > now.as_secs().saturating_add(v.leeway.0)) {
        return Err(Error::TokenNotYetValid);
    }
    let cnf_jkt = match o.get("cnf") {
        None => None,
        Some(Value::Object(cnf)) => match (cnf.len(), cnf.get("jkt")) {
            (1, Some(Value::String(jkt))) if !jkt.is_empty() => Some(jkt.clone()),
            _ => return Err(Error::ClaimInvalid("cnf")),
        },
        Some(_) => return Err(Error::ClaimInvalid("cnf")),
    };
    match opt_string(o, "token_type")?.map(|t| t.to_ascii_lowercase()) {
        None => {}
        Some(t) if t == "bearer" => {}
        // A DPoP-bound token must say which key it is bound to.
        Some(t) if t == "dpop" && cnf_jkt.is_none() => return Err(Error::ClaimMissing("cnf")),
        Some(t) if t == "dpop" => {}
        Some(_) => return Err(Error::ClaimInvalid("token_type")),
    }
    let scopes = opt_string(o, "scope")?
        .map(|s| {
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let authorization_details = match o.get("authorization_details") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|d| match d {
                Value::Object(x) if x.get("type").is_some_and(Value::is_string) => Ok(x.clone()),
                _ => Err(Error::ClaimInvalid("authorization_details")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::ClaimInvalid("authorization_details")),
    };
    Ok(VerifiedAccessToken {
        issuer: v.issuer.clone(),
        subject: opt_string(o, "sub")?.unwrap_or_default(),
        client_id: opt_string(o, "client_id")?.unwrap_or_default(),
        scopes,
        authorization_details,
        cnf_jkt,
        acr: opt_string(o, "acr")?,
        auth_time: time("auth_time")?,
        // Without `exp`, a result must not be cached beyond now.
        expires_at: exp.unwrap_or(now.as_secs()),
        token_hash: base64url::encode(&sha256(token.as_bytes())),
        key_thumbprint: None,
        claims: o.clone(),
    })
}

/// Checks an RFC 7662 JSON introspection response for `token` (`subject` and `client_id` are
/// empty when the response omits them).
///
/// # Errors
/// JSON errors; as listed in the module documentation.
pub fn check_introspection_response(
    response: &str,
    token: &str,
    validation: &IntrospectionValidation,
    now: UnixTime,
) -> Result<VerifiedAccessToken, Error> {
    let o = json::parse_object(response.as_bytes(), &Limits::DEFAULT)?;
    check_members(&o, token, validation, now)
}

/// Verifies an RFC 9701 JWT introspection response with the authorization server's keys, for
/// this resource server whose client identifier is `client_id`, then checks its
/// `token_introspection` object.
///
/// # Errors
/// The JWT codes (`typ-mismatch`, `alg-not-allowed`, `key-not-found`, `invalid-signature`,
/// `claim-mismatch` for `iss`/`aud`, `claim-missing` for `iat`); `claim-invalid`
/// (`token_introspection`); then as [`check_introspection_response`].
pub fn verify_introspection_jwt(
    jwt: &str,
    server: &TrustedIssuer,
    client_id: &str,
    token: &str,
    validation: &IntrospectionValidation,
    now: UnixTime,
) -> Result<VerifiedAccessToken, Error> {
    let algorithms: AlgorithmSet = server
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let mut rules = JwtValidation::new(algorithms, Some(INTROSPECTION_TYP))
        .with_issuer(server.issuer.clone())
        .with_audience(client_id)
        .with_required(["iat"])
        .with_leeway(validation.leeway);
    // The response JWT need not carry `exp`; the token's own `exp` is inside.
    rules.require_exp = false;
    let verified = jose::verify_jwt(jwt, &server.keys, &rules, now)?;
    let Some(Value::Object(inner)) = verified.claims.get("token_introspection") else {
        return Err(Error::ClaimInvalid("token_introspection"));
    };
    check_members(inner, token, validation, now)
}
