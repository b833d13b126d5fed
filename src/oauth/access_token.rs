//! RFC 9068 JWT access tokens at a resource server (specs/oauth.md §2.3 steps 3–10).
//!
//! Each step has one error code: `typ` exactly `at+jwt` / `application/at+jwt`
//! (`typ-mismatch`); the issuer is read from the unverified `iss` **only to select that
//! issuer's configuration** — unknown issuers are refused (`claim-mismatch`), and keys and
//! algorithms come from that issuer alone (`alg-not-allowed`, `key-not-found`,
//! `invalid-signature`); `aud` contains this resource's identifier (RFC 8707,
//! `claim-mismatch`); `exp`/`nbf`/`iat` (`token-expired`, `token-not-yet-valid`,
//! `token-issued-in-future`); `iss`, `exp`, `aud`, `sub`, `client_id`, `iat`, `jti` present with
//! string types where strings are due (`claim-missing`, `claim-invalid`); `cnf` with exactly one
//! supported member, `jkt` (`claim-invalid`). The DPoP proof that `cnf.jkt` demands is the
//! caller's next step ([`crate::proof::verify_dpop_proof`] with `expected_jkt`): a bound token
//! without its proof is not authenticated.

use serde_json::Value;

use crate::crypto::{AlgorithmSet, JwkSet, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of a JWT access token.
pub const AT_TYP: &str = "at+jwt";

/// One trusted authorization server: its issuer identifier, its keys, its algorithms.
#[derive(Debug, Clone)]
pub struct TrustedIssuer {
    /// The issuer identifier, compared exactly with `iss`.
    pub issuer: String,
    /// Its JWK Set (fetched by the host from its `jwks_uri`).
    pub keys: JwkSet,
    /// Algorithms accepted from this issuer (asymmetric only).
    pub algorithms: AlgorithmSet,
}

/// How access tokens are checked.
#[derive(Debug, Clone)]
pub struct AccessTokenValidation {
    /// The authorization servers this resource trusts.
    pub issuers: Vec<TrustedIssuer>,
    /// This resource's identifier (RFC 8707 / RFC 9728 `resource`), which `aud` must contain.
    pub resource: String,
    /// Clock skew for `exp`, `nbf`, `iat`.
    pub leeway: Leeway,
    /// Counted limits.
    pub limits: Limits,
}

/// A verified access token.
#[derive(Debug, Clone)]
pub struct VerifiedAccessToken {
    /// `iss`.
    pub issuer: String,
    /// `sub`: the user, or the client for grants without one.
    pub subject: String,
    /// `client_id`.
    pub client_id: String,
    /// The scopes granted (`scope`, split on spaces).
    pub scopes: Vec<String>,
    /// `authorization_details` (RFC 9396), if present.
    pub authorization_details: Vec<Object>,
    /// `cnf.jkt`: the DPoP key this token is bound to, if any.
    pub cnf_jkt: Option<String>,
    /// `acr`.
    pub acr: Option<String>,
    /// `auth_time`.
    pub auth_time: Option<u64>,
    /// `exp`.
    pub expires_at: u64,
    /// base64url SHA-256 of the token string (for logs and caches; never the token itself).
    pub token_hash: String,
    /// RFC 7638 thumbprint of the issuer key that signed it (`None` for an introspected
    /// token).
    pub key_thumbprint: Option<String>,
    /// All claims.
    pub claims: Object,
}

fn string<'c>(claims: &'c Object, name: &'static str) -> Result<&'c str, Error> {
    match claims.get(name) {
        None => Err(Error::ClaimMissing(name)),
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Verifies a JWT access token for this resource at `now` (see the module documentation).
///
/// # Errors
/// As listed in the module documentation, plus the syntax codes of [`jose::parse_jws`].
pub fn verify_access_token(
    token: &str,
    validation: &AccessTokenValidation,
    now: UnixTime,
) -> Result<VerifiedAccessToken, Error> {
    let limits = &validation.limits;
    let jws = jose::parse_jws(token, limits)?;
    // Step 3: explicit type.
    if !jws
        .header()
        .typ()
        .is_some_and(|t| jose::typ_matches(t, AT_TYP))
    {
        return Err(Error::TypMismatch);
    }
    // Steps 4–6: the issuer picks keys and algorithms; nothing else does.
    let unverified = json::parse_object(jws.unverified_payload(), limits)?;
    let iss = string(&unverified, "iss")?;
    let trusted = validation
        .issuers
        .iter()
        .find(|i| i.issuer == iss)
        .ok_or(Error::ClaimMismatch("iss"))?;
    let algorithms: AlgorithmSet = trusted
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let verified = jws.verify(&trusted.keys, algorithms, limits)?;
    let key_thumbprint = Some(verified.key().thumbprint());
    let claims = json::parse_object(verified.payload(), limits)?;
    // Steps 5, 7, 8: iss exactly, aud contains the resource, times.
    let mut rules = JwtValidation::new(algorithms, Some(AT_TYP))
        .with_issuer(trusted.issuer.clone())
        .with_audience(validation.resource.clone())
        .with_leeway(validation.leeway);
    rules.limits = *limits;
    jose::check_claims(&claims, &rules, now)?;
    // Step 9: the required claims and their types.
    let subject = string(&claims, "sub")?.to_owned();
    let client_id = string(&claims, "client_id")?.to_owned();
    string(&claims, "jti")?;
    let expires_at = claims
        .get("exp")
        .and_then(Value::as_u64)
        .ok_or(Error::ClaimInvalid("exp"))?;
    if !claims.get("iat").is_some_and(Value::is_number) {
        return Err(if claims.contains_key("iat") {
            Error::ClaimInvalid("iat")
        } else {
            Error::ClaimMissing("iat")
        });
    }
    let Derived {
        scopes,
        authorization_details,
        acr,
        auth_time,
    } = derive(&claims)?;
    // Step 10: cnf with exactly one supported member.
    let cnf_jkt = match claims.get("cnf") {
        None => None,
        Some(Value::Object(cnf)) => match (cnf.len(), cnf.get("jkt")) {
            (1, Some(Value::String(jkt))) if !jkt.is_empty() => Some(jkt.clone()),
            _ => return Err(Error::ClaimInvalid("cnf")),
        },
        Some(_) => return Err(Error::ClaimInvalid("cnf")),
    };
    Ok(VerifiedAccessToken {
        issuer: trusted.issuer.clone(),
        subject,
        client_id,
        scopes,
        authorization_details,
        cnf_jkt,
        acr,
        auth_time,
        expires_at,
        token_hash: base64url::encode(&sha256(token.as_bytes())),
        key_thumbprint,
        claims,
    })
}

/// What authorization reads from the claims.
struct Derived {
    scopes: Vec<String>,
    authorization_details: Vec<Object>,
    acr: Option<String>,
    auth_time: Option<u64>,
}

fn derive(claims: &Object) -> Result<Derived, Error> {
    let scopes = match claims.get("scope") {
        None => Vec::new(),
        Some(Value::String(s)) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(_) => return Err(Error::ClaimInvalid("scope")),
    };
    let authorization_details = match claims.get("authorization_details") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|d| match d {
                Value::Object(o) if o.get("type").is_some_and(Value::is_string) => Ok(o.clone()),
                _ => Err(Error::ClaimInvalid("authorization_details")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::ClaimInvalid("authorization_details")),
    };
    let acr = match claims.get("acr") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::ClaimInvalid("acr")),
    };
    let auth_time = match claims.get("auth_time") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or(Error::ClaimInvalid("auth_time"))?),
    };
    Ok(Derived {
        scopes,
        authorization_details,
        acr,
        auth_time,
    })
}

