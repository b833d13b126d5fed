//! Attestation-gated WIT issuance and the renewal rule: what a trust domain's identity server
//! does before it hands a workload a credential.
//!
//! An [`Issuer`] holds the trust domain's signing key and an [`IssuancePolicy`]. A workload
//! presents **evidence** — a signed JWT from an attester the policy names (for example a
//! Kubernetes projected service-account token, or a node agent's attestation) — and the public
//! key it wants bound. The issuer:
//! 1. reads the evidence's `iss` (unverified, only to pick the attester) and refuses evidence
//!    from an issuer it does not know (`attestation-rejected`);
//! 2. verifies the evidence with **that attester's keys only**: its algorithms, `typ` when the
//!    policy names one, `iss`, `aud` containing the attester's audience, `exp` required, `iat`
//!    required and no older than the attester's `max_age` (the usual JWT codes);
//! 3. checks key binding: when the evidence carries `cnf.jkt`, it must be the RFC 7638
//!    thumbprint of the presented key; with `require_key_binding` it must be present
//!    (`attestation-rejected`);
//! 4. takes the **first** rule of that attester whose selectors all match — each selector is an
//!    RFC 6901 JSON Pointer into the evidence claims and the JSON value it must equal exactly —
//!    and issues a WIT for the rule's identity (`attestation-rejected` when none matches).
//!
//! Identities are fixed per rule, never assembled from evidence values, so a claim value can
//! never inject path segments. Every rule's identity lies in the policy's one trust domain
//! (§7.B1: one key vouches for one origin).
//!
//! Evidence is not single-use here: a replay within its lifetime yields another WIT for the
//! same identity. Require key binding so that stolen evidence cannot obtain a WIT for another
//! key, or add a `jti` cache in front (the proof replay cache).
//!
//! ## Policy document
//! ```json
//! {
//!   "trust_domain": "spiffe://example.org",
//!   "issuer": "https://issuer.example.org",
//!   "wit_lifetime": 3600,
//!   "require_key_binding": true,
//!   "attesters": [{
//!     "name": "k8s",
//!     "issuer": "https://kubernetes.default.svc",
//!     "audience": "spiffe://example.org",
//!     "keys": {"keys": [ ...JWKs... ]},
//!     "algorithms": ["ES256"],
//!     "typ": "JWT",
//!     "max_age": 600
//!   }],
//!   "rules": [{
//!     "attester": "k8s",
//!     "selectors": {"/kubernetes.io/namespace": "payments",
//!                   "/kubernetes.io/serviceaccount/name": "api"},
//!     "identity": "spiffe://example.org/ns/payments/sa/api"
//!   }]
//! }
//! ```
//! Required: `trust_domain` (`spiffe://<td>` or `wimse://<td>`), `attesters` (each with `name`,
//! `issuer`, `audience`, `keys`), `rules` (each with `attester`, `identity`, and a non-empty
//! `selectors` object). Defaults: `wit_lifetime` 3600 s (at most 86400), `algorithms`
//! `["ES256", "ES384", "EdDSA", "Ed25519"]` (asymmetric only), `typ` not checked, `max_age` 600 s,
//! `require_key_binding` false, `issuer` absent (no `iss` in the WIT). Unknown members anywhere
//! are refused; errors are `invalid-argument` naming the member.

use serde_json::Value;

use super::{WitClaims, WorkloadId, issue_workload_identity_token};
use crate::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// Default WIT lifetime an issuer grants, one hour.
pub const DEFAULT_WIT_LIFETIME: u64 = 3600;
/// Default maximum evidence age (from its `iat`), ten minutes.
pub const DEFAULT_EVIDENCE_MAX_AGE: u64 = 600;
const MAX_WIT_LIFETIME: u64 = 24 * 60 * 60;
const DEFAULT_EVIDENCE_ALGORITHMS: AlgorithmSet = AlgorithmSet::EMPTY
    .with(Algorithm::Es256)
    .with(Algorithm::Es384)
    .with(Algorithm::EdDsa)
    .with(Algorithm::Ed25519);

/// One attester whose signed evidence the issuer accepts.
#[derive(Debug, Clone)]
pub struct Attester {
    name: String,
    issuer: String,
    audience: String,
    keys: JwkSet,
    algorithms: AlgorithmSet,
    typ: Option<String>,
    max_age: u64,
}

/// One issuance rule: evidence from `attester` whose claims match every selector gets a WIT
/// for `identity`.
#[derive(Debug, Clone)]
pub struct Rule {
    attester: String,
    selectors: Vec<(String, Value)>,
    identity: WorkloadId,
}

