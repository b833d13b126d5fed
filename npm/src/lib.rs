//! The wasm-bindgen layer of the npm package: converts types and nothing else. Every function
//! calls [`a2a_auth::ffi`]; errors cross as JSON `{"code": ..., "detail": ...}` text, which the
//! JavaScript wrapper (`js/api.js`) turns into `A2AAuthError` instances. Time and random bytes
//! are supplied by that wrapper (`Date.now()`, `crypto.getRandomValues`), never drawn here.

use a2a_auth::ffi;
use wasm_bindgen::prelude::*;

fn err(e: a2a_auth::Error) -> JsValue {
    let detail = e.to_string().replace('\\', "\\\\").replace('"', "\\\"");
    JsValue::from_str(&format!(r#"{{"code":"{}","detail":"{detail}"}}"#, e.code()))
}

/// The stable error codes, in order (the same list as the WIT `error-code` enum).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    a2a_auth::Error::ALL_CODES
        .iter()
        .map(|c| (*c).to_owned())
        .collect()
}

/// How many random bytes to draw for `KeyPair.fromSeed` with `alg`.
#[wasm_bindgen(js_name = seedLength)]
pub fn seed_length(alg: &str) -> Result<u32, JsValue> {
    ffi::seed_length(alg).map_err(err)
}

/// A private key with its algorithm.
#[wasm_bindgen]
pub struct KeyPair(a2a_auth::crypto::KeyPair);

#[wasm_bindgen]
impl KeyPair {
    /// A key pair from caller-drawn seed bytes, with an optional `kid`.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(alg: &str, seed: &[u8], kid: Option<String>) -> Result<KeyPair, JsValue> {
        ffi::key_pair_from_seed(alg, seed, kid.as_deref())
            .map(KeyPair)
            .map_err(err)
    }

    /// A key pair from a private JWK (JSON text).
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(jwk: &str, alg: Option<String>) -> Result<KeyPair, JsValue> {
        ffi::key_pair_from_jwk(jwk, alg.as_deref())
            .map(KeyPair)
            .map_err(err)
    }

    /// The algorithm's JWS name.
    pub fn alg(&self) -> String {
        self.0.alg().jws_name().to_owned()
    }

    /// The public JWK (JSON text).
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self) -> String {
        self.0.public_jwk().to_json()
    }

    /// The private JWK (JSON text).
    #[wasm_bindgen(js_name = privateJwk)]
    pub fn private_jwk(&self) -> String {
        self.0.to_private_jwk_json()
    }

    /// Signs `message`; returns the raw signature.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.0.sign(message).map_err(err)
    }
}

/// RFC 7638 thumbprint: `[canonical, thumbprint, thumbprintUri]`.
#[wasm_bindgen]
pub fn thumbprint(jwk: &str) -> Result<Vec<String>, JsValue> {
    let t = ffi::thumbprint(jwk).map_err(err)?;
    Ok(vec![t.canonical, t.thumbprint, t.thumbprint_uri])
}

/// The public form of a JWK (JSON text).
#[wasm_bindgen(js_name = importJwk)]
pub fn import_jwk(jwk: &str) -> Result<String, JsValue> {
    ffi::import_jwk(jwk).map_err(err)
}

/// Verifies a raw signature.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    alg: &str,
    jwk: &str,
    message: &[u8],
    signature: &[u8],
) -> Result<(), JsValue> {
    ffi::verify_signature(alg, jwk, message, signature).map_err(err)
}

/// A verified JWS.
#[wasm_bindgen(getter_with_clone)]
pub struct VerifiedJws {
    /// The algorithm that verified.
    pub alg: String,
    /// The protected header (JSON text).
    pub header: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// RFC 7638 thumbprint of the key that verified.
    #[wasm_bindgen(js_name = keyThumbprint)]
    pub key_thumbprint: String,
}

/// Verifies a compact JWS against a key set (JSON text) and an allow-list.
#[wasm_bindgen(js_name = verifyJws)]
pub fn verify_jws(
    token: &str,
    keys: &str,
    algorithms: Vec<String>,
) -> Result<VerifiedJws, JsValue> {
    let v = ffi::verify_jws(token, keys, &algorithms).map_err(err)?;
    Ok(VerifiedJws {
        alg: v.alg,
        header: v.header,
        payload: v.payload,
        key_thumbprint: v.key_thumbprint,
    })
}

/// A verified JWT: `[header, claims, keyThumbprint]` (header and claims as JSON text).
#[wasm_bindgen(js_name = verifyJwt)]
#[allow(clippy::too_many_arguments)]
pub fn verify_jwt(
    token: &str,
    keys: &str,
    algorithms: Vec<String>,
    typ: Option<String>,
    issuer: Option<String>,
    audience: Option<String>,
    subject: Option<String>,
    required: Vec<String>,
    leeway: Option<u32>,
    max_age: Option<u32>,
    now: f64,
) -> Result<Vec<String>, JsValue> {
    // JavaScript numbers: a time before the epoch or beyond 2^53 is a caller error.
    if !(0.0..=9_007_199_254_740_991.0).contains(&now) || now.fract() != 0.0 {
        return Err(err(a2a_auth::Error::InvalidArgument("now")));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "range checked above"
    )]
    let now = now as u64;
    let rules = ffi::JwtRules {
        algorithms,
        typ,
        issuer,
        audience,
        subject,
        required,
        leeway: leeway.map(u64::from),
        max_age: max_age.map(u64::from),
    };
    let v = ffi::verify_jwt(token, keys, &rules, now).map_err(err)?;
    Ok(vec![v.header, v.claims, v.key_thumbprint])
}

/// Signs a compact JWS; `header` is JSON text of extra protected members.
#[wasm_bindgen(js_name = signJws)]
pub fn sign_jws(header: &str, payload: &[u8], key: &KeyPair) -> Result<String, JsValue> {
    ffi::sign_jws(header, payload, &key.0).map_err(err)
}

/// Parses a workload identifier: `[id, scheme, trustDomain, path, origin]`. With
/// `spiffe_only`, only SPIFFE IDs are accepted.
#[wasm_bindgen(js_name = parseWorkloadId)]
pub fn parse_workload_id(id: &str, spiffe_only: bool) -> Result<Vec<String>, JsValue> {
    let p = if spiffe_only {
        ffi::parse_spiffe_id(id)
    } else {
        ffi::parse_workload_id(id)
    }
    .map_err(err)?;
    Ok(vec![p.id, p.scheme, p.trust_domain, p.path, p.origin])
}