/// Claims a token-claims-change event cannot change: who the token is for, who issued it,
/// when, and the key it is bound to.
const FIXED_CLAIMS: [&str; 8] = ["iss", "sub", "aud", "iat", "nbf", "jti", "cnf", "client_id"];

impl VerifiedAccessToken {
    /// The token read with `changes` applied (CAEP token-claims-change): each changed claim
    /// takes its new value (`null` removes it), except the identity, time and binding claims
    /// ([`FIXED_CLAIMS`]), which are kept; `exp` only ever moves earlier. Scopes,
    /// `authorization_details`, `acr` and `auth_time` are read again from the result.
    ///
    /// # Errors
    /// `claim-invalid` when a new value has the wrong type.
    pub fn with_changed_claims(&self, changes: &Object) -> Result<Self, Error> {
        let mut claims = self.claims.clone();
        let mut expires_at = self.expires_at;
        for (name, value) in changes {
            if FIXED_CLAIMS.contains(&name.as_str()) {
                continue;
            }
            if name == "exp" {
                if let Some(exp) = value.as_u64().filter(|e| *e < expires_at) {
                    expires_at = exp;
                    claims.insert(name.clone(), Value::from(exp));
                }
                continue;
            }
            if value.is_null() {
                claims.remove(name);
            } else {
                claims.insert(name.clone(), value.clone());
            }
        }
        let d = derive(&claims)?;
        Ok(Self {
            scopes: d.scopes,
            authorization_details: d.authorization_details,
            acr: d.acr,
            auth_time: d.auth_time,
            expires_at,
            claims,
            ..self.clone()
        })
    }
}