/// What an [`Issuer`] requires before it issues (see the module documentation for the JSON).
#[derive(Debug, Clone)]
pub struct IssuancePolicy {
    origin: String,
    issuer: Option<String>,
    wit_lifetime: u64,
    require_key_binding: bool,
    attesters: Vec<Attester>,
    rules: Vec<Rule>,
}

fn bad(member: &'static str) -> Error {
    Error::InvalidArgument(member)
}

fn only_members(obj: &Object, allowed: &[&str], err: &'static str) -> Result<(), Error> {
    if obj.keys().all(|k| allowed.contains(&k.as_str())) {
        Ok(())
    } else {
        Err(bad(err))
    }
}

fn string(obj: &Object, name: &str, err: &'static str) -> Result<String, Error> {
    match obj.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(bad(err)),
    }
}

fn optional_u64(obj: &Object, name: &str, default: u64, err: &'static str) -> Result<u64, Error> {
    match obj.get(name) {
        None => Ok(default),
        Some(v) => v.as_u64().filter(|n| *n > 0).ok_or(bad(err)),
    }
}

fn parse_attester(v: &Value, limits: &Limits) -> Result<Attester, Error> {
    let obj = v.as_object().ok_or(bad("attesters[]"))?;
    only_members(
        obj,
        &[
            "name",
            "issuer",
            "audience",
            "keys",
            "algorithms",
            "typ",
            "max_age",
        ],
        "attesters[]: unknown member",
    )?;
    let keys = match obj.get("keys") {
        Some(Value::Object(set)) => {
            JwkSet::from_object(set, limits).map_err(|_| bad("attesters[].keys"))?
        }
        _ => return Err(bad("attesters[].keys")),
    };
    if keys.keys().is_empty() || keys.keys().iter().any(Jwk::is_symmetric) {
        return Err(bad("attesters[].keys"));
    }
    let algorithms = match obj.get("algorithms") {
        None => DEFAULT_EVIDENCE_ALGORITHMS,
        Some(Value::Array(names)) => {
            let names = names
                .iter()
                .map(|n| n.as_str().ok_or(bad("attesters[].algorithms")))
                .collect::<Result<Vec<_>, _>>()?;
            let set =
                AlgorithmSet::from_jws_names(names).map_err(|_| bad("attesters[].algorithms"))?;
            if set.iter().next().is_none()
                || set.iter().any(|a| !AlgorithmSet::ASYMMETRIC.contains(a))
            {
                return Err(bad("attesters[].algorithms"));
            }
            set
        }
        Some(_) => return Err(bad("attesters[].algorithms")),
    };
    let typ = match obj.get("typ") {
        None => None,
        Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
        Some(_) => return Err(bad("attesters[].typ")),
    };
    Ok(Attester {
        name: string(obj, "name", "attesters[].name")?,
        issuer: string(obj, "issuer", "attesters[].issuer")?,
        audience: string(obj, "audience", "attesters[].audience")?,
        keys,
        algorithms,
        typ,
        max_age: optional_u64(
            obj,
            "max_age",
            DEFAULT_EVIDENCE_MAX_AGE,
            "attesters[].max_age",
        )?,
    })
}

