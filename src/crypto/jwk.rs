//! JSON Web Keys (RFC 7517), key sets, RFC 7638 thumbprints, and key pairs for signing.

use core::fmt;

use hmac::{KeyInit as _, Mac as _};
use p256::ecdsa::signature::Signer as _;
use rsa::traits::PublicKeyParts as _;
use serde_json::Value;
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

use super::{Algorithm, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::{Error, KeyProblem, Limit};
use crate::limits::Limits;

/// RFC 9278 thumbprint URI prefix for SHA-256 thumbprints.
const THUMBPRINT_URI_PREFIX: &str = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:";
/// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const MIN_HMAC_KEY_BYTES: usize = 32;
/// Accepted RSA modulus sizes in bits (RFC 7518 §3.3 requires at least 2048).
const RSA_BITS: core::ops::RangeInclusive<usize> = 2048..=8192;

#[derive(Clone)]
enum PublicKey {
    /// Variable-time verification (`a2a_auth_p256_verify`): public data only. Shared, so that
    /// clones of a key set share the key's comb once it is busy.
    P256(std::sync::Arc<a2a_auth_p256_verify::VerifyKey>),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(Box<rsa::RsaPublicKey>),
    Oct(Vec<u8>),
}

/// A verification key parsed from a JWK: validated on import (points on the curve, sizes),
/// with the members that RFC 7638 hashes kept exactly as received.
///
/// Private members (`d`, ...) in the input are ignored and never kept. `Debug` shows only the
/// key type and `kid`.
#[derive(Clone)]
pub struct Jwk {
    key: PublicKey,
    kty: &'static str,
    crv: Option<&'static str>,
    /// RFC 7638 required members other than `kty`/`crv`, in lexicographic order, as received.
    members: Vec<(&'static str, String)>,
    kid: Option<String>,
    alg: Option<String>,
    key_use: Option<String>,
    key_ops: Option<Vec<String>>,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("crv", &self.crv)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn member<'a>(obj: &'a Object, name: &str) -> Result<&'a str, Error> {
    match obj.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(Error::InvalidKey(KeyProblem::MissingMember)),
    }
}

fn optional_string(obj: &Object, name: &str) -> Result<Option<String>, Error> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::InvalidKey(KeyProblem::MissingMember)),
    }
}

fn b64_exact<const N: usize>(obj: &Object, name: &str) -> Result<[u8; N], Error> {
    base64url::decode_exact::<N>(member(obj, name)?, Error::InvalidKey(KeyProblem::BadLength))
}

fn sec1_uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(x.len().saturating_add(y.len()).saturating_add(1));
    out.push(0x04);
    out.extend_from_slice(x);
    out.extend_from_slice(y);
    out
}

