//! `Verifier::authenticate`: one call decides about an incoming request under a
//! [`Policy`](crate::policy::Policy).
//!
//! The order of checks, each failure answered with one error code, one status and the
//! challenges the specs require:
//!
//! 1. The target URI's origin is one of the policy's `authorities` (else `misdirected-request`,
//!    421) and a route covers the method and path (else `no-matching-route`, 403). Neither
//!    needs credentials, so neither spends a signature verification.
//! 2. The credentials are classified: a workload credential (a WIT with an HTTP signature, a
//!    WIT with a WPT, or the mTLS peer identity the host supplies) and/or an access token
//!    (`Authorization: DPoP` or `Bearer`). Two `Authorization` fields are `credential-duplicated`
//!    (400 `invalid_request`). Kinds the policy or route does not accept are not credentials;
//!    with none left the answer is 401 with every accepted scheme's challenge and no error (or
//!    400 when only header-carried WIMSE credentials are accepted, which have no challenge).
//! 3. The workload credential: the WIT from the verified-credential cache or verified in full,
//!    then the proof (WPT or HTTP signature, with Content-Digest checked against the body) and
//!    the replay cache; then the route's `agents`. WPT failures answer per the wire form (wpt-01
//!    400, wpt-02 401 `WPT`); HTTP-signature failures 400; an mTLS peer the policy refuses
//!    (malformed identifier, untrusted trust domain) 403; `agent-not-allowed` 403.
//! 4. The access token: from the cache or verified (RFC 9068, issuer allow-list, audience = the
//!    policy's `resource`); a DPoP proof bound to its `cnf.jkt`, or Bearer only when accepted
//!    and the token is not DPoP-bound; then the route's scopes, `authorization_details` types
//!    and step-up requirements. Answers follow the §3.5 table ([`crate::oauth::resource_challenge`]).
//!
//! A request must authenticate a caller: a workload credential, an access token, or both (then
//! both must pass and the Principal carries both). A route with token requirements needs a token.
//!
//! The verifier keeps bounded state: verified WITs and access tokens by SHA-256 of the token
//! string until they expire, the proof replay cache, and the key cache for `jwks_uri` issuers.

use serde_json::Value;

use super::{CredentialCache, Document, KeyCache, RefreshPolicy, SourceKind};
use crate::crypto::{JwkSet, sha256};
use crate::encoding::{base64url, json as sjson};
use crate::error::Error;
use crate::events::{
    CredentialFacts, Effect, EventRef, EventState, SetValidation, Verdict, VerifiedSet, verify_set,
};
use crate::httpsig::{self, WimseVerifyConfig};
use crate::identity::{
    VerifiedWorkloadIdentityToken, WitValidation, WorkloadId, verify_workload_identity_token,
};
use crate::limits::Limits;
use crate::oauth::{
    AccessTokenValidation, ChallengeConfig, Failure, RouteRequirements, TrustedIssuer,
    VerifiedAccessToken, check_requirements, metadata_url, resource_challenge, verify_access_token,
};
use crate::policy::{CredentialKind, Jwks, Policy, Route};
use crate::proof::{
    self, DpopConfig, DpopNonces, HttpRequest, ReplayCache, WptConfig, WptWire, wpt_carriers,
};
use crate::time::{Leeway, UnixTime};

/// A token [`Verifier::verify_token`] accepted, by kind.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum VerifiedToken {
    /// A Workload Identity Token.
    WorkloadIdentity(Box<VerifiedWorkloadIdentityToken>),
    /// An RFC 9068 access token.
    AccessToken(Box<VerifiedAccessToken>),
    /// A transaction token.
    TransactionToken(Box<crate::oauth::VerifiedTxnToken>),
    /// A Security Event Token (verified, not applied).
    SecurityEvent(Box<VerifiedSet>),
}

/// An incoming request as the host hands it over.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The absolute target URI, built by the host from **its own configuration** (scheme and
    /// authority it serves) and the request target, e.g. `https://tools.example.com/mcp?x=1`.
    pub target_uri: &'a str,
    /// Header fields as received, repeated names kept as separate entries.
    pub headers: &'a [(String, String)],
    /// The body, when the host has it (needed when an HTTP signature covers Content-Digest).
    pub body: Option<&'a [u8]>,
    /// The mTLS peer's URI SAN, when the host terminated TLS with a client certificate it
    /// verified.
    pub mtls_peer: Option<&'a str>,
}

/// Who called, established by [`Verifier::authenticate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// The calling workload (WIT `sub` or mTLS peer), when a workload credential was presented.
    pub agent: Option<String>,
    /// The agent's trust domain.
    pub trust_domain: Option<String>,
    /// How the caller authenticated: the workload credential if any, else the token's scheme.
    pub method: CredentialKind,
    /// Every credential kind the request presented and passed.
    pub credentials: Vec<CredentialKind>,
    /// The access token's `client_id`.
    pub client_id: Option<String>,
    /// The user (or client) the token was issued for (`sub`).
    pub subject: Option<String>,
    /// The access token's issuer.
    pub issuer: Option<String>,
    /// The token's `act` claim (RFC 8693 delegation chain), as JSON, when present.
    pub act: Option<String>,
    /// The delegation chain read from `act`, **current actor first** (empty when the token was
    /// not delegated). Decide on the first entry only; the rest is history.
    pub actors: Vec<crate::oauth::Actor>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The transaction context of a verified `Txn-Token`, when the policy checks them.
    pub transaction: Option<crate::oauth::VerifiedTxnToken>,
    /// Granted `authorization_details` (JSON array text; `[]` when none).
    pub authorization_details: String,
    /// `(kind, base64url SHA-256)` of each token presented: `wit`, `access_token`.
    pub token_hashes: Vec<(String, String)>,
    /// When the earliest of the credentials expires (Unix seconds); `None` for an mTLS peer
    /// alone (the host knows its certificate's lifetime).
    pub expires_at: Option<u64>,
    /// The matched route's path.
    pub route: String,
    /// The token-free decision record (JSON).
    pub audit: String,
}

/// A refusal: what to answer and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// HTTP status.
    pub status: u16,
    /// `WWW-Authenticate` values, one per scheme (may be empty).
    pub www_authenticate: Vec<String>,
    /// A `DPoP-Nonce` value to send, if any.
    pub dpop_nonce: Option<String>,
    /// The error.
    pub error: Error,
    /// The security event that caused the denial, if one did.
    pub event: Option<EventRef>,
    /// The token-free decision record (JSON).
    pub audit: String,
}