/// Whether `id` matches the identifier pattern `pattern`.
#[wasm_bindgen(js_name = idMatches)]
pub fn id_matches(pattern: &str, id: &str) -> Result<bool, JsValue> {
    ffi::id_matches(pattern, id).map_err(err)
}

/// A parsed SPIFFE trust bundle.
#[wasm_bindgen(getter_with_clone)]
pub struct BundleInfo {
    /// The trust domain.
    #[wasm_bindgen(js_name = trustDomain)]
    pub trust_domain: String,
    /// `spiffe_sequence` (absent when the bundle has none).
    pub sequence: Option<f64>,
    /// `spiffe_refresh_hint` in seconds (300 when absent).
    #[wasm_bindgen(js_name = refreshHint)]
    pub refresh_hint: f64,
    /// `kid`s of the JWT-SVID authorities.
    #[wasm_bindgen(js_name = jwtKids)]
    pub jwt_kids: Vec<String>,
    /// `kid`s of the WIT-SVID authorities.
    #[wasm_bindgen(js_name = witKids)]
    pub wit_kids: Vec<String>,
    /// base64url SHA-256 of each X.509 authority (DER).
    #[wasm_bindgen(js_name = x509Thumbprints)]
    pub x509_thumbprints: Vec<String>,
    /// Entries ignored.
    pub skipped: u32,
}

/// Parses the bundle document (JSON text) of `trust_domain`.
#[wasm_bindgen(js_name = parseBundle)]
pub fn parse_bundle(trust_domain: &str, bundle: &str) -> Result<BundleInfo, JsValue> {
    let b = ffi::parse_bundle(trust_domain, bundle).map_err(err)?;
    // JavaScript numbers: sequences and hints beyond 2^53 lose precision, as JSON would.
    #[expect(clippy::cast_precision_loss, reason = "exposed as JavaScript numbers")]
    Ok(BundleInfo {
        trust_domain: b.trust_domain,
        sequence: b.sequence.map(|s| s as f64),
        refresh_hint: b.refresh_hint as f64,
        jwt_kids: b.jwt_kids,
        wit_kids: b.wit_kids,
        x509_thumbprints: b.x509_thumbprints,
        skipped: b.skipped,
    })
}

/// Parses a SPIFFE bundle map (JSON text); returns its trust domains.
#[wasm_bindgen(js_name = parseBundleMap)]
pub fn parse_bundle_map(map: &str) -> Result<Vec<String>, JsValue> {
    ffi::parse_bundle_map(map).map_err(err)
}

fn whole_seconds(value: f64, name: &'static str) -> Result<u64, JsValue> {
    if !(0.0..=9_007_199_254_740_991.0).contains(&value) || value.fract() != 0.0 {
        return Err(err(a2a_auth::Error::InvalidArgument(name)));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "range checked above"
    )]
    Ok(value as u64)
}

/// Verifies a WIT against a trust store (SPIFFE bundle map, JSON text), with the WIT-SVID
/// profile when `wit_svid`:
/// `[subject, trustDomain, cnfJwk, proofAlg, issuerKeyThumbprint, claims]`.
#[wasm_bindgen(js_name = verifyWorkloadIdentityToken)]
pub fn verify_workload_identity_token(
    token: &str,
    trust_store: &str,
    now: f64,
    max_lifetime: Option<f64>,
    wit_svid: bool,
) -> Result<Vec<String>, JsValue> {
    let now = whole_seconds(now, "now")?;
    let max = max_lifetime
        .map(|m| whole_seconds(m, "maxLifetime"))
        .transpose()?;
    let v =
        ffi::verify_workload_identity_token(token, trust_store, now, max, wit_svid).map_err(err)?;
    Ok(vec![
        v.subject,
        v.trust_domain,
        v.cnf_jwk,
        v.proof_alg,
        v.issuer_key_thumbprint,
        v.claims,
    ])
}

/// Issues a WIT for `subject` binding `cnf_jwk` (JSON text).
#[wasm_bindgen(js_name = issueWorkloadIdentityToken)]
#[allow(clippy::too_many_arguments)]
pub fn issue_workload_identity_token(
    issuer_key: &KeyPair,
    subject: &str,
    cnf_jwk: &str,
    now: f64,
    lifetime: f64,
    jti: &str,
    issuer: Option<String>,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let lifetime = whole_seconds(lifetime, "lifetime")?;
    ffi::issue_workload_identity_token(
        &issuer_key.0,
        subject,
        cnf_jwk,
        now,
        lifetime,
        jti,
        issuer.as_deref(),
    )
    .map_err(err)
}

/// Issues a WIT after attestation:
/// `[token, subject, issuedAt, expiresAt, renewAfter]` (times as decimal strings).
#[wasm_bindgen(js_name = issueAttestedWit)]
pub fn issue_attested_wit(
    issuer_key: &KeyPair,
    policy: &str,
    evidence: &str,
    cnf_jwk: &str,
    now: f64,
    jti: &str,
) -> Result<Vec<String>, JsValue> {
    let now = whole_seconds(now, "now")?;
    let w =
        ffi::issue_attested_wit(&issuer_key.0, policy, evidence, cnf_jwk, now, jti).map_err(err)?;
    Ok(vec![
        w.token,
        w.subject,
        w.issued_at.to_string(),
        w.expires_at.to_string(),
        w.renew_after.to_string(),
    ])
}

/// When to renew a credential valid from `issuedAt` to `expiresAt` (half-life).
#[wasm_bindgen(js_name = renewalTime)]
pub fn renewal_time(issued_at: f64, expires_at: f64) -> Result<f64, JsValue> {
    let issued_at = whole_seconds(issued_at, "issuedAt")?;
    let expires_at = whole_seconds(expires_at, "expiresAt")?;
    #[allow(clippy::cast_precision_loss, reason = "Unix seconds stay below 2^53")]
    ffi::renewal_time(issued_at, expires_at)
        .map(|t| t as f64)
        .map_err(err)
}