impl Jwk {
    /// Parses a JWK from JSON text (strict JSON, see [`crate::encoding::json`]).
    ///
    /// # Errors
    /// `malformed-json`, `duplicate-json-member`, `limit-exceeded` for the JSON; `invalid-key`
    /// for a key that is malformed, of an unsupported type, off the curve, or out of range.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Self, Error> {
        Self::from_object(&json::parse_object(text.as_bytes(), limits)?)
    }

    /// Parses a JWK from an already parsed JSON object.
    ///
    /// # Errors
    /// `invalid-key` as [`Jwk::from_json`].
    pub fn from_object(obj: &Object) -> Result<Self, Error> {
        let unsupported = Error::InvalidKey(KeyProblem::UnsupportedType);
        let kty = member(obj, "kty")?;
        let (key, kty, crv, members) = match kty {
            "EC" => {
                let (key, crv) = match member(obj, "crv")? {
                    // RFC 7518 §6.2.1.2: coordinates are the full field size.
                    "P-256" => {
                        let (x, y) = (b64_exact::<32>(obj, "x")?, b64_exact::<32>(obj, "y")?);
                        let sec1 = sec1_uncompressed(&x, &y);
                        let point = a2a_auth_p256_verify::Affine::from_uncompressed(&sec1)
                            .ok_or(Error::InvalidKey(KeyProblem::BadPoint))?;
                        let key = a2a_auth_p256_verify::VerifyKey::new(point);
                        (PublicKey::P256(std::sync::Arc::new(key)), "P-256")
                    }
                    "P-384" => {
                        let (x, y) = (b64_exact::<48>(obj, "x")?, b64_exact::<48>(obj, "y")?);
                        let vk =
                            p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(&x, &y))
                                .map_err(|_| Error::InvalidKey(KeyProblem::BadPoint))?;
                        (PublicKey::P384(vk), "P-384")
                    }
                    _ => return Err(unsupported),
                };
                let members = vec![
                    ("x", member(obj, "x")?.to_owned()),
                    ("y", member(obj, "y")?.to_owned()),
                ];
                (key, "EC", Some(crv), members)
            }
            "OKP" => {
                if member(obj, "crv")? != "Ed25519" {
                    return Err(unsupported);
                }
                let x = b64_exact::<32>(obj, "x")?;
                let vk = ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map_err(|_| Error::InvalidKey(KeyProblem::BadPoint))?;
                // Small-order keys would let one signature verify for many messages.
                if vk.is_weak() {
                    return Err(Error::InvalidKey(KeyProblem::BadPoint));
                }
                (
                    PublicKey::Ed25519(vk),
                    "OKP",
                    Some("Ed25519"),
                    vec![("x", member(obj, "x")?.to_owned())],
                )
            }
            "RSA" => {
                let n = base64url::decode(member(obj, "n")?)?;
                let e = base64url::decode(member(obj, "e")?)?;
                let key = rsa::RsaPublicKey::new_with_size_limits(
                    rsa::BoxedUint::from_be_slice_vartime(&n),
                    rsa::BoxedUint::from_be_slice_vartime(&e),
                    RSA_BITS,
                )
                .map_err(|_| Error::InvalidKey(KeyProblem::RsaSize))?;
                let members = vec![
                    ("e", member(obj, "e")?.to_owned()),
                    ("n", member(obj, "n")?.to_owned()),
                ];
                (PublicKey::Rsa(Box::new(key)), "RSA", None, members)
            }
            "oct" => {
                let k = base64url::decode(member(obj, "k")?)?;
                if k.len() < MIN_HMAC_KEY_BYTES {
                    return Err(Error::InvalidKey(KeyProblem::BadSecret));
                }
                (
                    PublicKey::Oct(k),
                    "oct",
                    None,
                    vec![("k", member(obj, "k")?.to_owned())],
                )
            }
            _ => return Err(unsupported),
        };
        let key_ops = match obj.get("key_ops") {
            None => None,
            Some(Value::Array(ops)) => Some(
                ops.iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(Error::InvalidKey(KeyProblem::MissingMember))?,
            ),
            Some(_) => return Err(Error::InvalidKey(KeyProblem::MissingMember)),
        };
        Ok(Self {
            key,
            kty,
            crv,
            members,
            kid: optional_string(obj, "kid")?,
            alg: optional_string(obj, "alg")?,
            key_use: optional_string(obj, "use")?,
            key_ops,
        })
    }

    /// The key type (`EC`, `OKP`, `RSA`, `oct`).
    pub fn kty(&self) -> &'static str {
        self.kty
    }

    /// The curve, for `EC` and `OKP` keys.
    pub fn crv(&self) -> Option<&'static str> {
        self.crv
    }

    /// The key ID, if the JWK has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The `alg` member, if the JWK has one.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// Returns the key with `kid` set (replacing any previous one).
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Returns the key with its `alg` member set.
    #[must_use]
    pub fn with_alg(mut self, alg: Algorithm) -> Self {
        self.alg = Some(alg.jws_name().to_owned());
        self
    }

    /// Checks that this key may be used with `alg` (RFC 8725 §3.1 and §2.4 of our OAuth
    /// digest): the key type and curve match the algorithm, the JWK's `alg` (if any) equals it
    /// exactly, `use` (if any) is `sig`, and `key_ops` (if any) allows `verify`.
    ///
    /// # Errors
    /// `key-mismatch` when any of those fail.
    pub fn check_alg(&self, alg: Algorithm) -> Result<(), Error> {
        let (kty, crv) = alg.key_type();
        let ok = kty == self.kty
            && (crv.is_none() || crv == self.crv)
            && self.alg.as_deref().is_none_or(|a| a == alg.jws_name())
            && self.key_use.as_deref().is_none_or(|u| u == "sig")
            && self
                .key_ops
                .as_ref()
                .is_none_or(|ops| ops.iter().any(|o| o == "verify"));
        if ok { Ok(()) } else { Err(Error::KeyMismatch) }
    }

    /// Verifies `signature` over `message` with this key and `alg`.
    ///
    /// # Errors
    /// `key-mismatch` if the key does not fit `alg` ([`Jwk::check_alg`]); `invalid-signature`
    /// if the signature does not verify, including a signature of the wrong length.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        self.check_alg(alg)?;
        let bad = Error::InvalidSignature;
        match (&self.key, alg) {
            (PublicKey::P256(key), Algorithm::Es256) => {
                // RFC 7518 §3.4: the JWS signature is the 64-byte r‖s; r, s in [1, n-1].
                key.verify(message, signature).then_some(()).ok_or(bad)
            }
            (PublicKey::P384(vk), Algorithm::Es384) => {
                let sig = p384::ecdsa::Signature::from_slice(signature).map_err(|_| bad)?;
                p256::ecdsa::signature::Verifier::verify(vk, message, &sig).map_err(|_| bad)
            }
            (PublicKey::Ed25519(vk), Algorithm::EdDsa | Algorithm::Ed25519) => {
                let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| bad)?;
                vk.verify_strict(message, &sig).map_err(|_| bad)
            }
            (PublicKey::Rsa(key), Algorithm::Rs256 | Algorithm::Ps256 | Algorithm::Ps512) => {
                // The signature is exactly the modulus length (RFC 8017 §8.1.2 step 1, §8.2.2).
                if signature.len() != key.size() {
                    return Err(bad);
                }
                let result = match alg {
                    Algorithm::Rs256 => key.verify(
                        rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                        &sha2::Sha256::digest(message),
                        signature,
                    ),
                    // RFC 7518 §3.5: salt length equals the hash output length.
                    Algorithm::Ps256 => key.verify(
                        rsa::Pss::<sha2::Sha256>::new_with_salt(32),
                        &sha2::Sha256::digest(message),
                        signature,
                    ),
                    _ => key.verify(
                        rsa::Pss::<sha2::Sha512>::new_with_salt(64),
                        &sha2::Sha512::digest(message),
                        signature,
                    ),
                };
                result.map_err(|_| bad)
            }
            (PublicKey::Oct(k), Algorithm::Hs256) => {
                let expected = hmac_sha256(k, message)?;
                // Constant-time comparison; a truncated or extended tag never matches.
                if expected.len() == signature.len() && bool::from(expected.ct_eq(signature)) {
                    Ok(())
                } else {
                    Err(bad)
                }
            }
            _ => Err(Error::KeyMismatch),
        }
    }

    /// The RFC 7638 canonical JSON of the required members, which the thumbprint hashes.
    pub fn thumbprint_input(&self) -> String {
        // Required members in lexicographic order; values are base64url or fixed names, so
        // no JSON escaping is ever needed.
        let mut parts: Vec<(&str, &str)> = vec![("kty", self.kty)];
        if let Some(crv) = self.crv {
            parts.push(("crv", crv));
        }
        parts.extend(self.members.iter().map(|(k, v)| (*k, v.as_str())));
        parts.sort_unstable_by_key(|(k, _)| *k);
        let body: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url (43 characters). This is DPoP's `jkt`.
    pub fn thumbprint(&self) -> String {
        base64url::encode(&sha256(self.thumbprint_input().as_bytes()))
    }

    /// The RFC 9278 thumbprint URI of this key.
    pub fn thumbprint_uri(&self) -> ThumbprintUri {
        ThumbprintUri(format!("{THUMBPRINT_URI_PREFIX}{}", self.thumbprint()))
    }

    /// The JWK as a JSON object: the required members plus `kid`, `alg`, `use` and `key_ops`
    /// when set. For `oct` keys this includes the secret `k`.
    pub fn to_object(&self) -> Object {
        let mut obj = Object::new();
        obj.insert("kty".into(), self.kty.into());
        if let Some(crv) = self.crv {
            obj.insert("crv".into(), crv.into());
        }
        for (k, v) in &self.members {
            obj.insert((*k).into(), v.clone().into());
        }
        let optional = [
            ("kid", &self.kid),
            ("alg", &self.alg),
            ("use", &self.key_use),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                obj.insert(name.into(), v.clone().into());
            }
        }
        if let Some(ops) = &self.key_ops {
            obj.insert("key_ops".into(), ops.clone().into());
        }
        obj
    }

    /// The JWK as compact JSON with members in lexicographic order.
    pub fn to_json(&self) -> String {
        json::to_compact(&Value::Object(self.to_object()))
    }

    /// Whether this is an `oct` (symmetric) key, whose JSON form contains the secret.
    pub fn is_symmetric(&self) -> bool {
        matches!(self.key, PublicKey::Oct(_))
    }
}