/// Sizes of the verifier's bounded state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifierOptions {
    /// Verified WITs kept (default 4096).
    pub wit_cache: usize,
    /// Verified access tokens kept (default 4096).
    pub token_cache: usize,
    /// Proof `jti`s / signature nonces kept (default 65536).
    pub replay_cache: usize,
    /// Rules left by applied security events (default 10000; see
    /// [`EventState`](crate::events::EventState) for what happens when full).
    pub event_rules: usize,
    /// SET `jti`s remembered for de-duplication (default 65536).
    pub event_ids: usize,
    /// Key-document refresh bounds.
    pub refresh: RefreshPolicy,
    /// Counted limits.
    pub limits: Limits,
}

impl Default for VerifierOptions {
    fn default() -> Self {
        Self {
            wit_cache: 4096,
            token_cache: 4096,
            replay_cache: 65_536,
            event_rules: 10_000,
            event_ids: 65_536,
            refresh: RefreshPolicy::default(),
            limits: Limits::DEFAULT,
        }
    }
}

/// What [`Verifier::stats`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifierStats {
    /// Verified WITs held.
    pub cached_wits: usize,
    /// Verified access tokens held.
    pub cached_tokens: usize,
    /// Replay-cache entries held.
    pub replay_entries: usize,
    /// Live replay entries evicted to make room (a sign the cache is too small).
    pub replay_evicted_live: u64,
    /// Rules held from applied security events.
    pub event_rules: usize,
    /// Credentials issued at or before this time are refused (rules folded by expiry or
    /// overflow), when any.
    pub event_watermark: Option<u64>,
}

/// What [`Verifier::receive_poll`] did with a poll response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollOutcome {
    /// The body of the next poll request (acks, `setErrs`, `maxEvents`).
    pub next_request: String,
    /// The SETs applied (duplicates included, flagged).
    pub applied: Vec<AppliedEvent>,
    /// The SETs refused: `(jti, error)`.
    pub refused: Vec<(String, Error)>,
    /// Whether the transmitter has more SETs ready.
    pub more_available: bool,
}

/// What [`Verifier::apply_event`] did with a SET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedEvent {
    /// The transmitter.
    pub issuer: String,
    /// The SET's `jti` (acknowledge it to a poll transmitter).
    pub jti: String,
    /// The events' short names (`session-revoked`, `verification`, …).
    pub events: Vec<String>,
    /// The effects added: `revoke`, `claims`, `acr` (empty for events without one).
    pub effects: Vec<String>,
    /// The subject identifier (JSON).
    pub subject: String,
    /// The `state` of an SSF verification event.
    pub state: Option<String>,
    /// Whether this `jti` was applied before (nothing was done again).
    pub duplicate: bool,
    /// Cached verifications dropped because the event covers them.
    pub dropped: usize,
    /// base64url SHA-256 of the SET.
    pub token_hash: String,
}

/// The request-level verifier (see the module documentation).
#[derive(Debug)]
pub struct Verifier {
    policy: Policy,
    options: VerifierOptions,
    wits: CredentialCache<VerifiedWorkloadIdentityToken>,
    tokens: CredentialCache<VerifiedAccessToken>,
    replay: ReplayCache,
    keys: KeyCache,
    issuers: AccessTokenValidation,
    txn: Option<crate::oauth::TxnTokenValidation>,
    nonces: Option<DpopNonces>,
    events: EventState,
    event_ids: ReplayCache,
    transmitters: Vec<SetValidation>,
    pub(super) challenge: ChallengeConfig,
}

/// Which token scheme the request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenScheme {
    Dpop,
    Bearer,
}

/// How a failure is answered.
enum Answer {
    /// A WPT failure under this wire form.
    Wpt(WptWire),
    /// An HTTP-signature failure: 400, no challenge.
    BadRequest,
    /// A resource-server failure (§3.5) with whether the client used the DPoP scheme.
    OAuth(Kind, bool),
    /// 403 without a challenge.
    Forbidden,
    /// 421 without a challenge.
    Misdirected,
}

/// The §3.5 classes (the error itself travels beside them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NoCredentials,
    InvalidRequest,
    InvalidToken,
    DpopProof,
    InsufficientScope,
    InsufficientUserAuthentication,
}

/// What the audit record knows at the point of decision.
#[derive(Default)]
struct Facts {
    route: Option<String>,
    credentials: Vec<CredentialKind>,
    agent: Option<String>,
    wit_issuer_key: Option<String>,
    subject: Option<String>,
    client_id: Option<String>,
    issuer: Option<String>,
    token_issuer_key: Option<String>,
    scopes: Vec<String>,
    authorization_details_types: Vec<String>,
    acr: Option<String>,
    auth_time: Option<u64>,
    token_hashes: Vec<(String, String)>,
    actors: Vec<String>,
    txn: Option<String>,
    event: Option<EventRef>,
}

const fn kind_name(k: CredentialKind) -> &'static str {
    match k {
        CredentialKind::Wpt => "wpt",
        CredentialKind::HttpSignature => "http_signature",
        CredentialKind::Mtls => "mtls",
        CredentialKind::Dpop => "dpop",
        CredentialKind::Bearer => "bearer",
    }
}

/// The origin (`scheme://authority`) and origin-form target of an absolute URI.
fn split_target(uri: &str) -> Option<(&str, &str)> {
    let scheme_end = uri.find("://")?;
    let rest = uri.get(scheme_end.checked_add(3)?..)?;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin_len = scheme_end.checked_add(3)?.checked_add(authority_len)?;
    let origin = uri.get(..origin_len)?;
    let target = uri.get(origin_len..)?;
    if authority_len == 0 || !target.starts_with('/') || target.contains('#') {
        return None;
    }
    Some((origin, target))
}