/// Verifies an X.509-SVID (PEM chain, leaf first):
/// `[subject, trustDomain, notAfter, spkiSha256, leafSha256, pathLength]`.
#[wasm_bindgen(js_name = verifyX509Svid)]
pub fn verify_x509_svid(chain: &str, trust_store: &str, now: f64) -> Result<Vec<String>, JsValue> {
    let now = whole_seconds(now, "now")?;
    let v = ffi::verify_x509_svid(chain, trust_store, now).map_err(err)?;
    Ok(vec![
        v.subject,
        v.trust_domain,
        v.not_after.to_string(),
        v.spki_sha256,
        v.leaf_sha256,
        v.path_length.to_string(),
    ])
}

/// Verifies a JWT-SVID for `audience`: `[subject, trustDomain, issuerKeyThumbprint, claims]`.
#[wasm_bindgen(js_name = verifyJwtSvid)]
pub fn verify_jwt_svid(
    token: &str,
    trust_store: &str,
    audience: &str,
    now: f64,
) -> Result<Vec<String>, JsValue> {
    let now = whole_seconds(now, "now")?;
    let v = ffi::verify_jwt_svid(token, trust_store, audience, now).map_err(err)?;
    Ok(vec![
        v.subject,
        v.trust_domain,
        v.issuer_key_thumbprint,
        v.claims,
    ])
}

/// Header pairs from JSON text `[["name", "value"], ...]` (the JS wrapper builds it).
fn header_pairs(json: &str) -> Result<Vec<(String, String)>, JsValue> {
    let bad = || err(a2a_auth::Error::InvalidArgument("headers"));
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| bad())?;
    value
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([serde_json::Value::String(n), serde_json::Value::String(v)]) => {
                Ok((n.clone(), v.clone()))
            }
            _ => Err(bad()),
        })
        .collect()
}

/// A bounded `(sender, jti)` replay cache.
#[wasm_bindgen]
pub struct ReplayCache(a2a_auth::proof::ReplayCache);

#[wasm_bindgen]
impl ReplayCache {
    /// A cache of at most `capacity` entries keyed by `secret` (at least 32 random bytes).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: u32, secret: &[u8]) -> Result<ReplayCache, JsValue> {
        ffi::replay_cache(capacity, secret)
            .map(ReplayCache)
            .map_err(err)
    }

    /// Records the pair until `expiresAt`, or throws `replayed`; returns whether a live entry
    /// was evicted.
    #[wasm_bindgen(js_name = checkAndInsert)]
    pub fn check_and_insert(
        &mut self,
        sender: &str,
        jti: &str,
        expires_at: f64,
        now: f64,
    ) -> Result<bool, JsValue> {
        let expires_at = whole_seconds(expires_at, "expiresAt")?;
        let now = whole_seconds(now, "now")?;
        self.0
            .check_and_insert(
                sender,
                jti,
                a2a_auth::UnixTime(expires_at),
                a2a_auth::UnixTime(now),
            )
            .map(|i| i.evicted_live)
            .map_err(err)
    }

    /// Entries held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// Live evictions since creation.
    #[wasm_bindgen(getter, js_name = evictedLive)]
    pub fn evicted_live(&self) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "a count far below 2^53")]
        {
            self.0.evicted_live() as f64
        }
    }
}

/// Creates a WPT. `other_tokens` is JSON text `[["name", "value"], ...]`.
#[wasm_bindgen(js_name = createWpt)]
#[allow(clippy::too_many_arguments)]
pub fn create_wpt(
    key: &KeyPair,
    wit: &str,
    audience: &str,
    now: f64,
    lifetime: f64,
    jti: &str,
    access_token: Option<String>,
    txn_token: Option<String>,
    other_tokens: &str,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let lifetime = whole_seconds(lifetime, "lifetime")?;
    let others = header_pairs(other_tokens)?;
    ffi::create_wpt(
        &key.0,
        wit,
        audience,
        now,
        lifetime,
        jti,
        access_token.as_deref(),
        txn_token.as_deref(),
        &others,
    )
    .map_err(err)
}

/// Verifies a WIT + WPT request; returns the result as JSON text.
#[wasm_bindgen(js_name = verifyWpt)]
#[allow(clippy::too_many_arguments)]
pub fn verify_wpt(
    method: &str,
    target: &str,
    headers: &str,
    trust_store: &str,
    config: &str,
    now: f64,
    cache: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let headers = header_pairs(headers)?;
    let v = ffi::verify_wpt(
        method,
        target,
        &headers,
        trust_store,
        config,
        now,
        Some(&mut cache.0),
    )
    .map_err(err)?;
    Ok(serde_json::json!({
        "subject": v.subject, "trustDomain": v.trust_domain, "audience": v.audience, "jti": v.jti,
        "expiresAt": v.expires_at, "proofAlg": v.proof_alg, "cnfThumbprint": v.cnf_thumbprint,
        "bound": v.bound, "replayCacheEvictedLive": v.replay_cache_evicted_live,
        "claims": serde_json::from_str::<serde_json::Value>(&v.claims).unwrap_or_default(),
    })
    .to_string())
}

/// Creates a DPoP proof.
#[wasm_bindgen(js_name = createDpopProof)]
pub fn create_dpop_proof(
    key: &KeyPair,
    method: &str,
    uri: &str,
    now: f64,
    jti: &str,
    access_token: Option<String>,
    nonce: Option<String>,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::create_dpop_proof(
        &key.0,
        method,
        uri,
        now,
        jti,
        access_token.as_deref(),
        nonce.as_deref(),
    )
    .map_err(err)
}

/// Verifies a DPoP proof; returns the result as JSON text.
#[wasm_bindgen(js_name = verifyDpopProof)]
#[allow(clippy::too_many_arguments)]
pub fn verify_dpop_proof(
    method: &str,
    target: &str,
    headers: &str,
    expected_jkt: Option<String>,
    config: &str,
    now: f64,
    cache: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let headers = header_pairs(headers)?;
    let v = ffi::verify_dpop_proof(
        method,
        target,
        &headers,
        expected_jkt.as_deref(),
        config,
        now,
        Some(&mut cache.0),
    )
    .map_err(err)?;
    Ok(serde_json::json!({
        "jkt": v.jkt, "jti": v.jti, "issuedAt": v.issued_at, "accessTokenBound": v.access_token_bound,
        "replayCacheEvictedLive": v.replay_cache_evicted_live,
        "claims": serde_json::from_str::<serde_json::Value>(&v.claims).unwrap_or_default(),
    })
    .to_string())
}

/// The `DPoP-Nonce` to hand out at `now`.
#[wasm_bindgen(js_name = dpopNonce)]
pub fn dpop_nonce(config: &str, now: f64) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::dpop_nonce(config, now).map_err(err)
}