fn parse_rule(v: &Value, origin: &str, attesters: &[Attester]) -> Result<Rule, Error> {
    let obj = v.as_object().ok_or(bad("rules[]"))?;
    only_members(
        obj,
        &["attester", "selectors", "identity"],
        "rules[]: unknown member",
    )?;
    let attester = string(obj, "attester", "rules[].attester")?;
    if !attesters.iter().any(|a| a.name == attester) {
        return Err(bad("rules[].attester"));
    }
    let identity = WorkloadId::parse(&string(obj, "identity", "rules[].identity")?)
        .map_err(|_| bad("rules[].identity"))?;
    if identity.origin() != origin || identity.path().is_empty() {
        return Err(bad("rules[].identity"));
    }
    let selectors = match obj.get("selectors") {
        Some(Value::Object(sel)) if !sel.is_empty() => sel
            .iter()
            .map(|(pointer, value)| {
                // RFC 6901: a pointer is empty or starts with `/`; the empty one (the whole
                // document) is not a selector.
                if pointer.starts_with('/') {
                    Ok((pointer.clone(), value.clone()))
                } else {
                    Err(bad("rules[].selectors"))
                }
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("rules[].selectors")),
    };
    Ok(Rule {
        attester,
        selectors,
        identity,
    })
}

impl IssuancePolicy {
    /// Parses the policy document (JSON text).
    ///
    /// # Errors
    /// JSON errors; `invalid-argument` naming the offending member.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Self, Error> {
        let obj = json::parse_object(text.as_bytes(), limits)?;
        only_members(
            &obj,
            &[
                "trust_domain",
                "issuer",
                "wit_lifetime",
                "require_key_binding",
                "attesters",
                "rules",
            ],
            "policy: unknown member",
        )?;
        // The trust domain as an origin: parse a probe identifier to validate it.
        let origin = string(&obj, "trust_domain", "trust_domain")?;
        let probe =
            WorkloadId::parse(&format!("{origin}/probe")).map_err(|_| bad("trust_domain"))?;
        if probe.origin() != origin {
            return Err(bad("trust_domain"));
        }
        let issuer = match obj.get("issuer") {
            None => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => return Err(bad("issuer")),
        };
        let wit_lifetime =
            optional_u64(&obj, "wit_lifetime", DEFAULT_WIT_LIFETIME, "wit_lifetime")?;
        if wit_lifetime > MAX_WIT_LIFETIME {
            return Err(bad("wit_lifetime"));
        }
        let require_key_binding = match obj.get("require_key_binding") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("require_key_binding")),
        };
        let Some(Value::Array(list)) = obj.get("attesters") else {
            return Err(bad("attesters"));
        };
        if list.is_empty() || list.len() > limits.max_keys {
            return Err(bad("attesters"));
        }
        let attesters = list
            .iter()
            .map(|a| parse_attester(a, limits))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, a) in attesters.iter().enumerate() {
            // An attester is selected by the evidence's `iss`: names and issuers are unique.
            if attesters
                .iter()
                .skip(i.saturating_add(1))
                .any(|b| b.name == a.name || b.issuer == a.issuer)
            {
                return Err(bad("attesters[]: name or issuer used twice"));
            }
        }
        let Some(Value::Array(list)) = obj.get("rules") else {
            return Err(bad("rules"));
        };
        if list.is_empty() {
            return Err(bad("rules"));
        }
        let rules = list
            .iter()
            .map(|r| parse_rule(r, &origin, &attesters))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            origin,
            issuer,
            wit_lifetime,
            require_key_binding,
            attesters,
            rules,
        })
    }

    /// The trust domain as an origin (`spiffe://example.org`).
    pub fn trust_domain(&self) -> &str {
        &self.origin
    }
}

/// A WIT an [`Issuer`] handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedWit {
    /// The compact WIT.
    pub token: String,
    /// The identity it names (`sub`).
    pub subject: WorkloadId,
    /// `iat`.
    pub issued_at: UnixTime,
    /// `exp`.
    pub expires_at: UnixTime,
    /// When the holder should renew ([`renewal_time`]).
    pub renew_after: UnixTime,
}

/// A trust domain's identity server: its signing key and its issuance policy.
#[derive(Debug)]
pub struct Issuer {
    key: KeyPair,
    policy: IssuancePolicy,
}

impl Issuer {
    /// An issuer signing with `key` (whose `kid` goes in each WIT header; publish its public
    /// half as a `wit-svid` authority of the trust domain).
    ///
    /// # Errors
    /// `alg-not-allowed` for an HMAC key.
    pub fn new(key: KeyPair, policy: IssuancePolicy) -> Result<Self, Error> {
        if key.alg() == Algorithm::Hs256 {
            return Err(Error::AlgorithmNotAllowed);
        }
        Ok(Self { key, policy })
    }