impl Verifier {
    /// A verifier for `policy`. `secret` (at least 32 random bytes from the host) keys the
    /// replay cache and, when the policy requires DPoP nonces, the stateless nonces; verifiers
    /// that must accept each other's nonces share it.
    ///
    /// # Errors
    /// `invalid-argument` (`secret`) for fewer than 32 bytes, (`capacity`) for a zero size.
    pub fn new(policy: Policy, secret: &[u8], options: VerifierOptions) -> Result<Self, Error> {
        if secret.len() < 32 {
            return Err(Error::InvalidArgument("secret"));
        }
        let nonces = if policy.credentials.dpop_nonce {
            Some(DpopNonces::new(secret, 60)?)
        } else {
            None
        };
        let mut sources: Vec<(String, SourceKind)> = policy
            .authorization_servers
            .iter()
            .filter_map(|s| match &s.jwks {
                Jwks::Uri(u) => Some((u.clone(), SourceKind::Jwks)),
                Jwks::Inline(_) => None,
            })
            .collect();
        if let Some(crate::policy::TransactionTokens {
            jwks: Jwks::Uri(u), ..
        }) = &policy.transaction_tokens
        {
            sources.push((u.clone(), SourceKind::Jwks));
        }
        if let Some(events) = &policy.events {
            sources.extend(events.transmitters.iter().filter_map(|t| match &t.jwks {
                Jwks::Uri(u) => Some((u.clone(), SourceKind::Jwks)),
                Jwks::Inline(_) => None,
            }));
        }
        sources.extend(
            policy
                .bundle_endpoints
                .iter()
                .map(|(td, url)| (url.clone(), SourceKind::Bundle(td.clone()))),
        );
        let challenge = ChallengeConfig {
            realm: None,
            resource_metadata: (!policy.authorization_servers.is_empty())
                .then(|| metadata_url(&policy.resource).ok())
                .flatten(),
            bearer: policy.credentials.bearer,
            dpop_algorithms: policy.credentials.dpop.unwrap_or_default(),
        };
        let mut v = Self {
            wits: CredentialCache::new(options.wit_cache)?,
            tokens: CredentialCache::new(options.token_cache)?,
            replay: ReplayCache::new(options.replay_cache, secret)?,
            keys: KeyCache::new(sources, options.refresh),
            issuers: AccessTokenValidation {
                issuers: Vec::new(),
                resource: policy.resource.clone(),
                leeway: Leeway(policy.leeway),
                limits: options.limits,
            },
            txn: None,
            nonces,
            events: EventState::new(
                options.event_rules,
                policy.events.as_ref().map_or(86_400, |e| e.retention),
            ),
            event_ids: ReplayCache::new(options.event_ids, secret)?,
            transmitters: Vec::new(),
            challenge,
            policy,
            options,
        };
        v.rebuild_issuers();
        Ok(v)
    }

    /// The policy this verifier enforces.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The key documents (`jwks_uri`, SPIFFE bundle endpoints) the host should fetch now.
    pub fn due(&self, now: UnixTime) -> Vec<String> {
        self.keys.due(now)
    }

    /// Hands over what the host fetched for `url` (`None` when the fetch failed; `max_age` from
    /// `Cache-Control`). When a key leaves the document, the cached tokens of its issuer are
    /// dropped (and verified again on next use).
    ///
    /// # Errors
    /// As [`KeyCache::ingest`].
    pub fn ingest(
        &mut self,
        url: &str,
        body: Option<&str>,
        max_age: Option<u64>,
        now: UnixTime,
    ) -> Result<(), Error> {
        let thumbprints = |v: &Self| -> Vec<String> {
            match v.keys.document(url) {
                Some(Document::Jwks(set)) => set.keys().iter().map(|k| k.thumbprint()).collect(),
                _ => Vec::new(),
            }
        };
        let before = thumbprints(self);
        let result = self
            .keys
            .ingest(url, body, max_age, now, &self.options.limits);
        let after = thumbprints(self);
        self.rebuild_issuers();
        // A fetched trust bundle replaces the trust domain's anchors (never with an older
        // sequence); WITs verified under the previous anchors are verified again.
        if let Some(Document::Bundle(bundle)) = self.keys.document(url)
            && body.is_some()
            && result.is_ok()
        {
            let bundle = bundle.clone();
            let (scheme, td) = (bundle.scheme(), bundle.trust_domain().to_owned());
            if self.policy.trust.insert(bundle) {
                self.wits.remove_where(|w| {
                    w.subject.scheme() == scheme && w.subject.trust_domain() == td
                });
            }
        }
        // A key that left the set takes the tokens of that issuer with it: they are verified
        // again (against the new keys) on their next use.
        if before.iter().any(|t| !after.contains(t)) {
            let issuers: Vec<String> = self
                .policy
                .authorization_servers
                .iter()
                .filter(|s| matches!(&s.jwks, Jwks::Uri(u) if u == url))
                .map(|s| s.issuer.clone())
                .collect();
            self.tokens.remove_where(|t| issuers.contains(&t.issuer));
        }
        result
    }

    fn jwks(&self, jwks: &Jwks) -> JwkSet {
        match jwks {
            Jwks::Inline(set) => set.clone(),
            Jwks::Uri(u) => match self.keys.document(u) {
                Some(Document::Jwks(set)) => set.clone(),
                _ => JwkSet::from_keys(Vec::new()),
            },
        }
    }

