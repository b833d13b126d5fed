//! Proof of possession (WPT, DPoP, replay cache) in the cross-language shape: requests as
//! (method, target, header pairs), configurations as JSON text with unknown members refused.

use serde_json::Value;

use super::{LIMITS, algorithms};
use crate::crypto::{AlgorithmSet, KeyPair};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::identity::{TrustStore, WitProfile};
use crate::proof::{
    self, Challenge, DpopConfig, DpopNonces, DpopParams, HttpRequest, ReplayCache, WptConfig,
    WptParams, WptWire,
};
use crate::time::{Leeway, UnixTime};

fn config_object(text: &str, allowed: &[&str]) -> Result<Object, Error> {
    let obj = json::parse_object(text.as_bytes(), &LIMITS)?;
    if obj.keys().any(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::InvalidArgument("config: unknown member"));
    }
    Ok(obj)
}

fn strings(obj: &Object, name: &str, err: &'static str) -> Result<Vec<String>, Error> {
    match obj.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::InvalidArgument(err))
            })
            .collect(),
        Some(_) => Err(Error::InvalidArgument(err)),
    }
}

fn seconds(obj: &Object, name: &str, default: u64, err: &'static str) -> Result<u64, Error> {
    match obj.get(name) {
        None => Ok(default),
        Some(v) => v.as_u64().ok_or(Error::InvalidArgument(err)),
    }
}

/// Parses a WPT verifier configuration:
/// `{"wire": "wpt-01"|"wpt-02", "authorities": [...], "audience_aliases": [...],
/// "understood_oth": [...], "max_lifetime": 300, "leeway": 60, "max_wit_lifetime": 86400,
/// "wit_profile": "wimse"|"wit-svid"}`; `wire` and `authorities` are required.
///
/// # Errors
/// JSON errors; `invalid-argument` naming the member.
pub fn wpt_config(text: &str) -> Result<WptConfig, Error> {
    let obj = config_object(
        text,
        &[
            "wire",
            "authorities",
            "audience_aliases",
            "understood_oth",
            "max_lifetime",
            "leeway",
            "max_wit_lifetime",
            "wit_profile",
        ],
    )?;
    let wire = WptWire::from_name(
        obj.get("wire")
            .and_then(Value::as_str)
            .ok_or(Error::InvalidArgument("wire"))?,
    )?;
    let authorities = strings(&obj, "authorities", "authorities")?;
    if authorities.is_empty() && !obj.contains_key("audience_aliases") {
        return Err(Error::InvalidArgument("authorities"));
    }
    let mut config = WptConfig::new(wire, authorities);
    config.audience_aliases = strings(&obj, "audience_aliases", "audience_aliases")?;
    config.understood_oth = strings(&obj, "understood_oth", "understood_oth")?
        .into_iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    config.max_lifetime = seconds(&obj, "max_lifetime", config.max_lifetime, "max_lifetime")?;
    config.leeway = Leeway(seconds(&obj, "leeway", config.leeway.0, "leeway")?);
    config.wit.max_lifetime = seconds(
        &obj,
        "max_wit_lifetime",
        config.wit.max_lifetime,
        "max_wit_lifetime",
    )?;
    config.wit.profile = match obj.get("wit_profile").map(|v| v.as_str()) {
        None | Some(Some("wimse")) => WitProfile::Wimse,
        Some(Some("wit-svid")) => WitProfile::WitSvid,
        _ => return Err(Error::InvalidArgument("wit_profile")),
    };
    Ok(config)
}

/// Creates a WPT ([`proof::create_wpt`]).
///
/// # Errors
/// As [`proof::create_wpt`].
#[allow(clippy::too_many_arguments)]
pub fn create_wpt(
    key: &KeyPair,
    wit: &str,
    audience: &str,
    now: u64,
    lifetime: u64,
    jti: &str,
    access_token: Option<&str>,
    txn_token: Option<&str>,
    other_tokens: &[(String, String)],
) -> Result<String, Error> {
    let others: Vec<(&str, &str)> = other_tokens
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    proof::create_wpt(
        key,
        &WptParams {
            wit,
            audience,
            issued_at: UnixTime(now),
            lifetime,
            jti,
            access_token,
            txn_token,
            other_tokens: &others,
        },
    )
}

