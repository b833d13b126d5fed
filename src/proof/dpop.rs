//! DPoP (RFC 9449; specs/oauth.md §1): proofs for clients, the resource-server check, and
//! server nonces that need no shared state.
//!
//! [`verify_dpop_proof`] runs the oauth.md §1.6 steps, each with one code:
//! 1. at most one `Authorization` field; with the `DPoP` scheme its token is the access token
//!    (`credential-duplicated`);
//! 2. exactly one `DPoP` field holding one compact JWS (`credential-missing`,
//!    `credential-duplicated`);
//! 3. `typ` `dpop+jwt` (`typ-mismatch`);
//! 4. `alg` in the configured asymmetric list (`alg-not-allowed`);
//! 5. header `jwk` a public key (no private members), `use` absent or `sig`, fitting `alg`
//!    (`invalid-key`, `key-mismatch`);
//! 6. the signature under that `jwk` (`invalid-signature`);
//! 7. `jti` (non-empty, at most 256 bytes), `htm`, `htu`, `iat` present and typed
//!    (`claim-missing`, `claim-invalid`);
//! 8. `htm` equals the method exactly (`claim-mismatch`);
//! 9. `htu` equals the effective request URI — the configured origin plus the request target —
//!    after RFC 3986 normalisation of both, query and fragment removed (`claim-mismatch`);
//! 10. with nonces configured, `nonce` is one this server issued recently (`use-dpop-nonce`);
//! 11. `iat` no older than `max_age` and no further ahead than `max_future`
//!     (`token-too-old`, `token-issued-in-future`);
//! 12. `ath` present and equal to the hash of the access token when one is presented, absent
//!     otherwise (`claim-missing`, `claim-mismatch`);
//! 13. the RFC 7638 thumbprint of `jwk` equals the access token's `cnf.jkt` when the caller
//!     passes one (`binding-mismatch`, answered as `invalid_token`);
//! 14. replay: `(jkt, jti)` not seen, recorded until `iat + max_age + max_future` (`replayed`).
//!
//! A valid proof is not authorization: scopes and the access token's own checks come after.

use serde_json::Value;

use super::{HttpRequest, ReplayCache, auth_scheme, normalize_http_uri, strip_query, token_hash};
use crate::crypto::{Algorithm, AlgorithmSet, Jwk, KeyPair, hmac_sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::{Error, KeyProblem};
use crate::jose::{self, parse_jws};
use crate::limits::Limits;
use crate::time::UnixTime;

/// The explicit type of a DPoP proof.
pub const DPOP_TYP: &str = "dpop+jwt";
/// The algorithms accepted unless configured otherwise (all asymmetric).
pub const DEFAULT_DPOP_ALGORITHMS: AlgorithmSet = AlgorithmSet::EMPTY
    .with(Algorithm::Es256)
    .with(Algorithm::Es384)
    .with(Algorithm::EdDsa)
    .with(Algorithm::Ed25519)
    .with(Algorithm::Ps256);
const MAX_JTI_BYTES: usize = 256;
/// Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const NONCE_LABEL: &[u8] = b"a2a-auth dpop-nonce v1";
const NONCE_TAG_BYTES: usize = 16;

/// Stateless server nonces: `base64url(step ‖ HMAC-SHA256(secret, label ‖ step)[..16])`, where
/// `step` is the 64-bit big-endian count of `step_secs` periods since the epoch. A nonce is
/// accepted during its own step and the two after it; instances that share the secret accept
/// each other's nonces without shared state. The secret comes from the host's randomness.
#[derive(Clone)]
pub struct DpopNonces {
    secret: Vec<u8>,
    step_secs: u64,
}

impl core::fmt::Debug for DpopNonces {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DpopNonces")
            .field("step_secs", &self.step_secs)
            .finish_non_exhaustive()
    }
}

