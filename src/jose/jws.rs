//! JWS compact serialization (RFC 7515 §3.1, §5.2, §7.1).

use serde_json::Value;

use crate::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::{Error, Limit};
use crate::limits::Limits;

/// The protected header of a JWS, with the members this library interprets pulled out.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    raw: Object,
}

impl Header {
    fn from_object(raw: Object) -> Result<Self, Error> {
        let alg = match raw.get("alg") {
            Some(Value::String(s)) => s.clone(),
            // A JWS without a usable `alg` names no allowed algorithm.
            _ => return Err(Error::AlgorithmNotAllowed),
        };
        let kid = match raw.get("kid") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::MalformedToken),
        };
        let typ = match raw.get("typ") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::TypMismatch),
        };
        // RFC 7515 §4.1.11: a recipient MUST reject a JWS whose `crit` lists an extension it
        // does not understand. This library implements no JWS extension (not even RFC 7797
        // `b64`), so any `crit` is rejected.
        if raw.contains_key("crit") {
            return Err(Error::CritUnsupported);
        }
        Ok(Self { alg, kid, typ, raw })
    }

    /// The `alg` member exactly as sent (not yet checked against any allow-list).
    pub fn alg(&self) -> &str {
        &self.alg
    }

    /// The `kid` member.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The `typ` member.
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_deref()
    }

    /// The whole header as a JSON object. Members such as `jwk`, `jku`, `x5u` and `x5c` are
    /// present here if sent but are **never** used to find a verification key.
    pub fn raw(&self) -> &Object {
        &self.raw
    }
}

/// A JWS whose syntax was checked but whose signature was not.
#[derive(Debug, Clone)]
pub struct UnverifiedJws<'t> {
    signing_input: &'t str,
    header: Header,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

/// Parses a JWS in compact serialization without verifying it.
///
/// # Errors
/// - `limit-exceeded` (`max_token_bytes`, JSON limits) for oversized input;
/// - `jwe-unsupported` for five segments (an encrypted token);
/// - `malformed-token` for any other segment count, characters outside `[A-Za-z0-9_.-]`, or an
///   empty signature;
/// - `malformed-base64`, `malformed-json`, `duplicate-json-member` for the segments;
/// - `alg-not-allowed` when the header has no string `alg`; `crit-unsupported` for any `crit`.
pub fn parse_jws<'t>(token: &'t str, limits: &Limits) -> Result<UnverifiedJws<'t>, Error> {
    if token.len() > limits.max_token_bytes {
        return Err(Error::LimitExceeded(Limit::TokenBytes));
    }
    // rfc8725bis §3.12 / RFC 7515 §7.1: compact form only, base64url segments joined by dots.
    if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::MalformedToken);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Error::MalformedToken);
    };
    match parts.count() {
        0 => {}
        // RFC 7516 §7.1: five segments is a JWE.
        2 => return Err(Error::JweUnsupported),
        _ => return Err(Error::MalformedToken),
    }
    if s.is_empty() {
        return Err(Error::MalformedToken);
    }
    let signing_input_len = h.len().saturating_add(1).saturating_add(p.len());
    let signing_input = token
        .get(..signing_input_len)
        .ok_or(Error::MalformedToken)?;
    let header = Header::from_object(json::parse_object(&base64url::decode(h)?, limits)?)?;
    Ok(UnverifiedJws {
        signing_input,
        header,
        payload: base64url::decode(p)?,
        signature: base64url::decode(s)?,
    })
}

impl<'t> UnverifiedJws<'t> {
    /// The protected header (unverified).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The payload bytes (unverified: do not act on them).
    pub fn unverified_payload(&self) -> &[u8] {
        &self.payload
    }

    /// The header's `alg`, checked against the caller's allow-list.
    ///
    /// # Errors
    /// `alg-not-allowed` when it is not in `allowed` (this covers `none` in every casing and
    /// names this library does not know).
    pub fn allowed_alg(&self, allowed: AlgorithmSet) -> Result<Algorithm, Error> {
        // RFC 8725 §3.1: the verifier pins the algorithms; compared case-sensitively.
        Algorithm::from_jws_name(&self.header.alg)
            .filter(|a| allowed.contains(*a))
            .ok_or(Error::AlgorithmNotAllowed)
    }