/// A verified WPT request, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedWptInfo {
    /// The authenticated caller (the WIT's `sub`).
    pub subject: String,
    /// Its trust domain.
    pub trust_domain: String,
    /// The matched `aud`.
    pub audience: String,
    /// `jti`.
    pub jti: String,
    /// `exp`.
    pub expires_at: u64,
    /// The proof algorithm (`cnf.jwk.alg`).
    pub proof_alg: String,
    /// RFC 7638 thumbprint of the workload key (`cnf.jwk`).
    pub cnf_thumbprint: String,
    /// Bound tokens: `ath`, `tth`, `oth:<name>`.
    pub bound: Vec<String>,
    /// Whether the replay cache had to evict a live entry.
    pub replay_cache_evicted_live: bool,
    /// The WPT claims (compact JSON).
    pub claims: String,
}

/// Verifies the WIT and WPT of a request ([`proof::verify_wpt`]) against a trust store (bundle
/// map JSON) and a configuration ([`wpt_config`]).
///
/// # Errors
/// As [`wpt_config`], [`TrustStore::from_bundle_map`] and [`proof::verify_wpt`].
#[allow(clippy::too_many_arguments)]
pub fn verify_wpt(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    trust_store: &str,
    config: &str,
    now: u64,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWptInfo, Error> {
    let config = wpt_config(config)?;
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let request = HttpRequest {
        method,
        target,
        headers,
    };
    let v = proof::verify_wpt(&request, &store, &config, UnixTime(now), replay)?;
    Ok(VerifiedWptInfo {
        subject: v.wit.subject.as_str().to_owned(),
        trust_domain: v.wit.subject.trust_domain().to_owned(),
        audience: v.audience,
        jti: v.jti,
        expires_at: v.expires_at.as_secs(),
        proof_alg: v.wit.proof_alg.jws_name().to_owned(),
        cnf_thumbprint: v.wit.confirmation_key.thumbprint(),
        bound: v.bound,
        replay_cache_evicted_live: v.replay_cache_evicted_live,
        claims: json::to_compact(&Value::Object(v.claims)),
    })
}

/// Creates a DPoP proof ([`proof::create_dpop_proof`]).
///
/// # Errors
/// As [`proof::create_dpop_proof`].
pub fn create_dpop_proof(
    key: &KeyPair,
    method: &str,
    uri: &str,
    now: u64,
    jti: &str,
    access_token: Option<&str>,
    nonce: Option<&str>,
) -> Result<String, Error> {
    proof::create_dpop_proof(
        key,
        &DpopParams {
            method,
            uri,
            issued_at: UnixTime(now),
            jti,
            access_token,
            nonce,
        },
    )
}

/// Parses a DPoP verifier configuration: `{"origin": "https://resource.example.org",
/// "algorithms": ["ES256", ...], "max_age": 300, "max_future": 60, "nonce_secret":
/// "<base64url, at least 32 bytes>", "nonce_step": 60}`; `origin` is required.
///
/// # Errors
/// JSON errors; `invalid-argument` naming the member; `alg-not-allowed`.
pub fn dpop_config(text: &str) -> Result<DpopConfig, Error> {
    let obj = config_object(
        text,
        &[
            "origin",
            "algorithms",
            "max_age",
            "max_future",
            "nonce_secret",
            "nonce_step",
        ],
    )?;
    let origin = obj
        .get("origin")
        .and_then(Value::as_str)
        .ok_or(Error::InvalidArgument("origin"))?;
    proof::normalize_http_uri(origin).map_err(|_| Error::InvalidArgument("origin"))?;
    let mut config = DpopConfig::new(origin.trim_end_matches('/'));
    if obj.contains_key("algorithms") {
        let set = algorithms(&strings(&obj, "algorithms", "algorithms")?)?;
        if set.iter().any(|a| !AlgorithmSet::ASYMMETRIC.contains(a)) || set.iter().next().is_none()
        {
            return Err(Error::InvalidArgument("algorithms"));
        }
        config.algorithms = set;
    }
    config.max_age = seconds(&obj, "max_age", config.max_age, "max_age")?;
    config.max_future = seconds(&obj, "max_future", config.max_future, "max_future")?;
    if let Some(secret) = obj.get("nonce_secret") {
        let secret = secret
            .as_str()
            .and_then(|s| base64url::decode(s).ok())
            .ok_or(Error::InvalidArgument("nonce_secret"))?;
        let step = seconds(&obj, "nonce_step", 60, "nonce_step")?;
        config.nonces = Some(DpopNonces::new(&secret, step)?);
    } else if obj.contains_key("nonce_step") {
        return Err(Error::InvalidArgument("nonce_step"));
    }
    Ok(config)
}

/// A verified DPoP proof, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDpopInfo {
    /// RFC 7638 thumbprint of the proof key (`cnf.jkt` to compare).
    pub jkt: String,
    /// `jti`.
    pub jti: String,
    /// `iat`.
    pub issued_at: u64,
    /// Whether an access token was bound (`ath` checked).
    pub access_token_bound: bool,
    /// Whether the replay cache had to evict a live entry.
    pub replay_cache_evicted_live: bool,
    /// The proof claims (compact JSON).
    pub claims: String,
}

