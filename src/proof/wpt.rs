//! WIMSE Workload Proof Tokens (draft-ietf-wimse-wpt; specs/wimse-spiffe.md §3).
//!
//! A WPT (`typ` `wpt+jwt`) is signed with the key in its WIT's `cnf.jwk`, with exactly the
//! WIT's `cnf.jwk.alg`, and binds the request's audience, a short expiry, a `jti`, the WIT
//! itself (`wth`) and any other token sent along (`ath`, `tth`, `oth`).
//!
//! Two wire forms, chosen by [`WptWire`] (never guessed from the request):
//! - **wpt-01** ([`WptWire::Header`]): `Workload-Proof-Token: <jwt>` next to
//!   `Workload-Identity-Token`, with an optional `Authorization: Bearer <at>` bound by `ath`;
//!   failures answer 400.
//! - **wpt-02** ([`WptWire::Authorization`]): `Authorization: WPT <jwt>`; no `ath`, and no
//!   bearer token may authenticate the caller in the same request; failures answer 401 with
//!   `WWW-Authenticate: WPT`.
//!
//! [`verify_wpt`] runs the §3.3 steps in order, each with one error code:
//! 1. exactly one `Workload-Identity-Token` and exactly one WPT carrier
//!    (`credential-missing` / `credential-duplicated`; wpt-02: an `Authorization` field
//!    whose scheme is not `WPT` is `credential-missing`);
//! 2. the WIT, fully ([`crate::identity::verify_workload_identity_token`]);
//! 3. the WPT parses as one compact JWS with strict JSON and no `crit`;
//! 4. header `alg` string-equal to `cnf.jwk.alg` **before** any signature check
//!    (`alg-not-allowed`);
//! 5. the signature under `cnf.jwk` (`invalid-signature`);
//! 6. `typ` `wpt+jwt` (`typ-mismatch`);
//! 7. `aud` equals one configured authority followed by the request path (query and fragment
//!    removed), or one configured audience alias (`claim-mismatch`); never derived from `Host`;
//! 8. `exp` present, not passed (leeway), and at most `max_lifetime` ahead (`claim-missing`,
//!    `token-expired`, `claim-invalid`);
//! 9. `wth` equals the hash of the WIT string exactly as received (`claim-missing`,
//!    `binding-mismatch`);
//! 10. token bindings: `ath` (wpt-01) when an access token is present, `tth` when a `Txn-Token`
//!     is present, every `oth` entry; a hash for a token that is absent, an `oth` entry for a
//!     header this verifier does not understand, or a mismatch is refused (`claim-missing`,
//!     `claim-invalid`, `binding-mismatch`, `credential-duplicated`);
//! 11. replay: `(sub, jti)` not seen, recorded until `exp` plus leeway (`replayed`);
//! 12. only then is `sub` the authenticated caller.

use serde_json::Value;

use super::{HttpRequest, ReplayCache, auth_scheme, strip_query, token_hash};
use crate::crypto::{AlgorithmSet, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::identity::{
    TrustStore, VerifiedWorkloadIdentityToken, WitValidation, verify_workload_identity_token,
};
use crate::jose::{self, parse_jws};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of a WPT.
pub const WPT_TYP: &str = "wpt+jwt";
/// Default maximum `exp - now` a verifier accepts, 5 minutes (specs §3.3 step 8).
pub const DEFAULT_MAX_WPT_LIFETIME: u64 = 300;

const WIT_HEADER: &str = "workload-identity-token";
const WPT_HEADER: &str = "workload-proof-token";
const TXN_HEADER: &str = "txn-token";

/// Which WPT wire form a verifier accepts (a deployment decision, never inferred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WptWire {
    /// wpt-01: `Workload-Proof-Token` header field; `ath` binds an `Authorization` token.
    #[default]
    Header,
    /// wpt-02: `Authorization: WPT <jwt>`; no `ath`.
    Authorization,
}

impl WptWire {
    /// `wpt-01` or `wpt-02`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Header => "wpt-01",
            Self::Authorization => "wpt-02",
        }
    }

    /// Parses `wpt-01` / `wpt-02`.
    ///
    /// # Errors
    /// `invalid-argument` (`wire`) for anything else.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name {
            "wpt-01" => Ok(Self::Header),
            "wpt-02" => Ok(Self::Authorization),
            _ => Err(Error::InvalidArgument("wire")),
        }
    }
}