    fn rebuild_issuers(&mut self) {
        self.transmitters = self
            .policy
            .events
            .as_ref()
            .map(|e| {
                e.transmitters
                    .iter()
                    .map(|t| SetValidation {
                        issuer: t.issuer.clone(),
                        keys: self.jwks(&t.jwks),
                        algorithms: t.algorithms,
                        audience: e.audience.clone(),
                        critical_subject_members: e.critical_subject_members.clone(),
                        leeway: Leeway(self.policy.leeway),
                        limits: self.options.limits,
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.txn =
            self.policy
                .transaction_tokens
                .as_ref()
                .map(|t| crate::oauth::TxnTokenValidation {
                    trust_domain: t.trust_domain.clone(),
                    keys: self.jwks(&t.jwks),
                    algorithms: t.algorithms,
                    issuer: t.issuer.clone(),
                    leeway: Leeway(self.policy.leeway),
                    max_lifetime: t.max_lifetime,
                });
        self.issuers.issuers = self
            .policy
            .authorization_servers
            .iter()
            .map(|s| TrustedIssuer {
                issuer: s.issuer.clone(),
                keys: self.jwks(&s.jwks),
                algorithms: s.algorithms,
            })
            .collect();
    }

    /// The RFC 9728 metadata this resource serves, derived from the policy: `(url, document)`,
    /// where `url` is the well-known URL (serve the document at its path, `application/json`).
    /// `scopes_supported` and `authorization_details_types_supported` are the union over the
    /// routes; `dpop_bound_access_tokens_required` is set when DPoP is accepted and Bearer is not.
    ///
    /// # Errors
    /// `invalid-argument` (`resource`) as [`crate::oauth::metadata_url`].
    pub fn resource_metadata(&self) -> Result<(String, String), Error> {
        let p = &self.policy;
        let mut scopes: Vec<String> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        for r in &p.routes {
            for s in &r.requirements.scopes {
                if !scopes.contains(s) {
                    scopes.push(s.clone());
                }
            }
            for t in &r.requirements.authorization_details_types {
                if !types.contains(t) {
                    types.push(t.clone());
                }
            }
        }
        let doc = crate::oauth::ResourceMetadata {
            resource: p.resource.clone(),
            authorization_servers: p
                .authorization_servers
                .iter()
                .map(|s| s.issuer.clone())
                .collect(),
            scopes_supported: scopes,
            bearer_methods_supported: if p.credentials.bearer {
                vec!["header".to_owned()]
            } else {
                Vec::new()
            },
            dpop_signing_alg_values_supported: p
                .credentials
                .dpop
                .unwrap_or_default()
                .iter()
                .map(|a| a.jws_name().to_owned())
                .collect(),
            dpop_bound_access_tokens_required: p.credentials.dpop.is_some()
                && !p.credentials.bearer,
            authorization_details_types_supported: types,
            resource_name: None,
        };
        Ok((
            metadata_url(&p.resource)?,
            crate::oauth::resource_metadata_document(&doc)?,
        ))
    }

    /// Sizes of the bounded state (for metrics): cached WITs, cached access tokens, replay-cache
    /// entries, and live replay entries evicted to make room since creation.
    pub fn stats(&self) -> VerifierStats {
        VerifierStats {
            cached_wits: self.wits.len(),
            cached_tokens: self.tokens.len(),
            replay_entries: self.replay.len(),
            replay_evicted_live: self.replay.evicted_live(),
            event_rules: self.events.len(),
            event_watermark: self.events.watermark(),
        }
    }

    /// Verifies a Security Event Token from one of the policy's `events.transmitters` and
    /// applies it: from now on, credentials it covers that were issued at or before the event
    /// are refused (`credential-revoked`) or read with the changed claims, and cached
    /// verifications it covers are dropped. A `jti` already applied is acknowledged again
    /// without effect (transmitters retry). See [`crate::events`] for the event effects and
    /// [`EventState`] for the bounds.
    ///
    /// # Errors
    /// `invalid-argument` (`events`) when the policy has no `events` section; `claim-mismatch`
    /// (`iss`) for a transmitter not in the policy; every code of
    /// [`verify_set`](crate::events::verify_set). Map them for the transmitter with
    /// [`crate::events::ssf::set_error_code`].
    pub fn apply_event(&mut self, set: &str, now: UnixTime) -> Result<AppliedEvent, Error> {
        let jws = crate::jose::parse_jws(set, &self.options.limits)?;
        let validation = self.transmitter(&jws)?;
        let iss = validation.issuer.clone();
        let verified = match verify_set(set, validation, now) {
            Err(Error::KeyNotFound) => {
                if let Some(Jwks::Uri(u)) = self.policy.events.as_ref().and_then(|e| {
                    e.transmitters
                        .iter()
                        .find(|t| t.issuer == iss)
                        .map(|t| &t.jwks)
                }) {
                    self.keys.unknown_kid(u, now);
                }
                return Err(Error::KeyNotFound);
            }
            other => other?,
        };
        let retention = self.policy.events.as_ref().map_or(86_400, |e| e.retention);
        let remember_until = verified
            .issued_at
            .max(now.as_secs())
            .saturating_add(retention);
        let duplicate = matches!(
            self.event_ids.check_and_insert(
                &verified.issuer,
                &verified.jti,
                UnixTime(remember_until),
                now
            ),
            Err(Error::Replayed)
        );
        let mut applied = applied_event(&verified, duplicate);
        if duplicate {
            return Ok(applied);
        }
        let effects = self.events.apply(&verified, now.as_secs());
        applied.effects = effects.iter().map(|e| e.name().to_owned()).collect();
        if !effects.is_empty() {
            let (events, t) = (&self.events, now.as_secs());
            let tokens = self
                .tokens
                .remove_where(|v| events.covers(&CredentialFacts::from_claims(&v.claims), t));
            let wits = self.wits.remove_where(|w| events.covers(&wit_facts(w), t));
            applied.dropped = tokens.saturating_add(wits);
        }
        Ok(applied)
    }

    /// The transmitter whose keys check a SET: picked by the SET's unverified `iss`, which only
    /// chooses among the policy's transmitters.
    ///
    /// # Errors
    /// `invalid-argument` (`events`) without an `events` section; `claim-missing` /
    /// `claim-mismatch` (`iss`); JSON errors of the payload.
    fn transmitter(&self, jws: &crate::jose::UnverifiedJws<'_>) -> Result<&SetValidation, Error> {
        if self.policy.events.is_none() {
            return Err(Error::InvalidArgument("events"));
        }
        let payload = sjson::parse_object(jws.unverified_payload(), &self.options.limits)?;
        let iss = payload
            .get("iss")
            .and_then(Value::as_str)
            .ok_or(Error::ClaimMissing("iss"))?;
        self.transmitters
            .iter()
            .find(|t| t.issuer == iss)
            .ok_or(Error::ClaimMismatch("iss"))
    }

    /// Verifies one token on its own under the policy, picked by its explicit `typ`: a WIT
    /// (`wit+jwt`) against the trust domains, an access token (`at+jwt`) against the
    /// authorization servers and `resource`, a Txn-Token (`txntoken+jwt`) against
    /// `transaction_tokens`, a Security Event Token (`secevent+jwt`) against the event
    /// transmitters. A WIT or access token covered by an applied security event is refused.
    ///
    /// This checks a credential, not a request: proofs of possession (WPT, DPoP, HTTP
    /// signatures), routes and scopes need the request ([`Self::authenticate`]).
    ///
    /// # Errors
    /// `typ-mismatch` for any other `typ`; `invalid-argument` (`transaction_tokens`, `events`)
    /// when the policy has no section for the token's kind; the token kind's own codes;
    /// `credential-revoked`.
    pub fn verify_token(&mut self, text: &str, now: UnixTime) -> Result<VerifiedToken, Error> {
        let limits = self.options.limits;
        let jws = crate::jose::parse_jws(text, &limits)?;
        let typ = jws.header().typ().unwrap_or_default().to_ascii_lowercase();
        let now_s = now.as_secs();
        match typ.strip_prefix("application/").unwrap_or(&typ) {
            "wit+jwt" => {
                let validation = WitValidation {
                    max_lifetime: self.policy.max_wit_lifetime,
                    leeway: Leeway(self.policy.leeway),
                    limits,
                    ..WitValidation::default()
                };
                let w = verify_workload_identity_token(text, &self.policy.trust, &validation, now)?;
                if let Verdict::Revoked(_) = self.events.check(&wit_facts(&w), now_s) {
                    return Err(Error::CredentialRevoked);
                }
                Ok(VerifiedToken::WorkloadIdentity(Box::new(w)))
            }
            "at+jwt" => {
                let t = verify_access_token(text, &self.issuers, now)?;
                match self
                    .events
                    .check(&CredentialFacts::from_claims(&t.claims), now_s)
                {
                    Verdict::Revoked(_) => Err(Error::CredentialRevoked),
                    Verdict::Accept(_) => Ok(VerifiedToken::AccessToken(Box::new(t))),
                }
            }
            "txntoken+jwt" | "txn_token+jwt" => {
                let validation = self
                    .txn
                    .as_ref()
                    .ok_or(Error::InvalidArgument("transaction_tokens"))?;
                crate::oauth::verify_txn_token(text, validation, now, &limits)
                    .map(|t| VerifiedToken::TransactionToken(Box::new(t)))
            }
            "secevent+jwt" => verify_set(text, self.transmitter(&jws)?, now)
                .map(|s| VerifiedToken::SecurityEvent(Box::new(s))),
            _ => Err(Error::TypMismatch),
        }
    }

    /// Makes the proof replay cache also consult `shared`, state other instances of this
    /// verifier see (for example proxy-wasm shared data). The instances must be built with the
    /// same `secret`.
    pub fn set_shared_replay(&mut self, shared: Box<dyn crate::proof::SharedReplay>) {
        self.replay.set_shared(shared);
    }

    /// Forgets cached verifications (for example after a trust-store change).
    pub fn clear_caches(&mut self) {
        self.wits.remove_where(|_| true);
        self.tokens.remove_where(|_| true);
    }

    /// Decides about `request` at `now` (see the module documentation).
    ///
    /// # Errors
    /// A [`Denial`] with the status, challenges, error code and audit record.
    pub fn authenticate(
        &mut self,
        request: &IncomingRequest<'_>,
        now: UnixTime,
    ) -> Result<Principal, Box<Denial>> {
        let mut facts = Facts::default();
        self.events.expire(now.as_secs());
        match self.decide(request, now, &mut facts) {
            Ok(mut p) => {
                p.audit = audit(request, now, &facts, None);
                Ok(p)
            }
            Err((error, answer, requirements)) => {
                let mut d = self.answer(&error, answer, &requirements, now);
                d.audit = audit(request, now, &facts, Some((&error, d.status)));
                d.event = facts.event;
                Err(Box::new(d))
            }
        }
    }

    /// Receives an RFC 8935 push: `body` is the SET the transmitter POSTed
    /// (`application/secevent+jwt`). Returns the status and body to answer (`202` and none when
    /// taken, including a duplicate; `400` with `{"err", "description"}`, `application/json`,
    /// when refused) and what was applied.
    pub fn receive_push(
        &mut self,
        body: &str,
        now: UnixTime,
    ) -> (u16, Option<String>, Option<AppliedEvent>) {
        let result = self.apply_event(body.trim(), now);
        let (status, answer) =
            crate::events::ssf::push_response(&result.as_ref().map(|_| ()).map_err(|e| *e));
        (status, answer, result.ok())
    }

    /// Receives an RFC 8936 poll response: applies every SET in it, and returns the body of
    /// the next poll request (acknowledging the SETs taken, reporting the refused ones in
    /// `setErrs`, asking for up to `max_events`), what was applied, and whether the transmitter
    /// said more are available (poll again at once).
    ///
    /// # Errors
    /// `malformed-json`, `claim-missing`/`claim-invalid` (`sets`, `moreAvailable`) for a body
    /// that is not a poll response (nothing is applied).
    pub fn receive_poll(
        &mut self,
        body: &str,
        max_events: u64,
        now: UnixTime,
    ) -> Result<PollOutcome, Error> {
        let response = crate::events::ssf::parse_poll_response(body, &self.options.limits)?;
        let mut acks = Vec::new();
        let mut errors = Vec::new();
        let mut applied = Vec::new();
        for (jti, set) in response.sets {
            match self.apply_event(&set, now) {
                Ok(a) => {
                    acks.push(jti);
                    applied.push(a);
                }
                Err(e) => errors.push((jti, e)),
            }
        }
        Ok(PollOutcome {
            next_request: crate::events::ssf::poll_request(max_events, false, &acks, &errors),
            applied,
            refused: errors.iter().map(|(j, e)| (j.clone(), *e)).collect(),
            more_available: response.more_available,
        })
    }

    fn answer(
        &self,
        error: &Error,
        answer: Answer,
        requirements: &RouteRequirements,
        now: UnixTime,
    ) -> Denial {
        let (status, www_authenticate, dpop_nonce) = match answer {
            Answer::Wpt(wire) => {
                let c = proof::wpt_challenge(error, wire);
                (c.status, c.www_authenticate.into_iter().collect(), None)
            }
            Answer::BadRequest => (400, Vec::new(), None),
            Answer::Forbidden => (403, Vec::new(), None),
            Answer::Misdirected => (421, Vec::new(), None),
            Answer::OAuth(kind, dpop_used) => {
                let failure = match kind {
                    Kind::NoCredentials => Failure::NoCredentials,
                    Kind::InvalidRequest => Failure::InvalidRequest(error),
                    Kind::InvalidToken => Failure::InvalidToken(error),
                    Kind::DpopProof => Failure::DpopProof(error),
                    Kind::InsufficientScope => Failure::InsufficientScope,
                    Kind::InsufficientUserAuthentication => Failure::InsufficientUserAuthentication,
                };
                let nonce = self.nonces.as_ref().and_then(|n| n.issue(now).ok());
                let mut c =
                    resource_challenge(failure, dpop_used, &self.challenge, requirements, nonce);
                if failure == Failure::NoCredentials {
                    if self.policy.credentials.wpt == Some(WptWire::Authorization) {
                        c.www_authenticate.push("WPT".to_owned());
                    }
                    if c.www_authenticate.is_empty() {
                        c.status = 400;
                    }
                }
                (c.status, c.www_authenticate, c.dpop_nonce)
            }
        };
        Denial {
            status,
            www_authenticate,
            dpop_nonce,
            error: *error,
            event: None,
            audit: String::new(),
        }
    }

    fn accepted(&self, route: &Route, kind: CredentialKind) -> bool {
        self.policy.accepts(route, kind)
    }

    #[allow(clippy::too_many_lines)]
    fn decide<'r>(
        &mut self,
        request: &IncomingRequest<'r>,
        now: UnixTime,
        facts: &mut Facts,
    ) -> Result<Principal, (Error, Answer, RouteRequirements)> {
        let none = RouteRequirements::default();
        // Step 1: ours, and routed.
        let Some((origin, target)) = split_target(request.target_uri)
            .filter(|(o, _)| self.policy.authorities.iter().any(|a| a == o))
        else {
            return Err((Error::MisdirectedRequest, Answer::Misdirected, none));
        };
        let http = HttpRequest {
            method: request.method,
            target,
            headers: request.headers,
        };
        let Some(route) = self.policy.route(request.method, http.path()).cloned() else {
            return Err((Error::NoMatchingRoute, Answer::Forbidden, none));
        };
        facts.route = Some(route.path.clone());
        let req = route.requirements.clone();
        let oauth = |e: Error, k: Kind, dpop: bool| (e, Answer::OAuth(k, dpop), req.clone());
        // Step 2: classify.
        let authorization = match http.single("authorization", "authorization field") {
            Ok(a) => a,
            Err(e) => return Err(oauth(e, Kind::InvalidRequest, false)),
        };
        let scheme = authorization.and_then(proof::auth_scheme);
        let token = match scheme {
            Some((s, t)) if s.eq_ignore_ascii_case("DPoP") => Some((TokenScheme::Dpop, t)),
            Some((s, t)) if s.eq_ignore_ascii_case("Bearer") => Some((TokenScheme::Bearer, t)),
            _ => None,
        };
        let has_wit = http
            .header_values("workload-identity-token")
            .next()
            .is_some();
        let has_sig = http.header_values("signature-input").next().is_some();
        let workload = if has_wit && has_sig && self.accepted(&route, CredentialKind::HttpSignature)
        {
            Some(CredentialKind::HttpSignature)
        } else if has_wit && self.accepted(&route, CredentialKind::Wpt) {
            Some(CredentialKind::Wpt)
        } else if request.mtls_peer.is_some() && self.accepted(&route, CredentialKind::Mtls) {
            Some(CredentialKind::Mtls)
        } else {
            None
        };
        let dpop_ok = self.accepted(&route, CredentialKind::Dpop);
        let bearer_ok = self.accepted(&route, CredentialKind::Bearer);
        let token = token.filter(|(s, _)| match s {
            TokenScheme::Dpop => dpop_ok,
            // A Bearer token where only DPoP is accepted is checked so that a DPoP-bound token
            // sent as Bearer gets the downgrade answer.
            TokenScheme::Bearer => bearer_ok || dpop_ok,
        });
        let needs_token = route.needs_token();
        if workload.is_none() && token.is_none() {
            return Err(oauth(
                Error::CredentialMissing("credentials"),
                Kind::NoCredentials,
                false,
            ));
        }
        // Fail closed: token requirements are never skipped (the policy parser also refuses a
        // route with requirements that accepts no token kind).
        if token.is_none() && needs_token {
            return Err(oauth(
                Error::CredentialMissing("access token"),
                Kind::NoCredentials,
                false,
            ));
        }
        // Step 3: the workload credential.
        let mut expires_at = u64::MAX;
        let mut agent: Option<WorkloadId> = None;
        if let Some(kind) = workload {
            let answer = match kind {
                CredentialKind::Wpt => Answer::Wpt(self.policy.credentials.wpt.unwrap_or_default()),
                // The host's TLS layer authenticated the peer; the policy refuses it.
                CredentialKind::Mtls => Answer::Forbidden,
                _ => Answer::BadRequest,
            };
            let result = self.workload(kind, request, &http, now, facts);
            let (id, exp) = result.map_err(|e| (e, answer, none.clone()))?;
            facts.credentials.push(kind);
            facts.agent = Some(id.as_str().to_owned());
            expires_at = expires_at.min(exp);
            if !route.allows_agent(&id) {
                return Err((Error::AgentNotAllowed, Answer::Forbidden, none));
            }
            agent = Some(id);
        }
        // A route that names agents needs an authenticated agent.
        if agent.is_none() && !route.agents.is_empty() {
            return Err((Error::AgentNotAllowed, Answer::Forbidden, none));
        }
        // Step 4: the access token.
        let mut at: Option<VerifiedAccessToken> = None;
        let mut actors = Vec::new();
        if let Some((scheme, text)) = token {
            let dpop = scheme == TokenScheme::Dpop;
            let t = self
                .access_token(text, now)
                .map_err(|e| oauth(e, Kind::InvalidToken, dpop))?;
            facts.subject = Some(t.subject.clone());
            facts.client_id = Some(t.client_id.clone());
            facts.issuer = Some(t.issuer.clone());
            facts.token_issuer_key.clone_from(&t.key_thumbprint);
            facts
                .token_hashes
                .push(("access_token".into(), t.token_hash.clone()));
            // Security events: refused, or read with changed claims.
            let t = match self
                .events
                .check(&CredentialFacts::from_claims(&t.claims), now.as_secs())
            {
                Verdict::Revoked(e) => {
                    facts.event = Some(e);
                    return Err(oauth(Error::CredentialRevoked, Kind::InvalidToken, dpop));
                }
                Verdict::Accept(changes) => {
                    let mut t = t;
                    for (effect, event) in changes {
                        let mut claims = crate::encoding::json::Object::new();
                        match effect {
                            Effect::Claims(c) => claims = c,
                            Effect::Acr(level) => {
                                claims.insert("acr".into(), Value::String(level));
                            }
                            Effect::Revoke => {}
                        }
                        facts.event = Some(event);
                        t = t.with_changed_claims(&claims).map_err(|_| {
                            oauth(Error::CredentialRevoked, Kind::InvalidToken, dpop)
                        })?;
                    }
                    t
                }
            };
            facts.scopes.clone_from(&t.scopes);
            facts.authorization_details_types = t
                .authorization_details
                .iter()
                .filter_map(|d| d.get("type").and_then(Value::as_str).map(str::to_owned))
                .collect();
            facts.acr.clone_from(&t.acr);
            facts.auth_time = t.auth_time;
            match scheme {
                TokenScheme::Bearer => {
                    if t.cnf_jkt.is_some() || !bearer_ok {
                        return Err(oauth(
                            Error::BindingMismatch("access token"),
                            Kind::InvalidToken,
                            false,
                        ));
                    }
                    facts.credentials.push(CredentialKind::Bearer);
                }
                TokenScheme::Dpop => {
                    let Some(jkt) = t.cnf_jkt.as_deref() else {
                        return Err(oauth(
                            Error::BindingMismatch("access token"),
                            Kind::InvalidToken,
                            true,
                        ));
                    };
                    let mut config = DpopConfig::new(origin);
                    config.algorithms = self.policy.credentials.dpop.unwrap_or_default();
                    config.max_age = self.policy.max_proof_lifetime;
                    config.max_future = self.policy.leeway;
                    config.nonces.clone_from(&self.nonces);
                    match proof::verify_dpop_proof(
                        &http,
                        Some(jkt),
                        &config,
                        now,
                        Some(&mut self.replay),
                    ) {
                        Ok(_) => {}
                        Err(e @ Error::BindingMismatch("access token")) => {
                            return Err(oauth(e, Kind::InvalidToken, true));
                        }
                        Err(e) => return Err(oauth(e, Kind::DpopProof, true)),
                    }
                    facts.credentials.push(CredentialKind::Dpop);
                }
            }
            expires_at = expires_at.min(t.expires_at);
            let chain = crate::oauth::act_chain(&t.claims)
                .map_err(|e| oauth(e, Kind::InvalidToken, dpop))?;
            facts.actors = chain.iter().map(|a| a.subject.clone()).collect();
            if !route.allows_chain(&facts.actors) {
                return Err((Error::DelegationNotAllowed, Answer::Forbidden, none));
            }
            actors = chain;
            if let Err(e) = check_requirements(&t, &req, now) {
                let f = if e == Error::InsufficientScope {
                    Kind::InsufficientScope
                } else {
                    Kind::InsufficientUserAuthentication
                };
                return Err((e, Answer::OAuth(f, dpop), req));
            }
            at = Some(t);
        }
        // Step 5: the transaction token (context, not a credential).
        let mut transaction = None;
        if let Some(validation) = &self.txn {
            let txn = match http.single("txn-token", "txn-token") {
                Ok(t) => t,
                Err(e) => return Err((e, Answer::BadRequest, none)),
            };
            match txn {
                Some(text) => {
                    let t =
                        crate::oauth::verify_txn_token(text, validation, now, &self.options.limits);
                    let t = match t {
                        Ok(t) => t,
                        Err(e) => {
                            if e == Error::KeyNotFound
                                && let Some(crate::policy::TransactionTokens {
                                    jwks: Jwks::Uri(u),
                                    ..
                                }) = &self.policy.transaction_tokens
                            {
                                self.keys.unknown_kid(u, now);
                            }
                            return Err((e, Answer::BadRequest, none));
                        }
                    };
                    facts
                        .token_hashes
                        .push(("txn_token".into(), t.token_hash.clone()));
                    facts.txn = Some(t.txn.clone());
                    expires_at = expires_at.min(t.expires_at);
                    transaction = Some(t);
                }
                None if self
                    .policy
                    .transaction_tokens
                    .as_ref()
                    .is_some_and(|t| t.required) =>
                {
                    return Err((
                        Error::CredentialMissing("txn-token"),
                        Answer::BadRequest,
                        none,
                    ));
                }
                None => {}
            }
        }
        let method = facts
            .credentials
            .first()
            .copied()
            .unwrap_or(CredentialKind::Bearer);
        Ok(Principal {
            trust_domain: agent.as_ref().map(|a| a.trust_domain().to_owned()),
            agent: agent.map(|a| a.as_str().to_owned()),
            method,
            credentials: facts.credentials.clone(),
            client_id: at.as_ref().map(|t| t.client_id.clone()),
            subject: at.as_ref().map(|t| t.subject.clone()),
            issuer: at.as_ref().map(|t| t.issuer.clone()),
            act: at
                .as_ref()
                .and_then(|t| t.claims.get("act"))
                .map(sjson::to_compact),
            actors,
            transaction,
            scopes: at.as_ref().map(|t| t.scopes.clone()).unwrap_or_default(),
            authorization_details: sjson::to_compact(&Value::Array(
                at.as_ref()
                    .map(|t| {
                        t.authorization_details
                            .iter()
                            .cloned()
                            .map(Value::Object)
                            .collect()
                    })
                    .unwrap_or_default(),
            )),
            token_hashes: facts.token_hashes.clone(),
            expires_at: (expires_at != u64::MAX).then_some(expires_at),
            route: route.path,
            audit: String::new(),
        })
    }

    /// Verifies the workload credential; returns the agent and the credential's expiry.
    fn workload(
        &mut self,
        kind: CredentialKind,
        request: &IncomingRequest<'_>,
        http: &HttpRequest<'_>,
        now: UnixTime,
        facts: &mut Facts,
    ) -> Result<(WorkloadId, u64), Error> {
        if kind == CredentialKind::Mtls {
            let peer = request.mtls_peer.unwrap_or_default();
            let id = WorkloadId::parse(peer)?;
            // The host verified the certificate chain; the trust domain must still be one this
            // policy trusts when it names any.
            if !self.policy.trust.trust_domains().is_empty()
                && self.policy.trust.bundle_for(&id).is_none()
            {
                return Err(Error::UnknownTrustDomain);
            }
            let peer = CredentialFacts {
                subject: Some(id.as_str().to_owned()),
                ..CredentialFacts::default()
            };
            if let Verdict::Revoked(e) = self.events.check(&peer, now.as_secs()) {
                facts.event = Some(e);
                return Err(Error::CredentialRevoked);
            }
            return Ok((id, u64::MAX));
        }
        let wit_validation = WitValidation {
            max_lifetime: self.policy.max_wit_lifetime,
            leeway: Leeway(self.policy.leeway),
            limits: self.options.limits,
            ..WitValidation::default()
        };
        let wit_text = match kind {
            CredentialKind::Wpt => {
                wpt_carriers(http, self.policy.credentials.wpt.unwrap_or_default())?.0
            }
            _ => http
                .single("workload-identity-token", "workload identity token")?
                .ok_or(Error::CredentialMissing("workload identity token"))?,
        };
        facts.token_hashes.push((
            "wit".into(),
            base64url::encode(&sha256(wit_text.as_bytes())),
        ));
        let wit = if let Some(w) = self.wits.get(wit_text, now) {
            w
        } else {
            let verified =
                verify_workload_identity_token(wit_text, &self.policy.trust, &wit_validation, now);
            if let Err(Error::KeyNotFound | Error::UnknownTrustDomain) = verified {
                // An unknown kid or trust domain may be a rotation: ask for the bundles again
                // (at most once per cooldown each).
                for (_, url) in &self.policy.bundle_endpoints {
                    self.keys.unknown_kid(url, now);
                }
            }
            let w = verified?;
            let exp = w.claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
            self.wits.insert(wit_text, w.clone(), UnixTime(exp), now);
            w
        };
        facts.wit_issuer_key = Some(wit.issuer_key_thumbprint.clone());
        if let Verdict::Revoked(e) = self.events.check(&wit_facts(&wit), now.as_secs()) {
            facts.event = Some(e);
            return Err(Error::CredentialRevoked);
        }
        let exp = wit.claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        let subject = wit.subject.clone();
        match kind {
            CredentialKind::Wpt => {
                let mut config = WptConfig::new(
                    self.policy.credentials.wpt.unwrap_or_default(),
                    self.policy.authorities.clone(),
                );
                config
                    .audience_aliases
                    .clone_from(&self.policy.audience_aliases);
                config.max_lifetime = self.policy.max_proof_lifetime;
                config.leeway = Leeway(self.policy.leeway);
                config.wit = wit_validation;
                proof::verify_wpt_with_wit(http, wit, &config, now, Some(&mut self.replay))?;
            }
            _ => {
                let mut audiences: Vec<String> = self
                    .policy
                    .authorities
                    .iter()
                    .map(|a| format!("{a}{}", http.path()))
                    .collect();
                audiences.extend(self.policy.audience_aliases.iter().cloned());
                let mut config = WimseVerifyConfig::new(audiences);
                config.max_age = self.policy.max_proof_lifetime;
                config.leeway = self.policy.leeway;
                config.wit = wit_validation;
                let message = httpsig::Request {
                    method: request.method,
                    target_uri: request.target_uri,
                    headers: request.headers,
                    trailers: &[],
                };
                httpsig::verify_wimse_request_with_wit(
                    &message,
                    request.body,
                    wit,
                    &config,
                    now,
                    Some(&mut self.replay),
                )?;
            }
        }
        Ok((subject, exp))
    }

    fn access_token(&mut self, text: &str, now: UnixTime) -> Result<VerifiedAccessToken, Error> {
        if let Some(t) = self.tokens.get(text, now) {
            return Ok(t);
        }
        match verify_access_token(text, &self.issuers, now) {
            Ok(t) => {
                self.tokens
                    .insert(text, t.clone(), UnixTime(t.expires_at), now);
                Ok(t)
            }
            Err(Error::KeyNotFound) => {
                // An unknown kid from a jwks_uri issuer: ask the host for a refetch (bounded by
                // the key cache's cooldown).
                for s in &self.policy.authorization_servers {
                    if let Jwks::Uri(u) = &s.jwks {
                        self.keys.unknown_kid(u, now);
                    }
                }
                Err(Error::KeyNotFound)
            }
            Err(e) => Err(e),
        }
    }
}

/// What events can match in a WIT: its claims, with the workload identifier as `sub`.
fn wit_facts(w: &VerifiedWorkloadIdentityToken) -> CredentialFacts {
    let mut facts = CredentialFacts::from_claims(&w.claims);
    facts.subject = Some(w.subject.as_str().to_owned());
    facts
}

fn applied_event(set: &VerifiedSet, duplicate: bool) -> AppliedEvent {
    AppliedEvent {
        issuer: set.issuer.clone(),
        jti: set.jti.clone(),
        events: set
            .events
            .iter()
            .map(|e| crate::events::SecurityEvent::name(&e.uri).to_owned())
            .collect(),
        effects: Vec::new(),
        subject: sjson::to_compact(&set.subject.to_json()),
        state: set.events.iter().find_map(|e| match &e.event {
            crate::events::SecurityEvent::Verification(s) => s.clone(),
            _ => None,
        }),
        duplicate,
        dropped: 0,
        token_hash: set.token_hash.clone(),
    }
}

fn audit(
    request: &IncomingRequest<'_>,
    now: UnixTime,
    facts: &Facts,
    denied: Option<(&Error, u16)>,
) -> String {
    use crate::audit::{DecisionRecord, EventInfo, SCHEMA_VERSION, TokenHash};
    let split = split_target(request.target_uri);
    DecisionRecord {
        v: SCHEMA_VERSION,
        time: now.as_secs(),
        decision: if denied.is_some() { "deny" } else { "allow" }.to_owned(),
        status: denied.map(|(_, s)| s),
        error: denied.map(|(e, _)| e.code().to_owned()),
        method: request.method.to_owned(),
        origin: split.map(|(o, _)| o.to_owned()),
        path: split.map(|(_, t)| proof::strip_query(t).to_owned()),
        route: facts.route.clone(),
        credentials: facts
            .credentials
            .iter()
            .map(|k| kind_name(*k).to_owned())
            .collect(),
        agent: facts.agent.clone(),
        wit_issuer_key: facts.wit_issuer_key.clone(),
        user: facts.subject.clone(),
        client_id: facts.client_id.clone(),
        issuer: facts.issuer.clone(),
        token_issuer_key: facts.token_issuer_key.clone(),
        actors: facts.actors.clone(),
        scopes: facts.scopes.clone(),
        authorization_details_types: facts.authorization_details_types.clone(),
        acr: facts.acr.clone(),
        auth_time: facts.auth_time,
        txn: facts.txn.clone(),
        token_hashes: facts
            .token_hashes
            .iter()
            .map(|(k, h)| TokenHash {
                kind: k.clone(),
                sha256: h.clone(),
            })
            .collect(),
        pdp_decision: None,
        event: facts.event.as_ref().map(|e| EventInfo {
            event_type: e.event_type.clone(),
            jti: e.jti.clone(),
            iss: e.issuer.clone(),
        }),
    }
    .to_json_line()
}