/// HMAC-SHA256 of `message` under `key` (any length; RFC 2104 hashes long keys).
///
/// # Errors
/// `invalid-key` if the MAC cannot be keyed (not expected for HMAC).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Result<Vec<u8>, Error> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key)
        .map_err(|_| Error::InvalidKey(KeyProblem::BadSecret))?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

/// An RFC 9278 JWK thumbprint URI (`urn:ietf:params:oauth:jwk-thumbprint:sha-256:...`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThumbprintUri(pub String);

impl fmt::Display for ThumbprintUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JWK Set (RFC 7517 §5).
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    keys: Vec<Jwk>,
    skipped: usize,
}

impl JwkSet {
    /// Parses a JWK Set document. Keys this library cannot use (unknown `kty` or curve,
    /// invalid members) are skipped as RFC 7517 §5 asks, and counted in [`JwkSet::skipped`].
    ///
    /// # Errors
    /// JSON errors as [`json::parse_object`]; `malformed-json` when `keys` is not an array;
    /// `limit-exceeded` (`max_keys`) when the set has more entries than allowed.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Self, Error> {
        Self::from_object(&json::parse_object(text.as_bytes(), limits)?, limits)
    }

    /// A JWK Set from an already parsed JSON object (see [`JwkSet::from_json`]).
    ///
    /// # Errors
    /// `malformed-json` when `keys` is not an array; `limit-exceeded` (`max_keys`).
    pub fn from_object(obj: &Object, limits: &Limits) -> Result<Self, Error> {
        let Some(Value::Array(entries)) = obj.get("keys") else {
            return Err(Error::MalformedJson);
        };
        if entries.len() > limits.max_keys {
            return Err(Error::LimitExceeded(Limit::Keys));
        }
        let mut set = Self::default();
        for entry in entries {
            match entry.as_object().map(Jwk::from_object) {
                Some(Ok(k)) => set.keys.push(k),
                _ => set.skipped = set.skipped.saturating_add(1),
            }
        }
        Ok(set)
    }

    /// A set of the given keys.
    pub fn from_keys(keys: Vec<Jwk>) -> Self {
        Self { keys, skipped: 0 }
    }

    /// The usable keys.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// How many entries of the document were skipped as unusable.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The keys that could verify a token with this `kid` (if it has one) and `alg`: with a
    /// `kid`, only keys whose `kid` is equal; without, every key that fits `alg`.
    pub fn candidates<'s>(
        &'s self,
        kid: Option<&'s str>,
        alg: Algorithm,
    ) -> impl Iterator<Item = &'s Jwk> {
        self.keys
            .iter()
            .filter(move |k| kid.is_none_or(|kid| k.kid() == Some(kid)) && k.check_alg(alg).is_ok())
    }
}