fn challenge_json(c: a2a_auth::proof::Challenge) -> String {
    serde_json::json!({"status": c.status, "wwwAuthenticate": c.www_authenticate, "dpopNonce": c.dpop_nonce})
        .to_string()
}

/// The HTTP answer to a WPT failure (JSON text).
#[wasm_bindgen(js_name = wptChallenge)]
pub fn wpt_challenge(code: &str, wire: &str) -> Result<String, JsValue> {
    ffi::wpt_challenge(code, wire)
        .map(challenge_json)
        .map_err(err)
}

/// The HTTP answer to a DPoP failure (JSON text).
#[wasm_bindgen(js_name = dpopChallenge)]
pub fn dpop_challenge(
    code: &str,
    description: &str,
    config: &str,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::dpop_challenge(code, description, config, now)
        .map(challenge_json)
        .map_err(err)
}

/// RFC 3986 normalisation of an absolute http(s) URI, without query and fragment.
#[wasm_bindgen(js_name = normalizeHttpUri)]
pub fn normalize_http_uri(uri: &str) -> Result<String, JsValue> {
    ffi::normalize_http_uri(uri).map_err(err)
}

fn verified_signature_json(v: &ffi::VerifiedHttpSignature) -> serde_json::Value {
    serde_json::json!({
        "label": v.label, "components": v.components, "keyid": v.keyid, "tag": v.tag, "nonce": v.nonce,
        "created": v.created, "expires": v.expires, "digestChecked": v.digest_checked,
    })
}

fn wimse_json(v: &ffi::VerifiedWimseInfo) -> String {
    serde_json::json!({
        "subject": v.subject, "trustDomain": v.trust_domain, "signature": verified_signature_json(&v.signature),
        "signResponse": v.sign_response,
    })
    .to_string()
}

fn wimse_signature_json(s: &ffi::WimseSignatureInfo) -> String {
    serde_json::json!({"contentDigest": s.content_digest, "signatureInput": s.signature_input, "signature": s.signature})
        .to_string()
}

/// Signs an HTTP message (JSON text); returns `{signatureInput, signature, base}` as JSON text.
#[wasm_bindgen(js_name = httpSign)]
pub fn http_sign(
    message: &str,
    label: &str,
    components: Vec<String>,
    params: &str,
    key: &KeyPair,
) -> Result<String, JsValue> {
    let s = ffi::http_sign(message, label, &components, params, &key.0).map_err(err)?;
    Ok(serde_json::json!({"signatureInput": s.signature_input, "signature": s.signature, "base": s.base}).to_string())
}

/// The signature base of one Signature-Input member.
#[wasm_bindgen(js_name = httpSignatureBase)]
pub fn http_signature_base(message: &str, signature_input: &str) -> Result<String, JsValue> {
    ffi::http_signature_base(message, signature_input).map_err(err)
}

/// Verifies an HTTP signature; returns the result as JSON text.
#[wasm_bindgen(js_name = httpVerify)]
pub fn http_verify(
    message: &str,
    body: Option<Vec<u8>>,
    policy: &str,
    keys: &str,
    now: f64,
    cache: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let v = ffi::http_verify(
        message,
        body.as_deref(),
        policy,
        keys,
        now,
        Some(&mut cache.0),
    )
    .map_err(err)?;
    Ok(verified_signature_json(&v).to_string())
}

/// The Content-Digest value for `body`.
#[wasm_bindgen(js_name = contentDigest)]
pub fn content_digest(body: &[u8], algorithms: Vec<String>) -> Result<String, JsValue> {
    ffi::http_content_digest(body, &algorithms).map_err(err)
}

/// Checks a Content-Digest value against `body`.
#[wasm_bindgen(js_name = verifyContentDigest)]
pub fn verify_content_digest(field: &str, body: &[u8]) -> Result<(), JsValue> {
    ffi::http_verify_content_digest(field, body).map_err(err)
}

/// Signs a request in the WIMSE profile; returns JSON text.
#[wasm_bindgen(js_name = signWimseRequest)]
#[allow(clippy::too_many_arguments)]
pub fn sign_wimse_request(
    message: &str,
    body: Option<Vec<u8>>,
    key: &KeyPair,
    audience: &str,
    now: f64,
    lifetime: f64,
    nonce: &str,
    version: &str,
    sign_response: bool,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let lifetime = whole_seconds(lifetime, "lifetime")?;
    let s = ffi::wimse_sign_request(
        message,
        body.as_deref(),
        &key.0,
        audience,
        now,
        lifetime,
        nonce,
        version,
        sign_response,
    )
    .map_err(err)?;
    Ok(wimse_signature_json(&s))
}

/// Signs a response in the WIMSE profile; returns JSON text.
#[wasm_bindgen(js_name = signWimseResponse)]
#[allow(clippy::too_many_arguments)]
pub fn sign_wimse_response(
    message: &str,
    body: Option<Vec<u8>>,
    request_nonce: &str,
    key: &KeyPair,
    now: f64,
    lifetime: f64,
    nonce: &str,
    version: &str,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let lifetime = whole_seconds(lifetime, "lifetime")?;
    let s = ffi::wimse_sign_response(
        message,
        body.as_deref(),
        request_nonce,
        &key.0,
        now,
        lifetime,
        nonce,
        version,
    )
    .map_err(err)?;
    Ok(wimse_signature_json(&s))
}

/// Verifies a WIMSE-signed request; returns JSON text.
#[wasm_bindgen(js_name = verifyWimseRequest)]
pub fn verify_wimse_request(
    message: &str,
    body: Option<Vec<u8>>,
    trust_store: &str,
    config: &str,
    now: f64,
    cache: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let v = ffi::wimse_verify_request(
        message,
        body.as_deref(),
        trust_store,
        config,
        now,
        Some(&mut cache.0),
    )
    .map_err(err)?;
    Ok(wimse_json(&v))
}

/// Verifies a WIMSE-signed response; returns JSON text.
#[wasm_bindgen(js_name = verifyWimseResponse)]
pub fn verify_wimse_response(
    message: &str,
    body: Option<Vec<u8>>,
    request_nonce: &str,
    trust_store: &str,
    config: &str,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let v = ffi::wimse_verify_response(
        message,
        body.as_deref(),
        request_nonce,
        trust_store,
        config,
        now,
    )
    .map_err(err)?;
    Ok(wimse_json(&v))
}