/// What a WPT verifier accepts. Audiences come only from here.
#[derive(Debug, Clone, PartialEq)]
pub struct WptConfig {
    /// The wire form.
    pub wire: WptWire,
    /// This service's origins (`https://workload.example.com`, no trailing `/`): `aud` must be
    /// one of them followed by the request path.
    pub authorities: Vec<String>,
    /// Other `aud` values accepted verbatim (for proxies that rewrite the URI).
    pub audience_aliases: Vec<String>,
    /// Lowercase header names whose `oth` entries this verifier checks; an `oth` entry for
    /// any other name is refused.
    pub understood_oth: Vec<String>,
    /// Maximum `exp - now`, seconds.
    pub max_lifetime: u64,
    /// Clock skew allowed on `exp`.
    pub leeway: Leeway,
    /// How the WIT is checked.
    pub wit: WitValidation,
}

impl WptConfig {
    /// A configuration for `wire` and this service's `authorities`, with the defaults
    /// documented on each field.
    pub fn new(wire: WptWire, authorities: Vec<String>) -> Self {
        Self {
            wire,
            authorities,
            audience_aliases: Vec::new(),
            understood_oth: Vec::new(),
            max_lifetime: DEFAULT_MAX_WPT_LIFETIME,
            leeway: Leeway::DEFAULT,
            wit: WitValidation::default(),
        }
    }
}

/// A verified WPT with its verified WIT: `wit.subject` is the authenticated caller.
#[derive(Debug, Clone)]
pub struct VerifiedWpt {
    /// The WIT, verified.
    pub wit: VerifiedWorkloadIdentityToken,
    /// The matched `aud`.
    pub audience: String,
    /// `jti`.
    pub jti: String,
    /// `exp`.
    pub expires_at: UnixTime,
    /// The tokens this proof binds, by claim: `ath`, `tth`, and `oth:<name>` entries.
    pub bound: Vec<String>,
    /// Whether recording the `jti` evicted a still-live replay-cache entry.
    pub replay_cache_evicted_live: bool,
    /// All WPT claims.
    pub claims: Object,
}

/// What a workload puts in a WPT.
#[derive(Debug, Clone)]
pub struct WptParams<'a> {
    /// The WIT sent with it, exactly as it will be transmitted.
    pub wit: &'a str,
    /// The target URI; query and fragment are removed for `aud`.
    pub audience: &'a str,
    /// Now (the `exp` base).
    pub issued_at: UnixTime,
    /// Lifetime in seconds (`exp = now + lifetime`); keep it short.
    pub lifetime: u64,
    /// A unique id from caller randomness (for example 16 random bytes, base64url).
    pub jti: &'a str,
    /// An access token sent in the same request (wpt-01 `ath`).
    pub access_token: Option<&'a str>,
    /// A Txn-Token sent in the same request (`tth`).
    pub txn_token: Option<&'a str>,
    /// Other context tokens as (header name, value) (`oth`).
    pub other_tokens: &'a [(&'a str, &'a str)],
}

/// Checks, for a proof signer, that `key`'s algorithm name is the (unverified) WIT's
/// `cnf.jwk.alg`, which every verifier compares string-equal before anything else.
///
/// # Errors
/// `invalid-argument`: `wit` (not a compact JWS with a `cnf.jwk.alg`), `key` (another name).
pub(crate) fn check_proof_key(wit: &str, key: &KeyPair) -> Result<(), Error> {
    let limits = Limits::DEFAULT;
    let wit = parse_jws(wit, &limits).map_err(|_| Error::InvalidArgument("wit"))?;
    let wit_claims = json::parse_object(wit.unverified_payload(), &limits)
        .map_err(|_| Error::InvalidArgument("wit"))?;
    let cnf_alg = wit_claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .and_then(|j| j.get("alg"))
        .and_then(Value::as_str)
        .ok_or(Error::InvalidArgument("wit"))?;
    if cnf_alg == key.alg().jws_name() {
        Ok(())
    } else {
        Err(Error::InvalidArgument("key"))
    }
}