impl DpopNonces {
    /// Nonces keyed by `secret` (at least 32 bytes) with `step_secs`-second steps (60 is
    /// typical).
    ///
    /// # Errors
    /// `invalid-argument` (`secret`, `step_secs`).
    pub fn new(secret: &[u8], step_secs: u64) -> Result<Self, Error> {
        if secret.len() < 32 {
            return Err(Error::InvalidArgument("secret"));
        }
        if step_secs == 0 {
            return Err(Error::InvalidArgument("step_secs"));
        }
        Ok(Self {
            secret: secret.to_vec(),
            step_secs,
        })
    }

    fn tag(&self, step: u64) -> Result<Vec<u8>, Error> {
        let mut input = NONCE_LABEL.to_vec();
        input.extend_from_slice(&step.to_be_bytes());
        let mut mac = hmac_sha256(&self.secret, &input)?;
        mac.truncate(NONCE_TAG_BYTES);
        Ok(mac)
    }

    /// The nonce to hand out at `now` (send it as `DPoP-Nonce`).
    ///
    /// # Errors
    /// `invalid-argument` if the MAC cannot be computed.
    pub fn issue(&self, now: UnixTime) -> Result<String, Error> {
        let step = now
            .as_secs()
            .checked_div(self.step_secs)
            .unwrap_or_default();
        let mut bytes = step.to_be_bytes().to_vec();
        bytes.extend(self.tag(step)?);
        Ok(base64url::encode(&bytes))
    }

    /// Whether `nonce` was issued by these nonces within the last three steps.
    pub fn is_valid(&self, nonce: &str, now: UnixTime) -> bool {
        use subtle::ConstantTimeEq as _;
        let Ok(bytes) = base64url::decode(nonce) else {
            return false;
        };
        let Some((step, tag)) = bytes.split_first_chunk::<8>() else {
            return false;
        };
        let step = u64::from_be_bytes(*step);
        let current = now
            .as_secs()
            .checked_div(self.step_secs)
            .unwrap_or_default();
        if step > current || current.saturating_sub(step) > 2 {
            return false;
        }
        self.tag(step)
            .is_ok_and(|expected| bool::from(expected.as_slice().ct_eq(tag)))
    }
}

/// How a resource server checks DPoP proofs.
#[derive(Debug, Clone)]
pub struct DpopConfig {
    /// This resource's public origin (`https://resource.example.org`), from configuration:
    /// the effective request URI is this plus the request target.
    pub origin: String,
    /// Accepted proof algorithms (asymmetric only; anything else is ignored).
    pub algorithms: AlgorithmSet,
    /// Maximum age of `iat`, seconds (default 300).
    pub max_age: u64,
    /// How far `iat` may be ahead of `now`, seconds (default 60).
    pub max_future: u64,
    /// Server nonces to require, if any.
    pub nonces: Option<DpopNonces>,
}

impl DpopConfig {
    /// A configuration for `origin` with the defaults documented on each field.
    pub fn new(origin: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            algorithms: DEFAULT_DPOP_ALGORITHMS,
            max_age: 300,
            max_future: 60,
            nonces: None,
        }
    }
}

/// A verified DPoP proof.
#[derive(Debug, Clone)]
pub struct VerifiedDpopProof {
    /// RFC 7638 thumbprint of the proof key: what `cnf.jkt` must equal.
    pub jkt: String,
    /// The proof key.
    pub key: Jwk,
    /// `jti`.
    pub jti: String,
    /// `iat`.
    pub issued_at: UnixTime,
    /// Whether an access token was bound (`ath` checked).
    pub access_token_bound: bool,
    /// Whether recording the `jti` evicted a still-live replay-cache entry.
    pub replay_cache_evicted_live: bool,
    /// All claims.
    pub claims: Object,
}

