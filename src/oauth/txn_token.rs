//! OAuth Transaction Tokens (draft-ietf-oauth-transaction-tokens; specs/oauth.md §7): issue, as
//! a transaction token service does, and verify, as every workload in the call chain does.
//!
//! Verification (§7.3), one code per step: exactly the `typ` `txntoken+jwt` (`typ-mismatch`);
//! an algorithm and key of the configured service (`alg-not-allowed`, `key-not-found`,
//! `invalid-signature`); `aud` equal to this workload's trust domain (`claim-mismatch`); `iss`,
//! when configured, equal (`claim-mismatch`); `exp` ahead and `iat` not ahead (`token-expired`,
//! `token-issued-in-future`), a lifetime of at most `max_lifetime` (`token-too-old`);
//! `iat`, `aud`, `exp`, `txn`, `sub`, `scope`, `req_wl` present with string types where strings
//! are due, `tctx` and `rctx` objects when present (`claim-missing`, `claim-invalid`).
//! A transaction token is context, never an authentication credential or an access token.

use serde_json::Value;

use crate::crypto::{AlgorithmSet, JwkSet, KeyPair, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of a transaction token.
pub const TXN_TOKEN_TYP: &str = "txntoken+jwt";

/// Default maximum lifetime (`exp - iat`), seconds: "minutes or less".
pub const DEFAULT_MAX_TXN_LIFETIME: u64 = 300;

/// What a transaction token service puts in a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnTokenParams {
    /// `aud`: the trust domain.
    pub audience: String,
    /// `txn`: the transaction identifier.
    pub txn: String,
    /// `sub`: the transaction's principal.
    pub subject: String,
    /// `scope`: the transaction's purpose.
    pub scope: String,
    /// `req_wl`: the workload that asked for the token.
    pub requesting_workload: String,
    /// `tctx`, if any.
    pub tctx: Option<Object>,
    /// `rctx`, if any.
    pub rctx: Option<Object>,
    /// `iss`, if any.
    pub issuer: Option<String>,
    /// `iat`.
    pub issued_at: UnixTime,
    /// `exp - iat`, seconds (1 to [`DEFAULT_MAX_TXN_LIFETIME`]).
    pub lifetime: u64,
}

/// Issues a transaction token signed by `key`.
///
/// # Errors
/// `invalid-argument` naming an empty member or a lifetime of 0 or over 300 s; as
/// [`jose::sign_jws`].
pub fn issue_txn_token(key: &KeyPair, p: &TxnTokenParams) -> Result<String, Error> {
    for (value, name) in [
        (&p.audience, "audience"),
        (&p.txn, "txn"),
        (&p.subject, "subject"),
        (&p.scope, "scope"),
        (&p.requesting_workload, "requesting_workload"),
    ] {
        if value.is_empty() {
            return Err(Error::InvalidArgument(name));
        }
    }
    if p.lifetime == 0 || p.lifetime > DEFAULT_MAX_TXN_LIFETIME {
        return Err(Error::InvalidArgument("lifetime"));
    }
    let mut claims = Object::new();
    if let Some(iss) = &p.issuer {
        claims.insert("iss".into(), iss.clone().into());
    }
    claims.insert("iat".into(), p.issued_at.as_secs().into());
    claims.insert(
        "exp".into(),
        p.issued_at.saturating_add(p.lifetime).as_secs().into(),
    );
    claims.insert("aud".into(), p.audience.clone().into());
    claims.insert("txn".into(), p.txn.clone().into());
    claims.insert("sub".into(), p.subject.clone().into());
    claims.insert("scope".into(), p.scope.clone().into());
    claims.insert("req_wl".into(), p.requesting_workload.clone().into());
    if let Some(t) = &p.tctx {
        claims.insert("tctx".into(), Value::Object(t.clone()));
    }
    if let Some(r) = &p.rctx {
        claims.insert("rctx".into(), Value::Object(r.clone()));
    }
    let mut header = Object::new();
    header.insert("typ".into(), TXN_TOKEN_TYP.into());
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(claims)).as_bytes(),
        key,
    )
}

/// How a workload checks transaction tokens.
#[derive(Debug, Clone)]
pub struct TxnTokenValidation {
    /// This workload's trust domain (`aud`).
    pub trust_domain: String,
    /// The transaction token service's keys.
    pub keys: JwkSet,
    /// Its algorithms (asymmetric only).
    pub algorithms: AlgorithmSet,
    /// `iss`, when the service's issuer is configured.
    pub issuer: Option<String>,
    /// Clock skew.
    pub leeway: Leeway,
    /// Maximum `exp - iat`.
    pub max_lifetime: u64,
}

/// A verified transaction token: the call chain's context.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedTxnToken {
    /// `txn`.
    pub txn: String,
    /// `sub`.
    pub subject: String,
    /// `scope`.
    pub scope: String,
    /// `req_wl`.
    pub requesting_workload: String,
    /// `tctx`.
    pub tctx: Option<Object>,
    /// `rctx`.
    pub rctx: Option<Object>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `exp`.
    pub expires_at: u64,
    /// base64url SHA-256 of the token (log this, never the token).
    pub token_hash: String,
}

fn required_string(claims: &Object, name: &'static str) -> Result<String, Error> {
    match claims.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(_) => Err(Error::ClaimInvalid(name)),
        None => Err(Error::ClaimMissing(name)),
    }
}

fn context(claims: &Object, name: &'static str) -> Result<Option<Object>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o.clone())),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Verifies a transaction token (see the module documentation for each step's code).
///
/// # Errors
/// As listed in the module documentation, plus the syntax codes of [`jose::parse_jws`].
pub fn verify_txn_token(
    token: &str,
    v: &TxnTokenValidation,
    now: UnixTime,
    limits: &Limits,
) -> Result<VerifiedTxnToken, Error> {
    let algorithms: AlgorithmSet = v
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let mut rules = JwtValidation::new(algorithms, Some(TXN_TOKEN_TYP))
        .with_audience(v.trust_domain.clone())
        .with_required(["iat"])
        .with_leeway(v.leeway);
    if let Some(iss) = &v.issuer {
        rules = rules.with_issuer(iss.clone());
    }
    rules.limits = *limits;
    let verified = jose::verify_jwt(token, &v.keys, &rules, now)?;
    let claims = verified.claims;
    // `aud` is one trust domain: a string equal to ours (an array is not this profile).
    if claims.get("aud").and_then(Value::as_str) != Some(v.trust_domain.as_str()) {
        return Err(Error::ClaimMismatch("aud"));
    }
    let time = |name: &'static str| {
        claims
            .get(name)
            .and_then(Value::as_u64)
            .ok_or(Error::ClaimInvalid(name))
    };
    let (iat, exp) = (time("iat")?, time("exp")?);
    if exp.saturating_sub(iat) > v.max_lifetime {
        return Err(Error::TokenTooOld);
    }
    Ok(VerifiedTxnToken {
        txn: required_string(&claims, "txn")?,
        subject: required_string(&claims, "sub")?,
        scope: required_string(&claims, "scope")?,
        requesting_workload: required_string(&claims, "req_wl")?,
        tctx: context(&claims, "tctx")?,
        rctx: context(&claims, "rctx")?,
        issuer: match claims.get("iss") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::ClaimInvalid("iss")),
        },
        expires_at: exp,
        token_hash: base64url::encode(&sha256(token.as_bytes())),
    })
}