/// Creates a WPT signed by `key`, the private half of the WIT's `cnf.jwk`.
///
/// # Errors
/// `invalid-argument`: `key` (its algorithm name is not the WIT's `cnf.jwk.alg`), `wit` (not a
/// compact JWS with a `cnf.jwk.alg`), `lifetime` (zero or above the 300 s verifier default),
/// `jti` (empty), `other_tokens` (a repeated or empty name).
pub fn create_wpt(key: &KeyPair, params: &WptParams<'_>) -> Result<String, Error> {
    // The proof algorithm is the WIT's cnf.jwk.alg, as the verifier compares it (step 4).
    check_proof_key(params.wit, key)?;
    if params.lifetime == 0 || params.lifetime > DEFAULT_MAX_WPT_LIFETIME {
        return Err(Error::InvalidArgument("lifetime"));
    }
    if params.jti.is_empty() {
        return Err(Error::InvalidArgument("jti"));
    }
    let mut claims = Object::new();
    claims.insert("aud".into(), strip_query(params.audience).into());
    claims.insert(
        "exp".into(),
        params
            .issued_at
            .as_secs()
            .saturating_add(params.lifetime)
            .into(),
    );
    claims.insert("jti".into(), params.jti.into());
    claims.insert("wth".into(), token_hash(params.wit).into());
    if let Some(at) = params.access_token {
        claims.insert("ath".into(), token_hash(at).into());
    }
    if let Some(txn) = params.txn_token {
        claims.insert("tth".into(), token_hash(txn).into());
    }
    if !params.other_tokens.is_empty() {
        let mut oth = Object::new();
        for (name, value) in params.other_tokens {
            let name = name.to_ascii_lowercase();
            if name.is_empty() || oth.contains_key(&name) {
                return Err(Error::InvalidArgument("other_tokens"));
            }
            oth.insert(name, token_hash(value.trim_matches(' ')).into());
        }
        claims.insert("oth".into(), Value::Object(oth));
    }
    let mut header = Object::new();
    header.insert("typ".into(), WPT_TYP.into());
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(claims)).as_bytes(),
        key,
    )
}

fn hash_claim<'c>(claims: &'c Object, name: &'static str) -> Result<Option<&'c str>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Step 10 for one token: `claim` must be present exactly when `token` is, and match it.
fn check_binding(
    claims: &Object,
    claim: &'static str,
    what: &'static str,
    token: Option<&str>,
) -> Result<bool, Error> {
    match (hash_claim(claims, claim)?, token) {
        (None, None) => Ok(false),
        (None, Some(_)) => Err(Error::ClaimMissing(claim)),
        // A hash for a token that is not in the request (specs §3.3 REC).
        (Some(_), None) => Err(Error::BindingMismatch(what)),
        (Some(h), Some(t)) if h == token_hash(t) => Ok(true),
        (Some(_), Some(_)) => Err(Error::BindingMismatch(what)),
    }
}

/// Verifies the WIT and WPT of `request` (specs §3.3 steps 1–12; see the module
/// documentation for each step's error code). `replay`, when given, records `(sub, jti)`.
///
/// # Errors
/// As listed in the module documentation.
pub fn verify_wpt(
    request: &HttpRequest<'_>,
    store: &TrustStore,
    config: &WptConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWpt, Error> {
    // Step 1: exactly one WIT and one WPT carrier.
    let (wit_text, wpt_text, access_token) = wpt_carriers(request, config.wire)?;
    // Step 2: the WIT.
    let wit = verify_workload_identity_token(wit_text, store, &config.wit, now)?;
    finish_wpt(
        request,
        wit_text,
        wpt_text,
        access_token,
        wit,
        config,
        now,
        replay,
    )
}

/// The WIT and WPT carriers of `request` (step 1): `(wit, wpt, access token)`.
///
/// # Errors
/// `credential-missing`, `credential-duplicated`, `malformed-token` as in [`verify_wpt`].
pub fn wpt_carriers<'r>(
    request: &HttpRequest<'r>,
    wire: WptWire,
) -> Result<(&'r str, &'r str, Option<&'r str>), Error> {
    let wit_text = request
        .single(WIT_HEADER, "workload identity token")?
        .ok_or(Error::CredentialMissing("workload identity token"))?;
    let authorization = request.single("authorization", "authorization field")?;
    let (wpt_text, access_token) = match wire {
        WptWire::Header => {
            let wpt = request
                .single(WPT_HEADER, "workload proof token")?
                .ok_or(Error::CredentialMissing("workload proof token"))?;
            let at = match authorization {
                None => None,
                Some(v) => Some(auth_scheme(v).ok_or(Error::MalformedToken)?.1),
            };
            (wpt, at)
        }
        WptWire::Authorization => {
            let wpt = authorization
                .and_then(auth_scheme)
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("WPT"))
                .map(|(_, t)| t)
                .ok_or(Error::CredentialMissing("workload proof token"))?;
            if request
                .single(WPT_HEADER, "workload proof token")?
                .is_some()
            {
                return Err(Error::CredentialDuplicated("workload proof token"));
            }
            (wpt, None)
        }
    };
    Ok((wit_text, wpt_text, access_token))
}