/// What a client puts in a proof.
#[derive(Debug, Clone)]
pub struct DpopParams<'a> {
    /// The HTTP method (`htm`).
    pub method: &'a str,
    /// The target URI; query and fragment are removed for `htu`.
    pub uri: &'a str,
    /// Now (`iat`).
    pub issued_at: UnixTime,
    /// A unique id from caller randomness (for example 16 random bytes, base64url).
    pub jti: &'a str,
    /// The access token sent with the proof (`ath`), for resource requests.
    pub access_token: Option<&'a str>,
    /// The server's most recent `DPoP-Nonce`, if it sent one.
    pub nonce: Option<&'a str>,
}

/// Creates a DPoP proof signed by `key`, whose public JWK (required members only) goes in the
/// header.
///
/// # Errors
/// `invalid-argument`: `method` or `jti` empty, `jti` over 256 bytes, `uri` not an absolute
/// http(s) URI; `alg-not-allowed` for an HMAC key.
pub fn create_dpop_proof(key: &KeyPair, params: &DpopParams<'_>) -> Result<String, Error> {
    if key.alg() == Algorithm::Hs256 {
        return Err(Error::AlgorithmNotAllowed);
    }
    if params.method.is_empty() {
        return Err(Error::InvalidArgument("method"));
    }
    if params.jti.is_empty() || params.jti.len() > MAX_JTI_BYTES {
        return Err(Error::InvalidArgument("jti"));
    }
    normalize_http_uri(params.uri)?;
    let jwk = json::parse_object(
        key.public_jwk().thumbprint_input().as_bytes(),
        &Limits::DEFAULT,
    )?;
    let mut header = Object::new();
    header.insert("typ".into(), DPOP_TYP.into());
    header.insert("jwk".into(), Value::Object(jwk));
    let mut claims = Object::new();
    claims.insert("jti".into(), params.jti.into());
    claims.insert("htm".into(), params.method.into());
    claims.insert("htu".into(), strip_query(params.uri).into());
    claims.insert("iat".into(), params.issued_at.as_secs().into());
    if let Some(at) = params.access_token {
        claims.insert("ath".into(), token_hash(at).into());
    }
    if let Some(nonce) = params.nonce {
        claims.insert("nonce".into(), nonce.into());
    }
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(claims)).as_bytes(),
        key,
    )
}