/// Verifies the DPoP proof of a request ([`proof::verify_dpop_proof`]).
///
/// # Errors
/// As [`dpop_config`] and [`proof::verify_dpop_proof`].
#[allow(clippy::too_many_arguments)]
pub fn verify_dpop_proof(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    expected_jkt: Option<&str>,
    config: &str,
    now: u64,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedDpopInfo, Error> {
    let config = dpop_config(config)?;
    let request = HttpRequest {
        method,
        target,
        headers,
    };
    let v = proof::verify_dpop_proof(&request, expected_jkt, &config, UnixTime(now), replay)?;
    Ok(VerifiedDpopInfo {
        jkt: v.jkt,
        jti: v.jti,
        issued_at: v.issued_at.as_secs(),
        access_token_bound: v.access_token_bound,
        replay_cache_evicted_live: v.replay_cache_evicted_live,
        claims: json::to_compact(&Value::Object(v.claims)),
    })
}

/// The DPoP nonce to hand out at `now` for a DPoP configuration with `nonce_secret`.
///
/// # Errors
/// As [`dpop_config`]; `invalid-argument` (`nonce_secret`) when the configuration has none.
pub fn dpop_nonce(config: &str, now: u64) -> Result<String, Error> {
    dpop_config(config)?
        .nonces
        .ok_or(Error::InvalidArgument("nonce_secret"))?
        .issue(UnixTime(now))
}

/// The HTTP answer to a WPT failure with error `code` under `wire` (`wpt-01` / `wpt-02`).
///
/// # Errors
/// `invalid-argument` (`wire`).
pub fn wpt_challenge(code: &str, wire: &str) -> Result<Challenge, Error> {
    Ok(proof::wpt_challenge_for_code(
        code,
        WptWire::from_name(wire)?,
    ))
}

/// The HTTP answer to a DPoP failure with error `code` and its description, for a DPoP
/// configuration (`algs` and, for `use-dpop-nonce`, a fresh nonce at `now`).
///
/// # Errors
/// As [`dpop_config`].
pub fn dpop_challenge(
    code: &str,
    description: &str,
    config: &str,
    now: u64,
) -> Result<Challenge, Error> {
    let config = dpop_config(config)?;
    let nonce = match &config.nonces {
        Some(n) => Some(n.issue(UnixTime(now))?),
        None => None,
    };
    Ok(proof::dpop_challenge_for_code(
        code,
        description,
        config.algorithms,
        nonce,
    ))
}

/// A replay cache for bindings ([`ReplayCache::new`]).
///
/// # Errors
/// As [`ReplayCache::new`].
pub fn replay_cache(capacity: u32, secret: &[u8]) -> Result<ReplayCache, Error> {
    ReplayCache::new(usize::try_from(capacity).unwrap_or(usize::MAX), secret)
}

/// [`proof::normalize_http_uri`].
///
/// # Errors
/// As [`proof::normalize_http_uri`].
pub fn normalize_http_uri(uri: &str) -> Result<String, Error> {
    proof::normalize_http_uri(uri)
}
