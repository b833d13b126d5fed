//! JWT claim checks (RFC 7519 §4.1, §7.2) with the RFC 8725 / rfc8725bis rules: explicit
//! typing, pinned algorithms, issuer and audience checks, time checks against a caller-supplied
//! `now` with leeway.

use serde_json::Value;

use super::jws::{Header, parse_jws};
use crate::crypto::{AlgorithmSet, Jwk, JwkSet};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// What a JWT must satisfy. Build with [`JwtValidation::new`] and the `with_*` methods.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtValidation {
    /// Algorithms accepted for the signature.
    pub algorithms: AlgorithmSet,
    /// The explicit `typ` this token kind must carry (for example `at+jwt`), compared as RFC
    /// 8725 §3.11 asks: case-insensitively, with or without `application/`, no parameters.
    /// `None` accepts any `typ` or none: only for generic JWTs that have no explicit type.
    pub typ: Option<String>,
    /// The exact `iss` required, if any.
    pub issuer: Option<String>,
    /// A value that `aud` (string or array) must contain, if any.
    pub audience: Option<String>,
    /// The exact `sub` required, if any.
    pub subject: Option<String>,
    /// Claims that must be present (in addition to `exp`, which is always required unless
    /// [`JwtValidation::require_exp`] is false).
    pub required: Vec<String>,
    /// Whether `exp` must be present (default `true`).
    pub require_exp: bool,
    /// Maximum age in seconds measured from `iat` (which then becomes required).
    pub max_age: Option<u64>,
    /// Clock skew allowed on `exp`, `nbf`, `iat` (default 60 s).
    pub leeway: Leeway,
    /// Counted limits.
    pub limits: Limits,
}

impl JwtValidation {
    /// A validation that accepts `algorithms` and requires the explicit type `typ` (pass
    /// `None` only for untyped generic JWTs).
    pub fn new(algorithms: AlgorithmSet, typ: Option<&str>) -> Self {
        Self {
            algorithms,
            typ: typ.map(str::to_owned),
            issuer: None,
            audience: None,
            subject: None,
            required: Vec::new(),
            require_exp: true,
            max_age: None,
            leeway: Leeway::DEFAULT,
            limits: Limits::DEFAULT,
        }
    }

    /// Requires `iss` to equal `issuer`.
    #[must_use]
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Requires `aud` to contain `audience`.
    #[must_use]
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Requires `sub` to equal `subject`.
    #[must_use]
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Requires each named claim to be present.
    #[must_use]
    pub fn with_required<'a>(mut self, claims: impl IntoIterator<Item = &'a str>) -> Self {
        self.required.extend(claims.into_iter().map(str::to_owned));
        self
    }

    /// Sets the leeway.
    #[must_use]
    pub fn with_leeway(mut self, leeway: Leeway) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets a maximum age (seconds since `iat`).
    #[must_use]
    pub fn with_max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }
}

/// A verified JWT: header, claims, and the key that verified it.
#[derive(Debug, Clone)]
pub struct Jwt<'k> {
    /// The protected header.
    pub header: Header,
    /// The claims set.
    pub claims: Object,
    /// The key that verified the signature.
    pub key: &'k Jwk,
}

/// Whether a `typ` value names the explicit type `expected` (RFC 7515 §4.1.9, RFC 8725 §3.11):
/// media types compare case-insensitively and `application/` may be omitted; parameters are
/// not accepted.
pub fn typ_matches(actual: &str, expected: &str) -> bool {
    fn bare(s: &str) -> String {
        let lower = s.to_ascii_lowercase();
        match lower.strip_prefix("application/") {
            Some(rest) => rest.to_owned(),
            None => lower,
        }
    }
    !actual.contains([';', ' ', '\t']) && bare(actual) == bare(expected)
}