fn gate_request(json: &str, body: Option<Vec<u8>>) -> Result<ffi::GateRequest, JsValue> {
    let bad = |what: &'static str| err(a2a_auth::Error::InvalidArgument(what));
    let v: serde_json::Value = serde_json::from_str(json).map_err(|_| bad("request"))?;
    let field = |name: &str| v.get(name).unwrap_or(&serde_json::Value::Null);
    let text = |name: &'static str| {
        field(name)
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| bad(name))
    };
    Ok(ffi::GateRequest {
        method: text("method")?,
        target_uri: text("target_uri")?,
        headers: header_pairs(&field("headers").to_string())?,
        body,
        mtls_peer: match field("mtls_peer") {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            _ => return Err(bad("mtls_peer")),
        },
    })
}

/// Decides about requests under one policy document (see `Verifier` in the Rust docs).
#[wasm_bindgen]
pub struct Verifier(a2a_auth::gate::Verifier);

#[wasm_bindgen]
impl Verifier {
    /// A verifier for the policy document (JSON text); `secret`: at least 32 random bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, secret: &[u8]) -> Result<Verifier, JsValue> {
        ffi::verifier_new(policy, secret).map(Verifier).map_err(err)
    }

    /// Decides about a request (`{"method", "target_uri", "headers": [[n, v], ...],
    /// "mtls_peer"}` as JSON text, the body apart); returns the decision as JSON text:
    /// `{"allow": true, "principal": {...}}` or `{"allow": false, "denial": {...}}`.
    pub fn authenticate(
        &mut self,
        request: &str,
        body: Option<Vec<u8>>,
        now: f64,
    ) -> Result<String, JsValue> {
        let now = whole_seconds(now, "now")?;
        let request = gate_request(request, body)?;
        let decision = match ffi::authenticate(&mut self.0, &request, now) {
            Ok(p) => serde_json::json!({"allow": true, "principal": {
                "agent": p.agent, "trustDomain": p.trust_domain, "method": p.method,
                "credentials": p.credentials, "clientId": p.client_id, "subject": p.subject,
                "issuer": p.issuer, "act": p.act, "scopes": p.scopes,
                "transaction": p.transaction.map(txn_json),
                "actors": p.actors.iter().map(|(s, i)| serde_json::json!({"subject": s, "issuer": i})).collect::<Vec<_>>(),
                "authorizationDetails": p.authorization_details, "tokenHashes": p.token_hashes,
                "expiresAt": p.expires_at, "route": p.route, "audit": p.audit,
            }}),
            Err(d) => serde_json::json!({"allow": false, "denial": {
                "status": d.status, "wwwAuthenticate": d.www_authenticate,
                "dpopNonce": d.dpop_nonce, "code": d.error.code(), "detail": d.error.to_string(),
                "event": d.event, "audit": d.audit,
            }}),
        };
        Ok(decision.to_string())
    }

    /// The `jwks_uri` documents to fetch now.
    pub fn due(&self, now: f64) -> Result<Vec<String>, JsValue> {
        Ok(self.0.due(a2a_auth::UnixTime(whole_seconds(now, "now")?)))
    }

    /// Combines a PDP decision with an allowed principal (its credential kinds as JSON text and
    /// its audit record); the outcome as JSON text `{"allow": true}` or `{"allow": false,
    /// "denial": {...}}`.
    pub fn enforce(
        &self,
        credentials: &str,
        audit: &str,
        decision: &str,
    ) -> Result<String, JsValue> {
        let kinds: Vec<String> = serde_json::from_str(credentials)
            .map_err(|_| err(a2a_auth::Error::InvalidArgument("credentials")))?;
        Ok(match ffi::enforce_parts(&self.0, &kinds, audit, decision) {
            Ok(()) => serde_json::json!({"allow": true}),
            Err(d) => serde_json::json!({"allow": false, "denial": {
                "status": d.status, "wwwAuthenticate": d.www_authenticate,
                "dpopNonce": d.dpop_nonce, "code": d.error.code(), "detail": d.error.to_string(),
                "event": d.event, "audit": d.audit,
            }}),
        }
        .to_string())
    }

    /// The RFC 9728 metadata `[url, document]` this resource serves.
    #[wasm_bindgen(js_name = resourceMetadata)]
    pub fn resource_metadata(&self) -> Result<Vec<String>, JsValue> {
        let (url, doc) = ffi::resource_metadata(&self.0).map_err(err)?;
        Ok(vec![url, doc])
    }

    /// Verifies and applies a Security Event Token; the applied event as JSON text.
    #[wasm_bindgen(js_name = applyEvent)]
    pub fn apply_event(&mut self, set: &str, now: f64) -> Result<String, JsValue> {
        ffi::apply_event(&mut self.0, set, whole_seconds(now, "now")?).map_err(err)
    }

    /// Receives an RFC 8935 push; `{"status", "body", "applied"}` as JSON text.
    #[wasm_bindgen(js_name = receivePush)]
    pub fn receive_push(&mut self, body: &str, now: f64) -> Result<String, JsValue> {
        let a = ffi::receive_push(&mut self.0, body, whole_seconds(now, "now")?);
        Ok(
            serde_json::json!({"status": a.status, "body": a.body, "applied": a.applied})
                .to_string(),
        )
    }

    /// Receives an RFC 8936 poll response; the outcome as JSON text.
    #[wasm_bindgen(js_name = receivePoll)]
    pub fn receive_poll(
        &mut self,
        body: &str,
        max_events: f64,
        now: f64,
    ) -> Result<String, JsValue> {
        let max = whole_seconds(max_events, "maxEvents")?;
        ffi::receive_poll(&mut self.0, body, max, whole_seconds(now, "now")?).map_err(err)
    }

    /// Hands over a fetched document (`undefined` body when the fetch failed).
    pub fn ingest(
        &mut self,
        url: &str,
        body: Option<String>,
        max_age: Option<f64>,
        now: f64,
    ) -> Result<(), JsValue> {
        let now = whole_seconds(now, "now")?;
        let max_age = max_age.map(|m| whole_seconds(m, "maxAge")).transpose()?;
        self.0
            .ingest(url, body.as_deref(), max_age, a2a_auth::UnixTime(now))
            .map_err(err)
    }
}

/// Adds credentials to outgoing requests.
#[wasm_bindgen]
pub struct Signer(a2a_auth::gate::Signer);