#[derive(Clone)]
enum SecretKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
    Hmac(Vec<u8>),
}

/// A private key with its algorithm and public JWK, for signing.
///
/// Made from caller-supplied seed bytes ([`KeyPair::from_seed`]) or a private JWK
/// ([`KeyPair::from_jwk`]). `Debug` never shows secret material.
#[derive(Clone)]
pub struct KeyPair {
    alg: Algorithm,
    secret: SecretKey,
    public: Jwk,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("alg", &self.alg)
            .field("kid", &self.public.kid)
            .finish_non_exhaustive()
    }
}

fn public_from_secret(secret: &SecretKey) -> Result<Jwk, Error> {
    let mut obj = Object::new();
    match secret {
        SecretKey::P256(sk) => {
            let point = sk.verifying_key().to_sec1_point(false);
            obj.insert("kty".into(), "EC".into());
            obj.insert("crv".into(), "P-256".into());
            let (x, y) = (
                point.x().ok_or(Error::InvalidKey(KeyProblem::BadPoint))?,
                point.y(),
            );
            obj.insert("x".into(), base64url::encode(x).into());
            obj.insert(
                "y".into(),
                base64url::encode(y.ok_or(Error::InvalidKey(KeyProblem::BadPoint))?).into(),
            );
        }
        SecretKey::P384(sk) => {
            let point = sk.verifying_key().to_sec1_point(false);
            obj.insert("kty".into(), "EC".into());
            obj.insert("crv".into(), "P-384".into());
            let (x, y) = (
                point.x().ok_or(Error::InvalidKey(KeyProblem::BadPoint))?,
                point.y(),
            );
            obj.insert("x".into(), base64url::encode(x).into());
            obj.insert(
                "y".into(),
                base64url::encode(y.ok_or(Error::InvalidKey(KeyProblem::BadPoint))?).into(),
            );
        }
        SecretKey::Ed25519(sk) => {
            obj.insert("kty".into(), "OKP".into());
            obj.insert("crv".into(), "Ed25519".into());
            obj.insert(
                "x".into(),
                base64url::encode(sk.verifying_key().as_bytes()).into(),
            );
        }
        SecretKey::Hmac(k) => {
            obj.insert("kty".into(), "oct".into());
            obj.insert("k".into(), base64url::encode(k).into());
        }
    }
    Jwk::from_object(&obj)
}