/// Steps 3–12 of [`verify_wpt`] with a WIT that was **already verified** (for example taken from
/// a verified-credential cache keyed by `wit_text`, the exact string the request carries).
///
/// # Errors
/// As [`verify_wpt`] after step 2.
#[allow(clippy::too_many_arguments)]
pub fn verify_wpt_with_wit(
    request: &HttpRequest<'_>,
    wit: VerifiedWorkloadIdentityToken,
    config: &WptConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWpt, Error> {
    let (wit_text, wpt_text, access_token) = wpt_carriers(request, config.wire)?;
    finish_wpt(
        request,
        wit_text,
        wpt_text,
        access_token,
        wit,
        config,
        now,
        replay,
    )
}

#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn finish_wpt(
    request: &HttpRequest<'_>,
    wit_text: &str,
    wpt_text: &str,
    access_token: Option<&str>,
    wit: VerifiedWorkloadIdentityToken,
    config: &WptConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWpt, Error> {
    let limits = config.wit.limits;
    // Step 3: the WPT's syntax.
    let jws = parse_jws(wpt_text, &limits)?;
    // Step 4: alg string-equal to cnf.jwk.alg, before any verification.
    if wit.confirmation_key.alg() != Some(jws.header().alg()) {
        return Err(Error::AlgorithmNotAllowed);
    }
    // Step 5: the signature under cnf.jwk.
    let allowed = AlgorithmSet::EMPTY.with(wit.proof_alg);
    let verified = jws.verify_with_key(&wit.confirmation_key, allowed)?;
    // Step 6: explicit type.
    if !verified
        .header()
        .typ()
        .is_some_and(|t| jose::typ_matches(t, WPT_TYP))
    {
        return Err(Error::TypMismatch);
    }
    let claims = json::parse_object(verified.payload(), &limits)?;
    // Step 7: aud from configuration and the request path only.
    let audience = match claims.get("aud") {
        Some(Value::String(a)) => a.clone(),
        Some(_) => return Err(Error::ClaimInvalid("aud")),
        None => return Err(Error::ClaimMissing("aud")),
    };
    let path = request.path();
    let ours = config
        .authorities
        .iter()
        .any(|origin| audience.strip_prefix(origin.as_str()) == Some(path))
        || config.audience_aliases.contains(&audience);
    if !ours {
        return Err(Error::ClaimMismatch("aud"));
    }
    // Step 8: a short, unexpired lifetime.
    let exp = match claims.get("exp") {
        None => return Err(Error::ClaimMissing("exp")),
        Some(v) => v.as_u64().ok_or(Error::ClaimInvalid("exp"))?,
    };
    if now.as_secs() >= exp.saturating_add(config.leeway.0) {
        return Err(Error::TokenExpired);
    }
    if exp.saturating_sub(now.as_secs()) > config.max_lifetime {
        return Err(Error::ClaimInvalid("exp"));
    }
    let jti = match claims.get("jti") {
        Some(Value::String(j)) if !j.is_empty() => j.clone(),
        Some(_) => return Err(Error::ClaimInvalid("jti")),
        None => return Err(Error::ClaimMissing("jti")),
    };
    // Step 9: wth over the WIT exactly as received.
    match hash_claim(&claims, "wth")? {
        None => return Err(Error::ClaimMissing("wth")),
        Some(h) if h != token_hash(wit_text) => {
            return Err(Error::BindingMismatch("workload identity token"));
        }
        Some(_) => {}
    }
    // Step 10: the other tokens.
    let mut bound = Vec::new();
    let ath_token = match config.wire {
        WptWire::Header => access_token,
        // wpt-02 has no ath; an ath names a token this request cannot carry.
        WptWire::Authorization => None,
    };
    if check_binding(&claims, "ath", "access token", ath_token)? {
        bound.push("ath".to_owned());
    }
    let txn = request.single(TXN_HEADER, "txn-token")?;
    if check_binding(&claims, "tth", "txn-token", txn)? {
        bound.push("tth".to_owned());
    }
    match claims.get("oth") {
        None => {}
        Some(Value::Object(oth)) => {
            for (name, hash) in oth {
                if !config.understood_oth.iter().any(|n| n == name) {
                    return Err(Error::ClaimInvalid("oth"));
                }
                let Value::String(hash) = hash else {
                    return Err(Error::ClaimInvalid("oth"));
                };
                let value = request
                    .single(name, "other token")?
                    .ok_or(Error::BindingMismatch("other token"))?;
                if *hash != token_hash(value) {
                    return Err(Error::BindingMismatch("other token"));
                }
                bound.push(format!("oth:{name}"));
            }
        }
        Some(_) => return Err(Error::ClaimInvalid("oth")),
    }
    // Step 11: replay, per sender, until exp plus leeway.
    let replay_cache_evicted_live = match replay {
        Some(cache) => {
            cache
                .check_and_insert(
                    wit.subject.as_str(),
                    &jti,
                    UnixTime(exp).saturating_add(config.leeway.0),
                    now,
                )?
                .evicted_live
        }
        None => false,
    };
    // Step 12.
    Ok(VerifiedWpt {
        wit,
        audience,
        jti,
        expires_at: UnixTime(exp),
        bound,
        replay_cache_evicted_live,
        claims,
    })
}