/// Parses and verifies a JWT: syntax, `typ`, algorithm, key selection and signature, then
/// the claims, in that order.
///
/// # Errors
/// Every code of [`parse_jws`] and [`super::UnverifiedJws::verify`]; then `typ-mismatch`,
/// `malformed-json` (payload not a JSON object), `claim-missing`, `claim-invalid`,
/// `token-expired`, `token-not-yet-valid`, `token-issued-in-future`, `token-too-old`,
/// `claim-mismatch` (`iss`, `aud`, `sub`).
///
/// # Security
/// Does not check replay (`jti`) or token revocation, and does not decide authorization
/// (scopes, `cnf` binding): callers that need those apply them to the returned claims.
pub fn verify_jwt<'k>(
    token: &str,
    keys: &'k JwkSet,
    validation: &JwtValidation,
    now: UnixTime,
) -> Result<Jwt<'k>, Error> {
    let limits = &validation.limits;
    let jws = parse_jws(token, limits)?;
    check_typ(jws.header(), validation)?;
    let verified = jws.verify(keys, validation.algorithms, limits)?;
    let key = verified.key();
    let (header, payload) = verified.into_parts();
    let claims = json::parse_object(&payload, limits)?;
    check_claims(&claims, validation, now)?;
    Ok(Jwt {
        header,
        claims,
        key,
    })
}

fn check_typ(header: &Header, validation: &JwtValidation) -> Result<(), Error> {
    match (&validation.typ, header.typ()) {
        (None, _) => Ok(()),
        // RFC 8725 §3.11: explicit typing; absence is a mismatch.
        (Some(expected), Some(actual)) if typ_matches(actual, expected) => Ok(()),
        (Some(_), _) => Err(Error::TypMismatch),
    }
}

/// The largest NumericDate accepted: 2^53 - 1, the I-JSON (RFC 7493 §2.2) limit of exactly
/// representable integers. Larger values (a token "valid until 1e20") are refused rather than
/// compared with lost precision.
const MAX_NUMERIC_DATE: f64 = 9_007_199_254_740_991.0;

/// Reads a NumericDate (RFC 7519 §2): a non-negative JSON number, integer or not, at most
/// [`MAX_NUMERIC_DATE`].
fn numeric_date(claims: &Object, name: &'static str) -> Result<Option<f64>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() && (0.0..=MAX_NUMERIC_DATE).contains(&v) => Ok(Some(v)),
            _ => Err(Error::ClaimInvalid(name)),
        },
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

fn string_claim<'c>(claims: &'c Object, name: &'static str) -> Result<&'c str, Error> {
    match claims.get(name) {
        None => Err(Error::ClaimMissing(name)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Whether `aud` (a string or an array of strings, RFC 7519 §4.1.3) contains `expected`.
///
/// # Errors
/// `claim-invalid` (`aud`) when `aud` is neither a string nor an array of strings.
pub fn audience_contains(aud: &Value, expected: &str) -> Result<bool, Error> {
    match aud {
        Value::String(s) => Ok(s == expected),
        Value::Array(items) => {
            let mut found = false;
            for item in items {
                found |= item.as_str().ok_or(Error::ClaimInvalid("aud"))? == expected;
            }
            Ok(found)
        }
        _ => Err(Error::ClaimInvalid("aud")),
    }
}

/// Checks the registered claims of an already verified claims set.
///
/// # Errors
/// As [`verify_jwt`] for the claim steps.
pub fn check_claims(
    claims: &Object,
    validation: &JwtValidation,
    now: UnixTime,
) -> Result<(), Error> {
    // Times are compared in f64: NumericDate may be fractional; u64 seconds up to 2^53 are exact.
    #[expect(
        clippy::cast_precision_loss,
        reason = "NumericDate values are compared as f64"
    )]
    let (now_f, leeway) = (now.as_secs() as f64, validation.leeway.0 as f64);
    let exp = numeric_date(claims, "exp")?;
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;
    match exp {
        // RFC 7519 §4.1.4: the current time must be before `exp`.
        Some(exp) if now_f >= exp + leeway => return Err(Error::TokenExpired),
        None if validation.require_exp => return Err(Error::ClaimMissing("exp")),
        _ => {}
    }
    // RFC 7519 §4.1.5: not accepted before `nbf`.
    if nbf.is_some_and(|nbf| now_f + leeway < nbf) {
        return Err(Error::TokenNotYetValid);
    }
    if iat.is_some_and(|iat| iat > now_f + leeway) {
        return Err(Error::TokenIssuedInFuture);
    }
    if let Some(max_age) = validation.max_age {
        let iat = iat.ok_or(Error::ClaimMissing("iat"))?;
        #[expect(
            clippy::cast_precision_loss,
            reason = "NumericDate values are compared as f64"
        )]
        if now_f > iat + max_age as f64 + leeway {
            return Err(Error::TokenTooOld);
        }
    }
    if let Some(expected) = &validation.issuer {
        // RFC 8725 §3.8 / RFC 9068 §4: simple string comparison.
        if string_claim(claims, "iss")? != expected {
            return Err(Error::ClaimMismatch("iss"));
        }
    }
    if let Some(expected) = &validation.audience {
        let aud = claims.get("aud").ok_or(Error::ClaimMissing("aud"))?;
        if !audience_contains(aud, expected)? {
            return Err(Error::ClaimMismatch("aud"));
        }
    }
    if let Some(expected) = &validation.subject
        && string_claim(claims, "sub")? != expected
    {
        return Err(Error::ClaimMismatch("sub"));
    }
    for name in &validation.required {
        if !claims.contains_key(name.as_str()) {
            return Err(Error::ClaimMissing(static_claim_name(name)));
        }
    }
    Ok(())
}