impl KeyPair {
    /// Makes a key pair for `alg` from seed bytes the caller drew from a secure random source.
    ///
    /// - ES256: 32 bytes, used as the private scalar (big-endian);
    /// - ES384: 48 bytes, likewise;
    /// - EdDSA / Ed25519: 32 bytes, the RFC 8032 private key;
    /// - HS256: at least 32 bytes, the HMAC key.
    ///
    /// The same seed always gives the same key, so tests and vectors are reproducible.
    ///
    /// # Errors
    /// `alg-not-allowed` for a verify-only algorithm (RSA); `invalid-argument` (`seed`) for a
    /// seed of the wrong length; `invalid-key` if an ECDSA seed is zero or not below the group
    /// order (probability below 2^-32 for random bytes: draw again).
    pub fn from_seed(alg: Algorithm, seed: &[u8]) -> Result<Self, Error> {
        let wrong_length = Error::InvalidArgument("seed");
        let bad_secret = Error::InvalidKey(KeyProblem::BadSecret);
        let secret = match alg {
            Algorithm::Es256 if seed.len() == 32 => {
                SecretKey::P256(p256::ecdsa::SigningKey::from_slice(seed).map_err(|_| bad_secret)?)
            }
            Algorithm::Es384 if seed.len() == 48 => {
                SecretKey::P384(p384::ecdsa::SigningKey::from_slice(seed).map_err(|_| bad_secret)?)
            }
            Algorithm::EdDsa | Algorithm::Ed25519 => {
                let bytes: [u8; 32] = seed.try_into().map_err(|_| wrong_length)?;
                SecretKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&bytes))
            }
            Algorithm::Hs256 if seed.len() >= MIN_HMAC_KEY_BYTES => SecretKey::Hmac(seed.to_vec()),
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::Hs256 => return Err(wrong_length),
            Algorithm::Rs256 | Algorithm::Ps256 | Algorithm::Ps512 => {
                return Err(Error::AlgorithmNotAllowed);
            }
        };
        // One key, one algorithm (RFC 8725 §3.1): the public JWK always names it.
        let public = public_from_secret(&secret)?.with_alg(alg);
        Ok(Self {
            alg,
            secret,
            public,
        })
    }

    /// Parses a private JWK (`d` for EC and OKP, `k` for oct). The algorithm is `alg` if given,
    /// else the JWK's `alg` member, else the default for the key type (ES256, ES384, EdDSA,
    /// HS256). The public members must match the private part.
    ///
    /// # Errors
    /// JSON errors; `invalid-key` for a malformed key or a private part that does not match the
    /// public members; `key-mismatch` when `alg` does not fit the key; `alg-not-allowed` for
    /// RSA keys (signing with RSA is not supported).
    pub fn from_jwk(text: &str, alg: Option<Algorithm>, limits: &Limits) -> Result<Self, Error> {
        let obj = json::parse_object(text.as_bytes(), limits)?;
        let public = Jwk::from_object(&obj)?;
        let alg = match (alg, public.alg()) {
            (Some(a), _) => a,
            (None, Some(name)) => {
                Algorithm::from_jws_name(name).ok_or(Error::AlgorithmNotAllowed)?
            }
            (None, None) => match (public.kty, public.crv) {
                ("EC", Some("P-256")) => Algorithm::Es256,
                ("EC", _) => Algorithm::Es384,
                ("OKP", _) => Algorithm::EdDsa,
                ("oct", _) => Algorithm::Hs256,
                _ => return Err(Error::AlgorithmNotAllowed),
            },
        };
        if !alg.can_sign() {
            return Err(Error::AlgorithmNotAllowed);
        }
        public.check_alg(alg)?;
        let seed = match public.kty {
            "oct" => base64url::decode(member(&obj, "k")?)?,
            _ => base64url::decode(member(&obj, "d")?)?,
        };
        let mut pair = Self::from_seed(alg, &seed).map_err(|e| match e {
            Error::InvalidArgument(_) => Error::InvalidKey(KeyProblem::BadLength),
            other => other,
        })?;
        if pair.public.thumbprint_input() != public.thumbprint_input() {
            return Err(Error::InvalidKey(KeyProblem::PrivatePublicMismatch));
        }
        pair.public = if public.alg.is_some() {
            public
        } else {
            public.with_alg(alg)
        };
        Ok(pair)
    }

    /// Returns the key pair with a `kid` on its public JWK.
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.public = self.public.with_kid(kid);
        self
    }

    /// The signing algorithm.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The public JWK, with `alg` always set (for `oct` keys this is the secret itself: never
    /// publish it).
    pub fn public_jwk(&self) -> &Jwk {
        &self.public
    }

    /// Signs `message`. ECDSA is deterministic (RFC 6979) and Ed25519 is deterministic by
    /// construction, so the same key and message always give the same signature.
    ///
    /// # Errors
    /// `invalid-key` in the (unreachable in practice) case that ECDSA signing fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let failed = Error::InvalidKey(KeyProblem::BadSecret);
        Ok(match &self.secret {
            SecretKey::P256(sk) => {
                let sig: p256::ecdsa::Signature = sk.try_sign(message).map_err(|_| failed)?;
                sig.to_bytes().to_vec()
            }
            SecretKey::P384(sk) => {
                let sig: p384::ecdsa::Signature = sk.try_sign(message).map_err(|_| failed)?;
                sig.to_bytes().to_vec()
            }
            SecretKey::Ed25519(sk) => sk.sign(message).to_bytes().to_vec(),
            SecretKey::Hmac(k) => hmac_sha256(k, message)?,
        })
    }

    /// The private JWK as compact JSON (`d` or `k` included). Handle as a secret.
    pub fn to_private_jwk_json(&self) -> String {
        let mut obj = self.public.to_object();
        match &self.secret {
            SecretKey::P256(sk) => {
                obj.insert("d".into(), base64url::encode(&sk.to_bytes()).into());
            }
            SecretKey::P384(sk) => {
                obj.insert("d".into(), base64url::encode(&sk.to_bytes()).into());
            }
            SecretKey::Ed25519(sk) => {
                obj.insert("d".into(), base64url::encode(&sk.to_bytes()).into());
            }
            SecretKey::Hmac(_) => {}
        }
        json::to_compact(&Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits::DEFAULT;

    #[test]
    fn rfc7638_thumbprints() {
        // RFC 7638 §3.1 (extra members must not change the result).
        let rsa = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        let jwk = Jwk::from_json(rsa, &L).unwrap();
        assert_eq!(
            jwk.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(
            jwk.thumbprint_uri().0,
            "urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        let ed =
            r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
        assert_eq!(
            Jwk::from_json(ed, &L).unwrap().thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn seeds_are_deterministic_and_checked() {
        let a = KeyPair::from_seed(Algorithm::Es256, &[7u8; 32]).unwrap();
        let b = KeyPair::from_seed(Algorithm::Es256, &[7u8; 32]).unwrap();
        assert_eq!(a.sign(b"m").unwrap(), b.sign(b"m").unwrap());
        assert_eq!(a.public_jwk().thumbprint(), b.public_jwk().thumbprint());
        assert_eq!(
            KeyPair::from_seed(Algorithm::Es256, &[7u8; 31]).unwrap_err(),
            Error::InvalidArgument("seed")
        );
        assert_eq!(
            KeyPair::from_seed(Algorithm::Es256, &[0u8; 32]).unwrap_err(),
            Error::InvalidKey(KeyProblem::BadSecret)
        );
        assert_eq!(
            KeyPair::from_seed(Algorithm::Es256, &[0xffu8; 32]).unwrap_err(),
            Error::InvalidKey(KeyProblem::BadSecret)
        );
        assert_eq!(
            KeyPair::from_seed(Algorithm::Rs256, &[1u8; 32]).unwrap_err(),
            Error::AlgorithmNotAllowed
        );
        assert_eq!(
            KeyPair::from_seed(Algorithm::Hs256, &[1u8; 31]).unwrap_err(),
            Error::InvalidArgument("seed")
        );
    }

    #[test]
    fn private_jwk_round_trips_and_mismatch_is_caught() {
        for (alg, n) in [
            (Algorithm::Es256, 32),
            (Algorithm::Es384, 48),
            (Algorithm::EdDsa, 32),
            (Algorithm::Hs256, 32),
        ] {
            let pair = KeyPair::from_seed(alg, &vec![3u8; n])
                .unwrap()
                .with_kid("k1");
            let text = pair.to_private_jwk_json();
            let back = KeyPair::from_jwk(&text, None, &L).unwrap();
            assert_eq!(back.alg(), alg);
            assert_eq!(back.public_jwk().to_json(), pair.public_jwk().to_json());
            let sig = back.sign(b"hello").unwrap();
            pair.public_jwk().verify(alg, b"hello", &sig).unwrap();
        }
        let a = KeyPair::from_seed(Algorithm::Es256, &[3u8; 32]).unwrap();
        let b = KeyPair::from_seed(Algorithm::Es256, &[4u8; 32]).unwrap();
        let mut obj = json::parse_object(a.to_private_jwk_json().as_bytes(), &L).unwrap();
        let other = json::parse_object(b.to_private_jwk_json().as_bytes(), &L).unwrap();
        obj.insert("d".into(), other["d"].clone());
        let mixed = json::to_compact(&Value::Object(obj));
        assert_eq!(
            KeyPair::from_jwk(&mixed, None, &L).unwrap_err(),
            Error::InvalidKey(KeyProblem::PrivatePublicMismatch)
        );
    }

    #[test]
    fn alg_and_key_must_agree() {
        let ec = KeyPair::from_seed(Algorithm::Es256, &[5u8; 32]).unwrap();
        let sig = ec.sign(b"x").unwrap();
        let jwk = ec.public_jwk();
        assert_eq!(
            jwk.verify(Algorithm::Es384, b"x", &sig),
            Err(Error::KeyMismatch)
        );
        assert_eq!(
            jwk.verify(Algorithm::Hs256, b"x", &sig),
            Err(Error::KeyMismatch)
        );
        assert_eq!(
            jwk.clone()
                .with_alg(Algorithm::Es384)
                .verify(Algorithm::Es256, b"x", &sig),
            Err(Error::KeyMismatch)
        );
        let mut obj = jwk.to_object();
        obj.insert("use".into(), "enc".into());
        assert_eq!(
            Jwk::from_object(&obj).unwrap().check_alg(Algorithm::Es256),
            Err(Error::KeyMismatch)
        );
        obj.insert("use".into(), "sig".into());
        obj.insert("key_ops".into(), serde_json::json!(["sign"]));
        assert_eq!(
            Jwk::from_object(&obj).unwrap().check_alg(Algorithm::Es256),
            Err(Error::KeyMismatch)
        );
        jwk.verify(Algorithm::Es256, b"x", &sig).unwrap();
        assert_eq!(
            jwk.verify(Algorithm::Es256, b"y", &sig),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            jwk.verify(Algorithm::Es256, b"x", &sig[..63]),
            Err(Error::InvalidSignature)
        );
    }

    #[test]
    fn rejects_bad_keys() {
        let cases = [
            (
                r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}"#,
                KeyProblem::BadLength,
            ),
            (
                r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}"#,
                KeyProblem::UnsupportedType,
            ),
            (
                r#"{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
                KeyProblem::BadPoint,
            ),
            (
                r#"{"kty":"OKP","crv":"X25519","x":"AA"}"#,
                KeyProblem::UnsupportedType,
            ),
            (r#"{"kty":"oct","k":"c2hvcnQ"}"#, KeyProblem::BadSecret),
            (
                r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
                KeyProblem::RsaSize,
            ),
            (r#"{"crv":"P-256"}"#, KeyProblem::MissingMember),
            (
                r#"{"kty":"EC","crv":"P-256","x":1,"y":"AA"}"#,
                KeyProblem::MissingMember,
            ),
        ];
        for (text, problem) in cases {
            assert_eq!(
                Jwk::from_json(text, &L).unwrap_err(),
                Error::InvalidKey(problem),
                "{text}"
            );
        }
        // Ed25519 small-order point (the identity, encoded as y = 1).
        let identity = base64url::encode(&{
            let mut b = [0u8; 32];
            b[0] = 1;
            b
        });
        let weak = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{identity}"}}"#);
        assert_eq!(
            Jwk::from_json(&weak, &L).unwrap_err(),
            Error::InvalidKey(KeyProblem::BadPoint)
        );
    }

    #[test]
    fn debug_shows_no_secrets() {
        let pair = KeyPair::from_seed(Algorithm::Hs256, &[9u8; 32]).unwrap();
        let k = base64url::encode(&[9u8; 32]);
        assert!(!format!("{pair:?}").contains(&k));
        assert!(!format!("{:?}", pair.public_jwk()).contains(&k));
    }
}