fn string_claim<'c>(claims: &'c Object, name: &'static str) -> Result<&'c str, Error> {
    match claims.get(name) {
        None => Err(Error::ClaimMissing(name)),
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Verifies the DPoP proof of `request` (see the module documentation for each step).
/// `expected_jkt` is the access token's `cnf.jkt`, when the caller has one.
///
/// # Errors
/// As listed in the module documentation.
pub fn verify_dpop_proof(
    request: &HttpRequest<'_>,
    expected_jkt: Option<&str>,
    config: &DpopConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedDpopProof, Error> {
    let limits = Limits::DEFAULT;
    // Step 1: the access token, when sent with the DPoP scheme.
    let access_token = match request.single("authorization", "authorization field")? {
        Some(v) => match auth_scheme(v) {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("DPoP") => Some(token),
            Some(_) => None,
            None => return Err(Error::MalformedToken),
        },
        None => None,
    };
    // Step 2: exactly one proof.
    let proof = request
        .single("dpop", "dpop proof")?
        .ok_or(Error::CredentialMissing("dpop proof"))?;
    let jws = parse_jws(proof, &limits)?;
    // Step 3: explicit type.
    if !jws
        .header()
        .typ()
        .is_some_and(|t| jose::typ_matches(t, DPOP_TYP))
    {
        return Err(Error::TypMismatch);
    }
    // Step 4: an allowed asymmetric algorithm.
    let allowed: AlgorithmSet = config
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let alg = jws.allowed_alg(allowed)?;
    // Step 5: the embedded public key.
    let Some(Value::Object(jwk)) = jws.header().raw().get("jwk") else {
        return Err(Error::InvalidKey(KeyProblem::MissingMember));
    };
    if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m)) {
        return Err(Error::InvalidKey(KeyProblem::PrivateMember));
    }
    let key = Jwk::from_object(jwk)?;
    key.check_alg(alg)?;
    // Step 6: the signature.
    let verified = jws.verify_with_key(&key, AlgorithmSet::EMPTY.with(alg))?;
    let claims = json::parse_object(verified.payload(), &limits)?;
    // Step 7: claims present and typed.
    let jti = string_claim(&claims, "jti")?;
    if jti.len() > MAX_JTI_BYTES {
        return Err(Error::ClaimInvalid("jti"));
    }
    let htm = string_claim(&claims, "htm")?;
    let htu = string_claim(&claims, "htu")?;
    let iat = match claims.get("iat") {
        None => return Err(Error::ClaimMissing("iat")),
        Some(v) => v.as_u64().ok_or(Error::ClaimInvalid("iat"))?,
    };
    // Step 8: the method, exactly.
    if htm != request.method {
        return Err(Error::ClaimMismatch("htm"));
    }
    // Step 9: the URI, normalised on both sides; ours comes from configuration.
    let expected = normalize_http_uri(&format!("{}{}", config.origin, request.target))?;
    let presented = normalize_http_uri(htu).map_err(|_| Error::ClaimInvalid("htu"))?;
    if presented != expected {
        return Err(Error::ClaimMismatch("htu"));
    }
    // Step 10: nonce.
    if let Some(nonces) = &config.nonces {
        let ok = match claims.get("nonce") {
            Some(Value::String(n)) => nonces.is_valid(n, now),
            _ => false,
        };
        if !ok {
            return Err(Error::UseDpopNonce);
        }
    }
    // Step 11: freshness.
    if iat.saturating_add(config.max_age) < now.as_secs() {
        return Err(Error::TokenTooOld);
    }
    if iat > now.as_secs().saturating_add(config.max_future) {
        return Err(Error::TokenIssuedInFuture);
    }
    // Step 12: ath.
    match (claims.get("ath"), access_token) {
        (None, None) => {}
        (None, Some(_)) => return Err(Error::ClaimMissing("ath")),
        (Some(Value::String(h)), Some(at)) if *h == token_hash(at) => {}
        (Some(Value::String(_)), _) => return Err(Error::ClaimMismatch("ath")),
        (Some(_), _) => return Err(Error::ClaimInvalid("ath")),
    }
    // Step 13: the token's key binding.
    let jkt = key.thumbprint();
    if expected_jkt.is_some_and(|e| e != jkt) {
        return Err(Error::BindingMismatch("access token"));
    }
    // Step 14: replay, per key.
    let replay_cache_evicted_live = match replay {
        Some(cache) => {
            let until = UnixTime(iat)
                .saturating_add(config.max_age)
                .saturating_add(config.max_future);
            cache.check_and_insert(&jkt, jti, until, now)?.evicted_live
        }
        None => false,
    };
    Ok(VerifiedDpopProof {
        jti: jti.to_owned(),
        jkt,
        key,
        issued_at: UnixTime(iat),
        access_token_bound: access_token.is_some(),
        replay_cache_evicted_live,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_rotate_and_expire() {
        let n = DpopNonces::new(&[7; 32], 60).unwrap();
        let t = UnixTime(6000);
        let nonce = n.issue(t).unwrap();
        assert!(n.is_valid(&nonce, t));
        assert!(n.is_valid(&nonce, UnixTime(6000 + 179)));
        assert!(!n.is_valid(&nonce, UnixTime(6000 + 180)));
        assert!(!n.is_valid(&nonce, UnixTime(5999)));
        let other = DpopNonces::new(&[8; 32], 60).unwrap();
        assert!(!other.is_valid(&nonce, t));
        assert!(!n.is_valid("", t));
        assert!(!n.is_valid("AAAA", t));
        let mut forged = base64url::decode(&nonce).unwrap();
        forged[10] ^= 1;
        assert!(!n.is_valid(&base64url::encode(&forged), t));
    }
}