#[wasm_bindgen]
impl Signer {
    /// A signer from options (JSON text, see `ffi::signer_new`) and its keys.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: &str,
        workload_key: Option<KeyPair>,
        dpop_key: Option<KeyPair>,
    ) -> Result<Signer, JsValue> {
        ffi::signer_new(
            options,
            workload_key.as_ref().map(|k| &k.0),
            dpop_key.as_ref().map(|k| &k.0),
        )
        .map(Signer)
        .map_err(err)
    }

    /// The header fields to add, as JSON text `[[name, value], ...]`.
    pub fn sign(
        &self,
        request: &str,
        body: Option<Vec<u8>>,
        now: f64,
        entropy: &[u8],
    ) -> Result<String, JsValue> {
        let now = whole_seconds(now, "now")?;
        let request = gate_request(request, body)?;
        let headers = ffi::sign_request(&self.0, &request, now, entropy).map_err(err)?;
        Ok(serde_json::json!(headers).to_string())
    }

    /// Reads a response (headers as JSON text); `true` means sign again and retry once.
    #[wasm_bindgen(js_name = observeResponse)]
    pub fn observe_response(
        &mut self,
        target_uri: &str,
        status: u16,
        headers: &str,
    ) -> Result<bool, JsValue> {
        let headers = header_pairs(headers)?;
        Ok(self.0.observe_response(target_uri, status, &headers))
    }

    /// Replaces the access token.
    #[wasm_bindgen(js_name = setAccessToken)]
    pub fn set_access_token(&mut self, token: String) {
        self.0.set_access_token(token);
    }

    /// Replaces the WIT.
    #[wasm_bindgen(js_name = setWorkloadIdentityToken)]
    pub fn set_workload_identity_token(&mut self, wit: String) {
        self.0.set_workload_identity_token(wit);
    }
}

fn token_info_json(t: ffi::AccessTokenInfo) -> String {
    serde_json::json!({
        "issuer": t.issuer, "subject": t.subject, "clientId": t.client_id, "scopes": t.scopes,
        "authorizationDetails": t.authorization_details, "cnfJkt": t.cnf_jkt, "acr": t.acr,
        "authTime": t.auth_time, "expiresAt": t.expires_at, "tokenHash": t.token_hash,
        "claims": t.claims,
    })
    .to_string()
}

/// Verifies an RFC 9068 access token (`config` JSON text); the result as JSON text.
#[wasm_bindgen(js_name = verifyAccessToken)]
pub fn verify_access_token(token: &str, config: &str, now: f64) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::verify_access_token(token, config, now)
        .map(token_info_json)
        .map_err(err)
}

/// Checks an RFC 7662 introspection response; the result as JSON text.
#[wasm_bindgen(js_name = checkIntrospectionResponse)]
pub fn check_introspection_response(
    response: &str,
    token: &str,
    config: &str,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::check_introspection_response(response, token, config, now)
        .map(token_info_json)
        .map_err(err)
}

/// Verifies an RFC 9701 JWT introspection response; the result as JSON text.
#[wasm_bindgen(js_name = verifyIntrospectionJwt)]
pub fn verify_introspection_jwt(
    jwt: &str,
    token: &str,
    config: &str,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::verify_introspection_jwt(jwt, token, config, now)
        .map(token_info_json)
        .map_err(err)
}

/// The RFC 9728 metadata URL of a resource identifier.
#[wasm_bindgen(js_name = metadataUrl)]
pub fn metadata_url(resource: &str) -> Result<String, JsValue> {
    ffi::metadata_url(resource).map_err(err)
}

/// The RFC 9728 document for a resource description (JSON text).
#[wasm_bindgen(js_name = resourceMetadataDocument)]
pub fn resource_metadata_document(description: &str) -> Result<String, JsValue> {
    ffi::resource_metadata_document(description).map_err(err)
}

/// Parses a fetched RFC 9728 document whose `resource` must equal `expected`.
#[wasm_bindgen(js_name = parseResourceMetadata)]
pub fn parse_resource_metadata(text: &str, expected: &str) -> Result<String, JsValue> {
    ffi::parse_resource_metadata(text, expected).map_err(err)
}

/// The form body of an RFC 8693 token-exchange request (request as JSON text).
#[wasm_bindgen(js_name = tokenExchangeRequest)]
pub fn token_exchange_request(request: &str) -> Result<String, JsValue> {
    ffi::token_exchange_request(request).map_err(err)
}

/// Parses a token-exchange response; the result as JSON text.
#[wasm_bindgen(js_name = parseTokenExchangeResponse)]
pub fn parse_token_exchange_response(
    text: &str,
    requested_token_type: Option<String>,
    expected_token_type: Option<String>,
) -> Result<String, JsValue> {
    let r = ffi::parse_token_exchange_response(
        text,
        requested_token_type.as_deref(),
        expected_token_type.as_deref(),
    )
    .map_err(err)?;
    Ok(serde_json::json!({
        "accessToken": r.access_token, "issuedTokenType": r.issued_token_type,
        "tokenType": r.token_type, "expiresIn": r.expires_in, "scopes": r.scopes,
        "refreshToken": r.refresh_token,
    })
    .to_string())
}

/// Whether the actor may act for the subject (RFC 8693 `may_act`).
#[wasm_bindgen(js_name = mayAct)]
pub fn may_act(
    subject_claims: &str,
    actor_subject: &str,
    actor_issuer: Option<String>,
) -> Result<bool, JsValue> {
    ffi::may_act(subject_claims, actor_subject, actor_issuer.as_deref()).map_err(err)
}

fn txn_json(t: ffi::TransactionInfo) -> serde_json::Value {
    serde_json::json!({
        "txn": t.txn, "subject": t.subject, "scope": t.scope,
        "requestingWorkload": t.requesting_workload, "tctx": t.tctx, "rctx": t.rctx,
        "issuer": t.issuer, "expiresAt": t.expires_at, "tokenHash": t.token_hash,
    })
}

/// Issues a transaction token (`params` as JSON text).
#[wasm_bindgen(js_name = issueTxnToken)]
pub fn issue_txn_token(key: &KeyPair, params: &str, now: f64) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::issue_txn_token(&key.0, params, now).map_err(err)
}

/// Verifies a transaction token; the context as JSON text.
#[wasm_bindgen(js_name = verifyTxnToken)]
pub fn verify_txn_token(token: &str, config: &str, now: f64) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::verify_txn_token(token, config, now)
        .map(|t| txn_json(t).to_string())
        .map_err(err)
}