    /// Verifies the signature with one key.
    ///
    /// # Errors
    /// `alg-not-allowed`; `key-mismatch` when the key does not fit the algorithm (type, curve,
    /// `alg`, `use`, `key_ops`); `invalid-signature`.
    pub fn verify_with_key<'k>(
        self,
        key: &'k Jwk,
        allowed: AlgorithmSet,
    ) -> Result<VerifiedJws<'k>, Error> {
        let alg = self.allowed_alg(allowed)?;
        key.verify(alg, self.signing_input.as_bytes(), &self.signature)?;
        Ok(VerifiedJws {
            header: self.header,
            payload: self.payload,
            alg,
            key,
        })
    }

    /// Verifies the signature with a key chosen from `keys`: by `kid` when the header has one,
    /// else among the keys that fit the algorithm (at most `limits.max_signature_checks` tried).
    /// Keys are never taken from the token (`jwk`, `jku`, `x5u`, `x5c` are ignored).
    ///
    /// # Errors
    /// `alg-not-allowed`; `key-not-found` when no key has the token's `kid` (or the set is
    /// empty); `key-mismatch` when keys were found but none fits the algorithm;
    /// `invalid-signature`; `limit-exceeded` (`max_signature_checks`) when more keys fit than
    /// may be tried and none of those tried verified.
    pub fn verify<'k>(
        self,
        keys: &'k JwkSet,
        allowed: AlgorithmSet,
        limits: &Limits,
    ) -> Result<VerifiedJws<'k>, Error> {
        let alg = self.allowed_alg(allowed)?;
        let kid = self.header.kid.as_deref();
        let named = keys
            .keys()
            .iter()
            .filter(|k| kid.is_none_or(|kid| k.kid() == Some(kid)));
        if named.clone().next().is_none() {
            return Err(Error::KeyNotFound);
        }
        let mut fitting = named.filter(|k| k.check_alg(alg).is_ok()).peekable();
        if fitting.peek().is_none() {
            return Err(Error::KeyMismatch);
        }
        let message = self.signing_input.as_bytes();
        for (tried, key) in fitting.enumerate() {
            if tried >= limits.max_signature_checks {
                return Err(Error::LimitExceeded(Limit::SignatureChecks));
            }
            if key.verify(alg, message, &self.signature).is_ok() {
                return Ok(VerifiedJws {
                    header: self.header,
                    payload: self.payload,
                    alg,
                    key,
                });
            }
        }
        Err(Error::InvalidSignature)
    }
}

/// A JWS whose signature verified, with the key that verified it.
#[derive(Debug, Clone)]
pub struct VerifiedJws<'k> {
    header: Header,
    payload: Vec<u8>,
    alg: Algorithm,
    key: &'k Jwk,
}

impl<'k> VerifiedJws<'k> {
    /// The protected header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The verified payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The algorithm that verified.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The key that verified.
    pub fn key(&self) -> &'k Jwk {
        self.key
    }

    /// Splits into header and payload.
    pub fn into_parts(self) -> (Header, Vec<u8>) {
        (self.header, self.payload)
    }
}

/// Signs `payload` as a compact JWS with `key`.
///
/// The protected header is `header` plus `alg` (the key pair's algorithm) and, when the key
/// pair's public JWK has one and `header` does not, `kid`. Members are serialized compactly in
/// lexicographic order, so output is byte-for-byte reproducible with deterministic algorithms.
///
/// # Errors
/// `invalid-argument` (`header`) when `header` carries an `alg` different from the key's, or a
/// `crit` (no extension is implemented); `invalid-key` if signing fails.
pub fn sign_jws(header: &Object, payload: &[u8], key: &KeyPair) -> Result<String, Error> {
    let alg = key.alg().jws_name();
    if header.get("alg").is_some_and(|a| a.as_str() != Some(alg)) || header.contains_key("crit") {
        return Err(Error::InvalidArgument("header"));
    }
    let mut full = header.clone();
    full.insert("alg".into(), alg.into());
    if let (false, Some(kid)) = (full.contains_key("kid"), key.public_jwk().kid()) {
        full.insert("kid".into(), kid.into());
    }
    let mut out = base64url::encode(json::to_compact(&Value::Object(full)).as_bytes());
    out.push('.');
    out.push_str(&base64url::encode(payload));
    let signature = key.sign(out.as_bytes())?;
    out.push('.');
    out.push_str(&base64url::encode(&signature));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::JwkSet;

    const L: Limits = Limits::DEFAULT;

    #[test]
    fn rfc8037_a4_is_reproduced_byte_exact() {
        let pair = KeyPair::from_jwk(
            r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
            None,
            &L,
        )
        .unwrap();
        let token = sign_jws(&Object::new(), b"Example of Ed25519 signing", &pair).unwrap();
        assert_eq!(
            token,
            "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        );
        let set = JwkSet::from_keys(vec![pair.public_jwk().clone()]);
        let v = parse_jws(&token, &L)
            .unwrap()
            .verify(&set, AlgorithmSet::ASYMMETRIC, &L)
            .unwrap();
        assert_eq!(v.payload(), b"Example of Ed25519 signing");
    }

    #[test]
    fn segment_rules() {
        assert_eq!(parse_jws("a.b", &L).unwrap_err(), Error::MalformedToken);
        assert_eq!(parse_jws("a.b.c.d", &L).unwrap_err(), Error::MalformedToken);
        assert_eq!(
            parse_jws("a.b.c.d.e", &L).unwrap_err(),
            Error::JweUnsupported
        );
        assert_eq!(
            parse_jws("eyJhbGciOiJFUzI1NiJ9.e30.", &L).unwrap_err(),
            Error::MalformedToken
        );
        assert_eq!(
            parse_jws("{\"a\":1}.e30.AA", &L).unwrap_err(),
            Error::MalformedToken
        );
        assert_eq!(
            parse_jws("eyJhbGciOiJFUzI1NiJ9.e30=.AA", &L).unwrap_err(),
            Error::MalformedToken
        );
        let long = "a".repeat(L.max_token_bytes + 1);
        assert_eq!(
            parse_jws(&long, &L).unwrap_err(),
            Error::LimitExceeded(Limit::TokenBytes)
        );
    }
}