/// Error payloads carry `&'static str`; map well-known claim names to static strings and use a
/// generic marker for others (the caller knows which names it required).
fn static_claim_name(name: &str) -> &'static str {
    const KNOWN: [&str; 16] = [
        "iss",
        "sub",
        "aud",
        "exp",
        "nbf",
        "iat",
        "jti",
        "client_id",
        "scope",
        "cnf",
        "act",
        "htm",
        "htu",
        "ath",
        "wth",
        "txn",
    ];
    KNOWN
        .into_iter()
        .find(|k| *k == name)
        .unwrap_or("(required claim)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typ_rules() {
        for ok in [
            "at+jwt",
            "application/at+jwt",
            "AT+JWT",
            "Application/At+Jwt",
        ] {
            assert!(typ_matches(ok, "at+jwt"), "{ok}");
        }
        for bad in [
            "JWT",
            "at+jwt; x=y",
            "application/jwt",
            "at+jwt ",
            "",
            "dpop+jwt",
        ] {
            assert!(!typ_matches(bad, "at+jwt"), "{bad}");
        }
    }

    #[test]
    fn claim_time_boundaries() {
        let v = JwtValidation::new(AlgorithmSet::ASYMMETRIC, None).with_leeway(Leeway(0));
        let at = |exp: u64, now: u64| {
            let mut c = Object::new();
            c.insert("exp".into(), exp.into());
            check_claims(&c, &v, UnixTime(now))
        };
        assert_eq!(at(100, 99), Ok(()));
        assert_eq!(at(100, 100), Err(Error::TokenExpired));
        let mut c = Object::new();
        c.insert("exp".into(), "100".into());
        assert_eq!(
            check_claims(&c, &v, UnixTime(0)),
            Err(Error::ClaimInvalid("exp"))
        );
        c.insert("exp".into(), Value::from(100.5));
        assert_eq!(check_claims(&c, &v, UnixTime(100)), Ok(()));
        c.insert("exp".into(), Value::from(-1));
        assert_eq!(
            check_claims(&c, &v, UnixTime(0)),
            Err(Error::ClaimInvalid("exp"))
        );
    }

    #[test]
    fn audience_forms() {
        assert_eq!(audience_contains(&"a".into(), "a"), Ok(true));
        assert_eq!(
            audience_contains(&serde_json::json!(["b", "a"]), "a"),
            Ok(true)
        );
        assert_eq!(audience_contains(&serde_json::json!([]), "a"), Ok(false));
        assert_eq!(
            audience_contains(&serde_json::json!(["a", 1]), "a"),
            Err(Error::ClaimInvalid("aud"))
        );
        assert_eq!(
            audience_contains(&serde_json::json!(1), "a"),
            Err(Error::ClaimInvalid("aud"))
        );
    }
}