/// Creates a `private_key_jwt` client assertion.
#[wasm_bindgen(js_name = createClientAssertion)]
pub fn create_client_assertion(
    key: &KeyPair,
    client_id: &str,
    issuer: &str,
    jti: &str,
    now: f64,
    lifetime: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let lifetime = whole_seconds(lifetime, "lifetime")?;
    ffi::create_client_assertion(&key.0, client_id, issuer, jti, now, lifetime).map_err(err)
}

/// Verifies a `private_key_jwt` assertion; `{clientId, jti, expiresAt}` as JSON text.
#[wasm_bindgen(js_name = verifyClientAssertion)]
pub fn verify_client_assertion(
    assertion: &str,
    config: &str,
    now: f64,
    replay: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    let r =
        ffi::verify_client_assertion(assertion, config, now, Some(&mut replay.0)).map_err(err)?;
    Ok(
        serde_json::json!({"clientId": r.client_id, "jti": r.jti, "expiresAt": r.expires_at})
            .to_string(),
    )
}

/// Verifies a JWT-SVID client assertion; returns the SPIFFE ID.
#[wasm_bindgen(js_name = verifySpiffeClientAssertion)]
pub fn verify_spiffe_client_assertion(
    assertion: &str,
    trust_store: &str,
    issuer: &str,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::verify_spiffe_client_assertion(assertion, trust_store, issuer, now).map_err(err)
}

/// The form body of a client-credentials request (request as JSON text).
#[wasm_bindgen(js_name = clientCredentialsRequest)]
pub fn client_credentials_request(request: &str) -> Result<String, JsValue> {
    ffi::client_credentials_request(request).map_err(err)
}

/// The AuthZEN subject (JSON text) for a principal's facts (`{"agent", "trust_domain", "user",
/// "client_id", "scopes", "method", "actor", "txn"}` as JSON text).
#[wasm_bindgen(js_name = principalSubject)]
pub fn principal_subject(facts: &str) -> Result<String, JsValue> {
    let v: serde_json::Value = serde_json::from_str(facts)
        .map_err(|_| err(a2a_auth::Error::InvalidArgument("principal")))?;
    let s = |k: &str| v.get(k).and_then(serde_json::Value::as_str);
    let scopes: Vec<String> = v
        .get("scopes")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let info = ffi::PrincipalInfo {
        agent: s("agent").map(str::to_owned),
        trust_domain: s("trust_domain").map(str::to_owned),
        method: s("method").unwrap_or_default().to_owned(),
        credentials: Vec::new(),
        client_id: s("client_id").map(str::to_owned),
        subject: s("user").map(str::to_owned),
        issuer: None,
        act: None,
        actors: s("actor")
            .map(|a| vec![(a.to_owned(), None)])
            .unwrap_or_default(),
        scopes,
        transaction: s("txn").map(|t| ffi::TransactionInfo {
            txn: t.to_owned(),
            subject: String::new(),
            scope: String::new(),
            requesting_workload: String::new(),
            tctx: None,
            rctx: None,
            issuer: None,
            expires_at: 0,
            token_hash: String::new(),
        }),
        authorization_details: String::new(),
        token_hashes: Vec::new(),
        expires_at: None,
        route: String::new(),
        audit: String::new(),
    };
    ffi::principal_subject(&info).map_err(err)
}

/// The body of an AuthZEN evaluation request (parts as JSON text).
#[wasm_bindgen(js_name = authzenEvaluationRequest)]
pub fn authzen_evaluation_request(request: &str) -> Result<String, JsValue> {
    ffi::authzen_evaluation_request(request).map_err(err)
}

/// The body of an AuthZEN batch request (as JSON text).
#[wasm_bindgen(js_name = authzenEvaluationsRequest)]
pub fn authzen_evaluations_request(request: &str) -> Result<String, JsValue> {
    ffi::authzen_evaluations_request(request).map_err(err)
}

fn decision_json(d: ffi::AuthzenDecisionInfo) -> serde_json::Value {
    serde_json::json!({"decision": d.0, "context": d.1})
}

/// Parses an AuthZEN decision; `{"decision", "context"}` as JSON text.
#[wasm_bindgen(js_name = authzenParseDecision)]
pub fn authzen_parse_decision(text: &str) -> Result<String, JsValue> {
    ffi::authzen_parse_decision(text)
        .map(|d| decision_json(d).to_string())
        .map_err(err)
}

/// Parses an AuthZEN batch response; a JSON array of decisions.
#[wasm_bindgen(js_name = authzenParseEvaluations)]
pub fn authzen_parse_evaluations(
    text: &str,
    count: u32,
    semantic: &str,
) -> Result<String, JsValue> {
    ffi::authzen_parse_evaluations(text, count, semantic)
        .map(|v| serde_json::Value::Array(v.into_iter().map(decision_json).collect()).to_string())
        .map_err(err)
}

/// The AuthZEN metadata URL of a PDP.
#[wasm_bindgen(js_name = authzenMetadataUrl)]
pub fn authzen_metadata_url(pdp: &str) -> Result<String, JsValue> {
    ffi::authzen_metadata_url(pdp).map_err(err)
}

/// Parses PDP metadata for `expected_pdp` (JSON text out).
#[wasm_bindgen(js_name = authzenParseMetadata)]
pub fn authzen_parse_metadata(text: &str, expected_pdp: &str) -> Result<String, JsValue> {
    ffi::authzen_parse_metadata(text, expected_pdp).map_err(err)
}

/// What an A2A Agent Card (or a skill) requires (JSON text).
#[wasm_bindgen(js_name = agentCardRequirements)]
pub fn agent_card_requirements(card: &str, skill: Option<String>) -> Result<String, JsValue> {
    ffi::agent_card_requirements(card, skill.as_deref()).map_err(err)
}

/// Checks a Client ID Metadata Document fetched from `url` (JSON text out).
#[wasm_bindgen(js_name = checkClientMetadataDocument)]
pub fn check_client_metadata_document(text: &str, url: &str) -> Result<String, JsValue> {
    ffi::check_client_metadata_document(text, url).map_err(err)
}

/// Signs an A2A Agent Card (JSON text in and out).
#[wasm_bindgen(js_name = signAgentCard)]
pub fn sign_agent_card(card: &str, key: &KeyPair) -> Result<String, JsValue> {
    ffi::sign_agent_card(card, &key.0).map_err(err)
}