    /// Checks `evidence` against the policy and, when it passes, issues a WIT binding
    /// `holder_key` (a public JWK with `alg`) to the matched identity. `jti` comes from caller
    /// randomness.
    ///
    /// # Errors
    /// `attestation-rejected` (unknown attester, key binding, no rule matches); the JWT codes
    /// of the evidence check (`invalid-signature`, `token-expired`, `token-too-old`,
    /// `claim-mismatch` for `iss`/`aud`, `typ-mismatch`, `alg-not-allowed`, ...);
    /// `invalid-argument` (`cnf`) for an unusable holder key.
    pub fn issue(
        &self,
        evidence: &str,
        holder_key: &Jwk,
        now: UnixTime,
        jti: &str,
    ) -> Result<IssuedWit, Error> {
        let limits = Limits::DEFAULT;
        let jws = jose::parse_jws(evidence, &limits)?;
        // Step 1: the unverified `iss` only picks whose keys to try.
        let unverified = json::parse_object(jws.unverified_payload(), &limits)?;
        let attester = match unverified.get("iss") {
            Some(Value::String(iss)) => self
                .policy
                .attesters
                .iter()
                .find(|a| &a.issuer == iss)
                .ok_or(Error::AttestationRejected(
                    "evidence issuer is not a configured attester",
                ))?,
            Some(_) => return Err(Error::ClaimInvalid("iss")),
            None => return Err(Error::ClaimMissing("iss")),
        };
        // Step 2: the evidence under that attester's keys and rules.
        let mut rules = JwtValidation::new(attester.algorithms, attester.typ.as_deref())
            .with_issuer(attester.issuer.clone())
            .with_audience(attester.audience.clone())
            .with_max_age(attester.max_age)
            .with_leeway(Leeway::DEFAULT);
        rules.limits = limits;
        let verified = jose::verify_jwt(evidence, &attester.keys, &rules, now)?;
        let claims = verified.claims;
        // Step 3: key binding.
        let bound = match claims.get("cnf") {
            None => None,
            Some(Value::Object(cnf)) => match cnf.get("jkt") {
                Some(Value::String(jkt)) => Some(jkt.as_str()),
                None => None,
                Some(_) => return Err(Error::ClaimInvalid("cnf")),
            },
            Some(_) => return Err(Error::ClaimInvalid("cnf")),
        };
        match bound {
            Some(jkt) if jkt != holder_key.thumbprint() => {
                return Err(Error::AttestationRejected(
                    "evidence is bound to another key",
                ));
            }
            None if self.policy.require_key_binding => {
                return Err(Error::AttestationRejected(
                    "evidence is not bound to the presented key",
                ));
            }
            _ => {}
        }
        // Step 4: the first matching rule of this attester.
        let claims = Value::Object(claims);
        let rule = self
            .policy
            .rules
            .iter()
            .filter(|r| r.attester == attester.name)
            .find(|r| {
                r.selectors
                    .iter()
                    .all(|(pointer, expected)| claims.pointer(pointer) == Some(expected))
            })
            .ok_or(Error::AttestationRejected("no rule matches the evidence"))?;
        let token = issue_workload_identity_token(
            &self.key,
            &WitClaims {
                subject: &rule.identity,
                confirmation_key: holder_key,
                issued_at: now,
                lifetime: self.policy.wit_lifetime,
                jti,
                issuer: self.policy.issuer.as_deref(),
            },
        )?;
        let expires_at = now.saturating_add(self.policy.wit_lifetime);
        Ok(IssuedWit {
            token,
            subject: rule.identity.clone(),
            issued_at: now,
            expires_at,
            renew_after: renewal_time(now, expires_at)?,
        })
    }
}

/// When a credential valid from `issued_at` to `expires_at` should be renewed: at half its
/// lifetime (SPIRE's rule), which leaves the other half to retry through an outage. The holder
/// supplies `now` and compares.
///
/// # Errors
/// `invalid-argument` (`expires_at`) unless `expires_at` is after `issued_at`.
pub fn renewal_time(issued_at: UnixTime, expires_at: UnixTime) -> Result<UnixTime, Error> {
    let lifetime = expires_at
        .as_secs()
        .checked_sub(issued_at.as_secs())
        .filter(|l| *l > 0)
        .ok_or(Error::InvalidArgument("expires_at"))?;
    Ok(issued_at.saturating_add(lifetime / 2))
}

/// Whether a credential valid from `issued_at` to `expires_at` must be renewed at `now`.
///
/// # Errors
/// As [`renewal_time`].
pub fn needs_renewal(
    issued_at: UnixTime,
    expires_at: UnixTime,
    now: UnixTime,
) -> Result<bool, Error> {
    Ok(now >= renewal_time(issued_at, expires_at)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_is_at_half_life() {
        let t = |s| UnixTime(s);
        assert_eq!(renewal_time(t(1000), t(4600)).unwrap(), t(2800));
        assert_eq!(renewal_time(t(0), t(1)).unwrap(), t(0));
        assert!(!needs_renewal(t(1000), t(4600), t(2799)).unwrap());
        assert!(needs_renewal(t(1000), t(4600), t(2800)).unwrap());
        assert_eq!(
            renewal_time(t(5), t(5)).unwrap_err(),
            Error::InvalidArgument("expires_at")
        );
        assert_eq!(
            renewal_time(t(6), t(5)).unwrap_err(),
            Error::InvalidArgument("expires_at")
        );
    }
}