/// Verifies an A2A Agent Card against pinned keys; `[kid, alg]`.
#[wasm_bindgen(js_name = verifyAgentCard)]
pub fn verify_agent_card(
    card: &str,
    keys: &str,
    algorithms: Vec<String>,
) -> Result<Vec<String>, JsValue> {
    let (kid, alg) = ffi::verify_agent_card(card, keys, &algorithms).map_err(err)?;
    Ok(vec![kid, alg])
}

/// Parses `WWW-Authenticate` values (JSON text out).
#[wasm_bindgen(js_name = parseWwwAuthenticate)]
pub fn parse_www_authenticate(values: Vec<String>) -> Result<String, JsValue> {
    ffi::parse_www_authenticate(&values).map_err(err)
}

/// Protected-resource metadata URLs to try.
#[wasm_bindgen(js_name = resourceMetadataCandidates)]
pub fn resource_metadata_candidates(
    server_url: &str,
    resource_metadata: Option<String>,
) -> Result<Vec<String>, JsValue> {
    ffi::resource_metadata_candidates(server_url, resource_metadata.as_deref()).map_err(err)
}

/// Authorization-server metadata URLs to try.
#[wasm_bindgen(js_name = authorizationServerMetadataCandidates)]
pub fn authorization_server_metadata_candidates(issuer: &str) -> Result<Vec<String>, JsValue> {
    ffi::authorization_server_metadata_candidates(issuer).map_err(err)
}

/// Parses authorization-server metadata (JSON text out).
#[wasm_bindgen(js_name = parseAuthorizationServerMetadata)]
pub fn parse_authorization_server_metadata(
    text: &str,
    expected_issuer: &str,
) -> Result<String, JsValue> {
    ffi::parse_authorization_server_metadata(text, expected_issuer).map_err(err)
}

/// Creates the client-attestation PoP for the SPIFFE WIT mode.
#[wasm_bindgen(js_name = createClientAttestationPop)]
pub fn create_client_attestation_pop(
    key: &KeyPair,
    wit: &str,
    issuer: &str,
    jti: &str,
    challenge: Option<String>,
    now: f64,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::create_client_attestation_pop(&key.0, wit, issuer, jti, challenge.as_deref(), now)
        .map_err(err)
}

/// Verifies the SPIFFE WIT client-authentication mode; returns the SPIFFE ID.
#[wasm_bindgen(js_name = verifyWitClientAttestation)]
#[allow(clippy::too_many_arguments)]
pub fn verify_wit_client_attestation(
    wit: &str,
    pop: &str,
    trust_store: &str,
    issuer: &str,
    challenge: Option<String>,
    now: f64,
    replay: &mut ReplayCache,
) -> Result<String, JsValue> {
    let now = whole_seconds(now, "now")?;
    ffi::verify_wit_client_attestation(
        wit,
        pop,
        trust_store,
        issuer,
        challenge.as_deref(),
        now,
        Some(&mut replay.0),
    )
    .map_err(err)
}

/// Writes a Client ID Metadata Document from its description (JSON text in and out).
#[wasm_bindgen(js_name = clientMetadataDocument)]
pub fn client_metadata_document(description: &str) -> Result<String, JsValue> {
    ffi::client_metadata_document(description).map_err(err)
}

/// Plans an MCP authorization (JSON text out).
#[wasm_bindgen(js_name = planAuthorization)]
pub fn plan_authorization(
    resource_metadata: &str,
    expected_resource: &str,
    server_metadata: &str,
    issuer: &str,
    challenge_scope: Option<String>,
    preregistered: bool,
) -> Result<String, JsValue> {
    ffi::plan_authorization(
        resource_metadata,
        expected_resource,
        server_metadata,
        issuer,
        challenge_scope.as_deref(),
        preregistered,
    )
    .map_err(err)
}

/// Verifies a Security Event Token against a transmitter config (JSON text in and out).
#[wasm_bindgen(js_name = verifySet)]
pub fn verify_set(set: &str, config: &str, now: f64) -> Result<String, JsValue> {
    ffi::verify_set(set, config, whole_seconds(now, "now")?).map_err(err)
}

/// Issues a Security Event Token from JSON claims.
#[wasm_bindgen(js_name = issueSet)]
pub fn issue_set(claims: &str, key: &KeyPair) -> Result<String, JsValue> {
    ffi::issue_set(claims, &key.0).map_err(err)
}

/// The SSF transmitter configuration URL of an issuer.
#[wasm_bindgen(js_name = ssfConfigurationUrl)]
pub fn ssf_configuration_url(issuer: &str) -> Result<String, JsValue> {
    ffi::ssf_configuration_url(issuer).map_err(err)
}

/// Parses SSF transmitter metadata (JSON text out).
#[wasm_bindgen(js_name = parseTransmitterMetadata)]
pub fn parse_transmitter_metadata(text: &str, expected_issuer: &str) -> Result<String, JsValue> {
    ffi::parse_transmitter_metadata(text, expected_issuer).map_err(err)
}

/// Parses an SSF stream configuration (JSON text out).
#[wasm_bindgen(js_name = parseStreamConfig)]
pub fn parse_stream_config(
    text: &str,
    expected_iss: &str,
    expected_aud: &str,
) -> Result<String, JsValue> {
    ffi::parse_stream_config(text, expected_iss, expected_aud).map_err(err)
}

/// The body of an SSF create-stream request.
#[wasm_bindgen(js_name = createStreamRequest)]
pub fn create_stream_request(
    events_requested: Vec<String>,
    push_endpoint: Option<String>,
    authorization_header: Option<String>,
    description: Option<String>,
) -> String {
    ffi::create_stream_request(
        &events_requested,
        push_endpoint.as_deref(),
        authorization_header.as_deref(),
        description.as_deref(),
    )
}

/// The body of an SSF verification request.
#[wasm_bindgen(js_name = verificationRequest)]
pub fn verification_request(stream_id: &str, state: Option<String>) -> String {
    ffi::verification_request(stream_id, state.as_deref())
}

/// Replays decision records (JSON Lines) against a policy; the report as JSON text.
#[wasm_bindgen(js_name = checkRecords)]
pub fn check_records(policy: &str, records: &str) -> Result<String, JsValue> {
    ffi::check_records(policy, records).map_err(err)
}
